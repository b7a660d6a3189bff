/* The ballot pass: Verifications 5-9, 13, 14 and the supplementary
 * S1-S5, streamed.
 *
 * One reader (the calling thread) splits ballots/device_<d>.jsonl into
 * lines and hands each to the bounded queue of the worker pool shared
 * with the 2.0 verifier (verify/common/pool.c). A worker parses the line
 * and does everything that needs no order: V5.B, V6/S3, V7/S4, V8.A-8.D,
 * S2, S5, V13-V14, and multiplies cast ballots into per-thread V9
 * accumulators. What needs the device order (S1.A sequence numbers, S1.I
 * labels and V5.A id_B unique, the only state that grows: 32 bytes per
 * ballot; V8.E-8.F chaining) the reader does, in order, from the few
 * fields the worker left in the ballot's slot (see "The reader and the
 * ordered pass" below). Memory is bounded by the queue and the ring of
 * slots, whatever the number of ballots. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify/vctx.h"
#include "report/report_capture.h"

#include "scrutin/core.h"
#include "scrutin/files.h"
#include "scrutin/json.h"
#include "scrutin/record.h"

/* ------------------------------------------------------------------ */
/* Openings of challenged ballots (open addressing over the first 8
 * bytes of id_B). */

static uint64_t idhash(const uint8_t id[32])
{
    uint64_t h = 0;
    for (int i = 0; i < 8; i++) {
        h = h << 8 | id[i];
    }
    return h * 0x9E3779B97F4A7C15ull;
}

vr_opening *vr_opening_find(const vr_ctx *ctx, const uint8_t idb[32])
{
    if (ctx->nopen_cap == 0) {
        return NULL;
    }
    size_t m = ctx->nopen_cap - 1;
    for (size_t i = idhash(idb) & m;; i = (i + 1) & m) {
        vr_opening *o = &ctx->open[i];
        if (o->j == NULL) {
            return NULL;
        }
        if (memcmp(o->idb, idb, 32) == 0) {
            return o;
        }
    }
}

static void openings_load(vr_ctx *ctx)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    if (vr_load_file(ctx->dir, "challenged.jsonl", &buf, &len) != SC_OK) {
        ctx->open_missing = 1;
        return;
    }
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) {
        lines += buf[i] == '\n';
    }
    size_t cap = 16;
    while (cap < 2 * lines) {
        cap *= 2;
    }
    ctx->open = calloc(cap, sizeof *ctx->open);
    if (ctx->open == NULL) {
        ctx->open_missing = 1;
        free(buf);
        return;
    }
    ctx->nopen_cap = cap;
    char *p = (char *)buf, *end = (char *)buf + len;
    uint64_t lineno = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lineno++;
        char where[64];
        snprintf(where, sizeof where, "challenged.jsonl line %llu",
                 (unsigned long long)lineno);
        if (n > 0) {
            json_t *j = sc_json_loadb(p, n, NULL, 0);
            uint8_t idb[32];
            if (j == NULL ||
                vr_hex_bytes(
                    idb, json_object_get(j, "selection_encryption_identifier"),
                    32) != SC_OK) {
                sc_report_error(ctx->rep, "V13", where, "unreadable opening");
                json_decref(j);
            } else if (vr_opening_find(ctx, idb) != NULL) {
                sc_report_fail(ctx->rep, "S1.F", where,
                               "second opening for the same id_B");
                json_decref(j);
            } else {
                size_t m = cap - 1;
                size_t i = idhash(idb) & m;
                while (ctx->open[i].j != NULL) {
                    i = (i + 1) & m;
                }
                memcpy(ctx->open[i].idb, idb, 32);
                ctx->open[i].j = j;
                ctx->open[i].line = lineno;
                ctx->nopen++;
            }
        }
        p += n + 1;
    }
    free(buf);
}

static void openings_free(vr_ctx *ctx)
{
    for (size_t i = 0; i < ctx->nopen_cap; i++) {
        json_decref(ctx->open[i].j);
    }
    free(ctx->open);
    ctx->open = NULL;
    ctx->nopen_cap = ctx->nopen = 0;
}

/* ------------------------------------------------------------------ */
/* Per-worker state: the workers themselves are the shared pool of
 * verify/common/pool.c. */

typedef struct worker {
    vc_prods A, B; /* local V9 products */
    uint64_t ncast;
    sc_sqtest *sq; /* the signs of the worker's elements, or NULL */
} worker;

typedef struct pass {
    vr_ctx *ctx;
    worker *ws;
    sc_report *cap;     /* where the pass's findings go (report_capture.h) */
    pthread_mutex_t mu; /* vr_slot.done */
    pthread_cond_t cv;
} pass;

/* ------------------------------------------------------------------ */
/* One ballot, on a worker. */

