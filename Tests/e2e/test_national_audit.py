"""Issue 13 on a national month: the auditors' totals agree in every place they appear.

A national month (scripts/gen_national.py: 32 province files, the real hierarchy, reports carried
upward) is run at the ministry against its ground truth, loaded, and given to `report` and
`stats`. The totals are then recounted here, independently, from the ministry's raw discrepancy
report by the definition of docs/audit-totals.md (one finding per key — ID + field + rule, or
source unit + file + line + field + rule for a row without an ID — counted at its lowest 发现单位),
and compared with the audit page's header, the findings CSV (rows, 级别, 发现单位) and the line
both `report` and `stats` log.
"""
import collections
import csv
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(REPO, "scripts")
ASOF = "2012-10-05T12:00:00+08:00"  # the generator's truth assumes it


def binary():
    b = os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")
    return b if os.path.exists(b) else None


def recount(report_path, depth):
    """(findings by key -> (depth, 发现单位, 级别), raw rows) by docs/audit-totals.md."""
    best, raw = {}, 0
    with gzip.open(report_path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            raw += 1
            if row["公民身份号码"]:
                key = ("I", row["公民身份号码"], row["字段"], row["规则"])
            else:
                key = ("L", row["来源单位"], row["来源文件"], row["行号"], row["字段"], row["规则"])
            d = depth.get(row["发现单位"], 3)
            b = best.get(key)
            if b is None or d > b[0] or (d == b[0] and row["发现单位"] < b[1]):
                best[key] = (d, row["发现单位"], row["级别"])
    return best, raw


@unittest.skipUnless(binary(), "no aggregate binary (set AGGREGATE or swift build -c release)")
class NationalAuditTotals(unittest.TestCase):
    def test_totals_agree_on_a_national_month(self):
        agg = binary()
        tmp = tempfile.mkdtemp(prefix="hz-national-audit-")
        try:
            month = os.path.join(tmp, "month")
            subprocess.run([sys.executable, os.path.join(SCRIPTS, "gen_national.py"), "--rows", "20000",
                            "--seed", "3", "--out", month], check=True, capture_output=True)
            cfg = os.path.join(month, "pipeline.json")
            r = subprocess.run([agg, "run", "--config", cfg, "--unit", "000000", "--period", "2012-09",
                                "--as-of", ASOF], capture_output=True, text=True, cwd=month)
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            out = os.path.join(month, "data", "000000", "outbox", "2012-09")
            # the run itself against the generator's ground truth
            with gzip.open(os.path.join(out, "000000-2012-09.csv.gz")) as a, \
                    gzip.open(os.path.join(month, "truth", "expected-summary.csv.gz")) as b:
                self.assertEqual(a.read(), b.read())

            db = os.path.join(tmp, "national.sqlite")
            r = subprocess.run([agg, "db", "load", "--db", db, "--config", cfg, "--unit", "000000",
                                "--period", "2012-09"], capture_output=True, text=True, cwd=month)
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            rep = subprocess.run([agg, "report", "--db", db, "--config", cfg, "--period", "2012-09",
                                  "--out", os.path.join(tmp, "reports")], capture_output=True, text=True)
            self.assertEqual(rep.returncode, 0, rep.stderr[-2000:])
            st = subprocess.run([agg, "stats", "--db", db, "--config", cfg, "--period", "2012-09",
                                 "--out", os.path.join(tmp, "stats")], capture_output=True, text=True)
            self.assertEqual(st.returncode, 0, st.stderr[-2000:])

            with open(cfg, encoding="utf-8") as f:
                units = json.load(f)["units"]
            depth = {u["code"]: {"ministry": 0, "province": 1, "city": 2}.get(u.get("level"), 3) for u in units}
            best, raw = recount(os.path.join(out, "000000-2012-09.discrepancies.csv.gz"), depth)
            self.assertGreater(raw, len(best), "a national month re-raises findings: rows > findings")
            sev = collections.Counter(v[2] for v in best.values())
            by_unit = collections.Counter(v[1] for v in best.values())

            with open(os.path.join(tmp, "reports", "000000-2012-09.audit.html"), encoding="utf-8") as f:
                html = f.read()
            self.assertIn(f"问题 {len(best)} 条", html)
            with open(os.path.join(tmp, "reports", "000000-2012-09.audit-findings.csv"),
                      encoding="utf-8-sig", newline="") as f:
                listed = list(csv.DictReader(f))
            self.assertEqual(len(listed), len(best))
            self.assertEqual(collections.Counter(r["级别"] for r in listed), sev)
            self.assertEqual(collections.Counter(r["发现单位"] for r in listed), by_unit)

            line = (f"审核问题 {len(best)} 条（拒收 {sev['reject']}，待核 {sev['flag']}，提示 {sev['info']}；"
                    f"报告行 {raw}）")
            self.assertIn(line, rep.stderr)
            self.assertIn(line, st.stderr)
            # the 按单位 table: every unit's reject / flag / info, as recounted
            table = html[html.index("按单位 By unit"):]
            table = table[:table.index("</table>")]
            shown = {}
            for code, rj, fl, inf in re.findall(r'<tr><td>(\d{6})</td><td>[^<]*</td><td class="n">([\d,]+)</td>'
                                                r'<td class="n">([\d,]+)</td><td class="n">([\d,]+)</td></tr>', table):
                shown[code] = tuple(int(x.replace(",", "")) for x in (rj, fl, inf))
            by_unit_sev = collections.Counter((v[1], v[2]) for v in best.values())
            expected = {u: (by_unit_sev[(u, "reject")], by_unit_sev[(u, "flag")], by_unit_sev[(u, "info")])
                        for u in by_unit}
            self.assertEqual(shown, expected)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
