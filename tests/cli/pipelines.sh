#!/usr/bin/env bash
# Pipeline-friendly I/O: "-" reads a roster (or scores) from standard input
# with "<stdin>" in messages; --format jsonl puts one JSON object per pairing,
# meeting and unmatched person on stdout and nothing else, messages on
# stderr, the same facts as the CSV files, DIR written too when --out is given
# and nothing written when it is not.
set -euo pipefail
# Calendars carry DTSTAMP = the time of writing unless SOURCE_DATE_EPOCH is set.
export SOURCE_DATE_EPOCH=1800000000
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
match() {
  "$MM_BIN" match --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv" --config "$sample/program.conf" "$@"
}

# Standard input gives the same bytes as the file.
match --mentors "$sample/mentors.csv" --out "$work/file" --quiet
match --mentors - --out "$work/stdin" --quiet < "$sample/mentors.csv"
for f in pairings.csv unmatched.csv unscheduled.csv meetings.csv meetings.ics; do cmp "$work/file/$f" "$work/stdin/$f"; done
ok "--mentors - gives the same outputs as the file"

printf 'id,timezone,availability\nM1,Europe/London,Mon 9am\n' > "$work/bad.csv"
rc=0; match --mentors - --out "$work/bad" < "$work/bad.csv" 2> "$work/err" || rc=$?
[ "$rc" = 1 ] || { echo "bad roster on stdin: exit $rc, want 1"; exit 1; }
grep -q '^<stdin>:2:[0-9]*: error: availability' "$work/err" || { cat "$work/err"; exit 1; }
[ ! -e "$work/bad" ] || { echo "a failed run left $work/bad"; exit 1; }
ok "an error on standard input is located at <stdin>:line:col"

rc=0; "$MM_BIN" match --mentors - --mentees - --out "$work/x" < /dev/null 2> "$work/err" || rc=$?
[ "$rc" = 2 ] && grep -q 'standard input' "$work/err" || { echo "two stdin inputs: exit $rc"; cat "$work/err"; exit 1; }
for flag in --previous --keep; do
  rc=0; "$MM_BIN" match --mentors - --mentees "$sample/mentees.csv" "$flag" - --out "$work/x" < "$sample/mentors.csv" \
    2> "$work/err" || rc=$?
  [ "$rc" = 2 ] && grep -q 'standard input' "$work/err" || { echo "stdin for --mentors and $flag: exit $rc"; cat "$work/err"; exit 1; }
done
ok "standard input cannot feed two files (--previous and --keep among them)"

# JSON lines with files: stdout is only JSON objects, the same facts as the CSVs.
match --mentors - --out "$work/both" --format jsonl < "$sample/mentors.csv" > "$work/lines.jsonl" 2> "$work/err"
for f in pairings.csv unmatched.csv meetings.csv; do cmp "$work/file/$f" "$work/both/$f"; done
grep -q '^mentormatch: matched' "$work/err" || { echo "no summary on stderr"; cat "$work/err"; exit 1; }
"$MM_PYTHON" - "$work/lines.jsonl" "$work/file" <<'PY'
import csv, json, sys
lines, out = sys.argv[1], sys.argv[2]
objs = [json.loads(l) for l in open(lines, encoding="utf-8")]
def rows(name):
    with open(f"{out}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
pairs, meets, left = rows("pairings.csv"), rows("meetings.csv"), rows("unmatched.csv")
by_type = {t: [o for o in objs if o["type"] == t] for t in ("pairing", "meeting", "unmatched")}
assert sum(map(len, by_type.values())) == len(objs), "an object with an unknown type"
assert len(by_type["pairing"]) == len(pairs) > 0, (len(by_type["pairing"]), len(pairs))
assert len(by_type["meeting"]) == len(meets) > 0, (len(by_type["meeting"]), len(meets))
assert len(by_type["unmatched"]) == len(left) > 0, (len(by_type["unmatched"]), len(left))
for o, r in zip(by_type["pairing"], pairs):
    assert (o["mentee_id"], o["mentor_id"], f'{o["score"]:.4f}') == (r["mentee_id"], r["mentor_id"], r["score"]), (o, r)
    assert o.get("first_meeting_utc", "") == r["first_meeting_utc"], (o, r)
for o, r in zip(by_type["meeting"], meets):
    assert (o["mentee_id"], o["start_utc"], o["mentee_local_start"]) == (r["mentee_id"], r["start_utc"], r["mentee_local_start"]), (o, r)
for o, r in zip(by_type["unmatched"], left):
    assert o["reason"] == r["reason"] and o["role"] == r["role"], (o, r)
print(f"{len(objs)} JSON lines agree with the CSV files")
PY
ok "--format jsonl: stdout holds only JSON objects matching the CSV files"

# JSON lines without --out: nothing written anywhere.
mkdir "$work/cwd"
(cd "$work/cwd" && match --mentors "$sample/mentors.csv" --format jsonl --quiet > "$work/only.jsonl")
[ -z "$(ls -A "$work/cwd")" ] || { echo "files written without --out"; ls -A "$work/cwd"; exit 1; }
cmp "$work/only.jsonl" "$work/lines.jsonl"
ok "--format jsonl without --out writes no file and the same lines"

# solve: scores from standard input, JSON lines out.
data="$MM_SRC/tests/data/solve"
"$MM_BIN" solve --scores - --capacities "$data/lexi_caps.csv" --format jsonl < "$data/lexi_scores.csv" > "$work/solve.jsonl" 2> /dev/null
grep -c '"type":"pairing"' "$work/solve.jsonl" | grep -qx 3
grep -q '^{"type":"unmatched","role":"mentor","id":"M3","reason":"capacity is 0, so this mentor takes no mentees"}$' "$work/solve.jsonl"
ok "solve --scores - --format jsonl"

echo "pipelines: $passed passed, 0 failed"
