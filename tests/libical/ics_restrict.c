/* ics_restrict.c: runs libical's RFC 5546 (iTIP) restriction check on calendar files.
 *
 * libical is the library behind Evolution and many servers; its
 * icalrestriction_check() applies the per-METHOD property rules of RFC 5546
 * (a PUBLISH event has no ATTENDEE, a REQUEST event has one, ...) and marks
 * each violation, like each parse error, with an X-LIC-ERROR property.  This
 * program parses every file named on the command line, runs the check and
 * prints every X-LIC-ERROR it finds with the file and component, so a test
 * can demand zero.  It shares no code with the writer.
 *
 * Usage: ics_restrict FILE...   Exit status 0 when no file has a complaint.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  while (b) {
    n += fread(b + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    char *v = realloc(b, cap *= 2);
    if (!v) free(b);
    b = v;
  }
  fclose(f);
  if (b) b[n] = '\0';
  return b;
}

/* Prints and counts the X-LIC-ERROR properties of c and its children. */
static int complaints(const char *path, icalcomponent *c) {
  int n = 0;
  for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
    printf("%s: %s: %s\n", path, icalcomponent_kind_to_string(icalcomponent_isa(c)),
           icalproperty_get_xlicerror(p));
    n++;
  }
  for (icalcomponent *s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); s;
       s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
    n += complaints(path, s);
  return n;
}

int main(int argc, char **argv) {
  int total = 0, files = 0;
  for (int k = 1; k < argc; k++) {
    char *text = slurp(argv[k]);
    icalcomponent *c = text ? icalparser_parse_string(text) : NULL;
    free(text);
    if (!c || icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT) {
      printf("%s: libical cannot parse it as one VCALENDAR\n", argv[k]);
      total++;
      if (c) icalcomponent_free(c);
      continue;
    }
    if (icalcomponent_get_first_property(c, ICAL_METHOD_PROPERTY) == NULL) {
      printf("%s: no METHOD, so no RFC 5546 check applies\n", argv[k]);
      total++;
    }
    icalrestriction_check(c);
    total += complaints(argv[k], c);
    icalcomponent_free(c);
    files++;
  }
  printf("ics_restrict: %d files, %d complaints\n", files, total);
  return total ? 1 : 0;
}
