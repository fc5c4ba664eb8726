/* mentormatch.h: the one public header of the mentormatch engine.
 *
 * The engine knows rosters, scores, candidate graphs, solving and meeting
 * slots as data in memory.  It never opens a file (the zones component at
 * the end is the one part that reads, and only the tz database), never
 * prints and never exits: the caller (the mentormatch tool, or a host
 * program) turns bytes into the values below and back, and owns the
 * messages and exit codes.  Data flows one way:
 *
 *   mm_problem_create -> mm_problem_add_zone(_named) / add_person / add_rule
 *   -> mm_match (score -> select -> solve -> prove -> schedule) -> mm_result
 *
 * Scores are fixed point: one unit is 1e-4 of a score point, so a match score
 * in [0, 1] is an integer in [0, 10000] and results never depend on floating
 * point evaluation order or on the number of threads.
 *
 * Thread safety: the library keeps no global state.  Distinct handles may
 * be used from distinct threads at the same time; a problem or a result may
 * be read (const functions: mm_match, mm_score_matrix, the accessors) from
 * several threads at once, but must not be changed (add_*, free) while
 * anything else uses it.  mm_match uses OpenMP internally
 * (mm_options.threads) and runs GLPK, when it is chosen, on a private thread
 * of its own: a host that uses GLPK itself keeps its hooks, its environment
 * and its problem objects untouched (GLPK's state is per thread).
 *
 * Compatibility: the version follows semantic versioning (README).  Structs
 * the caller fills (mm_options, mm_person, mm_scores) start with a size
 * field set by their init function, so a program built against an older
 * header keeps working when fields are added at their end; structs the
 * library hands out (mm_summary, mm_pair, mm_occurrence, mm_left_out) are
 * read through pointers only, never allocated by the caller, and only ever
 * grow at their end.  mm_error, mm_week, mm_tag and mm_zone_period are
 * fixed for good.
 *
 * Zones: mm_problem_add_zone takes a zone as offset periods; the zones
 * component (mm_zone_* below, the library's only code that reads files: the
 * system tz database, read-only) turns a name or a TZif file's bytes into
 * them, or registers a zone by name in one call.
 */
#ifndef MENTORMATCH_H
#define MENTORMATCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Everything declared from here to the matching pop is the library's API,
 * the only symbols the shared library exports (it is built with
 * -fvisibility=hidden). */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* ---- version ------------------------------------------------------------ */

#define MM_VERSION_MAJOR 0
#define MM_VERSION_MINOR 2
#define MM_VERSION_PATCH 0
#define MM_VERSION_NUMBER (MM_VERSION_MAJOR * 10000 + MM_VERSION_MINOR * 100 + MM_VERSION_PATCH)
#define MM_STRINGIFY_(x) #x
#define MM_STRINGIFY(x) MM_STRINGIFY_(x)
#define MM_VERSION \
  MM_STRINGIFY(MM_VERSION_MAJOR) "." MM_STRINGIFY(MM_VERSION_MINOR) "." MM_STRINGIFY(MM_VERSION_PATCH)

/* The library's version at run time, as MM_VERSION_NUMBER spells it
 * (major * 10000 + minor * 100 + patch): compare it with the header's to
 * detect a shared library older than the program.  Thread safe. */
unsigned mm_version(void);
/* The same as "MAJOR.MINOR.PATCH".  Static storage; thread safe. */
const char *mm_version_string(void);

/* ---- status and errors ------------------------------------------------ */

/* Values are never renumbered. */
typedef enum {
  MM_OK = 0,
  MM_ERR_NOMEM = 1,      /* an allocation failed */
  MM_ERR_PARSE = 2,      /* a text value is malformed */
  MM_ERR_INVALID = 3,    /* well formed but not allowed (range, duplicate, unknown id) */
  MM_ERR_INFEASIBLE = 4, /* program rules contradict each other */
  MM_ERR_SOLVER = 5,     /* the solver failed or could not prove optimality */
  MM_ERR_IO = 6,         /* reading or writing failed (io layer) */
  MM_ERR_LIMIT = 7,      /* a size or time limit was reached */
  MM_ERR_USAGE = 8       /* bad command-line usage (io layer) */
} mm_status;

