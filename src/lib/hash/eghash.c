/* The hashes of spec §5.5, one function per table row. See
 * scrutin/eghash.h for each contract; the SPEC comment names the equation. */
#include <string.h>

#include "scrutin/eghash.h"

/* Key for H_P (eq 4): "v2.1.0" followed by 26 zero bytes. */
static void version_key(uint8_t key[32])
{
    static const char v[] = "v" SC_EG_VERSION;
    memset(key, 0, 32);
    memcpy(key, v, sizeof v - 1);
}

void sc_eg_param_base_hash(const sc_group *grp, uint32_t n, uint32_t k,
                           uint8_t out[32])
{
    uint8_t key[32];
    sc_hash h;
    version_key(key);
    sc_hash_init(&h, grp, key, SC_DOM_PARAM_BASE); /* SPEC eq 4 */
    sc_hash_elem(&h, grp->p);
    sc_hash_scalar(&h, grp->q);
    sc_hash_elem(&h, grp->g);
    sc_hash_u32(&h, n);
    sc_hash_u32(&h, k);
    sc_hash_final(&h, out);
}

void sc_eg_election_base_hash(const uint8_t hp[32], const uint8_t *manifest,
                              size_t len, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, hp, SC_DOM_ELECTION_BASE); /* SPEC eq 5 */
    sc_hash_lstr(&h, manifest, len);
    sc_hash_final(&h, out);
}

void sc_eg_guardian_challenge(const sc_group *grp, const uint8_t hp[32],
                              int data, uint32_t i, uint32_t k, const mpz_t *K,
                              const mpz_t kappa, const mpz_t *hc, mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hp, SC_DOM_GUARDIAN_PROOF); /* SPEC eq 11, 13 */
    sc_hash_bytes(&h, data ? "pk data" : "pk vote", 7);
    sc_hash_u32(&h, i);
    for (uint32_t j = 0; j < k; j++) {
        sc_hash_elem(&h, K[j]);
    }
    sc_hash_elem(&h, kappa);
    for (uint32_t j = 0; j <= k; j++) {
        sc_hash_elem(&h, hc[j]);
    }
    sc_hash_final_q(&h, out);
}

void sc_eg_share_key(const sc_group *grp, const uint8_t hp[32], uint32_t i,
                     uint32_t l, const mpz_t kappa_l, const mpz_t alpha,
                     const mpz_t beta, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hp, SC_DOM_SHARE_KEY); /* SPEC eq 16 */
    sc_hash_u32(&h, i);
    sc_hash_u32(&h, l);
    sc_hash_elem(&h, kappa_l);
    sc_hash_elem(&h, alpha);
    sc_hash_elem(&h, beta);
    sc_hash_final(&h, out);
}

static void be32(uint8_t *o, uint32_t x)
{
    o[0] = (uint8_t)(x >> 24);
    o[1] = (uint8_t)(x >> 16);
    o[2] = (uint8_t)(x >> 8);
    o[3] = (uint8_t)x;
}

void sc_eg_share_kdf(const uint8_t key[32], uint32_t i, uint32_t l,
                     uint32_t which, uint8_t out[32])
{
    /* SPEC eq 17, 18: Label = "share enc keys", Context = "share encrypt"
     * ‖ b(i, 4) ‖ b(l, 4), L = 512 bits. */
    uint8_t ctx[13 + 8];
    memcpy(ctx, "share encrypt", 13);
    be32(ctx + 13, i);
    be32(ctx + 17, l);
    sc_kdf_block(out, key, which, 1, "share enc keys", 14, ctx, sizeof ctx, 512,
                 2);
}

void sc_eg_share_challenge(const sc_group *grp, const uint8_t hp[32],
                           uint32_t i, uint32_t l, const mpz_t gamma,
                           const mpz_t c0, const uint8_t c1[64], mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hp, SC_DOM_SHARE_PROOF); /* SPEC eq 22 */
    sc_hash_u32(&h, i);
    sc_hash_u32(&h, l);
    sc_hash_elem(&h, gamma);
    sc_hash_elem(&h, c0);
    sc_hash_bytes(&h, c1, 64);
    sc_hash_final_q(&h, out);
}

