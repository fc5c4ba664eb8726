#!/usr/bin/env bash
# generate.sh: command-line test of `mentormatch generate`, and of `match` on what it makes.
#
# The benchmarks trust the generator to be reproducible and its rosters to be
# valid input, so this checks: same seed => identical bytes, another seed =>
# different bytes, the named sizes, usage errors (exit 2), a failed run that
# leaves nothing behind, and that `match` on a small generated workforce
# succeeds and accounts for every person exactly once (pairings.csv or
# unmatched.csv) within every mentor's capacity.
# Environment (set by CTest): MM_BIN, the built tool; MM_PYTHON, Debian's python3.
set -euo pipefail

: "${MM_BIN:?MM_BIN must name the mentormatch binary}"
PYTHON=${MM_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mm_generate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "generate.sh: FAIL: $*" >&2
  exit 1
}

# expect CODE ARGS...: runs the tool and checks its exit status.
expect() {
  local want=$1 got=0
  shift
  "$MM_BIN" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || got=$?
  [ "$got" -eq "$want" ] || fail "mentormatch $* exited $got, expected $want: $(cat "$tmp/stderr")"
}

# Reproducible bytes.
expect 0 generate --mentees 300 --mentors 80 --seed 5 --out "$tmp/a" --quiet
expect 0 generate --mentees 300 --mentors 80 --seed 5 --out "$tmp/b"
grep -q "mentors.csv mentees.csv" "$tmp/stdout" || fail "generate did not say where the files are"
expect 0 generate --mentees 300 --mentors 80 --seed 6 --out "$tmp/c" --quiet
cmp "$tmp/a/mentors.csv" "$tmp/b/mentors.csv" || fail "same seed, different mentors.csv"
cmp "$tmp/a/mentees.csv" "$tmp/b/mentees.csv" || fail "same seed, different mentees.csv"
! cmp -s "$tmp/a/mentees.csv" "$tmp/c/mentees.csv" || fail "another seed gave the same mentees.csv"
! cmp -s "$tmp/a/mentors.csv" "$tmp/c/mentors.csv" || fail "another seed gave the same mentors.csv"
[ "$(ls "$tmp/a" | sort | tr '\n' ' ')" = "latest mentees.csv mentors.csv " ] &&
  [ "$(ls -A "$tmp/a/latest/" | sort | tr '\n' ' ')" = "mentees.csv mentors.csv " ] ||
  fail "unexpected files in the output folder: $(ls -A "$tmp/a")"

# Sizes: a header plus one line per person.
expect 0 generate --size S --out "$tmp/s" --quiet
[ "$(wc -l <"$tmp/s/mentees.csv")" -eq 1001 ] || fail "size S: mentees.csv has $(wc -l <"$tmp/s/mentees.csv") lines"
[ "$(wc -l <"$tmp/s/mentors.csv")" -eq 251 ] || fail "size S: mentors.csv has $(wc -l <"$tmp/s/mentors.csv") lines"
expect 0 generate --size m --out "$tmp/m" --quiet --seed 2
[ "$(wc -l <"$tmp/m/mentees.csv")" -eq 10001 ] || fail "size M: wrong mentees.csv line count"
[ "$(wc -l <"$tmp/m/mentors.csv")" -eq 2501 ] || fail "size M: wrong mentors.csv line count"
# match refuses a roster without rows, so generate does not write one.
expect 2 generate --mentees 0 --mentors 5 --out "$tmp/empty"
grep -q -- "--mentees: expected an integer from 1" "$tmp/stderr" || fail "--mentees 0: $(cat "$tmp/stderr")"
[ ! -e "$tmp/empty" ] || fail "--mentees 0 created the output folder"
expect 0 generate --mentees 1 --mentors 1 --out "$tmp/one" --quiet
[ "$(wc -l <"$tmp/one/mentees.csv")" -eq 2 ] || fail "one mentee: not a header and one row"

# Usage errors and help.
expect 0 generate --help
grep -q -- "--size" "$tmp/stdout" || fail "--help does not mention --size"
expect 2 generate --out "$tmp/x"
expect 2 generate --size S
expect 2 generate --size XL --out "$tmp/x"
expect 2 generate --size S --mentees 10 --out "$tmp/x"
expect 2 generate --mentees 10 --out "$tmp/x"
# Shapes (issue 9): bad values are usage errors; good ones change what is written.
expect 2 generate --size S --ties medium --out "$tmp/x"
for f in 0 0.0004 1.2345 abc 2. .5 -1 1000.001; do
  expect 2 generate --size S --capacity-factor "$f" --out "$tmp/x"
