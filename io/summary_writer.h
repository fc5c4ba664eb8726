/* summary_writer.h: summary.json, the machine-readable account of a run. */
#ifndef MM_IO_SUMMARY_WRITER_H
#define MM_IO_SUMMARY_WRITER_H

#include "mentormatch.h"

#include <stdio.h>

/* The version of summary.json's shape, written as "schema_version" and
 * described by schema/summary.schema.json.  New fields keep the version;
 * a field removed, renamed or changed in meaning raises it. */
#define IO_SUMMARY_SCHEMA_VERSION 1

/* Run facts the engine does not know: what the io layer measured. */
typedef struct {
  const char *command;  /* "match" or "solve" */
  double read_s, write_s, total_s;
  double prepare_s;     /* calendars: zones, series, shared text (match) */
  /* After summary.json, for the human summary only: publishing (syncfs,
   * links and flip, removing the run before) and freeing the calendars. */
  double publish_s, sync_s, link_s, remove_s, free_s;
  const mm_options *options; /* match mode, or NULL */
  size_t meetings;      /* occurrences written to meetings.csv */
} io_run_info;

/* Writes summary.json: counts (mentees, mentors, matched, ...), total_score
 * (the sum of pairings.csv's score column, 4 decimals), status, bound,
 * solver, proof, per-phase seconds under "timings", threads and options.
 * Everything but "timings" and "threads" is the same for the same inputs. */
mm_status io_write_summary(FILE *f, const char *name, const mm_result *r, const io_run_info *info,
                           mm_error *e);

/* Formats units of 1e-4 as an exact decimal with four places. */
void io_format_score(int64_t units, char *buf, size_t size);

#endif
