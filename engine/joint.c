/* joint.c: builds the joint model of pairs and weekly starts and solves it with mip.h, component by component.
 *
 * Columns come from the slotter (the scheduler's own rules for a valid
 * series), so whatever the model picks the scheduler can book.  Clash rows
 * are written per person at the start of each busy interval: intervals
 * that overlap pairwise all contain the latest of their starts, so these
 * rows forbid exactly the overlaps, and they are cliques, which keeps the
 * relaxation tight.  Rows with the same columns (the same weekly clash
 * repeated every week) are written once.  People that share no column never constrain each other,
 * so each group of pairs linked through people is its own, small, integer
 * program: conflicts on a realistic roster stay local to a few mentors.
 */
#include "joint.h"

#include "mip.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define QUARTER_S (MM_SLOT_MINUTES * 60)

typedef struct {
  uint32_t mentee, mentor;
  int64_t score;
  int required;
  mm_slot start;
  size_t col0, n_cols;
} jpair;

typedef struct {
  int64_t *v;      /* starts; each busy for busy_s */
  uint32_t *owner; /* the caller's tag of each start */
  int64_t busy_s;
  size_t n, cap;
} jbusy;

/* A pair's valid starts, kept once worked out: neighbourhoods meet the same
 * pairs again (the second pass, waiting mentees next to several groups). */
typedef struct {
  uint64_t key; /* (mentee << 32 | mentor) + 1; 0 = empty */
  size_t at;    /* first start in the pool */
  size_t n;
} known_starts;

struct mm_joint {
  const mm_problem *p;
  const mm_people *people;
  mm_slotter *sl;
  int64_t big;
  size_t column_cap; /* starts kept per pair, 0 = all */
  jbusy *busy;     /* per person */
  uint32_t *local; /* per person: number within the component being built, or UINT32_MAX */
  int32_t *places; /* per mentor */
  jpair *pairs;
  size_t n_pairs, pairs_alloc;
  mm_slot *cols; /* per column: its slot; pair from pairs[].col0 */
  uint32_t *col_pair;
  size_t n_cols, cols_alloc;
  mm_slot options[MM_SLOTS_PER_WEEK];
  known_starts *known; /* open addressing, power-of-two slots */
  size_t known_slots, known_used;
  mm_slot *pool;
  size_t pool_n, pool_alloc;
  int64_t span[MM_MAX_SERIES];
};

mm_joint *mm_joint_create(const mm_problem *p, const mm_people *people, mm_slotter *sl, int64_t big,
                          mm_error *e) {
  mm_joint *j = calloc(1, sizeof *j);
  size_t m = p->side[MM_MENTOR].n;
  if (j) {
    j->p = p;
    j->people = people;
    j->sl = sl;
    j->big = big;
    j->busy = calloc(people->n ? people->n : 1, sizeof *j->busy);
    j->places = calloc(m ? m : 1, sizeof *j->places);
    j->local = malloc((people->n ? people->n : 1) * sizeof *j->local);
    if (j->local)
      for (uint32_t k = 0; k < people->n; k++) j->local[k] = UINT32_MAX;
    if (j->busy && j->places && j->local) return j;
  }
  mm_joint_free(j);
  mm_error_set(e, NULL, "out of memory building the joint model");
  return NULL;
}

void mm_joint_free(mm_joint *j) {
  if (!j) return;
  if (j->busy)
    for (uint32_t k = 0; k < j->people->n; k++) {
      free(j->busy[k].v);
      free(j->busy[k].owner);
    }
  free(j->busy);
  free(j->local);
  free(j->places);
  free(j->pairs);
  free(j->cols);
  free(j->col_pair);
  free(j->known);
  free(j->pool);
  free(j);
}

