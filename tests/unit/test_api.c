/* test_api.c: the public API as a program that embeds the library sees it.
 *
 * A host links the engine into its own process, next to its own threads and
 * perhaps its own use of GLPK.  This test plays that host: it keeps a GLPK
 * problem and its own GLPK hooks across GLPK solves of ours and checks they
 * still work afterwards (hooks, problem object, environment); it runs two
 * matches at once from two threads, on programs of different shapes, and
 * compares them with the same runs one after the other; it hands over
 * structs of an older header's size (malloc'd to exactly that size, so
 * AddressSanitizer sees any read past it), of a newer one, and never
 * initialised; it resolves zones by name, from TZif bytes, and registers one
 * by name; and it reads the version and the solution status.
 */
#include "check.h"

#include "mentormatch.h"

#include <glpk.h>
#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static mm_options program_options(mm_solver solver) {
  mm_options o;
  mm_options_init(&o);
  o.start_year = 2027;
  o.start_month = 3;
  o.start_day = 1;
  o.solver = solver;
  o.threads = 2;
  return o;
}

/* n mentees and n/2 mentors of capacity 2 in three zones; `languages`
 * distinct languages (above 64 the scorer's language sets take two words). */
static mm_problem *program(int n, int languages, mm_solver solver) {
  static const char *const zones[] = {"Europe/London", "America/New_York", "Asia/Kolkata"};
  static const char *const windows[] = {"Mon-Fri 09:00-17:00", "Tue,Thu 12:00-20:00", "Mon-Wed 07:00-11:00"};
  static const char *const skills[] = {"python", "sql", "design", "sales", "go"};
  mm_options o = program_options(solver);
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = mm_problem_create(&o, &e);
  CHECK(p != NULL);
  for (int k = 0; k < n + n / 2; k++) {
    mm_side side = k < n ? MM_MENTEE : MM_MENTOR;
    char id[32], lang[32];
    snprintf(id, sizeof id, "%c%d", side == MM_MENTEE ? 'E' : 'M', k);
    snprintf(lang, sizeof lang, "lang%d", k % languages);
    const char *langs[2] = {"English", lang};
    mm_tag tags[2] = {{skills[k % 5], 2 + k % 3}, {skills[(k * 7) % 5], 0}};
    mm_person person;
    mm_person_init(&person);
    person.id = id;
    person.zone = mm_problem_add_zone_named(p, zones[k % 3], &e);
    CHECK_EQ(mm_availability_parse(windows[(k / 3) % 3], &person.availability, &e), MM_OK);
    person.skills = tags;
    person.n_skills = 2;
    person.languages = langs;
    person.n_languages = 2;
    person.has_seniority = 1;
    person.seniority = side == MM_MENTOR ? 5 : 1 + k % 3;
    person.capacity = 2;
    CHECK_EQ(mm_problem_add_person(p, side, &person, &e), MM_OK);
  }
  return p;
}

/* Everything a caller reads of the pairs, folded into one number. */
static uint64_t fingerprint(const mm_result *r) {
  uint64_t h = 1469598103934665603u;
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    uint64_t v[5] = {pr->mentee, pr->mentor, (uint64_t)pr->score, (uint64_t)pr->slot_minute,
                     (uint64_t)pr->slot_weekday};
    for (int i = 0; i < 5; i++) h = (h ^ v[i]) * 1099511628211u;
  }
  return h ^ (uint64_t)mm_result_summary(r)->total_score;
}

/* One match, nothing checked: safe on any thread (the CHECK counters are not). */
typedef struct {
  mm_status status;
  const char *solver;
  mm_solution_status solution;
  const char *status_text;
  size_t matched;
  uint64_t fingerprint;
} run;

static run match_once(const mm_problem *p) {
  run out = {MM_ERR_SOLVER, "", MM_SOLUTION_UNKNOWN, "", 0, 0};
  mm_result *r = NULL;
  mm_error e;
  mm_error_clear(&e);
  out.status = mm_match(p, &r, &e);
  if (out.status != MM_OK) return out;
  const mm_summary *s = mm_result_summary(r);
  out.solver = s->solver; /* static strings */
  out.solution = s->solution;
  out.status_text = s->status;
  out.matched = s->matched;
  out.fingerprint = fingerprint(r);
  mm_result_free(r);
  return out;
}

