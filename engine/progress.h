/* progress.h: the engine's side of mm_options.progress: phases, ticks and their rate limit.
 *
 * A meter belongs to one phase.  mm_progress_begin and mm_progress_end call
 * the caller's function once each; mm_progress_tick calls it only when the
 * caller's thread ticks and 0.1 s have passed, so a tick costs a clock read
 * and can sit in a hot loop's per-row work.  Inside an OpenMP region only
 * the master thread (the caller's) may tick; the others add to the shared
 * count with mm_progress_add.
 */
#ifndef MM_PROGRESS_H
#define MM_PROGRESS_H

#include "mentormatch.h"

typedef struct {
  mm_progress_fn fn;
  void *ctx;
  mm_progress now;
  double start, last;
  uint64_t shared_done; /* updated atomically by mm_progress_add */
} mm_progress_meter;

/* Starts a phase of `total` units (0 = not known) and reports it. */
void mm_progress_begin(mm_progress_meter *m, const mm_options *o, const char *phase, uint64_t total,
                       const char *unit);
/* Adds units done from any thread (atomic). */
void mm_progress_add(mm_progress_meter *m, uint64_t units);
/* On the caller's thread: reports the shared count if 0.1 s have passed. */
void mm_progress_tick(mm_progress_meter *m);
/* Reports the phase finished (done = total when total is known). */
void mm_progress_end(mm_progress_meter *m);

#endif