int mm_joint_add_busy(mm_joint *j, uint32_t person, const int64_t *starts, int n, int64_t busy_s,
                      uint32_t owner) {
  jbusy *b = &j->busy[person];
  if (b->n + (size_t)n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 16;
    while (cap < b->n + (size_t)n) cap *= 2;
    int64_t *v = realloc(b->v, cap * sizeof *v);
    if (!v) return 0;
    b->v = v;
    uint32_t *o = realloc(b->owner, cap * sizeof *o);
    if (!o) return 0;
    b->owner = o;
    b->cap = cap;
  }
  for (int k = 0; k < n; k++) {
    b->v[b->n] = starts[k];
    b->owner[b->n++] = owner;
  }
  b->busy_s = busy_s;
  return 1;
}

void mm_joint_drop_busy(mm_joint *j, uint32_t person, uint32_t owner) {
  jbusy *b = &j->busy[person];
  size_t out = 0;
  for (size_t k = 0; k < b->n; k++) {
    if (b->owner[k] == owner) continue;
    b->v[out] = b->v[k];
    b->owner[out++] = b->owner[k];
  }
  b->n = out;
}

void mm_joint_clear_pairs(mm_joint *j) {
  j->n_pairs = 0;
  j->n_cols = 0;
}

void mm_joint_set_capacity(mm_joint *j, uint32_t mentor, int places) { j->places[mentor] = places; }

void mm_joint_set_column_cap(mm_joint *j, size_t cap) { j->column_cap = cap; }

size_t mm_joint_pair_count(const mm_joint *j) { return j->n_pairs; }

void mm_joint_pair_people(const mm_joint *j, size_t k, uint32_t *mentee, uint32_t *mentor) {
  *mentee = j->pairs[k].mentee;
  *mentor = j->pairs[k].mentor;
}

static int collides(const jbusy *b, const int64_t *starts, int n, int64_t busy_s) {
  for (size_t k = 0; k < b->n; k++)
    for (int x = 0; x < n; x++)
      if (b->v[k] < starts[x] + busy_s && starts[x] < b->v[k] + b->busy_s) return 1;
  return 0;
}

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdu;
  x ^= x >> 33;
  return x;
}

/* The pair's valid starts into j->options (count returned), from the
 * slotter the first time; -1 when memory is short. */
static long pair_starts(mm_joint *j, uint32_t mentee, uint32_t mentor) {
  uint64_t key = ((uint64_t)mentee << 32 | mentor) + 1;
  if (2 * (j->known_used + 1) > j->known_slots) {
    size_t n = j->known_slots ? 2 * j->known_slots : 1024;
    known_starts *t = calloc(n, sizeof *t);
    if (!t) return -1;
    for (size_t k = 0; k < j->known_slots; k++) {
      if (!j->known[k].key) continue;
      size_t at = (size_t)mix(j->known[k].key) & (n - 1);
      while (t[at].key) at = (at + 1) & (n - 1);
      t[at] = j->known[k];
    }
    free(j->known);
    j->known = t;
    j->known_slots = n;
  }
  size_t at = (size_t)mix(key) & (j->known_slots - 1);
  while (j->known[at].key && j->known[at].key != key) at = (at + 1) & (j->known_slots - 1);
  known_starts *ks = &j->known[at];
  if (ks->key) {
    memcpy(j->options, j->pool + ks->at, ks->n * sizeof *j->options);
    return (long)ks->n;
  }
  size_t n = mm_slotter_options(j->sl, mentee, mentor, j->options);
  if (!mm_grow((void **)&j->pool, &j->pool_alloc, j->pool_n + n, sizeof *j->pool)) return -1;
  memcpy(j->pool + j->pool_n, j->options, n * sizeof *j->options);
  *ks = (known_starts){key, j->pool_n, n};
  j->pool_n += n;
  j->known_used++;
  return (long)n;
}

/* The pair's valid starts that avoid both people's busy time, into
 * j->options in the slotter's order (count returned); -1 when memory is
 * short. */
