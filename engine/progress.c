/* progress.c: rate-limited progress reports for mm_options.progress.
 *
 * The engine never prints; a caller that wants a progress bar passes a
 * function, and this module decides when to call it: at each phase's start
 * and end, and between them at most ten times a second, always on the
 * caller's thread so that the function needs no locking.
 */
#include "progress.h"

#include <omp.h>
#include <string.h>

#define TICK_SECONDS 0.1

static void report(mm_progress_meter *m, double now) {
  m->now.elapsed_s = now - m->start;
  m->last = now;
  m->fn(m->ctx, &m->now);
}

void mm_progress_begin(mm_progress_meter *m, const mm_options *o, const char *phase, uint64_t total,
                       const char *unit) {
  memset(m, 0, sizeof *m);
  m->fn = o->progress;
  m->ctx = o->progress_ctx;
  if (!m->fn) return;
  m->now = (mm_progress){phase, 0, total, unit, 0};
  m->start = omp_get_wtime();
  report(m, m->start);
}

void mm_progress_add(mm_progress_meter *m, uint64_t units) {
  if (!m->fn) return;
#pragma omp atomic update
  m->shared_done += units;
}

void mm_progress_tick(mm_progress_meter *m) {
  if (!m->fn || omp_get_thread_num() != 0) return;
  double now = omp_get_wtime();
  if (now - m->last < TICK_SECONDS) return;
  uint64_t done;
#pragma omp atomic read
  done = m->shared_done;
  m->now.done = done;
  report(m, now);
}

void mm_progress_end(mm_progress_meter *m) {
  if (!m->fn) return;
  uint64_t done;
#pragma omp atomic read
  done = m->shared_done;
  m->now.done = m->now.total ? m->now.total : done;
  report(m, omp_get_wtime());
}
