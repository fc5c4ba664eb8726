/* rules.c: quotas, department caps, group shares, first mentees and max-min as a 0/1 program.
 *
 * One binary column per candidate pair (and, for min_per_mentor, one per
 * mentor saying "this mentor has a mentee"); rows for mentees, mentors and
 * each rule.  Every coefficient is an integer: a share s (in 1e-4 units) is
 * a row 10000 * across - s * counted >= 0, and "at least its share, rounded
 * down" for a group g of a_g of the D mentees who give the column is
 * D * matched_g - a_g * matched >= 1 - D, which is exactly
 * matched_g >= floor(a_g * matched / D) for integers.  The objective keeps
 * the tool's lexicographic order in one number: tier * matches (+ cover *
 * mentors with a mentee) + score, with each weight above everything below
 * it, so no rule is ever met by matching fewer people than the rules allow.
 * Max-min raises a score threshold by bisection over the distinct scores for
 * as long as the same number of matches stays reachable, then maximises the
 * total above it.
 *
 * Pairs fixed by require or --keep count toward every rule; when they alone
 * break one, or a quota cannot be met by any assignment with a pair, the
 * error names the rule, the numbers and the people.
 */
#include "rules.h"

#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reduced cost (objective units: 1e-4 score points) below the cut within
 * which a pair outside the shortlist is brought in anyway. */
#define PRICE_MARGIN 500.0

/* Reduced cost (1e-4 score units) within which a pair starts in the LP. */
#define NEAR_TIGHT 0

static const char *const quota_name[MM_QUOTAS] = {"quota.cross_location", "quota.cross_country",
                                                  "quota.cross_department"};
static const char *const quota_what[MM_QUOTAS] = {"location", "country", "department"};

bool mm_rules_needed(const mm_problem *p) { return mm_rules_active(&p->opt) || p->has_priority; }

bool mm_rules_active(const mm_options *o) {
  for (int k = 0; k < MM_QUOTAS; k++)
    if (o->quota_cross[k] > 0) return true;
  return o->max_per_department > 0 || o->min_per_mentor || o->objective_maxmin || o->group_proportional;
}

static double clock_now(void) {
  struct timespec ts;
  if (!timespec_get(&ts, TIME_UTC)) return 0;
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const int32_t *attribute(const mm_problem *p, mm_side side, int k) {
  const mm_side_data *S = &p->side[side];
  return k == MM_QUOTA_LOCATION ? S->location : k == MM_QUOTA_COUNTRY ? S->country : S->department;
}

/* A pair's part in quota k: counted (both give the attribute) and across. */
static void quota_part(const mm_problem *p, int k, uint32_t i, uint32_t j, int *counted, int *across) {
  int32_t a = attribute(p, MM_MENTEE, k)[i], b = attribute(p, MM_MENTOR, k)[j];
  *counted = a >= 0 && b >= 0;
  *across = *counted && a != b;
}

/* Coefficient of a pair in quota k's row: 10000 * across - share * counted. */
static int64_t quota_coef(const mm_problem *p, int k, uint32_t i, uint32_t j) {
  int counted, across;
  quota_part(p, k, i, j, &counted, &across);
  return 10000 * (int64_t)across - (int64_t)p->opt.quota_cross[k] * counted;
}

/* Mentees who give the quota column, and how many per value. */
typedef struct {
  int64_t givers;
  int64_t *size; /* per group id */
  uint32_t n_groups;
} groups;

static int64_t group_coef(const mm_problem *p, const groups *gr, uint32_t g, uint32_t i) {
  int32_t mine = p->side[MM_MENTEE].group[i];
  if (mine < 0) return 0;
  return gr->givers * ((uint32_t)mine == g) - gr->size[g];
}

/* ---- the program --------------------------------------------------------- */

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

static void program_free(program *pr) {
  free(pr->mip.obj);
  free(pr->mip.row_off);
  free(pr->mip.row_col);
  free(pr->mip.row_coef);
  free(pr->mip.row_lo);
  free(pr->mip.row_hi);
  free(pr->mip.row_dual);
  free(pr->mip.col_dual);
  free(pr->mip.loaded);
  free(pr->edge);
  free(pr->col_mentee);
  free(pr->col_mentor);
  free(pr->by_mentor_off);
  free(pr->by_mentor);
  free(pr->start);
  free(pr->warm);
  free(pr->mentee_row);
  free(pr->mentor_row);
  free(pr->cover_row);
  free(pr->group_row);
  free(pr->dept_rows);
  memset(pr, 0, sizeof *pr);
}

/* Starts a row lo <= . <= hi; entries follow with add_entry.  row_off has
 * room for one more than the rows, so all arrays grow to rows + 2. */
static bool begin_row(program *pr, double lo, double hi) {
  mm_rules_mip *m = &pr->mip;
  size_t r = m->n_rows;
  if (r + 2 > pr->rows_alloc) {
    size_t n = pr->rows_alloc ? 2 * pr->rows_alloc : 1024;
    double *l = realloc(m->row_lo, n * sizeof *l);
    if (l) m->row_lo = l;
    double *h = realloc(m->row_hi, n * sizeof *h);
    if (h) m->row_hi = h;
    size_t *o = realloc(m->row_off, n * sizeof *o);
    if (o) m->row_off = o;
    if (!l || !h || !o) return false;
    pr->rows_alloc = n;
  }
  if (r == 0) m->row_off[0] = 0;
  m->row_lo[r] = lo;
  m->row_hi[r] = hi;
  m->row_off[r + 1] = m->row_off[r];
  m->n_rows++;
  return true;
}

static bool add_entry(program *pr, size_t col, double coef) {
  mm_rules_mip *m = &pr->mip;
  size_t at = m->row_off[m->n_rows];
  if (at + 1 > pr->nz_alloc) {
    size_t n = pr->nz_alloc ? 2 * pr->nz_alloc : 4096;
    uint32_t *c = realloc(m->row_col, n * sizeof *c);
    if (c) m->row_col = c;
    double *v = realloc(m->row_coef, n * sizeof *v);
    if (v) m->row_coef = v;
    if (!c || !v) return false;
    pr->nz_alloc = n;
  }
  m->row_col[at] = (uint32_t)col;
  m->row_coef[at] = coef;
  m->row_off[m->n_rows]++;
  return true;
}


typedef struct {
  const mm_rules_input *in;
  const mm_options *o;
  groups gr;
  int64_t fixed_quota[MM_QUOTAS]; /* the fixed pairs' part of each quota row */
  int64_t *fixed_group;           /* per group: the fixed pairs' part of its row */
  int64_t fixed_count;            /* fixed pairs */
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

/* Pair columns for the edges with score >= floor_w, mentors' column lists. */
static bool add_pair_columns(program *pr, const context *cx, int64_t floor_w, double tier) {
  const mm_graph *g = cx->in->g;
  uint64_t E = g->off[g->n_left];
  size_t cols = E + cx->n_cover + 1 + (cx->in->slots ? (size_t)cx->in->slots->mip->n_cols : 0);
  pr->edge = malloc(cols * sizeof *pr->edge);
  pr->col_mentee = malloc(cols * sizeof *pr->col_mentee);
  pr->col_mentor = malloc(cols * sizeof *pr->col_mentor);
  pr->mip.obj = malloc(cols * sizeof *pr->mip.obj);
  pr->by_mentor_off = calloc((size_t)g->n_right + 2, sizeof *pr->by_mentor_off);
  pr->by_mentor = malloc(cols * sizeof *pr->by_mentor);
  pr->mip.row_off = calloc(1, sizeof *pr->mip.row_off);
  pr->start = malloc(cols);
  pr->warm = calloc(cols, sizeof *pr->warm);
  pr->mentee_row = malloc(((size_t)g->n_left + 1) * sizeof *pr->mentee_row);
  pr->mentor_row = malloc(((size_t)g->n_right + 1) * sizeof *pr->mentor_row);
  pr->cover_row = malloc(((size_t)g->n_right + 1) * sizeof *pr->cover_row);
  pr->group_row = malloc(((size_t)cx->gr.n_groups + 1) * sizeof *pr->group_row);
  if (!pr->mentor_row || !pr->cover_row || !pr->group_row) return false;
  for (uint32_t j = 0; j < g->n_right; j++) pr->mentor_row[j] = pr->cover_row[j] = -1;
  for (uint32_t k = 0; k < cx->gr.n_groups; k++) pr->group_row[k] = -1;
  for (int k = 0; k < MM_QUOTAS; k++) pr->quota_row[k] = -1;
  if (!pr->start || !pr->warm || !pr->mentee_row || !pr->edge || !pr->col_mentee || !pr->col_mentor || !pr->mip.obj || !pr->by_mentor_off || !pr->by_mentor ||
      !pr->mip.row_off)
    return false;
  for (uint32_t i = 0; i < g->n_left; i++) {
    pr->mentee_row[i] = -1;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->w[k] < floor_w || g->cap[g->adj[k]] <= 0) continue;
      size_t c = pr->n_pairs++;
      pr->edge[c] = k;
      pr->col_mentee[c] = i;
      pr->col_mentor[c] = g->adj[k];
      pr->mip.obj[c] = tier + (double)cx->bonus[i] + (double)g->w[k];
      pr->start[c] = !cx->near_tight || cx->near_tight[k];
      pr->by_mentor_off[g->adj[k] + 2]++;
    }
  }
  for (uint32_t j = 0; j < g->n_right; j++) pr->by_mentor_off[j + 2] += pr->by_mentor_off[j + 1];
  for (size_t c = 0; c < pr->n_pairs; c++) pr->by_mentor[pr->by_mentor_off[pr->col_mentor[c] + 1]++] = (uint32_t)c;
  pr->mip.n_cols = pr->n_pairs;
  return true;
}

