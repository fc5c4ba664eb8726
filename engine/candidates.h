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

/* The tie-break among pairs of equal score, everywhere a pair is chosen over
 * another (candidate rows and columns, the proof's pairs to add): the pair
 * with the larger key wins.  For a fixed mentor the key is a bijection of the
 * mentee (murmur3's 32-bit finaliser of mentee ^ salt(mentor)), so lists are
 * spread over the roster instead of favouring low indices, nothing depends
 * on the order rows are seen in, and a key gives its mentee back. */
static inline uint32_t mm_mix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static inline uint32_t mm_unmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x7ed1b41du; /* inverse of 0xc2b2ae35 mod 2^32 */
  h ^= (h >> 13) ^ (h >> 26);
  h *= 0xa5cb9243u; /* inverse of 0x85ebca6b */
  h ^= h >> 16;
  return h;
}

/* Where the solvers choose among equal pairs (solve_flow.c's start,
 * solve_glpk.c's column order), people go by this hash of their row, a
 * bijection, smallest first: not by row number, so which of several
 * identical people gets a place does not follow the file's order. */
static inline uint32_t mm_row_hash(uint32_t row) {
  return mm_mix32(row * 0x9E3779B9u + 1);
}

/* qsort's order of keys made as mm_row_hash(row) << 32 | index: by the
 * hash, then the index (the solvers' one sort for choosing by the hash). */
static inline int mm_by_hash_key(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return (a > b) - (a < b);
}

static inline uint32_t mm_pair_salt(uint32_t mentor) { return mm_row_hash(mentor); }

static inline uint32_t mm_pair_tiebreak(uint32_t mentee, uint32_t mentor) {
  return mm_mix32(mentee ^ mm_pair_salt(mentor));
}

/* Mentors a mentee keeps whatever their score when its row is cut (keep <
 * mentors): the MM_ROW_SPREAD eligible ones with the largest
 * mm_pair_tiebreak, besides its best `keep`. */
#define MM_ROW_SPREAD 4

/* Scores every pair in parallel (threads, 0 = default) and keeps the best
 * `keep` eligible mentors of each mentee (all of them when keep >= mentors;
 * when fewer, its spread too, see MM_ROW_SPREAD)
 * and, when rows are cut, each mentor's best mentees (capacity plus a
 * margin), so that both sides' strongest pairs reach the solver.
 * Deterministic: ties go to the larger mm_pair_tiebreak, whatever the schedule. */
mm_status mm_candidates_build(const mm_scorer *s, uint32_t keep, int threads, mm_candidates *c,
                              mm_error *e);
void mm_candidates_free(mm_candidates *c);

/* Merges extra edges (mentee, mentor, score), keeping rows sorted; edges
 * already present are ignored.  A row that then holds every eligible pair
 * is marked complete (kth -1), so the proof never checks it again. */
mm_status mm_candidates_add(mm_candidates *c, const uint32_t *mentee, const uint32_t *mentor,
                            const int64_t *w, size_t n_new, mm_error *e);

/* Index of the edge (mentee, mentor) in the graph, or -1 (rows are sorted). */
int64_t mm_candidates_edge(const mm_candidates *c, uint32_t mentee, uint32_t mentor);

#endif
