/* bench_util.h: what the benchmark programs share: rosters in, the dense matrix on disk, medians.
 *
 * The benchmark programs measure the engine on generated workforces read
 * through the real roster readers, exactly as `mentormatch match` reads
 * them, so the figures describe what users get.  This module keeps the
 * loading, the binary score-matrix files that peers read (see README.md),
 * the clock and the median in one place.  Benchmarks print figures; they
 * never decide pass or fail on time.
 */
#ifndef MM_BENCH_UTIL_H
#define MM_BENCH_UTIL_H

#include "mentormatch.h"

#include <stddef.h>
#include <stdint.h>

/* Options as `mentormatch match --start 2027-03-01 --threads T` sets them. */
void bench_options(mm_options *o, int threads);

/* Reads mentors then mentees (only the first mentee_rows records when
 * mentee_rows > 0; the file must then hold one record per line, as
 * `mentormatch generate` writes) into a new problem.  Prints the error and
 * returns NULL on failure.  *capacity (when not NULL) receives a malloc'd
 * array of each mentor's capacity, in problem order, read from the capacity
 * column (default 1). */
mm_problem *bench_load(const char *mentors, const char *mentees, size_t mentee_rows,
                       const mm_options *o, int32_t **capacity);

/* A dense score matrix on disk: DIR/scores.i32 holds n*m native int32
 * (row-major, mentee by mentor, -1 = ineligible), DIR/capacity.i32 m int32,
 * DIR/meta.txt "mentees N\nmentors M\n". */
int bench_matrix_write(const char *dir, const int32_t *scores, const int32_t *capacity, size_t n,
                       size_t m);
/* Reads it back; *scores and *capacity are malloc'd.  Prints the error and
 * returns -1 on failure. */
int bench_matrix_read(const char *dir, int32_t **scores, int32_t **capacity, size_t *n, size_t *m);

/* A candidate graph as `mentormatch match --dump-graph DIR` writes it (see
 * io/graph_writer.h), as the edge lists mm_solve_scores takes: arrays
 * malloc'd into *s (free with bench_graph_free).  Prints the error and
 * returns -1 on failure. */
int bench_graph_read(const char *dir, mm_scores *s);
void bench_graph_free(mm_scores *s);

/* One command-line option of a benchmark program: "--name VALUE" stores
 * VALUE in *text (when text is set) or its number in *number; an option with
 * neither is a flag that sets *flag to 1 and takes no value. */
typedef struct {
  const char *name;
  const char **text;
  long *number;
  int *flag;
} bench_arg;

/* Reads argv[1..argc-1] against the n options of spec.  Returns 0, or -1 on
 * an unknown option, a missing value or a number that does not parse (the
 * caller prints its usage). */
int bench_parse_args(int argc, char **argv, const bench_arg *spec, size_t n);

/* Peak resident memory of this process so far, in KiB. */
long bench_max_rss_kb(void);

/* Median of n values (sorts v). */
double bench_median(double *v, size_t n);

/* Seconds on a monotonic clock, and CPU seconds (user + system) of the
 * whole process, every thread. */
double bench_wall_seconds(void);
double bench_cpu_seconds(void);

#endif
