/* schedule.c: picks each matched pair's recurring meeting slot and lists its occurrences.
 *
 * A series is a mentor-local weekday and time repeated every 1, 2 or 4
 * weeks from its first date.  Candidate slots come from mm_frame_pair_starts
 * (the same masks the scorer used, so every matched pair has one); this file
 * chooses among them, turns the choice into UTC occurrences through the
 * zones' offset tables, checks each listed occurrence quarter by quarter
 * against both people's local availability on its real date, and keeps a
 * per-person list of busy UTC intervals so nobody is booked twice.  Busy
 * time covers every occurrence of a series up to its last listed one, which
 * is what makes biweekly and monthly series collide correctly, and runs on
 * for the buffer after each meeting, so two meetings of one person are too
 * close exactly when their busy intervals overlap.  A person is every row
 * people.c joins (the same id on both sides, or the same e-mail).
 *
 * Comfort preferences (room around the meeting, a steady local time) are
 * tried first; a group of pairs they leave someone out of is redone in
 * packing mode, since a meeting centred in a window can waste the rest.
 *
 * Cost: a pair usually settles on the first date it tries, so the work is a
 * few offset lookups per occurrence plus a binary search per busy check;
 * tens of thousands of pairs take milliseconds.
 */
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_S (MM_SLOT_MINUTES * 60)
#define MAX_OFFSET_S (15 * 3600)
/* Weeks in which a series' first date can fall (see first_date). */
#define FIRST_WEEKS 3
/* Listed indices are at most mm_options_last_index: 52 first meetings or a
 * checkpoint at day 366, weekly. */
#define MAX_LISTED MM_MAX_SERIES

typedef struct {
  int64_t s, e;
} interval;

typedef struct {
  interval *v;
  size_t n, cap;
} busy_list;

/* What one pair settled on, kept until the occurrences are written out. */
typedef struct {
  mm_slot slot;
  int scheduled;
} choice;

typedef struct {
  int quarter, core, same;
} candidate;

/* A pair of a group an earlier call placed whole with the comfort
 * preferences: the group (its number then and its size) and the slot. */
typedef struct {
  mm_slot slot;
  size_t mentor, group, size;
  unsigned call; /* the call that wrote it (ctx.call); 0 = none */
} remembered;

/* Everything about the series of one date that does not depend on the time. */
typedef struct {
  int last;        /* highest listed index */
  uint8_t *listed; /* [0..last]: 1 meeting, 2 checkpoint */
} series_plan;

typedef struct mm_slotter {
  const mm_problem *p;
  const mm_people *people;
  int interval_days, slots, n_listed_max;
  int64_t start_day;
  int64_t busy_s;   /* meeting plus buffer */
  busy_list *busy;  /* per person (people.c numbering) */
  mm_week *mentor_mask;
  uint8_t *mentor_mask_done;
  int64_t *starts;  /* scratch: occurrence starts of the candidate */
  series_plan sp;   /* scratch: the series of one first date */
  int pack;         /* packing mode: earliest time only, no comfort preferences */
  int hints_first;  /* mm_slotter_hints_first */
  remembered *memo; /* per mentee: whole groups of the last call (rebook_group) */
  unsigned call;    /* calls of mm_schedule_pairs so far */
  int memo_on;      /* this call lists each mentee once, so memo applies */
} ctx;

/* One pair's frame: its zones and the weekly starts both masks allow. */
typedef struct {
  size_t mentee, mentor, pm, pe; /* rows, then persons */
  const mm_zone *zm, *ze;
  const mm_week *own;
  mm_week in, starts;
  int drift; /* the zones' offset difference changes during the program */
} pair_frame;

/* mm_week_test for slots known to be in range, inlined for the hot loops. */
static inline int bit(const mm_week *m, int slot) { return (int)(m->w[slot / 64] >> (slot % 64) & 1u); }

