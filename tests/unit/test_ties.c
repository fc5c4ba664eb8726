/* test_ties.c: the flow solver on graphs where most pairs tie: exact, proven, warm as cold.
 *
 * Real rosters tie a lot (few skills, popular goals, identical people), and
 * ties are where a shortest-path solver meets plateaus: its phases of many
 * tight augmentations must then keep the optimum exact.  Random graphs whose
 * scores take one to three values, with fewer, as many and more places than
 * mentees, are solved cold and checked four ways: the dual certificate
 * verifies, GLPK agrees on the objective where the graph is small enough for
 * it, the plateau phases really ran, and solving on three threads gives the
 * same answer.  Then each graph loses a few edges, is solved, gets them back
 * and is solved warm: the repair must be taken (no cold restart on a small
 * addition) and reach the cold objective.
 */
#include "check.h"

#include "solve_places.h"
#include "solver.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint32_t next_rand(void) {
  rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(rng_state >> 33);
}

typedef struct {
  uint32_t n, m;
  int32_t *cap;
  uint64_t *off;
  uint32_t *adj;
  int64_t *w;
} tie_graph;

/* Each pair present with probability pct %, scoring one of `levels` values
 * (all equal when 1); `drop` (may be NULL) marks pairs left out. */
static void make_graph(tie_graph *t, uint32_t n, uint32_t m, int max_cap, unsigned pct, unsigned levels,
                       uint64_t seed, const uint8_t *drop) {
  rng_state = seed;
  t->n = n;
  t->m = m;
  t->cap = malloc(m * sizeof *t->cap);
  t->off = calloc(n + 1, sizeof *t->off);
  t->adj = malloc((size_t)n * m * sizeof *t->adj);
  t->w = malloc((size_t)n * m * sizeof *t->w);
  for (uint32_t j = 0; j < m; j++) t->cap[j] = 1 + (int32_t)(next_rand() % (uint32_t)max_cap);
  size_t e = 0;
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t j = 0; j < m; j++) {
      int present = next_rand() % 100 < pct;
      int64_t score = 5000 * (int64_t)(next_rand() % levels);
      if (!present || (drop && drop[(size_t)i * m + j])) continue;
      t->adj[e] = j;
      t->w[e++] = score;
    }
    t->off[i + 1] = e;
  }
}

static void free_graph(tie_graph *t) {
  free(t->cap);
  free(t->off);
  free(t->adj);
  free(t->w);
}

static mm_graph as_graph(const tie_graph *t) { return (mm_graph){t->n, t->m, t->cap, t->off, t->adj, t->w}; }

typedef struct {
  int64_t *match, *u, *v;
} answer;

static answer answer_new(uint32_t n, uint32_t m) {
  return (answer){malloc(n * sizeof(int64_t)), malloc(n * sizeof(int64_t)), malloc(m * sizeof(int64_t))};
}

static void answer_free(answer *x) {
  free(x->match);
  free(x->u);
  free(x->v);
}

/* Cold flow solve, verified; GLPK's objective compared when `glpk`. */
static void check_cold(uint32_t n, uint32_t m, int max_cap, unsigned pct, unsigned levels, uint64_t seed,
                       int glpk, uint64_t *phases, uint64_t *auctioned) {
  tie_graph t;
  make_graph(&t, n, m, max_cap, pct, levels, seed, NULL);
  mm_graph g = as_graph(&t);
  answer x = answer_new(n, m);
  mm_error e;
  mm_assignment a = {.big = mm_graph_big(&g), .match = x.match, .u = x.u, .v = x.v};
  CHECK_EQ(mm_flow_solve(&g, &a, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&g, &a, &e), MM_OK);
  *phases += a.phases;
  *auctioned += (uint64_t)a.auctioned;
  /* The lists the solver searches are sorted on threads: any number of them
   * gives the same answer, duals included. */
  answer z = answer_new(n, m);
  mm_assignment p = {.big = a.big, .match = z.match, .u = z.u, .v = z.v, .threads = 3};
  CHECK_EQ(mm_flow_solve(&g, &p, &e), MM_OK);
  CHECK(memcmp(x.match, z.match, n * sizeof *x.match) == 0);
  CHECK(memcmp(x.u, z.u, n * sizeof *x.u) == 0);
  CHECK(memcmp(x.v, z.v, m * sizeof *x.v) == 0);
  answer_free(&z);
  if (glpk) {
    answer y = answer_new(n, m);
    mm_assignment b = {.big = a.big, .match = y.match, .u = y.u, .v = y.v};
    CHECK_EQ(mm_glpk_solve(&g, &b, &e), MM_OK);
    CHECK_EQ(a.cardinality, b.cardinality);
    CHECK_EQ(a.weight, b.weight);
    answer_free(&y);
  }
  answer_free(&x);
  free_graph(&t);
}

