/* problem.c: the roster model: zones, people and program rules in memory.
 *
 * The io layer hands over one parsed row at a time; this file copies it into
 * per-side column arrays (see internal.h), interning every compared string,
 * so that scoring never touches a string.  It also owns the rules from
 * --pairs and the accessors the writers use to name people.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

mm_problem *mm_problem_create(const mm_options *in, mm_error *e) {
  mm_options full;
  if (mm_options_read(in, &full, e) != MM_OK || mm_options_check(&full, e) != MM_OK) return NULL;
  const mm_options *o = &full;
  mm_problem *p = calloc(1, sizeof *p);
  if (!p) {
    mm_error_set(e, NULL, "out of memory creating the problem");
    return NULL;
  }
  p->opt = full;
  mm_options_window(o, &p->window_from, &p->window_to);
  p->frame_start = mm_options_frame_start(o);
  p->weeks = mm_options_weeks(o);
  mm_dict_init(&p->zone_names);
  mm_dict_init(&p->skills);
  mm_dict_init(&p->goals);
  mm_dict_init(&p->languages);
  mm_dict_init(&p->places);
  mm_dict_init(&p->groups);
  mm_dict_init(&p->ids[0]);
  mm_dict_init(&p->ids[1]);
  return p;
}

static void free_strings(char **v, size_t n) {
  if (!v) return;
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

static void side_free(mm_side_data *s) {
  free_strings(s->id, s->n);
  free_strings(s->name, s->n);
  free_strings(s->email, s->n);
  free_strings(s->location_text, s->n);
  free_strings(s->manager_id, s->n);
  free(s->zone);
  free(s->avail);
  free(s->skill_off);
  free(s->skill_tag);
  free(s->skill_level);
  free(s->goal_off);
  free(s->goal_tag);
  free(s->lang_off);
  free(s->lang_tag);
  free(s->location);
  free(s->country);
  free(s->department);
  free(s->seniority);
  free(s->capacity);
  free(s->email_key);
  free(s->group);
  free(s->priority);
}

void mm_problem_free(mm_problem *p) {
  if (!p) return;
  for (size_t z = 0; z < p->n_zones; z++) {
    free(p->zones[z].name);
    free(p->zones[z].periods);
  }
  free(p->zones);
  mm_dict_free(&p->zone_names);
  mm_dict_free(&p->skills);
  mm_dict_free(&p->goals);
  mm_dict_free(&p->languages);
  mm_dict_free(&p->places);
  mm_dict_free(&p->groups);
  mm_dict_free(&p->ids[0]);
  mm_dict_free(&p->ids[1]);
  mm_dict_free(&p->emails);
  side_free(&p->side[0]);
  side_free(&p->side[1]);
  free(p->rules);
  free(p->rule_slots);
  free(p->required_rule);
  free(p->previous);
  free(p->pin_slot);
  free(p);
}

/* Grows *ptr to hold want elements of size elem, doubling; false on failure. */
static bool grow(void **ptr, size_t *alloc, size_t want, size_t elem) {
  if (want <= *alloc) return true;
  size_t n = *alloc ? *alloc : 64;
  while (n < want) n *= 2;
  void *q = realloc(*ptr, n * elem);
  if (!q) return false;
  *ptr = q;
  *alloc = n;
  return true;
}

int mm_problem_add_zone(mm_problem *p, const char *name, const mm_zone_period *periods, size_t n,
                        mm_error *e) {
  if (!name || !*name || n == 0 || !periods) {
    mm_error_set(e, "timezone", "expected a zone name with at least one period");
    return -1;
  }
  if (periods[0].at > p->window_from) {
    mm_error_set(e, "timezone", "zone data for \"%s\" starts after the program window", name);
    return -1;
  }
  for (size_t k = 0; k < n; k++) {
    if (periods[k].offset_s % 900 != 0 || periods[k].offset_s < -16 * 3600 ||
        periods[k].offset_s > 16 * 3600) {
      mm_error_set(e, "timezone",
                   "zone \"%s\" has a UTC offset of %d s, not a whole number of quarter hours",
                   name, (int)periods[k].offset_s);
      return -1;
    }
    if (k > 0 && periods[k].at <= periods[k - 1].at) {
      mm_error_set(e, "timezone", "zone \"%s\" periods are not in time order", name);
      return -1;
    }
  }
  bool was_new = false;
  int32_t id = mm_dict_intern_exact(&p->zone_names, name, &was_new);
  if (id < 0) goto nomem;
  if (!was_new) return id;
  size_t alloc = p->zones_alloc;
  if (!grow((void **)&p->zones, &alloc, p->n_zones + 1, sizeof *p->zones)) goto nomem;
  p->zones_alloc = alloc;
  mm_zone *z = &p->zones[p->n_zones];
  z->name = malloc(strlen(name) + 1);
  z->periods = malloc(n * sizeof *periods);
  if (!z->name || !z->periods) {
    free(z->name);
    free(z->periods);
    goto nomem;
  }
  strcpy(z->name, name);
  memcpy(z->periods, periods, n * sizeof *periods);
  z->n_periods = n;
  p->n_zones++;
  return id;
nomem:
  mm_error_set(e, NULL, "out of memory adding zone \"%s\"", name);
  return -1;
}

