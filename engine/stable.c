/* stable.c: mentee-proposing deferred acceptance, and counting blocking pairs.
 *
 * The optimal mode maximises the total score; a program may prefer an
 * assignment that nobody can undo by private agreement.  Deferred acceptance
 * (Gale and Shapley; Roth's hospitals/residents form with capacities) gives
 * one: every free mentee proposes to its best mentor not yet tried, and a
 * mentor keeps its best `capacity` proposals so far, rejecting the rest.
 * Both sides rank by the pair's score, so preferences are symmetric; ties are
 * broken by index (lower first) on both sides, which makes each order strict
 * and the outcome unique (the mentee-optimal stable assignment), so the order
 * in which proposals are processed cannot change it.
 *
 * A mentor's held proposals sit in a small binary heap with its least wanted
 * on top, so each proposal costs O(log capacity).  The same definition of a
 * blocking pair serves both modes: stable mode must have none (tests check
 * it on random instances), and the optimal mode reports how many it has.
 */
#include "stable.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int64_t w;
  uint32_t mentee;
  uint64_t edge;
} held;

/* True when a is less wanted than b by their mentor. */
static int less_wanted(const held *a, const held *b) {
  if (a->w != b->w) return a->w < b->w;
  return a->mentee > b->mentee;
}

static void sift_down(held *h, uint32_t n, uint32_t k) {
  for (;;) {
    uint32_t l = 2 * k + 1, r = l + 1, top = k;
    if (l < n && less_wanted(&h[l], &h[top])) top = l;
    if (r < n && less_wanted(&h[r], &h[top])) top = r;
    if (top == k) return;
    held t = h[k];
    h[k] = h[top];
    h[top] = t;
    k = top;
  }
}

static void sift_up(held *h, uint32_t k) {
  while (k > 0) {
    uint32_t parent = (k - 1) / 2;
    if (!less_wanted(&h[k], &h[parent])) return;
    held t = h[k];
    h[k] = h[parent];
    h[parent] = t;
    k = parent;
  }
}

typedef struct {
  int64_t w;
  uint32_t mentor;
  uint64_t edge;
} choice;

/* Higher score first, then the lower mentor index. */
static int by_preference(const void *a, const void *b) {
  const choice *x = a, *y = b;
  if (x->w != y->w) return x->w > y->w ? -1 : 1;
  return x->mentor < y->mentor ? -1 : x->mentor > y->mentor;
}

/* Each row's edge indices in the mentee's order of preference. */
static mm_status order_rows(const mm_graph *g, uint64_t *pref) {
  uint64_t widest = 0;
  for (uint32_t i = 0; i < g->n_left; i++)
    if (g->off[i + 1] - g->off[i] > widest) widest = g->off[i + 1] - g->off[i];
  choice *row = malloc((widest ? widest : 1) * sizeof *row);
  if (!row) return MM_ERR_NOMEM;
  for (uint32_t i = 0; i < g->n_left; i++) {
    uint64_t len = g->off[i + 1] - g->off[i];
    for (uint64_t k = 0; k < len; k++) {
      uint64_t edge = g->off[i] + k;
      row[k] = (choice){g->w[edge], g->adj[edge], edge};
    }
    qsort(row, len, sizeof *row, by_preference);
    for (uint64_t k = 0; k < len; k++) pref[g->off[i] + k] = row[k].edge;
  }
  free(row);
  return MM_OK;
}

