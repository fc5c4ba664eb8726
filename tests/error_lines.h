/* error_lines.h: an error as the tool prints it, and the line a test expects, for the reader tests.
 *
 * The reader tests (CSV, rosters, scores, settings) compare whole
 * compiler-style lines, "file:line:col: error: ...", and each wrote out the
 * same two helpers to build them.  Header only, like check.h.
 */
#ifndef MM_TEST_ERROR_LINES_H
#define MM_TEST_ERROR_LINES_H

#include "mentormatch.h"

#include <stdio.h>

/* e as mm_error_format prints it, in a buffer the next call overwrites. */
static inline const char *error_line(const mm_error *e) {
  static char buf[1024];
  mm_error_format(e, buf, sizeof buf);
  return buf;
}

/* The line expected for a file: "<path><rest>" (rest starts at ":line:col"),
 * in a buffer the next call overwrites. */
static inline const char *expected_line(const char *path, const char *rest) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s%s", path, rest);
  return buf;
}

#endif
