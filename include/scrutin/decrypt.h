/* Scrutin: joint verifiable decryption by the guardians (spec §3.6).
 *
 * What is decrypted (an sc_decrypt_job, loaded from the record):
 *  - every option of the encrypted tally (A, B) (eq 79-80), with K: partial
 *    decryptions M_i = A^z_i (eq 84), Lagrange combination (eq 85-86),
 *    T = B / M (eq 82), t by discrete log, and the joint Chaum-Pedersen
 *    proof (c, v) (eq 87-93) -> tally.json;
 *  - every challenged ballot's ballot nonce (§3.6.7), with K-hat: check the
 *    proof of C_xiB (eq 38), m_i = C_xiB,0^z-hat_i (eq 107), beta_B =
 *    prod m_i^w_i (eq 108), h (eq 35), xi_B = C_1 xor k_1 (eq 36); then
 *    the derived nonces xi_i,j (eq 33) and the selections by eq 109 ->
 *    challenged.jsonl (xi_B itself is never published).
 *
 * Protocol for the present set U (ascending, |U| >= k), each guardian on
 * its own machine, through public files (docs/CEREMONY.md):
 *  round a  sc_decrypt_round_a: G_i publishes M_i and d_i (eq 88) for each
 *           tally option and m_i for each challenged ballot; keeps u_i in
 *           an encrypted state (sc_decrypt_state_save).
 *  round b  sc_decrypt_round_b: after all round-a messages, G_i records
 *           every d_j in its state (once: a second, different set is
 *           refused) and reveals (a_i, b_i).
 *  round c  sc_decrypt_round_c: after all round-b messages, G_i checks
 *           each (a_j, b_j) against the d_j of its state (eq 88), computes
 *           M, a, b (eq 86, 89), c (eq 90) itself and answers v_i (eq 92).
 *  combine  sc_decrypt_combine (anyone): checks each v_i (note 3.7, eq
 *           94-95; a bad one names the guardian), v (eq 93), T, t, and
 *           Verification 10 on the result; the ballot nonces; then
 *           sc_decrypt_write_* produce tally.json and challenged.jsonl.
 * sc_decrypt_all drives the same functions for all present guardians in
 * one process (demos, tests).
 *
 * Return codes as in ceremony.h: SC_E_VERIFY with *culprit = the guardian
 * whose message is wrong (0 if it cannot be told). */
#ifndef SCRUTIN_DECRYPT_H
#define SCRUTIN_DECRYPT_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/ceremony.h"
#include "scrutin/elgamal.h"
#include "scrutin/group.h"
#include "scrutin/proof.h"
#include "scrutin/rng.h"
#include "scrutin/status.h"

/* ------------------------------------------------------------------------
 * The job
 * ---------------------------------------------------------------------- */

/** What an item decrypts (docs/RECORD.md "Reading write-ins"). */
enum {
    SC_DEC_TALLY = 0, /* an option of encrypted_tally.json: K, eq 82-93 */
    SC_DEC_COUNT = 1, /* a cast ballot's write-in count field E_w (§3.3.9):
                       * K, eq 82-93 with (A, B) = E_w */
    SC_DEC_DATA = 2   /* a cast ballot's contest data (C_0, C_1, C_2): K-hat,
                       * eq 96-106 (A = C_0) */
};

/** A cast ballot named by COUNT and DATA items. */
typedef struct sc_decrypt_cast {
    char *id;         /* ballot label, owned */
    uint8_t id_b[32]; /* selection encryption identifier */
    uint8_t h_i[32];  /* eq 32 */
} sc_decrypt_cast;

/** One item. Inputs: kind, ind_c, ind_o, labels, AB (DATA: alpha = C_0,
 *  beta = 1, and data), ballot (COUNT, DATA: index into job->cast).
 *  Outputs (after sc_decrypt_combine): t, T, c, v; DATA: T = beta (eq 97)
 *  and D (eq 106, data.c1_len bytes). */
