/* bench_ics.c: the calendar files of a match (prepare, then render every file), without the disk.
 *
 * Writing a large run's calendars (2.6 GB of .ics at L capacity x2) takes
 * 13 to 70 s on this project's shared disk from one hour to the next, which
 * hides what rendering them costs in CPU and memory.  This program reads the
 * rosters through the real readers, runs mm_match once, then RUNS times
 * prepares the calendars (io_ics_prepare) and renders every file as `match`
 * does (io_ics_render_file on the same number of pool workers, in pieces of
 * IO_ICS_FLUSH_BYTES) into memory that is thrown away instead of a file.
 * Per run it prints one JSON line: each step's wall and CPU seconds (user +
 * system, all threads), the memory the calendars added to what the engine's
 * result holds (peak resident size, from /proc/self/status VmHWM reset before
 * prepare through /proc/self/clear_refs, less VmRSS there), the files and
 * bytes, and with --digest a 64-bit digest of every file's bytes in file
 * order, so that two builds can be shown to render the same bytes without
 * writing them (the digest's own time is then in the render figures).
 *
 * Usage: bench_ics --mentors M.csv --mentees E.csv [--threads T] [--runs R]
 *                  [--calendars all|combined] [--digest]
 * DTSTAMP is fixed (1800000000), as SOURCE_DATE_EPOCH sets it.
 */
#include "bench_util.h"
#include "ics_writer.h"
#include "io_pool.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1. */
static long status_kb(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  size_t len = strlen(field);
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, field, len) == 0 && line[len] == ':') kb = strtol(line + len + 1, NULL, 10);
  if (f) fclose(f);
  return kb;
}

/* Resets VmHWM to the current resident size (Linux 4.0 and later). */
static void reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (!f) return;
  fputs("5", f);
  fclose(f);
}

/* A word-at-a-time 64-bit hash of a file's pieces, in order. */
static uint64_t mix(uint64_t h, const char *s, size_t n) {
  const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
  size_t w = 0;
  for (; w + 8 <= n; w += 8) {
    uint64_t v;
    memcpy(&v, s + w, 8);
    h = (h ^ v) * k;
    h ^= h >> 29;
  }
  for (; w < n; w++) h = (h ^ (unsigned char)s[w]) * k;
  return h;
}

typedef struct {
  const io_ics *c;
  io_sbuf *out;            /* one per worker */
  io_ics_scratch *scratch; /* one per worker */
  uint64_t *hash;         /* per file, with --digest */
  size_t *bytes;          /* per file */
  int failed;
} render_job;

typedef struct {
  render_job *j;
  size_t k;
} piece_ctx;

static int take_piece(void *ctx, const io_sbuf *out) {
  piece_ctx *p = ctx;
  p->j->bytes[p->k] += out->n;
  if (p->j->hash) p->j->hash[p->k] = mix(p->j->hash[p->k], out->s, out->n);
  return 0;
}

static void render_one(void *ctx, int worker, size_t k) {
  render_job *j = ctx;
  io_sbuf *out = &j->out[worker];
  out->n = 0;
  piece_ctx p = {j, k};
  if (j->hash) j->hash[k] = UINT64_C(0xcbf29ce484222325);
  io_ics_render_file(j->c, k, out, &j->scratch[worker], take_piece, &p);
  if (out->nomem) j->failed = 1;
  take_piece(&p, out);
}

/* Renders every file of c on workers threads; 0, or -1 when out of memory. */
static int render_all(const io_ics *c, int workers, int digest, uint64_t *total_digest, size_t *total_bytes) {
  size_t n = io_ics_file_count(c);
  render_job j = {c, calloc((size_t)workers, sizeof *j.out), calloc((size_t)workers, sizeof *j.scratch),
                  digest ? calloc(n + 1, sizeof *j.hash) : NULL, calloc(n + 1, sizeof *j.bytes), 0};
  int ok = j.out && j.scratch && j.bytes && (!digest || j.hash);
  if (ok) io_pool_run(n, workers, 4, render_one, &j);
  *total_digest = UINT64_C(0xcbf29ce484222325);
  *total_bytes = 0;
  for (size_t k = 0; ok && k < n; k++) {
    *total_bytes += j.bytes[k];
    if (digest) *total_digest = mix(*total_digest, (const char *)&j.hash[k], sizeof j.hash[k]);
  }
  for (int w = 0; j.out && j.scratch && w < workers; w++) {
    free(j.out[w].s);
    io_ics_scratch_free(&j.scratch[w]);
  }
  free(j.out);
  free(j.scratch);
  free(j.hash);
  free(j.bytes);
  return ok && !j.failed ? 0 : -1;
}

