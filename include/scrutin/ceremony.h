/* Scrutin: the ElectionGuard 2.1 key ceremony (spec §3.2), guardian by
 * guardian, and the guardians' secret files.
 *
 * n guardians, quorum k (1 <= k <= n). Each guardian G_i runs on its own
 * machine with its own encrypted secret file; the rounds exchange only
 * public files (docs/CEREMONY.md):
 *
 *  round 1  sc_guardian_round1: G_i draws a_i,j, a-hat_i,j (eq 7), zeta_i
 *           (eq 9); publishes K_i,j, K-hat_i,j (eq 8), kappa_i and the two
 *           compact Schnorr proofs (eq 10-13): sc_guardian_public, the
 *           record form guardians/guardian_<i>.json.
 *  round 2  sc_guardian_round2: G_i checks every round-1 record
 *           (Verification 2) and encrypts P_i(l), P-hat_i(l) for each
 *           l != i under kappa_l (eq 15-22): sc_guardian_shares.
 *  round 3  sc_guardian_round3: G_l checks every share sent to it (the
 *           proof of eq 22, then eq 28-29 against the sender's
 *           commitments); a bad share names its sender and stops the
 *           ceremony. Then z_l, z-hat_l (eq 24), K, K-hat (eq 25-26), H_G
 *           (eq 27) from G_l's own view, H_E (eq 30): sc_guardian_result.
 *           The secret file then keeps only z_l, z-hat_l.
 *  finish   sc_ceremony_finish (anyone): every guardian's H_G must agree;
 *           then the public record parts are written.
 *
 * sc_ceremony_run_all drives the same functions for all n guardians in one
 * process (demos and tests).
 *
 * Conventions are those of elgamal.h: callers initialise mpz_t outputs,
 * SECRET values are handled only by constant-time code and wiped; every
 * function returns sc_status (SC_E_VERIFY: somebody's data is bad, and
 * *culprit, when given, names the guardian at fault; SC_E_AUTH: a secret
 * file cannot be opened with the passphrase or was modified). */
#ifndef SCRUTIN_CEREMONY_H
#define SCRUTIN_CEREMONY_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/elgamal.h"
#include "scrutin/group.h"
#include "scrutin/proof.h"
#include "scrutin/rng.h"
#include "scrutin/status.h"

/* ------------------------------------------------------------------------
 * Election context: what every guardian must agree on before round 1.
 * ---------------------------------------------------------------------- */

typedef struct sc_ceremony_ctx {
    const sc_group *grp; /* borrowed */
    uint32_t n, k;
    uint8_t h_p[32]; /* eq 4, computed from grp, n, k */
    uint8_t h_b[32]; /* eq 5 */
} sc_ceremony_ctx;

/** Fill ctx: H_P = eq 4 from (grp, n, k); H_B = eq 5 over the canonical
 *  manifest bytes. SC_E_INVALID unless 1 <= k <= n < 2^31. */
SC_API SC_MUST_USE sc_status sc_ceremony_ctx_init(sc_ceremony_ctx *ctx,
                                                  const sc_group *grp,
                                                  uint32_t n, uint32_t k,
                                                  const uint8_t *manifest,
                                                  size_t manifest_len);

/* ------------------------------------------------------------------------
 * A guardian's secret state. Allocated with sodium_malloc (guarded, locked
 * pages); the mpz limbs are freed through the wiping GMP allocator of
 * sc_init. Never written anywhere except encrypted (sc_secret_save).
 * ---------------------------------------------------------------------- */

typedef enum sc_guardian_phase {
    SC_PHASE_KEYS = 1,  /* after round 1: a, a-hat, zeta held */
    SC_PHASE_SHARES = 2 /* after round 3: only z, z-hat held */
} sc_guardian_phase;

