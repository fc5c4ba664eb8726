/* rules_reader.h: the --pairs file of programme rules (require or forbid a pair).
 *
 * Coordinators pin pairs that must happen ("require") or must not
 * ("forbid") in a three-column CSV: mentee_id, mentor_id, rule.  The ids
 * must name people already read from the rosters.
 */
#ifndef MM_IO_RULES_READER_H
#define MM_IO_RULES_READER_H

#include "mentormatch.h"

/* Reads path and adds each rule to p (mm_problem_add_rule, with the rule's
 * line).  Columns mentee_id, mentor_id and rule (require or forbid, any
 * case) are required; any other column is an error.  Errors are located at
 * file:line:col: an unknown id (field mentee_id or mentor_id), a bad rule
 * word, a rule contradicting an earlier one; MM_ERR_IO, MM_ERR_PARSE,
 * MM_ERR_INVALID, MM_ERR_NOMEM.  A header-only file adds nothing; an empty
 * file is an error.  Not thread-safe for the same p. */
mm_status io_read_rules(const char *path, mm_problem *p, mm_error *e);

/* io_read_rules for `check`: a bad row goes to row_error (located) and
 * reading goes on; with row_error NULL it is io_read_rules.  Returns MM_OK
 * when only row errors occurred, or the error that ended the file. */
mm_status io_read_rules_each(const char *path, mm_problem *p,
                             void (*row_error)(void *ctx, mm_status s, const mm_error *e), void *ctx,
                             mm_error *e);

#endif
