/* tzdb.c: reads zone offsets from the system's compiled tz database (TZif).
 *
 * Each person's zone becomes a few offset periods over the program window.
 * Rather than keep a table of rules by hand (which would go stale with every
 * tzdata release) or change the process-wide TZ variable and probe
 * localtime_r (not thread safe, and it hides errors), this file parses the
 * TZif files itself (RFC 8536): the 64-bit section of version 2+ files and
 * the POSIX TZ rule in the footer, which is the only source for instants
 * after the last listed transition in Debian's "slim" files.  Unknown names
 * are answered with the closest real name from tzdata.zi, because a typo in
 * a roster is the usual cause.
 */
#include "tzdb.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FIELD "timezone"
#define MAX_TZIF_BYTES (1u << 20)
#define MAX_OFFSET_S (14 * 3600)

/* ---- civil dates (Hinnant's public-domain algorithms) ------------------ */

int64_t io_days_from_civil(int y, int m, int d) {
  int64_t yy = (int64_t)y - (m <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void io_civil_from_seconds(int64_t t, io_civil *c) {
  int64_t days = floor_div(t, 86400);
  int64_t secs = t - days * 86400;
  c->hour = (int)(secs / 3600);
  c->minute = (int)(secs / 60 % 60);
  c->second = (int)(secs % 60);
  c->weekday = (int)(((days + 3) % 7 + 7) % 7);
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
  c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
  c->year = (int)(yoe + era * 400 + (c->month <= 2));
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Two decimal digits of v (0..99) at d; returns d + 2. */
static char *two_digits(char *d, int v) {
  d[0] = (char)('0' + v / 10);
  d[1] = (char)('0' + v % 10);
  return d + 2;
}

/* "+05:30" or "+0530" (seconds appended when not zero) at d, NUL-terminated;
 * returns the NUL's place.  d holds at least 11 bytes. */
static char *offset_text(int32_t offset_s, int colon, char *d) {
  int64_t a = offset_s < 0 ? -(int64_t)offset_s : offset_s;
  int h = (int)(a / 3600), m = (int)(a / 60 % 60), s = (int)(a % 60);
  *d++ = offset_s < 0 ? '-' : '+';
  if (h >= 100) *d++ = (char)('0' + h / 100 % 10);
  d = two_digits(d, h % 100);
  if (colon) *d++ = ':';
  d = two_digits(d, m);
  if (s) {
    if (colon) *d++ = ':';
    d = two_digits(d, s);
  }
  *d = '\0';
  return d;
}

char *io_format_offset(int32_t offset_s, int colon, char *buf, size_t size) {
  char text[16];
  offset_text(offset_s, colon, text);
  snprintf(buf, size, "%s", text);
  return buf;
}

/* "2027-03-12T14:00:00" for c at d (20 bytes with the NUL); NULL when the
 * year has not four digits (printf's forms then). */
static char *civil_text(const io_civil *c, char *d) {
  if (c->year < 0 || c->year > 9999) return NULL;
  d = two_digits(d, c->year / 100);
  d = two_digits(d, c->year % 100);
  *d++ = '-';
  d = two_digits(d, c->month);
  *d++ = '-';
  d = two_digits(d, c->day);
  *d++ = 'T';
  d = two_digits(d, c->hour);
  *d++ = ':';
  d = two_digits(d, c->minute);
  *d++ = ':';
  d = two_digits(d, c->second);
  *d = '\0';
  return d;
}

char *io_format_utc(int64_t t, char *buf, size_t size) {
  io_civil c;
  io_civil_from_seconds(t, &c);
  char text[24], *end = civil_text(&c, text);
  if (end && size > 21) {
    memcpy(buf, text, (size_t)(end - text));
    memcpy(buf + (end - text), "Z", 2);
    return buf;
  }
  snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute,
           c.second);
  return buf;
}

char *io_format_local(int64_t t, int32_t offset_s, char *buf, size_t size) {
  io_civil c;
  char off[16];
  io_civil_from_seconds(t + offset_s, &c);
  offset_text(offset_s, 1, off);
  char text[24], *end = civil_text(&c, text);
  size_t n = end ? (size_t)(end - text) : 0, n_off = strlen(off);
  if (end && n + n_off < size) {
    memcpy(buf, text, n);
    memcpy(buf + n, off, n_off + 1);
    return buf;
  }
  snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s", c.year, c.month, c.day, c.hour, c.minute,
           c.second, off);
  return buf;
}

/* ---- growable list of changes ------------------------------------------ */

typedef struct {
  io_zone_change *v;
  size_t n, cap;
} change_list;

static int push(change_list *l, int64_t at, int32_t off, int dst, const char *abbr) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    io_zone_change *v = realloc(l->v, cap * sizeof *v);
    if (!v) return 0;
    l->v = v;
    l->cap = cap;
  }
  io_zone_change *c = &l->v[l->n++];
  c->at = at;
  c->offset_s = off;
  c->is_dst = dst;
  snprintf(c->abbr, sizeof c->abbr, "%s", abbr ? abbr : "");
  return 1;
}