static long free_starts(mm_joint *j, uint32_t mentee, uint32_t mentor) {
  long got = pair_starts(j, mentee, mentor);
  if (got < 0) return -1;
  const jbusy *bm = &j->busy[j->people->of_mentor[mentor]];
  const jbusy *be = &j->busy[j->people->of_mentee[mentee]];
  size_t n_free = 0;
  for (size_t k = 0; k < (size_t)got; k++) {
    int64_t busy_s;
    int n = mm_slotter_span(j->sl, mentor, j->options[k], j->span, &busy_s);
    if (n == 0 || collides(bm, j->span, n, busy_s) || collides(be, j->span, n, busy_s)) continue;
    j->options[n_free++] = j->options[k];
  }
  return (long)n_free;
}

long mm_joint_valid_starts(mm_joint *j, uint32_t mentee, uint32_t mentor) { return pair_starts(j, mentee, mentor); }

long mm_joint_first_free_start(mm_joint *j, uint32_t mentee, uint32_t mentor, mm_slot *slot) {
  long n = free_starts(j, mentee, mentor);
  if (n > 0) *slot = j->options[0];
  return n;
}

long mm_joint_add_pair(mm_joint *j, uint32_t mentee, uint32_t mentor, int64_t score, int required,
                       mm_slot start_slot) {
  if (!mm_grow((void **)&j->pairs, &j->pairs_alloc, j->n_pairs + 1, sizeof *j->pairs)) return -1;
  long got = free_starts(j, mentee, mentor);
  if (got < 0) return -1;
  size_t n_free = (size_t)got;
  size_t cols_alloc = j->cols_alloc;
  if (!mm_grow((void **)&j->cols, &cols_alloc, j->n_cols + n_free, sizeof *j->cols)) return -1;
  cols_alloc = j->cols_alloc;
  if (!mm_grow((void **)&j->col_pair, &cols_alloc, j->n_cols + n_free, sizeof *j->col_pair)) return -1;
  j->cols_alloc = cols_alloc;
  jpair *pr = &j->pairs[j->n_pairs];
  *pr = (jpair){mentee, mentor, score, required, start_slot, j->n_cols, 0};
  /* Every step-th free start. */
  size_t keep = j->column_cap && n_free > j->column_cap ? j->column_cap : n_free;
  for (size_t x = 0; x < keep; x++) {
    size_t k = x * n_free / keep;
    /* The caller's start slot, when free, always stays a column. */
    if (start_slot.quarter >= 0) {
      for (size_t y = k; y < (x + 1) * n_free / keep; y++)
        if (j->options[y].quarter == start_slot.quarter && j->options[y].first_day == start_slot.first_day) k = y;
    }
    j->cols[j->n_cols] = j->options[k];
    j->col_pair[j->n_cols] = (uint32_t)j->n_pairs;
    j->n_cols++;
    pr->n_cols++;
  }
  return (long)j->n_pairs++;
}

/* ---- solving ------------------------------------------------------------ */

