/* solve_glpk.c: the assignment and 0/1 integer programs (mip.h) in GLPK; every glp_* call of the project.
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
 * caller's thread never touches GLPK.  A caller with many small models (the
 * calendar fit) borrows one such thread for all of them (mm_glpk_lend):
 * starting a thread per model means, on a busy machine, waiting for a core
 * each time.  The model has one integer column per
 * edge with objective big + w and no upper bound (each mentee row already
 * caps it at 1), a row per mentee (<= 1) and a row per mentor (<= cap): the
 * row duals of the optimal basis are then exactly the certificate of
 * solver.h, integral because the constraint matrix is totally unimodular.
 */
#define _POSIX_C_SOURCE 200809L

#include "mip.h"
#include "solver.h"

#include "candidates.h"

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

/* Cleared on a private thread when GLPK fails: its environment must then be
 * freed before the thread runs another model (see worker_main). */
static _Thread_local int glpk_home;

static void *glpk_thread(void *job_ptr) {
  glpk_job *job = job_ptr;
  job->status = job->fn(job->arg);
  glp_free_env();
  return NULL;
}

/* A private GLPK thread lent to one caller thread: it runs the caller's
 * jobs one at a time in one environment (a fresh one after a failure). */
typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  glpk_job *job; /* handed over, not yet done */
  int quit;
  pthread_t thread;
} glpk_worker;

static _Thread_local glpk_worker *lent;

static void *worker_main(void *arg) {
  glpk_worker *w = arg;
  glpk_home = 1;
  pthread_mutex_lock(&w->mu);
  for (;;) {
    while (!w->job && !w->quit) pthread_cond_wait(&w->cv, &w->mu);
    if (!w->job) break;
    glpk_job *job = w->job;
    pthread_mutex_unlock(&w->mu);
    job->status = job->fn(job->arg);
    if (!glpk_home) {
      glp_free_env();
      glpk_home = 1;
    }
    pthread_mutex_lock(&w->mu);
    w->job = NULL;
    pthread_cond_broadcast(&w->cv);
  }
  pthread_mutex_unlock(&w->mu);
  glpk_home = 0;
  glp_free_env();
  return NULL;
}

static mm_status worker_run(glpk_worker *w, glpk_job *job) {
  pthread_mutex_lock(&w->mu);
  w->job = job;
  pthread_cond_broadcast(&w->cv);
  while (w->job) pthread_cond_wait(&w->cv, &w->mu);
  pthread_mutex_unlock(&w->mu);
  return job->status;
}

int mm_glpk_lend(void) {
  if (lent) return 0;
  glpk_worker *w = calloc(1, sizeof *w);
  if (!w) return 0;
  pthread_attr_t attr;
  int rc = pthread_attr_init(&attr);
  if (rc == 0) {
    rc = pthread_attr_setstacksize(&attr, (size_t)16 << 20);
    if (rc == 0 && (rc = pthread_mutex_init(&w->mu, NULL)) == 0) {
      if ((rc = pthread_cond_init(&w->cv, NULL)) == 0) {
        rc = pthread_create(&w->thread, &attr, worker_main, w);
        if (rc != 0) pthread_cond_destroy(&w->cv);
      }
      if (rc != 0) pthread_mutex_destroy(&w->mu);
    }
    pthread_attr_destroy(&attr);
  }
  if (rc != 0) {
    free(w);
    return 0;
  }
  lent = w;
  return 1;
}

void mm_glpk_release(void) {
  glpk_worker *w = lent;
  if (!w) return;
  lent = NULL;
  pthread_mutex_lock(&w->mu);
  w->quit = 1;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  free(w);
}

mm_status mm_glpk_isolated(mm_status (*fn)(void *arg), void *arg, mm_error *e) {
  glpk_job job = {fn, arg, MM_ERR_SOLVER};
  if (lent) return worker_run(lent, &job);
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
  uint32_t *col_edge;   /* per column (0-based): its edge */
  uint32_t *col_mentee; /* per column: the edge's mentee */
} glpk_model;

