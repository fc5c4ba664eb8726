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
import bisect
import csv
import datetime as dt
import os
import re
import sys
import urllib.parse

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
                                             ignoretz=True).between(start, dt.datetime(2100, 1, 1), inc=True))
            for rd in props(sub, "RDATE"):
                onsets += [parse_datetime(v)[0] for v in rd[2].split(",")]
            for onset in onsets:
                utc = epoch(onset) - off_from
                self.changes.append((utc, off_to, off_from))
        if not self.changes:
            raise CheckError(f"VTIMEZONE {self.tzid} has no STANDARD or DAYLIGHT part")
        self.changes.sort()
        self.initial = self.changes[0][2]
        self.times = [c[0] for c in self.changes]

    def offset_at(self, t):
        k = bisect.bisect_right(self.times, t)
        return self.changes[k - 1][1] if k else self.initial

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


def event_times(ev, zones):
    """(tzid or None, to_utc) for a VEVENT's DTSTART/DTEND, checking their form."""
    _, sp, sv = one(ev, "DTSTART")
    _, is_utc = parse_datetime(sv)
    tzid = sp.get("TZID")
    if len(props(ev, "DTEND")) + len(props(ev, "DURATION")) != 1:
        raise CheckError("a VEVENT needs one DTEND or one DURATION")
    if props(ev, "DURATION"):
        if not re.fullmatch(r"PT(?=\d)(\d+H)?(\d+M)?", one(ev, "DURATION")[2]):
            raise CheckError(f"DURATION {one(ev, 'DURATION')[2]!r} is not hours and minutes such as PT1H30M")
    else:
        _, ep, evv = one(ev, "DTEND")
        _, end_utc = parse_datetime(evv)
        if ep.get("TZID") != tzid or is_utc != end_utc or (is_utc and tzid):
            raise CheckError("DTSTART and DTEND mix UTC and TZID forms")
    if not is_utc and tzid is None:
        raise CheckError("a floating DTSTART (neither Z nor TZID)")
    if tzid is not None and tzid not in zones:
        raise CheckError(f"TZID {tzid} has no VTIMEZONE")

    def to_utc(local):
        if tzid is None:
            return epoch(local)
        got = zones[tzid].to_utc(local)
        other = zoneinfo_utc(tzid, local)
        if other is not None and other != got:
            raise CheckError(f"{local} {tzid}: VTIMEZONE gives {got}, zoneinfo {other}")
        return got
    return tzid, to_utc


def expand_own(master, zones):
    """UTC starts of a master VEVENT's RRULE, by this script's own reading."""
    tzid, to_utc = event_times(master, zones)
    start = parse_datetime(one(master, "DTSTART")[2])[0]
    rule = one(master, "RRULE", required=False)
    if not rule:
        raise CheckError("the series has no RRULE")
    if "COUNT=" not in rule[2] and "UNTIL=" not in rule[2]:
        raise CheckError("an RRULE without COUNT or UNTIL never ends")
    if props(master, "RDATE"):
        raise CheckError("RDATE used (checkpoints must be RECURRENCE-ID overrides)")
    locals_ = list(rrule.rrulestr(rule[2], dtstart=start, ignoretz=True))
    return tzid, [to_utc(l) for l in locals_], locals_


METHODS = {"meetings.ics": "PUBLISH", "invites": "REQUEST", "calendars": "PUBLISH"}


