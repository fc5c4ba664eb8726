#!/usr/bin/python3
"""report.py: turns the raw outputs of bench/run_match.sh and bench/compare_peers.sh into tables and JSON lines.

The shell scripts only run programs and collect their files; the arithmetic
(medians, pairs per second, ratios, agreement checks) and the layout live
here, in the standard library only, so both scripts print figures the same
way: a table for people, then JSON lines (prefixed by nothing, one object a
line) for plotting.

  report.py match LABEL THREADS RUN_DIR...   each RUN_DIR holds summary.json and time.txt, and
                                              stdout.txt (the human summary) when there is one
  report.py peers LABEL RUN_DIR...            each RUN_DIR holds result.json (or match's
                                              summary.json) and time.txt
  report.py fit LABEL THREADS RUN_DIR... [-- BASE_DIR...]
                                              run_fit.sh's runs (summary.json, time.txt),
                                              then optional runs of a baseline build
"""
import json
import os
import re
import statistics
import sys
from decimal import Decimal

PHASES = ["read", "score", "select", "solve", "prove", "fit", "schedule", "explain", "prepare", "write", "total"]
# After summary.json: publishing (from the human summary) and the rest of the
# wall time, which no phase accounts for (wall - total - publish).
AFTER = ["publish", "sync", "remove_previous", "wall", "unattributed"]
# Inside total, the seconds between the timed phases (total - their sum).
UNTIMED = "untimed_in_total"


def machine():
    cores = os.cpu_count() or 0
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cores} cores" + (f", {model}" if model else "")


def time_report(path):
    """/usr/bin/time -v's report: wall_s (elapsed), cpu_s (user + system: on a shared machine the
    wall clock also counts other people's work, this does not) and max_rss_kb (peak memory, KiB);
    each None when absent."""
    out = {"wall_s": None, "cpu_s": None, "max_rss_kb": None}
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return out
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    if wall:
        out["wall_s"] = 0.0
        for part in wall.group(1).split(":"):
            out["wall_s"] = out["wall_s"] * 60 + float(part)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if user and system:
        out["cpu_s"] = float(user.group(1)) + float(system.group(1))
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if rss:
        out["max_rss_kb"] = int(rss.group(1))
    return out


def load_run(run_dir):
    """A run folder's summary.json (load_summary) and its time.txt (time_report)."""
    return load_summary(os.path.join(run_dir, "summary.json")), time_report(os.path.join(run_dir, "time.txt"))


def load_summary(path):
    """summary.json with total_score kept exact (a Decimal, never a binary float); a phase an
    older version did not time (prepare) is 0."""
    with open(path) as f:
        s = json.load(f, parse_float=Decimal)
    s["total_score"] = Decimal(s["total_score"])
    s["timings"] = {k: float(v) for k, v in s["timings"].items()}
    for p in PHASES:
        s["timings"].setdefault(p, 0.0)
    s["timings"][UNTIMED] = s["timings"]["total"] - sum(s["timings"][p] for p in PHASES if p != "total")
    return s


def after_summary(run_dir, total):
    """Publishing's seconds from the human summary's line
    "after summary.json: publish P s (sync S, links L, removing the previous run R)", the
    wall time from time.txt, and what is left: wall - total - publish.  None where absent."""
    out = {k: None for k in AFTER}
    try:
        with open(os.path.join(run_dir, "stdout.txt")) as f:
            m = re.search(r"after summary\.json: publish ([\d.]+) s \(sync ([\d.]+), links [\d.]+, "
                          r"removing the previous run ([\d.]+)\)", f.read())
        if m:
            out["publish"], out["sync"], out["remove_previous"] = (float(x) for x in m.groups())
    except OSError:
        pass
    out["wall"] = time_report(os.path.join(run_dir, "time.txt"))["wall_s"]
    if out["wall"] is not None:
        out["unattributed"] = out["wall"] - total - (out["publish"] or 0.0)
    return out


