#!/usr/bin/env bash
# run_rules.sh: `match` under program rules (quotas, department caps) solved by GLPK, with the gap it proves.
#
# Usage: bench/run_rules.sh [SIZE] [RUNS] [THREADS] [SETTINGS...]
#   SIZE      S, M (default), L or MENTEES:MENTORS
#   RUNS      timed runs (default 1)
#   THREADS   --threads for match (default 2)
#   SETTINGS  config lines; default: quota.cross_location = 0.6,
#             max_per_department = 2, mip_gap = 0.005
# Environment: MM_BUILD, MM_BIN, MM_SEED (default 1), MM_CPUS (a taskset CPU
# list such as 0,1 to pin the run to those cores; default: not pinned).
# Needs /usr/bin/time (Debian package time) for the CPU seconds.
#
# Generates the workforce once, runs `match` with the settings and prints per
# run: wall seconds (total and the solve phase), CPU seconds (user + system
# of the whole run, from /usr/bin/time, so a shared machine's load shows),
# matched, total score, the proven bound and gap, status, the quota's
# achieved share, pairs without a slot, blocking pairs, the rule-free
# optimum's score for comparison, and summary.json's proof sentence.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MM_BUILD=${MM_BUILD:-$here/../build}
MM_BIN=${MM_BIN:-$MM_BUILD/mentormatch}
PYTHON=${MM_PYTHON:-/usr/bin/python3}
size=${1:-M}
runs=${2:-1}
threads=${3:-2}
shift $(($# < 3 ? $# : 3))
seed=${MM_SEED:-1}
settings=("$@")
[ ${#settings[@]} -gt 0 ] || settings=("quota.cross_location = 0.6" "max_per_department = 2" "mip_gap = 0.005")

[ -x "$MM_BIN" ] || { echo "run_rules.sh: no mentormatch at $MM_BIN (build it, or set MM_BUILD or MM_BIN)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run_rules.sh: RUNS must be a positive integer, got \"$runs\"" >&2; exit 2; }
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "run_rules.sh: THREADS must be a positive integer, got \"$threads\"" >&2; exit 2; }
case $size in
  S | M | L | s | m | l) gen_size=(--size "$size") ;;
  *:*) gen_size=(--mentees "${size%%:*}" --mentors "${size##*:}") ;;
  *) echo "run_rules.sh: SIZE must be S, M, L or MENTEES:MENTORS, got \"$size\"" >&2; exit 2 ;;
esac
pin=()
[ -z "${MM_CPUS:-}" ] || pin=(taskset -c "$MM_CPUS")

work=$(mktemp -d "${TMPDIR:-/tmp}/mm_run_rules.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$MM_BIN" generate "${gen_size[@]}" --seed "$seed" --out "$work/roster" --quiet
printf 'start = 2027-03-01\n' >"$work/plain.conf"
cp "$work/plain.conf" "$work/rules.conf"
printf '%s\n' "${settings[@]}" >>"$work/rules.conf"
cmd=("${pin[@]}" "$MM_BIN" match --mentors "$work/roster/mentors.csv" --mentees "$work/roster/mentees.csv"
  --threads "$threads" --quiet)
match() { "${cmd[@]}" "$@"; }
match --config "$work/plain.conf" --out "$work/plain"

echo "mentormatch match with rules: $size seed $seed, $threads threads${MM_CPUS:+ pinned to CPUs $MM_CPUS}; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: ${settings[*]}"
for run in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "${cmd[@]}" --config "$work/rules.conf" --out "$work/rules"
  end=$(date +%s.%N)
  "$PYTHON" - "$work/plain/summary.json" "$work/rules/summary.json" "$run" "$start" "$end" "$work/cpu" \
    "$work/rules/unscheduled.csv" <<'PY'
import csv, json, sys
plain, rules = (json.load(open(f)) for f in sys.argv[1:3])
run, start, end = sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
user, system = (float(x) for x in open(sys.argv[6]).read().split()[-2:])
unscheduled = sum(1 for _ in csv.reader(open(sys.argv[7]))) - 1
gap = rules.get("gap")
t = rules["timings"]
print(f"run {run}: wall {end - start:.2f} s (solve {t['solve']:.2f} s, write {t['write']:.2f} s); cpu {user + system:.2f} s "
      f"(user {user:.2f}, sys {system:.2f}); load now {open('/proc/loadavg').read().split()[0]}")
print(f"  matched {rules['matched']} "
      f"(rule-free {plain['matched']}); total_score {rules['total_score']} (rule-free {plain['total_score']}); "
      f"bound {rules['bound']}; gap {'%.4f%%' % (100 * gap) if gap is not None else 'none'}; status {rules['status']}; "
      f"pairs without a slot {unscheduled}; blocking_pairs {rules.get('blocking_pairs')}")
for key, q in rules.items():
    if key.startswith("quota_"):
        print(f"  {key}: required {q['required']}, achieved {q['achieved']} ({q['pairs_across']} of {q['pairs_counted']} counted pairs)")
print("  rules:", rules.get("rules", ""))
print("  proof:", rules["proof"])
PY
done
