#!/usr/bin/env bash
# run_match.sh: times `mentormatch match` end to end on a generated workforce, phase by phase.
#
# Usage: bench/run_match.sh SIZE [RUNS] [THREADS]
#   SIZE     S, M, L (see `mentormatch generate --help`) or MENTEES:MENTORS
#   RUNS     timed runs (default 3)
#   THREADS  --threads for match (default: the number of cores)
# Environment: MM_BUILD (build folder, default <repo>/build), MM_BIN (the tool,
# default $MM_BUILD/mentormatch), MM_SEED (default 1), MM_PYTHON (default /usr/bin/python3).
#
# Generates the workforce once into a temporary folder, runs
#   mentormatch match --start 2027-03-01 --threads T
# RUNS times under /usr/bin/time -v, and prints per phase (read, score,
# select, solve, prove, schedule, write, total) the median seconds, pairs
# per second in the score phase, peak memory, threads and the
# objective, as a table and then as JSON lines (one per run, one median).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
PYTHON=${MM_PYTHON:-/usr/bin/python3}
size=${1:?usage: run_match.sh SIZE [RUNS] [THREADS]}
runs=${2:-3}
threads=${3:-$(nproc)}
seed=${MM_SEED:-1}

[ -x "$MM_BIN" ] || { echo "run_match.sh: no mentormatch at $MM_BIN (build it, or set MM_BUILD or MM_BIN)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run_match.sh: needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run_match.sh: RUNS must be a positive integer, got \"$runs\"" >&2; exit 2; }
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "run_match.sh: THREADS must be a positive integer, got \"$threads\"" >&2; exit 2; }
case $size in
  S | M | L | s | m | l) gen_size=(--size "$size") ;;
  *:*) gen_size=(--mentees "${size%%:*}" --mentors "${size##*:}") ;;
  *) echo "run_match.sh: SIZE must be S, M, L or MENTEES:MENTORS, got \"$size\"" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/mm_run_match.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$MM_BIN" generate "${gen_size[@]}" --seed "$seed" --out "$work/roster" --quiet

dirs=()
for ((k = 1; k <= runs; k++)); do
  out=$work/run$k
  mkdir -p "$out"
  if ! /usr/bin/time -v -o "$out/time.txt" "$MM_BIN" match --mentors "$work/roster/mentors.csv" \
      --mentees "$work/roster/mentees.csv" --out "$out" --start 2027-03-01 --threads "$threads" \
      --quiet; then
    echo "run_match.sh: match failed on run $k" >&2
    exit 1
  fi
  dirs+=("$out")
done
"$PYTHON" "$here/report.py" match "$size seed $seed" "$threads" "${dirs[@]}"
