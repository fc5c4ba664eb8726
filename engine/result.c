/* result.c: the result handle returned by mm_match and mm_solve_scores.
 *
 * A result owns the pairs, their meeting occurrences, the people left out
 * with their reasons, and the run's summary; the io writers read it through
 * the accessors below only.
 */
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

mm_result *mm_result_create(void) {
  mm_result *r = calloc(1, sizeof *r);
  if (r) {
    mm_summary_set_solution(&r->summary, MM_SOLUTION_UNKNOWN);
    r->summary.solver = "none";
    r->summary.mode = "optimal";
    r->summary.blocking_pairs = -1;
  }
  return r;
}

void mm_result_free(mm_result *r) {
  if (!r) return;
  free(r->pairs);
  free(r->occ);
  free(r->left);
  free(r->graph_cap);
  free(r->graph_off);
  free(r->graph_adj);
  free(r->graph_score);
  free(r);
}

int mm_result_graph(const mm_result *r, mm_graph_view *g) {
  if (!r->has_graph) return 0;
  *g = r->graph;
  return 1;
}

int mm_result_add_left(mm_result *r, mm_left_kind kind, mm_side side, size_t index, const char *reason) {
  if (r->n_left == r->left_alloc) {
    size_t n = r->left_alloc ? r->left_alloc * 2 : 64;
    mm_left_out *q = realloc(r->left, n * sizeof *q);
    if (!q) return 0;
    r->left = q;
    r->left_alloc = n;
  }
  mm_left_out *l = &r->left[r->n_left++];
  memset(l, 0, sizeof *l);
  l->kind = kind;
  l->side = side;
  l->index = index;
  snprintf(l->reason, sizeof l->reason, "%s", reason);
  return 1;
}

void mm_summary_set_solution(mm_summary *sum, mm_solution_status s) {
  sum->solution = s;
  sum->status = mm_solution_status_str(s);
}

const mm_summary *mm_result_summary(const mm_result *r) { return &r->summary; }
size_t mm_result_pair_count(const mm_result *r) { return r->n_pairs; }
const mm_pair *mm_result_pair(const mm_result *r, size_t k) { return k < r->n_pairs ? &r->pairs[k] : NULL; }
size_t mm_result_occurrence_count(const mm_result *r) { return r->n_occ; }
const mm_occurrence *mm_result_occurrence(const mm_result *r, size_t k) {
  return k < r->n_occ ? &r->occ[k] : NULL;
}
size_t mm_result_left_out_count(const mm_result *r) { return r->n_left; }
const mm_left_out *mm_result_left_out(const mm_result *r, size_t k) {
  return k < r->n_left ? &r->left[k] : NULL;
}
