/* ics_stage.c: writes a run's calendar files into the staged output folder from several threads.
 *
 * A large run writes over a hundred thousand calendar files (invites/,
 * calendars/), and both halves of the work are per file: formatting the
 * text (io_ics_render_file: each series the file shows, rendered) and the
 * system calls that create it (one openat, one write, one close), which
 * wait on the disk.  So each of IO_POOL_CREATORS plain threads (io_pool.h;
 * more than the cores, fewer than for removal) takes files in turn,
 * renders one into its own buffer and writes it.  The bytes of a file never
 * depend on the thread that made it; only the order in which the files
 * appear on disk does, which no reader sees.  Errors are gathered per file
 * and the first in file order is reported, so
 * the message is the same for any thread count.
 */
#include "ics_stage.h"

#include "io_pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The staged subfolders the files live in ("invites", "calendars"), each
 * made once, in the order the names first show them. */
static mm_status make_subdirs(io_outdir *od, const io_ics *c, mm_error *e) {
  char made[4][32];
  size_t n_made = 0;
  for (size_t k = 0; k < io_ics_file_count(c); k++) {
    const char *name = io_ics_file_name(c, k), *slash = strchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) : 0;
    if (!slash || len >= sizeof made[0]) continue;
    int seen = 0;
    for (size_t m = 0; m < n_made && !seen; m++) seen = strlen(made[m]) == len && strncmp(made[m], name, len) == 0;
    if (seen) continue;
    if (n_made == sizeof made / sizeof *made) {
      mm_error_set(e, NULL, "too many calendar folders");
      return MM_ERR_USAGE;
    }
    memcpy(made[n_made], name, len);
    made[n_made][len] = '\0';
    mm_status st = io_outdir_subdir(od, made[n_made++], e);
    if (st != MM_OK) return st;
  }
  return MM_OK;
}

/* What the workers share: err[k] is 0, -1 (out of memory) or an errno
 * value; once a file failed the others are skipped. */
typedef struct {
  const io_outdir *od;
  const io_ics *c;
  const char *const *names;
  int *err;
  io_sbuf *out;           /* one per worker */
  io_ics_scratch *scratch; /* one per worker */
  atomic_int failed;
} stage_job;

static int write_piece(void *ctx, const io_sbuf *out) {
  return io_outdir_put_write(*(const int *)ctx, out->s, out->n);
}

/* One file: created, then written in pieces of IO_ICS_FLUSH_BYTES (a small
 * file in one write), then closed. */
static void write_one(void *ctx, int worker, size_t k) {
  stage_job *j = ctx;
  if (atomic_load(&j->failed)) return;
  io_sbuf *out = &j->out[worker];
  io_ics_scratch *scratch = &j->scratch[worker];
  out->n = 0;
  int fd = io_outdir_put_open(j->od, j->names[k]);
  if (fd < 0) {
    j->err[k] = -fd;
  } else {
    int err = io_ics_render_file(j->c, k, out, scratch, write_piece, &fd);
    if (!err && out->nomem) err = -1;
    if (!err) err = io_outdir_put_write(fd, out->s, out->n);
    j->err[k] = io_outdir_put_close(fd, err);
  }
  if (j->err[k]) atomic_store(&j->failed, 1);
}

/* Renders and writes every file from the pool's workers. */
static mm_status write_files(const io_outdir *od, const io_ics *c, const char *const *names, int *err, int threads) {
  int workers = threads > IO_POOL_CREATORS ? threads : IO_POOL_CREATORS;
  stage_job j = {.od = od, .c = c, .names = names, .err = err, .out = calloc((size_t)workers, sizeof *j.out),
                 .scratch = calloc((size_t)workers, sizeof *j.scratch)};
  atomic_init(&j.failed, 0);
  if (!j.out || !j.scratch) {
    free(j.out);
    free(j.scratch);
    return MM_ERR_NOMEM;
  }
  io_pool_run(io_ics_file_count(c), workers, 4, write_one, &j);
  for (int w = 0; w < workers; w++) {
    free(j.out[w].s);
    io_ics_scratch_free(&j.scratch[w]);
  }
  free(j.out);
  free(j.scratch);
  return MM_OK;
}

mm_status io_ics_stage(io_outdir *od, const io_ics *c, int threads, mm_error *e) {
  size_t n = io_ics_file_count(c);
  if (n == 0) return MM_OK;
  mm_status st = make_subdirs(od, c, e);
  if (st != MM_OK) return st;
  const char **names = malloc(n * sizeof *names);
  int *err = calloc(n, sizeof *err);
  if (!names || !err) {
    free(names);
    free(err);
    mm_error_set(e, NULL, "out of memory writing the calendars");
    return MM_ERR_NOMEM;
  }
  for (size_t k = 0; k < n; k++) names[k] = io_ics_file_name(c, k);
  st = io_outdir_expect(od, names, n, e);
  if (st == MM_OK && write_files(od, c, names, err, threads) != MM_OK) {
    mm_error_set(e, NULL, "out of memory writing the calendars");
    st = MM_ERR_NOMEM;
  }
  for (size_t k = 0; k < n && st == MM_OK; k++) {
    if (err[k] == -1) {
      mm_error_set(e, NULL, "out of memory writing %s", names[k]);
      st = MM_ERR_NOMEM;
    } else if (err[k]) {
      st = io_outdir_put_error(od, names[k], err[k], e);
    }
  }
  free(names);
  free(err);
  return st;
}
