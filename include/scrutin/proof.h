/* Scrutin: the zero-knowledge proofs of ElectionGuard 2.1, each prover with
 * its verifier.
 *
 *  - Compact Schnorr proof of a guardian's coefficients and communication
 *    key (eq 10-13), verifier = Verification 2.
 *  - Disjunctive Chaum-Pedersen range proof 0..R (eq 57-61; R = 1 is the
 *    0/1 proof of eq 39-56), verifier = Verification 6; the contest
 *    selection-limit proof (eq 62), verifier = Verification 7.
 *  - The pieces of the joint decryption proof (eq 84-93, note 3.7),
 *    verifier = Verification 10. Guardians on separate machines exchange
 *    only public values: d_i (commit), then (a_i, b_i) (reveal), then v_i
 *    (response).
 *
 * Conventions are those of elgamal.h: caller-initialised mpz_t, SECRET
 * inputs used only in constant time, SC_E_VERIFY = "the proof is wrong",
 * SC_E_INVALID_* = malformed / out-of-range input, SC_E_MISUSE = API
 * misuse. All verifiers are pure functions of public data and may run in
 * parallel. Verifiers check every range condition the spec lists (values in
 * Z_q, elements in Z_p^r) unless the doc comment says the caller does. */
#ifndef SCRUTIN_PROOF_H
#define SCRUTIN_PROOF_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/arith.h"
#include "scrutin/elgamal.h"
#include "scrutin/group.h"
#include "scrutin/rng.h"
#include "scrutin/status.h"

/* ------------------------------------------------------------------------
 * Guardian key proof (eq 10-13, Verification 2)
 * ---------------------------------------------------------------------- */

#define SC_PK_VOTE 0 /* label "pk vote": K_i,j, eq 11 */
#define SC_PK_DATA 1 /* label "pk data": K-hat_i,j, eq 13 */

/** (c_i, v_i,0 .. v_i,k): one challenge, k+1 responses (v[k] answers for
 *  zeta_i). v is owned (k+1 entries). */
typedef struct sc_guardian_proof {
    uint32_t k;
    mpz_t c;
    mpz_t *v;
} sc_guardian_proof;
SC_API SC_MUST_USE sc_status sc_guardian_proof_init(sc_guardian_proof *pf,
                                                    uint32_t k);
SC_API void sc_guardian_proof_clear(sc_guardian_proof *pf);

/** Prove knowledge of a[0..k-1] (SECRET coefficients, K[j] = g^a[j]) and
 *  zeta (SECRET, kappa = g^zeta) for guardian i (1-based), label
 *  SC_PK_VOTE or SC_PK_DATA (eq 10-11 / 12-13). pf must be initialised with
 *  the same k. u_i,j from rng (NULL: system). K and kappa are trusted (the
 *  prover computed them); they are not re-checked. */
SC_API SC_MUST_USE sc_status sc_guardian_proof_prove(
    const sc_group *grp, const uint8_t hp[32], int label, uint32_t i,
    uint32_t k, const mpz_t *a, const mpz_t *K, const mpz_t zeta,
    const mpz_t kappa, sc_rng *rng, sc_guardian_proof *pf);
/** Verification 2 for one key set: 2.1-2.2 (or 2.3-2.4) recompute
 *  h_j = g^v_j K_j^c and h_k = g^v_k kappa^c; 2.A K_j, kappa in Z_p^r;
 *  2.B v_j in Z_q (and c in Z_q); 2.C c = H_q(H_P; 0x10, label, i, K,
 *  kappa, h). SC_E_VERIFY or SC_E_INVALID_* on failure. */
SC_API SC_MUST_USE sc_status sc_guardian_proof_verify(
    const sc_group *grp, const uint8_t hp[32], int label, uint32_t i,
    uint32_t k, const mpz_t *K, const mpz_t kappa, const sc_guardian_proof *pf);

