/* verify.c: the weight of one match and the exact check of a solver's certificate.
 *
 * No solver is trusted: mm_match accepts an assignment only after this file
 * has checked, in 128-bit integers, that it is feasible and that its duals
 * prove it optimal for the combined weights big + w.  mm_graph_big lives here
 * too because the certificate is only meaningful for a big that makes the
 * combined objective lexicographic.
 */
#include "solver.h"

#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

__extension__ typedef __int128 mm_i128;
__extension__ typedef unsigned __int128 mm_u128;

/* One more match must outweigh any change of the total score.  Two matchings
 * of sizes k + d and k (d >= 1, k + d <= K) differ in score by at most
 * k * (max w - min w) - d * min w, so big = (K + 1) * (range + 1) - min w when
 * min w < 0 is enough; without the last term a negative score could make an
 * extra match look like a loss. */
int64_t mm_graph_big(const mm_graph *g) {
  if (!g || !g->off || (g->n_right > 0 && !g->cap)) return 1;
  uint64_t m = g->off[g->n_left];
  mm_i128 slots = 0;
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (g->cap[j] > 0) slots += g->cap[j];
  }
  mm_i128 k = slots < g->n_left ? slots : g->n_left;
  int64_t lo = 0, hi = 0;
  if (m > 0 && g->w) {
    lo = hi = g->w[0];
    for (uint64_t e = 1; e < m; e++) {
      if (g->w[e] < lo) lo = g->w[e];
      if (g->w[e] > hi) hi = g->w[e];
    }
  }
  mm_i128 big = (k + 1) * ((mm_i128)hi - lo + 1);
  if (lo < 0) big -= lo;
  if (big > INT64_MAX) return INT64_MAX;
  return big < 1 ? 1 : (int64_t)big;
}

/* Prints a 128-bit integer in decimal; buf must hold 41 characters. */
static const char *i128_str(mm_i128 x, char *buf) {
  char tmp[41];
  int n = 0, neg = x < 0;
  mm_u128 y = neg ? -(mm_u128)x : (mm_u128)x;
  do {
    tmp[n++] = (char)('0' + (int)(y % 10));
    y /= 10;
  } while (y);
  int at = 0;
  if (neg) buf[at++] = '-';
  while (n) buf[at++] = tmp[--n];
  buf[at] = '\0';
  return buf;
}

static mm_status fail(mm_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static mm_status fail(mm_error *e, const char *fmt, ...) {
  char msg[sizeof e->message];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  mm_error_set(e, "certificate", "%s", msg);
  return MM_ERR_SOLVER;
}

/* The first edge naming a mentor out of range (m when none), read on
 * `threads` threads: the answer is the same for any. */
static uint64_t first_out_of_range(const mm_graph *g, int threads) {
  uint64_t m = g->off[g->n_left], first = m;
#pragma omp parallel for num_threads(threads) schedule(static) reduction(min : first)
  for (uint64_t k = 0; k < m; k++)
    if (g->adj[k] >= g->n_right && k < first) first = k;
  return first;
}

/* The first mentee with an edge that u + v does not cover (n_left when
 * none), likewise. */
static uint32_t first_uncovered(const mm_graph *g, const mm_assignment *a, int threads) {
  uint32_t first = g->n_left;
#pragma omp parallel for num_threads(threads) schedule(static) reduction(min : first)
  for (uint32_t i = 0; i < g->n_left; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if ((mm_i128)a->u[i] + a->v[g->adj[k]] < (mm_i128)a->big + g->w[k]) {
        if (i < first) first = i;
        break;
      }
    }
  }
  return first;
}

