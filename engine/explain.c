/* explain.c: why each person was left out or paired as they were, as a sentence someone can act on.
 *
 * A person is left out for one of two reasons: no one on the other side is
 * eligible (then the rules that excluded them are counted and named: no
 * shared language, not senior enough, no common weekly slot, ...), or every
 * eligible counterpart went elsewhere in the optimum (then the limit is
 * named: places, or weekly hours when a mentor's week holds fewer meetings
 * than its places or fitting calendars took a mentee away).  Counting uses
 * the cheap rule checks and never rescans availability: a pair that passes
 * every other rule but was not eligible can only have failed the
 * weekly-overlap rule.  The notes on pairs live here too (mm_pair_note): a
 * mentee moved from a better mentor whose week was full, a mentor whose free
 * places no free hours can host.  Every reason text has this one home.
 */
#include "explain.h"

#include <omp.h>
#include <stdarg.h>
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

/* Whether zone z changes its clocks in the program window: a mentor's
 * meetings then keep away from the hours the change skips or repeats
 * (mm_frame_mentor_mask), which the overlap reason says. */
static bool zone_changes(const mm_problem *p, int32_t z) {
  return z >= 0 && (size_t)z < p->n_zones && mm_zone_changes_in(&p->zones[z], p->window_from, p->window_to - 1);
}

/* Whether some mentor's zone changes its clocks in the program window. */
static bool mentor_clocks_change(const mm_problem *p) {
  bool *seen = calloc(p->n_zones ? p->n_zones : 1, sizeof *seen);
  bool any = false;
  for (size_t j = 0; seen && j < p->side[MM_MENTOR].n && !any; j++) {
    int32_t z = p->side[MM_MENTOR].zone[j];
    if (z < 0 || (size_t)z >= p->n_zones || seen[z]) continue;
    seen[z] = true;
    any = zone_changes(p, z);
  }
  free(seen);
  return any;
}

/* Why someone is eligible with nobody, from the count of each first reason;
 * clocks: the mentors' clocks change in the window (the overlap reason
 * names the rule that keeps meetings away from the change). */
static void describe(const mm_problem *p, mm_side side, size_t who, const uint64_t count[R_COUNT],
                     uint64_t total, bool clocks, char *out, size_t size) {
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
               "no %s's weekly availability overlaps for a whole %d-minute meeting in every week of the program%s",
               other, minutes,
               clocks ? ", outside the hours a clock change skips or repeats in the mentor's zone" : "");
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

/* The sentence for a mentee whose eligible mentors' free hours ran out;
 * mentoring: the mentee is a mentor too (the same id) with meetings of its
 * own, which may be what took the hours. */
static void hours_taken(uint32_t eligible, bool mentoring, char *out, size_t size) {
  if (mentoring) {
    snprintf(out, size,
             "no free common weekly hour with any of the %u eligible mentors: either their free hours do not overlap "
             "yours, or your own meetings as a mentor take the hours you share",
             eligible);
    return;
  }
  snprintf(out, size,
           "every eligible mentor's weekly hours are taken: %u eligible, their free hours do not overlap "
           "yours",
           eligible);
}

/* The sentence for a mentee that fitting calendars moved out: its mentor
 * in the calendar-blind optimum (from) had no free weekly hour left for it,
 * and its other eligible mentors are full on places or on hours.  (One who
 * mentors too is told hours_taken's sentence: its own meetings may be what
 * took the hour.)  The mentor's id is left out where it might not fit (a
 * reason is 256 bytes). */
static void moved_reason(const mm_problem *p, size_t from, uint32_t eligible, uint32_t at_capacity,
                         uint32_t no_hours, char *out, size_t size) {
  const char *id = mm_problem_person_id(p, MM_MENTOR, from);
  char who[128] = "your mentor in the calendar-blind assignment";
  if (strlen(id) <= 40) snprintf(who, sizeof who, "mentor %s, your match in the calendar-blind assignment,", id);
  if (no_hours == 0 || at_capacity == 0) {
    snprintf(out, size, "%s had no free weekly hour left for you; every eligible mentor %s (%u eligible)", who,
             no_hours == 0 ? "is at capacity" : "has places left but no free hour you share", eligible);
    return;
  }
  snprintf(out, size,
           "%s had no free weekly hour left for you; of %u eligible mentors, %u %s at capacity and %u %s places "
           "left but no free hour you share",
           who, eligible, at_capacity, at_capacity == 1 ? "is" : "are", no_hours, no_hours == 1 ? "has" : "have");
}

