/* bench_solve_graph.c: our flow solver, from scratch, on the graph `match --dump-graph` left, timed.
 *
 * Issue 9 asks for our solve against LEMON's on the very graphs mm_match
 * solves (its last, widened candidate graph; a dense matrix of every pair
 * does not fit at size L).  This reads that graph, solves it RUNS times
 * with mm_solve_scores and the flow solver (from scratch each time, the
 * certificate verified as always), and prints one JSON line with the
 * objective and the median solve seconds, beside bench/peer_lemon --graph.
 */
#include "bench_util.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || strcmp(argv[1], "--help") == 0) {
    fputs("Usage: bench_solve_graph DIR [RUNS]\n"
          "Solves the candidate graph in DIR (mentormatch match --dump-graph DIR) RUNS\n"
          "times (default 3) with mm_solve_scores and the flow solver; prints matched,\n"
          "total_score (units of 1e-4) and the median solve seconds.\n",
          argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  long runs = argc == 3 ? strtol(argv[2], NULL, 10) : 3;
  if (runs < 1 || runs > 100) {
    fprintf(stderr, "bench_solve_graph: RUNS must be 1 to 100\n");
    return 2;
  }
  mm_scores s;
  if (bench_graph_read(argv[1], &s)) return 1;
  mm_options o;
  bench_options(&o, 0);
  o.solver = MM_SOLVER_FLOW;
  double solve_s[100], whole_s[100];
  size_t matched = 0;
  long long total = 0;
  const char *status = "";
  for (long k = 0; k < runs; k++) {
    mm_result *r = NULL;
    mm_error e;
    mm_error_clear(&e);
    double t0 = io_now();
    mm_status st = mm_solve_scores(&s, &o, &r, &e);
    whole_s[k] = io_now() - t0;
    if (st != MM_OK) {
      char buf[1024];
      mm_error_format(&e, buf, sizeof buf);
      fprintf(stderr, "bench_solve_graph: %s\n", buf);
      bench_graph_free(&s);
      return 1;
    }
    const mm_summary *sum = mm_result_summary(r);
    solve_s[k] = sum->seconds[MM_PHASE_SOLVE];
    matched = sum->matched;
    total = (long long)sum->total_score;
    status = sum->status;
    mm_result_free(r);
  }
  printf("{\"tool\": \"mentormatch_flow\", \"status\": \"%s\", \"matched\": %zu, \"total_score_units\": %lld, "
         "\"edges\": %zu, \"runs\": %ld, \"solve_s\": %.6f, \"whole_s\": %.6f, \"max_rss_kb\": %ld}\n",
         status, matched, total, s.n_edges, runs, bench_median(solve_s, (size_t)runs),
         bench_median(whole_s, (size_t)runs), bench_max_rss_kb());
  bench_graph_free(&s);
  return 0;
}
