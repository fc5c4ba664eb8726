/* results_writer.c: writes who was paired, who was left out and why, as CSV.
 *
 * These files are what an HR analyst opens first and what pipelines parse,
 * so their first columns are fixed by the command-line contract
 * (mentee_id,mentor_id,score / mentee_id,reason) and everything else comes
 * after.  All cells go through io/csv_writer for quoting and formula
 * neutralisation.
 */
#include "results_writer.h"

#include "csv_writer.h"
#include "tzdb.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const day_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

const char *io_mentee_id(const io_names *n, size_t i) {
  return n->p ? mm_problem_person_id(n->p, MM_MENTEE, i) : n->mentee_ids[i];
}

const char *io_mentor_id(const io_names *n, size_t j) {
  return n->p ? mm_problem_person_id(n->p, MM_MENTOR, j) : n->mentor_ids[j];
}

/* "09:00" for a minute of the day (0 .. 5999) at d. */
static char *clock_text(char *d, int minute) {
  int h = minute / 60, m = minute % 60;
  d[0] = (char)('0' + h / 10);
  d[1] = (char)('0' + h % 10);
  d[2] = ':';
  d[3] = (char)('0' + m / 10);
  d[4] = (char)('0' + m % 10);
  return d + 5;
}

void io_slot_text(int weekday, int minute, int length, char *buf, size_t size) {
  int end = minute + length;
  const char *day = day_names[((weekday % 7) + 7) % 7];
  if (minute < 0 || minute >= 6000 || end < 0 || size < 16) {
    snprintf(buf, size, "%s %02d:%02d-%02d:%02d", day, minute / 60, minute % 60, (end / 60) % 25, end % 60);
    return;
  }
  memcpy(buf, day, 3);
  buf[3] = ' ';
  char *d = clock_text(buf + 4, minute);
  *d++ = '-';
  /* Past midnight the end is the next day's clock time (23:45-00:45); a
   * meeting ending at midnight ends at 24:00, as availability writes it. */
  d = clock_text(d, end > 24 * 60 ? end - 24 * 60 : end);
  *d = '\0';
}

int io_meeting_minutes(const mm_result *r) {
  /* The meeting length is fixed per run; read it back from the first
   * scheduled pair's occurrence. */
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (pr->scheduled && pr->n_occurrences) {
      const mm_occurrence *o = mm_result_occurrence(r, pr->first_occurrence);
      return (int)((o->end_utc - o->start_utc) / 60);
    }
  }
  return 60;
}

const char *io_cadence_text(int interval_weeks) {
  return interval_weeks == 4 ? "monthly" : interval_weeks == 2 ? "biweekly" : "weekly";
}

/* Why this mentor: the rank among the mentee's eligible mentors, and the
 * engine's note (mm_pair_note).  0 when memory is short. */
static int write_rank_and_note(io_csv_writer *w, const io_names *n, const mm_pair *pr) {
  io_csv_write_int(w, pr->rank);
  int nomem;
  char *note = mm_pair_note(n->p, pr, &nomem);
  io_csv_write_text(w, note ? note : "");
  free(note);
  return !nomem;
}

