/* Verification 12 (correctness of decryptions of contest data, §6.2.6)
 * for the write-ins read from cast ballots (docs/RECORD.md "Reading
 * write-ins"). Where a manifest contest says "read_write_ins", the record
 * publishes, for each cast ballot with that contest, the decryption of its
 * write-in count field E_w (write_in_counts.jsonl), and for those whose
 * count w is not 0 the joint decryption of the contest data
 * (write_ins.jsonl: beta, (c, v), D). Checked, with (C_0, C_1, C_2) and E_w
 * always taken from the ballot in ballots/, never from the decryption
 * files:
 *   12.A  v in Z_q;
 *   12.B  c = H_q(H_I; 0x33, ind_c, C_0, C_1, C_2, a, b, beta) with
 *         (12.1) a = g^v K-hat^c, (12.2) b = C_0^v beta^c;
 *   12.C  D = C_1 xor k_1..k_bΛ with (12.3) h = H(H_I; 0x26, ind_c, C_0,
 *         beta), (12.4) k_i (eq 104-106);
 *   12.D  only what may be opened is opened: each decryption is of a cast
 *         ballot of the record, in a contest whose manifest says
 *         read_write_ins, whose published write-in count is not 0, once;
 *   12.E  each cast ballot's count in such a contest is published once and
 *         proved: 0 <= w <= W (the field's limit) and Verification 10 on
 *         (A, B) = E_w with T = K^w (10.A-10.B: v in Z_q, c = H_q(H_E;
 *         0x31, ind_c, ind_o, A, B, a, b, M), M = B K^-w);
 *   12.F  every ballot whose count is not 0 has its contest data decrypted;
 *   12.G  D is a well-formed contest data encoding for the contest
 *         (scrutin/contest_data.h), not an overvote (w > 0 means the
 *         fields were not zeroed, §3.3.5), with at most w write-in texts.
 * Records whose manifest reads no write-ins and that publish neither file
 * skip V12. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/contest_data.h"
#include "scrutin/elgamal.h"
#include "verify/vctx.h"

typedef struct v12_ent {
    uint8_t idb[32];
    uint32_t ind_c;
    uint64_t line;
    const json_t *j; /* the contest object (borrowed from its line) */
    int seen;
    uint64_t w; /* counts: the published value */
} v12_ent;

typedef struct v12_file {
    const char *name;
    json_t **lines; /* owned */
    size_t nlines;
    v12_ent *e; /* sorted by (idb, ind_c) */
    size_t n;
    int present;
} v12_file;

static int ent_cmp(const void *x, const void *y)
{
    const v12_ent *a = x, *b = y;
    int r = memcmp(a->idb, b->idb, 32);
    return r != 0 ? r : (a->ind_c > b->ind_c) - (a->ind_c < b->ind_c);
}

static void file_free(v12_file *f)
{
    for (size_t i = 0; i < f->nlines; i++) {
        json_decref(f->lines[i]);
    }
    free(f->lines);
    free(f->e);
}

/* Load a .jsonl decryption file into entries (id_B, ind_c) -> contest. */
static void file_load(vr_ctx *ctx, v12_file *f)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    if (vr_load_file(ctx->dir, f->name, &buf, &len) != SC_OK) {
        return;
    }
    f->present = 1;
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += buf[i] == '\n';
    }
    f->lines = calloc(cap, sizeof *f->lines);
    size_t ecap = 0;
    char *p = (char *)buf, *end = (char *)buf + len;
    uint64_t lineno = 0;
    while (f->lines != NULL && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
        char where[96];
        json_error_t err;
        uint8_t idb[32];
        snprintf(where, sizeof where, "%s line %llu", f->name,
                 (unsigned long long)++lineno);
        json_t *o =
            ll > 0 ? json_loadb(p, ll, JSON_REJECT_DUPLICATES, &err) : NULL;
        p += ll + 1;
        if (ll == 0) {
            continue;
        }
        const json_t *cs = json_object_get(o, "contests");
        if (o == NULL || !json_is_array(cs) ||
            vr_hex_bytes(idb,
                         json_object_get(o, "selection_encryption_"
                                            "identifier"),
                         32) != SC_OK) {
            sc_report_error(ctx->rep, "V12", where, "malformed line");
            json_decref(o);
            continue;
        }
        f->lines[f->nlines++] = o;
        for (size_t k = 0; k < json_array_size(cs); k++) {
            const json_t *c = json_array_get(cs, k);
            uint32_t ci = 0;
            if (vr_u32(json_object_get(c, "index"), &ci) != SC_OK) {
                sc_report_error(ctx->rep, "V12", where,
                                "contest without index");
                continue;
            }
            if (f->n == ecap) {
                ecap = ecap == 0 ? 64 : 2 * ecap;
                v12_ent *ne = realloc(f->e, ecap * sizeof *ne);
                if (ne == NULL) {
                    break;
                }
                f->e = ne;
            }
            v12_ent *e = &f->e[f->n++];
            memset(e, 0, sizeof *e);
            memcpy(e->idb, idb, 32);
            e->ind_c = ci;
            e->line = lineno;
            e->j = c;
        }
    }
    free(buf);
    if (f->n > 1) {
        qsort(f->e, f->n, sizeof *f->e, ent_cmp);
    }
}