/** eq 14 / 28 / 29: out = prod_{j<k} K[j]^(x^j mod q) = g^P(x), for
 *  checking a received share against the sender's commitments
 *  (g^P_i(l) == sc_poly_commit_eval(K_i, l)). Public values. */
SC_API void sc_poly_commit_eval(const sc_group *grp, mpz_t out, uint32_t k,
                                const mpz_t *K, uint32_t x);

/* ------------------------------------------------------------------------
 * Range proof 0..R (eq 57-61) and the contest limit proof (eq 62)
 * ---------------------------------------------------------------------- */

/** Compact form (R >= 0): challenges c[0..R], responses v[0..R] (both
 *  owned, R+1 entries), and the overall challenge c_total = c_0 + ... + c_R mod
 * q (eq 59 / 62). Records that publish only (c_j, v_j) set c_total with
 *  sc_range_proof_set_total before verifying. */
typedef struct sc_range_proof {
    uint32_t R;
    mpz_t *c;
    mpz_t *v;
    mpz_t c_total;
} sc_range_proof;
SC_API SC_MUST_USE sc_status sc_range_proof_init(sc_range_proof *pf,
                                                 uint32_t R);
SC_API void sc_range_proof_clear(sc_range_proof *pf);
/** c_total = sum c_j mod q. */
SC_API void sc_range_proof_set_total(const sc_group *grp, sc_range_proof *pf);

/** Which statement the proof is for (the hash inputs of eq 59 / 62). */
typedef struct sc_range_ctx {
    const uint8_t *hi; /* H_I, 32 bytes */
    uint32_t ind_c;    /* contest index */
    int has_option;    /* 1: selection proof (eq 59, V6); 0: contest limit
                        * proof (eq 62, V7) */
    uint32_t ind_o;    /* option index (ignored if has_option = 0) */
} sc_range_ctx;

/** Prove that ct = (g^xi, K^(ell+xi)) with 0 <= ell <= R (eq 57-61).
 *  xi and ell are SECRET: no branch, memory index or mpz comparison
 *  depends on them (every (a_j, b_j) is computed the same way, the true
 *  challenge is placed with a masked select). pf must be initialised with
 *  the same R. u_j, c_j from rng (NULL: system). ell > R is SC_E_MISUSE
 *  (the one check on ell; it would not give a valid proof). ct is trusted
 *  (the prover computed it). */
SC_API SC_MUST_USE sc_status sc_range_proof_prove(
    const sc_elgamal_key *pk, const sc_range_ctx *ctx, const sc_ciphertext *ct,
    const mpz_t xi, uint32_t ell, sc_rng *rng, sc_range_proof *pf);
/** Verification 6 (has_option = 1) / 7.3-7.D (has_option = 0): recompute
 *  a_j = g^v_j alpha^c_j, b_j = K^w_j beta^c_j with w_j = v_j - j c_j
 *  mod q; check c_j, v_j, c_total in Z_q (6.B, 6.C), c_total =
 *  H_q(H_I; 0x24, ...) and c_total = sum c_j mod q (6.D). If
 *  check_members is non-zero, also 6.A (alpha, beta in Z_p^r); pass 0 when
 *  the caller has batch-checked them (sc_subgroup_check_batch) already.
 *  Cost: two window tables (alpha, beta) + 2(R+1) fixed-base and 2(R+1)
 *  table exponentiations. */
SC_API SC_MUST_USE sc_status sc_range_proof_verify(const sc_elgamal_key *pk,
                                                   const sc_range_ctx *ctx,
                                                   const sc_ciphertext *ct,
                                                   const sc_range_proof *pf,
                                                   int check_members);

/** The contest limit proof (eq 62): n selection ciphertexts `cts` with
 *  nonces xis (SECRET), ell = sum of the selections (SECRET, <= L). Forms
 *  the product (alpha-bar, beta-bar) and the aggregate nonce (sum xi mod q)
 *  and calls sc_range_proof_prove with has_option = 0. */
