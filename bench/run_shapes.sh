#!/usr/bin/env bash
# run_shapes.sh: the issue-9 shapes end to end, then their final candidate graphs solved by us and by LEMON.
#
# Usage: bench/run_shapes.sh [RUNS] [THREADS] [SHAPE...]
#   RUNS     timed runs per shape (default 3; medians are reported)
#   THREADS  --threads for match (default 2)
#   SHAPE    any of L-default L-high L-cap2 L-high-cap2 identical-20k (default: all five)
# Environment: MM_BUILD (build folder, default <repo>/build), MM_PYTHON
# (default /usr/bin/python3), MM_SEED (default 1), MM_NICE (default 10),
# MM_ENGINE (1: only the engine phases, see below), MM_BASE_BUILD (with
# MM_ENGINE=1: another build run on the same rosters, for a comparison).
#
# MM_ENGINE=1 runs mm_match through BUILD/bench/bench_match instead of the
# command (no writers: at L the calendar files would dominate) and prints per
# shape and build the median of each engine phase, the engine's wall seconds
# and its CPU seconds (user + system, all threads), with the objective; no peers.
#
# Shapes (mentormatch generate):
#   L-default     --size L                          the generator's own company
#   L-high        --size L --ties high              few popular skills and goals: ties at the top
#   L-cap2        --size L --capacity-factor 2      places outnumber mentees
#   L-high-cap2   --size L --ties high --capacity-factor 2   both: ties, and spare places off the plateau
#   identical-20k --mentees 20000 --mentors 10000 --identical
# For each: RUNS runs of `mentormatch match` under /usr/bin/time -v (phase
# medians, peak memory, CPU seconds; report.py match), the last with
# --dump-graph; then that graph (the one our solver solved last) solved from
# scratch RUNS times by bench_solve_graph (median) and once each by LEMON's
# NetworkSimplex and CostScaling (peer_lemon --graph; report.py peers checks
# that every objective agrees).  Prints everything; keep it with
#   bench/run_shapes.sh 3 2 | tee bench/results/shapes-2threads.txt
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh" run_shapes.sh "$@"
shift $(($# < 2 ? $# : 2))
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(L-default L-high L-cap2 L-high-cap2 identical-20k)
bench_need "$MM_BIN" "$MM_BUILD/bench/bench_solve_graph"
[ -x /usr/bin/time ] || bench_fail "needs GNU time at /usr/bin/time (Debian: apt-get install time)"

engine_shapes() {
  local shape b gen
  bench_workdir
  echo "run_shapes.sh (engine only): $(date -u +%FT%TZ), $runs runs, $threads threads, nice $nice_level, load: $(bench_load)"
  for shape in "${shapes[@]}"; do
    read -r -a gen <<<"$(bench_shape_options "$shape")"
    "$MM_BIN" generate "${gen[@]}" --seed "$seed" --out "$work/$shape/roster" --quiet
    bench_engine "$work/$shape"
    for b in "${!builds[@]}"; do
      "$PYTHON" - "$shape" "${builds[$b]}" "$work/$shape/build$b.jsonl" <<'PY'
import json, statistics, sys
shape, build, path = sys.argv[1:4]
runs = [json.loads(line) for line in open(path)]
keys = ["read_s", "score_s", "select_s", "solve_s", "prove_s", "fit_s", "schedule_s", "explain_s", "engine_wall_s", "engine_cpu_s"]
med = {k: statistics.median(r[k] for r in runs) for k in keys}
print(f"{shape}  build {build}: {runs[0]['mentees']} x {runs[0]['mentors']}, matched {runs[0]['matched']}, "
      f"total {runs[0]['total_score']}, {runs[0]['status']}, same objective every run: "
      f"{len({(r['matched'], r['total_score']) for r in runs}) == 1}")
print("  " + "  ".join(f"{k[:-2]} {med[k]:.2f}" for k in keys) + f"  max_rss_MiB {runs[0]['max_rss_kb'] / 1024:.0f}")
print(json.dumps({"shape": shape, "build": build, "median": med, "runs": runs}))
PY
    done
  done
  echo "load at the end: $(bench_load)"
}

for shape in "${shapes[@]}"; do bench_shape_options "$shape" >/dev/null || exit 2; done

if [ "${MM_ENGINE:-0}" = 1 ]; then
  bench_need "$MM_BUILD/bench/bench_match"
  engine_shapes
  exit 0
fi

lemon_bin=""
if command -v g++ >/dev/null && [ -f /usr/include/lemon/cost_scaling.h ]; then
  lemon_bin=$MM_BUILD/bench/peer_lemon
  if ! [ "$lemon_bin" -nt "$here/peer_lemon.cpp" ]; then
    g++ -O2 -std=c++14 -o "$lemon_bin" "$here/peer_lemon.cpp" -llemon
  fi
else
  echo "run_shapes.sh: LEMON or g++ not found (Debian: apt-get install liblemon-dev g++): peers skipped" >&2
fi

bench_workdir
echo "run_shapes.sh: $(date -u +%FT%TZ), $runs runs, $threads threads, nice $nice_level, load: $(bench_load)"

status=0
for shape in "${shapes[@]}"; do
  read -r -a gen <<<"$(bench_shape_options "$shape")"
  d=$work/$shape
  "$MM_BIN" generate "${gen[@]}" --seed "$seed" --out "$d/roster" --quiet
  dirs=()
  for ((k = 1; k <= runs; k++)); do
    out=$d/run$k
    dump=()
    ((k == runs)) && dump=(--dump-graph "$d/graph")
    mkdir -p "$out"
    nice -n "$nice_level" /usr/bin/time -v -o "$out/time.txt" "$MM_BIN" match --mentors "$d/roster/mentors.csv" \
      --mentees "$d/roster/mentees.csv" --out "$out" --start 2027-03-01 --threads "$threads" --quiet "${dump[@]}" ||
      { echo "run_shapes.sh: match failed on $shape run $k" >&2; exit 1; }
    dirs+=("$out")
  done
  "$PYTHON" "$here/report.py" match "$shape (${gen[*]})" "$threads" "${dirs[@]}" || status=1
  mkdir -p "$d/ours"
  nice -n "$nice_level" "$MM_BUILD/bench/bench_solve_graph" "$d/graph" "$runs" >"$d/ours/result.json"
  peers=("$d/ours")
  if [ -n "$lemon_bin" ]; then
    nice -n "$nice_level" "$lemon_bin" --graph "$d/graph" >"$d/lemon.txt"
    for k in 1 2; do
      mkdir -p "$d/lemon$k"
      sed -n "${k}p" "$d/lemon.txt" >"$d/lemon$k/result.json"
      peers+=("$d/lemon$k")
    done
  fi
  "$PYTHON" "$here/report.py" peers "$shape: the final candidate graph ($(sed -n 's/^edges //p' "$d/graph/graph.meta") edges)" \
    "${peers[@]}" || status=1
done
exit $status