static v12_ent *find(v12_file *f, const uint8_t idb[32], uint32_t ind_c)
{
    v12_ent key;
    memcpy(key.idb, idb, 32);
    key.ind_c = ind_c;
    return f->n > 0 ? bsearch(&key, f->e, f->n, sizeof key, ent_cmp) : NULL;
}

/* 12.E for one count: 1 if it holds (w in *w), 0 if it failed. */
static int check_count(vr_ctx *ctx, const v12_ent *e, uint32_t ind_c,
                       uint32_t ind_o, uint32_t W, const mpz_t A, const mpz_t B,
                       const char *w, uint64_t *wout)
{
    const sc_group *grp = ctx->grp;
    const json_t *pr = json_object_get(e->j, "proof");
    const json_t *jv = json_object_get(e->j, "value");
    int ok = 0;
    mpz_t c, v, t, T, M, a, b, cc;
    mpz_inits(c, v, t, T, M, a, b, cc, NULL);
    if (!json_is_integer(jv) || json_integer_value(jv) < 0 ||
        json_integer_value(jv) > (json_int_t)W) {
        sc_report_fail(ctx->rep, "V12.E", w,
                       "the write-in count is not an integer in 0..%u", W);
        goto done;
    }
    *wout = (uint64_t)json_integer_value(jv);
    if (vr_hex_mpz(c, json_object_get(pr, "challenge"), grp->lq) != SC_OK ||
        vr_hex_mpz(v, json_object_get(pr, "response"), grp->lq) != SC_OK ||
        !vr_in_zq(ctx, c) || !vr_in_zq(ctx, v)) {
        sc_report_fail(ctx->rep, "V12.E", w,
                       "the count's proof (c, v) is not in Z_q (10.A)");
        goto done;
    }
    mpz_set_ui(t, (unsigned long)*wout);
    sc_fb_pow(ctx->K_fb, T, t); /* T = K^w */
    if (vc_quotient(grp, M, B, T) != SC_OK) {
        sc_report_fail(ctx->rep, "V12.E", w, "E_w's beta is not invertible");
        goto done;
    }
    vc_cp_commitments(grp, ctx->K_fb, A, M, c, v, a, b); /* 10.2-10.3 */
    sc_eg_decrypt_challenge(grp, ctx->he, ind_c, ind_o, A, B, a, b, M, cc);
    if (mpz_cmp(cc, c) != 0) {
        sc_report_fail(ctx->rep, "V12.E", w,
                       "write-in count %llu: c is not H_q(H_E; 0x31, ind_c, "
                       "ind_o, A, B, a, b, M) for the ballot's E_w (10.B)",
                       (unsigned long long)*wout);
        goto done;
    }
    ok = 1;
done:
    mpz_clears(c, v, t, T, M, a, b, cc, NULL);
    return ok;
}

