/* internal.h: the engine's private data layout, shared by its modules.
 *
 * People are stored column-wise (structure of arrays) per side so that the
 * scoring kernel streams only the columns a criterion needs.  Every string
 * that is compared (tags, goals, languages, locations, countries,
 * departments) is interned into a dictionary once, so comparisons in the hot
 * loop are integer compares.  Nothing here is visible outside engine/.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "mentormatch.h"

#include <stdbool.h>

/* Hot loops are compiled for several x86-64 levels and the best one for the
 * running CPU is picked when the program loads, so one binary uses AVX-512
 * or AVX2 where present and still runs on any x86-64. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(MM_NO_MULTIVERSION)
#define MM_MULTIVERSION __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MM_MULTIVERSION
#endif

#define MM_NONE (-1)
#define MM_DICT_NOMEM (-2)
#define MM_NO_SENIORITY INT32_MIN
#define MM_MAX_LEVEL 5
#define MM_DEFAULT_LEVEL 3
#define MM_MAX_CAPACITY 1000
#define MM_MAX_TAGS 256 /* skills, goals or languages per person */

/* An interning dictionary: case-folded, trimmed strings to dense ids. */
typedef struct {
  char **keys;      /* id -> normalised string (in arena) */
  char **shown;     /* id -> first spelling met, trimmed (in arena; may be keys[id]) */
  uint32_t n, cap;  /* ids in use, keys capacity */
  uint64_t *slots;  /* open addressing: key hash << 32 | (id + 1), 0 = empty */
  uint32_t n_slots; /* power of two */
  uint32_t *lens;   /* id -> bytes in its key */
  struct mm_dict_block *arena; /* the strings, in blocks freed together */
} mm_dict;

void mm_dict_init(mm_dict *d);
void mm_dict_free(mm_dict *d);
/* Normalised lookup-or-insert (trim + ASCII case fold).  Returns the id, or
 * MM_DICT_NOMEM when memory is short.  An empty string after trimming
 * returns MM_NONE. */
int32_t mm_dict_intern(mm_dict *d, const char *s);
/* Exact-key variant: no normalisation (ids are case-sensitive); MM_DICT_NOMEM
 * when memory is short. */
int32_t mm_dict_intern_exact(mm_dict *d, const char *s, bool *was_new);
/* Lookup without inserting; -1 if absent. */
int32_t mm_dict_find_exact(const mm_dict *d, const char *s);

/* A zone: its name and its UTC offset history over the program window. */
typedef struct {
  char *name;
  mm_zone_period *periods; /* sorted by at; periods[0].at <= window start */
  size_t n_periods;
} mm_zone;

/* Offset of a zone at UTC second t. */
int32_t mm_zone_offset_at(const mm_zone *z, int64_t t);
/* The index of the period holding t (0 before the first; n_periods > 0). */
size_t mm_zone_period_at(const mm_zone *z, int64_t t);
/* Whether the zone's offset changes at an instant in (after, until]. */
bool mm_zone_changes_in(const mm_zone *z, int64_t after, int64_t until);

/* Column storage for one side.  Ragged lists use CSR offsets (n + 1). */
typedef struct {
  size_t n, alloc;
  char **id, **name, **email, **location_text, **manager_id;
  int32_t *zone;
  mm_week *avail;      /* local weekly availability */
  uint32_t *skill_off; /* CSR into skill_tag / skill_level */
  int32_t *skill_tag;
  uint8_t *skill_level;
  size_t skill_alloc;
  uint32_t *goal_off;
  int32_t *goal_tag;
  size_t goal_alloc;
  uint32_t *lang_off;
  int32_t *lang_tag;
  size_t lang_alloc;
  int32_t *location, *country, *department; /* dictionary ids or MM_NONE */
  int32_t *seniority;                       /* MM_NO_SENIORITY when not given */
  int32_t *capacity;                        /* mentors only */
  int32_t *email_key;                       /* p->emails id or MM_NONE */
  int32_t *group;                           /* p->groups id (quota column) or MM_NONE */
  int32_t *priority;                        /* mentees: higher first; 0 when not given */
} mm_side_data;

