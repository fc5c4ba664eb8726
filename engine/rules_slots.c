/* rules_slots.c: weekly starts and clash rows of the tight people for the rules program, and the schedule that finds them.
 *
 * See rules_slots.h for the lazy scheme.  The columns and clash rows come
 * from the joint model (joint.h) over the pairs that touch a tight person,
 * written as one program with mm_joint_write; rules.c ties each pair's
 * starts to its pair column.  The check schedules the whole assignment with
 * the scheduler the write phase uses, so "every pair placed" here means
 * every pair gets its slot in the output too.
 */
#include "rules_slots.h"

#include "diary.h"
#include "joint.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct mm_rules_calendar {
  const mm_problem *p;
  mm_people people;
  mm_slotter *sl;
  uint8_t *tight; /* per person */
  uint8_t *mentors; /* per person: 1 when the person is a mentor (only they can hold two meetings) */
  size_t n_tight;
  mm_joint *jm;   /* the last program's columns */
  mm_mip mip;
  uint32_t *pair_mentee, *pair_mentor;
  uint8_t *pair_fixed;
  size_t *col_pair;
  int64_t *chosen;
  size_t pairs_alloc, cols_alloc;
  mm_rules_slots view;
};

mm_rules_calendar *mm_rules_calendar_create(const mm_problem *p, mm_error *e) {
  mm_rules_calendar *rc = calloc(1, sizeof *rc);
  if (!rc) goto nomem;
  rc->p = p;
  mm_mip_init(&rc->mip);
  if (mm_people_build(p, &rc->people, e) != MM_OK) {
    free(rc);
    return NULL;
  }
  rc->tight = calloc(rc->people.n ? rc->people.n : 1, 1);
  rc->mentors = calloc(rc->people.n ? rc->people.n : 1, 1);
  for (size_t j = 0; rc->mentors && j < p->side[MM_MENTOR].n; j++) rc->mentors[rc->people.of_mentor[j]] = 1;
  if (rc->tight && rc->mentors && (rc->sl = mm_slotter_create(p, &rc->people, e)) != NULL) return rc;
  mm_rules_calendar_free(rc);
nomem:
  mm_error_set(e, NULL, "out of memory preparing the calendar rows of the program rules");
  return NULL;
}

void mm_rules_calendar_free(mm_rules_calendar *rc) {
  if (!rc) return;
  mm_slotter_free(rc->sl);
  mm_joint_free(rc->jm);
  mm_mip_free(&rc->mip);
  mm_people_free(&rc->people);
  free(rc->tight);
  free(rc->mentors);
  free(rc->pair_mentee);
  free(rc->pair_mentor);
  free(rc->pair_fixed);
  free(rc->col_pair);
  free(rc->chosen);
  free(rc);
}

size_t mm_rules_calendar_tight(const mm_rules_calendar *rc) { return rc->n_tight; }

size_t mm_rules_calendar_column_count(const mm_rules_calendar *rc) { return rc->jm ? (size_t)rc->mip.n_cols : 0; }

static bool touches_tight(const mm_rules_calendar *rc, uint32_t i, uint32_t j) {
  return rc->tight[rc->people.of_mentee[i]] || rc->tight[rc->people.of_mentor[j]];
}

/* The joint model over the pairs of g and the fixed pairs touching a tight
 * person; mentors get no place limit there (the program has its own rows). */
static bool add_pairs(mm_rules_calendar *rc, const mm_graph *g, const int64_t *fixed) {
  mm_slot none = {0, -1};
  for (uint32_t j = 0; j < g->n_right; j++) mm_joint_set_capacity(rc->jm, j, INT_MAX);
  for (uint32_t i = 0; i < g->n_left; i++) {
    if (fixed[i] >= 0) {
      if (touches_tight(rc, i, (uint32_t)fixed[i]) && mm_joint_add_pair(rc->jm, i, (uint32_t)fixed[i], 0, 1, none) < 0)
        return false;
      continue;
    }
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++)
      if (touches_tight(rc, i, g->adj[k]) && mm_joint_add_pair(rc->jm, i, g->adj[k], g->w[k], 0, none) < 0)
        return false;
  }
  return true;
}

/* Which fixed pairs of the view are held to a slot (pair_fixed 1): those a
 * diary can book together, kept slots first, then in the view's order, as
 * the scheduler books fixed pairs before the others.  The rest (2) may go
 * without one, as they would without rules, and are then listed
 * unscheduled; requiring every one of them made the rules look impossible. */
static bool hold_fixed(mm_rules_calendar *rc, size_t n_pairs) {
  mm_error ignored;
  mm_error_clear(&ignored);
  mm_diary *d = mm_diary_create(rc->p, &ignored);
  bool ok = d != NULL;
  for (int pinned = 1; ok && pinned >= 0; pinned--) {
    for (size_t k = 0; ok && k < n_pairs; k++) {
      uint32_t i = rc->pair_mentee[k], j = rc->pair_mentor[k];
      if (!rc->pair_fixed[k] || (mm_problem_pin(rc->p, i) >= 0) != pinned) continue;
      int booked = mm_diary_try_book(d, i, j);
      if (booked == 0) rc->pair_fixed[k] = 2;
      ok = booked >= 0;
    }
  }
  mm_diary_free(d);
  return ok;
}

