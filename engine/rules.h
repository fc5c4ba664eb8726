/* rules.h: program rules that turn the assignment into an integer program (engine/rules*.c).
 *
 * Diversity quotas, a cap on one department per mentor, a share of matches
 * per group, "every mentor gets a first mentee" and the max-min objective
 * cannot be written as capacities on a bipartite graph, so mm_match hands
 * the candidate graph to mm_rules_solve instead of the assignment solvers
 * when any of them is set.  rules_program.c builds a 0/1 program as plain
 * arrays, rules.c solves it, rules_messages.c explains infeasibility,
 * rules_price.c prices pairs outside a shortlist (rules_internal.h); rules_glpk.c
 * alone talks to GLPK.
 */
#ifndef MM_RULES_H
#define MM_RULES_H

#include "mip.h"
#include "score.h"
#include "solver.h"

#include <stdbool.h>

/* True when o sets a rule that only mm_rules_solve honours. */
bool mm_rules_active(const mm_options *o);
/* ... or when p's mentees have different priorities (a roster column). */
bool mm_rules_needed(const mm_problem *p);

/* maximise obj . x subject to lo <= A x <= hi, every x in {0, 1}.  A is
 * stored by rows (CSR).  No GLPK type appears here. */
typedef struct {
  size_t n_cols, n_rows;
  double *obj;
  size_t *row_off;   /* n_rows + 1 */
  uint32_t *row_col; /* column of each entry */
  double *row_coef;
  double *row_lo, *row_hi; /* -HUGE_VAL / HUGE_VAL for none */
  /* For the stopping rule: the objective is tier * (matches) + (score
   * part) with the score part below tier; rel_gap applies to that part. */
  double tier;
  double rel_gap;      /* stop when (bound - value) <= rel_gap * score part; 0 = exact */
  double time_limit_s; /* 0 = none */
  /* Columns the LP starts from (NULL = all).  The others are priced with
   * the LP's row duals and brought in while any would improve it, so the
   * LP bound still covers every column; branch-and-cut then runs on the
   * columns brought in. */
  const uint8_t *start;
  /* A starting basis (NULL = GLPK's standard one): per column 0 = at 0,
   * 1 = at 1, r + 2 = basic, with row r at its upper bound in its place
   * (each such row named once).  A basis GLPK rejects is replaced by the
   * standard one. */
  const int64_t *warm;
  /* Optional outputs, caller-allocated: the final LP's row duals (n_rows)
   * and column reduced costs (n_cols; 0 for columns never brought in),
   * read before branch-and-cut; they price columns outside the program. */
  double *row_dual, *col_dual;
  uint8_t *loaded; /* optional output (n_cols): 1 for the columns the final LP held */
} mm_rules_mip;

typedef enum {
  MM_RULES_OPTIMAL = 0,    /* solved (to rel_gap) */
  MM_RULES_FEASIBLE = 1,   /* time limit: x holds the best solution found */
  MM_RULES_NO_SOLUTION = 2,/* time limit before any solution */
  MM_RULES_INFEASIBLE = 3  /* no x satisfies the rows */
} mm_rules_outcome;

typedef struct {
  mm_rules_outcome outcome;
  double value; /* objective of x */
  double bound; /* proven upper bound on the objective */
  size_t columns_used; /* columns in the final LP (all of them without start) */
  double lp_bound;     /* the LP relaxation's value over every column (HUGE_VAL when not solved) */
  int pricing_rounds;
} mm_rules_mip_result;

/* Solves mip with GLPK (simplex, then branch-and-cut).  x (n_cols,
 * caller-allocated) receives the solution when there is one.  MM_ERR_SOLVER
 * when GLPK fails, MM_ERR_LIMIT when the program is too large for it,
 * MM_ERR_NOMEM.  Not thread safe (GLPK's hooks are global to a thread). */
mm_status mm_rules_mip_solve(const mm_rules_mip *mip, uint8_t *x, mm_rules_mip_result *r, mm_error *e);

/* Calendar columns for the pairs of people whose weeks are tight
 * (rules_slots.c builds them from the joint model, joint.h): one column per
 * (pair, weekly start), the joint model's clash rows over them, and for
 * each of these pairs a row "its starts sum to its pair column" (to 1 for a
 * fixed pair, to 0 for a pair the program has no column for).  Exact for
 * those people's weeks, so the program stays a relaxation of matching with
 * calendars and its bound stays valid. */
typedef struct {
  const mm_mip *mip;          /* columns and rows, objective ignored */
  size_t n_pairs;
  const uint32_t *pair_mentee, *pair_mentor; /* per pair of the model */
  const uint8_t *pair_fixed;  /* per pair: 0 free; fixed by require/--keep: 1 held to a slot, 2 may go without */
  const size_t *col_pair;     /* per column of mip: its pair */
  int64_t *chosen;            /* out (n_pairs): the column chosen for the pair, or -1 */
} mm_rules_slots;

/* What mm_match has decided before the rules solver runs. */
typedef struct {
  const mm_problem *p;
  const mm_graph *g;    /* mentees not fixed by a rule; cap = places left */
  const int64_t *fixed; /* per mentee: mentor fixed by require/--keep, or -1 */
  bool all_pairs;       /* g holds every eligible pair (else a shortlist) */
  const mm_scorer *scorer; /* prices the pairs outside g when g is a shortlist */
  const uint8_t *prefer;   /* per edge of g, optional: start the LP with these pairs too */
  const mm_rules_slots *slots; /* optional: calendar columns of the tight people */
  double spent_s;              /* seconds of --time-limit earlier solves of this run used; the
                                  answer's seconds include them */
  int64_t floor_hint;          /* max-min: the floor an earlier round found, tried first; INT64_MIN = none */
} mm_rules_input;

typedef struct {
  int64_t *match;       /* in: caller-allocated g->n_left; out: edge or -1 */
  int64_t cardinality, weight;
  int64_t bound;        /* upper bound on weight at this cardinality; -1 = none */
  bool proven;          /* optimal (to mip_gap) */
  bool timed_out;
  double seconds;
  size_t columns, columns_used; /* pair columns in the program, in GLPK's last LP */
  int pricing_rounds;           /* LP rounds of the last solve */
  char text[512];       /* the rules in force and what they achieved */
  int64_t floor;        /* max-min: the highest floor that keeps the matches; INT64_MIN without max-min */
  size_t across[MM_QUOTAS], known[MM_QUOTAS]; /* counted over every pair, fixed ones included */
  /* When g is a shortlist: eligible pairs outside it that the final LP's
   * duals price as possibly better (malloc'd, the caller frees); none means
   * the bound and the optimality claim hold over every eligible pair. */
  uint32_t *add_mentee, *add_mentor;
  int64_t *add_w;
  size_t n_add;         /* listed: needed ones and those within a margin below */
  size_t n_needed;      /* pairs priced above the cut: the bound does not cover them yet */
  bool priced_all;      /* every eligible pair outside g was priced */
  uint8_t *in_lp;       /* per edge of g (malloc'd, the caller frees): held by the final LP */
} mm_rules_answer;

/* Solves "most matched, then highest total score" (or max-min, then total)
 * subject to every rule of p's options.  Infeasible rules (fixed pairs that
 * already break a rule, or a quota that no assignment with a pair can meet)
 * give MM_ERR_INFEASIBLE with a message naming the rule, the numbers and
 * the people.  Deterministic. */
mm_status mm_rules_solve(const mm_rules_input *in, mm_rules_answer *out, mm_error *e);

#endif
