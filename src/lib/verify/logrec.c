/* The election record as a function of the board's log (scrutin/logrec.h):
 * the entry checks of L1 and the projection onto docs/RECORD.md files. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/entry.h"
#include "scrutin/json.h"
#include "scrutin/logrec.h"
#include "scrutin/record.h"
#include "scrutin/tlog.h"

#define MAX_SIGNERS_GROW 16

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static int buf_put(buf *b, const void *d, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        char *np = realloc(b->p, cap);
        if (np == NULL) {
            return 0;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 1;
}

typedef struct ldev {
    uint8_t pub[32];
    uint32_t index;
    char *name;
    int simple;
    uint64_t ballots;
    uint32_t seq; /* last seq seen */
    int closed;
    char close_bc[80], close_h[80];
    buf lines;
} ldev;

typedef struct walk {
    sc_logrec *r;
    ldev *dev;
    size_t ndev, capdev;
    uint32_t auth_seq;
    uint8_t he[32];
    buf challenged;
    buf wi_counts, wi_open;          /* write_in_count, write_in lines */
    sc_labelset *wi_cset, *wi_oset;  /* their id_B (L1.H) */
    int have[SC_ENTRY_WRITE_IN + 1]; /* entries of each type seen */
    int closed;                      /* a close entry was seen */
} walk;

static sc_status fail(sc_logrec *r, const char *cond, uint64_t idx,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static sc_status fail(sc_logrec *r, const char *cond, uint64_t idx,
                      const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(r->fail_cond, sizeof r->fail_cond, "%s", cond);
    snprintf(r->fail, sizeof r->fail, "entry %llu: %s", (unsigned long long)idx,
             what);
    return SC_E_VERIFY;
}

/* Take data as file `name` (copied name). */
static sc_status add_file(sc_logrec *r, const char *name, uint8_t *data,
                          size_t len)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 32;
        sc_logrec_file *nf = realloc(r->f, cap * sizeof *nf);
        if (nf == NULL) {
            free(data);
            return SC_E_NOMEM;
        }
        r->f = nf;
        r->cap = cap;
    }
    size_t nl = strlen(name);
    char *nm = malloc(nl + 1);
    if (nm == NULL) {
        free(data);
        return SC_E_NOMEM;
    }
    memcpy(nm, name, nl + 1);
    r->f[r->n++] = (sc_logrec_file){nm, data, len};
    return SC_OK;
}

static sc_status add_copy(sc_logrec *r, const char *name, const void *data,
                          size_t len)
{
    uint8_t *d = malloc(len ? len : 1);
    if (d == NULL) {
        return SC_E_NOMEM;
    }
    memcpy(d, data, len);
    return add_file(r, name, d, len);
}

static void lower_hex(char *out, const uint8_t *in, size_t n)
{
    static const char dg[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = dg[in[i] >> 4];
        out[2 * i + 1] = dg[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* 64 hex digits (either case) -> 32 bytes. */
static int hex32(uint8_t out[32], const char *s)
{
    return s != NULL && strlen(s) == 64 &&
           sc_hex_decode(out, 32, s, 64) == SC_OK;
}

/* A record file name of the election payload: components of
 * [A-Za-z0-9._-], none empty, "." or "..", not under log/. */
static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 200 || strncmp(s, "log/", 4) == 0 ||
        strcmp(s, "log") == 0) {
        return 0;
    }
    const char *c = s;
    while (*c != '\0') {
        const char *e = strchr(c, '/');
        size_t l = e ? (size_t)(e - c) : strlen(c);
        if (l == 0 || (l == 1 && c[0] == '.') ||
            (l == 2 && c[0] == '.' && c[1] == '.')) {
            return 0;
        }
        for (size_t i = 0; i < l; i++) {
            char ch = c[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
                  ch == '-')) {
                return 0;
            }
        }
        c += l;
        if (*c == '/') {
            c++;
            if (*c == '\0') {
                return 0;
            }
        }
    }
    return 1;
}

