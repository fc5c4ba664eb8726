/* explain_pairs.c: why each mentee got this mentor: its rank, the rule that bound, and --explain reports.
 *
 * People ask "why not my best match?".  The answer is always one of a few
 * things: that mentor's places went to others (named), a program rule
 * (department cap, quota, priority) needed the assignment this way, the pair
 * was an earlier cohort's, or the solver stopped early.  The rank counts the
 * eligible mentors with a strictly higher score, so equal scores never make a
 * pair look worse than it is.  Rows are scored again here (one pass per
 * matched mentee, in parallel), so nothing the solver kept is trusted.
 */
#include "explain.h"
#include "rules.h"

#include <omp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Mentees of each mentor in the result, as CSR over mentors, and the
 * meetings each mentor's week holds (mm_frame_hour_capacities). */
typedef struct {
  size_t *off;
  uint32_t *mentee;
  int32_t *hours;
} holders;

static bool holders_build(const mm_problem *p, const mm_result *r, holders *h) {
  size_t m = p->side[MM_MENTOR].n;
  h->off = calloc(m + 2, sizeof *h->off);
  h->mentee = malloc((r->n_pairs + 1) * sizeof *h->mentee);
  h->hours = malloc((m ? m : 1) * sizeof *h->hours);
  if (!h->off || !h->mentee || !h->hours || !mm_frame_hour_capacities(p, h->hours)) return false;
  for (size_t k = 0; k < r->n_pairs; k++) h->off[r->pairs[k].mentor + 2]++;
  for (size_t j = 0; j < m; j++) h->off[j + 2] += h->off[j + 1];
  for (size_t k = 0; k < r->n_pairs; k++) h->mentee[h->off[r->pairs[k].mentor + 1]++] = (uint32_t)r->pairs[k].mentee;
  return true;
}

/* Appends printf-style text at *used.  Text that does not fit whole is
 * left out (never cut inside a name or a UTF-8 sequence) and *used becomes
 * size, so the caller can tell. */
static void append(char *buf, size_t size, size_t *used, const char *fmt, ...) {
  if (*used >= size) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *used, size - *used, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= size - *used) {
    buf[*used] = '\0'; /* did not fit whole: leave the text as it was */
    *used = size;
    return;
  }
  *used += (size_t)n;
}

static int dept_count(const mm_problem *p, const holders *h, size_t j, int32_t dept) {
  int n = 0;
  for (size_t x = h->off[j]; x < h->off[j + 1]; x++) n += p->side[MM_MENTEE].department[h->mentee[x]] == dept;
  return n;
}

/* Why mentee i is not with mentor best (which scores higher than its own). */
static void binding_rule(const mm_problem *p, const holders *h, size_t i, size_t best, bool proven, bool refitted,
                         char *out, size_t size) {
  const mm_side_data *M = &p->side[MM_MENTOR], *E = &p->side[MM_MENTEE];
  size_t used = 0, load = h->off[best + 1] - h->off[best];
  out[0] = '\0';
  if (load >= (size_t)M->capacity[best]) {
    append(out, size, &used, "capacity: %s (the best-scoring eligible mentor) is full: %d place%s, taken by ",
           M->id[best], M->capacity[best], M->capacity[best] == 1 ? "" : "s");
    for (size_t x = h->off[best]; x < h->off[best + 1]; x++)
      append(out, size, &used, "%s%s", x > h->off[best] ? ", " : "", E->id[h->mentee[x]]);
    if (used >= size)
      snprintf(out, size, "capacity: %s (the best-scoring eligible mentor) is full: %d places", M->id[best],
               M->capacity[best]);
    return;
  }
  if (load >= (size_t)h->hours[best]) {
    append(out, size, &used,
           "weekly hours: %s (the best-scoring eligible mentor) has places left but its week holds %d "
           "meeting%s in the hours mentees share, taken by ",
           M->id[best], h->hours[best], h->hours[best] == 1 ? "" : "s");
    for (size_t x = h->off[best]; x < h->off[best + 1]; x++)
      append(out, size, &used, "%s%s", x > h->off[best] ? ", " : "", E->id[h->mentee[x]]);
    if (used >= size)
      snprintf(out, size, "weekly hours: %s (the best-scoring eligible mentor) has no free weekly hours left",
               M->id[best]);
    return;
  }
  int limit = p->opt.max_per_department;
  if (limit && E->department[i] >= 0 && dept_count(p, h, best, E->department[i]) >= limit) {
    snprintf(out, size, "max_per_department: %s already has %d mentee%s from %s", M->id[best], limit,
             limit == 1 ? "" : "s", p->places.shown[E->department[i]]);
  } else if (!proven) {
    snprintf(out, size, "not proven: the solver stopped at the time limit before it could place you with %s",
             M->id[best]);
  } else if (mm_rules_needed(p)) {
    snprintf(out, size, "quota or priority: %s had room, but the program rules need this assignment", M->id[best]);
  } else if (refitted) {
    /* The calendar-blind optimum is no longer the answer: the pairs around
     * its clashes were re-decided with their weekly slots. */
    static const char tail[] = "had a place, but with pairs re-decided for meeting slots no assignment giving it "
                               "this mentee does better";
    if (snprintf(out, size, "calendars: %s %s", M->id[best], tail) >= (int)size)
      snprintf(out, size, "calendars: the best-scoring eligible mentor %s", tail); /* a long id */
  } else {
    snprintf(out, size, "%s had room; another assignment of equal worth was chosen", M->id[best]);
  }
}

