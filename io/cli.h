/* cli.h: what the command-line tool's commands share: messages, exit codes, clocks. */
#ifndef MM_IO_CLI_H
#define MM_IO_CLI_H

#include "mentormatch.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes, documented in README and --help. */
enum {
  IO_EXIT_OK = 0,
  IO_EXIT_INPUT = 1,    /* a malformed or contradictory input file */
  IO_EXIT_USAGE = 2,    /* bad command line */
  IO_EXIT_IO = 3,       /* a file could not be read or written */
  IO_EXIT_INTERNAL = 4  /* out of memory, a limit, or a solver failure */
};

/* Exit code for a status. */
int io_exit_code(mm_status s);

/* Prints "file:line:col: error: ..." (or "mentormatch: error: ...") on stderr
 * and returns io_exit_code(s). */
int io_report(mm_status s, const mm_error *e);

/* Prints a usage error and a hint to run --help; returns IO_EXIT_USAGE. */
int io_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Writes text to f with every byte a terminal could act on shown escaped:
 * control characters (ESC included) and C1 controls as \xNN or \u00NN,
 * bytes that are not UTF-8 as \xNN.  Error messages quote input, and input
 * must never reach the terminal raw. */
void io_print_text(FILE *f, const char *text);

/* The --out value: a usage error (IO_EXIT_USAGE, message printed) when it
 * is empty; 0 otherwise.  A trailing slash names the same folder. */
int io_check_out(const char *command, const char *out);

/* Starts OpenMP's worker threads (threads, or all cores when 0) before the
 * engine needs them.  libgomp ends the process with exit status 1 ("bad
 * input" here) when it cannot create a thread; while they start, such an
 * exit becomes exit 4 with a message.  Returns 0 once at least one thread
 * ran the team (a failure to start ends the process). */
int io_workers_start(int threads);

/* Flushes standard output: MM_OK, or MM_ERR_IO with e naming <stdout> when
 * it cannot take what was printed (a full disk, /dev/full, a closed pipe).
 * Commands that write a folder print their lines and call this before they
 * publish it, so such a failure leaves the folder as it was. */
mm_status io_stdout_flushed(mm_error *e);

/* Warning callback for readers: prints the warning on stderr. */
void io_print_warning(void *ctx, const mm_error *w);

/* --format: "csv" (false) or "jsonl" (true) into *jsonl; anything else is
 * a usage error of command (returns IO_EXIT_USAGE, else 0). */
int io_parse_format(const char *command, const char *value, bool *jsonl);

/* True when more than one of the n paths (NULL = not given) is "-", the
 * name of standard input, which can be read only once. */
int io_stdin_taken_twice(const char *const *paths, size_t n);

/* A usage error (IO_EXIT_USAGE, message printed) when an option that
 * takes a value is given more than once, except the one whose val is
 * `repeatable` (0: none): with two --out values, silently keeping the
 * last one would write where the user did not look.  0 otherwise.  Scans
 * argv with getopt_long; the caller's own scan then starts afresh. */
struct option;
int io_refuse_repeats(const char *command, int argc, char **argv, const struct option *options,
                      int repeatable);

/* The Monday after today (UTC): the program start when none is given. */
void io_next_monday(int *y, int *m, int *d);

/* Monotonic seconds. */
double io_now(void);

int io_cmd_match(int argc, char **argv);
int io_cmd_solve(int argc, char **argv);
int io_cmd_generate(int argc, char **argv);
int io_cmd_init(int argc, char **argv);
int io_cmd_check(int argc, char **argv);

#endif