/* Entry 0: the election. */
static sc_status take_election(walk *w, const sc_entry *e, const uint8_t *p,
                               size_t len)
{
    sc_logrec *r = w->r;
    sc_jctx ctx;
    sc_json *o = NULL, *files = NULL;
    const char *ty = NULL, *origin = NULL, *bk = NULL, *ak = NULL;
    size_t nf = 0;
    sc_status rc;
    sc_jctx_init(&ctx, "election payload", NULL);
    if (sc_json_parse(&ctx, (const char *)p, len, &o) != SC_OK ||
        sc_json_get_str(&ctx, o, "type", &ty) != SC_OK ||
        strcmp(ty, "election") != 0 ||
        sc_json_get_str(&ctx, o, "origin", &origin) != SC_OK ||
        sc_json_get_str(&ctx, o, "board_key", &bk) != SC_OK ||
        sc_json_get_str(&ctx, o, "authority_key", &ak) != SC_OK ||
        sc_json_get_arr(&ctx, o, "files", &files, &nf) != SC_OK) {
        rc = fail(r, "L1.F", 0, "not an election payload: %s",
                  ctx.msg[0] ? ctx.msg : "type");
        goto done;
    }
    if (!hex32(r->authority_pub, ak) ||
        memcmp(r->authority_pub, e->signer, 32) != 0) {
        rc = fail(r, "L1.D", 0,
                  "not signed by the authority key the election names");
        goto done;
    }
    if (strlen(origin) >= sizeof r->origin ||
        strlen(bk) >= sizeof r->board_vkey) {
        rc = fail(r, "L1.F", 0, "origin or board key too long");
        goto done;
    }
    snprintf(r->origin, sizeof r->origin, "%s", origin);
    snprintf(r->board_vkey, sizeof r->board_vkey, "%s", bk);
    const char *prev = "";
    for (size_t i = 0; i < nf; i++) {
        const sc_json *f = sc_json_array_at(files, i);
        const char *nm = NULL, *b64 = NULL;
        if (sc_json_get_str(&ctx, f, "name", &nm) != SC_OK ||
            sc_json_get_str(&ctx, f, "base64", &b64) != SC_OK || !name_ok(nm) ||
            strcmp(prev, nm) >= 0) {
            rc = fail(r, "L1.F", 0,
                      "file %zu: name missing, not a plain relative path, or "
                      "names not sorted and distinct",
                      i + 1);
            goto done;
        }
        prev = nm;
        size_t bl = strlen(b64), dl = 0;
        uint8_t *d = malloc(bl / 4 * 3 + 3);
        if (d == NULL) {
            rc = SC_E_NOMEM;
            goto done;
        }
        if (sc_b64_decode(d, bl / 4 * 3 + 3, &dl, b64, bl) != SC_OK) {
            free(d);
            rc = fail(r, "L1.F", 0, "file %s: bad base64", nm);
            goto done;
        }
        if (strcmp(nm, "hashes_ext.json") == 0) {
            sc_json *hx = NULL;
            const char *he = NULL;
            sc_jctx c2;
            sc_jctx_init(&c2, nm, NULL);
            int ok = sc_json_parse(&c2, (const char *)d, dl, &hx) == SC_OK &&
                     sc_json_get_str(&c2, hx, "h_e", &he) == SC_OK &&
                     hex32(w->he, he);
            sc_json_free(hx);
            if (!ok) {
                free(d);
                rc = fail(r, "L1.F", 0, "hashes_ext.json has no h_e");
                goto done;
            }
        }
        rc = add_file(r, nm, d, dl);
        if (rc != SC_OK) {
            goto done;
        }
    }
    /* the origin names H_E (docs/BOARD.md §3) */
    char want[64], hx[65];
    lower_hex(hx, w->he, 32);
    snprintf(want, sizeof want, "scrutin.board/%.16s", hx);
    if (strcmp(want, origin) != 0) {
        rc = fail(r, "L1.F", 0, "origin \"%s\" is not %s", origin, want);
        goto done;
    }
    rc = SC_OK;
done:
    sc_json_free(o);
    return rc;
}