done
expect 0 generate --mentees 3 --mentors 2 --identical --out "$tmp/id" --quiet
[ "$(head -1 "$tmp/id/mentors.csv")" = "id,timezone,availability" ] || fail "--identical: mentors.csv header $(head -1 "$tmp/id/mentors.csv")"
[ "$(sed -n 2p "$tmp/id/mentees.csv")" = "e000001,Europe/London,Mon-Fri 09:00-17:00" ] ||
  fail "--identical: mentees.csv row $(sed -n 2p "$tmp/id/mentees.csv")"
expect 0 generate --mentees 300 --mentors 80 --seed 5 --capacity-factor 1.5 --out "$tmp/cap" --quiet
cmp -s "$tmp/a/mentees.csv" "$tmp/cap/mentees.csv" || fail "--capacity-factor changed mentees.csv"
"$PYTHON" - "$tmp/a/mentors.csv" "$tmp/cap/mentors.csv" <<'EOF2' || fail "--capacity-factor 1.5 did not scale every capacity"
import csv, sys
a = list(csv.DictReader(open(sys.argv[1])))
b = list(csv.DictReader(open(sys.argv[2])))
assert len(a) == len(b) == 80
for x, y in zip(a, b):
    assert int(y["capacity"]) == max(1, (int(x["capacity"]) * 1500 + 500) // 1000), (x["capacity"], y["capacity"])
    assert {k: v for k, v in x.items() if k != "capacity"} == {k: v for k, v in y.items() if k != "capacity"}
EOF2
expect 0 generate --mentees 300 --mentors 80 --seed 5 --ties high --out "$tmp/hi" --quiet
! cmp -s "$tmp/a/mentees.csv" "$tmp/hi/mentees.csv" || fail "--ties high wrote the default roster"
expect 0 generate --mentees 300 --mentors 80 --seed 5 --ties low --out "$tmp/lo" --quiet
cmp -s "$tmp/a/mentees.csv" "$tmp/lo/mentees.csv" || fail "--ties low is not the default roster"
expect 2 generate --mentees ten --mentors 3 --out "$tmp/x"
expect 2 generate --mentees 10 --mentors -3 --out "$tmp/x"
expect 2 generate --mentees 10 --mentors 99999999 --out "$tmp/x"
expect 2 generate --size S --seed -1 --out "$tmp/x"
expect 2 generate --size S --seed 18446744073709551616 --out "$tmp/x"
expect 2 generate --size S --out "$tmp/x" --colour
expect 2 generate --size S --out "$tmp/x" extra
grep -q "generate --help" "$tmp/stderr" || fail "a usage error does not point at --help"
[ ! -e "$tmp/x" ] || fail "a usage error created the output folder"
expect 0 generate --size S --seed 18446744073709551615 --out "$tmp/maxseed" --quiet

# A failed run leaves nothing: the output folder cannot be made under a file.
touch "$tmp/file"
expect 3 generate --size S --out "$tmp/file/sub"
[ ! -e "$tmp/file/sub" ] || fail "a failed generate left files behind"

# match on a generated workforce accounts for every person exactly once.
expect 0 match --mentors "$tmp/a/mentors.csv" --mentees "$tmp/a/mentees.csv" \
  --out "$tmp/match" --start 2027-03-01 --threads 2 --quiet
"$PYTHON" - "$tmp/a" "$tmp/match" <<'EOF' || fail "match output does not account for every person"
import csv, sys
from collections import Counter

roster, out = sys.argv[1], sys.argv[2]

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

mentors = {r["id"]: int(r["capacity"]) for r in rows(f"{roster}/mentors.csv")}
mentees = [r["id"] for r in rows(f"{roster}/mentees.csv")]
pairs = rows(f"{out}/pairings.csv")
left = rows(f"{out}/unmatched.csv")
problems = []

seen = Counter(p["mentee_id"] for p in pairs)
seen.update(r["mentee_id"] for r in left if r["role"] == "mentee")
for m in mentees:
    if seen[m] != 1:
        problems.append(f"mentee {m} appears {seen[m]} times")
extra = set(seen) - set(mentees)
if extra:
    problems.append(f"unknown mentee ids {sorted(extra)[:5]}")

load = Counter(p["mentor_id"] for p in pairs)
idle = Counter(r["mentor_id"] for r in left if r["role"] == "mentor")
for m, cap in mentors.items():
    if (load[m] > 0) + idle[m] != 1:
        problems.append(f"mentor {m}: {load[m]} pairs and listed {idle[m]} times as unmatched")
    if load[m] > cap:
        problems.append(f"mentor {m} has {load[m]} mentees, capacity {cap}")
extra = (set(load) | set(idle)) - set(mentors)
if extra:
    problems.append(f"unknown mentor ids {sorted(extra)[:5]}")
if not pairs:
    problems.append("nobody was matched")

for p in problems[:20]:
    print("generate.sh:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

echo "generate.sh: all checks passed"
