/* scores_reader.c: exact decimal scores and capacities into the arrays of an mm_scores.
 *
 * Pipeline files can list millions of pairs, so ids are resolved through
 * open-addressing hash tables (mentors by id, mentees by id, pairs by their
 * two indices) and stored once in a single text buffer.  A table slot holds
 * 32 bits of the key's hash and the entry's index + 1, so growing a table
 * never needs the keys again.
 */
#include "scores_reader.h"

#include "config_reader.h"
#include "csv_reader.h"

#include <stdlib.h>
#include <string.h>

#define MAX_UNITS ((int64_t)1000000 * 10000)

static int is_digit(char c) { return c >= '0' && c <= '9'; }

mm_status io_parse_score(const char *text, int64_t *units, mm_error *e) {
  const char *p = text;
  int negative = 0;
  if (*p == '+' || *p == '-') negative = *p++ == '-';
  const char *whole = p;
  while (is_digit(*p)) p++;
  size_t n_whole = (size_t)(p - whole);
  const char *frac = p;
  size_t n_frac = 0;
  if (*p == '.') {
    frac = ++p;
    while (is_digit(*p)) p++;
    n_frac = (size_t)(p - frac);
  }
  if (!*text) {
    mm_error_set(e, "score", "expected a decimal number, got \"\"");
    return MM_ERR_PARSE;
  }
  if (*p || n_whole + n_frac == 0) {
    mm_error_set(e, "score", "expected a decimal number such as 0.8125 or -12.5, got \"%s\"",
                 text);
    return MM_ERR_PARSE;
  }
  if (n_frac > 4) {
    mm_error_set(e, "score", "expected at most 4 decimals, got \"%s\"", text);
    return MM_ERR_PARSE;
  }
  while (n_whole > 0 && *whole == '0') whole++, n_whole--;
  int64_t v = 0;
  if (n_whole <= 7) {
    for (size_t k = 0; k < n_whole; k++) v = v * 10 + (whole[k] - '0');
    for (size_t k = 0; k < 4; k++) v = v * 10 + (k < n_frac ? frac[k] - '0' : 0);
  }
  if (n_whole > 7 || v > MAX_UNITS) {
    mm_error_set(e, "score", "expected a score from -1000000 to 1000000, got \"%s\"", text);
    return MM_ERR_INVALID;
  }
  *units = negative ? -v : v;
  return MM_OK;
}

/* ---- hash tables of indices ------------------------------------------- */

typedef struct {
  uint64_t *slot; /* hash << 32 | (index + 1); 0 = empty */
  size_t mask, used;
} table;

typedef int (*match_fn)(const void *ctx, uint32_t index);

static uint32_t hash_text(const char *s) {
  uint64_t h = 14695981039346656037u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
  return (uint32_t)(h ^ (h >> 32));
}

static uint32_t hash_pair(uint32_t a, uint32_t b) {
  uint64_t x = ((uint64_t)a << 32 | b) + 0x9E3779B97F4A7C15u;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
  return (uint32_t)((x ^ (x >> 31)) >> 32);
}

/* The slot holding an entry that matches, or the empty slot where it would go. */
static uint64_t *table_probe(const table *t, uint32_t h, match_fn match, const void *ctx) {
  for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
    uint64_t s = t->slot[i];
    if (s == 0 || ((uint32_t)(s >> 32) == h && match(ctx, (uint32_t)s - 1))) return &t->slot[i];
  }
}

