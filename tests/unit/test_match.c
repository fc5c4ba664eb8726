/* test_match.c: scoring criteria, eligibility rules, the lexicographic objective and mm_match end to end.
 *
 * Problems are built in memory through the public API with hand-made zone
 * periods, so each expectation can be worked out by hand; a random problem
 * then checks that the vectorised row kernel agrees with the straightforward
 * per-pair path, that results do not depend on the thread count, and that
 * the pruned graph plus the dual proof reaches the same optimum as solving
 * every pair.
 */
#include "check.h"

#include "candidates.h"
#include "score.h"
#include "solver.h"
#include "stable.h"

#include <stdlib.h>
#include <string.h>

static mm_error err;

static mm_options base_options(void) {
  mm_options o;
  mm_options_init(&o);
  o.start_year = 2027;
  o.start_month = 3;
  o.start_day = 1;
  o.weight[MM_CRIT_SKILLS] = 0.4;
  o.weight[MM_CRIT_GOALS] = 0.3;
  o.weight[MM_CRIT_TIMEZONE] = 0.2;
  o.weight[MM_CRIT_DIVERSITY] = 0.1;
  return o;
}

/* A zone with a fixed offset (hours), covering all time. */
static int fixed_zone(mm_problem *p, const char *name, int offset_minutes) {
  mm_zone_period per = {INT64_MIN / 4, offset_minutes * 60};
  return mm_problem_add_zone(p, name, &per, 1, &err);
}

typedef struct {
  const char *id, *avail, *skills, *goals, *langs, *loc, *country, *dept, *manager;
  int zone, capacity, has_seniority;
  long seniority;
} spec;

/* Splits "a:3;b" style lists into tags. */
static size_t split_tags(const char *text, char buf[][64], mm_tag *tags, const char **names) {
  size_t n = 0;
  if (!text) return 0;
  const char *s = text;
  while (*s && n < 16) {
    size_t len = strcspn(s, ";");
    char item[64];
    snprintf(item, sizeof item, "%.*s", (int)len, s);
    char *colon = strchr(item, ':');
    int level = 0;
    if (colon) {
      *colon = '\0';
      level = atoi(colon + 1);
    }
    snprintf(buf[n], 64, "%s", item);
    if (tags) tags[n] = (mm_tag){buf[n], level};
    if (names) names[n] = buf[n];
    n++;
    s += len;
    if (*s == ';') s++;
  }
  return n;
}

static void add(mm_problem *p, mm_side side, spec sp) {
  mm_person person;
  mm_person_init(&person);
  char sbuf[16][64], gbuf[16][64], lbuf[16][64];
  mm_tag skills[16];
  const char *goals[16], *langs[16];
  person.id = sp.id;
  person.zone = sp.zone;
  CHECK_EQ(mm_availability_parse(sp.avail ? sp.avail : "Mon-Fri 09:00-17:00", &person.availability, &err), MM_OK);
  person.skills = skills;
  person.n_skills = split_tags(sp.skills, sbuf, skills, NULL);
  person.goals = goals;
  person.n_goals = split_tags(sp.goals, gbuf, NULL, goals);
  person.languages = langs;
  person.n_languages = split_tags(sp.langs, lbuf, NULL, langs);
  person.location = sp.loc;
  person.country = sp.country;
  person.department = sp.dept;
  person.manager_id = sp.manager;
  person.has_seniority = sp.has_seniority;
  person.seniority = sp.seniority;
  person.capacity = sp.capacity ? sp.capacity : 1;
  mm_status st = mm_problem_add_person(p, side, &person, &err);
  CHECK_EQ(st, MM_OK);
}

static void test_criteria(void) {
  mm_options o = base_options();
  mm_problem *p = mm_problem_create(&o, &err);
  int utc = fixed_zone(p, "UTC", 0);
  add(p, MM_MENTEE, (spec){.id = "E1", .zone = utc, .skills = "python:4;sql:2", .goals = "growth;network;speaking", .loc = "London", .country = "UK", .dept = "Eng"});
  add(p, MM_MENTOR, (spec){.id = "FULL", .zone = utc, .skills = "python:5;sql:3", .goals = "growth;network;speaking", .loc = "Tokyo", .country = "Japan", .dept = "Sales"});
  add(p, MM_MENTOR, (spec){.id = "PART", .zone = utc, .skills = "python:2", .goals = "growth", .loc = "London", .country = "UK", .dept = "Eng"});
  add(p, MM_MENTOR, (spec){.id = "NARROW", .zone = utc, .avail = "Mon 09:00-10:00", .loc = "london", .country = "uk", .dept = "Data"});
  mm_scorer *s = mm_scorer_create(p, 1, &err);
  CHECK(s != NULL);
  int32_t part[MM_CRITERIA];
  unsigned why;
  /* FULL: all skills and goals covered, 40 h of common starts, all three places differ. */
  CHECK_EQ(mm_score_pair(s, 0, 0, part, &why), 10000);
  CHECK_EQ(part[MM_CRIT_SKILLS], 4000);
  CHECK_EQ(part[MM_CRIT_GOALS], 3000);
  CHECK_EQ(part[MM_CRIT_TIMEZONE], 2000);
  CHECK_EQ(part[MM_CRIT_DIVERSITY], 1000);
  CHECK_EQ(why, 0);
  /* PART: python 2 of wanted 4 = 0.5, sql absent = 0 -> 0.25 of 0.4; one goal of three. */
  CHECK_EQ(mm_score_pair(s, 0, 1, part, &why), 1000 + 1000 + 2000 + 0);
  CHECK_EQ(part[MM_CRIT_SKILLS], 1000);
  CHECK_EQ(part[MM_CRIT_GOALS], 1000);
  CHECK_EQ(part[MM_CRIT_DIVERSITY], 0);
  /* NARROW: one hour on Monday = one 60-minute start of 40 -> 0.2 * 1/40 = 50;
   * location and country compare case-insensitively: only the department differs. */
  CHECK_EQ(mm_score_pair(s, 0, 2, part, &why), 50 + 333);
  CHECK_EQ(part[MM_CRIT_TIMEZONE], 50);
  CHECK_EQ(part[MM_CRIT_DIVERSITY], 333);
  mm_score_scratch *x = mm_score_scratch_create(s);
  const int32_t *row = mm_score_row(s, x, 0);
  CHECK_EQ(row[0], 10000);
  CHECK_EQ(row[1], 4000);
  CHECK_EQ(row[2], 383);
  mm_score_scratch_free(x);
  mm_scorer_free(s);
  mm_problem_free(p);
}

