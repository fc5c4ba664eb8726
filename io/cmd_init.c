/* cmd_init.c: `mentormatch init DIR`: a working example an analyst starts from.
 *
 * Writes mentors.csv and mentees.csv (every column the rosters know, two
 * example rows each, chosen so that both pairs are eligible across the
 * clock changes) and program.conf (every setting, explained, defaults shown
 * commented out), then prints the command that runs them.  The files go
 * through the all-or-nothing output folder, and init never overwrites: an
 * analyst's edited roster is worth more than a template.
 */
#include "cli.h"
#include "outdir.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char init_usage[] =
    "Usage: mentormatch init DIR\n"
    "\n"
    "Writes template rosters DIR/mentors.csv and DIR/mentees.csv (the header and\n"
    "two example rows each) and a commented settings file DIR/program.conf, which\n"
    "run as they are:\n"
    "  mentormatch check --mentors DIR/mentors.csv --mentees DIR/mentees.csv\n"
    "  mentormatch match --mentors DIR/mentors.csv --mentees DIR/mentees.csv \\\n"
    "                    --config DIR/program.conf --out DIR/out\n"
    "DIR is created if missing; existing files are never overwritten.\n"
    "Exit status: 0 success, 2 bad usage, 3 a file exists or cannot be written.\n";

static const char mentors_csv[] =
    "id,name,email,timezone,availability,skills,goals,location,country,department,manager_id,languages,"
    "seniority,capacity\n"
    "M1,Ada Example,ada@example.com,Europe/London,Mon-Thu 09:00-12:00,python:4; public speaking:3,"
    "leadership; career growth,London,United Kingdom,Engineering,,English; German,8,2\n"
    "M2,Kofi Example,kofi@example.com,America/New_York,\"Tue,Thu 10:00-14:00\",sql:5; data visualisation:4,"
    "switching teams,New York,United States,Analytics,,English; French,7,1\n";

static const char mentees_csv[] =
    "id,name,email,timezone,availability,skills,goals,location,country,department,manager_id,languages,"
    "seniority\n"
    "E1,Lena Example,lena@example.com,Europe/Berlin,Mon-Fri 10:00-12:00,python:3; public speaking,"
    "leadership,Berlin,Germany,Sales,,English; German,3\n"
    "E2,Ravi Example,ravi@example.com,Asia/Kolkata,Mon-Fri 15:30-22:00,sql:4; data visualisation,"
    "switching teams,Bengaluru,India,Analytics,,English; French,2\n";

static const char program_conf[] =
    "# Settings for `mentormatch match --config program.conf`: key = value, # starts a comment.\n"
    "# Every key is shown; those commented out hold their default.  Flags on the\n"
    "# command line win over this file, and an unknown key is an error.\n"
    "\n"
    "# First day of the program (YYYY-MM-DD); without it, the next Monday.\n"
    "# start = 2027-03-01\n"
    "\n"
    "# Meetings: length in minutes (15..240, steps of 15), how often (weekly,\n"
    "# biweekly, monthly = every fourth week), how many first occurrences to list,\n"
    "# and checkpoint days after the start (or none).\n"
    "meeting_minutes = 60\n"
    "cadence = weekly\n"
    "# first_meetings = 3\n"
    "# checkpoints = 30, 60, 90\n"
    "\n"
    "# How much each criterion counts (relative weights, normalised to add up to 1).\n"
    "weight.skills = 0.4\n"
    "weight.goals = 0.3\n"
    "weight.timezone = 0.2\n"
    "weight.diversity = 0.1\n"
    "\n"
    "# A mentor's seniority minus the mentee's must be at least this (when both give it).\n"
    "# seniority_gap = 1\n"
    "\n"
    "# Solving: auto, glpk or flow; mentors kept per mentee before the proof; a time\n"
    "# limit in seconds (0 = none); threads for every phase (0 = all cores).\n"
    "# solver = auto\n"
    "# candidates = 16\n"
    "# time_limit = 0\n"
    "# threads = 0\n"
    "\n"
    "# Calendars: minutes kept free around each meeting; conflicts among at most\n"
    "# this many eligible pairs are solved as one proven joint model (0 = never).\n"
    "# buffer_minutes = 0\n"
    "# joint_whole_pairs = 2000\n"
    "\n"
    "# Program rules (README, \"Program rules\"): optimal or stable matching; pairs\n"
    "# from an earlier cohort (--previous) forbidden or penalised (penalise:0.2);\n"
    "# at least this share of pairs across locations, countries, departments\n"
    "# (only pairs where both sides give the column count); at most this many of\n"
    "# one mentor's mentees from one department (0 = no limit); every mentor a\n"
    "# first mentee before any gets a second (1); total or maxmin (raise the\n"
    "# lowest score first); stop once within this share of the bound (0 = exact).\n"
    "# mode = optimal\n"
    "# previous = forbid\n"
    "# quota.cross_location = 0\n"
    "# quota.cross_country = 0\n"
    "# quota.cross_department = 0\n"
    "# max_per_department = 0\n"
    "# min_per_mentor = 0\n"
    "# objective = total\n"
    "# mip_gap = 0\n"
    "# Each value of a mentee-roster column gets its proportional share of the\n"
    "# matches; the two keys go together, and the column must be in mentees.csv:\n"
    "#   quota.column = employee_group\n"
    "#   quota.min_share = proportional\n";

