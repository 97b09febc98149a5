#!/usr/bin/env bash
# Fault cases for the edges of issue 9 (SPEC 7, 8.5), run by scripts/faults with AGG, WORK, REPO.
# One line per case: PASS <name> | FAIL <name>: <why>. Python 3 (standard library) for data
# generation and for reading gzip'd reports.
set -uo pipefail
: "${AGG:?}" "${WORK:?}" "${REPO:?}"
cd "$WORK" || exit 1
ASOF=2012-10-04T12:00:00+08:00
CLEAN=$REPO/fixtures/clean.csv
ERR=$WORK/stderr.txt   # the last command's standard error (outside the trees compared)

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
# A listing of a tree with each file's sha256, for "nothing changed" checks.
snap() { (cd "$1" && find . -mindepth 1 \( -type f -printf '%p ' -exec sha256sum {} \; \) -o \( ! -type f -printf '%p %y\n' \) | sort); }
run() { "$AGG" run --unit "${UNIT:-110105}" --period 2012-09 --as-of "$ASOF" "$@"; }
sha_of_set() { (cd "$1" 2>/dev/null && sha256sum 110105-2012-09.csv.gz 110105-2012-09.discrepancies.csv.gz 110105-2012-09.manifest.json 2>/dev/null | awk '{print $1}' | tr '\n' ' '); }
# Rows of a report whose 规则 is $2 (and whose 说明 contains $3, if given).
report_rule() {
  python3 - "$1" "$2" "${3:-}" <<'PY'
import csv, gzip, io, sys
rows = list(csv.DictReader(io.TextIOWrapper(gzip.open(sys.argv[1]), "utf-8")))
print(sum(1 for r in rows if r["规则"] == sys.argv[2] and sys.argv[3] in r["说明"]))
PY
}
manifest_get() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); exec("v=m"+sys.argv[2]); print(v)' "$1" "$2"; }