static void test_timezone_overlap(void) {
  mm_options o = base_options();
  mm_problem *p = mm_problem_create(&o, &err);
  int ny = fixed_zone(p, "Fixed-5", -5 * 60), kol = fixed_zone(p, "Fixed+5:30", 5 * 60 + 30);
  int utc = fixed_zone(p, "UTC", 0);
  /* Mentee in UTC-5 09:00-17:00 = 14:00-22:00 UTC. */
  add(p, MM_MENTEE, (spec){.id = "E1", .zone = ny, .avail = "Mon-Fri 09:00-17:00"});
  /* Kolkata 18:30-21:00 = 13:00-15:30 UTC: overlap 14:00-15:30, 90 min, starts 14:00-14:30 = 3/day. */
  add(p, MM_MENTOR, (spec){.id = "K", .zone = kol, .avail = "Mon-Fri 18:30-21:00"});
  /* UTC 22:00-23:00: touches the end, no overlap. */
  add(p, MM_MENTOR, (spec){.id = "U", .zone = utc, .avail = "Mon-Fri 22:00-23:00"});
  mm_scorer *s = mm_scorer_create(p, 1, &err);
  int32_t part[MM_CRITERIA];
  unsigned why;
  CHECK_EQ(mm_score_pair(s, 0, 0, part, &why), part[0] + part[1] + part[2] + part[3]);
  CHECK_EQ(part[MM_CRIT_TIMEZONE], 750); /* 15 starts of 40 */
  CHECK_EQ(why, 0);
  CHECK_EQ(mm_score_pair(s, 0, 1, part, &why), -1);
  CHECK_EQ(why, MM_INELIG_OVERLAP);
  mm_scorer_free(s);
  mm_problem_free(p);
}

static void test_eligibility(void) {
  mm_options o = base_options();
  mm_problem *p = mm_problem_create(&o, &err);
  int utc = fixed_zone(p, "UTC", 0);
  add(p, MM_MENTEE, (spec){.id = "P1", .zone = utc, .langs = "English;Hindi", .manager = "BOSS", .has_seniority = 1, .seniority = 3});
  add(p, MM_MENTOR, (spec){.id = "P1", .zone = utc});                                             /* self */
  add(p, MM_MENTOR, (spec){.id = "BOSS", .zone = utc});                                           /* manager */
  add(p, MM_MENTOR, (spec){.id = "FR", .zone = utc, .langs = "French"});                           /* language */
  add(p, MM_MENTOR, (spec){.id = "JR", .zone = utc, .has_seniority = 1, .seniority = 3});          /* seniority */
  add(p, MM_MENTOR, (spec){.id = "NIGHT", .zone = utc, .avail = "Sat 01:00-02:00"});                /* overlap */
  add(p, MM_MENTOR, (spec){.id = "NO", .zone = utc});                                             /* forbidden */
  add(p, MM_MENTOR, (spec){.id = "ZERO", .zone = utc});                                           /* capacity 0 below */
  add(p, MM_MENTOR, (spec){.id = "OK", .zone = utc, .langs = "hindi", .has_seniority = 1, .seniority = 4});
  CHECK_EQ(mm_problem_add_rule(p, 0, 5, MM_RULE_FORBID, 2, &err), MM_OK);
  p->side[MM_MENTOR].capacity[6] = 0;
  mm_scorer *s = mm_scorer_create(p, 1, &err);
  static const unsigned expected[] = {MM_INELIG_SELF,      MM_INELIG_MANAGER, MM_INELIG_LANGUAGE,
                                      MM_INELIG_SENIORITY, MM_INELIG_OVERLAP, MM_INELIG_FORBIDDEN,
                                      MM_INELIG_CAPACITY0, 0};
  mm_score_scratch *x = mm_score_scratch_create(s);
  const int32_t *row = mm_score_row(s, x, 0);
  for (uint32_t j = 0; j < 8; j++) {
    unsigned why = 99;
    int32_t v = mm_score_pair(s, 0, j, NULL, &why);
    CHECK_EQ(why, expected[j]);
    CHECK_EQ(row[j], v);
    CHECK_EQ(v < 0, expected[j] != 0);
  }
  mm_score_scratch_free(x);
  mm_scorer_free(s);
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  CHECK_EQ(mm_result_pair_count(r), 1);
  CHECK_EQ(mm_result_pair(r, 0)->mentor, 7);
  mm_result_free(r);
  mm_problem_free(p);
}