/* ---- POSIX TZ rules (the TZif footer) ----------------------------------- */

static int parse_name(const char **s, char *out, size_t size) {
  const char *p = *s;
  size_t n = 0;
  if (*p == '<') {
    p++;
    while (*p && *p != '>') {
      if (n + 1 < size) out[n++] = *p;
      p++;
    }
    if (*p != '>') return 0;
    p++;
  } else {
    while (isalpha((unsigned char)*p)) {
      if (n + 1 < size) out[n++] = *p;
      p++;
    }
    if (n < 3) return 0;
  }
  out[n] = '\0';
  *s = p;
  return 1;
}

/* [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536 extension).  Returns seconds. */
static int parse_hms(const char **s, int32_t *out) {
  const char *p = *s;
  int sign = 1;
  if (*p == '+' || *p == '-') {
    if (*p == '-') sign = -1;
    p++;
  }
  if (!isdigit((unsigned char)*p)) return 0;
  int32_t h = 0, m = 0, sec = 0;
  while (isdigit((unsigned char)*p) && h <= 167) h = h * 10 + (*p++ - '0');
  if (h > 167) return 0;
  if (*p == ':') {
    p++;
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return 0;
    m = (p[0] - '0') * 10 + (p[1] - '0');
    p += 2;
    if (*p == ':') {
      p++;
      if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return 0;
      sec = (p[0] - '0') * 10 + (p[1] - '0');
      p += 2;
    }
  }
  *out = sign * (h * 3600 + m * 60 + sec);
  *s = p;
  return 1;
}

static int parse_int(const char **s, int lo, int hi, int *out) {
  const char *p = *s;
  int v = 0;
  if (!isdigit((unsigned char)*p)) return 0;
  while (isdigit((unsigned char)*p) && v <= hi) v = v * 10 + (*p++ - '0');
  if (v < lo || v > hi) return 0;
  *out = v;
  *s = p;
  return 1;
}

static int parse_date_rule(const char **s, io_tz_date *r) {
  const char *p = *s;
  if (*p == 'M') {
    p++;
    r->kind = 'M';
    if (!parse_int(&p, 1, 12, &r->month) || *p++ != '.' || !parse_int(&p, 1, 5, &r->week) ||
        *p++ != '.' || !parse_int(&p, 0, 6, &r->wday))
      return 0;
  } else if (*p == 'J') {
    p++;
    r->kind = 'J';
    if (!parse_int(&p, 1, 365, &r->day)) return 0;
  } else {
    r->kind = 'n';
    if (!parse_int(&p, 0, 365, &r->day)) return 0;
  }
  r->time_s = 2 * 3600;
  if (*p == '/') {
    p++;
    if (!parse_hms(&p, &r->time_s)) return 0;
  }
  *s = p;
  return 1;
}

static int parse_tz_rule(const char *s, io_tz_rule *r) {
  memset(r, 0, sizeof *r);
  r->kind = IO_TZ_RULE;
  int32_t off;
  if (!parse_name(&s, r->std_name, sizeof r->std_name) || !parse_hms(&s, &off)) return 0;
  r->std_off = -off;
  if (!*s) return 1;
  if (!parse_name(&s, r->dst_name, sizeof r->dst_name)) return 0;
  r->has_dst = 1;
  r->dst_off = r->std_off + 3600;
  if (*s && *s != ',') {
    if (!parse_hms(&s, &off)) return 0;
    r->dst_off = -off;
  }
  if (!*s) {
    /* POSIX leaves the default to the implementation; use the US rule as
     * glibc and tzcode do. */
    const char *def = "M3.2.0,M11.1.0";
    return parse_date_rule(&def, &r->start) && *def++ == ',' && parse_date_rule(&def, &r->end);
  }
  if (*s++ != ',' || !parse_date_rule(&s, &r->start) || *s++ != ',' ||
      !parse_date_rule(&s, &r->end))
    return 0;
  return *s == '\0';
}

