#!/usr/bin/env bash
# Progress on standard error: shown when stderr is a terminal (a pseudo-
# terminal from script(1) here), with phase, percentage, rate and time left,
# and erased before the summary; nothing when stderr is a pipe or a file, or
# with --quiet.  The outputs are the same bytes either way.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v script > /dev/null || { echo "script(1) from bsdutils is needed"; exit 1; }
"$MM_BIN" generate --mentees 3000 --mentors 800 --seed 5 --out "$work/gen" > /dev/null
args="match --mentors $work/gen/mentors.csv --mentees $work/gen/mentees.csv --start 2027-03-01"

script -qefc "$MM_BIN $args --out $work/tty" /dev/null > "$work/tty.txt"
grep -Eq $'\r\033\\[Kmentormatch: score +[0-9]+%  [0-9.]+[kMG]? pairs/s' "$work/tty.txt" ||
  { echo "no score progress line on the terminal"; cat -v "$work/tty.txt" | head; exit 1; }
grep -Eq 'mentormatch: score +100%' "$work/tty.txt"
for phase in 'reading the rosters' solve prove schedule 'writing the results'; do
  grep -q "mentormatch: $phase" "$work/tty.txt" || { echo "phase $phase not shown"; exit 1; }
done
grep -q $'\r\033\\[Kmentormatch: matched' "$work/tty.txt" || { echo "progress line not erased before the summary"; exit 1; }
echo "ok: a terminal sees phases, percentage and rate, erased before the summary"

script -qefc "$MM_BIN $args --out $work/quiet --quiet" /dev/null > "$work/quiet.txt"
[ ! -s "$work/quiet.txt" ] || { echo "--quiet printed on a terminal:"; cat -v "$work/quiet.txt"; exit 1; }
"$MM_BIN" $args --out "$work/pipe" > "$work/pipe.out" 2> "$work/pipe.err"
if grep -q -e 'mentormatch: score' -e $'\r' "$work/pipe.err" "$work/pipe.out"; then echo "progress in a pipe"; exit 1; fi
for f in pairings.csv meetings.csv unmatched.csv report.html; do cmp "$work/tty/$f" "$work/pipe/$f"; done
echo "ok: nothing on a pipe or with --quiet, the same outputs"

data="$MM_SRC/tests/data/solve"
script -qefc "$MM_BIN solve --scores $data/lexi_scores.csv --capacities $data/lexi_caps.csv --out $work/solve" \
  /dev/null > "$work/solve.txt"
grep -q $'\r\033\\[Kmentormatch: solving' "$work/solve.txt" && grep -q $'\r\033\\[Kmentormatch: matched' "$work/solve.txt" ||
  { echo "solve shows no phases on a terminal"; cat -v "$work/solve.txt"; exit 1; }
echo "progress: 3 passed, 0 failed"
