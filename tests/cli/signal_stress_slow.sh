#!/usr/bin/env bash
# Stress: runs stopped by SIGTERM or SIGINT while writing, with both cores busy, end with the signal and leave nothing.
#
# A signal sent to the tool is handled on whichever thread does not block
# it: often an idle OpenMP thread while the main thread creates a file.
# The handler removes what the run staged and ends the process; meanwhile
# the other threads must neither report an error of their own (a staging
# folder that is gone: once a run that met it exited with status 3,
# "cannot create output file: Interrupted system call") nor publish.  Each
# of MM_SIGNALS (default 40) rounds starts a match writing into an existing
# folder or into a new one (built under a hidden stand-in), waits for its
# first staged table, sleeps not at all (the tables, half the rounds at
# random) or a random 0 to 300 ms (the calendar files too), and sends
# SIGTERM or SIGINT, while two busy loops keep both cores loaded (which is
# when the race showed).  Every
# round must exit 128 + signal and leave the existing folder byte for byte
# as it was, or no new folder and no stand-in at all; or, when the signal
# came after the new set's point of no return (at most a quarter of the
# rounds), leave that set whole and nothing staged.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
rounds=${MM_SIGNALS:-40}
work=$(mktemp -d)
busy=()
cleanup() {
  for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# Job control, so background runs receive SIGINT instead of ignoring it.
set -m
. "$MM_SRC/tests/tools/cli_checks.sh"

snapshot() { (cd "$1" && find . -print | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }

"$MM_BIN" generate --mentees 6000 --mentors 1500 --seed 12 --out "$work/medium" >/dev/null
dir="$work/out"
"$MM_BIN" match --mentors "$MM_SRC/tests/data/good/mentors.csv" --mentees "$MM_SRC/tests/data/good/mentees.csv" \
  --start 2027-03-01 --quiet --out "$dir"
snapshot "$dir" >"$work/before"

for k in 1 2; do
  (while :; do :; done) &
  busy+=($!)
done

# Whether out holds a whole published set and nothing staged or standing in.
published_whole() {
  [ -f "$1/summary.json" ] && [ -f "$1/pairings.csv" ] && [ -f "$1/meetings.ics" ] &&
    ! compgen -G "$1/.mentormatch/staging-*" >/dev/null && ! compgen -G "$work/.mentormatch-new-*" >/dev/null &&
    [ "$(find "$1/.mentormatch" -maxdepth 1 -name 'run-*' | wc -l)" -eq 1 ]
}

missed=0 published=0
for round in $(seq "$rounds"); do
  sig=$([ $((round % 2)) -eq 0 ] && echo TERM || echo INT)
  want=$((128 + $(kill -l "$sig")))
  if [ $((round % 4)) -lt 2 ]; then
    out="$dir" staged="$dir/.mentormatch/staging-*/*.csv" what="an existing folder"
  else
    out="$work/fresh/sub" staged="$work/.mentormatch-new-*/sub/.mentormatch/staging-*/*.csv" what="a new folder"
  fi
  "$MM_BIN" match --mentors "$work/medium/mentors.csv" --mentees "$work/medium/mentees.csv" --start 2027-03-01 \
    --threads 2 --quiet --out "$out" >/dev/null 2>"$work/stderr" &
  pid=$!
  if ! wait_for_file "$staged" "$pid"; then
    missed=$((missed + 1))
  else
    [ $((RANDOM % 2)) -eq 0 ] || sleep "$(printf '0.%03d' $((RANDOM % 301)))"
  fi
  kill -s "$sig" "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" || rc=$?
  name="round $round, SIG$sig into $what"
  if [ "$what" = "an existing folder" ]; then
    cmp -s "$work/before" <(snapshot "$dir") && left=no || left=yes
  else
    [ -e "$work/fresh" ] || compgen -G "$work/.mentormatch-new-*" >/dev/null && left=yes || left=no
  fi
  if [ "$rc" -eq "$want" ] && [ "$left" = no ]; then
    pass "$name (exit $rc): nothing left"
  elif { [ "$rc" -eq "$want" ] || [ "$rc" -eq 0 ]; } && published_whole "$out"; then
    # The signal came after the new set's point of no return (or after the
    # run): a whole new set is as good an outcome as none.
    published=$((published + 1))
    pass "$name (exit $rc): the new set was already in place, whole"
    if [ "$what" = "a new folder" ]; then rm -rf "$work/fresh"; else snapshot "$dir" >"$work/before"; fi
  elif [ "$rc" -ne "$want" ]; then
    fail "$name: exit status $rc, expected $want"
    head -c 2000 "$work/stderr" | sed 's/^/  /'
  elif [ "$what" = "an existing folder" ]; then
    fail "$name: the folder changed, and holds no whole new set"
  else
    fail "$name: the new folder or its stand-in is still there, and no whole new set"
    rm -rf "$work/fresh" "$work"/.mentormatch-new-*
  fi
done
# A round whose run ended before staging proves nothing; most must land.
if [ "$missed" -gt $((rounds / 4)) ]; then
  fail "$missed of $rounds runs ended before a table was staged"
fi
if [ "$published" -gt $((rounds / 4)) ]; then
  fail "$published of $rounds runs published before their signal: the rounds test too little"
fi
finish signal_stress
