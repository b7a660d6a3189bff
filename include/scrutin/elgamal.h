/* Scrutin: ElGamal encryption in the forms ElectionGuard 2.1 uses.
 *
 *  - DPP vote encryption (eq 31): Enc(sigma, xi) = (g^xi, K^(sigma+xi)),
 *    homomorphic aggregation (eq 79-80), decryption with the nonce (eq 109)
 *    or with a secret key (beta / alpha^s = K^sigma), small discrete log.
 *  - Hashed ElGamal with a Schnorr proof of the nonce ("signed" hashed
 *    ElGamal) for guardian key shares (eq 15-23), for the ballot nonce
 *    (eq 34-38, decryption §3.6.7 eq 107-108) and for contest data
 *    (eq 63-69, decryption eq 104-106 / 110-111).
 *
 * Conventions for the whole header:
 *  - Every mpz_t argument must be initialised by the caller; outputs are
 *    overwritten. Elements are in [0, p), scalars in [0, q).
 *  - SECRET marks an input that must not leak: it is only used through
 *    the constant-time _secret exponentiations and the constant-time scalar
 *    helpers (no branch, index or mpz_cmp depends on it). Callers wipe their
 *    own secrets with sc_mpz_wipe; functions wipe their temporaries.
 *  - Return codes: SC_OK; SC_E_VERIFY when a proof / check on the data
 *    fails (the data is bad); SC_E_INVALID(_*) for malformed input (out of
 *    range, not in Z_p^r); SC_E_MISUSE for API misuse (NULL, wrong sizes);
 *    SC_E_NOMEM; SC_E_RANGE when a small discrete log is not found.
 *  - Functions are thread-safe as long as outputs are not shared: keys and
 *    tables are read-only after creation. */
#ifndef SCRUTIN_ELGAMAL_H
#define SCRUTIN_ELGAMAL_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/arith.h"
#include "scrutin/eghash.h"
#include "scrutin/group.h"
#include "scrutin/rng.h"
#include "scrutin/status.h"

/* ------------------------------------------------------------------------
 * Public keys
 * ---------------------------------------------------------------------- */

/** A public key (K for votes, K-hat for ballot data, kappa_i for guardian
 *  communication) with its fixed-base table. The same type serves all
 *  three. Read-only after sc_elgamal_key_new; `grp` is borrowed (must
 *  outlive the key), `K` and `K_fb` are owned. */
typedef struct sc_elgamal_key {
    const sc_group *grp;
    mpz_t K;     /* the public key, in Z_p^r */
    sc_fb *K_fb; /* fixed-base table for K */
} sc_elgamal_key;

/** Make a key context for public key K (copied). K must be in Z_p^r:
 *  SC_E_INVALID_NOT_IN_SUBGROUP otherwise (K = 1 is rejected too, as
 *  SC_E_INVALID_RANGE: it would make every encryption transparent).
 *  *out = NULL on failure. Building the table costs a few hundred
 *  multiplications; create one per key and share it. */
SC_API SC_MUST_USE sc_status sc_elgamal_key_new(sc_elgamal_key **out,
                                                const sc_group *grp,
                                                const mpz_t K);
SC_API void sc_elgamal_key_free(sc_elgamal_key *key);

/* ------------------------------------------------------------------------
 * Ciphertexts (alpha, beta)
 * ---------------------------------------------------------------------- */

typedef struct sc_ciphertext {
    mpz_t alpha, beta;
} sc_ciphertext;

SC_API void sc_ciphertext_init(sc_ciphertext *ct);  /* sets (1, 1) */
SC_API void sc_ciphertext_clear(sc_ciphertext *ct); /* mpz_clear both */
SC_API void sc_ciphertext_set(sc_ciphertext *out, const sc_ciphertext *in);
/** 1 if alpha and beta are both in Z_p^r (two exponentiations; for many
 *  ciphertexts use sc_subgroup_check_batch on the components). */
SC_API int sc_ciphertext_is_member(const sc_group *grp,
                                   const sc_ciphertext *ct);

/** eq 31: out = (g^xi, K^((sigma + xi) mod q)). sigma, xi SECRET, both in
 *  [0, q) (SC_E_INVALID_RANGE otherwise; the range test is on the size of
 *  the value only). Constant time in sigma and xi. */
