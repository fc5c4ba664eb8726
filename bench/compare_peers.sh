#!/usr/bin/env bash
# compare_peers.sh: our solver against SciPy and LEMON on the same scores; same objective, time ratios.
#
# Usage: bench/compare_peers.sh [SIZE] [THREADS]
#   SIZE     S, M (default), L or MENTEES:MENTORS
#   THREADS  --threads for scoring and match (default: the number of cores)
# Environment: MM_BUILD (build folder, default <repo>/build, holding mentormatch
# and bench/bench_*), MM_PYTHON (default /usr/bin/python3), MM_SEED (default 1),
# MM_PEER_MEMORY_MB (memory the dense peers may use, default half of MemAvailable),
# MM_CAPACITY (every mentor's capacity, instead of the generated 1 to 5).
#
# Generates the workforce, writes the engine's dense score matrix
# (bench_score_matrix: mm_score_matrix), then runs, each under /usr/bin/time -v:
#   mentormatch match      end to end on the rosters (pruned candidates + proof)
#   mentormatch_solve      mm_solve_scores on every eligible pair of the matrix
#   SciPy                  linear_sum_assignment, mentor columns repeated by capacity
#   LEMON                  NetworkSimplex min-cost flow (bench/peer_lemon.cpp, g++)
# and prints matched, total score, solve and whole-process seconds, peak
# memory and time ratios, then JSON lines.  It exits 1 when the objectives
# disagree.  A peer whose dense instance would not fit in memory (L has 2.5
# billion pairs) is reported as skipped with its estimate instead of run;
# one whose software is missing is skipped with the package to install.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
PYTHON=${MM_PYTHON:-/usr/bin/python3}
size=${1:-M}
threads=${2:-$(nproc)}
seed=${MM_SEED:-1}

for prog in "$MM_BIN" "$MM_BUILD/bench/bench_score_matrix" "$MM_BUILD/bench/bench_solve_dense"; do
  [ -x "$prog" ] || { echo "compare_peers.sh: missing $prog (build the project, or set MM_BUILD)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "compare_peers.sh: needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "compare_peers.sh: THREADS must be a positive integer" >&2; exit 2; }
case $size in
  S | s) n=1000 m=250 ;;
  M | m) n=10000 m=2500 ;;
  L | l) n=100000 m=25000 ;;
  *:*) n=${size%%:*} m=${size##*:} ;;
  *) echo "compare_peers.sh: SIZE must be S, M, L or MENTEES:MENTORS, got \"$size\"" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/mm_compare_peers.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$MM_BIN" generate --mentees "$n" --mentors "$m" --seed "$seed" --out "$work/roster" --quiet
# MM_CAPACITY=4 gives every mentor that capacity (the generated ones vary from 1 to 5).
if [ -n "${MM_CAPACITY:-}" ]; then
  awk -v c="$MM_CAPACITY" 'NR > 1 { sub(/[0-9]+\r?$/, c) } { print }' "$work/roster/mentors.csv" >"$work/roster/m.tmp"
  mv "$work/roster/m.tmp" "$work/roster/mentors.csv"
fi

avail_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
budget_mb=${MM_PEER_MEMORY_MB:-$((avail_mb / 2))}
# capacity is the last column of a generated roster (quoted cells may hold commas before it).
cap_total=$(awk -F, 'NR > 1 { s += $NF } END { print s + 0 }' "$work/roster/mentors.csv")
k=$((n < cap_total ? n : cap_total))
# Rough peak memory of each dense step, in MiB, assuming about half the pairs eligible.
need_ours=$((n * m * 4 / 1048576 + n * m / 2 * 40 / 1048576 + 1))
need_scipy=$((n * cap_total * 18 / 1048576 + n * m * 4 / 1048576 + 1))
need_lemon=$((n * m / 2 * 70 / 1048576 + n * m * 4 / 1048576 + 1))

skip() { # skip DIR TOOL REASON
  mkdir -p "$1"
  printf '{"tool": "%s", "skipped": "%s"}\n' "$2" "$3" >"$1/result.json"
}
timed() { # timed DIR COMMAND...: runs it under /usr/bin/time -v, result on stdout into DIR/result.json
  local dir=$1
  shift
  mkdir -p "$dir"
  /usr/bin/time -v -o "$dir/time.txt" "$@" >"$dir/result.json"
}

echo "compare_peers.sh: $n mentees x $m mentors (capacity $cap_total, at most $k pairs), seed $seed," \
  "$threads threads; dense budget $budget_mb MiB" >&2
dirs=()

# Ours, end to end.
mkdir -p "$work/match"
/usr/bin/time -v -o "$work/match/time.txt" "$MM_BIN" match --mentors "$work/roster/mentors.csv" \
  --mentees "$work/roster/mentees.csv" --out "$work/match" --start 2027-03-01 --threads "$threads" --quiet
dirs+=("$work/match")

# Decide which dense solvers can run before writing a matrix none of them could use.
over() { echo "needs ~$1 MiB for $2, over the $budget_mb MiB budget (MM_PEER_MEMORY_MB)"; }
why_ours="" why_scipy="" why_lemon=""
if ((need_ours > budget_mb)); then
  why_ours=$(over "$need_ours" "the $n x $m matrix and its edge list")
fi
if ! "$PYTHON" -c 'import numpy, scipy.optimize' 2>/dev/null; then
  why_scipy="SciPy not found for $PYTHON (Debian: apt-get install python3-scipy)"
elif ((need_scipy > budget_mb)); then
  why_scipy=$(over "$need_scipy" "the $n x $cap_total float64 cost matrix")
fi
if ! command -v g++ >/dev/null || ! [ -f /usr/include/lemon/network_simplex.h ]; then
  why_lemon="LEMON or g++ not found (Debian: apt-get install liblemon-dev g++)"
elif ((need_lemon > budget_mb)); then
  why_lemon=$(over "$need_lemon" "the flow network")
fi

if [ -z "$why_ours" ] || [ -z "$why_scipy" ] || [ -z "$why_lemon" ]; then
  mkdir -p "$work/matrix"
  "$MM_BUILD/bench/bench_score_matrix" "$work/roster/mentors.csv" "$work/roster/mentees.csv" \
    "$work/matrix" "$threads" >"$work/matrix/result.json"
fi

if [ -n "$why_ours" ]; then
  skip "$work/ours" mentormatch_solve "$why_ours"
else
  timed "$work/ours" "$MM_BUILD/bench/bench_solve_dense" "$work/matrix"
fi
if [ -n "$why_scipy" ]; then
  skip "$work/scipy" scipy_linear_sum_assignment "$why_scipy"
else
  timed "$work/scipy" "$PYTHON" "$here/peer_scipy.py" "$work/matrix"
fi
lemon_bin=$MM_BUILD/bench/peer_lemon
if [ -n "$why_lemon" ]; then
  skip "$work/lemon" lemon_network_simplex "$why_lemon"
else
  if ! [ "$lemon_bin" -nt "$here/peer_lemon.cpp" ]; then
    mkdir -p "$(dirname "$lemon_bin")"
    g++ -O2 -std=c++14 -o "$lemon_bin" "$here/peer_lemon.cpp" -llemon
  fi
  timed "$work/lemon" "$lemon_bin" "$work/matrix"
fi
dirs+=("$work/ours" "$work/scipy" "$work/lemon")

"$PYTHON" "$here/report.py" peers "$n x $m seed $seed" "${dirs[@]}"
