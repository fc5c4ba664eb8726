/* solve_auction.c: an auction with epsilon scaling, the flow solver's cold start from mentees.
 *
 * Why: when places outnumber mentees and many pairs tie, the flow solver's
 * shortest-path searches from unmatched mentees each cross the same plateau
 * of full, equally good mentors before they reach a place left free (issue
 * 9: 30,000 searches, 3,000 of them settling 1,000 stars or more).  An
 * auction settles such contention by prices instead: a mentee bids for the
 * mentor that gives it the most (score less price) and raises that mentor's
 * price by how much better it is than its second choice, plus epsilon; the
 * popular mentors' prices rise until the mentees they cannot hold prefer
 * another one.  Epsilon scaling (Bertsekas) makes this fast on ties: a first
 * round with a coarse epsilon sets the prices roughly, each next round starts
 * from them with epsilon four times smaller, and every mentee bids anew.
 *
 * What comes out is only a start: an assignment and mentor prices that are
 * nearly optimal (epsilon-complementary slackness, the scores scaled by
 * AUCTION_SCALE so that the last epsilon is a sixteenth of a unit) but not
 * a proof.  The flow solver then restores it as it restores a warm start
 * (warm_start in solve_flow.c: mentee duals raised to cover every edge,
 * matches kept where they are tight) and its searches repair what is left,
 * so the answer stays exact and proven; they only have little left to do.
 *
 * Mentors with capacity: each place is sold separately; a mentor's price is
 * the price of its cheapest place once all are taken, and the price of an
 * empty place (its floor) until then.  A new bidder at a full mentor takes
 * the place of the member who paid least, who bids again.  A mentor that a
 * round leaves with a place empty starts the next round with floor zero, so
 * few mentors end with room at a positive price (each such one is a root of
 * the repair, and a costly one).
 *
 * Price wars: where a group of mentees wants fewer places than it has
 * people, their bids would climb by epsilon until a place is worth nothing
 * to the one left out (big / epsilon bids).  So the mentees that a maximum
 * assignment leaves out (solve_places.c) do not bid: the others can all be
 * placed at once, and the flow solver's searches decide who of each group
 * waits.  Should that search run out of its budget, everyone bids, and a
 * budget of edges read (AUCTION_BUDGET times the graph) stops a war: the
 * auction gives up and the flow solver starts as it would without one.
 *
 * Deterministic: one thread, mentees queued in the order of mm_row_hash (so
 * no file order favours the first rows among equal people), and the clock
 * read only for a time limit (past it, the places taken so far are handed
 * over and the flow solver stops).
 */
#include "solve_auction.h"

#include "candidates.h"
#include "solve_places.h"

#include <stdlib.h>
#include <string.h>

#define NO_ONE UINT32_MAX
/* Scores are multiplied by this, so the last round's epsilon of 1 is a
 * sixteenth of a score unit: few matches then fail to be exactly tight. */
#define AUCTION_SCALE 16
/* The first epsilon is the scores' range over this (scaled); measured on L
 * high ties x capacity 2 and L capacity x2: much coarser starts leave more
 * mentors with room at a positive price, whose repair costs more than the
 * rounds saved. */
#define AUCTION_FIRST_STEP 1024
#define AUCTION_FACTOR 4
/* Edges read, in multiples of the graph's edges plus mentees, before the
 * auction gives up (measured: 12 to 60 on the shapes of bench/). */
#define AUCTION_BUDGET 96
/* Edges and members read, in multiples of the graph's edges plus mentees,
 * by the search for the mentees to leave out (solve_places.h). */
#define PLACES_BUDGET 8
/* Bids between two readings of the clock when there is a deadline. */
#define AUCTION_CLOCK_BIDS 4096

