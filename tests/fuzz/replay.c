/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput on every file of its corpus, without libFuzzer.
 *
 * Fuzzing needs clang and time; the regression value of a corpus (every seed
 * and every input that once crashed) should not.  This driver, built with
 * the normal compiler and linked with one target, feeds each file named on
 * the command line, or each regular file inside a folder named there (in
 * name order, so runs are repeatable), to the target.  A broken invariant or
 * a sanitizer report aborts the process, which CTest sees as a failure; an
 * empty corpus is a failure too, since it would guard nothing.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a whole file; NULL on failure. */
static uint8_t *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *bigger = realloc(buf, cap * 2);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  if (buf && ferror(f)) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *size = n;
  return buf;
}

static int run_file(const char *path) {
  size_t size = 0;
  uint8_t *data = read_all(path, &size);
  if (!data) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    return 1;
  }
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_regular(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int main(int argc, char **argv) {
  int inputs = 0, unreadable = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
      unreadable++;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      unreadable += run_file(argv[i]);
      inputs++;
      continue;
    }
    struct dirent **names;
    int n = scandir(argv[i], &names, NULL, by_name);
    if (n < 0) {
      fprintf(stderr, "replay: cannot list %s\n", argv[i]);
      unreadable++;
      continue;
    }
    for (int k = 0; k < n; k++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
      if (names[k]->d_name[0] != '.' && is_regular(path)) {
        unreadable += run_file(path);
        inputs++;
      }
      free(names[k]);
    }
    free(names);
  }
  int failed = unreadable + (inputs == 0);
  if (inputs == 0) fprintf(stderr, "replay: no inputs: an empty corpus guards nothing\n");
  printf("replay: %d passed, %d failed\n", inputs - unreadable, failed);
  return failed ? 1 : 0;
}
