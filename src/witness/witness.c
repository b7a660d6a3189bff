/* The witness: see witness.h. */
#include "witness/witness.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "scrutin/tlog.h"
#include "store/witness_db.h"
#include "witness/verify_board.h"

struct sc_witness {
    sc_wdb *db;
    pthread_mutex_t lock; /* one transaction at a time on the handle */
    char name[SC_TLOG_NAME_MAX + 1];
    uint8_t *sk;    /* sodium_malloc'd, 64 bytes */
    sc_wvb *verify; /* --verify-board: NULL for a plain witness */
};

sc_status sc_witness_verify_board(sc_witness *w, const char *db_path,
                                  const char *board_url)
{
    if (w == NULL || db_path == NULL || board_url == NULL ||
        w->verify != NULL) {
        return SC_E_MISUSE;
    }
    return sc_wvb_new(&w->verify, db_path, board_url);
}

sc_status sc_witness_new(sc_witness **out, const char *db_path,
                         const char *name, const uint8_t sk[64])
{
    if (out == NULL || db_path == NULL || name == NULL || sk == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    if (!sc_note_name_valid(name, strlen(name))) {
        return SC_E_INVALID;
    }
    sc_witness *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return SC_E_NOMEM;
    }
    w->sk = sodium_malloc(64);
    if (w->sk == NULL) {
        free(w);
        return SC_E_NOMEM;
    }
    memcpy(w->sk, sk, 64);
    strcpy(w->name, name);
    pthread_mutex_init(&w->lock, NULL);
    sc_status rc = sc_wdb_open(&w->db, db_path);
    if (rc != SC_OK) {
        sc_witness_free(w);
        return rc;
    }
    *out = w;
    return SC_OK;
}

void sc_witness_free(sc_witness *w)
{
    if (w == NULL) {
        return;
    }
    sc_wdb_close(w->db);
    sc_wvb_free(w->verify);
    sodium_free(w->sk); /* wipes */
    pthread_mutex_destroy(&w->lock);
    free(w);
}

static void answer(sc_witness_answer *a, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void answer(sc_witness_answer *a, unsigned status, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
    }
    size_t len = (size_t)n < sizeof buf - 1 ? (size_t)n : sizeof buf - 2;
    buf[len++] = '\n';
    a->status = status;
    a->ctype = "text/plain; charset=utf-8";
    a->body = malloc(len);
    a->len = a->body ? len : 0;
    if (a->body) {
        memcpy(a->body, buf, len);
    }
}

/* Everything decide() needs, and what it reports back. */
typedef struct add_ctx {
    sc_witness *w;
    const sc_add_checkpoint *req;
    const sc_checkpoint *cp;
    const sc_note *note; /* parsed, board signature verified */
    const sc_vkey *log;
    const char *body;
    unsigned status;
    uint64_t had_size;
    char why[480];
    int need_verify;     /* a verifying witness */
    int verified;        /* sc_wvb_check passed for this checkpoint */
    const char *invalid; /* sc_wvb_check refused it: why */
    char *line;          /* the cosignature line (200) */
    size_t line_len;
} add_ctx;

static void refuse(add_ctx *c, sc_wdb_decision *d, unsigned status,
                   int evidence, const char *why)
{
    c->status = status;
    snprintf(c->why, sizeof c->why, "%s", why);
    d->accept = 0;
    if (evidence) {
        d->reason = c->why;
        d->refused = c->req->signed_cp;
        d->request = c->body;
    }
}

/* The note to keep: the checkpoint text, the log's signature lines and
 * this witness's new cosignature. */
static sc_status cosign(add_ctx *c, sc_wdb_decision *d)
{
    sc_note keep;
    sc_status rc = sc_note_init(&keep, c->note->text, c->note->text_len);
    for (size_t i = 0; rc == SC_OK && i < c->note->nsigs; i++) {
        const sc_note_sig *s = &c->note->sigs[i];
        if (s->key_id == c->log->key_id && strcmp(s->name, c->log->name) == 0) {
            rc = sc_note_add_sig(&keep, s->name, s->key_id, s->sig, s->sig_len);
        }
    }
    uint64_t now = (uint64_t)time(NULL);
    if (rc == SC_OK) {
        rc = sc_cosig_sign(&keep, c->w->name, c->w->sk, now ? now : 1);
    }
    size_t len;
    if (rc == SC_OK) {
        rc = sc_note_format(&keep, &d->checkpoint, &len);
    }
    if (rc == SC_OK) {
        /* the response: our line, the last one of the note */
        const char *end = d->checkpoint + len - 1, *p = end;
        while (p > d->checkpoint && p[-1] != '\n') {
            p--;
        }
        c->line_len = (size_t)(end - p) + 1;
        c->line = malloc(c->line_len);
        if (c->line == NULL) {
            rc = SC_E_NOMEM;
        } else {
            memcpy(c->line, p, c->line_len);
        }
    }
    sc_note_clear(&keep);
    return rc;
}

