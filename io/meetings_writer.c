/* meetings_writer.c: writes meetings.csv from a result's scheduled occurrences.
 *
 * The engine hands over occurrences as UTC instants with both people's
 * offsets at the start; this file only formats them (ISO 8601, local times
 * with their offsets so a reader never needs a zone database) and names the
 * people.  It holds no scheduling logic: meetings.ics is written from the
 * same occurrences, and tests/tools/check_meetings.py re-checks both.
 */
#include "meetings_writer.h"

#include "csv_writer.h"
#include "tzdb.h"

mm_status io_write_meetings_csv(FILE *f, const mm_problem *p, const mm_result *r, mm_error *e) {
  static const char *const header[] = {"mentee_id",  "mentor_id",          "occurrence",
                                       "start_utc",  "end_utc",            "mentor_local_start",
                                       "mentee_local_start", "kind",       "format"};
  io_csv_writer w;
  io_csv_writer_init(&w, f, "meetings.csv");
  for (size_t k = 0; k < sizeof header / sizeof *header; k++) io_csv_write_text(&w, header[k]);
  mm_status st = io_csv_end_record(&w, e);
  size_t n_occ = mm_result_occurrence_count(r);
  for (size_t k = 0; k < mm_result_pair_count(r) && st == MM_OK; k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (!pr->scheduled) continue;
    const char *mentee = mm_problem_person_id(p, MM_MENTEE, pr->mentee);
    const char *mentor = mm_problem_person_id(p, MM_MENTOR, pr->mentor);
    for (size_t x = 0; x < pr->n_occurrences && st == MM_OK; x++) {
      if (pr->first_occurrence + x >= n_occ) break;
      const mm_occurrence *o = mm_result_occurrence(r, pr->first_occurrence + x);
      char buf[64];
      io_csv_write_text(&w, mentee);
      io_csv_write_text(&w, mentor);
      io_csv_write_int(&w, o->index + 1);
      io_csv_write_text(&w, io_format_utc(o->start_utc, buf, sizeof buf));
      io_csv_write_text(&w, io_format_utc(o->end_utc, buf, sizeof buf));
      io_csv_write_text(&w, io_format_local(o->start_utc, o->mentor_offset_s, buf, sizeof buf));
      io_csv_write_text(&w, io_format_local(o->start_utc, o->mentee_offset_s, buf, sizeof buf));
      io_csv_write_text(&w, o->kind == MM_KIND_CHECKPOINT ? "checkpoint" : "meeting");
      io_csv_write_text(&w, o->in_person ? "in-person" : "video");
      st = io_csv_end_record(&w, e);
    }
  }
  mm_status fin = io_csv_writer_finish(&w, st == MM_OK ? e : NULL);
  return st != MM_OK ? st : fin;
}
