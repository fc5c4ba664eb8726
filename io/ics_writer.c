/* ics_writer.c: decides which calendar files a run writes and what goes in each.
 *
 * The three kinds of file (see ics_writer.h) hold the same series text
 * (ics_event.c) under different METHODs, so the work is done once in
 * io_ics_prepare: zones loaded once per name, each series expanded once,
 * its UID, content hash and SEQUENCE fixed, and the per-person index built
 * (a person is an id, whichever side of the roster it appears on).
 * Writing a file is then formatting into a growing buffer and folding it.
 */
#include "ics_writer.h"

#include "ics_event.h"
#include "ics_text.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NAME_PART 96

typedef enum { FILE_ALL, FILE_INVITE, FILE_PERSON } file_kind;

typedef struct {
  char *name;
  file_kind kind;
  size_t first, n; /* series (all, invite), or range in people (person) */
} cal_file;

typedef struct {
  const char *id;
  size_t series;
  const char *name;
} person_ref;

struct io_ics {
  io_ics_context ctx;
  const io_ics_previous *previous;
  io_ics_zone *zones; /* sorted by name */
  size_t n_zones;
  io_ics_series *series;
  size_t n_series;
  person_ref *people; /* sorted by id, then series */
  cal_file *files;
  size_t n_files;
};

void io_ics_settings_init(io_ics_settings *s) {
  memset(s, 0, sizeof *s);
  s->program_id = "mentormatch";
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

/* Content hash, then SEQUENCE from the previous calendar. */
static mm_status settle_sequence(io_ics *c, io_ics_series *s) {
  io_sbuf b = {0};
  io_ics_event_write(&b, &c->ctx, s, IO_ICS_HASH);
  if (b.nomem) {
    free(b.s);
    return MM_ERR_NOMEM;
  }
  s->hash = fnv(UINT64_C(0xcbf29ce484222325), b.s, b.n);
  free(b.s);
  long seq;
  uint64_t old;
  s->sequence = 0;
  if (io_ics_previous_find(c->previous, s->uid, &seq, &old))
    s->sequence = old == s->hash ? seq : seq + 1;
  return MM_OK;
}

static mm_status build_series(io_ics *c, const mm_result *r, mm_error *e) {
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
    mm_status st = io_ics_series_expand(s, e);
    if (st != MM_OK) return st;
    make_uid(c, s);
    if ((st = settle_sequence(c, s)) != MM_OK) return st;
  }
  return MM_OK;
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
  int c = strcmp(x->id, y->id);
  return c ? c : (x->series > y->series) - (x->series < y->series);
}

static mm_status add_file(io_ics *c, io_sbuf *name, file_kind kind, size_t first, size_t n) {
  if (name->nomem || !(c->files[c->n_files].name = strdup(name->s))) return MM_ERR_NOMEM;
  c->files[c->n_files].kind = kind;
  c->files[c->n_files].first = first;
  c->files[c->n_files++].n = n;
  name->n = 0;
  return MM_OK;
}

static mm_status build_files(io_ics *c) {
  const mm_problem *p = c->ctx.p;
  c->people = malloc((2 * c->n_series + 1) * sizeof *c->people);
  c->files = calloc(3 * c->n_series + 1, sizeof *c->files);
  if (!c->people || !c->files) return MM_ERR_NOMEM;
  io_sbuf name = {0};
  io_sb_puts(&name, "meetings.ics");
  mm_status st = add_file(c, &name, FILE_ALL, 0, c->n_series);
  for (size_t k = 0; k < c->n_series && st == MM_OK; k++) {
    const mm_pair *pr = c->series[k].pair;
    io_sb_puts(&name, "invites/");
    put_name_part(&name, mm_problem_person_id(p, MM_MENTEE, pr->mentee), 1);
    io_sb_puts(&name, "-");
    put_name_part(&name, mm_problem_person_id(p, MM_MENTOR, pr->mentor), 0);
    io_sb_puts(&name, ".ics");
    st = add_file(c, &name, FILE_INVITE, k, 1);
    c->people[2 * k] = (person_ref){mm_problem_person_id(p, MM_MENTOR, pr->mentor), k,
                                    mm_problem_person_name(p, MM_MENTOR, pr->mentor)};
    c->people[2 * k + 1] = (person_ref){mm_problem_person_id(p, MM_MENTEE, pr->mentee), k,
                                        mm_problem_person_name(p, MM_MENTEE, pr->mentee)};
  }
  size_t n_refs = 2 * c->n_series;
  if (st == MM_OK) qsort(c->people, n_refs, sizeof *c->people, cmp_person);
  for (size_t k = 0; k < n_refs && st == MM_OK;) {
    size_t end = k + 1;
    while (end < n_refs && strcmp(c->people[end].id, c->people[k].id) == 0) end++;
    io_sb_puts(&name, "calendars/");
    put_name_part(&name, c->people[k].id, 0);
    io_sb_puts(&name, ".ics");
    st = add_file(c, &name, FILE_PERSON, k, end - k);
    k = end;
  }
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
  mm_status st = load_zones(c, r, o, e);
  if (st == MM_OK) st = build_series(c, r, e);
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
  for (size_t k = 0; k < c->n_zones; k++) io_ics_zone_free(&c->zones[k]);
  for (size_t k = 0; k < c->n_series; k++) free(c->series[k].starts);
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
    if (used) io_ics_zone_write(b, zone);
  }
}

static void put_calendar(io_sbuf *b, const io_ics *c, const cal_file *f) {
  io_sb_puts(b, "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//mentormatch//mentormatch " MM_VERSION
                "//EN\nCALSCALE:GREGORIAN\n");
  io_sb_printf(b, "METHOD:%s\n", f->kind == FILE_INVITE ? "REQUEST" : "PUBLISH");
  io_sb_puts(b, "X-WR-CALNAME:");
  if (f->kind == FILE_PERSON) {
    const person_ref *who = &c->people[f->first];
    io_sb_text(b, "Mentoring: ");
    io_sb_text(b, who->name && *who->name ? who->name : who->id);
  } else {
    io_sb_text(b, "Mentoring meetings");
  }
  io_sb_eol(b);
  put_zones(b, c, f);
  io_ics_form form = f->kind == FILE_INVITE ? IO_ICS_REQUEST : IO_ICS_PUBLISH;
  for (size_t k = 0; k < f->n; k++) {
    size_t s = series_of(c, f, k);
    /* A person who is both sides of one pair lists it once. */
    if (f->kind == FILE_PERSON && k && series_of(c, f, k - 1) == s) continue;
    io_ics_event_write(b, &c->ctx, &c->series[s], form);
  }
  io_sb_puts(b, "END:VCALENDAR\n");
}

mm_status io_ics_write_file(FILE *f, const io_ics *c, size_t k, mm_error *e) {
  io_sbuf b = {0};
  put_calendar(&b, c, &c->files[k]);
  mm_status st = MM_OK;
  if (b.nomem) {
    mm_error_set(e, NULL, "out of memory writing %s", c->files[k].name);
    st = MM_ERR_NOMEM;
  } else if (!io_ics_write_lines(f, b.s, b.n) || fflush(f) != 0 || ferror(f)) {
    mm_error_set(e, NULL, "could not write %s", c->files[k].name);
    st = MM_ERR_IO;
  }
  free(b.s);
  return st;
}
