/* test_ics.c: meetings.ics and meetings.csv writers (io/ics_writer.c, io/meetings_writer.c).
 *
 * Schedules a few pairs across DST, southern, half-hour, UTC and fixed-offset
 * zones, writes meetings.csv and every calendar file to a temporary folder
 * and hands them to tests/tools/check_ics.py, which parses and expands each
 * calendar on its own and with icalendar + recurring_ical_events and
 * compares it with the CSV rows.  Also checks byte-reproducibility and a
 * few exact lines.
 */
#include "check.h"
#include "ics_writer.h"
#include "internal.h"
#include "problems.h"
#include "meetings_writer.h"
#include "result.h"
#include "schedule.h"
#include "tzdb.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MM_TEST_DATA
#define MM_TEST_DATA "tests/data"
#endif

static void person(mm_problem *p, mm_side side, const char *id, const char *name,
                   const char *email, const char *zone_name, const char *avail,
                   const char *location) {
  mm_person x;
  mm_person_init(&x);
  x.id = id;
  x.name = name;
  x.email = email;
  x.zone = tp_zone(p, zone_name);
  x.capacity = 5;
  x.location = location;
  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(mm_availability_parse(avail, &x.availability, &e), MM_OK);
  CHECK_EQ(mm_problem_add_person(p, side, &x, &e), MM_OK);
}

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)len + 1);
  *n = fread(b, 1, (size_t)len, f);
  b[*n] = '\0';
  fclose(f);
  return b;
}

/* Writes meetings.csv and every calendar file into dir, as `match` does. */
static int write_files(const mm_problem *p, const mm_result *r, const mm_options *o,
                       const char *dir) {
  mm_error e;
  mm_error_clear(&e);
  io_ics_settings set;
  io_ics_settings_init(&set);
  set.stamp = 1800000000;
  io_ics *cal = NULL;
  mm_status st = io_ics_prepare(p, r, o, &set, &cal, &e);
  char path[512];
  for (size_t k = 0; st == MM_OK && k < io_ics_file_count(cal); k++) {
    const char *name = io_ics_file_name(cal, k);
    const char *slash = strchr(name, '/');
    if (slash) {
      snprintf(path, sizeof path, "%s/%.*s", dir, (int)(slash - name), name);
      mkdir(path, 0777);
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    io_sbuf text = {0};
    io_ics_scratch scratch = {0};
    io_ics_render_file(cal, k, &text, &scratch, NULL, NULL);
    st = f && !text.nomem && fwrite(text.s, 1, text.n, f) == text.n ? MM_OK : MM_ERR_IO;
    if (f) fclose(f);
    free(text.s);
    io_ics_scratch_free(&scratch);
  }
  io_ics_free(cal);
  if (st != MM_OK) fprintf(stderr, "ics: %s\n", e.message);
  CHECK_EQ(st, MM_OK);
  snprintf(path, sizeof path, "%s/meetings.csv", dir);
  FILE *f = fopen(path, "wb");
  st = io_write_meetings_csv(f, p, r, &e);
  fclose(f);
  CHECK_EQ(st, MM_OK);
  return st == MM_OK;
}

/* io_sb_int and io_sb_hex64 write what snprintf's "%0*lld" and "%016llx"
 * write (the calendar's dates and times used to be formatted that way). */
static void check_numbers(void) {
  static const long long values[] = {0,    1,     9,     10,   59,         99,        100,      999,
                                     1000, 2027,  9999,  10000, 253402300799LL, -1,     -5,       -42,
                                     -999, -2027, LLONG_MAX, LLONG_MIN};
  char want[64];
  for (size_t k = 0; k < sizeof values / sizeof *values; k++) {
    for (int width = 0; width <= 6; width++) {
      io_sbuf b = {0};
      io_sb_puts(&b, "x");
      io_sb_int(&b, values[k], width);
      snprintf(want, sizeof want, "x%0*lld", width, values[k]);
      CHECK_STR_EQ(b.s, want);
      free(b.s);
    }
  }
  static const uint64_t hex[] = {0, 1, 0xabcdef, 0x7d3c9a13a3aface6ULL, UINT64_MAX};
  for (size_t k = 0; k < sizeof hex / sizeof *hex; k++) {
    io_sbuf b = {0};
    io_sb_hex64(&b, hex[k]);
    snprintf(want, sizeof want, "%016llx", (unsigned long long)hex[k]);
    CHECK_STR_EQ(b.s, want);
    free(b.s);
  }
}

/* The folding rule, one unit at a time (a UTF-8 character, or a backslash
 * or caret with the character after it): a line breaks before the unit
 * that would take it past 75 octets; a continuation starts with a space. */
static void fold_by_units(io_sbuf *out, const unsigned char *p, const unsigned char *end) {
  size_t used = 0;
  while (p < end) {
    size_t lead = (*p == '\\' || *p == '^') && p + 1 < end, len = 1;
    const unsigned char *c = p + lead;
    if (*c >= 0x80)
      while (c + len < end && len < 4 && (c[len] & 0xc0) == 0x80) len++;
    len += lead;
    if (used + len > 75) {
      io_sb_put(out, "\r\n ", 3);
      used = 1;
    }
    io_sb_put(out, (const char *)p, len);
    used += len;
    p += len;
  }
  io_sb_put(out, "\r\n", 2);
}

/* io_ics_fold against fold_by_units on lines of every length from 0 to
 * 400 octets built from ASCII, escapes and 2- to 4-octet characters. */
static void check_fold(void) {
  static const char *const pieces[] = {"a", "Z", " ", "\\n", "\\,", "\\;", "\\\\", "^^", "^'", "^n",
                                       "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\\xc3\xa9", "\xc5\x81"};
  uint64_t seed = 12345;
  int same = 1;
  for (int len = 0; len <= 400 && same; len++) {
    for (int round = 0; round < 20 && same; round++) {
      io_sbuf line = {0}, got = {0}, want = {0};
      while ((int)line.n < len) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        io_sb_puts(&line, pieces[(seed >> 33) % (sizeof pieces / sizeof *pieces)]);
      }
      io_ics_fold(&got, line.s, line.n);
      fold_by_units(&want, (const unsigned char *)(line.s ? line.s : ""),
                    (const unsigned char *)(line.s ? line.s : "") + line.n);
      if (line.n == 0) want.n = 0; /* an empty buffer holds no line */
      same = got.n == want.n && (got.n == 0 || memcmp(got.s, want.s, got.n) == 0);
      if (!same) fprintf(stderr, "fold differs on: %s\n", line.s);
      free(line.s);
      free(got.s);
      free(want.s);
    }
  }
  CHECK(same);
}

