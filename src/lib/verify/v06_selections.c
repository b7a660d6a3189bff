/* Verification 6 (well-formedness of selection encryptions), spec
 * §6.2.4, and the range-proof core it shares with Verification 7 and the
 * supplementary checks S3/S4 of challenged ballots (AMBIGUITIES 6).
 *
 * Proofs are published in the compact form of footnote 18: (c_j, v_j) for
 * 0 <= j <= R; the verifier recomputes the commitments
 *   (6.1) a_j = g^v_j · α^c_j,  (6.2) b_j = K^w_j · β^c_j,
 *         w_j = (v_j − j c_j) mod q,
 *   (6.3) c = H_q(H_I; 0x24, ind_c, ind_o, α, β, a_0, b_0, ..., a_R, b_R)
 * and checks (6.D) c = Σ c_j mod q. The commitments are recomputed by
 * vc_range_commitments (verify/common/commit.c, shared with the 2.0
 * verifier: α and β each appear with R + 1 exponents and each base's
 * squarings are shared by all of them; g and K use the fixed-base
 * tables); the challenge's hash inputs (eghash.h) and the conditions
 * are this file's. */
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
                         const mpz_t *c, const mpz_t *v, const vc_chains *ch,
                         size_t bx, const char *where)
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
    /* (6.1)-(6.2) / (7.3)-(7.4): the commitments, recomputed by the code
     * both verifiers share (verify/common/commit.c). */
    mpz_t *a, *b;
    mpz_t cc, sum;
    /* room for c (a digest, then mod q) and for Σ c_j before its mod q */
    const mp_bitcnt_t qbits =
        (mp_bitcnt_t)(mpz_size(grp->q) + 2) * GMP_NUMB_BITS;
    mpz_init2(cc, qbits > 256 ? qbits : 256);
    mpz_init2(sum, qbits);
    if (vc_range_commitments(grp, ctx->K_fb, x, y, n, c, v, ch, bx, &a, &b,
                             sum) != SC_OK) {
        sc_report_error(ctx->rep, step, where, "out of memory");
        ok = 0;
        goto done;
    }
    /* (6.3) / (7.5): the challenge over the recomputed commitments. */
    sc_eg_range_challenge(grp, hi, ind_c, has_option, ind_o, x, y, n,
                          (const mpz_t *)a, (const mpz_t *)b, cc);
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
    vc_mpz_array_free(a, n);
    vc_mpz_array_free(b, n);
    mpz_clears(cc, sum, NULL);
    return ok;
}

int vr_check_selection_chained(const vr_ctx *ctx, const char *step,
                               const uint8_t hi[32], uint32_t ind_c,
                               uint32_t ind_o, const vr_field *f,
                               const vc_chains *ch, size_t bx,
                               const char *where)
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
                                (const mpz_t *)f->v, ch, bx, where);
}

int vr_check_selection(const vr_ctx *ctx, const char *step,
                       const uint8_t hi[32], uint32_t ind_c, uint32_t ind_o,
                       const vr_field *f, const char *where)
{
    return vr_check_selection_chained(ctx, step, hi, ind_c, ind_o, f, NULL, 0,
                                      where);
}
