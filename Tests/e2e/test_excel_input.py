#!/usr/bin/env python3
"""End-to-end tests of Excel workbooks as input (SPEC 8.1, 8.2), with workbooks written by an
independent writer (openpyxl), run through the release binary (AGGREGATE=...).

The expected values come from the SPEC and from the CSV twin of each workbook: the same rows as
CSV and as XLSX must give byte-identical merged summaries.
"""
import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile
import xml.etree.ElementTree as ET

try:
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
except ImportError:  # scripts/setup installs it
    openpyxl = None

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "fixtures")
BINARY = os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")
AS_OF = "2012-10-04 12:00:00"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_csv(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def run(files, out, unit="110105"):
    p = subprocess.run([BINARY, "run", "--unit", unit, "--period", "2012-09", "--out", out, "--as-of", AS_OF, *files],
                       capture_output=True, text=True)
    return p.returncode


def outputs(out, unit="110105"):
    stem = os.path.join(out, f"{unit}-2012-09")
    with open(stem + ".csv.gz", "rb") as f:
        summary = f.read()
    with gzip.open(stem + ".discrepancies.csv.gz", "rt", encoding="utf-8") as f:
        report = list(csv.DictReader(f))
    with open(stem + ".manifest.json", encoding="utf-8") as f:
        manifest = json.load(f)
    return summary, report, manifest


def china(text):
    """`2012-08-06 09:12:00` → a naive datetime (Excel stores wall-clock time, no zone)."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def save_rows(path, rows, typed=False, epoch1904=False, before=None, sheet_title=None, id_as_number=False):
    """Writes rows (a header and data) to a workbook. `typed`: numbers, dates and times as Excel
    holds them when keyed in (the ID stays text unless `id_as_number`)."""
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    if before is not None:
        before(wb)
        ws = wb.create_sheet(sheet_title or "汇总表")
    header = rows[0]
    for r in rows:
        out = []
        for name, v in zip(header, r):
            if r is header or v == "":
                out.append(v if v != "" else None)
            elif name == "公民身份号码" and id_as_number and v.isdigit():
                out.append(int(v))  # Excel keeps an ID ending in X as text
            elif typed and name in ("序号", "学历", "入学前户口所在地", "手机号码", "登记单位"):
                out.append(int(v))
            elif typed and name == "毕业日期":
                out.append(dt.datetime.strptime(v, "%Y%m%d"))
            elif typed and name == "更新时间":
                out.append(china(v))
            else:
                out.append(v)
        ws.append(out)
    if typed:
        for col, name in enumerate(header, start=1):
            fmt = {"毕业日期": "yyyy/m/d", "更新时间": "yyyy/m/d h:mm:ss"}.get(name)
            if fmt:
                for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    row[0].number_format = fmt
    wb.save(path)


def to_shared_strings(src, dst):
    """Rewrites a workbook's inline-string cells (what openpyxl writes) as shared strings (what
    Excel writes): the sheet cells become `t="s"` indexes into a new xl/sharedStrings.xml."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    strings, index = [], {}
    ET.register_namespace("", NS[1:-1])
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        root = ET.fromstring(parts[name])
        for c in root.iter(NS + "c"):
            if c.get("t") == "inlineStr":
                is_ = c.find(NS + "is")
                text = "".join(t.text or "" for t in is_.iter(NS + "t"))
                c.remove(is_)
                c.set("t", "s")
                if text not in index:
                    index[text] = len(strings)
                    strings.append(text)
                ET.SubElement(c, NS + "v").text = str(index[text])
        parts[name] = ET.tostring(root, xml_declaration=True, encoding="UTF-8")
    sst = ET.Element(NS + "sst", count=str(len(strings)), uniqueCount=str(len(strings)))
    for t in strings:
        si = ET.SubElement(sst, NS + "si")
        ET.SubElement(si, NS + "t").text = t
    parts["xl/sharedStrings.xml"] = ET.tostring(sst, xml_declaration=True, encoding="UTF-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


@unittest.skipUnless(openpyxl is not None, "openpyxl is not installed (scripts/setup installs it)")
@unittest.skipUnless(os.path.exists(BINARY), "no release binary (swift build -c release, or AGGREGATE=)")
class ExcelInputTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="xlsxin-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def twin(self, csv_name, xlsx_writer):
        """Runs the CSV (a fixture, or a path) and its workbook twin; returns both outputs."""
        xlsx = self.path("batch.xlsx")
        xlsx_writer(xlsx)
        a, b = self.path("out-csv"), self.path("out-xlsx")
        ra = run([csv_name if os.path.isabs(csv_name) else os.path.join(FIXTURES, csv_name)], a)
        rb = run([xlsx], b)
        return (ra, outputs(a)), (rb, outputs(b))

    def assertSameSummary(self, csv_name, writer):
        """The CSV and its workbook twin, with inline strings (as openpyxl writes) and with shared
        strings (as Excel writes), give byte-identical summaries and the same findings."""
        out = None
        for shared in (False, True):
            def write(p):
                writer(self.path("inline.xlsx"))
                with zipfile.ZipFile(self.path("inline.xlsx")) as z:
                    self.assertIn(b"inlineStr", b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")))
                if shared:
                    to_shared_strings(self.path("inline.xlsx"), p)
                else:
                    shutil.copy(self.path("inline.xlsx"), p)
            out = self.assertSameSummaryOnce(csv_name, write)
        return out

    def assertSameSummaryOnce(self, csv_name, writer):
        (ra, (sa, repa, ma)), (rb, (sb, repb, mb)) = self.twin(csv_name, writer)
        self.assertEqual(ra, rb)
        self.assertEqual(sa, sb, "the same rows as CSV and as XLSX must give byte-identical summaries")
        ia, ib = ma["inputs"][0], mb["inputs"][0]
        for k in ("status", "linesRead", "blank", "rejected", "merged", "superseded", "duplicate"):
            self.assertEqual(ia[k], ib[k], k)
        # Same findings on the same lines (header on the same row in both).
        key = lambda r: (r["行号"], r["规则"], r["字段"], r["公民身份号码"])
        self.assertEqual(sorted(map(key, repa)), sorted(map(key, repb)))
        return mb, repb

    def test_plain_sheet_gives_the_csv_twins_summary(self):
        rows = read_csv("clean.csv")
        m, _ = self.assertSameSummary("clean.csv", lambda p: save_rows(p, rows))
        self.assertEqual(m["inputs"][0]["file"], "batch.xlsx")
        self.assertEqual(m["inputs"][0]["linesRead"], len(rows) - 1)

    def test_typed_cells_numbers_and_1900_dates(self):
        rows = read_csv("clean.csv")
        self.assertSameSummary("clean.csv", lambda p: save_rows(p, rows, typed=True))

    def test_1904_date_system(self):
        rows = read_csv("clean.csv")
        self.assertSameSummary("clean.csv", lambda p: save_rows(p, rows, typed=True, epoch1904=True))

    def test_shared_strings_part(self):
        rows = read_csv("clean.csv")
        save_rows(self.path("inline.xlsx"), rows)
        to_shared_strings(self.path("inline.xlsx"), self.path("shared.xlsx"))
        with zipfile.ZipFile(self.path("shared.xlsx")) as z:
            sheet = z.read("xl/worksheets/sheet1.xml")
            self.assertIn(b't="s"', sheet)
            self.assertNotIn(b"inlineStr", sheet)
            self.assertIn("王芳".encode(), z.read("xl/sharedStrings.xml"))
        a, b = self.path("a"), self.path("b")
        run([os.path.join(FIXTURES, "clean.csv")], a)
        run([self.path("shared.xlsx")], b)
        self.assertEqual(outputs(a)[0], outputs(b)[0])

    def test_defects_give_the_same_findings(self):
        # Every defect a sheet can hold: the lines a sheet cannot hold (an unterminated quote, a
        # short line) become empty lines in both twins, so that line numbers stay the same.
        with open(os.path.join(FIXTURES, "defects.csv"), encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
        if lines[-1] == "":
            lines.pop()
        header = next(csv.reader([lines[0]]))
        rows = []
        for ln in lines:
            cells = next(csv.reader([ln]), [])
            ok = len(cells) == len(header) and ln.count('"') % 2 == 0
            rows.append(cells if ok else [""] * len(header))
        twin = self.path("defects-twin.csv")
        with open(twin, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(ln if next(csv.reader([ln]), []) == r else "" for ln, r in zip(lines, rows)) + "\n")
        self.assertEqual([i + 1 for i, r in enumerate(rows) if not any(r)], [44, 45, 46])  # quote, short, blank
        m, report = self.assertSameSummary(twin, lambda p: save_rows(p, rows))
        self.assertGreater(len({r["规则"] for r in report}), 25)

    def test_second_sheet_is_read_when_the_first_has_no_header(self):
        rows = read_csv("clean.csv")

        def notes(wb):
            ws = wb.active
            ws.title = "填表说明"
            ws.append(["本表按人社厅发〔2012〕69号附件2填写"])
            ws.append(["姓名须与身份证一致"])
        self.assertSameSummary("clean.csv", lambda p: save_rows(p, rows, before=notes))

    def test_template_with_merged_preamble_cells(self):
        rows = read_csv("template-2012.csv")
        header_row = next(i for i, r in enumerate(rows) if "姓名" in r)
        width = len(rows[header_row])

        def write(p):
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.append([rows[0][0]])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            # Preamble: each label in the first cell of a merged range, as the template is laid out.
            pre = rows[1]
            cells = [None] * width
            spans = []
            i = 0
            while i < len(pre):
                if pre[i]:
                    j = i + 1
                    while j < len(pre) and not pre[j]:
                        j += 1
                    cells[i] = pre[i]
                    spans.append((i + 1, min(j, width)))
                    i = j
                else:
                    i += 1
            ws.append(cells)
            for a, b in spans:
                if b > a:
                    ws.merge_cells(start_row=2, start_column=a, end_row=2, end_column=b)
            for r in rows[2:]:
                ws.append([v if v != "" else None for v in r])
            wb.save(p)
        m, report = self.assertSameSummary("template-2012.csv", write)
        pre = m["inputs"][0]["preamble"]
        self.assertEqual(pre["填报省份"], "北京市")
        self.assertEqual(pre["填报单位"], "朝阳区人力资源和社会保障局")
        self.assertEqual(pre["填报时间"], "2012年9月5日")
        self.assertEqual(pre["填报人"], "李红")
        self.assertEqual(pre["联系电话"], "010-65091234")

    def test_numeric_id_column_is_id_excel_number_on_the_sheet_row(self):
        rows = read_csv("clean.csv")
        xlsx = self.path("ids.xlsx")
        save_rows(xlsx, rows, id_as_number=True)
        out = self.path("out")
        self.assertEqual(run([xlsx], out), 0)
        summary, report, m = outputs(out)
        numeric = [i for i, r in enumerate(rows[1:], start=2) if r[rows[0].index("公民身份号码")].isdigit()]
        self.assertGreater(len(numeric), 10)
        codes = [(r["行号"], r["规则"], r["字段"]) for r in report if r["级别"] == "reject"]
        self.assertEqual(codes, [(str(i), "ID_EXCEL_NUMBER", "公民身份号码") for i in numeric])
        self.assertTrue(all("文本格式" in r["说明"] for r in report if r["规则"] == "ID_EXCEL_NUMBER"))
        self.assertEqual(m["inputs"][0]["rejected"], len(numeric))

    def test_validate_reads_workbooks_too(self):
        rows = read_csv("clean.csv")
        good, bad = self.path("good.xlsx"), self.path("bad.xlsx")
        save_rows(good, rows, typed=True)
        save_rows(bad, rows, id_as_number=True)
        p = subprocess.run([BINARY, "validate", "--unit", "110105", "--as-of", AS_OF, good], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        p = subprocess.run([BINARY, "validate", "--unit", "110105", "--as-of", AS_OF, "--format", "json", bad],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 1)
        doc = json.loads(p.stdout)
        rejects = [(f["line"], f["rule"]) for f in doc["findings"] if f["severity"] == "reject"]
        numeric = [i for i, r in enumerate(rows[1:], start=2) if r[rows[0].index("公民身份号码")].isdigit()]
        self.assertEqual(rejects, [(i, "ID_EXCEL_NUMBER") for i in numeric])

    def test_csv_id_in_scientific_notation_and_excel_display_time(self):
        rows = read_csv("clean.csv")
        h = rows[0]
        damaged = [list(r) for r in rows]
        damaged[-1][h.index("公民身份号码")] = "1.10105E+17"
        # Every row: 更新时间 as Excel displays it (YYYY/M/D H:MM[:SS]; `2012/8/6 9:12` the shortest).
        for r in damaged[1:]:
            t = china(r[h.index("更新时间")])
            shown = f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}" + (f":{t.second:02d}" if t.second else "")
            r[h.index("更新时间")] = shown
        path = self.path("damaged.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(damaged)
        out, ref = self.path("out"), self.path("ref")
        self.assertEqual(run([path], out), 0)
        self.assertEqual(run([os.path.join(FIXTURES, "clean.csv")], ref), 0)
        _, report, _ = outputs(out)
        self.assertEqual(damaged[1][h.index("更新时间")], "2012/8/6 9:12")
        self.assertEqual([(r["行号"], r["规则"]) for r in report if r["级别"] == "reject"], [(str(len(rows)), "ID_EXCEL_NUMBER")])
        self.assertNotIn("TIME_INVALID", [r["规则"] for r in report])
        # The display times canonicalise to the same instants: the other rows are identical.
        with gzip.open(os.path.join(out, "110105-2012-09.csv.gz"), "rt", encoding="utf-8") as f:
            got = [l.split(",", 1)[1] for l in f.read().splitlines()[1:]]
        with gzip.open(os.path.join(ref, "110105-2012-09.csv.gz"), "rt", encoding="utf-8") as f:
            want = [l.split(",", 1)[1] for l in f.read().splitlines()[1:]]
        last_id = rows[-1][h.index("公民身份号码")]
        self.assertEqual(got, [l for l in want if last_id not in l])

    def assertFileFormat(self, name, content):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(content)
        out = self.path("out-" + name)
        self.assertEqual(run([p], out), 2)
        _, report, m = outputs(out)
        self.assertEqual([(r["规则"], r["来源文件"], r["行号"]) for r in report], [("FILE_FORMAT", name, "")])
        self.assertIn("xlsx", report[0]["说明"])
        self.assertIn("CSV UTF-8", report[0]["说明"])
        self.assertEqual(m["inputs"][0]["status"], "rejected")

    def test_old_xls_is_file_format(self):
        self.assertFileFormat("batch.xls", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)

    def test_encrypted_workbook_is_file_format(self):
        # An encrypted .xlsx is an OLE2 compound file holding EncryptionInfo and EncryptedPackage.
        self.assertFileFormat("secret.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + b"\x3e\x00\x03\x00" + b"\0" * 488)

    def test_pdf_is_file_format(self):
        self.assertFileFormat("scan.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")

    def test_nul_bytes_are_file_format(self):
        self.assertFileFormat("utf16.csv", "姓名,公民身份号码\n".encode("utf-16"))

    def test_corrupt_zip_is_file_format(self):
        rows = read_csv("clean.csv")
        good = self.path("good.xlsx")
        save_rows(good, rows)
        with open(good, "rb") as f:
            data = f.read()
        self.assertFileFormat("truncated.xlsx", data[: len(data) // 2])
        # A damaged byte in the middle of the sheet's deflate data.
        broken = bytearray(data)
        with zipfile.ZipFile(good) as z:
            info = z.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for k in range(start + 10, start + 40):
            broken[k] ^= 0x5A
        self.assertFileFormat("damaged.xlsx", bytes(broken))

    def test_workbook_without_worksheet_is_file_format(self):
        p = self.path("empty.xlsx")
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
        with open(p, "rb") as f:
            content = f.read()
        os.remove(p)
        self.assertFileFormat("empty.xlsx", content)

    def test_line_break_and_unnamed_column(self):
        rows = read_csv("clean.csv")
        xlsx = self.path("odd.xlsx")
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in rows:
            ws.append([v if v != "" else None for v in r])
        h = rows[0]
        ws.cell(row=3, column=h.index("毕业院校") + 1).value = "清华\n大学"
        ws.cell(row=4, column=len(h) + 2).value = "多余"
        ws.cell(row=30, column=1).value = " "  # spaces only, after the last row: blank, counted
        wb.save(xlsx)
        out = self.path("out")
        run([xlsx], out)
        _, report, m = outputs(out)
        rejects = [(r["行号"], r["规则"]) for r in report if r["级别"] == "reject"]
        self.assertEqual(rejects, [("3", "LINE_QUOTE"), ("4", "LINE_FIELDS")])
        i = m["inputs"][0]
        self.assertEqual(i["linesRead"], 29)  # rows 2..30
        self.assertEqual(i["blank"], 29 - (len(rows) - 1))


@unittest.skipUnless(openpyxl is not None, "openpyxl is not installed (scripts/setup installs it)")
@unittest.skipUnless(os.path.exists(BINARY), "no release binary (swift build -c release, or AGGREGATE=)")
class ExcelInputTwoThreadTests(ExcelInputTests):
    """Every test above again with each sheet read on two threads (RecordPipeline: the XML scan
    and the rows turned into records on a producer thread, validation on the reader's), which the
    binary otherwise uses only for sheets over 4 MiB: the CSV twins stay the oracle, so the
    pipeline must give the same events, line numbers and errors in sheet order."""

    def setUp(self):
        super().setUp()
        self._saved = os.environ.get("HUIZONG_SHEET_PIPELINE_BYTES")
        os.environ["HUIZONG_SHEET_PIPELINE_BYTES"] = "0"

    def tearDown(self):
        if self._saved is None:
            os.environ.pop("HUIZONG_SHEET_PIPELINE_BYTES", None)
        else:
            os.environ["HUIZONG_SHEET_PIPELINE_BYTES"] = self._saved
        super().tearDown()


class InboxHygieneTests(unittest.TestCase):
    def test_lock_files_notes_and_folders(self):
        tmp = tempfile.mkdtemp(prefix="inbox-")
        try:
            shutil.copy(os.path.join(REPO, "pipeline.json"), tmp)
            inbox = os.path.join(tmp, "data", "110105", "inbox", "2012-09")
            os.makedirs(inbox)
            rows = read_csv("clean.csv")
            save_rows(os.path.join(inbox, "desk1.xlsx"), rows)
            with open(os.path.join(inbox, "~$desk1.xlsx"), "wb") as f:
                f.write(b"\x08lock")
            with open(os.path.join(inbox, ".DS_Store"), "wb") as f:
                f.write(b"\0\0\0\1Bud1")
            with open(os.path.join(inbox, "说明.txt"), "w", encoding="utf-8") as f:
                f.write("本月两个批次\n")
            os.mkdir(os.path.join(inbox, "旧批次"))
            os.mkfifo(os.path.join(inbox, "pipe"))
            with open(os.path.join(inbox, "OLD.XLS"), "wb") as f:
                f.write(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
            p = subprocess.run([BINARY, "run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-09",
                                "--as-of", AS_OF], cwd=tmp, capture_output=True, text=True, timeout=60)
            out = os.path.join(tmp, "data", "110105", "outbox", "2012-09")
            _, report, m = outputs(out)
            self.assertEqual(sorted(i["file"] for i in m["inputs"]), ["OLD.XLS", "desk1.xlsx"])
            skipped = sorted((r["来源文件"], r["级别"], r["来源单位"], r["行号"]) for r in report if r["规则"] == "FILE_SKIPPED")
            self.assertEqual(skipped, [("pipe", "info", "110105", ""), ("旧批次", "info", "110105", ""),
                                       ("说明.txt", "info", "110105", "")])
            self.assertTrue(all(r["来源文件"] in r["说明"] for r in report if r["规则"] == "FILE_SKIPPED"))
            # The .xls is read and rejected whole: exit 2 because of it alone.
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertEqual([r["规则"] for r in report if r["来源文件"] == "OLD.XLS"], ["FILE_FORMAT"])
            os.remove(os.path.join(inbox, "OLD.XLS"))
            p = subprocess.run([BINARY, "run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-09",
                                "--as-of", AS_OF], cwd=tmp, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
