/* dict.c: interning dictionaries that turn strings into dense integer ids.
 *
 * Tags, goals, languages, places and ids are compared millions of times while
 * scoring; interning them once while reading makes every later comparison an
 * integer compare and every set a small array or bit mask.  Open addressing
 * with FNV-1a hashing keeps it compact.  Each slot keeps its key's full hash
 * beside the id, so a probe compares bytes only when the hashes and lengths
 * agree (ids such as "E000123" share long prefixes, and a lookup that
 * misses would otherwise compare them at every occupied slot it passes), and
 * the table stays at most half full.  Keys live in large blocks freed together, not one
 * allocation each.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* A block of the arena: strings packed one after another. */
struct mm_dict_block {
  struct mm_dict_block *next;
  size_t used, cap;
  char data[];
};

#define BLOCK_BYTES ((size_t)64 * 1024)

void mm_dict_init(mm_dict *d) { memset(d, 0, sizeof *d); }

void mm_dict_free(mm_dict *d) {
  if (!d) return;
  for (struct mm_dict_block *b = d->arena, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(d->keys);
  free(d->shown);
  free(d->slots);
  free(d->lens);
  memset(d, 0, sizeof *d);
}

/* A NUL-terminated copy of s (len bytes) in d's arena; NULL when memory is short. */
static char *arena_copy(mm_dict *d, const char *s, size_t len) {
  struct mm_dict_block *b = d->arena;
  if (!b || b->cap - b->used < len + 1) {
    size_t cap = len + 1 > BLOCK_BYTES ? len + 1 : BLOCK_BYTES;
    b = malloc(sizeof *b + cap);
    if (!b) return NULL;
    b->used = 0;
    b->cap = cap;
    if (len + 1 > BLOCK_BYTES && d->arena) {
      /* A long key gets a block of its own behind the current one. */
      b->next = d->arena->next;
      d->arena->next = b;
    } else {
      b->next = d->arena;
      d->arena = b;
    }
  }
  char *copy = b->data + b->used;
  memcpy(copy, s, len);
  copy[len] = '\0';
  b->used += len + 1;
  return copy;
}

static uint32_t hash_bytes(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static bool grow_slots(mm_dict *d) {
  uint32_t n_slots = d->n_slots ? d->n_slots * 2 : 64;
  uint64_t *slots = calloc(n_slots, sizeof *slots);
  if (!slots) return false;
  for (uint32_t k = 0; k < d->n_slots; k++) {
    if (!d->slots[k]) continue;
    uint32_t h = (uint32_t)(d->slots[k] >> 32) & (n_slots - 1);
    while (slots[h]) h = (h + 1) & (n_slots - 1);
    slots[h] = d->slots[k];
  }
  free(d->slots);
  d->slots = slots;
  d->n_slots = n_slots;
  return true;
}

/* Finds key (len bytes, hash) or the empty slot where it would go. */
static uint32_t probe(const mm_dict *d, const char *key, size_t len, uint32_t hash) {
  uint32_t h = hash & (d->n_slots - 1);
  for (;;) {
    uint64_t s = d->slots[h];
    if (!s) return h;
    uint32_t id = (uint32_t)s - 1;
    if ((uint32_t)(s >> 32) == hash && d->lens[id] == len && memcmp(d->keys[id], key, len) == 0) return h;
    h = (h + 1) & (d->n_slots - 1);
  }
}

/* The id in a slot that probe found occupied. */
static int32_t slot_id(uint64_t s) { return (int32_t)((uint32_t)s - 1); }

/* Room for one more id in keys, shown and lens. */
static bool grow_ids(mm_dict *d) {
  uint32_t cap = d->cap ? d->cap * 2 : 16;
  char **keys = realloc(d->keys, (size_t)cap * sizeof *keys);
  if (!keys) return false;
  d->keys = keys;
  char **shown = realloc(d->shown, (size_t)cap * sizeof *shown);
  if (!shown) return false;
  d->shown = shown;
  uint32_t *lens = realloc(d->lens, (size_t)cap * sizeof *lens);
  if (!lens) return false;
  d->lens = lens;
  d->cap = cap;
  return true;
}

static int32_t intern_bytes(mm_dict *d, const char *key, size_t len, bool *was_new) {
  if (was_new) *was_new = false;
  if (len > UINT32_MAX / 2) return MM_DICT_NOMEM;
  if ((uint64_t)(d->n + 1) * 2 > (uint64_t)d->n_slots && !grow_slots(d)) return MM_DICT_NOMEM;
  uint32_t hash = hash_bytes(key, len);
  uint32_t h = probe(d, key, len, hash);
  if (d->slots[h]) return slot_id(d->slots[h]);
  if (d->n == INT32_MAX) return MM_DICT_NOMEM;
  if (d->n == d->cap && !grow_ids(d)) return MM_DICT_NOMEM;
  char *copy = arena_copy(d, key, len);
  if (!copy) return MM_DICT_NOMEM;
  d->keys[d->n] = copy;
  d->shown[d->n] = copy;
  d->lens[d->n] = (uint32_t)len;
  d->slots[h] = (uint64_t)hash << 32 | (d->n + 1);
  if (was_new) *was_new = true;
  return (int32_t)d->n++;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

int32_t mm_dict_intern(mm_dict *d, const char *s) {
  if (!s) return MM_NONE;
  while (is_space(*s)) s++;
  size_t len = strlen(s);
  while (len > 0 && is_space(s[len - 1])) len--;
  if (len == 0) return MM_NONE;
  char small[128];
  char *buf = len < sizeof small ? small : malloc(len + 1);
  if (!buf) return MM_DICT_NOMEM;
  bool folded = false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    folded |= c >= 'A' && c <= 'Z';
    buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  buf[len] = '\0';
  bool was_new = false;
  int32_t id = intern_bytes(d, buf, len, &was_new);
  if (buf != small) free(buf);
  if (was_new && folded) {
    /* Keep the first spelling met, for messages ("Japanese", not "japanese"). */
    char *shown = arena_copy(d, s, len);
    if (shown) d->shown[id] = shown;
  }
  return id;
}

int32_t mm_dict_intern_exact(mm_dict *d, const char *s, bool *was_new) {
  return intern_bytes(d, s, strlen(s), was_new);
}

int32_t mm_dict_find_exact(const mm_dict *d, const char *s) {
  if (!d->n_slots) return -1;
  size_t len = strlen(s);
  uint32_t h = probe(d, s, len, hash_bytes(s, len));
  return d->slots[h] ? slot_id(d->slots[h]) : -1;
}