int64_t io_tz_date_day(const io_tz_date *r, int y) {
  int64_t jan1 = io_days_from_civil(y, 1, 1);
  if (r->kind == 'J') return jan1 + r->day - 1 + (is_leap(y) && r->day >= 60);
  if (r->kind == 'n') return jan1 + r->day;
  int64_t first = io_days_from_civil(y, r->month, 1);
  int wd_first = (int)(((first + 4) % 7 + 7) % 7); /* 0 = Sunday */
  int d = 1 + (r->wday - wd_first + 7) % 7 + 7 * (r->week - 1);
  while (d > days_in_month(y, r->month)) d -= 7;
  return first + d - 1;
}

/* Appends the rule's changes for years y0..y1 that fall after `after`. */
static int push_rule_years(change_list *l, const io_tz_rule *r, int y0, int y1, int64_t after) {
  for (int y = y0; y <= y1; y++) {
    int64_t on = io_tz_date_day(&r->start, y) * 86400 + r->start.time_s - r->std_off;
    int64_t off = io_tz_date_day(&r->end, y) * 86400 + r->end.time_s - r->dst_off;
    /* Southern-hemisphere rules end daylight time before they start it. */
    int64_t first = on < off ? on : off, second = on < off ? off : on;
    int first_is_on = on < off;
    if (first > after &&
        !push(l, first, first_is_on ? r->dst_off : r->std_off, first_is_on,
              first_is_on ? r->dst_name : r->std_name))
      return 0;
    if (second > after &&
        !push(l, second, first_is_on ? r->std_off : r->dst_off, !first_is_on,
              first_is_on ? r->std_name : r->dst_name))
      return 0;
  }
  return 1;
}

/* ---- TZif --------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
  return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct {
  uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

static int read_counts(const unsigned char *b, size_t n, size_t at, tzif_counts *c) {
  if (at + 44 > n || memcmp(b + at, "TZif", 4) != 0) return 0;
  const unsigned char *h = b + at + 20;
  c->isut = be32(h);
  c->isstd = be32(h + 4);
  c->leap = be32(h + 8);
  c->time = be32(h + 12);
  c->type = be32(h + 16);
  c->chars = be32(h + 20);
  return c->type >= 1 && c->type <= 256 && c->time <= 100000 && c->chars <= 65536 &&
         c->leap <= 100000 && c->isut <= 256 && c->isstd <= 256;
}

static size_t block_size(const tzif_counts *c, size_t time_bytes) {
  return (size_t)c->time * time_bytes + c->time + (size_t)c->type * 6 + c->chars +
         (size_t)c->leap * (time_bytes + 4) + c->isstd + c->isut;
}

/* The designation of local time type t, bounded by the designation table. */
static void type_abbr(const unsigned char *types, const char *chars, uint32_t n_chars, unsigned t,
                      char *abbr, size_t size) {
  unsigned di = types[t * 6 + 5];
  size_t k = 0;
  while (di + k < n_chars && chars[di + k] && k + 1 < size) {
    abbr[k] = chars[di + k];
    k++;
  }
  abbr[k] = '\0';
}

/* Parses a whole TZif file into every change it lists plus the footer's
 * changes for the years up to `to`.  *first_* is the type in force before
 * the first change.  Returns 0 on a malformed file, -1 on leap-second data,
 * -2 when memory is short. */
