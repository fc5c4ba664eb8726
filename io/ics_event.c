/* ics_event.c: writes a pair's series as a recurring VEVENT with RECURRENCE-ID overrides.
 *
 * The engine lists only some occurrences of a series (the first meetings and
 * the checkpoints) but a program is every meeting from the first to the last
 * checkpoint, so the RRULE covers them all and the listed ones are checked
 * against it here: each must fall exactly where the rule, read in the
 * mentor's zone, puts it.  Checkpoints and an in-person first meeting are
 * overrides rather than RDATEs, which several readers (node-ical, dateutil
 * with RDATE;TZID, libical) get wrong.  The description names both people's
 * local times for every stretch of the program between clock changes, since
 * a mentee in another zone sees the meeting move when either side changes.
 */
#include "ics_event.h"

#include "email.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const weekdays[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* RFC 5545 3.3.5: a local time that happens twice means the first one; one
 * that does not happen is 0 here (the scheduler never picks those). */
static int local_to_utc(const io_ics_zone *z, int64_t local, int64_t *out) {
  if (z->n == 0) {
    *out = local;
    return 1;
  }
  int found = 0;
  for (size_t k = 0; k < z->n; k++) {
    int64_t t = local - z->changes[k].offset_s;
    if (io_ics_zone_offset(z, t) == z->changes[k].offset_s && (!found || t < *out)) {
      *out = t;
      found = 1;
    }
  }
  return found;
}

mm_status io_ics_series_expand(io_ics_series *s, mm_error *e) {
  const mm_pair *pr = s->pair;
  const mm_occurrence *first = &s->listed[0];
  s->count = s->listed[pr->n_occurrences - 1].index + 1;
  s->starts = malloc((size_t)s->count * sizeof *s->starts);
  if (!s->starts) {
    mm_error_set(e, NULL, "out of memory writing calendars");
    return MM_ERR_NOMEM;
  }
  int64_t local0 = first->start_utc + io_ics_zone_offset(s->mentor_zone, first->start_utc);
  int64_t day0 = floor_div(local0, 86400) - (int64_t)first->index * 7 * pr->interval_weeks;
  int ok = 1;
  for (int k = 0; k < s->count && ok; k++) {
    int64_t local = (day0 + (int64_t)k * 7 * pr->interval_weeks) * 86400 + pr->slot_minute * 60;
    ok = local_to_utc(s->mentor_zone, local, &s->starts[k]);
  }
  for (size_t x = 0; x < pr->n_occurrences && ok; x++)
    ok = s->listed[x].start_utc == s->starts[s->listed[x].index];
  if (ok) return MM_OK;
  mm_error_set(e, NULL, "the meetings of this pair do not repeat at one local time in zone %s",
               s->mentor_zone->name);
  return MM_ERR_INVALID;
}

/* ---- people and text ----------------------------------------------------- */

static const char *display(const mm_problem *p, mm_side side, size_t i) {
  const char *name = mm_problem_person_name(p, side, i);
  return name && *name ? name : mm_problem_person_id(p, side, i);
}

void io_sb_uri_part(io_sbuf *b, const char *text) {
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p)) {
      io_sb_put(b, (const char *)p, 1);
    } else {
      io_sb_printf(b, "%%%02X", *p);
    }
  }
}

/* mailto: for a valid address, else a URN naming the roster id. */
static void put_address(io_sbuf *b, const mm_problem *p, mm_side side, size_t i) {
  const char *email = mm_problem_person_email(p, side, i);
  if (io_email_valid(email)) {
    io_sb_mailto(b, email);
    return;
  }
  io_sb_puts(b, side == MM_MENTOR ? "urn:x-mentormatch:mentor:" : "urn:x-mentormatch:mentee:");
  io_sb_uri_part(b, mm_problem_person_id(p, side, i));
}

