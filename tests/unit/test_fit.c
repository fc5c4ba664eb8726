/* test_fit.c: matching that knows each person's week, against brute force over every assignment and slot.
 *
 * Small random programs with narrow windows, mentors of capacity 2 to 4,
 * people listed on both sides and e-mail addresses shared across rows are
 * solved by mm_match and by an exhaustive search written here from the
 * rules alone: zones with fixed offsets make every weekly series the same
 * UTC quarter hours each week, so a person's diary is a 672-slot ring and
 * two meetings clash when their busy rings (meeting plus buffer) meet.  The
 * search knows nothing of the engine's slotter, joint model or scheduler;
 * it takes only the pair scores from mm_score_matrix.  The engine's answer
 * is then checked on its own: every listed occurrence inside both local
 * windows, nobody (rows joined by id or case-folded e-mail) in two meetings
 * or closer than the buffer, capacities kept; and whenever the engine says
 * "optimal", its number of pairs with a slot and its total score must equal
 * the exhaustive optimum, whichever solver and path produced it.
 */
#include "check.h"

#include "internal.h"
#include "problems.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_M 4
#define MAX_N 8
#define LEN 4 /* 60-minute meetings */

static mm_error err;

typedef struct {
  int n, m;
  int zone_offset_q[2][MAX_N]; /* per side, per person: offset in quarters */
  mm_week avail[2][MAX_N];
  int cap[MAX_M];
  char id[2][MAX_N][16];
  char email[2][MAX_N][32];
  int buffer_minutes;
} program;

static const int offsets_min[4] = {0, 60, -60, 120};

/* One or two narrow windows on Tuesday to Thursday, local time; a mentor's
 * are the longer, so that its places are more than its mentees' hours can
 * fill together and pairs clash. */
static void random_windows(char *buf, size_t size, int side) {
  static const char *const days[3] = {"Tue", "Wed", "Thu"};
  static const int starts[5] = {9 * 60, 9 * 60 + 30, 10 * 60, 10 * 60 + 30, 11 * 60};
  static const int lengths[2][3] = {{90, 120, 180}, {60, 75, 90}};
  int windows = 1 + (int)tp_rnd(2);
  size_t used = 0;
  for (int w = 0; w < windows; w++) {
    int s = starts[tp_rnd(5)], e = s + lengths[side == MM_MENTOR ? 0 : 1][tp_rnd(3)];
    used += (size_t)snprintf(buf + used, size - used, "%s%s %02d:%02d-%02d:%02d", w ? "; " : "", days[tp_rnd(3)],
                             s / 60, s % 60, e / 60, e % 60);
  }
}

/* Twice the capacity: places outnumber mentees, so the fit moves pairs to
 * spare places and re-decides the places it opened (fit.c's cannot_gain). */
static int spare_places;

static void random_program(program *g) {
  memset(g, 0, sizeof *g);
  g->m = 2 + (int)tp_rnd(3);
  g->n = 5 + (int)tp_rnd(4);
  static const int buffers[4] = {0, 0, 15, 30};
  g->buffer_minutes = buffers[tp_rnd(4)];
  for (int side = 0; side < 2; side++) {
    int count = side == MM_MENTOR ? g->m : g->n;
    for (int k = 0; k < count; k++) {
      snprintf(g->id[side][k], 16, "%c%d", side == MM_MENTOR ? 'm' : 'e', k);
      snprintf(g->email[side][k], 32, "%s@x.com", g->id[side][k]);
    }
  }
  for (int j = 0; j < g->m; j++) g->cap[j] = (2 + (int)tp_rnd(3)) * (spare_places ? 2 : 1);
  /* People on both sides: the same id, or the same address in other case. */
  int taken[MAX_M] = {0};
  for (int i = 0; i < g->n; i++) {
    uint32_t r = tp_rnd(6);
    int j = (int)tp_rnd((uint32_t)g->m);
    if (r == 0 && !taken[j]) {
      taken[j] = 1;
      snprintf(g->id[MM_MENTEE][i], 16, "%s", g->id[MM_MENTOR][j]);
    } else if (r == 1) {
      snprintf(g->email[MM_MENTEE][i], 32, "%c%d@X.COM", 'M', j);
    }
  }
  if (g->m > 2 && tp_rnd(3) == 0) snprintf(g->email[MM_MENTOR][1], 32, "M0@x.com");
}

