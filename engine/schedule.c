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
 * is what makes biweekly and monthly series collide correctly.
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
/* Listed indices are at most mm_options_last_index: 52 first meetings or a
 * checkpoint at day 366, weekly. */
#define MAX_LISTED 64

typedef struct {
  int64_t s, e;
} interval;

typedef struct {
  interval *v;
  size_t n, cap;
} busy_list;

/* What one pair settled on, kept until the occurrences are written out. */
typedef struct {
  int64_t first_day; /* mentor-local date of occurrence 0, days since 1970 */
  int quarter;       /* mentor-local quarter of the day */
  int scheduled;
} choice;

typedef struct {
  int quarter, core, same;
} candidate;

/* Everything about the series of one date that does not depend on the time. */
typedef struct {
  int last;        /* highest listed index */
  uint8_t *listed; /* [0..last]: 1 meeting, 2 checkpoint */
} series_plan;

typedef struct {
  const mm_problem *p;
  int interval_days, slots, n_listed_max;
  int64_t start_day;
  busy_list *busy; /* per person: mentors first, then mentees not also mentors */
  size_t *person_of_mentee;
  mm_week *mentor_mask;
  uint8_t *mentor_mask_done;
  int64_t *starts;  /* scratch: occurrence starts of the candidate */
  int pack;         /* packing mode: earliest time only, no comfort preferences */
} ctx;

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

/* UTC instant of a local wall-clock time; the earlier one when the time
 * happens twice, 0 when it does not happen at all. */