/* A forbidden earlier pair that would have scored above `score`, or -1. */
static long history_better(const mm_scorer *s, const mm_problem *p, size_t i, int64_t score) {
  long best = -1;
  int64_t top = score;
  for (size_t k = 0; k < p->n_previous; k++) {
    if (p->previous[k].mentee != i) continue;
    int32_t part[MM_CRITERIA];
    unsigned why;
    mm_score_pair(s, (uint32_t)i, p->previous[k].mentor, part, &why);
    int64_t raw = (int64_t)part[0] + part[1] + part[2] + part[3];
    if (why == MM_INELIG_HISTORY && raw > top) {
      top = raw;
      best = (long)p->previous[k].mentor;
    }
  }
  return best;
}

/* The score of a pair: from the candidate graph when there, else scored. */
static int64_t score_of(const mm_scorer *s, const mm_candidates *c, size_t i, size_t j) {
  for (uint64_t k = c->off[i]; k < c->off[i + 1]; k++)
    if (c->adj[k] == j) return c->w[k];
  return mm_score_pair(s, (uint32_t)i, (uint32_t)j, NULL, NULL);
}

/* Counts a higher-scoring mentor j (score w) into pr->rank and the best. */
static void outranks(const mm_pair *pr, uint32_t j, int64_t w, uint32_t *rank, int64_t *top, size_t *best) {
  if (w <= pr->score) return;
  (*rank)++;
  if (w > *top || (w == *top && j < *best)) {
    *top = w;
    *best = j;
  }
}

/* outranks over a whole scored row (m mentors, -1 where not eligible), in
 * two tight passes: the count above `own` with the highest score, then the
 * first mentor at that score, which becomes *best when it beats own. */
static uint32_t rank_in_scores(const int32_t *row, uint32_t m, int64_t own, size_t *best) {
  if (own >= INT32_MAX) return 1;
  int32_t bar = own < -1 ? -1 : (int32_t)own, top = bar;
  uint32_t above = 0;
  for (uint32_t j = 0; j < m; j++) {
    above += row[j] > bar;
    top = row[j] > top ? row[j] : top;
  }
  if (top > bar) {
    uint32_t j = 0;
    while (row[j] != top) j++;
    *best = j;
  }
  return 1 + above;
}

/* Every mentor, by the proof's price bound: those the prices do not bound
 * first, then by v - big descending (dual_cols.h), packed for scoring a
 * prefix.  A pair, in the graph or not, scores at most u + v - big, so only
 * the mentors whose v - big exceeds own - u can outrank a row's own mentor. */
typedef struct {
  mm_dual_cols dual; /* key_own, at_own over every mentor; key_own NULL: no prices */
  uint32_t *cols;    /* cols[t] = at_own[t]: the mentors in that order */
  mm_score_cols *pack;
} priced_mentors;

static bool priced_make(const mm_scorer *s, const mm_prices *prices, priced_mentors *pm) {
  memset(pm, 0, sizeof *pm);
  if (!prices) return true;
  uint32_t m = mm_scorer_mentors(s);
  uint32_t *all = malloc((m ? m : 1) * sizeof *all);
  int32_t *bar = malloc((m ? m : 1) * sizeof *bar);
  bool ok = all && bar;
  for (uint32_t j = 0; ok && j < m; j++) {
    all[j] = j;
    bar[j] = -1;
  }
  ok = ok && mm_dual_cols_make(&pm->dual, all, bar, m, prices);
  free(bar);
  pm->cols = all;
  for (uint32_t t = 0; ok && t < m; t++) pm->cols[t] = pm->dual.at_own[t];
  return ok && (pm->pack = mm_score_cols_create(s, pm->cols, m)) != NULL;
}

static void priced_free(priced_mentors *pm) {
  mm_dual_cols_free(&pm->dual);
  free(pm->cols);
  mm_score_cols_free(pm->pack);
}

/* How many of row[0..k) score above own, and their top score in *top
 * (own when none): one vectorised pass. */
MM_MULTIVERSION
static uint32_t count_above(const int32_t *row, uint32_t k, int32_t own, int32_t *top) {
  uint32_t above = 0;
  int32_t hi = own;
  for (uint32_t t = 0; t < k; t++) {
    above += row[t] > own;
    hi = row[t] > hi ? row[t] : hi;
  }
  *top = hi;
  return above;
}

