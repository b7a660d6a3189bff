/* Internals of the 2.1 verifier (scrutin/verify.h): the verification
 * context shared by the step files v01_*.c .. v14_*.c, the record reader
 * (reader.c) and the decoded ballot. What the 2.0 verifier computes the
 * same way (proof commitments, membership batches, products, the worker
 * pool) is in verify/common/vcommon.h. Not a public API; unit tests
 * include it to drive single steps. */
#ifndef SC_VERIFY_VCTX_H
#define SC_VERIFY_VCTX_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>
#include <jansson.h>

#include "scrutin/arith.h"
#include "scrutin/eghash.h"
#include "scrutin/group.h"
#include "scrutin/report.h"
#include "scrutin/verify.h"
#include "verify/common/vcommon.h"

/* ------------------------------------------------------------------ */
/* Manifest (docs/RECORD.md "Manifest"), read from the canonical bytes. */

typedef struct vr_option {
    char *label;
    uint32_t limit; /* effective option selection limit R */
    int write_in;   /* "write_in": true (format 2) */
    int kind;       /* 0: an option; 1-4: a supplemental field (§3.3.9) */
} vr_option;

typedef struct vr_contest {
    char *label;
    uint32_t limit; /* effective contest selection limit L */
    uint32_t nopt;  /* options and supplemental fields */
    uint32_t nreal; /* the voter's options: opt[0..nreal) */
    vr_option *opt;
    size_t agg_base;      /* index of option 1 in the flat per-option arrays */
    uint32_t data_blocks; /* b_Λ (format 2), 0: no contest data */
    int read_write_ins;   /* cast ballots' write-ins are read (V12) */
} vr_contest;

typedef struct vr_style {
    char *label;
    uint32_t n;
    uint32_t *contests; /* 1-based contest indices, manifest order */
} vr_style;

typedef struct vr_manifest {
    uint32_t ncontests;
    vr_contest *c; /* c[ind_c - 1] */
    uint32_t nstyles;
    vr_style *s;
    size_t nopt_total;
} vr_manifest;

/** Parse and validate a manifest (canonical JSON bytes). On failure a
 *  message is left in err. */
SC_MUST_USE sc_status vr_manifest_parse(vr_manifest *m, const uint8_t *bytes,
                                        size_t len, char *err, size_t errlen);
void vr_manifest_free(vr_manifest *m);

/* ------------------------------------------------------------------ */
/* Devices (devices.json). */

enum { VR_CHAIN_NONE = 0, VR_CHAIN_SIMPLE = 1 };

typedef struct vr_device {
    uint32_t index;
    char *s_device;
    size_t s_len;
    uint8_t h_di[32]; /* recomputed (eq 72) */
    int chaining;
    uint64_t ballots;
    int has_closing;
    int has_h0; /* devices.json h_0 (format 2, simple chaining) */
    uint8_t h0[32];
    uint8_t close_bc[SC_BC_BYTES];
    uint8_t close_h[32];
} vr_device;

/* Openings of challenged ballots (challenged.jsonl), keyed by id_B. */
typedef struct vr_opening {
    uint8_t idb[32];
    json_t *j; /* NULL: empty slot */
    int used;  /* set by the worker that met the ballot (atomic) */
    uint64_t line;
} vr_opening;

/* ------------------------------------------------------------------ */
/* Verification context: everything the ballot workers read. Read-only
 * while workers run, except the fields marked atomic. */

