/* solve_flow.c: the exact assignment solver of our own (primal-dual shortest paths).
 *
 * GLPK proves the same optimum but is far too slow for candidate graphs of a
 * million edges, so this is the solver mm_match uses by default.  It solves
 * max-weight b-matching with edge weights big + w by the Hungarian method in
 * its shortest-path form: integer LP duals u (mentees) and v (mentors) stay
 * feasible throughout, matched edges stay tight, and one Dijkstra search on
 * reduced costs u + v - (big + w) either augments the matching or lowers a
 * dual to zero.  When it stops the duals satisfy complementary slackness, so
 * they are exactly the certificate of solver.h (checked by verify.c).
 *
 * Two things keep the searches short.  Searches grow from the scarce side: from
 * mentor slots when there are fewer slots than mentees (a search then ends at
 * the first free mentee it meets, which is near), from mentees otherwise.  And a
 * mentor together with its matched mentees is one "star": a search enters a
 * star as one node, so the heap holds mentors only and a star's members share
 * its distance, which is what keeps both endpoints of a matched edge tight.
 */
#include "solver.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NONE UINT32_MAX
/* Keeps every dual, reduced cost and path length below 2^61 (see check_graph). */
#define FLOW_MAX_BIG (INT64_C(1) << 58)
#define FLOW_MAX_SCORE INT64_C(10000000000)
/* Searches between two readings of the clock: cheap, yet fine grained. */
#define FLOW_CLOCK_EVERY 256
/* Stars a search may settle and still count as local (see solve_in_rounds). */
#ifndef FLOW_LOCAL_SEARCH
#define FLOW_LOCAL_SEARCH 1000
#endif

enum { UNSEEN = 0, LABELLED = 1, SETTLED = 2 };

typedef struct {
  int64_t key;
  uint32_t mentor;
} heap_item;

/* How a search ends: at distance d, through edge `edge` to a new partner of
 * `mentee`, or by a dual reaching zero (edge NONE, mentee or mentor named). */
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

/* One level of a depth-first search: a star (NONE: the root mentee), which of
 * its members is being scanned and that member's (or the mentor's) next edge. */
typedef struct {
  uint32_t star;
  uint32_t member;
  uint64_t edge;
} dfs_frame;

typedef struct {
  const mm_graph *g;
  int64_t big;
  int64_t *u, *v; /* the caller's output arrays, used as working storage */
  uint32_t *mate;   /* per mentee: matched edge or NONE */
  uint32_t *mate_j; /* per mentee: its mentor or NONE */
  uint32_t *pos;    /* per mentee: index among its mentor's members */
  uint32_t *load;   /* per mentor */
  uint32_t *star_off; /* per mentor: start of its members, room for min(cap, degree) */
  uint32_t *members;
  /* Mentor-major copy of the graph, built only when searching from mentors. */
  uint32_t *t_off, *t_mentee, *t_edge;
  int64_t *t_w;
  /* Search state per mentor. */
  int64_t *dist;
  uint32_t *pred_edge, *pred_mentee;
  uint8_t *state;
  uint32_t *hpos;
  heap_item *heap;
  uint32_t heap_n;
  uint32_t *touched;
  uint32_t n_touched;
  uint32_t *settled;
  uint32_t n_settled;
  path_step *path;
  /* Rounds over all roots at once (see solve_in_rounds). */
  uint32_t *roots;
  dfs_frame *dfs;
  uint32_t *dfs_mark;
} flow;

static int64_t now_ns(void) {
  struct timespec ts;
  if (!timespec_get(&ts, TIME_UTC)) return 0;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- heap of mentors keyed by (distance, index) ------------------------- */

static inline int item_less(heap_item a, heap_item b) {
  return a.key < b.key || (a.key == b.key && a.mentor < b.mentor);
}

static void heap_up(flow *f, uint32_t p, heap_item x) {
  while (p > 0) {
    uint32_t parent = (p - 1) / 4;
    if (!item_less(x, f->heap[parent])) break;
    f->heap[p] = f->heap[parent];
    f->hpos[f->heap[p].mentor] = p;
    p = parent;
  }
  f->heap[p] = x;
  f->hpos[x.mentor] = p;
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
    f->hpos[f->heap[p].mentor] = p;
    p = best;
  }
  if (n > 0) {
    f->heap[p] = x;
    f->hpos[x.mentor] = p;
  }
  return top;
}