mm_status mm_stable_solve(const mm_graph *g, int64_t *match, mm_error *e) {
  uint32_t n = g->n_left, m = g->n_right;
  uint64_t edges = g->off[n];
  uint64_t *pref = malloc((edges ? edges : 1) * sizeof *pref);
  uint64_t *next = malloc(((size_t)n + 1) * sizeof *next);
  uint64_t *heap_off = malloc(((size_t)m + 1) * sizeof *heap_off);
  uint32_t *heap_n = calloc(m ? m : 1, sizeof *heap_n);
  uint32_t *queue = malloc(((size_t)n + 1) * sizeof *queue);
  held *heap = NULL;
  mm_status st = MM_OK;
  if (!pref || !next || !heap_off || !heap_n || !queue) goto nomem;
  heap_off[0] = 0;
  for (uint32_t j = 0; j < m; j++) heap_off[j + 1] = heap_off[j] + (uint64_t)(g->cap[j] > 0 ? g->cap[j] : 0);
  heap = malloc((heap_off[m] ? heap_off[m] : 1) * sizeof *heap);
  if (!heap || order_rows(g, pref) != MM_OK) goto nomem;
  size_t head = 0, tail = 0;
  for (uint32_t i = 0; i < n; i++) {
    match[i] = -1;
    next[i] = g->off[i];
    queue[tail++] = i;
  }
  /* A FIFO of free mentees; a rejected one goes back to its end.  Each
   * mentee is in the queue at most once, so n + 1 slots suffice cyclically. */
  while (head != tail) {
    uint32_t i = queue[head];
    head = (head + 1) % ((size_t)n + 1);
    while (next[i] < g->off[i + 1]) {
      uint64_t k = pref[next[i]++];
      uint32_t j = g->adj[k];
      uint32_t cap = g->cap[j] > 0 ? (uint32_t)g->cap[j] : 0;
      if (cap == 0) continue;
      held offer = {g->w[k], i, k};
      held *h = &heap[heap_off[j]];
      if (heap_n[j] < cap) {
        h[heap_n[j]] = offer;
        sift_up(h, heap_n[j]++);
        match[i] = (int64_t)k;
        break;
      }
      if (!less_wanted(&h[0], &offer)) continue;
      uint32_t out = h[0].mentee;
      match[out] = -1;
      h[0] = offer;
      sift_down(h, heap_n[j], 0);
      match[i] = (int64_t)k;
      queue[tail] = out;
      tail = (tail + 1) % ((size_t)n + 1);
      break;
    }
  }
  goto done;
nomem:
  st = MM_ERR_NOMEM;
  mm_error_set(e, NULL, "out of memory running deferred acceptance on %u mentees", n);
done:
  free(pref);
  free(next);
  free(heap_off);
  free(heap_n);
  free(queue);
  free(heap);
  return st;
}

/* ---- deferred acceptance with calendars ----------------------------------- */

typedef struct {
  const mm_graph *g;
  const int64_t *match;
  uint32_t proposer;
  int64_t w;
} wanted;

/* Mentor's keep value of its mentee k against the proposer (diary.h):
 * its score when the mentor wants it less than the proposer, else never. */
static int64_t keep_value(void *ctx, uint32_t k) {
  const wanted *x = ctx;
  if (x->match[k] < 0) return INT64_MAX;
  held a = {x->g->w[x->match[k]], k, 0}, b = {x->w, x->proposer, 0};
  return less_wanted(&a, &b) ? a.w : INT64_MAX;
}

/* The least wanted of mentor j's mentees, or -1. */
static int64_t least_wanted(const mm_graph *g, const int64_t *match, const uint32_t *of, uint32_t n_of) {
  int64_t out = -1;
  for (uint32_t x = 0; x < n_of; x++) {
    held a = {g->w[match[of[x]]], of[x], 0};
    if (out < 0) {
      out = of[x];
      continue;
    }
    held b = {g->w[match[out]], (uint32_t)out, 0};
    if (less_wanted(&a, &b)) out = of[x];
  }
  return out;
}

static void forget(uint32_t *of, uint32_t *n_of, uint32_t k) {
  for (uint32_t x = 0; x < *n_of; x++)
    if (of[x] == k) of[x] = of[--*n_of];
}

/* Mentors' held mentees: mentor j's are of[off[j] .. off[j] + n_of[j]). */
typedef struct {
  const mm_graph *g;
  mm_diary *d;
  int64_t *match;
  mm_slot *slot_of;
  uint64_t *off;
  uint32_t *of, *n_of;
} da_state;

static void release(da_state *x, uint32_t k) {
  uint32_t j = x->g->adj[x->match[k]];
  mm_diary_unbook(x->d, k);
  forget(x->of + x->off[j], &x->n_of[j], k);
  x->match[k] = -1;
  x->slot_of[k] = (mm_slot){0, -1};
}

