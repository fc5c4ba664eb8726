/* test_frame.c: a pair's availability in the mentor's frame (engine/frame.c, zone.c).
 *
 * Uses real zone data from the system tz database for spring 2027, when the
 * US, Europe and South Australia change clocks on three different dates, and
 * checks the offset differences, the moved mentee mask, the mentor's skipped
 * hour and the resulting meeting starts against values worked out by hand.
 */
#include "check.h"
#include "internal.h"
#include "problems.h"
#include "tzdb.h"

#include <stdlib.h>

static mm_problem *problem(int y, int m, int d) {
  mm_options o;
  mm_options_init(&o);
  o.start_year = y;
  o.start_month = m;
  o.start_day = d;
  mm_error e;
  mm_problem *p = mm_problem_create(&o, &e);
  CHECK(p != NULL);
  return p;
}

static void person(mm_problem *p, mm_side side, const char *id, int z, const char *avail) {
  mm_person x;
  mm_person_init(&x);
  x.id = id;
  x.zone = z;
  x.capacity = 3;
  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(mm_availability_parse(avail, &x.availability, &e), MM_OK);
  CHECK_EQ(mm_problem_add_person(p, side, &x, &e), MM_OK);
}

static void test_offset_at(void) {
  mm_zone_period per[3] = {{100, 0}, {200, 3600}, {300, 0}};
  mm_zone z = {"x", per, 3};
  CHECK_EQ(mm_zone_offset_at(&z, 50), 0);
  CHECK_EQ(mm_zone_offset_at(&z, 199), 0);
  CHECK_EQ(mm_zone_offset_at(&z, 200), 3600);
  CHECK_EQ(mm_zone_offset_at(&z, 299), 3600);
  CHECK_EQ(mm_zone_offset_at(&z, 300), 0);
  CHECK_EQ(mm_zone_offset_at(&z, 1000000), 0);
}

static void test_deltas(void) {
  mm_problem *p = problem(2027, 3, 1);
  int ny = tp_zone(p, "America/New_York"), lon = tp_zone(p, "Europe/London");
  int adl = tp_zone(p, "Australia/Adelaide"), kol = tp_zone(p, "Asia/Kolkata");
  int32_t d[8];
  /* New York minus London: -5 h, -4 h from 14 March, -5 h from 28 March. */
  size_t n = mm_frame_deltas(p, ny, lon, d, 8);
  CHECK_EQ(n, 2);
  CHECK_EQ(d[0], -20);
  CHECK_EQ(d[1], -16);
  n = mm_frame_deltas(p, lon, ny, d, 8);
  CHECK_EQ(n, 2);
  CHECK_EQ(d[0], 16);
  CHECK_EQ(d[1], 20);
  /* Adelaide minus London: 10:30, 9:30 from 28 March, 8:30 from 4 April. */
  n = mm_frame_deltas(p, adl, lon, d, 8);
  CHECK_EQ(n, 3);
  CHECK_EQ(d[0], 34);
  CHECK_EQ(d[1], 38);
  CHECK_EQ(d[2], 42);
  CHECK_EQ(mm_frame_deltas(p, adl, lon, d, 2), 2);
  n = mm_frame_deltas(p, kol, kol, d, 8);
  CHECK_EQ(n, 1);
  CHECK_EQ(d[0], 0);
  mm_problem_free(p);
}

static void test_masks(void) {
  mm_problem *p = problem(2027, 3, 1);
  int ny = tp_zone(p, "America/New_York"), lon = tp_zone(p, "Europe/London");
  person(p, MM_MENTOR, "m", ny, "Mon 08:00-13:00; Sun 01:00-04:00");
  person(p, MM_MENTEE, "e", lon, "Mon 14:00-18:00");
  /* London 14:00-18:00 is New York 09:00-13:00 (5 h) or 10:00-14:00 (4 h). */
  mm_week in;
  mm_frame_mentee_in(p, 0, ny, &in);
  CHECK_EQ(mm_week_count(&in), 12);
  CHECK(mm_week_test(&in, 10 * 4));
  CHECK(mm_week_test(&in, 13 * 4 - 1));
  CHECK(!mm_week_test(&in, 9 * 4 + 3));
  CHECK(!mm_week_test(&in, 13 * 4));
  /* 14 March is a Sunday: 02:00-03:00 does not exist in New York, and no
   * meeting may end at 02:00 either (the quarter before goes too). */
  mm_week own;
  mm_frame_mentor_mask(p, 0, &own);
  CHECK_EQ(mm_week_count(&own), 20 + 7);
  CHECK(mm_week_test(&own, 6 * 96 + 4 * 1));
  CHECK(mm_week_test(&own, 6 * 96 + 4 * 2 - 2));
  CHECK(!mm_week_test(&own, 6 * 96 + 4 * 2 - 1));
  CHECK(!mm_week_test(&own, 6 * 96 + 4 * 2));
  CHECK(!mm_week_test(&own, 6 * 96 + 4 * 3 - 1));
  CHECK(mm_week_test(&own, 6 * 96 + 4 * 3));
  mm_week starts;
  mm_frame_pair_starts(p, 0, 0, &starts);
  CHECK_EQ(mm_frame_meeting_slots(p), 4);
  CHECK_EQ(mm_week_count(&starts), 9); /* Mon 10:00 .. 12:00 */
  CHECK(mm_week_test(&starts, 40));
  CHECK(mm_week_test(&starts, 48));
  mm_problem_free(p);
}

