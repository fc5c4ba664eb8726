/* solve_glpk.c: the assignment as a GLPK integer program; every glp_* call of the project.
 *
 * GLPK is the independent second opinion on the flow solver and the choice
 * for small programs.  It aborts the process on misuse and prints to the
 * terminal, so everything is validated before the first glp_* call, output is
 * swallowed, and GLPK's error hook jumps back here so an internal failure
 * becomes MM_ERR_SOLVER.  Those hooks, and everything else GLPK keeps, live
 * in an environment per thread, which a host program using GLPK itself
 * would notice being changed or freed (GLPK has no call that reads a hook
 * back, so one cannot be saved and restored).  Every solve therefore runs on
 * a private thread that sets its own hooks and frees its own environment
 * (glp_free_env, also the only way out after an error) before it ends: the
 * caller's thread never touches GLPK.  The model has one integer column per
 * edge with objective big + w and no upper bound (each mentee row already
 * caps it at 1), a row per mentee (<= 1) and a row per mentor (<= cap): the
 * row duals of the optimal basis are then exactly the certificate of
 * solver.h, integral because the constraint matrix is totally unimodular.
 */
#define _POSIX_C_SOURCE 200809L

#include "solver.h"

#include <glpk.h>
#include <limits.h>
#include <pthread.h>
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

/* Runs fn(arg) on a thread of its own with a stack of known size, then
 * frees that thread's GLPK environment. */
typedef struct {
  mm_status (*fn)(void *arg);
  void *arg;
  mm_status status;
} glpk_job;

static void *glpk_thread(void *job_ptr) {
  glpk_job *job = job_ptr;
  job->status = job->fn(job->arg);
  glp_free_env();
  return NULL;
}

mm_status mm_glpk_isolated(mm_status (*fn)(void *arg), void *arg, mm_error *e) {
  glpk_job job = {fn, arg, MM_ERR_SOLVER};
  pthread_attr_t attr;
  pthread_t thread;
  int rc = pthread_attr_init(&attr);
  if (rc == 0) {
    rc = pthread_attr_setstacksize(&attr, (size_t)16 << 20);
    if (rc == 0) rc = pthread_create(&thread, &attr, glpk_thread, &job);
    pthread_attr_destroy(&attr);
  }
  if (rc != 0) {
    mm_error_set(e, "solver", "could not start a thread for GLPK (error %d)", rc);
    return MM_ERR_NOMEM;
  }
  pthread_join(thread, NULL);
  return job.status;
}

typedef struct {
  const mm_graph *g;
  mm_assignment *a;
  mm_error *e;
  int *ia, *ja;
  double *ar;
  double started;
} glpk_model;

/* Column k+1 is edge k; rows 1..nl are mentees, then mentors. */
static void fill_matrix(glpk_model *M) {
  const mm_graph *g = M->g;
  for (uint32_t i = 0; i < g->n_left; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      int col = (int)k + 1;
      M->ia[2 * col - 1] = (int)i + 1;
      M->ja[2 * col - 1] = col;
      M->ar[2 * col - 1] = 1.0;
      M->ia[2 * col] = (int)(g->n_left + g->adj[k]) + 1;
      M->ja[2 * col] = col;
      M->ar[2 * col] = 1.0;
    }
  }
}

static glp_prob *build_model(const glpk_model *M, int m) {
  const mm_graph *g = M->g;
  uint32_t nl = g->n_left, nr = g->n_right;
  glp_prob *lp = glp_create_prob();
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
    glp_set_obj_coef(lp, col, (double)(M->a->big + g->w[col - 1]));
  }
  glp_load_matrix(lp, 2 * m, M->ia, M->ja, M->ar);
  return lp;
}

/* The LP relaxation and its duals, read before branch-and-cut reuses the
 * problem object's basic solution.  Returns a failure or NULL. */
