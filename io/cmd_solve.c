/* cmd_solve.c: `mentormatch solve`: pipeline mode, the assignment on scores computed elsewhere.
 *
 * Reads S.csv (mentee_id,mentor_id,score) and C.csv (mentor_id,capacity),
 * solves the same lexicographic assignment as `match` on exactly the listed
 * pairs, and writes pairings.csv, unmatched.csv and summary.json through the
 * all-or-nothing output folder.
 */
#include "cli.h"
#include "config_reader.h"
#include "jsonl_writer.h"
#include "outdir.h"
#include "progress_display.h"
#include "results_writer.h"
#include "scores_reader.h"
#include "summary_writer.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char solve_usage[] =
    "Usage: mentormatch solve --scores S.csv --capacities C.csv --out DIR [options]\n"
    "\n"
    "Pipeline mode: the pairs were scored elsewhere.  Finds the provably optimal\n"
    "assignment (most mentees matched, then the highest total score) using only\n"
    "the listed pairs.\n"
    "\n"
    "  --scores FILE        mentee_id,mentor_id,score (a decimal, up to 4 places;\n"
    "                       - reads standard input)\n"
    "  --capacities FILE    mentor_id,capacity (0..1000; - reads standard input)\n"
    "  --out DIR            output folder (created if missing; files replaced only\n"
    "                       when the whole run succeeds)\n"
    "  --solver S           auto (default), glpk or flow\n"
    "  --time-limit SECONDS stop the solver early with the best assignment found\n"
    "  --mode M             optimal (default) or stable (deferred acceptance by score)\n"
    "  --format F           csv (default) or jsonl: one JSON object per pairing and\n"
    "                       unmatched person on stdout (--out then optional)\n"
    "  --quiet              print nothing on success and no progress (shown on\n"
    "                       stderr only when it is a terminal)\n"
    "  --help               this text\n"
    "\n"
    "Writes DIR/pairings.csv, unmatched.csv and summary.json.  Exit status:\n"
    "0 success, 1 bad input, 2 bad usage, 3 file error, 4 out of memory, limit or\n"
    "solver failure.\n";

enum { OPT_SCORES = 256, OPT_CAPS, OPT_OUT, OPT_SOLVER, OPT_TIME_LIMIT, OPT_MODE, OPT_QUIET, OPT_FORMAT, OPT_HELP };

