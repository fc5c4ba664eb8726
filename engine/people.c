/* people.c: who is one person: rows joined by a shared id across the two sides or a shared e-mail.
 *
 * Someone can be listed as a mentor and as a mentee, under the same id or
 * under different ids with the same address (compared case-insensitively,
 * the way eligibility compares them), and has one diary either way: the
 * scheduler and the joint model both book meetings per person, never per
 * row.  Rows are joined with a union-find and the groups numbered densely in
 * a fixed order (mentor rows by index, then mentee rows), so the numbering
 * depends on the rosters only.
 */
#include "internal.h"

#include <stdlib.h>

static size_t root_of(size_t *parent, size_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

static void join(size_t *parent, size_t a, size_t b) {
  a = root_of(parent, a);
  b = root_of(parent, b);
  if (a != b) parent[a < b ? b : a] = a < b ? a : b;
}

mm_status mm_people_build(const mm_problem *p, mm_people *out, mm_error *e) {
  size_t m = p->side[MM_MENTOR].n, n = p->side[MM_MENTEE].n, rows = m + n;
  size_t n_mail = p->emails.n;
  out->of_mentor = malloc((m ? m : 1) * sizeof *out->of_mentor);
  out->of_mentee = malloc((n ? n : 1) * sizeof *out->of_mentee);
  out->n = 0;
  size_t *parent = malloc((rows ? rows : 1) * sizeof *parent);
  size_t *first_with_mail = malloc((n_mail ? n_mail : 1) * sizeof *first_with_mail);
  uint32_t *number = malloc((rows ? rows : 1) * sizeof *number);
  if (!out->of_mentor || !out->of_mentee || !parent || !first_with_mail || !number) {
    free(parent);
    free(first_with_mail);
    free(number);
    mm_people_free(out);
    mm_error_set(e, NULL, "out of memory grouping people by id and e-mail");
    return MM_ERR_NOMEM;
  }
  for (size_t r = 0; r < rows; r++) parent[r] = r;
  for (size_t k = 0; k < n_mail; k++) first_with_mail[k] = SIZE_MAX;
  /* Row r < m is mentor r, row m + i is mentee i. */
  for (size_t r = 0; r < rows; r++) {
    const mm_side_data *S = r < m ? &p->side[MM_MENTOR] : &p->side[MM_MENTEE];
    int32_t key = S->email_key[r < m ? r : r - m];
    if (key < 0) continue;
    if (first_with_mail[key] == SIZE_MAX) {
      first_with_mail[key] = r;
    } else {
      join(parent, first_with_mail[key], r);
    }
  }
  for (size_t i = 0; i < n && m > 0; i++) {
    int32_t j = mm_dict_find_exact(&p->ids[MM_MENTOR], p->side[MM_MENTEE].id[i]);
    if (j >= 0 && (size_t)j < m) join(parent, (size_t)j, m + i);
  }
  for (size_t r = 0; r < rows; r++) number[r] = UINT32_MAX;
  for (size_t r = 0; r < rows; r++) {
    size_t root = root_of(parent, r);
    if (number[root] == UINT32_MAX) number[root] = out->n++;
    if (r < m) {
      out->of_mentor[r] = number[root];
    } else {
      out->of_mentee[r - m] = number[root];
    }
  }
  free(parent);
  free(first_with_mail);
  free(number);
  return MM_OK;
}

void mm_people_free(mm_people *pp) {
  if (!pp) return;
  free(pp->of_mentor);
  free(pp->of_mentee);
  pp->of_mentor = pp->of_mentee = NULL;
  pp->n = 0;
}

mm_status mm_problem_people(const mm_problem *p, size_t *mentor_person, size_t *mentee_person, mm_error *e) {
  mm_people pp;
  mm_status st = mm_people_build(p, &pp, e);
  if (st != MM_OK) return st;
  for (size_t j = 0; j < p->side[MM_MENTOR].n; j++) mentor_person[j] = pp.of_mentor[j];
  for (size_t i = 0; i < p->side[MM_MENTEE].n; i++) mentee_person[i] = pp.of_mentee[i];
  mm_people_free(&pp);
  return MM_OK;
}
