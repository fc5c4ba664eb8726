/* csv_reader.c: streaming CSV records with line and column numbers, on libcsv.
 *
 * libcsv does the RFC 4180 quoting in strict mode but says nothing about
 * where it is.  We read 64 KiB chunks and hand libcsv one segment at a time,
 * each ending just after the first comma, CR or LF; a field or record can
 * only end on the last byte of a segment, and every byte of a segment is on
 * the same line.  So after each csv_parse call we know the line of every
 * field that began in it, and the offset of any byte libcsv rejected.  A
 * record is delivered as soon as libcsv ends it, so only the current record
 * is held in memory.
 */
#include "csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE ((size_t)64 * 1024)

struct io_csv_reader {
  FILE *f;
  int borrowed; /* f is standard input: read, never closed */
  char *path;
  size_t max_field;
  struct csv_parser parser;

  unsigned char *chunk;
  size_t chunk_len, pos;
  int eof, started, done, failed;
  long line;   /* line of the byte at pos */
  int prev_cr; /* the byte before pos was a CR */

  /* Position of the field being read, seen from the bytes. */
  int in_record;    /* a record has begun and not yet ended */
  int field_begun;  /* the current field's first non-blank byte has been seen */
  int field_quoted; /* ... and it was a quote */
  long field_line;
  size_t field_raw; /* bytes of the current field fed so far */

  /* The record being assembled: texts packed in one buffer. */
  char *text;
  size_t text_len, text_cap;
  io_csv_field *fields;
  size_t *field_off;
  size_t n_fields, fields_cap;
  size_t extra_fields; /* fields beyond the header's count, counted only */
  int record_ready;
  size_t expected; /* the header's field count, 0 before it is known */
  io_csv_record record;

  mm_status cb_status; /* an error found inside a libcsv callback */
  mm_error cb_error;
};

char *io_trim(char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\v' || *s == '\f') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                   s[n - 1] == '\n' || s[n - 1] == '\v' || s[n - 1] == '\f')) {
    n--;
  }
  s[n] = '\0';
  return s;
}

long io_csv_find_id(const mm_problem *p, mm_side side, const char *cell) {
  if (cell[0] == '\'' && cell[1] != '\0' && strchr("=+-@'", cell[1])) {
    long guarded = mm_problem_find(p, side, cell + 1);
    if (guarded >= 0) return guarded;
  }
  return mm_problem_find(p, side, cell);
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

int io_name_eq(const char *a, const char *b) {
  while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
    a++;
    b++;
  }
  return *a == '\0' && *b == '\0';
}

size_t io_warning_format(const mm_error *w, char *buf, size_t size) {
  int len;
  if (w->file[0] && w->line > 0 && w->col > 0) {
    len = snprintf(buf, size, "%s:%ld:%ld: warning: %s", w->file, w->line, w->col, w->message);
  } else if (w->file[0] && w->line > 0) {
    len = snprintf(buf, size, "%s:%ld: warning: %s", w->file, w->line, w->message);
  } else if (w->file[0]) {
    len = snprintf(buf, size, "%s: warning: %s", w->file, w->message);
  } else {
    len = snprintf(buf, size, "warning: %s", w->message);
  }
  return len < 0 ? 0 : (size_t)len;
}

mm_status io_csv_open(const char *path, size_t max_field, io_csv_reader **out, mm_error *e) {
  *out = NULL;
  int from_stdin = strcmp(path, "-") == 0;
  if (from_stdin) path = IO_STDIN_NAME;
  io_csv_reader *r = calloc(1, sizeof *r);
  size_t path_len = strlen(path);
  if (!r || !(r->path = malloc(path_len + 1)) || !(r->chunk = malloc(CHUNK_SIZE))) {
    io_csv_close(r);
    mm_error_set(e, NULL, "out of memory opening the file");
    mm_error_locate(e, path, 0, 0);
    return MM_ERR_NOMEM;
  }
  memcpy(r->path, path, path_len + 1);
  r->max_field = max_field ? max_field : IO_CSV_MAX_FIELD_DEFAULT;
  r->line = 1;
  r->f = from_stdin ? stdin : fopen(path, "rb");
  r->borrowed = from_stdin;
  if (!r->f) {
    int err = errno;
    io_csv_close(r);
    mm_error_set(e, NULL, "cannot open: %s", strerror(err));
    mm_error_locate(e, path, 0, 0);
    return MM_ERR_IO;
  }
  /* Strict: a quote inside an unquoted field, text after a closing quote
   * and a quote still open at the end of the file are all errors. */
  csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
  /* libcsv grows its field buffer by a fixed block (128 bytes by default),
   * which makes a long field cost quadratic copying; grow by chunks. */
  csv_set_blk_size(&r->parser, CHUNK_SIZE);
  *out = r;
  return MM_OK;
}

