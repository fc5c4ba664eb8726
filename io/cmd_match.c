/* cmd_match.c: `mentormatch match`: rosters in, optimal pairings, meetings and reasons out.
 *
 * Reads the options (defaults, then --config, then flags, so a flag always
 * wins), the two rosters and the optional pairs file into an engine problem,
 * runs mm_match and writes every output file (a table of name and writer,
 * report.html included) through the all-or-nothing output folder and, with
 * --format jsonl, the same facts as JSON lines on stdout.  Any error while
 * matching or staging stops the run before DIR changes and before stdout
 * gets a line; stdout's lines (JSON, --explain texts, the summary) are
 * written and flushed just before DIR is published, so a stdout that cannot
 * take them stops the run with DIR as it was, and only the summary's last
 * lines (publishing's times) come after.
 */
#include "cli.h"
#include "config_reader.h"
#include "history_reader.h"
#include "ics_event.h"
#include "ics_stage.h"
#include "ics_writer.h"
#include "jsonl_writer.h"
#include "meetings_writer.h"
#include "outdir.h"
#include "outdir_all.h"
#include "graph_writer.h"
#include "progress_display.h"
#include "report_writer.h"
#include "results_writer.h"
#include "roster_reader.h"
#include "rules_reader.h"
#include "summary_writer.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char match_usage[] =
    "Usage: mentormatch match --mentors M.csv --mentees E.csv --out DIR [options]\n"
    "       mentormatch match --mentors M.csv --mentees E.csv --format jsonl [options]\n"
    "\n"
    "Scores every mentor-mentee pair, finds the provably optimal assignment (most\n"
    "mentees matched, then the highest total score), books a first recurring\n"
    "meeting slot per pair and explains who was left out.\n"
    "\n"
    "Required:\n"
    "  --mentors FILE          mentors roster (CSV; - reads standard input)\n"
    "  --mentees FILE          mentees roster (CSV; - reads standard input)\n"
    "  --out DIR               output folder (created if missing; files replaced only\n"
    "                          when the whole run succeeds)\n"
    "Options (flags override --config):\n"
    "  --config FILE           key = value settings file (see README)\n"
    "  --pairs FILE            mentee_id,mentor_id,rule (require|forbid)\n"
    "  --threads N             threads for every phase: reading, scoring, solving,\n"
    "                          writing (default, or 0: all cores; the bytes never change)\n"
    "  --start YYYY-MM-DD      program start date (default: next Monday; give it for\n"
    "                          reproducible output)\n"
    "  --meeting-minutes N     meeting length, 15..240 in steps of 15 (default 60)\n"
    "  --cadence C             weekly (default), biweekly or monthly (every 4 weeks)\n"
    "  --first-meetings N      first occurrences listed (default 3)\n"
    "  --checkpoints LIST      checkpoint days, e.g. 30,60,90 (default) or none\n"
    "  --seniority-gap N       mentor minus mentee seniority at least N (default 1)\n"
    "  --weight-skills W       criterion weights (defaults 0.4, 0.3, 0.2, 0.1)\n"
    "  --weight-goals W\n"
    "  --weight-timezone W\n"
    "  --weight-diversity W\n"
    "  --solver S              auto (default), glpk or flow\n"
    "  --candidates K          best mentors kept per mentee before the proof (16)\n"
    "  --time-limit SECONDS    stop the solver early with the best assignment found\n"
    "  --buffer-minutes N      least gap between one person's meetings, 0..240 (0)\n"
    "  --program-id ID         part of every calendar UID (default mentormatch); keep it\n"
    "                          the same when re-issuing a program's invitations\n"
    "  --video-url TEMPLATE    video link of the meetings, e.g.\n"
    "                          'https://meet.example/{mentee}-{mentor}' ({program} too)\n"
    "  --previous-calendar DIR an earlier run's output folder: series that changed\n"
    "                          since get a higher SEQUENCE, so clients update them\n"
    "  --calendars C           all (default): meetings.ics, invites/ and calendars/;\n"
    "                          combined: meetings.ics only; none: no .ics file (the\n"
    "                          meetings are in meetings.csv either way)\n"
    ;