/* Mentor j takes proposal (i, edge k) if a common slot is free, dropping at
 * most one less wanted mentee (the one whose meeting is in the way, or, when
 * j is full, its least wanted); i leaves its own mentor, if any.  Returns
 * the dropped mentee, -1 when none, -2 when j refuses, -3 when memory is
 * short. */
static int64_t consider(da_state *x, uint32_t i, uint64_t k) {
  const mm_graph *g = x->g;
  uint32_t j = g->adj[k], *of = x->of + x->off[j];
  wanted w = {g, x->match, i, g->w[k]};
  mm_slot slot;
  int64_t drop, least = -1;
  /* A full mentor that wants every mentee it has more refuses at once. */
  if (x->n_of[j] >= (uint32_t)g->cap[j]) {
    least = least_wanted(g, x->match, of, x->n_of[j]);
    if (least < 0 || keep_value(&w, (uint32_t)least) == INT64_MAX) return -2;
  }
  if (!mm_diary_fit(x->d, i, j, keep_value, &w, &slot, &drop)) return -2;
  if (drop < 0) drop = least;
  if (drop >= 0) release(x, (uint32_t)drop);
  if (x->match[i] >= 0) release(x, i);
  if (!mm_diary_book(x->d, i, j, slot)) return -3;
  of[x->n_of[j]++] = i;
  x->match[i] = (int64_t)k;
  x->slot_of[i] = slot;
  return drop;
}

/* A mentor that drops a mentee frees time, which can open a slot it had to
 * refuse before: every mentee then moves to its best mentor that would now
 * take it, round after round, until nobody moves (or MAX_STABLE_ROUNDS).
 * Returns the moves made, or -1 when memory is short. */
#define MAX_STABLE_ROUNDS 64
static long settle(da_state *x, const uint64_t *pref) {
  const mm_graph *g = x->g;
  long moves = 0;
  for (int round = 0; round < MAX_STABLE_ROUNDS; round++) {
    long moved = 0;
    for (uint32_t i = 0; i < g->n_left; i++) {
      for (uint64_t p = g->off[i]; p < g->off[i + 1]; p++) {
        uint64_t k = pref[p];
        if (x->match[i] >= 0 && g->w[k] <= g->w[x->match[i]]) break;
        if (g->cap[g->adj[k]] <= 0) continue;
        int64_t out = consider(x, i, k);
        if (out == -3) return -1;
        if (out == -2) continue;
        moved++;
        break;
      }
    }
    moves += moved;
    if (moved == 0) break;
  }
  return moves;
}

mm_status mm_stable_solve_calendars(const mm_graph *g, mm_diary *d, int64_t *match, mm_slot *slot_of,
                                    mm_error *e) {
  uint32_t n = g->n_left, m = g->n_right;
  uint64_t edges = g->off[n];
  uint64_t *pref = malloc((edges ? edges : 1) * sizeof *pref);
  uint64_t *next = malloc(((size_t)n + 1) * sizeof *next);
  da_state x = {g, d, match, slot_of, malloc(((size_t)m + 1) * sizeof *x.off), NULL, calloc(m ? m : 1, sizeof *x.n_of)};
  uint32_t *queue = malloc(((size_t)n + 1) * sizeof *queue);
  mm_status st = MM_OK;
  if (!pref || !next || !x.off || !x.n_of || !queue) goto nomem;
  x.off[0] = 0;
  for (uint32_t j = 0; j < m; j++) x.off[j + 1] = x.off[j] + (uint64_t)(g->cap[j] > 0 ? g->cap[j] : 0);
  x.of = malloc((x.off[m] ? x.off[m] : 1) * sizeof *x.of);
  if (!x.of || order_rows(g, pref) != MM_OK) goto nomem;
  size_t head = 0, tail = 0;
  for (uint32_t i = 0; i < n; i++) {
    match[i] = -1;
    slot_of[i] = (mm_slot){0, -1};
    next[i] = g->off[i];
    queue[tail++] = i;
  }
  while (head != tail) {
    uint32_t i = queue[head];
    head = (head + 1) % ((size_t)n + 1);
    while (next[i] < g->off[i + 1]) {
      uint64_t k = pref[next[i]++];
      if (g->cap[g->adj[k]] <= 0) continue;
      int64_t out = consider(&x, i, k);
      if (out == -3) goto nomem;
      if (out == -2) continue;
      if (out >= 0) {
        queue[tail] = (uint32_t)out;
        tail = (tail + 1) % ((size_t)n + 1);
      }
      break;
    }
  }
  if (settle(&x, pref) < 0) goto nomem;
  goto done;
nomem:
  st = MM_ERR_NOMEM;
  mm_error_set(e, NULL, "out of memory running deferred acceptance with calendars on %u mentees", n);
done:
  free(pref);
  free(next);
  free(x.off);
  free(x.n_of);
  free(queue);
  free(x.of);
  return st;
}

