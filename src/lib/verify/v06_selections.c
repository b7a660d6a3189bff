/* Verification 6 (well-formedness of selection encryptions), spec
 * §6.2.4, and the range-proof core it shares with Verification 7 and the
 * supplementary checks S3/S4 of challenged ballots (AMBIGUITIES 6).
 *
 * Proofs are published in the compact form of footnote 18: (c_j, v_j) for
 * 0 <= j <= R; the verifier recomputes the commitments
 *   (6.1) a_j = g^v_j · α^c_j,  (6.2) b_j = K^w_j · β^c_j,
 *         w_j = (v_j − j c_j) mod q,
 *   (6.3) c = H_q(H_I; 0x24, ind_c, ind_o, α, β, a_0, b_0, ..., a_R, b_R)
 * and checks (6.D) c = Σ c_j mod q. α and β each appear with R + 1
 * exponents: each base's squarings are shared by all of them (vpow.c;
 * for a single exponent, R = 0, one sc_vb window table); g and K use the
 * fixed-base tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

static void cond(char out[16], const char *step, char letter)
{
    snprintf(out, 16, "%s.%c", step, letter);
}

int vr_check_range_proof(const vr_ctx *ctx, const char *step,
                         const uint8_t hi[32], uint32_t ind_c, int has_option,
                         uint32_t ind_o, const mpz_t x, const mpz_t y, size_t n,
                         const mpz_t *c, const mpz_t *v, const char *where)
{
    const sc_group *grp = ctx->grp;
    char cd[16];
    int ok = 1;
    /* B: c_j in Z_q; C: v_j in Z_q. */
    for (size_t j = 0; j < n; j++) {
        if (!vr_in_zq(ctx, c[j])) {
            cond(cd, step, 'B');
            sc_report_fail(ctx->rep, cd, where, "c_%zu is not in Z_q", j);
            ok = 0;
        }
        if (!vr_in_zq(ctx, v[j])) {
            cond(cd, step, 'C');
            sc_report_fail(ctx->rep, cd, where, "v_%zu is not in Z_q", j);
            ok = 0;
        }
    }
    if (!ok) {
        return 0;
    }
    sc_vb *vx = NULL, *vy = NULL;
    mpz_t *ab = calloc(2 * n, sizeof *ab);
    mpz_t *xy = calloc(2 * n, sizeof *xy);
    mpz_t w, jc, cc, sum;
    mpz_inits(w, jc, cc, sum, NULL);
    if (ab != NULL && xy != NULL) {
        for (size_t j = 0; j < 2 * n; j++) {
            mpz_init(ab[j]);
            mpz_init(xy[j]);
        }
    }
    if (ab == NULL || xy == NULL) {
        sc_report_error(ctx->rep, step, where, "out of memory");
        ok = 0;
        goto done;
    }
    if (n >= 2) {
        /* x^c_j and y^c_j for every j, each base's squarings shared by
         * its n exponents (vpow.c). */
        vr_pow_many(grp, xy, x, n, c);
        vr_pow_many(grp, xy + n, y, n, c);
    } else if (sc_vb_new(&vx, grp, x) != SC_OK ||
               sc_vb_new(&vy, grp, y) != SC_OK) {
        sc_report_error(ctx->rep, step, where, "out of memory");
        ok = 0;
        goto done;
    }
    for (size_t j = 0; j < n; j++) {
        /* (6.2) w_j = (v_j − j c_j) mod q */
        mpz_mul_ui(jc, c[j], (unsigned long)j);
        mpz_sub(w, v[j], jc);
        mpz_mod(w, w, grp->q);
        if (n >= 2) {
            /* (6.1) a_j = g^v_j · x^c_j; (6.2) b_j = K^w_j · y^c_j */
            sc_fb_pow(grp->g_fb, ab[2 * j], v[j]);
            sc_mulmod(grp, ab[2 * j], ab[2 * j], xy[j]);
            sc_fb_pow(ctx->K_fb, ab[2 * j + 1], w);
            sc_mulmod(grp, ab[2 * j + 1], ab[2 * j + 1], xy[n + j]);
        } else {
            sc_fb_vb_pow2(grp->g_fb, v[j], vx, ab[2 * j], c[j]);
            sc_fb_vb_pow2(ctx->K_fb, w, vy, ab[2 * j + 1], c[j]);
        }
        mpz_add(sum, sum, c[j]);
    }
    mpz_mod(sum, sum, grp->q);
    /* (6.3) / (7.5): the challenge over the recomputed commitments. The
     * eghash function takes a and b as separate arrays. */
    {
        mpz_t *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
        if (a == NULL || b == NULL) {
            free(a);
            free(b);
            sc_report_error(ctx->rep, step, where, "out of memory");
            ok = 0;
            goto done;
        }
        for (size_t j = 0; j < n; j++) {
            a[j][0] = ab[2 * j][0];
            b[j][0] = ab[2 * j + 1][0];
        }
        sc_eg_range_challenge(grp, hi, ind_c, has_option, ind_o, x, y, n,
                              (const mpz_t *)a, (const mpz_t *)b, cc);
        free(a);
        free(b);
    }
    /* D: c = (c_0 + ... + c_n-1) mod q */
    if (mpz_cmp(cc, sum) != 0) {
        char hc[80], hs[80];
        cond(cd, step, 'D');
        sc_report_fail(
            ctx->rep, cd, where,
            "c = H_q(H_I; 0x24, ...) over the recomputed "
            "commitments (%s) is %s, c_0 + ... + c_%zu mod q is "
            "%s",
            has_option ? "6.3" : "7.5",
            mpz_sizeinbase(cc, 16) < 70 ? mpz_get_str(hc, 16, cc) : "?", n - 1,
            mpz_sizeinbase(sum, 16) < 70 ? mpz_get_str(hs, 16, sum) : "?");
        ok = 0;
    }
done:
    if (ab != NULL && xy != NULL) {
        for (size_t j = 0; j < 2 * n; j++) {
            mpz_clear(ab[j]);
            mpz_clear(xy[j]);
        }
    }
    free(ab);
    free(xy);
    sc_vb_free(vx);
    sc_vb_free(vy);
    mpz_clears(w, jc, cc, sum, NULL);
    return ok;
}

int vr_check_selection(const vr_ctx *ctx, const char *step,
                       const uint8_t hi[32], uint32_t ind_c, uint32_t ind_o,
                       const vr_field *f, const char *where)
{
    char cd[16];
    /* 6.A: α and β in Z_p^r (decided by the batch test of the caller). */
    if (f->nonmember) {
        cond(cd, step, 'A');
        sc_report_fail(ctx->rep, cd, where, "%s not in Z_p^r",
                       f->nonmember == 3   ? "alpha and beta are"
                       : f->nonmember == 1 ? "alpha is"
                                           : "beta is");
        return 0;
    }
    return vr_check_range_proof(ctx, step, hi, ind_c, 1, ind_o, f->alpha,
                                f->beta, f->n, (const mpz_t *)f->c,
                                (const mpz_t *)f->v, where);
}
