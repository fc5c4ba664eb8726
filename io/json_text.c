/* json_text.c: JSON string escaping for summary.json, JSON lines and the report.
 *
 * Three writers emit JSON; the escaping rules live here once so that a
 * name with a quote, a tab or a "</script>" reads back the same in each.
 */
#include "json_text.h"

void io_json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    switch (*c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    case '<': fputs("\\u003c", f); break;
    default:
      if (*c < 0x20) {
        fprintf(f, "\\u%04x", *c);
      } else {
        fputc(*c, f);
      }
    }
  }
  fputc('"', f);
}
