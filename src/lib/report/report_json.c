/* The report as one JSON document: every finding kept, each marked with
 * the ballot it belongs to and the cause it follows from (schema in
 * docs/VERIFIER.md, "JSON report"). Through the project's JSON layer. */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "scrutin/json.h"

/* rc = expr, unless rc already holds an error */
#define RJ_TRY(rc, expr)                                                       \
    do {                                                                       \
        if ((rc) == SC_OK) {                                                   \
            (rc) = (expr);                                                     \
        }                                                                      \
    } while (0)

/* Length of the valid UTF-8 sequence at s (0: not valid). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] < 0x80         ? 1
               : (s[0] >> 5) == 6  ? 2
               : (s[0] >> 4) == 14 ? 3
               : (s[0] >> 3) == 30 ? 4
                                   : 0;
    if (n == 0 || (n == 2 && s[0] < 0xC2) || (n == 4 && s[0] > 0xF4)) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] >> 6) != 2) {
            return 0;
        }
    }
    return n;
}

/* obj[key] = s, a byte that is not UTF-8 becomes U+FFFD (a record's
 * label may hold anything); NULL gives null. */
static sc_status put_text(sc_json *obj, const char *key, const char *s)
{
    if (s == NULL) {
        return sc_json_put_null(obj, key);
    }
    size_t len = strlen(s);
    char *t = malloc(3 * len + 1);
    if (t == NULL) {
        return SC_E_NOMEM;
    }
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
        size_t n = utf8_len(p);
        if (n == 0) {
            memcpy(t + o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        } else {
            memcpy(t + o, p, n);
            o += n;
            p += n;
        }
    }
    t[o] = '\0';
    sc_status rc = sc_json_put_str(obj, key, t);
    free(t);
    return rc;
}

static sc_status step_json(const sc_rstep *s, sc_json *arr)
{
    sc_json *o = sc_json_object();
    sc_status rc = o != NULL ? SC_OK : SC_E_NOMEM;
    RJ_TRY(rc, sc_json_put_str(o, "id", s->id));
    RJ_TRY(rc, put_text(o, "title", s->title ? s->title : ""));
    RJ_TRY(rc, sc_json_put_u64(o, "checked", s->passed + s->failed));
    RJ_TRY(rc, sc_json_put_u64(o, "passed", s->passed));
    RJ_TRY(rc, sc_json_put_u64(o, "failed", s->failed));
    RJ_TRY(rc, sc_json_put_u64(o, "errors", s->errors));
    RJ_TRY(rc, sc_json_put_str(o, "status", sc_rstep_status(s)));
    RJ_TRY(rc, put_text(o, "skip_reason", s->skipped ? s->skip_why : NULL));
    if (rc != SC_OK) {
        sc_json_free(o);
        return rc;
    }
    return sc_json_append(arr, o);
}

static sc_status finding_json(const sc_report *r, const sc_rfinding *f,
                              sc_json *arr)
{
    sc_json *o = sc_json_object();
    sc_status rc = o != NULL ? SC_OK : SC_E_NOMEM;
    RJ_TRY(rc, sc_json_put_str(o, "condition", f->cond));
    RJ_TRY(rc, sc_json_put_str(o, "step", r->steps[f->step].id));
    RJ_TRY(rc, sc_json_put_str(o, "kind",
                               f->is_error ? "could not check" : "failed"));
    RJ_TRY(rc, put_text(o, "where", f->where));
    RJ_TRY(rc, put_text(o, "ballot", f->item ? f->item + 7 : NULL));
    RJ_TRY(rc, put_text(o, "detail", f->what));
    RJ_TRY(rc, put_text(o, "follows",
                        f->follows >= 0 ? r->roots[f->follows].cond : NULL));
    if (rc != SC_OK) {
        sc_json_free(o);
        return rc;
    }
    return sc_json_append(arr, o);
}

