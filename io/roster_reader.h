/* roster_reader.h: mentors.csv and mentees.csv into an mm_problem.
 *
 * A roster is the file a programme coordinator edits by hand, so every
 * problem in it is reported as file:line:col with the column's name, and
 * columns may come in any order, in any letter case.  Columns: id, timezone
 * and availability are required; name, email, skills ("python:4; sql"),
 * goals, location, country, department, manager_id, languages (lists are
 * ';'-separated), seniority (integer) are optional; capacity (0..1000,
 * default 1) is read for mentors only.
 */
#ifndef MM_IO_ROSTER_READER_H
#define MM_IO_ROSTER_READER_H

#include "csv_reader.h"
#include "mentormatch.h"

/* Reads one roster and adds its people to p as side.  o must be the options
 * p was created with (they fix the window the time zones are looked up
 * over).  Each zone name is looked up once (io_zone_lookup) and registered
 * with mm_problem_add_zone.  An unknown column is reported once through warn
 * (NULL makes it an error).  Errors are located at file:line:col of the
 * offending field, with e->field naming the column: MM_ERR_IO, MM_ERR_PARSE,
 * MM_ERR_INVALID (duplicate id, naming both lines; bad value; unknown zone),
 * MM_ERR_NOMEM.  An empty file is an error; a header-only file adds nobody.
 * On failure p may hold the people read before the bad row.  Not thread-safe
 * for the same p. */
mm_status io_read_roster(const char *path, mm_side side, mm_problem *p, const mm_options *o,
                         io_warn_fn warn, void *warn_ctx, mm_error *e);

/* Where a cell of an accepted row is (line and column; 0 when the file has
 * no such column). */
typedef struct {
  long line, col;
} io_cell_pos;

typedef struct {
  io_cell_pos id, availability, skills, goals, languages;
} io_roster_cells;

/* For `check`: what to do with each row instead of stopping at the first
 * error.  row_error receives each row's error (located); the reader then
 * goes on with the next row (a row with the wrong number of fields too).
 * Errors in the file's structure (quoting, a missing column) end the file,
 * since nothing after them can be placed.  row_added sees every person
 * added, with the positions of the cells a linter points at. */
typedef struct {
  void (*row_error)(void *ctx, mm_status s, const mm_error *e);
  void (*row_added)(void *ctx, mm_side side, size_t index, const mm_person *person,
                    const io_roster_cells *cells);
  void *ctx;
} io_roster_hooks;

/* io_read_roster with hooks (NULL hooks: exactly io_read_roster).  Returns
 * MM_OK when only row errors occurred (they went to row_error), or the
 * error that ended the file. */
mm_status io_read_roster_hooked(const char *path, mm_side side, mm_problem *p, const mm_options *o,
                                io_warn_fn warn, void *warn_ctx, const io_roster_hooks *hooks,
                                mm_error *e);

#endif
