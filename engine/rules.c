/* rules.c: the program rules solved: priorities as weights, the warm start, max-min by bisection, the answer.
 *
 * mm_rules_solve is the entry point (rules.h).  It weighs priority levels so
 * that one more match at a higher level always wins, starts GLPK from the
 * rule-free optimum (the flow solver, repaired for department caps), solves
 * the program that rules_program.c writes, raises the max-min floor by
 * bisection over the distinct scores while the same matches stay reachable,
 * names the rule that cannot hold when there is no answer with a pair
 * (rules_messages.c), and on a shortlist prices the pairs left out
 * (rules_price.c).  Pairs fixed by require or --keep count toward every rule.
 */
#include "rules_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reduced cost (1e-4 score units) within which a pair starts in the LP. */
#define NEAR_TIGHT 0

bool mm_rules_needed(const mm_problem *p) { return mm_rules_active(&p->opt) || p->has_priority; }

bool mm_rules_active(const mm_options *o) {
  for (int k = 0; k < MM_QUOTAS; k++)
    if (o->quota_cross[k] > 0) return true;
  return o->max_per_department > 0 || o->min_per_mentor || o->objective_maxmin || o->group_proportional;
}

static double clock_now(void) {
  struct timespec ts;
  if (!timespec_get(&ts, TIME_UTC)) return 0;
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- solving ---------------------------------------------------------------- */

/* One solve of the program above floor_w; x[] of its pair columns is
 * turned into match[] (edge or -1 per mentee) by the caller. */
typedef struct {
  mm_rules_mip_result res;
  uint8_t *x;
  program pr;
  double tier_value, tier_bound; /* floor(value / tier), floor(bound / tier) */
} attempt;

static void attempt_free(attempt *a) {
  free(a->x);
  mm_rules_program_free(&a->pr);
}

static mm_status solve_above(const context *cx, int64_t floor_w, attempt *a, mm_error *e) {
  memset(a, 0, sizeof *a);
  if (!mm_rules_build(&a->pr, cx, floor_w) || !(a->x = calloc(a->pr.mip.n_cols + 1, 1)) ||
      !(a->pr.mip.row_dual = calloc(a->pr.mip.n_rows + 1, sizeof *a->pr.mip.row_dual)) ||
      !(a->pr.mip.col_dual = calloc(a->pr.mip.n_cols + 1, sizeof *a->pr.mip.col_dual)) ||
      !(a->pr.mip.loaded = calloc(a->pr.mip.n_cols + 1, 1))) {
    mm_error_set(e, NULL, "out of memory building the rules program");
    return MM_ERR_NOMEM;
  }
  double limit = cx->o->time_limit_s;
  if (limit > 0) {
    double left = limit - (clock_now() - cx->started);
    a->pr.mip.time_limit_s = left > 0.001 ? left : 0.001;
  }
  mm_status st = mm_rules_mip_solve(&a->pr.mip, a->x, &a->res, e);
  if (st == MM_OK && a->res.outcome <= MM_RULES_FEASIBLE) {
    a->tier_value = floor(a->res.value / a->pr.mip.tier + 1e-9);
    a->tier_bound = floor(a->res.bound / a->pr.mip.tier + 1e-9);
  }
  return st;
}

/* Max-min: the highest score floor that keeps the same matches (and first
 * mentees), by bisection over the distinct scores; *best ends as the
 * attempt at that floor.  A fixed pair's score caps the floor: the lowest
 * matched score cannot rise above it, so a higher floor would only give up
 * total score for nothing.  Each GLPK solve is a full rules program, so the
 * range is narrowed first: from below by the lowest score an answer
 * already matches (every answer proves its own lowest score reachable),
 * from above by the flow solver, ignoring the rules, which only lose
 * matches (no floor keeps the matches where, without rules, too few pairs
 * reach it). */
static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* The lowest score of an attempt's chosen pairs (INT64_MAX when none), and their count. */
static int64_t attempt_low(const attempt *a, const mm_graph *g, int64_t *pairs) {
  int64_t low = INT64_MAX;
  *pairs = 0;
  for (size_t c = 0; c < a->pr.n_pairs; c++) {
    if (!a->x[c]) continue;
    ++*pairs;
    if (g->w[a->pr.edge[c]] < low) low = g->w[a->pr.edge[c]];
  }
  return low;
}

/* The first index of the sorted distinct scores w[0..n) holding at least x. */
static size_t first_at_least(const int64_t *w, size_t n, int64_t x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (w[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Matches of the rule-free optimum over the pairs of g scoring at least
 * floor_w (the flow solver; capacities as in g); -1 when it cannot say. */
static int64_t matches_above(const mm_graph *g, int64_t floor_w) {
  uint64_t E = g->off[g->n_left], k = 0;
  uint64_t *off = malloc(((size_t)g->n_left + 1) * sizeof *off);
  uint32_t *adj = malloc((E ? E : 1) * sizeof *adj);
  int64_t *w = malloc((E ? E : 1) * sizeof *w);
  size_t n = (size_t)g->n_left + 1;
  int64_t *duals = malloc((2 * n + g->n_right + 1) * sizeof *duals); /* match, u, v */
  int64_t count = -1;
  if (off && adj && w && duals) {
    for (uint32_t i = 0; i < g->n_left; i++) {
      off[i] = k;
      for (uint64_t q = g->off[i]; q < g->off[i + 1]; q++)
        if (g->w[q] >= floor_w) {
          adj[k] = g->adj[q];
          w[k++] = g->w[q];
        }
    }
    off[g->n_left] = k;
    mm_graph f = {g->n_left, g->n_right, g->cap, off, adj, w};
    mm_assignment a = {.big = mm_graph_big(&f), .match = duals, .u = duals + n, .v = duals + 2 * n};
    mm_error ignored;
    mm_error_clear(&ignored);
    if (mm_flow_solve(&f, &a, &ignored) == MM_OK && !a.timed_out) count = a.cardinality;
  }
  free(off);
  free(adj);
  free(w);
  free(duals);
  return count;
}

/* The highest index in [lo, hi] whose score still lets the rule-free
 * optimum match `need` pairs (lo itself does: an answer matches them there). */
static size_t reachable_top(const mm_graph *g, const int64_t *w, size_t lo, size_t hi, int64_t need) {
  while (lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    int64_t got = matches_above(g, w[mid]);
    if (got < 0) return hi; /* no bound: leave the range to GLPK */
    if (got >= need) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

static mm_status raise_floor(const context *cx, attempt *best, int64_t *floor_out, bool *proven, mm_error *e) {
  const mm_graph *g = cx->in->g;
  uint64_t E = g->off[g->n_left];
  int64_t *w = malloc((E ? E : 1) * sizeof *w);
  if (!w) {
    mm_error_set(e, NULL, "out of memory");
    return MM_ERR_NOMEM;
  }
  memcpy(w, g->w, E * sizeof *w);
  qsort(w, E, sizeof *w, cmp_i64);
  size_t n = 0;
  for (uint64_t k = 0; k < E; k++)
    if ((n == 0 || w[n - 1] != w[k]) && (n == 0 || w[k] <= cx->fixed_low)) w[n++] = w[k];
  mm_status st = MM_OK;
  *floor_out = n ? w[0] : 0;
  int64_t pairs, low = attempt_low(best, g, &pairs);
  size_t lo = 0, hi = n ? n - 1 : 0;
  if (pairs > 0 && n > 0) {
    lo = first_at_least(w, n, low);
    if (lo >= n) lo = n - 1; /* low is above the cap of a fixed pair */
    *floor_out = w[lo];
    hi = reachable_top(g, w, lo, hi, pairs);
  }
  /* An earlier round's floor is tried first, then the one just above it. */
  size_t hint = first_at_least(w, n, cx->in->floor_hint);
  bool hinted = cx->in->floor_hint != INT64_MIN && hint < n && w[hint] == cx->in->floor_hint;
  while (st == MM_OK && lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    if (hinted && hint > lo && hint <= hi) mid = hint;
    else if (hinted && hint == lo) mid = lo + 1;
    attempt a;
    st = solve_above(cx, w[mid], &a, e);
    bool same = st == MM_OK && a.res.outcome <= MM_RULES_FEASIBLE && a.tier_value == best->tier_value;
    *proven = *proven && st == MM_OK && (a.res.outcome == MM_RULES_OPTIMAL || a.res.outcome == MM_RULES_INFEASIBLE);
    if (same) {
      attempt_free(best);
      *best = a;
      int64_t got = attempt_low(best, g, &pairs);
      size_t at = first_at_least(w, n, got);
      lo = at > mid && at <= hi ? at : mid; /* the answer's own lowest score is reachable too */
      *floor_out = w[lo];
    } else {
      attempt_free(&a);
      hi = mid - 1;
    }
  }
  free(w);
  return st;
}

/* ---- the entry point ------------------------------------------------------ */

static void context_free(context *cx) {
  free(cx->gr.size);
  free(cx->fixed_group);
  free(cx->fixed_off);
  free(cx->fixed_list);
  free(cx->cover_mentors);
  free(cx->near_tight);
  free(cx->flow_match);
  free(cx->bonus);
}

/* Drops, per mentor and department, the lowest-scoring pairs of the
 * rule-free optimum beyond max_per_department (fixed pairs included), so
 * that it is a feasible start for the department rows. */
static void repair_departments(const context *cx, int64_t *match) {
  int limit = cx->o->max_per_department;
  const mm_graph *g = cx->in->g;
  const int32_t *dept = cx->in->p->side[MM_MENTEE].department;
  size_t *off = calloc((size_t)g->n_right + 2, sizeof *off);
  uint32_t *who = malloc(((size_t)g->n_left + 1) * sizeof *who);
  for (uint32_t i = 0; limit && off && who && i < g->n_left; i++)
    if (match[i] >= 0) off[g->adj[match[i]] + 2]++;
  for (uint32_t j = 0; limit && off && who && j < g->n_right; j++) off[j + 2] += off[j + 1];
  for (uint32_t i = 0; limit && off && who && i < g->n_left; i++)
    if (match[i] >= 0) who[off[g->adj[match[i]] + 1]++] = i;
  for (uint32_t j = 0; limit && off && who && j < g->n_right; j++) {
    for (size_t a = off[j]; a < off[j + 1]; a++) {
      int32_t d = dept[who[a]];
      if (d < 0 || match[who[a]] < 0) continue;
      /* Keep the best `room` of this department, drop the others. */
      int64_t room = limit - mm_rules_fixed_in(cx, j, d);
      for (;;) {
        int64_t count = 0;
        uint32_t worst = UINT32_MAX;
        for (size_t b = off[j]; b < off[j + 1]; b++) {
          uint32_t k = who[b];
          if (match[k] < 0 || dept[k] != d) continue;
          count++;
          if (worst == UINT32_MAX || g->w[match[k]] < g->w[match[worst]] ||
              (g->w[match[k]] == g->w[match[worst]] && k > worst))
            worst = k;
        }
        if (count <= room) break;
        match[worst] = -1;
      }
    }
  }
  free(off);
  free(who);
}

/* The LP starts from the pairs that the rule-free optimum prices tightly
 * (its own pairs among them): column generation brings in the rest as the
 * rules need them.  Solving the plain assignment first costs milliseconds
 * with the flow solver and keeps GLPK's simplex on a small fraction of the
 * graph.  NULL (all columns) when the flow solver fails. */
static void start_columns(context *cx) {
  const mm_graph *g = cx->in->g;
  uint64_t E = g->off[g->n_left];
  int64_t *match = malloc(((size_t)g->n_left + 1) * sizeof *match);
  int64_t *u = malloc(((size_t)g->n_left + 1) * sizeof *u);
  int64_t *v = malloc(((size_t)g->n_right + 1) * sizeof *v);
  cx->near_tight = malloc(E + 1);
  mm_assignment a = {.big = mm_graph_big(g), .match = match, .u = u, .v = v};
  mm_error ignored;
  mm_error_clear(&ignored);
  if (!match || !u || !v || !cx->near_tight || mm_flow_solve(g, &a, &ignored) != MM_OK || a.timed_out) {
    free(cx->near_tight);
    cx->near_tight = NULL;
    free(match);
    match = NULL;
  } else {
    for (uint32_t i = 0; i < g->n_left; i++)
      for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++)
        cx->near_tight[k] = u[i] + v[g->adj[k]] - a.big - g->w[k] <= NEAR_TIGHT || match[i] == (int64_t)k ||
                            (cx->in->prefer && cx->in->prefer[k]);
    repair_departments(cx, match);
  }
  cx->flow_match = match;
  free(u);
  free(v);
}

static bool context_init(context *cx, const mm_rules_input *in) {
  const mm_problem *p = in->p;
  const mm_graph *g = in->g;
  size_t n = p->side[MM_MENTEE].n;
  memset(cx, 0, sizeof *cx);
  cx->in = in;
  cx->o = &p->opt;
  cx->started = clock_now() - in->spent_s; /* --time-limit covers every solve of the run */
  cx->gr.n_groups = p->groups.n;
  cx->gr.size = calloc(cx->gr.n_groups + 1, sizeof *cx->gr.size);
  cx->fixed_group = calloc(cx->gr.n_groups + 1, sizeof *cx->fixed_group);
  cx->fixed_off = calloc((size_t)g->n_right + 2, sizeof *cx->fixed_off);
  cx->fixed_list = malloc((n ? n : 1) * sizeof *cx->fixed_list);
  cx->cover_mentors = malloc(((size_t)g->n_right + 1) * sizeof *cx->cover_mentors);
  if (!cx->gr.size || !cx->fixed_group || !cx->fixed_off || !cx->fixed_list || !cx->cover_mentors) return false;
  const int32_t *group = p->side[MM_MENTEE].group;
  for (size_t i = 0; i < n; i++) {
    if (group[i] >= 0) {
      cx->gr.size[group[i]]++;
      cx->gr.givers++;
    }
  }
  cx->fixed_low = INT64_MAX;
  for (size_t i = 0; i < n; i++) {
    int64_t j = in->fixed[i];
    if (j < 0) continue;
    cx->fixed_count++;
    int64_t w = in->scorer ? mm_score_pair(in->scorer, (uint32_t)i, (uint32_t)j, NULL, NULL) : 0;
    if (w < cx->fixed_low) cx->fixed_low = w;
    cx->fixed_off[j + 2]++;
    for (int k = 0; k < MM_QUOTAS; k++)
      if (cx->o->quota_cross[k]) cx->fixed_quota[k] += mm_rules_quota_coef(p, k, (uint32_t)i, (uint32_t)j);
    for (uint32_t gi = 0; cx->o->group_proportional && gi < cx->gr.n_groups; gi++)
      cx->fixed_group[gi] += mm_rules_group_coef(p, &cx->gr, gi, (uint32_t)i);
  }
  for (uint32_t j = 0; j < g->n_right; j++) cx->fixed_off[j + 2] += cx->fixed_off[j + 1];
  for (size_t i = 0; i < n; i++)
    if (in->fixed[i] >= 0) cx->fixed_list[cx->fixed_off[in->fixed[i] + 1]++] = (uint32_t)i;
  double cap = 1;
  uint32_t *degree = calloc((size_t)g->n_right + 1, sizeof *degree);
  if (!degree) return false;
  for (uint32_t i = 0; i < g->n_left; i++) {
    int64_t best = 0;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->w[k] > best) best = g->w[k];
      degree[g->adj[k]]++;
    }
    cap += (double)best;
  }
  cx->score_cap = cap;
  for (uint32_t j = 0; cx->o->min_per_mentor && j < g->n_right; j++)
    if (g->cap[j] > 0 && degree[j] > 0 && cx->fixed_off[j + 1] == cx->fixed_off[j]) cx->cover_mentors[cx->n_cover++] = j;
  free(degree);
  return true;
}

static int by_priority_desc(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return x > y ? -1 : x < y;
}

/* Priority levels as weights: with levels v1 > v2 > ... > vL holding C1..CL
 * mentees, level L weighs 0 and level l weighs S + sum over k > l of
 * Ck * Bk, more than every lower level's bonuses and the score together,
 * so one more match at a higher level always wins (S bounds the score).
 * Computed in 128 bits; weights that doubles cannot hold exactly next to
 * the tiers above them are refused. */
static mm_status priority_tiers(context *cx, mm_error *e) {
  const mm_graph *g = cx->in->g;
  const int32_t *prio = cx->in->p->side[MM_MENTEE].priority;
  __extension__ typedef __int128 wide;
  int32_t *level = malloc(((size_t)g->n_left + 1) * sizeof *level);
  cx->bonus = calloc((size_t)g->n_left + 1, sizeof *cx->bonus);
  if (!level || !cx->bonus) {
    free(level);
    mm_error_set(e, NULL, "out of memory weighing priorities");
    return MM_ERR_NOMEM;
  }
  size_t n = 0;
  for (uint32_t i = 0; i < g->n_left; i++)
    if (g->off[i + 1] > g->off[i]) level[n++] = prio[i];
  qsort(level, n, sizeof *level, by_priority_desc);
  wide S = (wide)cx->score_cap, total = 0, weight = 0, limit = (wide)1 << 52;
  /* From the lowest level up: weight of level l = S + bonuses of all below. */
  size_t end = n;
  while (end > 0 && total < limit) {
    size_t start = end - 1;
    while (start > 0 && level[start - 1] == level[end - 1]) start--;
    weight = end == n ? 0 : S + total;
    for (uint32_t i = 0; i < g->n_left; i++)
      if (prio[i] == level[end - 1]) cx->bonus[i] = (int64_t)(weight < limit ? weight : limit);
    total += weight * (wide)(end - start);
    end = start;
  }
  wide low = S + total, per_match = low * ((wide)cx->n_cover + 2);
  free(level);
  if (total >= limit || per_match * ((wide)g->n_left + 1) >= limit) {
    mm_error_set(e, "priority",
                 "the priority levels (with their sizes) need objective weights beyond 2^52, which GLPK's doubles "
                 "cannot hold exactly; use fewer distinct priority values");
    return MM_ERR_LIMIT;
  }
  cx->low = (double)low;
  return MM_OK;
}

/* Names the first rule that, alone, admits no solution (with need_pair: no
 * solution with a pair).  MM_ERR_INFEASIBLE with e filled, or MM_OK when
 * each rule alone is satisfiable. */
static mm_status diagnose(const context *cx, bool need_pair, mm_error *e) {
  for (int rule = 0; rule <= MM_QUOTAS; rule++) {
    mm_options alone = *cx->o;
    for (int k = 0; k < MM_QUOTAS; k++) alone.quota_cross[k] = rule == k ? cx->o->quota_cross[k] : 0;
    alone.group_proportional = rule == MM_QUOTAS && cx->o->group_proportional;
    if (rule < MM_QUOTAS && !alone.quota_cross[rule]) continue;
    if (rule == MM_QUOTAS && !alone.group_proportional) continue;
    alone.max_per_department = 0;
    alone.min_per_mentor = 0;
    alone.objective_maxmin = 0;
    alone.mip_gap = 0;
    context one = *cx;
    one.o = &alone;
    one.n_cover = 0;
    one.need_pair = need_pair;
    attempt a;
    mm_status st = solve_above(&one, INT64_MIN, &a, e);
    bool impossible = st == MM_OK && a.res.outcome == MM_RULES_INFEASIBLE;
    attempt_free(&a);
    if (st != MM_OK) return st;
    if (!impossible) continue;
    if (rule < MM_QUOTAS) mm_rules_quota_message(cx, rule, e);
    else mm_rules_group_message(cx, e);
    return MM_ERR_INFEASIBLE;
  }
  return MM_OK;
}

static void take(const context *cx, const attempt *a, mm_rules_answer *out) {
  const mm_graph *g = cx->in->g;
  out->in_lp = calloc(g->off[g->n_left] + 1, 1);
  for (size_t c = 0; out->in_lp && c < a->pr.n_pairs; c++) out->in_lp[a->pr.edge[c]] = a->pr.mip.loaded[c];
  out->columns = a->pr.mip.n_cols;
  out->columns_used = a->res.columns_used;
  out->pricing_rounds = a->res.pricing_rounds;
  for (uint32_t i = 0; i < g->n_left; i++) out->match[i] = -1;
  out->cardinality = out->weight = 0;
  for (size_t c = 0; c < a->pr.n_pairs; c++) {
    if (!a->x[c]) continue;
    out->match[a->pr.col_mentee[c]] = (int64_t)a->pr.edge[c];
    out->cardinality++;
    out->weight += g->w[a->pr.edge[c]];
  }
  const mm_rules_slots *sl = cx->in->slots;
  for (size_t k = 0; sl && k < sl->n_pairs; k++) sl->chosen[k] = -1;
  for (size_t c = 0; sl && c < (size_t)sl->mip->n_cols; c++)
    if (a->x[a->pr.slot_base + c]) sl->chosen[sl->col_pair[c]] = (int64_t)c;
  /* The bound on the score holds at this many matches when bound and value
   * share their tier; otherwise more matches may exist and no score bound is claimed. */
  double tier = a->pr.mip.tier;
  out->bound = a->tier_bound == a->tier_value ? (int64_t)floor(a->res.bound - a->tier_value * tier + 1e-6) : -1;
  if (out->bound >= 0 && out->bound < out->weight) out->bound = out->weight;
}

mm_status mm_rules_solve(const mm_rules_input *in, mm_rules_answer *out, mm_error *e) {
  context cx;
  attempt a;
  memset(&a, 0, sizeof a);
  mm_status st = MM_OK;
  out->floor = INT64_MIN;
  if (!context_init(&cx, in)) {
    st = MM_ERR_NOMEM;
    mm_error_set(e, NULL, "out of memory preparing the program rules");
    goto done;
  }
  if ((st = mm_rules_check_fixed_departments(&cx, e)) != MM_OK) goto done;
  if ((st = priority_tiers(&cx, e)) != MM_OK) goto done;
  start_columns(&cx);
  if ((st = solve_above(&cx, INT64_MIN, &a, e)) != MM_OK) goto done;
  if (a.res.outcome == MM_RULES_INFEASIBLE) {
    st = diagnose(&cx, false, e);
    if (st == MM_OK) {
      mm_error_set(e, "rules", "the program rules cannot all hold together with the required and kept pairs");
      st = MM_ERR_INFEASIBLE;
    }
    goto done;
  }
  bool proven = a.res.outcome == MM_RULES_OPTIMAL;
  out->timed_out = a.res.outcome != MM_RULES_OPTIMAL;
  if (a.res.outcome == MM_RULES_NO_SOLUTION) {
    /* Nothing found in time: an empty assignment is the honest answer. */
    for (uint32_t i = 0; i < in->g->n_left; i++) out->match[i] = -1;
    out->cardinality = out->weight = 0;
    out->bound = -1;
    out->proven = false;
    mm_rules_count_quotas(&cx, out);
    mm_rules_describe(&cx, out);
    goto done;
  }
  int64_t floor_w = 0;
  if (cx.o->objective_maxmin && (st = raise_floor(&cx, &a, &floor_w, &proven, e)) != MM_OK) goto done;
  out->floor = cx.o->objective_maxmin ? floor_w : INT64_MIN;
  take(&cx, &a, out);
  if (out->cardinality + cx.fixed_count == 0 && in->g->off[in->g->n_left] > 0 && proven) {
    st = diagnose(&cx, true, e);
    if (st == MM_OK) {
      mm_error_set(e, "rules", "no assignment with at least one pair meets all the program rules together");
      st = MM_ERR_INFEASIBLE;
    }
    goto done;
  }
  out->proven = proven;
  out->timed_out = !proven;
  mm_rules_count_quotas(&cx, out);
  mm_rules_describe(&cx, out);
  if (!in->all_pairs && in->scorer && a.res.lp_bound < HUGE_VAL) {
    double gap = a.res.lp_bound - a.res.value;
    st = mm_rules_price_outside(&cx, &a.pr, cx.o->objective_maxmin ? floor_w : INT64_MIN, gap > 0.5 ? -gap - 1e-3 : 1e-3, out, e);
  }
done:
  attempt_free(&a);
  context_free(&cx);
  out->seconds = clock_now() - cx.started;
  return st;
}
