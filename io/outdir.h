/* outdir.h: all-or-nothing output: a reader of DIR sees a run's whole set of files or the one before.
 *
 * Layout of an output folder DIR:
 *
 *   DIR/.mentormatch/run-ID/   one complete set of files per run
 *   DIR/latest                 symlink to .mentormatch/run-ID, the current set
 *   DIR/pairings.csv ...       symlinks latest/pairings.csv, one per file
 *   DIR/invites, calendars     symlinks latest/invites ..., one per subfolder
 *
 * A run writes its files into DIR/.mentormatch/staging-ID, syncs them
 * (one syncfs() for the whole folder, however many files it holds),
 * renames the folder to run-ID and then flips DIR/latest with one rename():
 * that single step switches every visible name from the old set to the new
 * one, so a killed run (even SIGKILL) leaves either.  A name the new set
 * lacks (meetings.ics after `solve`) then resolves to nothing; such dangling
 * links and the old run-ID are removed afterwards.  Runs into one DIR are
 * serialised by flock() on DIR/.mentormatch, held from open to commit; the
 * lock also tells leftovers from live runs, so no process id is guessed.
 * Leftovers are removed without following links or leaving DIR: an entry
 * that is not a real folder owned by the current user is left alone with a
 * warning.  Only the tool's links are replaced or removed: anything else
 * under a name of the new set (a file of the user's, or one an older version
 * wrote directly into DIR) stops the run naming it; files
 * of the current set that are not results (rosters from generate or init)
 * become plain files of DIR, by hard links, before a set without them is
 * published, so an edited template is never lost.
 *
 * A DIR that does not exist is built under a hidden stand-in next to its
 * first missing component (.mentormatch-new-HASH-TAG, the same length for any
 * name) and renamed into place when complete, so a killed run never leaves a
 * half-made folder visible.  If another run made DIR (or a folder above it)
 * meanwhile, the first still missing component is renamed into place, or,
 * DIR being there, the finished run folder is moved into DIR/.mentormatch
 * and published in turn under its lock.  A name in DIR longer than NAME_MAX is a usage
 * error.
 *
 * SIGINT, SIGTERM or SIGHUP before the flip (or before the stand-in's
 * rename), the sync included, removes everything the run staged and ends
 * the process with the signal; after it, the new set stays published and
 * the process still ends with the signal.
 */
#ifndef MM_IO_OUTDIR_H
#define MM_IO_OUTDIR_H

#include "mentormatch.h"

#include <stdio.h>

typedef struct io_outdir io_outdir;

/* Opens (or prepares to create) DIR, takes its lock (waiting for a run
 * already writing there), removes leftovers and creates the staging
 * folder.  *out is freed by io_outdir_commit or io_outdir_abort.  One output
 * folder at a time per process (the signal handler cleans the current one).
 * `option` names where DIR came from in messages ("--out", "DIR"). */
mm_status io_outdir_open(const char *dir, const char *option, io_outdir **out, mm_error *e);

/* Stages a subfolder (one level, such as "invites"), empty at first.  It
 * lives in the run folder and DIR shows it through its own link
 * latest/NAME, so it switches with the rest of the set.  At most 4 per run. */
mm_status io_outdir_subdir(io_outdir *od, const char *name, mm_error *e);

/* Opens a staged file for writing: "name" in DIR, or "sub/name" in a staged
 * subfolder; no limit on the count.  NULL with e filled on failure. */
FILE *io_outdir_create(io_outdir *od, const char *name, mm_error *e);

/* Many files written from several threads: io_outdir_expect lists them
 * first (names as for io_outdir_create, checked and registered for removal
 * should the run fail), from one thread.  Then, on distinct names and from
 * any number of threads at once, io_outdir_put_open creates one (a
 * descriptor, or minus an errno value), io_outdir_put_write writes a piece
 * whole (0 or an errno value; one write() for most files, no FILE) and
 * io_outdir_put_close closes it, returning err or the error of closing.
 * io_outdir_put_error turns such an errno value into an error naming the
 * file (MM_ERR_IO). */
mm_status io_outdir_expect(io_outdir *od, const char *const *names, size_t n, mm_error *e);
int io_outdir_put_open(const io_outdir *od, const char *name);
int io_outdir_put_write(int fd, const char *buf, size_t n);
int io_outdir_put_close(int fd, int err);
mm_status io_outdir_put_error(io_outdir *od, const char *name, int err, mm_error *e);

/* DIR/name as messages should show it (the path given, then the name), in a
 * buffer of od's that the next call overwrites. */
const char *io_outdir_shown(io_outdir *od, const char *name);

/* Flushes and closes a staged file (io_outdir_commit syncs them all at
 * once); MM_ERR_IO if any write failed. */
mm_status io_outdir_close(io_outdir *od, FILE *f, mm_error *e);

/* Writes one staged file whole: creates name, calls write with the stream,
 * the name as messages show it (io_outdir_shown) and ctx, and closes it.
 * The first error wins (write's, else closing's). */
typedef mm_status (*io_outdir_writer)(FILE *f, const char *shown, const void *ctx, mm_error *e);
mm_status io_outdir_write(io_outdir *od, const char *name, io_outdir_writer write, const void *ctx, mm_error *e);

/* Ends a run's output: commits od when st is MM_OK, else aborts it (od may
 * be NULL) and returns st. */
mm_status io_outdir_finish(io_outdir *od, mm_status st, mm_error *e);

/* Publishes the staged set as DIR's current one (see above) and frees od. */
mm_status io_outdir_commit(io_outdir *od, mm_error *e);

/* What publishing took: the run reports it, since it comes after
 * summary.json is written. */
typedef struct {
  double sync_s;   /* syncfs(): every staged byte to disk */
  double link_s;   /* renames, links, the flip of DIR/latest */
  double remove_s; /* removing the set before (unlinking its files) */
} io_publish_times;

/* io_outdir_commit that removes the set before from io_pool_workers(threads)
 * threads (its files unlinked in parallel) and, when t is not NULL, fills t. */
mm_status io_outdir_commit_timed(io_outdir *od, int threads, io_publish_times *t, mm_error *e);

/* Removes everything staged (and DIR if this run created it); frees od.
 * NULL does nothing. */
void io_outdir_abort(io_outdir *od);

#endif
