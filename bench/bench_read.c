/* bench_read.c: how long reading two rosters takes, as `mentormatch match` reads them.
 *
 * Usage: bench_read MENTORS.csv MENTEES.csv [RUNS] [THREADS]
 *
 * The read phase is the CSV parsing and the building of the people (ids,
 * tags, places, availability interned into the problem); with more than
 * one thread the parsing runs on a second one (io/csv_ahead).  Prints each
 * run's wall and CPU seconds (CPU of every thread of the process), then
 * their medians, so two builds can be compared on a busy machine by CPU as
 * well as by wall time.
 */
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc < 3 || argc > 5) {
    fprintf(stderr, "usage: bench_read MENTORS.csv MENTEES.csv [RUNS] [THREADS]\n");
    return 2;
  }
  int runs = argc > 3 ? atoi(argv[3]) : 5;
  int threads = argc > 4 ? atoi(argv[4]) : 2;
  if (runs < 1 || runs > 1000 || threads < 1) {
    fprintf(stderr, "bench_read: RUNS must be 1..1000 and THREADS at least 1\n");
    return 2;
  }
  mm_options o;
  bench_options(&o, threads);
  double *wall = malloc((size_t)runs * sizeof *wall), *cpu = malloc((size_t)runs * sizeof *cpu);
  if (!wall || !cpu) return 1;
  size_t people = 0;
  for (int k = 0; k < runs; k++) {
    double w0 = bench_wall_seconds(), c0 = bench_cpu_seconds();
    mm_problem *p = bench_load(argv[1], argv[2], 0, &o, NULL);
    wall[k] = bench_wall_seconds() - w0;
    cpu[k] = bench_cpu_seconds() - c0;
    if (!p) return 1;
    people = mm_problem_count(p, MM_MENTOR) + mm_problem_count(p, MM_MENTEE);
    mm_problem_free(p);
    printf("run %d: read %.3f s wall, %.3f s CPU\n", k + 1, wall[k], cpu[k]);
  }
  printf("bench_read: %zu people, %d threads, %d runs: median %.3f s wall, %.3f s CPU\n", people, threads, runs,
         bench_median(wall, (size_t)runs), bench_median(cpu, (size_t)runs));
  free(wall);
  free(cpu);
  return 0;
}
