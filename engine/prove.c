/* prove.c: shows that no pair left out of the candidate graph could improve the optimum.
 *
 * The solver proves its assignment optimal on the candidate graph with dual
 * prices u (mentees) and v (mentors).  Those prices prove it optimal over
 * ALL pairs as soon as u[i] + v[j] >= big + score(i, j) holds for every pair
 * outside the graph too.  A mentee's left-out pairs all score at most its
 * k-th best kept score, so when u[i] + min(v) >= big + kth[i] the whole row is
 * settled without rescoring; only the remaining rows are scored again and
 * checked pair by pair, and the violating pairs go back to the solver.  When
 * a round finds none, optimality over every pair is proven.  A row checked in
 * an earlier round remembers its tightest pairs and a bound on the rest, so
 * later rounds score it only against the mentors whose price fell since
 * (with ties, prices hardly move between rounds, yet most rows sit at zero
 * slack, and scoring them against every open mentor was most of a round).
 */
#include "prove.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Marks (on, 1) or clears (0) row i's mentors in the graph in the
 * thread's per-mentor flags, so that checking its pairs asks a byte, not a
 * search, whether a pair is in the graph. */
static void mark_row(const mm_candidates *c, uint32_t i, uint8_t *in_graph, uint8_t on) {
  for (uint64_t k = c->off[i]; k < c->off[i + 1]; k++) in_graph[c->adj[k]] = on;
}

mm_status mm_prover_init(mm_prover *pv, uint32_t n, uint32_t m, mm_error *e) {
  memset(pv, 0, sizeof *pv);
  size_t rows = n ? n : 1;
  pv->tight_d = malloc(rows * MM_PROOF_TIGHT * sizeof *pv->tight_d);
  pv->tight_j = malloc(rows * MM_PROOF_TIGHT * sizeof *pv->tight_j);
  pv->tight_n = calloc(rows, 1);
  pv->rest = malloc(rows * sizeof *pv->rest);
  pv->price_prev = malloc((m ? m : 1) * sizeof *pv->price_prev);
  pv->strikes = calloc(rows, 1);
  if (!pv->tight_d || !pv->tight_j || !pv->tight_n || !pv->rest || !pv->price_prev || !pv->strikes) {
    mm_prover_free(pv);
    mm_error_set(e, NULL, "out of memory proving optimality");
    return MM_ERR_NOMEM;
  }
  for (uint32_t i = 0; i < n; i++) pv->rest[i] = INT64_MIN;
  return MM_OK;
}

void mm_prover_free(mm_prover *pv) {
  free(pv->tight_d);
  free(pv->tight_j);
  free(pv->tight_n);
  free(pv->rest);
  free(pv->price_prev);
  free(pv->strikes);
  memset(pv, 0, sizeof *pv);
}

#define SETTLED_PRICE (INT64_MAX / 4)

/* Mentors whose price fell the most are checked one by one against
 * remembered rows; every other mentor's fall is at most `drop`. */
#define MAX_WATCHED 1024

static bool in_tight(const mm_prover *pv, uint32_t i, uint32_t j) {
  for (uint8_t k = 0; k < pv->tight_n[i]; k++)
    if (pv->tight_j[(size_t)i * MM_PROOF_TIGHT + k] == j) return true;
  return false;
}

/* Whether row i, remembered from an earlier round, still holds. */
static bool remembered_holds(const mm_prover *pv, const mm_candidates *c, uint32_t i, int64_t u,
                             const int64_t *price, int64_t drop, const uint32_t *watched,
                             uint32_t n_watched) {
  int64_t rest = pv->rest[i];
  if (rest == INT64_MIN || u + rest - drop < 0) return false;
  for (uint8_t k = 0; k < pv->tight_n[i]; k++) {
    uint32_t j = pv->tight_j[(size_t)i * MM_PROOF_TIGHT + k];
    int64_t fall = pv->price_prev[j] - price[j];
    if (u + pv->tight_d[(size_t)i * MM_PROOF_TIGHT + k] - (fall > 0 ? fall : 0) < 0) return false;
  }
  for (uint32_t k = 0; k < n_watched; k++) {
    uint32_t j = watched[k];
    /* Pairs outside the graph score at most min(kth, col_kth)... */
    int64_t bound = c->kth[i] < c->col_kth[j] ? c->kth[i] : c->col_kth[j];
    if (u + price[j] - bound >= 0) continue;
    /* ...or, if compared last round and not among the tightest, had d >= rest. */
    if (in_tight(pv, i, j)) continue; /* checked exactly above */
    if (u + rest - (pv->price_prev[j] - price[j]) >= 0) continue;
    return false;
  }
  return true;
}

