/* rules_price.c: prices the eligible pairs outside the shortlist with the rules LP's duals.
 *
 * On a large program the rules solver works on each mentee's best
 * candidates only.  A pair left out can improve the program only if its
 * reduced cost under the final LP's row duals is positive, so every
 * eligible pair outside is scored and priced here: none above the cut
 * means the LP bound covers every pair; the ones above it (and a margin
 * below) are handed back to be added to the shortlist.
 */
#include "rules_internal.h"

#include <math.h>
#include <stdlib.h>

/* Reduced cost (objective units: 1e-4 score points) below the cut within
 * which a pair outside the shortlist is brought in anyway. */
#define PRICE_MARGIN 500.0

static double dept_dual(const program *pr, uint32_t j, int32_t d) {
  size_t lo = 0, hi = pr->n_dept_rows;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const dept_row *r = &pr->dept_rows[mid];
    if (r->mentor < j || (r->mentor == j && r->dept < d)) lo = mid + 1;
    else hi = mid;
  }
  if (lo < pr->n_dept_rows && pr->dept_rows[lo].mentor == j && pr->dept_rows[lo].dept == d)
    return pr->mip.row_dual[pr->dept_rows[lo].row];
  return 0;
}

/* The dual of mentee i's "one mentor" row; a mentee with one column has no
 * row, and the dual of that column's upper bound stands in for it. */
static double mentee_dual(const program *pr, uint32_t i, const size_t *first_col) {
  if (pr->mentee_row[i] >= 0) return pr->mip.row_dual[pr->mentee_row[i]];
  size_t c = first_col[i];
  if (c < pr->n_pairs && pr->col_mentee[c] == i) return fmax(0, pr->mip.col_dual[c]);
  return 0;
}

static bool add_missing(mm_rules_answer *out, size_t *alloc, uint32_t i, uint32_t j, int64_t w) {
  if (out->n_add == *alloc) {
    size_t n = *alloc ? 2 * *alloc : 1024;
    uint32_t *a = realloc(out->add_mentee, n * sizeof *a);
    if (a) out->add_mentee = a;
    uint32_t *b = realloc(out->add_mentor, n * sizeof *b);
    if (b) out->add_mentor = b;
    int64_t *c = realloc(out->add_w, n * sizeof *c);
    if (c) out->add_w = c;
    if (!a || !b || !c) return false;
    *alloc = n;
  }
  out->add_mentee[out->n_add] = i;
  out->add_mentor[out->n_add] = j;
  out->add_w[out->n_add++] = w;
  return true;
}

/* Reduced cost of the pair (i, j) scoring w under the final LP's duals,
 * all but the mentee's own part (y) and the group rows (same for all j). */
static double pair_cost(const context *cx, const program *pr, uint32_t i, uint32_t j, int64_t w) {
  const double *dual = pr->mip.row_dual;
  double rc = mm_rules_match_tier(cx) + (double)cx->bonus[i] + (double)w;
  if (pr->mentor_row[j] >= 0) rc -= dual[pr->mentor_row[j]];
  for (int k = 0; k < MM_QUOTAS; k++)
    if (pr->quota_row[k] >= 0) rc -= dual[pr->quota_row[k]] * (double)mm_rules_quota_coef(cx->in->p, k, i, j);
  int32_t d = cx->in->p->side[MM_MENTEE].department[i];
  if (cx->o->max_per_department && d >= 0) rc -= dept_dual(pr, j, d);
  if (pr->cover_row[j] >= 0) rc += dual[pr->cover_row[j]];
  return rc;
}

/* Every eligible pair outside g (scoring at least floor_w) whose reduced
 * cost exceeds cut is counted in out->n_needed: with none, the final LP
 * bound covers every pair, and so does the answer's optimality when cut is
 * -(bound - value) (a pair below it only belongs to worse solutions).
 * Pairs within PRICE_MARGIN below the cut are listed in out->add_* too, so
 * that the next solve rarely needs another. */
mm_status mm_rules_price_outside(const context *cx, const program *pr, int64_t floor_w, double cut,
                               mm_rules_answer *out, mm_error *e) {
  const mm_graph *g = cx->in->g;
  mm_score_scratch *x = mm_score_scratch_create(cx->in->scorer);
  size_t *first_col = malloc(((size_t)g->n_left + 1) * sizeof *first_col);
  size_t alloc = 0;
  bool ok = x && first_col;
  for (uint32_t i = 0; ok && i < g->n_left; i++) first_col[i] = SIZE_MAX;
  for (size_t c = pr->n_pairs; ok && c-- > 0;) first_col[pr->col_mentee[c]] = c;
  const uint32_t *order = mm_scorer_order(cx->in->scorer);
  for (uint32_t n = 0; ok && n < g->n_left; n++) {
    uint32_t i = order[n];
    if (cx->in->fixed[i] >= 0) continue;
    double own = mentee_dual(pr, i, first_col);
    for (uint32_t gi = 0; cx->o->group_proportional && gi < cx->gr.n_groups; gi++)
      if (pr->group_row[gi] >= 0) own += pr->mip.row_dual[pr->group_row[gi]] * (double)mm_rules_group_coef(cx->in->p, &cx->gr, gi, i);
    const int32_t *row = mm_score_row(cx->in->scorer, x, i);
    uint64_t k = g->off[i];
    for (uint32_t j = 0; ok && j < g->n_right; j++) {
      while (k < g->off[i + 1] && g->adj[k] < j) k++;
      if ((k < g->off[i + 1] && g->adj[k] == j) || row[j] < 0 || row[j] < floor_w || g->cap[j] <= 0) continue;
      double rc = pair_cost(cx, pr, i, j, row[j]) - own;
      out->n_needed += rc > cut;
      if (rc > cut - PRICE_MARGIN) ok = add_missing(out, &alloc, i, j, row[j]);
    }
  }
  mm_score_scratch_free(x);
  free(first_col);
  if (!ok) {
    mm_error_set(e, NULL, "out of memory pricing the pairs outside the shortlist");
    return MM_ERR_NOMEM;
  }
  out->priced_all = true;
  return MM_OK;
}