/* Offers star j the distance d, reached by giving `mentee` the edge `edge`. */
static inline void relax(flow *f, uint32_t j, int64_t d, uint32_t edge, uint32_t mentee) {
  if (f->state[j] == UNSEEN) {
    f->state[j] = LABELLED;
    f->touched[f->n_touched++] = j;
    f->dist[j] = d;
    f->pred_edge[j] = edge;
    f->pred_mentee[j] = mentee;
    heap_item x = {d, j};
    heap_up(f, f->heap_n++, x);
  } else if (d < f->dist[j]) {
    f->dist[j] = d;
    f->pred_edge[j] = edge;
    f->pred_mentee[j] = mentee;
    heap_item x = {d, j};
    heap_up(f, f->hpos[j], x);
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
  f->state[j] = SETTLED;
  f->settled[f->n_settled++] = j;
}

static void reset_search(flow *f) {
  for (uint32_t k = 0; k < f->n_touched; k++) f->state[f->touched[k]] = UNSEEN;
  f->n_touched = 0;
  f->n_settled = 0;
  f->heap_n = 0;
}

/* ---- stars -------------------------------------------------------------- */

static void star_remove(flow *f, uint32_t i) {
  uint32_t j = f->mate_j[i];
  uint32_t *m = f->members + f->star_off[j];
  uint32_t last = m[--f->load[j]];
  m[f->pos[i]] = last;
  f->pos[last] = f->pos[i];
  f->mate[i] = NONE;
  f->mate_j[i] = NONE;
}

static void star_add(flow *f, uint32_t i, uint32_t edge) {
  uint32_t j = f->g->adj[edge];
  f->members[f->star_off[j] + f->load[j]] = i;
  f->pos[i] = f->load[j]++;
  f->mate[i] = edge;
  f->mate_j[i] = j;
}

/* Moves every mentee on the path at once, so no star ever overflows. */
static void apply_path(flow *f, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) {
    if (f->mate[f->path[k].mentee] != NONE) star_remove(f, f->path[k].mentee);
  }
  for (uint32_t k = 0; k < n; k++) {
    if (f->path[k].edge != NONE) star_add(f, f->path[k].mentee, f->path[k].edge);
  }
}

/* ---- searching from a free mentee --------------------------------------- */

static void scan_mentee(flow *f, uint32_t i, int64_t di, search_end *b) {
  const uint32_t *adj = f->g->adj;
  const int64_t *w = f->g->w;
  const int32_t *cap = f->g->cap;
  uint64_t end = f->g->off[i + 1];
  uint32_t own = f->mate[i];
  int64_t base = di + f->u[i] - f->big;
  for (uint64_t k = f->g->off[i]; k < end; k++) {
    uint32_t j = adj[k];
    if ((uint32_t)k == own || cap[j] == 0 || f->state[j] == SETTLED) continue;
    int64_t d = base + f->v[j] - w[k];
    if (f->load[j] < (uint32_t)cap[j]) {
      end_offer(b, d, (uint32_t)k, i, NONE);
    } else {
      relax(f, j, d, (uint32_t)k, i);
    }
  }
}

/* Dijkstra from unmatched mentees with u > 0, all at distance 0.  It stops at
 * the nearest way out: a mentor with room (one more match), or some mentee's
 * dual reaching zero (a root stays unmatched, or a matched mentee gives its
 * place up).  Then it moves the duals so that the shortest paths to that way
 * out, and every tie, become tight. */
static search_end dijkstra_from_mentees(flow *f, const uint32_t *roots, uint32_t n_roots) {
  search_end b = {INT64_MAX, NONE, NONE, NONE};
  for (uint32_t k = 0; k < n_roots; k++) {
    end_offer(&b, f->u[roots[k]], NONE, roots[k], NONE);
    scan_mentee(f, roots[k], 0, &b);
  }
  while (f->heap_n > 0 && f->heap[0].key < b.d) {
    uint32_t j = heap_pop(f);
    settle(f, j);
    int64_t dj = f->dist[j];
    const uint32_t *m = f->members + f->star_off[j];
    for (uint32_t k = 0; k < f->load[j]; k++) {
      end_offer(&b, dj + f->u[m[k]], NONE, m[k], NONE);
      scan_mentee(f, m[k], dj, &b);
    }
  }
  for (uint32_t k = 0; k < n_roots; k++) f->u[roots[k]] -= b.d;
  for (uint32_t s = 0; s < f->n_settled; s++) {
    uint32_t j = f->settled[s];
    int64_t delta = b.d - f->dist[j];
    f->v[j] += delta;
    const uint32_t *m = f->members + f->star_off[j];
    for (uint32_t k = 0; k < f->load[j]; k++) f->u[m[k]] -= delta;
  }
  return b;
}

