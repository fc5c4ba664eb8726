#!/usr/bin/python3
"""peer_scipy.py: SciPy's linear_sum_assignment on our dense score matrix, as a peer solver.

Reads DIR/scores.i32, DIR/capacity.i32 and DIR/meta.txt (written by
bench_score_matrix) and solves the same lexicographic assignment as
mentormatch: most mentees matched, then the highest total score.
linear_sum_assignment matches each row to one column, so every mentor's
column is repeated `capacity` times; each eligible pair costs
-(BIG + score) with BIG larger than any possible total score, so one more
matched pair always outweighs any score difference; an ineligible pair costs
0, the same as leaving both sides unmatched, and is dropped afterwards.
Prints one JSON line: matched, total_score_units (1e-4), seconds to build the
cost matrix and to solve, and peak memory.  Needs Debian's python3-scipy.
"""
import json
import os
import resource
import sys
import time


def main():
    if len(sys.argv) != 2:
        print("usage: peer_scipy.py DIR", file=sys.stderr)
        return 2
    try:
        import numpy as np
        from scipy.optimize import linear_sum_assignment
    except ImportError as exc:
        print(f"peer_scipy.py: needs numpy and scipy (Debian: apt-get install python3-scipy): {exc}",
              file=sys.stderr)
        return 3
    d = sys.argv[1]
    meta = dict(line.split() for line in open(os.path.join(d, "meta.txt")))
    n, m = int(meta["mentees"]), int(meta["mentors"])
    t0 = time.perf_counter()
    scores = np.fromfile(os.path.join(d, "scores.i32"), dtype=np.int32).reshape(n, m)
    capacity = np.fromfile(os.path.join(d, "capacity.i32"), dtype=np.int32)
    slots = np.repeat(np.arange(m), capacity)  # column -> mentor
    k = min(n, len(slots))
    big = (int(scores.max(initial=0)) + 1) * max(k, 1) + 1
    cost = np.zeros((n, len(slots)), dtype=np.float64)
    expanded = scores[:, slots]
    eligible = expanded >= 0
    cost[eligible] = -(big + expanded[eligible].astype(np.float64))
    del expanded, eligible
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows, cols = linear_sum_assignment(cost)
    solve_s = time.perf_counter() - t0
    picked = scores[rows, slots[cols]]
    keep = picked >= 0
    print(json.dumps({
        "tool": "scipy_linear_sum_assignment",
        "scipy": __import__("scipy").__version__,
        "matched": int(keep.sum()),
        "total_score_units": int(picked[keep].astype(np.int64).sum()),
        "columns": int(len(slots)),
        "build_s": round(build_s, 6),
        "solve_s": round(solve_s, 6),
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
