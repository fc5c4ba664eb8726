/* solve_flow.c: the exact assignment solver of our own (primal-dual shortest paths).
 *
 * GLPK proves the same optimum but is far too slow for candidate graphs of a
 * million edges, so this is the solver mm_match uses by default.  It solves
 * max-weight b-matching with edge weights big + w by the Hungarian method in
 * its shortest-path form: integer LP duals u (mentees) and v (mentors) stay
 * feasible throughout, matched edges stay tight, and one Dijkstra search on
 * reduced costs u + v - (big + w) either augments the matching or lowers a
 * dual to zero.  When no search is left to run the duals satisfy
 * complementary slackness, so they are exactly the certificate of solver.h
 * (checked by verify.c).
 *
 * Searches grow from the scarce side: from mentors with free places when there
 * are no more places than mentees (a search then ends at the first free
 * mentee it meets, which is near), from unmatched mentees otherwise.  A mentor with
 * its matched mentees is one "star": a search enters a star as one node, so
 * the heap holds mentors only and a star's members share its distance, which
 * keeps both ends of every matched edge tight.  Edge lists are sorted by score,
 * best first, so a scan stops at the first edge that can no longer beat the
 * best way out found so far.  What remains is bound by memory latency, hence
 * one 16-byte record per person for everything a scan reads.  The slow case
 * is the nearly balanced one (places about equal to mentees): its last
 * searches must cross much of the graph to reach the few free places left.
 * Where places outnumber mentees and pairs tie, searches from mentees cross
 * plateaus of full, equally good mentors; a cold solve there starts from an
 * auction instead (solve_auction.c), whose answer the searches repair.
 */
#include "solver.h"

#include "candidates.h"
#include "solve_auction.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
/* Keeps every dual, reduced cost and path length below 2^61 (see check_graph). */
#define FLOW_MAX_BIG (INT64_C(1) << 58)
/* Work (searches plus stars they settle) between two readings of the clock:
 * about a millisecond, so a time limit is kept closely at negligible cost. */
#define FLOW_CLOCK_WORK 4096
/* Stars a single search settles before phases are tried (see mentor_phases). */
#define PHASE_TRIGGER 256
/* The mark of a mentor without capacity: never part of any search. */
#define CLOSED UINT32_MAX

typedef struct {
  int64_t u;
  uint32_t edge;   /* matched edge or NONE */
  uint32_t mentor; /* its mentor or NONE */
} mentee_state;

typedef struct {
  int64_t v;
  int32_t room; /* capacity minus matched mentees */
  uint32_t mark; /* the search that settled it, or CLOSED */
} mentor_state;

/* Per mentor, valid in the search numbered `seen` only. */
typedef struct {
  int64_t dist;
  uint32_t pred_edge;   /* edge a predecessor mentee takes to enter this star */
  uint32_t pred_mentee;
  uint32_t hpos;        /* place in the heap, NONE once popped */
  uint32_t seen;
} mentor_search;

/* An edge as a search reads it: the score, the person at the other end and
 * the edge's index in the caller's graph. */
typedef struct {
  int64_t w;
  uint32_t other;
  uint32_t edge;
} arc;

typedef struct {
  int64_t key;
  uint32_t mentor;
} heap_item;

/* How a search ends: at distance d, through edge `edge` taken by `mentee`, or
 * by a dual reaching zero (edge NONE; the mentee or mentor named). */
typedef struct {
  int64_t d;
  uint32_t edge;
  uint32_t mentee;
  uint32_t mentor;
} search_end;

typedef struct {
  uint32_t mentee;
  uint32_t edge; /* its new edge, NONE: it leaves its mentor */
} path_step;

typedef struct {
  const mm_graph *g;
  int64_t big;
  mentee_state *mentee;
  mentor_state *mentor;
  uint32_t *pos;      /* per mentee: index among its mentor's members */
  uint32_t *star_off; /* per mentor: first of its members; room for min(cap, degree) */
  uint64_t closed_edges; /* edges to mentors without capacity (write_answer prices them) */
  uint32_t *members;
  /* Every edge by its id: the graph's index when the flow was built; a
   * resumed flow keeps its ids and numbers the edges added after them (see
   * "keeping the solver"), so its lists are never renumbered.  Arcs, matched
   * edges and paths hold ids; write_answer maps them back to the graph. */
  uint32_t *edge_mentor; /* per edge id: its mentor */
  /* The graph again, each list sorted by score, best first, so a scan stops
   * at the first edge that cannot beat the best way out found so far: by
   * mentee (rows, the caller's offsets) when searches grow from mentees, by
   * mentor (cols, col_off) when they grow from mentors. */
  arc *rows;
  arc *cols;
  uint32_t *col_off;
  mentor_search *search;
  uint32_t stamp; /* number of the current search */
  heap_item *heap;
  uint32_t heap_n;
  uint32_t *settled;
  uint32_t n_settled;
  path_step *path;
  uint32_t *stack; /* tight augmentations: people to scan */
  uint32_t *roots; /* a phase's roots */
  uint32_t phase_trigger;
  int threads;     /* for building the lists */
  uint64_t phases; /* run so far */
  uint64_t scanned; /* edge lists read, by length: what phases are weighed in */
  uint64_t last_search; /* scanned by the last single search */
} flow;

/* ---- heap of mentors keyed by (distance, index) ------------------------- */

static inline int item_less(heap_item a, heap_item b) {
  return a.key < b.key || (a.key == b.key && a.mentor < b.mentor);
}

static void heap_up(flow *f, uint32_t p, heap_item x) {
  while (p > 0) {
    uint32_t parent = (p - 1) / 4;
    if (!item_less(x, f->heap[parent])) break;
    f->heap[p] = f->heap[parent];
    f->search[f->heap[p].mentor].hpos = p;
    p = parent;
  }
  f->heap[p] = x;
  f->search[x.mentor].hpos = p;
}

static uint32_t heap_pop(flow *f) {
  uint32_t top = f->heap[0].mentor;
  heap_item x = f->heap[--f->heap_n];
  uint32_t n = f->heap_n, p = 0;
  for (;;) {
    uint32_t c = 4 * p + 1;
    if (c >= n) break;
    uint32_t best = c, end = c + 4 < n ? c + 4 : n;
    for (uint32_t k = c + 1; k < end; k++) {
      if (item_less(f->heap[k], f->heap[best])) best = k;
    }
    if (!item_less(f->heap[best], x)) break;
    f->heap[p] = f->heap[best];
    f->search[f->heap[p].mentor].hpos = p;
    p = best;
  }
  if (n > 0) {
    f->heap[p] = x;
    f->search[x.mentor].hpos = p;
  }
  f->search[top].hpos = NONE;
  return top;
}

/* Offers star j the distance d, reached by `mentee` taking `edge`. */
static inline void relax(flow *f, uint32_t j, int64_t d, uint32_t edge, uint32_t mentee) {
  mentor_search *s = &f->search[j];
  if (s->seen != f->stamp) {
    s->seen = f->stamp;
    s->dist = d;
    s->pred_edge = edge;
    s->pred_mentee = mentee;
    heap_item x = {d, j};
    heap_up(f, f->heap_n++, x);
  } else if (d < s->dist) {
    s->dist = d;
    s->pred_edge = edge;
    s->pred_mentee = mentee;
    heap_item x = {d, j};
    heap_up(f, s->hpos, x);
  }
}

static inline void end_offer(search_end *b, int64_t d, uint32_t edge, uint32_t mentee,
                             uint32_t mentor) {
  if (d < b->d) {
    b->d = d;
    b->edge = edge;
    b->mentee = mentee;
    b->mentor = mentor;
  }
}

static void settle(flow *f, uint32_t j) {
  f->mentor[j].mark = f->stamp;
  f->settled[f->n_settled++] = j;
}

/* Starts a new search: stamps make the previous one's marks stale. */
static void begin_search(flow *f) {
  f->n_settled = 0;
  f->heap_n = 0;
  if (f->stamp == CLOSED - 1) {
    for (uint32_t j = 0; j < f->g->n_right; j++) {
      if (f->mentor[j].mark != CLOSED) f->mentor[j].mark = 0;
      f->search[j].seen = 0;
    }
    f->stamp = 0;
  }
  f->stamp++;
}

/* ---- stars -------------------------------------------------------------- */

static inline uint32_t load_of(const flow *f, uint32_t j) {
  return (uint32_t)(f->g->cap[j] - f->mentor[j].room);
}

