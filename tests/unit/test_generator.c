/* test_generator.c: the synthetic workforce generator: determinism, schema and realism.
 *
 * Benchmarks are only as good as the rosters they run on, so this test holds
 * the generator to its promises: the same seed and sizes give the same
 * bytes; every row reads back through the real roster reader without a
 * warning; the distributions stay in the ranges the README states (offices
 * on every continent, some remote people, skills, levels, seniority,
 * capacities, languages); people of one office often share an availability
 * template without everyone looking the same; and the manager rule really
 * excludes some pairs in the engine's dense score matrix.
 */
#include "check.h"

#include "csv_reader.h"
#include "generator.h"
#include "roster_reader.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_dir[] = "/tmp/mm_test_generator_XXXXXX";

/* Writes one side of a workforce to dir/name; returns the path (static). */
static const char *generate(size_t n_mentees, size_t n_mentors, uint64_t seed, mm_side side,
                            const char *name) {
  static char path[4][512];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", tmp_dir, name);
  mm_error e;
  mm_error_clear(&e);
  io_generator *g = io_generator_create(n_mentees, n_mentors, seed, &e);
  CHECK(g != NULL);
  FILE *f = fopen(p, "wb");
  CHECK(f != NULL);
  if (g && f) CHECK_EQ(io_generator_write(g, side, f, name, &e), MM_OK);
  if (f) fclose(f);
  io_generator_free(g);
  return p;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
  fclose(f);
  if (buf) buf[got] = '\0';
  *len = got;
  return buf;
}

static int same_file(const char *a, const char *b) {
  size_t na, nb;
  char *x = slurp(a, &na), *y = slurp(b, &nb);
  int same = x && y && na == nb && memcmp(x, y, na) == 0;
  free(x);
  free(y);
  return same;
}

static void test_determinism(void) {
  const char *a = generate(300, 80, 42, MM_MENTEE, "a.csv");
  const char *b = generate(300, 80, 42, MM_MENTEE, "b.csv");
  const char *c = generate(300, 80, 43, MM_MENTEE, "c.csv");
  CHECK(same_file(a, b));
  CHECK(!same_file(a, c));
  a = generate(300, 80, 42, MM_MENTOR, "a.csv");
  b = generate(300, 80, 42, MM_MENTOR, "b.csv");
  CHECK(same_file(a, b));
}

static void test_bad_sizes(void) {
  mm_error e;
  mm_error_clear(&e);
  CHECK(io_generator_create((size_t)IO_GEN_MAX_PEOPLE + 1, 1, 1, &e) == NULL);
  CHECK(e.message[0] != '\0');
  /* Empty rosters are valid: a header and nothing else. */
  const char *p = generate(0, 0, 1, MM_MENTOR, "empty.csv");
  size_t n;
  char *text = slurp(p, &n);
  CHECK(text != NULL);
  if (text) CHECK_STR_EQ(text, "id,name,email,timezone,availability,skills,goals,location,"
                               "country,department,manager_id,languages,seniority,capacity\n");
  free(text);
}

/* Column positions of the schema, in the order the generator writes them. */
enum { C_ID, C_NAME, C_EMAIL, C_TZ, C_AVAIL, C_SKILLS, C_GOALS, C_LOC, C_COUNTRY, C_DEPT,
       C_MANAGER, C_LANGS, C_SENIORITY, C_CAPACITY };

/* Distinct strings, counted (a small linear table: the tests are small). */
typedef struct {
  char *s[4096];
  int count[4096];
  int n;
} tally;

static void tally_add(tally *t, const char *s) {
  for (int k = 0; k < t->n; k++)
    if (strcmp(t->s[k], s) == 0) {
      t->count[k]++;
      return;
    }
  if (t->n < 4096) {
    t->s[t->n] = strdup(s);
    t->count[t->n++] = 1;
  }
}

static int tally_max(const tally *t) {
  int m = 0;
  for (int k = 0; k < t->n; k++)
    if (t->count[k] > m) m = t->count[k];
  return m;
}