def units(score_text):
    """An exact decimal score ("4235.9736") in units of 1e-4."""
    return int(Decimal(str(score_text)) * 10000)


def rate(count, seconds):
    return count / seconds if seconds > 0 else None


def mib(kb):
    return "-" if kb is None else f"{kb / 1024:.1f}"


def report_match(label, threads, run_dirs):
    runs = []
    for k, d in enumerate(run_dirs, 1):
        s, tv = load_run(d)
        t = s["timings"]
        runs.append({
            "bench": "match", "size": label, "run": k, "threads": s.get("threads", threads),
            "mentees": s["mentees"], "mentors": s["mentors"],
            "timings": {p: t[p] for p in PHASES + [UNTIMED]},
            "after_summary": after_summary(d, t["total"]),
            "pairs": s["mentees"] * s["mentors"], "pairs_scored": s["pairs_scored"],
            "pairs_per_s": rate(s["mentees"] * s["mentors"], t["score"]),
            "scored_per_s_score_prove": rate(s["pairs_scored"], t["score"] + t["prove"]),
            "max_rss_kb": tv["max_rss_kb"],
            "cpu_s": tv["cpu_s"],
            "matched": s["matched"], "total_score": f"{s['total_score']:.4f}", "status": s["status"],
            "solver": s.get("solver"),
        })
    objectives = {(r["matched"], units(r["total_score"]), r["status"]) for r in runs}
    first = runs[0]
    med = {p: statistics.median(r["timings"][p] for r in runs) for p in PHASES + [UNTIMED]}
    after = {k: [r["after_summary"][k] for r in runs if r["after_summary"][k] is not None] for k in AFTER}
    med_after = {k: statistics.median(v) if v else None for k, v in after.items()}
    rss = [r["max_rss_kb"] for r in runs if r["max_rss_kb"] is not None]
    median = {
        "bench": "match", "size": label, "run": "median", "runs": len(runs),
        "threads": first["threads"], "mentees": first["mentees"], "mentors": first["mentors"],
        "timings": med, "after_summary": med_after, "pairs": first["pairs"], "pairs_scored": first["pairs_scored"],
        "pairs_per_s": rate(first["pairs"], med["score"]),
        "scored_per_s_score_prove": rate(first["pairs_scored"], med["score"] + med["prove"]),
        "max_rss_kb": int(statistics.median(rss)) if rss else None,
        "cpu_s": statistics.median(r["cpu_s"] for r in runs) if all(r["cpu_s"] is not None for r in runs) else None,
        "matched": first["matched"], "total_score": first["total_score"], "status": first["status"],
        "solver": first["solver"], "same_objective_every_run": len(objectives) == 1,
        "machine": machine(),
    }

    print(f"mentormatch match: {label}: {first['mentees']} mentees x {first['mentors']} mentors, "
          f"{len(runs)} runs, {first['threads']} threads; machine: {machine()}")
    print(f"  {'phase':<16}{'median_s':>11}{'min_s':>11}{'max_s':>11}")
    for p in PHASES + [UNTIMED]:
        xs = [r["timings"][p] for r in runs]
        print(f"  {p:<16}{med[p]:>11.4f}{min(xs):>11.4f}{max(xs):>11.4f}")
    print("  after summary.json (publish: syncfs, links, removing the run before; unattributed: "
          "wall - total - publish):")
    for k in AFTER:
        xs = after[k]
        if xs:
            print(f"  {k:<16}{med_after[k]:>11.4f}{min(xs):>11.4f}{max(xs):>11.4f}")
        else:
            print(f"  {k:<16}{'-':>11}")
    pps, spp = median["pairs_per_s"], median["scored_per_s_score_prove"]
    print(f"  score phase: {first['pairs']:,} pairs, {'-' if pps is None else f'{pps:,.0f}'} pairs/s")
    print(f"  pairs_scored (summary.json, proof rescoring included): {first['pairs_scored']:,}, "
          f"{'-' if spp is None else f'{spp:,.0f}'} per second of score + prove")
    print(f"  peak memory (max RSS): {mib(median['max_rss_kb'])} MiB (median)")
    if median["cpu_s"] is not None:
        print(f"  CPU time (user + system, all threads): {median['cpu_s']:.2f} s (median)")
    print(f"  objective: matched {first['matched']}, total_score {first['total_score']}, "
          f"status {first['status']}, solver {first['solver']}"
          f"{'' if median['same_objective_every_run'] else '  -- DIFFERS BETWEEN RUNS'}")
    print()
    for r in runs + [median]:
        print(json.dumps(r))
    return 0 if median["same_objective_every_run"] else 1