/* The columns' order: mentees by mm_row_hash, each one's edges by their
 * mentor's, as the flow solver's start takes equal pairs.  The simplex
 * takes the first of equal columns, so among equal optima this spreads the
 * choice over the roster instead of giving it to the first rows of the file
 * (five identical mentors went to the first five of twenty identical
 * mentees), and both solvers pick the same people.  0 when memory is short. */
static int order_columns(glpk_model *M) {
  const mm_graph *g = M->g;
  uint64_t longest = 0;
  for (uint32_t i = 0; i < g->n_left; i++)
    if (g->off[i + 1] - g->off[i] > longest) longest = g->off[i + 1] - g->off[i];
  uint64_t *order = malloc((g->n_left ? g->n_left : 1) * sizeof *order); /* hash << 32 | mentee */
  uint64_t *row = malloc((longest ? longest : 1) * sizeof *row);          /* hash << 32 | place in row */
  if (!order || !row) {
    free(order);
    free(row);
    return 0;
  }
  for (uint32_t i = 0; i < g->n_left; i++) order[i] = (uint64_t)mm_row_hash(i) << 32 | i;
  qsort(order, g->n_left, sizeof *order, mm_by_hash_key);
  size_t c = 0;
  for (uint32_t x = 0; x < g->n_left; x++) {
    uint32_t i = (uint32_t)order[x];
    uint64_t k0 = g->off[i], n = g->off[i + 1] - k0;
    for (uint64_t t = 0; t < n; t++) row[t] = (uint64_t)mm_row_hash(g->adj[k0 + t]) << 32 | t;
    qsort(row, n, sizeof *row, mm_by_hash_key);
    for (uint64_t t = 0; t < n; t++, c++) {
      M->col_edge[c] = (uint32_t)(k0 + (uint32_t)row[t]);
      M->col_mentee[c] = i;
    }
  }
  free(order);
  free(row);
  return 1;
}

