/* results_writer.h: pairings.csv, unmatched.csv and unscheduled.csv from a result. */
#ifndef MM_IO_RESULTS_WRITER_H
#define MM_IO_RESULTS_WRITER_H

#include "mentormatch.h"

#include <stdio.h>

/* Who the indices of a result are.  Match mode names people through the
 * problem; pipeline mode (p == NULL) through plain id arrays. */
typedef struct {
  const mm_problem *p;
  const char *const *mentee_ids;
  const char *const *mentor_ids;
} io_names;

const char *io_mentee_id(const io_names *n, size_t i);
const char *io_mentor_id(const io_names *n, size_t j);

/* pairings.csv: mentee_id,mentor_id,score first; in match mode also each
 * criterion's part, both names, whether a rule required the pair, and the
 * recurring slot in each person's zone.  name labels errors. */
mm_status io_write_pairings(FILE *f, const char *name, const io_names *n, const mm_result *r,
                            mm_error *e);

/* unmatched.csv: mentee_id,reason,mentor_id,role,name: one row per person
 * left without a partner (mentors with mentee_id empty). */
mm_status io_write_unmatched(FILE *f, const char *name, const io_names *n, const mm_result *r,
                             mm_error *e);

/* unscheduled.csv: mentee_id,mentor_id,reason for matched pairs without a slot. */
mm_status io_write_unscheduled(FILE *f, const char *name, const io_names *n, const mm_result *r,
                               mm_error *e);

/* Counts of the result's left-out list: unmatched mentees, mentors without a
 * mentee, unscheduled pairs. */
void io_left_out_counts(const mm_result *r, size_t *mentees, size_t *mentors, size_t *unscheduled);

/* "Mon 09:00-10:00": a weekly slot of length minutes. */
void io_slot_text(int weekday, int minute, int length, char *buf, size_t size);

/* The meeting length of a result's occurrences in minutes (60 when no pair
 * has a meeting). */
int io_meeting_minutes(const mm_result *r);

/* "weekly", "biweekly" or "monthly" for a pair's interval in weeks. */
const char *io_cadence_text(int interval_weeks);

#endif