static ldev *dev_by_pub(walk *w, const uint8_t pub[32])
{
    for (size_t i = 0; i < w->ndev; i++) {
        if (memcmp(w->dev[i].pub, pub, 32) == 0) {
            return &w->dev[i];
        }
    }
    return NULL;
}

static sc_status take_device(walk *w, const sc_entry *e, const uint8_t *p,
                             size_t len)
{
    sc_jctx ctx;
    sc_json *o = NULL;
    const char *ty = NULL, *nm = NULL, *ch = NULL, *pk = NULL;
    uint32_t idx = 0;
    uint8_t pub[32];
    sc_status rc = SC_OK;
    sc_jctx_init(&ctx, "device payload", NULL);
    if (sc_json_parse(&ctx, (const char *)p, len, &o) != SC_OK ||
        sc_json_get_str(&ctx, o, "type", &ty) != SC_OK ||
        strcmp(ty, "device") != 0 ||
        sc_json_get_u32(&ctx, o, "index", &idx) != SC_OK ||
        sc_json_get_str(&ctx, o, "device", &nm) != SC_OK ||
        sc_json_get_str(&ctx, o, "chaining", &ch) != SC_OK ||
        sc_json_get_str(&ctx, o, "public_key", &pk) != SC_OK ||
        !hex32(pub, pk) ||
        (strcmp(ch, "simple") != 0 && strcmp(ch, "none") != 0)) {
        rc = fail(w->r, "L1.F", e->index, "not a device payload: %s",
                  ctx.msg[0] ? ctx.msg : "chaining or public_key");
        goto done;
    }
    if (idx != w->ndev + 1 || dev_by_pub(w, pub) != NULL ||
        memcmp(pub, w->r->authority_pub, 32) == 0) {
        rc = fail(w->r, "L1.F", e->index,
                  "device %u: not the next index (%zu) or its key is "
                  "already registered",
                  idx, w->ndev + 1);
        goto done;
    }
    if (w->ndev == w->capdev) {
        size_t cap = w->capdev ? 2 * w->capdev : MAX_SIGNERS_GROW;
        ldev *nd = realloc(w->dev, cap * sizeof *nd);
        if (nd == NULL) {
            rc = SC_E_NOMEM;
            goto done;
        }
        w->dev = nd;
        w->capdev = cap;
    }
    ldev *d = &w->dev[w->ndev];
    memset(d, 0, sizeof *d);
    memcpy(d->pub, pub, 32);
    d->index = idx;
    d->simple = strcmp(ch, "simple") == 0;
    d->name = malloc(strlen(nm) + 1);
    if (d->name == NULL) {
        rc = SC_E_NOMEM;
        goto done;
    }
    memcpy(d->name, nm, strlen(nm) + 1);
    w->ndev++;
done:
    sc_json_free(o);
    return rc;
}

static sc_status take_ballot(walk *w, ldev *d, const sc_entry *e,
                             const uint8_t *p, size_t len)
{
    sc_jctx ctx;
    sc_json *o = NULL;
    uint8_t code[32];
    sc_status rc = SC_OK;
    sc_jctx_init(&ctx, "ballot payload", NULL);
    if (memchr(p, '\n', len) != NULL ||
        sc_json_parse(&ctx, (const char *)p, len, &o) != SC_OK ||
        sc_json_get_hash(&ctx, o, "confirmation_code", code) != SC_OK) {
        rc = fail(w->r, "L1.F", e->index, "not a ballot line: %s",
                  ctx.msg[0] ? ctx.msg : "a newline inside");
        goto done;
    }
    if (memcmp(code, e->key, 32) != 0) {
        rc = fail(w->r, "L1.F", e->index,
                  "the entry's key is not the ballot's confirmation code");
        goto done;
    }
    if (!buf_put(&d->lines, p, len) || !buf_put(&d->lines, "\n", 1)) {
        rc = SC_E_NOMEM;
        goto done;
    }
    d->ballots++;
done:
    sc_json_free(o);
    return rc;
}

