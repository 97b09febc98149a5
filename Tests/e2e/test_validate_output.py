#!/usr/bin/env python3
"""`aggregate validate` prints findings as it reads (SPEC 8.5: memory does not grow with
findings): its three formats must still be whole, well-formed documents in line order.

    AGGREGATE=.build/release/aggregate python3 -m unittest Tests/e2e/test_validate_output.py

Expected values come from the fixtures' README table (hand counts) and the JSON/CSV parsers of
Python, not from the binary. Skipped without a built binary.
"""
import csv
import io
import json
import os
import subprocess
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")
FIX = os.path.join(REPO, "fixtures")
ASOF = "2012-10-04T12:00:00+08:00"


def validate(*args):
    r = subprocess.run([BIN, "validate", "--unit", "110105", "--as-of", ASOF, *args],
                       capture_output=True, text=True)
    return r.returncode, r.stdout


@unittest.skipUnless(os.access(BIN, os.X_OK), "no aggregate binary")
class ValidateOutputTests(unittest.TestCase):
    def test_json_is_one_document_with_counts_matching_its_findings(self):
        rc, out = validate("--format", "json", os.path.join(FIX, "defects.csv"), os.path.join(FIX, "clean.csv"))
        self.assertEqual(rc, 1)
        doc = json.loads(out)
        self.assertEqual(list(doc), ["findings", "byRule", "bySeverity", "wouldReject"])
        self.assertTrue(doc["wouldReject"])
        findings = doc["findings"]
        self.assertGreater(len(findings), 20)
        self.assertEqual(sum(doc["byRule"].values()), len(findings))
        self.assertEqual(sum(doc["bySeverity"].values()), len(findings))
        # clean.csv has no finding at all (fixtures/README.md): every finding is defects.csv's,
        # in line order.
        self.assertEqual({f["file"] for f in findings}, {os.path.join(FIX, "defects.csv")})
        lines = [f["line"] for f in findings]
        self.assertEqual(lines, sorted(lines))

    def test_json_without_findings(self):
        rc, out = validate("--format", "json", os.path.join(FIX, "clean.csv"))
        self.assertEqual(rc, 0)
        doc = json.loads(out)
        self.assertEqual(doc["findings"], [])
        self.assertEqual(doc["byRule"], {})
        self.assertEqual(doc["bySeverity"], {"reject": 0, "flag": 0, "info": 0})
        self.assertIs(doc["wouldReject"], False)
        self.assertTrue(out.startswith('{\n  "findings": [],\n  "byRule": {},\n'), out[:80])

    def test_text_and_csv_agree_with_json(self):
        files = [os.path.join(FIX, "defects.csv"), os.path.join(FIX, "template-2012.csv")]
        _, js = validate("--format", "json", *files)
        doc = json.loads(js)
        _, text = validate("--format", "text", *files)
        body, _, tail = text.partition("\n--\n")
        self.assertEqual(len(body.splitlines()), len(doc["findings"]))
        counts = {l.split("\t")[0]: int(l.split("\t")[2]) for l in tail.splitlines() if "\t" in l}
        self.assertEqual(counts, doc["byRule"])
        _, c = validate("--format", "csv", *files)
        rows = list(csv.reader(io.StringIO(c)))
        self.assertEqual(rows[0], ["文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别", "说明", "原值"])
        self.assertEqual([r[5] for r in rows[1:]], [f["rule"] for f in doc["findings"]])

    def test_a_rejected_file_is_one_finding(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "empty.csv")
            open(p, "w").close()
            rc, out = validate("--format", "json", p)
        self.assertEqual(rc, 1)
        doc = json.loads(out)
        self.assertEqual([f["rule"] for f in doc["findings"]], ["FILE_EMPTY"])


if __name__ == "__main__":
    unittest.main()
