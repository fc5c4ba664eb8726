/* csv_ahead.c: records parsed on a second thread, handed over in batches (see csv_ahead.h).
 *
 * The reading thread copies each record io_csv_next gives it into the batch
 * it is filling (texts packed in one buffer, fields and records in arrays)
 * and each error into the batch's error list, as an item in the same
 * sequence.  A ring of N_BATCHES batches passes between the threads under
 * one mutex: the reader fills batch k once the caller has released batch
 * k - N_BATCHES, the caller takes batch k once the reader has filled it.
 * Only whole batches change hands, so the lock is taken once per few
 * hundred records.
 */
#include "csv_ahead.h"

#include "grow.h"
#include "io_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define N_BATCHES 4
#define BATCH_RECORDS 512
#define BATCH_TEXT ((size_t)128 * 1024)

/* One step of the sequence: a record (error < 0) or io_csv_next's error. */
typedef struct {
  size_t first, n; /* the record's fields: fields[first .. first + n) */
  long line;
  int error; /* index in errors, or -1 */
} item;

typedef struct {
  mm_status st;
  int can_go_on;
  mm_error e;
} item_error;

typedef struct {
  item *items;
  size_t n_items, items_cap;
  io_csv_field *fields;
  size_t *offs; /* fields[k].text is text + offs[k] once the batch is handed over */
  size_t n_fields, fields_cap;
  char *text;
  size_t text_len, text_cap;
  item_error *errors;
  size_t n_errors, errors_cap;
  int last;  /* nothing follows this batch's items */
  int nomem; /* ... but an error: memory ran short copying the next record */
} batch;

struct io_csv_ahead {
  io_csv_reader *r;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t changed;
  batch ring[N_BATCHES];
  size_t filled; /* batches the reader has handed over */
  size_t taken;  /* batches the caller has released */
  int stop;
  /* The caller's side. */
  size_t next_item; /* in batch number `taken` */
  int ended, ended_ok;
  int can_go_on;
  io_csv_record record;
};

/* Appends one record's copy; 0 when memory is short. */
static int add_record(batch *b, const io_csv_record *rec) {
  size_t text = 0, n = rec->n_fields;
  for (size_t k = 0; k < n; k++) text += rec->fields[k].len + 1;
  size_t fields_cap = b->fields_cap;
  if (!io_grow((void **)&b->items, &b->items_cap, b->n_items + 1, sizeof *b->items) ||
      !io_grow((void **)&b->fields, &fields_cap, b->n_fields + n, sizeof *b->fields) ||
      !io_grow((void **)&b->offs, &b->fields_cap, b->n_fields + n, sizeof *b->offs) ||
      !io_grow((void **)&b->text, &b->text_cap, b->text_len + text, 1))
    return 0;
  b->items[b->n_items++] = (item){b->n_fields, n, rec->line, -1};
  for (size_t k = 0; k < n; k++) {
    const io_csv_field *f = &rec->fields[k];
    memcpy(b->text + b->text_len, f->text, f->len + 1);
    b->fields[b->n_fields] = *f;
    b->offs[b->n_fields++] = b->text_len;
    b->text_len += f->len + 1;
  }
  return 1;
}

/* Appends an error; 0 when memory is short. */
static int add_error(batch *b, mm_status st, int can_go_on, const mm_error *e) {
  if (!io_grow((void **)&b->items, &b->items_cap, b->n_items + 1, sizeof *b->items) ||
      !io_grow((void **)&b->errors, &b->errors_cap, b->n_errors + 1, sizeof *b->errors))
    return 0;
  b->errors[b->n_errors] = (item_error){st, can_go_on, *e};
  b->items[b->n_items++] = (item){0, 0, 0, (int)b->n_errors++};
  return 1;
}

