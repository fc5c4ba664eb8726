/* frame.c: availability of a pair seen in the mentor's local week.
 *
 * A meeting series is anchored in the mentor's zone: the same mentor-local
 * weekday and time every week (or every second or fourth week).  To decide
 * which such slots suit a pair once, for the whole program, the program
 * window is cut where either zone changes its clocks; within each stretch
 * the two zones' offset difference is one value, and the mentee's local
 * mask moved by it must hold at every mentor-local quarter hour that
 * happens during that stretch.  A stretch of a week or more reaches every
 * quarter of the week; a shorter one (the hour between two zones' changes
 * on the same night, the days before the first change) only the quarters
 * it holds.  So a slot that survives works on every date of the window,
 * whichever side changed its clocks, and a change at 2 a.m. on a Sunday
 * does not cost a pair its Monday.  The mentor's own mask loses the local
 * times that a clock change skips (spring forward) or repeats (fall back).
 * Both the scorer's time-zone criterion and the scheduler read
 * availability through mm_frame_pair_starts, so they always agree.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define SLOT_SECONDS (MM_SLOT_MINUTES * 60)

/* Inserts v into the ascending distinct list d[0..*n) of capacity max. */
static void insert_distinct(int32_t *d, size_t *n, size_t max, int32_t v) {
  size_t k = 0;
  while (k < *n && d[k] < v) k++;
  if (k < *n && d[k] == v) return;
  if (*n == max) return;
  memmove(d + k + 1, d + k, (*n - k) * sizeof *d);
  d[k] = v;
  (*n)++;
}

/* Seconds to quarter hours, rounded down and up (offsets are multiples of
 * 900 s by registration, so either gives their exact count). */
static int64_t slot_floor(int64_t seconds) {
  return seconds >= 0 ? seconds / SLOT_SECONDS : -((-seconds + SLOT_SECONDS - 1) / SLOT_SECONDS);
}

static int64_t slot_ceil(int64_t seconds) {
  return -slot_floor(-seconds);
}

/* The offset difference of zones a and b at t, in quarter hours. */
static int32_t delta_at(const mm_zone *za, const mm_zone *zb, int64_t t) {
  return (int32_t)slot_floor(mm_zone_offset_at(za, t) - mm_zone_offset_at(zb, t));
}

/* The instants in (from, to) where zone a or zone b changes its offset,
 * ascending and distinct, at most max of them; returns their number. */
static size_t change_instants(const mm_zone *za, const mm_zone *zb, int64_t from, int64_t to, int64_t *at,
                              size_t max) {
  size_t n = 0;
  const mm_zone *both[2] = {za, zb};
  for (int s = 0; s < 2; s++) {
    for (size_t k = 0; k < both[s]->n_periods; k++) {
      int64_t t = both[s]->periods[k].at;
      if (t <= from || t >= to) continue;
      size_t q = 0;
      while (q < n && at[q] < t) q++;
      if ((q < n && at[q] == t) || n == max) continue;
      memmove(at + q + 1, at + q, (n - q) * sizeof *at);
      at[q] = t;
      n++;
    }
  }
  return n;
}

size_t mm_frame_deltas(const mm_problem *p, int zone_a, int zone_b, int32_t *delta, size_t max) {
  const mm_zone *za = &p->zones[zone_a], *zb = &p->zones[zone_b];
  size_t n = 0;
  if (max == 0) return 0;
  /* The difference can only change where either zone changes. */
  int64_t at[64];
  size_t n_at = change_instants(za, zb, p->window_from, p->window_to, at, 64);
  insert_distinct(delta, &n, max, delta_at(za, zb, p->window_from));
  for (size_t k = 0; k < n_at; k++) insert_distinct(delta, &n, max, delta_at(za, zb, at[k]));
  return n;
}

/* The week slot of quarter s of a local timeline counted in slots since
 * 1970-01-01 00:00 local (a Thursday). */
static int week_slot_of(int64_t s) {
  int64_t day = s >= 0 ? s / MM_SLOTS_PER_DAY : -((-s + MM_SLOTS_PER_DAY - 1) / MM_SLOTS_PER_DAY);
  int weekday = (int)(((day + 3) % 7 + 7) % 7);
  return weekday * MM_SLOTS_PER_DAY + (int)(s - day * MM_SLOTS_PER_DAY);
}