/* One mentor each for mentees, capacity for mentors (only where binding). */
static bool add_basic_rows(program *pr, const context *cx) {
  const mm_graph *g = cx->in->g;
  for (size_t c = 0; c < pr->n_pairs;) {
    size_t end = c + 1;
    while (end < pr->n_pairs && pr->col_mentee[end] == pr->col_mentee[c]) end++;
    if (end - c > 1) {
      pr->mentee_row[pr->col_mentee[c]] = (int64_t)pr->mip.n_rows;
      if (!begin_row(pr, -HUGE_VAL, 1)) return false;
      for (size_t x = c; x < end; x++)
        if (!add_entry(pr, x, 1)) return false;
    }
    c = end;
  }
  for (uint32_t j = 0; j < g->n_right; j++) {
    size_t from = pr->by_mentor_off[j], to = pr->by_mentor_off[j + 1];
    if (to - from <= (size_t)g->cap[j]) continue;
    pr->mentor_row[j] = (int64_t)pr->mip.n_rows;
    if (!begin_row(pr, -HUGE_VAL, g->cap[j])) return false;
    for (size_t x = from; x < to; x++)
      if (!add_entry(pr, pr->by_mentor[x], 1)) return false;
  }
  return true;
}

static bool add_quota_rows(program *pr, const context *cx) {
  const mm_problem *p = cx->in->p;
  for (int k = 0; k < MM_QUOTAS; k++) {
    if (!cx->o->quota_cross[k]) continue;
    pr->quota_row[k] = (int64_t)pr->mip.n_rows;
    if (!begin_row(pr, (double)-cx->fixed_quota[k], HUGE_VAL)) return false;
    for (size_t c = 0; c < pr->n_pairs; c++) {
      int64_t coef = quota_coef(p, k, pr->col_mentee[c], pr->col_mentor[c]);
      if (coef && !add_entry(pr, c, (double)coef)) return false;
    }
  }
  if (!cx->o->group_proportional) return true;
  for (uint32_t g = 0; g < cx->gr.n_groups; g++) {
    if (!cx->gr.size[g]) continue;
    pr->group_row[g] = (int64_t)pr->mip.n_rows;
    if (!begin_row(pr, (double)(1 - cx->gr.givers - cx->fixed_group[g]), HUGE_VAL)) return false;
    for (size_t c = 0; c < pr->n_pairs; c++) {
      int64_t coef = group_coef(p, &cx->gr, g, pr->col_mentee[c]);
      if (coef && !add_entry(pr, c, (double)coef)) return false;
    }
  }
  return true;
}

static const int32_t *sort_dept;

static int by_department(const void *a, const void *b) {
  int32_t x = sort_dept[*(const uint32_t *)a], y = sort_dept[*(const uint32_t *)b];
  if (x != y) return x < y ? -1 : 1;
  return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : *(const uint32_t *)a > *(const uint32_t *)b;
}