static void star_remove(flow *f, uint32_t i) {
  mentee_state *me = &f->mentee[i];
  uint32_t j = me->mentor;
  uint32_t *m = f->members + f->star_off[j];
  uint32_t last = m[load_of(f, j) - 1];
  m[f->pos[i]] = last;
  f->pos[last] = f->pos[i];
  f->mentor[j].room++;
  me->edge = NONE;
  me->mentor = NONE;
}

static void star_add(flow *f, uint32_t i, uint32_t edge) {
  uint32_t j = f->edge_mentor[edge];
  uint32_t load = load_of(f, j);
  f->members[f->star_off[j] + load] = i;
  f->pos[i] = load;
  f->mentor[j].room--;
  f->mentee[i].edge = edge;
  f->mentee[i].mentor = j;
}

/* Moves every mentee on the path at once, so no star ever overflows. */
static void apply_path(flow *f, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) {
    if (f->mentee[f->path[k].mentee].edge != NONE) star_remove(f, f->path[k].mentee);
  }
  for (uint32_t k = 0; k < n; k++) {
    if (f->path[k].edge != NONE) star_add(f, f->path[k].mentee, f->path[k].edge);
  }
}

/* ---- searching from an unmatched mentee ---------------------------------- */

static void scan_mentee(flow *f, uint32_t i, int64_t di, search_end *b) {
  const arc *row = f->rows;
  uint64_t end = f->g->off[i + 1];
  uint32_t own = f->mentee[i].edge;
  int64_t base = di + f->mentee[i].u - f->big;
  f->scanned += end - f->g->off[i];
  for (uint64_t k = f->g->off[i]; k < end; k++) {
    /* v >= 0, and later edges score no more: none of them can do better. */
    if (base - row[k].w >= b->d) break;
    const mentor_state *ms = &f->mentor[row[k].other];
    if (ms->mark == f->stamp || ms->mark == CLOSED || row[k].edge == own) continue;
    int64_t d = base + ms->v - row[k].w;
    if (ms->room > 0) {
      end_offer(b, d, row[k].edge, i, NONE);
    } else if (d < b->d) {
      /* Keys at or past the best way out are never popped: not worth a push. */
      relax(f, row[k].other, d, row[k].edge, i);
    }
  }
}

/* Star j's members (*m) and their number, with their states and row heads
 * asked for before the scan: each is a cache miss in a large graph, and
 * asked for together they overlap instead of following one another (the
 * search itself is unchanged).  It hands the star back: GCC dropped the
 * calls of a void function that only prefetched (no prefetch left in the
 * binary). */
static uint32_t open_star(const flow *f, uint32_t j, const uint32_t **m) {
  const uint32_t *mm = f->members + f->star_off[j];
  uint32_t load = load_of(f, j);
  for (uint32_t k = 0; k < load; k++) {
    __builtin_prefetch(&f->mentee[mm[k]]);
    __builtin_prefetch(&f->g->off[mm[k]]);
  }
  for (uint32_t k = 0; k < load; k++) __builtin_prefetch(&f->rows[f->g->off[mm[k]]]);
  *m = mm;
  return load;
}

/* Grows a search from mentees until the heap holds nothing nearer than the
 * best way out: a mentor with room, or a mentee's dual reaching zero. */
static void grow_from_mentees(flow *f, search_end *b) {
  while (f->heap_n > 0 && f->heap[0].key < b->d) {
    uint32_t j = heap_pop(f);
    settle(f, j);
    int64_t dj = f->search[j].dist;
    const uint32_t *m;
    uint32_t load = open_star(f, j, &m);
    if (f->heap_n > 0 && f->heap[0].key < b->d) {
      /* The star popped next unless this one offers a nearer: its
       * members' states asked for now, arriving while this one is scanned. */
      const uint32_t *nm = f->members + f->star_off[f->heap[0].mentor];
      uint32_t nload = load_of(f, f->heap[0].mentor);
      for (uint32_t k = 0; k < nload; k++) {
        __builtin_prefetch(&f->mentee[nm[k]]);
        __builtin_prefetch(&f->g->off[nm[k]]);
      }
    }
    for (uint32_t k = 0; k < load; k++) {
      /* The next member's first mentor, read as its scan begins. */
      if (k + 1 < load) __builtin_prefetch(&f->mentor[f->rows[f->g->off[m[k + 1]]].other]);
      end_offer(b, dj + f->mentee[m[k]].u, NONE, m[k], NONE);
      scan_mentee(f, m[k], dj, b);
    }
  }
}

/* Moves the settled stars' duals after a search from mentees ended at d, so
 * that every shortest path to the way out is tight.  The roots themselves
 * (all at distance 0) are the caller's. */
static void settle_duals_from_mentees(flow *f, int64_t d) {
  for (uint32_t s = 0; s < f->n_settled; s++) {
    uint32_t j = f->settled[s];
    int64_t delta = d - f->search[j].dist;
    f->mentor[j].v += delta;
    const uint32_t *m = f->members + f->star_off[j];
    uint32_t load = load_of(f, j);
    for (uint32_t k = 0; k < load; k++) f->mentee[m[k]].u -= delta;
  }
}

/* Flips the path that ends with mentee i taking `edge` (NONE: i leaves its
 * mentor) back through the stars' predecessors to an unmatched mentee. */
static void flip_to_mentee(flow *f, uint32_t i, uint32_t edge) {
  uint32_t n = 0;
  for (;;) {
    f->path[n].mentee = i;
    f->path[n++].edge = edge;
    uint32_t j = f->mentee[i].mentor;
    if (j == NONE) break;
    edge = f->search[j].pred_edge;
    i = f->search[j].pred_mentee;
  }
  apply_path(f, n);
}

/* One search from unmatched mentee r with u > 0.  It ends at the nearest way
 * out: a mentor with room (one more match), or some mentee's dual reaching
 * zero (r stays unmatched, or a matched mentee gives its place up).  The duals
 * then move so that the path to it is tight, and the path is flipped. */
static void search_from_mentee(flow *f, uint32_t r) {
  begin_search(f);
  search_end b = {f->mentee[r].u, NONE, r, NONE};
  scan_mentee(f, r, 0, &b);
  grow_from_mentees(f, &b);
  f->mentee[r].u -= b.d;
  settle_duals_from_mentees(f, b.d);
  flip_to_mentee(f, b.mentee, b.edge);
}

/* ---- searching from a mentor with room ---------------------------------- */

static void scan_mentor(flow *f, uint32_t j, int64_t dj, search_end *b) {
  const arc *col = f->cols;
  uint32_t end = f->col_off[j + 1];
  int64_t base = dj + f->mentor[j].v - f->big;
  f->scanned += end - f->col_off[j];
  for (uint32_t k = f->col_off[j]; k < end; k++) {
    /* u >= 0, and later edges score no more: none of them can do better. */
    if (base - col[k].w >= b->d) break;
    const mentee_state *me = &f->mentee[col[k].other];
    uint32_t owner = me->mentor;
    if (owner == j) continue;
    int64_t d = base + me->u - col[k].w;
    if (owner == NONE) {
      end_offer(b, d, col[k].edge, col[k].other, NONE);
    } else if (d < b->d && f->mentor[owner].mark != f->stamp) {
      relax(f, owner, d, col[k].edge, col[k].other);
    }
  }
}

/* Grows a search from mentors until the heap holds nothing nearer than the
 * best way out: a free mentee, or a mentor's dual reaching zero. */
static void grow_from_mentors(flow *f, search_end *b) {
  while (f->heap_n > 0 && f->heap[0].key < b->d) {
    uint32_t j = heap_pop(f);
    settle(f, j);
    end_offer(b, f->search[j].dist + f->mentor[j].v, NONE, NONE, j);
    scan_mentor(f, j, f->search[j].dist, b);
  }
}

/* Moves the settled stars' duals (roots included, at distance 0) after a
 * search from mentors ended at d. */
static void settle_duals_from_mentors(flow *f, int64_t d) {
  for (uint32_t s = 0; s < f->n_settled; s++) {
    uint32_t j = f->settled[s];
    int64_t delta = d - f->search[j].dist;
    f->mentor[j].v -= delta;
    const uint32_t *m = f->members + f->star_off[j];
    uint32_t load = load_of(f, j);
    for (uint32_t k = 0; k < load; k++) f->mentee[m[k]].u += delta;
  }
}

