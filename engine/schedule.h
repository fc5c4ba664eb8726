/* schedule.h: first-meeting scheduling of matched pairs (engine/schedule.c).
 *
 * A weekly start (mm_slot) is a mentor-local date and quarter hour: the
 * first occurrence of a series repeated every 1, 2 or 4 weeks.  A slotter
 * knows the rules a series must meet (inside both people's availability on
 * every listed real date, first date on or after the start in both local
 * calendars) and each person's diary rules (one diary per person by id or
 * e-mail, --buffer-minutes between meetings).  The joint model (joint.c)
 * reads a pair's valid starts and their busy time from it; the scheduler
 * below places a list of pairs with it.
 */
#ifndef MM_SCHEDULE_H
#define MM_SCHEDULE_H

#include "internal.h"

typedef struct {
  int64_t first_day; /* mentor-local date of occurrence 0, days since 1970 */
  int quarter;       /* mentor-local quarter of the day; -1 = no slot */
} mm_slot;

/* Occurrences of a series that count as busy time: 0 .. last listed. */
#define MM_MAX_SERIES 64

typedef struct mm_slotter mm_slotter;

/* A slotter for p, reading people (borrowed; must outlive the slotter).
 * NULL with e filled when memory is short or the options list more than
 * MM_MAX_SERIES occurrences.  Free with mm_slotter_free (NULL allowed).
 * Not thread safe: one slotter per thread. */
mm_slotter *mm_slotter_create(const mm_problem *p, const mm_people *people, mm_error *e);
void mm_slotter_free(mm_slotter *s);

/* on: mm_schedule_pairs places each group at its hints first and keeps
 * that placement when it holds every pair of the group (the hints are the
 * slots a stable or rules answer was decided with); off (the default): the
 * hints are the last resort described there. */
void mm_slotter_hints_first(mm_slotter *s, int on);

/* Every valid weekly start of the pair, ignoring other meetings, in the
 * order the scheduler prefers them date by date; out needs room for
 * MM_SLOTS_PER_WEEK entries.  Returns how many. */
size_t mm_slotter_options(mm_slotter *s, size_t mentee, size_t mentor, mm_slot *out);

/* Calls visit(ctx, slot) on the pair's valid weekly starts in
 * mm_slotter_options' order until it returns nonzero; returns that value,
 * or 0 when every start was visited.  visit may call mm_slotter_span on
 * the same slotter (it plans the date being visited).  check (may be NULL)
 * sees each candidate start first, as the instant its first occurrence
 * begins and the seconds each occurrence keeps busy; a start it returns 0
 * for is skipped unvisited (a cheap test that rules a start out, e.g. a
 * clash of the first occurrence). */
typedef int (*mm_slot_visit)(void *ctx, mm_slot slot);
typedef int (*mm_slot_check)(void *ctx, int64_t first_start, int64_t busy_s);
int mm_slotter_each_option(mm_slotter *s, size_t mentee, size_t mentor, mm_slot_check check, mm_slot_visit visit,
                           void *ctx);

/* The busy time of a series: starts[0..n) of occurrences 0 .. last listed
 * (n returned; 0 when the slot does not exist), each busy for *busy_s
 * seconds (the meeting plus the buffer, so two meetings of one person
 * conflict exactly when their busy intervals overlap). */
int mm_slotter_span(mm_slotter *s, size_t mentor, mm_slot slot, int64_t *starts, int64_t *busy_s);

/* Schedules pairs[0..n_pairs) (mentee and mentor filled; sorted by mentee).
 *
 * Fills each pair's slot fields (scheduled, interval_weeks, slot_weekday,
 * slot_minute, mentee_weekday, mentee_minute, first_occurrence,
 * n_occurrences) and returns in *occ_out a malloc'd array of every listed
 * occurrence, grouped by pair in pair order and sorted by time within a pair;
 * the caller frees it with free().  A pair that cannot be scheduled gets
 * scheduled = 0, n_occurrences = 0 and a sentence in reasons[k] (reasons may
 * be NULL).  chosen (may be NULL) receives each pair's slot, quarter -1 when
 * none.  Deterministic: the same problem and pairs give the same output.
 * MM_ERR_NOMEM (e filled, nothing returned) when memory is short.
 *
 * Rules: a slot comes from mm_frame_pair_starts, so each occurrence lies in
 * both people's availability; it is checked again quarter by quarter on its
 * actual date.  The first occurrence is on or after the start date in both
 * local calendars.  A person (rows joined by id or e-mail, see people.c) is
 * never in two meetings at once, nor closer than the buffer, counted over
 * every occurrence of each series up to its last listed one.  Among valid
 * slots the earliest first date wins, then the slot farthest from the edges
 * of both availability windows, then one whose local time stays the same for
 * both people, then the earliest time.  Pairs are placed busiest mentor
 * first, then by mentor and mentee index.  Comfort can cost room (a meeting
 * centred in a window leaves two short gaps), so a group of pairs linked
 * through people that leaves someone out for lack of free time is placed
 * again in packing mode (fewest candidate slots first, earliest time), and,
 * when hint is given (per pair, quarter -1 = none; the hinted slots must fit
 * together, as the joint model's do), once more at the hinted slots (pairs
 * without a hint after them, placed as usual); the
 * placement that schedules the most pairs wins, in that order on ties.
 * A group whose very pairs the previous call on the same slotter placed
 * whole with the comfort preferences gets those slots again without a
 * search (the same choice; the calendar fit's first schedule makes that
 * call for the schedule phase), unless mm_slotter_hints_first is on.
 *
 * Not thread safe on the same pairs array or slotter. */
mm_status mm_schedule_pairs(mm_slotter *s, mm_pair *pairs, size_t n_pairs, const mm_slot *hint,
                            mm_slot *chosen, mm_occurrence **occ_out, size_t *n_occ_out,
                            char (*reasons)[256], mm_error *e);

#endif
