/* config_reader.c: "key = value" program settings onto mm_options, and strict value parsers.
 *
 * A misspelt key that is silently ignored changes a matching without anyone
 * noticing, so every key must be known and set at most once, and every value
 * must parse completely.  Each key remembers the line that set it, so that
 * a range error found later by mm_options_check still points at that line.
 */
#include "config_reader.h"

#include "csv_reader.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LINE_MAX_BYTES 4096

static int is_digit(char c) { return c >= '0' && c <= '9'; }

mm_status io_parse_int(const char *s, long lo, long hi, long *out) {
  const char *p = s;
  if (*p == '+' || *p == '-') p++;
  if (!is_digit(*p)) return MM_ERR_PARSE;
  while (is_digit(*p)) p++;
  if (*p) return MM_ERR_PARSE;
  errno = 0;
  char *end;
  long v = strtol(s, &end, 10);
  if (end != p) return MM_ERR_PARSE;
  if (errno == ERANGE || v < lo || v > hi) return MM_ERR_INVALID;
  *out = v;
  return MM_OK;
}

mm_status io_parse_int_field(const char *s, const char *field, long lo, long hi, long *out,
                             mm_error *e) {
  mm_status st = io_parse_int(s, lo, hi, out);
  if (st == MM_ERR_PARSE) {
    mm_error_set(e, field, "expected an integer, got \"%s\"", s);
  } else if (st == MM_ERR_INVALID) {
    mm_error_set(e, field, "expected an integer from %ld to %ld, got \"%s\"", lo, hi, s);
  }
  return st;
}

mm_status io_parse_decimal(const char *s, double *out) {
  const char *p = s;
  int digits = 0;
  if (*p == '+' || *p == '-') p++;
  while (is_digit(*p)) p++, digits++;
  if (*p == '.') {
    p++;
    while (is_digit(*p)) p++, digits++;
  }
  if (*p || !digits) return MM_ERR_PARSE;
  errno = 0;
  char *end;
  double v = strtod(s, &end);
  if (end != p || errno == ERANGE) return MM_ERR_PARSE;
  *out = v;
  return MM_OK;
}

static int days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return days[m - 1];
}

mm_status io_parse_date(const char *s, int *y, int *m, int *d) {
  static const char shape[] = "dddd-dd-dd";
  for (size_t k = 0; k < sizeof shape - 1; k++) {
    if (shape[k] == 'd' ? !is_digit(s[k]) : s[k] != shape[k]) return MM_ERR_PARSE;
  }
  if (s[sizeof shape - 1]) return MM_ERR_PARSE;
  int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int mo = (s[5] - '0') * 10 + (s[6] - '0');
  int dd = (s[8] - '0') * 10 + (s[9] - '0');
  if (mo < 1 || mo > 12 || dd < 1 || dd > days_in_month(yy, mo)) return MM_ERR_PARSE;
  *y = yy;
  *m = mo;
  *d = dd;
  return MM_OK;
}

mm_status io_parse_cadence(const char *s, mm_cadence *out) {
  if (io_name_eq(s, "weekly")) {
    *out = MM_CADENCE_WEEKLY;
  } else if (io_name_eq(s, "biweekly")) {
    *out = MM_CADENCE_BIWEEKLY;
  } else if (io_name_eq(s, "monthly")) {
    *out = MM_CADENCE_MONTHLY;
  } else {
    return MM_ERR_PARSE;
  }
  return MM_OK;
}

mm_status io_parse_solver(const char *s, mm_solver *out) {
  if (io_name_eq(s, "auto")) {
    *out = MM_SOLVER_AUTO;
  } else if (io_name_eq(s, "glpk")) {
    *out = MM_SOLVER_GLPK;
  } else if (io_name_eq(s, "flow")) {
    *out = MM_SOLVER_FLOW;
  } else {
    return MM_ERR_PARSE;
  }
  return MM_OK;
}

mm_status io_parse_mode(const char *s, mm_mode *out) {
  if (io_name_eq(s, "optimal")) {
    *out = MM_MODE_OPTIMAL;
  } else if (io_name_eq(s, "stable")) {
    *out = MM_MODE_STABLE;
  } else {
    return MM_ERR_PARSE;
  }
  return MM_OK;
}