typedef struct sc_decrypt_item {
    uint32_t ind_c, ind_o;
    char *contest_label, *option_label; /* owned, may be NULL */
    sc_ciphertext AB;
    uint64_t t;
    mpz_t T, c, v;
    int kind;
    size_t ballot;
    sc_contest_data_ct data; /* DATA only (initialised for DATA only) */
    uint8_t *D;              /* DATA output, owned */
} sc_decrypt_item;

/** One contest of a challenged ballot: the fields' ciphertexts. Outputs:
 *  the derived nonces xi (eq 33) and selections sigma. */
typedef struct sc_challenged_contest {
    uint32_t ind_c;
    size_t n_fields;
    sc_ciphertext *fields; /* n_fields */
    mpz_t *xi;             /* n_fields, output */
    uint64_t *sigma;       /* n_fields, output */
    /* Contest data (record format 2, eq 67-69), if the ballot has it;
     * outputs: its nonce xi (eq 64) and plaintext D (c1_len bytes). */
    int has_data;
    sc_contest_data_ct data;
    mpz_t data_xi;
    uint8_t *D;
} sc_challenged_contest;

typedef struct sc_challenged_ballot {
    char *id;          /* ballot label, owned */
    uint8_t id_b[32];  /* selection encryption identifier */
    uint8_t h_i[32];   /* eq 32, recomputed from H_E and id_B */
    sc_nonce_ct nonce; /* C_xiB */
    size_t n_contests;
    sc_challenged_contest *contests;
    int opened; /* output: 1 after a successful combine */
} sc_challenged_ballot;

typedef struct sc_decrypt_job {
    const sc_group *grp; /* borrowed */
    uint32_t n, k;
    uint8_t h_e[32];
    uint8_t h_g[32];          /* eq 27, recomputed from the records */
    sc_elgamal_key *K, *Khat; /* owned */
    mpz_t *Kjm, *Khjm;        /* n*k commitments, row-major (note 3.7) */
    uint64_t cast_ballots;    /* from encrypted_tally.json */
    uint64_t max_tally;       /* discrete-log bound (0: chosen from
                               * cast_ballots) */
    size_t n_items;
    sc_decrypt_item *items;
    size_t n_ballots;
    sc_challenged_ballot *ballots;
    size_t n_cast; /* cast ballots named by COUNT / DATA items */
    sc_decrypt_cast *cast;
    int write_ins;      /* 1: the write-in session (DATA items only) */
    uint8_t digest[32]; /* binds messages and states to this job */
} sc_decrypt_job;

/** Load from a record directory: hashes_ext.json (H_E),
 *  joint_election_public_key.json, guardians/guardian_<i>.json (i = 1..,
 *  n and k from them; Verification 2 and 3 are run), encrypted_tally.json
 *  and the challenged ballots of ballots/device_<d>.jsonl. Checks that
 *  H_E matches eq 30 when hashes.json gives H_B. *out = NULL on failure. */
SC_API SC_MUST_USE sc_status sc_decrypt_job_load(sc_decrypt_job **out,
                                                 const sc_group *grp,
                                                 const char *record_dir);
SC_API void sc_decrypt_job_free(sc_decrypt_job *job);

/** Reading write-ins (docs/RECORD.md). sc_decrypt_job_load adds, for
 *  every contest whose manifest says "read_write_ins", a COUNT item per
 *  cast ballot: its write-in count field, decrypted with the tally and
 *  published in write_in_counts.jsonl. This second job, run after that
 *  decryption, holds one DATA item per (cast ballot, such contest) whose
 *  published count w is not 0, after checking each count's proof (eq
 *  87-93 against the ballot's E_w) and that every cast ballot has its
 *  count: the guardians open nothing else. Its result is write_ins.jsonl
 *  (sc_decrypt_write_record). SC_E_INVALID if the manifest reads no
 *  write-ins or the counts are missing, SC_E_VERIFY if a count's proof
 *  fails. */
SC_API SC_MUST_USE sc_status sc_decrypt_job_load_write_ins(
    sc_decrypt_job **out, const sc_group *grp, const char *record_dir);

/* ------------------------------------------------------------------------
 * Messages (public) and the per-guardian state (SECRET)
 * ---------------------------------------------------------------------- */

