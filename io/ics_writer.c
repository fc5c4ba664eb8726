/* ics_writer.c: decides which calendar files a run writes and what goes in each.
 *
 * The three kinds of file (see ics_writer.h) hold the same series text
 * (ics_event.c) under different METHODs.  io_ics_prepare does the work the
 * files share: zones loaded once per name and each one's VTIMEZONE rendered
 * and folded, each series expanded once, its UID, content hash and SEQUENCE
 * fixed, and the per-person index built (a person is an id, whichever side
 * of the roster it appears on).  The series' text itself is rendered where
 * a file shows it (three times in the PUBLISH form: meetings.ics and both
 * people's calendars; once as the invitation's REQUEST), not stored: at L
 * with twice the capacity meetings.ics alone is 470 MB, and keeping every
 * series' text for the files to copy took 600 MB of a 1,070 MB peak.
 * Rendering a series is cheap (no printf; the lines each VEVENT repeats are
 * built and folded once), so the three renders cost less CPU than the one
 * render and the copies did (bench/bench_ics.c).  io_ics_render_file only
 * reads c, so it may run on many files at once, and the bytes never depend
 * on which thread made them.
 */
#include "ics_writer.h"

#include "ics_event.h"
#include "ics_text.h"

#include <omp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME_PART 96

typedef enum { FILE_ALL, FILE_INVITE, FILE_PERSON } file_kind;

typedef struct {
  char *name;
  file_kind kind;
  size_t first, n; /* series (all, invite), or range in people (person) */
  size_t who;       /* person: the entry of people whose id names the file */
} cal_file;

typedef struct {
  const char *id;
  size_t series;
  const char *name;
  size_t person; /* mm_problem_people: rows joined by id or e-mail are one person */
} person_ref;

struct io_ics {
  io_ics_context ctx;
  const io_ics_previous *previous;
  io_ics_zone *zones; /* sorted by name */
  size_t n_zones;
  io_sbuf *zone_text;   /* folded VTIMEZONE per zone */
  io_ics_series *series;
  size_t n_series;
  io_calendars which;
  person_ref *people; /* sorted by person, then series, then id */
  cal_file *files;
  size_t n_files;
};

void io_ics_settings_init(io_ics_settings *s) {
  memset(s, 0, sizeof *s);
  s->program_id = "mentormatch";
  s->calendars = IO_CALENDARS_ALL;
}

int io_parse_calendars(const char *text, io_calendars *out) {
  static const char *const names[] = {"all", "combined", "none"};
  for (int k = 0; k < 3; k++) {
    if (strcmp(text, names[k]) == 0) {
      *out = (io_calendars)k;
      return 1;
    }
  }
  return 0;
}

/* ---- zones --------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const io_ics_zone *zone_named(const io_ics *c, const char *name) {
  size_t lo = 0, hi = c->n_zones;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(c->zones[mid].name, name) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return &c->zones[lo];
}

static int usable(const mm_result *r, const mm_pair *pr) {
  return pr->scheduled && pr->n_occurrences > 0 &&
         pr->first_occurrence + pr->n_occurrences <= mm_result_occurrence_count(r);
}

static mm_status load_zones(io_ics *c, const mm_result *r, const mm_options *o, mm_error *e) {
  size_t n_pairs = mm_result_pair_count(r), n = 0;
  const char **names = malloc((2 * n_pairs + 1) * sizeof *names);
  c->zones = calloc(2 * n_pairs + 1, sizeof *c->zones);
  if (!names || !c->zones) {
    free(names);
    return MM_ERR_NOMEM;
  }
  for (size_t k = 0; k < n_pairs; k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (!usable(r, pr)) continue;
    names[n++] = mm_problem_person_zone(c->ctx.p, MM_MENTOR, pr->mentor);
    names[n++] = mm_problem_person_zone(c->ctx.p, MM_MENTEE, pr->mentee);
  }
  qsort(names, n, sizeof *names, cmp_str);
  int64_t from, to;
  mm_options_window(o, &from, &to);
  mm_status st = MM_OK;
  for (size_t k = 0; k < n && st == MM_OK; k++) {
    if (c->n_zones && strcmp(c->zones[c->n_zones - 1].name, names[k]) == 0) continue;
    st = io_ics_zone_load(names[k], from, to, &c->zones[c->n_zones], e);
    c->n_zones++;
  }
  free(names);
  return st;
}

/* ---- series -------------------------------------------------------------- */

