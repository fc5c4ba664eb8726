/* ics_text.c: escaping, UTF-8 repair and line folding for iCalendar files.
 *
 * Names and e-mails come from rosters in any script and any length, so text
 * is formatted straight into a growing buffer (an earlier fixed 512-byte
 * buffer cut long names inside a character and made the file invalid UTF-8)
 * and folded at write time by octets, stepping over whole characters.  See
 * ics_text.h for the rules each function applies.
 */
#include "ics_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define FOLD_OCTETS 75

static int reserve(io_sbuf *b, size_t more) {
  if (b->nomem) return 0;
  if (b->n + more + 1 <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->n + more + 1) cap *= 2;
  char *v = realloc(b->s, cap);
  if (!v) {
    b->nomem = 1;
    return 0;
  }
  b->s = v;
  b->cap = cap;
  return 1;
}

void io_sb_put_grow(io_sbuf *b, const char *s, size_t n) {
  if (n == 0 || !reserve(b, n)) return; /* s may be NULL when n is 0 (an empty buffer) */
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

void io_sb_int(io_sbuf *b, long long v, int width) {
  if (width == 2 && v >= 0 && v < 100) { /* months, days, hours, minutes, seconds */
    char two[2] = {(char)('0' + v / 10), (char)('0' + v % 10)};
    io_sb_put(b, two, 2);
    return;
  }
  char digits[24];
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  size_t n = 0;
  do {
    digits[sizeof digits - ++n] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  size_t want = width > 20 ? 20 : width > 0 ? (size_t)width : 0;
  if (v < 0 && want > 0) want--;
  while (n < want) digits[sizeof digits - ++n] = '0';
  if (v < 0) digits[sizeof digits - ++n] = '-';
  io_sb_put(b, digits + sizeof digits - n, n);
}

void io_sb_hex64(io_sbuf *b, uint64_t v) {
  char digits[16];
  for (int k = 15; k >= 0; k--, v >>= 4) digits[k] = "0123456789abcdef"[v & 15];
  io_sb_put(b, digits, sizeof digits);
}

void io_sb_clear(io_sbuf *b) {
  b->n = 0;
  if (b->s) b->s[0] = '\0';
}


/* Formats into the room the buffer has; only when that is too small does
 * it grow and format again. */
void io_sb_printf(io_sbuf *b, const char *fmt, ...) {
  if (b->nomem) return;
  va_list ap;
  size_t room = b->cap > b->n ? b->cap - b->n : 0;
  va_start(ap, fmt);
  int want = vsnprintf(room ? b->s + b->n : NULL, room, fmt, ap);
  va_end(ap);
  if (want < 0) return;
  if ((size_t)want >= room) {
    if (!reserve(b, (size_t)want)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)want + 1, fmt, ap);
    va_end(ap);
  }
  b->n += (size_t)want;
}

size_t io_utf8_len(const unsigned char *s) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  uint32_t cp, min;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2, cp = c & 0x1f, min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3, cp = c & 0x0f, min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (s[k] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

/* Shared walk of io_sb_text and io_sb_param: valid characters are handed to
 * `put_char`, line breaks to `line_break`, everything else is repaired. */
static void put_clean(io_sbuf *b, const char *s, int param) {
  static const char replacement[] = "\xef\xbf\xbd";
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p) {
    /* A run of printable ASCII that needs no escape is copied at once. */
    const unsigned char *run = p;
    while (*p >= 0x20 && *p < 0x7f &&
           (param ? *p != '^' && *p != '"' : *p != '\\' && *p != ';' && *p != ','))
      p++;
    if (p > run) io_sb_put(b, (const char *)run, (size_t)(p - run));
    if (!*p) break;
    unsigned char c = *p;
    size_t len = io_utf8_len(p);
    if (len == 0) {
      io_sb_put(b, replacement, 3);
      p++;
      continue;
    }
    if (c == '\r' || c == '\n') {
      io_sb_puts(b, param ? "^n" : "\\n");
      p += (c == '\r' && p[1] == '\n') ? 2 : 1;
      continue;
    }
    if (param && (c == '^' || c == '"')) {
      io_sb_puts(b, c == '^' ? "^^" : "^'");
    } else if (!param && (c == '\\' || c == ';' || c == ',')) {
      char esc[2] = {'\\', (char)c};
      io_sb_put(b, esc, 2);
    } else if (c >= 0x20 || c == '\t') {
      if (c != 0x7f) io_sb_put(b, (const char *)p, len);
    }
    p += len;
  }
}

void io_sb_text(io_sbuf *b, const char *s) { put_clean(b, s, 0); }

void io_sb_param(io_sbuf *b, const char *s) {
  io_sb_put(b, "\"", 1);
  put_clean(b, s, 1);
  io_sb_put(b, "\"", 1);
}

/* Octets of the unit at p that must stay on one physical line: a UTF-8
 * character, or an escape pair. */
static size_t char_len(const unsigned char *p, const unsigned char *end) {
  size_t len = 1;
  if (*p >= 0x80)
    while (p + len < end && len < 4 && (p[len] & 0xc0) == 0x80) len++;
  return len;
}

static size_t unit_len(const unsigned char *p, const unsigned char *end) {
  if ((*p == '\\' || *p == '^') && p + 1 < end) return 1 + char_len(p + 1, end);
  return char_len(p, end);
}

/* One logical line, folded, then CRLF.  Short lines (most of them) are
 * copied whole; a long one is cut at the last unit boundary within each
 * physical line's room (75 octets, then 74 after the continuation's
 * space), stepping over plain ASCII a byte at a time and over the rest a
 * unit at a time. */
static void fold_line(io_sbuf *out, const unsigned char *p, const unsigned char *end) {
  size_t room = FOLD_OCTETS;
  while ((size_t)(end - p) > room) {
    const unsigned char *cut = p, *limit = p + room;
    while (cut < limit) {
      if (*cut < 0x80 && *cut != '\\' && *cut != '^') {
        cut++;
        continue;
      }
      size_t len = unit_len(cut, end);
      if (cut + len > limit) break;
      cut += len;
    }
    io_sb_put(out, (const char *)p, (size_t)(cut - p));
    io_sb_put(out, "\r\n ", 3);
    p = cut;
    room = FOLD_OCTETS - 1;
  }
  io_sb_put(out, (const char *)p, (size_t)(end - p));
  io_sb_put(out, "\r\n", 2);
}

void io_ics_fold(io_sbuf *out, const char *buf, size_t n) {
  const unsigned char *p = (const unsigned char *)buf, *end = p + n;
  while (p < end) {
    const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) nl = end;
    fold_line(out, p, nl);
    p = nl + 1;
  }
}
