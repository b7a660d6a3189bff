/* The ElectionGuard 2.0.0 hash table (see eghash20.h). Equation numbers are
 * those of the 2.0.0 text; docs/EGK20.md lists where egk departs. */
#include <stdlib.h>
#include <string.h>

#include "scrutin/core.h"
#include "verify20/eghash20.h"

/* eq 5 (2.0.0): the printed parameter base hash. */
const uint8_t sc_eg20_hp_constant[32] = {
    0x2B, 0x3B, 0x02, 0x5E, 0x50, 0xE0, 0x9C, 0x11, 0x9C, 0xBA, 0x7E,
    0x94, 0x48, 0xAC, 0xD1, 0xCA, 0xBC, 0x94, 0x47, 0xEF, 0x39, 0xBF,
    0x06, 0x32, 0x7D, 0x81, 0xC6, 0x65, 0xCD, 0xD8, 0x62, 0x96};

void sc_eg20_param_base_hash(const sc_group *grp, uint8_t out[32])
{
    uint8_t ver[32] = {0};
    memcpy(ver, SC_EG20_VERSION, strlen(SC_EG20_VERSION));
    sc_hash h;
    sc_hash_init(&h, grp, ver, SC_DOM20_PARAM_BASE);
    sc_hash_elem(&h, grp->p);
    sc_hash_scalar(&h, grp->q);
    sc_hash_elem(&h, grp->g);
    sc_hash_final(&h, out);
}

void sc_eg20_manifest_hash(const uint8_t hp[32], const uint8_t *manifest,
                           size_t len, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, hp, SC_DOM20_MANIFEST);
    sc_hash_lstr(&h, manifest, len); /* egk: b(len, 4) prefix (§5.1.4) */
    sc_hash_final(&h, out);
}

void sc_eg20_election_base_hash(const uint8_t hp[32], const uint8_t hm[32],
                                uint32_t n, uint32_t k, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, hp, SC_DOM20_ELECTION_BASE);
    sc_hash_bytes(&h, hm, 32);
    sc_hash_u32(&h, n);
    sc_hash_u32(&h, k);
    sc_hash_final(&h, out);
}

void sc_eg20_extended_base_hash(const sc_group *grp, const uint8_t hb[32],
                                const mpz_t K, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, hb, SC_DOM20_EXTENDED_BASE);
    sc_hash_elem(&h, K);
    sc_hash_final(&h, out);
}

static void final_q(sc_hash *h, const sc_group *grp, mpz_t out)
{
    uint8_t d[32];
    sc_hash_final(h, d);
    sc_digest_to_mpz(out, d);
    mpz_mod(out, out, grp->q);
}

void sc_eg20_guardian_challenge_q(const sc_group *grp, const uint8_t hp[32],
                                  uint32_t i, uint32_t j, const mpz_t Kij,
                                  const mpz_t hij, mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, hp, SC_DOM20_GUARDIAN_PROOF);
    sc_hash_u32(&h, i);
    sc_hash_u32(&h, j);
    sc_hash_elem(&h, Kij);
    sc_hash_elem(&h, hij);
    final_q(&h, grp, out);
}

void sc_eg20_range_challenge_q(const sc_group *grp, const uint8_t he[32],
                               const mpz_t K, const mpz_t alpha,
                               const mpz_t beta, size_t n, const mpz_t *a,
                               const mpz_t *b, mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, he, SC_DOM20_RANGE_PROOF);
    sc_hash_elem(&h, K);
    sc_hash_elem(&h, alpha);
    sc_hash_elem(&h, beta);
    for (size_t j = 0; j < n; j++) {
        sc_hash_elem(&h, a[j]);
        sc_hash_elem(&h, b[j]);
    }
    final_q(&h, grp, out);
}

void sc_eg20_contest_hash(const sc_group *grp, const uint8_t he[32],
                          uint32_t ind_c, const mpz_t K, size_t m,
                          const mpz_t *alpha, const mpz_t *beta,
                          uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, he, SC_DOM20_CONTEST_HASH);
    sc_hash_u32(&h, ind_c);
    sc_hash_elem(&h, K);
    for (size_t i = 0; i < m; i++) {
        sc_hash_elem(&h, alpha[i]);
        sc_hash_elem(&h, beta[i]);
    }
    sc_hash_final(&h, out);
}

