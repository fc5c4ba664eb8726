/* ics_writer.h: the calendar files of a run: meetings.ics, invites/ and calendars/.
 *
 *   meetings.ics              METHOD:PUBLISH, every series, for the programme
 *                             manager to import; no ATTENDEE (RFC 5546 3.2.1
 *                             allows none in PUBLISH), the mentee is named in
 *                             the description and X-MENTORMATCH-MENTEE.
 *   invites/<mentee>-<mentor>.ics
 *                             METHOD:REQUEST, one series: the invitation to
 *                             send, organiser the mentor, attendee the mentee
 *                             with RSVP.  In the file name, ids keep letters,
 *                             digits, '.', '_' and '-' ('-' is escaped in the
 *                             mentee id so the first '-' separates the two);
 *                             other bytes become %XX.
 *   calendars/<id>.ics        METHOD:PUBLISH: every series of one person, in
 *                             either role, to import or subscribe to.  It is
 *                             not an iTIP message (there is nothing to answer),
 *                             so PUBLISH, like meetings.ics.
 *
 * A series has the same UID in every file: a hash of the program id and the
 * two roster ids only, so a re-run with another start date, cadence or slot
 * updates the meetings people already have instead of adding copies.
 * SEQUENCE is 0 for a new series; with a previous calendar it stays the same
 * for an unchanged series and grows by one for a changed one.  DTSTAMP is
 * the settings' stamp (the caller passes the time of writing, or
 * SOURCE_DATE_EPOCH).  Everything else derives from the input, so the same
 * input and stamp give the same bytes.  Lines end in CRLF, folded at 75
 * octets.  Zones: see ics_zone.h.
 */
#ifndef IO_ICS_WRITER_H
#define IO_ICS_WRITER_H

#include "ics_previous.h"
#include "mentormatch.h"

#include <stdio.h>

typedef struct {
  int64_t stamp;                    /* DTSTAMP, UTC seconds */
  const char *program_id;           /* part of every UID (default "mentormatch") */
  const char *video_url;            /* --video-url template, or NULL */
  const io_ics_previous *previous;  /* an earlier run's series, or NULL */
} io_ics_settings;

void io_ics_settings_init(io_ics_settings *s);

typedef struct io_ics io_ics;

/* Prepares every calendar of a result: loads the zones of both people of
 * every scheduled pair over the options' window, expands each series and
 * decides file names, UIDs and SEQUENCEs.  Strings in s, p and r are
 * borrowed until io_ics_free.  Zone errors are passed on; MM_ERR_NOMEM. */
mm_status io_ics_prepare(const mm_problem *p, const mm_result *r, const mm_options *o,
                         const io_ics_settings *s, io_ics **out, mm_error *e);

/* NULL does nothing. */
void io_ics_free(io_ics *c);

/* The files: 0 is "meetings.ics", then "invites/..." in pair order, then
 * "calendars/..." by id.  Names are borrowed from c. */
size_t io_ics_file_count(const io_ics *c);
const char *io_ics_file_name(const io_ics *c, size_t k);

/* Writes file k to f (not closed).  MM_ERR_IO when writing fails. */
mm_status io_ics_write_file(FILE *f, const io_ics *c, size_t k, mm_error *e);

#endif
