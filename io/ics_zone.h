/* ics_zone.h: roster time zones as calendar TZIDs and full VTIMEZONE definitions.
 *
 * A calendar client resolves a TZID by name when it knows it and otherwise
 * trusts the VTIMEZONE beside it, so each zone gets both: a standard name
 * and a definition with yearly STANDARD and DAYLIGHT rules, taken from the
 * POSIX TZ rule in the zone's TZif footer (the rule the tz database applies
 * from its last listed change on).
 *
 *   IANA name ("Europe/Dublin")  TZID is the name; yearly rules when the
 *                                footer rule gives every offset change of
 *                                the program window, else the window's
 *                                changes one by one.
 *   "UTC", "GMT", "UTC+00:00"    no VTIMEZONE: times are written in UTC (Z).
 *   whole-hour offset "UTC+5"    TZID "Etc/GMT-5" (the tz database's name;
 *                                POSIX signs are inverted), one STANDARD.
 *   other offsets "UTC+05:30"    no IANA name exists (Asia/Kolkata could
 *                                change its law), so times are written in
 *                                UTC: a fixed offset makes that exact for
 *                                every occurrence, and every client reads it.
 *
 * Negative daylight saving (Europe/Dublin: Irish Standard Time in summer,
 * GMT flagged as "daylight" in winter) is written the way clients expect:
 * DAYLIGHT is the part of the year with the larger offset.
 *
 * Thread safety: reentrant; loading reads the tz database (tzdb.h).
 */
#ifndef MM_IO_ICS_ZONE_H
#define MM_IO_ICS_ZONE_H

#include "ics_text.h"
#include "tzdb.h"

typedef struct {
  const char *name;         /* as the roster spelt it (borrowed) */
  char tzid[64];            /* "" when times are written in UTC */
  io_zone_change *changes;  /* offsets over the window (io_zone_lookup_rule) */
  size_t n;
  io_tz_rule rule;
  int64_t from, to;         /* the window */
} io_ics_zone;

/* Loads a zone's offsets over [from, to) and decides its TZID.  Errors are
 * those of io_zone_lookup_rule.  Free with io_ics_zone_free. */
mm_status io_ics_zone_load(const char *name, int64_t from, int64_t to, io_ics_zone *z,
                           mm_error *e);
void io_ics_zone_free(io_ics_zone *z);

/* UTC offset at UTC instant t (inside the window). */
int32_t io_ics_zone_offset(const io_ics_zone *z, int64_t t);

/* Appends the VTIMEZONE's content lines (nothing when tzid is ""). */
void io_ics_zone_write(io_sbuf *b, const io_ics_zone *z);

/* Appends the clock time `local` (seconds since 1970-01-01 on that clock)
 * as a DATE-TIME's digits, 20270301T090000, without zone or 'Z'. */
void io_ics_put_local(io_sbuf *b, int64_t local);

/* Appends a DATE-TIME for UTC instant t: local time with ";TZID=..." before
 * the ':' when the zone has a TZID, else UTC with 'Z'.  `name` is the
 * property name ("DTSTART", "RECURRENCE-ID"). */
void io_ics_zone_time(io_sbuf *b, const io_ics_zone *z, const char *name, int64_t t);

#endif