static int parse_tzif(const unsigned char *b, size_t n, int64_t from, int64_t to,
                      change_list *out, io_zone_change *initial, io_tz_rule *rule) {
  tzif_counts c;
  if (!read_counts(b, n, 0, &c)) return 0;
  size_t time_bytes = 4, at = 44;
  int version = b[4];
  const unsigned char *footer = NULL;
  size_t footer_len = 0;
  if (version >= '2') {
    size_t second = 44 + block_size(&c, 4);
    if (!read_counts(b, n, second, &c)) return 0;
    time_bytes = 8;
    at = second + 44;
    size_t end = at + block_size(&c, 8);
    if (end > n) return 0;
    if (end < n && b[end] == '\n') {
      const unsigned char *nl = memchr(b + end + 1, '\n', n - end - 1);
      if (!nl) return 0;
      footer = b + end + 1;
      footer_len = (size_t)(nl - footer);
    }
  } else if (at + block_size(&c, 4) > n) {
    return 0;
  }
  if (c.leap) return -1;
  const unsigned char *times = b + at;
  const unsigned char *idx = times + (size_t)c.time * time_bytes;
  const unsigned char *types = idx + c.time;
  const char *chars = (const char *)(types + (size_t)c.type * 6);
  char abbr[16];
  /* Before the first change the first type applies (RFC 8536 3.2). */
  type_abbr(types, chars, c.chars, 0, abbr, sizeof abbr);
  initial->at = INT64_MIN;
  initial->offset_s = (int32_t)be32(types);
  initial->is_dst = types[4] != 0;
  snprintf(initial->abbr, sizeof initial->abbr, "%s", abbr);
  int64_t last = INT64_MIN;
  for (uint32_t k = 0; k < c.time; k++) {
    int64_t t = time_bytes == 8 ? be64(times + (size_t)k * 8) : (int32_t)be32(times + (size_t)k * 4);
    unsigned ty = idx[k];
    if (ty >= c.type || t <= last) return 0;
    last = t;
    type_abbr(types, chars, c.chars, ty, abbr, sizeof abbr);
    if (!push(out, t, (int32_t)be32(types + ty * 6), types[ty * 6 + 4] != 0, abbr)) return -2;
  }
  if (footer && footer_len > 0) {
    char text[128];
    if (footer_len >= sizeof text) return 0;
    memcpy(text, footer, footer_len);
    text[footer_len] = '\0';
    io_tz_rule r;
    if (!parse_tz_rule(text, &r)) return 0;
    *rule = r;
    if (!r.has_dst) {
      /* A fixed rule only matters when nothing is listed (e.g. "UTC0"); after
       * listed changes it repeats the last one. */
      if (c.time == 0) {
        initial->offset_s = r.std_off;
        initial->is_dst = 0;
        snprintf(initial->abbr, sizeof initial->abbr, "%s", r.std_name);
      }
    } else if (last < to) {
      /* Only the years between the last listed change (or the window's
       * start) and the window's end need the rule; a listed change past
       * the window, however far, needs none. */
      io_civil a, z;
      io_civil_from_seconds(last > from ? last : from, &a);
      io_civil_from_seconds(to, &z);
      if (!push_rule_years(out, &r, a.year - 1, z.year + 1, last)) return -2;
      if (c.time == 0 && out->n > 0) {
        /* Rule-only file: the state before the first listed change is the
         * other one of the pair. */
        const io_zone_change *f = &out->v[0];
        initial->offset_s = f->is_dst ? r.std_off : r.dst_off;
        initial->is_dst = !f->is_dst;
        snprintf(initial->abbr, sizeof initial->abbr, "%s", f->is_dst ? r.std_name : r.dst_name);
      }
    }
  }
  return 1;
}

/* ---- names -------------------------------------------------------------- */

int io_zone_is_utc(const char *name) {
  return name && (strcmp(name, "UTC") == 0 || strcmp(name, "GMT") == 0 ||
                  strcmp(name, "Z") == 0 || strcmp(name, "utc") == 0 ||
                  strcmp(name, "gmt") == 0 || strcmp(name, "z") == 0);
}

/* "UTC+05:30", "UTC-3", "GMT+0530": 1 and *off on success, 0 when the name
 * does not look like an offset, -1 when it does but is out of range. */
