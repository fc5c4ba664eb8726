/* diary.h: who is booked when, and whether a pair still has a free common slot (engine/diary.c).
 *
 * Stability with calendars asks one question many times: can mentee i and
 * mentor j still meet, given everyone's other meetings, if i leaves its own
 * pair and j drops at most one weaker mentee?  Deferred acceptance with
 * calendars (stable_calendar.c) asks it before a mentor accepts, and the
 * blocking-pair count (mm_match) asks it of every pair that blocks by score.
 * A diary holds the booked pairs' busy time per person (one diary per
 * person by id or e-mail, people.c) with the slotter's rules for a valid
 * weekly series (schedule.h), so its answers agree with the scheduler's.
 */
#ifndef MM_DIARY_H
#define MM_DIARY_H

#include "schedule.h"

#include <stdbool.h>

typedef struct mm_diary mm_diary;

/* An empty diary for p (borrowed).  NULL with e filled when memory is
 * short.  Not thread safe. */
mm_diary *mm_diary_create(const mm_problem *p, mm_error *e);
void mm_diary_free(mm_diary *d);

/* Books mentee i with mentor j at slot (a valid start of the pair); 0 when
 * memory is short.  A mentee holds one booking: book it again only after
 * mm_diary_unbook. */
int mm_diary_book(mm_diary *d, uint32_t i, uint32_t j, mm_slot slot);
/* Forgets mentee i's booking, if any. */
void mm_diary_unbook(mm_diary *d, uint32_t i);

/* How much mentor j wants to keep its booked mentee k, for mm_diary_fit:
 * INT64_MAX when k may not be dropped for the newcomer, else a value that
 * is lower for a mentee j wants less. */
typedef int64_t (*mm_diary_keep_fn)(void *ctx, uint32_t k);

/* A weekly start for the pair (i, j) free in both people's diaries, i's own
 * booking ignored, except for at most one meeting of a mentee k of j with
 * keep(k) < INT64_MAX (keep NULL: none may be dropped).  A start that needs
 * no drop wins; otherwise the one whose dropped mentee has the lowest keep
 * value, then the slotter's order.  Returns 1 with *slot and *drop (the
 * mentee to drop, or -1) filled, 0 when there is none. */
int mm_diary_fit(mm_diary *d, uint32_t i, uint32_t j, mm_diary_keep_fn keep, void *ctx, mm_slot *slot, int64_t *drop);

/* Books the pair (i, j) at a free common start, nobody dropped (kept
 * slots: their one start): 1 when booked, 0 when no start is free, -1
 * when memory is short. */
int mm_diary_try_book(mm_diary *d, uint32_t i, uint32_t j);

/* A reader: the scratch one thread needs to ask mm_diary_can_fit of a
 * diary that several threads read at once (its own slotter and buffers).
 * NULL with e filled when memory is short.  d must outlive it. */
typedef struct mm_diary_reader mm_diary_reader;
mm_diary_reader *mm_diary_reader_create(const mm_diary *d, mm_error *e);
void mm_diary_reader_free(mm_diary_reader *r);

/* Whether mm_diary_fit(d, i, j, keep, ctx, ...) would return 1, without
 * choosing the slot: stops at the first start that works.  Reads d only, so
 * threads may ask at once, each with its own reader, while nobody books. */
int mm_diary_can_fit(const mm_diary *d, mm_diary_reader *r, uint32_t i, uint32_t j, mm_diary_keep_fn keep,
                     void *ctx);

#endif
