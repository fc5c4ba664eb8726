/* bench_score.c: throughput of the scoring kernel alone, in pairs per second, by thread count.
 *
 * `mentormatch match` reports its score phase, but that run also reads,
 * solves and writes; this program isolates the kernel.  It loads generated
 * rosters through the real readers and times mm_score_matrix, the public
 * entry that scores every pair of a problem (scorer set-up included, as in
 * match's score phase), on all mentors against the first R mentees: R is
 * every mentee unless the dense matrix would pass --max-mb.  Each thread
 * count gets its own problem (threads are an option of the problem) and
 * --runs timed runs after one warm-up; it prints the median, the fastest and
 * the slowest, as a table and then as JSON lines (one per thread count) for
 * plotting.
 */
#include "bench_util.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: bench_score --mentors M.csv --mentees E.csv [options]\n"
    "\n"
    "Times mm_score_matrix (every mentor against the first R mentees) and prints\n"
    "pairs scored per second, median over the runs, for each thread count.\n"
    "\n"
    "  --threads LIST   thread counts, e.g. 1,2 (default 1,2)\n"
    "  --runs N         timed runs per thread count (default 5)\n"
    "  --max-mb MB      largest dense matrix to fill (default 512): R is cut so\n"
    "                   that R x mentors x 4 bytes fits\n"
    "  --rows R         score only the first R mentees\n"
    "  --label TEXT     a name for the JSON lines (default: the mentees file)\n";

static int parse_pos(const char *v, long *out) {
  char *end;
  long x = strtol(v, &end, 10);
  if (*v < '0' || *v > '9' || *end || x <= 0) return -1;
  *out = x;
  return 0;
}

int main(int argc, char **argv) {
  const char *mentors = NULL, *mentees = NULL, *threads_list = "1,2", *label = NULL;
  long runs = 5, max_mb = 512, rows = 0;
  static const struct option opts[] = {{"mentors", required_argument, NULL, 'm'},
                                       {"mentees", required_argument, NULL, 'e'},
                                       {"threads", required_argument, NULL, 't'},
                                       {"runs", required_argument, NULL, 'r'},
                                       {"max-mb", required_argument, NULL, 'x'},
                                       {"rows", required_argument, NULL, 'R'},
                                       {"label", required_argument, NULL, 'l'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    int bad = 0;
    switch (c) {
    case 'm': mentors = optarg; break;
    case 'e': mentees = optarg; break;
    case 't': threads_list = optarg; break;
    case 'l': label = optarg; break;
    case 'r': bad = parse_pos(optarg, &runs); break;
    case 'x': bad = parse_pos(optarg, &max_mb); break;
    case 'R': bad = parse_pos(optarg, &rows); break;
    case 'h': fputs(usage, stdout); return 0;
    default: bad = 1;
    }
    if (bad) {
      fputs(usage, stderr);
      return 2;
    }
  }
  if (!mentors || !mentees) {
    fputs(usage, stderr);
    return 2;
  }
  if (!label) label = mentees;

  printf("%-8s %10s %10s %12s %10s %10s %10s %14s\n", "threads", "mentees", "mentors", "pairs",
         "median_s", "min_s", "max_s", "pairs_per_s");
  char *json = NULL;
  size_t json_len = 0;
  FILE *js = open_memstream(&json, &json_len);
  char *list = strdup(threads_list);
  char *save = NULL;
  int status = 0;
  for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    long threads;
    if (parse_pos(tok, &threads)) {
      fprintf(stderr, "bench_score: --threads: expected counts like 1,2, got \"%s\"\n", tok);
      status = 2;
      break;
    }
    mm_options o;
    bench_options(&o, (int)threads);
    /* Count the mentors first to size the slice. */
    mm_problem *probe = bench_load(mentors, mentees, 1, &o, NULL);
    if (!probe) {
      status = 1;
      break;
    }
    size_t m = mm_problem_count(probe, MM_MENTOR);
    mm_problem_free(probe);
    size_t cut = m ? (size_t)max_mb * 1024 * 1024 / (m * sizeof(int32_t)) : 0;
    size_t want = rows > 0 ? (size_t)rows : cut;
    if (want > cut) want = cut;
    mm_problem *p = bench_load(mentors, mentees, want ? want : 1, &o, NULL);
    if (!p) {
      status = 1;
      break;
    }
    size_t n = mm_problem_count(p, MM_MENTEE);
    int32_t *out = malloc((n && m ? n * m : 1) * sizeof *out);
    double *t = calloc((size_t)runs, sizeof *t);
    mm_error e;
    mm_error_clear(&e);
    if (!out || !t || mm_score_matrix(p, out, &e) != MM_OK) { /* warm-up */
      fprintf(stderr, "bench_score: scoring failed: %s\n", e.message);
      status = 1;
    }
    for (long k = 0; status == 0 && k < runs; k++) {
      double t0 = io_now();
      if (mm_score_matrix(p, out, &e) != MM_OK) status = 1;
      t[k] = io_now() - t0;
    }
    if (status == 0) {
      uint64_t eligible = 0;
      for (size_t k = 0; k < n * m; k++) eligible += out[k] >= 0;
      double lo = t[0], hi = t[0];
      for (long k = 1; k < runs; k++) {
        lo = t[k] < lo ? t[k] : lo;
        hi = t[k] > hi ? t[k] : hi;
      }
      double med = bench_median(t, (size_t)runs);
      double pairs = (double)n * (double)m;
      printf("%-8ld %10zu %10zu %12.0f %10.4f %10.4f %10.4f %14.4g\n", threads, n, m, pairs, med, lo,
             hi, med > 0 ? pairs / med : 0);
      fprintf(js, "{\"bench\": \"score\", \"label\": \"%s\", \"threads\": %ld, \"mentees\": %zu, "
                      "\"mentors\": %zu, \"pairs\": %.0f, \"eligible\": %llu, \"runs\": %ld, "
                      "\"median_s\": %.6f, \"min_s\": %.6f, \"max_s\": %.6f, \"pairs_per_s\": %.6g}\n",
              label, threads, n, m, pairs, (unsigned long long)eligible, runs, med, lo, hi,
              med > 0 ? pairs / med : 0);
    }
    free(t);
    free(out);
    mm_problem_free(p);
    if (status) break;
  }
  free(list);
  fclose(js);
  if (json_len) printf("\n%s", json);
  free(json);
  return status;
}
