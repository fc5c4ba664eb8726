/* options.c: defaults, range checks and the program window of mm_options.
 *
 * The window is the stretch of UTC time that every listed meeting of every
 * pair can fall in; zone data, availability frames and the time-zone
 * criterion are all computed over it, so it is derived here once.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

static void defaults(mm_options *o) {
  memset(o, 0, sizeof *o);
  o->size = sizeof *o;
  o->weight[MM_CRIT_SKILLS] = 0.4;
  o->weight[MM_CRIT_GOALS] = 0.3;
  o->weight[MM_CRIT_TIMEZONE] = 0.2;
  o->weight[MM_CRIT_DIVERSITY] = 0.1;
  o->seniority_gap = 1;
  o->meeting_minutes = 60;
  o->cadence = MM_CADENCE_WEEKLY;
  o->first_meetings = 3;
  o->checkpoint_days[0] = 30;
  o->checkpoint_days[1] = 60;
  o->checkpoint_days[2] = 90;
  o->n_checkpoints = 3;
  o->start_year = 2027;
  o->start_month = 1;
  o->start_day = 4;
  o->threads = 0;
  o->solver = MM_SOLVER_AUTO;
  o->candidates = 16;
  o->time_limit_s = 0;
  o->buffer_minutes = 0;
  o->joint_whole_pairs = 2000;
  o->keep_graph = 0;
  o->mode = MM_MODE_OPTIMAL;
  o->previous_penalty = MM_PREVIOUS_FORBID;
  o->full_graph_pairs = UINT64_C(4000000);
}

const char *mm_quota_key(int k) {
  static const char *const keys[MM_QUOTAS] = {"quota.cross_location", "quota.cross_country",
                                              "quota.cross_department"};
  return k >= 0 && k < MM_QUOTAS ? keys[k] : "quota";
}

/* The program rules' ranges; rules.c checks them against the people. */
static mm_status check_rules(const mm_options *o, mm_error *e) {
  if (o->mode != MM_MODE_OPTIMAL && o->mode != MM_MODE_STABLE) {
    mm_error_set(e, "mode", "expected optimal or stable");
    return MM_ERR_INVALID;
  }
  if (o->previous_penalty != MM_PREVIOUS_FORBID && (o->previous_penalty < 0 || o->previous_penalty > 10000)) {
    mm_error_set(e, "previous", "expected forbid or penalise:X with X from 0 to 1");
    return MM_ERR_INVALID;
  }
  for (int k = 0; k < MM_QUOTAS; k++) {
    if (o->quota_cross[k] < 0 || o->quota_cross[k] > 10000) {
      mm_error_set(e, mm_quota_key(k), "expected a share from 0 to 1, got %g", o->quota_cross[k] / 1e4);
      return MM_ERR_INVALID;
    }
  }
  if (o->max_per_department < 0 || o->max_per_department > 1000) {
    mm_error_set(e, "max_per_department", "expected 0 (no limit) to 1000, got %d", o->max_per_department);
    return MM_ERR_INVALID;
  }
  if (!(o->mip_gap >= 0 && o->mip_gap < 1)) {
    mm_error_set(e, "mip_gap", "expected a relative gap from 0 to below 1, got %g", o->mip_gap);
    return MM_ERR_INVALID;
  }
  bool rules = o->max_per_department || o->min_per_mentor || o->objective_maxmin || o->group_proportional ||
               o->quota_cross[0] || o->quota_cross[1] || o->quota_cross[2];
  if (rules && o->mode == MM_MODE_STABLE) {
    mm_error_set(e, "mode", "stable mode cannot be combined with quotas, max_per_department, min_per_mentor, "
                            "quota.min_share or objective = maxmin");
    return MM_ERR_INVALID;
  }
  if (o->min_per_mentor < 0 || o->min_per_mentor > 1) {
    mm_error_set(e, "min_per_mentor", "expected 0 or 1, got %d", o->min_per_mentor);
    return MM_ERR_INVALID;
  }
  return MM_OK;
}

void mm_options_init_size(mm_options *o, size_t size) {
  mm_options full;
  defaults(&full);
  mm_sized_write(o, size, &full, sizeof full);
}

mm_status mm_options_read(const mm_options *in, mm_options *out, mm_error *e) {
  defaults(out);
  return mm_sized_read(out, sizeof *out, in, MM_OPTIONS_MIN_SIZE, "mm_options", e);
}