/* The 96 quarters of one weekday: quarters 0-63 in out[0], 64-95 in out[1]. */
static void day_bits(const mm_week *m, int weekday, uint64_t out[2]) {
  for (int i = 0; i < 2; i++) {
    int pos = weekday * MM_SLOTS_PER_DAY + 64 * i, w = pos / 64, b = pos % 64;
    uint64_t v = m->w[w] >> b;
    if (b && w + 1 < MM_WEEK_WORDS) v |= m->w[w + 1] << (64 - b);
    out[i] = i ? v & ((UINT64_C(1) << 32) - 1) : v;
  }
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Week slot (0..671) of a local wall-clock second count. */
static int week_slot(int64_t local) {
  int64_t day = floor_div(local, 86400);
  int weekday = (int)(((day + 3) % 7 + 7) % 7);
  return weekday * MM_SLOTS_PER_DAY + (int)((local - day * 86400) / SLOT_S);
}

/* UTC instant of a local wall-clock time, the earlier one when the time
 * happens twice; returns how many times it happens (0, 1 or 2). */
static int local_times(const mm_zone *z, int64_t local, int64_t *out) {
  int found = 0;
  /* Periods that end a day and a half before the time cannot hold it: skip
   * them by bisection. */
  size_t lo = 1, hi = z->n_periods;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (z->periods[mid].at <= local - MAX_OFFSET_S) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  for (size_t k = lo - 1; k < z->n_periods; k++) {
    const mm_zone_period *pd = &z->periods[k];
    if (pd->at > local + MAX_OFFSET_S && k > 0) break;
    int64_t t = local - pd->offset_s;
    if ((k == 0 || t >= pd->at) && (k + 1 == z->n_periods || t < z->periods[k + 1].at)) {
      if (!found || t < *out) *out = t;
      found++;
    }
  }
  return found;
}

/* UTC instant of a local wall-clock time; the earlier one when the time
 * happens twice, 0 when it does not happen at all. */
static int local_to_utc(const mm_zone *z, int64_t local, int64_t *out) {
  return local_times(z, local, out) > 0;
}

/* The occurrence nearest start + days, of a series whose first date is
 * first_day; a tie goes to the earlier one. */
static int nearest_index(const ctx *c, int64_t first_day, int days) {
  int64_t diff = c->start_day + days - first_day;
  if (diff <= 0) return 0;
  int64_t k = diff / c->interval_days, rem = diff % c->interval_days;
  if (rem * 2 > c->interval_days) k++;
  return (int)k;
}

static void plan_series(const ctx *c, int64_t first_day, series_plan *sp) {
  const mm_options *o = &c->p->opt;
  memset(sp->listed, 0, (size_t)c->n_listed_max + 1);
  sp->last = o->first_meetings - 1;
  for (int k = 0; k < o->first_meetings; k++) sp->listed[k] = 1;
  for (int k = 0; k < o->n_checkpoints; k++) {
    int idx = nearest_index(c, first_day, o->checkpoint_days[k]);
    if (idx > c->n_listed_max) idx = c->n_listed_max;
    sp->listed[idx] = 2;
    if (idx > sp->last) sp->last = idx;
  }
}

/* Starts of occurrences 0..last of the slot; 0 when one does not happen,
 * or happens twice (the hour clocks go back repeats): calendars name the
 * start by the mentor's wall-clock time, and readers differ on which of the
 * two that means (RFC 5545 and meetings.csv the first; libical, pytz and
 * khal the second), so such a slot would be an hour off in some of them. */
static int series_starts(const ctx *c, const mm_zone *zm, int64_t first_day, int quarter, int last,
                         int64_t *starts) {
  for (int k = 0; k <= last; k++) {
    int64_t local = (first_day + (int64_t)k * c->interval_days) * 86400 + (int64_t)quarter * SLOT_S;
    if (local_times(zm, local, &starts[k]) != 1) return 0;
  }
  return 1;
}

/* Does the zone change its offset within a day and a half of local
 * midnight `mid` (as seconds)?  Local days are at most 15 h away from UTC. */
static int change_near(const mm_zone *z, int64_t mid) {
  for (size_t k = 1; k < z->n_periods; k++) {
    int64_t at = z->periods[k].at;
    if (at >= mid - MAX_OFFSET_S && at < mid + 86400 + MAX_OFFSET_S) return 1;
  }
  return 0;
}

/* Is the person available through the meeting that starts at t, reading
 * their weekly mask in their own zone quarter by quarter? */
static int available(const mm_zone *z, const mm_week *mask, int64_t t, int slots) {
  /* The period of t (as mm_zone_offset_at finds it); when the offset holds
   * through the meeting, its quarters are consecutive week slots. */
  size_t lo = z->n_periods > 0 ? mm_zone_period_at(z, t) : 0;
  int64_t last = t + (int64_t)(slots - 1) * SLOT_S;
  if (z->n_periods > 0 && (lo + 1 == z->n_periods || z->periods[lo + 1].at > last)) {
    int s0 = week_slot(t + z->periods[lo].offset_s);
    for (int r = 0; r < slots; r++)
      if (!bit(mask, (s0 + r) % MM_SLOTS_PER_WEEK)) return 0;
    return 1;
  }
  for (int r = 0; r < slots; r++) {
    int64_t u = t + (int64_t)r * SLOT_S;
    if (!bit(mask, week_slot(u + mm_zone_offset_at(z, u)))) return 0;
  }
  return 1;
}

static int busy_overlaps(const busy_list *b, int64_t s, int64_t e) {
  /* Intervals never overlap each other, so sorted by start means sorted by
   * end: only the last one starting before e can reach past s. */
  size_t lo = 0, hi = b->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->v[mid].s < e) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo > 0 && b->v[lo - 1].e > s;
}

static int busy_add(busy_list *b, const int64_t *starts, int n, int64_t len) {
  if (b->n + (size_t)n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 16;
    while (cap < b->n + (size_t)n) cap *= 2;
    interval *v = realloc(b->v, cap * sizeof *v);
    if (!v) return 0;
    b->v = v;
    b->cap = cap;
  }
  /* Merge from the back: the new starts are ascending. */
  size_t i = b->n, out = b->n + (size_t)n;
  int j = n;
  while (j > 0) {
    if (i > 0 && b->v[i - 1].s > starts[j - 1]) {
      b->v[--out] = b->v[--i];
    } else {
      out--;
      j--;
      b->v[out].s = starts[j];
      b->v[out].e = starts[j] + len;
    }
  }
  b->n += (size_t)n;
  return 1;
}

static const mm_week *mentor_mask(ctx *c, size_t mentor) {
  if (!c->mentor_mask_done[mentor]) {
    mm_frame_mentor_mask(c->p, mentor, &c->mentor_mask[mentor]);
    c->mentor_mask_done[mentor] = 1;
  }
  return &c->mentor_mask[mentor];
}

/* Room around a meeting at slot s: one point per person and side with at
 * least 30 minutes of availability next to it (0..4). */