mm_status io_parse_share(const char *s, int32_t *out) {
  const char *dot = strchr(s, '.');
  double x;
  if (io_parse_decimal(s, &x) != MM_OK || x < 0 || x > 1 || (dot && strlen(dot + 1) > 4)) return MM_ERR_PARSE;
  *out = (int32_t)(x * 10000 + 0.5);
  return MM_OK;
}

mm_status io_parse_previous(const char *s, int32_t *out) {
  static const char prefix[] = "penalise:";
  if (io_name_eq(s, "forbid")) {
    *out = MM_PREVIOUS_FORBID;
    return MM_OK;
  }
  if (strncasecmp(s, prefix, sizeof prefix - 1) != 0) return MM_ERR_PARSE;
  return io_parse_share(s + sizeof prefix - 1, out);
}

enum {
  KEY_W_SKILLS,
  KEY_W_GOALS,
  KEY_W_TIMEZONE,
  KEY_W_DIVERSITY,
  KEY_SENIORITY_GAP,
  KEY_MEETING_MINUTES,
  KEY_CADENCE,
  KEY_FIRST_MEETINGS,
  KEY_CHECKPOINTS,
  KEY_START,
  KEY_THREADS,
  KEY_SOLVER,
  KEY_CANDIDATES,
  KEY_TIME_LIMIT,
  KEY_BUFFER_MINUTES,
  KEY_JOINT_WHOLE_PAIRS,
  KEY_MODE,
  KEY_PREVIOUS,
  KEY_QUOTA_LOCATION,
  KEY_QUOTA_COUNTRY,
  KEY_QUOTA_DEPARTMENT,
  KEY_MAX_PER_DEPARTMENT,
  KEY_MIN_PER_MENTOR,
  KEY_OBJECTIVE,
  KEY_QUOTA_COLUMN,
  KEY_QUOTA_MIN_SHARE,
  KEY_MIP_GAP,
  KEY_COUNT
};

/* Names as mm_options_check spells them in e->field. */
static const char *const key_names[KEY_COUNT] = {
    "weight.skills", "weight.goals",  "weight.timezone", "weight.diversity", "seniority_gap",
    "meeting_minutes", "cadence",     "first_meetings",  "checkpoints",      "start",
    "threads",         "solver",      "candidates",      "time_limit",       "buffer_minutes",   "joint_whole_pairs",
    "mode",            "previous",    "quota.cross_location", "quota.cross_country", "quota.cross_department",
    "max_per_department", "min_per_mentor", "objective", "quota.column", "quota.min_share", "mip_gap"};

typedef io_config_sites key_sites;
_Static_assert(KEY_COUNT == IO_CONFIG_KEYS, "io_config_sites holds one entry per key");

/* An integer setting within the key's own range (the ranges mm_options
 * checks, and the command's flags take), so a value past what an int holds
 * is told the same range as one just past it. */
static mm_status int_value(const char *v, const char *key, long lo, long hi, int *out, mm_error *e) {
  long x;
  mm_status s = io_parse_int_field(v, key, lo, hi, &x, e);
  if (s == MM_OK) *out = (int)x;
  return s == MM_OK ? MM_OK : MM_ERR_PARSE;
}

/* Parses "30, 60, 90" (or "none"); *bad_col receives the column of a bad item. */
static mm_status checkpoint_value(char *v, long col, mm_options *o, long *bad_col,
                                  mm_error *e) {
  *bad_col = col;
  if (io_name_eq(v, "none")) {
    o->n_checkpoints = 0;
    return MM_OK;
  }
  int n = 0;
  char *item = v;
  for (;;) {
    char *comma = strchr(item, ',');
    if (comma) *comma = '\0';
    char *text = io_trim(item);
    *bad_col = col + (long)(text - v);
    if (n == MM_MAX_CHECKPOINTS) {
      mm_error_set(e, "checkpoints", "expected at most %d checkpoint days", MM_MAX_CHECKPOINTS);
      return MM_ERR_INVALID;
    }
    long day;
    if (io_parse_int(text, INT_MIN, INT_MAX, &day) != MM_OK) {
      mm_error_set(e, "checkpoints",
                   "expected day numbers separated by commas (or none), got \"%s\"", text);
      return MM_ERR_PARSE;
    }
    o->checkpoint_days[n++] = (int)day;
    if (!comma) break;
    item = comma + 1;
  }
  o->n_checkpoints = n;
  return MM_OK;
}