static void person_defaults(mm_person *person) {
  memset(person, 0, sizeof *person);
  person->size = sizeof *person;
  person->zone = -1;
  person->capacity = 1;
}

void mm_person_init_size(mm_person *person, size_t size) {
  mm_person full;
  person_defaults(&full);
  mm_sized_write(person, size, &full, sizeof full);
}

void mm_problem_window(const mm_problem *p, int64_t *from, int64_t *to) {
  *from = p->window_from;
  *to = p->window_to;
}

int mm_problem_zone_index(const mm_problem *p, const char *name) {
  return name ? (int)mm_dict_find_exact(&p->zone_names, name) : -1;
}

/* Copies s without leading/trailing white space; "" for NULL. */
static char *dup_trimmed(const char *s) {
  if (!s) s = "";
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  size_t len = strlen(s);
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
    len--;
  char *c = malloc(len + 1);
  if (c) {
    memcpy(c, s, len);
    c[len] = '\0';
  }
  return c;
}

static bool side_reserve(mm_side_data *s, size_t want) {
  if (want <= s->alloc) return true;
  size_t n = s->alloc ? s->alloc * 2 : 256;
  while (n < want) n *= 2;
#define MM_GROW(field)                                  \
  do {                                                  \
    void *q = realloc(s->field, n * sizeof *s->field);  \
    if (!q) return false;                               \
    s->field = q;                                       \
  } while (0)
#define MM_GROW_OFF(field)                                  \
  do {                                                      \
    void *q = realloc(s->field, (n + 1) * sizeof *s->field); \
    if (!q) return false;                                   \
    s->field = q;                                           \
  } while (0)
  MM_GROW(id);
  MM_GROW(name);
  MM_GROW(email);
  MM_GROW(location_text);
  MM_GROW(manager_id);
  MM_GROW(zone);
  MM_GROW(avail);
  MM_GROW_OFF(skill_off);
  MM_GROW_OFF(goal_off);
  MM_GROW_OFF(lang_off);
  MM_GROW(location);
  MM_GROW(country);
  MM_GROW(department);
  MM_GROW(seniority);
  MM_GROW(capacity);
  MM_GROW(email_key);
  MM_GROW(group);
  MM_GROW(priority);
#undef MM_GROW
#undef MM_GROW_OFF
  if (s->alloc == 0) {
    s->skill_off[0] = 0;
    s->goal_off[0] = 0;
    s->lang_off[0] = 0;
  }
  s->alloc = n;
  return true;
}

/* Interns a tag list into a CSR column, dropping duplicates (the first wins). */
static mm_status add_tags(mm_dict *dict, const char *const *names, const mm_tag *tags, size_t n,
                          int32_t **col, uint8_t **levels, size_t *alloc, uint32_t base,
                          uint32_t *count) {
  size_t cap_before = *alloc;
  if (!grow((void **)col, alloc, base + n, sizeof **col)) return MM_ERR_NOMEM;
  if (levels) {
    size_t lalloc = cap_before;
    if (!grow((void **)levels, &lalloc, *alloc, sizeof **levels)) return MM_ERR_NOMEM;
  }
  uint32_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const char *name = tags ? tags[i].name : names[i];
    int32_t id = mm_dict_intern(dict, name);
    if (id == MM_DICT_NOMEM) return MM_ERR_NOMEM;
    if (id == MM_NONE) continue;
    int level = tags ? (tags[i].level ? tags[i].level : MM_DEFAULT_LEVEL) : 0;
    bool dup = false;
    for (uint32_t j = 0; j < k; j++) dup = dup || (*col)[base + j] == id;
    if (dup) continue;
    (*col)[base + k] = id;
    if (levels) (*levels)[base + k] = (uint8_t)level;
    k++;
  }
  *count = k;
  return MM_OK;
}

/* Refuses a person the problem cannot hold: unknown side or zone, a
 * capacity, priority, seniority or level out of range, too many tags. */
