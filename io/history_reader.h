/* history_reader.h: the --previous and --keep files (earlier pairs, running pairs).
 *
 * Both are CSV with a mentee_id,mentor_id header; any other column is
 * ignored, so last cohort's pairings.csv works as is.  A --keep file that is
 * a pairings.csv also carries each pair's mentor_slot ("Wed 18:00-19:00"),
 * which is kept exactly.
 */
#ifndef MM_IO_HISTORY_READER_H
#define MM_IO_HISTORY_READER_H

#include "mentormatch.h"

/* Reads earlier pairs into p (mm_problem_add_previous).  Rows naming someone
 * not in the rosters (people who left) are skipped; *skipped counts them.
 * Errors located at file:line:col: a missing column, bad CSV; MM_ERR_IO,
 * MM_ERR_PARSE, MM_ERR_NOMEM. */
mm_status io_read_previous(const char *path, mm_problem *p, size_t *skipped, mm_error *e);

/* Reads running pairs into p (mm_problem_add_kept), with the slot of a
 * non-empty mentor_slot column, whose length must be o->meeting_minutes and
 * whose cadence column (when present) must be o's.  Every id must be in the
 * rosters.  Errors located at file:line:col: an unknown id, a malformed
 * slot, a length or cadence unlike this run's, a mentee kept twice. */
mm_status io_read_keep(const char *path, mm_problem *p, const mm_options *o, mm_error *e);

#endif
