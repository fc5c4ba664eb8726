#!/usr/bin/env bash
# report_scale.sh: how report.html holds up at size: its bytes, and how long Chromium takes to draw it.
#
# Usage: bench/report_scale.sh SIZE [CAPACITY]
#   SIZE      S, M, L (see `mentormatch generate --help`) or MENTEES:MENTORS
#   CAPACITY  sets every mentor's capacity (L with 5 gives about 100,000 pairs)
# Environment: MM_BUILD (default <repo>/build), MM_BIN, MM_SEED (default 1),
# MM_BROWSER (default chromium).
#
# Generates the workforce, runs `match --start 2027-03-01`, then loads the
# report in headless Chromium three ways (plain, a search, a search with a
# sort given in the address) and prints, for each, the page's own figure for
# drawing everything (data-render-ms of #mm-selfcheck: parsing the embedded
# JSON, every chart and the first page of the table), Chromium's wall time
# (including its start-up) and peak memory, and the pairs the table matched.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
browser=${MM_BROWSER:-chromium}
size=${1:?usage: report_scale.sh SIZE [CAPACITY]}
capacity=${2:-}
seed=${MM_SEED:-1}
[ -x "$MM_BIN" ] || { echo "report_scale.sh: no mentormatch at $MM_BIN" >&2; exit 2; }
command -v "$browser" > /dev/null || { echo "report_scale.sh: no $browser (apt-get install chromium)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "report_scale.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ $size == *:* ]]; then
  "$MM_BIN" generate --mentees "${size%%:*}" --mentors "${size##*:}" --seed "$seed" --out "$work/gen" --quiet
else
  "$MM_BIN" generate --size "$size" --seed "$seed" --out "$work/gen" --quiet
fi
mentors="$work/gen/mentors.csv"
if [ -n "$capacity" ]; then
  # capacity is the last column of a generated roster.
  awk -F, -v c="$capacity" 'BEGIN { OFS = "," } NR == 1 { print; next } { $NF = c; print }' "$mentors" > "$work/mentors.csv"
  mentors="$work/mentors.csv"
fi
"$MM_BIN" match --mentors "$mentors" --mentees "$work/gen/mentees.csv" --start 2027-03-01 --out "$work/out" --quiet
report="$work/out/report.html"
echo "workforce $size${capacity:+, every capacity $capacity}, seed $seed"
echo "pairs: $(($(wc -l < "$work/out/pairings.csv") - 1)); report.html: $(wc -c < "$report") bytes"
first_mentee=$(sed -n 2p "$work/out/pairings.csv" | cut -c1-5)
for hash in "" "#search=$first_mentee" "#search=$first_mentee&sort=score"; do
  /usr/bin/time -f "%e %M" -o "$work/time" "$browser" --headless --disable-gpu --no-sandbox \
    --user-data-dir="$work/profile" --dump-dom "file://$report$hash" > "$work/dom.html" 2> /dev/null
  render=$(grep -o 'data-render-ms="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*')
  status=$(grep -o 'data-status="[a-z]*"' "$work/dom.html" | cut -d'"' -f2)
  matching=$(grep -o 'data-matching="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*')
  read -r wall kb < "$work/time"
  printf 'load %-28s page drew in %5s ms, status %s, table %7s pairs; chromium %5.1f s wall, %4d MiB peak\n' \
    "${hash:-(plain)}" "$render" "$status" "$matching" "$wall" $((kb / 1024))
done
