/* ics_zone.c: VTIMEZONE definitions with yearly rules from the tz database's own POSIX rule.
 *
 * Clients such as Outlook/Exchange want a STANDARD and a DAYLIGHT part with
 * yearly RRULEs, and some readers (vobject) misread a definition cut down to
 * a few one-off transitions.  The TZif footer holds exactly the yearly rule
 * ("EST5EDT,M3.2.0,M11.1.0"), so this file turns it into RRULEs and checks,
 * change by change, that the rule reproduces every offset change the tz data
 * lists inside the program window.  Only when it does not (a country that
 * changes its law during the program, a rule RRULE cannot express) are the
 * window's changes written one by one, which is still exact for the series.
 * See ics_zone.h for the choice of TZIDs.
 */
#include "ics_zone.h"

#include <stdlib.h>
#include <string.h>

static const char *const rrule_days[7] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

mm_status io_ics_zone_load(const char *name, int64_t from, int64_t to, io_ics_zone *z,
                           mm_error *e) {
  memset(z, 0, sizeof *z);
  z->name = name;
  z->from = from;
  z->to = to;
  mm_status st = io_zone_lookup_rule(name, from, to, &z->changes, &z->n, &z->rule, e);
  if (st != MM_OK || io_zone_is_utc(name)) return st;
  if (z->rule.kind != IO_TZ_FIXED) {
    snprintf(z->tzid, sizeof z->tzid, "%s", name);
  } else if (z->rule.std_off % 3600 == 0 && z->rule.std_off != 0 &&
             z->rule.std_off >= -12 * 3600 && z->rule.std_off <= 14 * 3600) {
    snprintf(z->tzid, sizeof z->tzid, "Etc/GMT%+d", -z->rule.std_off / 3600);
  }
  return MM_OK;
}

void io_ics_zone_free(io_ics_zone *z) {
  if (!z) return;
  free(z->changes);
  z->changes = NULL;
  z->n = 0;
}

int32_t io_ics_zone_offset(const io_ics_zone *z, int64_t t) {
  int32_t off = z->n ? z->changes[0].offset_s : 0;
  for (size_t k = 1; k < z->n && z->changes[k].at <= t; k++) off = z->changes[k].offset_s;
  return off;
}

void io_ics_put_local(io_sbuf *b, int64_t local) {
  io_civil c;
  io_civil_from_seconds(local, &c);
  io_sb_int(b, c.year, 4);
  io_sb_int(b, c.month, 2);
  io_sb_int(b, c.day, 2);
  io_sb_put(b, "T", 1);
  io_sb_int(b, c.hour, 2);
  io_sb_int(b, c.minute, 2);
  io_sb_int(b, c.second, 2);
}

void io_ics_zone_time(io_sbuf *b, const io_ics_zone *z, const char *name, int64_t t) {
  io_sb_puts(b, name);
  if (z->tzid[0]) {
    io_sb_puts(b, ";TZID=");
    io_sb_puts(b, z->tzid);
    io_sb_puts(b, ":");
    io_ics_put_local(b, t + io_ics_zone_offset(z, t));
  } else {
    io_sb_puts(b, ":");
    io_ics_put_local(b, t);
    io_sb_puts(b, "Z");
  }
  io_sb_eol(b);
}

/* One STANDARD or DAYLIGHT part; rrule may be NULL (a one-off change). */
static void put_part(io_sbuf *b, int daylight, int64_t local_start, int32_t from, int32_t to,
                     const char *rrule, const char *abbr) {
  char off[16];
  const char *kind = daylight ? "DAYLIGHT" : "STANDARD";
  io_sb_printf(b, "BEGIN:%s\nDTSTART:", kind);
  io_ics_put_local(b, local_start);
  io_sb_printf(b, "\nTZOFFSETFROM:%s\n", io_format_offset(from, 0, off, sizeof off));
  io_sb_printf(b, "TZOFFSETTO:%s\n", io_format_offset(to, 0, off, sizeof off));
  if (rrule) io_sb_printf(b, "RRULE:%s\n", rrule);
  if (abbr && *abbr) {
    io_sb_puts(b, "TZNAME:");
    io_sb_text(b, abbr);
    io_sb_eol(b);
  }
  io_sb_printf(b, "END:%s\n", kind);
}

/* The yearly RRULE of a date rule, into out; 0 when RRULE cannot say it.
 * A time past 24 h or below 0 moves the day ("M3.4.4/26": the Friday after
 * the fourth Thursday), which BYMONTHDAY with BYDAY expresses while the
 * moved days stay inside the month. */
