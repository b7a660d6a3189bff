/* The verification report: the collector. Every finding is kept (up to
 * SC_REPORT_MAX_KEPT in all, then counted), with the ballot it belongs
 * to, so that the printers can fold follow-on failures under their cause
 * (report_fold.c) and name every failing ballot (report_text.c), and
 * --json can list them all (report_json.c). See scrutin/report.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_capture.h"
#include "report/report_int.h"

static char *dup_str(const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

sc_status sc_report_new(sc_report **out, FILE *live)
{
    sc_report *r = calloc(1, sizeof *r);
    *out = NULL;
    if (r == NULL) {
        return SC_E_NOMEM;
    }
    pthread_mutex_init(&r->mu, NULL);
    r->live = live;
    *out = r;
    return SC_OK;
}

void sc_report_free(sc_report *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->nsteps; i++) {
        sc_rstep *s = &r->steps[i];
        for (size_t j = 0; j < s->nfound; j++) {
            free(s->found[j].where);
            free(s->found[j].what);
            free(s->found[j].item);
        }
        free(s->found);
        free(s->title);
        free(s->skip_why);
    }
    for (size_t i = 0; i < r->nroots; i++) {
        free(r->roots[i].deps);
        free(r->roots[i].why);
    }
    free(r->version);
    free(r->path);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

void sc_report_set_subject(sc_report *r, const char *version, const char *path)
{
    pthread_mutex_lock(&r->mu);
    free(r->version);
    free(r->path);
    r->version = dup_str(version);
    r->path = dup_str(path);
    pthread_mutex_unlock(&r->mu);
}

void sc_report_depends(sc_report *r, const char *root, const char *deps,
                       const char *why)
{
    pthread_mutex_lock(&r->mu);
    if (r->nroots < SC_REPORT_MAX_ROOTS) {
        sc_rroot *o = &r->roots[r->nroots];
        snprintf(o->cond, sizeof o->cond, "%s", root);
        o->deps = dup_str(deps);
        o->why = dup_str(why);
        if (o->deps != NULL && o->why != NULL) {
            r->nroots++;
        } else {
            free(o->deps);
            free(o->why);
        }
    }
    pthread_mutex_unlock(&r->mu);
}

/* Step of a condition: "V6.D" -> "V6". Caller holds the lock. */
static sc_rstep *find_step(sc_report *r, const char *cond, int create)
{
    char id[12];
    size_t n = strcspn(cond, ".");
    if (n >= sizeof id) {
        n = sizeof id - 1;
    }
    memcpy(id, cond, n);
    id[n] = '\0';
    for (size_t i = 0; i < r->nsteps; i++) {
        if (strcmp(r->steps[i].id, id) == 0) {
            return &r->steps[i];
        }
    }
    if (!create || r->nsteps == SC_REPORT_MAX_STEPS) {
        return NULL;
    }
    sc_rstep *s = &r->steps[r->nsteps++];
    memset(s, 0, sizeof *s);
    memcpy(s->id, id, n + 1);
    return s;
}

static const sc_rstep *find_step_c(const sc_report *r, const char *cond)
{
    return find_step((sc_report *)(uintptr_t)r, cond, 0);
}

void sc_report_step(sc_report *r, const char *id, const char *title)
{
    pthread_mutex_lock(&r->mu);
    sc_rstep *s = find_step(r, id, 1);
    if (s != NULL && s->title == NULL) {
        s->title = dup_str(title);
    }
    pthread_mutex_unlock(&r->mu);
}

/* The calling thread's capture (report_capture.h): findings and counts
 * for tl_cap_of go to tl_cap. */
static _Thread_local const sc_report *tl_cap_of;
static _Thread_local sc_report *tl_cap;

void sc_report_capture(sc_report *r, sc_report *into)
{
    tl_cap_of = into != NULL ? r : NULL;
    tl_cap = into;
}

static sc_report *target(sc_report *r)
{
    return tl_cap_of == r ? tl_cap : r;
}

void sc_report_pass(sc_report *r, const char *id, uint64_t n)
{
    r = target(r);
    pthread_mutex_lock(&r->mu);
    sc_rstep *s = find_step(r, id, 1);
    if (s != NULL) {
        s->passed += n;
    }
    pthread_mutex_unlock(&r->mu);
}

/* The ballot a `where` names: "ballot X ..." or "device D ballot X ...",
 * X ending at " contest ", " option " or the end. NULL if none. */
