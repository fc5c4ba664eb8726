/* test_csv_reader.c: unit tests of io/csv_reader (quoting, positions, errors, header mapping).
 *
 * Each case writes its bytes to a file in a fresh temporary folder, reads it
 * back and checks the fields, their line and column numbers, or the exact
 * compiler-style error line.
 */
#include "check.h"
#include "error_lines.h"
#include "csv_reader.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static char paths[64][128];
static int n_paths;

/* Writes len bytes to a new file in the temporary folder; returns its path. */
static const char *write_bytes(const char *name, const char *data, size_t len) {
  char *path = paths[n_paths++];
  snprintf(path, sizeof paths[0], "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    CHECK_EQ(fwrite(data, 1, len, f), len);
    fclose(f);
  }
  return path;
}

static const char *write_text(const char *name, const char *text) {
  return write_bytes(name, text, strlen(text));
}

/* Reads records until the end or an error; returns the status of the last call. */
static mm_status read_all(io_csv_reader *r, size_t *n_records, mm_error *e) {
  const io_csv_record *rec;
  mm_status s;
  *n_records = 0;
  while ((s = io_csv_next(r, &rec, e)) == MM_OK && rec) (*n_records)++;
  return s;
}

/* Opens path and reads it to the end, with a header check when cols given. */
static mm_status read_file(const char *path, size_t max_field, mm_error *e) {
  io_csv_reader *r;
  mm_error_clear(e);
  mm_status s = io_csv_open(path, max_field, &r, e);
  if (s != MM_OK) return s;
  size_t n;
  s = read_all(r, &n, e);
  io_csv_close(r);
  return s;
}

static void test_quoting_and_lines(void) {
  const char *path = write_text("quoting.csv",
                                "id,note,x\n"                    /* 1 */
                                "1,\"a,b\",plain\n"              /* 2 */
                                "2,\"say \"\"hi\"\"\",\"multi\n" /* 3 */
                                "line\"\n"                       /* 4 */
                                "3,after,z\n"                    /* 5 */
                                "4,\"x\n"                        /* 6 */
                                "y\",z\n"                        /* 7 */
                                "  5 ,  \"  padded  \"  , \n"    /* 8 */
                                "6,\"\",\"a\r\nb\"");            /* 9-10, no final newline */
  io_csv_reader *r;
  mm_error e;
  mm_error_clear(&e);
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  const io_csv_record *rec;
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_EQ(rec->n_fields, 3);
  CHECK_STR_EQ(rec->fields[2].text, "x");
  CHECK_EQ(rec->line, 1);

  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_STR_EQ(rec->fields[1].text, "a,b");
  CHECK_EQ(rec->fields[1].len, 3);
  CHECK_EQ(rec->fields[1].line, 2);
  CHECK_EQ(rec->fields[1].col, 2);

  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_STR_EQ(rec->fields[1].text, "say \"hi\"");
  CHECK_STR_EQ(rec->fields[2].text, "multi\nline");
  CHECK_EQ(rec->fields[2].line, 3);
  CHECK_EQ(rec->line, 3);

  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_STR_EQ(rec->fields[0].text, "3");
  CHECK_EQ(rec->line, 5);
  CHECK_EQ(rec->fields[2].line, 5);
  CHECK_EQ(rec->fields[2].col, 3);

  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_EQ(rec->line, 6);
  CHECK_EQ(rec->fields[1].line, 6);
  CHECK_STR_EQ(rec->fields[1].text, "x\ny");
  CHECK_EQ(rec->fields[2].line, 7); /* starts after the multi-line field */
  CHECK_STR_EQ(rec->fields[2].text, "z");

  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_EQ(rec->line, 8);
  CHECK_STR_EQ(rec->fields[0].text, "5");           /* blanks around unquoted text go */
  CHECK_STR_EQ(rec->fields[1].text, "  padded  "); /* quoted blanks stay */
  CHECK_STR_EQ(rec->fields[2].text, "");

  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_EQ(rec->line, 9);
  CHECK_STR_EQ(rec->fields[1].text, "");
  CHECK_STR_EQ(rec->fields[2].text, "a\r\nb");

  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec == NULL);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK); /* the end stays the end */
  CHECK(rec == NULL);
  io_csv_close(r);
}