static sc_status take_close(walk *w, ldev *d, const sc_entry *e,
                            const uint8_t *p, size_t len)
{
    sc_jctx ctx;
    sc_json *o = NULL, *cl = NULL;
    const char *ty = NULL, *bc = NULL, *h = NULL;
    uint32_t dv = 0;
    uint64_t nb = 0;
    sc_status rc = SC_OK;
    sc_jctx_init(&ctx, "device_close payload", NULL);
    if (sc_json_parse(&ctx, (const char *)p, len, &o) != SC_OK ||
        sc_json_get_str(&ctx, o, "type", &ty) != SC_OK ||
        strcmp(ty, "device_close") != 0 ||
        sc_json_get_u32(&ctx, o, "device", &dv) != SC_OK ||
        sc_json_get_u64(&ctx, o, "ballots", &nb) != SC_OK) {
        rc = fail(w->r, "L1.F", e->index, "not a device_close payload: %s",
                  ctx.msg);
        goto done;
    }
    if (dv != d->index || nb != d->ballots) {
        rc = fail(w->r, "L1.F", e->index,
                  "device_close says device %u with %llu ballots; the log "
                  "has device %u with %llu",
                  dv, (unsigned long long)nb, d->index,
                  (unsigned long long)d->ballots);
        goto done;
    }
    if (d->simple) {
        if (sc_json_get_obj(&ctx, o, "closing", &cl) != SC_OK ||
            sc_json_get_str(&ctx, cl, "chaining_field", &bc) != SC_OK ||
            sc_json_get_str(&ctx, cl, "hash", &h) != SC_OK ||
            strlen(bc) >= sizeof d->close_bc ||
            strlen(h) >= sizeof d->close_h) {
            rc = fail(w->r, "L1.F", e->index, "device_close: closing: %s",
                      ctx.msg);
            goto done;
        }
        snprintf(d->close_bc, sizeof d->close_bc, "%s", bc);
        snprintf(d->close_h, sizeof d->close_h, "%s", h);
    }
    d->closed = 1;
done:
    sc_json_free(o);
    return rc;
}

sc_status sc_logrec_write_in_line(const uint8_t *p, size_t len,
                                  uint8_t id_b[32], char *why, size_t wl)
{
    sc_jctx ctx;
    sc_json *o = NULL;
    const char *id = NULL;
    sc_status rc = SC_OK;
    sc_jctx_init(&ctx, "write-in line", NULL);
    if (memchr(p, '\n', len) != NULL) {
        snprintf(why, wl, "a newline inside the line");
        return SC_E_INVALID;
    }
    if (sc_json_parse(&ctx, (const char *)p, len, &o) != SC_OK ||
        sc_json_get_str(&ctx, o, "id", &id) != SC_OK ||
        sc_json_get_hash(&ctx, o, "selection_encryption_identifier", id_b) !=
            SC_OK) {
        snprintf(why, wl, "%s", ctx.msg);
        rc = SC_E_INVALID;
    }
    sc_json_free(o);
    return rc;
}

/* write_in_count and write_in (docs/BOARD.md §3.3): L1.G after the tally
 * entry; L1.F the line's form; L1.H one of each per id_B, the opening
 * after its count. */
static sc_status take_write_in(walk *w, const sc_entry *e, const uint8_t *p,
                               size_t len)
{
    uint8_t idb[32];
    char why[300];
    const char *tn = sc_entry_type_name(e->type);
    int count = e->type == SC_ENTRY_WRITE_IN_COUNT;
    if (!w->have[SC_ENTRY_TALLY]) {
        return fail(w->r, "L1.G", e->index, "a %s entry before the tally", tn);
    }
    if (sc_logrec_write_in_line(p, len, idb, why, sizeof why) != SC_OK) {
        return fail(w->r, "L1.F", e->index, "not a %s line: %s", tn, why);
    }
    if (!count && sc_labelset_has_key(w->wi_cset, idb) != 1) {
        return fail(w->r, "L1.H", e->index,
                    "a write_in opening of a ballot whose write_in_count "
                    "is not in the log before it");
    }
    int added = sc_labelset_add_key(count ? w->wi_cset : w->wi_oset, idb);
    if (added < 0) {
        return SC_E_NOMEM;
    }
    if (added == 0) {
        return fail(w->r, "L1.H", e->index,
                    "a second %s entry for the same "
                    "selection_encryption_identifier",
                    tn);
    }
    buf *b = count ? &w->wi_counts : &w->wi_open;
    return buf_put(b, p, len) && buf_put(b, "\n", 1) ? SC_OK : SC_E_NOMEM;
}