def read_file(path, method):
    """{(mentee, mentor): series} of one calendar file, after every check on it alone."""
    with open(path, "rb") as f:
        data = f.read()
    comps = components(unfold(data))
    if len(comps) != 1 or comps[0]["name"] != "VCALENDAR":
        raise CheckError("expected exactly one VCALENDAR")
    cal = comps[0]
    if one(cal, "VERSION")[2] != "2.0" or one(cal, "CALSCALE")[2] != "GREGORIAN":
        raise CheckError("expected VERSION:2.0 and CALSCALE:GREGORIAN")
    one(cal, "PRODID")
    if one(cal, "METHOD")[2] != method:
        raise CheckError(f"METHOD is {one(cal, 'METHOD')[2]}, expected {method}")
    zones = {}
    for sub in cal["subs"]:
        if sub["name"] == "VTIMEZONE":
            z = VTimezone(sub)
            if z.tzid in zones:
                raise CheckError(f"two VTIMEZONEs for {z.tzid}")
            if not any(s["name"] == "STANDARD" for s in sub["subs"]):
                raise CheckError(f"VTIMEZONE {z.tzid} has no STANDARD part")
            zones[z.tzid] = z
    by_uid = {}
    for ev in (s for s in cal["subs"] if s["name"] == "VEVENT"):
        by_uid.setdefault(one(ev, "UID")[2], []).append(ev)
        parse_datetime(one(ev, "DTSTAMP")[2])
        int(one(ev, "SEQUENCE")[2])
        one(ev, "SUMMARY")
        one(ev, "ORGANIZER")
        attendees = props(ev, "ATTENDEE")
        if method == "PUBLISH" and attendees:
            raise CheckError("an ATTENDEE in a PUBLISH calendar")
        if method == "REQUEST" and (len(attendees) != 1 or attendees[0][1].get("RSVP") != "TRUE"):
            raise CheckError("a REQUEST event needs its one ATTENDEE with RSVP=TRUE")
    series = {}
    for uid, evs in by_uid.items():
        masters = [e for e in evs if not props(e, "RECURRENCE-ID")]
        if len(masters) != 1:
            raise CheckError(f"UID {uid}: {len(masters)} events without RECURRENCE-ID, expected 1")
        m = masters[0]
        key = (unescape(one(m, "X-MENTORMATCH-MENTEE")[2]), unescape(one(m, "X-MENTORMATCH-MENTOR")[2]))
        if key in series:
            raise CheckError(f"two series for mentee {key[0]} and mentor {key[1]}")
        try:
            tzid, starts, locals_ = expand_own(m, zones)
            overrides = {}
            for ev in evs:
                if ev is m:
                    continue
                _, rp, rv = one(ev, "RECURRENCE-ID")
                local, _ = parse_datetime(rv)
                if rp.get("TZID") != tzid or local not in locals_:
                    raise CheckError(f"RECURRENCE-ID {rv} is not an occurrence of the series")
                overrides[locals_.index(local)] = ev
        except CheckError as err:
            raise CheckError(f"series {uid} {key}: {err}")
        series[key] = {"uid": uid, "starts": starts, "locals": locals_, "overrides": overrides,
                       "sequence": one(m, "SEQUENCE")[2], "master": m}
    for tzid, zone in zones.items():
        spans = [s["starts"] for s in series.values() if one(s["master"], "DTSTART")[1].get("TZID") == tzid]
        if spans:
            zone_agrees(zone, min(min(x) for x in spans), max(max(x) for x in spans))
    library_expand(data, series)
    return series


def zone_agrees(zone, first, last):
    """The VTIMEZONE alone gives zoneinfo's offset every hour from a week
    before a series to a week after it (where zoneinfo knows the TZID)."""
    try:
        from zoneinfo import ZoneInfo
        info = ZoneInfo(zone.tzid)
    except Exception:
        return
    for t in range(first - 7 * 86400, last + 7 * 86400, 3600):
        want = int(dt.datetime.fromtimestamp(t, UTC).astimezone(info).utcoffset().total_seconds())
        if zone.offset_at(t) != want:
            raise CheckError(f"VTIMEZONE {zone.tzid} gives offset {zone.offset_at(t)} at "
                             f"{dt.datetime.fromtimestamp(t, UTC):%Y-%m-%dT%H:%MZ}, zoneinfo {want}")


def library_expand(data, series):
    """python-icalendar parses the file and recurring_ical_events expands it;
    the occurrences must be the ones this script computed, with each
    override's own SUMMARY."""
    try:
        import icalendar
        import recurring_ical_events
        cal = icalendar.Calendar.from_ical(data)
        occ = recurring_ical_events.of(cal).between(dt.datetime(1990, 1, 1), dt.datetime(2200, 1, 1))
    except Exception as err:  # the libraries' own error types vary by version
        raise CheckError(f"python icalendar / recurring_ical_events cannot read the file: {err}")
    by_uid = {}
    for ev in occ:
        start = ev["DTSTART"].dt
        end = ev["DTEND"].dt
        if start.tzinfo is None:
            raise CheckError(f"recurring_ical_events gives a floating time {start}")
        by_uid.setdefault(str(ev["UID"]), []).append(
            (int(start.timestamp()), int(end.timestamp()), str(ev.get("SUMMARY", "")),
             str(ev.get("LOCATION", ""))))
    for key, s in series.items():
        got = sorted(by_uid.get(s["uid"], []))
        if [g[0] for g in got] != s["starts"]:
            raise CheckError(f"pair {key}: recurring_ical_events expands to {fmt(got)}, "
                             f"the RRULE read here to {fmt([(t, 0) for t in s['starts']])}")
        s["library"] = got


