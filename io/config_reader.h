/* config_reader.h: the --config file and the strict value parsers the command line shares.
 *
 * A program's settings live in a small "key = value" file so that a run can
 * be repeated exactly.  The same parsers read command-line flags, so a value
 * means the same thing wherever it is written.  Every parser is strict: the
 * whole text must be the value, with nothing before or after it.
 *
 * Thread safety: no global state; the parsers are pure functions and
 * io_read_config may run in parallel on distinct options.
 */
#ifndef MM_IO_CONFIG_READER_H
#define MM_IO_CONFIG_READER_H

#include "mentormatch.h"

#include <stdbool.h>

/* Reads path and applies it onto *o, which the caller filled first
 * (mm_options_init, perhaps changed since).  Lines are "key = value",
 * "# comment" or blank; a comment may also follow a value.  Keys
 * (case-insensitive): weight.skills, weight.goals, weight.timezone,
 * weight.diversity, seniority_gap, meeting_minutes, cadence, first_meetings,
 * checkpoints ("30, 60, 90" or "none"), start (YYYY-MM-DD), threads, solver,
 * candidates, time_limit (seconds), and the program rules: mode, previous,
 * quota.cross_location, quota.cross_country, quota.cross_department,
 * max_per_department, min_per_mentor, objective (total or maxmin),
 * quota.column, quota.min_share (proportional).  An unknown key, a key set twice or a bad
 * value is an error located at file:line:col (col = 1-based byte column of
 * the key or value); then mm_options_check runs and its error is located at
 * the line that set the option.  Errors: MM_ERR_IO, MM_ERR_PARSE,
 * MM_ERR_INVALID.  *o may be partly changed on failure. */
mm_status io_read_config(const char *path, mm_options *o, mm_error *e);

/* Where each key of a settings file was set: 1-based line and value
 * column, 0 when not set. */
#define IO_CONFIG_KEYS 27
typedef struct {
  long line[IO_CONFIG_KEYS];
  long col[IO_CONFIG_KEYS];
} io_config_sites;

/* io_read_config that also keeps where each key was set (zeroed on failure). */
mm_status io_read_config_at(const char *path, mm_options *o, io_config_sites *sites, mm_error *e);

/* Points an error found later (a program rule that cannot hold) at the
 * line of path that set the key e->field names; false, e unchanged, when
 * e->field is no key set there. */
bool io_config_locate(const char *path, const io_config_sites *sites, mm_error *e);

/* A decimal integer: optional sign, digits, nothing else.  MM_ERR_PARSE when
 * s is not one, MM_ERR_INVALID when it lies outside lo..hi. */
mm_status io_parse_int(const char *s, long lo, long hi, long *out);

/* io_parse_int that fills e: field, then "expected an integer, got \"s\"" or
 * "expected an integer from lo to hi, got \"s\"" (location left as it was). */
mm_status io_parse_int_field(const char *s, const char *field, long lo, long hi, long *out,
                             mm_error *e);

/* A plain decimal: optional sign, digits with at most one '.', at least one
 * digit; no exponent, no inf or nan.  MM_ERR_PARSE otherwise. */
mm_status io_parse_decimal(const char *s, double *out);

/* A real calendar date written YYYY-MM-DD.  MM_ERR_PARSE otherwise. */
mm_status io_parse_date(const char *s, int *y, int *m, int *d);

/* weekly, biweekly or monthly (case-insensitive).  MM_ERR_PARSE otherwise. */
mm_status io_parse_cadence(const char *s, mm_cadence *out);

/* auto, glpk or flow (case-insensitive).  MM_ERR_PARSE otherwise. */
mm_status io_parse_solver(const char *s, mm_solver *out);

/* optimal or stable (case-insensitive).  MM_ERR_PARSE otherwise. */
mm_status io_parse_mode(const char *s, mm_mode *out);

/* A share from 0 to 1 with at most 4 decimals, into units of 1e-4.
 * MM_ERR_PARSE otherwise. */
mm_status io_parse_share(const char *s, int32_t *out);

/* forbid, or penalise:X (X a share, see io_parse_share) into units of
 * 1e-4; MM_PREVIOUS_FORBID for forbid.  MM_ERR_PARSE otherwise. */
mm_status io_parse_previous(const char *s, int32_t *out);

#endif
