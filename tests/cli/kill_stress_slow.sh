#!/usr/bin/env bash
# Stress: runs killed with SIGKILL at random instants of their write phase, and concurrent runs, never leave a mixed folder.
#
# Two result sets alternate in one folder DIR: A from `match` (six files,
# meetings included) and B from `solve` (three files), so a mix would show
# as new pairings beside old meetings.  Every publishing call (rename,
# symlink, unlink ...) is slowed by tests/shim/fs_shim.c, which widens the
# gaps a kill can land in.  Each of MM_KILLS (default 200) rounds starts the
# other set's run, waits for its staging folder to appear, sleeps a random
# time within the write phase (measured first) and sends SIGKILL.  Then
# MM_PAIRS (default 20) rounds start A and B at once into DIR, every other
# one killing one of them at random.  After each round the names DIR shows
# must be exactly one set, every file byte-identical to that set's
# reference run (summary.json without its `threads` and `timings` lines,
# which are measurements).  Both outcomes must occur among the kills, or the
# kills missed the write phase and the test proved nothing.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_SHIM:?}"
kills=${MM_KILLS:-200}
pairs=${MM_PAIRS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
awk 'BEGIN { print "mentee_id,mentor_id,score"; for (i = 1; i <= 40; i++) for (j = 1; j <= 12; j++) print "E" i ",M" j "," (i * 7 + j * 13) % 23 }' >"$work/S.csv"
awk 'BEGIN { print "mentor_id,capacity"; for (j = 1; j <= 12; j++) print "M" j ",2" }' >"$work/C.csv"

# exec: a background run's process id is the tool's own, so SIGKILL hits it.
run_a() { exec "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv" \
  --config "$sample/program.conf" --quiet --out "$1"; }
run_b() { exec "$MM_BIN" solve --scores "$work/S.csv" --capacities "$work/C.csv" --quiet --out "$1"; }
# (A sanitizer runtime that wants to be loaded first is told the shim is fine.)
slowed() {
  export MM_SHIM_DELAY_US=${MM_SHIM_DELAY_US:-3000} LD_PRELOAD="$MM_SHIM"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
  "$@"
}

(run_a "$work/ref-A")
(run_b "$work/ref-B")

# The result files DIR shows: visible names that open as files.
shown() { local f; for f in "$1"/*; do [ -f "$f" ] && basename "$f"; done | grep -vx latest | LC_ALL=C sort; }
same_file() {
  if [ "$(basename "$1")" = summary.json ]; then
    cmp -s <(grep -v '^  "\(threads\|timings\)"' "$1") <(grep -v '^  "\(threads\|timings\)"' "$2")
  else
    cmp -s "$1" "$2"
  fi
}
# Prints A or B: the reference DIR matches exactly; nothing if neither.
which_set() {
  local set f
  for set in A B; do
    [ "$(shown "$1")" = "$(shown "$work/ref-$set")" ] || continue
    for f in $(shown "$1"); do same_file "$1/$f" "$work/ref-$set/$f" || continue 2; done
    echo "$set"
    return
  done
}
# Whether process $2 has begun to stage its files in $1 (the names carry its id).
staged() { compgen -G "$1/.mentormatch/staging-$2-*" >/dev/null || compgen -G "$1/.mentormatch-staging-$2-*" >/dev/null; }
failed=0
bad() {
  failed=$((failed + 1))
  echo "FAIL $1: DIR shows neither set"
  [ "$failed" -le 3 ] || return 0
  for f in $(shown "$dir"); do
    echo "  $f: same as A's: $(same_file "$dir/$f" "$work/ref-A/$f" && echo yes || echo no), as B's: $(same_file "$dir/$f" "$work/ref-B/$f" && echo yes || echo no)"
  done
}

# The write phase: from the staging folder's appearance to the end of the run.
dir="$work/out"
(run_a "$dir")
start_us() { echo $(($(date +%s%N) / 1000)); }
(run_a "$work/calibrate")
(slowed run_b "$work/calibrate") &
pid=$!
until staged "$work/calibrate" "$pid" || ! kill -0 "$pid" 2>/dev/null; do sleep 0.001; done
t0=$(start_us)
wait "$pid"
window=$(($(start_us) - t0))
echo "write phase with slowed calls: ${window} us"

old_kept=0
new_whole=0
have=A
for round in $(seq "$kills"); do
  if [ "$have" = A ]; then (slowed run_b "$dir") & else (slowed run_a "$dir") & fi
  pid=$!
  until staged "$dir" "$pid" || ! kill -0 "$pid" 2>/dev/null; do sleep 0.001; done
  pause=$(((RANDOM * 32768 + RANDOM) % (window + 1)))
  sleep "$(printf '0.%06d' "$pause")"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  got=$(which_set "$dir")
  if [ -z "$got" ]; then
    bad "kill $round"
  elif [ "$got" = "$have" ]; then
    old_kept=$((old_kept + 1))
  else
    new_whole=$((new_whole + 1))
    have=$got
  fi
done
echo "$kills kills: $old_kept left the old set, $new_whole the whole new one"
if [ "$old_kept" -eq 0 ] || [ "$new_whole" -eq 0 ]; then
  failed=$((failed + 1))
  echo "FAIL the kills did not spread over the write phase"
fi

for round in $(seq "$pairs"); do
  (slowed run_a "$dir") &
  pid_a=$!
  (slowed run_b "$dir") &
  pid_b=$!
  if [ $((round % 2)) -eq 0 ]; then
    victim=$pid_a
    [ $((RANDOM % 2)) -eq 0 ] && victim=$pid_b
    pause=$(((RANDOM * 32768 + RANDOM) % (2 * window + 1)))
    sleep "$(printf '0.%06d' "$pause")"
    kill -KILL "$victim" 2>/dev/null || true
  fi
  rc_a=0 rc_b=0
  wait "$pid_a" || rc_a=$?
  wait "$pid_b" || rc_b=$?
  got=$(which_set "$dir")
  [ -n "$got" ] || bad "concurrent round $round"
  if [ $((round % 2)) -eq 1 ] && { [ "$rc_a" -ne 0 ] || [ "$rc_b" -ne 0 ]; }; then
    failed=$((failed + 1))
    echo "FAIL concurrent round $round: exit statuses $rc_a and $rc_b, both should succeed"
  fi
done
echo "$pairs concurrent rounds done"

# The leftovers of all those kills go with the next run.
(run_a "$dir")
left=$(find "$dir/.mentormatch" -mindepth 1 -maxdepth 1 | wc -l)
if [ "$left" -ne 1 ] || [ "$(which_set "$dir")" != A ]; then
  failed=$((failed + 1))
  echo "FAIL after a clean run DIR/.mentormatch holds $left entries (want 1)"
fi
echo "kill_stress: $failed failures"
[ "$failed" -eq 0 ]