static char *ballot_item(const char *where)
{
    if (where == NULL) {
        return NULL;
    }
    const char *b = strncmp(where, "ballot ", 7) == 0 ? where : NULL;
    if (b == NULL && strncmp(where, "device ", 7) == 0) {
        b = strstr(where, " ballot ");
        b = b != NULL ? b + 1 : NULL;
    }
    if (b == NULL || b[7] == '\0') {
        return NULL;
    }
    size_t n = strlen(b);
    const char *stops[] = {" contest ", " option "};
    for (size_t i = 0; i < 2; i++) {
        const char *e = strstr(b + 7, stops[i]);
        if (e != NULL && (size_t)(e - b) < n) {
            n = (size_t)(e - b);
        }
    }
    char *item = malloc(n + 1);
    if (item != NULL) {
        memcpy(item, b, n);
        item[n] = '\0';
    }
    return item;
}

/* The calling thread's order key and the report it is for. */
static _Thread_local const sc_report *tl_rep;
static _Thread_local uint64_t tl_ord;

void sc_report_order(sc_report *r, uint64_t ord)
{
    tl_rep = ord != 0 ? r : NULL;
    tl_ord = ord;
}

/* A place for one more finding of step s with key `ord`, sorted by key,
 * then arrival; NULL if it is only counted (past SC_REPORT_MAX_KEPT, or
 * no memory). The caller holds the lock and fills cond, texts and
 * is_error. */
static sc_rfinding *new_finding(sc_report *r, sc_rstep *s, uint64_t ord)
{
    if (r->kept == SC_REPORT_MAX_KEPT) {
        r->omitted++;
        return NULL;
    }
    if (s->nfound == s->capfound) {
        size_t cap = s->capfound ? 2 * s->capfound : 8;
        sc_rfinding *nf = realloc(s->found, cap * sizeof *nf);
        if (nf == NULL) {
            r->omitted++;
            return NULL;
        }
        s->found = nf;
        s->capfound = cap;
    }
    /* after the last of key <= ord (keys arrive nearly in order, so this
     * walks back a few entries at most) */
    size_t at = s->nfound;
    while (at > 0 && s->found[at - 1].ord > ord) {
        at--;
    }
    memmove(&s->found[at + 1], &s->found[at],
            (s->nfound - at) * sizeof *s->found);
    s->nfound++;
    sc_rfinding *f = &s->found[at];
    memset(f, 0, sizeof *f);
    f->ord = ord;
    f->seq = r->seq++;
    f->step = (int)(s - r->steps);
    f->follows = -1;
    r->kept++;
    return f;
}

