/* The board's witness policy (docs/BOARD.md §3.3) and its quorum. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/json.h"
#include "scrutin/tlog.h"

void sc_witness_policy_clear(sc_witness_policy *p)
{
    if (p == NULL) {
        return;
    }
    free(p->w);
    memset(p, 0, sizeof *p);
}

static sc_status fail(char *msg, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sc_status fail(char *msg, size_t cap, const char *fmt, ...)
{
    if (msg != NULL && cap > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, cap, fmt, ap);
        va_end(ap);
    }
    return SC_E_INVALID;
}

static int copy_str(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        return 0;
    }
    memcpy(dst, s, n + 1);
    return 1;
}

static sc_status parse_quorum(sc_witness_policy *p, const char *q, char *msg,
                              size_t cap)
{
    if (strcmp(q, "all-parties") == 0) {
        p->all_parties = 1;
        return SC_OK;
    }
    const char *pre = "k-of-n:";
    uint64_t k = 0;
    const char *d = q + strlen(pre);
    if (strncmp(q, pre, strlen(pre)) != 0 || *d < '1' || *d > '9' ||
        strlen(d) > 9) {
        return fail(msg, cap, "quorum: \"%s\" is not all-parties or k-of-n:<k>",
                    q);
    }
    for (; *d; d++) {
        if (*d < '0' || *d > '9') {
            return fail(msg, cap, "quorum: \"%s\": k is not a number", q);
        }
        k = k * 10 + (uint64_t)(*d - '0');
    }
    if (k > p->n) {
        return fail(msg, cap, "quorum: k = %llu > %zu witnesses",
                    (unsigned long long)k, p->n);
    }
    p->k = (unsigned)k;
    return SC_OK;
}

static sc_status parse_witness(sc_policy_witness *w, sc_jctx *ctx,
                               const sc_json *o, size_t i, char *msg,
                               size_t cap)
{
    const char *name, *party, *vkey, *url;
    sc_jctx_where(ctx, "witnesses[%zu].", i);
    if (sc_json_get_str(ctx, o, "name", &name) != SC_OK ||
        sc_json_get_str(ctx, o, "party", &party) != SC_OK ||
        sc_json_get_str(ctx, o, "vkey", &vkey) != SC_OK ||
        sc_json_get_str(ctx, o, "url", &url) != SC_OK) {
        return fail(msg, cap, "%s", ctx->msg);
    }
    if (!sc_note_name_valid(name, strlen(name)) ||
        !copy_str(w->name, sizeof w->name, name)) {
        return fail(msg, cap, "witnesses[%zu].name: not a valid key name", i);
    }
    if (party[0] == '\0' || !copy_str(w->party, sizeof w->party, party)) {
        return fail(msg, cap, "witnesses[%zu].party: empty or too long", i);
    }
    if (!copy_str(w->url, sizeof w->url, url)) {
        return fail(msg, cap, "witnesses[%zu].url: too long", i);
    }
    if (sc_vkey_parse(&w->vkey, vkey, strlen(vkey)) != SC_OK ||
        w->vkey.type != SC_NOTE_COSIG) {
        return fail(msg, cap,
                    "witnesses[%zu].vkey: not a cosignature (type 0x04) vkey",
                    i);
    }
    if (strcmp(w->vkey.name, w->name) != 0) {
        return fail(msg, cap, "witnesses[%zu].vkey: name is not \"%s\"", i,
                    w->name);
    }
    return SC_OK;
}

sc_status sc_witness_policy_parse(sc_witness_policy *out, const char *json,
                                  size_t len, char *msg, size_t msg_cap)
{
    if (out == NULL || json == NULL) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    sc_jctx ctx;
    sc_jctx_init(&ctx, "witness_policy", NULL);
    sc_json *root = NULL, *arr;
    const char *type, *quorum;
    size_t n;
    sc_status rc = SC_E_INVALID;
    if (sc_json_parse(&ctx, json, len, &root) != SC_OK ||
        sc_json_get_str(&ctx, root, "type", &type) != SC_OK ||
        sc_json_get_arr(&ctx, root, "witnesses", &arr, &n) != SC_OK ||
        sc_json_get_str(&ctx, root, "quorum", &quorum) != SC_OK) {
        rc = fail(msg, msg_cap, "%s", ctx.msg);
        goto done;
    }
    if (strcmp(type, "witness_policy") != 0) {
        rc = fail(msg, msg_cap, "type: \"%s\", want \"witness_policy\"", type);
        goto done;
    }
    if (n == 0 || n > 256) {
        rc = fail(msg, msg_cap, "witnesses: %zu, want 1..256", n);
        goto done;
    }
    out->w = calloc(n, sizeof *out->w);
    if (out->w == NULL) {
        rc = SC_E_NOMEM;
        goto done;
    }
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        rc = parse_witness(&out->w[i], &ctx, sc_json_array_at(arr, i), i, msg,
                           msg_cap);
        if (rc != SC_OK) {
            goto done;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(out->w[i].name, out->w[j].name) == 0 ||
                memcmp(out->w[i].vkey.pub, out->w[j].vkey.pub, 32) == 0) {
                rc = fail(msg, msg_cap,
                          "witnesses[%zu]: same name or key as witnesses[%zu]",
                          i, j);
                goto done;
            }
        }
    }
    rc = parse_quorum(out, quorum, msg, msg_cap);
done:
    sc_json_free(root);
    if (rc != SC_OK) {
        sc_witness_policy_clear(out);
    }
    return rc;
}

sc_status sc_witness_policy_check(const sc_witness_policy *p, const sc_note *n,
                                  size_t *count)
{
    if (p == NULL || n == NULL || p->n == 0) {
        return SC_E_MISUSE;
    }
    int *ok = calloc(p->n, sizeof *ok);
    if (ok == NULL) {
        return SC_E_NOMEM;
    }
    size_t c = 0;
    for (size_t i = 0; i < p->n; i++) {
        ok[i] = sc_cosig_verify(n, &p->w[i].vkey, NULL) == SC_OK;
        c += (size_t)ok[i];
    }
    int met = 1;
    if (p->all_parties) {
        /* every party named in the policy has a witness that cosigned */
        for (size_t i = 0; i < p->n && met; i++) {
            int party_ok = 0;
            for (size_t j = 0; j < p->n; j++) {
                party_ok |= ok[j] && strcmp(p->w[i].party, p->w[j].party) == 0;
            }
            met = party_ok;
        }
    } else {
        met = c >= p->k;
    }
    free(ok);
    if (count) {
        *count = c;
    }
    return met ? SC_OK : SC_E_VERIFY;
}