/* Builds the engine problem; zone index = offset choice. */
static mm_problem *build(program *g, mm_solver solver, int whole) {
  mm_options o;
  tp_march_options(&o);
  o.first_meetings = 3;
  o.n_checkpoints = 0;
  o.solver = solver;
  o.buffer_minutes = g->buffer_minutes;
  o.joint_whole_pairs = whole ? 2000 : 0;
  mm_problem *p = mm_problem_create(&o, &err);
  CHECK(p != NULL);
  tp_fixed_zones(p, offsets_min, 4);
  static const char *const tags[3] = {"a", "b", "c"};
  for (int side = 0; side < 2; side++) {
    int count = side == MM_MENTOR ? g->m : g->n;
    for (int k = 0; k < count; k++) {
      mm_person x;
      mm_person_init(&x);
      x.id = g->id[side][k];
      x.email = g->email[side][k];
      int z = (int)tp_rnd(4);
      x.zone = z;
      g->zone_offset_q[side][k] = offsets_min[z] / 15;
      char windows[96];
      random_windows(windows, sizeof windows, side);
      CHECK_EQ(mm_availability_parse(windows, &x.availability, &err), MM_OK);
      g->avail[side][k] = x.availability;
      mm_tag skills[2] = {{tags[tp_rnd(3)], 1 + (int)tp_rnd(5)}, {tags[tp_rnd(3)], 1 + (int)tp_rnd(5)}};
      x.skills = skills;
      x.n_skills = skills[0].name == skills[1].name ? 1 : 2;
      x.capacity = side == MM_MENTOR ? g->cap[k] : 0;
      CHECK_EQ(mm_problem_add_person(p, (mm_side)side, &x, &err), MM_OK);
    }
  }
  return p;
}

/* ---- the exhaustive search, from the rules alone ------------------------ */

typedef struct {
  const program *g;
  int person[2][MAX_N];
  int n_people;
  const int32_t *score; /* n x m, -1 ineligible */
  int starts[MAX_N][MAX_M][MM_SLOTS_PER_WEEK];
  int n_starts[MAX_N][MAX_M];
  uint8_t busy[2 * MAX_N + MAX_M][MM_SLOTS_PER_WEEK];
  int load[MAX_M];
  int busy_len;
  long best_count, best_score, max_score;
} search;

static void lower(const char *s, char *out) {
  while (*s) *out++ = (char)tolower((unsigned char)*s++);
  *out = '\0';
}

/* Rows joined when the id matches across the sides or the e-mail matches. */
static void identify(search *s) {
  const program *g = s->g;
  int rows = g->m + g->n, parent[MAX_M + MAX_N];
  for (int r = 0; r < rows; r++) parent[r] = r;
  for (int a = 0; a < rows; a++) {
    for (int b = a + 1; b < rows; b++) {
      int sa = a < g->m ? MM_MENTOR : MM_MENTEE, ia = a < g->m ? a : a - g->m;
      int sb = b < g->m ? MM_MENTOR : MM_MENTEE, ib = b < g->m ? b : b - g->m;
      char ea[32], eb[32];
      lower(g->email[sa][ia], ea);
      lower(g->email[sb][ib], eb);
      int same = strcmp(ea, eb) == 0 || (sa != sb && strcmp(g->id[sa][ia], g->id[sb][ib]) == 0);
      if (!same) continue;
      int ra = a, rb = b;
      while (parent[ra] != ra) ra = parent[ra];
      while (parent[rb] != rb) rb = parent[rb];
      if (ra != rb) parent[rb] = ra;
    }
  }
  for (int r = 0; r < rows; r++) {
    int root = r;
    while (parent[root] != root) root = parent[root];
    s->person[r < g->m ? MM_MENTOR : MM_MENTEE][r < g->m ? r : r - g->m] = root;
  }
}

