/* report_writer.c: the run's data as JSON inside the report page.
 *
 * The page's script does the drawing, so the work here is to hand it every
 * fact compactly: people as [id, name, zone, location], pairs as arrays of
 * numbers indexing them (scores in exact units of 1e-4, the first meeting as
 * a UTC second with both offsets), left-out people with their reason.  At
 * 100,000 pairs that is about 10 MB, which a browser parses in well under a
 * second; the table then draws one page of rows at a time.  Strings go
 * through io_json_string, which also keeps "</script>" out of the data.
 */
#include "report_writer.h"

#include "json_text.h"
#include "results_writer.h"

#include <inttypes.h>
#include <string.h>

/* The page, from io/report_page.html (generated report_page.c). */
extern const char io_report_page[];
extern const size_t io_report_page_len;

static const char data_marker[] = "@MM_DATA@";

static void write_people(io_wbuf *b, const mm_problem *p, mm_side side) {
  io_wbuf_putc(b, '[');
  for (size_t k = 0; k < mm_problem_count(p, side); k++) {
    io_wbuf_puts(b, k ? ",\n[" : "[");
    io_json_string_buf(b, mm_problem_person_id(p, side, k));
    io_wbuf_putc(b, ',');
    io_json_string_buf(b, mm_problem_person_name(p, side, k));
    io_wbuf_putc(b, ',');
    io_json_string_buf(b, mm_problem_person_zone(p, side, k));
    io_wbuf_putc(b, ',');
    io_json_string_buf(b, mm_problem_person_location(p, side, k));
    io_wbuf_putc(b, ']');
  }
  io_wbuf_putc(b, ']');
}

/* Numbers as a JSON array's items, each followed by a comma. */
static void put_numbers(io_wbuf *b, const int64_t *v, size_t n) {
  for (size_t k = 0; k < n; k++) {
    io_wbuf_i64(b, v[k]);
    io_wbuf_putc(b, ',');
  }
}

static void write_pairs(io_wbuf *b, const mm_result *r) {
  io_wbuf_putc(b, '[');
  for (size_t k = 0; k < mm_result_pair_count(r); k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    io_wbuf_puts(b, k ? ",\n[" : "[");
    int64_t head[7] = {(int64_t)pr->mentee, (int64_t)pr->mentor, pr->score, pr->part[0], pr->part[1],
                       pr->part[2], pr->part[3]};
    put_numbers(b, head, 7);
    if (pr->scheduled && pr->n_occurrences) {
      const mm_occurrence *o = mm_result_occurrence(r, pr->first_occurrence);
      int64_t first[3] = {o->start_utc, (int)o->mentor_offset_s, (int)o->mentee_offset_s};
      put_numbers(b, first, 3);
      io_wbuf_put(b, "1]", 2);
    } else {
      io_wbuf_puts(b, "0,0,0,0]");
    }
  }
  io_wbuf_putc(b, ']');
}

/* "left": [side, index, reason] per unmatched person (side 1 = mentee);
 * "unscheduled": [pair, reason] per pair without a slot. */
static void write_left_out(io_wbuf *b, const mm_result *r) {
  const char *sep[2] = {"", ""};
  io_wbuf_puts(b, ",\"left\":[");
  for (size_t k = 0; k < mm_result_left_out_count(r); k++) {
    const mm_left_out *l = mm_result_left_out(r, k);
    if (l->kind != MM_LEFT_UNMATCHED) continue;
    io_wbuf_puts(b, sep[0]);
    io_wbuf_puts(b, l->side == MM_MENTEE ? "[1," : "[0,");
    io_wbuf_u64(b, l->index, 0);
    io_wbuf_putc(b, ',');
    io_json_string_buf(b, l->reason);
    io_wbuf_putc(b, ']');
    sep[0] = ",\n";
  }
  io_wbuf_puts(b, "],\"unscheduled\":[");
  for (size_t k = 0; k < mm_result_left_out_count(r); k++) {
    const mm_left_out *l = mm_result_left_out(r, k);
    if (l->kind != MM_LEFT_UNSCHEDULED) continue;
    io_wbuf_puts(b, sep[1]);
    io_wbuf_putc(b, '[');
    io_wbuf_u64(b, l->index, 0);
    io_wbuf_putc(b, ',');
    io_json_string_buf(b, l->reason);
    io_wbuf_putc(b, ']');
    sep[1] = ",\n";
  }
  io_wbuf_putc(b, ']');
}

static void write_summary(FILE *f, const mm_result *r, const io_run_info *info) {
  const mm_summary *s = mm_result_summary(r);
  const mm_options *o = info->options;
  size_t left_mentees, left_mentors, unscheduled;
  io_left_out_counts(r, &left_mentees, &left_mentors, &unscheduled);
  fprintf(f, "\"summary\":{\"mentees\":%zu,\"mentors\":%zu,\"matched\":%zu,\"unmatched_mentees\":%zu,"
             "\"mentors_without_mentee\":%zu,\"total_score\":%" PRId64 ",\"bound\":",
          s->mentees, s->mentors, s->matched, left_mentees, left_mentors, s->total_score);
  if (s->bound >= 0 || strcmp(s->status, "optimal") == 0) {
    fprintf(f, "%" PRId64, s->bound);
  } else {
    fputs("null", f);
  }
  fputs(",\"status\":", f);
  io_json_string(f, s->status);
  fputs(",\"solver\":", f);
  io_json_string(f, s->solver);
  fputs(",\"proof\":", f);
  io_json_string(f, s->proof);
  fprintf(f, ",\"start\":\"%04d-%02d-%02d\",\"meeting_minutes\":%d,\"cadence\":\"%s\",\"weights\":[%g,%g,%g,%g]}",
          o->start_year, o->start_month, o->start_day, o->meeting_minutes,
          io_cadence_text(o->cadence == MM_CADENCE_MONTHLY ? 4 : o->cadence == MM_CADENCE_BIWEEKLY ? 2 : 1),
          o->weight[0], o->weight[1], o->weight[2], o->weight[3]);
}

mm_status io_write_report(FILE *f, const char *name, const mm_problem *p, const mm_result *r,
                          const io_run_info *info, mm_error *e) {
  const char *marker = strstr(io_report_page, data_marker);
  if (!marker || !info->options) {
    mm_error_set(e, NULL, "the report page has no data marker or the run no options");
    mm_error_locate(e, name, 0, 0);
    return MM_ERR_IO;
  }
  fwrite(io_report_page, 1, (size_t)(marker - io_report_page), f);
  fputc('{', f);
  write_summary(f, r, info);
  io_wbuf b;
  io_wbuf_init(&b, f);
  io_wbuf_puts(&b, ",\"mentees\":");
  write_people(&b, p, MM_MENTEE);
  io_wbuf_puts(&b, ",\"mentors\":");
  write_people(&b, p, MM_MENTOR);
  io_wbuf_puts(&b, ",\"pairs\":");
  write_pairs(&b, r);
  write_left_out(&b, r);
  io_wbuf_putc(&b, '}');
  const char *rest = marker + sizeof data_marker - 1;
  io_wbuf_put(&b, rest, io_report_page_len - (size_t)(rest - io_report_page));
  io_wbuf_spill(&b);
  if (ferror(f)) {
    mm_error_set(e, NULL, "cannot write the report");
    mm_error_locate(e, name, 0, 0);
    return MM_ERR_IO;
  }
  return MM_OK;
}