typedef struct vr_ctx {
    sc_report *rep;
    const char *dir;
    sc_verify_opts opts;

    sc_group *grp; /* NULL until V1 established the group */
    uint32_t n, k;
    uint8_t hp[32], hb[32], he[32]; /* recomputed base hashes */
    int ok_hp, ok_hb, ok_he;

    mpz_t *Ki0, *Khi0; /* K_i = K_i,0 and K-hat_i (n each), from V2 */
    mpz_t *Kij, *Khij; /* all commitments, n*k row-major (for H_G) */
    mpz_t *kappa;      /* κ_i, n */
    int ok_guardians;

    mpz_t K, Khat; /* published joint keys */
    mpz_t Kinv;    /* K^-1 mod p once ok_K (V7's relation statements) */
    int ok_K;
    sc_fb *K_fb, *Khat_fb;

    vr_manifest man;
    int ok_man;

    vr_device *dev;
    size_t ndev;

    vr_opening *open; /* open addressing, capacity nopen_cap (power of 2) */
    size_t nopen, nopen_cap;

    /* Verification 9: products over cast ballots, flat per option. */
    mpz_t *aggA, *aggB;
    int agg_incomplete; /* a cast ballot could not be read: 9 unknowable */
    uint64_t ncast;
    uint8_t *contest_seen;  /* 11.D: contest index appeared on a ballot */
    int ballots_ok;         /* ballot files were read (for 9-11) */
    int open_missing;       /* challenged.jsonl absent or unreadable */
    int ballots_unreadable; /* some ballot line could not be decoded */

    /* Published aggregates (encrypted_tally.json), for V9 and V10. */
    mpz_t *pubA, *pubB;
    uint8_t *have_pub;
    int pub_loaded;
    long long pub_cast; /* cast_ballots, -1 if absent */

    /* record.json format_version (1 or 2, docs/RECORD.md) */
    int format;

    /* hashes_ext.json h_g, for S6 */
    int have_hg;
    uint8_t hg[32];
} vr_ctx;

/* ------------------------------------------------------------------ */
/* Reader helpers (reader.c). All return SC_OK or an SC_E_INVALID* /
 * SC_E_IO status; `what` names the value in messages. */

/** Load dir/name as JSON. SC_E_IO if missing or unreadable,
 *  SC_E_INVALID_JSON if not JSON; a message goes to err. */
SC_MUST_USE sc_status vr_load_json(const char *dir, const char *name,
                                   json_t **out, char *err, size_t errlen);
/** Read a whole file (binary). */
SC_MUST_USE sc_status vr_load_file(const char *dir, const char *name,
                                   uint8_t **out, size_t *len);
/** Exactly 2*nbytes uppercase hex digits -> mpz (no range check). */
SC_MUST_USE sc_status vr_hex_mpz(mpz_t out, const json_t *j, size_t nbytes);
/** Exactly 2*nbytes uppercase hex digits -> bytes. */
SC_MUST_USE sc_status vr_hex_bytes(uint8_t *out, const json_t *j,
                                   size_t nbytes);
/** JSON integer in [0, 2^31). */
SC_MUST_USE sc_status vr_u32(const json_t *j, uint32_t *out);
/** Human text for a reader status. */
const char *vr_what(sc_status rc);

/* ------------------------------------------------------------------ */
/* Decoded ballot (one line of ballots/device_<d>.jsonl). */

typedef struct vr_field {
    mpz_t alpha, beta;
    size_t n; /* R + 1 */
    mpz_t *c, *v;
    int nonmember; /* bit 0: alpha, bit 1: beta not in Z_p^r (6.A/7.A) */
} vr_field;

typedef struct vr_bcontest {
    uint32_t index; /* ind_c */
    uint32_t nf;
    uint32_t nreal; /* f[0..nreal) are options, the rest supplemental */
    vr_field *f;
    size_t nrel;   /* relation proofs of the supplemental fields */
    size_t *rel_n; /* R' + 1 each */
    mpz_t **rel_c, **rel_v;
    size_t nl; /* L + 1 */
    mpz_t *lc, *lv;
    uint8_t chi[32]; /* published contest hash */
    /* Contest data (eq 67-69), when the manifest asks for it. */
    int has_data;
    mpz_t cd_c0, cd_c, cd_v; /* C_0, C_2 = (c, v) */
    uint8_t *cd_c1;          /* C_1, cd_len = 32 b_Λ bytes */
    size_t cd_len;
    int cd_nonmember; /* C_0 not in Z_p^r (S5.A) */
} vr_bcontest;

typedef struct vr_ballot {
    char label[96]; /* printable ballot id for messages */
    int challenged;
    uint32_t style, device, sequence;
    uint32_t weight;
    uint8_t idb[32], hi[32];
    uint32_t nc;
    vr_bcontest *c;
    mpz_t bn_c0, bn_c, bn_v; /* ballot nonce: C_xiB,0, c_B, v_B */
    uint8_t bn_c1[32];       /* C_xiB,1 */
    int bn_c0_nonmember;
    uint8_t bc[SC_BC_BYTES];
    uint8_t hc[32];
    /* the checking worker's square test (ballots.c), or NULL (decoded
     * so): membership with a Legendre symbol per element */
    sc_sqtest *sq;
} vr_ballot;

