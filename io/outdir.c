/* outdir.c: stages a run's output files and publishes them with one atomic rename.
 *
 * See outdir.h for the layout and the guarantees.  Every step works on
 * folder descriptors (openat and friends, O_NOFOLLOW), so a link planted in
 * DIR cannot redirect a write or a removal elsewhere.  What this run has
 * created so far is kept in an undo list of (folder descriptor, name) pairs
 * in fixed storage, so the signal handler can remove it with unlinkat()
 * alone, which is async-signal-safe; the list grows with the signals
 * blocked, so the handler never sees it half moved, and the names sit in
 * blocks that never move.  An entry is 16 bytes and its name's length: a
 * large run lists 225,000 calendar files, which took 66 MB (77 MB
 * allocated, and the old and new lists together while it grew) when each
 * entry held room for the longest name.  A signal may be handled on any
 * thread that does not block it (the OpenMP threads do not) while others
 * work on the folder (the calendar files come from several).  So every
 * change to the undo list or the staged entries, and the whole of
 * publishing, is a window with the signals blocked on its thread, counted
 * in `creating`.  The handler marks the run as dying and waits for the open
 * windows to close before it removes anything, so no entry appears behind
 * its back and keeps a folder from being removed; a thread that opens or
 * closes a window once the run is dying waits for the handler to end the
 * process, so it can neither report an error of its own (a staging folder
 * gone) nor publish.
 *
 * A run writes thousands of calendar files (invites/, calendars/), so files
 * are not synced one by one (a journal commit each: 18 s for 2,700 files):
 * one syncfs() on the staging folder writes every staged byte and entry to
 * disk before the folder is renamed and published.  Where syncfs() is
 * missing, each file is fdatasync()ed as it is closed instead.
 */
#define _GNU_SOURCE /* renameat2, syncfs */
#include "outdir.h"

#include "fs_remove.h"
#include "io_pool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SUBDIRS 4
#define MAX_DEPTH 8
#define NAME_CAP 256
#define PATH_CAP 4096

#ifdef __linux__
#define HAVE_SYNCFS 1
#else
#define HAVE_SYNCFS 0
#endif

static const char private_dir[] = ".mentormatch";
static const char latest_name[] = "latest";
static const char latest_prefix[] = ".mentormatch/";
static const char legacy_prefix[] = ".mentormatch-staging-";
static const char stand_in_tag[] = ".mentormatch-new-";

/* Names of the tool's result sets: a link of ours under one of them is
 * dropped when the new set lacks it (meetings.ics after `solve`), while
 * other files of a set (generate's rosters) stay as plain files.  Only the
 * tool's own links are ever replaced or removed: any other entry under a
 * name of the new set, a file an older version wrote straight into DIR
 * included, stops the run (see obstacle). */
static const char *const result_names[] = {"pairings.csv", "unmatched.csv", "unscheduled.csv", "meetings.csv",
                                           "meetings.ics", "report.html",   "summary.json",    "invites",
                                           "calendars",    "explain"};

typedef struct {
  int fd;
  int flags;
  const char *name; /* in od->names_kept, or one of od's own fields */
} undo_entry;

/* Storage for the undo list's names, filled block by block; a block never
 * moves or shrinks while od lives. */
typedef struct name_block {
  struct name_block *next;
  size_t used, size;
  char text[];
} name_block;
#define NAME_BLOCK_BYTES 65536

struct io_outdir {
  char dir[PATH_CAP]; /* as given, for messages */
  int dfd;            /* DIR, or its stand-in while a new DIR is built */
  int mfd;            /* DIR/.mentormatch, locked */
  int sfd;            /* the staging folder */
  char stage[64], run[64];
  /* A new DIR: the stand-in tmp inside pfd is renamed to top at commit;
   * dir + rest is the path of DIR below top. */
  int fresh, pfd;
  long rest;
  char top[NAME_CAP], tmp[NAME_CAP + 80];
  char shown[PATH_CAP + NAME_CAP]; /* io_outdir_shown's answer */
  int fds[MAX_DEPTH + 2 + MAX_SUBDIRS];
  int n_fds;
  /* Staged subfolders (io_outdir_subdir) and their descriptors. */
  char subdirs[MAX_SUBDIRS][NAME_CAP];
  int subfds[MAX_SUBDIRS], n_subdirs;
  undo_entry *volatile undo;
  volatile sig_atomic_t n_undo;
  int cap_undo;
  name_block *names_kept; /* the block being filled first */
  /* Names DIR shows for this set: its top-level files and subfolders. */
  char (*names)[NAME_CAP];
  int n_names, cap_names;
  struct sigaction old[3];
  /* io_outdir_commit_timed: threads for removing the set before, and the
   * seconds that took. */
  int remove_threads;
  double remove_s;
};