/* Moves what row i remembers onto the new prices, so the next round can
 * compare against them: a remembered pair's d changes exactly with its
 * mentor's price; the others' bound falls by at most the largest fall. */
static void refresh_remembered(mm_prover *pv, uint32_t i, const int64_t *price, int64_t max_fall) {
  for (uint8_t k = 0; k < pv->tight_n[i]; k++) {
    size_t at = (size_t)i * MM_PROOF_TIGHT + k;
    uint32_t j = pv->tight_j[at];
    pv->tight_d[at] -= pv->price_prev[j] - price[j];
  }
  pv->rest[i] -= max_fall;
}


/* Whether violating pair j of row i, d = price - score, ranks before j2 with
 * d2: the more violated first (the most negative reduced cost, as column
 * generation prefers: for a mentee left unmatched that is a mentor with
 * places to spare), ties by mm_pair_tiebreak, so rows that tie spread their
 * additions over the roster instead of all asking the same mentors. */
static inline bool add_before(uint32_t i, int64_t d, uint32_t j, int64_t d2, uint32_t j2) {
  return d < d2 || (d == d2 && mm_pair_tiebreak(i, j) > mm_pair_tiebreak(i, j2));
}

/* Rows are checked against a few mentors only.  A pair outside the graph
 * scores at most col_kth[j], so it can violate only when price[j] is below
 * that: only "open" mentors take part, and rows are scored against them
 * alone (mm_score_cols), which is what keeps a round cheap when ties leave
 * most rows to check.  The test gets a margin, so that pairs just short of
 * violating are looked at and remembered too (a later round then settles
 * the row by its slack instead of scoring it again); every mentor not
 * looked at bounds the row's other pairs by that margin (check_row's `out`). */
/* Measured on a tie-heavy roster: a margin of 300 (0.03) looked at four times
 * the pairs to settle a tenth more rows by slack, so none is taken. */
#define PROOF_MARGIN 0

/* Slack asked of a row beyond its bar (row_prefix), in score units (1e-4). */
#define PREFIX_MARGIN 0

typedef struct {
  uint32_t *cols; /* the mentors to look at, by price ascending (ties by index) */
  int64_t *price; /* price of cols[t] */
  uint32_t n;
  mm_score_cols *pack; /* the scorer's view of them */
  int64_t others;      /* least price - col_kth of every other mentor a pair outside
                          the graph could use (>= PROOF_MARGIN), or INT64_MAX / 4 */
} checked_mentors;

static void checked_free(checked_mentors *cm) {
  free(cm->cols);
  free(cm->price);
  mm_score_cols_free(cm->pack);
  memset(cm, 0, sizeof *cm);
}

/* Orders the open mentors by price, cheapest first (ties by index): a row
 * can violate only with a mentor priced below its own bar (row_prefix), so
 * it is scored against a prefix of them.  0 when memory is short. */
static int by_price(checked_mentors *cm) {
  mm_keyed *k = malloc((cm->n ? cm->n : 1) * sizeof *k);
  if (!k) return 0;
  /* mm_keyed_desc puts the largest key first, ties by index ascending. */
  for (uint32_t t = 0; t < cm->n; t++) k[t] = (mm_keyed){-cm->price[t], cm->cols[t]};
  qsort(k, cm->n, sizeof *k, mm_keyed_desc);
  for (uint32_t t = 0; t < cm->n; t++) {
    cm->cols[t] = k[t].index;
    cm->price[t] = -k[t].key;
  }
  free(k);
  return 1;
}

/* Lists the mentors rows are checked against (see above).  0 when memory is
 * short. */
static int checked_build(const mm_scorer *s, const mm_candidates *c, const int32_t *cap, const int64_t *price,
                         checked_mentors *cm) {
  uint32_t m = c->m;
  memset(cm, 0, sizeof *cm);
  cm->others = INT64_MAX / 4;
  cm->cols = malloc((m ? m : 1) * sizeof *cm->cols);
  cm->price = malloc((m ? m : 1) * sizeof *cm->price);
  if (!cm->cols || !cm->price) {
    checked_free(cm);
    return 0;
  }
  for (uint32_t j = 0; j < m; j++) {
    int32_t col = c->col_kth ? c->col_kth[j] : -1;
    if (cap[j] <= 0 || col < 0) continue; /* no pair outside the graph can use it */
    if (price[j] - col >= PROOF_MARGIN) {
      if (price[j] - col < cm->others) cm->others = price[j] - col;
      continue;
    }
    cm->price[cm->n] = price[j];
    cm->cols[cm->n++] = j;
  }
  if (!by_price(cm)) {
    checked_free(cm);
    return 0;
  }
  cm->pack = mm_score_cols_create(s, cm->cols, cm->n);
  if (!cm->pack) {
    checked_free(cm);
    return 0;
  }
  return 1;
}