typedef struct sc_guardian_secret {
    const sc_group *grp; /* borrowed */
    uint32_t i, n, k;
    char group[16];  /* parameter-set name: the file is bound to it */
    uint8_t h_p[32]; /* and to the election (n, k, group) ...        */
    uint8_t h_b[32]; /* ... and the manifest                         */
    char name[64];   /* "Guardian <i>" unless given                  */
    sc_guardian_phase phase;
    int kdf;       /* sc_kdf_level the file was sealed with     */
    mpz_t *a;      /* k coefficients a_i,j (phase KEYS)            */
    mpz_t *ahat;   /* k coefficients a-hat_i,j (phase KEYS)        */
    mpz_t zeta;    /* communication secret (phase KEYS)            */
    mpz_t z, zhat; /* key shares, eq 24 (phase SHARES)             */
    /* Public results remembered after round 3 (phase SHARES): */
    uint8_t h_e[32], h_g[32];
} sc_guardian_secret;

/** Allocate an empty secret for guardian i (all mpz zero). */
SC_API SC_MUST_USE sc_status sc_guardian_secret_new(sc_guardian_secret **out,
                                                    const sc_ceremony_ctx *ctx,
                                                    uint32_t i);
/** Wipe and free (NULL ok). */
SC_API void sc_guardian_secret_free(sc_guardian_secret *s);

/** Cost of the passphrase KDF (argon2id, crypto_pwhash). INTERACTIVE for
 *  tests and demos, MODERATE (the default of the CLI) for real guardians.
 *  The level is recorded in the file. */
typedef enum sc_kdf_level {
    SC_KDF_INTERACTIVE = 0,
    SC_KDF_MODERATE = 1
} sc_kdf_level;

/** Encrypt s under the passphrase (argon2id -> crypto_secretbox, fresh
 *  salt and nonce) and write `path` atomically with mode 0600 (temp file,
 *  fsync, rename). The plaintext lives only in sodium_malloc buffers. */
SC_API SC_MUST_USE sc_status sc_secret_save(const sc_guardian_secret *s,
                                            const char *path, const char *pass,
                                            size_t pass_len,
                                            sc_kdf_level level);
/** Read and decrypt. SC_E_AUTH: wrong passphrase, or the file was
 *  modified or truncated (the MAC fails); SC_E_INVALID_JSON: the envelope
 *  is malformed; SC_E_IO: unreadable. The file must be for grp
 *  (SC_E_INVALID); ctx may be NULL, otherwise the file must belong to the
 *  same election (n, k, H_P, H_B): SC_E_INVALID. */
SC_API SC_MUST_USE sc_status sc_secret_load(sc_guardian_secret **out,
                                            const sc_group *grp,
                                            const sc_ceremony_ctx *ctx,
                                            const char *path, const char *pass,
                                            size_t pass_len);

/* ------------------------------------------------------------------------
 * Round 1: public key record of one guardian (guardians/guardian_<i>.json)
 * ---------------------------------------------------------------------- */

typedef struct sc_guardian_public {
    uint32_t i, k;
    char name[64];
    mpz_t *K;                    /* K_i,0 .. K_i,k-1 (eq 8) */
    mpz_t *Khat;                 /* K-hat_i,0 .. */
    mpz_t kappa;                 /* eq 9 */
    sc_guardian_proof proof;     /* (c_i, v_i,0..k), eq 10-11 */
    sc_guardian_proof proof_hat; /* eq 12-13 */
} sc_guardian_public;

SC_API SC_MUST_USE sc_status sc_guardian_public_init(sc_guardian_public *pub,
                                                     uint32_t k);
SC_API void sc_guardian_public_clear(sc_guardian_public *pub);

/** Round 1 for guardian i: draws the secrets into *out_secret (phase KEYS)
 *  and fills pub (initialised with ctx->k). name may be NULL. */
SC_API SC_MUST_USE sc_status sc_guardian_round1(const sc_ceremony_ctx *ctx,
                                                uint32_t i, const char *name,
                                                sc_rng *rng,
                                                sc_guardian_secret **out_secret,
                                                sc_guardian_public *pub);
