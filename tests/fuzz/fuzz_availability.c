/* fuzz_availability.c: libFuzzer target for mm_availability_parse (weekly windows text).
 *
 * Availability cells come straight from spreadsheets, so the parser meets
 * anything.  Besides memory errors the target checks the promises of
 * mentormatch.h and availability.c: no bit past slot 671 is ever set, an
 * error names the field "availability" and quotes the input without control
 * bytes, parsing is a pure function (same text, same week), and a parsed week
 * written back as text ("Mon 09:00-17:00; ...") parses to the same week.
 */
#include "fuzz_util.h"

static const char *const day_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

static int slot_set(const mm_week *w, int slot) { return (int)(w->w[slot / 64] >> (slot % 64) & 1u); }

/* Writes w as windows, one per run of free slots; returns the length. */
static size_t week_to_text(const mm_week *w, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (int d = 0; d < 7; d++) {
    int q = 0;
    while (q < MM_SLOTS_PER_DAY) {
      if (!slot_set(w, d * MM_SLOTS_PER_DAY + q)) {
        q++;
        continue;
      }
      int start = q;
      while (q < MM_SLOTS_PER_DAY && slot_set(w, d * MM_SLOTS_PER_DAY + q)) q++;
      int a = start * MM_SLOT_MINUTES, b = q * MM_SLOT_MINUTES;
      int wrote = snprintf(buf + n, size - n, "%s%s %02d:%02d-%02d:%02d", n ? "; " : "",
                           day_names[d], a / 60, a % 60, b / 60, b % 60);
      FUZZ_CHECK(wrote > 0 && (size_t)wrote < size - n);
      n += (size_t)wrote;
    }
  }
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_string(data, size);
  mm_week w, again;
  mm_error e, e2;
  mm_error_clear(&e);
  mm_error_clear(&e2);
  mm_status s = mm_availability_parse(text, &w, &e);
  mm_status s2 = mm_availability_parse(text, &again, &e2);
  FUZZ_CHECK(s == s2);
  FUZZ_CHECK(memcmp(&w, &again, sizeof w) == 0);
  if (s == MM_OK) {
    FUZZ_CHECK(w.w[MM_WEEK_WORDS - 1] >> (MM_SLOTS_PER_WEEK - 64 * (MM_WEEK_WORDS - 1)) == 0);
    /* 7 days x at most 48 runs x 22 bytes. */
    static char round[8192];
    size_t len = week_to_text(&w, round, sizeof round);
    mm_week back;
    mm_error_clear(&e2);
    /* A success means at least one window, and a window ends after it starts. */
    FUZZ_CHECK(len > 0);
    FUZZ_CHECK(mm_availability_parse(round, &back, &e2) == MM_OK);
    FUZZ_CHECK(memcmp(&w, &back, sizeof w) == 0);
  } else {
    FUZZ_CHECK(s == MM_ERR_PARSE);
    FUZZ_CHECK(strcmp(e.field, "availability") == 0);
    fuzz_check_error(&e, 1);
    FUZZ_CHECK(strcmp(e.message, e2.message) == 0);
  }
  free(text);
  return 0;
}
