/* test_schedule.c: first-meeting scheduling (engine/schedule.c) on real zones.
 *
 * Each scenario builds a small problem with zones from the system tz
 * database, schedules hand-made pairs and then checks the result by a
 * separate, deliberately plain path: every quarter hour of every listed
 * occurrence is converted to each person's local time with
 * mm_zone_offset_at and looked up bit by bit in their weekly mask; series
 * spacing, first dates, checkpoints and double booking are recomputed from
 * the occurrences alone.
 */
#include "check.h"
#include "internal.h"
#include "problems.h"
#include "schedule.h"
#include "tzdb.h"

#include <stdlib.h>
#include <time.h>

/* Checkpoints off keeps the window short (scenarios about the first weeks). */
static int no_checkpoints;

static mm_problem *problem(int y, int m, int d, mm_cadence cadence, int minutes) {
  mm_options o;
  mm_options_init(&o);
  if (no_checkpoints) o.n_checkpoints = 0;
  o.start_year = y;
  o.start_month = m;
  o.start_day = d;
  o.cadence = cadence;
  o.meeting_minutes = minutes;
  mm_error e;
  mm_problem *p = mm_problem_create(&o, &e);
  CHECK(p != NULL);
  return p;
}

static void person(mm_problem *p, mm_side side, const char *id, const char *zone_name,
                   const char *avail, const char *location) {
  mm_person x;
  mm_person_init(&x);
  x.id = id;
  x.zone = tp_zone(p, zone_name);
  x.capacity = 50;
  x.location = location;
  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(mm_availability_parse(avail, &x.availability, &e), MM_OK);
  CHECK_EQ(mm_problem_add_person(p, side, &x, &e), MM_OK);
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Is the person free for the whole meeting, by plain conversion? */
static int free_at(const mm_problem *p, mm_side side, size_t i, int64_t s, int64_t e) {
  const mm_zone *z = &p->zones[p->side[side].zone[i]];
  for (int64_t t = s; t < e; t += 900) {
    int64_t local = t + mm_zone_offset_at(z, t);
    int64_t day = floor_div(local, 86400);
    int weekday = (int)(((day + 3) % 7 + 7) % 7);
    int q = (int)((local - day * 86400) / 900);
    if (!mm_week_test(&p->side[side].avail[i], weekday * 96 + q)) return 0;
  }
  return 1;
}

typedef struct {
  mm_pair *pairs;
  size_t n;
  mm_occurrence *occ;
  size_t n_occ;
  char (*reasons)[256];
} run;

static run schedule(const mm_problem *p, const size_t (*pairs)[2], size_t n) {
  run r;
  r.n = n;
  r.pairs = calloc(n ? n : 1, sizeof *r.pairs);
  r.reasons = calloc(n ? n : 1, sizeof *r.reasons);
  for (size_t k = 0; k < n; k++) {
    r.pairs[k].mentee = pairs[k][0];
    r.pairs[k].mentor = pairs[k][1];
  }
  mm_error e;
  mm_error_clear(&e);
  mm_people people;
  CHECK_EQ(mm_people_build(p, &people, &e), MM_OK);
  mm_slotter *sl = mm_slotter_create(p, &people, &e);
  CHECK(sl != NULL);
  mm_status st = mm_schedule_pairs(sl, r.pairs, n, NULL, NULL, &r.occ, &r.n_occ, r.reasons, &e);
  mm_slotter_free(sl);
  mm_people_free(&people);
  CHECK_EQ(st, MM_OK);
  return r;
}

static void run_free(run *r) {
  free(r->pairs);
  free(r->occ);
  free(r->reasons);
}

/* Person key across sides: the id string. */
static const char *who(const mm_problem *p, mm_side side, size_t i) { return p->side[side].id[i]; }

/* Everything a schedule must satisfy, checked the plain way. */
static void verify(const mm_problem *p, const run *r) {
  const mm_options *o = &p->opt;
  int64_t start_day = mm_days_from_civil(o->start_year, o->start_month, o->start_day);
  int interval = mm_options_interval_weeks(o);
  size_t total = 0;
  for (size_t k = 0; k < r->n; k++) {
    const mm_pair *pr = &r->pairs[k];
    if (!pr->scheduled) {
      CHECK_EQ(pr->n_occurrences, 0);
      CHECK(r->reasons[k][0] != '\0');
      continue;
    }
    CHECK_EQ(pr->interval_weeks, interval);
    CHECK_EQ(pr->first_occurrence, total);
    total += pr->n_occurrences;
    CHECK_LE(total, r->n_occ);
    if (total > r->n_occ) return;
    const mm_zone *zm = &p->zones[p->side[MM_MENTOR].zone[pr->mentor]];
    const mm_zone *ze = &p->zones[p->side[MM_MENTEE].zone[pr->mentee]];
    const mm_occurrence *oc = &r->occ[pr->first_occurrence];
    int64_t first_local_day = 0;
    int checkpoints = 0;
    for (size_t x = 0; x < pr->n_occurrences; x++) {
      const mm_occurrence *c = &oc[x];
      CHECK_EQ(c->end_utc - c->start_utc, o->meeting_minutes * 60);
      CHECK(free_at(p, MM_MENTOR, pr->mentor, c->start_utc, c->end_utc));
      CHECK(free_at(p, MM_MENTEE, pr->mentee, c->start_utc, c->end_utc));
      CHECK_EQ(c->mentor_offset_s, mm_zone_offset_at(zm, c->start_utc));
      CHECK_EQ(c->mentee_offset_s, mm_zone_offset_at(ze, c->start_utc));
      if (x > 0) CHECK_GT(c->index, oc[x - 1].index);
      CHECK(c->in_person == 0 || c->index == 0);
      /* Mentor-local weekday and time are the slot's, on the series' date. */
      int64_t local = c->start_utc + c->mentor_offset_s;
      int64_t day = floor_div(local, 86400);
      CHECK_EQ((local - day * 86400) / 60, pr->slot_minute);
      CHECK_EQ(((day + 3) % 7 + 7) % 7, pr->slot_weekday);
      if (x == 0) {
        CHECK_EQ(c->index, 0);
        first_local_day = day;
        CHECK_GE(day, start_day);
        int64_t le = c->start_utc + c->mentee_offset_s;
        int64_t de = floor_div(le, 86400);
        CHECK_GE(de, start_day);
        CHECK_EQ(((de + 3) % 7 + 7) % 7, pr->mentee_weekday);
        CHECK_EQ((le - de * 86400) / 60, pr->mentee_minute);
        /* pairings.csv shows the first meeting in each person's local time
         * as its start and length: neither clock changes until it is over. */
        CHECK_EQ(mm_zone_offset_at(zm, c->end_utc), c->mentor_offset_s);
        CHECK_EQ(mm_zone_offset_at(ze, c->end_utc), c->mentee_offset_s);
      }
      CHECK_EQ(day, first_local_day + (int64_t)c->index * 7 * interval);
      if (c->kind == MM_KIND_CHECKPOINT) checkpoints++;
    }
    /* Each checkpoint day marks the occurrence nearest to it. */
    int want = 0;
    int marked[64] = {0};
    for (int cp = 0; cp < o->n_checkpoints; cp++) {
      int64_t target = start_day + o->checkpoint_days[cp];
      int best = 0;
      for (int i = 1; i < 60; i++) {
        int64_t di = first_local_day + (int64_t)i * 7 * interval - target;
        int64_t db = first_local_day + (int64_t)best * 7 * interval - target;
        if ((di < 0 ? -di : di) < (db < 0 ? -db : db)) best = i;
      }
      if (!marked[best]) want++;
      marked[best] = 1;
      int found = 0;
      for (size_t x = 0; x < pr->n_occurrences; x++)
        if (oc[x].index == best) found = oc[x].kind == MM_KIND_CHECKPOINT;
      CHECK(found);
    }
    CHECK_EQ(checkpoints, want);
    /* First meetings 0 .. first_meetings-1 are all listed. */
    for (int i = 0; i < o->first_meetings; i++) CHECK_EQ(oc[i].index, i);
  }
  CHECK_EQ(total, r->n_occ);
  /* Nobody in two listed meetings at once (a person is an id on either side). */
  int clashes = 0;
  for (size_t a = 0; a < r->n; a++) {
    for (size_t b = a + 1; b < r->n; b++) {
      const mm_pair *x = &r->pairs[a], *y = &r->pairs[b];
      const char *px[2] = {who(p, MM_MENTOR, x->mentor), who(p, MM_MENTEE, x->mentee)};
      const char *py[2] = {who(p, MM_MENTOR, y->mentor), who(p, MM_MENTEE, y->mentee)};
      int shared = 0;
      for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) shared |= strcmp(px[i], py[j]) == 0;
      if (!shared) continue;
      for (size_t i = 0; i < x->n_occurrences; i++)
        for (size_t j = 0; j < y->n_occurrences; j++) {
          const mm_occurrence *u = &r->occ[x->first_occurrence + i];
          const mm_occurrence *v = &r->occ[y->first_occurrence + j];
          if (u->start_utc < v->end_utc && v->start_utc < u->end_utc) clashes++;
        }
    }
  }
  CHECK_EQ(clashes, 0);
}

