/* ics_previous.c: reads UID, SEQUENCE and content hash of each series in an earlier meetings.ics.
 *
 * Only the few properties re-issuing needs are read, from unfolded content
 * lines; anything else in the file is skipped, so a calendar edited by hand
 * or re-saved by a client still works as long as those properties are
 * intact; a file that does not start with BEGIN:VCALENDAR (after a UTF-8
 * BOM) is not a calendar and an error.  Errors point at the physical line
 * where the property starts.
 */
#include "ics_previous.h"

#include "config_reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BYTES (256u << 20)

typedef struct {
  char *uid;
  long sequence;
  uint64_t hash;
} series;

struct io_ics_previous {
  series *v;
  size_t n, cap;
};

typedef struct {
  const char *path;
  long line;        /* physical line where the logical line starts */
  int in_event, recurrence;
  series cur;
  int begun;        /* the first line, BEGIN:VCALENDAR, was read */
} reader;

static mm_status fail(const reader *R, mm_status st, mm_error *e, const char *fmt, const char *got) {
  mm_error_set(e, NULL, fmt, got);
  mm_error_locate(e, R->path, R->line, 1);
  return st;
}

static int name_is(const char *line, const char *name) {
  size_t n = strlen(name);
  for (size_t k = 0; k < n; k++)
    if (toupper((unsigned char)line[k]) != name[k]) return 0;
  return line[n] == ':' || line[n] == ';';
}

/* The value after the first ':' outside a quoted parameter. */
static const char *value_of(const char *line) {
  int quoted = 0;
  for (; *line; line++) {
    if (*line == '"') quoted = !quoted;
    if (*line == ':' && !quoted) return line + 1;
  }
  return "";
}

static mm_status take(io_ics_previous *prev, reader *R, mm_error *e) {
  if (R->recurrence || !R->cur.uid) {
    free(R->cur.uid);
    return MM_OK;
  }
  if (prev->n == prev->cap) {
    size_t cap = prev->cap ? prev->cap * 2 : 64;
    series *v = realloc(prev->v, cap * sizeof *v);
    if (!v) {
      free(R->cur.uid);
      mm_error_set(e, NULL, "out of memory reading the previous calendar");
      return MM_ERR_NOMEM;
    }
    prev->v = v;
    prev->cap = cap;
  }
  prev->v[prev->n++] = R->cur;
  return MM_OK;
}

static mm_status on_line(io_ics_previous *prev, reader *R, const char *line, mm_error *e) {
  const char *v = value_of(line);
  if (!R->begun) {
    /* Not a calendar at all (a wrong file, or the wrong folder's): say so
     * rather than take it for one without any series. */
    if (!name_is(line, "BEGIN") || strcmp(v, "VCALENDAR") != 0)
      return fail(R, MM_ERR_PARSE, e, "expected an iCalendar file starting with BEGIN:VCALENDAR, got \"%.64s\"", line);
    R->begun = 1;
    return MM_OK;
  }
  if (name_is(line, "BEGIN") && strcmp(v, "VEVENT") == 0) {
    if (R->in_event) return fail(R, MM_ERR_PARSE, e, "%sBEGIN:VEVENT inside a VEVENT", "");
    R->in_event = 1;
    R->recurrence = 0;
    memset(&R->cur, 0, sizeof R->cur);
  } else if (!R->in_event) {
    return MM_OK;
  } else if (name_is(line, "END") && strcmp(v, "VEVENT") == 0) {
    R->in_event = 0;
    return take(prev, R, e);
  } else if (name_is(line, "RECURRENCE-ID")) {
    R->recurrence = 1;
  } else if (name_is(line, "UID") && !R->cur.uid) {
    if (!(R->cur.uid = strdup(v))) {
      mm_error_set(e, NULL, "out of memory reading the previous calendar");
      return MM_ERR_NOMEM;
    }
  } else if (name_is(line, "SEQUENCE")) {
    if (io_parse_int(v, 0, 2147483647L, &R->cur.sequence) != MM_OK)
      return fail(R, MM_ERR_PARSE, e, "expected SEQUENCE to be a whole number from 0 to 2147483647, got \"%.64s\"",
                  v);
  } else if (name_is(line, "X-MENTORMATCH-CONTENT")) {
    char *end;
    if (strlen(v) != 16 || (R->cur.hash = strtoull(v, &end, 16), *end != '\0'))
      return fail(R, MM_ERR_PARSE, e, "expected X-MENTORMATCH-CONTENT to be 16 hex digits, got \"%.64s\"", v);
  }
  return MM_OK;
}

