/* Verification 2 (guardian public-key validation), spec §6.2.2: for each
 * guardian i, 2.1-2.4 recompute the Schnorr commitments h_i,j and ĥ_i,j
 * from the compact proofs (eq 10-13), 2.A K_i,j, K̂_i,j, κ_i in Z_p^r,
 * 2.B responses in Z_q, 2.C the challenges c_i and ĉ_i (eq 11, 13). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

/* One guardian's published keys and proofs, decoded. */
typedef struct guardian {
    uint32_t k;
    mpz_t *K, *Kh; /* k each */
    mpz_t kappa;
    mpz_t c, ch;
    mpz_t *v, *vh; /* k + 1 each */
} guardian;

static void guardian_free(guardian *g)
{
    vc_mpz_array_free(g->K, g->k);
    vc_mpz_array_free(g->Kh, g->k);
    vc_mpz_array_free(g->v, g->k + 1);
    vc_mpz_array_free(g->vh, g->k + 1);
    mpz_clear(g->kappa);
    mpz_clear(g->c);
    mpz_clear(g->ch);
}

static sc_status hex_list(const vr_ctx *ctx, mpz_t *out, const json_t *a,
                          size_t n, size_t nbytes)
{
    if (!json_is_array(a)) {
        return SC_E_INVALID;
    }
    if (json_array_size(a) != n) {
        return SC_E_INVALID_RANGE;
    }
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        sc_status rc = vr_hex_mpz(out[i], json_array_get(a, i), nbytes);
        if (rc != SC_OK) {
            return rc;
        }
    }
    return SC_OK;
}

static sc_status guardian_read(vr_ctx *ctx, uint32_t i, guardian *g,
                               const char **bad)
{
    char name[64], err[512];
    json_t *j = NULL;
    sc_status rc = SC_OK;
    const size_t lp = ctx->grp->lp, lq = ctx->grp->lq;
    uint32_t idx = 0;
    snprintf(name, sizeof name, "guardians/guardian_%u.json", i);
    *bad = NULL;
    rc = vr_load_json(ctx->dir, name, &j, err, sizeof err);
    if (rc != SC_OK) {
        sc_report_error(ctx->rep, "V2", name, "%s", err);
        return rc;
    }
    *bad = "i";
    SC_CHECK(vr_u32(json_object_get(j, "i"), &idx));
    SC_ENSURE(idx == i, SC_E_INVALID_RANGE);
    *bad = "coefficient_commitments";
    SC_CHECK(hex_list(ctx, g->K, json_object_get(j, "coefficient_commitments"),
                      g->k, lp));
    *bad = "data_coefficient_commitments";
    SC_CHECK(hex_list(ctx, g->Kh,
                      json_object_get(j, "data_coefficient_commitments"), g->k,
                      lp));
    *bad = "communication_public_key";
    SC_CHECK(vr_hex_mpz(g->kappa,
                        json_object_get(j, "communication_public_key"), lp));
    const json_t *p = json_object_get(j, "coefficient_proof");
    const json_t *ph = json_object_get(j, "data_coefficient_proof");
    *bad = "coefficient_proof";
    SC_CHECK(vr_hex_mpz(g->c, json_object_get(p, "challenge"), lq));
    SC_CHECK(
        hex_list(ctx, g->v, json_object_get(p, "responses"), g->k + 1, lq));
    *bad = "data_coefficient_proof";
    SC_CHECK(vr_hex_mpz(g->ch, json_object_get(ph, "challenge"), lq));
    SC_CHECK(
        hex_list(ctx, g->vh, json_object_get(ph, "responses"), g->k + 1, lq));
    *bad = NULL;
done:
    if (rc != SC_OK) {
        sc_report_error(ctx->rep, "V2", name, "%s: %s", *bad ? *bad : "?",
                        vr_what(rc));
    }
    json_decref(j);
    return rc;
}