static void decide(void *ctx, const sc_wdb_log *cur, sc_wdb_decision *d)
{
    add_ctx *c = ctx;
    const sc_add_checkpoint *r = c->req;
    const sc_checkpoint *cp = c->cp;
    c->had_size = cur->size;
    if (r->old != cur->size) {
        /* A rollback or an equivocation is evidence; a stale `old` for a
         * larger checkpoint is the log catching up (no evidence). */
        int rollback = cp->size < cur->size;
        int fork = cp->size == cur->size && cur->checkpoint[0] != '\0' &&
                   memcmp(cp->root, cur->root, 32) != 0;
        refuse(c, d, 409, rollback || fork,
               rollback ? "rollback: smaller than the size cosigned"
               : fork   ? "equivocation: same size, another root"
                        : "old is not the size cosigned");
        return;
    }
    if (c->invalid != NULL) {
        refuse(c, d, 422, 1, c->invalid);
        return;
    }
    if (c->need_verify && !c->verified) {
        refuse(c, d, 503, 0, "not verified yet; retry");
        return;
    }
    uint8_t empty[32];
    sc_tlog_empty_root(empty);
    const uint8_t(*proof)[32] = (const uint8_t(*)[32])r->proof;
    if (cp->size == 0 && memcmp(cp->root, empty, 32) != 0) {
        refuse(c, d, 422, 1, "size 0 without the empty root");
    } else if (r->old == 0 && r->nproof != 0) {
        refuse(c, d, 422, 1, "old 0 with a consistency proof");
    } else if (r->old != 0 && r->old == cp->size &&
               (r->nproof != 0 || memcmp(cp->root, cur->root, 32) != 0)) {
        refuse(c, d, 422, 1,
               r->nproof ? "same size with a consistency proof"
                         : "equivocation: same size, another root");
    } else if (r->old != 0 && r->old < cp->size &&
               sc_tlog_consistency_verify(r->old, cur->root, cp->size, cp->root,
                                          proof, r->nproof) != SC_OK) {
        refuse(c, d, 422, 1, "consistency proof fails");
    } else if (cosign(c, d) != SC_OK) {
        refuse(c, d, 500, 0, "cannot cosign");
        free(d->checkpoint);
        d->checkpoint = NULL;
    } else {
        c->status = 200;
        d->accept = 1;
        d->size = cp->size;
        memcpy(d->root, cp->root, 32);
    }
}

void sc_witness_add_checkpoint(sc_witness *w, const char *body, size_t len,
                               sc_witness_answer *a)
{
    memset(a, 0, sizeof *a);
    sc_add_checkpoint req;
    sc_note note = {0};
    sc_checkpoint cp;
    sc_wdb_log log = {0};
    sc_vkey key;
    if (sc_add_checkpoint_parse(&req, body, len) != SC_OK) {
        answer(a, 400, "malformed add-checkpoint body");
        return;
    }
    if (sc_note_parse(&note, req.signed_cp, req.signed_cp_len) != SC_OK ||
        sc_checkpoint_parse(&cp, note.text, note.text_len) != SC_OK) {
        answer(a, 400, "malformed checkpoint");
        goto done;
    }
    pthread_mutex_lock(&w->lock);
    sc_status rc = sc_wdb_get_log(w->db, cp.origin, &log);
    pthread_mutex_unlock(&w->lock);
    if (rc == SC_E_RANGE) {
        answer(a, 404, "unknown log origin");
        goto done;
    }
    if (rc != SC_OK ||
        sc_vkey_parse(&key, log.vkey, strlen(log.vkey)) != SC_OK) {
        answer(a, 500, "witness state unreadable");
        goto done;
    }
    if (strcmp(key.name, cp.origin) != 0 ||
        sc_note_verify(&note, &key, 1, NULL) != SC_OK) {
        answer(a, 403, "no valid signature by the log's key");
        goto done;
    }
    if (req.old > cp.size) {
        answer(a, 400, "old %llu > checkpoint size %llu",
               (unsigned long long)req.old, (unsigned long long)cp.size);
        goto done;
    }
    add_ctx c = {.w = w,
                 .req = &req,
                 .cp = &cp,
                 .note = &note,
                 .log = &key,
                 .body = body};
    /* A verifying witness checks the log up to this checkpoint first,
     * when the compare below can accept it (old = the size cosigned). */
    char vwhy[480];
    c.need_verify = w->verify != NULL;
    if (c.need_verify && req.old == log.size) {
        rc = sc_wvb_check(w->verify, &cp, log.vkey, vwhy, sizeof vwhy);
        if (rc == SC_E_IO) {
            answer(a, 503, "cannot verify the board's log now: %s", vwhy);
            goto done;
        }
        c.verified = rc == SC_OK;
        c.invalid = rc == SC_E_VERIFY ? vwhy : NULL;
    }
    /* body is not NUL ended: keep a copy for the evidence row */
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        answer(a, 500, "out of memory");
        goto done;
    }
    memcpy(copy, body, len);
    copy[len] = '\0';
    c.body = copy;
    pthread_mutex_lock(&w->lock);
    rc = sc_wdb_update(w->db, cp.origin, decide, &c);
    pthread_mutex_unlock(&w->lock);
    free(copy);
    if (rc != SC_OK) {
        /* nothing committed: never answer 200 */
        free(c.line);
        answer(a, 503, "witness state not written; retry");
    } else if (c.status == 200) {
        a->status = 200;
        a->ctype = "text/plain; charset=utf-8";
        a->body = c.line;
        a->len = c.line_len;
    } else if (c.status == 409) {
        char buf[32];
        int n =
            snprintf(buf, sizeof buf, "%llu\n", (unsigned long long)c.had_size);
        a->status = 409;
        a->ctype = "text/x.tlog.size";
        a->body = malloc((size_t)n);
        a->len = a->body ? (size_t)n : 0;
        if (a->body) {
            memcpy(a->body, buf, (size_t)n);
        }
    } else {
        answer(a, c.status, "%s", c.why);
    }
