/* test_rules.c: the program rules (GLPK integer program) against brute force, and their infeasible cases.
 *
 * Small random programs (up to 6 mentees, 3 mentors of capacity 1 or 2)
 * with random locations, countries, departments and groups, under random
 * rule settings: mm_match's answer must equal the best assignment found by
 * enumerating every assignment that keeps every rule, ordered by matches,
 * then mentors with a mentee (min_per_mentor), then the lowest score
 * (maxmin), then the total.  When the best keeps nobody matched although
 * pairs exist, mm_match must refuse with MM_ERR_INFEASIBLE.  Hand-made cases
 * check the messages of infeasible rules, and that a kept pair keeps its
 * slot.
 */
#include "check.h"

#include "mentormatch.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_E 6
#define MAX_M 3

static mm_error err;

typedef struct {
  const char *loc, *country, *dept, *group, *skills;
  int capacity;
  int priority; /* mentees: 0, 1 or 2 */
} person;

static const char *pick(unsigned *seed, const char *const *from, int n) { return from[rand_r(seed) % (unsigned)n]; }

static mm_problem *make_problem(const mm_options *o, const person *mentees, int n, const person *mentors, int m) {
  mm_problem *p = mm_problem_create(o, &err);
  mm_zone_period per = {INT64_MIN / 4, 0};
  int utc = mm_problem_add_zone(p, "UTC", &per, 1, &err);
  for (int side = 0; side < 2; side++) {
    const person *list = side == 0 ? mentors : mentees;
    for (int k = 0; k < (side == 0 ? m : n); k++) {
      mm_person x;
      mm_person_init(&x);
      char id[16];
      snprintf(id, sizeof id, "%s%d", side == 0 ? "M" : "E", k);
      x.id = id;
      x.zone = utc;
      mm_availability_parse("Mon-Fri 09:00-17:00", &x.availability, &err);
      mm_tag tag = {list[k].skills, 0};
      x.skills = &tag;
      x.n_skills = list[k].skills ? 1 : 0;
      x.location = list[k].loc;
      x.country = list[k].country;
      x.department = list[k].dept;
      x.group = list[k].group;
      x.capacity = list[k].capacity;
      x.priority = list[k].priority;
      CHECK_EQ(mm_problem_add_person(p, side == 0 ? MM_MENTOR : MM_MENTEE, &x, &err), MM_OK);
    }
  }
  return p;
}

/* ---- brute force --------------------------------------------------------- */

typedef struct {
  int n, m;
  const person *e, *r;
  const mm_options *o;
  int32_t score[MAX_E][MAX_M];
  int cur[MAX_E];
  int required[MAX_E]; /* mentor fixed by a require rule, or -1 */
  /* best so far: matches, covered, matches at priority 2, 1, 0, lowest, total */
  long long best[7];
  int found;
} brute;

static int differ(const char *a, const char *b) { return a && b && *a && *b && strcmp(a, b) != 0; }
static int both(const char *a, const char *b) { return a && b && *a && *b; }

static int keeps_rules(const brute *b) {
  const mm_options *o = b->o;
  long long across[MM_QUOTAS] = {0}, counted[MM_QUOTAS] = {0};
  for (int i = 0; i < b->n; i++) {
    int j = b->cur[i];
    if (j < 0) continue;
    const char *ea[3] = {b->e[i].loc, b->e[i].country, b->e[i].dept};
    const char *ra[3] = {b->r[j].loc, b->r[j].country, b->r[j].dept};
    for (int k = 0; k < MM_QUOTAS; k++) {
      counted[k] += both(ea[k], ra[k]);
      across[k] += differ(ea[k], ra[k]);
    }
    if (o->max_per_department && b->e[i].dept && *b->e[i].dept) {
      int same = 0;
      for (int x = 0; x < b->n; x++)
        same += b->cur[x] == j && b->e[x].dept && strcmp(b->e[x].dept, b->e[i].dept) == 0;
      if (same > o->max_per_department) return 0;
    }
  }
  for (int k = 0; k < MM_QUOTAS; k++)
    if (10000 * across[k] < (long long)o->quota_cross[k] * counted[k]) return 0;
  if (o->group_proportional) {
    long long givers = 0, matched = 0;
    for (int i = 0; i < b->n; i++) {
      int g = b->e[i].group && *b->e[i].group;
      givers += g;
      matched += g && b->cur[i] >= 0;
    }
    for (int i = 0; i < b->n; i++) {
      if (!b->e[i].group || !*b->e[i].group) continue;
      long long size = 0, got = 0;
      for (int x = 0; x < b->n; x++) {
        int same = b->e[x].group && strcmp(b->e[x].group, b->e[i].group) == 0;
        size += same;
        got += same && b->cur[x] >= 0;
      }
      if (got < size * matched / givers) return 0;
    }
  }
  return 1;
}

