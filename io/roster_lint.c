/* roster_lint.c: suspicious-but-valid roster data found after reading, with its location.
 *
 * The row hook keeps only what the checks need: each person's local week
 * and zone (moved into UTC by the zone's offset at the program start, and,
 * for a weekly program, in every stretch of a week or more in which some
 * zone's clocks have changed, as the matcher needs a slot in every week),
 * and every skill, goal and language with the cell it came from.  The checks then sort those lists or OR the weeks together,
 * so they cost n log n, not one comparison per pair of people.
 */
#include "roster_lint.h"

#include "tzdb.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *file;
  long line, col;
} lint_pos;

typedef struct {
  mm_side side;
  size_t index;   /* the row in its side of the problem */
  const char *id; /* borrowed from the problem */
  mm_week local;   /* the availability, in the person's own week */
  size_t zone;     /* index into io_lint.zones */
  int warned;      /* the overlap check has warned about them */
  lint_pos where; /* the availability cell */
  lint_pos id_at; /* the id cell */
} lint_person;

typedef struct {
  char *text;   /* as spelt, trimmed (owned) */
  char *key;    /* the comparison key of its check (owned) */
  size_t person;
  size_t seq;   /* order of appearance */
  lint_pos where;
} lint_word;

typedef struct {
  lint_word *v;
  size_t n, cap;
} word_list;

typedef struct {
  char *zone;
  mm_zone_period *periods; /* over the program window (NULL: UTC throughout) */
  size_t n_periods;
} zone_offset;

struct io_lint {
  const mm_problem *p;
  const mm_options *o;
  const char *file;
  int64_t start;
  int64_t from, to; /* the program window, UTC seconds (mm_options_window) */
  lint_person *people;
  size_t n_people, people_cap;
  word_list skills, goals, languages;
  word_list emails[2]; /* per side (mm_side), keys lower-cased */
  zone_offset *zones;
  size_t n_zones, zones_cap;
  int nomem;
};

static int grow(void **v, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap * 2 : 64;
  void *q = realloc(*v, n * size);
  if (!q) return 0;
  *v = q;
  *cap = n;
  return 1;
}

static char *dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

io_lint *io_lint_create(const mm_problem *p, const mm_options *o) {
  io_lint *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  l->p = p;
  l->o = o;
  l->file = "";
  l->start = io_days_from_civil(o->start_year, o->start_month, o->start_day) * 86400;
  mm_options_window(o, &l->from, &l->to);
  return l;
}

static void free_words(word_list *w) {
  for (size_t k = 0; k < w->n; k++) {
    free(w->v[k].text);
    free(w->v[k].key);
  }
  free(w->v);
}

void io_lint_free(io_lint *l) {
  if (!l) return;
  free(l->people);
  free_words(&l->skills);
  free_words(&l->goals);
  free_words(&l->languages);
  free_words(&l->emails[0]);
  free_words(&l->emails[1]);
  for (size_t k = 0; k < l->n_zones; k++) {
    free(l->zones[k].zone);
    free(l->zones[k].periods);
  }
  free(l->zones);
  free(l);
}

void io_lint_begin_file(io_lint *l, const char *path) { l->file = io_input_name(path); }

/* The index of the zone's offsets over the program window (cached per name). */
static size_t zone_index(io_lint *l, const char *zone) {
  for (size_t k = 0; k < l->n_zones; k++)
    if (strcmp(l->zones[k].zone, zone) == 0) return k;
  mm_zone_period *periods = NULL;
  size_t n = 0;
  mm_error e;
  if (io_zone_lookup(zone, l->from, l->to, &periods, &n, &e) != MM_OK) {
    free(periods);
    periods = NULL;
    n = 0;
  }
  char *copy = dup(zone);
  if (!copy || !grow((void **)&l->zones, &l->zones_cap, l->n_zones + 1, sizeof *l->zones)) {
    free(copy);
    free(periods);
    l->nomem = 1;
    return 0;
  }
  l->zones[l->n_zones] = (zone_offset){copy, periods, n};
  return l->n_zones++;
}

