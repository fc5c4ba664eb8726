/* match.c: mm_match, the whole job from a loaded problem to a result.
 *
 * The phases run in one direction: score every pair and keep each mentee's
 * best candidates (candidates.c), fix the pairs that --pairs requires, solve
 * the lexicographic assignment exactly (assign.c), prove it optimal over
 * every pair with the dual prices and widen the graph until that holds
 * (prove.c), schedule first meetings (schedule.c) and explain who was left
 * out (explain.c).  Each phase's wall time goes into the summary.
 */
#include "assign.h"
#include "candidates.h"
#include "explain.h"
#include "fit.h"
#include "progress.h"
#include "prove.h"
#include "precheck.h"
#include "result.h"
#include "rules.h"
#include "rules_slots.h"
#include "schedule.h"
#include "stable.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


__extension__ typedef __int128 i128;

/* Applies require rules: fixed[i] = mentor or -1, cap reduced accordingly;
 * the first rule that cannot hold is the error (required.c). */
static mm_status fix_required(const mm_problem *p, const mm_scorer *s, int64_t *fixed, int32_t *cap,
                              mm_error *e) {
  mm_status st = mm_required_each(p, s, NULL, NULL, e);
  if (st != MM_OK) return st;
  for (size_t k = 0; k < p->n_rules; k++) {
    const mm_pair_rule *rule = &p->rules[k];
    if (rule->rule != MM_RULE_REQUIRE) continue;
    fixed[rule->mentee] = rule->mentor;
    cap[rule->mentor]--;
  }
  return MM_OK;
}

/* Kept slots must all be keepable together: the first kept slot that
 * overlaps an earlier one in someone's week (the buffer included) is an
 * error at its line, naming the earlier pair when it has the same mentor. */
static mm_status check_kept_slots(const mm_problem *p, mm_error *e) {
  mm_diary *d = NULL;
  mm_status st = MM_OK;
  for (size_t k = 0; k < p->n_rules && st == MM_OK; k++) {
    const mm_pair_rule *rule = &p->rules[k];
    if (rule->rule != MM_RULE_REQUIRE || !rule->kept || mm_problem_pin(p, rule->mentee) < 0) continue;
    if (!d && !(d = mm_diary_create(p, e))) return MM_ERR_NOMEM;
    int booked = mm_diary_try_book(d, rule->mentee, rule->mentor);
    if (booked < 0) {
      mm_error_set(e, NULL, "out of memory booking the kept slots");
      st = MM_ERR_NOMEM;
    }
    if (booked) continue;
    const mm_pair_rule *other = NULL;
    for (size_t q = 0; q < k && !other; q++)
      if (p->rules[q].kept && p->rules[q].mentor == rule->mentor && mm_problem_pin(p, p->rules[q].mentee) >= 0)
        other = &p->rules[q];
    char earlier[160] = "another kept slot of one of them";
    if (other)
      snprintf(earlier, sizeof earlier, "the slot kept by mentee \"%s\" (line %ld)",
               p->side[MM_MENTEE].id[other->mentee], other->source_line);
    mm_error_set(e, "kept pair",
                 "mentee \"%s\" and mentor \"%s\" cannot keep their slot (mentor_slot): it overlaps %s%s; "
                 "leave one mentor_slot empty to let a new one be chosen",
                 p->side[MM_MENTEE].id[rule->mentee], p->side[MM_MENTOR].id[rule->mentor], earlier,
                 p->opt.buffer_minutes ? " with the buffer between meetings" : "");
    mm_error_locate(e, NULL, rule->source_line, 1);
    st = MM_ERR_INFEASIBLE;
  }
  mm_diary_free(d);
  return st;
}

/* Per mentor, how many of its required and kept pairs one greedy diary
 * books together (kept slots first, then in file order): one left without a
 * slot takes a place but no hour of the week.  The scheduler may book more
 * of them (it orders pairs its own way); counting fewer only raises the
 * cap, so the assignment's bound stays valid.  False when memory is short. */
static bool book_required(const mm_problem *p, int32_t *booked) {
  memset(booked, 0, (p->side[MM_MENTOR].n ? p->side[MM_MENTOR].n : 1) * sizeof *booked);
  mm_diary *d = NULL;
  bool ok = true;
  for (int pinned = 1; ok && pinned >= 0; pinned--) {
    for (size_t k = 0; ok && k < p->n_rules; k++) {
      const mm_pair_rule *rule = &p->rules[k];
      if (rule->rule != MM_RULE_REQUIRE || (mm_problem_pin(p, rule->mentee) >= 0) != pinned) continue;
      mm_error ignored;
      if (!d && !(d = mm_diary_create(p, &ignored))) return false;
      int got = mm_diary_try_book(d, rule->mentee, rule->mentor);
      booked[rule->mentor] += got > 0;
      ok = got >= 0;
    }
  }
  mm_diary_free(d);
  return ok;
}

/* A mentor whose week, in the hours some mentee's week shares, holds fewer
 * meetings than its capacity gets only as many places as meetings (less its
 * required pairs that get a slot; mm_frame_hour_capacities): every
 * assignment that can be scheduled respects that, so the solver's optimum
 * stays a valid bound for matching with calendars, and far fewer of its
 * pairs clash. */
static bool cap_by_hours(const mm_problem *p, int32_t *cap) {
  const mm_side_data *M = &p->side[MM_MENTOR];
  int32_t *hours = malloc((M->n ? M->n : 1) * sizeof *hours);
  int32_t *booked = malloc((M->n ? M->n : 1) * sizeof *booked);
  bool ok = hours && booked && mm_frame_hour_capacities(p, hours) && book_required(p, booked);
  for (size_t j = 0; ok && j < M->n; j++) {
    int room = hours[j] - booked[j];
    if (room < cap[j]) cap[j] = room > 0 ? room : 0;
  }
  free(hours);
  free(booked);
  return ok;
}

/* The candidate graph without the fixed mentees' rows and without mentors
 * that have no capacity left: what the solver sees.  When that leaves
 * nothing out, the solver may borrow the candidates' arrays instead of a
 * copy (a pass over every edge each proof round, 0.01 to 0.02 s at L):
 * they then live only until the candidates next grow. */
typedef struct {
  mm_graph g;
  uint64_t *off;
  uint32_t *adj;
  int64_t *w;
  bool borrowed; /* off, adj and w are the candidates' own */
} solver_graph;

static void solver_graph_free(solver_graph *sg) {
  if (!sg->borrowed) {
    free(sg->off);
    free(sg->adj);
    free(sg->w);
  }
  memset(sg, 0, sizeof *sg);
}

/* Whether the solver's graph is the whole candidate graph: no mentee fixed
 * and every mentor with places (neither changes between proof rounds). */
static bool leaves_nothing_out(uint32_t n, uint32_t m, const int64_t *fixed, const int32_t *cap) {
  for (uint32_t i = 0; i < n; i++)
    if (fixed[i] >= 0) return false;
  for (uint32_t j = 0; j < m; j++)
    if (cap[j] <= 0) return false;
  return true;
}