/* The program-rule keys (see README "Program rules"). */
static mm_status apply_rule(int key, const char *v, mm_options *o, mm_error *e) {
  const char *name = key_names[key];
  long x;
  switch (key) {
  case KEY_MODE:
    if (io_parse_mode(v, &o->mode) == MM_OK) return MM_OK;
    mm_error_set(e, name, "expected optimal or stable, got \"%s\"", v);
    return MM_ERR_PARSE;
  case KEY_PREVIOUS:
    if (io_parse_previous(v, &o->previous_penalty) == MM_OK) return MM_OK;
    mm_error_set(e, name, "expected forbid or penalise:X with X a decimal from 0 to 1 (at most 4 decimals), got \"%s\"", v);
    return MM_ERR_PARSE;
  case KEY_QUOTA_LOCATION:
  case KEY_QUOTA_COUNTRY:
  case KEY_QUOTA_DEPARTMENT:
    if (io_parse_share(v, &o->quota_cross[key - KEY_QUOTA_LOCATION]) == MM_OK) return MM_OK;
    mm_error_set(e, name, "expected a share from 0 to 1 with at most 4 decimals, got \"%s\"", v);
    return MM_ERR_PARSE;
  case KEY_MAX_PER_DEPARTMENT:
    if (io_parse_int_field(v, name, 0, 1000, &x, e) != MM_OK) return MM_ERR_PARSE;
    o->max_per_department = (int)x;
    return MM_OK;
  case KEY_MIN_PER_MENTOR:
    if (io_parse_int_field(v, name, 0, 1, &x, e) != MM_OK) return MM_ERR_PARSE;
    o->min_per_mentor = (int)x;
    return MM_OK;
  case KEY_OBJECTIVE:
    if (io_name_eq(v, "total") || io_name_eq(v, "maxmin")) {
      o->objective_maxmin = io_name_eq(v, "maxmin");
      return MM_OK;
    }
    mm_error_set(e, name, "expected total or maxmin, got \"%s\"", v);
    return MM_ERR_PARSE;
  case KEY_QUOTA_COLUMN:
    if (strlen(v) < sizeof o->quota_column) {
      memcpy(o->quota_column, v, strlen(v) + 1);
      return MM_OK;
    }
    mm_error_set(e, name, "expected a column name shorter than %zu bytes", sizeof o->quota_column);
    return MM_ERR_INVALID;
  case KEY_MIP_GAP: {
    double gap;
    if (io_parse_decimal(v, &gap) == MM_OK && gap >= 0 && gap < 1) {
      o->mip_gap = gap;
      return MM_OK;
    }
    mm_error_set(e, name, "expected a relative gap from 0 to below 1 (0.005 = 0.5%%), got \"%s\"", v);
    return MM_ERR_PARSE;
  }
  case KEY_QUOTA_MIN_SHARE:
    if (io_name_eq(v, "proportional")) {
      o->group_proportional = 1;
      return MM_OK;
    }
    mm_error_set(e, name, "expected proportional, got \"%s\"", v);
    return MM_ERR_PARSE;
  }
  mm_error_set(e, name, "key without a parser");
  return MM_ERR_INVALID;
}

/* quota.column and quota.min_share only work together; either alone would
 * be silently ignored (or claim a rule on no column). */
static mm_status check_quota_keys(const mm_options *o, mm_error *e) {
  if (o->group_proportional && !o->quota_column[0]) {
    mm_error_set(e, "quota.min_share",
                 "proportional needs quota.column, the mentee-roster column whose values get their share");
    return MM_ERR_INVALID;
  }
  if (o->quota_column[0] && !o->group_proportional) {
    mm_error_set(e, "quota.column",
                 "\"%s\" has no effect without quota.min_share = proportional; add that line, or remove this one",
                 o->quota_column);
    return MM_ERR_INVALID;
  }
  return MM_OK;
}

