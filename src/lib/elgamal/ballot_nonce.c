/* Encryption of the ballot nonce xi_B to K-hat (spec §3.3.4, eq 34-38) and
 * its decryption (§3.6.7, eq 107-108). */
#include <string.h>

#include "elgamal/scalar_ct.h"
#include "elgamal/schnorr.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"

void sc_nonce_ct_init(sc_nonce_ct *ct)
{
    mpz_inits(ct->c0, ct->c, ct->v, NULL);
    memset(ct->c1, 0, sizeof ct->c1);
}

void sc_nonce_ct_clear(sc_nonce_ct *ct)
{
    mpz_clears(ct->c0, ct->c, ct->v, NULL);
    sc_wipe(ct->c1, sizeof ct->c1);
}

/* k_1 from (alpha_B, beta_B): eq 35-36. */
static void nonce_key(const sc_group *grp, const uint8_t hi[32],
                      const mpz_t alpha, const mpz_t beta, uint8_t k1[32])
{
    uint8_t h[32];
    sc_eg_ballot_nonce_key(grp, hi, alpha, beta, h); /* eq 35 */
    sc_eg_ballot_nonce_kdf(h, k1);                   /* eq 36 */
    sc_wipe(h, sizeof h);
}

sc_status sc_ballot_nonce_encrypt_det(const sc_elgamal_key *khat,
                                      const uint8_t hi[32],
                                      const uint8_t xi_b[SC_XIB_BYTES],
                                      const mpz_t xi_hat, const mpz_t u,
                                      sc_nonce_ct *out)
{
    sc_status rc = SC_OK;
    const sc_group *grp;
    uint8_t k1[32];
    mpz_t beta, a;
    mpz_inits(beta, a, NULL);
    memset(k1, 0, sizeof k1);
    SC_ENSURE(khat != NULL && hi != NULL && xi_b != NULL && out != NULL,
              SC_E_MISUSE);
    grp = khat->grp;
    SC_CHECK(sc_ct_check(grp, xi_hat));
    SC_CHECK(sc_ct_check(grp, u));
    /* eq 34: (alpha_B, beta_B) = (g^xi-hat, K-hat^xi-hat); with a_B = g^u_B
     * of eq 38 (one scan of the g table for both, sc_fb_pow_secret2). */
    sc_fb_pow_secret2(grp->g_fb, out->c0, a, xi_hat, u);
    sc_fb_pow_secret(khat->K_fb, beta, xi_hat);
    nonce_key(grp, hi, out->c0, beta, k1);
    for (size_t b = 0; b < SC_XIB_BYTES; b++) {
        out->c1[b] = xi_b[b] ^ k1[b]; /* eq 37 */
    }
    /* eq 38: a_B = g^u_B (above), c_B = H_q(H_I; 0x23, a_B, C0, C1),
     * v_B = u_B - c_B xi-hat. */
    sc_eg_ballot_nonce_challenge(grp, hi, a, out->c0, out->c1, out->c);
    SC_CHECK(sc_ct_mpz_mulsub(grp, out->v, u, out->c, xi_hat));
done:
    sc_wipe(k1, sizeof k1);
    sc_mpz_wipe(beta);
    mpz_clears(beta, a, NULL);
    return rc;
}

sc_status sc_ballot_nonce_encrypt(const sc_elgamal_key *khat,
                                  const uint8_t hi[32],
                                  const uint8_t xi_b[SC_XIB_BYTES], sc_rng *rng,
                                  sc_nonce_ct *out)
{
    sc_status rc;
    mpz_t xh, u;
    mpz_inits(xh, u, NULL);
    SC_ENSURE(khat != NULL, SC_E_MISUSE);
    sc_rng_scalar(rng, khat->grp, xh);
    sc_rng_scalar(rng, khat->grp, u);
    rc = sc_ballot_nonce_encrypt_det(khat, hi, xi_b, xh, u, out);
done:
    sc_mpz_wipe(xh);
    sc_mpz_wipe(u);
    mpz_clears(xh, u, NULL);
    return rc;
}

sc_status sc_ballot_nonce_verify(const sc_group *grp, const uint8_t hi[32],
                                 const sc_nonce_ct *ct)
{
    sc_status rc;
    mpz_t a, c;
    mpz_inits(a, c, NULL);
    SC_ENSURE(grp != NULL && hi != NULL && ct != NULL, SC_E_MISUSE);
    SC_CHECK(sc_schnorr_recommit(grp, a, ct->c0, ct->c, ct->v));
    sc_eg_ballot_nonce_challenge(grp, hi, a, ct->c0, ct->c1, c);
    SC_ENSURE(mpz_cmp(c, ct->c) == 0, SC_E_VERIFY);
done:
    mpz_clears(a, c, NULL);
    return rc;
}

sc_status sc_ballot_nonce_decrypt_beta(const sc_group *grp,
                                       const uint8_t hi[32],
                                       const sc_nonce_ct *ct,
                                       const mpz_t beta_b,
                                       uint8_t xi_b[SC_XIB_BYTES])
{
    sc_status rc;
    uint8_t k1[32];
    memset(k1, 0, sizeof k1);
    SC_ENSURE(xi_b != NULL && beta_b != NULL, SC_E_MISUSE);
    SC_CHECK(sc_ballot_nonce_verify(grp, hi, ct));
    nonce_key(grp, hi, ct->c0, beta_b, k1);
    for (size_t b = 0; b < SC_XIB_BYTES; b++) {
        xi_b[b] = ct->c1[b] ^ k1[b];
    }
done:
    sc_wipe(k1, sizeof k1);
    return rc;
}

sc_status sc_ballot_nonce_decrypt(const sc_group *grp, const uint8_t hi[32],
                                  const sc_nonce_ct *ct, const mpz_t shat,
                                  uint8_t xi_b[SC_XIB_BYTES])
{
    sc_status rc;
    mpz_t beta;
    mpz_init(beta);
    SC_ENSURE(grp != NULL && ct != NULL, SC_E_MISUSE);
    SC_CHECK(sc_ct_check(grp, shat));
    SC_CHECK(sc_ballot_nonce_verify(grp, hi, ct));
    sc_pow_secret(grp, beta, ct->c0, shat); /* eq 107 with one holder */
    SC_CHECK(sc_ballot_nonce_decrypt_beta(grp, hi, ct, beta, xi_b));
done:
    sc_mpz_wipe(beta);
    mpz_clear(beta);
    return rc;
}