/* Builds sg from the candidates, borrowing their arrays when `borrow` (the
 * caller found that it leaves nothing out). */
static mm_status solver_graph_build(const mm_candidates *c, const int64_t *fixed, const int32_t *cap, bool borrow,
                                    solver_graph *sg) {
  memset(sg, 0, sizeof *sg);
  if (borrow) {
    *sg = (solver_graph){{c->n, c->m, cap, c->off, c->adj, c->w}, c->off, c->adj, c->w, true};
    return MM_OK;
  }
  uint64_t edges = c->off[c->n];
  sg->off = malloc(((size_t)c->n + 1) * sizeof *sg->off);
  sg->adj = malloc((edges ? edges : 1) * sizeof *sg->adj);
  sg->w = malloc((edges ? edges : 1) * sizeof *sg->w);
  if (!sg->off || !sg->adj || !sg->w) {
    solver_graph_free(sg);
    return MM_ERR_NOMEM;
  }
  uint64_t out = 0;
  sg->off[0] = 0;
  for (uint32_t i = 0; i < c->n; i++) {
    if (fixed[i] < 0) {
      for (uint64_t k = c->off[i]; k < c->off[i + 1]; k++) {
        if (cap[c->adj[k]] <= 0) continue;
        sg->adj[out] = c->adj[k];
        sg->w[out] = c->w[k];
        out++;
      }
    }
    sg->off[i + 1] = out;
  }
  sg->g = (mm_graph){c->n, c->m, cap, sg->off, sg->adj, sg->w};
  return MM_OK;
}

/* Hands the solver's last graph and the capacities to the result (see
 * mm_options.keep_graph); the caller's pointers are left NULL, the
 * candidates' too when the graph borrowed them. */
static void keep_graph(mm_result *r, solver_graph *sg, mm_candidates *c, int32_t **cap, int64_t big) {
  r->graph = (mm_graph_view){sg->g.n_left, sg->g.n_right, *cap, sg->off, sg->adj, sg->w, big};
  r->graph_cap = *cap;
  r->graph_off = sg->off;
  r->graph_adj = sg->adj;
  r->graph_score = sg->w;
  r->has_graph = 1;
  *cap = NULL;
  if (sg->borrowed) {
    c->off = NULL;
    c->adj = NULL;
    c->w = NULL;
  }
  sg->off = NULL;
  sg->adj = NULL;
  sg->w = NULL;
}

/* Status, bound, gap and proof once the assignment is fitted to calendars;
 * the summary holds the calendar-blind figures on entry. */
static void summarise_fit(mm_summary *sum, const mm_fit_report *rep, size_t with_slot) {
  sum->clashes = rep->clashes;
  sum->fit_pairs = rep->free_pairs;
  sum->fit_columns = rep->joint.columns;
  sum->fit_rows = rep->joint.rows;
  sum->fit_groups = rep->joint.components;
  size_t used = strlen(sum->proof);
  char *more = sum->proof + used;
  size_t room = sizeof sum->proof - used;
  double blind = (double)sum->blind_score / 1e4;
  if (sum->bound < 0 && with_slot < sum->bound_matched)
    sum->gap = (double)(sum->bound_matched - with_slot) / (double)sum->bound_matched;
  if (strcmp(sum->status, "optimal") != 0) return;
  if (rep->how == MM_FIT_SCHEDULED) {
    snprintf(more, room, with_slot ? "; every pair got a meeting slot, so this calendar-blind optimum is also "
                                     "optimal with calendars"
                                   : "; no pair to schedule, so calendars change nothing");
    return;
  }
  if (rep->how == MM_FIT_WHOLE && rep->joint_optimal) {
    sum->bound = sum->total_score;
    sum->bound_matched = with_slot;
    sum->gap = 0;
    snprintf(more, room,
             "; that calendar-blind optimum (%zu matched, total %.4f) had %zu pair%s that no free common "
             "slot could hold, so pairs and weekly slots were solved together as one integer program "
             "over every eligible pair (GLPK: %llu pair-slot columns, %llu rows, %llu group%s), proven "
             "optimal: most pairs with a slot, then the highest total",
             sum->blind_matched, blind, rep->clashes, rep->clashes == 1 ? "" : "s",
             (unsigned long long)rep->joint.columns, (unsigned long long)rep->joint.rows,
             (unsigned long long)rep->joint.components, rep->joint.components == 1 ? "" : "s");
    return;
  }
  if (with_slot >= sum->bound_matched) {
    sum->gap = sum->bound > 0 ? (double)(sum->bound - sum->total_score) / (double)sum->bound : 0;
  } else {
    sum->gap = (double)(sum->bound_matched - with_slot) / (double)sum->bound_matched;
  }
  if (with_slot >= sum->bound_matched && sum->total_score >= sum->bound) {
    snprintf(more, room,
             "; %zu pair%s of it had no free common slot and the %zu pairs around them were re-solved "
             "with their slots (GLPK, %llu pair-slot columns), reaching the calendar-blind bound",
             rep->clashes, rep->clashes == 1 ? "" : "s", rep->free_pairs, (unsigned long long)rep->joint.columns);
    return;
  }
  mm_summary_set_solution(sum, MM_SOLUTION_FEASIBLE);
  char what[160]; /* room for the longest count */
  if (rep->how == MM_FIT_WHOLE) {
    snprintf(what, sizeof what, "every eligible pair was re-decided with its weekly slots in one model");
  } else {
    snprintf(what, sizeof what, "the %zu pairs around them were re-decided with their weekly slots, every "
                                "other pair kept", rep->free_pairs);
  }
  snprintf(more, room,
           "; not proven optimal with calendars: that calendar-blind optimum (%zu matched, total %.4f) "
           "had %zu pair%s that no free common slot could hold; %s (GLPK, %llu pair-slot columns, %llu rows, "
           "%llu group%s%s); bound = the calendar-blind optimum; gap %s",
           sum->blind_matched, blind, rep->clashes, rep->clashes == 1 ? "" : "s", what,
           (unsigned long long)rep->joint.columns,
           (unsigned long long)rep->joint.rows, (unsigned long long)rep->joint.components,
           rep->joint.components == 1 ? "" : "s",
           rep->joint_optimal ? "" : ", a search stopped at the time limit with the best it had",
           with_slot >= sum->bound_matched ? "in total score at the same number matched"
                                           : "in pairs matched, as fewer are matched than the bound");
}

/* Status and proof once an assignment held as it is (rules or stable) is
 * scheduled: pairs left without a slot make an optimal answer feasible. */
