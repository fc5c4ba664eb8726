/* solve_places.h: which mentees an assignment with the most placed leaves out (for the auction).
 *
 * Private to solve_auction.c; solve_places.c says why and how.
 */
#ifndef MM_SOLVE_PLACES_H
#define MM_SOLVE_PLACES_H

#include "solver.h"

/* Marks in left_out (n_left bytes) the mentees of g that one assignment
 * with the most mentees placed leaves out, among those with a pair to a
 * mentor of places (place_off: per mentor, its first place; n_right + 1
 * entries, min(capacity, degree) places each), and returns how many; every
 * other mentee can then be placed at once.  -1 (left_out undefined) when
 * the searches read more than `budget` edges and members, or memory is
 * short. */
int64_t mm_places_left_out(const mm_graph *g, const uint32_t *place_off, uint64_t budget, uint8_t *left_out);

#endif
