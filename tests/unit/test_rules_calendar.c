/* test_rules_calendar.c: program rules held together with calendars, against brute force over assignments and slots.
 *
 * Small random programs with narrow weekly windows in fixed-offset zones
 * (every weekly series then uses the same UTC quarter hours each week, so a
 * person's diary is a 672-quarter ring), random locations and departments,
 * and random rules: quota.cross_location, max_per_department,
 * min_per_mentor, an earlier cohort's pair (--previous) and a kept pair
 * (--keep).  The exhaustive search enumerates every assignment that keeps
 * every rule, best first by (matches, mentors with a mentee, total score),
 * and takes the first whose pairs can all be given non-overlapping weekly
 * slots inside both people's windows.  It knows nothing of the engine's
 * slotter, joint model or rules program; it takes only the pair scores
 * from mm_score_matrix.  mm_match's answer must keep every rule, give every
 * pair a slot with nobody double-booked, and, when it says "optimal", equal
 * the exhaustive optimum; a "feasible" answer must stay under its bound.
 * A second setting widens every mentor window by an hour, so that more
 * pairs (kept ones among them) compete for one mentor's hours.
 */
#include "check.h"

#include "internal.h"
#include "problems.h"

#include <stdlib.h>
#include <string.h>

#define MAX_M 3
#define MAX_N 6
#define LEN 4 /* 60-minute meetings, in quarters */
#define RING TP_RING

static mm_error err;

typedef struct {
  int n, m;
  int offset_q[2][MAX_N]; /* per side and person: zone offset in quarters */
  mm_week avail[2][MAX_N];
  int cap[MAX_M];
  int loc[2][MAX_N], dept[MAX_N]; /* mentees' departments */
  int quota;                      /* cross_location share, 1e-4 units, 0 = none */
  int max_dept, min_per_mentor;
  int prev_i, prev_j; /* an earlier cohort's pair, -1 = none */
  int keep_i, keep_j; /* a kept pair, -1 = none */
} program;

static const int offsets_min[3] = {0, 60, -60};

/* One or two narrow windows, Tuesday to Thursday, in local time. */
static int mentor_widen; /* minutes added to each mentor window (the second setting) */

static void windows_text(char *buf, size_t size, int widen) {
  static const char *const days[3] = {"Tue", "Wed", "Thu"};
  int n = 1 + (int)tp_rnd(2);
  size_t used = 0;
  for (int w = 0; w < n; w++) {
    int from = 9 * 60 + 30 * (int)tp_rnd(5), to = from + 60 + widen + 30 * (int)tp_rnd(3);
    used += (size_t)snprintf(buf + used, size - used, "%s%s %02d:%02d-%02d:%02d", w ? "; " : "", days[tp_rnd(3)],
                             from / 60, from % 60, to / 60, to % 60);
  }
}

/* A random program; with plain set, no rules; with stable set, deferred
 * acceptance (and no rules). */
