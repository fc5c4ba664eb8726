/* candidates.c: scores every mentor-mentee pair in parallel and keeps each mentee's best.
 *
 * This is the only place that touches all n x m pairs.  Each OpenMP thread
 * owns a scoring scratch and a small top-k buffer allocated before the
 * parallel region; a row is scored, its k best eligible mentors are kept
 * (ties by mm_pair_tiebreak, so the graph never depends on the schedule and
 * equal scores do not all go to the same low-index people), and
 * the k-th best score is remembered: it bounds every pair that was left out,
 * which is what lets prove.c show optimality over all pairs without keeping
 * them.
 */
#include "candidates.h"

#include "progress.h"

#include <omp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Extra mentees a mentor keeps beyond its capacity. */
#define COLUMN_EXTRA 48

/* Mentees scoring below its best that a mentor keeps too when its best
 * capacity + COLUMN_EXTRA all share one score (its column is tied at the
 * top).  With many ties those tied mentees are mostly popular ones the
 * first solve matches elsewhere, so the mentor's price falls below its best
 * score and every left-out mentee scoring in between is a violating pair
 * (4.4 million in the first proof round at 50,000 x 12,500 high ties).  The
 * best mentees below the tie mostly stay unmatched and hold the price up.
 * At most COLUMN_EXTRA + 1, the fewest a mentor with places keeps
 * (column_push relies on it); a column not tied at the top keeps exactly
 * what it kept before. */
#define COLUMN_BELOW 48
#define BELOW_ROOM (COLUMN_BELOW * 3 / 2 + 1)
_Static_assert(COLUMN_BELOW <= COLUMN_EXTRA + 1, "column_push keeps the best COLUMN_BELOW below the top only so");

/* A thread's best mentees of every mentor, keyed by (score << 32 |
 * mm_pair_tiebreak): a larger key is a higher score or, at equal score, the
 * tie-break's winner, so the lists never depend on the order threads see the
 * rows in.  Each mentor has a buffer half as large again as the mentees it
 * keeps (buf_off): newcomers are appended, and a full buffer is cut back to
 * its best `size`, whose weakest key becomes the gate.  Appending touches one
 * cache line where a heap's sift-down missed the cache at every level, and
 * the entries kept in the end (the best `size` of all offered, merged across
 * threads) are the same.  A second buffer behind it holds the best
 * COLUMN_BELOW scoring below the best score seen (see column_push). */
/* Per mentor, the key a newcomer to a buffer must beat (the weakest kept at
 * the last cut), split into its score and its tie key with the sign bit
 * flipped: the row's pass compares both halves as signed 32-bit lanes,
 * twice as many per vector as 64-bit keys (see scan_chunk). */
typedef struct {
  int32_t *score;
  int32_t *tie; /* tie key ^ TIE_BIAS */
} gate_split;

#define TIE_BIAS 0x80000000u

typedef struct {
  int64_t *key;    /* buf_off[m] entries: per mentor its best, then its best below `top` */
  uint32_t *n;     /* per mentor: entries in use */
  gate_split gate; /* per mentor: the gate of its best */
  uint32_t *n2;    /* per mentor: entries in use below `top` */
  gate_split gate2; /* per mentor: the same for the entries below `top` */
  int32_t *top;    /* per mentor: the best score seen (-1: none) */
} column_tops;

static inline int64_t pair_key(int32_t score, uint32_t tie) {
  return (int64_t)(((uint64_t)(int64_t)score << 32) | (uint64_t)tie);
}

static inline int64_t gate_key(const gate_split *g, uint32_t j) {
  return pair_key(g->score[j], (uint32_t)g->tie[j] ^ TIE_BIAS);
}

static inline void gate_put(gate_split *g, uint32_t j, int64_t key) {
  g->score[j] = (int32_t)(key >> 32);
  g->tie[j] = (int32_t)((uint32_t)key ^ TIE_BIAS);
}

static inline int64_t column_key(int32_t score, uint32_t mentee, uint32_t salt) {
  return pair_key(score, mm_mix32(mentee ^ salt));
}

static inline uint32_t column_key_mentee(int64_t key, uint32_t salt) {
  return mm_unmix32((uint32_t)((uint64_t)key & 0xffffffffu)) ^ salt;
}

typedef struct {
  mm_score_scratch *scratch;
  int32_t *top_score;
  uint32_t *top_tie;
  uint32_t *top_mentor;
  uint32_t *mentor_elig;
  uint8_t *flags; /* m + 8 bytes, see scan_chunk */
  column_tops col;
  double score_s, select_s;
} worker;

void mm_candidates_free(mm_candidates *c) {
  if (!c) return;
  free(c->off);
  free(c->adj);
  free(c->w);
  free(c->kth);
  free(c->elig);
  free(c->mentor_elig);
  free(c->col_kth);
  memset(c, 0, sizeof *c);
}

/* A row's best mentors so far, in (score, tie-break) descending order. */
typedef struct {
  int32_t *score;
  uint32_t *tie;
  uint32_t *mentor;
  uint32_t kept, keep;
} top_list;

/* Inserts (v, t, j) into the list, dropping its last entry when full. */
static void insert_top(top_list *tl, int32_t v, uint32_t t, uint32_t j) {
  uint32_t pos = tl->kept < tl->keep ? tl->kept++ : tl->keep - 1;
  while (pos > 0 && (tl->score[pos - 1] < v || (tl->score[pos - 1] == v && tl->tie[pos - 1] < t))) {
    tl->score[pos] = tl->score[pos - 1];
    tl->tie[pos] = tl->tie[pos - 1];
    tl->mentor[pos] = tl->mentor[pos - 1];
    pos--;
  }
  tl->score[pos] = v;
  tl->tie[pos] = t;
  tl->mentor[pos] = j;
}

