#!/usr/bin/env bash
# Same inputs, same bytes: a generated 2,000 x 500 program matched with 1, 2 and 8 threads, and twice with 2.
#
# Scores are fixed point and every tie breaks on indices, so no output may
# depend on the number of threads or on how OpenMP schedules them.  Every
# file must be byte-identical across the runs, except summary.json's
# "timings" and "threads" lines (measurements of the run).  The run is also
# checked for completeness: every mentee of the roster is in exactly one row
# of pairings.csv or unmatched.csv, every mentor is in pairings.csv's
# mentor_id or in exactly one unmatched.csv row with role mentor (never
# both), capacities hold, and summary.json's counts agree with the files.
set -euo pipefail
# Calendars carry DTSTAMP = the time of writing unless SOURCE_DATE_EPOCH is set.
export SOURCE_DATE_EPOCH=1800000000
: "${MM_BIN:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$MM_SRC/tests/tools/cli_checks.sh"

"$MM_BIN" generate --mentees 2000 --mentors 500 --seed 3 --out "$work/in" >/dev/null
run() { # run NAME THREADS
  "$MM_BIN" match --mentors "$work/in/mentors.csv" --mentees "$work/in/mentees.csv" --start 2027-03-01 \
    --threads "$2" --quiet --out "$work/$1"
}
run t1 1
run t2 2
run t8 8
run t2again 2

strip() { grep -v -e '"timings"' -e '"threads"' "$1"; }
for other in t2 t8 t2again; do
  problems=""
  for f in pairings.csv unmatched.csv unscheduled.csv meetings.csv meetings.ics; do
    cmp -s "$work/t1/$f" "$work/$other/$f" || problems+=" $f differs;"
  done
  for d in invites calendars; do
    diff -rq "$work/t1/$d" "$work/$other/$d" >/dev/null || problems+=" $d/ differs;"
  done
  diff -q <(strip "$work/t1/summary.json") <(strip "$work/$other/summary.json") >/dev/null ||
    problems+=" summary.json differs beyond timings and threads;"
  if [ -n "$problems" ]; then fail "t1 vs $other:$problems"; else pass "t1 vs $other: identical"; fi
done

if "$MM_PYTHON" - "$work/in" "$work/t1" <<'PY'; then pass "everyone accounted for exactly once"; else fail "everyone accounted for exactly once"; fi
import csv, json, sys
from collections import Counter
src, out = sys.argv[1], sys.argv[2]
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
mentors = rows(f"{src}/mentors.csv")
mentees = [r["id"] for r in rows(f"{src}/mentees.csv")]
pairs = rows(f"{out}/pairings.csv")
left = rows(f"{out}/unmatched.csv")
summary = json.load(open(f"{out}/summary.json"))
problems = []
seen = Counter(p["mentee_id"] for p in pairs)
seen.update(l["mentee_id"] for l in left if l["role"] == "mentee")
for m in mentees:
    if seen[m] != 1:
        problems.append(f"mentee {m} appears {seen[m]} times")
if set(seen) - set(mentees):
    problems.append(f"unknown mentees in the output: {sorted(set(seen) - set(mentees))[:5]}")
load = Counter(p["mentor_id"] for p in pairs)
left_mentors = Counter(l["mentor_id"] for l in left if l["role"] == "mentor")
for m in mentors:
    mid = m["id"]
    if (mid in load) + left_mentors[mid] != 1:
        problems.append(f"mentor {mid}: {load[mid]} pairs and {left_mentors[mid]} unmatched rows")
    if load[mid] > int(m["capacity"] or 1):
        problems.append(f"mentor {mid} has {load[mid]} mentees, capacity {m['capacity']}")
if set(load) - {m["id"] for m in mentors}:
    problems.append("unknown mentors in pairings.csv")
if any(not l["reason"].strip() for l in left):
    problems.append("a left-out person has no reason")
if summary["matched"] != len(pairs) or summary["mentees"] != len(mentees) or summary["mentors"] != len(mentors):
    problems.append(f"summary counts {summary['mentees']}/{summary['mentors']}/{summary['matched']} "
                    f"vs files {len(mentees)}/{len(mentors)}/{len(pairs)}")
for p in problems[:20]:
    print("  " + p)
print(f"  {len(mentees)} mentees, {len(mentors)} mentors, {len(pairs)} pairs, {len(left)} left out, "
      f"status {summary['status']}: {len(problems)} problems")
sys.exit(1 if problems else 0)
PY

finish determinism