static size_t root_of(size_t *parent, size_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/* A set of rows already written, by their column lists, so a clash that
 * repeats every week becomes one row. */
typedef struct {
  uint64_t *hash;
  int *row; /* row index + 1, 0 = empty */
  size_t n_slots;
} row_set;

static uint64_t hash_cols(const int *cols, int n) {
  uint64_t h = 1469598103934665603u;
  for (int k = 0; k < n; k++) {
    h ^= (uint64_t)(uint32_t)cols[k];
    h *= 1099511628211u;
  }
  return h;
}

/* Adds the row sum(cols) <= 1 unless the same row is already there; 0 when
 * memory is short. */
static int add_clash_row(mm_mip *m, row_set *rs, const int *cols, int n) {
  uint64_t h = hash_cols(cols, n);
  size_t at = (size_t)h & (rs->n_slots - 1);
  while (rs->row[at]) {
    int r = rs->row[at] - 1;
    int len = m->row_off[r + 1] - m->row_off[r];
    if (rs->hash[at] == h && len == n && memcmp(m->row_col + m->row_off[r], cols, (size_t)n * sizeof *cols) == 0)
      return 1;
    at = (at + 1) & (rs->n_slots - 1);
  }
  if (!mm_mip_add_row(m, n, cols, NULL, -HUGE_VAL, 1.0)) return 0;
  rs->hash[at] = h;
  rs->row[at] = m->n_rows;
  return 1;
}

/* Sorts v[0..n) ascending by the bits of (v >> shift) below 2^bits, stably,
 * eight bits a pass (least significant first); tmp has room for n. */
static void radix_sort(uint64_t *v, size_t n, uint64_t *tmp, int shift, int bits) {
  for (int b = 0; b < bits; b += 8) {
    size_t count[257] = {0};
    for (size_t k = 0; k < n; k++) count[((v[k] >> (shift + b)) & 0xff) + 1]++;
    for (int d = 0; d < 256; d++) count[d + 1] += count[d];
    for (size_t k = 0; k < n; k++) tmp[count[(v[k] >> (shift + b)) & 0xff]++] = v[k];
    memcpy(v, tmp, n * sizeof *v);
  }
}

/* Sorts ints ascending (short lists: a clique of one start). */
static void sort_ints(int *v, int n) {
  for (int a = 1; a < n; a++) {
    int x = v[a], b = a;
    for (; b > 0 && v[b - 1] > x; b--) v[b] = v[b - 1];
    v[b] = x;
  }
}

/* The busy starts of every column, worked out once: occurrence starts of
 * column c are at[off[c] .. off[c + 1]). */
typedef struct {
  int64_t *at;
  size_t *off;
  size_t alloc;
} col_spans;

static int span_columns(mm_joint *j, const size_t *cols, size_t n_cols, col_spans *cs, int64_t *busy_q) {
  cs->off = malloc((n_cols + 1) * sizeof *cs->off);
  if (!cs->off) return 0;
  cs->off[0] = 0;
  for (size_t c = 0; c < n_cols; c++) {
    const jpair *pr = &j->pairs[j->col_pair[cols[c]]];
    int64_t busy_s;
    int n = mm_slotter_span(j->sl, pr->mentor, j->cols[cols[c]], j->span, &busy_s);
    *busy_q = busy_s / QUARTER_S;
    if (!mm_grow((void **)&cs->at, &cs->alloc, cs->off[c] + (size_t)n, sizeof *cs->at)) return 0;
    memcpy(cs->at + cs->off[c], j->span, (size_t)n * sizeof *cs->at);
    cs->off[c + 1] = cs->off[c] + (size_t)n;
  }
  return 1;
}

/* Each person's busy starts among a set of columns, as keys (start quarter
 * << 32 | column), sorted by start, ties in column order: person k's keys
 * are key[end[k - 1] .. end[k]) (from 0 for the first). */
typedef struct {
  uint64_t *key;
  uint32_t *end;
  uint32_t n_local;
  int64_t busy_q;
} clash_keys;

/* Frees the keys and clears them, so that freeing them again is harmless
 * (clash_keys_build frees them when it fails; its callers free them at
 * their end either way). */
static void clash_keys_free(clash_keys *ck) {
  free(ck->key);
  free(ck->end);
  ck->key = NULL;
  ck->end = NULL;
}

/* Numbers the columns' people, gathers their keys person by person (in
 * column order) and sorts each person's by start, stably. */
static int clash_keys_build(mm_joint *j, const size_t *cols, size_t n_cols, clash_keys *ck) {
  int64_t base = j->p->window_from;
  uint32_t *persons = malloc((2 * n_cols + 1) * sizeof *persons);
  uint64_t *tmp = NULL;
  col_spans cs = {NULL, NULL, 0};
  *ck = (clash_keys){NULL, calloc(2 * n_cols + 2, sizeof *ck->end), 0, 0};
  uint32_t *count = ck->end;
  int ok = persons && count && span_columns(j, cols, n_cols, &cs, &ck->busy_q);
  for (int pass = 0; pass < 2 && ok; pass++) {
    /* Pass 0 numbers the people and counts their occurrences, pass 1 fills. */
    for (size_t c = 0; c < n_cols; c++) {
      const jpair *pr = &j->pairs[j->col_pair[cols[c]]];
      uint32_t who[2] = {j->people->of_mentor[pr->mentor], j->people->of_mentee[pr->mentee]};
      for (int w = 0; w < (who[0] == who[1] ? 1 : 2); w++) {
        if (pass == 0 && j->local[who[w]] == UINT32_MAX) {
          j->local[who[w]] = ck->n_local;
          persons[ck->n_local++] = who[w];
        }
        uint32_t at = j->local[who[w]];
        if (pass == 0) count[at + 1] += (uint32_t)(cs.off[c + 1] - cs.off[c]);
        for (size_t x = cs.off[c]; pass == 1 && x < cs.off[c + 1]; x++)
          ck->key[count[at]++] = (uint64_t)((cs.at[x] - base) / QUARTER_S) << 32 | (uint64_t)c;
      }
    }
    if (pass == 0) {
      for (uint32_t k = 0; k < ck->n_local; k++) count[k + 1] += count[k];
      ck->key = malloc((count[ck->n_local] ? count[ck->n_local] : 1) * sizeof *ck->key);
      tmp = malloc((count[ck->n_local] ? count[ck->n_local] : 1) * sizeof *tmp);
      ok = ck->key && tmp;
    }
  }
  /* count[k] is now the end of person k's keys. */
  for (uint32_t k = 0; ok && k < ck->n_local; k++) {
    size_t from = k ? count[k - 1] : 0, n = count[k] - from;
    uint64_t top = 0;
    for (size_t x = from; x < count[k]; x++)
      if (ck->key[x] >> 32 > top) top = ck->key[x] >> 32;
    int bits = 0;
    while (bits < 32 && top >> bits) bits += 8;
    radix_sort(ck->key + from, n, tmp, 32, bits);
  }
  for (uint32_t k = 0; persons && k < ck->n_local; k++) j->local[persons[k]] = UINT32_MAX;
  free(persons);
  free(tmp);
  free(cs.at);
  free(cs.off);
  if (!ok) clash_keys_free(ck);
  return ok;
}

/* Calls visit(arg, list, n) for each start of every person with the
 * columns whose busy time covers it (n >= 2, ascending); stops at 0. */
static int each_clash(const clash_keys *ck, int *list, int (*visit)(void *arg, const int *list, int n), void *arg) {
  for (uint32_t k = 0; k < ck->n_local; k++) {
    const uint64_t *key = ck->key + (k ? ck->end[k - 1] : 0);
    size_t n_keys = ck->end[k] - (k ? ck->end[k - 1] : 0);
    for (size_t hi = 0, lo = 0; hi < n_keys; hi++) {
      uint64_t at = key[hi] >> 32;
      if (hi + 1 < n_keys && key[hi + 1] >> 32 == at) continue;
      while ((key[lo] >> 32) + (uint64_t)ck->busy_q <= at) lo++;
      int n = 0;
      for (size_t x = lo; x <= hi; x++) list[n++] = (int)(uint32_t)key[x];
      if (n < 2) continue;
      sort_ints(list, n);
      if (!visit(arg, list, n)) return 0;
    }
  }
  return 1;
}

typedef struct {
  mm_mip *m;
  row_set rs;
  int *prev;
  int prev_n;
} row_writer;

/* Writes the row unless it repeats the one before or one already there. */
static int write_clash(void *arg, const int *list, int n) {
  row_writer *w = arg;
  if (n == w->prev_n && memcmp(list, w->prev, (size_t)n * sizeof *list) == 0) return 1;
  if (!add_clash_row(w->m, &w->rs, list, n)) return 0;
  memcpy(w->prev, list, (size_t)n * sizeof *list);
  w->prev_n = n;
  return 1;
}

/* Clash rows of the keys' columns, person by person.  Busy intervals of
 * one person that overlap pairwise all contain the latest of their starts,
 * so a row at every start (the columns whose busy time covers it)
 * expresses every clash, and each is a clique. */
static int add_clash_rows(const clash_keys *ck, mm_mip *m, size_t n_cols) {
  row_writer w = {m, {NULL, NULL, 1}, malloc((n_cols ? n_cols : 1) * sizeof *w.prev), 0};
  int *list = malloc((n_cols ? n_cols : 1) * sizeof *list);
  size_t total = ck->n_local ? ck->end[ck->n_local - 1] : 0;
  while (w.rs.n_slots < 2 * total + 2) w.rs.n_slots *= 2;
  w.rs.hash = malloc(w.rs.n_slots * sizeof *w.rs.hash);
  w.rs.row = calloc(w.rs.n_slots, sizeof *w.rs.row);
  int ok = w.prev && list && w.rs.hash && w.rs.row && each_clash(ck, list, write_clash, &w);
  free(w.prev);
  free(list);
  free(w.rs.hash);
  free(w.rs.row);
  return ok;
}

static int mark_clash(void *arg, const int *list, int n) {
  uint8_t *clashing = arg;
  for (int k = 0; k < n; k++) clashing[list[k]] = 1;
  return 1;
}

/* Keeps the keys of the kept columns only, renumbered: column c becomes
 * renumber[c] (ascending over the kept ones, -1 = dropped), so each
 * person's keys stay sorted. */
static void clash_keys_keep(clash_keys *ck, const int *renumber) {
  size_t out = 0, from = 0;
  for (uint32_t k = 0; k < ck->n_local; k++) {
    for (size_t x = from; x < ck->end[k]; x++) {
      int c = renumber[(uint32_t)ck->key[x]];
      if (c >= 0) ck->key[out++] = (ck->key[x] >> 32) << 32 | (uint64_t)(uint32_t)c;
    }
    from = ck->end[k];
    ck->end[k] = (uint32_t)out;
  }
}

typedef struct {
  uint32_t key;
  int col;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->col > y->col) - (x->col < y->col);
}