/* Membership of every α, β, contest data C_0 and C_ξB,0 of the ballot:
 * range 0 < x < p each, then one batched subgroup test; only if the batch
 * fails is each element tested alone, to name it (6.A, 7.A, S5.A,
 * S2.A). With b->sq the batch leaves the signs to the worker's square
 * test (vr_ballots: the pass runs again without it if that fails). */
static void membership(const vr_ctx *ctx, vr_ballot *b)
{
    const sc_group *grp = ctx->grp;
    size_t ne = 1;
    for (uint32_t l = 0; l < b->nc; l++) {
        ne += 2 * (size_t)b->c[l].nf + (size_t)b->c[l].has_data;
    }
    mpz_t *el = calloc(ne, sizeof *el);
    unsigned char *bad = calloc(ne, 1);
    if (el == NULL || bad == NULL) {
        free(el);
        free(bad);
        /* no memory for the batch: test one by one */
        for (uint32_t l = 0; l < b->nc; l++) {
            for (uint32_t i = 0; i < b->c[l].nf; i++) {
                vr_field *f = &b->c[l].f[i];
                f->nonmember = (!sc_elem_is_member(grp, f->alpha)) |
                               (!sc_elem_is_member(grp, f->beta)) << 1;
            }
            if (b->c[l].has_data) {
                b->c[l].cd_nonmember = !sc_elem_is_member(grp, b->c[l].cd_c0);
            }
        }
        b->bn_c0_nonmember = !sc_elem_is_member(grp, b->bn_c0);
        return;
    }
    size_t k = 0;
    for (uint32_t l = 0; l < b->nc; l++) {
        for (uint32_t i = 0; i < b->c[l].nf; i++) {
            el[k++][0] = b->c[l].f[i].alpha[0];
            el[k++][0] = b->c[l].f[i].beta[0];
        }
        if (b->c[l].has_data) {
            el[k++][0] = b->c[l].cd_c0[0];
        }
    }
    el[k][0] = b->bn_c0[0];
    if (!vc_members_sq(grp, ne, (const mpz_t *)el, bad, b->sq)) {
        k = 0;
        for (uint32_t l = 0; l < b->nc; l++) {
            for (uint32_t i = 0; i < b->c[l].nf; i++) {
                b->c[l].f[i].nonmember |= bad[k] | bad[k + 1] << 1;
                k += 2;
            }
            if (b->c[l].has_data) {
                b->c[l].cd_nonmember |= bad[k++];
            }
        }
        b->bn_c0_nonmember |= bad[k];
    }
    free(el);
    free(bad);
}

/* The squaring chains of the ballot's selections, made CHAIN_FIELDS fields
 * at a time (their α and β: eight bases on the 8-lane kernel, vpow.c):
 * the group holding field (l, o) in the ballot's order, made when the
 * loop reaches it. A field that will not use its chain (not in Z_p^r,
 * one exponent) is left out. */
#define CHAIN_FIELDS (VC_CHAINS_MAX / 2)
typedef struct chain_group {
    vc_chains ch;
    uint32_t l, o;             /* the first field after the group */
    uint32_t fl[CHAIN_FIELDS]; /* the fields in it: contest */
    uint32_t fo[CHAIN_FIELDS]; /* and option */
    size_t nf;
    int made; /* a group was made: (l, o) is its end */
} chain_group;

static const vc_chains *chains_for(const vr_ctx *ctx, const vr_ballot *b,
                                   chain_group *g, uint32_t l, uint32_t o,
                                   size_t *bx)
{
    for (size_t k = 0; k < g->nf; k++) {
        if (g->fl[k] == l && g->fo[k] == o) {
            *bx = 2 * k;
            return &g->ch;
        }
    }
    if (g->made && (l < g->l || (l == g->l && o < g->o))) {
        return NULL; /* in the group's span, left out */
    }
    /* the next group: from (l, o) on, up to CHAIN_FIELDS fields that use
     * their chains (the memory of the last one reused) */
    g->nf = 0;
    mpz_t bases[VC_CHAINS_MAX];
    uint32_t cl = l, co = o;
    while (cl < b->nc && g->nf < CHAIN_FIELDS) {
        if (co >= b->c[cl].nf) {
            cl++;
            co = 0;
            continue;
        }
        const vr_field *f = &b->c[cl].f[co];
        if (!f->nonmember && f->n >= 2) {
            bases[2 * g->nf][0] = f->alpha[0]; /* shallow views */
            bases[2 * g->nf + 1][0] = f->beta[0];
            g->fl[g->nf] = cl;
            g->fo[g->nf] = co;
            g->nf++;
        }
        co++;
    }
    g->l = cl;
    g->o = co;
    g->made = 1;
    if (g->nf == 0 || vc_chains_make(ctx->grp, &g->ch, 2 * g->nf,
                                     (const mpz_t *)bases) != SC_OK) {
        g->nf = 0;
        return NULL;
    }
    /* the scan began at (l, o): it is the group's first field or not in it */
    *bx = 0;
    return g->fl[0] == l && g->fo[0] == o ? &g->ch : NULL;
}

