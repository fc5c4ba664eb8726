# bench/lib.sh: what the bench/run_*.sh scripts share: settings, checks, a work folder, the load, engine-only runs.
#
# run_series.sh and run_shapes.sh began with the same lines (paths and
# settings from the environment, RUNS and THREADS, the programs they need,
# a work folder removed on exit) and ran the same loop of bench_match over
# this build and MM_BASE_BUILD; they source this file instead, after
# `set -euo pipefail` and setting `here` to their folder:
#   . "$here/lib.sh" NAME "$@"      (NAME: the script's name, for messages)
# run_fresh_fs.sh sources it too.  It sets MM_BUILD (default <repo>/build),
# MM_BIN, PYTHON (MM_PYTHON, default /usr/bin/python3), seed (MM_SEED,
# default 1), nice_level (MM_NICE, default 10), runs and threads (the first two arguments: default 3 and 2,
# positive integers; the caller shifts them) and builds (MM_BUILD, then
# MM_BASE_BUILD when set).  bench_engine passes MM_START, when set, to
# bench_match as --start.
# shellcheck shell=bash disable=SC2034 # the variables are the caller's

bench_name=$1
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
PYTHON=${MM_PYTHON:-/usr/bin/python3}
seed=${MM_SEED:-1}
nice_level=${MM_NICE:-10}
runs=${2:-3}
threads=${3:-2}
builds=("$MM_BUILD")
if [ -n "${MM_BASE_BUILD:-}" ]; then builds+=("$MM_BASE_BUILD"); fi

# bench_fail MESSAGE: the script's usage error (exit 2).
bench_fail() {
  echo "$bench_name: $*" >&2
  exit 2
}

# bench_need PROGRAM...: each must be executable.
bench_need() {
  local prog
  for prog; do
    [ -x "$prog" ] || bench_fail "missing $prog (build the project, or set MM_BUILD)"
  done
}

[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_fail "RUNS must be a positive integer, got \"$runs\""
[[ $threads =~ ^[1-9][0-9]*$ ]] || bench_fail "THREADS must be a positive integer, got \"$threads\""

# bench_load: the load averages over 1, 5 and 15 minutes.
bench_load() { cut -d' ' -f1-3 /proc/loadavg; }

# bench_shape_options SHAPE: the `mentormatch generate` options of one of
# issue 9's shapes (run_shapes.sh, run_fresh_fs.sh).
bench_shape_options() {
  case $1 in
    L-default) echo "--size L" ;;
    L-high) echo "--size L --ties high" ;;
    L-cap2) echo "--size L --capacity-factor 2" ;;
    L-high-cap2) echo "--size L --ties high --capacity-factor 2" ;;
    identical-20k) echo "--mentees 20000 --mentors 10000 --identical" ;;
    *) echo "$bench_name: unknown shape \"$1\"" >&2; exit 2 ;;
  esac
}

# bench_workdir: sets work to a new folder, removed when the script exits.
bench_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/mm_${bench_name%.sh}.XXXXXX")
  trap 'rm -rf "$work"' EXIT
}

# bench_engine DIR: DIR/roster's rosters through each build's bench_match
# (the engine phases, no writers), runs runs each, into DIR/build<index>.jsonl.
# The builds take turns run by run, so a machine that slows down or speeds up
# during the script weighs on every build alike.
bench_engine() {
  local b k
  for b in "${!builds[@]}"; do : >"$1/build$b.jsonl"; done
  for ((k = 1; k <= runs; k++)); do
    for b in "${!builds[@]}"; do
      nice -n "$nice_level" "${builds[$b]}/bench/bench_match" --mentors "$1/roster/mentors.csv" \
        --mentees "$1/roster/mentees.csv" --threads "$threads" --runs 1 ${MM_START:+--start "$MM_START"} \
        >>"$1/build$b.jsonl"
    done
  done
}
