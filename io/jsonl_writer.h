/* jsonl_writer.h: a result as JSON lines on a stream, for jq and other pipeline tools.
 *
 * `--format jsonl` prints one JSON object per line on standard output and
 * nothing else there, so `mentormatch match ... --format jsonl | jq` works
 * without reading files.  Each object has a "type": "pairing" (one per
 * matched pair, with its unscheduled reason when it got no slot), "meeting"
 * (one per listed occurrence, match only) or "unmatched" (one per person
 * left without a partner).  schema/jsonl.schema.json describes them.
 */
#ifndef MM_IO_JSONL_WRITER_H
#define MM_IO_JSONL_WRITER_H

#include "mentormatch.h"
#include "results_writer.h"

#include <stdio.h>

/* Writes every pairing, then every meeting (when n->p is set), then every
 * unmatched person, in the same order as the CSV files.  MM_ERR_IO (e
 * names "<stdout>") when the stream reports a write error.  f is flushed,
 * not closed.  Reads n and r only. */
mm_status io_write_jsonl(FILE *f, const io_names *n, const mm_result *r, mm_error *e);

#endif
