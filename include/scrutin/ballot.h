/* Scrutin: plaintext ballots and ballot encryption (spec §3.3-3.4).
 *
 * A device encrypts a ballot in two steps:
 *  1. sc_ballot_encrypt (any thread, ballots in parallel): draws id_B and
 *     the ballot nonce xi_B, computes H_I (eq 32), the selection nonces
 *     xi_i,j (eq 33), the selection encryptions (eq 31) with their range
 *     proofs (eq 57-61), each contest's limit proof (eq 62), the
 *     encryption of xi_B under K-hat (eq 34-38) and the contest hashes chi
 *     (eq 70). xi_B and every xi_i,j are wiped before it returns: only the
 *     guardians can open a ballot afterwards (§3.6.7).
 *  2. sc_device_chain (in device order, one thread per device): the
 *     chaining field B_C and the confirmation code H_C (eq 71, 73-76).
 *     It is one hash, so encryption parallelises freely while the chain
 *     keeps its order. sc_device_close gives eq 77-78.
 *
 * Overvotes (§3.3.5): a contest whose selections add up to more than its
 * limit L is encrypted as all zeros. Where the manifest asks for contest
 * data (§3.3.10, eq 63-69), the overvote, undervote and null-vote flags,
 * the overvoted selections and the write-in text are encrypted under
 * K-hat (scrutin/contest_data.h) and covered by the contest hash (eq
 * 70); nothing about them is published in the clear. Undervotes (fewer
 * selections, or the contest missing from the plaintext) are ordinary
 * ballots. */
#ifndef SCRUTIN_BALLOT_H
#define SCRUTIN_BALLOT_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/json.h"
#include "scrutin/manifest.h"
#include "scrutin/proof.h"
#include "scrutin/rng.h"
#include "scrutin/status.h"

/** Largest effective limit R or L this implementation makes range proofs
 *  for (a proof has R+1 parts). */
#define SC_BALLOT_MAX_RANGE 1000u

/* ------------------------------------------------------------------------
 * Election context of a device
 * ---------------------------------------------------------------------- */

typedef struct sc_election {
    const sc_group *grp;         /* borrowed */
    const sc_manifest *manifest; /* borrowed */
    uint8_t h_e[32];             /* eq 30 */
    const sc_elgamal_key *K;     /* joint vote key, borrowed */
    const sc_elgamal_key *Khat;  /* ballot data key, borrowed */
} sc_election;

/* ------------------------------------------------------------------------
 * Plaintext ballots (docs/RECORD.md "Plaintext ballots")
 * ---------------------------------------------------------------------- */

typedef struct sc_plain_ballot {
    char *id;        /* ballot label */
    uint32_t style;  /* 1-based */
    char *device;    /* "device" field, NULL if absent */
    int challenge;   /* "challenge": true (Scrutin extension) */
    uint64_t weight; /* "weight" (Scrutin extension), default 1 */
    /* selections[c-1] = field values of contest c (n_options entries), or
     * NULL when absent (undervote). SECRET: wiped by the free. */
    uint32_t **selections;
    size_t n_contests; /* = manifest contests */
    uint32_t *values;  /* the storage selections[] point into */
    size_t n_values;
    /* write_ins[k] = text written into the option whose value is
     * values[k] (a write-in option of the manifest), or NULL. SECRET:
     * wiped by the free. NULL when no text was given at all. */
    char **write_ins;
} sc_plain_ballot;

/** Write-in texts of contest ind_c (n_options entries, parallel to
 *  p->selections[ind_c - 1]), or NULL if the ballot has none. */
SC_API const char *const *sc_plain_ballot_write_ins(const sc_plain_ballot *p,
                                                    const sc_manifest *m,
                                                    uint32_t ind_c);

/** Parse one plaintext ballot (one JSON object) against the manifest.
 *  Errors go to ctx ("FILE: field contest_fields_plaintexts.3: contest 3
 *  is not on ballot style 2"): malformed JSON, unknown style, a contest
 *  not on the style or not in the manifest, wrong number of field values,
 *  a value above its option's limit R; "write_ins" ({"<ind_o>": "text"},
 *  format 2) naming an option that is not a write-in option of the
 *  manifest, whose value is 0, or whose text is empty or does not fit
 *  the contest data (sc_contest_data_encode). A contest whose values
 *  exceed L is accepted (an overvote). */
