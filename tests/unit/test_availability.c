/* test_availability.c: weekly availability text (engine/availability.c).
 *
 * Good inputs are compared slot by slot with the windows they name; every
 * error message a roster owner can see is checked word for word, and random
 * byte strings are fed through to show the parser never reads past the
 * end (run under the sanitizers).
 */
#include "check.h"
#include "internal.h"

#include <stdlib.h>

/* Mask of day set (bit d = day d) from..to minutes. */
static mm_week make(unsigned days, int from, int to) {
  mm_week m;
  memset(&m, 0, sizeof m);
  for (int d = 0; d < 7; d++)
    if (days >> d & 1u)
      for (int q = from / 15; q < to / 15; q++) mm_week_set(&m, d * 96 + q);
  return m;
}

static void add(mm_week *m, const mm_week *b) {
  for (int w = 0; w < MM_WEEK_WORDS; w++) m->w[w] |= b->w[w];
}

static int parses_to(const char *text, const mm_week *want) {
  mm_week got;
  mm_error e;
  mm_error_clear(&e);
  if (mm_availability_parse(text, &got, &e) != MM_OK) {
    fprintf(stderr, "  \"%s\": %s\n", text, e.message);
    return 0;
  }
  return memcmp(&got, want, sizeof got) == 0;
}

static void test_good(void) {
  mm_week w = make(0x1f, 9 * 60, 17 * 60);
  CHECK(parses_to("Mon-Fri 09:00-17:00", &w));
  CHECK(parses_to("  mon - FRI   9:00 - 17:00  ", &w));
  CHECK(parses_to("Monday-Friday 09:00-17:00", &w));
  CHECK(parses_to("Weekdays 09:00-17:00", &w));
  CHECK(parses_to("Mon,Tue,Wed,Thu,Fri 09:00-17:00;", &w));
  CHECK(parses_to("Mon-Wed,Thu , Fri 09:00-17:00", &w));
  CHECK_EQ(mm_week_count(&w), 5 * 32);
  CHECK(mm_week_test(&w, 36));
  CHECK(mm_week_test(&w, 67));
  CHECK(!mm_week_test(&w, 68));

  mm_week x = make(0x0a, 14 * 60, 16 * 60 + 30), sat = make(0x20, 10 * 60, 12 * 60);
  add(&x, &sat);
  CHECK(parses_to("Tue,Thu 14:00-16:30; Sat 10:00-12:00", &x));
  CHECK(parses_to("tues,thurs 14:00-16:30;sat 10:00-12:00", &x));

  /* Wrapping range Fri-Mon = Fri, Sat, Sun, Mon. */
  mm_week wrap = make(0x71, 8 * 60, 9 * 60);
  CHECK(parses_to("Fri-Mon 08:00-09:00", &wrap));
  /* 24:00 as an end; two ranges for one day list. */
  mm_week late = make(0x40, 22 * 60, 24 * 60), am = make(0x40, 6 * 60, 7 * 60 + 45);
  add(&late, &am);
  CHECK(parses_to("Sun 06:00-07:45, 22:00-24:00", &late));
  mm_week all = make(0x7f, 0, 24 * 60);
  CHECK(parses_to("Daily 00:00-24:00", &all));
  CHECK_EQ(mm_week_count(&all), MM_SLOTS_PER_WEEK);
  /* Overlapping windows simply merge. */
  mm_week m = make(0x01, 9 * 60, 12 * 60);
  CHECK(parses_to("Mon 09:00-11:00; Mon 10:00-12:00", &m));
}

static void expect_error(const char *text, const char *message) {
  mm_week got;
  mm_error e;
  mm_error_clear(&e);
  mm_status st = mm_availability_parse(text, &got, &e);
  CHECK_EQ(st, MM_ERR_PARSE);
  CHECK_STR_EQ(e.field, "availability");
  CHECK_STR_EQ(e.message, message);
}

