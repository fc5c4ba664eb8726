/* test_week.c: weekly masks (engine/week.c) against a bit-by-bit model.
 *
 * Rotation and run starts are word-level code; each is compared with the
 * obvious one-bit-at-a-time definition on random masks and on every shift,
 * and the identity starts(A & B) = starts(A) & starts(B), which the scorer
 * relies on, is checked directly.
 */
#include "check.h"
#include "internal.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* density: out of 8, how many bits are set on average, in runs. */
static void random_week(mm_week *m, int density) {
  memset(m, 0, sizeof *m);
  int on = 0;
  for (int s = 0; s < MM_SLOTS_PER_WEEK; s++) {
    if (next() % 6 == 0) on = (int)(next() % 8) < density;
    if (on) mm_week_set(m, s);
  }
}

static int same(const mm_week *a, const mm_week *b) { return memcmp(a, b, sizeof *a) == 0; }

static void slow_rotate(const mm_week *in, int shift, mm_week *out) {
  memset(out, 0, sizeof *out);
  for (int s = 0; s < MM_SLOTS_PER_WEEK; s++) {
    int from = ((s - shift) % MM_SLOTS_PER_WEEK + MM_SLOTS_PER_WEEK) % MM_SLOTS_PER_WEEK;
    if (mm_week_test(in, from)) mm_week_set(out, s);
  }
}

static void slow_starts(const mm_week *in, int len, mm_week *out) {
  memset(out, 0, sizeof *out);
  for (int s = 0; s < MM_SLOTS_PER_WEEK; s++) {
    int all = 1;
    for (int k = 0; k < len && all; k++) all = mm_week_test(in, (s + k) % MM_SLOTS_PER_WEEK);
    if (all) mm_week_set(out, s);
  }
}

static void test_basics(void) {
  mm_week m;
  memset(&m, 0, sizeof m);
  CHECK(!mm_week_any(&m));
  mm_week_set(&m, 0);
  mm_week_set(&m, 671);
  mm_week_set(&m, 672); /* outside: ignored */
  mm_week_set(&m, -1);
  CHECK_EQ(mm_week_count(&m), 2);
  CHECK(mm_week_test(&m, 671));
  CHECK(!mm_week_test(&m, 672));
  CHECK(!mm_week_test(&m, -5));
  CHECK_EQ(m.w[MM_WEEK_WORDS - 1] >> 32, 0);
  mm_week r;
  mm_week_rotate(&m, 1, &r);
  CHECK(mm_week_test(&r, 1));
  CHECK(mm_week_test(&r, 0)); /* 671 wrapped */
  CHECK_EQ(mm_week_count(&r), 2);
}

static void test_rotate(void) {
  int bad = 0;
  for (int round = 0; round < 20; round++) {
    mm_week in, fast, slow;
    random_week(&in, 4);
    for (int shift = -1400; shift <= 1400; shift += (round % 3) + 1) {
      mm_week_rotate(&in, shift, &fast);
      slow_rotate(&in, shift, &slow);
      if (!same(&fast, &slow)) bad++;
      if (fast.w[MM_WEEK_WORDS - 1] >> 32) bad++;
    }
    /* In place works too. */
    mm_week copy = in;
    mm_week_rotate(&copy, 97, &copy);
    slow_rotate(&in, 97, &slow);
    CHECK(same(&copy, &slow));
  }
  CHECK_EQ(bad, 0);
}

static void test_starts(void) {
  int bad = 0, identity_bad = 0;
  for (int round = 0; round < 60; round++) {
    mm_week a, b, ab, fast, slow, sa, sb, sab;
    random_week(&a, 6);
    random_week(&b, 6);
    int len = 1 + round % 24;
    mm_week_starts(&a, len, &fast);
    slow_starts(&a, len, &slow);
    if (!same(&fast, &slow)) bad++;
    ab = a;
    mm_week_and(&ab, &b);
    mm_week_starts(&ab, len, &sab);
    mm_week_starts(&a, len, &sa);
    mm_week_starts(&b, len, &sb);
    mm_week_and(&sa, &sb);
    if (!same(&sa, &sab)) identity_bad++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(identity_bad, 0);
  /* A full week: every start works, even for runs longer than a day. */
  mm_week full, out;
  memset(&full, 0, sizeof full);
  for (int s = 0; s < MM_SLOTS_PER_WEEK; s++) mm_week_set(&full, s);
  mm_week_starts(&full, 200, &out);
  CHECK_EQ(mm_week_count(&out), MM_SLOTS_PER_WEEK);
  /* Sunday 23:00-24:00 plus Monday 00:00-01:00 is a cyclic run of 8. */
  mm_week wrap;
  memset(&wrap, 0, sizeof wrap);
  for (int s = 668; s < 672; s++) mm_week_set(&wrap, s);
  for (int s = 0; s < 4; s++) mm_week_set(&wrap, s);
  mm_week_starts(&wrap, 8, &out);
  CHECK_EQ(mm_week_count(&out), 1);
  CHECK(mm_week_test(&out, 668));
}

int main(void) {
  test_basics();
  test_rotate();
  test_starts();
  return check_report("test_week");
}