/* US changes clocks on 14 March, Europe on 28 March 2027. */
static void test_dst_us_eu(void) {
  mm_problem *p = problem(2027, 3, 1, MM_CADENCE_WEEKLY, 60);
  person(p, MM_MENTOR, "ny", "America/New_York", "Mon-Fri 08:00-12:00", "NYC");
  person(p, MM_MENTOR, "ldn", "Europe/London", "Tue,Thu 13:00-17:00", "London");
  person(p, MM_MENTEE, "ber", "Europe/Berlin", "Mon-Fri 13:00-18:00", "Berlin");
  person(p, MM_MENTEE, "chi", "America/Chicago", "Mon-Fri 08:00-12:00", "London");
  const size_t pairs[][2] = {{0, 0}, {1, 1}};
  run r = schedule(p, pairs, 2);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  CHECK(r.pairs[1].scheduled);
  /* Berlin 13:00-18:00 is New York 07:00-12:00 (6 h) or 08:00-13:00 (5 h):
   * 08:00-12:00 holds in both; first date Monday 1 March. */
  CHECK_EQ(r.pairs[0].slot_weekday, 0);
  CHECK_EQ(r.n_occ, 3 + 3 + 3 + 3);
  /* The core-hours preference keeps the meeting off the window edges. */
  CHECK_GE(r.pairs[0].slot_minute, 8 * 60 + 30);
  CHECK_LE(r.pairs[0].slot_minute, 10 * 60 + 30);
  /* Different locations: never in person; same location: the first one. */
  for (size_t k = 0; k < r.pairs[0].n_occurrences; k++) CHECK_EQ(r.occ[k].in_person, 0);
  if (r.pairs[1].scheduled) CHECK_EQ(r.occ[r.pairs[1].first_occurrence].in_person, 1);
  run_free(&r);
  mm_problem_free(p);
}

