/* zone.c: UTC offset of a registered zone at an instant.
 *
 * Zones are stored as the short list of offset periods that cover the
 * program window (see mm_problem_add_zone); every conversion between local
 * and UTC time in the frame and the scheduler goes through this lookup.
 */
#include "internal.h"

size_t mm_zone_period_at(const mm_zone *z, int64_t t) {
  /* Last period with at <= t; instants before the first period use it too. */
  size_t lo = 0, hi = z->n_periods;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (z->periods[mid].at <= t) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

bool mm_zone_changes_in(const mm_zone *z, int64_t after, int64_t until) {
  if (!z || z->n_periods < 2) return false;
  for (size_t k = mm_zone_period_at(z, after) + 1; k < z->n_periods && z->periods[k].at <= until; k++)
    if (z->periods[k].at > after && z->periods[k].offset_s != z->periods[k - 1].offset_s) return true;
  return false;
}

int32_t mm_zone_offset_at(const mm_zone *z, int64_t t) {
  if (!z || z->n_periods == 0) return 0;
  return z->periods[mm_zone_period_at(z, t)].offset_s;
}
