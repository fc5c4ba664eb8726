/* ics_writer.c: writes meetings.ics (RFC 5545) from a result's scheduled series.
 *
 * Calendar clients disagree on much of iCalendar, so this file keeps to the
 * core every major client imports: CRLF lines folded at 75 octets without
 * splitting UTF-8 characters, escaped TEXT, quoted parameter values, one
 * VTIMEZONE per TZID written out as explicit transitions from the system tz
 * data (no guessed yearly rules), and a WEEKLY RRULE with COUNT plus RDATEs
 * so that expanding the event gives exactly the rows of meetings.csv.  Every
 * value is derived from the input, never from the clock or a random source,
 * so runs are byte-reproducible.
 */
#include "ics_writer.h"

#include "tzdb.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- text building ------------------------------------------------------ */

typedef struct {
  char *s;
  size_t n, cap;
  int nomem;
} sbuf;

static void put(sbuf *b, const char *s, size_t n) {
  if (b->nomem) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1) cap *= 2;
    char *v = realloc(b->s, cap);
    if (!v) {
      b->nomem = 1;
      return;
    }
    b->s = v;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void putf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void putf(sbuf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* TEXT value escaping (RFC 5545 3.3.11); other control characters dropped. */
static void put_text(sbuf *b, const char *s) {
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\\' || c == ';' || c == ',') {
      char esc[2] = {'\\', (char)c};
      put(b, esc, 2);
    } else if (c == '\n') {
      put(b, "\\n", 2);
    } else if (c >= 0x20 && c != 0x7f) {
      put(b, (const char *)&c, 1);
    }
  }
}

/* A quoted parameter value: DQUOTE and control characters cannot appear. */
static void put_param(sbuf *b, const char *s) {
  put(b, "\"", 1);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"') {
      put(b, "'", 1);
    } else if (c >= 0x20 && c != 0x7f) {
      put(b, (const char *)&c, 1);
    }
  }
  put(b, "\"", 1);
}

/* ---- output with folding ------------------------------------------------- */

typedef struct {
  FILE *f;
  int failed;
} ics_out;

/* Writes one content line: CRLF, folded before 75 octets, never inside a
 * UTF-8 sequence (a continuation line starts with one space). */
static void emit(ics_out *o, const char *line) {
  size_t used = 0;
  const unsigned char *run = (const unsigned char *)line, *p = run;
  while (*p) {
    size_t len = 1;
    if (*p >= 0xc0) {
      while (len < 4 && (p[len] & 0xc0) == 0x80) len++;
    }
    if (used + len > 75) {
      /* Write what fits on this line in one call, then fold. */
      if (fwrite(run, 1, (size_t)(p - run), o->f) != (size_t)(p - run)) o->failed = 1;
      if (fputs("\r\n ", o->f) == EOF) o->failed = 1;
      run = p;
      used = 1;
    }
    used += len;
    p += len;
  }
  if (fwrite(run, 1, (size_t)(p - run), o->f) != (size_t)(p - run)) o->failed = 1;
  if (fputs("\r\n", o->f) == EOF) o->failed = 1;
}

static void emit_buf(ics_out *o, sbuf *b) {
  emit(o, b->s ? b->s : "");
  b->n = 0;
  if (b->s) b->s[0] = '\0';
}

/* ---- time values --------------------------------------------------------- */