static int core_score(const mm_week *a, const mm_week *b, int s, int len) {
  const mm_week *m[2] = {a, b};
  int score = 0;
  for (int k = 0; k < 2; k++) {
    int before = bit(m[k], (s + MM_SLOTS_PER_WEEK - 1) % MM_SLOTS_PER_WEEK) &&
                 bit(m[k], (s + MM_SLOTS_PER_WEEK - 2) % MM_SLOTS_PER_WEEK);
    int after = bit(m[k], (s + len) % MM_SLOTS_PER_WEEK) &&
                bit(m[k], (s + len + 1) % MM_SLOTS_PER_WEEK);
    score += before + after;
  }
  return score;
}

/* Is the mentee's local date at the slot's instant on or after the start? */
static int mentee_date_ok(const ctx *c, const mm_zone *zm, const mm_zone *ze, int64_t day,
                          int quarter) {
  int64_t t;
  if (!local_to_utc(zm, day * 86400 + (int64_t)quarter * SLOT_S, &t)) return 0;
  return floor_div(t + mm_zone_offset_at(ze, t), 86400) >= c->start_day;
}

static int cmp_candidate(const candidate *a, const candidate *b, int pack) {
  if (pack) return a->quarter - b->quarter;
  if (a->core != b->core) return b->core - a->core;
  if (a->same != b->same) return b->same - a->same;
  return a->quarter - b->quarter;
}

enum { FAIL_AVAIL = 1, FAIL_MENTOR_BUSY = 2, FAIL_MENTEE_BUSY = 4 };

/* Sets up a pair's frame; 0 when the two masks share no weekly start. */
static int frame_pair(ctx *c, size_t mentee, size_t mentor, pair_frame *f) {
  const mm_problem *p = c->p;
  f->mentee = mentee;
  f->mentor = mentor;
  f->pm = c->people->of_mentor[mentor];
  f->pe = c->people->of_mentee[mentee];
  int zm_index = p->side[MM_MENTOR].zone[mentor], ze_index = p->side[MM_MENTEE].zone[mentee];
  f->zm = &p->zones[zm_index];
  f->ze = &p->zones[ze_index];
  f->own = mentor_mask(c, mentor);
  mm_frame_mentee_in(p, mentee, zm_index, &f->in);
  mm_week both = f->in;
  mm_week_and(&both, f->own);
  mm_week_starts(&both, c->slots, &f->starts);
  int32_t pin = mm_problem_pin(p, mentee);
  if (pin >= 0) {
    /* A kept pair meets when it always has, or not at all. */
    bool free_then = mm_week_test(&f->starts, pin);
    memset(&f->starts, 0, sizeof f->starts);
    if (free_then) mm_week_set(&f->starts, pin);
  }
  int32_t deltas[4];
  f->drift = mm_frame_deltas(p, ze_index, zm_index, deltas, 4) > 1;
  return mm_week_any(&f->starts);
}

/* Marks candidates whose mentee-local time moves during the series: the
 * offset difference must be the same at each listed occurrence.  On a date
 * with no clock change near it the difference is one value for every time
 * of day, so only dates next to a change are worked out per candidate. */
static void mark_drifting(const ctx *c, const pair_frame *f, int64_t day, candidate *cand, int n) {
  const series_plan *sp = &c->sp;
  int32_t fixed[MAX_LISTED];
  uint8_t varies[MAX_LISTED];
  for (int x = 0; x <= sp->last; x++) {
    if (!sp->listed[x]) continue;
    int64_t mid = (day + (int64_t)x * c->interval_days) * 86400;
    varies[x] = change_near(f->zm, mid) || change_near(f->ze, mid);
    fixed[x] = mm_zone_offset_at(f->ze, mid) - mm_zone_offset_at(f->zm, mid);
  }
  for (int k = 0; k < n; k++) {
    int32_t d0 = 0;
    int seen = 0;
    for (int x = 0; x <= sp->last && cand[k].same; x++) {
      if (!sp->listed[x]) continue;
      int32_t d = fixed[x];
      if (varies[x]) {
        int64_t t, local = (day + (int64_t)x * c->interval_days) * 86400 + (int64_t)cand[k].quarter * SLOT_S;
        if (!local_to_utc(f->zm, local, &t)) {
          cand[k].same = 0;
          break;
        }
        d = mm_zone_offset_at(f->ze, t) - mm_zone_offset_at(f->zm, t);
      }
      if (seen && d != d0) cand[k].same = 0;
      d0 = d;
      seen = 1;
    }
  }
}

/* Does the mentee's clock change during the first meeting, which starts at
 * the mentor's local `quarter` of `day`, or at its end?  pairings.csv shows
 * the first meeting in the mentee's local time as a start and the meeting's
 * length after it, which such a meeting would belie; the mentor's zone never
 * changes then (mm_frame_mentor_mask). */
static int mentee_clock_changes(const ctx *c, const pair_frame *f, int64_t day, int quarter) {
  int64_t t0;
  if (!local_to_utc(f->zm, day * 86400 + (int64_t)quarter * SLOT_S, &t0)) return 0;
  return mm_zone_changes_in(f->ze, t0, t0 + (int64_t)c->slots * SLOT_S);
}

/* Can `day` start the series at the mentor's local `quarter`?  It must be
 * on or after the start in both calendars (the mentee's date lags the
 * mentor's by up to 28 hours, so only the first two dates need the test)
 * and its meeting must not be cut by a clock change of the mentee's. */
