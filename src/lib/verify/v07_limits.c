/* Verification 7 (adherence to vote limits), spec §6.2.4: for each
 * contest, (7.1) ᾱ = Π α_i, (7.2) β̄ = Π β_i, then the range proof over
 * {0..L} (7.3-7.5, eq 62: no option index in the challenge) with 7.A-7.D.
 * The limit proof is always published (AMBIGUITIES 8). The products are
 * over the voter's options; supplemental fields (§3.3.9) have their own
 * relation proofs (v07_supplemental.c). */
#include <stdio.h>

#include "verify/vctx.h"

int vr_check_limit(const vr_ctx *ctx, const char *step, const uint8_t hi[32],
                   const vr_bcontest *bc, uint32_t L, const char *where)
{
    char cd[16];
    int bad = 0;
    /* 7.A: every α_i, β_i of the contest in Z_p^r. */
    for (uint32_t i = 0; i < bc->nf; i++) {
        if (bc->f[i].nonmember) {
            snprintf(cd, sizeof cd, "%s.A", step);
            sc_report_fail(ctx->rep, cd, where,
                           "option %u: alpha/beta not in Z_p^r", i + 1);
            bad = 1;
        }
    }
    if (bad) {
        return 0;
    }
    if (bc->nl == 0) {
        return 1; /* omitted, L >= Σ R_j (AMBIGUITIES 8; reader checked) */
    }
    if (bc->nl != (size_t)L + 1) {
        return 0; /* shape is checked by the reader (S1.C) */
    }
    mpz_t ab, bb;
    /* elements, written by the engine at p's limb count: allocated once */
    const mp_bitcnt_t pbits =
        (mp_bitcnt_t)mpz_size(ctx->grp->p) * GMP_NUMB_BITS;
    mpz_init2(ab, pbits);
    mpz_init2(bb, pbits);
    mpz_set_ui(ab, 1);
    mpz_set_ui(bb, 1);
    for (uint32_t i = 0; i < bc->nreal; i++) {
        sc_mulmod(ctx->grp, ab, ab, bc->f[i].alpha); /* (7.1) */
        sc_mulmod(ctx->grp, bb, bb, bc->f[i].beta);  /* (7.2) */
    }
    int ok = vr_check_range_proof(ctx, step, hi, bc->index, 0, 0, ab, bb,
                                  bc->nl, (const mpz_t *)bc->lc,
                                  (const mpz_t *)bc->lv, NULL, 0, where);
    mpz_clear(ab);
    mpz_clear(bb);
    return ok;
}