/* "20270312T090000" for the UTC instant t seen at offset off. */
static void put_local(sbuf *b, int64_t t, int32_t off) {
  io_civil c;
  io_civil_from_seconds(t + off, &c);
  putf(b, "%04d%02d%02dT%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

static void put_offset(sbuf *b, int32_t off) {
  char tmp[16];
  puts_(b, io_format_offset(off, 0, tmp, sizeof tmp));
}

typedef struct {
  const char *name;
  char tzid[80]; /* the name as a TZID parameter can carry it */
  int utc;
  io_zone_change *changes;
  size_t n;
} zone_info;

/* A TZID parameter value is bare paramtext (RFC 5545 3.2.19): no ':' ';'
 * ',' or '"'.  IANA names never hold them; a fixed offset "UTC+05:30"
 * becomes "UTC+0530". */
static void make_tzid(const char *name, char *out, size_t size) {
  size_t n = 0;
  for (; *name && n + 1 < size; name++) {
    unsigned char c = (unsigned char)*name;
    if (c == ':' || c < 0x20 || c == 0x7f) continue;
    out[n++] = (c == ';' || c == ',' || c == '"') ? '_' : (char)c;
  }
  out[n] = '\0';
}

static int32_t offset_at(const zone_info *z, int64_t t) {
  int32_t off = z->n ? z->changes[0].offset_s : 0;
  for (size_t k = 1; k < z->n && z->changes[k].at <= t; k++) off = z->changes[k].offset_s;
  return off;
}

static void write_vtimezone(ics_out *o, sbuf *b, const zone_info *z) {
  emit(o, "BEGIN:VTIMEZONE");
  puts_(b, "TZID:");
  puts_(b, z->tzid);
  emit_buf(o, b);
  for (size_t k = 0; k < z->n; k++) {
    const io_zone_change *c = &z->changes[k];
    /* The first entry is the offset already in force: it starts at its own
     * offset.  Later ones start at local time in the offset they leave. */
    int32_t from = k ? z->changes[k - 1].offset_s : c->offset_s;
    const char *kind = c->is_dst ? "DAYLIGHT" : "STANDARD";
    putf(b, "BEGIN:%s", kind);
    emit_buf(o, b);
    puts_(b, "DTSTART:");
    put_local(b, c->at, from);
    emit_buf(o, b);
    puts_(b, "TZOFFSETFROM:");
    put_offset(b, from);
    emit_buf(o, b);
    puts_(b, "TZOFFSETTO:");
    put_offset(b, c->offset_s);
    emit_buf(o, b);
    if (c->abbr[0]) {
      puts_(b, "TZNAME:");
      put_text(b, c->abbr);
      emit_buf(o, b);
    }
    putf(b, "END:%s", kind);
    emit_buf(o, b);
  }
  emit(o, "END:VTIMEZONE");
}

/* ---- people -------------------------------------------------------------- */

/* A roster e-mail usable in a mailto: URI (no blanks, quotes or angle brackets). */
static int plain_email(const char *s) {
  const char *at = strchr(s, '@');
  if (!at || at == s || !at[1]) return 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c <= 0x20 || c >= 0x7f || strchr("\"<>()[]\\,;:", c)) return 0;
  }
  return 1;
}

/* mailto: when there is an address, else a stable URN naming the roster id. */
static void put_address(sbuf *b, const char *email, const char *side, const char *id) {
  if (plain_email(email)) {
    puts_(b, "mailto:");
    puts_(b, email);
    return;
  }
  putf(b, "urn:x-mentormatch:%s:", side);
  for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p)) {
      put(b, (const char *)p, 1);
    } else {
      putf(b, "%%%02X", *p);
    }
  }
}

static const char *display(const char *name, const char *id) { return name && *name ? name : id; }

/* FNV-1a, 64 bits, over a string and a separator. */
static uint64_t fnv(uint64_t h, const char *s) {
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(0x100000001b3);
  }
  h ^= 0x1f;
  return h * UINT64_C(0x100000001b3);
}

