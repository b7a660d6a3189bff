/* Optional contest data (spec §3.3.10, eq 63-69) and its decryption
 * (§3.6.6 eq 104-106, §3.6.7 eq 110-111). */
#include <stdlib.h>
#include <string.h>

#include "elgamal/scalar_ct.h"
#include "elgamal/schnorr.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"

#define SC_DATA_MAX_BLOCKS ((size_t)1 << 24)

void sc_contest_data_ct_init(sc_contest_data_ct *ct)
{
    mpz_inits(ct->c0, ct->c2_c, ct->c2_v, NULL);
    ct->c1 = NULL;
    ct->c1_len = 0;
}

void sc_contest_data_ct_clear(sc_contest_data_ct *ct)
{
    mpz_clears(ct->c0, ct->c2_c, ct->c2_v, NULL);
    if (ct->c1 != NULL) {
        sc_wipe(ct->c1, ct->c1_len);
        free(ct->c1);
    }
    ct->c1 = NULL;
    ct->c1_len = 0;
}

/* out[i] ^= k_i for the b_L blocks: eq 65-66 then 68 / 106. */
static void data_xor(const sc_group *grp, const uint8_t hi[32], uint32_t ind_c,
                     const mpz_t c0, const mpz_t beta, const uint8_t *in,
                     uint8_t *out, size_t blocks)
{
    uint8_t h[32], k[32];
    sc_eg_contest_data_key(grp, hi, ind_c, c0, beta, h); /* eq 65 */
    for (size_t i = 1; i <= blocks; i++) {
        sc_eg_contest_data_kdf(h, (uint32_t)i, ind_c, (uint32_t)blocks,
                               k); /* eq 66 */
        for (size_t b = 0; b < 32; b++) {
            out[32 * (i - 1) + b] = in[32 * (i - 1) + b] ^ k[b];
        }
    }
    sc_wipe(h, sizeof h);
    sc_wipe(k, sizeof k);
}

sc_status sc_contest_data_encrypt(const sc_elgamal_key *khat,
                                  const uint8_t hi[32], uint32_t ind_c,
                                  const uint8_t xi_b[SC_XIB_BYTES],
                                  const uint8_t *D, size_t blocks, sc_rng *rng,
                                  sc_contest_data_ct *out)
{
    sc_status rc = SC_OK;
    const sc_group *grp;
    mpz_t xi, beta, u, a;
    mpz_inits(xi, beta, u, a, NULL);
    SC_ENSURE(khat != NULL && hi != NULL && xi_b != NULL && D != NULL &&
                  out != NULL,
              SC_E_MISUSE);
    SC_ENSURE(blocks >= 1 && blocks < SC_DATA_MAX_BLOCKS, SC_E_INVALID_RANGE);
    grp = khat->grp;
    if (out->c1 != NULL) {
        sc_wipe(out->c1, out->c1_len);
        free(out->c1);
    }
    out->c1_len = 32 * blocks;
    out->c1 = malloc(out->c1_len);
    if (out->c1 == NULL) {
        out->c1_len = 0;
        rc = SC_E_NOMEM;
        goto done;
    }
    sc_eg_contest_data_nonce(grp, hi, ind_c, xi_b, xi); /* eq 64 */
    /* eq 67, with a = g^u of eq 69 (one scan of the g table for both,
     * sc_fb_pow_secret2; u is the next draw either way) */
    sc_rng_scalar(rng, grp, u);
    sc_fb_pow_secret2(grp->g_fb, out->c0, a, xi, u);
    sc_fb_pow_secret(khat->K_fb, beta, xi);
    data_xor(grp, hi, ind_c, out->c0, beta, D, out->c1, blocks); /* eq 68 */
    /* eq 69: c = H_q(H_I; 0x27, ind_c, a, C0, C1), v = u - c xi */
    sc_eg_contest_data_challenge(grp, hi, ind_c, a, out->c0, out->c1,
                                 out->c1_len, out->c2_c);
    SC_CHECK(sc_ct_mpz_mulsub(grp, out->c2_v, u, out->c2_c, xi));
done:
    sc_mpz_wipe(xi);
    sc_mpz_wipe(beta);
    sc_mpz_wipe(u);
    mpz_clears(xi, beta, u, a, NULL);
    return rc;
}

sc_status sc_contest_data_verify(const sc_group *grp, const uint8_t hi[32],
                                 uint32_t ind_c, const sc_contest_data_ct *ct)
{
    sc_status rc;
    mpz_t a, c;
    mpz_inits(a, c, NULL);
    SC_ENSURE(grp != NULL && hi != NULL && ct != NULL, SC_E_MISUSE);
    SC_ENSURE(ct->c1 != NULL && ct->c1_len >= 32 && ct->c1_len % 32 == 0 &&
                  ct->c1_len / 32 < SC_DATA_MAX_BLOCKS,
              SC_E_INVALID_LENGTH);
    SC_CHECK(sc_schnorr_recommit(grp, a, ct->c0, ct->c2_c, ct->c2_v));
    sc_eg_contest_data_challenge(grp, hi, ind_c, a, ct->c0, ct->c1, ct->c1_len,
                                 c);
    SC_ENSURE(mpz_cmp(c, ct->c2_c) == 0, SC_E_VERIFY);
done:
    mpz_clears(a, c, NULL);
    return rc;
}

sc_status sc_contest_data_decrypt_beta(const sc_group *grp,
                                       const uint8_t hi[32], uint32_t ind_c,
                                       const sc_contest_data_ct *ct,
                                       const mpz_t beta, uint8_t *D)
{
    sc_status rc;
    SC_ENSURE(D != NULL && beta != NULL, SC_E_MISUSE);
    SC_CHECK(sc_contest_data_verify(grp, hi, ind_c, ct));
    data_xor(grp, hi, ind_c, ct->c0, beta, ct->c1, D, ct->c1_len / 32);
done:
    return rc;
}
