# cli_checks.sh: the counting, checking and reporting that the command-line tests (tests/cli/*.sh) share.
#
# Each test counted its own passes and failures with its own pass/fail (or
# ok/bad), check and expect functions, written out again in every file with
# small differences.  A test sources this file after `set -euo pipefail`:
#   . "$MM_SRC/tests/tools/cli_checks.sh"
# and ends with `finish NAME`.  It lives outside tests/cli/ because every
# *.sh there is a test.  expect_exit writes standard error to $work/err, so
# the test sets work (its temporary folder) first.

passed=0
failed=0

# pass NAME / fail NAME: one check's outcome, counted and printed.
pass() {
  passed=$((passed + 1))
  echo "ok   $1"
}
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
}

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# check_that NAME CONDITION: passes when the shell text CONDITION, evaluated
# here, is true.
check_that() {
  if eval "$2"; then pass "$1"; else fail "$1"; fi
}

# expect_exit NAME CODE PATTERN COMMAND...: COMMAND exits with CODE and its
# standard error (kept in $work/err) has a line matching PATTERN (grep -E).
# Standard output goes to $EXPECT_STDOUT (default /dev/null).
expect_exit() {
  local name=$1 want=$2 pattern=$3 rc=0
  shift 3
  "$@" >"${EXPECT_STDOUT:-/dev/null}" 2>"$work/err" || rc=$?
  if [ "$rc" = "$want" ] && grep -Eq -- "$pattern" "$work/err"; then
    pass "$name (exit $rc)"
  else
    fail "$name: exit $rc (want $want), stderr:"
    head -5 "$work/err" | sed 's/^/  /'
  fi
}

# wait_for_file GLOB PID: waits until GLOB names a file (a run's first
# staged file, say); 1 if process PID ended first.
wait_for_file() {
  local k
  for k in $(seq 60000); do
    compgen -G "$1" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.002
  done
  return 1
}

# finish NAME: the tally; exits non-zero when any check failed.
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
