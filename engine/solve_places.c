/* solve_places.c: which mentees a maximum assignment must leave out.
 *
 * The auction (solve_auction.c) is fast only when no mentee must end without
 * a mentor: a group of mentees that wants fewer places than it has people
 * bids their prices up by epsilon at a time until a place is worth nothing
 * to the one left out, a price war of big / epsilon bids.  This finds such
 * groups before the auction runs, by a maximum assignment that ignores
 * scores: each mentee takes the first mentor in its row with a place free,
 * then each one left searches depth first for a way to a free place through
 * mentors that are full (a member moves on to another of its mentors, and so
 * on), looking ahead in each row it enters for a place free before it goes
 * deeper (without that, the searches on L high ties x capacity 2 read eight
 * times the graph and did not finish; with it, a hundredth).  A search that
 * finds none leaves its mentee out; what it visited stays marked for the
 * searches after it, since no later way to a free place passes there (a
 * way through it would have been this mentee's), so the searches that fail
 * read each edge about once between them.  The auction then runs without
 * the mentees left out, all of whom it can place; the flow solver's searches
 * decide who of each such group waits.
 */
#include "solve_places.h"

#include <stdlib.h>

#define NOBODY UINT32_MAX

typedef struct {
  const mm_graph *g;
  const uint32_t *place_off; /* per mentor: its places, min(cap, degree) */
  uint32_t *count;           /* per mentor: members */
  uint32_t *member;          /* per place */
  uint32_t *mentor_of;       /* per mentee, NOBODY */
  uint32_t *pos;             /* per mentee: its place at its mentor */
  uint32_t *mentor_seen, *mentee_seen; /* search stamps */
  uint32_t stamp;
  uint32_t *stack;           /* the path: mentee, mentor, mentee, ... */
  uint64_t *cursor;          /* per stack entry: next edge (mentee) or member (mentor) */
  uint64_t reads, budget;
} placing;

static void leave(placing *p, uint32_t i) {
  uint32_t j = p->mentor_of[i], s = p->place_off[j];
  uint32_t last = p->member[s + --p->count[j]];
  p->member[s + p->pos[i]] = last;
  p->pos[last] = p->pos[i];
  p->mentor_of[i] = NOBODY;
}

static void join(placing *p, uint32_t i, uint32_t j) {
  p->pos[i] = p->count[j]++;
  p->member[p->place_off[j] + p->pos[i]] = i;
  p->mentor_of[i] = j;
}

/* The path on the stack ends at mentor j, which has a place free: each
 * mentee on it moves to the mentor after it. */
static void shift_along(placing *p, uint32_t top, uint32_t j) {
  for (uint32_t t = top + 1; t-- > 0;) {
    if (t % 2) continue; /* mentors sit at odd depths */
    uint32_t i = p->stack[t];
    if (p->mentor_of[i] != NOBODY) leave(p, i);
    join(p, i, j);
    if (t > 0) j = p->stack[t - 1];
  }
}

/* Looks ahead in mentee i's row (on the stack at top) for a mentor with a
 * place free; 1 when it found one and the path moved there. */
static int look_ahead(placing *p, uint32_t top, uint32_t i) {
  const mm_graph *g = p->g;
  p->reads += g->off[i + 1] - g->off[i];
  for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
    uint32_t j = g->adj[k];
    if (p->count[j] < p->place_off[j + 1] - p->place_off[j]) {
      shift_along(p, top, j);
      return 1;
    }
  }
  return 0;
}

/* After a search that placed its mentee: a new stamp, so what it visited
 * is free again for the next (a failed search keeps its marks).  Returns 1,
 * or 0 with *over set after 4 billion searches. */
static int next_stamp(placing *p, int *over) {
  if (++p->stamp == 0) return *over = 1, 0;
  return 1;
}

/* One search from unplaced mentee r.  1: placed; 0: no way (or the budget
 * ran out, *over set). */
