/* ics_text.h: iCalendar content lines built in a growing buffer (RFC 5545 3.1, 3.3.11, RFC 6868).
 *
 * Calendar files are assembled as logical content lines, one per '\n', in an
 * io_sbuf that grows as needed, so no value is ever cut to fit; they are
 * folded into 75-octet CRLF lines only when written out.  Every value that
 * comes from a roster goes through io_sb_text (TEXT values) or io_sb_param
 * (quoted parameter values), which also make it valid UTF-8, so a file never
 * holds a raw line break, a control character or a broken character.
 *
 * Thread safety: no shared state; one buffer per thread.
 */
#ifndef MM_IO_ICS_TEXT_H
#define MM_IO_ICS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A growing string.  Zero-initialise; after an allocation failure it stops
 * growing and sets nomem.  Free s with free(). */
typedef struct {
  char *s;
  size_t n, cap;
  int nomem;
} io_sbuf;

/* Appends n bytes.  A calendar is built from many short pieces, so the
 * common case (the room is there) is inline and growing is not. */
void io_sb_put_grow(io_sbuf *b, const char *s, size_t n);
static inline void io_sb_put(io_sbuf *b, const char *s, size_t n) {
  if (n && b->n + n < b->cap && !b->nomem) {
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
  } else {
    io_sb_put_grow(b, s, n);
  }
}
static inline void io_sb_puts(io_sbuf *b, const char *s) { io_sb_put(b, s, strlen(s)); }
/* printf straight into the buffer (no intermediate, nothing cut). */
void io_sb_printf(io_sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* v in decimal with at least width characters, zero-padded after any sign:
 * the bytes of printf's "%0*lld" (width at most 20), without its cost on
 * the many dates and times a calendar holds. */
void io_sb_int(io_sbuf *b, long long v, int width);
/* v as 16 lowercase hexadecimal digits, as "%016llx" writes it. */
void io_sb_hex64(io_sbuf *b, uint64_t v);
/* Empties the buffer, keeping its room (s stays a valid string). */
void io_sb_clear(io_sbuf *b);
/* Ends a logical content line. */
static inline void io_sb_eol(io_sbuf *b) { io_sb_put(b, "\n", 1); }

/* A TEXT value (RFC 5545 3.3.11): backslash, ';' and ',' escaped, a line
 * break (LF, CR or CRLF) as "\n", tabs kept (TEXT allows WSP), other control
 * characters left out, invalid UTF-8 replaced by U+FFFD. */
void io_sb_text(io_sbuf *b, const char *s);

/* A parameter value in double quotes with RFC 6868 caret escapes: '^' as
 * "^^", '"' as "^'", a line break as "^n"; tabs kept, other control
 * characters left out, invalid UTF-8 replaced by U+FFFD. */
void io_sb_param(io_sbuf *b, const char *s);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there
 * are not one (stray continuation, overlong form, surrogate, past U+10FFFF,
 * cut short). */
size_t io_utf8_len(const unsigned char *s);

/* Appends buf's logical lines to out, each folded before 75 octets (a
 * continuation starts with one space, RFC 5545 3.1), never inside a UTF-8
 * character or between a backslash or caret and the character it escapes,
 * each ended by CRLF: the bytes of the file.  out must not be buf. */
void io_ics_fold(io_sbuf *out, const char *buf, size_t n);

#endif
