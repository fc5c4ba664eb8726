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
  if (st == MM_OK && glpk && a->timed_out) {
    /* GLPK keeps no usable incumbent when stopped early; the flow solver,
     * under the same limit, at least returns a feasible assignment. */
    *solver_name = "flow";
    a->timed_out = 0;
    st = mm_flow_solve(g, a, e);
  }
  if (st == MM_OK && !a->timed_out) st = mm_assignment_verify(g, a, e);
  /* An answer that did not end in a proof, solved again by the flow solver:
   * a repaired warm start (from scratch), or, under auto, GLPK's
   * floating-point duals that did not round to one (scores of a million
   * beside ones of 0.0001 can do that; the flow solver's are exact). */
  if (st == MM_ERR_SOLVER && (glpk ? which == MM_SOLVER_AUTO : a->warm_mentor != NULL)) {
    *solver_name = "flow";
    if (!glpk) a->warm_mentor = NULL;
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