/* Mentee A likes X best (and Y a little), B can only take X: max score alone
 * would give X to A and leave B out; the lexicographic optimum matches both. */
static void test_lexicographic(void) {
  mm_options o = base_options();
  for (int solver = MM_SOLVER_GLPK; solver <= MM_SOLVER_FLOW; solver++) {
    o.solver = (mm_solver)solver;
    mm_problem *p = mm_problem_create(&o, &err);
    int utc = fixed_zone(p, "UTC", 0);
    add(p, MM_MENTEE, (spec){.id = "A", .zone = utc, .skills = "python:3", .goals = "growth"});
    add(p, MM_MENTEE, (spec){.id = "B", .zone = utc, .langs = "German", .skills = "cooking"});
    add(p, MM_MENTOR, (spec){.id = "X", .zone = utc, .langs = "German;English", .skills = "python:5", .goals = "growth"});
    add(p, MM_MENTOR, (spec){.id = "Y", .zone = utc, .langs = "English", .avail = "Mon 09:00-10:00"});
    mm_result *r = NULL;
    CHECK_EQ(mm_match(p, &r, &err), MM_OK);
    CHECK_EQ(mm_result_summary(r)->matched, 2);
    CHECK_STR_EQ(mm_result_summary(r)->status, "optimal");
    CHECK_EQ(mm_result_pair(r, 0)->mentor, 1); /* A gets Y */
    CHECK_EQ(mm_result_pair(r, 1)->mentor, 0); /* B gets X */
    CHECK_EQ(mm_result_summary(r)->bound, mm_result_summary(r)->total_score);
    mm_result_free(r);
    mm_problem_free(p);
  }
}

static void test_required(void) {
  mm_options o = base_options();
  mm_problem *p = mm_problem_create(&o, &err);
  int utc = fixed_zone(p, "UTC", 0);
  add(p, MM_MENTEE, (spec){.id = "A", .zone = utc, .skills = "python"});
  add(p, MM_MENTOR, (spec){.id = "GOOD", .zone = utc, .skills = "python:5"});
  add(p, MM_MENTOR, (spec){.id = "MEH", .zone = utc, .langs = "French"});
  CHECK_EQ(mm_problem_add_rule(p, 0, 1, MM_RULE_REQUIRE, 7, &err), MM_OK);
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  CHECK_EQ(mm_result_pair(r, 0)->mentor, 1);
  CHECK_EQ(mm_result_pair(r, 0)->required, 1);
  mm_result_free(r);
  /* Requiring an ineligible pair is an error naming the rule's line. */
  add(p, MM_MENTEE, (spec){.id = "B", .zone = utc, .langs = "German"});
  CHECK_EQ(mm_problem_add_rule(p, 1, 1, MM_RULE_REQUIRE, 9, &err), MM_OK);
  mm_error_clear(&err);
  CHECK_EQ(mm_match(p, &r, &err), MM_ERR_INFEASIBLE);
  CHECK_EQ(err.line, 9);
  CHECK_STR_CONTAINS(err.message, "share no language");
  mm_problem_free(p);
}

/* X (capacity 3) and Y (capacity 1) share one 2-hour window, room for two
 * 60-minute meetings each; four mentees fit only there.  X's week fills
 * with two mentees, Y's place with one, and the fourth mentee is left out
 * by both limits: every sentence names the limit that binds. */
static void test_week_full_reasons(void) {
  mm_options o = base_options();
  mm_problem *p = mm_problem_create(&o, &err);
  int utc = fixed_zone(p, "UTC", 0);
  add(p, MM_MENTOR, (spec){.id = "X", .zone = utc, .capacity = 3, .avail = "Mon 09:00-11:00"});
  add(p, MM_MENTOR, (spec){.id = "Y", .zone = utc, .capacity = 1, .avail = "Mon 09:00-11:00"});
  static const char *const ids[4] = {"A", "B", "C", "D"};
  for (int i = 0; i < 4; i++) add(p, MM_MENTEE, (spec){.id = ids[i], .zone = utc, .avail = "Mon 09:00-11:00"});
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  const mm_summary *sum = mm_result_summary(r);
  CHECK_EQ(sum->matched, 3);
  CHECK_EQ(sum->mentors_week_full, 1);
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    int nomem = 1;
    char *note = mm_pair_note(p, pr, &nomem);
    CHECK_EQ(nomem, 0);
    if (pr->mentor == 0) {
      CHECK_EQ(pr->mentor_places_without_hours, 1);
      CHECK(note != NULL);
      if (note) CHECK_STR_EQ(note, "this mentor has 1 free place but no free weekly hours left for another mentee");
    } else {
      CHECK_EQ(pr->mentor_places_without_hours, 0);
      CHECK(note == NULL);
    }
    free(note);
  }
  CHECK_EQ(mm_result_left_out_count(r), 1);
  CHECK_STR_EQ(mm_result_left_out(r, 0)->reason,
               "every eligible mentor is full (2 eligible): 1 at capacity, 1 with places left but their free "
               "weekly hours do not overlap yours");
  /* Both sentences of a note, joined; a count other than one is plural. */
  mm_pair moved = *mm_result_pair(r, 0);
  moved.moved_from = 1;
  moved.rank = 2;
  moved.mentor_places_without_hours = 2;
  int nomem = 1;
  char *note = mm_pair_note(p, &moved, &nomem);
  CHECK(note != NULL);
  if (note)
    CHECK_STR_EQ(note, "moved from mentor Y, whose weekly hours had no room left for this mentee's; this mentor "
                       "is eligible choice 2 by score; this mentor has 2 free places but no free weekly hours "
                       "left for another mentee");
  free(note);
  mm_result_free(r);
  mm_problem_free(p);
}

