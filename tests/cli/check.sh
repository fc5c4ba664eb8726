#!/usr/bin/env bash
# mentormatch check: every error of both rosters at once with file:line:col
# (reading goes on after a bad row), warnings for suspicious data (no common
# hours with anyone, a skill spelt two ways, a language nobody else lists,
# two rows of one side with one e-mail),
# exit 1 on any error and 0 with warnings only; nothing is solved or written.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$MM_SRC/tests/data/check"
sample="$MM_SRC/datasets/sample"

rc=0
(cd "$work" && "$MM_BIN" check --mentors "$data/mentors.csv" --mentees "$data/mentees.csv" \
  --config "$sample/program.conf" > "$work/out" 2> "$work/err") || rc=$?
[ "$rc" = 1 ] || { echo "check with errors: exit $rc, want 1"; cat "$work/err"; exit 1; }
[ -z "$(ls -A "$work" | grep -v -e '^out$' -e '^err$')" ] || { echo "check wrote files"; ls "$work"; exit 1; }
sed "s|$data/||g" "$work/err" > "$work/got"
expected='mentors.csv:3:3: error: timezone: unknown time zone "Mars/Olympus"; expected a tz database name such as "Europe/London" or an offset such as "UTC+05:30"
mentors.csv:4:4: error: availability: expected HH:MM, got "9am"
mentors.csv:5:1: error: id: duplicate id "M1" (first on line 2)
mentors.csv:7:5: error: skills: expected a level 1 to 5 after '"':'"', got "7"
mentors.csv:8:7: error: capacity: expected an integer, got "many"
mentees.csv:4:4: error: availability: expected hours 00-24, got "25:00"
mentors.csv:6:4: warning: mentor "M5" shares no 60-minute slot with any mentee (weekly hours compared in UTC at the program start): no mentee can be matched with them
mentees.csv:3:4: warning: mentee "E2" shares no 60-minute slot with any mentor (weekly hours compared in UTC at the program start): no mentor can be matched with them
mentees.csv:2:5: warning: skill "machine learning" is also spelt "Machine Learning" (1 time, e.g. mentors.csv:2:5); the same when matching, but worth one spelling
mentors.csv:6:5: warning: skill "machine-learning" is also spelt "Machine Learning" (1 time, e.g. mentors.csv:2:5); these count as different when matching
mentors.csv:2:5: warning: skill "python" is also spelt "Python" (1 time, e.g. mentees.csv:3:5); the same when matching, but worth one spelling
mentors.csv:6:6: warning: language "Klingon" is listed by nobody else in either roster: check its spelling; it cannot help this person find a match'
diff <(echo "$expected") "$work/got"
grep -qx 'mentormatch check: 6 errors, 6 warnings; 2 mentors, 2 mentees read' "$work/out"
echo "ok: six errors across both files and six warnings, exit 1"

# The pairs file too: every bad rule, after the rosters' errors.
rc=0
"$MM_BIN" check --mentors "$data/mentors.csv" --mentees "$data/mentees.csv" --pairs "$data/pairs.csv" \
  --quiet 2> "$work/err" || rc=$?
[ "$rc" = 1 ] || { echo "check with a bad pairs file: exit $rc"; exit 1; }
expected='pairs.csv:3:1: error: mentee_id: no mentee with id "E9" in the mentee roster
pairs.csv:4:3: error: rule: expected require or forbid, got "maybe"
pairs.csv:6:3: error: rule: mentee "E1" and mentor "M1" are both required and forbidden (line 2)
pairs.csv:7:3: error: expected 3 fields as in the header, got 2'
diff <(echo "$expected") <(grep '^[^ ]*pairs.csv' "$work/err" | sed "s|$data/||g")
[ "$(grep -c ': error: ' "$work/err")" = 10 ]
echo "ok: four bad rules reported after the six roster errors"

# match stops at the first of those errors: check is the way to see them all.
rc=0
"$MM_BIN" match --mentors "$data/mentors.csv" --mentees "$data/mentees.csv" --out "$work/m" --quiet 2> "$work/merr" || rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$work/merr")" = 1 ] || { echo "match: exit $rc"; cat "$work/merr"; exit 1; }