/* Fixed mentees of mentor j in department d. */
static int64_t fixed_in(const context *cx, uint32_t j, int32_t d) {
  const int32_t *dept = cx->in->p->side[MM_MENTEE].department;
  int64_t n = 0;
  for (size_t x = cx->fixed_off[j]; x < cx->fixed_off[j + 1]; x++) n += dept[cx->fixed_list[x]] == d;
  return n;
}

static bool note_dept_row(program *pr, uint32_t j, int32_t d) {
  if (pr->n_dept_rows == pr->dept_rows_alloc) {
    size_t n = pr->dept_rows_alloc ? 2 * pr->dept_rows_alloc : 256;
    dept_row *grown = realloc(pr->dept_rows, n * sizeof *grown);
    if (!grown) return false;
    pr->dept_rows = grown;
    pr->dept_rows_alloc = n;
  }
  pr->dept_rows[pr->n_dept_rows++] = (dept_row){j, d, pr->mip.n_rows};
  return true;
}

/* At most max_per_department mentees of one department per mentor. */
static bool add_department_rows(program *pr, const context *cx, uint32_t *scratch) {
  int limit = cx->o->max_per_department;
  if (!limit) return true;
  const int32_t *dept = cx->in->p->side[MM_MENTEE].department;
  int32_t *col_dept = malloc((pr->n_pairs ? pr->n_pairs : 1) * sizeof *col_dept);
  if (!col_dept) return false;
  for (size_t c = 0; c < pr->n_pairs; c++) col_dept[c] = dept[pr->col_mentee[c]];
  sort_dept = col_dept;
  bool ok = true;
  for (uint32_t j = 0; ok && j < cx->in->g->n_right; j++) {
    size_t from = pr->by_mentor_off[j], n = pr->by_mentor_off[j + 1] - from;
    if (n + (cx->fixed_off[j + 1] - cx->fixed_off[j]) <= (size_t)limit) continue;
    memcpy(scratch, pr->by_mentor + from, n * sizeof *scratch);
    qsort(scratch, n, sizeof *scratch, by_department);
    for (size_t a = 0, b; ok && a < n; a = b) {
      for (b = a + 1; b < n && col_dept[scratch[b]] == col_dept[scratch[a]]; b++) continue;
      if (col_dept[scratch[a]] < 0) continue;
      int64_t room = limit - fixed_in(cx, j, col_dept[scratch[a]]);
      if ((int64_t)(b - a) <= room) continue;
      ok = note_dept_row(pr, j, col_dept[scratch[a]]) && begin_row(pr, -HUGE_VAL, (double)(room > 0 ? room : 0));
      for (size_t x = a; ok && x < b; x++) ok = add_entry(pr, scratch[x], 1);
    }
  }
  free(col_dept);
  return ok;
}

/* min_per_mentor: a column per mentor that may still get a first mentee,
 * worth `cover`, allowed only when the mentor has a mentee. */
static bool add_cover(program *pr, const context *cx, double cover) {
  for (uint32_t k = 0; k < cx->n_cover; k++) {
    uint32_t j = cx->cover_mentors[k];
    size_t col = pr->mip.n_cols++;
    pr->mip.obj[col] = cover;
    pr->start[col] = 1;
    pr->cover_row[j] = (int64_t)pr->mip.n_rows;
    for (size_t x = pr->by_mentor_off[j]; x < pr->by_mentor_off[j + 1]; x++)
      if (pr->warm[pr->by_mentor[x]]) pr->warm[col] = 1;
    if (!begin_row(pr, -HUGE_VAL, 0) || !add_entry(pr, col, 1)) return false;
    for (size_t x = pr->by_mentor_off[j]; x < pr->by_mentor_off[j + 1]; x++)
      if (!add_entry(pr, pr->by_mentor[x], -1)) return false;
  }
  return true;
}

/* Pair column of (i, j), or SIZE_MAX; first_col[i] is mentee i's first. */
static size_t pair_column(const program *pr, const size_t *first_col, uint32_t i, uint32_t j) {
  for (size_t c = first_col[i]; c < pr->n_pairs && pr->col_mentee[c] == i; c++)
    if (pr->col_mentor[c] == j) return c;
  return SIZE_MAX;
}

/* The tight people's weekly starts (rules.h, mm_rules_slots): their
 * columns, worth nothing themselves, the joint model's rows over them, and
 * per pair a row tying its starts to its pair column (to 1 for a fixed pair
 * that has a start, to 0 for a pair without a column). */
static bool add_slot_rows(program *pr, const context *cx) {
  const mm_rules_slots *sl = cx->in->slots;
  if (!sl) return true;
  const mm_mip *m = sl->mip;
  size_t base = pr->slot_base = pr->mip.n_cols, n_left = cx->in->g->n_left;
  size_t *first_col = malloc((n_left + 1) * sizeof *first_col);
  if (!first_col) return false;
  for (size_t i = 0; i < n_left; i++) first_col[i] = SIZE_MAX;
  for (size_t c = pr->n_pairs; c-- > 0;) first_col[pr->col_mentee[c]] = c;
  for (int c = 0; c < m->n_cols; c++) {
    pr->mip.obj[base + (size_t)c] = 0;
    pr->start[base + (size_t)c] = 1;
    pr->warm[base + (size_t)c] = 0;
  }
  pr->mip.n_cols += (size_t)m->n_cols;
  bool ok = true;
  for (int r = 0; ok && r < m->n_rows; r++) {
    ok = begin_row(pr, m->row_lo[r], m->row_hi[r]);
    for (int k = m->row_off[r]; ok && k < m->row_off[r + 1]; k++)
      ok = add_entry(pr, base + (size_t)m->row_col[k], m->row_coef[k]);
  }
  for (size_t c = 0, end; ok && c < (size_t)m->n_cols; c = end) {
    size_t k = sl->col_pair[c];
    for (end = c; end < (size_t)m->n_cols && sl->col_pair[end] == k; end++) continue;
    uint32_t i = sl->pair_mentee[k];
    size_t x = sl->pair_fixed[k] || first_col[i] == SIZE_MAX ? SIZE_MAX : pair_column(pr, first_col, i, sl->pair_mentor[k]);
    double need = sl->pair_fixed[k] ? 1 : 0;
    ok = begin_row(pr, need, need);
    for (size_t y = c; ok && y < end; y++) ok = add_entry(pr, base + y, 1);
    if (ok && x != SIZE_MAX) ok = add_entry(pr, x, -1);
  }
  free(first_col);
  return ok;
}