mm_status io_write_pairings(FILE *f, const char *name, const io_names *n, const mm_result *r,
                            mm_error *e) {
  io_csv_writer w;
  io_csv_writer_init(&w, f, name);
  static const char *const match_header[] = {
      "mentee_id", "mentor_id", "score", "skills", "goals", "timezone", "diversity", "mentee_name",
      "mentor_name", "required", "mentor_slot", "mentor_timezone", "mentee_slot", "mentee_timezone",
      "cadence", "first_meeting_utc", "rank", "note"};
  size_t cols = n->p ? sizeof match_header / sizeof *match_header : 3;
  for (size_t k = 0; k < cols; k++) io_csv_write_text(&w, match_header[k]);
  mm_status st = io_csv_end_record(&w, e);
  int length = io_meeting_minutes(r);
  for (size_t k = 0; st == MM_OK && k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    io_csv_write_text(&w, io_mentee_id(n, pr->mentee));
    io_csv_write_text(&w, io_mentor_id(n, pr->mentor));
    io_csv_write_score(&w, pr->score);
    if (n->p) {
      for (int c = 0; c < MM_CRITERIA; c++) io_csv_write_score(&w, pr->part[c]);
      io_csv_write_text(&w, mm_problem_person_name(n->p, MM_MENTEE, pr->mentee));
      io_csv_write_text(&w, mm_problem_person_name(n->p, MM_MENTOR, pr->mentor));
      io_csv_write_text(&w, pr->required == 2 ? "kept" : pr->required ? "yes" : "no");
      char buf[64];
      if (pr->scheduled) {
        io_slot_text(pr->slot_weekday, pr->slot_minute, length, buf, sizeof buf);
        io_csv_write_text(&w, buf);
        io_csv_write_text(&w, mm_problem_person_zone(n->p, MM_MENTOR, pr->mentor));
        io_slot_text(pr->mentee_weekday, pr->mentee_minute, length, buf, sizeof buf);
        io_csv_write_text(&w, buf);
        io_csv_write_text(&w, mm_problem_person_zone(n->p, MM_MENTEE, pr->mentee));
        io_csv_write_text(&w, io_cadence_text(pr->interval_weeks));
        io_csv_write_text(&w, io_format_utc(mm_result_occurrence(r, pr->first_occurrence)->start_utc, buf, sizeof buf));
      } else {
        for (int c = 0; c < 6; c++) io_csv_write_text(&w, "");
      }
      if (!write_rank_and_note(&w, n, pr)) {
        mm_error_set(e, NULL, "out of memory writing a note");
        return MM_ERR_NOMEM;
      }
    }
    st = io_csv_end_record(&w, e);
  }
  return st == MM_OK ? io_csv_writer_finish(&w, e) : st;
}

mm_status io_write_unmatched(FILE *f, const char *name, const io_names *n, const mm_result *r,
                             mm_error *e) {
  io_csv_writer w;
  io_csv_writer_init(&w, f, name);
  static const char *const header[] = {"mentee_id", "reason", "mentor_id", "role", "name"};
  for (size_t k = 0; k < 5; k++) io_csv_write_text(&w, header[k]);
  mm_status st = io_csv_end_record(&w, e);
  for (size_t k = 0; st == MM_OK && k < mm_result_left_out_count(r); k++) {
    const mm_left_out *l = mm_result_left_out(r, k);
    if (l->kind != MM_LEFT_UNMATCHED) continue;
    bool mentee = l->side == MM_MENTEE;
    io_csv_write_text(&w, mentee ? io_mentee_id(n, l->index) : "");
    io_csv_write_text(&w, l->reason);
    io_csv_write_text(&w, mentee ? "" : io_mentor_id(n, l->index));
    io_csv_write_text(&w, mentee ? "mentee" : "mentor");
    io_csv_write_text(&w, n->p ? mm_problem_person_name(n->p, l->side, l->index) : "");
    st = io_csv_end_record(&w, e);
  }
  return st == MM_OK ? io_csv_writer_finish(&w, e) : st;
}

mm_status io_write_unscheduled(FILE *f, const char *name, const io_names *n, const mm_result *r,
                               mm_error *e) {
  io_csv_writer w;
  io_csv_writer_init(&w, f, name);
  io_csv_write_text(&w, "mentee_id");
  io_csv_write_text(&w, "mentor_id");
  io_csv_write_text(&w, "reason");
  mm_status st = io_csv_end_record(&w, e);
  for (size_t k = 0; st == MM_OK && k < mm_result_left_out_count(r); k++) {
    const mm_left_out *l = mm_result_left_out(r, k);
    if (l->kind != MM_LEFT_UNSCHEDULED) continue;
    const mm_pair *pr = mm_result_pair(r, l->index);
    io_csv_write_text(&w, io_mentee_id(n, pr->mentee));
    io_csv_write_text(&w, io_mentor_id(n, pr->mentor));
    io_csv_write_text(&w, l->reason);
    st = io_csv_end_record(&w, e);
  }
  return st == MM_OK ? io_csv_writer_finish(&w, e) : st;
}

void io_left_out_counts(const mm_result *r, size_t *mentees, size_t *mentors, size_t *unscheduled) {
  *mentees = *mentors = *unscheduled = 0;
  for (size_t k = 0; k < mm_result_left_out_count(r); k++) {
    const mm_left_out *l = mm_result_left_out(r, k);
    if (l->kind == MM_LEFT_UNSCHEDULED) {
      (*unscheduled)++;
    } else if (l->side == MM_MENTEE) {
      (*mentees)++;
    } else {
      (*mentors)++;
    }
  }
}