/* 12.A-12.C and 12.G for one opened contest. */
static void check_opening(vr_ctx *ctx, const vr_contest *mc,
                          const uint8_t hi[32], uint32_t ind_c,
                          const sc_contest_data_ct *ct, const v12_ent *e,
                          uint64_t wcount, const char *w)
{
    const sc_group *grp = ctx->grp;
    const json_t *pr = json_object_get(e->j, "proof");
    uint8_t *D = malloc(ct->c1_len + 1);
    uint8_t h[32], k[32];
    sc_json *dec = NULL;
    mpz_t beta, c, v, a, b, cc;
    mpz_inits(beta, c, v, a, b, cc, NULL);
    if (D == NULL ||
        vr_hex_mpz(beta, json_object_get(e->j, "beta"), grp->lp) != SC_OK ||
        vr_hex_mpz(c, json_object_get(pr, "challenge"), grp->lq) != SC_OK ||
        vr_hex_mpz(v, json_object_get(pr, "response"), grp->lq) != SC_OK ||
        vr_hex_bytes(D, json_object_get(e->j, "data"), ct->c1_len) != SC_OK) {
        sc_report_error(ctx->rep, "V12", w,
                        "beta / proof / data: not %zu / %zu / %zu hex digits",
                        2 * grp->lp, 2 * grp->lq, 2 * ct->c1_len);
        goto done;
    }
    if (!vr_in_zq(ctx, v)) { /* 12.A */
        sc_report_fail(ctx->rep, "V12.A", w, "response v is not in Z_q");
        goto done;
    }
    if (!vr_in_zq(ctx, c) || !sc_elem_is_member(grp, beta)) {
        sc_report_fail(ctx->rep, "V12.B", w,
                       "c is not in Z_q or beta is not in Z_p^r");
        goto done;
    }
    /* (12.1) a = g^v K-hat^c, (12.2) b = C_0^v beta^c */
    vc_cp_commitments(grp, ctx->Khat_fb, ct->c0, beta, c, v, a, b);
    sc_eg_data_decrypt_challenge(grp, hi, ind_c, ct, a, b, beta, cc);
    if (mpz_cmp(cc, c) != 0) { /* 12.B */
        sc_report_fail(ctx->rep, "V12.B", w,
                       "c is not H_q(H_I; 0x33, ind_c, C_0, C_1, C_2, a, b, "
                       "beta)");
        goto done;
    }
    sc_eg_contest_data_key(grp, hi, ind_c, ct->c0, beta, h); /* (12.3) */
    uint32_t blocks = (uint32_t)(ct->c1_len / 32);
    for (uint32_t l = 1; l <= blocks; l++) {
        sc_eg_contest_data_kdf(h, l, ind_c, blocks, k); /* (12.4) */
        for (size_t i = 0; i < 32; i++) {
            if ((uint8_t)(D[32 * (l - 1) + i] ^ k[i]) !=
                ct->c1[32 * (l - 1) + i]) {
                sc_report_fail(ctx->rep, "V12.C", w,
                               "D is not C_1 xor k (block %u differs)", l);
                goto done;
            }
        }
    }
    /* 12.G: the plaintext fits the contest and the count */
    sc_manifest_option opts[64];
    sc_manifest_contest smc;
    memset(&smc, 0, sizeof smc);
    smc.limit = mc->limit;
    smc.n_real = mc->nreal < 64 ? mc->nreal : 64;
    smc.n_options = smc.n_real;
    smc.options = opts;
    smc.data_blocks = mc->data_blocks;
    for (size_t j = 0; j < smc.n_real; j++) {
        memset(&opts[j], 0, sizeof opts[j]);
        opts[j].limit = mc->opt[j].limit;
        opts[j].write_in = mc->opt[j].write_in;
        smc.n_write_ins += (size_t)mc->opt[j].write_in;
    }
    int over = 0;
    size_t texts = 0;
    if (mc->nreal > 64 ||
        sc_contest_data_decode(&smc, D, ct->c1_len, &dec) != SC_OK) {
        sc_report_fail(ctx->rep, "V12.G", w,
                       "D is not a well-formed contest data encoding for "
                       "this contest");
        goto done;
    }
    sc_jctx jc;
    sc_json *wi = NULL;
    sc_jctx_init(&jc, "write_ins.jsonl", NULL);
    if (sc_json_get_bool(&jc, dec, "overvote", &over) != SC_OK) {
        over = 1;
    }
    for (size_t j = 0; j < smc.n_real; j++) {
        char key[24];
        const char *s = NULL;
        snprintf(key, sizeof key, "%zu", j + 1);
        if (sc_json_get_obj(&jc, dec, "write_ins", &wi) == SC_OK &&
            sc_json_get_str(&jc, wi, key, &s) == SC_OK) {
            texts++;
        }
    }
    if (over || texts > wcount) {
        sc_report_fail(ctx->rep, "V12.G", w, "D %s (write-in count %llu)",
                       over ? "says overvote" : "holds more write-in texts",
                       (unsigned long long)wcount);
        goto done;
    }
    sc_report_pass(ctx->rep, "V12", 1);
done:
    sc_json_free(dec);
    free(D);
    mpz_clears(beta, c, v, a, b, cc, NULL);
}

