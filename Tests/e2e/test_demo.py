#!/usr/bin/env python3
"""End-to-end tests of the demo scripts (python3 stdlib only).

    python3 Tests/e2e/test_demo.py            # or: python3 -m unittest discover -s Tests/e2e

- the generator is deterministic (bytes and mtimes) and writes what the brief asks for (valid
  IDs with the sex in the 17th digit, the odd files, every defect kind somewhere);
- scripts/ship copies with modification times and permissions kept, --mtime sets them;
- with a built binary (AGGREGATE=... or .build/release/aggregate): scripts/demo runs the three
  months and scripts/e2e_check.py finds no difference. Skipped when there is no binary.
"""
import csv
import datetime as dt
import glob
import gzip
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(REPO, "scripts")
sys.path.insert(0, SCRIPTS)
from spec import CHINA, RULES_VERSION, TOOL, id_check_ok  # noqa: E402  (the contract's constants, scripts/spec.py)


def gen(root, *extra):
    subprocess.run([sys.executable, os.path.join(SCRIPTS, "gen_demo.py"), "--root", root, *extra],
                   check=True, capture_output=True, text=True)


def tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = (fh.read(), int(os.stat(p).st_mtime))
    return out


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def decode(data):
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


class GeneratorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hz-gen-")
        cls.a = os.path.join(cls.tmp, "a")
        gen(cls.a)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_deterministic(self):
        b = os.path.join(self.tmp, "b")
        gen(b)
        self.assertEqual(tree(self.a), tree(b))
        c = os.path.join(self.tmp, "c")
        gen(c, "--seed", "7")
        self.assertNotEqual(tree(self.a), tree(c))

    def test_refuses_existing_data(self):
        r = subprocess.run([sys.executable, os.path.join(SCRIPTS, "gen_demo.py"), "--root", self.a],
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already exists", r.stderr)

    def batches(self):
        # CSV batches in the inboxes, and the CSV twins of the Excel batches (SPEC 8.2)
        return sorted(glob.glob(os.path.join(self.a, "data", "*", "inbox", "*", "batch-*.csv"))
                      + glob.glob(os.path.join(self.a, "excel-twins", "*", "inbox", "*", "batch-*.csv")))

    def test_excel_batches_and_inbox_clutter(self):
        xlsx = sorted(glob.glob(os.path.join(self.a, "data", "*", "inbox", "*", "batch-*.xlsx")))
        self.assertGreaterEqual(len(xlsx), 3)
        for p in xlsx:
            with open(p, "rb") as fh:
                self.assertEqual(fh.read(4), b"PK\x03\x04", p)
            twin = p.replace(os.path.join(self.a, "data"), os.path.join(self.a, "excel-twins"))[:-5] + ".csv"
            self.assertTrue(os.path.exists(twin), twin)
        clutter = os.path.join(self.a, "data", "330108", "inbox", "2012-09")
        self.assertTrue(os.path.exists(os.path.join(clutter, "~$batch-01.xlsx")))
        self.assertTrue(os.path.exists(os.path.join(clutter, "说明.txt")))

    def test_layout_and_sizes(self):
        cfg = load_json(os.path.join(self.a, "pipeline.json"))
        counties = sorted(u["code"] for u in cfg["units"] if u["level"] == "county")
        self.assertGreaterEqual(len(counties), 8)
        for c in counties:
            for p in ("2012-08", "2012-09", "2012-10"):
                files = glob.glob(os.path.join(self.a, "data", c, "inbox", p, "batch-*.csv")) + \
                    glob.glob(os.path.join(self.a, "data", c, "inbox", p, "batch-*.xlsx"))
                self.assertTrue(1 <= len(files) <= 3, (c, p, files))
        for path in self.batches():
            with open(path, "rb") as fh:
                text, _ = decode(fh.read())
            rows = [ln for ln in text.splitlines() if ln.strip(", \u3000")]
            self.assertTrue(25 <= len(rows) <= 215, (path, len(rows)))
        d = load_json(os.path.join(self.a, "delivery.json"))
        self.assertEqual(d["transfers"]["2012-09"], {"110112": "none"})
        self.assertEqual(d["transfers"]["2012-10"], {"330212": "late"})

    def test_ids_and_sex(self):
        total = valid = 0
        sex_ok = 0
        for path in self.batches():
            with open(path, "rb") as fh:
                text, _ = decode(fh.read())
            lines = text.splitlines()
            hi = next(i for i, ln in enumerate(lines) if "姓名" in ln and ("公民身份号码" in ln or "身份证号码" in ln))
            header = next(csv.reader([lines[hi]]))
            idc = next(i for i, h in enumerate(header) if h in ("公民身份号码", "身份证号码"))
            sc = header.index("性别")
            for ln in lines[hi + 1:]:
                cells = next(csv.reader([ln]), [])
                if len(cells) != len(header):
                    continue
                total += 1
                pid = cells[idc].upper()
                if re.fullmatch(r"\d{17}[\dX]", pid) and id_check_ok(pid):
                    valid += 1
                    birth = pid[6:14]
                    self.assertTrue("19840101" <= birth <= "19921231" or birth < "19600101", pid)
                    want = "男" if int(pid[16]) % 2 else "女"
                    sex_ok += cells[sc] in (want, {"男": "1", "女": "2"}[want])
        self.assertGreater(total, 2000)
        self.assertGreater(valid / total, 0.9)
        self.assertGreater(sex_ok / valid, 0.97)
        self.assertLess(sex_ok / valid, 1.0)  # there are deliberate mismatches

    def test_odd_files(self):
        encodings, raw = {}, {}
        for path in self.batches():
            with open(path, "rb") as fh:
                data = fh.read()
            raw[path] = data
            encodings[path] = decode(data)[1]
        gb = [p for p, e in encodings.items() if e == "gb18030"]
        self.assertEqual(len(gb), 1)
        self.assertIn(b"\r\n", raw[gb[0]])
        texts = {p: decode(d)[0] for p, d in raw.items()}
        tpl = [p for p, t in texts.items() if t.startswith("2012届离校未就业高校毕业生信息汇总表")]
        self.assertEqual(len(tpl), 1)
        lines = texts[tpl[0]].splitlines()
        self.assertTrue(lines[1].startswith("填报省份："), lines[1])
        self.assertIn("填报时间：2012年9月3日", lines[1])
        self.assertNotIn("更新时间", lines[2])
        self.assertIn("就业去向（回访结果）", lines[2])
        self.assertTrue(any(t.startswith("姓名,身份证号码,") and ",手机," in t.split("\n")[0] for t in texts.values()))
        self.assertTrue(any(",备注" in t.split("\n")[0] for t in texts.values()))
        self.assertTrue(any(d.startswith(b"\xef\xbb\xbf") for d in raw.values()))
        joined = "\n".join(texts.values())
        for pattern in (r",2012\d\d,", r",(20121332|20120631|20120230),", r",(2013-06-28|20110630|2013/7/1),",
                        r",\d{17}x,", r",\d{15},", r"\n\r?\n"):
            self.assertTrue(re.search(pattern, joined), pattern)


class ShipTests(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="hz-ship-")
        shutil.copy(os.path.join(REPO, "pipeline.json"), self.root)
        self.out = os.path.join(self.root, "data", "110105", "outbox", "2012-09")
        os.makedirs(self.out)
        self.names = ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz", "110105-2012-09.manifest.json"]
        for n in self.names:
            p = os.path.join(self.out, n)
            with open(p, "wb") as f:
                f.write(gzip.compress(b"x") if n.endswith(".gz") else b"{}")
            os.chmod(p, 0o600)
            os.utime(p, (1349150000, 1349150000))

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def ship(self, *args):
        return subprocess.run([os.path.join(SCRIPTS, "ship"), self.root, *args], capture_output=True, text=True)

    def test_preserves_mtime_and_mode(self):
        r = self.ship("110105", "2012-09")
        self.assertEqual(r.returncode, 0, r.stderr)
        inbox = os.path.join(self.root, "data", "110100", "inbox", "2012-09")
        self.assertEqual(sorted(os.listdir(inbox)), sorted(self.names))
        for n in self.names:
            st = os.stat(os.path.join(inbox, n))
            self.assertEqual(int(st.st_mtime), 1349150000)
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual([x for x in os.listdir(os.path.dirname(inbox)) if x.startswith(".ship")], [])

    def test_mtime_option(self):
        r = self.ship("110105", "2012-09", "--mtime", "2012-10-03T08:30:00+08:00")
        self.assertEqual(r.returncode, 0, r.stderr)
        p = os.path.join(self.root, "data", "110100", "inbox", "2012-09", self.names[0])
        self.assertEqual(os.stat(p).st_mtime, dt.datetime(2012, 10, 3, 8, 30, tzinfo=CHINA).timestamp())
        r = self.ship("110105", "2012-09", "--mtime", "2012-10-02 09:00")
        self.assertEqual(os.stat(p).st_mtime, dt.datetime(2012, 10, 2, 9, 0, tzinfo=CHINA).timestamp())

    def test_errors(self):
        self.assertEqual(self.ship("000000", "2012-09").returncode, 1)  # no parent
        self.assertEqual(self.ship("999999", "2012-09").returncode, 1)  # unknown
        self.assertEqual(self.ship("110108", "2012-09").returncode, 1)  # empty outbox
        os.remove(os.path.join(self.out, self.names[2]))
        r = self.ship("110105", "2012-09")
        self.assertEqual(r.returncode, 1)
        self.assertFalse(os.path.exists(os.path.join(self.root, "data", "110100", "inbox", "2012-09", self.names[0])))


def binary():
    b = os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")
    return b if os.access(b, os.X_OK) else None


@unittest.skipUnless(binary(), "no aggregate binary (set AGGREGATE or swift build -c release)")
class DemoEndToEnd(unittest.TestCase):
    def test_demo_then_check(self):
        tmp = tempfile.mkdtemp(prefix="hz-demo-")
        try:
            root = os.path.join(tmp, "demo")
            env = dict(os.environ, AGGREGATE=binary())
            r = subprocess.run([os.path.join(SCRIPTS, "demo"), root], capture_output=True, text=True, env=env,
                               timeout=1800)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertIn("accounting: linesRead", r.stdout)
            self.assertNotIn("✗", r.stdout)
            self.check_audit_totals(root, r.stdout)
            r = subprocess.run([sys.executable, os.path.join(SCRIPTS, "e2e_check.py"), root],
                               capture_output=True, text=True, timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout[-5000:] + r.stderr[-2000:])
            # the tool's files stay private
            for p in glob.glob(os.path.join(root, "data", "*", "outbox", "*", "*")):
                self.assertEqual(stat.S_IMODE(os.stat(p).st_mode) & 0o077, 0, p)
            # the version the generators write into the manifests they make is the tool's own
            manifests = glob.glob(os.path.join(root, "data", "*", "outbox", "*", "*.manifest.json"))
            self.assertTrue(manifests)
            for p in manifests:
                m = load_json(p)
                self.assertEqual((m["tool"], m["rules"]), (TOOL, RULES_VERSION), p)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


    def check_audit_totals(self, root, summary):
        """Issue 13: the audit page's header, its findings list and the demo's summary agree with an
        independent count of the ministry's raw report (docs/audit-totals.md: one finding per key,
        at its lowest level)."""
        import collections
        cfg = json.load(open(os.path.join(root, "pipeline.json"), encoding="utf-8"))
        depth = {u["code"]: {"ministry": 0, "province": 1, "city": 2}.get(u.get("level"), 3) for u in cfg["units"]}
        last = "2012-10"
        path = os.path.join(root, "data", "000000", "outbox", last, f"000000-{last}.discrepancies.csv.gz")
        best = {}
        with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                key = ("I" + row["公民身份号码"] if row["公民身份号码"]
                       else "L" + "|".join([row["来源单位"], row["来源文件"], row["行号"]])) + "|" + row["字段"] + "|" + row["规则"]
                d = depth.get(row["发现单位"], 3)
                b = best.get(key)
                if b is None or d > b[0] or (d == b[0] and row["发现单位"] < b[1]):
                    best[key] = (d, row["发现单位"], row["级别"])
        sev = collections.Counter(v[2] for v in best.values())
        html = open(os.path.join(root, "reports", f"000000-{last}.audit.html"), encoding="utf-8").read()
        self.assertIn(f"问题 {len(best)} 条", html)
        with open(os.path.join(root, "reports", f"000000-{last}.audit-findings.csv"), encoding="utf-8-sig", newline="") as f:
            listed = list(csv.DictReader(f))
        self.assertEqual(len(listed), len(best))
        self.assertEqual(collections.Counter(r["级别"] for r in listed), sev)
        self.assertIn(f"审核问题 audit findings (each once, as in 000000-{last}.audit.html): {len(best)} "
                      f"(拒收 reject {sev['reject']}, 待核 flag {sev['flag']}, 提示 info {sev['info']})", summary)


if __name__ == "__main__":
    unittest.main()