static const char *solve_relaxation(glp_prob *lp, const glpk_model *M) {
  const mm_graph *g = M->g;
  mm_assignment *a = M->a;
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.presolve = GLP_OFF;
  smcp.tm_lim = limit_ms(a->time_limit_s, M->started);
  int ret = glp_simplex(lp, &smcp);
  if (ret == GLP_ETMLIM) {
    a->timed_out = 1;
    return NULL;
  }
  if (ret != 0 || glp_get_status(lp) != GLP_OPT) return "the simplex method did not reach an optimal basis";
  for (uint32_t i = 0; i < g->n_left; i++) {
    if (!read_dual(lp, (int)i + 1, &a->u[i])) return "a mentee's dual is not a non-negative integer";
  }
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (!read_dual(lp, (int)(g->n_left + j) + 1, &a->v[j])) {
      return "a mentor's dual is not a non-negative integer";
    }
  }
  return NULL;
}

/* Branch-and-cut from the LP's basis, then the integer solution's edges.
 * Returns a failure or NULL. */
static const char *solve_integer(glp_prob *lp, const glpk_model *M) {
  const mm_graph *g = M->g;
  mm_assignment *a = M->a;
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_OFF;
  iocp.tm_lim = limit_ms(a->time_limit_s, M->started);
  int ret = glp_intopt(lp, &iocp);
  int mip = glp_mip_status(lp);
  const char *failure = NULL;
  if (ret == GLP_ETMLIM) {
    a->timed_out = 1;
  } else if (ret != 0 || mip != GLP_OPT) {
    failure = "the branch-and-cut driver did not prove an integer optimum";
  }
  if (mip != GLP_OPT && mip != GLP_FEAS) return failure;
  for (uint32_t i = 0; i < g->n_left && !failure; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (glp_mip_col_val(lp, (int)k + 1) < 0.5) continue;
      if (a->match[i] != -1) return "the integer solution gives a mentee two mentors";
      a->match[i] = (int64_t)k;
      a->cardinality++;
      a->weight += g->w[k];
    }
  }
  return failure;
}

/* On GLPK's private thread: hooks of this thread's fresh environment, the
 * model, both solves.  After an error GLPK's environment is unusable, so the
 * jump back skips every other glp_* call; glpk_thread frees it. */
static mm_status solve_on_thread(void *model) {
  glpk_model *M = model;
  glpk_trap trap;
  if (setjmp(trap.env)) {
    empty_result(M->g, M->a);
    mm_error_set(M->e, "solver", "GLPK failed internally");
    return MM_ERR_SOLVER;
  }
  glp_error_hook(on_glpk_error, &trap);
  glp_term_hook(swallow_output, NULL);
  glp_prob *lp = build_model(M, (int)M->g->off[M->g->n_left]);
  const char *failure = solve_relaxation(lp, M);
  if (!failure && !M->a->timed_out) failure = solve_integer(lp, M);
  glp_delete_prob(lp);
  if (failure) {
    empty_result(M->g, M->a);
    mm_error_set(M->e, "solver", "GLPK: %s", failure);
    return MM_ERR_SOLVER;
  }
  return MM_OK;
}

mm_status mm_glpk_solve(const mm_graph *g, mm_assignment *a, mm_error *e) {
  mm_status st = check_graph(g, a, e);
  if (st != MM_OK) return st;
  size_t m = (size_t)g->off[g->n_left];
  a->timed_out = 0;
  empty_result(g, a);
  if (m == 0) return MM_OK;

  glpk_model M = {g, a, e, malloc((2 * m + 1) * sizeof(int)), malloc((2 * m + 1) * sizeof(int)),
                  malloc((2 * m + 1) * sizeof(double)), now_s()};
  if (!M.ia || !M.ja || !M.ar) {
    mm_error_set(e, "solver", "out of memory for the GLPK model (%zu edges)", m);
    st = MM_ERR_NOMEM;
    goto done;
  }
  fill_matrix(&M);
  st = mm_glpk_isolated(solve_on_thread, &M, e);
  if (st != MM_OK || a->timed_out) goto done;
  price_closed_mentors(g, a);
  mm_error why;
  mm_error_clear(&why);
  if (mm_assignment_verify(g, a, &why) != MM_OK) {
    mm_error_set(e, "solver", "GLPK's rounded duals do not prove its assignment optimal: %s",
                 why.message);
    empty_result(g, a);
    st = MM_ERR_SOLVER;
  }
done:
  free(M.ia);
  free(M.ja);
  free(M.ar);
  return st;
}