mm_status mm_assignment_verify(const mm_graph *g, const mm_assignment *a, mm_error *e) {
  if (!g || !a || !g->off || (g->n_right > 0 && !g->cap)) {
    mm_error_set(e, "certificate", "graph or assignment missing");
    return MM_ERR_INVALID;
  }
  uint32_t nl = g->n_left, nr = g->n_right;
  uint64_t m = g->off[nl];
  if ((nl > 0 && (!a->match || !a->u)) || (nr > 0 && !a->v) || (m > 0 && (!g->adj || !g->w))) {
    mm_error_set(e, "certificate", "graph or assignment arrays missing");
    return MM_ERR_INVALID;
  }
  if (a->big <= 0) return fail(e, "big is %lld, must be positive", (long long)a->big);
  for (uint32_t i = 0; i < nl; i++) {
    if (g->off[i + 1] < g->off[i] || g->off[i + 1] > m) {
      mm_error_set(e, "certificate", "edge offsets of mentee %u are not ascending", i);
      return MM_ERR_INVALID;
    }
  }
  int threads = a->threads > 0 ? a->threads : 1;
  uint64_t bad_edge = first_out_of_range(g, threads);
  if (bad_edge < m) {
    mm_error_set(e, "certificate", "edge %llu names mentor %u of %u", (unsigned long long)bad_edge,
                 g->adj[bad_edge], nr);
    return MM_ERR_INVALID;
  }
  uint64_t *load = calloc(nr ? nr : 1, sizeof *load);
  if (!load) {
    mm_error_set(e, "certificate", "out of memory");
    return MM_ERR_NOMEM;
  }
  char b1[41], b2[41];
  mm_status st = MM_OK;
  mm_i128 card = 0, weight = 0, dual = 0;
  for (uint32_t i = 0; i < nl && st == MM_OK; i++) {
    int64_t k = a->match[i];
    if (k == -1) continue;
    if (k < 0 || (uint64_t)k < g->off[i] || (uint64_t)k >= g->off[i + 1]) {
      st = fail(e, "mentee %u is matched to edge %lld, which is not one of its edges", i,
                (long long)k);
    } else {
      load[g->adj[k]]++;
      card++;
      weight += g->w[k];
    }
  }
  for (uint32_t j = 0; j < nr && st == MM_OK; j++) {
    if (g->cap[j] < 0 || load[j] > (uint64_t)g->cap[j]) {
      st = fail(e, "mentor %u has %llu mentees for capacity %d", j, (unsigned long long)load[j],
                g->cap[j]);
    } else if (a->v[j] < 0) {
      st = fail(e, "mentor %u has negative dual v = %lld", j, (long long)a->v[j]);
    } else {
      dual += (mm_i128)g->cap[j] * a->v[j];
    }
  }
  free(load);
  if (st != MM_OK) return st;
  if (card != a->cardinality || weight != a->weight) {
    return fail(e, "assignment reports %lld matched and weight %lld, its edges give %s and %s",
                (long long)a->cardinality, (long long)a->weight, i128_str(card, b1),
                i128_str(weight, b2));
  }
  /* The first mentee in index order with a negative u or an uncovered edge
   * is the one reported, whatever the thread count. */
  uint32_t i = first_uncovered(g, a, threads);
  for (uint32_t x = 0; x < nl; x++) {
    if (a->u[x] < 0 && x <= i) return fail(e, "mentee %u has negative dual u = %lld", x, (long long)a->u[x]);
    dual += a->u[x];
  }
  for (uint64_t k = i < nl ? g->off[i] : 0; i < nl && k < g->off[i + 1]; k++) {
    uint32_t j = g->adj[k];
    mm_i128 have = (mm_i128)a->u[i] + a->v[j], need = (mm_i128)a->big + g->w[k];
    if (have < need) {
      return fail(e, "edge %llu (mentee %u, mentor %u): u + v = %s is below big + w = %s",
                  (unsigned long long)k, i, j, i128_str(have, b1), i128_str(need, b2));
    }
  }
  mm_i128 primal = (mm_i128)a->big * card + weight;
  if (dual != primal) {
    return fail(e, "dual objective %s differs from big * matched + weight = %s",
                i128_str(dual, b1), i128_str(primal, b2));
  }
  return MM_OK;
}

mm_status mm_graph_check(const mm_graph *g, const mm_assignment *a, int64_t max_big, mm_error *e) {
  if (!g || !a || !g->off || (g->n_right > 0 && !g->cap) || (g->n_left > 0 && (!a->match || !a->u)) ||
      (g->n_right > 0 && !a->v)) {
    mm_error_set(e, "solver", "graph or assignment arrays missing");
    return MM_ERR_INVALID;
  }
  uint64_t m = g->off[g->n_left];
  if (g->off[0] != 0 || (m > 0 && (!g->adj || !g->w))) {
    mm_error_set(e, "solver", "edge offsets invalid");
    return MM_ERR_INVALID;
  }
  if (a->big <= 0 || a->big > max_big) {
    mm_error_set(e, "solver", "big must be in 1..%lld, got %lld", (long long)max_big, (long long)a->big);
    return a->big <= 0 ? MM_ERR_INVALID : MM_ERR_LIMIT;
  }
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (g->cap[j] < 0) {
      mm_error_set(e, "solver", "mentor %u has negative capacity %d", j, g->cap[j]);
      return MM_ERR_INVALID;
    }
  }
  for (uint32_t i = 0; i < g->n_left; i++) {
    if (g->off[i + 1] < g->off[i] || g->off[i + 1] > m) {
      mm_error_set(e, "solver", "edge offsets of mentee %u are not ascending", i);
      return MM_ERR_INVALID;
    }
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      /* Strictly ascending: no pair twice (GLPK rejects a column with two entries in one row). */
      if (g->adj[k] >= g->n_right || (k > g->off[i] && g->adj[k] <= g->adj[k - 1])) {
        mm_error_set(e, "solver", "edge %llu of mentee %u: mentor %u out of range or not ascending",
                     (unsigned long long)k, i, g->adj[k]);
        return MM_ERR_INVALID;
      }
      if (g->w[k] > MM_GRAPH_MAX_SCORE || g->w[k] < -MM_GRAPH_MAX_SCORE) {
        mm_error_set(e, "solver", "edge %llu: score %lld outside +-1e10", (unsigned long long)k,
                     (long long)g->w[k]);
        return MM_ERR_INVALID;
      }
    }
  }
  return MM_OK;
}