static void summarise_held(mm_summary *sum, const char *binding, size_t with_slot, size_t n_pairs) {
  size_t used = strlen(sum->proof);
  sum->clashes = n_pairs - with_slot; /* the held answer is the one scheduled: its pairs without a slot */
  if (with_slot == n_pairs) {
    snprintf(sum->proof + used, sizeof sum->proof - used, "; every pair of the %s got a meeting slot", binding);
    return;
  }
  if (strcmp(sum->status, "optimal") == 0) mm_summary_set_solution(sum, MM_SOLUTION_FEASIBLE);
  /* As gap_definition says: fewer pairs with a slot than the bound. */
  if (with_slot < sum->bound_matched)
    sum->gap = (double)(sum->bound_matched - with_slot) / (double)sum->bound_matched;
  snprintf(sum->proof + used, sizeof sum->proof - used,
           "; %zu pair%s of the %s %s no free common slot left and %s listed unscheduled, so it does not hold "
           "with calendars as it stands",
           n_pairs - with_slot, n_pairs - with_slot == 1 ? "" : "s", binding, n_pairs - with_slot == 1 ? "has" : "have",
           n_pairs - with_slot == 1 ? "is" : "are");
}

/* Status and proof when required or kept pairs of a fitted answer have no
 * slot: not optimal with calendars, whatever the fit proved around them. */
static void summarise_unplaced_required(mm_summary *sum, size_t n_unplaced) {
  size_t used = strlen(sum->proof);
  if (strcmp(sum->status, "optimal") == 0) mm_summary_set_solution(sum, MM_SOLUTION_FEASIBLE);
  snprintf(sum->proof + used, sizeof sum->proof - used,
           "; %zu required or kept pair%s no free common slot left and %s listed unscheduled, so the answer "
           "does not hold with calendars as it stands",
           n_unplaced, n_unplaced == 1 ? " has" : "s have", n_unplaced == 1 ? "is" : "are");
}

/* The phases after the proof: fit the assignment to calendars, list the
 * pairs with their slots and ranks, and explain who was left out. */
static mm_status calendar_phases(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                                 const int64_t *fixed, const int32_t *cap, int64_t *mentor_of, bool proven,
                                 const char *binding, const mm_prices *prices, const mm_slot *known, mm_result *r,
                                 mm_slot **pair_slot, mm_error *e) {
  uint32_t n = c->n, m = c->m;
  mm_summary *sum = &r->summary;
  mm_people people = {NULL, NULL, 0};
  mm_slotter *sl = NULL;
  mm_slot *slot_of = malloc((n ? n : 1) * sizeof *slot_of), *hint = NULL;
  int64_t *moved = malloc((n ? n : 1) * sizeof *moved);
  uint32_t *load = calloc(m ? m : 1, sizeof *load);
  char (*unsched)[256] = NULL;
  mm_fit_report rep;
  mm_status st = MM_OK;
  mm_progress_meter meter;
  mm_progress_begin(&meter, &p->opt, "fit", 0, "pairs");
  double t0 = omp_get_wtime();
  if (!slot_of || !moved || !load) goto nomem;
  if ((st = mm_people_build(p, &people, e)) != MM_OK) goto done;
  if (!(sl = mm_slotter_create(p, &people, e))) {
    st = MM_ERR_NOMEM;
    goto done;
  }
  /* binding: every pair is held fixed (see mm_match); places left are 0. */
  int64_t *held = binding ? malloc((n ? n : 1) * sizeof *held) : NULL;
  int32_t *none_left = binding ? calloc(m ? m : 1, sizeof *none_left) : NULL;
  if (binding && (!held || !none_left)) {
    free(held);
    free(none_left);
    goto nomem;
  }
  if (binding) memcpy(held, mentor_of, (n ? n : 1) * sizeof *held);
  if (known) {
    /* The rules program or deferred acceptance already placed its assignment. */
    memset(&rep, 0, sizeof rep);
    memcpy(slot_of, known, (n ? n : 1) * sizeof *slot_of);
    for (uint32_t i = 0; i < n; i++) moved[i] = -1;
  } else {
    st = mm_fit_calendars(p, s, c, &people, sl, binding ? held : fixed, binding ? none_left : cap,
                          p->opt.time_limit_s, mentor_of, slot_of, moved, &rep, e);
  }
  free(held);
  free(none_left);
  if (st != MM_OK) goto done;
  sum->seconds[MM_PHASE_FIT] = omp_get_wtime() - t0;
  mm_progress_end(&meter);

  double t1 = omp_get_wtime();
  size_t n_pairs = 0;
  for (uint32_t i = 0; i < n; i++) n_pairs += mentor_of[i] >= 0;
  r->pairs = calloc(n_pairs ? n_pairs : 1, sizeof *r->pairs);
  hint = malloc((n_pairs ? n_pairs : 1) * sizeof *hint);
  *pair_slot = malloc((n_pairs ? n_pairs : 1) * sizeof **pair_slot);
  unsched = calloc(n_pairs ? n_pairs : 1, sizeof *unsched);
  if (!r->pairs || !hint || !unsched || !*pair_slot) goto nomem;
  sum->total_score = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (mentor_of[i] < 0) continue;
    hint[r->n_pairs] = slot_of[i];
    mm_pair *pr = &r->pairs[r->n_pairs++];
    pr->mentee = i;
    pr->mentor = (size_t)mentor_of[i];
    pr->required = fixed[i] >= 0;
    pr->score = mm_score_pair(s, i, (uint32_t)mentor_of[i], pr->part, NULL);
    pr->moved_from = moved[i];
    sum->total_score += pr->score;
    load[mentor_of[i]]++;
  }
  sum->matched = r->n_pairs;
  mm_progress_begin(&meter, &p->opt, "schedule", r->n_pairs, "pairs");
  /* Slots a stable or rules answer was decided with stay where they are. */
  mm_slotter_hints_first(sl, known != NULL);
  st = mm_schedule_pairs(sl, r->pairs, r->n_pairs, hint, *pair_slot, &r->occ, &r->n_occ, unsched, e);
  if (st != MM_OK) goto done;
  sum->seconds[MM_PHASE_SCHEDULE] = omp_get_wtime() - t1;
  mm_progress_end(&meter);
  size_t with_slot = 0;
  for (size_t k = 0; k < r->n_pairs; k++) with_slot += r->pairs[k].scheduled != 0;
  if (binding) {
    summarise_held(sum, binding, with_slot, r->n_pairs);
  } else {
    summarise_fit(sum, &rep, with_slot);
    /* Only a required or kept pair can be left without a slot here: the
     * answer does not hold with calendars then, as with the rules. */
    if (with_slot < r->n_pairs) summarise_unplaced_required(sum, r->n_pairs - with_slot);
  }
  double t2 = omp_get_wtime();
  st = mm_explain_unmatched(p, s, c, mentor_of, load, moved, proven, binding, prices, sum->threads, r, e);
  sum->seconds[MM_PHASE_EXPLAIN] += omp_get_wtime() - t2;
  if (st != MM_OK) goto done;
  for (size_t k = 0; k < r->n_pairs; k++) {
    if (r->pairs[k].scheduled) continue;
    if (!mm_result_add_left(r, MM_LEFT_UNSCHEDULED, MM_MENTEE, k, unsched[k])) goto nomem;
  }
  goto done;