static void run_checker(const char *dir, int want_ok) {
  const char *py = getenv("MM_PYTHON");
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s %s/../tools/check_ics.py %s", py && *py ? py : "/usr/bin/python3",
           MM_TEST_DATA, dir);
  int rc = system(cmd);
  if (want_ok) {
    CHECK_EQ(rc, 0);
  } else {
    CHECK_NE(rc, 0);
  }
}

int main(void) {
  check_numbers();
  check_fold();
  mm_options o;
  mm_options_init(&o);
  o.start_year = 2027;
  o.start_month = 3;
  o.start_day = 8;
  o.cadence = MM_CADENCE_BIWEEKLY;
  o.first_meetings = 3;
  mm_error e;
  mm_problem *p = mm_problem_create(&o, &e);
  CHECK(p != NULL);
  person(p, MM_MENTOR, "m-ny", "Ana Álvarez, PhD; \"Dr. A\"", "ana@example.org",
         "America/New_York", "Mon-Fri 08:00-12:00", "New York");
  person(p, MM_MENTOR, "m-utc", "Ulf", "", "UTC", "Tue,Thu 10:00-16:00", "");
  person(p, MM_MENTOR, "m-ist", "Isha", "isha@example.org", "UTC+05:30", "Mon-Fri 15:00-20:00",
         "");
  person(p, MM_MENTOR, "m-syd", "Sam", "sam@example.org", "Australia/Sydney",
         "Mon-Fri 07:00-09:00", "");
  person(p, MM_MENTEE, "e-ber", "Bea Bäcker-Müller mit einem sehr langen Namen, der gefaltet wird",
         "bea@example.org", "Europe/Berlin", "Mon-Fri 13:00-18:00", "new york");
  person(p, MM_MENTEE, "=e-lon", "Leo", "not an email", "Europe/London", "Tue-Thu 09:00-17:00",
         "");
  person(p, MM_MENTEE, "e-ktm", "Kai", "kai@example.org", "Asia/Kathmandu", "Mon-Fri 15:00-21:00",
         "");
  person(p, MM_MENTEE, "e-sao", "Sol", "sol@example.org", "America/Sao_Paulo",
         "Sun-Thu 17:00-21:00", "");

  mm_result *r = mm_result_create();
  r->n_pairs = 4;
  r->pairs = calloc(4, sizeof *r->pairs);
  for (size_t k = 0; k < 4; k++) {
    r->pairs[k].mentee = k;
    r->pairs[k].mentor = k;
  }
  char reasons[4][256];
  mm_people people;
  CHECK_EQ(mm_people_build(p, &people, &e), MM_OK);
  mm_slotter *sl = mm_slotter_create(p, &people, &e);
  CHECK(sl != NULL);
  CHECK_EQ(mm_schedule_pairs(sl, r->pairs, 4, NULL, NULL, &r->occ, &r->n_occ, reasons, &e), MM_OK);
  mm_slotter_free(sl);
  mm_people_free(&people);
  for (size_t k = 0; k < 4; k++) {
    CHECK(r->pairs[k].scheduled);
    if (!r->pairs[k].scheduled) fprintf(stderr, "pair %zu: %s\n", k, reasons[k]);
  }

  char dir[] = "/tmp/mm_test_ics_XXXXXX", dir2[] = "/tmp/mm_test_ics_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  CHECK(mkdtemp(dir2) != NULL);
  char ics[256], csv[256], ics2[256];
  snprintf(ics, sizeof ics, "%s/meetings.ics", dir);
  snprintf(csv, sizeof csv, "%s/meetings.csv", dir);
  snprintf(ics2, sizeof ics2, "%s/meetings.ics", dir2);
  if (write_files(p, r, &o, dir)) run_checker(dir, 1);

  /* Byte-reproducible: a second run writes the same bytes. */
  write_files(p, r, &o, dir2);
  size_t n1 = 0, n2 = 0;
  char *a = slurp(ics, &n1), *b = slurp(ics2, &n2);
  CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
  if (a) {
    /* Look at logical lines: drop every fold (CRLF + space) in place. */
    size_t w = 0;
    for (size_t k = 0; k < n1; k++) {
      if (a[k] == '\r' && a[k + 1] == '\n' && a[k + 2] == ' ') {
        k += 2;
        continue;
      }
      a[w++] = a[k];
    }
    a[w] = '\0';
    CHECK_STR_CONTAINS(a, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:");
    CHECK_STR_CONTAINS(a, "\r\nMETHOD:PUBLISH\r\n");
    CHECK_STR_CONTAINS(a, "\r\nDTSTAMP:20270115T080000Z\r\n");
    CHECK_STR_CONTAINS(a, "\r\nTZID:America/New_York\r\n");
    CHECK_STR_CONTAINS(a, "DTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
                          "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n");
    CHECK_STR_CONTAINS(a, "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=");
    CHECK_STR_CONTAINS(a, "RECURRENCE-ID;TZID=America/New_York:");
    CHECK(strstr(a, "RDATE") == NULL);
    CHECK(strstr(a, "ATTENDEE") == NULL);
    CHECK_STR_CONTAINS(a, "ORGANIZER;CN=\"Ana Álvarez, PhD; ^'Dr. A^'\":mailto:ana@example.org");
    CHECK_STR_CONTAINS(a, "SUMMARY:Mentoring: Ana Álvarez\\, PhD\\; \"Dr. A\" & Bea");
    /* UTC+05:30 has no IANA name: its series is written in UTC. */
    CHECK(strstr(a, "TZID:UTC") == NULL);
    CHECK(strstr(a, "TZID=UTC") == NULL);
    /* Pair 0 shares a location (case-insensitive): first meeting in person. */
    CHECK_STR_CONTAINS(a, "The first meeting is in person (New York)");
    CHECK_STR_CONTAINS(a, "SUMMARY:Mentoring (in person): Ana");
    CHECK_STR_CONTAINS(a, "LOCATION:New York\r\n");
  }
  free(a);
  free(b);
  size_t nc = 0;
  char *c = slurp(csv, &nc);
  if (c) {
    CHECK_STR_CONTAINS(c, "mentee_id,mentor_id,occurrence,start_utc,end_utc,mentor_local_start,"
                          "mentee_local_start,kind,format\n");
    CHECK_STR_CONTAINS(c, "e-ber,m-ny,1,2027-03-08T");
    CHECK_STR_CONTAINS(c, ",meeting,in-person\n");
    CHECK_STR_CONTAINS(c, ",checkpoint,video\n");
    CHECK_STR_CONTAINS(c, "'=e-lon,m-utc,1,");
    CHECK_STR_CONTAINS(c, "+05:30,2027-");
    CHECK_STR_CONTAINS(c, "+05:45,");
  }
  free(c);

  /* The checker must notice a calendar that disagrees with the CSV. */
  r->occ[1].start_utc += 3600;
  r->occ[1].end_utc += 3600;
  mm_error_clear(&e);
  FILE *f = fopen(csv, "wb");
  CHECK_EQ(io_write_meetings_csv(f, p, r, &e), MM_OK);
  fclose(f);
  fprintf(stderr, "(check_ics complaints about one moved occurrence are expected next)\n");
  run_checker(dir, 0);

  if (getenv("MM_KEEP")) return check_report("test_ics");
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir, dir2);
  CHECK_EQ(system(cmd), 0);
  mm_result_free(r);
  mm_problem_free(p);
  return check_report("test_ics");
}
