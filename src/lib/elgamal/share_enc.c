/* Encryption of guardian key shares to a guardian's communication key
 * (spec §3.2.2, eq 15-23): hashed ElGamal with a Schnorr proof of the
 * nonce. */
#include <string.h>

#include "core/ct_mark.h"
#include "elgamal/scalar_ct.h"
#include "elgamal/schnorr.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"

void sc_share_ct_init(sc_share_ct *ct)
{
    mpz_inits(ct->c0, ct->c, ct->v, NULL);
    memset(ct->c1, 0, sizeof ct->c1);
}

void sc_share_ct_clear(sc_share_ct *ct)
{
    mpz_clears(ct->c0, ct->c, ct->v, NULL);
    sc_wipe(ct->c1, sizeof ct->c1);
}

/* k_i,l,1 ‖ k_i,l,2 from (alpha, beta) (eq 16-18). */
static void share_keys(const sc_group *grp, const uint8_t hp[32], uint32_t i,
                       uint32_t l, const mpz_t kappa_l, const mpz_t alpha,
                       const mpz_t beta, uint8_t keys[64])
{
    uint8_t k[32];
    sc_eg_share_key(grp, hp, i, l, kappa_l, alpha, beta, k); /* eq 16 */
    sc_eg_share_kdf(k, i, l, 1, keys);                       /* eq 17 */
    sc_eg_share_kdf(k, i, l, 2, keys + 32);                  /* eq 18 */
    sc_wipe(k, sizeof k);
}

sc_status sc_share_encrypt_det(const sc_elgamal_key *kappa_l,
                               const uint8_t hp[32], uint32_t i, uint32_t l,
                               const mpz_t P, const mpz_t Phat, const mpz_t xi,
                               const mpz_t u, sc_share_ct *out)
{
    sc_status rc;
    const sc_group *grp;
    sc_ct_scalar sp, sph;
    uint8_t keys[64], pt[64];
    mpz_t beta, gamma;
    mpz_inits(beta, gamma, NULL);
    memset(&sp, 0, sizeof sp);
    memset(&sph, 0, sizeof sph);
    memset(keys, 0, sizeof keys);
    memset(pt, 0, sizeof pt);
    SC_ENSURE(kappa_l != NULL && hp != NULL && out != NULL, SC_E_MISUSE);
    SC_ENSURE(i >= 1 && l >= 1, SC_E_MISUSE);
    grp = kappa_l->grp;
    SC_CHECK(sc_ct_load(grp, &sp, P));
    SC_CHECK(sc_ct_load(grp, &sph, Phat));
    SC_CHECK(sc_ct_check(grp, xi));
    SC_CHECK(sc_ct_check(grp, u));
    /* eq 15 / 20: (alpha, beta) = (g^xi, kappa_l^xi). */
    sc_fb_pow_secret(grp->g_fb, out->c0, xi);
    sc_ct_mpz_public(out->c0); /* published */
    sc_fb_pow_secret(kappa_l->K_fb, beta, xi);
    share_keys(grp, hp, i, l, kappa_l->K, out->c0, beta, keys);
    /* eq 21: C_1 = (b(P,32) XOR k1) ‖ (b(P-hat,32) XOR k2). */
    sc_ct_to_be32(grp, pt, &sp);
    sc_ct_to_be32(grp, pt + 32, &sph);
    for (size_t b = 0; b < 64; b++) {
        out->c1[b] = pt[b] ^ keys[b];
    }
    SC_CT_PUBLIC(out->c1, sizeof out->c1); /* published (encrypted) */
    /* eq 22: gamma = g^u, c-bar = H_q(H_P; 0x12, i, l, gamma, C0, C1),
     * v-bar = u - c-bar xi. */
    sc_fb_pow_secret(grp->g_fb, gamma, u);
    sc_ct_mpz_public(gamma); /* hashed into the published challenge */
    sc_eg_share_challenge(grp, hp, i, l, gamma, out->c0, out->c1, out->c);
    SC_CHECK(sc_ct_mpz_mulsub(grp, out->v, u, out->c, xi));
    sc_ct_mpz_public(out->v); /* published */
done:
    sc_ct_wipe(&sp);
    sc_ct_wipe(&sph);
    sc_wipe(keys, sizeof keys);
    sc_wipe(pt, sizeof pt);
    sc_mpz_wipe(beta);
    mpz_clears(beta, gamma, NULL);
    return rc;
}