/* Flips the path from root mentor r to the way out b: a free mentee taking
 * b.edge, or mentor b.mentor handing a mentee on towards r. */
static void flip_to_mentor(flow *f, uint32_t r, search_end b) {
  uint32_t n = 0, i = b.mentee, edge = b.edge;
  if (edge == NONE && b.mentor != r) {
    i = f->search[b.mentor].pred_mentee;
    edge = f->search[b.mentor].pred_edge;
  }
  while (edge != NONE) {
    f->path[n].mentee = i;
    f->path[n++].edge = edge;
    uint32_t j = f->edge_mentor[edge];
    if (j == r) break;
    i = f->search[j].pred_mentee;
    edge = f->search[j].pred_edge;
  }
  apply_path(f, n);
}

static void seed_mentor(flow *f, uint32_t r) {
  f->search[r].seen = f->stamp;
  f->search[r].dist = 0;
  settle(f, r);
}

/* One search from mentor r with a free place and v > 0.  It ends at the
 * nearest way out: a free mentee (one more match), or some mentor's dual
 * reaching zero (r's places stay empty, or a mentor hands a mentee on towards
 * r).  The duals then move so that the path to it is tight, and the path is
 * flipped. */
static void search_from_mentor(flow *f, uint32_t r) {
  begin_search(f);
  search_end b = {f->mentor[r].v, NONE, NONE, r};
  seed_mentor(f, r);
  scan_mentor(f, r, 0, &b);
  grow_from_mentors(f, &b);
  settle_duals_from_mentors(f, b.d);
  flip_to_mentor(f, r, b);
}

/* ---- many roots at once, on plateaus --------------------------------------
 *
 * When many pairs tie, a search settles a whole plateau of stars at the same
 * distance before it reaches a way out, and the next root's search crosses
 * the same plateau again.  A phase instead grows one search from every
 * remaining root at once (one super source), moves the duals as each single
 * search would, and then augments along tight paths (zero reduced cost) from
 * every root, each star used by at most one path per phase.  Duals stay
 * feasible and matches tight exactly as in single searches, so the optimum
 * and its proof are unchanged; only the work is shared. */

/* Augments from unmatched mentee r along tight edges, if a tight way out is
 * reachable through stars not yet used in this phase.  Returns 1 if so. */
static int tight_from_mentee(flow *f, uint32_t r) {
  uint32_t top = 0;
  f->stack[top++] = r;
  while (top > 0) {
    uint32_t x = f->stack[--top];
    uint64_t end = f->g->off[x + 1];
    uint32_t own = f->mentee[x].edge;
    int64_t base = f->mentee[x].u - f->big;
    f->scanned += end - f->g->off[x];
    for (uint64_t k = f->g->off[x]; k < end; k++) {
      const arc *a = &f->rows[k];
      if (base - a->w > 0) break; /* v >= 0: no later edge is tight */
      mentor_state *ms = &f->mentor[a->other];
      if (ms->mark == f->stamp || ms->mark == CLOSED || a->edge == own || base + ms->v != a->w) continue;
      if (ms->room > 0) {
        flip_to_mentee(f, x, a->edge);
        return 1;
      }
      ms->mark = f->stamp;
      f->search[a->other].pred_edge = a->edge;
      f->search[a->other].pred_mentee = x;
      const uint32_t *m = f->members + f->star_off[a->other];
      uint32_t load = load_of(f, a->other);
      for (uint32_t t = 0; t < load; t++) {
        if (f->mentee[m[t]].u == 0) {
          flip_to_mentee(f, m[t], NONE);
          return 1;
        }
        f->stack[top++] = m[t];
      }
    }
  }
  return 0;
}

/* Augments from mentor root r along tight edges, as above.  Returns 1 if so. */
static int tight_from_mentor(flow *f, uint32_t r) {
  uint32_t top = 0;
  f->mentor[r].mark = f->stamp;
  f->stack[top++] = r;
  while (top > 0) {
    uint32_t j = f->stack[--top];
    uint32_t end = f->col_off[j + 1];
    int64_t base = f->mentor[j].v - f->big;
    f->scanned += end - f->col_off[j];
    for (uint32_t k = f->col_off[j]; k < end; k++) {
      const arc *a = &f->cols[k];
      if (base - a->w > 0) break; /* u >= 0: no later edge is tight */
      const mentee_state *me = &f->mentee[a->other];
      uint32_t owner = me->mentor;
      if (owner == j || base + me->u != a->w) continue;
      if (owner == NONE) {
        flip_to_mentor(f, r, (search_end){0, a->edge, a->other, NONE});
        return 1;
      }
      if (f->mentor[owner].mark == f->stamp) continue;
      f->mentor[owner].mark = f->stamp;
      f->search[owner].pred_edge = a->edge;
      f->search[owner].pred_mentee = a->other;
      if (f->mentor[owner].v == 0) {
        flip_to_mentor(f, r, (search_end){0, NONE, NONE, owner});
        return 1;
      }
      f->stack[top++] = owner;
    }
  }
  return 0;
}

/* One phase from the mentee roots listed; drops from the list those that
 * need no more searching.  Returns the work done (stars settled and roots). */
static uint64_t phase_from_mentees(flow *f, uint32_t *roots, uint32_t *n_roots) {
  uint64_t scanned0 = f->scanned;
  begin_search(f);
  search_end b = {INT64_MAX, NONE, NONE, NONE};
  for (uint32_t k = 0; k < *n_roots; k++) {
    uint32_t r = roots[k];
    end_offer(&b, f->mentee[r].u, NONE, r, NONE);
    scan_mentee(f, r, 0, &b);
  }
  grow_from_mentees(f, &b);
  for (uint32_t k = 0; k < *n_roots; k++) f->mentee[roots[k]].u -= b.d;
  settle_duals_from_mentees(f, b.d);
  begin_search(f);
  uint32_t left = 0;
  for (uint32_t k = 0; k < *n_roots; k++) {
    uint32_t r = roots[k];
    if (f->mentee[r].u > 0 && !tight_from_mentee(f, r) && f->mentee[r].u > 0) roots[left++] = r;
  }
  *n_roots = left;
  return f->scanned - scanned0;
}

/* One phase from the mentor roots listed, as above. */
static uint64_t phase_from_mentors(flow *f, uint32_t *roots, uint32_t *n_roots) {
  uint64_t scanned0 = f->scanned;
  begin_search(f);
  search_end b = {INT64_MAX, NONE, NONE, NONE};
  for (uint32_t k = 0; k < *n_roots; k++) {
    seed_mentor(f, roots[k]);
    end_offer(&b, f->mentor[roots[k]].v, NONE, NONE, roots[k]);
  }
  for (uint32_t k = 0; k < *n_roots; k++) scan_mentor(f, roots[k], 0, &b);
  grow_from_mentors(f, &b);
  settle_duals_from_mentors(f, b.d);
  begin_search(f);
  uint32_t left = 0;
  for (uint32_t k = 0; k < *n_roots; k++) {
    uint32_t r = roots[k];
    if (f->mentor[r].room > 0 && f->mentor[r].v > 0 && f->mentor[r].mark != f->stamp) tight_from_mentor(f, r);
    if (f->mentor[r].room > 0 && f->mentor[r].v > 0) roots[left++] = r;
  }
  *n_roots = left;
  return f->scanned - scanned0;
}

/* ---- setup -------------------------------------------------------------- */

static mm_status check_graph(const mm_graph *g, const mm_assignment *a, mm_error *e) {
  mm_status st = mm_graph_check(g, a, FLOW_MAX_BIG, e);
  if (st == MM_OK && g->off[g->n_left] >= NONE) {
    mm_error_set(e, "solver", "%llu edges: the flow solver takes fewer than 2^32",
                 (unsigned long long)g->off[g->n_left]);
    st = MM_ERR_LIMIT;
  }
  return st;
}

static void flow_free(flow *f) {
  free(f->mentee);
  free(f->mentor);
  free(f->pos);
  free(f->star_off);
  free(f->members);
  free(f->edge_mentor);
  free(f->rows);
  free(f->cols);
  free(f->col_off);
  free(f->search);
  free(f->heap);
  free(f->settled);
  free(f->path);
  free(f->stack);
  free(f->roots);
}

static void *alloc_array(size_t n, size_t size, int *failed) {
  void *p = calloc(n ? n : 1, size);
  if (!p) *failed = 1;
  return p;
}

