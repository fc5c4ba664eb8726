/* test_threads.c: mm_match and mm_score_matrix on generated programs at 4 threads give what 1 thread gives.
 *
 * The scoring, candidate selection and proof loops run under OpenMP; the
 * house rule is that results never depend on the schedule or the thread
 * count.  This test reads generated rosters (io_generator, through the real
 * roster reader) into one problem per thread count and compares everything
 * a caller can see: the score matrix, the pairs with their parts and slots,
 * the occurrences, the summary and every left-out reason.  Two sizes: a
 * small program (every pair in the graph, the GLPK path) and one just past
 * the 4 million pairs where candidates are pruned to two per mentee, so the
 * proof rescores hundreds of rows in parallel over several rounds (the flow
 * path).  It is also the program the
 * ThreadSanitizer configuration exists for: at 4 threads every parallel
 * loop of the engine runs with real concurrency.
 */
#include "check.h"

#include "generator.h"
#include "roster_reader.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static void write_side(const io_generator *g, mm_side side, const char *path) {
  mm_error e;
  mm_error_clear(&e);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  CHECK_EQ(io_generator_write(g, side, f, path, &e), MM_OK);
  CHECK_EQ(fclose(f), 0);
}

/* Reads the generated rosters into a problem that runs on `threads`. */
static mm_problem *load(const char *mentors, const char *mentees, int threads, int candidates,
                        mm_solver solver) {
  mm_options o;
  mm_options_init(&o);
  o.candidates = candidates;
  o.solver = solver;
  o.start_year = 2027;
  o.start_month = 3;
  o.start_day = 1;
  o.threads = threads;
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = mm_problem_create(&o, &e);
  CHECK(p != NULL);
  if (!p) return NULL;
  mm_status s = io_read_roster(mentors, MM_MENTOR, p, &o, NULL, NULL, &e);
  if (s == MM_OK) s = io_read_roster(mentees, MM_MENTEE, p, &o, NULL, NULL, &e);
  if (s != MM_OK) {
    char line[1024];
    mm_error_format(&e, line, sizeof line);
    fprintf(stderr, "%s\n", line);
  }
  CHECK_EQ(s, MM_OK);
  return p;
}

static void same_results(const mm_result *a, const mm_result *b) {
  const mm_summary *sa = mm_result_summary(a), *sb = mm_result_summary(b);
  CHECK_EQ(sa->matched, sb->matched);
  CHECK_EQ(sa->total_score, sb->total_score);
  CHECK_EQ(sa->bound, sb->bound);
  CHECK_STR_EQ(sa->status, sb->status);
  CHECK_STR_EQ(sa->solver, sb->solver);
  CHECK_STR_EQ(sa->proof, sb->proof);
  CHECK_EQ(sa->pairs_scored, sb->pairs_scored);
  CHECK_EQ(sa->pairs_eligible, sb->pairs_eligible);
  CHECK_EQ(sa->candidates, sb->candidates);
  CHECK_EQ(mm_result_pair_count(a), mm_result_pair_count(b));
  size_t pairs_differ = 0, occ_differ = 0, left_differ = 0;
  for (size_t k = 0; k < mm_result_pair_count(a) && k < mm_result_pair_count(b); k++) {
    const mm_pair *x = mm_result_pair(a, k), *y = mm_result_pair(b, k);
    int same = x->mentee == y->mentee && x->mentor == y->mentor && x->score == y->score &&
               memcmp(x->part, y->part, sizeof x->part) == 0 && x->required == y->required &&
               x->scheduled == y->scheduled && x->interval_weeks == y->interval_weeks &&
               x->slot_weekday == y->slot_weekday && x->slot_minute == y->slot_minute &&
               x->mentee_weekday == y->mentee_weekday && x->mentee_minute == y->mentee_minute &&
               x->first_occurrence == y->first_occurrence && x->n_occurrences == y->n_occurrences;
    pairs_differ += !same;
  }
  CHECK_EQ(pairs_differ, 0);
  CHECK_EQ(mm_result_occurrence_count(a), mm_result_occurrence_count(b));
  for (size_t k = 0; k < mm_result_occurrence_count(a) && k < mm_result_occurrence_count(b); k++) {
    const mm_occurrence *x = mm_result_occurrence(a, k), *y = mm_result_occurrence(b, k);
    occ_differ += x->index != y->index || x->kind != y->kind || x->start_utc != y->start_utc ||
                  x->end_utc != y->end_utc || x->mentor_offset_s != y->mentor_offset_s ||
                  x->mentee_offset_s != y->mentee_offset_s || x->in_person != y->in_person;
  }
  CHECK_EQ(occ_differ, 0);
  CHECK_EQ(mm_result_left_out_count(a), mm_result_left_out_count(b));
  for (size_t k = 0; k < mm_result_left_out_count(a) && k < mm_result_left_out_count(b); k++) {
    const mm_left_out *x = mm_result_left_out(a, k), *y = mm_result_left_out(b, k);
    left_differ += x->kind != y->kind || x->side != y->side || x->index != y->index ||
                   strcmp(x->reason, y->reason) != 0;
  }
  CHECK_EQ(left_differ, 0);
}

