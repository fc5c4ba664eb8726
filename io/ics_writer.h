/* ics_writer.h: meetings.ics, the scheduled series as an RFC 5545 calendar.
 *
 * One file a programme manager can import into Google Calendar, Outlook or
 * Apple Calendar: one recurring event per scheduled pair, in the mentor's
 * zone, describing exactly the occurrences of meetings.csv.
 */
#ifndef IO_ICS_WRITER_H
#define IO_ICS_WRITER_H

#include "mentormatch.h"

#include <stdio.h>

/* Writes a VCALENDAR (METHOD:PUBLISH) with a VTIMEZONE for every mentor zone
 * used (generated from the system tz data over the program window; none for
 * UTC, whose times carry Z; a fixed offset "UTC+05:30" gets TZID UTC+0530,
 * as a TZID parameter cannot hold ':') and one VEVENT per scheduled pair: DTSTART and
 * DTEND in the mentor's zone, RRULE (WEEKLY, INTERVAL 1/2/4, COUNT = the
 * consecutive listed occurrences from the first) plus RDATE for checkpoint
 * occurrences after them, ORGANIZER (mentor) and ATTENDEE (mentee) with
 * mailto: addresses when the roster has them, SUMMARY and DESCRIPTION, and
 * X-MENTORMATCH-MENTEE / X-MENTORMATCH-MENTOR with the ids.  UID and DTSTAMP
 * derive from the ids and the program start only, so the same input gives
 * the same bytes.  Lines end in CRLF and are folded at 75 octets.
 *
 * o gives the program start, window and checkpoint days; with NULL they are
 * derived from the occurrences (DTSTAMP = the first occurrence's UTC date).
 * MM_ERR_IO when writing fails; a zone lookup error is passed on.  f is not
 * closed.  Reads the tz database (see tzdb.h); reentrant. */
mm_status io_write_ics_with(FILE *f, const mm_problem *p, const mm_result *r, const mm_options *o,
                            mm_error *e);

/* io_write_ics_with(f, p, r, NULL, e). */
mm_status io_write_ics(FILE *f, const mm_problem *p, const mm_result *r, mm_error *e);

#endif
