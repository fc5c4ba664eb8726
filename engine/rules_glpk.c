/* rules_glpk.c: the program-rules 0/1 program solved by GLPK; the rules' only glp_* calls.
 *
 * GLPK aborts the process on misuse and prints to the terminal, so the
 * program is checked before the first glp_* call, output is swallowed, and
 * GLPK's error hook jumps back here so an internal failure becomes
 * MM_ERR_SOLVER.  The LP relaxation is solved first (its value is a bound
 * even when branch-and-cut later stops at the time limit); branch-and-cut
 * then runs with a callback that records the best bound of the open tree
 * and stops once the score part of the gap is within rel_gap.  All
 * coefficients are integers below 2^52, so doubles hold them exactly.
 * Not thread safe: GLPK's hooks are per thread and this sets them.
 */
#include "rules.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <time.h>

#define EXACT_LIMIT 4503599627370496.0 /* 2^52 */

typedef struct {
  jmp_buf env;
} trap;

static void on_error(void *info) { longjmp(((trap *)info)->env, 1); }

static int quiet(void *info, const char *s) {
  (void)info;
  (void)s;
  return 1;
}

static double clock_s(void) {
  struct timespec ts;
  if (!timespec_get(&ts, TIME_UTC)) return 0;
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int ms_left(double limit_s, double started) {
  if (limit_s <= 0) return INT_MAX;
  double left = (limit_s - (clock_s() - started)) * 1000.0;
  if (left < 1) return 1;
  return left >= INT_MAX ? INT_MAX : (int)left;
}

typedef struct {
  const mm_rules_mip *mip;
  double bound; /* best bound seen */
} progress;

/* The score part of an objective value (below one tier). */
static double score_part(const mm_rules_mip *mip, double v) {
  if (mip->tier <= 0) return fabs(v);
  return v - floor(v / mip->tier) * mip->tier;
}

static void on_tree(glp_tree *tree, void *info) {
  progress *pg = info;
  int reason = glp_ios_reason(tree);
  if (reason != GLP_ISELECT && reason != GLP_IBINGO && reason != GLP_IROWGEN) return;
  int best = glp_ios_best_node(tree);
  if (best == 0) return;
  double b = glp_ios_node_bound(tree, best);
  if (b < pg->bound) pg->bound = b;
  glp_prob *lp = glp_ios_get_prob(tree);
  if (pg->mip->rel_gap <= 0 || glp_mip_status(lp) != GLP_FEAS) return;
  double value = glp_mip_obj_val(lp);
  /* Same number of matches in bound and incumbent, and the score within the gap. */
  if (pg->bound - value <= pg->mip->rel_gap * score_part(pg->mip, pg->bound) + 0.5 &&
      floor(pg->bound / pg->mip->tier) == floor(value / pg->mip->tier))
    glp_ios_terminate(tree);
}

static mm_status check(const mm_rules_mip *mip, mm_error *e) {
  if (mip->n_cols >= INT_MAX / 2 || mip->n_rows >= INT_MAX / 2 || mip->row_off[mip->n_rows] >= INT_MAX / 2) {
    mm_error_set(e, "solver", "too large for GLPK: %zu columns, %zu rows", mip->n_cols, mip->n_rows);
    return MM_ERR_LIMIT;
  }
  for (size_t c = 0; c < mip->n_cols; c++) {
    if (!(fabs(mip->obj[c]) < EXACT_LIMIT)) {
      mm_error_set(e, "solver", "objective coefficients too large for GLPK's doubles");
      return MM_ERR_LIMIT;
    }
  }
  for (size_t k = 0; k < mip->row_off[mip->n_rows]; k++) {
    if (mip->row_col[k] >= mip->n_cols || !(fabs(mip->row_coef[k]) < EXACT_LIMIT)) {
      mm_error_set(e, "solver", "a rule row refers to a missing column or is too large");
      return MM_ERR_INVALID;
    }
  }
  return MM_OK;
}

static void load(glp_prob *lp, const mm_rules_mip *mip, int *ia, int *ja, double *ar) {
  glp_set_obj_dir(lp, GLP_MAX);
  if (mip->n_rows) glp_add_rows(lp, (int)mip->n_rows);
  for (size_t r = 0; r < mip->n_rows; r++) {
    double lo = mip->row_lo[r], hi = mip->row_hi[r];
    int type = isinf(lo) && isinf(hi) ? GLP_FR : isinf(lo) ? GLP_UP : isinf(hi) ? GLP_LO : lo == hi ? GLP_FX : GLP_DB;
    glp_set_row_bnds(lp, (int)r + 1, type, isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi);
    for (size_t k = mip->row_off[r]; k < mip->row_off[r + 1]; k++) {
      ia[k + 1] = (int)r + 1;
      ja[k + 1] = (int)mip->row_col[k] + 1;
      ar[k + 1] = mip->row_coef[k];
    }
  }
  glp_add_cols(lp, (int)mip->n_cols);
  for (size_t c = 0; c < mip->n_cols; c++) {
    glp_set_col_kind(lp, (int)c + 1, GLP_BV);
    glp_set_obj_coef(lp, (int)c + 1, mip->obj[c]);
  }
  glp_load_matrix(lp, (int)mip->row_off[mip->n_rows], ia, ja, ar);
}

/* Branch-and-cut from the LP basis; fills r and x. */
static void branch(glp_prob *lp, const mm_rules_mip *mip, double started, uint8_t *x, mm_rules_mip_result *r) {
  progress pg = {mip, r->bound};
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_OFF;
  iocp.fp_heur = GLP_ON;
  iocp.tm_lim = ms_left(mip->time_limit_s, started);
  iocp.cb_func = on_tree;
  iocp.cb_info = &pg;
  int ret = glp_intopt(lp, &iocp);
  int status = glp_mip_status(lp);
  if (status == GLP_NOFEAS) {
    r->outcome = MM_MIP_INFEASIBLE;
    return;
  }
  if (status != GLP_OPT && status != GLP_FEAS) {
    r->outcome = MM_MIP_NO_SOLUTION;
    return;
  }
  for (size_t c = 0; c < mip->n_cols; c++) x[c] = glp_mip_col_val(lp, (int)c + 1) > 0.5;
  r->value = glp_mip_obj_val(lp);
  bool finished = ret == 0 && status == GLP_OPT;
  r->outcome = finished || ret == GLP_ESTOP ? MM_MIP_OPTIMAL : MM_MIP_FEASIBLE;
  r->bound = finished && mip->rel_gap <= 0 ? r->value : fmin(pg.bound, r->bound);
  if (r->bound < r->value) r->bound = r->value;
}

mm_status mm_rules_mip_solve(const mm_rules_mip *mip, uint8_t *x, mm_rules_mip_result *r, mm_error *e) {
  mm_status st = check(mip, e);
  if (st != MM_OK) return st;
  double started = clock_s();
  *r = (mm_rules_mip_result){MM_MIP_NO_SOLUTION, 0, HUGE_VAL, 0};
  size_t nz = mip->row_off[mip->n_rows];
  int *ia = malloc((nz + 1) * sizeof *ia);
  int *ja = malloc((nz + 1) * sizeof *ja);
  double *ar = malloc((nz + 1) * sizeof *ar);
  if (!ia || !ja || !ar) {
    free(ia);
    free(ja);
    free(ar);
    mm_error_set(e, "solver", "out of memory for the rules program (%zu entries)", nz);
    return MM_ERR_NOMEM;
  }
  trap t;
  glp_prob *volatile lp = NULL;
  if (setjmp(t.env)) {
    glp_free_env();
    free(ia);
    free(ja);
    free(ar);
    mm_error_set(e, "solver", "GLPK failed internally on the rules program");
    return MM_ERR_SOLVER;
  }
  glp_error_hook(on_error, &t);
  glp_term_hook(quiet, NULL);
  lp = glp_create_prob();
  load(lp, mip, ia, ja, ar);
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.tm_lim = ms_left(mip->time_limit_s, started);
  int ret = glp_simplex(lp, &smcp);
  int lp_status = glp_get_status(lp);
  if (ret == 0 && (lp_status == GLP_NOFEAS || lp_status == GLP_INFEAS)) {
    r->outcome = MM_MIP_INFEASIBLE;
  } else if (ret == 0 && lp_status == GLP_OPT) {
    r->bound = glp_get_obj_val(lp);
    branch(lp, mip, started, x, r);
  } else if (ret != GLP_ETMLIM) {
    st = MM_ERR_SOLVER;
    mm_error_set(e, "solver", "GLPK's simplex method failed on the rules program (code %d)", ret);
  }
  glp_delete_prob(lp);
  glp_term_hook(NULL, NULL);
  glp_error_hook(NULL, NULL);
  free(ia);
  free(ja);
  free(ar);
  return st;
}