/* Each cut row's spread (MM_ROW_SPREAD, candidates.h): best-score lists
 * alone can leave whole groups of mentors reachable only through the same
 * few popular mentees (ties make this common), so a first solve cannot fill
 * their places and the proof must widen the graph by hundreds of thousands
 * of pairs; a random-like spread of a few pairs per mentee keeps the graph
 * well connected for the price of a quarter more edges. */

/* A row's spread mentors so far, by tie key descending. */
typedef struct {
  uint32_t pick[MM_ROW_SPREAD];
  int64_t tie[MM_ROW_SPREAD];
  uint32_t n;
} spread_list;

/* The row's pass works in chunks: one vectorised loop per chunk does what
 * every pair needs and flags, per pair, what else it needs; the few pairs
 * flagged for the row's best list or its spread are then walked one at a
 * time against those lists' gates as they stand.  The loop reads the gates
 * once per chunk, so it flags a superset and the walk decides; the gates
 * rise fastest at the start of a row, hence a short first chunk.  Chunks
 * start at multiples of 8 (walk_chunk reads the flags 8 at a time). */
#define FIRST_CHUNK 64
#define SCAN_CHUNK 1024
_Static_assert(FIRST_CHUNK % 8 == 0 && SCAN_CHUNK % 8 == 0, "chunks start at multiples of 8");

/* A pair's flags (see scan_chunk). */
enum { FLAG_COLUMN = 1, FLAG_ROW = 2, FLAG_SPREAD = 4, FLAG_BELOW = 8 };
#define FLAG_BYTES(f) (0x0101010101010101ull * (uint64_t)(f))

/* One vectorised loop over a chunk of a scored row (mentors j0.., their
 * arrays passed from j0): counts eligible pairs per mentor, and flags each
 * pair that would enter its mentor's best-mentee buffer (it beats the gate,
 * see column_push: FLAG_COLUMN) or the buffer below the best score seen
 * (FLAG_BELOW: column_push puts it there, so only that buffer's end is
 * fetched ahead, one cache line where both were), whose key beats row_gate
 * (FLAG_ROW) or, eligible, whose tie key may beat spread_gate (FLAG_SPREAD,
 * a superset: offer_spread decides).  Keys are score << 32 |
 * mm_pair_tiebreak, worked out here and not stored: a stored row of keys
 * cost more memory traffic than the hash.  Returns the eligible pairs. */
MM_MULTIVERSION
static uint32_t scan_chunk(const int32_t *restrict row, const uint32_t *restrict salt, uint32_t n, uint32_t mentee,
                           uint32_t *restrict counts, const int32_t *restrict gs, const int32_t *restrict gt,
                           const int32_t *restrict g2s, const int32_t *restrict g2t, const int32_t *restrict top,
                           uint8_t *restrict flags, int64_t row_gate, int64_t spread_gate) {
  uint32_t total = 0;
  int32_t rs = (int32_t)(row_gate >> 32), rt = (int32_t)((uint32_t)row_gate ^ TIE_BIAS);
  int32_t st = spread_gate < 0 ? INT32_MIN : (int32_t)((uint32_t)spread_gate ^ TIE_BIAS);
  for (uint32_t k = 0; k < n; k++) {
    int32_t r = row[k], t = (int32_t)(mm_mix32(mentee ^ salt[k]) ^ TIE_BIAS);
    uint32_t ok = r >= 0;
    counts[k] += ok;
    total += ok;
    /* (r, t) > (s, u) as keys: a higher score, or the same and a larger tie key */
    uint32_t best = (r > gs[k]) | ((r == gs[k]) & (t > gt[k]));
    uint32_t below = (r < top[k]) & ((r > g2s[k]) | ((r == g2s[k]) & (t > g2t[k])));
    uint32_t in_row = (r > rs) | ((r == rs) & (t > rt));
    uint32_t in_spread = ok & (t >= st);
    flags[k] = (uint8_t)(best | in_row << 1 | in_spread << 2 | below << 3);
  }
  return total;
}

/* Offers pair (v, tie) with mentor j to the row's best list. */
static void offer_best(top_list *tl, int64_t *gate, int32_t v, uint32_t tie, uint32_t j) {
  if (pair_key(v, tie) <= *gate) return;
  insert_top(tl, v, tie, j);
  if (tl->kept == tl->keep) *gate = pair_key(tl->score[tl->keep - 1], tl->tie[tl->keep - 1]);
}

/* Offers eligible pair (tie key t) with mentor j to the row's spread. */
static void offer_spread(spread_list *sp, int64_t *gate, int64_t t, uint32_t j) {
  if (t <= *gate) return;
  uint32_t pos = sp->n < MM_ROW_SPREAD ? sp->n++ : MM_ROW_SPREAD - 1;
  while (pos > 0 && sp->tie[pos - 1] < t) {
    sp->tie[pos] = sp->tie[pos - 1];
    sp->pick[pos] = sp->pick[pos - 1];
    pos--;
  }
  sp->tie[pos] = t;
  sp->pick[pos] = j;
  if (sp->n == MM_ROW_SPREAD) *gate = sp->tie[MM_ROW_SPREAD - 1];
}

/* Appends to the first `got` entries of tl the spread mentors not already
 * there; returns the new count.  tl has room for MM_ROW_SPREAD more. */
