#!/usr/bin/env python3
"""check_calendar_series.py: every file of a run shows each series with the same bytes.

Usage: check_calendar_series.py OUT_DIR

The calendar files of `mentormatch match` (meetings.ics, invites/ and
calendars/) are rendered one file at a time, each series where a file needs
it, not copied from one stored text.  This checks, on the folded bytes and
independently of the writer, that nothing of one series or file leaks into
another:
  - every series (the VEVENTs of one UID) of a person calendar is
    byte-for-byte its text in meetings.ics, and the person calendar lists
    exactly the series of pairings.csv that name the person on either side
    (once when both sides), in meetings.ics's order;
  - every invitation holds one series, its meetings.ics text with one
    ATTENDEE property added to each VEVENT after ORGANIZER.
Prints the first mismatch and exits 1, else prints a one-line count.
"""
import csv
import os
import re
import sys


def series_of(path):
    """[(uid, bytes of its VEVENTs)] in file order; a UID's VEVENTs are adjacent."""
    data = open(path, "rb").read()
    out = []
    for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.S):
        uid = re.search(rb"\r\nUID:([^\r]*)\r\n", block).group(1).decode()
        if out and out[-1][0] == uid:
            out[-1] = (uid, out[-1][1] + block)
        else:
            out.append((uid, block))
    return out


def drop_attendees(text):
    """The text without its ATTENDEE properties (each with its folded lines)."""
    return re.sub(rb"\r\nATTENDEE[;:](?:[^\r]|\r\n )*", b"", text)


def fail(message):
    print("check_calendar_series: " + message)
    sys.exit(1)


def main():
    out = sys.argv[1]
    published = series_of(os.path.join(out, "meetings.ics"))
    text = dict(published)
    order = {uid: k for k, (uid, _) in enumerate(published)}
    mentee_mentor = re.compile(rb"\r\nX-MENTORMATCH-MENTEE:([^\r]*)\r\nX-MENTORMATCH-MENTOR:([^\r]*)\r\n")
    who = {uid: mentee_mentor.search(t).groups() for uid, t in published}
    if len(text) != len(published):
        fail("meetings.ics lists a series twice")
    with open(os.path.join(out, "pairings.csv"), newline="", encoding="utf-8") as f:
        pairs = {(r["mentee_id"], r["mentor_id"]) for r in csv.DictReader(f)}
    people = {}
    for uid, (mentee, mentor) in who.items():
        key = (mentee.decode(), mentor.decode())
        if key not in pairs:
            fail("series %s is not a pair of pairings.csv" % uid)
        for person in set(key):
            people.setdefault(person, []).append(uid)
    checked = 0
    for name in sorted(os.listdir(os.path.join(out, "calendars"))):
        got = series_of(os.path.join(out, "calendars", name))
        uids = [uid for uid, _ in got]
        person = name[: -len(".ics")]
        want = sorted(people.get(person, []), key=order.get)
        if uids != want:
            fail("calendars/%s lists %s, expected %s" % (name, uids, want))
        for uid, t in got:
            if t != text[uid]:
                fail("calendars/%s: series %s differs from meetings.ics" % (name, uid))
            checked += 1
    if sum(len(v) for v in people.values()) != checked:
        fail("a person with meetings has no calendar")
    invites = sorted(os.listdir(os.path.join(out, "invites")))
    for name in invites:
        got = series_of(os.path.join(out, "invites", name))
        if len(got) != 1:
            fail("invites/%s holds %d series" % (name, len(got)))
        uid, t = got[0]
        if drop_attendees(t) != text.get(uid):
            fail("invites/%s: without ATTENDEE, series %s differs from meetings.ics" % (name, uid))
        if t.count(b"\r\nATTENDEE;") != t.count(b"BEGIN:VEVENT\r\n"):
            fail("invites/%s: not one ATTENDEE per VEVENT" % name)
    if len(invites) != len(published):
        fail("%d invitations for %d series" % (len(invites), len(published)))
    print("check_calendar_series: %d series, %d in person calendars, %d invitations: the same bytes"
          % (len(published), checked, len(invites)))


if __name__ == "__main__":
    main()
