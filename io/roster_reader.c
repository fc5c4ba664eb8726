/* roster_reader.c: roster rows to mm_person records, with every error located.
 *
 * The engine checks what a person may be (ranges, duplicate ids); this file
 * turns text cells into those values and adds the one thing the engine
 * cannot know: where in which file a value came from.  A roster can hold
 * 125,000 rows but only a few hundred zones and availabilities, so zones are
 * looked up once each through a small sorted cache, availabilities parsed
 * once each through a hash table of their texts, and the per-row lists
 * (skills, goals, languages) reuse buffers that grow to the longest row.
 */
#include "roster_reader.h"

#include "csv_ahead.h"
#include "email.h"
#include "grow.h"

#include "config_reader.h"
#include "tzdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  COL_ID,
  COL_NAME,
  COL_EMAIL,
  COL_TIMEZONE,
  COL_AVAILABILITY,
  COL_SKILLS,
  COL_GOALS,
  COL_LOCATION,
  COL_COUNTRY,
  COL_DEPARTMENT,
  COL_MANAGER_ID,
  COL_LANGUAGES,
  COL_SENIORITY,
  COL_PRIORITY,
  COL_CAPACITY, /* mentors only (priority: mentees only) */
  N_COLS
};
#define COL_GROUP N_COLS

static const io_csv_column columns[N_COLS] = {
    {"id", 1},         {"name", 0},      {"email", 0},      {"timezone", 1},
    {"availability", 1}, {"skills", 0},  {"goals", 0},      {"location", 0},
    {"country", 0},    {"department", 0}, {"manager_id", 0}, {"languages", 0},
    {"seniority", 0},  {"priority", 0},   {"capacity", 0}};

typedef struct {
  char *name;
  int index;
} zone_entry;

/* Availability texts met so far and their weeks (only texts that parsed). */
#define WEEKS_SLOTS 8192 /* a power of two; at most half of it is used */
typedef struct {
  char *text;
  uint32_t hash;
  mm_week week;
} week_entry;

typedef struct {
  const char *path;
  mm_side side;
  mm_problem *p;
  int64_t from, to; /* zone window */
  long index[N_COLS + 1]; /* [COL_GROUP]: the quota column (quota.column) */
  const io_csv_record *rec;

  zone_entry *zones; /* sorted by name */
  size_t n_zones, zones_cap;
  week_entry *weeks; /* WEEKS_SLOTS slots, or NULL: no cache */
  size_t n_weeks;
  mm_tag *skills;
  size_t skills_cap;
  const char **goals, **languages;
  size_t goals_cap, languages_cap;
  size_t base;  /* people of this side already in p before this file */
  long *lines;  /* line of each person added from this file */
  size_t lines_cap;
  io_warn_fn warn;
  void *warn_ctx;
} roster;

/* The trimmed text of a column in the current row, or NULL when the file has
 * no such column. */
static char *cell(roster *R, int col) {
  if (R->index[col] < 0) return NULL;
  io_csv_field *f = &R->rec->fields[R->index[col]];
  return f->text = io_trim(f->text);
}

/* A cell shown as one line (a name, a place): a line break typed inside it
 * (Alt+Enter in a spreadsheet; CR, LF or CRLF), with any blanks around it
 * and the breaks after it, becomes one space, so every output (CSV, JSON,
 * calendar titles, the report) shows the same one-line text. */
static char *one_line(char *s) {
  if (!s || !strpbrk(s, "\r\n")) return s;
  char *out = s;
  for (const char *p = s; *p;) {
    size_t blanks = strspn(p, " \t");
    if (p[blanks] == '\r' || p[blanks] == '\n') {
      p += blanks;
      p += strspn(p, " \t\r\n");
      *out++ = ' ';
    } else {
      memmove(out, p, blanks + 1);
      out += blanks + 1;
      p += blanks + 1;
    }
  }
  *out = '\0';
  return s;
}

/* Locates e at a column of the current row (the row itself when absent). */
static mm_status at(roster *R, int col, mm_status s, mm_error *e) {
  if (col >= 0 && R->index[col] >= 0) {
    const io_csv_field *f = &R->rec->fields[R->index[col]];
    mm_error_locate(e, R->path, f->line, f->col);
  } else {
    mm_error_locate(e, R->path, R->rec->line, 0);
  }
  return s;
}