# A county intake file of N valid rows (IDs with correct check digits), deterministic.
gen_rows() {
  python3 - "$1" "$2" "${3:-0}" "$REPO/scripts" <<'PY'
import sys
n, path, offset = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
from spec import HEADER, check_digit
names = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"]
with open(path, "w", encoding="utf-8") as f:
    f.write(HEADER + "\n")
    for i in range(offset, offset + n):
        birth = "19%02d%02d%02d" % (88 + i % 4, 1 + (i // 4) % 12, 1 + (i // 48) % 28)
        seq = (i // 1344) % 1000
        body = "110105" + birth + "%03d" % seq
        check = check_digit(body)
        sex = "男" if seq % 2 == 1 else "女"
        f.write("%d,%s,%s,汉族,%s%s,北京大学,20120630,3,法学,110105,,100020,138%08d,,4,2,3,2,,2012-09-01 10:00:00,110105\n"
                % (i + 1, names[i % 8], sex, body, check, i % 100000000))
PY
}

# ---------------------------------------------------------------- output-path misuses (item 1)

case_out_is_inbox() {
  local d=$WORK/out-in; mkdir -p "$d/in" && cd "$d" && cp "$CLEAN" in/
  local before; before=$(snap .)
  for out in in in/ ./in in/. in//; do
    run --out "$out" in/clean.csv >/dev/null 2>"$ERR"; local rc=$?
    [ $rc -eq 1 ] || { fail out_is_inbox "--out $out: exit $rc (want 1)"; cd "$WORK"; return; }
    [ "$(snap .)" == "$before" ] || { fail out_is_inbox "--out $out: the tree changed"; cd "$WORK"; return; }
  done
  # A folder holding the input folder, also through a symbolic link.
  mkdir -p b && mv in b/ && ln -s b/in link && before=$(snap .)
  run --out b link/clean.csv >/dev/null 2>"$ERR"; local rc=$?
  [ $rc -eq 1 ] && [ "$(snap .)" == "$before" ] || { fail out_is_inbox "--out holding the input folder via a link: exit $rc or tree changed"; cd "$WORK"; return; }
  # Below the inputs is fine.
  run --out b/in/out link/clean.csv >/dev/null 2>"$ERR" && [ -f b/in/clean.csv ] && [ -f b/in/out/110105-2012-09.csv.gz ] \
    || { fail out_is_inbox "--out below the inputs refused: $(cat "$ERR")"; cd "$WORK"; return; }
  pass out_is_inbox; cd "$WORK"
}

case_layout_outbox_is_inbox() {
  local d=$WORK/layout bad=""
  for outbox in 'data/{unit}/inbox/{period}/' './data/{unit}/inbox/{period}' 'data/{unit}/./inbox/{period}' \
                'data//{unit}/inbox/{period}' 'data/{unit}/inbox/{period}/.' 'data/{unit}'; do
    rm -rf "$d"; mkdir -p "$d/data/110105/inbox/2012-09" && cd "$d"
    cp "$CLEAN" data/110105/inbox/2012-09/
    cat > pipeline.json <<JSON
{"cohort": 2012, "layout": {"inbox": "data/{unit}/inbox/{period}", "outbox": "$outbox"},
 "units": [{"code": "110100", "level": "city"}, {"code": "110105", "level": "county", "parent": "110100"}]}
JSON
    local before; before=$(snap .)
    "$AGG" run --config pipeline.json --unit 110105 --period 2012-09 --as-of "$ASOF" >/dev/null 2>"$ERR"; local rc=$?
    if [ $rc -ne 1 ] || [ "$(snap .)" != "$before" ]; then bad="$bad $outbox(exit $rc)"; fi
    cd "$WORK"
  done
  [ -z "$bad" ] && pass layout_outbox_is_inbox || fail layout_outbox_is_inbox "not refused or changed:$bad"
}

case_duplicate_layout_key() {
  local d=$WORK/dupkey; mkdir -p "$d/data/110105/inbox/2012-09" && cd "$d"
  cp "$CLEAN" data/110105/inbox/2012-09/
  cat > pipeline.json <<'JSON'
{"cohort": 2012,
 "layout": {"inbox": "data/{unit}/inbox/{period}", "outbox": "data/{unit}/outbox/{period}"},
 "layout": {"inbox": "data/{unit}/inbox/{period}", "outbox": "data/{unit}/in{period}"},
 "units": [{"code": "110100", "level": "city"}, {"code": "110105", "level": "county", "parent": "110100"}]}
JSON
  local before; before=$(snap .)
  "$AGG" run --config pipeline.json --unit 110105 --period 2012-09 --as-of "$ASOF" >/dev/null 2>"$ERR"; local rc=$?
  if [ $rc -eq 1 ] && grep -q layout "$ERR" && [ "$(snap .)" == "$before" ]; then pass duplicate_layout_key
  else fail duplicate_layout_key "exit $rc: $(head -c 300 "$ERR")"; fi
  cd "$WORK"
}

case_out_is_a_file() {
  local d=$WORK/outfile; mkdir -p "$d/in" && cd "$d" && cp "$CLEAN" in/ && echo keep > somefile
  local before; before=$(snap .)
  run --out somefile in/clean.csv >/dev/null 2>"$ERR"; local rc=$?
  if [ $rc -eq 1 ] && [ "$(snap .)" == "$before" ]; then pass out_is_a_file; else fail out_is_a_file "exit $rc, or somefile changed"; fi
  cd "$WORK"
}

case_two_units_one_out() {
  local d=$WORK/twounits; mkdir -p "$d/in" && cd "$d" && cp "$CLEAN" in/
  run --out out in/clean.csv >/dev/null 2>&1
  local before; before=$(snap .)
  UNIT=110108 run --out out in/clean.csv >/dev/null 2>"$ERR"; local rc=$?
  if [ $rc -eq 1 ] && [ "$(snap .)" == "$before" ] && grep -q '110105-2012-09.manifest.json' "$ERR"; then pass two_units_one_out
  else fail two_units_one_out "exit $rc: $(head -c 300 "$ERR")"; fi
  cd "$WORK"
}

case_stray_file_named() {
  local d=$WORK/stray; mkdir -p "$d/in" && cd "$d" && cp "$CLEAN" in/
  run --out out in/clean.csv >/dev/null 2>&1
  echo note > out/说明.txt
  local before; before=$(snap .)
  run --out out in/clean.csv >/dev/null 2>"$ERR"; local rc=$?
  if [ $rc -eq 1 ] && [ "$(snap .)" == "$before" ] && grep -q '说明.txt' "$ERR"; then pass stray_file_named
  else fail stray_file_named "exit $rc: $(head -c 300 "$ERR")"; fi
  cd "$WORK"
}

case_modes_under_umask_000() {
  local d=$WORK/modes; mkdir -p "$d/in" && cd "$d" && cp "$CLEAN" in/
  (umask 000; run --out new/out in/clean.csv >/dev/null 2>&1)
  local bad; bad=$(find new -type d ! -perm 700 -o -type f ! -perm 600 | head -3)
  [ -z "$bad" ] && [ -f new/out/110105-2012-09.csv.gz ] && pass modes_under_umask_000 || fail modes_under_umask_000 "wrong modes: $bad"
  cd "$WORK"
}

# ---------------------------------------------------------------- inputs (items 4, 6)

case_fifo_input() {
  local d=$WORK/fifo; mkdir -p "$d/in" && cd "$d" && cp "$CLEAN" in/ && mkfifo in/pipe.csv
  timeout 20 "$AGG" run --unit 110105 --period 2012-09 --as-of "$ASOF" --out out in/clean.csv in/pipe.csv >/dev/null 2>"$ERR"; local rc=$?
  if [ $rc -eq 2 ] && [ "$(report_rule out/110105-2012-09.discrepancies.csv.gz FILE_UNREADABLE)" == 1 ]; then pass fifo_input_never_blocks
  else fail fifo_input_never_blocks "exit $rc (124 = hung): $(head -c 300 "$ERR")"; fi
  cd "$WORK"
}

case_cr_only() {
  local d=$WORK/cr; mkdir -p "$d" && cd "$d" && tr '\n' '\r' < "$CLEAN" > cr.csv
  run --out out cr.csv >/dev/null 2>"$ERR"; local rc=$?
  local rows; rows=$(manifest_get out/110105-2012-09.manifest.json '["outputs"]["summary"]["rows"]' 2>/dev/null)
  local leak; leak=$(python3 -c 'import gzip,sys; t=gzip.open(sys.argv[1]).read().decode(); print(int("@" in t or "138100" in t))' out/110105-2012-09.discrepancies.csv.gz 2>/dev/null)
  if [ $rc -eq 0 ] && [ "$rows" == 20 ] && [ "$leak" == 0 ]; then pass cr_only_file
  else fail cr_only_file "exit $rc, rows $rows, contact in report: $leak"; fi
  cd "$WORK"
}

# The big input used by the timing-sensitive cases below (100,000 rows, ~13 MB).
BIG=$WORK/big.csv
big_input() { [ -f "$BIG" ] || gen_rows 100000 "$BIG"; }

case_changed_while_read() {
  local d=$WORK/changed; mkdir -p "$d/in" && cd "$d"
  big_input
  local full_sha; full_sha=$(sha256sum "$BIG" | awk '{print $1}')
  # How long a whole run takes here, to truncate at 5%-40% of it.
  cp "$BIG" in/big.csv
  local t0 t1 ms; t0=$(date +%s%N); run --out probe in/big.csv >/dev/null 2>&1; t1=$(date +%s%N); rm -rf probe
  ms=$(( (t1 - t0) / 1000000 ))
  local hits=0 bad="" pct delay
  for pct in 5 10 20 30 40; do
    delay=$(printf '%d.%03d' $((ms * pct / 100000)) $((ms * pct / 100 % 1000)))
    rm -rf out; cp "$BIG" in/big.csv
    run --out out in/big.csv >/dev/null 2>"$ERR" & local pid=$!
    sleep "$delay"; truncate -s 6000000 in/big.csv
    wait $pid; local rc=$?
    if [ $rc -eq 2 ]; then
      [ "$(report_rule out/110105-2012-09.discrepancies.csv.gz FILE_UNREADABLE 'changed while being read')" == 1 ] \
        && [ "$(manifest_get out/110105-2012-09.manifest.json '["accounting"]["outputRows"]')" == 0 ] \
        && hits=$((hits + 1)) || bad="$bad at ${delay}s: exit 2 without the finding or with rows;"
    elif [ $rc -eq 0 ]; then
      # Read whole before the truncation (all of the original, its sha256) or opened after it
      # (all of the truncated file, its sha256): one whole version, never a mix.
      local got; got=$(manifest_get out/110105-2012-09.manifest.json '["inputs"][0]["sha256"]')
      local rows; rows=$(manifest_get out/110105-2012-09.manifest.json '["accounting"]["linesRead"]')
      if [ "$got" == "$full_sha" ] && [ "$rows" == 100000 ]; then :
      elif [ "$got" == "$(sha256sum in/big.csv | awk '{print $1}')" ]; then :
      else bad="$bad at ${delay}s: exit 0 with a partial merge (sha256 of neither version, $rows lines);"; fi
    else
      bad="$bad at ${delay}s: exit $rc $(head -c 200 "$ERR");"
    fi
  done
  if [ -z "$bad" ] && [ $hits -ge 1 ]; then pass "changed_while_read ($hits of 5 truncations during ${ms} ms runs caught mid-read; the others finished first)"
  else fail changed_while_read "hits $hits;$bad"; fi
  cd "$WORK"
}

# ---------------------------------------------------------------- kills, disk full, concurrency

case_random_kills_during_runs() {
  local d=$WORK/kills ref=$WORK/kills-ref; mkdir -p "$d/in" "$ref/in"
  big_input
  cp "$CLEAN" "$d/in/old.csv"; cp "$BIG" "$d/in/new.csv"; cp "$BIG" "$ref/in/new.csv"
  (cd "$ref" && run --out out in/new.csv >/dev/null 2>&1)
  local new_set; new_set=$(sha_of_set "$ref/out")
  cd "$d"
  run --out out in/old.csv >/dev/null 2>&1
  local old_set; old_set=$(sha_of_set out)
  local t0 t1 ms; t0=$(date +%s%N); (cd "$ref" && rm -rf out2 && run --out out2 in/new.csv >/dev/null 2>&1); t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 )); [ $ms -gt 50 ] || ms=50
  local bad="" olds=0 news=0 i
  for i in $(seq 1 12); do
    [ "$(sha_of_set out)" == "$old_set" ] || { rm -rf out; run --out out in/old.csv >/dev/null 2>&1; }
    # The binary itself in the background (not a shell function: its subshell would take the kill).
    "$AGG" run --unit 110105 --period 2012-09 --as-of "$ASOF" --out out in/new.csv >/dev/null 2>&1 & local pid=$!
    local wait_ms=$(( (RANDOM * 7919 + i * 104729) % (ms + ms / 5) ))
    sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    local now; now=$(sha_of_set out)
    local listing; listing=$(ls -A out | tr '\n' ' ')
    if [ "$now" == "$old_set" ]; then olds=$((olds + 1))
    elif [ "$now" == "$new_set" ]; then news=$((news + 1))
    else bad="$bad kill $i after ${wait_ms}ms: neither set ($listing);"; fi
    [ "$listing" == "110105-2012-09.csv.gz 110105-2012-09.discrepancies.csv.gz 110105-2012-09.manifest.json " ] \
      || bad="$bad kill $i: out holds $listing;"
  done
  run --out out in/new.csv >/dev/null 2>"$ERR" || bad="$bad the run after the kills failed: $(head -c 200 "$ERR");"
  [ "$(sha_of_set out)" == "$new_set" ] || bad="$bad the run after the kills is not the new set;"
  local left; left=$(ls -A | grep -E 'staging|\.old-' | tr '\n' ' ')
  [ -z "$left" ] || bad="$bad left behind: $left;"
  if [ -z "$bad" ]; then pass "random_kills_during_runs (12 kills over ${ms} ms runs: $olds old, $news new)"
  else fail random_kills_during_runs "$bad"; fi
  cd "$WORK"
}

# Current submission's summary sha256 for 110105 2012-09 and the integrity check.
db_state() {
  python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
cur = c.execute("SELECT summary_sha256 FROM submission WHERE unit='110105' AND period='2012-09' AND status='current'").fetchall()
print(ok, ",".join(r[0] for r in cur) or "-")
PY
}

case_random_kills_during_loads() {
  local d=$WORK/dbkills; mkdir -p "$d/in" && cd "$d"
  big_input
  cp "$CLEAN" in/old.csv; cp "$BIG" in/new.csv
  run --out old in/old.csv >/dev/null 2>&1; run --out new in/new.csv >/dev/null 2>&1
  local old_sha new_sha; old_sha=$(sha256sum old/110105-2012-09.csv.gz | awk '{print $1}'); new_sha=$(sha256sum new/110105-2012-09.csv.gz | awk '{print $1}')
  "$AGG" db load --db n.db --unit 110105 --period 2012-09 old/110105-2012-09.csv.gz >/dev/null 2>"$ERR" \
    || { fail random_kills_during_loads "first load failed: $(head -c 200 "$ERR")"; cd "$WORK"; return; }
  local t0 t1 ms; t0=$(date +%s%N)
  cp n.db probe.db; "$AGG" db load --db probe.db --unit 110105 --period 2012-09 new/110105-2012-09.csv.gz >/dev/null 2>&1
  t1=$(date +%s%N); rm -f probe.db*; ms=$(( (t1 - t0) / 1000000 )); [ $ms -gt 50 ] || ms=50
  local bad="" olds=0 news=0 i
  for i in $(seq 1 12); do
    "$AGG" db load --db n.db --unit 110105 --period 2012-09 new/110105-2012-09.csv.gz >/dev/null 2>&1 & local pid=$!
    local wait_ms=$(( (RANDOM * 7919 + i * 104729) % (ms + ms / 5) ))
    sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    local st; st=$(db_state n.db)
    case "$st" in
      "ok $old_sha") olds=$((olds + 1)) ;;
      "ok $new_sha") news=$((news + 1))
        # Back to the old submission for the next kill (a corrected resubmission of the old files).
        "$AGG" db load --db n.db --unit 110105 --period 2012-09 old/110105-2012-09.csv.gz >/dev/null 2>&1 ;;
      *) bad="$bad kill $i after ${wait_ms}ms: $st;" ;;
    esac
  done
  "$AGG" db load --db n.db --unit 110105 --period 2012-09 new/110105-2012-09.csv.gz >/dev/null 2>"$ERR" || bad="$bad the load after the kills failed: $(head -c 200 "$ERR");"
  [ "$(db_state n.db)" == "ok $new_sha" ] || bad="$bad after the kills: $(db_state n.db);"
  if [ -z "$bad" ]; then pass "random_kills_during_loads (12 kills over ${ms} ms loads: $olds old, $news new; integrity ok)"
  else fail random_kills_during_loads "$bad"; fi
  cd "$WORK"
}