/* FNV-1a, 64 bits, over bytes then a separator. */
static uint64_t fnv(uint64_t h, const char *s, size_t n) {
  for (size_t k = 0; k < n; k++) {
    h ^= (unsigned char)s[k];
    h *= UINT64_C(0x100000001b3);
  }
  h ^= 0x1f;
  return h * UINT64_C(0x100000001b3);
}

static uint64_t fnv_str(uint64_t h, const char *s) { return fnv(h, s, strlen(s)); }

static void make_uid(io_ics *c, io_ics_series *s) {
  const char *mentee = mm_problem_person_id(c->ctx.p, MM_MENTEE, s->pair->mentee);
  const char *mentor = mm_problem_person_id(c->ctx.p, MM_MENTOR, s->pair->mentor);
  uint64_t h1 = UINT64_C(0xcbf29ce484222325), h2 = UINT64_C(0x84222325cbf29ce4);
  h1 = fnv_str(fnv_str(fnv_str(h1, c->ctx.program_id), mentee), mentor);
  h2 = fnv_str(fnv_str(fnv_str(h2, mentor), mentee), c->ctx.program_id);
  snprintf(s->uid, sizeof s->uid, "%016llx%016llx@mentormatch", (unsigned long long)h1,
           (unsigned long long)h2);
}

/* Content hash, then SEQUENCE from the previous calendar; b and w are
 * working space. */
static mm_status settle_sequence(io_ics *c, io_ics_series *s, io_sbuf *b, io_ics_scratch *w) {
  io_sb_clear(b);
  io_ics_event_write(b, w, &c->ctx, s, IO_ICS_HASH);
  if (b->nomem) return MM_ERR_NOMEM;
  s->hash = fnv(UINT64_C(0xcbf29ce484222325), b->s, b->n);
  long seq;
  uint64_t old;
  s->sequence = 0;
  if (io_ics_previous_find(c->previous, s->uid, &seq, &old))
    s->sequence = old == s->hash || seq >= 2147483647L ? seq : seq + 1; /* RFC 5545's integer, read back */
  return MM_OK;
}

/* The scheduled pairs, each with its zones; not yet expanded. */
static mm_status list_series(io_ics *c, const mm_result *r) {
  size_t n_pairs = mm_result_pair_count(r);
  c->series = calloc(n_pairs + 1, sizeof *c->series);
  if (!c->series) return MM_ERR_NOMEM;
  for (size_t k = 0; k < n_pairs; k++) {
    const mm_pair *pr = mm_result_pair(r, k);
    if (!usable(r, pr)) continue;
    io_ics_series *s = &c->series[c->n_series++];
    s->pair = pr;
    s->listed = mm_result_occurrence(r, pr->first_occurrence);
    s->mentor_zone = zone_named(c, mm_problem_person_zone(c->ctx.p, MM_MENTOR, pr->mentor));
    s->mentee_zone = zone_named(c, mm_problem_person_zone(c->ctx.p, MM_MENTEE, pr->mentee));
  }
  return MM_OK;
}

/* Expands every series and fixes its UID and SEQUENCE, in parallel: each
 * iteration touches its own series only and records its status, and the
 * first failure in pair order is then expanded again to describe it, so
 * the message does not depend on the threads. */