static void usage(void) {
  fprintf(stderr, "Usage: bench_ics --mentors M.csv --mentees E.csv [--threads T] [--runs R] "
                  "[--calendars all|combined] [--digest]\n");
}

/* One prepare and render; prints its JSON line.  0, or 1 on failure. */
static int one_run(const mm_problem *p, const mm_result *r, const mm_options *o, const io_ics_settings *set,
                   long run, int digest) {
  mm_error e;
  memset(&e, 0, sizeof e);
  reset_peak();
  long rss0 = status_kb("VmRSS");
  double c0 = bench_cpu_seconds(), w0 = bench_wall_seconds();
  io_ics *c = NULL;
  if (io_ics_prepare(p, r, o, set, &c, &e) != MM_OK) {
    char buf[1024];
    mm_error_format(&e, buf, sizeof buf);
    fprintf(stderr, "bench_ics: %s\n", buf);
    return 1;
  }
  double c1 = bench_cpu_seconds(), w1 = bench_wall_seconds();
  long prepared = status_kb("VmRSS") - rss0;
  uint64_t dig;
  size_t bytes;
  int rc = render_all(c, o->threads > IO_POOL_CREATORS ? o->threads : IO_POOL_CREATORS, digest, &dig, &bytes);
  double c2 = bench_cpu_seconds(), w2 = bench_wall_seconds();
  size_t files = io_ics_file_count(c);
  io_ics_free(c);
  malloc_trim(0); /* so that the next run's memory figures start from the same place */
  if (rc) {
    fprintf(stderr, "bench_ics: out of memory rendering the calendars\n");
    return 1;
  }
  printf("{\"run\": %ld, \"threads\": %d, \"files\": %zu, \"bytes\": %zu, \"prepare_s\": %.3f, "
         "\"prepare_cpu_s\": %.3f, \"render_s\": %.3f, \"render_cpu_s\": %.3f, \"prepared_kb\": %ld, "
         "\"peak_added_kb\": %ld",
         run, o->threads, files, bytes, w1 - w0, c1 - c0, w2 - w1, c2 - c1, prepared, status_kb("VmHWM") - rss0);
  if (digest) printf(", \"digest\": \"%016" PRIx64 "\"", dig);
  printf("}\n");
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  const char *mentors = NULL, *mentees = NULL, *calendars = "all";
  long threads = 2, runs = 1;
  int digest = 0;
  const bench_arg spec[] = {
      {"--mentors", &mentors, NULL, NULL}, {"--mentees", &mentees, NULL, NULL},
      {"--threads", NULL, &threads, NULL}, {"--runs", NULL, &runs, NULL},
      {"--calendars", &calendars, NULL, NULL}, {"--digest", NULL, NULL, &digest},
  };
  io_ics_settings set;
  io_ics_settings_init(&set);
  set.stamp = 1800000000;
  if (bench_parse_args(argc, argv, spec, sizeof spec / sizeof spec[0]) != 0 || !mentors || !mentees ||
      threads < 1 || runs < 1 || !io_parse_calendars(calendars, &set.calendars)) {
    usage();
    return 2;
  }
  mm_options o;
  bench_options(&o, (int)threads);
  mm_problem *p = bench_load(mentors, mentees, 0, &o, NULL);
  if (!p) return 1;
  mm_error e;
  memset(&e, 0, sizeof e);
  mm_result *r = NULL;
  if (mm_match(p, &r, &e) != MM_OK) {
    char buf[1024];
    mm_error_format(&e, buf, sizeof buf);
    fprintf(stderr, "bench_ics: %s\n", buf);
    mm_problem_free(p);
    return 1;
  }
  int rc = 0;
  for (long run = 1; run <= runs && rc == 0; run++) rc = one_run(p, r, &o, &set, run, digest);
  mm_result_free(r);
  mm_problem_free(p);
  return rc;
}