/* Applies one value; on failure *bad_col may point inside the value. */
static mm_status apply(int key, char *v, long col, mm_options *o, long *bad_col, mm_error *e) {
  const char *name = key_names[key];
  double x;
  *bad_col = col;
  switch (key) {
  case KEY_W_SKILLS:
  case KEY_W_GOALS:
  case KEY_W_TIMEZONE:
  case KEY_W_DIVERSITY:
    if (io_parse_decimal(v, &x) != MM_OK || x < 0) {
      mm_error_set(e, name, "expected a non-negative decimal such as 0.5 (no exponent), got \"%s\"", v);
      return MM_ERR_PARSE;
    }
    o->weight[key - KEY_W_SKILLS] = x;
    return MM_OK;
  case KEY_TIME_LIMIT:
    if (io_parse_decimal(v, &x) != MM_OK || x < 0) {
      mm_error_set(e, name, "expected seconds as a non-negative decimal such as 30 or 2.5 (no exponent), got \"%s\"", v);
      return MM_ERR_PARSE;
    }
    o->time_limit_s = x;
    return MM_OK;
  case KEY_SENIORITY_GAP: return int_value(v, name, -100, 100, &o->seniority_gap, e);
  case KEY_MEETING_MINUTES: return int_value(v, name, 15, 240, &o->meeting_minutes, e);
  case KEY_FIRST_MEETINGS: return int_value(v, name, 1, 52, &o->first_meetings, e);
  case KEY_THREADS: return int_value(v, name, 0, 1024, &o->threads, e);
  case KEY_CANDIDATES: return int_value(v, name, 1, 4096, &o->candidates, e);
  case KEY_BUFFER_MINUTES: return int_value(v, name, 0, 240, &o->buffer_minutes, e);
  case KEY_JOINT_WHOLE_PAIRS: return int_value(v, name, 0, 1000000, &o->joint_whole_pairs, e);
  case KEY_CADENCE:
    if (io_parse_cadence(v, &o->cadence) != MM_OK) {
      mm_error_set(e, name, "expected weekly, biweekly or monthly, got \"%s\"", v);
      return MM_ERR_PARSE;
    }
    return MM_OK;
  case KEY_SOLVER:
    if (io_parse_solver(v, &o->solver) != MM_OK) {
      mm_error_set(e, name, "expected auto, glpk or flow, got \"%s\"", v);
      return MM_ERR_PARSE;
    }
    return MM_OK;
  case KEY_START:
    if (io_parse_date(v, &o->start_year, &o->start_month, &o->start_day) != MM_OK) {
      mm_error_set(e, name, "expected a date YYYY-MM-DD, got \"%s\"", v);
      return MM_ERR_PARSE;
    }
    return MM_OK;
  case KEY_CHECKPOINTS: return checkpoint_value(v, col, o, bad_col, e);
  default: return apply_rule(key, v, o, e);
  }
  mm_error_set(e, name, "key without a parser");
  return MM_ERR_INVALID;
}

/* Parses one line (NUL-terminated, no line end) and applies it. */
static mm_status config_line(char *line, long line_no, mm_options *o, key_sites *sites,
                             const char *path, mm_error *e) {
  char *hash = strchr(line, '#');
  if (hash) *hash = '\0';
  char *text = io_trim(line);
  if (!*text) return MM_OK;
  long text_col = (long)(text - line) + 1;
  char *eq = strchr(text, '=');
  if (!eq) {
    mm_error_set(e, NULL, "expected key = value, got \"%s\"", text);
    mm_error_locate(e, path, line_no, text_col);
    return MM_ERR_PARSE;
  }
  *eq = '\0';
  char *key_text = io_trim(text);
  char *value = io_trim(eq + 1);
  long eq_col = (long)(eq - line) + 1;
  if (!*key_text) {
    mm_error_set(e, NULL, "expected a key before '='");
    mm_error_locate(e, path, line_no, eq_col);
    return MM_ERR_PARSE;
  }
  int key = 0;
  while (key < KEY_COUNT && !io_name_eq(key_text, key_names[key])) key++;
  if (key == KEY_COUNT) {
    mm_error_set(e, NULL, "unknown key \"%s\"", key_text);
    mm_error_locate(e, path, line_no, text_col);
    return MM_ERR_INVALID;
  }
  if (sites->line[key]) {
    mm_error_set(e, key_names[key], "set twice (first on line %ld)", sites->line[key]);
    mm_error_locate(e, path, line_no, text_col);
    return MM_ERR_INVALID;
  }
  if (!*value) {
    mm_error_set(e, key_names[key], "expected a value after '='");
    mm_error_locate(e, path, line_no, eq_col + 1);
    return MM_ERR_PARSE;
  }
  long value_col = (long)(value - line) + 1, bad_col;
  sites->line[key] = line_no;
  sites->col[key] = value_col;
  mm_status s = apply(key, value, value_col, o, &bad_col, e);
  if (s != MM_OK) mm_error_locate(e, path, line_no, bad_col);
  return s;
}

