/* rules_reader.c: pairs file rows to mm_problem_add_rule calls.
 *
 * The file is short and written for this tool, so it is strict: no extra
 * columns, and every id must resolve.  The engine checks that rules agree
 * with each other; this file adds where each one came from.
 */
#include "rules_reader.h"

#include "csv_reader.h"

#include <string.h>

enum { COL_MENTEE, COL_MENTOR, COL_RULE, N_COLS };

static const io_csv_column columns[N_COLS] = {
    {"mentee_id", 1}, {"mentor_id", 1}, {"rule", 1}};

static mm_status locate(mm_status s, const char *path, const io_csv_field *f, mm_error *e) {
  mm_error_locate(e, path, f->line, f->col);
  return s;
}

static mm_status read_rule(mm_problem *p, const char *path, const io_csv_record *rec,
                           const long *index, mm_error *e) {
  io_csv_field *mentee_f = &rec->fields[index[COL_MENTEE]];
  io_csv_field *mentor_f = &rec->fields[index[COL_MENTOR]];
  io_csv_field *rule_f = &rec->fields[index[COL_RULE]];
  const char *mentee_id = io_trim(mentee_f->text);
  const char *mentor_id = io_trim(mentor_f->text);
  const char *word = io_trim(rule_f->text);
  long mentee = io_csv_find_id(p, MM_MENTEE, mentee_id);
  if (mentee < 0) {
    mm_error_set(e, "mentee_id", "no mentee with id \"%s\" in the mentee roster", mentee_id);
    return locate(MM_ERR_INVALID, path, mentee_f, e);
  }
  long mentor = io_csv_find_id(p, MM_MENTOR, mentor_id);
  if (mentor < 0) {
    mm_error_set(e, "mentor_id", "no mentor with id \"%s\" in the mentor roster", mentor_id);
    return locate(MM_ERR_INVALID, path, mentor_f, e);
  }
  mm_rule rule;
  if (io_name_eq(word, "require")) {
    rule = MM_RULE_REQUIRE;
  } else if (io_name_eq(word, "forbid")) {
    rule = MM_RULE_FORBID;
  } else {
    mm_error_set(e, "rule", "expected require or forbid, got \"%s\"", word);
    return locate(MM_ERR_PARSE, path, rule_f, e);
  }
  mm_status s = mm_problem_add_rule(p, (size_t)mentee, (size_t)mentor, rule, rec->line, e);
  return s == MM_OK ? MM_OK : locate(s, path, rule_f, e);
}

mm_status io_read_rules(const char *path, mm_problem *p, mm_error *e) {
  return io_read_rules_each(path, p, NULL, NULL, e);
}

mm_status io_read_rules_each(const char *path, mm_problem *p,
                             void (*row_error)(void *ctx, mm_status s, const mm_error *e), void *ctx,
                             mm_error *e) {
  io_csv_reader *r;
  mm_status s = io_csv_open(path, 0, &r, e);
  if (s != MM_OK) return s;
  path = io_input_name(path);
  long index[N_COLS];
  s = io_csv_read_header(r, columns, N_COLS, index, NULL, NULL, e);
  const io_csv_record *rec = NULL;
  while (s == MM_OK) {
    s = io_csv_next(r, &rec, e);
    if (s == MM_OK && !rec) break;
    if (s == MM_OK) s = read_rule(p, path, rec, index, e);
    if (s != MM_OK && s != MM_ERR_NOMEM && row_error && (rec || io_csv_can_go_on(r))) {
      row_error(ctx, s, e); /* the row added no rule; go on */
      mm_error_clear(e);
      s = MM_OK;
    }
  }
  io_csv_close(r);
  return s;
}