void sc_eg20_confirmation_code(const uint8_t he[32], size_t m,
                               const uint8_t *chis, const uint8_t *baux,
                               size_t baux_len, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, he, SC_DOM20_CONFIRMATION);
    sc_hash_bytes(&h, chis, m * 32);
    sc_hash_bytes(&h, baux, baux_len); /* egk: no length prefix */
    sc_hash_final(&h, out);
}

void sc_eg20_chain_hash(const uint8_t he[32], const uint8_t *baux,
                        size_t baux_len, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, NULL, he, SC_DOM20_CONFIRMATION);
    sc_hash_bytes(&h, baux, baux_len);
    sc_hash_final(&h, out);
}

void sc_eg20_decrypt_challenge_q(const sc_group *grp, const uint8_t he[32],
                                 const mpz_t K, const mpz_t A, const mpz_t B,
                                 const mpz_t a, const mpz_t b, const mpz_t M,
                                 mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, he, SC_DOM20_DECRYPT_PROOF);
    sc_hash_elem(&h, K);
    sc_hash_elem(&h, A);
    sc_hash_elem(&h, B);
    sc_hash_elem(&h, a);
    sc_hash_elem(&h, b);
    sc_hash_elem(&h, M);
    final_q(&h, grp, out);
}

void sc_eg20_data_decrypt_challenge_q(const sc_group *grp, const uint8_t he[32],
                                      const mpz_t K, const mpz_t c0,
                                      const uint8_t *c1, size_t c1_len,
                                      const uint8_t c2[32], const mpz_t a,
                                      const mpz_t b, const mpz_t beta,
                                      mpz_t out)
{
    sc_hash h;
    sc_hash_init(&h, grp, he, SC_DOM20_DATA_DECRYPT);
    sc_hash_elem(&h, K);
    sc_hash_elem(&h, c0);
    /* egk departure (eq 81): C_1 enters as the text of its uppercase hex. */
    char chunk[129];
    for (size_t off = 0; off < c1_len; off += 64) {
        size_t n = c1_len - off < 64 ? c1_len - off : 64;
        sc_hex_encode(chunk, c1 + off, n);
        sc_hash_bytes(&h, chunk, 2 * n);
    }
    sc_hash_bytes(&h, c2, 32);
    sc_hash_elem(&h, a);
    sc_hash_elem(&h, b);
    sc_hash_elem(&h, beta);
    final_q(&h, grp, out);
}

void sc_eg20_data_key(const sc_group *grp, const uint8_t he[32], const mpz_t K,
                      const mpz_t c0, const mpz_t beta, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init(&h, grp, he, SC_DOM20_DATA_KEY);
    sc_hash_elem(&h, K);
    sc_hash_elem(&h, c0);
    sc_hash_elem(&h, beta);
    sc_hash_final(&h, out);
}

void sc_eg20_data_kdf(const uint8_t k[32], uint32_t i, const char *contest_id,
                      size_t id_len, uint32_t num_bytes, uint8_t out[32])
{
    static const char label[] = "share_enc_keys";
    static const char ctx[] = "contest_data";
    sc_hash h;
    sc_hash_init_raw(&h, NULL, k);
    sc_hash_u32(&h, i);
    sc_hash_bytes(&h, label, sizeof label - 1);
    sc_hash_bytes(&h, "", 1); /* the 0x00 separator */
    sc_hash_bytes(&h, ctx, sizeof ctx - 1);
    sc_hash_bytes(&h, contest_id, id_len);
    sc_hash_u32(&h, 8u * num_bytes);
    sc_hash_final(&h, out);
}

void sc_eg20_data_mac(const sc_group *grp, const uint8_t k0[32], const mpz_t c0,
                      const uint8_t *c1, size_t c1_len, uint8_t out[32])
{
    sc_hash h;
    sc_hash_init_raw(&h, grp, k0);
    sc_hash_elem(&h, c0);
    sc_hash_bytes(&h, c1, c1_len);
    sc_hash_final(&h, out);
}