static int search_from(placing *p, uint32_t r, int *over) {
  const mm_graph *g = p->g;
  uint32_t top = 0;
  p->stack[0] = r;
  p->cursor[0] = g->off[r];
  p->mentee_seen[r] = p->stamp;
  if (look_ahead(p, 0, r)) return next_stamp(p, over);
  for (;;) {
    if (p->reads++ > p->budget) return *over = 1, 0;
    uint32_t who = p->stack[top];
    if (top % 2 == 0) { /* a mentee: its next mentor */
      if (p->cursor[top] == g->off[who + 1]) {
        if (top == 0) return 0;
        top--;
        continue;
      }
      uint32_t j = g->adj[p->cursor[top]++];
      uint32_t places = p->place_off[j + 1] - p->place_off[j];
      if (places == 0 || p->mentor_seen[j] == p->stamp) continue;
      p->mentor_seen[j] = p->stamp;
      if (p->count[j] < places) {
        shift_along(p, top, j);
        return next_stamp(p, over);
      }
      p->stack[++top] = j;
      p->cursor[top] = 0;
    } else { /* a full mentor: its next member */
      if (p->cursor[top] == p->count[who]) {
        top--;
        continue;
      }
      uint32_t i = p->member[p->place_off[who] + p->cursor[top]++];
      if (p->mentee_seen[i] == p->stamp) continue;
      p->mentee_seen[i] = p->stamp;
      p->stack[++top] = i;
      p->cursor[top] = g->off[i];
      if (look_ahead(p, top, i)) return next_stamp(p, over);
    }
  }
}

int64_t mm_places_left_out(const mm_graph *g, const uint32_t *place_off, uint64_t budget, uint8_t *left_out) {
  uint32_t nl = g->n_left, nr = g->n_right;
  placing p = {.g = g, .place_off = place_off, .budget = budget, .stamp = 1};
  size_t depth = 2 * (size_t)(nl < nr ? nl : nr) + 2;
  p.count = calloc(nr ? nr : 1, sizeof *p.count);
  p.member = malloc((place_off[nr] ? place_off[nr] : 1) * sizeof *p.member);
  p.mentor_of = malloc((nl ? nl : 1) * sizeof *p.mentor_of);
  p.pos = malloc((nl ? nl : 1) * sizeof *p.pos);
  p.mentor_seen = calloc(nr ? nr : 1, sizeof *p.mentor_seen);
  p.mentee_seen = calloc(nl ? nl : 1, sizeof *p.mentee_seen);
  p.stack = malloc(depth * sizeof *p.stack);
  p.cursor = malloc(depth * sizeof *p.cursor);
  int64_t out = -1;
  int over = 0;
  if (p.count && p.member && p.mentor_of && p.pos && p.mentor_seen && p.mentee_seen && p.stack && p.cursor) {
    /* pos marks, until placed, the mentees with a mentor that has places:
     * the others can have none in any assignment and do not count. */
    for (uint32_t i = 0; i < nl; i++) {
      p.mentor_of[i] = NOBODY;
      p.pos[i] = 0;
      left_out[i] = 0;
      for (uint64_t k = g->off[i]; k < g->off[i + 1]; k++) {
        uint32_t j = g->adj[k];
        p.pos[i] |= place_off[j + 1] > place_off[j];
        if (p.count[j] < place_off[j + 1] - place_off[j]) {
          join(&p, i, j);
          break;
        }
      }
      p.reads += g->off[i + 1] - g->off[i];
    }
    out = 0;
    for (uint32_t i = 0; i < nl && !over; i++) {
      if (p.mentor_of[i] != NOBODY || !p.pos[i] || search_from(&p, i, &over)) continue;
      left_out[i] = 1;
      out++;
    }
    if (over) out = -1;
  }
  free(p.count);
  free(p.member);
  free(p.mentor_of);
  free(p.pos);
  free(p.mentor_seen);
  free(p.mentee_seen);
  free(p.stack);
  free(p.cursor);
  return out;
}
