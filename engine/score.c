/* score.c: the scoring kernel: one mentee against every mentor, fast.
 *
 * Every pair is scored from four criteria, each turned into integer points
 * (units of 1e-4) through small per-mentee tables so that a pair's score is
 * the sum of four table entries and the result is exact and independent of
 * the thread count:
 *   skills     sum over wanted skills of min(mentor level, wanted) / wanted,
 *              divided by the number of wanted skills (full credit when the
 *              mentor's level reaches the wanted level, partial below);
 *   goals      share of the mentee's goals the mentor can help with;
 *   time zone  weekly 15-minute start times at which a whole meeting fits
 *              both people's availability in every week of the program
 *              (engine/frame.c), full credit at 10 hours a week;
 *   diversity  one third each for a different location, country and
 *              department (only when both sides give them).
 * The mentor side is stored column-wise: per skill or goal tag a dense byte
 * column over mentors (popular tags) or a sparse list (rare tags), so a row
 * is a handful of streaming loops the compiler vectorises.  Mentors are
 * grouped into classes of equal (zone, weekly starts, languages, capacity >
 * 0); a mentee computes its time-zone and language verdict once per class,
 * and mentees of the same class share that table.  The hot loops are built
 * for several x86-64 levels and picked at run time (target_clones), so one
 * binary uses AVX-512 or AVX2 where present and runs everywhere.
 */
#include "score.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL_LCM 60     /* lcm(1..5): min(level, wanted) * LEVEL_LCM / wanted is an integer */
#define FIXED_SHIFT 14   /* points per unit are fixed point with this many fraction bits */
#define FIXED_HALF (1 << (FIXED_SHIFT - 1))
#define WIDE_WORDS 16    /* weeks padded to two 512-bit vectors for the class table */
#define TZ_FULL_SLOTS 40 /* 10 hours a week of common start times earn full credit */
#define SENIORITY_UNKNOWN_MENTOR INT32_MAX

typedef struct {
  uint8_t *dense; /* one value per mentor, or NULL when sparse */
  uint32_t *idx;  /* sparse: mentors holding the tag, ascending */
  uint8_t *val;   /* sparse: their values */
  uint32_t n;     /* mentors holding the tag */
} column;

struct mm_scorer {
  const mm_problem *p;
  uint32_t n, m;
  int meeting_slots;
  double wn[MM_CRITERIA]; /* weights normalised to sum 1 */
  int32_t tz_points[TZ_FULL_SLOTS + 1];
  int32_t div_unit; /* fixed-point points per place that differs */
  int32_t max_score;
  /* mentor columns */
  column *skill_col;
  uint32_t n_skill_cols;
  column *goal_col;
  uint32_t n_goal_cols;
  int32_t *loc, *cty, *dep, *sen;
  /* mentor classes */
  uint32_t *mcls; /* per mentor */
  uint32_t n_mcls;
  uint32_t *mcls_week;  /* per class: its week (below) */
  uint64_t *mcls_lang;  /* lang_words per class */
  uint8_t *mcls_haslang, *mcls_active;
  int32_t *mzones;
  uint32_t n_mzones;
  int lang_words;
  /* mentor weeks: the distinct (zone, meeting starts) of the classes (many
   * classes differ by language alone); the class table counts common starts
   * once per week, not once per class */
  uint32_t n_mweeks;
  uint64_t *mweek_starts; /* WIDE_WORDS per week, zero padded */
  uint32_t *mweek_zslot;  /* index into mzones */
  /* mentees */
  uint32_t *ecls;  /* class per mentee */
  uint32_t *eweek; /* per mentee: its (zone, availability), numbered as the classes are */
  uint32_t *order;
  /* per-mentee exclusions (self, manager, forbidden): CSR */
  uint64_t *ex_off;
  uint32_t *ex_mentor;
  uint16_t *ex_why; /* MM_INELIG_* flags, or EX_PENALISED alone */
};

struct mm_score_scratch {
  uint16_t *acc_s, *acc_g;
  int32_t *row;
  /* The current row's class and week tables, filled as entries are asked
   * for: an entry is valid when its stamp equals the epoch, which moves on
   * when a row of another class (week) comes, so nothing is cleared. */
  int32_t *tzt;   /* time-zone points per mentor class; cls_stamp */
  uint64_t *se;   /* WIDE_WORDS per mentor zone; zone_stamp */
  int32_t *pcw;   /* common starts per mentor week; week_stamp */
  uint32_t *cls_stamp, *zone_stamp, *week_stamp;
  uint32_t cls_epoch, week_epoch;
  uint32_t cur_class, cur_week;
  int has_class, has_week;
  uint32_t full_epoch; /* cls_epoch when every class was filled (class_table) */
  uint64_t *lang;
  int32_t *tzrow; /* tzt per mentor of the view tzrow_view, for the class visit tzrow_epoch */
  uint64_t tzrow_view;
  uint32_t tzrow_epoch;
  uint32_t tzrow_len; /* entries of tzrow filled (a prefix of the view) */
  int has_tzrow;
};

static void column_free(column *c) {
  free(c->dense);
  free(c->idx);
  free(c->val);
}

void mm_scorer_free(mm_scorer *s) {
  if (!s) return;
  for (uint32_t t = 0; t < s->n_skill_cols; t++) column_free(&s->skill_col[t]);
  for (uint32_t t = 0; t < s->n_goal_cols; t++) column_free(&s->goal_col[t]);
  free(s->skill_col);
  free(s->goal_col);
  free(s->loc);
  free(s->cty);
  free(s->dep);
  free(s->sen);
  free(s->mcls);
  free(s->mcls_week);
  free(s->mweek_starts);
  free(s->mweek_zslot);
  free(s->eweek);
  free(s->mcls_lang);
  free(s->mcls_haslang);
  free(s->mcls_active);
  free(s->mzones);
  free(s->ecls);
  free(s->order);
  free(s->ex_off);
  free(s->ex_mentor);
  free(s->ex_why);
  free(s);
}

static int32_t points(double weight, double fraction) {
  return (int32_t)llround(10000.0 * weight * fraction);
}