/* A random program in a few zones, one of them with a clock change inside
 * the program; with rare > 0, a third of the people also hold one of rare
 * skills few others hold (the scorer keeps those as sparse columns). */
static mm_problem *random_program(uint32_t n, uint32_t m, unsigned seed, int threads, int candidates, int rare) {
  mm_options o = base_options();
  o.threads = threads;
  o.candidates = candidates;
  mm_problem *p = mm_problem_create(&o, &err);
  int zones[4];
  zones[0] = fixed_zone(p, "UTC", 0);
  zones[1] = fixed_zone(p, "Fixed+5:30", 330);
  zones[2] = fixed_zone(p, "Fixed-3", -180);
  mm_zone_period dst[2] = {{INT64_MIN / 4, -5 * 3600}, {p->frame_start + 13 * 86400 + 7 * 3600, -4 * 3600}};
  zones[3] = mm_problem_add_zone(p, "Fake/NewYork", dst, 2, &err);
  static const char *avails[] = {"Mon-Fri 09:00-17:00", "Tue,Thu 14:00-18:30", "Mon-Wed 07:00-11:00; Sat 09:00-12:00",
                                 "Mon-Fri 12:00-20:00", "Wed-Fri 16:00-22:00"};
  static const char *skill_names[] = {"python", "sql", "go", "speaking", "leadership", "ml", "ux", "finance"};
  static const char *goal_names[] = {"growth", "network", "depth", "balance", "management"};
  static const char *places[] = {"London", "Tokyo", "Lagos", "Lima"};
  srand(seed);
  char id[32], skills[128], goals[64];
  for (int side = 0; side < 2; side++) {
    uint32_t count = side == MM_MENTOR ? m : n;
    for (uint32_t k = 0; k < count; k++) {
      snprintf(id, sizeof id, "%c%u", side == MM_MENTOR ? 'M' : 'E', k);
      skills[0] = goals[0] = '\0';
      int ns = 1 + rand() % 4, ng = rand() % 3;
      for (int t = 0; t < ns; t++)
        snprintf(skills + strlen(skills), sizeof skills - strlen(skills), "%s%s:%d", t ? ";" : "",
                 skill_names[rand() % 8], 1 + rand() % 5);
      if (rare > 0 && rand() % 3 == 0)
        snprintf(skills + strlen(skills), sizeof skills - strlen(skills), ";rare%d:%d", rand() % rare, 1 + rand() % 5);
      for (int t = 0; t < ng; t++)
        snprintf(goals + strlen(goals), sizeof goals - strlen(goals), "%s%s", t ? ";" : "", goal_names[rand() % 5]);
      add(p, (mm_side)side, (spec){.id = id, .zone = zones[rand() % 4], .avail = avails[rand() % 5], .skills = skills,
                                   .goals = goals, .loc = places[rand() % 4], .country = places[rand() % 3],
                                   .dept = places[rand() % 2], .langs = rand() % 7 == 0 ? "French" : "English",
                                   .capacity = 1 + rand() % 3, .has_seniority = rand() % 2, .seniority = rand() % 8});
    }
  }
  return p;
}

static mm_problem *random_problem(uint32_t n, uint32_t m, unsigned seed, int threads, int candidates) {
  return random_program(n, m, seed, threads, candidates, 0);
}

static void test_kernel_matches_pair_path(void) {
  mm_problem *p = random_problem(150, 60, 11, 2, 16);
  mm_scorer *s = mm_scorer_create(p, 2, &err);
  mm_score_scratch *x = mm_score_scratch_create(s);
  int mismatches = 0;
  for (uint32_t i = 0; i < 150; i++) {
    const int32_t *row = mm_score_row(s, x, i);
    for (uint32_t j = 0; j < 60; j++) mismatches += row[j] != mm_score_pair(s, i, j, NULL, NULL);
  }
  CHECK_EQ(mismatches, 0);
  mm_score_scratch_free(x);
  mm_scorer_free(s);
  mm_problem_free(p);
}

/* The proof scores rows against a packed subset of mentors: every entry
 * must equal the whole row's, for subsets of every size (none, some, all). */
static void test_subset_rows_match_whole_rows(void) {
  mm_problem *p = random_problem(150, 60, 17, 2, 16);
  for (uint32_t i = 0; i < 150; i += 3) CHECK_EQ(mm_problem_add_rule(p, i, (i * 7) % 60, MM_RULE_FORBID, 2, &err), MM_OK);
  mm_scorer *s = mm_scorer_create(p, 1, &err);
  mm_score_scratch *x = mm_score_scratch_create(s), *y = mm_score_scratch_create(s);
  uint32_t cols[60];
  int mismatches = 0, compared = 0;
  for (uint32_t every = 1; every <= 7; every++) {
    uint32_t k = 0;
    for (uint32_t j = every - 1; j < 60; j += every) cols[k++] = j;
    if (every == 7) k = 0;
    mm_score_cols *sub = mm_score_cols_create(s, cols, k);
    CHECK(sub != NULL);
    for (uint32_t i = 0; i < 150; i++) {
      const int32_t *row = mm_score_row(s, x, i);
      const int32_t *some = mm_score_cols_row(s, sub, y, i);
      for (uint32_t t = 0; t < k; t++) {
        mismatches += some[t] != row[cols[t]];
        compared++;
      }
    }
    mm_score_cols_free(sub);
  }
  CHECK_EQ(mismatches, 0);
  CHECK(compared > 150 * 60);
  mm_score_scratch_free(x);
  mm_score_scratch_free(y);
  mm_scorer_free(s);
  mm_problem_free(p);
}

