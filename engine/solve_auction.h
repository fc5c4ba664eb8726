/* solve_auction.h: the auction that starts the flow solver's cold solves from mentees.
 *
 * Private to solve_flow.c; solve_auction.c says why and how.
 */
#ifndef MM_SOLVE_AUCTION_H
#define MM_SOLVE_AUCTION_H

#include "solver.h"

/* The largest big the auction takes: its scaled prices stay below 2^62. */
#define MM_AUCTION_MAX_BIG (INT64_C(1) << 56)

/* What mm_auction_start returns when it filled its arrays. */
#define MM_AUCTION_DONE 1
#define MM_AUCTION_LATE 2

/* A nearly optimal start for g with edge weights big + w: per mentee its
 * mentor or -1 (mentor_of) and the weight it keeps (u), per mentor a price
 * (v), all in score units.  Not proven and not meant to be: the flow solver
 * restores it as a warm start and repairs it to the exact optimum.  Returns
 * MM_AUCTION_DONE when it filled the three arrays (caller-allocated:
 * n_left, n_left, n_right), MM_AUCTION_LATE when it filled them with what it
 * had when mm_solver_clock_ns() passed deadline_ns (0 = none), some mentees
 * still without a place; 0 when it gave up (memory short, big over
 * MM_AUCTION_MAX_BIG, or a price war over its budget) and wrote nothing. */
int mm_auction_start(const mm_graph *g, int64_t big, int64_t deadline_ns, int64_t *mentor_of, int64_t *u,
                     int64_t *v);

#endif
