#!/usr/bin/env bash
# report.html rendered by headless Chromium: the page's self-check finishes
# with no script error (also none in the browser's console), and what it
# shows (cards, chart totals, location matrix, reason groups, table counts,
# a search given in the address) agrees with the run's own files.  The page
# reaches for nothing outside itself.  A page with a script error is refused,
# so the check can fail.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium is not installed (README's test command installs it)"; exit 1; }

# dom URL OUT: the DOM after the page's script ran, console messages in OUT.err.
dom() {
  timeout 120 "$browser" --headless --disable-gpu --no-sandbox --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 --dump-dom "$1" > "$2" 2> "$2.err"
  if grep -E 'Uncaught|CONSOLE\(.*(Error|error)' "$2.err"; then echo "script error in the console"; return 1; fi
}

"$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv" \
  --config "$sample/program.conf" --out "$work/out" --quiet
report="$work/out/report.html"
if grep -Eo '(src|href)=|url\(|@import|https?://[^"]*' "$report" | grep -v '^http://www.w3.org/2000/svg$'; then
  echo "report.html refers to something outside itself"; exit 1
fi

dom "file://$report" "$work/dom.html"
"$MM_PYTHON" "$MM_SRC/tests/tools/check_report.py" "$work/dom.html" "$work/out"
dom "file://$report#search=E01&sort=score" "$work/search.html"
"$MM_PYTHON" "$MM_SRC/tests/tools/check_report.py" "$work/search.html" "$work/out" E01

# A generated program with people left out for several reasons and more than
# one page of pairs.
"$MM_BIN" generate --mentees 400 --mentors 90 --seed 3 --out "$work/gen" > /dev/null
"$MM_BIN" match --mentors "$work/gen/mentors.csv" --mentees "$work/gen/mentees.csv" --start 2027-03-01 \
  --out "$work/gen-out" --quiet
dom "file://$work/gen-out/report.html" "$work/gen.html"
"$MM_PYTHON" "$MM_SRC/tests/tools/check_report.py" "$work/gen.html" "$work/gen-out"

# Names are data, never markup: a name that closes the script element or
# carries an event handler shows as text and runs nothing.
mkdir "$work/names"
printf '%s\n' 'id,name,timezone,availability,location' \
  'M1,"</script><script>document.title=""pwned""</script>",UTC,Mon-Fri 09:00-17:00,"<b>Oslo</b>"' \
  'M2,"<img src=x onerror=""document.title=1"">",UTC,Mon-Fri 09:00-17:00,Lima' > "$work/names/mentors.csv"
printf '%s\n' 'id,name,timezone,availability,location' \
  'E1,"Zoë ""Z"" Ng, <i>Jr.</i>",UTC,Mon-Fri 09:00-17:00,Oslo' 'E2,Ana,UTC,Mon-Fri 09:00-17:00,Lima' > "$work/names/mentees.csv"
"$MM_BIN" match --mentors "$work/names/mentors.csv" --mentees "$work/names/mentees.csv" --start 2027-03-01 \
  --out "$work/names/out" --quiet
dom "file://$work/names/out/report.html" "$work/names.html"
"$MM_PYTHON" "$MM_SRC/tests/tools/check_report.py" "$work/names.html" "$work/names/out"
grep -q '&lt;/script&gt;&lt;script&gt;document.title="pwned"&lt;/script&gt;' "$work/names.html"
grep -q '&lt;img src=x onerror="document.title=1"&gt;' "$work/names.html"
if grep -q -e '<title>pwned' -e '<title>1<' -e '<img src=x' "$work/names.html"; then echo "a name became markup"; exit 1; fi

# The check can fail: a script error is seen.
mkdir "$work/broken"
cp "$work/out/"*.csv "$work/out/summary.json" "$work/broken/"
sed 's/var D = JSON.parse/nosuchfunction(); var D = JSON.parse/' "$report" > "$work/broken/report.html"
if dom "file://$work/broken/report.html" "$work/broken.html" > /dev/null &&
   "$MM_PYTHON" "$MM_SRC/tests/tools/check_report.py" "$work/broken.html" "$work/broken" > /dev/null; then
  echo "a report with a script error passed"; exit 1
fi
echo "report: rendered in Chromium, counts agree, no script error; a broken page is refused"
