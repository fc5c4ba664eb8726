/* availability.c: parses weekly availability text into a 672-slot mask.
 *
 * Rosters state when a person is free as local weekly windows, e.g.
 * "Mon-Fri 09:00-17:00; Sat 10:00-12:00".  The text arrives straight from a
 * spreadsheet cell, so the parser is strict about meaning (15-minute steps,
 * an end after the start, real day names) but tolerant about spacing, and
 * every error quotes the token it stopped at so a roster owner can fix the
 * cell.  It only ever reads up to the terminating NUL (fuzz-safe).
 *
 * Grammar (case-insensitive, blanks allowed between tokens):
 *   text    := window (';' window)*            -- empty windows are skipped
 *   window  := days range (',' range)*
 *   days    := dayitem (',' dayitem)*
 *   dayitem := day | day '-' day               -- ranges may wrap (Fri-Mon)
 *   day     := Mon..Sun (any prefix of 3+ letters of a full name: Tues,
 *              Thursday) | Weekdays | Weekends | Daily
 *   range   := time '-' time                   -- H:MM or HH:MM, end <= 24:00
 */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define FIELD "availability"

typedef struct {
  const char *s; /* whole text */
  size_t i;      /* cursor */
  mm_error *e;
} parser;

static void skip_blanks(parser *ps) {
  while (ps->s[ps->i] == ' ' || ps->s[ps->i] == '\t' || ps->s[ps->i] == '\r' ||
         ps->s[ps->i] == '\n')
    ps->i++;
}

/* Copies s[from, to) for quoting in a message: at most about 40 bytes, never
 * cutting a multi-byte character, control bytes shown as '?' so a message
 * never carries them.  Returns 1 if the copy holds a byte above ASCII. */
static int quote(const char *s, size_t from, size_t to, char *buf, size_t size) {
  size_t n = 0;
  int wide = 0;
  for (size_t k = from; k < to && n + 4 < size; k++) {
    unsigned char c = (unsigned char)s[k];
    if (n >= 40 && (c & 0xC0) != 0x80) {
      buf[n++] = '.';
      buf[n++] = '.';
      buf[n++] = '.';
      break;
    }
    wide |= c >= 0x80;
    buf[n++] = (c >= 0x20 && c != 0x7f) ? (char)c : '?';
  }
  buf[n] = '\0';
  return wide;
}

/* End of the token at i: stops at blanks and at the separators of the grammar. */
static size_t token_end(const char *s, size_t i, bool stop_at_dash) {
  while (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != ';' &&
         s[i] != ',' && !(stop_at_dash && s[i] == '-'))
    i++;
  return i;
}

static mm_status fail_token(parser *ps, const char *expected, size_t from, size_t to) {
  char tok[64];
  /* A spreadsheet's non-breaking space or typographic dash looks right on
   * screen: say what to type instead. */
  int wide = quote(ps->s, from, to, tok, sizeof tok);
  mm_error_set(ps->e, FIELD, "expected %s, got \"%s\"%s", expected, tok,
               wide ? " (it holds a character beyond plain ASCII, such as a non-breaking space or a typographic "
                      "dash: type plain spaces and '-')"
                    : "");
  return MM_ERR_PARSE;
}