/* Mentee rows (at most one column) and mentor rows (at most their places;
 * required pairs hold a place of their own) of the component's columns. */
static int add_people_rows(mm_joint *j, mm_mip *m, const size_t *cols, size_t n_cols, int *list) {
  keyed *order = malloc((n_cols ? n_cols : 1) * sizeof *order);
  if (!order) return 0;
  int ok = 1;
  for (int side = 0; side < 2 && ok; side++) {
    for (size_t c = 0; c < n_cols; c++) {
      const jpair *pr = &j->pairs[j->col_pair[cols[c]]];
      order[c] = (keyed){side ? pr->mentor : pr->mentee, (int)c};
    }
    qsort(order, n_cols, sizeof *order, cmp_keyed);
    for (size_t a = 0, b; a < n_cols && ok; a = b) {
      int n = 0;
      for (b = a; b < n_cols && order[b].key == order[a].key; b++) {
        if (side == 0 || !j->pairs[j->col_pair[cols[order[b].col]]].required) list[n++] = order[b].col;
      }
      double hi = side ? (double)j->places[order[a].key] : 1.0;
      if (n > 0 && (double)n > hi) ok = mm_mip_add_row(m, n, list, NULL, -HUGE_VAL, hi);
    }
  }
  free(order);
  return ok;
}