static void test_bom_crlf_blank_lines(void) {
  const char *path = write_text("bom.csv", "\xEF\xBB\xBFid,name\r\n1,Ann\r\n\r\n  \r\n2,\"B\r\nob\"\r\n3,Cy\r4,Di\n");
  io_csv_reader *r;
  mm_error e;
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  const io_csv_column cols[2] = {{"id", 1}, {"name", 1}};
  long index[2];
  CHECK_EQ(io_csv_read_header(r, cols, 2, index, NULL, NULL, &e), MM_OK);
  CHECK_EQ(index[0], 0);
  CHECK_EQ(index[1], 1);
  const io_csv_record *rec;
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_EQ(rec->line, 2);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_EQ(rec->line, 5);
  CHECK_STR_EQ(rec->fields[1].text, "B\r\nob");
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK); /* a lone CR ends a line too */
  CHECK_EQ(rec->line, 7);
  CHECK_STR_EQ(rec->fields[1].text, "Cy");
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK_EQ(rec->line, 8);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec == NULL);
  io_csv_close(r);
}

static void test_ragged(void) {
  mm_error e;
  const char *path = write_text("short.csv", "a,b,c\n1,2,3\n\n4,5\n");
  CHECK_EQ(read_file(path, 0, &e), MM_OK); /* no header mapping: any width */

  io_csv_reader *r;
  const io_csv_column cols[1] = {{"a", 1}};
  long index[1];
  size_t n;
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 1, index, NULL, NULL, &e), MM_ERR_PARSE); /* b unknown */
  io_csv_close(r);

  const io_csv_column abc[3] = {{"a", 1}, {"b", 1}, {"c", 1}};
  long idx3[3];
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, abc, 3, idx3, NULL, NULL, &e), MM_OK);
  CHECK_EQ(read_all(r, &n, &e), MM_ERR_PARSE);
  CHECK_EQ(n, 1);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":4:3: error: expected 3 fields as in the header, got 2"));
  io_csv_close(r);

  path = write_text("long.csv", "a,b,c\n1,2,3,4,5\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, abc, 3, idx3, NULL, NULL, &e), MM_OK);
  CHECK_EQ(read_all(r, &n, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:4: error: expected 3 fields as in the header, got 5"));
  /* A wrong field count ends only its record: reading may go on. */
  const io_csv_record *rec;
  CHECK(io_csv_can_go_on(r));
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec == NULL);
  io_csv_close(r);

  path = write_text("ragged.csv", "a,b,c\n1,2\n\"x\ny\",5,6\n7,8,9,10\n11,12,13\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, abc, 3, idx3, NULL, NULL, &e), MM_OK);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:3: error: expected 3 fields as in the header, got 2"));
  CHECK(io_csv_can_go_on(r));
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec != NULL && rec->line == 3 && strcmp(rec->fields[0].text, "x\ny") == 0);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":5:4: error: expected 3 fields as in the header, got 4"));
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec != NULL && rec->line == 6 && strcmp(rec->fields[2].text, "13") == 0);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec == NULL);
  io_csv_close(r);

  /* A broken structure ends the file. */
  path = write_text("broken.csv", "a,b,c\n1,\"2\"x,3\n4,5,6\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, abc, 3, idx3, NULL, NULL, &e), MM_OK);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_ERR_PARSE);
  CHECK(!io_csv_can_go_on(r));
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_ERR_INVALID); /* only close after such an error */
  io_csv_close(r);
}

static void test_quote_errors(void) {
  mm_error e;
  const char *path = write_text("open.csv", "a,b\n1,\"abc\n\ndef\n");
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:2: error: unterminated quoted field starting at line 2"));

  path = write_text("stray.csv", "a,b\n1,ab\"c\n");
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:2: error: stray quote in an unquoted field (quote "
                                           "the whole field and double the quotes inside it)"));

  path = write_text("after.csv", "a,b\n\"x\ny\",\"ab\"c\n");
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":3:2: error: expected a comma or a line end after the "
                                           "closing quote of a field, got 'c'"));
}

static void test_bad_bytes(void) {
  mm_error e;
  const char *path = write_bytes("nul.csv", "a,b\n1,x\0y\n", 10);
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:2: error: NUL byte in field"));

  path = write_text("utf8.csv", "a,b\n1,\"ok\n\xFF\"\n");
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":3:2: error: invalid UTF-8 (byte 0xFF)"));

  path = write_text("overlong.csv", "a,b\n1,2\nx\xC0\xAF,y\n");
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":3:1: error: invalid UTF-8 (byte 0xC0)"));

  path = write_text("surrogate.csv", "a\n\xED\xA0\x80\n");
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);

  path = write_text("truncated.csv", "a\n\xE2\x82\n");
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);

  path = write_text("good_utf8.csv", "name,city\nZo\xC3\xAB,\xE6\x9D\xB1\xE4\xBA\xAC\n\xF0\x9F\x99\x82,x\n");
  CHECK_EQ(read_file(path, 0, &e), MM_OK);
}