nomem:
  st = MM_ERR_NOMEM;
  mm_error_set(e, NULL, "out of memory fitting %u mentees' pairs to calendars", n);
done:
  mm_slotter_free(sl);
  mm_people_free(&people);
  free(slot_of);
  free(hint);
  free(moved);
  free(load);
  free(unsched);
  return st;
}

/* Deferred acceptance with calendars in place of the exact solver: the
 * fixed pairs are booked first, then every proposal needs a free common
 * slot; slot_of receives the slots.  The assignment fields that later
 * phases read are filled, the duals are not (no proof). */
static mm_status solve_stable(const mm_problem *p, const mm_graph *g, const int64_t *fixed, mm_assignment *a,
                              mm_slot *slot_of, const char **solver_name, mm_error *e) {
  *solver_name = "stable";
  mm_diary *d = mm_diary_create(p, e);
  if (!d) return MM_ERR_NOMEM;
  mm_status st = MM_OK;
  for (uint32_t i = 0; i < g->n_left && st == MM_OK; i++)
    if (fixed[i] >= 0 && mm_diary_try_book(d, i, (uint32_t)fixed[i]) < 0) st = MM_ERR_NOMEM;
  if (st == MM_OK) st = mm_stable_solve_calendars(g, d, a->match, slot_of, e);
  else mm_error_set(e, NULL, "out of memory booking the required pairs");
  mm_diary_free(d);
  a->cardinality = 0;
  a->weight = 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    a->u[i] = 0;
    if (a->match[i] < 0) continue;
    a->cardinality++;
    a->weight += g->w[a->match[i]];
  }
  for (uint32_t j = 0; j < g->n_right; j++) a->v[j] = 0;
  return st;
}

/* One counting thread's slot test: the booked diary all threads read, the
 * thread's own reader, and the score of the pair it is testing. */
typedef struct {
  const mm_diary *d;
  mm_diary_reader *reader;
  const int64_t *own;
  const uint8_t *fixed;
  int64_t w;
} slot_test;

/* A mentee mentor j may drop for a newcomer scoring x->w: a movable one it
 * wants less (diary.h). */
static int64_t droppable(void *ctx, uint32_t k) {
  const slot_test *x = ctx;
  return !x->fixed[k] && x->own[k] < x->w ? x->own[k] : INT64_MAX;
}

static int free_common_slot(void *ctx, int thread, uint32_t i, uint32_t j, int64_t w) {
  slot_test *x = (slot_test *)ctx + thread;
  x->w = w;
  return mm_diary_can_fit(x->d, x->reader, i, j, droppable, x);
}

/* Blocking pairs of the final assignment over every eligible pair; mentees
 * fixed by a rule cannot move and their places are not open.  A pair
 * blocks only when the two also have a free common slot, given everyone's
 * booked meetings (pair_slot, per pair) once the mentee leaves its pair and
 * the mentor drops at most one weaker mentee.  prices (NULL: none) spare
 * scoring most rows. */
static mm_status count_blocking(const mm_problem *p, const mm_scorer *s, const mm_candidates *c, bool maximal,
                                const int64_t *mentor_of, const uint8_t *fixed, const int32_t *open,
                                const mm_pair *pairs, const mm_slot *pair_slot, size_t n_pairs, const mm_prices *prices,
                                int threads, int64_t *out, mm_error *e) {
  uint32_t n = mm_scorer_mentees(s);
  int64_t *own = calloc(n ? n : 1, sizeof *own);
  slot_test *test = calloc((size_t)threads, sizeof *test);
  mm_diary *d = own && test ? mm_diary_create(p, e) : NULL;
  mm_status status = MM_ERR_NOMEM;
  bool ok = d != NULL;
  for (size_t k = 0; ok && k < n_pairs; k++) {
    own[pairs[k].mentee] = pairs[k].score;
    if (pairs[k].scheduled) ok = mm_diary_book(d, (uint32_t)pairs[k].mentee, (uint32_t)pairs[k].mentor, pair_slot[k]);
  }
  for (int t = 0; ok && t < threads; t++) {
    test[t] = (slot_test){d, mm_diary_reader_create(d, e), own, fixed, 0};
    ok = test[t].reader != NULL;
  }
  if (!ok) {
    mm_error_set(e, NULL, "out of memory counting blocking pairs");
    goto done;
  }
  mm_stability st = {n, mm_scorer_mentors(s), open, mentor_of, own, fixed, maximal, free_common_slot, test, prices};
  uint64_t count = 0;
  status = mm_blocking_all_pairs(&st, s, c, threads, &count, e);
  *out = (int64_t)count;
done:
  for (int t = 0; test && t < threads; t++) mm_diary_reader_free(test[t].reader);
  free(test);
  mm_diary_free(d);
  free(own);
  return status;
}

/* The program rules' integer program on the candidate graph instead of the
 * assignment solvers; fills a's counts as they would. */
static void rules_answer_drop_missing(mm_rules_answer *ra) {
  free(ra->in_lp);
  ra->in_lp = NULL;
  free(ra->add_mentee);
  free(ra->add_mentor);
  free(ra->add_w);
  ra->add_mentee = ra->add_mentor = NULL;
  ra->add_w = NULL;
  ra->n_add = ra->n_needed = 0;
}

/* Flags on the edges of graph from, moved to the same pairs of graph to
 * (which holds every pair of from, both with rows sorted by mentor). */
static uint8_t *carry_over(const mm_graph *from, const uint8_t *flag, const mm_graph *to) {
  uint8_t *out = calloc(to->off[to->n_left] + 1, 1);
  for (uint32_t i = 0; out && i < to->n_left; i++) {
    uint64_t k = from->off[i];
    for (uint64_t x = to->off[i]; x < to->off[i + 1]; x++) {
      while (k < from->off[i + 1] && from->adj[k] < to->adj[x]) k++;
      out[x] = k < from->off[i + 1] && from->adj[k] == to->adj[x] && flag[k];
    }
  }
  return out;
}

/* How the program rules met the calendars (rules_slots.h). */
typedef struct {
  int rounds;      /* solves of the rules program */
  size_t tight;    /* people whose pairs carry their weekly starts */
  size_t columns;  /* pair-start columns in the last program */
  size_t unplaced; /* pairs the last schedule left without a slot */
} rules_calendar_report;

/* Schedules the rules answer (rules_slots.h); the people of pairs left
 * without a slot become tight, *fresh counts the new ones. */