/* Check one compact proof (2.1/2.2 or 2.3/2.4 and the half of 2.C). */
static int check_proof(vr_ctx *ctx, uint32_t i, int data, const guardian *g,
                       const char *where)
{
    const mpz_t *K = (const mpz_t *)(data ? g->Kh : g->K);
    const mpz_t *v = (const mpz_t *)(data ? g->vh : g->v);
    const mpz_t *c = data ? &g->ch : &g->c;
    int ok = 1;
    /* 2.B: responses in Z_q. */
    for (uint32_t j = 0; j <= g->k; j++) {
        if (!vr_in_zq(ctx, v[j])) {
            sc_report_fail(ctx->rep, "V2.B", where,
                           "%s response v%s_%u,%u is not in Z_q",
                           data ? "data" : "vote", data ? "^" : "", i, j);
            ok = 0;
        }
    }
    if (!vr_in_zq(ctx, *c)) {
        sc_report_fail(ctx->rep, "V2.C", where,
                       "%s challenge is not in Z_q (not an H_q output)",
                       data ? "data" : "vote");
        return 0;
    }
    if (!ok) {
        return 0;
    }
    mpz_t *h = vc_mpz_array(g->k + 1, 0);
    mpz_t cc;
    mpz_init(cc);
    if (h == NULL) {
        mpz_clear(cc);
        return 0;
    }
    for (uint32_t j = 0; j < g->k; j++) {
        /* 2.1 / 2.3: h = g^v · K^c (verify/common/commit.c) */
        vc_schnorr_commitment(ctx->grp, v[j], K[j], *c, h[j]);
    }
    vc_schnorr_commitment(ctx->grp, v[g->k], g->kappa, *c,
                          h[g->k]); /* 2.2/2.4 */
    /* 2.C: c_i = H_q(H_P; 0x10, "pk vote"|"pk data", i, K.., κ_i, h..). */
    sc_eg_guardian_challenge(ctx->grp, ctx->hp, data, i, g->k, K, g->kappa,
                             (const mpz_t *)h, cc);
    if (mpz_cmp(cc, *c) != 0) {
        sc_report_fail(ctx->rep, "V2.C", where,
                       "%s challenge %s does not equal the hash of the "
                       "commitments recomputed by 2.%d/2.%d",
                       data ? "data" : "vote", data ? "ĉ_i" : "c_i",
                       data ? 3 : 1, data ? 4 : 2);
        ok = 0;
    }
    vc_mpz_array_free(h, g->k + 1);
    mpz_clear(cc);
    return ok;
}

void vr_v02_guardians(vr_ctx *ctx)
{
    sc_report *rep = ctx->rep;
    if (ctx->grp == NULL || !ctx->ok_hp) {
        sc_report_skip(rep, "V2", "parameters unavailable (V1)");
        goto out;
    }
    ctx->Ki0 = vc_mpz_array(ctx->n, 0);
    ctx->Khi0 = vc_mpz_array(ctx->n, 0);
    ctx->Kij = vc_mpz_array((size_t)ctx->n * ctx->k, 0);
    ctx->Khij = vc_mpz_array((size_t)ctx->n * ctx->k, 0);
    ctx->kappa = vc_mpz_array(ctx->n, 0);
    if (ctx->Ki0 == NULL || ctx->Khi0 == NULL || ctx->Kij == NULL ||
        ctx->Khij == NULL || ctx->kappa == NULL) {
        sc_report_error(rep, "V2", NULL, "out of memory");
        goto out;
    }
    int all_read = 1;
    for (uint32_t i = 1; i <= ctx->n; i++) {
        guardian g;
        const char *bad;
        char where[64];
        snprintf(where, sizeof where, "guardian %u", i);
        memset(&g, 0, sizeof g);
        g.k = ctx->k;
        g.K = vc_mpz_array(g.k, 0);
        g.Kh = vc_mpz_array(g.k, 0);
        g.v = vc_mpz_array(g.k + 1, 0);
        g.vh = vc_mpz_array(g.k + 1, 0);
        mpz_init(g.kappa);
        mpz_init(g.c);
        mpz_init(g.ch);
        if (g.K == NULL || g.Kh == NULL || g.v == NULL || g.vh == NULL ||
            guardian_read(ctx, i, &g, &bad) != SC_OK) {
            all_read = 0;
            guardian_free(&g);
            continue;
        }
        mpz_set(ctx->Ki0[i - 1], g.K[0]);
        mpz_set(ctx->Khi0[i - 1], g.Kh[0]);
        for (uint32_t j = 0; j < g.k; j++) {
            mpz_set(ctx->Kij[(size_t)(i - 1) * g.k + j], g.K[j]);
            mpz_set(ctx->Khij[(size_t)(i - 1) * g.k + j], g.Kh[j]);
        }
        mpz_set(ctx->kappa[i - 1], g.kappa);
        /* 2.A: every K_i,j, K̂_i,j and κ_i in Z_p^r (batched; on a
         * failure, each element is tested to name it). */
        size_t ne = 2 * (size_t)g.k + 1;
        mpz_t *el = calloc(ne, sizeof *el);
        unsigned char *nonmember = calloc(ne, 1);
        int ok = el != NULL && nonmember != NULL;
        if (ok) {
            for (uint32_t j = 0; j < g.k; j++) {
                el[j][0] = g.K[j][0];
                el[g.k + j][0] = g.Kh[j][0];
            }
            el[2 * g.k][0] = g.kappa[0];
            if (!vc_members(ctx->grp, ne, (const mpz_t *)el, nonmember)) {
                for (size_t e = 0; e < ne; e++) {
                    if (nonmember[e]) {
                        sc_report_fail(rep, "V2.A", where, "%s is not in Z_p^r",
                                       e < g.k
                                           ? "a coefficient commitment K_i,j"
                                       : e < 2 * g.k ? "a data commitment K̂_i,j"
                                                     : "κ_i");
                    }
                }
                ok = 0;
            }
        }
        free(el);
        free(nonmember);
        if (ok) {
            ok = check_proof(ctx, i, 0, &g, where);
            ok = check_proof(ctx, i, 1, &g, where) && ok;
        }
        if (ok) {
            sc_report_pass(rep, "V2", 1);
        }
        guardian_free(&g);
    }
    ctx->ok_guardians = all_read;
out:
    sc_report_end(rep, "V2");
}
