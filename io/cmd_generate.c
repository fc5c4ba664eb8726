/* cmd_generate.c: `mentormatch generate`: synthetic rosters of any size from a seed.
 *
 * Benchmarks and tests need workforces far larger than anything committed to
 * the repository; this command makes them on demand through io/generator.c
 * and writes DIR/mentors.csv and DIR/mentees.csv through the all-or-nothing
 * output folder, so a failed or interrupted run leaves nothing behind.  The
 * same seed and sizes always give byte-identical files.
 */
#include "cli.h"
#include "config_reader.h"
#include "generator.h"
#include "outdir.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char generate_usage[] =
    "Usage: mentormatch generate (--size S|M|L | --mentees N --mentors M) --out DIR [options]\n"
    "\n"
    "Writes a synthetic but plausible workforce: offices on every continent with\n"
    "their time zones, remote people, Zipf-like skills and goals, office-hours\n"
    "availability, departments, managers, languages, seniority and capacities.\n"
    "The same seed and sizes always give byte-identical files.\n"
    "\n"
    "Sizes (one of):\n"
    "  --size S|M|L            S = 1,000 mentees / 250 mentors, M = 10,000 / 2,500,\n"
    "                          L = 100,000 / 25,000\n"
    "  --mentees N --mentors M any sizes from 1 to 10,000,000 each\n"
    "Required:\n"
    "  --out DIR               output folder (created if missing; files replaced only\n"
    "                          when both are written)\n"
    "Options:\n"
    "  --seed N                PRNG seed, 0 to 18446744073709551615 (default 1)\n"
    "  --calendar office|narrow  office: office-hours templates (default); narrow:\n"
    "                          three in ten people get one to three 60-180 minute\n"
    "                          windows a week, mentors capacity 2 to 4: meeting\n"
    "                          slots are scarce\n"
    "  --both-files SHARE      this share (0..1) of the mentors are also listed as\n"
    "                          mentees: the same person in both files (default 0)\n"
    "  --ties high|low         low (default): several skills and goals each; high: one\n"
    "                          or two popular skills and goals each, so many pairs tie\n"
    "                          at the best score, as on many real rosters\n"
    "  --capacity-factor F     every mentor's capacity times F (e.g. 2 or 0.5), rounded,\n"
    "                          kept within 1..1000 (default 1)\n"
    "  --identical             only id, timezone and availability: everyone\n"
    "                          Europe/London, Mon-Fri 09:00-17:00, capacity 1 (times F)\n"
    "  --quiet                 print nothing on success\n"
    "  --help                  this text\n"
    "\n"
    "Writes DIR/mentors.csv and DIR/mentees.csv in the roster schema that\n"
    "'mentormatch match' reads.  Exit status: 0 success, 2 bad usage, 3 file\n"
    "error, 4 out of memory.\n";

enum {
  OPT_SIZE = 256,
  OPT_MENTEES,
  OPT_MENTORS,
  OPT_SEED,
  OPT_OUT,
  OPT_QUIET,
  OPT_HELP,
  OPT_TIES,
  OPT_CAPACITY_FACTOR,
  OPT_IDENTICAL,
  OPT_CALENDAR,
  OPT_BOTH
};