/* The repaired rule-free optimum as the starting basis: each of its pairs
 * is basic in place of its mentee's row (or at 1 when the mentee has no
 * row).  Must run before add_cover, which reads it. */
static void warm_pairs(program *pr, const context *cx) {
  if (!cx->flow_match) return;
  for (size_t c = 0; c < pr->n_pairs; c++) {
    uint32_t i = pr->col_mentee[c];
    if (cx->flow_match[i] != (int64_t)pr->edge[c]) continue;
    pr->warm[c] = pr->mentee_row[i] >= 0 ? pr->mentee_row[i] + 2 : 1;
    pr->start[c] = 1;
  }
}

/* The objective weight of one match (above cover, priority and score). */
static double match_tier(const context *cx) { return cx->n_cover ? cx->low * (cx->n_cover + 1) : cx->low; }

/* The whole program for pairs scoring at least floor_w. */
static bool build(program *pr, const context *cx, int64_t floor_w) {
  memset(pr, 0, sizeof *pr);
  double cover = cx->n_cover ? cx->low : 0;
  double tier = match_tier(cx);
  uint32_t *scratch = malloc(((size_t)cx->in->g->off[cx->in->g->n_left] + 1) * sizeof *scratch);
  bool ok = scratch && add_pair_columns(pr, cx, floor_w, tier) && add_basic_rows(pr, cx) &&
            add_quota_rows(pr, cx) && add_department_rows(pr, cx, scratch);
  if (ok) warm_pairs(pr, cx);
  ok = ok && add_cover(pr, cx, cover) && add_slot_rows(pr, cx);
  free(scratch);
  if (ok && cx->need_pair) {
    ok = begin_row(pr, 1, HUGE_VAL);
    for (size_t c = 0; ok && c < pr->n_pairs; c++) ok = add_entry(pr, c, 1);
  }
  pr->mip.tier = cx->score_cap;
  pr->mip.start = pr->start;
  pr->mip.warm = cx->flow_match ? pr->warm : NULL;
  pr->mip.rel_gap = cx->o->mip_gap;
  return ok;
}

/* ---- explaining infeasible rules ------------------------------------------ */

/* Appends up to five ids of a side, "E1, E2, ... (and 3 more)". */
static void list_people(const mm_problem *p, mm_side side, const uint32_t *who, size_t n, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < n && k < 5 && used < size; k++) {
    int w = snprintf(buf + used, size - used, "%s%s", k ? ", " : "", p->side[side].id[who[k]]);
    if (w < 0) return;
    used += (size_t)w;
  }
  if (n > 5 && used < size) snprintf(buf + used, size - used, " (and %zu more)", n - 5);
}

/* Fixed pairs that already give one mentor more than max_per_department. */
static mm_status check_fixed_departments(const context *cx, mm_error *e) {
  const mm_problem *p = cx->in->p;
  int limit = cx->o->max_per_department;
  const int32_t *dept = p->side[MM_MENTEE].department;
  for (uint32_t j = 0; limit && j < cx->in->g->n_right; j++) {
    for (size_t x = cx->fixed_off[j]; x < cx->fixed_off[j + 1]; x++) {
      int32_t d = dept[cx->fixed_list[x]];
      if (d < 0 || fixed_in(cx, j, d) <= limit) continue;
      uint32_t who[64];
      size_t n = 0;
      for (size_t y = cx->fixed_off[j]; y < cx->fixed_off[j + 1]; y++)
        if (dept[cx->fixed_list[y]] == d && n < 64) who[n++] = cx->fixed_list[y];
      char names[256];
      list_people(p, MM_MENTEE, who, n, names, sizeof names);
      mm_error_set(e, "max_per_department",
                   "max_per_department = %d, but required or kept pairs already give mentor \"%s\" %zu mentees "
                   "of department \"%s\": %s",
                   limit, p->side[MM_MENTOR].id[j], n, p->places.shown[d], names);
      return MM_ERR_INFEASIBLE;
    }
  }
  return MM_OK;
}

/* Why no assignment with a pair meets quota k, in numbers. */
static void quota_message(const context *cx, int k, mm_error *e) {
  const mm_problem *p = cx->in->p;
  const mm_graph *g = cx->in->g;
  uint64_t counted = 0, across = 0;
  uint32_t who[5] = {0};
  size_t n_who = 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    for (uint64_t x = g->off[i]; x < g->off[i + 1]; x++) {
      int c, a;
      quota_part(p, k, i, g->adj[x], &c, &a);
      counted += (uint64_t)c;
      across += (uint64_t)a;
      if (a && (n_who == 0 || who[n_who - 1] != i) && n_who < 5) who[n_who++] = i;
    }
  }
  char names[256];
  list_people(p, MM_MENTEE, who, n_who, names, sizeof names);
  mm_error_set(e, quota_name[k],
               "%s = %.4g cannot be met by any assignment with at least one pair: of %llu candidate pairs where "
               "both give a %s, %llu are across %ss%s%s%s; required or kept pairs contribute %lld (in 1e-4 "
               "units of the share)",
               quota_name[k], cx->o->quota_cross[k] / 1e4, (unsigned long long)counted, quota_what[k],
               (unsigned long long)across, quota_what[k], n_who ? " (mentees with such a pair: " : "",
               names, n_who ? ")" : "", (long long)cx->fixed_quota[k]);
}

static void group_message(const context *cx, mm_error *e) {
  const mm_problem *p = cx->in->p;
  mm_error_set(e, "quota.min_share",
               "quota.min_share = proportional on column \"%s\" cannot be met by any assignment with at least one "
               "pair: %lld mentees give the column in %u groups, and the candidate pairs cannot give each group "
               "its share",
               p->opt.quota_column, (long long)cx->gr.givers, cx->gr.n_groups);
}

/* ---- solving ---------------------------------------------------------------- */

/* One solve of the program above floor_w; x[] of its pair columns is
 * turned into match[] (edge or -1 per mentee) by the caller. */
typedef struct {
  mm_rules_mip_result res;
  uint8_t *x;
  program pr;
  double tier_value, tier_bound; /* floor(value / tier), floor(bound / tier) */
} attempt;

static void attempt_free(attempt *a) {
  free(a->x);
  program_free(&a->pr);
}