/* Offers violating pair (j, score r, d = price - r) to row i's list of the
 * max_add most violated, kept in add_before order (as check_row does). */
static void offer_violation(uint32_t i, uint32_t j, int32_t r, int64_t d, const int64_t *price, uint32_t max_add,
                            uint32_t *bm, int64_t *bw, uint32_t *kept) {
  if (*kept == max_add && !add_before(i, d, j, price[bm[max_add - 1]] - bw[max_add - 1], bm[max_add - 1])) return;
  uint32_t pos = *kept < max_add ? (*kept)++ : max_add - 1;
  while (pos > 0 && add_before(i, d, j, price[bm[pos - 1]] - bw[pos - 1], bm[pos - 1])) {
    bw[pos] = bw[pos - 1];
    bm[pos] = bm[pos - 1];
    pos--;
  }
  bw[pos] = r;
  bm[pos] = j;
}

/* Inserts (j, d) into a row's remembered pairs, ascending by d, dropping the
 * last when all MM_PROOF_TIGHT places are taken. */
static void tight_insert(int64_t *tight_d, uint32_t *tight_j, uint32_t *n, uint32_t j, int64_t d) {
  uint32_t pos = *n < MM_PROOF_TIGHT ? (*n)++ : MM_PROOF_TIGHT - 1;
  while (pos > 0 && tight_d[pos - 1] > d) {
    tight_d[pos] = tight_d[pos - 1];
    tight_j[pos] = tight_j[pos - 1];
    pos--;
  }
  tight_d[pos] = d;
  tight_j[pos] = j;
}

#define CHECK_BLOCK 32

/* Whether some eligible pair of a block has price - score below threshold
 * (vectorised: most blocks hold nothing worth a closer look). */
MM_MULTIVERSION
static int any_below(const int32_t *restrict row, const int64_t *restrict price, uint32_t n, int64_t threshold) {
  int any = 0;
  for (uint32_t k = 0; k < n; k++) any |= (row[k] >= 0) & (price[k] - row[k] < threshold);
  return any;
}

/* Checks one row against the prices on the mentors cols[0..k) (their
 * scores in row[0..k)): every violating pair outside the graph is among them
 * (see checked_mentors; col_price[t] is price[cols[t]]).  Keeps the max_add
 * most violated pairs (see add_before) and remembers the row's tightest other
 * pairs outside the graph (see mm_prover); every pair not looked at has d >=
 * out, so rest becomes the smaller of out and the largest remembered d, or
 * INT64_MIN when some violating pair had to stay out of the graph.
 * in_graph flags row i's mentors in the graph (mark_row). */
static void check_row(const uint8_t *in_graph, uint32_t i, const int32_t *row, const uint32_t *cols, uint32_t k,
                      const int64_t *col_price, const int64_t *price, int64_t u, int64_t out, uint32_t max_add,
                      uint32_t *bm, int64_t *bw, uint32_t *kept, uint64_t *violations, int64_t *tight_d,
                      uint32_t *tight_j, uint8_t *tight_n, int64_t *rest) {
  uint64_t found = 0;
  uint32_t nt = 0;
  *kept = 0;
  for (uint32_t t0 = 0; t0 < k; t0 += CHECK_BLOCK) {
    uint32_t nb = k - t0 < CHECK_BLOCK ? k - t0 : CHECK_BLOCK;
    /* Worth a look: violated pairs, and pairs tighter than the ones kept. */
    int64_t worth = nt < MM_PROOF_TIGHT ? INT64_MAX : tight_d[MM_PROOF_TIGHT - 1];
    if (!any_below(row + t0, col_price + t0, nb, worth > -u ? worth : -u)) continue;
    for (uint32_t t = t0; t < t0 + nb; t++) {
      int32_t r = row[t];
      if (r < 0) continue;
      uint32_t j = cols[t];
      int64_t d = col_price[t] - r; /* v[j] - big - score: at least -u unless violated */
      worth = nt < MM_PROOF_TIGHT ? INT64_MAX : tight_d[MM_PROOF_TIGHT - 1];
      if (d >= -u && d >= worth) continue;
      if (in_graph[j]) continue;
      if (d >= -u) {
        tight_insert(tight_d, tight_j, &nt, j, d);
        continue;
      }
      found++;
      offer_violation(i, j, r, d, price, max_add, bm, bw, kept);
    }
  }
  *violations += found;
  *tight_n = (uint8_t)nt;
  int64_t last = nt == MM_PROOF_TIGHT ? tight_d[MM_PROOF_TIGHT - 1] : INT64_MAX / 4;
  *rest = found > *kept ? INT64_MIN : last < out ? last : out;
}

