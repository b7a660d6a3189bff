/* Scrutin: every hash of ElectionGuard 2.1, one function per row of the
 * domain-separation tables of spec §5.5 (domain byte, key B0 and the exact
 * layout of B1). Prover and verifier both call these; nothing else in the
 * tree builds an ElectionGuard hash input.
 *
 * Sizes: elements are b(x, lp), Z_q values b(x, lq), indices b(i, 4),
 * 256-bit values that are not group scalars (id_B, xi_B) b(x, 32), hashes
 * 32 bytes as they are. */
#ifndef SCRUTIN_EGHASH_H
#define SCRUTIN_EGHASH_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/group.h"
#include "scrutin/hash.h"

#define SC_EG_VERSION "2.1.0"
#define SC_BC_BYTES 36 /* chaining field B_C: 4-byte mode ‖ 32-byte hash */

/* Domain-separation bytes (§5.5). */
enum sc_eg_domain {
    SC_DOM_PARAM_BASE = 0x00,          /* eq 4   H_P                        */
    SC_DOM_ELECTION_BASE = 0x01,       /* eq 5   H_B                        */
    SC_DOM_GUARDIAN_PROOF = 0x10,      /* eq 11, 13  c_i, c-hat_i           */
    SC_DOM_SHARE_KEY = 0x11,           /* eq 16  k_i,l                      */
    SC_DOM_SHARE_PROOF = 0x12,         /* eq 22  c-bar_i,l                  */
    SC_DOM_GUARDIAN_RECORD = 0x13,     /* eq 27  H_G                        */
    SC_DOM_EXTENDED_BASE = 0x14,       /* eq 30  H_E                        */
    SC_DOM_SELECTION_ID = 0x20,        /* eq 32  H_I                        */
    SC_DOM_SELECTION_NONCE = 0x21,     /* eq 33  xi_i,j                     */
    SC_DOM_BALLOT_NONCE_KEY = 0x22,    /* eq 35  h                       */
    SC_DOM_BALLOT_NONCE_PROOF = 0x23,  /* eq 38  c_B                     */
    SC_DOM_RANGE_PROOF = 0x24,         /* eq 59, 62                      */
    SC_DOM_CONTEST_DATA_NONCE = 0x25,  /* eq 64                          */
    SC_DOM_CONTEST_DATA_KEY = 0x26,    /* eq 65                          */
    SC_DOM_CONTEST_DATA_PROOF = 0x27,  /* eq 69                          */
    SC_DOM_CONTEST_HASH = 0x28,        /* eq 70  chi_l                   */
    SC_DOM_CONFIRMATION = 0x29,        /* eq 71, 74, 77                  */
    SC_DOM_DEVICE = 0x2A,              /* eq 72  H_DI                    */
    SC_DOM_CHAIN_CLOSE = 0x2B,         /* eq 78                          */
    SC_DOM_DECRYPT_COMMIT = 0x30,      /* eq 88  d_i                     */
    SC_DOM_DECRYPT_PROOF = 0x31,       /* eq 90                          */
    SC_DOM_DATA_DECRYPT_COMMIT = 0x32, /* eq 99                         */
    SC_DOM_DATA_DECRYPT_PROOF = 0x33,  /* eq 101                        */
    SC_DOM_PRE_DEVICE = 0x43           /* eq 119 (pre-encrypted H_DI)   */
};

/* Chaining modes (eq 73, 75). */
#define SC_CHAIN_NONE 0x00000000u
#define SC_CHAIN_SIMPLE 0x00000001u

/** eq 4: H_P = H(ver; 0x00, p, q, g, n, k), ver = "v2.1.0" ‖ b(0, 26). */
SC_API void sc_eg_param_base_hash(const sc_group *grp, uint32_t n, uint32_t k,
                                  uint8_t out[32]);
/** eq 5: H_B = H(H_P; 0x01, b(len, 4) ‖ manifest). */
SC_API void sc_eg_election_base_hash(const uint8_t hp[32],
                                     const uint8_t *manifest, size_t len,
                                     uint8_t out[32]);
/** eq 11 / 13: c_i = H_q(H_P; 0x10, label, i, K_i,0..K_i,k-1, kappa_i,
 *  h_i,0..h_i,k). `data` 0: label "pk vote"; 1: "pk data". K has k
 *  entries, h has k+1. */
SC_API void sc_eg_guardian_challenge(const sc_group *grp, const uint8_t hp[32],
                                     int data, uint32_t i, uint32_t k,
                                     const mpz_t *K, const mpz_t kappa,
                                     const mpz_t *h, mpz_t out);
/** eq 16: k_i,l = H(H_P; 0x11, i, l, kappa_l, alpha, beta). */
SC_API void sc_eg_share_key(const sc_group *grp, const uint8_t hp[32],
                            uint32_t i, uint32_t l, const mpz_t kappa_l,
                            const mpz_t alpha, const mpz_t beta,
                            uint8_t out[32]);