typedef struct {
  const mm_graph *g;
  int64_t big;          /* each edge is worth (big + w) * AUCTION_SCALE */
  int64_t *price;       /* per mentor: what a bidder pays, CLOSED_PRICE without places */
  int64_t *floor;       /* per mentor: the price of an empty place */
  uint32_t *count;      /* per mentor: members */
  uint32_t *place_off;  /* per mentor: its first place; min(cap, degree) places */
  uint32_t *member;     /* per place; each mentor's a min-heap on paid */
  int64_t *paid;        /* per place */
  uint32_t *mentor_of;  /* per mentee, NO_ONE */
  uint32_t *queue;      /* ring of mentees to bid */
  uint32_t head, n_queued;
  uint64_t reads, budget;
  int64_t deadline; /* mm_solver_clock_ns, 0 = none */
} auction;

static inline uint32_t places_of(const auction *x, uint32_t j) {
  return x->place_off[j + 1] - x->place_off[j];
}

/* The price of a mentor without places: no edge is worth it. */
#define CLOSED_PRICE (INT64_MAX / 2)

/* Sets mentor j's price from its floor or its cheapest place. */
static inline void reprice(auction *x, uint32_t j) {
  uint32_t places = places_of(x, j);
  x->price[j] = places == 0 ? CLOSED_PRICE : x->count[j] < places ? x->floor[j] : x->paid[x->place_off[j]];
}

static void enqueue(auction *x, uint32_t i) {
  uint32_t n = x->g->n_left, at = x->head + x->n_queued;
  x->queue[at >= n ? at - n : at] = i;
  x->n_queued++;
}

static uint32_t dequeue(auction *x) {
  uint32_t i = x->queue[x->head];
  x->head = x->head + 1 == x->g->n_left ? 0 : x->head + 1;
  x->n_queued--;
  return i;
}

/* A mentor's places form a min-heap on the price paid, so the cheapest is
 * found, and given to a new bidder, in log(capacity) steps (a scan was
 * capacity steps a bid: a price war at mentors of capacity 1,000 took
 * seconds).  Moves place k of mentor j's heap (first place s) up. */
static void place_up(auction *x, uint32_t s, uint32_t k) {
  uint32_t who = x->member[s + k];
  int64_t paid = x->paid[s + k];
  while (k > 0 && x->paid[s + (k - 1) / 2] > paid) {
    x->member[s + k] = x->member[s + (k - 1) / 2];
    x->paid[s + k] = x->paid[s + (k - 1) / 2];
    k = (k - 1) / 2;
  }
  x->member[s + k] = who;
  x->paid[s + k] = paid;
}

/* Moves the root of a full heap of n places down. */
static void place_down(auction *x, uint32_t s, uint32_t n) {
  uint32_t who = x->member[s], k = 0;
  int64_t paid = x->paid[s];
  for (;;) {
    uint32_t c = 2 * k + 1;
    if (c >= n) break;
    if (c + 1 < n && x->paid[s + c + 1] < x->paid[s + c]) c++;
    if (x->paid[s + c] >= paid) break;
    x->member[s + k] = x->member[s + c];
    x->paid[s + k] = x->paid[s + c];
    k = c;
  }
  x->member[s + k] = who;
  x->paid[s + k] = paid;
}

/* Mentee i takes a place at mentor j for `price`; a full mentor's member
 * who paid least makes way and is queued to bid again. */
static void take_place(auction *x, uint32_t i, uint32_t j, int64_t price) {
  uint32_t s = x->place_off[j], places = places_of(x, j);
  x->reads += 1 + (uint64_t)(32 - __builtin_clz(places)); /* the heap's steps */
  if (x->count[j] < places) {
    uint32_t k = x->count[j]++;
    x->member[s + k] = i;
    x->paid[s + k] = price;
    place_up(x, s, k);
  } else {
    x->mentor_of[x->member[s]] = NO_ONE;
    enqueue(x, x->member[s]);
    x->member[s] = i;
    x->paid[s] = price;
    place_down(x, s, places);
  }
  x->mentor_of[i] = j;
  reprice(x, j);
}

/* Mentee i bids for the mentor worth most to it at today's prices, or stays
 * out when none is worth more than nothing. */
