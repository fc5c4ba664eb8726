/* rules_slots.h: the program rules held together with everyone's calendar (engine/rules_slots.c).
 *
 * The rules program (rules.h) decides pairs; a mentor's week may not hold
 * all the mentees it is given.  Weekly starts for every pair would make the
 * program far larger than it needs to be, since most people's weeks are
 * roomy.  So the calendar comes in lazily: the rules program is solved,
 * its assignment scheduled (with the starts the program chose as hints),
 * and the people of every pair that found no slot become "tight": from then
 * on every pair touching them carries its weekly starts and clash rows in
 * the program (mm_rules_slots).  Constraints for some people only keep the
 * program a relaxation of matching with calendars, so its bound stays
 * valid; once the schedule places every pair the answer is also optimal
 * with calendars.  The tight set only grows, so this ends.
 */
#ifndef MM_RULES_SLOTS_H
#define MM_RULES_SLOTS_H

#include "rules.h"
#include "schedule.h"

typedef struct mm_rules_calendar mm_rules_calendar;

/* A calendar for p with nobody tight; borrows p.  NULL with e filled when
 * memory is short.  Free with mm_rules_calendar_free (NULL allowed). */
mm_rules_calendar *mm_rules_calendar_create(const mm_problem *p, mm_error *e);
void mm_rules_calendar_free(mm_rules_calendar *rc);

/* The calendar columns of the pairs of g (and the fixed pairs) that touch a
 * tight person, for mm_rules_input.slots; NULL in *out when nobody is tight.
 * The view stays valid until the next call or the free. */
mm_status mm_rules_calendar_columns(mm_rules_calendar *rc, const mm_graph *g, const int64_t *fixed,
                                    const mm_rules_slots **out, mm_error *e);

/* Schedules the assignment mentor_of (per mentee, fixed pairs included),
 * at the starts the last program chose where it chose one.  slot_of (per
 * mentee) receives each pair's slot (quarter -1 when none); the people of
 * the pairs left without one become tight.  *unplaced counts those pairs,
 * *new_tight the people who were not tight before. */
mm_status mm_rules_calendar_check(mm_rules_calendar *rc, const int64_t *mentor_of, mm_slot *slot_of,
                                  size_t *unplaced, size_t *new_tight, mm_error *e);

/* People marked tight so far, and the calendar columns of the last program. */
size_t mm_rules_calendar_tight(const mm_rules_calendar *rc);
size_t mm_rules_calendar_column_count(const mm_rules_calendar *rc);

#endif