/* Moves mentees along the path that ends with `mentee` taking `edge` (or
 * leaving its mentor when edge is NONE), back to the unmatched root. */
static void augment_to_mentee_root(flow *f, uint32_t mentee, uint32_t edge) {
  uint32_t n = 0;
  for (;;) {
    f->path[n].mentee = mentee;
    f->path[n++].edge = edge;
    uint32_t j = f->mate_j[mentee];
    if (j == NONE) break;
    edge = f->pred_edge[j];
    mentee = f->pred_mentee[j];
  }
  apply_path(f, n);
}

static void search_from_mentee(flow *f, uint32_t r) {
  search_end b = dijkstra_from_mentees(f, &r, 1);
  augment_to_mentee_root(f, b.mentee, b.edge);
}

/* Depth-first search for a path of tight edges from unmatched mentee r to a
 * way out, never entering a star marked in this round.  Augments and returns 1
 * when it finds one. */
static int tight_path_from_mentee(flow *f, uint32_t r, uint32_t stamp) {
  const uint32_t *adj = f->g->adj;
  const int64_t *w = f->g->w;
  const int32_t *cap = f->g->cap;
  uint32_t depth = 0;
  f->dfs[0].star = NONE;
  f->dfs[0].member = 0;
  f->dfs[0].edge = f->g->off[r];
  for (;;) {
    dfs_frame *top = &f->dfs[depth];
    uint32_t i;
    if (top->star == NONE) {
      i = r;
    } else if (top->member < f->load[top->star]) {
      i = f->members[f->star_off[top->star] + top->member];
    } else {
      depth--;
      continue;
    }
    if (top->edge == f->g->off[i + 1]) {
      if (top->star == NONE) return 0;
      top->member++;
      if (top->member < f->load[top->star]) {
        top->edge = f->g->off[f->members[f->star_off[top->star] + top->member]];
      }
      continue;
    }
    uint64_t k = top->edge++;
    uint32_t j = adj[k];
    if ((uint32_t)k == f->mate[i] || cap[j] == 0 || f->dfs_mark[j] == stamp) continue;
    if (f->u[i] + f->v[j] - f->big != w[k]) continue;
    if (f->load[j] < (uint32_t)cap[j]) {
      augment_to_mentee_root(f, i, (uint32_t)k);
      return 1;
    }
    f->dfs_mark[j] = stamp;
    f->pred_edge[j] = (uint32_t)k;
    f->pred_mentee[j] = i;
    const uint32_t *m = f->members + f->star_off[j];
    for (uint32_t t = 0; t < f->load[j]; t++) {
      if (f->u[m[t]] == 0) {
        augment_to_mentee_root(f, m[t], NONE);
        return 1;
      }
    }
    depth++;
    f->dfs[depth].star = j;
    f->dfs[depth].member = 0;
    f->dfs[depth].edge = f->g->off[m[0]];
  }
}

/* ---- searching from a mentor with room ---------------------------------- */

static void scan_mentor(flow *f, uint32_t j, int64_t dj, search_end *b) {
  uint32_t end = f->t_off[j + 1];
  int64_t base = dj + f->v[j] - f->big;
  for (uint32_t k = f->t_off[j]; k < end; k++) {
    uint32_t i = f->t_mentee[k];
    uint32_t owner = f->mate_j[i];
    if (owner == j) continue;
    int64_t d = base + f->u[i] - f->t_w[k];
    if (owner == NONE) {
      end_offer(b, d, f->t_edge[k], i, NONE);
    } else if (f->state[owner] != SETTLED) {
      relax(f, owner, d, f->t_edge[k], i);
    }
  }
}

/* Dijkstra from mentors with a free place and v > 0, all at distance 0.  It
 * stops at the nearest way out: a free mentee (one more match), or some
 * mentor's dual reaching zero (a root's places stay empty, or a mentor hands a
 * mentee on towards a root).  Then it moves the duals so that the shortest
 * paths to that way out, and every tie, become tight. */