static void bid(auction *x, uint32_t i, int64_t eps) {
  const mm_graph *g = x->g;
  int64_t best = 0, second = 0;
  uint32_t to = NO_ONE;
  x->reads += g->off[i + 1] - g->off[i];
  for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
    int64_t val = (x->big + g->w[k]) * AUCTION_SCALE - x->price[g->adj[k]];
    if (val > best) {
      second = best;
      best = val;
      to = g->adj[k];
    } else if (val > second) {
      second = val;
    }
  }
  if (to != NO_ONE) take_place(x, i, to, x->price[to] + (best - second) + eps);
}

/* How a round or the rounds ended. */
enum { ROUNDS_OVER_BUDGET, ROUNDS_DONE, ROUNDS_LATE };

/* One round at `eps`: every mentee bids until each has a place or wants
 * none.  Returns ROUNDS_DONE, ROUNDS_OVER_BUDGET or ROUNDS_LATE (past the
 * deadline: the places taken so far stand). */
static int round_at(auction *x, const uint32_t *order, uint32_t n, int64_t eps) {
  uint32_t nr = x->g->n_right;
  memset(x->count, 0, nr * sizeof *x->count);
  for (uint32_t j = 0; j < nr; j++) reprice(x, j);
  x->head = 0;
  x->n_queued = 0;
  for (uint32_t k = 0; k < n; k++) {
    x->mentor_of[order[k]] = NO_ONE;
    enqueue(x, order[k]);
  }
  for (uint32_t bids = 1; x->n_queued > 0; bids++) {
    if (x->reads > x->budget) return ROUNDS_OVER_BUDGET;
    if (x->deadline > 0 && bids % AUCTION_CLOCK_BIDS == 0 && mm_solver_clock_ns() >= x->deadline)
      return ROUNDS_LATE;
    bid(x, dequeue(x), eps);
  }
  return ROUNDS_DONE;
}

/* The mentees that bid, in the order of their row's hash: all but those
 * left_out marks (NULL: none); *n gets how many.  NULL when memory is
 * short. */
static uint32_t *hash_order(uint32_t nl, const uint8_t *left_out, uint32_t *n) {
  uint64_t *key = malloc((nl ? nl : 1) * sizeof *key);
  uint32_t *order = malloc((nl ? nl : 1) * sizeof *order);
  *n = 0;
  if (key && order) {
    for (uint32_t i = 0; i < nl; i++)
      if (!left_out || !left_out[i]) key[(*n)++] = (uint64_t)mm_row_hash(i) << 32 | i;
    qsort(key, *n, sizeof *key, mm_by_hash_key);
    for (uint32_t k = 0; k < *n; k++) order[k] = (uint32_t)key[k];
  } else {
    free(order);
    order = NULL;
  }
  free(key);
  return order;
}

/* Lays out every mentor's places: min(capacity, degree) of them. */
static void lay_out_places(auction *x) {
  const mm_graph *g = x->g;
  for (uint64_t k = 0; k < g->off[g->n_left]; k++) x->place_off[g->adj[k] + 1]++;
  for (uint32_t j = 0; j < g->n_right; j++) {
    uint32_t deg = x->place_off[j + 1];
    uint32_t cap = g->cap[j] > 0 ? (uint32_t)g->cap[j] : 0;
    x->place_off[j + 1] = x->place_off[j] + (deg < cap ? deg : cap);
  }
}

/* The rounds, coarse to fine, until one does not end as ROUNDS_DONE. */
static int run_rounds(auction *x, const uint32_t *order, uint32_t n, int64_t eps) {
  uint32_t nr = x->g->n_right;
  for (;;) {
    int end = round_at(x, order, n, eps);
    if (end != ROUNDS_DONE || eps == 1) return end;
    for (uint32_t j = 0; j < nr; j++) x->floor[j] = x->count[j] < places_of(x, j) ? 0 : x->price[j];
    eps = eps / AUCTION_FACTOR > 1 ? eps / AUCTION_FACTOR : 1;
  }
}

/* The start handed to the flow solver, in score units: each mentor's price,
 * each mentee's mentor and the score it keeps (its edge less that price). */