typedef struct {
  uint32_t mentee, mentor;
  mm_rule rule;
  long source_line;
  int kept; /* from mm_problem_add_kept (its line is in the --keep file) */
} mm_pair_rule;

struct mm_problem {
  mm_options opt;
  int64_t window_from, window_to; /* UTC seconds, see mm_options_window */
  int64_t frame_start;            /* start date 00:00 at UTC+14: the program's first instant */
  int weeks;                      /* program weeks covered by every listed occurrence */
  mm_zone *zones;
  size_t n_zones, zones_alloc;
  mm_dict zone_names;
  mm_dict skills, goals, languages, places; /* places: locations, countries, departments */
  mm_dict ids[2];   /* exact ids per side; id key == person index */
  mm_dict emails;   /* normalised e-mail addresses, both sides */
  mm_dict groups;   /* values of the quota column (quota.column), both sides */
  mm_side_data side[2];
  mm_pair_rule *rules;
  size_t n_rules, rules_alloc;
  uint32_t *rule_slots;  /* hash index of rules by pair: rule index + 1, 0 = empty */
  size_t rule_slots_n;   /* power of two */
  int32_t *required_rule; /* per mentee: index of its require rule, or -1 */
  size_t required_alloc;
  mm_pair_rule *previous; /* earlier cohorts' pairs (engine/history.c); rule unused */
  size_t n_previous, previous_alloc;
  int32_t *pin_slot;      /* per mentee (pin_n of them): kept slot in the mentor's local week, or -1 */
  bool has_priority;      /* some mentee's priority differs from another's */
  size_t pin_n;
};

/* mm_problem_add_rule for a rules file (kept 0) or a kept pair (kept 1):
 * the same rule twice is refused unless one of the two is a kept pair. */
mm_status mm_problem_add_rule_from(mm_problem *p, size_t mentee, size_t mentor, mm_rule rule,
                                   long source_line, int kept, mm_error *e);

/* The kept slot of a mentee's pair, or -1 (engine/history.c). */
int32_t mm_problem_pin(const mm_problem *p, size_t mentee);

/* ---- caller-filled structs of any header version (engine/sized.c) ------ */

/* Smallest sizes accepted: the layouts of 0.2.0, the first with a size field. */
#define MM_OPTIONS_MIN_SIZE (offsetof(mm_options, time_limit_s) + sizeof(double))
#define MM_PERSON_MIN_SIZE (offsetof(mm_person, capacity) + sizeof(int))
#define MM_SCORES_MIN_SIZE (offsetof(mm_scores, edge_score) + sizeof(const int64_t *))

/* Copies the first out_size bytes of full (a complete default struct) to out
 * and stores out_size in its size field. */
void mm_sized_write(void *out, size_t out_size, const void *full, size_t full_size);
/* Copies the caller's struct in over full (which holds the defaults), keeping
 * full's size; MM_ERR_INVALID (field "size") when in is shorter than
 * min_size (never initialised) or longer than full (a newer header). */
mm_status mm_sized_read(void *full, size_t full_size, const void *in, size_t min_size,
                        const char *what, mm_error *e);
/* The caller's options over the defaults (see mm_sized_read). */
mm_status mm_options_read(const mm_options *in, mm_options *out, mm_error *e);

/* ---- week masks (engine/week.c) ---------------------------------------- */

/* Bit s of out = bit (s - shift) mod 672 of in: a cyclic move later by shift slots. */
void mm_week_rotate(const mm_week *in, int shift, mm_week *out);
/* Bit s of out set iff slots s .. s+len-1 (cyclic) are all set in in. */
void mm_week_starts(const mm_week *in, int len, mm_week *out);
int mm_week_count(const mm_week *m);
void mm_week_and(mm_week *acc, const mm_week *m);
bool mm_week_test(const mm_week *m, int slot);
void mm_week_set(mm_week *m, int slot);
bool mm_week_any(const mm_week *m);