static int local_to_utc(const mm_zone *z, int64_t local, int64_t *out) {
  int found = 0;
  for (size_t k = 0; k < z->n_periods; k++) {
    const mm_zone_period *pd = &z->periods[k];
    if (k + 1 < z->n_periods && z->periods[k + 1].at <= local - MAX_OFFSET_S) continue;
    if (pd->at > local + MAX_OFFSET_S && k > 0) break;
    int64_t t = local - pd->offset_s;
    if ((k == 0 || t >= pd->at) && (k + 1 == z->n_periods || t < z->periods[k + 1].at)) {
      if (!found || t < *out) *out = t;
      found = 1;
    }
  }
  return found;
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

/* Starts of occurrences 0..last of the slot; 0 when one does not exist. */
static int series_starts(const ctx *c, const mm_zone *zm, int64_t first_day, int quarter, int last,
                         int64_t *starts) {
  for (int k = 0; k <= last; k++) {
    int64_t local = (first_day + (int64_t)k * c->interval_days) * 86400 + (int64_t)quarter * SLOT_S;
    if (!local_to_utc(zm, local, &starts[k])) return 0;
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

/* Tries one pair; returns 1 when placed, 0 when not (with *fails set), -1
 * when memory is short. */
static int place_pair(ctx *c, const mm_pair *pr, series_plan *sp, choice *ch, int *fails) {
  const mm_problem *p = c->p;
  size_t ti = pr->mentee, tj = pr->mentor;
  const mm_zone *zm = &p->zones[p->side[MM_MENTOR].zone[tj]];
  int ze_index = p->side[MM_MENTEE].zone[ti];
  const mm_zone *ze = &p->zones[ze_index];
  const mm_week *own = mentor_mask(c, tj);
  mm_week in, both, starts;
  mm_frame_mentee_in(p, ti, p->side[MM_MENTOR].zone[tj], &in);
  both = in;
  mm_week_and(&both, own);
  mm_week_starts(&both, c->slots, &starts);
  int32_t pin = mm_problem_pin(p, ti);
  if (pin >= 0) {
    /* A kept pair meets when it always has, or not at all. */
    bool free_then = mm_week_test(&starts, pin);
    memset(&starts, 0, sizeof starts);
    if (free_then) mm_week_set(&starts, pin);
  }
  if (!mm_week_any(&starts)) return 0;
  int32_t deltas[4];
  int drift = mm_frame_deltas(p, ze_index, p->side[MM_MENTOR].zone[tj], deltas, 4) > 1;
  size_t pm = tj, pe = c->person_of_mentee[ti];
  int64_t len = (int64_t)c->slots * SLOT_S;
  candidate cand[MM_SLOTS_PER_DAY];
  for (int64_t day = c->start_day; day < c->start_day + 14; day++) {
    int weekday = (int)(((day + 3) % 7 + 7) % 7);
    int n = 0;
    uint64_t todo[2];
    day_bits(&starts, weekday, todo);
    for (int half = 0; half < 2; half++) {
      while (todo[half]) {
        int q = half * 64 + __builtin_ctzll(todo[half]);
        todo[half] &= todo[half] - 1;
        int s = weekday * MM_SLOTS_PER_DAY + q;
        /* This date is the slot's first date when it is the first one on or
         * after the start in both calendars; the mentee's date can only lag
         * the mentor's by up to 28 hours, so only two dates need the test. */
        int64_t off = day - c->start_day;
        int first;
        if (off < 7) {
          first = off >= 2 || mentee_date_ok(c, zm, ze, day, q);
        } else {
          first = off - 7 < 2 && !mentee_date_ok(c, zm, ze, day - 7, q);
        }
        if (!first) continue;
        cand[n].quarter = q;
        cand[n].core = core_score(own, &in, s, c->slots);
        cand[n].same = 1;
        n++;
      }
    }
    if (n == 0) continue;
    plan_series(c, day, sp);
    if (drift) {
      /* Same local time for the mentee in every listed occurrence: the
       * offset difference is the same at each of them.  On a date with no
       * clock change near it the difference is one value for every time of
       * day, so only dates next to a change are worked out per candidate. */
      int32_t fixed[MAX_LISTED];
      uint8_t varies[MAX_LISTED];
      for (int x = 0; x <= sp->last; x++) {
        if (!sp->listed[x]) continue;
        int64_t mid = (day + (int64_t)x * c->interval_days) * 86400;
        varies[x] = change_near(zm, mid) || change_near(ze, mid);
        fixed[x] = mm_zone_offset_at(ze, mid) - mm_zone_offset_at(zm, mid);
      }
      for (int k = 0; k < n; k++) {
        int32_t d0 = 0;
        int seen = 0;
        for (int x = 0; x <= sp->last && cand[k].same; x++) {
          if (!sp->listed[x]) continue;
          int32_t d = fixed[x];
          if (varies[x]) {
            int64_t t, local = (day + (int64_t)x * c->interval_days) * 86400 +
                               (int64_t)cand[k].quarter * SLOT_S;
            if (!local_to_utc(zm, local, &t)) {
              cand[k].same = 0;
              break;
            }
            d = mm_zone_offset_at(ze, t) - mm_zone_offset_at(zm, t);
          }
          if (seen && d != d0) cand[k].same = 0;
          d0 = d;
          seen = 1;
        }
      }
    }
    for (int a = 1; a < n; a++) {
      candidate v = cand[a];
      int b = a;
      while (b > 0 && cmp_candidate(&v, &cand[b - 1], c->pack) < 0) {
        cand[b] = cand[b - 1];
        b--;
      }
      cand[b] = v;
    }
    for (int k = 0; k < n; k++) {
      int q = cand[k].quarter;
      /* A busy first occurrence rules the slot out before the series is
       * worked out: that is how most slots of a full diary fail. */
      int64_t t0;
      if (local_to_utc(zm, day * 86400 + (int64_t)q * SLOT_S, &t0)) {
        if (busy_overlaps(&c->busy[pm], t0, t0 + len)) {
          *fails |= FAIL_MENTOR_BUSY;
          continue;
        }
        if (pe != pm && busy_overlaps(&c->busy[pe], t0, t0 + len)) {
          *fails |= FAIL_MENTEE_BUSY;
          continue;
        }
      }
      if (!series_starts(c, zm, day, q, sp->last, c->starts)) {
        *fails |= FAIL_AVAIL;
        continue;
      }
      int ok = 1;
      for (int x = 0; x <= sp->last && ok; x++) {
        if (!sp->listed[x]) continue;
        ok = available(zm, &p->side[MM_MENTOR].avail[tj], c->starts[x], c->slots) &&
             available(ze, &p->side[MM_MENTEE].avail[ti], c->starts[x], c->slots);
      }
      if (!ok) {
        *fails |= FAIL_AVAIL;
        continue;
      }
      for (int x = 0; x <= sp->last && ok; x++) {
        int64_t s = c->starts[x];
        if (busy_overlaps(&c->busy[pm], s, s + len)) {
          *fails |= FAIL_MENTOR_BUSY;
          ok = 0;
        } else if (pe != pm && busy_overlaps(&c->busy[pe], s, s + len)) {
          *fails |= FAIL_MENTEE_BUSY;
          ok = 0;
        }
      }
      if (!ok) continue;
      if (!busy_add(&c->busy[pm], c->starts, sp->last + 1, len)) return -1;
      if (pe != pm && !busy_add(&c->busy[pe], c->starts, sp->last + 1, len)) return -1;
      ch->first_day = day;
      ch->quarter = q;
      ch->scheduled = 1;
      return 1;
    }
  }
  return 0;
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

/* Places a group's pairs in the given order; returns how many were placed,
 * or -1 when memory is short. */
static long place_group(ctx *c, const order_key *keys, size_t n, const mm_pair *pairs,
                        series_plan *sp, choice *chosen, int *fails) {
  long placed = 0;
  for (size_t x = 0; x < n; x++) {
    size_t k = keys[x].pair;
    fails[k] = 0;
    int r = place_pair(c, &pairs[k], sp, &chosen[k], &fails[k]);
    if (r < 0) return -1;
    placed += r;
  }
  return placed;
}

/* Forgets a group's placements; its people's diaries hold nothing else. */
static void reset_group(ctx *c, const order_key *keys, size_t n, const mm_pair *pairs,
                        choice *chosen) {
  for (size_t x = 0; x < n; x++) {
    size_t k = keys[x].pair;
    c->busy[pairs[k].mentor].n = 0;
    c->busy[c->person_of_mentee[pairs[k].mentee]].n = 0;
    chosen[k].scheduled = 0;
  }
}

mm_status mm_schedule_pairs(const mm_problem *p, mm_pair *pairs, size_t n_pairs,
                            mm_occurrence **occ_out, size_t *n_occ_out, char (*reasons)[256],
                            mm_error *e) {
  *occ_out = NULL;
  *n_occ_out = 0;
  size_t n_mentors = p->side[MM_MENTOR].n, n_mentees = p->side[MM_MENTEE].n;
  ctx c;
  memset(&c, 0, sizeof c);
  c.p = p;
  c.interval_days = 7 * mm_options_interval_weeks(&p->opt);
  c.slots = mm_frame_meeting_slots(p);
  c.n_listed_max = mm_options_last_index(&p->opt);
  c.start_day = mm_days_from_civil(p->opt.start_year, p->opt.start_month, p->opt.start_day);
  if (c.n_listed_max >= MAX_LISTED) {
    mm_error_set(e, "checkpoints", "expected series of at most %d occurrences", MAX_LISTED);
    return MM_ERR_INVALID;
  }
  for (size_t k = 0; k < n_pairs; k++) {
    if (pairs[k].mentee >= n_mentees || pairs[k].mentor >= n_mentors) {
      mm_error_set(e, NULL, "pair %zu names a person who is not in the rosters", k);
      return MM_ERR_INVALID;
    }
  }
  mm_status st = MM_OK;
  size_t n_people = n_mentors + n_mentees;
  c.busy = calloc(n_people ? n_people : 1, sizeof *c.busy);
  c.person_of_mentee = malloc((n_mentees ? n_mentees : 1) * sizeof *c.person_of_mentee);
  c.mentor_mask = malloc((n_mentors ? n_mentors : 1) * sizeof *c.mentor_mask);
  c.mentor_mask_done = calloc(n_mentors ? n_mentors : 1, 1);
  c.starts = malloc(((size_t)c.n_listed_max + 1) * sizeof *c.starts);
  size_t *load = calloc(n_mentors ? n_mentors : 1, sizeof *load);
  order_key *order = malloc((n_pairs ? n_pairs : 1) * sizeof *order);
  choice *chosen = calloc(n_pairs ? n_pairs : 1, sizeof *chosen);
  series_plan sp = {0, malloc((size_t)c.n_listed_max + 1)};
  size_t *parent = malloc((n_people ? n_people : 1) * sizeof *parent);
  size_t *group_of = malloc((n_people ? n_people : 1) * sizeof *group_of);
  order_key *scratch = malloc((n_pairs ? n_pairs : 1) * sizeof *scratch);
  int *fails = calloc(n_pairs ? n_pairs : 1, sizeof *fails);
  mm_occurrence *occ = NULL;
  if (!c.busy || !c.person_of_mentee || !c.mentor_mask || !c.mentor_mask_done || !c.starts ||
      !load || !order || !chosen || !sp.listed || !parent || !group_of || !scratch || !fails)
    goto nomem;
  /* Someone listed on both sides (same id) is one person with one diary. */
  for (size_t i = 0; i < n_mentees; i++) {
    int32_t j = p->ids[MM_MENTOR].n ? mm_dict_find_exact(&p->ids[MM_MENTOR], p->side[MM_MENTEE].id[i])
                                    : -1;
    c.person_of_mentee[i] = j >= 0 && (size_t)j < n_mentors ? (size_t)j : n_mentors + i;
  }
  for (size_t k = 0; k < n_pairs; k++) load[pairs[k].mentor]++;
  for (size_t k = 0; k < n_pairs; k++)
    order[k] = (order_key){mm_problem_pin(p, pairs[k].mentee) >= 0, load[pairs[k].mentor], pairs[k].mentor,
                           pairs[k].mentee, k, 0, 0, 0};
  qsort(order, n_pairs, sizeof *order, cmp_order);

  /* Pairs that share nobody cannot disturb each other, so each group of
   * pairs linked through people is placed on its own: first with the comfort
   * preferences; if that leaves a pair out for lack of free time, again in
   * packing mode (most constrained pair first, earliest time), and the mode
   * that places more pairs wins (ties: the comfortable one). */
  for (size_t k = 0; k < n_people; k++) parent[k] = k;
  for (size_t k = 0; k < n_pairs; k++) {
    size_t a = find_root(parent, pairs[k].mentor);
    size_t b = find_root(parent, c.person_of_mentee[pairs[k].mentee]);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
  }
  for (size_t k = 0; k < n_people; k++) group_of[k] = SIZE_MAX;
  size_t n_groups = 0;
  for (size_t x = 0; x < n_pairs; x++) {
    size_t root = find_root(parent, order[x].mentor);
    if (group_of[root] == SIZE_MAX) group_of[root] = n_groups++;
    order[x].group = group_of[root];
    order[x].rank = x;
  }
  qsort(order, n_pairs, sizeof *order, cmp_group);
  for (size_t a = 0, b; a < n_pairs; a = b) {
    for (b = a + 1; b < n_pairs && order[b].group == order[a].group; b++) continue;
    size_t n = b - a;
    c.pack = 0;
    long pref = place_group(&c, order + a, n, pairs, &sp, chosen, fails);
    if (pref < 0) goto nomem;
    int busy_failure = 0;
    for (size_t x = a; x < b; x++)
      busy_failure |= fails[order[x].pair] & (FAIL_MENTOR_BUSY | FAIL_MENTEE_BUSY);
    if ((size_t)pref == n || !busy_failure) continue;
    reset_group(&c, order + a, n, pairs, chosen);
    for (size_t x = a; x < b; x++) {
      mm_week w;
      mm_frame_pair_starts(p, order[x].mentee, order[x].mentor, &w);
      scratch[x - a] = order[x];
      scratch[x - a].flex = mm_week_count(&w);
    }
    qsort(scratch, n, sizeof *scratch, cmp_flex);
    c.pack = 1;
    long pack = place_group(&c, scratch, n, pairs, &sp, chosen, fails);
    if (pack < 0) goto nomem;
    if (pack > pref) continue;
    reset_group(&c, order + a, n, pairs, chosen);
    c.pack = 0;
    if (place_group(&c, order + a, n, pairs, &sp, chosen, fails) < 0) goto nomem;
  }

  size_t n_occ = 0;
  for (size_t k = 0; k < n_pairs; k++) {
    if (chosen[k].scheduled) {
      plan_series(&c, chosen[k].first_day, &sp);
      for (int i = 0; i <= sp.last; i++) n_occ += sp.listed[i] != 0;
    } else if (reasons) {
      mm_week w;
      mm_frame_pair_starts(p, pairs[k].mentee, pairs[k].mentor, &w);
      explain(fails[k], mm_week_any(&w), reasons[k]);
    }
  }

  occ = malloc((n_occ ? n_occ : 1) * sizeof *occ);
  if (!occ) goto nomem;
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
    plan_series(&c, chosen[k].first_day, &sp);
    series_starts(&c, zm, chosen[k].first_day, chosen[k].quarter, sp.last, c.starts);
    for (int i = 0; i <= sp.last; i++) {
      if (!sp.listed[i]) continue;
      mm_occurrence *o = &occ[at++];
      o->index = i;
      o->kind = sp.listed[i] == 2 ? MM_KIND_CHECKPOINT : MM_KIND_MEETING;
      o->start_utc = c.starts[i];
      o->end_utc = c.starts[i] + (int64_t)c.slots * SLOT_S;
      o->mentor_offset_s = mm_zone_offset_at(zm, o->start_utc);
      o->mentee_offset_s = mm_zone_offset_at(ze, o->start_utc);
      o->in_person = i == 0 && same_place;
      pr->n_occurrences++;
    }
    int weekday = (int)(((chosen[k].first_day + 3) % 7 + 7) % 7);
    pr->slot_weekday = weekday;
    pr->slot_minute = chosen[k].quarter * MM_SLOT_MINUTES;
    int mentee_slot = week_slot(c.starts[0] + mm_zone_offset_at(ze, c.starts[0]));
    pr->mentee_weekday = mentee_slot / MM_SLOTS_PER_DAY;
    pr->mentee_minute = mentee_slot % MM_SLOTS_PER_DAY * MM_SLOT_MINUTES;
  }
  *occ_out = occ;
  *n_occ_out = at;
  occ = NULL;
  goto done;
nomem:
  mm_error_set(e, NULL, "out of memory scheduling meetings");
  st = MM_ERR_NOMEM;
done:
  free(occ);
  if (c.busy)
    for (size_t k = 0; k < n_people; k++) free(c.busy[k].v);
  free(c.busy);
  free(c.person_of_mentee);
  free(c.mentor_mask);
  free(c.mentor_mask_done);
  free(c.starts);
  free(load);
  free(order);
  free(chosen);
  free(sp.listed);
  free(parent);
  free(group_of);
  free(scratch);
  free(fails);
  return st;
}