static mm_status check_person(const mm_problem *p, mm_side side, const mm_person *in, mm_error *e) {
  if (side != MM_MENTOR && side != MM_MENTEE) {
    mm_error_set(e, NULL, "unknown side %d", (int)side);
    return MM_ERR_INVALID;
  }
  if (p->side[side].n >= UINT32_MAX - 1) {
    mm_error_set(e, NULL, "too many people (limit %u)", UINT32_MAX - 1);
    return MM_ERR_LIMIT;
  }
  if (in->zone < 0 || (size_t)in->zone >= p->n_zones) {
    mm_error_set(e, "timezone", "unknown zone index %d", in->zone);
    return MM_ERR_INVALID;
  }
  if (side == MM_MENTOR && (in->capacity < 0 || in->capacity > MM_MAX_CAPACITY)) {
    mm_error_set(e, "capacity", "expected an integer from 0 to %d, got %d", MM_MAX_CAPACITY,
                 in->capacity);
    return MM_ERR_INVALID;
  }
  if (in->priority < -1000000 || in->priority > 1000000) {
    mm_error_set(e, "priority", "expected an integer from -1000000 to 1000000, got %ld", in->priority);
    return MM_ERR_INVALID;
  }
  if (in->has_seniority && (in->seniority < -1000000 || in->seniority > 1000000)) {
    mm_error_set(e, "seniority", "expected an integer from -1000000 to 1000000, got %ld",
                 in->seniority);
    return MM_ERR_INVALID;
  }
  if (in->n_skills > MM_MAX_TAGS || in->n_goals > MM_MAX_TAGS || in->n_languages > MM_MAX_TAGS) {
    const char *field = in->n_skills > MM_MAX_TAGS ? "skills" : in->n_goals > MM_MAX_TAGS ? "goals" : "languages";
    mm_error_set(e, field, "expected at most %d entries", MM_MAX_TAGS);
    return MM_ERR_INVALID;
  }
  for (size_t k = 0; k < in->n_skills; k++) {
    int level = in->skills[k].level;
    if (level < 0 || level > MM_MAX_LEVEL) {
      mm_error_set(e, "skills", "expected a level from 1 to %d for \"%s\", got %d", MM_MAX_LEVEL,
                   in->skills[k].name ? in->skills[k].name : "", level);
      return MM_ERR_INVALID;
    }
  }
  return MM_OK;
}

/* Everything but the id of person i (already counted in s->n, so a failure
 * still frees their strings): texts, interned places and groups, numbers and
 * tags.  0 when memory is short. */
static int store_person(mm_problem *p, mm_side side, mm_side_data *s, size_t i, const mm_person *in) {
  s->name[i] = dup_trimmed(in->name);
  s->email[i] = dup_trimmed(in->email);
  s->location_text[i] = dup_trimmed(in->location);
  s->manager_id[i] = dup_trimmed(in->manager_id);
  if (!s->name[i] || !s->email[i] || !s->location_text[i] || !s->manager_id[i]) return 0;
  s->email_key[i] = mm_dict_intern(&p->emails, s->email[i]);
  s->zone[i] = in->zone;
  s->avail[i] = in->availability;
  s->avail[i].w[MM_WEEK_WORDS - 1] &= (UINT64_C(1) << (MM_SLOTS_PER_WEEK % 64)) - 1;
  s->location[i] = mm_dict_intern(&p->places, in->location);
  s->country[i] = mm_dict_intern(&p->places, in->country);
  s->department[i] = mm_dict_intern(&p->places, in->department);
  s->group[i] = mm_dict_intern(&p->groups, in->group);
  if (s->email_key[i] == MM_DICT_NOMEM || s->location[i] == MM_DICT_NOMEM || s->group[i] == MM_DICT_NOMEM ||
      s->country[i] == MM_DICT_NOMEM || s->department[i] == MM_DICT_NOMEM)
    return 0;
  s->seniority[i] = in->has_seniority ? (int32_t)in->seniority : MM_NO_SENIORITY;
  s->priority[i] = side == MM_MENTEE ? (int32_t)in->priority : 0;
  if (i > 0 && s->priority[i] != s->priority[0]) p->has_priority = true;
  s->capacity[i] = side == MM_MENTOR ? in->capacity : 1;
  uint32_t count = 0;
  if (add_tags(&p->skills, NULL, in->skills, in->n_skills, &s->skill_tag, &s->skill_level, &s->skill_alloc,
               s->skill_off[i], &count) != MM_OK)
    return 0;
  s->skill_off[i + 1] = s->skill_off[i] + count;
  if (add_tags(&p->goals, in->goals, NULL, in->n_goals, &s->goal_tag, NULL, &s->goal_alloc, s->goal_off[i],
               &count) != MM_OK)
    return 0;
  s->goal_off[i + 1] = s->goal_off[i] + count;
  if (add_tags(&p->languages, in->languages, NULL, in->n_languages, &s->lang_tag, NULL, &s->lang_alloc,
               s->lang_off[i], &count) != MM_OK)
    return 0;
  s->lang_off[i + 1] = s->lang_off[i] + count;
  return 1;
}

