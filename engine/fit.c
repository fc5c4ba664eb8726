/* fit.c: the FIT phase: schedule the blind optimum, and re-decide pairs and slots where it does not fit.
 *
 * Most of a roster fits as assigned: the greedy scheduler books every pair
 * and the calendar-blind optimum is then the optimum with calendars too.
 * Clashes live among the few mentors whose mentees compete for the same
 * hours.  A small problem is re-solved whole with the joint model, which
 * proves the answer; a large one frees every pair that touches a person of a
 * clashing pair and re-solves those exactly, every other pair kept with its
 * slot (its busy time and used places constrain the model).  Each GLPK
 * search starts from the greedy schedule minus the pairs it could not place,
 * so the answer is never worse than dropping them.  Places still open after
 * that are worked on one by one (wider model, a waiting mentee whose week
 * fits, one move that makes room): each step only adds a pair.
 */
#include "fit.h"

#include "solver.h"

#include <stdlib.h>
#include <string.h>

/* Seconds for one joint solve when the run has no --time-limit. */
#define FIT_DEFAULT_LIMIT_S 60.0

typedef struct {
  const mm_problem *p;
  const mm_scorer *s;
  const mm_candidates *c;
  const mm_people *people;
  mm_slotter *sl;
  const int64_t *required;
  const int32_t *places;
  double limit_s;
  int64_t *mentor_of;
  mm_slot *slot_of;
} fit_ctx;

/* Score of a pair: from the candidate graph when it holds the pair. */
static int64_t pair_score(const fit_ctx *f, uint32_t i, uint32_t j) {
  int64_t k = mm_candidates_edge(f->c, i, j);
  return k >= 0 ? f->c->w[k] : mm_score_pair(f->s, i, j, NULL, NULL);
}

/* Schedules the current assignment greedily; slot_of receives each mentee's
 * slot (quarter -1 when none or unmatched).  Returns the number of pairs
 * without a slot, or -1 with e filled. */
static long greedy(fit_ctx *f, mm_error *e) {
  uint32_t n = (uint32_t)f->p->side[MM_MENTEE].n;
  size_t n_pairs = 0;
  for (uint32_t i = 0; i < n; i++) n_pairs += f->mentor_of[i] >= 0;
  mm_pair *pairs = calloc(n_pairs ? n_pairs : 1, sizeof *pairs);
  mm_slot *chosen = malloc((n_pairs ? n_pairs : 1) * sizeof *chosen);
  mm_occurrence *occ = NULL;
  size_t n_occ = 0, k = 0;
  long missing = -1;
  if (!pairs || !chosen) {
    mm_error_set(e, NULL, "out of memory scheduling meetings");
    goto done;
  }
  for (uint32_t i = 0; i < n; i++) {
    f->slot_of[i] = (mm_slot){0, -1};
    if (f->mentor_of[i] < 0) continue;
    pairs[k].mentee = i;
    pairs[k].mentor = (size_t)f->mentor_of[i];
    k++;
  }
  if (mm_schedule_pairs(f->sl, pairs, n_pairs, NULL, chosen, &occ, &n_occ, NULL, e) != MM_OK) goto done;
  missing = 0;
  for (k = 0; k < n_pairs; k++) {
    f->slot_of[pairs[k].mentee] = chosen[k];
    missing += chosen[k].quarter < 0;
  }
done:
  free(pairs);
  free(chosen);
  free(occ);
  return missing;
}

/* Adds mentee i's candidate pairs to the model: its required pair only, or
 * every candidate mentor with a place left.  The current pair's slot seeds
 * the search.  0 when memory is short. */
static int add_mentee(fit_ctx *f, mm_joint *jm, uint32_t i, const int32_t *places) {
  mm_slot none = {0, -1};
  if (f->required[i] >= 0) {
    uint32_t j = (uint32_t)f->required[i];
    return mm_joint_add_pair(jm, i, j, pair_score(f, i, j), 1, f->slot_of[i]) >= 0;
  }
  const mm_candidates *c = f->c;
  for (uint64_t k = c->off[i]; k < c->off[i + 1]; k++) {
    uint32_t j = c->adj[k];
    int current = f->mentor_of[i] == (int64_t)j;
    if (places[j] <= 0 && !current) continue;
    if (mm_joint_add_pair(jm, i, j, c->w[k], 0, current ? f->slot_of[i] : none) < 0) return 0;
  }
  return 1;
}

