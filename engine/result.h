/* result.h: the layout of mm_result, shared by the modules that build it. */
#ifndef MM_RESULT_H
#define MM_RESULT_H

#include "mentormatch.h"

struct mm_result {
  mm_summary summary;
  mm_pair *pairs;
  size_t n_pairs;
  mm_occurrence *occ;
  size_t n_occ;
  mm_left_out *left;
  size_t n_left, left_alloc;
  /* The solver's last graph, when mm_options.keep_graph (see mm_result_graph). */
  int has_graph;
  mm_graph_view graph;
  int32_t *graph_cap;
  uint64_t *graph_off;
  uint32_t *graph_adj;
  int64_t *graph_score;
};

/* An empty result, or NULL when memory is short. */
mm_result *mm_result_create(void);
/* Appends a left-out entry; false when memory is short. */
int mm_result_add_left(mm_result *r, mm_left_kind kind, mm_side side, size_t index, const char *reason);

/* Sets the summary's solution status and its text together. */
void mm_summary_set_solution(mm_summary *sum, mm_solution_status s);

#endif
