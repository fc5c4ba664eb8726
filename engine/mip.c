/* mip.c: building a 0/1 integer program (mm_mip) column by column and row by row.
 *
 * The model is assembled by code that knows people and slots (joint.c) and
 * later by code that knows program rules; keeping it as growable arrays here
 * means neither of them touches the solver, and solve_glpk.c reads one flat
 * layout.  mm_grow, the growable-array step they all use, lives here too.
 */
#include "mip.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>

void mm_mip_init(mm_mip *m) { memset(m, 0, sizeof *m); }

void mm_mip_free(mm_mip *m) {
  if (!m) return;
  free(m->obj);
  free(m->row_off);
  free(m->row_col);
  free(m->row_coef);
  free(m->row_lo);
  free(m->row_hi);
  mm_mip_init(m);
}

int mm_grow(void **arr, size_t *alloc, size_t need, size_t size) {
  if (need <= *alloc) return 1;
  size_t n = *alloc ? *alloc : 64;
  while (n < need) n *= 2;
  void *q = realloc(*arr, n * size);
  if (!q) return 0;
  *arr = q;
  *alloc = n;
  return 1;
}

int mm_mip_add_col(mm_mip *m, double obj) {
  if (m->n_cols == INT32_MAX - 1) return -1;
  if (!mm_grow((void **)&m->obj, &m->cols_alloc, (size_t)m->n_cols + 1, sizeof *m->obj)) return -1;
  m->obj[m->n_cols] = obj;
  return m->n_cols++;
}

int mm_mip_add_row(mm_mip *m, int n, const int *col, const double *coef, double lo, double hi) {
  size_t rows = (size_t)m->n_rows + 1, used = m->row_off ? (size_t)m->row_off[m->n_rows] : 0;
  size_t need = used + (size_t)n, ra = m->rows_alloc, ea = m->entries_alloc;
  if (need >= INT32_MAX) return 0;
  /* Each array is grown from the same old size, so one failure leaves the
   * model as it was. */
  if (!mm_grow((void **)&m->row_lo, &ra, rows + 1, sizeof *m->row_lo)) return 0;
  ra = m->rows_alloc;
  if (!mm_grow((void **)&m->row_hi, &ra, rows + 1, sizeof *m->row_hi)) return 0;
  ra = m->rows_alloc;
  if (!mm_grow((void **)&m->row_off, &ra, rows + 1, sizeof *m->row_off)) return 0;
  m->rows_alloc = ra;
  if (!mm_grow((void **)&m->row_col, &ea, need, sizeof *m->row_col)) return 0;
  ea = m->entries_alloc;
  if (!mm_grow((void **)&m->row_coef, &ea, need, sizeof *m->row_coef)) return 0;
  m->entries_alloc = ea;
  if (m->n_rows == 0) m->row_off[0] = 0;
  for (int k = 0; k < n; k++) {
    m->row_col[used + (size_t)k] = col[k];
    m->row_coef[used + (size_t)k] = coef ? coef[k] : 1.0;
  }
  m->row_lo[m->n_rows] = lo;
  m->row_hi[m->n_rows] = hi;
  m->row_off[++m->n_rows] = (int)need;
  return 1;
}
