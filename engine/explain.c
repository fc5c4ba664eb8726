/* explain.c: why each person was left out, as a sentence someone can act on.
 *
 * A person is left out for one of two reasons: no one on the other side is
 * eligible (then the rules that excluded them are counted and named: no
 * shared language, not senior enough, no common weekly slot, ...), or every
 * eligible counterpart went elsewhere in the optimum (then capacity is the
 * limit, and the sentence says so).  Counting uses the cheap rule checks and
 * never rescans availability: a pair that passes every other rule but was not
 * eligible can only have failed the weekly-overlap rule.
 */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { R_SELF, R_MANAGER, R_FORBIDDEN, R_CAPACITY0, R_LANGUAGE, R_SENIORITY, R_OVERLAP, R_HISTORY, R_COUNT };

/* Each reason in a sentence about one person or several. */
static const char *const what[R_COUNT][2] = {
    {"is the same person", "are the same person"},
    {"is this mentee's manager", "are this mentee's manager"},
    {"is forbidden by the pairs file", "are forbidden by the pairs file"},
    {"has capacity 0", "have capacity 0"},
    {"speaks none of the languages listed", "speak none of the languages listed"},
    {"fails the seniority rule", "fail the seniority rule"},
    {"has no common weekly slot for a meeting", "have no common weekly slot for a meeting"},
    {"was paired before (--previous)", "were paired before (--previous)"}};

static int first_reason(unsigned flags) {
  if (flags & MM_INELIG_SELF) return R_SELF;
  if (flags & MM_INELIG_MANAGER) return R_MANAGER;
  if (flags & MM_INELIG_FORBIDDEN) return R_FORBIDDEN;
  if (flags & MM_INELIG_HISTORY) return R_HISTORY;
  if (flags & MM_INELIG_CAPACITY0) return R_CAPACITY0;
  if (flags & MM_INELIG_LANGUAGE) return R_LANGUAGE;
  if (flags & MM_INELIG_SENIORITY) return R_SENIORITY;
  return R_OVERLAP;
}

const char *mm_explain_reason(unsigned flags, bool several) { return what[first_reason(flags)][several]; }

/* Lists the languages of person i of a side, "English; Hindi". */
static void languages_of(const mm_problem *p, mm_side side, size_t i, char *buf, size_t size) {
  const mm_side_data *S = &p->side[side];
  size_t used = 0;
  buf[0] = '\0';
  for (uint32_t k = S->lang_off[i]; k < S->lang_off[i + 1] && used < size; k++) {
    int n = snprintf(buf + used, size - used, "%s%s", used ? "; " : "", p->languages.shown[S->lang_tag[k]]);
    if (n < 0) break;
    used += (size_t)n;
  }
}

static void describe(const mm_problem *p, mm_side side, size_t who, const uint64_t count[R_COUNT],
                     uint64_t total, char *out, size_t size) {
  const char *other = side == MM_MENTEE ? "mentor" : "mentee";
  int minutes = p->opt.meeting_minutes;
  if (total == 0) {
    snprintf(out, size, "there are no %ss in the roster", other);
    return;
  }
  for (int r = 0; r < R_COUNT; r++) {
    if (count[r] != total) continue;
    char langs[160];
    switch (r) {
    case R_LANGUAGE:
      languages_of(p, side, who, langs, sizeof langs);
      snprintf(out, size, "no %s shares a language (this %s lists: %s)", other,
               side == MM_MENTEE ? "mentee" : "mentor", langs);
      return;
    case R_SENIORITY:
      snprintf(out, size, "no %s meets the seniority rule (mentor at least %d above mentee)", other,
               p->opt.seniority_gap);
      return;
    case R_OVERLAP:
      snprintf(out, size,
               "no %s's weekly availability overlaps for a whole %d-minute meeting in every week of the program",
               other, minutes);
      return;
    case R_CAPACITY0:
      snprintf(out, size, "every mentor has capacity 0");
      return;
    case R_FORBIDDEN:
      snprintf(out, size, "every possible pair is forbidden by the pairs file");
      return;
    case R_HISTORY:
      snprintf(out, size, "every %s was paired with this person in an earlier cohort (--previous)", other);
      return;
    default:
      break;
    }
  }
  char langs[160] = "";
  if (count[R_LANGUAGE]) languages_of(p, side, who, langs, sizeof langs);
  int n = snprintf(out, size, "none of the %llu %ss is eligible:", (unsigned long long)total, other);
  bool used[R_COUNT] = {false};
  /* Largest group first: the main obstacle leads the sentence. */
  for (int listed = 0; listed < R_COUNT && n > 0 && (size_t)n < size; listed++) {
    int best = -1;
    for (int r = 0; r < R_COUNT; r++)
      if (!used[r] && count[r] && (best < 0 || count[r] > count[best])) best = r;
    if (best < 0) break;
    used[best] = true;
    int k = snprintf(out + n, size - (size_t)n, "%s %llu %s%s%s%s", listed ? "," : "",
                     (unsigned long long)count[best], what[best][count[best] != 1],
                     best == R_LANGUAGE ? " (" : "", best == R_LANGUAGE ? (langs[0] ? langs : "none listed") : "",
                     best == R_LANGUAGE ? ")" : "");
    if (k < 0) break;
    n += k;
  }
}