/* A group of mentees who all want the same few mentors (more of them than
 * places) while places elsewhere outnumber everyone: the auction's bids for
 * the few places would climb by epsilon until a place is worth nothing, so
 * the mentees a maximum assignment leaves out must not bid (their group is
 * then no war), and the solve must still be exact. */
static void check_price_war(void) {
  enum { CROWD = 400, FEW = 40, SPARE = 200 };
  tie_graph t = {CROWD + 10, FEW + SPARE, NULL, NULL, NULL, NULL};
  t.cap = malloc(t.m * sizeof *t.cap);
  t.off = calloc(t.n + 1, sizeof *t.off);
  t.adj = malloc((size_t)t.n * t.m * sizeof *t.adj);
  t.w = malloc((size_t)t.n * t.m * sizeof *t.w);
  for (uint32_t j = 0; j < t.m; j++) t.cap[j] = j < FEW ? 1 : 5;
  size_t e = 0;
  for (uint32_t i = 0; i < t.n; i++) {
    for (uint32_t j = i < CROWD ? 0 : FEW; j < (i < CROWD ? FEW : t.m); j++) {
      t.adj[e] = j;
      t.w[e++] = 7000;
    }
    t.off[i + 1] = e;
  }
  mm_graph g = as_graph(&t);
  answer x = answer_new(t.n, t.m), y = answer_new(t.n, t.m);
  mm_error e1;
  mm_assignment a = {.big = mm_graph_big(&g), .match = x.match, .u = x.u, .v = x.v};
  CHECK_EQ(mm_flow_solve(&g, &a, &e1), MM_OK);
  CHECK_EQ(a.auctioned, 1);
  CHECK_EQ(mm_assignment_verify(&g, &a, &e1), MM_OK);
  CHECK_EQ(a.cardinality, FEW + 10);
  mm_assignment b = {.big = a.big, .match = y.match, .u = y.u, .v = y.v};
  CHECK_EQ(mm_glpk_solve(&g, &b, &e1), MM_OK);
  CHECK_EQ(a.weight, b.weight);
  answer_free(&x);
  answer_free(&y);
  free_graph(&t);
}

/* mm_places_left_out on small cases: a group too large for its places, a
 * place reached only by moving two mentees on, a mentee whose one mentor
 * has no places (it does not count), and a budget too small to decide. */
static void check_places(void) {
  uint8_t out[4];
  /* Mentees 0-2 all want mentors 0 and 1 (one place each): one must wait. */
  uint64_t off1[] = {0, 2, 4, 6};
  uint32_t adj1[] = {0, 1, 0, 1, 0, 1}, places1[] = {0, 1, 2};
  int32_t cap1[] = {1, 1};
  int64_t w1[6] = {0};
  mm_graph g1 = {3, 2, cap1, off1, adj1, w1};
  CHECK_EQ(mm_places_left_out(&g1, places1, 1000, out), 1);
  CHECK_EQ(out[0] + out[1] + out[2], 1);
  /* Mentee 0 takes mentor 0 first; mentee 1 (mentor 0 only) moves it on
   * to mentor 1, whose mentee 2 moves on to mentor 2; mentee 3 has only
   * mentor 3, which has no places. */
  uint64_t off2[] = {0, 2, 3, 5, 6};
  uint32_t adj2[] = {0, 1, 0, 1, 2, 3}, places2[] = {0, 1, 2, 3, 3};
  int32_t cap2[] = {1, 1, 1, 0};
  int64_t w2[6] = {0};
  mm_graph g2 = {4, 4, cap2, off2, adj2, w2};
  CHECK_EQ(mm_places_left_out(&g2, places2, 1000, out), 0);
  CHECK_EQ(out[0] + out[1] + out[2] + out[3], 0);
  CHECK_EQ(mm_places_left_out(&g1, places1, 0, out), -1);
}