SC_API SC_MUST_USE sc_status sc_elgamal_encrypt(const sc_elgamal_key *pk,
                                                sc_ciphertext *out,
                                                const mpz_t sigma,
                                                const mpz_t xi);
/** Same with a small plaintext (sigma < q, e.g. 0 or 1). sigma SECRET. */
SC_API SC_MUST_USE sc_status sc_elgamal_encrypt_u64(const sc_elgamal_key *pk,
                                                    sc_ciphertext *out,
                                                    uint64_t sigma,
                                                    const mpz_t xi);
/** Two of sc_elgamal_encrypt_u64 at once (out[0] from sigma[0], xi[0];
 *  out[1] likewise): the same results, one table scan for both alphas and
 *  one for both betas (sc_fb_pow_secret2). SECRET as above. */
SC_API SC_MUST_USE sc_status sc_elgamal_encrypt_u64_2(
    const sc_elgamal_key *pk, sc_ciphertext *out0, sc_ciphertext *out1,
    const uint64_t sigma[2], const mpz_t xi0, const mpz_t xi1);

/** eq 79: out = (prod alpha_i, prod beta_i) over n ciphertexts. n = 0
 *  gives (1, 1) (AMBIGUITIES 12). out may alias cts[0]. Public data. */
SC_API void sc_ciphertext_product(const sc_group *grp, sc_ciphertext *out,
                                  size_t n, const sc_ciphertext *cts);
/** eq 80: out = (prod alpha_i^W_i, prod beta_i^W_i) with small public
 *  weights W_i >= 1 (weights NULL: all 1, i.e. eq 79). SC_E_INVALID_RANGE
 *  if some W_i = 0. */
SC_API SC_MUST_USE sc_status sc_ciphertext_product_weighted(
    const sc_group *grp, sc_ciphertext *out, size_t n, const sc_ciphertext *cts,
    const uint64_t *weights);
/** out = a * b componentwise (one step of eq 79). out may alias a or b. */
SC_API void sc_ciphertext_mul(const sc_group *grp, sc_ciphertext *out,
                              const sc_ciphertext *a, const sc_ciphertext *b);

/** Decryption with the encryption nonce (eq 109): Ksig = beta * K^(-xi).
 *  xi SECRET (in [0, q)). Ksig is as secret as the plaintext. */
SC_API SC_MUST_USE sc_status sc_elgamal_unmask_nonce(const sc_elgamal_key *pk,
                                                     mpz_t Ksig,
                                                     const sc_ciphertext *ct,
                                                     const mpz_t xi);
/** Decryption with a secret key s (K = g^s): Ksig = beta / alpha^s.
 *  s SECRET. alpha must be in Z_p^r (not re-checked; SC_E_INVALID if it is
 *  0 mod p). */
SC_API SC_MUST_USE sc_status sc_elgamal_unmask_secret(const sc_elgamal_key *pk,
                                                      mpz_t Ksig,
                                                      const sc_ciphertext *ct,
                                                      const mpz_t s);
/** Both of the above followed by the small discrete log of Ksig to base
 *  K with `dl` (made by sc_dlog_new(grp, K, max_t)). SC_E_RANGE if the
 *  plaintext is not in [0, max_t]. */
SC_API SC_MUST_USE sc_status sc_elgamal_decrypt_nonce(const sc_elgamal_key *pk,
                                                      const sc_dlog *dl,
                                                      uint64_t *sigma,
                                                      const sc_ciphertext *ct,
                                                      const mpz_t xi);
SC_API SC_MUST_USE sc_status sc_elgamal_decrypt_secret(const sc_elgamal_key *pk,
                                                       const sc_dlog *dl,
                                                       uint64_t *sigma,
                                                       const sc_ciphertext *ct,
                                                       const mpz_t s);

/* ------------------------------------------------------------------------
 * Guardian key-share encryption (eq 15-23)
 * ---------------------------------------------------------------------- */

#define SC_SHARE_CT_BYTES 64 /* C_1 = b(P_i(l),32)^k1 ‖ b(P-hat_i(l),32)^k2 */
/* The shares are encoded b(P, 32) in every parameter set, also the toy
 * ones (AMBIGUITIES 11); a decrypted value >= q is rejected. */

