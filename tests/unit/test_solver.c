/* test_solver.c: the exact assignment solvers (flow and GLPK) and the certificate check.
 *
 * Hand-made graphs pin down the lexicographic objective (count first, then
 * score), capacities, closed mentors, negative scores and tie breaking;
 * random graphs of every shape must give the same optimum from both solvers,
 * and from brute force where they are tiny; the OR-Library assignment
 * instances must reach their published optima.  Every answer's duals must pass
 * mm_assignment_verify, and the verifier itself must reject broken ones.
 */
#include "check.h"

#include "solver.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef MM_TEST_DATA
#error "MM_TEST_DATA must name tests/data"
#endif

typedef struct {
  uint32_t mentee, mentor;
  int64_t w;
} edge;

/* A graph together with its answer arrays. */
typedef struct {
  mm_graph g;
  int32_t *cap;
  uint64_t *off;
  uint32_t *adj;
  int64_t *w;
  mm_assignment a;
} instance;

static int edge_order(const void *x, const void *y) {
  const edge *p = x, *q = y;
  if (p->mentee != q->mentee) return p->mentee < q->mentee ? -1 : 1;
  return p->mentor < q->mentor ? -1 : p->mentor > q->mentor;
}

/* Builds the CSR graph of an edge list (sorted here; pairs must be distinct). */
static instance make(uint32_t n_left, uint32_t n_right, const int32_t *cap, edge *edges, size_t m) {
  instance t;
  memset(&t, 0, sizeof t);
  if (m > 0) qsort(edges, m, sizeof *edges, edge_order);
  t.cap = malloc((n_right + 1) * sizeof *t.cap);
  t.off = calloc(n_left + 1, sizeof *t.off);
  t.adj = malloc((m + 1) * sizeof *t.adj);
  t.w = malloc((m + 1) * sizeof *t.w);
  if (n_right) memcpy(t.cap, cap, n_right * sizeof *cap);
  for (size_t k = 0; k < m; k++) {
    t.off[edges[k].mentee + 1]++;
    t.adj[k] = edges[k].mentor;
    t.w[k] = edges[k].w;
  }
  for (uint32_t i = 0; i < n_left; i++) t.off[i + 1] += t.off[i];
  t.g = (mm_graph){n_left, n_right, t.cap, t.off, t.adj, t.w};
  t.a.match = malloc((n_left + 1) * sizeof *t.a.match);
  t.a.u = malloc((n_left + 1) * sizeof *t.a.u);
  t.a.v = malloc((n_right + 1) * sizeof *t.a.v);
  t.a.big = mm_graph_big(&t.g);
  return t;
}

static void drop(instance *t) {
  free(t->cap);
  free(t->off);
  free(t->adj);
  free(t->w);
  free(t->a.match);
  free(t->a.u);
  free(t->a.v);
}

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef mm_status (*solver_fn)(const mm_graph *, mm_assignment *, mm_error *);

/* Runs a solver and checks its certificate; returns the solver's status. */
static mm_status solve_checked(instance *t, solver_fn solve, const char *what) {
  mm_error e;
  mm_error_clear(&e);
  mm_status st = solve(&t->g, &t->a, &e);
  if (st != MM_OK) {
    fprintf(stderr, "%s: %s: %s\n", what, mm_status_str(st), e.message);
    return st;
  }
  CHECK_EQ(t->a.timed_out, 0);
  mm_error_clear(&e);
  mm_status vs = mm_assignment_verify(&t->g, &t->a, &e);
  if (vs != MM_OK) fprintf(stderr, "%s: certificate rejected: %s\n", what, e.message);
  CHECK_EQ(vs, MM_OK);
  return st;
}

static int64_t mentor_of(const instance *t, uint32_t i) {
  return t->a.match[i] < 0 ? -1 : (int64_t)t->adj[t->a.match[i]];
}

/* ---- hand-made cases ---------------------------------------------------- */