/* ---- the calendar -------------------------------------------------------- */

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *const weekdays[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

static void write_event(ics_out *o, sbuf *b, const mm_problem *p, const mm_result *r,
                        const mm_pair *pr, const zone_info *z, const char *stamp,
                        const char *start_key) {
  const mm_occurrence *oc = mm_result_occurrence(r, pr->first_occurrence);
  size_t n = pr->n_occurrences;
  const char *mentee_id = mm_problem_person_id(p, MM_MENTEE, pr->mentee);
  const char *mentor_id = mm_problem_person_id(p, MM_MENTOR, pr->mentor);
  const char *mentee = display(mm_problem_person_name(p, MM_MENTEE, pr->mentee), mentee_id);
  const char *mentor = display(mm_problem_person_name(p, MM_MENTOR, pr->mentor), mentor_id);
  const char *mentee_zone = mm_problem_person_zone(p, MM_MENTEE, pr->mentee);
  /* Occurrences 0, 1, .. count-1 come from the rule; the rest are RDATEs. */
  size_t count = 0;
  while (count < n && oc[count].index == (int)count) count++;

  emit(o, "BEGIN:VEVENT");
  uint64_t h1 = fnv(fnv(fnv(UINT64_C(0xcbf29ce484222325), mentee_id), mentor_id), start_key);
  uint64_t h2 = fnv(fnv(fnv(UINT64_C(0x84222325cbf29ce4), mentor_id), mentee_id), start_key);
  putf(b, "UID:%016llx%016llx@mentormatch", (unsigned long long)h1, (unsigned long long)h2);
  emit_buf(o, b);
  putf(b, "DTSTAMP:%s", stamp);
  emit_buf(o, b);
  for (int end = 0; end < 2; end++) {
    int64_t t = end ? oc[0].end_utc : oc[0].start_utc;
    puts_(b, end ? "DTEND" : "DTSTART");
    if (z->utc) {
      puts_(b, ":");
      put_local(b, t, 0);
      puts_(b, "Z");
    } else {
      puts_(b, ";TZID=");
      puts_(b, z->tzid);
      puts_(b, ":");
      put_local(b, t, offset_at(z, t));
    }
    emit_buf(o, b);
  }
  if (count > 1) {
    putf(b, "RRULE:FREQ=WEEKLY;INTERVAL=%d;COUNT=%zu", pr->interval_weeks, count);
    emit_buf(o, b);
  }
  if (count < n) {
    puts_(b, "RDATE");
    if (!z->utc) {
      puts_(b, ";TZID=");
      puts_(b, z->tzid);
    }
    puts_(b, ":");
    for (size_t x = count; x < n; x++) {
      if (x > count) puts_(b, ",");
      put_local(b, oc[x].start_utc, z->utc ? 0 : offset_at(z, oc[x].start_utc));
      if (z->utc) puts_(b, "Z");
    }
    emit_buf(o, b);
  }
  puts_(b, "SUMMARY:");
  sbuf s = {0};
  putf(&s, "Mentoring: %s & %s", mentor, mentee);
  put_text(b, s.s);
  emit_buf(o, b);

  /* DESCRIPTION: who, when in each person's own time, checkpoints. */
  s.n = 0;
  int minutes = (int)((oc[0].end_utc - oc[0].start_utc) / 60);
  putf(&s, "Mentor: %s (%s), %s %02d:%02d %s time.\n", mentor, mentor_id,
       weekdays[pr->slot_weekday % 7], pr->slot_minute / 60, pr->slot_minute % 60, z->name);
  putf(&s, "Mentee: %s (%s), %s %02d:%02d %s time at the first meeting.\n", mentee, mentee_id,
       weekdays[pr->mentee_weekday % 7], pr->mentee_minute / 60, pr->mentee_minute % 60,
       mentee_zone);
  putf(&s, "%d minutes, every %s.", minutes,
       pr->interval_weeks == 1 ? "week" : pr->interval_weeks == 2 ? "two weeks" : "four weeks");
  int checkpoints = 0;
  for (size_t x = 0; x < n; x++) {
    if (oc[x].kind != MM_KIND_CHECKPOINT) continue;
    io_civil c;
    io_civil_from_seconds(oc[x].start_utc + oc[x].mentor_offset_s, &c);
    putf(&s, "%s%04d-%02d-%02d", checkpoints++ ? ", " : "\nProgram checkpoints: ", c.year,
         c.month, c.day);
  }
  if (checkpoints) puts_(&s, ".");
  if (oc[0].in_person) {
    putf(&s, "\nThe first meeting is in person (%s); the others are video calls.",
         mm_problem_person_location(p, MM_MENTOR, pr->mentor));
  }
  puts_(b, "DESCRIPTION:");
  put_text(b, s.s);
  emit_buf(o, b);
  if (s.nomem) b->nomem = 1;
  free(s.s);

  puts_(b, "ORGANIZER;CN=");
  put_param(b, mentor);
  puts_(b, ":");
  put_address(b, mm_problem_person_email(p, MM_MENTOR, pr->mentor), "mentor", mentor_id);
  emit_buf(o, b);
  puts_(b, "ATTENDEE;CN=");
  put_param(b, mentee);
  puts_(b, ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:");
  put_address(b, mm_problem_person_email(p, MM_MENTEE, pr->mentee), "mentee", mentee_id);
  emit_buf(o, b);
  puts_(b, "X-MENTORMATCH-MENTEE:");
  put_text(b, mentee_id);
  emit_buf(o, b);
  puts_(b, "X-MENTORMATCH-MENTOR:");
  put_text(b, mentor_id);
  emit_buf(o, b);
  emit(o, "SEQUENCE:0");
  emit(o, "STATUS:CONFIRMED");
  emit(o, "TRANSP:OPAQUE");
  emit(o, "END:VEVENT");
}

mm_status io_write_ics_with(FILE *f, const mm_problem *p, const mm_result *r, const mm_options *opt,
                            mm_error *e) {
  ics_out o = {f, 0};
  sbuf b = {0};
  mm_status st = MM_OK;
  size_t n_pairs = mm_result_pair_count(r), n_occ = mm_result_occurrence_count(r);
  const char **names = malloc((n_pairs ? n_pairs : 1) * sizeof *names);
  zone_info *zones = calloc(n_pairs ? n_pairs : 1, sizeof *zones);
  size_t n_names = 0, n_zones = 0;
  if (!names || !zones) goto nomem;

  /* The window and the stamp: from the options, or from the occurrences. */
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (size_t k = 0; k < n_pairs; k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (!pr->scheduled || pr->n_occurrences == 0 || pr->first_occurrence + pr->n_occurrences > n_occ)
      continue;
    names[n_names++] = mm_problem_person_zone(p, MM_MENTOR, pr->mentor);
    const mm_occurrence *oc = mm_result_occurrence(r, pr->first_occurrence);
    if (oc[0].start_utc < first) first = oc[0].start_utc;
    if (oc[pr->n_occurrences - 1].end_utc > last) last = oc[pr->n_occurrences - 1].end_utc;
  }
  int64_t from, to, stamp_t;
  if (opt) {
    mm_options_window(opt, &from, &to);
    stamp_t = io_days_from_civil(opt->start_year, opt->start_month, opt->start_day) * 86400;
  } else {
    if (n_names == 0) first = last = 0;
    from = first - 7 * 86400;
    to = last + 7 * 86400;
    stamp_t = first - ((first % 86400) + 86400) % 86400;
  }
  char stamp[32], start_key[16];
  io_civil sc;
  io_civil_from_seconds(stamp_t, &sc);
  snprintf(stamp, sizeof stamp, "%04d%02d%02dT000000Z", sc.year, sc.month, sc.day);
  snprintf(start_key, sizeof start_key, "%04d%02d%02d", sc.year, sc.month, sc.day);

  qsort(names, n_names, sizeof *names, cmp_name);
  for (size_t k = 0; k < n_names; k++) {
    if (n_zones && strcmp(zones[n_zones - 1].name, names[k]) == 0) continue;
    zone_info *z = &zones[n_zones++];
    z->name = names[k];
    make_tzid(names[k], z->tzid, sizeof z->tzid);
    z->utc = io_zone_is_utc(names[k]);
    if (!z->utc && (st = io_zone_lookup_detail(names[k], from, to, &z->changes, &z->n, e)) != MM_OK)
      goto done;
  }

  emit(&o, "BEGIN:VCALENDAR");
  emit(&o, "VERSION:2.0");
  emit(&o, "PRODID:-//mentormatch//mentormatch " MM_VERSION "//EN");
  emit(&o, "CALSCALE:GREGORIAN");
  emit(&o, "METHOD:PUBLISH");
  emit(&o, "X-WR-CALNAME:Mentoring meetings");
  for (size_t k = 0; k < n_zones; k++)
    if (!zones[k].utc) write_vtimezone(&o, &b, &zones[k]);
  for (size_t k = 0; k < n_pairs; k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (!pr->scheduled || pr->n_occurrences == 0 || pr->first_occurrence + pr->n_occurrences > n_occ)
      continue;
    const char *zn = mm_problem_person_zone(p, MM_MENTOR, pr->mentor);
    size_t lo = 0, hi = n_zones;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (strcmp(zones[mid].name, zn) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    write_event(&o, &b, p, r, pr, &zones[lo], stamp, start_key);
  }
  emit(&o, "END:VCALENDAR");
  if (b.nomem) goto nomem;
  if (o.failed || fflush(f) != 0 || ferror(f)) {
    mm_error_set(e, NULL, "could not write meetings.ics");
    st = MM_ERR_IO;
  }
  goto done;
nomem:
  mm_error_set(e, NULL, "out of memory writing meetings.ics");
  st = MM_ERR_NOMEM;
done:
  for (size_t k = 0; k < n_zones; k++) free(zones[k].changes);
  free(zones);
  free(names);
  free(b.s);
  return st;
}

mm_status io_write_ics(FILE *f, const mm_problem *p, const mm_result *r, mm_error *e) {
  return io_write_ics_with(f, p, r, NULL, e);
}
