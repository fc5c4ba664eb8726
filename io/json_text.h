/* json_text.h: the pieces of JSON text every writer of JSON shares. */
#ifndef MM_IO_JSON_TEXT_H
#define MM_IO_JSON_TEXT_H

#include "write_buffer.h"

#include <stdio.h>

/* Writes s as a JSON string (RFC 8259): quotes, backslashes and control
 * characters escaped, every other byte (UTF-8 included) as is.  Safe inside
 * an HTML <script> element too: "<" is written as \u003c, so no "</script>"
 * can end the element early. */
void io_json_string(FILE *f, const char *s);

/* io_json_string into a write buffer. */
void io_json_string_buf(io_wbuf *b, const char *s);

#endif
