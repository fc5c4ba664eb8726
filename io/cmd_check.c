/* cmd_check.c: `mentormatch check`: rosters validated without solving, every problem at once.
 *
 * `match` stops at the first error because it must not write half a result;
 * an analyst fixing a spreadsheet wants the whole list in one go.  check
 * reads the rosters with the same reader as `match` (so it accepts exactly
 * what `match` accepts), keeps going after a bad row, reads the optional
 * settings and pairs files, then runs the roster linter for warnings.
 * Exit status 1 when any error was found, whatever the warnings.
 */
#include "cli.h"
#include "config_reader.h"
#include "roster_lint.h"
#include "roster_reader.h"
#include "rules_reader.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char check_usage[] =
    "Usage: mentormatch check --mentors M.csv --mentees E.csv [--config FILE] [--start DATE] [--pairs P.csv]\n"
    "                         [--quiet]\n"
    "\n"
    "Validates rosters without solving.  Prints every error (not only the first)\n"
    "as file:line:col, then warnings for data that is valid but suspicious: a\n"
    "person whose weekly hours meet nobody on the other side for a whole meeting\n"
    "(at the program start, and in each week after a clock change, whatever the\n"
    "cadence, as match decides it),\n"
    "a skill or goal spelt two ways, a language nobody else lists.  A bad row\n"
    "(a bad value, the wrong number of fields) is skipped and reading goes on;\n"
    "a broken file structure (quoting, a missing column) ends that file.\n"
    "\n"
    "  --mentors FILE   mentors roster (- reads standard input)\n"
    "  --mentees FILE   mentees roster (- reads standard input)\n"
    "  --config FILE    settings (start date, meeting length and cadence matter)\n"
    "  --start DATE     first day of the program, YYYY-MM-DD, as match --start\n"
    "  --pairs FILE     require/forbid rules, checked against the rosters (a rule\n"
    "                   naming someone whose row has an error is reported too)\n"
    "  --quiet          no closing summary line\n"
    "  --help           this text\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors in the input,\n"
    "2 bad usage, 3 a file could not be read, 4 out of memory.\n";

/* What a check found so far, and the linter the rows go to. */
typedef struct {
  long errors, warnings;
  int exit_code; /* the worst so far */
  io_lint *lint;
} check_state;

static void note_error(check_state *c, mm_status s, const mm_error *e) {
  int code = io_report(s, e);
  if (code > c->exit_code) c->exit_code = code;
  c->errors++;
}

static void on_row_error(void *ctx, mm_status s, const mm_error *e) { note_error(ctx, s, e); }

/* What match would refuse before solving: a require rule, located in the
 * pairs file, or priorities in stable mode, at the mentees file. */
typedef struct {
  check_state *c;
  const char *pairs, *mentees;
} precheck;

static int on_precheck_error(void *ctx, const mm_error *e) {
  const precheck *r = ctx;
  mm_error located = *e;
  bool priority = strcmp(e->field, "priority") == 0;
  if (priority) {
    mm_error_locate(&located, io_input_name(r->mentees), 0, 0);
  } else if (r->pairs) {
    mm_error_locate(&located, io_input_name(r->pairs), located.line, located.col);
  }
  note_error(r->c, priority ? MM_ERR_INVALID : MM_ERR_INFEASIBLE, &located);
  return 1;
}

static void on_row_added(void *ctx, mm_side side, size_t index, const mm_person *person,
                         const io_roster_cells *cells) {
  io_lint_row_added(((check_state *)ctx)->lint, side, index, person, cells);
}

static void on_warning(void *ctx, const mm_error *w) {
  io_print_warning(NULL, w);
  ((check_state *)ctx)->warnings++;
}

/* Reads one roster, reporting each bad row and going on.  Returns 0 when
 * the file could not be read to its end. */
static int check_roster(const char *path, mm_side side, mm_problem *p, const mm_options *o, check_state *c) {
  io_lint_begin_file(c->lint, path);
  io_roster_hooks hooks = {on_row_error, on_row_added, c};
  mm_error e;
  mm_error_clear(&e);
  long errors = c->errors;
  mm_status st = io_read_roster_hooked(path, side, p, o, on_warning, c, &hooks, &e);
  if (st != MM_OK) {
    note_error(c, st, &e);
    return 0;
  }
  if (c->errors == errors && mm_problem_count(p, side) == 0) {
    mm_error_set(&e, NULL, "no %s: the file has a header but no rows", side == MM_MENTOR ? "mentors" : "mentees");
    mm_error_locate(&e, io_input_name(path), 2, 1);
    note_error(c, MM_ERR_INVALID, &e);
  }
  return 1;
}

