/* csv_ahead.h: a CSV reader's records parsed on a second thread while the caller uses earlier ones.
 *
 * Reading a roster is two jobs of about the same size: parsing the CSV
 * (libcsv, line and column bookkeeping, UTF-8 checks) and turning each
 * record into a person (interning tags, parsing availability).  Done one
 * after the other they take one core; here a thread runs io_csv_next on
 * the reader and hands the caller batches of records in file order, so the
 * two jobs overlap.  The caller sees exactly the sequence io_csv_next would
 * give, errors included and at the same records: a record whose field
 * count differs from the header's is passed on as that error and reading
 * goes on after it, as io_csv_can_go_on allows; any other error ends the
 * sequence.  Memory stays bounded: a few batches of records are in flight.
 *
 * Thread safety: one caller thread per io_csv_ahead; the reader belongs to
 * the reading thread from io_csv_ahead_start until io_csv_ahead_stop.
 */
#ifndef MM_IO_CSV_AHEAD_H
#define MM_IO_CSV_AHEAD_H

#include "csv_reader.h"

typedef struct io_csv_ahead io_csv_ahead;

/* Starts reading r's remaining records on a thread (after the header: read
 * it with io_csv_read_header first).  NULL when memory or a thread is short:
 * then read r directly, nothing is lost. */
io_csv_ahead *io_csv_ahead_start(io_csv_reader *r);

/* io_csv_next's answer for the next record, in the same order: *rec is valid
 * until the next call or io_csv_ahead_stop, and its fields' text may be
 * changed in place. */
mm_status io_csv_ahead_next(io_csv_ahead *a, const io_csv_record **rec, mm_error *e);

/* io_csv_can_go_on for the last error io_csv_ahead_next returned. */
int io_csv_ahead_can_go_on(const io_csv_ahead *a);

/* Stops the thread (wherever it is in the file), frees a; the reader is the
 * caller's again, to close.  NULL does nothing. */
void io_csv_ahead_stop(io_csv_ahead *a);

#endif
