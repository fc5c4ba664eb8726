#!/usr/bin/env bash
# mentormatch init DIR: template rosters (header and two example rows each)
# and a commented settings file that check and match accept as they are,
# with every settings line, uncommented, still valid; init never overwrites.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir="$work/new/program"
"$MM_BIN" init "$dir" > "$work/out"
for f in mentors.csv mentees.csv program.conf; do [ -s "$dir/$f" ] || { echo "missing $f"; exit 1; }; done
# Three files, published as one set (outdir.h): each name links into DIR/latest.
[ "$(ls "$dir" | tr '\n' ' ')" = "latest mentees.csv mentors.csv program.conf " ] &&
  [ "$(ls -A "$dir/latest/" | wc -l)" = 3 ] || { echo "unexpected files"; ls -A "$dir"; exit 1; }
[ "$(wc -l < "$dir/mentors.csv")" = 3 ] && [ "$(wc -l < "$dir/mentees.csv")" = 3 ]
head -1 "$dir/mentors.csv" | grep -q '^id,name,email,timezone,availability,skills,goals,location,country,department,manager_id,languages,seniority,capacity$'
grep -q '^#' "$dir/program.conf"
grep -q "mentormatch match --mentors $dir/mentors.csv" "$work/out"

"$MM_BIN" check --mentors "$dir/mentors.csv" --mentees "$dir/mentees.csv" --config "$dir/program.conf" > "$work/check" 2>&1
grep -qx 'mentormatch check: 0 errors, 0 warnings; 2 mentors, 2 mentees read' "$work/check" || { cat "$work/check"; exit 1; }
"$MM_BIN" match --mentors "$dir/mentors.csv" --mentees "$dir/mentees.csv" --config "$dir/program.conf" \
  --start 2027-03-01 --out "$dir/out" --quiet
grep -q '"matched": 2,' "$dir/out/summary.json"
grep -q '"unscheduled_pairs": 0,' "$dir/out/summary.json"
echo "ok: the templates check clean and match both mentees, each with a meeting"

# Every commented setting is a real key with a valid value.
sed -E 's/^# ([a-z_.]+ = )/\1/' "$dir/program.conf" > "$work/all.conf"
[ "$(grep -cE '^[a-z_.]+ = ' "$work/all.conf")" -eq 25 ] || { echo "not every setting is shown"; exit 1; }
grep -q '^#   quota.column = ' "$dir/program.conf" && grep -q '^#   quota.min_share = proportional' "$dir/program.conf"
grep -q '^time_limit = 0$' "$work/all.conf" # commented values are the defaults
"$MM_BIN" match --mentors "$dir/mentors.csv" --mentees "$dir/mentees.csv" --config "$work/all.conf" \
  --out "$work/all" --quiet
grep -q '"matched": 2,' "$work/all/summary.json"
echo "ok: with every setting uncommented the program still runs"
# Every option the comments name is one match takes (one named --history).
"$MM_BIN" match --help > "$work/help" 2>&1
for flag in $(grep -o -- '--[a-z-]*' "$dir/program.conf" | sort -u); do
  grep -q -- "$flag" "$work/help" || { echo "program.conf names $flag, which match does not take"; exit 1; }
done

# Never overwrites: an edited roster survives a second init, and exit is 3.
echo "M3,Extra,,UTC,Mon 09:00-17:00,,,,,,,,9,1" >> "$dir/mentors.csv"
cp "$dir/mentors.csv" "$work/edited.csv"
rc=0; "$MM_BIN" init "$dir" 2> "$work/err" || rc=$?
[ "$rc" = 3 ] && grep -q 'already exists' "$work/err" || { echo "second init: exit $rc"; cat "$work/err"; exit 1; }
cmp "$dir/mentors.csv" "$work/edited.csv"
rc=0; "$MM_BIN" init 2> /dev/null || rc=$?
[ "$rc" = 2 ] || { echo "init without DIR: exit $rc, want 2"; exit 1; }
echo "init: 3 passed, 0 failed"
