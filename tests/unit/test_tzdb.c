/* test_tzdb.c: zone lookups from the system tz database (zones/tzdb.c).
 *
 * Checks known 2027 transitions of northern, southern and half-hour zones
 * against the published rules, the fixed-offset syntax, the suggestion for a
 * misspelt name, and that every answer agrees with the C library's own
 * reading of the same files (localtime_r with TZ set, this test only).
 */
#include "check.h"
#include "tzdb.h"

#include <stdlib.h>
#include <time.h>

static int64_t utc(int y, int mo, int d, int h, int mi) {
  return io_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static const int64_t Y2027 = 1798761600; /* 2027-01-01T00:00Z */
static const int64_t Y2028 = 1830297600; /* 2028-01-01T00:00Z */

typedef struct {
  mm_zone_period *p;
  size_t n;
  mm_status st;
  mm_error e;
} lookup;

static lookup get(const char *name, int64_t from, int64_t to) {
  lookup l;
  mm_error_clear(&l.e);
  l.st = io_zone_lookup(name, from, to, &l.p, &l.n, &l.e);
  return l;
}

static void test_dates(void) {
  CHECK_EQ(utc(2027, 1, 1, 0, 0), Y2027);
  CHECK_EQ(utc(2028, 1, 1, 0, 0), Y2028);
  io_civil c;
  io_civil_from_seconds(utc(2027, 3, 14, 7, 0), &c);
  CHECK_EQ(c.year, 2027);
  CHECK_EQ(c.month, 3);
  CHECK_EQ(c.day, 14);
  CHECK_EQ(c.hour, 7);
  CHECK_EQ(c.weekday, 6); /* a Sunday */
  io_civil_from_seconds(-1, &c);
  CHECK_EQ(c.year, 1969);
  CHECK_EQ(c.second, 59);
  char b[16];
  CHECK_STR_EQ(io_format_offset(19800, 1, b, sizeof b), "+05:30");
  CHECK_STR_EQ(io_format_offset(-12600, 0, b, sizeof b), "-0330");
}

/* The formatters write what printf's forms would, for instants from 1970
 * to 2200 and offsets of either sign, with and without seconds. */
static void test_formats_as_printf(void) {
  static const int32_t offsets[] = {0, 19800, -12600, 3600, -36000, 50400, -3723, 45296, -86399};
  uint64_t x = 88172645463325252u;
  for (int k = 0; k < 20000; k++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t t = (int64_t)(x % (uint64_t)utc(2200, 1, 1, 0, 0));
    int32_t off = offsets[k % (int)(sizeof offsets / sizeof *offsets)];
    io_civil c, l;
    io_civil_from_seconds(t, &c);
    io_civil_from_seconds(t + off, &l);
    int32_t a = off < 0 ? -off : off;
    char want[64], got[64], zone[32];
    if (a % 60) {
      snprintf(zone, sizeof zone, "%c%02d:%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
    } else {
      snprintf(zone, sizeof zone, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    }
    snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute, c.second);
    CHECK_STR_EQ(io_format_utc(t, got, sizeof got), want);
    snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d%s", l.year, l.month, l.day, l.hour, l.minute,
             l.second, zone);
    CHECK_STR_EQ(io_format_local(t, off, got, sizeof got), want);
    CHECK_STR_EQ(io_format_offset(off, 1, got, sizeof got), zone);
  }
  char small[8];
  CHECK_STR_EQ(io_format_utc(0, small, sizeof small), "1970-01");
  CHECK_STR_EQ(io_format_offset(-3723, 0, small, sizeof small), "-010203");
}

static void test_london(void) {
  lookup l = get("Europe/London", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 3);
  if (l.n == 3) {
    CHECK_LE(l.p[0].at, Y2027);
    CHECK_EQ(l.p[0].offset_s, 0);
    CHECK_EQ(l.p[1].at, utc(2027, 3, 28, 1, 0));
    CHECK_EQ(l.p[1].offset_s, 3600);
    CHECK_EQ(l.p[2].at, utc(2027, 10, 31, 1, 0));
    CHECK_EQ(l.p[2].offset_s, 0);
  }
  free(l.p);
}

static void test_new_york(void) {
  lookup l = get("America/New_York", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 3);
  if (l.n == 3) {
    CHECK_EQ(l.p[0].offset_s, -5 * 3600);
    CHECK_EQ(l.p[1].at, utc(2027, 3, 14, 7, 0));
    CHECK_EQ(l.p[1].offset_s, -4 * 3600);
    CHECK_EQ(l.p[2].at, utc(2027, 11, 7, 6, 0));
  }
  free(l.p);
  /* Far past the last listed transition the footer rule must still apply. */
  l = get("America/New_York", utc(2150, 1, 1, 0, 0), utc(2151, 1, 1, 0, 0));
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 3);
  free(l.p);
}

