/* week.c: 672-bit weekly masks of 15-minute slots and the operations on them.
 *
 * Availability, time-zone frames and meeting starts are all sets of quarter
 * hours in one week, so they are bitsets; moving a mask from one zone's frame
 * into another is a cyclic rotation, and "a meeting of n slots may start
 * here" is an AND of n rotations.  The scorer rotates masks for every pair it
 * looks at, so everything here works on whole 64-bit words.
 */
#include "internal.h"

/* Bits of the last word that belong to the week (672 - 640 = 32). */
#define TOP_BITS (MM_SLOTS_PER_WEEK - 64 * (MM_WEEK_WORDS - 1))
#define TOP_MASK ((UINT64_C(1) << TOP_BITS) - 1)

/* out = in << s (bitwise, as one 704-bit number), 0 <= s < 704. */
static void shift_up(const mm_week *in, int s, mm_week *out) {
  int ws = s / 64, bs = s % 64;
  for (int w = MM_WEEK_WORDS - 1; w >= 0; w--) {
    uint64_t v = 0;
    if (w - ws >= 0) {
      v = in->w[w - ws] << bs;
      if (bs && w - ws - 1 >= 0) v |= in->w[w - ws - 1] >> (64 - bs);
    }
    out->w[w] = v;
  }
}

/* out = in >> s, 0 <= s < 704. */
static void shift_down(const mm_week *in, int s, mm_week *out) {
  int ws = s / 64, bs = s % 64;
  for (int w = 0; w < MM_WEEK_WORDS; w++) {
    uint64_t v = 0;
    if (w + ws < MM_WEEK_WORDS) {
      v = in->w[w + ws] >> bs;
      if (bs && w + ws + 1 < MM_WEEK_WORDS) v |= in->w[w + ws + 1] << (64 - bs);
    }
    out->w[w] = v;
  }
}

void mm_week_rotate(const mm_week *in, int shift, mm_week *out) {
  int s = shift % MM_SLOTS_PER_WEEK;
  if (s < 0) s += MM_SLOTS_PER_WEEK;
  if (s == 0) {
    if (out != in) *out = *in;
    return;
  }
  mm_week up, down;
  shift_up(in, s, &up);
  shift_down(in, MM_SLOTS_PER_WEEK - s, &down);
  for (int w = 0; w < MM_WEEK_WORDS; w++) out->w[w] = up.w[w] | down.w[w];
  out->w[MM_WEEK_WORDS - 1] &= TOP_MASK;
}

void mm_week_starts(const mm_week *in, int len, mm_week *out) {
  /* acc holds the starts of runs of `have` set slots; doubling: a run of
   * have + step (step <= have) is a run of have at s and one at s + step. */
  mm_week acc = *in, moved;
  int have = 1;
  while (have < len) {
    int step = len - have < have ? len - have : have;
    mm_week_rotate(&acc, -step, &moved);
    mm_week_and(&acc, &moved);
    have += step;
  }
  *out = acc;
}

int mm_week_count(const mm_week *m) {
  int n = 0;
  for (int w = 0; w < MM_WEEK_WORDS; w++) n += __builtin_popcountll(m->w[w]);
  return n;
}

void mm_week_and(mm_week *acc, const mm_week *m) {
  for (int w = 0; w < MM_WEEK_WORDS; w++) acc->w[w] &= m->w[w];
}

bool mm_week_test(const mm_week *m, int slot) {
  if (slot < 0 || slot >= MM_SLOTS_PER_WEEK) return false;
  return (m->w[slot / 64] >> (slot % 64)) & 1u;
}

void mm_week_set(mm_week *m, int slot) {
  if (slot < 0 || slot >= MM_SLOTS_PER_WEEK) return;
  m->w[slot / 64] |= UINT64_C(1) << (slot % 64);
}

bool mm_week_any(const mm_week *m) {
  uint64_t v = 0;
  for (int w = 0; w < MM_WEEK_WORDS; w++) v |= m->w[w];
  return v != 0;
}
