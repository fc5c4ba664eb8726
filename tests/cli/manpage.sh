#!/usr/bin/env bash
# manpage.sh: doc/mentormatch.1 matches what the tool's --help says, both ways.
#
# The man page is written by hand (it says more than --help), so it can fall
# behind a new option.  This reads the commands from `mentormatch --help`,
# then each command's options from `mentormatch COMMAND --help`, and checks
# that every command has its own section in the man page and every option
# appears there; and the other way round, that every option the man page
# names exists in some --help, so a removed option does not linger.  The
# version in the page's title line must be `mentormatch --version`'s.
# Environment (set by CTest): MM_BIN, the built tool; MM_SRC, the source tree.
set -euo pipefail

: "${MM_BIN:?MM_BIN must name the mentormatch binary}"
: "${MM_SRC:?MM_SRC must name the source tree}"
page="$MM_SRC/doc/mentormatch.1"
failures=0
fail() {
  echo "manpage.sh: FAIL: $*" >&2
  failures=$((failures + 1))
}

# Here-strings, not pipes, feed grep -q: with pipefail a writer cut short by
# grep's early exit would count as a failure.
# The page as text: roff's \- is a plain hyphen, font changes dropped.
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$page")
options_in() { grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }

commands=$("$MM_BIN" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF && $1 != "Commands:" {print $1}')
[ -n "$commands" ] || fail "no commands found in 'mentormatch --help'"
all_help=$("$MM_BIN" --help | options_in)
for cmd in $commands; do
  grep -q "^\.SS \"mentormatch $cmd\"" "$page" || fail "command '$cmd' has no .SS \"mentormatch $cmd\" section in $page"
  help=$("$MM_BIN" "$cmd" --help)
  # The options of this command's section only: from its .SS to the next.
  section=$(printf '%s\n' "$text" | awk -v h=".SS \"mentormatch $cmd\"" '$0 == h {on = 1; next} /^\.S[SH]/ {on = 0} on')
  for opt in $(printf '%s\n' "$help" | options_in); do
    grep -qE -- "$opt([^a-z0-9-]|\$)" <<<"$section" ||
      fail "option $opt of 'mentormatch $cmd --help' is missing from the '$cmd' section of $page"
  done
  all_help=$(printf '%s\n%s\n' "$all_help" "$(printf '%s\n' "$help" | options_in)")
done
for opt in $(printf '%s\n' "$text" | grep -v '^\.\\"' | options_in); do
  grep -qx -- "$opt" <<<"$all_help" || fail "$page names $opt, which no --help lists"
done

version=$("$MM_BIN" --version | awk '{print $2}')
grep -q "^\.TH MENTORMATCH 1 [0-9-]* \"mentormatch $version\"" "$page" ||
  fail "the .TH line of $page does not say \"mentormatch $version\" (mentormatch --version)"

# The page must also be valid roff (groff-base is in most installs, not all).
if command -v groff >/dev/null; then
  warnings=$(groff -man -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || fail "groff warns about $page: $warnings"
else
  echo "manpage.sh: note: groff not installed, roff syntax not checked"
fi

[ "$failures" -eq 0 ] || exit 1
echo "manpage.sh: every option of $(echo $commands | wc -w) commands is in the man page, and nothing else"
