/* explain.h: reasons, in words, for everyone the assignment left out. */
#ifndef MM_EXPLAIN_H
#define MM_EXPLAIN_H

#include "candidates.h"
#include "dual_cols.h"
#include "result.h"

#include <stdbool.h>

/* Appends to r one MM_LEFT_UNMATCHED entry per mentee without a mentor (by
 * index) and then per mentor without a mentee.  load[j] is the number of
 * mentees mentor j received; mentor_of[i] is i's mentor or -1.  moved[i]
 * (may be NULL) is the mentor the calendar-blind optimum gave mentee i when
 * fitting calendars took it away, else -1: such a mentee was left out
 * because the free hours ran out, and a mentor that lost every mentee that
 * way has places but no hours.  Other mentees left out name the limit of
 * their eligible mentors: places, weekly hours, or both.  Mentors given
 * mentees whose remaining places their full week cannot host set their
 * pairs' mentor_places_without_hours and the summary's mentors_week_full.
 * When the assignment is not proven optimal (a time limit), the sentences
 * say so instead of blaming capacity.  binding names what else shaped
 * the assignment ("program rules", "stable assignment"), or is NULL.
 * Rows are scored again with `threads` threads, where prices (NULL: none,
 * dual_cols.h) leave a mentor with places that could be eligible. */
mm_status mm_explain_unmatched(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                               const int64_t *mentor_of, const uint32_t *load, const int64_t *moved,
                               bool proven, const char *binding, const mm_prices *prices, int threads,
                               mm_result *r, mm_error *e);

/* The main reason among MM_INELIG_* flags, as a verb phrase about one
 * mentor ("has capacity 0") or several ("have capacity 0").  Static. */
const char *mm_explain_reason(unsigned flags, bool several);

/* Fills each pair's rank (1 + eligible mentors of its mentee with a
 * strictly higher score) and note (the rule that kept the mentee from its
 * best-scoring eligible mentor: capacity and who holds it, a department
 * cap, the program rules, an earlier cohort, a require or keep rule, a
 * time limit; empty at rank 1).  Rows are scored again (with `threads`
 * threads) only where mentors outside the candidate graph c could rank
 * higher, and with the proof's prices (NULL: none) only against the
 * mentors those let outrank. */
mm_status mm_explain_pairs(const mm_problem *p, const mm_scorer *s, const mm_candidates *c, bool proven,
                           const mm_prices *prices, int threads, mm_result *r, mm_error *e);

#endif