static void test_long_fields(void) {
  mm_error e;
  size_t big = 3 * IO_CSV_MAX_FIELD_DEFAULT;
  char *data = malloc(big + 64);
  CHECK(data != NULL);
  if (!data) return;

  /* An unquoted field three times the default limit. */
  strcpy(data, "a,b\n1,");
  size_t n = strlen(data);
  memset(data + n, 'x', big);
  n += big;
  data[n++] = '\n';
  const char *path = write_bytes("huge.csv", data, n);
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":2:2: error: field longer than 1048576 bytes"));

  /* A field just over a small limit, caught when it ends. */
  CHECK_EQ(read_file(path, big, &e), MM_OK);
  CHECK_EQ(read_file(path, big - 1, &e), MM_ERR_PARSE);

  /* A quote never closed swallows the rest of a large file. */
  strcpy(data, "a,b\n1,2\n3,\"");
  n = strlen(data);
  for (size_t k = 0; k < big; k++) data[n++] = k % 40 == 39 ? '\n' : 'y';
  path = write_bytes("runaway.csv", data, n);
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_CONTAINS(error_line(&e), expected_line(path, ":3:2: error: field longer than 1048576 bytes (a "
                                                 "quoted field starting at line 3"));
  free(data);

  path = write_text("small.csv", "a,b\n1,\"12345\"\n1,123456\n");
  CHECK_EQ(read_file(path, 5, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":3:2: error: field longer than 5 bytes"));
}

static void test_many_fields(void) {
  mm_error e;
  size_t n = 3 * IO_CSV_MAX_FIELDS;
  char *data = malloc(n + 1);
  CHECK(data != NULL);
  if (!data) return;
  memset(data, ',', n);
  data[n] = '\n';
  const char *path = write_bytes("commas.csv", data, n + 1);
  free(data);
  CHECK_EQ(read_file(path, 0, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:10001: error: more than 10000 fields in one record"));
}

/* Records crossing the 64 KiB chunk boundary keep their line numbers. */
static void test_chunk_boundaries(void) {
  size_t rows = 20000;
  char *data = malloc(rows * 32 + 16);
  CHECK(data != NULL);
  if (!data) return;
  size_t n = (size_t)sprintf(data, "k,v\n");
  for (size_t k = 0; k < rows; k++) {
    n += (size_t)sprintf(data + n, k % 3 ? "%zu,\"v\r\n%zu\"\r\n" : "%zu,plain%zu\n", k, k);
  }
  const char *path = write_bytes("chunks.csv", data, n);
  free(data);
  io_csv_reader *r;
  mm_error e;
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  const io_csv_record *rec;
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  long line = 2;
  int bad = 0;
  for (size_t k = 0; k < rows; k++) {
    if (io_csv_next(r, &rec, &e) != MM_OK || !rec || rec->line != line ||
        rec->fields[1].line != line || strtoul(rec->fields[0].text, NULL, 10) != k) {
      bad++;
    }
    line += k % 3 ? 2 : 1;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec == NULL);
  io_csv_close(r);
}

static void test_empty_and_header_only(void) {
  mm_error e;
  io_csv_reader *r;
  const io_csv_column cols[2] = {{"id", 1}, {"name", 0}};
  long index[2];
  const char *empties[3] = {"", "\xEF\xBB\xBF", "\n \r\n\t\n"};
  for (int k = 0; k < 3; k++) {
    char name[32];
    snprintf(name, sizeof name, "empty%d.csv", k);
    const char *path = write_text(name, empties[k]);
    CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
    CHECK_EQ(io_csv_read_header(r, cols, 2, index, NULL, NULL, &e), MM_ERR_PARSE);
    CHECK_STR_EQ(error_line(&e), expected_line(path, ":1: error: empty file: expected a header row"));
    io_csv_close(r);
  }

  const char *path = write_text("header.csv", "ID , Name\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 2, index, NULL, NULL, &e), MM_OK);
  const io_csv_record *rec;
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_OK);
  CHECK(rec == NULL);
  io_csv_close(r);

  path = write_text("optional.csv", "id\nA\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 2, index, NULL, NULL, &e), MM_OK);
  CHECK_EQ(index[0], 0);
  CHECK_EQ(index[1], -1);
  io_csv_close(r);
}

typedef struct {
  int count;
  char last[512];
} warnings;

static void collect(void *ctx, const mm_error *w) {
  warnings *ws = ctx;
  ws->count++;
  io_warning_format(w, ws->last, sizeof ws->last);
}

static void test_header_mapping(void) {
  mm_error e;
  io_csv_reader *r;
  const io_csv_column cols[3] = {{"id", 1}, {"timezone", 1}, {"name", 0}};
  long index[3];
  warnings ws = {0, ""};

  const char *path = write_text("mentors.csv", "Name,\" TimeZone \",id,favourite_colour,,x\nA,UTC,1,red,,\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 3, index, collect, &ws, &e), MM_OK);
  CHECK_EQ(index[0], 2);
  CHECK_EQ(index[1], 1);
  CHECK_EQ(index[2], 0);
  CHECK_EQ(ws.count, 3);
  CHECK_STR_EQ(ws.last, expected_line(path, ":1:6: warning: unknown column \"x\" ignored"));
  size_t n;
  CHECK_EQ(read_all(r, &n, &e), MM_OK);
  CHECK_EQ(n, 1);
  io_csv_close(r);

  path = write_text("colour.csv", "id,timezone,a,b,c,d,favourite_colour\n");
  ws.count = 0;
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 3, index, collect, &ws, &e), MM_OK);
  CHECK_EQ(ws.count, 5);
  CHECK_STR_EQ(ws.last, expected_line(path, ":1:7: warning: unknown column \"favourite_colour\" ignored"));
  io_csv_close(r);

  path = write_text("missing.csv", "id,name\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 3, index, collect, &ws, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:3: error: missing required column \"timezone\""));
  io_csv_close(r);

  path = write_text("dup.csv", "id,timezone,ID\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 3, index, collect, &ws, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:3: error: duplicate column \"ID\" (also column 1)"));
  io_csv_close(r);

  path = write_text("strict.csv", "id,timezone,note\n");
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  CHECK_EQ(io_csv_read_header(r, cols, 3, index, NULL, NULL, &e), MM_ERR_PARSE);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ":1:3: error: unknown column \"note\" (expected id, "
                                           "timezone, name)"));
  io_csv_close(r);
}