/* Locates an error the engine filled, by the column its field names. */
static mm_status at_field(roster *R, mm_status s, mm_error *e) {
  int col = 0;
  while (col < N_COLS && strcmp(columns[col].name, e->field) != 0) col++;
  return at(R, col < N_COLS ? col : -1, s, e);
}

static mm_status nomem(roster *R, mm_error *e) {
  mm_error_set(e, NULL, "out of memory reading the roster");
  return at(R, -1, MM_ERR_NOMEM, e);
}

/* Zone index of a name, looking it up and registering it the first time. */
static mm_status zone_of(roster *R, const char *spelt, int *zone, mm_error *e) {
  char name[256];
  io_zone_canonical(spelt, name, sizeof name);
  if (strlen(spelt) >= sizeof name) snprintf(name, sizeof name, "%.200s?", spelt); /* "?": refused as unknown */
  if (!*name) {
    mm_error_set(e, "timezone", "expected a zone such as Europe/London, UTC or UTC+05:30, got \"\"");
    return at(R, COL_TIMEZONE, MM_ERR_INVALID, e);
  }
  size_t lo = 0, hi = R->n_zones;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(R->zones[mid].name, name);
    if (c == 0) {
      *zone = R->zones[mid].index;
      return MM_OK;
    }
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  mm_zone_period *periods = NULL;
  size_t n = 0;
  mm_status s = io_zone_lookup(name, R->from, R->to, &periods, &n, e);
  if (s != MM_OK) {
    free(periods);
    if (!e->field[0]) snprintf(e->field, sizeof e->field, "timezone");
    return at(R, COL_TIMEZONE, s, e);
  }
  int index = mm_problem_add_zone(R->p, name, periods, n, e);
  free(periods);
  if (index < 0) return at(R, COL_TIMEZONE, e->field[0] ? MM_ERR_INVALID : MM_ERR_NOMEM, e);
  size_t len = strlen(name);
  char *copy = malloc(len + 1);
  if (!copy || !io_grow((void **)&R->zones, &R->zones_cap, R->n_zones + 1, sizeof *R->zones)) {
    free(copy);
    return nomem(R, e);
  }
  memcpy(copy, name, len + 1);
  memmove(R->zones + lo + 1, R->zones + lo, (R->n_zones - lo) * sizeof *R->zones);
  R->zones[lo].name = copy;
  R->zones[lo].index = index;
  R->n_zones++;
  *zone = index;
  return MM_OK;
}

static uint32_t text_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Parses an availability, or copies the week of the same text parsed
 * before (the parse is a function of the text alone). */
static mm_status availability_of(roster *R, const char *text, mm_week *out, mm_error *e) {
  if (!R->weeks || !text) return mm_availability_parse(text, out, e);
  uint32_t hash = text_hash(text), at = hash & (WEEKS_SLOTS - 1);
  for (; R->weeks[at].text; at = (at + 1) & (WEEKS_SLOTS - 1)) {
    if (R->weeks[at].hash == hash && strcmp(R->weeks[at].text, text) == 0) {
      *out = R->weeks[at].week;
      return MM_OK;
    }
  }
  mm_status s = mm_availability_parse(text, out, e);
  if (s != MM_OK || R->n_weeks >= WEEKS_SLOTS / 2) return s;
  size_t len = strlen(text);
  char *copy = malloc(len + 1);
  if (!copy) return MM_OK; /* not kept: parsed again next time */
  memcpy(copy, text, len + 1);
  R->weeks[at] = (week_entry){copy, hash, *out};
  R->n_weeks++;
  return MM_OK;
}

/* Splits a ';'-separated list in place into trimmed, non-empty items. */
static int split_list(char *text, const char ***items, size_t *cap, size_t *n) {
  *n = 0;
  for (char *item = text; item;) {
    char *semi = strchr(item, ';');
    if (semi) *semi = '\0';
    char *t = io_trim(item);
    if (*t) {
      if (!io_grow((void **)items, cap, *n + 1, sizeof **items)) return 0;
      (*items)[(*n)++] = t;
    }
    item = semi ? semi + 1 : NULL;
  }
  return 1;
}

