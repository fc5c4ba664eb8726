/* rules_internal.h: what the files of the program rules share (engine/rules*.c).
 *
 * The rules solver is split by responsibility: rules_program.c writes the
 * 0/1 program (columns, rows, the quota arithmetic), rules_price.c prices
 * the pairs outside a shortlist with the final LP's duals, rules_messages.c
 * explains infeasible rules and says what the rules achieved, rules.c
 * solves (max-min floor, priorities, the warm start) and is the entry
 * point; rules_glpk.c alone talks to GLPK.  Not part of the public API.
 */
#ifndef MM_RULES_INTERNAL_H
#define MM_RULES_INTERNAL_H

#include "internal.h"
#include "rules.h"

/* Mentees who give the quota column, and how many per value. */
typedef struct {
  int64_t givers;
  int64_t *size; /* per group id */
  uint32_t n_groups;
} groups;

typedef struct {
  uint32_t mentor;
  int32_t dept;
  size_t row;
} dept_row;

typedef struct {
  mm_rules_mip mip;
  size_t rows_alloc, nz_alloc;
  uint64_t *edge;         /* pair column -> edge of g (pair columns come first) */
  size_t slot_base;       /* first calendar column (mm_rules_slots), after the cover columns */
  uint32_t *col_mentee, *col_mentor;
  size_t n_pairs;
  size_t *by_mentor_off;  /* per mentor: its pair columns in by_mentor (CSR, n_right + 1) */
  uint32_t *by_mentor;
  uint8_t *start;         /* per column: in the first LP */
  int64_t *warm;          /* per column: starting basis (rules.h) */
  /* Where each row went, to price pairs outside the program with its duals. */
  int64_t *mentee_row;    /* per mentee of g: its "one mentor" row, or -1 */
  int64_t *mentor_row;    /* per mentor: its capacity row, or -1 */
  int64_t *cover_row;     /* per mentor: its min_per_mentor row, or -1 */
  int64_t quota_row[MM_QUOTAS];
  int64_t *group_row;     /* per group, or -1 */
  dept_row *dept_rows;    /* by mentor, then department */
  size_t n_dept_rows, dept_rows_alloc;
} program;

typedef struct {
  const mm_rules_input *in;
  const mm_options *o;
  groups gr;
  int64_t fixed_quota[MM_QUOTAS]; /* the fixed pairs' part of each quota row */
  int64_t *fixed_group;           /* per group: the fixed pairs' part of its row */
  int64_t fixed_count;            /* fixed pairs */
  int64_t fixed_low;              /* the lowest score of a fixed pair; INT64_MAX when none */
  size_t *fixed_off;              /* per mentor: its fixed mentees in fixed_list (CSR) */
  uint32_t *fixed_list;
  uint32_t *cover_mentors;        /* mentors that can still get a first mentee */
  uint32_t n_cover;
  double score_cap;               /* above any total score: the unit of every tier above it */
  double low;                     /* above any priority bonuses plus total score (see priority_tiers) */
  int64_t *bonus;                 /* per mentee of g: its priority level's weight */
  double started;
  bool need_pair;                 /* diagnosing: ask for at least one pair */
  uint8_t *near_tight;            /* per edge of g: starts in the LP (see start_columns) */
  int64_t *flow_match;            /* per mentee of g: the rule-free optimum, repaired for departments */
} context;

/* ---- rules_program.c ---- */

/* A pair's part in quota k: counted (both give the attribute) and across. */
void mm_rules_quota_part(const mm_problem *p, int k, uint32_t i, uint32_t j, int *counted, int *across);
/* Coefficient of a pair in quota k's row: 10000 * across - share * counted. */
int64_t mm_rules_quota_coef(const mm_problem *p, int k, uint32_t i, uint32_t j);
/* Coefficient of mentee i in group g's share row. */
int64_t mm_rules_group_coef(const mm_problem *p, const groups *gr, uint32_t g, uint32_t i);
/* Fixed mentees of mentor j in department d. */
int64_t mm_rules_fixed_in(const context *cx, uint32_t j, int32_t d);
/* The objective weight of one match (above cover, priority and score). */
double mm_rules_match_tier(const context *cx);
/* The whole program for pairs scoring at least floor_w; false when memory is short. */
bool mm_rules_build(program *pr, const context *cx, int64_t floor_w);
void mm_rules_program_free(program *pr);

/* ---- rules_messages.c ---- */

/* MM_ERR_INFEASIBLE with e filled when the fixed pairs alone break max_per_department. */
mm_status mm_rules_check_fixed_departments(const context *cx, mm_error *e);
/* The message of quota k, or of the group shares, that no assignment with a pair meets. */
void mm_rules_quota_message(const context *cx, int k, mm_error *e);
void mm_rules_group_message(const context *cx, mm_error *e);
/* out->text: the rules in force and what they achieved. */
void mm_rules_describe(const context *cx, mm_rules_answer *out);
/* The answer's quota counts over every pair, fixed ones included. */
void mm_rules_count_quotas(const context *cx, mm_rules_answer *out);

/* ---- rules_price.c ---- */

/* Prices every eligible pair outside g against the final LP of pr (see
 * rules_price.c); fills out->add_* and out->n_needed. */
mm_status mm_rules_price_outside(const context *cx, const program *pr, int64_t floor_w, double cut,
                                 mm_rules_answer *out, mm_error *e);

#endif