SC_API SC_MUST_USE sc_status sc_limit_proof_prove(
    const sc_elgamal_key *pk, const uint8_t hi[32], uint32_t ind_c, size_t n,
    const sc_ciphertext *cts, const mpz_t *xis, uint32_t ell, sc_rng *rng,
    sc_range_proof *pf);
/** Verification 7: 7.1-7.2 the product of the n selection ciphertexts,
 *  then sc_range_proof_verify with has_option = 0. check_members as above
 *  (7.A, for each alpha_i, beta_i). */
SC_API SC_MUST_USE sc_status sc_limit_proof_verify(
    const sc_elgamal_key *pk, const uint8_t hi[32], uint32_t ind_c, size_t n,
    const sc_ciphertext *cts, const sc_range_proof *pf, int check_members);

/* ------------------------------------------------------------------------
 * Joint decryption (eq 84-93, note 3.7, Verification 10)
 *
 * Protocol for a set U (ascending guardian indices, |U| >= k):
 *  1. each G_i: M_i = sc_partial_decrypt(A, z_i);
 *     (u_i, a_i, b_i) = sc_dec_commit(A);  d_i = sc_dec_commit_hash(...);
 *     publishes M_i and d_i, keeps u_i SECRET.
 *  2. after all d_j are in, each G_i publishes (a_i, b_i); everyone checks
 *     sc_dec_commit_check for each j (eq 88).
 *  3. anyone: w = sc_lagrange_coeffs(U) (eq 85), M = sc_dec_combine_M
 *     (eq 86), (a, b) = sc_dec_accumulate (eq 89), c = sc_dec_challenge
 *     (eq 90).
 *  4. each G_i: v_i = sc_dec_response(c, w_i, u_i, z_i) (eq 91-92), then
 *     wipes u_i. Anyone may check v_i with sc_dec_response_check (note
 *     3.7; needs g^z_i = sc_share_pubkey).
 *  5. anyone: v = sc_dec_combine_v (eq 93); T = B / M; publish (T, t, c,
 *     v); verifiers run sc_dec_proof_verify (Verification 10).
 * The same pieces serve K-hat decryptions (ballot nonces eq 107-108,
 * contest data eq 96-103) with A = C_0 and z-hat_i.
 * ---------------------------------------------------------------------- */

/** eq 85: w[m] = prod_{l in U, l != U[m]} l / (l - U[m]) mod q for each
 *  m < nu. U must be strictly ascending, each 1 <= U[m] < 2^31:
 *  SC_E_INVALID otherwise. Public values. */
SC_API SC_MUST_USE sc_status sc_lagrange_coeffs(const sc_group *grp, size_t nu,
                                                const uint32_t *U, mpz_t *w);

/** eq 84: M_i = A^z_i. z_i SECRET. A must be in Z_p^r (checked by the
 *  caller, e.g. Verification 9 / the proof checks). */
SC_API void sc_partial_decrypt(const sc_group *grp, mpz_t M_i, const mpz_t A,
                               const mpz_t z_i);

/** eq 87: draw u_i (SECRET output; caller keeps it until the response and
 *  then wipes it) and compute a_i = g^u_i, b_i = A^u_i. rng NULL: system. */
SC_API void sc_dec_commit(const sc_group *grp, const mpz_t A, sc_rng *rng,
                          mpz_t u_i, mpz_t a_i, mpz_t b_i);
/** sc_partial_decrypt and sc_dec_commit for n items at once (the same
 *  values: the exponentiations by secrets run together, eight at a time on
 *  the IFMA kernel, sc_pow_secret_many): M[k] = A[k]^z[k]; u[k] drawn from
 *  rng in the order k = 0, 1, ..., a[k] = g^u[k], b[k] = A[k]^u[k]. The
 *  outputs are distinct from the inputs and from each other. */
SC_API void sc_partial_decrypt_many(const sc_group *grp, mpz_t *M, size_t n,
                                    const mpz_t *A, const mpz_t *z);