/** eq 17 / 18: k_i,l,which (which = 1 or 2). */
SC_API void sc_eg_share_kdf(const uint8_t key[32], uint32_t i, uint32_t l,
                            uint32_t which, uint8_t out[32]);
/** eq 22: c-bar = H_q(H_P; 0x12, i, l, gamma, C_0, C_1 (64 bytes)). */
SC_API void sc_eg_share_challenge(const sc_group *grp, const uint8_t hp[32],
                                  uint32_t i, uint32_t l, const mpz_t gamma,
                                  const mpz_t c0, const uint8_t c1[64],
                                  mpz_t out);
/** eq 27: H_G = H(H_B; 0x13, K, K-hat, K_1,0..K_n,k-1, K-hat_1,0..,
 *  kappa_1..kappa_n). Kij and Khij are n*k entries, row-major by guardian. */
SC_API void sc_eg_guardian_record_hash(const sc_group *grp,
                                       const uint8_t hb[32], const mpz_t K,
                                       const mpz_t Khat, uint32_t n, uint32_t k,
                                       const mpz_t *Kij, const mpz_t *Khij,
                                       const mpz_t *kappa, uint8_t out[32]);
/** eq 30: H_E = H(H_B; 0x14, K, K-hat). */
SC_API void sc_eg_extended_base_hash(const sc_group *grp, const uint8_t hb[32],
                                     const mpz_t K, const mpz_t Khat,
                                     uint8_t out[32]);
/** eq 32: H_I = H(H_E; 0x20, b(id_B, 32)). */
SC_API void sc_eg_selection_id_hash(const uint8_t he[32],
                                    const uint8_t id_b[32], uint8_t out[32]);
/** eq 33: xi_i,j = H_q(H_I; 0x21, i, j, b(xi_B, 32)). */
SC_API void sc_eg_selection_nonce(const sc_group *grp, const uint8_t hi[32],
                                  uint32_t i, uint32_t j,
                                  const uint8_t xi_b[32], mpz_t out);
/** eq 35: h = H(H_I; 0x22, alpha_B, beta_B). */
SC_API void sc_eg_ballot_nonce_key(const sc_group *grp, const uint8_t hi[32],
                                   const mpz_t alpha, const mpz_t beta,
                                   uint8_t out[32]);
/** eq 36: k_1 = HMAC(h, 0x01 ‖ "ballot nonce" ‖ 0x00 ‖
 *  "ballot nonce encrypt" ‖ 0x0100). */
SC_API void sc_eg_ballot_nonce_kdf(const uint8_t h[32], uint8_t out[32]);
/** eq 38: c_B = H_q(H_I; 0x23, a_B, C_0, C_1 (32 bytes)). */
SC_API void sc_eg_ballot_nonce_challenge(const sc_group *grp,
                                         const uint8_t hi[32], const mpz_t a,
                                         const mpz_t c0, const uint8_t c1[32],
                                         mpz_t out);
/** eq 59 (option, has_option = 1) / eq 62 (contest limit, has_option = 0):
 *  c = H_q(H_I; 0x24, ind_c, [ind_o,] alpha, beta, a_0, b_0, ..., a_R,
 *  b_R). a and b have n entries (R+1 or L+1). */
SC_API void sc_eg_range_challenge(const sc_group *grp, const uint8_t hi[32],
                                  uint32_t ind_c, int has_option,
                                  uint32_t ind_o, const mpz_t alpha,
                                  const mpz_t beta, size_t n, const mpz_t *a,
                                  const mpz_t *b, mpz_t out);
/** eq 64: xi = H_q(H_I; 0x25, ind_c, b(xi_B, 32)). */
SC_API void sc_eg_contest_data_nonce(const sc_group *grp, const uint8_t hi[32],
                                     uint32_t ind_c, const uint8_t xi_b[32],
                                     mpz_t out);
/** eq 65: h = H(H_I; 0x26, ind_c, alpha, beta). */
SC_API void sc_eg_contest_data_key(const sc_group *grp, const uint8_t hi[32],
                                   uint32_t ind_c, const mpz_t alpha,
                                   const mpz_t beta, uint8_t out[32]);
/** eq 66: k_i = HMAC(h, b(i,4) ‖ "data enc keys" ‖ 0x00 ‖ "contest data" ‖
 *  b(ind_c, 4) ‖ b(b_L * 256, 4)), 1 <= i <= b_L. */
SC_API void sc_eg_contest_data_kdf(const uint8_t h[32], uint32_t i,
                                   uint32_t ind_c, uint32_t blocks,
                                   uint8_t out[32]);