/* The rest of --help (one string would pass the 4095 bytes C99 promises). */
static const char match_usage_rules[] =
    "  --mode M                optimal (default) or stable (deferred acceptance)\n"
    "  --mip-gap G             program rules: stop GLPK within this relative score gap\n"
    "                          (0.005 = 0.5%; default 0 = exact)\n"
    "  --previous FILE         earlier pairs (mentee_id,mentor_id; a pairings.csv works):\n"
    "                          forbidden, or penalised with previous = penalise:X\n"
    "  --keep FILE             running pairs to keep (with their slots when FILE is a\n"
    "                          previous pairings.csv); the rest of the capacity is filled\n"
    "  --explain MENTEE_ID     print why this mentee got this mentor (or none) and\n"
    "                          write it to DIR/explain/MENTEE_ID.txt (repeatable)\n"
    "  --format F              csv (default): files in DIR and a summary on stdout;\n"
    "                          jsonl: one JSON object per pairing, meeting and\n"
    "                          unmatched person on stdout, messages on stderr;\n"
    "                          --out is then optional (files written too if given)\n"
    "  --dump-graph DIR        (benchmarks) also write the candidate graph the solver\n"
    "                          solved last to DIR, for bench/peer_lemon\n"
    "  --quiet                 print nothing on success and no progress (progress is\n"
    "                          shown on stderr only when it is a terminal)\n"
    "  --help                  this text\n"
    "\n"
    "Writes DIR/pairings.csv, unmatched.csv, unscheduled.csv, meetings.csv,\n"
    "meetings.ics (every meeting), invites/MENTEE-MENTOR.ics (the invitation to send\n"
    "per pair), calendars/ID.ics (each person's meetings), report.html (open it in a\n"
    "browser) and summary.json; --calendars chooses which .ics files.  DTSTAMP is\n"
    "the time of writing, or SOURCE_DATE_EPOCH when set.\n"
    "Exit status: 0 success, 1 bad input, 2 bad usage, 3 file error, 4 out of\n"
    "memory, limit or solver failure.\n";

enum {
  OPT_MENTORS = 256,
  OPT_MENTEES,
  OPT_OUT,
  OPT_CONFIG,
  OPT_PAIRS,
  OPT_THREADS,
  OPT_START,
  OPT_MEETING,
  OPT_CADENCE,
  OPT_FIRST,
  OPT_CHECKPOINTS,
  OPT_GAP,
  OPT_W_SKILLS,
  OPT_W_GOALS,
  OPT_W_TZ,
  OPT_W_DIV,
  OPT_SOLVER,
  OPT_CANDIDATES,
  OPT_TIME_LIMIT,
  OPT_BUFFER,
  OPT_MODE,
  OPT_MIP_GAP,
  OPT_PREVIOUS,
  OPT_KEEP,
  OPT_EXPLAIN,
  OPT_QUIET,
  OPT_FORMAT,
  OPT_HELP,
  OPT_DUMP_GRAPH,
  OPT_PROGRAM_ID,
  OPT_VIDEO_URL,
  OPT_PREVIOUS_CALENDAR,
  OPT_CALENDARS
};

static const struct option match_options[] = {
    {"mentors", required_argument, NULL, OPT_MENTORS},
    {"mentees", required_argument, NULL, OPT_MENTEES},
    {"out", required_argument, NULL, OPT_OUT},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"pairs", required_argument, NULL, OPT_PAIRS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"start", required_argument, NULL, OPT_START},
    {"meeting-minutes", required_argument, NULL, OPT_MEETING},
    {"cadence", required_argument, NULL, OPT_CADENCE},
    {"first-meetings", required_argument, NULL, OPT_FIRST},
    {"checkpoints", required_argument, NULL, OPT_CHECKPOINTS},
    {"seniority-gap", required_argument, NULL, OPT_GAP},
    {"weight-skills", required_argument, NULL, OPT_W_SKILLS},
    {"weight-goals", required_argument, NULL, OPT_W_GOALS},
    {"weight-timezone", required_argument, NULL, OPT_W_TZ},
    {"weight-diversity", required_argument, NULL, OPT_W_DIV},
    {"solver", required_argument, NULL, OPT_SOLVER},
    {"candidates", required_argument, NULL, OPT_CANDIDATES},
    {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
    {"buffer-minutes", required_argument, NULL, OPT_BUFFER},
    {"mode", required_argument, NULL, OPT_MODE},
    {"mip-gap", required_argument, NULL, OPT_MIP_GAP},
    {"previous", required_argument, NULL, OPT_PREVIOUS},
    {"keep", required_argument, NULL, OPT_KEEP},
    {"explain", required_argument, NULL, OPT_EXPLAIN},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"program-id", required_argument, NULL, OPT_PROGRAM_ID},
    {"video-url", required_argument, NULL, OPT_VIDEO_URL},
    {"previous-calendar", required_argument, NULL, OPT_PREVIOUS_CALENDAR},
    {"calendars", required_argument, NULL, OPT_CALENDARS},
    {"help", no_argument, NULL, OPT_HELP},
    {"dump-graph", required_argument, NULL, OPT_DUMP_GRAPH},
    {NULL, 0, NULL, 0}};

/* --explain reports per run (the output folder holds at most 64 files). */
#define MAX_EXPLAIN 50

/* A flag whose value is applied after the config file. */
typedef struct {
  int id;
  const char *value;
} pending_flag;

static int flag_int(const char *flag, const char *v, long lo, long hi, int *out) {
  long x;
  if (io_parse_int(v, lo, hi, &x) != MM_OK)
    return io_usage_error("match", "--%s: expected an integer from %ld to %ld, got \"%s\"", flag, lo, hi, v);
  *out = (int)x;
  return 0;
}

static int flag_weight(const char *flag, const char *v, double *out) {
  double x;
  if (io_parse_decimal(v, &x) != MM_OK || x < 0)
    return io_usage_error("match", "--%s: expected a non-negative decimal such as 0.5 (no exponent), got \"%s\"", flag, v);
  *out = x;
  return 0;
}

