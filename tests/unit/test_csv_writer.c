/* test_csv_writer.c: unit tests of io/csv_writer (quoting, neutralising, errors, round trip).
 *
 * The writer's promise is that whatever it writes reads back unchanged
 * through io/csv_reader, so most cases write a file and read it back.
 */
#include "check.h"
#include "csv_reader.h"
#include "csv_writer.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

/* Writes one record of text cells to a string. */
static const char *written(const char *const *cells, size_t n) {
  static char out[1024];
  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (!f) return "";
  io_csv_writer w;
  io_csv_writer_init(&w, f, "<tmp>");
  for (size_t k = 0; k < n; k++) io_csv_write_text(&w, cells[k]);
  mm_error e;
  CHECK_EQ(io_csv_end_record(&w, &e), MM_OK);
  CHECK_EQ(io_csv_writer_finish(&w, &e), MM_OK);
  rewind(f);
  size_t len = fread(out, 1, sizeof out - 1, f);
  out[len] = '\0';
  fclose(f);
  return out;
}

static void test_quoting(void) {
  const char *plain[3] = {"a", "b c", ""};
  CHECK_STR_EQ(written(plain, 3), "a,b c,\n");
  const char *special[4] = {"x,y", "say \"hi\"", "two\nlines", "cr\rhere"};
  CHECK_STR_EQ(written(special, 4), "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\n");
  const char *blanks[3] = {" lead", "trail\t", "mid dle"};
  CHECK_STR_EQ(written(blanks, 3), "\" lead\",\"trail\t\",mid dle\n");
  const char *empty_only[1] = {""};
  CHECK_STR_EQ(written(empty_only, 1), "\"\"\n");
  const char *null_cell[2] = {NULL, "x"};
  CHECK_STR_EQ(written(null_cell, 2), ",x\n");
}

static void test_neutralising(void) {
  const char *risky[6] = {"=SUM(A1:A9)", "+1", "-2", "@cmd", "\tx", "\rx"};
  CHECK_STR_EQ(written(risky, 6), "'=SUM(A1:A9),'+1,'-2,'@cmd,'\tx,\"'\rx\"\n");
  const char *mixed[2] = {"=a,b", "safe=1"};
  CHECK_STR_EQ(written(mixed, 2), "\"'=a,b\",safe=1\n");
  /* "=x" and "'=x" must not come out alike. */
  const char *quoted[3] = {"=x", "'=x", "'plain"};
  CHECK_STR_EQ(written(quoted, 3), "'=x,''=x,''plain\n");
}

static void test_numbers(void) {
  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (!f) return;
  io_csv_writer w;
  io_csv_writer_init(&w, f, "<tmp>");
  io_csv_write_number(&w, "-12.5");
  io_csv_write_int(&w, -7);
  io_csv_write_int(&w, 1000);
  io_csv_write_score(&w, 8125);
  io_csv_write_score(&w, -125000);
  io_csv_write_score(&w, 0);
  io_csv_write_score(&w, -5);
  io_csv_write_score(&w, INT64_C(10000000000));
  mm_error e;
  CHECK_EQ(io_csv_end_record(&w, &e), MM_OK);
  CHECK_EQ(io_csv_writer_finish(&w, &e), MM_OK);
  char out[256];
  rewind(f);
  size_t len = fread(out, 1, sizeof out - 1, f);
  out[len] = '\0';
  fclose(f);
  CHECK_STR_EQ(out, "-12.5,-7,1000,0.8125,-12.5000,0.0000,-0.0005,1000000.0000\n");
}

/* Integers at the ends of their range, and a cell longer than the writer's
 * buffer between two short ones: the bytes are printf's and the cell's. */
