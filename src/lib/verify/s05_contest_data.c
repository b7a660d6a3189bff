/* Supplementary check S5 (AMBIGUITIES 7): the Schnorr proof of each
 * contest's encrypted contest data C = (C_0, C_1, C_2 = (c, v)) (spec
 * §3.3.10, eq 67-69). No step of §6.2 lists it; without it, C_0 and C_1
 * could be replaced (with χ recomputed) and no listed step would notice.
 *   S5.A C_0 in Z_p^r
 *   S5.B c, v in Z_q
 *   S5.C c = H_q(H_I; 0x27, ind_c, a, C_0, C_1) with a = g^v · C_0^c
 * Contest data that does not fit the manifest (present where the manifest
 * asks for none, missing, or C_1 not 32·b_Λ bytes) is S1.C (reader.c). */
#include "verify/vctx.h"

const sc_contest_data_ct *vr_contest_data_view(const vr_bcontest *c,
                                               sc_contest_data_ct *tmp)
{
    if (!c->has_data) {
        return NULL;
    }
    tmp->c0[0] = c->cd_c0[0]; /* shallow views, not owned */
    tmp->c2_c[0] = c->cd_c[0];
    tmp->c2_v[0] = c->cd_v[0];
    tmp->c1 = c->cd_c1;
    tmp->c1_len = c->cd_len;
    return tmp;
}

uint64_t vr_check_contest_data(const vr_ctx *ctx, const vr_ballot *b,
                               const char *where, int *bad)
{
    uint64_t n = 0;
    mpz_t a, c;
    mpz_inits(a, c, NULL);
    for (uint32_t l = 0; l < b->nc; l++) {
        const vr_bcontest *bc = &b->c[l];
        if (!bc->has_data) {
            continue;
        }
        if (bc->cd_nonmember) {
            sc_report_fail(ctx->rep, "S5.A", where,
                           "contest %u: contest data C_0 is not in Z_p^r",
                           bc->index);
            *bad = 1;
            continue;
        }
        if (!vr_in_zq(ctx, bc->cd_c) || !vr_in_zq(ctx, bc->cd_v)) {
            sc_report_fail(ctx->rep, "S5.B", where,
                           "contest %u: contest data proof c or v is not "
                           "in Z_q",
                           bc->index);
            *bad = 1;
            continue;
        }
        /* a = g^v · C_0^c (verify/common/commit.c), then eq 69 */
        vc_schnorr_commitment(ctx->grp, bc->cd_v, bc->cd_c0, bc->cd_c, a);
        sc_eg_contest_data_challenge(ctx->grp, b->hi, bc->index, a, bc->cd_c0,
                                     bc->cd_c1, bc->cd_len, c);
        if (mpz_cmp(c, bc->cd_c) != 0) {
            sc_report_fail(ctx->rep, "S5.C", where,
                           "contest %u: contest data proof: c is not "
                           "H_q(H_I; 0x27, ind_c, g^v C_0^c, C_0, C_1)",
                           bc->index);
            *bad = 1;
            continue;
        }
        n++;
    }
    mpz_clears(a, c, NULL);
    return n;
}
