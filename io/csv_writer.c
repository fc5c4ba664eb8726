/* csv_writer.c: quoting, neutralising and writing CSV cells.
 *
 * The reader (io/csv_reader.c, on libcsv) trims blanks around unquoted
 * fields and skips blank lines, so the writer quotes any cell with blanks at
 * either end, and writes a record made of one empty cell as "" so that it is
 * not read as a blank line.  Those two rules make every record round-trip.
 */
#include "csv_writer.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

void io_csv_writer_init(io_csv_writer *w, FILE *f, const char *name) {
  w->name = name;
  w->cells = 0;
  w->last_was_empty = 0;
  io_wbuf_init(&w->out, f);
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Writes prefix then s (n bytes) as one cell. */
static void put_cell(io_csv_writer *w, const char *prefix, const char *s, size_t n) {
  io_wbuf *o = &w->out;
  if (w->cells++) io_wbuf_putc(o, ',');
  w->last_was_empty = n == 0 && !*prefix;
  int blank_ends = n && ((!*prefix && is_blank(s[0])) || is_blank(s[n - 1]));
  if (!blank_ends && !strpbrk(s, ",\"\r\n")) {
    io_wbuf_puts(o, prefix);
    io_wbuf_put(o, s, n);
    return;
  }
  io_wbuf_putc(o, '"');
  io_wbuf_puts(o, prefix);
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    io_wbuf_put(o, s, (size_t)(q - s) + 1);
    io_wbuf_putc(o, '"');
  }
  io_wbuf_puts(o, s);
  io_wbuf_putc(o, '"');
}

void io_csv_write_text(io_csv_writer *w, const char *s) {
  if (!s) s = "";
  /* A leading apostrophe gets one too, so the guard can be told from the
   * text ("=x" is "'=x", "'=x" is "''=x") and a spreadsheet, which hides
   * the first, shows the text as it is. */
  int risky = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
              s[0] == '\r' || s[0] == '\'';
  put_cell(w, risky ? "'" : "", s, strlen(s));
}

void io_csv_write_number(io_csv_writer *w, const char *s) {
  if (!s) s = "";
  put_cell(w, "", s, strlen(s));
}

/* Starts a cell that needs no quoting and is not empty (a number). */
static void plain_cell(io_csv_writer *w) {
  if (w->cells++) io_wbuf_putc(&w->out, ',');
  w->last_was_empty = 0;
}

void io_csv_write_int(io_csv_writer *w, long long v) {
  plain_cell(w);
  io_wbuf_i64(&w->out, (int64_t)v);
}

void io_csv_write_score(io_csv_writer *w, int64_t units) {
  plain_cell(w);
  uint64_t mag = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
  if (units < 0) io_wbuf_putc(&w->out, '-');
  io_wbuf_u64(&w->out, mag / 10000, 0);
  io_wbuf_putc(&w->out, '.');
  io_wbuf_u64(&w->out, mag % 10000, 4);
}

static mm_status check(io_csv_writer *w, int failed, mm_error *e) {
  if (!failed && !ferror(w->out.f)) return MM_OK;
  int err = errno;
  mm_error_set(e, NULL, "write failed: %s", strerror(err));
  mm_error_locate(e, w->name, 0, 0);
  return MM_ERR_IO;
}

mm_status io_csv_end_record(io_csv_writer *w, mm_error *e) {
  if (w->cells == 1 && w->last_was_empty) io_wbuf_put(&w->out, "\"\"", 2);
  io_wbuf_putc(&w->out, '\n');
  w->cells = 0;
  w->last_was_empty = 0;
  return check(w, 0, e);
}

mm_status io_csv_writer_finish(io_csv_writer *w, mm_error *e) { return check(w, io_wbuf_flush(&w->out), e); }
