/* outdir.h: all-or-nothing output: a reader of DIR sees a run's whole set of files or the one before.
 *
 * Layout of an output folder DIR:
 *
 *   DIR/.mentormatch/run-ID/   one complete set of files per run
 *   DIR/latest                 symlink to .mentormatch/run-ID, the current set
 *   DIR/pairings.csv ...       symlinks latest/pairings.csv, one per file
 *
 * A run writes its files into DIR/.mentormatch/staging-ID, syncs them,
 * renames the folder to run-ID and then flips DIR/latest with one rename():
 * that single step switches every visible name from the old set to the new
 * one, so a killed run (even SIGKILL) leaves either.  A name the new set
 * lacks (meetings.ics after `solve`) then resolves to nothing; such dangling
 * links and the old run-ID are removed afterwards.  Runs into one DIR are
 * serialised by flock() on DIR/.mentormatch, held from open to commit; the
 * lock also tells leftovers from live runs, so no process id is guessed.
 * Leftovers are removed without following links or leaving DIR: an entry
 * that is not a real folder owned by the current user is left alone with a
 * warning.  Files an older version wrote directly into DIR are first taken
 * into a run folder by hard links, so readers never see them change; files
 * of the current set that are not results (rosters from generate or init)
 * become plain files of DIR, by hard links, before a set without them is
 * published, so an edited template is never lost.
 *
 * A DIR that does not exist is built under a hidden stand-in next to its
 * first missing component and renamed into place when complete, so a killed
 * run never leaves a half-made folder visible.
 */
#ifndef MM_IO_OUTDIR_H
#define MM_IO_OUTDIR_H

#include "mentormatch.h"

#include <stdio.h>

typedef struct io_outdir io_outdir;

/* Opens (or prepares to create) DIR, takes its lock (waiting for a run
 * already writing there), removes leftovers and creates the staging
 * folder.  *out is freed by io_outdir_commit or io_outdir_abort.  One output
 * folder at a time per process (the signal handler cleans the current one). */
mm_status io_outdir_open(const char *dir, io_outdir **out, mm_error *e);

/* Creates a staged folder, published like a file (DIR/folder is a link
 * into the current set); MM_ERR_LIMIT or MM_ERR_IO with e filled. */
mm_status io_outdir_mkdir(io_outdir *od, const char *folder, mm_error *e);

/* Opens a staged file for writing; NULL with e filled on failure.  name is
 * a plain name, or "folder/name" inside a folder of io_outdir_mkdir. */
FILE *io_outdir_create(io_outdir *od, const char *name, mm_error *e);

/* DIR/name as messages should show it (the path given, then the name), in a
 * buffer of od's that the next call overwrites. */
const char *io_outdir_shown(io_outdir *od, const char *name);

/* Flushes, syncs and closes a staged file; MM_ERR_IO if any write failed. */
mm_status io_outdir_close(io_outdir *od, FILE *f, mm_error *e);

/* Publishes the staged set as DIR's current one (see above) and frees od. */
mm_status io_outdir_commit(io_outdir *od, mm_error *e);

/* Removes everything staged (and DIR if this run created it); frees od.
 * NULL does nothing. */
void io_outdir_abort(io_outdir *od);

#endif
