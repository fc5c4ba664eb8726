/* generator.h: synthetic but plausible workforces, from a seed, for benchmarks and tests.
 *
 * Benchmarks need rosters of any size that look like a real company's HR
 * export: offices on every continent with their time zones, a few remote
 * people, popular and rare skills, office-hours availability that people in
 * one office tend to share, managers, languages and capacities.  Real data
 * cannot be committed, and large files should not be, so the tool makes them
 * on demand ("mentormatch generate").  The same seed and sizes always give
 * the same bytes, on every platform: the generator uses its own PRNG
 * (xoshiro256**, seeded through splitmix64) and integer arithmetic only.
 *
 * Each person draws from streams keyed by (seed, side, index), so a person
 * does not depend on the order of generation.  Mentors are sketched first
 * (office, department, seniority) so that some mentees can name a mentor of
 * their own office and department as manager, which makes the engine's
 * manager rule bite.
 */
#ifndef MM_IO_GENERATOR_H
#define MM_IO_GENERATOR_H

#include "mentormatch.h"

#include <stdint.h>
#include <stdio.h>

/* The largest roster the generator writes per side. */
#define IO_GEN_MAX_PEOPLE 10000000u

typedef struct io_generator io_generator;

/* Prepares a workforce of n_mentees and n_mentors (each 0..IO_GEN_MAX_PEOPLE)
 * from seed.  Returns NULL with e filled (MM_ERR_INVALID for a size out of
 * range, MM_ERR_NOMEM).  Free with io_generator_free.  Memory is a few bytes
 * per mentor; rows are made while writing. */
io_generator *io_generator_create(size_t n_mentees, size_t n_mentors, uint64_t seed, mm_error *e);

/* NULL does nothing. */
void io_generator_free(io_generator *g);

/* ---- shapes: rosters unlike the default company (issue 9) -------------- */

typedef enum {
  IO_GEN_TIES_LOW = 0, /* the default: several skills and goals each, many distinct scores */
  IO_GEN_TIES_HIGH     /* one or two popular skills and goals each: many pairs tie at the top */
} io_gen_ties;

/* How a roster departs from the default company.  Fill with
 * io_generator_shape_init first, so new fields never break callers. */
typedef struct {
  io_gen_ties ties;
  uint32_t capacity_permille; /* every mentor's capacity times this / 1000, rounded, 1..1000 */
  int identical;              /* only id, timezone, availability: everyone Europe/London,
                                 Mon-Fri 09:00-17:00, capacity 1 (capacity_permille still applies) */
} io_generator_shape;

/* The default shape: low ties, capacity x1, not identical. */
void io_generator_shape_init(io_generator_shape *s);

/* The largest --capacity-factor, in thousandths. */
#define IO_GEN_MAX_CAPACITY_PERMILLE 1000000u

/* Gives g a shape other than the default.  MM_ERR_INVALID with e filled when
 * capacity_permille is 0 or above IO_GEN_MAX_CAPACITY_PERMILLE. */
mm_status io_generator_set_shape(io_generator *g, const io_generator_shape *s, mm_error *e);

/* Calendar shape of the rosters, the case where meeting slots are scarce:
 * narrow gives three people in ten one to three short windows a week (60
 * to 180 minutes on one or two weekdays, now and then a weekend day, between
 * 08:00 and 21:00 local; the others keep office-hours templates) and
 * mentors a capacity of 2 to 4; both_share (0..1) of the mentors are also listed as
 * mentees, the same person in both files (same id, e-mail, zone, office and
 * week).  Call before writing; the default (0, 0) keeps office-hours
 * templates and writes the same bytes as before the option existed.
 * MM_ERR_INVALID (e filled) for a share out of range. */
mm_status io_generator_set_calendar(io_generator *g, int narrow, double both_share, mm_error *e);

/* Writes the roster of one side to f as CSV with a header row: id, name,
 * email, timezone, availability, skills, goals, location, country,
 * department, manager_id, languages, seniority, and capacity for mentors.
 * name is what errors call the output.  MM_ERR_IO (e names the output) when
 * a write fails.  g is not changed, so one generator may write both sides
 * from two threads at once. */
mm_status io_generator_write(const io_generator *g, mm_side side, FILE *f, const char *name,
                             mm_error *e);

#endif
