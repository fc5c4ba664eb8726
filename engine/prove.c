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

mm_status mm_prove_round(const mm_scorer *s, const mm_candidates *c, const uint8_t *skip,
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
  bool any_capacity = false;
  int64_t vmin = INT64_MAX;
  for (uint32_t j = 0; j < c->m; j++) {
    if (cap[j] <= 0) continue;
    any_capacity = true;
    if (v[j] < vmin) vmin = v[j];
  }
  uint32_t *flagged = malloc((c->n ? c->n : 1) * sizeof *flagged);
  if (!flagged) goto nomem;
  uint32_t n_flagged = 0;
  for (uint32_t i = 0; i < c->n; i++) {
    if (skip[i] || c->kth[i] < 0) continue;
    stats->pruned++;
    if (!any_capacity || u[i] + vmin >= big + c->kth[i]) {
      stats->by_bound++;
    } else {
      flagged[n_flagged++] = i;
    }
  }
  stats->rescored = n_flagged;
  if (n_flagged == 0) {
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
        uint32_t *bm = &oj[(size_t)f * max_add];
        int64_t *bw = &ow[(size_t)f * max_add];
        uint32_t kept = 0;
        for (uint32_t j = 0; j < c->m; j++) {
          if (row[j] < 0 || cap[j] <= 0) continue;
          if (u[i] + v[j] >= big + row[j] || in_row(c, i, j)) continue;
          viol[tid]++;
          /* keep the max_add highest scores, ties to the lower mentor */
          if (kept == max_add && row[j] <= bw[kept - 1]) continue;
          uint32_t pos = kept < max_add ? kept++ : max_add - 1;
          while (pos > 0 && bw[pos - 1] < row[j]) {
            bw[pos] = bw[pos - 1];
            bm[pos] = bm[pos - 1];
            pos--;
          }
          bw[pos] = row[j];
          bm[pos] = j;
        }
        count[f] = kept;
      }
    }
  }
  for (int t = 0; scratch && t < threads; t++) mm_score_scratch_free(scratch[t]);
  free(scratch);
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
