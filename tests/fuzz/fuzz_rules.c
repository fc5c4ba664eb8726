/* fuzz_rules.c: libFuzzer target for io/rules_reader (the --pairs file of require/forbid rules).
 *
 * The pairs file names people of the rosters, so the target first reads a
 * small fixed roster pair (three mentors, four mentees, written to scratch
 * files once per input) and then the fuzz input as the pairs file.  Besides
 * memory errors it checks rules_reader.h's promises: a failure is one of the
 * documented statuses, located in the pairs file at a line that exists;
 * a success is then matched (one thread), so rules the reader accepts but
 * the engine finds impossible must come back as MM_ERR_INFEASIBLE with a
 * message, never a crash or a wrong status.
 */
#include "fuzz_util.h"
#include "roster_reader.h"
#include "rules_reader.h"

static const char mentors[] = "id,timezone,availability,capacity\n"
                              "M1,UTC,Mon-Fri 09:00-17:00,2\nM2,Europe/London,Mon 09:00-12:00,1\n"
                              "M3,UTC+05:30,Tue 10:00-11:00,0\n";
static const char mentees[] = "id,timezone,availability\nE1,UTC,Mon-Fri 09:00-17:00\nE2,UTC,Mon 09:00-10:00\n"
                              "E3,Asia/Tokyo,Wed 09:00-10:00\nE4,UTC-03:00,Thu 12:00-13:00\n";

static long lines_in(const uint8_t *d, size_t n) {
  long lines = 1;
  for (size_t k = 0; k < n; k++) lines += d[k] == '\n' || (d[k] == '\r' && (k + 1 == n || d[k + 1] != '\n'));
  return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mm_options o;
  mm_options_init(&o);
  o.threads = 1;
  o.start_year = 2027;
  o.start_month = 3;
  o.start_day = 1;
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = mm_problem_create(&o, &e);
  FUZZ_CHECK(p != NULL);
  const char *mentors_path = fuzz_bytes_to_slot(1, (const uint8_t *)mentors, sizeof mentors - 1);
  FUZZ_CHECK(io_read_roster(mentors_path, MM_MENTOR, p, &o, NULL, NULL, &e) == MM_OK);
  const char *mentees_path = fuzz_bytes_to_slot(2, (const uint8_t *)mentees, sizeof mentees - 1);
  FUZZ_CHECK(io_read_roster(mentees_path, MM_MENTEE, p, &o, NULL, NULL, &e) == MM_OK);
  const char *path = fuzz_bytes_to_slot(0, data, size);
  mm_status st = io_read_rules(path, p, &e);
  if (st != MM_OK) {
    FUZZ_CHECK(st == MM_ERR_PARSE || st == MM_ERR_INVALID || st == MM_ERR_INFEASIBLE || st == MM_ERR_LIMIT);
    fuzz_check_error(&e, 0);
    FUZZ_CHECK(strcmp(e.file, path) == 0);
    FUZZ_CHECK(e.line >= 1 && e.line <= lines_in(data, size));
  } else {
    mm_result *r = NULL;
    st = mm_match(p, &r, &e);
    if (st == MM_OK) {
      FUZZ_CHECK(r != NULL);
    } else {
      FUZZ_CHECK(st == MM_ERR_INFEASIBLE || st == MM_ERR_INVALID);
      fuzz_check_error(&e, 0);
    }
    mm_result_free(r);
  }
  mm_problem_free(p);
  return 0;
}