static mm_status place_rules_answer(const int64_t *fixed, const solver_graph *sg, const mm_rules_answer *ra,
                                    mm_rules_calendar *rc, int64_t *mentor_of, mm_slot *slot_of,
                                    rules_calendar_report *rep, size_t *fresh, mm_error *e) {
  for (uint32_t i = 0; i < sg->g.n_left; i++)
    mentor_of[i] = fixed[i] >= 0 ? fixed[i] : ra->match[i] >= 0 ? (int64_t)sg->adj[ra->match[i]] : -1;
  rep->columns = mm_rules_calendar_column_count(rc);
  mm_status st = mm_rules_calendar_check(rc, mentor_of, slot_of, &rep->unplaced, fresh, e);
  rep->tight = mm_rules_calendar_tight(rc);
  return st;
}

/* The program rules' integer program instead of the assignment solvers,
 * held together with everyone's calendar.  After each solve, two things
 * can send it round again: on a shortlist, pairs outside it that the final
 * LP prices as possibly better are added; and the answer is scheduled, the
 * people of pairs left without a slot becoming tight (their pairs then
 * carry weekly starts and clash rows, rules_slots.h).  It stops when
 * neither happens (or after MAX_RULES_ROUNDS, when the proof says what is
 * not covered).  slot_of (per mentee) receives the last schedule's slots.
 * Fills a's counts as the solvers would. */
#define MAX_RULES_ROUNDS 12
static mm_status solve_with_rules(const mm_problem *p, const mm_scorer *s, mm_candidates *c, const int64_t *fixed,
                                  const int32_t *cap, bool all_pairs, solver_graph *sg, mm_assignment *a,
                                  mm_rules_answer *ra, int *rounds, mm_slot *slot_of, rules_calendar_report *rep,
                                  mm_error *e) {
  memset(rep, 0, sizeof *rep);
  mm_rules_calendar *rc = mm_rules_calendar_create(p, e);
  int64_t *match = ra->match, *mentor_of = malloc(((size_t)c->n + 1) * sizeof *mentor_of);
  if (!rc || !mentor_of) {
    mm_rules_calendar_free(rc);
    free(mentor_of);
    mm_error_set(e, NULL, "out of memory preparing the rules program");
    return MM_ERR_NOMEM;
  }
  mm_status st = MM_OK;
  double seconds = 0;
  int64_t floor_hint = INT64_MIN;
  uint8_t *prefer = NULL;
  for (*rounds = 1;; ++*rounds) {
    solver_graph old = *sg;
    if (solver_graph_build(c, fixed, cap, false, sg) != MM_OK) {
      solver_graph_free(&old);
      st = MM_ERR_NOMEM;
      mm_error_set(e, NULL, "out of memory building the rules graph");
      break;
    }
    /* The last round's LP columns start this round's LP. */
    free(prefer);
    prefer = ra->in_lp ? carry_over(&old.g, ra->in_lp, &sg->g) : NULL;
    solver_graph_free(&old);
    const mm_rules_slots *slots = NULL;
    if ((st = mm_rules_calendar_columns(rc, &sg->g, fixed, &slots, e)) != MM_OK) break;
    mm_rules_input in = {p, &sg->g, fixed, all_pairs, s, prefer, slots, seconds, floor_hint};
    rules_answer_drop_missing(ra);
    memset(ra, 0, sizeof *ra);
    ra->match = match;
    st = mm_rules_solve(&in, ra, e);
    seconds = ra->seconds; /* this solve and the ones before */
    floor_hint = ra->floor; /* the next round's floor is most likely this one */
    rep->rounds = *rounds;
    size_t fresh = 0;
    if (st == MM_OK) st = place_rules_answer(fixed, sg, ra, rc, mentor_of, slot_of, rep, &fresh, e);
    if (st != MM_OK || ra->timed_out || (ra->n_needed == 0 && fresh == 0) || *rounds == MAX_RULES_ROUNDS) break;
    if (ra->n_needed > 0) st = mm_candidates_add(c, ra->add_mentee, ra->add_mentor, ra->add_w, ra->n_add, e);
    if (st != MM_OK) break;
  }
  free(prefer);
  free(mentor_of);
  mm_rules_calendar_free(rc);
  ra->seconds = seconds;
  size_t needed = ra->n_needed; /* the count stays for the proof sentence */
  rules_answer_drop_missing(ra);
  ra->n_needed = needed;
  a->cardinality = ra->cardinality;
  a->weight = ra->weight;
  for (uint32_t i = 0; i < sg->g.n_left; i++) a->u[i] = 0;
  for (uint32_t j = 0; j < sg->g.n_right; j++) a->v[j] = 0;
  return st;
}

/* The calendar part of the rules proof (rules_slots.h). */
static void describe_rules_calendar(const rules_calendar_report *rep, mm_summary *sum) {
  size_t used = strlen(sum->proof);
  if (rep->tight == 0) {
    snprintf(sum->proof + used, sizeof sum->proof - used,
             "; calendars: every pair of the answer has a meeting slot, so no weekly start entered the program");
    return;
  }
  snprintf(sum->proof + used, sizeof sum->proof - used,
           "; calendars: %zu people whose weeks are tight carry every weekly start of their pairs and a no-overlap "
           "row per quarter hour in the program (%zu pair-start columns, %d solve%s), which keeps it a relaxation "
           "of matching with calendars%s",
           rep->tight, rep->columns, rep->rounds, rep->rounds == 1 ? "" : "s",
           sum->bound >= 0 ? ", so the bound holds with calendars" : "");
}

/* Status, bound, gap and proof of a run under the program rules. */
static void describe_rules(const mm_rules_answer *ra, const mm_options *o, uint64_t pairs, bool all_pairs, int rounds,
                           int64_t required_score, mm_summary *sum) {
  mm_summary_set_solution(sum, ra->proven ? MM_SOLUTION_OPTIMAL : MM_SOLUTION_TIME_LIMIT);
  sum->bound = ra->bound >= 0 ? ra->bound + required_score : -1;
  /* With no bound (nothing proven in time) the gap stays 0 and bound -1 says so. */
  sum->gap = sum->bound > 0 ? (double)(sum->bound - sum->total_score) / (double)sum->bound : 0;
  snprintf(sum->rules, sizeof sum->rules, "%s", ra->text);
  memcpy(sum->quota_across, ra->across, sizeof ra->across);
  memcpy(sum->quota_known, ra->known, sizeof ra->known);
  char scope[200];
  if (all_pairs) {
    snprintf(scope, sizeof scope, "every eligible pair (%llu, all in the program)", (unsigned long long)pairs);
  } else if (ra->priced_all && ra->n_needed == 0) {
    snprintf(scope, sizeof scope,
             "every eligible pair: a shortlist of %llu in the program, every other pair priced by the final LP's "
             "duals as unable to improve it (%d round%s)",
             (unsigned long long)pairs, rounds, rounds == 1 ? "" : "s");
  } else {
    snprintf(scope, sizeof scope,
             "the shortlist of %llu pairs only (%zu pairs outside it still priced as possibly better after %d "
             "rounds)",
             (unsigned long long)pairs, ra->n_needed, rounds);
  }
  char lp[100];
  snprintf(lp, sizeof lp, "; LP by column generation: %zu of %zu columns in %d pricing rounds", ra->columns_used,
           ra->columns, ra->pricing_rounds);
  if (ra->proven && o->mip_gap <= 0) {
    snprintf(sum->proof, sizeof sum->proof,
             "GLPK branch-and-cut on the rules program: integer optimum (most matched, then highest score, subject "
             "to the rules) over %s%s",
             scope, lp);
  } else if (ra->proven) {
    snprintf(sum->proof, sizeof sum->proof,
             "GLPK branch-and-cut on the rules program: within mip_gap %g of the best bound (gap %.4f%%) over %s%s",
             o->mip_gap, 100 * sum->gap, scope, lp);
  } else {
    snprintf(sum->proof, sizeof sum->proof,
             "not proven: GLPK stopped at the time limit of %g s on the rules program%s",
             o->time_limit_s, sum->bound >= 0 ? "; bound and gap are GLPK's best bound at this number matched" : "");
  }
}

