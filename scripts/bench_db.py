#!/usr/bin/env python3
"""The national database's targets (issue 14), measured with the release binary:

    scripts/bench_db.py --rows 1000000 --months 10 --db postgres://huizong@127.0.0.1:PORT/huizong \
        [--sqlite bench-data/db/national.sqlite] [--out bench-data/db]

Writes --months merged ministry submissions (000000, periods 2012-08 onward) of --rows rows each
(synthetic, deterministic; the first month generated, the others the same rows under the next
periods' manifests, so every load does the full work), loads them one
by one with `aggregate db load`, reloads the last one unchanged, then runs `aggregate stats` of
the last month (every loaded month in the trend), on PostgreSQL and, with --sqlite, on SQLite.
Prints wall and CPU seconds (user+sys of the aggregate process) per step, and the server's share
is not in CPU: on PostgreSQL, wall is the figure. Generated data goes under --out (git-ignored).

    scripts/bench_db.py --month DIR [--baseline OLD-BINARY] [--repeat 2] [--db postgres://…] [--sqlite]

times the analysis jobs of issue 11 item 5 (`db load`, `stats --out`, `report --out`) on one
merged month (DIR: an outbox of `aggregate run`, e.g. the ministry's for scripts/gen_national.py's
data), on SQLite (default) and/or PostgreSQL, for the binary and the baseline alternately, prints
CPU and wall and their ratios, and compares the two binaries' outputs by sha256 (.xlsx aside).
"""
import argparse, gzip, json, os, resource, shutil, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reconcile_check import sha256_file  # noqa: E402  (one file hash for the bench scripts)
from spec import HEADER, RULES_VERSION, with_check_digit as cid  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTIES = ["110105", "110108", "120101", "310104", "330106", "440106", "510107", "420111", "610113", "650102"]
MAJORS = ["法学", "会计学", "计算机科学与技术", "汉语言文学", "护理", "英语", "市场营销", "土木工程"]
NAMES = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"]


def period(i):
    y, m = 2012, 8 + i
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    return f"{y:04d}-{m:02d}"

def write_month(out, rows, k):
    p = period(k)
    d = os.path.join(out, p)
    man = os.path.join(d, f"000000-{p}.manifest.json")
    if os.path.exists(man):
        return d, p
    os.makedirs(d, exist_ok=True)
    if k > 0:  # the same people every month (generating is slow; the load does the same work)
        d0, p0 = write_month(out, rows, 0)
        for suffix in (".csv.gz", ".discrepancies.csv.gz"):
            shutil.copyfile(os.path.join(d0, f"000000-{p0}{suffix}"), os.path.join(d, f"000000-{p}{suffix}"))
        m = json.load(open(os.path.join(d0, f"000000-{p0}.manifest.json"), encoding="utf-8"))
        m["period"], m["asOf"] = p, f"{period(k + 1)}-05T12:00:00+08:00"
        m["outputs"]["summary"]["file"] = f"000000-{p}.csv.gz"
        m["outputs"]["discrepancies"]["file"] = f"000000-{p}.discrepancies.csv.gz"
        with open(man, "w", encoding="utf-8") as f:
            json.dump(m, f, ensure_ascii=False, sort_keys=True)
        return d, p
    ids = []
    for i in range(rows):
        c = COUNTIES[i % len(COUNTIES)]
        day = i // 1000
        ids.append((cid(f"{c}{1985 + day // 336:04d}{1 + day // 28 % 12:02d}{1 + day % 28:02d}{i % 1000:03d}"), i, c))
    ids.sort()
    summ = os.path.join(d, f"000000-{p}.csv.gz")
    with gzip.open(summ, "wt", encoding="utf-8", compresslevel=1, newline="") as f:
        f.write(HEADER + "\n")
        for n, (id_, i, c) in enumerate(ids, 1):
            dest = ["", "", "3", "4", "9", "14"][(i + k) % 6] if (i + k) % 3 else ""
            f.write(f"{n},{NAMES[i % 8]},{'男' if i % 2 else '女'},汉族,{id_},北京大学,20120630,{1 + i % 5},{MAJORS[i % 8]},"
                    f"{c},,100000,138{i:08d},,{'12' if i % 7 == 0 else '4'},2,3,{['2', '25', '4', '13'][i % 4]},{dest},"
                    f"{p}-{1 + i % 28:02d}T10:00:00+08:00,{c}\n")
    rep = os.path.join(d, f"000000-{p}.discrepancies.csv.gz")
    nrep = rows // 10
    with gzip.open(rep, "wt", encoding="utf-8", compresslevel=1, newline="") as f:
        f.write("发现单位,来源单位,来源文件,行号,公民身份号码,姓名,字段,规则,级别,说明,原值\n")
        for j in range(nrep):
            id_, i, c = ids[j * 10]
            f.write(f"{c},{c},{c}-batch.csv,{j + 2},{id_},{NAMES[i % 8]},毕业日期,AGE_IMPLAUSIBLE,flag,年龄不合理,20120630\n")
    m = {"format": "huizong-manifest/1", "unit": "000000", "unitName": "教育部", "level": "ministry", "period": p,
         "asOf": f"{period(k + 1)}-05T12:00:00+08:00", "tool": "bench_db", "rules": RULES_VERSION, "inputs": [],
         "accounting": {"outputRows": rows}, "children": {"expected": [], "received": [], "missing": [], "late": [], "rejected": []},
         "outputs": {"summary": {"file": os.path.basename(summ), "sha256": sha256_file(summ), "rows": rows},
                     "discrepancies": {"file": os.path.basename(rep), "sha256": sha256_file(rep), "rows": nrep}}}
    with open(man, "w", encoding="utf-8") as f:
        json.dump(m, f, ensure_ascii=False, sort_keys=True)
    return d, p

