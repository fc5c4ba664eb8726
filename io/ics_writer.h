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
 *
 * io_ics_settings.calendars chooses the files: all three kinds (the
 * default), meetings.ics alone ("combined"), or none (a pipeline that reads
 * meetings.csv, or a benchmark of a large roster).
 */
#ifndef IO_ICS_WRITER_H
#define IO_ICS_WRITER_H

#include "ics_event.h"
#include "ics_previous.h"
#include "ics_text.h"
#include "mentormatch.h"

#include <stdio.h>

/* Which calendar files a run writes (--calendars). */
typedef enum {
  IO_CALENDARS_ALL = 0,      /* meetings.ics, invites/ and calendars/ */
  IO_CALENDARS_COMBINED = 1, /* meetings.ics only */
  IO_CALENDARS_NONE = 2      /* no .ics file */
} io_calendars;

/* "all", "combined" or "none"; 0 for any other text. */
int io_parse_calendars(const char *text, io_calendars *out);

typedef struct {
  io_calendars calendars;           /* default IO_CALENDARS_ALL */
  int64_t stamp;                    /* DTSTAMP, UTC seconds */
  const char *program_id;           /* part of every UID (default "mentormatch") */
  const char *video_url;            /* --video-url template, or NULL */
  const io_ics_previous *previous;  /* an earlier run's series, or NULL */
} io_ics_settings;

void io_ics_settings_init(io_ics_settings *s);

typedef struct io_ics io_ics;

/* Prepares every calendar of a result: loads the zones of both people of
 * every scheduled pair over the options' window, expands each series,
 * decides file names, UIDs and SEQUENCEs and renders each zone's VTIMEZONE,
 * on o->threads threads (0: OpenMP's default).  The series' own text is not
 * kept (meetings.ics alone can be hundreds of megabytes): each file renders
 * it when written.  With
 * IO_CALENDARS_NONE it does nothing and lists no file.  Strings in s, p and
 * r are borrowed until io_ics_free.  Zone errors are passed on (the first
 * failing pair's, whatever the threads); MM_ERR_NOMEM. */
mm_status io_ics_prepare(const mm_problem *p, const mm_result *r, const mm_options *o,
                         const io_ics_settings *s, io_ics **out, mm_error *e);

/* NULL does nothing. */
void io_ics_free(io_ics *c);

/* The files: 0 is "meetings.ics", then "invites/..." in pair order, then
 * "calendars/..." by id (as many as the settings' calendars ask for).
 * Names are borrowed from c. */
size_t io_ics_file_count(const io_ics *c);
const char *io_ics_file_name(const io_ics *c, size_t k);

/* Where a large file goes a piece at a time: called with out whenever it
 * holds IO_ICS_FLUSH_BYTES or more, then out is emptied; 0, or an error
 * value that stops the rendering. */
#define IO_ICS_FLUSH_BYTES (1 << 20)
typedef int (*io_ics_flush)(void *ctx, const io_sbuf *out);

/* Appends the bytes of file k (folded, CRLF) to out; scratch is working
 * space of the caller's (zero-initialised once, io_ics_scratch_free after
 * the last file).  With flush (not NULL), out is handed to it in
 * pieces as it grows (meetings.ics is as large as all the series' text), and
 * what is left at the end stays in out; returns flush's first error, else 0.
 * Safe to call from several threads at once with distinct buffers: c is
 * only read.  out->nomem tells an allocation failure. */
int io_ics_render_file(const io_ics *c, size_t k, io_sbuf *out, io_ics_scratch *scratch, io_ics_flush flush,
                       void *ctx);

#endif