/** Decode a ballot's JSON (shape checked against the manifest). Reports
 *  what it cannot read as errors ("could not check") or shape faults as
 *  S1.C failures; returns SC_OK only if the ballot can be checked. */
SC_MUST_USE sc_status vr_ballot_decode(vr_ctx *ctx, const json_t *j,
                                       vr_ballot *b);
void vr_ballot_free(vr_ballot *b);

/* ------------------------------------------------------------------ */
/* Steps. Each registers its report step(s), checks and ends them. */

void vr_v01_params(vr_ctx *ctx);
void vr_v02_guardians(vr_ctx *ctx);
void vr_v03_load_keys(vr_ctx *ctx); /* K, K-hat and their tables */
void vr_v03_joint_key(vr_ctx *ctx); /* 3.A, 3.B (after V2) */
void vr_v04_extended_hash(vr_ctx *ctx);
void vr_s06_guardian_record(vr_ctx *ctx); /* S6 (after V2, V4) */
void vr_v09_load(vr_ctx *ctx);
void vr_ballots(vr_ctx *ctx); /* V5-V9, V13, V14, S1-S4 (streamed) */
void vr_v09_aggregation(vr_ctx *ctx);
void vr_v10_tally(vr_ctx *ctx);
void vr_v11_tally_contents(vr_ctx *ctx);
void vr_v12_write_ins(vr_ctx *ctx); /* V12 for cast ballots' write-ins */
void vr_s07_results(vr_ctx *ctx);   /* S7: results.json (after V10, V12) */
void vr_log(vr_ctx *ctx); /* L1-L4, when the record has log/ (l01_log.c) */

/* Per-ballot checks (run by the workers). `step` is the report step the
 * conditions belong to: "V6"/"V7" for cast ballots, "S3"/"S4" for the
 * supplementary checks of challenged ballots (AMBIGUITIES 6). Each returns
 * 1 if every condition held, 0 if one failed (already reported). */

/** The range proof of eq (57)-(62) in compact form: recompute
 *  a_j = g^v_j x^c_j, b_j = K^(v_j - j c_j) y^c_j (6.1-6.2 / 7.3-7.4), the
 *  challenge (6.3 / 7.5) and check conditions B-D under `step`. x, y must
 *  be in Z_p^r (the caller checked A). has_option 0: contest limit. */
int vr_check_range_proof(const vr_ctx *ctx, const char *step,
                         const uint8_t hi[32], uint32_t ind_c, int has_option,
                         uint32_t ind_o, const mpz_t x, const mpz_t y, size_t n,
                         const mpz_t *c, const mpz_t *v, const vc_chains *ch,
                         size_t bx, const char *where);
/** Verification 6 (6.1-6.3, 6.A-6.D; 6.A is decided by the caller's batch
 *  membership test and passed in f->nonmember). */
int vr_check_selection(const vr_ctx *ctx, const char *step,
                       const uint8_t hi[32], uint32_t ind_c, uint32_t ind_o,
                       const vr_field *f, const char *where);
/** The same with the squaring chains of α and β made beforehand, as the
 *  bases bx and bx + 1 of ch (vc_chains_make: several fields' at once on
 *  the 8-lane kernel); ch NULL: vr_check_selection. */
int vr_check_selection_chained(const vr_ctx *ctx, const char *step,
                               const uint8_t hi[32], uint32_t ind_c,
                               uint32_t ind_o, const vr_field *f,
                               const vc_chains *ch, size_t bx,
                               const char *where);
/** Verification 7 (7.1-7.5, 7.B-7.D; 7.A via the fields' elem_ok). */
int vr_check_limit(const vr_ctx *ctx, const char *step, const uint8_t hi[32],
                   const vr_bcontest *bc, uint32_t L, const char *where);
/** Supplementary S2: Schnorr proof of the encrypted ballot nonce (eq 38,
 *  AMBIGUITIES 7). */
int vr_check_ballot_nonce(const vr_ctx *ctx, const vr_ballot *b,
                          const char *where);