/* Whether mentee i is also a mentor (the same id) that has mentees. */
static bool mentoring_too(const mm_problem *p, const uint32_t *load, uint32_t i) {
  long j = mm_problem_find(p, MM_MENTOR, p->side[MM_MENTEE].id[i]);
  return j >= 0 && load[j] > 0;
}

/* The mentors with places left (load below capacity), packed for scoring
 * rows against them alone: a cut row of the candidate graph lacks some
 * eligible mentors, and only those with places need telling apart from
 * the ones at capacity.  With the proof's prices, also sorted by them
 * (dual_cols.h, every bar -1): a row is then scored only against the few
 * mentors it may be eligible with, when there are few. */
typedef struct {
  uint32_t *cols, k;
  mm_score_cols *pack; /* NULL when k is 0 */
  int32_t *bar;        /* k times -1 */
  mm_dual_cols dual;   /* key_bar NULL: no prices */
  const mm_prices *prices;
} open_mentors;

static bool open_mentors_make(const mm_scorer *s, const mm_side_data *M, const uint32_t *load, uint32_t m,
                              const mm_prices *prices, open_mentors *o) {
  *o = (open_mentors){NULL, 0, NULL, NULL, {0, NULL, NULL, NULL, NULL}, prices};
  o->cols = malloc((m ? m : 1) * sizeof *o->cols);
  o->bar = malloc((m ? m : 1) * sizeof *o->bar);
  if (!o->cols || !o->bar) return false;
  for (uint32_t j = 0; j < m; j++)
    if (load[j] < (uint32_t)M->capacity[j]) {
      o->bar[o->k] = -1;
      o->cols[o->k++] = j;
    }
  if (o->k == 0) return true;
  if (prices && !mm_dual_cols_make(&o->dual, o->cols, o->bar, o->k, prices)) return false;
  return (o->pack = mm_score_cols_create(s, o->cols, o->k)) != NULL;
}

static void open_mentors_free(open_mentors *o) {
  mm_score_cols_free(o->pack);
  mm_dual_cols_free(&o->dual);
  free(o->bar);
  free(o->cols);
}

/* Mentee i's eligible mentors among the open ones (a cut row). */
static uint32_t open_eligible(const mm_scorer *s, const open_mentors *o, mm_score_scratch *x, uint32_t i) {
  uint32_t n = 0;
  if (o->dual.key_bar && !o->prices->skip[i]) {
    uint32_t hit[MM_DUAL_FEW_PAIRS + 1];
    uint32_t q = mm_dual_cols_pick(&o->dual, o->bar, o->prices->u[i], -1, hit, MM_DUAL_FEW_PAIRS);
    if (q <= MM_DUAL_FEW_PAIRS) {
      for (uint32_t t = 0; t < q; t++) n += mm_score_pair(s, i, o->cols[hit[t]], NULL, NULL) >= 0;
      return n;
    }
  }
  const int32_t *row = mm_score_cols_row(s, o->pack, x, i);
  for (uint32_t t = 0; t < o->k; t++) n += row[t] >= 0;
  return n;
}

/* Counts mentee i's eligible mentors that are full on places (load reached
 * capacity) and those left with places their week cannot host for i.  A
 * cut row is scored again (x: the thread's scratch), against the mentors
 * with places only (the rest of its eligible mentors are at capacity). */
static void count_full(const mm_scorer *s, const mm_candidates *c, const mm_side_data *M, const uint32_t *load,
                       const uint8_t *held, const open_mentors *o, uint32_t i, mm_score_scratch *x,
                       uint32_t *at_capacity, uint32_t *no_hours, uint32_t *held_full) {
  *at_capacity = *no_hours = *held_full = 0;
  /* Mentors full of required or kept pairs: counted on the candidate row,
   * which is the whole eligible row when uncut, and holds its best
   * mentors when cut (a count that is then at least that). */
  for (uint64_t q = c->off[i]; held && q < c->off[i + 1]; q++) *held_full += held[c->adj[q]];
  if (c->kth[i] < 0) {
    for (uint64_t q = c->off[i]; q < c->off[i + 1]; q++) {
      uint32_t j = c->adj[q];
      if (load[j] >= (uint32_t)M->capacity[j]) (*at_capacity)++;
      else (*no_hours)++;
    }
    return;
  }
  if (o->k) *no_hours = open_eligible(s, o, x, i);
  *at_capacity = c->elig[i] > *no_hours ? c->elig[i] - *no_hours : 0;
}

