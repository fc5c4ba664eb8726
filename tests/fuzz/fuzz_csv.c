/* fuzz_csv.c: libFuzzer target for io/csv_reader (records, positions, header mapping, errors).
 *
 * Rosters, pairs, scores and capacities all arrive through this reader, so a
 * crash here is a crash on any file a user hands us.  Each input is read
 * three ways: with the default field limit and a header mapped with a
 * warning callback (what the roster reader does), with an 8-byte field limit
 * and no header (the too-long paths), and with a header whose unknown
 * columns are errors.  Besides memory errors it checks what csv_reader.h
 * promises: field texts are valid UTF-8 without NUL and as long as `len`
 * says, columns count from 1, lines only move forward and stay inside the
 * file, every record has the header's field count, and every error is
 * located at file:line:col and cannot be read past.
 */
#include "csv_reader.h"
#include "fuzz_util.h"

/* Line ends in the input, counted as the reader promises (CRLF once). */
static long lines_in(const uint8_t *d, size_t n) {
  long lines = 1;
  for (size_t k = 0; k < n; k++)
    if (d[k] == '\n' || (d[k] == '\r' && (k + 1 == n || d[k + 1] != '\n'))) lines++;
  return lines;
}

/* An independent UTF-8 check: shortest forms, no surrogates, <= U+10FFFF. */
static int valid_utf8(const unsigned char *s, size_t n) {
  size_t k = 0;
  while (k < n) {
    unsigned c = s[k];
    if (c == 0) return 0;
    if (c < 0x80) {
      k++;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || c > 0xF4 || k + len > n) return 0;
    uint32_t cp = c & (0x7Fu >> len);
    for (size_t j = 1; j < len; j++) {
      if ((s[k + j] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (s[k + j] & 0x3Fu);
    }
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    k += len;
  }
  return 1;
}

static void on_warning(void *ctx, const mm_error *w) {
  const char *path = ctx;
  char line[2048];
  FUZZ_CHECK(w->message[0] != '\0');
  FUZZ_CHECK(strcmp(w->file, path) == 0 && w->line >= 1 && w->col >= 1);
  size_t want = io_warning_format(w, line, sizeof line);
  FUZZ_CHECK(want > 0 && want < sizeof line && strstr(line, "warning: "));
}

static void check_located(mm_status s, const mm_error *e, const char *path, long max_line) {
  FUZZ_CHECK(s == MM_ERR_PARSE); /* inputs are small: never NOMEM, never IO */
  fuzz_check_error(e, 0);
  FUZZ_CHECK(strcmp(e->file, path) == 0);
  FUZZ_CHECK(e->line >= 1 && e->line <= max_line);
  FUZZ_CHECK(e->col >= 1 || strncmp(e->message, "empty file", 10) == 0);
}

/* An error that ends the file: the reader refuses to go on. */
static void check_failure(io_csv_reader *r, mm_status s, const mm_error *e, const char *path,
                          long max_line) {
  check_located(s, e, path, max_line);
  FUZZ_CHECK(!io_csv_can_go_on(r));
  const io_csv_record *rec;
  mm_error again;
  mm_error_clear(&again);
  FUZZ_CHECK(io_csv_next(r, &rec, &again) != MM_OK && rec == NULL);
}

/* Reads path to the end; header: 0 none, 1 mapped with warnings, 2 strict. */
static void read_once(const char *path, size_t max_field, int header, long max_line) {
  static const io_csv_column cols[] = {{"id", 1}, {"name", 0}, {"timezone", 0}, {"capacity", 0}};
  io_csv_reader *r = NULL;
  mm_error e;
  mm_error_clear(&e);
  mm_status s = io_csv_open(path, max_field, &r, &e);
  FUZZ_CHECK(s == MM_OK && r != NULL);
  size_t limit = max_field ? max_field : IO_CSV_MAX_FIELD_DEFAULT;
  size_t width = 0;
  if (header) {
    long index[4];
    s = io_csv_read_header(r, cols, 4, index, header == 1 ? on_warning : NULL, (void *)path, &e);
    if (s != MM_OK) {
      check_failure(r, s, &e, path, max_line);
      io_csv_close(r);
      return;
    }
    FUZZ_CHECK(index[0] >= 0);
    for (int k = 0; k < 4; k++) FUZZ_CHECK(index[k] >= -1 && index[k] < IO_CSV_MAX_FIELDS);
    width = SIZE_MAX; /* learnt from the first record */
  }
  long prev_end = header ? 1 : 0;
  const io_csv_record *rec;
  for (;;) {
    s = io_csv_next(r, &rec, &e);
    if (s != MM_OK && io_csv_can_go_on(r)) {
      /* Only a record's field count is survivable; the next record follows. */
      check_located(s, &e, path, max_line);
      FUZZ_CHECK(header && strstr(e.message, "fields as in the header") != NULL);
      mm_error_clear(&e);
      continue;
    }
    if (s != MM_OK || !rec) break;
    FUZZ_CHECK(rec->n_fields >= 1 && rec->n_fields <= IO_CSV_MAX_FIELDS);
    if (width == SIZE_MAX) width = rec->n_fields;
    if (header) FUZZ_CHECK(rec->n_fields == width);
    FUZZ_CHECK(rec->line == rec->fields[0].line);
    FUZZ_CHECK(rec->line > prev_end && rec->line <= max_line);
    for (size_t k = 0; k < rec->n_fields; k++) {
      const io_csv_field *f = &rec->fields[k];
      FUZZ_CHECK(f->col == (long)k + 1);
      FUZZ_CHECK(f->len <= limit);
      FUZZ_CHECK(strlen(f->text) == f->len);
      FUZZ_CHECK(valid_utf8((const unsigned char *)f->text, f->len));
      FUZZ_CHECK(f->line >= rec->line && f->line <= max_line);
      if (k) FUZZ_CHECK(f->line >= rec->fields[k - 1].line);
    }
    prev_end = rec->fields[rec->n_fields - 1].line;
  }
  if (s != MM_OK) {
    check_failure(r, s, &e, path, max_line);
  } else {
    /* The end stays the end. */
    FUZZ_CHECK(io_csv_next(r, &rec, &e) == MM_OK && rec == NULL);
  }
  io_csv_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = fuzz_bytes_to_path(data, size);
  long max_line = lines_in(data, size);
  read_once(path, 0, 1, max_line);
  read_once(path, 8, 0, max_line);
  read_once(path, 0, 2, max_line);
  return 0;
}