static void test_south_and_half_hours(void) {
  lookup l = get("Australia/Adelaide", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 3);
  if (l.n == 3) {
    /* Summer time in January, standard from April, summer again from October. */
    CHECK_EQ(l.p[0].offset_s, 37800);
    CHECK_EQ(l.p[1].at, utc(2027, 4, 3, 16, 30)); /* 04-04 03:00 ACDT */
    CHECK_EQ(l.p[1].offset_s, 34200);
    CHECK_EQ(l.p[2].at, utc(2027, 10, 2, 16, 30)); /* 10-03 02:00 ACST */
    CHECK_EQ(l.p[2].offset_s, 37800);
  }
  free(l.p);
  l = get("Asia/Kathmandu", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 1);
  if (l.n) CHECK_EQ(l.p[0].offset_s, 5 * 3600 + 45 * 60);
  free(l.p);
  l = get("Asia/Kolkata", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 1);
  if (l.n) CHECK_EQ(l.p[0].offset_s, 19800);
  free(l.p);
  l = get("America/St_Johns", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 3);
  if (l.n == 3) {
    CHECK_EQ(l.p[0].offset_s, -12600);
    CHECK_EQ(l.p[1].offset_s, -9000);
    CHECK_EQ(l.p[1].at, utc(2027, 3, 14, 5, 30)); /* 02:00 NST */
  }
  free(l.p);
}

