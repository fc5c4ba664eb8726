/* test_scores_reader.c: unit tests of io/scores_reader (exact scores, ids, duplicates, locations).
 *
 * Pipeline-mode inputs are written to a temporary folder; good files are
 * checked array by array, bad ones by the whole compiler-style error line.
 */
#include "check.h"
#include "error_lines.h"
#include "scores_reader.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static char scores_path[128], caps_path[128];

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static mm_status read_both(const char *scores, const char *caps, io_scores *out, mm_error *e) {
  write_file(scores_path, scores);
  write_file(caps_path, caps);
  mm_error_clear(e);
  return io_read_scores(scores_path, caps_path, out, e);
}

static void test_parse_score(void) {
  static const struct {
    const char *text;
    int64_t units;
  } good[] = {{"0.8125", 8125}, {"-12.5", -125000}, {"100", 1000000},   {"0", 0},
              {"-0", 0},        {"+3.1", 31000},    {".5", 5000},       {"7.", 70000},
              {"0001.0001", 10001}, {"1000000", INT64_C(10000000000)},
              {"-1000000.0000", -INT64_C(10000000000)}, {"999999.9999", INT64_C(9999999999)}};
  for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
    int64_t u = -1;
    mm_error e;
    mm_error_clear(&e);
    CHECK_EQ(io_parse_score(good[k].text, &u, &e), MM_OK);
    CHECK_EQ(u, good[k].units);
  }
  static const char *const bad[] = {"nan", "NaN", "inf", "-inf", "1e3", "1E-2", "0x10", "1,5",
                                    "", "-", ".", "1.2.3", " 1", "1 ", "--1", "12a"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    int64_t u = 0;
    mm_error e;
    mm_error_clear(&e);
    CHECK_EQ(io_parse_score(bad[k], &u, &e), MM_ERR_PARSE);
    CHECK_STR_EQ(e.field, "score");
  }
  int64_t u;
  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(io_parse_score("0.12345", &u, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), "error: score: expected at most 4 decimals, got \"0.12345\"");
  CHECK_EQ(io_parse_score("1000000.0001", &u, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), "error: score: expected a score from -1000000 to 1000000, got \"1000000.0001\"");
  CHECK_EQ(io_parse_score("-99999999999999999999999", &u, &e), MM_ERR_INVALID);
  CHECK_EQ(io_parse_score("1e3", &u, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), "error: score: expected a decimal number such as 0.8125 or -12.5, got \"1e3\"");
}

static void test_good_files(void) {
  io_scores s;
  mm_error e;
  CHECK_EQ(read_both("mentee_id,mentor_id,score\n"
                     "E2,M1,0.5\n"
                     "E1,M2,-12.5\n"
                     "\"E2\",M2, 100 \n"
                     "E3,M3,0.8125\n",
                     "Capacity,Mentor_ID\n1,M3\n2,M1\n0,M2\n", &s, &e),
           MM_OK);
  CHECK_EQ(s.scores.n_mentors, 3);
  CHECK_EQ(s.scores.n_mentees, 3);
  CHECK_STR_EQ(s.mentor_ids[0], "M3");
  CHECK_STR_EQ(s.mentor_ids[1], "M1");
  CHECK_STR_EQ(s.mentor_ids[2], "M2");
  CHECK_EQ(s.scores.capacity[0], 1);
  CHECK_EQ(s.scores.capacity[1], 2);
  CHECK_EQ(s.scores.capacity[2], 0);
  CHECK_STR_EQ(s.mentee_ids[0], "E2");
  CHECK_STR_EQ(s.mentee_ids[1], "E1");
  CHECK_STR_EQ(s.mentee_ids[2], "E3");
  CHECK_EQ(s.scores.n_edges, 4);
  CHECK_EQ(s.scores.edge_mentee[0], 0);
  CHECK_EQ(s.scores.edge_mentor[0], 1);
  CHECK_EQ(s.scores.edge_score[0], 5000);
  CHECK_EQ(s.scores.edge_mentee[1], 1);
  CHECK_EQ(s.scores.edge_mentor[1], 2);
  CHECK_EQ(s.scores.edge_score[1], -125000);
  CHECK_EQ(s.scores.edge_mentee[2], 0);
  CHECK_EQ(s.scores.edge_score[2], 1000000);
  CHECK_EQ(s.scores.edge_mentor[3], 0);
  CHECK_EQ(s.scores.edge_score[3], 8125);
  CHECK_EQ(s.edge_line[0], 2);
  CHECK_EQ(s.edge_line[3], 5);
  io_scores_free(&s);
  CHECK(s.mentee_ids == NULL);
  io_scores_free(&s);
  io_scores_free(NULL);

  CHECK_EQ(read_both("mentee_id,mentor_id,score\n", "mentor_id,capacity\nM1,1\n", &s, &e), MM_OK);
  CHECK_EQ(s.scores.n_mentees, 0);
  CHECK_EQ(s.scores.n_edges, 0);
  CHECK_EQ(s.scores.n_mentors, 1);
  io_scores_free(&s);
}