int vr_check_one_ballot(const vr_ctx *ctx, vr_ballot *b, const vr_device *dev,
                        const char *where)
{
    const int ch = b->challenged;
    int ok = 1;

    /* 5.B: H_I = H(H_E; 0x20, id_B), eq (32). Later checks use the
     * recomputed H_I. */
    uint8_t hi[32];
    sc_eg_selection_id_hash(ctx->he, b->idb, hi);
    if (memcmp(hi, b->hi, 32) != 0) {
        sc_report_fail(ctx->rep, "V5.B", where,
                       "h_i is not H(H_E; 0x20, id_B)");
        memcpy(b->hi, hi, 32);
        ok = 0;
    } else {
        sc_report_pass(ctx->rep, "V5", 1);
    }

    membership(ctx, b);

    /* V6 (cast) / S3 (challenged, AMBIGUITIES 6); V7 / S4. */
    uint64_t sel_ok = 0, lim_ok = 0, sel_n = 0;
    chain_group cg = {0};
    for (uint32_t l = 0; l < b->nc; l++) {
        vr_bcontest *c = &b->c[l];
        const vr_contest *mc = &ctx->man.c[c->index - 1];
        char wc[200];
        for (uint32_t o = 0; o < c->nf; o++) {
            snprintf(wc, sizeof wc, "%s contest %u option %u", where, c->index,
                     o + 1);
            size_t bx = 0;
            const vc_chains *chn = chains_for(ctx, b, &cg, l, o, &bx);
            sel_ok += (uint64_t)vr_check_selection_chained(
                ctx, ch ? "S3" : "V6", b->hi, c->index, o + 1, &c->f[o], chn,
                bx, wc);
            sel_n++;
        }
        snprintf(wc, sizeof wc, "%s contest %u", where, c->index);
        lim_ok += (uint64_t)(vr_check_limit(ctx, ch ? "S4" : "V7", b->hi, c,
                                            mc->limit, wc) &
                             vr_check_supplemental(ctx, ch ? "S4" : "V7", b->hi,
                                                   c, mc, wc));
    }
    vc_chains_free(&cg.ch);
    sc_report_pass(ctx->rep, ch ? "S3" : "V6", sel_ok);
    sc_report_pass(ctx->rep, ch ? "S4" : "V7", lim_ok);
    ok &= sel_ok == sel_n && lim_ok == b->nc;

    /* V8.A, 8.B, 8.D. */
    if (vr_check_codes(ctx, b, dev, where)) {
        sc_report_pass(ctx->rep, "V8", 1);
    } else {
        ok = 0;
    }
    /* S2: ballot nonce proof (eq 38). */
    if (vr_check_ballot_nonce(ctx, b, where)) {
        sc_report_pass(ctx->rep, "S2", 1);
    } else {
        ok = 0;
    }
    /* S5: contest data proofs (eq 69). */
    int cd_bad = 0;
    sc_report_pass(ctx->rep, "S5",
                   vr_check_contest_data(ctx, b, where, &cd_bad));
    ok &= !cd_bad;
    return ok;
}

static void check_ballot(vr_ctx *ctx, worker *w, json_t *j,
                         const vr_device *dev)
{
    vr_ballot b;
    char where[160];
    if (vr_ballot_decode(ctx, j, &b) != SC_OK) {
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
        __atomic_store_n(&ctx->ballots_unreadable, 1, __ATOMIC_RELAXED);
        vr_ballot_free(&b);
        return;
    }
    snprintf(where, sizeof where, "ballot %s", b.label);
    b.sq = w->sq;
    const int ch = b.challenged;
    for (uint32_t l = 0; l < b.nc; l++) {
        __atomic_store_n(&ctx->contest_seen[b.c[l].index - 1], 1,
                         __ATOMIC_RELAXED);
    }
    (void)vr_check_one_ballot(ctx, &b, dev, where);

    if (!ch) {
        /* V9 accumulation: (A, B) = (Π α^W, Π β^W) (eq 79-80). */
        mpz_t t, W;
        mpz_inits(t, W, NULL);
        mpz_set_ui(W, b.weight);
        for (uint32_t l = 0; l < b.nc; l++) {
            const vr_bcontest *c = &b.c[l];
            size_t base = ctx->man.c[c->index - 1].agg_base;
            for (uint32_t o = 0; o < c->nf; o++) {
                if (b.weight == 1) {
                    vc_prods_mul(&w->A, base + o, c->f[o].alpha);
                    vc_prods_mul(&w->B, base + o, c->f[o].beta);
                } else {
                    sc_pow(ctx->grp, t, c->f[o].alpha, W);
                    vc_prods_mul(&w->A, base + o, t);
                    sc_pow(ctx->grp, t, c->f[o].beta, W);
                    vc_prods_mul(&w->B, base + o, t);
                }
            }
        }
        mpz_clears(t, W, NULL);
        w->ncast++;
    } else {
        /* V13, V14 against the published opening. */
        vr_opening *op = vr_opening_find(ctx, b.idb);
        if (op == NULL) {
            if (ctx->open_missing) {
                sc_report_error(ctx->rep, "V13", where,
                                "challenged.jsonl is missing or unreadable");
            } else {
                sc_report_fail(ctx->rep, "V13.B", where,
                               "challenged ballot has no opening in "
                               "challenged.jsonl");
            }
        } else {
            __atomic_store_n(&op->used, 1, __ATOMIC_RELAXED);
            vr_check_challenged(ctx, &b, op->j, where);
        }
    }
    vr_ballot_free(&b);
}

