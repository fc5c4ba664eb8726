/* test_config_reader.c: unit tests of io/config_reader (keys, values, locations, value parsers).
 *
 * Config files are written to a temporary folder; every error case checks
 * the whole compiler-style line, since the column of the bad value is the
 * point of the exercise.
 */
#include "check.h"
#include "error_lines.h"
#include "config_reader.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static char path[128];

static mm_status read_config(const char *text, mm_options *o, mm_error *e) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return MM_ERR_IO;
  fputs(text, f);
  fclose(f);
  mm_options_init(o);
  mm_error_clear(e);
  return io_read_config(path, o, e);
}

static void test_good_file(void) {
  mm_options o;
  mm_error e;
  CHECK_EQ(read_config("\xEF\xBB\xBF# programme settings\n"
                       "\n"
                       "Weight.Skills = 0.5\n"
                       "weight.goals=0.25   # inline comment\n"
                       "weight.timezone = 0\n"
                       "weight.diversity = .25\n"
                       "  seniority_gap = -2\r\n"
                       "meeting_minutes = 45\n"
                       "cadence = BiWeekly\n"
                       "first_meetings = 4\n"
                       "checkpoints = 14, 45 ,120\n"
                       "start = 2028-02-29\n"
                       "threads = 8\n"
                       "solver = flow\n"
                       "candidates = 32\n"
                       "time_limit = 2.5\n",
                       &o, &e),
           MM_OK);
  CHECK(o.weight[MM_CRIT_SKILLS] == 0.5);
  CHECK(o.weight[MM_CRIT_GOALS] == 0.25);
  CHECK(o.weight[MM_CRIT_TIMEZONE] == 0);
  CHECK(o.weight[MM_CRIT_DIVERSITY] == 0.25);
  CHECK_EQ(o.seniority_gap, -2);
  CHECK_EQ(o.meeting_minutes, 45);
  CHECK_EQ(o.cadence, MM_CADENCE_BIWEEKLY);
  CHECK_EQ(o.first_meetings, 4);
  CHECK_EQ(o.n_checkpoints, 3);
  CHECK_EQ(o.checkpoint_days[0], 14);
  CHECK_EQ(o.checkpoint_days[1], 45);
  CHECK_EQ(o.checkpoint_days[2], 120);
  CHECK_EQ(o.start_year, 2028);
  CHECK_EQ(o.start_month, 2);
  CHECK_EQ(o.start_day, 29);
  CHECK_EQ(o.threads, 8);
  CHECK_EQ(o.solver, MM_SOLVER_FLOW);
  CHECK_EQ(o.candidates, 32);
  CHECK(o.time_limit_s == 2.5);

  CHECK_EQ(read_config("checkpoints = none\n", &o, &e), MM_OK);
  CHECK_EQ(o.n_checkpoints, 0);
  CHECK_EQ(read_config("", &o, &e), MM_OK); /* nothing set: defaults stay */
  CHECK_EQ(o.meeting_minutes, 60);
}