/* Enough rows to grow every table and array several times. */
static void test_many_rows(void) {
  size_t mentors = 300, mentees = 3000, per = 7;
  size_t size = 64 + mentors * 16 + mentees * per * 32;
  char *caps = malloc(64 + mentors * 16), *scores = malloc(size);
  CHECK(caps && scores);
  if (!caps || !scores) {
    free(caps);
    free(scores);
    return;
  }
  size_t n = (size_t)sprintf(caps, "mentor_id,capacity\n");
  for (size_t j = 0; j < mentors; j++) n += (size_t)sprintf(caps + n, "M%zu,%zu\n", j, j % 5);
  n = (size_t)sprintf(scores, "mentee_id,mentor_id,score\n");
  for (size_t i = 0; i < mentees; i++) {
    for (size_t k = 0; k < per; k++) {
      n += (size_t)sprintf(scores + n, "E%zu,M%zu,%zu.%04zu\n", i, (i * 13 + k * 41) % mentors,
                           k, i % 10000);
    }
  }
  io_scores s;
  mm_error e;
  CHECK_EQ(read_both(scores, caps, &s, &e), MM_OK);
  CHECK_EQ(s.scores.n_mentors, mentors);
  CHECK_EQ(s.scores.n_mentees, mentees);
  CHECK_EQ(s.scores.n_edges, mentees * per);
  int bad = 0;
  for (size_t i = 0; i < mentees; i++) {
    for (size_t k = 0; k < per; k++) {
      size_t x = i * per + k;
      if (s.scores.edge_mentee[x] != i || s.scores.edge_mentor[x] != (i * 13 + k * 41) % mentors ||
          s.scores.edge_score[x] != (int64_t)(k * 10000 + i % 10000)) {
        bad++;
      }
    }
  }
  CHECK_EQ(bad, 0);
  io_scores_free(&s);
  free(caps);
  free(scores);
}

static void test_errors(void) {
  io_scores s;
  mm_error e;
  const char *caps = "mentor_id,capacity\nM1,1\nM2,2\n";
  CHECK_EQ(read_both("mentee_id,mentor_id,score\nE1,M1,NaN\n", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":2:3: error: score: expected a decimal number such as 0.8125 or -12.5, got \"NaN\""));
  CHECK(s.mentee_ids == NULL);
  CHECK_EQ(read_both("mentee_id,mentor_id,score\nE1,M1,inf\n", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":2:3: error: score: expected a decimal number such as 0.8125 or -12.5, got \"inf\""));
  CHECK_EQ(read_both("score,mentee_id,mentor_id\n1e3,E1,M1\n", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":2:1: error: score: expected a decimal number such as 0.8125 or -12.5, got \"1e3\""));
  CHECK_EQ(read_both("mentee_id,mentor_id,score\nE1,M1,1\nE1,M2,0.12345\n", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":3:3: error: score: expected at most 4 decimals, got \"0.12345\""));
  CHECK_EQ(read_both("mentee_id,mentor_id,score\nE1,M1,\n", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":2:3: error: score: expected a decimal number, got \"\""));
  CHECK_EQ(read_both("mentee_id,mentor_id,score\nE1,M1,-1000001\n", caps, &s, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":2:3: error: score: expected a score from -1000000 to 1000000, got \"-1000001\""));

  CHECK_EQ(read_both("mentee_id,mentor_id,score\nE1,M1,1\nE2,M1,2\n\nE1, M1 ,3\n", caps, &s, &e),
           MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":5:1: error: pair of mentee \"E1\" and mentor \"M1\" listed twice (first on line 2)"));

  CHECK_EQ(read_both("mentee_id,mentor_id,score\nE1,M9,1\n", caps, &s, &e), MM_ERR_INVALID);
  char want[512];
  snprintf(want, sizeof want, "%s:2:2: error: mentor_id: no mentor with id \"M9\" in %s",
           scores_path, caps_path);
  CHECK_STR_EQ(error_line(&e), want);

  CHECK_EQ(read_both("mentee_id,mentor_id,score\n,M1,1\n", caps, &s, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":2:1: error: mentee_id: expected an id, got \"\""));

  CHECK_EQ(read_both("mentee_id,mentor_id,score,comment\n", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":1:4: error: unknown column \"comment\" (expected mentee_id, mentor_id, score)"));
  CHECK_EQ(read_both("mentee_id,score\n", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":1:3: error: missing required column \"mentor_id\""));
  CHECK_EQ(read_both("", caps, &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(scores_path, ":1: error: empty file: expected a header row"));

  const char *scores = "mentee_id,mentor_id,score\nE1,M1,1\n";
  CHECK_EQ(read_both(scores, "mentor_id,capacity\nM1,1\nM2,1\nM1,3\n", &s, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(caps_path, ":4:1: error: mentor_id: duplicate id \"M1\" (first on line 2)"));
  CHECK_EQ(read_both(scores, "mentor_id,capacity\nM1,-1\n", &s, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(caps_path, ":2:2: error: capacity: expected an integer from 0 to 1000, got \"-1\""));
  CHECK_EQ(read_both(scores, "mentor_id,capacity\nM1,1001\n", &s, &e), MM_ERR_INVALID);
  CHECK_STR_EQ(error_line(&e), expected_line(caps_path, ":2:2: error: capacity: expected an integer from 0 to 1000, got \"1001\""));
  CHECK_EQ(read_both(scores, "mentor_id,capacity\nM1,x\n", &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(caps_path, ":2:2: error: capacity: expected an integer, got \"x\""));
  CHECK_EQ(read_both(scores, "mentor_id,capacity\nM1,1,2\n", &s, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(caps_path, ":2:3: error: expected 2 fields as in the header, got 3"));
  CHECK(s.mentee_ids == NULL && s.scores.n_edges == 0);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/mm_scores_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(scores_path, sizeof scores_path, "%s/scores.csv", dir);
  snprintf(caps_path, sizeof caps_path, "%s/capacities.csv", dir);
  test_parse_score();
  test_good_files();
  test_many_rows();
  test_errors();
  remove(scores_path);
  remove(caps_path);
  rmdir(dir);
  return check_report("test_scores_reader");
}
