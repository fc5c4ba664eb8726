/* email.c: validates roster e-mail addresses and writes them as mailto: IRIs.
 *
 * The grammar is RFC 5322's addr-spec without comments or folding white
 * space (which no roster means), widened by RFC 6532 to UTF-8, with the
 * octet limits of RFC 5321.  Internationalised addresses such as
 * diego.lópez@example.com are valid and kept byte for byte.
 */
#include "email.h"

#include <string.h>

#define MAX_LOCAL 64
#define MAX_LABEL 63
#define MAX_ADDRESS 254

static int ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* atext of RFC 5322 3.2.3, plus UTF-8 characters (RFC 6532 3.2); returns the
 * octets of the character at p, 0 when it is not atext. */
static size_t atext(const unsigned char *p) {
  if (*p >= 0x80) return io_utf8_len(p);
  return ascii_alnum(*p) || (*p && strchr("!#$%&'*+-/=?^_`{|}~", *p)) ? 1 : 0;
}

/* Local part up to the '@': dot-atom or quoted-string.  Returns its length. */
static size_t local_part(const unsigned char *s) {
  const unsigned char *p = s;
  if (*p == '"') {
    for (p++; *p && *p != '"'; p++) {
      if (*p == '\\') {
        p++;
        if (*p < 0x20 || *p == 0x7f) return 0;
      } else if (*p < 0x20 || *p == 0x7f) {
        return 0;
      } else if (*p >= 0x80) {
        size_t len = io_utf8_len(p);
        if (!len) return 0;
        p += len - 1;
      }
    }
    return *p == '"' ? (size_t)(p + 1 - s) : 0;
  }
  int need_atext = 1;
  while (*p && *p != '@') {
    size_t len = atext(p);
    if (len) {
      need_atext = 0;
      p += len;
    } else if (*p == '.' && !need_atext) {
      need_atext = 1;
      p++;
    } else {
      return 0;
    }
  }
  return need_atext ? 0 : (size_t)(p - s);
}

static int domain(const unsigned char *p) {
  if (*p == '[') {
    for (p++; *p && *p != ']'; p++)
      if (*p < 0x21 || *p == 0x7f || *p == '[' || *p == '\\') return 0;
    return *p == ']' && p[1] == '\0';
  }
  size_t label = 0;
  unsigned char prev = '.';
  for (; *p; prev = *p, p++) {
    if (*p == '.') {
      if (label == 0 || prev == '-') return 0;
      label = 0;
      continue;
    }
    size_t len = *p >= 0x80 ? io_utf8_len(p) : (ascii_alnum(*p) || *p == '-');
    if (!len || (*p == '-' && label == 0)) return 0;
    label += len;
    if (label > MAX_LABEL) return 0;
    p += len - 1;
  }
  return label > 0 && prev != '-';
}

int io_email_valid(const char *s) {
  if (!s || strlen(s) > MAX_ADDRESS) return 0;
  const unsigned char *u = (const unsigned char *)s;
  size_t local = local_part(u);
  if (local == 0 || local > MAX_LOCAL || u[local] != '@') return 0;
  return domain(u + local + 1);
}

void io_sb_mailto(io_sbuf *b, const char *email) {
  io_sb_puts(b, "mailto:");
  for (const unsigned char *p = (const unsigned char *)email; *p; p++) {
    /* unreserved, some-delims and '@' of RFC 6068 2; UTF-8 as an IRI. */
    if (*p >= 0x80 || ascii_alnum(*p) || strchr("-._~!$'()*+,;:@", *p)) {
      io_sb_put(b, (const char *)p, 1);
    } else {
      io_sb_printf(b, "%%%02X", *p);
    }
  }
}
