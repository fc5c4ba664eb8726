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

/* Replaces the contents of scratch file `slot` (0 to 3; targets reading
 * several files use one slot each) with data; returns its path (static
 * storage, the same path for a slot on every call). */
static inline const char *fuzz_bytes_to_slot(int slot, const uint8_t *data, size_t size) {
  static int fds[4] = {-1, -1, -1, -1};
  static char paths[4][64];
  FUZZ_CHECK(slot >= 0 && slot < 4);
  int fd = fds[slot];
  char *path = paths[slot];
  if (fd < 0) {
    fd = memfd_create("mm-fuzz", 0);
    if (fd < 0) {
      const char *tmp = getenv("TMPDIR");
      snprintf(path, 64, "%s/mm-fuzz-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
      fd = mkstemp(path);
      FUZZ_CHECK(fd >= 0);
      unlink(path); /* gone when the process ends */
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    fds[slot] = fd;
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

/* The single-file targets' scratch file. */
static inline const char *fuzz_bytes_to_path(const uint8_t *data, size_t size) {
  return fuzz_bytes_to_slot(0, data, size);
}

/* Splits an input holding two files at the first line "----\n": *second
 * points after it (size *second_size); the first file is what precedes it
 * (its size returned).  Without the line the whole input is the first file
 * and the second is empty. */
static inline size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **second, size_t *second_size) {
  static const char mark[] = "----\n";
  for (size_t k = 0; k + sizeof mark - 1 <= size; k++) {
    if ((k == 0 || data[k - 1] == '\n') && memcmp(data + k, mark, sizeof mark - 1) == 0) {
      *second = data + k + sizeof mark - 1;
      *second_size = size - k - (sizeof mark - 1);
      return k;
    }
  }
  *second = data + size;
  *second_size = 0;
  return size;
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
