/* status.c: status names and the error record shared by every module.
 *
 * Every fallible engine function returns an mm_status and may fill an
 * mm_error; this file is the one place that formats such a record into the
 * compiler-style line the tool prints ("file:line:col: error: ...").
 */
#include "mentormatch.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *mm_status_str(mm_status s) {
  switch (s) {
  case MM_OK: return "ok";
  case MM_ERR_NOMEM: return "out of memory";
  case MM_ERR_PARSE: return "malformed input";
  case MM_ERR_INVALID: return "invalid input";
  case MM_ERR_INFEASIBLE: return "infeasible rules";
  case MM_ERR_SOLVER: return "solver failure";
  case MM_ERR_IO: return "input/output error";
  case MM_ERR_LIMIT: return "limit reached";
  case MM_ERR_USAGE: return "usage error";
  }
  return "unknown status";
}

const char *mm_solution_status_str(mm_solution_status s) {
  switch (s) {
  case MM_SOLUTION_UNKNOWN: return "unknown";
  case MM_SOLUTION_OPTIMAL: return "optimal";
  case MM_SOLUTION_TIME_LIMIT: return "time_limit";
  case MM_SOLUTION_FEASIBLE: return "feasible";
  case MM_SOLUTION_STABLE: return "stable";
  }
  return "unknown";
}

/* After snprintf wrote len bytes' worth into buf[size]: when it did not fit,
 * end on a whole UTF-8 character with "..." so a reader sees the cut. */
static void mark_cut(char *buf, size_t size, int len) {
  if (len < 0 || (size_t)len < size || size < 4) return;
  size_t n = size - 4;
  while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80) n--;
  memcpy(buf + n, "...", 4);
}

void mm_error_clear(mm_error *e) {
  if (e) memset(e, 0, sizeof *e);
}

void mm_error_set(mm_error *e, const char *field, const char *fmt, ...) {
  if (!e) return;
  if (field) {
    snprintf(e->field, sizeof e->field, "%s", field);
  } else {
    e->field[0] = '\0';
  }
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
  mark_cut(e->message, sizeof e->message, len);
}

void mm_error_locate(mm_error *e, const char *file, long line, long col) {
  if (!e) return;
  if (file) mark_cut(e->file, sizeof e->file, snprintf(e->file, sizeof e->file, "%s", file));
  e->line = line;
  e->col = col;
}

size_t mm_error_format(const mm_error *e, char *buf, size_t size) {
  char where[320] = "";
  size_t n = 0;
  if (e->file[0]) {
    if (e->line > 0 && e->col > 0) {
      n = (size_t)snprintf(where, sizeof where, "%s:%ld:%ld: ", e->file, e->line, e->col);
    } else if (e->line > 0) {
      n = (size_t)snprintf(where, sizeof where, "%s:%ld: ", e->file, e->line);
    } else {
      n = (size_t)snprintf(where, sizeof where, "%s: ", e->file);
    }
  }
  (void)n;
  int len;
  if (e->field[0]) {
    len = snprintf(buf, size, "%serror: %s: %s", where, e->field, e->message);
  } else {
    len = snprintf(buf, size, "%serror: %s", where, e->message);
  }
  return len < 0 ? 0 : (size_t)len;
}