void sc_eg_guardian_record_hash(const sc_group *grp, const uint8_t hb[32],
                                const mpz_t K, const mpz_t Khat, uint32_t n,
                                uint32_t k, const mpz_t *Kij, const mpz_t *Khij,
                                const mpz_t *kappa, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hb, SC_DOM_GUARDIAN_RECORD); /* SPEC eq 27 */
    sc_hash_elem(&h, K);
    sc_hash_elem(&h, Khat);
    for (size_t x = 0; x < (size_t)n * k; x++) {
        sc_hash_elem(&h, Kij[x]);
    }
    for (size_t x = 0; x < (size_t)n * k; x++) {
        sc_hash_elem(&h, Khij[x]);
    }
    for (uint32_t x = 0; x < n; x++) {
        sc_hash_elem(&h, kappa[x]);
    }
    sc_hash_final(&h, out);
}

void sc_eg_extended_base_hash(const sc_group *grp, const uint8_t hb[32],
                              const mpz_t K, const mpz_t Khat, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hb, SC_DOM_EXTENDED_BASE); /* SPEC eq 30 */
    sc_hash_elem(&h, K);
    sc_hash_elem(&h, Khat);
    sc_hash_final(&h, out);
}

void sc_eg_selection_id_hash(const uint8_t he[32], const uint8_t id_b[32],
                             uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, he, SC_DOM_SELECTION_ID); /* SPEC eq 32 */
    sc_hash_bytes(&h, id_b, 32);
    sc_hash_final(&h, out);
}

void sc_eg_selection_nonce(const sc_group *grp, const uint8_t hi[32],
                           uint32_t i, uint32_t j, const uint8_t xi_b[32],
                           mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_SELECTION_NONCE); /* SPEC eq 33 */
    sc_hash_u32(&h, i);
    sc_hash_u32(&h, j);
    sc_hash_bytes(&h, xi_b, 32);
    sc_hash_final_q(&h, out);
}

void sc_eg_ballot_nonce_key(const sc_group *grp, const uint8_t hi[32],
                            const mpz_t alpha, const mpz_t beta,
                            uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_BALLOT_NONCE_KEY); /* SPEC eq 35 */
    sc_hash_elem(&h, alpha);
    sc_hash_elem(&h, beta);
    sc_hash_final(&h, out);
}

void sc_eg_ballot_nonce_kdf(const uint8_t h[32], uint8_t out[32])
{
    /* SPEC eq 36 */
    sc_kdf_block(out, h, 1, 1, "ballot nonce", 12, "ballot nonce encrypt", 20,
                 256, 2);
}

void sc_eg_ballot_nonce_challenge(const sc_group *grp, const uint8_t hi[32],
                                  const mpz_t a, const mpz_t c0,
                                  const uint8_t c1[32], mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_BALLOT_NONCE_PROOF); /* SPEC eq 38 */
    sc_hash_elem(&h, a);
    sc_hash_elem(&h, c0);
    sc_hash_bytes(&h, c1, 32);
    sc_hash_final_q(&h, out);
}

void sc_eg_range_challenge(const sc_group *grp, const uint8_t hi[32],
                           uint32_t ind_c, int has_option, uint32_t ind_o,
                           const mpz_t alpha, const mpz_t beta, size_t n,
                           const mpz_t *a, const mpz_t *b, mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_RANGE_PROOF); /* SPEC eq 59, 62 */
    sc_hash_u32(&h, ind_c);
    if (has_option) {
        sc_hash_u32(&h, ind_o);
    }
    sc_hash_elem(&h, alpha);
    sc_hash_elem(&h, beta);
    for (size_t j = 0; j < n; j++) {
        sc_hash_elem(&h, a[j]);
        sc_hash_elem(&h, b[j]);
    }
    sc_hash_final_q(&h, out);
}

void sc_eg_contest_data_nonce(const sc_group *grp, const uint8_t hi[32],
                              uint32_t ind_c, const uint8_t xi_b[32], mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_CONTEST_DATA_NONCE); /* SPEC eq 64 */
    sc_hash_u32(&h, ind_c);
    sc_hash_bytes(&h, xi_b, 32);
    sc_hash_final_q(&h, out);
}

