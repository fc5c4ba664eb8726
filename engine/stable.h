/* stable.h: stable matching (deferred acceptance) and blocking-pair counts (engine/stable.c). */
#ifndef MM_STABLE_H
#define MM_STABLE_H

#include "candidates.h"
#include "diary.h"
#include "dual_cols.h"
#include "solver.h"

/* Mentee-proposing deferred acceptance with capacities (hospitals/residents)
 * on g: a mentee prefers a higher score, then the lower mentor index; a
 * mentor prefers a higher score, then the lower mentee index.  Both orders
 * are strict, so the result is the unique mentee-optimal stable assignment,
 * whatever the order of proposals.  match[i] receives i's edge index or -1.
 * MM_ERR_NOMEM with e filled when memory is short.  Thread safe. */
mm_status mm_stable_solve(const mm_graph *g, int64_t *match, mm_error *e);

/* Deferred acceptance as above with everyone's calendar: a mentor takes a
 * proposal only when the two have a free common slot given the mentor's
 * other meetings (diary.h), dropping at most one mentee it wants less: the
 * one whose meeting is in the way, or its least wanted when it is full.
 * d must be empty on entry and holds the bookings on return; slot_of[i]
 * receives each matched mentee's slot (quarter -1 when unmatched).  Stable
 * with calendars whenever no mentor's week ever frees time it refused
 * before; mm_match counts the blocking pairs of the answer either way.
 * MM_ERR_NOMEM with e filled when memory is short.  Not thread safe. */
mm_status mm_stable_solve_calendars(const mm_graph *g, mm_diary *d, int64_t *match, mm_slot *slot_of,
                                    mm_error *e);

/* What a blocking-pair count needs to know about an assignment.  A pair
 * (i, j) blocks when mentee i is free to move (not fixed) and has no mentor
 * or a lower score with it, and mentor j has room left or holds a movable
 * mentee with a lower score.  Scores are compared strictly: equal scores
 * never block. */
typedef struct {
  uint32_t n, m;
  const int32_t *cap;        /* per mentor: places open to movable mentees */
  const int64_t *mentor_of;  /* per mentee: mentor or -1 */
  const int64_t *own;        /* per mentee: score with its mentor (any value when none) */
  const uint8_t *fixed;      /* per mentee: 1 when a rule fixes it (NULL = none fixed) */
  bool maximal;              /* no free mentee has an eligible mentor with room (a maximum or
                                stable assignment); lets mm_blocking_all_pairs score fewer rows */
  /* Optional (NULL: sharing a weekly window is enough): whether mentee i and
   * mentor j, a pair that blocks by score at w, also have a free common
   * slot given both people's other meetings (diary.h).  Called from the
   * counting threads at once; thread (0 .. threads-1) names the caller, so
   * each can use its own scratch. */
  int (*slot_free)(void *ctx, int thread, uint32_t i, uint32_t j, int64_t w);
  void *slot_ctx;
  /* Optional (NULL: none): the prices that proved the assignment optimal
   * (dual_cols.h); mm_blocking_all_pairs then scores only the pairs their
   * bound cannot rule out. */
  const mm_prices *prices;
} mm_stability;

/* Blocking pairs among the edges of g. */
uint64_t mm_blocking_in_graph(const mm_stability *st, const mm_graph *g);

/* Blocking pairs among every eligible pair: the candidate graph c's edges,
 * and rows scored again (with `threads` threads) only where a pair left out
 * of c could block.  *count receives the total.  MM_ERR_NOMEM when the
 * scratch cannot be allocated. */
mm_status mm_blocking_all_pairs(const mm_stability *st, const mm_scorer *s, const mm_candidates *c, int threads,
                                uint64_t *count, mm_error *e);

#endif
