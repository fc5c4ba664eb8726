/* outdir.c: stages a run's output files and moves them into place only when all succeeded.
 *
 * See outdir.h.  Paths of staged files are kept in arrays the signal handler
 * can walk with async-signal-safe calls only (they grow with signals
 * blocked).  A run writes thousands of calendar files, so files are not
 * synced one by one (a journal commit each: 18 s for 2,700 files); the
 * whole staging folder's file system is synced once before the renames.
 */
#define _GNU_SOURCE /* syncfs */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SUBDIRS 4
#define PATH_CAP 4096

struct io_outdir {
  char dir[PATH_CAP];
  char stage[PATH_CAP];
  /* Staged files: full path and name relative to DIR.  The arrays grow with
   * the signals blocked, so the handler always sees a consistent list. */
  char **staged;
  char **names;
  int n_staged, cap_staged;
  /* Subfolders (io_outdir_subdir): each replaces DIR's folder as a whole. */
  char subdirs[MAX_SUBDIRS][256];
  int n_subdirs;
  int created_dir;
  /* Folders this run created above DIR (mkdir -p), deepest last. */
  char created[8][PATH_CAP];
  int n_created;
  struct sigaction old[3];
};

static io_outdir *volatile current;
static const int signals_handled[3] = {SIGINT, SIGTERM, SIGHUP};

static void remove_staged(io_outdir *od) {
  for (int k = 0; k < od->n_staged; k++) unlink(od->staged[k]);
  char sub[PATH_CAP + 300];
  for (int k = 0; k < od->n_subdirs; k++) {
    /* strcpy and strcat only: this runs in the signal handler. */
    strcpy(sub, od->stage);
    strcat(sub, "/");
    strcat(sub, od->subdirs[k]);
    rmdir(sub);
  }
  rmdir(od->stage);
  if (od->created_dir) rmdir(od->dir);
  for (int k = od->n_created - 1; k >= 0; k--) rmdir(od->created[k]);
}

/* Creates the missing folders above path, like mkdir -p, remembering them. */
static int make_parents(io_outdir *od, const char *path) {
  char buf[PATH_CAP];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *slash = strchr(buf + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    struct stat st;
    if (stat(buf, &st) != 0) {
      if (errno != ENOENT || mkdir(buf, 0777) != 0 || od->n_created == 8) {
        *slash = '/';
        return -1;
      }
      snprintf(od->created[od->n_created++], PATH_CAP, "%s", buf);
    }
    *slash = '/';
  }
  return 0;
}

static void remove_tree(const char *path);

static void on_signal(int sig) {
  io_outdir *od = current;
  if (od) remove_staged(od);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void set_handlers(io_outdir *od) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  current = od;
  for (int k = 0; k < 3; k++) sigaction(signals_handled[k], &sa, &od->old[k]);
}

static void restore_handlers(io_outdir *od) {
  for (int k = 0; k < 3; k++) sigaction(signals_handled[k], &od->old[k], NULL);
  current = NULL;
}

static mm_status io_error(mm_error *e, const char *path, const char *what) {
  mm_error_set(e, NULL, "%s: %s", what, strerror(errno));
  mm_error_locate(e, path, 0, 0);
  return MM_ERR_IO;
}

/* Removes staging folders left in dir by runs that were killed outright
 * (SIGKILL, power loss): their names carry the process id, and a folder
 * whose process no longer exists belongs to nobody. */
static void remove_orphans(const char *dir) {
  static const char prefix[] = ".mentormatch-staging-";
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (strncmp(ent->d_name, prefix, sizeof prefix - 1) != 0) continue;
    char *end = NULL;
    long pid = strtol(ent->d_name + sizeof prefix - 1, &end, 10);
    if (pid <= 0 || !end || *end != '-' || pid == (long)getpid()) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to judge */
    char stage[PATH_CAP];
    snprintf(stage, sizeof stage, "%s/%s", dir, ent->d_name);
    DIR *sd = opendir(stage);
    if (sd) {
      struct dirent *f;
      while ((f = readdir(sd)) != NULL) {
        if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0) continue;
        char file[PATH_CAP + 256];
        snprintf(file, sizeof file, "%s/%s", stage, f->d_name);
        if (unlink(file) != 0) remove_tree(file); /* a staged subfolder */
      }
      closedir(sd);
    }
    rmdir(stage);
  }
  closedir(d);
}

