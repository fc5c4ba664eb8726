/* outdir.c: stages a run's output files and moves them into place only when all succeeded.
 *
 * See outdir.h.  Paths of staged files are kept in fixed buffers so the
 * signal handler can unlink them with async-signal-safe calls only.
 */
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

#define MAX_FILES 64
#define PATH_CAP 4096

struct io_outdir {
  char dir[PATH_CAP];
  char stage[PATH_CAP];
  char staged[MAX_FILES][PATH_CAP + 300];
  char names[MAX_FILES][256];
  int n_staged;
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
        unlink(file);
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

FILE *io_outdir_create(io_outdir *od, const char *name, mm_error *e) {
  if (od->n_staged == MAX_FILES || strlen(name) >= sizeof od->names[0]) {
    mm_error_set(e, NULL, "too many output files");
    return NULL;
  }
  char *path = od->staged[od->n_staged];
  snprintf(path, sizeof od->staged[0], "%s/%s", od->stage, name);
  /* "sub/file" is staged flat as "sub%file" and gets its folder on commit. */
  for (char *c = path + strlen(od->stage) + 1; *c; c++)
    if (*c == '/') *c = '%';
  strcpy(od->names[od->n_staged], name);
  /* Listed before it exists: a signal handler may run between open() and
   * the next statement, and must find the file to remove it. */
  od->n_staged++;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    io_error(e, path, "cannot create output file");
    od->n_staged--;
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
  int failed = ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0;
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

mm_status io_outdir_commit(io_outdir *od, mm_error *e) {
  char final_path[PATH_CAP + 256];
  /* No signal between the first and the last rename: DIR holds either the
   * old set or the new one.  A signal that arrives meanwhile is delivered
   * once the handlers are restored below. */
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int k = 0; k < 3; k++) sigaddset(&block, signals_handled[k]);
  sigprocmask(SIG_BLOCK, &block, &old_mask);
  for (int k = 0; k < od->n_staged; k++) {
    snprintf(final_path, sizeof final_path, "%s/%s", od->dir, od->names[k]);
    char *sub = strrchr(final_path + strlen(od->dir) + 1, '/');
    if (sub) {
      *sub = '\0';
      if (mkdir(final_path, 0777) != 0 && errno != EEXIST) sub = final_path;
      else *sub = '/';
    }
    if (sub == final_path || rename(od->staged[k], final_path) != 0) {
      mm_status s = io_error(e, final_path, "cannot move the result into place");
      /* Files already moved stay; the rest are removed with the staging folder. */
      for (int rest = k; rest < od->n_staged; rest++) unlink(od->staged[rest]);
      rmdir(od->stage);
      restore_handlers(od);
      sigprocmask(SIG_SETMASK, &old_mask, NULL);
      free(od);
      return s;
    }
  }
  rmdir(od->stage);
  int fd = open(od->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  restore_handlers(od);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  free(od);
  return MM_OK;
}

void io_outdir_abort(io_outdir *od) {
  if (!od) return;
  remove_staged(od);
  restore_handlers(od);
  free(od);
}
