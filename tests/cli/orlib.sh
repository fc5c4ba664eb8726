#!/usr/bin/env bash
# The solver proves published optima: every OR-Library assignment instance in
# tests/data/orlib (copied from OR-Library, see its README), converted to pipeline-mode scores (score = 101 - cost,
# every mentor of capacity 1), is solved by `mentormatch solve` with our flow
# solver and must reach 101 * n - optimum with all n mentees matched and status
# optimal; the three smallest are also solved with GLPK, so both are held to it.
# MM_ORLIB_SOLVERS=glpk-large (orlib_glpk_slow.sh) runs GLPK on 400 to 800 only.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}"
orlib="$MM_SRC/tests/data/orlib"
[ -d "$orlib/assign" ] || { echo "missing $orlib: it is part of the repository"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$MM_SRC/tests/tools/cli_checks.sh"
while read -r file optimum; do
  name=$(basename "$file" .txt)
  awk -v dir="$work/$name" '
    BEGIN { system("mkdir -p " dir); s = dir "/S.csv"; c = dir "/C.csv"; print "mentee_id,mentor_id,score" > s; print "mentor_id,capacity" > c }
    { for (f = 1; f <= NF; f++) { if (n == "") { n = $f; continue } k = seen++; i = int(k / n) + 1; j = k % n + 1; print "r" i ",c" j "," 101 - $f > s } }
    END { for (j = 1; j <= n; j++) print "c" j ",1" > c }' "$orlib/$file"
  n=$(awk 'NR == 1 { print $1; exit }' "$orlib/$file")
  want=$((101 * n - optimum))
  if [ "${MM_ORLIB_SOLVERS:-}" = glpk-large ]; then
    [ "$n" -le 300 ] && continue
    solvers="glpk"
  else
    solvers="flow"
    [ "$n" -le 300 ] && solvers="flow glpk"
  fi
  for solver in $solvers; do
    out="$work/$name/out-$solver"
    start=$(date +%s%N)
    "$MM_BIN" solve --scores "$work/$name/S.csv" --capacities "$work/$name/C.csv" --out "$out" --solver "$solver" --quiet
    ms=$((($(date +%s%N) - start) / 1000000))
    got=$(sed -n 's/^  "total_score": \([-0-9.]*\),$/\1/p' "$out/summary.json")
    matched=$(sed -n 's/^  "matched": \([0-9]*\),$/\1/p' "$out/summary.json")
    status=$(sed -n 's/^  "status": "\(.*\)",$/\1/p' "$out/summary.json")
    used=$(sed -n 's/^  "solver": "\(.*\)",$/\1/p' "$out/summary.json")
    if awk -v g="$got" -v w="$want" 'BEGIN { exit !(g == w) }' && [ "$matched" = "$n" ] && [ "$status" = optimal ]; then
      pass "$name (n=$n) $used: total $got = 101*$n - $optimum, $status, ${ms} ms"
    else
      fail "$name (n=$n) $used: total $got (want $want), matched $matched, status $status"
    fi
  done
done <<'TABLE'
assign/assign100.txt 305
assign/assign200.txt 475
assign/assign300.txt 626
assign/assign400.txt 804
assign/assign500.txt 991
assign/assign600.txt 1176
assign/assign700.txt 1362
assign/assign800.txt 1552
TABLE
finish orlib
