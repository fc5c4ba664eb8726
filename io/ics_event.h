/* ics_event.h: one pair's meeting series as iCalendar VEVENTs (a master plus overrides).
 *
 * A series is one recurring VEVENT whose RRULE (WEEKLY, INTERVAL 1, 2 or 4,
 * COUNT up to the last checkpoint) gives every meeting of the program, in
 * the mentor's zone; the occurrences that differ (checkpoints, an in-person
 * first meeting) are overrides of the same UID with a RECURRENCE-ID and
 * their own SUMMARY and LOCATION.  The same text serves the combined file,
 * the per-person calendars (PUBLISH: no ATTENDEE) and the invitation
 * (REQUEST: the mentee as ATTENDEE with RSVP).
 */
#ifndef MM_IO_ICS_EVENT_H
#define MM_IO_ICS_EVENT_H

#include "ics_zone.h"
#include "mentormatch.h"

typedef struct {
  const mm_pair *pair;
  const mm_occurrence *listed;  /* pair->n_occurrences listed occurrences */
  const io_ics_zone *mentor_zone, *mentee_zone;
  int count;                    /* occurrences in the series (last listed index + 1) */
  int64_t *starts;              /* UTC start of every occurrence, [0, count) */
  char uid[80];
  long sequence;
  uint64_t hash;                /* what the series says (X-MENTORMATCH-CONTENT) */
} io_ics_series;

typedef enum {
  IO_ICS_HASH = 0,    /* the REQUEST text without DTSTAMP, SEQUENCE and the hash */
  IO_ICS_PUBLISH = 1,
  IO_ICS_REQUEST = 2
} io_ics_form;

/* What every series of a run shares. */
typedef struct {
  const mm_problem *p;
  int64_t stamp;          /* DTSTAMP */
  const char *video_url;  /* template, or NULL */
  const char *program_id;
} io_ics_context;

/* Fills s->count and s->starts (malloc'd; free with free()) from the pair's
 * first occurrence, slot and cadence, converting each mentor-local start
 * through the zone as RFC 5545 does; the listed occurrences must fall on
 * the same instants.  MM_ERR_NOMEM, or MM_ERR_INVALID when they do not. */
mm_status io_ics_series_expand(io_ics_series *s, mm_error *e);

/* Working space of the writers below, kept from one series to the next so
 * that rendering allocates only while it grows.  Zero-initialise; one per
 * thread; io_ics_scratch_free releases it (NULL does nothing). */
typedef struct {
  io_sbuf logical;    /* one piece's logical lines */
  io_sbuf head, tail; /* what every VEVENT of a series repeats */
  io_sbuf desc;       /* the DESCRIPTION before escaping */
  io_sbuf text;       /* a SUMMARY or LOCATION before escaping */
} io_ics_scratch;

void io_ics_scratch_free(io_ics_scratch *w);

/* Appends the series' VEVENTs in the given form as logical lines (one per
 * '\n', not folded). */
void io_ics_event_write(io_sbuf *b, io_ics_scratch *w, const io_ics_context *c, const io_ics_series *s,
                        io_ics_form form);

/* Appends the series' VEVENTs in the given form as the bytes of a file:
 * exactly io_ics_fold of io_ics_event_write's lines, but the lines every
 * VEVENT of the series repeats (UID to SEQUENCE, DESCRIPTION to END:VEVENT)
 * are built and folded once.  out->nomem tells an allocation failure. */
void io_ics_event_fold(io_sbuf *out, io_ics_scratch *w, const io_ics_context *c, const io_ics_series *s,
                       io_ics_form form);

/* Checks a --video-url template: an absolute URI (scheme ':' ...) without
 * spaces or control characters, whose only placeholders are {mentee},
 * {mentor} and {program}.  0 and a reason in why when it is not. */
int io_ics_video_url_ok(const char *tmpl, char *why, size_t size);

/* Appends text with every byte outside RFC 3986 "unreserved" percent-encoded. */
void io_sb_uri_part(io_sbuf *b, const char *text);

#endif