static mm_status build_series(io_ics *c, const mm_result *r, int threads, mm_error *e) {
  mm_status st = list_series(c, r);
  unsigned char *failed = st == MM_OK ? calloc(c->n_series + 1, 1) : NULL;
  if (!failed) return MM_ERR_NOMEM;
  long n = (long)c->n_series;
#pragma omp parallel num_threads(threads)
  {
    io_sbuf text = {0};
    io_ics_scratch w = {0};
#pragma omp for schedule(dynamic, 64)
    for (long k = 0; k < n; k++) {
      io_ics_series *s = &c->series[k];
      mm_status sk = io_ics_series_expand(s, NULL);
      if (sk == MM_OK) {
        make_uid(c, s);
        sk = settle_sequence(c, s, &text, &w);
      }
      failed[k] = (unsigned char)sk;
    }
    free(text.s);
    io_ics_scratch_free(&w);
  }
  for (size_t k = 0; k < c->n_series && st == MM_OK; k++) {
    if (!failed[k]) continue;
    st = (mm_status)failed[k];
    if (st != MM_ERR_NOMEM) {
      free(c->series[k].starts);
      st = io_ics_series_expand(&c->series[k], e);
    }
  }
  free(failed);
  return st;
}

/* Folds the logical lines in tmp onto out and empties tmp. */
static void fold_from(io_sbuf *out, io_sbuf *tmp) {
  io_ics_fold(out, tmp->s, tmp->n);
  if (tmp->nomem) out->nomem = 1;
  tmp->n = 0;
}

/* Each zone's VTIMEZONE, folded, which many files repeat: rendered once. */
static mm_status render_zones(io_ics *c) {
  c->zone_text = calloc(c->n_zones + 1, sizeof *c->zone_text);
  if (!c->zone_text) return MM_ERR_NOMEM;
  int nomem = 0;
  io_sbuf tmp = {0};
  for (size_t z = 0; z < c->n_zones; z++) {
    io_ics_zone_write(&tmp, &c->zones[z]);
    fold_from(&c->zone_text[z], &tmp);
    nomem |= c->zone_text[z].nomem;
  }
  free(tmp.s);
  return nomem ? MM_ERR_NOMEM : MM_OK;
}

/* ---- files --------------------------------------------------------------- */

/* A roster id as part of a file name (see ics_writer.h); a long id is cut
 * and ends in a hash of the whole, so names stay unique and short. */
static void put_name_part(io_sbuf *b, const char *id, int escape_dash) {
  size_t start = b->n;
  for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
    int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
               *p == '_' || (*p == '.' && p != (const unsigned char *)id) ||
               (*p == '-' && !escape_dash);
    if (keep) {
      io_sb_put(b, (const char *)p, 1);
    } else {
      io_sb_printf(b, "%%%02X", *p);
    }
  }
  if (b->n - start > MAX_NAME_PART && !b->nomem) {
    b->n = start + MAX_NAME_PART - 17;
    io_sb_printf(b, "~%016llx", (unsigned long long)fnv_str(UINT64_C(0xcbf29ce484222325), id));
  }
}

static int cmp_person(const void *a, const void *b) {
  const person_ref *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  if (x->series != y->series) return x->series < y->series ? -1 : 1;
  return strcmp(x->id, y->id);
}

static mm_status add_file(io_ics *c, io_sbuf *name, file_kind kind, size_t first, size_t n) {
  if (name->nomem || !(c->files[c->n_files].name = strdup(name->s))) return MM_ERR_NOMEM;
  c->files[c->n_files].kind = kind;
  c->files[c->n_files].first = first;
  c->files[c->n_files++].n = n;
  name->n = 0;
  return MM_OK;
}

/* One calendars/ID.ics per id of the person whose refs are [from, to):
 * every file holds all of the person's series (a mentor who is also a
 * mentee under another id, joined by e-mail, sees both in either file). */
static mm_status add_person_files(io_ics *c, io_sbuf *name, size_t from, size_t to) {
  mm_status st = MM_OK;
  for (size_t k = from; k < to && st == MM_OK; k++) {
    int seen = 0;
    for (size_t y = from; y < k && !seen; y++) seen = strcmp(c->people[y].id, c->people[k].id) == 0;
    if (seen) continue;
    io_sb_puts(name, "calendars/");
    put_name_part(name, c->people[k].id, 0);
    io_sb_puts(name, ".ics");
    st = add_file(c, name, FILE_PERSON, from, to - from);
    if (st == MM_OK) c->files[c->n_files - 1].who = k;
  }
  return st;
}

