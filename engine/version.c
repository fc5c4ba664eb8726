/* version.c: the library's version at run time.
 *
 * A program built against one mentormatch.h may run with another shared
 * library; mm_version lets it compare the two (MM_VERSION_NUMBER).
 */
#include "mentormatch.h"

unsigned mm_version(void) { return MM_VERSION_NUMBER; }

const char *mm_version_string(void) { return MM_VERSION; }
