#!/usr/bin/python3
"""check_ics.py: independently expands meetings.ics and compares it with meetings.csv.

Why: the calendar must describe exactly the meetings the tool listed, in a
form calendar clients read the same way.  This script shares no code with the
C writer: it checks the raw octets (CRLF, 75-octet folding), parses the
content lines itself, rebuilds each TZID's offsets from its VTIMEZONE alone,
expands RRULE with dateutil and adds RDATEs, and converts local times to UTC
the RFC 5545 way (an ambiguous time means its first occurrence).  For TZIDs
that are IANA names it also converts with Python's zoneinfo, and it makes
sure the icalendar library parses the file.

Usage: check_ics.py CALENDAR.ics MEETINGS.csv
Exit status 0 when they agree, 1 with messages on stderr otherwise.
Run with /usr/bin/python3 (Debian's, which has python3-icalendar and
python3-dateutil).
"""
import csv
import datetime as dt
import re
import sys

from dateutil import rrule

UTC = dt.timezone.utc


class CheckError(Exception):
    pass


def unfold(data):
    """Raw checks, then the logical content lines."""
    if not data.endswith(b"\r\n"):
        raise CheckError("the file does not end with CRLF")
    physical = data[:-2].split(b"\r\n")
    for n, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            raise CheckError(f"line {n}: a bare CR or LF (lines must end with CRLF)")
        if len(line) > 75:
            raise CheckError(f"line {n}: {len(line)} octets, more than 75 (fold long lines)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            raise CheckError(f"line {n}: not UTF-8 on its own (a fold split a character?)")
    logical = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            if not logical:
                raise CheckError("the file starts with a continuation line")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [l.decode("utf-8") for l in logical]


def parse_line(line):
    """NAME;P=V;P="V":VALUE -> (NAME, {P: V}, VALUE)."""
    m = re.match(r"([A-Za-z0-9-]+)", line)
    if not m:
        raise CheckError(f"not a content line: {line!r}")
    name, i, params = m.group(1).upper(), m.end(), {}
    while i < len(line) and line[i] == ";":
        m = re.match(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)', line[i:])
        if not m:
            raise CheckError(f"bad parameter in {line!r}")
        value = m.group(2)
        params[m.group(1).upper()] = value[1:-1] if value.startswith('"') else value
        i += m.end()
    if i >= len(line) or line[i] != ":":
        raise CheckError(f"no ':' after the name and parameters in {line!r}")
    return name, params, line[i + 1:]


def components(lines):
    """Nested components as dicts: {'name', 'props': [(name, params, value)], 'subs'}."""
    root = {"name": None, "props": [], "subs": []}
    stack = [root]
    for line in lines:
        name, params, value = parse_line(line)
        if name == "BEGIN":
            comp = {"name": value.upper(), "props": [], "subs": []}
            stack[-1]["subs"].append(comp)
            stack.append(comp)
        elif name == "END":
            if len(stack) == 1 or stack[-1]["name"] != value.upper():
                raise CheckError(f"END:{value} does not close BEGIN:{stack[-1]['name']}")
            stack.pop()
        else:
            stack[-1]["props"].append((name, params, value))
    if len(stack) != 1:
        raise CheckError(f"BEGIN:{stack[-1]['name']} is never closed")
    return root["subs"]


def props(comp, name):
    return [p for p in comp["props"] if p[0] == name]


def one(comp, name, required=True):
    found = props(comp, name)
    if len(found) > 1:
        raise CheckError(f"{comp['name']} has {len(found)} {name} properties")
    if not found:
        if required:
            raise CheckError(f"{comp['name']} lacks {name}")
        return None
    return found[0]


def unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_datetime(value):
    """'20270312T090000' -> (naive datetime, is_utc)."""
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(Z?)", value)
    if not m:
        raise CheckError(f"expected a DATE-TIME such as 20270312T090000, got {value!r}")
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    return dt.datetime(y, mo, d, h, mi, s), m.group(7) == "Z"


def parse_offset(value):
    m = re.fullmatch(r"([+-])(\d\d)(\d\d)(\d\d)?", value)
    if not m:
        raise CheckError(f"expected an offset such as +0530, got {value!r}")
    sec = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4) or 0)
    return -sec if m.group(1) == "-" else sec


