/* prove.h: optimality over every pair, from the solver's dual prices. */
#ifndef MM_PROVE_H
#define MM_PROVE_H

#include "candidates.h"

typedef struct {
  uint64_t pruned;         /* mentees whose row was cut to the best candidates */
  uint64_t by_bound;       /* ... of which the k-th best score bound settled every left-out pair */
  uint64_t by_slack;       /* ... of which the slack remembered from an earlier round did */
  uint64_t rescored;       /* ... of which the row was scored again and checked pair by pair */
  uint64_t violations;     /* left-out pairs whose reduced cost was positive */
  uint64_t pairs_checked;  /* pairs compared one by one against the duals */
  uint64_t open_mentors;   /* mentors whose price does not cover their column bound */
} mm_proof_round;

/* Bounded growth: a row found violating for the s-th time may add up to
 * max_add * 4^s pairs, and from its MM_PROOF_FULL_AFTER-th time on (or once
 * that reaches its eligible count) all its eligible pairs, which completes
 * it (mm_candidates_add then marks it so).  Every round adds pairs that are
 * not in the graph yet, so widening ends, with a proof, after a number of
 * rounds bounded by the strikes, whatever the ties. */
#define MM_PROOF_FULL_AFTER 5

/* Pairs remembered per rescored row. */
#define MM_PROOF_TIGHT 8

/* What the proof remembers between rounds, so a row need not be scored
 * again when prices barely move.  For each rescored row: its MM_PROOF_TIGHT
 * pairs outside the graph with the smallest d = v[j] - big - score(i, j),
 * and `rest`, a lower bound on d for all its other pairs outside the graph.
 * A later round settles the row when u[i] + d - (fall of v[j]) >= 0 for each
 * remembered pair and u[i] + rest - (largest fall of any price) >= 0. */
typedef struct {
  int64_t *tight_d;    /* n x MM_PROOF_TIGHT */
  uint32_t *tight_j;   /* n x MM_PROOF_TIGHT */
  uint8_t *tight_n;    /* per mentee */
  int64_t *rest;       /* per mentee; INT64_MIN when nothing is remembered */
  int64_t *price_prev; /* per mentor: v - big of the previous round, or a
                          huge value where the mentor was settled then */
  uint8_t *strikes;    /* per mentee: rounds in which its row had violating pairs */
  int rounds;
} mm_prover;

mm_status mm_prover_init(mm_prover *pv, uint32_t n, uint32_t m, mm_error *e);
void mm_prover_free(mm_prover *pv);

/* One round of the proof.  u (per mentee; ignored where skip[i]) and v (per
 * mentor) are dual prices for combined weights big + score that are feasible
 * on every edge of c; cap[j] is a mentor's remaining capacity (a mentor with
 * none cannot take a left-out pair and is skipped).  Every pair outside c
 * satisfies u[i] + v[j] >= big + score(i, j) unless listed in the output:
 * violating pairs, the highest scores first (ties by mm_pair_tiebreak), up
 * to the row's share under the bounded-growth rule above, or a whole row, in
 * malloc'd arrays the caller frees.  *n_out == 0 means optimality is proven
 * over all pairs.  Uses c->kth (rows) and c->col_kth (columns) as bounds on
 * the pairs outside the graph. */
mm_status mm_prove_round(mm_prover *pv, const mm_scorer *s, const mm_candidates *c, const uint8_t *skip,
                         const int32_t *cap, const int64_t *u, const int64_t *v, int64_t big,
                         int threads, uint32_t max_add, uint32_t **out_mentee,
                         uint32_t **out_mentor, int64_t **out_w, size_t *n_out,
                         mm_proof_round *stats, mm_error *e);

#endif