/* A weight for one more pair that outweighs any total score of n mentees. */
static int64_t joint_big(const fit_ctx *f, uint32_t n_free) {
  int64_t top = 0;
  for (uint64_t k = 0; k < f->c->off[f->c->n]; k++)
    if (f->c->w[k] > top) top = f->c->w[k];
  int64_t req = 0;
  for (uint32_t i = 0; i < f->c->n; i++)
    if (f->required[i] >= 0) {
      int64_t w = pair_score(f, i, (uint32_t)f->required[i]);
      if (w > req) req = w;
    }
  if (req > top) top = req;
  return ((int64_t)n_free + 1) * (top + 1);
}

/* Solves the model and writes its answer for the mentees in it
 * (list[0..n)); adds the model's figures to rep. */
static mm_status apply_joint(fit_ctx *f, mm_joint *jm, const uint32_t *list, size_t n, mm_fit_report *rep,
                             mm_error *e) {
  size_t n_pairs = mm_joint_pair_count(jm);
  mm_slot *slot = malloc((n_pairs ? n_pairs : 1) * sizeof *slot);
  if (!slot) {
    mm_error_set(e, NULL, "out of memory solving the joint model");
    return MM_ERR_NOMEM;
  }
  mm_joint_stats js;
  mm_status st = mm_joint_solve(jm, f->limit_s, slot, &js, e);
  if (st != MM_OK) {
    free(slot);
    return st;
  }
  rep->joint_optimal &= js.optimal;
  rep->mip_pairs += n_pairs;
  rep->joint.columns += js.columns;
  rep->joint.rows += js.rows;
  rep->joint.components += js.components;
  rep->joint.pairs += js.pairs;
  rep->joint.score += js.score;
  rep->joint.bound += js.bound;
  for (size_t k = 0; k < n; k++) {
    uint32_t i = list[k];
    if (f->required[i] < 0) f->mentor_of[i] = -1;
    f->slot_of[i] = (mm_slot){0, -1};
  }
  for (size_t k = 0; k < n_pairs; k++) {
    if (slot[k].quarter < 0) continue;
    uint32_t i, j;
    mm_joint_pair_people(jm, k, &i, &j);
    f->mentor_of[i] = j;
    f->slot_of[i] = slot[k];
  }
  free(slot);
  return MM_OK;
}

/* Every eligible pair in one model: the answer is proven when it solves. */
static mm_status fit_whole(fit_ctx *f, mm_fit_report *rep, mm_error *e) {
  uint32_t n = (uint32_t)f->p->side[MM_MENTEE].n, m = (uint32_t)f->p->side[MM_MENTOR].n;
  mm_joint *jm = mm_joint_create(f->p, f->people, f->sl, joint_big(f, n), e);
  uint32_t *all = malloc((n ? n : 1) * sizeof *all);
  mm_status st = MM_OK;
  if (!jm || !all) goto nomem;
  for (uint32_t i = 0; i < n; i++) all[i] = i;
  for (uint32_t j = 0; j < m; j++) mm_joint_set_capacity(jm, j, f->places[j]);
  for (uint32_t i = 0; i < n; i++)
    if (!add_mentee(f, jm, i, f->places)) goto nomem;
  rep->how = MM_FIT_WHOLE;
  for (uint32_t i = 0; i < n; i++) rep->free_pairs += f->mentor_of[i] >= 0;
  st = apply_joint(f, jm, all, n, rep, e);
  goto done;
nomem:
  mm_error_set(e, NULL, "out of memory building the joint model");
  st = MM_ERR_NOMEM;
done:
  mm_joint_free(jm);
  free(all);
  return st;
}

/* Books mentee i's current series as busy time of both people (tagged i),
 * or forgets it.  0 when memory is short. */