static void consider(brute *b) {
  if (!keeps_rules(b)) return;
  long long v[7] = {0, 0, 0, 0, 0, 1LL << 40, 0};
  int covered[MAX_M] = {0};
  for (int i = 0; i < b->n; i++) {
    if (b->cur[i] < 0) continue;
    int32_t s = b->score[i][b->cur[i]];
    v[0]++;
    covered[b->cur[i]] = 1;
    v[4 - b->e[i].priority]++;
    if (s < v[5]) v[5] = s;
    v[6] += s;
  }
  for (int j = 0; b->o->min_per_mentor && j < b->m; j++) v[1] += covered[j];
  if (!b->o->objective_maxmin) v[5] = 0;
  int better = !b->found;
  for (int k = 0; k < 7 && !better; k++) {
    if (v[k] != b->best[k]) {
      better = v[k] > b->best[k];
      break;
    }
  }
  if (better) memcpy(b->best, v, sizeof v);
  b->found = 1;
}

static void enumerate(brute *b, int i, int *load) {
  if (i >= b->n || i >= MAX_E) {
    consider(b);
    return;
  }
  b->cur[i] = -1;
  if (b->required[i] < 0) enumerate(b, i + 1, load);
  for (int j = 0; j < b->m; j++) {
    if (b->score[i][j] < 0 || load[j] >= b->r[j].capacity) continue;
    if (b->required[i] >= 0 && b->required[i] != j) continue;
    b->cur[i] = j;
    load[j]++;
    enumerate(b, i + 1, load);
    load[j]--;
  }
  b->cur[i] = -1;
}

static void random_options(unsigned *seed, mm_options *o) {
  int which = rand_r(seed) % 6;
  if (which == 0 || rand_r(seed) % 4 == 0) o->quota_cross[MM_QUOTA_LOCATION] = 2500 * (1 + rand_r(seed) % 4);
  if (which == 1 || rand_r(seed) % 5 == 0) o->quota_cross[MM_QUOTA_DEPARTMENT] = 5000;
  if (which == 2 || rand_r(seed) % 4 == 0) o->max_per_department = 1;
  if (which == 3 || rand_r(seed) % 5 == 0) o->group_proportional = 1;
  if (which == 4 || rand_r(seed) % 5 == 0) o->min_per_mentor = 1;
  if (which == 5 || rand_r(seed) % 5 == 0) o->objective_maxmin = 1;
}

/* Requires one random mentee's lowest-scoring eligible mentor: a fixed
 * pair that the rules (max-min above all) must count like any other. */
static void require_lowest(mm_problem *p, brute *b, unsigned *seed) {
  int i = rand_r(seed) % b->n, best = -1;
  for (int j = 0; j < b->m; j++)
    if (b->score[i][j] >= 0 && (best < 0 || b->score[i][j] < b->score[i][best])) best = j;
  if (best < 0) return;
  CHECK_EQ(mm_problem_add_rule(p, (size_t)i, (size_t)best, MM_RULE_REQUIRE, 1, &err), MM_OK);
  b->required[i] = best;
}