/* The zone's offset at UTC second t, in 15-minute slots. */
static int offset_at(const zone_offset *z, int64_t t) {
  int32_t off = 0;
  for (size_t k = 0; k < z->n_periods && (k == 0 || z->periods[k].at <= t); k++) off = z->periods[k].offset_s;
  return off / (MM_SLOT_MINUTES * 60);
}

/* The slots t of a UTC week where slots t .. t+k-1 are all free, found
 * from the length of the free run ending at each slot, twice round the
 * week so that runs across Sunday midnight count. */
static mm_week meeting_starts(const mm_week *utc, int k) {
  mm_week starts;
  memset(&starts, 0, sizeof starts);
  int run = 0;
  for (int i = 0; i < 2 * MM_SLOTS_PER_WEEK; i++) {
    int b = i % MM_SLOTS_PER_WEEK;
    run = utc->w[b / 64] >> (b % 64) & 1 ? run + 1 : 0;
    if (run >= k) {
      int t = ((i - k + 1) % MM_SLOTS_PER_WEEK + MM_SLOTS_PER_WEEK) % MM_SLOTS_PER_WEEK;
      starts.w[t / 64] |= (uint64_t)1 << (t % 64);
    }
  }
  return starts;
}

static mm_week to_utc(const mm_week *local, int offset) {
  mm_week utc;
  memset(&utc, 0, sizeof utc);
  for (int b = 0; b < MM_SLOTS_PER_WEEK; b++) {
    if (!(local->w[b / 64] >> (b % 64) & 1)) continue;
    int u = ((b - offset) % MM_SLOTS_PER_WEEK + MM_SLOTS_PER_WEEK) % MM_SLOTS_PER_WEEK;
    utc.w[u / 64] |= (uint64_t)1 << (u % 64);
  }
  return utc;
}

/* Lower-cased ASCII; with loose set, spaces, '-', '_' and '.' dropped too. */
static char *word_key(const char *s, int loose) {
  char *k = malloc(strlen(s) + 1), *out = k;
  if (!k) return NULL;
  for (; *s; s++) {
    char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
    if (loose && (c == ' ' || c == '-' || c == '_' || c == '.')) continue;
    *out++ = c;
  }
  *out = '\0';
  return k;
}

static void add_word(io_lint *l, word_list *w, const char *text, int loose, io_cell_pos pos) {
  if (!*text) return;
  if (!grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v)) {
    l->nomem = 1;
    return;
  }
  lint_word *x = &w->v[w->n];
  x->text = dup(text);
  x->key = word_key(text, loose);
  if (!x->text || !x->key) {
    free(x->text);
    free(x->key);
    l->nomem = 1;
    return;
  }
  x->person = l->n_people - 1;
  x->seq = w->n++;
  x->where = (lint_pos){l->file, pos.line, pos.col};
}

void io_lint_row_added(void *ctx, mm_side side, size_t index, const mm_person *person,
                       const io_roster_cells *cells) {
  io_lint *l = ctx;
  if (!grow((void **)&l->people, &l->people_cap, l->n_people + 1, sizeof *l->people)) {
    l->nomem = 1;
    return;
  }
  lint_person *x = &l->people[l->n_people++];
  x->side = side;
  x->index = index;
  x->id = mm_problem_person_id(l->p, side, index);
  x->local = person->availability;
  x->zone = zone_index(l, mm_problem_person_zone(l->p, side, index));
  x->warned = 0;
  x->where = (lint_pos){l->file, cells->availability.line, cells->availability.col};
  x->id_at = (lint_pos){l->file, cells->id.line, cells->id.col};
  for (size_t k = 0; k < person->n_skills; k++) add_word(l, &l->skills, person->skills[k].name, 1, cells->skills);
  for (size_t k = 0; k < person->n_goals; k++) add_word(l, &l->goals, person->goals[k], 1, cells->goals);
  for (size_t k = 0; k < person->n_languages; k++)
    add_word(l, &l->languages, person->languages[k], 0, cells->languages);
  const char *email = mm_problem_person_email(l->p, side, index);
  if (email && (side == MM_MENTOR || side == MM_MENTEE)) add_word(l, &l->emails[side], email, 0, cells->id);
}

