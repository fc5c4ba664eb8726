/* solve_scores.c: pipeline mode, mm_solve_scores: the assignment on scores computed elsewhere.
 *
 * Another tool has scored the pairs; only the listed pairs are allowed.
 * The edge list becomes the same CSR graph mm_match builds, goes through the
 * same solver entry (assign.c) and its certificate, and the result carries
 * the same summary and reasons, so both commands write the same files.
 */
#include "assign.h"
#include "internal.h"
#include "result.h"
#include "stable.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 i128;

typedef struct {
  uint32_t mentee, mentor;
  size_t index;
} edge_ref;

static int edge_ref_cmp(const void *a, const void *b) {
  const edge_ref *x = a, *y = b;
  if (x->mentee != y->mentee) return x->mentee < y->mentee ? -1 : 1;
  if (x->mentor != y->mentor) return x->mentor < y->mentor ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Blocking pairs of the answer among the listed pairs. */
static mm_status count_blocking(const mm_graph *g, const int64_t *match, mm_summary *sum, mm_error *e) {
  int64_t *mentor_of = malloc((g->n_left ? g->n_left : 1) * sizeof *mentor_of);
  int64_t *own = malloc((g->n_left ? g->n_left : 1) * sizeof *own);
  mm_status st = MM_OK;
  if (!mentor_of || !own) {
    mm_error_set(e, NULL, "out of memory counting blocking pairs");
    st = MM_ERR_NOMEM;
  } else {
    for (uint32_t i = 0; i < g->n_left; i++) {
      mentor_of[i] = match[i] >= 0 ? (int64_t)g->adj[match[i]] : -1;
      own[i] = match[i] >= 0 ? g->w[match[i]] : 0;
    }
    mm_stability stab = {g->n_left, g->n_right, g->cap, mentor_of, own, NULL, false, NULL, NULL, NULL};
    uint64_t count = mm_blocking_in_graph(&stab, g);
    if (count == UINT64_MAX) {
      mm_error_set(e, NULL, "out of memory counting blocking pairs");
      st = MM_ERR_NOMEM;
    }
    sum->blocking_pairs = (int64_t)count;
  }
  free(mentor_of);
  free(own);
  return st;
}

void mm_scores_init_size(mm_scores *s, size_t size) {
  mm_scores full;
  memset(&full, 0, sizeof full);
  mm_sized_write(s, size, &full, sizeof full);
}

mm_status mm_solve_scores(const mm_scores *caller, const mm_options *caller_options,
                          mm_result **out, mm_error *e) {
  *out = NULL;
  mm_options opt;
  mm_scores full;
  mm_scores_init(&full);
  mm_status st = mm_options_read(caller_options, &opt, e);
  if (st == MM_OK) st = mm_options_check(&opt, e);
  if (st == MM_OK) st = mm_sized_read(&full, sizeof full, caller, MM_SCORES_MIN_SIZE, "mm_scores", e);
  if (st != MM_OK) return st;
  const mm_scores *sc = &full;
  const mm_options *o = &opt;
  if (sc->n_mentees > UINT32_MAX - 1 || sc->n_mentors > UINT32_MAX - 1) {
    mm_error_set(e, NULL, "too many people");
    return MM_ERR_LIMIT;
  }
  uint32_t n = (uint32_t)sc->n_mentees, m = (uint32_t)sc->n_mentors;
  size_t ne = sc->n_edges;
  edge_ref *refs = malloc((ne ? ne : 1) * sizeof *refs);
  uint64_t *off = calloc((size_t)n + 1, sizeof *off);
  uint32_t *adj = malloc((ne ? ne : 1) * sizeof *adj);
  int64_t *w = malloc((ne ? ne : 1) * sizeof *w);
  int64_t *match = malloc((n ? n : 1) * sizeof *match);
  int64_t *u = malloc((n ? n : 1) * sizeof *u);
  int64_t *v = malloc((m ? m : 1) * sizeof *v);
  uint32_t *degree = calloc(m ? m : 1, sizeof *degree);
  uint32_t *load = calloc(m ? m : 1, sizeof *load);
  mm_result *r = mm_result_create();
  if (!refs || !off || !adj || !w || !match || !u || !v || !degree || !load || !r) {
    st = MM_ERR_NOMEM;
    mm_error_set(e, NULL, "out of memory reading %zu scored pairs", ne);
    goto done;
  }
  for (uint32_t j = 0; j < m; j++) {
    if (sc->capacity[j] < 0 || sc->capacity[j] > 1000) {
      mm_error_set(e, "capacity", "expected an integer from 0 to 1000, got %d", (int)sc->capacity[j]);
      st = MM_ERR_INVALID;
      goto done;
    }
  }
  for (size_t k = 0; k < ne; k++) {
    if (sc->edge_mentee[k] >= n || sc->edge_mentor[k] >= m) {
      mm_error_set(e, NULL, "pair %zu refers to a person out of range", k + 1);
      mm_error_locate(e, NULL, (long)(k + 1), 0);
      st = MM_ERR_INVALID;
      goto done;
    }
    if (sc->edge_score[k] > INT64_C(10000000000) || sc->edge_score[k] < -INT64_C(10000000000)) {
      mm_error_set(e, "score", "expected a score between -1000000 and 1000000");
      mm_error_locate(e, NULL, (long)(k + 1), 0);
      st = MM_ERR_INVALID;
      goto done;
    }
    refs[k] = (edge_ref){sc->edge_mentee[k], sc->edge_mentor[k], k};
  }
  qsort(refs, ne, sizeof *refs, edge_ref_cmp);
  for (size_t k = 0; k < ne; k++) {
    if (k > 0 && refs[k].mentee == refs[k - 1].mentee && refs[k].mentor == refs[k - 1].mentor) {
      mm_error_set(e, NULL, "the same pair is listed twice (pairs %zu and %zu)", refs[k - 1].index + 1,
                   refs[k].index + 1);
      mm_error_locate(e, NULL, (long)(refs[k].index + 1), 0);
      st = MM_ERR_INVALID;
      goto done;
    }
    adj[k] = refs[k].mentor;
    w[k] = sc->edge_score[refs[k].index];
    off[refs[k].mentee + 1]++;
    degree[refs[k].mentor]++;
  }
  for (uint32_t i = 0; i < n; i++) off[i + 1] += off[i];
  mm_graph g = {n, m, sc->capacity, off, adj, w};
  mm_assignment a = {.big = mm_graph_big(&g), .match = match, .u = u, .v = v, .time_limit_s = o->time_limit_s};
  const char *solver_name = "none";
  double t0 = omp_get_wtime();
  bool stable = o->mode == MM_MODE_STABLE;
  if (stable) {
    solver_name = "stable";
    st = mm_stable_solve(&g, match, e);
    for (uint32_t i = 0; i < n; i++) a.cardinality += match[i] >= 0;
  } else {
    st = mm_assign(&g, o->solver, &a, &solver_name, e);
  }
  if (st != MM_OK) goto done;
  mm_summary *sum = &r->summary;
  sum->seconds[MM_PHASE_SOLVE] = omp_get_wtime() - t0;
  sum->mentees = n;
  sum->mentors = m;
  sum->solver = solver_name;
  sum->candidates = ne;
  sum->pairs_eligible = ne;
  sum->threads = 1;
  r->pairs = calloc(a.cardinality ? (size_t)a.cardinality : 1, sizeof *r->pairs);
  if (!r->pairs) {
    st = MM_ERR_NOMEM;
    mm_error_set(e, NULL, "out of memory");
    goto done;
  }
  for (uint32_t i = 0; i < n; i++) {
    if (match[i] < 0) continue;
    mm_pair *pr = &r->pairs[r->n_pairs++];
    pr->mentee = i;
    pr->mentor = adj[match[i]];
    pr->score = w[match[i]];
    pr->moved_from = -1;
    sum->total_score += pr->score;
    load[pr->mentor]++;
  }
  sum->matched = r->n_pairs;
  sum->mode = stable ? "stable" : "optimal";
  if ((st = count_blocking(&g, match, sum, e)) != MM_OK) goto done;
  if (stable) {
    mm_summary_set_solution(sum, MM_SOLUTION_STABLE);
    sum->bound = -1;
    snprintf(sum->proof, sizeof sum->proof,
             "mentee-proposing deferred acceptance on the %zu listed pairs: no mentee and mentor both "
             "prefer each other, by score, to what they got (ties to the lower index on both sides); "
             "not a maximum-score assignment",
             ne);
  } else if (a.timed_out) {
    mm_summary_set_solution(sum, MM_SOLUTION_TIME_LIMIT);
    sum->bound = -1;
    snprintf(sum->proof, sizeof sum->proof,
             "not proven: the %s solver stopped at the time limit of %g s", solver_name, o->time_limit_s);
  } else {
    i128 dual = 0;
    for (uint32_t i = 0; i < n; i++) dual += u[i];
    for (uint32_t j = 0; j < m; j++) dual += (i128)sc->capacity[j] * v[j];
    sum->bound = (int64_t)(dual - (i128)a.big * a.cardinality);
    mm_summary_set_solution(sum, MM_SOLUTION_OPTIMAL);
    snprintf(sum->proof, sizeof sum->proof,
             "%s solver; integer dual prices verified on all %zu listed pairs: dual bound = primal "
             "(most mentees matched first, then highest total score)",
             solver_name, ne);
  }
  char reason[256];
  for (uint32_t i = 0; i < n && st == MM_OK; i++) {
    if (match[i] >= 0) continue;
    if (off[i + 1] == off[i]) {
      snprintf(reason, sizeof reason, "no pair with this mentee is listed in the scores file");
    } else if (a.timed_out) {
      snprintf(reason, sizeof reason,
               "not placed before the time limit stopped the solver (%llu listed mentors); run "
               "without --time-limit for a proven assignment",
               (unsigned long long)(off[i + 1] - off[i]));
    } else {
      uint64_t listed = off[i + 1] - off[i], closed = 0;
      for (uint64_t k = off[i]; k < off[i + 1]; k++) closed += sc->capacity[adj[k]] == 0;
      if (closed == listed) {
        snprintf(reason, sizeof reason, "every mentor listed for this mentee has capacity 0 (%llu listed)",
                 (unsigned long long)listed);
      } else {
        char some[48] = "";
        if (closed) snprintf(some, sizeof some, ", %llu of them with capacity 0", (unsigned long long)closed);
        snprintf(reason, sizeof reason,
                 "every mentor listed for this mentee is at capacity (%llu listed%s); a place would only "
                 "displace another mentee with an equal or better claim",
                 (unsigned long long)listed, some);
      }
    }
    if (!mm_result_add_left(r, MM_LEFT_UNMATCHED, MM_MENTEE, i, reason)) st = MM_ERR_NOMEM;
  }
  for (uint32_t j = 0; j < m && st == MM_OK; j++) {
    if (load[j] > 0) continue;
    if (sc->capacity[j] == 0) {
      snprintf(reason, sizeof reason, "capacity is 0, so this mentor takes no mentees");
    } else if (degree[j] == 0) {
      snprintf(reason, sizeof reason, "no pair with this mentor is listed in the scores file");
    } else if (a.timed_out) {
      snprintf(reason, sizeof reason,
               "given no mentee before the time limit stopped the solver (%u listed mentees); run "
               "without --time-limit for a proven assignment",
               degree[j]);
    } else {
      snprintf(reason, sizeof reason,
               "each of the %u listed mentees is matched with another mentor in the optimal assignment",
               degree[j]);
    }
    if (!mm_result_add_left(r, MM_LEFT_UNMATCHED, MM_MENTOR, j, reason)) st = MM_ERR_NOMEM;
  }
  if (st == MM_ERR_NOMEM) mm_error_set(e, NULL, "out of memory");
done:
  free(refs);
  free(off);
  free(adj);
  free(w);
  free(match);
  free(u);
  free(v);
  free(degree);
  free(load);
  if (st == MM_OK) {
    *out = r;
  } else {
    mm_result_free(r);
  }
  return st;
}
