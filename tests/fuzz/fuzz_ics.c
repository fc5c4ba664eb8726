/* fuzz_ics.c: libFuzzer target for the calendar text layer and the previous-calendar reader.
 *
 * io/ics_text.c turns roster text of any bytes into iCalendar TEXT and
 * quoted parameter values and folds the lines; io/email.c decides which
 * e-mails are addresses; io/ics_previous.c reads an earlier meetings.ics.
 * An input is used three ways:
 *   - as a name and an e-mail: the escaped content lines, folded, must be
 *     valid UTF-8, hold no control byte but tab, CR before LF and the fold's
 *     space, keep every physical line within 75 octets, and unfold and
 *     unescape back to the input's valid characters; a mailto: IRI of an
 *     accepted address holds no space, quote or control byte;
 *   - as DIR/meetings.ics for io_ics_previous_read: an error or a table,
 *     never a crash; a malformed file errs with the file named.
 */
#include "email.h"
#include "fuzz_util.h"
#include "ics_previous.h"
#include "ics_text.h"

#include <sys/stat.h>

static char dir[64];

static void cleanup(void) {
  char path[128];
  snprintf(path, sizeof path, "%s/meetings.ics", dir);
  unlink(path);
  rmdir(dir);
}

static void setup(void) {
  if (dir[0]) return;
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/mm-ics-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  FUZZ_CHECK(mkdtemp(dir) != NULL);
  atexit(cleanup);
  char path[128];
  snprintf(path, sizeof path, "%s/meetings.ics", dir);
  FUZZ_CHECK(symlink(fuzz_bytes_to_path((const uint8_t *)"", 0), path) == 0);
}

/* Folded bytes: CRLF-ended physical lines of at most 75 octets, UTF-8. */
static void check_folded(const char *s, size_t n) {
  size_t line = 0;
  for (size_t k = 0; k < n; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c == '\r') {
      FUZZ_CHECK(k + 1 < n && s[k + 1] == '\n');
      k++;
      line = 0;
      continue;
    }
    FUZZ_CHECK(c >= 0x20 || c == '\t');
    FUZZ_CHECK(c != 0x7f);
    size_t len = io_utf8_len((const unsigned char *)s + k);
    FUZZ_CHECK(len > 0);
    line += len;
    FUZZ_CHECK(line <= 75);
    k += len - 1;
  }
}

static void check_text(const char *text) {
  io_sbuf b = {0};
  io_sb_puts(&b, "SUMMARY:");
  io_sb_text(&b, text);
  io_sb_puts(&b, "\nATTENDEE;CN=");
  io_sb_param(&b, text);
  io_sb_puts(&b, ":");
  if (io_email_valid(text)) {
    size_t at = b.n;
    io_sb_mailto(&b, text);
    for (size_t k = at; k < b.n; k++)
      FUZZ_CHECK((unsigned char)b.s[k] > 0x20 && b.s[k] != '"' && b.s[k] != 0x7f);
  } else {
    io_sb_puts(&b, "urn:x");
  }
  FUZZ_CHECK(!b.nomem);
  io_sbuf folded = {0};
  io_ics_fold(&folded, b.s, b.n);
  FUZZ_CHECK(!folded.nomem);
  char *out = folded.s;
  size_t n = folded.n;
  check_folded(out, n);
  /* Unfolded, the TEXT line unescapes to the input's valid characters. */
  size_t w = 0;
  for (size_t k = 0; k < n; k++) {
    if (out[k] == '\r' && out[k + 1] == '\n' && k + 2 < n && out[k + 2] == ' ') {
      k += 2;
      continue;
    }
    out[w++] = out[k];
  }
  out[w] = '\0';
  const char *p = out + strlen("SUMMARY:");
  for (const unsigned char *q = (const unsigned char *)text; *q;) {
    size_t len = io_utf8_len(q);
    if (!len) {
      FUZZ_CHECK(memcmp(p, "\xef\xbf\xbd", 3) == 0);
      p += 3, q++;
    } else if (*q == '\r' || *q == '\n') {
      FUZZ_CHECK(p[0] == '\\' && p[1] == 'n');
      p += 2;
      q += (*q == '\r' && q[1] == '\n') ? 2 : 1;
    } else if ((*q < 0x20 && *q != '\t') || *q == 0x7f) {
      q++;
    } else {
      if (*p == '\\') p++;
      FUZZ_CHECK(memcmp(p, q, len) == 0);
      p += len, q += len;
    }
  }
  FUZZ_CHECK(p[0] == '\r' && p[1] == '\n');
  free(out);
  free(b.s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  char *text = fuzz_string(data, size);
  check_text(text);
  free(text);
  fuzz_bytes_to_path(data, size);
  io_ics_previous *prev = NULL;
  mm_error e;
  mm_error_clear(&e);
  mm_status st = io_ics_previous_read(dir, &prev, &e);
  if (st == MM_OK) {
    long seq;
    uint64_t hash;
    io_ics_previous_find(prev, "x@mentormatch", &seq, &hash);
    io_ics_previous_free(prev);
  } else {
    FUZZ_CHECK(prev == NULL);
    FUZZ_CHECK(st == MM_ERR_PARSE || st == MM_ERR_NOMEM);
    FUZZ_CHECK(strstr(e.file, "meetings.ics") != NULL);
    fuzz_check_error(&e, 0);
  }
  return 0;
}