static mm_problem *build(program *g, int plain, int stable) {
  plain = plain || stable;
  memset(g, 0, sizeof *g);
  g->m = 2 + (int)tp_rnd(2);
  g->n = 3 + (int)tp_rnd(4);
  static const int quotas[3] = {0, 5000, 6000};
  g->quota = plain ? 0 : quotas[tp_rnd(3)];
  g->max_dept = plain ? 0 : (int)tp_rnd(2);
  g->min_per_mentor = plain ? 0 : (int)tp_rnd(2);
  mm_options o;
  tp_march_options(&o);
  o.first_meetings = 3;
  o.n_checkpoints = 0;
  o.quota_cross[MM_QUOTA_LOCATION] = g->quota;
  o.max_per_department = g->max_dept;
  o.min_per_mentor = g->min_per_mentor;
  o.mode = stable ? MM_MODE_STABLE : MM_MODE_OPTIMAL;
  mm_problem *p = mm_problem_create(&o, &err);
  CHECK(p != NULL);
  tp_fixed_zones(p, offsets_min, 3);
  static const char *const locs[2] = {"Paris", "Lima"}, *const depts[2] = {"Sales", "Ops"};
  static const char *const tags[3] = {"a", "b", "c"};
  for (int side = 0; side < 2; side++) {
    for (int k = 0; k < (side == MM_MENTOR ? g->m : g->n); k++) {
      mm_person x;
      mm_person_init(&x);
      char id[16], windows[64];
      snprintf(id, sizeof id, "%c%d", side == MM_MENTOR ? 'm' : 'e', k);
      x.id = id;
      x.zone = (int)tp_rnd(3);
      g->offset_q[side][k] = offsets_min[x.zone] / 15;
      windows_text(windows, sizeof windows, side == MM_MENTOR ? mentor_widen : 0);
      CHECK_EQ(mm_availability_parse(windows, &x.availability, &err), MM_OK);
      g->avail[side][k] = x.availability;
      g->loc[side][k] = (int)tp_rnd(2);
      x.location = locs[g->loc[side][k]];
      int d = (int)tp_rnd(2);
      x.department = depts[d];
      if (side == MM_MENTEE) g->dept[k] = d;
      mm_tag skill = {tags[tp_rnd(3)], 1 + (int)tp_rnd(5)};
      x.skills = &skill;
      x.n_skills = 1;
      x.capacity = side == MM_MENTOR ? (g->cap[k] = 1 + (int)tp_rnd(3)) : 0;
      CHECK_EQ(mm_problem_add_person(p, (mm_side)side, &x, &err), MM_OK);
    }
  }
  g->prev_i = g->prev_j = g->keep_i = g->keep_j = -1;
  if (!plain && tp_rnd(3) == 0) {
    g->prev_i = (int)tp_rnd((uint32_t)g->n);
    g->prev_j = (int)tp_rnd((uint32_t)g->m);
    CHECK_EQ(mm_problem_add_previous(p, (size_t)g->prev_i, (size_t)g->prev_j, 1, &err), MM_OK);
  }
  return p;
}

/* ---- the exhaustive search ------------------------------------------------ */

typedef struct {
  const program *g;
  const int32_t *score;
  int starts[MAX_N][MAX_M][RING];
  int n_starts[MAX_N][MAX_M];
  uint8_t busy[MAX_M + MAX_N][RING];
  int pick[MAX_N]; /* per mentee: mentor or -1 */
  long best[3];    /* matches, mentors with a mentee, total score; best[0] = -1: none */
  int best_pick[MAX_N];
} search;

static int local_ok(const program *g, int side, int k, int utc) {
  return tp_week_fits(&g->avail[side][k], g->offset_q[side][k], utc, LEN);
}

static int ring_free(const search *s, int who, int t) { return tp_ring_free(s->busy[who], t, LEN); }

static void ring_mark(search *s, int who, int t, uint8_t v) { tp_ring_mark(s->busy[who], t, LEN, v); }

/* Whether mentees i.. of the pick can all get slots (mentors are people
 * 0..m-1, mentees m..). */
static int slots_fit(search *s, int i) {
  const program *g = s->g;
  if (i == g->n) return 1;
  int j = s->pick[i];
  if (j < 0) return slots_fit(s, i + 1);
  for (int k = 0; k < s->n_starts[i][j]; k++) {
    int t = s->starts[i][j][k];
    if (!ring_free(s, j, t) || !ring_free(s, g->m + i, t)) continue;
    ring_mark(s, j, t, 1);
    ring_mark(s, g->m + i, t, 1);
    int ok = slots_fit(s, i + 1);
    ring_mark(s, j, t, 0);
    ring_mark(s, g->m + i, t, 0);
    if (ok) return 1;
  }
  return 0;
}

/* Every rule on the whole pick: capacities, the kept pair, quota,
 * departments; fills key with (matches, mentors with a mentee, score). */