int io_ics_video_url_ok(const char *tmpl, char *why, size_t size) {
  /* http(s) only: a calendar and report.html show the link to people, and
   * javascript:, data: or file: there would run or open something else. */
  if (strncasecmp(tmpl, "https://", 8) != 0 && strncasecmp(tmpl, "http://", 7) != 0) {
    snprintf(why, size, "expected an http or https URL such as https://meet.example/{mentee}-{mentor}");
    return 0;
  }
  /* A host starts with a letter or digit, an IPv6 '[', or a template field
   * such as {program}; '/', ':443', '@' or the end name no host. */
  const char *host = strstr(tmpl, "://") + 3;
  if (!isalnum((unsigned char)*host) && *host != '[' && *host != '{') {
    snprintf(why, size, "the URL names no host: expected one such as https://meet.example/{mentee}-{mentor}");
    return 0;
  }
  for (const char *p = tmpl; *p; p++) {
    if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"') {
      snprintf(why, size, "a URL cannot hold spaces, quotes or control characters");
      return 0;
    }
    if (*p == '}') {
      snprintf(why, size, "'}' without '{'");
      return 0;
    }
    if (*p != '{') continue;
    size_t len = strcspn(p + 1, "}");
    if (p[1 + len] != '}' || !((len == 6 && strncmp(p + 1, "mentee", 6) == 0) ||
                               (len == 6 && strncmp(p + 1, "mentor", 6) == 0) ||
                               (len == 7 && strncmp(p + 1, "program", 7) == 0))) {
      snprintf(why, size, "expected the placeholders {mentee}, {mentor} or {program}");
      return 0;
    }
    p += len + 1;
  }
  return 1;
}

static void put_video_url(io_sbuf *b, const io_ics_context *c, const mm_pair *pr) {
  for (const char *p = c->video_url; *p; p++) {
    if (*p != '{') {
      io_sb_put(b, p, 1);
      continue;
    }
    const char *what = strncmp(p, "{mentee}", 8) == 0   ? mm_problem_person_id(c->p, MM_MENTEE, pr->mentee)
                       : strncmp(p, "{mentor}", 8) == 0 ? mm_problem_person_id(c->p, MM_MENTOR, pr->mentor)
                                                        : c->program_id;
    io_sb_uri_part(b, what);
    p = strchr(p, '}');
  }
}

/* "Monday 09:00" for the UTC instant t at offset off. */
static void put_clock(io_sbuf *b, int64_t t, int32_t off) {
  io_civil cv;
  io_civil_from_seconds(t + off, &cv);
  io_sb_puts(b, weekdays[cv.weekday]);
  io_sb_put(b, " ", 1);
  io_sb_int(b, cv.hour, 2);
  io_sb_put(b, ":", 1);
  io_sb_int(b, cv.minute, 2);
}

static void put_date(io_sbuf *b, int64_t t, int32_t off) {
  io_civil cv;
  io_civil_from_seconds(t + off, &cv);
  io_sb_int(b, cv.year, 4);
  io_sb_put(b, "-", 1);
  io_sb_int(b, cv.month, 2);
  io_sb_put(b, "-", 1);
  io_sb_int(b, cv.day, 2);
}

/* Both people's local times, once, or per stretch between clock changes. */
static void put_times(io_sbuf *d, const io_ics_context *c, const io_ics_series *s) {
  const char *mentor = display(c->p, MM_MENTOR, s->pair->mentor);
  const char *mentee = display(c->p, MM_MENTEE, s->pair->mentee);
  int stretches = 0;
  for (int k = 0; k < s->count;) {
    int32_t om = io_ics_zone_offset(s->mentor_zone, s->starts[k]);
    int32_t oe = io_ics_zone_offset(s->mentee_zone, s->starts[k]);
    int end = k + 1;
    while (end < s->count && io_ics_zone_offset(s->mentor_zone, s->starts[end]) == om &&
           io_ics_zone_offset(s->mentee_zone, s->starts[end]) == oe)
      end++;
    if (k == 0 && end == s->count) {
      io_sb_puts(d, "Local times: ");
    } else {
      if (!stretches++) io_sb_puts(d, "Clocks change during the program; local times:\n");
      io_sb_puts(d, "- meetings ");
      io_sb_int(d, k + 1, 0);
      io_sb_puts(d, " to ");
      io_sb_int(d, end, 0);
      io_sb_puts(d, " (");
      put_date(d, s->starts[k], om);
      io_sb_puts(d, " to ");
      put_date(d, s->starts[end - 1], om);
      io_sb_puts(d, "): ");
    }
    io_sb_puts(d, mentor);
    io_sb_put(d, " ", 1);
    put_clock(d, s->starts[k], om);
    io_sb_puts(d, " (");
    io_sb_puts(d, s->mentor_zone->name);
    io_sb_puts(d, "), ");
    io_sb_puts(d, mentee);
    io_sb_put(d, " ", 1);
    put_clock(d, s->starts[k], oe);
    io_sb_puts(d, " (");
    io_sb_puts(d, s->mentee_zone->name);
    io_sb_puts(d, ").\n");
    k = end;
  }
}

