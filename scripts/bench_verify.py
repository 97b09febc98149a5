#!/usr/bin/env python3
"""Checks for the benchmark month of scripts/gen_national.py (issue 6).

    scripts/bench_verify.py inputs DIR [--derive]   the generated month is what it claims to be
    scripts/bench_verify.py outputs DIR [--exit-status N]   Huizong's ministry run matches the truth

`inputs` checks, independently of the generator's code, every province file against its manifest
(sha256, rows, period, unit, level, mtime before the deadline), the header, 序号 1..N, LF endings,
the sort by 公民身份号码, and the truth files' shape. With --derive it also re-derives the ground
truth from the files alone — its own small implementation of the SPEC 5 rules the month exercises
and of SPEC 6 — and compares every line's disposition and codes, and the merged summary, with the
generator's truth.

`outputs` checks the ministry's outbox (data/000000/outbox/2012-09) after
`aggregate run --config pipeline.json --unit 000000 --period 2012-09 --as-of 2012-10-05T12:00:00+08:00`:
the manifest's per-input counts, accounting, children and output hashes; the merged summary
(byte for byte, decompressed, against truth/expected-summary.csv.gz); the report's own rows
(发现单位 000000: per line, the rule codes and severities of the truth) and its carried rows (the
provinces' reports, unchanged). Exit 1 with the first differences on any mismatch.
"""

import csv
import datetime
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
from reconcile_check import Row, check_manifest, reconcile, sha256_file  # noqa: E402
from spec import (CHINA as CN, COLUMNS, CONTACT_FIELDS, ETHNIC_GROUPS, ETHNIC_OTHER, HARDSHIP_OPTIONS, ID_CHECK_CHARS,  # noqa: E402
                  ID_WEIGHTS as WEIGHTS, INTENT_OPTIONS, MANIFEST_KEYS, REPORT_COLUMNS as DISC_COLUMNS, severity)

PERIOD = '2012-09'
AS_OF = '2012-10-05T12:00:00+08:00'
DEADLINE = datetime.datetime(2012, 10, 6, 0, 0, 0, tzinfo=CN).timestamp()   # end of the 5th


class Problems:
    def __init__(self, limit=20):
        self.items = []
        self.count = {}
        self.limit = limit

    def add(self, kind, msg):
        self.count[kind] = self.count.get(kind, 0) + 1
        if self.count[kind] <= self.limit:
            self.items.append('%s: %s' % (kind, msg))

    def __bool__(self):
        return bool(self.count)

    def report(self):
        for line in self.items:
            print('  ' + line)
        print('  counts: ' + '; '.join('%s: %d' % kv for kv in sorted(self.count.items())))


def gz_lines(path):
    """Decoded lines (with their line ending) of a gzip file."""
    with gzip.open(path, 'rb') as f:
        for raw in io.BufferedReader(f, 1 << 20):
            yield raw.decode('utf-8')


def load_pipeline(d):
    with open(os.path.join(d, 'pipeline.json'), encoding='utf-8') as f:
        p = json.load(f)
    units = {u['code']: u for u in p['units']}
    return p, units


def provinces_of(units):
    return sorted(c for c, u in units.items() if u.get('parent') == '000000')


def inbox(d):
    return os.path.join(d, 'data', '000000', 'inbox', PERIOD)


# --------------------------------------------------------------------------------------------
# inputs