/* The rank over the mentors that may outrank (see priced_mentors), and the
 * best of them (the lowest index at the top score) when it beats own, which
 * is below INT32_MAX. */
static uint32_t rank_by_prices(const mm_scorer *s, const priced_mentors *pm, mm_score_scratch *x, uint32_t i,
                               int64_t own, int64_t u, size_t *best) {
  uint32_t k = mm_dual_cols_count_own(&pm->dual, own - u);
  const int32_t *row = mm_score_cols_prefix(s, pm->pack, x, i, k);
  int32_t top;
  uint32_t above = count_above(row, k, (int32_t)own, &top);
  if (above > 0) {
    size_t lowest = SIZE_MAX;
    for (uint32_t t = 0; t < k; t++)
      if (row[t] == top && pm->cols[t] < lowest) lowest = pm->cols[t];
    *best = lowest;
  }
  return 1 + above;
}

/* Sets pr->rank and returns the best-scoring eligible mentor (ties to the
 * lower index).  Mentors outside the candidate graph score at most kth, so
 * the row is scored again only when kth beats the pair's own score, and
 * then, with the proof's prices, only against the mentors they let outrank. */
static size_t rank_in_row(const mm_scorer *s, const mm_candidates *c, const mm_prices *prices,
                          const priced_mentors *pm, mm_score_scratch *x, mm_pair *pr) {
  size_t i = pr->mentee, best = pr->mentor;
  int64_t top = pr->score;
  uint32_t rank = 1;
  if (c->kth[i] < 0 || c->kth[i] <= pr->score) {
    for (uint64_t k = c->off[i]; k < c->off[i + 1]; k++) outranks(pr, c->adj[k], c->w[k], &rank, &top, &best);
  } else if (pm->pack && !prices->skip[i] && pr->score < INT32_MAX) {
    rank = rank_by_prices(s, pm, x, (uint32_t)i, pr->score, prices->u[i], &best);
  } else {
    rank = rank_in_scores(mm_score_row(s, x, (uint32_t)i), mm_scorer_mentors(s), pr->score, &best);
  }
  pr->rank = rank;
  return best;
}

mm_status mm_explain_pairs(const mm_problem *p, const mm_scorer *s, const mm_candidates *c, bool proven,
                           const mm_prices *prices, int threads, mm_result *r, mm_error *e) {
  holders h = {NULL, NULL, NULL};
  priced_mentors pm;
  mm_score_scratch **x = calloc((size_t)threads, sizeof *x);
  size_t *pair_of = malloc((c->n ? c->n : 1) * sizeof *pair_of);
  bool ok = priced_make(s, prices, &pm) && x && pair_of && holders_build(p, r, &h);
  for (uint32_t i = 0; ok && i < c->n; i++) pair_of[i] = SIZE_MAX;
  for (size_t k = 0; ok && k < r->n_pairs; k++) pair_of[r->pairs[k].mentee] = k;
  for (int t = 0; ok && t < threads; t++) ok = (x[t] = mm_score_scratch_create(s)) != NULL;
  if (ok) {
    /* Pairs in the scorer's row order, which shares its per-row tables
     * between neighbours. */
    const uint32_t *order = mm_scorer_order(s);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
    for (size_t q = 0; q < c->n; q++) {
      if (pair_of[order[q]] == SIZE_MAX) continue;
      mm_pair *pr = &r->pairs[pair_of[order[q]]];
      size_t best = rank_in_row(s, c, prices, &pm, x[omp_get_thread_num()], pr);
      int64_t best_score = best == pr->mentor ? pr->score : score_of(s, c, pr->mentee, best);
      pr->note[0] = '\0';
      long earlier = p->n_previous ? history_better(s, p, pr->mentee, best_score) : -1;
      if (earlier >= 0) {
        snprintf(pr->note, sizeof pr->note, "history: %s would score higher but was this mentee's mentor in an earlier cohort",
                 p->side[MM_MENTOR].id[earlier]);
      } else if (pr->required && best != pr->mentor) {
        snprintf(pr->note, sizeof pr->note, "%s", pr->required == 2 ? "kept: a running pair (--keep)" : "required by the pairs file");
      } else if (best != pr->mentor) {
        binding_rule(p, &h, pr->mentee, best, proven, r->summary.fit_pairs > 0, pr->note, sizeof pr->note);
      }
    }
  }
  for (int t = 0; x && t < threads; t++) mm_score_scratch_free(x[t]);
  free(x);
  free(pair_of);
  priced_free(&pm);
  free(h.off);
  free(h.mentee);
  free(h.hours);
  if (!ok) {
    mm_error_set(e, NULL, "out of memory explaining the pairs");
    return MM_ERR_NOMEM;
  }
  return MM_OK;
}