static void test_brute_force(void) {
  static const char *const places[] = {"paris", "lima", ""};
  static const char *const depts[] = {"eng", "ops", ""};
  static const char *const grp[] = {"a", "b", "c", ""};
  static const char *const skills[] = {"python", "sql", "go"};
  unsigned seed = 7;
  int infeasible = 0, compared = 0;
  for (int round = 0; round < 240; round++) {
    person e[MAX_E], r[MAX_M];
    int n = 3 + rand_r(&seed) % (MAX_E - 2), m = 1 + rand_r(&seed) % MAX_M;
    for (int i = 0; i < n; i++)
      e[i] = (person){pick(&seed, places, 3), pick(&seed, places, 2), pick(&seed, depts, 3), pick(&seed, grp, 4),
                      pick(&seed, skills, 3), 1, round % 3 == 0 ? rand_r(&seed) % 3 : 0};
    for (int j = 0; j < m; j++)
      r[j] = (person){pick(&seed, places, 3), pick(&seed, places, 2), pick(&seed, depts, 3), NULL,
                      pick(&seed, skills, 3), 1 + rand_r(&seed) % 2, 0};
    mm_options o;
    mm_options_init(&o);
    o.threads = 1;
    if (round % 3 != 0 || rand_r(&seed) % 2) random_options(&seed, &o);

    mm_problem *p = make_problem(&o, e, n, r, m);
    brute b = {.n = n, .m = m, .e = e, .r = r, .o = &o};
    int32_t scores[MAX_E * MAX_M];
    CHECK_EQ(mm_score_matrix(p, scores, &err), MM_OK);
    int any = 0;
    for (int i = 0; i < n; i++)
      for (int j = 0; j < m; j++) any |= (b.score[i][j] = scores[i * m + j]) >= 0;
    for (int i = 0; i < n; i++) b.required[i] = -1;
    if (round % 4 == 1) require_lowest(p, &b, &seed);
    int load[MAX_M] = {0};
    enumerate(&b, 0, load);
    mm_result *res = NULL;
    mm_error_clear(&err);
    mm_status st = mm_match(p, &res, &err);
    if (b.best[0] == 0 && any) {
      CHECK_EQ(st, MM_ERR_INFEASIBLE);
      infeasible++;
    } else {
      CHECK_EQ(st, MM_OK);
      if (st == MM_OK) {
        const mm_summary *s = mm_result_summary(res);
        CHECK_EQ(s->matched, b.best[0]);
        CHECK_EQ(s->total_score, b.best[6]);
        CHECK_STR_EQ(s->status, "optimal");
        if (strcmp(s->status, "optimal") != 0) fprintf(stderr, "round %d: %s\n", round, s->proof);
        compared++;
      } else {
        fprintf(stderr, "round %d: %s\n", round, err.message);
      }
    }
    mm_result_free(res);
    mm_problem_free(p);
  }
  printf("brute force: %d compared, %d infeasible\n", compared, infeasible);
  CHECK_GT(compared, 200);
}

/* Larger programs solved twice: over every eligible pair, and from a
 * shortlist of one mentor per mentee whose other pairs must come in through
 * pricing with the LP's duals.  Both are exact, so they must agree, and the
 * second must say it priced every other pair. */