static int flag_checkpoints(const char *v, mm_options *o) {
  if (strcmp(v, "none") == 0) {
    o->n_checkpoints = 0;
    return 0;
  }
  int n = 0;
  const char *s = v;
  /* Empty, or an empty item ("30,"), is an error, as in the settings file. */
  while (n == 0 || *s) {
    char item[32];
    size_t len = strcspn(s, ",");
    if (len == 0 || len >= sizeof item || n == MM_MAX_CHECKPOINTS)
      return io_usage_error("match", "--checkpoints: expected up to %d days like 30,60,90, got \"%s\"",
                            MM_MAX_CHECKPOINTS, v);
    memcpy(item, s, len);
    item[len] = '\0';
    /* Spaces around a day are allowed, as in the settings file ("30, 60"). */
    char *day = item, *end = item + len;
    while (*day == ' ') day++;
    while (end > day && end[-1] == ' ') *--end = '\0';
    if (flag_int("checkpoints", day, 1, 366, &o->checkpoint_days[n])) return IO_EXIT_USAGE;
    n++;
    s += len;
    if (*s == ',' && !*++s)
      return io_usage_error("match", "--checkpoints: expected up to %d days like 30,60,90, got \"%s\"",
                            MM_MAX_CHECKPOINTS, v);
  }
  o->n_checkpoints = n;
  return 0;
}

static int apply_flag(const pending_flag *f, mm_options *o) {
  const char *v = f->value;
  switch (f->id) {
  case OPT_THREADS: return flag_int("threads", v, 0, 1024, &o->threads); /* 0: every core, as threads = 0 */
  case OPT_MEETING: return flag_int("meeting-minutes", v, 15, 240, &o->meeting_minutes);
  case OPT_FIRST: return flag_int("first-meetings", v, 1, 52, &o->first_meetings);
  case OPT_GAP: return flag_int("seniority-gap", v, -100, 100, &o->seniority_gap);
  case OPT_CANDIDATES: return flag_int("candidates", v, 1, 4096, &o->candidates);
  case OPT_W_SKILLS: return flag_weight("weight-skills", v, &o->weight[MM_CRIT_SKILLS]);
  case OPT_W_GOALS: return flag_weight("weight-goals", v, &o->weight[MM_CRIT_GOALS]);
  case OPT_W_TZ: return flag_weight("weight-timezone", v, &o->weight[MM_CRIT_TIMEZONE]);
  case OPT_W_DIV: return flag_weight("weight-diversity", v, &o->weight[MM_CRIT_DIVERSITY]);
  case OPT_TIME_LIMIT: return flag_weight("time-limit", v, &o->time_limit_s);
  case OPT_BUFFER: return flag_int("buffer-minutes", v, 0, 240, &o->buffer_minutes);
  case OPT_MIP_GAP: return flag_weight("mip-gap", v, &o->mip_gap);
  case OPT_CHECKPOINTS: return flag_checkpoints(v, o);
  case OPT_START:
    if (io_parse_date(v, &o->start_year, &o->start_month, &o->start_day) != MM_OK)
      return io_usage_error("match", "--start: expected a date YYYY-MM-DD, got \"%s\"", v);
    return 0;
  case OPT_CADENCE:
    if (io_parse_cadence(v, &o->cadence) != MM_OK)
      return io_usage_error("match", "--cadence: expected weekly, biweekly or monthly, got \"%s\"", v);
    return 0;
  case OPT_MODE:
    if (io_parse_mode(v, &o->mode) != MM_OK)
      return io_usage_error("match", "--mode: expected optimal or stable, got \"%s\"", v);
    return 0;
  case OPT_SOLVER:
    if (io_parse_solver(v, &o->solver) != MM_OK)
      return io_usage_error("match", "--solver: expected auto, glpk or flow, got \"%s\"", v);
    return 0;
  }
  return 0;
}

/* Settings checked together (mm_options_check) by their settings-file key,
 * and the flag that sets each. */
static const struct {
  int id;
  const char *key, *flag;
} flag_keys[] = {{OPT_START, "start", "start"},
                 {OPT_MEETING, "meeting_minutes", "meeting-minutes"},
                 {OPT_FIRST, "first_meetings", "first-meetings"},
                 {OPT_GAP, "seniority_gap", "seniority-gap"},
                 {OPT_CANDIDATES, "candidates", "candidates"},
                 {OPT_THREADS, "threads", "threads"},
                 {OPT_TIME_LIMIT, "time_limit", "time-limit"},
                 {OPT_CHECKPOINTS, "checkpoints", "checkpoints"},
                 {OPT_CADENCE, "cadence", "cadence"},
                 {OPT_SOLVER, "solver", "solver"},
                 {OPT_MIP_GAP, "mip_gap", "mip-gap"},
                 {OPT_MODE, "mode", "mode"},
                 {OPT_W_SKILLS, "weight.skills", "weight-skills"},
                 {OPT_W_GOALS, "weight.goals", "weight-goals"},
                 {OPT_W_TZ, "weight.timezone", "weight-timezone"},
                 {OPT_W_DIV, "weight.diversity", "weight-diversity"},
                 {OPT_W_SKILLS, "weight", "weight-skills"},
                 {OPT_W_GOALS, "weight", "weight-goals"},
                 {OPT_W_TZ, "weight", "weight-timezone"},
                 {OPT_W_DIV, "weight", "weight-diversity"}};

