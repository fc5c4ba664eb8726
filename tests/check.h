/* check.h: assertions for the unit tests, printing the expression and both values.
 *
 * Modelled on libuv's test/task.h: a failed check prints file:line, the
 * expression and the values on each side, counts the failure and lets the
 * test go on, so one run reports every broken expectation.  A test's main
 * ends with `return check_report("name");`, which prints "N passed, M failed".
 */
#ifndef MM_CHECK_H
#define MM_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_passed_count;
static int check_failed_count;

#define CHECK(expr)                                                                 \
  do {                                                                              \
    if (expr) {                                                                     \
      check_passed_count++;                                                         \
    } else {                                                                        \
      check_failed_count++;                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);      \
    }                                                                               \
  } while (0)

#define CHECK_INT_OP(a, op, b)                                                      \
  do {                                                                              \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);                 \
    if (check_a_ op check_b_) {                                                     \
      check_passed_count++;                                                         \
    } else {                                                                        \
      check_failed_count++;                                                         \
      fprintf(stderr, "%s:%d: check failed: %s %s %s (%lld %s %lld)\n", __FILE__,   \
              __LINE__, #a, #op, #b, check_a_, #op, check_b_);                      \
    }                                                                               \
  } while (0)

#define CHECK_EQ(a, b) CHECK_INT_OP(a, ==, b)
#define CHECK_NE(a, b) CHECK_INT_OP(a, !=, b)
#define CHECK_LT(a, b) CHECK_INT_OP(a, <, b)
#define CHECK_LE(a, b) CHECK_INT_OP(a, <=, b)
#define CHECK_GT(a, b) CHECK_INT_OP(a, >, b)
#define CHECK_GE(a, b) CHECK_INT_OP(a, >=, b)

#define CHECK_STR_EQ(a, b)                                                          \
  do {                                                                              \
    const char *check_a_ = (a), *check_b_ = (b);                                    \
    if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {                  \
      check_passed_count++;                                                         \
    } else {                                                                        \
      check_failed_count++;                                                         \
      fprintf(stderr, "%s:%d: check failed: %s == %s (\"%s\" vs \"%s\")\n",         \
              __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)",           \
              check_b_ ? check_b_ : "(null)");                                      \
    }                                                                               \
  } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                             \
  do {                                                                              \
    const char *check_h_ = (hay), *check_n_ = (needle);                             \
    if (check_h_ && check_n_ && strstr(check_h_, check_n_)) {                       \
      check_passed_count++;                                                         \
    } else {                                                                        \
      check_failed_count++;                                                         \
      fprintf(stderr, "%s:%d: check failed: %s contains %s (\"%s\" lacks \"%s\")\n",\
              __FILE__, __LINE__, #hay, #needle, check_h_ ? check_h_ : "(null)",    \
              check_n_ ? check_n_ : "(null)");                                      \
    }                                                                               \
  } while (0)

static inline int check_report(const char *name) {
  printf("%s: %d passed, %d failed\n", name, check_passed_count, check_failed_count);
  return check_failed_count == 0 ? 0 : 1;
}

#endif
