/* Scrutin: every hash of ElectionGuard 2.0.0 that a verifier of an egk
 * record needs, one function per row (domain byte, key, layout). This is
 * the ONE place where 2.0 hash inputs are formed, mirroring
 * scrutin/eghash.h for 2.1. Where egk departs from the 2.0 text the
 * function follows egk and says so (docs/EGK20.md lists every case).
 *
 * 2.0 hashes are compared as 256-bit values reduced mod q (NOTES.md §2,
 * [Δ2.0]): the *_q functions return H(...) mod q. */
#ifndef SCRUTIN_VERIFY20_EGHASH20_H
#define SCRUTIN_VERIFY20_EGHASH20_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/group.h"
#include "scrutin/hash.h"

#define SC_EG20_VERSION "v2.0.0"

/* Domain-separation bytes of 2.0.0 (NOTES.md §2.2). */
enum sc_eg20_domain {
    SC_DOM20_PARAM_BASE = 0x00,     /* eq 4/5  H_P                    */
    SC_DOM20_MANIFEST = 0x01,       /* eq 6    H_M                    */
    SC_DOM20_ELECTION_BASE = 0x02,  /* eq 7    H_B                    */
    SC_DOM20_GUARDIAN_PROOF = 0x10, /* eq 12   c_i,j                  */
    SC_DOM20_EXTENDED_BASE = 0x12,  /* eq 23   H_E                    */
    SC_DOM20_RANGE_PROOF = 0x21,    /* eq 28/37/46/56                 */
    SC_DOM20_DATA_KEY = 0x22,       /* eq 51   contest data key       */
    SC_DOM20_CONTEST_HASH = 0x23,   /* eq 57   chi_l                  */
    SC_DOM20_CONFIRMATION = 0x24,   /* eq 58-61 H(B), H_0, closing    */
    SC_DOM20_DECRYPT_PROOF = 0x30,  /* eq 71   tally / ballot decrypt */
    SC_DOM20_DATA_DECRYPT = 0x31    /* eq 81   contest data decrypt   */
};

/** The H_P constant of 2.0.0 (eq 5), as printed in the spec. */
extern const uint8_t sc_eg20_hp_constant[32];

/** eq 4 / 1.F: H_P = H(ver; 0x00, p, q, g), ver = "v2.0.0" ‖ b(0, 26)
 *  (the text says b(0, 27): a typo, the printed constant needs 26). */
void sc_eg20_param_base_hash(const sc_group *grp, uint8_t out[32]);
/** eq 6 / 1.G: H_M = H(H_P; 0x01, b(len, 4) ‖ manifest bytes as stored). */
void sc_eg20_manifest_hash(const uint8_t hp[32], const uint8_t *manifest,
                           size_t len, uint8_t out[32]);
/** eq 7 / 1.H: H_B = H(H_P; 0x02, H_M, b(n, 4), b(k, 4)). */
void sc_eg20_election_base_hash(const uint8_t hp[32], const uint8_t hm[32],
                                uint32_t n, uint32_t k, uint8_t out[32]);
/** eq 23 / 4.A: H_E = H(H_B; 0x12, K). */
void sc_eg20_extended_base_hash(const sc_group *grp, const uint8_t hb[32],
                                const mpz_t K, uint8_t out[32]);
/** eq 12 / 2.C: c_i,j = H(H_P; 0x10, b(i,4), b(j,4), K_i,j, h_i,j) mod q. */
void sc_eg20_guardian_challenge_q(const sc_group *grp, const uint8_t hp[32],
                                  uint32_t i, uint32_t j, const mpz_t Kij,
                                  const mpz_t h, mpz_t out);
/** eq 28/56, 5.3 / 6.5: c = H(H_E; 0x21, K, alpha, beta, a_0, b_0, ...,
 *  a_R, b_R) mod q; a and b have n entries. */
void sc_eg20_range_challenge_q(const sc_group *grp, const uint8_t he[32],
                               const mpz_t K, const mpz_t alpha,
                               const mpz_t beta, size_t n, const mpz_t *a,
                               const mpz_t *b, mpz_t out);
/** eq 57 / 7.A: chi = H(H_E; 0x23, b(ind_c, 4), K, alpha_1, beta_1, ...).
 *  ind_c is the contest's sequence_order. */
void sc_eg20_contest_hash(const sc_group *grp, const uint8_t he[32],
                          uint32_t ind_c, const mpz_t K, size_t m,
                          const mpz_t *alpha, const mpz_t *beta,
                          uint8_t out[32]);
/** eq 58 / 7.B: H(B) = H(H_E; 0x24, chi_1 ‖ ... ‖ chi_m ‖ B_aux), B_aux
 *  without a length prefix (egk). chis is m*32 bytes. */
void sc_eg20_confirmation_code(const uint8_t he[32], size_t m,
                               const uint8_t *chis, const uint8_t *baux,
                               size_t baux_len, uint8_t out[32]);
/** eq 59 / 61, 7.D / 7.G: H(H_E; 0x24, B_aux) (chain start and close). */
void sc_eg20_chain_hash(const uint8_t he[32], const uint8_t *baux,
                        size_t baux_len, uint8_t out[32]);
/** eq 71, 9.B / 12.B: c = H(H_E; 0x30, K, A, B, a, b, M) mod q. */
void sc_eg20_decrypt_challenge_q(const sc_group *grp, const uint8_t he[32],
                                 const mpz_t K, const mpz_t A, const mpz_t B,
                                 const mpz_t a, const mpz_t b, const mpz_t M,
                                 mpz_t out);
/** eq 81, 11.B / 14.B: c = H(H_E; 0x31, K, C_0, C_1, C_2, a, b, beta) mod
 *  q, where egk feeds C_1 as the UTF-8 text of its uppercase hex form and
 *  C_2 as 32 bytes. */
void sc_eg20_data_decrypt_challenge_q(const sc_group *grp, const uint8_t he[32],
                                      const mpz_t K, const mpz_t c0,
                                      const uint8_t *c1, size_t c1_len,
                                      const uint8_t c2[32], const mpz_t a,
                                      const mpz_t b, const mpz_t beta,
                                      mpz_t out);

/** eq 51 / 86: contest-data key k = H(H_E; 0x22, K, C_0, beta). */
void sc_eg20_data_key(const sc_group *grp, const uint8_t he[32], const mpz_t K,
                      const mpz_t c0, const mpz_t beta, uint8_t out[32]);
/** eq 52 / 86-87 as egk computes them: k_i = HMAC(k, b(i,4) ‖
 *  "share_enc_keys" ‖ 0x00 ‖ "contest_data" ‖ contest_id ‖
 *  b(8 * num_bytes, 4)) (the text: label "data enc keys", context
 *  "contest data" ‖ b(ind_c,4), length (b_D + 1) * 256). k_0 is the MAC
 *  key, k_1.. the block keys. */
void sc_eg20_data_kdf(const uint8_t k[32], uint32_t i, const char *contest_id,
                      size_t id_len, uint32_t num_bytes, uint8_t out[32]);
/** eq 55: C_2 = HMAC(k_0, b(C_0, 512) ‖ C_1). */
void sc_eg20_data_mac(const sc_group *grp, const uint8_t k0[32], const mpz_t c0,
                      const uint8_t *c1, size_t c1_len, uint8_t out[32]);

#endif
