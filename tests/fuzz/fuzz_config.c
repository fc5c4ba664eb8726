/* fuzz_config.c: libFuzzer target for io_read_config and the strict value parsers it shares with flags.
 *
 * A settings file is small but hand-written, and the same parsers read every
 * number on the command line.  The target reads the input as a --config file
 * onto default options, and also hands the whole input, as one string, to
 * io_parse_int, io_parse_decimal and io_parse_date.  It checks that a file
 * accepted gives options mm_options_check accepts, that every error is
 * located in the file (a line inside it, the file's own name), and that a
 * value a parser accepts is in range: an integer inside lo..hi, a finite
 * decimal, a real calendar date.
 */
#include "config_reader.h"
#include "fuzz_util.h"

#include <math.h>

/* Lines as the reader counts them: LF ends one, and so does a CR that a
 * character other than LF follows (old Mac line ends). */
static long lines_in(const uint8_t *d, size_t n) {
  long lines = 1;
  for (size_t k = 0; k < n; k++) lines += d[k] == '\n' || (d[k] == '\r' && k + 1 < n && d[k + 1] != '\n');
  return lines;
}

static void check_values(const char *text) {
  long x = 12345;
  mm_status s = io_parse_int(text, -1000, 1000, &x);
  FUZZ_CHECK(s == MM_OK || s == MM_ERR_PARSE || s == MM_ERR_INVALID);
  if (s == MM_OK) FUZZ_CHECK(x >= -1000 && x <= 1000);
  double v = 0;
  if (io_parse_decimal(text, &v) == MM_OK) FUZZ_CHECK(isfinite(v));
  int y = 0, m = 0, d = 0;
  if (io_parse_date(text, &y, &m, &d) == MM_OK) {
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1]);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    FUZZ_CHECK(!(m == 2 && d == 29 && !leap));
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = fuzz_bytes_to_path(data, size);
  mm_options o;
  mm_options_init(&o);
  mm_error e;
  mm_error_clear(&e);
  mm_status s = io_read_config(path, &o, &e);
  if (s == MM_OK) {
    mm_error check;
    mm_error_clear(&check);
    FUZZ_CHECK(mm_options_check(&o, &check) == MM_OK);
  } else {
    FUZZ_CHECK(s == MM_ERR_PARSE || s == MM_ERR_INVALID);
    fuzz_check_error(&e, 0);
    FUZZ_CHECK(strcmp(e.file, path) == 0);
    FUZZ_CHECK(e.line >= 0 && e.line <= lines_in(data, size));
    if (s == MM_ERR_PARSE) FUZZ_CHECK(e.line >= 1);
    FUZZ_CHECK(e.col >= 0);
  }
  char *text = fuzz_string(data, size);
  check_values(text);
  free(text);
  return 0;
}
