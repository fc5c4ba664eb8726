/* test_roster_reader.c: unit tests of io/roster_reader and io/rules_reader on a real problem.
 *
 * The good fixtures live in tests/data/csv/; error cases are written to a
 * temporary folder and checked by their whole compiler-style line.  Parsed
 * values the public API does not expose (levels, capacity, seniority) are
 * read from the engine's internal layout.  A 125,000-row roster is read and
 * its time printed, never asserted.
 */
#include "check.h"
#include "error_lines.h"
#include "internal.h"
#include "roster_reader.h"
#include "rules_reader.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define DATA MM_TEST_DATA "/csv/"

static char dir[64];
static char path[128];
static mm_options opt;

static mm_problem *new_problem(void) {
  mm_error e;
  mm_options_init(&opt);
  mm_problem *p = mm_problem_create(&opt, &e);
  CHECK(p != NULL);
  return p;
}

static const char *write_file(const char *name, const char *text) {
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
  return path;
}

typedef struct {
  int count;
  char first[512];
} warnings;

static void collect(void *ctx, const mm_error *w) {
  warnings *ws = ctx;
  if (ws->count++ == 0) io_warning_format(w, ws->first, sizeof ws->first);
}

/* Reads text as a roster of side into a fresh problem; returns the status. */
static mm_status roster(mm_side side, const char *text, mm_error *e) {
  mm_problem *p = new_problem();
  if (!p) return MM_ERR_NOMEM;
  const char *file = write_file(side == MM_MENTOR ? "mentors.csv" : "mentees.csv", text);
  mm_error_clear(e);
  mm_status s = io_read_roster(file, side, p, &opt, NULL, NULL, e);
  mm_problem_free(p);
  return s;
}

static void test_fixtures(void) {
  mm_problem *p = new_problem();
  if (!p) return;
  mm_error e;
  mm_error_clear(&e);
  warnings ws = {0, ""};
  CHECK_EQ(io_read_roster(DATA "mentors.csv", MM_MENTOR, p, &opt, collect, &ws, &e), MM_OK);
  CHECK_EQ(ws.count, 1);
  CHECK_STR_EQ(ws.first, DATA "mentors.csv:1:15: warning: unknown column \"favourite_colour\" ignored");
  CHECK_EQ(mm_problem_count(p, MM_MENTOR), 4);
  CHECK_STR_EQ(mm_problem_person_name(p, MM_MENTOR, 1), "Hopper, Grace");
  CHECK_STR_EQ(mm_problem_person_zone(p, MM_MENTOR, 2), "Asia/Kolkata");
  CHECK_STR_EQ(mm_problem_person_zone(p, MM_MENTOR, 3), "UTC+05:30");
  CHECK_STR_EQ(mm_problem_person_location(p, MM_MENTOR, 0), "London");
  CHECK_EQ(p->n_zones, 4);

  const mm_side_data *m = &p->side[MM_MENTOR];
  CHECK_EQ(m->capacity[0], 2);
  CHECK_EQ(m->capacity[2], 1); /* empty capacity: the default */
  CHECK_EQ(m->capacity[3], 0);
  CHECK_EQ(m->seniority[0], 7);
  CHECK_EQ(m->seniority[3], MM_NO_SENIORITY);
  CHECK_EQ(m->skill_off[1] - m->skill_off[0], 3);
  CHECK_EQ(m->skill_level[m->skill_off[0] + 0], 5);
  CHECK_EQ(m->skill_level[m->skill_off[0] + 2], 2);
  CHECK_EQ(m->skill_off[3] - m->skill_off[2], 2); /* "python;;ml:4;" */
  CHECK_EQ(m->skill_level[m->skill_off[2]], MM_DEFAULT_LEVEL);
  CHECK_EQ(m->skill_level[m->skill_off[2] + 1], 4);
  CHECK_EQ(m->lang_off[3] - m->lang_off[2], 2);
  CHECK_EQ(m->goal_off[2] - m->goal_off[1], 0);

  ws.count = 0;
  CHECK_EQ(io_read_roster(DATA "mentees.csv", MM_MENTEE, p, &opt, collect, &ws, &e), MM_OK);
  CHECK_EQ(ws.count, 0);
  CHECK_EQ(mm_problem_count(p, MM_MENTEE), 3);
  CHECK_STR_EQ(mm_problem_person_name(p, MM_MENTEE, 1), "Chen \"CJ\" Jie");
  CHECK_STR_EQ(mm_problem_person_name(p, MM_MENTEE, 2), "Dana Multi-line");
  CHECK_EQ(p->side[MM_MENTEE].goal_off[1] - p->side[MM_MENTEE].goal_off[0], 2);
  CHECK_EQ(p->n_zones, 6); /* Europe/London is shared */

  CHECK_EQ(io_read_rules(DATA "pairs.csv", p, &e), MM_OK);
  CHECK_EQ(p->n_rules, 2);
  CHECK_EQ(p->rules[1].rule, MM_RULE_FORBID);
  CHECK_EQ(p->rules[1].source_line, 3);

  /* The same roster again: every id is a duplicate of the first file's. */
  CHECK_EQ(io_read_roster(DATA "mentors.csv", MM_MENTOR, p, &opt, NULL, NULL, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), DATA "mentors.csv:1:15: error: unknown column \"favourite_colour\" (expected id, name, email, timezone, availability, skills, goals, location, country, department, manager_id, languages, seniority, capacity)");
  CHECK_EQ(io_read_roster(DATA "mentees.csv", MM_MENTEE, p, &opt, NULL, NULL, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), DATA "mentees.csv:2:1: error: id: duplicate id \"E1\" (already read from another file)");
  mm_problem_free(p);
}