/* Per mentor: 1 when every place is taken by a required or kept pair that
 * the assignment holds; NULL when no mentor is (or memory is short, which
 * only loses that detail from the sentences). */
static uint8_t *held_mentors(const mm_problem *p, const int64_t *mentor_of, const uint32_t *load, uint32_t n,
                             uint32_t m) {
  if (!p->required_rule) return NULL;
  uint32_t *fixed = calloc(m ? m : 1, sizeof *fixed);
  uint8_t *held = calloc(m ? m : 1, 1);
  bool any = false;
  for (uint32_t i = 0; fixed && held && i < n; i++) {
    int32_t k = p->required_rule[i];
    if (k >= 0 && mentor_of[i] == (int64_t)p->rules[k].mentor) fixed[p->rules[k].mentor]++;
  }
  for (uint32_t j = 0; fixed && held && j < m; j++) {
    held[j] = fixed[j] > 0 && fixed[j] >= load[j] && load[j] >= (uint32_t)p->side[MM_MENTOR].capacity[j];
    any |= held[j];
  }
  free(fixed);
  if (!any) {
    free(held);
    return NULL;
  }
  return held;
}

/* Whether a mentee left out is explained by its full mentors (full_reason):
 * in a proven optimum, and in a stable assignment too, where a mentee is
 * left out only when each of its eligible mentors is full with mentees it
 * wants at least as much (or else the pair would block).  Under program
 * rules a rule may be what keeps a place closed. */
static bool counted(const mm_candidates *c, const int64_t *mentor_of, const int64_t *moved, bool proven, uint32_t i) {
  return mentor_of[i] < 0 && !(moved && moved[i] >= 0) && c->elig[i] > 0 && proven;
}

/* Whether a mentee left out was moved out by fitting calendars: its mentor
 * in the calendar-blind optimum had no free weekly hour for it. */
static bool moved_out(const mm_candidates *c, const int64_t *mentor_of, const int64_t *moved, bool proven, uint32_t i) {
  return mentor_of[i] < 0 && moved && moved[i] >= 0 && c->elig[i] > 0 && proven;
}

static bool told_by_full(const mm_problem *p, const mm_candidates *c, const int64_t *mentor_of,
                         const int64_t *moved, bool proven, const char *binding, uint32_t i) {
  return counted(c, mentor_of, moved, proven, i) && (!binding || p->opt.mode == MM_MODE_STABLE);
}

/* Appends one item of a ", "-separated list to out (size bytes), whole:
 * an item that does not fit leaves ", ..." instead (once). */
static void list_add(char *out, size_t size, const char *item) {
  size_t used = strlen(out);
  if (used >= 5 && strcmp(out + used - 5, ", ...") == 0) return;
  if (used + 2 + strlen(item) < size) {
    snprintf(out + used, size - used, "%s%s", used ? ", " : "", item);
  } else if (used + 6 <= size) {
    strcpy(out + used, ", ...");
  }
}

/* The program rules in force, briefly ("quota.cross_location >= 1, max_per_department = 1"). */
static void rules_in_force(const mm_problem *p, char *out, size_t size) {
  const mm_options *o = &p->opt;
  char item[64];
  out[0] = '\0';
  for (int k = 0; k < MM_QUOTAS; k++) {
    if (o->quota_cross[k] <= 0) continue;
    snprintf(item, sizeof item, "%s >= %g", mm_quota_key(k), o->quota_cross[k] / 1e4);
    list_add(out, size, item);
  }
  if (o->max_per_department > 0) {
    snprintf(item, sizeof item, "max_per_department = %d", o->max_per_department);
    list_add(out, size, item);
  }
  if (o->group_proportional) list_add(out, size, "quota.min_share");
  if (o->min_per_mentor) list_add(out, size, "min_per_mentor");
  if (o->objective_maxmin) list_add(out, size, "objective = maxmin");
  if (p->has_priority) list_add(out, size, "priority");
}

/* Why a mentee is left out under the program rules: its eligible mentors
 * are all at capacity, or some have a place the rules (or their hours) keep closed. */