static int date_can_start(const ctx *c, const pair_frame *f, int64_t day, int quarter) {
  if (day < c->start_day) return 0;
  if (day - c->start_day < 2 && !mentee_date_ok(c, f->zm, f->ze, day, quarter)) return 0;
  return !mentee_clock_changes(c, f, day, quarter);
}

/* Is `day` the series' first date: the earliest date of its weekday that
 * can start it?  The date of the first week may be before the start in the
 * mentee's calendar, and then the second week's may be cut by a clock
 * change, so the first date can fall in the third week (FIRST_WEEKS). */
static int first_date(const ctx *c, const pair_frame *f, int64_t day, int quarter) {
  if (!date_can_start(c, f, day, quarter)) return 0;
  for (int64_t before = day - 7; before >= c->start_day; before -= 7)
    if (date_can_start(c, f, before, quarter)) return 0;
  return 1;
}

/* The quarters of one date that can start the pair's series there (the
 * date is then the series' first date), in the order of preference; plans
 * the date's series in c->sp when there are any.  Returns how many. */
static int day_candidates(ctx *c, const pair_frame *f, int64_t day, candidate *cand) {
  int weekday = (int)(((day + 3) % 7 + 7) % 7);
  int n = 0;
  uint64_t todo[2];
  day_bits(&f->starts, weekday, todo);
  for (int half = 0; half < 2; half++) {
    while (todo[half]) {
      int q = half * 64 + __builtin_ctzll(todo[half]);
      todo[half] &= todo[half] - 1;
      if (!first_date(c, f, day, q)) continue;
      cand[n].quarter = q;
      cand[n].core = core_score(f->own, &f->in, weekday * MM_SLOTS_PER_DAY + q, c->slots);
      cand[n].same = 1;
      n++;
    }
  }
  if (n == 0) return 0;
  plan_series(c, day, &c->sp);
  if (f->drift) mark_drifting(c, f, day, cand, n);
  for (int a = 1; a < n; a++) {
    candidate v = cand[a];
    int b = a;
    while (b > 0 && cmp_candidate(&v, &cand[b - 1], c->pack) < 0) {
      cand[b] = cand[b - 1];
      b--;
    }
    cand[b] = v;
  }
  return n;
}

/* Does the series of (day, q) exist and lie inside both people's
 * availability on every listed date?  Leaves its starts in c->starts. */
static int series_fits(ctx *c, const pair_frame *f, int64_t day, int q) {
  const mm_problem *p = c->p;
  const series_plan *sp = &c->sp;
  if (!series_starts(c, f->zm, day, q, sp->last, c->starts)) return 0;
  for (int x = 0; x <= sp->last; x++) {
    if (!sp->listed[x]) continue;
    if (!available(f->zm, &p->side[MM_MENTOR].avail[f->mentor], c->starts[x], c->slots) ||
        !available(f->ze, &p->side[MM_MENTEE].avail[f->mentee], c->starts[x], c->slots))
      return 0;
  }
  return 1;
}

/* Which of the two diaries the busy time [s, s + busy_s) runs into, if any. */
static int busy_conflict(const ctx *c, const pair_frame *f, int64_t s) {
  if (busy_overlaps(&c->busy[f->pm], s, s + c->busy_s)) return FAIL_MENTOR_BUSY;
  if (f->pe != f->pm && busy_overlaps(&c->busy[f->pe], s, s + c->busy_s)) return FAIL_MENTEE_BUSY;
  return 0;
}

/* Books the series whose starts are in c->starts for persons pm and pe;
 * 0 when memory is short. */
static int book(ctx *c, size_t pm, size_t pe) {
  int n = c->sp.last + 1;
  if (!busy_add(&c->busy[pm], c->starts, n, c->busy_s)) return 0;
  return pe == pm || busy_add(&c->busy[pe], c->starts, n, c->busy_s);
}

/* Tries one pair; returns 1 when placed, 0 when not (with *fails set), -1
 * when memory is short. */
static int place_pair(ctx *c, const mm_pair *pr, choice *ch, int *fails) {
  pair_frame f;
  if (!frame_pair(c, pr->mentee, pr->mentor, &f)) return 0;
  candidate cand[MM_SLOTS_PER_DAY];
  for (int64_t day = c->start_day; day < c->start_day + 7 * FIRST_WEEKS; day++) {
    int n = day_candidates(c, &f, day, cand);
    for (int k = 0; k < n; k++) {
      int q = cand[k].quarter;
      /* A busy first occurrence rules the slot out before the series is
       * worked out: that is how most slots of a full diary fail. */
      int64_t t0;
      if (local_to_utc(f.zm, day * 86400 + (int64_t)q * SLOT_S, &t0)) {
        int why = busy_conflict(c, &f, t0);
        if (why) {
          *fails |= why;
          continue;
        }
      }
      if (!series_fits(c, &f, day, q)) {
        *fails |= FAIL_AVAIL;
        continue;
      }
      int why = 0;
      for (int x = 0; x <= c->sp.last && !why; x++) why = busy_conflict(c, &f, c->starts[x]);
      if (why) {
        *fails |= why;
        continue;
      }
      if (!book(c, f.pm, f.pe)) return -1;
      ch->slot = (mm_slot){day, q};
      ch->scheduled = 1;
      return 1;
    }
  }
  return 0;
}

/* Places a pair at a given slot; 1 when it fits, 0 when it does not, -1
 * when memory is short. */