static int book_current(fit_ctx *f, mm_joint *jm, uint32_t i, int book) {
  if (f->mentor_of[i] < 0 || f->slot_of[i].quarter < 0) return 1;
  size_t j = (size_t)f->mentor_of[i];
  uint32_t who[2] = {f->people->of_mentor[j], f->people->of_mentee[i]};
  int64_t starts[MM_MAX_SERIES], busy_s;
  int k = mm_slotter_span(f->sl, j, f->slot_of[i], starts, &busy_s);
  for (int w = 0; w < (who[1] == who[0] ? 1 : 2); w++) {
    if (!book) {
      mm_joint_drop_busy(jm, who[w], i);
    } else if (!mm_joint_add_busy(jm, who[w], starts, k, busy_s, i)) {
      return 0;
    }
  }
  return 1;
}

/* Groups of the pairs to re-decide: pairs linked through people, each group
 * listed by mentee (CSR, groups in the order of their first mentee). */
typedef struct {
  uint32_t *off, *mentee;
  size_t n;
} groups;

static int group_free(const fit_ctx *f, const uint8_t *free_mentee, groups *g) {
  uint32_t n = (uint32_t)f->p->side[MM_MENTEE].n, n_people = f->people->n;
  uint32_t *parent = malloc((n_people ? n_people : 1) * sizeof *parent);
  uint32_t *number = malloc((n_people ? n_people : 1) * sizeof *number);
  uint32_t *of = malloc((n ? n : 1) * sizeof *of);
  g->off = calloc((size_t)n + 2, sizeof *g->off);
  g->mentee = malloc((n ? n : 1) * sizeof *g->mentee);
  g->n = 0;
  int ok = parent && number && of && g->off && g->mentee;
  for (uint32_t k = 0; ok && k < n_people; k++) {
    parent[k] = k;
    number[k] = UINT32_MAX;
  }
  for (uint32_t i = 0; ok && i < n; i++) {
    if (!free_mentee[i]) continue;
    uint32_t a = f->people->of_mentor[f->mentor_of[i]], b = f->people->of_mentee[i];
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    while (parent[b] != b) b = parent[b] = parent[parent[b]];
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
  }
  for (uint32_t i = 0; ok && i < n; i++) {
    if (!free_mentee[i]) continue;
    uint32_t a = f->people->of_mentee[i];
    while (parent[a] != a) a = parent[a];
    if (number[a] == UINT32_MAX) number[a] = (uint32_t)g->n++;
    of[i] = number[a];
    g->off[of[i] + 2]++;
  }
  for (size_t k = 0; ok && k < g->n; k++) g->off[k + 2] += g->off[k + 1];
  for (uint32_t i = 0; ok && i < n; i++)
    if (free_mentee[i]) g->mentee[g->off[of[i] + 1]++] = i;
  free(parent);
  free(number);
  free(of);
  return ok;
}

/* Mentees waiting for a place, by mentor: the candidate graph turned
 * around (CSR by mentor, mentees ascending). */
typedef struct {
  uint64_t *off;
  uint32_t *mentee;
  int64_t *w;
} by_mentor;

static int transpose(const mm_candidates *c, by_mentor *t) {
  uint64_t edges = c->off[c->n];
  t->off = calloc((size_t)c->m + 1, sizeof *t->off);
  t->mentee = malloc((edges ? edges : 1) * sizeof *t->mentee);
  t->w = malloc((edges ? edges : 1) * sizeof *t->w);
  if (!t->off || !t->mentee || !t->w) return 0;
  for (uint64_t k = 0; k < edges; k++) t->off[c->adj[k] + 1]++;
  for (uint32_t j = 0; j < c->m; j++) t->off[j + 1] += t->off[j];
  for (uint32_t i = 0; i < c->n; i++)
    for (uint64_t k = c->off[i]; k < c->off[i + 1]; k++) {
      t->mentee[t->off[c->adj[k]]] = i;
      t->w[t->off[c->adj[k]]++] = c->w[k];
    }
  for (uint32_t j = c->m; j > 0; j--) t->off[j] = t->off[j - 1];
  t->off[0] = 0;
  return 1;
}

/* Inserts edge x of the turned-around graph into order[0..*n), kept by
 * score, highest first, then by position (columns are short). */
static void insert_by_score(const by_mentor *t, uint64_t *order, size_t *n, uint64_t x) {
  size_t k = (*n)++;
  while (k > 0 && t->w[order[k - 1]] < t->w[x]) {
    order[k] = order[k - 1];
    k--;
  }
  order[k] = x;
}

