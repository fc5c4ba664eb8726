/* sized.c: caller-filled structs that carry their own size (mm_options, mm_person, mm_scores).
 *
 * Such a struct starts with the sizeof its caller's header gave it, set by
 * its init function.  A program built against an older mentormatch.h hands
 * over a shorter struct: its fields are copied over the defaults and the
 * later ones keep them, so adding a field at the end never breaks a caller
 * of the shared library.  A longer struct comes from a newer header than this
 * library knows and is refused rather than half read.
 */
#include "internal.h"

#include <string.h>

void mm_sized_write(void *out, size_t out_size, const void *full, size_t full_size) {
  if (out_size < sizeof(size_t)) return;
  memcpy(out, full, out_size < full_size ? out_size : full_size);
  memcpy(out, &out_size, sizeof out_size);
}

mm_status mm_sized_read(void *full, size_t full_size, const void *in, size_t min_size,
                        const char *what, mm_error *e) {
  size_t in_size;
  memcpy(&in_size, in, sizeof in_size);
  if (in_size < min_size) {
    mm_error_set(e, "size", "%s has size %zu: fill it with %s_init first", what, in_size, what);
    return MM_ERR_INVALID;
  }
  if (in_size > full_size) {
    mm_error_set(e, "size", "%s of %zu bytes comes from a newer mentormatch.h than this library "
                 "(version %s, %zu bytes)", what, in_size, MM_VERSION, full_size);
    return MM_ERR_INVALID;
  }
  memcpy(full, in, in_size);
  memcpy(full, &full_size, sizeof full_size);
  return MM_OK;
}