static void tally_free(tally *t) {
  for (int k = 0; k < t->n; k++) free(t->s[k]);
  t->n = 0;
}

static size_t list_items(const char *s) {
  if (!*s) return 0;
  size_t n = 1;
  for (; *s; s++) n += *s == ';';
  return n;
}

/* Every level after ':' in a skills cell lies in lo..hi. */
static int levels_within(const char *s, int lo, int hi) {
  for (const char *c = strchr(s, ':'); c; c = strchr(c + 1, ':'))
    if (c[1] - '0' < lo || c[1] - '0' > hi) return 0;
  return 1;
}

typedef struct {
  size_t rows, remote, with_manager, no_languages, only_foreign;
  size_t skills_out_of_range, levels_out_of_range, goals_out_of_range;
  size_t seniority_out_of_range, capacity_out_of_range, bad_email;
  tally zones, avail, skills, continents;
} roster_stats;

static void scan_roster(const char *path, mm_side side, roster_stats *st) {
  io_csv_reader *r = NULL;
  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  if (!r) return;
  const io_csv_record *rec;
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK); /* header */
  while (io_csv_next(r, &rec, &e) == MM_OK && rec) {
    CHECK_EQ(rec->n_fields, side == MM_MENTOR ? 14 : 13);
    if (rec->n_fields < 13) break;
    const io_csv_field *f = rec->fields;
    st->rows++;
    char want_email[64];
    snprintf(want_email, sizeof want_email, "%s@example.com", f[C_ID].text);
    st->bad_email += strcmp(want_email, f[C_EMAIL].text) != 0;
    tally_add(&st->zones, f[C_TZ].text);
    char continent[32];
    snprintf(continent, sizeof continent, "%.*s", (int)strcspn(f[C_TZ].text, "/"), f[C_TZ].text);
    tally_add(&st->continents, continent);
    tally_add(&st->avail, f[C_AVAIL].text);
    st->remote += strcmp(f[C_LOC].text, "Remote") == 0;
    st->with_manager += f[C_MANAGER].text[0] != '\0';
    size_t n_skills = list_items(f[C_SKILLS].text);
    size_t n_goals = list_items(f[C_GOALS].text);
    long sen = strtol(f[C_SENIORITY].text, NULL, 10);
    if (side == MM_MENTOR) {
      st->skills_out_of_range += n_skills < 3 || n_skills > 8;
      st->levels_out_of_range += !levels_within(f[C_SKILLS].text, 3, 5);
      st->goals_out_of_range += n_goals < 2 || n_goals > 5;
      st->seniority_out_of_range += sen < 3 || sen > 9;
      long cap = strtol(f[C_CAPACITY].text, NULL, 10);
      st->capacity_out_of_range += cap < 1 || cap > 5;
    } else {
      st->skills_out_of_range += n_skills < 2 || n_skills > 5;
      st->levels_out_of_range += !levels_within(f[C_SKILLS].text, 2, 5);
      st->goals_out_of_range += n_goals < 1 || n_goals > 3;
      st->seniority_out_of_range += sen < 1 || sen > 6;
    }
    st->no_languages += f[C_LANGS].text[0] == '\0';
    st->only_foreign += f[C_LANGS].text[0] && !strstr(f[C_LANGS].text, "English");
    for (char *s = f[C_SKILLS].text; *s;) {
      size_t len = strcspn(s, ":");
      char name[64];
      snprintf(name, sizeof name, "%.*s", (int)len, s + (*s == ' '));
      tally_add(&st->skills, name);
      s += strcspn(s, ";");
      if (*s) s++;
      while (*s == ' ') s++;
    }
  }
  io_csv_close(r);
}

