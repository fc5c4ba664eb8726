/* write_buffer.h: output gathered in memory and handed to a stream in large pieces.
 *
 * The CSV and report writers emit hundreds of millions of small pieces (a
 * comma, a cell, a digit) at L size.  Through stdio each piece takes the
 * stream's lock and a call; here a piece is a memcpy into a buffer that goes
 * to the stream with one fwrite per IO_WBUF_SIZE bytes.  Numbers are
 * formatted straight into it, without printf.
 *
 * Errors are sticky like ferror: write, then ask io_wbuf_flush.  A buffer
 * must be used by one thread at a time; it does not own its stream.
 */
#ifndef MM_IO_WRITE_BUFFER_H
#define MM_IO_WRITE_BUFFER_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IO_WBUF_SIZE ((size_t)16 * 1024)

typedef struct {
  FILE *f;
  size_t used;
  char data[IO_WBUF_SIZE];
} io_wbuf;

/* Starts gathering output for f (borrowed, not closed). */
void io_wbuf_init(io_wbuf *b, FILE *f);

/* Hands what is gathered to the stream (fwrite, no fflush). */
void io_wbuf_spill(io_wbuf *b);

/* Appends n bytes that may not fit in what is left of the buffer. */
void io_wbuf_put_long(io_wbuf *b, const char *s, size_t n);

/* Appends n bytes. */
static inline void io_wbuf_put(io_wbuf *b, const char *s, size_t n) {
  if (n <= IO_WBUF_SIZE - b->used) {
    memcpy(b->data + b->used, s, n);
    b->used += n;
  } else {
    io_wbuf_put_long(b, s, n);
  }
}

/* Appends one byte. */
static inline void io_wbuf_putc(io_wbuf *b, char c) {
  if (b->used == IO_WBUF_SIZE) io_wbuf_spill(b);
  b->data[b->used++] = c;
}

/* Appends a NUL-terminated string. */
static inline void io_wbuf_puts(io_wbuf *b, const char *s) { io_wbuf_put(b, s, strlen(s)); }

/* Appends v in decimal, as printf's "%" PRId64 would. */
void io_wbuf_i64(io_wbuf *b, int64_t v);

/* Appends v in decimal with at least width digits, zeros in front (as
 * printf's "%0*" PRIu64 with a width up to 20). */
void io_wbuf_u64(io_wbuf *b, uint64_t v, int width);

/* Spills and flushes the stream; 0, or nonzero when this or any earlier
 * write to the stream failed (errno tells why). */
int io_wbuf_flush(io_wbuf *b);

#endif
