/* dual_cols.c: which mentors a row's pairs outside the candidate graph can beat a bar with, from the proof's prices.
 *
 * Counting blocking pairs over every eligible pair once scored again each
 * row that could block with a mentor outside its candidates: at L with
 * many ties, 64,000 rows against 5,800 mentors.  The dual prices that
 * proved the optimum bound every such pair's score without scoring it,
 * and in an optimum a pair rarely can beat both its mentee's score and
 * its mentor's weakest: most rows need no scoring at all, the rest a few
 * pairs (dual_cols.h states the bound).
 */
#include "internal.h"
#include "dual_cols.h"

#include <stdlib.h>

/* Descending keys, then ascending positions. */
static void sorted(mm_keyed *tmp, uint32_t k, int64_t *key, uint32_t *at) {
  qsort(tmp, k, sizeof *tmp, mm_keyed_desc);
  for (uint32_t t = 0; t < k; t++) {
    key[t] = tmp[t].key;
    at[t] = tmp[t].index;
  }
}

/* The key of a mentor the prices do not bound: above every test. */
#define UNBOUNDED (INT64_MAX / 4)

bool mm_dual_cols_make(mm_dual_cols *d, const uint32_t *cols, const int32_t *bar, uint32_t k, const mm_prices *pr) {
  size_t size = k ? k : 1;
  mm_keyed *tmp = malloc(size * sizeof *tmp);
  d->k = k;
  d->key_bar = malloc(size * sizeof *d->key_bar);
  d->key_own = malloc(size * sizeof *d->key_own);
  d->at_bar = malloc(size * sizeof *d->at_bar);
  d->at_own = malloc(size * sizeof *d->at_own);
  bool ok = tmp && d->key_bar && d->key_own && d->at_bar && d->at_own;
  if (ok) {
    for (uint32_t t = 0; t < k; t++)
      tmp[t] = (mm_keyed){pr->cap[cols[t]] > 0 ? pr->v[cols[t]] - pr->big - bar[t] : UNBOUNDED, t};
    sorted(tmp, k, d->key_bar, d->at_bar);
    for (uint32_t t = 0; t < k; t++)
      tmp[t] = (mm_keyed){pr->cap[cols[t]] > 0 ? pr->v[cols[t]] - pr->big : UNBOUNDED, t};
    sorted(tmp, k, d->key_own, d->at_own);
  }
  free(tmp);
  return ok;
}

void mm_dual_cols_free(mm_dual_cols *d) {
  free(d->key_bar);
  free(d->key_own);
  free(d->at_bar);
  free(d->at_own);
  d->key_bar = d->key_own = NULL;
  d->at_bar = d->at_own = NULL;
  d->k = 0;
}

/* How many of the descending keys exceed x. */
static uint32_t above(const int64_t *key, uint32_t k, int64_t x) {
  uint32_t lo = 0, hi = k;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (key[mid] > x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

uint32_t mm_dual_cols_count_own(const mm_dual_cols *d, int64_t x) { return above(d->key_own, d->k, x); }

uint32_t mm_dual_cols_pick(const mm_dual_cols *d, const int32_t *bar, int64_t u_i, int64_t own,
                           uint32_t *hit, uint32_t most) {
  /* u + v - big > bar  <=>  v - big - bar > -u;  u + v - big > own  <=>  v - big > own - u. */
  uint32_t by_bar = above(d->key_bar, d->k, -u_i), by_own = above(d->key_own, d->k, own - u_i);
  bool walk_bar = by_bar <= by_own;
  const uint32_t *at = walk_bar ? d->at_bar : d->at_own;
  uint32_t len = walk_bar ? by_bar : by_own, found = 0;
  for (uint32_t x = 0; x < len; x++) {
    uint32_t t = at[x];
    /* The other test: by_own's key is v - big, by_bar's v - big - bar[t]. */
    int64_t v_big = walk_bar ? d->key_bar[x] + bar[t] : d->key_own[x];
    if (!(u_i + v_big > own && u_i + v_big > bar[t])) continue;
    if (found == most) return most + 1;
    hit[found++] = t;
  }
  return found;
}