static const struct option generate_options[] = {
    {"size", required_argument, NULL, OPT_SIZE},
    {"mentees", required_argument, NULL, OPT_MENTEES},
    {"mentors", required_argument, NULL, OPT_MENTORS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"out", required_argument, NULL, OPT_OUT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {"calendar", required_argument, NULL, OPT_CALENDAR},
    {"both-files", required_argument, NULL, OPT_BOTH},
    {"ties", required_argument, NULL, OPT_TIES},
    {"capacity-factor", required_argument, NULL, OPT_CAPACITY_FACTOR},
    {"identical", no_argument, NULL, OPT_IDENTICAL},
    {NULL, 0, NULL, 0}};

/* --calendar and --both-files; 0 or a usage exit code. */
static int calendar_flags(const char *calendar, const char *both, int *narrow, double *share) {
  *narrow = 0;
  *share = 0;
  if (calendar && strcmp(calendar, "narrow") == 0) {
    *narrow = 1;
  } else if (calendar && strcmp(calendar, "office") != 0) {
    return io_usage_error("generate", "--calendar: expected office or narrow, got \"%s\"", calendar);
  }
  if (both && (io_parse_decimal(both, share) != MM_OK || *share < 0 || *share > 1))
    return io_usage_error("generate", "--both-files: expected a share from 0 to 1, got \"%s\"", both);
  return 0;
}

/* Decimal digits only (no sign, no blanks), within max. */
static int parse_count(const char *v, unsigned long long max, unsigned long long *out) {
  if (!v[0] || strspn(v, "0123456789") != strlen(v)) return -1;
  errno = 0;
  char *end;
  unsigned long long x = strtoull(v, &end, 10);
  if (errno == ERANGE || *end || x > max) return -1;
  *out = x;
  return 0;
}

static int flag_people(const char *flag, const char *v, size_t *out) {
  unsigned long long x;
  if (parse_count(v, IO_GEN_MAX_PEOPLE, &x) || x == 0)
    return io_usage_error("generate", "--%s: expected an integer from 1 to %u (match needs someone on each side), got \"%s\"",
                          flag, IO_GEN_MAX_PEOPLE, v);
  *out = (size_t)x;
  return 0;
}

static int flag_size(const char *v, size_t *mentees, size_t *mentors) {
  static const struct {
    const char *name;
    size_t mentees, mentors;
  } sizes[] = {{"S", 1000, 250}, {"M", 10000, 2500}, {"L", 100000, 25000}};
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    if ((v[0] == sizes[k].name[0] || v[0] == sizes[k].name[0] + ('a' - 'A')) && !v[1]) {
      *mentees = sizes[k].mentees;
      *mentors = sizes[k].mentors;
      return 0;
    }
  }
  return io_usage_error("generate", "--size: expected S, M or L, got \"%s\"", v);
}

/* --ties high|low. */
static int flag_ties(const char *v, io_generator_shape *shape) {
  if (strcmp(v, "high") == 0) {
    shape->ties = IO_GEN_TIES_HIGH;
  } else if (strcmp(v, "low") == 0) {
    shape->ties = IO_GEN_TIES_LOW;
  } else {
    return io_usage_error("generate", "--ties: expected high or low, got \"%s\"", v);
  }
  return 0;
}

/* --capacity-factor F: a decimal with at most three places, 0.001 to 1000,
 * read exactly into thousandths (no floating point, so no platform drift). */
static int flag_capacity_factor(const char *v, io_generator_shape *shape) {
  size_t whole = strspn(v, "0123456789"), frac = 0;
  if (v[whole] == '.') frac = strspn(v + whole + 1, "0123456789");
  size_t len = whole + (v[whole] == '.' ? 1 + frac : 0);
  unsigned long long permille = 0;
  int ok = whole > 0 && whole <= 7 && frac <= 3 && len == strlen(v) && (v[whole] != '.' || frac > 0);
  for (size_t k = 0; ok && k < whole; k++) permille = permille * 10 + (unsigned)(v[k] - '0');
  permille *= 1000;
  for (size_t k = 0, scale = 100; ok && k < frac; k++, scale /= 10)
    permille += (unsigned long long)(v[whole + 1 + k] - '0') * scale;
  if (!ok || permille == 0 || permille > IO_GEN_MAX_CAPACITY_PERMILLE)
    return io_usage_error("generate", "--capacity-factor: expected a number from 0.001 to %u with at most "
                          "three decimals, got \"%s\"", IO_GEN_MAX_CAPACITY_PERMILLE / 1000, v);
  shape->capacity_permille = (uint32_t)permille;
  return 0;
}

/* One roster of the generator. */
typedef struct {
  const io_generator *g;
  mm_side side;
} roster_output;

static mm_status out_roster(FILE *f, const char *shown, const void *ctx, mm_error *e) {
  const roster_output *c = ctx;
  return io_generator_write(c->g, c->side, f, shown, e);
}

/* What generate says it wrote, once it has (NULL with --quiet). */
typedef struct {
  size_t mentees, mentors;
  unsigned long long seed;
  double t_start;
} generate_said;

/* Writes both rosters into the staged folder, says so on standard output
 * before it is published (io_stdout_flushed), and commits it. */
