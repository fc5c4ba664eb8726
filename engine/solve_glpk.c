/* solve_glpk.c: the assignment as an integer program solved with GLPK, the solver of record.
 *
 * One 0-1 variable per candidate pair, a row per mentee (at most one
 * mentor) and a row per mentor (at most its capacity); the objective weighs
 * each pair big + score so that one more match outweighs any change in total
 * score.  The LP relaxation is solved by the simplex method and the integer
 * program by GLPK's branch-and-cut driver, which proves the optimum; the
 * constraint matrix is totally unimodular, so the simplex's basic dual
 * solution is integral and is returned as the certificate mm_assign checks.
 *
 * Every glp_* call of the project lives in this file.  GLPK aborts the
 * process on internal errors, so its error hook jumps back here and the
 * failure becomes MM_ERR_SOLVER; its terminal output is switched off.  GLPK
 * keeps its environment per thread: this function is not thread safe with
 * itself across threads sharing an environment, and is called from one
 * thread only.
 */
#include "solver.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <string.h>

static void on_glpk_error(void *info) { longjmp(*(jmp_buf *)info, 1); }

static int silence(void *info, const char *text) {
  (void)info;
  (void)text;
  return 1; /* non-zero: GLPK prints nothing */
}

static mm_status check_graph(const mm_graph *g, mm_error *e) {
  if (g->n_left > (uint32_t)INT32_MAX - 1 || g->n_right > (uint32_t)INT32_MAX - 1) {
    mm_error_set(e, NULL, "graph too large for GLPK");
    return MM_ERR_LIMIT;
  }
  uint64_t edges = g->off[g->n_left];
  if (edges + g->n_left + g->n_right > (uint64_t)INT32_MAX / 2) {
    mm_error_set(e, NULL, "%llu pairs are too many for GLPK; use the flow solver", (unsigned long long)edges);
    return MM_ERR_LIMIT;
  }
  for (uint32_t i = 0; i < g->n_left; i++) {
    if (g->off[i + 1] < g->off[i]) {
      mm_error_set(e, NULL, "malformed candidate graph");
      return MM_ERR_SOLVER;
    }
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->adj[k] >= g->n_right) {
        mm_error_set(e, NULL, "malformed candidate graph");
        return MM_ERR_SOLVER;
      }
    }
  }
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (g->cap[j] < 0) {
      mm_error_set(e, NULL, "negative capacity");
      return MM_ERR_SOLVER;
    }
  }
  return MM_OK;
}

/* Builds and solves the program; called under the error hook.  Returns the
 * status; the problem object is freed by the caller. */
static mm_status solve(glp_prob *lp, const mm_graph *g, mm_assignment *a, mm_error *e) {
  uint32_t n = g->n_left, m = g->n_right;
  int edges = (int)g->off[n];
  glp_set_obj_dir(lp, GLP_MAX);
  glp_add_rows(lp, (int)(n + m));
  for (uint32_t i = 0; i < n; i++) glp_set_row_bnds(lp, (int)i + 1, GLP_UP, 0.0, 1.0);
  for (uint32_t j = 0; j < m; j++) glp_set_row_bnds(lp, (int)(n + j) + 1, GLP_UP, 0.0, (double)g->cap[j]);
  glp_add_cols(lp, edges);
  int idx[3];
  double one[3] = {0.0, 1.0, 1.0};
  for (uint32_t i = 0; i < n; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      int col = (int)k + 1;
      /* Integer and only bounded below: the rows already cap it at 1, and an
       * upper column bound would carry the dual prices instead of the rows. */
      glp_set_col_kind(lp, col, GLP_IV);
      glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
      glp_set_obj_coef(lp, col, (double)(a->big + g->w[k]));
      idx[1] = (int)i + 1;
      idx[2] = (int)(n + g->adj[k]) + 1;
      glp_set_mat_col(lp, col, 2, idx, one);
    }
  }
  glp_smcp sm;
  glp_init_smcp(&sm);
  sm.msg_lev = GLP_MSG_OFF;
  sm.presolve = GLP_OFF;
  if (a->time_limit_s > 0) sm.tm_lim = (int)fmin(a->time_limit_s * 1000.0, (double)INT32_MAX);
  int rc = glp_simplex(lp, &sm);
  if (rc == GLP_ETMLIM) {
    a->timed_out = 1;
    return MM_OK;
  }
  if (rc != 0 || glp_get_status(lp) != GLP_OPT) {
    mm_error_set(e, NULL, "GLPK simplex failed (code %d, status %d)", rc, glp_get_status(lp));
    return MM_ERR_SOLVER;
  }
  /* Row duals of the LP: integral at a basic optimum of this matrix. */
  for (uint32_t i = 0; i < n; i++) a->u[i] = llround(glp_get_row_dual(lp, (int)i + 1));
  for (uint32_t j = 0; j < m; j++) a->v[j] = llround(glp_get_row_dual(lp, (int)(n + j) + 1));
  glp_iocp io;
  glp_init_iocp(&io);
  io.msg_lev = GLP_MSG_OFF;
  if (a->time_limit_s > 0) io.tm_lim = (int)fmin(a->time_limit_s * 1000.0, (double)INT32_MAX);
  rc = glp_intopt(lp, &io);
  if (rc == GLP_ETMLIM) a->timed_out = 1;
  int status = glp_mip_status(lp);
  if ((rc != 0 && rc != GLP_ETMLIM) || (status != GLP_OPT && status != GLP_FEAS)) {
    mm_error_set(e, NULL, "GLPK branch-and-cut failed (code %d, status %d)", rc, status);
    return MM_ERR_SOLVER;
  }
  if (status != GLP_OPT) a->timed_out = 1;
  for (uint32_t i = 0; i < n; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (glp_mip_col_val(lp, (int)k + 1) > 0.5) {
        a->match[i] = (int64_t)k;
        a->cardinality++;
        a->weight += g->w[k];
      }
    }
  }
  return MM_OK;
}

mm_status mm_glpk_solve(const mm_graph *g, mm_assignment *a, mm_error *e) {
  mm_status st = check_graph(g, e);
  if (st != MM_OK) return st;
  for (uint32_t i = 0; i < g->n_left; i++) {
    a->match[i] = -1;
    a->u[i] = 0;
  }
  for (uint32_t j = 0; j < g->n_right; j++) a->v[j] = 0;
  a->cardinality = 0;
  a->weight = 0;
  a->timed_out = 0;
  if (g->off[g->n_left] == 0) return MM_OK; /* nothing to choose: zero prices prove it */
  jmp_buf on_error;
  glp_prob *volatile lp = NULL;
  glp_term_hook(silence, NULL);
  glp_error_hook(on_glpk_error, &on_error);
  if (setjmp(on_error)) {
    glp_free_env(); /* frees lp too */
    mm_error_set(e, NULL, "GLPK stopped with an internal error");
    return MM_ERR_SOLVER;
  }
  lp = glp_create_prob();
  st = solve(lp, g, a, e);
  glp_delete_prob(lp);
  glp_error_hook(NULL, NULL);
  glp_term_hook(NULL, NULL);
  return st;
}