/* Australia leaves daylight time on 4 April 2027; Brazil has no DST. */
static void test_southern(void) {
  mm_problem *p = problem(2027, 3, 22, MM_CADENCE_WEEKLY, 45);
  person(p, MM_MENTOR, "syd", "Australia/Sydney", "Mon-Fri 07:00-10:00", "");
  person(p, MM_MENTOR, "adl", "Australia/Adelaide", "Wed 08:00-11:30", "");
  person(p, MM_MENTEE, "sao", "America/Sao_Paulo", "Sun-Thu 18:00-22:00", "");
  person(p, MM_MENTEE, "lon", "Europe/London", "Tue 21:00-24:00; Wed 00:00-02:00", "");
  const size_t pairs[][2] = {{0, 0}, {1, 1}};
  run r = schedule(p, pairs, 2);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  CHECK(r.pairs[1].scheduled);
  run_free(&r);
  mm_problem_free(p);
}

/* Half-hour and 45-minute zones, and St John's (-03:30) with DST. */
static void test_half_hours(void) {
  mm_problem *p = problem(2027, 3, 8, MM_CADENCE_WEEKLY, 30);
  person(p, MM_MENTOR, "kol", "Asia/Kolkata", "Mon-Fri 18:30-21:00", "Pune");
  person(p, MM_MENTOR, "ktm", "Asia/Kathmandu", "Mon-Fri 09:00-12:00", "Kathmandu");
  person(p, MM_MENTEE, "stj", "America/St_Johns", "Mon-Fri 09:00-12:30", "Pune");
  person(p, MM_MENTEE, "adl", "Australia/Adelaide", "Mon-Fri 13:00-16:00", "Kathmandu");
  const size_t pairs[][2] = {{0, 0}, {1, 1}};
  run r = schedule(p, pairs, 2);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  CHECK(r.pairs[1].scheduled);
  /* Same location: the first meeting is in person, later ones are not. */
  if (r.pairs[0].scheduled) {
    CHECK_EQ(r.occ[r.pairs[0].first_occurrence].in_person, 1);
    CHECK_EQ(r.occ[r.pairs[0].first_occurrence + 1].in_person, 0);
  }
  /* Kathmandu 09:00 = Adelaide 14:15 (+10:30) or 13:45 (+9:30 from 4 April). */
  if (r.pairs[1].scheduled) CHECK_EQ(r.pairs[1].slot_minute % 15, 0);
  run_free(&r);
  mm_problem_free(p);
}

