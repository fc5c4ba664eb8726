/* prove.c: shows that no pair left out of the candidate graph could improve the optimum.
 *
 * The solver proves its assignment optimal on the candidate graph with dual
 * prices u (mentees) and v (mentors).  Those prices prove it optimal over
 * ALL pairs as soon as u[i] + v[j] >= big + score(i, j) holds for every pair
 * outside the graph too.  A mentee's left-out pairs all score at most its
 * k-th best kept score, so when u[i] + min(v) >= big + kth[i] the whole row is
 * settled without rescoring; only the remaining rows are scored again and
 * checked pair by pair, and the violating pairs go back to the solver.  When
 * a round finds none, optimality over every pair is proven.
 */
#include "prove.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

static bool in_row(const mm_candidates *c, uint32_t i, uint32_t j) {
  uint64_t lo = c->off[i], hi = c->off[i + 1];
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (c->adj[mid] < j) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < c->off[i + 1] && c->adj[lo] == j;
}

mm_status mm_prover_init(mm_prover *pv, uint32_t n, uint32_t m, mm_error *e) {
  pv->slack = malloc((n ? n : 1) * sizeof *pv->slack);
  pv->v_prev = malloc((m ? m : 1) * sizeof *pv->v_prev);
  pv->rounds = 0;
  if (!pv->slack || !pv->v_prev) {
    mm_prover_free(pv);
    mm_error_set(e, NULL, "out of memory proving optimality");
    return MM_ERR_NOMEM;
  }
  for (uint32_t i = 0; i < n; i++) pv->slack[i] = INT64_MIN;
  return MM_OK;
}

void mm_prover_free(mm_prover *pv) {
  free(pv->slack);
  free(pv->v_prev);
  pv->slack = NULL;
  pv->v_prev = NULL;
}

#define CHECK_BLOCK 32

/* Whether some eligible pair of a block has price - score below threshold
 * (vectorised: most blocks hold nothing worth a closer look). */
MM_MULTIVERSION
static int any_below(const int32_t *restrict row, const int64_t *restrict price, uint32_t n,
                     int64_t threshold) {
  int any = 0;
  for (uint32_t k = 0; k < n; k++) any |= (row[k] >= 0) & (price[k] - row[k] < threshold);
  return any;
}

/* Checks one rescored row against the prices.  Keeps the max_add highest
 * scoring violating pairs (ties to the lower mentor) and returns the row's
 * slack over the pairs that stay outside the graph, or INT64_MIN when some
 * violating pair had to stay out too. */
static int64_t check_row(const mm_candidates *c, uint32_t i, const int32_t *row, const int64_t *price,
                         int64_t u, uint32_t max_add, uint32_t *bm, int64_t *bw, uint32_t *kept,
                         uint64_t *violations) {
  int64_t slack = INT64_MAX;
  uint64_t found = 0;
  *kept = 0;
  for (uint32_t j0 = 0; j0 < c->m; j0 += CHECK_BLOCK) {
    uint32_t nb = c->m - j0 < CHECK_BLOCK ? c->m - j0 : CHECK_BLOCK;
    /* Nothing to do where every pair is neither violated nor below the slack. */
    if (!any_below(row + j0, price + j0, nb, slack > -u ? slack : -u)) continue;
    for (uint32_t j = j0; j < j0 + nb; j++) {
      int32_t r = row[j];
      if (r < 0) continue;
      int64_t d = price[j] - r; /* v[j] - big - score: at least -u unless violated */
      if (d >= -u && d >= slack) continue;
      if (in_row(c, i, j)) continue;
      if (d >= -u) {
        slack = d;
        continue;
      }
      found++;
      if (*kept == max_add && r <= bw[max_add - 1]) continue;
      uint32_t pos = *kept < max_add ? (*kept)++ : max_add - 1;
      while (pos > 0 && bw[pos - 1] < r) {
        bw[pos] = bw[pos - 1];
        bm[pos] = bm[pos - 1];
        pos--;
      }
      bw[pos] = r;
      bm[pos] = j;
    }
  }
  *violations += found;
  return found > *kept ? INT64_MIN : slack;
}