/* Sets the week slots [lo, hi), 0 <= lo <= hi <= MM_SLOTS_PER_WEEK, a word
 * at a time (this runs for every mentee row and mentor zone). */
static void set_range(mm_week *m, int lo, int hi) {
  while (lo < hi) {
    int w = lo / 64, b = lo % 64, n = hi - lo < 64 - b ? hi - lo : 64 - b;
    m->w[w] |= (n == 64 ? ~UINT64_C(0) : ((UINT64_C(1) << n) - 1)) << b;
    lo += n;
  }
}

/* The quarters of zone z's local week that happen during [a, b), an
 * interval in which z keeps one offset: all of them from a week on. */
static void quarters_during(const mm_zone *z, int64_t a, int64_t b, mm_week *out) {
  memset(out, 0, sizeof *out);
  int64_t off = mm_zone_offset_at(z, a), lo = a + off, hi = b + off;
  int64_t first = slot_floor(lo), last = slot_ceil(hi);
  if (last - first >= MM_SLOTS_PER_WEEK) {
    set_range(out, 0, MM_SLOTS_PER_WEEK);
    return;
  }
  int start = week_slot_of(first), end = start + (int)(last - first);
  set_range(out, start, end < MM_SLOTS_PER_WEEK ? end : MM_SLOTS_PER_WEEK);
  if (end > MM_SLOTS_PER_WEEK) set_range(out, 0, end - MM_SLOTS_PER_WEEK);
}

/* A local mask of zone `from` seen in zone `to`'s local frame, kept only
 * where it holds on every date of the window: each quarter under the offset
 * difference of every stretch between clock changes that it happens in. */
static void frame_in(const mm_problem *p, const mm_week *local, int from, int to, mm_week *out) {
  const mm_zone *zf = &p->zones[from], *zt = &p->zones[to];
  int64_t cut[66];
  size_t n = 1 + change_instants(zf, zt, p->window_from, p->window_to, cut + 1, 64);
  cut[0] = p->window_from;
  cut[n++] = p->window_to;
  memset(out, 0, sizeof *out);
  set_range(out, 0, MM_SLOTS_PER_WEEK);
  for (size_t k = 0; k + 1 < n; k++) {
    /* From-local = to-local + d, so slot s of the frame reads bit s + d. */
    int32_t d = delta_at(zf, zt, cut[k]);
    mm_week moved, during;
    mm_week_rotate(local, -d, &moved);
    quarters_during(zt, cut[k], cut[k + 1], &during);
    for (int w = 0; w < MM_WEEK_WORDS; w++) out->w[w] &= moved.w[w] | ~during.w[w];
  }
}

void mm_frame_mentee_in(const mm_problem *p, size_t mentee, int mentor_zone, mm_week *out) {
  frame_in(p, &p->side[MM_MENTEE].avail[mentee], p->side[MM_MENTEE].zone[mentee], mentor_zone, out);
}

/* Clears the week slots [first, last) of a local timeline counted in slots
 * since 1970-01-01 00:00 local (a Thursday). */
static void clear_local_slots(mm_week *m, int64_t first, int64_t last) {
  for (int64_t s = first; s < last; s++) {
    int slot = week_slot_of(s);
    m->w[slot / 64] &= ~(UINT64_C(1) << (slot % 64));
  }
}

void mm_frame_mentor_mask(const mm_problem *p, size_t mentor, mm_week *out) {
  *out = p->side[MM_MENTOR].avail[mentor];
  const mm_zone *z = &p->zones[p->side[MM_MENTOR].zone[mentor]];
  for (size_t k = 1; k < z->n_periods; k++) {
    int64_t at = z->periods[k].at;
    int32_t before = z->periods[k - 1].offset_s, after = z->periods[k].offset_s;
    if (at <= p->window_from || at >= p->window_to || after == before) continue;
    /* Local times [at + before, at + after) never happen that day (clocks
     * go forward), or [at + after, at + before) happen twice (clocks go
     * back: calendar readers differ on which of the two a wall-clock time
     * means, see schedule.c); round outwards so a partly affected quarter
     * is dropped too, and drop the quarter before, so that no meeting ends
     * at the change either (libical adds a length to the local start, which
     * is an hour off across a change, whether the end is DTEND or
     * DURATION). */
    int64_t lo = at + (after > before ? before : after) - SLOT_SECONDS, hi = at + (after > before ? after : before);
    clear_local_slots(out, slot_floor(lo), slot_ceil(hi));
  }
}

