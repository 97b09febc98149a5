#!/usr/bin/env python3
"""End-to-end check of a run hierarchy (e.g. the demo) against a separate, deliberately simple
re-implementation of the reconcile rules.

    python3 scripts/e2e_check.py ROOT [--config FILE] [--full] [--max N]

ROOT is the directory the layout in pipeline.json is relative to (default config:
ROOT/pipeline.json). For every period found in the counties' inboxes:

1. Manifests, every unit, every level: per input and in total, linesRead = blank + rejected +
   merged + superseded + duplicate; outputRows = merged + carriedForward; the totals are the sums
   over the inputs read; outputs.*.rows are the files' row counts and outputs.*.sha256 their
   hashes; unit and period are the run's.

2. Recompute (plain Python, no code shared with the product), bottom-up:
   - county C, period P: every line of every intake batch in C's inbox for P (UTF-8 or GB18030,
     BOM, CRLF, header found by 姓名 + 公民身份号码, aliases, 附件2 preamble 填报时间), minus blank
     lines and minus the lines C's own report rejects (the validation rules are not
     re-implemented: the set of rejected lines is taken from the county's report), plus C's
     table for P-1 as recomputed here (the base table);
   - above county: the recomputed tables of the children whose data file is in the unit's inbox;
   - reconcile (SPEC 6): key = normalised ID; identical canonical content = duplicate; latest
     更新时间 wins; ties by the greatest canonical CSV line, byte-wise;
   - carried forward above county: every ID of the unit's recomputed P-1 table without an
     accepted row in P (STALE if its 登记单位 lies under a child that sent nothing, else VANISHED).
   Then compares with each unit's output: the set of IDs and, per ID, the winning 更新时间,
   就业去向 and 登记单位 (--full: the whole canonical line); and the manifest's merged,
   carriedForward, linesRead, blank, duplicate, superseded and the report's STALE/VANISHED rows.

3. Children: the manifest's children.expected/received/missing/late against the configuration,
   the unit's inbox and the data files' mtimes (late: after the end of the sending level's
   deadlineDay of the next month, China time).

Prints every difference (at most --max per kind and unit) and exits 1 if there is any, else 0.
"""
import argparse
import collections
import csv
import datetime as dt
import glob
import gzip
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reconcile_check import Row, check_manifest, reconcile  # noqa: E402  (the one reconcile checker)
from spec import (ALIASES, BODY_COLUMNS as OUT_COLS, CHINA, EDUCATION as EDU, ETHNIC_GROUPS as ETHNIC,  # noqa: E402
                  ETHNIC_OLD_NAMES, ETHNIC_OTHER, INTENT_OPTIONS, upgrade_id15)


# ------------------------------------------------------------------------------ normalisation
def halfwidth(s):
    out = []
    for ch in s:
        o = ord(ch)
        if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
            out.append(chr(o - 0xFEE0))
        elif ch == "，":
            out.append(",")
        else:
            out.append(ch)
    return "".join(out)


def general(s):
    return halfwidth(s.strip(" \t\r\n\u3000")).strip(" \t\u3000")


def header_name(s):
    s = general(s)
    s = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)
    s = s.replace(" ", "").replace("\u3000", "")
    return ALIASES.get(s, s)


def norm_id(s):
    s = general(s).upper()
    if re.fullmatch(r"\d{15}", s):
        s = upgrade_id15(s)
    return s


def norm_date(s):
    s = general(s)
    for pat in (r"(\d{4})(\d{2})(\d{2})", r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{4})/(\d{1,2})/(\d{1,2})",
                r"(\d{4})\.(\d{1,2})\.(\d{1,2})", r"(\d{4})年(\d{1,2})月(\d{1,2})日"):
        m = re.fullmatch(pat, s)
        if m:
            return f"{int(m[1]):04d}{int(m[2]):02d}{int(m[3]):02d}"
    return s