/* Whether arc x comes before arc y in a list: by score, best first, then by
 * the other end's index.  The other ends of one list differ, so this is a
 * total order and a sorted list depends on the graph alone, as does every
 * tie the solver breaks. */
static inline int arc_before(arc x, arc y) {
  return x.w > y.w || (x.w == y.w && x.other < y.other);
}

/* Runs this long are sorted by insertion before sort_arcs merges them. */
#define SORT_RUN 16

static void insertion_sort_arcs(arc *a, uint32_t n) {
  for (uint32_t k = 1; k < n; k++) {
    arc x = a[k];
    uint32_t p = k;
    for (; p > 0 && arc_before(x, a[p - 1]); p--) a[p] = a[p - 1];
    a[p] = x;
  }
}

/* Sorts a[0..n) by arc_before: runs of SORT_RUN by insertion, then merged
 * bottom up through tmp (room for n arcs).  Lists are short (tens of arcs
 * for a mentee, hundreds for a mentor), so sorting each in place stays in
 * cache, where one sort of every edge by score did not. */
static void sort_arcs(arc *a, uint32_t n, arc *tmp) {
  for (uint32_t b = 0; b < n; b += SORT_RUN) insertion_sort_arcs(a + b, n - b < SORT_RUN ? n - b : SORT_RUN);
  arc *from = a, *to = tmp;
  for (uint32_t width = SORT_RUN; width < n; width *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * width) {
      uint32_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      uint32_t x = lo, y = mid, w = lo;
      while (x < mid && y < hi) to[w++] = arc_before(from[y], from[x]) ? from[y++] : from[x++];
      while (x < mid) to[w++] = from[x++];
      while (y < hi) to[w++] = from[y++];
    }
    arc *swap = from;
    from = to;
    to = swap;
  }
  if (from != a) memcpy(a, from, (size_t)n * sizeof *a);
}

/* Fills cols with the arcs of mentors [lo, hi), each list in mentee order
 * (cursor: where each list's next arc goes), and sorts those lists.  Every
 * thread reads all rows and writes only its own mentors' lists. */
static void fill_cols(flow *f, uint32_t lo, uint32_t hi, uint32_t *cursor, arc *tmp) {
  const mm_graph *g = f->g;
  for (uint32_t i = 0; i < g->n_left; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      uint32_t j = g->adj[k];
      if (j >= lo && j < hi) f->cols[cursor[j]++] = (arc){g->w[k], i, (uint32_t)k};
    }
  }
  for (uint32_t j = lo; j < hi; j++) sort_arcs(f->cols + f->col_off[j], f->col_off[j + 1] - f->col_off[j], tmp);
}

/* The lists' offsets by mentor (col_off) and the longest list of either
 * side. */
static uint32_t count_lists(flow *f, int want_cols) {
  const mm_graph *g = f->g;
  uint32_t longest = 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    uint32_t len = (uint32_t)(g->off[i + 1] - g->off[i]);
    if (len > longest) longest = len;
  }
  if (!want_cols) return longest;
  for (uint64_t k = 0; k < g->off[g->n_left]; k++) f->col_off[g->adj[k] + 1]++;
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (f->col_off[j + 1] > longest) longest = f->col_off[j + 1];
    f->col_off[j + 1] += f->col_off[j];
  }
  return longest;
}

/* Builds the score-sorted lists of the sides asked for that are not built
 * yet: by mentee (rows) and by mentor (cols, col_off), each list filled in
 * edge order (the other end ascending) and then sorted, on f->threads
 * threads (each list is sorted whole by one thread, so the lists do not
 * depend on how many).  Returns 0 when memory is short. */
static int build_lists(flow *f, int want_rows, int want_cols) {
  const mm_graph *g = f->g;
  uint32_t nl = g->n_left, nr = g->n_right;
  uint32_t m = (uint32_t)g->off[nl];
  int failed = 0, threads = f->threads;
  want_rows = want_rows && !f->rows;
  want_cols = want_cols && !f->cols;
  if (!want_rows && !want_cols) return 1;
  if (want_cols) {
    f->col_off = alloc_array((size_t)nr + 1, sizeof *f->col_off, &failed);
    f->cols = alloc_array(m, sizeof *f->cols, &failed);
  }
  if (want_rows) f->rows = alloc_array(m, sizeof *f->rows, &failed);
  uint32_t *cursor = want_cols ? alloc_array((size_t)nr + 1, sizeof *cursor, &failed) : NULL;
  uint32_t longest = failed ? 0 : count_lists(f, want_cols);
  arc *tmp = alloc_array((size_t)threads * longest, sizeof *tmp, &failed);
  if (!failed) {
    if (want_cols) memcpy(cursor, f->col_off, (size_t)nr * sizeof *cursor);
#pragma omp parallel num_threads(threads)
    {
      int t = omp_get_thread_num(), n_t = omp_get_num_threads();
      arc *mine = tmp + (size_t)t * longest;
      if (want_cols) fill_cols(f, (uint32_t)((uint64_t)nr * t / n_t), (uint32_t)((uint64_t)nr * (t + 1) / n_t), cursor, mine);
      if (want_rows) {
#pragma omp for schedule(dynamic, 256)
        for (uint32_t i = 0; i < nl; i++) {
          uint64_t k0 = g->off[i], k1 = g->off[i + 1];
          for (uint64_t k = k0; k < k1; k++) f->rows[k] = (arc){g->w[k], g->adj[k], (uint32_t)k};
          sort_arcs(f->rows + k0, (uint32_t)(k1 - k0), mine);
        }
      }
    }
  }
  free(tmp);
  free(cursor);
  return !failed;
}

/* Lays the stars out: each mentor gets room for min(capacity, degree)
 * members, all empty.  Returns 0 when memory is short. */
static int lay_out_stars(flow *f) {
  const mm_graph *g = f->g;
  uint32_t nr = g->n_right;
  uint64_t m = g->off[g->n_left];
  int failed = 0;
  memset(f->star_off, 0, ((size_t)nr + 1) * sizeof *f->star_off);
  /* star_off holds the degrees until the stars are laid out. */
  for (uint64_t k = 0; k < m; k++) f->star_off[g->adj[k]]++;
  uint32_t room = 0;
  f->closed_edges = 0;
  for (uint32_t j = 0; j < nr; j++) {
    uint32_t deg = f->star_off[j];
    if (g->cap[j] == 0) f->closed_edges += deg;
    f->star_off[j] = room;
    room += deg < (uint32_t)g->cap[j] ? deg : (uint32_t)g->cap[j];
    f->mentor[j].room = g->cap[j];
  }
  f->star_off[nr] = room;
  free(f->members);
  f->members = alloc_array(room, sizeof *f->members, &failed);
  return !failed;
}

/* Allocates everything, counts degrees (they size the stars), decides which
 * side the searches grow from and builds the score-sorted lists of that side
 * (of both sides for a warm start, whose repair searches from both, and
 * when `both`: a state kept for later rounds then needs no second sort).
 * Returns 0 when memory is short. */
static int flow_alloc(flow *f, int warm, int both, int *from_mentors) {
  const mm_graph *g = f->g;
  uint32_t nl = g->n_left, nr = g->n_right;
  int failed = 0;
  f->mentee = alloc_array(nl, sizeof *f->mentee, &failed);
  f->mentor = alloc_array(nr, sizeof *f->mentor, &failed);
  f->pos = alloc_array(nl, sizeof *f->pos, &failed);
  f->star_off = alloc_array((size_t)nr + 1, sizeof *f->star_off, &failed);
  f->search = alloc_array(nr, sizeof *f->search, &failed);
  f->heap = alloc_array(nr, sizeof *f->heap, &failed);
  f->settled = alloc_array(nr, sizeof *f->settled, &failed);
  f->path = alloc_array((size_t)nr + 1, sizeof *f->path, &failed);
  f->stack = alloc_array((size_t)(nl > nr ? nl : nr) + 1, sizeof *f->stack, &failed);
  f->roots = alloc_array((size_t)(nl > nr ? nl : nr) + 1, sizeof *f->roots, &failed);
  f->edge_mentor = alloc_array((size_t)g->off[nl], sizeof *f->edge_mentor, &failed);
  if (!failed) memcpy(f->edge_mentor, g->adj, (size_t)g->off[nl] * sizeof *f->edge_mentor);
  f->phase_trigger = nr / 8 < PHASE_TRIGGER ? (nr / 8 > 4 ? nr / 8 : 4) : PHASE_TRIGGER;
  if (failed || !lay_out_stars(f)) return 0;
  uint32_t room = f->star_off[nr];
  uint32_t mentees = 0;
  for (uint32_t i = 0; i < nl; i++) {
    f->mentee[i].edge = NONE;
    f->mentee[i].mentor = NONE;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->cap[g->adj[k]] > 0) {
        mentees++;
        break;
      }
    }
  }
  for (uint32_t j = 0; j < nr; j++) {
    f->mentor[j].room = g->cap[j];
    f->mentor[j].mark = g->cap[j] == 0 ? CLOSED : 0;
  }
  /* Places reachable by an edge against mentees with an edge to an open
   * mentor: the searches grow from whichever side is scarcer.  On a tie the
   * mentors' long, score-sorted lists prune better (measured: 3x faster). */
  *from_mentors = room <= mentees;
  return build_lists(f, warm || both || !*from_mentors, warm || both || *from_mentors);
}