/* Mentor j's waiting mentees (unmatched, not required, not in_list) in
 * the turned-around graph, the best-scoring first, then by index: the
 * edge positions into order, their count returned. */
static size_t waiting_of(const fit_ctx *f, const by_mentor *t, uint32_t j, const uint8_t *in_list, uint64_t *order) {
  size_t n = 0;
  for (uint64_t x = t->off[j]; x < t->off[j + 1]; x++) {
    uint32_t i = t->mentee[x];
    if (in_list[i] || f->mentor_of[i] >= 0 || f->required[i] >= 0) continue;
    insert_by_score(t, order, &n, x);
  }
  return n;
}

/* Unmatched mentees eligible for any of the group's mentors with a weekly
 * start free in both weeks, at most WAITING_PER_MENTOR per mentor (the
 * best-scoring first, then by index), appended to list: a place a clash
 * frees can go to one of them.  The group's own pairs are released first,
 * so their hours count as free.  *len is the list's length; 0 when memory
 * is short. */
#define WAITING_PER_MENTOR 8

static int add_waiting(const fit_ctx *f, mm_joint *jm, const by_mentor *t, uint32_t *list, size_t *len,
                       uint8_t *in_list, uint64_t *order) {
  size_t n0 = *len, n = *len;
  for (size_t k = 0; k < n0; k++) {
    int64_t j = f->mentor_of[list[k]];
    if (j < 0) continue;
    size_t n_wait = waiting_of(f, t, (uint32_t)j, in_list, order);
    int taken = 0;
    for (size_t x = 0; x < n_wait && taken < WAITING_PER_MENTOR; x++) {
      uint32_t i = t->mentee[order[x]];
      mm_slot slot;
      long free_n = mm_joint_first_free_start(jm, i, (uint32_t)j, &slot);
      if (free_n < 0) return 0;
      if (free_n == 0 || in_list[i]) continue;
      in_list[i] = 1;
      list[n++] = i;
      taken++;
    }
  }
  *len = n;
  return 1;
}

/* Whether the model of the listed mentees can gain nothing: each has a
 * slot with a mentor no option of its own (a mentor with a place left in
 * `left`, or its current one) outscores.  Each mentee takes one column at
 * most, so the current pairs are then an optimum of the model, and solving
 * it is skipped (at twice the capacity, most wide models around an open
 * place are of this kind). */
static int cannot_gain(const fit_ctx *f, const uint32_t *list, size_t n, const int32_t *left) {
  const mm_candidates *c = f->c;
  for (size_t k = 0; k < n; k++) {
    uint32_t i = list[k];
    int64_t j0 = f->mentor_of[i];
    if (j0 < 0 || f->slot_of[i].quarter < 0) return 0;
    if (f->required[i] >= 0) continue;
    int64_t now = pair_score(f, i, (uint32_t)j0);
    for (uint64_t x = c->off[i]; x < c->off[i + 1]; x++)
      if ((left[c->adj[x]] > 0 || c->adj[x] == j0) && c->w[x] > now) return 0;
  }
  return 1;
}

/* Re-decides one group with everything else as it stands: its pairs'
 * busy time and places are released, waiting mentees join, the model
 * chooses, the answer is booked.  left[j] is mentor j's places not in use;
 * list has room for the waiting mentees. */
