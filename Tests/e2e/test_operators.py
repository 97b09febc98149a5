#!/usr/bin/env python3
"""Issue 13, operators: what cron and a person at a terminal see, end to end with the binary.

    AGGREGATE=.build/release/aggregate python3 -m unittest Tests/e2e/test_operators.py

Each test is one item of the issue's "What was seen":
- every --help is Chinese first (abstract and every option), `run --help` breaks no sentence;
- a typo (`--unti`) answers "unknown option --unti", not "Missing expected argument '--unit'";
- under --quiet a file rejected whole is still named on stderr (cron mail says which file);
- a missing inbox folder is a warning naming it; a period outside the reporting window and an
  unknown county without a config exit 1; `stats` / `report` for a period never loaded exit 1;
- log lines carry China time whatever TZ says; --log-format json is one object per line;
  --verbose (and HUIZONG_TRACE=1) print the phase times; no progress line when stderr is a pipe;
- the end-of-run summary is Chinese first.
"""
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AS_OF = "2012-10-04T12:00:00+08:00"
CJK = re.compile(r"[\u4e00-\u9fff]")
LEAVES = [["run"], ["validate"], ["db", "load"], ["db", "list"], ["db", "history"], ["stats"], ["report"],
          ["keys", "new"], ["verify"], ["export"], ["desk"]]
GROUPS = [[], ["db"], ["keys"]]


def binary():
    return os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")


def agg(*args, cwd=None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True, env=e, timeout=600)


def first_letter(text):
    """The first character that is a letter (CJK or Latin)."""
    for ch in text:
        if ch.isalpha():
            return ch
    return ""


ENGLISH_WORD = re.compile(r"(?<![\w.$/-])[A-Za-z][a-z]{2,}(?![\w./])")


def chinese_first(text):
    """Chinese comes before the first English word (names like pipeline.json or U.key aside)."""
    cjk = CJK.search(text)
    eng = ENGLISH_WORD.search(text)
    return bool(cjk) and (eng is None or cjk.start() < eng.start())


def option_helps(help_text):
    """(option, help) for each option line of an ArgumentParser help (COLUMNS wide enough for one line)."""
    out = []
    section = None
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z ]+:", line):
            section = line.split(":")[0]
            continue
        m = re.match(r"^  (?:-\w, )?(--[\w-]+)(?: <[\w-]+>)?(?:\s{2,}(.*))?$", line)
        if section == "OPTIONS" and m:
            h = m.group(2) or (lines[i + 1].strip() if i + 1 < len(lines) else "")
            out.append((m.group(1), h))
    return out