static void check_run(run got, const char *want_solver, uint64_t want_fingerprint) {
  CHECK_EQ(got.status, MM_OK);
  CHECK_STR_EQ(got.solver, want_solver);
  CHECK_EQ(got.solution, MM_SOLUTION_OPTIMAL);
  CHECK_STR_EQ(got.status_text, mm_solution_status_str(got.solution));
  CHECK_GT(got.matched, 0);
  if (want_fingerprint) CHECK_EQ(got.fingerprint, want_fingerprint);
}

static uint64_t match_fingerprint(const mm_problem *p, const char *want_solver) {
  run got = match_once(p);
  check_run(got, want_solver, 0);
  return got.fingerprint;
}

/* ---- a host that uses GLPK itself --------------------------------------- */

static char host_output[4096];
static jmp_buf host_jump;
static int host_errors;

static int host_term(void *info, const char *s) {
  (void)info;
  size_t used = strlen(host_output);
  snprintf(host_output + used, sizeof host_output - used, "%s", s);
  return 1;
}

static void host_error(void *info) {
  (void)info;
  host_errors++;
  longjmp(host_jump, 1);
}

static void test_host_glpk_untouched(void) {
  glp_term_hook(host_term, NULL);
  glp_error_hook(host_error, NULL);
  glp_prob *host = glp_create_prob();
  glp_set_prob_name(host, "host");
  glp_add_rows(host, 2);

  mm_problem *p = program(40, 4, MM_SOLVER_GLPK);
  CHECK_NE(match_fingerprint(p, "glpk"), 0);
  mm_problem_free(p);

  /* The host's problem, terminal hook and error hook are all still there. */
  CHECK_EQ(glp_get_num_rows(host), 2);
  CHECK_STR_EQ(glp_get_prob_name(host), "host");
  host_output[0] = '\0';
  glp_printf("host says %d\n", 42);
  CHECK_STR_EQ(host_output, "host says 42\n");
  if (setjmp(host_jump) == 0) glp_set_obj_dir(host, 12345); /* a misuse: GLPK's error path */
  CHECK_EQ(host_errors, 1);
  CHECK_STR_CONTAINS(host_output, "glp_set_obj_dir");
  glp_free_env(); /* the host's own environment, unusable after its error */
}

/* ---- two host threads at once --------------------------------------------- */

typedef struct {
  const mm_problem *p;
  run got[3];
} job;

static void *run_job(void *arg) {
  job *j = arg;
  for (int k = 0; k < 3; k++) j->got[k] = match_once(j->p);
  return NULL;
}

static void test_concurrent_matches(void) {
  mm_problem *a = program(60, 3, MM_SOLVER_GLPK);
  mm_problem *b = program(90, 100, MM_SOLVER_GLPK);
  mm_problem *c = program(90, 100, MM_SOLVER_FLOW);
  uint64_t want_a = match_fingerprint(a, "glpk"), want_b = match_fingerprint(b, "glpk");
  CHECK_EQ(match_fingerprint(c, "flow"), want_b);
  job jobs[3] = {{a, {{0}}}, {b, {{0}}}, {b, {{0}}}};
  pthread_t t[3];
  for (int k = 0; k < 3; k++) CHECK_EQ(pthread_create(&t[k], NULL, run_job, &jobs[k]), 0);
  for (int k = 0; k < 3; k++) pthread_join(t[k], NULL);
  for (int k = 0; k < 3; k++) {
    check_run(jobs[0].got[k], "glpk", want_a);
    check_run(jobs[1].got[k], "glpk", want_b);
    check_run(jobs[2].got[k], "glpk", want_b);
  }
  mm_problem_free(a);
  mm_problem_free(b);
  mm_problem_free(c);
}

/* ---- structs of other header versions --------------------------------------- */

