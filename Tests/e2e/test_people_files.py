#!/usr/bin/env python3
"""Files for people (SPEC 8.3), end to end with the release binary, read back independently.

    AGGREGATE=.build/release/aggregate python3 -m unittest Tests/e2e/test_people_files.py

- A county batch whose cells start formulas (毕业院校 `=HYPERLINK(...)`, 所学专业 `@SUM(1+1)`,
  a rejected row whose 姓名 is `=HYPERLINK(...)`, an ID `-110105`) goes through `run`, `db load`,
  `report`, `stats` (csv and xlsx) and `export` (csv and xlsx): every CSV for people starts with
  the BOM, ends its lines with CRLF and shows those values with a leading `'`; every workbook,
  read by openpyxl, has the readme sheet first, frozen Chinese headers, IDs as strings and not a
  single formula. The machine files of SPEC 3.1–3.3 are unchanged (no BOM, LF, raw values).
- The 2-city example: `stats --format xlsx` has each county's lists as sheets; `export` has a
  sheet per source unit with rejects before flags and the info rows apart, every report row once.
"""
import csv
import glob
import gzip
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
from spec import COLUMNS as HEADER  # noqa: E402  (the contract's constants, scripts/spec.py)

EXAMPLES = os.path.join(os.path.dirname(REPO), "shared", "examples")
AS_OF = "2012-10-04T12:00:00+08:00"
INJECTION = '=HYPERLINK("http://x","c")'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-\d+(\.\d+)?$")
CJK = re.compile(r"[\u4e00-\u9fff]")

try:
    import openpyxl
except ImportError:  # scripts/setup installs it
    openpyxl = None


def binary():
    b = os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")
    return b if os.path.isfile(b) and os.access(b, os.X_OK) else None


def agg(*args, cwd=None, ok=(0,)):
    p = subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True)
    if p.returncode not in ok:
        raise AssertionError(f"aggregate {' '.join(args)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def row(name, sex, cid, school, major, hardship="4", needs="23", updated="2012-08-06 09:12:00"):
    return ["", name, sex, "汉族", cid, school, "20120701", "3", major, "110105", "", "100020", "13810001001", "",
            hardship, "2", "3", needs, "", updated, "110105"]


BATCH = [
    # accepted: free-text 毕业院校 / 所学专业 that start formulas; hardship 1 (priority), needs 2, 3 (services)
    row("王芳", "女", "110105199003150025", INJECTION, "@SUM(1+1)", hardship="1"),
    # accepted, not updated since August: the follow-up list
    row("张伟", "男", "110102199005210010", "+cmd|' /C calc'!A0", "-2+3", updated="2012-08-01 08:00:00"),
    # rejected (NAME_INVALID): the raw 姓名 reaches the report's 姓名 and 原值
    row(INJECTION, "男", "110105199102100031", "北京大学", "法学"),
    # rejected (ID_FORMAT): the raw ID reaches 公民身份号码 and 原值
    row("李娜", "女", "@110105", "北京大学", "法学"),
    # rejected (ID_FORMAT): a plain negative number stays as it is (SPEC 8.3)
    row("李娜", "女", "-110105", "北京大学", "法学"),
]


def people_csv_cells(test, path):
    """Checks BOM, CRLF and neutralisation; returns every cell."""
    with open(path, "rb") as f:
        data = f.read()
    test.assertTrue(data.startswith(b"\xef\xbb\xbf"), f"{path}: no BOM")
    test.assertEqual(data.count(b"\n"), data.count(b"\r\n"), f"{path}: a line end is not CRLF")
    test.assertTrue(data.endswith(b"\r\n"), f"{path}: last line without CRLF")
    cells = []
    for rec in csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")):
        for c in rec:
            cells.append(c)
            if c.startswith(FORMULA_START):
                test.assertRegex(c, PLAIN_NUMBER, f"{path}: {c!r} would run as a formula")
    test.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, path)
    return cells