def peer_row(d):
    """One solver's figures from its run folder: result.json (or match's summary.json) and time.txt."""
    summary = os.path.join(d, "summary.json")
    if os.path.exists(summary):
        s = load_summary(summary)
        t = s["timings"]
        r = {"tool": "mentormatch_match", "status": s["status"], "solver": s.get("solver"),
             "matched": s["matched"], "total_score_units": units(s["total_score"]),
             "solve_s": t["solve"] + t["prove"], "threads": s.get("threads"),
             "timings": t}
    else:
        with open(os.path.join(d, "result.json")) as f:
            r = json.loads(f.read().strip())
    if "skipped" not in r:
        tv = time_report(os.path.join(d, "time.txt"))
        r["all_in_s"] = tv["wall_s"]
        if tv["max_rss_kb"] is not None:
            r["max_rss_kb"] = tv["max_rss_kb"]
    return r


def report_peers(label, dirs):
    rows = [peer_row(d) for d in dirs]
    ours = next((r for r in rows if r["tool"] in ("mentormatch_solve", "mentormatch_flow") and "skipped" not in r),
                None)
    match = next((r for r in rows if r["tool"] == "mentormatch_match"), None)
    ran = [r for r in rows if "matched" in r]
    objectives = {(r["matched"], r["total_score_units"]) for r in ran}
    agree = len(objectives) <= 1

    print(f"peer comparison: {label}; machine: {machine()}")
    print(f"  {'solver':<30}{'matched':>9}{'total_score':>14}{'solve_s':>10}{'all_in_s':>10}"
          f"{'peak_MiB':>10}{'solve/ours':>12}")
    for r in rows:
        if "skipped" in r:
            print(f"  {r['tool']:<30}  skipped: {r['skipped']}")
            continue
        total = Decimal(r["total_score_units"]) / 10000
        ratio = "-"
        if ours and r is not ours and ours["solve_s"] > 0:
            ratio = f"{r['solve_s'] / ours['solve_s']:.2f}x"
        all_in = "-" if r.get("all_in_s") is None else f"{r['all_in_s']:.3f}"
        print(f"  {r['tool']:<30}{r['matched']:>9}{total:>14.4f}{r['solve_s']:>10.3f}"
              f"{all_in:>10}{mib(r.get('max_rss_kb')):>10}{ratio:>12}")
    print("  solve_s: the solver alone (for match: its solve + prove phases); all_in_s: from the\n"
          "  matrix on disk (peers) or from the rosters (match), whole process")
    if match and ours and match.get("all_in_s") and ours.get("all_in_s"):
        print(f"  match end to end vs our dense solve: {match['all_in_s'] / ours['all_in_s']:.2f}x "
              f"the time, {mib(match.get('max_rss_kb'))} vs {mib(ours.get('max_rss_kb'))} MiB")
    verdict = "all agree" if agree and len(ran) > 1 else "only one solver ran" if agree else "DISAGREE"
    print(f"  objectives: {verdict} "
          f"({', '.join(f'{m} matched / {Decimal(t) / 10000:.4f}' for m, t in sorted(objectives))})")
    print()
    for r in rows:
        print(json.dumps(dict(r, size=label)))
    return 0 if agree else 1


