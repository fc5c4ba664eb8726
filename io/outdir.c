/* outdir.c: stages a run's output files and publishes them with one atomic rename.
 *
 * See outdir.h for the layout and the guarantees.  Every step works on
 * folder descriptors (openat and friends, O_NOFOLLOW), so a link planted in
 * DIR cannot redirect a write or a removal elsewhere.  What this run has
 * created so far is kept in an undo list of (folder descriptor, name) pairs
 * in fixed storage, so the signal handler can remove it with unlinkat()
 * alone, which is async-signal-safe.
 */
#define _GNU_SOURCE /* renameat2 */
#include "outdir.h"

#include "fs_remove.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 16
#define MAX_UNDO 128
#define MAX_DEPTH 8
#define NAME_CAP 256
#define PATH_CAP 4096

static const char private_dir[] = ".mentormatch";
static const char latest_name[] = "latest";
static const char latest_prefix[] = ".mentormatch/";
static const char legacy_prefix[] = ".mentormatch-staging-";
static const char stand_in_tag[] = ".mentormatch-new-";

/* Names of the tool's result sets.  A file under one of these names that an
 * older version wrote straight into DIR belongs to the old set: it is taken
 * over, and dropped when the new set lacks it (meetings.ics after `solve`).
 * Other files in DIR are the user's and are never touched. */
static const char *const result_names[] = {"pairings.csv", "unmatched.csv", "unscheduled.csv", "meetings.csv",
                                           "meetings.ics", "report.html",   "summary.json"};

typedef struct {
  int fd;
  int flags;
  char name[NAME_CAP + 32];
} undo_entry;

struct io_outdir {
  char dir[PATH_CAP]; /* as given, for messages */
  int dfd;            /* DIR, or its stand-in while a new DIR is built */
  int mfd;            /* DIR/.mentormatch, locked */
  int sfd;            /* the staging folder */
  char stage[64], run[64];
  /* A new DIR: the stand-in tmp inside pfd is renamed to top at commit. */
  int fresh, pfd;
  char top[NAME_CAP], tmp[NAME_CAP + 32];
  char shown[PATH_CAP + NAME_CAP]; /* io_outdir_shown's answer */
  int fds[MAX_DEPTH + 2];
  int n_fds;
  undo_entry undo[MAX_UNDO];
  volatile sig_atomic_t n_undo;
  char names[MAX_FILES][NAME_CAP];
  int n_names;
  struct sigaction old[3];
};

static io_outdir *volatile current;
static const int signals_handled[3] = {SIGINT, SIGTERM, SIGHUP};

static void run_undo(io_outdir *od) {
  for (int k = od->n_undo - 1; k >= 0; k--) unlinkat(od->undo[k].fd, od->undo[k].name, od->undo[k].flags);
  od->n_undo = 0;
}

