/* test_warm_start.c: the flow solver restarted from a previous answer reaches the same proven optimum.
 *
 * mm_match's proof rounds add edges to the graph and solve again, handing
 * the solver the previous matching and duals (mm_assignment.warm_mentor).
 * Here random graphs of every shape (fewer, as many and more places than
 * mentees) are solved on a subset of their edges, then on all of them twice:
 * from scratch and warm.  Both must verify and agree on the matches and the
 * total score.
 *
 * The rounds also keep the solver itself between solves (mm_assignment.keep):
 * grown_chain adds a few edges at a time, as proof rounds do, and each
 * continued solve must be taken (resumed, no cold solve), give exactly the
 * warm start's answer (matches and duals), verify, and reach the cold
 * optimum, on graphs with fewer, as many and twice as many places as
 * mentees.  A state that does not fit the next graph is dropped.
 */
#include "check.h"

#include "solver.h"

#include <stdlib.h>
#include <string.h>

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

/* Edges whose level is below `level` (of 100). */
static void build_level(uint32_t n, uint32_t m, const uint8_t *present, const int64_t *score, const uint8_t *level_of,
                        int level, edges *out) {
  uint8_t *keep = malloc((size_t)n * m);
  for (size_t k = 0; k < (size_t)n * m; k++) keep[k] = level_of[k] < level;
  build(n, m, present, score, 0, keep, out);
  free(keep);
}