static int count_checkpoints(const io_ics_series *s) {
  int n = 0;
  for (size_t x = 0; x < s->pair->n_occurrences; x++) n += s->listed[x].kind == MM_KIND_CHECKPOINT;
  return n;
}

/* The DESCRIPTION shared by the master and its overrides. */
static void describe(io_sbuf *d, const io_ics_context *c, const io_ics_series *s) {
  const mm_pair *pr = s->pair;
  const mm_occurrence *o = s->listed;
  int minutes = (int)((o[0].end_utc - o[0].start_utc) / 60);
  io_sb_puts(d, "Mentoring between ");
  io_sb_puts(d, display(c->p, MM_MENTOR, pr->mentor));
  io_sb_puts(d, " (mentor, id ");
  io_sb_puts(d, mm_problem_person_id(c->p, MM_MENTOR, pr->mentor));
  io_sb_puts(d, ") and ");
  io_sb_puts(d, display(c->p, MM_MENTEE, pr->mentee));
  io_sb_puts(d, " (mentee, id ");
  io_sb_puts(d, mm_problem_person_id(c->p, MM_MENTEE, pr->mentee));
  io_sb_puts(d, ").\n");
  io_sb_int(d, s->count, 0);
  io_sb_puts(d, " meetings of ");
  io_sb_int(d, minutes, 0);
  io_sb_puts(d, pr->interval_weeks == 1   ? " minutes, every week, from "
                : pr->interval_weeks == 2 ? " minutes, every two weeks, from "
                                          : " minutes, every four weeks, from ");
  put_date(d, s->starts[0], io_ics_zone_offset(s->mentor_zone, s->starts[0]));
  io_sb_puts(d, " to ");
  put_date(d, s->starts[s->count - 1], io_ics_zone_offset(s->mentor_zone, s->starts[s->count - 1]));
  io_sb_puts(d, ".\n");
  put_times(d, c, s);
  int checkpoints = 0;
  for (size_t x = 0; x < pr->n_occurrences; x++) {
    if (o[x].kind != MM_KIND_CHECKPOINT) continue;
    io_sb_puts(d, checkpoints++ ? ", meeting " : "Program checkpoints: meeting ");
    io_sb_int(d, o[x].index + 1, 0);
    io_sb_puts(d, " (");
    put_date(d, o[x].start_utc, o[x].mentor_offset_s);
    io_sb_puts(d, ")");
  }
  if (checkpoints) io_sb_puts(d, ".\n");
  if (o[0].in_person)
    io_sb_printf(d, "The first meeting is in person (%s); the others are video calls.\n",
                 mm_problem_person_location(c->p, MM_MENTOR, pr->mentor));
  if (c->video_url) {
    io_sb_puts(d, "Video call: ");
    put_video_url(d, c, pr);
    io_sb_puts(d, "\n");
  }
}

/* ---- VEVENTs ------------------------------------------------------------- */