/** Verification 7 for the supplemental fields (§3.3.9): each relation
 *  proof (docs/RECORD.md) over its derived ciphertext, conditions B-D
 *  under `step` ("V7" / "S4"). Returns 1 if all held. */
int vr_check_supplemental(const vr_ctx *ctx, const char *step,
                          const uint8_t hi[32], const vr_bcontest *bc,
                          const vr_contest *mc, const char *where);
/** R' of a supplemental field's relation proof. */
uint32_t vr_supp_range(const vr_contest *mc, int kind);
/** Supplementary S5: Schnorr proof of each contest's encrypted contest
 *  data (eq 69, AMBIGUITIES 7). Returns the number of contests checked
 *  and sets *bad if one failed. */
uint64_t vr_check_contest_data(const vr_ctx *ctx, const vr_ballot *b,
                               const char *where, int *bad);
/** The contest data ciphertext of a decoded contest as the hash layer's
 *  view (shallow; NULL if the contest has none). */
const sc_contest_data_ct *vr_contest_data_view(const vr_bcontest *c,
                                               sc_contest_data_ct *tmp);
/** Verification 8.A-8.B (per ballot) and 8.C-8.D (no chaining). */
int vr_check_codes(const vr_ctx *ctx, const vr_ballot *b, const vr_device *dev,
                   const char *where);
/** Everything one decoded ballot can be checked for on its own, against
 *  the election and its device: 5.B, 6 / S3, 7 / S4 (membership 6.A/7.A
 *  included), 8.A-8.B, 8.D, S2 and S5 (contest data, eq 69; S1.C fit is
 *  checked by vr_ballot_decode). Shared by the ballot pass and the
 *  board's door (door.c); failures go to ctx->rep. b->hi is replaced by
 *  the recomputed H_I. Returns 1 if every condition held. */
int vr_check_one_ballot(const vr_ctx *ctx, vr_ballot *b, const vr_device *dev,
                        const char *where);
/** S1.A (the ballot's sequence is `pos`) and S1.D (it names device
 *  dev->index) of a parsed ballot line. Returns 1 if both held. */
int vr_check_position(const vr_ctx *ctx, const json_t *j, const vr_device *dev,
                      uint64_t pos, const char *where);
/** The same from the values read (seq_rc, dev_rc: how reading sequence
 *  and device went). Returns 1 if both held. */
int vr_position_check(const vr_ctx *ctx, sc_status seq_rc, uint32_t seq,
                      sc_status dev_rc, uint32_t devno, const vr_device *dev,
                      uint64_t pos, const char *where);
/** Verification 13-14 for one challenged ballot against its opening. */
void vr_check_challenged(vr_ctx *ctx, const vr_ballot *b, const json_t *op,
                         const char *where);

/* Devices and chains (v08_codes.c). */
SC_MUST_USE sc_status vr_devices_load(vr_ctx *ctx);
void vr_devices_free(vr_ctx *ctx);
typedef struct vr_chain {
    uint8_t bc0[SC_BC_BYTES];
    uint8_t prev[32]; /* H_(j-1) */
    uint64_t j;
    int broken;
    int unreadable; /* a line could not be read: 8.G cannot be checked */
    int skip;       /* the previous H_C is unknown: skip the next 8.E */
} vr_chain;
void vr_chain_start(const vr_ctx *ctx, const vr_device *dev, vr_chain *ch);
void vr_chain_next(const vr_ctx *ctx, const vr_device *dev, vr_chain *ch,
                   const uint8_t bc[SC_BC_BYTES], const uint8_t hc[32],
                   const char *where);
void vr_chain_close(const vr_ctx *ctx, const vr_device *dev, vr_chain *ch);

/** out[j] = x^e[j] mod p for j < n (public e[j] >= 0), sharing the
 *  squarings between the exponents of the one base: the shared
 *  vc_pow_many (verify/common/vpow.c), under the name the tests use. */
static inline void vr_pow_many(const sc_group *grp, mpz_t *out, const mpz_t x,
                               size_t n, const mpz_t *e)
{
    vc_pow_many(grp, out, x, n, e);
}

/** Opening lookup (NULL if none). */
vr_opening *vr_opening_find(const vr_ctx *ctx, const uint8_t idb[32]);

/** 1 if scalar x is in Z_q. */
int vr_in_zq(const vr_ctx *ctx, const mpz_t x);

#endif