static void test_shortlist_equals_full(void) {
  static const char *const places[] = {"paris", "lima", "oslo", ""};
  static const char *const depts[] = {"eng", "ops", "hr", ""};
  static const char *const skills[] = {"python", "sql", "go", "ml", "ux"};
  enum { N = 150, M = 12 };
  unsigned seed = 99;
  int priced = 0;
  for (int round = 0; round < 6; round++) {
    static person e[N], r[M];
    /* From round 3 on, every mentee's best mentor is the same one (the only
     * Python mentor), so the shortlist of one mentor per mentee cannot
     * match most of them: pairs must come in from outside. */
    bool crowded = round >= 3;
    for (int i = 0; i < N; i++)
      e[i] = (person){pick(&seed, places, 4), NULL, pick(&seed, depts, 4), NULL,
                      crowded ? "python" : pick(&seed, skills, 5), 1, round % 3 == 2 ? rand_r(&seed) % 2 : 0};
    for (int j = 0; j < M; j++)
      r[j] = (person){pick(&seed, places, 4), NULL, pick(&seed, depts, 4), NULL,
                      crowded ? (j == 0 ? "python" : pick(&seed, skills + 1, 4)) : pick(&seed, skills, 5),
                      1 + rand_r(&seed) % 3, 0};
    mm_options o;
    mm_options_init(&o);
    o.threads = 1;
    o.quota_cross[MM_QUOTA_LOCATION] = crowded ? 500 : 5000 + 1000 * (round % 4);
    o.max_per_department = round % 2 ? 1 : 0;
    o.min_per_mentor = round == 4;
    mm_result *res[2] = {NULL, NULL};
    for (int pass = 0; pass < 2; pass++) {
      if (pass) {
        o.full_graph_pairs = 0;
        o.candidates = 1;
      }
      mm_problem *p = make_problem(&o, e, N, r, M);
      CHECK_EQ(mm_match(p, &res[pass], &err), MM_OK);
      mm_problem_free(p);
    }
    if (!res[0] || !res[1]) continue;
    const mm_summary *a = mm_result_summary(res[0]), *b = mm_result_summary(res[1]);
    CHECK_EQ(a->matched, b->matched);
    CHECK_EQ(a->total_score, b->total_score);
    CHECK_STR_EQ(b->status, "optimal");
    CHECK_LT(b->candidates, a->candidates);
    CHECK_STR_CONTAINS(b->proof, "every other pair priced by the final LP's duals");
    priced += strstr(b->proof, "(1 round)") == NULL;
    mm_result_free(res[0]);
    mm_result_free(res[1]);
  }
  /* How often pricing brought pairs in depends on the candidate selection
   * (its tie-break spreads mentors' lists), so it is reported, not required. */
  printf("shortlist: %d of 6 programs needed pairs brought in from outside\n", priced);
}

/* Everyone in one place: no pair crosses locations, so a quota cannot be
 * met by any assignment with a pair. */
static void test_infeasible_quota(void) {
  person e[3] = {{"paris", 0, 0, 0, "go", 1, 0}, {"paris", 0, 0, 0, "go", 1, 0}, {"paris", 0, 0, 0, "sql", 1, 0}};
  person r[2] = {{"Paris", 0, 0, 0, "go", 1, 0}, {"paris", 0, 0, 0, "go", 2, 0}};
  mm_options o;
  mm_options_init(&o);
  o.quota_cross[MM_QUOTA_LOCATION] = 5000;
  mm_problem *p = make_problem(&o, e, 3, r, 2);
  mm_result *res = NULL;
  mm_error_clear(&err);
  CHECK_EQ(mm_match(p, &res, &err), MM_ERR_INFEASIBLE);
  CHECK(res == NULL);
  CHECK_STR_EQ(err.field, "quota.cross_location");
  CHECK_STR_CONTAINS(err.message, "quota.cross_location = 0.5 cannot be met by any assignment with at least one pair");
  CHECK_STR_CONTAINS(err.message, "of 6 candidate pairs where both give a location, 0 are across locations");
  mm_problem_free(p);
  /* The same people with one mentor elsewhere: met, by that mentor's pairs. */
  r[0].loc = "lima";
  p = make_problem(&o, e, 3, r, 2);
  CHECK_EQ(mm_match(p, &res, &err), MM_OK);
  const mm_summary *s = mm_result_summary(res);
  CHECK_EQ(s->quota_across[MM_QUOTA_LOCATION], 1);
  CHECK_EQ(s->quota_known[MM_QUOTA_LOCATION], 2);
  CHECK_EQ(s->matched, 2);
  mm_result_free(res);
  mm_problem_free(p);
}