/* A setting found out of range: a usage error naming the flag when a flag
 * set it, else an input error naming the settings-file key. */
static int options_error(mm_status st, const mm_error *e, const int *given, size_t n_given) {
  for (size_t k = 0; k < sizeof flag_keys / sizeof *flag_keys; k++) {
    if (strcmp(flag_keys[k].key, e->field) != 0) continue;
    for (size_t g = 0; g < n_given; g++)
      if (given[g] == flag_keys[k].id) return io_usage_error("match", "--%s: %s", flag_keys[k].flag, e->message);
  }
  return io_report(st, e);
}

/* What the writers of DIR's files read. */
typedef struct {
  const mm_problem *p;
  const mm_result *r;
  const io_names *names;
  io_run_info *info;
  const io_ics *ics;
} output_ctx;

static mm_status out_pairings(FILE *f, const char *name, const void *ctx, mm_error *e) {
  const output_ctx *c = ctx;
  return io_write_pairings(f, name, c->names, c->r, e);
}
static mm_status out_unmatched(FILE *f, const char *name, const void *ctx, mm_error *e) {
  const output_ctx *c = ctx;
  return io_write_unmatched(f, name, c->names, c->r, e);
}
static mm_status out_unscheduled(FILE *f, const char *name, const void *ctx, mm_error *e) {
  const output_ctx *c = ctx;
  return io_write_unscheduled(f, name, c->names, c->r, e);
}
/* The calendar writers know their file by its bare name: a write error
 * names the file as the user sees it. */
static mm_status named(mm_status st, const char *name, mm_error *e) {
  if (st == MM_ERR_IO) mm_error_locate(e, name, 0, 0);
  return st;
}
static mm_status out_meetings(FILE *f, const char *name, const void *ctx, mm_error *e) {
  const output_ctx *c = ctx;
  return named(io_write_meetings_csv(f, c->p, c->r, e), name, e);
}
static mm_status out_report(FILE *f, const char *name, const void *ctx, mm_error *e) {
  const output_ctx *c = ctx;
  return io_write_report(f, name, c->p, c->r, c->info, e);
}
static mm_status out_summary(FILE *f, const char *name, const void *ctx, mm_error *e) {
  const output_ctx *c = ctx;
  return io_write_summary(f, name, c->r, c->info, e);
}

/* DIR's files in the order they are created (and their errors ranked); all
 * but the last are written side by side (io_outdir_write_all), then the
 * calendars (io_ics_*), then the summary, since it reports the time the
 * others took. */
static const io_outdir_file output_files[] = {
    {"pairings.csv", out_pairings}, {"unmatched.csv", out_unmatched}, {"unscheduled.csv", out_unscheduled},
    {"meetings.csv", out_meetings}, {"report.html", out_report},       {"summary.json", out_summary}};

/* The --explain reports, one per asked mentee, each as text and as the
 * name of its file in the output folder. */
typedef struct {
  const char *id[MAX_EXPLAIN];
  char *text[MAX_EXPLAIN];
  char file[MAX_EXPLAIN][96];
  size_t n;
} explain_set;

/* "explain/ID.txt", with every byte of ID outside [A-Za-z0-9._-] (and a
 * leading dot) written as '_', so an id can never leave the folder. */
static void explain_file(const char *id, char *out, size_t size) {
  size_t n = (size_t)snprintf(out, size, "explain/");
  for (const char *c = id; *c && n + 5 < size; c++) {
    bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
                 *c == '_' || (*c == '.' && c != id);
    out[n++] = plain ? *c : '_';
  }
  snprintf(out + n, size - n, ".txt");
}

static mm_status explain_all(const mm_problem *p, const mm_result *r, explain_set *x, mm_error *e) {
  for (size_t k = 0; k < x->n; k++) {
    long i = mm_problem_find(p, MM_MENTEE, x->id[k]);
    if (i < 0) {
      mm_error_set(e, "explain", "no mentee with id \"%s\" in the mentee roster", x->id[k]);
      return MM_ERR_INVALID;
    }
    mm_status st = mm_explain_mentee(p, r, (size_t)i, &x->text[k], e);
    if (st != MM_OK) return st;
    explain_file(x->id[k], x->file[k], sizeof x->file[k]);
    for (size_t before = 0; before < k; before++) {
      if (strcmp(x->id[before], x->id[k]) == 0) {
        mm_error_set(e, "explain", "mentee \"%s\" is listed twice (--explain)", x->id[k]);
        return MM_ERR_INVALID;
      }
      if (strcmp(x->file[before], x->file[k]) == 0) {
        mm_error_set(e, "explain", "mentees \"%s\" and \"%s\" would share the file %s", x->id[before], x->id[k],
                     x->file[k]);
        return MM_ERR_INVALID;
      }
    }
  }
  return MM_OK;
}