/* Dual-feasible start: each mentee (or each mentor) prices itself at its best
 * edge, the other side at zero, and takes its best edges while there is room.
 * Lists are sorted best first, so all of this reads only their heads.  Where
 * several pairs tie at the best score, the start takes them by mm_row_hash of
 * the other person, smallest first, not by row number, so which of several
 * identical people gets a place does not follow the file's order (the first
 * rows took almost every place: 2,413 of 2,500).  Only the start decides this
 * way; the lists stay in row order among equal scores, which the searches
 * read much faster (ordering the lists by the hash made the solve of L high
 * ties x capacity 2 half again as long: 25 s to 38 s). */
static void start_from_mentees(flow *f) {
  const mm_graph *g = f->g;
  for (uint32_t i = 0; i < g->n_left; i++) {
    uint64_t k = g->off[i], end = g->off[i + 1];
    while (k < end && g->cap[f->rows[k].other] == 0) k++;
    if (k == end || f->big + f->rows[k].w <= 0) continue;
    int64_t best = f->rows[k].w;
    f->mentee[i].u = f->big + best;
    uint64_t take = NONE;
    for (; k < end && f->rows[k].w == best; k++) {
      if (f->mentor[f->rows[k].other].room > 0 &&
          (take == NONE || mm_row_hash(f->rows[k].other) < mm_row_hash(f->rows[take].other)))
        take = k;
    }
    if (take != NONE) star_add(f, i, f->rows[take].edge);
  }
}

/* Puts key into keys[0..*n), ascending, keeping at most `most` of the
 * smallest. */
static void keep_smallest(uint64_t *keys, uint32_t *n, uint32_t most, uint64_t key) {
  if (*n == most && key >= keys[most - 1]) return;
  uint32_t p = *n < most ? (*n)++ : most - 1;
  while (p > 0 && keys[p - 1] > key) {
    keys[p] = keys[p - 1];
    p--;
  }
  keys[p] = key;
}

/* Each mentor takes free mentees among those it scores best, as many as
 * it has places: all of them in list order when they fit, else those with
 * the smallest mm_row_hash (so no file order favours the first rows).
 * Only the places' worth of smallest keys is kept, not the whole tied group
 * sorted: at 100,000 x 25,000 with high ties the groups run to a hundred
 * and more, and sorting them was a third of a cold solve.  Returns 0 when
 * memory is short (nothing taken). */
static int start_from_mentors(flow *f) {
  const mm_graph *g = f->g;
  uint32_t longest = 0;
  for (uint32_t j = 0; j < g->n_right; j++)
    if (f->col_off[j + 1] - f->col_off[j] > longest) longest = f->col_off[j + 1] - f->col_off[j];
  uint32_t *free_ones = malloc((longest ? longest : 1) * sizeof *free_ones); /* arcs, list order */
  uint64_t *keys = malloc((longest ? longest : 1) * sizeof *keys);              /* hash << 32 | arc */
  if (!free_ones || !keys) {
    free(free_ones);
    free(keys);
    return 0;
  }
  for (uint32_t j = 0; j < g->n_right; j++) {
    uint32_t k = f->col_off[j], end = f->col_off[j + 1], room = (uint32_t)f->mentor[j].room;
    if (g->cap[j] == 0 || k == end || f->big + f->cols[k].w <= 0) continue;
    int64_t best = f->cols[k].w;
    f->mentor[j].v = f->big + best;
    uint32_t n = 0, kept = 0;
    for (; k < end && f->cols[k].w == best; k++)
      if (f->mentee[f->cols[k].other].edge == NONE) free_ones[n++] = k;
    if (n > room) {
      for (uint32_t x = 0; x < n; x++)
        keep_smallest(keys, &kept, room, (uint64_t)mm_row_hash(f->cols[free_ones[x]].other) << 32 | free_ones[x]);
      for (uint32_t x = 0; x < kept; x++) free_ones[x] = (uint32_t)keys[x];
      n = kept;
    }
    for (uint32_t x = 0; x < n; x++) star_add(f, f->cols[free_ones[x]].other, f->cols[free_ones[x]].edge);
  }
  free(free_ones);
  free(keys);
  return 1;
}

/* Index of mentee i's edge to mentor j, or NONE (rows list mentors ascending). */
static uint32_t find_edge(const mm_graph *g, uint32_t i, uint32_t j) {
  uint64_t lo = g->off[i], hi = g->off[i + 1];
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (g->adj[mid] < j) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < g->off[i + 1] && g->adj[lo] == j ? (uint32_t)lo : NONE;
}

/* Restores a previous answer (mm_assignment.warm_mentor) and repairs it in
 * both directions, in work proportional to the graph plus the edges it did
 * not cover.  Its duals are kept and its matches where they are still tight;
 * each mentee's price is then raised, if need be, to cover every edge of its
 * row (the previous duals covered all the old ones, so only new edges ask
 * for it).  A matched mentee whose price rose leaves its mentor: it becomes
 * a root for a search from mentees, and its mentor, with a place free and a
 * positive price, a root for a search from mentors.  Duals stay feasible
 * throughout, so the searches that follow end in an exact optimum. */
static void warm_start(flow *f, const mm_assignment *a) {
  const mm_graph *g = f->g;
  uint32_t nl = g->n_left, nr = g->n_right;
  for (uint32_t j = 0; j < nr; j++) f->mentor[j].v = g->cap[j] > 0 && a->v[j] > 0 ? a->v[j] : 0;
  for (uint32_t i = 0; i < nl; i++) {
    mentee_state *me = &f->mentee[i];
    me->u = a->u[i] > 0 ? a->u[i] : 0;
    int64_t j = a->warm_mentor[i];
    uint32_t k = j >= 0 && (uint64_t)j < nr ? find_edge(g, i, (uint32_t)j) : NONE;
    if (k != NONE && g->cap[j] > 0 && f->mentor[j].room > 0 && me->u + f->mentor[j].v == f->big + g->w[k])
      star_add(f, i, k);
  }
  for (uint32_t i = 0; i < nl; i++) {
    mentee_state *me = &f->mentee[i];
    int64_t need = 0;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      uint32_t j = g->adj[k];
      if (g->cap[j] > 0 && f->big + g->w[k] - f->mentor[j].v > need) need = f->big + g->w[k] - f->mentor[j].v;
    }
    if (need <= me->u) continue;
    me->u = need;
    if (me->edge != NONE) star_remove(f, i);
  }
}

/* Gives each unmatched mentee a place at the first mentor in its list
 * (best first) with room, when the auction was cut short by the time
 * limit: no search will run (the deadline has passed), so the answer is
 * only feasible anyway, and this places the mentees the auction had not
 * reached yet, as the plain start would (without it, a cut auction left
 * fewer matched than the plain start: 1,199 of 10,000 against 6,415).
 * The matches need not be tight: the state is not kept after a time-out. */
static void take_free_places(flow *f) {
  const mm_graph *g = f->g;
  for (uint32_t i = 0; i < g->n_left; i++) {
    if (f->mentee[i].edge != NONE) continue;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      const arc *a = &f->rows[k];
      if (f->mentor[a->other].room > 0 && f->big + a->w > 0) {
        star_add(f, i, a->edge);
        break;
      }
    }
  }
}

/* A cold start from mentees that begins with the auction (solve_auction.h)
 * where places outnumber mentees: its answer is restored and repaired as a
 * warm start is, so the searches that follow run from both sides (both
 * lists are built; past the deadline, the places the auction took so far
 * are restored, and the searches stop at once).  Returns 0, with nothing
 * taken, when the auction gave up (its budget) or memory is short: the
 * caller then starts as before. */
