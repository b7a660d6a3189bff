/* Folding follow-on failures under their cause. A verifier declares its
 * roots (sc_report_depends): a condition whose failure means a value that
 * later steps use is wrong (a manifest that no longer hashes to H_B makes
 * H_E, so every H_I, challenge and code after it, differ). A failure of a
 * declared dependent then "follows" the earliest failed root that covers
 * it; the text printer says it once with a count, --json marks each. */
#include <string.h>

#include "report/report_int.h"

/* Does the space-separated list `deps` name `cond` ("V6.D") or its step
 * ("V6")? */
static int covers(const char *deps, const char *cond)
{
    size_t clen = strlen(cond), slen = strcspn(cond, ".");
    const char *p = deps;
    while (*p != '\0') {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        if (n > 0 && ((n == clen && memcmp(p, cond, n) == 0) ||
                      (memchr(p, '.', n) == NULL && n == slen &&
                       memcmp(p, cond, n) == 0))) {
            return 1;
        }
        p += n;
    }
    return 0;
}

static int step_of(const sc_report *r, const char *cond)
{
    size_t n = strcspn(cond, ".");
    for (size_t i = 0; i < r->nsteps; i++) {
        if (strlen(r->steps[i].id) == n &&
            memcmp(r->steps[i].id, cond, n) == 0) {
            return (int)i;
        }
    }
    return SC_REPORT_MAX_STEPS;
}

static int has_failure(const sc_report *r, const char *cond)
{
    int s = step_of(r, cond);
    if (s == SC_REPORT_MAX_STEPS) {
        return 0;
    }
    const sc_rstep *st = &r->steps[s];
    for (size_t j = 0; j < st->nfound; j++) {
        if (!st->found[j].is_error && strcmp(st->found[j].cond, cond) == 0) {
            return 1;
        }
    }
    return 0;
}

void sc_report_fold(sc_report *r, uint64_t folded[SC_REPORT_MAX_ROOTS])
{
    int active[SC_REPORT_MAX_ROOTS];
    long rank[SC_REPORT_MAX_ROOTS];
    for (size_t i = 0; i < r->nroots; i++) {
        active[i] = has_failure(r, r->roots[i].cond);
        /* earlier step first, then declaration order: a root folds only
         * under a root of smaller rank, so there is no cycle */
        rank[i] =
            (long)step_of(r, r->roots[i].cond) * SC_REPORT_MAX_ROOTS + (long)i;
        folded[i] = 0;
    }
    for (size_t s = 0; s < r->nsteps; s++) {
        for (size_t j = 0; j < r->steps[s].nfound; j++) {
            sc_rfinding *f = &r->steps[s].found[j];
            long own = -1;
            for (size_t i = 0; i < r->nroots; i++) {
                if (strcmp(r->roots[i].cond, f->cond) == 0) {
                    own = rank[i];
                }
            }
            f->follows = -1;
            if (f->is_error) {
                continue;
            }
            for (size_t i = 0; i < r->nroots; i++) {
                if (!active[i] || strcmp(r->roots[i].cond, f->cond) == 0 ||
                    (own >= 0 && rank[i] >= own) ||
                    !covers(r->roots[i].deps, f->cond)) {
                    continue;
                }
                if (f->follows < 0 || rank[i] < rank[f->follows]) {
                    f->follows = (int)i;
                }
            }
            if (f->follows >= 0) {
                folded[f->follows]++;
            }
        }
    }
}

const sc_rfinding *sc_report_first_cause(const sc_report *r)
{
    const sc_rfinding *err = NULL;
    for (size_t s = 0; s < r->nsteps; s++) {
        for (size_t j = 0; j < r->steps[s].nfound; j++) {
            const sc_rfinding *f = &r->steps[s].found[j];
            if (!f->is_error && f->follows < 0) {
                return f;
            }
            if (f->is_error && err == NULL) {
                err = f;
            }
        }
    }
    return err;
}

void sc_report_folded_steps(const sc_report *r, int root, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t s = 0; s < r->nsteps; s++) {
        for (size_t j = 0; j < r->steps[s].nfound; j++) {
            if (r->steps[s].found[j].follows == root) {
                int n = snprintf(buf + used, len - used, "%s%s",
                                 used ? ", " : "", r->steps[s].id);
                if (n < 0 || (size_t)n >= len - used) {
                    return;
                }
                used += (size_t)n;
                break;
            }
        }
    }
}