static void rules_reason(const mm_problem *p, uint32_t eligible, uint32_t no_hours, char *out, size_t size) {
  char rules[80]; /* the sentence, with it, fits mm_left_out's reason (256 bytes) */
  rules_in_force(p, rules, sizeof rules);
  if (no_hours == 0) {
    snprintf(out, size,
             "every eligible mentor is at capacity (%u eligible); under the program rules (%s) a place for you "
             "would displace a mentee with an equal or better claim, or break a rule",
             eligible, rules);
  } else {
    snprintf(out, size,
             "no place under the program rules: %u of %u eligible mentors have a place, but taking you would break "
             "a rule in force (%s) or find no free weekly hour",
             no_hours, eligible, rules);
  }
}

/* count_full for every mentee counted, with `threads` threads; each
 * gets at_capacity[i] and no_hours[i].  False when memory is short. */
static bool count_full_all(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                           const int64_t *mentor_of, const uint32_t *load, const int64_t *moved, bool proven,
                           const mm_prices *prices, int threads, uint32_t *at_capacity,
                           uint32_t *no_hours, uint32_t *held_full) {
  uint8_t *held = held_mentors(p, mentor_of, load, c->n, c->m);
  open_mentors o = {NULL, 0, NULL, NULL, {0, NULL, NULL, NULL, NULL}, NULL};
  mm_score_scratch **x = calloc((size_t)threads, sizeof *x);
  bool ok = x && open_mentors_make(s, &p->side[MM_MENTOR], load, c->m, prices, &o);
  for (int t = 0; ok && t < threads; t++) ok = (x[t] = mm_score_scratch_create(s)) != NULL;
  if (ok) {
    /* The scorer's row order shares its per-row tables between neighbours. */
    const uint32_t *order = mm_scorer_order(s);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
    for (uint32_t k = 0; k < c->n; k++) {
      uint32_t i = order[k];
      if (counted(c, mentor_of, moved, proven, i) || moved_out(c, mentor_of, moved, proven, i))
        count_full(s, c, &p->side[MM_MENTOR], load, held, &o, i, x[omp_get_thread_num()], &at_capacity[i],
                   &no_hours[i], &held_full[i]);
    }
  }
  for (int t = 0; x && t < threads; t++) mm_score_scratch_free(x[t]);
  free(x);
  free(held);
  open_mentors_free(&o);
  return ok;
}

/* Why a mentee is left out when all its eligible mentors are full: on
 * places (load reached capacity) or on hours (places left, week full). */
static void full_reason(uint32_t eligible, uint32_t at_capacity, uint32_t no_hours, uint32_t held_full,
                        bool refitted, bool mentoring, char *out, size_t size) {
  /* Once fitting calendars re-decided pairs, a holder may keep its place by
   * its meeting time rather than its score. */
  const char *or_time = refitted ? " or a meeting time you cannot share" : "";
  if (at_capacity == 0) {
    hours_taken(eligible, mentoring, out, size);
  } else if (no_hours == 0 && held_full >= at_capacity) {
    snprintf(out, size,
             "every eligible mentor is at capacity (%u eligible) with required or kept pairs (pairs file or --keep), "
             "which the assignment must hold",
             eligible);
  } else if (no_hours == 0 && held_full > 0) {
    snprintf(out, size,
             "every eligible mentor is at capacity (%u eligible), %u with required or kept pairs (pairs file or "
             "--keep); a place at another would only displace a mentee with an equal or better claim%s",
             eligible, held_full, or_time);
  } else if (no_hours == 0) {
    snprintf(out, size,
             "every eligible mentor is at capacity (%u eligible); a place for this mentee would only "
             "displace another mentee with an equal or better claim%s",
             eligible, or_time);
  } else {
    snprintf(out, size,
             "every eligible mentor is full (%u eligible): %u at capacity, %u with places left but their "
             "free weekly hours do not overlap yours",
             eligible, at_capacity, no_hours);
  }
}

/* Why each mentee without a mentor is left out.  In a proven optimum every
 * eligible mentor is full: on places when its load reached its capacity,
 * else on hours (its week held fewer meetings than places, or fitting
 * calendars took a mentee away), and the sentence names the limit. */