/* Everything one run of mm_match holds between its steps. */
typedef struct {
  const mm_problem *p;
  const mm_options *o;
  int threads;
  uint32_t n, m;
  mm_result *r;
  mm_scorer *s;
  mm_candidates c;
  solver_graph sg;
  int64_t *fixed;      /* per mentee: its required mentor, or -1 */
  int32_t *cap;        /* per mentor: places left for the solver */
  uint8_t *skip;       /* per mentee: held by a required pair */
  int64_t *match, *u, *v, *warm;
  mm_flow_state *flow;  /* the flow solver kept between proof rounds */
  int64_t *mentor_of;  /* per mentee: its mentor in the answer, or -1 */
  mm_slot *known_slot; /* per mentee, from the rules loop or stable mode */
  mm_slot *pair_slot;  /* per pair of the result */
  uint32_t keep;       /* candidates kept per mentee */
  bool stable, with_rules, proven, timed_out;
  bool whole_graph;    /* the solver's graph is the candidates' own (leaves_nothing_out) */
  int64_t big;
  mm_assignment a;
  const char *solver_name;
  int rounds, rules_rounds;
  uint64_t rescored, by_bound, by_slack, pruned, added, checked; /* the proof's tallies */
  mm_rules_answer ra;
  rules_calendar_report crep;
} match_run;

static void match_run_free(match_run *x) {
  free(x->mentor_of);
  free(x->known_slot);
  free(x->pair_slot);
  solver_graph_free(&x->sg);
  mm_candidates_free(&x->c);
  mm_scorer_free(x->s);
  free(x->fixed);
  free(x->cap);
  free(x->skip);
  free(x->match);
  free(x->u);
  free(x->v);
  free(x->warm);
  mm_flow_state_free(x->flow);
  mm_result_free(x->r);
}

static mm_status match_nomem(const match_run *x, mm_error *e) {
  mm_error_set(e, NULL, "out of memory matching %u mentees with %u mentors", x->n, x->m);
  return MM_ERR_NOMEM;
}

/* Scores every pair, keeps the candidates, fixes the required pairs and
 * caps each mentor's places by its week. */
static mm_status match_prepare(match_run *x, mm_error *e) {
  uint32_t n = x->n, m = x->m;
  size_t nn = n ? n : 1, mm = m ? m : 1;
  x->r = mm_result_create();
  x->fixed = malloc(nn * sizeof *x->fixed);
  x->cap = malloc(mm * sizeof *x->cap);
  x->skip = malloc(nn);
  x->match = malloc(nn * sizeof *x->match);
  x->u = malloc(nn * sizeof *x->u);
  x->v = malloc(mm * sizeof *x->v);
  x->warm = malloc(nn * sizeof *x->warm);
  if (!x->r || !x->fixed || !x->cap || !x->skip || !x->match || !x->u || !x->v || !x->warm) return match_nomem(x, e);
  mm_summary *sum = &x->r->summary;
  sum->mentees = n;
  sum->mentors = m;
  sum->threads = x->threads;

  double t0 = omp_get_wtime();
  x->s = mm_scorer_create(x->p, x->threads, e);
  if (!x->s) return MM_ERR_NOMEM;
  double t_prep = omp_get_wtime() - t0;
  /* Stability is a property of every pair, so stable mode keeps them all. */
  x->keep = x->stable || (uint64_t)n * m <= x->o->full_graph_pairs ? m : (uint32_t)x->o->candidates;
  mm_status st = mm_candidates_build(x->s, x->keep, x->threads, &x->c, e);
  if (st != MM_OK) return st;
  sum->seconds[MM_PHASE_SCORE] = t_prep + x->c.score_s;
  sum->seconds[MM_PHASE_SELECT] = x->c.select_s;
  sum->pairs_scored = x->c.pairs_scored;
  sum->pairs_eligible = x->c.pairs_eligible;

  for (uint32_t i = 0; i < n; i++) x->fixed[i] = -1;
  for (uint32_t j = 0; j < m; j++) x->cap[j] = x->p->side[MM_MENTOR].capacity[j];
  if ((st = fix_required(x->p, x->s, x->fixed, x->cap, e)) != MM_OK) return st;
  if ((st = check_kept_slots(x->p, e)) != MM_OK) return st;
  if (!cap_by_hours(x->p, x->cap)) return match_nomem(x, e);
  uint32_t n_free = 0;
  int64_t slots = 0;
  for (uint32_t i = 0; i < n; i++) {
    x->skip[i] = x->fixed[i] >= 0;
    n_free += !x->skip[i];
  }
  for (uint32_t j = 0; j < m; j++) slots += x->cap[j] > 0 ? x->cap[j] : 0;
  x->whole_graph = leaves_nothing_out(n, m, x->fixed, x->cap);
  x->big = ((int64_t)(n_free < slots ? n_free : slots) + 1) * ((int64_t)mm_scorer_max_score(x->s) + 1);
  return MM_OK;
}

/* The rules program (GLPK), with calendar rows for tight people. */
static mm_status match_solve_rules(match_run *x, mm_error *e) {
  x->ra.match = x->match;
  x->a = (mm_assignment){.big = x->big, .match = x->match, .u = x->u, .v = x->v};
  x->known_slot = malloc((x->n ? x->n : 1) * sizeof *x->known_slot);
  if (!x->known_slot) return match_nomem(x, e);
  mm_status st = solve_with_rules(x->p, x->s, &x->c, x->fixed, x->cap, x->keep >= x->m, &x->sg, &x->a, &x->ra,
                                  &x->rules_rounds, x->known_slot, &x->crep, e);
  x->r->summary.seconds[MM_PHASE_SOLVE] += x->ra.seconds;
  x->solver_name = "glpk";
  x->proven = x->ra.proven;
  x->timed_out = x->ra.timed_out;
  return st;
}

/* Builds the solver's graph from the candidates and solves it, warm from
 * the previous round's answer after the first (the graph only grew); then
 * keeps each mentee's mentor for the next round's warm start (the graph,
 * borrowed, may not outlive the next proof round). */