static void test_struct_sizes(void) {
  mm_error e;
  mm_error_clear(&e);
  /* Never initialised. */
  mm_options raw;
  memset(&raw, 0, sizeof raw);
  CHECK(mm_problem_create(&raw, &e) == NULL);
  CHECK_STR_EQ(e.field, "size");

  /* An older header: exactly the 0.2.0 layout, copied into a buffer of
   * that size with nothing after it in memory. */
  size_t old_size = offsetof(mm_options, time_limit_s) + sizeof(double);
  mm_options full = program_options(MM_SOLVER_AUTO);
  mm_options_init_size(&full, old_size);
  CHECK_EQ(full.size, old_size);
  full.meeting_minutes = 45;
  void *old = malloc(old_size);
  memcpy(old, &full, old_size);
  mm_problem *p = mm_problem_create(old, &e);
  CHECK(p != NULL);
  size_t old_person_size = offsetof(mm_person, capacity) + sizeof(int);
  mm_person person;
  mm_person_init_size(&person, old_person_size);
  person.id = "E1";
  person.zone = mm_problem_add_zone_named(p, "UTC", &e);
  CHECK_EQ(mm_availability_parse("Mon 09:00-10:00", &person.availability, &e), MM_OK);
  void *old_person = malloc(old_person_size);
  memcpy(old_person, &person, old_person_size);
  CHECK_EQ(mm_problem_add_person(p, MM_MENTEE, old_person, &e), MM_OK);
  CHECK_EQ(mm_problem_count(p, MM_MENTEE), 1);
  free(old_person);
  mm_problem_free(p);
  free(old);

  /* A newer header than this library: refused, not half read. */
  unsigned char newer[sizeof(mm_options) + 32];
  mm_options_init_size((mm_options *)(void *)newer, sizeof newer);
  mm_error_clear(&e);
  CHECK(mm_problem_create((mm_options *)(void *)newer, &e) == NULL);
  CHECK_STR_EQ(e.field, "size");
  CHECK_STR_CONTAINS(e.message, "newer");
  mm_options o = program_options(MM_SOLVER_AUTO);
  mm_scores s;
  mm_scores_init(&s);
  s.size += 8;
  mm_result *r = NULL;
  CHECK_EQ(mm_solve_scores(&s, &o, &r, &e), MM_ERR_INVALID);
  CHECK(r == NULL);
}

/* ---- zones -------------------------------------------------------------------- */

static unsigned char *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *b = malloc(1 << 20);
  *n = b ? fread(b, 1, 1 << 20, f) : 0;
  fclose(f);
  return b;
}

static void test_zones(void) {
  mm_options o = program_options(MM_SOLVER_AUTO);
  int64_t from, to;
  mm_options_window(&o, &from, &to);
  mm_error e;
  mm_error_clear(&e);
  mm_zone_period *by_name = NULL, *by_bytes = NULL;
  size_t n_name = 0, n_bytes = 0, len = 0;
  CHECK_EQ(mm_zone_lookup("Europe/London", from, to, &by_name, &n_name, &e), MM_OK);
  const char *dir = getenv("TZDIR") ? getenv("TZDIR") : "/usr/share/zoneinfo";
  char path[512];
  snprintf(path, sizeof path, "%s/Europe/London", dir);
  unsigned char *bytes = read_file(path, &len);
  CHECK(bytes != NULL);
  CHECK_EQ(mm_zone_from_tzif(bytes, len, from, to, &by_bytes, &n_bytes, &e), MM_OK);
  CHECK_EQ(n_bytes, n_name);
  CHECK_GE(n_name, 2); /* the window spans the March change */
  for (size_t k = 0; k < n_name && k < n_bytes; k++) {
    CHECK_EQ(by_bytes[k].at, by_name[k].at);
    CHECK_EQ(by_bytes[k].offset_s, by_name[k].offset_s);
  }
  mm_zone_periods_free(by_name);
  mm_zone_periods_free(by_bytes);
  mm_zone_periods_free(NULL);
  memcpy(bytes, "NOPE", 4);
  CHECK_EQ(mm_zone_from_tzif(bytes, len, from, to, &by_bytes, &n_bytes, &e), MM_ERR_PARSE);
  CHECK(by_bytes == NULL);
  free(bytes);

  mm_problem *p = mm_problem_create(&o, &e);
  int london = mm_problem_add_zone_named(p, "Europe/London", &e);
  CHECK_GE(london, 0);
  CHECK_EQ(mm_problem_add_zone_named(p, "Europe/London", &e), london);
  CHECK_EQ(mm_problem_zone_index(p, "Europe/London"), london);
  CHECK_EQ(mm_problem_zone_index(p, "Asia/Tokyo"), -1);
  mm_error_clear(&e);
  CHECK_EQ(mm_problem_add_zone_named(p, "Europe/Lundon", &e), -1);
  CHECK_STR_EQ(e.field, "timezone");
  CHECK_STR_CONTAINS(e.message, "Europe/London");
  mm_problem_free(p);
}

int main(void) {
  CHECK_EQ(mm_version(), MM_VERSION_NUMBER);
  CHECK_STR_EQ(mm_version_string(), MM_VERSION);
  test_host_glpk_untouched();
  test_concurrent_matches();
  test_struct_sizes();
  test_zones();
  return check_report("test_api");
}