/* The view rules.c reads, from the joint model just written. */
static bool fill_view(mm_rules_calendar *rc, const int64_t *fixed) {
  size_t n_pairs = mm_joint_pair_count(rc->jm), n_cols = (size_t)rc->mip.n_cols;
  size_t pa = rc->pairs_alloc, ca = rc->cols_alloc;
  bool ok = mm_grow((void **)&rc->pair_mentee, &pa, n_pairs + 1, sizeof *rc->pair_mentee);
  pa = rc->pairs_alloc;
  ok = ok && mm_grow((void **)&rc->pair_mentor, &pa, n_pairs + 1, sizeof *rc->pair_mentor);
  pa = rc->pairs_alloc;
  ok = ok && mm_grow((void **)&rc->pair_fixed, &pa, n_pairs + 1, sizeof *rc->pair_fixed);
  pa = rc->pairs_alloc;
  ok = ok && mm_grow((void **)&rc->chosen, &pa, n_pairs + 1, sizeof *rc->chosen);
  ok = ok && mm_grow((void **)&rc->col_pair, &ca, n_cols + 1, sizeof *rc->col_pair);
  if (!ok) return false;
  rc->pairs_alloc = pa;
  rc->cols_alloc = ca;
  for (size_t k = 0; k < n_pairs; k++) {
    mm_joint_pair_people(rc->jm, k, &rc->pair_mentee[k], &rc->pair_mentor[k]);
    rc->pair_fixed[k] = fixed[rc->pair_mentee[k]] >= 0;
    rc->chosen[k] = -1;
  }
  for (size_t c = 0; c < n_cols; c++) rc->col_pair[c] = mm_joint_column_pair(rc->jm, c);
  if (!hold_fixed(rc, n_pairs)) return false;
  rc->view = (mm_rules_slots){&rc->mip, n_pairs, rc->pair_mentee, rc->pair_mentor, rc->pair_fixed, rc->col_pair,
                              rc->chosen};
  return true;
}

mm_status mm_rules_calendar_columns(mm_rules_calendar *rc, const mm_graph *g, const int64_t *fixed,
                                    const mm_rules_slots **out, mm_error *e) {
  *out = NULL;
  mm_joint_free(rc->jm);
  rc->jm = NULL;
  mm_mip_free(&rc->mip);
  mm_mip_init(&rc->mip);
  if (rc->n_tight == 0) return MM_OK;
  rc->jm = mm_joint_create(rc->p, &rc->people, rc->sl, 0, e);
  if (!rc->jm) return MM_ERR_NOMEM;
  if (!add_pairs(rc, g, fixed) || !mm_joint_write(rc->jm, &rc->mip) || !fill_view(rc, fixed)) {
    mm_error_set(e, NULL, "out of memory adding the calendar rows of the program rules");
    return MM_ERR_NOMEM;
  }
  *out = &rc->view;
  return MM_OK;
}

/* Marks a person tight; a person who mentors nobody holds one meeting at
 * most, so their week never needs rows. */
static bool mark(mm_rules_calendar *rc, uint32_t person) {
  if (rc->tight[person] || !rc->mentors[person]) return false;
  rc->tight[person] = 1;
  rc->n_tight++;
  return true;
}

/* Per pair of the assignment, the start the last program chose for it. */
static void hints(const mm_rules_calendar *rc, const mm_pair *pairs, size_t n_pairs, mm_slot *hint) {
  for (size_t k = 0; k < n_pairs; k++) hint[k] = (mm_slot){0, -1};
  if (!rc->jm) return;
  /* Both lists run by mentee, and a mentee's chosen start belongs to one pair. */
  size_t at = 0;
  for (size_t q = 0; q < rc->view.n_pairs; q++) {
    if (rc->chosen[q] < 0) continue;
    while (at < n_pairs && pairs[at].mentee < rc->pair_mentee[q]) at++;
    if (at < n_pairs && pairs[at].mentee == rc->pair_mentee[q] && pairs[at].mentor == rc->pair_mentor[q])
      hint[at] = mm_joint_column_slot(rc->jm, (size_t)rc->chosen[q]);
  }
}

mm_status mm_rules_calendar_check(mm_rules_calendar *rc, const int64_t *mentor_of, mm_slot *slot_of,
                                  size_t *unplaced, size_t *new_tight, mm_error *e) {
  size_t n = rc->p->side[MM_MENTEE].n, n_pairs = 0;
  *unplaced = *new_tight = 0;
  for (size_t i = 0; i < n; i++) n_pairs += mentor_of[i] >= 0;
  mm_pair *pairs = calloc(n_pairs + 1, sizeof *pairs);
  mm_slot *hint = malloc((n_pairs + 1) * sizeof *hint);
  mm_slot *chosen = malloc((n_pairs + 1) * sizeof *chosen);
  mm_occurrence *occ = NULL;
  size_t n_occ = 0;
  mm_status st = MM_OK;
  if (!pairs || !hint || !chosen) {
    st = MM_ERR_NOMEM;
    mm_error_set(e, NULL, "out of memory scheduling the program rules' assignment");
    goto done;
  }
  for (size_t i = 0, k = 0; i < n; i++) {
    slot_of[i] = (mm_slot){0, -1};
    if (mentor_of[i] < 0) continue;
    pairs[k].mentee = i;
    pairs[k++].mentor = (size_t)mentor_of[i];
  }
  hints(rc, pairs, n_pairs, hint);
  if ((st = mm_schedule_pairs(rc->sl, pairs, n_pairs, hint, chosen, &occ, &n_occ, NULL, e)) != MM_OK) goto done;
  for (size_t k = 0; k < n_pairs; k++) {
    slot_of[pairs[k].mentee] = chosen[k];
    if (pairs[k].scheduled) continue;
    ++*unplaced;
    *new_tight += mark(rc, rc->people.of_mentee[pairs[k].mentee]);
    *new_tight += mark(rc, rc->people.of_mentor[pairs[k].mentor]);
  }
done:
  free(pairs);
  free(hint);
  free(chosen);
  free(occ);
  return st;
}
