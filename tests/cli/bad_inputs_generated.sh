#!/usr/bin/env bash
# Bad inputs too big to commit, generated at test time: 10 MB fields, 12,000 columns, a 10 MB config line.
#
# Like bad_inputs.sh: each case must fail with exactly the expected message
# (file:line:col first), exit 1, and leave no output folder.  These cases
# check that the readers stop at their limits with a clear message instead
# of swallowing the whole file into memory or crashing: a roster field, a
# pairs id and a scores value of 10 MB each, a quoted field whose closing
# quote is missing (10 MB of text after it), a header with more columns than
# a record may have, and a settings line of 10 MB.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
good="$MM_SRC/tests/data/good"
. "$MM_SRC/tests/tools/cli_checks.sh"
ten_mb=10485760

repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; } # repeat CHAR COUNT

check() { # check NAME EXPECTED-MESSAGE COMMAND...
  local name=$1 expected=$2
  shift 2
  local out="$work/out-$name" rc problems=""
  set +e
  (cd "$work" && "$MM_BIN" "$@" --out "$out" >"$work/stdout" 2>"$work/stderr")
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || problems+=" exit status $rc, expected 1;"
  grep -qxF -- "$expected" "$work/stderr" || problems+=" message differs;"
  [ ! -e "$out" ] || problems+=" output folder was created;"
  if [ -n "$problems" ]; then
    fail "$name:$problems"
    echo "  expected: $expected"
    cut -c1-300 "$work/stderr" | sed 's/^/  got:      /'
  else
    pass "$name: $expected"
  fi
}

{ printf 'id,name,timezone,availability\nE1,'; repeat x $ten_mb; printf ',UTC,Mon-Fri 09:00-17:00\n'; } >"$work/long_name.csv"
check roster_field_10mb "long_name.csv:2:2: error: field longer than 1048576 bytes" \
  match --start 2027-03-01 --mentors "$good/mentors.csv" --mentees long_name.csv

{
  printf 'id,name,timezone,availability\nE1,Ann,UTC,Mon-Fri 09:00-17:00\nE2,"Bob\n'
  for _ in $(seq 100); do repeat y 104857; printf '\n'; done
  printf ',UTC,Mon-Fri 09:00-17:00\n'
} >"$work/open_quote.csv"
check roster_open_quote_10mb "open_quote.csv:3:2: error: field longer than 1048576 bytes (a quoted field starting at line 3: is its closing quote missing?)" \
  match --start 2027-03-01 --mentors "$good/mentors.csv" --mentees open_quote.csv

{ printf 'mentee_id,mentor_id,rule\nE1,M1,forbid\n'; repeat E $ten_mb; printf ',M2,forbid\n'; } >"$work/pairs.csv"
check pairs_field_10mb "pairs.csv:3:1: error: field longer than 1048576 bytes" \
  match --start 2027-03-01 --mentors "$good/mentors.csv" --mentees "$good/mentees.csv" --pairs pairs.csv

{ printf 'mentee_id,mentor_id,score\nE1,M1,0.5\nE2,M2,0.'; repeat 9 $ten_mb; printf '\n'; } >"$work/scores.csv"
check scores_field_10mb "scores.csv:3:3: error: field longer than 1048576 bytes" \
  solve --scores scores.csv --capacities "$good/capacities.csv"

{ printf 'id'; for k in $(seq 12000); do printf ',c%d' "$k"; done; printf '\nE1\n'; } >"$work/wide.csv"
check roster_12000_columns "wide.csv:1:10001: error: more than 10000 fields in one record" \
  match --start 2027-03-01 --mentors "$good/mentors.csv" --mentees wide.csv

{ printf 'threads = 2\nstart = '; repeat 2 $ten_mb; printf '\n'; } >"$work/program.conf"
check config_line_10mb "program.conf:2:4095: error: line longer than 4094 bytes" \
  match --config program.conf --mentors "$good/mentors.csv" --mentees "$good/mentees.csv"

finish bad_inputs_generated