static void hand_over(const auction *x, int64_t big, int64_t *mentor_of, int64_t *u, int64_t *v) {
  const mm_graph *g = x->g;
  for (uint32_t j = 0; j < g->n_right; j++)
    v[j] = places_of(x, j) == 0 ? 0 : (x->price[j] + AUCTION_SCALE / 2) / AUCTION_SCALE;
  for (uint32_t i = 0; i < g->n_left; i++) {
    uint32_t j = x->mentor_of[i];
    mentor_of[i] = j == NO_ONE ? -1 : (int64_t)j;
    u[i] = 0;
    for (uint64_t k = g->off[i]; j != NO_ONE && k < g->off[i + 1]; k++)
      if (g->adj[k] == j) u[i] = big + g->w[k] - v[j] > 0 ? big + g->w[k] - v[j] : 0;
  }
}

/* The bidders: every mentee but those a maximum assignment leaves out
 * (solve_places.h), whose groups would start price wars; all of them when
 * that search ran out of its budget (the auction's own budget then bounds a
 * war).  NULL when memory is short. */
static uint32_t *bidders(const auction *x, uint32_t *n) {
  const mm_graph *g = x->g;
  uint8_t *left_out = malloc(g->n_left);
  if (!left_out) return NULL;
  uint64_t budget = (uint64_t)PLACES_BUDGET * (g->off[g->n_left] + g->n_left);
  int64_t out = mm_places_left_out(g, x->place_off, budget, left_out);
  uint32_t *order = hash_order(g->n_left, out > 0 ? left_out : NULL, n);
  free(left_out);
  return order;
}

int mm_auction_start(const mm_graph *g, int64_t big, int64_t deadline_ns, int64_t *mentor_of, int64_t *u,
                     int64_t *v) {
  uint32_t nl = g->n_left, nr = g->n_right, n_bid = 0;
  uint64_t m = g->off[nl];
  if (nl == 0 || big <= 0 || big > MM_AUCTION_MAX_BIG) return 0;
  int64_t lo = 0, hi = 0;
  for (uint64_t k = 0; k < m; k++) {
    if (k == 0 || g->w[k] < lo) lo = g->w[k];
    if (k == 0 || g->w[k] > hi) hi = g->w[k];
  }
  auction x = {.g = g, .big = big, .budget = (uint64_t)AUCTION_BUDGET * (m + nl), .deadline = deadline_ns};
  x.price = malloc((nr ? nr : 1) * sizeof *x.price);
  x.floor = calloc(nr ? nr : 1, sizeof *x.floor);
  x.count = calloc(nr ? nr : 1, sizeof *x.count);
  x.place_off = calloc((size_t)nr + 1, sizeof *x.place_off);
  x.mentor_of = malloc(nl * sizeof *x.mentor_of);
  x.queue = malloc(nl * sizeof *x.queue);
  uint32_t *order = NULL;
  int ok = x.price && x.floor && x.count && x.place_off && x.mentor_of && x.queue;
  if (ok) {
    lay_out_places(&x);
    x.member = malloc((x.place_off[nr] ? x.place_off[nr] : 1) * sizeof *x.member);
    x.paid = malloc((x.place_off[nr] ? x.place_off[nr] : 1) * sizeof *x.paid);
    order = bidders(&x, &n_bid);
    ok = x.member && x.paid && order;
  }
  if (ok) {
    for (uint32_t i = 0; i < nl; i++) x.mentor_of[i] = NO_ONE;
    int64_t eps = (hi - lo + 1) * AUCTION_SCALE / AUCTION_FIRST_STEP;
    /* Past the deadline the places taken so far are handed over all the
     * same: the flow solver stops at once and writes them (a time limit
     * shorter than the auction otherwise left only the greedy start). */
    int end = run_rounds(&x, order, n_bid, eps > 1 ? eps : 1);
    ok = end == ROUNDS_DONE ? MM_AUCTION_DONE : end == ROUNDS_LATE ? MM_AUCTION_LATE : 0;
  }
  if (ok) hand_over(&x, big, mentor_of, u, v);
  free(x.price);
  free(x.floor);
  free(x.count);
  free(x.place_off);
  free(x.member);
  free(x.paid);
  free(x.mentor_of);
  free(x.queue);
  free(order);
  return ok;
}