static int start_from_auction(flow *f, int64_t deadline) {
  const mm_graph *g = f->g;
  int64_t *mentor_of = malloc((g->n_left ? g->n_left : 1) * sizeof *mentor_of);
  int64_t *u = malloc((g->n_left ? g->n_left : 1) * sizeof *u);
  int64_t *v = malloc((g->n_right ? g->n_right : 1) * sizeof *v);
  int got = mentor_of && u && v ? mm_auction_start(g, f->big, deadline, mentor_of, u, v) : 0;
  int ok = got && build_lists(f, 1, 1);
  if (ok) {
    mm_assignment start = {.big = f->big, .u = u, .v = v, .warm_mentor = mentor_of};
    warm_start(f, &start);
    if (got == MM_AUCTION_LATE) take_free_places(f);
  }
  free(mentor_of);
  free(u);
  free(v);
  return ok;
}

/* Whether a warm start pays: the previous duals must leave few mentees short
 * of covering their edges (each such mentee is a root of the repair, and
 * they can only be short on edges the previous graph did not hold).  A
 * graph that grew by a large share (a first proof round that found the
 * candidate graph far too small, say) is solved afresh instead: then a cold
 * solve is also the work proportional to what was added. */
static int warm_pays(const mm_graph *g, const mm_assignment *a) {
  uint32_t short_of = 0, limit = g->n_left / 4 + 16;
  for (uint32_t i = 0; i < g->n_left && short_of <= limit; i++) {
    int64_t u = a->u[i] > 0 ? a->u[i] : 0;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      uint32_t j = g->adj[k];
      int64_t v = a->v[j] > 0 ? a->v[j] : 0;
      if (g->cap[j] > 0 && u + v < a->big + g->w[k]) {
        short_of++;
        break;
      }
    }
  }
  return short_of <= limit;
}

/* ---- keeping the solver between proof rounds -----------------------------
 *
 * A proof round adds a few pairs to a graph of millions.  Rebuilding the
 * score-sorted lists and restoring the previous answer from warm_mentor
 * reads and sorts every edge again (about a third of a second a round at L
 * with twice the capacity, where the rounds add some thousands of pairs); a
 * kept state instead moves its lists up in place, merges the added edges in
 * under new ids (the kept arcs keep theirs: renumbering them was a random
 * read per arc of the lists by mentor) and repairs only the rows that
 * gained one.  The lists, the stars and the
 * duals come out exactly as flow_alloc and warm_start build them from the
 * same previous answer (lists by score, then by the other end's index; each
 * star's members in mentee order; the same rows raised and released), so
 * the answer is the warm start's, byte for byte, at a cost in proportion to
 * the pairs added (plus copying the lists up, which touches no edge twice). */

struct mm_flow_state {
  flow f;
  uint32_t n_left, n_right;
  uint64_t *off; /* the graph last solved: rows, mentors, capacities */
  uint32_t *adj;
  int32_t *cap;
};

void mm_flow_state_free(mm_flow_state *st) {
  if (!st) return;
  flow_free(&st->f);
  free(st->off);
  free(st->adj);
  free(st->cap);
  free(st);
}

/* Remembers the graph just solved, so the next one can be compared with it.
 * Returns 0 when memory is short. */
static int remember_graph(mm_flow_state *st, const mm_graph *g) {
  size_t m = (size_t)g->off[g->n_left];
  uint64_t *off = realloc(st->off, ((size_t)g->n_left + 1) * sizeof *off);
  if (off) st->off = off;
  uint32_t *adj = realloc(st->adj, (m ? m : 1) * sizeof *adj);
  if (adj) st->adj = adj;
  int32_t *cap = realloc(st->cap, (g->n_right ? g->n_right : 1) * sizeof *cap);
  if (cap) st->cap = cap;
  if (!off || !adj || !cap) return 0;
  memcpy(off, g->off, ((size_t)g->n_left + 1) * sizeof *off);
  memcpy(adj, g->adj, m * sizeof *adj);
  memcpy(cap, g->cap, g->n_right * sizeof *cap);
  st->n_left = g->n_left;
  st->n_right = g->n_right;
  return 1;
}

/* added[] = g's edges the kept graph did not hold, in index order (the
 * edges numbered after the kept ones).  0 when g does not hold every kept
 * edge.  A row that did not grow is not read. */
static int find_added(const mm_flow_state *st, const mm_graph *g, uint32_t *added) {
  uint32_t n_added = 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    uint64_t p = st->off[i], o1 = st->off[i + 1], n0 = g->off[i], n1 = g->off[i + 1];
    if (n1 - n0 < o1 - p) return 0;
    if (n1 - n0 == o1 - p) continue;
    for (uint64_t k = n0; k < n1; k++) {
      if (p < o1 && st->adj[p] == g->adj[k]) {
        p++;
      } else {
        added[n_added++] = (uint32_t)k;
      }
    }
    if (p != o1) return 0;
  }
  return 1;
}

/* Moves the list of len arcs at list[from] up to list[to] (to >= from),
 * merging the sorted arcs add[0..n) into it from the back, so that no arc
 * is overwritten before it is read.  Lists after this one must have moved
 * already. */
static void merge_up(arc *list, uint64_t from, uint64_t len, uint64_t to, const arc *add, uint64_t n) {
  uint64_t w = to + len + n;
  while (n > 0) {
    if (len > 0 && arc_before(add[n - 1], list[from + len - 1])) {
      list[--w] = list[from + --len];
    } else {
      list[--w] = add[--n];
    }
  }
  if (to != from && len > 0) memmove(list + to, list + from, len * sizeof *list);
}

/* The rows (by mentee) with the added edges (ids m_old + x) merged in.
 * Returns 0 when memory is short. */
static int grow_rows(flow *f, const mm_flow_state *st, const uint32_t *added, uint32_t n_added) {
  const mm_graph *g = f->g;
  uint32_t m_old = (uint32_t)st->off[g->n_left];
  uint64_t m = g->off[g->n_left];
  arc *rows = realloc(f->rows, (m ? m : 1) * sizeof *rows);
  /* The added arcs, then room for sort_arcs to merge them. */
  arc *add = malloc((n_added ? 2 * (size_t)n_added : 1) * sizeof *add);
  if (rows) f->rows = rows;
  if (!rows || !add) {
    free(add);
    return 0;
  }
  for (uint32_t x = 0; x < n_added; x++) add[x] = (arc){g->w[added[x]], g->adj[added[x]], m_old + x};
  uint32_t end = n_added;
  for (uint32_t i = g->n_left; i-- > 0;) {
    uint32_t begin = end;
    while (begin > 0 && added[begin - 1] >= g->off[i]) begin--;
    sort_arcs(add + begin, end - begin, add + n_added);
    merge_up(rows, st->off[i], st->off[i + 1] - st->off[i], g->off[i], add + begin, end - begin);
    end = begin;
  }
  free(add);
  return 1;
}

/* The same for the cols (by mentor). */
static int grow_cols(flow *f, const mm_flow_state *st, const uint32_t *added, uint32_t n_added) {
  const mm_graph *g = f->g;
  uint32_t nr = g->n_right, m_old = (uint32_t)st->off[g->n_left];
  uint64_t m = g->off[g->n_left];
  arc *cols = realloc(f->cols, (m ? m : 1) * sizeof *cols);
  arc *add = malloc((n_added ? 2 * (size_t)n_added : 1) * sizeof *add); /* as in grow_rows */
  uint32_t *at = calloc((size_t)nr + 1, sizeof *at);
  if (cols) f->cols = cols;
  if (!cols || !add || !at) {
    free(add);
    free(at);
    return 0;
  }
  /* Added arcs by mentor (counting sort, mentees ascending in each). */
  for (uint32_t x = 0; x < n_added; x++) at[g->adj[added[x]] + 1]++;
  for (uint32_t j = 0; j < nr; j++) at[j + 1] += at[j];
  uint32_t i = 0;
  for (uint32_t x = 0; x < n_added; x++) {
    while (g->off[i + 1] <= added[x]) i++;
    add[at[g->adj[added[x]]]++] = (arc){g->w[added[x]], i, m_old + x};
  }
  for (uint32_t j = nr; j-- > 0;) {
    uint32_t begin = j > 0 ? at[j - 1] : 0, n = at[j] - begin;
    uint64_t old0 = f->col_off[j], len = f->col_off[j + 1] - old0;
    sort_arcs(add + begin, n, add + n_added);
    merge_up(cols, old0, len, old0 + begin, add + begin, n);
  }
  for (uint32_t j = 1; j <= nr; j++) f->col_off[j] += at[j - 1];
  free(add);
  free(at);
  return 1;
}