static int place_at(ctx *c, const mm_pair *pr, mm_slot slot, choice *ch, int *fails) {
  pair_frame f;
  frame_pair(c, pr->mentee, pr->mentor, &f);
  plan_series(c, slot.first_day, &c->sp);
  if (slot.quarter < 0 || !series_fits(c, &f, slot.first_day, slot.quarter)) {
    *fails |= FAIL_AVAIL;
    return 0;
  }
  int why = 0;
  for (int x = 0; x <= c->sp.last && !why; x++) why = busy_conflict(c, &f, c->starts[x]);
  if (why) {
    *fails |= why;
    return 0;
  }
  if (!book(c, f.pm, f.pe)) return -1;
  ch->slot = slot;
  ch->scheduled = 1;
  return 1;
}

void mm_slotter_hints_first(mm_slotter *c, int on) { c->hints_first = on; }

int mm_slotter_each_option(mm_slotter *c, size_t mentee, size_t mentor, mm_slot_check check, mm_slot_visit visit,
                           void *arg) {
  pair_frame f;
  if (!frame_pair(c, mentee, mentor, &f)) return 0;
  candidate cand[MM_SLOTS_PER_DAY];
  int pack = c->pack, stop = 0;
  c->pack = 0;
  for (int64_t day = c->start_day; day < c->start_day + 7 * FIRST_WEEKS && !stop; day++) {
    int n = day_candidates(c, &f, day, cand);
    for (int k = 0; k < n && !stop; k++) {
      int q = cand[k].quarter;
      /* As in place_pair: a busy first occurrence often rules the start
       * out before its series is worked out. */
      int64_t t0;
      if (check && local_to_utc(f.zm, day * 86400 + (int64_t)q * SLOT_S, &t0) && !check(arg, t0, c->busy_s)) continue;
      if (series_fits(c, &f, day, q)) stop = visit(arg, (mm_slot){day, q});
    }
  }
  c->pack = pack;
  return stop;
}

typedef struct {
  mm_slot *out;
  size_t n;
} collected;

static int collect(void *arg, mm_slot slot) {
  collected *x = arg;
  x->out[x->n++] = slot;
  return x->n == MM_SLOTS_PER_WEEK;
}

size_t mm_slotter_options(mm_slotter *c, size_t mentee, size_t mentor, mm_slot *out) {
  collected x = {out, 0};
  mm_slotter_each_option(c, mentee, mentor, NULL, collect, &x);
  return x.n;
}

int mm_slotter_span(mm_slotter *c, size_t mentor, mm_slot slot, int64_t *starts, int64_t *busy_s) {
  const mm_zone *zm = &c->p->zones[c->p->side[MM_MENTOR].zone[mentor]];
  *busy_s = c->busy_s;
  if (slot.quarter < 0) return 0;
  plan_series(c, slot.first_day, &c->sp);
  if (!series_starts(c, zm, slot.first_day, slot.quarter, c->sp.last, starts)) return 0;
  return c->sp.last + 1;
}

static void explain(int fails, int had_slot, char *out) {
  const char *why;
  if (!had_slot) {
    why = "their weekly availability shares no slot as long as a meeting that works in every "
          "week of the program, once time zones and clock changes are applied";
  } else if (fails == FAIL_MENTOR_BUSY) {
    why = "every common weekly slot is taken by the mentor's other meetings";
  } else if (fails == FAIL_MENTEE_BUSY) {
    why = "every common weekly slot is taken by the mentee's own meetings as a mentor";
  } else if (fails == (FAIL_MENTOR_BUSY | FAIL_MENTEE_BUSY)) {
    why = "every common weekly slot is taken by other meetings of the mentor or the mentee";
  } else {
    why = "no common weekly slot stays inside both people's availability on every meeting "
          "date, or the free ones are taken by other meetings";
  }
  snprintf(out, 256, "%s", why);
}

/* Order of placement: mentors with the most mentees first, then by index.
 * The keys travel with the pair index so qsort needs no shared state. */
typedef struct {
  int pinned;         /* a kept pair's slot: placed before everyone else */
  size_t load, mentor, mentee, pair;
  size_t group, rank; /* people-connected group, position in the first order */
  int flex;           /* candidate starts (packing mode places the fewest first) */
} order_key;

static int cmp_order(const void *a, const void *b) {
  const order_key *x = a, *y = b;
  if (x->pinned != y->pinned) return x->pinned > y->pinned ? -1 : 1;
  if (x->load != y->load) return x->load > y->load ? -1 : 1;
  if (x->mentor != y->mentor) return x->mentor < y->mentor ? -1 : 1;
  if (x->mentee != y->mentee) return x->mentee < y->mentee ? -1 : 1;
  return x->pair < y->pair ? -1 : x->pair > y->pair;
}

