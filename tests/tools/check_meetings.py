#!/usr/bin/python3
"""check_meetings.py: re-checks a run's meetings.csv and meetings.ics against the rosters.

Why: scheduling mixes weekly masks, time zones and clock changes, which is
where subtle errors hide.  This script shares no code with the C tool: it
reads the rosters with the csv module, parses availability with its own
grammar, converts times with Python's zoneinfo, and checks that

  * every occurrence lies inside both people's availability, each read in
    their own zone on that actual date (every quarter hour of the meeting);
  * the local start times printed for both people are right;
  * a series keeps the mentor's local weekday and time, occurrences are
    numbered upwards from 1 and spaced by one interval of whole weeks, and
    (with --start) the first one is on or after the start date in both
    people's calendars;
  * nobody is in two meetings at once, nor closer than --buffer-minutes: a
    person is every roster row joined to another by the same id across the
    two files or the same e-mail address (case-insensitively, on either
    side), transitively;
  * "in-person" appears only on a first meeting of a pair sharing a location;
  * meetings.ics expands to exactly the rows of meetings.csv (check_ics.py).

Usage: check_meetings.py OUTDIR MENTORS.csv MENTEES.csv [--start YYYY-MM-DD] [--buffer-minutes N]
Exit status 0 when all holds, 1 with messages on stderr otherwise.
"""
import csv
import datetime as dt
import os
import re
import sys
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_ics  # noqa: E402

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
GROUPS = {"weekdays": [0, 1, 2, 3, 4], "weekends": [5, 6], "weekend": [5, 6],
          "daily": list(range(7)), "everyday": list(range(7))}


def day_word(word):
    w = word.lower()
    if w in GROUPS:
        return GROUPS[w], None
    for d, name in enumerate(DAYS):
        if len(w) >= 3 and name.startswith(w):
            return [d], d
    raise ValueError(f"unknown day {word!r}")


def parse_availability(text):
    """Set of (weekday, quarter) a person is free, local time."""
    free = set()
    for window in text.split(";"):
        window = window.strip()
        if not window:
            continue
        m = re.match(r"^(.*?)(\d{1,2}:\d\d\s*-\s*\d{1,2}:\d\d(?:\s*,\s*\d{1,2}:\d\d\s*-\s*\d{1,2}:\d\d)*)$",
                     window)
        if not m:
            raise ValueError(f"cannot read window {window!r}")
        days = set()
        for item in m.group(1).strip().rstrip(",").split(","):
            item = item.strip()
            if "-" in item:
                a, b = (s.strip() for s in item.split("-", 1))
                _, da = day_word(a)
                _, db = day_word(b)
                d = da
                while True:
                    days.add(d)
                    if d == db:
                        break
                    d = (d + 1) % 7
            else:
                days.update(day_word(item)[0])
        for rng in m.group(2).split(","):
            a, b = (s.strip() for s in rng.split("-"))
            qa = minutes(a) // 15
            qb = minutes(b) // 15
            for d in days:
                for q in range(qa, qb):
                    free.add((d, q))
    return free