SC_API void sc_dec_commit_many(const sc_group *grp, size_t n, const mpz_t *A,
                               sc_rng *rng, mpz_t *u, mpz_t *a, mpz_t *b);
/** eq 88: d_i = H(H_E; 0x30, ind_c, ind_o, i, A, B, a_i, b_i, M_i, U),
 *  U = b(#U, 4) ‖ b(U[0], 4) ‖ ... in ascending order (AMBIGUITIES 10). */
SC_API void sc_dec_commit_hash(const sc_group *grp, const uint8_t he[32],
                               uint32_t ind_c, uint32_t ind_o, uint32_t i,
                               const mpz_t A, const mpz_t B, const mpz_t a_i,
                               const mpz_t b_i, const mpz_t M_i, size_t nu,
                               const uint32_t *U, uint8_t d_i[32]);
/** Check a revealed (a_i, b_i) against the earlier d_i (eq 88) and that
 *  a_i, b_i, M_i are in Z_p^r. SC_E_VERIFY / SC_E_INVALID_* on failure. */
SC_API SC_MUST_USE sc_status sc_dec_commit_check(
    const sc_group *grp, const uint8_t he[32], uint32_t ind_c, uint32_t ind_o,
    uint32_t i, const mpz_t A, const mpz_t B, const mpz_t a_i, const mpz_t b_i,
    const mpz_t M_i, size_t nu, const uint32_t *U, const uint8_t d_i[32]);
/** eq 86: M = prod M_i^w_i (public). */
SC_API void sc_dec_combine_M(const sc_group *grp, mpz_t M, size_t nu,
                             const mpz_t *M_i, const mpz_t *w);
/** eq 89: a = prod a_i, b = prod b_i. */
SC_API void sc_dec_accumulate(const sc_group *grp, mpz_t a, mpz_t b, size_t nu,
                              const mpz_t *a_i, const mpz_t *b_i);
/** eq 90: c = H_q(H_E; 0x31, ind_c, ind_o, A, B, a, b, M). */
SC_API void sc_dec_challenge(const sc_group *grp, const uint8_t he[32],
                             uint32_t ind_c, uint32_t ind_o, const mpz_t A,
                             const mpz_t B, const mpz_t a, const mpz_t b,
                             const mpz_t M, mpz_t c);
/** eq 91-92: c_i = c w_i mod q, v_i = u_i - c_i z_i mod q. u_i, z_i
 *  SECRET; v_i is public. c_i may be NULL. If u_i or z_i is not in
 *  [0, q), v_i is set to q, which every check rejects. */
SC_API void sc_dec_response(const sc_group *grp, mpz_t v_i, mpz_t c_i,
                            const mpz_t c, const mpz_t w_i, const mpz_t u_i,
                            const mpz_t z_i);
/** eq 93: v = sum v_i mod q. */
SC_API void sc_dec_combine_v(const sc_group *grp, mpz_t v, size_t nu,
                             const mpz_t *v_i);
/** eq 94 inner product: out = g^P(i) = prod_{j=1..n} prod_{m<k}
 *  Kjm[j-1][m]^(i^m) (Kjm row-major, n*k entries): guardian i's share
 *  public key g^z_i (K-hat_j,m give g^z-hat_i). */
SC_API void sc_share_pubkey(const sc_group *grp, mpz_t out, uint32_t n,
                            uint32_t k, const mpz_t *Kjm, uint32_t i);
/** Note 3.7 (eq 94-95): with Ki = g^z_i (sc_share_pubkey), check
 *  a_i = Ki^c_i g^v_i and b_i = A^v_i M_i^c_i, c_i = c w_i. For dispute
 *  resolution. SC_E_VERIFY if G_i's response is wrong. */
SC_API SC_MUST_USE sc_status
sc_dec_response_check(const sc_group *grp, const mpz_t Ki, const mpz_t A,
                      const mpz_t M_i, const mpz_t c, const mpz_t w_i,
                      const mpz_t v_i, const mpz_t a_i, const mpz_t b_i);

