/* solve_glpk.c: the assignment as a GLPK integer program; every glp_* call of the project.
 *
 * GLPK is the independent second opinion on the flow solver and the choice
 * for small programs.  It aborts the process on misuse and prints to the
 * terminal, so everything is validated before the first glp_* call, output is
 * swallowed, and GLPK's error hook jumps back here so an internal failure
 * becomes MM_ERR_SOLVER.  The model has one integer column per edge with
 * objective big + w and no upper bound (each mentee row already caps it at
 * 1), a row per mentee (<= 1) and a row per mentor (<= cap): the row duals of
 * the optimal basis are then exactly the certificate of solver.h, integral
 * because the constraint matrix is totally unimodular.  GLPK keeps per-thread
 * state and the error hook is global to it: not thread safe.
 */
#include "solver.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Doubles hold every integer objective coefficient and dual exactly below this. */
#define GLPK_MAX_COEF (INT64_C(1) << 52)

typedef struct {
  jmp_buf env;
} glpk_trap;

static void on_glpk_error(void *info) {
  glpk_trap *trap = info;
  longjmp(trap->env, 1);
}

static int swallow_output(void *info, const char *s) {
  (void)info;
  (void)s;
  return 1;
}

static double now_s(void) {
  struct timespec ts;
  if (!timespec_get(&ts, TIME_UTC)) return 0;
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* GLPK's tm_lim in milliseconds; INT_MAX means none. */
static int limit_ms(double limit_s, double started) {
  if (limit_s <= 0) return INT_MAX;
  double left = (limit_s - (now_s() - started)) * 1000.0;
  if (left < 1) return 1;
  return left >= INT_MAX ? INT_MAX : (int)left;
}

static mm_status check_graph(const mm_graph *g, const mm_assignment *a, mm_error *e) {
  mm_status st = mm_graph_check(g, a, GLPK_MAX_COEF - MM_GRAPH_MAX_SCORE, e);
  if (st != MM_OK) return st;
  uint64_t m = g->off[g->n_left];
  if ((uint64_t)g->n_left + g->n_right >= INT_MAX || m >= (uint64_t)INT_MAX / 2) {
    mm_error_set(e, "solver", "too large for GLPK: %u mentees, %u mentors, %llu edges", g->n_left,
                 g->n_right, (unsigned long long)m);
    return MM_ERR_LIMIT;
  }
  return MM_OK;
}

static void empty_result(const mm_graph *g, mm_assignment *a) {
  for (uint32_t i = 0; i < g->n_left; i++) {
    a->match[i] = -1;
    a->u[i] = 0;
  }
  for (uint32_t j = 0; j < g->n_right; j++) a->v[j] = 0;
  a->cardinality = 0;
  a->weight = 0;
}

/* Mentors without capacity cost nothing in the dual objective, so their v is
 * set to the least value covering their edges, whatever GLPK chose. */
static void price_closed_mentors(const mm_graph *g, mm_assignment *a) {
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (g->cap[j] == 0) a->v[j] = 0;
  }
  for (uint32_t i = 0; i < g->n_left; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      uint32_t j = g->adj[k];
      int64_t need = a->big + g->w[k] - a->u[i];
      if (g->cap[j] == 0 && need > a->v[j]) a->v[j] = need;
    }
  }
}

/* Row duals of a maximisation with <= rows are >= 0; anything else, or a
 * value that is not an integer, means the basis is not what the theory says. */
static int read_dual(glp_prob *lp, int row, int64_t *out) {
  double d = glp_get_row_dual(lp, row);
  double r = nearbyint(d);
  /* Floating-point noise of the simplex is far below 1e-3; the rounded
   * duals are then checked exactly by mm_assignment_verify. */
  if (!(r > -0.5 && r < (double)GLPK_MAX_COEF * 4) || fabs(d - r) > 1e-3 + 1e-12 * fabs(d)) {
    return 0;
  }
  *out = r < 0.5 ? 0 : (int64_t)r;
  return 1;
}