static mm_status write_explanations(io_outdir *od, const explain_set *x, mm_error *e) {
  mm_status st = x->n ? io_outdir_subdir(od, "explain", e) : MM_OK;
  for (size_t k = 0; k < x->n && st == MM_OK; k++) {
    FILE *f = io_outdir_create(od, x->file[k], e);
    if (!f) return MM_ERR_IO;
    fputs(x->text[k], f);
    st = io_outdir_close(od, f, e);
  }
  return st;
}

/* Threads that format the tables: --threads, or every core by default. */
static int writer_threads(const mm_options *o) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return o->threads > 0 ? o->threads : cores > 0 ? (int)cores : 1;
}

/* What goes to standard output before DIR changes (see print_first). */
typedef struct {
  int jsonl, quiet;
  io_progress *pg; /* erased first */
  const mm_problem *p;
  const mm_result *r;
  const explain_set *x;
  const io_run_info *info;
} stdout_job;

static mm_status print_first(const stdout_job *j, mm_error *e);

/* Writes every output file into the staged folder, prints what goes to
 * standard output (print_first) and commits the folder.  The write phase
 * starts before the folder is opened (taking its lock and removing a
 * killed run's leftovers count); publishing comes after summary.json, so its
 * times reach only the last lines of the human summary. */
static mm_status write_outputs(const char *dir, const mm_problem *p, const mm_result *r,
                               const io_ics *ics, const stdout_job *out, io_run_info *info, double t_start,
                               mm_error *e) {
  const explain_set *x = out->x;
  double t0 = io_now();
  io_outdir *od = NULL;
  mm_status st = io_outdir_open(dir, "--out", &od, e);
  if (st != MM_OK) return st;
  io_names names = {p, NULL, NULL};
  output_ctx ctx = {p, r, &names, info, ics};
  st = write_explanations(od, x, e);
  size_t n_tables = sizeof output_files / sizeof *output_files - 1;
  if (st == MM_OK) st = io_outdir_write_all(od, output_files, n_tables, &ctx, writer_threads(info->options), e);
  if (st == MM_OK) st = io_ics_stage(od, ics, info->options->threads, e);
  info->write_s = io_now() - t0;
  info->total_s = io_now() - t_start;
  if (st == MM_OK) st = io_outdir_write(od, output_files[n_tables].name, output_files[n_tables].write, &ctx, e);
  if (st == MM_OK) st = print_first(out, e);
  if (st != MM_OK) {
    io_outdir_abort(od);
    return st;
  }
  double t1 = io_now();
  io_publish_times pt = {0, 0, 0};
  st = io_outdir_commit_timed(od, info->options->threads, &pt, e);
  info->publish_s = io_now() - t1;
  info->sync_s = pt.sync_s;
  info->link_s = pt.link_s;
  info->remove_s = pt.remove_s;
  return st;
}

/* DTSTAMP: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
static mm_status calendar_stamp(int64_t *stamp, mm_error *e) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (!sde || !*sde) {
    *stamp = (int64_t)time(NULL);
    return MM_OK;
  }
  char *end;
  errno = 0;
  long long v = strtoll(sde, &end, 10);
  if (errno || *end || v < 0 || v > 253402300799LL || !(*sde >= '0' && *sde <= '9')) {
    mm_error_set(e, "SOURCE_DATE_EPOCH",
                 "expected whole seconds since 1970-01-01 up to 253402300799, got \"%.64s\"", sde);
    return MM_ERR_USAGE;
  }
  *stamp = (int64_t)v;
  return MM_OK;
}

/* Prepares the calendars (timed as "prepare"), then writes every file. */
static mm_status write_all(const char *dir, const mm_problem *p, const mm_result *r,
                           io_ics_settings *cal, const char *previous_calendar, const stdout_job *out,
                           io_run_info *info, double t_start, mm_error *e) {
  double t0 = io_now();
  io_ics_previous *prev = NULL;
  io_ics *ics = NULL;
  mm_status st = calendar_stamp(&cal->stamp, e);
  if (st == MM_OK && previous_calendar && cal->calendars != IO_CALENDARS_NONE)
    st = io_ics_previous_read(previous_calendar, &prev, e);
  cal->previous = prev;
  if (st == MM_OK) st = io_ics_prepare(p, r, info->options, cal, &ics, e);
  info->prepare_s = io_now() - t0;
  if (st == MM_OK) st = write_outputs(dir, p, r, ics, out, info, t_start, e);
  double t1 = io_now();
  io_ics_free(ics);
  io_ics_previous_free(prev);
  info->free_s = io_now() - t1;
  return st;
}

/* The human summary up to its time line: on stdout, or on stderr when
 * stdout carries JSON lines. */