static void test_empty(void) {
  instance t = make(0, 0, NULL, NULL, 0);
  CHECK_EQ(t.a.big, 1);
  CHECK_EQ(solve_checked(&t, mm_flow_solve, "flow empty"), MM_OK);
  CHECK_EQ(t.a.cardinality, 0);
  CHECK_EQ(solve_checked(&t, mm_glpk_solve, "glpk empty"), MM_OK);
  CHECK_EQ(t.a.cardinality, 0);
  drop(&t);

  int32_t cap[2] = {1, 2};
  instance u = make(3, 2, cap, NULL, 0);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&u, s ? mm_glpk_solve : mm_flow_solve, "no edges"), MM_OK);
    CHECK_EQ(u.a.cardinality, 0);
    CHECK_EQ(u.a.match[2], -1);
    CHECK_EQ(u.a.u[0] + u.a.v[1], 0);
  }
  drop(&u);
}

static void test_one_mentee(void) {
  int32_t cap[1] = {1};
  edge es[1] = {{0, 0, 7500}};
  instance t = make(1, 1, cap, es, 1);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&t, s ? mm_glpk_solve : mm_flow_solve, "one mentee"), MM_OK);
    CHECK_EQ(t.a.cardinality, 1);
    CHECK_EQ(t.a.weight, 7500);
    CHECK_EQ(t.a.match[0], 0);
  }
  drop(&t);
}

/* One mentor of capacity 3 takes its three best of four mentees. */
static void test_capacity(void) {
  int32_t cap[2] = {3, 0};
  edge es[6] = {{0, 0, 100}, {1, 0, 400}, {2, 0, 300}, {3, 0, 200}, {1, 1, 9000}, {3, 1, 9999}};
  instance t = make(4, 2, cap, es, 6);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&t, s ? mm_glpk_solve : mm_flow_solve, "capacity"), MM_OK);
    CHECK_EQ(t.a.cardinality, 3);
    CHECK_EQ(t.a.weight, 900);
    CHECK_EQ(t.a.match[0], -1);
    CHECK_EQ(mentor_of(&t, 1), 0);
    CHECK_EQ(mentor_of(&t, 3), 0);
    /* The closed mentor takes nobody; its price covers its edges. */
    CHECK_GE(t.a.u[3] + t.a.v[1], t.a.big + 9999);
  }
  drop(&t);
}

/* A mentor with more places than edges can never be full: its price must be
 * zero however much its mentees are worth. */
static void test_capacity_above_degree(void) {
  int32_t cap[2] = {5, 1};
  edge es[5] = {{0, 0, 9000}, {1, 0, 8000}, {0, 1, 9500}, {1, 1, 9900}, {2, 1, 100}};
  instance t = make(3, 2, cap, es, 5);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&t, s ? mm_glpk_solve : mm_flow_solve, "capacity above degree"), MM_OK);
    CHECK_EQ(t.a.cardinality, 3);
    CHECK_EQ(t.a.weight, 9000 + 8000 + 100);
    CHECK_EQ(t.a.v[0], 0);
  }
  drop(&t);
}

/* A closed mentor without edges is priced at zero. */
static void test_closed_mentor(void) {
  int32_t cap[2] = {0, 1};
  edge es[1] = {{0, 1, 10}};
  instance t = make(1, 2, cap, es, 1);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&t, s ? mm_glpk_solve : mm_flow_solve, "closed"), MM_OK);
    CHECK_EQ(t.a.cardinality, 1);
    CHECK_EQ(t.a.v[0], 0);
  }
  drop(&t);
}

/* A: X 9000, Y 1000; B: X 1000; X, Y capacity 1.  The best score alone
 * (A-X, 9000) leaves B out; the lexicographic optimum matches both. */
