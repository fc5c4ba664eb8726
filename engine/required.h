/* required.h: checks of the require rules and kept pairs (see required.c). */
#ifndef MM_REQUIRED_H
#define MM_REQUIRED_H

#include "internal.h"
#include "score.h"

/* Checks each require rule (and kept pair) in file order; every broken one
 * fills e (field "rule" or "kept pair", located at its line) and is passed
 * to each, which returns nonzero to go on; NULL stops at the first.  Returns
 * MM_OK when all hold, MM_ERR_INFEASIBLE when one does not (e then holds
 * the last one reported), MM_ERR_NOMEM. */
mm_status mm_required_each(const mm_problem *p, const mm_scorer *s, mm_required_fn each, void *ctx, mm_error *e);

#endif
