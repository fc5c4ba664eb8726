/* ics_stage.h: a run's calendar files, rendered and written into the staged output folder in parallel.
 *
 * Thread safety: runs its own threads (io_pool.h); od and c belong to the caller.
 */
#ifndef MM_IO_ICS_STAGE_H
#define MM_IO_ICS_STAGE_H

#include "ics_writer.h"
#include "outdir.h"

/* Stages every file of c (its subfolders first) on IO_POOL_CREATORS
 * threads, or threads when more.  The bytes are the same for any thread count.  On
 * failure e names the first failing file in c's order: MM_ERR_IO,
 * MM_ERR_NOMEM. */
mm_status io_ics_stage(io_outdir *od, const io_ics *c, int threads, mm_error *e);

#endif