static int is_start(const jpair *pr, const mm_slot *s) {
  return pr->start.quarter >= 0 && pr->start.quarter == s->quarter && pr->start.first_day == s->first_day;
}

/* Drops dominated columns: a column that clashes with no other column of
 * the component can replace any column of its pair in a solution (same
 * mentee, mentor and objective), so a pair with one keeps that one alone
 * (its start slot when that is such a column, else the first).  The kept
 * columns go to cols (count returned), renumber[c] = kept index or -1,
 * start[] = the caller's solution moved onto them, still feasible.  A
 * pair's columns are consecutive in all[]. */
static size_t keep_columns(const mm_joint *j, const size_t *all, size_t n_all, const uint8_t *clashing, int *renumber,
                           size_t *cols, double *start) {
  size_t n = 0;
  for (size_t a = 0, b; a < n_all; a = b) {
    const jpair *pr = &j->pairs[j->col_pair[all[a]]];
    size_t lone = SIZE_MAX;
    int started = 0;
    for (b = a; b < n_all && j->col_pair[all[b]] == j->col_pair[all[a]]; b++) {
      int here = is_start(pr, &j->cols[all[b]]);
      started |= here;
      if (!clashing[b] && (lone == SIZE_MAX || here)) lone = b;
    }
    for (size_t c = a; c < b; c++) {
      renumber[c] = -1;
      if (lone != SIZE_MAX && c != lone) continue;
      renumber[c] = (int)n;
      start[n] = lone != SIZE_MAX ? started : is_start(pr, &j->cols[all[c]]);
      cols[n++] = all[c];
    }
  }
  return n;
}

