/* Joint decryption of contest data (spec §3.6.6, eq 96-103) and
 * Verification 12.1-12.B. The guardian-side steps shared with tally
 * decryption (eq 96-98, 100, 102-103) are in decrypt_proof.c. */
#include "proof/internal.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/proof.h"

void sc_data_dec_commit_hash(const sc_group *grp, const uint8_t hi[32],
                             uint32_t ind_c, uint32_t i,
                             const sc_contest_data_ct *ct, const mpz_t a_i,
                             const mpz_t b_i, const mpz_t m_i, size_t nu,
                             const uint32_t *U, uint8_t d_i[32])
{
    sc_eg_data_decrypt_commit(grp, hi, ind_c, i, ct, a_i, b_i, m_i, nu, U,
                              d_i); /* eq 99 */
}

sc_status sc_data_dec_commit_check(const sc_group *grp, const uint8_t hi[32],
                                   uint32_t ind_c, uint32_t i,
                                   const sc_contest_data_ct *ct,
                                   const mpz_t a_i, const mpz_t b_i,
                                   const mpz_t m_i, size_t nu,
                                   const uint32_t *U, const uint8_t d_i[32])
{
    uint8_t d[32];
    if (grp == NULL || hi == NULL || ct == NULL || d_i == NULL) {
        return SC_E_MISUSE;
    }
    sc_status rc = sc_dec_reveal_members(grp, a_i, b_i, m_i);
    if (rc != SC_OK) {
        return rc;
    }
    sc_data_dec_commit_hash(grp, hi, ind_c, i, ct, a_i, b_i, m_i, nu, U, d);
    return sc_ct_eq(d, d_i, 32) ? SC_OK : SC_E_VERIFY;
}

void sc_data_dec_challenge(const sc_group *grp, const uint8_t hi[32],
                           uint32_t ind_c, const sc_contest_data_ct *ct,
                           const mpz_t a, const mpz_t b, const mpz_t beta,
                           mpz_t c)
{
    sc_eg_data_decrypt_challenge(grp, hi, ind_c, ct, a, b, beta,
                                 c); /* eq 101 */
}

sc_status sc_data_dec_proof_verify(const sc_elgamal_key *khat,
                                   const uint8_t hi[32], uint32_t ind_c,
                                   const sc_contest_data_ct *ct,
                                   const mpz_t beta, const mpz_t c,
                                   const mpz_t v)
{
    sc_status rc = SC_OK;
    const sc_group *grp;
    mpz_t a, b, x, cc;
    mpz_inits(a, b, x, cc, NULL);
    SC_ENSURE(khat != NULL && hi != NULL && ct != NULL, SC_E_MISUSE);
    grp = khat->grp;
    /* 12.A */
    SC_ENSURE(sc_scalar_in_range(grp, v) && sc_scalar_in_range(grp, c),
              SC_E_INVALID_RANGE);
    SC_ENSURE(sc_elem_is_member(grp, ct->c0) && sc_elem_is_member(grp, beta),
              SC_E_INVALID_NOT_IN_SUBGROUP);
    /* 12.1: a = g^v K-hat^c */
    sc_fb_pow(grp->g_fb, a, v);
    sc_fb_pow(khat->K_fb, x, c);
    sc_mulmod(grp, a, a, x);
    /* 12.2: b = C_0^v beta^c */
    sc_dec_pow2(grp, b, ct->c0, v, beta, c);
    /* 12.B */
    sc_data_dec_challenge(grp, hi, ind_c, ct, a, b, beta, cc);
    SC_ENSURE(mpz_cmp(cc, c) == 0, SC_E_VERIFY);
done:
    mpz_clears(a, b, x, cc, NULL);
    return rc;
}