static uint32_t add_spread(const int32_t *row, const spread_list *sp, top_list *tl, uint32_t got) {
  uint32_t top = got;
  for (uint32_t k = 0; k < sp->n; k++) {
    bool kept = false;
    for (uint32_t x = 0; x < top && !kept; x++) kept = tl->mentor[x] == sp->pick[k];
    if (kept) continue;
    tl->score[got] = row[sp->pick[k]];
    tl->mentor[got++] = sp->pick[k];
  }
  return got;
}

static void sort_by_mentor(int32_t *score, uint32_t *mentor, uint32_t n) {
  for (uint32_t a = 1; a < n; a++) {
    int32_t s = score[a];
    uint32_t j = mentor[a], b = a;
    while (b > 0 && mentor[b - 1] > j) {
      score[b] = score[b - 1];
      mentor[b] = mentor[b - 1];
      b--;
    }
    score[b] = s;
    mentor[b] = j;
  }
}

/* Moves the k largest of the n distinct keys a[] to a[0..k) and returns the
 * least of them (a quickselect, deterministic).  The partition is branch
 * free: the keys come in random order, so a branch on each comparison
 * would be mispredicted half the time (this ran at every cut of a mentor's
 * buffer, 2 million cuts at L). */
static int64_t keep_largest(int64_t *a, uint32_t n, uint32_t k) {
  uint32_t lo = 0, hi = n, want = k - 1;
  while (hi - lo > 1) {
    int64_t x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
    int64_t pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    /* [lo, p) > pivot, [p, i) <= pivot */
    uint32_t p = lo;
    for (uint32_t i = lo; i < hi; i++) {
      int64_t v = a[i];
      a[i] = a[p];
      a[p] = v;
      p += v > pivot;
    }
    /* the pivot (the largest of [p, hi)) to a[p] */
    uint32_t q = p;
    while (a[q] != pivot) q++;
    a[q] = a[p];
    a[p] = pivot;
    if (want < p) {
      hi = p;
    } else if (want > p) {
      lo = p + 1;
    } else {
      break;
    }
  }
  return a[want];
}

/* Appends key to a buffer of `room` entries holding *n, first cutting a
 * full one back to its best `size` (whose weakest becomes *gate); the cut
 * entries go to `spill` when given. */
static void buffer_push(int64_t *buf, uint32_t *n, gate_split *gate, uint32_t room, uint32_t size, int64_t key,
                        column_tops *spill, uint32_t j, int64_t *buf2, uint32_t room2) {
  if (*n == room) {
    gate_put(gate, j, keep_largest(buf, room, size));
    for (uint32_t k = size; spill && k < room; k++)
      if ((int32_t)(buf[k] >> 32) < spill->top[j] && buf[k] > gate_key(&spill->gate2, j))
        buffer_push(buf2, &spill->n2[j], &spill->gate2, room2, COLUMN_BELOW, buf[k], NULL, j, NULL, 0);
    *n = size;
  }
  buf[(*n)++] = key;
}

/* What one row's pass reads and builds: the row, the thread's column
 * lists, and the row's best list and spread with their gates. */
typedef struct {
  const int32_t *row;
  const uint32_t *salt, *col_off, *buf_off;
  uint32_t mentee;
  column_tops *ct;
  top_list *tl;
  spread_list *sp;
  int64_t row_gate, spread_gate; /* eligible keys are >= 0, ineligible ones (score -1) below */
} row_state;

/* Offers the row's pair with mentor j to j's buffers: the best `size`, and
 * the best COLUMN_BELOW scoring below the best score seen (newcomers, and
 * entries cut from the first list).  Whatever the order rows come in, the
 * two lists together hold the best COLUMN_BELOW of a mentor's pairs scoring
 * below its final best score: a pair dropped instead was beaten by at least
 * COLUMN_BELOW (<= size) pairs scoring between it and the best score seen,
 * each of them kept or dropped for the same reason.  merge_columns relies
 * on it for results that do not depend on the thread count. */
static void column_push(const row_state *rs, uint32_t j) {
  column_tops *ct = rs->ct;
  int32_t v = rs->row[j];
  uint32_t size = rs->col_off[j + 1] - rs->col_off[j] - COLUMN_BELOW;
  uint32_t room = rs->buf_off[j + 1] - rs->buf_off[j] - BELOW_ROOM;
  int64_t *buf = ct->key + rs->buf_off[j], *buf2 = buf + room, key = column_key(v, rs->mentee, rs->salt[j]);
  if (v > ct->top[j]) ct->top[j] = v;
  if (key > gate_key(&ct->gate, j)) {
    buffer_push(buf, &ct->n[j], &ct->gate, room, size, key, ct, j, buf2, BELOW_ROOM);
  } else {
    buffer_push(buf2, &ct->n2[j], &ct->gate2, BELOW_ROOM, COLUMN_BELOW, key, NULL, j, NULL, 0);
  }
}

/* Column pushes gathered before they are made: each lands in its own
 * mentor's buffer, far from the others, so their cache lines are fetched
 * together first. */
#define PUSH_BATCH 32

static void push_batch(const row_state *rs, const uint32_t *batch, unsigned n) {
  for (unsigned k = 0; k < n; k++) column_push(rs, batch[k]);
}

/* Offers the pairs of chunk [j0, j0 + n) flagged by scan_chunk, in mentor
 * order, to the row's best list, its spread and their mentors' buffers
 * (mentors with places only).  The flags past the row's end are zero. */