int mm_frame_meeting_slots(const mm_problem *p) {
  return p->opt.meeting_minutes / MM_SLOT_MINUTES;
}

int mm_frame_buffer_slots(const mm_problem *p) {
  return (p->opt.buffer_minutes + MM_SLOT_MINUTES - 1) / MM_SLOT_MINUTES;
}

void mm_frame_pair_starts(const mm_problem *p, size_t mentee, size_t mentor, mm_week *out) {
  mm_week in, own;
  mm_frame_mentee_in(p, mentee, p->side[MM_MENTOR].zone[mentor], &in);
  mm_frame_mentor_mask(p, mentor, &own);
  mm_week_and(&in, &own);
  mm_week_starts(&in, mm_frame_meeting_slots(p), out);
}

/* A mentor's series are anchored in the mentor's local week, and the
 * meetings of one person must be a buffer apart, so a run of L free
 * quarter hours holds at most (L + buffer) / (meeting + buffer) weekly
 * series.  Series that meet in no week may share a weekly time: with a
 * cadence of 2 or 4 weeks, or a single listed occurrence, first dates in
 * the first and the second week (the only ones a series can have) never
 * meet, hence the factor 2 there.  m is the mentor's hours in its local
 * week that a meeting can use. */
static int capacity_of_hours(const mm_problem *p, const mm_week *m) {
  int len = mm_frame_meeting_slots(p);
  int buffer = mm_frame_buffer_slots(p);
  int gap = -1; /* a slot outside the availability, where runs can start */
  for (int s = 0; s < MM_SLOTS_PER_WEEK && gap < 0; s++)
    if (!mm_week_test(m, s)) gap = s;
  int weekly = 0;
  if (gap < 0) {
    weekly = MM_SLOTS_PER_WEEK / (len + buffer);
  } else {
    int run = 0;
    for (int k = 1; k <= MM_SLOTS_PER_WEEK; k++) {
      if (mm_week_test(m, (gap + k) % MM_SLOTS_PER_WEEK)) {
        run++;
      } else {
        weekly += (run + buffer) / (len + buffer);
        run = 0;
      }
    }
  }
  int alternate = mm_options_interval_weeks(&p->opt) > 1 || mm_options_last_index(&p->opt) == 0;
  return weekly * (alternate ? 2 : 1);
}

/* Every meeting of mentor j lies inside j's own slots (mm_frame_mentor_mask)
 * and inside its mentee's week seen in j's zone.  The union of all
 * mentees' weeks of one zone, seen in j's zone (kept where it holds under
 * every offset difference), contains each of its mentees' weeks seen there
 * (a slot kept for one mentee is set in the union under every difference),
 * so the OR over zones of these holds every hour any pair of j can use,
 * and the runs of (own slots AND that) bound j's series as above.  Zones
 * are combined once per mentor zone. */
int mm_frame_hour_capacities(const mm_problem *p, int32_t *out) {
  size_t n_zones = p->n_zones;
  mm_week *by_zone = calloc(n_zones ? n_zones : 1, sizeof *by_zone);
  mm_week *reach = calloc(n_zones ? n_zones : 1, sizeof *reach);
  uint8_t *has = calloc(n_zones ? n_zones : 1, 1), *done = calloc(n_zones ? n_zones : 1, 1);
  int ok = by_zone && reach && has && done;
  const mm_side_data *E = &p->side[MM_MENTEE], *M = &p->side[MM_MENTOR];
  for (size_t i = 0; ok && i < E->n; i++) {
    has[E->zone[i]] = 1;
    for (int w = 0; w < MM_WEEK_WORDS; w++) by_zone[E->zone[i]].w[w] |= E->avail[i].w[w];
  }
  for (size_t j = 0; ok && j < M->n; j++) {
    int zm = M->zone[j];
    for (size_t z = 0; !done[zm] && z < n_zones; z++) {
      if (!has[z]) continue;
      mm_week seen;
      frame_in(p, &by_zone[z], (int)z, zm, &seen);
      for (int w = 0; w < MM_WEEK_WORDS; w++) reach[zm].w[w] |= seen.w[w];
    }
    done[zm] = 1;
    mm_week usable;
    mm_frame_mentor_mask(p, j, &usable);
    mm_week_and(&usable, &reach[zm]);
    out[j] = capacity_of_hours(p, &usable);
  }
  free(by_zone);
  free(reach);
  free(has);
  free(done);
  return ok;
}