static void grown_chain(uint32_t n, uint32_t m, int max_cap, uint64_t seed, int *abandoned_all) {
  rng_state = seed;
  uint8_t *present = malloc((size_t)n * m), *level_of = malloc((size_t)n * m);
  int64_t *score = malloc((size_t)n * m * sizeof *score);
  int32_t *cap = malloc(m * sizeof *cap), *cap2 = malloc(m * sizeof *cap2);
  for (uint32_t j = 0; j < m; j++) cap[j] = (int32_t)(next_rand() % (uint32_t)(max_cap + 1));
  for (size_t k = 0; k < (size_t)n * m; k++) {
    present[k] = next_rand() % 3 == 0;
    level_of[k] = (uint8_t)(next_rand() % 100);
    score[k] = (int64_t)(next_rand() % 50) * 100; /* ties on purpose */
  }
  int64_t *match = malloc(n * sizeof *match), *u = malloc(n * sizeof *u), *v = malloc(m * sizeof *v);
  int64_t *wmatch = malloc(n * sizeof *wmatch), *wu = malloc(n * sizeof *wu), *wv = malloc(m * sizeof *wv);
  int64_t *cmatch = malloc(n * sizeof *cmatch), *cu = malloc(n * sizeof *cu), *cv = malloc(m * sizeof *cv);
  int64_t *warm = malloc(n * sizeof *warm);
  int64_t *tmatch = malloc(n * sizeof *tmatch), *tu = malloc(n * sizeof *tu), *tv = malloc(m * sizeof *tv);
  mm_flow_state *kept = NULL, *kept_tight = NULL;
  mm_error e;
  edges full, prev = {NULL, NULL, NULL};
  build_level(n, m, present, score, level_of, 101, &full);
  mm_graph gf = {n, m, cap, full.off, full.adj, full.w};
  int64_t big = mm_graph_big(&gf);
  int resumed = 0, abandoned = 0;
  for (int level = 60; level <= 100; level += 4) {
    edges cur;
    build_level(n, m, present, score, level_of, level, &cur);
    mm_graph g = {n, m, cap, cur.off, cur.adj, cur.w};
    if (prev.off) {
      for (uint32_t i = 0; i < n; i++) warm[i] = wmatch[i] >= 0 ? (int64_t)prev.adj[wmatch[i]] : -1;
      memcpy(wu, u, n * sizeof *wu);
      memcpy(wv, v, m * sizeof *wv);
    }
    /* The same step warm from the previous answer, without a kept state. */
    mm_assignment w = {.big = big, .match = wmatch, .u = wu, .v = wv, .warm_mentor = prev.off ? warm : NULL};
    CHECK_EQ(mm_flow_solve(&g, &w, &e), MM_OK);
    mm_assignment k = {.big = big, .match = match, .u = u, .v = v, .keep = &kept};
    CHECK_EQ(mm_flow_solve(&g, &k, &e), MM_OK);
    CHECK(kept != NULL);
    CHECK_EQ(mm_assignment_verify(&g, &k, &e), MM_OK);
    CHECK_EQ(k.resumed, prev.off != NULL && w.warm_started);
    CHECK_EQ(k.warm_started, w.warm_started);
    resumed += k.resumed;
    for (uint32_t i = 0; i < n; i++) {
      CHECK_EQ(match[i], wmatch[i]);
      CHECK_EQ(u[i], wu[i]);
    }
    for (uint32_t j = 0; j < m; j++) CHECK_EQ(v[j], wv[j]);
    mm_assignment c = {.big = big, .match = cmatch, .u = cu, .v = cv};
    CHECK_EQ(mm_flow_solve(&g, &c, &e), MM_OK);
    CHECK_EQ(k.cardinality, c.cardinality);
    CHECK_EQ(k.weight, c.weight);
    /* A second kept chain whose repairs may read one graph's worth of arcs:
     * one that reads more starts afresh, exactly as the cold solve, and its
     * state is kept for the next step all the same. */
    mm_assignment t = {.big = big, .match = tmatch, .u = tu, .v = tv, .keep = &kept_tight, .repair_budget = 1};
    CHECK_EQ(mm_flow_solve(&g, &t, &e), MM_OK);
    CHECK(kept_tight != NULL);
    CHECK_EQ(mm_assignment_verify(&g, &t, &e), MM_OK);
    CHECK_EQ(t.cardinality, c.cardinality);
    CHECK_EQ(t.weight, c.weight);
    if (t.warm_abandoned) {
      abandoned++;
      CHECK_EQ(t.resumed, 0);
      CHECK(memcmp(tmatch, cmatch, n * sizeof *tmatch) == 0);
      CHECK(memcmp(tu, cu, n * sizeof *tu) == 0);
      CHECK(memcmp(tv, cv, m * sizeof *tv) == 0);
    }
    edges_free(&prev);
    prev = cur;
  }
  /* Every small step was continued, none solved afresh. */
  CHECK_EQ(resumed, 10);
  *abandoned_all += abandoned;
  mm_flow_state_free(kept_tight);
  /* Other capacities: the kept state does not fit and is dropped. */
  for (uint32_t j = 0; j < m; j++) cap2[j] = cap[j] + 1;
  mm_graph g2 = {n, m, cap2, full.off, full.adj, full.w};
  mm_assignment k = {.big = mm_graph_big(&g2), .match = match, .u = u, .v = v, .keep = &kept};
  CHECK_EQ(mm_flow_solve(&g2, &k, &e), MM_OK);
  CHECK_EQ(k.resumed, 0);
  CHECK_EQ(mm_assignment_verify(&g2, &k, &e), MM_OK);
  mm_flow_state_free(kept);
  edges_free(&prev);
  edges_free(&full);
  free(present);
  free(level_of);
  free(score);
  free(cap);
  free(cap2);
  free(match);
  free(u);
  free(v);
  free(wmatch);
  free(wu);
  free(wv);
  free(cmatch);
  free(cu);
  free(cv);
  free(tmatch);
  free(tu);
  free(tv);
  free(warm);
}

int main(void) {
  int abandoned = 0;
  for (uint64_t seed = 1; seed <= 40; seed++) {
    one_case(60, 20, 2, seed);    /* fewer places than mentees */
    one_case(60, 20, 5, seed);    /* about as many */
    one_case(40, 40, 4, seed);    /* more places */
    one_case(300, 100, 3, seed);  /* larger, balanced */
    grown_chain(60, 20, 2, seed, &abandoned);  /* fewer places than mentees */
    grown_chain(80, 20, 4, seed, &abandoned);  /* about as many */
    grown_chain(100, 50, 4, seed, &abandoned); /* places outnumber mentees two to one */
  }
  /* The giving up must have been met on a kept state, or it is not tested. */
  CHECK_GT(abandoned, 0);
  printf("test_warm_start: %d of 1,200 continued steps gave up at a budget of one graph\n", abandoned);
  return check_report("test_warm_start");
}