/* Takes every eligible pair of row i outside the graph, so the row is
 * complete afterwards, when one of them is violated; returns how many (0
 * when none is: the row then stays as it is). */
static uint32_t take_full_row(const mm_candidates *c, uint32_t i, const int32_t *row, const int64_t *price,
                              int64_t u, uint32_t *bm, int64_t *bw, uint64_t *violations, uint8_t *tight_n,
                              int64_t *rest) {
  uint32_t n = 0;
  uint64_t found = 0, k = c->off[i], end = c->off[i + 1];
  for (uint32_t j = 0; j < c->m; j++) {
    while (k < end && c->adj[k] < j) k++;
    if (row[j] < 0 || (k < end && c->adj[k] == j)) continue;
    found += u + price[j] - row[j] < 0;
    bm[n] = j;
    bw[n++] = row[j];
  }
  *violations += found;
  *tight_n = 0;
  *rest = INT64_MIN;
  return found ? n : 0;
}

/* Puts (j, d) among a row's remembered tightest pairs; one pushed out of the
 * full list lowers rest, which then still bounds every pair not remembered. */
static void remember_pair(int64_t *tight_d, uint32_t *tight_j, uint8_t *tight_n, int64_t *rest, uint32_t j,
                          int64_t d) {
  if (*tight_n == MM_PROOF_TIGHT) {
    int64_t last = tight_d[MM_PROOF_TIGHT - 1];
    if (d >= last) {
      if (d < *rest) *rest = d;
      return;
    }
    if (last < *rest) *rest = last;
  }
  uint32_t n = *tight_n;
  tight_insert(tight_d, tight_j, &n, j, d);
  *tight_n = (uint8_t)n;
}

/* Checks a remembered row (rest known and u + rest >= 0) against the new
 * prices exactly, scoring it only against the mentors whose price fell since
 * the last round, fcols[0..nf) (their scores in row[0..nf)), cheapest
 * first: the fallen mentors past them cannot be violated and have d >=
 * beyond (fallen_prefix).  Every other pair outside the graph is either
 * remembered, with its d moved exactly by its mentor's price change, or
 * bounded by rest, which no price fall has lowered.  So the violating pairs
 * found are all the row's violating pairs, and the same ones check_row
 * would find; they are kept the same way.  The remembered pairs and rest
 * are brought up to the new prices. */
static void check_remembered(const uint8_t *in_graph, uint32_t i, const int32_t *row, const uint32_t *fcols,
                             uint32_t nf, int64_t beyond, const int64_t *price, const int64_t *price_prev, int64_t u,
                             uint32_t max_add, uint32_t *bm, int64_t *bw, uint32_t *kept, uint64_t *violations,
                             int64_t *tight_d, uint32_t *tight_j, uint8_t *tight_n, int64_t *rest) {
  int64_t old_d[MM_PROOF_TIGHT];
  uint32_t old_j[MM_PROOF_TIGHT];
  uint8_t n_old = *tight_n;
  uint64_t found = 0;
  memcpy(old_d, tight_d, n_old * sizeof *old_d);
  memcpy(old_j, tight_j, n_old * sizeof *old_j);
  *tight_n = 0;
  *kept = 0;
  for (uint8_t k = 0; k < n_old; k++) {
    uint32_t j = old_j[k];
    int64_t d = old_d[k] + (price[j] - price_prev[j]);
    if (u + d >= 0) {
      remember_pair(tight_d, tight_j, tight_n, rest, j, d);
      continue;
    }
    found++;
    offer_violation(i, j, (int32_t)(price[j] - d), d, price, max_add, bm, bw, kept);
  }
  for (uint32_t t = 0; t < nf; t++) {
    uint32_t j = fcols[t];
    if (row[t] < 0) continue;
    int64_t d = price[j] - row[t];
    /* Most pairs change neither the remembered ones nor rest: skip them
     * before the look-ups. */
    if (u + d >= 0 && *tight_n == MM_PROOF_TIGHT && d >= tight_d[MM_PROOF_TIGHT - 1] && d >= *rest) continue;
    if (in_graph[j]) continue;
    bool known = false;
    for (uint8_t k = 0; k < n_old && !known; k++) known = old_j[k] == j;
    if (known) continue;
    if (u + d >= 0) {
      remember_pair(tight_d, tight_j, tight_n, rest, j, d);
      continue;
    }
    found++;
    offer_violation(i, j, row[t], d, price, max_add, bm, bw, kept);
  }
  *violations += found;
  if (beyond < *rest) *rest = beyond;
  if (found > *kept) *rest = INT64_MIN;
}