/* The proof packs its mentors by price, not by index, and scores each row
 * against a prefix of them, of another length from row to row, so the
 * scratch's tables are filled a piece at a time and extended: every entry
 * must still equal the whole row's, whatever the order the rows come in. */
static void test_prefix_rows_match_whole_rows(void) {
  mm_problem *p = random_program(150, 60, 23, 2, 16, 12);
  for (uint32_t i = 1; i < 150; i += 4) CHECK_EQ(mm_problem_add_rule(p, i, (i * 11) % 60, MM_RULE_FORBID, 2, &err), MM_OK);
  mm_scorer *s = mm_scorer_create(p, 1, &err);
  mm_score_scratch *x = mm_score_scratch_create(s), *y = mm_score_scratch_create(s);
  uint32_t cols[60];
  for (uint32_t t = 0; t < 60; t++) cols[t] = (t * 37 + 5) % 60; /* every mentor, shuffled */
  mm_score_cols *sub = mm_score_cols_create(s, cols, 60);
  CHECK(sub != NULL);
  int mismatches = 0, compared = 0;
  for (uint32_t pass = 0; pass < 3; pass++) {
    for (uint32_t q = 0; q < 150; q++) {
      uint32_t i = pass == 0 ? q : pass == 1 ? 149 - q : (q * 53) % 150;
      /* Rows repeat with a longer prefix than before, or a shorter one. */
      for (uint32_t rep = 0; rep < 2; rep++) {
        uint32_t k = (i * 7 + pass * 13 + rep * 29) % 62; /* 60 and 61: the whole pack */
        const int32_t *row = mm_score_row(s, x, i);
        const int32_t *some = mm_score_cols_prefix(s, sub, y, i, k);
        for (uint32_t t = 0; t < k && t < 60; t++) {
          mismatches += some[t] != row[cols[t]];
          compared++;
        }
      }
    }
  }
  CHECK_EQ(mismatches, 0);
  CHECK(compared > 150 * 60);
  mm_score_cols_free(sub);
  mm_score_scratch_free(x);
  mm_score_scratch_free(y);
  mm_scorer_free(s);
  mm_problem_free(p);
}

static int same_results(const mm_result *a, const mm_result *b) {
  if (mm_result_pair_count(a) != mm_result_pair_count(b)) return 0;
  for (size_t k = 0; k < mm_result_pair_count(a); k++) {
    const mm_pair *x = mm_result_pair(a, k), *y = mm_result_pair(b, k);
    if (x->mentee != y->mentee || x->mentor != y->mentor || x->score != y->score ||
        x->slot_weekday != y->slot_weekday || x->slot_minute != y->slot_minute)
      return 0;
  }
  if (mm_result_left_out_count(a) != mm_result_left_out_count(b)) return 0;
  for (size_t k = 0; k < mm_result_left_out_count(a); k++)
    if (strcmp(mm_result_left_out(a, k)->reason, mm_result_left_out(b, k)->reason) != 0) return 0;
  return mm_result_summary(a)->total_score == mm_result_summary(b)->total_score;
}

static void test_threads_same_result(void) {
  mm_result *r1 = NULL, *r2 = NULL;
  mm_problem *p1 = random_problem(400, 120, 5, 1, 16), *p2 = random_problem(400, 120, 5, 2, 16);
  CHECK_EQ(mm_match(p1, &r1, &err), MM_OK);
  CHECK_EQ(mm_match(p2, &r2, &err), MM_OK);
  CHECK(same_results(r1, r2));
  CHECK_EQ(mm_result_summary(r1)->threads, 1);
  CHECK_EQ(mm_result_summary(r2)->threads, 2);
  mm_result_free(r1);
  mm_result_free(r2);
  mm_problem_free(p1);
  mm_problem_free(p2);
}

static int key_descending(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x < y) - (x > y);
}

/* The want-th largest key of row i's eligible pairs (score << 32 |
 * tie-break, or the tie-break alone), or INT64_MIN when fewer; keys is
 * scratch for m. */
static int64_t row_bar(const int32_t *row, uint32_t m, uint32_t i, uint32_t want, int by_score, int64_t *keys) {
  uint32_t got = 0;
  for (uint32_t j = 0; j < m; j++)
    if (row[j] >= 0) keys[got++] = (by_score ? (int64_t)row[j] << 32 : 0) | mm_pair_tiebreak(i, j);
  qsort(keys, got, sizeof *keys, key_descending);
  return got >= want ? keys[want - 1] : INT64_MIN;
}

