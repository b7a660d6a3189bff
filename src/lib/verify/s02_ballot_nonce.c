/* Supplementary check S2 (AMBIGUITIES 7): the Schnorr proof that the
 * encrypted ballot nonce C_ξB = (C_0, C_1, C_2 = (c_B, v_B)) was formed
 * with a known ξ̂_B (eq 34-38). No step of §6.2 lists it; without it a
 * changed C_ξB would pass every listed step.
 *   S2.A C_0 in Z_p^r
 *   S2.B c_B, v_B in Z_q
 *   S2.C c_B = H_q(H_I; 0x23, a_B, C_0, C_1) with a_B = g^v_B · C_0^c_B */
#include "verify/vctx.h"

int vr_check_ballot_nonce(const vr_ctx *ctx, const vr_ballot *b,
                          const char *where)
{
    if (b->bn_c0_nonmember) {
        sc_report_fail(ctx->rep, "S2.A", where,
                       "ballot nonce C_0 is not in Z_p^r");
        return 0;
    }
    if (!vr_in_zq(ctx, b->bn_c) || !vr_in_zq(ctx, b->bn_v)) {
        sc_report_fail(ctx->rep, "S2.B", where,
                       "ballot nonce proof c_B or v_B is not in Z_q");
        return 0;
    }
    mpz_t a, c;
    mpz_inits(a, c, NULL);
    /* a_B = g^v_B · C_0^c_B (verify/common/commit.c) */
    vc_schnorr_commitment(ctx->grp, b->bn_v, b->bn_c0, b->bn_c, a);
    sc_eg_ballot_nonce_challenge(ctx->grp, b->hi, a, b->bn_c0, b->bn_c1, c);
    int ok = mpz_cmp(c, b->bn_c) == 0;
    if (!ok) {
        sc_report_fail(ctx->rep, "S2.C", where,
                       "ballot nonce proof: c_B is not H_q(H_I; 0x23, "
                       "g^v_B C_0^c_B, C_0, C_1)");
    }
    mpz_clears(a, c, NULL);
    return ok;
}