static int cmp_group(const void *a, const void *b) {
  const order_key *x = a, *y = b;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int cmp_flex(const void *a, const void *b) {
  const order_key *x = a, *y = b;
  if (x->pinned != y->pinned) return x->pinned > y->pinned ? -1 : 1;
  if (x->flex != y->flex) return x->flex < y->flex ? -1 : 1;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static size_t find_root(size_t *parent, size_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/* Places a group's pairs in the given order; when hint is given, the
 * hinted pairs first at their hints, then the others as usual.  Returns
 * how many were placed, or -1 when memory is short. */
static long place_group(ctx *c, const order_key *keys, size_t n, const mm_pair *pairs,
                        const mm_slot *hint, choice *chosen, int *fails) {
  long placed = 0;
  for (int pass = 0; pass < (hint ? 2 : 1); pass++) {
    for (size_t x = 0; x < n; x++) {
      size_t k = keys[x].pair;
      int hinted = hint && hint[k].quarter >= 0;
      if (hint && hinted != (pass == 0)) continue;
      fails[k] = 0;
      int r = hinted ? place_at(c, &pairs[k], hint[k], &chosen[k], &fails[k])
                     : place_pair(c, &pairs[k], &chosen[k], &fails[k]);
      if (r < 0) return -1;
      placed += r;
    }
  }
  return placed;
}

/* Forgets a group's placements; its people's diaries hold nothing else. */
static void reset_group(ctx *c, const order_key *keys, size_t n, const mm_pair *pairs,
                        choice *chosen) {
  for (size_t x = 0; x < n; x++) {
    size_t k = keys[x].pair;
    c->busy[c->people->of_mentor[pairs[k].mentor]].n = 0;
    c->busy[c->people->of_mentee[pairs[k].mentee]].n = 0;
    chosen[k].scheduled = 0;
  }
}

/* Notes a group this call placed whole with the comfort preferences, for
 * rebook_group in the next call. */
static void remember_group(ctx *c, const order_key *keys, size_t n, const choice *chosen) {
  if (!c->memo_on) return;
  for (size_t x = 0; x < n; x++)
    c->memo[keys[x].mentee] = (remembered){chosen[keys[x].pair].slot, keys[x].mentor, keys[0].group, n, c->call};
}

/* When the last call placed this very group (the same pairs, no more, no
 * fewer) whole with the comfort preferences, books the slots it chose.
 * Those preferences, the order within a group and its diaries depend on
 * nothing but its pairs, so placing it again would choose the same slots
 * (the fit's schedule of the blind optimum is such a last call for every
 * group the fit left as it was).  1 booked, 0 not such a group, -1 when
 * memory is short. */
static int rebook_group(ctx *c, const order_key *keys, size_t n, const mm_pair *pairs, choice *chosen,
                        int *fails) {
  if (!c->memo_on || c->call < 2) return 0;
  size_t group = c->memo[keys[0].mentee].group;
  for (size_t x = 0; x < n; x++) {
    const remembered *m = &c->memo[keys[x].mentee];
    if (m->call != c->call - 1 || m->group != group || m->size != n || m->mentor != keys[x].mentor) return 0;
  }
  const mm_problem *p = c->p;
  for (size_t x = 0; x < n; x++) {
    const mm_pair *pr = &pairs[keys[x].pair];
    mm_slot slot = c->memo[pr->mentee].slot;
    /* The series existed when it was placed: its starts come out again. */
    plan_series(c, slot.first_day, &c->sp);
    series_starts(c, &p->zones[p->side[MM_MENTOR].zone[pr->mentor]], slot.first_day, slot.quarter, c->sp.last,
                  c->starts);
    if (!book(c, c->people->of_mentor[pr->mentor], c->people->of_mentee[pr->mentee])) return -1;
    chosen[keys[x].pair] = (choice){slot, 1};
    fails[keys[x].pair] = 0;
  }
  return 1;
}

mm_slotter *mm_slotter_create(const mm_problem *p, const mm_people *people, mm_error *e) {
  ctx *c = calloc(1, sizeof *c);
  if (!c) goto nomem;
  size_t n_mentors = p->side[MM_MENTOR].n;
  c->p = p;
  c->people = people;
  c->interval_days = 7 * mm_options_interval_weeks(&p->opt);
  c->slots = mm_frame_meeting_slots(p);
  c->n_listed_max = mm_options_last_index(&p->opt);
  c->start_day = mm_days_from_civil(p->opt.start_year, p->opt.start_month, p->opt.start_day);
  /* Meetings start on quarter hours, so a buffer acts as the next whole quarter. */
  int buffer_slots = mm_frame_buffer_slots(p);
  c->busy_s = (int64_t)(c->slots + buffer_slots) * SLOT_S;
  if (c->n_listed_max >= MAX_LISTED) {
    free(c);
    mm_error_set(e, "checkpoints", "expected series of at most %d occurrences", MAX_LISTED);
    return NULL;
  }
  c->busy = calloc(people->n ? people->n : 1, sizeof *c->busy);
  c->mentor_mask = malloc((n_mentors ? n_mentors : 1) * sizeof *c->mentor_mask);
  c->mentor_mask_done = calloc(n_mentors ? n_mentors : 1, 1);
  c->starts = malloc(((size_t)c->n_listed_max + 1) * sizeof *c->starts);
  c->sp.listed = malloc((size_t)c->n_listed_max + 1);
  if (c->busy && c->mentor_mask && c->mentor_mask_done && c->starts && c->sp.listed) return c;
  mm_slotter_free(c);
nomem:
  mm_error_set(e, NULL, "out of memory scheduling meetings");
  return NULL;
}

void mm_slotter_free(mm_slotter *c) {
  if (!c) return;
  if (c->busy)
    for (size_t k = 0; k < c->people->n; k++) free(c->busy[k].v);
  free(c->busy);
  free(c->mentor_mask);
  free(c->mentor_mask_done);
  free(c->starts);
  free(c->sp.listed);
  free(c->memo);
  free(c);
}

/* Pairs that share nobody cannot disturb each other, so each group of pairs
 * linked through people is placed on its own: first with the comfort
 * preferences; if that leaves a pair out for lack of free time, again in
 * packing mode (most constrained pair first, earliest time), then at the
 * hints; the most pairs placed wins, earlier modes on ties.  A group the
 * last call placed whole with the comfort preferences is booked as it was
 * (rebook_group) unless hints come first.  Returns 0 when memory is short. */
static int place_groups(ctx *c, order_key *order, size_t n_pairs, const mm_pair *pairs,
                        const mm_slot *hint, choice *chosen, int *fails, order_key *scratch) {
  for (size_t a = 0, b; a < n_pairs; a = b) {
    for (b = a + 1; b < n_pairs && order[b].group == order[a].group; b++) continue;
    size_t n = b - a;
    c->pack = 0;
    if (hint && c->hints_first) {
      long at_hints = place_group(c, order + a, n, pairs, hint, chosen, fails);
      if (at_hints < 0) return 0;
      if ((size_t)at_hints == n) continue;
      reset_group(c, order + a, n, pairs, chosen);
    } else {
      int again = rebook_group(c, order + a, n, pairs, chosen, fails);
      if (again < 0) return 0;
      if (again) {
        remember_group(c, order + a, n, chosen);
        continue;
      }
    }
    long best = place_group(c, order + a, n, pairs, NULL, chosen, fails);
    if (best < 0) return 0;
    if ((size_t)best == n) {
      remember_group(c, order + a, n, chosen);
      continue;
    }
    int busy_failure = 0;
    for (size_t x = a; x < b; x++) busy_failure |= fails[order[x].pair] & (FAIL_MENTOR_BUSY | FAIL_MENTEE_BUSY);
    if (!busy_failure) continue;
    int mode = 0;
    for (size_t x = a; x < b; x++) {
      mm_week w;
      mm_frame_pair_starts(c->p, order[x].mentee, order[x].mentor, &w);
      scratch[x - a] = order[x];
      scratch[x - a].flex = mm_week_count(&w);
    }
    qsort(scratch, n, sizeof *scratch, cmp_flex);
    for (int try = 1; try <= (hint ? 2 : 1); try++) {
      reset_group(c, order + a, n, pairs, chosen);
      c->pack = try == 1;
      long placed = try == 1 ? place_group(c, scratch, n, pairs, NULL, chosen, fails)
                             : place_group(c, order + a, n, pairs, hint, chosen, fails);
      if (placed < 0) return 0;
      if (placed > best) {
        best = placed;
        mode = try;
      }
    }
    if (mode == (hint ? 2 : 1)) continue;
    reset_group(c, order + a, n, pairs, chosen);
    c->pack = mode == 1;
    if (place_group(c, mode == 1 ? scratch : order + a, n, pairs, NULL, chosen, fails) < 0) return 0;
  }
  c->pack = 0;
  return 1;
}

/* Groups pairs by the people they link (union-find over persons), each
 * group keeping the busiest-mentor-first order. */
static int group_pairs(const ctx *c, const mm_pair *pairs, size_t n_pairs, order_key *order) {
  size_t n_people = c->people->n;
  size_t n_mentors = c->p->side[MM_MENTOR].n;
  size_t *load = calloc(n_mentors ? n_mentors : 1, sizeof *load);
  size_t *parent = malloc((n_people ? n_people : 1) * sizeof *parent);
  size_t *group_of = malloc((n_people ? n_people : 1) * sizeof *group_of);
  int ok = load && parent && group_of;
  if (ok) {
    for (size_t k = 0; k < n_pairs; k++) load[pairs[k].mentor]++;
    for (size_t k = 0; k < n_pairs; k++)
      order[k] = (order_key){mm_problem_pin(c->p, pairs[k].mentee) >= 0, load[pairs[k].mentor], pairs[k].mentor,
                             pairs[k].mentee, k, 0, 0, 0};
    qsort(order, n_pairs, sizeof *order, cmp_order);
    for (size_t k = 0; k < n_people; k++) parent[k] = k;
    for (size_t k = 0; k < n_pairs; k++) {
      size_t a = find_root(parent, c->people->of_mentor[pairs[k].mentor]);
      size_t b = find_root(parent, c->people->of_mentee[pairs[k].mentee]);
      if (a != b) parent[a < b ? b : a] = a < b ? a : b;
    }
    for (size_t k = 0; k < n_people; k++) group_of[k] = SIZE_MAX;
    size_t n_groups = 0;
    for (size_t x = 0; x < n_pairs; x++) {
      size_t root = find_root(parent, c->people->of_mentor[order[x].mentor]);
      if (group_of[root] == SIZE_MAX) group_of[root] = n_groups++;
      order[x].group = group_of[root];
      order[x].rank = x;
    }
    qsort(order, n_pairs, sizeof *order, cmp_group);
  }
  free(load);
  free(parent);
  free(group_of);
  return ok;
}

/* Writes the chosen series out as pair fields and occurrences. */
static mm_status write_series(ctx *c, mm_pair *pairs, size_t n_pairs, const choice *chosen,
                              mm_occurrence **occ_out, size_t *n_occ_out) {
  const mm_problem *p = c->p;
  series_plan *sp = &c->sp;
  size_t n_occ = 0;
  for (size_t k = 0; k < n_pairs; k++) {
    if (!chosen[k].scheduled) continue;
    plan_series(c, chosen[k].slot.first_day, sp);
    for (int i = 0; i <= sp->last; i++) n_occ += sp->listed[i] != 0;
  }
  mm_occurrence *occ = malloc((n_occ ? n_occ : 1) * sizeof *occ);
  if (!occ) return MM_ERR_NOMEM;
  size_t at = 0;
  int interval_weeks = mm_options_interval_weeks(&p->opt);
  for (size_t k = 0; k < n_pairs; k++) {
    mm_pair *pr = &pairs[k];
    pr->interval_weeks = interval_weeks;
    pr->first_occurrence = at;
    pr->n_occurrences = 0;
    pr->scheduled = chosen[k].scheduled;
    if (!pr->scheduled) {
      pr->slot_weekday = pr->slot_minute = pr->mentee_weekday = pr->mentee_minute = 0;
      continue;
    }
    const mm_zone *zm = &p->zones[p->side[MM_MENTOR].zone[pr->mentor]];
    const mm_zone *ze = &p->zones[p->side[MM_MENTEE].zone[pr->mentee]];
    int32_t loc_m = p->side[MM_MENTOR].location[pr->mentor];
    int32_t loc_e = p->side[MM_MENTEE].location[pr->mentee];
    int same_place = loc_m != MM_NONE && loc_m >= 0 && loc_m == loc_e;
    mm_slot slot = chosen[k].slot;
    plan_series(c, slot.first_day, sp);
    series_starts(c, zm, slot.first_day, slot.quarter, sp->last, c->starts);
    for (int i = 0; i <= sp->last; i++) {
      if (!sp->listed[i]) continue;
      mm_occurrence *o = &occ[at++];
      o->index = i;
      o->kind = sp->listed[i] == 2 ? MM_KIND_CHECKPOINT : MM_KIND_MEETING;
      o->start_utc = c->starts[i];
      o->end_utc = c->starts[i] + (int64_t)c->slots * SLOT_S;
      o->mentor_offset_s = mm_zone_offset_at(zm, o->start_utc);
      o->mentee_offset_s = mm_zone_offset_at(ze, o->start_utc);
      o->in_person = i == 0 && same_place;
      pr->n_occurrences++;
    }
    pr->slot_weekday = (int)(((slot.first_day + 3) % 7 + 7) % 7);
    pr->slot_minute = slot.quarter * MM_SLOT_MINUTES;
    int mentee_slot = week_slot(c->starts[0] + mm_zone_offset_at(ze, c->starts[0]));
    pr->mentee_weekday = mentee_slot / MM_SLOTS_PER_DAY;
    pr->mentee_minute = mentee_slot % MM_SLOTS_PER_DAY * MM_SLOT_MINUTES;
  }
  *occ_out = occ;
  *n_occ_out = at;
  return MM_OK;
}

mm_status mm_schedule_pairs(mm_slotter *c, mm_pair *pairs, size_t n_pairs, const mm_slot *hint,
                            mm_slot *chosen_out, mm_occurrence **occ_out, size_t *n_occ_out,
                            char (*reasons)[256], mm_error *e) {
  *occ_out = NULL;
  *n_occ_out = 0;
  const mm_problem *p = c->p;
  for (size_t k = 0; k < n_pairs; k++) {
    if (pairs[k].mentee >= p->side[MM_MENTEE].n || pairs[k].mentor >= p->side[MM_MENTOR].n) {
      mm_error_set(e, NULL, "pair %zu names a person who is not in the rosters", k);
      return MM_ERR_INVALID;
    }
  }
  for (size_t k = 0; k < c->people->n; k++) c->busy[k].n = 0;
  /* The memo is per mentee (made on the first call: the diaries' slotters
   * never schedule pairs): callers list pairs by mentee, each once. */
  size_t n_mentees = p->side[MM_MENTEE].n;
  if (!c->memo) c->memo = calloc(n_mentees ? n_mentees : 1, sizeof *c->memo);
  c->call++;
  c->memo_on = 1;
  for (size_t k = 1; k < n_pairs; k++) c->memo_on &= pairs[k].mentee > pairs[k - 1].mentee;
  mm_status st = MM_OK;
  order_key *order = malloc((n_pairs ? n_pairs : 1) * sizeof *order);
  order_key *scratch = malloc((n_pairs ? n_pairs : 1) * sizeof *scratch);
  choice *chosen = calloc(n_pairs ? n_pairs : 1, sizeof *chosen);
  int *fails = calloc(n_pairs ? n_pairs : 1, sizeof *fails);
  if (!c->memo || !order || !scratch || !chosen || !fails || !group_pairs(c, pairs, n_pairs, order) ||
      !place_groups(c, order, n_pairs, pairs, hint, chosen, fails, scratch) ||
      write_series(c, pairs, n_pairs, chosen, occ_out, n_occ_out) != MM_OK) {
    mm_error_set(e, NULL, "out of memory scheduling meetings");
    st = MM_ERR_NOMEM;
    goto done;
  }
  for (size_t k = 0; k < n_pairs; k++) {
    if (chosen_out) chosen_out[k] = chosen[k].scheduled ? chosen[k].slot : (mm_slot){0, -1};
    if (chosen[k].scheduled || !reasons) continue;
    mm_week w;
    mm_frame_pair_starts(p, pairs[k].mentee, pairs[k].mentor, &w);
    explain(fails[k], mm_week_any(&w), reasons[k]);
  }
done:
  free(order);
  free(scratch);
  free(chosen);
  free(fails);
  return st;
}
