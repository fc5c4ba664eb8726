#!/usr/bin/env bash
# The calendar files of `match` as invitations people can act on: every file
# (meetings.ics, invites/, calendars/) parsed by python-icalendar, expanded by
# recurring_ical_events and compared with meetings.csv (tests/tools/check_ics.py),
# and checked by libical's RFC 5546 restrictions with zero complaints; then one
# check per defect of issue 11, each of which the old writer failed.
# Rosters: tests/data/calendars (New York, Dublin, London, Kolkata, Sydney, UTC,
# UTC+05:00 and UTC+5, UTC+05:30 and UTC+0530, a 600-byte UTF-8 name, an
# internationalised e-mail, a tab, quotes and a caret in a name, an invalid
# e-mail, a hyphen in an id).
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
if [ -z "${MM_ICS_RESTRICT:-}" ]; then
  echo "SKIP: libical-dev not found when configuring (see README's test command)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$MM_SRC/tests/data/calendars"
. "$MM_SRC/tests/tools/cli_checks.sh"
export SOURCE_DATE_EPOCH=1800000000
run() { # run OUT [flags]
  local out=$1
  shift
  "$MM_BIN" match --mentors "$data/mentors.csv" --mentees "$data/mentees.csv" \
    --pairs "$data/pairs.csv" --quiet --out "$work/$out" "$@" 2>>"$work/$out.err" ||
    { echo "FAIL run $out $*: $(cat "$work/$out.err")"; return 1; }
}
# Logical (unfolded) content lines of calendar files.
logical() { "$MM_PYTHON" -c '
import sys
for path in sys.argv[1:]:
    data = open(path, "rb").read().decode("utf-8", "replace")
    print(data.replace("\r\n ", "").replace("\r\n", "\n"), end="")' "$@"; }
all_files() { echo "$work/$1/meetings.ics" "$work/$1"/invites/*.ics "$work/$1"/calendars/*.ics; }
uids() { logical "$@" | grep '^UID:' | sort -u; }
ny_zone() { logical "$work/ny/meetings.ics" | sed -n '/^TZID:America\/New_York$/,/^END:VTIMEZONE/p'; }
# The checks below run in `bash -c`: they see these functions and variables.
export -f logical all_files uids ny_zone run
export work data MM_BIN MM_PYTHON MM_ICS_RESTRICT
full_check() { # full_check OUT: icalendar + recurring_ical_events, then libical
  "$MM_PYTHON" "$MM_SRC/tests/tools/check_ics.py" "$work/$1" &&
    # shellcheck disable=SC2046
    "$MM_ICS_RESTRICT" $(all_files "$1") | tail -n 1
}

check "runs" run base --start 2027-03-01
check "runs" run ny --start 2027-03-29
check "runs" run one --start 2027-03-01 --first-meetings 1 --checkpoints none
check "runs" run one_cp --start 2027-03-01 --first-meetings 1
check "runs" run biweekly --start 2027-03-01 --cadence biweekly
check "runs" run monthly --start 2027-03-08 --cadence monthly --video-url 'https://meet.example/{mentee}-{mentor}?p={program}'
for out in base ny one one_cp biweekly monthly; do
  check "$out: every file agrees with meetings.csv; libical finds nothing" full_check "$out"
done

# Zones whose rules move the day (Jerusalem's Friday before the last Sunday,
# Nuuk's Saturday 23:00, Santiago's Saturday 24:00), 45-minute Chatham,
# half-hour Lord Howe DST, Troll's two-hour DST, St John's, Tehran without
# DST, Casablanca's changes, both hemispheres' seasons.
zones="$MM_SRC/tests/data/calendar_zones"
for start in 2027-03-01 2027-09-06; do
  check "runs" "$MM_BIN" match --mentors "$zones/mentors.csv" --mentees "$zones/mentees.csv" \
    --pairs "$zones/pairs.csv" --quiet --out "$work/zones$start" --start "$start" --cadence biweekly
  check "zones from $start: every file agrees with meetings.csv and zoneinfo; libical finds nothing" full_check "zones$start"
done
check "a rule past midnight as BYMONTHDAY with BYDAY (Asia/Jerusalem, America/Nuuk)" bash -c "
  logical $work/zones2027-03-01/meetings.ics | grep -qx 'RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=23,24,25,26,27,28,29;BYDAY=FR' &&
  logical $work/zones2027-03-01/meetings.ics | grep -qx 'RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=24,25,26,27,28,29,30;BYDAY=SA'"

# Defect: New York's 01:00-02:00 happens twice on 7 November 2027.  A meeting
# ending in it had DTEND 01:00, read as the first 01:00: a checkpoint of no
# length, and a whole series of them when the first meeting fell that day;
# one starting in it was 05:00Z in meetings.csv and RFC 5545, 06:00Z in
# libical, pytz and khal; and libical adds a length to the local start, an
# hour off across the change.  Now no series starts, runs or ends in a
# local time a change skips or repeats.
mkdir -p "$work/fb"
printf 'id,name,email,timezone,availability,capacity\nM1,Mentor One,m1@example.com,America/New_York,"Sun 00:00-01:00",1\n' >"$work/fb/mentors_end.csv"
printf 'id,name,email,timezone,availability,capacity\nM1,Mentor One,m1@example.com,America/New_York,"Sun 01:00-02:00",1\n' >"$work/fb/mentors_in.csv"
printf 'id,name,email,timezone,availability,capacity\nM1,Mentor One,m1@example.com,America/New_York,"Sun 00:00-03:00",1\n' >"$work/fb/mentors_after.csv"
printf 'id,name,email,timezone,availability\nE1,Mentee One,e1@example.com,UTC,"Sun 03:00-08:00"\n' >"$work/fb/mentees.csv"
for kind in end in after; do
  check "runs" "$MM_BIN" match --mentors "$work/fb/mentors_$kind.csv" --mentees "$work/fb/mentees.csv" --quiet \
    --out "$work/fb_$kind" --start 2027-11-07 --checkpoints 14,30
done
for kind in end in; do
  check "fb_$kind: no series ends or starts in the repeated hour: unmatched, and why" bash -c "
    [ \$(wc -l <$work/fb_$kind/meetings.csv) -eq 1 ] &&
    grep -q 'no pair to schedule, so calendars change nothing\",$' $work/fb_$kind/summary.json &&
    grep -q '^E1,\"no mentor.s weekly availability overlaps for a whole 60-minute meeting in every week of the program, outside the hours a clock change skips or repeats in the mentor.s zone\"' $work/fb_$kind/unmatched.csv"
done
# The clause names the mentor's zone: with a mentor in UTC and a mentee in
# New York (whose clocks change) it is not there (it was, for any zone).
printf 'id,name,timezone,availability\nM1,Mo,UTC,Mon 09:00-10:00\n' >"$work/fb/utc_m.csv"
printf 'id,name,timezone,availability\nE1,Em,America/New_York,Wed 09:00-10:00\n' >"$work/fb/ny_e.csv"
check "runs" "$MM_BIN" match --mentors "$work/fb/utc_m.csv" --mentees "$work/fb/ny_e.csv" --quiet --out "$work/fb_utc" --start 2027-11-01
check "no clock-change clause when the mentor's zone does not change" bash -c "
  grep -q '^E1,no mentor.s weekly availability overlaps for a whole 60-minute meeting in every week of the program,' $work/fb_utc/unmatched.csv"
check "after the repeated hour: 02:00 EST, DTEND" bash -c "
  grep -q '^E1,M1,1,2027-11-07T07:00:00Z,2027-11-07T08:00:00Z,' $work/fb_after/meetings.csv &&
  ! logical \$(all_files fb_after) | grep -q '^DURATION'"
check "fb_after: every file agrees with meetings.csv; libical finds nothing" full_check fb_after

# Defect: PUBLISH with RSVP attendees, and nothing to send.
check "meetings.ics has no ATTENDEE" bash -c "! logical $work/base/meetings.ics | grep -q '^ATTENDEE'"
check "one REQUEST per pair, organiser the mentor, attendee the mentee with RSVP" bash -c "
  logical $work/base/invites/D02-C02.ics | grep -q '^METHOD:REQUEST' &&
  logical $work/base/invites/D02-C02.ics | grep -q '^ORGANIZER;CN=.*:mailto:lukasz@example.com' &&
  logical $work/base/invites/D02-C02.ics | grep -q '^ATTENDEE;.*RSVP=TRUE;CN=\"Ned\":mailto:ned@example.com' &&
  [ \$(ls $work/base/invites | wc -l) -eq 6 ]"
check "a hyphen in a mentee id is escaped in the invite's name" test -f "$work/base/invites/D06%2Dx-C06.ics"
check "per-person calendars across roles" bash -c "
  [ \$(ls $work/base/calendars | wc -l) -eq 12 ] && logical $work/base/calendars/C01.ics | grep -q '^METHOD:PUBLISH'"

# Defect: 6 of 14 meetings, RDATEs, no RRULE with one first meeting.
check "the weekly series holds all 14 meetings as one RRULE" bash -c "
  logical $work/base/invites/D02-C02.ics | grep -qx 'RRULE:FREQ=WEEKLY;COUNT=14'"
check "no RDATE anywhere" bash -c "! cat $(all_files base) $(all_files one) | grep -q '^RDATE'"
check "checkpoints are RECURRENCE-ID overrides with their own SUMMARY" bash -c "
  [ \$(logical $work/base/invites/D02-C02.ics | grep -c '^RECURRENCE-ID;TZID=Europe/Dublin:') -eq 3 ] &&
  logical $work/base/invites/D02-C02.ics | grep -q '^SUMMARY:Mentoring checkpoint 3 of 3: '"
check "--first-meetings 1: an RRULE in every series" bash -c "
  [ \$(logical $work/one/meetings.ics | grep -c '^RRULE:FREQ=WEEKLY;COUNT=1\$') -eq 6 ]"

# Defect: VTIMEZONE cut to the window, ad-hoc fixed-offset TZIDs.
check "New York from 2027-03-29: STANDARD and DAYLIGHT with yearly rules" bash -c "
  ny_zone | tr '\n' ' ' |
  grep -q 'BEGIN:STANDARD DTSTART:20261101T020000 TZOFFSETFROM:-0400 TZOFFSETTO:-0500 RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU .*BEGIN:DAYLIGHT DTSTART:20260308T020000 TZOFFSETFROM:-0500 TZOFFSETTO:-0400 RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU'"
check "Europe/Dublin (negative DST): DAYLIGHT is summer's +0100" bash -c "
  logical $work/base/meetings.ics | tr '\n' ' ' |
  grep -q 'TZID:Europe/Dublin BEGIN:STANDARD DTSTART:20261025T020000 TZOFFSETFROM:+0100 TZOFFSETTO:+0000 RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU TZNAME:GMT END:STANDARD BEGIN:DAYLIGHT DTSTART:20260329T010000 TZOFFSETFROM:+0000 TZOFFSETTO:+0100'"
check "UTC+05:00 and UTC+5: one VTIMEZONE, TZID Etc/GMT-5" bash -c "
  [ \$(logical $work/base/meetings.ics | grep -c '^TZID:Etc/GMT-5\$') -eq 1 ] &&
  logical $work/base/invites/D04-C04.ics | grep -q '^DTSTART;TZID=Etc/GMT-5:'"
check "UTC+05:30 and UTC+0530: exact UTC times, no made-up TZID" bash -c "
  logical $work/base/invites/D05-C05.ics $work/base/invites/D06%2Dx-C06.ics | grep -q '^DTSTART:2027[0-9T]*Z\$' &&
  ! logical $(all_files base) | grep -q 'TZID[:=]UTC'"

# Defect: text cut at 512 bytes, e-mails dropped, tab deleted, quote as '.
long=$("$MM_PYTHON" -c 'print("Łukasz " + "Ł" * 296)')
check "a 600-byte UTF-8 name in SUMMARY and CN, whole" bash -c "
  logical $work/base/invites/D02-C02.ics | grep -qF 'SUMMARY:Mentoring: $long & Ned' &&
  logical $work/base/invites/D02-C02.ics | grep -qF 'ORGANIZER;CN=\"$long\":'"
check "an internationalised e-mail is kept" bash -c "
  logical $work/base/invites/D01-C01.ics | grep -q '^ORGANIZER;CN=\"Diego López\":mailto:diego.lópez@example.com\$'"
check "tab kept, quote and caret escaped as RFC 6868 says, TEXT escaped" bash -c "
  logical $work/base/invites/D03-C03.ics | grep -qF \"ORGANIZER;CN=\\\"Tab$(printf '\t')Name ^'Quoted^', ^^caret\\\":urn:x-mentormatch:mentor:C03\" &&
  logical $work/base/invites/D03-C03.ics | grep -qF 'SUMMARY:Mentoring: Tab$(printf '\t')Name \"Quoted\"\\, ^caret & Ira'"
# Defect: a bare CR in a quoted name glued words ("Bea\r\nvan\rder\nBerg" gave
# SUMMARY "Bea\nvander\nBerg"); a line break typed in a name is one space everywhere.
check "line breaks in a name (CRLF, CR, LF): one space in SUMMARY, CN, DESCRIPTION, pairings.csv and JSON" bash -c "
  logical $work/base/invites/D04-C04.ics | grep -qF 'SUMMARY:Mentoring: ' &&
  logical $work/base/invites/D04-C04.ics | grep -F 'SUMMARY:Mentoring: ' | grep -qF ' & Bea van der Berg' &&
  logical $work/base/invites/D04-C04.ics | grep -qF 'CN=\"Bea van der Berg\":mailto:bea@example.com' &&
  logical $work/base/invites/D04-C04.ics | grep -qF ') and Bea van der Berg (mentee' &&
  grep -q '^D04,.*,Bea van der Berg,' $work/base/pairings.csv &&
  ! logical $(all_files base) | grep -qF 'Bea\\n' &&
  \"$MM_BIN\" match --mentors $data/mentors.csv --mentees $data/mentees.csv --pairs $data/pairs.csv --quiet --format jsonl |
    grep -q '\"mentee_name\":\"Bea van der Berg\"'"
check "an invalid e-mail is a warning with its location" \
  grep -qF "$data/mentors.csv:4:3: warning: \"not an email\" is not an e-mail address" "$work/base.err"

# Defect: DTSTAMP, UID and SEQUENCE when re-issuing.
check "DTSTAMP from SOURCE_DATE_EPOCH" bash -c "logical $work/base/meetings.ics | grep -q '^DTSTAMP:20270115T080000Z\$'"
before=$(date -u +%s)
(unset SOURCE_DATE_EPOCH; run now --start 2027-03-01) || fail "run now"
after=$(date -u +%s)
stamp=$(logical "$work/now/meetings.ics" | sed -n 's/^DTSTAMP:\(.*\)Z$/\1/p' | head -n 1) || true
stamp_s=$(date -u -d "${stamp:0:8} ${stamp:9:2}:${stamp:11:2}:${stamp:13:2}" +%s 2>/dev/null || echo 0)
check "DTSTAMP is the moment of writing without SOURCE_DATE_EPOCH" test "$stamp_s" -ge "$before" -a "$stamp_s" -le "$after"
check "a malformed SOURCE_DATE_EPOCH is a usage error" bash -c "
  ! SOURCE_DATE_EPOCH=soon $MM_BIN match --mentors $data/mentors.csv --mentees $data/mentees.csv --out $work/sde --quiet 2>/dev/null && [ ! -e $work/sde ]"
check "UIDs do not change with --start" bash -c "[ \"\$(uids $work/base/meetings.ics)\" = \"\$(uids $work/ny/meetings.ics)\" ]"
check "--program-id changes every UID" bash -c "
  run other --start 2027-03-01 --program-id spring-2027 &&
  ! grep -qxFf <(grep -a '^UID:' $work/base/meetings.ics) $work/other/meetings.ics"
check "runs" run same --start 2027-03-01 --previous-calendar "$work/base"
check "re-issued unchanged: same SEQUENCE, same bytes" diff -r "$work/base" "$work/same" -x summary.json -x .mentormatch
check "runs" run changed --start 2027-03-01 --cadence biweekly --previous-calendar "$work/base"
all_one() { # every SEQUENCE of a calendar is 1
  local ones total
  ones=$(logical "$1" | grep -c '^SEQUENCE:1$') || true
  total=$(logical "$1" | grep -c '^SEQUENCE:') || true
  [ "$total" -gt 0 ] && [ "$ones" -eq "$total" ]
}
export -f all_one
check "re-issued with a new cadence: same UIDs, SEQUENCE 1" bash -c "
  all_one $work/changed/meetings.ics && all_one $work/changed/invites/D01-C01.ics &&
  [ \"\$(grep -a '^UID:' $work/changed/meetings.ics | sort -u)\" = \"\$(grep -a '^UID:' $work/base/meetings.ics | sort -u)\" ]"
check "runs" run again --start 2027-03-01 --cadence biweekly --previous-calendar "$work/changed"
check "...and re-issued once more unchanged: SEQUENCE stays 1" all_one "$work/again/meetings.ics"
check "a missing previous calendar is an error that says why" bash -c "
  ! $MM_BIN match --mentors $data/mentors.csv --mentees $data/mentees.csv --pairs $data/pairs.csv --out $work/nope --quiet --previous-calendar $work/absent 2>$work/absent.err &&
  grep -q 'absent/meetings.ics: error: cannot read the previous calendar: No such file or directory' $work/absent.err"

# A file that is not a calendar (the wrong folder's, or garbage) used to be
# taken for one without any series: every SEQUENCE silently back to 0.
mkdir -p "$work/notcal"
printf 'pairings, not a calendar\n' >"$work/notcal/meetings.ics"
check "a previous calendar that is not one: an error at its first line" bash -c "
  ! $MM_BIN match --mentors $data/mentors.csv --mentees $data/mentees.csv --pairs $data/pairs.csv --out $work/nope --quiet --previous-calendar $work/notcal 2>$work/notcal.err &&
  grep -q 'notcal/meetings.ics:1:1: error: expected an iCalendar file starting with BEGIN:VCALENDAR' $work/notcal.err && [ ! -e $work/nope ]"

# Defect: no LOCATION, no video link, one local time for a drifting series.
check "LOCATION of the in-person first meeting" bash -c "
  logical $work/base/invites/D01-C01.ics | tr '\n' ' ' | grep -q 'SUMMARY:Mentoring (in person): Diego López & Lena LOCATION:Boston '"
check "--video-url: LOCATION and description" bash -c "
  logical $work/monthly/invites/D02-C02.ics | grep -q '^LOCATION:https://meet.example/D02-C02?p=mentormatch\$' &&
  logical $work/monthly/invites/D02-C02.ics | grep -q 'Video call: https://meet.example/D02-C02'"
check "a bad --video-url is a usage error" bash -c "
  $MM_BIN match --mentors $data/mentors.csv --mentees $data/mentees.csv --out $work/v --video-url 'https://x/{who}' 2>$work/v.err;
  [ \$? -eq 2 ] && grep -q 'expected the placeholders {mentee}' $work/v.err"
check "a --video-url that is not http(s) is a usage error" bash -c "
  $MM_BIN match --mentors $data/mentors.csv --mentees $data/mentees.csv --out $work/v --video-url 'javascript:alert(1)' 2>$work/v.err;
  [ \$? -eq 2 ] && grep -q 'expected an http or https URL' $work/v.err && test ! -e $work/v"
check "a --video-url without a host is a usage error" bash -c "
  for u in 'https:///{mentee}' 'https://:443/{mentee}' 'https://@/{mentee}'; do
    $MM_BIN match --mentors $data/mentors.csv --mentees $data/mentees.csv --out $work/v --video-url \$u 2>$work/v.err;
    [ \$? -eq 2 ] && grep -q 'the URL names no host' $work/v.err && test ! -e $work/v || exit 1
  done"
check "New York with London: both local times for each stretch between clock changes" bash -c "
  logical $work/base/invites/D01-C01.ics | grep -q 'Clocks change during the program\\\\; local times:\\\\n- meetings 1 to 2 (2027-03-01 to 2027-03-08): Diego López Monday 06:30 (America/New_York)\\\\, Lena Monday 11:30 (Europe/London).\\\\n- meetings 3 to 4 (2027-03-15 to 2027-03-22): Diego López Monday 06:30 (America/New_York)\\\\, Lena Monday 10:30 (Europe/London)'"

# The checkers must be able to fail.
cp -r "$work/base" "$work/tampered"
sed -i 's/COUNT=14/COUNT=15/' "$work/tampered/invites/D02-C02.ics"
check "check_ics rejects a series with an extra occurrence" bash -c "
  ! $MM_PYTHON $MM_SRC/tests/tools/check_ics.py $work/tampered 2>/dev/null"
cp -r "$work/base" "$work/tampered_zone"
sed -i 's/RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU/RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU/' "$work/tampered_zone/calendars/C02.ics"
check "check_ics rejects a VTIMEZONE with a wrong rule" bash -c "
  ! $MM_PYTHON $MM_SRC/tests/tools/check_ics.py $work/tampered_zone 2>/dev/null"
"$MM_PYTHON" - "$work/base/meetings.ics" "$work/publish_rsvp.ics" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
data = data.replace(b"\r\nSTATUS:CONFIRMED", b"\r\nATTENDEE;RSVP=TRUE:mailto:x@example.com\r\nSTATUS:CONFIRMED", 1)
open(sys.argv[2], "wb").write(data)
PY
check "libical rejects a PUBLISH event with an attendee" bash -c "! $MM_ICS_RESTRICT $work/publish_rsvp.ics >/dev/null"

# SEQUENCE near RFC 5545's integer limit: what is written reads back (a
# calendar at 1000000001 used to be refused by the next run).
mkdir -p "$work/seq/old"
printf 'id,timezone,availability\nM1,UTC,Mon 09:00-10:00\n' >"$work/seq/m.csv"
printf 'id,timezone,availability\nE1,UTC,Mon 09:00-10:00\n' >"$work/seq/e.csv"
seqrun() { $MM_BIN match --mentors "$work/seq/m.csv" --mentees "$work/seq/e.csv" --start 2027-03-01 --quiet "$@"; }
seqrun --out "$work/seq/a"
sed -e 's/^SEQUENCE:0/SEQUENCE:2147483646/' -e 's/^X-MENTORMATCH-CONTENT:.*/X-MENTORMATCH-CONTENT:0000000000000000/' \
  "$work/seq/a/meetings.ics" >"$work/seq/old/meetings.ics"
seqrun --out "$work/seq/b" --previous-calendar "$work/seq/old"
check "a changed series at SEQUENCE 2147483646 gets 2147483647" grep -q '^SEQUENCE:2147483647' "$work/seq/b/meetings.ics"
sed 's/^X-MENTORMATCH-CONTENT:.*/X-MENTORMATCH-CONTENT:0000000000000000/' "$work/seq/b/meetings.ics" >"$work/seq/old/meetings.ics"
check "and is read back, staying at the limit" bash -c "
  $MM_BIN match --mentors $work/seq/m.csv --mentees $work/seq/e.csv --start 2027-03-01 --quiet --out $work/seq/c \
    --previous-calendar $work/seq/old && grep -q '^SEQUENCE:2147483647' $work/seq/c/meetings.ics"

# One person under two ids joined by e-mail (mentor XP, mentee P): each of
# their calendars/ files holds everything they attend (each held half).
mkdir -p "$work/join"
printf 'id,email,timezone,availability\nXP,p@x.com,UTC,Mon 09:00-10:00\nM2,m2@x.com,UTC,Tue 09:00-10:00\n' >"$work/join/m.csv"
printf 'id,email,timezone,availability\nP,P@X.com,UTC,Tue 09:00-10:00\nE2,e2@x.com,UTC,Mon 09:00-10:00\n' >"$work/join/e.csv"
$MM_BIN match --mentors "$work/join/m.csv" --mentees "$work/join/e.csv" --start 2027-03-01 --out "$work/join/o" --quiet
check "a person joined by e-mail: XP.ics holds both series" bash -c "[ \$(grep '^UID:' $work/join/o/calendars/XP.ics | sort -u | wc -l) -eq 2 ]"
check "and P.ics the same two, under P's own name" bash -c "
  diff <(grep '^UID:' $work/join/o/calendars/XP.ics | sort -u) <(grep '^UID:' $work/join/o/calendars/P.ics | sort -u) &&
  grep -q '^X-WR-CALNAME:Mentoring: P' $work/join/o/calendars/P.ics"
check "someone else keeps one series" bash -c "[ \$(grep '^UID:' $work/join/o/calendars/M2.ics | sort -u | wc -l) -eq 1 ]"

finish calendars
