/* report_writer.h: report.html, the one page an HR analyst opens after a run.
 *
 * A self-contained HTML file (inline CSS, SVG drawn by inline script, no
 * network): the summary and the proof in words, the score distribution,
 * each criterion's share, a location x location matrix, the time-zone
 * spread, mentor load, the reasons people were left out grouped, and a
 * searchable, sortable, paginated table of every pair with its first meeting
 * in both people's local times.  The page is io/report_page.html, built
 * into the tool; this module writes the run's data into it as JSON.
 */
#ifndef MM_IO_REPORT_WRITER_H
#define MM_IO_REPORT_WRITER_H

#include "mentormatch.h"
#include "summary_writer.h"

#include <stdio.h>

/* Writes report.html for a match run (info->options set).  name labels
 * errors.  MM_ERR_IO when writing fails.  f is not closed.  Reads p and r. */
mm_status io_write_report(FILE *f, const char *name, const mm_problem *p, const mm_result *r,
                          const io_run_info *info, mm_error *e);

#endif
