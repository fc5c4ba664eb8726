#!/usr/bin/env bash
# run_series.sh: how solve time grows with the roster: 10k, 25k, 50k and 100k mentees of one shape.
#
# Usage: bench/run_series.sh [RUNS] [THREADS] [GENERATE OPTIONS...]
#   RUNS     runs per size (default 3; medians)
#   THREADS  --threads for match (default 2)
#   options  the shape, passed to `mentormatch generate` (default: --ties high)
# Environment: MM_BUILD, MM_PYTHON, MM_SEED, MM_NICE as for run_shapes.sh.
#
# Mentors are a quarter of the mentees, as in the S, M and L sizes.  Prints
# per size the median solve, prove and total seconds of `mentormatch match`,
# the proof rounds, and solve seconds divided by n log2 n (scaled to the
# first size), which stays flat when the solve grows like n log n.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
PYTHON=${MM_PYTHON:-/usr/bin/python3}
runs=${1:-3}
threads=${2:-2}
shift $(($# < 2 ? $# : 2))
shape=("$@")
[ ${#shape[@]} -gt 0 ] || shape=(--ties high)
seed=${MM_SEED:-1}
nice_level=${MM_NICE:-10}
[ -x "$MM_BIN" ] || { echo "run_series.sh: no mentormatch at $MM_BIN" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run_series.sh: RUNS must be a positive integer" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/mm_run_series.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "run_series.sh: $(date -u +%FT%TZ), shape: ${shape[*]}, $runs runs, $threads threads, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 10000 25000 50000 100000; do
  d=$work/$n
  "$MM_BIN" generate --mentees "$n" --mentors $((n / 4)) --seed "$seed" "${shape[@]}" --out "$d/roster" --quiet
  for ((k = 1; k <= runs; k++)); do
    mkdir -p "$d/run$k"
    nice -n "$nice_level" "$MM_BIN" match --mentors "$d/roster/mentors.csv" --mentees "$d/roster/mentees.csv" \
      --out "$d/run$k" --start 2027-03-01 --threads "$threads" --quiet
  done
done
"$PYTHON" - "$work" "$runs" <<'PY'
import json, math, re, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
rows = []
for n in (10000, 25000, 50000, 100000):
    sums = [json.load(open(f"{work}/{n}/run{k}/summary.json")) for k in range(1, runs + 1)]
    med = lambda key: statistics.median(s["timings"][key] for s in sums)
    rounds = re.search(r"in (\d+) rounds?", sums[0]["proof"])
    rows.append({"mentees": n, "mentors": n // 4, "solve_s": med("solve"), "prove_s": med("prove"),
                 "total_s": med("total"), "rounds": int(rounds.group(1)) if rounds else 0,
                 "matched": sums[0]["matched"], "status": sums[0]["status"]})
base = rows[0]["solve_s"] / (rows[0]["mentees"] * math.log2(rows[0]["mentees"]))
print(f"  {'mentees':>8}{'solve_s':>10}{'prove_s':>10}{'total_s':>10}{'rounds':>8}{'solve/nlogn':>13}")
for r in rows:
    r["solve_per_nlogn"] = r["solve_s"] / (r["mentees"] * math.log2(r["mentees"])) / base if base > 0 else None
    print(f"  {r['mentees']:>8}{r['solve_s']:>10.3f}{r['prove_s']:>10.3f}{r['total_s']:>10.3f}{r['rounds']:>8}"
          f"{r['solve_per_nlogn']:>13.2f}")
for r in rows:
    print(json.dumps(r))
PY