/* c against its definition (candidates.h) over the score matrix. */
static void check_candidates(const mm_candidates *c, const int32_t *dense, const int32_t *cap, uint32_t keep) {
  uint32_t n = c->n, m = c->m;
  int bad_edges = 0, missing = 0, over_row = 0, over_col = 0, bad_counts = 0;
  int64_t *keys = malloc(m * sizeof *keys);
  for (uint32_t j = 0; j < m; j++) {
    uint32_t col = 0;
    for (uint32_t i = 0; i < n; i++) col += dense[(size_t)i * m + j] >= 0;
    bad_counts += c->mentor_elig[j] != col;
  }
  for (uint32_t i = 0; i < n; i++) {
    const int32_t *row = dense + (size_t)i * m;
    uint32_t elig = 0;
    for (uint32_t j = 0; j < m; j++) elig += row[j] >= 0;
    bad_counts += c->elig[i] != elig;
    for (uint64_t e = c->off[i]; e < c->off[i + 1]; e++) {
      bad_edges += row[c->adj[e]] < 0 || c->w[e] != row[c->adj[e]];
      bad_edges += e > c->off[i] && c->adj[e] <= c->adj[e - 1];
    }
    int64_t best_bar = row_bar(row, m, i, keep, 1, keys);
    int64_t spread_bar = row_bar(row, m, i, MM_ROW_SPREAD, 0, keys);
    for (uint32_t j = 0; j < m; j++) {
      if (row[j] < 0) continue;
      int in = mm_candidates_edge(c, i, j) >= 0;
      int64_t tie = mm_pair_tiebreak(i, j);
      missing += !in && ((((int64_t)row[j] << 32) | tie) >= best_bar || tie >= spread_bar);
      if (in) continue;
      over_row += c->kth[i] < 0 || row[j] > c->kth[i];
      over_col += cap[j] > 0 && (c->col_kth[j] < 0 || row[j] > c->col_kth[j]);
    }
  }
  CHECK_EQ(bad_edges, 0);
  CHECK_EQ(bad_counts, 0);
  CHECK_EQ(missing, 0);
  CHECK_EQ(over_row, 0);
  CHECK_EQ(over_col, 0);
  free(keys);
}

static int same_candidates(const mm_candidates *a, const mm_candidates *b) {
  uint32_t n = a->n, m = a->m;
  if (b->n != n || b->m != m || memcmp(a->off, b->off, (n + 1) * sizeof *a->off) != 0) return 0;
  size_t edges = a->off[n];
  return memcmp(a->adj, b->adj, edges * sizeof *a->adj) == 0 && memcmp(a->w, b->w, edges * sizeof *a->w) == 0 &&
         memcmp(a->kth, b->kth, n * sizeof *a->kth) == 0 && memcmp(a->elig, b->elig, n * sizeof *a->elig) == 0 &&
         memcmp(a->mentor_elig, b->mentor_elig, m * sizeof *a->mentor_elig) == 0 &&
         memcmp(a->col_kth, b->col_kth, m * sizeof *a->col_kth) == 0;
}

/* The candidate graph against its definition, for rosters as wide as the
 * row pass's chunks and either side of their edges (the first chunk is 64
 * mentors, the next ones 1,024), at 1 and 2 threads: every edge is an
 * eligible pair with its score, in mentor order; each row holds its `keep`
 * best mentors by (score, tie-break) and its spread; every eligible pair
 * left out scores at most its row's kth and its mentor's col_kth; the
 * eligible counts are right; and both thread counts build the same graph.
 * 300 mentees: more than a mentor's buffers hold, so they are cut. */
static void test_candidates_by_definition(void) {
  static const uint32_t widths[] = {5, 63, 64, 65, 1087, 1088, 1089, 2200};
  uint32_t n = 300, keep = 4;
  for (size_t t = 0; t < sizeof widths / sizeof *widths; t++) {
    uint32_t m = widths[t];
    mm_problem *p = random_problem(n, m, 40 + (unsigned)t, 2, (int)keep);
    int32_t *dense = malloc((size_t)n * m * sizeof *dense);
    CHECK_EQ(mm_score_matrix(p, dense, &err), MM_OK);
    mm_candidates c[2];
    for (int k = 0; k < 2; k++) {
      mm_scorer *s = mm_scorer_create(p, k + 1, &err);
      CHECK_EQ(mm_candidates_build(s, keep, k + 1, &c[k], &err), MM_OK);
      mm_scorer_free(s);
    }
    CHECK(c[0].col_kth != NULL);
    check_candidates(&c[0], dense, p->side[MM_MENTOR].capacity, keep);
    CHECK(same_candidates(&c[0], &c[1]));
    mm_candidates_free(&c[0]);
    mm_candidates_free(&c[1]);
    free(dense);
    mm_problem_free(p);
  }
}

/* Adding edges grows the graph in place: a batch out of order, with edges
 * the graph holds, edges given twice and rows at both ends, leaves every
 * row the union of its old and new mentors, ascending, each edge with its
 * score, and a row holding all its eligible pairs marked complete. */
