/* Verification 10 (correctness of tally decryptions), spec §6.2.5: for
 * each option of tally.json, with (A, B) from encrypted_tally.json,
 *   (10.1) M = B · T^-1, (10.2) a = g^v · K^c, (10.3) b = A^v · M^c,
 *   10.A v in Z_q, 10.B c = H_q(H_E; 0x31, ind_c, ind_o, A, B, a, b, M),
 *   10.C T = K^t.
 * Format 2 publishes the full decryption T beside t (§3.7): 10.1 and 10.B
 * use the published T and 10.C compares it with K^t. Format 1 publishes t
 * only: T is computed from it and 10.C holds by construction. Options
 * whose contest or option is not in the manifest are V11's. */
#include <stdio.h>
#include <stdlib.h>

#include "verify/vctx.h"

void vr_v10_tally(vr_ctx *ctx)
{
    char err[512];
    json_t *j = NULL;
    sc_report *rep = ctx->rep;
    const char *f = "tally.json";
    mpz_t T, KT, M, a, b, t, c, v, cc;
    mpz_inits(T, KT, M, a, b, t, c, v, cc, NULL);
    if (!ctx->ok_man || !ctx->ok_K || !ctx->ok_he || ctx->pubA == NULL) {
        sc_report_skip(rep, "V10", "H_E, K or the aggregates unavailable");
        goto done;
    }
    if (vr_load_json(ctx->dir, f, &j, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V10", f, "%s", err);
        goto done;
    }
    /* S1.G: the guardians said to have decrypted are at least k distinct
     * guardians of 1..n, ascending (the set U of eq 85-93). */
    const json_t *gp = json_object_get(j, "guardians_present");
    if (json_is_array(gp)) {
        int ok = json_array_size(gp) >= ctx->k;
        uint32_t prev = 0;
        for (size_t i = 0; ok && i < json_array_size(gp); i++) {
            uint32_t g = 0;
            ok = vr_u32(json_array_get(gp, i), &g) == SC_OK && g > prev &&
                 g <= ctx->n;
            prev = g;
        }
        if (!ok) {
            sc_report_fail(rep, "S1.G", f,
                           "guardians_present is not an ascending list of "
                           "at least k = %u guardians of 1..%u",
                           ctx->k, ctx->n);
        }
    }
    const json_t *cs = json_object_get(j, "contests");
    if (!json_is_array(cs)) {
        sc_report_error(rep, "V10", f, "no contests list");
        goto done;
    }
    const sc_group *grp = ctx->grp;
    for (size_t k = 0; k < json_array_size(cs); k++) {
        const json_t *jc = json_array_get(cs, k);
        const json_t *os = json_object_get(jc, "options");
        uint32_t ci = 0;
        if (vr_u32(json_object_get(jc, "index"), &ci) != SC_OK ||
            !json_is_array(os)) {
            sc_report_error(rep, "V10", f, "contest %zu is malformed", k + 1);
            continue;
        }
        if (ci < 1 || ci > ctx->man.ncontests) {
            continue; /* 11.A */
        }
        const vr_contest *mc = &ctx->man.c[ci - 1];
        for (size_t m = 0; m < json_array_size(os); m++) {
            const json_t *o = json_array_get(os, m);
            const json_t *pr = json_object_get(o, "proof");
            const json_t *jt = json_object_get(o, "value");
            uint32_t oi = 0;
            char w[96];
            snprintf(w, sizeof w, "contest %u option %zu", ci, m + 1);
            if (vr_u32(json_object_get(o, "index"), &oi) != SC_OK) {
                sc_report_error(rep, "V10", w, "option without index");
                continue;
            }
            snprintf(w, sizeof w, "contest %u option %u", ci, oi);
            if (oi < 1 || oi > mc->nopt) {
                continue; /* 11.B */
            }
            size_t x = mc->agg_base + oi - 1;
            if (!ctx->have_pub[x]) {
                sc_report_error(rep, "V10", w,
                                "no encrypted aggregate to check against");
                continue;
            }
            sc_status rc =
                vr_hex_mpz(c, json_object_get(pr, "challenge"), grp->lq);
            if (rc == SC_OK) {
                rc = vr_hex_mpz(v, json_object_get(pr, "response"), grp->lq);
            }
            if (rc == SC_OK &&
                (!json_is_integer(jt) || json_integer_value(jt) < 0)) {
                rc = SC_E_INVALID;
            }
            if (rc != SC_OK) {
                sc_report_error(rep, "V10", w, "value/proof: %s", vr_what(rc));
                continue;
            }
            /* 10.A */
            if (!vr_in_zq(ctx, v)) {
                sc_report_fail(rep, "V10.A", w, "response v is not in Z_q");
                continue;
            }
            if (!vr_in_zq(ctx, c)) {
                sc_report_fail(rep, "V10.B", w,
                               "challenge c is not in Z_q (not an H_q "
                               "output)");
                continue;
            }
            const mpz_t *A = (const mpz_t *)&ctx->pubA[x];
            const mpz_t *B = (const mpz_t *)&ctx->pubB[x];
            /* (10.1) M = B · T^-1, T published (format 2) or K^t. */
            mpz_set_ui(t, (unsigned long)json_integer_value(jt));
            mpz_mod(t, t, grp->q);
            sc_fb_pow(ctx->K_fb, KT, t);
            const json_t *jT = json_object_get(o, "T");
            if (jT == NULL) {
                mpz_set(T, KT);
            } else if (vr_hex_mpz(T, jT, grp->lp) != SC_OK) {
                sc_report_error(rep, "V10", w, "T: not %zu hex digits",
                                2 * grp->lp);
                continue;
            }
            if (vc_quotient(grp, M, *B, T) != SC_OK) {
                sc_report_error(rep, "V10", w, "T not invertible");
                continue;
            }
            /* (10.2) a = g^v K^c; (10.3) b = A^v M^c
             * (verify/common/commit.c). */
            vc_cp_commitments(grp, ctx->K_fb, *A, M, c, v, a, b);
            /* 10.B */
            sc_eg_decrypt_challenge(grp, ctx->he, ci, oi, *A, *B, a, b, M, cc);
            if (mpz_cmp(cc, c) != 0) {
                sc_report_fail(rep, "V10.B", w,
                               "tally %lld: c is not H_q(H_E; 0x31, ind_c, "
                               "ind_o, A, B, a, b, M)",
                               (long long)json_integer_value(jt));
                continue;
            }
            /* 10.C */
            if (mpz_cmp(T, KT) != 0) {
                sc_report_fail(rep, "V10.C", w,
                               "T is not K^t for the published tally %lld",
                               (long long)json_integer_value(jt));
                continue;
            }
            sc_report_pass(rep, "V10", 1);
        }
    }
done:
    json_decref(j);
    mpz_clears(T, KT, M, a, b, t, c, v, cc, NULL);
    sc_report_end(rep, "V10");
}
