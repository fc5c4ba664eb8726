/* explain_report.c: mm_explain_mentee, the "--explain MENTEE_ID" report for one person.
 *
 * A coordinator asked "why was I not matched, and why this mentor?" needs
 * the whole picture for that one mentee: the best eligible mentors with each
 * criterion's part of the score and what became of each (this mentee's
 * mentor, full and with whom, room left, or places its week has no hour
 * for), how many mentors each rule excluded, and one sentence on the
 * outcome.  The report is built from the
 * problem and the result alone (scoring the mentee's row again), so it
 * always describes exactly the run that wrote the files.
 */
#include "explain.h"

#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_MENTORS 10

typedef struct {
  char *s;
  size_t n, cap;
  bool nomem;
} text;

static void put(text *t, const char *fmt, ...) {
  if (t->nomem) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
    va_end(ap);
    if (need < 0) return;
    if (t->s && t->n + (size_t)need < t->cap) {
      t->n += (size_t)need;
      return;
    }
    size_t cap = t->cap ? t->cap : 1024;
    while (cap <= t->n + (size_t)need) cap *= 2;
    char *grown = realloc(t->s, cap);
    if (!grown) {
      t->nomem = true;
      return;
    }
    t->s = grown;
    t->cap = cap;
  }
}

static void score_text(int64_t units, char *buf, size_t size) {
  snprintf(buf, size, "%s%lld.%04lld", units < 0 ? "-" : "", (long long)(llabs(units) / 10000),
           (long long)(llabs(units) % 10000));
}

typedef struct {
  int32_t score;
  uint32_t mentor;
} ranked;

static int by_score(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return x->mentor < y->mentor ? -1 : x->mentor > y->mentor;
}

/* Whether mentor j still has a weekly start that this mentee shares once
 * j's own meetings (with the buffer) are booked: a start is taken when a
 * meeting there would overlap one of j's, week by week, as the scheduler
 * books a mentor's series. */
static bool start_left(const mm_problem *p, const mm_result *r, size_t mentee, uint32_t j) {
  mm_week starts;
  mm_frame_pair_starts(p, mentee, j, &starts);
  int len = mm_frame_meeting_slots(p);
  int buffer = mm_frame_buffer_slots(p);
  for (size_t k = 0; k < r->n_pairs; k++) {
    const mm_pair *pr = &r->pairs[k];
    if (pr->mentor != j || !pr->scheduled) continue;
    int at = pr->slot_weekday * MM_SLOTS_PER_DAY + pr->slot_minute / MM_SLOT_MINUTES;
    for (int d = -(len + buffer) + 1; d < len + buffer; d++) {
      int s = ((at + d) % MM_SLOTS_PER_WEEK + MM_SLOTS_PER_WEEK) % MM_SLOTS_PER_WEEK;
      starts.w[s / 64] &= ~(UINT64_C(1) << (s % 64));
    }
  }
  return mm_week_any(&starts);
}

/* What became of mentor j: this mentee's, full (with whom), with places but
 * no free hour (for anyone, or for this mentee) or with room. */
static void mentor_state(text *t, const mm_problem *p, const mm_result *r, size_t mentee, uint32_t j) {
  const mm_side_data *E = &p->side[MM_MENTEE];
  size_t load = 0, mine = 0;
  int hourless = 0; /* its free places that its full week cannot host */
  for (size_t k = 0; k < r->n_pairs; k++) {
    if (r->pairs[k].mentor != j) continue;
    load++;
    mine |= r->pairs[k].mentee == mentee;
    hourless = r->pairs[k].mentor_places_without_hours;
  }
  if (mine) {
    put(t, "  <- this mentee's mentor\n");
    return;
  }
  if (load < (size_t)p->side[MM_MENTOR].capacity[j]) {
    const char *state = hourless > 0                      ? "places left, but no free weekly hour"
                        : !start_left(p, r, mentee, j) ? "places left, but no free hour this mentee shares"
                                                         : "room left";
    put(t, "  %s (%zu of %d places taken)\n", state, load, p->side[MM_MENTOR].capacity[j]);
    return;
  }
  put(t, "  full: ");
  size_t listed = 0;
  for (size_t k = 0; k < r->n_pairs; k++) {
    if (r->pairs[k].mentor != j) continue;
    char sc[32];
    score_text(r->pairs[k].score, sc, sizeof sc);
    put(t, "%s%s (%s)", listed++ ? ", " : "", E->id[r->pairs[k].mentee], sc);
  }
  put(t, "\n");
}