static void walk_chunk(row_state *rs, const uint8_t *flags, uint32_t j0, uint32_t n) {
  const column_tops *ct = rs->ct;
  uint32_t batch[PUSH_BATCH];
  unsigned queued = 0;
  for (uint32_t w0 = j0; w0 < j0 + n; w0 += 8) {
    uint64_t word;
    memcpy(&word, flags + w0, sizeof word);
    word &= FLAG_BYTES(FLAG_COLUMN | FLAG_ROW | FLAG_SPREAD | FLAG_BELOW);
    while (word) {
      unsigned shift = (unsigned)__builtin_ctzll(word) & ~7u;
      uint32_t j = w0 + shift / 8;
      unsigned f = (unsigned)(word >> shift) & 0xffu;
      word &= ~(0xffull << shift);
      if (f & (FLAG_ROW | FLAG_SPREAD)) {
        uint32_t tie = mm_mix32(rs->mentee ^ rs->salt[j]);
        if (f & FLAG_ROW) offer_best(rs->tl, &rs->row_gate, rs->row[j], tie, j);
        if (f & FLAG_SPREAD) offer_spread(rs->sp, &rs->spread_gate, tie, j);
      }
      if (!(f & (FLAG_COLUMN | FLAG_BELOW)) || rs->col_off[j + 1] == rs->col_off[j]) continue;
      if (f & FLAG_COLUMN)
        __builtin_prefetch(ct->key + rs->buf_off[j] + ct->n[j], 1);
      else
        __builtin_prefetch(ct->key + rs->buf_off[j + 1] - BELOW_ROOM + ct->n2[j], 1);
      batch[queued++] = j;
      if (queued == PUSH_BATCH) {
        push_batch(rs, batch, queued);
        queued = 0;
      }
    }
  }
  push_batch(rs, batch, queued);
}

/* One pass over a scored row: per mentor eligible counts (counts), the
 * thread's column lists, the row's best rs->tl->keep mentors in (score,
 * tie-break) descending order (rs->tl->kept of them), and its spread
 * (rs->sp).  Returns the row's eligible pairs. */
static uint32_t row_pass(row_state *rs, uint32_t m, uint32_t *counts, uint8_t *flags) {
  const column_tops *ct = rs->ct;
  uint32_t elig = 0;
  rs->tl->kept = 0;
  rs->sp->n = 0;
  for (uint32_t j0 = 0; j0 < m;) {
    uint32_t chunk = j0 ? SCAN_CHUNK : FIRST_CHUNK, n = m - j0 < chunk ? m - j0 : chunk;
    elig += scan_chunk(rs->row + j0, rs->salt + j0, n, rs->mentee, counts + j0, ct->gate.score + j0,
                       ct->gate.tie + j0, ct->gate2.score + j0, ct->gate2.tie + j0, ct->top + j0, flags + j0,
                       rs->row_gate, rs->spread_gate);
    walk_chunk(rs, flags, j0, n);
    j0 += n;
  }
  return elig;
}

static int key_desc(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x > y ? -1 : x < y;
}

/* Which of a mentor's merged mentees (`got` keys, descending) the graph
 * keeps: the best `base` (capacity + COLUMN_EXTRA), and when those all share
 * the best score, the best COLUMN_BELOW scoring below it, from *below on.
 * Returns how many are kept. */
static uint32_t column_keep(const int64_t *sorted, uint32_t got, uint32_t base, uint32_t *below) {
  *below = got;
  if (got <= base) return got;
  if (sorted[0] >> 32 != sorted[base - 1] >> 32) return base;
  uint32_t p = base;
  while (p < got && sorted[p] >> 32 == sorted[0] >> 32) p++;
  *below = p;
  return base + (got - p < COLUMN_BELOW ? got - p : COLUMN_BELOW);
}

/* Lists of pairs, one per person: list k at [off[k], off[k + 1]), each
 * pair's other end and score.  The columns' pairs are one per mentor (its
 * best mentees), then turned into one per mentee (transpose_columns). */
typedef struct {
  uint64_t *off;
  uint32_t *other;
  int32_t *w;
} pair_lists;

static void pair_lists_free(pair_lists *pl) {
  free(pl->off);
  free(pl->other);
  free(pl->w);
}

/* Merges the threads' lists into each mentor's best mentees (cp) and
 * records each column's bound on the pairs left out.  Mentors are merged in
 * parallel, each into its own slice of scratch, then written to their own
 * slices of the output (sized in between), so the pairs and bounds never
 * depend on the schedule.  0 when memory is short. */
static int merge_columns(mm_candidates *c, const worker *workers, int threads, const uint32_t *col_off,
                         const uint32_t *buf_off, const uint32_t *salt, const int32_t *cap, pair_lists *cp) {
  uint32_t m = c->m;
  size_t total = col_off[m], buffered = buf_off[m];
  uint64_t *at = cp->off = malloc(((size_t)m + 1) * sizeof *at);
  uint32_t *below = malloc((m ? m : 1) * sizeof *below);
  int64_t *tmp = malloc(((size_t)threads * (buffered ? buffered : 1)) * sizeof *tmp);
  uint32_t *em = cp->other = malloc((total ? total : 1) * sizeof *em);
  int32_t *ew = cp->w = malloc((total ? total : 1) * sizeof *ew);
  c->col_kth = malloc((m ? m : 1) * sizeof *c->col_kth);
  int ok = at && below && tmp && em && ew && c->col_kth;
  if (!ok) goto done;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (uint32_t j = 0; j < m; j++) {
    /* Scratch: this mentor's slice of tmp, threads times its buffer. */
    int64_t *mine = tmp + (size_t)threads * buf_off[j];
    uint32_t got = 0, size = col_off[j + 1] - col_off[j], room = buf_off[j + 1] - buf_off[j] - BELOW_ROOM;
    for (int t = 0; t < threads && size; t++) {
      const column_tops *ct = &workers[t].col;
      for (uint32_t k = 0; k < ct->n[j]; k++) mine[got++] = ct->key[buf_off[j] + k];
      for (uint32_t k = 0; k < ct->n2[j]; k++) mine[got++] = ct->key[buf_off[j] + room + k];
    }
    qsort(mine, got, sizeof *mine, key_desc);
    at[j + 1] = column_keep(mine, got, size ? size - COLUMN_BELOW : 0, &below[j]);
  }
  at[0] = 0;
  for (uint32_t j = 0; j < m; j++) at[j + 1] += at[j];
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (uint32_t j = 0; j < m; j++) {
    const int64_t *mine = tmp + (size_t)threads * buf_off[j];
    uint32_t keep = (uint32_t)(at[j + 1] - at[j]);
    uint32_t size = col_off[j + 1] - col_off[j], base = size ? size - COLUMN_BELOW : 0;
    if (base > keep) base = keep;
    for (uint32_t k = 0; k < keep; k++) {
      int64_t key = mine[k < base ? k : below[j] + k - base];
      em[at[j] + k] = column_key_mentee(key, salt[j]);
      ew[at[j] + k] = (int32_t)(key >> 32);
    }
    /* Every pair left out scores at most the weakest of the best `base`. */
    c->col_kth[j] = (cap[j] > 0 && c->mentor_elig[j] > keep) ? (int32_t)(mine[base - 1] >> 32) : -1;
  }
done:
  free(below);
  free(tmp);
  return ok;
}