static mm_status explain_mentees(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                                 const int64_t *mentor_of, const uint32_t *load, const int64_t *moved,
                                 bool proven, const char *binding, const mm_prices *prices, int threads,
                                 mm_result *r) {
  char reason[384];
  int mentor_clocks = -1; /* mentor_clocks_change, worked out when first needed */
  uint32_t *at_capacity = malloc((c->n ? c->n : 1) * sizeof *at_capacity);
  uint32_t *no_hours = malloc((c->n ? c->n : 1) * sizeof *no_hours);
  uint32_t *held_full = malloc((c->n ? c->n : 1) * sizeof *held_full);
  mm_status st = at_capacity && no_hours && held_full &&
                         count_full_all(p, s, c, mentor_of, load, moved, proven, prices, threads, at_capacity,
                                        no_hours, held_full)
                     ? MM_OK
                     : MM_ERR_NOMEM;
  for (uint32_t i = 0; i < c->n && st == MM_OK; i++) {
    if (mentor_of[i] >= 0) continue;
    if (told_by_full(p, c, mentor_of, moved, proven, binding, i)) {
      full_reason(c->elig[i], at_capacity[i], no_hours[i], held_full[i], r->summary.fit_pairs > 0,
                  mentoring_too(p, load, i), reason, sizeof reason);
    } else if (moved_out(c, mentor_of, moved, proven, i) && !mentoring_too(p, load, i)) {
      moved_reason(p, (size_t)moved[i], c->elig[i], at_capacity[i], no_hours[i], reason, sizeof reason);
    } else if (moved && moved[i] >= 0) {
      hours_taken(c->elig[i], mentoring_too(p, load, i), reason, sizeof reason);
    } else if (c->elig[i] == 0) {
      uint64_t count[R_COUNT] = {0};
      for (uint32_t j = 0; j < c->m; j++) count[first_reason(mm_score_rules(s, i, j))]++;
      if (mentor_clocks < 0) mentor_clocks = mentor_clocks_change(p);
      describe(p, MM_MENTEE, i, count, c->m, mentor_clocks > 0, reason, sizeof reason);
    } else if (!proven) {
      snprintf(reason, sizeof reason,
               "not placed before the time limit stopped the solver (%u eligible mentors); run "
               "without --time-limit for a proven assignment",
               c->elig[i]);
    } else {
      rules_reason(p, c->elig[i], no_hours[i], reason, sizeof reason);
    }
    if (!mm_result_add_left(r, MM_LEFT_UNMATCHED, MM_MENTEE, i, reason)) st = MM_ERR_NOMEM;
  }
  free(at_capacity);
  free(no_hours);
  free(held_full);
  return st;
}

/* Marks mentors given mentees whose free places their week cannot host:
 * the week (in the hours mentees share, as the places were capped) holds
 * no more meetings than they have.  (A mentor that fitting calendars took
 * a mentee from may still have free hours for others: that mentee's own
 * note says why it moved.)  Their pairs carry the spare places
 * (mm_pair_note); the summary counts the mentors. */
static void mark_week_full(const mm_problem *p, const uint32_t *load, const int32_t *hours, int *spare,
                           mm_result *r) {
  const mm_side_data *M = &p->side[MM_MENTOR];
  /* Meetings each week holds: a required pair without a slot holds none. */
  int *meeting = spare;
  memset(meeting, 0, (M->n ? M->n : 1) * sizeof *meeting);
  for (size_t k = 0; k < r->n_pairs; k++) meeting[r->pairs[k].mentor] += r->pairs[k].scheduled != 0;
  r->summary.mentors_week_full = 0;
  for (size_t j = 0; j < M->n; j++) {
    bool week_used = meeting[j] >= hours[j];
    spare[j] = M->capacity[j] - (int)load[j];
    bool full = load[j] > 0 && spare[j] > 0 && week_used;
    if (!full) spare[j] = 0;
    r->summary.mentors_week_full += full;
  }
  for (size_t k = 0; k < r->n_pairs; k++) r->pairs[k].mentor_places_without_hours = spare[r->pairs[k].mentor];
}