mm_status io_outdir_open(const char *dir, io_outdir **out, mm_error *e) {
  *out = NULL;
  if (strlen(dir) + 64 >= PATH_CAP) {
    mm_error_set(e, NULL, "output folder path is too long");
    mm_error_locate(e, dir, 0, 0);
    return MM_ERR_USAGE;
  }
  io_outdir *od = calloc(1, sizeof *od);
  if (!od) {
    mm_error_set(e, NULL, "out of memory");
    return MM_ERR_NOMEM;
  }
  strcpy(od->dir, dir);
  struct stat st;
  if (stat(dir, &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      free(od);
      mm_error_set(e, NULL, "output path exists and is not a folder");
      mm_error_locate(e, dir, 0, 0);
      return MM_ERR_IO;
    }
  } else if (errno == ENOENT) {
    if (make_parents(od, dir) != 0 || mkdir(dir, 0777) != 0) {
      mm_status s = io_error(e, dir, "cannot create the output folder");
      for (int k = od->n_created - 1; k >= 0; k--) rmdir(od->created[k]);
      free(od);
      return s;
    }
    od->created_dir = 1;
  } else {
    mm_status s = io_error(e, dir, "cannot use the output folder");
    free(od);
    return s;
  }
  if (!od->created_dir) remove_orphans(dir);
  snprintf(od->stage, sizeof od->stage, "%s/.mentormatch-staging-%ld-XXXXXX", dir, (long)getpid());
  set_handlers(od); /* before the staging folder exists, so no signal can orphan it */
  if (!mkdtemp(od->stage)) {
    mm_status s = io_error(e, dir, "cannot write in the output folder");
    restore_handlers(od);
    if (od->created_dir) rmdir(dir);
    for (int k = od->n_created - 1; k >= 0; k--) rmdir(od->created[k]);
    free(od);
    return s;
  }
  *out = od;
  return MM_OK;
}

/* Room for one more staged file; the arrays move with signals blocked. */
static int grow_staged(io_outdir *od) {
  if (od->n_staged < od->cap_staged) return 1;
  int cap = od->cap_staged ? 2 * od->cap_staged : 16;
  char **staged = malloc((size_t)cap * sizeof *staged), **names = malloc((size_t)cap * sizeof *names);
  if (!staged || !names) {
    free(staged);
    free(names);
    return 0;
  }
  if (od->n_staged) {
    memcpy(staged, od->staged, (size_t)od->n_staged * sizeof *staged);
    memcpy(names, od->names, (size_t)od->n_staged * sizeof *names);
  }
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int k = 0; k < 3; k++) sigaddset(&block, signals_handled[k]);
  sigprocmask(SIG_BLOCK, &block, &old_mask);
  char **old_staged = od->staged, **old_names = od->names;
  od->staged = staged;
  od->names = names;
  od->cap_staged = cap;
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  free(old_staged);
  free(old_names);
  return 1;
}

static int is_subdir(const io_outdir *od, const char *name, size_t len) {
  for (int k = 0; k < od->n_subdirs; k++)
    if (strlen(od->subdirs[k]) == len && strncmp(od->subdirs[k], name, len) == 0) return 1;
  return 0;
}

mm_status io_outdir_subdir(io_outdir *od, const char *name, mm_error *e) {
  if (od->n_subdirs == MAX_SUBDIRS || !*name || strlen(name) >= sizeof od->subdirs[0] ||
      strchr(name, '/') || name[0] == '.') {
    mm_error_set(e, NULL, "cannot stage the output subfolder \"%s\"", name);
    return MM_ERR_USAGE;
  }
  char path[PATH_CAP + 300];
  snprintf(path, sizeof path, "%s/%s", od->stage, name);
  /* Listed first, like a staged file, so a signal cleans it up. */
  strcpy(od->subdirs[od->n_subdirs++], name);
  if (mkdir(path, 0777) != 0) {
    od->n_subdirs--;
    return io_error(e, path, "cannot create an output subfolder");
  }
  return MM_OK;
}

FILE *io_outdir_create(io_outdir *od, const char *name, mm_error *e) {
  const char *slash = strchr(name, '/');
  if ((slash && (!is_subdir(od, name, (size_t)(slash - name)) || strchr(slash + 1, '/'))) ||
      strlen(name) >= 256) {
    mm_error_set(e, NULL, "cannot stage the output file \"%s\"", name);
    return NULL;
  }
  char *path = malloc(strlen(od->stage) + strlen(name) + 2), *copy = strdup(name);
  if (!path || !copy || !grow_staged(od)) {
    free(path);
    free(copy);
    mm_error_set(e, NULL, "out of memory");
    return NULL;
  }
  sprintf(path, "%s/%s", od->stage, name);
  od->names[od->n_staged] = copy;
  od->staged[od->n_staged] = path;
  /* Listed before it exists: a signal handler may run between open() and
   * the next statement, and must find the file to remove it. */
  od->n_staged++;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    io_error(e, path, "cannot create output file");
    od->n_staged--;
    free(path);
    free(copy);
    return NULL;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    io_error(e, path, "cannot open output file");
    return NULL;
  }
  return f;
}