static void run_size(size_t n_mentees, size_t n_mentors, uint64_t seed, int candidates, mm_solver solver,
                     int with_matrix) {
  mm_error e;
  mm_error_clear(&e);
  io_generator *g = io_generator_create(n_mentees, n_mentors, seed, &e);
  CHECK(g != NULL);
  if (!g) return;
  char mentors[128], mentees[128];
  snprintf(mentors, sizeof mentors, "%s/mentors.csv", dir);
  snprintf(mentees, sizeof mentees, "%s/mentees.csv", dir);
  write_side(g, MM_MENTOR, mentors);
  write_side(g, MM_MENTEE, mentees);
  io_generator_free(g);

  mm_problem *one = load(mentors, mentees, 1, candidates, solver);
  mm_problem *four = load(mentors, mentees, 4, candidates, solver);
  if (one && four) {
    if (with_matrix) {
      size_t cells = n_mentees * n_mentors;
      int32_t *m1 = malloc(cells * sizeof *m1), *m4 = malloc(cells * sizeof *m4);
      CHECK(m1 && m4);
      if (m1 && m4) {
        CHECK_EQ(mm_score_matrix(one, m1, &e), MM_OK);
        CHECK_EQ(mm_score_matrix(four, m4, &e), MM_OK);
        CHECK(memcmp(m1, m4, cells * sizeof *m1) == 0);
      }
      free(m1);
      free(m4);
    }
    mm_result *r1 = NULL, *r4 = NULL;
    CHECK_EQ(mm_match(one, &r1, &e), MM_OK);
    CHECK_EQ(mm_match(four, &r4, &e), MM_OK);
    if (r1 && r4) {
      CHECK_EQ(mm_result_summary(r4)->threads, 4);
      CHECK_GT(mm_result_summary(r1)->matched, 0);
      same_results(r1, r4);
      printf("%zu x %zu: %s, %zu matched; %s\n", n_mentees, n_mentors, mm_result_summary(r1)->status,
           mm_result_summary(r1)->matched, mm_result_summary(r1)->proof);
    }
    mm_result_free(r1);
    mm_result_free(r4);
  }
  mm_problem_free(one);
  mm_problem_free(four);
  unlink(mentors);
  unlink(mentees);
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/mm-threads-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  run_size(400, 100, 21, 16, MM_SOLVER_AUTO, 1);
  /* Two candidates per mentee leave hundreds of rows for the proof to
   * rescore in parallel, over several rounds. */
  run_size(2100, 2000, 22, 2, MM_SOLVER_FLOW, 0);
  rmdir(dir);
  return check_report("test_threads");
}