/* ---- program frame (engine/frame.c) ------------------------------------ */

/* Distinct values, in 15-minute slots, of offset(a) - offset(b) over the
 * program window, ascending; returns how many (at most max). */
size_t mm_frame_deltas(const mm_problem *p, int zone_a, int zone_b, int32_t *delta, size_t max);
/* A mentee's availability seen in a mentor zone's local frame, kept only
 * where it holds under every offset difference of the window. */
void mm_frame_mentee_in(const mm_problem *p, size_t mentee, int mentor_zone, mm_week *out);
/* A mentor's own local slots that happen exactly once as local times on
 * every day of the window (slots a spring-forward change skips, or a
 * fall-back change repeats, are removed). */
void mm_frame_mentor_mask(const mm_problem *p, size_t mentor, mm_week *out);
/* Valid meeting starts of a pair, in the mentor's local week: the scorer's
 * time-zone criterion and the scheduler both read availability through this. */
void mm_frame_pair_starts(const mm_problem *p, size_t mentee, size_t mentor, mm_week *out);
/* Meeting length in slots. */
int mm_frame_meeting_slots(const mm_problem *p);
/* The buffer between one person's meetings, in quarter hours, rounded up. */
int mm_frame_buffer_slots(const mm_problem *p);
/* The most meeting series each mentor's week can hold at once, whoever the
 * mentees are, counting only the hours some mentee's week also holds:
 * out[j] per mentor, an upper bound, so capping a mentor's capacity with it
 * keeps the calendar-blind assignment a relaxation of matching with
 * calendars (see frame.c).  0 when memory is short. */
int mm_frame_hour_capacities(const mm_problem *p, int32_t *out);

/* ---- program frame arithmetic (engine/options.c) ------------------------ */

/* Weeks between occurrences: 1 weekly, 2 biweekly, 4 monthly. */
int mm_options_interval_weeks(const mm_options *o);
/* The settings key of quota k ("quota.cross_location", ...). */
const char *mm_quota_key(int k);
/* Highest series index any pair can list (first meetings and checkpoints). */
int mm_options_last_index(const mm_options *o);
/* The program's first instant: the start date's 00:00 at UTC+14, the
 * earliest moment it is the start date anywhere. */
int64_t mm_options_frame_start(const mm_options *o);
/* Weeks from the frame start that hold every listed occurrence. */
int mm_options_weeks(const mm_options *o);

/* ---- growable arrays (engine/mip.c) ------------------------------------- */

/* Makes room for need elements of size bytes in *arr (capacity *alloc,
 * doubling from 64); 0 when memory is short, leaving *arr as it was. */
int mm_grow(void **arr, size_t *alloc, size_t need, size_t size);

/* ---- people (engine/people.c) ------------------------------------------ */

/* One person per group of rows that share an id across the sides or a
 * normalised e-mail address (on either side): dense numbers 0..n-1. */
typedef struct {
  uint32_t *of_mentor; /* per mentor row */
  uint32_t *of_mentee; /* per mentee row */
  uint32_t n;
} mm_people;

/* Fills *out (owned; free with mm_people_free).  MM_ERR_NOMEM with e filled
 * and *out empty when memory is short.  Deterministic. */
mm_status mm_people_build(const mm_problem *p, mm_people *out, mm_error *e);
/* NULL and an emptied record are allowed. */
void mm_people_free(mm_people *pp);

/* Days since 1970-01-01 of a civil date, and back (engine/calendar.c). */
int64_t mm_days_from_civil(int y, int m, int d);
void mm_civil_from_days(int64_t days, int *y, int *m, int *d);

/* An index with a 64-bit key, for lists sorted by mm_keyed_desc: larger
 * key first, then lower index (a total order, so a sorted list never
 * depends on qsort's stability). */
typedef struct {
  int64_t key;
  uint32_t index;
} mm_keyed;

static inline int mm_keyed_desc(const void *a, const void *b) {
  const mm_keyed *x = a, *y = b;
  if (x->key != y->key) return x->key > y->key ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

#endif
