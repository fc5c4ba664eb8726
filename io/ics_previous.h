/* ics_previous.h: the series of an earlier run's meetings.ics, for re-issuing (RFC 5546 SEQUENCE).
 *
 * A client replaces a meeting it already has only when the new copy has the
 * same UID and a higher SEQUENCE.  `match --previous-calendar DIR` reads
 * DIR/meetings.ics written by an earlier run: for each series (a VEVENT
 * without RECURRENCE-ID) its UID, SEQUENCE and X-MENTORMATCH-CONTENT (a hash
 * of what the series says).  The writer keeps the SEQUENCE of an unchanged
 * series and raises a changed one's by one.
 */
#ifndef MM_IO_ICS_PREVIOUS_H
#define MM_IO_ICS_PREVIOUS_H

#include "mentormatch.h"

#include <stdint.h>

typedef struct io_ics_previous io_ics_previous;

/* Reads DIR/meetings.ics.  MM_ERR_IO when it cannot be read; MM_ERR_PARSE
 * with file:line:col for a malformed SEQUENCE or X-MENTORMATCH-CONTENT, a
 * VEVENT never closed or a UID given twice.  Free with io_ics_previous_free. */
mm_status io_ics_previous_read(const char *dir, io_ics_previous **out, mm_error *e);

/* NULL does nothing. */
void io_ics_previous_free(io_ics_previous *prev);

/* 1 and the series' SEQUENCE and content hash when the UID was there
 * (*hash is 0 when the file had none), else 0.  prev may be NULL. */
int io_ics_previous_find(const io_ics_previous *prev, const char *uid, long *sequence,
                         uint64_t *hash);

#endif