/* ------------------------------------------------------------------ */
/* The reader and the ordered pass.
 *
 * The reader (the calling thread) only splits the device files into
 * lines. Ballot k of the record (k counts every line read, all devices)
 * goes into slot k of a ring; a worker parses it (JSON, then everything
 * that has no order) and leaves in the slot what the checks in device
 * order need: the label, sequence and device, id_B, B_C and H_C. The
 * reader takes the slots back in order for those checks (S1.I label
 * uniqueness, S1.A, S1.D, V5.A, V8.E-8.F): strings and hashes only.
 * Findings are keyed by the ballot's rank (sc_report_order: 2k + 1 for
 * the ordered checks, 2k + 2 for the worker's), so the report is the
 * same whatever the number of threads. */

typedef struct vr_slot {
    char *line; /* the ballot line, until a worker parses it */
    size_t len;
    const vr_device *dev;
    uint64_t pos; /* 1-based position in the device's file */
    uint64_t k;   /* 0-based rank in the record */
    int done;     /* the worker is finished with the slot (pass lock) */
    int parsed;   /* the line is a JSON object */
    char jerr[160];
    char *label; /* "id" when it is a string */
    sc_status seq_rc, dev_rc;
    uint32_t seq, devno;
    int ok_idb, ok_bc, ok_hc;
    uint8_t idb[32], bc[SC_BC_BYTES], hc[32];
} vr_slot;

/* Report keys of ballot k (sc_report_order). */
#define ORD_ORDERED(k) (2 * (uint64_t)(k) + 1)
#define ORD_WORKER(k) (2 * (uint64_t)(k) + 2)

/* Parse a slot's line and fill the slot (a worker). Returns the parsed
 * ballot (the caller's) or NULL. */
