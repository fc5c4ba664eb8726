/* main.c: the mentormatch command-line tool: picks the command and runs it.
 *
 * Each command lives in its own io/cmd_*.c file; this file only dispatches,
 * prints the top-level help and the version.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char top_usage[] =
    "Usage: mentormatch COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  match     rosters in: optimal pairings, first meetings and reasons out\n"
    "  solve     pipeline mode: assignment on scores computed elsewhere\n"
    "  generate  synthetic rosters of any size from a seed (for benchmarks)\n"
    "  init      template rosters and a commented settings file to start from\n"
    "  check     validate rosters without solving: every error, and warnings\n"
    "\n"
    "Run 'mentormatch COMMAND --help' for a command's options.\n"
    "  --version  print the version\n";

static int dispatch(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    fputs(top_usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? IO_EXIT_USAGE : IO_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("mentormatch %s\n", MM_VERSION);
    return IO_EXIT_OK;
  }
  if (strcmp(argv[1], "match") == 0) return io_cmd_match(argc - 1, argv + 1);
  if (strcmp(argv[1], "solve") == 0) return io_cmd_solve(argc - 1, argv + 1);
  if (strcmp(argv[1], "generate") == 0) return io_cmd_generate(argc - 1, argv + 1);
  if (strcmp(argv[1], "init") == 0) return io_cmd_init(argc - 1, argv + 1);
  if (strcmp(argv[1], "check") == 0) return io_cmd_check(argc - 1, argv + 1);
  fputs("mentormatch: error: unknown command \"", stderr);
  io_print_text(stderr, argv[1]);
  fprintf(stderr, "\"\n%s", top_usage);
  return IO_EXIT_USAGE;
}

/* Standard output is a file like any other: text that could not be written
 * there (a full disk, /dev/full, a closed descriptor) fails the command with
 * exit 3, as GNU tools' close_stdout does, instead of a silent success. */
static int finish_stdout(int rc) {
  errno = 0;
  /* A command that failed has said why (match stops on a standard output it
   * cannot write before it publishes, and says so). */
  if ((fflush(stdout) == 0 && !ferror(stdout)) || rc != IO_EXIT_OK) return rc;
  int err = errno;
  fprintf(stderr, "<stdout>: error: cannot write to standard output%s%s\n", err ? ": " : "", err ? strerror(err) : "");
  return rc == IO_EXIT_OK ? IO_EXIT_IO : rc;
}

int main(int argc, char **argv) {
  /* A file size limit (ulimit -f) must fail the write with EFBIG, which the
   * output folder reports (exit 3), not kill the process. */
  signal(SIGXFSZ, SIG_IGN);
  return finish_stdout(dispatch(argc, argv));
}