static void test_extremes_and_long_cells(void) {
  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (!f) return;
  static char big[3 * IO_WBUF_SIZE + 7];
  for (size_t k = 0; k + 1 < sizeof big; k++) big[k] = (char)('a' + k % 26);
  big[sizeof big - 1] = '\0';
  io_csv_writer w;
  io_csv_writer_init(&w, f, "<tmp>");
  mm_error e;
  io_csv_write_int(&w, LLONG_MIN);
  io_csv_write_int(&w, LLONG_MAX);
  io_csv_write_int(&w, 0);
  io_csv_write_score(&w, INT64_MIN);
  CHECK_EQ(io_csv_end_record(&w, &e), MM_OK);
  io_csv_write_text(&w, "x");
  io_csv_write_text(&w, big);
  io_csv_write_text(&w, "y");
  CHECK_EQ(io_csv_end_record(&w, &e), MM_OK);
  CHECK_EQ(io_csv_writer_finish(&w, &e), MM_OK);
  static char want[sizeof big + 256], out[sizeof want];
  int n = snprintf(want, sizeof want, "%lld,%lld,0,-%" PRIu64 ".%04" PRIu64 "\nx,%s,y\n", LLONG_MIN, LLONG_MAX,
                   (uint64_t)INT64_MAX / 10000 + ((uint64_t)INT64_MAX % 10000 + 1) / 10000,
                   ((uint64_t)INT64_MAX % 10000 + 1) % 10000, big);
  rewind(f);
  size_t len = fread(out, 1, sizeof out - 1, f);
  out[len] = '\0';
  fclose(f);
  CHECK_EQ(len, (size_t)n);
  CHECK_STR_EQ(out, want);
}

static void test_write_error(void) {
  FILE *f = fopen("/dev/full", "w");
  if (!f) return; /* no /dev/full here: nothing to test */
  io_csv_writer w;
  io_csv_writer_init(&w, f, "pairs.csv");
  mm_error e;
  mm_error_clear(&e);
  mm_status s = MM_OK;
  for (int k = 0; k < 10000 && s == MM_OK; k++) {
    io_csv_write_text(&w, "some text that fills the stream buffer");
    s = io_csv_end_record(&w, &e);
  }
  if (s == MM_OK) s = io_csv_writer_finish(&w, &e);
  CHECK_EQ(s, MM_ERR_IO);
  char buf[256];
  mm_error_format(&e, buf, sizeof buf);
  CHECK_STR_EQ(buf, "pairs.csv: error: write failed: No space left on device");
  fclose(f);
}

/* Every cell written reads back as written (with the apostrophe). */
static void test_round_trip(void) {
  static const char *const cells[][4] = {
      {"id", "name", "note", "score"},
      {"1", "O'Brien, Pat", "said \"hello\"", "0.5"},
      {"2", "multi\nline\r\nname", "", "-1"},
      {"3", "=HYPERLINK(\"x\")", "@home", "12"},
      {"4", " padded ", "\ttabbed", "0"},
      {"5", "Zo\xC3\xAB", "\"", "1"},
  };
  size_t rows = sizeof cells / sizeof cells[0];
  char path[128];
  snprintf(path, sizeof path, "%s/round.csv", dir);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  io_csv_writer w;
  io_csv_writer_init(&w, f, path);
  mm_error e;
  for (size_t r = 0; r < rows; r++) {
    for (int c = 0; c < 3; c++) io_csv_write_text(&w, cells[r][c]);
    if (r == 0) {
      io_csv_write_text(&w, cells[r][3]);
    } else {
      io_csv_write_number(&w, cells[r][3]);
    }
    CHECK_EQ(io_csv_end_record(&w, &e), MM_OK);
  }
  io_csv_write_text(&w, ""); /* a record of one empty cell */
  CHECK_EQ(io_csv_end_record(&w, &e), MM_OK);
  CHECK_EQ(io_csv_writer_finish(&w, &e), MM_OK);
  fclose(f);

  io_csv_reader *r;
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  const io_csv_record *rec;
  int risky_seen = 0;
  for (size_t k = 0; k < rows; k++) {
    CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
    if (!rec) break;
    CHECK_EQ(rec->n_fields, 4);
    for (int c = 0; c < 4; c++) {
      const char *want = cells[k][c];
      char neutral[64];
      if (c < 3 && (want[0] == '=' || want[0] == '@' || want[0] == '\t')) {
        snprintf(neutral, sizeof neutral, "'%s", want);
        want = neutral;
        risky_seen++;
      }
      CHECK_STR_EQ(rec->fields[c].text, want);
    }
  }
  CHECK_EQ(risky_seen, 3);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec != NULL);
  if (rec) {
    CHECK_EQ(rec->n_fields, 1);
    CHECK_STR_EQ(rec->fields[0].text, "");
  }
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec == NULL);
  io_csv_close(r);
  remove(path);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/mm_csv_writer_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_quoting();
  test_neutralising();
  test_numbers();
  test_extremes_and_long_cells();
  test_write_error();
  test_round_trip();
  rmdir(dir);
  return check_report("test_csv_writer");
}