/* How many pairs row i may add this round (see MM_PROOF_FULL_AFTER); *full
 * when that is its whole row. */
static uint32_t row_share(const mm_prover *pv, const mm_candidates *c, uint32_t i, uint32_t max_add, bool *full) {
  uint8_t s = pv->strikes[i];
  uint64_t share = s < MM_PROOF_FULL_AFTER ? (uint64_t)max_add << (2 * s) : c->m;
  *full = s >= MM_PROOF_FULL_AFTER || share >= c->elig[i];
  return *full ? c->m : (uint32_t)share;
}

/* What a round does with a row: nothing (settled by a bound or its slack),
 * check it against the open mentors, against the mentors whose price fell
 * (its memory covers the rest), or take its whole eligible row. */
enum { ROW_SETTLED, ROW_OPEN, ROW_REMEMBERED, ROW_WHOLE };

/* One round's working state, shared by its steps. */
typedef struct {
  int64_t *price;    /* per mentor: v[j] - big, or SETTLED_PRICE without places */
  int64_t a_min, b_min; /* the open mentors' lowest price and price - col_kth */
  uint32_t *watched, n_watched; /* the largest price falls, one by one */
  int64_t drop, max_fall;       /* every other fall is at most drop; the largest */
  uint32_t *fallen, n_falls;    /* the mentors whose price fell, by price ascending (ties by index) */
  int64_t *fallen_price;        /* price of fallen[t] */
  int64_t *fallen_fall;         /* the largest fall of fallen[t..n_falls) */
  bool remember, by_fallen;
  uint32_t *flagged, n_flagged; /* rows to check, in the scorer's order */
  uint8_t *mode;                /* per flagged row: ROW_* */
  size_t *at;                   /* per flagged row: its first slot in the output */
  bool any_remembered;
} round_state;

static void round_free(round_state *r) {
  free(r->price);
  free(r->watched);
  free(r->fallen);
  free(r->fallen_price);
  free(r->fallen_fall);
  free(r->flagged);
  free(r->mode);
  free(r->at);
}

/* Prices, the open mentors' bounds and the price falls since the last
 * round.  A mentor settles its whole column when it cannot take anyone,
 * when the graph holds all its eligible pairs, or when its price covers
 * the best score it left out.  The other mentors bound each row from below
 * by max(A - kth[i], B): A their lowest price, B their lowest price minus
 * the column bound, as v[j] - big - min(kth, col_kth) >= both.  0 when
 * memory is short. */
static int round_prices(const mm_prover *pv, const mm_candidates *c, const int32_t *cap, const int64_t *v,
                        int64_t big, round_state *r, mm_proof_round *stats) {
  mm_keyed *falls = malloc((c->m ? c->m : 1) * sizeof *falls);
  uint32_t n_falls = 0;
  r->a_min = r->b_min = INT64_MAX;
  if (!falls) return 0;
  for (uint32_t j = 0; j < c->m; j++) {
    /* A mentor without capacity left cannot take a left-out pair; any other
     * keeps its real price, so rows remember their pairs with every mentor. */
    int64_t pj = v[j] - big;
    r->price[j] = cap[j] > 0 ? pj : SETTLED_PRICE;
    if (cap[j] > 0 && pv->rounds > 0 && pv->price_prev[j] > pj)
      falls[n_falls++] = (mm_keyed){pv->price_prev[j] - pj, j}; /* the fall and the mentor */
    int32_t col = c->col_kth ? c->col_kth[j] : -1;
    if (cap[j] <= 0 || col < 0 || pj >= col) continue; /* settled */
    stats->open_mentors++;
    if (pj < r->a_min) r->a_min = pj;
    if (pj - col < r->b_min) r->b_min = pj - col;
  }
  /* Watch the largest falls one by one; the rest fall by at most `drop`. */
  qsort(falls, n_falls, sizeof *falls, mm_keyed_desc);
  uint32_t k_fall = 0;
  while (k_fall < n_falls && r->n_watched < MAX_WATCHED) r->watched[r->n_watched++] = falls[k_fall++].index;
  r->drop = k_fall < n_falls ? falls[k_fall].key : 0;
  r->max_fall = n_falls ? falls[0].key : 0;
  /* Rows whose memory a fall broke are checked against the fallen mentors
   * alone (check_remembered) while they are few beside the open ones. */
  r->by_fallen = r->remember && n_falls <= stats->open_mentors / 2 + 64;
  /* ...cheapest first, so that a row stops where its bar rules out the rest. */
  for (uint32_t k = 0; k < n_falls; k++) falls[k].key = -r->price[falls[k].index];
  qsort(falls, n_falls, sizeof *falls, mm_keyed_desc);
  int64_t largest = 0;
  for (uint32_t k = n_falls; k-- > 0;) {
    uint32_t j = falls[k].index;
    r->fallen[k] = j;
    r->fallen_price[k] = r->price[j];
    if (pv->price_prev[j] - r->price[j] > largest) largest = pv->price_prev[j] - r->price[j];
    r->fallen_fall[k] = largest;
  }
  r->n_falls = n_falls;
  free(falls);
  return 1;
}