/** Verification 2 on one record (both proofs, 2.A-2.C) plus pub->i ==
 *  expected_i and pub->k == ctx->k. */
SC_API SC_MUST_USE sc_status
sc_guardian_public_check(const sc_ceremony_ctx *ctx, uint32_t expected_i,
                         const sc_guardian_public *pub);

/* ------------------------------------------------------------------------
 * Round 2: encrypted shares from one guardian to all the others
 * ---------------------------------------------------------------------- */

typedef struct sc_guardian_shares {
    uint32_t from, n;
    sc_share_ct *ct; /* n entries; ct[l-1] for recipient l; ct[from-1]
                      * unused (left as initialised) */
} sc_guardian_shares;

SC_API SC_MUST_USE sc_status sc_guardian_shares_init(sc_guardian_shares *sh,
                                                     uint32_t from, uint32_t n);
SC_API void sc_guardian_shares_clear(sc_guardian_shares *sh);

/** Round 2 for s->i: check all n round-1 records pubs[0..n-1] (pubs[j-1]
 *  is guardian j's; its own must equal what s holds), then encrypt
 *  P_i(l), P-hat_i(l) for every l != i (eq 15-22). out initialised with
 *  (s->i, n). SC_E_VERIFY with *culprit = j for a bad record of G_j. */
SC_API SC_MUST_USE sc_status sc_guardian_round2(const sc_ceremony_ctx *ctx,
                                                const sc_guardian_secret *s,
                                                const sc_guardian_public *pubs,
                                                sc_rng *rng,
                                                sc_guardian_shares *out,
                                                uint32_t *culprit);

/* ------------------------------------------------------------------------
 * Round 3: share verification, key shares, joint keys, H_G, H_E
 * ---------------------------------------------------------------------- */

typedef struct sc_guardian_result {
    uint32_t i;
    mpz_t K, Khat;   /* eq 25-26 */
    uint8_t h_g[32]; /* eq 27, from this guardian's own view */
    uint8_t h_e[32]; /* eq 30 */
} sc_guardian_result;

SC_API void sc_guardian_result_init(sc_guardian_result *r);
SC_API void sc_guardian_result_clear(sc_guardian_result *r);

/** Round 3 for s->i: pubs as in round 2 (re-checked), shares[j-1] = G_j's
 *  round-2 output (shares[i-1] is ignored). Checks the proof of each
 *  E_i(P_j(i), ...) (eq 22), decrypts (eq 23) and checks eq 28-29; a
 *  failure is SC_E_VERIFY with *culprit = j. On success s moves to phase
 *  SHARES (z_i, z-hat_i by eq 24; the polynomials and zeta are wiped) and
 *  res gets K, K-hat, H_G, H_E (also stored in s). */
SC_API SC_MUST_USE sc_status sc_guardian_round3(
    const sc_ceremony_ctx *ctx, sc_guardian_secret *s,
    const sc_guardian_public *pubs, const sc_guardian_shares *shares,
    sc_guardian_result *res, uint32_t *culprit);

/** Anyone, after round 3: recompute K, K-hat, H_G, H_E from the n public
 *  records (after Verification 2 on each) into `joint`, and check that
 *  every guardian's result (results[j-1] for G_j) agrees with it (eq 27
 *  comparison): SC_E_VERIFY with *culprit = the first guardian whose H_G
 *  (or K, K-hat, H_E) differs. joint->i = 0. */
SC_API SC_MUST_USE sc_status
sc_ceremony_finish(const sc_ceremony_ctx *ctx, const sc_guardian_public *pubs,
                   const sc_guardian_result *results, sc_guardian_result *joint,
                   uint32_t *culprit);

/* ------------------------------------------------------------------------
 * Files. Public files are the JSON forms of docs/RECORD.md and
 * docs/CEREMONY.md, written atomically (temp file + rename).
 * ---------------------------------------------------------------------- */