def check_inputs(d, derive):
    probs = Problems()
    p, units = load_pipeline(d)
    provs = provinces_of(units)
    if len(provs) != 32:
        probs.add('pipeline', '%d children of 000000, 32 expected' % len(provs))
    for bad in ('710000', '810000', '820000'):
        if bad in units:
            probs.add('pipeline', '%s is in the hierarchy' % bad)
    with open(os.path.join(d, 'truth', 'summary.json'), encoding='utf-8') as f:
        truth = json.load(f)
    tin = {e['file']: e for e in truth['inputs']}
    total_rows = 0
    total_gz = total_csv = 0
    for pc in provs:
        base = '%s-%s' % (pc, PERIOD)
        files = [base + '.csv.gz', base + '.discrepancies.csv.gz', base + '.manifest.json']
        paths = [os.path.join(inbox(d), f) for f in files]
        for path in paths:
            if not os.path.exists(path):
                probs.add('missing', path)
            elif os.path.getmtime(path) >= DEADLINE:
                probs.add('late', path)
        if not all(os.path.exists(x) for x in paths):
            continue
        with open(paths[2], encoding='utf-8') as f:
            m = json.load(f)
        for k in MANIFEST_KEYS:
            if k not in m:
                probs.add('manifest', '%s lacks %s' % (files[2], k))
        if m.get('unit') != pc or m.get('level') != 'province' or m.get('period') != PERIOD:
            probs.add('manifest', '%s: unit/level/period %s/%s/%s' % (files[2], m.get('unit'),
                                                                     m.get('level'), m.get('period')))
        # The accounting, each output's sha256 and rows (the one manifest check, reconcile_check).
        check_manifest(m, inbox(d), lambda kind, msg, f=files[2]: probs.add(kind, '%s: %s' % (f, msg)), pc, PERIOD)
        for key, path in (('summary', paths[0]), ('discrepancies', paths[1])):
            o = m.get('outputs', {}).get(key, {})
            if o.get('file') != os.path.basename(path):
                probs.add('manifest', '%s: outputs.%s.file %s' % (files[2], key, o.get('file')))
        with open(paths[0], 'rb') as f:
            head = f.read(10)
        if head[:2] != b'\x1f\x8b' or head[4:8] != b'\0\0\0\0':
            probs.add('gzip', '%s: not gzip with mtime 0' % files[0])
        # The data file: header, 序号, LF, sort order.
        n = 0
        prev = ''
        for i, line in enumerate(gz_lines(paths[0]), 1):
            total_csv += len(line.encode('utf-8'))
            if not line.endswith('\n') or line.endswith('\r\n'):
                probs.add('line end', '%s line %d' % (files[0], i))
            line = line.rstrip('\n')
            if i == 1:
                if line != ','.join(COLUMNS):
                    probs.add('header', files[0])
                continue
            n += 1
            f = line.split(',')
            if f[0] != str(n):
                probs.add('序号', '%s line %d: %s' % (files[0], i, f[0]))
            if f[4] < prev:
                probs.add('sort', '%s line %d: %s after %s' % (files[0], i, f[4], prev))
            prev = f[4]
        total_rows += n
        total_gz += os.path.getsize(paths[0])
        hdr = next(gz_lines(paths[1])).rstrip('\n')
        if hdr != ','.join(DISC_COLUMNS):
            probs.add('header', files[1])
        t = tin.get(files[0])
        if not t or t['linesRead'] != n:
            probs.add('truth', '%s: truth summary says %s lines' % (files[0], t and t['linesRead']))
        tl = 0
        for j, line in enumerate(gz_lines(os.path.join(d, 'truth', base + '.lines.tsv.gz'))):
            if j == 0:
                continue
            tl += 1
            ln = int(line.split('\t', 1)[0])
            if ln != j + 1:
                probs.add('truth', '%s: truth line %d names line %d' % (base, j, ln))
                break
        if tl != n:
            probs.add('truth', '%s: %d truth lines for %d data lines' % (base, tl, n))
    print('inputs: %d province files, %d data lines, %.1f MB gz, %.1f MB csv' % (
        len(provs), total_rows, total_gz / 1e6, total_csv / 1e6))
    if derive:
        derive_truth(d, units, provs, probs)
    if probs:
        print('inputs: FAILED')
        probs.report()
        return 1
    print('inputs: OK')
    return 0


# An independent reading of SPEC 5 (only the canonical notations the generator writes are needed,
# but the rules are written from the SPEC, not from the generator).

def load_reference():
    divs = {}
    with open(os.path.join(ROOT, 'scripts', 'reference', 'divisions.tsv'), encoding='utf-8') as f:
        for line in f:
            x = line.rstrip('\n').split('\t')
            if x[0].isdigit():
                fy = int(x[2])
                divs[x[0]] = min(fy, divs.get(x[0], fy))
    return divs, set(ETHNIC_GROUPS) | set(ETHNIC_OTHER.values())