static void test_count_before_score(void) {
  int32_t cap[2] = {1, 1};
  edge es[3] = {{0, 0, 9000}, {0, 1, 1000}, {1, 0, 1000}};
  instance t = make(2, 2, cap, es, 3);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&t, s ? mm_glpk_solve : mm_flow_solve, "lexicographic"), MM_OK);
    CHECK_EQ(t.a.cardinality, 2);
    CHECK_EQ(t.a.weight, 2000);
    CHECK_EQ(mentor_of(&t, 0), 1);
    CHECK_EQ(mentor_of(&t, 1), 0);
  }
  drop(&t);
}

/* Negative scores (pipeline mode) still count when they add a match. */
static void test_negative_scores(void) {
  int32_t cap1[1] = {1};
  edge one[1] = {{0, 0, -5000}};
  instance t = make(1, 1, cap1, one, 1);
  CHECK_EQ(t.a.big, 2 + 5000);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&t, s ? mm_glpk_solve : mm_flow_solve, "negative one"), MM_OK);
    CHECK_EQ(t.a.cardinality, 1);
    CHECK_EQ(t.a.weight, -5000);
  }
  drop(&t);

  /* A: X -100; B: X +50, Y -9000.  B-X alone scores best, but A-X with B-Y
   * matches two. */
  int32_t cap2[2] = {1, 1};
  edge es[3] = {{0, 0, -100}, {1, 0, 50}, {1, 1, -9000}};
  instance u = make(2, 2, cap2, es, 3);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&u, s ? mm_glpk_solve : mm_flow_solve, "negative two"), MM_OK);
    CHECK_EQ(u.a.cardinality, 2);
    CHECK_EQ(u.a.weight, -9100);
  }
  drop(&u);

  /* Extreme pipeline scores: +-1e10 on a small graph. */
  int32_t cap3[3] = {1, 2, 1};
  edge ex[7] = {{0, 0, 10000000000}, {0, 1, -10000000000}, {1, 0, -10000000000}, {1, 2, 3},
                {2, 1, 0}, {3, 1, 10000000000}, {3, 2, -1}};
  instance x = make(4, 3, cap3, ex, 7);
  for (int s = 0; s < 2; s++) {
    CHECK_EQ(solve_checked(&x, s ? mm_glpk_solve : mm_flow_solve, "extreme"), MM_OK);
    CHECK_EQ(x.a.cardinality, 4);
    CHECK_EQ(x.a.weight, 10000000000 + 3 + 0 + 10000000000);
  }
  drop(&x);
}

/* Every mentee sees the same score everywhere: many optima.  The flow solver
 * must pick the same one every time. */
static void test_ties(void) {
  enum { N = 12, M = 5 };
  int32_t cap[M] = {2, 1, 3, 1, 2};
  edge es[N * M];
  size_t m = 0;
  for (uint32_t i = 0; i < N; i++) {
    for (uint32_t j = 0; j < M; j++) {
      if ((i + j) % 3 != 0) es[m++] = (edge){i, j, 500};
    }
  }
  instance t = make(N, M, cap, es, m);
  CHECK_EQ(solve_checked(&t, mm_flow_solve, "ties"), MM_OK);
  CHECK_EQ(t.a.cardinality, 9);
  int64_t first[N];
  memcpy(first, t.a.match, sizeof first);
  for (int run = 0; run < 3; run++) {
    CHECK_EQ(solve_checked(&t, mm_flow_solve, "ties again"), MM_OK);
    CHECK(memcmp(first, t.a.match, sizeof first) == 0);
  }
  CHECK_EQ(solve_checked(&t, mm_glpk_solve, "ties glpk"), MM_OK);
  CHECK_EQ(t.a.cardinality, 9);
  CHECK_EQ(t.a.weight, 4500);
  drop(&t);
}

/* ---- bad input and the verifier ----------------------------------------- */