def read_people_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def check_workbook(test, path, id_columns=("公民身份号码",)):
    """Readme first, frozen Chinese headers, IDs as text, no formula. Returns {sheet: rows}."""
    test.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, path)
    wb = openpyxl.load_workbook(path)
    test.assertEqual(wb.sheetnames[0], "说明", f"{path}: the readme sheet is not first")
    readme = [r for r in wb["说明"].iter_rows(values_only=True)]
    labels = " ".join(str(r[0]) for r in readme)
    for must in ("单位", "期别", "参照时间"):
        test.assertIn(must, labels, f"{path}: the readme does not say {must}")
    sheets = {}
    for ws in wb.worksheets:
        test.assertEqual(ws.freeze_panes, "A2", f"{path} / {ws.title}: header row not frozen")
        test.assertLessEqual(len(ws.title), 31)
        header = [c.value for c in ws[1]]
        for h in header:
            test.assertIsInstance(h, str)
            test.assertRegex(h, CJK, f"{path} / {ws.title}: header {h!r} has no Chinese name")
        rows = []
        for r in ws.iter_rows(min_row=2):
            for c in r:
                test.assertNotEqual(c.data_type, "f", f"{path} / {ws.title} {c.coordinate}: a formula")
                if isinstance(c.value, str) and c.value.startswith("="):
                    test.assertEqual(c.data_type, "s")
            rows.append({header[i]: c.value for i, c in enumerate(r) if i < len(header)})
        for name in id_columns:
            if name in header:
                letter = openpyxl.utils.get_column_letter(header.index(name) + 1)
                if any(r.get(name) for r in rows):
                    test.assertGreaterEqual(ws.column_dimensions[letter].width or 0, 18, f"{ws.title}: ID column too narrow")
                for r in rows:
                    if r.get(name) is not None:
                        test.assertIsInstance(r[name], str, f"{path} / {ws.title}: ID {r[name]!r} is not text")
        for r in rows:
            if r.get("行号") is not None:
                test.assertIsInstance(r["行号"], int)
        sheets[ws.title] = rows
    return sheets


