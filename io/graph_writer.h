/* graph_writer.h: writes the solver's final candidate graph for bench/'s peer solvers. */
#ifndef MM_IO_GRAPH_WRITER_H
#define MM_IO_GRAPH_WRITER_H

#include "mentormatch.h"

/* Writes g into folder dir (created if missing; replaced only when every
 * file is written): graph.meta (text: "mentees N", "mentors M", "edges E",
 * "big B", one a line) and the arrays in native byte order, graph.cap
 * (int32 per mentor), graph.off (uint64, N + 1), graph.adj (uint32 per
 * edge) and graph.score (int64 per edge, units of 1e-4).  MM_ERR_IO or
 * MM_ERR_NOMEM with e filled on failure. */
mm_status io_graph_write(const char *dir, const mm_graph_view *g, mm_error *e);

#endif