static void worker_free(worker *w) {
  free(w->col.key);
  free(w->flags);
  free(w->col.n);
  free(w->col.gate.score);
  free(w->col.gate.tie);
  free(w->col.n2);
  free(w->col.gate2.score);
  free(w->col.gate2.tie);
  free(w->col.top);
  mm_score_scratch_free(w->scratch);
  free(w->top_score);
  free(w->top_tie);
  free(w->top_mentor);
  free(w->mentor_elig);
}

/* A thread's scratch: row lists of `slot`, column buffers of `buffered`
 * keys in all, empty.  0 when memory is short (worker_free frees the rest). */
static int worker_init(worker *w, const mm_scorer *s, uint32_t m, uint32_t slot, size_t buffered) {
  size_t mm = m ? m : 1;
  column_tops *ct = &w->col;
  w->scratch = mm_score_scratch_create(s);
  w->top_score = malloc(slot * sizeof(int32_t));
  w->top_tie = malloc(slot * sizeof(uint32_t));
  w->top_mentor = malloc(slot * sizeof(uint32_t));
  w->mentor_elig = calloc(mm, sizeof(uint32_t));
  w->flags = calloc(mm + 8, 1);
  ct->key = malloc((buffered ? buffered : 1) * sizeof *ct->key);
  ct->n = calloc(mm, sizeof *ct->n);
  ct->n2 = calloc(mm, sizeof *ct->n2);
  ct->gate.score = malloc(mm * sizeof(int32_t));
  ct->gate.tie = malloc(mm * sizeof(int32_t));
  ct->gate2.score = malloc(mm * sizeof(int32_t));
  ct->gate2.tie = malloc(mm * sizeof(int32_t));
  ct->top = malloc(mm * sizeof *ct->top);
  if (!w->scratch || !w->top_score || !w->top_tie || !w->top_mentor || !w->mentor_elig || !w->flags || !ct->key ||
      !ct->n || !ct->n2 || !ct->gate.score || !ct->gate.tie || !ct->gate2.score || !ct->gate2.tie || !ct->top)
    return 0;
  /* An empty buffer takes any eligible pair (key >= 0) and no ineligible one. */
  for (uint32_t j = 0; j < m; j++) {
    gate_put(&ct->gate, j, -1);
    gate_put(&ct->gate2, j, -1);
    ct->top[j] = -1;
  }
  return 1;
}

/* Where each mentor's column lives: col_off over its kept mentees
 * (capacity + COLUMN_EXTRA, then COLUMN_BELOW), buf_off over its buffers
 * (half as large again, then BELOW_ROOM); none for a mentor without places. */
static void column_layout(const int32_t *cap, uint32_t n, uint32_t m, uint32_t *col_off, uint32_t *buf_off) {
  for (uint32_t j = 0; j < m; j++) {
    uint32_t size = cap[j] > 0 ? (uint32_t)cap[j] + COLUMN_EXTRA : 0;
    size = size < n ? size : n;
    col_off[j + 1] = col_off[j] + (size ? size + COLUMN_BELOW : 0);
    buf_off[j + 1] = buf_off[j] + (size ? size * 3 / 2 + 1 + BELOW_ROOM : 0);
  }
}

/* What scoring every row shares: the inputs, the column layout and the
 * per-row results (row i's kept mentors and scores at i * slot). */
typedef struct {
  const mm_scorer *s;
  mm_candidates *c;
  uint32_t keep, slot;
  const uint32_t *col_off, *buf_off, *salt;
  uint32_t *kept, *all_mentor;
  int32_t *all_score;
} row_job;

/* Keeps scored row i's candidates (every eligible mentor when the rows
 * are not cut, else its best `keep` plus its spread, and the thread's
 * column lists) and its bound on the rest. */