/* Short English name of a status ("ok", "out of memory", ...).  Static storage. */
const char *mm_status_str(mm_status s);

/* Where and why something failed.  The engine fills field and message; the io
 * layer adds file, line and column (1-based; 0 = not known). */
typedef struct {
  char file[256];
  long line;
  long col;
  char field[64];
  char message[512];
} mm_error;

/* Empties an error record.  NULL is allowed. */
void mm_error_clear(mm_error *e);
/* Sets field (may be NULL) and a printf-style message, keeping the location.
 * NULL e is allowed (does nothing).  Returns nothing; callers return a status. */
void mm_error_set(mm_error *e, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Sets the location of an error (file may be NULL to keep the current one). */
void mm_error_locate(mm_error *e, const char *file, long line, long col);
/* Formats compiler style: "file:line:col: error: field: message".  Parts that
 * are unknown are left out.  Returns the length it wanted (like snprintf). */
size_t mm_error_format(const mm_error *e, char *buf, size_t size);

/* ---- options ----------------------------------------------------------- */

typedef enum { MM_CADENCE_WEEKLY = 0, MM_CADENCE_BIWEEKLY = 1, MM_CADENCE_MONTHLY = 2 } mm_cadence;
typedef enum { MM_SOLVER_AUTO = 0, MM_SOLVER_GLPK = 1, MM_SOLVER_FLOW = 2 } mm_solver;
/* optimal: most matched, then highest total (subject to the program rules);
 * stable: mentee-proposing deferred acceptance (engine/stable.c). */
typedef enum { MM_MODE_OPTIMAL = 0, MM_MODE_STABLE = 1 } mm_mode;
/* The attributes a diversity quota counts pairs across. */
enum { MM_QUOTA_LOCATION = 0, MM_QUOTA_COUNTRY = 1, MM_QUOTA_DEPARTMENT = 2, MM_QUOTAS = 3 };
#define MM_PREVIOUS_FORBID (-1)

#define MM_MAX_CHECKPOINTS 16
#define MM_CRITERIA 4
enum { MM_CRIT_SKILLS = 0, MM_CRIT_GOALS = 1, MM_CRIT_TIMEZONE = 2, MM_CRIT_DIVERSITY = 3 };

/* Where a long run stands, for a caller that shows progress. */
typedef struct {
  const char *phase; /* "score", "solve", "prove", "schedule" (static) */
  uint64_t done;     /* units done in this phase */
  uint64_t total;    /* units in the phase; 0 when not known in advance */
  const char *unit;  /* what is counted: "pairs", "rounds" (static) */
  double elapsed_s;  /* seconds since the phase began */
} mm_progress;

/* Receives progress; see mm_options.progress. */
typedef void (*mm_progress_fn)(void *ctx, const mm_progress *p);

/* Fill with mm_options_init first, then change fields: new fields never
 * break callers (the size field tells the library which fields the caller
 * knows; later ones keep their defaults). */
typedef struct {
  size_t size;                /* set by mm_options_init; do not change */
  double weight[MM_CRITERIA]; /* relative weights, >= 0, not all 0 */
  int seniority_gap;          /* mentor minus mentee at least this (default 1) */
  int meeting_minutes;        /* 15..240, multiple of 15 (default 60) */
  mm_cadence cadence;         /* default weekly; monthly = every fourth week */
  int first_meetings;         /* occurrences listed from the first (default 3) */
  int checkpoint_days[MM_MAX_CHECKPOINTS]; /* default 30, 60, 90 */
  int n_checkpoints;
  int start_year, start_month, start_day; /* program start date */
  int threads;                /* 0 = OpenMP default */
  mm_solver solver;           /* default auto */
  int candidates;             /* best candidates kept per mentee before proof (default 16) */
  double time_limit_s;        /* 0 = none */
  /* Progress of mm_match for a caller that shows it (NULL = none, the
   * default): called on the thread that called mm_match, when each phase
   * begins and ends and at most every 0.1 s between.  It must return
   * quickly and must not call the engine.  Never changes any result. */
  mm_progress_fn progress;
  void *progress_ctx;
  int buffer_minutes;         /* 0..240: least gap between one person's meetings (default 0) */
  int joint_whole_pairs;      /* conflicts among at most this many eligible pairs are
                                 solved as one joint model, proven (default 2000; 0 = never) */
  int keep_graph;             /* 1: mm_match's result keeps the graph its solver last solved
                                 (mm_result_graph), for bench/ to hand to peer solvers */
  mm_mode mode;               /* default optimal */
  /* Earlier cohorts' pairs (mm_problem_add_previous): MM_PREVIOUS_FORBID
   * (default) forbids them, a value 0..10000 takes that many 1e-4 points off
   * their score (never below 0). */
  int32_t previous_penalty;
  /* Program rules (engine/rules.c); zero values mean no rule. */
  int32_t quota_cross[MM_QUOTAS]; /* least share of pairs across, 1e-4 units (6000 = 0.6) */
  int max_per_department;     /* most mentees of one department per mentor */
  int min_per_mentor;         /* 1: as many mentors as possible get a mentee */
  int objective_maxmin;       /* 1: raise the lowest matched score, then the total */
  int group_proportional;     /* 1: each person group gets its share of matches */
  char quota_column[64];      /* io layer: roster column read into mm_person.group ("" = none) */
  double mip_gap;             /* rules solver: stop at this relative score gap (0 = exact) */
  /* Up to this many pairs (mentees x mentors) the graph keeps every eligible
   * pair; beyond, each mentee keeps `candidates` mentors and the proof
   * prices the rest (default 4 million; tests lower it). */
  uint64_t full_graph_pairs;
} mm_options;

/* Sets every field to its default and size to the caller's sizeof. */
#define mm_options_init(o) mm_options_init_size((o), sizeof *(o))
void mm_options_init_size(mm_options *o, size_t size);
/* Checks ranges; on failure names the option in e->field. */
mm_status mm_options_check(const mm_options *o, mm_error *e);

/* The UTC instants [*from, *to) that zone data handed to mm_problem_add_zone
 * must cover for these options (the program's weeks plus a margin). */
void mm_options_window(const mm_options *o, int64_t *from, int64_t *to);

/* ---- weekly availability ---------------------------------------------- */

#define MM_SLOT_MINUTES 15
#define MM_SLOTS_PER_DAY 96
#define MM_SLOTS_PER_WEEK 672
#define MM_WEEK_WORDS 11

/* A week of 15-minute slots in some frame; bit d*96+q is day d (0 = Monday)
 * and quarter q (0 = 00:00-00:15).  Bits past 671 are always zero. */
typedef struct {
  uint64_t w[MM_WEEK_WORDS];
} mm_week;

/* Parses local weekly windows such as "Mon-Fri 09:00-17:00" or
 * "Tue,Thu 14:00-16:30; Sat 10:00-12:00" into *out.  On failure fills e's
 * field ("availability") and message (what was expected, got what). */
mm_status mm_availability_parse(const char *text, mm_week *out, mm_error *e);

/* ---- problem ------------------------------------------------------------ */

typedef struct mm_problem mm_problem;

/* Creates an empty problem for these options (copied; checked).  Returns NULL
 * and fills e when the options are invalid or memory is short.  Free with
 * mm_problem_free. */
mm_problem *mm_problem_create(const mm_options *o, mm_error *e);
/* NULL does nothing. */
void mm_problem_free(mm_problem *p);

/* One stretch of a zone's history: from UTC second `at` the local time is UTC
 * plus offset_s seconds. */
typedef struct {
  int64_t at;
  int32_t offset_s;
} mm_zone_period;

/* The UTC instants [*from, *to) that this problem's zones must cover (the
 * window of mm_options_window for the problem's options). */
void mm_problem_window(const mm_problem *p, int64_t *from, int64_t *to);

/* Index of the zone registered under this exact name, or -1. */
int mm_problem_zone_index(const mm_problem *p, const char *name);

/* Registers a time zone by name with its periods sorted by `at`; the first
 * period must start at or before the window of mm_options_window, and all
 * offsets must be whole multiples of 15 minutes.  Returns the zone's index
 * (the same index again for a name already added), or -1 with e filled:
 * field "timezone" when the zone is not valid, empty when memory ran out. */
int mm_problem_add_zone(mm_problem *p, const char *name, const mm_zone_period *periods,
                        size_t n, mm_error *e);

typedef enum { MM_MENTOR = 0, MM_MENTEE = 1 } mm_side;

typedef struct {
  const char *name; /* tag; compared case-insensitively after trimming */
  int level;        /* 1..5; 0 means the default 3 */
} mm_tag;

/* One roster row.  Strings may be NULL or empty (not given); the engine
 * copies everything it keeps. */
typedef struct {
  size_t size;    /* set by mm_person_init; do not change */
  const char *id; /* required, unique within its side */
  const char *name, *email;
  int zone; /* from mm_problem_add_zone */
  mm_week availability; /* local time, in the person's zone */
  const mm_tag *skills;
  size_t n_skills;
  const char *const *goals;
  size_t n_goals;
  const char *const *languages;
  size_t n_languages;
  const char *location, *country, *department, *manager_id;
  int has_seniority;
  long seniority;
  int capacity; /* mentors: 0..1000; ignored for mentees */
  const char *group; /* value of the quota column (quota.column), or NULL */
  long priority;     /* mentees: higher is matched first (before score); default 0 */
} mm_person;

/* Empties a person (zone 0, no tags) and sets size to the caller's sizeof. */
#define mm_person_init(person) mm_person_init_size((person), sizeof *(person))
void mm_person_init_size(mm_person *person, size_t size);

/* Adds a person.  MM_ERR_INVALID for a duplicate id (field "id"), a bad
 * level (field "skills"), a capacity out of range (field "capacity") or an
 * unknown zone index. */
mm_status mm_problem_add_person(mm_problem *p, mm_side side, const mm_person *person,
                                mm_error *e);

size_t mm_problem_count(const mm_problem *p, mm_side side);
/* Index of the person with this id, or -1. */
long mm_problem_find(const mm_problem *p, mm_side side, const char *id);
/* Borrowed strings, valid until mm_problem_free; "" when not given. */
const char *mm_problem_person_id(const mm_problem *p, mm_side side, size_t index);
const char *mm_problem_person_name(const mm_problem *p, mm_side side, size_t index);
const char *mm_problem_person_email(const mm_problem *p, mm_side side, size_t index);
const char *mm_problem_person_zone(const mm_problem *p, mm_side side, size_t index);
const char *mm_problem_person_location(const mm_problem *p, mm_side side, size_t index);

/* Who is one person, as the scheduler books them: rows that share an id
 * across the two rosters or an e-mail address (compared case-insensitively,
 * on either side) are one person.  Fills mentor_person[j] and
 * mentee_person[i] (caller-allocated, one per row) with dense person
 * numbers that depend on the rosters only.  MM_ERR_NOMEM with e filled. */
mm_status mm_problem_people(const mm_problem *p, size_t *mentor_person, size_t *mentee_person, mm_error *e);

typedef enum { MM_RULE_REQUIRE = 1, MM_RULE_FORBID = 2 } mm_rule;

/* Adds a program rule on a pair.  source_line is echoed in e->line when a
 * later check (mm_match) finds the rule impossible.  MM_ERR_INVALID when the
 * pair already has a contradicting rule or the same rule (field "rule",
 * naming the first line), or a mentee is required twice. */
mm_status mm_problem_add_rule(mm_problem *p, size_t mentee, size_t mentor, mm_rule rule,
                              long source_line, mm_error *e);

/* Called with each error mm_problem_check finds; returns nonzero to go on. */
typedef int (*mm_check_fn)(void *ctx, const mm_error *e);

/* Checks, without solving, what mm_match refuses before it solves: each
 * require rule and kept pair must be eligible, a kept slot must be a start
 * both people keep every week, no mentor may be required beyond its
 * capacity (field "rule" or "kept pair", e->line the rule's source_line),
 * and stable mode cannot take mentees of different priorities (field
 * "priority").  Every error goes to each; returns MM_OK when none,
 * MM_ERR_INVALID or MM_ERR_INFEASIBLE when there is one, MM_ERR_NOMEM with
 * e filled. */
mm_status mm_problem_check(const mm_problem *p, mm_check_fn each, void *ctx, mm_error *e);

/* Records that mentee and mentor were paired in an earlier cohort: the pair
 * is then forbidden or penalised as options.previous_penalty says.  Listing
 * a pair twice is harmless.  source_line is echoed in errors about it. */
mm_status mm_problem_add_previous(mm_problem *p, size_t mentee, size_t mentor, long source_line,
                                  mm_error *e);

/* A running pair's meeting slot, to be kept as it was: mentor-local weekday
 * (0 = Monday) and minutes after midnight. */
typedef struct {
  int weekday, minute;
} mm_slot_pin;

/* Keeps an existing pair (a require rule on it) and, when pin is not NULL,
 * its recurring slot: the scheduler books that slot and no other for it.
 * The same errors as mm_problem_add_rule. */
mm_status mm_problem_add_kept(mm_problem *p, size_t mentee, size_t mentor, const mm_slot_pin *pin,
                              long source_line, mm_error *e);

/* ---- results ------------------------------------------------------------ */

typedef struct mm_result mm_result;

typedef enum { MM_KIND_MEETING = 0, MM_KIND_CHECKPOINT = 1 } mm_occurrence_kind;

typedef struct {
  int index;           /* 0-based position in the recurring series */
  mm_occurrence_kind kind;
  int64_t start_utc;   /* seconds since the epoch */
  int64_t end_utc;
  int32_t mentor_offset_s; /* local = UTC + offset at start */
  int32_t mentee_offset_s;
  int in_person;       /* first meeting of a pair sharing a location */
} mm_occurrence;

typedef struct {
  size_t mentee, mentor; /* indices into the problem's sides */
  int64_t score;         /* units of 1e-4 */
  int32_t part[MM_CRITERIA]; /* per criterion; they add up to score (match only) */
  int required;          /* 1: fixed by a require rule; 2: kept (mm_problem_add_kept) */
  /* First recurring slot (match only): */
  int scheduled;         /* 0 when no slot could be found (see left-out list) */
  int interval_weeks;    /* 1, 2 or 4 */
  int slot_weekday;      /* mentor local, 0 = Monday */
  int slot_minute;       /* mentor local minutes after midnight */
  int mentee_weekday;    /* mentee local at the first occurrence */
  int mentee_minute;
  size_t first_occurrence, n_occurrences; /* range in mm_result_occurrence */
  /* Why this mentor (match only): */
  uint32_t rank;         /* 1 + the mentee's eligible mentors that score strictly higher */
  long moved_from;       /* the mentor of the calendar-blind optimum when the mentee was
                            moved because that mentor's week had no room left; else -1 */
  int mentor_places_without_hours; /* free places of this pair's mentor that its full week
                                      cannot host (see mm_pair_note); 0 when none */
  char note[160];        /* when rank > 1: the rule that bound, in words (match only) */
} mm_pair;

/* Why this mentor, in words, for a pair of a match result: the mentee was
 * moved from a higher-scoring mentor whose week was full, and/or this
 * mentor keeps free places that no free weekly hours can host.  Returns a
 * string the caller frees, or NULL when the pair has nothing to say (*nomem
 * 0) or memory is short (*nomem 1).  Thread-safe; p is the problem matched. */
char *mm_pair_note(const mm_problem *p, const mm_pair *pr, int *nomem);

typedef enum {
  MM_LEFT_UNMATCHED = 0,   /* a mentee with no mentor, or a mentor with no mentee */
  MM_LEFT_UNSCHEDULED = 1  /* a matched pair without a meeting slot */
} mm_left_kind;

typedef struct {
  mm_left_kind kind;
  mm_side side;
  size_t index;      /* person (UNMATCHED) or pair index (UNSCHEDULED) */
  char reason[256];  /* a sentence a person can act on */
} mm_left_out;

enum {
  MM_PHASE_SCORE = 0,
  MM_PHASE_SELECT = 1,
  MM_PHASE_SOLVE = 2,
  MM_PHASE_PROVE = 3,
  MM_PHASE_SCHEDULE = 4,
  MM_PHASE_FIT = 5, /* fitting the assignment to calendars (greedy schedule, joint model) */
  MM_PHASE_EXPLAIN = 6, /* reasons: why each mentee was left out, blocking pairs, each pair's rank and note */
  MM_PHASES = 7
};

/* How far the result is proven; values are never renumbered.  summary.json
 * spells them as mm_solution_status_str does. */
typedef enum {
  MM_SOLUTION_UNKNOWN = 0,   /* no solve ran (an error stopped it) */
  MM_SOLUTION_OPTIMAL = 1,   /* proven optimal: total_score == bound */
  MM_SOLUTION_TIME_LIMIT = 2, /* the time limit stopped the solver: feasible; bound -1, or with
                                  program rules GLPK's best bound when it has one */
  MM_SOLUTION_FEASIBLE = 3,   /* every pair can meet, optimality with calendars not proven:
                                 bound, bound_matched and gap say how far it can be */
  MM_SOLUTION_STABLE = 4      /* stable mode: deferred acceptance, no blocking pair; bound -1 */
} mm_solution_status;

/* "unknown", "optimal", "time_limit", "feasible", "stable".  Static storage. */
const char *mm_solution_status_str(mm_solution_status s);

typedef struct {
  size_t mentees, mentors, matched;
  int64_t total_score;      /* sum of the pairs' scores, units of 1e-4 */
  int64_t bound;            /* proven upper bound on total_score when bound_matched are
                               matched; -1 when none is known */
  size_t bound_matched;     /* proven upper bound on the number matched with a slot */
  double gap;               /* (bound - total_score) / bound when matched with a slot ==
                               bound_matched, else (bound_matched - matched with a slot) /
                               bound_matched; 0 when optimal */
  const char *status;       /* solution below as text (mm_solution_status_str) */
  const char *solver;       /* "glpk" or "flow" (static) */
  char proof[1024];         /* how optimality was proven, in words */
  double seconds[MM_PHASES];
  uint64_t pairs_scored;    /* pairs scored in the pass over every pair (mentees x mentors) */
  uint64_t pairs_eligible;  /* pairs that pass every eligibility rule */
  uint64_t candidates;      /* edges in the graph handed to the solver */
  int threads;
  uint64_t pairs_rescored;  /* pairs scored again while proving optimality */
  mm_solution_status solution; /* status above as an enum */
  /* Fitting the assignment to calendars: */
  size_t blind_matched;     /* the calendar-blind optimum: pairs and total score */
  int64_t blind_score;
  size_t clashes;           /* its pairs the greedy schedule could not place */
  size_t fit_pairs;         /* its pairs re-decided by the joint model (0: none needed) */
  uint64_t fit_columns, fit_rows, fit_groups; /* joint model size: (pair, start) columns,
                                                 rows, independent groups solved */
  size_t mentors_week_full; /* mentors given mentees whose remaining free places cannot be
                               used: their free weekly hours are taken */
  const char *mode;         /* "optimal" or "stable" (static) */
  int64_t blocking_pairs;   /* pairs that would both rather have each other; -1 = not counted */
  char rules[512];          /* the program rules in force and what each achieved, in words */
  size_t quota_across[MM_QUOTAS]; /* pairs across, among quota_known */
  size_t quota_known[MM_QUOTAS];  /* pairs where both sides give the attribute */
} mm_summary;

/* Runs the whole job: scores every pair in parallel, selects candidates,
 * solves the assignment exactly, proves optimality over all pairs, schedules
 * first meetings and explains who was left out.  *out receives a result the
 * caller frees with mm_result_free.  The problem is not changed. */
mm_status mm_match(const mm_problem *p, mm_result **out, mm_error *e);

/* Pipeline mode: scores computed elsewhere. */
typedef struct {
  size_t size;             /* set by mm_scores_init; do not change */
  size_t n_mentees, n_mentors;
  const int32_t *capacity; /* per mentor, 0..1000 */
  size_t n_edges;
  const uint32_t *edge_mentee;
  const uint32_t *edge_mentor;
  const int64_t *edge_score; /* units of 1e-4, |score| <= 1e6 points */
} mm_scores;

/* Empties a scores record and sets size to the caller's sizeof. */
#define mm_scores_init(s) mm_scores_init_size((s), sizeof *(s))
void mm_scores_init_size(mm_scores *s, size_t size);

/* Solves the lexicographic assignment (most matched, then highest total) on
 * the listed pairs only.  Duplicate pairs are rejected with MM_ERR_INVALID
 * and e->line set to the 1-based index of the second edge. */
mm_status mm_solve_scores(const mm_scores *s, const mm_options *o, mm_result **out, mm_error *e);

/* Scores every pair into out (row-major, n_mentees x n_mentors), -1 for an
 * ineligible pair: the dense matrix that peers such as SciPy's
 * linear_sum_assignment need (bench/ uses it for side-by-side runs). */
mm_status mm_score_matrix(const mm_problem *p, int32_t *out, mm_error *e);

/* The "why?" report for one mentee of a match result (the problem it came
 * from): outcome and its reason, the best eligible mentors with each
 * criterion's part and what became of each, and how many mentors each rule
 * excluded.  *out receives UTF-8 text the caller frees with free(). */
mm_status mm_explain_mentee(const mm_problem *p, const mm_result *r, size_t mentee, char **out, mm_error *e);

/* The candidate graph mm_match's solver solved last (its proven optimum is
 * the result's), kept when mm_options.keep_graph was set: rows by mentee,
 * mentors ascending within a row, scores in units of 1e-4, each mentor's
 * capacity left after required pairs, and the weight `big` of one match.
 * Owned by the result. */
typedef struct {
  size_t n_mentees, n_mentors;
  const int32_t *capacity;
  const uint64_t *off; /* n_mentees + 1 */
  const uint32_t *adj;
  const int64_t *score;
  int64_t big;
} mm_graph_view;

/* Fills g and returns 1 when the result kept its graph, else returns 0. */
int mm_result_graph(const mm_result *r, mm_graph_view *g);

void mm_result_free(mm_result *r);
const mm_summary *mm_result_summary(const mm_result *r);
size_t mm_result_pair_count(const mm_result *r);
/* Pairs are sorted by mentee index. */
const mm_pair *mm_result_pair(const mm_result *r, size_t k);
size_t mm_result_occurrence_count(const mm_result *r);
const mm_occurrence *mm_result_occurrence(const mm_result *r, size_t k);
/* Unmatched mentees first (by index), then mentors left without a mentee,
 * then unscheduled pairs. */
size_t mm_result_left_out_count(const mm_result *r);
const mm_left_out *mm_result_left_out(const mm_result *r, size_t k);

/* ---- zones (the zones component) ----------------------------------------- */

/* Periods of a zone over [from, to): the period in force at `from` first,
 * then every change inside the window, in time order (the input
 * mm_problem_add_zone wants).  Reads the system tz database (the TZDIR
 * environment variable, else /usr/share/zoneinfo).  Accepts the zone and
 * link names its tzdata.zi lists (not "localtime", "posixrules", "Factory"
 * or other files there), "UTC", "GMT", "Z" and fixed offsets "UTC+05:30"
 * (five and a half hours ahead), "UTC-03:00", "UTC+5".  Unknown names give
 * MM_ERR_INVALID (field "timezone") with a close name suggested when there
 * is one; a zone file that exists but cannot be read (no file descriptor
 * left, permissions) gives MM_ERR_IO naming it.  *periods is
 * allocated by the library: free it with mm_zone_periods_free.  Reentrant. */
mm_status mm_zone_lookup(const char *name, int64_t from, int64_t to, mm_zone_period **periods,
                         size_t *n_periods, mm_error *e);

/* The same from the bytes of a TZif file (RFC 8536) the caller holds, for
 * hosts that ship their own tz data; reads no file.  MM_ERR_PARSE when the
 * bytes are not TZif.  Reentrant. */
mm_status mm_zone_from_tzif(const void *bytes, size_t len, int64_t from, int64_t to,
                            mm_zone_period **periods, size_t *n_periods, mm_error *e);

/* Frees periods returned above.  NULL does nothing. */
void mm_zone_periods_free(mm_zone_period *periods);

/* Looks the zone up (as mm_zone_lookup) over the problem's window and
 * registers it: the zone's index, the same index for a name already added,
 * or -1 with e filled. */
int mm_problem_add_zone_named(mm_problem *p, const char *name, mm_error *e);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif
