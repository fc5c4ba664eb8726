/* test_csv_ahead.c: unit tests of io/csv_ahead (records parsed on a second thread).
 *
 * The sequence read ahead must be the one io_csv_next gives: the same
 * records with the same lines and texts, the same errors at the same places
 * (a wrong field count goes on, a broken quote ends it), over many batches
 * and fields longer than a batch's text.  Stopping early must not hang.
 */
#include "check.h"
#include "csv_ahead.h"
#include "csv_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

/* Writes text to dir/name; returns the path in a static buffer of 4. */
static const char *write_file(const char *name, const char *text) {
  static char paths[4][128];
  static int next;
  char *path = paths[next++ % 4];
  snprintf(path, sizeof paths[0], "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
  return path;
}

/* One step of a sequence, as text: "line:field|field|..." or "error:<message line>". */
static void step_text(mm_status st, const io_csv_record *rec, const mm_error *e, char *out, size_t size) {
  if (st != MM_OK) {
    char line[1024];
    mm_error_format(e, line, sizeof line);
    snprintf(out, size, "error %d: %s", (int)st, line);
    return;
  }
  if (!rec) {
    snprintf(out, size, "end");
    return;
  }
  size_t used = (size_t)snprintf(out, size, "%ld:", rec->line);
  for (size_t k = 0; k < rec->n_fields && used < size; k++)
    used += (size_t)snprintf(out + used, size - used, "%s%zu:%s", k ? "|" : "", rec->fields[k].len, rec->fields[k].text);
}

static io_csv_reader *open_with_header(const char *path) {
  io_csv_reader *r = NULL;
  mm_error e;
  static const io_csv_column cols[3] = {{"a", 1}, {"b", 1}, {"c", 1}};
  long index[3];
  CHECK_EQ(io_csv_open(path, 0, &r, &e), MM_OK);
  if (r) CHECK_EQ(io_csv_read_header(r, cols, 3, index, NULL, NULL, &e), MM_OK);
  return r;
}

/* Reads path both ways, going on after errors that allow it; every step
 * must agree, and so must the count of steps. */
static void same_sequence(const char *path, size_t want_steps) {
  io_csv_reader *direct = open_with_header(path), *r = open_with_header(path);
  if (!direct || !r) return;
  io_csv_ahead *a = io_csv_ahead_start(r);
  CHECK(a != NULL);
  if (!a) return;
  static char want[300000], got[300000];
  size_t steps = 0;
  for (int done = 0; !done && steps < 100000; steps++) {
    const io_csv_record *rec, *rec_a;
    mm_error e, e_a;
    mm_status st = io_csv_next(direct, &rec, &e);
    mm_status st_a = io_csv_ahead_next(a, &rec_a, &e_a);
    step_text(st, rec, &e, want, sizeof want);
    step_text(st_a, rec_a, &e_a, got, sizeof got);
    CHECK_STR_EQ(got, want);
    if (st != MM_OK) CHECK_EQ(io_csv_ahead_can_go_on(a), io_csv_can_go_on(direct));
    done = (st == MM_OK && !rec) || (st != MM_OK && !io_csv_can_go_on(direct)) || strcmp(got, want) != 0;
  }
  CHECK_EQ(steps, want_steps);
  io_csv_ahead_stop(a);
  io_csv_close(r);
  io_csv_close(direct);
}

/* 3,000 records over several batches: quoted line breaks, a field longer
 * than a batch's text, and every 97th record one field short. */
static void test_many_records(void) {
  size_t cap = 4u << 20, used = 0;
  char *text = malloc(cap);
  CHECK(text != NULL);
  if (!text) return;
  used += (size_t)snprintf(text + used, cap - used, "a,b,c\n");
  for (int k = 0; k < 3000; k++) {
    if (k % 97 == 5) {
      used += (size_t)snprintf(text + used, cap - used, "%d,short\n", k);
    } else if (k % 41 == 0) {
      used += (size_t)snprintf(text + used, cap - used, "%d,\"two\nlines, \"\"quoted\"\"\",  padded  \n", k);
    } else if (k == 1500) {
      used += (size_t)snprintf(text + used, cap - used, "%d,", k);
      memset(text + used, 'x', 300000);
      used += 300000;
      used += (size_t)snprintf(text + used, cap - used, ",end\n");
    } else {
      used += (size_t)snprintf(text + used, cap - used, "%d,name %d,Europe/London\n", k, k);
    }
  }
  const char *path = write_file("many.csv", text);
  same_sequence(path, 3001);

  /* The same with a broken quote at record 2,000: the sequence ends there. */
  char *broken = strstr(text, "\n2000,");
  CHECK(broken != NULL);
  if (broken) memcpy(broken + 6, "\"n\"x", 4);
  path = write_file("broken.csv", text);
  same_sequence(path, 2001);
  free(text);
}

static void test_empty_and_early_stop(void) {
  same_sequence(write_file("header_only.csv", "a,b,c\n"), 1);
  same_sequence(write_file("one_short.csv", "a,b,c\n1,2\n"), 2);

  /* The caller stops after one record while the thread is far ahead. */
  size_t cap = 1u << 20, used = 0;
  char *text = malloc(cap);
  CHECK(text != NULL);
  if (!text) return;
  used += (size_t)snprintf(text + used, cap - used, "a,b,c\n");
  for (int k = 0; k < 20000 && used + 64 < cap; k++) used += (size_t)snprintf(text + used, cap - used, "%d,b,c\n", k);
  io_csv_reader *r = open_with_header(write_file("stop.csv", text));
  free(text);
  if (!r) return;
  io_csv_ahead *a = io_csv_ahead_start(r);
  CHECK(a != NULL);
  const io_csv_record *rec;
  mm_error e;
  CHECK_EQ(io_csv_ahead_next(a, &rec, &e), MM_OK);
  CHECK(rec != NULL && strcmp(rec->fields[0].text, "0") == 0);
  io_csv_ahead_stop(a);
  io_csv_close(r);
  io_csv_ahead_stop(NULL);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/mm_csv_ahead_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_many_records();
  test_empty_and_early_stop();
  static const char *const names[] = {"many.csv", "broken.csv", "header_only.csv", "one_short.csv", "stop.csv"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    remove(path);
  }
  rmdir(dir);
  return check_report("test_csv_ahead");
}
