/* bench_util.c: loading rosters, the dense matrix files, clocks and medians for bench/.
 *
 * Kept apart from the programs so each benchmark reads as what it measures.
 * Rosters go through io_read_roster, the reader `mentormatch match` uses.
 */
#include "bench_util.h"

#include "cli.h"
#include "config_reader.h"
#include "csv_reader.h"
#include "roster_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

void bench_options(mm_options *o, int threads) {
  mm_options_init(o);
  o->start_year = 2027;
  o->start_month = 3;
  o->start_day = 1;
  o->threads = threads;
}

static void ignore_warning(void *ctx, const mm_error *w) {
  (void)ctx;
  (void)w;
}

static void print_error(const mm_error *e) {
  char buf[1024];
  mm_error_format(e, buf, sizeof buf);
  fprintf(stderr, "bench: %s\n", buf);
}

/* Copies the header and the first rows lines of src into a new temporary
 * file; returns its path (malloc'd) or NULL. */
static char *head_copy(const char *src, size_t rows) {
  FILE *in = fopen(src, "rb");
  if (!in) {
    perror(src);
    return NULL;
  }
  char *path = strdup("/tmp/mm_bench_rows_XXXXXX");
  int fd = path ? mkstemp(path) : -1;
  FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!out) {
    perror("temporary file");
    if (fd >= 0) close(fd);
    free(path);
    fclose(in);
    return NULL;
  }
  size_t lines = 0;
  int c;
  while (lines <= rows && (c = getc(in)) != EOF) {
    putc(c, out);
    lines += c == '\n';
  }
  fclose(in);
  if (fclose(out) != 0) {
    unlink(path);
    free(path);
    return NULL;
  }
  return path;
}

static int32_t *read_capacities(const char *path, const mm_problem *p) {
  size_t m = mm_problem_count(p, MM_MENTOR);
  int32_t *cap = malloc((m ? m : 1) * sizeof *cap);
  io_csv_reader *r = NULL;
  mm_error e;
  mm_error_clear(&e);
  if (!cap || io_csv_open(path, 0, &r, &e) != MM_OK) {
    free(cap);
    print_error(&e);
    return NULL;
  }
  for (size_t j = 0; j < m; j++) cap[j] = 1;
  static const io_csv_column cols[2] = {{"id", 1}, {"capacity", 0}};
  long index[2];
  mm_status st = io_csv_read_header(r, cols, 2, index, ignore_warning, NULL, &e);
  const io_csv_record *rec;
  while (st == MM_OK && (st = io_csv_next(r, &rec, &e)) == MM_OK && rec) {
    if (index[1] < 0) break;
    long j = mm_problem_find(p, MM_MENTOR, io_trim(rec->fields[index[0]].text));
    long v;
    if (j >= 0 && io_parse_int(io_trim(rec->fields[index[1]].text), 0, 1000, &v) == MM_OK)
      cap[j] = (int32_t)v;
  }
  io_csv_close(r);
  if (st != MM_OK) {
    print_error(&e);
    free(cap);
    return NULL;
  }
  return cap;
}

mm_problem *bench_load(const char *mentors, const char *mentees, size_t mentee_rows,
                       const mm_options *o, int32_t **capacity) {
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = mm_problem_create(o, &e);
  if (!p) {
    print_error(&e);
    return NULL;
  }
  char *slice = mentee_rows ? head_copy(mentees, mentee_rows) : NULL;
  if (mentee_rows && !slice) {
    mm_problem_free(p);
    return NULL;
  }
  mm_status st = io_read_roster(mentors, MM_MENTOR, p, o, io_print_warning, NULL, &e);
  if (st == MM_OK)
    st = io_read_roster(slice ? slice : mentees, MM_MENTEE, p, o, io_print_warning, NULL, &e);
  if (slice) {
    unlink(slice);
    free(slice);
  }
  if (st != MM_OK) {
    print_error(&e);
    mm_problem_free(p);
    return NULL;
  }
  if (capacity && !(*capacity = read_capacities(mentors, p))) {
    mm_problem_free(p);
    return NULL;
  }
  return p;
}