/* Settings: the file, then --start, else the start date match would use. */
static int read_settings(const char *config, const char *start, mm_options *o, check_state *c) {
  mm_options_init(o);
  io_next_monday(&o->start_year, &o->start_month, &o->start_day);
  mm_error e;
  mm_error_clear(&e);
  mm_status st = config ? io_read_config(config, o, &e) : MM_OK;
  if (st == MM_OK && start && io_parse_date(start, &o->start_year, &o->start_month, &o->start_day) != MM_OK) {
    c->exit_code = io_usage_error("check", "--start: expected a date YYYY-MM-DD, got \"%s\"", start);
    return 0;
  }
  if (st == MM_OK) st = mm_options_check(o, &e);
  if (st != MM_OK) {
    note_error(c, st, &e);
    return 0;
  }
  return 1;
}

static int parse_args(int argc, char **argv, const char **paths, bool *quiet) {
  static const struct option options[] = {
      {"mentors", required_argument, NULL, 'm'}, {"mentees", required_argument, NULL, 'e'},
      {"config", required_argument, NULL, 'c'},  {"pairs", required_argument, NULL, 'p'},
      {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
      {"start", required_argument, NULL, 's'},
      {NULL, 0, NULL, 0}};
  if (io_refuse_repeats("check", argc, argv, options, 0)) return IO_EXIT_USAGE;
  optind = 0;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    switch (ch) {
    case 'm': paths[0] = optarg; break;
    case 'e': paths[1] = optarg; break;
    case 'p': paths[2] = optarg; break;
    case 'c': paths[3] = optarg; break;
    case 's': paths[4] = optarg; break;
    case 'q': *quiet = true; break;
    case 'h': fputs(check_usage, stdout); return -1;
    case ':': return io_usage_error("check", "%s needs a value", argv[optind - 1]);
    default: return io_usage_error("check", "unknown option %s", argv[optind - 1]);
    }
  }
  if (optind < argc) return io_usage_error("check", "unexpected argument \"%s\"", argv[optind]);
  if (!paths[0] || !paths[1]) return io_usage_error("check", "--mentors and --mentees are required");
  if (io_stdin_taken_twice(paths, 4))
    return io_usage_error("check", "standard input (-) can feed only one of the files");
  return 0;
}

int io_cmd_check(int argc, char **argv) {
  const char *paths[5] = {NULL, NULL, NULL, NULL, NULL}; /* mentors, mentees, pairs, config, --start */
  bool quiet = false;
  int rc = parse_args(argc, argv, paths, &quiet);
  if (rc) return rc < 0 ? IO_EXIT_OK : rc;
  check_state c = {0, 0, IO_EXIT_OK, NULL};
  mm_options o;
  if (!read_settings(paths[3], paths[4], &o, &c)) return c.exit_code;
  mm_error e;
  mm_error_clear(&e);
  mm_problem *p = mm_problem_create(&o, &e);
  c.lint = p ? io_lint_create(p, &o) : NULL;
  if (!c.lint) {
    mm_problem_free(p);
    mm_error_set(&e, NULL, "out of memory");
    return io_report(MM_ERR_NOMEM, &e);
  }
  int whole = check_roster(paths[0], MM_MENTOR, p, &o, &c);
  whole &= check_roster(paths[1], MM_MENTEE, p, &o, &c);
  if (paths[2] && !whole) {
    fprintf(stderr, "mentormatch check: note: %s not checked: a roster could not be read to its end\n",
            io_input_name(paths[2]));
  } else if (paths[2]) {
    mm_status st = io_read_rules_each(paths[2], p, on_row_error, &c, &e);
    if (st != MM_OK) note_error(&c, st, &e);
  }
  /* Everything read without error: what match refuses before solving. */
  if (whole && c.errors == 0) {
    precheck pc = {&c, paths[2], paths[1]};
    mm_status st = mm_problem_check(p, on_precheck_error, &pc, &e);
    if (st == MM_ERR_NOMEM) note_error(&c, st, &e);
  }
  long warnings = io_lint_report(c.lint, on_warning, &c);
  if (warnings < 0) {
    mm_error_set(&e, NULL, "out of memory looking for suspicious data");
    note_error(&c, MM_ERR_NOMEM, &e);
  }
  if (!quiet)
    printf("mentormatch check: %ld error%s, %ld warning%s; %zu mentors, %zu mentees read\n", c.errors,
           c.errors == 1 ? "" : "s", c.warnings, c.warnings == 1 ? "" : "s", mm_problem_count(p, MM_MENTOR),
           mm_problem_count(p, MM_MENTEE));
  io_lint_free(c.lint);
  mm_problem_free(p);
  return c.exit_code;
}