typedef struct sc_dec_msg_a {
    uint32_t i;
    uint8_t digest[32]; /* job digest */
    size_t nu;
    uint32_t *U; /* the present set, ascending */
    size_t n_items, n_ballots;
    mpz_t *M;         /* n_items: M_i (eq 84) */
    uint8_t (*d)[32]; /* n_items: d_i (eq 88) */
    mpz_t *m;         /* n_ballots: m_i (eq 107) */
} sc_dec_msg_a;

typedef struct sc_dec_msg_b {
    uint32_t i;
    uint8_t digest[32];
    size_t n_items;
    mpz_t *a, *b; /* eq 87 */
} sc_dec_msg_b;

typedef struct sc_dec_msg_c {
    uint32_t i;
    uint8_t digest[32];
    size_t n_items;
    mpz_t *v; /* eq 92 */
} sc_dec_msg_c;

SC_API void sc_dec_msg_a_clear(sc_dec_msg_a *m);
SC_API void sc_dec_msg_b_clear(sc_dec_msg_b *m);
SC_API void sc_dec_msg_c_clear(sc_dec_msg_c *m);

/** What guardian i keeps between rounds: u_i per item (SECRET) and, from
 *  round b on, every d_j it saw. sodium_malloc'd; saved encrypted. */
typedef struct sc_dec_state {
    uint32_t i;
    int phase; /* 1 after round a, 2 after round b, 3 after round c */
    int kdf;   /* sc_kdf_level of the file it was loaded from */
    uint8_t digest[32];
    size_t nu;
    uint32_t *U;
    size_t n_items;
    mpz_t *u;         /* n_items: u_i, SECRET; phase 3: the v_i */
    uint8_t (*d)[32]; /* nu * n_items (row per guardian), phase >= 2 */
} sc_dec_state;

SC_API void sc_dec_state_free(sc_dec_state *st);
/** Encrypted like a guardian secret file (same passphrase, mode 0600). */
SC_API SC_MUST_USE sc_status sc_dec_state_save(const sc_dec_state *st,
                                               const char *path,
                                               const char *pass,
                                               size_t pass_len,
                                               sc_kdf_level level);
SC_API SC_MUST_USE sc_status sc_dec_state_load(sc_dec_state **out,
                                               const char *path,
                                               const char *pass,
                                               size_t pass_len);

/* ------------------------------------------------------------------------
 * Rounds
 * ---------------------------------------------------------------------- */

/** Round a for guardian s->i (phase SHARES, same election and the same
 *  guardian keys as the ceremony: s->h_e == job->h_e, s->h_g == job->h_g)
 *  with present set U (ascending, nu >= k, containing s->i). Checks each
 * challenged ballot's nonce proof (eq 38) before using z-hat_i. out is filled
 * (caller clears), *st allocated. */
SC_API SC_MUST_USE sc_status sc_decrypt_round_a(const sc_decrypt_job *job,
                                                const sc_guardian_secret *s,
                                                size_t nu, const uint32_t *U,
                                                sc_rng *rng, sc_dec_state **st,
                                                sc_dec_msg_a *out);
/** Round b: msgs[m] is the round-a message of U[m] (all nu of them, own
 *  included). Records the d_j in st (phase 1 -> 2; at phase >= 2 the same
 *  d_j are accepted again, different ones are SC_E_VERIFY). Checks the
 *  other messages' M_j, m_j are in Z_p^r. Fills out with (a_i, b_i). */
SC_API SC_MUST_USE sc_status sc_decrypt_round_b(const sc_decrypt_job *job,
                                                sc_dec_state *st,
                                                const sc_dec_msg_a *msgs,
                                                sc_dec_msg_b *out,
                                                uint32_t *culprit);
/** Round c: msgs_a as above (for M_j), msgs_b[m] from U[m]. Checks every
 *  (a_j, b_j) against the d_j recorded in st (eq 88), computes c (eq 90)
 *  and v_i (eq 91-92). st moves to phase 3 and keeps v_i instead of u_i
 *  (so a state left behind does not give z_i); run again, it gives the
 *  same v_i. */