int io_csv_can_go_on(const io_csv_reader *r) { return !r->failed; }

const char *io_input_name(const char *path) { return strcmp(path, "-") == 0 ? IO_STDIN_NAME : path; }

void io_csv_close(io_csv_reader *r) {
  if (!r) return;
  if (r->f) {
    if (!r->borrowed) fclose(r->f);
    csv_free(&r->parser);
  }
  free(r->path);
  free(r->chunk);
  free(r->text);
  free(r->fields);
  free(r->field_off);
  free(r);
}

static mm_status fail(io_csv_reader *r, mm_status s, long line, long col, mm_error *e) {
  r->failed = 1;
  mm_error_locate(e, r->path, line, col);
  return s;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < len; k++) {
    if (s[k] < 0x80 || s[k] > 0xBF) return 0;
  }
  return len;
}

/* Lines that end in s[0 .. n): CRLF counts once. */
static long count_line_ends(const unsigned char *s, size_t n) {
  long lines = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] == '\n' || (s[k] == '\r' && (k + 1 == n || s[k + 1] != '\n'))) lines++;
  }
  return lines;
}

/* The code point of a control character other than tab, line feed and
 * carriage return (C0, DEL, C1) at s, or -1.  Such characters are refused:
 * they would reach terminals, calendars and spreadsheets as commands (ESC
 * starts terminal escape sequences, U+009B is a one-byte CSI). */