static int local_ok(const program *g, int side, int k, int utc_slot) {
  return tp_week_fits(&g->avail[side][k], g->zone_offset_q[side][k], utc_slot, LEN);
}

/* A person's busy ring: meetings plus the buffer after each. */
static int ring_free(const search *s, int who, int t) { return tp_ring_free(s->busy[who], t, s->busy_len); }

static void ring_mark(search *s, int who, int t, uint8_t v) { tp_ring_mark(s->busy[who], t, s->busy_len, v); }

static void dfs(search *s, int i, long count, long score) {
  const program *g = s->g;
  if (i == g->n) {
    if (count > s->best_count || (count == s->best_count && score > s->best_score)) {
      s->best_count = count;
      s->best_score = score;
    }
    return;
  }
  long left = g->n - i;
  if (count + left < s->best_count) return;
  if (count + left == s->best_count && score + left * s->max_score <= s->best_score) return;
  for (int j = 0; j < g->m; j++) {
    int32_t w = s->score[i * g->m + j];
    if (w < 0 || s->load[j] >= g->cap[j]) continue;
    int pm = s->person[MM_MENTOR][j], pe = s->person[MM_MENTEE][i];
    for (int k = 0; k < s->n_starts[i][j]; k++) {
      int t = s->starts[i][j][k];
      if (!ring_free(s, pm, t) || !ring_free(s, pe, t)) continue;
      ring_mark(s, pm, t, 1);
      ring_mark(s, pe, t, 1);
      s->load[j]++;
      dfs(s, i + 1, count + 1, score + w);
      s->load[j]--;
      ring_mark(s, pm, t, 0);
      ring_mark(s, pe, t, 0);
    }
  }
  dfs(s, i + 1, count, score);
}

static void brute_force(search *s, const program *g, const int32_t *score) {
  memset(s, 0, sizeof *s);
  s->g = g;
  s->score = score;
  s->busy_len = LEN + (g->buffer_minutes + 14) / 15;
  identify(s);
  for (int i = 0; i < g->n; i++)
    for (int j = 0; j < g->m; j++) {
      if (score[i * g->m + j] > s->max_score) s->max_score = score[i * g->m + j];
      for (int t = 0; t < MM_SLOTS_PER_WEEK; t++)
        if (local_ok(g, MM_MENTOR, j, t) && local_ok(g, MM_MENTEE, i, t)) s->starts[i][j][s->n_starts[i][j]++] = t;
    }
  s->best_count = -1;
  dfs(s, 0, 0, 0);
}

/* ---- checking the engine's answer on its own ---------------------------- */

static int inside(const program *g, int side, int k, int64_t start, int64_t end) {
  for (int64_t t = start; t < end; t += 900)
    if (!mm_week_test(&g->avail[side][k], tp_week_quarter(t + (int64_t)g->zone_offset_q[side][k] * 900))) return 0;
  return 1;
}

static unsigned current_seed;