/* "python:4; sql; public speaking:2": a level after the last ':' of an item. */
static mm_status parse_skills(roster *R, char *text, size_t *n, mm_error *e) {
  *n = 0;
  for (char *item = text; item;) {
    char *semi = strchr(item, ';');
    if (semi) *semi = '\0';
    char *name = io_trim(item);
    item = semi ? semi + 1 : NULL;
    if (!*name) continue;
    int level = 0;
    char *colon = strrchr(name, ':');
    if (colon) {
      *colon = '\0';
      char *level_text = io_trim(colon + 1);
      name = io_trim(name);
      long v;
      if (io_parse_int(level_text, 1, 5, &v) != MM_OK) {
        mm_error_set(e, "skills", "expected a level 1 to 5 after ':', got \"%s\"", level_text);
        return at(R, COL_SKILLS, MM_ERR_INVALID, e);
      }
      if (!*name) {
        mm_error_set(e, "skills", "expected a skill name before ':%s'", level_text);
        return at(R, COL_SKILLS, MM_ERR_INVALID, e);
      }
      level = (int)v;
    }
    if (!io_grow((void **)&R->skills, &R->skills_cap, *n + 1, sizeof *R->skills)) {
      return nomem(R, e);
    }
    R->skills[*n].name = name;
    R->skills[(*n)++].level = level;
  }
  return MM_OK;
}

/* The first character of an id that a person cannot see or type back: a
 * tab or line break, or an invisible format character (zero-width space,
 * joiner and non-joiner, word joiner, a byte-order mark left mid-file by
 * joining two exports).  Two such ids look the same as a third without it.
 * Returns its name, or NULL when the id has none. */
static const char *invisible_in_id(const char *id) {
  for (const unsigned char *c = (const unsigned char *)id; *c; c++) {
    if (*c == '\t') return "a tab";
    if (*c == '\n' || *c == '\r') return "a line break";
    if (c[0] == 0xE2 && c[1] == 0x80 && c[2] >= 0x8B && c[2] <= 0x8D) return "a zero-width character (U+200B to U+200D)";
    if (c[0] == 0xE2 && c[1] == 0x81 && c[2] >= 0xA0 && c[2] <= 0xA4) return "a word joiner or invisible operator (U+2060 to U+2064)";
    if (c[0] == 0xC2 && c[1] == 0xAD) return "a soft hyphen (U+00AD)";
    if (c[0] == 0xEF && c[1] == 0xBB && c[2] == 0xBF) return "a byte-order mark (U+FEFF)";
  }
  return NULL;
}

