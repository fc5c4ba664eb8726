/* csv_writer.h: RFC 4180 records to a FILE*, safe to open in a spreadsheet.
 *
 * Every CSV the tool writes goes through here, so quoting, line ends and the
 * defence against spreadsheet formula injection are decided in one place.
 * Text cells that a spreadsheet would run as a formula (starting with = + -
 * @, a tab or a CR) get a leading apostrophe, as the OWASP advice on CSV
 * injection says, and so do cells starting with an apostrophe, so that the
 * guard is never ambiguous; numeric cells are written as they are.  Whatever is written
 * reads back unchanged through io/csv_reader (with the apostrophe).
 *
 * Errors are sticky like ferror: write the cells, then ask io_csv_end_record
 * or io_csv_writer_finish for the status.
 */
#ifndef MM_IO_CSV_WRITER_H
#define MM_IO_CSV_WRITER_H

#include "mentormatch.h"
#include "write_buffer.h"

#include <stdint.h>
#include <stdio.h>

/* Fill with io_csv_writer_init; the fields are private.  Records are
 * gathered in out and reach the stream in large pieces (the last ones at
 * io_csv_writer_finish). */
typedef struct {
  const char *name;   /* for error messages; borrowed */
  size_t cells;       /* cells written in the current record */
  int last_was_empty; /* the last cell written was empty and unquoted */
  io_wbuf out;
} io_csv_writer;

/* Starts writing records to f (not owned; the caller closes it, after
 * io_csv_writer_finish).  name is
 * what errors call the output ("pairs.csv", "<stdout>"); it must outlive w.
 * A writer must be used by one thread at a time. */
void io_csv_writer_init(io_csv_writer *w, FILE *f, const char *name);

/* Appends a text cell (NULL = empty): quoted when it holds a comma, a quote,
 * CR, LF or blank space at either end; an apostrophe goes first when it
 * starts with = + - @, a tab, a CR or an apostrophe. */
void io_csv_write_text(io_csv_writer *w, const char *s);

/* Appends a number already formatted as text (such as "12" or "-0.5"),
 * unchanged.  It is quoted only if it holds a character that needs it. */
void io_csv_write_number(io_csv_writer *w, const char *s);

/* Appends an integer cell. */
void io_csv_write_int(io_csv_writer *w, long long v);

/* Appends a score in units of 1e-4 as an exact decimal with four places
 * ("0.8125", "-12.5000", "100.0000"), the form io_read_scores reads. */
void io_csv_write_score(io_csv_writer *w, int64_t units);

/* Ends the record with LF.  MM_ERR_IO (e names the output) when any write so
 * far failed. */
mm_status io_csv_end_record(io_csv_writer *w, mm_error *e);

/* Flushes the stream; MM_ERR_IO when that or any earlier write failed. */
mm_status io_csv_writer_finish(io_csv_writer *w, mm_error *e);

#endif
