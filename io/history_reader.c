/* history_reader.c: earlier and running pairs from CSV into the engine.
 *
 * Analysts pass last cohort's output back in, so the reader takes the two id
 * columns it needs from any file that has them and ignores the rest without
 * a warning (a pairings.csv has a dozen).  An earlier pair whose people have
 * left is simply gone; a running pair must still have both people, and its
 * slot must be one this run can write back unchanged.
 */
#include "history_reader.h"

#include "config_reader.h"
#include "csv_reader.h"

#include <stdio.h>
#include <string.h>

enum { COL_MENTEE, COL_MENTOR, COL_SLOT, COL_CADENCE, N_COLS };

static const io_csv_column columns[N_COLS] = {
    {"mentee_id", 1}, {"mentor_id", 1}, {"mentor_slot", 0}, {"cadence", 0}};

static void ignore_column(void *ctx, const mm_error *w) {
  (void)ctx;
  (void)w;
}

static mm_status locate(mm_status s, const char *path, const io_csv_field *f, mm_error *e) {
  mm_error_locate(e, path, f->line, f->col);
  return s;
}

typedef mm_status (*row_fn)(mm_problem *p, const char *path, const io_csv_record *rec, const long *index,
                            void *ctx, mm_error *e);

static mm_status read_rows(const char *path, mm_problem *p, row_fn row, void *ctx, mm_error *e) {
  io_csv_reader *r;
  mm_status s = io_csv_open(path, 0, &r, e);
  if (s != MM_OK) return s;
  long index[N_COLS];
  s = io_csv_read_header(r, columns, N_COLS, index, ignore_column, NULL, e);
  const io_csv_record *rec;
  while (s == MM_OK && (s = io_csv_next(r, &rec, e)) == MM_OK && rec) s = row(p, path, rec, index, ctx, e);
  io_csv_close(r);
  return s;
}

static mm_status previous_row(mm_problem *p, const char *path, const io_csv_record *rec, const long *index,
                              void *ctx, mm_error *e) {
  size_t *skipped = ctx;
  long mentee = io_csv_find_id(p, MM_MENTEE, io_trim(rec->fields[index[COL_MENTEE]].text));
  long mentor = io_csv_find_id(p, MM_MENTOR, io_trim(rec->fields[index[COL_MENTOR]].text));
  if (mentee < 0 || mentor < 0) {
    (*skipped)++;
    return MM_OK;
  }
  mm_status s = mm_problem_add_previous(p, (size_t)mentee, (size_t)mentor, rec->line, e);
  return s == MM_OK ? MM_OK : locate(s, path, &rec->fields[index[COL_MENTEE]], e);
}

mm_status io_read_previous(const char *path, mm_problem *p, size_t *skipped, mm_error *e) {
  *skipped = 0;
  return read_rows(path, p, previous_row, skipped, e);
}

/* "Wed 18:00-19:00" as pairings.csv writes it. */
static int parse_slot(const char *text, mm_slot_pin *pin, int *length) {
  static const char *const days[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  int h1, m1, h2, m2, used = 0;
  char day[4];
  if (sscanf(text, "%3s %2d:%2d-%2d:%2d%n", day, &h1, &m1, &h2, &m2, &used) != 5 || text[used]) return 0;
  if (strlen(text) != 15 || h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59) return 0;
  pin->weekday = -1;
  for (int d = 0; d < 7; d++)
    if (strcmp(day, days[d]) == 0) pin->weekday = d;
  pin->minute = h1 * 60 + m1;
  *length = (h2 * 60 + m2 - pin->minute + 24 * 60) % (24 * 60);
  return pin->weekday >= 0;
}

static mm_status keep_row(mm_problem *p, const char *path, const io_csv_record *rec, const long *index, void *ctx,
                          mm_error *e) {
  const mm_options *o = ctx;
  static const char *const cadences[3] = {"weekly", "biweekly", "monthly"};
  const io_csv_field *fields[2] = {&rec->fields[index[COL_MENTEE]], &rec->fields[index[COL_MENTOR]]};
  long who[2];
  for (int side = 0; side < 2; side++) {
    const char *id = io_trim(fields[side]->text);
    who[side] = io_csv_find_id(p, side == 0 ? MM_MENTEE : MM_MENTOR, id);
    if (who[side] >= 0) continue;
    mm_error_set(e, side == 0 ? "mentee_id" : "mentor_id", "no %s with id \"%s\" in the %s roster: a kept pair's people must both still take part",
                 side == 0 ? "mentee" : "mentor", id, side == 0 ? "mentee" : "mentor");
    return locate(MM_ERR_INVALID, path, fields[side], e);
  }
  mm_slot_pin pin;
  const mm_slot_pin *use = NULL;
  if (index[COL_SLOT] >= 0 && io_trim(rec->fields[index[COL_SLOT]].text)[0]) {
    const io_csv_field *f = &rec->fields[index[COL_SLOT]];
    int length;
    if (!parse_slot(io_trim(f->text), &pin, &length) || pin.minute % MM_SLOT_MINUTES) {
      mm_error_set(e, "mentor_slot", "expected a slot like \"Wed 18:00-19:00\" on 15-minute steps, got \"%s\"", f->text);
      return locate(MM_ERR_PARSE, path, f, e);
    }
    if (length != o->meeting_minutes) {
      mm_error_set(e, "mentor_slot", "the kept slot lasts %d minutes but meetings last %d (meeting_minutes)", length,
                   o->meeting_minutes);
      return locate(MM_ERR_INVALID, path, f, e);
    }
    use = &pin;
  }
  if (use && index[COL_CADENCE] >= 0) {
    const io_csv_field *f = &rec->fields[index[COL_CADENCE]];
    if (!io_name_eq(io_trim(f->text), cadences[o->cadence])) {
      mm_error_set(e, "cadence", "the kept pair meets \"%s\" but this run's cadence is %s", f->text, cadences[o->cadence]);
      return locate(MM_ERR_INVALID, path, f, e);
    }
  }
  mm_status s = mm_problem_add_kept(p, (size_t)who[0], (size_t)who[1], use, rec->line, e);
  return s == MM_OK ? MM_OK : locate(s, path, fields[0], e);
}

mm_status io_read_keep(const char *path, mm_problem *p, const mm_options *o, mm_error *e) {
  return read_rows(path, p, keep_row, (void *)o, e);
}