/* Settles each row by a bound or its slack, or flags it to be checked, in
 * parallel (rows write only their own memory); the flagged ones are then
 * listed in the scorer's order (rows sharing a class table stay together). */
static void round_flag_rows(mm_prover *pv, const mm_scorer *s, const mm_candidates *c, const uint8_t *skip,
                            const int64_t *u, uint32_t max_add, int threads, round_state *r, mm_proof_round *stats) {
  const uint32_t *order = mm_scorer_order(s);
  uint64_t pruned = 0, by_bound = 0, by_slack = 0;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1024) reduction(+ : pruned, by_bound, by_slack)
  for (uint32_t k = 0; k < c->n; k++) {
    uint32_t i = order[k];
    r->mode[k] = ROW_SETTLED;
    if (skip[i] || c->kth[i] < 0) continue;
    pruned++;
    int64_t lower = r->a_min == INT64_MAX ? 0 : (r->a_min - c->kth[i] > r->b_min ? r->a_min - c->kth[i] : r->b_min);
    if (u[i] + lower >= 0) {
      by_bound++;
      pv->rest[i] = INT64_MIN; /* what it remembered is measured against older prices */
    } else if (r->remember && remembered_holds(pv, c, i, u[i], r->price, r->drop, r->watched, r->n_watched)) {
      by_slack++;
      refresh_remembered(pv, i, r->price, r->max_fall);
    } else if (r->by_fallen && pv->rest[i] != INT64_MIN && u[i] + pv->rest[i] >= 0) {
      bool whole;
      row_share(pv, c, i, max_add, &whole);
      r->mode[k] = whole ? ROW_OPEN : ROW_REMEMBERED;
    } else {
      r->mode[k] = ROW_OPEN;
    }
  }
  for (uint32_t k = 0; k < c->n; k++) {
    if (r->mode[k] == ROW_SETTLED) continue;
    r->mode[r->n_flagged] = r->mode[k];
    r->flagged[r->n_flagged++] = order[k];
  }
  stats->pruned = pruned;
  stats->by_bound = by_bound;
  stats->by_slack = by_slack;
}

/* Each flagged row's share of the output (row_share) as offsets at[]; a
 * row that may take its whole row is checked whole.  0 when memory is short. */
static int round_shares(const mm_prover *pv, const mm_candidates *c, uint32_t max_add, round_state *r) {
  r->at = malloc(((size_t)r->n_flagged + 1) * sizeof *r->at);
  if (!r->at) return 0;
  r->at[0] = 0;
  for (uint32_t f = 0; f < r->n_flagged; f++) {
    bool whole;
    r->at[f + 1] = r->at[f] + row_share(pv, c, r->flagged[f], max_add, &whole);
    if (whole) r->mode[f] = ROW_WHOLE;
    r->any_remembered |= r->mode[f] == ROW_REMEMBERED;
  }
  return 1;
}

/* What checking the flagged rows needs besides the round: per-thread
 * scratches and counters, and the packed mentors rows are scored against. */
typedef struct {
  mm_score_scratch **scratch;
  uint8_t **in_graph; /* per thread: m flags, all 0 between rows (mark_row) */
  uint64_t *viol, *looked;
  checked_mentors cm;
  mm_score_cols *fallen_pack;
} check_tools;

static void check_tools_free(check_tools *t, int threads) {
  checked_free(&t->cm);
  mm_score_cols_free(t->fallen_pack);
  for (int k = 0; t->scratch && k < threads; k++) mm_score_scratch_free(t->scratch[k]);
  for (int k = 0; t->in_graph && k < threads; k++) free(t->in_graph[k]);
  free(t->scratch);
  free(t->in_graph);
  free(t->viol);
  free(t->looked);
}