static search_end dijkstra_from_mentors(flow *f, const uint32_t *roots, uint32_t n_roots) {
  search_end b = {INT64_MAX, NONE, NONE, NONE};
  for (uint32_t k = 0; k < n_roots; k++) relax(f, roots[k], 0, NONE, NONE);
  while (f->heap_n > 0 && f->heap[0].key < b.d) {
    uint32_t j = heap_pop(f);
    settle(f, j);
    end_offer(&b, f->dist[j] + f->v[j], NONE, NONE, j);
    scan_mentor(f, j, f->dist[j], &b);
  }
  for (uint32_t s = 0; s < f->n_settled; s++) {
    uint32_t j = f->settled[s];
    int64_t delta = b.d - f->dist[j];
    f->v[j] -= delta;
    const uint32_t *m = f->members + f->star_off[j];
    for (uint32_t k = 0; k < f->load[j]; k++) f->u[m[k]] += delta;
  }
  return b;
}

/* Moves mentees along the path that starts with `mentee` taking `edge`, back
 * to root mentor r, which gains one. */
static void augment_to_mentor_root(flow *f, uint32_t r, uint32_t mentee, uint32_t edge) {
  uint32_t n = 0;
  for (;;) {
    f->path[n].mentee = mentee;
    f->path[n++].edge = edge;
    uint32_t j = f->g->adj[edge];
    if (j == r) break;
    mentee = f->pred_mentee[j];
    edge = f->pred_edge[j];
  }
  apply_path(f, n);
}

static void search_from_mentor(flow *f, uint32_t r) {
  search_end b = dijkstra_from_mentors(f, &r, 1);
  if (b.edge != NONE) {
    augment_to_mentor_root(f, r, b.mentee, b.edge);
  } else if (b.mentor != r) {
    augment_to_mentor_root(f, r, f->pred_mentee[b.mentor], f->pred_edge[b.mentor]);
  }
}

/* Depth-first search for a path of tight edges from mentor r to a way out,
 * never entering a star marked in this round.  Augments and returns 1 when it
 * finds one. */
static int tight_path_from_mentor(flow *f, uint32_t r, uint32_t stamp) {
  uint32_t depth = 0;
  f->dfs_mark[r] = stamp;
  f->dfs[0].star = r;
  f->dfs[0].edge = f->t_off[r];
  for (;;) {
    dfs_frame *top = &f->dfs[depth];
    uint32_t j = top->star;
    if (top->edge == f->t_off[j + 1]) {
      if (depth == 0) return 0;
      depth--;
      continue;
    }
    uint32_t k = (uint32_t)top->edge++;
    uint32_t i = f->t_mentee[k];
    uint32_t owner = f->mate_j[i];
    if (owner == j || f->u[i] + f->v[j] - f->big != f->t_w[k]) continue;
    if (owner == NONE) {
      augment_to_mentor_root(f, r, i, f->t_edge[k]);
      return 1;
    }
    if (f->dfs_mark[owner] == stamp) continue;
    f->dfs_mark[owner] = stamp;
    if (f->v[owner] == 0) {
      augment_to_mentor_root(f, r, i, f->t_edge[k]);
      return 1;
    }
    f->pred_mentee[owner] = i;
    f->pred_edge[owner] = f->t_edge[k];
    depth++;
    f->dfs[depth].star = owner;
    f->dfs[depth].edge = f->t_off[owner];
  }
}

/* ---- setup -------------------------------------------------------------- */

