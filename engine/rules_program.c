/* rules_program.c: the program rules written as one 0/1 program: pair columns, rows per rule, the quota arithmetic.
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
 * Max-min (rules.c) writes the program again above a score floor.  Pairs
 * fixed by require or --keep have no column but count toward every row; the
 * tight people's weekly starts (rules_slots.h) join as columns of their own.
 */
#include "rules_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const int32_t *attribute(const mm_problem *p, mm_side side, int k) {
  const mm_side_data *S = &p->side[side];
  return k == MM_QUOTA_LOCATION ? S->location : k == MM_QUOTA_COUNTRY ? S->country : S->department;
}

/* A pair's part in quota k: counted (both give the attribute) and across. */
void mm_rules_quota_part(const mm_problem *p, int k, uint32_t i, uint32_t j, int *counted, int *across) {
  int32_t a = attribute(p, MM_MENTEE, k)[i], b = attribute(p, MM_MENTOR, k)[j];
  *counted = a >= 0 && b >= 0;
  *across = *counted && a != b;
}

/* Coefficient of a pair in quota k's row: 10000 * across - share * counted. */
int64_t mm_rules_quota_coef(const mm_problem *p, int k, uint32_t i, uint32_t j) {
  int counted, across;
  mm_rules_quota_part(p, k, i, j, &counted, &across);
  return 10000 * (int64_t)across - (int64_t)p->opt.quota_cross[k] * counted;
}


int64_t mm_rules_group_coef(const mm_problem *p, const groups *gr, uint32_t g, uint32_t i) {
  int32_t mine = p->side[MM_MENTEE].group[i];
  if (mine < 0) return 0;
  return gr->givers * ((uint32_t)mine == g) - gr->size[g];
}

void mm_rules_program_free(program *pr) {
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
      int64_t coef = mm_rules_quota_coef(p, k, pr->col_mentee[c], pr->col_mentor[c]);
      if (coef && !add_entry(pr, c, (double)coef)) return false;
    }
  }
  if (!cx->o->group_proportional) return true;
  for (uint32_t g = 0; g < cx->gr.n_groups; g++) {
    if (!cx->gr.size[g]) continue;
    pr->group_row[g] = (int64_t)pr->mip.n_rows;
    if (!begin_row(pr, (double)(1 - cx->gr.givers - cx->fixed_group[g]), HUGE_VAL)) return false;
    for (size_t c = 0; c < pr->n_pairs; c++) {
      int64_t coef = mm_rules_group_coef(p, &cx->gr, g, pr->col_mentee[c]);
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
int64_t mm_rules_fixed_in(const context *cx, uint32_t j, int32_t d) {
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
      int64_t room = limit - mm_rules_fixed_in(cx, j, col_dept[scratch[a]]);
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
 * held to a slot, at most 1 for one that may go without, to 0 for a pair
 * without a column). */
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
    double need = sl->pair_fixed[k] == 1 ? 1 : 0, most = sl->pair_fixed[k] ? 1 : 0;
    ok = begin_row(pr, need, most);
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
double mm_rules_match_tier(const context *cx) { return cx->n_cover ? cx->low * (cx->n_cover + 1) : cx->low; }

/* The whole program for pairs scoring at least floor_w. */
bool mm_rules_build(program *pr, const context *cx, int64_t floor_w) {
  memset(pr, 0, sizeof *pr);
  double cover = cx->n_cover ? cx->low : 0;
  double tier = mm_rules_match_tier(cx);
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