static int parse_fixed(const char *s, int32_t *off) {
  if (!((toupper((unsigned char)s[0]) == 'U' && toupper((unsigned char)s[1]) == 'T' &&
         toupper((unsigned char)s[2]) == 'C') ||
        (toupper((unsigned char)s[0]) == 'G' && toupper((unsigned char)s[1]) == 'M' &&
         toupper((unsigned char)s[2]) == 'T')))
    return 0;
  const char *p = s + 3;
  if (*p != '+' && *p != '-') return 0;
  int sign = *p++ == '-' ? -1 : 1;
  int digits = 0, h = 0, m = 0;
  while (isdigit((unsigned char)p[digits]) && digits < 5) digits++;
  if (digits == 1 || digits == 2) {
    for (int k = 0; k < digits; k++) h = h * 10 + (p[k] - '0');
    p += digits;
    if (*p == ':') {
      if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return -1;
      m = (p[1] - '0') * 10 + (p[2] - '0');
      p += 3;
    }
  } else if (digits == 4) {
    h = (p[0] - '0') * 10 + (p[1] - '0');
    m = (p[2] - '0') * 10 + (p[3] - '0');
    p += 4;
  } else {
    return -1;
  }
  if (*p || m > 59 || h * 60 + m > MAX_OFFSET_S / 60) return -1;
  *off = sign * (h * 3600 + m * 60);
  return 1;
}

static int valid_name_chars(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > 200 || name[0] == '/' || strstr(name, "..") || strstr(name, "//")) return 0;
  for (size_t k = 0; k < n; k++) {
    unsigned char ch = (unsigned char)name[k];
    if (!isalnum(ch) && ch != '/' && ch != '_' && ch != '-' && ch != '+') return 0;
  }
  /* Leap-second ("right/") data counts TAI-like seconds; never valid here. */
  return strncmp(name, "right/", 6) != 0;
}

static const char *tz_dir(void) {
  const char *d = getenv("TZDIR");
  return d && *d ? d : "/usr/share/zoneinfo";
}

/* An I/O failure other than "no such zone" (out of file descriptors,
 * permissions, a read error): exit 3 naming the file, never "unknown zone". */
static mm_status open_failed(const char *path, mm_error *e) {
  mm_error_set(e, FIELD, "cannot read the time zone file %s: %s", path, strerror(errno));
  return MM_ERR_IO;
}

/* Reads a whole TZif file into *out; *out stays NULL when there is no such
 * zone file (absent, not regular, too big or not TZif). */
static mm_status read_tzif(const char *name, unsigned char **out, size_t *n, mm_error *e) {
  char path[1024];
  *out = NULL;
  if (snprintf(path, sizeof path, "%s/%s", tz_dir(), name) >= (int)sizeof path) return MM_OK;
  struct stat st;
  if (stat(path, &st) != 0) return errno == ENOENT || errno == ENOTDIR ? MM_OK : open_failed(path, e);
  if (!S_ISREG(st.st_mode) || st.st_size < 44 || (uintmax_t)st.st_size > MAX_TZIF_BYTES) return MM_OK;
  FILE *f = fopen(path, "rb");
  if (!f) return errno == ENOENT ? MM_OK : open_failed(path, e);
  size_t size = (size_t)st.st_size;
  unsigned char *b = malloc(size);
  if (!b) {
    fclose(f);
    mm_error_set(e, FIELD, "out of memory reading time zone \"%s\"", name);
    return MM_ERR_NOMEM;
  }
  int read_ok = fread(b, 1, size, f) == size;
  fclose(f);
  if (!read_ok) {
    free(b);
    if (!errno) errno = EIO;
    return open_failed(path, e);
  }
  if (memcmp(b, "TZif", 4) != 0) {
    free(b);
    return MM_OK;
  }
  *out = b;
  *n = size;
  return MM_OK;
}

/* Names that have TZif files but are not zones: the system's own zone
 * (localtime), zic's template (posixrules) and "Factory" (no offset). */
static int is_pseudo_zone(const char *name) {
  static const char *const pseudo[] = {"localtime", "posixrules", "Factory"};
  for (size_t k = 0; k < sizeof pseudo / sizeof *pseudo; k++)
    if (strcmp(name, pseudo[k]) == 0) return 1;
  return 0;
}

/* Whether tzdata.zi names this zone or link (1), does not (0); when there
 * is no tzdata.zi (a TZDIR without one), any TZif file counts (1).  MM_ERR_IO
 * in *st when the list exists but cannot be read. */
static int is_listed_zone(const char *name, mm_status *st, mm_error *e) {
  char path[1024], line[512];
  *st = MM_OK;
  snprintf(path, sizeof path, "%s/tzdata.zi", tz_dir());
  FILE *f = fopen(path, "r");
  if (!f) {
    if (errno == ENOENT) return 1;
    *st = open_failed(path, e);
    return 0;
  }
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    char a[256], b[256];
    if (line[0] == 'Z' && sscanf(line, "Z %255s", a) == 1) found = strcmp(a, name) == 0;
    if (line[0] == 'L' && sscanf(line, "L %255s %255s", a, b) == 2) found = strcmp(b, name) == 0;
  }
  fclose(f);
  return found;
}

