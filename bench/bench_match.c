/* bench_match.c: mm_match's engine phases on a roster, without the writers.
 *
 * `mentormatch match` spends much of a large run writing files (calendars,
 * invitations), which hides what the engine itself costs.  This program
 * reads the rosters through the real readers, runs mm_match RUNS times and
 * prints, per run, one JSON line: each engine phase's wall seconds (as
 * summary.json's timings), the process CPU seconds the run took (user +
 * system, all threads: the fair figure on a shared machine), the objective,
 * the status and the proof text, so the phases can be compared between
 * builds on the same input.
 *
 * Usage: bench_match --mentors M.csv --mentees E.csv [--threads T] [--runs R]
 *                    [--candidates K] [--start YYYY-MM-DD]
 * --start: the program's start (default 2027-03-01, as every bench/ run, so
 * that runs on different days compare; a user's default is next Monday, and
 * the date can change which pairs are eligible and so how hard the roster is).
 */
#include "bench_util.h"
#include "config_reader.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static void print_proof(const char *text) {
  putchar('"');
  for (const char *c = text; *c; c++) {
    if (*c == '"' || *c == '\\') putchar('\\');
    putchar(*c);
  }
  putchar('"');
}

static void usage(void) {
  fprintf(stderr, "Usage: bench_match --mentors M.csv --mentees E.csv "
                  "[--threads T] [--runs R] "
                  "[--candidates K] [--start YYYY-MM-DD]\n");
}

int main(int argc, char **argv) {
  const char *mentors = NULL, *mentees = NULL, *start = NULL;
  long threads = 2, runs = 1, candidates = 0;
  const bench_arg spec[] = {
      {"--mentors", &mentors, NULL, NULL}, {"--mentees", &mentees, NULL, NULL},
      {"--threads", NULL, &threads, NULL}, {"--runs", NULL, &runs, NULL},
      {"--candidates", NULL, &candidates, NULL}, {"--start", &start, NULL, NULL},
  };
  if (bench_parse_args(argc, argv, spec, sizeof spec / sizeof spec[0]) != 0 || !mentors || !mentees ||
      threads < 1 || runs < 1 || candidates < 0) {
    usage();
    return 2;
  }
  mm_options o;
  bench_options(&o, (int)threads);
  if (candidates > 0) o.candidates = (int)candidates;
  if (start && io_parse_date(start, &o.start_year, &o.start_month, &o.start_day) != MM_OK) {
    usage();
    return 2;
  }
  double r0 = bench_wall_seconds();
  mm_problem *p = bench_load(mentors, mentees, 0, &o, NULL);
  if (!p) return 1;
  double read_s = bench_wall_seconds() - r0;
  static const char *names[MM_PHASES] = {"score", "select", "solve", "prove", "schedule", "fit", "explain"};
  for (long run = 1; run <= runs; run++) {
    mm_error e;
    memset(&e, 0, sizeof e);
    mm_result *r = NULL;
    double c0 = bench_cpu_seconds(), w0 = bench_wall_seconds();
    mm_status st = mm_match(p, &r, &e);
    double cpu = bench_cpu_seconds() - c0, wall = bench_wall_seconds() - w0;
    if (st != MM_OK) {
      char buf[1024];
      mm_error_format(&e, buf, sizeof buf);
      fprintf(stderr, "bench_match: %s\n", buf);
      mm_problem_free(p);
      return 1;
    }
    const mm_summary *s = mm_result_summary(r);
    printf("{\"run\": %ld, \"threads\": %ld, \"mentees\": %zu, \"mentors\": "
           "%zu, \"read_s\": %.4f",
           run, threads, s->mentees, s->mentors, read_s);
    for (int ph = 0; ph < MM_PHASES; ph++) printf(", \"%s_s\": %.4f", names[ph], s->seconds[ph]);
    printf(", \"engine_wall_s\": %.4f, \"engine_cpu_s\": %.3f, \"matched\": "
           "%zu, \"total_score\": %" PRId64 ", \"candidates\": %" PRIu64 ", \"pairs_rescored\": %" PRIu64
           ", \"status\": \"%s\", \"max_rss_kb\": %ld, "
           "\"proof\": ",
           wall, cpu, s->blind_matched, s->blind_score, s->candidates, s->pairs_rescored, s->status,
           bench_max_rss_kb());
    print_proof(s->proof);
    printf("}\n");
    fflush(stdout);
    mm_result_free(r);
  }
  mm_problem_free(p);
  return 0;
}