def parse_time(s):
    s = general(s)
    # SPEC 8.2: the time as Excel displays it, YYYY/M/D H:MM[:SS], China time
    m = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d\d)(?::(\d\d))?", s)
    if m:
        try:
            return dt.datetime(*(int(g) for g in m.groups(default="0")), tzinfo=CHINA)
        except ValueError:
            return None
    try:
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=CHINA)
    return t.astimezone(CHINA)


def fmt_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S+08:00")


def norm_multi(s):
    s = general(s)
    s = re.sub(r"[、,， \u3000]", "", s).replace("a", "A")
    order = INTENT_OPTIONS
    seen = []
    for ch in s:
        if ch not in seen:
            seen.append(ch)
    return "".join(sorted(seen, key=lambda c: order.index(c) if c in order else 99))


def norm_ethnic(s):
    s = general(s)
    s = ETHNIC_OLD_NAMES.get(s, ETHNIC_OLD_NAMES.get(s + "族", s))
    if re.fullmatch(r"\d{2}", s):
        n = int(s)
        return ETHNIC[n - 1] if 1 <= n <= 56 else ETHNIC_OTHER.get(n, s)
    if s in ETHNIC or s in ETHNIC_OTHER.values():
        return s
    if s + "族" in ETHNIC:
        return s + "族"
    return s


def canonical(raw, unit, fill_time):
    """raw: column -> text of one accepted line. Returns column -> canonical text (OUT_COLS)."""
    c = {}
    name = general(raw.get("姓名", ""))
    c["姓名"] = re.sub(r"[•・．.]", "·", name)
    sex = general(raw.get("性别", ""))
    c["性别"] = {"1": "男", "2": "女"}.get(sex, sex)
    c["民族"] = norm_ethnic(raw.get("民族", ""))
    c["公民身份号码"] = norm_id(raw.get("公民身份号码", ""))
    c["毕业院校"] = general(raw.get("毕业院校", ""))
    c["毕业日期"] = norm_date(raw.get("毕业日期", ""))
    edu = general(raw.get("学历", ""))
    c["学历"] = EDU.get(edu, edu)
    c["所学专业"] = general(raw.get("所学专业", ""))
    c["入学前户口所在地"] = general(raw.get("入学前户口所在地", ""))
    c["电子邮箱"] = general(raw.get("电子邮箱", ""))
    c["邮编"] = general(raw.get("邮编", ""))
    mob = general(raw.get("手机号码", ""))
    if mob.startswith("+86"):
        mob = mob[3:].strip()
    elif mob.startswith("86"):
        mob = mob[2:].strip()
    c["手机号码"] = mob
    c["固定电话"] = general(raw.get("固定电话", ""))
    for k in ("困难状况", "就业意向", "就业服务需求"):
        c[k] = norm_multi(raw.get(k, ""))
    c["就业地意向"] = general(raw.get("就业地意向", ""))
    c["就业去向"] = general(raw.get("就业去向", ""))
    if "更新时间" in raw:
        t = parse_time(raw["更新时间"])
    else:
        t = fill_time
    c["更新时间"] = fmt_time(t) if t else "?" + general(raw.get("更新时间", ""))
    reg = general(raw.get("登记单位", ""))
    c["登记单位"] = reg or unit
    return c


def canon_line(c):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([c[k] for k in OUT_COLS])
    return buf.getvalue().encode("utf-8")