/* Day words: bit d of the returned set is day d (0 = Monday); 0 if unknown. */
static unsigned day_set(const char *w, size_t len, int *single) {
  static const char *const full[7] = {"monday", "tuesday", "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
  char low[16];
  *single = -1;
  if (len == 0 || len >= sizeof low) return 0;
  for (size_t k = 0; k < len; k++) low[k] = (char)tolower((unsigned char)w[k]);
  low[len] = '\0';
  for (int d = 0; d < 7; d++) {
    /* Mon, Tues, Thurs, Wednesday: any prefix of three letters or more. */
    if (len >= 3 && strncmp(full[d], low, len) == 0) {
      *single = d;
      return 1u << d;
    }
  }
  if (strcmp(low, "weekdays") == 0) return 0x1f;
  if (strcmp(low, "weekends") == 0 || strcmp(low, "weekend") == 0) return 0x60;
  if (strcmp(low, "daily") == 0 || strcmp(low, "everyday") == 0) return 0x7f;
  return 0;
}

/* Reads one day word at the cursor. */
static mm_status read_day(parser *ps, unsigned *set, int *single) {
  size_t from = ps->i, to = from;
  while (isalpha((unsigned char)ps->s[to])) to++;
  /* A word with letters beyond ASCII ("Mié") is quoted whole. */
  if (to > from && (unsigned char)ps->s[to] >= 0x80)
    while (isalpha((unsigned char)ps->s[to]) || (unsigned char)ps->s[to] >= 0x80) to++;
  *set = day_set(ps->s + from, to - from, single);
  if (!*set) {
    if (to == from) to = token_end(ps->s, from, false);
    return fail_token(ps, "a day name such as Mon", from, to > from ? to : from);
  }
  ps->i = to;
  return MM_OK;
}

static mm_status read_days(parser *ps, unsigned *days) {
  *days = 0;
  for (;;) {
    unsigned a, b;
    int da, db;
    size_t item = ps->i;
    mm_status st = read_day(ps, &a, &da);
    if (st) return st;
    skip_blanks(ps);
    if (ps->s[ps->i] == '-') {
      ps->i++;
      skip_blanks(ps);
      st = read_day(ps, &b, &db);
      if (st) return st;
      if (da < 0 || db < 0)
        return fail_token(ps, "a range of single days such as Mon-Fri", item, ps->i);
      /* Wrapping ranges (Fri-Mon) run through the weekend. */
      for (int d = da;; d = (d + 1) % 7) {
        a |= 1u << d;
        if (d == db) break;
      }
      skip_blanks(ps);
    }
    *days |= a;
    if (ps->s[ps->i] != ',') return MM_OK;
    /* A comma followed by a digit starts a second time range, not a day. */
    size_t save = ps->i;
    ps->i++;
    skip_blanks(ps);
    if (isdigit((unsigned char)ps->s[ps->i])) {
      ps->i = save;
      return MM_OK;
    }
  }
}

/* Reads H:MM or HH:MM into minutes after midnight (0..1440). */
static mm_status read_time(parser *ps, int *minutes) {
  size_t from = ps->i, to = token_end(ps->s, from, true);
  const char *t = ps->s + from;
  size_t len = to - from;
  size_t colon = 0;
  while (colon < len && t[colon] != ':') colon++;
  bool shape = (colon == 1 || colon == 2) && len == colon + 3;
  for (size_t k = 0; shape && k < len; k++)
    if (k != colon && !isdigit((unsigned char)t[k])) shape = false;
  if (!shape) return fail_token(ps, "HH:MM", from, to);
  int h = 0;
  for (size_t k = 0; k < colon; k++) h = h * 10 + (t[k] - '0');
  int m = (t[colon + 1] - '0') * 10 + (t[colon + 2] - '0');
  if (h > 24) return fail_token(ps, "hours 00-24", from, to);
  if (m > 59) return fail_token(ps, "minutes 00-59", from, to);
  if (h == 24 && m != 0) return fail_token(ps, "a time no later than 24:00", from, to);
  if (m % MM_SLOT_MINUTES) return fail_token(ps, "a time on a 15-minute step", from, to);
  *minutes = h * 60 + m;
  ps->i = to;
  return MM_OK;
}

static mm_status read_range(parser *ps, int *from_min, int *to_min) {
  size_t from = ps->i;
  mm_status st = read_time(ps, from_min);
  if (st) return st;
  skip_blanks(ps);
  if (ps->s[ps->i] != '-') {
    size_t to = token_end(ps->s, ps->i, false);
    return fail_token(ps, "'-' between the start and end times", ps->i, to);
  }
  ps->i++;
  skip_blanks(ps);
  st = read_time(ps, to_min);
  if (st) return st;
  if (*to_min < *from_min) {
    /* A night window (22:00-02:00) is the usual cause: say how to write it. */
    char tok[64];
    quote(ps->s, from, ps->i, tok, sizeof tok);
    mm_error_set(ps->e, FIELD,
                 "expected an end after the start, got \"%s\" (a window cannot cross midnight: end it at 24:00 "
                 "and go on from 00:00 the next day)",
                 tok);
    return MM_ERR_PARSE;
  }
  if (*to_min == *from_min) return fail_token(ps, "an end after the start", from, ps->i);
  return MM_OK;
}

mm_status mm_availability_parse(const char *text, mm_week *out, mm_error *e) {
  memset(out, 0, sizeof *out);
  if (!text) text = "";
  parser ps = {text, 0, e};
  int windows = 0;
  for (;;) {
    skip_blanks(&ps);
    if (ps.s[ps.i] == ';') {
      ps.i++;
      continue;
    }
    if (!ps.s[ps.i]) break;
    unsigned days;
    mm_status st = read_days(&ps, &days);
    if (st) return st;
    for (;;) {
      skip_blanks(&ps);
      if (!isdigit((unsigned char)ps.s[ps.i])) {
        size_t to = token_end(ps.s, ps.i, false);
        if (!ps.s[ps.i]) return fail_token(&ps, "a time range such as 09:00-17:00 after the days", ps.i, ps.i);
        return fail_token(&ps, "a time range such as 09:00-17:00", ps.i, to);
      }
      int a, b;
      st = read_range(&ps, &a, &b);
      if (st) return st;
      for (int d = 0; d < 7; d++) {
        if (!(days >> d & 1u)) continue;
        for (int q = a / MM_SLOT_MINUTES; q < b / MM_SLOT_MINUTES; q++)
          mm_week_set(out, d * MM_SLOTS_PER_DAY + q);
      }
      windows++;
      skip_blanks(&ps);
      if (ps.s[ps.i] != ',') break;
      ps.i++;
    }
    if (ps.s[ps.i] && ps.s[ps.i] != ';') {
      size_t to = token_end(ps.s, ps.i, false);
      return fail_token(&ps, "';' between windows", ps.i, to > ps.i ? to : ps.i + 1);
    }
  }
  if (windows == 0) {
    char tok[64];
    quote(text, 0, strlen(text), tok, sizeof tok);
    mm_error_set(e, FIELD, "expected weekly windows such as \"Mon-Fri 09:00-17:00\", got \"%s\"",
                 tok);
    return MM_ERR_PARSE;
  }
  return MM_OK;
}