static void print_summary(FILE *to, const mm_result *r, const io_run_info *info) {
  const mm_summary *s = mm_result_summary(r);
  size_t left_mentees, left_mentors, unscheduled;
  io_left_out_counts(r, &left_mentees, &left_mentors, &unscheduled);
  char score[48];
  io_format_score(s->total_score, score, sizeof score);
  fprintf(to, "mentormatch: matched %zu of %zu mentee%s with %zu mentor%s: %s (%s solver), total score %s\n",
         s->matched, s->mentees, s->mentees == 1 ? "" : "s", s->mentors, s->mentors == 1 ? "" : "s", s->status,
         s->solver, score);
  fprintf(to, "  left out: %zu mentee%s, %zu mentor%s without a mentee (reasons in unmatched.csv)\n", left_mentees,
         left_mentees == 1 ? "" : "s", left_mentors, left_mentors == 1 ? "" : "s");
  fprintf(to, "  meetings: %zu pair%s scheduled, %zu occurrence%s; %zu pair%s without a slot (unscheduled.csv)\n",
         s->matched - unscheduled, s->matched - unscheduled == 1 ? "" : "s", info->meetings,
         info->meetings == 1 ? "" : "s", unscheduled, unscheduled == 1 ? "" : "s");
  if (s->solution == MM_SOLUTION_FEASIBLE)
    fprintf(to, "  calendars: %zu of the calendar-blind optimum's %zu pairs had no free slot and %s; gap to its "
                "bound %.3f%% (summary.json)\n",
            s->clashes, s->blind_matched,
            s->fit_pairs > 0 ? "were re-decided" : "are listed unscheduled", 100.0 * s->gap);
  fprintf(to, "  time: %.3f s (read %.3f, score %.3f, solve %.3f, prove %.3f, fit %.3f, schedule %.3f, "
              "explain %.3f, prepare %.3f, write %.3f) on %d threads\n",
          info->total_s, info->read_s, s->seconds[MM_PHASE_SCORE] + s->seconds[MM_PHASE_SELECT],
          s->seconds[MM_PHASE_SOLVE], s->seconds[MM_PHASE_PROVE], s->seconds[MM_PHASE_FIT],
          s->seconds[MM_PHASE_SCHEDULE], s->seconds[MM_PHASE_EXPLAIN], info->prepare_s, info->write_s, s->threads);
}

/* The summary's last lines, once DIR is published: its times and files. */
static void print_published(FILE *to, const char *dir, const io_run_info *info, io_calendars calendars,
                            double t_start) {
  if (dir) {
    fprintf(to, "  after summary.json: publish %.3f s (sync %.3f, links %.3f, removing the previous run %.3f), "
                "freeing %.3f s; %.3f s in all\n",
            info->publish_s, info->sync_s, info->link_s, info->remove_s, info->free_s,
            io_now() - t_start);
    fprintf(to, "  results in %s/:", dir);
    for (size_t k = 0; k < sizeof output_files / sizeof *output_files; k++) fprintf(to, " %s", output_files[k].name);
    if (calendars == IO_CALENDARS_ALL)
      fprintf(to, " meetings.ics,\n  invitations to send in invites/, each person's meetings in calendars/\n");
    else
      fprintf(to, "%s\n", calendars == IO_CALENDARS_COMBINED ? " meetings.ics" : "");
  }
}

/* --help in one write: a reader that stops at the line it wanted
 * (completion's `--help | awk ... exit`) must not cut it in two by SIGPIPE. */
static void print_help(void) {
  static char buffer[sizeof match_usage + sizeof match_usage_rules];
  setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  fputs(match_usage, stdout);
  fputs(match_usage_rules, stdout);
  fflush(stdout);
}

/* Reads one roster; a roster with no one in it is an error, not an empty run. */
static mm_status read_side(const char *path, mm_side side, mm_problem *p, const mm_options *o, mm_error *e) {
  mm_status st = io_read_roster(path, side, p, o, io_print_warning, NULL, e);
  if (st == MM_OK && mm_problem_count(p, side) == 0) {
    mm_error_set(e, NULL, "no %s: the file has a header but no rows", side == MM_MENTOR ? "mentors" : "mentees");
    mm_error_locate(e, path, 2, 1);
    st = MM_ERR_INVALID;
  }
  return st;
}

/* What match's command line names, once parsed: files, the flags that set
 * engine options (applied after --config, see apply_flag) and the rest. */
typedef struct {
  const char *mentors, *mentees, *out, *config, *pairs, *previous, *keep;
  const char *explain[MAX_EXPLAIN];
  size_t n_explain;
  const char *dump_graph, *previous_calendar;
  io_ics_settings cal;
  bool quiet, start_given, jsonl, help;
  pending_flag *flags; /* argc + 1 entries */
  size_t n_flags;
  io_config_sites config_sites; /* where --config set each key */
} match_args;