/* SUMMARY for occurrence o, or the series when o is NULL; t is working space. */
static void put_summary(io_sbuf *b, io_sbuf *t, const io_ics_context *c, const io_ics_series *s,
                        const mm_occurrence *o) {
  io_sb_clear(t);
  io_sb_puts(t, "Mentoring");
  if (o && o->kind == MM_KIND_CHECKPOINT) {
    int nth = 0;
    for (const mm_occurrence *q = s->listed; q <= o; q++) nth += q->kind == MM_KIND_CHECKPOINT;
    io_sb_puts(t, " checkpoint ");
    io_sb_int(t, nth, 0);
    io_sb_puts(t, " of ");
    io_sb_int(t, count_checkpoints(s), 0);
  }
  if (o && o->in_person) io_sb_puts(t, " (in person)");
  io_sb_puts(t, ": ");
  io_sb_puts(t, display(c->p, MM_MENTOR, s->pair->mentor));
  io_sb_puts(t, " & ");
  io_sb_puts(t, display(c->p, MM_MENTEE, s->pair->mentee));
  io_sb_puts(b, "SUMMARY:");
  io_sb_text(b, t->s);
  io_sb_eol(b);
  if (t->nomem) b->nomem = 1;
}

/* LOCATION: the video link (TEXT, so its commas and semicolons are escaped);
 * u is working space. */
static void put_video_location(io_sbuf *b, io_sbuf *u, const io_ics_context *c, const mm_pair *pr) {
  io_sb_clear(u);
  put_video_url(u, c, pr);
  io_sb_puts(b, "LOCATION:");
  io_sb_text(b, u->s);
  io_sb_eol(b);
  if (u->nomem) b->nomem = 1;
}

/* BEGIN:VEVENT to SEQUENCE: the same in every VEVENT of a series. */
static void put_head(io_sbuf *b, const io_ics_context *c, const io_ics_series *s, io_ics_form form) {
  io_sb_puts(b, "BEGIN:VEVENT\nUID:");
  io_sb_puts(b, s->uid);
  io_sb_eol(b);
  if (form == IO_ICS_HASH) return;
  io_sb_puts(b, "DTSTAMP:");
  io_ics_put_local(b, c->stamp);
  io_sb_puts(b, "Z\nSEQUENCE:");
  io_sb_int(b, s->sequence, 0);
  io_sb_eol(b);
}

/* DESCRIPTION to END:VEVENT: the same in every VEVENT of a series. */
static void put_tail(io_sbuf *b, const io_ics_context *c, const io_ics_series *s, io_ics_form form,
                     const char *description) {
  const mm_pair *pr = s->pair;
  io_sb_puts(b, "DESCRIPTION:");
  io_sb_text(b, description);
  io_sb_puts(b, "\nORGANIZER;CN=");
  io_sb_param(b, display(c->p, MM_MENTOR, pr->mentor));
  io_sb_puts(b, ":");
  put_address(b, c->p, MM_MENTOR, pr->mentor);
  io_sb_eol(b);
  if (form != IO_ICS_PUBLISH) {
    io_sb_puts(b, "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=");
    io_sb_param(b, display(c->p, MM_MENTEE, pr->mentee));
    io_sb_puts(b, ":");
    put_address(b, c->p, MM_MENTEE, pr->mentee);
    io_sb_eol(b);
  }
  io_sb_puts(b, "STATUS:CONFIRMED\nTRANSP:OPAQUE\nX-MENTORMATCH-MENTEE:");
  io_sb_text(b, mm_problem_person_id(c->p, MM_MENTEE, pr->mentee));
  io_sb_puts(b, "\nX-MENTORMATCH-MENTOR:");
  io_sb_text(b, mm_problem_person_id(c->p, MM_MENTOR, pr->mentor));
  io_sb_eol(b);
  if (form != IO_ICS_HASH) {
    io_sb_puts(b, "X-MENTORMATCH-CONTENT:");
    io_sb_hex64(b, s->hash);
    io_sb_eol(b);
  }
  io_sb_puts(b, "END:VEVENT\n");
}

/* A meeting's start and end in the mentor's zone.  The scheduler never
 * lets a meeting start, run or end in a local time a clock change skips or
 * repeats (engine/frame.c), so both wall-clock times name one instant and
 * the end is always start + length in every reader. */
static void put_times_of(io_sbuf *b, const io_ics_series *s, int64_t start) {
  int64_t length = s->listed[0].end_utc - s->listed[0].start_utc;
  io_ics_zone_time(b, s->mentor_zone, "DTSTART", start);
  io_ics_zone_time(b, s->mentor_zone, "DTEND", start + length);
}