static int fold(int ch) { return ch == ' ' ? '_' : tolower(ch); }

/* Optimal string alignment distance, case-folded, spaces as underscores;
 * gives up (returns limit + 1) once the distance is sure to pass limit. */
static int distance(const char *a, const char *b, int limit) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (la > 64 || lb > 64 || abs(la - lb) > limit) return limit + 1;
  int d[65][65];
  for (int i = 0; i <= la; i++) d[i][0] = i;
  for (int j = 0; j <= lb; j++) d[0][j] = j;
  for (int i = 1; i <= la; i++) {
    int row_min = limit + 1;
    for (int j = 1; j <= lb; j++) {
      int cost = fold((unsigned char)a[i - 1]) != fold((unsigned char)b[j - 1]);
      int v = d[i - 1][j - 1] + cost;
      if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && fold((unsigned char)a[i - 1]) == fold((unsigned char)b[j - 2]) &&
          fold((unsigned char)a[i - 2]) == fold((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
      if (v < row_min) row_min = v;
    }
    if (row_min > limit) return limit + 1;
  }
  return d[la][lb];
}

static const char *last_part(const char *s) {
  const char *slash = strrchr(s, '/');
  return slash ? slash + 1 : s;
}

/* Scores one known name against what was asked; lower is better. */
static void consider(const char *asked, const char *known, int *best, char *out, size_t size) {
  if (is_pseudo_zone(known)) return;
  int limit = (int)strlen(asked) / 4;
  if (limit < 1) limit = 1;
  if (limit > 3) limit = 3;
  int dist = distance(asked, known, limit);
  if (!strchr(asked, '/')) {
    /* "London" or "new york": compare with the city part as well. */
    int city = distance(asked, last_part(known), limit);
    if (city < dist) dist = city;
  }
  if (dist <= limit && dist < *best) {
    *best = dist;
    snprintf(out, size, "%s", known);
  }
}

/* Finds a close real zone name for a suggestion; "" when none. */
static void suggest(const char *asked, char *out, size_t size) {
  out[0] = '\0';
  int best = 1000;
  char path[1024];
  snprintf(path, sizeof path, "%s/tzdata.zi", tz_dir());
  FILE *f = fopen(path, "r");
  char line[512];
  if (f) {
    /* Canonical zones ("Z name ...") first, then links ("L target name"),
     * so a tie goes to the canonical name. */
    for (int pass = 0; pass < 2; pass++) {
      rewind(f);
      while (fgets(line, sizeof line, f)) {
        char a[256], b[256];
        if (pass == 0 && line[0] == 'Z' && sscanf(line, "Z %255s", a) == 1)
          consider(asked, a, &best, out, size);
        if (pass == 1 && line[0] == 'L' && sscanf(line, "L %255s %255s", a, b) == 2)
          consider(asked, b, &best, out, size);
      }
    }
    fclose(f);
    return;
  }
  snprintf(path, sizeof path, "%s/zone1970.tab", tz_dir());
  f = fopen(path, "r");
  if (!f) {
    snprintf(path, sizeof path, "%s/zone.tab", tz_dir());
    f = fopen(path, "r");
  }
  if (!f) return;
  while (fgets(line, sizeof line, f)) {
    char a[256];
    if (line[0] != '#' && sscanf(line, "%*s %*s %255s", a) == 1) consider(asked, a, &best, out, size);
  }
  fclose(f);
}

static mm_status unknown_zone(const char *name, mm_error *e) {
  char shown[64], near[256];
  size_t k = 0;
  for (; name[k] && k + 1 < sizeof shown; k++)
    shown[k] = (name[k] >= 0x20 && name[k] < 0x7f) ? name[k] : '?';
  shown[k] = '\0';
  suggest(shown, near, sizeof near);
  if (near[0]) {
    mm_error_set(e, FIELD, "unknown time zone \"%s\" (did you mean \"%s\"?)", shown, near);
  } else {
    mm_error_set(e, FIELD,
                 "unknown time zone \"%s\"; expected a tz database name such as "
                 "\"Europe/London\" or an offset such as \"UTC+05:30\"",
                 shown);
  }
  return MM_ERR_INVALID;
}

void io_zone_canonical(const char *name, char *buf, size_t size) {
  int32_t off = 0;
  if (io_zone_is_utc(name) || (parse_fixed(name, &off) == 1 && off == 0)) {
    snprintf(buf, size, "UTC");
  } else if (parse_fixed(name, &off) == 1) {
    char text[16];
    snprintf(buf, size, "UTC%s", io_format_offset(off, 1, text, sizeof text));
  } else {
    snprintf(buf, size, "%s", name);
  }
}

/* ---- lookup ------------------------------------------------------------- */

/* Parses TZif bytes into every change of the file (and the rule's years up
 * to `to`), naming the zone `name` in errors. */
static mm_status parse_bytes(const char *name, const unsigned char *b, size_t n, int64_t from,
                             int64_t to, change_list *all, io_zone_change *initial,
                             io_tz_rule *rule, mm_error *e) {
  int rc = parse_tzif(b, n, from, to, all, initial, rule);
  if (rc == -2) {
    mm_error_set(e, FIELD, "out of memory reading time zone \"%s\"", name);
    return MM_ERR_NOMEM;
  }
  if (rc <= 0) {
    mm_error_set(e, FIELD, "time zone data for \"%s\" is %s", name,
                 rc < 0 ? "leap-second (\"right/\") data, which is not supported"
                        : "not a valid TZif file");
    return rc < 0 ? MM_ERR_INVALID : MM_ERR_PARSE;
  }
  return MM_OK;
}

/* The change in force at `from`, then every change inside (from, to), each
 * checked to be whole quarter hours.  Frees all->v. */
static mm_status window_changes(const char *name, change_list *all, io_zone_change initial,
                                int64_t from, int64_t to, io_zone_change **changes,
                                size_t *n_changes, mm_error *e) {
  change_list out = {0};
  io_zone_change cur = initial;
  size_t k = 0;
  while (k < all->n && all->v[k].at <= from) cur = all->v[k++];
  int ok = push(&out, cur.at < from ? cur.at : from, cur.offset_s, cur.is_dst, cur.abbr);
  if (cur.at == INT64_MIN && ok) out.v[0].at = from;
  for (; ok && k < all->n && all->v[k].at < to; k++) {
    if (all->v[k].offset_s == out.v[out.n - 1].offset_s) continue;
    ok = push(&out, all->v[k].at, all->v[k].offset_s, all->v[k].is_dst, all->v[k].abbr);
  }
  free(all->v);
  all->v = NULL;
  if (!ok) {
    free(out.v);
    mm_error_set(e, FIELD, "out of memory reading time zone \"%s\"", name);
    return MM_ERR_NOMEM;
  }
  for (size_t i = 0; i < out.n; i++) {
    if (out.v[i].offset_s % (15 * 60) != 0 || out.v[i].offset_s > MAX_OFFSET_S ||
        out.v[i].offset_s < -MAX_OFFSET_S) {
      char off[16];
      io_format_offset(out.v[i].offset_s, 1, off, sizeof off);
      mm_error_set(e, FIELD,
                   "time zone \"%s\" has UTC offset %s during the program, expected whole "
                   "quarter hours",
                   name, off);
      free(out.v);
      return MM_ERR_INVALID;
    }
  }
  *changes = out.v;
  *n_changes = out.n;
  return MM_OK;
}

mm_status io_zone_lookup_rule(const char *name, int64_t from, int64_t to,
                              io_zone_change **changes, size_t *n_changes, io_tz_rule *rule,
                              mm_error *e) {
  *changes = NULL;
  *n_changes = 0;
  memset(rule, 0, sizeof *rule);
  if (!name) name = "";
  change_list all = {0};
  io_zone_change initial = {INT64_MIN, 0, 0, "UTC"};
  int32_t fixed = 0;
  int kind = io_zone_is_utc(name) ? 1 : parse_fixed(name, &fixed);
  if (kind < 0) {
    mm_error_set(e, FIELD, "expected an offset from UTC-14:00 to UTC+14:00 such as \"UTC+05:30\", got \"%.64s\"",
                 name);
    return MM_ERR_INVALID;
  }
  if (kind > 0) {
    initial.offset_s = fixed;
    if (fixed) io_format_offset(fixed, 1, initial.abbr, sizeof initial.abbr);
    rule->kind = IO_TZ_FIXED;
    rule->std_off = fixed;
    snprintf(rule->std_name, sizeof rule->std_name, "%s", initial.abbr);
  } else {
    size_t n = 0;
    unsigned char *b = NULL;
    mm_status st = MM_OK;
    if (valid_name_chars(name) && !is_pseudo_zone(name) && is_listed_zone(name, &st, e))
      st = read_tzif(name, &b, &n, e);
    if (st != MM_OK) return st;
    if (!b) return unknown_zone(name, e);
    st = parse_bytes(name, b, n, from, to, &all, &initial, rule, e);
    free(b);
    if (st != MM_OK) {
      free(all.v);
      return st == MM_ERR_PARSE ? MM_ERR_INVALID : st;
    }
  }
  return window_changes(name, &all, initial, from, to, changes, n_changes, e);
}

mm_status io_zone_lookup_detail(const char *name, int64_t from, int64_t to,
                                io_zone_change **changes, size_t *n_changes, mm_error *e) {
  io_tz_rule rule;
  return io_zone_lookup_rule(name, from, to, changes, n_changes, &rule, e);
}

/* Offsets only, for mm_problem_add_zone.  Frees c. */
static mm_status to_periods(const char *name, io_zone_change *c, size_t n,
                            mm_zone_period **periods, size_t *n_periods, mm_error *e) {
  mm_zone_period *p = malloc(n * sizeof *p);
  if (!p) {
    free(c);
    mm_error_set(e, FIELD, "out of memory reading time zone \"%s\"", name);
    return MM_ERR_NOMEM;
  }
  for (size_t k = 0; k < n; k++) {
    p[k].at = c[k].at;
    p[k].offset_s = c[k].offset_s;
  }
  free(c);
  *periods = p;
  *n_periods = n;
  return MM_OK;
}

mm_status io_zone_lookup(const char *name, int64_t from, int64_t to, mm_zone_period **periods,
                         size_t *n_periods, mm_error *e) {
  io_zone_change *c;
  size_t n;
  *periods = NULL;
  *n_periods = 0;
  mm_status st = io_zone_lookup_detail(name, from, to, &c, &n, e);
  return st != MM_OK ? st : to_periods(name, c, n, periods, n_periods, e);
}

/* ---- the library's public zone functions (mentormatch.h) ----------------- */

mm_status mm_zone_lookup(const char *name, int64_t from, int64_t to, mm_zone_period **periods,
                         size_t *n_periods, mm_error *e) {
  return io_zone_lookup(name, from, to, periods, n_periods, e);
}

mm_status mm_zone_from_tzif(const void *bytes, size_t len, int64_t from, int64_t to,
                            mm_zone_period **periods, size_t *n_periods, mm_error *e) {
  static const char label[] = "(TZif bytes)";
  *periods = NULL;
  *n_periods = 0;
  if (!bytes || len > MAX_TZIF_BYTES) {
    mm_error_set(e, FIELD, "expected TZif data of at most %u bytes, got %zu", MAX_TZIF_BYTES, len);
    return MM_ERR_PARSE;
  }
  change_list all = {0};
  io_zone_change initial = {INT64_MIN, 0, 0, "UTC"};
  io_tz_rule rule;
  mm_status st = parse_bytes(label, bytes, len, from, to, &all, &initial, &rule, e);
  io_zone_change *c = NULL;
  size_t n = 0;
  if (st == MM_OK) st = window_changes(label, &all, initial, from, to, &c, &n, e);
  free(all.v);
  return st != MM_OK ? st : to_periods(label, c, n, periods, n_periods, e);
}

void mm_zone_periods_free(mm_zone_period *periods) { free(periods); }

int mm_problem_add_zone_named(mm_problem *p, const char *name, mm_error *e) {
  int known = mm_problem_zone_index(p, name);
  if (known >= 0) return known;
  int64_t from, to;
  mm_problem_window(p, &from, &to);
  mm_zone_period *periods = NULL;
  size_t n = 0;
  if (mm_zone_lookup(name, from, to, &periods, &n, e) != MM_OK) return -1;
  int index = mm_problem_add_zone(p, name, periods, n, e);
  mm_zone_periods_free(periods);
  return index;
}
