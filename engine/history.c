/* history.c: earlier cohorts' pairs and running pairs kept with their meeting slots.
 *
 * Programs run in cohorts: a new matching must not repeat last cohort's
 * pairs (or should prefer not to), and newcomers often join a program whose
 * pairs are already meeting.  Earlier pairs are stored here and become
 * exclusions (forbidden) or a score penalty in the scorer (score.c); kept
 * pairs become require rules plus, when their slot is known, a pin that the
 * scheduler honours (schedule.c), so a running pair keeps its weekday and
 * time exactly.
 */
#include "internal.h"

#include <stdlib.h>

mm_status mm_problem_add_previous(mm_problem *p, size_t mentee, size_t mentor, long source_line,
                                  mm_error *e) {
  if (mentee >= p->side[MM_MENTEE].n || mentor >= p->side[MM_MENTOR].n) {
    mm_error_set(e, NULL, "earlier pair refers to a person who is not in the rosters");
    return MM_ERR_INVALID;
  }
  if (p->n_previous == p->previous_alloc) {
    size_t n = p->previous_alloc ? 2 * p->previous_alloc : 64;
    mm_pair_rule *grown = realloc(p->previous, n * sizeof *grown);
    if (!grown) {
      mm_error_set(e, NULL, "out of memory adding an earlier pair");
      return MM_ERR_NOMEM;
    }
    p->previous = grown;
    p->previous_alloc = n;
  }
  p->previous[p->n_previous++] = (mm_pair_rule){(uint32_t)mentee, (uint32_t)mentor, MM_RULE_FORBID, source_line, 0};
  return MM_OK;
}

mm_status mm_problem_add_kept(mm_problem *p, size_t mentee, size_t mentor, const mm_slot_pin *pin,
                              long source_line, mm_error *e) {
  if (pin && (pin->weekday < 0 || pin->weekday > 6 || pin->minute < 0 || pin->minute >= 24 * 60 ||
              pin->minute % MM_SLOT_MINUTES)) {
    mm_error_set(e, "mentor_slot", "expected a weekday and a time on a 15-minute step");
    return MM_ERR_INVALID;
  }
  mm_status st = mm_problem_add_rule_from(p, mentee, mentor, MM_RULE_REQUIRE, source_line, 1, e);
  if (st != MM_OK) return st;
  if (!pin) return MM_OK;
  size_t n = p->side[MM_MENTEE].n;
  if (p->pin_n < n) {
    int32_t *grown = realloc(p->pin_slot, n * sizeof *grown);
    if (!grown) {
      mm_error_set(e, NULL, "out of memory keeping a pair's slot");
      return MM_ERR_NOMEM;
    }
    for (size_t i = p->pin_n; i < n; i++) grown[i] = -1;
    p->pin_slot = grown;
    p->pin_n = n;
  }
  p->pin_slot[mentee] = pin->weekday * MM_SLOTS_PER_DAY + pin->minute / MM_SLOT_MINUTES;
  return MM_OK;
}

int32_t mm_problem_pin(const mm_problem *p, size_t mentee) {
  return mentee < p->pin_n ? p->pin_slot[mentee] : -1;
}