static void keep_row(const row_job *jb, worker *wk, uint32_t i, const int32_t *row) {
  mm_candidates *c = jb->c;
  uint32_t m = c->m, got = 0, elig;
  uint32_t *mentor = &jb->all_mentor[(size_t)i * jb->slot];
  int32_t *score = &jb->all_score[(size_t)i * jb->slot];
  if (jb->keep >= m) {
    for (uint32_t j = 0; j < m; j++) {
      wk->mentor_elig[j] += row[j] >= 0;
      if (row[j] < 0) continue;
      mentor[got] = j;
      score[got++] = row[j];
    }
    elig = got;
    c->kth[i] = -1;
  } else {
    top_list tl = {wk->top_score, wk->top_tie, wk->top_mentor, 0, jb->keep};
    spread_list sp;
    row_state rs = {row, jb->salt, jb->col_off, jb->buf_off, i, &wk->col, &tl, &sp, -1, -1};
    elig = row_pass(&rs, m, wk->mentor_elig, wk->flags);
    got = tl.kept;
    c->kth[i] = (elig > got) ? wk->top_score[got - 1] : -1;
    got = add_spread(row, &sp, &tl, got);
    sort_by_mentor(wk->top_score, wk->top_mentor, got);
    memcpy(mentor, wk->top_mentor, got * sizeof *mentor);
    memcpy(score, wk->top_score, got * sizeof *score);
  }
  jb->kept[i] = got;
  c->elig[i] = elig;
}

/* Scores and keeps row i. */
static void score_one(const row_job *jb, worker *wk, uint32_t i, mm_progress_meter *meter) {
  double t0 = omp_get_wtime();
  const int32_t *row = mm_score_row(jb->s, wk->scratch, i);
  double t1 = omp_get_wtime();
  keep_row(jb, wk, i, row);
  wk->score_s += t1 - t0;
  wk->select_s += omp_get_wtime() - t1;
  mm_progress_add(meter, jb->c->m);
  mm_progress_tick(meter);
}

/* Scores every row on `threads` threads (rows in the scorer's order, which
 * keeps its class tables warm) and splits the wall time between scoring
 * and keeping in proportion to the threads' busy time. */
static void score_rows(const row_job *jb, worker *workers, int threads) {
  mm_candidates *c = jb->c;
  uint32_t n = c->n, m = c->m;
  const uint32_t *order = mm_scorer_order(jb->s);
  mm_progress_meter meter;
  mm_progress_begin(&meter, &mm_scorer_problem(jb->s)->opt, "score", (uint64_t)n * m, "pairs");
  double wall0 = omp_get_wtime();
#pragma omp parallel num_threads(threads)
  {
    worker *wk = &workers[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 32)
    for (uint32_t k = 0; k < n; k++) score_one(jb, wk, order[k], &meter);
  }
  mm_progress_end(&meter);
  double wall = omp_get_wtime() - wall0, sum_score = 0, sum_select = 0;
  for (int t = 0; t < threads; t++) {
    sum_score += workers[t].score_s;
    sum_select += workers[t].select_s;
    for (uint32_t j = 0; j < m; j++) c->mentor_elig[j] += workers[t].mentor_elig[j];
  }
  double busy = sum_score + sum_select;
  c->score_s = busy > 0 ? wall * sum_score / busy : wall;
  c->select_s = busy > 0 ? wall * sum_select / busy : 0;
}

/* The columns' pairs (one list per mentor) as one list per mentee (by),
 * on `threads` threads: each counts, then places, the pairs of its own
 * range of mentors into slots laid out in between, so every mentee's pairs
 * come out in mentor order, as a serial counting sort would leave them.
 * 0 when memory is short. */
static int transpose_columns(const pair_lists *cp, uint32_t n, uint32_t m, int threads, pair_lists *by) {
  size_t total = cp->off[m];
  uint64_t *slot = calloc((size_t)threads * n + 1, sizeof *slot);
  by->off = calloc((size_t)n + 1, sizeof *by->off);
  by->other = malloc((total ? total : 1) * sizeof *by->other);
  by->w = malloc((total ? total : 1) * sizeof *by->w);
  int ok = slot && by->off && by->other && by->w;
  if (!ok) {
    free(slot);
    return 0;
  }
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    uint32_t j0 = (uint32_t)((uint64_t)m * t / nt), j1 = (uint32_t)((uint64_t)m * (t + 1) / nt);
    uint64_t *mine = slot + (size_t)t * n;
    for (uint64_t k = cp->off[j0]; k < cp->off[j1]; k++) mine[cp->other[k]]++;
#pragma omp barrier
#pragma omp single
    for (uint32_t i = 0; i < n; i++) {
      uint64_t at = by->off[i];
      for (int x = 0; x < nt; x++) {
        uint64_t count = slot[(size_t)x * n + i];
        slot[(size_t)x * n + i] = at;
        at += count;
      }
      by->off[i + 1] = at;
    }
    for (uint32_t j = j0; j < j1; j++) {
      for (uint64_t k = cp->off[j]; k < cp->off[j + 1]; k++) {
        uint64_t p = mine[cp->other[k]]++;
        by->other[p] = j;
        by->w[p] = cp->w[k];
      }
    }
  }
  free(slot);
  return 1;
}

/* Row i of the graph: its kept mentors (ascending) merged with its
 * columns' pairs (by, ascending), each mentor once; written at adj/w when
 * given.  Returns how many. */
static uint32_t merge_row(const row_job *jb, const pair_lists *by, uint32_t i, uint32_t *adj, int64_t *w) {
  const uint32_t *rm = &jb->all_mentor[(size_t)i * jb->slot];
  const int32_t *rs = &jb->all_score[(size_t)i * jb->slot];
  uint64_t a = 0, na = jb->kept[i], b = by ? by->off[i] : 0, nb = by ? by->off[i + 1] : 0;
  uint32_t out = 0;
  while (a < na || b < nb) {
    int from_row = b >= nb || (a < na && rm[a] <= by->other[b]);
    uint32_t j = from_row ? rm[a] : by->other[b];
    int64_t score = from_row ? rs[a] : by->w[b];
    if (from_row) {
      if (b < nb && by->other[b] == j) b++; /* in both lists: once */
      a++;
    } else {
      b++;
    }
    if (adj) {
      adj[out] = j;
      w[out] = score;
    }
    out++;
  }
  return out;
}