def minutes(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def zone_of(name):
    name = name.strip()
    if name.upper() in ("UTC", "GMT", "Z"):
        return dt.timezone.utc
    m = re.fullmatch(r"(?i)(?:UTC|GMT)([+-])(\d{1,2})(?::?(\d\d))?", name)
    if m:
        off = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return dt.timezone(-off if m.group(1) == "-" else off)
    return ZoneInfo(name)


def read_roster(path):
    people = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
            people[row["id"].strip()] = {
                "zone": zone_of(row["timezone"]),
                "free": parse_availability(row["availability"]),
                "location": row.get("location", "").strip().lower(),
                "email": row.get("email", "").strip().lower(),
            }
    return people


def persons(mentors, mentees):
    """Maps ("mentor"|"mentee", id) to one key per person: rows joined by
    the same id across the files or the same e-mail address, transitively."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a, b):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_mail = {}
    for side, roster in (("mentor", mentors), ("mentee", mentees)):
        for pid, person in roster.items():
            root((side, pid))
            if person["email"]:
                join(by_mail.setdefault(person["email"], (side, pid)), (side, pid))
    for pid in mentees:
        if pid in mentors:
            join(("mentor", pid), ("mentee", pid))
    return {key: root(key) for key in parent}


def parse_local(text):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)", text)
    if not m:
        raise ValueError(f"expected a local time such as 2027-03-12T09:00:00-05:00, got {text!r}")
    g = [int(x) for x in m.groups()[:6]]
    off = dt.timedelta(hours=int(m.group(8)), minutes=int(m.group(9)))
    return dt.datetime(*g, tzinfo=dt.timezone(-off if m.group(7) == "-" else off))


def utc(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc)


def check(outdir, mentors, mentees, start=None, buffer_minutes=0):
    problems = []
    person_of = persons(mentors, mentees)
    rows = []
    with open(os.path.join(outdir, "meetings.csv"), newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        want = ["mentee_id", "mentor_id", "occurrence", "start_utc", "end_utc",
                "mentor_local_start", "mentee_local_start", "kind", "format"]
        if reader.fieldnames != want:
            return [f"meetings.csv header is {reader.fieldnames}, expected {want}"]
        rows = list(reader)
    series = {}
    busy = {}
    for n, row in enumerate(rows, 2):
        where = f"meetings.csv:{n}"
        mentee_id = check_ics.plain_id(row["mentee_id"])
        mentor_id = check_ics.plain_id(row["mentor_id"])
        if mentor_id not in mentors or mentee_id not in mentees:
            problems.append(f"{where}: unknown mentor {mentor_id!r} or mentee {mentee_id!r}")
            continue
        s = check_ics.parse_utc(row["start_utc"])
        e = check_ics.parse_utc(row["end_utc"])
        if e <= s or (e - s) % 900:
            problems.append(f"{where}: end is not a whole number of quarter hours after start")
            continue
        for who, person, col in (("mentor", mentors[mentor_id], "mentor_local_start"),
                                 ("mentee", mentees[mentee_id], "mentee_local_start")):
            local = utc(s).astimezone(person["zone"])
            try:
                printed = parse_local(row[col])
            except ValueError as err:
                problems.append(f"{where}: {err}")
                continue
            if printed != local or printed.utcoffset() != local.utcoffset():
                problems.append(f"{where}: {col} is {row[col]}, zoneinfo says {local.isoformat()}")
            for t in range(s, e, 900):
                lt = utc(t).astimezone(person["zone"])
                slot = (lt.weekday(), (lt.hour * 60 + lt.minute) // 15)
                if slot not in person["free"]:
                    problems.append(f"{where}: the {who} is not available at {lt.isoformat()} "
                                    f"({DAYS[slot[0]].title()} {lt:%H:%M} local)")
                    break
        if row["kind"] not in ("meeting", "checkpoint"):
            problems.append(f"{where}: kind {row['kind']!r}")
        if row["format"] not in ("in-person", "video"):
            problems.append(f"{where}: format {row['format']!r}")
        series.setdefault((mentee_id, mentor_id), []).append((int(row["occurrence"]), s, e, row))
        for key in {person_of[("mentee", mentee_id)], person_of[("mentor", mentor_id)]}:
            busy.setdefault(key, []).append((s, e, where))

    for (mentee_id, mentor_id), occ in series.items():
        name = f"pair ({mentee_id}, {mentor_id})"
        numbers = [o[0] for o in occ]
        if numbers != sorted(set(numbers)) or numbers[0] != 1:
            problems.append(f"{name}: occurrences numbered {numbers}, expected rising from 1")
        mz, ez = mentors[mentor_id]["zone"], mentees[mentee_id]["zone"]
        first = utc(occ[0][1])
        wall = {(utc(s).astimezone(mz).weekday(), utc(s).astimezone(mz).time()) for _, s, _, _ in occ}
        if len(wall) != 1:
            problems.append(f"{name}: the mentor's local weekday and time change: {sorted(wall)}")
        base = first.astimezone(mz).date()
        step = set()
        for k, s, _, _ in occ[1:]:
            days = (utc(s).astimezone(mz).date() - base).days
            if days % (7 * (k - 1)):
                problems.append(f"{name}: occurrence {k} is {days} days after the first")
            step.add(days // (k - 1))
        if len(step) > 1:
            problems.append(f"{name}: occurrences are not evenly spaced ({sorted(step)} days)")
        if start:
            for z, who in ((mz, "mentor"), (ez, "mentee")):
                if first.astimezone(z).date() < start:
                    problems.append(f"{name}: first meeting before the start in the {who}'s calendar")
        same_place = (mentors[mentor_id]["location"] and
                      mentors[mentor_id]["location"] == mentees[mentee_id]["location"])
        for k, _, _, row in occ:
            if row["format"] == "in-person" and not (k == 1 and same_place):
                problems.append(f"{name}: occurrence {k} is in person")
        if same_place and occ[0][0] == 1 and occ[0][3]["format"] != "in-person":
            problems.append(f"{name}: same location, but the first meeting is not in person")

    gap = 60 * buffer_minutes
    for key, spans in busy.items():
        spans.sort()
        for a, b in zip(spans, spans[1:]):
            if b[0] < a[1]:
                problems.append(f"{key[1]} is double-booked: {a[2]} and {b[2]} overlap")
            elif b[0] < a[1] + gap:
                problems.append(f"{key[1]} has less than {buffer_minutes} minutes between {a[2]} and {b[2]}")

    ics = os.path.join(outdir, "meetings.ics")
    try:
        events = check_ics.expand_calendar(ics)
        problems += check_ics.compare(events, check_ics.csv_occurrences(
            os.path.join(outdir, "meetings.csv")))
    except (check_ics.CheckError, OSError) as err:
        problems.append(f"meetings.ics: {err}")
    return problems


def main(argv):
    args = argv[1:]
    start = None
    buffer_minutes = 0
    if "--buffer-minutes" in args:
        i = args.index("--buffer-minutes")
        buffer_minutes = int(args[i + 1])
        del args[i:i + 2]
    if "--start" in args:
        i = args.index("--start")
        start = dt.date.fromisoformat(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        print("usage: check_meetings.py OUTDIR MENTORS.csv MENTEES.csv [--start YYYY-MM-DD] "
              "[--buffer-minutes N]", file=sys.stderr)
        return 2
    try:
        mentors = read_roster(args[1])
        mentees = read_roster(args[2])
        problems = check(args[0], mentors, mentees, start, buffer_minutes)
    except (OSError, KeyError, ValueError) as err:
        print(f"check_meetings: {err}", file=sys.stderr)
        return 1
    for p in problems[:50]:
        print(f"check_meetings: {p}", file=sys.stderr)
    if len(problems) > 50:
        print(f"check_meetings: ... and {len(problems) - 50} more", file=sys.stderr)
    if not problems:
        print(f"check_meetings: {args[0]}: every meeting fits both people, nobody is double-booked, "
              "and meetings.ics matches meetings.csv")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