/* How many of price[0..n) (ascending) are below bar. */
static uint32_t cheaper_than(const int64_t *price, uint32_t n, int64_t bar) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (price[mid] < bar) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/* How many of the open mentors (cheapest first) row i is scored against:
 * its pairs outside the graph score at most kth, so one with a mentor
 * priced at kth - u or more is not violated (d = price - score >= -u).
 * PREFIX_MARGIN more are looked at so that the row keeps some slack for
 * later rounds.  *out bounds d for every open mentor past the prefix and
 * every mentor not open (cm->others). */
static uint32_t row_prefix(const checked_mentors *cm, int32_t kth, int64_t u, int64_t *out) {
  uint32_t k = cheaper_than(cm->price, cm->n, (int64_t)kth - u + PREFIX_MARGIN);
  *out = cm->others;
  if (k < cm->n && cm->price[k] - kth < *out) *out = cm->price[k] - kth;
  return k;
}

/* The same for a remembered row and the fallen mentors: one past the
 * prefix has d >= its price - kth, and d >= rest - its fall (its pair was
 * bounded by rest before the fall); *beyond is the larger of the two
 * bounds over them all (INT64_MAX / 4 when none is left out). */
static uint32_t fallen_prefix(const round_state *r, int32_t kth, int64_t u, int64_t rest, int64_t *beyond) {
  uint32_t k = cheaper_than(r->fallen_price, r->n_falls, (int64_t)kth - u + PREFIX_MARGIN);
  *beyond = INT64_MAX / 4;
  if (k < r->n_falls) {
    int64_t by_price = r->fallen_price[k] - kth, by_rest = rest - r->fallen_fall[k];
    *beyond = by_price > by_rest ? by_price : by_rest;
  }
  return k;
}

/* Checks every flagged row in its mode, in parallel, writing its violating
 * pairs to its own slots (oj, ow at at[f]) and their count to count[f]. */
static void round_check_rows(mm_prover *pv, const mm_scorer *s, const mm_candidates *c, const int64_t *u,
                             int threads, const round_state *r, check_tools *t, uint32_t *oj, int64_t *ow,
                             uint32_t *count) {
#pragma omp parallel num_threads(threads)
  {
    int tid = omp_get_thread_num();
#pragma omp for schedule(dynamic, 8)
    for (uint32_t f = 0; f < r->n_flagged; f++) {
      uint32_t i = r->flagged[f];
      uint32_t *bm = &oj[r->at[f]], share = (uint32_t)(r->at[f + 1] - r->at[f]);
      int64_t *bw = &ow[r->at[f]], *td = &pv->tight_d[(size_t)i * MM_PROOF_TIGHT];
      uint32_t *tj = &pv->tight_j[(size_t)i * MM_PROOF_TIGHT];
      if (r->mode[f] == ROW_WHOLE) {
        const int32_t *row = mm_score_row(s, t->scratch[tid], i);
        t->looked[tid] += c->m;
        count[f] = take_full_row(c, i, row, r->price, u[i], bm, bw, &t->viol[tid], &pv->tight_n[i], &pv->rest[i]);
      } else if (r->mode[f] == ROW_REMEMBERED) {
        int64_t beyond;
        uint32_t k = fallen_prefix(r, c->kth[i], u[i], pv->rest[i], &beyond);
        const int32_t *row = mm_score_cols_prefix(s, t->fallen_pack, t->scratch[tid], i, k);
        t->looked[tid] += k + pv->tight_n[i];
        mark_row(c, i, t->in_graph[tid], 1);
        check_remembered(t->in_graph[tid], i, row, r->fallen, k, beyond, r->price, pv->price_prev, u[i], share, bm,
                         bw, &count[f], &t->viol[tid], td, tj, &pv->tight_n[i], &pv->rest[i]);
        mark_row(c, i, t->in_graph[tid], 0);
      } else {
        int64_t out;
        uint32_t k = row_prefix(&t->cm, c->kth[i], u[i], &out);
        const int32_t *row = mm_score_cols_prefix(s, t->cm.pack, t->scratch[tid], i, k);
        t->looked[tid] += k;
        mark_row(c, i, t->in_graph[tid], 1);
        check_row(t->in_graph[tid], i, row, t->cm.cols, k, t->cm.price, r->price, u[i], out, share, bm, bw,
                  &count[f], &t->viol[tid], td, tj, &pv->tight_n[i], &pv->rest[i]);
        mark_row(c, i, t->in_graph[tid], 0);
      }
    }
  }
}

/* The flagged rows' violating pairs, packed in row order into om/oj/ow
 * (which hold them at the rows' slots), with the round's counts. */
