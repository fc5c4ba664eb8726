#!/usr/bin/env bash
# Every case under tests/data/bad: the tool must fail with the exact message in
# the case's `expected` file (file:line:col first), exit non-zero (1 for bad
# input), and write nothing: the output folder must not even be created.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$MM_SRC/tests/tools/cli_checks.sh"
for case_dir in "$MM_SRC"/tests/data/bad/*/; do
  name=$(basename "$case_dir")
  expected=$(cat "$case_dir/expected")
  want_rc=1
  [ -f "$case_dir/expected_rc" ] && want_rc=$(cat "$case_dir/expected_rc")
  out="$work/out-$name"
  set +e
  (cd "$case_dir" && "$MM_BIN" $(cat cmd) --out "$out" >"$work/stdout" 2>"$work/stderr")
  rc=$?
  set -e
  problems=""
  [ "$rc" -eq "$want_rc" ] || problems+=" exit status $rc, expected $want_rc;"
  grep -qxF -- "$expected" "$work/stderr" || problems+=" message differs;"
  [ ! -e "$out" ] || problems+=" output folder was created;"
  if [ -n "$problems" ]; then
    fail "$name:$problems"
    echo "  expected: $expected"
    sed 's/^/  got:      /' "$work/stderr"
  else
    pass "$name: $expected"
  fi
done
finish bad_inputs