/* Makes room for one more entry (load at most one half). */
static int table_reserve(table *t) {
  size_t n = t->slot ? t->mask + 1 : 0;
  if (2 * (t->used + 1) <= n) return 1;
  size_t m = n ? 2 * n : 1024;
  uint64_t *slot = calloc(m, sizeof *slot);
  if (!slot) return 0;
  for (size_t k = 0; k < n; k++) {
    uint64_t s = t->slot[k];
    if (!s) continue;
    size_t i = (s >> 32) & (m - 1);
    while (slot[i]) i = (i + 1) & (m - 1);
    slot[i] = s;
  }
  free(t->slot);
  t->slot = slot;
  t->mask = m - 1;
  return 1;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct {
  char *text; /* every id, NUL-terminated, one after another */
  size_t text_len, text_cap;
  size_t *id_off[2]; /* per side (MM_MENTOR, MM_MENTEE): offsets into text */
  size_t n_ids[2], ids_cap[2];
  table ids[2];
  long *mentor_line;
  int32_t *capacity;
  uint32_t *edge_mentee, *edge_mentor;
  int64_t *edge_score;
  long *edge_line;
  size_t n_edges, edges_cap;
  table pairs;
} builder;

typedef struct {
  const builder *b;
  mm_side side;
  const char *id;
} id_key;

static int id_matches(const void *ctx, uint32_t index) {
  const id_key *k = ctx;
  return strcmp(k->b->text + k->b->id_off[k->side][index], k->id) == 0;
}

typedef struct {
  const builder *b;
  uint32_t mentee, mentor;
} pair_key;

static int pair_matches(const void *ctx, uint32_t index) {
  const pair_key *k = ctx;
  return k->b->edge_mentee[index] == k->mentee && k->b->edge_mentor[index] == k->mentor;
}

/* Reallocates *p to n elements; 0 when memory is short (*p unchanged). */
static int resize(void **p, size_t n, size_t elem) {
  void *q = realloc(*p, n * elem);
  if (!q) return 0;
  *p = q;
  return 1;
}

static size_t next_cap(size_t cap, size_t need) {
  size_t n = cap ? cap : 1024;
  while (n < need) n *= 2;
  return n;
}

static mm_status nomem(const char *path, long line, mm_error *e) {
  mm_error_set(e, NULL, "out of memory reading the file");
  mm_error_locate(e, path, line, 0);
  return MM_ERR_NOMEM;
}

/* Finds id on a side; *index is -1 when absent and *slot is where it would go. */
static mm_status find_id(builder *b, mm_side side, const char *id, long *index, uint64_t **slot) {
  if (!table_reserve(&b->ids[side])) return MM_ERR_NOMEM;
  id_key k = {b, side, id};
  *slot = table_probe(&b->ids[side], hash_text(id), id_matches, &k);
  *index = **slot ? (long)(uint32_t)**slot - 1 : -1;
  return MM_OK;
}

/* Adds id on a side at *slot (from find_id); the side's parallel arrays
 * (mentors: line and capacity) are grown by the caller. */
static mm_status add_id(builder *b, mm_side side, const char *id, uint64_t *slot) {
  size_t len = strlen(id), n = b->n_ids[side];
  if (n >= UINT32_MAX - 1) return MM_ERR_LIMIT;
  if (b->text_len + len + 1 > b->text_cap) {
    size_t cap = next_cap(b->text_cap, b->text_len + len + 1);
    if (!resize((void **)&b->text, cap, 1)) return MM_ERR_NOMEM;
    b->text_cap = cap;
  }
  if (n == b->ids_cap[side]) {
    size_t cap = next_cap(n, n + 1);
    if (!resize((void **)&b->id_off[side], cap, sizeof(size_t))) return MM_ERR_NOMEM;
    if (side == MM_MENTOR && (!resize((void **)&b->mentor_line, cap, sizeof(long)) ||
                              !resize((void **)&b->capacity, cap, sizeof(int32_t)))) {
      return MM_ERR_NOMEM;
    }
    b->ids_cap[side] = cap;
  }
  memcpy(b->text + b->text_len, id, len + 1);
  b->id_off[side][n] = b->text_len;
  b->text_len += len + 1;
  *slot = (uint64_t)hash_text(id) << 32 | ((uint64_t)n + 1);
  b->ids[side].used++;
  b->n_ids[side]++;
  return MM_OK;
}

static mm_status limit_or_nomem(mm_status s, const char *path, const io_csv_field *f,
                                mm_error *e) {
  if (s == MM_ERR_LIMIT) {
    mm_error_set(e, NULL, "too many ids (limit %u)", UINT32_MAX - 1);
    mm_error_locate(e, path, f->line, f->col);
    return s;
  }
  return nomem(path, f->line, e);
}

static mm_status located(mm_status s, const char *path, const io_csv_field *f, mm_error *e) {
  mm_error_locate(e, path, f->line, f->col);
  return s;
}

/* A trimmed, non-empty id from a field. */
static mm_status id_field(io_csv_field *f, const char *field, const char *path, char **id,
                          mm_error *e) {
  *id = io_trim(f->text);
  if (**id) return MM_OK;
  mm_error_set(e, field, "expected an id, got \"\"");
  return located(MM_ERR_INVALID, path, f, e);
}

static mm_status read_capacities(builder *b, const char *path, mm_error *e) {
  static const io_csv_column cols[2] = {{"mentor_id", 1}, {"capacity", 1}};
  long index[2];
  io_csv_reader *r;
  mm_status s = io_csv_open(path, 0, &r, e);
  if (s != MM_OK) return s;
  path = io_input_name(path);
  s = io_csv_read_header(r, cols, 2, index, NULL, NULL, e);
  const io_csv_record *rec;
  while (s == MM_OK && (s = io_csv_next(r, &rec, e)) == MM_OK && rec) {
    io_csv_field *id_f = &rec->fields[index[0]], *cap_f = &rec->fields[index[1]];
    char *id;
    long found, capacity;
    uint64_t *slot;
    if ((s = id_field(id_f, "mentor_id", path, &id, e)) != MM_OK) break;
    if ((s = find_id(b, MM_MENTOR, id, &found, &slot)) != MM_OK) {
      s = nomem(path, rec->line, e);
      break;
    }
    if (found >= 0) {
      mm_error_set(e, "mentor_id", "duplicate id \"%s\" (first on line %ld)", id,
                   b->mentor_line[found]);
      s = located(MM_ERR_INVALID, path, id_f, e);
      break;
    }
    if ((s = io_parse_int_field(io_trim(cap_f->text), "capacity", 0, 1000, &capacity, e)) !=
        MM_OK) {
      s = located(s, path, cap_f, e);
      break;
    }
    if ((s = add_id(b, MM_MENTOR, id, slot)) != MM_OK) {
      s = limit_or_nomem(s, path, id_f, e);
      break;
    }
    b->mentor_line[b->n_ids[MM_MENTOR] - 1] = rec->line;
    b->capacity[b->n_ids[MM_MENTOR] - 1] = (int32_t)capacity;
  }
  io_csv_close(r);
  return s;
}

static mm_status add_edge(builder *b, uint32_t mentee, uint32_t mentor, int64_t score,
                          long line, uint64_t *slot) {
  size_t n = b->n_edges;
  if (n >= UINT32_MAX - 1) return MM_ERR_LIMIT;
  if (n == b->edges_cap) {
    size_t cap = next_cap(n, n + 1);
    if (!resize((void **)&b->edge_mentee, cap, sizeof(uint32_t)) ||
        !resize((void **)&b->edge_mentor, cap, sizeof(uint32_t)) ||
        !resize((void **)&b->edge_score, cap, sizeof(int64_t)) ||
        !resize((void **)&b->edge_line, cap, sizeof(long))) {
      return MM_ERR_NOMEM;
    }
    b->edges_cap = cap;
  }
  b->edge_mentee[n] = mentee;
  b->edge_mentor[n] = mentor;
  b->edge_score[n] = score;
  b->edge_line[n] = line;
  *slot = (uint64_t)hash_pair(mentee, mentor) << 32 | ((uint64_t)n + 1);
  b->pairs.used++;
  b->n_edges++;
  return MM_OK;
}

static mm_status read_score_row(builder *b, const io_csv_record *rec, const long *index,
                                const char *path, const char *capacities_path, mm_error *e) {
  io_csv_field *mentee_f = &rec->fields[index[0]], *mentor_f = &rec->fields[index[1]];
  io_csv_field *score_f = &rec->fields[index[2]];
  char *mentee_id, *mentor_id;
  long mentee, mentor;
  uint64_t *slot;
  int64_t score;
  mm_status s;
  if ((s = id_field(mentee_f, "mentee_id", path, &mentee_id, e)) != MM_OK) return s;
  if ((s = id_field(mentor_f, "mentor_id", path, &mentor_id, e)) != MM_OK) return s;
  if (find_id(b, MM_MENTOR, mentor_id, &mentor, &slot) != MM_OK) {
    return nomem(path, rec->line, e);
  }
  if (mentor < 0) {
    mm_error_set(e, "mentor_id", "no mentor with id \"%s\" in %s", mentor_id, capacities_path);
    return located(MM_ERR_INVALID, path, mentor_f, e);
  }
  if ((s = io_parse_score(io_trim(score_f->text), &score, e)) != MM_OK) {
    return located(s, path, score_f, e);
  }
  if (find_id(b, MM_MENTEE, mentee_id, &mentee, &slot) != MM_OK) {
    return nomem(path, rec->line, e);
  }
  if (mentee < 0) {
    if ((s = add_id(b, MM_MENTEE, mentee_id, slot)) != MM_OK) {
      return limit_or_nomem(s, path, mentee_f, e);
    }
    mentee = (long)b->n_ids[MM_MENTEE] - 1;
  }
  if (!table_reserve(&b->pairs)) return nomem(path, rec->line, e);
  pair_key k = {b, (uint32_t)mentee, (uint32_t)mentor};
  slot = table_probe(&b->pairs, hash_pair(k.mentee, k.mentor), pair_matches, &k);
  if (*slot) {
    mm_error_set(e, NULL, "pair of mentee \"%s\" and mentor \"%s\" listed twice (first on line %ld)",
                 mentee_id, mentor_id, b->edge_line[(uint32_t)*slot - 1]);
    return located(MM_ERR_INVALID, path, mentee_f, e);
  }
  if ((s = add_edge(b, k.mentee, k.mentor, score, rec->line, slot)) != MM_OK) {
    return limit_or_nomem(s, path, mentee_f, e);
  }
  return MM_OK;
}

static mm_status read_scores(builder *b, const char *path, const char *capacities_path,
                             mm_error *e) {
  static const io_csv_column cols[3] = {{"mentee_id", 1}, {"mentor_id", 1}, {"score", 1}};
  long index[3];
  io_csv_reader *r;
  mm_status s = io_csv_open(path, 0, &r, e);
  if (s != MM_OK) return s;
  path = io_input_name(path);
  capacities_path = io_input_name(capacities_path);
  s = io_csv_read_header(r, cols, 3, index, NULL, NULL, e);
  const io_csv_record *rec;
  while (s == MM_OK && (s = io_csv_next(r, &rec, e)) == MM_OK && rec) {
    s = read_score_row(b, rec, index, path, capacities_path, e);
  }
  io_csv_close(r);
  return s;
}

/* Pointers to each id of a side, or NULL when memory is short. */
static const char **id_pointers(const builder *b, mm_side side) {
  size_t n = b->n_ids[side];
  const char **ids = malloc((n ? n : 1) * sizeof *ids);
  if (!ids) return NULL;
  for (size_t k = 0; k < n; k++) ids[k] = b->text + b->id_off[side][k];
  return ids;
}

static void builder_free(builder *b) {
  free(b->text);
  for (int side = 0; side < 2; side++) {
    free(b->id_off[side]);
    free(b->ids[side].slot);
  }
  free(b->mentor_line);
  free(b->capacity);
  free(b->edge_mentee);
  free(b->edge_mentor);
  free(b->edge_score);
  free(b->edge_line);
  free(b->pairs.slot);
}

mm_status io_read_scores(const char *scores_path, const char *capacities_path, io_scores *out,
                         mm_error *e) {
  memset(out, 0, sizeof *out);
  builder b;
  memset(&b, 0, sizeof b);
  mm_status s = read_capacities(&b, capacities_path, e);
  if (s == MM_OK) s = read_scores(&b, scores_path, capacities_path, e);
  if (s == MM_OK) {
    out->mentee_ids = id_pointers(&b, MM_MENTEE);
    out->mentor_ids = id_pointers(&b, MM_MENTOR);
    if (!out->mentee_ids || !out->mentor_ids) {
      free(out->mentee_ids);
      free(out->mentor_ids);
      memset(out, 0, sizeof *out);
      s = nomem(scores_path, 0, e);
    }
  }
  if (s != MM_OK) {
    builder_free(&b);
    return s;
  }
  out->capacity = b.capacity;
  out->edge_mentee = b.edge_mentee;
  out->edge_mentor = b.edge_mentor;
  out->edge_score = b.edge_score;
  out->edge_line = b.edge_line;
  out->id_text = b.text;
  mm_scores_init(&out->scores);
  out->scores.n_mentees = b.n_ids[MM_MENTEE];
  out->scores.n_mentors = b.n_ids[MM_MENTOR];
  out->scores.capacity = b.capacity;
  out->scores.n_edges = b.n_edges;
  out->scores.edge_mentee = b.edge_mentee;
  out->scores.edge_mentor = b.edge_mentor;
  out->scores.edge_score = b.edge_score;
  b.capacity = NULL;
  b.edge_mentee = b.edge_mentor = NULL;
  b.edge_score = NULL;
  b.edge_line = NULL;
  b.text = NULL;
  builder_free(&b);
  return MM_OK;
}

void io_scores_free(io_scores *s) {
  if (!s) return;
  free(s->mentee_ids);
  free(s->mentor_ids);
  free(s->capacity);
  free(s->edge_mentee);
  free(s->edge_mentor);
  free(s->edge_score);
  free(s->edge_line);
  free(s->id_text);
  memset(s, 0, sizeof *s);
}