/* Per mentor: the lowest score among its movable mentees when it is full,
 * else INT64_MIN (room left: any eligible mentee is welcome).  Mentors with
 * no open place get INT64_MAX (nobody can get in). */
static int64_t *mentor_thresholds(const mm_stability *st) {
  int64_t *worst = malloc((st->m ? st->m : 1) * sizeof *worst);
  uint32_t *load = calloc(st->m ? st->m : 1, sizeof *load);
  if (!worst || !load) {
    free(worst);
    free(load);
    return NULL;
  }
  for (uint32_t j = 0; j < st->m; j++) worst[j] = INT64_MAX;
  for (uint32_t i = 0; i < st->n; i++) {
    if (st->mentor_of[i] < 0 || (st->fixed && st->fixed[i])) continue;
    uint32_t j = (uint32_t)st->mentor_of[i];
    load[j]++;
    if (st->own[i] < worst[j]) worst[j] = st->own[i];
  }
  for (uint32_t j = 0; j < st->m; j++) {
    if (st->cap[j] <= 0) worst[j] = INT64_MAX;
    else if (load[j] < (uint32_t)st->cap[j]) worst[j] = INT64_MIN;
  }
  free(load);
  return worst;
}

/* Blocks by score; with_slots: and the two have a free common slot. */
static int blocks(const mm_stability *st, const int64_t *worst, uint32_t i, uint32_t j, int64_t w, int thread) {
  if (st->mentor_of[i] == (int64_t)j) return 0;
  if (st->mentor_of[i] >= 0 && w <= st->own[i]) return 0;
  if (worst[j] != INT64_MIN && (worst[j] == INT64_MAX || w <= worst[j])) return 0;
  return !st->slot_free || st->slot_free(st->slot_ctx, thread, i, j, w);
}

uint64_t mm_blocking_in_graph(const mm_stability *st, const mm_graph *g) {
  int64_t *worst = mentor_thresholds(st);
  if (!worst) return UINT64_MAX;
  uint64_t count = 0;
  for (uint32_t i = 0; i < st->n; i++) {
    if (st->fixed && st->fixed[i]) continue;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++)
      count += (uint64_t)blocks(st, worst, i, g->adj[k], g->w[k], 0);
  }
  free(worst);
  return count;
}

/* The mentors a pair left out of the candidate graph can block with.  Such
 * a pair scores at most col_kth[j] (j kept its best mentees, i was not one
 * of them), so it blocks through j only when j has room, or its weakest
 * mentee scores below col_kth[j]; a complete column (col_kth -1) has no pair
 * outside.  No col_kth at all: every eligible pair is in the graph.  The
 * list is ascending; *k receives its length.  NULL with *k = 0 when empty
 * or memory is short (*nomem says which). */