/** guardians/guardian_<i>.json form. */
SC_API SC_MUST_USE sc_status sc_guardian_public_write(
    const sc_group *grp, const sc_guardian_public *pub, const char *path);
/** Read (pub initialised by the caller with any k; re-initialised to the
 *  file's k). Elements in Z_p^r and scalars in Z_q are enforced; the
 *  proofs are not checked (sc_guardian_public_check). */
SC_API SC_MUST_USE sc_status sc_guardian_public_read(const sc_group *grp,
                                                     sc_guardian_public *pub,
                                                     const char *path);
/** Round-2 file: {"from":i,"shares":[{"to":l,"c0","c1","c","v"}...]}. */
SC_API SC_MUST_USE sc_status sc_guardian_shares_write(
    const sc_group *grp, const sc_guardian_shares *sh, const char *path);
SC_API SC_MUST_USE sc_status sc_guardian_shares_read(const sc_group *grp,
                                                     uint32_t n,
                                                     sc_guardian_shares *sh,
                                                     const char *path);
/** Round-3 file: {"i":l,"joint_election_public_key":K,
 *  "joint_ballot_data_public_key":K-hat,"h_g":..,"h_e":..}. */
SC_API SC_MUST_USE sc_status sc_guardian_result_write(
    const sc_group *grp, const sc_guardian_result *r, const char *path);
SC_API SC_MUST_USE sc_status sc_guardian_result_read(const sc_group *grp,
                                                     sc_guardian_result *r,
                                                     const char *path);

/** Write the key-ceremony parts of the record into record_dir:
 *  guardians/guardian_<i>.json (1..n), joint_election_public_key.json and
 *  hashes_ext.json ({"h_e","h_g"}). */
SC_API SC_MUST_USE sc_status sc_ceremony_write_record(
    const sc_ceremony_ctx *ctx, const sc_guardian_public *pubs,
    const sc_guardian_result *joint, const char *record_dir);

/** Detail of the last file error of this thread, naming the file and the
 *  field ("round1/guardian_2.json: coefficient_commitments[1]: not in the
 *  order-q subgroup"), or "" if none. Static per-thread buffer. */
SC_API const char *sc_ceremony_errdetail(void);

/** Read a passphrase for a guardian command: from `file` (must be a
 *  regular file of mode 0600 or stricter, owned by the caller, holding
 *  the passphrase alone: one trailing newline is dropped, a second line
 *  refused) or, when file is NULL, from the terminal
 *  (/dev/tty) without echo, asking twice when `confirm` is set. Never
 *  from argv or the environment. *out is sodium_malloc'd, NUL-ended; free
 *  with sc_passphrase_free. With `confirm` (a new passphrase) it must
 *  have 12 characters, 5 of them different. The terminal's settings are
 *  restored if a signal interrupts the prompt. SC_E_INVALID: empty, weak,
 *  or the file is readable by others; SC_E_IO: no file and no terminal. */
SC_API SC_MUST_USE sc_status sc_passphrase_read(const char *file,
                                                const char *prompt, int confirm,
                                                char **out, size_t *len);
SC_API void sc_passphrase_free(char *p);

/* ------------------------------------------------------------------------
 * All in one process (demos, tests)
 * ---------------------------------------------------------------------- */

/** Run rounds 1-3 and finish for all n guardians through the functions
 *  above, save each guardian's secret file as
 *  secrets_dir/guardian_<i>.secret (encrypted under pass, mode 0600;
 *  secrets_dir is created 0700 if missing) and write the record parts
 *  (sc_ceremony_write_record) into record_dir (created if missing).
 *  joint (initialised, may be NULL) receives K, K-hat, H_G, H_E. */
SC_API SC_MUST_USE sc_status sc_ceremony_run_all(
    const sc_ceremony_ctx *ctx, const char *secrets_dir, const char *pass,
    size_t pass_len, sc_kdf_level level, sc_rng *rng, const char *record_dir,
    sc_guardian_result *joint);

#endif