static void test_candidates_add(void) {
  uint32_t n = 300, m = 70;
  mm_problem *p = random_problem(n, m, 91, 2, 4);
  int32_t *dense = malloc((size_t)n * m * sizeof *dense);
  uint8_t *want = calloc((size_t)n * m, 1);
  CHECK_EQ(mm_score_matrix(p, dense, &err), MM_OK);
  mm_scorer *s = mm_scorer_create(p, 2, &err);
  mm_candidates c;
  CHECK_EQ(mm_candidates_build(s, 4, 2, &c, &err), MM_OK);
  for (uint32_t i = 0; i < n; i++)
    for (uint64_t e = c.off[i]; e < c.off[i + 1]; e++) want[(size_t)i * m + c.adj[e]] = 1;
  uint32_t ai[2000], aj[2000];
  int64_t aw[2000];
  size_t k = 0;
  /* Rows 7, 151 and the last gain only mentors above all their old ones'
   * lowest, so those old edges move up untouched by the merge. */
  uint32_t rows[] = {n - 1, 0, 150, n - 1, 7, 0, 299, 151};
  for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
    uint32_t i = rows[r], from = i == 0 || i == 150 ? (uint32_t)r % 3 : c.adj[c.off[i]] + 1;
    for (uint32_t j = from; j < m && k < 2000; j += 2 + (uint32_t)r % 4) {
      if (dense[(size_t)i * m + j] < 0) continue;
      ai[k] = i;
      aj[k] = j;
      aw[k++] = dense[(size_t)i * m + j];
      want[(size_t)i * m + j] = 1;
    }
  }
  /* Row 150 gets every eligible mentor: complete once added. */
  for (uint32_t j = m; j-- > 0 && k < 2000;) {
    if (dense[(size_t)150 * m + j] < 0) continue;
    ai[k] = 150;
    aj[k] = j;
    aw[k++] = dense[(size_t)150 * m + j];
    want[(size_t)150 * m + j] = 1;
  }
  CHECK_EQ(mm_candidates_add(&c, ai, aj, aw, k, &err), MM_OK);
  int bad = 0;
  size_t edges = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t e = c.off[i];
    for (uint32_t j = 0; j < m; j++) {
      if (!want[(size_t)i * m + j]) continue;
      bad += e >= c.off[i + 1] || c.adj[e] != j || c.w[e] != dense[(size_t)i * m + j];
      e++;
      edges++;
    }
    bad += e != c.off[i + 1];
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(c.off[n], edges);
  CHECK_EQ(c.kth[150], -1);
  mm_candidates_free(&c);
  mm_scorer_free(s);
  free(want);
  free(dense);
  mm_problem_free(p);
}

/* The graph of every eligible pair of a score matrix, with the mentors'
 * capacities; the arrays are the caller's to free. */
static mm_graph every_pair(const mm_problem *p, const int32_t *dense, uint32_t n, uint32_t m, uint64_t **off,
                           uint32_t **adj, int64_t **w, int32_t **cap) {
  size_t edges = 0, e = 0;
  for (size_t k = 0; k < (size_t)n * m; k++) edges += dense[k] >= 0;
  *off = calloc(n + 1, sizeof **off);
  *adj = malloc((edges ? edges : 1) * sizeof **adj);
  *w = malloc((edges ? edges : 1) * sizeof **w);
  *cap = malloc(m * sizeof **cap);
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t j = 0; j < m; j++)
      if (dense[(size_t)i * m + j] >= 0) {
        (*adj)[e] = j;
        (*w)[e++] = dense[(size_t)i * m + j];
      }
    (*off)[i + 1] = e;
  }
  for (uint32_t j = 0; j < m; j++) (*cap)[j] = p->side[MM_MENTOR].capacity[j];
  return (mm_graph){n, m, *cap, *off, *adj, *w};
}

/* Above the full-graph size each mentee keeps few candidates; the proof must
 * widen the graph until the optimum equals the one over all pairs. */
static void check_pruned_proof(uint32_t n, uint32_t m, unsigned seed, int candidates) {
  mm_problem *p = random_problem(n, m, seed, 2, candidates);
  mm_result *r = NULL;
  CHECK_EQ(mm_match(p, &r, &err), MM_OK);
  const mm_summary *sum = mm_result_summary(r);
  /* The calendar-blind optimum is proven; fitting it to calendars may then
   * cost a pair, and the status says whether that was proven too. */
  CHECK(strcmp(sum->status, "optimal") == 0 || strcmp(sum->status, "feasible") == 0);
  int32_t *dense = malloc((size_t)n * m * sizeof *dense);
  CHECK_EQ(mm_score_matrix(p, dense, &err), MM_OK);
  uint64_t *off;
  uint32_t *adj;
  int64_t *w;
  int32_t *cap;
  mm_graph g = every_pair(p, dense, n, m, &off, &adj, &w, &cap);
  int64_t *match = malloc(n * sizeof *match), *u = malloc(n * sizeof *u), *v = malloc(m * sizeof *v);
  mm_assignment a = {.big = mm_graph_big(&g), .match = match, .u = u, .v = v};
  CHECK_EQ(mm_flow_solve(&g, &a, &err), MM_OK);
  CHECK_EQ(mm_assignment_verify(&g, &a, &err), MM_OK);
  CHECK_EQ((long long)sum->blind_matched, a.cardinality);
  CHECK_EQ(sum->blind_score, a.weight);
  CHECK_LE(sum->matched, sum->blind_matched);
  if (sum->matched == sum->blind_matched) CHECK_LE(sum->total_score, sum->blind_score);
  if (strcmp(sum->status, "feasible") == 0) CHECK_EQ(sum->bound, a.weight);
  /* Each pair's rank counts every eligible mentor scoring above it, though
   * rows are scored again only against the mentors the prices leave open. */
  int wrong_ranks = 0;
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    uint32_t rank = 1;
    for (uint32_t j = 0; j < m; j++) rank += dense[(size_t)pr->mentee * m + j] > pr->score;
    wrong_ranks += pr->rank != rank;
  }
  CHECK_EQ(wrong_ranks, 0);
  printf("pruned proof (seed %u, %d candidates): %zu matched, total %lld, proof: %s\n", seed, candidates,
         sum->matched, (long long)sum->total_score, sum->proof);
  free(dense);
  free(off);
  free(adj);
  free(w);
  free(cap);
  free(match);
  free(u);
  free(v);
  mm_result_free(r);
  mm_problem_free(p);
}