static int rules_hold(const program *g, const int *pick, const int32_t *score, long key[3]) {
  int load[MAX_M] = {0}, per_dept[MAX_M][2] = {{0}}, across = 0;
  key[0] = key[1] = key[2] = 0;
  for (int i = 0; i < g->n; i++) {
    int j = pick[i];
    if (i == g->keep_i && j != g->keep_j) return 0;
    if (j < 0) continue;
    if (score[i * g->m + j] < 0 || ++load[j] > g->cap[j]) return 0;
    per_dept[j][g->dept[i]]++;
    across += g->loc[MM_MENTEE][i] != g->loc[MM_MENTOR][j];
    key[0]++;
    key[2] += score[i * g->m + j];
  }
  for (int j = 0; j < g->m; j++) {
    key[1] += g->min_per_mentor && load[j] > 0;
    for (int d = 0; g->max_dept && d < 2; d++)
      if (per_dept[j][d] > g->max_dept) return 0;
  }
  return 10000L * across >= (long)g->quota * key[0];
}

static int better(const long a[3], const long b[3]) {
  for (int k = 0; k < 3; k++)
    if (a[k] != b[k]) return a[k] > b[k];
  return 0;
}

static void enumerate(search *s, int i) {
  const program *g = s->g;
  if (i == g->n) {
    long key[3];
    if (!rules_hold(g, s->pick, s->score, key) || (s->best[0] >= 0 && !better(key, s->best)) || !slots_fit(s, 0))
      return;
    memcpy(s->best, key, sizeof key);
    memcpy(s->best_pick, s->pick, sizeof s->pick);
    return;
  }
  for (int j = -1; j < g->m; j++) {
    s->pick[i] = j;
    enumerate(s, i + 1);
  }
}

static void brute_force(search *s, const program *g, const int32_t *score) {
  memset(s, 0, sizeof *s);
  s->g = g;
  s->score = score;
  for (int i = 0; i < g->n; i++)
    for (int j = 0; j < g->m; j++)
      for (int t = 0; t < RING; t++)
        if (local_ok(g, MM_MENTOR, j, t) && local_ok(g, MM_MENTEE, i, t)) s->starts[i][j][s->n_starts[i][j]++] = t;
  s->best[0] = -1;
  enumerate(s, 0);
}

/* A kept pair: the first eligible pair with a common start, so that some
 * assignment keeps it. */
static void choose_kept(program *g, mm_problem *p, const search *s, const int32_t *score) {
  int i = (int)tp_rnd((uint32_t)g->n);
  for (int j = 0; j < g->m; j++) {
    if (score[i * g->m + j] < 0 || s->n_starts[i][j] == 0) continue;
    CHECK_EQ(mm_problem_add_kept(p, (size_t)i, (size_t)j, NULL, 2, &err), MM_OK);
    g->keep_i = i;
    g->keep_j = j;
    return;
  }
}

/* ---- checking the engine's answer ----------------------------------------- */

static int apart(const mm_occurrence *a, const mm_occurrence *b) {
  return a->end_utc <= b->start_utc || b->end_utc <= a->start_utc;
}

/* Rules, slots and double bookings of r; fills key like rules_hold. */
static void check_answer(const program *g, const int32_t *score, const mm_result *r, long key[3], unsigned seed) {
  int pick[MAX_N];
  for (int i = 0; i < g->n; i++) pick[i] = -1;
  size_t n_pairs = mm_result_pair_count(r);
  for (size_t k = 0; k < n_pairs; k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    pick[pr->mentee] = (int)pr->mentor;
    if (!pr->scheduled) fprintf(stderr, "seed %u: pair e%zu-m%zu has no slot\n", seed, pr->mentee, pr->mentor);
    CHECK(pr->scheduled);
    CHECK(!(pr->mentee == (size_t)g->prev_i && pr->mentor == (size_t)g->prev_j));
  }
  CHECK(rules_hold(g, pick, score, key));
  for (size_t a = 0; a < n_pairs; a++) {
    const mm_pair *x = mm_result_pair(r, a);
    for (size_t b = a + 1; b < n_pairs; b++) {
      const mm_pair *y = mm_result_pair(r, b);
      if (x->mentor != y->mentor) continue;
      for (size_t u = 0; u < x->n_occurrences; u++)
        for (size_t v = 0; v < y->n_occurrences; v++)
          CHECK(apart(mm_result_occurrence(r, x->first_occurrence + u), mm_result_occurrence(r, y->first_occurrence + v)));
    }
  }
}