/* Returns the number of pairs with a slot; checks everything else. */
static long check_answer(const program *g, const search *s, const mm_result *r, long *total) {
  int load[MAX_M] = {0};
  int64_t busy[MAX_N + MAX_M][256][2];
  int n_busy[MAX_N + MAX_M] = {0};
  long with_slot = 0;
  *total = 0;
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    CHECK(pr->scheduled);
    CHECK_GE(s->score[pr->mentee * (size_t)g->m + pr->mentor], 0);
    CHECK_EQ(pr->score, s->score[pr->mentee * (size_t)g->m + pr->mentor]);
    CHECK_GE(pr->rank, 1);
    load[pr->mentor]++;
    if (!pr->scheduled) continue;
    with_slot++;
    *total += pr->score;
    int who[2] = {s->person[MM_MENTOR][pr->mentor], s->person[MM_MENTEE][pr->mentee]};
    for (size_t x = 0; x < pr->n_occurrences; x++) {
      const mm_occurrence *o = mm_result_occurrence(r, pr->first_occurrence + x);
      CHECK(inside(g, MM_MENTOR, (int)pr->mentor, o->start_utc, o->end_utc));
      CHECK(inside(g, MM_MENTEE, (int)pr->mentee, o->start_utc, o->end_utc));
      for (int w = 0; w < 2; w++) {
        busy[who[w]][n_busy[who[w]]][0] = o->start_utc;
        busy[who[w]][n_busy[who[w]]++][1] = o->end_utc;
      }
    }
  }
  for (int j = 0; j < g->m; j++) CHECK_LE(load[j], g->cap[j]);
  int64_t gap = (int64_t)g->buffer_minutes * 60;
  for (int who = 0; who < g->m + g->n; who++)
    for (int a = 0; a < n_busy[who]; a++)
      for (int b = a + 1; b < n_busy[who]; b++) {
        int apart = busy[who][a][1] + gap <= busy[who][b][0] || busy[who][b][1] + gap <= busy[who][a][0];
        if (!apart) fprintf(stderr, "person %d double booked (seed %u)\n", who, current_seed);
        CHECK(apart);
      }
  return with_slot;
}

static int runs, clashed, proven, exact;

static void one_program(unsigned seed, mm_solver solver, int whole) {
  tp_rng_state = seed * 7919u + 17u;
  current_seed = seed;
  program g;
  random_program(&g);
  mm_problem *p = build(&g, solver, whole);
  int32_t score[MAX_N * MAX_M];
  CHECK_EQ(mm_score_matrix(p, score, &err), MM_OK);
  search s;
  brute_force(&s, &g, score);
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  if (!r) {
    fprintf(stderr, "seed %u: %s\n", seed, err.message);
    mm_problem_free(p);
    return;
  }
  const mm_summary *sum = mm_result_summary(r);
  long total;
  long with_slot = check_answer(&g, &s, r, &total);
  runs++;
  clashed += sum->clashes > 0;
  CHECK(with_slot < s.best_count || (with_slot == s.best_count && total <= s.best_score));
  CHECK_EQ(sum->total_score, total);
  exact += with_slot == s.best_count && total == s.best_score;
  if (strcmp(sum->status, "optimal") == 0) {
    proven++;
    if (with_slot != s.best_count || total != s.best_score)
      fprintf(stderr, "seed %u (%s, %s): engine %ld pairs / %ld, brute force %ld / %ld; %s\n", seed,
              solver == MM_SOLVER_GLPK ? "glpk" : "auto", whole ? "whole" : "neighbourhood", with_slot, total,
              s.best_count, s.best_score, sum->proof);
    CHECK_EQ(with_slot, s.best_count);
    CHECK_EQ(total, s.best_score);
    CHECK_EQ(sum->bound, total);
  } else {
    CHECK_STR_EQ(sum->status, "feasible");
    /* The bound is valid: the exhaustive optimum never beats it. */
    CHECK_LE(s.best_count, (long)sum->bound_matched);
    if (s.best_count == (long)sum->bound_matched) CHECK_LE(s.best_score, sum->bound);
    CHECK(sum->gap > 0);
  }
  mm_result_free(r);
  mm_problem_free(p);
}

/* The issue's example: a mentor in UTC+2 with Wednesday 18:00-20:00 and
 * capacity 3; two mentees free only 18:00-19:00, one only 19:00-20:00.
 * With rules: two require pairs for the 18:00 hour. */