static void test_realism(void) {
  const size_t n_mentees = 4000, n_mentors = 1000;
  const char *mentors = generate(n_mentees, n_mentors, 7, MM_MENTOR, "mentors.csv");
  const char *mentees = generate(n_mentees, n_mentors, 7, MM_MENTEE, "mentees.csv");
  roster_stats m, e;
  memset(&m, 0, sizeof m);
  memset(&e, 0, sizeof e);
  scan_roster(mentors, MM_MENTOR, &m);
  scan_roster(mentees, MM_MENTEE, &e);
  CHECK_EQ(m.rows, n_mentors);
  CHECK_EQ(e.rows, n_mentees);
  CHECK_EQ(m.bad_email + e.bad_email, 0);
  CHECK_EQ(m.skills_out_of_range + e.skills_out_of_range, 0);
  CHECK_EQ(m.levels_out_of_range + e.levels_out_of_range, 0);
  CHECK_EQ(m.goals_out_of_range + e.goals_out_of_range, 0);
  CHECK_EQ(m.seniority_out_of_range + e.seniority_out_of_range, 0);
  CHECK_EQ(m.capacity_out_of_range, 0);
  /* Offices on every continent, each with its zone. */
  CHECK_GE(e.zones.n, 30);
  CHECK_GE(e.continents.n, 6); /* Europe America Asia Australia Africa Pacific */
  /* A few percent remote. */
  CHECK_GE(e.remote * 100, n_mentees * 3);
  CHECK_LE(e.remote * 100, n_mentees * 12);
  /* Templates are shared, but not by everyone. */
  CHECK_GE(e.avail.n, 40);
  CHECK_GE(tally_max(&e.avail) * 100, (int)n_mentees * 8);
  CHECK_LE(tally_max(&e.avail) * 100, (int)n_mentees * 40);
  /* A broad skill vocabulary with a popular head. */
  CHECK_GE(e.skills.n, 120);
  CHECK_GE(tally_max(&e.skills) * 100, (int)n_mentees * 5);
  /* Managers, missing and non-English languages: some, not many. */
  CHECK_GE(e.with_manager * 100, n_mentees * 10);
  CHECK_LE(e.with_manager * 100, n_mentees * 40);
  CHECK_GT(e.no_languages, 0);
  CHECK_LE(e.no_languages * 100, n_mentees * 5);
  CHECK_GT(e.only_foreign, 0);
  CHECK_LE(e.only_foreign * 100, n_mentees * 5);
  CHECK_EQ(m.only_foreign, 0);
  tally_free(&m.zones);
  tally_free(&m.continents);
  tally_free(&m.avail);
  tally_free(&m.skills);
  tally_free(&e.zones);
  tally_free(&e.continents);
  tally_free(&e.avail);
  tally_free(&e.skills);
}

static int warnings;
static void count_warning(void *ctx, const mm_error *w) {
  (void)ctx;
  char buf[512];
  io_warning_format(w, buf, sizeof buf);
  fprintf(stderr, "%s\n", buf);
  warnings++;
}