mm_status mm_prove_round(mm_prover *pv, const mm_scorer *s, const mm_candidates *c, const uint8_t *skip,
                         const int32_t *cap, const int64_t *u, const int64_t *v, int64_t big,
                         int threads, uint32_t max_add, uint32_t **out_mentee,
                         uint32_t **out_mentor, int64_t **out_w, size_t *n_out,
                         mm_proof_round *stats, mm_error *e) {
  memset(stats, 0, sizeof *stats);
  *out_mentee = NULL;
  *out_mentor = NULL;
  *out_w = NULL;
  *n_out = 0;
  if (threads <= 0) threads = omp_get_max_threads();
  if (max_add == 0) max_add = 1;
  /* A mentor settles its whole column when it cannot take anyone, when the
   * graph holds all its eligible pairs, or when its price covers the best
   * score it left out.  The other mentors bound each row from below by
   * max(A - kth[i], B): A their lowest price, B their lowest price minus the
   * column bound, as v[j] - big - min(kth, col_kth) >= both. */
  int64_t a_min = INT64_MAX, b_min = INT64_MAX, drop = 0;
  int64_t *price = malloc((c->m ? c->m : 1) * sizeof *price);
  uint32_t *flagged = malloc((c->n ? c->n : 1) * sizeof *flagged);
  if (!price || !flagged) {
    free(price);
    free(flagged);
    goto nomem;
  }
  for (uint32_t j = 0; j < c->m; j++) {
    int64_t pj = v[j] - big;
    int32_t col = c->col_kth ? c->col_kth[j] : -1;
    bool settled = cap[j] <= 0 || col < 0 || pj >= col;
    price[j] = settled ? INT64_MAX / 4 : pj;
    if (pv->rounds > 0 && cap[j] > 0 && pv->v_prev[j] - v[j] > drop) drop = pv->v_prev[j] - v[j];
    if (settled) continue;
    if (pj < a_min) a_min = pj;
    if (pj - col < b_min) b_min = pj - col;
  }
  stats->open_mentors = 0;
  for (uint32_t j = 0; j < c->m; j++) stats->open_mentors += price[j] != INT64_MAX / 4;
  uint32_t n_flagged = 0;
  const uint32_t *order = mm_scorer_order(s); /* rows sharing a class table stay together */
  for (uint32_t k = 0; k < c->n; k++) {
    uint32_t i = order[k];
    if (skip[i] || c->kth[i] < 0) continue;
    stats->pruned++;
    int64_t lower = a_min == INT64_MAX ? 0 : (a_min - c->kth[i] > b_min ? a_min - c->kth[i] : b_min);
    if (u[i] + lower >= 0) {
      stats->by_bound++;
    } else if (pv->slack[i] != INT64_MIN && u[i] + pv->slack[i] - drop >= 0) {
      stats->by_slack++;
    } else {
      flagged[n_flagged++] = i;
    }
  }
  memcpy(pv->v_prev, v, c->m * sizeof *v);
  pv->rounds++;
  stats->rescored = n_flagged;
  if (n_flagged == 0) {
    free(price);
    free(flagged);
    return MM_OK;
  }
  size_t slots = (size_t)n_flagged * max_add;
  uint32_t *om = malloc(slots * sizeof *om), *oj = malloc(slots * sizeof *oj);
  int64_t *ow = malloc(slots * sizeof *ow);
  uint32_t *count = calloc(n_flagged, sizeof *count);
  mm_score_scratch **scratch = calloc((size_t)threads, sizeof *scratch);
  uint64_t *viol = calloc((size_t)threads, sizeof *viol);
  bool ok = om && oj && ow && count && scratch && viol;
  for (int t = 0; ok && t < threads; t++) ok = (scratch[t] = mm_score_scratch_create(s)) != NULL;
  if (ok) {
#pragma omp parallel num_threads(threads)
    {
      int tid = omp_get_thread_num();
#pragma omp for schedule(dynamic, 8)
      for (uint32_t f = 0; f < n_flagged; f++) {
        uint32_t i = flagged[f];
        const int32_t *row = mm_score_row(s, scratch[tid], i);
        pv->slack[i] = check_row(c, i, row, price, u[i], max_add, &oj[(size_t)f * max_add],
                                 &ow[(size_t)f * max_add], &count[f], &viol[tid]);
      }
    }
  }
  for (int t = 0; scratch && t < threads; t++) mm_score_scratch_free(scratch[t]);
  free(scratch);
  free(price);
  if (!ok) {
    free(om);
    free(oj);
    free(ow);
    free(count);
    free(viol);
    free(flagged);
    goto nomem;
  }
  for (int t = 0; t < threads; t++) stats->violations += viol[t];
  stats->pairs_checked = (uint64_t)n_flagged * c->m;
  size_t n = 0;
  for (uint32_t f = 0; f < n_flagged; f++) {
    for (uint32_t k = 0; k < count[f]; k++) {
      om[n] = flagged[f];
      oj[n] = oj[(size_t)f * max_add + k];
      ow[n] = ow[(size_t)f * max_add + k];
      n++;
    }
  }
  free(count);
  free(viol);
  free(flagged);
  *out_mentee = om;
  *out_mentor = oj;
  *out_w = ow;
  *n_out = n;
  return MM_OK;
nomem:
  mm_error_set(e, NULL, "out of memory proving optimality");
  return MM_ERR_NOMEM;
}