SC_API SC_MUST_USE sc_status sc_decrypt_round_c(
    const sc_decrypt_job *job, const sc_guardian_secret *s, sc_dec_state *st,
    const sc_dec_msg_a *msgs_a, const sc_dec_msg_b *msgs_b, sc_dec_msg_c *out,
    uint32_t *culprit);
/** Combine (public data only): checks commitments (eq 88), each v_i (note
 *  3.7), forms v (eq 93), T (eq 82), t by discrete log and checks the
 *  proof with Verification 10; opens each challenged ballot (eq 108, 35,
 *  36, 33, 109) and checks that the derived nonces re-encrypt to the
 *  published alphas (g^xi = alpha); if they do not and nu > k, each
 *  guardian is left out in turn to name the one whose m_i is wrong
 *  (*culprit; 0 when it cannot be told). Fills the outputs of job. */
SC_API SC_MUST_USE sc_status sc_decrypt_combine(sc_decrypt_job *job, size_t nu,
                                                const sc_dec_msg_a *msgs_a,
                                                const sc_dec_msg_b *msgs_b,
                                                const sc_dec_msg_c *msgs_c,
                                                uint32_t *culprit);

/* ------------------------------------------------------------------------
 * Files
 * ---------------------------------------------------------------------- */

SC_API SC_MUST_USE sc_status sc_dec_msg_a_write(const sc_group *grp,
                                                const sc_dec_msg_a *m,
                                                const char *path);
/** The round readers check the form and the range 0 < x < p of every
 *  element; membership in Z_p^r is tested by sc_decrypt_round_b,
 *  sc_decrypt_round_c and sc_decrypt_combine, in one batch per message
 *  (they name the guardian), so read messages go to those before use. */
SC_API SC_MUST_USE sc_status sc_dec_msg_a_read(const sc_group *grp,
                                               sc_dec_msg_a *m,
                                               const char *path);
SC_API SC_MUST_USE sc_status sc_dec_msg_b_write(const sc_group *grp,
                                                const sc_dec_msg_b *m,
                                                const char *path);
SC_API SC_MUST_USE sc_status sc_dec_msg_b_read(const sc_group *grp,
                                               sc_dec_msg_b *m,
                                               const char *path);
SC_API SC_MUST_USE sc_status sc_dec_msg_c_write(const sc_group *grp,
                                                const sc_dec_msg_c *m,
                                                const char *path);
SC_API SC_MUST_USE sc_status sc_dec_msg_c_read(const sc_group *grp,
                                               sc_dec_msg_c *m,
                                               const char *path);

/** Write tally.json and challenged.jsonl (docs/RECORD.md) into record_dir
 *  from a combined job, and write_in_counts.jsonl when it has COUNT items;
 *  the write-in job writes write_ins.jsonl only. U = guardians_present. */
SC_API SC_MUST_USE sc_status sc_decrypt_write_record(const sc_decrypt_job *job,
                                                     size_t nu,
                                                     const uint32_t *U,
                                                     const char *record_dir);

/* ------------------------------------------------------------------------
 * All in one process (demos, tests)
 * ---------------------------------------------------------------------- */

/** Load the job from record_dir, open the nu secret files
 *  secret_paths[m] (guardian U[m]; U ascending) with passes[m], run
 *  rounds a, b, c and combine through the functions above, and write
 *  tally.json and challenged.jsonl. *out_job (may be NULL) receives the
 *  combined job (caller frees). */
SC_API SC_MUST_USE sc_status sc_decrypt_all(
    const sc_group *grp, const char *record_dir, size_t nu, const uint32_t *U,
    const char *const *secret_paths, const char *const *passes, sc_rng *rng,
    sc_decrypt_job **out_job, uint32_t *culprit);
/** The same for the write-in job (sc_decrypt_job_load_write_ins). */
SC_API SC_MUST_USE sc_status sc_decrypt_all_write_ins(
    const sc_group *grp, const char *record_dir, size_t nu, const uint32_t *U,
    const char *const *secret_paths, const char *const *passes, sc_rng *rng,
    sc_decrypt_job **out_job, uint32_t *culprit);

#endif
