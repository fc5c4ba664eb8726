#!/usr/bin/env bash
# The bundled sample end to end, checked as a program manager would: every file
# is there, everyone appears exactly once, scores add up, program rules hold,
# the output is byte-identical across thread counts and runs, and every
# meeting is independently re-checked against both people's availability.
set -euo pipefail
# Calendars carry DTSTAMP = the time of writing unless SOURCE_DATE_EPOCH is set.
export SOURCE_DATE_EPOCH=1800000000
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
run() {
  "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" \
    --pairs "$sample/pairs.csv" --config "$sample/program.conf" --quiet "$@"
}
run --out "$work/t1" --threads 1
run --out "$work/t2" --threads 2
run --out "$work/t2again" --threads 2

for f in pairings.csv unmatched.csv unscheduled.csv meetings.csv meetings.ics summary.json; do
  [ -s "$work/t1/$f" ] || { echo "missing $f"; exit 1; }
done
for f in pairings.csv unmatched.csv unscheduled.csv meetings.csv meetings.ics invites calendars; do
  diff -r "$work/t1/$f" "$work/t2/$f"
  diff -r "$work/t2/$f" "$work/t2again/$f"
done
strip() { grep -v -e '"timings"' -e '"threads"' "$1"; }
diff <(strip "$work/t1/summary.json") <(strip "$work/t2/summary.json")
echo "ok: identical outputs with 1 and 2 threads and across runs"

"$MM_PYTHON" - "$sample" "$work/t1" <<'PY'
import csv, json, sys
from decimal import Decimal
sample, out = sys.argv[1], sys.argv[2]
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
mentors = [r["id"] for r in rows(f"{sample}/mentors.csv")]
mentees = [r["id"] for r in rows(f"{sample}/mentees.csv")]
pairs = rows(f"{out}/pairings.csv")
left = rows(f"{out}/unmatched.csv")
summary = json.load(open(f"{out}/summary.json"))
problems = []
seen_mentees = [p["mentee_id"] for p in pairs] + [l["mentee_id"] for l in left if l["role"] == "mentee"]
for m in mentees:
    if seen_mentees.count(m) != 1:
        problems.append(f"mentee {m} appears {seen_mentees.count(m)} times")
matched_mentors = {p["mentor_id"] for p in pairs}
left_mentors = [l["mentor_id"] for l in left if l["role"] == "mentor"]
for m in mentors:
    n = (m in matched_mentors) + left_mentors.count(m)
    if n != 1:
        problems.append(f"mentor {m} appears {n} times")
total = sum(Decimal(p["score"]) for p in pairs)
if total != Decimal(str(summary["total_score"])):
    problems.append(f"total_score {summary['total_score']} != sum of scores {total}")
for p in pairs:
    parts = sum(Decimal(p[c]) for c in ("skills", "goals", "timezone", "diversity"))
    if parts != Decimal(p["score"]):
        problems.append(f"parts of {p['mentee_id']}-{p['mentor_id']} add to {parts}, not {p['score']}")
by_mentee = {p["mentee_id"]: p for p in pairs}
if by_mentee.get("E004", {}).get("mentor_id") != "M005" or by_mentee["E004"]["required"] != "yes":
    problems.append("required pair E004-M005 missing")
if by_mentee.get("E006", {}).get("mentor_id") == "M011":
    problems.append("forbidden pair E006-M011 present")
if by_mentee.get("E001", {}).get("mentor_id") == "M001":
    problems.append("E001 paired with their manager M001")
if any(not l["reason"].strip() for l in left):
    problems.append("a left-out person has no reason")
if summary["status"] != "optimal" or summary["matched"] != len(pairs):
    problems.append(f"summary status {summary['status']} matched {summary['matched']} vs {len(pairs)} rows")
if Decimal(str(summary["bound"])) != total:
    problems.append("bound differs from total score")
load = {}
caps = {r["id"]: int(r["capacity"] or 1) for r in rows(f"{sample}/mentors.csv")}
for p in pairs:
    load[p["mentor_id"]] = load.get(p["mentor_id"], 0) + 1
for m, n in load.items():
    if n > caps[m]:
        problems.append(f"mentor {m} has {n} mentees, capacity {caps[m]}")
for p in problems:
    print("FAIL:", p)
print(f"checked {len(pairs)} pairs, {len(left)} left out: {len(problems)} problems")
sys.exit(1 if problems else 0)
PY

if [ -f "$MM_SRC/tests/tools/check_meetings.py" ]; then
  "$MM_PYTHON" "$MM_SRC/tests/tools/check_meetings.py" "$work/t1" "$sample/mentors.csv" "$sample/mentees.csv" --start 2027-03-01
fi
echo "match_sample: 3 passed, 0 failed"