static mm_status fit_group(fit_ctx *f, mm_joint *jm, const by_mentor *t, uint32_t *list, size_t n,
                           int32_t *left, uint8_t *in_list, uint64_t *order, mm_fit_report *rep, mm_error *e) {
  const mm_candidates *c = f->c;
  for (size_t k = 0; k < n; k++) {
    uint32_t i = list[k];
    in_list[i] = 1;
    book_current(f, jm, i, 0);
    if (f->required[i] < 0 && f->mentor_of[i] >= 0) left[f->mentor_of[i]]++;
  }
  size_t all = n;
  if (t && !add_waiting(f, jm, t, list, &all, in_list, order)) {
    for (size_t k = 0; k < n; k++) in_list[list[k]] = 0;
    mm_error_set(e, NULL, "out of memory building the joint model");
    return MM_ERR_NOMEM;
  }
  for (size_t k = 0; k < all; k++)
    for (uint64_t x = c->off[list[k]]; x < c->off[list[k] + 1]; x++)
      mm_joint_set_capacity(jm, c->adj[x], left[c->adj[x]] > 0 ? left[c->adj[x]] : 0);
  mm_status st = MM_OK;
  int skip = cannot_gain(f, list, all, left);
  for (size_t k = 0; k < all && st == MM_OK && !skip; k++)
    if (!add_mentee(f, jm, list[k], left)) st = MM_ERR_NOMEM;
  if (st == MM_OK && !skip) st = apply_joint(f, jm, list, all, rep, e);
  mm_joint_clear_pairs(jm);
  for (size_t k = 0; k < all; k++) {
    uint32_t i = list[k];
    in_list[i] = 0;
    if (st != MM_OK) continue;
    if (!book_current(f, jm, i, 1)) st = MM_ERR_NOMEM;
    if (f->required[i] < 0 && f->mentor_of[i] >= 0) left[f->mentor_of[i]]--;
  }
  if (st == MM_ERR_NOMEM) mm_error_set(e, NULL, "out of memory building the joint model");
  return st;
}

/* Weekly starts per pair the neighbourhood models keep (spread over the
 * week); the whole model keeps every one. */
#define NEIGHBOURHOOD_STARTS 16

/* Mentors whose pairs the second pass re-decides around a mentee left out. */
#define SECOND_PASS_MENTORS 3

/* The mentee and the current mentees of its best-scoring candidate mentors
 * (ties to the lower index), required pairs excepted; returns the count.
 * in_list is all zero on entry and on return. */
static size_t widen(const fit_ctx *f, const by_mentor *t, uint32_t i, uint32_t *list) {
  const mm_candidates *c = f->c;
  uint32_t chosen[SECOND_PASS_MENTORS];
  int n_chosen = 0;
  for (; n_chosen < SECOND_PASS_MENTORS; n_chosen++) {
    uint64_t best = UINT64_MAX;
    for (uint64_t x = c->off[i]; x < c->off[i + 1]; x++) {
      int used = 0;
      for (int k = 0; k < n_chosen; k++) used |= chosen[k] == c->adj[x];
      if (!used && (best == UINT64_MAX || c->w[x] > c->w[best])) best = x;
    }
    if (best == UINT64_MAX) break;
    chosen[n_chosen] = c->adj[best];
  }
  /* Every current pair is an edge of the graph, so a mentor's mentees are
   * among its column of the turned-around graph. */
  size_t size = 0;
  list[size++] = i;
  for (int k = 0; k < n_chosen; k++) {
    uint32_t j = chosen[k];
    for (uint64_t x = t->off[j]; x < t->off[j + 1]; x++) {
      uint32_t e = t->mentee[x];
      if (f->mentor_of[e] == (int64_t)j && f->required[e] < 0) list[size++] = e;
    }
  }
  return size;
}

/* Gives mentee i mentor j at its first free weekly start, when it has one:
 * 1 done, 0 no free start, -1 memory short.  left[j] is not touched. */
static int take_place(fit_ctx *f, mm_joint *jm, uint32_t i, uint32_t j) {
  mm_slot slot;
  long free_n = mm_joint_first_free_start(jm, i, j, &slot);
  if (free_n <= 0) return free_n < 0 ? -1 : 0;
  f->mentor_of[i] = j;
  f->slot_of[i] = slot;
  return book_current(f, jm, i, 1) ? 1 : -1;
}

/* The best-scoring waiting mentee of mentor j with a free start takes a
 * place there: 1 done, 0 none fits, -1 memory short. */
static int fill_place(fit_ctx *f, mm_joint *jm, const by_mentor *t, uint32_t j, const uint8_t *none,
                      uint64_t *order) {
  size_t n_wait = waiting_of(f, t, j, none, order);
  for (size_t x = 0; x < n_wait; x++) {
    int got = take_place(f, jm, t->mentee[order[x]], j);
    if (got != 0) return got;
  }
  return 0;
}