/* Builds and solves one component's program (columns all[0..n_all));
 * writes the chosen slots. */
static mm_status solve_component(mm_joint *j, const size_t *all, size_t n_all, double time_limit_s,
                                 mm_slot *slot, mm_joint_stats *st, mm_error *e) {
  mm_mip m;
  mm_mip_init(&m);
  size_t n_cols = 0, *cols = malloc((n_all ? n_all : 1) * sizeof *cols);
  int *list = malloc((n_all ? n_all : 1) * sizeof *list);
  int *renumber = malloc((n_all ? n_all : 1) * sizeof *renumber);
  uint8_t *clashing = calloc(n_all ? n_all : 1, 1);
  double *start = malloc((n_all ? n_all : 1) * sizeof *start);
  double *x = malloc((n_all ? n_all : 1) * sizeof *x);
  clash_keys ck = {NULL, NULL, 0, 0};
  mm_status status = MM_OK;
  int ok = cols && list && renumber && clashing && start && x && clash_keys_build(j, all, n_all, &ck) &&
           each_clash(&ck, list, mark_clash, clashing);
  if (ok) {
    n_cols = keep_columns(j, all, n_all, clashing, renumber, cols, start);
    clash_keys_keep(&ck, renumber);
  }
  /* A required pair outweighs every other pair of the component together:
   * one left without a slot while free pairs take its hours would be kept
   * by the caller anyway, unscheduled. */
  int64_t others = 1;
  for (size_t c = 0; c < n_cols; c++) {
    const jpair *pr = &j->pairs[j->col_pair[cols[c]]];
    others += !pr->required && (c == 0 || j->col_pair[cols[c - 1]] != j->col_pair[cols[c]]);
  }
  for (size_t c = 0; c < n_cols && ok; c++) {
    const jpair *pr = &j->pairs[j->col_pair[cols[c]]];
    ok = mm_mip_add_col(&m, (double)(j->big * (pr->required ? others : 1) + pr->score)) >= 0;
  }
  ok = ok && add_people_rows(j, &m, cols, n_cols, list) && add_clash_rows(&ck, &m, n_cols);
  if (!ok) {
    mm_error_set(e, NULL, "out of memory building the joint model");
    status = MM_ERR_NOMEM;
    goto done;
  }
  mm_mip_result r;
  status = mm_mip_solve(&m, start, time_limit_s, x, &r, e);
  if (status != MM_OK) goto done;
  st->columns += n_cols;
  st->rows += (size_t)m.n_rows;
  st->components++;
  if (r.status != MM_MIP_OPTIMAL) st->optimal = 0;
  if (r.status == MM_MIP_INFEASIBLE) {
    mm_error_set(e, "solver", "the joint model of pairs and slots has no solution");
    status = MM_ERR_SOLVER;
    goto done;
  }
  /* Without a solution of GLPK's own, the start is the answer. */
  const double *answer = r.status == MM_MIP_NO_SOLUTION ? start : x;
  double value = 0;
  for (size_t c = 0; c < n_cols; c++) {
    if (answer[c] < 0.5) continue;
    const jpair *pr = &j->pairs[j->col_pair[cols[c]]];
    slot[j->col_pair[cols[c]]] = j->cols[cols[c]];
    st->pairs++;
    st->score += pr->score;
    value += (double)(j->big + pr->score);
  }
  st->bound += r.status == MM_MIP_OPTIMAL ? value : r.bound;
done:
  mm_mip_free(&m);
  clash_keys_free(&ck);
  free(cols);
  free(list);
  free(renumber);
  free(clashing);
  free(start);
  free(x);
  return status;
}