static mm_status check_graph(const mm_graph *g, const mm_assignment *a, mm_error *e) {
  if (!g || !a) {
    mm_error_set(e, "solver", "graph or assignment missing");
    return MM_ERR_INVALID;
  }
  if (!g->off || (g->n_right > 0 && !g->cap) || !a->match || !a->u || (g->n_right > 0 && !a->v)) {
    mm_error_set(e, "solver", "graph or assignment arrays missing");
    return MM_ERR_INVALID;
  }
  uint64_t m = g->off[g->n_left];
  if (g->off[0] != 0 || m >= NONE || (m > 0 && (!g->adj || !g->w))) {
    mm_error_set(e, "solver", "edge offsets invalid or more than %u edges", NONE - 1);
    return m >= NONE ? MM_ERR_LIMIT : MM_ERR_INVALID;
  }
  if (a->big <= 0 || a->big > FLOW_MAX_BIG) {
    mm_error_set(e, "solver", "big must be in 1..2^58, got %lld", (long long)a->big);
    return a->big <= 0 ? MM_ERR_INVALID : MM_ERR_LIMIT;
  }
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (g->cap[j] < 0) {
      mm_error_set(e, "solver", "mentor %u has negative capacity %d", j, g->cap[j]);
      return MM_ERR_INVALID;
    }
  }
  for (uint32_t i = 0; i < g->n_left; i++) {
    if (g->off[i + 1] < g->off[i]) {
      mm_error_set(e, "solver", "edge offsets of mentee %u decrease", i);
      return MM_ERR_INVALID;
    }
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->adj[k] >= g->n_right || (k > g->off[i] && g->adj[k] <= g->adj[k - 1])) {
        mm_error_set(e, "solver", "edge %llu of mentee %u: mentor %u out of range or not ascending",
                     (unsigned long long)k, i, g->adj[k]);
        return MM_ERR_INVALID;
      }
      if (g->w[k] > FLOW_MAX_SCORE || g->w[k] < -FLOW_MAX_SCORE) {
        mm_error_set(e, "solver", "edge %llu: score %lld outside +-1e10", (unsigned long long)k,
                     (long long)g->w[k]);
        return MM_ERR_INVALID;
      }
    }
  }
  return MM_OK;
}

static void flow_free(flow *f) {
  free(f->mate);
  free(f->mate_j);
  free(f->pos);
  free(f->load);
  free(f->star_off);
  free(f->members);
  free(f->t_off);
  free(f->t_mentee);
  free(f->t_edge);
  free(f->t_w);
  free(f->dist);
  free(f->pred_edge);
  free(f->pred_mentee);
  free(f->state);
  free(f->hpos);
  free(f->heap);
  free(f->touched);
  free(f->settled);
  free(f->path);
  free(f->roots);
  free(f->dfs);
  free(f->dfs_mark);
}

static void *alloc_array(size_t n, size_t size, int *failed) {
  void *p = malloc((n ? n : 1) * size);
  if (!p) *failed = 1;
  return p;
}

/* Allocates everything, counts degrees (they size the stars) and decides
 * which side the searches grow from: the mentor-major copy of the graph is
 * built only when they grow from mentors.  Returns 0 when memory is short. */
static int flow_alloc(flow *f, int *from_mentors) {
  const mm_graph *g = f->g;
  uint32_t nl = g->n_left, nr = g->n_right;
  uint32_t m = (uint32_t)g->off[nl];
  int failed = 0;
  f->mate = alloc_array(nl, sizeof *f->mate, &failed);
  f->mate_j = alloc_array(nl, sizeof *f->mate_j, &failed);
  f->pos = alloc_array(nl, sizeof *f->pos, &failed);
  f->load = calloc((size_t)nr + 1, sizeof *f->load);
  f->star_off = alloc_array((size_t)nr + 1, sizeof *f->star_off, &failed);
  f->dist = alloc_array(nr, sizeof *f->dist, &failed);
  f->pred_edge = alloc_array(nr, sizeof *f->pred_edge, &failed);
  f->pred_mentee = alloc_array(nr, sizeof *f->pred_mentee, &failed);
  f->state = calloc((size_t)nr + 1, 1);
  f->hpos = alloc_array(nr, sizeof *f->hpos, &failed);
  f->heap = alloc_array(nr, sizeof *f->heap, &failed);
  f->touched = alloc_array(nr, sizeof *f->touched, &failed);
  f->settled = alloc_array(nr, sizeof *f->settled, &failed);
  f->path = alloc_array((size_t)nr + 1, sizeof *f->path, &failed);
  f->roots = alloc_array(nl > nr ? nl : nr, sizeof *f->roots, &failed);
  f->dfs = alloc_array((size_t)nr + 1, sizeof *f->dfs, &failed);
  f->dfs_mark = calloc((size_t)nr + 1, sizeof *f->dfs_mark);
  if (failed || !f->load || !f->state || !f->dfs_mark) return 0;
  /* load holds the degrees until the stars are laid out. */
  for (uint32_t k = 0; k < m; k++) f->load[g->adj[k]]++;
  uint32_t room = 0;
  for (uint32_t j = 0; j < nr; j++) {
    uint32_t deg = f->load[j];
    f->star_off[j] = room;
    room += deg < (uint32_t)g->cap[j] ? deg : (uint32_t)g->cap[j];
  }
  f->star_off[nr] = room;
  f->members = alloc_array(room, sizeof *f->members, &failed);
  if (failed) return 0;
  /* Slots reachable by an edge against mentees with an edge to an open
   * mentor: the searches grow from whichever side is scarcer. */
  uint32_t mentees = 0;
  for (uint32_t i = 0; i < nl; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->cap[g->adj[k]] > 0) {
        mentees++;
        break;
      }
    }
  }
  *from_mentors = room < mentees;
  if (*from_mentors) {
    f->t_off = alloc_array((size_t)nr + 1, sizeof *f->t_off, &failed);
    f->t_mentee = alloc_array(m, sizeof *f->t_mentee, &failed);
    f->t_edge = alloc_array(m, sizeof *f->t_edge, &failed);
    f->t_w = alloc_array(m, sizeof *f->t_w, &failed);
    if (failed) return 0;
    uint32_t at = 0;
    for (uint32_t j = 0; j < nr; j++) {
      f->t_off[j] = at;
      at += f->load[j];
    }
    f->t_off[nr] = at;
    memcpy(f->pred_edge, f->t_off, (size_t)nr * sizeof *f->pred_edge);
    for (uint32_t i = 0; i < nl; i++) {
      for (uint32_t k = (uint32_t)g->off[i]; k < (uint32_t)g->off[i + 1]; k++) {
        uint32_t slot = f->pred_edge[g->adj[k]]++;
        f->t_mentee[slot] = i;
        f->t_edge[slot] = k;
        f->t_w[slot] = g->w[k];
      }
    }
  }
  memset(f->load, 0, ((size_t)nr + 1) * sizeof *f->load);
  for (uint32_t i = 0; i < nl; i++) {
    f->mate[i] = NONE;
    f->mate_j[i] = NONE;
  }
  return 1;
}

