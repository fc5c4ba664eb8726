/* fuzz_tzif.c: libFuzzer target for zones/tzdb (TZif files, their POSIX TZ footer, zone names).
 *
 * Zones are read from the system's compiled tz database; a damaged or hostile
 * TZif file (or a TZDIR pointed somewhere odd) must give an error, never a
 * crash or a wrong list.  An input is the file of zone "Fuzz/Zone" in a
 * private TZDIR, looked up over a program window chosen by its sixth byte (a
 * reserved header byte: 2027, 1970 or 2150, the last one past most files'
 * transitions so the footer rule is used).  An input that starts with
 * "name:" is instead a zone name looked up in that database (fixed offsets,
 * name checks, "did you mean" suggestions).
 * Checks: changes come in time order, the first at `from`, the rest inside
 * the window, with whole quarter-hour offsets within 14 hours and distinct
 * from the previous one; io_zone_lookup agrees with the detailed lookup, and
 * the library's mm_zone_from_tzif on the same bytes agrees with both;
 * errors name the field "timezone".
 */
#include "fuzz_util.h"
#include "tzdb.h"

#include <sys/stat.h>

/* The private tz database: a few real zones (links to the system's files),
 * their names in tzdata.zi for suggestions, and Fuzz/Zone, a link to the
 * scratch memfd that holds the input (rewriting a real file thousands of
 * times a second makes ext4 flush it on every close).  A short zone list
 * keeps suggestions, which compare the name with every listed zone, fast. */
static const char *const db_zones[] = {"Europe/London",   "America/New_York", "America/St_Johns",
                                       "Asia/Kolkata",    "Asia/Kathmandu",   "Australia/Lord_Howe",
                                       "America/Sao_Paulo", "Pacific/Chatham"};
static const char *const db_dirs[] = {"Fuzz", "Europe", "America", "Asia", "Australia", "Pacific"};
#define N_ZONES (sizeof db_zones / sizeof *db_zones)
#define N_DIRS (sizeof db_dirs / sizeof *db_dirs)

static char tzdir[64];

static void cleanup(void) {
  char path[160];
  snprintf(path, sizeof path, "%s/Fuzz/Zone", tzdir);
  unlink(path);
  snprintf(path, sizeof path, "%s/tzdata.zi", tzdir);
  unlink(path);
  for (size_t k = 0; k < N_ZONES; k++) {
    snprintf(path, sizeof path, "%s/%s", tzdir, db_zones[k]);
    unlink(path);
  }
  for (size_t k = 0; k < N_DIRS; k++) {
    snprintf(path, sizeof path, "%s/%s", tzdir, db_dirs[k]);
    rmdir(path);
  }
  rmdir(tzdir);
}