/* Required pairs that already give a mentor three mentees of one department. */
static void test_infeasible_department(void) {
  person e[3] = {{0, 0, "eng", 0, "go", 1, 0}, {0, 0, "Eng", 0, "go", 1, 0}, {0, 0, "eng", 0, "go", 1, 0}};
  person r[1] = {{0, 0, "ops", 0, "go", 3, 0}};
  mm_options o;
  mm_options_init(&o);
  o.max_per_department = 2;
  mm_problem *p = make_problem(&o, e, 3, r, 1);
  for (size_t i = 0; i < 3; i++) CHECK_EQ(mm_problem_add_rule(p, i, 0, MM_RULE_REQUIRE, (long)i + 2, &err), MM_OK);
  mm_result *res = NULL;
  CHECK_EQ(mm_match(p, &res, &err), MM_ERR_INFEASIBLE);
  CHECK_STR_EQ(err.field, "max_per_department");
  CHECK_STR_CONTAINS(err.message, "max_per_department = 2, but required or kept pairs already give mentor \"M0\" 3 "
                                  "mentees of department \"eng\": E0, E1, E2");
  mm_problem_free(p);
  /* Two required, the third free: the rule leaves the third unmatched. */
  p = make_problem(&o, e, 3, r, 1);
  for (size_t i = 0; i < 2; i++) CHECK_EQ(mm_problem_add_rule(p, i, 0, MM_RULE_REQUIRE, (long)i + 2, &err), MM_OK);
  CHECK_EQ(mm_match(p, &res, &err), MM_OK);
  CHECK_EQ(mm_result_summary(res)->matched, 2);
  mm_result_free(res);
  mm_problem_free(p);
}

/* A kept pair meets at its kept slot, not where the scheduler would put it. */
static void test_kept_slot(void) {
  person e[1] = {{0, 0, 0, 0, "go", 1, 0}};
  person r[1] = {{0, 0, 0, 0, "go", 1, 0}};
  mm_options o;
  mm_options_init(&o);
  for (int pinned = 0; pinned < 2; pinned++) {
    mm_problem *p = make_problem(&o, e, 1, r, 1);
    mm_slot_pin pin = {2, 15 * 60 + 15}; /* Wed 15:15 */
    CHECK_EQ(mm_problem_add_kept(p, 0, 0, pinned ? &pin : NULL, 2, &err), MM_OK);
    mm_result *res = NULL;
    CHECK_EQ(mm_match(p, &res, &err), MM_OK);
    const mm_pair *pr = mm_result_pair(res, 0);
    CHECK_EQ(pr->required, 2);
    CHECK_EQ(pr->scheduled, 1);
    if (pinned) {
      CHECK_EQ(pr->slot_weekday, 2);
      CHECK_EQ(pr->slot_minute, 15 * 60 + 15);
    } else {
      CHECK(pr->slot_weekday != 2 || pr->slot_minute != 15 * 60 + 15);
    }
    mm_result_free(res);
    mm_problem_free(p);
  }
}

/* A pair both required (pairs file) and kept (--keep) is a running pair,
 * whichever of the two was read first. */
static void test_required_and_kept(void) {
  person e[1] = {{0, 0, 0, 0, "go", 1, 0}};
  person r[1] = {{0, 0, 0, 0, "go", 1, 0}};
  mm_options o;
  mm_options_init(&o);
  for (int kept_first = 0; kept_first < 2; kept_first++) {
    mm_problem *p = make_problem(&o, e, 1, r, 1);
    if (kept_first) CHECK_EQ(mm_problem_add_kept(p, 0, 0, NULL, 3, &err), MM_OK);
    CHECK_EQ(mm_problem_add_rule(p, 0, 0, MM_RULE_REQUIRE, 2, &err), MM_OK);
    if (!kept_first) CHECK_EQ(mm_problem_add_kept(p, 0, 0, NULL, 3, &err), MM_OK);
    mm_result *res = NULL;
    CHECK_EQ(mm_match(p, &res, &err), MM_OK);
    CHECK_EQ(mm_result_pair_count(res), 1);
    CHECK_EQ(mm_result_pair(res, 0)->required, 2);
    mm_result_free(res);
    mm_problem_free(p);
  }
}

int main(void) {
  test_brute_force();
  test_shortlist_equals_full();
  test_infeasible_quota();
  test_infeasible_department();
  test_kept_slot();
  test_required_and_kept();
  return check_report("test_rules");
}
