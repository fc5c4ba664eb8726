/* fs_remove.c: removes leftover folders without following links or leaving the folder.
 *
 * See fs_remove.h.  Each level is opened with O_NOFOLLOW | O_DIRECTORY and
 * checked with fstat() on the descriptor (not the name, which could be
 * swapped in between); entries are removed with unlinkat() relative to it.
 */
#include "fs_remove.h"

#include "cli.h"

#include <dirent.h>
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

int io_remove_tree_at(int parent, const char *name, int depth) {
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
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    io_remove_tree_at(fd, ent->d_name, depth - 1);
  }
  closedir(d);
  close(fd);
  return unlinkat(parent, name, AT_REMOVEDIR);
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