static json_t *slot_parse(vr_slot *s)
{
    s->jerr[0] = '\0';
    json_t *j = sc_json_loadb(s->line, s->len, s->jerr, sizeof s->jerr);
    free(s->line);
    s->line = NULL;
    if (j == NULL || !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    s->parsed = 1;
    const json_t *id = json_object_get(j, "id");
    s->label = json_is_string(id) ? vc_strdup(json_string_value(id)) : NULL;
    s->seq_rc = vr_u32(json_object_get(j, "sequence"), &s->seq);
    s->dev_rc = vr_u32(json_object_get(j, "device"), &s->devno);
    s->ok_idb =
        vr_hex_bytes(s->idb,
                     json_object_get(j, "selection_encryption_identifier"),
                     32) == SC_OK;
    s->ok_bc = vr_hex_bytes(s->bc, json_object_get(j, "chaining_field"),
                            SC_BC_BYTES) == SC_OK;
    s->ok_hc = vr_hex_bytes(s->hc, json_object_get(j, "confirmation_code"),
                            32) == SC_OK;
    return j;
}

/* The pool's work function: one ballot line (a vr_slot). */
static void ballot_item(void *arg, int wid, vc_item it)
{
    pass *ps = arg;
    vr_slot *s = it.p;
    const vr_device *dev = s->dev;
    const uint64_t k = s->k;
    json_t *j = slot_parse(s);
    pthread_mutex_lock(&ps->mu);
    s->done = 1; /* the slot is the reader's again */
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
    if (j != NULL) {
        sc_report_order(ps->ctx->rep, ORD_WORKER(k));
        sc_report_capture(ps->ctx->rep, ps->cap);
        check_ballot(ps->ctx, &ps->ws[wid], j, dev);
        json_decref(j);
    }
}

int vr_position_check(const vr_ctx *ctx, sc_status seq_rc, uint32_t seq,
                      sc_status dev_rc, uint32_t devno, const vr_device *dev,
                      uint64_t pos, const char *where)
{
    /* S1.A: sequence is the 1-based position in the device's list; S1.D:
     * the ballot names this device. */
    int ok = 1;
    if (seq_rc != SC_OK || seq != pos) {
        sc_report_fail(ctx->rep, "S1.A", where,
                       "sequence %u at position %llu of device %u",
                       seq_rc == SC_OK ? seq : 0, (unsigned long long)pos,
                       dev->index);
        ok = 0;
    }
    if (dev_rc != SC_OK || devno != dev->index) {
        sc_report_fail(ctx->rep, "S1.D", where,
                       "names device %u, listed in the file of device %u",
                       dev_rc == SC_OK ? devno : 0, dev->index);
        ok = 0;
    }
    return ok;
}

int vr_check_position(const vr_ctx *ctx, const json_t *j, const vr_device *dev,
                      uint64_t pos, const char *where)
{
    uint32_t seq = 0, devno = 0;
    sc_status sr = vr_u32(json_object_get(j, "sequence"), &seq);
    sc_status dr = vr_u32(json_object_get(j, "device"), &devno);
    return vr_position_check(ctx, sr, seq, dr, devno, dev, pos, where);
}

/* The checks in device order of one ballot line, from its slot. */
static void slot_ordered(vr_ctx *ctx, vr_chain *chain, sc_labelset *ids,
                         const vr_slot *s, const char *fwhere)
{
    const vr_device *dev = s->dev;
    char where[160];
    sc_report_order(ctx->rep, ORD_ORDERED(s->k));
    if (!s->parsed) {
        sc_report_error(ctx->rep, "S1", fwhere,
                        "ballot %llu is not a JSON object (%s)",
                        (unsigned long long)s->pos, s->jerr);
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
        __atomic_store_n(&ctx->ballots_unreadable, 1, __ATOMIC_RELAXED);
        chain->j++;
        chain->skip = 1;
        chain->unreadable = 1;
        return;
    }
    char shown[120];
    sc_label_printable(shown, sizeof shown, s->label ? s->label : "?");
    snprintf(where, sizeof where, "ballot %s", shown);
    /* S1.I: ballot labels are unique in the election and free of control
     * characters (docs/RECORD.md); the label shares the id_B set (records
     * labels and ids in different domains) */
    if (s->label != NULL) {
        if (!sc_label_ok(s->label)) {
            sc_report_fail(ctx->rep, "S1.I", where,
                           "empty label or a control character in it");
        }
        if (sc_labelset_add(ids, s->label) == 0) {
            sc_report_fail(ctx->rep, "S1.I", where,
                           "the label of an earlier ballot: each ballot "
                           "would be counted");
        }
    }
    (void)vr_position_check(ctx, s->seq_rc, s->seq, s->dev_rc, s->devno, dev,
                            s->pos, where);
    /* 5.A: no two submitted ballots share id_B. */
    if (s->ok_idb && sc_labelset_add_key(ids, s->idb) == 0) {
        char hx[65];
        sc_hex_encode(hx, s->idb, 32);
        sc_report_fail(ctx->rep, "V5.A", where,
                       "id_B %s was already used by another ballot", hx);
    }
    /* 8.E / 8.F: chaining in device order. */
    if (dev->chaining == VR_CHAIN_SIMPLE) {
        if (s->ok_bc && s->ok_hc && !chain->skip) {
            vr_chain_next(ctx, dev, chain, s->bc, s->hc, where);
        } else {
            /* unreadable here (reported by the worker) or just before:
             * this link cannot be checked; continue from H_C if known */
            chain->j++;
            chain->skip = !s->ok_hc;
            if (s->ok_hc) {
                memcpy(chain->prev, s->hc, 32);
            }
            if (!s->ok_bc || !s->ok_hc) {
                chain->unreadable = 1;
            }
        }
    }
}

/* The ring of slots between the reader and the workers. */
typedef struct ring {
    vr_slot *s;
    size_t cap, head, n;
    uint64_t next_k; /* rank of the next line read */
} ring;

/* Take the oldest slot back (waiting for its worker if `wait`), do its
 * ordered checks. Returns 0 if it was not ready. */
static int ring_take(pass *ps, ring *rg, vr_chain *chain, sc_labelset *ids,
                     const char *fwhere, int wait)
{
    vr_slot *s = &rg->s[rg->head];
    pthread_mutex_lock(&ps->mu);
    while (wait && !s->done) {
        pthread_cond_wait(&ps->cv, &ps->mu);
    }
    int done = s->done;
    pthread_mutex_unlock(&ps->mu);
    if (!done) {
        return 0;
    }
    slot_ordered(ps->ctx, chain, ids, s, fwhere);
    free(s->label);
    s->label = NULL;
    rg->head = (rg->head + 1) % rg->cap;
    rg->n--;
    return 1;
}

static void read_device(pass *ps, ring *rg, const vr_device *dev, vc_pool *pool,
                        sc_labelset *ids)
{
    vr_ctx *ctx = ps->ctx;
    char name[64], path[4096];
    snprintf(name, sizeof name, "ballots/device_%u.jsonl", dev->index);
    snprintf(path, sizeof path, "%s/%s", ctx->dir, name);
    sc_report_order(ctx->rep, ORD_ORDERED(rg->next_k));
    FILE *f = NULL;
    sc_status orc = sc_input_open(path, &f);
    if (orc != SC_OK) {
        sc_report_error(ctx->rep, "S1", name, "cannot read the ballots: %s",
                        sc_strerror(orc));
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
        ctx->ballots_ok = 0;
        return;
    }
    vr_chain chain;
    vr_chain_start(ctx, dev, &chain);
    vc_lines lr;
    vc_lines_init(&lr, f);
    const char *line = NULL;
    ssize_t n;
    uint64_t pos = 0;
    while ((n = vc_lines_next(&lr, &line, SC_LINE_MAX)) > 0) {
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            len--;
        }
        if (len == 0) {
            continue;
        }
        pos++;
        if (rg->n == rg->cap) {
            (void)ring_take(ps, rg, &chain, ids, name, 1);
        }
        vr_slot *s = &rg->s[(rg->head + rg->n) % rg->cap];
        memset(s, 0, sizeof *s);
        s->line = malloc(len);
        if (s->line == NULL) {
            s->done = 1; /* left unparsed: "not a JSON object" */
            snprintf(s->jerr, sizeof s->jerr, "out of memory");
        } else {
            memcpy(s->line, line, len);
        }
        s->len = len;
        s->dev = dev;
        s->pos = pos;
        s->k = rg->next_k++;
        rg->n++;
        if (!s->done) {
            vc_pool_push(pool, (vc_item){s, NULL, 0});
        }
        while (rg->n > 0 && ring_take(ps, rg, &chain, ids, name, 0)) {
        }
    }
    while (rg->n > 0) {
        (void)ring_take(ps, rg, &chain, ids, name, 1);
    }
    /* what follows comes after the device's last ballot in the report */
    sc_report_order(ctx->rep, ORD_ORDERED(rg->next_k));
    if (n == -2) {
        sc_report_error(ctx->rep, "S1", name,
                        "line %llu is longer than %zu bytes: not read further",
                        (unsigned long long)pos + 1, SC_LINE_MAX);
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
        ctx->ballots_ok = 0;
    } else if (ferror(f)) {
        sc_report_error(ctx->rep, "S1", name, "read error");
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
    }
    vc_lines_free(&lr);
    fclose(f);
    /* S1.B: the file holds the number of ballots devices.json says. */
    if (pos != dev->ballots) {
        char w[64];
        snprintf(w, sizeof w, "device %u", dev->index);
        sc_report_fail(
            ctx->rep, "S1.B", w, "%llu ballots in %s, devices.json says %llu",
            (unsigned long long)pos, name, (unsigned long long)dev->ballots);
    } else {
        sc_report_pass(ctx->rep, "S1", 1);
    }
    if (dev->chaining == VR_CHAIN_SIMPLE) {
        vr_chain_close(ctx, dev, &chain); /* 8.G */
    }
}