/* Dual-feasible start: each mentee (or each mentor) prices itself at its best
 * edge, the other side at zero; a greedy pass then matches the tight edges. */
static void start_from_mentees(flow *f) {
  const mm_graph *g = f->g;
  for (uint32_t j = 0; j < g->n_right; j++) f->v[j] = 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    int64_t best = 0;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      if (g->cap[g->adj[k]] > 0 && f->big + g->w[k] > best) best = f->big + g->w[k];
    }
    f->u[i] = best;
    if (best == 0) continue;
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      uint32_t j = g->adj[k];
      if (f->big + g->w[k] == best && f->load[j] < (uint32_t)g->cap[j]) {
        star_add(f, i, (uint32_t)k);
        break;
      }
    }
  }
}

static void start_from_mentors(flow *f) {
  const mm_graph *g = f->g;
  for (uint32_t i = 0; i < g->n_left; i++) f->u[i] = 0;
  for (uint32_t j = 0; j < g->n_right; j++) {
    int64_t best = 0;
    if (g->cap[j] > 0) {
      for (uint32_t k = f->t_off[j]; k < f->t_off[j + 1]; k++) {
        if (f->big + f->t_w[k] > best) best = f->big + f->t_w[k];
      }
    }
    f->v[j] = best;
    if (best == 0) continue;
    for (uint32_t k = f->t_off[j]; k < f->t_off[j + 1] && f->load[j] < (uint32_t)g->cap[j]; k++) {
      if (f->big + f->t_w[k] == best && f->mate[f->t_mentee[k]] == NONE) {
        star_add(f, f->t_mentee[k], f->t_edge[k]);
      }
    }
  }
}

/* Mentors without capacity never take part, so their edges were skipped; any
 * v covers them at no cost, and the least such v is chosen. */
static void price_closed_mentors(flow *f) {
  const mm_graph *g = f->g;
  for (uint32_t j = 0; j < g->n_right; j++) {
    if (g->cap[j] == 0) f->v[j] = 0;
  }
  for (uint32_t i = 0; i < g->n_left; i++) {
    for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
      uint32_t j = g->adj[k];
      int64_t need = f->big + g->w[k] - f->u[i];
      if (g->cap[j] == 0 && need > f->v[j]) f->v[j] = need;
    }
  }
}

static int out_of_time(int64_t deadline) {
  return deadline > 0 && now_ns() >= deadline;
}

/* Searches from one root at a time, in index order, while they stay local.
 * Returns 0 when time ran out; f->settled_last tells the caller whether the
 * searches had stopped being local. */
