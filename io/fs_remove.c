/* fs_remove.c: removes leftover folders without following links or leaving the folder.
 *
 * See fs_remove.h.  Each level is opened with O_NOFOLLOW | O_DIRECTORY and
 * checked with fstat() on the descriptor (not the name, which could be
 * swapped in between); entries are removed with unlinkat() relative to it.
 *
 * A run folder holds tens of thousands of calendar files, and on some file
 * systems (ext4 mounted with discard) each unlink costs a millisecond, so
 * an entry that readdir() says is not a folder is unlinked straight away
 * (no stat: unlinkat() without AT_REMOVEDIR never follows a link and fails
 * on a folder, which then takes the careful path), and a large folder's
 * entries are listed first and unlinked from the I/O pool's threads.
 */
#include "fs_remove.h"

#include "cli.h"

#include "io_pool.h"

#include <dirent.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens name in parent as a real folder owned by us; -1 otherwise. */
static int open_own_folder(int parent, const char *name) {
  int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
    close(fd);
    errno = EPERM;
    return -1;
  }
  return fd;
}

/* Entries of a folder that are not folders, unlinked from the I/O pool's
 * threads (io_pool.h) when there are many; the list is made first.
 * Entries that fail (a folder after all) are left for the caller's careful
 * pass. */
#define PARALLEL_FROM 256

typedef struct {
  int fd;
  char **names;
} unlink_job;

static void unlink_one(void *ctx, int worker, size_t k) {
  (void)worker;
  const unlink_job *j = ctx;
  unlinkat(j->fd, j->names[k], 0);
}

static void unlink_files(int fd, DIR *d, int threads) {
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (ent->d_type == DT_DIR || ent->d_type == DT_UNKNOWN) continue;
    if (n == cap) {
      size_t more = cap ? 2 * cap : 1024;
      char **bigger = realloc(names, more * sizeof *bigger);
      if (!bigger) break;
      names = bigger;
      cap = more;
    }
    if (!(names[n] = strdup(ent->d_name))) break;
    n++;
  }
  unlink_job j = {fd, names};
  io_pool_run(n, n >= PARALLEL_FROM ? threads : 1, 16, unlink_one, &j);
  for (size_t k = 0; k < n; k++) free(names[k]);
  free(names);
}

int io_remove_tree_at_threads(int parent, const char *name, int depth, int threads) {
  struct stat st;
  if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(st.st_mode)) return unlinkat(parent, name, 0);
  if (depth <= 0) return -1;
  int fd = open_own_folder(parent, name);
  if (fd < 0) return -1;
  int list_fd = dup(fd);
  DIR *d = list_fd >= 0 ? fdopendir(list_fd) : NULL;
  if (!d) {
    if (list_fd >= 0) close(list_fd);
    close(fd);
    return -1;
  }
  unlink_files(fd, d, threads > 0 ? threads : 1);
  rewinddir(d);
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL)
    if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
      io_remove_tree_at_threads(fd, ent->d_name, depth - 1, threads);
  closedir(d);
  close(fd);
  return unlinkat(parent, name, AT_REMOVEDIR);
}

int io_remove_tree_at(int parent, const char *name, int depth) {
  return io_remove_tree_at_threads(parent, name, depth, IO_POOL_WORKERS);
}

void io_remove_leftover_at(int parent, const char *name, const char *shown) {
  struct stat st;
  if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return;
  if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
    io_print_text(stderr, "mentormatch: warning: left alone ");
    io_print_text(stderr, shown);
    fputs(S_ISDIR(st.st_mode) ? ": a folder of another user\n" : ": not a folder (a link or a file)\n", stderr);
    return;
  }
  if (io_remove_tree_at(parent, name, 4) != 0 && errno != ENOENT) {
    io_print_text(stderr, "mentormatch: warning: could not remove the leftover ");
    io_print_text(stderr, shown);
    fprintf(stderr, ": %s\n", strerror(errno));
  }
}