/* ---- blocking pairs, from the rings ------------------------------------ */

/* Whether mentee i and mentor j have a common start free in both rings,
 * i's own meeting and mentee drop's (-1: none) taken out. */
static int free_start(search *s, const int *pick, const int *at, int i, int j, int drop) {
  const program *g = s->g;
  memset(s->busy, 0, sizeof s->busy);
  for (int k = 0; k < g->n; k++) {
    if (pick[k] < 0 || k == i || k == drop) continue;
    ring_mark(s, pick[k], at[k], 1);
    ring_mark(s, g->m + k, at[k], 1);
  }
  for (int x = 0; x < s->n_starts[i][j]; x++)
    if (ring_free(s, j, s->starts[i][j][x]) && ring_free(s, g->m + i, s->starts[i][j][x])) return 1;
  return 0;
}

/* Pairs (i, j) where i prefers j by score to what it got, j has room or a
 * mentee scoring lower with it, and a start is free for both once i leaves
 * its pair and j drops that mentee (or none, with room). */
static long blocking_by_rings(search *s, const int32_t *score, const mm_result *r) {
  const program *g = s->g;
  int pick[MAX_N], at[MAX_N], load[MAX_M] = {0};
  long own[MAX_N], count = 0;
  for (int i = 0; i < g->n; i++) pick[i] = -1;
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    pick[pr->mentee] = (int)pr->mentor;
    own[pr->mentee] = pr->score;
    at[pr->mentee] = tp_week_quarter(mm_result_occurrence(r, pr->first_occurrence)->start_utc);
    load[pr->mentor]++;
  }
  for (int i = 0; i < g->n; i++) {
    for (int j = 0; j < g->m; j++) {
      long w = score[i * g->m + j];
      if (w < 0 || pick[i] == j || (pick[i] >= 0 && w <= own[i])) continue;
      int blocks = load[j] < g->cap[j] && free_start(s, pick, at, i, j, -1);
      for (int k = 0; !blocks && k < g->n; k++)
        if (pick[k] == j && own[k] < w) blocks = free_start(s, pick, at, i, j, k);
      count += blocks;
    }
  }
  return count;
}

static int stable_runs, blocking_optimal;

/* Stable mode must leave no blocking pair; both modes must count them as
 * the rings do. */
static void one_stability(unsigned seed, int stable) {
  tp_rng_state = seed * 15485863u + 3u;
  program g;
  mm_problem *p = build(&g, 1, stable);
  int32_t score[MAX_N * MAX_M];
  CHECK_EQ(mm_score_matrix(p, score, &err), MM_OK);
  search s;
  brute_force(&s, &g, score);
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  if (r) {
    const mm_summary *sum = mm_result_summary(r);
    for (size_t k = 0; k < mm_result_pair_count(r); k++) CHECK(mm_result_pair(r, k)->scheduled);
    long expected = blocking_by_rings(&s, score, r);
    if (sum->blocking_pairs != expected || (stable && expected))
      fprintf(stderr, "seed %u (%s): engine %lld blocking pairs, rings %ld\n", seed, stable ? "stable" : "optimal",
              (long long)sum->blocking_pairs, expected);
    CHECK_EQ(sum->blocking_pairs, expected);
    if (stable) CHECK_EQ(sum->blocking_pairs, 0);
    stable_runs += stable;
    blocking_optimal += !stable && expected > 0;
  }
  mm_result_free(r);
  mm_problem_free(p);
}

