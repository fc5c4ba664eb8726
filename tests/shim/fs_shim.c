/* fs_shim.c: an LD_PRELOAD library that slows down or fails the calls that publish files.
 *
 * The output folder's promise (a reader sees the old set or the new one,
 * never a mix) is about what happens between the system calls that make
 * files visible: rename, renameat, renameat2, link, linkat, symlink,
 * symlinkat, unlink, unlinkat.  On a quiet machine they take microseconds,
 * so a kill at a random instant almost never lands between two of them.
 * This shim widens those gaps so tests can land there:
 *
 *   MM_SHIM_DELAY_US=N   sleep N microseconds before each such call
 *   MM_SHIM_FAIL_AT=K    make the K-th such call (from 1) fail with EIO
 *   MM_SHIM_FAIL_CALL=S  count only calls named S (e.g. renameat) for FAIL_AT
 *   MM_SHIM_SYNC_US=N    make syncfs (the sync of the staged set before it is
 *                        published) take N microseconds more
 *   MM_SHIM_SYNC_MARK=P  create the file P when syncfs begins, so a test
 *                        knows the run is syncing
 *
 * Test-only: built in tests/, loaded by the scripts in tests/cli, never linked.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long count;

/* Sleeps the microseconds the environment variable name says, if set. */
static void sleep_for(const char *name) {
  const char *value = getenv(name);
  if (!value) return;
  long us = strtol(value, NULL, 10);
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* Waits, then 1 if this call must fail. */
static int intercept(const char *call) {
  sleep_for("MM_SHIM_DELAY_US");
  const char *fail_at = getenv("MM_SHIM_FAIL_AT");
  const char *only = getenv("MM_SHIM_FAIL_CALL");
  if (!fail_at || (only && strcmp(only, call) != 0)) return 0;
  if (++count != strtol(fail_at, NULL, 10)) return 0;
  fprintf(stderr, "fs_shim: failing %s (call %ld)\n", call, count);
  errno = EIO;
  return 1;
}


typedef int (*rename_fn)(const char *, const char *);
typedef int (*renameat_fn)(int, const char *, int, const char *);
typedef int (*renameat2_fn)(int, const char *, int, const char *, unsigned);
typedef int (*link_fn)(const char *, const char *);
typedef int (*linkat_fn)(int, const char *, int, const char *, int);
typedef int (*symlink_fn)(const char *, const char *);
typedef int (*symlinkat_fn)(const char *, int, const char *);
typedef int (*unlink_fn)(const char *);
typedef int (*unlinkat_fn)(int, const char *, int);

/* The real function; the cast through void ** is POSIX's blessing for dlsym. */
#define CALL_NEXT(name, ...)                    \
  do {                                          \
    if (intercept(#name)) return -1;            \
    name##_fn real;                             \
    *(void **)&real = dlsym(RTLD_NEXT, #name);  \
    return real(__VA_ARGS__);                   \
  } while (0)

int rename(const char *a, const char *b) { CALL_NEXT(rename, a, b); }
int renameat(int fa, const char *a, int fb, const char *b) { CALL_NEXT(renameat, fa, a, fb, b); }
int renameat2(int fa, const char *a, int fb, const char *b, unsigned flags) {
  CALL_NEXT(renameat2, fa, a, fb, b, flags);
}
int link(const char *a, const char *b) { CALL_NEXT(link, a, b); }
int linkat(int fa, const char *a, int fb, const char *b, int flags) { CALL_NEXT(linkat, fa, a, fb, b, flags); }
int symlink(const char *a, const char *b) { CALL_NEXT(symlink, a, b); }
int symlinkat(const char *a, int fd, const char *b) { CALL_NEXT(symlinkat, a, fd, b); }
int unlink(const char *a) { CALL_NEXT(unlink, a); }
int unlinkat(int fd, const char *a, int flags) { CALL_NEXT(unlinkat, fd, a, flags); }

typedef int (*syncfs_fn)(int);

int syncfs(int fd) {
  const char *mark = getenv("MM_SHIM_SYNC_MARK");
  if (mark) {
    FILE *f = fopen(mark, "w");
    if (f) fclose(f);
  }
  sleep_for("MM_SHIM_SYNC_US");
  syncfs_fn real;
  *(void **)&real = dlsym(RTLD_NEXT, "syncfs");
  return real(fd);
}