static void add_finding(sc_report *r, const char *cond, const char *where,
                        int is_error, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void add_finding(sc_report *r, const char *cond, const char *where,
                        int is_error, const char *fmt, va_list ap)
{
    char what[1024];
    vsnprintf(what, sizeof what, fmt, ap);
    const uint64_t ord = tl_rep == r ? tl_ord : 0;
    r = target(r);
    pthread_mutex_lock(&r->mu);
    sc_rstep *s = find_step(r, cond, 1);
    if (s != NULL) {
        if (is_error) {
            s->errors++;
        } else {
            s->failed++;
        }
        sc_rfinding *f = new_finding(r, s, ord);
        if (f != NULL) {
            snprintf(f->cond, sizeof f->cond, "%s", cond);
            f->where = dup_str(where);
            f->what = dup_str(what);
            f->item = ballot_item(where);
            f->is_error = is_error;
        }
    }
    pthread_mutex_unlock(&r->mu);
}

void sc_report_merge(sc_report *dst, sc_report *src)
{
    pthread_mutex_lock(&dst->mu);
    for (size_t i = 0; i < src->nsteps; i++) {
        sc_rstep *from = &src->steps[i];
        sc_rstep *to = find_step(dst, from->id, 1);
        for (size_t j = 0; j < from->nfound; j++) {
            sc_rfinding *g = &from->found[j];
            sc_rfinding *f = to != NULL ? new_finding(dst, to, g->ord) : NULL;
            if (f != NULL) { /* the texts move */
                memcpy(f->cond, g->cond, sizeof f->cond);
                f->where = g->where;
                f->what = g->what;
                f->item = g->item;
                f->is_error = g->is_error;
            } else {
                free(g->where);
                free(g->what);
                free(g->item);
            }
        }
        from->nfound = 0;
        if (to != NULL) {
            to->passed += from->passed;
            to->failed += from->failed;
            to->errors += from->errors;
        }
    }
    dst->omitted += src->omitted;
    pthread_mutex_unlock(&dst->mu);
}

void sc_report_fail(sc_report *r, const char *cond, const char *where,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_finding(r, cond, where, 0, fmt, ap);
    va_end(ap);
}

void sc_report_error(sc_report *r, const char *id, const char *where,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_finding(r, id, where, 1, fmt, ap);
    va_end(ap);
}

void sc_report_skip(sc_report *r, const char *id, const char *why)
{
    pthread_mutex_lock(&r->mu);
    sc_rstep *s = find_step(r, id, 1);
    if (s != NULL) {
        s->skipped = 1;
        free(s->skip_why);
        s->skip_why = dup_str(why);
    }
    pthread_mutex_unlock(&r->mu);
}

void sc_report_end(sc_report *r, const char *id)
{
    pthread_mutex_lock(&r->mu);
    sc_rstep *s = find_step(r, id, 1);
    if (s != NULL && !s->ended) {
        s->ended = 1;
        if (r->live != NULL) {
            sc_rstep_print_line(s, r->live);
            fflush(r->live);
        }
    }
    pthread_mutex_unlock(&r->mu);
}

uint64_t sc_report_failures(const sc_report *r, const char *cond)
{
    pthread_mutex_lock((pthread_mutex_t *)(uintptr_t)&r->mu);
    uint64_t n = 0;
    const sc_rstep *s = find_step_c(r, cond);
    if (s != NULL) {
        if (strchr(cond, '.') == NULL) {
            n = s->failed;
        } else {
            for (size_t i = 0; i < s->nfound; i++) {
                if (!s->found[i].is_error &&
                    strcmp(s->found[i].cond, cond) == 0) {
                    n++;
                }
            }
        }
    }
    pthread_mutex_unlock((pthread_mutex_t *)(uintptr_t)&r->mu);
    return n;
}

uint64_t sc_report_errors(const sc_report *r, const char *id)
{
    uint64_t n = 0;
    pthread_mutex_lock((pthread_mutex_t *)(uintptr_t)&r->mu);
    for (size_t i = 0; i < r->nsteps; i++) {
        if (id == NULL || strcmp(r->steps[i].id, id) == 0) {
            n += r->steps[i].errors;
        }
    }
    pthread_mutex_unlock((pthread_mutex_t *)(uintptr_t)&r->mu);
    return n;
}

const char *sc_report_first_failure(const sc_report *r)
{
    for (size_t i = 0; i < r->nsteps; i++) {
        const sc_rstep *s = &r->steps[i];
        for (size_t j = 0; j < s->nfound; j++) {
            if (!s->found[j].is_error) {
                return s->found[j].cond;
            }
        }
    }
    return NULL;
}

int sc_report_first_finding(const sc_report *r, char *cond, size_t condlen,
                            char *text, size_t textlen)
{
    int kind = 0;
    pthread_mutex_lock((pthread_mutex_t *)(uintptr_t)&r->mu);
    for (size_t i = 0; i < r->nsteps && kind == 0; i++) {
        const sc_rstep *s = &r->steps[i];
        if (s->nfound > 0) {
            const sc_rfinding *f = &s->found[0];
            snprintf(cond, condlen, "%s", f->cond);
            if (f->where != NULL) {
                snprintf(text, textlen, "%s: %s", f->where,
                         f->what ? f->what : "");
            } else {
                snprintf(text, textlen, "%s", f->what ? f->what : "");
            }
            kind = f->is_error ? 2 : 1;
        }
    }
    pthread_mutex_unlock((pthread_mutex_t *)(uintptr_t)&r->mu);
    return kind;
}

int sc_report_exit_code(const sc_report *r)
{
    int err = 0;
    for (size_t i = 0; i < r->nsteps; i++) {
        if (r->steps[i].failed > 0) {
            return SC_EXIT_INVALID;
        }
        if (r->steps[i].errors > 0) {
            err = 1;
        }
    }
    return err ? SC_EXIT_CANNOT_CHECK : SC_EXIT_VALID;
}

const char *sc_report_verdict_word(const sc_report *r)
{
    switch (sc_report_exit_code(r)) {
    case SC_EXIT_VALID: return "valid";
    case SC_EXIT_INVALID: return "INVALID";
    default: return "could not check";
    }
}

const char *sc_rstep_status(const sc_rstep *s)
{
    if (s->failed > 0) {
        return "FAILED";
    }
    if (s->errors > 0) {
        return "COULD NOT CHECK";
    }
    if (s->skipped && s->passed == 0) {
        return "not applicable";
    }
    return "ok";
}
