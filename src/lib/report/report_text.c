/* The text report: the first cause first (with the count of the failures
 * that follow from it), the step lines, then every other finding: those
 * outside ballots up to `max` lines a step, and every failing ballot
 * named, with up to `max` lines each (a cap per ballot, not per step, so
 * no ballot goes unnamed). --json has every finding (report_json.c). */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

void sc_rstep_print_line(const sc_rstep *s, FILE *out)
{
    uint64_t total = s->passed + s->failed;
    if (s->skipped && total == 0 && s->errors == 0) {
        fprintf(out, "%-4s %-34s %s%s%s\n", s->id, s->title ? s->title : "",
                "not applicable", s->skip_why ? ": " : "",
                s->skip_why ? s->skip_why : "");
        return;
    }
    fprintf(out, "%-4s %-34s %llu/%llu %s\n", s->id, s->title ? s->title : "",
            (unsigned long long)s->passed, (unsigned long long)total,
            sc_rstep_status(s));
}

static void print_finding(const sc_rfinding *f, FILE *out, const char *indent)
{
    fprintf(out, "%s%s %s%s: %s\n", indent, f->cond,
            f->is_error ? "could not check: " : "", f->where ? f->where : "-",
            f->what);
}

static void print_fold_line(const sc_report *r, int root, uint64_t n, FILE *out)
{
    char steps[256];
    sc_report_folded_steps(r, root, steps, sizeof steps);
    fprintf(out,
            "  and %llu later failure%s in %s follow from it (%s); not "
            "listed, --json has each\n",
            (unsigned long long)n, n == 1 ? "" : "s", steps,
            r->roots[root].why);
}

/* Digits compared as numbers: "ballot 2" < "ballot 10". */
static int natural_cmp(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (*a == '0') {
                a++;
            }
            while (*b == '0') {
                b++;
            }
            size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
            if (na != nb) {
                return na < nb ? -1 : 1;
            }
            int c = memcmp(a, b, na);
            if (c != 0) {
                return c;
            }
            a += na;
            b += nb;
            continue;
        }
        if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        }
        a++;
        b++;
    }
    return (*a != '\0') - (*b != '\0');
}

static int by_item(const void *x, const void *y)
{
    const sc_rfinding *a = *(const sc_rfinding *const *)x;
    const sc_rfinding *b = *(const sc_rfinding *const *)y;
    int c = natural_cmp(a->item, b->item);
    if (c != 0) {
        return c;
    }
    if (a->step != b->step) {
        return a->step < b->step ? -1 : 1;
    }
    if (a->ord != b->ord) { /* sc_report_order: not the threads' timing */
        return a->ord < b->ord ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* "V6.D 10, V7.D 2" for the findings fs[0..n) (conditions in order of
 * first appearance; the list ends with "..." past 6 of them). */
static void cond_counts(const sc_rfinding *const *fs, size_t n, char *buf,
                        size_t len)
{
    const char *cond[6];
    size_t cnt[6], nc = 0, other = 0, used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < nc && strcmp(cond[k], fs[i]->cond) != 0) {
            k++;
        }
        if (k == nc && nc < 6) {
            cond[nc] = fs[i]->cond;
            cnt[nc++] = 0;
        }
        if (k < nc) {
            cnt[k]++;
        } else {
            other++;
        }
    }
    buf[0] = '\0';
    for (size_t k = 0; k < nc; k++) {
        int w = snprintf(buf + used, len - used, "%s%s %zu", k ? ", " : "",
                         cond[k], cnt[k]);
        if (w < 0 || (size_t)w >= len - used) {
            return;
        }
        used += (size_t)w;
    }
    if (other > 0) {
        snprintf(buf + used, len - used, ", others %zu", other);
    }
}

