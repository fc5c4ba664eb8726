/* cli.c: messages and exit codes shared by the commands of the tool.
 *
 * Every error the tool prints goes through io_report, so each message has
 * the same compiler-style shape and each failure the same exit code,
 * whichever command hit it.
 */
#include "cli.h"

#include "csv_reader.h"

#include <getopt.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int io_exit_code(mm_status s) {
  switch (s) {
  case MM_OK: return IO_EXIT_OK;
  case MM_ERR_PARSE:
  case MM_ERR_INVALID:
  case MM_ERR_INFEASIBLE: return IO_EXIT_INPUT;
  case MM_ERR_USAGE: return IO_EXIT_USAGE;
  case MM_ERR_IO: return IO_EXIT_IO;
  case MM_ERR_NOMEM:
  case MM_ERR_LIMIT:
  case MM_ERR_SOLVER: return IO_EXIT_INTERNAL;
  }
  return IO_EXIT_INTERNAL;
}

/* Length of the UTF-8 sequence at p that is printable as is (0: escape p[0]). */
static size_t printable_utf8(const unsigned char *p) {
  if (p[0] >= 0x20 && p[0] < 0x7f) return 1;
  if (p[0] < 0xc2 || p[0] > 0xf4) return 0;
  size_t n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
  for (size_t k = 1; k < n; k++)
    if ((p[k] & 0xc0) != 0x80) return 0;
  if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) return 0; /* C1 controls */
  if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))) return 0;
  if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))) return 0;
  return n;
}

void io_print_text(FILE *f, const char *text) {
  const unsigned char *p = (const unsigned char *)text;
  while (*p) {
    size_t n = printable_utf8(p);
    if (n) {
      fwrite(p, 1, n, f);
      p += n;
    } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
      fprintf(f, "\\u00%02X", p[1]);
      p += 2;
    } else {
      fprintf(f, "\\x%02X", p[0]);
      p++;
    }
  }
}

int io_report(mm_status s, const mm_error *e) {
  char buf[1024];
  mm_error_format(e, buf, sizeof buf);
  if (!e->file[0]) fputs("mentormatch: ", stderr);
  io_print_text(stderr, buf);
  fputc('\n', stderr);
  return io_exit_code(s);
}

int io_usage_error(const char *command, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fprintf(stderr, "mentormatch %s: error: ", command);
  io_print_text(stderr, buf);
  fprintf(stderr, "\nRun 'mentormatch %s --help' for usage.\n", command);
  return IO_EXIT_USAGE;
}

int io_check_out(const char *command, const char *out) {
  if (!out[0]) return io_usage_error(command, "--out: expected a folder, got an empty path");
  /* "-" is standard input elsewhere; as a folder name it is a surprise
   * (a user after standard output wants --format jsonl without --out). */
  if (strcmp(out, "-") == 0)
    return io_usage_error(command, "--out: expected a folder, got \"-\" (%sa folder named - is ./-)",
                          strcmp(command, "generate") != 0
                              ? "for JSON lines on standard output, use --format jsonl without --out; "
                              : "");
  return 0;
}

mm_status io_stdout_flushed(mm_error *e) {
  errno = 0;
  if (fflush(stdout) == 0 && !ferror(stdout)) return MM_OK;
  int err = errno;
  mm_error_set(e, NULL, "cannot write to standard output%s%s", err ? ": " : "", err ? strerror(err) : "");
  mm_error_locate(e, "<stdout>", 0, 0);
  return MM_ERR_IO;
}

void io_print_warning(void *ctx, const mm_error *w) {
  (void)ctx;
  char buf[1024];
  io_warning_format(w, buf, sizeof buf);
  io_print_text(stderr, buf);
  fputc('\n', stderr);
}

int io_parse_format(const char *command, const char *value, bool *jsonl) {
  if (strcmp(value, "jsonl") != 0 && strcmp(value, "csv") != 0)
    return io_usage_error(command, "--format: expected csv or jsonl, got \"%s\"", value);
  *jsonl = value[0] == 'j';
  return 0;
}

int io_stdin_taken_twice(const char *const *paths, size_t n) {
  size_t uses = 0;
  for (size_t k = 0; k < n; k++) uses += paths[k] && strcmp(paths[k], "-") == 0;
  return uses > 1;
}

int io_refuse_repeats(const char *command, int argc, char **argv, const struct option *options,
                      int repeatable) {
  enum { MAX_OPTIONS = 128 };
  const char *first[MAX_OPTIONS] = {0};
  int c, index = -1, rc = 0;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":", options, &index)) != -1) {
    if (c == ':' || c == '?' || index < 0 || index >= MAX_OPTIONS) continue;
    const struct option *o = &options[index];
    if (o->has_arg == required_argument && o->val != repeatable) {
      if (first[index] && rc == 0)
        rc = io_usage_error(command, "--%s given twice (\"%s\" and \"%s\"); give it once", o->name,
                            first[index], optarg);
      first[index] = optarg;
    }
    index = -1;
  }
  optind = 0;
  return rc;
}

void io_next_monday(int *y, int *m, int *d) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  int weekday = (tm.tm_wday + 6) % 7; /* 0 = Monday */
  time_t then = now + (time_t)(7 - weekday) * 86400;
  gmtime_r(&then, &tm);
  *y = tm.tm_year + 1900;
  *m = tm.tm_mon + 1;
  *d = tm.tm_mday;
}

double io_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
