/* tzdb.h: time zones by name, read from the system tz database.
 *
 * Rosters name a zone per person ("Europe/London", "UTC+05:30"); the engine
 * wants that zone's UTC offsets over the program window as a short list of
 * periods (mm_problem_add_zone).  This module turns one into the other from
 * the compiled TZif files of the system (TZDIR or /usr/share/zoneinfo),
 * including the POSIX rule in a file's footer for instants past its last
 * listed transition, so no zone table is written by hand.  The calendar
 * writers use the same lookup to describe zones in meetings.ics.
 *
 * This is the library's zones component: it is built into libmentormatch
 * with the engine, and shows itself to programs that embed the library as
 * mm_zone_lookup, mm_zone_from_tzif and mm_problem_add_zone_named
 * (mentormatch.h, defined at the end of tzdb.c); the io_ functions below
 * stay private to the library and the tool.
 *
 * Thread safety: every function here is reentrant (no global state, no TZ
 * environment changes); they read files, so keep them out of hot loops.
 */
#ifndef IO_TZDB_H
#define IO_TZDB_H

#include "mentormatch.h"

#include <stddef.h>
#include <stdint.h>

/* One offset change, with what calendars want to show about it. */
typedef struct {
  int64_t at;       /* UTC second the offset starts */
  int32_t offset_s; /* local = UTC + offset_s */
  int is_dst;       /* daylight saving time per the tz data */
  char abbr[16];    /* "BST", "+0530"; may be empty */
} io_zone_change;

/* Looks a zone up by name and returns its offset periods: the period in force
 * at `from` first (its `at` is when it began, or `from` when not known), then
 * every change inside (from, to), in time order; a change that keeps the
 * offset is left out.  Accepts the zone and link names of the tz database (tzdata.zi; not
 * "localtime", "posixrules", "Factory" or other files), "UTC",
 * "GMT", "Z", and fixed offsets "UTC+05:30", "UTC-03:00", "UTC+5" (sign as
 * people mean it: UTC+05:30 is five and a half hours ahead; at most 14:00).
 * Unknown names give MM_ERR_INVALID, field "timezone", and a message that
 * suggests a close name when there is one.  Offsets that are not whole
 * quarter hours inside the window give MM_ERR_INVALID too; a zone file that
 * exists but cannot be read (no file descriptor left ...) MM_ERR_IO.
 * *periods is malloc'd; the caller frees it. */
mm_status io_zone_lookup(const char *name, int64_t from, int64_t to, mm_zone_period **periods,
                         size_t *n_periods, mm_error *e);

/* The same with daylight flags and abbreviations (for VTIMEZONE). */
mm_status io_zone_lookup_detail(const char *name, int64_t from, int64_t to,
                                io_zone_change **changes, size_t *n_changes, mm_error *e);

/* The one spelling of a zone name: "UTC" for UTC, GMT, Z, UTC+0 ...;
 * "UTC+05:30" for UTC+5:30, GMT+0530 ...; other names as given.  Two names
 * with the same canonical spelling are the same zone. */
void io_zone_canonical(const char *name, char *buf, size_t size);

/* 1 when the name means UTC itself ("UTC", "GMT", "Z", any case). */
int io_zone_is_utc(const char *name);

/* Formats an offset as "+05:30" (colon = 1) or "+0530" (colon = 0); seconds
 * are appended when not zero.  Returns buf. */
char *io_format_offset(int32_t offset_s, int colon, char *buf, size_t size);

/* Civil date and time of a count of seconds since 1970-01-01T00:00 (which may
 * be a local wall-clock count: UTC + offset). */
typedef struct {
  int year, month, day, hour, minute, second;
  int weekday; /* 0 = Monday */
} io_civil;
void io_civil_from_seconds(int64_t t, io_civil *c);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t io_days_from_civil(int year, int month, int day);

/* ISO 8601 "2027-03-12T14:00:00Z" for a UTC instant.  Returns buf. */
char *io_format_utc(int64_t t, char *buf, size_t size);
/* ISO 8601 local time with its offset, "2027-03-12T09:00:00-05:00", for the
 * UTC instant t seen at offset_s.  Returns buf. */
char *io_format_local(int64_t t, int32_t offset_s, char *buf, size_t size);

#endif
