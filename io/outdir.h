/* outdir.h: all-or-nothing output: a run's files appear in DIR together or not at all.
 *
 * Files are written into a hidden staging folder inside DIR (same file
 * system), flushed and synced, and renamed into DIR only when every file of
 * the run has been written.  A failure, or SIGINT/SIGTERM/SIGHUP while
 * staging, removes the staging folder (and DIR itself if this run created
 * it), so a pipeline never sees a half-written result.  A staging folder
 * left by a run killed outright (its name carries the process id) is removed
 * by the next run into the same DIR.
 */
#ifndef MM_IO_OUTDIR_H
#define MM_IO_OUTDIR_H

#include "mentormatch.h"

#include <stdio.h>

typedef struct io_outdir io_outdir;

/* Creates DIR if missing and a staging folder in it.  *out is freed by
 * io_outdir_commit or io_outdir_abort.  One output folder at a time per
 * process (the signal handler cleans the current one). */
mm_status io_outdir_open(const char *dir, io_outdir **out, mm_error *e);

/* Opens a staged file for writing; NULL with e filled on failure.  name
 * may be "folder/file" (one level): the folder is made in DIR on commit.
 * At most 64 files per run. */
FILE *io_outdir_create(io_outdir *od, const char *name, mm_error *e);

/* Flushes, syncs and closes a staged file; MM_ERR_IO if any write failed. */
mm_status io_outdir_close(io_outdir *od, FILE *f, mm_error *e);

/* Moves every staged file into DIR, replacing older ones, and frees od. */
mm_status io_outdir_commit(io_outdir *od, mm_error *e);

/* Removes everything staged (and DIR if this run created it); frees od.
 * NULL does nothing. */
void io_outdir_abort(io_outdir *od);

#endif