class VTimezone:
    """Offsets of one TZID as its VTIMEZONE alone defines them."""

    def __init__(self, comp):
        self.tzid = unescape(one(comp, "TZID")[2])
        self.changes = []  # (utc seconds, offset after)
        self.initial = None
        for sub in comp["subs"]:
            if sub["name"] not in ("STANDARD", "DAYLIGHT"):
                raise CheckError(f"VTIMEZONE {self.tzid}: unexpected {sub['name']}")
            start, is_utc = parse_datetime(one(sub, "DTSTART")[2])
            if is_utc:
                raise CheckError(f"VTIMEZONE {self.tzid}: DTSTART must be local time")
            off_from = parse_offset(one(sub, "TZOFFSETFROM")[2])
            off_to = parse_offset(one(sub, "TZOFFSETTO")[2])
            onsets = [start]
            rule = one(sub, "RRULE", required=False)
            if rule:
                onsets = list(rrule.rrulestr(rule[2], dtstart=start,
                                             ignoretz=True).between(start, dt.datetime(2200, 1, 1), inc=True))
            for rd in props(sub, "RDATE"):
                onsets += [parse_datetime(v)[0] for v in rd[2].split(",")]
            for onset in onsets:
                utc = epoch(onset) - off_from
                self.changes.append((utc, off_to, off_from))
        if not self.changes:
            raise CheckError(f"VTIMEZONE {self.tzid} has no STANDARD or DAYLIGHT part")
        self.changes.sort()
        self.initial = self.changes[0][2]

    def offset_at(self, t):
        off = self.initial
        for at, to, _ in self.changes:
            if at <= t:
                off = to
        return off

    def to_utc(self, local):
        """RFC 5545 3.3.5: the first of two, none for a skipped local time."""
        seconds = epoch(local)
        offsets = {self.initial} | {c[1] for c in self.changes}
        valid = [seconds - off for off in offsets if self.offset_at(seconds - off) == off]
        if not valid:
            raise CheckError(f"{local} does not exist in {self.tzid}")
        return min(valid)


def epoch(naive):
    return int((naive - dt.datetime(1970, 1, 1)).total_seconds())


def zoneinfo_utc(tzid, local):
    """The same conversion by Python's zoneinfo, or None for a non-IANA TZID."""
    try:
        from zoneinfo import ZoneInfo
        zone = ZoneInfo(tzid)
    except Exception:
        return None
    return int(local.replace(tzinfo=zone, fold=0).timestamp())


def expand_event(ev, zones):
    """UTC (start, end) pairs of every occurrence of a VEVENT."""
    _, sp, sv = one(ev, "DTSTART")
    start, start_utc = parse_datetime(sv)
    _, ep, evv = one(ev, "DTEND")
    end, end_utc = parse_datetime(evv)
    tzid = sp.get("TZID")
    if ep.get("TZID") != tzid:
        raise CheckError("DTSTART and DTEND use different TZIDs")
    if start_utc != end_utc or (start_utc and tzid):
        raise CheckError("DTSTART/DTEND mix UTC and TZID forms")
    if not start_utc and tzid is None:
        raise CheckError("a floating DTSTART (neither Z nor TZID)")
    if tzid is not None and tzid not in zones:
        raise CheckError(f"TZID {tzid} has no VTIMEZONE")

    def to_utc(local):
        if start_utc:
            return epoch(local)
        utc = zones[tzid].to_utc(local)
        other = zoneinfo_utc(tzid, local)
        if other is not None and other != utc:
            raise CheckError(f"{local} {tzid}: VTIMEZONE gives {utc}, zoneinfo {other}")
        return utc

    first, length = to_utc(start), None
    length = to_utc(end) - first
    if length <= 0:
        raise CheckError("DTEND is not after DTSTART")
    locals_ = [start]
    rule = one(ev, "RRULE", required=False)
    if rule:
        text = rule[2]
        if "COUNT=" not in text and "UNTIL=" not in text:
            raise CheckError("an RRULE without COUNT or UNTIL never ends")
        locals_ = list(rrule.rrulestr(text, dtstart=start, ignoretz=True))
    for _, rp, rv in props(ev, "RDATE"):
        if rp.get("TZID") != tzid:
            raise CheckError("RDATE and DTSTART use different TZIDs")
        for v in rv.split(","):
            local, is_utc = parse_datetime(v)
            if is_utc != start_utc:
                raise CheckError("RDATE and DTSTART mix UTC and TZID forms")
            locals_.append(local)
    starts = sorted(to_utc(l) for l in locals_)
    if len(set(starts)) != len(starts):
        raise CheckError("RRULE and RDATE give the same occurrence twice")
    return [(s, s + length) for s in starts]