# ------------------------------------------------------------------------------ reading files
def read_lines(path):
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def xlsx_lines(path):
    """A workbook's first sheet with a header line, as CSV lines (line i = sheet row i), read with
    openpyxl: numbers as their shortest decimal, dates of 毕业日期 as YYYYMMDD and of 更新时间 as
    YYYY-MM-DD HH:MM:SS (Excel keeps wall-clock time: China time), rows after the last one holding
    a value dropped, every row as wide as the sheet."""
    import openpyxl  # scripts/setup installs it
    wb = openpyxl.load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
        header = None
        for r in rows:
            names = [header_name(str(v)) if v is not None else "" for v in r]
            if "姓名" in names and "公民身份号码" in names:
                header = names
                break
        if header is None:
            continue
        while rows and all(v is None or v == "" for v in rows[-1]):
            rows.pop()
        out = []
        for r in rows:
            cells = []
            for j, v in enumerate(r):
                col = header[j] if j < len(header) else ""
                if v is None:
                    cells.append("")
                elif isinstance(v, bool):
                    cells.append("TRUE" if v else "FALSE")
                elif isinstance(v, dt.datetime):
                    v = (v + dt.timedelta(microseconds=500000)).replace(microsecond=0) if v.microsecond else v
                    cells.append(v.strftime("%Y%m%d") if col == "毕业日期" else v.strftime("%Y-%m-%d %H:%M:%S"))
                elif isinstance(v, float):
                    cells.append(str(int(v)) if v.is_integer() else repr(v))
                else:
                    cells.append(str(v))
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow(cells)
            out.append(buf.getvalue())
        return out
    return []


TABLE_SUFFIXES = (".csv", ".csv.gz", ".xlsx", ".xls")


def is_table_name(name):
    """SPEC 8.1: the inbox names a run reads (lock files and dot files passed over)."""
    return not name.startswith(("~$", ".")) and name.lower().endswith(TABLE_SUFFIXES)


def cells_of(line):
    return next(csv.reader([line]), [])


def is_blank(line):
    return re.fullmatch(r"[, \t\u3000]*", line) is not None


