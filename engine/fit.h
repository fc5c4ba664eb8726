/* fit.h: makes the optimal assignment fit everyone's week (engine/fit.c).
 *
 * The calendar-blind assignment (solve + prove) is optimal and its value a
 * valid bound, but a mentor can receive more mentees than their free hours
 * hold.  This phase schedules it; when some pair gets no slot it re-decides
 * pairs and slots together with the joint model (joint.h): the whole
 * problem when it is small (proven optimal), otherwise the neighbourhood of
 * the pairs that clash with the rest fixed (feasible, with the blind bound).
 */
#ifndef MM_FIT_H
#define MM_FIT_H

#include "candidates.h"
#include "joint.h"

typedef enum {
  MM_FIT_SCHEDULED = 0,    /* the blind optimum fitted as it was */
  MM_FIT_WHOLE = 1,        /* joint model over every eligible pair */
  MM_FIT_NEIGHBOURHOOD = 2 /* joint model around the clashes, the rest fixed */
} mm_fit_how;

typedef struct {
  mm_fit_how how;
  int joint_optimal;       /* the joint model(s) were solved to proven optimality */
  size_t clashes;          /* pairs of the blind optimum the greedy schedule could not place */
  size_t free_pairs;       /* pairs of the blind optimum re-decided */
  size_t mip_pairs;        /* candidate pairs in the joint model */
  mm_joint_stats joint;
} mm_fit_report;

/* Input: mentor_of[i] is mentee i's mentor in the blind optimum (or -1),
 * required[i] its required mentor (or -1; those pairs stay whatever
 * happens), places[j] mentor j's places left after the required pairs.
 * Output: mentor_of[] the final assignment, every pair of which has a slot
 * in slot_of[i] except required pairs that cannot get one; the slots fit
 * together (mm_schedule_pairs accepts them as hints); moved[i] = the
 * mentee's blind mentor when the fit took it away and the mentee lost by
 * it: left out, or given a mentor scoring lower (else -1; a swap between
 * mentors scoring the same for it is no move to explain).
 * time_limit_s bounds each GLPK solve (0: the fit's own default).
 * Deterministic; single-threaded. */
mm_status mm_fit_calendars(const mm_problem *p, const mm_scorer *s, const mm_candidates *c,
                           const mm_people *people, mm_slotter *sl, const int64_t *required,
                           const int32_t *places, double time_limit_s, int64_t *mentor_of,
                           mm_slot *slot_of, int64_t *moved, mm_fit_report *rep, mm_error *e);

#endif