def check_against_csv(key, s, rows, where):
    """Every meetings.csv row of the pair is the series' occurrence with its
    number, checkpoints and the in-person meeting are overrides that say so,
    the series ends with the last listed occurrence, and every occurrence in
    between keeps the mentor's local weekday and time."""
    problems = []
    got = s["library"]
    last = max(r["n"] for r in rows)
    if len(got) != last:
        problems.append(f"{where} {key}: {len(got)} occurrences, meetings.csv lists up to number {last}")
    for r in rows:
        if r["n"] > len(got):
            continue
        start, end, summary, location = got[r["n"] - 1]
        if (start, end) != (r["start"], r["end"]):
            problems.append(f"{where} {key}: occurrence {r['n']} is {fmt([(start, end)])}, "
                            f"meetings.csv says {fmt([(r['start'], r['end'])])}")
        if (r["kind"] == "checkpoint") != ("checkpoint" in summary):
            problems.append(f"{where} {key}: occurrence {r['n']} ({r['kind']}) has SUMMARY {summary!r}")
        if (r["format"] == "in-person") != ("in person" in summary):
            problems.append(f"{where} {key}: occurrence {r['n']} ({r['format']}) has SUMMARY {summary!r}")
        if r["format"] == "in-person" and not location:
            problems.append(f"{where} {key}: the in-person meeting has no LOCATION")
    listed = {r["n"] - 1 for r in rows}
    for k in set(s["overrides"]) - listed:
        problems.append(f"{where} {key}: occurrence {k + 1} is overridden but not in meetings.csv")
    walls = {(l.weekday(), l.time()) for l in s["locals"]}
    gaps = {(b - a).days for a, b in zip(s["locals"], s["locals"][1:])}
    if len(walls) != 1 or len(gaps) > 1 or (gaps and gaps.pop() not in (7, 14, 28)):
        problems.append(f"{where} {key}: occurrences do not keep one local weekday and time")
    return problems


def check_outdir(outdir):
    """Every calendar file of a run against its meetings.csv; a list of problems."""
    rows = {}
    with open(os.path.join(outdir, "meetings.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (plain_id(row["mentee_id"]), plain_id(row["mentor_id"]))
            rows.setdefault(key, []).append({
                "n": int(row["occurrence"]), "start": parse_utc(row["start_utc"]),
                "end": parse_utc(row["end_utc"]), "kind": row["kind"], "format": row["format"]})
    problems, files = [], [("meetings.ics", "meetings.ics")]
    for sub in ("invites", "calendars"):
        folder = os.path.join(outdir, sub)
        names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        files += [(f"{sub}/{n}", sub) for n in names]
    uids, seen_invites, per_person = {}, set(), {}
    for name, kind in files:
        try:
            series = read_file(os.path.join(outdir, name), METHODS[kind])
        except (CheckError, OSError) as err:
            problems.append(f"{name}: {err}")
            continue
        for key, s in series.items():
            if uids.setdefault(key, s["uid"]) != s["uid"]:
                problems.append(f"{name}: pair {key} has UID {s['uid']}, elsewhere {uids[key]}")
            if key not in rows:
                problems.append(f"{name}: pair {key} is not in meetings.csv")
                continue
            problems += check_against_csv(key, s, rows[key], name)
        if kind == "meetings.ics" and set(series) != set(rows):
            problems.append(f"meetings.ics holds {len(series)} pairs, meetings.csv {len(rows)}")
        if kind == "invites":
            if len(series) != 1:
                problems.append(f"{name}: {len(series)} series, expected one")
            seen_invites |= set(series)
        if kind == "calendars":
            pid = urllib.parse.unquote(os.path.basename(name)[:-len(".ics")])
            per_person[pid] = set(series)
    if set(rows) - seen_invites:
        problems.append(f"no invitation for {sorted(set(rows) - seen_invites)[:5]}")
    for pid in {p for k in rows for p in k}:
        want = {k for k in rows if pid in k}
        if per_person.get(pid) != want:
            problems.append(f"calendars/: {pid} has {sorted(per_person.get(pid, []))}, expected {sorted(want)}")
    return problems, sum(len(v) for v in rows.values()), len(files)


def parse_utc(text):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z", text)
    if not m:
        raise CheckError(f"expected a UTC time such as 2027-03-12T14:00:00Z, got {text!r}")
    return epoch(dt.datetime(*(int(g) for g in m.groups())))


def plain_id(cell):
    """meetings.csv neutralises cells starting with = + - @ or an apostrophe with an apostrophe."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r'":
        return cell[1:]
    return cell


def fmt(spans):
    stamp = lambda t: dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%MZ")
    return ", ".join(stamp(span[0]) + (f" to {stamp(span[1])}" if span[1] else "") for span in spans)


def main(argv):
    if len(argv) != 2:
        print("usage: check_ics.py OUTDIR", file=sys.stderr)
        return 2
    try:
        problems, rows, files = check_outdir(argv[1])
    except (CheckError, OSError, KeyError, ValueError) as err:
        print(f"check_ics: {err}", file=sys.stderr)
        return 1
    for p in problems[:50]:
        print(f"check_ics: {p}", file=sys.stderr)
    if not problems:
        print(f"check_ics: {files} calendar files agree with the {rows} rows of meetings.csv")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