static uint32_t *outside_mentors(const mm_stability *st, const mm_candidates *c, const int64_t *worst, uint32_t *k,
                                 int *nomem) {
  *k = 0;
  *nomem = 0;
  if (!c->col_kth) return NULL;
  uint32_t *cols = malloc((st->m ? st->m : 1) * sizeof *cols);
  if (!cols) {
    *nomem = 1;
    return NULL;
  }
  for (uint32_t j = 0; j < st->m; j++) {
    if (c->col_kth[j] < 0 || worst[j] == INT64_MAX) continue;
    if (worst[j] == INT64_MIN || (int64_t)c->col_kth[j] > worst[j]) cols[(*k)++] = j;
  }
  if (*k == 0) {
    free(cols);
    return NULL;
  }
  return cols;
}

/* What a row needs to look past its candidate edges: the mentors of
 * outside_mentors, packed for scoring (NULL: none), and per mentor the
 * score a pair must beat to block through it (its weakest mentee's, or -1
 * when it has room), so that a row's scores are screened in one tight loop
 * and only the few that pass are looked at further. */
typedef struct {
  const uint32_t *cols;
  uint32_t k;
  mm_score_cols *pack;
  int32_t *bar;
  mm_dual_cols dual; /* the mentors sorted by the proof's bound; key_bar NULL: no prices */
} outside_view;

/* The bar of each mentor of out (see outside_view); false when memory is
 * short.  worst is never INT64_MAX there (outside_mentors leaves those out). */
static bool outside_bars(const int64_t *worst, outside_view *out) {
  out->bar = malloc((out->k ? out->k : 1) * sizeof *out->bar);
  if (!out->bar) return false;
  for (uint32_t t = 0; t < out->k; t++) {
    int64_t w = worst[out->cols[t]];
    out->bar[t] = w < 0 ? -1 : w > INT32_MAX ? INT32_MAX : (int32_t)w;
  }
  return true;
}

/* Blocking pairs of row i among the mentors of out, from its scores there
 * (row) over which blocks() is called only where a score beats both the
 * mentor's bar and `own_bar` (the row's own score, or -1 when unmatched):
 * blocks() rejects every other one on score alone, so the count and the
 * slot tests made are those of calling it on every eligible pair.  Pairs in
 * the candidate graph were counted from its edges and are passed over. */
#define SCREEN 32
static uint64_t blocking_outside(const mm_stability *st, const int64_t *worst, const mm_candidates *c,
                                 const outside_view *out, const int32_t *row, int32_t own_bar, uint32_t i,
                                 int thread) {
  uint64_t n = 0, k = c->off[i];
  for (uint32_t t0 = 0; t0 < out->k; t0 += SCREEN) {
    uint32_t end = out->k - t0 < SCREEN ? out->k : t0 + SCREEN;
    int any = 0;
    for (uint32_t t = t0; t < end; t++) any |= (row[t] > out->bar[t]) & (row[t] > own_bar);
    if (!any) continue;
    for (uint32_t t = t0; t < end; t++) {
      if (row[t] <= out->bar[t] || row[t] <= own_bar) continue;
      uint32_t j = out->cols[t];
      while (k < c->off[i + 1] && c->adj[k] < j) k++;
      if (k < c->off[i + 1] && c->adj[k] == j) continue; /* counted from the edges */
      n += (uint64_t)blocks(st, worst, i, j, row[t], thread);
    }
  }
  return n;
}

/* Blocking pairs of row i with the mentors hit[0 .. q) of out (positions),
 * each pair scored alone; as blocking_outside, blocks() is called only
 * where the score beats both bars, and pairs in the graph are passed over. */
static uint64_t blocking_few(const mm_stability *st, const int64_t *worst, const mm_scorer *s,
                             const mm_candidates *c, const outside_view *out, const uint32_t *hit, uint32_t q,
                             int32_t own_bar, uint32_t i, int thread) {
  uint64_t n = 0;
  for (uint32_t x = 0; x < q; x++) {
    uint32_t t = hit[x], j = out->cols[t];
    if (mm_candidates_edge(c, i, j) >= 0) continue; /* counted from the edges */
    int32_t w = mm_score_pair(s, i, j, NULL, NULL);
    if (w > out->bar[t] && w > own_bar) n += (uint64_t)blocks(st, worst, i, j, w, thread);
  }
  return n;
}

