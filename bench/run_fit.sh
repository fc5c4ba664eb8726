#!/usr/bin/env bash
# run_fit.sh: matching that knows each person's week, on rosters where meeting slots are scarce.
#
# Usage: bench/run_fit.sh SIZE [RUNS] [THREADS]
#   SIZE     S, M, L or MENTEES:MENTORS (as run_match.sh)
#   RUNS     timed runs (default 3)
#   THREADS  --threads for match (default: the number of cores)
# Environment: MM_BUILD / MM_BIN (the tool, as run_match.sh), MM_SEED (default 1),
# MM_BASE_BIN (optional: a build without the fit phase, e.g. main before
# issue 8, run as many times on the same roster to show what the fit adds),
# MM_PYTHON (default /usr/bin/python3), MM_MATCH_ARGS (extra match options
# for both builds, e.g. "--calendars none" where the build has it).
#
# The roster is `generate --calendar narrow --both-files 0.1`: a share of
# people with one to three 60-180 minute windows a week, mentors of capacity
# 2 to 4, offices on every continent, a tenth of the mentors also listed as
# mentees.  Prints the number matched with a slot and the total score
# against the calendar-blind bound (gap in %), the clashes the fit repaired,
# the joint model's size and every phase's seconds (fit included), wall and
# cpu, as a table and then as JSON lines.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
PYTHON=${MM_PYTHON:-/usr/bin/python3}
size=${1:?usage: run_fit.sh SIZE [RUNS] [THREADS]}
runs=${2:-3}
threads=${3:-$(nproc)}
seed=${MM_SEED:-1}

[ -x "$MM_BIN" ] || { echo "run_fit.sh: no mentormatch at $MM_BIN (build it, or set MM_BUILD or MM_BIN)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run_fit.sh: needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run_fit.sh: RUNS must be a positive integer, got \"$runs\"" >&2; exit 2; }
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "run_fit.sh: THREADS must be a positive integer, got \"$threads\"" >&2; exit 2; }
case $size in
  S | M | L | s | m | l) gen_size=(--size "$size") ;;
  *:*) gen_size=(--mentees "${size%%:*}" --mentors "${size##*:}") ;;
  *) echo "run_fit.sh: SIZE must be S, M, L or MENTEES:MENTORS, got \"$size\"" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/mm_run_fit.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$MM_BIN" generate "${gen_size[@]}" --seed "$seed" --calendar narrow --both-files 0.1 \
  --out "$work/roster" --quiet

run() { # BIN OUT
  mkdir -p "$2"
  # shellcheck disable=SC2086 # MM_MATCH_ARGS is a list of options
  /usr/bin/time -v -o "$2/time.txt" "$1" match --mentors "$work/roster/mentors.csv" \
    --mentees "$work/roster/mentees.csv" --out "$2" --start 2027-03-01 --threads "$threads" --quiet \
    ${MM_MATCH_ARGS:-}
}
echo "run_fit.sh: $(date -u +%FT%TZ), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dirs=() base=()
for ((k = 1; k <= runs; k++)); do
  run "$MM_BIN" "$work/run$k" || { echo "run_fit.sh: match failed on run $k" >&2; exit 1; }
  dirs+=("$work/run$k")
  if [ -n "${MM_BASE_BIN:-}" ]; then
    run "$MM_BASE_BIN" "$work/base$k" || { echo "run_fit.sh: the baseline failed on run $k" >&2; exit 1; }
    base+=("$work/base$k")
  fi
done
echo "run_fit.sh: load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" "$here/report.py" fit "$size narrow seed $seed" "$threads" "${dirs[@]}" -- "${base[@]}"