static mm_status solve_above(const context *cx, int64_t floor_w, attempt *a, mm_error *e) {
  memset(a, 0, sizeof *a);
  if (!build(&a->pr, cx, floor_w) || !(a->x = calloc(a->pr.mip.n_cols + 1, 1)) ||
      !(a->pr.mip.row_dual = calloc(a->pr.mip.n_rows + 1, sizeof *a->pr.mip.row_dual)) ||
      !(a->pr.mip.col_dual = calloc(a->pr.mip.n_cols + 1, sizeof *a->pr.mip.col_dual)) ||
      !(a->pr.mip.loaded = calloc(a->pr.mip.n_cols + 1, 1))) {
    mm_error_set(e, NULL, "out of memory building the rules program");
    return MM_ERR_NOMEM;
  }
  double limit = cx->o->time_limit_s;
  if (limit > 0) {
    double left = limit - (clock_now() - cx->started);
    a->pr.mip.time_limit_s = left > 0.001 ? left : 0.001;
  }
  mm_status st = mm_rules_mip_solve(&a->pr.mip, a->x, &a->res, e);
  if (st == MM_OK && a->res.outcome <= MM_RULES_FEASIBLE) {
    a->tier_value = floor(a->res.value / a->pr.mip.tier + 1e-9);
    a->tier_bound = floor(a->res.bound / a->pr.mip.tier + 1e-9);
  }
  return st;
}

/* Max-min: the highest score floor that keeps the same matches (and first
 * mentees), by bisection over the distinct scores; *best ends as the
 * attempt at that floor. */
static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static mm_status raise_floor(const context *cx, attempt *best, int64_t *floor_out, bool *proven, mm_error *e) {
  const mm_graph *g = cx->in->g;
  uint64_t E = g->off[g->n_left];
  int64_t *w = malloc((E ? E : 1) * sizeof *w);
  if (!w) {
    mm_error_set(e, NULL, "out of memory");
    return MM_ERR_NOMEM;
  }
  memcpy(w, g->w, E * sizeof *w);
  qsort(w, E, sizeof *w, cmp_i64);
  size_t n = 0;
  for (uint64_t k = 0; k < E; k++)
    if (n == 0 || w[n - 1] != w[k]) w[n++] = w[k];
  size_t lo = 0, hi = n ? n - 1 : 0;
  mm_status st = MM_OK;
  *floor_out = n ? w[0] : 0;
  while (st == MM_OK && lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    attempt a;
    st = solve_above(cx, w[mid], &a, e);
    bool same = st == MM_OK && a.res.outcome <= MM_RULES_FEASIBLE && a.tier_value == best->tier_value;
    *proven = *proven && st == MM_OK && (a.res.outcome == MM_RULES_OPTIMAL || a.res.outcome == MM_RULES_INFEASIBLE);
    if (same) {
      attempt_free(best);
      *best = a;
      lo = mid;
      *floor_out = w[mid];
    } else {
      attempt_free(&a);
      hi = mid - 1;
    }
  }
  free(w);
  return st;
}

/* ---- pricing the pairs outside the shortlist -------------------------------- */

static double dept_dual(const program *pr, uint32_t j, int32_t d) {
  size_t lo = 0, hi = pr->n_dept_rows;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const dept_row *r = &pr->dept_rows[mid];
    if (r->mentor < j || (r->mentor == j && r->dept < d)) lo = mid + 1;
    else hi = mid;
  }
  if (lo < pr->n_dept_rows && pr->dept_rows[lo].mentor == j && pr->dept_rows[lo].dept == d)
    return pr->mip.row_dual[pr->dept_rows[lo].row];
  return 0;
}

/* The dual of mentee i's "one mentor" row; a mentee with one column has no
 * row, and the dual of that column's upper bound stands in for it. */
static double mentee_dual(const program *pr, uint32_t i, const size_t *first_col) {
  if (pr->mentee_row[i] >= 0) return pr->mip.row_dual[pr->mentee_row[i]];
  size_t c = first_col[i];
  if (c < pr->n_pairs && pr->col_mentee[c] == i) return fmax(0, pr->mip.col_dual[c]);
  return 0;
}

static bool add_missing(mm_rules_answer *out, size_t *alloc, uint32_t i, uint32_t j, int64_t w) {
  if (out->n_add == *alloc) {
    size_t n = *alloc ? 2 * *alloc : 1024;
    uint32_t *a = realloc(out->add_mentee, n * sizeof *a);
    if (a) out->add_mentee = a;
    uint32_t *b = realloc(out->add_mentor, n * sizeof *b);
    if (b) out->add_mentor = b;
    int64_t *c = realloc(out->add_w, n * sizeof *c);
    if (c) out->add_w = c;
    if (!a || !b || !c) return false;
    *alloc = n;
  }
  out->add_mentee[out->n_add] = i;
  out->add_mentor[out->n_add] = j;
  out->add_w[out->n_add++] = w;
  return true;
}

/* Reduced cost of the pair (i, j) scoring w under the final LP's duals,
 * all but the mentee's own part (y) and the group rows (same for all j). */
static double pair_cost(const context *cx, const program *pr, uint32_t i, uint32_t j, int64_t w) {
  const double *dual = pr->mip.row_dual;
  double rc = match_tier(cx) + (double)cx->bonus[i] + (double)w;
  if (pr->mentor_row[j] >= 0) rc -= dual[pr->mentor_row[j]];
  for (int k = 0; k < MM_QUOTAS; k++)
    if (pr->quota_row[k] >= 0) rc -= dual[pr->quota_row[k]] * (double)quota_coef(cx->in->p, k, i, j);
  int32_t d = cx->in->p->side[MM_MENTEE].department[i];
  if (cx->o->max_per_department && d >= 0) rc -= dept_dual(pr, j, d);
  if (pr->cover_row[j] >= 0) rc += dual[pr->cover_row[j]];
  return rc;
}

/* Every eligible pair outside g (scoring at least floor_w) whose reduced
 * cost exceeds cut is counted in out->n_needed: with none, the final LP
 * bound covers every pair, and so does the answer's optimality when cut is
 * -(bound - value) (a pair below it only belongs to worse solutions).
 * Pairs within PRICE_MARGIN below the cut are listed in out->add_* too, so
 * that the next solve rarely needs another. */
