"""The one independent reconciliation checker of the Python tools: SPEC 6 (dedup and
reconciliation) and SPEC 3.2 (a manifest balances and names its outputs truly), written from
../shared/SPEC.md, sharing no code with the product. Used by the end-to-end check of a run hierarchy
(scripts/e2e_check.py: the demo, Tests/e2e) and by the bench's ground-truth check
(scripts/bench_verify.py: the national month).

- `reconcile(rows)`: the rows of one unit's run, in reading order, to what SPEC 6 makes of each ID:
  the winner, the DUPLICATE and SUPERSEDED rows, and the record findings (CONFLICT,
  IDENTITY_MISMATCH, MULTIPLE_REGISTRATION, DEST_EMPTIED, NEWEST_REJECTED).
- `check_manifest(m, directory, add)`: the accounting identities, per input read and in total, and
  each output file's sha256 and row count against the manifest.
"""
import csv
import gzip
import hashlib
import io
import os

from spec import LINE_PARTS


class Row:
    """One line that takes part in a run's reconcile.

    id: the normalised 18-digit ID (the key); content: the canonical line of the 20 body columns
    (str or bytes; compared as written: code-point order of a str is the byte order of its UTF-8);
    time: the canonical 更新时间 (anything ordered; None for a rejected row whose time is
    unreadable); accepted: the row passed the reject rules. name, ethnic, unit, dest: 姓名, 民族,
    登记单位, 就业去向 as canonical text (for the record findings). data: the caller's own.
    """
    __slots__ = ("id", "content", "time", "accepted", "name", "ethnic", "unit", "dest", "data")

    def __init__(self, id, content, time, accepted=True, name="", ethnic="", unit="", dest="", data=None):
        self.id, self.content, self.time, self.accepted = id, content, time, accepted
        self.name, self.ethnic, self.unit, self.dest, self.data = name, ethnic, unit, dest, data


class Outcome:
    """What SPEC 6 makes of one ID with at least one accepted row."""
    __slots__ = ("winner", "duplicates", "superseded", "conflict", "identity_mismatch",
                 "multiple_registration", "dest_emptied", "newest_rejected")

    def __init__(self):
        self.winner = None
        self.duplicates, self.superseded = [], []
        self.conflict = self.identity_mismatch = self.multiple_registration = self.dest_emptied = False
        self.newest_rejected = None

    def record_codes(self):
        """The record findings on the winner's line (SPEC 3.3: one flag row per ID)."""
        return {c for c, on in (("CONFLICT", self.conflict), ("IDENTITY_MISMATCH", self.identity_mismatch),
                                ("MULTIPLE_REGISTRATION", self.multiple_registration),
                                ("DEST_EMPTIED", self.dest_emptied)) if on}


def reconcile(rows):
    """rows in reading order (files in order, lines ascending) -> {id: Outcome}, in order of first
    appearance, for every ID with an accepted row (SPEC 6):
    - only accepted rows take part; identical content is one version, the later copies DUPLICATE;
    - the latest 更新时间 wins; a tie goes to the greatest canonical line (CONFLICT); the other
      versions are SUPERSEDED;
    - IDENTITY_MISMATCH: the accepted rows disagree on 姓名 or 民族; MULTIPLE_REGISTRATION: on
      登记单位; DEST_EMPTIED: the winner's 就业去向 is empty where an older accepted row had one;
    - NEWEST_REJECTED: the first of the newest rejected rows, if newer than the winner."""
    by_id = {}
    for r in rows:
        by_id.setdefault(r.id, []).append(r)
    out = {}
    for pid, rs in by_id.items():
        ok = [r for r in rs if r.accepted]
        if not ok:
            continue
        o = Outcome()
        versions = {}
        for r in ok:
            if r.content in versions:
                o.duplicates.append(r)
            else:
                versions[r.content] = r
        latest = max(r.time for r in versions.values())
        top = [r for r in versions.values() if r.time == latest]
        o.winner = max(top, key=lambda r: r.content)
        o.superseded = [r for r in versions.values() if r is not o.winner]
        o.conflict = len(top) > 1
        o.identity_mismatch = len({(r.name, r.ethnic) for r in ok}) > 1
        o.multiple_registration = len({r.unit for r in ok}) > 1
        o.dest_emptied = not o.winner.dest and any(r.dest and r.time < latest for r in ok)
        rejected = [r for r in rs if not r.accepted and r.time is not None]
        if rejected:
            newest = max(rejected, key=lambda r: r.time)
            if newest.time > latest:
                o.newest_rejected = newest
        out[pid] = o
    return out


