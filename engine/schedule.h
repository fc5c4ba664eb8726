/* schedule.h: first-meeting scheduling of matched pairs (engine/schedule.c).
 *
 * The last phase of mm_match: every matched pair gets a recurring slot in
 * the mentor's local week and the listed occurrences of its series (first
 * meetings and checkpoints), with nobody booked twice at once.
 */
#ifndef MM_SCHEDULE_H
#define MM_SCHEDULE_H

#include "internal.h"

/* Schedules pairs[0..n_pairs) (mentee and mentor filled; sorted by mentee).
 *
 * Fills each pair's slot fields (scheduled, interval_weeks, slot_weekday,
 * slot_minute, mentee_weekday, mentee_minute, first_occurrence,
 * n_occurrences) and returns in *occ_out a malloc'd array of every listed
 * occurrence, grouped by pair in pair order and sorted by time within a pair;
 * the caller frees it with free().  A pair that cannot be scheduled gets
 * scheduled = 0, n_occurrences = 0 and a sentence in reasons[k] (reasons may
 * be NULL).  Deterministic: the same problem and pairs give the same output.
 * MM_ERR_NOMEM (e filled, nothing returned) when memory is short.
 *
 * Rules: a slot comes from mm_frame_pair_starts, so each occurrence lies in
 * both people's availability; it is checked again quarter by quarter on its
 * actual date.  The first occurrence is on or after the start date in both
 * local calendars.  A person (matched by id across both sides) is never in
 * two meetings at once, counted over every occurrence of each series up to
 * its last listed one.  Among valid slots the earliest first date wins, then
 * the slot farthest from the edges of both availability windows, then one
 * whose local time stays the same for both people, then the earliest time.
 * Pairs are placed busiest mentor first, then by mentor and mentee index.
 * Comfort can cost room (a meeting centred in a window leaves two short
 * gaps), so a group of pairs linked through people that leaves someone out
 * for lack of free time is placed again in packing mode (fewest candidate
 * slots first, earliest time), and whichever places more pairs is kept.
 *
 * Not thread safe on the same pairs array; reads p only. */
mm_status mm_schedule_pairs(const mm_problem *p, mm_pair *pairs, size_t n_pairs,
                            mm_occurrence **occ_out, size_t *n_occ_out, char (*reasons)[256],
                            mm_error *e);

#endif