static mm_status price_outside(const context *cx, const attempt *a, int64_t floor_w, double cut,
                               mm_rules_answer *out, mm_error *e) {
  const mm_graph *g = cx->in->g;
  const program *pr = &a->pr;
  mm_score_scratch *x = mm_score_scratch_create(cx->in->scorer);
  size_t *first_col = malloc(((size_t)g->n_left + 1) * sizeof *first_col);
  size_t alloc = 0;
  bool ok = x && first_col;
  for (uint32_t i = 0; ok && i < g->n_left; i++) first_col[i] = SIZE_MAX;
  for (size_t c = pr->n_pairs; ok && c-- > 0;) first_col[pr->col_mentee[c]] = c;
  const uint32_t *order = mm_scorer_order(cx->in->scorer);
  for (uint32_t n = 0; ok && n < g->n_left; n++) {
    uint32_t i = order[n];
    if (cx->in->fixed[i] >= 0) continue;
    double own = mentee_dual(pr, i, first_col);
    for (uint32_t gi = 0; cx->o->group_proportional && gi < cx->gr.n_groups; gi++)
      if (pr->group_row[gi] >= 0) own += pr->mip.row_dual[pr->group_row[gi]] * (double)group_coef(cx->in->p, &cx->gr, gi, i);
    const int32_t *row = mm_score_row(cx->in->scorer, x, i);
    uint64_t k = g->off[i];
    for (uint32_t j = 0; ok && j < g->n_right; j++) {
      while (k < g->off[i + 1] && g->adj[k] < j) k++;
      if ((k < g->off[i + 1] && g->adj[k] == j) || row[j] < 0 || row[j] < floor_w || g->cap[j] <= 0) continue;
      double rc = pair_cost(cx, pr, i, j, row[j]) - own;
      out->n_needed += rc > cut;
      if (rc > cut - PRICE_MARGIN) ok = add_missing(out, &alloc, i, j, row[j]);
    }
  }
  mm_score_scratch_free(x);
  free(first_col);
  if (!ok) {
    mm_error_set(e, NULL, "out of memory pricing the pairs outside the shortlist");
    return MM_ERR_NOMEM;
  }
  out->priced_all = true;
  return MM_OK;
}

/* ---- the entry point ------------------------------------------------------ */

static void context_free(context *cx) {
  free(cx->gr.size);
  free(cx->fixed_group);
  free(cx->fixed_off);
  free(cx->fixed_list);
  free(cx->cover_mentors);
  free(cx->near_tight);
  free(cx->flow_match);
  free(cx->bonus);
}

/* Drops, per mentor and department, the lowest-scoring pairs of the
 * rule-free optimum beyond max_per_department (fixed pairs included), so
 * that it is a feasible start for the department rows. */
static void repair_departments(const context *cx, int64_t *match) {
  int limit = cx->o->max_per_department;
  const mm_graph *g = cx->in->g;
  const int32_t *dept = cx->in->p->side[MM_MENTEE].department;
  size_t *off = calloc((size_t)g->n_right + 2, sizeof *off);
  uint32_t *who = malloc(((size_t)g->n_left + 1) * sizeof *who);
  for (uint32_t i = 0; limit && off && who && i < g->n_left; i++)
    if (match[i] >= 0) off[g->adj[match[i]] + 2]++;
  for (uint32_t j = 0; limit && off && who && j < g->n_right; j++) off[j + 2] += off[j + 1];
  for (uint32_t i = 0; limit && off && who && i < g->n_left; i++)
    if (match[i] >= 0) who[off[g->adj[match[i]] + 1]++] = i;
  for (uint32_t j = 0; limit && off && who && j < g->n_right; j++) {
    for (size_t a = off[j]; a < off[j + 1]; a++) {
      int32_t d = dept[who[a]];
      if (d < 0 || match[who[a]] < 0) continue;
      /* Keep the best `room` of this department, drop the others. */
      int64_t room = limit - fixed_in(cx, j, d);
      for (;;) {
        int64_t count = 0;
        uint32_t worst = UINT32_MAX;
        for (size_t b = off[j]; b < off[j + 1]; b++) {
          uint32_t k = who[b];
          if (match[k] < 0 || dept[k] != d) continue;
          count++;
          if (worst == UINT32_MAX || g->w[match[k]] < g->w[match[worst]] ||
              (g->w[match[k]] == g->w[match[worst]] && k > worst))
            worst = k;
        }
        if (count <= room) break;
        match[worst] = -1;
      }
    }
  }
  free(off);
  free(who);
}

/* The LP starts from the pairs that the rule-free optimum prices tightly
 * (its own pairs among them): column generation brings in the rest as the
 * rules need them.  Solving the plain assignment first costs milliseconds
 * with the flow solver and keeps GLPK's simplex on a small fraction of the
 * graph.  NULL (all columns) when the flow solver fails. */
static void start_columns(context *cx) {
  const mm_graph *g = cx->in->g;
  uint64_t E = g->off[g->n_left];
  int64_t *match = malloc(((size_t)g->n_left + 1) * sizeof *match);
  int64_t *u = malloc(((size_t)g->n_left + 1) * sizeof *u);
  int64_t *v = malloc(((size_t)g->n_right + 1) * sizeof *v);
  cx->near_tight = malloc(E + 1);
  mm_assignment a = {.big = mm_graph_big(g), .match = match, .u = u, .v = v};
  mm_error ignored;
  mm_error_clear(&ignored);
  if (!match || !u || !v || !cx->near_tight || mm_flow_solve(g, &a, &ignored) != MM_OK || a.timed_out) {
    free(cx->near_tight);
    cx->near_tight = NULL;
    free(match);
    match = NULL;
  } else {
    for (uint32_t i = 0; i < g->n_left; i++)
      for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++)
        cx->near_tight[k] = u[i] + v[g->adj[k]] - a.big - g->w[k] <= NEAR_TIGHT || match[i] == (int64_t)k ||
                            (cx->in->prefer && cx->in->prefer[k]);
    repair_departments(cx, match);
  }
  cx->flow_match = match;
  free(u);
  free(v);
}

