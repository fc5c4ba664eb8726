/* solver.h: the exact assignment solvers behind mm_match and mm_solve_scores.
 *
 * Both solvers take the same sparse bipartite candidate graph and return the
 * same thing: a lexicographically optimal assignment (most mentees matched,
 * then highest total score) together with integer LP dual prices that prove
 * it.  The combined weight of an edge is big + w; big is chosen by the caller
 * so that one more match always outweighs any change in total score.
 *
 * Proof certificate (checked by mm_assignment_verify, never trusted):
 *   u[i] >= 0 for every mentee, v[j] >= 0 for every mentor,
 *   u[i] + v[j] >= big + w[e] for every edge e = (i, j),
 *   sum(u) + sum(cap[j] * v[j]) == big * cardinality + weight.
 * Weak duality then makes the assignment optimal, and because u, v bound every
 * edge, a pair outside the graph can be shown not to improve it by checking
 * u[i] + v[j] >= big + score(i, j) (see prove.c).
 */
#ifndef MM_SOLVER_H
#define MM_SOLVER_H

#include "mentormatch.h"

#include <time.h>

typedef struct {
  uint32_t n_left;     /* mentees */
  uint32_t n_right;    /* mentors */
  const int32_t *cap;  /* per mentor, >= 0 */
  const uint64_t *off; /* CSR rows by mentee: edges off[i] .. off[i+1]-1 */
  const uint32_t *adj; /* mentor of each edge, strictly ascending within a row */
  const int64_t *w;    /* score of each edge, units of 1e-4, |w| <= 1e10 */
} mm_graph;

typedef struct {
  int64_t big;        /* in: weight of one match, > 0 */
  int64_t *match;     /* out, caller-allocated n_left: edge index or -1 */
  int64_t cardinality;
  int64_t weight;     /* sum of w over matched edges */
  int64_t *u;         /* out, caller-allocated n_left */
  int64_t *v;         /* out, caller-allocated n_right */
  double time_limit_s;   /* in: 0 = none */
  int threads;        /* in: threads that build the flow's sorted lists and check the certificate, 0 = one; the
                       * answer is the same for any */
  int timed_out;      /* out: stopped at the time limit; result feasible, not proven */
  /* in, optional: a previous answer on a graph with the same people and the
   * same big whose edges this graph keeps (it may add some): each mentee's
   * mentor then or -1, with u and v holding that answer's duals.  The flow
   * solver repairs it in both directions (work in proportion to the edges
   * the old duals do not cover) instead of starting over, unless those are
   * a large share of the mentees, or the repair reads more than its budget
   * (then it starts over: warm_abandoned); NULL = start from scratch. */
  const int64_t *warm_mentor;
  int warm_started;   /* out (flow): 1 when warm_mentor or *keep was repaired, 0 when solved afresh */
  uint64_t phases;    /* out (flow): phases of many tight augmentations run on plateaus */
  /* in/out, optional (flow): where the solver is kept between solves of a
   * growing graph.  On entry *keep is NULL or the state a previous solve
   * left there, on a graph with the same people, capacities and big whose
   * edges this one keeps (it may add some): the solve then continues from
   * it, in work proportional to the edges added, and answers exactly as a
   * warm start from that previous answer would.  A state that does not fit
   * is freed and the solve starts as without one.  On return *keep holds
   * the state of this solve (NULL after a time-out); the caller frees it
   * with mm_flow_state_free. */
  struct mm_flow_state **keep;
  int resumed;        /* out (flow): 1 when the solve continued from *keep */
  int auctioned;      /* out (flow): 1 when a cold solve started from the auction (solve_auction.h) */
  uint32_t repair_budget; /* in (flow): arcs a repair (warm_mentor or *keep) may read, in multiples of the
                           * graph, before the solve starts afresh; 0 = REPAIR_BUDGET (solve_flow.c) */
  int warm_abandoned; /* out (flow): 1 when a repair read more than its budget and the solve started afresh
                       * (the answer is then the cold solve's, byte for byte) */
} mm_assignment;

typedef struct mm_flow_state mm_flow_state;

/* Frees a state kept by mm_flow_solve; NULL does nothing. */
void mm_flow_state_free(mm_flow_state *st);

/* A big that makes the objective lexicographic for this graph:
 * (min(n_left, sum cap) + 1) * (max w - min w + 1) + max(0, -min w), so that
 * every combined weight is positive even with negative scores. */
int64_t mm_graph_big(const mm_graph *g);

/* Exact min-cost-flow solver of our own (successive shortest paths with
 * potentials, phases of many tight augmentations on tie plateaus; a cold
 * solve where places outnumber mentees starts from an auction, repaired to
 * the exact optimum like a warm start).
 * Deterministic: same graph, same answer; it decides by work counts, never
 * by the clock (except to stop at time_limit_s).  Not thread safe on the
 * same mm_assignment. */
mm_status mm_flow_solve(const mm_graph *g, mm_assignment *a, mm_error *e);

/* The same problem as an integer program solved with GLPK (simplex, then the
 * branch-and-cut driver); duals are read back, rounded and returned.  All
 * glp_* calls of the project live in solve_glpk.c. */
mm_status mm_glpk_solve(const mm_graph *g, mm_assignment *a, mm_error *e);

/* Runs fn(arg), which may call glp_*, on a private thread whose GLPK
 * environment (hooks included) is freed when fn returns, so the caller's
 * thread and a host's own GLPK use are never touched.  Returns fn's status,
 * or MM_ERR_NOMEM when no thread could be started.  Any GLPK model of the
 * project goes through this. */
mm_status mm_glpk_isolated(mm_status (*fn)(void *arg), void *arg, mm_error *e);

/* Lends the calling thread one private GLPK thread: until mm_glpk_release
 * (from the same thread), its mm_glpk_isolated calls run there one after
 * another in one environment, instead of a thread each (a start that, on a
 * busy machine, waits for a core).  1 when it lent one (release it then);
 * 0 when one is lent already or none could be started (calls then go as
 * they would). */
int mm_glpk_lend(void);
void mm_glpk_release(void);

/* The wall clock in nanoseconds, for the solvers' time limits (0 when it
 * cannot be read: no deadline is then ever reached early). */
static inline int64_t mm_solver_clock_ns(void) {
  struct timespec ts;
  if (!timespec_get(&ts, TIME_UTC)) return 0;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Largest |score| a solver accepts, in units of 1e-4. */
#define MM_GRAPH_MAX_SCORE INT64_C(10000000000)

/* Checks what every solver relies on: arrays present, offsets ascending from
 * 0, mentors in range and strictly ascending within a row (no pair twice),
 * |w| <= MM_GRAPH_MAX_SCORE, capacities >= 0 and 1 <= big <= max_big.
 * MM_ERR_INVALID or MM_ERR_LIMIT with e filled otherwise. */
mm_status mm_graph_check(const mm_graph *g, const mm_assignment *a, int64_t max_big, mm_error *e);

/* Checks the certificate above exactly (128-bit sums).  MM_OK when it proves
 * the assignment optimal, MM_ERR_SOLVER with a message otherwise. */
mm_status mm_assignment_verify(const mm_graph *g, const mm_assignment *a, mm_error *e);

#endif
