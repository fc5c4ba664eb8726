/* joint.h: the exact model of pairs and their weekly starts together (engine/joint.c).
 *
 * A plain assignment can give a mentor more mentees than their week can
 * hold.  The joint model decides pairs and meeting slots at once: one binary
 * column per (pair, weekly start), at most one column per mentee, at most
 * the mentor's capacity per mentor, and for every person and every start of
 * one of their busy intervals (a meeting plus the buffer, every occurrence
 * of the series) at most one column whose busy time covers that instant.
 * Instants are absolute UTC quarter hours, so clock changes, biweekly and
 * monthly series are exact.  The objective is big +
 * score per column: most pairs with a slot first, then the highest total.
 * Pairs outside the model keep their slots; their busy time removes the
 * columns it would collide with.
 */
#ifndef MM_JOINT_H
#define MM_JOINT_H

#include "mip.h"
#include "schedule.h"

typedef struct mm_joint mm_joint;

/* An empty model over p's people; big must exceed the largest possible
 * total score of the model's pairs (so one more pair always wins).  Borrows
 * the slotter and people.  NULL with e filled when memory is short. */
mm_joint *mm_joint_create(const mm_problem *p, const mm_people *people, mm_slotter *sl, int64_t big,
                          mm_error *e);
void mm_joint_free(mm_joint *j);

/* Busy time of a person from pairs outside the model: n intervals [starts[k],
 * starts[k] + busy_s), tagged with owner.  Must come before the pairs it
 * affects.  0 when memory is short. */
int mm_joint_add_busy(mm_joint *j, uint32_t person, const int64_t *starts, int n, int64_t busy_s,
                      uint32_t owner);
/* Forgets the person's busy time tagged owner. */
void mm_joint_drop_busy(mm_joint *j, uint32_t person, uint32_t owner);
/* Forgets the pairs (and columns) added so far, keeping busy time and
 * places, so one model object serves a sequence of neighbourhoods. */
void mm_joint_clear_pairs(mm_joint *j);
/* Keeps at most cap weekly starts per pair from now on, spread evenly over
 * the valid ones in the slotter's order (0 = all, the default; the answer
 * is then exact for the model, else for the starts kept). */
void mm_joint_set_column_cap(mm_joint *j, size_t cap);
/* Sets the places a mentor has in the model (default 0). */
void mm_joint_set_capacity(mm_joint *j, uint32_t mentor, int places);
/* Adds a pair the model may choose, with one column per valid weekly start
 * that avoids the busy time; a required pair uses no place of its mentor
 * (the caller reserved it).  start_slot (quarter -1 = none) is the pair's
 * slot in a feasible solution the caller knows, handed to the solver as its
 * first incumbent.  Returns the model's index of the pair, or -1 when memory
 * is short. */
long mm_joint_add_pair(mm_joint *j, uint32_t mentee, uint32_t mentor, int64_t score, int required,
                       mm_slot start_slot);

typedef struct {
  int optimal;          /* every component proven optimal */
  int64_t pairs;        /* pairs with a slot in the answer */
  int64_t score;        /* their total score */
  double bound;         /* proven upper bound on big * pairs + score of the model */
  size_t columns, rows, components;
} mm_joint_stats;

/* Solves the model, component by component (groups of pairs linked through
 * people), each under time_limit_s (0 = none).  slot[k] receives the chosen
 * slot of pair k (quarter -1 = not chosen).  Without a time limit every
 * component is solved to optimality.  Deterministic. */
mm_status mm_joint_solve(mm_joint *j, double time_limit_s, mm_slot *slot, mm_joint_stats *st,
                         mm_error *e);
/* Pairs added so far, and the people of pair k. */
size_t mm_joint_pair_count(const mm_joint *j);
void mm_joint_pair_people(const mm_joint *j, size_t k, uint32_t *mentee, uint32_t *mentor);

/* Writes the whole model into m (empty, mip.h) as one program, without the
 * split into components: column c of m is column c of the model (objective
 * big + score), with its mentee, mentor and clash rows.  For callers that
 * add rows of their own over the columns (the program rules, rules_slots.c).
 * 0 when memory is short. */
int mm_joint_write(mm_joint *j, mm_mip *m);
/* Columns so far, and the pair and weekly start of column c. */
size_t mm_joint_column_count(const mm_joint *j);
size_t mm_joint_column_pair(const mm_joint *j, size_t c);
mm_slot mm_joint_column_slot(const mm_joint *j, size_t c);

#endif