static void test_fixed(void) {
  lookup l = get("UTC+05:30", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  CHECK_EQ(l.n, 1);
  if (l.n) {
    CHECK_EQ(l.p[0].offset_s, 19800);
    CHECK_LE(l.p[0].at, Y2027);
  }
  free(l.p);
  l = get("UTC-03:00", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  if (l.n) CHECK_EQ(l.p[0].offset_s, -3 * 3600);
  free(l.p);
  l = get("UTC+5", Y2027, Y2028);
  CHECK_EQ(l.st, MM_OK);
  if (l.n) CHECK_EQ(l.p[0].offset_s, 5 * 3600);
  free(l.p);
  const char *utcs[] = {"UTC", "GMT", "Z", "Etc/UTC"};
  for (int k = 0; k < 4; k++) {
    l = get(utcs[k], Y2027, Y2028);
    CHECK_EQ(l.st, MM_OK);
    CHECK_EQ(l.n, 1);
    if (l.n) CHECK_EQ(l.p[0].offset_s, 0);
    free(l.p);
  }
  l = get("UTC+15:00", Y2027, Y2028);
  CHECK_EQ(l.st, MM_ERR_INVALID);
  CHECK_STR_EQ(l.e.field, "timezone");
  free(l.p);
  l = get("UTC+05:10", Y2027, Y2028);
  CHECK_EQ(l.st, MM_ERR_INVALID);
  CHECK_STR_CONTAINS(l.e.message, "quarter hours");
  free(l.p);
}

static void test_unknown(void) {
  lookup l = get("Europe/Londn", Y2027, Y2028);
  CHECK_EQ(l.st, MM_ERR_INVALID);
  CHECK_STR_EQ(l.e.field, "timezone");
  CHECK_STR_EQ(l.e.message, "unknown time zone \"Europe/Londn\" (did you mean \"Europe/London\"?)");
  CHECK(l.p == NULL);
  l = get("europe/london", Y2027, Y2028);
  CHECK_EQ(l.st, MM_ERR_INVALID);
  CHECK_STR_CONTAINS(l.e.message, "did you mean \"Europe/London\"");
  l = get("America/New York", Y2027, Y2028);
  CHECK_STR_CONTAINS(l.e.message, "did you mean \"America/New_York\"");
  l = get("Kolkata", Y2027, Y2028);
  CHECK_STR_CONTAINS(l.e.message, "did you mean \"Asia/Kolkata\"");
  const char *bad[] = {"", "../etc/passwd", "/etc/localtime", "Europe/../Europe/London",
                       "zone1970.tab", "tzdata.zi", "Europe", "right/Europe/London",
                       "Nowhere/Special", "localtime", "posixrules", "Factory", "posix/Europe/London",
                       "iso3166.tab", "leapseconds", "leap-seconds.list", "SECURITY"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    l = get(bad[k], Y2027, Y2028);
    CHECK_EQ(l.st, MM_ERR_INVALID);
    CHECK_STR_EQ(l.e.field, "timezone");
    CHECK(l.p == NULL);
  }
  l = get("Nowhere/Special", Y2027, Y2028);
  CHECK_STR_CONTAINS(l.e.message, "expected a tz database name");
  /* Historic local mean time is not a whole number of quarter hours. */
  l = get("Europe/Amsterdam", utc(1920, 1, 1, 0, 0), utc(1921, 1, 1, 0, 0));
  CHECK_EQ(l.st, MM_ERR_INVALID);
  CHECK_STR_CONTAINS(l.e.message, "quarter hours");
}

/* Every zone the C library also reads: same offsets at many instants. */
static void test_against_libc(void) {
  const char *zones[] = {"Europe/London",  "America/New_York", "Australia/Adelaide",
                         "Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe",
                         "Pacific/Chatham", "America/Santiago", "Africa/Casablanca",
                         "Europe/Dublin", "Asia/Tehran",      "Pacific/Auckland"};
  int64_t from = Y2027 - 86400 * 40, to = Y2028 + 86400 * 40;
  const char *old_tz = getenv("TZ");
  char saved[256] = "";
  if (old_tz) snprintf(saved, sizeof saved, "%s", old_tz);
  for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
    lookup l = get(zones[z], from, to);
    CHECK_EQ(l.st, MM_OK);
    if (l.st != MM_OK) {
      fprintf(stderr, "  %s: %s\n", zones[z], l.e.message);
      continue;
    }
    char tz[128];
    snprintf(tz, sizeof tz, ":%s", zones[z]);
    setenv("TZ", tz, 1);
    tzset();
    int bad = 0;
    for (int64_t t = from; t < to; t += 1800) {
      size_t k = 0;
      while (k + 1 < l.n && l.p[k + 1].at <= t) k++;
      time_t tt = (time_t)t;
      struct tm tm;
      localtime_r(&tt, &tm);
      if (tm.tm_gmtoff != l.p[k].offset_s && bad++ < 3)
        fprintf(stderr, "  %s at %lld: libc %ld, ours %d\n", zones[z], (long long)t,
                (long)tm.tm_gmtoff, l.p[k].offset_s);
    }
    CHECK_EQ(bad, 0);
    free(l.p);
  }
  if (old_tz) {
    setenv("TZ", saved, 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

/* Two spellings of one fixed offset are one zone. */
static void test_canonical(void) {
  static const struct {
    const char *asked, *want;
  } cases[] = {{"UTC+5", "UTC+05:00"},     {"UTC+05:00", "UTC+05:00"}, {"GMT+0500", "UTC+05:00"},
               {"utc-3", "UTC-03:00"},     {"UTC", "UTC"},             {"Z", "UTC"},
               {"GMT", "UTC"},             {"UTC+0", "UTC"},           {"UTC-00:00", "UTC"},
               {"UTC+5:30", "UTC+05:30"},  {"Europe/London", "Europe/London"}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    char buf[64];
    io_zone_canonical(cases[k].asked, buf, sizeof buf);
    CHECK_STR_EQ(buf, cases[k].want);
  }
}

int main(void) {
  test_canonical();
  test_dates();
  test_formats_as_printf();
  test_london();
  test_new_york();
  test_south_and_half_hours();
  test_fixed();
  test_unknown();
  test_against_libc();
  return check_report("test_tzdb");
}
