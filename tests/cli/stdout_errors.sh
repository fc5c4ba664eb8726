#!/usr/bin/env bash
# A command whose standard output cannot be written fails with exit 3 and says so.
#
# `--version`, `--help`, `generate`, `check` and `init` printed to a full
# standard output (/dev/full) and exited 0: a script capturing their output
# got nothing and was told all went well.  Each now flushes standard output
# before exiting and turns a write error into exit 3 with a message.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
[ -w /dev/full ] || { echo "skip: no /dev/full here"; exit 77; }
. "$MM_SRC/tests/tools/cli_checks.sh"
# full NAME COMMAND...: COMMAND with standard output on /dev/full exits 3 naming <stdout>.
full() { EXPECT_STDOUT=/dev/full expect_exit "$1" 3 '^<stdout>: error: cannot write (JSON lines )?to standard output' "${@:2}"; }
full "--version" "$MM_BIN" --version
full "--help" "$MM_BIN" --help
full "match --help" "$MM_BIN" match --help
full "generate" "$MM_BIN" generate --mentees 10 --mentors 3 --out "$work/gen"
full "init" "$MM_BIN" init "$work/init"
full "check" "$MM_BIN" check --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv"
# match writes its summary (or JSON lines) before it publishes: a standard
# output it cannot write stops it with DIR as it was (it used to publish the
# new set and then exit 3, so a script trusting the exit status thought the
# old results current), and a new DIR is not made.
"$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --quiet --out "$work/kept" --start 2027-03-01
before=$(readlink "$work/kept/latest")
full "match: the summary" "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" \
  --out "$work/kept" --start 2027-05-03
full "match --format jsonl" "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" \
  --out "$work/new" --format jsonl
full "solve" "$MM_BIN" solve --scores "$MM_SRC/tests/data/solve/lexi_scores.csv" \
  --capacities "$MM_SRC/tests/data/solve/lexi_caps.csv" --out "$work/solved"
check_that "generate, init and solve on a full standard output: their folders not made" \
  '[ ! -e "$work/gen" ] && [ ! -e "$work/init" ] && [ ! -e "$work/solved" ]'
check_that "match into DIR on a full standard output: DIR as it was, a new DIR not made" \
  '[ "$(readlink "$work/kept/latest")" = "$before" ] && grep -q "\"start\": \"2027-03-01\"" "$work/kept/summary.json" &&
   [ "$(ls "$work/kept/.mentormatch")" = "${before#.mentormatch/}" ] && [ ! -e "$work/new" ]'
# The same commands on a writable standard output still exit 0.
rc=0
"$MM_BIN" --version >"$work/version" || rc=$?
check_that "--version to a file (exit $rc)" '[ "$rc" = 0 ] && grep -q "^mentormatch " "$work/version"'
finish stdout_errors
