#!/usr/bin/env bash
# run_series.sh: how solve time grows with the roster: 10k, 25k, 50k and 100k mentees of one shape.
#
# Usage: bench/run_series.sh [RUNS] [THREADS] [GENERATE OPTIONS...]
#   RUNS     runs per size (default 3; medians)
#   THREADS  --threads for match (default 2)
#   options  the shape, passed to `mentormatch generate` (default: --ties high)
# Environment: MM_BUILD, MM_PYTHON, MM_SEED, MM_NICE as for run_shapes.sh, MM_BASE_BUILD,
# MM_START (the program's start, YYYY-MM-DD; default bench_match's 2027-03-01:
# the date decides which pairs are eligible, and so can change how hard a
# roster is; a base build's bench_match must take --start too).
#
# Mentors are a quarter of the mentees, as in the S, M and L sizes.  Each
# size runs mm_match through bench_match (the engine phases, without the
# writers, whose calendar files would dominate at 100k).  Prints per size the
# median solve, prove and engine seconds (wall, from the first phase to the
# last) and the engine's CPU seconds (user + system, all threads: the fair
# figure on a shared machine), the proof rounds, and solve seconds, then
# solve + prove seconds, divided by n log2 n (scaled to the first size),
# which stay flat when they grow like n log n.  MM_BASE_BUILD=/path/to/other/build runs that build's
# bench_match on the same rosters too, for a comparison in the same run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh" run_series.sh "$@"
shift $(($# < 2 ? $# : 2))
shape=("$@")
[ ${#shape[@]} -gt 0 ] || shape=(--ties high)
bench_need "$MM_BIN" "$MM_BUILD/bench/bench_match"

bench_workdir
echo "run_series.sh: $(date -u +%FT%TZ), shape: ${shape[*]}, $runs runs, $threads threads, nice $nice_level, load: $(bench_load)"
for n in 10000 25000 50000 100000; do
  "$MM_BIN" generate --mentees "$n" --mentors $((n / 4)) --seed "$seed" "${shape[@]}" --out "$work/$n/roster" --quiet
  bench_engine "$work/$n"
done
echo "load at the end: $(bench_load)"
"$PYTHON" - "$work" "${#builds[@]}" "${builds[@]}" <<'PY'
import json, math, re, statistics, sys
work, nb, builds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for b in range(nb):
    rows = []
    for n in (10000, 25000, 50000, 100000):
        runs = [json.loads(line) for line in open(f"{work}/{n}/build{b}.jsonl")]
        med = lambda key: statistics.median(r[key] for r in runs)
        rounds = re.search(r"in (\d+) rounds?", runs[0]["proof"])
        rows.append({"build": builds[b], "mentees": n, "mentors": n // 4, "solve_s": med("solve_s"),
                     "prove_s": med("prove_s"), "engine_s": med("engine_wall_s"), "engine_cpu_s": med("engine_cpu_s"),
                     "rounds": int(rounds.group(1)) if rounds else 0, "matched": runs[0]["matched"],
                     "total_score": runs[0]["total_score"], "status": runs[0]["status"]})
    def per_nlogn(r, seconds):
        first = rows[0]
        base = seconds(first) / (first["mentees"] * math.log2(first["mentees"]))
        return seconds(r) / (r["mentees"] * math.log2(r["mentees"])) / base if base > 0 else None
    ratio = lambda v, width: f"{v:>{width}.2f}" if v is not None else f"{'-':>{width}}"
    print(f"build: {builds[b]}")
    print(f"  {'mentees':>8}{'solve_s':>10}{'prove_s':>10}{'engine_s':>10}{'cpu_s':>9}{'rounds':>8}"
          f"{'s/nlogn':>9}{'(s+p)/nlogn':>13}")
    for r in rows:
        r["solve_per_nlogn"] = per_nlogn(r, lambda x: x["solve_s"])
        r["solve_prove_per_nlogn"] = per_nlogn(r, lambda x: x["solve_s"] + x["prove_s"])
        print(f"  {r['mentees']:>8}{r['solve_s']:>10.3f}{r['prove_s']:>10.3f}{r['engine_s']:>10.3f}"
              f"{r['engine_cpu_s']:>9.2f}{r['rounds']:>8}{ratio(r['solve_per_nlogn'], 9)}{ratio(r['solve_prove_per_nlogn'], 13)}")
    for r in rows:
        print(json.dumps(r))
PY
