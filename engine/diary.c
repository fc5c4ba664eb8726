/* diary.c: booked busy time per person, and the free common slot of a pair.
 *
 * Each person keeps a list of busy intervals tagged with the mentee whose
 * pair they belong to; a pair's intervals are its series' occurrences up to
 * the last listed one, each busy for the meeting plus the buffer, exactly as
 * the scheduler books them (mm_slotter_span), so two meetings clash when
 * their intervals overlap.  Lists are short (a mentor's capacity times the
 * listed occurrences), so a linear scan beats any index.
 */
#include "diary.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  int64_t start, busy_s;
  uint32_t mentee; /* the booking this interval belongs to */
} interval;

typedef struct {
  interval *v;
  size_t n, alloc;
} person_diary;

struct mm_diary {
  const mm_problem *p;
  mm_people people;
  mm_slotter *sl;
  person_diary *of; /* per person */
  int64_t *mentor_of; /* per mentee: booked mentor or -1 */
  mm_slot options[MM_SLOTS_PER_WEEK];
  int64_t span[MM_MAX_SERIES];
};

mm_diary *mm_diary_create(const mm_problem *p, mm_error *e) {
  mm_diary *d = calloc(1, sizeof *d);
  size_t n = p->side[MM_MENTEE].n;
  if (!d) goto nomem;
  d->p = p;
  if (mm_people_build(p, &d->people, e) != MM_OK) {
    free(d);
    return NULL;
  }
  d->of = calloc(d->people.n ? d->people.n : 1, sizeof *d->of);
  d->mentor_of = malloc((n ? n : 1) * sizeof *d->mentor_of);
  if (d->of && d->mentor_of && (d->sl = mm_slotter_create(p, &d->people, e)) != NULL) {
    for (size_t i = 0; i < n; i++) d->mentor_of[i] = -1;
    return d;
  }
  mm_diary_free(d);
nomem:
  mm_error_set(e, NULL, "out of memory keeping the people's diaries");
  return NULL;
}

void mm_diary_free(mm_diary *d) {
  if (!d) return;
  for (uint32_t k = 0; d->of && k < d->people.n; k++) free(d->of[k].v);
  free(d->of);
  free(d->mentor_of);
  mm_slotter_free(d->sl);
  mm_people_free(&d->people);
  free(d);
}

static int add(person_diary *pd, const int64_t *starts, int n, int64_t busy_s, uint32_t mentee) {
  if (!mm_grow((void **)&pd->v, &pd->alloc, pd->n + (size_t)n, sizeof *pd->v)) return 0;
  for (int x = 0; x < n; x++) pd->v[pd->n++] = (interval){starts[x], busy_s, mentee};
  return 1;
}

static void drop_tag(person_diary *pd, uint32_t mentee) {
  size_t out = 0;
  for (size_t k = 0; k < pd->n; k++)
    if (pd->v[k].mentee != mentee) pd->v[out++] = pd->v[k];
  pd->n = out;
}

int mm_diary_book(mm_diary *d, uint32_t i, uint32_t j, mm_slot slot) {
  int64_t busy_s;
  int n = mm_slotter_span(d->sl, j, slot, d->span, &busy_s);
  uint32_t pm = d->people.of_mentor[j], pe = d->people.of_mentee[i];
  if (!add(&d->of[pm], d->span, n, busy_s, i) || (pe != pm && !add(&d->of[pe], d->span, n, busy_s, i))) return 0;
  d->mentor_of[i] = j;
  return 1;
}

void mm_diary_unbook(mm_diary *d, uint32_t i) {
  if (d->mentor_of[i] < 0) return;
  drop_tag(&d->of[d->people.of_mentor[d->mentor_of[i]]], i);
  drop_tag(&d->of[d->people.of_mentee[i]], i);
  d->mentor_of[i] = -1;
}

/* The bookings of person pd that the series (starts, busy_s) meets, other
 * than mentee `own`'s: -1 none, -2 several or one that cannot be named,
 * else the one mentee whose booking it meets. */
static int64_t clash(const person_diary *pd, const int64_t *starts, int n, int64_t busy_s, uint32_t own) {
  int64_t hit = -1;
  for (size_t k = 0; k < pd->n; k++) {
    const interval *v = &pd->v[k];
    if (v->mentee == own || (hit >= 0 && v->mentee == (uint64_t)hit)) continue;
    for (int x = 0; x < n; x++) {
      if (v->start < starts[x] + busy_s && starts[x] < v->start + v->busy_s) {
        if (hit != -1) return -2;
        hit = v->mentee;
        break;
      }
    }
  }
  return hit;
}

/* Whether the pair (i, j) can meet at slot: 0 not there; 1 free with no
 * drop; 2 free once j drops its mentee *drop, whom j values *value. */