/* Blocking pairs by score over every pair, by the definition (stable.h). */
static uint64_t blocking_by_definition(const int32_t *dense, uint32_t n, uint32_t m, const int32_t *cap,
                                       const int64_t *mentor_of, const int64_t *own) {
  uint32_t *load = calloc(m, sizeof *load);
  int64_t *worst = malloc(m * sizeof *worst);
  for (uint32_t j = 0; j < m; j++) worst[j] = INT64_MAX;
  for (uint32_t i = 0; i < n; i++) {
    if (mentor_of[i] < 0) continue;
    load[mentor_of[i]]++;
    if (own[i] < worst[mentor_of[i]]) worst[mentor_of[i]] = own[i];
  }
  uint64_t count = 0;
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = 0; j < m; j++) {
      int64_t w = dense[(size_t)i * m + j];
      if (w < 0 || mentor_of[i] == (int64_t)j || (mentor_of[i] >= 0 && w <= own[i]) || cap[j] <= 0) continue;
      count += load[j] < (uint32_t)cap[j] || w > worst[j];
    }
  free(load);
  free(worst);
  return count;
}

/* The blocking count over a cut candidate graph must equal the count by
 * definition, with and without the dual prices that rule out most rows
 * unscored; on the optimum and on an assignment with mentees dropped (as
 * fitting calendars can), where the prices still bound every pair. */
static void test_blocking_by_prices(void) {
  uint32_t n = 240, m = 60;
  uint64_t seen = 0;
  for (unsigned seed = 1; seed <= 6; seed++) {
    mm_problem *p = random_problem(n, m, seed, 2, 3);
    mm_scorer *s = mm_scorer_create(p, 2, &err);
    mm_candidates c;
    CHECK_EQ(mm_candidates_build(s, 3, 2, &c, &err), MM_OK);
    CHECK(c.col_kth != NULL);
    int32_t *dense = malloc((size_t)n * m * sizeof *dense), *cap;
    CHECK_EQ(mm_score_matrix(p, dense, &err), MM_OK);
    uint64_t *off;
    uint32_t *adj;
    int64_t *w;
    mm_graph g = every_pair(p, dense, n, m, &off, &adj, &w, &cap);
    int64_t *match = malloc(n * sizeof *match), *u = malloc(n * sizeof *u), *v = malloc(m * sizeof *v);
    int64_t *mentor_of = malloc(n * sizeof *mentor_of), *own = calloc(n, sizeof *own);
    uint8_t *skip = calloc(n, 1);
    mm_assignment a = {.big = mm_graph_big(&g), .match = match, .u = u, .v = v};
    CHECK_EQ(mm_flow_solve(&g, &a, &err), MM_OK);
    for (uint32_t i = 0; i < n; i++) {
      mentor_of[i] = match[i] >= 0 ? (int64_t)adj[match[i]] : -1;
      own[i] = match[i] >= 0 ? w[match[i]] : 0;
    }
    /* Mentors the solver had no places for carry no bound: here every
     * seventh, whose price is then wrong (0) and must not be used. */
    int32_t *solver_cap = malloc(m * sizeof *solver_cap);
    int64_t *unproven_v = malloc(m * sizeof *unproven_v);
    for (uint32_t j = 0; j < m; j++) {
      solver_cap[j] = j % 7 ? cap[j] : 0;
      unproven_v[j] = j % 7 ? v[j] : 0;
    }
    mm_prices prices = {u, v, a.big, skip, cap}, partial = {u, unproven_v, a.big, skip, solver_cap};
    for (int dropped = 0; dropped < 2; dropped++) {
      if (dropped)
        for (uint32_t i = 0; i < n; i += 5) mentor_of[i] = -1;
      uint64_t want = blocking_by_definition(dense, n, m, cap, mentor_of, own), plain = 0, priced = 0, part = 0;
      mm_stability st = {n, m, cap, mentor_of, own, NULL, !dropped, NULL, NULL, NULL};
      CHECK_EQ(mm_blocking_all_pairs(&st, s, &c, 2, &plain, &err), MM_OK);
      st.prices = &prices;
      CHECK_EQ(mm_blocking_all_pairs(&st, s, &c, 2, &priced, &err), MM_OK);
      st.prices = &partial;
      CHECK_EQ(mm_blocking_all_pairs(&st, s, &c, 2, &part, &err), MM_OK);
      CHECK_EQ(plain, want);
      CHECK_EQ(priced, want);
      CHECK_EQ(part, want);
      seen += want;
    }
    free(solver_cap);
    free(unproven_v);
    free(dense);
    free(cap);
    free(off);
    free(adj);
    free(w);
    free(match);
    free(u);
    free(v);
    free(mentor_of);
    free(own);
    free(skip);
    mm_candidates_free(&c);
    mm_scorer_free(s);
    mm_problem_free(p);
  }
  CHECK(seen > 0);
}

int main(void) {
  test_criteria();
  test_timezone_overlap();
  test_eligibility();
  test_lexicographic();
  test_required();
  test_week_full_reasons();
  test_kernel_matches_pair_path();
  test_subset_rows_match_whole_rows();
  test_prefix_rows_match_whole_rows();
  test_threads_same_result();
  test_candidates_by_definition();
  test_candidates_add();
  test_blocking_by_prices();
  check_pruned_proof(2200, 2000, 3, 2);  /* more places than mentees */
  check_pruned_proof(2200, 2000, 7, 1);
  check_pruned_proof(3000, 1400, 11, 5); /* fewer places than mentees: capacity binds */
  check_pruned_proof(3000, 1400, 13, 16);
  return check_report("test_match");
}
