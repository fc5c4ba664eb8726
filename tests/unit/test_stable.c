/* test_stable.c: deferred acceptance (stable mode) and the blocking-pair count.
 *
 * Two textbook instances worked by hand pin down the algorithm and its
 * tie-break; random instances with many equal scores and capacities 0 to 3
 * must give assignments with no blocking pair (checked by a definition
 * written here, not the engine's), and on tiny ones the answer must be the
 * mentee-optimal stable assignment found by enumerating every assignment.
 * The engine's blocking count must agree with the test's on random
 * assignments, stable or not.
 */
#include "check.h"

#include "stable.h"

#include <stdlib.h>
#include <string.h>

#define MAX_N 8
#define MAX_M 5

/* A dense instance: w[i][j] < 0 means no edge. */
typedef struct {
  uint32_t n, m;
  int32_t cap[MAX_M];
  int64_t w[MAX_N][MAX_M];
  uint64_t off[MAX_N + 1];
  uint32_t adj[MAX_N * MAX_M];
  int64_t ew[MAX_N * MAX_M];
  mm_graph g;
} inst;

static void build(inst *t) {
  uint64_t k = 0;
  for (uint32_t i = 0; i < t->n; i++) {
    t->off[i] = k;
    for (uint32_t j = 0; j < t->m; j++) {
      if (t->w[i][j] < 0) continue;
      t->adj[k] = j;
      t->ew[k++] = t->w[i][j];
    }
  }
  t->off[t->n] = k;
  t->g = (mm_graph){t->n, t->m, t->cap, t->off, t->adj, t->ew};
}

/* mentor_of[i] from an edge-index answer. */
static void mentors_of(const inst *t, const int64_t *match, int *mentor) {
  for (uint32_t i = 0; i < t->n; i++) mentor[i] = match[i] >= 0 ? (int)t->adj[match[i]] : -1;
}

/* The definition, directly: i and j both strictly prefer each other. */
static int blocking_brute(const inst *t, const int *mentor) {
  int count = 0;
  for (uint32_t i = 0; i < t->n; i++) {
    for (uint32_t j = 0; j < t->m; j++) {
      if (t->w[i][j] < 0 || mentor[i] == (int)j || t->cap[j] == 0) continue;
      if (mentor[i] >= 0 && t->w[i][mentor[i]] >= t->w[i][j]) continue;
      int load = 0, wants = 0;
      for (uint32_t k = 0; k < t->n; k++) {
        if (mentor[k] != (int)j) continue;
        load++;
        wants += t->w[k][j] < t->w[i][j];
      }
      count += load < t->cap[j] || wants > 0;
    }
  }
  return count;
}

static int feasible(const inst *t, const int *mentor) {
  int load[MAX_M] = {0};
  for (uint32_t i = 0; i < t->n; i++) {
    if (mentor[i] < 0) continue;
    if (t->w[i][mentor[i]] < 0) return 0;
    load[mentor[i]]++;
  }
  for (uint32_t j = 0; j < t->m; j++)
    if (load[j] > t->cap[j]) return 0;
  return 1;
}

static uint64_t engine_blocking(const inst *t, const int *mentor) {
  int64_t mentor_of[MAX_N], own[MAX_N];
  for (uint32_t i = 0; i < t->n; i++) {
    mentor_of[i] = mentor[i];
    own[i] = mentor[i] >= 0 ? t->w[i][mentor[i]] : 0;
  }
  mm_stability st = {t->n, t->m, t->cap, mentor_of, own, NULL, false, NULL, NULL, NULL};
  return mm_blocking_in_graph(&st, &t->g);
}

static void solve(const inst *t, int *mentor) {
  int64_t match[MAX_N];
  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(mm_stable_solve(&t->g, match, &e), MM_OK);
  mentors_of(t, match, mentor);
}

/* Builds a hand-worked instance, solves it and checks the answer worked out
 * by hand (want[i]: mentee i's mentor, -1 none), and that neither count
 * finds a blocking pair in it. */
static void expect_stable(const char *name, inst *t, const int *want) {
  build(t);
  int mentor[MAX_N];
  solve(t, mentor);
  for (uint32_t i = 0; i < t->n; i++) {
    if (mentor[i] != want[i]) fprintf(stderr, "%s: mentee %u\n", name, i);
    CHECK_EQ(mentor[i], want[i]);
  }
  CHECK_EQ(engine_blocking(t, mentor), 0);
  CHECK_EQ(blocking_brute(t, mentor), 0);
}

/* Two mentors of capacity 1; both mentees like X best.  Deferred acceptance
 * gives A-X (the pair both rank first) and B-Y: total 11.  The optimal mode
 * would pick A-Y, B-X (17), which (A, X) blocks: A prefers X (10 > 9) and X
 * prefers A to B (10 > 8). */
static void test_textbook_two_by_two(void) {
  inst t = {.n = 2, .m = 2, .cap = {1, 1}, .w = {{10, 9}, {8, 1}}};
  expect_stable("two by two", &t, (const int[]){0, 1});
  int optimal[2] = {1, 0};
  CHECK_EQ(engine_blocking(&t, optimal), 1);
  CHECK_EQ(blocking_brute(&t, optimal), 1);
}