mm_status io_outdir_close(io_outdir *od, FILE *f, mm_error *e) {
  (void)od;
  int failed = ferror(f) || fflush(f) != 0;
  int saved = errno;
  failed |= fclose(f) != 0;
  if (failed) {
    errno = saved ? saved : EIO;
    mm_error_set(e, NULL, "cannot write an output file: %s", strerror(errno));
    mm_error_locate(e, od->stage, 0, 0);
    return MM_ERR_IO;
  }
  return MM_OK;
}

static void free_outdir(io_outdir *od) {
  for (int k = 0; k < od->n_staged; k++) {
    free(od->staged[k]);
    free(od->names[k]);
  }
  free(od->staged);
  free(od->names);
  free(od);
}

/* Empties and removes a folder without following links: a link in its
 * place is removed itself, and only plain entries inside are unlinked. */
static void remove_tree(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    unlink(path);
    return;
  }
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return;
  }
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL)
    if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0) unlinkat(fd, ent->d_name, 0);
  closedir(d);
  rmdir(path);
}

/* Moves staged subfolder k over DIR's: the old one is renamed aside first
 * and removed once the new one is in place. */
static int replace_subdir(io_outdir *od, int k, char *old_path, size_t size) {
  char staged[PATH_CAP + 300], final_path[PATH_CAP + 300];
  snprintf(staged, sizeof staged, "%s/%s", od->stage, od->subdirs[k]);
  snprintf(final_path, sizeof final_path, "%s/%s", od->dir, od->subdirs[k]);
  snprintf(old_path, size, "%s/.mentormatch-old-%ld-%s", od->dir, (long)getpid(), od->subdirs[k]);
  struct stat st;
  if (lstat(final_path, &st) == 0 && rename(final_path, old_path) != 0) return -1;
  if (rename(staged, final_path) != 0) return -1;
  return 0;
}

/* Every staged byte on disk before anything is renamed into DIR. */
static int sync_stage(const io_outdir *od) {
  int fd = open(od->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
#ifdef __linux__
  int rc = syncfs(fd);
#else
  sync();
  int rc = fsync(fd);
#endif
  close(fd);
  return rc;
}

mm_status io_outdir_commit(io_outdir *od, mm_error *e) {
  char final_path[PATH_CAP + 256], old[MAX_SUBDIRS][PATH_CAP + 300];
  if (sync_stage(od) != 0) {
    mm_status s = io_error(e, od->stage, "cannot write the output files to disk");
    io_outdir_abort(od);
    return s;
  }
  /* No signal between the first and the last rename: DIR holds either the
   * old set or the new one.  A signal that arrives meanwhile is delivered
   * once the handlers are restored below. */
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int k = 0; k < 3; k++) sigaddset(&block, signals_handled[k]);
  sigprocmask(SIG_BLOCK, &block, &old_mask);
  mm_status s = MM_OK;
  int moved_subdirs = 0;
  for (; moved_subdirs < od->n_subdirs && s == MM_OK; moved_subdirs++) {
    old[moved_subdirs][0] = '\0';
    if (replace_subdir(od, moved_subdirs, old[moved_subdirs], sizeof old[0]) != 0)
      s = io_error(e, od->subdirs[moved_subdirs], "cannot move the result into place");
  }
  for (int k = 0; k < od->n_staged && s == MM_OK; k++) {
    if (strchr(od->names[k], '/')) continue; /* moved with its subfolder */
    snprintf(final_path, sizeof final_path, "%s/%s", od->dir, od->names[k]);
    if (rename(od->staged[k], final_path) != 0) {
      s = io_error(e, final_path, "cannot move the result into place");
      /* Files already moved stay; the rest are removed with the staging folder. */
      for (int rest = k; rest < od->n_staged; rest++) unlink(od->staged[rest]);
    }
  }
  for (int k = 0; k < moved_subdirs; k++)
    if (old[k][0]) remove_tree(old[k]);
  if (s != MM_OK) remove_staged(od);
  rmdir(od->stage);
  int fd = open(od->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  restore_handlers(od);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  free_outdir(od);
  return s;
}

void io_outdir_abort(io_outdir *od) {
  if (!od) return;
  remove_staged(od);
  restore_handlers(od);
  free_outdir(od);
}
