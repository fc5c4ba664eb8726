/* rules_messages.c: the words of the program rules: why they cannot hold, and what they achieved.
 *
 * Infeasible rules must name the rule, the numbers and the people; a run
 * under rules says in summary.json what each rule asked and achieved.  The
 * sentences live here, apart from the program and the search.
 */
#include "rules_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const quota_what[MM_QUOTAS] = {"location", "country", "department"};

/* Appends up to five ids of a side, "E1, E2, ... (and 3 more)". */
static void list_people(const mm_problem *p, mm_side side, const uint32_t *who, size_t n, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < n && k < 5 && used < size; k++) {
    int w = snprintf(buf + used, size - used, "%s%s", k ? ", " : "", p->side[side].id[who[k]]);
    if (w < 0) return;
    used += (size_t)w;
  }
  if (n > 5 && used < size) snprintf(buf + used, size - used, " (and %zu more)", n - 5);
}

/* Fixed pairs that already give one mentor more than max_per_department. */
mm_status mm_rules_check_fixed_departments(const context *cx, mm_error *e) {
  const mm_problem *p = cx->in->p;
  int limit = cx->o->max_per_department;
  const int32_t *dept = p->side[MM_MENTEE].department;
  for (uint32_t j = 0; limit && j < cx->in->g->n_right; j++) {
    for (size_t x = cx->fixed_off[j]; x < cx->fixed_off[j + 1]; x++) {
      int32_t d = dept[cx->fixed_list[x]];
      if (d < 0 || mm_rules_fixed_in(cx, j, d) <= limit) continue;
      uint32_t who[64];
      size_t n = 0;
      for (size_t y = cx->fixed_off[j]; y < cx->fixed_off[j + 1]; y++)
        if (dept[cx->fixed_list[y]] == d && n < 64) who[n++] = cx->fixed_list[y];
      char names[256];
      list_people(p, MM_MENTEE, who, n, names, sizeof names);
      mm_error_set(e, "max_per_department",
                   "max_per_department = %d, but required or kept pairs already give mentor \"%s\" %zu mentees "
                   "of department \"%s\": %s",
                   limit, p->side[MM_MENTOR].id[j], n, p->places.shown[d], names);
      return MM_ERR_INFEASIBLE;
    }
  }
  return MM_OK;
}

/* Why no assignment with a pair meets quota k, in numbers. */
void mm_rules_quota_message(const context *cx, int k, mm_error *e) {
  const mm_problem *p = cx->in->p;
  const mm_graph *g = cx->in->g;
  uint64_t counted = 0, across = 0;
  uint32_t who[5] = {0};
  size_t n_who = 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    for (uint64_t x = g->off[i]; x < g->off[i + 1]; x++) {
      int c, a;
      mm_rules_quota_part(p, k, i, g->adj[x], &c, &a);
      counted += (uint64_t)c;
      across += (uint64_t)a;
      if (a && (n_who == 0 || who[n_who - 1] != i) && n_who < 5) who[n_who++] = i;
    }
  }
  char names[256];
  list_people(p, MM_MENTEE, who, n_who, names, sizeof names);
  mm_error_set(e, mm_quota_key(k),
               "%s = %.4g cannot be met by any assignment with at least one pair: of %llu candidate pairs where "
               "both give a %s, %llu are across %ss%s%s%s; required or kept pairs contribute %lld (in 1e-4 "
               "units of the share)",
               mm_quota_key(k), cx->o->quota_cross[k] / 1e4, (unsigned long long)counted, quota_what[k],
               (unsigned long long)across, quota_what[k], n_who ? " (mentees with such a pair: " : "",
               names, n_who ? ")" : "", (long long)cx->fixed_quota[k]);
}

void mm_rules_group_message(const context *cx, mm_error *e) {
  const mm_problem *p = cx->in->p;
  mm_error_set(e, "quota.min_share",
               "quota.min_share = proportional on column \"%s\" cannot be met by any assignment with at least one "
               "pair: %lld mentees give the column in %u groups, and the candidate pairs cannot give each group "
               "its share",
               p->opt.quota_column, (long long)cx->gr.givers, cx->gr.n_groups);
}

/* "rules: quota.cross_location >= 0.6: 12 of 20 pairs across (0.6000); ..." */
/* The lowest score among the answer's pairs, fixed ones included (0 when none). */
static int64_t lowest_matched(const context *cx, const mm_rules_answer *out) {
  const mm_graph *g = cx->in->g;
  int64_t low = cx->fixed_low;
  for (uint32_t i = 0; i < g->n_left; i++)
    if (out->match[i] >= 0 && g->w[out->match[i]] < low) low = g->w[out->match[i]];
  return low == INT64_MAX ? 0 : low;
}

void mm_rules_describe(const context *cx, mm_rules_answer *out) {
  const mm_options *o = cx->o;
  size_t used = 0, size = sizeof out->text;
  int w = snprintf(out->text, size, "solved by GLPK with the program rules:");
  used = w > 0 ? (size_t)w : 0;
  for (int k = 0; k < MM_QUOTAS && used < size; k++) {
    if (!o->quota_cross[k]) continue;
    w = snprintf(out->text + used, size - used, " %s >= %.4g (achieved %zu of %zu counted pairs across, %.4f);",
                 mm_quota_key(k), o->quota_cross[k] / 1e4, out->across[k], out->known[k],
                 out->known[k] ? (double)out->across[k] / (double)out->known[k] : 0.0);
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->max_per_department && used < size) {
    w = snprintf(out->text + used, size - used, " max_per_department = %d;", o->max_per_department);
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->group_proportional && used < size) {
    w = snprintf(out->text + used, size - used, " every \"%s\" group gets its proportional share;", o->quota_column);
    used += w > 0 ? (size_t)w : 0;
  }
  if (cx->in->p->has_priority && used < size) {
    w = snprintf(out->text + used, size - used, " priority (higher levels matched first);");
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->min_per_mentor && used < size) {
    w = snprintf(out->text + used, size - used, " min_per_mentor = 1 (%u mentors could get a first mentee);",
                 cx->n_cover);
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->objective_maxmin && used < size)
    snprintf(out->text + used, size - used, " objective = maxmin (lowest matched score %.4f, then the total);",
             (double)lowest_matched(cx, out) / 1e4);
}

/* The answer's quota counts over every pair, fixed ones included. */
void mm_rules_count_quotas(const context *cx, mm_rules_answer *out) {
  const mm_problem *p = cx->in->p;
  const mm_graph *g = cx->in->g;
  for (int k = 0; k < MM_QUOTAS; k++) {
    out->across[k] = out->known[k] = 0;
    for (size_t i = 0; i < p->side[MM_MENTEE].n; i++) {
      int64_t j = i < g->n_left && out->match[i] >= 0 ? (int64_t)g->adj[out->match[i]] : cx->in->fixed[i];
      if (j < 0) continue;
      int c, a;
      mm_rules_quota_part(p, k, (uint32_t)i, (uint32_t)j, &c, &a);
      out->known[k] += (size_t)c;
      out->across[k] += (size_t)a;
    }
  }
}