#define HEADER "id,timezone,availability,skills,seniority,capacity\n"

static void test_roster_errors(void) {
  mm_error e;
  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,,,\nM2,UTC,Mon 09:00-10:00,,,\n"
                                    "\"M1\",UTC,Mon 09:00-10:00,,,\n", &e),
           MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":4:1: error: id: duplicate id \"M1\" (first on line 2)"));

  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,python:x,,\n", &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:4: error: skills: expected a level 1 to 5 after ':', got \"x\""));
  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,sql;python:6,,\n", &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:4: error: skills: expected a level 1 to 5 after ':', got \"6\""));
  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,python: ,,\n", &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:4: error: skills: expected a level 1 to 5 after ':', got \"\""));
  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00, :3,,\n", &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:4: error: skills: expected a skill name before ':3'"));

  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,,,-1\n", &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:6: error: capacity: expected an integer from 0 to 1000, got \"-1\""));
  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,,,1001\n", &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:6: error: capacity: expected an integer from 0 to 1000, got \"1001\""));
  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,,,x\n", &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:6: error: capacity: expected an integer, got \"x\""));

  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,,senior,\n", &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:5: error: seniority: expected an integer, got \"senior\""));
  CHECK_EQ(roster(MM_MENTOR, HEADER "M1,UTC,Mon 09:00-10:00,,3.5,\n", &e), MM_ERR_PARSE);

  CHECK_EQ(roster(MM_MENTEE, "id,availability,name\nE1,Mon 09:00-10:00,A\n", &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:4: error: missing required column \"timezone\""));

  CHECK_EQ(roster(MM_MENTEE, "id,timezone,availability\nE1,UTC,9am\n", &e), MM_ERR_PARSE);
  CHECK_STR_CONTAINS(error_line(&e), expected_line(path, ":2:3: error: availability: expected "));
  CHECK_STR_CONTAINS(error_line(&e), "\"9am\"");

  CHECK_EQ(roster(MM_MENTEE, "id,timezone,availability\nE1,UTC,Mon 09:00-10:00\nE2,Mars/Olympus,Mon 09:00-10:00\n", &e),
           MM_ERR_INVALID);
  CHECK_STR_CONTAINS(error_line(&e), expected_line(path, ":3:2: error: timezone: "));
  CHECK_EQ(roster(MM_MENTEE, "id,timezone,availability\nE1,,Mon 09:00-10:00\n", &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:2: error: timezone: expected a zone such as Europe/London, UTC or UTC+05:30, got \"\""));
  CHECK_EQ(roster(MM_MENTEE, "id,timezone,availability\n  ,UTC,Mon 09:00-10:00\n", &e), MM_ERR_INVALID);
  CHECK_STR_CONTAINS(error_line(&e), expected_line(path, ":2:1: error: id: "));

  CHECK_EQ(roster(MM_MENTEE, "id,timezone,availability\nE1,UTC\n", &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:3: error: expected 3 fields as in the header, got 2"));

  CHECK_EQ(roster(MM_MENTOR, "", &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1: error: empty file: expected a header row"));
}

static void test_roster_edges(void) {
  mm_problem *p = new_problem();
  if (!p) return;
  mm_error e;
  warnings ws = {0, ""};
  const char *file = write_file("mentees.csv", "id,timezone,availability,capacity\nE1,UTC,Mon 09:00-10:00,3\n");
  CHECK_EQ(io_read_roster(file, MM_MENTEE, p, &opt, collect, &ws, &e), MM_OK);
  CHECK_EQ(ws.count, 1);
  CHECK_STR_EQ(ws.first, expected_line(file, ":1:4: warning: unknown column \"capacity\" ignored"));
  CHECK_EQ(mm_problem_count(p, MM_MENTEE), 1);

  file = write_file("mentors.csv", "Timezone,Availability,ID\n");
  CHECK_EQ(io_read_roster(file, MM_MENTOR, p, &opt, collect, &ws, &e), MM_OK);
  CHECK_EQ(mm_problem_count(p, MM_MENTOR), 0);
  mm_problem_free(p);

  p = new_problem();
  if (!p) return;
  /* A line break typed inside a cell (Alt+Enter in a spreadsheet): CR, LF
   * or CRLF, alone or in a run, shows as one space in every output. */
  file = write_file("mentors.csv", "id,name,timezone,availability,location,department\n"
                                   "M1,\"a\r\nb\rc\nd\",UTC,Mon 09:00-10:00,\"Lon\r\n\r\n don\",\"R&D\n\"\n");
  CHECK_EQ(io_read_roster(file, MM_MENTOR, p, &opt, NULL, NULL, &e), MM_OK);
  CHECK_STR_EQ(mm_problem_person_name(p, MM_MENTOR, 0), "a b c d");
  CHECK_STR_EQ(mm_problem_person_location(p, MM_MENTOR, 0), "Lon don");
  CHECK_STR_EQ(p->places.shown[p->side[MM_MENTOR].department[0]], "R&D");
  mm_problem_free(p);

  p = new_problem();
  if (!p) return;
  char missing[160];
  snprintf(missing, sizeof missing, "%s/none.csv", dir);
  CHECK_EQ(io_read_roster(missing, MM_MENTOR, p, &opt, NULL, NULL, &e), MM_ERR_IO);
  mm_problem_free(p);
}

static void test_rules(void) {
  mm_problem *p = new_problem();
  if (!p) return;
  mm_error e;
  CHECK_EQ(io_read_roster(DATA "mentors.csv", MM_MENTOR, p, &opt, collect, &(warnings){0, ""}, &e), MM_OK);
  CHECK_EQ(io_read_roster(DATA "mentees.csv", MM_MENTEE, p, &opt, NULL, NULL, &e), MM_OK);

  const char *file = write_file("pairs.csv", "mentee_id,mentor_id,rule\nE1,M2,forbid\nE77,M1,require\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(file, ":3:1: error: mentee_id: no mentee with id \"E77\" in the mentee roster"));

  file = write_file("pairs.csv", "rule,mentor_id,mentee_id\nforbid,M9,E1\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(file, ":2:2: error: mentor_id: no mentor with id \"M9\" in the mentor roster"));

  file = write_file("pairs.csv", "mentee_id,mentor_id,rule\nE1,M1,maybe\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(file, ":2:3: error: rule: expected require or forbid, got \"maybe\""));

  file = write_file("pairs.csv", "mentee_id,mentor_id,rule\nE3,M3,Require\n\nE3,M3,forbid\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_ERR_INVALID);
  CHECK_STR_CONTAINS(error_line(&e), expected_line(file, ":4:3: error: rule: "));
  CHECK_STR_CONTAINS(error_line(&e), "(line 2)");

  /* The same line twice: a slip (a copy, a merge), refused like a duplicate id. */
  file = write_file("pairs.csv", "mentee_id,mentor_id,rule\nE1,M1,require\nE2,M2,forbid\nE1,M1,Require\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(file, ":4:3: error: rule: mentee \"E1\" and mentor \"M1\": the same rule is "
                                           "given twice (first on line 2)"));
  file = write_file("pairs.csv", "mentee_id,mentor_id,rule\nE2,M1,forbid\nE2,M1,forbid\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(file, ":3:3: error: rule: mentee \"E2\" and mentor \"M1\": the same rule is "
                                           "given twice (first on line 2)"));

  file = write_file("pairs.csv", "mentee_id,mentor_id,rule,why\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(file, ":1:4: error: unknown column \"why\" (expected mentee_id, mentor_id, rule)"));

  file = write_file("pairs.csv", "mentee_id,mentor_id,rule\n");
  CHECK_EQ(io_read_rules(file, p, &e), MM_OK);
  mm_problem_free(p);
}