static int runs, proven, tight_runs, refused;

static void one_program(unsigned seed) {
  tp_rng_state = seed * 104729u + 7u;
  program g;
  mm_problem *p = build(&g, 0, 0);
  int32_t score[MAX_N * MAX_M];
  CHECK_EQ(mm_score_matrix(p, score, &err), MM_OK);
  search s;
  brute_force(&s, &g, score);
  if (tp_rnd(3) == 0) {
    choose_kept(&g, p, &s, score);
    brute_force(&s, &g, score);
  }
  mm_result *r = NULL;
  mm_status st = mm_match(p, &r, &err);
  runs++;
  if (st == MM_ERR_INFEASIBLE) {
    /* Only when no assignment with a pair keeps the rules and the calendars. */
    if (s.best[0] > 0) fprintf(stderr, "seed %u refused (%s) with a best of %ld pairs\n", seed, err.message, s.best[0]);
    CHECK(s.best[0] <= 0);
    refused++;
    mm_problem_free(p);
    return;
  }
  CHECK_EQ(st, MM_OK);
  if (!r) {
    mm_problem_free(p);
    return;
  }
  const mm_summary *sum = mm_result_summary(r);
  long key[3];
  check_answer(&g, score, r, key, seed);
  tight_runs += strstr(sum->proof, "weeks are tight") != NULL;
  CHECK(s.best[0] >= 0);
  CHECK(!better(key, s.best));
  if (strcmp(sum->status, "optimal") == 0) {
    proven++;
    if (better(s.best, key))
      fprintf(stderr, "seed %u: engine (%ld, %ld, %ld), brute force (%ld, %ld, %ld); %s\n", seed, key[0], key[1],
              key[2], s.best[0], s.best[1], s.best[2], sum->proof);
    CHECK_EQ(key[0], s.best[0]);
    CHECK_EQ(key[1], s.best[1]);
    CHECK_EQ(key[2], s.best[2]);
  } else {
    /* Not proven: the bound still covers the exhaustive optimum. */
    if (sum->bound >= 0 && key[0] == s.best[0]) CHECK_LE(s.best[2], sum->bound);
  }
  mm_result_free(r);
  mm_problem_free(p);
}

/* Seeds 1..seeds with mentor windows widened by widen minutes. */
static void programs(int widen, unsigned seeds) {
  mentor_widen = widen;
  runs = proven = tight_runs = refused = 0;
  for (unsigned seed = 1; seed <= seeds; seed++) one_program(seed);
  printf("rules with calendars, mentor windows +%d min: %d programs, %d proven optimal, %d with tight weeks in the "
         "program, %d refused as infeasible\n", widen, runs, proven, tight_runs, refused);
  CHECK_GE(proven, (runs - refused) * 9 / 10);
}

int main(void) {
  programs(0, 400);
  /* Places are capped by the hours mentees share (frame.c), so few of
   * these programs leave a week tight; some still must. */
  CHECK_GE(tight_runs, 5);
  /* Wider mentor windows: more pairs compete for one mentor's hours.  Seed
   * 784 keeps a pair (--keep, no rules) whose only hour a free pair of the
   * same mentor took in the greedy schedule; the joint model used to drop
   * the kept pair, which then stayed in the answer without a slot. */
  programs(60, 800);
  for (unsigned seed = 1; seed <= 400; seed++) one_stability(seed, 1);
  for (unsigned seed = 1; seed <= 400; seed++) one_stability(seed, 0);
  printf("stable mode with calendars: %d programs, none with a blocking pair; optimal mode: %d of 400 with "
         "blocking pairs, each count equal to the rings'\n", stable_runs, blocking_optimal);
  CHECK_GE(blocking_optimal, 10);
  return check_report("test_rules_calendar");
}