/* Fixed-point points per unit of a criterion that reaches full credit at
 * units_for_full units: the hot loop multiplies and shifts instead of
 * looking a table up, and the per-pair path uses the same arithmetic. */
static int32_t per_unit(double weight, double units_for_full) {
  return (int32_t)llround(10000.0 * weight * (double)(1 << FIXED_SHIFT) / units_for_full);
}

static inline int32_t fixed_points(int32_t units, int32_t unit) {
  return (units * unit + FIXED_HALF) >> FIXED_SHIFT;
}

/* Builds per-tag mentor columns from a side's CSR tag lists. */
static mm_status build_columns(const mm_side_data *M, uint32_t n_tags, const uint32_t *off,
                               const int32_t *tag, const uint8_t *level, column **out) {
  uint32_t m = (uint32_t)M->n;
  column *cols = calloc(n_tags ? n_tags : 1, sizeof *cols);
  if (!cols) return MM_ERR_NOMEM;
  *out = cols;
  for (uint32_t j = 0; j < m; j++)
    for (uint32_t k = off[j]; k < off[j + 1]; k++) cols[tag[k]].n++;
  for (uint32_t t = 0; t < n_tags; t++) {
    column *c = &cols[t];
    if (c->n == 0) continue;
    if ((uint64_t)c->n * 16 >= m) {
      c->dense = calloc(m, 1);
      if (!c->dense) return MM_ERR_NOMEM;
    } else {
      c->idx = malloc(c->n * sizeof *c->idx);
      c->val = malloc(c->n);
      if (!c->idx || !c->val) return MM_ERR_NOMEM;
    }
    c->n = 0;
  }
  for (uint32_t j = 0; j < m; j++) {
    for (uint32_t k = off[j]; k < off[j + 1]; k++) {
      column *c = &cols[tag[k]];
      uint8_t v = level ? level[k] : 1;
      if (c->dense) {
        c->dense[j] = v;
      } else {
        c->idx[c->n] = j;
        c->val[c->n] = v;
      }
      c->n++;
    }
  }
  return MM_OK;
}

/* Sort keys for grouping people into classes. */
typedef struct {
  const mm_week *mask;
  const uint64_t *lang;
  int32_t zone;
  uint32_t index;
  uint32_t lang_words; /* in every key, so sorting needs no global (thread safety) */
  uint8_t active;
} class_key;