class Parsed:
    """An input file split into header, preamble and numbered data lines."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as fh:
            zipped = fh.read(4) == b"PK\x03\x04"
        self.lines = xlsx_lines(path) if zipped else read_lines(path)
        self.header_at = None  # 0-based index
        self.columns = []
        self.fill_time = None
        for i, line in enumerate(self.lines):
            names = [header_name(x) for x in cells_of(line)]
            if "姓名" in names and "公民身份号码" in names:
                self.header_at, self.columns = i, names
                break
            for cell in cells_of(line):
                cell = general(cell)
                if "填报时间" in cell:
                    v = cell.split("填报时间", 1)[1].lstrip(":：").strip()
                    g = re.findall(r"\d+", v)
                    if len(g) == 3:
                        self.fill_time = dt.datetime(int(g[0]), int(g[1]), int(g[2]), tzinfo=CHINA)
                    elif len(g) == 1 and len(g[0]) == 8:
                        self.fill_time = dt.datetime(int(g[0][:4]), int(g[0][4:6]), int(g[0][6:]), tzinfo=CHINA)

    def data(self):
        """(line number from 1, text) for every line after the header."""
        if self.header_at is None:
            return []
        return [(i + 1, self.lines[i]) for i in range(self.header_at + 1, len(self.lines))]


# ------------------------------------------------------------------------------ reconcile
class Rec(Row):
    """An accepted line as reconcile_check sees it, with its canonical columns and where it came from."""
    __slots__ = ("c", "src")

    def __init__(self, c, src):
        super().__init__(c["公民身份号码"], canon_line(c), c["更新时间"], name=c["姓名"], ethnic=c["民族"],
                         unit=c["登记单位"], dest=c["就业去向"])
        self.c = c
        self.src = src


def winners_of(recs):
    """recs in (file, line) order -> (winners by ID, duplicate count, superseded count)."""
    outcomes = reconcile(recs)
    return ({pid: o.winner for pid, o in outcomes.items()}, sum(len(o.duplicates) for o in outcomes.values()),
            sum(len(o.superseded) for o in outcomes.values()))


# ------------------------------------------------------------------------------ the check
class Checker:
    def __init__(self, root, config, full, maxn):
        self.root, self.cfg, self.full, self.maxn = root, config, full, maxn
        self.units = {u["code"]: u for u in config["units"]}
        self.children = collections.defaultdict(list)
        for u in config["units"]:
            if u.get("parent"):
                self.children[u["parent"]].append(u["code"])
        self.problems = collections.Counter()
        self.shown = collections.Counter()
        self.model = {}  # (unit, period) -> {id: Rec}
        self.checked = 0

    def path(self, which, unit, period):
        return os.path.join(self.root, self.cfg["layout"][which].replace("{unit}", unit).replace("{period}", period))

    def problem(self, where, kind, msg):
        key = (where, kind)
        self.problems[key] += 1
        if self.shown[key] < self.maxn:
            print(f"DIFF {where}: {kind}: {msg}")
            self.shown[key] += 1
        elif self.shown[key] == self.maxn:
            print(f"DIFF {where}: {kind}: ... (more not shown)")
            self.shown[key] += 1

    def under(self, code, ancestor):
        seen = set()
        while code and code not in seen:
            if code == ancestor:
                return True
            seen.add(code)
            code = self.units.get(code, {}).get("parent")
        return False

    def level_order(self):
        order = {"county": 0, "city": 1, "province": 2, "ministry": 3}
        depth = {}

        def height(u):  # children first, whatever the level names
            if u not in depth:
                depth[u] = 1 + max((height(c) for c in self.children.get(u, [])), default=-1)
            return depth[u]
        return sorted(self.units, key=lambda u: (height(u), order.get(self.units[u].get("level"), 9), u))

    def periods(self):
        found = set()
        for u, info in self.units.items():
            if info.get("level") == "county":
                pat = self.path("inbox", u, "*")
                for d in glob.glob(pat):
                    if os.path.isdir(d) and re.fullmatch(r"\d{4}-\d{2}", os.path.basename(d)):
                        found.add(os.path.basename(d))
        return sorted(found)

    @staticmethod
    def prev(p):
        y, m = map(int, p.split("-"))
        return f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"

    # ---- manifests ----------------------------------------------------------------------
    def load_outputs(self, unit, period):
        d = self.path("outbox", unit, period)
        mp = os.path.join(d, f"{unit}-{period}.manifest.json")
        if not os.path.exists(mp):
            return None
        where = f"{unit} {period}"
        m = json.load(open(mp, encoding="utf-8"))
        found = check_manifest(m, d, lambda kind, msg: self.problem(where, kind, msg), unit, period, load=True)
        self.checked += 1
        return m, found.get("summary"), found.get("discrepancies")

    # ---- the model ---------------------------------------------------------------------
    def county_model(self, unit, period, m, report):
        where = f"{unit} {period}"
        rejected_lines, rejected_files = set(), set()
        for r in report or []:
            if r["发现单位"] != unit or r["级别"] != "reject":
                continue
            if r["行号"].strip():
                rejected_lines.add((r["来源文件"], int(r["行号"])))
            else:
                rejected_files.add(r["来源文件"])
        for e in m.get("inputs", []):
            if e.get("status") == "rejected":
                rejected_files.add(e.get("file"))
        recs, lines_read, blank = [], 0, 0
        base = None
        pp = self.prev(period)
        if os.path.exists(os.path.join(self.path("outbox", unit, pp), f"{unit}-{pp}.manifest.json")):
            base = self.model.get((unit, pp))
            if base is None:
                self.problem(where, "model", f"no recomputed table for {unit} {pp} to use as the base table")
        if base:
            for pid in sorted(base):
                recs.append(base[pid])
            lines_read += len(base)
        inbox = self.path("inbox", unit, period)
        files = sorted(os.listdir(inbox)) if os.path.isdir(inbox) else []
        for name in files:
            full = os.path.join(inbox, name)
            if not is_table_name(name) and not name.startswith(("~$", ".")):
                skipped = [r for r in report or [] if r["来源文件"] == name and r["规则"] == "FILE_SKIPPED"]
                if len(skipped) != 1:
                    self.problem(where, "inbox", f"{name}: not a table, want one FILE_SKIPPED finding, found {len(skipped)}")
            if not os.path.isfile(full) or name in rejected_files or not is_table_name(name):
                continue
            f = Parsed(full)
            if f.header_at is None:
                self.problem(where, "model", f"{name}: no header line found here, but the file was not rejected whole")
                continue
            for no, line in f.data():
                lines_read += 1
                if is_blank(line):
                    blank += 1
                    continue
                if (name, no) in rejected_lines:
                    continue
                cells = cells_of(line)
                if len(cells) != len(f.columns) or line.count('"') % 2:
                    self.problem(where, "model", f"{name} line {no}: malformed line not rejected")
                    continue
                raw = {}
                for col, val in zip(f.columns, cells):
                    if col in OUT_COLS:
                        raw[col] = val
                c = canonical(raw, unit, f.fill_time)
                if c["更新时间"].startswith("?"):
                    self.problem(where, "model", f"{name} line {no}: accepted with an 更新时间 this check cannot read")
                recs.append(Rec(c, f"{unit} {name}:{no}"))
        winners, dup, sup = winners_of(recs)
        return winners, {"linesRead": lines_read, "blank": blank, "duplicate": dup, "superseded": sup,
                         "merged": len(winners), "carriedForward": 0}, {}

    def upper_model(self, unit, period):
        where = f"{unit} {period}"
        inbox = self.path("inbox", unit, period)
        recs, lines_read, missing = [], 0, []
        for ch in sorted(self.children.get(unit, [])):
            if not os.path.isfile(os.path.join(inbox, f"{ch}-{period}.csv.gz")):
                missing.append(ch)
                continue
            t = self.model.get((ch, period))
            if t is None:
                self.problem(where, "model", f"child {ch}'s file is here but {ch} {period} has no outputs to recompute")
                continue
            for pid in sorted(t):
                recs.append(t[pid])
            lines_read += len(t)
        winners, dup, sup = winners_of(recs)
        merged = len(winners)
        carried = {}
        pp = self.prev(period)
        prev = None
        if os.path.exists(os.path.join(self.path("outbox", unit, pp), f"{unit}-{pp}.manifest.json")):
            prev = self.model.get((unit, pp))
        kinds = collections.Counter()
        for pid, r in sorted((prev or {}).items()):
            if pid not in winners:
                winners[pid] = r
                stale = any(self.under(r.c["登记单位"], ch) for ch in missing)
                carried[pid] = "STALE" if stale else "VANISHED"
                kinds[carried[pid]] += 1
        return winners, {"linesRead": lines_read, "blank": 0, "duplicate": dup, "superseded": sup,
                         "merged": merged, "carriedForward": len(carried)}, kinds

    def deadline_end(self, child, period):
        """End of the child's deadline day in the month after period (China time), as a timestamp."""
        dd = (self.cfg.get("reporting") or {}).get("deadlineDay", 5)
        day = dd.get(self.units[child].get("level"), 5) if isinstance(dd, dict) else int(dd)
        y, mo = map(int, period.split("-"))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return dt.datetime(y, mo, day, 23, 59, 59, tzinfo=CHINA).timestamp() + 1

    def check_children(self, unit, period, m):
        """children.expected/received/missing/late against the configuration and the inbox."""
        where = f"{unit} {period}"
        kids = sorted(self.children.get(unit, []))
        inbox = self.path("inbox", unit, period)
        got = [c for c in kids if os.path.isfile(os.path.join(inbox, f"{c}-{period}.csv.gz"))]
        late = [c for c in got
                if os.stat(os.path.join(inbox, f"{c}-{period}.csv.gz")).st_mtime >= self.deadline_end(c, period)]
        want = {"expected": kids, "received": got, "missing": [c for c in kids if c not in got], "late": late}
        ch = m.get("children") or {}
        for k, v in want.items():
            if sorted(ch.get(k, [])) != v:
                self.problem(where, "children", f"children.{k} is {sorted(ch.get(k, []))}, expected {v}")

    # ---- compare -----------------------------------------------------------------------
    def compare(self, unit, period, model, counts, kinds, m, table, report):
        where = f"{unit} {period}"
        self.check_children(unit, period, m)
        a = m.get("accounting", {})
        for k, v in counts.items():
            if a.get(k) != v:
                self.problem(where, "counts", f"accounting.{k} is {a.get(k)}, recomputed {v}")
        if self.units[unit].get("level") != "county" and a.get("rejected", 0):
            self.problem(where, "counts", f"{a.get('rejected')} rows of the children's tables rejected above county")
        if kinds is not None:
            got = collections.Counter(r["规则"] for r in report or []
                                      if r["发现单位"] == unit and r["规则"] in ("STALE", "VANISHED"))
            for k in ("STALE", "VANISHED"):
                if got[k] != kinds.get(k, 0):
                    self.problem(where, "carried", f"{got[k]} {k} findings, recomputed {kinds.get(k, 0)}")
        out = {}
        for row in table or []:
            pid = row.get("公民身份号码", "")
            if pid in out:
                self.problem(where, "table", f"ID {pid} appears twice")
            out[pid] = row
        for pid in sorted(set(model) - set(out)):
            self.problem(where, "missing ID", f"{pid} ({model[pid].c['姓名']}, from {model[pid].src}) recomputed, not in the output")
        for pid in sorted(set(out) - set(model)):
            self.problem(where, "extra ID", f"{pid} ({out[pid].get('姓名')}) in the output, not recomputed")
        fields = OUT_COLS if self.full else ("更新时间", "就业去向", "登记单位")
        for pid in sorted(set(model) & set(out)):
            mc, oc = model[pid].c, out[pid]
            diffs = [f"{k}: output {oc.get(k)!r}, recomputed {mc[k]!r}" for k in fields if oc.get(k) != mc[k]]
            if diffs:
                self.problem(where, "winner", f"{pid} ({mc['姓名']}, winner from {model[pid].src}): " + "; ".join(diffs))

    def run(self):
        periods = self.periods()
        if not periods:
            print(f"e2e_check: no county inbox periods under {self.root}", file=sys.stderr)
            return 1
        order = self.level_order()
        summary = []
        for p in periods:
            top = None
            for unit in order:
                loaded = self.load_outputs(unit, p)
                if loaded is None:
                    continue
                m, table, report = loaded
                if self.units[unit].get("level") == "county" or not self.children.get(unit):
                    model, counts, kinds = self.county_model(unit, p, m, report)
                    kinds = None
                else:
                    model, counts, kinds = self.upper_model(unit, p)
                self.model[(unit, p)] = model
                self.compare(unit, p, model, counts, kinds, m, table, report)
                top = (unit, p, len(model))
            if top:
                summary.append(f"{top[0]} {top[1]}: {top[2]} IDs")
        total = sum(self.problems.values())
        print(f"e2e_check: {self.checked} manifests over {len(periods)} periods ({', '.join(periods)}); "
              + "; ".join(summary))
        if total:
            print(f"e2e_check: FAIL, {total} differences: "
                  + ", ".join(f"{w} {k} {n}" for (w, k), n in sorted(self.problems.items())))
            return 1
        print("e2e_check: OK — every manifest balances and every unit's table matches the recomputation")
        return 0


def main():
    ap = argparse.ArgumentParser(description="Recompute a run hierarchy's tables and compare.")
    ap.add_argument("root", metavar="ROOT")
    ap.add_argument("--config", help="pipeline.json (default ROOT/pipeline.json)")
    ap.add_argument("--full", action="store_true", help="compare every column of the winning rows")
    ap.add_argument("--max", type=int, default=10, help="differences shown per unit and kind (default 10)")
    a = ap.parse_args()
    cfg = json.load(open(a.config or os.path.join(a.root, "pipeline.json"), encoding="utf-8"))
    sys.exit(Checker(a.root, cfg, a.full, a.max).run())


if __name__ == "__main__":
    main()