static void test_errors(void) {
  mm_options o;
  mm_error e;
  CHECK_EQ(read_config("cadence = weekly\n\nweight.skils = 1\n", &o, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":3:1: error: unknown key \"weight.skils\""));

  CHECK_EQ(read_config("# minutes\n\n\nmeeting_minutes = sixty\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":4:19: error: meeting_minutes: expected an integer, got \"sixty\""));

  CHECK_EQ(read_config("threads = 4x\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:11: error: threads: expected an integer, got \"4x\""));

  CHECK_EQ(read_config("candidates = 99999999999\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:14: error: candidates: expected an integer from 1 to 4096, got \"99999999999\""));
  /* Past an int: the key's own range, as just past it (not the int's). */
  CHECK_EQ(read_config("seniority_gap = 99999999999\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:17: error: seniority_gap: expected an integer from -100 to 100, got \"99999999999\""));
  CHECK_EQ(read_config("joint_whole_pairs = -99999999999\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:21: error: joint_whole_pairs: expected an integer from 0 to 1000000, got \"-99999999999\""));

  CHECK_EQ(read_config("cadence = fortnightly\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:11: error: cadence: expected weekly, biweekly or monthly, got \"fortnightly\""));

  CHECK_EQ(read_config("solver = cplex\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:10: error: solver: expected auto, glpk or flow, got \"cplex\""));

  CHECK_EQ(read_config("start = 2027-02-29\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:9: error: start: expected a date YYYY-MM-DD, got \"2027-02-29\""));

  CHECK_EQ(read_config("weight.goals = -0.5\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:16: error: weight.goals: expected a non-negative decimal such as 0.5 (no exponent), got \"-0.5\""));

  CHECK_EQ(read_config("weight.goals = 1e3\n", &o, &e), MM_ERR_PARSE);
  CHECK_EQ(read_config("weight.goals = nan\n", &o, &e), MM_ERR_PARSE);
  CHECK_EQ(read_config("time_limit = inf\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:14: error: time_limit: expected seconds as a non-negative decimal such as 30 or 2.5 (no exponent), got \"inf\""));

  CHECK_EQ(read_config("checkpoints = 30, sixty, 90\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:19: error: checkpoints: expected day numbers separated by commas (or none), got \"sixty\""));
  CHECK_EQ(read_config("checkpoints = 30,,90\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:18: error: checkpoints: expected day numbers separated by commas (or none), got \"\""));
  CHECK_EQ(read_config("checkpoints = 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n", &o, &e),
           MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:54: error: checkpoints: expected at most 16 checkpoint days"));

  CHECK_EQ(read_config("threads = 2\nthreads = 3\n", &o, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:1: error: threads: set twice (first on line 1)"));

  CHECK_EQ(read_config("just words\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:1: error: expected key = value, got \"just words\""));
  CHECK_EQ(read_config("  = 4\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:3: error: expected a key before '='"));
  CHECK_EQ(read_config("threads =   # nothing\n", &o, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:10: error: threads: expected a value after '='"));
}

/* Range errors come from mm_options_check, located at the line that set the option. */
static void test_checked_ranges(void) {
  mm_options o;
  mm_error e;
  CHECK_EQ(read_config("threads = 2\n# shorter meetings\nmeeting_minutes = 50\n", &o, &e),
           MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":3:19: error: meeting_minutes: expected 15 to 240 in steps of 15, got 50"));

  CHECK_EQ(read_config("checkpoints = 30, 60, 30\n", &o, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:15: error: checkpoints: day 30 is listed twice"));

  CHECK_EQ(read_config("checkpoints = 30, 400\n", &o, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:15: error: checkpoints: expected days from 1 to 366, got 400"));

  CHECK_EQ(read_config("weight.skills = 0\nweight.goals = 0\nweight.timezone = 0\n"
                       "weight.diversity = 0\n",
                       &o, &e),
           MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":4:20: error: weight: expected at least one weight above 0, got all 0"));
  /* The last weight set is the one that made them all 0, in whatever order. */
  CHECK_EQ(read_config("weight.diversity = 0\nweight.goals = 0\nweight.timezone = 0\n"
                       "weight.skills = 0\n",
                       &o, &e),
           MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":4:17: error: weight: expected at least one weight above 0, got all 0"));

  char missing[160];
  snprintf(missing, sizeof missing, "%s/none.conf", dir);
  mm_options_init(&o);
  CHECK_EQ(io_read_config(missing, &o, &e), MM_ERR_IO);
  char want[256];
  snprintf(want, sizeof want, "%s: error: cannot open: No such file or directory", missing);
  CHECK_STR_EQ(error_line(&e), want);
}

static void test_value_parsers(void) {
  long v = 0;
  CHECK_EQ(io_parse_int("42", 0, 100, &v), MM_OK);
  CHECK_EQ(v, 42);
  CHECK_EQ(io_parse_int("-7", -10, 10, &v), MM_OK);
  CHECK_EQ(v, -7);
  CHECK_EQ(io_parse_int("+7", -10, 10, &v), MM_OK);
  CHECK_EQ(io_parse_int("", 0, 10, &v), MM_ERR_PARSE);
  CHECK_EQ(io_parse_int(" 7", 0, 10, &v), MM_ERR_PARSE);
  CHECK_EQ(io_parse_int("7 ", 0, 10, &v), MM_ERR_PARSE);
  CHECK_EQ(io_parse_int("0x10", 0, 100, &v), MM_ERR_PARSE);
  CHECK_EQ(io_parse_int("1.0", 0, 100, &v), MM_ERR_PARSE);
  CHECK_EQ(io_parse_int("-", 0, 100, &v), MM_ERR_PARSE);
  CHECK_EQ(io_parse_int("11", 0, 10, &v), MM_ERR_INVALID);
  CHECK_EQ(io_parse_int("99999999999999999999", LONG_MIN, LONG_MAX, &v), MM_ERR_INVALID);

  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(io_parse_int_field("x", "capacity", 0, 1000, &v, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), "error: capacity: expected an integer, got \"x\"");
  CHECK_EQ(io_parse_int_field("1001", "capacity", 0, 1000, &v, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), "error: capacity: expected an integer from 0 to 1000, got \"1001\"");

  double d = 0;
  CHECK_EQ(io_parse_decimal("0.25", &d), MM_OK);
  CHECK(d == 0.25);
  CHECK_EQ(io_parse_decimal("-3", &d), MM_OK);
  CHECK(d == -3);
  CHECK_EQ(io_parse_decimal("5.", &d), MM_OK);
  CHECK_EQ(io_parse_decimal(".", &d), MM_ERR_PARSE);
  CHECK_EQ(io_parse_decimal("1e3", &d), MM_ERR_PARSE);
  CHECK_EQ(io_parse_decimal("0x1p3", &d), MM_ERR_PARSE);
  CHECK_EQ(io_parse_decimal("infinity", &d), MM_ERR_PARSE);
  CHECK_EQ(io_parse_decimal("1.2.3", &d), MM_ERR_PARSE);
  CHECK_EQ(io_parse_decimal("", &d), MM_ERR_PARSE);

  int y = 0, m = 0, day = 0;
  CHECK_EQ(io_parse_date("2027-01-04", &y, &m, &day), MM_OK);
  CHECK_EQ(y, 2027);
  CHECK_EQ(m, 1);
  CHECK_EQ(day, 4);
  CHECK_EQ(io_parse_date("2000-02-29", &y, &m, &day), MM_OK);
  CHECK_EQ(io_parse_date("1900-02-29", &y, &m, &day), MM_ERR_PARSE);
  CHECK_EQ(io_parse_date("2027-13-01", &y, &m, &day), MM_ERR_PARSE);
  CHECK_EQ(io_parse_date("2027-04-31", &y, &m, &day), MM_ERR_PARSE);
  CHECK_EQ(io_parse_date("2027-1-4", &y, &m, &day), MM_ERR_PARSE);
  CHECK_EQ(io_parse_date("2027-01-04T", &y, &m, &day), MM_ERR_PARSE);
  CHECK_EQ(io_parse_date("", &y, &m, &day), MM_ERR_PARSE);

  mm_cadence c = MM_CADENCE_WEEKLY;
  CHECK_EQ(io_parse_cadence("Monthly", &c), MM_OK);
  CHECK_EQ(c, MM_CADENCE_MONTHLY);
  CHECK_EQ(io_parse_cadence("daily", &c), MM_ERR_PARSE);
  mm_solver s = MM_SOLVER_AUTO;
  CHECK_EQ(io_parse_solver("GLPK", &s), MM_OK);
  CHECK_EQ(s, MM_SOLVER_GLPK);
  CHECK_EQ(io_parse_solver("", &s), MM_ERR_PARSE);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/mm_config_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(path, sizeof path, "%s/program.conf", dir);
  test_good_file();
  test_errors();
  test_checked_ranges();
  test_value_parsers();
  remove(path);
  rmdir(dir);
  return check_report("test_config_reader");
}
