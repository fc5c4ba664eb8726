/* json_text.c: JSON string escaping for summary.json, JSON lines and the report.
 *
 * Three writers emit JSON; the escaping rules live here once so that a
 * name with a quote, a tab or a "</script>" reads back the same in each.
 * Runs of bytes that need no escape are copied in one piece.
 */
#include "json_text.h"

/* The escape for byte c, or NULL when it is written as is. */
static const char *escape(unsigned char c, char *hex) {
  switch (c) {
  case '"': return "\\\"";
  case '\\': return "\\\\";
  case '\n': return "\\n";
  case '\r': return "\\r";
  case '\t': return "\\t";
  case '<': return "\\u003c";
  default:
    if (c >= 0x20) return NULL;
    snprintf(hex, 8, "\\u%04x", c);
    return hex;
  }
}

void io_json_string_buf(io_wbuf *b, const char *s) {
  io_wbuf_putc(b, '"');
  const unsigned char *run = (const unsigned char *)s, *c = run;
  for (; *c; c++) {
    char hex[8];
    const char *esc = escape(*c, hex);
    if (!esc) continue;
    io_wbuf_put(b, (const char *)run, (size_t)(c - run));
    io_wbuf_puts(b, esc);
    run = c + 1;
  }
  io_wbuf_put(b, (const char *)run, (size_t)(c - run));
  io_wbuf_putc(b, '"');
}

void io_json_string(FILE *f, const char *s) {
  io_wbuf b;
  io_wbuf_init(&b, f);
  io_json_string_buf(&b, s);
  io_wbuf_spill(&b);
}
