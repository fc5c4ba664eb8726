#!/usr/bin/env bash
# Stable mode: `solve --mode stable` on the textbook scores file (deferred
# acceptance keeps A-X, which the optimal mode gives up for a higher total,
# and the optimal answer reports its one blocking pair); `match --mode stable`
# on the sample rosters has no blocking pair over all eligible pairs.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$MM_SRC/tests/data/stable"
"$MM_BIN" solve --scores "$data/scores.csv" --capacities "$data/caps.csv" --out "$work/stable" --mode stable --quiet
"$MM_BIN" solve --scores "$data/scores.csv" --capacities "$data/caps.csv" --out "$work/optimal" --quiet
diff <(printf 'mentee_id,mentor_id,score\nA,X,1.0000\nB,Y,0.1000\n') "$work/stable/pairings.csv"
diff <(printf 'mentee_id,mentor_id,score\nA,Y,0.9000\nB,X,0.8000\n') "$work/optimal/pairings.csv"
grep -q '"status": "stable"' "$work/stable/summary.json"
grep -q '"mode": "stable"' "$work/stable/summary.json"
grep -q '"blocking_pairs": 0,' "$work/stable/summary.json"
grep -q '"blocking_pairs": 1,' "$work/optimal/summary.json"
if "$MM_BIN" solve --scores "$data/scores.csv" --capacities "$data/caps.csv" --out "$work/bad" --mode stabel 2>"$work/err"; then
  echo "a bad --mode was accepted"; exit 1
fi
grep -q -- '--mode: expected optimal or stable, got "stabel"' "$work/err"
test ! -e "$work/bad"
sample="$MM_SRC/datasets/sample"
for mode in stable optimal; do
  "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --config "$sample/program.conf" \
    --out "$work/m-$mode" --mode "$mode" --quiet
done
grep -q '"blocking_pairs": 0,' "$work/m-stable/summary.json"
grep -q '"status": "stable"' "$work/m-stable/summary.json"
grep -Eq '"blocking_pairs": [1-9][0-9]*,' "$work/m-optimal/summary.json"
# Why someone is left out reads the same in both modes: a mentor with a
# place but one free hour is out of hours, not "full"; one with no place
# left is at capacity.
printf 'id,timezone,availability,capacity\nM1,UTC,Mon 09:00-10:00,2\nM2,UTC,Tue 09:00-11:00,1\n' >"$work/r.csv"
printf 'id,timezone,availability\nE1,UTC,Mon 09:00-10:00\nE2,UTC,Mon 09:00-10:00\nE3,UTC,Tue 09:00-11:00\nE4,UTC,Tue 09:00-11:00\n' >"$work/e.csv"
for mode in stable optimal; do
  "$MM_BIN" match --mentors "$work/r.csv" --mentees "$work/e.csv" --start 2027-03-01 --mode "$mode" \
    --out "$work/why-$mode" --quiet
  grep -q "^E2,\"every eligible mentor's weekly hours are taken: 1 eligible" "$work/why-$mode/unmatched.csv"
  grep -q '^E4,every eligible mentor is at capacity (1 eligible)' "$work/why-$mode/unmatched.csv"
done
# Priorities would be ignored by deferred acceptance: refused, naming the file.
printf 'id,timezone,availability,priority\nE1,UTC,Mon 09:00-10:00,0\nE2,UTC,Mon 09:00-10:00,1\n' >"$work/ep.csv"
if "$MM_BIN" match --mentors "$work/r.csv" --mentees "$work/ep.csv" --start 2027-03-01 --mode stable \
  --out "$work/prio" --quiet 2>"$work/err"; then
  echo "stable mode with priorities was accepted"; exit 1
fi
grep -q "ep.csv: error: priority: stable mode cannot be combined with the priority column" "$work/err"
test ! -e "$work/prio"
echo "stable_mode: 6 passed, 0 failed"
