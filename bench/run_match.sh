#!/usr/bin/env bash
# run_match.sh: times `mentormatch match` end to end on a generated workforce, phase by phase.
#
# Usage: bench/run_match.sh SIZE [RUNS] [THREADS]
#   SIZE     S, M, L (see `mentormatch generate --help`) or MENTEES:MENTORS
#   RUNS     timed runs (default 3)
#   THREADS  --threads for match (default: the number of cores)
# Environment: MM_BUILD (build folder, default <repo>/build), MM_BIN (the tool,
# default $MM_BUILD/mentormatch), MM_SEED (default 1), MM_PYTHON (default /usr/bin/python3),
# MM_MATCH_ARGS (more match options, split on spaces, e.g. "--calendars none";
# the header says which ran), MM_GEN_ARGS (more generate options, e.g.
# "--ties high" or "--capacity-factor 2" for issue 9's shapes; the header
# says them too).
#
# Generates the workforce once into a temporary folder, runs
#   mentormatch match --start 2027-03-01 --threads T $MM_MATCH_ARGS
# RUNS times under /usr/bin/time -v, all into one output folder as a user
# re-running would (so from the second run on, publishing removes the run
# before), and prints per phase (read, score, select, solve, prove, fit,
# schedule, prepare, write, total, then publish and what no phase accounts
# for) the median seconds, pairs per second in the score phase, peak
# memory, CPU time, threads and the objective, as a table and then as JSON
# lines (one per run, one median).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
PYTHON=${MM_PYTHON:-/usr/bin/python3}
size=${1:?usage: run_match.sh SIZE [RUNS] [THREADS]}
read -r -a extra <<<"${MM_MATCH_ARGS:-}"
read -r -a gen_extra <<<"${MM_GEN_ARGS:-}"
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
"$MM_BIN" generate "${gen_size[@]}" ${gen_extra[@]+"${gen_extra[@]}"} --seed "$seed" --out "$work/roster" --quiet

dirs=()
for ((k = 1; k <= runs; k++)); do
  keep=$work/run$k
  mkdir -p "$keep"
  # Not --quiet: the summary's "after summary.json" line holds publishing's times.
  if ! /usr/bin/time -v -o "$keep/time.txt" "$MM_BIN" match --mentors "$work/roster/mentors.csv" \
      --mentees "$work/roster/mentees.csv" --out "$work/out" --start 2027-03-01 --threads "$threads" \
      ${extra[@]+"${extra[@]}"} >"$keep/stdout.txt"; then
    echo "run_match.sh: match failed on run $k" >&2
    exit 1
  fi
  cp "$work/out/summary.json" "$keep/"
  dirs+=("$keep")
done
label="$size seed $seed"
[ ${#gen_extra[@]} -eq 0 ] || label="$size ${gen_extra[*]} seed $seed"
[ ${#extra[@]} -eq 0 ] || label="$label, match ${extra[*]}"
"$PYTHON" "$here/report.py" match "$label" "$threads" "${dirs[@]}"