/* Southern hemisphere: Sydney leaves daylight time on 4 April 2027. */
static void test_south(void) {
  mm_problem *p = problem(2027, 3, 22);
  int syd = tp_zone(p, "Australia/Sydney"), lon = tp_zone(p, "Europe/London");
  person(p, MM_MENTOR, "m", lon, "Mon-Fri 07:00-10:00");
  person(p, MM_MENTEE, "e", syd, "Mon-Fri 17:00-20:00");
  /* Sydney minus London: 11 h, 10 h from 28 March, 9 h from 4 April. */
  int32_t d[4];
  CHECK_EQ(mm_frame_deltas(p, syd, lon, d, 4), 3);
  mm_week in;
  mm_frame_mentee_in(p, 0, lon, &in);
  /* Sydney 17:00-20:00 = London 06:00-09:00, 07:00-10:00 or 08:00-11:00
   * (same weekday); only 08:00-09:00 holds under all three. */
  CHECK_EQ(mm_week_count(&in), 4 * 5);
  CHECK(mm_week_test(&in, 8 * 4));
  CHECK(!mm_week_test(&in, 9 * 4));
  mm_problem_free(p);
}

/* New York and Chicago both change at 02:00 local, an hour apart in UTC:
 * for that hour on Sunday 14 March 2027 they are 2 h apart, not 1 h.  That
 * hour holds only New York's Sunday 03:00-04:00, so the Monday slots stay
 * (a mask moved by both differences for the whole week lost them). */
static void test_short_stretch(void) {
  mm_problem *p = problem(2027, 3, 1);
  int ny = tp_zone(p, "America/New_York"), chi = tp_zone(p, "America/Chicago");
  person(p, MM_MENTOR, "m", ny, "Mon 10:00-11:00");
  person(p, MM_MENTEE, "e", chi, "Mon 09:00-10:00; Sun 02:00-06:00");
  mm_week in;
  mm_frame_mentee_in(p, 0, ny, &in);
  /* Monday: Chicago 09:00-10:00 is New York 10:00-11:00 every week. */
  for (int q = 0; q < 4; q++) CHECK(mm_week_test(&in, 10 * 4 + q));
  CHECK(!mm_week_test(&in, 9 * 4 + 3));
  CHECK(!mm_week_test(&in, 11 * 4));
  /* Sunday: New York 03:00-07:00, less 03:00-04:00 (Chicago 01:00-02:00 in that hour). */
  for (int q = 0; q < 4; q++) CHECK(!mm_week_test(&in, 6 * 96 + 3 * 4 + q));
  for (int q = 0; q < 12; q++) CHECK(mm_week_test(&in, 6 * 96 + 4 * 4 + q));
  CHECK_EQ(mm_week_count(&in), 4 + 12);
  mm_week starts;
  mm_frame_pair_starts(p, 0, 0, &starts);
  CHECK_EQ(mm_week_count(&starts), 1); /* Mon 10:00 */
  CHECK(mm_week_test(&starts, 40));
  mm_problem_free(p);
}

/* A program that starts the day after a change is judged on the new offset
 * only: the window's days before the start hold other weekdays. */
static void test_start_after_change(void) {
  mm_problem *p = problem(2027, 3, 29);
  int lon = tp_zone(p, "Europe/London"), kat = tp_zone(p, "Asia/Kathmandu");
  person(p, MM_MENTOR, "m", lon, "Mon 06:30-10:00");
  person(p, MM_MENTEE, "e", kat, "Mon 11:15-12:15");
  /* Kathmandu 11:15 is London 06:30 in summer time (4:45 apart). */
  mm_week starts;
  mm_frame_pair_starts(p, 0, 0, &starts);
  CHECK_EQ(mm_week_count(&starts), 1);
  CHECK(mm_week_test(&starts, 6 * 4 + 2));
  mm_problem_free(p);
}

int main(void) {
  test_offset_at();
  test_deltas();
  test_masks();
  test_south();
  test_short_stretch();
  test_start_after_change();
  return check_report("test_frame");
}
