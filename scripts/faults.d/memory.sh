#!/usr/bin/env bash
# Bounded memory and speed (SPEC 7 "Streaming", 8.5), run by scripts/faults with
#   AGG  = absolute path of the release `aggregate`
#   WORK = a fresh temporary directory
#   REPO = the repository root
# Prints one line per case: `PASS <name>` or `FAIL <name>: <why>`; ends within about two minutes.
#
# Peak memory is the process's maximum RSS (/usr/bin/time %M). Speed is lines per second of CPU
# time (user + sys): on a quiet machine that is at most the wall-clock rate (a run reads on two
# threads), and on a busy one it does not depend on the neighbours. Wall time is shown too.
set -uo pipefail
: "${AGG:?AGG must name the aggregate binary}" "${WORK:?}" "${REPO:?}"
export TMPDIR="$WORK"   # where spools spill: checked empty at the end
export SWIFT_BACKTRACE=enable=no
LIMIT_KB=$((256 * 1024))
ASOF=2012-10-04T12:00:00+08:00
HEADER="$(head -1 "$REPO/fixtures/clean.csv")"

# measure NAME EXPECTED_EXIT LINES CMD... : runs CMD under /usr/bin/time; sets RSS_KB, CPU, WALL, RC
measure() {
  local name="$1"; shift
  /usr/bin/time -f '%M %U %S %e' -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"
  RC=$?
  read -r RSS_KB USER SYS WALL < <(tail -1 "$WORK/$name.time")
  CPU=$(awk -v u="$USER" -v s="$SYS" 'BEGIN { printf "%.2f", u + s }')
}

# check NAME EXPECTED_EXIT LINES [min_rate]: judges the last measure
check() {
  local name="$1" want="$2" lines="$3" min_rate="${4:-}"
  local rate
  rate=$(awk -v n="$lines" -v c="$CPU" 'BEGIN { printf "%d", (c > 0 ? n / c : n * 100) }')
  local info="rss $((RSS_KB / 1024)) MB, $lines lines in ${CPU} s CPU / ${WALL} s wall = $rate lines/s"
  if [ "$RC" != "$want" ]; then
    echo "FAIL $name: exit $RC, expected $want ($info); stderr: $(head -c 300 "$WORK/$name.err" | tr '\n' ' ')"
  elif [ "$RSS_KB" -ge "$LIMIT_KB" ]; then
    echo "FAIL $name: peak RSS $((RSS_KB / 1024)) MB >= 256 MB ($info)"
  elif [ -n "$min_rate" ] && [ "$rate" -lt "$min_rate" ]; then
    echo "FAIL $name: $rate lines/s < $min_rate ($info)"
  else
    echo "PASS $name ($info)"
  fi
}

# rule_in_report OUTDIR RULE: the report has a row of RULE
rule_in_report() { gzip -dc "$1"/110105-2012-09.discrepancies.csv.gz | grep -q ",$2,"; }

# One gzip member of N MiB repeating LINE (then copied: multi-member gzip is one stream).
member() { # LINE MIB OUT [LEVEL]
  local line="$1" mib="$2" out="$3" level="${4:-1}"
  yes "$line" | head -c $((mib << 20)) | gzip -"$level"n > "$out"
}

# 1. 5,000,000 malformed lines: run
{ echo "$HEADER"; yes a,b | head -n 5000000; } > "$WORK/malformed.csv"
measure run_5m_malformed "$AGG" run --unit 110105 --period 2012-09 --out "$WORK/out-malformed" --as-of "$ASOF" "$WORK/malformed.csv"
check run_5m_malformed 0 5000000 1000000

# 2. the same file: validate (exit 1: rows would be rejected)
measure validate_5m_malformed "$AGG" validate --unit 110105 --as-of "$ASOF" "$WORK/malformed.csv"
check validate_5m_malformed 1 5000000 1000000
if [ "$(grep -c ': LINE_FIELDS: ' "$WORK/validate_5m_malformed.out")" != 5000000 ]; then
  echo "FAIL validate_5m_malformed_lines: validate did not print 5,000,000 LINE_FIELDS findings"