/* A time limit that has passed before the auction's first look at the
 * clock (after 4,096 bids): the places it took stand, the rest of the
 * mentees take free places best first, and the answer is feasible, nearly
 * as large as the optimum (the plain start placed about two thirds on such
 * rosters) and the same on every run (the cut falls at the same bid). */
static void check_cut_auction(void) {
  tie_graph t;
  make_graph(&t, 3000, 1500, 4, 2, 2, 7, NULL);
  mm_graph g = as_graph(&t);
  answer x = answer_new(t.n, t.m), y = answer_new(t.n, t.m), z = answer_new(t.n, t.m);
  mm_error e;
  mm_assignment full = {.big = mm_graph_big(&g), .match = x.match, .u = x.u, .v = x.v};
  CHECK_EQ(mm_flow_solve(&g, &full, &e), MM_OK);
  CHECK_EQ(full.auctioned, 1);
  mm_assignment a = {.big = full.big, .match = y.match, .u = y.u, .v = y.v, .time_limit_s = 1e-9};
  mm_assignment b = {.big = full.big, .match = z.match, .u = z.u, .v = z.v, .time_limit_s = 1e-9};
  CHECK_EQ(mm_flow_solve(&g, &a, &e), MM_OK);
  CHECK_EQ(mm_flow_solve(&g, &b, &e), MM_OK);
  CHECK_EQ(a.timed_out, 1);
  CHECK_EQ(a.auctioned, 1);
  CHECK(memcmp(y.match, z.match, t.n * sizeof *y.match) == 0);
  CHECK_GT(a.cardinality * 100, full.cardinality * 95);
  /* Feasible: each mentor within its capacity. */
  int32_t *load = calloc(t.m, sizeof *load);
  for (uint32_t i = 0; i < t.n; i++)
    if (y.match[i] >= 0) load[t.adj[y.match[i]]]++;
  for (uint32_t j = 0; j < t.m; j++) CHECK(load[j] <= t.cap[j]);
  free(load);
  answer_free(&x);
  answer_free(&y);
  answer_free(&z);
  free_graph(&t);
}

/* A graph without about 1 pair in `one_in` of its pairs, solved; then whole,
 * warm from that answer and cold: the warm repair is taken and both agree. */