/* What differs between the VEVENTs of a series: the master's times, RRULE,
 * SUMMARY and LOCATION (o NULL), or an override's RECURRENCE-ID, times,
 * SUMMARY and LOCATION (o the listed occurrence). */
static void put_middle(io_sbuf *b, io_ics_scratch *w, const io_ics_context *c, const io_ics_series *s,
                       const mm_occurrence *o) {
  if (!o) {
    put_times_of(b, s, s->starts[0]);
    io_sb_puts(b, "RRULE:FREQ=WEEKLY;");
    if (s->pair->interval_weeks > 1) {
      io_sb_puts(b, "INTERVAL=");
      io_sb_int(b, s->pair->interval_weeks, 0);
      io_sb_puts(b, ";");
    }
    io_sb_puts(b, "COUNT=");
    io_sb_int(b, s->count, 0);
    io_sb_eol(b);
    put_summary(b, &w->text, c, s, NULL);
    if (c->video_url) put_video_location(b, &w->text, c, s->pair);
    return;
  }
  io_ics_zone_time(b, s->mentor_zone, "RECURRENCE-ID", o->start_utc);
  put_times_of(b, s, o->start_utc);
  put_summary(b, &w->text, c, s, o);
  if (o->in_person) {
    io_sb_puts(b, "LOCATION:");
    io_sb_text(b, mm_problem_person_location(c->p, MM_MENTOR, s->pair->mentor));
    io_sb_eol(b);
  } else if (c->video_url) {
    put_video_location(b, &w->text, c, s->pair);
  }
}

/* Moves the logical lines of w->logical to dst, folded or as they are. */
static void emit(io_sbuf *dst, io_sbuf *logical, int fold) {
  if (fold) {
    io_ics_fold(dst, logical->s, logical->n);
  } else {
    io_sb_put(dst, logical->s, logical->n);
  }
  if (logical->nomem) dst->nomem = 1;
  io_sb_clear(logical);
}

/* The series' VEVENTs onto out.  Every piece ends a logical line, so folding
 * piece by piece gives the bytes folding the whole would; the head and the
 * tail, which each VEVENT repeats, are built (and folded) once. */
static void write_series(io_sbuf *out, io_ics_scratch *w, const io_ics_context *c, const io_ics_series *s,
                         io_ics_form form, int fold) {
  io_sb_clear(&w->logical);
  io_sb_clear(&w->head);
  io_sb_clear(&w->tail);
  io_sb_clear(&w->desc);
  describe(&w->desc, c, s);
  put_head(&w->logical, c, s, form);
  emit(&w->head, &w->logical, fold);
  put_tail(&w->logical, c, s, form, w->desc.s);
  emit(&w->tail, &w->logical, fold);
  for (size_t x = 0; x <= s->pair->n_occurrences; x++) {
    const mm_occurrence *o = x ? &s->listed[x - 1] : NULL;
    if (o && o->kind != MM_KIND_CHECKPOINT && !o->in_person) continue;
    io_sb_put(out, w->head.s, w->head.n);
    put_middle(&w->logical, w, c, s, o);
    emit(out, &w->logical, fold);
    io_sb_put(out, w->tail.s, w->tail.n);
  }
  if (w->desc.nomem || w->head.nomem || w->tail.nomem) out->nomem = 1;
}

void io_ics_event_write(io_sbuf *b, io_ics_scratch *w, const io_ics_context *c, const io_ics_series *s,
                        io_ics_form form) {
  write_series(b, w, c, s, form, 0);
}

void io_ics_event_fold(io_sbuf *out, io_ics_scratch *w, const io_ics_context *c, const io_ics_series *s,
                       io_ics_form form) {
  write_series(out, w, c, s, form, 1);
}

void io_ics_scratch_free(io_ics_scratch *w) {
  if (!w) return;
  free(w->logical.s);
  free(w->head.s);
  free(w->tail.s);
  free(w->desc.s);
  free(w->text.s);
  memset(w, 0, sizeof *w);
}