/* The added edges' mentors under their ids (m_old + x).  0 when memory is
 * short. */
static int name_added(flow *f, uint32_t m_old, const uint32_t *added, uint32_t n_added) {
  uint32_t *em = realloc(f->edge_mentor, ((size_t)m_old + n_added ? (size_t)m_old + n_added : 1) * sizeof *em);
  if (!em) return 0;
  f->edge_mentor = em;
  for (uint32_t x = 0; x < n_added; x++) em[m_old + x] = f->g->adj[added[x]];
  return 1;
}

/* The kept answer on the new graph: stars laid out again for the new
 * degrees with their members in mentee order, then every mentee short of
 * covering an added edge raised to cover it, leaving its mentor if it had
 * one (warm_start's repair, on the rows that changed only). */
static int restore_answer(flow *f, const uint32_t *added, uint32_t n_added) {
  const mm_graph *g = f->g;
  if (!lay_out_stars(f)) return 0;
  for (uint32_t i = 0; i < g->n_left; i++)
    if (f->mentee[i].edge != NONE) star_add(f, i, f->mentee[i].edge);
  uint32_t i = 0;
  for (uint32_t x = 0; x < n_added; x++) {
    while (g->off[i + 1] <= added[x]) i++;
    uint32_t j = g->adj[added[x]];
    mentee_state *me = &f->mentee[i];
    int64_t need = f->big + g->w[added[x]] - f->mentor[j].v;
    if (g->cap[j] == 0 || need <= me->u) continue;
    me->u = need;
    if (me->edge != NONE) star_remove(f, i);
  }
  return 1;
}

/* Whether the repair pays (warm_pays on the added edges: the kept duals
 * cover every other). */
static int resume_pays(const flow *f, const uint32_t *added, uint32_t n_added) {
  const mm_graph *g = f->g;
  uint32_t short_of = 0, limit = g->n_left / 4 + 16, last = NONE, i = 0;
  for (uint32_t x = 0; x < n_added && short_of <= limit; x++) {
    while (g->off[i + 1] <= added[x]) i++;
    uint32_t j = g->adj[added[x]];
    if (i != last && g->cap[j] > 0 && f->mentee[i].u + f->mentor[j].v < f->big + g->w[added[x]]) {
      short_of++;
      last = i;
    }
  }
  return short_of <= limit;
}

/* Continues from a kept state on g, a graph that holds every edge of the
 * one it solved, with the same people, capacities and big.  Returns 1 when
 * the state is ready for the searches (warm), 0 when it cannot be used (the
 * caller frees it and starts afresh). */
static int flow_resume(mm_flow_state *st, const mm_graph *g, int64_t big) {
  flow *f = &st->f;
  if (g->n_left != st->n_left || g->n_right != st->n_right || big != f->big || !f->rows || !f->cols ||
      memcmp(g->cap, st->cap, g->n_right * sizeof *st->cap) != 0 || g->off[g->n_left] < st->off[g->n_left])
    return 0;
  uint32_t m_old = (uint32_t)st->off[g->n_left];
  uint32_t n_added = (uint32_t)(g->off[g->n_left] - m_old);
  uint32_t *added = malloc((n_added ? n_added : 1) * sizeof *added);
  f->g = g;
  int ok = added && find_added(st, g, added) && resume_pays(f, added, n_added) &&
           name_added(f, m_old, added, n_added) && grow_rows(f, st, added, n_added) &&
           grow_cols(f, st, added, n_added) && restore_answer(f, added, n_added);
  free(added);
  f->phases = 0;
  f->last_search = 0;
  return ok;
}

static int out_of_time(int64_t deadline) {
  return deadline > 0 && mm_solver_clock_ns() >= deadline;
}

/* When phases run (see "many roots at once"): only after a single search
 * settled at least phase_trigger stars, PHASE_TRIGGER or an eighth of the
 * mentors on small graphs (a plateau); only once single searches have done
 * twice the work since the last run of phases that run did, so phases never
 * take more than about a third of the time, and twice that again after
 * every run in a row that did not pay (long searches without ties: a phase
 * then resolves only the roots at the one nearest distance, and on L with
 * twice the capacity 264 runs resolved 2,474 of 1.4 million roots tried);
 * and within a run only while each phase pays twice over: the roots it
 * resolves, each at the work of the search that triggered it, against the
 * edges it read.  All of it counts work, not time: the answer never depends
 * on the clock. */
#define MAX_PHASE_BACKOFF 20

typedef struct {
  uint64_t since;     /* single-search work since the last run of phases */
  uint64_t last_cost; /* work of that run */
  uint32_t backoff;   /* runs in a row that did not pay (at most MAX_PHASE_BACKOFF) */
  uint64_t *work;
  int64_t deadline;
  uint64_t scan_limit; /* f->scanned past which a repair gives up (0: none) */
  int over;            /* set when it did */
} phase_budget;

/* Whether the search just done should start a run of phases. */
static int phases_due(const flow *f, const phase_budget *pb) {
  return f->n_settled >= f->phase_trigger && pb->since >= (2 * pb->last_cost) << pb->backoff;
}

/* Counts a run of phases that resolved `resolved` roots (places, from
 * mentors) at last_cost: doubles the wait for the next run unless it paid. */
static void run_done(phase_budget *pb, int64_t resolved, int64_t saved) {
  if (resolved * saved >= 2 * (int64_t)pb->last_cost) {
    pb->backoff = 0;
  } else if (pb->backoff < MAX_PHASE_BACKOFF) {
    pb->backoff++;
  }
}

/* Whether the searches go on: 0 past the deadline, and 0 with pb->over set
 * once a repair has read more than its budget. */
static int go_on(const flow *f, phase_budget *pb) {
  if (pb->scan_limit && f->scanned > pb->scan_limit) {
    pb->over = 1;
    return 0;
  }
  if (*pb->work >= FLOW_CLOCK_WORK) {
    if (out_of_time(pb->deadline)) return 0;
    *pb->work = 0;
  }
  return 1;
}

/* Runs phases over the mentee roots after index `from` while they pay.
 * Returns 0 when time ran out. */
static int mentee_phases(flow *f, uint32_t from, phase_budget *pb) {
  int64_t saved = (int64_t)f->last_search;
  int pays = 1;
  uint32_t n = 0;
  for (uint32_t i = from; i < f->g->n_left; i++)
    if (f->mentee[i].edge == NONE && f->mentee[i].u > 0) f->roots[n++] = i;
  uint32_t first = n;
  pb->since = 0;
  pb->last_cost = 0;
  while (n > 0 && pays) {
    uint32_t before = n;
    uint64_t w = phase_from_mentees(f, f->roots, &n);
    f->phases++;
    *pb->work += w;
    pb->last_cost += w;
    pays = (int64_t)(before - n) * saved >= 2 * (int64_t)w;
    if (!go_on(f, pb)) return 0;
  }
  run_done(pb, (int64_t)(first - n), saved);
  return 1;
}

/* The same for mentor roots from index `from` on. */
static int mentor_phases(flow *f, uint32_t from, phase_budget *pb) {
  int64_t saved = (int64_t)f->last_search;
  int pays = 1;
  uint32_t n = 0;
  for (uint32_t j = from; j < f->g->n_right; j++)
    if (f->mentor[j].room > 0 && f->mentor[j].v > 0) f->roots[n++] = j;
  int64_t resolved = 0;
  pb->since = 0;
  pb->last_cost = 0;
  while (n > 0 && pays) {
    int64_t room_before = 0, room_after = 0;
    for (uint32_t k = 0; k < n; k++) room_before += f->mentor[f->roots[k]].v > 0 ? f->mentor[f->roots[k]].room : 0;
    uint64_t w = phase_from_mentors(f, f->roots, &n);
    f->phases++;
    for (uint32_t k = 0; k < n; k++) room_after += f->mentor[f->roots[k]].room;
    *pb->work += w;
    pb->last_cost += w;
    resolved += room_before - room_after;
    pays = (room_before - room_after) * saved >= 2 * (int64_t)w;
    if (!go_on(f, pb)) return 0;
  }
  run_done(pb, resolved, saved);
  return 1;
}

