/* io_pool.c: a loop run on a few plain threads, for work that waits on the disk (see io_pool.h).
 *
 * Items are handed out from one atomic counter in chunks, so a slow file
 * holds up only its own thread.  Nothing here decides what a file holds:
 * callers make the bytes independent of which thread runs an item.
 */
#include "io_pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

typedef struct {
  size_t n, chunk;
  atomic_size_t next;
  void (*body)(void *ctx, int worker, size_t k);
  void *ctx;
} pool;

typedef struct {
  pool *p;
  int worker;
} seat;

static void work(pool *p, int worker) {
  for (;;) {
    size_t from = atomic_fetch_add(&p->next, p->chunk);
    if (from >= p->n) return;
    size_t to = p->n - from < p->chunk ? p->n : from + p->chunk;
    for (size_t k = from; k < to; k++) p->body(p->ctx, worker, k);
  }
}

static void *start(void *arg) {
  seat *s = arg;
  work(s->p, s->worker);
  return NULL;
}

int io_pool_workers(int threads) {
  int n = threads > IO_POOL_WORKERS ? threads : IO_POOL_WORKERS;
  return n > 64 ? 64 : n;
}

int io_thread_start(pthread_t *t, void *(*fn)(void *), void *arg) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &block, &old); /* the new thread inherits it */
  int rc = pthread_create(t, NULL, fn, arg);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

void io_pool_run(size_t n, int workers, size_t chunk, void (*body)(void *ctx, int worker, size_t k), void *ctx) {
  pool p = {.n = n, .chunk = chunk ? chunk : 1, .body = body, .ctx = ctx};
  atomic_init(&p.next, 0);
  if (workers > 64) workers = 64;
  if ((size_t)workers > (n + p.chunk - 1) / p.chunk) workers = (int)((n + p.chunk - 1) / p.chunk);
  pthread_t threads[64];
  seat seats[64];
  int started = 0;
  for (int w = 1; w < workers; w++) {
    seats[started] = (seat){&p, w};
    if (io_thread_start(&threads[started], start, &seats[started]) != 0) break;
    started++;
  }
  work(&p, 0);
  for (int k = 0; k < started; k++) pthread_join(threads[k], NULL);
}
