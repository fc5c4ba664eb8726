#!/usr/bin/env bash
# --calendars all|combined|none: which .ics files a run writes, the others unchanged, links never dangling.
#
# The default (all) writes meetings.ics, invites/ and calendars/; combined
# only meetings.ics; none no .ics file.  Every file a run writes must be
# byte for byte the default run's (summary.json apart from its timings),
# DIR must show no link to a file or folder the set lacks, also when runs
# with different values replace each other in one DIR, and a bad value is a
# usage error (exit 2) that leaves DIR as it was.  The human summary and
# summary.json account for the calendar phases (prepare, publish).
set -euo pipefail
export SOURCE_DATE_EPOCH=1800000000
: "${MM_BIN:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$MM_SRC/tests/tools/cli_checks.sh"

"$MM_BIN" generate --mentees 400 --mentors 100 --seed 5 --out "$work/in" >/dev/null
run() { # run DIR [ARGS...]
  local dir=$1
  shift
  "$MM_BIN" match --mentors "$work/in/mentors.csv" --mentees "$work/in/mentees.csv" --start 2027-03-01 \
    --threads 2 --out "$dir" "$@"
}
run "$work/all" >"$work/all.out"
run "$work/combined" --calendars combined >"$work/combined.out"
run "$work/none" --calendars none >"$work/none.out"
run "$work/explicit" --calendars all --quiet

count() { find -L "$1" -name '*.ics' | wc -l; }
n_invites=$(find -L "$work/all/invites" -name '*.ics' | wc -l)
n_people=$(find -L "$work/all/calendars" -name '*.ics' | wc -l)
check "all: meetings.ics, $n_invites invites and $n_people personal calendars" \
  test -s "$work/all/meetings.ics" -a "$n_invites" -gt 50 -a "$n_people" -gt "$n_invites"
check "combined: meetings.ics is the only .ics file" \
  test -s "$work/combined/meetings.ics" -a "$(count "$work/combined/latest/")" -eq 1
check "none: no .ics file" test "$(count "$work/none/latest/")" -eq 0
for d in combined none; do
  for name in invites calendars; do
    check "$d: no $name in DIR or in the run folder" \
      test ! -e "$work/$d/$name" -a ! -L "$work/$d/$name" -a ! -e "$work/$d/latest/$name"
  done
done
check "none: no meetings.ics link" test ! -e "$work/none/meetings.ics" -a ! -L "$work/none/meetings.ics"

# The files each value writes are the default run's, byte for byte.
strip() { grep -v -e '"timings"' -e '"threads"' "$1"; }
same_as_all() { # same_as_all DIR FILE
  if [ "$2" = summary.json ]; then
    diff -q <(strip "$work/all/$2") <(strip "$1/$2") >/dev/null
  else
    cmp -s "$work/all/$2" "$1/$2"
  fi
}
for d in combined none explicit; do
  for f in $(ls "$work/$d/latest/"); do
    [ -d "$work/$d/latest/$f" ] && continue
    check "$d: $f identical to the default run's" same_as_all "$work/$d" "$f"
  done
done
check "explicit all: invites/ identical to the default run's" diff -rq "$work/all/invites" "$work/explicit/invites"
check "explicit all: calendars/ identical to the default run's" \
  diff -rq "$work/all/calendars" "$work/explicit/calendars"

# One DIR, values taking turns: DIR shows exactly the current set, no dangling link.
dangling() { find "$1" -maxdepth 1 -xtype l | grep -q .; }
shown() { (cd "$1" && ls -d -- *.ics invites calendars 2>/dev/null | tr '\n' ' '); }
turns=(all none combined all combined none all)
want=([0]="calendars invites meetings.ics " [1]="" [2]="meetings.ics " [3]="calendars invites meetings.ics "
  [4]="meetings.ics " [5]="" [6]="calendars invites meetings.ics ")
for k in "${!turns[@]}"; do
  run "$work/turns" --calendars "${turns[$k]}" --quiet
  got=$(shown "$work/turns" || true)
  check "turn $k (${turns[$k]}): DIR shows \"${want[$k]}\"" test "$got" = "${want[$k]}"
  check "turn $k (${turns[$k]}): no dangling link in DIR" eval '! dangling "$work/turns"'
done
check "after the turns: invites/ identical to the default run's" diff -rq "$work/all/invites" "$work/turns/invites"
check "after the turns: one run folder left" test "$(ls "$work/turns/.mentormatch" | grep -c '^run-')" -eq 1

# A bad value is a usage error naming the flag; DIR is left as it was.
before=$(readlink "$work/turns/latest")
set +e
err=$(run "$work/turns" --calendars some 2>&1 >/dev/null)
rc=$?
err2=$(run "$work/turns" --calendars 2>&1 >/dev/null)
rc2=$?
set -e
check "--calendars some: exit 2 (got $rc)" test "$rc" -eq 2
check "--calendars some: the message names the flag and the values" \
  grep -q -- '--calendars: expected all, combined or none, got "some"' <<<"$err"
check "--calendars without a value: exit 2 (got $rc2)" test "$rc2" -eq 2
check "bad value: DIR unchanged" test "$(readlink "$work/turns/latest")" = "$before"
check "--help lists --calendars" grep -q -- '--calendars C' <<<"$("$MM_BIN" match --help)"

# The calendar phases are accounted for.
check "summary.json times prepare" grep -q '"prepare": [0-9]' "$work/all/summary.json"
check "the human summary times prepare and publish" \
  grep -qE 'prepare [0-9.]+, write [0-9.]+\).*' "$work/all.out"
check "the human summary: publish (sync, links, removing the previous run)" \
  grep -qE 'after summary.json: publish [0-9.]+ s \(sync [0-9.]+, links [0-9.]+, removing the previous run [0-9.]+\)' \
  "$work/all.out"
check "none: the summary names no calendar folder" eval '! grep -q "invites/" "$work/none.out"'

finish calendars_option