static void test_bad_input(void) {
  int32_t cap[2] = {1, 1};
  edge es[2] = {{0, 0, 1}, {0, 1, 2}};
  instance t = make(1, 2, cap, es, 2);
  mm_error e;
  t.adj[0] = 1; /* two edges to mentor 1: not ascending */
  CHECK_EQ(mm_flow_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  CHECK_STR_CONTAINS(e.message, "ascending");
  CHECK_EQ(mm_glpk_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  t.adj[0] = 0;
  t.cap[1] = -1;
  CHECK_EQ(mm_flow_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  CHECK_EQ(mm_glpk_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  t.cap[1] = 1;
  t.w[1] = 10000000001;
  CHECK_EQ(mm_flow_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  CHECK_EQ(mm_glpk_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  t.w[1] = 2;
  int64_t big = t.a.big;
  t.a.big = 0;
  CHECK_EQ(mm_flow_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  CHECK_EQ(mm_glpk_solve(&t.g, &t.a, &e), MM_ERR_INVALID);
  t.a.big = INT64_MAX;
  CHECK_EQ(mm_flow_solve(&t.g, &t.a, &e), MM_ERR_LIMIT);
  CHECK_EQ(mm_glpk_solve(&t.g, &t.a, &e), MM_ERR_LIMIT);
  t.a.big = big;
  CHECK_EQ(solve_checked(&t, mm_flow_solve, "after bad input"), MM_OK);
  drop(&t);
}

static void test_verifier(void) {
  int32_t cap[2] = {1, 1};
  edge es[3] = {{0, 0, 9000}, {0, 1, 1000}, {1, 0, 1000}};
  instance t = make(2, 2, cap, es, 3);
  mm_error e;
  CHECK_EQ(solve_checked(&t, mm_flow_solve, "verifier base"), MM_OK);
  t.a.u[0]--;
  CHECK_EQ(mm_assignment_verify(&t.g, &t.a, &e), MM_ERR_SOLVER);
  CHECK_STR_CONTAINS(e.message, "below big + w");
  t.a.u[0] += 2;
  CHECK_EQ(mm_assignment_verify(&t.g, &t.a, &e), MM_ERR_SOLVER);
  CHECK_STR_CONTAINS(e.message, "dual objective");
  t.a.u[0]--;
  t.a.weight++;
  CHECK_EQ(mm_assignment_verify(&t.g, &t.a, &e), MM_ERR_SOLVER);
  CHECK_STR_CONTAINS(e.message, "reports");
  t.a.weight--;
  int64_t keep = t.a.match[1];
  t.a.match[1] = 0; /* mentee 0's edge */
  CHECK_EQ(mm_assignment_verify(&t.g, &t.a, &e), MM_ERR_SOLVER);
  CHECK_STR_CONTAINS(e.message, "not one of its edges");
  t.a.match[1] = keep;
  t.cap[0] = 0;
  CHECK_EQ(mm_assignment_verify(&t.g, &t.a, &e), MM_ERR_SOLVER);
  CHECK_STR_CONTAINS(e.message, "capacity");
  t.cap[0] = 1;
  t.a.v[1] = -1;
  CHECK_EQ(mm_assignment_verify(&t.g, &t.a, &e), MM_ERR_SOLVER);
  CHECK_STR_CONTAINS(e.message, "negative");
  drop(&t);
}

/* ---- random graphs ------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* A random graph: each mentee gets up to `degree` distinct mentors, the
 * popular low-numbered ones more often; scores are drawn from `levels`
 * values (few levels: many ties) spread over [lo, hi]. */
static instance random_instance(uint64_t seed, uint32_t n_left, uint32_t n_right, uint32_t degree,
                                int32_t cap_lo, int32_t cap_hi, int64_t lo, int64_t hi,
                                uint32_t levels) {
  rng_state = seed * 0x9E3779B97F4A7C15u + 1;
  int32_t *cap = malloc((n_right + 1) * sizeof *cap);
  for (uint32_t j = 0; j < n_right; j++) {
    cap[j] = cap_lo + (int32_t)(rng() % (uint64_t)(cap_hi - cap_lo + 1));
  }
  edge *es = malloc(((size_t)n_left * degree + 1) * sizeof *es);
  uint8_t *used = calloc(n_right + 1, 1);
  size_t m = 0;
  for (uint32_t i = 0; i < n_left; i++) {
    uint32_t most = degree < n_right ? degree : n_right;
    uint32_t want = (uint32_t)(rng() % (most + 1));
    size_t first = m;
    for (uint32_t tries = 0; m - first < want && tries < 8 * want; tries++) {
      double x = (double)(rng() % 1000000) / 1e6;
      uint32_t j = (uint32_t)(x * x * n_right);
      if (used[j]) continue;
      used[j] = 1;
      int64_t step = levels > 1 ? (hi - lo) / (int64_t)(levels - 1) : 0;
      es[m++] = (edge){i, j, lo + step * (int64_t)(rng() % levels)};
    }
    for (size_t k = first; k < m; k++) used[es[k].mentor] = 0;
  }
  instance t = make(n_left, n_right, cap, es, m);
  free(cap);
  free(es);
  free(used);
  return t;
}

/* The verifier reads on a->threads threads and names the first failing
 * mentee in index order whatever their number. */
static void test_verifier_threads(void) {
  instance t = random_instance(77, 4000, 300, 12, 1, 3, 0, 9000, 4);
  mm_error e1, e4;
  CHECK_EQ(solve_checked(&t, mm_flow_solve, "verifier threads base"), MM_OK);
  for (int threads = 1; threads <= 4; threads += 3) {
    t.a.threads = threads;
    CHECK_EQ(mm_assignment_verify(&t.g, &t.a, threads == 1 ? &e1 : &e4), MM_OK);
  }
  /* Matched edges are tight: a mentor priced one less leaves them
   * uncovered (places are scarce here, so mentors hold the prices). */
  uint32_t i = 0;
  while (i < t.g.n_left && (t.a.match[i] < 0 || t.a.v[t.g.adj[t.a.match[i]]] < 1)) i++;
  CHECK(i < t.g.n_left);
  if (i == t.g.n_left) {
    drop(&t);
    return;
  }
  t.a.v[t.g.adj[t.a.match[i]]]--;
  for (int threads = 1; threads <= 4; threads += 3) {
    t.a.threads = threads;
    CHECK_EQ(mm_assignment_verify(&t.g, &t.a, threads == 1 ? &e1 : &e4), MM_ERR_SOLVER);
  }
  CHECK_STR_CONTAINS(e1.message, "below big + w");
  CHECK_STR_EQ(e1.message, e4.message);
  /* A negative u before it is named first. */
  t.a.u[0] = -1;
  for (int threads = 1; threads <= 4; threads += 3) {
    t.a.threads = threads;
    CHECK_EQ(mm_assignment_verify(&t.g, &t.a, threads == 1 ? &e1 : &e4), MM_ERR_SOLVER);
  }
  CHECK_STR_CONTAINS(e1.message, "mentee 0 has negative dual");
  CHECK_STR_EQ(e1.message, e4.message);
  drop(&t);
}

/* Best (count, weight) by trying every choice of every mentee. */
static void brute_force(const instance *t, uint32_t i, int32_t *load, int64_t count, int64_t weight,
                        int64_t *best_count, int64_t *best_weight) {
  if (i == t->g.n_left) {
    if (count > *best_count || (count == *best_count && weight > *best_weight)) {
      *best_count = count;
      *best_weight = weight;
    }
    return;
  }
  brute_force(t, i + 1, load, count, weight, best_count, best_weight);
  for (uint64_t k = t->off[i]; k < t->off[i + 1]; k++) {
    uint32_t j = t->adj[k];
    if (load[j] >= t->cap[j]) continue;
    load[j]++;
    brute_force(t, i + 1, load, count + 1, weight + t->w[k], best_count, best_weight);
    load[j]--;
  }
}

static void test_tiny_random(void) {
  for (uint64_t seed = 1; seed <= 400; seed++) {
    uint32_t n_left = 1 + (uint32_t)(seed % 7), n_right = 1 + (uint32_t)(seed * 7 % 5);
    int negative = seed % 3 == 0;
    instance t = random_instance(seed, n_left, n_right, 3, 0, 3, negative ? -50 : 0, 100,
                                 seed % 2 ? 4 : 101);
    int32_t load[8] = {0};
    int64_t best_count = -1, best_weight = 0;
    brute_force(&t, 0, load, 0, 0, &best_count, &best_weight);
    CHECK_EQ(solve_checked(&t, mm_flow_solve, "tiny flow"), MM_OK);
    CHECK_EQ(t.a.cardinality, best_count);
    CHECK_EQ(t.a.weight, best_weight);
    CHECK_EQ(solve_checked(&t, mm_glpk_solve, "tiny glpk"), MM_OK);
    CHECK_EQ(t.a.cardinality, best_count);
    CHECK_EQ(t.a.weight, best_weight);
    drop(&t);
  }
}

typedef struct {
  const char *name;
  uint32_t n_left, n_right, degree;
  int32_t cap_lo, cap_hi;
  int64_t lo, hi;
  uint32_t levels;
} shape;

/* Flow and GLPK must agree on count and weight and both must prove it. */
static void test_random_shapes(void) {
  static const shape shapes[] = {
      {"capacity-bound", 400, 60, 8, 1, 5, 0, 10000, 10001},
      {"capacity-bound, ties", 300, 50, 6, 1, 4, 0, 10000, 3},
      {"balanced", 300, 100, 6, 3, 3, 0, 10000, 10001},
      {"balanced, cap 1", 250, 250, 5, 1, 1, 0, 10000, 50},
      {"balanced, cap 4", 400, 100, 8, 4, 4, 0, 10000, 10001},
      {"nearly balanced", 400, 140, 8, 3, 3, 0, 10000, 10001},
      {"balanced, larger", 1500, 500, 8, 3, 3, 0, 10000, 10001},
      {"capacity-rich", 200, 150, 8, 1, 5, 0, 10000, 10001},
      {"capacity-rich, ties", 200, 300, 4, 1, 2, 0, 10, 2},
      {"sparse", 500, 200, 2, 1, 2, 0, 10000, 10001},
      {"dense", 60, 40, 40, 1, 3, 0, 10000, 10001},
      {"closed mentors", 200, 80, 6, 0, 2, 0, 10000, 101},
      {"negative scores", 300, 90, 6, 1, 4, -1000000, 1000000, 10001},
      {"all negative", 200, 60, 5, 1, 4, -10000, -1, 10001},
  };
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    for (uint64_t seed = 1; seed <= 3; seed++) {
      const shape *h = &shapes[s];
      instance t = random_instance(seed * 1000 + s, h->n_left, h->n_right, h->degree, h->cap_lo,
                                   h->cap_hi, h->lo, h->hi, h->levels);
      CHECK_EQ(solve_checked(&t, mm_flow_solve, h->name), MM_OK);
      int64_t count = t.a.cardinality, weight = t.a.weight;
      int64_t *first = malloc((h->n_left + 1) * sizeof *first);
      memcpy(first, t.a.match, h->n_left * sizeof *first);
      CHECK_EQ(solve_checked(&t, mm_flow_solve, h->name), MM_OK);
      CHECK(memcmp(first, t.a.match, h->n_left * sizeof *first) == 0);
      free(first);
      CHECK_EQ(solve_checked(&t, mm_glpk_solve, h->name), MM_OK);
      if (t.a.cardinality != count || t.a.weight != weight) {
        fprintf(stderr, "%s seed %llu: flow %lld/%lld, glpk %lld/%lld\n", h->name,
                (unsigned long long)seed, (long long)count, (long long)weight,
                (long long)t.a.cardinality, (long long)t.a.weight);
      }
      CHECK_EQ(t.a.cardinality, count);
      CHECK_EQ(t.a.weight, weight);
      drop(&t);
    }
  }
}

/* A time limit already spent: the flow solver stops at once with a feasible
 * (here empty or partial) assignment and says so. */
static void test_time_limit(void) {
  instance t = random_instance(77, 3000, 700, 10, 1, 5, 0, 10000, 10001);
  t.a.time_limit_s = 1e-9;
  mm_error e;
  CHECK_EQ(mm_flow_solve(&t.g, &t.a, &e), MM_OK);
  CHECK_EQ(t.a.timed_out, 1);
  int32_t *load = calloc(t.g.n_right, sizeof *load);
  int64_t count = 0, weight = 0;
  int feasible = 1;
  for (uint32_t i = 0; i < t.g.n_left; i++) {
    int64_t k = t.a.match[i];
    if (k < 0) continue;
    if ((uint64_t)k < t.off[i] || (uint64_t)k >= t.off[i + 1]) feasible = 0;
    if (++load[t.adj[k]] > t.cap[t.adj[k]]) feasible = 0;
    count++;
    weight += t.w[k];
  }
  CHECK(feasible);
  CHECK_EQ(count, t.a.cardinality);
  CHECK_EQ(weight, t.a.weight);
  free(load);
  t.a.time_limit_s = 0;
  CHECK_EQ(solve_checked(&t, mm_flow_solve, "no limit"), MM_OK);
  drop(&t);
}

/* ---- OR-Library ---------------------------------------------------------- */

static int load_orlib(const char *path, instance *t) {
  FILE *fp = fopen(path, "r");
  if (!fp) return 0;
  unsigned n = 0;
  if (fscanf(fp, "%u", &n) != 1 || n == 0 || n > 10000) {
    fclose(fp);
    return 0;
  }
  size_t m = (size_t)n * n;
  edge *es = malloc(m * sizeof *es);
  int32_t *cap = malloc(n * sizeof *cap);
  int ok = 1;
  for (size_t k = 0; k < m && ok; k++) {
    long cost;
    if (fscanf(fp, "%ld", &cost) != 1) ok = 0;
    es[k] = (edge){(uint32_t)(k / n), (uint32_t)(k % n), 101 - cost};
  }
  fclose(fp);
  for (unsigned j = 0; j < n; j++) cap[j] = 1;
  if (ok) *t = make(n, n, cap, es, m);
  free(es);
  free(cap);
  return ok;
}

static void test_orlib(void) {
  static const struct {
    int n;
    long optimum;
  } table[] = {{100, 305},  {200, 475},  {300, 626},  {400, 804},
               {500, 991},  {600, 1176}, {700, 1362}, {800, 1552}};
  for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/orlib/assign/assign%d.txt", MM_TEST_DATA, table[k].n);
    instance t;
    if (!load_orlib(path, &t)) {
      fprintf(stderr, "cannot read %s: tests/data/orlib is part of the repository\n", path);
      CHECK(0);
      continue;
    }
    int64_t want = 101 * (int64_t)table[k].n - table[k].optimum;
    double t0 = seconds();
    CHECK_EQ(solve_checked(&t, mm_flow_solve, path), MM_OK);
    double flow_s = seconds() - t0;
    CHECK_EQ(t.a.cardinality, table[k].n);
    CHECK_EQ(t.a.weight, want);
    printf("assign%d: flow %.3f s", table[k].n, flow_s);
    if (table[k].n <= 400) {
      t0 = seconds();
      CHECK_EQ(solve_checked(&t, mm_glpk_solve, path), MM_OK);
      printf(", glpk %.3f s", seconds() - t0);
      CHECK_EQ(t.a.cardinality, table[k].n);
      CHECK_EQ(t.a.weight, want);
    }
    printf(" (optimum %lld)\n", (long long)want);
    drop(&t);
  }
}

int main(void) {
  test_empty();
  test_one_mentee();
  test_capacity();
  test_capacity_above_degree();
  test_closed_mentor();
  test_count_before_score();
  test_negative_scores();
  test_ties();
  test_bad_input();
  test_verifier();
  test_verifier_threads();
  test_tiny_random();
  test_random_shapes();
  test_time_limit();
  test_orlib();
  return check_report("test_solver");
}