/* Bytes of s to quote in a message: at most max, never half a UTF-8
 * character (a cut moves back to the start of the character it splits). */
static int quoted(const char *s, int max) {
  int n = (int)strnlen(s, (size_t)max + 1);
  if (n <= max) return n;
  n = max;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

static void emit(io_warn_fn warn, void *ctx, const lint_pos *at, long *count, const char *msg) {
  mm_error w;
  mm_error_clear(&w);
  snprintf(w.message, sizeof w.message, "%s", msg);
  mm_error_locate(&w, at->file, at->line, at->col);
  warn(ctx, &w);
  (*count)++;
}

/* A person's meeting starts in UTC at the offsets of one moment, kept per
 * (zone, local week): rosters repeat a few availability templates. */
typedef struct {
  size_t zone;
  mm_week local, starts;
  int used;
} starts_memo;

#define MEMO_SLOTS 4096

static mm_week starts_at(const io_lint *l, const lint_person *x, int64_t t, starts_memo *memo) {
  uint64_t h = x->zone * UINT64_C(0x9e3779b97f4a7c15);
  for (int w = 0; w < MM_WEEK_WORDS; w++) h = (h ^ x->local.w[w]) * UINT64_C(0x100000001b3);
  starts_memo *m = &memo[(h >> 20) % MEMO_SLOTS];
  if (m->used && m->zone == x->zone && memcmp(&m->local, &x->local, sizeof m->local) == 0) return m->starts;
  mm_week utc = to_utc(&x->local, l->n_zones ? offset_at(&l->zones[x->zone], t) : 0);
  *m = (starts_memo){x->zone, x->local, meeting_starts(&utc, l->o->meeting_minutes / MM_SLOT_MINUTES), 1};
  return m->starts;
}

/* Warns about everyone with whom nobody on the other side can start a
 * meeting at the offsets of UTC second t: the other side's meeting starts,
 * OR-ed, meet none of theirs.  Exact for those offsets, in one pass over
 * the people; `when` says which week it was.  Each person once.  -1 when
 * memory is short. */
static long check_overlap_at(io_lint *l, int64_t t, const char *when, io_warn_fn warn, void *ctx) {
  starts_memo *memo = calloc(MEMO_SLOTS, sizeof *memo);
  mm_week *mine = malloc((l->n_people + 1) * sizeof *mine);
  if (!memo || !mine) {
    free(memo);
    free(mine);
    return -1;
  }
  mm_week side_starts[2];
  size_t n_side[2] = {0, 0};
  memset(side_starts, 0, sizeof side_starts);
  for (size_t k = 0; k < l->n_people; k++) {
    mine[k] = starts_at(l, &l->people[k], t, memo);
    int s = l->people[k].side == MM_MENTOR ? 0 : 1;
    n_side[s]++;
    for (int w = 0; w < MM_WEEK_WORDS; w++) side_starts[s].w[w] |= mine[k].w[w];
  }
  long count = 0;
  for (size_t k = 0; k < l->n_people; k++) {
    lint_person *x = &l->people[k];
    int other = x->side == MM_MENTOR ? 1 : 0;
    if (x->warned || n_side[other] == 0) continue;
    int meets = 0;
    for (int w = 0; w < MM_WEEK_WORDS; w++) meets |= (mine[k].w[w] & side_starts[other].w[w]) != 0;
    if (meets) continue;
    x->warned = 1;
    const char *me = x->side == MM_MENTOR ? "mentor" : "mentee", *them = other == 0 ? "mentor" : "mentee";
    char msg[512];
    snprintf(msg, sizeof msg,
             "%s \"%.*s\" shares no %d-minute slot with any %s (weekly hours compared in UTC %s): no %s can be "
             "matched with them",
             me, quoted(x->id, 100), x->id, l->o->meeting_minutes, them, when, them);
    emit(warn, ctx, &x->where, &count, msg);
  }
  free(memo);
  free(mine);
  return count;
}

static int cmp_time(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The overlap check at the program start, then in the middle of every
 * stretch of at least a week between two clock changes of the zones in
 * use: match keeps a pair's weekly time valid in every week of the program
 * window, whatever the cadence (README, Meetings), so a person who meets
 * nobody in such a week cannot be matched, biweekly or monthly too. */
static long check_overlaps(io_lint *l, io_warn_fn warn, void *ctx) {
  long total = check_overlap_at(l, l->start, "at the program start", warn, ctx);
  if (total < 0) return total;
  int64_t first = l->from + 2 * 86400, last = l->to - 2 * 86400; /* the program's weeks */
  size_t n = 0, cap = 0;
  int64_t *at = NULL;
  for (size_t z = 0; z < l->n_zones; z++)
    for (size_t k = 1; k < l->zones[z].n_periods; k++) {
      if (!grow((void **)&at, &cap, n + 1, sizeof *at)) {
        free(at);
        return -1;
      }
      at[n++] = l->zones[z].periods[k].at;
    }
  if (n == 0) {
    free(at);
    return total;
  }
  qsort(at, n, sizeof *at, cmp_time);
  for (size_t k = 0; k < n; k++) {
    int64_t a = at[k] > first ? at[k] : first, b = k + 1 < n && at[k + 1] < last ? at[k + 1] : last;
    if (b - a < 7 * 86400) continue;
    int64_t mid = a + (b - a) / 2;
    io_civil c;
    io_civil_from_seconds(mid, &c);
    char when[96];
    snprintf(when, sizeof when, "around %04d-%02d-%02d, when some clocks have changed", c.year, c.month, c.day);
    long found = check_overlap_at(l, mid, when, warn, ctx);
    if (found < 0) {
      free(at);
      return -1;
    }
    total += found;
  }
  free(at);
  return total;
}

static int by_key_text(const void *a, const void *b) {
  const lint_word *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (!c) c = strcmp(x->text, y->text);
  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Within one loose key [from, to) sorted by text: warns at the first use of
 * every spelling but the most common one. */
static void spelling_group(const lint_word *v, size_t from, size_t to, const char *what, io_warn_fn warn,
                           void *ctx, long *count) {
  size_t best = from, best_n = 0, first_run = from;
  for (size_t k = from; k < to; k = first_run) {
    first_run = k;
    while (first_run < to && strcmp(v[first_run].text, v[k].text) == 0) first_run++;
    if (first_run - k > best_n) best_n = first_run - k, best = k;
  }
  if (best_n == to - from) return;
  for (size_t k = from; k < to;) {
    size_t end = k, first = k;
    while (end < to && strcmp(v[end].text, v[k].text) == 0) {
      if (v[end].seq < v[first].seq) first = end;
      end++;
    }
    if (strcmp(v[k].text, v[best].text) != 0) {
      char msg[512];
      snprintf(msg, sizeof msg, "%s \"%.*s\" is also spelt \"%.*s\" (%zu time%s, e.g. %s:%ld:%ld)%s", what,
               quoted(v[k].text, 120), v[k].text, quoted(v[best].text, 120), v[best].text, best_n, best_n == 1 ? "" : "s", v[best].where.file, v[best].where.line,
               v[best].where.col,
               io_name_eq(v[k].text, v[best].text) ? "; the same when matching, but worth one spelling"
                                                  : "; these count as different when matching");
      emit(warn, ctx, &v[first].where, count, msg);
    }
    k = end;
  }
}

static long check_spellings(word_list *w, const char *what, io_warn_fn warn, void *ctx) {
  if (w->n) qsort(w->v, w->n, sizeof *w->v, by_key_text); /* v is NULL when empty */
  long count = 0;
  for (size_t k = 0; k < w->n;) {
    size_t end = k;
    while (end < w->n && strcmp(w->v[end].key, w->v[k].key) == 0) end++;
    spelling_group(w->v, k, end, what, warn, ctx, &count);
    k = end;
  }
  return count;
}

static long check_languages(io_lint *l, io_warn_fn warn, void *ctx) {
  word_list *w = &l->languages;
  if (w->n) qsort(w->v, w->n, sizeof *w->v, by_key_text); /* v is NULL when empty */
  long count = 0;
  for (size_t k = 0; k < w->n;) {
    size_t end = k, speakers = 0;
    for (; end < w->n && strcmp(w->v[end].key, w->v[k].key) == 0; end++)
      speakers += end == k || w->v[end].person != w->v[end - 1].person;
    if (speakers == 1) {
      char msg[512];
      snprintf(msg, sizeof msg,
               "language \"%.*s\" is listed by nobody else in either roster: check its spelling; it "
               "cannot help this person find a match",
               quoted(w->v[k].text, 120), w->v[k].text);
      emit(warn, ctx, &w->v[k].where, &count, msg);
    }
    k = end;
  }
  return count;
}

/* Warns at each later row of one side that shares an e-mail with an
 * earlier row (case-insensitively): the scheduler books them as one
 * person, yet each row can be matched, so one person may get two mentors
 * (or two mentees' places). */
static long check_shared_emails(io_lint *l, mm_side side, io_warn_fn warn, void *ctx) {
  word_list *w = &l->emails[side];
  if (w->n) qsort(w->v, w->n, sizeof *w->v, by_key_text); /* v is NULL when empty */
  const char *role = side == MM_MENTOR ? "mentor" : "mentee";
  long count = 0;
  for (size_t k = 0; k < w->n;) {
    size_t end = k, first = k;
    for (; end < w->n && strcmp(w->v[end].key, w->v[k].key) == 0; end++)
      if (w->v[end].seq < w->v[first].seq) first = end;
    for (size_t m = k; m < end; m++) {
      if (m == first) continue;
      const lint_person *x = &l->people[w->v[m].person], *y = &l->people[w->v[first].person];
      char msg[512];
      snprintf(msg, sizeof msg,
               "%s \"%.*s\" has the e-mail of %s \"%.*s\" (line %ld): both rows are one person when "
               "meetings are booked, yet each can be matched; give each person one row",
               role, quoted(x->id, 100), x->id, role, quoted(y->id, 100), y->id, w->v[first].where.line);
      emit(warn, ctx, &w->v[m].where, &count, msg);
    }
    k = end;
  }
  return count;
}

/* A person's id and place among the rows, sorted case-blind (ASCII). */
typedef struct {
  const char *id;
  size_t person;
} folded_id;

static int fold_cmp(const char *a, const char *b) {
  for (const unsigned char *s = (const unsigned char *)a, *t = (const unsigned char *)b;; s++, t++) {
    int c = *s >= 'A' && *s <= 'Z' ? *s + 32 : *s, d = *t >= 'A' && *t <= 'Z' ? *t + 32 : *t;
    if (c != d) return c < d ? -1 : 1;
    if (!c) return 0;
  }
}

static int by_folded_id(const void *a, const void *b) {
  const folded_id *x = a, *y = b;
  int c = fold_cmp(x->id, y->id);
  return c ? c : x->person < y->person ? -1 : 1;
}

/* Whether two texts that both are given differ (e-mails case-blind). */
static bool both_differ(const char *a, const char *b, bool fold) {
  if (!a || !b || !a[0] || !b[0]) return false;
  return fold ? fold_cmp(a, b) != 0 : strcmp(a, b) != 0;
}

/* Warns at a mentee whose id is a mentor's while its name or e-mail is
 * another (both given): rows that share an id are one person to the tool
 * (never paired with themselves, one diary, one calendar file), which row
 * numbers or staff numbers from two separate sheets are not. */
static void check_shared_id(const io_lint *l, const lint_person *x, const lint_person *y, io_warn_fn warn,
                            void *ctx, long *count) {
  if (x->side == y->side) return;
  const lint_person *mentee = x->side == MM_MENTEE ? x : y, *mentor = x->side == MM_MENTEE ? y : x;
  const char *names[2] = {mm_problem_person_name(l->p, MM_MENTEE, mentee->index),
                          mm_problem_person_name(l->p, MM_MENTOR, mentor->index)};
  const char *mails[2] = {mm_problem_person_email(l->p, MM_MENTEE, mentee->index),
                          mm_problem_person_email(l->p, MM_MENTOR, mentor->index)};
  bool name = both_differ(names[0], names[1], false), mail = both_differ(mails[0], mails[1], true);
  if (!name && !mail) return;
  char msg[512];
  snprintf(msg, sizeof msg,
           "mentee \"%.*s\" has the id of a mentor (%s line %ld) but another %s: rows that share an id are one "
           "person (never paired with themselves, one diary, one calendar file); give different people "
           "different ids",
           quoted(mentee->id, 100), mentee->id, mentor->id_at.file, mentor->id_at.line, name ? "name" : "e-mail");
  emit(warn, ctx, &mentee->id_at, count, msg);
}

/* Warns at each person whose id differs from an earlier one's only in case
 * (E1 and e1, on either side): two people whose calendars/ files are one
 * file on a case-insensitive disk (macOS, Windows), where copying the
 * output folder keeps only one of them; and at one id in both rosters
 * that names two people (check_shared_id). */
static long check_case_ids(io_lint *l, io_warn_fn warn, void *ctx) {
  folded_id *v = malloc((l->n_people ? l->n_people : 1) * sizeof *v);
  if (!v) return -1;
  for (size_t k = 0; k < l->n_people; k++) v[k] = (folded_id){l->people[k].id, k};
  if (l->n_people) qsort(v, l->n_people, sizeof *v, by_folded_id);
  long count = 0;
  for (size_t k = 1, first = 0; k < l->n_people; k++) {
    if (fold_cmp(v[k].id, v[first].id) != 0) {
      first = k;
      continue;
    }
    const lint_person *x = &l->people[v[k].person], *y = &l->people[v[first].person];
    if (strcmp(v[k].id, v[first].id) == 0) { /* one person in both roles, or two sharing an id */
      check_shared_id(l, x, y, warn, ctx, &count);
      continue;
    }
    char msg[512];
    snprintf(msg, sizeof msg,
             "%s \"%.*s\" and %s \"%.*s\" (%s line %ld) differ only in case: their calendar files are one file "
             "on a case-insensitive disk (macOS, Windows); give them ids that differ otherwise",
             x->side == MM_MENTOR ? "mentor" : "mentee", quoted(x->id, 100), x->id,
             y->side == MM_MENTOR ? "mentor" : "mentee", quoted(y->id, 100), y->id, y->id_at.file, y->id_at.line);
    emit(warn, ctx, &x->id_at, &count, msg);
  }
  free(v);
  return count;
}

long io_lint_report(io_lint *l, io_warn_fn warn, void *warn_ctx) {
  if (l->nomem) return -1;
  long total = 0, n;
  if ((n = check_overlaps(l, warn, warn_ctx)) < 0) return -1;
  total += n;
  total += check_spellings(&l->skills, "skill", warn, warn_ctx);
  total += check_spellings(&l->goals, "goal", warn, warn_ctx);
  total += check_languages(l, warn, warn_ctx);
  total += check_shared_emails(l, MM_MENTOR, warn, warn_ctx);
  total += check_shared_emails(l, MM_MENTEE, warn, warn_ctx);
  if ((n = check_case_ids(l, warn, warn_ctx)) < 0) return -1;
  return total + n;
}