# ---------------------------------------------------------------------------------- manifests

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gzip_csv_rows(path):
    """The records of a gzip'd CSV file (header first), streamed."""
    with gzip.open(path, "rb") as raw:
        yield from csv.reader(io.TextIOWrapper(raw, "utf-8", newline=""))


def check_manifest(m, directory, add, unit=None, period=None, load=False):
    """Checks a manifest `m` (parsed JSON) whose outputs lie in `directory` (SPEC 3.2); calls
    add(kind, message) for each problem: unit and period (when given) are the run's; per input
    read and in total linesRead = blank + rejected + merged + superseded + duplicate; the totals are
    the sums over the inputs read; outputRows = merged + carriedForward = the summary's rows; each
    output file exists, with the manifest's sha256 and row count.
    Returns {output key: its rows as dicts} when load, else {output key: its row count}."""
    if unit is not None and m.get("unit") != unit or period is not None and m.get("period") != period:
        add("manifest", f"names unit {m.get('unit')} period {m.get('period')}")
    sums = dict.fromkeys(("linesRead",) + LINE_PARTS, 0)
    for e in m.get("inputs", []):
        if e.get("status") != "read":
            continue
        if e.get("linesRead") != sum(e.get(k, 0) for k in LINE_PARTS):
            add("accounting", f"input {e.get('file')}: linesRead {e.get('linesRead')} != "
                + " + ".join(f"{k} {e.get(k)}" for k in LINE_PARTS))
        for k in sums:
            sums[k] += e.get(k, 0)
    a = m.get("accounting", {})
    if a.get("linesRead") != sum(a.get(k, 0) for k in LINE_PARTS):
        add("accounting", f"linesRead {a.get('linesRead')} != " + " + ".join(f"{k} {a.get(k)}" for k in LINE_PARTS))
    if a.get("outputRows") != a.get("merged", 0) + a.get("carriedForward", 0):
        add("accounting", f"outputRows {a.get('outputRows')} != merged {a.get('merged')} + "
            f"carriedForward {a.get('carriedForward')}")
    for k, v in sums.items():
        if a.get(k) != v:
            add("accounting", f"accounting.{k} {a.get(k)} is not the sum over the inputs read ({v})")
    found = {}
    for key in ("summary", "discrepancies"):
        o = (m.get("outputs") or {}).get(key) or {}
        f = os.path.join(directory, str(o.get("file", "")))
        if not os.path.isfile(f):
            add("outputs", f"{key} file {o.get('file')} missing")
            continue
        if sha256_file(f) != str(o.get("sha256", "")).lower():
            add("outputs", f"{o.get('file')}: sha256 is not the manifest's")
        it = gzip_csv_rows(f)
        header = next(it, [])
        if load:
            rows = [dict(zip(header, r)) for r in it]
            n = len(rows)
            found[key] = rows
        else:
            n = sum(1 for _ in it)
            found[key] = n
        if o.get("rows") != n:
            add("outputs", f"{o.get('file')}: {n} rows, manifest says {o.get('rows')}")
        if key == "summary" and a.get("outputRows") != n:
            add("outputs", f"outputRows {a.get('outputRows')} but the table has {n} rows")
    return found
