/* bench_solve_dense.c: our exact solver (mm_solve_scores) on a dense score matrix, timed.
 *
 * The pipeline-mode equivalent of `mentormatch solve` for bench/compare_peers.sh:
 * it reads the matrix bench_score_matrix wrote, lists every eligible pair as
 * an edge and solves the lexicographic assignment (most matched, then the
 * highest total) with mm_solve_scores, so its objective and time sit next to
 * the peers' on exactly the same scores without parsing a CSV of millions of
 * pairs.  Prints one JSON line.
 */
#include "bench_util.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || strcmp(argv[1], "--help") == 0) {
    fputs("Usage: bench_solve_dense DIR [auto|glpk|flow]\n"
          "Solves the assignment on DIR/scores.i32 and DIR/capacity.i32 with\n"
          "mm_solve_scores; prints matched, total_score (units of 1e-4) and seconds.\n",
          argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  int32_t *scores, *capacity;
  size_t n, m;
  double t0 = io_now();
  if (bench_matrix_read(argv[1], &scores, &capacity, &n, &m)) return 1;
  double read_s = io_now() - t0;
  t0 = io_now();
  size_t n_edges = 0;
  for (size_t k = 0; k < n * m; k++) n_edges += scores[k] >= 0;
  uint32_t *em = malloc((n_edges ? n_edges : 1) * sizeof *em);
  uint32_t *ej = malloc((n_edges ? n_edges : 1) * sizeof *ej);
  int64_t *es = malloc((n_edges ? n_edges : 1) * sizeof *es);
  if (!em || !ej || !es) {
    fprintf(stderr, "bench_solve_dense: no memory for %zu edges\n", n_edges);
    return 1;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < m; j++)
      if (scores[i * m + j] >= 0) {
        em[k] = (uint32_t)i;
        ej[k] = (uint32_t)j;
        es[k++] = scores[i * m + j];
      }
  free(scores);
  double build_s = io_now() - t0;
  mm_scores s;
  mm_scores_init(&s);
  s.n_mentees = n;
  s.n_mentors = m;
  s.capacity = capacity;
  s.n_edges = n_edges;
  s.edge_mentee = em;
  s.edge_mentor = ej;
  s.edge_score = es;
  mm_options o;
  bench_options(&o, 0);
  if (argc == 3) {
    if (strcmp(argv[2], "glpk") == 0)
      o.solver = MM_SOLVER_GLPK;
    else if (strcmp(argv[2], "flow") == 0)
      o.solver = MM_SOLVER_FLOW;
  }
  mm_result *r = NULL;
  mm_error e;
  mm_error_clear(&e);
  t0 = io_now();
  mm_status st = mm_solve_scores(&s, &o, &r, &e);
  double solve_s = io_now() - t0;
  if (st != MM_OK) {
    char buf[1024];
    mm_error_format(&e, buf, sizeof buf);
    fprintf(stderr, "bench_solve_dense: %s\n", buf);
    return 1;
  }
  const mm_summary *sum = mm_result_summary(r);
  printf("{\"tool\": \"mentormatch_solve\", \"solver\": \"%s\", \"status\": \"%s\", "
         "\"matched\": %zu, \"total_score_units\": %lld, \"edges\": %zu, \"read_s\": %.6f, "
         "\"build_s\": %.6f, \"solve_s\": %.6f, \"max_rss_kb\": %ld}\n",
         sum->solver, sum->status, sum->matched, (long long)sum->total_score, n_edges, read_s,
         build_s, solve_s, bench_max_rss_kb());
  mm_result_free(r);
  free(em);
  free(ej);
  free(es);
  free(capacity);
  return 0;
}