/* The graph's CSR (off, adj, w) from the rows' kept pairs and, when rows
 * were cut, the columns' (by), on `threads` threads: each row counted, then
 * written at its offset.  A row holding every eligible pair is complete
 * (kth -1). */
static mm_status gather_graph(const row_job *jb, const pair_lists *by, int threads) {
  mm_candidates *c = jb->c;
  uint32_t n = c->n;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (uint32_t i = 0; i < n; i++) c->off[i + 1] = merge_row(jb, by, i, NULL, NULL);
  for (uint32_t i = 0; i < n; i++) {
    c->off[i + 1] += c->off[i];
    c->pairs_eligible += c->elig[i];
  }
  c->adj = malloc((c->off[n] ? c->off[n] : 1) * sizeof *c->adj);
  c->w = malloc((c->off[n] ? c->off[n] : 1) * sizeof *c->w);
  if (!c->adj || !c->w) return MM_ERR_NOMEM;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (uint32_t i = 0; i < n; i++) {
    merge_row(jb, by, i, c->adj + c->off[i], c->w + c->off[i]);
    if (c->off[i + 1] - c->off[i] >= c->elig[i]) c->kth[i] = -1;
  }
  return MM_OK;
}

mm_status mm_candidates_build(const mm_scorer *s, uint32_t keep, int threads, mm_candidates *c,
                              mm_error *e) {
  memset(c, 0, sizeof *c);
  uint32_t n = mm_scorer_mentees(s), m = mm_scorer_mentors(s);
  if (threads <= 0) threads = omp_get_max_threads();
  if (keep > m) keep = m;
  uint32_t slot = keep < m ? keep + MM_ROW_SPREAD : (keep ? keep : 1);
  c->n = n;
  c->m = m;
  c->off = calloc((size_t)n + 1, sizeof *c->off);
  c->kth = malloc((n ? n : 1) * sizeof *c->kth);
  c->elig = malloc((n ? n : 1) * sizeof *c->elig);
  c->mentor_elig = calloc(m ? m : 1, sizeof *c->mentor_elig);
  size_t slots = (size_t)(n ? n : 1) * slot;
  row_job jb = {s, c, keep, slot, NULL, NULL, NULL, malloc((n ? n : 1) * sizeof(uint32_t)),
                malloc(slots * sizeof(uint32_t)), malloc(slots * sizeof(int32_t))};
  worker *workers = calloc((size_t)threads, sizeof *workers);
  const int32_t *cap = mm_scorer_problem(s)->side[MM_MENTOR].capacity;
  bool pruned = keep < m;
  uint32_t *col_off = calloc((size_t)m + 1, sizeof *col_off), *buf_off = calloc((size_t)m + 1, sizeof *buf_off);
  uint32_t *salt = malloc((m ? m : 1) * sizeof *salt);
  pair_lists cp = {0}, by = {0};
  mm_status st = MM_ERR_NOMEM;
  if (!c->off || !c->kth || !c->elig || !c->mentor_elig || !jb.kept || !jb.all_mentor || !jb.all_score ||
      !workers || !col_off || !buf_off || !salt)
    goto done;
  for (uint32_t j = 0; j < m; j++) salt[j] = mm_pair_salt(j);
  if (pruned) column_layout(cap, n, m, col_off, buf_off);
  for (int t = 0; t < threads; t++)
    if (!worker_init(&workers[t], s, m, slot, buf_off[m])) goto done;
  jb.col_off = col_off;
  jb.buf_off = buf_off;
  jb.salt = salt;
  score_rows(&jb, workers, threads);
  c->pairs_scored = (uint64_t)n * m;
  if (pruned) {
    double t0 = omp_get_wtime();
    if (merge_columns(c, workers, threads, col_off, buf_off, salt, cap, &cp) &&
        transpose_columns(&cp, n, m, threads, &by))
      st = gather_graph(&jb, &by, threads);
    c->select_s += omp_get_wtime() - t0;
  } else {
    st = gather_graph(&jb, NULL, threads);
  }
done:
  pair_lists_free(&cp);
  pair_lists_free(&by);
  free(col_off);
  free(buf_off);
  free(salt);
  for (int t = 0; workers && t < threads; t++) worker_free(&workers[t]);
  free(workers);
  free(jb.kept);
  free(jb.all_mentor);
  free(jb.all_score);
  if (st != MM_OK) {
    if (st == MM_ERR_NOMEM) mm_error_set(e, NULL, "out of memory scoring %u mentees x %u mentors", n, m);
    mm_candidates_free(c);
  }
  return st;
}

typedef struct {
  uint32_t mentee, mentor;
  int64_t w;
} new_edge;

static int new_edge_cmp(const void *a, const void *b) {
  const new_edge *x = a, *y = b;
  if (x->mentee != y->mentee) return x->mentee < y->mentee ? -1 : 1;
  return x->mentor < y->mentor ? -1 : x->mentor > y->mentor;
}

static void sort_by_mentor_new(new_edge *a, size_t n) {
  if (n > 32) {
    qsort(a, n, sizeof *a, new_edge_cmp);
    return;
  }
  for (size_t x = 1; x < n; x++) {
    new_edge v = a[x];
    size_t y = x;
    while (y > 0 && a[y - 1].mentor > v.mentor) {
      a[y] = a[y - 1];
      y--;
    }
    a[y] = v;
  }
}