case_disk_full() {
  local d=$WORK/full; mkdir -p "$d/small" && cd "$d"
  if ! mount -t tmpfs -o size=3m,mode=0700 tmpfs small 2>"$ERR"; then
    fail disk_full "cannot mount a tmpfs (run as root): $(head -c 200 "$ERR")"; cd "$WORK"; return
  fi
  big_input
  mkdir -p small/in && cp "$CLEAN" small/in/old.csv
  run --out small/out small/in/old.csv >/dev/null 2>&1
  local old_set; old_set=$(sha_of_set small/out)
  # Leave about 200 KB free: the big run's outputs (several MB) cannot fit.
  local free; free=$(df -k --output=avail small | tail -1)
  [ "$free" -gt 200 ] && dd if=/dev/zero of=small/filler bs=1k count=$((free - 200)) status=none 2>/dev/null
  run --out small/out "$BIG" >/dev/null 2>"$ERR"; local rc=$?
  local left; left=$(ls -A small | grep -E 'staging|\.old-' | tr '\n' ' ')
  local now; now=$(sha_of_set small/out)
  umount small
  if [ $rc -eq 1 ] && [ "$now" == "$old_set" ] && [ -z "$left" ] && grep -qiE 'space|空间' "$ERR"; then pass disk_full
  else fail disk_full "exit $rc, previous outputs $([ "$now" == "$old_set" ] && echo intact || echo CHANGED), left: $left, message: $(head -c 200 "$ERR")"; fi
  cd "$WORK"
}