class HelpTests(unittest.TestCase):
    def test_every_help_is_chinese_first(self):
        for path in GROUPS + LEAVES:
            with self.subTest(command=" ".join(path) or "aggregate"):
                r = agg(*path, "--help", env={"COLUMNS": "400"})
                self.assertEqual(r.returncode, 0, r.stderr)
                overview = next(l for l in r.stdout.splitlines() if l.startswith("OVERVIEW:"))
                self.assertTrue(chinese_first(overview[len("OVERVIEW:"):]), overview)
                if path in LEAVES:
                    opts = option_helps(r.stdout)
                    names = [o for o, _ in opts]
                    for o in ("--quiet", "--verbose", "--log-format"):
                        self.assertIn(o, names, f"{' '.join(path)} lacks {o}")
                    for o, h in opts:
                        if o in ("--help", "--version"):
                            continue  # ArgumentParser's own
                        self.assertTrue(chinese_first(h), f"{' '.join(path)} {o}: {h!r}")

    def test_run_help_breaks_no_sentence(self):
        r = agg("run", "--help", env={"COLUMNS": "80"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("done,\nbut", r.stdout)
        self.assertIn("done, but an input file was rejected whole or a child is missing", r.stdout)
        # no line of the discussion is a stub left by a hard newline inside a wrapped sentence
        for line in r.stdout.splitlines():
            self.assertNotRegex(line, r"^(but an input|file was rejected whole)")

    def test_typo_is_an_unknown_option(self):
        r = agg("run", "--unti", "110105", "--period", "2012-09", "--out", "/nonexistent/x", "f.csv")
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown option --unti", r.stderr)
        self.assertIn("--unit", r.stderr)  # did you mean
        self.assertNotIn("Missing expected argument", r.stderr)
        r = agg("stats", "--db", "x.db", "--periodd", "2012-09")
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown option --periodd", r.stderr)

    def test_quiet_and_verbose_together_is_a_usage_error(self):
        r = agg("validate", "--quiet", "--verbose", os.path.join(REPO, "fixtures", "clean.csv"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("--quiet", r.stderr)


class RunMessageTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hz-ops-")
        self.empty = os.path.join(self.tmp, "batch-empty.csv")
        open(self.empty, "wb").close()  # rejected whole (FILE_EMPTY)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_county(self, *extra, env=None):
        return agg("run", "--unit", "110105", "--period", "2012-09", "--out", os.path.join(self.tmp, "out"),
                   "--as-of", AS_OF, *extra, os.path.join(REPO, "fixtures", "clean.csv"), self.empty, env=env)

    def test_quiet_still_names_the_rejected_file(self):
        r = self.run_county("--quiet")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        warn = [l for l in r.stderr.splitlines() if "batch-empty.csv" in l]
        self.assertTrue(warn, r.stderr)
        self.assertIn("文件被整体拒收 file rejected whole", warn[0])
        self.assertIn("警告 warning", warn[0])

    def test_summary_is_chinese_first(self):
        r = self.run_county()
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^110105 2012-09：汇总 \d+ 行 rows → ")
        self.assertTrue(any(l.strip().startswith("读入行 lines read") for l in lines), r.stdout)
        for l in lines[1:]:
            self.assertTrue(CJK.match(first_letter(l)), l)

    def test_log_lines_are_china_time_and_json_on_request(self):
        r = self.run_county("--log-format", "json", env={"TZ": "America/New_York"})
        self.assertEqual(r.returncode, 2, r.stderr)
        events = [json.loads(l) for l in r.stderr.splitlines() if l.strip()]
        self.assertTrue(events)
        w = next(e for e in events if e.get("file") == "batch-empty.csv")
        self.assertEqual(w["level"], "warning")
        self.assertEqual(w["kind"], "fileRejected")
        self.assertEqual(w["command"], "aggregate run")
        t = datetime.datetime.strptime(w["time"], "%Y-%m-%d %H:%M:%S.%f+08:00")
        china_now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(hours=8)
        self.assertLess(abs((china_now - t).total_seconds()), 600, w["time"])

    def test_verbose_and_trace_print_phase_times(self):
        for extra, env in ((["--verbose"], None), ([], {"HUIZONG_TRACE": "1"})):
            r = self.run_county(*extra, env=env)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertRegex(r.stderr, r"阶段 phase committed: \+\d+\.\d{3} s")
        r = self.run_county()
        self.assertNotIn("阶段 phase", r.stderr)

    def test_no_progress_line_when_stderr_is_not_a_terminal(self):
        r = self.run_county()
        self.assertNotIn("\r", r.stderr)
        self.assertNotIn("行/秒", r.stderr)

    def test_unknown_county_without_config_is_a_usage_error(self):
        r = agg("run", "--unit", "999999", "--period", "2012-09", "--out", os.path.join(self.tmp, "o9"),
                "--as-of", AS_OF, os.path.join(REPO, "fixtures", "clean.csv"))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("999999", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "o9")))


class LayoutTests(unittest.TestCase):
    """Runs inside a copy of pipeline.json's layout."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hz-ops-")
        shutil.copy(os.path.join(REPO, "pipeline.json"), self.tmp)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_missing_inbox_is_a_warning_naming_it(self):
        r = agg("run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-09", "--as-of", AS_OF,
                "--quiet", cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("data/110105/inbox/2012-09", r.stderr)
        self.assertIn("inbox folder missing", r.stderr)
        self.assertIn("收件箱不存在", r.stderr)

    def test_period_outside_the_reporting_window_is_a_usage_error(self):
        for period in ("2013-07", "2012-07"):
            r = agg("run", "--config", "pipeline.json", "--unit", "110105", "--period", period, "--as-of", AS_OF, cwd=self.tmp)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(period, r.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "data", "110105", "outbox", period)))

    def test_stats_and_report_for_a_period_never_loaded_are_errors(self):
        os.makedirs(os.path.join(self.tmp, "data", "110105", "inbox", "2012-09"))
        for f in ("clean.csv", "defects.csv"):  # defects: findings for the county's own audit page
            shutil.copy(os.path.join(REPO, "fixtures", f), os.path.join(self.tmp, "data", "110105", "inbox", "2012-09"))
        r = agg("run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-09", "--as-of", AS_OF, cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = agg("db", "load", "--config", "pipeline.json", "--db", "n.sqlite", "--unit", "110105", "--period", "2012-09",
                cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = agg("stats", "--db", "n.sqlite", "--period", "2012-10", cwd=self.tmp)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("2012-09", r.stderr)  # names what is loaded
        self.assertEqual(r.stdout, "")
        r = agg("report", "--db", "n.sqlite", "--period", "2012-10", "--out", "rep", cwd=self.tmp)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "rep")))
        # the loaded period still works, and report logs its totals
        r = agg("report", "--db", "n.sqlite", "--period", "2012-09", "--out", "rep", "--per-county", cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        report_line = re.search(r"审核问题 [^；\n]*；[^；\n]*）[^；\n]*\)", r.stderr).group(0)
        self.assertTrue(glob.glob(os.path.join(self.tmp, "rep", "counties", "110105", "110105-2012-09.audit.html")))
        # stats states the same totals (one definition, docs/audit-totals.md) and the page's header agrees
        r = agg("stats", "--db", "n.sqlite", "--period", "2012-09", cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(report_line, r.stderr)
        n = re.match(r"审核问题 (\d+) 条", report_line).group(1)
        html = open(os.path.join(self.tmp, "rep", "000000-2012-09.audit.html"), encoding="utf-8").read()
        self.assertIn(f"问题 {n} 条", html)


if __name__ == "__main__":
    unittest.main()
