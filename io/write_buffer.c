/* write_buffer.c: the memory buffer in front of an output stream (see write_buffer.h).
 *
 * Digits are written back to front into a small array and then appended in
 * one piece, which is all printf's integer conversions do for these files.
 */
#include "write_buffer.h"

void io_wbuf_init(io_wbuf *b, FILE *f) {
  b->f = f;
  b->used = 0;
}

void io_wbuf_spill(io_wbuf *b) {
  if (b->used) fwrite(b->data, 1, b->used, b->f);
  b->used = 0;
}

void io_wbuf_put_long(io_wbuf *b, const char *s, size_t n) {
  io_wbuf_spill(b);
  if (n < IO_WBUF_SIZE) {
    memcpy(b->data, s, n);
    b->used = n;
  } else {
    fwrite(s, 1, n, b->f);
  }
}

void io_wbuf_u64(io_wbuf *b, uint64_t v, int width) {
  char digits[24];
  char *end = digits + sizeof digits, *d = end;
  do {
    *--d = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (end - d < width && d > digits) *--d = '0';
  io_wbuf_put(b, d, (size_t)(end - d));
}

void io_wbuf_i64(io_wbuf *b, int64_t v) {
  if (v < 0) io_wbuf_putc(b, '-');
  io_wbuf_u64(b, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 0);
}

int io_wbuf_flush(io_wbuf *b) {
  io_wbuf_spill(b);
  int failed = fflush(b->f) != 0;
  return failed || ferror(b->f);
}
