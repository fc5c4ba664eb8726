/* assign.h: picks a solver for a candidate graph, runs it and checks its certificate. */
#ifndef MM_ASSIGN_H
#define MM_ASSIGN_H

#include "solver.h"

/* Graphs up to this many edges go to GLPK under MM_SOLVER_AUTO. */
#define MM_AUTO_GLPK_EDGES 50000

/* Solves g with the chosen solver (auto: GLPK for small graphs, else flow),
 * then verifies the dual certificate unless the time limit cut the solve
 * short.  When GLPK stops at the time limit the flow solver takes over
 * under the same limit.  *solver_name receives the solver that answered,
 * "glpk" or "flow". */
mm_status mm_assign(const mm_graph *g, mm_solver which, mm_assignment *a, const char **solver_name,
                    mm_error *e);

#endif