static mm_status match_solve_once(match_run *x, mm_error *e) {
  mm_progress_meter meter;
  mm_progress_begin(&meter, x->o, "solve", 0, "rounds");
  double ts = omp_get_wtime();
  solver_graph_free(&x->sg);
  if (solver_graph_build(&x->c, x->fixed, x->cap, x->whole_graph, &x->sg) != MM_OK) {
    mm_progress_end(&meter);
    return match_nomem(x, e);
  }
  x->a = (mm_assignment){.big = x->big, .match = x->match, .u = x->u, .v = x->v, .time_limit_s = x->o->time_limit_s,
                         .threads = x->threads, .warm_mentor = x->rounds > 0 ? x->warm : NULL,
                         .keep = x->stable ? NULL : &x->flow};
  mm_status st;
  if (x->stable) {
    x->known_slot = malloc((x->n ? x->n : 1) * sizeof *x->known_slot);
    st = x->known_slot ? solve_stable(x->p, &x->sg.g, x->fixed, &x->a, x->known_slot, &x->solver_name, e)
                       : match_nomem(x, e);
  } else {
    st = mm_assign(&x->sg.g, x->o->solver, &x->a, &x->solver_name, e);
  }
  for (uint32_t i = 0; st == MM_OK && !x->stable && i < x->n; i++)
    x->warm[i] = x->match[i] >= 0 ? (int64_t)x->sg.adj[x->match[i]] : -1;
  x->r->summary.seconds[MM_PHASE_SOLVE] += omp_get_wtime() - ts;
  mm_progress_end(&meter);
  return st;
}

/* One proof round: checks every pair against the dual prices and adds the
 * pairs that fail to the candidates; *n_add says how many. */
static mm_status match_prove_once(match_run *x, mm_prover *prover, size_t *n_add, mm_error *e) {
  mm_progress_meter meter;
  mm_progress_begin(&meter, x->o, "prove", 0, "rounds");
  double tp = omp_get_wtime();
  uint32_t *add_i = NULL, *add_j = NULL;
  int64_t *add_w = NULL;
  mm_proof_round pr;
  *n_add = 0;
  mm_status st = mm_prove_round(prover, x->s, &x->c, x->skip, x->cap, x->u, x->v, x->big, x->threads,
                                (uint32_t)x->o->candidates, &add_i, &add_j, &add_w, n_add, &pr, e);
  if (st == MM_OK && *n_add > 0) st = mm_candidates_add(&x->c, add_i, add_j, add_w, *n_add, e);
  free(add_i);
  free(add_j);
  free(add_w);
  x->r->summary.seconds[MM_PHASE_PROVE] += omp_get_wtime() - tp;
  mm_progress_end(&meter);
  if (st != MM_OK) return st;
  if (x->rounds == 1) {
    x->pruned = pr.pruned;
    x->by_bound = pr.by_bound;
  }
  x->by_slack += pr.by_slack;
  x->rescored += pr.rescored;
  x->checked += pr.pairs_checked;
  x->added += *n_add;
  return MM_OK;
}

/* Solve, prove over all pairs, widen, repeat: every round adds pairs the
 * graph did not hold, and rows that keep failing grow geometrically to
 * their whole eligible row (prove.h), so this ends with a proof. */
static mm_status match_solve_rounds(match_run *x, mm_error *e) {
  mm_prover prover;
  mm_status st = mm_prover_init(&prover, x->n, x->m, e);
  if (st != MM_OK) return st;
  for (;;) {
    if ((st = match_solve_once(x, e)) != MM_OK || x->stable) break;
    x->rounds++;
    if (x->a.timed_out) {
      x->timed_out = true;
      break;
    }
    size_t n_add = 0;
    if ((st = match_prove_once(x, &prover, &n_add, e)) != MM_OK) break;
    if (n_add == 0) {
      x->proven = true;
      break;
    }
  }
  mm_flow_state_free(x->flow);
  x->flow = NULL;
  mm_prover_free(&prover);
  return st;
}

/* Status and proof of a run without program rules. */
static void describe_flow(const match_run *x, mm_summary *sum) {
  unsigned long long pairs = (unsigned long long)x->c.off[x->n];
  if (x->stable) {
    mm_summary_set_solution(sum, MM_SOLUTION_STABLE);
    sum->bound = -1;
    snprintf(sum->proof, sizeof sum->proof,
             "mentee-proposing deferred acceptance on all %llu eligible pairs: no mentee and mentor "
             "both prefer each other, by score, to what they got (ties to the lower index on both "
             "sides); not a maximum-score assignment",
             pairs);
  } else if (x->timed_out) {
    mm_summary_set_solution(sum, MM_SOLUTION_TIME_LIMIT);
    snprintf(sum->proof, sizeof sum->proof,
             "not proven: the %s solver stopped at the time limit of %g s; the assignment is feasible "
             "but may not be optimal",
             x->solver_name, x->o->time_limit_s);
    sum->bound = -1;
  } else if (x->proven && x->pruned == 0) {
    mm_summary_set_solution(sum, MM_SOLUTION_OPTIMAL);
    snprintf(sum->proof, sizeof sum->proof,
             "%s solver; integer dual prices verified on all %llu eligible pair%s, every one of them "
             "in the graph (dual bound = primal; %llu pair%s scored in all)",
             x->solver_name, pairs, pairs == 1 ? "" : "s", (unsigned long long)x->c.pairs_scored,
             x->c.pairs_scored == 1 ? "" : "s");
  } else if (x->proven) {
    mm_summary_set_solution(sum, MM_SOLUTION_OPTIMAL);
    snprintf(sum->proof, sizeof sum->proof,
             "%s solver; integer dual prices verified on all %llu candidate pairs (dual bound = "
             "primal); every other pair of the %llu checked against the prices: in %d round%s, %llu "
             "mentee rows settled by their k-th best score, %llu by the slack of an earlier round, "
             "%llu rows rescored pair by pair, %llu pairs added",
             x->solver_name, pairs, (unsigned long long)x->c.pairs_scored, x->rounds, x->rounds == 1 ? "" : "s",
             (unsigned long long)x->by_bound, (unsigned long long)x->by_slack, (unsigned long long)x->rescored,
             (unsigned long long)x->added);
  }
}

/* The calendar-blind optimum (required pairs plus the solver's), its dual
 * bound, and the status and proof that go with them. */