static void test_open_errors(void) {
  mm_error e;
  io_csv_reader *r = (io_csv_reader *)&e;
  char path[128];
  snprintf(path, sizeof path, "%s/no-such-file.csv", dir);
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_ERR_IO);
  CHECK(r == NULL);
  CHECK_STR_EQ(error_line(&e), expected_line(path, ": error: cannot open: No such file or directory"));
  CHECK_EQ(io_csv_open(dir, 0, &r, &e), MM_OK); /* a folder opens but cannot be read */
  const io_csv_record *rec;
  CHECK_EQ(io_csv_next(r, &rec, &e), MM_ERR_IO);
  CHECK_STR_CONTAINS(error_line(&e), "error: read failed: ");
  io_csv_close(r);
  io_csv_close(NULL);
}

static void test_helpers(void) {
  char text[] = " \t a b \r\n";
  CHECK_STR_EQ(io_trim(text), "a b");
  CHECK(io_name_eq("TimeZone", "timezone"));
  CHECK(!io_name_eq("timezones", "timezone"));
  CHECK(!io_name_eq("", "x"));
  mm_error w;
  mm_error_clear(&w);
  mm_error_set(&w, NULL, "note");
  char buf[64];
  io_warning_format(&w, buf, sizeof buf);
  CHECK_STR_EQ(buf, "warning: note");
  mm_error_locate(&w, "f.csv", 3, 0);
  io_warning_format(&w, buf, sizeof buf);
  CHECK_STR_EQ(buf, "f.csv:3: warning: note");
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/mm_csv_reader_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_quoting_and_lines();
  test_bom_crlf_blank_lines();
  test_ragged();
  test_quote_errors();
  test_bad_bytes();
  test_long_fields();
  test_many_fields();
  test_chunk_boundaries();
  test_empty_and_header_only();
  test_header_mapping();
  test_open_errors();
  test_helpers();
  for (int k = 0; k < n_paths; k++) remove(paths[k]);
  rmdir(dir);
  return check_report("test_csv_reader");
}
