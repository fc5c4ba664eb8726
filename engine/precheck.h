/* precheck.h: what mm_match refuses before solving (see precheck.c). */
#ifndef MM_PRECHECK_H
#define MM_PRECHECK_H

#include "internal.h"
#include "score.h"

/* Checks each require rule (and kept pair) in file order; every broken one
 * fills e (field "rule" or "kept pair", located at its line) and is passed
 * to each, which returns nonzero to go on; NULL stops at the first.
 * Returns MM_OK when all hold, MM_ERR_INFEASIBLE when one does not (e then
 * holds the last one reported), MM_ERR_NOMEM. */
mm_status mm_required_each(const mm_problem *p, const mm_scorer *s, mm_check_fn each, void *ctx, mm_error *e);

/* True, with e filled (field "priority"), when stable mode meets mentees
 * of different priorities, which deferred acceptance cannot weigh. */
bool mm_stable_priority_error(const mm_problem *p, mm_error *e);

#endif