def report_fit(label, threads, run_dirs, base_dirs):
    """Matching with calendars against the calendar-blind bound, phase by phase."""
    runs = []
    for d in run_dirs:
        s, tv = load_run(d)
        runs.append({"timings": s["timings"], "cpu_s": tv["cpu_s"],
                     "matched": s["matched"], "total_score": str(s["total_score"]),
                     "bound": str(s["bound"]), "bound_matched": s["bound_matched"],
                     "gap": float(s["gap"]), "status": s["status"],
                     "calendar_blind": {k: str(v) for k, v in s["calendar_blind"].items()},
                     "joint_model": s["joint_model"], "unscheduled": s["unscheduled_pairs"]})
    base_runs = [load_run(d) for d in base_dirs]
    base_timings = [s["timings"] for s, _ in base_runs]
    base = [t["total"] for t in base_timings]
    base_cpu = [tv["cpu_s"] for _, tv in base_runs]
    med = {p: statistics.median(r["timings"][p] for r in runs) for p in PHASES}
    r0 = runs[0]
    print(f"mentormatch match with calendars: {label}, {len(runs)} runs, {threads} threads; machine: {machine()}")
    print(f"  matched with a slot {r0['matched']} of bound {r0['bound_matched']}; total score "
          f"{r0['total_score']} of bound {r0['bound']}; gap {100 * r0['gap']:.3f}% ({r0['status']})")
    cb = r0["calendar_blind"]
    print(f"  calendar-blind optimum: {cb['matched']} pairs, {cb['pairs_without_slot']} of them without a "
          f"slot in the greedy schedule; joint model: {r0['joint_model']}; unscheduled: {r0['unscheduled']}")
    print("  phase        median_s      min_s      max_s")
    for p in PHASES:
        vals = [r["timings"][p] for r in runs]
        print(f"  {p:<10} {med[p]:>10.4f} {min(vals):>10.4f} {max(vals):>10.4f}")
    cpus = [r["cpu_s"] for r in runs if r["cpu_s"] is not None]
    if cpus:
        print(f"  cpu (user + sys) median {statistics.median(cpus):.3f} s")
    summary = {"bench": "fit", "size": label, "runs": len(runs), "threads": threads, "median": med,
               "cpu_s": statistics.median(cpus) if cpus else None}
    if base:
        adds = med["total"] - statistics.median(base)
        print(f"  baseline build, same roster: total median {statistics.median(base):.4f} s; this build adds "
              f"{adds:+.4f} s wall", end="")
        bc = [c for c in base_cpu if c is not None]
        if bc and cpus:
            print(f", {statistics.median(cpus) - statistics.median(bc):+.4f} s cpu")
            summary["adds_cpu_s"] = statistics.median(cpus) - statistics.median(bc)
        else:
            print()
        summary["adds_s"] = adds
        base_fit = [t["fit"] for t in base_timings if "fit" in t]
        if base_fit:
            summary["base_fit_s"] = statistics.median(base_fit)
            print(f"  baseline build's fit phase: median {summary['base_fit_s']:.4f} s "
                  f"(this build: {med['fit']:.4f} s)")
    print()
    for k, r in enumerate(runs, 1):
        print(json.dumps(dict(r, bench="fit", size=label, run=k)))
    print(json.dumps(dict(summary, **{k: r0[k] for k in ("matched", "bound_matched", "total_score", "bound", "gap")})))
    same = len({(r["matched"], r["total_score"]) for r in runs}) == 1
    return 0 if same else 1


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "fit":
        args = sys.argv[4:]
        cut = args.index("--") if "--" in args else len(args)
        return report_fit(sys.argv[2], int(sys.argv[3]), args[:cut], args[cut + 1:])
    if len(sys.argv) >= 5 and sys.argv[1] == "match":
        return report_match(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    if len(sys.argv) >= 4 and sys.argv[1] == "peers":
        return report_peers(sys.argv[2], sys.argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
