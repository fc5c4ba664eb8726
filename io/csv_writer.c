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
  w->f = f;
  w->name = name;
  w->cells = 0;
  w->last_was_empty = 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Writes prefix then s as one cell. */
static void put_cell(io_csv_writer *w, const char *prefix, const char *s) {
  if (w->cells++) fputc(',', w->f);
  size_t n = strlen(s);
  w->last_was_empty = n == 0 && !*prefix;
  int blank_ends = n && ((!*prefix && is_blank(s[0])) || is_blank(s[n - 1]));
  if (!blank_ends && !strpbrk(s, ",\"\r\n")) {
    fputs(prefix, w->f);
    fputs(s, w->f);
    return;
  }
  fputc('"', w->f);
  fputs(prefix, w->f);
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    fwrite(s, 1, (size_t)(q - s) + 1, w->f);
    fputc('"', w->f);
  }
  fputs(s, w->f);
  fputc('"', w->f);
}

void io_csv_write_text(io_csv_writer *w, const char *s) {
  if (!s) s = "";
  int risky = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
              s[0] == '\r';
  put_cell(w, risky ? "'" : "", s);
}

void io_csv_write_number(io_csv_writer *w, const char *s) { put_cell(w, "", s ? s : ""); }

void io_csv_write_int(io_csv_writer *w, long long v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", v);
  put_cell(w, "", buf);
}

void io_csv_write_score(io_csv_writer *w, int64_t units) {
  char buf[48];
  uint64_t mag = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
  snprintf(buf, sizeof buf, "%s%" PRIu64 ".%04" PRIu64, units < 0 ? "-" : "", mag / 10000,
           mag % 10000);
  put_cell(w, "", buf);
}

static mm_status check(io_csv_writer *w, mm_error *e) {
  if (!ferror(w->f)) return MM_OK;
  int err = errno;
  mm_error_set(e, NULL, "write failed: %s", strerror(err));
  mm_error_locate(e, w->name, 0, 0);
  return MM_ERR_IO;
}

mm_status io_csv_end_record(io_csv_writer *w, mm_error *e) {
  if (w->cells == 1 && w->last_was_empty) fputs("\"\"", w->f);
  fputc('\n', w->f);
  w->cells = 0;
  w->last_was_empty = 0;
  return check(w, e);
}

mm_status io_csv_writer_finish(io_csv_writer *w, mm_error *e) {
  fflush(w->f);
  return check(w, e);
}