# Warnings only: exit 0.  The sample, with its pairs file, from standard input.
"$MM_BIN" check --mentors - --mentees "$sample/mentees.csv" --config "$sample/program.conf" \
  --pairs "$sample/pairs.csv" < "$sample/mentors.csv" > "$work/out" 2> "$work/err"
grep -q '^mentormatch check: 0 errors, [1-9][0-9]* warnings; 20 mentors, 41 mentees read$' "$work/out"
grep -q 'language "Icelandic" is listed by nobody else' "$work/err"
grep -q '^<stdin>:16:12: warning: language "Zulu"' "$work/err"
echo "ok: warnings only exit 0; standard input is named <stdin>"

# A broken file structure ends that file, and the other file is still read.
printf 'id,timezone,availability\nM1,UTC,"Mon 09:00-10:00\n' > "$work/unterminated.csv"
printf 'id,timezone,availability\nE1,UTC,Mon 09:00-10:00\nE2,UTC,Mon 9-10\nE3,UTC,Mon 09:00-10:00,extra\nE4,UTC\nE5,Nowhere/Else,Mon 09:00-10:00\n' > "$work/mentees.csv"
rc=0
"$MM_BIN" check --mentors "$work/unterminated.csv" --mentees "$work/mentees.csv" --quiet 2> "$work/err" || rc=$?
[ "$rc" = 1 ] || { echo "structure error: exit $rc"; exit 1; }
grep -q "unterminated.csv:2:.*error" "$work/err" && grep -q "mentees.csv:3:3: error: availability" "$work/err" &&
  grep -q "mentees.csv:4:4: error: expected 3 fields as in the header, got 4" "$work/err" &&
  grep -q "mentees.csv:5:3: error: expected 3 fields as in the header, got 2" "$work/err" &&
  grep -q "mentees.csv:6:2: error: timezone" "$work/err" && [ "$(grep -c ': error: ' "$work/err")" = 5 ] ||
  { cat "$work/err"; exit 1; }
echo "ok: broken quoting ends one file; rows with the wrong number of fields are skipped; the other file is checked"

# Two rows of one side with one e-mail (any case) are one person to the
# scheduler but two to the matcher: a warning at the later row.
printf 'id,email,timezone,availability\nE1,kim@x.com,UTC,Mon 09:00-12:00\nE2,a@x.com,UTC,Mon 09:00-12:00\nE3,KIM@X.com,UTC,Mon 09:00-12:00\n' > "$work/shared.csv"
printf 'id,email,timezone,availability\nM1,kim@x.com,UTC,Mon 09:00-12:00\n' > "$work/m1.csv"
"$MM_BIN" check --mentors "$work/m1.csv" --mentees "$work/shared.csv" --quiet 2> "$work/err"
grep -q "shared.csv:4:1: warning: mentee \"E3\" has the e-mail of mentee \"E1\" (line 2)" "$work/err" &&
  [ "$(grep -c 'has the e-mail' "$work/err")" = 1 ] || { echo "shared e-mail:"; cat "$work/err"; exit 1; }
echo "ok: one e-mail on two mentee rows is a warning; the same e-mail as a mentor is not"

# Ids that differ only in case (on either side) are two people whose
# calendar files are one on a case-insensitive disk: a warning at the later
# row; the same id in both files is one person, no warning.
printf 'id,timezone,availability,capacity\nM1,UTC,Mon 09:00-12:00,1\nab,UTC,Mon 09:00-12:00,1\n' > "$work/case_m.csv"
printf 'id,timezone,availability\nE1,UTC,Mon 09:00-12:00\nm1,UTC,Mon 09:00-12:00\nAB,UTC,Mon 09:00-12:00\nab,UTC,Mon 09:00-12:00\n' > "$work/case_e.csv"
"$MM_BIN" check --mentors "$work/case_m.csv" --mentees "$work/case_e.csv" --quiet 2> "$work/err"
grep -q "case_e.csv:3:1: warning: mentee \"m1\" and mentor \"M1\" (.*case_m.csv line 2) differ only in case" "$work/err" &&
  grep -q "case_e.csv:4:1: warning: mentee \"AB\" and mentor \"ab\" (.*case_m.csv line 3) differ only in case" "$work/err" &&
  [ "$(grep -c 'differ only in case' "$work/err")" = 2 ] || { echo "ids differing in case:"; cat "$work/err"; exit 1; }