/* The new edges by (mentee, mentor) into out: a counting sort by mentee
 * (count is n + 1 zeroed entries, left zeroed), then each mentee's few by
 * mentor.  Linear where a sort of all of them was not.  0 when memory is short. */
static int sort_new_edges(uint32_t n, const uint32_t *mentee, const uint32_t *mentor, const int64_t *w,
                          size_t n_new, uint64_t *count, new_edge *out) {
  uint64_t *start = malloc(((size_t)n + 1) * sizeof *start);
  if (!start) return 0;
  for (size_t k = 0; k < n_new; k++) count[mentee[k] + 1]++;
  start[0] = 0;
  for (uint32_t i = 0; i < n; i++) start[i + 1] = start[i] + count[i + 1];
  memset(count, 0, ((size_t)n + 1) * sizeof *count);
  for (size_t k = 0; k < n_new; k++) out[start[mentee[k]] + count[mentee[k]]++] = (new_edge){mentee[k], mentor[k], w[k]};
  memset(count, 0, ((size_t)n + 1) * sizeof *count);
  for (uint32_t i = 0; i < n; i++) sort_by_mentor_new(out + start[i], start[i + 1] - start[i]);
  free(start);
  return 1;
}

/* Drops from add[0..n) (sorted by mentee, then mentor) the edges the graph
 * holds already and those given twice; returns how many remain, in order. */
static size_t drop_known(const mm_candidates *c, new_edge *add, size_t n) {
  size_t kept = 0;
  for (size_t k = 0; k < n; k++) {
    if (kept > 0 && add[kept - 1].mentee == add[k].mentee && add[kept - 1].mentor == add[k].mentor) continue;
    if (mm_candidates_edge(c, add[k].mentee, add[k].mentor) >= 0) continue;
    add[kept++] = add[k];
  }
  return kept;
}

/* Merges mentee i's sorted new edges add[0..n) into its row, whose old
 * edges [from, from + len) move up to start at `to` (>= from), from the
 * back, so that nothing is overwritten before it is read. */
static void merge_row_up(mm_candidates *c, uint64_t from, uint64_t len, uint64_t to, const new_edge *add, size_t n) {
  uint64_t at = to + len + n;
  while (n > 0) {
    if (len > 0 && c->adj[from + len - 1] > add[n - 1].mentor) {
      len--;
      at--;
      c->adj[at] = c->adj[from + len];
      c->w[at] = c->w[from + len];
    } else {
      n--;
      at--;
      c->adj[at] = add[n].mentor;
      c->w[at] = add[n].w;
    }
  }
  if (to != from && len > 0) {
    memmove(c->adj + to, c->adj + from, len * sizeof *c->adj);
    memmove(c->w + to, c->w + from, len * sizeof *c->w);
  }
}

/* Makes room for the n sorted new edges in place: from the last row that
 * gains one back to the first, the rows in between move up as one block and
 * each growing row is merged; the rows before the first stay where they are. */
static void grow_rows_in_place(mm_candidates *c, const new_edge *add, size_t n) {
  uint64_t end = c->off[c->n]; /* old edges [0, end) not yet placed */
  while (n > 0) {
    uint32_t i = add[n - 1].mentee;
    size_t first = n;
    while (first > 0 && add[first - 1].mentee == i) first--;
    uint64_t row_end = c->off[i + 1];
    memmove(c->adj + row_end + n, c->adj + row_end, (end - row_end) * sizeof *c->adj);
    memmove(c->w + row_end + n, c->w + row_end, (end - row_end) * sizeof *c->w);
    merge_row_up(c, c->off[i], row_end - c->off[i], c->off[i] + first, add + first, n - first);
    end = c->off[i];
    n = first;
  }
}

mm_status mm_candidates_add(mm_candidates *c, const uint32_t *mentee, const uint32_t *mentor,
                            const int64_t *w, size_t n_new, mm_error *e) {
  if (n_new == 0) return MM_OK;
  new_edge *add = malloc(n_new * sizeof *add);
  uint64_t *count = calloc((size_t)c->n + 1, sizeof *count);
  size_t n = 0;
  bool ok = add && count && sort_new_edges(c->n, mentee, mentor, w, n_new, count, add);
  if (ok) n = drop_known(c, add, n_new);
  size_t total = c->off[c->n] + n;
  uint32_t *adj = ok ? realloc(c->adj, (total ? total : 1) * sizeof *adj) : NULL;
  if (adj) c->adj = adj;
  int64_t *ww = adj ? realloc(c->w, (total ? total : 1) * sizeof *ww) : NULL;
  if (ww) c->w = ww;
  if (!ww) {
    /* The graph is unchanged (at most its arrays are longer). */
    free(add);
    free(count);
    mm_error_set(e, NULL, "out of memory growing the candidate graph");
    return MM_ERR_NOMEM;
  }
  grow_rows_in_place(c, add, n);
  for (size_t k = 0; k < n; k++) count[add[k].mentee + 1]++;
  for (uint32_t i = 0; i < c->n; i++) {
    count[i + 1] += count[i];
    c->off[i + 1] += count[i + 1];
    if (c->off[i + 1] - c->off[i] >= c->elig[i]) c->kth[i] = -1; /* every eligible pair is in: complete */
  }
  free(add);
  free(count);
  return MM_OK;
}

int64_t mm_candidates_edge(const mm_candidates *c, uint32_t mentee, uint32_t mentor) {
  uint64_t lo = c->off[mentee], hi = c->off[mentee + 1];
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (c->adj[mid] < mentor) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < c->off[mentee + 1] && c->adj[lo] == mentor ? (int64_t)lo : -1;
}