/** E_l(P_i(l), P-hat_i(l)) = (C_0, C_1, C_2 = (c-bar, v-bar)), eq 19-22. */
typedef struct sc_share_ct {
    mpz_t c0;                      /* alpha_i,l = g^xi_i,l  (eq 20) */
    uint8_t c1[SC_SHARE_CT_BYTES]; /* eq 21 */
    mpz_t c, v;                    /* Schnorr proof of xi_i,l (eq 22) */
} sc_share_ct;
SC_API void sc_share_ct_init(sc_share_ct *ct);
SC_API void sc_share_ct_clear(sc_share_ct *ct);

/** Guardian G_i encrypts its shares P = P_i(l), Phat = P-hat_i(l) (SECRET,
 *  in [0, q)) for G_l, whose communication key kappa_l is `kappa_l`
 *  (eq 15-22). Nonce xi_i,l and proof nonce u-bar drawn from rng (NULL:
 *  system CSPRNG). i, l >= 1. */
SC_API SC_MUST_USE sc_status sc_share_encrypt(const sc_elgamal_key *kappa_l,
                                              const uint8_t hp[32], uint32_t i,
                                              uint32_t l, const mpz_t P,
                                              const mpz_t Phat, sc_rng *rng,
                                              sc_share_ct *out);
/** Same with explicit nonces xi (eq 15) and u (eq 22 commitment gamma =
 *  g^u), both SECRET in [0, q): for known-answer tests only. */
SC_API SC_MUST_USE sc_status
sc_share_encrypt_det(const sc_elgamal_key *kappa_l, const uint8_t hp[32],
                     uint32_t i, uint32_t l, const mpz_t P, const mpz_t Phat,
                     const mpz_t xi, const mpz_t u, sc_share_ct *out);
/** Check the Schnorr proof C_2 only (§3.2.2 "Share decryption"): C_0 in
 *  Z_p^r, c, v in Z_q, c = H_q(H_P; 0x12, i, l, g^v C_0^c, C_0, C_1).
 *  SC_E_VERIFY (or SC_E_INVALID_* for out-of-range fields) on failure. */
SC_API SC_MUST_USE sc_status sc_share_verify(const sc_group *grp,
                                             const uint8_t hp[32], uint32_t i,
                                             uint32_t l, const sc_share_ct *ct);
/** G_l decrypts (eq 23) after sc_share_verify: zeta_l SECRET (its
 *  communication secret, kappa_l = g^zeta_l). P and Phat receive the
 *  shares (SECRET; caller wipes). SC_E_VERIFY if the proof fails or a
 *  decrypted value is >= q. Does NOT check eq 28/29 against commitments:
 *  use sc_poly_commit_eval (proof.h) for that. */
SC_API SC_MUST_USE sc_status sc_share_decrypt(const sc_elgamal_key *kappa_l,
                                              const uint8_t hp[32], uint32_t i,
                                              uint32_t l, const mpz_t zeta_l,
                                              const sc_share_ct *ct, mpz_t P,
                                              mpz_t Phat);

/* ------------------------------------------------------------------------
 * Ballot-nonce encryption (eq 34-38) and decryption (§3.6.7)
 * ---------------------------------------------------------------------- */

#define SC_XIB_BYTES 32

typedef struct sc_nonce_ct {
    mpz_t c0;                 /* alpha_B = g^xi-hat_B (eq 37) */
    uint8_t c1[SC_XIB_BYTES]; /* b(xi_B, 32) XOR k_1 (eq 37) */
    mpz_t c, v;               /* C_xiB,2 = (c_B, v_B) (eq 38) */
} sc_nonce_ct;
SC_API void sc_nonce_ct_init(sc_nonce_ct *ct);
SC_API void sc_nonce_ct_clear(sc_nonce_ct *ct);

/** Encrypt the 256-bit ballot nonce xi_B (SECRET) to K-hat (`khat`),
 *  eq 34-38, nonces from rng (NULL: system CSPRNG). */
SC_API SC_MUST_USE sc_status sc_ballot_nonce_encrypt(
    const sc_elgamal_key *khat, const uint8_t hi[32],
    const uint8_t xi_b[SC_XIB_BYTES], sc_rng *rng, sc_nonce_ct *out);