static char *slurp(const char *path, size_t *n, mm_error *e) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    mm_error_set(e, NULL, "cannot read the previous calendar: %s", strerror(errno));
    mm_error_locate(e, path, 0, 0);
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  char *b = malloc(cap);
  while (b) {
    len += fread(b + len, 1, cap - len - 1, f);
    if (len < cap - 1 || cap >= MAX_BYTES) break;
    char *v = realloc(b, cap *= 2);
    if (!v) free(b);
    b = v;
  }
  int failed = ferror(f), err = errno, bad = failed || !b || len >= MAX_BYTES - 1;
  fclose(f);
  if (bad) {
    free(b);
    mm_error_set(e, NULL, "cannot read the previous calendar: %s",
                 failed ? strerror(err) : !b ? "out of memory" : "over 256 MiB");
    mm_error_locate(e, path, 0, 0);
    return NULL;
  }
  b[len] = '\0';
  *n = len;
  return b;
}

/* Unfolds in place (a line starting with a space or tab continues the one
 * before) and hands each logical line to on_line. */
static mm_status walk(io_ics_previous *prev, reader *R, char *b, size_t n, mm_error *e) {
  char *out = b, *start = b;
  long physical = 1;
  R->line = 1;
  for (size_t k = 0; k <= n; k++) {
    int at_end = k == n;
    if (!at_end && b[k] != '\n') {
      if (b[k] != '\r') *out++ = b[k];
      continue;
    }
    physical++;
    if (!at_end && (b[k + 1] == ' ' || b[k + 1] == '\t')) {
      k++;
      continue;
    }
    *out = '\0';
    mm_status st = *start ? on_line(prev, R, start, e) : MM_OK;
    if (st != MM_OK) return st;
    start = out = b + k + 1;
    R->line = physical;
  }
  if (R->in_event) return fail(R, MM_ERR_PARSE, e, "%sa VEVENT is never closed", "");
  return MM_OK;
}

static int by_uid(const void *a, const void *b) {
  return strcmp(((const series *)a)->uid, ((const series *)b)->uid);
}

mm_status io_ics_previous_read(const char *dir, io_ics_previous **out, mm_error *e) {
  *out = NULL;
  char path[4096];
  if (snprintf(path, sizeof path, "%s/meetings.ics", dir) >= (int)sizeof path) {
    mm_error_set(e, NULL, "--previous-calendar: folder path too long");
    return MM_ERR_USAGE;
  }
  size_t n = 0;
  char *b = slurp(path, &n, e);
  if (!b) return MM_ERR_IO;
  io_ics_previous *prev = calloc(1, sizeof *prev);
  reader R = {path, 1, 0, 0, {NULL, 0, 0}, 0};
  size_t bom = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  mm_status st = prev ? walk(prev, &R, b + bom, n - bom, e) : MM_ERR_NOMEM;
  if (st == MM_OK && !R.begun) {
    R.line = 1;
    st = fail(&R, MM_ERR_PARSE, e, "%sthe file is empty: expected an iCalendar file", "");
  }
  if (!prev) mm_error_set(e, NULL, "out of memory reading the previous calendar");
  if (R.in_event) free(R.cur.uid);
  free(b);
  if (st != MM_OK) {
    io_ics_previous_free(prev);
    return st;
  }
  if (prev->n) qsort(prev->v, prev->n, sizeof *prev->v, by_uid);
  for (size_t k = 1; k < prev->n; k++) {
    if (strcmp(prev->v[k - 1].uid, prev->v[k].uid) == 0) {
      mm_error_set(e, NULL, "UID \"%.200s\" is used by two series", prev->v[k].uid);
      mm_error_locate(e, path, 0, 0);
      io_ics_previous_free(prev);
      return MM_ERR_PARSE;
    }
  }
  *out = prev;
  return MM_OK;
}

void io_ics_previous_free(io_ics_previous *prev) {
  if (!prev) return;
  for (size_t k = 0; k < prev->n; k++) free(prev->v[k].uid);
  free(prev->v);
  free(prev);
}

int io_ics_previous_find(const io_ics_previous *prev, const char *uid, long *sequence,
                         uint64_t *hash) {
  if (!prev || !prev->n) return 0;
  series key = {(char *)uid, 0, 0};
  const series *s = bsearch(&key, prev->v, prev->n, sizeof *prev->v, by_uid);
  if (!s) return 0;
  *sequence = s->sequence;
  *hash = s->hash;
  return 1;
}