/* One contest of a cast ballot line, in a contest that reads write-ins. */
static void check_contest(vr_ctx *ctx, v12_file *cnt, v12_file *wri,
                          const uint8_t idb[32], const uint8_t hi[32],
                          const vr_contest *mc, uint32_t ind_c,
                          const json_t *jc, const char *label)
{
    char w[200];
    const sc_group *grp = ctx->grp;
    uint32_t f = mc->nopt - 1; /* the write-in count field (kind 4, last) */
    const json_t *fo = json_array_get(json_object_get(jc, "fields"), f);
    const json_t *cd = json_object_get(jc, "contest_data");
    sc_contest_data_ct ct;
    mpz_t A, B;
    mpz_inits(A, B, NULL);
    sc_contest_data_ct_init(&ct);
    snprintf(w, sizeof w, "ballot %s contest %u", label, ind_c);
    ct.c1_len = 32 * (size_t)mc->data_blocks;
    ct.c1 = malloc(ct.c1_len);
    if (ct.c1 == NULL || vr_hex_mpz(A, json_object_get(fo, "alpha"), grp->lp) ||
        vr_hex_mpz(B, json_object_get(fo, "beta"), grp->lp) ||
        vr_hex_mpz(ct.c0, json_object_get(cd, "c0"), grp->lp) ||
        vr_hex_bytes(ct.c1, json_object_get(cd, "c1"), ct.c1_len) ||
        vr_hex_mpz(ct.c2_c, json_object_get(cd, "c"), grp->lq) ||
        vr_hex_mpz(ct.c2_v, json_object_get(cd, "v"), grp->lq)) {
        sc_report_error(ctx->rep, "V12", w,
                        "the write-in count field or contest data cannot be "
                        "read");
        goto done;
    }
    v12_ent *ce = find(cnt, idb, ind_c);
    v12_ent *oe = find(wri, idb, ind_c);
    uint64_t wc = 0;
    if (ce == NULL) {
        sc_report_fail(ctx->rep, "V12.E", w,
                       "no decrypted write-in count in "
                       "write_in_counts.jsonl");
        if (oe != NULL) {
            oe->seen++; /* judged with the count: not "unknown" */
        }
    } else if (ce->seen++ == 0 && check_count(ctx, ce, ind_c, f + 1,
                                              mc->opt[f].limit, A, B, w, &wc)) {
        ce->w = wc;
        if (wc == 0 && oe == NULL) {
            sc_report_pass(ctx->rep, "V12", 1); /* read: no write-in */
        } else if (wc == 0) {
            sc_report_fail(ctx->rep, "V12.D", w,
                           "contest data decrypted although the write-in "
                           "count is 0");
            oe->seen++;
        } else if (wc > 0 && oe == NULL) {
            sc_report_fail(ctx->rep, "V12.F", w,
                           "write-in count %llu but no decryption of the "
                           "contest data in write_ins.jsonl",
                           (unsigned long long)wc);
        } else if (wc > 0 && oe->seen++ == 0) {
            check_opening(ctx, mc, hi, ind_c, &ct, oe, wc, w);
        }
    } else if (oe != NULL) {
        oe->seen++; /* judged with the count: not "unknown" */
    }
done:
    sc_contest_data_ct_clear(&ct);
    mpz_clears(A, B, NULL);
}

