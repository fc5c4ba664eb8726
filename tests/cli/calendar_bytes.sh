#!/usr/bin/env bash
# The calendar files' exact bytes: every .ics file `match` writes for the
# bundled sample (mentors with up to four mentees, a person in both rosters),
# the sample with a video link, a biweekly cadence and another program id,
# tests/data/calendars (clock changes, long, quoted and multi-line names,
# fixed offsets) and that roster re-issued against its previous calendar
# (SEQUENCE 1), at 1 and 2 threads, against the SHA-256 sums in
# tests/data/calendar_bytes/CASE.sha256 (the PRODID line, which names the
# version, left out).  The sums were taken from the writer that stored every
# series' text once and copied it into each file (080b54e); the writer now
# renders each series where a file needs it, with its own number and date
# formatting and folding, and must not change a byte.  Then
# tests/tools/check_calendar_series.py checks that every person calendar and
# invitation shows each series exactly as meetings.ics does, and that it
# notices a series out of place.
# After a change meant to alter the calendars, refresh the sums with
#   MM_CALENDAR_BYTES_WRITE=1 ctest -R cli_calendar_bytes
# and say why in the commit.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$MM_SRC/tests/tools/cli_checks.sh"
export SOURCE_DATE_EPOCH=1800000000
sample="$MM_SRC/datasets/sample"
data="$MM_SRC/tests/data/calendars"
sums="$MM_SRC/tests/data/calendar_bytes"

run_case() { # run_case CASE OUT THREADS
  local sample_in=(--mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv"
    --config "$sample/program.conf")
  local data_in=(--mentors "$data/mentors.csv" --mentees "$data/mentees.csv" --pairs "$data/pairs.csv")
  local common=(--quiet --threads "$3" --out "$2")
  case $1 in
    sample) "$MM_BIN" match "${sample_in[@]}" "${common[@]}" ;;
    sample-video) "$MM_BIN" match "${sample_in[@]}" "${common[@]}" --cadence biweekly --program-id spring-2027 \
      --video-url 'https://meet.example/{mentee}-{mentor}?p={program}' ;;
    calendars) "$MM_BIN" match "${data_in[@]}" "${common[@]}" --start 2027-03-01 ;;
    calendars-reissued)
      "$MM_BIN" match "${data_in[@]}" "${common[@]}" --start 2027-03-01 --cadence monthly \
        --previous-calendar "$work/calendars-$3" ;;
  esac 2>/dev/null
}

sha_list() { # sha_list OUT: "SUM  NAME" for every calendar file, PRODID left out
  (cd "$1" && for f in meetings.ics invites/*.ics calendars/*.ics; do
    printf '%s  %s\n' "$(sed 's/^PRODID:.*$/PRODID:/' "$f" | sha256sum | cut -c1-64)" "$f"
  done)
}

for c in sample sample-video calendars calendars-reissued; do
  for t in 1 2; do
    check "$c, $t threads: runs" run_case "$c" "$work/$c-$t" "$t"
    sha_list "$work/$c-$t" >"$work/$c-$t.sha256"
    if [ "${MM_CALENDAR_BYTES_WRITE:-0}" = 1 ]; then
      mkdir -p "$sums"
      cp "$work/$c-$t.sha256" "$sums/$c.sha256"
    fi
    check "$c, $t threads: every calendar file has its recorded bytes ($(wc -l <"$sums/$c.sha256") files)" \
      diff "$sums/$c.sha256" "$work/$c-$t.sha256"
  done
  check "$c: each series has the same bytes in every file" \
    "$MM_PYTHON" "$MM_SRC/tests/tools/check_calendar_series.py" "$work/$c-2"
done

check_that "the sums cover several series in one person calendar" \
  "[ \$(grep -c '^BEGIN:VEVENT' '$work/sample-1/calendars/M017.ics') -gt 4 ]"
check_that "...and a re-issued series (SEQUENCE 1)" "grep -q '^SEQUENCE:1' '$work/calendars-reissued-1/meetings.ics'"

# The checker must notice a series that is not where it belongs.
cp -r "$work/sample-2" "$work/swapped"
"$MM_PYTHON" - "$work/swapped/calendars/M017.ics" <<'PY'
import re, sys
path = sys.argv[1]
data = open(path, "rb").read()
# The last two series change places.
blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.S)
uids = [re.search(rb"\r\nUID:([^\r]*)", b).group(1) for b in blocks]
last, before = uids[-1], [u for u in uids if u != uids[-1]][-1]
one = b"".join(b for b, u in zip(blocks, uids) if u == before)
two = b"".join(b for b, u in zip(blocks, uids) if u == last)
open(path, "wb").write(data.replace(one + two, two + one))
PY
check "check_calendar_series rejects a person calendar with its series out of order" bash -c \
  "! '$MM_PYTHON' '$MM_SRC/tests/tools/check_calendar_series.py' '$work/swapped' >/dev/null"
cp -r "$work/sample-2" "$work/edited"
sed -i '0,/^DTEND;/s/^\(DTEND;.*\)T\([0-9]\)/\1T9/' "$work/edited/calendars/E001.ics"
check "check_calendar_series rejects one changed time in a person calendar" bash -c \
  "! '$MM_PYTHON' '$MM_SRC/tests/tools/check_calendar_series.py' '$work/edited' >/dev/null"
finish calendar_bytes
