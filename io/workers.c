/* workers.c: starts OpenMP's worker threads up front, so a system short of threads gives exit 4.
 *
 * libgomp cannot report a failed pthread_create to its caller: it prints
 * "libgomp: Thread creation failed" and calls exit(1), which this tool's
 * exit codes read as "bad input".  libgomp creates its threads in the first
 * parallel region and keeps them for the later ones with the same count, so
 * one empty region here, before the engine runs, is where a shortage shows.
 * An atexit handler armed only around that region turns libgomp's exit into
 * exit 4 (a limit) with a message of ours after libgomp's own; LLVM's libomp
 * (the ThreadSanitizer build) aborts instead, so SIGABRT is caught there too.
 */
#include "cli.h"

#include <omp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t starting;

static void fail_to_start(void) {
  static const char msg[] = "mentormatch: error: the system could not start the worker threads (a resource "
                            "limit such as ulimit -u or memory for their stacks); try fewer --threads\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)ignored;
  _exit(IO_EXIT_INTERNAL);
}

static void on_exit_while_starting(void) {
  if (starting) fail_to_start();
}

static void on_abort_while_starting(int sig) {
  (void)sig;
  fail_to_start();
}

int io_workers_start(int threads) {
  static int armed;
  if (!armed && atexit(on_exit_while_starting) == 0) armed = 1;
  int n = threads > 0 ? threads : omp_get_max_threads();
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_abort_while_starting;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGABRT, &sa, &old);
  starting = 1;
  /* Making the team is the point; the count only keeps the compiler from
   * dropping an empty region. */
  int joined = 0;
#pragma omp parallel num_threads(n)
  {
#pragma omp atomic
    joined++;
  }
  starting = 0;
  sigaction(SIGABRT, &old, NULL);
  return joined >= 1 ? 0 : -1;
}