/* S1.B: every ballots/device_<d>.jsonl belongs to a device of
 * devices.json (ballots in an unlisted file would be ignored). */
static void unlisted_files(vr_ctx *ctx)
{
    char path[4096];
    /* a run interrupted after its commit point (docs/RECORD.md
     * "Commits"): the record is not whole until a writer finishes it */
    snprintf(path, sizeof path, "%s/.commit.json", ctx->dir);
    if (access(path, F_OK) == 0) {
        sc_report_fail(ctx->rep, "S1.B", ".commit.json",
                       "an unfinished commit: run any scrutin command "
                       "that writes the record (e.g. scrutin tally) on the "
                       "official's copy, then publish it again");
    }
    snprintf(path, sizeof path, "%s/ballots", ctx->dir);
    DIR *d = opendir(path);
    if (d == NULL) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        unsigned idx = 0;
        char tail[8] = "";
        if (sscanf(e->d_name, "device_%u.jsonl%7s", &idx, tail) == 1 &&
            (idx == 0 || idx > ctx->ndev)) {
            char w[300];
            snprintf(w, sizeof w, "ballots/%s", e->d_name);
            sc_report_fail(ctx->rep, "S1.B", w,
                           "ballot file of a device devices.json does not "
                           "list");
        }
    }
    closedir(d);
}

/* One pass over every device's ballots with `ready` workers. Returns 0
 * if the threads could not start (reported). */