echo "ok: ids that differ only in case are a warning; one id in both files is not"
# One id in both files under two names (row numbers of two sheets) is two
# people the tool would take for one: a warning at the mentee's row; the
# same name in both files is one person, no warning.
printf 'id,name,timezone,availability,capacity\n1,Alice Mentor,UTC,Mon 09:00-12:00,1\n2,Bo Both,UTC,Mon 09:00-12:00,1\n' > "$work/num_m.csv"
printf 'id,name,timezone,availability\n1,Carol Mentee,UTC,Mon 09:00-12:00\n2,Bo Both,UTC,Mon 09:00-12:00\n' > "$work/num_e.csv"
"$MM_BIN" check --mentors "$work/num_m.csv" --mentees "$work/num_e.csv" --quiet 2> "$work/err"
grep -q 'num_e.csv:2:1: warning: mentee "1" has the id of a mentor (.*num_m.csv line 2) but another name' "$work/err" &&
  [ "$(grep -c 'has the id of a mentor' "$work/err")" = 1 ] || { echo "one id, two names:"; cat "$work/err"; exit 1; }
echo "ok: one id in both files under two names is a warning, under one name it is not"

# A long name is cut in a warning, never inside a UTF-8 character.
"${MM_PYTHON:-/usr/bin/python3}" -c "print('id,timezone,availability,languages'); print('M1,UTC,Mon 09:00-10:00,' + 'a' * 119 + 'é')" > "$work/long.csv"
"$MM_BIN" check --mentors "$work/long.csv" --mentees "$work/mentees.csv" --quiet 2> "$work/err" || true
grep -q 'language "a*"' "$work/err" && iconv -f UTF-8 -t UTF-8 "$work/err" > /dev/null ||
  { echo "a cut name is not valid UTF-8"; exit 1; }

rc=0; "$MM_BIN" check --mentors "$work/nope.csv" --mentees "$work/mentees.csv" --pairs "$data/pairs.csv" \
  --quiet 2> "$work/err" || rc=$?
[ "$rc" = 3 ] || { echo "missing file: exit $rc, want 3"; exit 1; }
grep -q "pairs.csv not checked: a roster could not be read to its end" "$work/err" && ! grep -q "pairs.csv:" "$work/err" ||
  { echo "pairs checked against a roster that could not be read"; cat "$work/err"; exit 1; }
rc=0; "$MM_BIN" check --mentors "$work/mentees.csv" 2> /dev/null || rc=$?
[ "$rc" = 2 ] || { echo "usage: exit $rc, want 2"; exit 1; }
# Hours that meet at the program start but not in the fortnight when only
# the US has changed its clocks: match can pair nobody, so check warns
# (it used to compare at the start alone and say all was well); --start
# sets the date as it does for match.
printf 'id,timezone,availability\nM1,America/New_York,Mon 09:00-10:00\n' > "$work/dst_m.csv"
printf 'id,timezone,availability\nE1,Europe/London,Mon 14:00-15:00\n' > "$work/dst_e.csv"
"$MM_BIN" check --mentors "$work/dst_m.csv" --mentees "$work/dst_e.csv" --start 2027-03-01 --quiet 2> "$work/err"
grep -q 'dst_m.csv:2:3: warning: mentor "M1" shares no 60-minute slot with any mentee (weekly hours compared in UTC around 2027-03-21, when some clocks have changed)' "$work/err" ||
  { echo "no warning for the US-only fortnight"; cat "$work/err"; exit 1; }