/* Capacities and a tie, step by step (mentors X cap 1, Y cap 2):
 *   A -> X (9): X holds A.          B -> X (8): X keeps A (9 > 8), rejects B.
 *   B -> Y (7): Y holds B.          C ties X and Y at 6: tries X first (lower
 *   index); X keeps A, rejects C.   C -> Y (6): Y holds B, C (full).
 *   D -> Y (4): Y keeps B, C (6 > 4), rejects D; D has no one left.
 * Result A-X, B-Y, C-Y, D unmatched. */
static void test_textbook_capacities(void) {
  inst t = {.n = 4, .m = 2, .cap = {1, 2}, .w = {{9, 5}, {8, 7}, {6, 6}, {-1, 4}}};
  expect_stable("capacities", &t, (const int[]){0, 1, 1, -1});
}

/* Mentor ties: X (cap 1) scores A and B equally; the lower index wins, so B
 * goes to Y, and (B, X) is not blocking since X is indifferent. */
static void test_mentor_tie(void) {
  inst t = {.n = 2, .m = 2, .cap = {1, 1}, .w = {{5, 1}, {5, 2}}};
  expect_stable("mentor tie", &t, (const int[]){0, 1});
}

static void random_instance(inst *t, unsigned *seed, uint32_t n, uint32_t m, int levels) {
  memset(t, 0, sizeof *t);
  t->n = n;
  t->m = m;
  for (uint32_t j = 0; j < m; j++) t->cap[j] = rand_r(seed) % 4;
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = 0; j < m; j++) t->w[i][j] = rand_r(seed) % 4 == 0 ? -1 : rand_r(seed) % levels;
  build(t);
}

/* Strict rank used by the tie-break: higher score, then lower index. */
static int mentee_prefers(const inst *t, uint32_t i, int a, int b) {
  if (b < 0) return a >= 0;
  if (a < 0) return 0;
  if (t->w[i][a] != t->w[i][b]) return t->w[i][a] > t->w[i][b];
  return a < b;
}

static int tie_blocking(const inst *t, const int *mentor) {
  for (uint32_t i = 0; i < t->n; i++) {
    for (uint32_t j = 0; j < t->m; j++) {
      if (t->w[i][j] < 0 || t->cap[j] == 0 || !mentee_prefers(t, i, (int)j, mentor[i])) continue;
      int load = 0, worse = 0;
      for (uint32_t k = 0; k < t->n; k++) {
        if (mentor[k] != (int)j) continue;
        load++;
        worse += t->w[k][j] < t->w[i][j] || (t->w[k][j] == t->w[i][j] && k > i);
      }
      if (load < t->cap[j] || worse) return 1;
    }
  }
  return 0;
}

/* Every assignment of a tiny instance, keeping for each mentee its best
 * mentor over the assignments stable under the tie-broken orders. */
static void best_stable(const inst *t, int *cur, uint32_t i, int *best) {
  if (i == t->n) {
    if (!feasible(t, cur) || tie_blocking(t, cur)) return;
    for (uint32_t k = 0; k < t->n; k++)
      if (mentee_prefers(t, k, cur[k], best[k])) best[k] = cur[k];
    return;
  }
  for (int j = -1; j < (int)t->m; j++) {
    if (j >= 0 && t->w[i][j] < 0) continue;
    cur[i] = j;
    best_stable(t, cur, i + 1, best);
  }
}

static void test_random_property(void) {
  unsigned seed = 12345;
  for (int round = 0; round < 3000; round++) {
    inst t;
    uint32_t n = 1 + (uint32_t)(rand_r(&seed) % MAX_N), m = 1 + (uint32_t)(rand_r(&seed) % MAX_M);
    random_instance(&t, &seed, n, m, round % 2 ? 3 : 50);
    int mentor[MAX_N];
    solve(&t, mentor);
    CHECK(feasible(&t, mentor));
    CHECK_EQ(blocking_brute(&t, mentor), 0);
    CHECK_EQ(engine_blocking(&t, mentor), 0);
    /* Any assignment: the engine's count equals the definition's. */
    int other[MAX_N];
    for (uint32_t i = 0; i < n; i++) {
      other[i] = (int)(rand_r(&seed) % (m + 1)) - 1;
      if (other[i] >= 0 && t.w[i][other[i]] < 0) other[i] = -1;
    }
    if (feasible(&t, other)) CHECK_EQ(engine_blocking(&t, other), blocking_brute(&t, other));
    if (n <= 6 && m <= 3) {
      int cur[MAX_N], best[MAX_N];
      for (uint32_t i = 0; i < n; i++) best[i] = -1;
      best_stable(&t, cur, 0, best);
      for (uint32_t i = 0; i < n; i++) CHECK_EQ(mentor[i], best[i]);
    }
  }
}

int main(void) {
  test_textbook_two_by_two();
  test_textbook_capacities();
  test_mentor_tie();
  test_random_property();
  return check_report("test_stable");
}