SC_API SC_MUST_USE sc_status sc_plain_ballot_parse(sc_jctx *ctx,
                                                   const sc_manifest *m,
                                                   const char *text, size_t len,
                                                   sc_plain_ballot **out);
/** Same from a parsed JSON object. */
SC_API SC_MUST_USE sc_status sc_plain_ballot_from_json(sc_jctx *ctx,
                                                       const sc_manifest *m,
                                                       const sc_json *obj,
                                                       sc_plain_ballot **out);
SC_API void sc_plain_ballot_free(sc_plain_ballot *b);

/* ------------------------------------------------------------------------
 * Encrypted ballots (docs/RECORD.md "ballots/device_<d>.jsonl")
 * ---------------------------------------------------------------------- */

typedef enum sc_ballot_state {
    SC_BALLOT_UNDECIDED = 0,
    SC_BALLOT_CAST = 1,
    SC_BALLOT_CHALLENGED = 2
} sc_ballot_state;

typedef struct sc_enc_contest {
    uint32_t ind_c;
    size_t n;                /* options */
    sc_ciphertext *fields;   /* n */
    sc_range_proof *proofs;  /* n, proofs[j].R = option limit */
    sc_range_proof limit;    /* R = contest limit */
    uint8_t chi[32];         /* eq 70 */
    size_t n_rel;            /* supplemental fields (n - manifest n_real) */
    sc_range_proof *rel;     /* their relation proofs (supplemental.c) */
    int has_data;            /* contest data present (manifest b_L > 0) */
    sc_contest_data_ct data; /* C_0, C_1, C_2 (eq 67-69) if has_data */
} sc_enc_contest;

/** Length of an encryption time "YYYY-MM-DDTHH:MM:SSZ". */
#define SC_TIME_LEN 20

/** 1 if s is an encryption time: "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339 in UTC
 *  with seconds, no fraction), a real calendar date (1970..9999, leap
 *  years), hours 00-23, minutes and seconds 00-59. */
SC_API int sc_time_ok(const char *s);

typedef struct sc_enc_ballot {
    char *id;
    sc_ballot_state state;
    uint32_t style;
    uint32_t device;   /* device index d */
    uint64_t sequence; /* 1-based position on the device */
    uint64_t weight;   /* >= 1 */
    uint8_t id_b[32];
    uint8_t h_i[32];
    size_t n_contests;
    sc_enc_contest *contests; /* the style's contests, manifest order */
    sc_nonce_ct nonce;        /* C_xiB (eq 37-38) */
    uint8_t bc[SC_BC_BYTES];  /* chaining field */
    uint8_t h_c[32];          /* confirmation code (eq 71) */
    /* §3.7 "the date and time of the ballot encryption", where the device
     * supplies one: "YYYY-MM-DDTHH:MM:SSZ" (UTC), "" if none. Published,
     * not hashed (eq 71 lists H_C's inputs; docs/RECORD.md). */
    char encrypted_at[SC_TIME_LEN + 1];
} sc_enc_ballot;

/** Allocate an empty ballot (free with sc_enc_ballot_free). */
SC_API SC_MUST_USE sc_status sc_enc_ballot_new(sc_enc_ballot **out);
SC_API void sc_enc_ballot_free(sc_enc_ballot *b);
/** Allocate b->contests (n) for the style's contests of m, each with its
 *  fields and proofs initialised for the effective limits. */
SC_API SC_MUST_USE sc_status sc_enc_ballot_alloc(sc_enc_ballot *b,
                                                 const sc_manifest *m,
                                                 uint32_t style);

/** Step 1: encrypt a plaintext ballot (system randomness if rng is NULL;
 *  the rng must not be shared between threads). out is a fresh ballot
 *  (sc_enc_ballot_new); its state is taken from p->challenge (Cast
 *  otherwise; sc_ballot_set_state may change it), weight from p->weight.
 *  SC_E_RANGE if a limit exceeds SC_BALLOT_MAX_RANGE. */
SC_API SC_MUST_USE sc_status sc_ballot_encrypt(const sc_election *e,
                                               const sc_plain_ballot *p,
                                               sc_rng *rng, sc_enc_ballot *out);
/** The same with given id_B and ballot nonce xi_B (SECRET): for
 *  known-answer tests and for re-deriving a ballot. */
SC_API SC_MUST_USE sc_status sc_ballot_encrypt_with(
    const sc_election *e, const sc_plain_ballot *p, const uint8_t id_b[32],
    const uint8_t xi_b[32], sc_rng *rng, sc_enc_ballot *out);