mm_status io_read_config(const char *path, mm_options *o, mm_error *e) {
  io_config_sites sites;
  return io_read_config_at(path, o, &sites, e);
}

bool io_config_locate(const char *path, const io_config_sites *sites, mm_error *e) {
  int key = 0;
  while (key < KEY_COUNT && strcmp(e->field, key_names[key]) != 0) key++;
  /* "weight" is the four weights together: the last one set made them all 0. */
  for (int k = KEY_W_SKILLS; strcmp(e->field, "weight") == 0 && k <= KEY_W_DIVERSITY; k++)
    if (key == KEY_COUNT || sites->line[k] > sites->line[key]) key = k;
  if (key == KEY_COUNT || !sites->line[key]) return false;
  mm_error_locate(e, path, sites->line[key], sites->col[key]);
  return true;
}

/* One line of the settings file: a comment may be of any length, a
 * setting at most LINE_MAX_BYTES - 2 bytes. */
static mm_status one_line(char *line, long line_no, mm_options *o, key_sites *sites, const char *path,
                          mm_error *e) {
  size_t n = strlen(line);
  if (n > LINE_MAX_BYTES - 1 && line[strspn(line, " \t")] != '#') {
    mm_error_set(e, NULL, "line longer than %d bytes", LINE_MAX_BYTES - 2);
    mm_error_locate(e, path, line_no, LINE_MAX_BYTES - 1);
    return MM_ERR_PARSE;
  }
  return config_line(line, line_no, o, sites, path, e);
}

mm_status io_read_config_at(const char *path, mm_options *o, io_config_sites *out, mm_error *e) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    int err = errno;
    mm_error_set(e, NULL, "cannot open: %s", strerror(err));
    mm_error_locate(e, path, 0, 0);
    return MM_ERR_IO;
  }
  key_sites sites;
  memset(&sites, 0, sizeof sites);
  memset(out, 0, sizeof *out);
  char *buf = NULL;
  size_t buf_cap = 0;
  ssize_t got;
  long line_no = 0;
  mm_status s = MM_OK;
  while (s == MM_OK && (got = getline(&buf, &buf_cap, f)) >= 0) {
    line_no++;
    size_t n = (size_t)got;
    const char *nul = memchr(buf, '\0', n);
    if (nul) {
      mm_error_set(e, NULL, "NUL byte in the line");
      mm_error_locate(e, path, line_no, (long)(nul - buf) + 1);
      s = MM_ERR_PARSE;
      break;
    }
    char *line = buf;
    if (line_no == 1 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) line += 3;
    /* Old Mac line ends (CR alone), as rosters take them: each CR not
     * followed by LF ends a line too. */
    for (char *cr; s == MM_OK && (cr = strchr(line, '\r')) && cr[1] != '\n' && cr[1] != '\0';) {
      *cr = '\0';
      s = one_line(line, line_no++, o, &sites, path, e);
      line = cr + 1;
    }
    if (s == MM_OK) s = one_line(line, line_no, o, &sites, path, e);
  }
  if (s == MM_OK && ferror(f)) {
    int err = errno;
    mm_error_set(e, NULL, "read failed: %s", strerror(err));
    mm_error_locate(e, path, 0, 0);
    s = MM_ERR_IO;
  }
  free(buf);
  fclose(f);
  if (s != MM_OK) return s;

  s = check_quota_keys(o, e);
  if (s == MM_OK) s = mm_options_check(o, e);
  if (s != MM_OK && !io_config_locate(path, &sites, e)) mm_error_locate(e, path, 0, 0);
  if (s == MM_OK) *out = sites;
  return s;
}