/* A mentor with five mentees and room for four one-hour meetings a week. */
static void test_capacity(void) {
  mm_problem *p = problem(2027, 1, 4, MM_CADENCE_WEEKLY, 60);
  person(p, MM_MENTOR, "busy", "Europe/Paris", "Tue 09:00-13:00", "");
  person(p, MM_MENTEE, "a", "Europe/Paris", "Tue 09:00-13:00", "");
  person(p, MM_MENTEE, "b", "Europe/Lisbon", "Tue 08:00-12:00", "");
  person(p, MM_MENTEE, "c", "Africa/Lagos", "Tue 09:00-13:00", "");
  person(p, MM_MENTEE, "d", "Europe/Paris", "Tue 08:00-14:00", "");
  person(p, MM_MENTEE, "e", "Europe/Paris", "Tue 09:00-13:00", "");
  const size_t pairs[][2] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}};
  run r = schedule(p, pairs, 5);
  verify(p, &r);
  int placed = 0;
  for (size_t k = 0; k < 5; k++) placed += r.pairs[k].scheduled;
  CHECK_EQ(placed, 4);
  /* Ties go by index: the last mentee is the one left out, with a reason. */
  CHECK_EQ(r.pairs[4].scheduled, 0);
  CHECK_STR_EQ(r.reasons[4], "every common weekly slot is taken by the mentor's other meetings");
  run_free(&r);
  mm_problem_free(p);
}

/* "pat" mentors "kim" and is mentored by "lee": one diary for pat. */
static void test_both_sides(void) {
  mm_problem *p = problem(2027, 1, 4, MM_CADENCE_WEEKLY, 60);
  person(p, MM_MENTOR, "pat", "Europe/Berlin", "Wed 10:00-12:00", "");
  person(p, MM_MENTOR, "lee", "Europe/Berlin", "Wed 10:00-12:00", "");
  person(p, MM_MENTEE, "kim", "Europe/Berlin", "Wed 10:00-12:00", "");
  person(p, MM_MENTEE, "pat", "Europe/Berlin", "Wed 10:00-12:00", "");
  const size_t pairs[][2] = {{0, 0}, {1, 1}};
  run r = schedule(p, pairs, 2);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  CHECK(r.pairs[1].scheduled);
  CHECK_NE(r.pairs[0].slot_minute, r.pairs[1].slot_minute);
  run_free(&r);
  /* With room for one meeting only, the second pair cannot be placed and the
   * reason names the mentee's own meetings as a mentor. */
  mm_problem *q = problem(2027, 1, 4, MM_CADENCE_WEEKLY, 60);
  person(q, MM_MENTOR, "pat", "Europe/Berlin", "Wed 10:00-11:00", "");
  person(q, MM_MENTOR, "lee", "Europe/Berlin", "Wed 10:00-11:00", "");
  person(q, MM_MENTEE, "kim", "Europe/Berlin", "Wed 10:00-11:00", "");
  person(q, MM_MENTEE, "pat", "Europe/Berlin", "Wed 10:00-11:00", "");
  r = schedule(q, pairs, 2);
  verify(q, &r);
  CHECK_EQ(r.pairs[0].scheduled + r.pairs[1].scheduled, 1);
  CHECK_STR_CONTAINS(r.reasons[1], "mentee's own meetings");
  run_free(&r);
  mm_problem_free(p);
  mm_problem_free(q);
}

