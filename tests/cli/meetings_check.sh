#!/usr/bin/env bash
# meetings.csv and meetings.ics from `mentormatch match`, re-checked by an
# independent script (tests/tools/check_meetings.py: own availability parser,
# Python zoneinfo, icalendar + dateutil) on rosters spanning the 2027 spring
# clock changes in the US, Europe and Australia, half-hour and 45-minute
# zones, UTC, a fixed offset and someone who is both mentor and mentee; for
# every cadence.  Then the checker itself must reject tampered outputs.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$MM_SRC/tests/data/meetings"
check="$MM_SRC/tests/tools/check_meetings.py"

for cadence in weekly biweekly monthly; do
  "$MM_BIN" match --mentors "$data/mentors.csv" --mentees "$data/mentees.csv" \
    --out "$work/$cadence" --start 2027-03-01 --cadence "$cadence" --quiet
  "$MM_PYTHON" "$check" "$work/$cadence" "$data/mentors.csv" "$data/mentees.csv" --start 2027-03-01
  rows=$(($(wc -l < "$work/$cadence/meetings.csv") - 1))
  [ "$rows" -gt 0 ] || { echo "no meetings for $cadence"; exit 1; }
  grep -q ',checkpoint,' "$work/$cadence/meetings.csv" || { echo "no checkpoint rows"; exit 1; }
done
echo "ok: every cadence passes the independent check"

# The checker must catch mistakes: a meeting moved by an hour (outside the
# window, and no longer what the calendar says) ...
cp -r "$work/weekly" "$work/moved"
"$MM_PYTHON" - "$work/moved/meetings.csv" <<'PY'
import csv, datetime as dt, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
def shift(s, h):
    t = dt.datetime.fromisoformat(s.replace("Z", "+00:00")) + dt.timedelta(hours=h)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")
rows[1][3], rows[1][4] = shift(rows[1][3], 7), shift(rows[1][4], 7)
csv.writer(open(path, "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(rows)
PY
if "$MM_PYTHON" "$check" "$work/moved" "$data/mentors.csv" "$data/mentees.csv" 2>/dev/null; then
  echo "check_meetings accepted a moved meeting"; exit 1
fi
# ... a person booked twice at once ...
cp -r "$work/weekly" "$work/double"
"$MM_PYTHON" - "$work/double/meetings.csv" <<'PY'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
by_mentor = {}
for r in rows[1:]:
    by_mentor.setdefault(r[1], []).append(r)
group = next(v for v in by_mentor.values() if len({r[0] for r in v}) > 1)
a = group[0]
b = next(r for r in group if r[0] != a[0])
b[3], b[4] = a[3], a[4]
csv.writer(open(path, "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(rows)
PY
if "$MM_PYTHON" "$check" "$work/double" "$data/mentors.csv" "$data/mentees.csv" 2>"$work/double.err"; then
  echo "check_meetings accepted a double booking"; exit 1
fi
grep -q "double-booked" "$work/double.err" || { cat "$work/double.err"; exit 1; }
# ... and a calendar that lists one occurrence too many.
cp -r "$work/weekly" "$work/count"
sed -i 's/COUNT=\([0-9]*\)/COUNT=1\1/' "$work/count/meetings.ics"
if "$MM_PYTHON" "$check" "$work/count" "$data/mentors.csv" "$data/mentees.csv" 2>/dev/null; then
  echo "check_meetings accepted a calendar with an extra occurrence"; exit 1
fi
echo "ok: tampered outputs are rejected"