static const struct option solve_options[] = {{"scores", required_argument, NULL, OPT_SCORES},
                                              {"capacities", required_argument, NULL, OPT_CAPS},
                                              {"out", required_argument, NULL, OPT_OUT},
                                              {"solver", required_argument, NULL, OPT_SOLVER},
                                              {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
                                              {"mode", required_argument, NULL, OPT_MODE},
                                              {"quiet", no_argument, NULL, OPT_QUIET},
                                              {"format", required_argument, NULL, OPT_FORMAT},
                                              {"help", no_argument, NULL, OPT_HELP},
                                              {NULL, 0, NULL, 0}};

/* What solve's writers need, and when the write phase began. */
typedef struct {
  const io_names *names;
  const mm_result *r;
  io_run_info *info;
  double t0, t_start;
} solve_output;

static mm_status out_pairings(FILE *f, const char *shown, const void *ctx, mm_error *e) {
  const solve_output *c = ctx;
  return io_write_pairings(f, shown, c->names, c->r, e);
}

static mm_status out_unmatched(FILE *f, const char *shown, const void *ctx, mm_error *e) {
  const solve_output *c = ctx;
  return io_write_unmatched(f, shown, c->names, c->r, e);
}

/* Last: it reports the time the others took. */
static mm_status out_summary(FILE *f, const char *shown, const void *ctx, mm_error *e) {
  const solve_output *c = ctx;
  c->info->write_s = io_now() - c->t0;
  c->info->total_s = io_now() - c->t_start;
  return io_write_summary(f, shown, c->r, c->info, e);
}

/* What goes to standard output: JSON lines, the summary (on stderr beside
 * JSON lines); before the folder is published (io_stdout_flushed). */
typedef struct {
  const char *out;
  bool jsonl, quiet;
} solve_print;

static mm_status print_results(const solve_print *sp, const io_names *names, const mm_result *r, mm_error *e) {
  mm_status st = sp->jsonl ? io_write_jsonl(stdout, names, r, e) : MM_OK;
  if (st == MM_OK && !sp->quiet) {
    const mm_summary *s = mm_result_summary(r);
    char score[48];
    io_format_score(s->total_score, score, sizeof score);
    FILE *to = sp->jsonl ? stderr : stdout;
    fprintf(to, "mentormatch: matched %zu of %zu mentees with %zu mentors: %s (%s solver), total score %s\n",
            s->matched, s->mentees, s->mentors, s->status, s->solver, score);
    if (sp->out) fprintf(to, "  results in %s/: pairings.csv unmatched.csv summary.json\n", sp->out);
  }
  return st == MM_OK ? io_stdout_flushed(e) : st;
}

static mm_status write_outputs(const char *dir, const io_names *names, const mm_result *r,
                               io_run_info *info, double t_start, const solve_print *sp, mm_error *e) {
  static const struct {
    const char *name;
    io_outdir_writer write;
  } files[] = {{"pairings.csv", out_pairings}, {"unmatched.csv", out_unmatched}, {"summary.json", out_summary}};
  io_outdir *od = NULL;
  mm_status st = io_outdir_open(dir, "--out", &od, e);
  if (st != MM_OK) return st;
  solve_output c = {names, r, info, io_now(), t_start};
  for (size_t k = 0; k < sizeof files / sizeof *files && st == MM_OK; k++)
    st = io_outdir_write(od, files[k].name, files[k].write, &c, e);
  if (st == MM_OK) st = print_results(sp, names, r, e);
  return io_outdir_finish(od, st, e);
}

int io_cmd_solve(int argc, char **argv) {
  double t_start = io_now();
  const char *scores = NULL, *caps = NULL, *out = NULL;
  bool quiet = false, jsonl = false;
  mm_options o;
  mm_options_init(&o);
  if (io_refuse_repeats("solve", argc, argv, solve_options, 0)) return IO_EXIT_USAGE;
  optind = 0;
  opterr = 0;
  int c, rc = 0;
  while (rc == 0 && (c = getopt_long(argc, argv, ":", solve_options, NULL)) != -1) {
    switch (c) {
    case OPT_SCORES: scores = optarg; break;
    case OPT_CAPS: caps = optarg; break;
    case OPT_OUT: out = optarg; break;
    case OPT_QUIET: quiet = true; break;
    case OPT_FORMAT: rc = io_parse_format("solve", optarg, &jsonl); break;
    case OPT_SOLVER:
      if (io_parse_solver(optarg, &o.solver) != MM_OK)
        rc = io_usage_error("solve", "--solver: expected auto, glpk or flow, got \"%s\"", optarg);
      break;
    case OPT_TIME_LIMIT:
      if (io_parse_decimal(optarg, &o.time_limit_s) != MM_OK || o.time_limit_s < 0)
        rc = io_usage_error("solve", "--time-limit: expected seconds >= 0, got \"%s\"", optarg);
      break;
    case OPT_MODE:
      if (io_parse_mode(optarg, &o.mode) != MM_OK)
        rc = io_usage_error("solve", "--mode: expected optimal or stable, got \"%s\"", optarg);
      break;
    case OPT_HELP: fputs(solve_usage, stdout); return IO_EXIT_OK;
    case ':': rc = io_usage_error("solve", "%s needs a value", argv[optind - 1]); break;
    default: rc = io_usage_error("solve", "unknown option %s", argv[optind - 1]); break;
    }
  }
  if (rc == 0 && optind < argc) rc = io_usage_error("solve", "unexpected argument \"%s\"", argv[optind]);
  if (rc == 0 && (!scores || !caps || (!out && !jsonl)))
    rc = io_usage_error("solve", "--scores, --capacities and --out (or --format jsonl) are required");
  if (rc == 0 && io_stdin_taken_twice((const char *[]){scores, caps}, 2))
    rc = io_usage_error("solve", "standard input (-) can feed only one of --scores and --capacities");
  if (rc == 0 && out) rc = io_check_out("solve", out);
  if (rc) return rc;

  mm_error e;
  mm_error_clear(&e);
  io_scores in;
  memset(&in, 0, sizeof in);
  io_progress pg;
  io_progress_init(&pg, quiet, &o);
  io_progress_phase(&pg, "reading the scores");
  mm_status st = io_read_scores(scores, caps, &in, &e);
  io_run_info info = {.command = "solve"};
  info.read_s = io_now() - t_start;
  mm_result *r = NULL;
  if (st == MM_OK && io_workers_start(o.threads) != 0) st = MM_ERR_LIMIT;
  if (st == MM_OK) {
    io_progress_phase(&pg, "solving");
    st = mm_solve_scores(&in.scores, &o, &r, &e);
    /* The engine names an edge by its 1-based index; point at its line. */
    if (st != MM_OK && e.line > 0 && (size_t)e.line <= in.scores.n_edges && !e.file[0])
      mm_error_locate(&e, scores, in.edge_line[e.line - 1], 1);
  }
  io_names names = {NULL, in.mentee_ids, in.mentor_ids};
  io_progress_phase(&pg, "writing the results");
  io_progress_clear(&pg);
  solve_print sp = {out, jsonl, quiet};
  if (st == MM_OK) st = out ? write_outputs(out, &names, r, &info, t_start, &sp, &e) : print_results(&sp, &names, r, &e);
  mm_result_free(r);
  io_scores_free(&in);
  return st == MM_OK ? IO_EXIT_OK : io_report(st, &e);
}