/* One option into a; a usage error's exit status, or 0. */
static int take_option(match_args *a, int c, char **argv) {
  char why[160];
  switch (c) {
  case OPT_MENTORS: a->mentors = optarg; return 0;
  case OPT_MENTEES: a->mentees = optarg; return 0;
  case OPT_OUT: a->out = optarg; return 0;
  case OPT_CONFIG: a->config = optarg; return 0;
  case OPT_PAIRS: a->pairs = optarg; return 0;
  case OPT_PREVIOUS: a->previous = optarg; return 0;
  case OPT_KEEP: a->keep = optarg; return 0;
  case OPT_EXPLAIN:
    if (a->n_explain == MAX_EXPLAIN) return io_usage_error("match", "--explain: at most %d mentees per run", MAX_EXPLAIN);
    a->explain[a->n_explain++] = optarg;
    return 0;
  case OPT_DUMP_GRAPH: a->dump_graph = optarg; return 0;
  case OPT_QUIET: a->quiet = true; return 0;
  case OPT_FORMAT: return io_parse_format("match", optarg, &a->jsonl);
  case OPT_PROGRAM_ID:
    a->cal.program_id = optarg;
    return *optarg ? 0 : io_usage_error("match", "--program-id: expected a non-empty id");
  case OPT_VIDEO_URL:
    a->cal.video_url = optarg;
    if (!io_ics_video_url_ok(optarg, why, sizeof why))
      return io_usage_error("match", "--video-url: %s, got \"%s\"", why, optarg);
    return 0;
  case OPT_PREVIOUS_CALENDAR: a->previous_calendar = optarg; return 0;
  case OPT_CALENDARS:
    if (!io_parse_calendars(optarg, &a->cal.calendars))
      return io_usage_error("match", "--calendars: expected all, combined or none, got \"%s\"", optarg);
    return 0;
  case OPT_HELP: a->help = true; return 0;
  case ':': return io_usage_error("match", "%s needs a value", argv[optind - 1]);
  case '?': return io_usage_error("match", "unknown option %s", argv[optind - 1]);
  default:
    if (c == OPT_START) a->start_given = true;
    a->flags[a->n_flags++] = (pending_flag){c, optarg};
    return 0;
  }
}

/* Parses and checks match's command line (a->flags must be freed); a usage
 * error's exit status, or 0. */
static int parse_args(int argc, char **argv, match_args *a) {
  io_ics_settings_init(&a->cal);
  if (io_refuse_repeats("match", argc, argv, match_options, OPT_EXPLAIN)) return IO_EXIT_USAGE;
  a->flags = calloc((size_t)argc + 1, sizeof *a->flags);
  if (!a->flags) return IO_EXIT_INTERNAL;
  optind = 0;
  opterr = 0;
  int c, rc = 0;
  while (rc == 0 && !a->help && (c = getopt_long(argc, argv, ":", match_options, NULL)) != -1)
    rc = take_option(a, c, argv);
  if (rc || a->help) return rc;
  if (optind < argc) return io_usage_error("match", "unexpected argument \"%s\"", argv[optind]);
  if (!a->mentors || !a->mentees || (!a->out && !a->jsonl))
    return io_usage_error("match", "--mentors, --mentees and --out (or --format jsonl) are required");
  if (io_stdin_taken_twice((const char *[]){a->mentors, a->mentees, a->pairs, a->previous, a->keep}, 5))
    return io_usage_error("match", "standard input (-) can feed only one of --mentors, --mentees, --pairs, "
                                   "--previous and --keep");
  return a->out ? io_check_out("match", a->out) : 0;
}

/* Options: defaults, then --config, then the flags, checked; an exit status
 * (after its message), or 0. */
static int settle_options(match_args *a, mm_options *o) {
  mm_error e;
  mm_error_clear(&e);
  mm_options_init(o);
  io_next_monday(&o->start_year, &o->start_month, &o->start_day);
  if (a->config) {
    int y = o->start_year, mo = o->start_month, d = o->start_day;
    mm_status st = io_read_config_at(a->config, o, &a->config_sites, &e);
    if (st != MM_OK) return io_report(st, &e);
    a->start_given = a->start_given || y != o->start_year || mo != o->start_month || d != o->start_day;
  }
  int given[64], rc = 0;
  size_t n_given = 0;
  for (size_t k = 0; k < a->n_flags && rc == 0; k++) {
    rc = apply_flag(&a->flags[k], o);
    if (n_given < sizeof given / sizeof *given) given[n_given++] = a->flags[k].id;
  }
  o->keep_graph = a->dump_graph != NULL;
  if (rc) return rc;
  if (!a->start_given && !a->quiet)
    fprintf(stderr, "mentormatch: note: no --start given; the program starts on Monday %04d-%02d-%02d\n",
            o->start_year, o->start_month, o->start_day);
  mm_status st = mm_options_check(o, &e);
  return st == MM_OK ? 0 : options_error(st, &e, given, n_given);
}

/* The rosters and the optional pairs, kept and earlier pairs files into p. */
static mm_status read_inputs(const match_args *a, mm_problem *p, const mm_options *o, mm_error *e) {
  mm_status st = read_side(a->mentors, MM_MENTOR, p, o, e);
  if (st == MM_OK) st = read_side(a->mentees, MM_MENTEE, p, o, e);
  if (st == MM_OK && a->pairs) st = io_read_rules(a->pairs, p, e);
  if (st == MM_OK && a->keep) st = io_read_keep(a->keep, p, o, e);
  size_t gone = 0;
  if (st == MM_OK && a->previous) st = io_read_previous(a->previous, p, &gone, e);
  if (st == MM_OK && gone && !a->quiet)
    fprintf(stderr, "mentormatch: note: %s: %zu earlier pair%s name someone no longer in the rosters (skipped)\n",
            a->previous, gone, gone == 1 ? "" : "s");
  return st;
}