/** Verification 10 for one option: 10.1 M = B T^-1, 10.2 a = g^v K^c,
 *  10.3 b = A^v M^c; 10.A v in Z_q (and c in Z_q); 10.B c = H_q(H_E;
 *  0x31, ind_c, ind_o, A, B, a, b, M); 10.C T = K^t. A, B, T must be in
 *  Z_p^r (checked here when check_members is non-zero; B, A are usually
 *  recomputed by Verification 9). */
SC_API SC_MUST_USE sc_status sc_dec_proof_verify(
    const sc_elgamal_key *pk, const uint8_t he[32], uint32_t ind_c,
    uint32_t ind_o, const sc_ciphertext *AB, const mpz_t T, uint64_t t,
    const mpz_t c, const mpz_t v, int check_members);

/* ------------------------------------------------------------------------
 * Joint decryption of contest data (eq 96-103, Verification 12)
 *
 * Same protocol as above with A = C_0, z-hat_i and the K-hat key:
 * m_i = sc_partial_decrypt(C_0, z-hat_i) (eq 96), (u_i, a_i, b_i) =
 * sc_dec_commit(C_0) (eq 98), d_i = sc_data_dec_commit_hash (eq 99),
 * beta = sc_dec_combine_M (eq 97), (a, b) = sc_dec_accumulate (eq 100),
 * c = sc_data_dec_challenge (eq 101), v_i = sc_dec_response with z-hat_i
 * (eq 102), v = sc_dec_combine_v (eq 103). D = sc_contest_data_decrypt_beta
 * (elgamal.h, eq 104-106).
 * ---------------------------------------------------------------------- */

/** eq 99: d_i = H(H_I; 0x32, ind_c, i, C_0, C_1, C_2, a_i, b_i, m_i, U)
 *  (key H_I: AMBIGUITIES 3). */
SC_API void sc_data_dec_commit_hash(const sc_group *grp, const uint8_t hi[32],
                                    uint32_t ind_c, uint32_t i,
                                    const sc_contest_data_ct *ct,
                                    const mpz_t a_i, const mpz_t b_i,
                                    const mpz_t m_i, size_t nu,
                                    const uint32_t *U, uint8_t d_i[32]);
/** Check a revealed (a_i, b_i) against d_i (eq 99); a_i, b_i, m_i in
 *  Z_p^r. */
SC_API SC_MUST_USE sc_status sc_data_dec_commit_check(
    const sc_group *grp, const uint8_t hi[32], uint32_t ind_c, uint32_t i,
    const sc_contest_data_ct *ct, const mpz_t a_i, const mpz_t b_i,
    const mpz_t m_i, size_t nu, const uint32_t *U, const uint8_t d_i[32]);
/** eq 101: c = H_q(H_I; 0x33, ind_c, C_0, C_1, C_2, a, b, beta). */
SC_API void sc_data_dec_challenge(const sc_group *grp, const uint8_t hi[32],
                                  uint32_t ind_c, const sc_contest_data_ct *ct,
                                  const mpz_t a, const mpz_t b,
                                  const mpz_t beta, mpz_t c);
/** Verification 12.1-12.B: 12.1 a = g^v K-hat^c, 12.2 b = C_0^v beta^c;
 *  12.A v in Z_q (and c in Z_q); 12.B c = H_q(H_I; 0x33, ...). C_0 and
 *  beta must be in Z_p^r (checked). 12.3-12.C (the keys and D) are
 *  sc_contest_data_decrypt_beta. */
SC_API SC_MUST_USE sc_status
sc_data_dec_proof_verify(const sc_elgamal_key *khat, const uint8_t hi[32],
                         uint32_t ind_c, const sc_contest_data_ct *ct,
                         const mpz_t beta, const mpz_t c, const mpz_t v);

#endif
