#!/usr/bin/env bash
# Good inputs in every shape a spreadsheet may save them: same results, byte for byte.
#
# The bundled sample is rewritten at test time (so no editor or git setting
# can normalise the bytes under test) with a UTF-8 byte order mark, with CRLF
# line ends, with both, and reshaped: columns reversed, header names in upper
# case, every field quoted, an unknown column holding commas, quotes and a
# line break, and no line end after the last row; with CR alone as the line
# end; and a settings file opening with a 6,000-byte comment.  Each variant of the
# rosters, the pairs file and the settings file must be accepted (exit 0) and
# give exactly the files of the plain run; summary.json may differ only in
# its "timings" and "threads" lines.  The rosters' unknown column must be
# named in one warning each, with file, line and column (the pairs file has
# a fixed set of columns, so it gets none).
set -euo pipefail
# Calendars carry DTSTAMP = the time of writing unless SOURCE_DATE_EPOCH is set.
export SOURCE_DATE_EPOCH=1800000000
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
. "$MM_SRC/tests/tools/cli_checks.sh"

run() { # run NAME DIR-WITH-INPUTS [extra flags]
  local name=$1 dir=$2
  shift 2
  "$MM_BIN" match --mentors "$dir/mentors.csv" --mentees "$dir/mentees.csv" --pairs "$dir/pairs.csv" \
    --config "$dir/program.conf" --threads 2 --quiet --out "$work/out-$name" "$@" 2>"$work/stderr-$name"
}

mkdir "$work/plain"
cp "$sample/mentors.csv" "$sample/mentees.csv" "$sample/pairs.csv" "$sample/program.conf" "$work/plain/"
run plain "$work/plain"

"$MM_PYTHON" - "$work/plain" "$work" <<'PY'
import csv, io, os, sys
src, work = sys.argv[1], sys.argv[2]
files = ["mentors.csv", "mentees.csv", "pairs.csv", "program.conf"]
def raw(name):
    with open(os.path.join(src, name), "rb") as f:
        return f.read()
def write(variant, name, data):
    os.makedirs(os.path.join(work, variant), exist_ok=True)
    with open(os.path.join(work, variant, name), "wb") as f:
        f.write(data)
bom = b"\xef\xbb\xbf"
for name in files:
    data = raw(name).replace(b"\r\n", b"\n")
    write("bom", name, bom + data)
    write("crlf", name, data.replace(b"\n", b"\r\n"))
    write("bom_crlf", name, bom + data.replace(b"\n", b"\r\n"))
    write("cr", name, data.replace(b"\n", b"\r"))  # old Mac line ends
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        header = [h.upper() for h in reversed(rows[0])]
        body = [list(reversed(r)) for r in rows[1:]]
        if name != "pairs.csv":  # the pairs file accepts no unknown column
            header.insert(1, "Notes")
            for r in body:
                r.insert(1, 'says "hi", twice\non two lines')
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header] + body)
        write("reshaped", name, out.getvalue().rstrip("\n").encode("utf-8"))
    else:  # a comment longer than a setting may be
        write("reshaped", name, b"# " + b"x" * 6000 + b"\n" + data)
PY

strip() { grep -v -e '"timings"' -e '"threads"' "$1"; }
for variant in bom crlf bom_crlf cr reshaped; do
  problems=""
  set +e
  run "$variant" "$work/$variant"
  rc=$?
  set -e
  [ "$rc" -eq 0 ] || problems+=" exit status $rc;"
  for f in pairings.csv unmatched.csv unscheduled.csv meetings.csv meetings.ics; do
    cmp -s "$work/out-plain/$f" "$work/out-$variant/$f" || problems+=" $f differs;"
  done
  diff -rq "$work/out-plain/invites" "$work/out-$variant/invites" >/dev/null || problems+=" invites/ differs;"
  diff -q <(strip "$work/out-plain/summary.json") <(strip "$work/out-$variant/summary.json") >/dev/null ||
    problems+=" summary.json differs;"
  if [ "$variant" = reshaped ]; then
    for f in mentors.csv mentees.csv; do
      grep -qxF "$work/reshaped/$f:1:2: warning: unknown column \"Notes\" ignored" "$work/stderr-$variant" ||
        problems+=" no warning for the unknown column of $f;"
    done
  elif [ -s "$work/stderr-$variant" ]; then
    problems+=" unexpected messages;"
  fi
  if [ -n "$problems" ]; then
    fail "$variant:$problems"
    sed 's/^/  stderr: /' "$work/stderr-$variant"
  else
    pass "$variant: same results as the plain files"
  fi
done
finish good_inputs
