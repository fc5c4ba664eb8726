#!/usr/bin/env bash
# compare_outputs.sh: two builds of mentormatch on the same rosters must write the same bytes.
#
# Usage: bench/compare_outputs.sh BASE_BIN NEW_BIN [CASE...]
#   BASE_BIN, NEW_BIN  two mentormatch binaries (e.g. main's build and yours)
#   CASE               any of sample M M-high M-narrow M-narrow-stable
#                      S-narrow-limit M-cap2 M-narrow-cap2 H-cap2 L L-high L-narrow L-cap2
#                      (default: every M case and sample, but the cap2 ones; H-cap2 is
#                      50,000 x 12,500; cap2: twice the capacity)
# Environment: MM_THREADS (thread counts, default "1 2"), MM_SEED (default 1),
# MM_NICE (default 10), MM_OBJECTIVE_ONLY (1: for a change that may pick
# another optimum of equal value, compare only summary.json's matched,
# total_score, bound, gap and status, and show blocking_pairs and the
# number of pairings.csv lines that differ, which may), MM_PROOF_WORK
# (1: for a change to how the proof does its work, compare summary.json
# without the counts of that work: the proof sentence's rows settled and
# rescored, pairs_scored and pairs_rescored; the pairs it added, and every
# other file and line, must still be the same), MM_CALENDARS (default
# none; all or combined: also write those calendar files, with DTSTAMP fixed
# by SOURCE_DATE_EPOCH, and compare every .ics file byte for byte).
#
# A change meant to speed a phase up must not change what users get.  Each
# case runs both builds with `--calendars none` at each thread count and
# compares pairings.csv (rank and note included), unmatched.csv,
# unscheduled.csv, meetings.csv, report.html and summary.json without its
# timings line (blocking_pairs included).  Prints one line per case and thread count with
# the explain phase of each build, and exits 1 at the first difference.
set -euo pipefail

base=${1:?usage: compare_outputs.sh BASE_BIN NEW_BIN [CASE...]}
new=${2:?usage: compare_outputs.sh BASE_BIN NEW_BIN [CASE...]}
shift 2
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(sample M M-high M-narrow M-narrow-stable)
seed=${MM_SEED:-1}
nice_level=${MM_NICE:-10}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sample=$here/../datasets/sample
for b in "$base" "$new"; do [ -x "$b" ] || { echo "compare_outputs.sh: no program at $b" >&2; exit 2; }; done

work=$(mktemp -d "${TMPDIR:-/tmp}/mm_compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

roster() { # CASE -> generate options, or "sample"
  case $1 in
    sample) echo sample ;;
    M) echo "--size M" ;;
    M-high) echo "--size M --ties high" ;;
    M-narrow | M-narrow-stable) echo "--size M --calendar narrow --both-files 0.1" ;;
    S-narrow-limit) echo "--size S --calendar narrow --both-files 0.1" ;;
    M-cap2) echo "--size M --capacity-factor 2" ;;
    M-narrow-cap2) echo "--size M --calendar narrow --both-files 0.1 --capacity-factor 2" ;;
    H-cap2) echo "--mentees 50000 --mentors 12500 --capacity-factor 2" ;;
    L) echo "--size L" ;;
    L-high) echo "--size L --ties high" ;;
    L-narrow) echo "--size L --calendar narrow --both-files 0.1" ;;
    L-cap2) echo "--size L --capacity-factor 2" ;;
    *) echo "compare_outputs.sh: unknown case \"$1\"" >&2; exit 2 ;;
  esac
}

extra() { # CASE -> match options of the case
  case $1 in
    M-narrow-stable) echo "--mode stable" ;;
    S-narrow-limit) echo "--time-limit 0.001" ;;
    *) echo "" ;;
  esac
}

explain_s() { sed -n 's/.*"explain": \([0-9.]*\).*/\1/p' "$1/summary.json"; }