void sc_eg_contest_data_key(const sc_group *grp, const uint8_t hi[32],
                            uint32_t ind_c, const mpz_t alpha, const mpz_t beta,
                            uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_CONTEST_DATA_KEY); /* SPEC eq 65 */
    sc_hash_u32(&h, ind_c);
    sc_hash_elem(&h, alpha);
    sc_hash_elem(&h, beta);
    sc_hash_final(&h, out);
}

void sc_eg_contest_data_kdf(const uint8_t h[32], uint32_t i, uint32_t ind_c,
                            uint32_t blocks, uint8_t out[32])
{
    /* SPEC eq 66: Label "data enc keys", Context "contest data" ‖
     * b(ind_c, 4), L = b(blocks * 256, 4). */
    uint8_t ctx[12 + 4];
    memcpy(ctx, "contest data", 12);
    be32(ctx + 12, ind_c);
    sc_kdf_block(out, h, i, 4, "data enc keys", 13, ctx, sizeof ctx,
                 blocks * 256u, 4);
}

void sc_eg_contest_data_challenge(const sc_group *grp, const uint8_t hi[32],
                                  uint32_t ind_c, const mpz_t a, const mpz_t c0,
                                  const uint8_t *c1, size_t c1_len, mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_CONTEST_DATA_PROOF); /* SPEC eq 69 */
    sc_hash_u32(&h, ind_c);
    sc_hash_elem(&h, a);
    sc_hash_elem(&h, c0);
    sc_hash_bytes(&h, c1, c1_len);
    sc_hash_final_q(&h, out);
}

static void hash_contest_data(sc_hash *h, const sc_contest_data_ct *d)
{
    /* C_0 ‖ C_1 ‖ b(C_2, 2 lq) (AMBIGUITIES 2) */
    sc_hash_elem(h, d->c0);
    sc_hash_bytes(h, d->c1, d->c1_len);
    sc_hash_scalar(h, d->c2_c);
    sc_hash_scalar(h, d->c2_v);
}

void sc_eg_contest_hash(const sc_group *grp, const uint8_t hi[32], uint32_t l,
                        size_t m, const mpz_t *alpha, const mpz_t *beta,
                        const sc_contest_data_ct *data, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_CONTEST_HASH); /* SPEC eq 70 */
    sc_hash_u32(&h, l);
    for (size_t j = 0; j < m; j++) {
        sc_hash_elem(&h, alpha[j]);
        sc_hash_elem(&h, beta[j]);
    }
    if (data != NULL) {
        hash_contest_data(&h, data);
    }
    sc_hash_final(&h, out);
}

void sc_eg_confirmation_code(const uint8_t hi[32], size_t m,
                             const uint8_t *chis, const uint8_t bc[SC_BC_BYTES],
                             uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, hi, SC_DOM_CONFIRMATION); /* SPEC eq 71 */
    sc_hash_bytes(&h, chis, m * 32);
    sc_hash_bytes(&h, bc, SC_BC_BYTES);
    sc_hash_final(&h, out);
}

void sc_eg_device_hash(const uint8_t he[32], const char *s_device, size_t len,
                       uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, he, SC_DOM_DEVICE); /* SPEC eq 72 */
    sc_hash_lstr(&h, s_device, len);
    sc_hash_final(&h, out);
}

void sc_eg_pre_device_hash(const uint8_t he[32], const char *s_device,
                           size_t len, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, he, SC_DOM_PRE_DEVICE); /* SPEC eq 119 */
    sc_hash_lstr(&h, s_device, len);
    sc_hash_final(&h, out);
}

void sc_eg_chain_field(uint8_t bc[SC_BC_BYTES], uint32_t mode,
                       const uint8_t hsh[32])
{
    be32(bc, mode); /* SPEC eq 73, 75, 76 */
    memcpy(bc + 4, hsh, 32);
}