"$MM_BIN" match --mentors "$work/dst_m.csv" --mentees "$work/dst_e.csv" --start 2027-03-01 --out "$work/dst" --quiet
grep -q '"matched": 0,' "$work/dst/summary.json"
"$MM_BIN" check --mentors "$work/dst_m.csv" --mentees "$work/dst_e.csv" --start 2027-04-12 --quiet 2> "$work/err"
[ ! -s "$work/err" ] || { echo "a warning outside the fortnight"; cat "$work/err"; exit 1; }
"$MM_BIN" match --mentors "$work/dst_m.csv" --mentees "$work/dst_e.csv" --start 2027-04-12 --out "$work/dst2" --quiet
grep -q '"matched": 1,' "$work/dst2/summary.json"
# The same for a biweekly or monthly program: match keeps one weekly time
# valid through the whole window whatever the cadence, so it pairs nobody
# and check must warn (it compared only weekly programs week by week).
for cadence in biweekly monthly; do
  printf 'cadence = %s\n' "$cadence" > "$work/$cadence.conf"
  "$MM_BIN" check --mentors "$work/dst_m.csv" --mentees "$work/dst_e.csv" --config "$work/$cadence.conf" \
    --start 2027-03-01 --quiet 2> "$work/err"
  grep -q 'dst_m.csv:2:3: warning: mentor "M1" shares no 60-minute slot' "$work/err" ||
    { echo "no warning for the US-only fortnight, $cadence"; cat "$work/err"; exit 1; }
  "$MM_BIN" match --mentors "$work/dst_m.csv" --mentees "$work/dst_e.csv" --config "$work/$cadence.conf" \
    --start 2027-03-01 --out "$work/dst-$cadence" --quiet
  grep -q '"matched": 0,' "$work/dst-$cadence/summary.json"
done
# Required pairs that match would refuse are errors in check too, each at
# its line: not eligible (no shared language), and beyond a capacity of 1.
printf 'id,timezone,availability,skills,languages,capacity\nM1,UTC,Mon-Fri 09:00-17:00,python:4,English,1\nM2,UTC,Mon-Fri 09:00-17:00,sql:4,French,1\n' > "$work/req_m.csv"
printf 'id,timezone,availability,languages\nE1,UTC,Mon-Fri 09:00-17:00,English;French\nE2,UTC,Mon-Fri 09:00-17:00,English\n' > "$work/req_e.csv"
printf 'mentee_id,mentor_id,rule\nE2,M2,require\nE1,M1,require\n' > "$work/req.csv"
rc=0; "$MM_BIN" check --mentors "$work/req_m.csv" --mentees "$work/req_e.csv" --pairs "$work/req.csv" --quiet \
  2> "$work/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'req.csv:2:1: error: rule: mentee "E2" and mentor "M2" are required but not eligible: they share no language' "$work/err" ||
  { echo "check passed a required pair match refuses (exit $rc)"; cat "$work/err"; exit 1; }
printf 'mentee_id,mentor_id,rule\nE1,M1,require\nE2,M1,require\n' > "$work/req2.csv"
rc=0; "$MM_BIN" check --mentors "$work/req_m.csv" --mentees "$work/req_e.csv" --pairs "$work/req2.csv" --quiet \
  2> "$work/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'req2.csv:3:1: error: rule: mentor "M1" is required for more mentees than its capacity of 1' "$work/err" ||
  { echo "check passed a mentor required beyond capacity (exit $rc)"; cat "$work/err"; exit 1; }
rc=0; "$MM_BIN" match --mentors "$work/req_m.csv" --mentees "$work/req_e.csv" --pairs "$work/req2.csv" --quiet \
  --out "$work/req2" 2> /dev/null || rc=$?
[ "$rc" = 1 ] || { echo "match accepted what check refused (exit $rc)"; exit 1; }
# Stable mode cannot weigh priorities: match refuses it, so check does.
printf 'mode = stable\n' > "$work/stable.conf"
printf 'id,timezone,availability,priority\nE1,UTC,Mon-Fri 09:00-17:00,1\nE2,UTC,Mon-Fri 09:00-17:00,0\n' > "$work/prio_e.csv"
rc=0; "$MM_BIN" check --mentors "$work/req_m.csv" --mentees "$work/prio_e.csv" --config "$work/stable.conf" --quiet \
  2> "$work/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'prio_e.csv: error: priority: stable mode cannot be combined with the priority column' "$work/err" ||
  { echo "check passed stable mode with priorities (exit $rc)"; cat "$work/err"; exit 1; }
echo "check: 10 passed, 0 failed"