fi
rm -f "$WORK/malformed.csv" "$WORK/validate_5m_malformed.out"

# 3. a gzip that inflates to 1 GiB of blank lines (Excel's empty rows: 20 commas), at far more
#    than 100x its size but not past 1 GiB: read whole, every line blank.
blank=",,,,,,,,,,,,,,,,,,,,"   # 21 bytes a line with its LF
member "$blank" 64 "$WORK/blank64.gz"
member "$blank" 63 "$WORK/blank63.gz"
{ echo "$HEADER" | gzip -n; for _ in $(seq 15); do cat "$WORK/blank64.gz"; done; cat "$WORK/blank63.gz"; } > "$WORK/blank.csv.gz"
# Lines are counted by their LFs: a 64 MiB member ends 4 bytes into a line, which the next member
# completes (one longer blank line), and the 63 MiB member ends on an LF.
blank_lines=$(( 15 * ((64 << 20) / 21) + (63 << 20) / 21 ))
measure gzip_1gib_blank "$AGG" run --unit 110105 --period 2012-09 --out "$WORK/out-blank" --as-of "$ASOF" "$WORK/blank.csv.gz"
check gzip_1gib_blank 0 "$blank_lines" 1000000
grep -q "\"blank\": $blank_lines" "$WORK/out-blank/110105-2012-09.manifest.json" \
  || echo "FAIL gzip_1gib_blank_counted: the manifest does not count $blank_lines blank lines"
rm -f "$WORK/blank64.gz" "$WORK/blank63.gz" "$WORK/blank.csv.gz"

# 4. 1.5 GB of `a,b` lines gzipped to about 1.5 MB: FILE_INFLATE_LIMIT, exit 2, no crash.
member "a,b" 64 "$WORK/ab64.gz" 9
{ echo "$HEADER" | gzip -n; for _ in $(seq 23); do cat "$WORK/ab64.gz"; done; } > "$WORK/bomb.csv.gz"
measure gzip_bomb_ab "$AGG" run --unit 110105 --period 2012-09 --out "$WORK/out-bomb" --as-of "$ASOF" "$WORK/bomb.csv.gz"
check gzip_bomb_ab 2 $((23 * (64 << 20) / 4))
rule_in_report "$WORK/out-bomb" FILE_INFLATE_LIMIT || echo "FAIL gzip_bomb_ab_rule: no FILE_INFLATE_LIMIT in the report"
rm -f "$WORK/ab64.gz" "$WORK/bomb.csv.gz"

# 5. 200 MB of one row repeated: every line after the first a DUPLICATE; memory bounded.
row="$(sed -n 2p "$REPO/fixtures/clean.csv")"
{ echo "$HEADER"; yes "$row" | head -c $((200 * 1000 * 1000)) | head -n -1; } > "$WORK/dups.csv"
dup_lines=$(($(wc -l < "$WORK/dups.csv") - 1))
measure duplicates_200mb "$AGG" run --unit 110105 --period 2012-09 --out "$WORK/out-dups" --as-of "$ASOF" "$WORK/dups.csv"
check duplicates_200mb 0 "$dup_lines"
grep -q "\"duplicate\": $((dup_lines - 1))" "$WORK/out-dups/110105-2012-09.manifest.json" \
  || echo "FAIL duplicates_200mb_counted: the manifest does not count $((dup_lines - 1)) duplicates"
rm -f "$WORK/dups.csv"

# Spools are unlinked at once: nothing may be left behind.
left=$(find "$WORK" -name 'huizong-spool-*' | wc -l)
[ "$left" = 0 ] && echo "PASS spool_files_unlinked" || echo "FAIL spool_files_unlinked: $left spool files left in TMPDIR"