static mm_problem *example(int with_rules) {
  mm_options o;
  tp_march_options(&o);
  o.n_checkpoints = 0;
  mm_problem *p = mm_problem_create(&o, &err);
  mm_zone_period per = {INT64_MIN / 4, 2 * 3600};
  CHECK_EQ(mm_problem_add_zone(p, "Africa/Johannesburg", &per, 1, &err), 0);
  static const char *const ids[4] = {"M1", "E1", "E2", "E3"};
  static const char *const weeks[4] = {"Wed 18:00-20:00", "Wed 18:00-19:00", "Wed 18:00-19:00", "Wed 19:00-20:00"};
  static const char *const skills[4] = {"go", "go", "go", "rust"};
  for (int k = 0; k < 4; k++) {
    mm_person x;
    mm_person_init(&x);
    x.id = ids[k];
    x.zone = 0;
    x.capacity = 3;
    mm_tag tag = {skills[k], 3};
    x.skills = &tag;
    x.n_skills = 1;
    CHECK_EQ(mm_availability_parse(weeks[k], &x.availability, &err), MM_OK);
    CHECK_EQ(mm_problem_add_person(p, k ? MM_MENTEE : MM_MENTOR, &x, &err), MM_OK);
  }
  for (size_t i = 0; with_rules && i < 2; i++) CHECK_EQ(mm_problem_add_rule(p, i, 0, MM_RULE_REQUIRE, 1, &err), MM_OK);
  return p;
}

static void test_issue_example(void) {
  mm_problem *p = example(0);
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  const mm_summary *sum = mm_result_summary(r);
  CHECK_STR_EQ(sum->status, "optimal");
  CHECK_EQ(mm_result_pair_count(r), 2);
  CHECK_EQ(sum->clashes, 1);
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    CHECK(pr->scheduled);
    CHECK_EQ(pr->slot_weekday, 2);
    CHECK_EQ(pr->slot_minute, pr->mentee == 2 ? 19 * 60 : 18 * 60);
  }
  const mm_left_out *l = mm_result_left_out(r, 0);
  CHECK(l != NULL && l->kind == MM_LEFT_UNMATCHED && l->side == MM_MENTEE);
  if (l)
    CHECK_STR_EQ(l->reason, "mentor M1, your match in the calendar-blind assignment, had no free weekly hour left "
                            "for you; every eligible mentor has places left but no free hour you share (1 eligible)");
  mm_result_free(r);
  mm_problem_free(p);

  /* Two require pairs for one hour: both stay, one cannot meet; it takes a
   * place but not M1's other hour, which E3 gets (E3 was left out, told
   * M1's hours were taken). */
  p = example(1);
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  size_t unscheduled = 0;
  for (size_t k = 0; k < mm_result_left_out_count(r); k++) {
    l = mm_result_left_out(r, k);
    if (l->kind != MM_LEFT_UNSCHEDULED) continue;
    unscheduled++;
    CHECK(mm_result_pair(r, l->index)->required);
    CHECK_STR_CONTAINS(l->reason, "taken by the mentor's other meetings");
  }
  CHECK_EQ(unscheduled, 1);
  CHECK_EQ(mm_result_pair_count(r), 3);
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (pr->mentee == 2) CHECK(pr->scheduled && pr->slot_minute == 19 * 60);
  }
  mm_result_free(r);
  mm_problem_free(p);
}

/* The adversarial roster, scaled down: mentees in a Berlin-like zone free
 * Mon-Fri 10:00-12:00 local, two mentors free all week (UTC, capacity
 * 1000; UTC+9, capacity 5).  The program spans the spring change (UTC+1
 * to UTC+2 on 2027-03-28), so only 09:00-10:00 UTC holds every week: 5
 * series per mentor, 10 in all.  A bound from the mentors' own weeks
 * said 125 (gap 92%); counting only the hours some mentee shares, the
 * bound is 10 and the answer is reached and said optimal, on the
 * neighbourhood path too. */
