/* progress_display.h: progress of a long run on standard error, when a person is watching.
 *
 * A terminal on stderr gets one line rewritten in place: the phase, the
 * percentage, the rate and the time left ("score 45% 118.2M pairs/s, 12 s
 * left"); the line is erased when the run ends, so the summary that follows
 * stands alone.  A pipe or a file gets nothing, and neither does --quiet,
 * so logs and pipelines stay clean.
 */
#ifndef MM_IO_PROGRESS_DISPLAY_H
#define MM_IO_PROGRESS_DISPLAY_H

#include "mentormatch.h"

#include <stdbool.h>

typedef struct {
  bool on;     /* stderr is a terminal and the run is not quiet */
  bool drawn;  /* a line is on the screen */
} io_progress;

/* Decides whether to show progress (stderr a terminal, not quiet) and, if
 * so, points o->progress at io_progress_show with pg as its context. */
void io_progress_init(io_progress *pg, bool quiet, mm_options *o);

/* The mm_progress_fn: redraws the line.  ctx is the io_progress. */
void io_progress_show(void *ctx, const mm_progress *p);

/* Shows a phase of the tool's own (reading, writing) with no count. */
void io_progress_phase(io_progress *pg, const char *phase);

/* Erases the line, before the summary or an error message. */
void io_progress_clear(io_progress *pg);

#endif