/* The record file a single authority payload becomes. */
static const char *single_file(unsigned type)
{
    switch (type) {
    case SC_ENTRY_TALLY: return "encrypted_tally.json";
    case SC_ENTRY_DECRYPTION: return "tally.json";
    case SC_ENTRY_RESULT: return "results.json";
    case SC_ENTRY_WITNESS_POLICY: return "log/policy.json";
    default: return NULL;
    }
}

static sc_status one_entry(walk *w, uint64_t i, const uint8_t *raw,
                           sc_logrec_payload_fn get, void *gctx)
{
    sc_logrec *r = w->r;
    sc_entry e;
    uint8_t *p = NULL;
    size_t len = 0;
    sc_status rc;
    if (sc_entry_decode(&e, raw, SC_ENTRY_BYTES) != SC_OK || e.index != i) {
        return fail(r, "L1.A", i,
                    "not a version-1 entry of a known type at its index");
    }
    /* L1.B: the payload the entry commits to. */
    rc = get(gctx, e.payload_sha256, e.payload_len, &p, &len);
    if (rc != SC_OK) {
        char hx[65];
        lower_hex(hx, e.payload_sha256, 32);
        snprintf(r->fail_cond, sizeof r->fail_cond, "L1.B");
        snprintf(r->fail, sizeof r->fail, "entry %llu: payload %s missing",
                 (unsigned long long)i, hx);
        return rc == SC_E_NOMEM ? rc : SC_E_IO;
    }
    uint8_t h[32];
    crypto_hash_sha256(h, p, len);
    if (len != e.payload_len || memcmp(h, e.payload_sha256, 32) != 0) {
        free(p);
        return fail(r, "L1.B", i,
                    "payload length or SHA-256 differs from the entry's");
    }
    if (i == 0) {
        if (e.type != SC_ENTRY_ELECTION) {
            rc = fail(r, "L1.F", 0, "entry 0 is not the election");
        } else {
            rc = take_election(w, &e, p, len);
        }
        if (rc != SC_OK) {
            free(p);
            return rc;
        }
    }
    /* L1.C: the submitter's signature over the submit message (§3.2). */
    if (sc_entry_verify(&e, r->origin) != SC_OK) {
        free(p);
        return fail(r, "L1.C", i, "the submitter's signature fails");
    }
    /* L1.D / L1.E: who may sign what, and each signer's sequence. */
    ldev *d = NULL;
    uint32_t *seq = NULL;
    if (sc_entry_type_by_authority(e.type)) {
        if (memcmp(e.signer, r->authority_pub, 32) != 0) {
            free(p);
            return fail(r, "L1.D", i, "a %s entry not signed by the authority",
                        sc_entry_type_name(e.type));
        }
        seq = &w->auth_seq;
    } else {
        d = dev_by_pub(w, e.signer);
        if (d == NULL || d->closed) {
            free(p);
            return fail(r, "L1.D", i,
                        "a %s entry signed by no registered open device",
                        sc_entry_type_name(e.type));
        }
        seq = &d->seq;
    }
    if (e.seq != *seq + 1) {
        free(p);
        return fail(r, "L1.E", i, "signer's sequence %u after %u", e.seq, *seq);
    }
    *seq = e.seq;
    if (w->closed) {
        free(p);
        return fail(r, "L1.F", i, "an entry after the close entry");
    }
    if (i > 0 && e.type == SC_ENTRY_ELECTION) {
        free(p);
        return fail(r, "L1.F", i, "a second election entry");
    }
    const char *single = single_file(e.type);
    if (single != NULL && w->have[e.type]) {
        free(p);
        return fail(r, "L1.F", i, "a second %s entry",
                    sc_entry_type_name(e.type));
    }
    w->have[e.type]++;
    switch (e.type) {
    case SC_ENTRY_DEVICE: rc = take_device(w, &e, p, len); break;
    case SC_ENTRY_BALLOT: rc = take_ballot(w, d, &e, p, len); break;
    case SC_ENTRY_DEVICE_CLOSE: rc = take_close(w, d, &e, p, len); break;
    case SC_ENTRY_CHALLENGED:
        rc = memchr(p, '\n', len) != NULL
                 ? fail(r, "L1.F", i, "a newline inside a challenged line")
             : buf_put(&w->challenged, p, len) &&
                     buf_put(&w->challenged, "\n", 1)
                 ? SC_OK
                 : SC_E_NOMEM;
        break;
    case SC_ENTRY_CLOSE: w->closed = 1; break;
    case SC_ENTRY_WRITE_IN_COUNT:
    case SC_ENTRY_WRITE_IN: rc = take_write_in(w, &e, p, len); break;
    default: rc = SC_OK; break;
    }
    if (rc == SC_OK && single != NULL) {
        rc = add_copy(r, single, p, len);
        if (rc == SC_OK && e.type == SC_ENTRY_WITNESS_POLICY) {
            r->policy = malloc(len + 1);
            if (r->policy == NULL) {
                rc = SC_E_NOMEM;
            } else {
                memcpy(r->policy, p, len);
                r->policy[len] = '\0';
                r->policy_len = len;
            }
        }
    }
    if (rc == SC_OK) {
        char hx[65], nm[96];
        lower_hex(hx, e.payload_sha256, 32);
        snprintf(nm, sizeof nm, "log/payloads/%s", hx);
        /* identical payloads are merged after sorting */
        rc = add_file(r, nm, p, len);
        p = NULL;
    }
    free(p);
    return rc;
}

