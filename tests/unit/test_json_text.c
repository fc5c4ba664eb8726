/* test_json_text.c: JSON string escaping shared by summary.json, JSON lines and report.html.
 *
 * Each case writes a string through io_json_string into a memory stream and
 * compares the bytes: quotes, backslashes and control characters escaped as
 * RFC 8259 says, "<" escaped so no "</script>" can close the report's data
 * element, and UTF-8 passed through untouched.
 */
#include "check.h"

#include "json_text.h"

#include <stdio.h>
#include <stdlib.h>

static void expect_json(const char *in, const char *want) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  io_json_string(f, in);
  fclose(f);
  CHECK_STR_EQ(buf, want);
  free(buf);
}

int main(void) {
  expect_json("", "\"\"");
  expect_json("plain", "\"plain\"");
  expect_json("Sam \"Sunny\" O'Neil", "\"Sam \\\"Sunny\\\" O'Neil\"");
  expect_json("a\\b", "\"a\\\\b\"");
  expect_json("line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\"");
  expect_json("\x01\x1f", "\"\\u0001\\u001f\"");
  expect_json("</script><b>", "\"\\u003c/script>\\u003cb>\"");
  expect_json("Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82", "\"Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82\"");
  return check_report("test_json_text");
}