case_concurrent_runs() {
  local d=$WORK/concurrent ref=$WORK/concurrent-ref; mkdir -p "$d/in" "$ref/in"
  big_input
  cp "$BIG" "$d/in/new.csv"; cp "$BIG" "$ref/in/new.csv"
  (cd "$ref" && run --out out in/new.csv >/dev/null 2>&1)
  local want; want=$(sha_of_set "$ref/out")
  cd "$d"
  local pids=() i
  for i in 1 2 3 4; do run --out out in/new.csv >/dev/null 2>"err$i" & pids+=($!); done
  local ok=0 locked=0 other=""
  for i in 0 1 2 3; do
    wait "${pids[$i]}"; local rc=$?
    case $rc in 0) ok=$((ok + 1)) ;; 3) locked=$((locked + 1)) ;; *) other="$other exit $rc: $(head -c 200 "err$((i + 1))");" ;; esac
  done
  grep -hq '110105 2012-09' err* 2>/dev/null || [ $locked -eq 0 ] || other="$other the lock message does not name the holder;"
  local left; left=$(ls -A | grep -E 'staging|\.old-' | tr '\n' ' ')
  if [ -z "$other" ] && [ $ok -ge 1 ] && [ "$(sha_of_set out)" == "$want" ] && [ -z "$left" ]; then
    pass "concurrent_runs (4 at once: $ok done, $locked refused with exit 3)"
  else fail concurrent_runs "$ok done, $locked locked;$other left: $left"; fi
  cd "$WORK"
}