static int run_pass(vr_ctx *ctx, worker *ws, int ready, sc_labelset *ids,
                    sc_report *cap)
{
    int started = 0;
    pass ps = {.ctx = ctx, .ws = ws, .cap = cap};
    sc_report_capture(ctx->rep, cap);
    pthread_mutex_init(&ps.mu, NULL);
    pthread_cond_init(&ps.cv, NULL);
    /* slots: enough for the queue and a ballot in each worker's hands */
    ring rg = {NULL, 2 * (4 * (size_t)ready + 4), 0, 0, 0};
    rg.s = calloc(rg.cap, sizeof *rg.s);
    vc_pool *pool = NULL;
    /* one worker: the reader's thread checks each ballot as it reads it
     * (no thread to start per record: the fuzz target verifies thousands
     * of small records, issue 12 item 11) */
    int here = ready == 1;
    if (ready == 0 || rg.s == NULL ||
        vc_pool_start(&pool, here ? 0 : ready, ballot_item, &ps) != SC_OK ||
        (!here && vc_pool_workers(pool) == 0)) {
        sc_report_error(ctx->rep, "S1", NULL, "cannot start threads");
    } else {
        started = 1;
        for (size_t d = 0; d < ctx->ndev; d++) {
            read_device(&ps, &rg, &ctx->dev[d], pool, ids);
        }
    }
    vc_pool_finish(pool);
    free(rg.s);
    pthread_mutex_destroy(&ps.mu);
    pthread_cond_destroy(&ps.cv);
    sc_report_capture(ctx->rep, NULL);
    return started;
}

/* 1 if every worker's square test passes (or there is none). */
static int signs_ok(worker *ws, int ready)
{
    int ok = 1;
    for (int t = 0; t < ready; t++) {
        if (ws[t].sq != NULL) {
            ok &= sc_sqtest_ok(ws[t].sq);
        }
        sc_sqtest_free(ws[t].sq);
        ws[t].sq = NULL;
    }
    return ok;
}

/* What a ballot pass changes, besides the report: the flags below (set
 * before the pass by the devices and openings it reads, so restored, not
 * reset), contest_seen, the openings' used marks, the workers' V9
 * products and cast counts, and the set of ids and labels. A new piece of
 * state the pass writes belongs here, or a rerun would see the first
 * pass's traces. */
typedef struct pass_mark {
    int agg_incomplete, ballots_unreadable, ballots_ok;
} pass_mark;

static pass_mark pass_mark_take(const vr_ctx *ctx)
{
    return (pass_mark){ctx->agg_incomplete, ctx->ballots_unreadable,
                       ctx->ballots_ok};
}

/* The state as it was when `m` was taken, before the first pass. */
static void pass_rewind(vr_ctx *ctx, const pass_mark *m, worker *ws, int ready,
                        sc_labelset **ids)
{
    ctx->agg_incomplete = m->agg_incomplete;
    ctx->ballots_unreadable = m->ballots_unreadable;
    ctx->ballots_ok = m->ballots_ok;
    memset(ctx->contest_seen, 0, ctx->man.ncontests);
    for (size_t i = 0; i < ctx->nopen_cap; i++) {
        ctx->open[i].used = 0;
    }
    for (int t = 0; t < ready; t++) {
        vc_prods_reset(&ws[t].A);
        vc_prods_reset(&ws[t].B);
        ws[t].ncast = 0;
    }
    sc_labelset_free(*ids);
    if (sc_labelset_new(ids) != SC_OK) {
        *ids = NULL; /* every add fails (-1), as in vr_ballots */
    }
}

/* The ballot pass (docs/ARITH.md §5, §12). First with the signs of every
 * element left to one square test per worker (128 Legendre symbols each
 * instead of one per element) and the pass's findings held apart
 * (report_capture.h: V2, V3, S6 and V10 may be writing to the report
 * beside it); each ballot's membership batch still decides the rest, and
 * the elements of a failing batch are still tested alone. If a square
 * test fails, an element whose batch passed has the sign -1 and its
 * ballot's findings are wrong: they are dropped, the state the pass
 * builds is rewound (pass_rewind), and the pass runs again with a symbol
 * per element. So the report is that of the per-element test in every
 * case (a failed square test proves a non-square; a record of members, or
 * with only non-members its batches catch, is read once). Returns 0 if
 * the threads could not start. */
static int ballot_passes(vr_ctx *ctx, worker *ws, int ready, sc_labelset **ids)
{
    const pass_mark mark = pass_mark_take(ctx);
    sc_report *cap = NULL;
    int fast = sc_report_new(&cap, NULL) == SC_OK;
    for (int t = 0; fast && t < ready; t++) {
        fast = sc_sqtest_new(&ws[t].sq, ctx->grp, NULL) == SC_OK;
    }
    if (!fast) { /* no memory: element by element at once */
        for (int t = 0; t < ready; t++) {
            sc_sqtest_free(ws[t].sq);
            ws[t].sq = NULL;
        }
        sc_report_free(cap);
        return run_pass(ctx, ws, ready, *ids, NULL);
    }
    int started = run_pass(ctx, ws, ready, *ids, cap);
    if (signs_ok(ws, ready) || !started) {
        sc_report_merge(ctx->rep, cap);
        sc_report_free(cap);
        return started;
    }
    sc_report_free(cap);
    pass_rewind(ctx, &mark, ws, ready, ids);
    return run_pass(ctx, ws, ready, *ids, NULL);
}