static void check_warm(uint32_t n, uint32_t m, int max_cap, unsigned pct, unsigned levels, uint64_t seed,
                       uint32_t one_in, uint64_t *abandoned) {
  uint8_t *drop = malloc((size_t)n * m);
  rng_state = seed ^ 0x9e3779b97f4a7c15ULL;
  for (size_t k = 0; k < (size_t)n * m; k++) drop[k] = next_rand() % one_in == 0;
  tie_graph part, full;
  make_graph(&part, n, m, max_cap, pct, levels, seed, drop);
  make_graph(&full, n, m, max_cap, pct, levels, seed, NULL);
  mm_graph gp = as_graph(&part), gf = as_graph(&full);
  answer x = answer_new(n, m), y = answer_new(n, m);
  int64_t *warm = malloc(n * sizeof *warm);
  mm_error e;
  int64_t big = mm_graph_big(&gf);
  mm_assignment a = {.big = big, .match = x.match, .u = x.u, .v = x.v};
  CHECK_EQ(mm_flow_solve(&gp, &a, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&gp, &a, &e), MM_OK);
  for (uint32_t i = 0; i < n; i++) warm[i] = x.match[i] >= 0 ? (int64_t)part.adj[x.match[i]] : -1;
  answer z = answer_new(n, m); /* the part's duals, for a second warm start */
  memcpy(z.u, x.u, n * sizeof *z.u);
  memcpy(z.v, x.v, m * sizeof *z.v);
  mm_assignment w = {.big = big, .match = x.match, .u = x.u, .v = x.v, .warm_mentor = warm};
  CHECK_EQ(mm_flow_solve(&gf, &w, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&gf, &w, &e), MM_OK);
  CHECK_EQ(w.warm_started, 1);
  mm_assignment c = {.big = big, .match = y.match, .u = y.u, .v = y.v};
  CHECK_EQ(mm_flow_solve(&gf, &c, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&gf, &c, &e), MM_OK);
  CHECK_EQ(w.cardinality, c.cardinality);
  CHECK_EQ(w.weight, c.weight);
  /* A repair over its budget gives up and solves afresh: exactly the cold
   * answer, duals included. */
  mm_assignment q = {.big = big, .match = z.match, .u = z.u, .v = z.v, .warm_mentor = warm, .repair_budget = 1};
  CHECK_EQ(mm_flow_solve(&gf, &q, &e), MM_OK);
  CHECK_EQ(mm_assignment_verify(&gf, &q, &e), MM_OK);
  *abandoned += (uint64_t)q.warm_abandoned;
  if (q.warm_abandoned) {
    CHECK_EQ(q.warm_started, 0);
    CHECK(memcmp(z.match, y.match, n * sizeof *z.match) == 0);
    CHECK(memcmp(z.u, y.u, n * sizeof *z.u) == 0);
    CHECK(memcmp(z.v, y.v, m * sizeof *z.v) == 0);
  }
  CHECK_EQ(q.cardinality, c.cardinality);
  CHECK_EQ(q.weight, c.weight);
  answer_free(&z);
  answer_free(&x);
  answer_free(&y);
  free(warm);
  free(drop);
  free_graph(&part);
  free_graph(&full);
}

int main(void) {
  uint64_t small_phases = 0, large_phases = 0, small_auctions = 0, large_auctions = 0;
  for (uint64_t seed = 1; seed <= 12; seed++) {
    for (unsigned levels = 1; levels <= 3; levels++) {
      check_cold(90, 30, 2, 30, levels, seed, 1, &small_phases, &small_auctions);  /* fewer places than mentees */
      check_cold(60, 30, 2, 30, levels, seed, 1, &small_phases, &small_auctions);  /* about as many */
      check_cold(40, 30, 3, 30, levels, seed, 1, &small_phases, &small_auctions);  /* more places */
    }
  }
  for (uint64_t seed = 1; seed <= 3; seed++) {
    for (unsigned levels = 1; levels <= 2; levels++) {
      check_cold(3000, 1000, 1, 2, levels, seed, 0, &large_phases, &large_auctions);  /* identical-like, mentors scarce */
      check_cold(1000, 800, 2, 2, levels, seed, 0, &large_phases, &large_auctions);   /* places outnumber mentees */
      check_cold(1000, 1000, 1, 1, levels, seed, 0, &large_phases, &large_auctions);  /* balanced: long last paths */
    }
  }
  /* The plateaus must have been met, or this test checks nothing of them. */
  CHECK_GT(small_phases + large_phases, 0);
  CHECK_GT(large_phases, 0);
  /* Where places outnumber mentees, cold solves start from the auction (and
   * are still exact: verified above, and against GLPK on the small ones). */
  CHECK_GT(small_auctions, 0);
  CHECK_GT(large_auctions, 0);
  check_price_war();
  check_places();
  check_cut_auction();
  uint64_t abandoned = 0;
  for (uint64_t seed = 1; seed <= 6; seed++) {
    for (unsigned levels = 1; levels <= 3; levels++) {
      check_warm(300, 100, 3, 10, levels, seed, 50, &abandoned);
      check_warm(120, 100, 2, 10, levels, seed, 50, &abandoned);
      check_warm(1500, 500, 2, 2, levels, seed, 40, &abandoned);
      check_warm(1000, 1000, 1, 1, levels, seed, 40, &abandoned);
    }
  }
  /* Some repairs must have passed a budget of one graph's worth of arcs,
   * or the giving up was not tested. */
  CHECK_GT(abandoned, 0);
  printf("test_ties: %llu of 72 warm repairs gave up at a budget of one graph\n", (unsigned long long)abandoned);
  return check_report("test_ties");
}