/* Mentor j has a place left that no waiting mentee fits: one of its
 * candidate mentees e, now with another mentor j2, moves to j, and a
 * waiting mentee takes e's place at j2 (e's hour is free there now).  One
 * more pair; the first such move in the order of e's score with j.
 * 1 done, 0 none found, -1 memory short. */
static int shift_into(fit_ctx *f, mm_joint *jm, const by_mentor *t, uint32_t j, const uint8_t *none,
                      uint64_t *order, uint64_t *order2) {
  size_t n_col = 0;
  for (uint64_t x = t->off[j]; x < t->off[j + 1]; x++) {
    uint32_t e = t->mentee[x];
    if (f->mentor_of[e] < 0 || f->mentor_of[e] == (int64_t)j || f->required[e] >= 0) continue;
    insert_by_score(t, order, &n_col, x);
  }
  for (size_t y = 0; y < n_col; y++) {
    uint32_t e = t->mentee[order[y]], j2 = (uint32_t)f->mentor_of[e];
    mm_slot was = f->slot_of[e];
    if (was.quarter < 0) continue;
    book_current(f, jm, e, 0);
    int got = take_place(f, jm, e, j);
    if (got > 0) got = fill_place(f, jm, t, j2, none, order2);
    if (got != 0) return got;
    /* No waiting mentee fits j2: e goes back. */
    if (f->mentor_of[e] == (int64_t)j) book_current(f, jm, e, 0);
    f->mentor_of[e] = j2;
    f->slot_of[e] = was;
    if (!book_current(f, jm, e, 1)) return -1;
  }
  return 0;
}

/* How widely regroup looks around a mentor: the mentors holding its best
 * candidate mentees, its best waiting mentees, weekly starts per pair
 * (0 = every one).  Around an open place: wide, and over (nearly) every
 * start: narrow windows give a pair a few dozen at most. */
typedef struct {
  size_t mentors, waiting, starts;
} reach;

static const reach OPEN_PLACE = {4, 16, 48};

/* Mentor j's pairs, the pairs of the mentors holding its best candidate
 * mentees that have a weekly start with j at all, its best waiting mentees and those of the other mentors whose
 * week fits (add_waiting), in one model: a pair that moves to another
 * hour, or a chain of moves, can make room for one more or score more. */
static mm_status regroup(fit_ctx *f, mm_joint *jm, const by_mentor *t, uint32_t j, const reach *how, int32_t *left,
                         uint8_t *in_list, uint32_t *list, uint64_t *order, mm_fit_report *rep, mm_error *e) {
  size_t n = 0, n_cand = 0;
  int64_t others[8] = {j}; /* how->mentors is at most 4 */
  int n_others = 1;
  for (uint64_t x = t->off[j]; x < t->off[j + 1]; x++) {
    uint32_t i = t->mentee[x];
    if (f->mentor_of[i] < 0 || f->mentor_of[i] == (int64_t)j || f->required[i] >= 0) continue;
    long valid = mm_joint_valid_starts(jm, i, j);
    if (valid < 0) {
      mm_error_set(e, NULL, "out of memory building the joint model");
      return MM_ERR_NOMEM;
    }
    if (valid > 0) insert_by_score(t, order, &n_cand, x);
  }
  for (size_t x = 0; x < n_cand && n_others <= (int)how->mentors; x++) {
    int64_t j2 = f->mentor_of[t->mentee[order[x]]];
    int seen = 0;
    for (int k = 0; k < n_others; k++) seen |= others[k] == j2;
    if (!seen) others[n_others++] = j2;
  }
  for (int k = 0; k < n_others; k++) {
    uint32_t jk = (uint32_t)others[k];
    for (uint64_t x = t->off[jk]; x < t->off[jk + 1]; x++) {
      uint32_t i = t->mentee[x];
      if (f->mentor_of[i] == (int64_t)jk && f->required[i] < 0) list[n++] = i;
    }
  }
  size_t n_wait = waiting_of(f, t, j, in_list, order);
  for (size_t x = 0; x < n_wait && x < how->waiting; x++) list[n++] = t->mentee[order[x]];
  mm_joint_set_column_cap(jm, how->starts);
  mm_status st = fit_group(f, jm, t, list, n, left, in_list, order, rep, e);
  mm_joint_set_column_cap(jm, NEIGHBOURHOOD_STARTS);
  return st;
}