mm_status mm_problem_add_person(mm_problem *p, mm_side side, const mm_person *caller,
                                mm_error *e) {
  mm_person full;
  person_defaults(&full);
  mm_status st = mm_sized_read(&full, sizeof full, caller, MM_PERSON_MIN_SIZE, "mm_person", e);
  if (st == MM_OK) st = check_person(p, side, &full, e);
  if (st != MM_OK) return st;
  mm_side_data *s = &p->side[side];
  if (!side_reserve(s, s->n + 1)) goto nomem;
  char *id = dup_trimmed(full.id);
  if (!id) goto nomem;
  if (!*id) {
    free(id);
    mm_error_set(e, "id", "expected a non-empty id");
    return MM_ERR_INVALID;
  }
  bool was_new = false;
  int32_t key = mm_dict_intern_exact(&p->ids[side], id, &was_new);
  if (key == MM_DICT_NOMEM) {
    free(id);
    goto nomem;
  }
  if (!was_new) {
    mm_error_set(e, "id", "duplicate id \"%s\": an earlier row already uses it", id);
    free(id);
    return MM_ERR_INVALID;
  }
  size_t i = s->n++;
  s->id[i] = id;
  if (store_person(p, side, s, i, &full)) return MM_OK;
nomem:
  mm_error_set(e, NULL, "out of memory adding a person");
  return MM_ERR_NOMEM;
}

size_t mm_problem_count(const mm_problem *p, mm_side side) {
  return (side == MM_MENTOR || side == MM_MENTEE) ? p->side[side].n : 0;
}

long mm_problem_find(const mm_problem *p, mm_side side, const char *id) {
  if (!id || (side != MM_MENTOR && side != MM_MENTEE)) return -1;
  char *key = dup_trimmed(id);
  if (!key) return -1;
  long k = mm_dict_find_exact(&p->ids[side], key);
  free(key);
  return k;
}

static const char *column_text(const mm_problem *p, mm_side side, size_t i, char **const col[2]) {
  if ((side != MM_MENTOR && side != MM_MENTEE) || i >= p->side[side].n) return "";
  return col[side][i];
}

const char *mm_problem_person_id(const mm_problem *p, mm_side side, size_t i) {
  char **const col[2] = {p->side[0].id, p->side[1].id};
  return column_text(p, side, i, col);
}

const char *mm_problem_person_name(const mm_problem *p, mm_side side, size_t i) {
  char **const col[2] = {p->side[0].name, p->side[1].name};
  return column_text(p, side, i, col);
}

const char *mm_problem_person_email(const mm_problem *p, mm_side side, size_t i) {
  char **const col[2] = {p->side[0].email, p->side[1].email};
  return column_text(p, side, i, col);
}

const char *mm_problem_person_location(const mm_problem *p, mm_side side, size_t i) {
  char **const col[2] = {p->side[0].location_text, p->side[1].location_text};
  return column_text(p, side, i, col);
}

const char *mm_problem_person_zone(const mm_problem *p, mm_side side, size_t i) {
  if ((side != MM_MENTOR && side != MM_MENTEE) || i >= p->side[side].n) return "";
  return p->zones[p->side[side].zone[i]].name;
}

static uint64_t pair_hash(uint32_t mentee, uint32_t mentor) {
  uint64_t h = ((uint64_t)mentee << 32 | mentor) * UINT64_C(0x9E3779B97F4A7C15);
  return h ^ (h >> 29);
}

/* Index of the rule on this pair in p->rules, or -1; with insert, the slot
 * where a new one goes is returned through *slot. */
static long find_rule(const mm_problem *p, uint32_t mentee, uint32_t mentor, size_t *slot) {
  size_t mask = p->rule_slots_n - 1, h = (size_t)pair_hash(mentee, mentor) & mask;
  while (p->rule_slots[h]) {
    const mm_pair_rule *r = &p->rules[p->rule_slots[h] - 1];
    if (r->mentee == mentee && r->mentor == mentor) return (long)p->rule_slots[h] - 1;
    h = (h + 1) & mask;
  }
  if (slot) *slot = h;
  return -1;
}