/* What goes to standard output, and must get there before DIR changes:
 * the JSON lines, the --explain texts and the summary up to its time line
 * (on stderr beside JSON lines).  A standard output that cannot take them
 * (a full disk, /dev/full, a closed pipe) stops the run with exit 3 and DIR
 * as it was, instead of a new set published and a failed exit. */
static mm_status print_first(const stdout_job *j, mm_error *e) {
  mm_status st = MM_OK;
  io_progress_clear(j->pg);
  if (j->jsonl) {
    io_names names = {j->p, NULL, NULL};
    st = io_write_jsonl(stdout, &names, j->r, e);
  }
  FILE *to = j->jsonl ? stderr : stdout;
  for (size_t k = 0; st == MM_OK && !j->quiet && k < j->x->n; k++) fprintf(to, "%s\n", j->x->text[k]);
  if (st == MM_OK && !j->quiet) print_summary(to, j->r, j->info);
  return st == MM_OK ? io_stdout_flushed(e) : st;
}

/* Points an error of the matching itself at the input that caused it: a
 * rule found impossible at its line in the pairs file (or --keep's), a
 * program rule at the settings line that set it (at the settings file as a
 * whole when the rules together cannot hold), priorities too many to
 * weigh at the mentees file. */
static void locate_match_error(const match_args *a, mm_error *e) {
  static const char *const rule_keys[] = {"max_per_department",     "quota.cross_location", "quota.cross_country",
                                          "quota.cross_department", "quota.min_share",      "min_per_mentor",
                                          "objective"};
  if (e->file[0]) return;
  const char *source = strcmp(e->field, "kept pair") == 0 ? a->keep : a->pairs;
  if (source && e->line > 0) {
    mm_error_locate(e, source, e->line, e->col);
    return;
  }
  if (strcmp(e->field, "priority") == 0) {
    mm_error_locate(e, a->mentees, 0, 0);
    return;
  }
  bool rule = strcmp(e->field, "rules") == 0;
  for (size_t k = 0; k < sizeof rule_keys / sizeof *rule_keys; k++) rule = rule || strcmp(e->field, rule_keys[k]) == 0;
  if (rule && a->config && !io_config_locate(a->config, &a->config_sites, e)) mm_error_locate(e, a->config, 0, 0);
}

/* Matches, explains and writes every output (DIR, the graph dump, JSON
 * lines, the --explain texts and the summary on the terminal). */
static mm_status run_match(const match_args *a, mm_problem *p, io_run_info *info, io_progress *pg, double t_start,
                           mm_error *e) {
  mm_result *r = NULL;
  mm_status st = mm_match(p, &r, e);
  if (st != MM_OK) locate_match_error(a, e);
  explain_set x = {.n = a->n_explain};
  memcpy(x.id, a->explain, a->n_explain * sizeof *a->explain);
  if (st == MM_OK) st = explain_all(p, r, &x, e);
  io_ics_settings cal = a->cal;
  stdout_job out = {a->jsonl, a->quiet, pg, p, r, &x, info};
  if (st == MM_OK) {
    info->meetings = mm_result_occurrence_count(r);
    io_progress_phase(pg, "writing the results");
    if (a->out) st = write_all(a->out, p, r, &cal, a->previous_calendar, &out, info, t_start, e);
    if (!a->out) info->total_s = io_now() - t_start;
  }
  io_progress_clear(pg);
  mm_graph_view graph;
  if (st == MM_OK && a->dump_graph && mm_result_graph(r, &graph)) st = io_graph_write(a->dump_graph, &graph, e);
  if (st == MM_OK && !a->out) st = print_first(&out, e);
  if (st == MM_OK && !a->quiet) print_published(a->jsonl ? stderr : stdout, a->out, info, cal.calendars, t_start);
  for (size_t k = 0; k < x.n; k++) free(x.text[k]);
  mm_result_free(r);
  return st;
}

int io_cmd_match(int argc, char **argv) {
  double t_start = io_now();
  match_args a = {0};
  int rc = parse_args(argc, argv, &a);
  if (rc == 0 && a.help) print_help();
  mm_options o;
  if (rc == 0 && !a.help) rc = settle_options(&a, &o);
  free(a.flags);
  if (rc || a.help) return rc;
  if (io_workers_start(o.threads) != 0) return IO_EXIT_INTERNAL;
  mm_error e;
  mm_error_clear(&e);
  io_progress pg;
  io_progress_init(&pg, a.quiet, &o);
  mm_problem *p = mm_problem_create(&o, &e);
  if (!p) return io_report(MM_ERR_NOMEM, &e); /* the options were valid */
  io_progress_phase(&pg, "reading the rosters");
  mm_status st = read_inputs(&a, p, &o, &e);
  io_run_info info = {.command = "match", .options = &o};
  info.read_s = io_now() - t_start;
  if (st == MM_OK) st = run_match(&a, p, &info, &pg, t_start, &e);
  else io_progress_clear(&pg);
  mm_problem_free(p);
  return st == MM_OK ? IO_EXIT_OK : io_report(st, &e);
}