static int days_in_month(int y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

static mm_status check_full(const mm_options *o, mm_error *e) {
  static const char *const names[MM_CRITERIA] = {"weight.skills", "weight.goals",
                                                 "weight.timezone", "weight.diversity"};
  double total = 0;
  for (int c = 0; c < MM_CRITERIA; c++) {
    if (!isfinite(o->weight[c]) || o->weight[c] < 0 || o->weight[c] > 1000) {
      mm_error_set(e, names[c], "expected a weight between 0 and 1000, got %g", o->weight[c]);
      return MM_ERR_INVALID;
    }
    total += o->weight[c];
  }
  if (total <= 0) {
    mm_error_set(e, "weight", "expected at least one weight above 0, got all 0");
    return MM_ERR_INVALID;
  }
  if (o->seniority_gap < -100 || o->seniority_gap > 100) {
    mm_error_set(e, "seniority_gap", "expected an integer from -100 to 100, got %d",
                 o->seniority_gap);
    return MM_ERR_INVALID;
  }
  if (o->meeting_minutes < 15 || o->meeting_minutes > 240 || o->meeting_minutes % 15) {
    mm_error_set(e, "meeting_minutes", "expected 15 to 240 in steps of 15, got %d",
                 o->meeting_minutes);
    return MM_ERR_INVALID;
  }
  if (o->cadence < MM_CADENCE_WEEKLY || o->cadence > MM_CADENCE_MONTHLY) {
    mm_error_set(e, "cadence", "expected weekly, biweekly or monthly");
    return MM_ERR_INVALID;
  }
  if (o->first_meetings < 1 || o->first_meetings > 52) {
    mm_error_set(e, "first_meetings", "expected 1 to 52, got %d", o->first_meetings);
    return MM_ERR_INVALID;
  }
  if (o->n_checkpoints < 0 || o->n_checkpoints > MM_MAX_CHECKPOINTS) {
    mm_error_set(e, "checkpoints", "expected at most %d checkpoint days", MM_MAX_CHECKPOINTS);
    return MM_ERR_INVALID;
  }
  for (int k = 0; k < o->n_checkpoints; k++) {
    for (int q = 0; q < k; q++) {
      if (o->checkpoint_days[q] != o->checkpoint_days[k]) continue;
      mm_error_set(e, "checkpoints", "day %d is listed twice", o->checkpoint_days[k]);
      return MM_ERR_INVALID;
    }
    if (o->checkpoint_days[k] < 1 || o->checkpoint_days[k] > 366) {
      mm_error_set(e, "checkpoints", "expected days from 1 to 366, got %d", o->checkpoint_days[k]);
      return MM_ERR_INVALID;
    }
  }
  if (o->start_year < 1971 || o->start_year > 2200 || o->start_month < 1 || o->start_month > 12 ||
      o->start_day < 1 || o->start_day > days_in_month(o->start_year, o->start_month)) {
    mm_error_set(e, "start", "expected a real date YYYY-MM-DD between 1971 and 2200, got %04d-%02d-%02d",
                 o->start_year, o->start_month, o->start_day);
    return MM_ERR_INVALID;
  }
  if (o->threads < 0 || o->threads > 1024) {
    mm_error_set(e, "threads", "expected 0 (all cores) to 1024, got %d", o->threads);
    return MM_ERR_INVALID;
  }
  if (o->solver < MM_SOLVER_AUTO || o->solver > MM_SOLVER_FLOW) {
    mm_error_set(e, "solver", "expected auto, glpk or flow");
    return MM_ERR_INVALID;
  }
  if (o->candidates < 1 || o->candidates > 4096) {
    mm_error_set(e, "candidates", "expected 1 to 4096, got %d", o->candidates);
    return MM_ERR_INVALID;
  }
  if (!isfinite(o->time_limit_s) || o->time_limit_s < 0) {
    mm_error_set(e, "time_limit", "expected seconds >= 0, got %g", o->time_limit_s);
    return MM_ERR_INVALID;
  }
  if (o->buffer_minutes < 0 || o->buffer_minutes > 240) {
    mm_error_set(e, "buffer_minutes", "expected 0 to 240 minutes, got %d", o->buffer_minutes);
    return MM_ERR_INVALID;
  }
  if (o->joint_whole_pairs < 0 || o->joint_whole_pairs > 1000000) {
    mm_error_set(e, "joint_whole_pairs", "expected 0 to 1000000, got %d", o->joint_whole_pairs);
    return MM_ERR_INVALID;
  }
  return check_rules(o, e);
}

int mm_options_interval_weeks(const mm_options *o) {
  return o->cadence == MM_CADENCE_MONTHLY ? 4 : o->cadence == MM_CADENCE_BIWEEKLY ? 2 : 1;
}

int mm_options_last_index(const mm_options *o) {
  int interval_days = 7 * mm_options_interval_weeks(o);
  int last = o->first_meetings - 1;
  for (int k = 0; k < o->n_checkpoints; k++) {
    /* The first meeting is at most 8 days after the start (15 when a clock
     * change cuts the first one, and then the index is smaller), so the
     * occurrence nearest checkpoint day c has an index of at most
     * c / interval + 1. */
    int idx = o->checkpoint_days[k] / interval_days + 1;
    if (idx > last) last = idx;
  }
  return last;
}

int64_t mm_options_frame_start(const mm_options *o) {
  return mm_days_from_civil(o->start_year, o->start_month, o->start_day) * 86400 - 14 * 3600;
}

int mm_options_weeks(const mm_options *o) {
  /* A series' first date falls in the program's first three weeks
   * (schedule.c, first_date), its last listed occurrence last_index
   * intervals later. */
  return 3 + mm_options_interval_weeks(o) * mm_options_last_index(o);
}

mm_status mm_options_check(const mm_options *in, mm_error *e) {
  mm_options o;
  mm_status st = mm_options_read(in, &o, e);
  return st != MM_OK ? st : check_full(&o, e);
}

void mm_options_window(const mm_options *in, int64_t *from, int64_t *to) {
  mm_options full;
  if (mm_options_read(in, &full, NULL) != MM_OK) defaults(&full);
  const mm_options *o = &full;
  int64_t t0 = mm_options_frame_start(o);
  *from = t0 - 2 * 86400;
  *to = t0 + (int64_t)mm_options_weeks(o) * 7 * 86400 + 2 * 86400;
}
