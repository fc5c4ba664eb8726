#!/usr/bin/env bash
# Exact exit codes for resource shortages, out-of-range flags, --out values, and zones that are not zones.
#
# Each case once gave the wrong code or message:
# - libgomp failing to create a thread (here: stacks too big for memory)
#   ended the run with exit 1, "bad input"; it is exit 4 with a message;
# - running out of file descriptors while reading zones said "unknown time
#   zone" (exit 1); it is exit 3 naming the file that could not be opened;
# - an out-of-range value given as a flag was reported under its settings
#   file key with exit 1; it is a usage error (exit 2) naming the flag, and
#   the same value in the settings file still names the key (exit 1);
# - `--out ""` is a usage error; `--out new/` creates the folder new;
# - localtime, posixrules, Factory and files that are not zones were
#   accepted as zones;
# - input echoed in an error message reached the terminal raw;
# - a value option given twice (`--out a --out b`) silently kept the last;
# - a new --out folder with a name over about 205 bytes could not be made.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
. "$MM_SRC/tests/tools/cli_checks.sh"
match() { "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --quiet "$@"; }

expect_exit "threads that cannot be created: exit 4" 4 "could not start the worker threads" \
  env OMP_STACKSIZE=200G "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" \
  --threads 2 --start 2027-03-01 --quiet --out "$work/threads"
[ ! -e "$work/threads" ] || fail "the failed run left $work/threads"

# A value option given twice is a usage error naming both values; --explain repeats.
expect_exit "--out twice" 2 'match: error: --out given twice \(".*/a" and ".*/b"\)' match --out "$work/a" --out "$work/b"
[ ! -e "$work/a" ] && [ ! -e "$work/b" ] || fail "--out twice created a folder"
expect_exit "--mentors twice" 2 "--mentors given twice" match --mentors x.csv --out "$work/c"
expect_exit "generate --size twice" 2 "--size given twice" "$MM_BIN" generate --size S --size M --out "$work/d"
expect_exit "solve --scores twice" 2 "--scores given twice" "$MM_BIN" solve --scores a --scores b --out "$work/e"
expect_exit "check --config twice" 2 "--config given twice" "$MM_BIN" check --mentors a --config x --config y
if match --start 2027-03-01 --explain E001 --explain E002 --out "$work/f" >/dev/null 2>&1 &&
  [ -f "$work/f/explain/E001.txt" ] && [ -f "$work/f/explain/E002.txt" ]; then
  pass "--explain twice explains both"
else
  fail "--explain twice"
fi

# Few file descriptors: every run either succeeds or names what it could not open.
fd_fails=0
for n in $(seq 4 14); do
  rc=0
  (ulimit -n "$n" && exec "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" \
    --start 2027-03-01 --quiet --out "$work/fd$n") 2>"$work/err" || rc=$?
  if [ "$rc" = 0 ]; then continue; fi
  if [ "$rc" = 127 ] && grep -q "error while loading shared libraries" "$work/err"; then
    echo "skip ulimit -n $n: too few for the dynamic loader, before the tool runs"
    continue
  fi
  fd_fails=$((fd_fails + 1))
  if [ "$rc" = 3 ] && grep -q "Too many open files" "$work/err" && ! grep -q "unknown time zone" "$work/err"; then
    pass "ulimit -n $n: exit 3, $(head -c 100 "$work/err")"
  else
    fail "ulimit -n $n: exit $rc: $(head -c 200 "$work/err")"
  fi
done
[ "$fd_fails" -gt 0 ] || fail "no descriptor limit made a run fail"
# check goes on after a bad row, but a time zone file it cannot open is no
# fault of the rows: one error per roster, not one per row (it printed one
# per row, each blaming the row).
check_fd_fails=0
for n in $(seq 4 14); do
  rc=0
  (ulimit -n "$n" && exec "$MM_BIN" check --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" \
    --quiet) 2>"$work/err" || rc=$?
  [ "$rc" = 3 ] || continue
  check_fd_fails=$((check_fd_fails + 1))
  if [ "$(grep -c 'Too many open files' "$work/err")" -le 2 ]; then
    pass "check, ulimit -n $n: exit 3, one error per roster"
  else
    fail "check, ulimit -n $n: $(grep -c 'Too many open files' "$work/err") errors for one cause"
  fi
done
[ "$check_fd_fails" -gt 0 ] || echo "skip check under descriptor limits: no limit made it fail"

expect_exit "--start out of range as a flag names the flag" 2 '^mentormatch match: error: --start: expected a real date' \
  match --start 9999-01-01 --out "$work/o"
expect_exit "weights all zero by flags name a weight flag" 2 'error: --weight-[a-z]+: expected at least one weight above 0' \
  match --start 2027-03-01 --weight-skills 0 --weight-goals 0 --weight-timezone 0 --weight-diversity 0 --out "$work/o"
# The flags read as the settings file does: --checkpoints '' and '30,' are
# errors as 'checkpoints =' is, and --threads 0 is every core as threads = 0.
expect_exit "--checkpoints empty" 2 '^mentormatch match: error: --checkpoints: expected up to' \
  match --start 2027-03-01 --checkpoints '' --out "$work/o"
expect_exit "--checkpoints with a trailing comma" 2 '^mentormatch match: error: --checkpoints: expected up to' \
  match --start 2027-03-01 --checkpoints 30, --out "$work/o"
if match --start 2027-03-01 --threads 0 --out "$work/t0" 2>"$work/err"; then pass "--threads 0: every core (exit 0)"
else fail "--threads 0: $(head -c 200 "$work/err")"; fi
if match --start 2027-03-01 --checkpoints '30, 60' --out "$work/cp" 2>"$work/err"; then pass "--checkpoints '30, 60' (exit 0)"
else fail "--checkpoints '30, 60': $(head -c 200 "$work/err")"; fi
expect_exit "--mip-gap out of range as a flag names the flag" 2 '^mentormatch match: error: --mip-gap: expected a relative gap' \
  match --start 2027-03-01 --mip-gap 2 --out "$work/o"
printf 'start = 9999-01-01\n' >"$work/far.conf"
expect_exit "--start out of range in the settings file names the key" 1 'error: start: expected a real date' \
  match --config "$work/far.conf" --out "$work/o"
expect_exit "match --out \"\" is a usage error" 2 '^mentormatch match: error: --out: expected a folder' match --out ""
expect_exit "solve --out \"\" is a usage error" 2 '^mentormatch solve: error: --out: expected a folder' \
  "$MM_BIN" solve --scores x --capacities y --out ""
expect_exit "generate --out \"\" is a usage error" 2 '^mentormatch generate: error: --out: expected a folder' \
  "$MM_BIN" generate --size S --out ""
# `--out -` made a folder named "-" (a user after standard output gets files instead).
expect_exit "match --out - is a usage error" 2 '^mentormatch match: error: --out: expected a folder, got "-"' \
  env -C "$work" "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --start 2027-03-01 \
  --quiet --out -
expect_exit "generate --out - is a usage error" 2 '^mentormatch generate: error: --out: expected a folder, got "-"' \
  env -C "$work" "$MM_BIN" generate --size S --out -
[ ! -e "$work/-" ] || fail "--out - created a folder named -"
(cd "$work" && match --start 2027-03-01 --out new/) || true
if [ -f "$work/new/pairings.csv" ] && [ -z "$(ls -A "$work" | grep -F .new)" ]; then
  pass "--out new/ creates the folder new"
else
  fail "--out new/ did not create new with its files"
fi

# A dangling link as --out (or above it) was blamed on "another program
# created the output folder meanwhile; run again", which stays true on every
# retry; it names the link instead, and nothing is created at its target.
ln -s "$work/nowhere/target" "$work/dangling"
expect_exit "--out a dangling link: exit 3, says so" 3 'dangling: error: the output path is a link to something that does not exist' \
  match --start 2027-03-01 --out "$work/dangling"
expect_exit "--out under a dangling link: exit 3, says so" 3 'dangling/sub: error: the output path is a link to something that does not exist' \
  match --start 2027-03-01 --out "$work/dangling/sub"
if [ -e "$work/nowhere" ] || ls -A "$work" | grep -q 'mentormatch-new'; then
  fail "a run into a dangling link left something behind"
fi

# A new folder named with more than about 205 bytes failed "File name too
# long": the hidden stand-in ".NAME.mentormatch-new-TAG" it is built in went
# past the file system's 255. Every legal name works; a longer one is a
# usage error that says how long it is.
n255=$(printf 'n%.0s' $(seq 255))
if match --start 2027-03-01 --out "$work/$n255" && match --start 2027-03-01 --out "$work/x/$n255/sub" &&
  [ -f "$work/$n255/pairings.csv" ] && [ -f "$work/x/$n255/sub/pairings.csv" ] &&
  ! ls -A "$work" "$work/x" | grep -q 'mentormatch-new'; then
  pass "--out a new folder with a 255-byte name (and one below such a name)"
else
  fail "--out a new folder with a 255-byte name: failed, or a stand-in left behind"
fi
expect_exit "--out a 256-byte name: exit 2, says how long" 2 "^mentormatch: error: --out: the name \"n{60}\.\.\.\" is 256 bytes; a file or folder name may have at most 255" \
  match --start 2027-03-01 --out "$work/${n255}n/sub"
[ ! -e "$work/${n255}n" ] || fail "a 256-byte name created something"
# The same limit names where the folder came from.
expect_exit "init DIR with a 256-byte name: exit 2, names DIR" 2 "^mentormatch: error: DIR: the name \"n{60}\.\.\.\" is 256 bytes" \
  "$MM_BIN" init "$work/${n255}n"
expect_exit "--dump-graph with a 256-byte name: exit 2, names --dump-graph" 2 "^mentormatch: error: --dump-graph: the name \"n{60}\.\.\.\" is 256 bytes" \
  match --start 2027-03-01 --out "$work/g" --dump-graph "$work/${n255}n"
[ ! -e "$work/${n255}n" ] || fail "a 256-byte name created something (init or --dump-graph)"

for zone in localtime posixrules Factory zone.tab iso3166.tab posix/Europe/London; do
  printf 'id,timezone,availability\nE1,%s,Mon 09:00-17:00\n' "$zone" >"$work/zone.csv"
  expect_exit "zone $zone is refused" 1 "zone.csv:2:[0-9]+: error: timezone: unknown time zone \"$zone\"" \
    "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$work/zone.csv" --start 2027-03-01 --quiet --out "$work/o"
done

# Input echoed in a message never reaches the terminal raw.
expect_exit "an unknown command's escape sequence is shown escaped" 2 'unknown command "\\x1B\[2Jx"' "$MM_BIN" $'\e[2Jx'
if grep -q $'\e' "$work/err"; then
  fail "a raw ESC byte reached stderr"
fi

finish exit_codes
