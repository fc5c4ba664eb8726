/* outdir_all.c: staged files written side by side (see outdir_all.h).
 *
 * io_outdir_create and io_outdir_shown touch the folder's shared state, so
 * they run first on the calling thread; each file then gets its own stream,
 * copy of its shown name and error record, and the workers touch nothing
 * else of od.  Closing, which reports write errors the stream kept, runs in
 * order on the calling thread afterwards.
 */
#include "outdir_all.h"

#include "io_pool.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  FILE *f;
  char *shown;
  mm_status st;
  mm_error e;
} staged;

typedef struct {
  const io_outdir_file *files;
  staged *out;
  const void *ctx;
} batch;

static void write_one(void *arg, int worker, size_t k) {
  batch *b = arg;
  (void)worker;
  staged *s = &b->out[k];
  mm_error_clear(&s->e);
  s->st = b->files[k].write(s->f, s->shown, b->ctx, &s->e);
}

/* Creates the files in order; *created tells how many were. */
static mm_status create_all(io_outdir *od, const io_outdir_file *files, size_t n, staged *out, size_t *created,
                            mm_error *e) {
  for (*created = 0; *created < n; ++*created) {
    size_t k = *created;
    out[k].f = io_outdir_create(od, files[k].name, e);
    if (!out[k].f) return MM_ERR_IO;
    const char *shown = io_outdir_shown(od, files[k].name);
    size_t len = strlen(shown);
    out[k].shown = malloc(len + 1);
    if (!out[k].shown) {
      io_outdir_close(od, out[k].f, NULL);
      mm_error_set(e, NULL, "out of memory");
      return MM_ERR_NOMEM;
    }
    memcpy(out[k].shown, shown, len + 1);
  }
  return MM_OK;
}

mm_status io_outdir_write_all(io_outdir *od, const io_outdir_file *files, size_t n, const void *ctx, int workers,
                              mm_error *e) {
  staged *out = calloc(n ? n : 1, sizeof *out);
  if (!out) {
    mm_error_set(e, NULL, "out of memory");
    return MM_ERR_NOMEM;
  }
  size_t created;
  mm_status st = create_all(od, files, n, out, &created, e);
  if (st == MM_OK) {
    batch b = {files, out, ctx};
    io_pool_run(n, workers > 1 ? workers : 1, 1, write_one, &b);
  }
  for (size_t k = 0; k < created; k++) {
    mm_status closed = io_outdir_close(od, out[k].f, st == MM_OK && out[k].st == MM_OK ? e : NULL);
    if (st == MM_OK && out[k].st != MM_OK) {
      *e = out[k].e;
      st = out[k].st;
    } else if (st == MM_OK) {
      st = closed;
    }
    free(out[k].shown);
  }
  free(out);
  return st;
}