static void setup(void) {
  if (tzdir[0]) return;
  const char *tmp = getenv("TMPDIR");
  snprintf(tzdir, sizeof tzdir, "%s/mm-tzif-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  FUZZ_CHECK(mkdtemp(tzdir) != NULL);
  atexit(cleanup);
  char path[160];
  for (size_t k = 0; k < N_DIRS; k++) {
    snprintf(path, sizeof path, "%s/%s", tzdir, db_dirs[k]);
    FUZZ_CHECK(mkdir(path, 0700) == 0);
  }
  snprintf(path, sizeof path, "%s/Fuzz/Zone", tzdir);
  FUZZ_CHECK(symlink(fuzz_bytes_to_path((const uint8_t *)"", 0), path) == 0);
  snprintf(path, sizeof path, "%s/tzdata.zi", tzdir);
  FILE *zi = fopen(path, "w");
  FUZZ_CHECK(zi != NULL);
  for (size_t k = 0; k < N_ZONES; k++) {
    char target[160];
    snprintf(target, sizeof target, "/usr/share/zoneinfo/%s", db_zones[k]);
    snprintf(path, sizeof path, "%s/%s", tzdir, db_zones[k]);
    FUZZ_CHECK(symlink(target, path) == 0);
    fprintf(zi, "Z %s 0 - LMT\n", db_zones[k]);
  }
  /* Only names tzdata.zi lists are zones, so the fuzzed one is listed too. */
  fprintf(zi, "Z Fuzz/Zone 0 - LMT\nL Europe/London GB\nL Asia/Kolkata Asia/Calcutta\n");
  FUZZ_CHECK(fclose(zi) == 0);
  FUZZ_CHECK(setenv("TZDIR", tzdir, 1) == 0);
}

static void check_lookup(const char *name, int64_t from, int64_t to) {
  io_zone_change *c = NULL;
  size_t n = 0;
  mm_error e;
  mm_error_clear(&e);
  mm_status s = io_zone_lookup_detail(name, from, to, &c, &n, &e);
  mm_zone_period *p = NULL;
  size_t np = 0;
  mm_error e2;
  mm_error_clear(&e2);
  mm_status s2 = io_zone_lookup(name, from, to, &p, &np, &e2);
  FUZZ_CHECK(s == s2);
  if (s == MM_OK) {
    FUZZ_CHECK(n >= 1 && np == n);
    FUZZ_CHECK(c[0].at <= from);
    for (size_t k = 0; k < n; k++) {
      FUZZ_CHECK(c[k].offset_s % 900 == 0 && c[k].offset_s >= -14 * 3600 && c[k].offset_s <= 14 * 3600);
      FUZZ_CHECK(memchr(c[k].abbr, '\0', sizeof c[k].abbr) != NULL);
      FUZZ_CHECK(p[k].at == c[k].at && p[k].offset_s == c[k].offset_s);
      if (k) {
        FUZZ_CHECK(c[k].at > from && c[k].at < to && c[k].at > c[k - 1].at);
        FUZZ_CHECK(c[k].offset_s != c[k - 1].offset_s);
      }
    }
  } else {
    FUZZ_CHECK(s == MM_ERR_INVALID);
    FUZZ_CHECK(strcmp(e.field, "timezone") == 0);
    fuzz_check_error(&e, 0);
    FUZZ_CHECK(c == NULL && p == NULL);
  }
  free(c);
  free(p);
}

/* The same bytes handed over in memory give the same periods, or fail too. */
static void check_bytes(const uint8_t *data, size_t size, int64_t from, int64_t to) {
  mm_zone_period *by_file = NULL, *by_bytes = NULL;
  size_t n_file = 0, n_bytes = 0;
  mm_error e;
  mm_error_clear(&e);
  mm_status s_file = io_zone_lookup("Fuzz/Zone", from, to, &by_file, &n_file, &e);
  mm_error_clear(&e);
  mm_status s_bytes = mm_zone_from_tzif(data, size, from, to, &by_bytes, &n_bytes, &e);
  FUZZ_CHECK((s_file == MM_OK) == (s_bytes == MM_OK));
  if (s_bytes == MM_OK) {
    FUZZ_CHECK(n_bytes == n_file);
    for (size_t k = 0; k < n_bytes && k < n_file; k++) {
      FUZZ_CHECK(by_bytes[k].at == by_file[k].at && by_bytes[k].offset_s == by_file[k].offset_s);
    }
  } else {
    FUZZ_CHECK(s_bytes == MM_ERR_PARSE || s_bytes == MM_ERR_INVALID);
    FUZZ_CHECK(strcmp(e.field, "timezone") == 0 && by_bytes == NULL);
  }
  free(by_file);
  mm_zone_periods_free(by_bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  static const int64_t windows[3][2] = {
      {1803859200, 1803859200 + 40 * 7 * 86400}, /* 2027-03-01 + 40 weeks */
      {0, 120 * 86400},                          /* the epoch */
      {5685379200, 5685379200 + 40 * 7 * 86400}, /* 2150-03-01: past every listed change */
  };
  if (size >= 5 && memcmp(data, "name:", 5) == 0) {
    fuzz_bytes_to_path(data, 0); /* "Fuzz/Zone" is then an empty file */
    char *name = fuzz_string(data + 5, size - 5 < 128 ? size - 5 : 128);
    check_lookup(name, windows[0][0], windows[0][1]);
    free(name);
  } else {
    fuzz_bytes_to_path(data, size);
    const int64_t *w = windows[size > 5 ? data[5] % 3 : 0];
    check_lookup("Fuzz/Zone", w[0], w[1]);
    check_bytes(data, size, w[0], w[1]);
  }
  return 0;
}