static bool context_init(context *cx, const mm_rules_input *in) {
  const mm_problem *p = in->p;
  const mm_graph *g = in->g;
  size_t n = p->side[MM_MENTEE].n;
  memset(cx, 0, sizeof *cx);
  cx->in = in;
  cx->o = &p->opt;
  cx->started = clock_now();
  cx->gr.n_groups = p->groups.n;
  cx->gr.size = calloc(cx->gr.n_groups + 1, sizeof *cx->gr.size);
  cx->fixed_group = calloc(cx->gr.n_groups + 1, sizeof *cx->fixed_group);
  cx->fixed_off = calloc((size_t)g->n_right + 2, sizeof *cx->fixed_off);
  cx->fixed_list = malloc((n ? n : 1) * sizeof *cx->fixed_list);
  cx->cover_mentors = malloc(((size_t)g->n_right + 1) * sizeof *cx->cover_mentors);
  if (!cx->gr.size || !cx->fixed_group || !cx->fixed_off || !cx->fixed_list || !cx->cover_mentors) return false;
  const int32_t *group = p->side[MM_MENTEE].group;
  for (size_t i = 0; i < n; i++) {
    if (group[i] >= 0) {
      cx->gr.size[group[i]]++;
      cx->gr.givers++;
    }
  }
  for (size_t i = 0; i < n; i++) {
    int64_t j = in->fixed[i];
    if (j < 0) continue;
    cx->fixed_count++;
    cx->fixed_off[j + 2]++;
    for (int k = 0; k < MM_QUOTAS; k++)
      if (cx->o->quota_cross[k]) cx->fixed_quota[k] += quota_coef(p, k, (uint32_t)i, (uint32_t)j);
    for (uint32_t gi = 0; cx->o->group_proportional && gi < cx->gr.n_groups; gi++)
      cx->fixed_group[gi] += group_coef(p, &cx->gr, gi, (uint32_t)i);
  }
  for (uint32_t j = 0; j < g->n_right; j++) cx->fixed_off[j + 2] += cx->fixed_off[j + 1];
  for (size_t i = 0; i < n; i++)
    if (in->fixed[i] >= 0) cx->fixed_list[cx->fixed_off[in->fixed[i] + 1]++] = (uint32_t)i;
  double cap = 1;
  uint32_t *degree = calloc((size_t)g->n_right + 1, sizeof *degree);
  if (!degree) return false;
  for (uint32_t i = 0; i < g->n_left; i++) {
    int64_t best = 0;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->w[k] > best) best = g->w[k];
      degree[g->adj[k]]++;
    }
    cap += (double)best;
  }
  cx->score_cap = cap;
  for (uint32_t j = 0; cx->o->min_per_mentor && j < g->n_right; j++)
    if (g->cap[j] > 0 && degree[j] > 0 && cx->fixed_off[j + 1] == cx->fixed_off[j]) cx->cover_mentors[cx->n_cover++] = j;
  free(degree);
  return true;
}

static int by_priority_desc(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return x > y ? -1 : x < y;
}

/* Priority levels as weights: with levels v1 > v2 > ... > vL holding C1..CL
 * mentees, level L weighs 0 and level l weighs S + sum over k > l of
 * Ck * Bk, more than every lower level's bonuses and the score together,
 * so one more match at a higher level always wins (S bounds the score).
 * Computed in 128 bits; weights that doubles cannot hold exactly next to
 * the tiers above them are refused. */
static mm_status priority_tiers(context *cx, mm_error *e) {
  const mm_graph *g = cx->in->g;
  const int32_t *prio = cx->in->p->side[MM_MENTEE].priority;
  __extension__ typedef __int128 wide;
  int32_t *level = malloc(((size_t)g->n_left + 1) * sizeof *level);
  cx->bonus = calloc((size_t)g->n_left + 1, sizeof *cx->bonus);
  if (!level || !cx->bonus) {
    free(level);
    mm_error_set(e, NULL, "out of memory weighing priorities");
    return MM_ERR_NOMEM;
  }
  size_t n = 0;
  for (uint32_t i = 0; i < g->n_left; i++)
    if (g->off[i + 1] > g->off[i]) level[n++] = prio[i];
  qsort(level, n, sizeof *level, by_priority_desc);
  wide S = (wide)cx->score_cap, total = 0, weight = 0, limit = (wide)1 << 52;
  /* From the lowest level up: weight of level l = S + bonuses of all below. */
  size_t end = n;
  while (end > 0 && total < limit) {
    size_t start = end - 1;
    while (start > 0 && level[start - 1] == level[end - 1]) start--;
    weight = end == n ? 0 : S + total;
    for (uint32_t i = 0; i < g->n_left; i++)
      if (prio[i] == level[end - 1]) cx->bonus[i] = (int64_t)(weight < limit ? weight : limit);
    total += weight * (wide)(end - start);
    end = start;
  }
  wide low = S + total, per_match = low * ((wide)cx->n_cover + 2);
  free(level);
  if (total >= limit || per_match * ((wide)g->n_left + 1) >= limit) {
    mm_error_set(e, "priority",
                 "the priority levels (with their sizes) need objective weights beyond 2^52, which GLPK's doubles "
                 "cannot hold exactly; use fewer distinct priority values");
    return MM_ERR_LIMIT;
  }
  cx->low = (double)low;
  return MM_OK;
}

/* Names the first rule that, alone, admits no solution (with need_pair: no
 * solution with a pair).  MM_ERR_INFEASIBLE with e filled, or MM_OK when
 * each rule alone is satisfiable. */
static mm_status diagnose(const context *cx, bool need_pair, mm_error *e) {
  for (int rule = 0; rule <= MM_QUOTAS; rule++) {
    mm_options alone = *cx->o;
    for (int k = 0; k < MM_QUOTAS; k++) alone.quota_cross[k] = rule == k ? cx->o->quota_cross[k] : 0;
    alone.group_proportional = rule == MM_QUOTAS && cx->o->group_proportional;
    if (rule < MM_QUOTAS && !alone.quota_cross[rule]) continue;
    if (rule == MM_QUOTAS && !alone.group_proportional) continue;
    alone.max_per_department = 0;
    alone.min_per_mentor = 0;
    alone.objective_maxmin = 0;
    alone.mip_gap = 0;
    context one = *cx;
    one.o = &alone;
    one.n_cover = 0;
    one.need_pair = need_pair;
    attempt a;
    mm_status st = solve_above(&one, INT64_MIN, &a, e);
    bool impossible = st == MM_OK && a.res.outcome == MM_RULES_INFEASIBLE;
    attempt_free(&a);
    if (st != MM_OK) return st;
    if (!impossible) continue;
    if (rule < MM_QUOTAS) quota_message(cx, rule, e);
    else group_message(cx, e);
    return MM_ERR_INFEASIBLE;
  }
  return MM_OK;
}