case_concurrent_loads() {
  local d=$WORK/loads; mkdir -p "$d/in" && cd "$d"
  big_input
  cp "$BIG" in/new.csv
  run --out out in/new.csv >/dev/null 2>&1
  # Three units' outputs (the same rows relabelled is not possible: use three periods instead).
  local pids=() i bad=""
  for i in 1 2 3; do
    "$AGG" db load --db n.db --unit 110105 --period 2012-09 out/110105-2012-09.csv.gz >/dev/null 2>"err$i" & pids+=($!)
  done
  for i in 0 1 2; do wait "${pids[$i]}" || bad="$bad load $((i + 1)) failed: $(head -c 200 "err$((i + 1))");"; done
  [ "$(db_state n.db | cut -d' ' -f1)" == ok ] || bad="$bad integrity: $(db_state n.db);"
  # A writer holding the database past --busy-timeout: exit 3, nothing changed.
  rm -f m.db*
  "$AGG" db load --db m.db --unit 110105 --period 2012-09 out/110105-2012-09.csv.gz >/dev/null 2>&1
  python3 - m.db 3 <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
PY
  local holder=$!
  sleep 0.5
  local before; before=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*), group_concat(status) FROM submission").fetchone())' m.db 2>&1)
  cp "$CLEAN" in/other.csv; rm -rf out2; run --out out2 in/other.csv >/dev/null 2>&1
  "$AGG" db load --db m.db --unit 110105 --period 2012-09 --busy-timeout 1 out2/110105-2012-09.csv.gz >/dev/null 2>busy; local rc=$?
  [ $rc -eq 3 ] && grep -qi busy busy || bad="$bad a load past --busy-timeout exited $rc: $(head -c 200 busy);"
  wait $holder
  local after; after=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*), group_concat(status) FROM submission").fetchone())' m.db 2>&1)
  [ "$before" == "$after" ] || bad="$bad the busy load changed the database ($before -> $after);"
  # Within the timeout it waits and succeeds.
  python3 - m.db 1.5 <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
