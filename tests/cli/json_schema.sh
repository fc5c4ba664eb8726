#!/usr/bin/env bash
# summary.json and the --format jsonl lines conform to their versioned JSON
# Schemas (schema/*.schema.json) on real outputs: match on the sample, solve,
# a run stopped by --time-limit (bound null), a generated program; and the
# validator refuses a summary with a field missing, so this test can fail.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_PYTHON:=/usr/bin/python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
validate() { "$MM_PYTHON" "$MM_SRC/tests/tools/validate_json.py" "$@"; }

"$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv" \
  --config "$sample/program.conf" --out "$work/sample" --format jsonl --quiet > "$work/sample.jsonl"
"$MM_BIN" solve --scores "$MM_SRC/tests/data/solve/lexi_scores.csv" --capacities "$MM_SRC/tests/data/solve/lexi_caps.csv" \
  --out "$work/solve" --format jsonl --quiet > "$work/solve.jsonl"
"$MM_BIN" generate --mentees 300 --mentors 120 --seed 7 --out "$work/gen" > /dev/null
"$MM_BIN" match --mentors "$work/gen/mentors.csv" --mentees "$work/gen/mentees.csv" --start 2027-03-01 \
  --out "$work/gen-out" --format jsonl --quiet > "$work/gen.jsonl"
"$MM_BIN" match --mentors "$work/gen/mentors.csv" --mentees "$work/gen/mentees.csv" --start 2027-03-01 \
  --time-limit 0.000001 --out "$work/limit" --quiet
grep -q '"schema_version": 1,' "$work/sample/summary.json"

validate "$MM_SRC/schema/summary.schema.json" "$work"/{sample,solve,gen-out,limit}/summary.json
validate "$MM_SRC/schema/jsonl.schema.json" --lines "$work"/{sample,solve,gen}.jsonl

grep -v '"matched"' "$work/sample/summary.json" > "$work/broken.json"
if validate "$MM_SRC/schema/summary.schema.json" "$work/broken.json" > "$work/refused.txt"; then
  echo "a summary without \"matched\" passed the schema"; exit 1
fi
sed 's/"type":"meeting"/"type":"lunch"/' "$work/sample.jsonl" > "$work/broken.jsonl"
if validate "$MM_SRC/schema/jsonl.schema.json" --lines "$work/broken.jsonl" > "$work/refused.txt"; then
  echo "a line of an unknown type passed the schema"; exit 1
fi
echo "json_schema: real outputs conform, broken ones are refused"