/* Reads one roster file into p, printing the error if any. */
static mm_status read_one(const char *path, mm_side side, mm_problem *p, const mm_options *o) {
  mm_error e;
  mm_error_clear(&e);
  mm_status st = io_read_roster(path, side, p, o, count_warning, NULL, &e);
  if (st != MM_OK) {
    char buf[1024];
    mm_error_format(&e, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
  }
  return st;
}

/* Both rosters through the real reader into a new problem (NULL on failure). */
static mm_problem *read_problem(const char *mentors, const char *mentees) {
  mm_options o;
  mm_options_init(&o);
  o.start_year = 2027;
  o.start_month = 3;
  o.start_day = 1;
  o.threads = 1;
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = mm_problem_create(&o, &e);
  CHECK(p != NULL);
  if (p && (read_one(mentors, MM_MENTOR, p, &o) != MM_OK || read_one(mentees, MM_MENTEE, p, &o) != MM_OK)) {
    CHECK(!"a generated roster did not read back");
    mm_problem_free(p);
    return NULL;
  }
  return p;
}

/* The rosters read back through the real reader, and the engine sees the
 * manager rule: a mentee's manager is never an eligible mentor. */
static void test_reads_back(void) {
  const size_t n_mentees = 600, n_mentors = 150;
  const char *mentors = generate(n_mentees, n_mentors, 11, MM_MENTOR, "mentors.csv");
  const char *mentees = generate(n_mentees, n_mentors, 11, MM_MENTEE, "mentees.csv");
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = read_problem(mentors, mentees);
  if (!p) return;
  CHECK_EQ(warnings, 0);
  CHECK_EQ(mm_problem_count(p, MM_MENTOR), n_mentors);
  CHECK_EQ(mm_problem_count(p, MM_MENTEE), n_mentees);

  int32_t *scores = malloc(n_mentees * n_mentors * sizeof *scores);
  CHECK(scores != NULL);
  if (scores && mm_score_matrix(p, scores, &e) == MM_OK) {
    size_t eligible = 0, managers = 0, manager_excluded = 0;
    for (size_t k = 0; k < n_mentees * n_mentors; k++) eligible += scores[k] >= 0;
    /* Re-read the manager column to find each mentee's manager. */
    io_csv_reader *r = NULL;
    const io_csv_record *rec;
    if (io_csv_open(mentees, 0, &r, &e) == MM_OK && io_csv_next(r, &rec, &e) == MM_OK) {
      for (size_t i = 0; io_csv_next(r, &rec, &e) == MM_OK && rec; i++) {
        const char *boss = rec->fields[C_MANAGER].text;
        if (!boss[0]) continue;
        long j = mm_problem_find(p, MM_MENTOR, boss);
        CHECK_GE(j, 0);
        if (j < 0) continue;
        managers++;
        manager_excluded += scores[i * n_mentors + (size_t)j] < 0;
      }
    }
    io_csv_close(r);
    CHECK_GT(managers, 0);
    CHECK_EQ(manager_excluded, managers);
    /* Plenty of choice, but time zones, languages and seniority rule some out. */
    CHECK_GE(eligible * 100, n_mentees * n_mentors * 15);
    CHECK_LE(eligible * 100, n_mentees * n_mentors * 95);
  } else {
    CHECK(!"mm_score_matrix failed");
  }
  free(scores);
  mm_problem_free(p);
}

/* One side of a shaped workforce into dir/name; returns the path (static). */
static const char *generate_shaped(size_t n_mentees, size_t n_mentors, const io_generator_shape *shape,
                                   mm_side side, const char *name) {
  static char path[4][512];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", tmp_dir, name);
  mm_error e;
  mm_error_clear(&e);
  io_generator *g = io_generator_create(n_mentees, n_mentors, 7, &e);
  CHECK(g != NULL);
  FILE *f = fopen(p, "wb");
  CHECK(f != NULL);
  if (g && f) {
    CHECK_EQ(io_generator_set_shape(g, shape, &e), MM_OK);
    CHECK_EQ(io_generator_write(g, side, f, name, &e), MM_OK);
  }
  if (f) fclose(f);
  io_generator_free(g);
  return p;
}

/* The dense score matrix of two roster files (malloc'd), or NULL. */
static int32_t *score_files(const char *mentors, const char *mentees, size_t n_mentees, size_t n_mentors) {
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = read_problem(mentors, mentees);
  int32_t *scores = malloc(n_mentees * n_mentors * sizeof *scores);
  int ok = p && scores && mm_score_matrix(p, scores, &e) == MM_OK;
  CHECK(ok);
  mm_problem_free(p);
  if (!ok) {
    free(scores);
    return NULL;
  }
  return scores;
}

/* Share, in per mille, of mentees whose best score is shared by at least
 * `k` mentors: their candidate list would be all ties. */
static long top_tie_permille(const int32_t *scores, size_t n_mentees, size_t n_mentors, size_t k) {
  size_t saturated = 0;
  for (size_t i = 0; i < n_mentees; i++) {
    int32_t best = -1;
    size_t at_best = 0;
    for (size_t j = 0; j < n_mentors; j++) best = scores[i * n_mentors + j] > best ? scores[i * n_mentors + j] : best;
    for (size_t j = 0; j < n_mentors; j++) at_best += best >= 0 && scores[i * n_mentors + j] == best;
    saturated += at_best >= k;
  }
  return n_mentees ? (long)(saturated * 1000 / n_mentees) : 0;
}

/* The shapes of issue 9: identical people, a capacity factor, high ties. */
static void test_shapes(void) {
  io_generator_shape shape;
  io_generator_shape_init(&shape);
  shape.identical = 1;
  size_t len;
  char *text = slurp(generate_shaped(5, 3, &shape, MM_MENTOR, "a.csv"), &len);
  CHECK_STR_EQ(text, "id,timezone,availability\nm000001,Europe/London,Mon-Fri 09:00-17:00\n"
                     "m000002,Europe/London,Mon-Fri 09:00-17:00\nm000003,Europe/London,Mon-Fri 09:00-17:00\n");
  free(text);
  shape.capacity_permille = 2000;
  text = slurp(generate_shaped(5, 1, &shape, MM_MENTOR, "a.csv"), &len);
  CHECK_STR_EQ(text, "id,timezone,availability,capacity\nm000001,Europe/London,Mon-Fri 09:00-17:00,2\n");
  free(text);

  /* A factor scales every capacity and leaves every other byte alone. */
  io_generator_shape_init(&shape);
  char *base = slurp(generate_shaped(50, 40, &shape, MM_MENTOR, "b.csv"), &len);
  shape.capacity_permille = 2000;
  char *twice = slurp(generate_shaped(50, 40, &shape, MM_MENTOR, "c.csv"), &len);
  CHECK(base && twice);
  size_t rows = 0;
  for (char *x = base, *y = twice; x && y && *x && *y; rows++) {
    char *xe = strstr(x, "\n"), *ye = strstr(y, "\n");
    char *xc = xe, *yc = ye;
    while (xc > x && xc[-1] != ',') xc--;
    while (yc > y && yc[-1] != ',') yc--;
    CHECK(xc - x == yc - y && memcmp(x, y, (size_t)(xc - x)) == 0);
    if (rows > 0) CHECK_EQ(2 * strtol(xc, NULL, 10), strtol(yc, NULL, 10));
    x = xe + 1;
    y = ye + 1;
  }
  CHECK_EQ(rows, 41);
  free(base);
  free(twice);

  /* High ties: far more mentees have several mentors at their best score. */
  long tie[2];
  for (int high = 0; high < 2; high++) {
    io_generator_shape_init(&shape);
    shape.ties = high ? IO_GEN_TIES_HIGH : IO_GEN_TIES_LOW;
    const char *mentors = generate_shaped(300, 100, &shape, MM_MENTOR, "mentors.csv");
    const char *mentees = generate_shaped(300, 100, &shape, MM_MENTEE, "mentees.csv");
    int32_t *scores = score_files(mentors, mentees, 300, 100);
    tie[high] = scores ? top_tie_permille(scores, 300, 100, 4) : -1;
    free(scores);
  }
  CHECK_GT(tie[1], 2 * tie[0]);

  mm_error e;
  io_generator *g = io_generator_create(1, 1, 1, &e);
  io_generator_shape_init(&shape);
  shape.capacity_permille = 0;
  CHECK_EQ(io_generator_set_shape(g, &shape, &e), MM_ERR_INVALID);
  shape.capacity_permille = IO_GEN_MAX_CAPACITY_PERMILLE + 1;
  CHECK_EQ(io_generator_set_shape(g, &shape, &e), MM_ERR_INVALID);
  io_generator_free(g);
}

int main(void) {
  if (!mkdtemp(tmp_dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_determinism();
  test_bad_sizes();
  test_realism();
  test_reads_back();
  test_shapes();
  static const char *const names[] = {"a.csv", "b.csv", "c.csv", "empty.csv", "mentors.csv",
                                      "mentees.csv"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, names[k]);
    unlink(path);
  }
  rmdir(tmp_dir);
  return check_report("test_generator");
}