static void test_shared_hours_bound(void) {
  mm_options o;
  tp_march_options(&o);
  o.joint_whole_pairs = 0;
  mm_problem *p = mm_problem_create(&o, &err);
  CHECK(p != NULL);
  mm_zone_period berlin[3] = {{INT64_MIN / 4, 3600}, {1806195600, 7200}, {1824944400, 3600}};
  mm_zone_period utc = {INT64_MIN / 4, 0}, tokyo = {INT64_MIN / 4, 9 * 3600};
  CHECK_EQ(mm_problem_add_zone(p, "Europe/Berlin", berlin, 3, &err), 0);
  CHECK_EQ(mm_problem_add_zone(p, "UTC", &utc, 1, &err), 1);
  CHECK_EQ(mm_problem_add_zone(p, "Asia/Tokyo", &tokyo, 1, &err), 2);
  mm_tag tag = {"go", 3};
  for (int k = 0; k < 2 + 300; k++) {
    char id[16];
    snprintf(id, sizeof id, "%s%d", k < 2 ? "m" : "e", k);
    mm_person x;
    mm_person_init(&x);
    x.id = id;
    x.zone = k < 2 ? 1 + k : 0;
    x.capacity = k == 0 ? 1000 : 5;
    x.skills = &tag;
    x.n_skills = 1;
    CHECK_EQ(mm_availability_parse(k < 2 ? "Mon-Sun 00:00-24:00" : "Mon-Fri 10:00-12:00", &x.availability, &err),
             MM_OK);
    CHECK_EQ(mm_problem_add_person(p, k < 2 ? MM_MENTOR : MM_MENTEE, &x, &err), MM_OK);
  }
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  const mm_summary *sum = mm_result_summary(r);
  CHECK_EQ(sum->matched, 10);
  CHECK_EQ(sum->bound_matched, 10);
  CHECK_EQ(sum->blind_matched, 10);
  CHECK_STR_EQ(sum->status, "optimal");
  CHECK(sum->gap == 0);
  for (size_t k = 0; k < mm_result_pair_count(r); k++) CHECK(mm_result_pair(r, k)->scheduled);
  mm_result_free(r);
  mm_problem_free(p);
}

int main(void) {
  test_issue_example();
  test_shared_hours_bound();
  for (unsigned seed = 1; seed <= 300; seed++) one_program(seed, MM_SOLVER_AUTO, 1);
  printf("default path, whole model: %d programs, %d with clashes, %d proven\n", runs, clashed, proven);
  CHECK_EQ(proven, runs);
  CHECK_GE(clashed, runs / 5);
  runs = clashed = proven = exact = 0;
  for (unsigned seed = 1; seed <= 300; seed++) one_program(seed, MM_SOLVER_GLPK, 1);
  printf("--solver glpk, whole model: %d programs, %d with clashes, %d proven\n", runs, clashed, proven);
  CHECK_EQ(proven, runs);
  runs = clashed = proven = exact = 0;
  for (unsigned seed = 1; seed <= 300; seed++) one_program(seed, MM_SOLVER_AUTO, 0);
  printf("default path, neighbourhoods only: %d programs, %d with clashes, %d proven, %d equal to the "
         "exhaustive optimum\n", runs, clashed, proven, exact);
  runs = clashed = proven = exact = 0;
  spare_places = 1;
  for (unsigned seed = 1; seed <= 300; seed++) one_program(seed, MM_SOLVER_AUTO, 0);
  printf("neighbourhoods only, twice the capacity: %d programs, %d with clashes, %d proven, %d equal to the "
         "exhaustive optimum\n", runs, clashed, proven, exact);
  CHECK_GE(clashed, runs / 10);
  /* Every one of these reaches the exhaustive optimum today (a model the
   * fit skips as unable to gain must never cost a pair or score). */
  CHECK_EQ(exact, runs);
  return check_report("test_fit");
}