static int rrule_of(const io_tz_date *d, char *out, size_t size) {
  if (d->kind != 'M') return 0;
  int shift = (int)floor_div(d->time_s, 86400);
  const char *day = rrule_days[((d->wday + shift) % 7 + 7) % 7];
  if (shift == 0) {
    snprintf(out, size, "FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", d->month, d->week == 5 ? -1 : d->week,
             day);
    return 1;
  }
  /* Days of the month the moved date can fall on.  "Last" (week 5) counts
   * from the month's end, written as positive days: ical.js hangs on a
   * negative BYMONTHDAY with BYDAY, and February's length varies. */
  static const int month_days[12] = {31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = month_days[(d->month - 1) % 12];
  if (d->week == 5 && last == 0) return 0;
  int lo = d->week == 5 ? last - 6 + shift : 7 * (d->week - 1) + 1 + shift;
  int hi = lo + 6;
  if (lo < 1 || hi > (last ? last : 28)) return 0;
  int n = snprintf(out, size, "FREQ=YEARLY;BYMONTH=%d;BYMONTHDAY=", d->month);
  for (int k = lo; k <= hi && n > 0 && (size_t)n < size; k++)
    n += snprintf(out + n, size - (size_t)n, "%d%s", k, k < hi ? "," : "");
  if (n <= 0 || (size_t)n >= size) return 0;
  snprintf(out + n, size - (size_t)n, ";BYDAY=%s", day);
  return 1;
}

/* UTC instant of a rule date in year y; `in_force` is the offset it leaves. */
static int64_t rule_onset(const io_tz_date *d, int y, int32_t in_force) {
  return io_tz_date_day(d, y) * 86400 + d->time_s - in_force;
}

/* 1 when the footer rule gives exactly the listed offsets over the window:
 * the offset in force at its start and every change inside it. */
static int rule_matches(const io_ics_zone *z) {
  const io_tz_rule *r = &z->rule;
  io_civil a, c;
  io_civil_from_seconds(z->from, &a);
  io_civil_from_seconds(z->to, &c);
  size_t next = 1;
  int64_t last_before = INT64_MIN;
  int32_t at_from = r->std_off;
  for (int y = a.year - 1; y <= c.year + 1; y++) {
    int64_t on = rule_onset(&r->start, y, r->std_off), off = rule_onset(&r->end, y, r->dst_off);
    int64_t t[2] = {on < off ? on : off, on < off ? off : on};
    int32_t to[2] = {on < off ? r->dst_off : r->std_off, on < off ? r->std_off : r->dst_off};
    for (int k = 0; k < 2; k++) {
      if (t[k] <= z->from) {
        if (t[k] > last_before) {
          last_before = t[k];
          at_from = to[k];
        }
      } else if (t[k] < z->to) {
        if (next >= z->n || z->changes[next].at != t[k] || z->changes[next].offset_s != to[k])
          return 0;
        next++;
      }
    }
  }
  return next == z->n && last_before != INT64_MIN && z->n && at_from == z->changes[0].offset_s;
}

/* Yearly STANDARD and DAYLIGHT parts from the year before the window. */
static void put_rule_parts(io_sbuf *b, const io_ics_zone *z, const char *rule_on,
                           const char *rule_off) {
  const io_tz_rule *r = &z->rule;
  io_civil a;
  io_civil_from_seconds(z->from, &a);
  int y = a.year - 1;
  int64_t on_local = io_tz_date_day(&r->start, y) * 86400 + r->start.time_s;
  int64_t off_local = io_tz_date_day(&r->end, y) * 86400 + r->end.time_s;
  int on_is_daylight = r->dst_off > r->std_off;
  /* STANDARD first, as clients list them. */
  if (on_is_daylight) {
    put_part(b, 0, off_local, r->dst_off, r->std_off, rule_off, r->std_name);
    put_part(b, 1, on_local, r->std_off, r->dst_off, rule_on, r->dst_name);
  } else {
    put_part(b, 0, on_local, r->std_off, r->dst_off, rule_on, r->dst_name);
    put_part(b, 1, off_local, r->dst_off, r->std_off, rule_off, r->std_name);
  }
}

/* Whether listed period k is daylight time as clients understand it: a tz
 * "daylight" period with a smaller offset than a standard neighbour
 * (negative DST) is not, and that neighbour is. */
static int listed_daylight(const io_ics_zone *z, size_t k) {
  const io_zone_change *c = z->changes;
  for (size_t m = k ? k - 1 : k + 1; m <= k + 1 && m < z->n; m += 2) {
    if (c[k].is_dst && !c[m].is_dst && c[m].offset_s > c[k].offset_s) return 0;
    if (!c[k].is_dst && c[m].is_dst && c[m].offset_s < c[k].offset_s) return 1;
  }
  return c[k].is_dst;
}

/* The window's periods one by one; at least one STANDARD part. */
static void put_listed_parts(io_sbuf *b, const io_ics_zone *z) {
  int any_standard = 0;
  int32_t lowest = z->changes[0].offset_s;
  for (size_t k = 0; k < z->n; k++) {
    any_standard |= !listed_daylight(z, k);
    if (z->changes[k].offset_s < lowest) lowest = z->changes[k].offset_s;
  }
  for (size_t k = 0; k < z->n; k++) {
    const io_zone_change *c = &z->changes[k];
    int32_t from = k ? z->changes[k - 1].offset_s : c->offset_s;
    int daylight = any_standard ? listed_daylight(z, k) : c->offset_s != lowest;
    put_part(b, daylight, c->at + from, from, c->offset_s, NULL, c->abbr);
  }
}

void io_ics_zone_write(io_sbuf *b, const io_ics_zone *z) {
  if (!z->tzid[0] || z->n == 0) return;
  io_sb_printf(b, "BEGIN:VTIMEZONE\nTZID:%s\n", z->tzid);
  char rule_on[128], rule_off[128];
  const io_tz_rule *r = &z->rule;
  if (r->kind == IO_TZ_FIXED || (r->kind == IO_TZ_RULE && !r->has_dst && z->n == 1 &&
                                 z->changes[0].offset_s == r->std_off)) {
    /* A constant offset: one STANDARD part from 1970 on. */
    const char *abbr = r->kind == IO_TZ_RULE ? r->std_name : NULL;
    char name[16];
    if (!abbr) abbr = io_format_offset(r->std_off, 0, name, sizeof name);
    put_part(b, 0, 0, r->std_off, r->std_off, NULL, abbr);
  } else if (r->kind == IO_TZ_RULE && r->has_dst && rrule_of(&r->start, rule_on, sizeof rule_on) &&
             rrule_of(&r->end, rule_off, sizeof rule_off) && rule_matches(z)) {
    put_rule_parts(b, z, rule_on, rule_off);
  } else {
    put_listed_parts(b, z);
  }
  io_sb_puts(b, "END:VTIMEZONE\n");
}