/* Reads the current row into *out and adds it to the problem. */
static mm_status read_row(roster *R, mm_person *out, mm_error *e) {
  mm_person person;
  mm_person_init(&person);
  mm_status s;
  person.id = cell(R, COL_ID);
  const char *invisible = invisible_in_id(person.id);
  if (invisible) {
    mm_error_set(e, "id", "the id holds %s, which nobody can see or type back; remove it", invisible);
    return at(R, COL_ID, MM_ERR_INVALID, e);
  }
  long earlier = mm_problem_find(R->p, R->side, person.id);
  if (earlier >= 0) {
    if ((size_t)earlier >= R->base) {
      mm_error_set(e, "id", "duplicate id \"%s\" (first on line %ld)", person.id,
                   R->lines[(size_t)earlier - R->base]);
    } else {
      mm_error_set(e, "id", "duplicate id \"%s\" (already read from another file)", person.id);
    }
    return at(R, COL_ID, MM_ERR_INVALID, e);
  }
  person.name = one_line(cell(R, COL_NAME));
  person.email = cell(R, COL_EMAIL);
  if (person.email && *person.email && !io_email_valid(person.email) && R->warn) {
    /* Kept for the CSV outputs; calendars name the person by id instead. */
    mm_error w;
    mm_error_clear(&w);
    mm_error_set(&w, "email", "\"%.200s\" is not an e-mail address; invitations cannot reach %s",
                 person.email, person.id);
    at(R, COL_EMAIL, MM_OK, &w);
    R->warn(R->warn_ctx, &w);
  }
  if ((s = zone_of(R, cell(R, COL_TIMEZONE), &person.zone, e)) != MM_OK) return s;
  if ((s = availability_of(R, cell(R, COL_AVAILABILITY), &person.availability, e)) != MM_OK) {
    return at(R, COL_AVAILABILITY, s, e);
  }
  char *text;
  if ((text = cell(R, COL_SKILLS)) != NULL &&
      (s = parse_skills(R, text, &person.n_skills, e)) != MM_OK) {
    return s;
  }
  person.skills = R->skills;
  if ((text = cell(R, COL_GOALS)) != NULL &&
      !split_list(text, &R->goals, &R->goals_cap, &person.n_goals)) {
    return nomem(R, e);
  }
  person.goals = R->goals;
  if ((text = cell(R, COL_LANGUAGES)) != NULL &&
      !split_list(text, &R->languages, &R->languages_cap, &person.n_languages)) {
    return nomem(R, e);
  }
  person.languages = R->languages;
  person.location = one_line(cell(R, COL_LOCATION));
  person.country = one_line(cell(R, COL_COUNTRY));
  person.department = one_line(cell(R, COL_DEPARTMENT));
  person.manager_id = cell(R, COL_MANAGER_ID);
  person.group = one_line(cell(R, COL_GROUP));
  if ((text = cell(R, COL_SENIORITY)) != NULL && *text) {
    if ((s = io_parse_int_field(text, "seniority", -1000000, 1000000, &person.seniority, e)) !=
        MM_OK) {
      return at(R, COL_SENIORITY, s, e);
    }
    person.has_seniority = 1;
  }
  if ((text = cell(R, COL_PRIORITY)) != NULL && *text) {
    if ((s = io_parse_int_field(text, "priority", -1000000, 1000000, &person.priority, e)) != MM_OK)
      return at(R, COL_PRIORITY, s, e);
  }
  if ((text = cell(R, COL_CAPACITY)) != NULL && *text) {
    long capacity;
    if ((s = io_parse_int_field(text, "capacity", 0, 1000, &capacity, e)) != MM_OK) {
      return at(R, COL_CAPACITY, s, e);
    }
    person.capacity = (int)capacity;
  }
  if ((s = mm_problem_add_person(R->p, R->side, &person, e)) != MM_OK) return at_field(R, s, e);
  *out = person;
  return MM_OK;
}

/* Maps the header, with the quota column (required of mentees) when the
 * settings name one; it may also be one of the known columns. */
static mm_status read_header(roster *R, io_csv_reader *r, const mm_options *o, io_warn_fn warn, void *warn_ctx,
                             mm_error *e) {
  io_csv_column cols[N_COLS + 1];
  int col_of[N_COLS + 1]; /* cols[k] is column col_of[k] of the table */
  size_t n_cols = 0;
  for (int c = 0; c < N_COLS; c++) {
    if ((c == COL_CAPACITY && R->side == MM_MENTEE) || (c == COL_PRIORITY && R->side == MM_MENTOR)) continue;
    col_of[n_cols] = c;
    cols[n_cols++] = columns[c];
  }
  int known = -1;
  for (int c = 0; o->quota_column[0] && c < N_COLS; c++)
    if (io_name_eq(columns[c].name, o->quota_column)) known = c;
  if (o->quota_column[0] && known < 0) {
    col_of[n_cols] = COL_GROUP;
    cols[n_cols++] = (io_csv_column){o->quota_column, R->side == MM_MENTEE};
  }
  long index[N_COLS + 1];
  mm_status s = io_csv_read_header(r, cols, n_cols, index, warn, warn_ctx, e);
  if (s != MM_OK) return s;
  for (size_t k = 0; k < n_cols; k++) R->index[col_of[k]] = index[k];
  if (known >= 0) R->index[COL_GROUP] = R->index[known];
  return MM_OK;
}

static io_cell_pos cell_pos(const roster *R, int col) {
  io_cell_pos pos = {0, 0};
  if (R->index[col] >= 0) {
    pos.line = R->rec->fields[R->index[col]].line;
    pos.col = R->rec->fields[R->index[col]].col;
  }
  return pos;
}