HAN = re.compile(r'^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff·A-Za-z ]{1,30}$')
ID18 = re.compile(r'^\d{17}[\dX]$')
MOBILE = re.compile(r'^1[3-9]\d{9}$')
LAND = re.compile(r'^0\d{2,3}-?\d{7,8}(-\d+)?$')
EMAIL = re.compile(r'^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$')
TIME = re.compile(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\+08:00$')
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
T0 = datetime.datetime(2012, 1, 1, tzinfo=CN)
ASOF_T = datetime.datetime(2012, 10, 5, 12, 0, 0, tzinfo=CN)


def real_date(s):
    try:
        return datetime.date(int(s[:4]), int(s[4:6]), int(s[6:8])) if len(s) == 8 and s.isdigit() else None
    except ValueError:
        return None


def multi(value, allowed):
    """(canonical, repeated) or None if an option is not allowed."""
    opts = [c for c in value.upper() if c not in '、,， ']
    if not opts or any(c not in allowed for c in opts):
        return None
    uniq = sorted(set(opts), key=allowed.index)
    return ''.join(uniq), len(uniq) != len(opts)


def validate(f, sender, units, divs, eth):
    """Codes (reject and flag) for the 20 body fields f of a row sent by province `sender`, and the
    canonical row (list) or None, and the parsed time (datetime or None)."""
    codes = []
    name, sex, ethnic, pid, school, grad, edu, major, hukou, email, post, mobile, land, hard, work, \
        intent, needs, dest, ts, unit = f
    canon = list(f)
    if not HAN.match(name):
        codes.append('NAME_INVALID')
    if sex not in ('男', '女', '1', '2'):
        codes.append('SEX_INVALID')
    if ethnic not in eth and ethnic + '族' not in eth:
        codes.append('ETHNIC_INVALID')
    birth = None
    if not ID18.match(pid):
        codes.append('ID_FORMAT')
    else:
        total = sum(int(pid[i]) * WEIGHTS[i] for i in range(17))
        if ID_CHECK_CHARS[total % 11] != pid[17]:
            codes.append('ID_CHECKSUM')
        birth = real_date(pid[6:14])
        if birth is None:
            codes.append('ID_BIRTHDATE')
        elif sex in ('男', '女', '1', '2'):
            male = sex in ('男', '1')
            if (int(pid[16]) % 2 == 1) != male:
                codes.append('ID_SEX_MISMATCH')
        if pid[:6] not in divs:
            codes.append('ID_REGION_UNKNOWN')
    if not school or len(school) > 60:
        codes.append('SCHOOL_INVALID')
    if not major or len(major) > 60:
        codes.append('MAJOR_INVALID')
    gd = real_date(grad)
    if gd is None:
        codes.append('GRADDATE_INVALID')
    elif gd.year != 2012:
        codes.append('GRADDATE_WINDOW')
    if edu not in ('1', '2', '3', '4', '5'):
        codes.append('EDU_INVALID')
    if not (len(hukou) == 6 and hukou.isdigit() and divs.get(hukou, 9999) <= 2012):
        codes.append('HUKOU_INVALID')
    if mobile and not MOBILE.match(mobile):
        codes.append('MOBILE_INVALID')
    if land and not LAND.match(land):
        codes.append('LANDLINE_INVALID')
    if not mobile and not land:
        codes.append('NO_PHONE')
    if email and not EMAIL.match(email):
        codes.append('EMAIL_INVALID')
    if post and not (len(post) == 6 and post.isdigit()):
        codes.append('POSTCODE_INVALID')
    repeated = False
    h = multi(hard, HARDSHIP_OPTIONS)
    if h is None or ('4' in h[0] and len(h[0]) > 1):
        codes.append('HARDSHIP_INVALID')
    else:
        canon[13] = h[0]
        repeated |= h[1]
    if work not in ('1', '2', '3'):
        codes.append('WORKPLACE_INVALID')
    it = multi(intent, INTENT_OPTIONS)
    if it is None:
        codes.append('INTENT_INVALID')
    else:
        canon[15] = it[0]
        repeated |= it[1]
        if '9' in it[0] and len(it[0]) > 1:
            codes.append('INTENT_9_COMBINED')
    if needs:
        nd = multi(needs, INTENT_OPTIONS)
        if nd is None:
            codes.append('NEEDS_INVALID')
        else:
            canon[16] = nd[0]
            repeated |= nd[1]
            if it is not None and it[0] == '9':
                codes.append('NEEDS_WITH_9')
    elif it is not None and it[0] != '9':
        codes.append('NEEDS_MISSING')
    if repeated:
        codes.append('MULTI_REPEATED')
    if dest and not (dest.isdigit() and 1 <= int(dest) <= 15 and dest[0] != '0'):
        codes.append('DEST_INVALID')
    t = None
    mt = TIME.match(ts)
    if not mt:
        codes.append('TIME_INVALID')
    else:
        try:
            t = datetime.datetime(*map(int, mt.groups()), tzinfo=CN)
        except ValueError:
            codes.append('TIME_INVALID')
    if t is not None:
        if t < T0:
            codes.append('TIME_TOO_EARLY')
        elif t > ASOF_T:
            codes.append('TIME_FUTURE')
    u = units.get(unit)
    ok = u is not None and u['level'] == 'county'
    while ok and u.get('parent') and u['code'] != sender:
        u = units.get(u['parent'])
    if not (ok and u is not None and u['code'] == sender):
        codes.append('UNIT_FOREIGN')
    if gd is not None and birth is not None:
        age = gd.year - birth.year - ((gd.month, gd.day) < (birth.month, birth.day))
        if age < 15 or age > 60:
            codes.append('AGE_IMPLAUSIBLE')
    if gd is not None and t is not None and datetime.datetime(gd.year, gd.month, gd.day, tzinfo=CN) > t:
        codes.append('GRADDATE_AFTER_UPDATE')
    return codes, canon, t


def derive_truth(d, units, provs, probs):
    divs, eth = load_reference()
    files = sorted('%s-%s.csv.gz' % (p, PERIOD) for p in provs)
    derived = {}      # (file index, line) -> [disposition, set of codes]
    rows = []         # reconcile_check rows, data = (file index, line)
    for fi, name in enumerate(files):
        sender = name[:6]
        for i, line in enumerate(gz_lines(os.path.join(inbox(d), name)), 1):
            if i == 1:
                continue
            row = next(csv.reader([line.rstrip('\n')]))
            if len(row) != len(COLUMNS):
                derived[(fi, i)] = ['rejected', {'LINE_FIELDS'}]
                continue
            codes, canon, t = validate(row[1:], sender, units, divs, eth)
            rejected = any(severity(c) == 'reject' for c in codes)
            derived[(fi, i)] = ['rejected' if rejected else None, set(codes)]
            pid = row[4]
            if ID18.match(pid) and not {'ID_CHECKSUM', 'ID_BIRTHDATE'} & set(codes):
                rows.append(Row(pid, ','.join(canon), t, accepted=not rejected, name=row[1], ethnic=row[3],
                                unit=row[20], dest=row[18], data=(fi, i)))
    merged = {}
    for pid, o in reconcile(rows).items():
        for kind, code, rs in (('duplicate', 'DUPLICATE', o.duplicates), ('superseded', 'SUPERSEDED', o.superseded)):
            for r in rs:
                derived[r.data] = [kind, derived[r.data][1] | {code}]
        dc = derived[o.winner.data]
        dc[0] = 'merged'
        dc[1] |= o.record_codes()
        if o.newest_rejected is not None:
            derived[o.newest_rejected.data][1].add('NEWEST_REJECTED')
        merged[pid] = o.winner.data + (o.winner.content,)
    # Compare with the generator's truth.
    n = 0
    for fi, name in enumerate(files):
        base = name[:-len('.csv.gz')]
        for j, line in enumerate(gz_lines(os.path.join(d, 'truth', base + '.lines.tsv.gz'))):
            if j == 0:
                continue
            ln, pid, disp, codes = line.rstrip('\n').split('\t')
            want = (disp, set(c.split(':')[0] for c in codes.split(';') if c))
            for c in codes.split(';'):
                if c and c.split(':')[1] != severity(c.split(':')[0]):
                    probs.add('truth severity', '%s line %s: %s' % (name, ln, c))
            got = derived.get((fi, int(ln)))
            n += 1
            if got is None or (got[0], got[1]) != want:
                probs.add('derived != truth', '%s line %s (%s): derived %s, truth %s' % (
                    name, ln, pid, got and (got[0], sorted(got[1])), (want[0], sorted(want[1]))))
    k = 0
    for j, line in enumerate(gz_lines(os.path.join(d, 'truth', 'expected-summary.csv.gz'))):
        if j == 0:
            continue
        k += 1
        x = line.rstrip('\n').split(',', 1)
        pid = x[1].split(',')[3]
        m = merged.get(pid)
        if m is None:
            probs.add('merged', 'truth merges %s, derivation does not' % pid)
        elif m[2] != x[1]:
            probs.add('merged', '%s: derived row %s, truth row %s' % (pid, m[2], x[1]))
    if k != len(merged):
        probs.add('merged', 'derivation merges %d IDs, truth %d' % (len(merged), k))
    print('derive: %d lines re-derived from the files, %d merged IDs' % (n, len(merged)))


# --------------------------------------------------------------------------------------------
# outputs

def sort_file(path):
    env = dict(os.environ, LC_ALL='C')
    subprocess.run(['sort', '-S', '256M', '-T', os.path.dirname(path), '-o', path, path], check=True, env=env)


def compare_sorted(a_path, b_path, probs, kind, a_name, b_name):
    """Both files sorted; report lines only in one of them."""
    with open(a_path, encoding='utf-8') as fa, open(b_path, encoding='utf-8') as fb:
        a, b = fa.readline(), fb.readline()
        while a or b:
            if a and (not b or a < b):
                probs.add(kind, 'only in %s: %s' % (a_name, a.rstrip('\n')))
                a = fa.readline()
            elif b and (not a or b < a):
                probs.add(kind, 'only in %s: %s' % (b_name, b.rstrip('\n')))
                b = fb.readline()
            else:
                a, b = fa.readline(), fb.readline()


def check_outputs(d, exit_status):
    probs = Problems()
    p, units = load_pipeline(d)
    provs = provinces_of(units)
    with open(os.path.join(d, 'truth', 'summary.json'), encoding='utf-8') as f:
        truth = json.load(f)
    out = os.path.join(d, 'data', '000000', 'outbox', PERIOD)
    stem = '000000-' + PERIOD
    names = [stem + '.csv.gz', stem + '.discrepancies.csv.gz', stem + '.manifest.json']
    if exit_status is not None and exit_status != truth['exitStatus']:
        probs.add('exit status', '%d, expected %d' % (exit_status, truth['exitStatus']))
    if not os.path.isdir(out):
        probs.add('outbox', 'no %s' % out)
        print('outputs: FAILED')
        probs.report()
        return 1
    extra = sorted(set(os.listdir(out)) - set(names))
    if extra:
        probs.add('outbox', 'unexpected files %s' % extra)
    missing = [n for n in names if not os.path.exists(os.path.join(out, n))]
    for n in missing:
        probs.add('outbox', 'missing %s' % n)
    if missing:
        print('outputs: FAILED')
        probs.report()
        return 1

    # Manifest.
    with open(os.path.join(out, names[2]), encoding='utf-8') as f:
        m = json.load(f)
    for k in MANIFEST_KEYS:
        if k not in m:
            probs.add('manifest', 'no key %s' % k)
    for k, v in (('format', 'huizong-manifest/1'), ('unit', '000000'), ('level', 'ministry'),
                 ('period', PERIOD), ('asOf', AS_OF)):
        if m.get(k) != v:
            probs.add('manifest', '%s is %r, expected %r' % (k, m.get(k), v))
    got_inputs = {e.get('file'): e for e in m.get('inputs', []) if isinstance(e, dict)}
    for e in truth['inputs']:
        g = got_inputs.pop(e['file'], None)
        if g is None:
            probs.add('manifest inputs', 'no entry for %s' % e['file'])
            continue
        for k in ('from', 'status', 'linesRead', 'blank', 'rejected', 'merged', 'superseded', 'duplicate'):
            if g.get(k) != e[k]:
                probs.add('manifest inputs', '%s: %s is %r, expected %r' % (e['file'], k, g.get(k), e[k]))
        sha = sha256_file(os.path.join(inbox(d), e['file']))
        if g.get('sha256') != sha:
            probs.add('manifest inputs', '%s: sha256 is not the file\'s' % e['file'])
    for f in got_inputs:
        probs.add('manifest inputs', 'unexpected entry %s' % f)
    acc = m.get('accounting', {})
    for k, v in truth['accounting'].items():
        if acc.get(k) != v:
            probs.add('manifest accounting', '%s is %r, expected %r' % (k, acc.get(k), v))
    ch = m.get('children', {})
    for k, v in truth['children'].items():
        if sorted(ch.get(k) or []) != sorted(v):
            probs.add('manifest children', '%s is %s, expected %s' % (k, ch.get(k), v if len(v) < 5 else '%d units' % len(v)))
    # The accounting identities, each output's sha256 and rows (the one manifest check).
    check_manifest(m, out, lambda kind, msg: probs.add('manifest ' + kind, msg), '000000', PERIOD)
    for key, n in (('summary', names[0]), ('discrepancies', names[1])):
        o = m.get('outputs', {}).get(key, {})
        if o.get('file') != n:
            probs.add('manifest outputs', '%s.file is %r' % (key, o.get('file')))
    exp_report = truth['report']['rows']
    if m.get('outputs', {}).get('summary', {}).get('rows') != truth['accounting']['outputRows']:
        probs.add('manifest outputs', 'summary.rows is %r, expected %d' % (
            m.get('outputs', {}).get('summary', {}).get('rows'), truth['accounting']['outputRows']))
    if m.get('outputs', {}).get('discrepancies', {}).get('rows') != exp_report:
        probs.add('manifest outputs', 'discrepancies.rows is %r, expected %d' % (
            m.get('outputs', {}).get('discrepancies', {}).get('rows'), exp_report))

    # Merged summary, against the expected one (both sorted by ID).
    check_summary(os.path.join(out, names[0]), os.path.join(d, 'truth', 'expected-summary.csv.gz'), probs)

    # Report.
    check_report(d, provs, os.path.join(out, names[1]), probs)

    if probs:
        print('outputs: FAILED (ground truth mismatch)')
        probs.report()
        return 1
    print('outputs: OK (manifest, %d merged rows, %d report rows match the ground truth)' % (
        truth['accounting']['outputRows'], exp_report))
    return 0


def check_summary(got_path, want_path, probs):
    try:
        g = gz_lines(got_path)
        w = gz_lines(want_path)
        gh, wh = next(g, ''), next(w, '')
    except (OSError, EOFError, UnicodeDecodeError) as e:
        probs.add('summary', 'unreadable: %s' % e)
        return
    if gh != wh:
        probs.add('summary', 'header %r, expected %r' % (gh.rstrip('\n'), wh.rstrip('\n')))

    def keyed(it, what):
        prev = ''
        for n, line in enumerate(it, 2):
            body = line.split(',', 1)[1] if ',' in line else line
            pid = body.split(',', 4)[3] if body.count(',') >= 4 else ''
            if pid < prev:
                probs.add('summary order', '%s line %d: %s after %s' % (what, n, pid, prev))
            prev = pid
            yield pid, n, line

    gi, wi = keyed(g, 'output'), keyed(w, 'expected')
    a, b = next(gi, None), next(wi, None)
    n = 0
    try:
        while a or b:
            if a and b and a[0] == b[0]:
                if a[2] != b[2]:
                    probs.add('summary row', 'line %d: got %s  expected %s' % (a[1], a[2].rstrip('\n'), b[2].rstrip('\n')))
                a, b = next(gi, None), next(wi, None)
            elif a and (not b or a[0] < b[0]):
                probs.add('summary extra ID', 'line %d: %s' % (a[1], a[2].rstrip('\n')))
                a = next(gi, None)
            else:
                probs.add('summary missing ID', '%s (expected line %d)' % (b[0], b[1]))
                b = next(wi, None)
            n += 1
    except (OSError, EOFError, UnicodeDecodeError) as e:
        probs.add('summary', 'unreadable: %s' % e)


def check_report(d, provs, path, probs):
    files = {'%s-%s.csv.gz' % (p, PERIOD): p for p in provs}
    tmp = tempfile.mkdtemp(prefix='bench-verify-', dir=os.path.dirname(os.path.abspath(path)) if False else None)
    own_got = os.path.join(tmp, 'own-got')
    own_want = os.path.join(tmp, 'own-want')
    car_got = os.path.join(tmp, 'carried-got')
    car_want = os.path.join(tmp, 'carried-want')
    sep = '\x1f'
    try:
        with open(own_got, 'w', encoding='utf-8') as og, open(car_got, 'w', encoding='utf-8') as cg:
            rd = csv.reader(io.TextIOWrapper(gzip.open(path), 'utf-8', newline=''))
            hdr = next(rd, None)
            if hdr != DISC_COLUMNS:
                probs.add('report', 'header %s' % hdr)
                return
            for n, r in enumerate(rd, 2):
                if len(r) != len(DISC_COLUMNS):
                    probs.add('report', 'line %d has %d fields' % (n, len(r)))
                    continue
                finder, src, sfile, line, pid, name, field, code, level, msg, raw = r
                if finder != '000000':
                    cg.write(sep.join(r) + '\n')
                    continue
                if sfile not in files:
                    probs.add('report own row', 'line %d: finding about %r (%s %s)' % (n, sfile, code, level))
                    continue
                if src != files[sfile]:
                    probs.add('report own row', 'line %d: 来源单位 %s for %s' % (n, src, sfile))
                if field in CONTACT_FIELDS and raw:
                    probs.add('report contact value', 'line %d: 原值 of %s is not empty' % (n, field))
                idv = '' if code.startswith('LINE_') else pid
                og.write('%s\t%09d\t%s:%s\t%s\n' % (sfile, int(line) if line.isdigit() else -1, code, level, idv))
        with open(own_want, 'w', encoding='utf-8') as ow:
            for sfile in sorted(files):
                base = sfile[:-len('.csv.gz')]
                for j, line in enumerate(gz_lines(os.path.join(d, 'truth', base + '.lines.tsv.gz'))):
                    if j == 0:
                        continue
                    ln, pid, disp, codes = line.rstrip('\n').split('\t')
                    for c in codes.split(';'):
                        if c:
                            idv = '' if c.startswith('LINE_') else pid
                            ow.write('%s\t%09d\t%s\t%s\n' % (sfile, int(ln), c, idv))
        with open(car_want, 'w', encoding='utf-8') as cw:
            for sfile in sorted(files):
                dpath = os.path.join(inbox(d), sfile.replace('.csv.gz', '.discrepancies.csv.gz'))
                rd = csv.reader(io.TextIOWrapper(gzip.open(dpath), 'utf-8', newline=''))
                next(rd)
                for r in rd:
                    cw.write(sep.join(r) + '\n')
        for f in (own_got, own_want, car_got, car_want):
            sort_file(f)
        compare_sorted(own_got, own_want, probs, 'report own rows (file, line, code:level, ID)', 'output', 'truth')
        compare_sorted(car_got, car_want, probs, 'report carried rows', 'output', 'provinces\' reports')
    finally:
        for f in (own_got, own_want, car_got, car_want):
            if os.path.exists(f):
                os.remove(f)
        os.rmdir(tmp)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('inputs', 'outputs'):
        print(__doc__)
        return 2
    d = sys.argv[2]
    if sys.argv[1] == 'inputs':
        return check_inputs(d, '--derive' in sys.argv[3:])
    status = None
    if '--exit-status' in sys.argv:
        status = int(sys.argv[sys.argv.index('--exit-status') + 1])
    return check_outputs(d, status)


if __name__ == '__main__':
    sys.exit(main())