/* Last pass: every place the fit left open (left above left_blind, the
 * places the blind optimum left, which no eligible mentee wanted) is
 * re-decided wide (regroup), offered to the waiting mentees whose week
 * fits it, the best-scoring first, else made room for by one shift
 * (shift_into).  Each step adds a pair and keeps every other. */
static mm_status fill_open(fit_ctx *f, mm_joint *jm, const by_mentor *t, int32_t *left, const int32_t *left_blind,
                           uint8_t *none, uint32_t *list, uint64_t *order, uint64_t *order2, mm_fit_report *rep,
                           mm_error *e) {
  uint32_t m = f->c->m;
  for (uint32_t j = 0; j < m; j++) {
    if (left[j] > left_blind[j]) {
      mm_status st = regroup(f, jm, t, j, &OPEN_PLACE, left, none, list, order, rep, e);
      if (st != MM_OK) return st;
    }
    while (left[j] > left_blind[j]) {
      int got = fill_place(f, jm, t, j, none, order);
      if (got == 0) got = shift_into(f, jm, t, j, none, order, order2);
      if (got < 0) {
        mm_error_set(e, NULL, "out of memory filling the places left open");
        return MM_ERR_NOMEM;
      }
      if (got == 0) break;
      left[j]--;
    }
  }
  return MM_OK;
}

/* The pairs around the clashes: every pair with a person in a pair the
 * greedy schedule left without a slot is re-decided, group by group (pairs
 * linked through people), each group exactly with everything else fixed:
 * kept pairs, and groups already done, hold their slots and places. */
static mm_status fit_neighbourhood(fit_ctx *f, mm_fit_report *rep, mm_error *e) {
  uint32_t n = (uint32_t)f->p->side[MM_MENTEE].n, m = (uint32_t)f->p->side[MM_MENTOR].n;
  uint8_t *seed = calloc(f->people->n ? f->people->n : 1, 1);
  uint8_t *free_mentee = calloc(n ? n : 1, 1);
  int32_t *left = malloc((m ? m : 1) * sizeof *left), *left_blind = malloc((m ? m : 1) * sizeof *left_blind);
  groups g = {NULL, NULL, 0};
  by_mentor t = {NULL, NULL, NULL};
  uint8_t *in_list = calloc(n ? n : 1, 1);
  uint32_t *list = NULL;
  mm_joint *jm = NULL;
  uint64_t *order = NULL, *order2 = NULL;
  mm_status st = MM_OK;
  if (!seed || !free_mentee || !left || !left_blind || !in_list || !transpose(f->c, &t)) goto nomem;
  uint64_t widest = 1;
  for (uint32_t j = 0; j < m; j++)
    if (t.off[j + 1] - t.off[j] > widest) widest = t.off[j + 1] - t.off[j];
  order = malloc(widest * sizeof *order);
  order2 = malloc(widest * sizeof *order2);
  if (!order || !order2) goto nomem;
  for (uint32_t i = 0; i < n; i++) {
    if (f->mentor_of[i] < 0 || f->slot_of[i].quarter >= 0) continue;
    seed[f->people->of_mentee[i]] = 1;
    seed[f->people->of_mentor[f->mentor_of[i]]] = 1;
  }
  uint32_t n_free = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (f->mentor_of[i] < 0) continue;
    if (seed[f->people->of_mentee[i]] || seed[f->people->of_mentor[f->mentor_of[i]]]) {
      free_mentee[i] = 1;
      n_free++;
    }
  }
  memcpy(left, f->places, (m ? m : 1) * sizeof *left);
  for (uint32_t i = 0; i < n; i++)
    if (f->mentor_of[i] >= 0 && f->required[i] < 0) left[f->mentor_of[i]]--;
  memcpy(left_blind, left, (m ? m : 1) * sizeof *left);
  if (!group_free(f, free_mentee, &g)) goto nomem;
  /* A group lists each mentee at most once. */
  list = malloc((n ? n : 1) * sizeof *list);
  if (!list) goto nomem;
  jm = mm_joint_create(f->p, f->people, f->sl, joint_big(f, n_free), e);
  if (!jm) goto nomem;
  mm_joint_set_column_cap(jm, NEIGHBOURHOOD_STARTS);
  for (uint32_t i = 0; i < n; i++)
    if (!book_current(f, jm, i, 1)) goto nomem;
  rep->how = MM_FIT_NEIGHBOURHOOD;
  rep->free_pairs = n_free;
  for (size_t k = 0; k < g.n && st == MM_OK; k++) {
    size_t size = g.off[k + 1] - g.off[k];
    memcpy(list, g.mentee + g.off[k], size * sizeof *list);
    st = fit_group(f, jm, &t, list, size, left, in_list, order, rep, e);
  }
  /* Second pass, for each mentee the first left without a mentor: the pairs
   * of its best candidate mentors are re-decided with it, so a chain of
   * moves (someone there moves on to a place elsewhere, or a waiting mentee
   * takes an hour no one else fits) can make room. */
  for (uint32_t i = 0; i < n && st == MM_OK; i++) {
    if (!free_mentee[i] || f->mentor_of[i] >= 0) continue;
    size_t size = widen(f, &t, i, list);
    st = fit_group(f, jm, NULL, list, size, left, in_list, order, rep, e);
  }
  /* Last, the places left open. */
  if (st == MM_OK) st = fill_open(f, jm, &t, left, left_blind, in_list, list, order, order2, rep, e);
  goto done;