/* Hands the person just added to the hook, with where its cells are. */
static void report_added(roster *R, const io_roster_hooks *hooks, const mm_person *person) {
  io_roster_cells cells = {cell_pos(R, COL_ID), cell_pos(R, COL_AVAILABILITY), cell_pos(R, COL_SKILLS),
                           cell_pos(R, COL_GOALS), cell_pos(R, COL_LANGUAGES)};
  hooks->row_added(hooks->ctx, R->side, mm_problem_count(R->p, R->side) - 1, person, &cells);
}

/* The next record, from the thread reading ahead when there is one; with a
 * row_error hook, a record with the wrong number of fields is reported and
 * skipped. */
static mm_status next_row(io_csv_reader *r, io_csv_ahead *ahead, roster *R, const io_roster_hooks *hooks,
                          mm_error *e) {
  mm_status s;
  while ((s = ahead ? io_csv_ahead_next(ahead, &R->rec, e) : io_csv_next(r, &R->rec, e)) != MM_OK && hooks &&
         hooks->row_error && (ahead ? io_csv_ahead_can_go_on(ahead) : io_csv_can_go_on(r))) {
    hooks->row_error(hooks->ctx, s, e);
    mm_error_clear(e);
  }
  return s;
}

mm_status io_read_roster(const char *path, mm_side side, mm_problem *p, const mm_options *o,
                         io_warn_fn warn, void *warn_ctx, mm_error *e) {
  return io_read_roster_hooked(path, side, p, o, warn, warn_ctx, NULL, e);
}

mm_status io_read_roster_hooked(const char *path, mm_side side, mm_problem *p, const mm_options *o,
                                io_warn_fn warn, void *warn_ctx, const io_roster_hooks *hooks,
                                mm_error *e) {
  roster R;
  memset(&R, 0, sizeof R);
  R.path = io_input_name(path);
  R.side = side;
  R.p = p;
  R.base = mm_problem_count(p, side);
  R.warn = warn;
  R.warn_ctx = warn_ctx;
  mm_options_window(o, &R.from, &R.to);
  for (int c = 0; c <= N_COLS; c++) R.index[c] = -1;

  io_csv_reader *r;
  mm_status s = io_csv_open(path, 0, &r, e);
  if (s != MM_OK) return s;
  R.weeks = calloc(WEEKS_SLOTS, sizeof *R.weeks); /* NULL: every row parses its own */
  s = read_header(&R, r, o, warn, warn_ctx, e);
  /* With more than one thread, the CSV is parsed on a second one while this
   * one builds the people (the same records in the same order). */
  io_csv_ahead *ahead = s == MM_OK && o->threads != 1 ? io_csv_ahead_start(r) : NULL;
  size_t added = 0;
  while (s == MM_OK && (s = next_row(r, ahead, &R, hooks, e)) == MM_OK && R.rec) {
    mm_person person;
    if ((s = read_row(&R, &person, e)) != MM_OK) {
      /* Memory or a file that cannot be read (the tz database with no
       * descriptor left) is no fault of the row: stop, once. */
      if (!hooks || !hooks->row_error || s == MM_ERR_NOMEM || s == MM_ERR_IO) break;
      hooks->row_error(hooks->ctx, s, e); /* a row in error adds nobody; go on */
      mm_error_clear(e);
      s = MM_OK;
      continue;
    }
    if (hooks && hooks->row_added) report_added(&R, hooks, &person);
    if (!io_grow((void **)&R.lines, &R.lines_cap, added + 1, sizeof *R.lines)) {
      s = nomem(&R, e);
      break;
    }
    R.lines[added++] = R.rec->line;
  }
  io_csv_ahead_stop(ahead);
  io_csv_close(r);
  for (size_t k = 0; k < R.n_zones; k++) free(R.zones[k].name);
  free(R.zones);
  for (size_t k = 0; R.weeks && k < WEEKS_SLOTS; k++) free(R.weeks[k].text);
  free(R.weeks);
  free(R.skills);
  free(R.goals);
  free(R.languages);
  free(R.lines);
  return s;
}
