/* rules_glpk.c: the program-rules 0/1 program solved by GLPK; the rules' only glp_* calls.
 *
 * GLPK aborts the process on misuse and prints to the terminal, so the
 * program is checked before the first glp_* call, output is swallowed, and
 * GLPK's error hook jumps back here so an internal failure becomes
 * MM_ERR_SOLVER.  The LP relaxation is solved first, by column generation
 * when the caller names starting columns: the rest are priced with the row
 * duals and brought in until none would improve the LP, so its value bounds
 * the whole program even when branch-and-cut, which then runs on the columns
 * brought in, stops at the time limit.  Branch-and-cut
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
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXACT_LIMIT 4503599627370496.0 /* 2^52 */
/* A column comes in when it would raise the LP by more than this (score
 * units are 1e-4, so this is far below one unit). */
#define PRICE_TOLERANCE 1e-3
/* Columns brought in per pricing round, at most. */
#define PRICE_BATCH 4000

static const double *sort_gain;

/* Larger gain first, then the lower column: deterministic. */
static int by_gain(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  if (sort_gain[x] != sort_gain[y]) return sort_gain[x] > sort_gain[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

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
  double bound;        /* best bound seen */
  const double *start; /* the caller's warm solution by GLPK column (1-based), or NULL */
} progress;

/* The score part of an objective value (below one tier). */
static double score_part(const mm_rules_mip *mip, double v) {
  if (mip->tier <= 0) return fabs(v);
  return v - floor(v / mip->tier) * mip->tier;
}

static void on_tree(glp_tree *tree, void *info) {
  progress *pg = info;
  int reason = glp_ios_reason(tree);
  if (reason == GLP_IHEUR && pg->start) {
    /* Offered once, at the root: an incumbent from the first moment. */
    glp_ios_heur_sol(tree, pg->start);
    pg->start = NULL;
    return;
  }
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

/* Whether the caller's warm solution (columns with warm != 0 at 1) meets
 * every row. */
static bool warm_feasible(const mm_rules_mip *mip) {
  if (!mip->warm) return false;
  for (size_t r = 0; r < mip->n_rows; r++) {
    double a = 0;
    for (size_t k = mip->row_off[r]; k < mip->row_off[r + 1]; k++) a += mip->warm[mip->row_col[k]] ? mip->row_coef[k] : 0;
    if (a < mip->row_lo[r] - 1e-9 || a > mip->row_hi[r] + 1e-9) return false;
  }
  return true;
}

/* The warm solution as the answer when GLPK found none in time. */
static void take_warm(const mm_rules_mip *mip, uint8_t *x, mm_rules_mip_result *r) {
  r->value = 0;
  for (size_t j = 0; j < mip->n_cols; j++) {
    x[j] = mip->warm[j] != 0;
    if (x[j]) r->value += mip->obj[j];
  }
  r->outcome = MM_RULES_FEASIBLE;
  if (r->bound < r->value) r->bound = HUGE_VAL;
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

/* The matrix by columns, for loading and pricing columns one by one. */
typedef struct {
  size_t *off; /* n_cols + 1 */
  int *row;    /* GLPK row numbers, 1-based; [0] unused by glp_set_mat_col */
  double *coef;
  int *glp_col; /* per column: its GLPK column, 0 while not loaded */
  int loaded;
} columns;

static void columns_free(columns *c) {
  free(c->off);
  free(c->row);
  free(c->coef);
  free(c->glp_col);
}

static bool columns_build(const mm_rules_mip *mip, columns *c) {
  size_t nz = mip->row_off[mip->n_rows];
  c->off = calloc(mip->n_cols + 2, sizeof *c->off);
  c->row = malloc((nz + 1) * sizeof *c->row);
  c->coef = malloc((nz + 1) * sizeof *c->coef);
  c->glp_col = calloc(mip->n_cols + 1, sizeof *c->glp_col);
  c->loaded = 0;
  if (!c->off || !c->row || !c->coef || !c->glp_col) return false;
  for (size_t k = 0; k < nz; k++) c->off[mip->row_col[k] + 2]++;
  for (size_t j = 0; j < mip->n_cols; j++) c->off[j + 2] += c->off[j + 1];
  for (size_t r = 0; r < mip->n_rows; r++) {
    for (size_t k = mip->row_off[r]; k < mip->row_off[r + 1]; k++) {
      size_t at = c->off[mip->row_col[k] + 1]++;
      c->row[at] = (int)r + 1;
      c->coef[at] = mip->row_coef[k];
    }
  }
  return true;
}

static void load_rows(glp_prob *lp, const mm_rules_mip *mip) {
  glp_set_obj_dir(lp, GLP_MAX);
  if (mip->n_rows) glp_add_rows(lp, (int)mip->n_rows);
  for (size_t r = 0; r < mip->n_rows; r++) {
    double lo = mip->row_lo[r], hi = mip->row_hi[r];
    int type = isinf(lo) && isinf(hi) ? GLP_FR : isinf(lo) ? GLP_UP : isinf(hi) ? GLP_LO : lo == hi ? GLP_FX : GLP_DB;
    glp_set_row_bnds(lp, (int)r + 1, type, isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi);
  }
}

/* Adds model column j to the LP (a binary column at 0). */
static void load_column(glp_prob *lp, const mm_rules_mip *mip, columns *c, size_t j) {
  int col = glp_add_cols(lp, 1);
  c->glp_col[j] = col;
  c->loaded++;
  glp_set_col_kind(lp, col, GLP_BV);
  glp_set_obj_coef(lp, col, mip->obj[j]);
  size_t from = c->off[j], len = c->off[j + 1] - from;
  /* glp_set_mat_col reads entries 1..len. */
  glp_set_mat_col(lp, col, (int)len, c->row + from - 1, c->coef + from - 1);
}

/* Brings in the columns whose reduced cost under the LP's row duals is
 * positive: the best PRICE_BATCH of them per round (adding everything at
 * once would make the next LP as large as the whole program).  Returns how
 * many came in. */
static size_t price(glp_prob *lp, const mm_rules_mip *mip, columns *c, double *dual, double *gain, size_t *order) {
  for (size_t r = 0; r < mip->n_rows; r++) dual[r] = glp_get_row_dual(lp, (int)r + 1);
  size_t n = 0;
  for (size_t j = 0; j < mip->n_cols; j++) {
    if (c->glp_col[j]) continue;
    double d = mip->obj[j];
    for (size_t k = c->off[j]; k < c->off[j + 1]; k++) d -= c->coef[k] * dual[c->row[k] - 1];
    gain[j] = d;
    if (d > PRICE_TOLERANCE) order[n++] = j;
  }
  if (n > PRICE_BATCH) {
    sort_gain = gain;
    qsort(order, n, sizeof *order, by_gain);
    n = PRICE_BATCH;
  }
  for (size_t k = 0; k < n; k++) load_column(lp, mip, c, order[k]);
  return n;
}

/* Branch-and-cut from the LP basis; fills r and x. */
static void branch(glp_prob *lp, const mm_rules_mip *mip, const columns *cols, bool complete, double started,
                   uint8_t *x, mm_rules_mip_result *r) {
  double *start = NULL;
  if (warm_feasible(mip) && (start = calloc((size_t)cols->loaded + 1, sizeof *start)) != NULL)
    for (size_t j = 0; j < mip->n_cols; j++)
      if (cols->glp_col[j]) start[cols->glp_col[j]] = mip->warm[j] != 0;
  progress pg = {mip, r->bound, start};
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_OFF;
  iocp.fp_heur = GLP_ON;
  iocp.tm_lim = ms_left(mip->time_limit_s, started);
  iocp.cb_func = on_tree;
  iocp.cb_info = &pg;
  int ret = glp_intopt(lp, &iocp);
  free(start);
  int status = glp_mip_status(lp);
  if (status == GLP_NOFEAS) {
    r->outcome = MM_RULES_INFEASIBLE;
    return;
  }
  if (status != GLP_OPT && status != GLP_FEAS) {
    r->outcome = MM_RULES_NO_SOLUTION;
    return;
  }
  for (size_t c = 0; c < mip->n_cols; c++) x[c] = cols->glp_col[c] && glp_mip_col_val(lp, cols->glp_col[c]) > 0.5;
  r->value = glp_mip_obj_val(lp);
  bool finished = ret == 0 && status == GLP_OPT;
  if (!complete) {
    /* The tree only saw the columns brought in: the bound is the LP's. */
    double lp_bound = r->bound;
    bool same_tier = mip->tier <= 0 || floor(lp_bound / mip->tier) == floor(r->value / mip->tier);
    bool close = lp_bound - r->value <= mip->rel_gap * score_part(mip, lp_bound) + 0.5;
    r->outcome = same_tier && close && (finished || ret == GLP_ESTOP) ? MM_RULES_OPTIMAL : MM_RULES_FEASIBLE;
    if (r->bound < r->value) r->bound = r->value;
    return;
  }
  r->outcome = finished || ret == GLP_ESTOP ? MM_RULES_OPTIMAL : MM_RULES_FEASIBLE;
  r->bound = finished && mip->rel_gap <= 0 ? r->value : fmin(pg.bound, r->bound);
  if (r->bound < r->value) r->bound = r->value;
}

/* Branch-and-cut on the columns brought in found less than the LP bound.
 * A column left out with reduced cost d under the final LP duals belongs
 * only to solutions worth at most bound + d (d <= 0), so every column with
 * d above -(bound - value) is brought in and the search runs again: its
 * tree bound then holds for the whole program.  The first answer stays if
 * the second run finds nothing in time. */
static void branch_again(glp_prob *lp, const mm_rules_mip *mip, columns *cols, const double *gain, double started,
                         uint8_t *x, mm_rules_mip_result *r) {
  double cut = -(r->bound - r->value) - PRICE_TOLERANCE;
  for (size_t j = 0; j < mip->n_cols; j++)
    if (!cols->glp_col[j] && gain[j] > cut) load_column(lp, mip, cols, j);
  r->columns_used = (size_t)cols->loaded;
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.tm_lim = ms_left(mip->time_limit_s, started);
  if (glp_simplex(lp, &smcp) != 0 || glp_get_status(lp) != GLP_OPT) return;
  mm_rules_mip_result first = *r;
  uint8_t *keep = malloc(mip->n_cols + 1);
  if (!keep) return;
  memcpy(keep, x, mip->n_cols);
  branch(lp, mip, cols, true, started, x, r);
  if (r->outcome == MM_RULES_NO_SOLUTION || r->value < first.value - 0.5) {
    /* Keep the first answer, with the bound the second run proved. */
    double bound = r->outcome == MM_RULES_NO_SOLUTION ? first.bound : r->bound;
    *r = first;
    r->bound = bound;
    memcpy(x, keep, mip->n_cols);
    if (bound - r->value <= mip->rel_gap * score_part(mip, bound) + 0.5 &&
        floor(bound / mip->tier) == floor(r->value / mip->tier))
      r->outcome = MM_RULES_OPTIMAL;
  }
  free(keep);
}

/* The LP's duals for the caller's own pricing of columns it left out. */
static void export_duals(glp_prob *lp, const mm_rules_mip *mip, const columns *cols) {
  for (size_t r = 0; mip->row_dual && r < mip->n_rows; r++) mip->row_dual[r] = glp_get_row_dual(lp, (int)r + 1);
  for (size_t j = 0; mip->col_dual && j < mip->n_cols; j++)
    mip->col_dual[j] = cols->glp_col[j] ? glp_get_col_dual(lp, cols->glp_col[j]) : 0;
  for (size_t j = 0; mip->loaded && j < mip->n_cols; j++) mip->loaded[j] = cols->glp_col[j] != 0;
}

/* The caller's starting point as a basis: basic columns take the place of
 * the rows they name; everything else sits at a bound. */
static void warm_basis(glp_prob *lp, const mm_rules_mip *mip, const columns *cols) {
  for (size_t r = 0; r < mip->n_rows; r++) glp_set_row_stat(lp, (int)r + 1, GLP_BS);
  for (size_t j = 0; j < mip->n_cols; j++) {
    int col = cols->glp_col[j];
    if (!col) continue;
    int64_t w = mip->warm[j];
    if (w >= 2 && (size_t)(w - 2) < mip->n_rows) {
      glp_set_col_stat(lp, col, GLP_BS);
      glp_set_row_stat(lp, (int)(w - 2) + 1, GLP_NU);
    } else {
      glp_set_col_stat(lp, col, w == 1 ? GLP_NU : GLP_NL);
    }
  }
}

/* Simplex, pricing columns in until none improves the LP.  Returns
 * glp_simplex's code of the last run. */
static int solve_lp(glp_prob *lp, const mm_rules_mip *mip, columns *cols, double *dual, double *gain,
                    size_t *order, double started, mm_rules_mip_result *r) {
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  for (;;) {
    smcp.tm_lim = ms_left(mip->time_limit_s, started);
    int ret = glp_simplex(lp, &smcp);
    if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
      glp_std_basis(lp);
      continue;
    }
    if (ret != 0) return ret;
    int status = glp_get_status(lp);
    if (status == GLP_NOFEAS && (size_t)cols->loaded < mip->n_cols) {
      /* The columns so far cannot meet a lower bound: take them all. */
      for (size_t j = 0; j < mip->n_cols; j++)
        if (!cols->glp_col[j]) load_column(lp, mip, cols, j);
      r->pricing_rounds++;
      continue;
    }
    if (status != GLP_OPT) return 0;
    r->pricing_rounds++;
    size_t added = price(lp, mip, cols, dual, gain, order);
    if (added == 0) return 0;
  }
}

mm_status mm_rules_mip_solve(const mm_rules_mip *mip, uint8_t *x, mm_rules_mip_result *r, mm_error *e) {
  mm_status st = check(mip, e);
  if (st != MM_OK) return st;
  double started = clock_s();
  *r = (mm_rules_mip_result){.outcome = MM_RULES_NO_SOLUTION, .bound = HUGE_VAL, .lp_bound = HUGE_VAL};
  columns cols;
  memset(&cols, 0, sizeof cols);
  double *dual = malloc((mip->n_rows + 1) * sizeof *dual);
  double *gain = malloc((mip->n_cols + 1) * sizeof *gain);
  size_t *order = malloc((mip->n_cols + 1) * sizeof *order);
  if (!dual || !gain || !order || !columns_build(mip, &cols)) {
    free(dual);
    free(gain);
    free(order);
    columns_free(&cols);
    mm_error_set(e, "solver", "out of memory for the rules program (%zu columns)", mip->n_cols);
    return MM_ERR_NOMEM;
  }
  trap t;
  glp_prob *volatile lp = NULL;
  if (setjmp(t.env)) {
    glp_free_env();
    free(dual);
    free(gain);
    free(order);
    columns_free(&cols);
    mm_error_set(e, "solver", "GLPK failed internally on the rules program");
    return MM_ERR_SOLVER;
  }
  glp_error_hook(on_error, &t);
  glp_term_hook(quiet, NULL);
  lp = glp_create_prob();
  load_rows(lp, mip);
  for (size_t j = 0; j < mip->n_cols; j++)
    if (!mip->start || mip->start[j]) load_column(lp, mip, &cols, j);
  if (mip->warm) warm_basis(lp, mip, &cols);
  int ret = solve_lp(lp, mip, &cols, dual, gain, order, started, r);
  int lp_status = glp_get_status(lp);
  r->columns_used = (size_t)cols.loaded;
  if (ret == 0 && (lp_status == GLP_NOFEAS || lp_status == GLP_INFEAS)) {
    r->outcome = MM_RULES_INFEASIBLE;
  } else if (ret == 0 && lp_status == GLP_OPT) {
    r->bound = r->lp_bound = glp_get_obj_val(lp);
    export_duals(lp, mip, &cols);
    bool complete = (size_t)cols.loaded == mip->n_cols;
    branch(lp, mip, &cols, complete, started, x, r);
    if (!complete && r->outcome != MM_RULES_INFEASIBLE && r->outcome != MM_RULES_NO_SOLUTION &&
        r->bound - r->value >= 0.5)
      branch_again(lp, mip, &cols, gain, started, x, r);
  } else if (ret != GLP_ETMLIM) {
    st = MM_ERR_SOLVER;
    mm_error_set(e, "solver", "GLPK's simplex method failed on the rules program (code %d)", ret);
  }
  if (st == MM_OK && r->outcome == MM_RULES_NO_SOLUTION && warm_feasible(mip)) take_warm(mip, x, r);
  glp_delete_prob(lp);
  glp_term_hook(NULL, NULL);
  glp_error_hook(NULL, NULL);
  free(dual);
  free(gain);
  free(order);
  columns_free(&cols);
  return st;
}