static void test_cadence(void) {
  const mm_cadence cadences[3] = {MM_CADENCE_WEEKLY, MM_CADENCE_BIWEEKLY, MM_CADENCE_MONTHLY};
  for (int c = 0; c < 3; c++) {
    mm_problem *p = problem(2027, 10, 11, cadences[c], 60);
    person(p, MM_MENTOR, "m", "America/Los_Angeles", "Mon-Fri 07:00-09:00", "");
    person(p, MM_MENTOR, "n", "America/Los_Angeles", "Thu 07:00-08:00", "");
    person(p, MM_MENTEE, "a", "Europe/Madrid", "Mon-Fri 15:00-18:00", "");
    person(p, MM_MENTEE, "b", "Europe/Madrid", "Mon-Fri 15:00-18:00", "");
    person(p, MM_MENTEE, "d", "Europe/Madrid", "Thu 15:00-18:00", "");
    person(p, MM_MENTEE, "f", "Europe/Madrid", "Thu 15:00-18:00", "");
    const size_t pairs[][2] = {{0, 0}, {1, 0}, {2, 1}, {3, 1}};
    run r = schedule(p, pairs, 4);
    verify(p, &r);
    CHECK(r.pairs[0].scheduled);
    CHECK(r.pairs[1].scheduled);
    CHECK(r.pairs[2].scheduled);
    /* One hour on Thursdays fits one series of n, whatever the cadence: a
     * slot's series starts on its first date, so two would collide. */
    CHECK_EQ(r.pairs[3].scheduled, 0);
    for (size_t k = 0; k < r.n_occ; k++) {
      int last = mm_options_last_index(&p->opt);
      CHECK_LE(r.occ[k].index, last);
    }
    run_free(&r);
    mm_problem_free(p);
  }
}

/* Mentor in Auckland, mentee in Los Angeles: Monday morning in Auckland is
 * still Sunday in Los Angeles, so a Monday slot starts a week later. */
static void test_start_in_both_calendars(void) {
  no_checkpoints = 1;
  mm_problem *p = problem(2027, 1, 4, MM_CADENCE_WEEKLY, 60);
  person(p, MM_MENTOR, "akl", "Pacific/Auckland", "Mon 09:00-10:00; Wed 09:00-10:00", "");
  person(p, MM_MENTEE, "lax", "America/Los_Angeles", "Sun 12:00-13:00; Tue 12:00-13:00", "");
  const size_t pairs[][2] = {{0, 0}};
  run r = schedule(p, pairs, 1);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  /* Wednesday 6 January (Tuesday 5 in LA) comes before Monday 11. */
  CHECK_EQ(r.pairs[0].slot_weekday, 2);
  CHECK_EQ(r.pairs[0].mentee_weekday, 1);
  run_free(&r);
  mm_problem_free(p);
  p = problem(2027, 1, 4, MM_CADENCE_WEEKLY, 60);
  person(p, MM_MENTOR, "akl", "Pacific/Auckland", "Mon 09:00-10:00", "");
  person(p, MM_MENTEE, "lax", "America/Los_Angeles", "Sun 12:00-13:00", "");
  r = schedule(p, pairs, 1);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  if (r.n_occ) {
    /* Monday 11 January in Auckland, Sunday 10 January in Los Angeles. */
    CHECK_EQ(r.occ[0].start_utc, io_days_from_civil(2027, 1, 10) * 86400 + 20 * 3600);
  }
  run_free(&r);
  mm_problem_free(p);
  no_checkpoints = 0;
}

/* Same local time preferred: US and EU change a fortnight apart in March. */
static void test_same_local_time(void) {
  no_checkpoints = 1;
  mm_problem *p = problem(2027, 3, 1, MM_CADENCE_WEEKLY, 60);
  no_checkpoints = 0;
  /* Monday 09:00-10:00 drifts for the mentee between 14 and 28 March; the
   * Tuesday slot has no listed occurrence there when checkpoints are off. */
  p->opt.first_meetings = 2;
  person(p, MM_MENTOR, "ny", "America/New_York", "Mon-Tue 09:00-10:00", "");
  person(p, MM_MENTEE, "par", "Europe/Paris", "Mon-Tue 14:00-16:00", "");
  const size_t pairs[][2] = {{0, 0}};
  run r = schedule(p, pairs, 1);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  CHECK_EQ(r.pairs[0].slot_minute, 9 * 60);
  CHECK_EQ(r.pairs[0].mentee_minute, 15 * 60);
  for (size_t k = 1; k < r.n_occ; k++) CHECK_EQ(r.occ[k].mentee_offset_s - r.occ[k].mentor_offset_s,
                                                r.occ[0].mentee_offset_s - r.occ[0].mentor_offset_s);
  run_free(&r);
  mm_problem_free(p);
}