mm_status mm_glpk_solve(const mm_graph *g, mm_assignment *a, mm_error *e) {
  mm_status st = check_graph(g, a, e);
  if (st != MM_OK) return st;
  double started = now_s();
  uint32_t nl = g->n_left, nr = g->n_right;
  int m = (int)g->off[nl];
  a->timed_out = 0;
  empty_result(g, a);
  if (m == 0) return MM_OK;

  /* Allocated before any glp_* call and left untouched until the end, so a
   * jump back from GLPK frees exactly these. */
  int *ia = malloc((2 * (size_t)m + 1) * sizeof *ia);
  int *ja = malloc((2 * (size_t)m + 1) * sizeof *ja);
  double *ar = malloc((2 * (size_t)m + 1) * sizeof *ar);
  if (!ia || !ja || !ar) {
    free(ia);
    free(ja);
    free(ar);
    mm_error_set(e, "solver", "out of memory for the GLPK model (%d edges)", m);
    return MM_ERR_NOMEM;
  }
  for (uint32_t i = 0; i < nl; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      int col = (int)k + 1;
      ia[2 * col - 1] = (int)i + 1;
      ja[2 * col - 1] = col;
      ar[2 * col - 1] = 1.0;
      ia[2 * col] = (int)(nl + g->adj[k]) + 1;
      ja[2 * col] = col;
      ar[2 * col] = 1.0;
    }
  }

  glpk_trap trap;
  glp_prob *volatile lp = NULL;
  if (setjmp(trap.env)) {
    /* GLPK's state is unusable after its error hook: drop all of it. */
    glp_free_env();
    free(ia);
    free(ja);
    free(ar);
    empty_result(g, a);
    mm_error_set(e, "solver", "GLPK failed internally");
    return MM_ERR_SOLVER;
  }
  glp_error_hook(on_glpk_error, &trap);
  glp_term_hook(swallow_output, NULL);

  lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MAX);
  glp_add_rows(lp, (int)(nl + nr));
  for (uint32_t i = 0; i < nl; i++) glp_set_row_bnds(lp, (int)i + 1, GLP_UP, 0.0, 1.0);
  for (uint32_t j = 0; j < nr; j++) {
    glp_set_row_bnds(lp, (int)(nl + j) + 1, GLP_UP, 0.0, (double)g->cap[j]);
  }
  glp_add_cols(lp, m);
  for (int col = 1; col <= m; col++) {
    glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
    glp_set_col_kind(lp, col, GLP_IV);
    glp_set_obj_coef(lp, col, (double)(a->big + g->w[col - 1]));
  }
  glp_load_matrix(lp, 2 * m, ia, ja, ar);

  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.presolve = GLP_OFF;
  smcp.tm_lim = limit_ms(a->time_limit_s, started);
  int ret = glp_simplex(lp, &smcp);
  const char *failure = NULL;
  if (ret == GLP_ETMLIM) {
    a->timed_out = 1;
  } else if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
    failure = "the simplex method did not reach an optimal basis";
  }

  /* The duals of the LP's optimal basis, read before branch-and-cut reuses
   * the problem object's basic solution. */
  for (uint32_t i = 0; i < nl && !failure && !a->timed_out; i++) {
    if (!read_dual(lp, (int)i + 1, &a->u[i])) failure = "a mentee's dual is not a non-negative integer";
  }
  for (uint32_t j = 0; j < nr && !failure && !a->timed_out; j++) {
    if (!read_dual(lp, (int)(nl + j) + 1, &a->v[j])) failure = "a mentor's dual is not a non-negative integer";
  }

  if (!failure && !a->timed_out) {
    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_OFF;
    iocp.tm_lim = limit_ms(a->time_limit_s, started);
    ret = glp_intopt(lp, &iocp);
    int mip = glp_mip_status(lp);
    if (ret == GLP_ETMLIM) {
      a->timed_out = 1;
    } else if (ret != 0 || mip != GLP_OPT) {
      failure = "the branch-and-cut driver did not prove an integer optimum";
    }
    if (mip == GLP_OPT || mip == GLP_FEAS) {
      for (uint32_t i = 0; i < nl && !failure; i++) {
        for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
          if (glp_mip_col_val(lp, (int)k + 1) < 0.5) continue;
          if (a->match[i] != -1) {
            failure = "the integer solution gives a mentee two mentors";
            break;
          }
          a->match[i] = (int64_t)k;
          a->cardinality++;
          a->weight += g->w[k];
        }
      }
    }
  }
  glp_delete_prob(lp);
  glp_term_hook(NULL, NULL);
  glp_error_hook(NULL, NULL);
  free(ia);
  free(ja);
  free(ar);

  if (failure) {
    empty_result(g, a);
    mm_error_set(e, "solver", "GLPK: %s", failure);
    return MM_ERR_SOLVER;
  }
  if (a->timed_out) return MM_OK;
  price_closed_mentors(g, a);
  mm_error why;
  mm_error_clear(&why);
  if (mm_assignment_verify(g, a, &why) != MM_OK) {
    mm_error_set(e, "solver", "GLPK's rounded duals do not prove its assignment optimal: %s",
                 why.message);
    empty_result(g, a);
    return MM_ERR_SOLVER;
  }
  return MM_OK;
}