static int cmp_file_name(const void *a, const void *b) {
  return strcmp(((const cal_file *)a)->name, ((const cal_file *)b)->name);
}

static mm_status build_files(io_ics *c) {
  const mm_problem *p = c->ctx.p;
  c->people = malloc((2 * c->n_series + 1) * sizeof *c->people);
  c->files = calloc(3 * c->n_series + 1, sizeof *c->files);
  /* Who is one person, for calendars/ only. */
  bool all = c->which == IO_CALENDARS_ALL;
  size_t *mentor_person = all ? malloc((mm_problem_count(p, MM_MENTOR) + 1) * sizeof *mentor_person) : NULL;
  size_t *mentee_person = all ? malloc((mm_problem_count(p, MM_MENTEE) + 1) * sizeof *mentee_person) : NULL;
  mm_error ignored;
  mm_error_clear(&ignored);
  if (!c->people || !c->files ||
      (all && (!mentor_person || !mentee_person ||
               mm_problem_people(p, mentor_person, mentee_person, &ignored) != MM_OK))) {
    free(mentor_person);
    free(mentee_person);
    return MM_ERR_NOMEM;
  }
  io_sbuf name = {0};
  mm_status st = MM_OK;
  if (c->which != IO_CALENDARS_NONE) {
    io_sb_puts(&name, "meetings.ics");
    st = add_file(c, &name, FILE_ALL, 0, c->n_series);
  }
  for (size_t k = 0; k < c->n_series && st == MM_OK && c->which == IO_CALENDARS_ALL; k++) {
    const mm_pair *pr = c->series[k].pair;
    io_sb_puts(&name, "invites/");
    put_name_part(&name, mm_problem_person_id(p, MM_MENTEE, pr->mentee), 1);
    io_sb_puts(&name, "-");
    put_name_part(&name, mm_problem_person_id(p, MM_MENTOR, pr->mentor), 0);
    io_sb_puts(&name, ".ics");
    st = add_file(c, &name, FILE_INVITE, k, 1);
    c->people[2 * k] = (person_ref){mm_problem_person_id(p, MM_MENTOR, pr->mentor), k,
                                    mm_problem_person_name(p, MM_MENTOR, pr->mentor), mentor_person[pr->mentor]};
    c->people[2 * k + 1] = (person_ref){mm_problem_person_id(p, MM_MENTEE, pr->mentee), k,
                                        mm_problem_person_name(p, MM_MENTEE, pr->mentee), mentee_person[pr->mentee]};
  }
  free(mentor_person);
  free(mentee_person);
  size_t n_refs = c->which == IO_CALENDARS_ALL ? 2 * c->n_series : 0;
  if (st == MM_OK) qsort(c->people, n_refs, sizeof *c->people, cmp_person);
  size_t first_person_file = c->n_files;
  for (size_t k = 0; k < n_refs && st == MM_OK;) {
    size_t end = k + 1;
    while (end < n_refs && c->people[end].person == c->people[k].person) end++;
    st = add_person_files(c, &name, k, end);
    k = end;
  }
  /* Created in name order, as the file system likes them best (README, Performance). */
  if (st == MM_OK) qsort(c->files + first_person_file, c->n_files - first_person_file, sizeof *c->files, cmp_file_name);
  free(name.s);
  return st;
}

mm_status io_ics_prepare(const mm_problem *p, const mm_result *r, const mm_options *o,
                         const io_ics_settings *s, io_ics **out, mm_error *e) {
  *out = NULL;
  io_ics *c = calloc(1, sizeof *c);
  if (!c) goto nomem;
  c->ctx = (io_ics_context){p, s->stamp, s->video_url, s->program_id ? s->program_id : "mentormatch"};
  c->previous = s->previous;
  c->which = s->calendars;
  int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
  mm_status st = MM_OK;
  if (c->which != IO_CALENDARS_NONE) {
    st = load_zones(c, r, o, e);
    if (st == MM_OK) st = build_series(c, r, threads, e);
    if (st == MM_OK) st = render_zones(c);
  }
  if (st == MM_OK) st = build_files(c);
  if (st == MM_ERR_NOMEM) goto nomem;
  if (st != MM_OK) {
    io_ics_free(c);
    return st;
  }
  *out = c;
  return MM_OK;
nomem:
  io_ics_free(c);
  mm_error_set(e, NULL, "out of memory preparing the calendars");
  return MM_ERR_NOMEM;
}

