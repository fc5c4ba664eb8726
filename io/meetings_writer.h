/* meetings_writer.h: meetings.csv, one row per listed meeting occurrence.
 *
 * The file people and scripts read to see when each pair meets: UTC start
 * and end, both people's local start with its offset, whether the row is a
 * program checkpoint, and whether the meeting is in person.
 */
#ifndef IO_MEETINGS_WRITER_H
#define IO_MEETINGS_WRITER_H

#include "mentormatch.h"

#include <stdio.h>

/* Writes the header and one row per occurrence of every scheduled pair, in
 * pair order:
 *   mentee_id,mentor_id,occurrence,start_utc,end_utc,mentor_local_start,
 *   mentee_local_start,kind,format
 * occurrence is the 1-based position in the series; kind is "meeting" or
 * "checkpoint"; format is "in-person" (the first meeting of a pair sharing a
 * location) or "video".  Text cells go through io/csv_writer (quoted and
 * neutralised against spreadsheet formulas).  MM_ERR_IO (e filled) when
 * writing fails.  f is not closed.  Reentrant; reads p and r only. */
mm_status io_write_meetings_csv(FILE *f, const mm_problem *p, const mm_result *r, mm_error *e);

#endif
