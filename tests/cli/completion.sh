#!/usr/bin/env bash
# completion.sh: the bash completion in doc/ completes commands, options and their values.
#
# Sources the completion script in a plain bash (no bash-completion package),
# then calls its function as readline would, with COMP_WORDS and COMP_CWORD
# set, for a few words: a command prefix, an option prefix of one command,
# the values of --solver and --cadence, folders only after --out, files
# after --mentors, options again after a flag without a value, and the
# tool named by path as well as found on PATH.  Checks that
# `complete -p mentormatch` names the function.
# Environment (set by CTest): MM_BIN, the built tool; MM_SRC, the source tree.
set -euo pipefail

: "${MM_BIN:?MM_BIN must name the mentormatch binary}"
: "${MM_SRC:?MM_SRC must name the source tree}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mm_completion.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/outdir" "$tmp/other"
ln -s "$MM_BIN" "$tmp/bin/mentormatch"
touch "$tmp/roster.csv" "$tmp/outfile"
PATH="$tmp/bin:$PATH"

# shellcheck source=/dev/null
source "$MM_SRC/doc/mentormatch.bash-completion"
grep -q -- '-F _mentormatch mentormatch' <<<"$(complete -p mentormatch)" ||
  { echo "completion.sh: FAIL: complete -p mentormatch: $(complete -p mentormatch)" >&2; exit 1; }

failures=0
# expect "WANTED WORDS" WORD...: completes the last word after the others.
expect() {
  local want=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _mentormatch
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ' -)
  if [ "$got" != "$want" ]; then
    echo "completion.sh: FAIL: completing '$*' gave '$got', expected '$want'" >&2
    failures=$((failures + 1))
  fi
}

expect "match" mentormatch ma
expect "--help --version" mentormatch --
expect "--mentees --mentors" "$MM_BIN" match --men
expect "--mentees --mentors" mentormatch generate --ment
expect "--seniority-gap --solver --start" mentormatch match --s
expect "--capacities" mentormatch solve --cap
expect "auto flow glpk" mentormatch match --solver ""
expect "biweekly" mentormatch match --cadence bi
expect "S" mentormatch generate --size S
expect "$tmp/outdir" mentormatch match --out "$tmp/out"
expect "$tmp/outdir $tmp/outfile" mentormatch match --mentors "$tmp/out"
expect "$tmp/roster.csv" mentormatch match --mentees "$tmp/ros"
expect "--quiet" mentormatch match --quiet --qu
expect "" mentormatch match --threads ""

[ "$failures" -eq 0 ] || exit 1
echo "completion.sh: all completions as expected"