static io_outdir *volatile current;
static const int signals_handled[3] = {SIGINT, SIGTERM, SIGHUP};

static void run_undo(io_outdir *od) {
  for (int k = od->n_undo - 1; k >= 0; k--) unlinkat(od->undo[k].fd, od->undo[k].name, od->undo[k].flags);
  od->n_undo = 0;
}

/* Creations in progress, and whether a signal handler has begun removing. */
static atomic_int creating;
static atomic_int dying;

/* Ends the process with sig once the run's entries are removed.  errno is
 * kept: the handler returns (the signal raised here is delivered then), and
 * the thread it interrupted must find errno as it was. */
static void on_signal(int sig) {
  int saved_errno = errno;
  atomic_store(&dying, 1);
  const struct timespec pause_1ms = {0, 1000000};
  while (atomic_load(&creating) > 0) nanosleep(&pause_1ms, NULL);
  io_outdir *od = current; /* read once no window is open: a window may release it */
  if (od) run_undo(od);
  signal(sig, SIG_DFL);
  raise(sig);
  errno = saved_errno;
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

/* A handler on another thread is removing the run and will end the
 * process with its signal: this thread must not go on (an error it met
 * next, a missing staging folder, would end the process first, with its own
 * exit status, or publish half a set), so it waits for that end. */
static void await_end(void) {
  for (;;) pause();
}

/* Opens a window on this thread (see the top of the file) in which the
 * undo list and the staged entries may change; windows nest. */
static void begin_creating(sigset_t *old_mask) {
  sigset_t block;
  sigemptyset(&block);
  for (int k = 0; k < 3; k++) sigaddset(&block, signals_handled[k]);
  pthread_sigmask(SIG_BLOCK, &block, old_mask);
  atomic_fetch_add(&creating, 1);
  if (!atomic_load(&dying)) return;
  atomic_fetch_sub(&creating, 1);
  await_end();
}

static void end_creating(const sigset_t *old_mask) {
  int saved = errno;
  atomic_fetch_sub(&creating, 1);
  if (atomic_load(&dying)) await_end();
  pthread_sigmask(SIG_SETMASK, old_mask, NULL);
  errno = saved;
}

/* Room for one more undo entry; inside a window, as the list may move. */
static int grow_undo(io_outdir *od) {
  if (od->n_undo < od->cap_undo) return 0;
  int cap = od->cap_undo ? 2 * od->cap_undo : 64;
  undo_entry *bigger = malloc((size_t)cap * sizeof *bigger);
  if (!bigger) return -1;
  if (od->n_undo) memcpy(bigger, od->undo, (size_t)od->n_undo * sizeof *bigger);
  undo_entry *old = od->undo;
  od->undo = bigger;
  od->cap_undo = cap;
  free(old);
  return 0;
}

/* A copy of name that stays where it is until od is released; NULL when
 * out of memory. */
static const char *keep_name(io_outdir *od, const char *name) {
  size_t len = strlen(name) + 1;
  name_block *b = od->names_kept;
  if (!b || b->size - b->used < len) {
    size_t size = len > NAME_BLOCK_BYTES ? len : NAME_BLOCK_BYTES;
    b = malloc(sizeof *b + size);
    if (!b) return NULL;
    b->next = od->names_kept;
    b->used = 0;
    b->size = size;
    od->names_kept = b;
  }
  char *kept = memcpy(b->text + b->used, name, len);
  b->used += len;
  return kept;
}

/* Listed before it exists: a signal may arrive right after the creation.
 * -1 (out of memory) means nothing may be created.  Inside a window. */
static int push_undo(io_outdir *od, int fd, const char *name, int flags) {
  const char *kept = keep_name(od, name);
  if (!kept || grow_undo(od) != 0) {
    errno = ENOMEM;
    return -1;
  }
  undo_entry *u = &od->undo[od->n_undo];
  u->fd = fd;
  u->flags = flags;
  u->name = kept;
  od->n_undo++;
  return 0;
}

/* push_undo in a window of its own. */
static int list_entry(io_outdir *od, int fd, const char *name, int flags) {
  sigset_t mask;
  begin_creating(&mask);
  int listed = push_undo(od, fd, name, flags);
  end_creating(&mask);
  return listed;
}

/* Lists the folder at/name and makes it, in one window; 0, or -1 with errno
 * set (ENOMEM when it could not be listed). */
static int make_listed_dir(io_outdir *od, int at, const char *name) {
  sigset_t mask;
  begin_creating(&mask);
  int listed = push_undo(od, at, name, AT_REMOVEDIR) == 0;
  int made = listed && mkdirat(at, name, 0777) == 0;
  if (listed && !made) od->n_undo--;
  end_creating(&mask);
  return made ? 0 : -1;
}

/* Adds a name DIR will show for this set. */
static int add_name(io_outdir *od, const char *name) {
  if (od->n_names == od->cap_names) {
    int cap = od->cap_names ? 2 * od->cap_names : 16;
    char(*bigger)[NAME_CAP] = realloc(od->names, (size_t)cap * sizeof *bigger);
    if (!bigger) return -1;
    od->names = bigger;
    od->cap_names = cap;
  }
  snprintf(od->names[od->n_names++], NAME_CAP, "%s", name);
  return 0;
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

/* Why the new set may not take DIR/name, or NULL when it may (nothing
 * there, or this tool's link).  Anything else is the user's, even under a
 * result's name: a folder, a link (following it would write elsewhere), or
 * a file (the user's scores saved as pairings.csv; or an older version's
 * result, which cannot be told from it). */
static const char *obstacle(const io_outdir *od, const char *name) {
  struct stat st;
  if (fstatat(od->dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || is_our_link(od->dfd, name)) return NULL;
  if (S_ISDIR(st.st_mode)) return "is a folder; move it away";
  if (S_ISLNK(st.st_mode)) return "is a link this tool did not make; move it away";
  return "is a file this tool did not write (yours, or an older version's written straight into the folder); "
         "move it away or choose another --out";
}

/* Claims a name of the new set, refusing at once what obstacle refuses (so
 * a long run stops before writing) and again when publishing. */
static mm_status claim_name(io_outdir *od, const char *name, mm_error *e) {
  const char *why = od->fresh ? NULL : obstacle(od, name);
  if (why) return refuse(e, od->dir, name, why);
  if (add_name(od, name) != 0) {
    mm_error_set(e, NULL, "out of memory");
    return MM_ERR_NOMEM;
  }
  return MM_OK;
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

/* The stand-in's name for a new folder top: a fixed prefix, a hash of top
 * and then the run's tag, so its length does not depend on top's and any
 * name up to NAME_MAX can be created (".TOP.mentormatch-new-TAG" failed past
 * about 205 bytes). */
static void stand_in_prefix(const char *top, char *buf, size_t size) {
  uint64_t h = UINT64_C(0xcbf29ce484222325); /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)top; *p; p++) h = (h ^ *p) * UINT64_C(0x100000001b3);
  snprintf(buf, size, "%s%016llx-", stand_in_tag, (unsigned long long)h);
}

/* Whether an unlocked stand-in may be a live run's between its mkdir and
 * its flock: then it is still empty (a run locks it before it creates
 * anything inside).  An empty one older than a minute is a leftover. */
static int maybe_starting(int sfd) {
  struct stat st;
  if (fstat(sfd, &st) != 0 || time(NULL) - st.st_mtime > 60) return 0;
  int fd = openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return 0;
  }
  int empty = 1;
  struct dirent *ent;
  while (empty && (ent = readdir(d)) != NULL) empty = strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0;
  closedir(d);
  return empty;
}

/* Stand-ins of killed runs that were creating the same new folder (also
 * those named ".TOP.mentormatch-new-TAG" by earlier versions): alive while
 * their run holds a lock on them. */
static void remove_dead_stand_ins(io_outdir *od) {
  char prefix[2][NAME_CAP + 32];
  stand_in_prefix(od->top, prefix[0], sizeof prefix[0]);
  snprintf(prefix[1], sizeof prefix[1], ".%s%s", od->top, stand_in_tag);
  int fd = openat(od->pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return;
  }
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (strncmp(ent->d_name, prefix[0], strlen(prefix[0])) != 0 &&
        strncmp(ent->d_name, prefix[1], strlen(prefix[1])) != 0)
      continue;
    int sfd = openat(od->pfd, ent->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sfd < 0) continue;
    int dead = flock(sfd, LOCK_EX | LOCK_NB) == 0 && !maybe_starting(sfd);
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

static mm_status open_existing(io_outdir *od, mm_error *e) {
  mm_status s = open_private(od, e);
  if (s == MM_OK) remove_leftovers(od);
  return s;
}

/* Builds a missing DIR under a locked stand-in next to its first missing component. */
static mm_status open_fresh(io_outdir *od, mm_error *e) {
  char path[PATH_CAP];
  snprintf(path, sizeof path, "%s", od->dir);
  long rest = split_missing(od, path);
  if (rest < 0 && errno == EEXIST) {
    /* Another run made DIR since it was found missing: take turns there. */
    od->dfd = keep_fd(od, open(od->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (od->dfd >= 0) return open_existing(od, e);
  }
  if (rest < 0) return fail(e, od->dir, NULL, "cannot create the output folder");
  od->rest = rest;
  /* Missing to stat() yet present to lstat(): a link to nothing, which the
   * stand-in could never be renamed over. */
  struct stat st;
  if (fstatat(od->pfd, od->top, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return refuse(e, od->dir, NULL, "the output path is a link to something that does not exist");
  od->fresh = 1;
  remove_dead_stand_ins(od);
  char prefix[64];
  stand_in_prefix(od->top, prefix, sizeof prefix);
  fresh_name(od->tmp, sizeof od->tmp, prefix);
  if (make_listed_dir(od, od->pfd, od->tmp) != 0) return fail(e, od->dir, NULL, "cannot create the output folder");
  int cur = keep_fd(od, openat(od->pfd, od->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (cur < 0 || flock(cur, LOCK_EX) != 0) return fail(e, od->dir, NULL, "cannot create the output folder");
  char *save = NULL;
  for (char *p = strtok_r(path + rest, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
    if (od->n_fds == MAX_DEPTH) {
      errno = ENAMETOOLONG;
      return fail(e, od->dir, NULL, "cannot create the output folder: too many missing folders");
    }
    if (make_listed_dir(od, cur, p) != 0) return fail(e, od->dir, NULL, "cannot create the output folder");
    cur = keep_fd(od, openat(cur, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (cur < 0) return fail(e, od->dir, NULL, "cannot create the output folder");
  }
  od->dfd = cur;
  if (list_entry(od, od->dfd, private_dir, AT_REMOVEDIR) != 0)
    return fail(e, od->dir, NULL, "cannot create the output folder");
  return open_private(od, e);
}

static void close_fds(io_outdir *od) {
  for (int k = 0; k < od->n_fds; k++) close(od->fds[k]);
  od->n_fds = 0;
}

static void release(io_outdir *od) {
  restore_handlers(od);
  close_fds(od);
  free(od->undo);
  for (name_block *b = od->names_kept, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(od->names);
  free(od);
}

/* A name in dir longer than a file system allows, refused before anything
 * is made (open() would say only "File name too long"); MM_OK when none. */
static mm_status check_names(const char *dir, const char *option, mm_error *e) {
  for (const char *p = dir; *p;) {
    size_t len = strcspn(p, "/");
    if (len > NAME_MAX) {
      size_t shown = 60;
      while (shown > 0 && ((unsigned char)p[shown] & 0xC0) == 0x80) shown--; /* whole characters */
      mm_error_set(e, NULL, "%s: the name \"%.*s...\" is %zu bytes; a file or folder name may have at most %d",
                   option, (int)shown, p, len, NAME_MAX);
      return MM_ERR_USAGE;
    }
    p += len + strspn(p + len, "/");
  }
  return MM_OK;
}

mm_status io_outdir_open(const char *dir, const char *option, io_outdir **out, mm_error *e) {
  *out = NULL;
  if (!dir[0] || strlen(dir) + 64 >= PATH_CAP) {
    mm_error_set(e, NULL, dir[0] ? "%s: the path is too long" : "%s: expected a folder, got an empty path", option);
    return MM_ERR_USAGE;
  }
  if (check_names(dir, option, e) != MM_OK) return MM_ERR_USAGE;
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
    if (make_listed_dir(od, od->mfd, od->stage) != 0) {
      s = fail(e, dir, NULL, "cannot write in the output folder");
    } else if ((od->sfd = keep_fd(od, openat(od->mfd, od->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))) < 0) {
      s = fail(e, dir, NULL, "cannot write in the output folder");
    }
  }
  if (s != MM_OK) {
    sigset_t mask;
    begin_creating(&mask);
    run_undo(od);
    release(od);
    end_creating(&mask);
    return s;
  }
  *out = od;
  return MM_OK;
}

/* The staged subfolder name[0..len) names, or -1. */
static int find_subdir(const io_outdir *od, const char *name, size_t len) {
  for (int k = 0; k < od->n_subdirs; k++)
    if (strlen(od->subdirs[k]) == len && strncmp(od->subdirs[k], name, len) == 0) return k;
  return -1;
}

static int is_plain_name(const char *name) {
  return name[0] && name[0] != '.' && strlen(name) < NAME_CAP && !strchr(name, '/');
}

mm_status io_outdir_subdir(io_outdir *od, const char *name, mm_error *e) {
  if (od->n_subdirs == MAX_SUBDIRS || !is_plain_name(name) || find_subdir(od, name, strlen(name)) >= 0 ||
      strcmp(name, latest_name) == 0) {
    mm_error_set(e, NULL, "cannot stage the output subfolder \"%s\"", name);
    return MM_ERR_USAGE;
  }
  mm_status s = claim_name(od, name, e);
  if (s != MM_OK) return s;
  if (make_listed_dir(od, od->sfd, name) != 0) return fail(e, od->dir, name, "cannot create an output subfolder");
  int fd = keep_fd(od, openat(od->sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd < 0) return fail(e, od->dir, name, "cannot create an output subfolder");
  snprintf(od->subdirs[od->n_subdirs], NAME_CAP, "%s", name);
  od->subfds[od->n_subdirs++] = fd;
  return MM_OK;
}

/* The folder descriptor and base name of a staged file name, checked as
 * io_outdir_create does; -1 when the name is not one. */
static int staged_place(const io_outdir *od, const char *name, const char **base) {
  const char *slash = strchr(name, '/');
  int sub = slash ? find_subdir(od, name, (size_t)(slash - name)) : -1;
  *base = slash ? slash + 1 : name;
  if ((slash && sub < 0) || !is_plain_name(*base) || (!slash && find_subdir(od, name, strlen(name)) >= 0))
    return -1;
  return sub >= 0 ? od->subfds[sub] : od->sfd;
}

FILE *io_outdir_create(io_outdir *od, const char *name, mm_error *e) {
  const char *base;
  int in = staged_place(od, name, &base);
  if (in < 0) {
    mm_error_set(e, NULL, "cannot stage the output file \"%s\"", name);
    return NULL;
  }
  int slash = in != od->sfd;
  if (!slash && claim_name(od, name, e) != MM_OK) return NULL;
  sigset_t mask;
  int fd = -1;
  begin_creating(&mask);
  int listed = push_undo(od, in, base, 0) == 0;
  if (listed) fd = openat(in, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (listed && fd < 0) od->n_undo--;
  end_creating(&mask);
  if (fd < 0) {
    if (!slash) od->n_names--;
    if (!listed && errno == ENOMEM) {
      mm_error_set(e, NULL, "out of memory");
    } else {
      fail(e, od->dir, name, "cannot create output file");
    }
    return NULL;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    fail(e, od->dir, name, "cannot open output file");
    return NULL;
  }
  return f;
}

/* io_outdir_expect's work, inside a creation window (the list may move). */
static mm_status expect_names(io_outdir *od, const char *const *names, size_t n, mm_error *e) {
  for (size_t k = 0; k < n; k++) {
    const char *base;
    int in = staged_place(od, names[k], &base);
    if (in < 0) {
      mm_error_set(e, NULL, "cannot stage the output file \"%s\"", names[k]);
      return MM_ERR_USAGE;
    }
    mm_status s = in == od->sfd ? claim_name(od, names[k], e) : MM_OK;
    if (s != MM_OK) return s;
    if (push_undo(od, in, base, 0) != 0) {
      mm_error_set(e, NULL, "out of memory");
      return MM_ERR_NOMEM;
    }
  }
  return MM_OK;
}

mm_status io_outdir_expect(io_outdir *od, const char *const *names, size_t n, mm_error *e) {
  sigset_t mask;
  begin_creating(&mask);
  mm_status s = expect_names(od, names, n, e);
  end_creating(&mask);
  return s;
}

int io_outdir_put_open(const io_outdir *od, const char *name) {
  const char *base;
  int in = staged_place(od, name, &base);
  if (in < 0) return -EINVAL;
  sigset_t mask;
  begin_creating(&mask);
  int fd = openat(in, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  int err = errno;
  end_creating(&mask);
  return fd >= 0 ? fd : -err;
}

int io_outdir_put_write(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno != EINTR) return errno;
    if (w > 0) buf += w, n -= (size_t)w;
  }
  return 0;
}

int io_outdir_put_close(int fd, int err) {
  if (!err && !HAVE_SYNCFS && fdatasync(fd) != 0) err = errno;
  if (close(fd) != 0 && !err) err = errno;
  return err;
}

mm_status io_outdir_put_error(io_outdir *od, const char *name, int err, mm_error *e) {
  errno = err;
  if (err == EINVAL) {
    mm_error_set(e, NULL, "cannot stage the output file \"%s\"", name);
    return MM_ERR_USAGE;
  }
  return fail(e, od->dir, name, "cannot write output file");
}

const char *io_outdir_shown(io_outdir *od, const char *name) {
  size_t len = strlen(od->dir);
  while (len > 1 && od->dir[len - 1] == '/') len--;
  snprintf(od->shown, sizeof od->shown, "%.*s%s%s", (int)len, od->dir, od->dir[len - 1] == '/' ? "" : "/", name);
  return od->shown;
}

mm_status io_outdir_close(io_outdir *od, FILE *f, mm_error *e) {
  int failed = ferror(f) || fflush(f) != 0 || (!HAVE_SYNCFS && fdatasync(fileno(f)) != 0);
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

mm_status io_outdir_write(io_outdir *od, const char *name, io_outdir_writer write, const void *ctx, mm_error *e) {
  FILE *f = io_outdir_create(od, name, e);
  if (!f) return MM_ERR_IO;
  mm_status st = write(f, io_outdir_shown(od, name), ctx, e);
  mm_status closed = io_outdir_close(od, f, st == MM_OK ? e : NULL);
  return st == MM_OK ? closed : st;
}

mm_status io_outdir_finish(io_outdir *od, mm_status st, mm_error *e) {
  if (st == MM_OK) return io_outdir_commit(od, e);
  io_outdir_abort(od);
  return st;
}

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
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
  double t0 = seconds_now();
  if (old[0] && strcmp(old, run) != 0) io_remove_tree_at_threads(od->mfd, old, 3, od->remove_threads);
  od->remove_s += seconds_now() - t0;
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

static mm_status refuse_obstacles(io_outdir *od, mm_error *e) {
  for (int k = 0; k < od->n_names; k++) {
    const char *why = obstacle(od, od->names[k]);
    if (why) return refuse(e, od->dir, od->names[k], why);
  }
  return MM_OK;
}

/* A file of the current set that is not a result (generate's or init's
 * rosters, maybe edited since) becomes a plain file of DIR before a set
 * without it is published: a hard link in its place, same bytes throughout.
 * A folder of ours is always a result (one a later run may not make, as
 * explain/): its link is dropped with the set it belongs to. */
static int keep_other(io_outdir *od, const char *name) {
  struct stat st;
  if (!is_our_link(od->dfd, name) || is_result_name(od, name)) return 0;
  if (fstatat(od->dfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode)) return 0;
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

/* Whether a signal came before the new set's point of no return (the flip
 * of latest, or the stand-in's rename to a new DIR): pending on this
 * thread, or being handled on another, whose handler waits for publishing
 * to end.  Publishing then stops and undoes the run, so a signal sent
 * while the staged files are synced (syncfs can take seconds) still finds
 * DIR as it was; only one sent after that point ends a run whose new set
 * is whole and in place. */
static int stop_requested(void) {
  if (atomic_load(&dying)) return 1;
  sigset_t pending;
  sigpending(&pending);
  for (int k = 0; k < 3; k++)
    if (sigismember(&pending, signals_handled[k])) return 1;
  return 0;
}

/* Makes the staged set DIR's current one; see outdir.h. */
static mm_status publish(io_outdir *od, mm_error *e) {
  mm_status s = refuse_obstacles(od, e);
  if (s != MM_OK) return s;
  if (each_entry(od, keep_other) != 0) return fail(e, od->dir, NULL, "cannot keep the files of the set before");
  for (int k = 0; k < od->n_names; k++)
    if (!is_our_link(od->dfd, od->names[k]) && make_link(od, od->names[k]) != 0)
      return fail(e, od->dir, od->names[k], "cannot link the result into place");
  if (stop_requested()) return refuse(e, od->dir, NULL, "interrupted");
  if (flip_latest(od, od->run) != 0) return fail(e, od->dir, latest_name, "cannot move the result into place");
  each_entry(od, drop_dangling);
  return MM_OK;
}

/* Another run created DIR (dfd) while this one built it under its
 * stand-in: this run takes its turn there, as into any existing DIR
 * (waiting for the lock), moves its finished run folder in and publishes
 * it. */
static mm_status publish_into_existing(io_outdir *od, int dfd, mm_error *e) {
  int built = od->mfd;
  od->dfd = keep_fd(od, dfd);
  if (od->dfd < 0) return fail(e, od->dir, NULL, "cannot open the output folder");
  mm_status s = open_private(od, e);
  if (s != MM_OK) return s;
  if (renameat(built, od->run, od->mfd, od->run) != 0) return fail(e, od->dir, NULL, "cannot move the result into place");
  fsync(od->mfd);
  s = publish(od, e);
  if (s != MM_OK) {
    char live[NAME_CAP];
    read_latest(od->dfd, live, sizeof live);
    if (strcmp(live, od->run) != 0) io_remove_tree_at(od->mfd, od->run, 3);
  }
  return s;
}

/* The stand-in's top appeared meanwhile (another run created it, or a
 * folder above DIR): walks down DIR's path below it and renames the
 * stand-in's folder for the first component still missing into place, or
 * publishes into DIR in turn if DIR itself is there now.  The caller
 * removes what is left of the stand-in either way. */
static mm_status place_below(io_outdir *od, mm_error *e) {
  int have = openat(od->pfd, od->top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int built = openat(od->pfd, od->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  const char *p = od->dir + od->rest;
  for (;;) {
    p += strspn(p, "/");
    size_t len = strcspn(p, "/");
    if (have < 0 || built < 0 || len == 0 || len >= NAME_CAP) break;
    char name[NAME_CAP];
    memcpy(name, p, len);
    name[len] = '\0';
    p += len;
    if (renameat2(built, name, have, name, RENAME_NOREPLACE) == 0) {
      fsync(have);
      close(have);
      close(built);
      return MM_OK;
    }
    int next_have = errno == EEXIST || errno == ENOTEMPTY
                        ? openat(have, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    int next_built = openat(built, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(have);
    close(built);
    have = next_have;
    built = next_built;
  }
  if (built >= 0) close(built);
  if (have >= 0 && p[strspn(p, "/")] == '\0') return publish_into_existing(od, have, e);
  if (have >= 0) close(have);
  return fail(e, od->dir, NULL, "another program changed the output path meanwhile; run again");
}

/* Renames the finished stand-in to the new DIR's name: a new DIR's point of
 * no return, so a signal that came first stops it (the caller undoes).  If
 * DIR appeared meanwhile (runs started together into a new DIR), the run
 * publishes into it in turn instead. */
static mm_status place_fresh(io_outdir *od, mm_error *e) {
  if (stop_requested()) return refuse(e, od->dir, NULL, "interrupted");
  fsync(od->dfd);
  if (renameat2(od->pfd, od->tmp, od->pfd, od->top, RENAME_NOREPLACE) == 0) {
    fsync(od->pfd);
    return MM_OK;
  }
  mm_status s = errno == EEXIST || errno == ENOTEMPTY
                    ? place_below(od, e)
                    : fail(e, od->dir, NULL, "cannot move the output folder into place");
  io_remove_tree_at(od->pfd, od->tmp, MAX_DEPTH + 4);
  return s;
}

/* Every staged byte and name on disk before the set is published: one
 * syncfs() (the files were not synced one by one) or, without it, the
 * folders' own entries (each file was fdatasync()ed as it was closed). */
static int sync_stage(const io_outdir *od) {
#if HAVE_SYNCFS
  return syncfs(od->sfd);
#else
  for (int k = 0; k < od->n_subdirs; k++)
    if (fsync(od->subfds[k]) != 0) return -1;
  return fsync(od->sfd);
#endif
}

mm_status io_outdir_commit_timed(io_outdir *od, int threads, io_publish_times *t, mm_error *e) {
  double t0 = seconds_now(), t_sync = t0;
  od->remove_threads = io_pool_workers(threads);
  /* Publishing is one window: a handler on another thread waits for its
   * end, and one due on this thread runs once the handlers are restored. */
  sigset_t old_mask;
  begin_creating(&old_mask);
  mm_status s = MM_OK;
  fresh_name(od->run, sizeof od->run, "run-");
  int synced = sync_stage(od);
  t_sync = seconds_now();
  if (synced != 0) {
    s = fail(e, od->dir, NULL, "cannot write the output files to disk");
  } else if (renameat(od->mfd, od->stage, od->mfd, od->run) != 0) {
    s = fail(e, od->dir, NULL, "cannot move the result into place");
  } else {
    for (int k = 0; k < od->n_undo; k++)
      if (od->undo[k].fd == od->mfd && strcmp(od->undo[k].name, od->stage) == 0)
        od->undo[k].name = od->run;
    fsync(od->mfd);
    s = publish(od, e);
  }
  if (s == MM_OK && od->fresh) s = place_fresh(od, e);
  if (s != MM_OK && !od->fresh) {
    char live[NAME_CAP];
    run_undo(od);
    read_latest(od->dfd, live, sizeof live);
    if (strcmp(live, od->run) != 0) io_remove_tree_at(od->mfd, od->run, 3);
    each_entry(od, drop_dangling);
  } else if (s != MM_OK) {
    run_undo(od);
    io_remove_tree_at(od->pfd, od->tmp, MAX_DEPTH + 4);
  }
  if (t) {
    t->sync_s = t_sync - t0;
    t->remove_s = od->remove_s;
    t->link_s = seconds_now() - t_sync - od->remove_s;
  }
  release(od);
  end_creating(&old_mask);
  return s;
}

mm_status io_outdir_commit(io_outdir *od, mm_error *e) { return io_outdir_commit_timed(od, 1, NULL, e); }



void io_outdir_abort(io_outdir *od) {
  if (!od) return;
  sigset_t mask;
  begin_creating(&mask);
  run_undo(od);
  release(od);
  end_creating(&mask);
}