sc_status sc_share_encrypt(const sc_elgamal_key *kappa_l, const uint8_t hp[32],
                           uint32_t i, uint32_t l, const mpz_t P,
                           const mpz_t Phat, sc_rng *rng, sc_share_ct *out)
{
    sc_status rc;
    mpz_t xi, u;
    mpz_inits(xi, u, NULL);
    SC_ENSURE(kappa_l != NULL, SC_E_MISUSE);
    sc_rng_scalar(rng, kappa_l->grp, xi);
    sc_rng_scalar(rng, kappa_l->grp, u);
    rc = sc_share_encrypt_det(kappa_l, hp, i, l, P, Phat, xi, u, out);
done:
    sc_mpz_wipe(xi);
    sc_mpz_wipe(u);
    mpz_clears(xi, u, NULL);
    return rc;
}

sc_status sc_share_verify(const sc_group *grp, const uint8_t hp[32], uint32_t i,
                          uint32_t l, const sc_share_ct *ct)
{
    sc_status rc;
    mpz_t gamma, c;
    mpz_inits(gamma, c, NULL);
    SC_ENSURE(grp != NULL && hp != NULL && ct != NULL, SC_E_MISUSE);
    SC_CHECK(sc_schnorr_recommit(grp, gamma, ct->c0, ct->c, ct->v));
    sc_eg_share_challenge(grp, hp, i, l, gamma, ct->c0, ct->c1, c);
    SC_ENSURE(mpz_cmp(c, ct->c) == 0, SC_E_VERIFY);
done:
    mpz_clears(gamma, c, NULL);
    return rc;
}

sc_status sc_share_decrypt(const sc_elgamal_key *kappa_l, const uint8_t hp[32],
                           uint32_t i, uint32_t l, const mpz_t zeta_l,
                           const sc_share_ct *ct, mpz_t P, mpz_t Phat)
{
    sc_status rc;
    const sc_group *grp;
    sc_ct_scalar sp, sph;
    uint8_t keys[64], pt[64];
    mpz_t beta;
    mpz_init(beta);
    memset(&sp, 0, sizeof sp);
    memset(&sph, 0, sizeof sph);
    memset(keys, 0, sizeof keys);
    memset(pt, 0, sizeof pt);
    SC_ENSURE(kappa_l != NULL && ct != NULL, SC_E_MISUSE);
    grp = kappa_l->grp;
    SC_CHECK(sc_ct_check(grp, zeta_l));
    SC_CHECK(sc_share_verify(grp, hp, i, l, ct));
    /* beta = C_0^zeta_l = kappa_l^xi. */
    sc_pow_secret(grp, beta, ct->c0, zeta_l);
    share_keys(grp, hp, i, l, kappa_l->K, ct->c0, beta, keys);
    for (size_t b = 0; b < 64; b++) {
        pt[b] = ct->c1[b] ^ keys[b]; /* eq 23 */
    }
    /* A share >= q cannot come from an honest sender. */
    rc = sc_ct_from_be32(grp, &sp, pt);
    if (rc == SC_OK) {
        rc = sc_ct_from_be32(grp, &sph, pt + 32);
    }
    SC_ENSURE(rc == SC_OK, SC_E_VERIFY);
    sc_ct_store(grp, P, &sp);
    sc_ct_store(grp, Phat, &sph);
done:
    sc_ct_wipe(&sp);
    sc_ct_wipe(&sph);
    sc_wipe(keys, sizeof keys);
    sc_wipe(pt, sizeof pt);
    sc_mpz_wipe(beta);
    mpz_clear(beta);
    return rc;
}
