/* test_progress.c: mm_options.progress: phases in order, counts that only grow, no effect on results.
 *
 * A random problem is matched twice with 2 threads, with and without a
 * progress function; the function records every call.  The scoring phase
 * must end having counted every pair, every phase must begin and end, and
 * the two results must be the same pairs with the same total.
 */
#include "check.h"

#include "mentormatch.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CALLS 100000

typedef struct {
  const char *phase[MAX_CALLS];
  uint64_t done[MAX_CALLS], total[MAX_CALLS];
  double elapsed[MAX_CALLS];
  size_t n;
} calls;

static void record(void *ctx, const mm_progress *p) {
  calls *c = ctx;
  if (c->n == MAX_CALLS) return;
  c->phase[c->n] = p->phase;
  c->done[c->n] = p->done;
  c->total[c->n] = p->total;
  c->elapsed[c->n] = p->elapsed_s;
  c->n++;
}

static mm_problem *random_problem(const mm_options *o, int n_mentees, int n_mentors) {
  mm_error e;
  mm_problem *p = mm_problem_create(o, &e);
  mm_zone_period period = {INT64_MIN / 4, 0};
  int zone = mm_problem_add_zone(p, "UTC", &period, 1, &e);
  static const char *const tags[] = {"python", "sql", "go", "design", "sales", "rust"};
  static const char *const windows[] = {"Mon-Fri 09:00-12:00", "Mon-Wed 13:00-17:00", "Tue,Thu 08:00-10:00"};
  srand(7);
  for (int k = 0; k < n_mentees + n_mentors; k++) {
    mm_side side = k < n_mentees ? MM_MENTEE : MM_MENTOR;
    char id[16];
    snprintf(id, sizeof id, "%c%d", side == MM_MENTEE ? 'E' : 'M', k);
    mm_tag skills[2] = {{tags[rand() % 6], 1 + rand() % 5}, {tags[rand() % 6], 0}};
    mm_person person;
    mm_person_init(&person);
    person.id = id;
    person.zone = zone;
    person.skills = skills;
    person.n_skills = skills[0].name == skills[1].name ? 1 : 2;
    person.capacity = 1 + rand() % 3;
    CHECK_EQ(mm_availability_parse(windows[rand() % 3], &person.availability, &e), MM_OK);
    CHECK_EQ(mm_problem_add_person(p, side, &person, &e), MM_OK);
  }
  return p;
}

static size_t phase_calls(const calls *c, const char *phase) {
  size_t n = 0;
  for (size_t k = 0; k < c->n; k++) n += strcmp(c->phase[k], phase) == 0;
  return n;
}

int main(void) {
  static calls c;
  mm_options o;
  mm_options_init(&o);
  o.threads = 2;
  const int n = 600, m = 250;
  mm_error e;
  mm_problem *quiet = random_problem(&o, n, m);
  o.progress = record;
  o.progress_ctx = &c;
  mm_problem *shown = random_problem(&o, n, m);
  mm_result *r1 = NULL, *r2 = NULL;
  CHECK_EQ(mm_match(quiet, &r1, &e), MM_OK);
  CHECK_EQ(c.n, 0);
  CHECK_EQ(mm_match(shown, &r2, &e), MM_OK);

  /* Phases begin and end in order: score first, schedule last. */
  CHECK(c.n >= 8);
  CHECK(c.n > 0 && strcmp(c.phase[0], "score") == 0);
  CHECK(c.n > 0 && strcmp(c.phase[c.n - 1], "schedule") == 0);
  CHECK(phase_calls(&c, "score") >= 2);
  CHECK(phase_calls(&c, "solve") >= 2);
  CHECK(phase_calls(&c, "prove") >= 2);
  CHECK_EQ(phase_calls(&c, "schedule"), 2);
  size_t last_score = 0;
  for (size_t k = 0; k < c.n; k++) {
    if (strcmp(c.phase[k], "score") != 0) continue;
    CHECK_EQ(c.total[k], (uint64_t)n * m);
    CHECK(c.done[k] <= c.total[k]);
    if (last_score) CHECK(c.done[k] >= c.done[last_score - 1] && c.elapsed[k] >= c.elapsed[last_score - 1]);
    last_score = k + 1;
  }
  CHECK(last_score > 0 && c.done[last_score - 1] == (uint64_t)n * m);
  CHECK_EQ(c.done[c.n - 1], mm_result_summary(r2)->matched);

  /* Progress never changes the result. */
  CHECK_EQ(mm_result_summary(r1)->total_score, mm_result_summary(r2)->total_score);
  CHECK_EQ(mm_result_pair_count(r1), mm_result_pair_count(r2));
  for (size_t k = 0; k < mm_result_pair_count(r1) && k < mm_result_pair_count(r2); k++)
    CHECK_EQ(mm_result_pair(r1, k)->mentor, mm_result_pair(r2, k)->mentor);
  mm_result_free(r1);
  mm_result_free(r2);
  mm_problem_free(quiet);
  mm_problem_free(shown);
  return check_report("test_progress");
}