/* The mentee's eligible mentors, best first, and exclusion counts per rule. */
static void mentors_section(text *t, const mm_problem *p, const mm_scorer *s, const mm_result *r, size_t i) {
  uint32_t m = mm_scorer_mentors(s);
  ranked *list = malloc((m ? m : 1) * sizeof *list);
  unsigned *why = malloc((m ? m : 1) * sizeof *why);
  if (!list || !why) {
    free(list);
    free(why);
    t->nomem = true;
    return;
  }
  size_t eligible = 0;
  for (uint32_t j = 0; j < m; j++) {
    int32_t score = mm_score_pair(s, (uint32_t)i, j, NULL, &why[j]);
    if (score >= 0) list[eligible++] = (ranked){score, j};
  }
  qsort(list, eligible, sizeof *list, by_score);
  put(t, "Eligible mentors: %zu of %u.  Best first (score = skills + goals + timezone + diversity):\n", eligible, m);
  for (size_t k = 0; k < eligible && k < TOP_MENTORS; k++) {
    int32_t part[MM_CRITERIA];
    unsigned flags;
    mm_score_pair(s, (uint32_t)i, list[k].mentor, part, &flags);
    char sc[32], pc[MM_CRITERIA][32];
    score_text(list[k].score, sc, sizeof sc);
    for (int c = 0; c < MM_CRITERIA; c++) score_text(part[c], pc[c], sizeof pc[c]);
    put(t, "  %2zu. %-12s %s = %s + %s + %s + %s", k + 1, p->side[MM_MENTOR].id[list[k].mentor], sc, pc[0], pc[1],
        pc[2], pc[3]);
    /* An earlier cohort's pair under previous = penalise:X scores less
     * than its parts: say by how much and why. */
    int64_t parts = (int64_t)part[0] + part[1] + part[2] + part[3];
    if (parts > list[k].score) {
      char less[32];
      score_text((int32_t)(parts - list[k].score), less, sizeof less);
      put(t, " - %s (paired in an earlier cohort, previous = penalise)", less);
    }
    mentor_state(t, p, r, i, list[k].mentor);
  }
  if (eligible > TOP_MENTORS) put(t, "  ... and %zu more\n", eligible - TOP_MENTORS);
  put(t, "Excluded: %zu mentor%s\n", m - eligible, m - eligible == 1 ? "" : "s");
  /* Count by main reason, in the order each reason is first met. */
  const char *reason[16];
  unsigned example[16];
  size_t count[16], n_reasons = 0;
  for (uint32_t j = 0; j < m; j++) {
    if (!why[j]) continue;
    const char *name = mm_explain_reason(why[j], false);
    size_t k = 0;
    while (k < n_reasons && reason[k] != name) k++;
    if (k == n_reasons && n_reasons < 16) {
      reason[k] = name;
      example[k] = why[j];
      count[k] = 0;
      n_reasons++;
    }
    if (k < n_reasons) count[k]++;
  }
  for (size_t k = 0; k < n_reasons; k++) put(t, "  %zu %s\n", count[k], mm_explain_reason(example[k], count[k] != 1));
  free(list);
  free(why);
}

/* One sentence on the outcome. */
static void outcome(text *t, const mm_problem *p, const mm_result *r, size_t i) {
  for (size_t k = 0; k < r->n_pairs; k++) {
    const mm_pair *pr = &r->pairs[k];
    if (pr->mentee != i) continue;
    char sc[32];
    score_text(pr->score, sc, sizeof sc);
    put(t, "Matched with %s (%s), score %s, rank %d among the eligible mentors.\n", p->side[MM_MENTOR].id[pr->mentor],
        p->side[MM_MENTOR].name[pr->mentor], sc, pr->rank);
    if (pr->note[0]) put(t, "Why not a higher-scoring mentor: %s.\n", pr->note);
    else put(t, "Why this mentor: the best-scoring eligible mentor%s.\n", pr->required ? ", and fixed by a rule" : "");
    /* A pair without a meeting slot is listed in unscheduled.csv: say so, and why. */
    for (size_t q = 0; !pr->scheduled && q < r->n_left; q++)
      if (r->left[q].kind == MM_LEFT_UNSCHEDULED && r->left[q].index == k)
        put(t, "No meeting slot (unscheduled.csv): %s.\n", r->left[q].reason);
    return;
  }
  for (size_t k = 0; k < r->n_left; k++) {
    const mm_left_out *l = &r->left[k];
    if (l->kind == MM_LEFT_UNMATCHED && l->side == MM_MENTEE && l->index == i) {
      put(t, "Not matched: %s.\n", l->reason);
      return;
    }
  }
  put(t, "Not matched.\n");
}

mm_status mm_explain_mentee(const mm_problem *p, const mm_result *r, size_t mentee, char **out, mm_error *e) {
  *out = NULL;
  if (mentee >= p->side[MM_MENTEE].n) {
    mm_error_set(e, "explain", "no mentee with index %zu", mentee);
    return MM_ERR_INVALID;
  }
  mm_scorer *s = mm_scorer_create(p, 1, e);
  if (!s) return MM_ERR_NOMEM;
  text t = {NULL, 0, 0, false};
  put(&t, "Mentee %s (%s)\n", p->side[MM_MENTEE].id[mentee], p->side[MM_MENTEE].name[mentee]);
  outcome(&t, p, r, mentee);
  put(&t, "\n");
  mentors_section(&t, p, s, r, mentee);
  mm_scorer_free(s);
  if (t.nomem) {
    free(t.s);
    mm_error_set(e, NULL, "out of memory writing the explanation");
    return MM_ERR_NOMEM;
  }
  *out = t.s;
  return MM_OK;
}
