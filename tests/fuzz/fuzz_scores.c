/* fuzz_scores.c: libFuzzer target for io/scores_reader (pipeline mode's capacities and scores files).
 *
 * `solve` reads two files written by another system; both are fuzzed at
 * once: the input is the capacities file, a line "----", then the scores
 * file (fuzz_split).  Besides memory errors it checks scores_reader.h's
 * promises: on success every edge names a known mentee and mentor, scores
 * are within +-1000000 (units of 1e-4), capacities within 0..1000, ids are
 * non-empty, no pair is listed twice and each edge's line lies in S.csv; on
 * failure the status is one of the documented ones, the error is located in
 * one of the two files, and *out is left empty.  A successful read is then
 * solved (one thread), so the engine sees whatever the reader lets through.
 */
#include "fuzz_util.h"
#include "scores_reader.h"

static long lines_in(const uint8_t *d, size_t n) {
  long lines = 1;
  for (size_t k = 0; k < n; k++) lines += d[k] == '\n' || (d[k] == '\r' && (k + 1 == n || d[k + 1] != '\n'));
  return lines;
}

static void check_read(const io_scores *in, long score_lines) {
  const mm_scores *s = &in->scores;
  for (size_t j = 0; j < s->n_mentors; j++) {
    FUZZ_CHECK(in->mentor_ids[j] && in->mentor_ids[j][0]);
    FUZZ_CHECK(in->capacity[j] >= 0 && in->capacity[j] <= 1000);
  }
  for (size_t i = 0; i < s->n_mentees; i++) FUZZ_CHECK(in->mentee_ids[i] && in->mentee_ids[i][0]);
  for (size_t k = 0; k < s->n_edges; k++) {
    FUZZ_CHECK(in->edge_mentee[k] < s->n_mentees && in->edge_mentor[k] < s->n_mentors);
    FUZZ_CHECK(in->edge_score[k] >= -INT64_C(10000000000) && in->edge_score[k] <= INT64_C(10000000000));
    FUZZ_CHECK(in->edge_line[k] >= 2 && in->edge_line[k] <= score_lines);
    for (size_t q = 0; q < k && s->n_edges <= 2000; q++)
      FUZZ_CHECK(in->edge_mentee[q] != in->edge_mentee[k] || in->edge_mentor[q] != in->edge_mentor[k]);
  }
}

static void solve(const io_scores *in) {
  mm_options o;
  mm_options_init(&o);
  o.threads = 1;
  mm_result *r = NULL;
  mm_error e;
  mm_error_clear(&e);
  mm_status st = mm_solve_scores(&in->scores, &o, &r, &e);
  if (st == MM_OK) {
    FUZZ_CHECK(r != NULL);
  } else {
    FUZZ_CHECK(st == MM_ERR_INVALID || st == MM_ERR_LIMIT || st == MM_ERR_INFEASIBLE);
    fuzz_check_error(&e, 0);
  }
  mm_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *scores;
  size_t scores_size;
  size_t caps_size = fuzz_split(data, size, &scores, &scores_size);
  const char *caps_path = fuzz_bytes_to_slot(0, data, caps_size);
  const char *scores_path = fuzz_bytes_to_slot(1, scores, scores_size);
  io_scores in;
  mm_error e;
  mm_error_clear(&e);
  mm_status st = io_read_scores(scores_path, caps_path, &in, &e);
  if (st != MM_OK) {
    FUZZ_CHECK(st == MM_ERR_PARSE || st == MM_ERR_INVALID || st == MM_ERR_LIMIT);
    fuzz_check_error(&e, 0);
    FUZZ_CHECK(strcmp(e.file, caps_path) == 0 || strcmp(e.file, scores_path) == 0);
    FUZZ_CHECK(e.line >= 0);
    FUZZ_CHECK(in.scores.n_edges == 0 && in.mentee_ids == NULL);
    io_scores_free(&in);
    return 0;
  }
  check_read(&in, lines_in(scores, scores_size));
  if (in.scores.n_edges <= 5000) solve(&in);
  io_scores_free(&in);
  return 0;
}
