/* bench_score_matrix.c: writes the engine's dense score matrix and capacities for peer solvers.
 *
 * Peers such as SciPy's linear_sum_assignment and LEMON's NetworkSimplex
 * cannot read rosters; they need the scores themselves.  This program reads
 * the rosters through the real readers, scores every pair with
 * mm_score_matrix under the options `mentormatch match --start 2027-03-01`
 * uses, and writes DIR/scores.i32, DIR/capacity.i32 and DIR/meta.txt (see
 * bench_util.h), so every solver of bench/compare_peers.sh works on exactly
 * the scores our own solver sees.
 */
#include "bench_util.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5 || strcmp(argv[1], "--help") == 0) {
    fputs("Usage: bench_score_matrix MENTORS.csv MENTEES.csv DIR [THREADS]\n"
          "Writes DIR/scores.i32 (mentees x mentors int32, -1 = ineligible),\n"
          "DIR/capacity.i32 and DIR/meta.txt; prints one JSON line of figures.\n",
          argc < 4 ? stderr : stdout);
    return argc < 4 ? 2 : 0;
  }
  int threads = argc == 5 ? atoi(argv[4]) : 0;
  mm_options o;
  bench_options(&o, threads > 0 ? threads : 0);
  double t0 = io_now();
  int32_t *capacity = NULL;
  mm_problem *p = bench_load(argv[1], argv[2], 0, &o, &capacity);
  if (!p) return 1;
  double read_s = io_now() - t0;
  size_t n = mm_problem_count(p, MM_MENTEE), m = mm_problem_count(p, MM_MENTOR);
  int32_t *scores = malloc((n && m ? n * m : 1) * sizeof *scores);
  if (!scores) {
    fprintf(stderr, "bench_score_matrix: no memory for a %zu x %zu matrix (%.1f GiB)\n", n, m,
            (double)n * m * 4 / (1u << 30));
    return 1;
  }
  mm_error e;
  mm_error_clear(&e);
  t0 = io_now();
  if (mm_score_matrix(p, scores, &e) != MM_OK) {
    fprintf(stderr, "bench_score_matrix: %s\n", e.message);
    return 1;
  }
  double score_s = io_now() - t0;
  uint64_t eligible = 0;
  for (size_t k = 0; k < n * m; k++) eligible += scores[k] >= 0;
  if (bench_matrix_write(argv[3], scores, capacity, n, m)) return 1;
  long long total_capacity = 0;
  for (size_t j = 0; j < m; j++) total_capacity += capacity[j];
  printf("{\"tool\": \"score_matrix\", \"mentees\": %zu, \"mentors\": %zu, \"capacity\": %lld, "
         "\"eligible\": %llu, \"read_s\": %.6f, \"score_s\": %.6f, \"max_rss_kb\": %ld}\n",
         n, m, total_capacity, (unsigned long long)eligible, read_s, score_s, bench_max_rss_kb());
  free(scores);
  free(capacity);
  mm_problem_free(p);
  return 0;
}