static void print_ballots(const sc_report *r, const sc_rfinding *skip,
                          FILE *out, size_t max)
{
    size_t n = 0;
    for (size_t s = 0; s < r->nsteps; s++) {
        for (size_t j = 0; j < r->steps[s].nfound; j++) {
            const sc_rfinding *f = &r->steps[s].found[j];
            n += f->item != NULL && f->follows < 0 && f != skip;
        }
    }
    if (n == 0) {
        return;
    }
    const sc_rfinding **fs = malloc(n * sizeof *fs);
    if (fs == NULL) {
        fprintf(out, "  (out of memory listing %zu ballot findings)\n", n);
        return;
    }
    size_t k = 0;
    for (size_t s = 0; s < r->nsteps; s++) {
        for (size_t j = 0; j < r->steps[s].nfound; j++) {
            const sc_rfinding *f = &r->steps[s].found[j];
            if (f->item != NULL && f->follows < 0 && f != skip) {
                fs[k++] = f;
            }
        }
    }
    qsort(fs, n, sizeof *fs, by_item);
    size_t nballots = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && strcmp(fs[b]->item, fs[a]->item) == 0) {
            b++;
        }
        nballots++;
        size_t shown = b - a < max ? b - a : max;
        for (size_t i = a; i < a + shown; i++) {
            print_finding(fs[i], out, "  ");
        }
        if (shown < b - a) {
            char counts[200];
            cond_counts(fs + a + shown, b - a - shown, counts, sizeof counts);
            fprintf(out, "  %s: %zu %s (%s)\n", fs[a]->item, b - a - shown,
                    shown ? "more" : "findings", counts);
        }
        a = b;
    }
    fprintf(out, "%zu ballot%s with findings\n", nballots,
            nballots == 1 ? "" : "s");
    free(fs);
}

void sc_report_print_text(const sc_report *rc, FILE *out, int max_failures)
{
    /* folding marks each finding: a cache computed under the lock */
    sc_report *r = (sc_report *)(uintptr_t)rc;
    uint64_t folded[SC_REPORT_MAX_ROOTS];
    size_t max = max_failures > 0 ? (size_t)max_failures : 0;
    pthread_mutex_lock(&r->mu);
    sc_report_fold(r, folded);
    if (r->path != NULL) {
        fprintf(out, "record %s (ElectionGuard %s)\n", r->path,
                r->version ? r->version : "?");
    }
    const sc_rfinding *first = sc_report_first_cause(r);
    if (first != NULL) {
        fprintf(out, "%s: ", first->is_error ? "first error" : "first cause");
        print_finding(first, out, "");
        for (size_t i = 0; i < r->nroots; i++) {
            if (folded[i] > 0 && strcmp(r->roots[i].cond, first->cond) == 0) {
                print_fold_line(r, (int)i, folded[i], out);
            }
        }
    }
    for (size_t i = 0; i < r->nsteps; i++) {
        sc_rstep_print_line(&r->steps[i], out);
    }
    /* findings outside ballots, step by step */
    for (size_t s = 0; s < r->nsteps; s++) {
        const sc_rstep *st = &r->steps[s];
        size_t shown = 0, more = 0;
        for (size_t j = 0; j < st->nfound; j++) {
            const sc_rfinding *f = &st->found[j];
            if (f->item != NULL || f->follows >= 0 || f == first) {
                continue;
            }
            if (shown == max) {
                more++;
                continue;
            }
            print_finding(f, out, "  ");
            shown++;
            for (size_t i = 0; i < r->nroots; i++) {
                if (folded[i] > 0 && strcmp(r->roots[i].cond, f->cond) == 0 &&
                    (j == 0 || strcmp(st->found[j - 1].cond, f->cond) != 0)) {
                    print_fold_line(r, (int)i, folded[i], out);
                }
            }
        }
        if (more > 0) {
            fprintf(out, "  %s: %zu more\n", st->id, more);
        }
    }
    print_ballots(r, first, out, max);
    if (r->omitted > 0) {
        fprintf(out,
                "%llu findings not kept (more than %zu in all); counted in "
                "the step lines\n",
                (unsigned long long)r->omitted, SC_REPORT_MAX_KEPT);
    }
    fprintf(out, "verdict: %s\n", sc_report_verdict_word(r));
    pthread_mutex_unlock(&r->mu);
}