done:
    sc_wdb_log_clear(&log);
    sc_note_clear(&note);
    sc_add_checkpoint_clear(&req);
}

typedef struct find_ctx {
    const char *hex;
    char *found;
} find_ctx;

static void find_origin(void *ctx, const sc_wdb_log *l)
{
    find_ctx *f = ctx;
    uint8_t h[32];
    char hex[65];
    crypto_hash_sha256(h, (const uint8_t *)l->origin, strlen(l->origin));
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    }
    if (f->found == NULL && strcmp(hex, f->hex) == 0 &&
        l->checkpoint[0] != '\0') {
        f->found = strdup(l->checkpoint);
    }
}

void sc_witness_get_checkpoint(sc_witness *w, const char *hex,
                               sc_witness_answer *a)
{
    memset(a, 0, sizeof *a);
    find_ctx f = {hex, NULL};
    pthread_mutex_lock(&w->lock);
    sc_status rc = sc_wdb_each_log(w->db, find_origin, &f);
    pthread_mutex_unlock(&w->lock);
    if (rc != SC_OK) {
        free(f.found);
        answer(a, 503, "witness state unreadable");
    } else if (f.found == NULL) {
        answer(a, 404, "no cosigned checkpoint for this log");
    } else {
        a->status = 200;
        a->ctype = "text/plain; charset=utf-8";
        a->body = f.found;
        a->len = strlen(f.found);
    }
}

int sc_witness_http(void *ctx, sc_http_req *req, sc_http_resp *resp)
{
    sc_witness *w = ctx;
    const char *m = sc_http_method(req), *p = sc_http_path(req);
    sc_witness_answer a;
    if (strcmp(p, "/add-checkpoint") == 0) {
        if (strcmp(m, "POST") != 0) {
            sc_http_text(resp, 405, "use POST");
            return SC_HTTP_DONE;
        }
        size_t len;
        const uint8_t *body = sc_http_body(req, &len);
        sc_witness_add_checkpoint(w, (const char *)body, len, &a);
    } else if (strlen(p) == 1 + 64 + 11 && strcmp(p + 65, "/checkpoint") == 0 &&
               strspn(p + 1, "0123456789abcdef") == 64) {
        if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
            sc_http_text(resp, 405, "use GET");
            return SC_HTTP_DONE;
        }
        char hex[65];
        memcpy(hex, p + 1, 64);
        hex[64] = '\0';
        sc_witness_get_checkpoint(w, hex, &a);
    } else {
        sc_http_text(resp, 404, "not found");
        return SC_HTTP_DONE;
    }
    if (a.body == NULL && a.status == 0) {
        sc_http_text(resp, 500, "out of memory");
    } else {
        sc_http_take(resp, a.status, a.ctype, a.body, a.len);
    }
    return SC_HTTP_DONE;
}