void sc_eg_chain_hash(const uint8_t he[32], const uint8_t bc[SC_BC_BYTES],
                      uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, he, SC_DOM_CONFIRMATION); /* SPEC eq 74, 77 */
    sc_hash_bytes(&h, bc, SC_BC_BYTES);
    sc_hash_final(&h, out);
}

void sc_eg_chain_close_field(const uint8_t he[32], const uint8_t h_last[32],
                             const uint8_t bc0[SC_BC_BYTES],
                             uint8_t bc[SC_BC_BYTES])
{
    sc_hash h;
    uint8_t inner[32];
    sc_hash_init(&h, NULL, he, SC_DOM_CHAIN_CLOSE); /* SPEC eq 78 */
    sc_hash_bytes(&h, h_last, 32);
    sc_hash_bytes(&h, bc0, SC_BC_BYTES);
    sc_hash_final(&h, inner);
    sc_eg_chain_field(bc, SC_CHAIN_SIMPLE, inner);
}

static void hash_set(sc_hash *h, size_t nu, const uint32_t *U)
{
    sc_hash_u32(h, (uint32_t)nu);
    for (size_t x = 0; x < nu; x++) {
        sc_hash_u32(h, U[x]);
    }
}

void sc_eg_decrypt_commit(const sc_group *grp, const uint8_t he[32],
                          uint32_t ind_c, uint32_t ind_o, uint32_t i,
                          const mpz_t A, const mpz_t B, const mpz_t a_i,
                          const mpz_t b_i, const mpz_t M_i, size_t nu,
                          const uint32_t *U, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, he, SC_DOM_DECRYPT_COMMIT); /* SPEC eq 88 */
    sc_hash_u32(&h, ind_c);
    sc_hash_u32(&h, ind_o);
    sc_hash_u32(&h, i);
    sc_hash_elem(&h, A);
    sc_hash_elem(&h, B);
    sc_hash_elem(&h, a_i);
    sc_hash_elem(&h, b_i);
    sc_hash_elem(&h, M_i);
    hash_set(&h, nu, U);
    sc_hash_final(&h, out);
}

void sc_eg_decrypt_challenge(const sc_group *grp, const uint8_t he[32],
                             uint32_t ind_c, uint32_t ind_o, const mpz_t A,
                             const mpz_t B, const mpz_t a, const mpz_t b,
                             const mpz_t M, mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, he, SC_DOM_DECRYPT_PROOF); /* SPEC eq 90 */
    sc_hash_u32(&h, ind_c);
    sc_hash_u32(&h, ind_o);
    sc_hash_elem(&h, A);
    sc_hash_elem(&h, B);
    sc_hash_elem(&h, a);
    sc_hash_elem(&h, b);
    sc_hash_elem(&h, M);
    sc_hash_final_q(&h, out);
}

void sc_eg_data_decrypt_commit(const sc_group *grp, const uint8_t hi[32],
                               uint32_t ind_c, uint32_t i,
                               const sc_contest_data_ct *d, const mpz_t a_i,
                               const mpz_t b_i, const mpz_t m_i, size_t nu,
                               const uint32_t *U, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_DATA_DECRYPT_COMMIT); /* SPEC eq 99 */
    sc_hash_u32(&h, ind_c);
    sc_hash_u32(&h, i);
    hash_contest_data(&h, d);
    sc_hash_elem(&h, a_i);
    sc_hash_elem(&h, b_i);
    sc_hash_elem(&h, m_i);
    hash_set(&h, nu, U);
    sc_hash_final(&h, out);
}

void sc_eg_data_decrypt_challenge(const sc_group *grp, const uint8_t hi[32],
                                  uint32_t ind_c, const sc_contest_data_ct *d,
                                  const mpz_t a, const mpz_t b,
                                  const mpz_t beta, mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hi, SC_DOM_DATA_DECRYPT_PROOF); /* SPEC eq 101 */
    sc_hash_u32(&h, ind_c);
    hash_contest_data(&h, d);
    sc_hash_elem(&h, a);
    sc_hash_elem(&h, b);
    sc_hash_elem(&h, beta);
    sc_hash_final_q(&h, out);
}