static int write_all(const char *dir, const char *name, const void *data, size_t bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || (bytes && fwrite(data, 1, bytes, f) != bytes) || fclose(f) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

int bench_matrix_write(const char *dir, const int32_t *scores, const int32_t *capacity, size_t n,
                       size_t m) {
  char meta[128];
  int len = snprintf(meta, sizeof meta, "mentees %zu\nmentors %zu\n", n, m);
  if (write_all(dir, "scores.i32", scores, n * m * sizeof *scores) ||
      write_all(dir, "capacity.i32", capacity, m * sizeof *capacity) ||
      write_all(dir, "meta.txt", meta, (size_t)len))
    return -1;
  return 0;
}

static void *read_all(const char *dir, const char *name, size_t bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  void *data = malloc(bytes ? bytes : 1);
  if (!f || !data || fread(data, 1, bytes, f) != bytes) {
    perror(path);
    free(data);
    if (f) fclose(f);
    return NULL;
  }
  fclose(f);
  return data;
}

int bench_matrix_read(const char *dir, int32_t **scores, int32_t **capacity, size_t *n, size_t *m) {
  char path[4096];
  snprintf(path, sizeof path, "%s/meta.txt", dir);
  FILE *f = fopen(path, "r");
  if (!f || fscanf(f, "mentees %zu mentors %zu", n, m) != 2) {
    fprintf(stderr, "bench: %s: expected \"mentees N\" and \"mentors M\"\n", path);
    if (f) fclose(f);
    return -1;
  }
  fclose(f);
  *scores = read_all(dir, "scores.i32", *n * *m * sizeof **scores);
  *capacity = *scores ? read_all(dir, "capacity.i32", *m * sizeof **capacity) : NULL;
  if (!*capacity) {
    free(*scores);
    *scores = NULL;
    return -1;
  }
  return 0;
}

int bench_graph_read(const char *dir, mm_scores *s) {
  char path[4096];
  size_t n, m;
  unsigned long long edges;
  long long big;
  mm_scores_init(s);
  snprintf(path, sizeof path, "%s/graph.meta", dir);
  FILE *f = fopen(path, "r");
  if (!f || fscanf(f, "mentees %zu mentors %zu edges %llu big %lld", &n, &m, &edges, &big) != 4) {
    fprintf(stderr, "bench: %s: expected \"mentees N\", \"mentors M\", \"edges E\" and \"big B\"\n", path);
    if (f) fclose(f);
    return -1;
  }
  fclose(f);
  int32_t *cap = read_all(dir, "graph.cap", m * sizeof *cap);
  uint64_t *off = cap ? read_all(dir, "graph.off", (n + 1) * sizeof *off) : NULL;
  uint32_t *adj = off ? read_all(dir, "graph.adj", edges * sizeof *adj) : NULL;
  int64_t *score = adj ? read_all(dir, "graph.score", edges * sizeof *score) : NULL;
  uint32_t *mentee = score ? malloc((edges ? edges : 1) * sizeof *mentee) : NULL;
  if (!mentee) {
    free(cap);
    free(off);
    free(adj);
    free(score);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    for (uint64_t k = off[i]; k < off[i + 1] && k < edges; k++) mentee[k] = (uint32_t)i;
  free(off);
  mm_scores_init(s);
  s->n_mentees = n;
  s->n_mentors = m;
  s->capacity = cap;
  s->n_edges = edges;
  s->edge_mentee = mentee;
  s->edge_mentor = adj;
  s->edge_score = score;
  return 0;
}

void bench_graph_free(mm_scores *s) {
  free((void *)s->capacity);
  free((void *)s->edge_mentee);
  free((void *)s->edge_mentor);
  free((void *)s->edge_score);
  mm_scores_init(s);
}

static const bench_arg *find_arg(const char *name, const bench_arg *spec, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(name, spec[i].name) == 0) return &spec[i];
  return NULL;
}

int bench_parse_args(int argc, char **argv, const bench_arg *spec, size_t n) {
  for (int k = 1; k < argc; k++) {
    const bench_arg *a = find_arg(argv[k], spec, n);
    if (!a) return -1;
    if (a->flag) {
      *a->flag = 1;
      continue;
    }
    if (++k >= argc) return -1;
    if (a->text) {
      *a->text = argv[k];
      continue;
    }
    char *end;
    *a->number = strtol(argv[k], &end, 10);
    if (end == argv[k] || *end) return -1;
  }
  return 0;
}

long bench_max_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_median(double *v, size_t n) {
  if (n == 0) return 0;
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_wall_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double bench_cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}
