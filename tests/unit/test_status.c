/* test_status.c: the error record keeps whole UTF-8 characters when a message or path is too long.
 *
 * A duplicate id of 3,000 "é" once left the message cut inside a character
 * (the tool then printed a stray "\xC3" and no sign of the cut).  A record
 * that does not fit ends on a character boundary with "...", and one that
 * fits is kept byte for byte.
 */
#include "check.h"

#include "mentormatch.h"

#include <stdio.h>
#include <string.h>

/* 1 if s is well-formed UTF-8 (no sequence cut at the end). */
static int whole_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
    if (!len) return 0;
    for (size_t k = 1; k < len; k++)
      if ((p[k] & 0xC0) != 0x80) return 0;
    p += len;
  }
  return 1;
}

static size_t ends_with_dots(const char *s) {
  size_t n = strlen(s);
  return n >= 3 && strcmp(s + n - 3, "...") == 0;
}

int main(void) {
  char id[2 * 3000 + 1] = "";
  for (int k = 0; k < 3000; k++) strcat(id, "\xc3\xa9");
  for (int shift = 0; shift < 4; shift++) {
    mm_error e;
    mm_error_clear(&e);
    /* Each shift moves the cut by one byte against the two-byte characters. */
    mm_error_set(&e, "id", "%.*sduplicate id \"%s\" (first on line 2)", shift, "xxx", id);
    CHECK(whole_utf8(e.message));
    CHECK(ends_with_dots(e.message));
    CHECK_LT(strlen(e.message), sizeof e.message);
    char path[sizeof id + 4];
    snprintf(path, sizeof path, "%.*s%s", shift, "xxx", id);
    mm_error_locate(&e, path, 2, 1);
    CHECK(whole_utf8(e.file));
    char line[2048];
    mm_error_format(&e, line, sizeof line);
    CHECK(whole_utf8(line));
  }
  mm_error e;
  mm_error_clear(&e);
  mm_error_set(&e, "id", "duplicate id \"%s\" (first on line %d)", "\xc3\xa9t\xc3\xa9", 2);
  CHECK_STR_EQ(e.message, "duplicate id \"\xc3\xa9t\xc3\xa9\" (first on line 2)");
  mm_error_locate(&e, "mentees.csv", 3, 1);
  CHECK_STR_EQ(e.file, "mentees.csv");
  return check_report("test_status");
}