/* Fills b from the reader until it is full or the sequence ends. */
static void fill(io_csv_reader *r, batch *b) {
  b->n_items = b->n_fields = b->text_len = b->n_errors = 0;
  b->last = b->nomem = 0;
  while (!b->last && b->n_items < BATCH_RECORDS && b->text_len < BATCH_TEXT) {
    const io_csv_record *rec;
    mm_error e;
    mm_error_clear(&e);
    mm_status st = io_csv_next(r, &rec, &e);
    int ok = 1;
    if (st == MM_OK && rec) {
      ok = add_record(b, rec);
    } else {
      int go_on = st != MM_OK && io_csv_can_go_on(r);
      if (st != MM_OK) ok = add_error(b, st, go_on, &e);
      b->last = !go_on;
    }
    if (!ok) b->last = b->nomem = 1;
  }
  for (size_t k = 0; k < b->n_fields; k++) b->fields[k].text = b->text + b->offs[k];
}

static void *read_ahead(void *arg) {
  io_csv_ahead *a = arg;
  for (size_t k = 0;; k++) {
    pthread_mutex_lock(&a->lock);
    while (!a->stop && k - a->taken >= N_BATCHES) pthread_cond_wait(&a->changed, &a->lock);
    int stop = a->stop;
    pthread_mutex_unlock(&a->lock);
    if (stop) return NULL;
    batch *b = &a->ring[k % N_BATCHES];
    fill(a->r, b);
    pthread_mutex_lock(&a->lock);
    a->filled = k + 1;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
    if (b->last) return NULL;
  }
}

io_csv_ahead *io_csv_ahead_start(io_csv_reader *r) {
  io_csv_ahead *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->r = r;
  if (pthread_mutex_init(&a->lock, NULL) != 0) {
    free(a);
    return NULL;
  }
  if (pthread_cond_init(&a->changed, NULL) != 0 || io_thread_start(&a->thread, read_ahead, a) != 0) {
    pthread_mutex_destroy(&a->lock);
    free(a);
    return NULL;
  }
  return a;
}

/* The batch the caller reads now (number `taken`), once it is filled. */
static batch *current(io_csv_ahead *a) {
  pthread_mutex_lock(&a->lock);
  while (a->filled <= a->taken) pthread_cond_wait(&a->changed, &a->lock);
  pthread_mutex_unlock(&a->lock);
  return &a->ring[a->taken % N_BATCHES];
}

mm_status io_csv_ahead_next(io_csv_ahead *a, const io_csv_record **rec, mm_error *e) {
  *rec = NULL;
  if (a->ended) {
    if (a->ended_ok) return MM_OK;
    mm_error_set(e, NULL, "reader used after an error");
    return MM_ERR_INVALID;
  }
  batch *b = current(a);
  while (a->next_item == b->n_items && !b->last) {
    pthread_mutex_lock(&a->lock);
    a->taken++;
    a->next_item = 0;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
    b = current(a);
  }
  if (a->next_item == b->n_items) {
    a->ended = 1;
    a->ended_ok = !b->nomem;
    if (b->nomem) mm_error_set(e, NULL, "out of memory reading a record");
    return b->nomem ? MM_ERR_NOMEM : MM_OK;
  }
  const item *it = &b->items[a->next_item++];
  if (it->error >= 0) {
    const item_error *err = &b->errors[it->error];
    *e = err->e;
    a->can_go_on = err->can_go_on;
    a->ended = !err->can_go_on;
    return err->st;
  }
  a->record.fields = b->fields + it->first;
  a->record.n_fields = it->n;
  a->record.line = it->line;
  *rec = &a->record;
  return MM_OK;
}

int io_csv_ahead_can_go_on(const io_csv_ahead *a) { return a->can_go_on; }

void io_csv_ahead_stop(io_csv_ahead *a) {
  if (!a) return;
  pthread_mutex_lock(&a->lock);
  a->stop = 1;
  pthread_cond_broadcast(&a->changed);
  pthread_mutex_unlock(&a->lock);
  pthread_join(a->thread, NULL);
  pthread_cond_destroy(&a->changed);
  pthread_mutex_destroy(&a->lock);
  for (int k = 0; k < N_BATCHES; k++) {
    batch *b = &a->ring[k];
    free(b->items);
    free(b->fields);
    free(b->offs);
    free(b->text);
    free(b->errors);
  }
  free(a);
}