/* Why each mentor without a mentee is left out. */
static mm_status explain_mentors(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                                 const uint32_t *load, const uint8_t *lost, bool proven, const char *binding,
                                 mm_result *r) {
  char reason[256];
  const mm_side_data *M = &p->side[MM_MENTOR];
  for (uint32_t j = 0; j < c->m; j++) {
    if (load[j] > 0) continue;
    if (M->capacity[j] == 0) {
      snprintf(reason, sizeof reason, "capacity is 0, so this mentor takes no mentees");
    } else if (lost[j]) {
      snprintf(reason, sizeof reason,
               "has %d free place%s but no free weekly hours for them: the hours this mentor shares "
               "with eligible mentees are taken by other meetings of theirs or of this mentor",
               M->capacity[j], M->capacity[j] == 1 ? "" : "s");
    } else if (c->mentor_elig[j] > 0 && !proven) {
      snprintf(reason, sizeof reason,
               "given no mentee before the time limit stopped the solver (%u eligible mentees); run "
               "without --time-limit for a proven assignment",
               c->mentor_elig[j]);
    } else if (c->mentor_elig[j] > 0) {
      /* Once fitting calendars re-decided pairs, an eligible mentee may be
       * left out for want of an hour it shares with this mentor, and the
       * assignment is no longer the proven optimum. */
      bool refit = r->summary.fit_pairs > 0;
      snprintf(reason, sizeof reason, "%s %u eligible mentee%s matched with another mentor in the %s%s",
               c->mentor_elig[j] == 1 ? "the" : "each of the", c->mentor_elig[j],
               c->mentor_elig[j] == 1 ? " is" : "s is",
               binding ? binding : refit ? "assignment fitted to calendars" : "optimal assignment",
               refit ? ", or has no free weekly hour in common with this mentor once meetings are booked" : "");
    } else {
      uint64_t count[R_COUNT] = {0};
      for (uint32_t i = 0; i < c->n; i++) count[first_reason(mm_score_rules(s, i, j))]++;
      describe(p, MM_MENTOR, j, count, c->n, zone_changes(p, p->side[MM_MENTOR].zone[j]), reason, sizeof reason);
    }
    if (!mm_result_add_left(r, MM_LEFT_UNMATCHED, MM_MENTOR, j, reason)) return MM_ERR_NOMEM;
  }
  return MM_OK;
}

mm_status mm_explain_unmatched(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                               const int64_t *mentor_of, const uint32_t *load, const int64_t *moved,
                               bool proven, const char *binding, const mm_prices *prices, int threads,
                               mm_result *r, mm_error *e) {
  uint8_t *lost = calloc(c->m ? c->m : 1, 1);
  int *spare = malloc((c->m ? c->m : 1) * sizeof *spare);
  int32_t *hours = malloc((c->m ? c->m : 1) * sizeof *hours);
  mm_status st = MM_ERR_NOMEM;
  if (!lost || !spare || !hours || !mm_frame_hour_capacities(p, hours)) goto done;
  for (uint32_t i = 0; moved && i < c->n; i++)
    if (moved[i] >= 0) lost[moved[i]] = 1;
  if ((st = explain_mentees(p, s, c, mentor_of, load, moved, proven, binding, prices, threads, r)) != MM_OK) goto done;
  if ((st = explain_mentors(p, s, c, load, lost, proven, binding, r)) != MM_OK) goto done;
  mark_week_full(p, load, hours, spare, r);
done:
  free(lost);
  free(spare);
  free(hours);
  if (st != MM_OK) mm_error_set(e, NULL, "out of memory explaining who was left out");
  return st;
}

/* Appends one formatted sentence to a growing note, "; " between two. */
static bool note_add(char **note, size_t *len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool note_add(char **note, size_t *len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  size_t sep = *len ? 2 : 0;
  char *grown = n >= 0 ? realloc(*note, *len + sep + (size_t)n + 1) : NULL;
  if (!grown) return false;
  *note = grown;
  if (sep) memcpy(grown + *len, "; ", 2);
  va_start(ap, fmt);
  vsnprintf(grown + *len + sep, (size_t)n + 1, fmt, ap);
  va_end(ap);
  *len += sep + (size_t)n;
  return true;
}

char *mm_pair_note(const mm_problem *p, const mm_pair *pr, int *nomem) {
  char *note = NULL;
  size_t len = 0;
  bool ok = true;
  *nomem = 0;
  if (pr->moved_from >= 0)
    ok = note_add(&note, &len,
                  "moved from mentor %s, whose weekly hours had no room left for this mentee's; this "
                  "mentor is eligible choice %u by score",
                  mm_problem_person_id(p, MM_MENTOR, (size_t)pr->moved_from), pr->rank);
  if (ok && pr->moved_from < 0 && pr->note[0]) ok = note_add(&note, &len, "%s", pr->note);
  if (ok && pr->mentor_places_without_hours > 0)
    ok = note_add(&note, &len, "this mentor has %d free place%s but no free weekly hours left for another mentee",
                  pr->mentor_places_without_hours, pr->mentor_places_without_hours == 1 ? "" : "s");
  if (!ok) {
    free(note);
    *nomem = 1;
    return NULL;
  }
  return note;
}
