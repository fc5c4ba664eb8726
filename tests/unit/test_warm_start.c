/* test_warm_start.c: the flow solver restarted from a previous answer reaches the same proven optimum.
 *
 * mm_match's proof rounds add edges to the graph and solve again, handing
 * the solver the previous matching and duals (mm_assignment.warm_mentor).
 * Here random graphs of every shape (fewer, as many and more places than
 * mentees) are solved on a subset of their edges, then on all of them twice:
 * from scratch and warm.  Both must verify and agree on the matches and the
 * total score.
 */
#include "check.h"

#include "solver.h"

#include <stdlib.h>

static uint64_t rng_state;

static uint32_t next_rand(void) {
  rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(rng_state >> 33);
}

typedef struct {
  uint64_t *off;
  uint32_t *adj;
  int64_t *w;
} edges;

/* Keeps each edge of the full graph with probability keep_pct (all when 100). */
static void build(uint32_t n, uint32_t m, const uint8_t *present, const int64_t *score, int keep_pct,
                  const uint8_t *keep, edges *out) {
  size_t count = 0;
  for (size_t k = 0; k < (size_t)n * m; k++) count += present[k] && (keep_pct == 100 || keep[k]);
  out->off = calloc(n + 1, sizeof *out->off);
  out->adj = malloc((count ? count : 1) * sizeof *out->adj);
  out->w = malloc((count ? count : 1) * sizeof *out->w);
  size_t e = 0;
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t j = 0; j < m; j++) {
      size_t k = (size_t)i * m + j;
      if (!present[k] || (keep_pct != 100 && !keep[k])) continue;
      out->adj[e] = j;
      out->w[e++] = score[k];
    }
    out->off[i + 1] = e;
  }
}

static void edges_free(edges *x) {
  free(x->off);
  free(x->adj);
  free(x->w);
}

static void one_case(uint32_t n, uint32_t m, int max_cap, uint64_t seed) {
  rng_state = seed;
  uint8_t *present = malloc((size_t)n * m), *keep = malloc((size_t)n * m);
  int64_t *score = malloc((size_t)n * m * sizeof *score);
  int32_t *cap = malloc(m * sizeof *cap);
  for (uint32_t j = 0; j < m; j++) cap[j] = (int32_t)(next_rand() % (uint32_t)(max_cap + 1));
  for (size_t k = 0; k < (size_t)n * m; k++) {
    present[k] = next_rand() % 4 == 0;
    keep[k] = next_rand() % 3 == 0;
    score[k] = (int64_t)(next_rand() % 10001);
  }
  edges part, full;
  build(n, m, present, score, 33, keep, &part);
  build(n, m, present, score, 100, keep, &full);
  mm_graph gp = {n, m, cap, part.off, part.adj, part.w};
  mm_graph gf = {n, m, cap, full.off, full.adj, full.w};
  int64_t big = mm_graph_big(&gf);
  int64_t *match = malloc(n * sizeof *match), *u = malloc(n * sizeof *u), *v = malloc(m * sizeof *v);
  int64_t *warm = malloc(n * sizeof *warm);
  mm_error e;
  mm_assignment a = {.big = big, .match = match, .u = u, .v = v};
  CHECK_EQ(mm_flow_solve(&gp, &a, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&gp, &a, &e), MM_OK);
  for (uint32_t i = 0; i < n; i++) warm[i] = match[i] >= 0 ? (int64_t)part.adj[match[i]] : -1;
  mm_assignment w = {.big = big, .match = match, .u = u, .v = v, .warm_mentor = warm};
  CHECK_EQ(mm_flow_solve(&gf, &w, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&gf, &w, &e), MM_OK);
  int64_t *match2 = malloc(n * sizeof *match2), *u2 = malloc(n * sizeof *u2), *v2 = malloc(m * sizeof *v2);
  mm_assignment c = {.big = big, .match = match2, .u = u2, .v = v2};
  CHECK_EQ(mm_flow_solve(&gf, &c, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&gf, &c, &e), MM_OK);
  CHECK_EQ(w.cardinality, c.cardinality);
  CHECK_EQ(w.weight, c.weight);
  edges_free(&part);
  edges_free(&full);
  free(present);
  free(keep);
  free(score);
  free(cap);
  free(match);
  free(u);
  free(v);
  free(warm);
  free(match2);
  free(u2);
  free(v2);
}

int main(void) {
  for (uint64_t seed = 1; seed <= 40; seed++) {
    one_case(60, 20, 2, seed);    /* fewer places than mentees */
    one_case(60, 20, 5, seed);    /* about as many */
    one_case(40, 40, 4, seed);    /* more places */
    one_case(300, 100, 3, seed);  /* larger, balanced */
  }
  return check_report("test_warm_start");
}
