/* grow.h: room for one more element in a growable array, for the io readers.
 *
 * The readers collect records, fields and names into arrays whose length
 * they learn as they go; each grows by doubling (from 16 elements), so a
 * roster of n rows costs O(n) copies in all.  One helper, so the readers
 * agree on how.
 */
#ifndef MM_IO_GROW_H
#define MM_IO_GROW_H

#include <stdlib.h>

/* Makes room for need elements of elem bytes in *p (capacity *cap); 0 when
 * memory is short, leaving *p as it was. */
static inline int io_grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap * 2 : 16;
  while (n < need) n *= 2;
  void *q = realloc(*p, n * elem);
  if (!q) return 0;
  *p = q;
  *cap = n;
  return 1;
}

#endif