PY
  holder=$!
  sleep 0.3
  "$AGG" db load --db m.db --unit 110105 --period 2012-09 out2/110105-2012-09.csv.gz >/dev/null 2>"$ERR" || bad="$bad a load that should have waited failed: $(head -c 200 "$ERR");"
  wait $holder
  if [ -z "$bad" ]; then pass "concurrent_loads (3 at once; busy past 1 s -> exit 3, nothing changed; waits within the timeout)"
  else fail concurrent_loads "$bad"; fi
  cd "$WORK"
}

# ---------------------------------------------------------------- configuration size (item 6)

case_pipeline_100k_units() {
  local d=$WORK/config; mkdir -p "$d" && cd "$d"
  python3 - <<'PY'
import json
units = [{"code": "000000", "name": "部", "level": "ministry"}]
for p in range(1, 32):
    units.append({"code": "%02d0000" % (10 + p), "name": "省", "level": "province", "parent": "000000"})
cities = []
for p in range(1, 32):
    for c in range(1, 41):
        code = "%02d%02d00" % (10 + p, c)
        cities.append(code)
        units.append({"code": code, "name": "市", "level": "city", "parent": "%02d0000" % (10 + p)})
n = len(units)
k = 0
while len(units) < 100000:
    city = cities[k % len(cities)]
    units.append({"code": city[:4] + "%02d" % (1 + k // len(cities)), "name": "县", "level": "county", "parent": city})
    k += 1
json.dump({"cohort": 2012, "units": units}, open("big.json", "w"), ensure_ascii=False)
# A deep chain of 20,000 units (a parent chain walked once, not once per unit).
chain = [{"code": "%06d" % 100000, "level": "ministry"}] + [
    {"code": "%06d" % (100000 + i), "level": "county", "parent": "%06d" % (100000 + i - 1)} for i in range(1, 20000)]
json.dump({"cohort": 2012, "units": chain}, open("chain.json", "w"))
PY
  local bad="" f
  for f in big chain; do
    local unit=111101; [ $f == chain ] && unit=119999
    # CPU time (user + sys) of the whole run, from bash's `time`: on a shared machine the wall
    # clock also counts other processes' turns; both are printed.
    local times; times=$( { TIMEFORMAT='%U %S %R'; time "$AGG" run --config $f.json --unit $unit --period 2012-09 --as-of "$ASOF" >/dev/null 2>"$ERR"; } 2>&1 ); local rc=$?
    local cpu_ms wall
    cpu_ms=$(echo "$times" | tail -1 | awk '{printf "%d", ($1 + $2) * 1000}')
    wall=$(echo "$times" | tail -1 | awk '{print $3}')
    echo "   $f.json: ${cpu_ms} ms CPU, ${wall} s wall (exit $rc)"
    [ $rc -eq 0 ] || [ $rc -eq 2 ] || bad="$bad $f: exit $rc $(head -c 200 "$ERR");"
    [ "$cpu_ms" -lt 1000 ] || bad="$bad $f: ${cpu_ms} ms CPU;"
  done
  [ -z "$bad" ] && pass "pipeline_100k_units (checked and run in under a second of CPU)" || fail pipeline_100k_units "$bad"
  cd "$WORK"
}

# EDGES_CASES="fifo_input cr_only" runs only those cases (for debugging one case).
if [ -n "${EDGES_CASES:-}" ]; then
  for c in $EDGES_CASES; do "case_$c"; done
  exit 0
fi
case_out_is_inbox
case_layout_outbox_is_inbox
case_duplicate_layout_key
case_out_is_a_file
case_two_units_one_out
case_stray_file_named
case_modes_under_umask_000
case_fifo_input
case_cr_only
case_changed_while_read
case_random_kills_during_runs
case_random_kills_during_loads
case_disk_full
case_concurrent_runs
case_concurrent_loads
case_pipeline_100k_units
exit 0
