/* outdir_all.h: several staged files of an output folder written at once, one thread each.
 *
 * A run's tables (pairings.csv, meetings.csv, report.html ...) depend on
 * nothing but the result, so they can be formatted at the same time; on two
 * cores that halves the write phase.  What a run reports does not depend on
 * how many threads wrote: the files are created in the order given, from
 * the calling thread, and the error returned is the first in that order
 * (a file's writer, else its closing), whichever thread met it first.
 */
#ifndef MM_IO_OUTDIR_ALL_H
#define MM_IO_OUTDIR_ALL_H

#include "outdir.h"

typedef struct {
  const char *name;       /* as for io_outdir_create */
  io_outdir_writer write; /* called with the stream, the name as messages show it, and ctx */
} io_outdir_file;

/* Creates files[0 .. n) in od, writes each from one of up to `workers`
 * threads (the caller's among them; 1 writes them one after another) and
 * closes them.  Each writer must be safe to run beside the others on ctx.
 * MM_OK, or the first error in the order of files (a file that cannot be
 * created stops the run before anything is written). */
mm_status io_outdir_write_all(io_outdir *od, const io_outdir_file *files, size_t n, const void *ctx, int workers,
                              mm_error *e);

#endif
