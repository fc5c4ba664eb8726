/* mip.h: a 0/1 integer program as plain data (engine/mip.c) and its exact solve (engine/solve_glpk.c).
 *
 * The joint model of pairs and weekly starts (joint.c), and rules that other
 * modules add to it, are written here as columns and rows without knowing
 * the solver; only solve_glpk.c turns this into glp_* calls.  Every column is
 * binary; every row is lo <= sum(coef * x) <= hi.  The objective is
 * maximised; callers keep its coefficients integral and below 2^52 so that
 * doubles hold every sum exactly.
 */
#ifndef MM_MIP_H
#define MM_MIP_H

#include "mentormatch.h"

typedef struct {
  int n_cols, n_rows;
  double *obj;      /* per column */
  int *row_off;     /* CSR: row r uses entries row_off[r] .. row_off[r+1]-1 */
  int *row_col;     /* 0-based column of each entry */
  double *row_coef; /* coefficient of each entry */
  double *row_lo, *row_hi; /* -HUGE_VAL / HUGE_VAL for none */
  size_t cols_alloc, rows_alloc, entries_alloc;
} mm_mip;

typedef enum {
  MM_MIP_OPTIMAL = 0,    /* proven optimal */
  MM_MIP_FEASIBLE = 1,   /* stopped at the time limit with a solution (x filled) */
  MM_MIP_NO_SOLUTION = 2,/* stopped at the time limit without one */
  MM_MIP_INFEASIBLE = 3  /* no solution exists */
} mm_mip_status;

typedef struct {
  mm_mip_status status;
  double objective; /* of x when one is returned */
  double bound;     /* proven upper bound on the optimum (= objective when optimal) */
} mm_mip_result;

void mm_mip_init(mm_mip *m);
void mm_mip_free(mm_mip *m);
/* Adds a binary column; returns its index, or -1 when memory is short. */
int mm_mip_add_col(mm_mip *m, double obj);
/* Adds the row lo <= sum(coef[k] * x[col[k]]) <= hi; coef NULL means all 1.
 * Returns 0 when memory is short. */
int mm_mip_add_row(mm_mip *m, int n, const int *col, const double *coef, double lo, double hi);

/* Solves m exactly with GLPK (simplex, then branch-and-cut with clique,
 * mixed-integer rounding and Gomory cuts).  start (optional, n_cols values
 * 0/1) is a feasible solution handed to the search as its first incumbent.
 * x (n_cols) receives the solution when r->status is OPTIMAL or FEASIBLE.
 * time_limit_s 0 = none.  MM_ERR_SOLVER when GLPK fails; MM_ERR_LIMIT when
 * the model is too large for it.  Not thread safe (GLPK's hooks are global
 * to its environment). */
mm_status mm_mip_solve(const mm_mip *m, const double *start, double time_limit_s, double *x,
                       mm_mip_result *r, mm_error *e);

#endif