/* Autumn: New York's 01:00-02:00 happens twice on 7 November 2027, and
 * calendar readers differ on which of the two a wall-clock start means, so
 * no series of the program starts, runs or ends in it (00:00-01:00 ends as
 * the hour repeats); 02:00-03:00 Sunday, after the change, is still there. */
static void test_fall_back(void) {
  static const char *const hours[] = {"Sun 01:00-02:00", "Sun 01:00-03:00", "Sun 00:30-01:30", "Sun 00:00-01:00"};
  static const int scheduled_at[] = {-1, 120, -1, -1};
  for (int x = 0; x < 4; x++) {
    no_checkpoints = 1;
    mm_problem *p = problem(2027, 11, 1, MM_CADENCE_WEEKLY, 60);
    no_checkpoints = 0;
    person(p, MM_MENTOR, "ny", "America/New_York", hours[x], "");
    person(p, MM_MENTEE, "utc", "UTC", "Sat-Mon 00:00-24:00", "");
    const size_t pairs[][2] = {{0, 0}};
    run r = schedule(p, pairs, 1);
    verify(p, &r);
    CHECK_EQ(r.pairs[0].scheduled, scheduled_at[x] >= 0);
    if (scheduled_at[x] >= 0) {
      CHECK_EQ(r.pairs[0].slot_minute, scheduled_at[x]);
      CHECK_EQ(r.n_occ, 3);
      if (r.n_occ == 3) {
        CHECK_EQ(r.occ[0].start_utc, io_days_from_civil(2027, 11, 7) * 86400 + 7 * 3600);
        CHECK_EQ(r.occ[1].start_utc, io_days_from_civil(2027, 11, 14) * 86400 + 7 * 3600);
      }
    }
    run_free(&r);
    mm_problem_free(p);
  }
}

/* Pacific/Chatham goes from +12:45 to +13:45 at 02:45 local on Sunday 26
 * September 2027.  Seen from UTC, the mentee's Sunday 02:00-05:00 holds
 * every week only Saturday 13:15-15:15 UTC; a first meeting at 13:15, 13:30
 * or 13:45 on 25 September would run 02:00-04:00, 02:15-04:15 or
 * 02:30-04:30 by the mentee's clock, so pairings.csv's "Sun 02:30-03:30"
 * would be wrong.  The series starts when the change is behind it: at 14:00
 * UTC that day (03:45 local) when the mentor is free then, else a week
 * later at 13:15 (03:00 local), not never. */
static void test_mentee_clock_change_in_first_meeting(void) {
  static const char *const mentor_hours[] = {"Sat 13:15-15:15", "Sat 13:15-14:30"};
  static const int want_day[] = {25, 2}, want_month[] = {9, 10}, want_minute[] = {14 * 60, 13 * 60 + 15};
  static const int want_mentee_minute[] = {3 * 60 + 45, 3 * 60};
  for (int x = 0; x < 2; x++) {
    no_checkpoints = 1;
    mm_problem *p = problem(2027, 9, 20, MM_CADENCE_WEEKLY, 60);
    no_checkpoints = 0;
    person(p, MM_MENTOR, "utc", "UTC", mentor_hours[x], "");
    person(p, MM_MENTEE, "cha", "Pacific/Chatham", "Sun 02:00-05:00", "");
    const size_t pairs[][2] = {{0, 0}};
    run r = schedule(p, pairs, 1);
    verify(p, &r);
    CHECK(r.pairs[0].scheduled);
    CHECK_EQ(r.pairs[0].slot_minute, want_minute[x]);
    CHECK_EQ(r.pairs[0].mentee_minute, want_mentee_minute[x]);
    if (r.n_occ > 0)
      CHECK_EQ(r.occ[0].start_utc, io_days_from_civil(2027, want_month[x], want_day[x]) * 86400 + want_minute[x] * 60);
    run_free(&r);
    mm_problem_free(p);
  }
}