static void on_signal(int sig) {
  io_outdir *od = current;
  if (od) run_undo(od);
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

/* Listed before it exists: a signal may arrive right after the creation. */
static void push_undo(io_outdir *od, int fd, const char *name, int flags) {
  if (od->n_undo == MAX_UNDO) return;
  undo_entry *u = &od->undo[od->n_undo];
  u->fd = fd;
  u->flags = flags;
  snprintf(u->name, sizeof u->name, "%s", name);
  od->n_undo++;
}

/* An error about dir/name (or dir): what, then the system's reason unless plain. */
static mm_status report(mm_error *e, const char *dir, const char *name, const char *what, int plain) {
  int err = errno;
  if (plain)
    mm_error_set(e, NULL, "%s", what);
  else
    mm_error_set(e, NULL, "%s: %s", what, strerror(err));
  char path[PATH_CAP + NAME_CAP];
  snprintf(path, sizeof path, "%s%s%s", dir, name ? "/" : "", name ? name : "");
  mm_error_locate(e, path, 0, 0);
  return MM_ERR_IO;
}

static mm_status fail(mm_error *e, const char *dir, const char *name, const char *what) {
  return report(e, dir, name, what, 0);
}

static mm_status refuse(mm_error *e, const char *dir, const char *name, const char *what) {
  return report(e, dir, name, what, 1);
}

/* A name unique among this DIR's runs (the lock is held while it is used). */
static void fresh_name(char *buf, size_t size, const char *kind) {
  static unsigned serial;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(buf, size, "%s%ld-%lx%08lx-%u", kind, (long)getpid(), (unsigned long)ts.tv_sec,
           (unsigned long)ts.tv_nsec, serial++);
}

static int keep_fd(io_outdir *od, int fd) {
  if (fd >= 0) od->fds[od->n_fds++] = fd;
  return fd;
}

/* The run folder DIR/latest points at ("" when none). */
static void read_latest(int dfd, char *run, size_t size) {
  char buf[NAME_CAP];
  ssize_t n = readlinkat(dfd, latest_name, buf, sizeof buf - 1);
  run[0] = '\0';
  if (n <= 0) return;
  buf[n] = '\0';
  if (strncmp(buf, latest_prefix, sizeof latest_prefix - 1) == 0 && !strchr(buf + sizeof latest_prefix - 1, '/'))
    snprintf(run, size, "%s", buf + sizeof latest_prefix - 1);
}

/* Whether DIR/name is the link this tool makes for it: latest/name. */
static int is_our_link(int dfd, const char *name) {
  char want[NAME_CAP + 8], got[NAME_CAP + 8];
  snprintf(want, sizeof want, "%s/%s", latest_name, name);
  ssize_t n = readlinkat(dfd, name, got, sizeof got - 1);
  if (n < 0) return 0;
  got[n] = '\0';
  return strcmp(got, want) == 0;
}

/* Opens DIR/.mentormatch (creating it), which must be our own real folder,
 * and takes the lock that serialises runs into DIR. */
static mm_status open_private(io_outdir *od, mm_error *e) {
  if (mkdirat(od->dfd, private_dir, 0777) != 0 && errno != EEXIST)
    return fail(e, od->dir, private_dir, "cannot create the output folder's private folder");
  od->mfd = keep_fd(od, openat(od->dfd, private_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (od->mfd < 0) {
    if (errno == ELOOP || errno == ENOTDIR)
      return refuse(e, od->dir, private_dir, "is not a folder (a link or a file); move it away");
    return fail(e, od->dir, private_dir, "cannot open");
  }
  struct stat st;
  if (fstat(od->mfd, &st) != 0) return fail(e, od->dir, private_dir, "cannot open");
  if (st.st_uid != geteuid())
    return refuse(e, od->dir, private_dir, "belongs to another user; use another output folder");
  while (flock(od->mfd, LOCK_EX) != 0)
    if (errno != EINTR) return fail(e, od->dir, private_dir, "cannot lock");
  struct stat lt;
  char run[NAME_CAP];
  read_latest(od->dfd, run, sizeof run);
  if (fstatat(od->dfd, latest_name, &lt, AT_SYMLINK_NOFOLLOW) == 0 && !run[0])
    return refuse(e, od->dir, latest_name, "is not this tool's link to the current results; move it away");
  return MM_OK;
}

/* Under the lock, nothing in DIR/.mentormatch but the current run is live. */
static void remove_leftovers(io_outdir *od) {
  char live[NAME_CAP], shown[PATH_CAP + 2 * NAME_CAP];
  read_latest(od->dfd, live, sizeof live);
  static const struct {
    int in_private;
    const char *prefix;
  } kinds[] = {{1, "staging-"}, {1, "run-"}, {1, "tmp-"}, {0, legacy_prefix}};
  for (int inside = 0; inside < 2; inside++) {
    int fd = openat(inside ? od->mfd : od->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
      if (fd >= 0) close(fd);
      continue;
    }
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
      for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        if (kinds[k].in_private != inside || strncmp(ent->d_name, kinds[k].prefix, strlen(kinds[k].prefix)) != 0)
          continue;
        if (inside && strcmp(ent->d_name, live) == 0) continue;
        snprintf(shown, sizeof shown, "%s/%s%s", od->dir, inside ? ".mentormatch/" : "", ent->d_name);
        if (strcmp(kinds[k].prefix, "tmp-") == 0)
          unlinkat(od->mfd, ent->d_name, 0); /* our temporary links: a link is removed, never followed */
        else
          io_remove_leftover_at(inside ? od->mfd : od->dfd, ent->d_name, shown);
      }
    }
    closedir(d);
  }
}

/* Stand-ins of killed runs that were creating the same new folder: alive
 * while their run holds a lock on them. */
static void remove_dead_stand_ins(io_outdir *od) {
  char prefix[NAME_CAP + 32];
  snprintf(prefix, sizeof prefix, ".%s%s", od->top, stand_in_tag);
  int fd = openat(od->pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return;
  }
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (strncmp(ent->d_name, prefix, strlen(prefix)) != 0) continue;
    int sfd = openat(od->pfd, ent->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sfd < 0) continue;
    int dead = flock(sfd, LOCK_EX | LOCK_NB) == 0;
    close(sfd);
    if (dead) io_remove_tree_at(od->pfd, ent->d_name, MAX_DEPTH + 4);
  }
  closedir(d);
}