echo "compare_outputs.sh: $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${cases[@]}"; do
  opts=$(roster "$c")
  if [ "$opts" = sample ]; then
    input=(--mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv"
      --config "$sample/program.conf")
  else
    # shellcheck disable=SC2086 # opts is a list of options
    "$new" generate $opts --seed "$seed" --out "$work/$c/roster" --quiet
    input=(--mentors "$work/$c/roster/mentors.csv" --mentees "$work/$c/roster/mentees.csv")
  fi
  for t in ${MM_THREADS:-1 2}; do
    for who in base new; do
      bin=$base
      [ $who = new ] && bin=$new
      out=$work/$c/$who-$t
      # shellcheck disable=SC2046 # extra is a list of options
      SOURCE_DATE_EPOCH=1800000000 nice -n "$nice_level" "$bin" match "${input[@]}" --out "$out" \
        --start 2027-03-01 --threads "$t" --calendars "${MM_CALENDARS:-none}" --quiet $(extra "$c") ||
        { echo "compare_outputs.sh: $who failed on $c" >&2; exit 1; }
      grep -v '"timings"' "$out/summary.json" >"$out/summary.notimes"
      if [ "${MM_PROOF_WORK:-0}" = 1 ]; then
        sed -i -e '/"pairs_scored"\|"pairs_rescored"/d' \
          -e 's/rows settled by their k-th best score, [0-9]* by the slack of an earlier round, [0-9]* rows rescored/(work counts dropped)/' \
          "$out/summary.notimes"
      fi
    done
    if [ "${MM_OBJECTIVE_ONLY:-0}" = 1 ]; then
      for who in base new; do
        "${MM_PYTHON:-/usr/bin/python3}" -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(*(s.get(k) for k in ("matched", "total_score", "bound", "gap", "status")))' \
          "$work/$c/$who-$t/summary.json" >"$work/$c/$who-$t/objective"
      done
      blocking=$(for who in base new; do sed -n 's/.*"blocking_pairs": \([0-9]*\).*/\1/p' "$work/$c/$who-$t/summary.json"; done)
      cmp -s "$work/$c/base-$t/objective" "$work/$c/new-$t/objective" || {
        echo "compare_outputs.sh: $c, $t threads: the objective differs: $(cat "$work/$c/base-$t/objective") against $(cat "$work/$c/new-$t/objective")" >&2
        exit 1
      }
      echo "$c threads $t: same objective ($(cat "$work/$c/new-$t/objective")); pairings.csv lines that differ:" \
        "$(diff "$work/$c/base-$t/pairings.csv" "$work/$c/new-$t/pairings.csv" | grep -c '^<' || true);" \
        "blocking_pairs base and new:" $blocking
      continue
    fi
    for f in pairings.csv unmatched.csv unscheduled.csv meetings.csv report.html summary.notimes; do
      cmp -s "$work/$c/base-$t/$f" "$work/$c/new-$t/$f" || {
        echo "compare_outputs.sh: $c, $t threads: $f differs" >&2
        diff "$work/$c/base-$t/$f" "$work/$c/new-$t/$f" | head -5 >&2
        exit 1
      }
    done
    ics=""
    if [ "${MM_CALENDARS:-none}" != none ]; then
      diff -rq -x '*.csv' -x '*.json' -x '*.html' -x '*.notimes' "$(readlink -f "$work/$c/base-$t/latest")" \
        "$(readlink -f "$work/$c/new-$t/latest")" >&2 || {
        echo "compare_outputs.sh: $c, $t threads: calendar files differ" >&2
        exit 1
      }
      ics=" $(find "$(readlink -f "$work/$c/new-$t/latest")" -name '*.ics' | wc -l) .ics files,"
    fi
    echo "$c threads $t: identical ($(wc -l <"$work/$c/new-$t/pairings.csv") pairing lines,$ics" \
      "blocking_pairs $(sed -n 's/.*"blocking_pairs": \([0-9]*\).*/\1/p' "$work/$c/new-$t/summary.json")," \
      "$(md5sum <"$work/$c/new-$t/pairings.csv" | cut -c1-12)); explain s base $(explain_s "$work/$c/base-$t") new $(explain_s "$work/$c/new-$t")"
  done
done
echo "compare_outputs.sh: all $([ "${MM_OBJECTIVE_ONLY:-0}" = 1 ] && echo "the same objective" || echo identical); load: $(cut -d' ' -f1-3 /proc/loadavg)"