static void test_errors(void) {
  expect_error("Mon 9am-5pm", "expected HH:MM, got \"9am\"");
  expect_error("Mon 09:10-10:00", "expected a time on a 15-minute step, got \"09:10\"");
  expect_error("Mon 17:00-09:00", "expected an end after the start, got \"17:00-09:00\" (a window cannot cross "
                                  "midnight: end it at 24:00 and go on from 00:00 the next day)");
  expect_error("Fri 22:00-02:00", "expected an end after the start, got \"22:00-02:00\" (a window cannot cross "
                                  "midnight: end it at 24:00 and go on from 00:00 the next day)");
  expect_error("Mon 09:00-09:00", "expected an end after the start, got \"09:00-09:00\"");
  expect_error("Mun 09:00-10:00", "expected a day name such as Mon, got \"Mun\"");
  /* A spreadsheet's typographic dash, non-breaking space or a day name in
   * another language was shown as "???" or cut ("Mi"): quoted whole, with
   * what to type. */
#define BEYOND_ASCII                                                                                      \
  " (it holds a character beyond plain ASCII, such as a non-breaking space or a typographic dash: type " \
  "plain spaces and '-')"
  expect_error("Mon-Fri 09:00\xe2\x80\x93" "17:00", "expected HH:MM, got \"09:00\xe2\x80\x93" "17:00\"" BEYOND_ASCII);
  expect_error("Mi\xc3\xa9 10:00-12:00", "expected a day name such as Mon, got \"Mi\xc3\xa9\"" BEYOND_ASCII);
  expect_error("Mon\xc2\xa0" "09:00-17:00", "expected a day name such as Mon, got \"Mon\xc2\xa0\"" BEYOND_ASCII);
  expect_error("Mon 09:00-17:00 \x01", "expected ';' between windows, got \"?\"");
  expect_error("Mon 25:00-26:00", "expected hours 00-24, got \"25:00\"");
  expect_error("Mon 09:75-10:00", "expected minutes 00-59, got \"09:75\"");
  expect_error("Mon 09:00-24:15", "expected a time no later than 24:00, got \"24:15\"");
  expect_error("", "expected weekly windows such as \"Mon-Fri 09:00-17:00\", got \"\"");
  expect_error("  ;  ", "expected weekly windows such as \"Mon-Fri 09:00-17:00\", got \"  ;  \"");
  expect_error("09:00-17:00", "expected a day name such as Mon, got \"09:00-17:00\"");
  expect_error("Mon", "expected a time range such as 09:00-17:00 after the days, got \"\"");
  expect_error("Mon 09:00", "expected '-' between the start and end times, got \"\"");
  expect_error("Mon 09:00-17:00 Tue 09:00-10:00", "expected ';' between windows, got \"Tue\"");
  expect_error("Weekdays-Fri 09:00-10:00",
               "expected a range of single days such as Mon-Fri, got \"Weekdays-Fri\"");
  expect_error("Mon-Fir 09:00-10:00", "expected a day name such as Mon, got \"Fir\"");
  expect_error("Mon 0900-1000", "expected HH:MM, got \"0900\"");
  mm_week got;
  CHECK_EQ(mm_availability_parse(NULL, &got, NULL), MM_ERR_PARSE);
}

/* Random bytes and mutations of good text: must return, never crash. */
static void test_fuzz(void) {
  const char *seeds[] = {"Mon-Fri 09:00-17:00", "Tue,Thu 14:00-16:30; Sat 10:00-12:00",
                         "Sun 06:00-07:45, 22:00-24:00"};
  const char alphabet[] = "MonTueSatFri-,;: 0123456789\t";
  unsigned seed = 12345;
  int ok = 0, failed = 0;
  for (int round = 0; round < 20000; round++) {
    char buf[64];
    seed = seed * 1103515245u + 12345u;
    const char *s = seeds[(seed >> 16) % 3];
    size_t n = strlen(s);
    memcpy(buf, s, n + 1);
    for (int m = 0; m < 3; m++) {
      seed = seed * 1103515245u + 12345u;
      size_t at = (seed >> 16) % n;
      seed = seed * 1103515245u + 12345u;
      buf[at] = (round & 1) ? alphabet[(seed >> 16) % (sizeof alphabet - 1)] : (char)(seed >> 16);
      if (buf[at] == '\0') buf[at] = 'x';
    }
    seed = seed * 1103515245u + 12345u;
    buf[(seed >> 16) % (n + 1)] = '\0';
    /* Heap copy of exact size so the sanitizer sees any overread. */
    char *h = malloc(strlen(buf) + 1);
    memcpy(h, buf, strlen(buf) + 1);
    mm_week w;
    mm_error e;
    mm_error_clear(&e);
    if (mm_availability_parse(h, &w, &e) == MM_OK) {
      ok++;
    } else {
      failed++;
      if (!e.message[0]) fprintf(stderr, "  no message for \"%s\"\n", h);
      CHECK(e.message[0] != '\0');
    }
    free(h);
  }
  CHECK_GT(ok, 0);
  CHECK_GT(failed, 0);
}

int main(void) {
  test_good();
  test_errors();
  test_fuzz();
  return check_report("test_availability");
}