/* Splits dir at its first missing component: opens the folder above it
 * (od->pfd), remembers its name (od->top) and returns the offset of the
 * rest of the path (after top), or -1 with errno set. */
static long split_missing(io_outdir *od, char *path) {
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/') path[--len] = '\0';
  char *p = path;
  while (*p == '/') p++;
  for (;;) {
    char *slash = strchr(p, '/');
    if (slash) *slash = '\0';
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT) return -1;
    if (!exists) {
      snprintf(od->top, sizeof od->top, "%s", p);
      char saved = *p;
      *p = '\0';
      od->pfd = keep_fd(od, open(p == path ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      *p = saved;
      if (slash) *slash = '/';
      if (od->pfd < 0) return -1;
      return slash ? (long)(slash - path) : (long)len;
    }
    if (!S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      return -1;
    }
    if (!slash) {
      errno = EEXIST;
      return -1;
    }
    *slash = '/';
    p = slash + 1;
    while (*p == '/') p++;
  }
}

/* Builds a missing DIR under a locked stand-in next to its first missing component. */
static mm_status open_fresh(io_outdir *od, mm_error *e) {
  char path[PATH_CAP];
  snprintf(path, sizeof path, "%s", od->dir);
  long rest = split_missing(od, path);
  if (rest < 0) return fail(e, od->dir, NULL, "cannot create the output folder");
  /* Missing to stat() yet present to lstat(): a link to nothing, which the
   * stand-in could never be renamed over. */
  struct stat st;
  if (fstatat(od->pfd, od->top, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return refuse(e, od->dir, NULL, "the output path is a link to something that does not exist");
  if (strlen(od->top) + sizeof stand_in_tag + 24 > NAME_CAP) {
    errno = ENAMETOOLONG;
    return fail(e, od->dir, NULL, "cannot create the output folder");
  }
  od->fresh = 1;
  remove_dead_stand_ins(od);
  char tag[48];
  fresh_name(tag, sizeof tag, "");
  snprintf(od->tmp, sizeof od->tmp, ".%s%s%s", od->top, stand_in_tag, tag);
  push_undo(od, od->pfd, od->tmp, AT_REMOVEDIR);
  if (mkdirat(od->pfd, od->tmp, 0777) != 0) {
    od->n_undo--;
    return fail(e, od->dir, NULL, "cannot create the output folder");
  }
  int cur = keep_fd(od, openat(od->pfd, od->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (cur < 0 || flock(cur, LOCK_EX) != 0) return fail(e, od->dir, NULL, "cannot create the output folder");
  char *save = NULL;
  for (char *p = strtok_r(path + rest, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
    if (od->n_fds == MAX_DEPTH) {
      errno = ENAMETOOLONG;
      return fail(e, od->dir, NULL, "cannot create the output folder: too many missing folders");
    }
    push_undo(od, cur, p, AT_REMOVEDIR);
    if (mkdirat(cur, p, 0777) != 0) {
      od->n_undo--;
      return fail(e, od->dir, NULL, "cannot create the output folder");
    }
    cur = keep_fd(od, openat(cur, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (cur < 0) return fail(e, od->dir, NULL, "cannot create the output folder");
  }
  od->dfd = cur;
  push_undo(od, od->dfd, private_dir, AT_REMOVEDIR);
  return open_private(od, e);
}

static mm_status open_existing(io_outdir *od, mm_error *e) {
  mm_status s = open_private(od, e);
  if (s == MM_OK) remove_leftovers(od);
  return s;
}

static void close_fds(io_outdir *od) {
  for (int k = 0; k < od->n_fds; k++) close(od->fds[k]);
  od->n_fds = 0;
}

static void release(io_outdir *od) {
  restore_handlers(od);
  close_fds(od);
  free(od);
}

mm_status io_outdir_open(const char *dir, io_outdir **out, mm_error *e) {
  *out = NULL;
  if (!dir[0] || strlen(dir) + 64 >= PATH_CAP) {
    mm_error_set(e, NULL, dir[0] ? "--out: the path is too long" : "--out: expected a folder, got an empty path");
    return MM_ERR_USAGE;
  }
  io_outdir *od = calloc(1, sizeof *od);
  if (!od) {
    mm_error_set(e, NULL, "out of memory");
    return MM_ERR_NOMEM;
  }
  strcpy(od->dir, dir);
  od->dfd = od->mfd = od->sfd = od->pfd = -1;
  set_handlers(od); /* before anything is created, so no signal can orphan it */
  mm_status s;
  od->dfd = keep_fd(od, open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (od->dfd >= 0) {
    s = open_existing(od, e);
  } else if (errno == ENOENT) {
    s = open_fresh(od, e);
  } else {
    s = fail(e, dir, NULL, errno == ENOTDIR ? "the output path is not a folder" : "cannot open the output folder");
  }
  if (s == MM_OK) {
    fresh_name(od->stage, sizeof od->stage, "staging-");
    push_undo(od, od->mfd, od->stage, AT_REMOVEDIR);
    if (mkdirat(od->mfd, od->stage, 0777) != 0) {
      od->n_undo--;
      s = fail(e, dir, NULL, "cannot write in the output folder");
    } else if ((od->sfd = keep_fd(od, openat(od->mfd, od->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))) < 0) {
      s = fail(e, dir, NULL, "cannot write in the output folder");
    }
  }
  if (s != MM_OK) {
    run_undo(od);
    release(od);
    return s;
  }
  *out = od;
  return MM_OK;
}

/* Whether name is "folder/file" with folder made by io_outdir_mkdir. */
static int in_staged_folder(const io_outdir *od, const char *name) {
  const char *slash = strchr(name, '/');
  if (!slash || slash == name || !slash[1] || strchr(slash + 1, '/')) return 0;
  for (int k = 0; k < od->n_names; k++)
    if (strlen(od->names[k]) == (size_t)(slash - name) && strncmp(od->names[k], name, (size_t)(slash - name)) == 0)
      return 1;
  return 0;
}

mm_status io_outdir_mkdir(io_outdir *od, const char *folder, mm_error *e) {
  if (od->n_names == MAX_FILES || strlen(folder) >= NAME_CAP || !folder[0] || strchr(folder, '/')) {
    mm_error_set(e, NULL, "too many output files");
    return MM_ERR_LIMIT;
  }
  push_undo(od, od->sfd, folder, AT_REMOVEDIR);
  if (mkdirat(od->sfd, folder, 0777) != 0) {
    od->n_undo--;
    return fail(e, od->dir, folder, "cannot create output folder");
  }
  strcpy(od->names[od->n_names++], folder);
  return MM_OK;
}

FILE *io_outdir_create(io_outdir *od, const char *name, mm_error *e) {
  int nested = in_staged_folder(od, name);
  if ((!nested && od->n_names == MAX_FILES) || strlen(name) >= NAME_CAP || (strchr(name, '/') && !nested)) {
    mm_error_set(e, NULL, "too many output files");
    return NULL;
  }
  push_undo(od, od->sfd, name, 0);
  int fd = openat(od->sfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    od->n_undo--;
    fail(e, od->dir, name, "cannot create output file");
    return NULL;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    fail(e, od->dir, name, "cannot open output file");
    return NULL;
  }
  if (!nested) strcpy(od->names[od->n_names++], name);
  return f;
}

const char *io_outdir_shown(io_outdir *od, const char *name) {
  size_t len = strlen(od->dir);
  while (len > 1 && od->dir[len - 1] == '/') len--;
  snprintf(od->shown, sizeof od->shown, "%.*s%s%s", (int)len, od->dir, od->dir[len - 1] == '/' ? "" : "/", name);
  return od->shown;
}

mm_status io_outdir_close(io_outdir *od, FILE *f, mm_error *e) {
  int failed = ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0;
  int saved = errno;
  failed |= fclose(f) != 0;
  if (failed) {
    errno = saved ? saved : EIO;
    mm_error_set(e, NULL, "cannot write an output file: %s", strerror(errno));
    mm_error_locate(e, od->dir, 0, 0);
    return MM_ERR_IO;
  }
  return MM_OK;
}

/* Makes DIR/name the link latest/name (replacing the name in one rename). */
static int make_link(io_outdir *od, const char *name) {
  char target[NAME_CAP + 8];
  snprintf(target, sizeof target, "%s/%s", latest_name, name);
  unlinkat(od->mfd, "tmp-link", 0);
  if (symlinkat(target, od->mfd, "tmp-link") != 0) return -1;
  return renameat(od->mfd, "tmp-link", od->dfd, name);
}

/* Points DIR/latest at .mentormatch/run in one rename; the run before is
 * removed afterwards.  This is the instant the new set becomes visible. */
static int flip_latest(io_outdir *od, const char *run) {
  char old[NAME_CAP], target[NAME_CAP + 16];
  read_latest(od->dfd, old, sizeof old);
  snprintf(target, sizeof target, "%s%s", latest_prefix, run);
  unlinkat(od->mfd, "tmp-latest", 0);
  if (symlinkat(target, od->mfd, "tmp-latest") != 0 || renameat(od->mfd, "tmp-latest", od->dfd, latest_name) != 0)
    return -1;
  od->n_undo = 0; /* published: nothing of it may be undone */
  fsync(od->dfd);
  if (old[0] && strcmp(old, run) != 0) io_remove_tree_at(od->mfd, old, 2);
  return 0;
}

/* Whether name is one of the result set names or staged by this run. */
static int is_result_name(const io_outdir *od, const char *name) {
  for (size_t k = 0; k < sizeof result_names / sizeof *result_names; k++)
    if (strcmp(result_names[k], name) == 0) return 1;
  for (int k = 0; k < od->n_names; k++)
    if (strcmp(od->names[k], name) == 0) return 1;
  return 0;
}

/* Calls fn on every entry of DIR; stops at the first non-zero result. */
static int each_entry(io_outdir *od, int (*fn)(io_outdir *, const char *)) {
  int fd = openat(od->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return -1;
  }
  int r = 0;
  struct dirent *ent;
  while (r == 0 && (ent = readdir(d)) != NULL) r = fn(od, ent->d_name);
  closedir(d);
  return r;
}

/* 1 if name is a result file DIR holds outside the layout (an older version's). */
static int is_foreign_result(io_outdir *od, const char *name) {
  if (!is_result_name(od, name) || is_our_link(od->dfd, name)) return 0;
  struct stat st;
  return fstatat(od->dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static int adopt_link(io_outdir *od, const char *name) {
  return is_foreign_result(od, name) && make_link(od, name) != 0 ? -1 : 0;
}

static int adopt_into(io_outdir *od, const char *name) {
  if (!is_foreign_result(od, name)) return 0;
  int afd = openat(od->mfd, od->run, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (afd < 0) return -1;
  int r = linkat(od->dfd, name, afd, name, AT_SYMLINK_FOLLOW);
  close(afd);
  return r != 0 && errno != ENOENT ? -1 : 0;
}

/* 1 if DIR/name is a symbolic link the tool did not make: taking it over
 * would mean following it (to another file system, or to the user's file). */
static int is_foreign_link(io_outdir *od, const char *name) {
  struct stat st;
  return is_result_name(od, name) && fstatat(od->dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
         !is_our_link(od->dfd, name);
}

/* Names of DIR that are in the way of a result: a folder, or a link of the user's. */
static mm_status refuse_obstacles(io_outdir *od, mm_error *e) {
  struct stat st;
  for (int k = 0; k < od->n_names; k++)
    if (fstatat(od->dfd, od->names[k], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
      return refuse(e, od->dir, od->names[k], "is a folder; move it away");
  for (size_t k = 0; k < sizeof result_names / sizeof *result_names; k++)
    if (is_foreign_link(od, result_names[k]))
      return refuse(e, od->dir, result_names[k], "is a link this tool did not make; move it away");
  for (int k = 0; k < od->n_names; k++)
    if (is_foreign_link(od, od->names[k]))
      return refuse(e, od->dir, od->names[k], "is a link this tool did not make; move it away");
  return MM_OK;
}

/* Result files written into DIR by an older version (or by hand) are first
 * taken into a run folder by hard links and the names turned into links to
 * it: a reader sees the same bytes throughout. */
static mm_status adopt_old_files(io_outdir *od, mm_error *e) {
  mm_status s = refuse_obstacles(od, e);
  if (s != MM_OK) return s;
  if (each_entry(od, is_foreign_result) == 0) return MM_OK;
  char run[64];
  snprintf(run, sizeof run, "%s", od->run);
  fresh_name(od->run, sizeof od->run, "run-");
  if (mkdirat(od->mfd, od->run, 0777) != 0 || each_entry(od, adopt_into) != 0 || flip_latest(od, od->run) != 0 ||
      each_entry(od, adopt_link) != 0)
    s = fail(e, od->dir, NULL, "cannot take over the result files an older version wrote");
  snprintf(od->run, sizeof od->run, "%s", run);
  return s;
}

/* A file of the current set that is not a result (generate's or init's
 * rosters, maybe edited since) becomes a plain file of DIR before a set
 * without it is published: a hard link in its place, same bytes throughout. */
static int keep_other(io_outdir *od, const char *name) {
  if (!is_our_link(od->dfd, name) || is_result_name(od, name)) return 0;
  unlinkat(od->mfd, "tmp-keep", 0);
  if (linkat(od->dfd, name, od->mfd, "tmp-keep", AT_SYMLINK_FOLLOW) != 0) return errno == ENOENT ? 0 : -1;
  return renameat(od->mfd, "tmp-keep", od->dfd, name);
}

/* Our links that the new set left dangling (meetings.ics after `solve`). */
static int drop_dangling(io_outdir *od, const char *name) {
  struct stat st;
  if (is_our_link(od->dfd, name) && fstatat(od->dfd, name, &st, 0) != 0 && errno == ENOENT)
    unlinkat(od->dfd, name, 0);
  return 0;
}

/* Makes the staged set DIR's current one; see outdir.h. */
static mm_status publish(io_outdir *od, mm_error *e) {
  mm_status s = adopt_old_files(od, e);
  if (s != MM_OK) return s;
  if (each_entry(od, keep_other) != 0) return fail(e, od->dir, NULL, "cannot keep the files of the set before");
  for (int k = 0; k < od->n_names; k++)
    if (!is_our_link(od->dfd, od->names[k]) && make_link(od, od->names[k]) != 0)
      return fail(e, od->dir, od->names[k], "cannot link the result into place");
  /* A signal sent before the flip still finds DIR as it was. */
  sigset_t pending;
  sigpending(&pending);
  for (int k = 0; k < 3; k++)
    if (sigismember(&pending, signals_handled[k])) return refuse(e, od->dir, NULL, "interrupted");
  if (flip_latest(od, od->run) != 0) return fail(e, od->dir, latest_name, "cannot move the result into place");
  each_entry(od, drop_dangling);
  return MM_OK;
}

/* Renames the finished stand-in to the new DIR's name. */
static mm_status place_fresh(io_outdir *od, mm_error *e) {
  fsync(od->dfd);
  if (renameat2(od->pfd, od->tmp, od->pfd, od->top, RENAME_NOREPLACE) == 0) {
    fsync(od->pfd);
    return MM_OK;
  }
  mm_status s = fail(e, od->dir, NULL, errno == EEXIST || errno == ENOTEMPTY
                                           ? "another program created the output folder meanwhile; run again"
                                           : "cannot move the output folder into place");
  io_remove_tree_at(od->pfd, od->tmp, MAX_DEPTH + 4);
  return s;
}

mm_status io_outdir_commit(io_outdir *od, mm_error *e) {
  /* No signal handler runs while publishing: a signal that arrives
   * meanwhile is delivered once the handlers are restored below. */
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int k = 0; k < 3; k++) sigaddset(&block, signals_handled[k]);
  sigprocmask(SIG_BLOCK, &block, &old_mask);
  mm_status s = MM_OK;
  fresh_name(od->run, sizeof od->run, "run-");
  if (fsync(od->sfd) != 0 || renameat(od->mfd, od->stage, od->mfd, od->run) != 0) {
    s = fail(e, od->dir, NULL, "cannot move the result into place");
  } else {
    for (int k = 0; k < od->n_undo; k++)
      if (od->undo[k].fd == od->mfd && strcmp(od->undo[k].name, od->stage) == 0)
        snprintf(od->undo[k].name, sizeof od->undo[k].name, "%s", od->run);
    fsync(od->mfd);
    s = publish(od, e);
  }
  if (s == MM_OK && od->fresh) s = place_fresh(od, e);
  if (s != MM_OK && !od->fresh) {
    char live[NAME_CAP];
    run_undo(od);
    read_latest(od->dfd, live, sizeof live);
    if (strcmp(live, od->run) != 0) io_remove_tree_at(od->mfd, od->run, 2);
    each_entry(od, drop_dangling);
  } else if (s != MM_OK) {
    run_undo(od);
    io_remove_tree_at(od->pfd, od->tmp, MAX_DEPTH + 4);
  }
  release(od);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  return s;
}

void io_outdir_abort(io_outdir *od) {
  if (!od) return;
  run_undo(od);
  release(od);
}
