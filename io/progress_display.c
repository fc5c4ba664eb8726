/* progress_display.c: draws mm_progress reports as one self-rewriting line on a terminal.
 *
 * Rates are counted units over the phase's elapsed time, and the time left
 * is the units still to do at that rate; phases whose size is not known in
 * advance (the solver's) show only how long they have run.  Large numbers
 * are shortened (k, M, G) so the line fits an 80-column terminal.
 */
#include "progress_display.h"

#include "cli.h"

#include <stdio.h>
#include <unistd.h>

void io_progress_init(io_progress *pg, bool quiet, mm_options *o) {
  pg->on = !quiet && isatty(STDERR_FILENO);
  pg->drawn = false;
  if (pg->on) {
    o->progress = io_progress_show;
    o->progress_ctx = pg;
  }
}

static void shorten(double x, char *buf, size_t size) {
  static const char suffix[] = " kMGT";
  int k = 0;
  while (x >= 1000 && k < 4) {
    x /= 1000;
    k++;
  }
  if (k == 0) {
    snprintf(buf, size, "%.0f", x);
  } else {
    snprintf(buf, size, "%.1f%c", x, suffix[k]);
  }
}

static void seconds_text(double s, char *buf, size_t size) {
  if (s < 60) {
    snprintf(buf, size, "%.0f s", s);
  } else if (s < 3600) {
    snprintf(buf, size, "%d min %02d s", (int)(s / 60), (int)s % 60);
  } else {
    snprintf(buf, size, "%d h %02d min", (int)(s / 3600), (int)(s / 60) % 60);
  }
}

void io_progress_show(void *ctx, const mm_progress *p) {
  io_progress *pg = ctx;
  if (!pg->on) return;
  char line[160], rate[32], left[32], took[32];
  seconds_text(p->elapsed_s, took, sizeof took);
  if (p->total > 0) {
    double fraction = (double)p->done / (double)p->total;
    double per_s = p->elapsed_s > 0 ? (double)p->done / p->elapsed_s : 0;
    shorten(per_s, rate, sizeof rate);
    if (per_s > 0 && p->done < p->total) {
      seconds_text((double)(p->total - p->done) / per_s, left, sizeof left);
    } else {
      snprintf(left, sizeof left, "%s", p->done >= p->total ? "done" : "...");
    }
    snprintf(line, sizeof line, "mentormatch: %-8s %3.0f%%  %s %s/s  %s%s", p->phase, 100 * fraction, rate,
             p->unit, left, p->done < p->total && per_s > 0 ? " left" : "");
  } else {
    snprintf(line, sizeof line, "mentormatch: %-8s running for %s", p->phase, took);
  }
  fprintf(stderr, "\r\033[K%s", line);
  fflush(stderr);
  pg->drawn = true;
}

void io_progress_phase(io_progress *pg, const char *phase) {
  if (!pg->on) return;
  fprintf(stderr, "\r\033[Kmentormatch: %s", phase);
  fflush(stderr);
  pg->drawn = true;
}

void io_progress_clear(io_progress *pg) {
  if (!pg->drawn) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  pg->drawn = false;
}