static mm_status write_rosters(const char *dir, const io_generator *g, const generate_said *said, mm_error *e) {
  io_outdir *od = NULL;
  mm_status st = io_outdir_open(dir, "--out", &od, e);
  if (st != MM_OK) return st;
  static const struct {
    const char *file;
    mm_side side;
  } files[] = {{"mentors.csv", MM_MENTOR}, {"mentees.csv", MM_MENTEE}};
  for (size_t k = 0; k < sizeof files / sizeof *files && st == MM_OK; k++)
    st = io_outdir_write(od, files[k].file, out_roster, &(roster_output){g, files[k].side}, e);
  if (st == MM_OK && said) {
    printf("mentormatch: wrote %zu mentees and %zu mentors (seed %llu) in %.2f s\n"
           "  rosters in %s/: mentors.csv mentees.csv\n",
           said->mentees, said->mentors, said->seed, io_now() - said->t_start, dir);
    st = io_stdout_flushed(e);
  }
  return io_outdir_finish(od, st, e);
}

int io_cmd_generate(int argc, char **argv) {
  double t_start = io_now();
  const char *size = NULL, *out = NULL;
  const char *mentees_flag = NULL, *mentors_flag = NULL, *seed_flag = NULL;
  int quiet = 0;
  io_generator_shape shape;
  io_generator_shape_init(&shape);
  const char *calendar_flag = NULL, *both_flag = NULL;
  if (io_refuse_repeats("generate", argc, argv, generate_options, 0)) return IO_EXIT_USAGE;
  optind = 0;
  opterr = 0;
  int c, rc = 0;
  while (rc == 0 && (c = getopt_long(argc, argv, ":", generate_options, NULL)) != -1) {
    switch (c) {
    case OPT_SIZE: size = optarg; break;
    case OPT_MENTEES: mentees_flag = optarg; break;
    case OPT_MENTORS: mentors_flag = optarg; break;
    case OPT_SEED: seed_flag = optarg; break;
    case OPT_OUT: out = optarg; break;
    case OPT_QUIET: quiet = 1; break;
    case OPT_CALENDAR: calendar_flag = optarg; break;
    case OPT_BOTH: both_flag = optarg; break;
    case OPT_HELP: fputs(generate_usage, stdout); return IO_EXIT_OK;
    case OPT_TIES: rc = flag_ties(optarg, &shape); break;
    case OPT_CAPACITY_FACTOR: rc = flag_capacity_factor(optarg, &shape); break;
    case OPT_IDENTICAL: shape.identical = 1; break;
    case ':': rc = io_usage_error("generate", "%s needs a value", argv[optind - 1]); break;
    default: rc = io_usage_error("generate", "unknown option %s", argv[optind - 1]); break;
    }
  }
  if (rc) return rc;
  if (optind < argc) return io_usage_error("generate", "unexpected argument \"%s\"", argv[optind]);
  if (size && (mentees_flag || mentors_flag))
    return io_usage_error("generate", "give either --size or --mentees and --mentors, not both");
  if (!size && !mentees_flag && !mentors_flag)
    return io_usage_error("generate", "--size, or --mentees and --mentors, are required");
  if (!size && (!mentees_flag || !mentors_flag))
    return io_usage_error("generate", "--mentees and --mentors go together: %s is missing",
                          mentees_flag ? "--mentors" : "--mentees");
  if (!out) return io_usage_error("generate", "--out is required");
  if ((rc = io_check_out("generate", out)) != 0) return rc;

  size_t n_mentees = 0, n_mentors = 0;
  if (size && (rc = flag_size(size, &n_mentees, &n_mentors)) != 0) return rc;
  if (mentees_flag && (rc = flag_people("mentees", mentees_flag, &n_mentees)) != 0) return rc;
  if (mentors_flag && (rc = flag_people("mentors", mentors_flag, &n_mentors)) != 0) return rc;
  unsigned long long seed = 1;
  if (seed_flag && parse_count(seed_flag, UINT64_MAX, &seed))
    return io_usage_error("generate", "--seed: expected an integer from 0 to %llu, got \"%s\"",
                          (unsigned long long)UINT64_MAX, seed_flag);

  int narrow;
  double share;
  if ((rc = calendar_flags(calendar_flag, both_flag, &narrow, &share)) != 0) return rc;

  mm_error e;
  mm_error_clear(&e);
  io_generator *g = io_generator_create(n_mentees, n_mentors, (uint64_t)seed, &e);
  if (!g) return io_report(MM_ERR_NOMEM, &e);
  mm_status st = io_generator_set_calendar(g, narrow, share, &e);
  if (st == MM_OK) st = io_generator_set_shape(g, &shape, &e);
  generate_said said = {n_mentees, n_mentors, seed, t_start};
  if (st == MM_OK) st = write_rosters(out, g, quiet ? NULL : &said, &e);
  io_generator_free(g);
  return st == MM_OK ? IO_EXIT_OK : io_report(st, &e);
}
