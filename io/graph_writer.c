/* graph_writer.c: `match --dump-graph DIR`: the solver's final candidate graph as flat arrays.
 *
 * The issue of record for speed compares our solver with LEMON's on the very
 * graphs mm_match solves (a dense matrix of every pair does not fit at size
 * L), so the tool can leave that graph behind for bench/peer_lemon and
 * bench/bench_solve_graph.  Raw arrays keep the reading side trivial in C
 * and C++; the small text header says how long each is.  Files go through
 * the all-or-nothing output folder like every other output.
 */
#include "graph_writer.h"

#include "outdir.h"

#include <stdio.h>

/* One file of the folder: a name and what goes in it. */
typedef struct {
  const char *name;
  const void *data; /* NULL: the text header */
  size_t size, count;
} graph_file;

/* One file and the graph it comes from. */
typedef struct {
  const graph_file *gf;
  const mm_graph_view *g;
} graph_output;

static mm_status out_file(FILE *f, const char *shown, const void *ctx, mm_error *e) {
  const graph_output *c = ctx;
  const mm_graph_view *g = c->g;
  int ok;
  if (c->gf->data) {
    ok = fwrite(c->gf->data, c->gf->size, c->gf->count, f) == c->gf->count;
  } else {
    ok = fprintf(f, "mentees %zu\nmentors %zu\nedges %llu\nbig %lld\n", g->n_mentees, g->n_mentors,
                 (unsigned long long)g->off[g->n_mentees], (long long)g->big) > 0;
  }
  (void)shown;
  if (ok) return MM_OK;
  mm_error_set(e, NULL, "%s: write failed", c->gf->name);
  return MM_ERR_IO;
}

mm_status io_graph_write(const char *dir, const mm_graph_view *g, mm_error *e) {
  size_t edges = (size_t)g->off[g->n_mentees];
  const graph_file files[] = {
      {"graph.meta", NULL, 0, 0},
      {"graph.cap", g->capacity, sizeof *g->capacity, g->n_mentors},
      {"graph.off", g->off, sizeof *g->off, g->n_mentees + 1},
      {"graph.adj", g->adj, sizeof *g->adj, edges},
      {"graph.score", g->score, sizeof *g->score, edges},
  };
  io_outdir *od = NULL;
  mm_status st = io_outdir_open(dir, "--dump-graph", &od, e);
  if (st != MM_OK) return st;
  for (size_t k = 0; st == MM_OK && k < sizeof files / sizeof *files; k++)
    st = io_outdir_write(od, files[k].name, out_file, &(graph_output){&files[k], g}, e);
  return io_outdir_finish(od, st, e);
}