/* "rules: quota.cross_location >= 0.6: 12 of 20 pairs across (0.6000); ..." */
static void describe(const context *cx, mm_rules_answer *out, int64_t floor_w) {
  const mm_options *o = cx->o;
  size_t used = 0, size = sizeof out->text;
  int w = snprintf(out->text, size, "solved by GLPK with the program rules:");
  used = w > 0 ? (size_t)w : 0;
  for (int k = 0; k < MM_QUOTAS && used < size; k++) {
    if (!o->quota_cross[k]) continue;
    w = snprintf(out->text + used, size - used, " %s >= %.4g (achieved %zu of %zu counted pairs across, %.4f);",
                 quota_name[k], o->quota_cross[k] / 1e4, out->across[k], out->known[k],
                 out->known[k] ? (double)out->across[k] / (double)out->known[k] : 0.0);
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->max_per_department && used < size) {
    w = snprintf(out->text + used, size - used, " max_per_department = %d;", o->max_per_department);
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->group_proportional && used < size) {
    w = snprintf(out->text + used, size - used, " every \"%s\" group gets its proportional share;", o->quota_column);
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->min_per_mentor && used < size) {
    w = snprintf(out->text + used, size - used, " min_per_mentor = 1 (%u mentors could get a first mentee);",
                 cx->n_cover);
    used += w > 0 ? (size_t)w : 0;
  }
  if (o->objective_maxmin && used < size)
    snprintf(out->text + used, size - used, " objective = maxmin (lowest matched score %.4f, then the total);",
             (double)floor_w / 1e4);
}

/* The answer's quota counts over every pair, fixed ones included. */
static void count_quotas(const context *cx, mm_rules_answer *out) {
  const mm_problem *p = cx->in->p;
  const mm_graph *g = cx->in->g;
  for (int k = 0; k < MM_QUOTAS; k++) {
    out->across[k] = out->known[k] = 0;
    for (size_t i = 0; i < p->side[MM_MENTEE].n; i++) {
      int64_t j = i < g->n_left && out->match[i] >= 0 ? (int64_t)g->adj[out->match[i]] : cx->in->fixed[i];
      if (j < 0) continue;
      int c, a;
      quota_part(p, k, (uint32_t)i, (uint32_t)j, &c, &a);
      out->known[k] += (size_t)c;
      out->across[k] += (size_t)a;
    }
  }
}

static void take(const context *cx, const attempt *a, mm_rules_answer *out) {
  const mm_graph *g = cx->in->g;
  out->in_lp = calloc(g->off[g->n_left] + 1, 1);
  for (size_t c = 0; out->in_lp && c < a->pr.n_pairs; c++) out->in_lp[a->pr.edge[c]] = a->pr.mip.loaded[c];
  out->columns = a->pr.mip.n_cols;
  out->columns_used = a->res.columns_used;
  out->pricing_rounds = a->res.pricing_rounds;
  for (uint32_t i = 0; i < g->n_left; i++) out->match[i] = -1;
  out->cardinality = out->weight = 0;
  for (size_t c = 0; c < a->pr.n_pairs; c++) {
    if (!a->x[c]) continue;
    out->match[a->pr.col_mentee[c]] = (int64_t)a->pr.edge[c];
    out->cardinality++;
    out->weight += g->w[a->pr.edge[c]];
  }
  const mm_rules_slots *sl = cx->in->slots;
  for (size_t k = 0; sl && k < sl->n_pairs; k++) sl->chosen[k] = -1;
  for (size_t c = 0; sl && c < (size_t)sl->mip->n_cols; c++)
    if (a->x[a->pr.slot_base + c]) sl->chosen[sl->col_pair[c]] = (int64_t)c;
  /* The bound on the score holds at this many matches when bound and value
   * share their tier; otherwise more matches may exist and no score bound is claimed. */
  double tier = a->pr.mip.tier;
  out->bound = a->tier_bound == a->tier_value ? (int64_t)floor(a->res.bound - a->tier_value * tier + 1e-6) : -1;
  if (out->bound >= 0 && out->bound < out->weight) out->bound = out->weight;
}

mm_status mm_rules_solve(const mm_rules_input *in, mm_rules_answer *out, mm_error *e) {
  context cx;
  attempt a;
  memset(&a, 0, sizeof a);
  mm_status st = MM_OK;
  if (!context_init(&cx, in)) {
    st = MM_ERR_NOMEM;
    mm_error_set(e, NULL, "out of memory preparing the program rules");
    goto done;
  }
  if ((st = check_fixed_departments(&cx, e)) != MM_OK) goto done;
  if ((st = priority_tiers(&cx, e)) != MM_OK) goto done;
  start_columns(&cx);
  if ((st = solve_above(&cx, INT64_MIN, &a, e)) != MM_OK) goto done;
  if (a.res.outcome == MM_RULES_INFEASIBLE) {
    st = diagnose(&cx, false, e);
    if (st == MM_OK) {
      mm_error_set(e, "rules", "the program rules cannot all hold together with the required and kept pairs");
      st = MM_ERR_INFEASIBLE;
    }
    goto done;
  }
  bool proven = a.res.outcome == MM_RULES_OPTIMAL;
  out->timed_out = a.res.outcome != MM_RULES_OPTIMAL;
  if (a.res.outcome == MM_RULES_NO_SOLUTION) {
    /* Nothing found in time: an empty assignment is the honest answer. */
    for (uint32_t i = 0; i < in->g->n_left; i++) out->match[i] = -1;
    out->cardinality = out->weight = 0;
    out->bound = -1;
    out->proven = false;
    count_quotas(&cx, out);
    describe(&cx, out, 0);
    goto done;
  }
  int64_t floor_w = 0;
  if (cx.o->objective_maxmin && (st = raise_floor(&cx, &a, &floor_w, &proven, e)) != MM_OK) goto done;
  take(&cx, &a, out);
  if (out->cardinality + cx.fixed_count == 0 && in->g->off[in->g->n_left] > 0 && proven) {
    st = diagnose(&cx, true, e);
    if (st == MM_OK) {
      mm_error_set(e, "rules", "no assignment with at least one pair meets all the program rules together");
      st = MM_ERR_INFEASIBLE;
    }
    goto done;
  }
  out->proven = proven;
  out->timed_out = !proven;
  count_quotas(&cx, out);
  describe(&cx, out, floor_w);
  if (!in->all_pairs && in->scorer && a.res.lp_bound < HUGE_VAL) {
    double gap = a.res.lp_bound - a.res.value;
    st = price_outside(&cx, &a, cx.o->objective_maxmin ? floor_w : INT64_MIN, gap > 0.5 ? -gap - 1e-3 : 1e-3, out, e);
  }
done:
  attempt_free(&a);
  context_free(&cx);
  out->seconds = clock_now() - cx.started;
  return st;
}
