/* The verification report. See scrutin/report.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scrutin/report.h"

#define MAX_STEPS 64
#define MAX_KEPT 200 /* failure messages kept per step; the rest counted */

typedef struct finding {
    char cond[16];
    char *where;
    char *what;
    int is_error;
} finding;

typedef struct step {
    char id[12];
    char *title;
    uint64_t passed, failed, errors;
    int skipped, ended;
    char *skip_why;
    finding *found;
    size_t nfound, capfound;
} step;

struct sc_report {
    pthread_mutex_t mu;
    FILE *live;
    char *version, *path;
    step steps[MAX_STEPS];
    size_t nsteps;
};

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
        step *s = &r->steps[i];
        for (size_t j = 0; j < s->nfound; j++) {
            free(s->found[j].where);
            free(s->found[j].what);
        }
        free(s->found);
        free(s->title);
        free(s->skip_why);
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

/* Step id of a condition: "V6.D" -> "V6". Caller holds the lock. */
static step *find_step(sc_report *r, const char *cond, int create)
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
    if (!create || r->nsteps == MAX_STEPS) {
        return NULL;
    }
    step *s = &r->steps[r->nsteps++];
    memset(s, 0, sizeof *s);
    memcpy(s->id, id, n + 1);
    return s;
}

static const step *find_step_c(const sc_report *r, const char *cond)
{
    return find_step((sc_report *)(uintptr_t)r, cond, 0);
}

void sc_report_step(sc_report *r, const char *id, const char *title)
{
    pthread_mutex_lock(&r->mu);
    step *s = find_step(r, id, 1);
    if (s != NULL && s->title == NULL) {
        s->title = dup_str(title);
    }
    pthread_mutex_unlock(&r->mu);
}

void sc_report_pass(sc_report *r, const char *id, uint64_t n)
{
    pthread_mutex_lock(&r->mu);
    step *s = find_step(r, id, 1);
    if (s != NULL) {
        s->passed += n;
    }
    pthread_mutex_unlock(&r->mu);
}

static void add_finding(sc_report *r, const char *cond, const char *where,
                        int is_error, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void add_finding(sc_report *r, const char *cond, const char *where,
                        int is_error, const char *fmt, va_list ap)
{
    char what[1024];
    vsnprintf(what, sizeof what, fmt, ap);
    pthread_mutex_lock(&r->mu);
    step *s = find_step(r, cond, 1);
    if (s == NULL) {
        pthread_mutex_unlock(&r->mu);
        return;
    }
    if (is_error) {
        s->errors++;
    } else {
        s->failed++;
    }
    if (s->nfound < MAX_KEPT) {
        if (s->nfound == s->capfound) {
            size_t cap = s->capfound ? 2 * s->capfound : 8;
            finding *nf = realloc(s->found, cap * sizeof *nf);
            if (nf == NULL) {
                pthread_mutex_unlock(&r->mu);
                return;
            }
            s->found = nf;
            s->capfound = cap;
        }
        finding *f = &s->found[s->nfound++];
        snprintf(f->cond, sizeof f->cond, "%s", cond);
        f->where = dup_str(where);
        f->what = dup_str(what);
        f->is_error = is_error;
    }
    pthread_mutex_unlock(&r->mu);
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
    step *s = find_step(r, id, 1);
    if (s != NULL) {
        s->skipped = 1;
        free(s->skip_why);
        s->skip_why = dup_str(why);
    }
    pthread_mutex_unlock(&r->mu);
}

static const char *step_status(const step *s)
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

static void print_step_line(const step *s, FILE *out)
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
            step_status(s));
}

void sc_report_end(sc_report *r, const char *id)
{
    pthread_mutex_lock(&r->mu);
    step *s = find_step(r, id, 1);
    if (s != NULL && !s->ended) {
        s->ended = 1;
        if (r->live != NULL) {
            print_step_line(s, r->live);
            fflush(r->live);
        }
    }
    pthread_mutex_unlock(&r->mu);
}

uint64_t sc_report_failures(const sc_report *r, const char *cond)
{
    pthread_mutex_lock((pthread_mutex_t *)(uintptr_t)&r->mu);
    uint64_t n = 0;
    const step *s = find_step_c(r, cond);
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
        const step *s = &r->steps[i];
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
        const step *s = &r->steps[i];
        if (s->nfound > 0) {
            const finding *f = &s->found[0];
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

static const char *verdict(const sc_report *r)
{
    switch (sc_report_exit_code(r)) {
    case SC_EXIT_VALID: return "valid";
    case SC_EXIT_INVALID: return "INVALID";
    default: return "could not check";
    }
}

void sc_report_print_text(const sc_report *r, FILE *out, int max_failures)
{
    if (r->path != NULL) {
        fprintf(out, "record %s (ElectionGuard %s)\n", r->path,
                r->version ? r->version : "?");
    }
    for (size_t i = 0; i < r->nsteps; i++) {
        print_step_line(&r->steps[i], out);
    }
    for (size_t i = 0; i < r->nsteps; i++) {
        const step *s = &r->steps[i];
        size_t shown = 0;
        for (size_t j = 0; j < s->nfound; j++) {
            if ((int)shown >= max_failures) {
                break;
            }
            const finding *f = &s->found[j];
            fprintf(out, "  %s %s%s: %s\n", f->cond,
                    f->is_error ? "could not check: " : "",
                    f->where ? f->where : "-", f->what);
            shown++;
        }
        uint64_t more = s->failed + s->errors - shown;
        if (more > 0) {
            fprintf(out, "  %s: %llu more\n", s->id, (unsigned long long)more);
        }
    }
    fprintf(out, "verdict: %s\n", verdict(r));
}

void sc_report_print_json(const sc_report *r, FILE *out)
{
    json_t *root = json_object();
    json_t *steps = json_array();
    json_t *finds = json_array();
    json_object_set_new(root, "record", json_string(r->path ? r->path : ""));
    json_object_set_new(root, "version",
                        json_string(r->version ? r->version : ""));
    json_object_set_new(root, "verdict", json_string(verdict(r)));
    json_object_set_new(root, "exit_code",
                        json_integer(sc_report_exit_code(r)));
    for (size_t i = 0; i < r->nsteps; i++) {
        const step *s = &r->steps[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(s->id));
        json_object_set_new(o, "title", json_string(s->title ? s->title : ""));
        json_object_set_new(o, "checked",
                            json_integer((json_int_t)(s->passed + s->failed)));
        json_object_set_new(o, "passed", json_integer((json_int_t)s->passed));
        json_object_set_new(o, "failed", json_integer((json_int_t)s->failed));
        json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
        json_object_set_new(o, "status", json_string(step_status(s)));
        json_array_append_new(steps, o);
        for (size_t j = 0; j < s->nfound; j++) {
            const finding *f = &s->found[j];
            json_t *fo = json_object();
            json_object_set_new(fo, "condition", json_string(f->cond));
            json_object_set_new(
                fo, "kind",
                json_string(f->is_error ? "could not check" : "failed"));
            json_object_set_new(fo, "where",
                                json_string(f->where ? f->where : ""));
            json_object_set_new(fo, "detail", json_string(f->what));
            json_array_append_new(finds, fo);
        }
    }
    json_object_set_new(root, "steps", steps);
    json_object_set_new(root, "findings", finds);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}
