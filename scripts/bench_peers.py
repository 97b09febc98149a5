#!/usr/bin/env python3
"""The peers Huizong is measured against (scripts/bench runs them; issue 6).

    scripts/bench_peers.py duckdb OUT.csv.gz FILE...   DuckDB keep-latest query, 2 threads
    scripts/bench_peers.py python OUT.csv.gz FILE...   plain Python: csv + gzip, dict keyed by ID

Both keep, per 公民身份号码, the row with the latest 更新时间 (compared as text) and write a gzip CSV
sorted by ID. Neither validates anything. Prints one JSON line: {"peer", "rowsIn", "rowsOut"}.
"""

import csv
import gzip
import io
import json
import sys


def duckdb_peer(out, files):
    import duckdb
    con = duckdb.connect()
    con.execute('SET threads=2')
    lst = '[' + ', '.join("'%s'" % f.replace("'", "''") for f in files) + ']'
    # all_varchar: every column as text. ignore_errors: without it the first line with a wrong
    # field count (LINE_FIELDS) aborts the query; with it DuckDB silently drops bad lines — and,
    # after an unterminated quote, every line up to the next quote (the month has none).
    src = ("read_csv(%s, all_varchar=true, header=true, delim=',', quote='\"', escape='\"', "
           "ignore_errors=true)" % lst)
    res = con.execute("COPY (SELECT * FROM %s QUALIFY row_number() OVER (PARTITION BY 公民身份号码 "
                      "ORDER BY 更新时间 DESC) = 1 ORDER BY 公民身份号码) TO '%s' (HEADER, COMPRESSION gzip)"
                      % (src, out.replace("'", "''"))).fetchall()
    return None, res[0][0]   # COPY answers the number of rows it wrote


def python_peer(out, files):
    latest = {}          # ID -> (更新时间, the line as read)
    header = None
    rows_in = 0
    last = [None]

    def lines(f):
        for line in f:
            last[0] = line
            yield line

    for path in files:
        with gzip.open(path, 'rt', encoding='utf-8', newline='') as f:
            rd = csv.reader(lines(f))
            hdr = next(rd)
            header = header or last[0]
            idx = hdr.index('公民身份号码')
            tdx = hdr.index('更新时间')
            for row in rd:
                rows_in += 1
                if len(row) <= tdx:
                    continue
                k = row[idx]
                old = latest.get(k)
                if old is None or row[tdx] > old[0]:
                    latest[k] = (row[tdx], last[0])
    with gzip.open(out, 'wt', encoding='utf-8', newline='', compresslevel=6) as f:
        f.write(header)
        for k in sorted(latest):
            f.write(latest[k][1])
    return rows_in, len(latest)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ('duckdb', 'python'):
        print(__doc__)
        return 2
    peer, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    rows_in, rows_out = (duckdb_peer if peer == 'duckdb' else python_peer)(out, files)
    print(json.dumps({'peer': peer, 'rowsIn': rows_in, 'rowsOut': rows_out}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