/* A roster the size the brief names: 125,000 rows over a few hundred zones. */
/* Every spelling of one fixed offset registers one zone. */
static void test_zone_spellings(void) {
  mm_problem *p = new_problem();
  if (!p) return;
  mm_error e;
  const char *file = write_file("mentors.csv", HEADER "E1,UTC+5,Mon 09:00-10:00,,,\nE2,UTC+05:00,Mon 09:00-10:00,,,\n"
                                                     "E3,GMT+0500,Mon 09:00-10:00,,,\nE4,UTC,Mon 09:00-10:00,,,\n"
                                                     "E5,Z,Mon 09:00-10:00,,,\nE6,UTC+0,Mon 09:00-10:00,,,\n");
  CHECK_EQ(io_read_roster(file, MM_MENTOR, p, &opt, NULL, NULL, &e), MM_OK);
  CHECK_EQ(p->n_zones, 2);
  mm_problem_free(p);
}

static void test_large_roster(void) {
  static const char *const named[] = {"Europe/London", "Europe/Berlin", "America/New_York",
                                      "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo",
                                      "Australia/Sydney", "America/Sao_Paulo", "Africa/Lagos",
                                      "Asia/Kathmandu"};
  size_t rows = 125000;
  snprintf(path, sizeof path, "%s/large.csv", dir);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs("id,name,email,timezone,availability,skills,goals,location,country,department,"
        "manager_id,languages,seniority,capacity\n",
        f);
  for (size_t k = 0; k < rows; k++) {
    char zone[32];
    if (k % 3 == 0) {
      snprintf(zone, sizeof zone, "%s", named[k % 10]);
    } else {
      int q = (int)(k % 100) - 48; /* quarter hours from -12:00 to +12:45 */
      snprintf(zone, sizeof zone, "UTC%c%02d:%02d", q < 0 ? '-' : '+', abs(q) / 4, abs(q) % 4 * 15);
    }
    fprintf(f, "M%zu,Person %zu,p%zu@example.com,%s,Mon-Fri 09:00-17:00; Sat 10:00-12:00,"
               "python:%zu; sql; skill%zu:2,goal%zu; leadership,City%zu,C%zu,Dept%zu,M%zu,en;fr,%zu,%zu\n",
            k, k, k, zone, k % 5 + 1, k % 50, k % 20, k % 300, k % 40, k % 30, k / 10, k % 15, k % 4);
  }
  fclose(f);
  mm_problem *p = new_problem();
  if (!p) return;
  mm_error e;
  clock_t t0 = clock();
  CHECK_EQ(io_read_roster(path, MM_MENTOR, p, &opt, NULL, NULL, &e), MM_OK);
  double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK_EQ(mm_problem_count(p, MM_MENTOR), rows);
  CHECK_EQ(p->n_zones, 110);
  printf("read %zu roster rows in %.3f s (CPU)\n", rows, seconds);
  mm_problem_free(p);
  remove(path);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/mm_roster_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_fixtures();
  test_roster_errors();
  test_roster_edges();
  test_rules();
  test_zone_spellings();
  test_large_roster();
  static const char *const names[] = {"mentors.csv", "mentees.csv", "pairs.csv"};
  for (int k = 0; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    remove(path);
  }
  rmdir(dir);
  return check_report("test_roster_reader");
}