static size_t round_collect(mm_prover *pv, const round_state *r, const uint32_t *count, uint32_t *om, uint32_t *oj,
                            int64_t *ow, mm_proof_round *stats) {
  size_t n = 0;
  for (uint32_t f = 0; f < r->n_flagged; f++) {
    uint32_t i = r->flagged[f];
    /* A remembered row with nothing violated was settled by its slack and
     * the fallen mentors; every other flagged row counts as rescored. */
    if (r->mode[f] == ROW_REMEMBERED && count[f] == 0) {
      stats->by_slack++;
    } else {
      stats->rescored++;
    }
    if (count[f] > 0 && pv->strikes[i] < UINT8_MAX) pv->strikes[i]++;
    for (uint32_t k = 0; k < count[f]; k++) {
      om[n] = i;
      oj[n] = oj[r->at[f] + k];
      ow[n] = ow[r->at[f] + k];
      n++;
    }
  }
  return n;
}

mm_status mm_prove_round(mm_prover *pv, const mm_scorer *s, const mm_candidates *c, const uint8_t *skip,
                         const int32_t *cap, const int64_t *u, const int64_t *v, int64_t big, int threads,
                         uint32_t max_add, uint32_t **out_mentee, uint32_t **out_mentor, int64_t **out_w, size_t *n_out,
                         mm_proof_round *stats, mm_error *e) {
  memset(stats, 0, sizeof *stats);
  *out_mentee = NULL;
  *out_mentor = NULL;
  *out_w = NULL;
  *n_out = 0;
  if (threads <= 0) threads = omp_get_max_threads();
  if (max_add == 0) max_add = 1;
  round_state r = {0};
  r.remember = pv->rounds > 0;
  r.price = malloc((c->m ? c->m : 1) * sizeof *r.price);
  r.flagged = malloc((c->n ? c->n : 1) * sizeof *r.flagged);
  r.watched = malloc((c->m ? c->m : 1) * sizeof *r.watched);
  r.fallen = malloc((c->m ? c->m : 1) * sizeof *r.fallen);
  r.fallen_price = malloc((c->m ? c->m : 1) * sizeof *r.fallen_price);
  r.fallen_fall = malloc((c->m ? c->m : 1) * sizeof *r.fallen_fall);
  r.mode = malloc(c->n ? c->n : 1);
  if (!r.price || !r.flagged || !r.watched || !r.fallen || !r.fallen_price || !r.fallen_fall || !r.mode ||
      !round_prices(pv, c, cap, v, big, &r, stats))
    goto nomem;
  round_flag_rows(pv, s, c, skip, u, max_add, threads, &r, stats);
  pv->rounds++;
  if (r.n_flagged == 0) {
    memcpy(pv->price_prev, r.price, c->m * sizeof *r.price);
    round_free(&r);
    return MM_OK;
  }
  if (!round_shares(pv, c, max_add, &r)) goto nomem;
  size_t slots = r.at[r.n_flagged] ? r.at[r.n_flagged] : 1;
  uint32_t *om = malloc(slots * sizeof *om), *oj = malloc(slots * sizeof *oj);
  int64_t *ow = malloc(slots * sizeof *ow);
  uint32_t *count = calloc(r.n_flagged, sizeof *count);
  check_tools t = {calloc((size_t)threads, sizeof *t.scratch), calloc((size_t)threads, sizeof *t.in_graph),
                   calloc((size_t)threads, sizeof *t.viol), calloc((size_t)threads, sizeof *t.looked), {0}, NULL};
  bool ok = om && oj && ow && count && t.scratch && t.in_graph && t.viol && t.looked &&
            checked_build(s, c, cap, r.price, &t.cm);
  if (ok && r.any_remembered) ok = (t.fallen_pack = mm_score_cols_create(s, r.fallen, r.n_falls)) != NULL;
  for (int k = 0; ok && k < threads; k++)
    ok = (t.scratch[k] = mm_score_scratch_create(s)) != NULL && (t.in_graph[k] = calloc(c->m ? c->m : 1, 1)) != NULL;
  if (ok) round_check_rows(pv, s, c, u, threads, &r, &t, oj, ow, count);
  memcpy(pv->price_prev, r.price, c->m * sizeof *r.price);
  for (int k = 0; ok && k < threads; k++) {
    stats->violations += t.viol[k];
    stats->pairs_checked += t.looked[k];
  }
  check_tools_free(&t, threads);
  if (ok) *n_out = round_collect(pv, &r, count, om, oj, ow, stats);
  free(count);
  round_free(&r);
  if (!ok) {
    free(om);
    free(oj);
    free(ow);
    goto report_nomem;
  }
  *out_mentee = om;
  *out_mentor = oj;
  *out_w = ow;
  return MM_OK;
nomem:
  round_free(&r);
report_nomem:
  mm_error_set(e, NULL, "out of memory proving optimality");
  return MM_ERR_NOMEM;
}
