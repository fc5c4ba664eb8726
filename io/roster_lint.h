/* roster_lint.h: warnings for roster data that is valid but probably not what was meant.
 *
 * `mentormatch check` reads the rosters through this module's row hook and
 * then asks for warnings: a person whose weekly hours meet nobody on the
 * other side for a whole meeting, a skill or goal spelt two ways ("Machine
 * Learning", "machine-learning"), a language that nobody else lists.  None
 * of these stops a run, and each can be a typo that quietly costs someone a
 * match, so each warning points at the cell to look at.
 */
#ifndef MM_IO_ROSTER_LINT_H
#define MM_IO_ROSTER_LINT_H

#include "csv_reader.h"
#include "mentormatch.h"
#include "roster_reader.h"

typedef struct io_lint io_lint;

/* A linter for rosters read into p under options o (both borrowed; they
 * must outlive it).  NULL when memory is short.  Free with io_lint_free. */
io_lint *io_lint_create(const mm_problem *p, const mm_options *o);
/* NULL does nothing. */
void io_lint_free(io_lint *l);

/* Names the file whose rows come next (borrowed; used in warnings). */
void io_lint_begin_file(io_lint *l, const char *path);

/* The row_added hook of io_read_roster_hooked; ctx is the io_lint. */
void io_lint_row_added(void *ctx, mm_side side, size_t index, const mm_person *person,
                       const io_roster_cells *cells);

/* Runs every check over the rows seen and passes each warning to warn, in a
 * fixed order (availability, then spellings, then languages).  Returns the
 * number of warnings, or -1 when memory ran short. */
long io_lint_report(io_lint *l, io_warn_fn warn, void *warn_ctx);

#endif
