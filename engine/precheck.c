/* precheck.c: what mm_match refuses before solving, checked without solving.
 *
 * A required pair must be eligible, a kept slot must be a weekly start both
 * people keep, and no mentor may be required beyond its capacity; stable
 * mode cannot weigh priorities.  mm_match stops at the first of these
 * errors; `mentormatch check` lists them all through mm_problem_check, so
 * that what check passes, match accepts.
 */
#include "precheck.h"

#include <stdlib.h>

static const char *why_text(unsigned why) {
  if (why & MM_INELIG_SELF) return "they are the same person";
  if (why & MM_INELIG_MANAGER) return "the mentor is the mentee's direct manager";
  if (why & MM_INELIG_FORBIDDEN) return "the pairs file also forbids it";
  if (why & MM_INELIG_HISTORY) return "they were paired in an earlier cohort (--previous; use previous = penalise:X to allow it)";
  if (why & MM_INELIG_CAPACITY0) return "the mentor's capacity is 0";
  if (why & MM_INELIG_LANGUAGE) return "they share no language";
  if (why & MM_INELIG_SENIORITY) return "the mentor is not senior enough";
  if (why & MM_INELIG_OVERLAP) return "their weekly availability has no common slot for a whole meeting";
  return "it breaks a rule";
}

/* Whether a kept pair's slot, if it has one, is a start the pair can keep
 * every week (the same starts the scheduler reads). */
static bool pin_fits(const mm_problem *p, size_t mentee, size_t mentor) {
  int32_t pin = mm_problem_pin(p, mentee);
  if (pin < 0) return true;
  mm_week starts;
  mm_frame_pair_starts(p, mentee, mentor, &starts);
  return mm_week_test(&starts, pin);
}

/* The error of one rule, or false when it holds; places[j] counts the
 * places the rules before it took. */
static bool rule_error(const mm_problem *p, const mm_scorer *s, const mm_pair_rule *rule, int32_t *places,
                       mm_error *e) {
  const char *field = rule->kept ? "kept pair" : "rule";
  const char *mentee = p->side[MM_MENTEE].id[rule->mentee], *mentor = p->side[MM_MENTOR].id[rule->mentor];
  unsigned why = 0;
  mm_error_clear(e);
  if (mm_score_pair(s, rule->mentee, rule->mentor, NULL, &why) < 0) {
    mm_error_set(e, field, "mentee \"%s\" and mentor \"%s\" are required but not eligible: %s", mentee, mentor,
                 why_text(why));
  } else if (rule->kept && !pin_fits(p, rule->mentee, rule->mentor)) {
    mm_error_set(e, field,
                 "mentee \"%s\" and mentor \"%s\" cannot keep their slot (mentor_slot): it is not inside both "
                 "people's availability in every week of the program; leave mentor_slot empty to let a new one "
                 "be chosen",
                 mentee, mentor);
  } else if (++places[rule->mentor] > p->side[MM_MENTOR].capacity[rule->mentor]) {
    mm_error_set(e, field, "mentor \"%s\" is required for more mentees than its capacity of %d", mentor,
                 p->side[MM_MENTOR].capacity[rule->mentor]);
  } else {
    return false;
  }
  mm_error_locate(e, NULL, rule->source_line, 1);
  return true;
}

mm_status mm_required_each(const mm_problem *p, const mm_scorer *s, mm_check_fn each, void *ctx, mm_error *e) {
  int32_t *places = calloc(p->side[MM_MENTOR].n ? p->side[MM_MENTOR].n : 1, sizeof *places);
  if (!places) {
    mm_error_set(e, NULL, "out of memory checking the required pairs");
    return MM_ERR_NOMEM;
  }
  mm_status st = MM_OK;
  for (size_t k = 0; k < p->n_rules; k++) {
    const mm_pair_rule *rule = &p->rules[k];
    if (rule->rule != MM_RULE_REQUIRE || !rule_error(p, s, rule, places, e)) continue;
    st = MM_ERR_INFEASIBLE;
    if (!each || !each(ctx, e)) break;
  }
  free(places);
  return st;
}

bool mm_stable_priority_error(const mm_problem *p, mm_error *e) {
  if (p->opt.mode != MM_MODE_STABLE || !p->has_priority) return false;
  /* Deferred acceptance ranks by score alone: priorities would be ignored. */
  mm_error_set(e, "priority",
               "stable mode cannot be combined with the priority column (mentees of different priorities); "
               "use the optimal mode, or give every mentee the same priority");
  return true;
}

mm_status mm_problem_check(const mm_problem *p, mm_check_fn each, void *ctx, mm_error *e) {
  mm_status st = MM_OK;
  if (mm_stable_priority_error(p, e)) {
    st = MM_ERR_INVALID;
    if (!each || !each(ctx, e)) return st;
  }
  bool any = false;
  for (size_t k = 0; k < p->n_rules && !any; k++) any = p->rules[k].rule == MM_RULE_REQUIRE;
  if (!any) return st;
  mm_scorer *s = mm_scorer_create(p, 1, e);
  if (!s) return MM_ERR_NOMEM;
  mm_status req = mm_required_each(p, s, each, ctx, e);
  mm_scorer_free(s);
  return req != MM_OK ? req : st;
}