/* Every cast ballot of every device, in the contests that read write-ins. */
static void scan_ballots(vr_ctx *ctx, v12_file *cnt, v12_file *wri)
{
    for (size_t d = 0; d < ctx->ndev; d++) {
        char name[64];
        uint8_t *buf = NULL;
        size_t len = 0;
        snprintf(name, sizeof name, "ballots/device_%u.jsonl",
                 (unsigned)ctx->dev[d].index);
        if (vr_load_file(ctx->dir, name, &buf, &len) != SC_OK) {
            sc_report_error(ctx->rep, "V12", name, "cannot be read");
            continue;
        }
        char *p = (char *)buf, *end = (char *)buf + len;
        while (p < end) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t ll = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
            json_t *o = ll > 0 ? json_loadb(p, ll, 0, NULL) : NULL;
            const char *st = json_string_value(json_object_get(o, "state"));
            const json_t *cs = json_object_get(o, "contests");
            uint8_t idb[32], hi[32];
            p += ll + 1;
            if (o == NULL || st == NULL || strcmp(st, "Cast") != 0 ||
                vr_hex_bytes(idb,
                             json_object_get(o, "selection_encryption_"
                                                "identifier"),
                             32) != SC_OK) {
                json_decref(o); /* unreadable lines are V5-V8's and S1's */
                continue;
            }
            const char *id = json_string_value(json_object_get(o, "id"));
            char label[100];
            snprintf(label, sizeof label, "\"%.90s\"", id ? id : "?");
            sc_eg_selection_id_hash(ctx->he, idb, hi); /* eq 32 */
            for (size_t k = 0; k < json_array_size(cs); k++) {
                const json_t *jc = json_array_get(cs, k);
                uint32_t ci = 0;
                if (vr_u32(json_object_get(jc, "index"), &ci) != SC_OK ||
                    ci < 1 || ci > ctx->man.ncontests ||
                    !ctx->man.c[ci - 1].read_write_ins) {
                    continue;
                }
                check_contest(ctx, cnt, wri, idb, hi, &ctx->man.c[ci - 1], ci,
                              jc, label);
            }
            json_decref(o);
        }
        free(buf);
    }
}

/* Entries of f that matched no cast ballot contest (or more than one). */
static void report_unmatched(vr_ctx *ctx, const v12_file *f, const char *cond,
                             const char *none, const char *twice)
{
    for (size_t x = 0; x < f->n; x++) {
        if (f->e[x].seen != 1) {
            char w[96];
            snprintf(w, sizeof w, "%s line %llu", f->name,
                     (unsigned long long)f->e[x].line);
            sc_report_fail(ctx->rep, cond, w, "contest %u: %s",
                           (unsigned)f->e[x].ind_c,
                           f->e[x].seen == 0 ? none : twice);
        }
    }
}

void vr_v12_write_ins(vr_ctx *ctx)
{
    v12_file cnt = {"write_in_counts.jsonl", NULL, 0, NULL, 0, 0};
    v12_file wri = {"write_ins.jsonl", NULL, 0, NULL, 0, 0};
    int reads = 0;
    for (uint32_t i = 0; ctx->ok_man && i < ctx->man.ncontests; i++) {
        reads |= ctx->man.c[i].read_write_ins;
    }
    file_load(ctx, &cnt);
    file_load(ctx, &wri);
    if (!reads && !cnt.present && !wri.present) {
        sc_report_skip(ctx->rep, "V12",
                       "the manifest reads no write-ins of cast ballots "
                       "(challenged ballots' contest data: V13.4-13.A)");
        goto done;
    }
    if (!ctx->ok_man || !ctx->ok_K || !ctx->ok_he || ctx->grp == NULL) {
        sc_report_error(ctx->rep, "V12", NULL,
                        "the manifest, K, K-hat or H_E is unavailable");
        goto done;
    }
    if (!ctx->ballots_ok || ctx->ballots_unreadable || ctx->ndev == 0) {
        sc_report_error(ctx->rep, "V12", NULL,
                        "ballots unavailable: the decryptions cannot be "
                        "matched with the cast ballots");
        goto done;
    }
    if (reads && (!cnt.present || !wri.present)) {
        sc_report_error(ctx->rep, "V12", NULL,
                        "the manifest reads write-ins but %s is missing",
                        !cnt.present ? cnt.name : wri.name);
    }
    scan_ballots(ctx, &cnt, &wri);
    /* 12.D / 12.E: what names no cast ballot contest that reads write-ins
     * (or names one twice) */
    report_unmatched(ctx, &cnt, "V12.E",
                     "a count for no cast ballot whose manifest contest "
                     "reads write-ins",
                     "the count is published twice");
    report_unmatched(ctx, &wri, "V12.D",
                     "contest data decrypted for no cast ballot whose "
                     "manifest contest reads write-ins",
                     "contest data decrypted twice");
done:
    file_free(&cnt);
    file_free(&wri);
    sc_report_end(ctx->rep, "V12");
}
