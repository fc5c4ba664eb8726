#!/usr/bin/env bash
# run_explain.sh: the explain phase (left-out reasons, blocking pairs, ranks and notes) against another build.
#
# Usage: bench/run_explain.sh [RUNS] [THREADS] [CASE...]
#   RUNS     runs per case and build (default 3; medians are reported)
#   THREADS  --threads for match (default 2)
#   CASE     any of M M-high M-narrow L L-high L-narrow (default: the three M cases)
# Environment: MM_BIN (default <repo>/build/mentormatch), MM_BASE_BIN (optional:
# another build, e.g. main's, run on the same rosters, alternating with MM_BIN
# so both see the same load), MM_SEED (default 1), MM_NICE (default 10).
#
# Rosters come from `generate` (M-narrow and L-narrow as bench/run_fit.sh
# makes them).  Each run is `match --calendars none` under /usr/bin/time;
# prints per case and build the median explain seconds (all runs listed),
# the median wall and CPU seconds (user + system) of the whole run, and the
# load before and after.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BIN=${MM_BIN:-$here/../build/mentormatch}
runs=${1:-3}
threads=${2:-2}
shift $(($# < 2 ? $# : 2))
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(M M-high M-narrow)
seed=${MM_SEED:-1}
nice_level=${MM_NICE:-10}
[ -x "$MM_BIN" ] || { echo "run_explain.sh: no mentormatch at $MM_BIN" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run_explain.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run_explain.sh: RUNS must be a positive integer" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/mm_run_explain.XXXXXX")
trap 'rm -rf "$work"' EXIT

options() {
  case $1 in
    M) echo "--size M" ;;
    M-high) echo "--size M --ties high" ;;
    M-narrow) echo "--size M --calendar narrow --both-files 0.1" ;;
    L) echo "--size L" ;;
    L-high) echo "--size L --ties high" ;;
    L-narrow) echo "--size L --calendar narrow --both-files 0.1" ;;
    *) echo "run_explain.sh: unknown case \"$1\"" >&2; exit 2 ;;
  esac
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

builds=(new)
[ -n "${MM_BASE_BIN:-}" ] && builds+=(base)
echo "run_explain.sh: $(date -u +%FT%TZ), $runs runs, $threads threads, nice $nice_level, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "new: $MM_BIN${MM_BASE_BIN:+; base: $MM_BASE_BIN}"
for c in "${cases[@]}"; do
  # shellcheck disable=SC2046 # options is a list of options
  "$MM_BIN" generate $(options "$c") --seed "$seed" --out "$work/$c/roster" --quiet
  for ((k = 1; k <= runs; k++)); do
    for b in "${builds[@]}"; do
      bin=$MM_BIN
      [ "$b" = base ] && bin=$MM_BASE_BIN
      out=$work/$c/$b$k
      nice -n "$nice_level" /usr/bin/time -f "%e %U %S" -o "$work/$c/$b$k.time" "$bin" match \
        --mentors "$work/$c/roster/mentors.csv" --mentees "$work/$c/roster/mentees.csv" --out "$out" \
        --start 2027-03-01 --threads "$threads" --calendars none --quiet
      sed -n 's/.*"explain": \([0-9.]*\).*/\1/p' "$out/summary.json" >>"$work/$c/$b.explain"
      awk '{print $1}' "$work/$c/$b$k.time" >>"$work/$c/$b.wall"
      awk '{print $2 + $3}' "$work/$c/$b$k.time" >>"$work/$c/$b.cpu"
      rm -rf "$out"
    done
  done
  for b in "${builds[@]}"; do
    printf '%-9s %-4s explain median %7.2f s (runs: %s)  wall median %7.2f s  cpu median %7.2f s\n' "$c" "$b" \
      "$(median <"$work/$c/$b.explain")" "$(paste -sd' ' "$work/$c/$b.explain")" \
      "$(median <"$work/$c/$b.wall")" "$(median <"$work/$c/$b.cpu")"
  done
done
echo "run_explain.sh: load after: $(cut -d' ' -f1-3 /proc/loadavg)"