static long control_at(const unsigned char *s, size_t n) {
  if (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r') return s[0];
  if (s[0] == 0x7F) return 0x7F;
  if (s[0] == 0xC2 && n > 1 && s[1] >= 0x80 && s[1] <= 0x9F) return s[1];
  return -1;
}

/* Checks a field's bytes; on failure fills r->cb_error and returns nonzero. */
static int check_field_bytes(io_csv_reader *r, const unsigned char *s, size_t n) {
  size_t k = 0;
  while (k < n) {
    while (k < n && s[k] >= 0x20 && s[k] < 0x7F) k++; /* printable ASCII, most of any roster */
    if (k == n) break;
    long control = control_at(s + k, n - k);
    if (control < 0 && s[k] >= 0x20 && s[k] < 0x80) {
      k++;
      continue;
    }
    size_t len = s[k] == 0 || control >= 0 ? 0 : utf8_sequence(s + k, n - k);
    if (s[k] == '\t' || s[k] == '\n' || s[k] == '\r') len = 1;
    if (len == 0) {
      if (s[k] == 0) {
        mm_error_set(&r->cb_error, NULL, "NUL byte in field");
      } else if (control >= 0) {
        mm_error_set(&r->cb_error, NULL, "control character U+%04lX in field (only tab and line breaks are allowed)",
                     control);
      } else {
        mm_error_set(&r->cb_error, NULL, "invalid UTF-8 (byte 0x%02X)", s[k]);
      }
      mm_error_locate(&r->cb_error, r->path, r->field_line + count_line_ends(s, k),
                      (long)r->n_fields + 1);
      return 1;
    }
    k += len;
  }
  return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : 16;
  while (n < need) n *= 2;
  void *q = realloc(*p, n * elem);
  if (!q) return 1;
  *p = q;
  *cap = n;
  return 0;
}

static void on_field(void *s, size_t len, void *data) {
  io_csv_reader *r = data;
  r->field_begun = 0;
  r->field_raw = 0;
  if (r->cb_status != MM_OK) return;
  long col = (long)(r->n_fields + r->extra_fields) + 1;
  if (len > r->max_field) {
    mm_error_set(&r->cb_error, NULL, "field longer than %zu bytes", r->max_field);
    mm_error_locate(&r->cb_error, r->path, r->field_line, col);
    r->cb_status = MM_ERR_PARSE;
    return;
  }
  if (check_field_bytes(r, s, len)) {
    r->cb_status = MM_ERR_PARSE;
    return;
  }
  if (r->expected && r->n_fields == r->expected) {
    r->extra_fields++; /* ragged: only the count matters now */
    return;
  }
  if (r->n_fields == IO_CSV_MAX_FIELDS) {
    mm_error_set(&r->cb_error, NULL, "more than %d fields in one record", IO_CSV_MAX_FIELDS);
    mm_error_locate(&r->cb_error, r->path, r->field_line, col);
    r->cb_status = MM_ERR_PARSE;
    return;
  }
  size_t fields_cap = r->fields_cap;
  if (grow((void **)&r->fields, &fields_cap, r->n_fields + 1, sizeof *r->fields) ||
      grow((void **)&r->field_off, &r->fields_cap, r->n_fields + 1, sizeof *r->field_off) ||
      grow((void **)&r->text, &r->text_cap, r->text_len + len + 1, 1)) {
    mm_error_set(&r->cb_error, NULL, "out of memory reading a record");
    mm_error_locate(&r->cb_error, r->path, r->field_line, col);
    r->cb_status = MM_ERR_NOMEM;
    return;
  }
  if (len) memcpy(r->text + r->text_len, s, len);
  r->text[r->text_len + len] = '\0';
  io_csv_field *f = &r->fields[r->n_fields];
  f->len = len;
  f->line = r->field_line;
  f->col = col;
  r->field_off[r->n_fields++] = r->text_len;
  r->text_len += len + 1;
}

static void on_record(int c, void *data) {
  io_csv_reader *r = data;
  (void)c;
  r->in_record = 0;
  r->record_ready = 1;
}

/* Reads the next chunk; skips a byte order mark at the start of the file. */
static mm_status read_chunk(io_csv_reader *r, mm_error *e) {
  r->pos = 0;
  r->chunk_len = fread(r->chunk, 1, CHUNK_SIZE, r->f);
  if (r->chunk_len < CHUNK_SIZE) {
    if (ferror(r->f)) {
      int err = errno;
      mm_error_set(e, NULL, "read failed: %s", strerror(err));
      return fail(r, MM_ERR_IO, 0, 0, e);
    }
    r->eof = 1;
  }
  if (!r->started) {
    r->started = 1;
    if (r->chunk_len >= 3 && memcmp(r->chunk, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
    /* A spreadsheet's "Unicode text" export: name it rather than its first byte. */
    const unsigned char *c = r->chunk;
    if (r->chunk_len >= 2 && ((c[0] == 0xFF && c[1] == 0xFE) || (c[0] == 0xFE && c[1] == 0xFF))) {
      mm_error_set(e, NULL, "the file is UTF-16 (byte order mark %02X %02X); expected UTF-8: save it as CSV UTF-8",
                   c[0], c[1]);
      return fail(r, MM_ERR_PARSE, 1, 1, e);
    }
  }
  return MM_OK;
}

static void printable_byte(unsigned char c, char out[8]) {
  if (c >= 0x21 && c < 0x7F) {
    snprintf(out, 8, "'%c'", c);
  } else {
    snprintf(out, 8, "0x%02X", c);
  }
}

/* Feeds one segment (ending after the first comma, CR or LF) to libcsv. */
static mm_status feed_segment(io_csv_reader *r, mm_error *e) {
  const unsigned char *seg = r->chunk + r->pos;
  size_t avail = r->chunk_len - r->pos, n = 0;
  while (n < avail) {
    unsigned char c = seg[n++];
    if (c == ',' || c == '\n' || c == '\r') break;
  }
  /* Where does the current field begin?  libcsv skips blanks before a
   * field, and blank lines before a record. */
  size_t begin = n;
  if (!r->field_begun) {
    for (size_t k = 0; k < n; k++) {
      unsigned char c = seg[k];
      if (c == ' ' || c == '\t') continue;
      if (!r->in_record && (c == '\r' || c == '\n')) continue;
      r->in_record = 1;
      r->field_begun = 1;
      r->field_quoted = c == '"';
      r->field_line = r->line;
      r->field_raw = 0;
      begin = k;
      break;
    }
  } else {
    begin = 0;
  }

  size_t used = csv_parse(&r->parser, seg, n, on_field, on_record, r);
  if (r->cb_status != MM_OK) {
    *e = r->cb_error;
    r->failed = 1;
    return r->cb_status;
  }
  long col = (long)(r->n_fields + r->extra_fields) + 1;
  if (used < n) {
    if (csv_error(&r->parser) == CSV_ENOMEM || csv_error(&r->parser) == CSV_ETOOBIG) {
      mm_error_set(e, NULL, "out of memory reading a field");
      return fail(r, MM_ERR_NOMEM, r->line, col, e);
    }
    char got[8];
    printable_byte(seg[used], got);
    if (r->field_quoted) {
      mm_error_set(e, NULL,
                   "expected a comma or a line end after the closing quote of a field, got %s",
                   got);
    } else {
      mm_error_set(e, NULL,
                   "stray quote in an unquoted field (quote the whole field and double the "
                   "quotes inside it)");
    }
    return fail(r, MM_ERR_PARSE, r->line, col, e);
  }
  if (r->field_begun) {
    r->field_raw += n - begin;
    /* libcsv holds the field in memory; stop long before it grows without
     * bound.  A quoted field's text is at least half its bytes. */
    if (r->field_raw > 2 * r->max_field + 2) {
      if (r->field_quoted) {
        mm_error_set(e, NULL,
                     "field longer than %zu bytes (a quoted field starting at line %ld: is "
                     "its closing quote missing?)",
                     r->max_field, r->field_line);
      } else {
        mm_error_set(e, NULL, "field longer than %zu bytes", r->max_field);
      }
      return fail(r, MM_ERR_PARSE, r->field_line, col, e);
    }
  }
  unsigned char last = seg[n - 1];
  if (last == '\r' || (last == '\n' && !(n == 1 && r->prev_cr))) r->line++;
  r->prev_cr = last == '\r';
  r->pos += n;
  return MM_OK;
}

/* Runs libcsv until a record is complete or the file ends. */
static mm_status fill_record(io_csv_reader *r, mm_error *e) {
  mm_status s;
  while (!r->record_ready) {
    if (r->pos == r->chunk_len) {
      if (r->eof) {
        if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
          mm_error_set(e, NULL, "unterminated quoted field starting at line %ld",
                       r->field_line);
          return fail(r, MM_ERR_PARSE, r->field_line,
                      (long)(r->n_fields + r->extra_fields) + 1, e);
        }
        if (r->cb_status != MM_OK) {
          *e = r->cb_error;
          r->failed = 1;
          return r->cb_status;
        }
        r->done = 1;
        return MM_OK;
      }
      if ((s = read_chunk(r, e)) != MM_OK) return s;
      continue;
    }
    if ((s = feed_segment(r, e)) != MM_OK) return s;
  }
  return MM_OK;
}

mm_status io_csv_next(io_csv_reader *r, const io_csv_record **rec, mm_error *e) {
  *rec = NULL;
  if (r->failed) {
    mm_error_set(e, NULL, "reader used after an error");
    mm_error_locate(e, r->path, 0, 0);
    return MM_ERR_INVALID;
  }
  r->n_fields = 0;
  r->extra_fields = 0;
  r->text_len = 0;
  r->record_ready = 0;
  if (r->done) return MM_OK;
  mm_status s = fill_record(r, e);
  if (s != MM_OK || !r->record_ready) return s;

  size_t got = r->n_fields + r->extra_fields;
  if (r->expected && got != r->expected) {
    const io_csv_field *last = &r->fields[r->n_fields - 1];
    mm_error_set(e, NULL, "expected %zu fields as in the header, got %zu", r->expected, got);
    /* The record itself ended cleanly, so the next one can still be read. */
    mm_error_locate(e, r->path, last->line, got < r->expected ? (long)got + 1 : (long)r->expected + 1);
    return MM_ERR_PARSE;
  }
  for (size_t k = 0; k < r->n_fields; k++) r->fields[k].text = r->text + r->field_off[k];
  r->record.fields = r->fields;
  r->record.n_fields = r->n_fields;
  r->record.line = r->fields[0].line;
  *rec = &r->record;
  return MM_OK;
}

/* A header read as one column that holds another separator (a spreadsheet's
 * ';' or tab export): how to name that separator, else NULL. */
static const char *other_separator(const io_csv_record *h, const io_csv_column *cols, size_t n_cols) {
  if (h->n_fields != 1) return NULL;
  const char *text = h->fields[0].text;
  for (size_t k = 0; k < n_cols; k++)
    if (io_name_eq(io_trim(h->fields[0].text), cols[k].name)) return NULL;
  if (strchr(text, ';')) return "';'";
  if (strchr(text, '\t')) return "tabs";
  return NULL;
}

/* The error for a header that other_separator explains: the first required
 * column is missing, and why. */
static mm_status separator_error(io_csv_reader *r, const io_csv_record *h, const io_csv_column *cols,
                                 size_t n_cols, const char *sep, mm_error *e) {
  size_t k = 0;
  while (k + 1 < n_cols && !cols[k].required) k++;
  mm_error_set(e, NULL,
               "missing required column \"%s\": the header is one column, \"%s\", so fields seem separated "
               "by %s; expected commas (save the file as comma-separated CSV)",
               cols[k].name, io_trim(h->fields[0].text), sep);
  return fail(r, MM_ERR_PARSE, h->line, 1, e);
}

mm_status io_csv_read_header(io_csv_reader *r, const io_csv_column *cols, size_t n_cols,
                             long *index, io_warn_fn warn, void *warn_ctx, mm_error *e) {
  const io_csv_record *h;
  mm_status s = io_csv_next(r, &h, e);
  if (s != MM_OK) return s;
  if (!h) {
    mm_error_set(e, NULL, "empty file: expected a header row");
    return fail(r, MM_ERR_PARSE, 1, 0, e);
  }
  const char *sep = other_separator(h, cols, n_cols);
  if (sep) return separator_error(r, h, cols, n_cols, sep, e);
  for (size_t k = 0; k < n_cols; k++) index[k] = -1;
  for (size_t i = 0; i < h->n_fields; i++) {
    io_csv_field *f = &h->fields[i];
    char *name = f->text = io_trim(f->text);
    f->len = strlen(name);
    if (!*name) {
      if (!warn) {
        mm_error_set(e, NULL, "column %ld has no name", f->col);
        return fail(r, MM_ERR_PARSE, f->line, f->col, e);
      }
      mm_error w;
      mm_error_clear(&w);
      mm_error_set(&w, NULL, "column %ld has no name; ignored", f->col);
      mm_error_locate(&w, r->path, f->line, f->col);
      warn(warn_ctx, &w);
      continue;
    }
    for (size_t j = 0; j < i; j++) {
      if (io_name_eq(h->fields[j].text, name)) {
        mm_error_set(e, NULL, "duplicate column \"%s\" (also column %zu)", name, j + 1);
        return fail(r, MM_ERR_PARSE, f->line, f->col, e);
      }
    }
    size_t k = 0;
    while (k < n_cols && !io_name_eq(name, cols[k].name)) k++;
    if (k < n_cols) {
      index[k] = (long)i;
      continue;
    }
    if (!warn) {
      char expected[512] = "";
      size_t used = 0;
      for (size_t c = 0; c < n_cols && used < sizeof expected; c++) {
        int w = snprintf(expected + used, sizeof expected - used, "%s%s", c ? ", " : "",
                         cols[c].name);
        if (w > 0) used += (size_t)w;
      }
      mm_error_set(e, NULL, "unknown column \"%s\" (expected %s)", name, expected);
      return fail(r, MM_ERR_PARSE, f->line, f->col, e);
    }
    mm_error w;
    mm_error_clear(&w);
    mm_error_set(&w, NULL, "unknown column \"%s\" ignored", name);
    mm_error_locate(&w, r->path, f->line, f->col);
    warn(warn_ctx, &w);
  }
  for (size_t k = 0; k < n_cols; k++) {
    if (cols[k].required && index[k] < 0) {
      mm_error_set(e, NULL, "missing required column \"%s\"", cols[k].name);
      return fail(r, MM_ERR_PARSE, h->line, (long)h->n_fields + 1, e);
    }
  }
  r->expected = h->n_fields;
  return MM_OK;
}
