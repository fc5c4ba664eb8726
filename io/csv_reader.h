/* csv_reader.h: a streaming RFC 4180 reader that knows the line and column of every field.
 *
 * libcsv parses the quoting but reports no positions, and every message the
 * tool prints must say file:line:col.  This reader feeds libcsv one piece of
 * a 64 KiB chunk at a time, cut after each comma and line end, so that it
 * always knows which line the bytes it hands over are on.  It hands records
 * to its caller one at a time; memory never grows with the file, only with
 * the current record.  It also maps a header row to the columns a reader
 * wants, and checks that every later record has as many fields as the header.
 *
 * Unquoted fields lose surrounding spaces and tabs (libcsv's rule); quoted
 * fields keep every byte.  Blank lines are skipped.  A UTF-8 byte order mark
 * at the start of the file is skipped.  Fields must be valid UTF-8 without
 * NUL bytes.
 *
 * Thread safety: no global state; a reader must be used by one thread at a
 * time, distinct readers may run in parallel.  The helpers at the end are
 * pure functions.
 */
#ifndef MM_IO_CSV_READER_H
#define MM_IO_CSV_READER_H

#include "mentormatch.h"

#include <stddef.h>

/* Default limit on the bytes of one field's text. */
#define IO_CSV_MAX_FIELD_DEFAULT ((size_t)1 << 20)
/* More fields than this in one record is an error (it bounds memory). */
#define IO_CSV_MAX_FIELDS 10000

/* Receives a warning (file, line, column and message filled, field empty).
 * Format it with io_warning_format. */
typedef void (*io_warn_fn)(void *ctx, const mm_error *w);

typedef struct {
  char *text;  /* NUL-terminated copy; the caller may change it in place */
  size_t len;  /* bytes in text, without the NUL */
  long line;   /* 1-based line where the field starts */
  long col;    /* 1-based position of the field in its record */
} io_csv_field;

typedef struct {
  io_csv_field *fields;
  size_t n_fields; /* at least 1 */
  long line;       /* line where the record starts */
} io_csv_record;

typedef struct io_csv_reader io_csv_reader;

/* The name "-" stands for in paths, and in messages ("<stdin>:3:2: error: ..."). */
#define IO_STDIN_NAME "<stdin>"

/* Opens path for reading; "-" reads standard input (named IO_STDIN_NAME in
 * messages, and left open by io_csv_close).  max_field is the most bytes one field's text may
 * hold (0 = IO_CSV_MAX_FIELD_DEFAULT).  On success *out is a reader the
 * caller frees with io_csv_close; on failure *out is NULL, the status is
 * MM_ERR_IO (with strerror's text) or MM_ERR_NOMEM and e names the file. */
mm_status io_csv_open(const char *path, size_t max_field, io_csv_reader **out, mm_error *e);

/* The name messages use for path: IO_STDIN_NAME for "-", else path itself. */
const char *io_input_name(const char *path);

/* Closes the file and frees everything.  NULL does nothing. */
void io_csv_close(io_csv_reader *r);

/* Reads the next record.  *rec points at a record owned by the reader, valid
 * until the next call or io_csv_close, or is NULL at the end of the file.
 * Errors: MM_ERR_PARSE (bad quoting, invalid UTF-8, NUL byte, field too long,
 * too many fields, a field count unlike the header's) with e located at
 * file:line:col, MM_ERR_IO, MM_ERR_NOMEM.  After an error the reader can only
 * be closed, except after a record whose field count differs from the
 * header's: that record ended cleanly, io_csv_can_go_on says so, and the
 * next call reads the record after it. */
mm_status io_csv_next(io_csv_reader *r, const io_csv_record **rec, mm_error *e);

/* After an error from io_csv_next: whether reading may go on (the error was
 * in one record's field count, not in the file's structure). */
int io_csv_can_go_on(const io_csv_reader *r);

/* A column a reader looks for in the header. */
typedef struct {
  const char *name; /* lower case; header names match it case-insensitively after trimming */
  int required;
} io_csv_column;

/* Reads the first record as a header and maps it: index[k] receives the
 * 0-based field index of cols[k], or -1 when that optional column is absent.
 * Errors (located): an empty file ("empty file: expected a header row"), a
 * missing required column (column = the header's field count + 1), a
 * duplicate column name.  A column not in cols is reported once through warn
 * ("unknown column \"x\" ignored"); with warn NULL it is an error instead.
 * From then on io_csv_next rejects records whose field count differs from
 * the header's.  A file with only a header is valid and yields no records. */
mm_status io_csv_read_header(io_csv_reader *r, const io_csv_column *cols, size_t n_cols,
                             long *index, io_warn_fn warn, void *warn_ctx, mm_error *e);

/* Formats a warning like mm_error_format formats an error:
 * "file:line:col: warning: message".  Returns the length it wanted. */
size_t io_warning_format(const mm_error *w, char *buf, size_t size);

/* Removes leading and trailing ASCII white space in place; returns s moved
 * past the leading part. */
char *io_trim(char *s);

/* ASCII case-insensitive equality, independent of the locale. */
int io_name_eq(const char *a, const char *b);

/* The person on side `side` whose id a (trimmed) cell names, or -1.  A cell
 * of a CSV this tool wrote holds an id that starts with = + - @ or an
 * apostrophe behind the apostrophe io_csv_write_text adds ("'@carol" for
 * @carol, "''x" for 'x): such a cell names that id when the roster has it,
 * else its own text, so last cohort's pairings.csv reads back as it was
 * written. */
long io_csv_find_id(const mm_problem *p, mm_side side, const char *cell);

#endif
