#!/usr/bin/env bash
# run_fresh_fs.sh: `mentormatch match` with every calendar file, each run into an ext4 file system made for it.
#
# Usage: bench/run_fresh_fs.sh [RUNS] [THREADS] [SHAPE...]
#   RUNS     runs per shape (default 3; medians are reported)
#   THREADS  --threads for match (default 2)
#   SHAPE    as run_shapes.sh: L-default L-high L-cap2 L-high-cap2 identical-20k (default: the four L shapes)
# Needs root (mkfs.ext4, mount -o loop). Environment: as run_shapes.sh, plus
# MM_FS_IMAGE (the image file, default /var/tmp/mm-fresh-fs.img, removed at
# the end) and MM_FS_SIZE (its size, default 12G: L capacity x2 writes 2.1 GB).
#
# Why: how long creating files takes on a disk depends on what was deleted
# there in the minutes before.  On this project's machine (ext4 without a
# journal) the allocator skips, one by one, the inodes freed in the last 60
# to 300 seconds, and the same L run's write phase took from 3.4 s to 36 s
# depending on the runs removed before it; a benchmark that removes its
# outputs feeds the next run that cost.  Here every run gets a new file
# system (journal on, inode tables and journal initialised up front so no
# background work runs during the timing), like a user's disk with room.
#
# Generates each shape's rosters once, then per run: makes the file system,
# mounts it, runs `match --start 2027-03-01 --threads T --quiet` into it
# under nice (MM_NICE) and /usr/bin/time, and prints the run's write,
# prepare and total seconds (summary.json), its wall seconds (to the exit,
# publishing's sync included) and peak memory; then the medians per shape.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh" run_fresh_fs.sh "$@"
shift $(($# < 2 ? $# : 2))
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(L-default L-high L-cap2 L-high-cap2)
for shape in "${shapes[@]}"; do bench_shape_options "$shape" >/dev/null || exit 2; done
bench_need "$MM_BIN"
[ "$(id -u)" = 0 ] || bench_fail "needs root (mkfs.ext4 and mount -o loop)"
command -v mkfs.ext4 >/dev/null || bench_fail "needs mkfs.ext4 (Debian: apt-get install e2fsprogs)"
[ -x /usr/bin/time ] || bench_fail "needs GNU time at /usr/bin/time (Debian: apt-get install time)"
image=${MM_FS_IMAGE:-/var/tmp/mm-fresh-fs.img}
[ ! -e "$image" ] || bench_fail "$image exists: remove it or set MM_FS_IMAGE"

bench_workdir
mnt=$work/mnt
mkdir -p "$mnt"
trap 'umount "$mnt" 2>/dev/null || true; rm -f "$image"; rm -rf "$work"' EXIT

# fresh_fs: an empty, fully initialised ext4 mounted on $mnt.
fresh_fs() {
  umount "$mnt" 2>/dev/null || true
  rm -f "$image"
  truncate -s "${MM_FS_SIZE:-12G}" "$image"
  mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$image"
  mount -o loop "$image" "$mnt"
  sync
}

echo "run_fresh_fs.sh: $(date -u +%FT%TZ), $runs runs, $threads threads, nice $nice_level, load: $(bench_load)"
for shape in "${shapes[@]}"; do
  read -r -a gen <<<"$(bench_shape_options "$shape")"
  d=$work/$shape
  "$MM_BIN" generate "${gen[@]}" --seed "$seed" --out "$d/roster" --quiet
  : >"$d/runs.jsonl"
  for ((k = 1; k <= runs; k++)); do
    fresh_fs
    t0=$(date +%s.%N)
    nice -n "$nice_level" /usr/bin/time -f %M -o "$d/rss" "$MM_BIN" match --mentors "$d/roster/mentors.csv" \
      --mentees "$d/roster/mentees.csv" --out "$mnt/out" --start 2027-03-01 --threads "$threads" --quiet ||
      { echo "run_fresh_fs.sh: match failed on $shape run $k" >&2; exit 1; }
    t1=$(date +%s.%N)
    "$PYTHON" - "$mnt/out/summary.json" "$t0" "$t1" "$d/rss" "$shape" "$k" <<'PY' | tee -a "$d/runs.jsonl"
import json, sys
summary, t0, t1, rss, shape, k = sys.argv[1:7]
t = json.load(open(summary))["timings"]
print(json.dumps({"shape": shape, "run": int(k), "write": t["write"], "prepare": t["prepare"], "total": t["total"],
                  "wall": round(float(t1) - float(t0), 3), "max_rss_MiB": round(int(open(rss).read()) / 1024)}))
PY
  done
  "$PYTHON" - "$d/runs.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
med = {k: statistics.median(r[k] for r in runs) for k in ("write", "prepare", "total", "wall", "max_rss_MiB")}
print(f"{runs[0]['shape']}: median of {len(runs)}: write {med['write']:.2f} s, prepare {med['prepare']:.2f} s, "
      f"total {med['total']:.2f} s, wall {med['wall']:.2f} s (min {min(r['wall'] for r in runs):.2f}, "
      f"max {max(r['wall'] for r in runs):.2f}), peak {med['max_rss_MiB']:.0f} MiB")
PY
done
echo "load at the end: $(bench_load)"