/** Same with explicit xi-hat_B and u_B (SECRET, in [0, q)): KATs only. */
SC_API SC_MUST_USE sc_status sc_ballot_nonce_encrypt_det(
    const sc_elgamal_key *khat, const uint8_t hi[32],
    const uint8_t xi_b[SC_XIB_BYTES], const mpz_t xi_hat, const mpz_t u,
    sc_nonce_ct *out);
/** Check C_xiB,2 (eq 38; AMBIGUITIES 7 supplementary check): C_0 in
 *  Z_p^r, c, v in Z_q, c = H_q(H_I; 0x23, g^v C_0^c, C_0, C_1). */
SC_API SC_MUST_USE sc_status sc_ballot_nonce_verify(const sc_group *grp,
                                                    const uint8_t hi[32],
                                                    const sc_nonce_ct *ct);
/** Recover xi_B given beta_B = C_0^(s-hat), e.g. combined from guardians'
 *  partial decryptions (eq 107-108; beta_B is SECRET-ish: it decrypts).
 *  Verifies the proof first (SC_E_VERIFY). xi_b receives the nonce. */
SC_API SC_MUST_USE sc_status sc_ballot_nonce_decrypt_beta(
    const sc_group *grp, const uint8_t hi[32], const sc_nonce_ct *ct,
    const mpz_t beta_b, uint8_t xi_b[SC_XIB_BYTES]);
/** Recover xi_B with the whole K-hat secret key s-hat (SECRET), for tests
 *  and single-holder setups: beta_B = C_0^s-hat, then as above. */
SC_API SC_MUST_USE sc_status sc_ballot_nonce_decrypt(
    const sc_group *grp, const uint8_t hi[32], const sc_nonce_ct *ct,
    const mpz_t shat, uint8_t xi_b[SC_XIB_BYTES]);

/* ------------------------------------------------------------------------
 * Contest data (optional, eq 63-69; decryption eq 104-106 and 110-111).
 * sc_contest_data_ct is declared in eghash.h (C_0, C_1, C_2 = (c, v)).
 * ---------------------------------------------------------------------- */

SC_API void sc_contest_data_ct_init(sc_contest_data_ct *ct);
SC_API void sc_contest_data_ct_clear(sc_contest_data_ct *ct);

/** Encrypt D (32 * blocks bytes, 1 <= blocks < 2^24) for contest ind_c:
 *  xi = H_q(H_I; 0x25, ind_c, xi_B) (eq 64), (alpha, beta) = (g^xi,
 *  K-hat^xi), keys eq 65-66, C_1 eq 68, Schnorr proof eq 69 with u from
 *  rng (NULL: system). xi_B and D SECRET. out->c1 is malloc'd (owned by
 *  out, freed by sc_contest_data_ct_clear). */
SC_API SC_MUST_USE sc_status sc_contest_data_encrypt(
    const sc_elgamal_key *khat, const uint8_t hi[32], uint32_t ind_c,
    const uint8_t xi_b[SC_XIB_BYTES], const uint8_t *D, size_t blocks,
    sc_rng *rng, sc_contest_data_ct *out);
/** Check C_2 (eq 69, §3.6.6; also a supplementary verifier check,
 *  AMBIGUITIES 7): C_0 in Z_p^r, c, v in Z_q,
 *  c = H_q(H_I; 0x27, ind_c, g^v C_0^c, C_0, C_1). */
SC_API SC_MUST_USE sc_status
sc_contest_data_verify(const sc_group *grp, const uint8_t hi[32],
                       uint32_t ind_c, const sc_contest_data_ct *ct);
/** Decrypt with beta = C_0^(s-hat) (eq 104-106; beta from the joint
 *  decryption eq 97) or beta = K-hat^xi (eq 110). D receives
 *  ct->c1_len bytes. Checks the proof first (SC_E_VERIFY). */
SC_API SC_MUST_USE sc_status sc_contest_data_decrypt_beta(
    const sc_group *grp, const uint8_t hi[32], uint32_t ind_c,
    const sc_contest_data_ct *ct, const mpz_t beta, uint8_t *D);

#endif
