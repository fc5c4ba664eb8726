/* dict.c: interning dictionaries that turn strings into dense integer ids.
 *
 * Tags, goals, languages, places and ids are compared millions of times while
 * scoring; interning them once while reading makes every later comparison an
 * integer compare and every set a small array or bit mask.  Open addressing
 * with FNV-1a hashing keeps it compact and free of per-entry allocation
 * beyond the key copy.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void mm_dict_init(mm_dict *d) { memset(d, 0, sizeof *d); }

void mm_dict_free(mm_dict *d) {
  if (!d) return;
  for (uint32_t i = 0; i < d->n; i++) {
    if (d->shown && d->shown[i] != d->keys[i]) free(d->shown[i]);
    free(d->keys[i]);
  }
  free(d->keys);
  free(d->shown);
  free(d->slots);
  memset(d, 0, sizeof *d);
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
  uint32_t *slots = calloc(n_slots, sizeof *slots);
  if (!slots) return false;
  for (uint32_t id = 0; id < d->n; id++) {
    uint32_t h = hash_bytes(d->keys[id], strlen(d->keys[id])) & (n_slots - 1);
    while (slots[h]) h = (h + 1) & (n_slots - 1);
    slots[h] = id + 1;
  }
  free(d->slots);
  d->slots = slots;
  d->n_slots = n_slots;
  return true;
}

/* Finds key (len bytes) or the empty slot where it would go. */
static uint32_t probe(const mm_dict *d, const char *key, size_t len) {
  uint32_t h = hash_bytes(key, len) & (d->n_slots - 1);
  for (;;) {
    uint32_t s = d->slots[h];
    if (!s) return h;
    const char *k = d->keys[s - 1];
    if (strncmp(k, key, len) == 0 && k[len] == '\0') return h;
    h = (h + 1) & (d->n_slots - 1);
  }
}

static int32_t intern_bytes(mm_dict *d, const char *key, size_t len, bool *was_new) {
  if (was_new) *was_new = false;
  if (len > UINT32_MAX / 2) return MM_DICT_NOMEM;
  if ((uint64_t)(d->n + 1) * 4 >= (uint64_t)d->n_slots * 3 && !grow_slots(d)) return MM_DICT_NOMEM;
  uint32_t h = probe(d, key, len);
  if (d->slots[h]) return (int32_t)(d->slots[h] - 1);
  if (d->n == INT32_MAX) return MM_DICT_NOMEM;
  if (d->n == d->cap) {
    uint32_t cap = d->cap ? d->cap * 2 : 16;
    char **keys = realloc(d->keys, (size_t)cap * sizeof *keys);
    if (!keys) return MM_DICT_NOMEM;
    d->keys = keys;
    char **shown = realloc(d->shown, (size_t)cap * sizeof *shown);
    if (!shown) return MM_DICT_NOMEM;
    d->shown = shown;
    d->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy) return MM_DICT_NOMEM;
  memcpy(copy, key, len);
  copy[len] = '\0';
  d->keys[d->n] = copy;
  d->shown[d->n] = copy;
  d->slots[h] = d->n + 1;
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
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  buf[len] = '\0';
  bool was_new = false;
  int32_t id = intern_bytes(d, buf, len, &was_new);
  if (buf != small) free(buf);
  if (was_new && strncmp(d->keys[id], s, len) != 0) {
    /* Keep the first spelling met, for messages ("Japanese", not "japanese"). */
    char *shown = malloc(len + 1);
    if (shown) {
      memcpy(shown, s, len);
      shown[len] = '\0';
      d->shown[id] = shown;
    }
  }
  return id;
}

int32_t mm_dict_intern_exact(mm_dict *d, const char *s, bool *was_new) {
  return intern_bytes(d, s, strlen(s), was_new);
}

int32_t mm_dict_find_exact(const mm_dict *d, const char *s) {
  if (!d->n_slots) return -1;
  size_t len = strlen(s);
  uint32_t h = probe(d, s, len);
  return d->slots[h] ? (int32_t)(d->slots[h] - 1) : -1;
}
