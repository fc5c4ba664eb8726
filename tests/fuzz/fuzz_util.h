/* fuzz_util.h: what the fuzz targets share: fuzz bytes as a readable path, and hard invariant checks.
 *
 * The readers under test take file paths (they stream from disk), so each
 * input is written to an anonymous in-memory file (memfd) and handed over as
 * /proc/self/fd/N; a plain temporary file is the fallback where memfd is
 * missing.  FUZZ_CHECK aborts with the expression, so libFuzzer (or the
 * replay driver under CTest) reports a broken promise of a module's header,
 * not only memory errors.  Header-only, one copy per target.
 */
#ifndef MM_FUZZ_UTIL_H
#define MM_FUZZ_UTIL_H

#include "mentormatch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(expr)                                                           \
  do {                                                                             \
    if (!(expr)) {                                                                 \
      fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #expr); \
      abort();                                                                     \
    }                                                                              \
  } while (0)

/* Replaces the contents of the scratch file with data; returns its path
 * (static storage, the same path on every call). */
static inline const char *fuzz_bytes_to_path(const uint8_t *data, size_t size) {
  static int fd = -1;
  static char path[64];
  if (fd < 0) {
    fd = memfd_create("mm-fuzz", 0);
    if (fd >= 0) {
      snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    } else {
      const char *tmp = getenv("TMPDIR");
      snprintf(path, sizeof path, "%s/mm-fuzz-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
      fd = mkstemp(path);
      FUZZ_CHECK(fd >= 0);
      unlink(path); /* gone when the process ends */
      snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
  }
  FUZZ_CHECK(ftruncate(fd, 0) == 0);
  size_t done = 0;
  while (done < size) {
    ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
    FUZZ_CHECK(w > 0);
    done += (size_t)w;
  }
  return path;
}

/* A NUL-terminated copy of the input (bytes after an embedded NUL are then
 * invisible to C string parsers, as they would be in a real caller).  Free it. */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  FUZZ_CHECK(s != NULL);
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

/* Checks what every failing call promises: a message that is a terminated
 * string and a formatted line that fits; with printable set, no control
 * bytes either (parsers that quote input promise that).  Returns the line. */
static inline const char *fuzz_check_error(const mm_error *e, int printable) {
  static char line[2048];
  FUZZ_CHECK(e->message[0] != '\0');
  FUZZ_CHECK(memchr(e->message, '\0', sizeof e->message) != NULL);
  for (const char *c = e->message; printable && *c; c++)
    FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
  size_t want = mm_error_format(e, line, sizeof line);
  FUZZ_CHECK(want > 0 && want < sizeof line);
  FUZZ_CHECK(strstr(line, "error: ") != NULL);
  return line;
}

#endif