static int try_slot(const mm_diary *d, mm_slotter *sl, int64_t *span, uint32_t i, uint32_t j, mm_slot slot,
                    mm_diary_keep_fn keep, void *ctx, int64_t *drop, int64_t *value) {
  uint32_t pm = d->people.of_mentor[j], pe = d->people.of_mentee[i];
  int64_t busy_s;
  int n = mm_slotter_span(sl, j, slot, span, &busy_s);
  if (n == 0) return 0;
  int64_t at_mentor = clash(&d->of[pm], span, n, busy_s, i);
  int64_t at_mentee = pe == pm ? -1 : clash(&d->of[pe], span, n, busy_s, i);
  if (at_mentor == -2 || at_mentee == -2) return 0;
  if (at_mentee >= 0 && at_mentee != at_mentor) return 0;
  if (at_mentor < 0) return 1;
  if (!keep || d->mentor_of[at_mentor] != (int64_t)j) return 0;
  *value = keep(ctx, (uint32_t)at_mentor);
  *drop = at_mentor;
  return *value == INT64_MAX ? 0 : 2;
}

int mm_diary_fit(mm_diary *d, uint32_t i, uint32_t j, mm_diary_keep_fn keep, void *ctx, mm_slot *slot, int64_t *drop) {
  size_t n_opt = mm_slotter_options(d->sl, i, j, d->options);
  int64_t best_keep = INT64_MAX;
  int found = 0;
  for (size_t k = 0; k < n_opt; k++) {
    int64_t at, value;
    int how = try_slot(d, d->sl, d->span, i, j, d->options[k], keep, ctx, &at, &value);
    if (how == 1) {
      *slot = d->options[k];
      *drop = -1;
      return 1;
    }
    if (how == 0 || (found && value >= best_keep)) continue;
    found = 1;
    best_keep = value;
    *slot = d->options[k];
    *drop = at;
  }
  return found;
}

struct mm_diary_reader {
  mm_slotter *sl;
  int64_t span[MM_MAX_SERIES];
  /* The question being asked, for the visitor. */
  const mm_diary *d;
  uint32_t i, j;
  mm_diary_keep_fn keep;
  void *ctx;
};

mm_diary_reader *mm_diary_reader_create(const mm_diary *d, mm_error *e) {
  mm_diary_reader *r = calloc(1, sizeof *r);
  if (r && (r->sl = mm_slotter_create(d->p, &d->people, e)) != NULL) return r;
  free(r);
  mm_error_set(e, NULL, "out of memory reading the people's diaries");
  return NULL;
}

void mm_diary_reader_free(mm_diary_reader *r) {
  if (!r) return;
  mm_slotter_free(r->sl);
  free(r);
}

static int slot_works(void *ctx, mm_slot slot) {
  mm_diary_reader *r = ctx;
  int64_t drop, value;
  return try_slot(r->d, r->sl, r->span, r->i, r->j, slot, r->keep, r->ctx, &drop, &value) != 0;
}

/* Rules a start out by its first occurrence alone, when try_slot would
 * reject the whole series: a clash there with several bookings, with two
 * different ones on the two sides, or with one mentor j may not drop. */
static int first_free(void *ctx, int64_t first_start, int64_t busy_s) {
  const mm_diary_reader *r = ctx;
  const mm_diary *d = r->d;
  uint32_t pm = d->people.of_mentor[r->j], pe = d->people.of_mentee[r->i];
  int64_t at_mentor = clash(&d->of[pm], &first_start, 1, busy_s, r->i);
  int64_t at_mentee = pe == pm ? -1 : clash(&d->of[pe], &first_start, 1, busy_s, r->i);
  if (at_mentor == -2 || at_mentee == -2) return 0;
  if (at_mentee >= 0 && at_mentor >= 0 && at_mentee != at_mentor) return 0;
  if (at_mentor < 0) return 1;
  return r->keep && d->mentor_of[at_mentor] == (int64_t)r->j && r->keep(r->ctx, (uint32_t)at_mentor) != INT64_MAX;
}

int mm_diary_can_fit(const mm_diary *d, mm_diary_reader *r, uint32_t i, uint32_t j, mm_diary_keep_fn keep,
                     void *ctx) {
  r->d = d;
  r->i = i;
  r->j = j;
  r->keep = keep;
  r->ctx = ctx;
  return mm_slotter_each_option(r->sl, i, j, first_free, slot_works, r);
}

int mm_diary_try_book(mm_diary *d, uint32_t i, uint32_t j) {
  mm_slot slot;
  int64_t none;
  if (!mm_diary_fit(d, i, j, NULL, NULL, &slot, &none)) return 0;
  return mm_diary_book(d, i, j, slot) ? 1 : -1;
}
