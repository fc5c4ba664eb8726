/* prove.h: optimality over every pair, from the solver's dual prices. */
#ifndef MM_PROVE_H
#define MM_PROVE_H

#include "candidates.h"

typedef struct {
  uint64_t pruned;         /* mentees whose row was cut to the best candidates */
  uint64_t by_bound;       /* ... of which the k-th best score bound settled every left-out pair */
  uint64_t rescored;       /* ... of which the row was scored again and checked pair by pair */
  uint64_t violations;     /* left-out pairs whose reduced cost was positive */
  uint64_t pairs_checked;  /* pairs compared one by one against the duals */
} mm_proof_round;

/* One round of the proof.  u (per mentee; ignored where skip[i]) and v (per
 * mentor) are dual prices for combined weights big + score that are feasible
 * on every edge of c; cap[j] is a mentor's remaining capacity (a mentor with
 * none cannot take a left-out pair and is skipped).  Every pair outside c
 * satisfies u[i] + v[j] >= big + score(i, j) unless listed in the output:
 * up to max_add violating pairs per mentee (the highest scores first) in
 * malloc'd arrays the caller frees.  *n_out == 0 means optimality is proven
 * over all pairs. */
mm_status mm_prove_round(const mm_scorer *s, const mm_candidates *c, const uint8_t *skip,
                         const int32_t *cap, const int64_t *u, const int64_t *v, int64_t big,
                         int threads, uint32_t max_add, uint32_t **out_mentee,
                         uint32_t **out_mentor, int64_t **out_w, size_t *n_out,
                         mm_proof_round *stats, mm_error *e);

#endif