static int class_key_cmp(const void *a, const void *b) {
  const class_key *x = a, *y = b;
  if (x->active != y->active) return x->active < y->active ? -1 : 1;
  if (x->zone != y->zone) return x->zone < y->zone ? -1 : 1;
  int c = memcmp(x->mask->w, y->mask->w, sizeof x->mask->w);
  if (c) return c;
  c = memcmp(x->lang, y->lang, (size_t)x->lang_words * sizeof *x->lang);
  if (c) return c;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Same zone and week (keys sorted by class_key_cmp keep these together,
 * within one `active`). */
static bool week_key_same(const class_key *x, const class_key *y) {
  return x->active == y->active && x->zone == y->zone && memcmp(x->mask->w, y->mask->w, sizeof x->mask->w) == 0;
}

static bool class_key_same(const class_key *x, const class_key *y) {
  return week_key_same(x, y) && memcmp(x->lang, y->lang, (size_t)x->lang_words * sizeof *x->lang) == 0;
}

static void lang_bits(const mm_side_data *S, size_t i, int words, uint64_t *out) {
  memset(out, 0, (size_t)words * sizeof *out);
  for (uint32_t k = S->lang_off[i]; k < S->lang_off[i + 1]; k++)
    out[S->lang_tag[k] / 64] |= UINT64_C(1) << (S->lang_tag[k] % 64);
}

static mm_status build_mentor_classes(mm_scorer *s, int threads) {
  const mm_problem *p = s->p;
  const mm_side_data *M = &p->side[MM_MENTOR];
  uint32_t m = s->m;
  int L = s->meeting_slots;
  size_t lw = (size_t)s->lang_words;
  mm_week *starts = malloc((m ? m : 1) * sizeof *starts);
  uint64_t *lang = malloc((m ? m : 1) * lw * sizeof *lang);
  class_key *keys = malloc((m ? m : 1) * sizeof *keys);
  s->mcls = malloc((m ? m : 1) * sizeof *s->mcls);
  if (!starts || !lang || !keys || !s->mcls) {
    free(starts);
    free(lang);
    free(keys);
    return MM_ERR_NOMEM;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (uint32_t j = 0; j < m; j++) {
    mm_week own;
    mm_frame_mentor_mask(p, j, &own);
    mm_week_starts(&own, L, &starts[j]);
    lang_bits(M, j, (int)lw, &lang[j * lw]);
    keys[j] = (class_key){&starts[j], &lang[j * lw], M->zone[j], j, (uint32_t)lw,
                          (uint8_t)(M->capacity[j] > 0)};
  }
  qsort(keys, m, sizeof *keys, class_key_cmp);
  uint32_t n_cls = 0, n_weeks = 0;
  for (uint32_t k = 0; k < m; k++) {
    if (k > 0 && !class_key_same(&keys[k], &keys[k - 1])) n_cls++;
    if (k > 0 && !week_key_same(&keys[k], &keys[k - 1])) n_weeks++;
    s->mcls[keys[k].index] = n_cls;
  }
  if (m) n_cls++, n_weeks++;
  s->n_mcls = n_cls;
  s->n_mweeks = n_weeks;
  s->mcls_week = malloc((n_cls ? n_cls : 1) * sizeof *s->mcls_week);
  s->mweek_starts = calloc((size_t)(n_weeks ? n_weeks : 1) * WIDE_WORDS, sizeof *s->mweek_starts);
  s->mweek_zslot = malloc((n_weeks ? n_weeks : 1) * sizeof *s->mweek_zslot);
  s->mcls_lang = malloc((n_cls ? n_cls : 1) * lw * sizeof *s->mcls_lang);
  s->mcls_haslang = malloc(n_cls ? n_cls : 1);
  s->mcls_active = malloc(n_cls ? n_cls : 1);
  int32_t *zone_slot = malloc((p->n_zones ? p->n_zones : 1) * sizeof *zone_slot);
  s->mzones = malloc((p->n_zones ? p->n_zones : 1) * sizeof *s->mzones);
  if (!s->mcls_week || !s->mweek_starts || !s->mweek_zslot || !s->mcls_lang || !s->mcls_haslang || !s->mcls_active ||
      !zone_slot || !s->mzones) {
    free(starts);
    free(lang);
    free(keys);
    free(zone_slot);
    return MM_ERR_NOMEM;
  }
  for (size_t z = 0; z < p->n_zones; z++) zone_slot[z] = -1;
  s->n_mzones = 0;
  uint32_t week = 0;
  for (uint32_t k = 0; k < m; k++) {
    uint32_t j = keys[k].index, c = s->mcls[j];
    if (k > 0 && s->mcls[keys[k - 1].index] == c) continue;
    int32_t z = M->zone[j];
    if (zone_slot[z] < 0) {
      zone_slot[z] = (int32_t)s->n_mzones;
      s->mzones[s->n_mzones++] = z;
    }
    if (k > 0 && !week_key_same(&keys[k], &keys[k - 1])) week++;
    memcpy(&s->mweek_starts[(size_t)week * WIDE_WORDS], starts[j].w, sizeof starts[j].w);
    s->mweek_zslot[week] = (uint32_t)zone_slot[z];
    s->mcls_week[c] = week;
    memcpy(&s->mcls_lang[c * lw], &lang[j * lw], lw * sizeof *lang);
    s->mcls_haslang[c] = M->lang_off[j + 1] > M->lang_off[j];
    s->mcls_active[c] = M->capacity[j] > 0;
  }
  free(zone_slot);
  free(starts);
  free(lang);
  free(keys);
  return MM_OK;
}

static mm_status build_mentee_classes(mm_scorer *s) {
  const mm_side_data *E = &s->p->side[MM_MENTEE];
  uint32_t n = s->n;
  size_t lw = (size_t)s->lang_words;
  uint64_t *lang = malloc((n ? n : 1) * lw * sizeof *lang);
  class_key *keys = malloc((n ? n : 1) * sizeof *keys);
  s->ecls = malloc((n ? n : 1) * sizeof *s->ecls);
  s->eweek = malloc((n ? n : 1) * sizeof *s->eweek);
  s->order = malloc((n ? n : 1) * sizeof *s->order);
  if (!lang || !keys || !s->ecls || !s->eweek || !s->order) {
    free(lang);
    free(keys);
    return MM_ERR_NOMEM;
  }
  for (uint32_t i = 0; i < n; i++) {
    lang_bits(E, i, (int)lw, &lang[i * lw]);
    keys[i] = (class_key){&E->avail[i], &lang[i * lw], E->zone[i], i, (uint32_t)lw, 1};
  }
  qsort(keys, n, sizeof *keys, class_key_cmp);
  uint32_t c = 0, week = 0;
  for (uint32_t k = 0; k < n; k++) {
    if (k > 0 && !class_key_same(&keys[k], &keys[k - 1])) c++;
    if (k > 0 && !week_key_same(&keys[k], &keys[k - 1])) week++;
    s->ecls[keys[k].index] = c;
    s->eweek[keys[k].index] = week;
    s->order[k] = keys[k].index;
  }
  free(lang);
  free(keys);
  return MM_OK;
}

/* An earlier pair under previous = penalise:X: eligible, with X taken off. */
#define EX_PENALISED (1u << 8)

typedef struct {
  uint32_t mentee, mentor;
  uint16_t why;
} exclusion;

static int exclusion_cmp(const void *a, const void *b) {
  const exclusion *x = a, *y = b;
  if (x->mentee != y->mentee) return x->mentee < y->mentee ? -1 : 1;
  return x->mentor < y->mentor ? -1 : x->mentor > y->mentor;
}

/* Pairs excluded by identity, management or a forbid rule, merged per mentee.
 * Identity is people.c's: rows joined by a shared id across the sides or a
 * shared e-mail, transitively, so a mentee is never paired with any mentor
 * row of the same person. */
static mm_status build_exclusions(mm_scorer *s) {
  const mm_problem *p = s->p;
  const mm_side_data *E = &p->side[MM_MENTEE];
  mm_people people;
  if (mm_people_build(p, &people, NULL) != MM_OK) return MM_ERR_NOMEM;
  /* Mentor rows of each person, as CSR. */
  uint32_t *first = calloc((size_t)people.n + 1, sizeof *first);
  uint32_t *rows = malloc((s->m ? s->m : 1) * sizeof *rows);
  if (!first || !rows) {
    free(first);
    free(rows);
    mm_people_free(&people);
    return MM_ERR_NOMEM;
  }
  for (uint32_t j = 0; j < s->m; j++) first[people.of_mentor[j] + 1]++;
  for (uint32_t k = 0; k < people.n; k++) first[k + 1] += first[k];
  for (uint32_t j = 0; j < s->m; j++) rows[first[people.of_mentor[j]]++] = j;
  for (uint32_t k = people.n; k > 0; k--) first[k] = first[k - 1];
  first[0] = 0;
  size_t cap = (size_t)s->n + p->n_rules + p->n_previous + 1, n_ex = 0;
  for (uint32_t i = 0; i < s->n; i++) {
    uint32_t who = people.of_mentee[i];
    cap += first[who + 1] - first[who];
  }
  exclusion *ex = malloc(cap * sizeof *ex);
  if (!ex) {
    free(first);
    free(rows);
    mm_people_free(&people);
    return MM_ERR_NOMEM;
  }
  for (uint32_t i = 0; i < s->n; i++) {
    uint32_t who = people.of_mentee[i];
    for (uint32_t k = first[who]; k < first[who + 1]; k++) ex[n_ex++] = (exclusion){i, rows[k], MM_INELIG_SELF};
    if (E->manager_id[i][0]) {
      int32_t boss = mm_dict_find_exact(&p->ids[MM_MENTOR], E->manager_id[i]);
      if (boss >= 0) ex[n_ex++] = (exclusion){i, (uint32_t)boss, MM_INELIG_MANAGER};
    }
  }
  free(first);
  free(rows);
  mm_people_free(&people);
  for (size_t k = 0; k < p->n_rules; k++)
    if (p->rules[k].rule == MM_RULE_FORBID)
      ex[n_ex++] = (exclusion){p->rules[k].mentee, p->rules[k].mentor, MM_INELIG_FORBIDDEN};
  uint16_t history = p->opt.previous_penalty == MM_PREVIOUS_FORBID ? MM_INELIG_HISTORY : EX_PENALISED;
  for (size_t k = 0; k < p->n_previous; k++)
    ex[n_ex++] = (exclusion){p->previous[k].mentee, p->previous[k].mentor, history};
  qsort(ex, n_ex, sizeof *ex, exclusion_cmp);
  s->ex_off = calloc((size_t)s->n + 1, sizeof *s->ex_off);
  s->ex_mentor = malloc((n_ex ? n_ex : 1) * sizeof *s->ex_mentor);
  s->ex_why = malloc((n_ex ? n_ex : 1) * sizeof *s->ex_why);
  if (!s->ex_off || !s->ex_mentor || !s->ex_why) {
    free(ex);
    return MM_ERR_NOMEM;
  }
  size_t out = 0;
  for (size_t k = 0; k < n_ex; k++) {
    if (out > 0 && ex[k].mentee == ex[k - 1].mentee && ex[k].mentor == s->ex_mentor[out - 1]) {
      s->ex_why[out - 1] |= ex[k].why;
      continue;
    }
    s->ex_mentor[out] = ex[k].mentor;
    s->ex_why[out] = ex[k].why;
    s->ex_off[ex[k].mentee + 1]++;
    out++;
  }
  for (uint32_t i = 0; i < s->n; i++) s->ex_off[i + 1] += s->ex_off[i];
  free(ex);
  return MM_OK;
}

mm_scorer *mm_scorer_create(const mm_problem *p, int threads, mm_error *e) {
  mm_scorer *s = calloc(1, sizeof *s);
  if (!s) {
    mm_error_set(e, NULL, "out of memory building the scorer");
    return NULL;
  }
  const mm_side_data *M = &p->side[MM_MENTOR];
  if (threads <= 0) threads = omp_get_max_threads();
  s->p = p;
  s->n = (uint32_t)p->side[MM_MENTEE].n;
  s->m = (uint32_t)M->n;
  s->meeting_slots = mm_frame_meeting_slots(p);
  double total = 0;
  for (int c = 0; c < MM_CRITERIA; c++) total += p->opt.weight[c];
  for (int c = 0; c < MM_CRITERIA; c++) s->wn[c] = p->opt.weight[c] / total;
  for (int k = 0; k <= TZ_FULL_SLOTS; k++)
    s->tz_points[k] = points(s->wn[MM_CRIT_TIMEZONE], (double)k / TZ_FULL_SLOTS);
  s->div_unit = per_unit(s->wn[MM_CRIT_DIVERSITY], 3);
  /* Fixed-point rounding can add a point per criterion at most. */
  s->max_score = 10000 + MM_CRITERIA;
  s->lang_words = (int)((p->languages.n + 63) / 64);
  if (s->lang_words == 0) s->lang_words = 1;
  uint32_t m = s->m;
  s->loc = malloc((m ? m : 1) * sizeof *s->loc);
  s->cty = malloc((m ? m : 1) * sizeof *s->cty);
  s->dep = malloc((m ? m : 1) * sizeof *s->dep);
  s->sen = malloc((m ? m : 1) * sizeof *s->sen);
  mm_status st = MM_ERR_NOMEM;
  if (!s->loc || !s->cty || !s->dep || !s->sen) goto fail;
  for (uint32_t j = 0; j < m; j++) {
    s->loc[j] = M->location[j];
    s->cty[j] = M->country[j];
    s->dep[j] = M->department[j];
    s->sen[j] = M->seniority[j] == MM_NO_SENIORITY ? SENIORITY_UNKNOWN_MENTOR : M->seniority[j];
  }
  s->n_skill_cols = p->skills.n;
  s->n_goal_cols = p->goals.n;
  if ((st = build_columns(M, s->n_skill_cols, M->skill_off, M->skill_tag, M->skill_level,
                          &s->skill_col)) != MM_OK)
    goto fail;
  if ((st = build_columns(M, s->n_goal_cols, M->goal_off, M->goal_tag, NULL, &s->goal_col)) != MM_OK)
    goto fail;
  if ((st = build_mentor_classes(s, threads)) != MM_OK) goto fail;
  if ((st = build_mentee_classes(s)) != MM_OK) goto fail;
  if ((st = build_exclusions(s)) != MM_OK) goto fail;
  return s;
fail:
  mm_error_set(e, NULL, "out of memory building the scorer (%u mentees, %u mentors)", s->n, s->m);
  mm_scorer_free(s);
  return NULL;
}

const uint32_t *mm_scorer_order(const mm_scorer *s) { return s->order; }
int32_t mm_scorer_max_score(const mm_scorer *s) { return s->max_score; }
uint32_t mm_scorer_mentees(const mm_scorer *s) { return s->n; }
const mm_problem *mm_scorer_problem(const mm_scorer *s) { return s->p; }
uint32_t mm_scorer_mentors(const mm_scorer *s) { return s->m; }

mm_score_scratch *mm_score_scratch_create(const mm_scorer *s) {
  mm_score_scratch *x = calloc(1, sizeof *x);
  if (!x) return NULL;
  size_t m = s->m ? s->m : 1;
  x->acc_s = malloc(m * sizeof *x->acc_s);
  x->acc_g = malloc(m * sizeof *x->acc_g);
  x->row = malloc(m * sizeof *x->row);
  x->tzt = malloc((s->n_mcls ? s->n_mcls : 1) * sizeof *x->tzt);
  x->se = calloc((size_t)(s->n_mzones ? s->n_mzones : 1) * WIDE_WORDS, sizeof *x->se);
  x->pcw = malloc((s->n_mweeks ? s->n_mweeks : 1) * sizeof *x->pcw);
  x->tzrow = malloc(m * sizeof *x->tzrow);
  x->lang = malloc((size_t)s->lang_words * sizeof *x->lang);
  x->cls_stamp = calloc(s->n_mcls ? s->n_mcls : 1, sizeof *x->cls_stamp);
  x->zone_stamp = calloc(s->n_mzones ? s->n_mzones : 1, sizeof *x->zone_stamp);
  x->week_stamp = calloc(s->n_mweeks ? s->n_mweeks : 1, sizeof *x->week_stamp);
  if (!x->acc_s || !x->acc_g || !x->row || !x->tzt || !x->se || !x->pcw || !x->tzrow || !x->lang ||
      !x->cls_stamp || !x->zone_stamp || !x->week_stamp) {
    mm_score_scratch_free(x);
    return NULL;
  }
  return x;
}

void mm_score_scratch_free(mm_score_scratch *x) {
  if (!x) return;
  free(x->acc_s);
  free(x->acc_g);
  free(x->row);
  free(x->tzt);
  free(x->se);
  free(x->pcw);
  free(x->tzrow);
  free(x->lang);
  free(x->cls_stamp);
  free(x->zone_stamp);
  free(x->week_stamp);
  free(x);
}

/* Time-zone points (or -1: no common meeting time, or no shared language)
 * of one mentee against every mentor class. */
MM_MULTIVERSION
static int32_t common_starts(const uint64_t *restrict a, const uint64_t *restrict b) {
  int32_t pc = 0;
  for (int w = 0; w < WIDE_WORDS; w++) pc += (int32_t)__builtin_popcountll(a[w] & b[w]);
  return pc;
}

/* Moves an epoch on; at the wrap the stamps are cleared, so no stale one
 * can match. */
static void next_epoch(uint32_t *epoch, uint32_t *stamps, size_t n, uint32_t *more, size_t n_more) {
  if (++*epoch != 0) return;
  memset(stamps, 0, n * sizeof *stamps);
  if (more) memset(more, 0, n_more * sizeof *more);
  *epoch = 1;
}

/* Starts the tables over when row i is of another class (week) than the
 * last row: its language bits now, every other entry when asked for. */
static void enter_row(const mm_scorer *s, mm_score_scratch *x, uint32_t i) {
  if (x->has_class && x->cur_class == s->ecls[i]) return;
  x->has_class = 1;
  x->cur_class = s->ecls[i];
  next_epoch(&x->cls_epoch, x->cls_stamp, s->n_mcls, NULL, 0);
  lang_bits(&s->p->side[MM_MENTEE], i, s->lang_words, x->lang);
  x->has_tzrow = 0;
  if (x->has_week && x->cur_week == s->eweek[i]) return;
  x->has_week = 1;
  x->cur_week = s->eweek[i];
  next_epoch(&x->week_epoch, x->week_stamp, s->n_mweeks, x->zone_stamp, s->n_mzones);
}

/* Row i's meeting starts seen from mentor zone slot z. */
static const uint64_t *zone_starts(const mm_scorer *s, mm_score_scratch *x, uint32_t i, uint32_t z) {
  uint64_t *at = &x->se[(size_t)z * WIDE_WORDS];
  if (x->zone_stamp[z] != x->week_epoch) {
    mm_week in, starts;
    mm_frame_mentee_in(s->p, i, s->mzones[z], &in);
    mm_week_starts(&in, s->meeting_slots, &starts);
    memcpy(at, starts.w, sizeof starts.w);
    x->zone_stamp[z] = x->week_epoch;
  }
  return at;
}

/* Row i's common meeting starts with mentor week w. */
static int32_t week_common(const mm_scorer *s, mm_score_scratch *x, uint32_t i, uint32_t w) {
  if (x->week_stamp[w] != x->week_epoch) {
    x->pcw[w] = common_starts(zone_starts(s, x, i, s->mweek_zslot[w]), &s->mweek_starts[(size_t)w * WIDE_WORDS]);
    x->week_stamp[w] = x->week_epoch;
  }
  return x->pcw[w];
}

/* Row i's time-zone points with mentor class c (or -1: no common meeting
 * time, or no shared language). */
static int32_t class_tz(const mm_scorer *s, mm_score_scratch *x, uint32_t i, uint32_t c) {
  if (x->cls_stamp[c] == x->cls_epoch) return x->tzt[c];
  int32_t v = -1;
  bool lang_ok = true;
  if (s->p->side[MM_MENTEE].lang_off[i + 1] > s->p->side[MM_MENTEE].lang_off[i] && s->mcls_haslang[c]) {
    uint64_t common = 0;
    for (int w = 0; w < s->lang_words; w++) common |= x->lang[w] & s->mcls_lang[(size_t)c * s->lang_words + w];
    lang_ok = common != 0;
  }
  if (s->mcls_active[c] && lang_ok) {
    int32_t pc = week_common(s, x, i, s->mcls_week[c]);
    if (pc > 0) v = s->tz_points[pc < TZ_FULL_SLOTS ? pc : TZ_FULL_SLOTS];
  }
  x->tzt[c] = v;
  x->cls_stamp[c] = x->cls_epoch;
  return v;
}

/* Every class's entry at once, for a row scored against every mentor. */
static void class_table(const mm_scorer *s, mm_score_scratch *x, uint32_t i) {
  if (x->full_epoch == x->cls_epoch) return;
  for (uint32_t c = 0; c < s->n_mcls; c++) class_tz(s, x, i, c);
  x->full_epoch = x->cls_epoch;
}

/* A dense tag column as a row adds it: min(level, wanted) * LEVEL_LCM / wanted. */
typedef struct {
  const uint8_t *col;
  unsigned wanted, per_level;
} dense_term;

/* acc = (first ? 0 : acc) + a's and b's points (b.col NULL: a's alone), in
 * one pass: a row's popular tags are added two at a time, the first pair
 * over acc's old contents, so the row needs no separate clearing. */
MM_MULTIVERSION
static void add_dense_levels(uint16_t *restrict acc, dense_term a, dense_term b, uint32_t m, int first) {
  const uint8_t *restrict ca = a.col, *restrict cb = b.col;
  for (uint32_t j = 0; j < m; j++) {
    unsigned la = ca[j], lb = cb ? cb[j] : 0;
    la = la < a.wanted ? la : a.wanted;
    lb = lb < b.wanted ? lb : b.wanted;
    acc[j] = (uint16_t)((first ? 0u : acc[j]) + la * a.per_level + lb * b.per_level);
  }
}

/* Sparse entries are ascending by mentor position, so a row scored against
 * the first m mentors of a view stops at the first beyond them. */
static void add_sparse_levels(uint16_t *acc, const column *c, unsigned wanted, uint32_t m) {
  unsigned per_level = LEVEL_LCM / wanted;
  for (uint32_t k = 0; k < c->n && c->idx[k] < m; k++) {
    unsigned l = c->val[k] < wanted ? c->val[k] : wanted;
    acc[c->idx[k]] = (uint16_t)(acc[c->idx[k]] + l * per_level);
  }
}

/* acc = the points of tags[k0..k1) over the m mentors of cols (level[k]
 * the level wanted, or LEVEL_LCM for every tag when level is NULL: goal
 * columns hold 1 per mentor).  Integer sums, so the order the columns are
 * added in changes nothing. */
static void sum_columns(uint16_t *acc, const column *cols, uint32_t n_cols, const int32_t *tags,
                        const uint8_t *level, uint32_t k0, uint32_t k1, uint32_t m) {
  dense_term held = {NULL, 0, 0};
  int first = 1;
  for (uint32_t k = k0; k < k1; k++) {
    uint32_t t = (uint32_t)tags[k];
    if (t >= n_cols || !cols[t].n || !cols[t].dense) continue;
    unsigned w = level ? level[k] : LEVEL_LCM;
    dense_term d = {cols[t].dense, w, LEVEL_LCM / w};
    if (!held.col) {
      held = d;
      continue;
    }
    add_dense_levels(acc, held, d, m, first);
    first = 0;
    held.col = NULL;
  }
  if (held.col) {
    add_dense_levels(acc, held, (dense_term){NULL, 0, 0}, m, first);
    first = 0;
  }
  if (first) memset(acc, 0, m * sizeof *acc);
  for (uint32_t k = k0; k < k1; k++) {
    uint32_t t = (uint32_t)tags[k];
    if (t < n_cols && cols[t].n && !cols[t].dense) add_sparse_levels(acc, &cols[t], level ? level[k] : LEVEL_LCM, m);
  }
}

typedef struct {
  int32_t loc, cty, dep;
  int32_t has_loc, has_cty, has_dep;
  int32_t min_mentor_seniority;
  int32_t skill_unit, goal_unit, div_unit; /* fixed-point points per unit */
} mentee_facts;

MM_MULTIVERSION
static void combine_row(int32_t *restrict row, uint32_t m, const uint16_t *restrict acc_s,
                        const uint16_t *restrict acc_g, const int32_t *restrict tzrow, const int32_t *restrict loc,
                        const int32_t *restrict cty, const int32_t *restrict dep,
                        const int32_t *restrict sen, mentee_facts f) {
  for (uint32_t j = 0; j < m; j++) {
    int32_t tz = tzrow[j];
    int32_t d = ((loc[j] != f.loc) & (loc[j] >= 0) & f.has_loc) +
                ((cty[j] != f.cty) & (cty[j] >= 0) & f.has_cty) +
                ((dep[j] != f.dep) & (dep[j] >= 0) & f.has_dep);
    int32_t score = fixed_points(acc_s[j], f.skill_unit) + fixed_points(acc_g[j], f.goal_unit) +
                    fixed_points(d, f.div_unit) + tz;
    int32_t ok = (tz >= 0) & (sen[j] >= f.min_mentor_seniority);
    row[j] = ok ? score : -1;
  }
}

static mentee_facts facts_of(const mm_scorer *s, uint32_t i) {
  const mm_side_data *E = &s->p->side[MM_MENTEE];
  mentee_facts f;
  f.loc = E->location[i];
  f.cty = E->country[i];
  f.dep = E->department[i];
  f.has_loc = f.loc >= 0;
  f.has_cty = f.cty >= 0;
  f.has_dep = f.dep >= 0;
  /* Unknown mentee seniority admits every mentor; unknown mentor seniority
   * is stored as INT32_MAX, which passes every threshold. */
  f.min_mentor_seniority =
      E->seniority[i] == MM_NO_SENIORITY ? INT32_MIN : E->seniority[i] + s->p->opt.seniority_gap;
  uint32_t nw = E->skill_off[i + 1] - E->skill_off[i];
  uint32_t ng = E->goal_off[i + 1] - E->goal_off[i];
  f.skill_unit = nw ? per_unit(s->wn[MM_CRIT_SKILLS], (double)LEVEL_LCM * nw) : 0;
  f.goal_unit = ng ? per_unit(s->wn[MM_CRIT_GOALS], ng) : 0;
  f.div_unit = s->div_unit;
  return f;
}

/* A penalised earlier pair's score: lowered, never below 0. */
static int32_t penalise(const mm_scorer *s, int32_t score) {
  int32_t left = score - s->p->opt.previous_penalty;
  return left > 0 ? left : 0;
}

/* The mentor side as a row is scored against it: every mentor (the
 * scorer's own arrays, pos NULL) or a packed subset (mm_score_cols). */
typedef struct {
  uint32_t m;
  const column *skill_col, *goal_col;
  uint32_t n_skill_cols, n_goal_cols;
  const int32_t *loc, *cty, *dep, *sen;
  const uint32_t *mcls;
  const uint32_t *pos; /* per mentor: its place in the subset or UINT32_MAX; NULL: all */
  uint64_t id;         /* 0: every mentor; each packed subset its own (scratch caches by it) */
} mentor_view;

/* Gives each packed subset its id; one may be freed and another allocated
 * at the same address, so addresses cannot tell them apart. */
static atomic_uint_fast64_t last_view_id;

/* Row i's time-zone points for the first m mentors of the view, in the
 * scratch: a gather through the mentor classes once per class of mentees
 * and view instead of once per row (rows come grouped by class), extended
 * when a later row of the class asks for more of the view.  Against every
 * mentor the whole class table is made at once; a packed subset (a proof
 * round's few mentors) asks only for the classes it holds. */
static const int32_t *tz_row(const mm_scorer *s, const mentor_view *v, mm_score_scratch *x, uint32_t i, uint32_t m) {
  enter_row(s, x, i);
  if (!x->has_tzrow || x->tzrow_view != v->id || x->tzrow_epoch != x->cls_epoch) {
    x->tzrow_view = v->id;
    x->tzrow_epoch = x->cls_epoch;
    x->tzrow_len = 0;
    x->has_tzrow = 1;
  }
  if (!v->pos) {
    class_table(s, x, i);
    for (uint32_t j = x->tzrow_len; j < m; j++) x->tzrow[j] = x->tzt[v->mcls[j]];
  } else {
    for (uint32_t j = x->tzrow_len; j < m; j++) x->tzrow[j] = class_tz(s, x, i, v->mcls[j]);
  }
  if (m > x->tzrow_len) x->tzrow_len = m;
  return x->tzrow;
}

/* Scores row i against the first m mentors of the view. */
static const int32_t *score_view(const mm_scorer *s, const mentor_view *v, mm_score_scratch *x, uint32_t i,
                                 uint32_t m) {
  const mm_side_data *E = &s->p->side[MM_MENTEE];
  const int32_t *tz = tz_row(s, v, x, i, m);
  sum_columns(x->acc_s, v->skill_col, v->n_skill_cols, E->skill_tag, E->skill_level, E->skill_off[i],
              E->skill_off[i + 1], m);
  sum_columns(x->acc_g, v->goal_col, v->n_goal_cols, E->goal_tag, NULL, E->goal_off[i], E->goal_off[i + 1], m);
  combine_row(x->row, m, x->acc_s, x->acc_g, tz, v->loc, v->cty, v->dep, v->sen, facts_of(s, i));
  for (uint64_t k = s->ex_off[i]; k < s->ex_off[i + 1]; k++) {
    uint32_t t = v->pos ? v->pos[s->ex_mentor[k]] : s->ex_mentor[k];
    if (t >= m) continue;
    int32_t *cell = &x->row[t];
    *cell = s->ex_why[k] != EX_PENALISED ? -1 : *cell < 0 ? -1 : penalise(s, *cell);
  }
  return x->row;
}

const int32_t *mm_score_row(const mm_scorer *s, mm_score_scratch *x, uint32_t i) {
  mentor_view all = {s->m,   s->skill_col, s->goal_col, s->n_skill_cols, s->n_goal_cols, s->loc, s->cty, s->dep,
                     s->sen, s->mcls,      NULL,          0};
  return score_view(s, &all, x, i, s->m);
}

struct mm_score_cols {
  mentor_view v;
  column *skill_col, *goal_col;
  int32_t *loc, *cty, *dep, *sen;
  uint32_t *mcls, *pos;
};

void mm_score_cols_free(mm_score_cols *c) {
  if (!c) return;
  for (uint32_t t = 0; c->skill_col && t < c->v.n_skill_cols; t++) column_free(&c->skill_col[t]);
  for (uint32_t t = 0; c->goal_col && t < c->v.n_goal_cols; t++) column_free(&c->goal_col[t]);
  free(c->skill_col);
  free(c->goal_col);
  free(c->loc);
  free(c->cty);
  free(c->dep);
  free(c->sen);
  free(c->mcls);
  free(c->pos);
  free(c);
}

/* A sparse entry while a packed column is put in position order. */
typedef struct {
  uint32_t idx;
  uint8_t val;
} sparse_entry;

static int sparse_entry_cmp(const void *a, const void *b) {
  uint32_t x = ((const sparse_entry *)a)->idx, y = ((const sparse_entry *)b)->idx;
  return (x > y) - (x < y);
}

/* Sorts a packed sparse column by position (the subset need not list its
 * mentors in index order); 0 when memory is short. */
static int sort_sparse(column *c) {
  sparse_entry *e = malloc((c->n ? c->n : 1) * sizeof *e);
  if (!e) return 0;
  for (uint32_t q = 0; q < c->n; q++) e[q] = (sparse_entry){c->idx[q], c->val[q]};
  qsort(e, c->n, sizeof *e, sparse_entry_cmp);
  for (uint32_t q = 0; q < c->n; q++) {
    c->idx[q] = e[q].idx;
    c->val[q] = e[q].val;
  }
  free(e);
  return 1;
}

/* A tag column restricted to the subset (pos), dense or sparse as it was,
 * its sparse entries in the subset's order;
 * 0 when memory is short. */
static int pack_column(const column *from, const uint32_t *cols, const uint32_t *pos, uint32_t k, column *to) {
  to->n = from->n;
  if (from->n == 0) return 1;
  if (from->dense) {
    to->dense = malloc(k ? k : 1);
    if (!to->dense) return 0;
    for (uint32_t t = 0; t < k; t++) to->dense[t] = from->dense[cols[t]];
    return 1;
  }
  uint32_t n = 0;
  for (uint32_t q = 0; q < from->n; q++) n += pos[from->idx[q]] != UINT32_MAX;
  to->n = n;
  to->idx = malloc((n ? n : 1) * sizeof *to->idx);
  to->val = malloc(n ? n : 1);
  if (!to->idx || !to->val) return 0;
  n = 0;
  bool ascending = true;
  for (uint32_t q = 0; q < from->n; q++) {
    uint32_t t = pos[from->idx[q]];
    if (t == UINT32_MAX) continue;
    ascending = ascending && (n == 0 || to->idx[n - 1] < t);
    to->idx[n] = t;
    to->val[n++] = from->val[q];
  }
  return ascending || sort_sparse(to);
}

mm_score_cols *mm_score_cols_create(const mm_scorer *s, const uint32_t *cols, uint32_t k) {
  mm_score_cols *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  size_t kk = k ? k : 1;
  c->loc = malloc(kk * sizeof *c->loc);
  c->cty = malloc(kk * sizeof *c->cty);
  c->dep = malloc(kk * sizeof *c->dep);
  c->sen = malloc(kk * sizeof *c->sen);
  c->mcls = malloc(kk * sizeof *c->mcls);
  c->pos = malloc((s->m ? s->m : 1) * sizeof *c->pos);
  c->skill_col = calloc(s->n_skill_cols ? s->n_skill_cols : 1, sizeof *c->skill_col);
  c->goal_col = calloc(s->n_goal_cols ? s->n_goal_cols : 1, sizeof *c->goal_col);
  c->v.n_skill_cols = s->n_skill_cols;
  c->v.n_goal_cols = s->n_goal_cols;
  bool ok = c->loc && c->cty && c->dep && c->sen && c->mcls && c->pos && c->skill_col && c->goal_col;
  for (uint32_t j = 0; ok && j < s->m; j++) c->pos[j] = UINT32_MAX;
  for (uint32_t t = 0; ok && t < k; t++) {
    uint32_t j = cols[t];
    c->pos[j] = t;
    c->loc[t] = s->loc[j];
    c->cty[t] = s->cty[j];
    c->dep[t] = s->dep[j];
    c->sen[t] = s->sen[j];
    c->mcls[t] = s->mcls[j];
  }
  for (uint32_t t = 0; ok && t < s->n_skill_cols; t++)
    ok = pack_column(&s->skill_col[t], cols, c->pos, k, &c->skill_col[t]);
  for (uint32_t t = 0; ok && t < s->n_goal_cols; t++)
    ok = pack_column(&s->goal_col[t], cols, c->pos, k, &c->goal_col[t]);
  if (!ok) {
    mm_score_cols_free(c);
    return NULL;
  }
  c->v = (mentor_view){k,      c->skill_col, c->goal_col, s->n_skill_cols, s->n_goal_cols, c->loc,
                       c->cty, c->dep,       c->sen,      c->mcls,         c->pos,
                       atomic_fetch_add(&last_view_id, 1) + 1};
  return c;
}

const int32_t *mm_score_cols_row(const mm_scorer *s, const mm_score_cols *c, mm_score_scratch *x, uint32_t i) {
  return score_view(s, &c->v, x, i, c->v.m);
}

const int32_t *mm_score_cols_prefix(const mm_scorer *s, const mm_score_cols *c, mm_score_scratch *x, uint32_t i,
                                    uint32_t k) {
  return score_view(s, &c->v, x, i, k < c->v.m ? k : c->v.m);
}

unsigned mm_score_rules(const mm_scorer *s, uint32_t i, uint32_t j) {
  const mm_problem *p = s->p;
  const mm_side_data *E = &p->side[MM_MENTEE], *M = &p->side[MM_MENTOR];
  unsigned flags = 0;
  for (uint64_t k = s->ex_off[i]; k < s->ex_off[i + 1]; k++)
    if (s->ex_mentor[k] == j) flags |= s->ex_why[k] & ~EX_PENALISED;
  if (M->capacity[j] == 0) flags |= MM_INELIG_CAPACITY0;
  if (E->lang_off[i + 1] > E->lang_off[i] && M->lang_off[j + 1] > M->lang_off[j]) {
    bool shared = false;
    for (uint32_t a = E->lang_off[i]; a < E->lang_off[i + 1]; a++)
      for (uint32_t b = M->lang_off[j]; b < M->lang_off[j + 1]; b++)
        shared = shared || E->lang_tag[a] == M->lang_tag[b];
    if (!shared) flags |= MM_INELIG_LANGUAGE;
  }
  if (E->seniority[i] != MM_NO_SENIORITY && M->seniority[j] != MM_NO_SENIORITY &&
      (int64_t)M->seniority[j] - E->seniority[i] < p->opt.seniority_gap)
    flags |= MM_INELIG_SENIORITY;
  return flags;
}

int32_t mm_score_pair(const mm_scorer *s, uint32_t i, uint32_t j, int32_t part[MM_CRITERIA],
                      unsigned *why) {
  const mm_problem *p = s->p;
  const mm_side_data *E = &p->side[MM_MENTEE], *M = &p->side[MM_MENTOR];
  unsigned flags = mm_score_rules(s, i, j);
  mm_week starts;
  mm_frame_pair_starts(p, i, j, &starts);
  int pc = mm_week_count(&starts);
  if (pc == 0) flags |= MM_INELIG_OVERLAP;

  uint32_t skill_units = 0, goals_hit = 0;
  for (uint32_t a = E->skill_off[i]; a < E->skill_off[i + 1]; a++) {
    for (uint32_t b = M->skill_off[j]; b < M->skill_off[j + 1]; b++) {
      if (M->skill_tag[b] != E->skill_tag[a]) continue;
      unsigned wanted = E->skill_level[a], l = M->skill_level[b];
      skill_units += (l < wanted ? l : wanted) * (LEVEL_LCM / wanted);
    }
  }
  for (uint32_t a = E->goal_off[i]; a < E->goal_off[i + 1]; a++)
    for (uint32_t b = M->goal_off[j]; b < M->goal_off[j + 1]; b++) goals_hit += M->goal_tag[b] == E->goal_tag[a];
  mentee_facts f = facts_of(s, i);
  int d = (f.has_loc && M->location[j] >= 0 && M->location[j] != f.loc) +
          (f.has_cty && M->country[j] >= 0 && M->country[j] != f.cty) +
          (f.has_dep && M->department[j] >= 0 && M->department[j] != f.dep);
  int32_t parts[MM_CRITERIA];
  parts[MM_CRIT_SKILLS] = fixed_points((int32_t)skill_units, f.skill_unit);
  parts[MM_CRIT_GOALS] = fixed_points((int32_t)goals_hit, f.goal_unit);
  parts[MM_CRIT_TIMEZONE] = s->tz_points[pc < TZ_FULL_SLOTS ? pc : TZ_FULL_SLOTS];
  parts[MM_CRIT_DIVERSITY] = fixed_points(d, f.div_unit);
  if (part) memcpy(part, parts, sizeof parts);
  if (why) *why = flags;
  if (flags) return -1;
  int32_t total = parts[0] + parts[1] + parts[2] + parts[3];
  for (uint64_t k = s->ex_off[i]; k < s->ex_off[i + 1]; k++)
    if (s->ex_mentor[k] == j && s->ex_why[k] == EX_PENALISED) return penalise(s, total);
  return total;
}