mm_status mm_explain_unmatched(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                               const int64_t *mentor_of, const uint32_t *load, const int64_t *moved,
                               bool proven, const char *binding, mm_result *r, mm_error *e) {
  char reason[256];
  uint32_t n = c->n, m = c->m;
  uint8_t *lost = calloc(m ? m : 1, 1);
  if (!lost) goto nomem;
  for (uint32_t i = 0; moved && i < n; i++)
    if (moved[i] >= 0) lost[moved[i]] = 1;
  for (uint32_t i = 0; i < n; i++) {
    if (mentor_of[i] >= 0) continue;
    if (moved && moved[i] >= 0) {
      snprintf(reason, sizeof reason,
               "every eligible mentor's weekly hours are taken: %u eligible, their free hours do not "
               "overlap yours",
               c->elig[i]);
    } else if (c->elig[i] > 0 && !proven) {
      snprintf(reason, sizeof reason,
               "not placed before the time limit stopped the solver (%u eligible mentors); run "
               "without --time-limit for a proven assignment",
               c->elig[i]);
    } else if (c->elig[i] > 0 && binding) {
      snprintf(reason, sizeof reason,
               "no place under the %s: every eligible mentor (%u) is full, or a place would break a rule or "
               "displace another mentee with an equal or better claim",
               binding, c->elig[i]);
    } else if (c->elig[i] > 0) {
      snprintf(reason, sizeof reason,
               "every eligible mentor is at capacity (%u eligible); a place for this mentee would only "
               "displace another mentee with an equal or better claim",
               c->elig[i]);
    } else {
      uint64_t count[R_COUNT] = {0};
      for (uint32_t j = 0; j < m; j++) count[first_reason(mm_score_rules(s, i, j))]++;
      describe(p, MM_MENTEE, i, count, m, reason, sizeof reason);
    }
    if (!mm_result_add_left(r, MM_LEFT_UNMATCHED, MM_MENTEE, i, reason)) goto nomem;
  }
  const mm_side_data *M = &p->side[MM_MENTOR];
  for (uint32_t j = 0; j < m; j++) {
    if (load[j] > 0) continue;
    if (M->capacity[j] == 0) {
      snprintf(reason, sizeof reason, "capacity is 0, so this mentor takes no mentees");
    } else if (lost[j]) {
      snprintf(reason, sizeof reason,
               "has %d free places but no free weekly hours for them: the hours this mentor shares "
               "with eligible mentees are taken by other meetings of theirs or of this mentor",
               M->capacity[j]);
    } else if (c->mentor_elig[j] > 0 && !proven) {
      snprintf(reason, sizeof reason,
               "given no mentee before the time limit stopped the solver (%u eligible mentees); run "
               "without --time-limit for a proven assignment",
               c->mentor_elig[j]);
    } else if (c->mentor_elig[j] > 0) {
      snprintf(reason, sizeof reason, "each of the %u eligible mentees is matched with another mentor in the %s",
               c->mentor_elig[j], binding ? binding : "optimal assignment");
    } else {
      uint64_t count[R_COUNT] = {0};
      for (uint32_t i = 0; i < n; i++) count[first_reason(mm_score_rules(s, i, j))]++;
      describe(p, MM_MENTOR, j, count, n, reason, sizeof reason);
    }
    if (!mm_result_add_left(r, MM_LEFT_UNMATCHED, MM_MENTOR, j, reason)) goto nomem;
  }
  free(lost);
  return MM_OK;
nomem:
  free(lost);
  mm_error_set(e, NULL, "out of memory explaining who was left out");
  return MM_ERR_NOMEM;
}

mm_status mm_explain_ranks(const mm_scorer *s, const mm_candidates *c, mm_pair *pairs, size_t n_pairs,
                           mm_error *e) {
  mm_score_scratch *x = NULL;
  for (size_t k = 0; k < n_pairs; k++) {
    mm_pair *pr = &pairs[k];
    uint32_t i = (uint32_t)pr->mentee, higher = 0;
    /* A cut row kept every mentor scoring above kth; below that, score again. */
    if (c->kth[i] < 0 || pr->score >= c->kth[i]) {
      for (uint64_t q = c->off[i]; q < c->off[i + 1]; q++) higher += c->w[q] > pr->score;
    } else {
      if (!x && !(x = mm_score_scratch_create(s))) {
        mm_error_set(e, NULL, "out of memory ranking mentors");
        return MM_ERR_NOMEM;
      }
      const int32_t *row = mm_score_row(s, x, i);
      for (uint32_t j = 0; j < c->m; j++) higher += row[j] >= 0 && row[j] > pr->score;
    }
    pr->rank = higher + 1;
  }
  mm_score_scratch_free(x);
  return MM_OK;
}