static bool grow_rule_index(mm_problem *p) {
  size_t n = p->rule_slots_n ? p->rule_slots_n * 2 : 64;
  uint32_t *slots = calloc(n, sizeof *slots);
  if (!slots) return false;
  free(p->rule_slots);
  p->rule_slots = slots;
  p->rule_slots_n = n;
  for (size_t k = 0; k < p->n_rules; k++) {
    size_t h = (size_t)pair_hash(p->rules[k].mentee, p->rules[k].mentor) & (n - 1);
    while (slots[h]) h = (h + 1) & (n - 1);
    slots[h] = (uint32_t)k + 1;
  }
  return true;
}

mm_status mm_problem_add_rule(mm_problem *p, size_t mentee, size_t mentor, mm_rule rule,
                              long source_line, mm_error *e) {
  return mm_problem_add_rule_from(p, mentee, mentor, rule, source_line, 0, e);
}

/* Where an earlier rule came from, when not the same kind of file as the
 * one being read: its line is then in the other file. */
static const char *other_source(const mm_pair_rule *r, int kept) {
  if (!r->kept == !kept) return "";
  return r->kept ? " of the kept pairs" : " of the rules file";
}

mm_status mm_problem_add_rule_from(mm_problem *p, size_t mentee, size_t mentor, mm_rule rule,
                                   long source_line, int kept, mm_error *e) {
  size_t n_mentees = p->side[MM_MENTEE].n;
  if (mentee >= n_mentees || mentor >= p->side[MM_MENTOR].n) {
    mm_error_set(e, NULL, "rule refers to a person who is not in the rosters");
    return MM_ERR_INVALID;
  }
  if (rule != MM_RULE_REQUIRE && rule != MM_RULE_FORBID) {
    mm_error_set(e, "rule", "expected require or forbid");
    return MM_ERR_INVALID;
  }
  if (p->n_rules >= UINT32_MAX - 1) {
    mm_error_set(e, "rule", "too many rules");
    return MM_ERR_LIMIT;
  }
  if ((p->n_rules + 1) * 2 > p->rule_slots_n && !grow_rule_index(p)) goto nomem;
  if (p->required_alloc < n_mentees) {
    int32_t *req = realloc(p->required_rule, n_mentees * sizeof *req);
    if (!req) goto nomem;
    for (size_t i = p->required_alloc; i < n_mentees; i++) req[i] = -1;
    p->required_rule = req;
    p->required_alloc = n_mentees;
  }
  size_t slot = 0;
  long same = find_rule(p, (uint32_t)mentee, (uint32_t)mentor, &slot);
  if (same >= 0) {
    mm_pair_rule *r = &p->rules[same];
    /* A kept pair may also be required by the rules file: it is a running
     * pair either way (whichever file came first); one file saying the same
     * thing twice is a slip (a copy, a merge), refused like a duplicate id. */
    if (r->rule == rule && (r->kept || kept)) {
      r->kept = 1;
      return MM_OK;
    }
    if (r->rule == rule) {
      mm_error_set(e, "rule", "mentee \"%s\" and mentor \"%s\": the same rule is given twice (first on line %ld)",
                   p->side[MM_MENTEE].id[mentee], p->side[MM_MENTOR].id[mentor], r->source_line);
      return MM_ERR_INVALID;
    }
    mm_error_set(e, "rule", "mentee \"%s\" and mentor \"%s\" are both required and forbidden (line %ld%s)",
                 p->side[MM_MENTEE].id[mentee], p->side[MM_MENTOR].id[mentor], r->source_line,
                 other_source(r, kept));
    return MM_ERR_INVALID;
  }
  if (rule == MM_RULE_REQUIRE && p->required_rule[mentee] >= 0) {
    const mm_pair_rule *r = &p->rules[p->required_rule[mentee]];
    mm_error_set(e, "rule", "mentee \"%s\" is already required with mentor \"%s\" (line %ld%s); a mentee has one mentor",
                 p->side[MM_MENTEE].id[mentee], p->side[MM_MENTOR].id[r->mentor], r->source_line,
                 other_source(r, kept));
    return MM_ERR_INVALID;
  }
  if (!grow((void **)&p->rules, &p->rules_alloc, p->n_rules + 1, sizeof *p->rules)) goto nomem;
  p->rules[p->n_rules] = (mm_pair_rule){(uint32_t)mentee, (uint32_t)mentor, rule, source_line, kept};
  p->rule_slots[slot] = (uint32_t)p->n_rules + 1;
  if (rule == MM_RULE_REQUIRE) p->required_rule[mentee] = (int32_t)p->n_rules;
  p->n_rules++;
  return MM_OK;
nomem:
  mm_error_set(e, NULL, "out of memory adding a rule");
  return MM_ERR_NOMEM;
}
