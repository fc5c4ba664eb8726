/* jsonl_writer.c: pairings, meetings and left-out people as one JSON object per line.
 *
 * The objects carry the same facts as pairings.csv, meetings.csv and
 * unmatched.csv, with the same formatting helpers (scores as exact 4-place
 * decimals, ISO 8601 times with offsets), so a pipeline reading the stream
 * and an analyst reading the files never see two versions of one value.
 */
#include "jsonl_writer.h"

#include "json_text.h"
#include "results_writer.h"
#include "summary_writer.h"
#include "tzdb.h"

#include <stdlib.h>
#include <string.h>

static const char *const criterion_names[MM_CRITERIA] = {"skills", "goals", "timezone", "diversity"};

static void key_string(FILE *f, const char *key, const char *value) {
  fprintf(f, ",\"%s\":", key);
  io_json_string(f, value);
}

static void key_score(FILE *f, const char *key, int64_t units) {
  char buf[48];
  io_format_score(units, buf, sizeof buf);
  fprintf(f, ",\"%s\":%s", key, buf);
}

/* Walks the left-out list's unscheduled entries, which come last and in
 * pair order, alongside the pairs: the reason of pair k, or NULL. */
static const char *unscheduled_reason(const mm_result *r, size_t *cursor, size_t pair) {
  size_t n = mm_result_left_out_count(r);
  while (*cursor < n) {
    const mm_left_out *l = mm_result_left_out(r, *cursor);
    if (l->kind == MM_LEFT_UNSCHEDULED && l->index >= pair) return l->index == pair ? l->reason : NULL;
    (*cursor)++;
  }
  return NULL;
}

static void write_slot(FILE *f, const mm_problem *p, const mm_result *r, const mm_pair *pr, int length) {
  char buf[64];
  io_slot_text(pr->slot_weekday, pr->slot_minute, length, buf, sizeof buf);
  key_string(f, "mentor_slot", buf);
  key_string(f, "mentor_timezone", mm_problem_person_zone(p, MM_MENTOR, pr->mentor));
  io_slot_text(pr->mentee_weekday, pr->mentee_minute, length, buf, sizeof buf);
  key_string(f, "mentee_slot", buf);
  key_string(f, "mentee_timezone", mm_problem_person_zone(p, MM_MENTEE, pr->mentee));
  key_string(f, "cadence", io_cadence_text(pr->interval_weeks));
  key_string(f, "first_meeting_utc",
             io_format_utc(mm_result_occurrence(r, pr->first_occurrence)->start_utc, buf, sizeof buf));
}

/* Returns 0 when memory is short (for a note). */
static int write_pairing(FILE *f, const io_names *n, const mm_result *r, size_t k, int length,
                         const char *reason) {
  int nomem = 0;
  const mm_pair *pr = mm_result_pair(r, k);
  fputs("{\"type\":\"pairing\"", f);
  key_string(f, "mentee_id", io_mentee_id(n, pr->mentee));
  key_string(f, "mentor_id", io_mentor_id(n, pr->mentor));
  key_score(f, "score", pr->score);
  const mm_problem *p = n->p;
  if (p) {
    fputs(",\"parts\":{", f);
    for (int c = 0; c < MM_CRITERIA; c++) {
      char buf[48];
      io_format_score(pr->part[c], buf, sizeof buf);
      fprintf(f, "%s\"%s\":%s", c ? "," : "", criterion_names[c], buf);
    }
    fputc('}', f);
    key_string(f, "mentee_name", mm_problem_person_name(p, MM_MENTEE, pr->mentee));
    key_string(f, "mentor_name", mm_problem_person_name(p, MM_MENTOR, pr->mentor));
    fprintf(f, ",\"required\":%s,\"scheduled\":%s", pr->required ? "true" : "false",
            pr->scheduled ? "true" : "false");
    if (pr->scheduled) write_slot(f, p, r, pr, length);
    if (reason) key_string(f, "unscheduled_reason", reason);
    fprintf(f, ",\"rank\":%u", pr->rank);
    char *note = mm_pair_note(p, pr, &nomem);
    if (note) key_string(f, "note", note);
    free(note);
  }
  fputs("}\n", f);
  return !nomem;
}

static void write_meetings(FILE *f, const mm_problem *p, const mm_result *r, const mm_pair *pr) {
  size_t n_occ = mm_result_occurrence_count(r);
  for (size_t x = 0; x < pr->n_occurrences && pr->first_occurrence + x < n_occ; x++) {
    const mm_occurrence *o = mm_result_occurrence(r, pr->first_occurrence + x);
    char buf[64];
    fputs("{\"type\":\"meeting\"", f);
    key_string(f, "mentee_id", mm_problem_person_id(p, MM_MENTEE, pr->mentee));
    key_string(f, "mentor_id", mm_problem_person_id(p, MM_MENTOR, pr->mentor));
    fprintf(f, ",\"occurrence\":%d", o->index + 1);
    key_string(f, "start_utc", io_format_utc(o->start_utc, buf, sizeof buf));
    key_string(f, "end_utc", io_format_utc(o->end_utc, buf, sizeof buf));
    key_string(f, "mentor_local_start", io_format_local(o->start_utc, o->mentor_offset_s, buf, sizeof buf));
    key_string(f, "mentee_local_start", io_format_local(o->start_utc, o->mentee_offset_s, buf, sizeof buf));
    key_string(f, "kind", o->kind == MM_KIND_CHECKPOINT ? "checkpoint" : "meeting");
    key_string(f, "format", o->in_person ? "in-person" : "video");
    fputs("}\n", f);
  }
}

static void write_unmatched(FILE *f, const io_names *n, const mm_left_out *l) {
  int mentee = l->side == MM_MENTEE;
  fputs("{\"type\":\"unmatched\"", f);
  key_string(f, "role", mentee ? "mentee" : "mentor");
  key_string(f, "id", mentee ? io_mentee_id(n, l->index) : io_mentor_id(n, l->index));
  if (n->p) key_string(f, "name", mm_problem_person_name(n->p, l->side, l->index));
  key_string(f, "reason", l->reason);
  fputs("}\n", f);
}

mm_status io_write_jsonl(FILE *f, const io_names *n, const mm_result *r, mm_error *e) {
  int length = io_meeting_minutes(r);
  size_t cursor = 0;
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const char *reason = n->p && !mm_result_pair(r, k)->scheduled ? unscheduled_reason(r, &cursor, k) : NULL;
    if (!write_pairing(f, n, r, k, length, reason)) {
      mm_error_set(e, NULL, "out of memory writing a note");
      return MM_ERR_NOMEM;
    }
  }
  for (size_t k = 0; n->p && k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (pr->scheduled) write_meetings(f, n->p, r, pr);
  }
  for (size_t k = 0; k < mm_result_left_out_count(r); k++) {
    const mm_left_out *l = mm_result_left_out(r, k);
    if (l->kind == MM_LEFT_UNMATCHED) write_unmatched(f, n, l);
  }
  if (fflush(f) != 0 || ferror(f)) {
    mm_error_set(e, NULL, "cannot write JSON lines to standard output");
    mm_error_locate(e, "<stdout>", 0, 0);
    return MM_ERR_IO;
  }
  return MM_OK;
}
