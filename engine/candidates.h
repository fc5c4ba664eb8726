/* candidates.h: the candidate graph: each mentee's best mentors, from scoring every pair. */
#ifndef MM_CANDIDATES_H
#define MM_CANDIDATES_H

#include "score.h"

typedef struct {
  uint32_t n, m;
  uint64_t *off;          /* CSR rows by mentee, n + 1 */
  uint32_t *adj;          /* mentor per edge, ascending within a row */
  int64_t *w;             /* score per edge */
  int32_t *kth;           /* per mentee: the lowest kept score when some eligible
                             mentors were left out, else -1 (the row is complete) */
  uint32_t *elig;         /* per mentee: eligible mentors */
  uint32_t *mentor_elig;  /* per mentor: eligible mentees */
  int32_t *col_kth;       /* per mentor, when rows were cut: the lowest score of the
                             mentees it keeps (its capacity plus a margin) when some
                             eligible mentees were left out, else -1; NULL when
                             every eligible pair is in the graph */
  uint64_t pairs_scored, pairs_eligible;
  double score_s, select_s; /* wall seconds split between scoring and selection */
} mm_candidates;

/* Scores every pair in parallel (threads, 0 = default) and keeps the best
 * `keep` eligible mentors of each mentee (all of them when keep >= mentors)
 * and, when rows are cut, each mentor's best mentees (capacity plus a
 * margin), so that both sides' strongest pairs reach the solver.
 * Deterministic: ties go to the lower mentor index, whatever the schedule. */
mm_status mm_candidates_build(const mm_scorer *s, uint32_t keep, int threads, mm_candidates *c,
                              mm_error *e);
void mm_candidates_free(mm_candidates *c);

/* Merges extra edges (mentee, mentor, score), keeping rows sorted; edges
 * already present are ignored. */
mm_status mm_candidates_add(mm_candidates *c, const uint32_t *mentee, const uint32_t *mentor,
                            const int64_t *w, size_t n_new, mm_error *e);

/* Index of the edge (mentee, mentor) in the graph, or -1 (rows are sorted). */
int64_t mm_candidates_edge(const mm_candidates *c, uint32_t mentee, uint32_t mentor);

#endif