def expand_calendar(path):
    """{(mentee_id, mentor_id): [(start, end), ...]} from a meetings.ics."""
    with open(path, "rb") as f:
        data = f.read()
    comps = components(unfold(data))
    if len(comps) != 1 or comps[0]["name"] != "VCALENDAR":
        raise CheckError("expected exactly one VCALENDAR")
    cal = comps[0]
    if one(cal, "VERSION")[2] != "2.0":
        raise CheckError("VERSION is not 2.0")
    one(cal, "PRODID")
    if one(cal, "CALSCALE")[2] != "GREGORIAN" or one(cal, "METHOD")[2] != "PUBLISH":
        raise CheckError("expected CALSCALE:GREGORIAN and METHOD:PUBLISH")
    zones = {}
    for sub in cal["subs"]:
        if sub["name"] == "VTIMEZONE":
            z = VTimezone(sub)
            if z.tzid in zones:
                raise CheckError(f"two VTIMEZONEs for {z.tzid}")
            zones[z.tzid] = z
    events, uids = {}, set()
    for ev in (s for s in cal["subs"] if s["name"] == "VEVENT"):
        uid = one(ev, "UID")[2]
        if uid in uids:
            raise CheckError(f"UID {uid} is used twice")
        uids.add(uid)
        parse_datetime(one(ev, "DTSTAMP")[2])
        for name in ("SUMMARY", "ORGANIZER", "ATTENDEE"):
            one(ev, name)
        key = (unescape(one(ev, "X-MENTORMATCH-MENTEE")[2]),
               unescape(one(ev, "X-MENTORMATCH-MENTOR")[2]))
        if key in events:
            raise CheckError(f"two events for mentee {key[0]} and mentor {key[1]}")
        try:
            events[key] = expand_event(ev, zones)
        except CheckError as err:
            raise CheckError(f"event {uid} ({key[0]}, {key[1]}): {err}")
    # A real library must read it too.
    try:
        import icalendar
        cal_lib = icalendar.Calendar.from_ical(data)
        n_lib = sum(1 for c in cal_lib.walk() if c.name == "VEVENT")
    except Exception as err:  # the library's own error types vary by version
        raise CheckError(f"python icalendar cannot parse the file: {err}")
    if n_lib != len(events):
        raise CheckError(f"icalendar sees {n_lib} events, this checker {len(events)}")
    return events


def parse_utc(text):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z", text)
    if not m:
        raise CheckError(f"expected a UTC time such as 2027-03-12T14:00:00Z, got {text!r}")
    return epoch(dt.datetime(*(int(g) for g in m.groups())))


def plain_id(cell):
    """meetings.csv neutralises cells starting with = + - @ with an apostrophe."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def csv_occurrences(path):
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (plain_id(row["mentee_id"]), plain_id(row["mentor_id"]))
            out.setdefault(key, []).append((parse_utc(row["start_utc"]), parse_utc(row["end_utc"])))
    return {k: sorted(v) for k, v in out.items()}


def compare(events, rows):
    problems = []
    for key in sorted(set(events) | set(rows)):
        a, b = events.get(key), rows.get(key)
        if a is None:
            problems.append(f"pair {key}: in meetings.csv, no event in meetings.ics")
        elif b is None:
            problems.append(f"pair {key}: event in meetings.ics, no rows in meetings.csv")
        elif a != b:
            problems.append(f"pair {key}: calendar expands to {fmt(a)}, meetings.csv lists {fmt(b)}")
    return problems


def fmt(spans):
    return ", ".join(dt.datetime.fromtimestamp(s, UTC).strftime("%Y-%m-%dT%H:%MZ") for s, _ in spans)


def main(argv):
    if len(argv) != 3:
        print("usage: check_ics.py CALENDAR.ics MEETINGS.csv", file=sys.stderr)
        return 2
    try:
        events = expand_calendar(argv[1])
        rows = csv_occurrences(argv[2])
    except (CheckError, OSError, KeyError) as err:
        print(f"check_ics: {err}", file=sys.stderr)
        return 1
    problems = compare(events, rows)
    for p in problems:
        print(f"check_ics: {p}", file=sys.stderr)
    if not problems:
        n = sum(len(v) for v in events.values())
        print(f"check_ics: {len(events)} events expand to the {n} occurrences of meetings.csv")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