nomem:
  mm_error_set(e, NULL, "out of memory building the joint model");
  st = MM_ERR_NOMEM;
done:
  mm_joint_free(jm);
  free(seed);
  free(free_mentee);
  free(left);
  free(left_blind);
  free(g.off);
  free(g.mentee);
  free(t.off);
  free(t.mentee);
  free(t.w);
  free(in_list);
  free(list);
  free(order);
  free(order2);
  return st;
}

/* Is every eligible pair in the candidate graph, and few enough to model whole? */
static int small_enough(const fit_ctx *f) {
  const mm_candidates *c = f->c;
  int limit = f->p->opt.joint_whole_pairs;
  if (limit <= 0 || c->off[c->n] > (uint64_t)limit) return 0;
  for (uint32_t i = 0; i < c->n; i++)
    if (c->kth[i] >= 0) return 0;
  return 1;
}

mm_status mm_fit_calendars(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                           const mm_people *people, mm_slotter *sl, const int64_t *required,
                           const int32_t *places, double time_limit_s, int64_t *mentor_of,
                           mm_slot *slot_of, int64_t *moved, mm_fit_report *rep, mm_error *e) {
  memset(rep, 0, sizeof *rep);
  rep->joint_optimal = 1;
  uint32_t n = (uint32_t)p->side[MM_MENTEE].n;
  fit_ctx f = {p, s, c, people, sl, required, places, time_limit_s > 0 ? time_limit_s : FIT_DEFAULT_LIMIT_S,
               mentor_of, slot_of};
  int64_t *blind = malloc((n ? n : 1) * sizeof *blind);
  if (!blind) {
    mm_error_set(e, NULL, "out of memory fitting the assignment to calendars");
    return MM_ERR_NOMEM;
  }
  memcpy(blind, mentor_of, (n ? n : 1) * sizeof *blind);
  mm_status st = MM_OK;
  long missing = greedy(&f, e);
  if (missing < 0) {
    st = MM_ERR_NOMEM;
  } else if (missing > 0) {
    rep->clashes = (size_t)missing;
    /* The fit's many small models share one GLPK thread. */
    int lent = mm_glpk_lend();
    st = small_enough(&f) ? fit_whole(&f, rep, e) : fit_neighbourhood(&f, rep, e);
    if (lent) mm_glpk_release();
  }
  for (uint32_t i = 0; i < n; i++) {
    bool lost = blind[i] >= 0 && blind[i] != mentor_of[i] &&
                (mentor_of[i] < 0 || mm_score_pair(s, i, (uint32_t)mentor_of[i], NULL, NULL) <
                                         mm_score_pair(s, i, (uint32_t)blind[i], NULL, NULL));
    moved[i] = lost ? blind[i] : -1;
  }
  free(blind);
  return st;
}