/* Searches from every mentor root (a free place at a positive price), in
 * index order, with phases where searches meet plateaus.  Returns 0 when
 * time ran out. */
static int mentor_searches(flow *f, phase_budget *pb) {
  for (uint32_t j = 0; j < f->g->n_right; j++) {
    while (f->mentor[j].room > 0 && f->mentor[j].v > 0) {
      if (!go_on(f, pb)) return 0;
      uint64_t scanned0 = f->scanned;
      search_from_mentor(f, j);
      f->last_search = f->scanned - scanned0;
      *pb->work += f->n_settled + 1;
      pb->since += f->last_search;
      if (phases_due(f, pb) && !mentor_phases(f, j, pb)) return 0;
    }
  }
  return 1;
}

/* Searches from every mentee root (unmatched at a positive price), in index
 * order, with phases where searches meet plateaus.  Returns 0 when time ran
 * out. */
static int mentee_searches(flow *f, phase_budget *pb) {
  for (uint32_t i = 0; i < f->g->n_left; i++) {
    if (f->mentee[i].edge != NONE || f->mentee[i].u == 0) continue;
    if (!go_on(f, pb)) return 0;
    uint64_t scanned0 = f->scanned;
    search_from_mentee(f, i);
    f->last_search = f->scanned - scanned0;
    *pb->work += f->n_settled + 1;
    pb->since += f->last_search;
    if (phases_due(f, pb) && !mentee_phases(f, i + 1, pb)) return 0;
  }
  return 1;
}

/* Runs the searches until no root is left.  A cold start has roots on one
 * side only; a warm one on both: mentees first (their searches make no
 * mentor root), then mentors (theirs touch no unmatched mentee).  Returns
 * SEARCH_DONE, SEARCH_LATE when time ran out, or SEARCH_OVER when a repair
 * (scan_limit > 0) read more than that many arcs in all. */
enum { SEARCH_DONE, SEARCH_LATE, SEARCH_OVER };

static int solve_searches(flow *f, int from_mentors, int warm, int64_t deadline, uint64_t scan_limit) {
  uint64_t work = FLOW_CLOCK_WORK;
  uint64_t limit = !scan_limit ? 0 : f->scanned > UINT64_MAX - scan_limit ? UINT64_MAX : f->scanned + scan_limit;
  phase_budget pb = {0, 0, 0, &work, deadline, limit, 0};
  int done;
  if (warm) {
    done = mentee_searches(f, &pb) && mentor_searches(f, &pb);
  } else {
    done = from_mentors ? mentor_searches(f, &pb) : mentee_searches(f, &pb);
  }
  return done ? SEARCH_DONE : pb.over ? SEARCH_OVER : SEARCH_LATE;
}

/* The arcs a repair (a warm start or a resumed state) may read before it
 * gives up and the solve starts afresh: REPAIR_BUDGET times the graph.
 * Ski rental: a repair that pays reads far less, and one that does not
 * then costs at most about one cold solve more.  Measured at 100,000 x
 * 25,000 with high ties and twice the capacity: the cold solves' searches
 * read 21 to 30 times the graph after the auction, repairs that paid 0.3
 * to 48 times (1.8 s), and a first proof round that added 130,000 pairs
 * left 12,510 mentees short, whose repair read 529 times the graph (15.7 s,
 * against 2.3 to 2.6 s for the whole cold solve).  Work, not time: the
 * answer never depends on the clock. */
#define REPAIR_BUDGET 64

static uint64_t repair_budget(const mm_graph *g, const mm_assignment *a) {
  uint64_t times = a->repair_budget ? a->repair_budget : REPAIR_BUDGET;
  uint64_t size = g->off[g->n_left] + g->n_left + g->n_right;
  return size > UINT64_MAX / times ? UINT64_MAX : times * size; /* saturated: a budget never wraps to a small one */
}

/* Copies the answer out.  Mentors without capacity took no part, so their
 * edges were never looked at: any v covers them at no cost in the dual
 * objective, and the least such v is chosen (a walk over every edge, skipped
 * when there are none: match leaves such mentors out of its graph). */
static void write_answer(const flow *f, mm_assignment *a) {
  const mm_graph *g = f->g;
  a->cardinality = 0;
  a->weight = 0;
  for (uint32_t j = 0; j < g->n_right; j++) a->v[j] = g->cap[j] > 0 ? f->mentor[j].v : 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    const mentee_state *me = &f->mentee[i];
    a->u[i] = me->u;
    /* The edge's index in g: its id on a flow built for g, else found by
     * its mentor (a row lists each mentor once). */
    uint32_t at = me->edge;
    if (at != NONE && (at < g->off[i] || at >= g->off[i + 1] || g->adj[at] != me->mentor))
      at = find_edge(g, i, me->mentor);
    a->match[i] = at == NONE ? -1 : (int64_t)at;
    if (at != NONE) {
      a->cardinality++;
      a->weight += g->w[at];
    }
    for (uint64_t k = g->off[i]; f->closed_edges > 0 && k < g->off[i + 1]; k++) {
      uint32_t j = g->adj[k];
      int64_t need = a->big + g->w[k] - me->u;
      if (g->cap[j] == 0 && need > a->v[j]) a->v[j] = need;
    }
  }
}

/* Threads that build the sorted lists (a->threads, at least one). */
static int list_threads(const mm_assignment *a) {
  return a->threads > 0 ? a->threads : 1;
}

/* A fresh solver for g: cold, or warm from a->warm_mentor when that pays.
 * NULL when memory is short. */
static mm_flow_state *flow_start(const mm_graph *g, const mm_assignment *a, int may_warm, int64_t deadline,
                                 int *warm, int *from_mentors, int *auctioned) {
  mm_flow_state *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  st->f.g = g;
  st->f.big = a->big;
  st->f.threads = list_threads(a);
  *warm = may_warm && a->warm_mentor != NULL && warm_pays(g, a);
  if (!flow_alloc(&st->f, *warm, a->keep != NULL, from_mentors)) {
    mm_flow_state_free(st);
    return NULL;
  }
  if (*warm) {
    warm_start(&st->f, a);
  } else if (*from_mentors) {
    if (!start_from_mentors(&st->f)) {
      mm_flow_state_free(st);
      return NULL;
    }
  } else if (start_from_auction(&st->f, deadline)) {
    *auctioned = 1;
  } else {
    start_from_mentees(&st->f);
  }
  return st;
}

mm_status mm_flow_solve(const mm_graph *g, mm_assignment *a, mm_error *e) {
  mm_status status = check_graph(g, a, e);
  if (status != MM_OK) return status;
  int64_t deadline = 0;
  if (a->time_limit_s > 0) {
    double ns = a->time_limit_s * 1e9;
    deadline = mm_solver_clock_ns() + (ns < 1e18 ? (int64_t)ns + 1 : INT64_C(1000000000000000000));
  }
  mm_flow_state *st = a->keep ? *a->keep : NULL;
  if (a->keep) *a->keep = NULL;
  if (st) st->f.threads = list_threads(a);
  int resumed = st && flow_resume(st, g, a->big), warm = resumed, from_mentors = 0, auctioned = 0;
  if (!resumed) {
    mm_flow_state_free(st);
    st = flow_start(g, a, 1, deadline, &warm, &from_mentors, &auctioned);
  }
  int ended = st ? solve_searches(&st->f, from_mentors, warm || auctioned, deadline, warm ? repair_budget(g, a) : 0)
                 : SEARCH_DONE;
  a->warm_abandoned = ended == SEARCH_OVER;
  if (a->warm_abandoned) {
    mm_flow_state_free(st);
    resumed = 0;
    st = flow_start(g, a, 0, deadline, &warm, &from_mentors, &auctioned);
    if (st) ended = solve_searches(&st->f, from_mentors, auctioned, deadline, 0);
  }
  if (!st) {
    mm_error_set(e, "solver", "out of memory for the flow solver (%u mentees, %u mentors, %llu edges)",
                 g->n_left, g->n_right, (unsigned long long)g->off[g->n_left]);
    return MM_ERR_NOMEM;
  }
  a->timed_out = ended == SEARCH_LATE;
  a->warm_started = warm;
  a->resumed = resumed;
  a->auctioned = auctioned;
  a->phases = st->f.phases;
  write_answer(&st->f, a);
  if (a->keep && !a->timed_out && remember_graph(st, g)) {
    *a->keep = st;
  } else {
    mm_flow_state_free(st);
  }
  return MM_OK;
}