static sc_status devices_json(walk *w)
{
    sc_json *o = sc_json_object(), *arr = sc_json_array();
    sc_status rc = o != NULL && arr != NULL ? SC_OK : SC_E_NOMEM;
    for (size_t i = 0; i < w->ndev && rc == SC_OK; i++) {
        const ldev *d = &w->dev[i];
        sc_json *x = sc_json_object(), *cl = NULL;
        uint8_t hdi[32];
        sc_eg_device_hash(w->he, d->name, strlen(d->name), hdi); /* eq 72 */
        rc = x == NULL ? SC_E_NOMEM : sc_json_put_u64(x, "index", d->index);
        if (rc == SC_OK) {
            rc = sc_json_put_str(x, "device", d->name);
        }
        if (rc == SC_OK) {
            rc = sc_json_put_hash(x, "h_di", hdi);
        }
        if (rc == SC_OK) {
            rc = sc_json_put_str(x, "chaining", d->simple ? "simple" : "none");
        }
        if (rc == SC_OK) {
            rc = sc_json_put_u64(x, "ballots", d->ballots);
        }
        if (rc == SC_OK && d->simple && d->closed) {
            cl = sc_json_object();
            rc = cl == NULL
                     ? SC_E_NOMEM
                     : sc_json_put_str(cl, "chaining_field", d->close_bc);
            if (rc == SC_OK) {
                rc = sc_json_put_str(cl, "hash", d->close_h);
            }
            if (rc == SC_OK) {
                rc = sc_json_put(x, "closing", cl);
                cl = NULL;
            }
            sc_json_free(cl);
        }
        if (rc == SC_OK) {
            rc = sc_json_append(arr, x);
            x = NULL;
        }
        sc_json_free(x);
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "devices", arr);
        arr = NULL;
    }
    char *s = rc == SC_OK ? sc_json_dumps(o) : NULL;
    sc_json_free(o);
    sc_json_free(arr);
    if (s == NULL) {
        return SC_E_NOMEM;
    }
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (t == NULL) {
        free(s);
        return SC_E_NOMEM;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    return add_file(w->r, "devices.json", (uint8_t *)t, n + 1);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const sc_logrec_file *)a)->name,
                  ((const sc_logrec_file *)b)->name);
}