def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return wall, cpu

def tree_hashes(root):
    """sha256 of every file under root except workbooks (.xlsx embed their creation time)."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            path = os.path.join(d, f)
            if not f.endswith(".xlsx"):
                out[os.path.relpath(path, root)] = sha256_file(path)
    return out

def analysis_jobs(a):
    """--month: the analysis jobs people wait on (issue 11 item 5) on one merged month (the
    ministry's outbox of `aggregate run` on scripts/gen_national.py's data): `db load`, `stats
    --out` (JSON and the lists), `report --out`, for --aggregate and, with --baseline, the
    baseline binary, in one invocation, alternating; then the outputs' sha256 compared."""
    man = [f for f in os.listdir(a.month) if f.endswith(".manifest.json")][0]
    unit, p = man[:6], man[7:14]
    engines = ([("SQLite", None)] if not a.db or a.sqlite is not None else []) + ([("PostgreSQL", a.db)] if a.db else [])
    bins = [("new", a.aggregate)] + ([("baseline", a.baseline)] if a.baseline else [])
    print(f"load average before: {os.getloadavg()}")
    results = {}
    for engine, url in engines:
        print(f"\n## {engine}: {unit} {p} ({a.month})\n\n| step | binary | wall s | CPU s (user+sys) |\n|---|---|---:|---:|")
        for rep in range(a.repeat):
            for name, binary in bins:
                work = os.path.join(a.out, "jobs", f"{engine}-{name}")
                shutil.rmtree(work, ignore_errors=True)
                os.makedirs(work)
                db = url or os.path.join(work, "national.sqlite")
                if url:  # a fresh database: drop every table the schema made
                    subprocess.run(["psql", "-q", url, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                steps = [
                    ("db load", [binary, "db", "load", "--db", db, "--unit", unit, "--period", p, os.path.join(a.month, man)]),
                    ("stats --out (json)", [binary, "stats", "--db", db, "--period", p, "--unit", unit, "--format", "json",
                                            "--out", os.path.join(work, "stats")]),
                    ("report --out", [binary, "report", "--db", db, "--period", p, "--unit", unit, "--out", os.path.join(work, "report")]),
                ]
                for step, cmd in steps:
                    w, c = timed(cmd)
                    results.setdefault((engine, step, name), []).append((w, c))
                    print(f"| {step} | {name} | {w:.2f} | {c:.2f} |", flush=True)
        if a.baseline:
            print(f"\n| step ({engine}) | CPU new / baseline (best of {a.repeat}) | wall new / baseline |\n|---|---:|---:|")
            for step in ["db load", "stats --out (json)", "report --out"]:
                n, b = results[(engine, step, "new")], results[(engine, step, "baseline")]
                print(f"| {step} | {min(c for _, c in n):.2f} / {min(c for _, c in b):.2f} = "
                      f"{min(c for _, c in n) / max(min(c for _, c in b), 1e-9):.2f} | "
                      f"{min(w for w, _ in n):.2f} / {min(w for w, _ in b):.2f} |")
            for part in ["stats", "report"]:
                hn = tree_hashes(os.path.join(a.out, "jobs", f"{engine}-new", part))
                hb = tree_hashes(os.path.join(a.out, "jobs", f"{engine}-baseline", part))
                same = hn == hb
                print(f"\n{part} outputs ({len(hn)} files, .xlsx aside): {'IDENTICAL' if same else 'DIFFERENT'}")
                if not same:
                    for f in sorted(set(hn) | set(hb)):
                        if hn.get(f) != hb.get(f):
                            print(f"  differs: {f}")
    if len(engines) == 2:  # issue 14: the same month gives the same analysis files on both engines
        for part in ["stats", "report"]:
            hs = tree_hashes(os.path.join(a.out, "jobs", "SQLite-new", part))
            hp = tree_hashes(os.path.join(a.out, "jobs", "PostgreSQL-new", part))
            print(f"\n{part} outputs, SQLite vs PostgreSQL ({len(hs)} files, .xlsx aside): "
                  f"{'IDENTICAL' if hs == hp and hs else 'DIFFERENT'}")
            for f in sorted(set(hs) | set(hp)):
                if hs.get(f) != hp.get(f):
                    print(f"  differs: {f}")
    print(f"\nload average after: {os.getloadavg()}")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=10)
    ap.add_argument("--db", help="postgres://… (password from PGPASSWORD/~/.pgpass)")
    ap.add_argument("--sqlite", nargs="?", const="", help="also SQLite (the file to load; with --month: a fresh one)")
    ap.add_argument("--month", help="an outbox folder (U-P.manifest.json and its files): time the analysis jobs on it")
    ap.add_argument("--baseline", help="with --month: a second binary, timed alternately, outputs compared")
    ap.add_argument("--repeat", type=int, default=1, help="with --month: runs per binary")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-data", "db"))
    ap.add_argument("--aggregate", default=os.path.join(ROOT, ".build", "release", "aggregate"))
    a = ap.parse_args()
    if a.month:
        return analysis_jobs(a)
    if not a.db:
        sys.exit("--db postgres://… is required (or --month DIR for the analysis jobs)")
    months = [write_month(a.out, a.rows, k) for k in range(a.months)]
    print(f"load average before: {os.getloadavg()}")
    for db in [a.db] + ([a.sqlite] if a.sqlite else []):
        engine = "PostgreSQL" if db.startswith("postgres") else "SQLite"
        print(f"\n## {engine}: {a.months} months x {a.rows} rows\n\n| step | wall s | CPU s (aggregate) |\n|---|---:|---:|")
        for d, p in months:
            w, c = timed([a.aggregate, "db", "load", "--db", db, "--unit", "000000", "--period", p,
                          os.path.join(d, f"000000-{p}.manifest.json")])
            print(f"| db load {p} | {w:.2f} | {c:.2f} |", flush=True)
        d, p = months[-1]
        w, c = timed([a.aggregate, "db", "load", "--db", db, "--unit", "000000", "--period", p,
                      os.path.join(d, f"000000-{p}.manifest.json")])
        print(f"| reload {p} unchanged | {w:.2f} | {c:.2f} |")
        w, c = timed([a.aggregate, "stats", "--db", db, "--period", p, "--format", "json"])
        print(f"| stats {p} (JSON to stdout) | {w:.2f} | {c:.2f} |")
        w, c = timed([a.aggregate, "stats", "--db", db, "--period", p, "--unit", "110000", "--format", "json"])
        print(f"| stats {p} --unit 110000 | {w:.2f} | {c:.2f} |")
    print(f"\nload average after: {os.getloadavg()}")

if __name__ == "__main__":
    main()