mm_status mm_joint_solve(mm_joint *j, double time_limit_s, mm_slot *slot, mm_joint_stats *st,
                         mm_error *e) {
  memset(st, 0, sizeof *st);
  st->optimal = 1;
  for (size_t k = 0; k < j->n_pairs; k++) slot[k] = (mm_slot){0, -1};
  /* Union-find over the people of the model only, numbered through local. */
  size_t n_local = 0;
  uint32_t *persons = malloc((2 * j->n_pairs + 1) * sizeof *persons);
  size_t *parent = malloc((2 * j->n_pairs + 1) * sizeof *parent);
  keyed *by_group = malloc((j->n_cols ? j->n_cols : 1) * sizeof *by_group);
  size_t *cols = malloc((j->n_cols ? j->n_cols : 1) * sizeof *cols);
  mm_status status = MM_OK;
  if (!persons || !parent || !by_group || !cols) {
    mm_error_set(e, NULL, "out of memory splitting the joint model");
    status = MM_ERR_NOMEM;
    goto done;
  }
  for (size_t k = 0; k < j->n_pairs; k++) {
    uint32_t who[2] = {j->people->of_mentor[j->pairs[k].mentor], j->people->of_mentee[j->pairs[k].mentee]};
    for (int w = 0; w < 2; w++) {
      if (j->local[who[w]] != UINT32_MAX) continue;
      j->local[who[w]] = (uint32_t)n_local;
      parent[n_local] = n_local;
      persons[n_local++] = who[w];
    }
    if (!j->pairs[k].n_cols) continue;
    size_t a = root_of(parent, j->local[who[0]]), b = root_of(parent, j->local[who[1]]);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
  }
  /* Components in the order of their first person: columns keyed by root. */
  for (size_t c = 0; c < j->n_cols; c++) {
    const jpair *pr = &j->pairs[j->col_pair[c]];
    by_group[c] = (keyed){(uint32_t)root_of(parent, j->local[j->people->of_mentor[pr->mentor]]), (int)c};
  }
  for (size_t k = 0; k < n_local; k++) j->local[persons[k]] = UINT32_MAX;
  qsort(by_group, j->n_cols, sizeof *by_group, cmp_keyed);
  for (size_t a = 0, b; a < j->n_cols && status == MM_OK; a = b) {
    size_t n = 0;
    for (b = a; b < j->n_cols && by_group[b].key == by_group[a].key; b++) cols[n++] = (size_t)by_group[b].col;
    status = solve_component(j, cols, n, time_limit_s, slot, st, e);
  }
done:
  free(persons);
  free(parent);
  free(by_group);
  free(cols);
  return status;
}

/* ---- the model as one program, for callers that add rows of their own ---- */

int mm_joint_write(mm_joint *j, mm_mip *m) {
  size_t *cols = malloc((j->n_cols ? j->n_cols : 1) * sizeof *cols);
  int *list = malloc((j->n_cols ? j->n_cols : 1) * sizeof *list);
  int ok = cols && list;
  for (size_t c = 0; ok && c < j->n_cols; c++) {
    cols[c] = c;
    ok = mm_mip_add_col(m, (double)(j->big + j->pairs[j->col_pair[c]].score)) >= 0;
  }
  clash_keys ck = {NULL, NULL, 0, 0};
  ok = ok && add_people_rows(j, m, cols, j->n_cols, list) && clash_keys_build(j, cols, j->n_cols, &ck) &&
       add_clash_rows(&ck, m, j->n_cols);
  clash_keys_free(&ck);
  free(cols);
  free(list);
  return ok;
}

size_t mm_joint_column_count(const mm_joint *j) { return j->n_cols; }

size_t mm_joint_column_pair(const mm_joint *j, size_t c) { return j->col_pair[c]; }

mm_slot mm_joint_column_slot(const mm_joint *j, size_t c) { return j->cols[c]; }