static int solve_one_by_one(flow *f, int from_mentors, int64_t deadline) {
  const mm_graph *g = f->g;
  uint64_t searches = 0;
  if (from_mentors) {
    for (uint32_t j = 0; j < g->n_right; j++) {
      while (f->load[j] < (uint32_t)g->cap[j] && f->v[j] > 0) {
        if (searches++ % FLOW_CLOCK_EVERY == 0 && out_of_time(deadline)) return 0;
        search_from_mentor(f, j);
        uint32_t settled = f->n_settled;
        reset_search(f);
        if (settled > FLOW_LOCAL_SEARCH) return 1;
      }
    }
  } else {
    for (uint32_t i = 0; i < g->n_left; i++) {
      if (f->mate[i] != NONE || f->u[i] == 0) continue;
      if (searches++ % FLOW_CLOCK_EVERY == 0 && out_of_time(deadline)) return 0;
      search_from_mentee(f, i);
      uint32_t settled = f->n_settled;
      reset_search(f);
      if (settled > FLOW_LOCAL_SEARCH) return 1;
    }
  }
  return 1;
}

/* Once searches grow large, every root searches at once: one Dijkstra from all
 * of them moves the duals, then depth-first searches augment along as many
 * disjoint tight paths as they find.  A region that single searches would
 * explore again and again for each root is explored once per round.  Returns
 * 0 when time ran out. */
static int solve_in_rounds(flow *f, int from_mentors, int64_t deadline) {
  const mm_graph *g = f->g;
  for (uint32_t stamp = 1;; stamp++) {
    uint32_t n = 0;
    if (from_mentors) {
      for (uint32_t j = 0; j < g->n_right; j++) {
        if (f->load[j] < (uint32_t)g->cap[j] && f->v[j] > 0) f->roots[n++] = j;
      }
    } else {
      for (uint32_t i = 0; i < g->n_left; i++) {
        if (f->mate[i] == NONE && f->u[i] > 0) f->roots[n++] = i;
      }
    }
    if (n == 0) return 1;
    if (out_of_time(deadline)) return 0;
    if (from_mentors) {
      dijkstra_from_mentors(f, f->roots, n);
      reset_search(f);
      for (uint32_t k = 0; k < n; k++) {
        uint32_t r = f->roots[k];
        if (f->v[r] > 0 && f->dfs_mark[r] != stamp) tight_path_from_mentor(f, r, stamp);
      }
    } else {
      dijkstra_from_mentees(f, f->roots, n);
      reset_search(f);
      for (uint32_t k = 0; k < n; k++) {
        uint32_t r = f->roots[k];
        if (f->mate[r] == NONE && f->u[r] > 0) tight_path_from_mentee(f, r, stamp);
      }
    }
  }
}

mm_status mm_flow_solve(const mm_graph *g, mm_assignment *a, mm_error *e) {
  mm_status st = check_graph(g, a, e);
  if (st != MM_OK) return st;
  int64_t deadline = 0;
  if (a->time_limit_s > 0) {
    double ns = a->time_limit_s * 1e9;
    deadline = now_ns() + (ns < 1e18 ? (int64_t)ns + 1 : INT64_C(1000000000000000000));
  }
  flow f;
  memset(&f, 0, sizeof f);
  f.g = g;
  f.big = a->big;
  f.u = a->u;
  f.v = a->v;
  int from_mentors = 0;
  if (!flow_alloc(&f, &from_mentors)) {
    flow_free(&f);
    mm_error_set(e, "solver", "out of memory for the flow solver (%u mentees, %u mentors, %llu edges)",
                 g->n_left, g->n_right, (unsigned long long)g->off[g->n_left]);
    return MM_ERR_NOMEM;
  }
  a->timed_out = 0;
  if (from_mentors) {
    start_from_mentors(&f);
  } else {
    start_from_mentees(&f);
  }
  a->timed_out = !solve_one_by_one(&f, from_mentors, deadline) ||
                 !solve_in_rounds(&f, from_mentors, deadline);
  price_closed_mentors(&f);
  a->cardinality = 0;
  a->weight = 0;
  for (uint32_t i = 0; i < g->n_left; i++) {
    a->match[i] = f.mate[i] == NONE ? -1 : (int64_t)f.mate[i];
    if (f.mate[i] != NONE) {
      a->cardinality++;
      a->weight += g->w[f.mate[i]];
    }
  }
  flow_free(&f);
  return MM_OK;
}