void vr_ballots(vr_ctx *ctx)
{
    static const char *const steps[] = {"V5", "V6", "V7", "V8", "V13", "V14",
                                        "S1", "S2", "S3", "S4", "S5"};
    const size_t nsteps = sizeof steps / sizeof steps[0];
    sc_labelset *ids = NULL; /* id_B (5.A) and labels (S1.I) */
    worker *ws = NULL;
    if (sc_labelset_new(&ids) != SC_OK) {
        ids = NULL; /* every add fails (-1) */
    }
    int nthreads = sc_verify_threads(&ctx->opts);
    int ready = 0;

    if (!ctx->ok_he || !ctx->ok_K || !ctx->ok_man) {
        for (size_t i = 0; i < nsteps; i++) {
            sc_report_skip(ctx->rep, steps[i],
                           "not checked: H_E, K or the manifest unavailable");
        }
        goto out;
    }
    size_t nopt = ctx->man.nopt_total;
    ctx->aggA = vc_mpz_array(nopt, 1);
    ctx->aggB = vc_mpz_array(nopt, 1);
    ctx->contest_seen = calloc(ctx->man.ncontests, 1);
    if (ctx->aggA == NULL || ctx->aggB == NULL || ctx->contest_seen == NULL) {
        sc_report_error(ctx->rep, "S1", NULL, "out of memory");
        goto out;
    }
    if (vr_devices_load(ctx) != SC_OK) {
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
        goto out;
    }
    ctx->ballots_ok = 1;
    unlisted_files(ctx);
    openings_load(ctx);

    ws = calloc((size_t)nthreads, sizeof *ws);
    if (ws == NULL) {
        sc_report_error(ctx->rep, "S1", NULL, "out of memory");
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
        goto out;
    }
    /* per-worker V9 products; as many workers as have their arrays */
    for (; ready < nthreads; ready++) {
        if (vc_prods_init(&ws[ready].A, ctx->grp, nopt) != SC_OK ||
            vc_prods_init(&ws[ready].B, ctx->grp, nopt) != SC_OK) {
            vc_prods_free(&ws[ready].A);
            break;
        }
    }
    if (!ballot_passes(ctx, ws, ready, &ids)) {
        __atomic_store_n(&ctx->agg_incomplete, 1, __ATOMIC_RELAXED);
    }
    /* the workers' V9 products into the totals (eq 79-80) */
    mpz_t t;
    mpz_init(t);
    for (int k = 0; k < nthreads; k++) {
        worker *w = &ws[k];
        for (size_t i = 0; k < ready && i < nopt; i++) {
            vc_prods_get(&w->A, i, t);
            sc_mulmod(ctx->grp, ctx->aggA[i], ctx->aggA[i], t);
            vc_prods_get(&w->B, i, t);
            sc_mulmod(ctx->grp, ctx->aggB[i], ctx->aggB[i], t);
        }
        vc_prods_free(&w->A);
        vc_prods_free(&w->B);
        ctx->ncast += w->ncast;
    }
    mpz_clear(t);

    /* S1.F: every opening belongs to a challenged ballot of the record. */
    for (size_t i = 0; i < ctx->nopen_cap; i++) {
        vr_opening *o = &ctx->open[i];
        if (o->j != NULL && !o->used) {
            char w[64];
            snprintf(w, sizeof w, "challenged.jsonl line %llu",
                     (unsigned long long)o->line);
            if (ctx->ballots_unreadable) {
                sc_report_error(ctx->rep, "S1", w,
                                "opening of no ballot read (some ballots "
                                "could not be read)");
                continue;
            }
            sc_report_fail(ctx->rep, "S1.F", w,
                           "opening for an id_B that is no challenged "
                           "ballot of the record");
        }
    }
out:
    /* the rest of the ballot steps' findings (here, and in the steps
     * after the pass: reset by sc_verify_record) come after every
     * ballot's */
    sc_report_order(ctx->rep, UINT64_MAX);
    free(ws);
    sc_labelset_free(ids);
    openings_free(ctx);
    /* V13, V14 and S1-S4 are ended by the caller, after V12, so that the
     * live lines come out in step order. */
    for (size_t i = 0; i < 4; i++) {
        sc_report_end(ctx->rep, steps[i]);
    }
}
