/* scores_reader.h: pipeline mode's scores and capacities files into an mm_scores.
 *
 * In pipeline mode another system has already scored the pairs; the tool
 * only solves.  S.csv lists mentee_id, mentor_id, score (a decimal with at
 * most four places, |score| <= 1000000); C.csv lists mentor_id, capacity
 * (0..1000).  Scores are read exactly from their digits into units of 1e-4,
 * never through a double, so the same file always gives the same matching.
 */
#ifndef MM_IO_SCORES_READER_H
#define MM_IO_SCORES_READER_H

#include "mentormatch.h"

/* Everything read, owned by the struct; free with io_scores_free. */
typedef struct {
  mm_scores scores;        /* views of the arrays below, ready for mm_solve_scores */
  const char **mentee_ids; /* scores.n_mentees, in order of first appearance in S.csv */
  const char **mentor_ids; /* scores.n_mentors, in C.csv order */
  int32_t *capacity;       /* per mentor */
  uint32_t *edge_mentee, *edge_mentor;
  int64_t *edge_score;     /* units of 1e-4 */
  long *edge_line;         /* line of S.csv each edge came from, to locate engine errors */
  char *id_text;           /* storage of the ids */
} io_scores;

/* Reads capacities_path (mentor_id, capacity) then scores_path (mentee_id,
 * mentor_id, score) into *out.  Mentors are those of the capacities file, in
 * its order; mentees are those appearing in the scores file.  Errors, located
 * at file:line:col: a bad score or capacity, an empty id, a mentor listed
 * twice in C.csv or a pair listed twice in S.csv (naming both lines), a
 * mentor of S.csv missing from C.csv, any column other than the required
 * ones; MM_ERR_IO, MM_ERR_PARSE, MM_ERR_INVALID, MM_ERR_LIMIT, MM_ERR_NOMEM.
 * On failure *out is left empty (io_scores_free on it is harmless).
 * Thread-safe for distinct out. */
mm_status io_read_scores(const char *scores_path, const char *capacities_path, io_scores *out,
                         mm_error *e);

/* Frees what io_read_scores stored and empties *s.  NULL does nothing. */
void io_scores_free(io_scores *s);

/* Parses a score such as "0.8125", "-12.5" or "100" exactly into units of
 * 1e-4.  Rejects empty text, nan, inf, exponents, more than four decimals and
 * |score| > 1000000, filling e's field ("score") and message.  The location
 * is left as it was. */
mm_status io_parse_score(const char *text, int64_t *units, mm_error *e);

#endif