@unittest.skipUnless(binary(), "no aggregate binary (set AGGREGATE or swift build -c release)")
@unittest.skipUnless(openpyxl, "openpyxl missing (scripts/setup installs it)")
class InjectionTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hz-people-")
        t = cls.tmp
        with open(os.path.join(t, "batch.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADER)
            for i, r in enumerate(BATCH, 1):
                w.writerow([str(i)] + r[1:])
        cls.out = os.path.join(t, "out")
        agg("run", "--unit", "110105", "--period", "2012-09", "--out", cls.out, "--as-of", AS_OF,
            os.path.join(t, "batch.csv"))
        cls.db = os.path.join(t, "n.sqlite")
        agg("db", "load", "--db", cls.db, "--unit", "110105", "--period", "2012-09",
            os.path.join(cls.out, "110105-2012-09.manifest.json"))
        cls.report = os.path.join(t, "report")
        agg("report", "--db", cls.db, "--period", "2012-09", "--unit", "110105", "--out", cls.report, "--unmasked")
        cls.stats = os.path.join(t, "stats")
        agg("stats", "--db", cls.db, "--period", "2012-09", "--unit", "110105", "--format", "csv", "--out", cls.stats,
            "--per-county")
        cls.statsx = os.path.join(t, "statsx")
        agg("stats", "--db", cls.db, "--period", "2012-09", "--unit", "110105", "--format", "xlsx", "--out", cls.statsx)
        cls.export = os.path.join(t, "export")
        os.mkdir(cls.export)
        agg("export", "--unit", "110105", "--period", "2012-09", "--xlsx", os.path.join(cls.export, "fix.xlsx"),
            "--csv", os.path.join(cls.export, "fix.csv"), os.path.join(cls.out, "110105-2012-09.discrepancies.csv.gz"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_every_csv_for_people_neutralises_formula_starts(self):
        files = [os.path.join(self.report, "110105-2012-09.audit-findings.csv"), os.path.join(self.export, "fix.csv")]
        files += glob.glob(os.path.join(self.stats, "**", "*.csv"), recursive=True)
        self.assertIn(os.path.join(self.stats, "counties", "110105", "priority.csv"), files)
        seen = set()
        for f in files:
            seen.update(people_csv_cells(self, f))
        for v in (INJECTION, "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "@110105"):
            self.assertIn("'" + v, seen, f"{v!r} not found neutralised")
            self.assertNotIn(v, seen, f"{v!r} found raw")
        self.assertIn("-110105", seen)  # a plain number: no prefix
        self.assertNotIn("'-110105", seen)
        audit = set(people_csv_cells(self, files[0]))
        self.assertIn("'" + INJECTION, audit)  # the rejected 姓名, in 姓名 and 原值
        priority = set(people_csv_cells(self, os.path.join(self.stats, "priority.csv")))
        self.assertIn("'" + INJECTION, priority)  # the accepted 毕业院校

    def test_workbooks_are_typed_and_never_formulas(self):
        audit = check_workbook(self, os.path.join(self.report, "110105-2012-09.audit-findings.xlsx"))
        names = [r["姓名"] for r in audit["明细"]]
        self.assertIn(INJECTION, names)  # a text cell showing what was keyed in
        stats = check_workbook(self, os.path.join(self.statsx, "110105-2012-09.stats.xlsx"))
        self.assertIn("概况", stats)
        priority = [s for s in stats if s.startswith("110105 困难帮扶")]
        self.assertEqual(len(priority), 1, list(stats))
        self.assertEqual([r["公民身份号码"] for r in stats[priority[0]]], ["110105199003150025"])
        self.assertEqual([r["毕业院校"] for r in stats[priority[0]]], [INJECTION])
        self.assertEqual([r["登记单位"] for r in stats[priority[0]]], ["110105"])  # a code: text
        majors = {r["所学专业"]: r["人数"] for r in stats["专业结构"]}
        self.assertEqual(majors.get("@SUM(1+1)"), 1)  # counts are numbers
        fix = check_workbook(self, os.path.join(self.export, "fix.xlsx"))
        rows = fix["110105 朝阳区"]
        self.assertEqual([r["级别"] for r in rows], sorted((r["级别"] for r in rows), key=["reject", "flag"].index))
        ids = {r["公民身份号码"] for r in rows}
        self.assertIn("-110105", ids)  # text, not the number -110105
        self.assertEqual(sorted(r["行号"] for r in rows if r["级别"] == "reject"), [4, 5, 6])

    def test_machine_files_are_unchanged(self):
        with gzip.open(os.path.join(self.out, "110105-2012-09.discrepancies.csv.gz")) as f:
            report = f.read()
        with gzip.open(os.path.join(self.out, "110105-2012-09.csv.gz")) as f:
            summary = f.read()
        for data in (report, summary):
            self.assertFalse(data.startswith(b"\xef\xbb\xbf"))
            self.assertNotIn(b"\r\n", data)
        self.assertIn(b'"=HYPERLINK(""http://x"",""c"")"', report)
        self.assertNotIn(b"'=HYPERLINK", report + summary)
        self.assertIn(b'"=HYPERLINK(""http://x"",""c"")"', summary)

    def test_export_never_writes_into_the_outbox(self):
        before = sorted(os.listdir(self.out))
        p = agg("export", "--unit", "110105", "--period", "2012-09", "--xlsx", os.path.join(self.out, "x.xlsx"),
                os.path.join(self.out, "110105-2012-09.discrepancies.csv.gz"), ok=(1,))
        self.assertIn("outbox", p.stderr)
        self.assertEqual(sorted(os.listdir(self.out)), before)


@unittest.skipUnless(binary(), "no aggregate binary (set AGGREGATE or swift build -c release)")
@unittest.skipUnless(openpyxl, "openpyxl missing (scripts/setup installs it)")
@unittest.skipUnless(os.path.isdir(os.path.join(EXAMPLES, "2-city")), "no ../shared/examples")
class TwoCityTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hz-people2-")
        cls.root = os.path.join(cls.tmp, "2-city")
        shutil.copytree(os.path.join(EXAMPLES, "2-city"), cls.root)
        for d, _, fs in os.walk(cls.root):
            os.chmod(d, 0o700)
            for f in fs:
                os.chmod(os.path.join(d, f), 0o600)
        cls.db = os.path.join(cls.tmp, "n.sqlite")
        agg("db", "load", "--db", cls.db, "--config", "pipeline.json", "--unit", "110100", "--period", "2012-09",
            cwd=cls.root)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def report_rows(self):
        with gzip.open(os.path.join(self.root, "data/110100/outbox/2012-09/110100-2012-09.discrepancies.csv.gz")) as f:
            data = f.read()
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))

    def test_stats_workbook_has_each_countys_lists(self):
        out = os.path.join(self.tmp, "stats")
        agg("stats", "--db", self.db, "--config", "pipeline.json", "--unit", "110100", "--period", "2012-09",
            "--format", "xlsx", "--out", out, cwd=self.root)
        sheets = check_workbook(self, os.path.join(out, "110100-2012-09.stats.xlsx"))
        for table in ("概况", "学历", "专业结构", "就业去向", "下级单位", "名单人数"):
            self.assertIn(table, sheets)
        counties = {s.split(" ")[0] for s in sheets if re.match(r"^\d{6} ", s)}
        self.assertEqual(counties, {"110105", "110108"})
        counts = {r["登记单位"]: r for r in sheets["名单人数"]}
        for code, r in counts.items():
            listed = [s for s in sheets if s.startswith(code + " 困难帮扶")]
            self.assertEqual(sum(len(sheets[s]) for s in listed), r["困难未落实"])
        # the CSVs of the same lists hold the same people
        outc = os.path.join(self.tmp, "statsc")
        agg("stats", "--db", self.db, "--config", "pipeline.json", "--unit", "110100", "--period", "2012-09",
            "--format", "csv", "--out", outc, cwd=self.root)
        followup = read_people_csv(os.path.join(outc, "followup.csv"))
        in_sheets = sorted(r["公民身份号码"] for s in sheets if " 待回访" in s for r in sheets[s])
        self.assertEqual(sorted(r["公民身份号码"] for r in followup), in_sheets)

    def test_export_has_a_sheet_per_source_unit_rejects_first(self):
        path = os.path.join(self.tmp, "fix.xlsx")
        agg("export", "--config", "pipeline.json", "--unit", "110100", "--period", "2012-09", "--xlsx", path,
            "--csv", os.path.join(self.tmp, "fix.csv"), cwd=self.root)
        sheets = check_workbook(self, path)
        report = self.report_rows()
        units = sorted({r["来源单位"] for r in report if r["级别"] != "info"})
        unit_sheets = [s for s in sheets if re.match(r"^\d{6}", s)]
        self.assertEqual([s.split(" ")[0] for s in unit_sheets], units)
        self.assertIn("110105 朝阳区", unit_sheets)
        order = ["reject", "flag"]
        for s in unit_sheets:
            levels = [r["级别"] for r in sheets[s]]
            self.assertEqual(levels, sorted(levels, key=order.index), f"{s}: rejects are not first")
            want = sorted((r["来源文件"], r["行号"], r["规则"]) for r in report
                          if r["来源单位"] == s.split(" ")[0] and r["级别"] != "info")
            got = sorted((r["来源文件"] or "", "" if r["行号"] is None else str(r["行号"]), r["规则"]) for r in sheets[s])
            self.assertEqual(got, want)
        infos = [r for r in report if r["级别"] == "info"]
        self.assertEqual(len(sheets.get("提示 info", [])), len(infos))
        cells = people_csv_cells(self, os.path.join(self.tmp, "fix.csv"))
        self.assertGreater(len(cells), 0)
        fix_rows = read_people_csv(os.path.join(self.tmp, "fix.csv"))
        self.assertEqual(len(fix_rows), len(report))
        self.assertEqual([r["级别"] for r in fix_rows], sorted((r["级别"] for r in fix_rows), key=["reject", "flag", "info"].index))


if __name__ == "__main__":
    unittest.main()
