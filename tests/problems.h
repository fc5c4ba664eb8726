/* problems.h: small problems built in memory for the unit tests: zones, a seeded generator, weekly rings.
 *
 * Several unit tests build their own problems instead of reading rosters:
 * the scheduling tests with real zones from the system tz database, the
 * brute-force tests (test_fit, test_rules_calendar) with zones of fixed
 * offsets, random people from a seeded generator, and their own diaries as
 * rings of the week's 672 quarter hours.  These pieces were written out in
 * each test; here they have one home.  Header only, like check.h (whose
 * counters are per test), so each test stays one file; include check.h
 * and internal.h first.
 */
#ifndef MM_TEST_PROBLEMS_H
#define MM_TEST_PROBLEMS_H

#include "tzdb.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- zones --------------------------------------------------------------- */

/* Adds the system tz database's zone name, over the problem's window, and
 * returns its index (-1, with a failed check, when it cannot). */
static inline int tp_zone(mm_problem *p, const char *name) {
  mm_zone_period *per;
  size_t n;
  mm_error e;
  mm_error_clear(&e);
  if (io_zone_lookup(name, p->window_from, p->window_to, &per, &n, &e) != MM_OK) {
    fprintf(stderr, "zone %s: %s\n", name, e.message);
    CHECK(0);
    return -1;
  }
  int z = mm_problem_add_zone(p, name, per, n, &e);
  free(per);
  CHECK_GE(z, 0);
  return z;
}

/* Adds zones "Z0".."Z(n-1)" with the fixed UTC offsets offsets_min[]
 * (minutes), as indexes 0..n-1: every weekly series in them is the same
 * UTC quarter hours each week. */
static inline void tp_fixed_zones(mm_problem *p, const int *offsets_min, int n) {
  mm_error e;
  for (int z = 0; z < n; z++) {
    char name[16];
    snprintf(name, sizeof name, "Z%d", z);
    mm_zone_period per = {INT64_MIN / 4, offsets_min[z] * 60};
    CHECK_EQ(mm_problem_add_zone(p, name, &per, 1, &e), z);
  }
}

/* Options for a program that starts on Monday 2027-03-01, on one thread. */
static inline void tp_march_options(mm_options *o) {
  mm_options_init(o);
  o->start_year = 2027;
  o->start_month = 3;
  o->start_day = 1;
  o->threads = 1;
}

/* ---- a seeded generator ---------------------------------------------------- */

static uint64_t tp_rng_state;

/* A number in 0..n-1 (n > 0); the same sequence for the same tp_rng_state. */
static inline uint32_t tp_rnd(uint32_t n) {
  tp_rng_state = tp_rng_state * 6364136223846793005u + 1442695040888963407u;
  return (uint32_t)(tp_rng_state >> 33) % n;
}

/* ---- weekly rings of quarter hours ------------------------------------------ */

#define TP_RING MM_SLOTS_PER_WEEK

/* The quarter of the week (0 = Monday 00:00) holding instant t, in the
 * frame t is given in. */
static inline int tp_week_quarter(int64_t t) {
  int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int weekday = (int)(((day + 3) % 7 + 7) % 7);
  return weekday * 96 + (int)((t - day * 86400) / 900);
}

/* Whether len quarters from the UTC ring quarter utc lie in week w, seen
 * from a zone offset_q quarters from UTC. */
static inline int tp_week_fits(const mm_week *w, int offset_q, int utc, int len) {
  for (int q = 0; q < len; q++)
    if (!mm_week_test(w, ((utc + q + offset_q) % TP_RING + TP_RING) % TP_RING)) return 0;
  return 1;
}

/* Whether quarters t..t+len-1 (round the week) are free in ring. */
static inline int tp_ring_free(const uint8_t *ring, int t, int len) {
  for (int q = 0; q < len; q++)
    if (ring[(t + q) % TP_RING]) return 0;
  return 1;
}

/* Sets quarters t..t+len-1 of ring to v.  Two busy rings [a, a + len) and
 * [t, t + len) meet iff either holds the other's start, so marking one and
 * testing the other's whole length is the clash test. */
static inline void tp_ring_mark(uint8_t *ring, int t, int len, uint8_t v) {
  for (int q = 0; q < len; q++) ring[(t + q) % TP_RING] = v;
}

#endif