/* Santiago goes from -04 to -03 at Saturday 24:00 local on 4 September
 * 2027 (04:00 UTC on Sunday 5 September).  A mentor in
 * UTC free Sunday 03:30-04:30 and a mentee free Saturday 22:00 to Sunday
 * 02:00: with the program starting Sunday 29 August, the mentee's Saturday
 * 28 August is before the start, so the first date is 5 September, whose
 * meeting the change cuts; the series starts on 12 September, in the
 * third week (it was lost when only two weeks were tried). */
static void test_first_date_in_third_week(void) {
  no_checkpoints = 1;
  mm_problem *p = problem(2027, 8, 29, MM_CADENCE_WEEKLY, 60);
  no_checkpoints = 0;
  person(p, MM_MENTOR, "utc", "UTC", "Sun 03:30-04:30", "");
  person(p, MM_MENTEE, "scl", "America/Santiago", "Sat 22:00-24:00; Sun 00:00-02:00", "");
  const size_t pairs[][2] = {{0, 0}};
  run r = schedule(p, pairs, 1);
  verify(p, &r);
  CHECK(r.pairs[0].scheduled);
  if (r.n_occ > 0) CHECK_EQ(r.occ[0].start_utc, io_days_from_civil(2027, 9, 12) * 86400 + 3 * 3600 + 1800);
  run_free(&r);
  mm_problem_free(p);
}

/* A larger random program: all invariants, plus a timing printout. */
static void test_many(void) {
  static const char *zones[] = {"America/New_York", "Europe/London",   "Asia/Kolkata",
                                "Australia/Sydney", "America/Sao_Paulo", "Asia/Tokyo",
                                "Europe/Berlin",    "America/Los_Angeles"};
  static const char *avails[] = {"Mon-Fri 09:00-17:00", "Mon-Fri 07:00-11:00; Sat 09:00-12:00",
                                 "Tue,Thu 12:00-20:00", "Mon-Sun 06:00-23:00",
                                 "Mon,Wed,Fri 16:00-22:00"};
  mm_problem *p = problem(2027, 3, 1, MM_CADENCE_BIWEEKLY, 60);
  const size_t n_mentors = 100, n_mentees = 300;
  char id[32];
  unsigned seed = 7;
  for (size_t j = 0; j < n_mentors; j++) {
    snprintf(id, sizeof id, "p%zu", j);
    seed = seed * 1103515245u + 12345u;
    person(p, MM_MENTOR, id, zones[(seed >> 16) % 8], avails[(seed >> 20) % 5], "");
  }
  for (size_t i = 0; i < n_mentees; i++) {
    /* Every tenth mentee is also a mentor (same id). */
    snprintf(id, sizeof id, "p%zu", i % 10 == 0 ? i / 10 + 50 : i + 1000);
    seed = seed * 1103515245u + 12345u;
    person(p, MM_MENTEE, id, zones[(seed >> 16) % 8], avails[(seed >> 20) % 5], "");
  }
  size_t (*pairs)[2] = malloc(n_mentees * sizeof *pairs);
  size_t n = 0;
  for (size_t i = 0; i < n_mentees; i++) {
    /* Give each mentee a mentor it can meet (the scorer guarantees this). */
    for (size_t t = 0; t < n_mentors; t++) {
      size_t j = (i * 7 + t) % n_mentors;
      mm_week w;
      mm_frame_pair_starts(p, i, j, &w);
      if (mm_week_any(&w) && strcmp(p->side[MM_MENTOR].id[j], p->side[MM_MENTEE].id[i]) != 0) {
        pairs[n][0] = i;
        pairs[n][1] = j;
        n++;
        break;
      }
    }
  }
  clock_t t0 = clock();
  run r = schedule(p, (const size_t(*)[2])pairs, n);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  verify(p, &r);
  size_t placed = 0;
  for (size_t k = 0; k < n; k++) placed += r.pairs[k].scheduled;
  printf("many: %zu of %zu pairs scheduled, %zu occurrences, %.3f s\n", placed, n, r.n_occ, secs);
  CHECK_GT(placed, n * 9 / 10);
  run_free(&r);
  free(pairs);
  mm_problem_free(p);
}

int main(void) {
  test_dst_us_eu();
  test_southern();
  test_half_hours();
  test_capacity();
  test_both_sides();
  test_cadence();
  test_start_in_both_calendars();
  test_same_local_time();
  test_fall_back();
  test_mentee_clock_change_in_first_meeting();
  test_first_date_in_third_week();
  test_many();
  return check_report("test_schedule");
}
