/* dual_cols.h: which mentors a row's pairs outside the candidate graph can beat a bar with, from the proof's prices. */
#ifndef MM_DUAL_COLS_H
#define MM_DUAL_COLS_H

#include <stdbool.h>
#include <stdint.h>

/* The prices that proved an optimum over every pair: for each eligible pair
 * (i, j) with mentee i not held by a required pair (skip[i] == 0) and
 * mentor j with places for the solver (cap[j] > 0: capacity less required
 * pairs, capped by weekly hours), u[i] + v[j] >= big + score(i, j): the
 * solver's certificate on its graph, the proof's rounds outside it.  A
 * mentor without places for the solver is bounded by nothing.  Absent (a
 * NULL pointer) without a proof: stable mode, the program rules, a time
 * limit. */
typedef struct {
  const int64_t *u, *v;
  int64_t big;
  const uint8_t *skip;
  const int32_t *cap;
} mm_prices;

/* Pairs a row may score one by one when the prices rule out the rest;
 * beyond that a row is scored against every mentor of the list at once. */
#define MM_DUAL_FEW_PAIRS 32

/* A proven optimum comes with prices u (mentees) and v (mentors) such that
 * u[i] + v[j] >= big + score(i, j) for every pair outside the candidate
 * graph (prove.h).  So a pair scores above a bar only when u[i] + v[j] - big
 * exceeds it: a bound that needs no scoring.  For a list of mentors, each
 * with a bar of its own (bar[t]), a row asks which mentors t satisfy both
 * u[i] + v - big > bar[t] and u[i] + v - big > own (its own bar): sorting
 * the mentors once by v - big - bar[t] and by v - big makes each test a
 * prefix, found by binary search, and the row walks the shorter one.  With
 * every bar -1 and own -1 the positions picked are the mentors the row may
 * be eligible with at all. */
typedef struct {
  uint32_t k;
  int64_t *key_bar; /* v - big - bar[t], descending */
  uint32_t *at_bar; /* the t of each */
  int64_t *key_own; /* v - big, descending */
  uint32_t *at_own;
} mm_dual_cols;

/* Sorts the k mentors cols[t] (bars bar[t]) by both keys; a mentor the
 * prices do not bound (cap 0) is always picked.  False when memory is
 * short (d is then empty and safe to free). */
bool mm_dual_cols_make(mm_dual_cols *d, const uint32_t *cols, const int32_t *bar, uint32_t k, const mm_prices *pr);
void mm_dual_cols_free(mm_dual_cols *d);

/* How many mentors, in key_own's order, have v - big above x (those the
 * prices do not bound always do): the prefix of at_own a row of price u_i
 * must look at for pairs that can score above own, with x = own - u_i. */
uint32_t mm_dual_cols_count_own(const mm_dual_cols *d, int64_t x);

/* The positions t whose pair with a row of price u_i can score above both
 * bar[t] and own (per the bound above), into hit[0 .. most): returns how
 * many, or most + 1 when there are more than most (hit then holds most of
 * them).  Reads d only, so threads share it. */
uint32_t mm_dual_cols_pick(const mm_dual_cols *d, const int32_t *bar, int64_t u_i, int64_t own,
                           uint32_t *hit, uint32_t most);

#endif
