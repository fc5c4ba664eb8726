/* score.h: the scoring kernel's private interface (engine/score.c).
 *
 * A scorer is built once per run from a problem: it lays the mentor side out
 * column-wise (skill and goal columns, location ids, seniority, time-zone and
 * language classes) so that scoring one mentee against every mentor is a few
 * streaming loops over contiguous arrays.  Rows are independent, so the
 * caller parallelises over mentees with one mm_score_scratch per thread.
 */
#ifndef MM_SCORE_H
#define MM_SCORE_H

#include "internal.h"

typedef struct mm_scorer mm_scorer;
typedef struct mm_score_scratch mm_score_scratch;

/* Why a pair is not eligible (bit flags, several may hold). */
enum {
  MM_INELIG_SELF = 1 << 0,       /* the mentor is the mentee */
  MM_INELIG_MANAGER = 1 << 1,    /* the mentor is the mentee's direct manager */
  MM_INELIG_LANGUAGE = 1 << 2,   /* both list languages and share none */
  MM_INELIG_SENIORITY = 1 << 3,  /* mentor not senior enough */
  MM_INELIG_OVERLAP = 1 << 4,    /* weekly overlap shorter than one meeting */
  MM_INELIG_FORBIDDEN = 1 << 5,  /* --pairs forbids it */
  MM_INELIG_CAPACITY0 = 1 << 6,  /* the mentor takes no mentees */
  MM_INELIG_HISTORY = 1 << 7     /* paired in an earlier cohort (previous = forbid) */
};

/* Builds the scorer; forbidden pairs come from p->rules.  NULL on failure
 * with e filled.  Uses OpenMP with `threads` threads (0 = default) for the
 * per-mentor precomputation. */
mm_scorer *mm_scorer_create(const mm_problem *p, int threads, mm_error *e);
void mm_scorer_free(mm_scorer *s);

/* Per-thread scratch, allocated before a parallel region. */
mm_score_scratch *mm_score_scratch_create(const mm_scorer *s);
void mm_score_scratch_free(mm_score_scratch *x);

/* Scores mentee i against every mentor; returns the row (n_mentors entries,
 * owned by the scratch, valid until the next call): the score in units of
 * 1e-4, or -1 when the pair is not eligible.  No allocation; thread safe
 * with distinct scratches. */
const int32_t *mm_score_row(const mm_scorer *s, mm_score_scratch *x, uint32_t mentee);

/* A subset of the mentors packed for scoring rows against them alone (the
 * proof checks each row against the few mentors whose prices leave room for
 * a better pair): cols[0..k) are distinct mentors, in any order.  NULL
 * when memory is short.  Read-only once made, so threads share it. */
typedef struct mm_score_cols mm_score_cols;
mm_score_cols *mm_score_cols_create(const mm_scorer *s, const uint32_t *cols, uint32_t k);
void mm_score_cols_free(mm_score_cols *c);

/* Scores mentee i against the subset's mentors: entry t of the returned row
 * (owned by the scratch, valid until its next use) equals mm_score_row's
 * entry cols[t].  No allocation; thread safe with distinct scratches. */
const int32_t *mm_score_cols_row(const mm_scorer *s, const mm_score_cols *c, mm_score_scratch *x, uint32_t i);

/* The same for the subset's first k mentors only (entries [0, k) of the
 * row; the cost falls with k): a subset ordered by a bound lets a row stop
 * where the bound rules out the rest. */
const int32_t *mm_score_cols_prefix(const mm_scorer *s, const mm_score_cols *c, mm_score_scratch *x, uint32_t i,
                                    uint32_t k);

/* The MM_INELIG_* flags of a pair from every rule but the overlap check,
 * which is the only costly one. */
unsigned mm_score_rules(const mm_scorer *s, uint32_t mentee, uint32_t mentor);

/* Scores one pair through the straightforward path: parts per criterion and
 * the MM_INELIG_* flags (0 = eligible).  Returns the score, or -1 when not
 * eligible.  Equal to mm_score_row's entry by construction (tests check). */
int32_t mm_score_pair(const mm_scorer *s, uint32_t mentee, uint32_t mentor,
                      int32_t part[MM_CRITERIA], unsigned *why);

/* Mentees in the order that shares the most work between consecutive rows
 * (grouped by time-zone and language class); a permutation of 0..n-1. */
const uint32_t *mm_scorer_order(const mm_scorer *s);

const mm_problem *mm_scorer_problem(const mm_scorer *s);
uint32_t mm_scorer_mentees(const mm_scorer *s);
uint32_t mm_scorer_mentors(const mm_scorer *s);

/* Highest possible score of any pair, in units of 1e-4. */
int32_t mm_scorer_max_score(const mm_scorer *s);

#endif