/* One mentee's blocking pairs: its candidate edges, and pairs outside the
 * graph with the mentors of `out` only, and only when such a pair could
 * block (they all score at most kth[i], so when that cannot beat its own
 * score or any mentor's threshold the row is not scored again). */
static uint64_t blocking_row(const mm_stability *st, const int64_t *worst, int64_t min_full, bool room,
                             const mm_scorer *s, const mm_candidates *c, const outside_view *out,
                             mm_score_scratch *x, uint32_t i, int thread) {
  uint64_t n = 0;
  for (uint64_t k = c->off[i]; k < c->off[i + 1]; k++)
    n += (uint64_t)blocks(st, worst, i, c->adj[k], c->w[k], thread);
  int64_t outside = c->kth[i];
  bool matched = st->mentor_of[i] >= 0;
  if (!out->pack || outside < 0 || (matched && outside <= st->own[i])) return n;
  /* A mentor with room takes any eligible mentee, except that a maximal
   * assignment has none eligible for a free mentee; a full mentor only one
   * scoring above its weakest. */
  bool via_room = room && (matched || !st->maximal);
  if (!via_room && outside <= min_full) return n;
  int64_t own = matched ? st->own[i] : -1;
  int32_t own_bar = own > INT32_MAX ? INT32_MAX : (int32_t)own;
  if (out->dual.key_bar) {
    uint32_t hit[MM_DUAL_FEW_PAIRS + 1];
    uint32_t q = mm_dual_cols_pick(&out->dual, out->bar, st->prices->u[i], own_bar, hit, MM_DUAL_FEW_PAIRS);
    if (q <= MM_DUAL_FEW_PAIRS) return n + blocking_few(st, worst, s, c, out, hit, q, own_bar, i, thread);
  }
  return n + blocking_outside(st, worst, c, out, mm_score_cols_row(s, out->pack, x, i), own_bar, i, thread);
}

mm_status mm_blocking_all_pairs(const mm_stability *st, const mm_scorer *s, const mm_candidates *c, int threads,
                                uint64_t *count, mm_error *e) {
  int64_t *worst = mentor_thresholds(st);
  mm_score_scratch **x = calloc((size_t)threads, sizeof *x);
  int ok = worst && x, nomem = 0;
  outside_view out = {NULL, 0, NULL, NULL, {0, NULL, NULL, NULL, NULL}};
  uint32_t *cols = ok ? outside_mentors(st, c, worst, &out.k, &nomem) : NULL;
  out.cols = cols;
  if (cols) out.pack = mm_score_cols_create(s, cols, out.k);
  ok = ok && !nomem && (!cols || (out.pack && outside_bars(worst, &out)));
  if (ok && cols && st->prices) ok = mm_dual_cols_make(&out.dual, cols, out.bar, out.k, st->prices);
  for (int t = 0; ok && t < threads; t++) ok = (x[t] = mm_score_scratch_create(s)) != NULL;
  uint64_t total = 0;
  if (ok) {
    int64_t min_full = INT64_MAX;
    bool room = false;
    for (uint32_t j = 0; j < st->m; j++) {
      room = room || worst[j] == INT64_MIN;
      if (worst[j] != INT64_MIN && worst[j] < min_full) min_full = worst[j];
    }
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
      int thread = omp_get_thread_num();
      /* The scorer's row order shares its per-row tables between neighbours. */
      const uint32_t *order = mm_scorer_order(s);
#pragma omp for schedule(dynamic, 32)
      for (uint32_t k = 0; k < st->n; k++) {
        uint32_t i = order[k];
        if (st->fixed && st->fixed[i]) continue;
        total += blocking_row(st, worst, min_full, room, s, c, &out, x[thread], i, thread);
      }
    }
  }
  mm_score_cols_free(out.pack);
  free(out.bar);
  mm_dual_cols_free(&out.dual);
  free(cols);
  for (int t = 0; x && t < threads; t++) mm_score_scratch_free(x[t]);
  free(x);
  free(worst);
  if (!ok) {
    mm_error_set(e, NULL, "out of memory counting blocking pairs");
    return MM_ERR_NOMEM;
  }
  *count = total;
  return MM_OK;
}