/* ------------------------------------------------------------------------
 * Supplemental verifiable fields (§3.3.9, src/lib/election/supplemental.c)
 * ---------------------------------------------------------------------- */

/** R' of the relation proof of a supplemental field of this kind. */
SC_API uint32_t sc_supp_relation_range(const sc_manifest_contest *mc, int kind);
/** Values of the supplemental fields: out[n_real..n_options) from the
 *  encrypted selections v[0..n_real) (zero if overvoted) and `over`.
 *  SECRET in and out. */
SC_API void sc_supp_values(const sc_manifest_contest *mc, const uint32_t *v,
                           int over, uint32_t *out);
/** The relation proofs rel[0..n_options - n_real) (docs/RECORD.md) from
 *  the contest's fields, their nonces xi and values v (SECRET). */
SC_API SC_MUST_USE sc_status sc_supp_prove(
    const sc_elgamal_key *K, const uint8_t hi[32],
    const sc_manifest_contest *mc, uint32_t ind_c, const sc_ciphertext *fields,
    const mpz_t *xi, const uint32_t *v, sc_rng *rng, sc_range_proof *rel);

/* ------------------------------------------------------------------------
 * Devices and chaining (eq 72-78)
 * ---------------------------------------------------------------------- */

typedef struct sc_device {
    uint32_t index;           /* d, 1-based */
    char *s_device;           /* S_device (owned) */
    uint32_t mode;            /* SC_CHAIN_NONE or SC_CHAIN_SIMPLE */
    uint8_t h_di[32];         /* eq 72 */
    uint8_t bc0[SC_BC_BYTES]; /* eq 73 / 75 */
    uint8_t prev[32];         /* H_{j-1} (H_0 of eq 74 at the start) */
    uint64_t count;           /* ballots chained so far */
    /* the time the device stamps on the ballots it chains (sc_time_ok
     * form; "" = none), set by the caller before encrypting (§3.7) */
    char time[SC_TIME_LEN + 1];
} sc_device;

SC_API SC_MUST_USE sc_status sc_device_init(sc_device *dev,
                                            const uint8_t h_e[32],
                                            uint32_t index,
                                            const char *s_device,
                                            uint32_t mode);
SC_API void sc_device_clear(sc_device *dev);
/** Continue a chain after `count` ballots whose last code is last_h_c. */
SC_API void sc_device_resume(sc_device *dev, uint64_t count,
                             const uint8_t last_h_c[32]);
/** Step 2: set b->device, b->sequence, b->bc and b->h_c (eq 71, 73, 76)
 *  and advance the chain. */
SC_API void sc_device_chain(sc_device *dev, const uint8_t h_e[32],
                            sc_enc_ballot *b);
/** eq 77-78 (simple chaining): closing field B_C and hash H. */
SC_API void sc_device_close(const sc_device *dev, const uint8_t h_e[32],
                            uint8_t bc[SC_BC_BYTES], uint8_t h[32]);

/** Recompute the confirmation code of b from its contest hashes and b->bc
 *  (eq 71). */
SC_API void sc_ballot_confirmation_code(const sc_enc_ballot *b,
                                        uint8_t out[32]);

/* ------------------------------------------------------------------------
 * A device's batch, on every core
 * ---------------------------------------------------------------------- */

/** Encrypt n plaintext ballots on device dev, in order, with `threads`
 *  worker threads (<= 0: every online core): step 1 for all ballots in
 *  parallel, then step 2 in order, then (if lines is not NULL) each
 *  ballot's record line (sc_ballot_to_json, compact) in parallel.
 *  out[i] receives ballot i (caller frees), lines[i] its line (malloc'd).
 *  seed NULL: system randomness; otherwise each ballot gets its own
 *  deterministic generator seeded from H(seed; device, sequence) (demos
 *  and tests: same seed, same record, whatever the thread schedule). On
 *  failure *bad = index of the first failing ballot, dev is unchanged,
 *  nothing is left in out/lines. */
SC_API SC_MUST_USE sc_status sc_encrypt_batch(
    const sc_election *e, sc_device *dev, sc_plain_ballot *const *in, size_t n,
    int threads, const uint8_t *seed, sc_enc_ballot **out, char **lines,
    size_t *bad);
/** Number of online cores (at least 1). */
SC_API int sc_cpu_count(void);

#endif