sc_status sc_logrec_build(sc_logrec *out, const uint8_t *entries, uint64_t n,
                          sc_logrec_payload_fn get, void *ctx)
{
    memset(out, 0, sizeof *out);
    out->entries = n;
    walk w;
    memset(&w, 0, sizeof w);
    w.r = out;
    if (n == 0) {
        snprintf(out->fail_cond, sizeof out->fail_cond, "L1.A");
        snprintf(out->fail, sizeof out->fail, "the log is empty");
        return SC_E_VERIFY;
    }
    sc_status rc = sc_labelset_new(&w.wi_cset);
    if (rc == SC_OK) {
        rc = sc_labelset_new(&w.wi_oset);
    }
    for (uint64_t i = 0; i < n && rc == SC_OK; i++) {
        rc = one_entry(&w, i, entries + i * SC_ENTRY_BYTES, get, ctx);
    }
    for (size_t i = 0; i < w.ndev && rc == SC_OK; i++) {
        ldev *d = &w.dev[i];
        char nm[64];
        snprintf(nm, sizeof nm, "ballots/device_%u.jsonl", d->index);
        rc = add_file(out, nm, (uint8_t *)d->lines.p, d->lines.len);
        d->lines.p = NULL;
    }
    if (rc == SC_OK) {
        rc = devices_json(&w);
    }
    if (rc == SC_OK) {
        rc = add_file(out, "challenged.jsonl", (uint8_t *)w.challenged.p,
                      w.challenged.len);
        w.challenged.p = NULL;
    }
    if (rc == SC_OK && w.have[SC_ENTRY_WRITE_IN_COUNT]) {
        rc = add_file(out, "write_in_counts.jsonl", (uint8_t *)w.wi_counts.p,
                      w.wi_counts.len);
        w.wi_counts.p = NULL;
    }
    if (rc == SC_OK && w.have[SC_ENTRY_WRITE_IN]) {
        rc = add_file(out, "write_ins.jsonl", (uint8_t *)w.wi_open.p,
                      w.wi_open.len);
        w.wi_open.p = NULL;
    }
    if (rc == SC_OK) {
        size_t total = (size_t)n * SC_ENTRY_BYTES;
        rc = add_copy(out, "log/entries.bin", entries, total);
    }
    if (rc == SC_OK) {
        qsort(out->f, out->n, sizeof *out->f, cmp_file);
        size_t k = 0;
        for (size_t i = 0; i < out->n; i++) {
            if (k > 0 && strcmp(out->f[k - 1].name, out->f[i].name) == 0) {
                if (strncmp(out->f[i].name, "log/payloads/", 13) != 0) {
                    rc = fail(out, "L1.F", 0,
                              "the election payload holds %s, which the "
                              "log itself makes",
                              out->f[i].name);
                }
                free(out->f[i].name);
                free(out->f[i].data);
                continue;
            }
            out->f[k++] = out->f[i];
        }
        out->n = k;
    }
    for (size_t i = 0; i < w.ndev; i++) {
        free(w.dev[i].name);
        free(w.dev[i].lines.p);
    }
    free(w.dev);
    free(w.challenged.p);
    free(w.wi_counts.p);
    free(w.wi_open.p);
    sc_labelset_free(w.wi_cset);
    sc_labelset_free(w.wi_oset);
    return rc;
}

void sc_logrec_free(sc_logrec *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->f[i].name);
        free(r->f[i].data);
    }
    free(r->f);
    free(r->policy);
    r->f = NULL;
    r->policy = NULL;
    r->n = r->cap = 0;
}

const sc_logrec_file *sc_logrec_find(const sc_logrec *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->f[i].name, name) == 0) {
            return &r->f[i];
        }
    }
    return NULL;
}

void sc_logrec_state_name(char *out, size_t cap, const char *origin)
{
    size_t n = 0;
    for (const char *p = origin; *p != '\0' && n + 12 < cap; p++) {
        char c = *p;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '.' || c == '-';
        out[n++] = keep ? c : '_';
    }
    snprintf(out + n, cap - n, ".checkpoint");
}