static mm_status match_summarise(match_run *x, mm_error *e) {
  mm_summary *sum = &x->r->summary;
  uint32_t n = x->n;
  sum->solver = x->solver_name;
  sum->candidates = x->c.off[n];
  sum->pairs_rescored = x->checked;
  x->mentor_of = malloc((n ? n : 1) * sizeof *x->mentor_of);
  if (!x->mentor_of) return match_nomem(x, e);
  for (uint32_t i = 0; i < n; i++) {
    int64_t j = x->fixed[i] >= 0 ? x->fixed[i] : x->match[i] >= 0 ? (int64_t)x->sg.adj[x->match[i]] : -1;
    x->mentor_of[i] = j;
    if (j < 0) continue;
    sum->blind_matched++;
    sum->blind_score += mm_score_pair(x->s, i, (uint32_t)j, NULL, NULL);
  }
  sum->total_score = sum->blind_score;
  int64_t required_score = sum->blind_score - x->a.weight;
  i128 dual = 0;
  for (uint32_t i = 0; i < n; i++)
    if (!x->skip[i]) dual += x->u[i];
  for (uint32_t j = 0; j < x->m; j++)
    if (x->cap[j] > 0) dual += (i128)x->cap[j] * x->v[j];
  sum->bound = (int64_t)(dual - (i128)x->big * x->a.cardinality) + required_score;
  if (x->with_rules) {
    describe_rules(&x->ra, x->o, x->c.off[n], x->keep >= x->m, x->rules_rounds, required_score, sum);
    describe_rules_calendar(&x->crep, sum);
  } else {
    describe_flow(x, sum);
  }
  sum->bound_matched = sum->blind_matched;
  if (sum->bound < 0) {
    /* Nothing proven (stopped at the time limit, or stable mode, which
     * does not maximise): the only sure bound on the pairs is everyone with
     * an eligible or required mentor, within the places. */
    uint64_t people = 0, places = 0;
    for (uint32_t i = 0; i < n; i++) people += x->c.elig[i] > 0 || x->fixed[i] >= 0;
    for (uint32_t j = 0; j < x->m; j++) places += (uint64_t)x->p->side[MM_MENTOR].capacity[j];
    sum->bound_matched = (size_t)(people < places ? people : places);
    sum->gap = sum->bound_matched ? (double)(sum->bound_matched - sum->blind_matched) / (double)sum->bound_matched : 0;
  }
  return MM_OK;
}

/* Meeting slots (re-deciding pairs that cannot meet), then blocking pairs,
 * ranks and notes. */
static mm_status match_finish(match_run *x, mm_error *e) {
  mm_summary *sum = &x->r->summary;
  mm_result *r = x->r;
  /* With program rules or in stable mode the assignment is kept as it is
   * while fitting calendars (re-deciding pairs could break a rule or make a
   * pair blocking): pairs without a free common slot are listed unscheduled. */
  const char *binding = x->with_rules ? "program rules" : x->stable ? "stable assignment" : NULL;
  /* The prices bound every pair only after a proof round found none above them. */
  mm_prices proof = {x->u, x->v, x->big, x->skip, x->cap};
  const mm_prices *prices = x->proven && !x->stable && !x->with_rules && !x->timed_out ? &proof : NULL;
  mm_status st = calendar_phases(x->p, x->s, &x->c, x->fixed, x->cap, x->mentor_of, x->proven || x->stable, binding,
                                 prices, x->known_slot, r, &x->pair_slot, e);
  if (st != MM_OK) return st;
  for (size_t k = 0; k < r->n_pairs; k++)
    if (r->pairs[k].required) r->pairs[k].required = 1 + x->p->rules[x->p->required_rule[r->pairs[k].mentee]].kept;
  /* Maximal: a proven maximum assignment or a stable one, without rules
   * that can leave a mentor room while a mentee eligible for it waits. */
  for (uint32_t i = 0; i < x->n; i++) x->mentor_of[i] = -1;
  for (size_t k = 0; k < r->n_pairs; k++) x->mentor_of[r->pairs[k].mentee] = (int64_t)r->pairs[k].mentor;
  bool maximal = (x->stable || (x->proven && !x->with_rules)) && !x->timed_out && sum->matched == sum->blind_matched;
  double t_explain = omp_get_wtime();
  /* Not after a time limit: with many mentees waiting and many places free,
   * every such pair needs a check of both weeks (L high ties x capacity 2
   * stopped after 1 s: 113 s of checks); blocking_pairs then stays -1. */
  if (!x->timed_out)
    st = count_blocking(x->p, x->s, &x->c, maximal, x->mentor_of, x->skip, x->cap, r->pairs, x->pair_slot,
                        r->n_pairs, prices, x->threads, &sum->blocking_pairs, e);
  if (st != MM_OK) return st;
  sum->mode = x->stable ? "stable" : "optimal";
  st = mm_explain_pairs(x->p, x->s, &x->c, x->proven || x->stable, prices, x->threads, r, e);
  sum->seconds[MM_PHASE_EXPLAIN] += omp_get_wtime() - t_explain;
  return st;
}

mm_status mm_match(const mm_problem *p, mm_result **out, mm_error *e) {
  *out = NULL;
  match_run x;
  memset(&x, 0, sizeof x);
  x.p = p;
  x.o = &p->opt;
  x.threads = x.o->threads > 0 ? x.o->threads : omp_get_max_threads();
  x.n = (uint32_t)p->side[MM_MENTEE].n;
  x.m = (uint32_t)p->side[MM_MENTOR].n;
  x.stable = x.o->mode == MM_MODE_STABLE;
  x.with_rules = mm_rules_needed(p) && !x.stable;
  x.solver_name = "none";
  if (mm_stable_priority_error(p, e)) return MM_ERR_INVALID;
  mm_status st = match_prepare(&x, e);
  if (st == MM_OK) st = x.with_rules ? match_solve_rules(&x, e) : match_solve_rounds(&x, e);
  if (st == MM_OK) st = match_summarise(&x, e);
  if (st == MM_OK) st = match_finish(&x, e);
  if (st == MM_OK) {
    if (x.o->keep_graph) keep_graph(x.r, &x.sg, &x.c, &x.cap, x.big);
    *out = x.r;
    x.r = NULL;
  }
  match_run_free(&x);
  return st;
}

mm_status mm_score_matrix(const mm_problem *p, int32_t *out, mm_error *e) {
  int threads = p->opt.threads > 0 ? p->opt.threads : omp_get_max_threads();
  mm_scorer *s = mm_scorer_create(p, threads, e);
  if (!s) return MM_ERR_NOMEM;
  uint32_t n = mm_scorer_mentees(s), m = mm_scorer_mentors(s);
  mm_score_scratch **x = calloc((size_t)threads, sizeof *x);
  bool ok = x != NULL;
  for (int t = 0; ok && t < threads; t++) ok = (x[t] = mm_score_scratch_create(s)) != NULL;
  if (ok) {
#pragma omp parallel num_threads(threads)
    {
      mm_score_scratch *mine = x[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 32)
      for (uint32_t i = 0; i < n; i++) memcpy(&out[(size_t)i * m], mm_score_row(s, mine, i), m * sizeof *out);
    }
  }
  for (int t = 0; x && t < threads; t++) mm_score_scratch_free(x[t]);
  free(x);
  mm_scorer_free(s);
  if (!ok) {
    mm_error_set(e, NULL, "out of memory scoring");
    return MM_ERR_NOMEM;
  }
  return MM_OK;
}
