/* assign.c: the one entry to the solvers, shared by match and pipeline mode.
 *
 * GLPK is the integer-programming solver of record and answers small graphs
 * (and any graph on request); the network-flow solver of our own answers
 * large ones.  Either way nothing is trusted: the returned dual prices are
 * checked exactly before the assignment is called optimal.
 */
#include "assign.h"

#include <stdbool.h>

mm_status mm_assign(const mm_graph *g, mm_solver which, mm_assignment *a, const char **solver_name,
                    mm_error *e) {
  uint64_t edges = g->off[g->n_left];
  bool glpk = which == MM_SOLVER_GLPK || (which == MM_SOLVER_AUTO && edges <= MM_AUTO_GLPK_EDGES);
  *solver_name = glpk ? "glpk" : "flow";
  a->timed_out = 0;
  if (glpk && a->keep) {
    /* A kept flow state would be stale after GLPK's answer. */
    mm_flow_state_free(*a->keep);
    *a->keep = NULL;
  }
  mm_status st = glpk ? mm_glpk_solve(g, a, e) : mm_flow_solve(g, a, e);
  if (glpk && which == MM_SOLVER_AUTO && (st == MM_ERR_SOLVER || (st == MM_OK && !a->timed_out &&
                                                                  mm_assignment_verify(g, a, e) != MM_OK))) {
    /* GLPK's floating-point duals did not round to a proof (scores of a
     * million beside ones of 0.0001 can do that); the flow solver's are
     * exact integers. */
    *solver_name = "flow";
    mm_error_clear(e);
    st = mm_flow_solve(g, a, e);
  }
  if (st == MM_OK && glpk && a->timed_out) {
    /* GLPK keeps no usable incumbent when stopped early; the flow solver,
     * under the same limit, at least returns a feasible assignment. */
    *solver_name = "flow";
    a->timed_out = 0;
    st = mm_flow_solve(g, a, e);
  }
  if (st != MM_OK || a->timed_out) return st;
  st = mm_assignment_verify(g, a, e);
  if (st == MM_ERR_SOLVER && a->warm_mentor && !glpk) {
    /* A repaired start that did not end in a proof: solve from scratch. */
    a->warm_mentor = NULL;
    if (a->keep) {
      mm_flow_state_free(*a->keep);
      *a->keep = NULL;
    }
    mm_error_clear(e);
    st = mm_flow_solve(g, a, e);
    if (st == MM_OK && !a->timed_out) st = mm_assignment_verify(g, a, e);
  }
  return st;
}