/* Column c+1 is edge col_edge[c]; rows 1..nl are mentees, then mentors. */
static void fill_matrix(glpk_model *M) {
  const mm_graph *g = M->g;
  for (int col = 1; (uint64_t)col <= g->off[g->n_left]; col++) {
    uint32_t k = M->col_edge[col - 1];
    M->ia[2 * col - 1] = (int)M->col_mentee[col - 1] + 1;
    M->ja[2 * col - 1] = col;
    M->ar[2 * col - 1] = 1.0;
    M->ia[2 * col] = (int)(g->n_left + g->adj[k]) + 1;
    M->ja[2 * col] = col;
    M->ar[2 * col] = 1.0;
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
    glp_set_obj_coef(lp, col, (double)(M->a->big + g->w[M->col_edge[col - 1]]));
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
  for (uint64_t c = 0; c < g->off[g->n_left] && !failure; c++) {
    if (glp_mip_col_val(lp, (int)c + 1) < 0.5) continue;
    uint32_t i = M->col_mentee[c], k = M->col_edge[c];
    if (a->match[i] != -1) return "the integer solution gives a mentee two mentors";
    a->match[i] = (int64_t)k;
    a->cardinality++;
    a->weight += g->w[k];
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
    glpk_home = 0;
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

  glpk_model M = {g,
                  a,
                  e,
                  malloc((2 * m + 1) * sizeof(int)),
                  malloc((2 * m + 1) * sizeof(int)),
                  malloc((2 * m + 1) * sizeof(double)),
                  now_s(),
                  malloc(m * sizeof(uint32_t)),
                  malloc(m * sizeof(uint32_t))};
  if (!M.ia || !M.ja || !M.ar || !M.col_edge || !M.col_mentee || !order_columns(&M)) {
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
  free(M.col_edge);
  free(M.col_mentee);
  return st;
}

/* ---- 0/1 integer programs (mip.h) --------------------------------------- */

typedef struct {
  const double *start1; /* 1-based first incumbent, or NULL */
  int gave_start;
  double bound;         /* best bound of the open nodes seen last */
  int have_bound;
} mip_search;

/* Hands the caller's solution to the search once, and keeps the best bound
 * of the open tree so a search stopped by the time limit still proves one. */
static void mip_callback(glp_tree *tree, void *info) {
  mip_search *s = info;
  if (glp_ios_reason(tree) == GLP_IHEUR && s->start1 && !s->gave_start) {
    s->gave_start = 1;
    glp_ios_heur_sol(tree, s->start1);
  }
  int node = glp_ios_best_node(tree);
  if (node) {
    s->bound = glp_ios_node_bound(tree, node);
    s->have_bound = 1;
  }
}

static mm_status mip_check(const mm_mip *m, mm_error *e) {
  if (m->n_cols < 0 || m->n_rows < 0 || (m->n_rows > 0 && (!m->row_off || m->row_off[0] != 0))) {
    mm_error_set(e, "solver", "malformed integer program");
    return MM_ERR_INVALID;
  }
  for (int r = 0; r < m->n_rows; r++) {
    if (m->row_off[r + 1] < m->row_off[r] || m->row_lo[r] > m->row_hi[r]) {
      mm_error_set(e, "solver", "malformed row %d of the integer program", r);
      return MM_ERR_INVALID;
    }
    for (int k = m->row_off[r]; k < m->row_off[r + 1]; k++) {
      if (m->row_col[k] < 0 || m->row_col[k] >= m->n_cols || !isfinite(m->row_coef[k])) {
        mm_error_set(e, "solver", "row %d of the integer program names a bad column", r);
        return MM_ERR_INVALID;
      }
    }
  }
  for (int c = 0; c < m->n_cols; c++) {
    if (!(fabs(m->obj[c]) < (double)GLPK_MAX_COEF)) {
      mm_error_set(e, "solver", "objective coefficient %d of the integer program is out of range", c);
      return MM_ERR_LIMIT;
    }
  }
  return MM_OK;
}

static void mip_load(glp_prob *lp, const mm_mip *m, const int *ia, const int *ja, const double *ar) {
  glp_set_obj_dir(lp, GLP_MAX);
  if (m->n_rows) glp_add_rows(lp, m->n_rows);
  for (int r = 0; r < m->n_rows; r++) {
    double lo = m->row_lo[r], hi = m->row_hi[r];
    int type = isfinite(lo) ? (isfinite(hi) ? (lo == hi ? GLP_FX : GLP_DB) : GLP_LO)
                            : (isfinite(hi) ? GLP_UP : GLP_FR);
    glp_set_row_bnds(lp, r + 1, type, isfinite(lo) ? lo : 0.0, isfinite(hi) ? hi : 0.0);
  }
  if (m->n_cols) glp_add_cols(lp, m->n_cols);
  for (int c = 0; c < m->n_cols; c++) {
    glp_set_col_kind(lp, c + 1, GLP_BV);
    glp_set_obj_coef(lp, c + 1, m->obj[c]);
  }
  int entries = m->n_rows ? m->row_off[m->n_rows] : 0;
  if (entries) glp_load_matrix(lp, entries, ia, ja, ar);
}

typedef struct {
  const mm_mip *m;
  double *x;
  mm_mip_result *r;
  int *ia, *ja;
  double *ar;
  double started, time_limit_s;
  mip_search search;
  const char *failure;
} mip_job;

/* Simplex, then branch-and-cut from its basis; fills the job's result. */
static void mip_search_run(glp_prob *lp, mip_job *J) {
  const mm_mip *m = J->m;
  mm_mip_result *r = J->r;
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.tm_lim = limit_ms(J->time_limit_s, J->started);
  int ret = glp_simplex(lp, &smcp);
  int lp_status = glp_get_status(lp);
  if (ret == GLP_ETMLIM) return;
  if (lp_status == GLP_NOFEAS || ret == GLP_ENOPFS) {
    r->status = MM_MIP_INFEASIBLE;
    return;
  }
  if (ret != 0 || lp_status != GLP_OPT) {
    J->failure = "the simplex method did not solve the relaxation";
    return;
  }
  J->search.bound = glp_get_obj_val(lp);
  J->search.have_bound = 1;
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.mip_gap = 0.0;
  iocp.cb_func = mip_callback;
  iocp.cb_info = &J->search;
  iocp.tm_lim = limit_ms(J->time_limit_s, J->started);
  ret = glp_intopt(lp, &iocp);
  int mip = glp_mip_status(lp);
  if (mip == GLP_OPT && ret == 0) {
    r->status = MM_MIP_OPTIMAL;
  } else if (mip == GLP_NOFEAS) {
    r->status = MM_MIP_INFEASIBLE;
  } else if (ret == GLP_ETMLIM) {
    r->status = mip == GLP_FEAS || mip == GLP_OPT ? MM_MIP_FEASIBLE : MM_MIP_NO_SOLUTION;
  } else {
    J->failure = "the branch-and-cut driver failed";
  }
  if (r->status == MM_MIP_OPTIMAL || r->status == MM_MIP_FEASIBLE) {
    r->objective = glp_mip_obj_val(lp);
    for (int c = 0; c < m->n_cols; c++) J->x[c] = glp_mip_col_val(lp, c + 1) > 0.5 ? 1.0 : 0.0;
  }
}

/* On GLPK's private thread (see mm_glpk_isolated). */
static mm_status mip_on_thread(void *job) {
  mip_job *J = job;
  glpk_trap trap;
  if (setjmp(trap.env)) {
    glpk_home = 0;
    J->failure = "GLPK failed internally";
    return MM_ERR_SOLVER;
  }
  glp_error_hook(on_glpk_error, &trap);
  glp_term_hook(swallow_output, NULL);
  glp_prob *lp = glp_create_prob();
  mip_load(lp, J->m, J->ia, J->ja, J->ar);
  if (J->m->n_cols == 0) {
    J->r->status = MM_MIP_OPTIMAL;
  } else {
    mip_search_run(lp, J);
  }
  glp_delete_prob(lp);
  return J->failure ? MM_ERR_SOLVER : MM_OK;
}

mm_status mm_mip_solve(const mm_mip *m, const double *start, double time_limit_s, double *x,
                       mm_mip_result *r, mm_error *e) {
  mm_status st = mip_check(m, e);
  if (st != MM_OK) return st;
  r->status = MM_MIP_NO_SOLUTION;
  r->objective = r->bound = 0;
  int entries = m->n_rows ? m->row_off[m->n_rows] : 0;
  mip_job J = {m, x, r, malloc(((size_t)entries + 1) * sizeof(int)), malloc(((size_t)entries + 1) * sizeof(int)),
               malloc(((size_t)entries + 1) * sizeof(double)), now_s(), time_limit_s, {NULL, 0, 0, 0}, NULL};
  double *start1 = start ? malloc(((size_t)m->n_cols + 1) * sizeof *start1) : NULL;
  if (!J.ia || !J.ja || !J.ar || (start && !start1)) {
    mm_error_set(e, "solver", "out of memory for the GLPK model (%d entries)", entries);
    st = MM_ERR_NOMEM;
    goto done;
  }
  for (int row = 0; row < m->n_rows; row++) {
    for (int k = m->row_off[row]; k < m->row_off[row + 1]; k++) {
      J.ia[k + 1] = row + 1;
      J.ja[k + 1] = m->row_col[k] + 1;
      J.ar[k + 1] = m->row_coef[k];
    }
  }
  for (int c = 0; start && c < m->n_cols; c++) start1[c + 1] = start[c];
  J.search.start1 = start1;
  st = mm_glpk_isolated(mip_on_thread, &J, e);
  if (J.failure) {
    mm_error_set(e, "solver", "GLPK: %s", J.failure);
    st = MM_ERR_SOLVER;
  }
  if (st != MM_OK) goto done;
  if (r->status == MM_MIP_OPTIMAL) {
    r->bound = r->objective;
  } else if (r->status == MM_MIP_FEASIBLE || r->status == MM_MIP_NO_SOLUTION) {
    r->bound = J.search.have_bound ? J.search.bound : HUGE_VAL;
    if (r->status == MM_MIP_FEASIBLE && r->bound < r->objective) r->bound = r->objective;
  }
done:
  free(J.ia);
  free(J.ja);
  free(J.ar);
  free(start1);
  return st;
}
