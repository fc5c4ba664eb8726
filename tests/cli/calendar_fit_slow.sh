#!/usr/bin/env bash
# Matching that knows each person's week, on a roster where meeting slots
# are scarce (`generate --calendar narrow`: one to three short windows a week
# for many people, mentors of capacity 2 to 4, zones on every continent, a
# tenth of the mentors also listed as mentees), across the 2027 spring clock
# changes.  The calendar-blind optimum must have clashed (the fit did work),
# yet no pair may be left without a slot, and an independent script
# (tests/tools/check_meetings.py: own parser, Python zoneinfo, rows joined
# into people by id or e-mail) must find every occurrence inside both
# windows with nobody in two meetings at once or closer than the buffer.
# Then the checker must catch what it is there to catch.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check="$MM_SRC/tests/tools/check_meetings.py"

"$MM_BIN" generate --mentees 800 --mentors 200 --calendar narrow --both-files 0.1 --seed 4 \
  --out "$work/roster" --quiet
r="$work/roster"
grep -q '^m000001,' "$r/mentees.csv" || { echo "no person is listed in both files"; exit 1; }

for buffer in 0 30; do
  out="$work/out$buffer"
  "$MM_BIN" match --mentors "$r/mentors.csv" --mentees "$r/mentees.csv" --out "$out" \
    --start 2027-03-01 --buffer-minutes "$buffer" --quiet
  "$MM_PYTHON" - "$out" "$buffer" <<'PY'
import csv, json, sys
out, buffer = sys.argv[1], int(sys.argv[2])
s = json.load(open(f"{out}/summary.json"))
assert s["options"]["buffer_minutes"] == buffer, s["options"]
clashes = s["calendar_blind"]["pairs_without_slot"]
assert clashes > 0, "the calendar-blind optimum fitted as it was: this roster tests nothing"
assert s["joint_model"]["pairs_redecided"] > 0 and s["joint_model"]["columns"] > 0, s["joint_model"]
unscheduled = list(csv.reader(open(f"{out}/unscheduled.csv", encoding="utf-8")))
assert len(unscheduled) == 1, f"{len(unscheduled) - 1} pairs without a slot"
pairs = list(csv.DictReader(open(f"{out}/pairings.csv", encoding="utf-8")))
assert len(pairs) == s["matched"] > 0
assert all(p["first_meeting_utc"] for p in pairs), "a pair without a first meeting"
assert all(int(p["rank"]) >= 1 for p in pairs)
moved = [p for p in pairs if p["note"]]
assert s["status"] in ("optimal", "feasible"), s["status"]
if s["status"] == "feasible":
    assert 0 <= s["gap"] <= 1 and s["bound"] >= s["total_score"], (s["gap"], s["bound"])
print(f"ok: buffer {buffer}: {s['matched']} pairs, all with a slot, after {clashes} clashes; "
      f"{len(moved)} moved, status {s['status']}, gap {100 * s['gap']:.3f}%")
PY
  "$MM_PYTHON" "$check" "$out" "$r/mentors.csv" "$r/mentees.csv" --start 2027-03-01 --buffer-minutes "$buffer"
done

# A small program is solved whole (proven optimal) for every cadence: series
# a month apart may share a weekly time, a buffer still holds.
"$MM_BIN" generate --mentees 80 --mentors 20 --calendar narrow --both-files 0.2 --seed 8 \
  --out "$work/small" --quiet
for cadence in biweekly monthly; do
  out="$work/small-$cadence"
  "$MM_BIN" match --mentors "$work/small/mentors.csv" --mentees "$work/small/mentees.csv" --out "$out" \
    --start 2027-03-01 --cadence "$cadence" --buffer-minutes 45 --quiet
  "$MM_PYTHON" - "$out" <<'PY'
import json, sys
s = json.load(open(f"{sys.argv[1]}/summary.json"))
assert s["calendar_blind"]["pairs_without_slot"] > 0, "no clash: this program tests nothing"
assert s["status"] == "optimal" and s["gap"] == 0 and s["unscheduled_pairs"] == 0, (s["status"], s["proof"])
assert "solved together as one integer program over every eligible pair" in s["proof"], s["proof"]
PY
  "$MM_PYTHON" "$check" "$out" "$work/small/mentors.csv" "$work/small/mentees.csv" --start 2027-03-01 \
    --buffer-minutes 45
done

# The checker must catch a buffer that was not kept (a weekly series is
# seven days minus a meeting apart) ...
if "$MM_PYTHON" "$check" "$work/out0" "$r/mentors.csv" "$r/mentees.csv" --buffer-minutes 10080 2>/dev/null; then
  echo "check_meetings accepted meetings closer than the buffer"; exit 1
fi
# ... and two people who are one by e-mail: give the mentee of one meeting
# the address, in capitals, of the mentor of another meeting at that time.
mkdir "$work/mail"
"$MM_PYTHON" - "$work/out0/meetings.csv" "$r" "$work/mail" <<'PY'
import csv, sys
meetings, roster, dest = sys.argv[1:]
rows = list(csv.DictReader(open(meetings, encoding="utf-8")))
by_start = {}
for m in rows:
    by_start.setdefault(m["start_utc"], []).append(m)
a, b = next(v[:2] for v in by_start.values() if len({x["mentor_id"] for x in v} | {x["mentee_id"] for x in v}) >= 4)
mentors = list(csv.reader(open(f"{roster}/mentors.csv", encoding="utf-8")))
mentees = list(csv.reader(open(f"{roster}/mentees.csv", encoding="utf-8")))
mail = next(r[2] for r in mentors if r[0] == b["mentor_id"])
for r in mentees[1:]:
    if r[0] == a["mentee_id"]:
        r[2] = mail.upper()
for name, rows in (("mentors", mentors), ("mentees", mentees)):
    csv.writer(open(f"{dest}/{name}.csv", "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(rows)
PY
if "$MM_PYTHON" "$check" "$work/out0" "$work/mail/mentors.csv" "$work/mail/mentees.csv" 2>"$work/mail.err"; then
  echo "check_meetings did not join two rows that share an e-mail"; exit 1
fi
grep -q "double-booked" "$work/mail.err" || { cat "$work/mail.err"; exit 1; }
echo "ok: the checker rejects a short buffer and a person double-booked under two ids"