void io_ics_free(io_ics *c) {
  if (!c) return;
  for (size_t k = 0; k < c->n_zones; k++) {
    io_ics_zone_free(&c->zones[k]);
    if (c->zone_text) free(c->zone_text[k].s);
  }
  for (size_t k = 0; k < c->n_series; k++) free(c->series[k].starts);
  free(c->zone_text);
  for (size_t k = 0; k < c->n_files; k++) free(c->files[k].name);
  free(c->zones);
  free(c->series);
  free(c->people);
  free(c->files);
  free(c);
}

size_t io_ics_file_count(const io_ics *c) { return c->n_files; }

const char *io_ics_file_name(const io_ics *c, size_t k) { return c->files[k].name; }

/* ---- writing ------------------------------------------------------------- */

/* The series index of entry k of a file. */
static size_t series_of(const io_ics *c, const cal_file *f, size_t k) {
  return f->kind == FILE_PERSON ? c->people[f->first + k].series : f->first + k;
}

/* One VTIMEZONE per TZID used by the file's series, in name order. */
static void put_zones(io_sbuf *b, const io_ics *c, const cal_file *f) {
  for (size_t z = 0; z < c->n_zones; z++) {
    const io_ics_zone *zone = &c->zones[z];
    int used = 0;
    for (size_t k = 0; k < f->n && !used; k++) used = c->series[series_of(c, f, k)].mentor_zone == zone;
    /* Two roster spellings can share a TZID ("UTC+5", "UTC+05:00"). */
    for (size_t y = 0; y < z && used; y++) {
      int same = strcmp(c->zones[y].tzid, zone->tzid) == 0;
      for (size_t k = 0; k < f->n && same; k++)
        if (c->series[series_of(c, f, k)].mentor_zone == &c->zones[y]) used = 0;
    }
    if (used) io_sb_put(b, c->zone_text[z].s, c->zone_text[z].n);
  }
}

static void put_head(io_sbuf *out, io_sbuf *tmp, const io_ics *c, const cal_file *f) {
  io_sb_puts(tmp, "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//mentormatch//mentormatch " MM_VERSION
                  "//EN\nCALSCALE:GREGORIAN\n");
  io_sb_printf(tmp, "METHOD:%s\n", f->kind == FILE_INVITE ? "REQUEST" : "PUBLISH");
  io_sb_puts(tmp, "X-WR-CALNAME:");
  if (f->kind == FILE_PERSON) {
    const person_ref *who = &c->people[f->who];
    io_sb_text(tmp, "Mentoring: ");
    io_sb_text(tmp, who->name && *who->name ? who->name : who->id);
  } else {
    io_sb_text(tmp, "Mentoring meetings");
  }
  io_sb_eol(tmp);
  fold_from(out, tmp);
}

int io_ics_render_file(const io_ics *c, size_t k, io_sbuf *out, io_ics_scratch *scratch, io_ics_flush flush,
                       void *ctx) {
  const cal_file *f = &c->files[k];
  io_sb_clear(&scratch->logical);
  put_head(out, &scratch->logical, c, f);
  put_zones(out, c, f);
  for (size_t x = 0; x < f->n; x++) {
    size_t s = series_of(c, f, x);
    /* A person who is both sides of one pair lists it once. */
    if (f->kind == FILE_PERSON && x && series_of(c, f, x - 1) == s) continue;
    io_ics_event_fold(out, scratch, &c->ctx, &c->series[s], f->kind == FILE_INVITE ? IO_ICS_REQUEST : IO_ICS_PUBLISH);
    if (flush && out->n >= IO_ICS_FLUSH_BYTES && !out->nomem) {
      int err = flush(ctx, out);
      out->n = 0;
      if (err) return err;
    }
  }
  io_sb_puts(out, "END:VCALENDAR\r\n");
  return 0;
}
