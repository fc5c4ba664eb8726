/* summary_writer.c: writes summary.json.
 *
 * A small fixed-shape JSON document, so it is written by hand: strings are
 * escaped per RFC 8259, scores are exact decimals, and keys always come in
 * the same order so the file diffs cleanly between runs.
 */
#include "summary_writer.h"

#include "json_text.h"
#include "results_writer.h"

#include <inttypes.h>
#include <string.h>

void io_format_score(int64_t units, char *buf, size_t size) {
  uint64_t mag = units < 0 ? (uint64_t)(-(units + 1)) + 1 : (uint64_t)units;
  snprintf(buf, size, "%s%" PRIu64 ".%04" PRIu64, units < 0 ? "-" : "", mag / 10000, mag % 10000);
}

static const char *cadence_name(mm_cadence c) {
  return c == MM_CADENCE_MONTHLY ? "monthly" : c == MM_CADENCE_BIWEEKLY ? "biweekly" : "weekly";
}

static const char *solver_option(mm_solver s) {
  return s == MM_SOLVER_GLPK ? "glpk" : s == MM_SOLVER_FLOW ? "flow" : "auto";
}

mm_status io_write_summary(FILE *f, const char *name, const mm_result *r, const io_run_info *info,
                           mm_error *e) {
  const mm_summary *s = mm_result_summary(r);
  size_t left_mentees, left_mentors, unscheduled;
  io_left_out_counts(r, &left_mentees, &left_mentors, &unscheduled);
  char score[48], bound[48];
  io_format_score(s->total_score, score, sizeof score);
  io_format_score(s->bound, bound, sizeof bound);
  fprintf(f, "{\n  \"schema_version\": %d,\n  \"tool\": \"mentormatch\",\n  \"version\": \"%s\",\n  \"command\": ",
          IO_SUMMARY_SCHEMA_VERSION, MM_VERSION);
  io_json_string(f, info->command);
  fprintf(f, ",\n  \"status\": ");
  io_json_string(f, s->status);
  fprintf(f, ",\n  \"mentees\": %zu,\n  \"mentors\": %zu,\n  \"matched\": %zu,\n", s->mentees, s->mentors,
          s->matched);
  fprintf(f, "  \"unmatched_mentees\": %zu,\n  \"mentors_without_mentee\": %zu,\n", left_mentees, left_mentors);
  fprintf(f, "  \"total_score\": %s,\n", score);
  if (s->bound >= 0 || strcmp(s->status, "optimal") == 0) {
    fprintf(f, "  \"bound\": %s,\n", bound);
  } else {
    fprintf(f, "  \"bound\": null,\n");
  }
  if (info->options) {
    char blind[48];
    io_format_score(s->blind_score, blind, sizeof blind);
    fprintf(f, "  \"bound_matched\": %zu,\n  \"gap\": %.6f,\n", s->bound_matched, s->gap);
    fprintf(f, "  \"gap_definition\": \"(bound - total_score) / bound when the pairs with a slot number bound_matched, "
               "else (bound_matched - pairs with a slot) / bound_matched\",\n");
    fprintf(f, "  \"mentors_week_full\": %zu,\n", s->mentors_week_full);
    fprintf(f, "  \"calendar_blind\": {\"matched\": %zu, \"total_score\": %s, \"pairs_without_slot\": %zu},\n",
            s->blind_matched, blind, s->clashes);
    fprintf(f, "  \"joint_model\": {\"pairs_redecided\": %zu, \"columns\": %" PRIu64 ", \"rows\": %" PRIu64
               ", \"groups\": %" PRIu64 "},\n",
            s->fit_pairs, s->fit_columns, s->fit_rows, s->fit_groups);
  }
  fprintf(f, "  \"mode\": \"%s\",\n", s->mode ? s->mode : "optimal");
  if (s->mode && strcmp(s->mode, "stable") == 0) {
    fprintf(f, "  \"objective\": \"stable: mentee-proposing deferred acceptance by score\",\n");
  } else {
    fprintf(f, "  \"objective\": \"lexicographic: most mentees matched, then highest total score\",\n");
  }
  if (s->blocking_pairs >= 0) fprintf(f, "  \"blocking_pairs\": %" PRId64 ",\n", s->blocking_pairs);
  if (s->rules[0]) {
    fprintf(f, "  \"rules\": ");
    io_json_string(f, s->rules);
    fprintf(f, ",\n");
  }
  static const char *const quota_keys[MM_QUOTAS] = {"cross_location", "cross_country", "cross_department"};
  for (int k = 0; k < MM_QUOTAS; k++) {
    if (!info->options || !info->options->quota_cross[k]) continue;
    fprintf(f, "  \"quota_%s\": {\"required\": %.4f, \"pairs_across\": %zu, \"pairs_counted\": %zu, "
               "\"achieved\": %.4f},\n",
            quota_keys[k], info->options->quota_cross[k] / 1e4, s->quota_across[k], s->quota_known[k],
            s->quota_known[k] ? (double)s->quota_across[k] / (double)s->quota_known[k] : 0.0);
  }
  fprintf(f, "  \"solver\": ");
  io_json_string(f, s->solver);
  fprintf(f, ",\n  \"proof\": ");
  io_json_string(f, s->proof);
  fprintf(f, ",\n  \"pairs_scored\": %" PRIu64 ",\n  \"pairs_rescored\": %" PRIu64
             ",\n  \"pairs_eligible\": %" PRIu64 ",\n  \"candidate_pairs\": %" PRIu64 ",\n",
          s->pairs_scored, s->pairs_rescored, s->pairs_eligible, s->candidates);
  if (info->options) {
    fprintf(f, "  \"scheduled_pairs\": %zu,\n  \"unscheduled_pairs\": %zu,\n  \"meetings\": %zu,\n",
            s->matched - unscheduled, unscheduled, info->meetings);
    const mm_options *o = info->options;
    fprintf(f, "  \"options\": {\n");
    fprintf(f, "    \"weights\": {\"skills\": %g, \"goals\": %g, \"timezone\": %g, \"diversity\": %g},\n",
            o->weight[MM_CRIT_SKILLS], o->weight[MM_CRIT_GOALS], o->weight[MM_CRIT_TIMEZONE],
            o->weight[MM_CRIT_DIVERSITY]);
    fprintf(f, "    \"seniority_gap\": %d,\n    \"start\": \"%04d-%02d-%02d\",\n", o->seniority_gap,
            o->start_year, o->start_month, o->start_day);
    fprintf(f, "    \"meeting_minutes\": %d,\n    \"cadence\": \"%s\",\n    \"first_meetings\": %d,\n",
            o->meeting_minutes, cadence_name(o->cadence), o->first_meetings);
    fprintf(f, "    \"checkpoints\": [");
    for (int k = 0; k < o->n_checkpoints; k++) fprintf(f, "%s%d", k ? ", " : "", o->checkpoint_days[k]);
    fprintf(f, "],\n    \"solver\": \"%s\",\n    \"candidates\": %d,\n    \"buffer_minutes\": %d\n  },\n",
            solver_option(o->solver), o->candidates, o->buffer_minutes);
  }
  fprintf(f, "  \"threads\": %d,\n", s->threads);
  fprintf(f, "  \"timings\": {\"read\": %.6f, \"score\": %.6f, \"select\": %.6f, \"solve\": %.6f, "
             "\"prove\": %.6f, \"fit\": %.6f, \"schedule\": %.6f, \"explain\": %.6f, ",
          info->read_s, s->seconds[MM_PHASE_SCORE], s->seconds[MM_PHASE_SELECT],
          s->seconds[MM_PHASE_SOLVE], s->seconds[MM_PHASE_PROVE], s->seconds[MM_PHASE_FIT],
          s->seconds[MM_PHASE_SCHEDULE], s->seconds[MM_PHASE_EXPLAIN]);
  if (info->options) fprintf(f, "\"prepare\": %.6f, ", info->prepare_s);
  fprintf(f, "\"write\": %.6f, \"total\": %.6f}\n}\n", info->write_s, info->total_s);
  if (ferror(f)) {
    mm_error_set(e, NULL, "cannot write the summary");
    mm_error_locate(e, name, 0, 0);
    return MM_ERR_IO;
  }
  return MM_OK;
}