static sc_status causes_json(const sc_report *r, const uint64_t *folded,
                             sc_json *arr)
{
    sc_status rc = SC_OK;
    for (size_t i = 0; rc == SC_OK && i < r->nroots; i++) {
        if (folded[i] == 0) {
            continue;
        }
        char steps[256];
        sc_report_folded_steps(r, (int)i, steps, sizeof steps);
        sc_json *o = sc_json_object();
        rc = o != NULL ? SC_OK : SC_E_NOMEM;
        RJ_TRY(rc, sc_json_put_str(o, "condition", r->roots[i].cond));
        RJ_TRY(rc, sc_json_put_u64(o, "explains", folded[i]));
        RJ_TRY(rc, sc_json_put_str(o, "steps", steps));
        RJ_TRY(rc, put_text(o, "reason", r->roots[i].why));
        if (rc != SC_OK) {
            sc_json_free(o);
        } else {
            rc = sc_json_append(arr, o);
        }
    }
    return rc;
}

static sc_status build(const sc_report *r, const uint64_t *folded,
                       sc_json *root)
{
    sc_status rc = SC_OK;
    sc_json *steps = sc_json_array(), *finds = sc_json_array(),
            *causes = sc_json_array();
    const sc_rfinding *first = sc_report_first_cause(r);
    uint64_t first_index = 0, n = 0;
    if (steps == NULL || finds == NULL || causes == NULL) {
        rc = SC_E_NOMEM;
    }
    for (size_t i = 0; rc == SC_OK && i < r->nsteps; i++) {
        rc = step_json(&r->steps[i], steps);
        for (size_t j = 0; rc == SC_OK && j < r->steps[i].nfound; j++, n++) {
            if (&r->steps[i].found[j] == first) {
                first_index = n;
            }
            rc = finding_json(r, &r->steps[i].found[j], finds);
        }
    }
    RJ_TRY(rc, causes_json(r, folded, causes));
    RJ_TRY(rc, sc_json_put_str(root, "schema", "scrutin-verify-report-2"));
    RJ_TRY(rc, put_text(root, "record", r->path ? r->path : ""));
    RJ_TRY(rc, put_text(root, "version", r->version ? r->version : ""));
    RJ_TRY(rc, sc_json_put_str(root, "verdict", sc_report_verdict_word(r)));
    RJ_TRY(rc, sc_json_put_u64(root, "exit_code",
                               (uint64_t)sc_report_exit_code(r)));
    if (first != NULL) {
        RJ_TRY(rc, sc_json_put_u64(root, "first_cause", first_index));
    } else {
        RJ_TRY(rc, sc_json_put_null(root, "first_cause"));
    }
    RJ_TRY(rc, sc_json_put_u64(root, "findings_omitted", r->omitted));
    if (rc == SC_OK) {
        rc = sc_json_put(root, "steps", steps);
        steps = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_json_put(root, "causes", causes);
        causes = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_json_put(root, "findings", finds);
        finds = NULL;
    }
    sc_json_free(steps);
    sc_json_free(causes);
    sc_json_free(finds);
    return rc;
}

void sc_report_print_json(const sc_report *rc, FILE *out)
{
    sc_report *r = (sc_report *)(uintptr_t)rc; /* folding marks, locked */
    uint64_t folded[SC_REPORT_MAX_ROOTS];
    pthread_mutex_lock(&r->mu);
    sc_report_fold(r, folded);
    sc_json *root = sc_json_object();
    char *s = NULL;
    if (root != NULL && build(r, folded, root) == SC_OK) {
        s = sc_json_dumps(root);
    }
    sc_json_free(root);
    pthread_mutex_unlock(&r->mu);
    if (s == NULL) {
        /* still one JSON document, and the verdict */
        fprintf(out,
                "{\"schema\":\"scrutin-verify-report-2\",\"error\":\"out of "
                "memory writing the report\",\"exit_code\":%d}\n",
                sc_report_exit_code(rc));
        return;
    }
    fputs(s, out);
    fputc('\n', out);
    free(s);
}