/** eq 69: c = H_q(H_I; 0x27, ind_c, a, C_0, C_1 (32*blocks bytes)). */
SC_API void sc_eg_contest_data_challenge(const sc_group *grp,
                                         const uint8_t hi[32], uint32_t ind_c,
                                         const mpz_t a, const mpz_t c0,
                                         const uint8_t *c1, size_t c1_len,
                                         mpz_t out);

/** Encrypted contest data (eq 67-69), when present on a contest. */
typedef struct sc_contest_data_ct {
    mpz_t c0;    /* C_0 = alpha */
    uint8_t *c1; /* C_1, 32 * blocks bytes */
    size_t c1_len;
    mpz_t c2_c, c2_v; /* C_2 = (c, v) */
} sc_contest_data_ct;

/** eq 70: chi_l = H(H_I; 0x28, l, alpha_1, beta_1, ..., [C_0, C_1,
 *  b(C_2, 2 lq)]). l = ind_c (AMBIGUITIES 1); data may be NULL. */
SC_API void sc_eg_contest_hash(const sc_group *grp, const uint8_t hi[32],
                               uint32_t l, size_t m, const mpz_t *alpha,
                               const mpz_t *beta,
                               const sc_contest_data_ct *data, uint8_t out[32]);
/** eq 71: H_C = H(H_I; 0x29, chi_1 ‖ ... ‖ chi_m ‖ B_C). chis is m*32
 *  bytes. */
SC_API void sc_eg_confirmation_code(const uint8_t hi[32], size_t m,
                                    const uint8_t *chis,
                                    const uint8_t bc[SC_BC_BYTES],
                                    uint8_t out[32]);
/** eq 72: H_DI = H(H_E; 0x2A, b(len, 4) ‖ S_device). */
SC_API void sc_eg_device_hash(const uint8_t he[32], const char *s_device,
                              size_t len, uint8_t out[32]);
/** B_C = b(mode, 4) ‖ hash (eq 73, 75, 76). */
SC_API void sc_eg_chain_field(uint8_t bc[SC_BC_BYTES], uint32_t mode,
                              const uint8_t h[32]);
/** eq 74 / 77: H = H(H_E; 0x29, B_C). */
SC_API void sc_eg_chain_hash(const uint8_t he[32],
                             const uint8_t bc[SC_BC_BYTES], uint8_t out[32]);
/** eq 78: B_C = 0x00000001 ‖ H(H_E; 0x2B, H_l, B_C,0). */
SC_API void sc_eg_chain_close_field(const uint8_t he[32],
                                    const uint8_t h_last[32],
                                    const uint8_t bc0[SC_BC_BYTES],
                                    uint8_t bc[SC_BC_BYTES]);
/** eq 88: d_i = H(H_E; 0x30, ind_c, ind_o, i, A, B, a_i, b_i, M_i, U),
 *  U = b(#U, 4) ‖ b(j_1, 4) ‖ ... ascending (AMBIGUITIES 10). */
SC_API void sc_eg_decrypt_commit(const sc_group *grp, const uint8_t he[32],
                                 uint32_t ind_c, uint32_t ind_o, uint32_t i,
                                 const mpz_t A, const mpz_t B, const mpz_t a_i,
                                 const mpz_t b_i, const mpz_t M_i, size_t nu,
                                 const uint32_t *U, uint8_t out[32]);
/** eq 90: c = H_q(H_E; 0x31, ind_c, ind_o, A, B, a, b, M). */
SC_API void sc_eg_decrypt_challenge(const sc_group *grp, const uint8_t he[32],
                                    uint32_t ind_c, uint32_t ind_o,
                                    const mpz_t A, const mpz_t B, const mpz_t a,
                                    const mpz_t b, const mpz_t M, mpz_t out);
/** eq 99: d_i = H(H_I; 0x32, ind_c, i, C_0, C_1, C_2, a_i, b_i, m_i, U)
 *  (key H_I as the equation says; AMBIGUITIES 3). */
SC_API void sc_eg_data_decrypt_commit(const sc_group *grp, const uint8_t hi[32],
                                      uint32_t ind_c, uint32_t i,
                                      const sc_contest_data_ct *d,
                                      const mpz_t a_i, const mpz_t b_i,
                                      const mpz_t m_i, size_t nu,
                                      const uint32_t *U, uint8_t out[32]);
/** eq 101: c = H_q(H_I; 0x33, ind_c, C_0, C_1, C_2, a, b, beta). */
SC_API void sc_eg_data_decrypt_challenge(const sc_group *grp,
                                         const uint8_t hi[32], uint32_t ind_c,
                                         const sc_contest_data_ct *d,
                                         const mpz_t a, const mpz_t b,
                                         const mpz_t beta, mpz_t out);
/** eq 119: pre-encrypted device hash H(H_E; 0x43, b(len,4) ‖ S_device). */
SC_API void sc_eg_pre_device_hash(const uint8_t he[32], const char *s_device,
                                  size_t len, uint8_t out[32]);

#endif