static const struct {
  const char *name;
  const char *text;
} templates[] = {{"mentors.csv", mentors_csv}, {"mentees.csv", mentees_csv}, {"program.conf", program_conf}};

enum { N_TEMPLATES = sizeof templates / sizeof *templates };

/* Refuses when any template's name is taken in dir. */
static int existing_file(const char *dir) {
  for (size_t k = 0; k < N_TEMPLATES; k++) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, templates[k].name);
    if (lstat(path, &st) == 0) {
      fprintf(stderr, "mentormatch init: error: %s already exists; init never overwrites (choose another folder)\n",
              path);
      return 1;
    }
  }
  return 0;
}

/* A template's text as it is (io_outdir_close reports a failed write). */
static mm_status out_text(FILE *f, const char *shown, const void *ctx, mm_error *e) {
  (void)shown, (void)e;
  fputs(ctx, f);
  return MM_OK;
}

/* Writes the templates, says what to do next (on standard output, before
 * the folder is published: io_stdout_flushed) and publishes them. */
static mm_status write_templates(const char *dir, mm_error *e) {
  io_outdir *od = NULL;
  mm_status st = io_outdir_open(dir, "DIR", &od, e);
  if (st != MM_OK) return st;
  for (size_t k = 0; st == MM_OK && k < N_TEMPLATES; k++)
    st = io_outdir_write(od, templates[k].name, out_text, templates[k].text, e);
  if (st == MM_OK) {
    printf("mentormatch: wrote %s/mentors.csv, %s/mentees.csv and %s/program.conf; next:\n"
           "  mentormatch check --mentors %s/mentors.csv --mentees %s/mentees.csv\n"
           "  mentormatch match --mentors %s/mentors.csv --mentees %s/mentees.csv --config %s/program.conf "
           "--out %s/out\n",
           dir, dir, dir, dir, dir, dir, dir, dir, dir);
    st = io_stdout_flushed(e);
  }
  return io_outdir_finish(od, st, e);
}

int io_cmd_init(int argc, char **argv) {
  static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    if (c == 'h') {
      fputs(init_usage, stdout);
      return IO_EXIT_OK;
    }
    return io_usage_error("init", "unknown option %s", argv[optind - 1]);
  }
  if (optind != argc - 1) return io_usage_error("init", "expected one folder, DIR");
  const char *dir = argv[optind];
  if (!dir[0]) return io_usage_error("init", "expected a folder name, got \"\"");
  if (existing_file(dir)) return IO_EXIT_IO;
  mm_error e;
  mm_error_clear(&e);
  mm_status st = write_templates(dir, &e);
  return st == MM_OK ? IO_EXIT_OK : io_report(st, &e);
}
