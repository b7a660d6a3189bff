/* Scrutin: the independent verifier of ElectionGuard 2.1.0 election
 * records (docs/RECORD.md), spec §6.2 Verification 1-14, plus the
 * supplementary checks of AMBIGUITIES 6-7. docs/VERIFIER.md lists every
 * step, its conditions and how each ambiguity was read.
 *
 * The verifier reads only the record (no secret, no prover state) and is
 * written from §6 of the spec: it shares the group, the hashes of §5.5
 * (scrutin/eghash.h) and the arithmetic engine with the prover, never the
 * encryption or proof code, so a prover bug is not mirrored here.
 *
 * Ballots are streamed line by line from ballots/device_<d>.jsonl by one
 * reader and checked by a pool of worker threads; memory does not grow
 * with the number of ballots except for the 32-byte id_B set of
 * Verification 5.A.
 *
 * The options struct is shared by every verifier front end (`scrutin
 * verify` dispatches to the 2.0 verifier of scrutin/verify20.h for egk
 * records and passes the same options along). */
#ifndef SCRUTIN_VERIFY_H
#define SCRUTIN_VERIFY_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/report.h"
#include "scrutin/status.h"

/** Steps that can be switched off (tests, quick looks): bit (1 << n) skips
 *  Verification n. A skipped step is reported as skipped, never "ok". */
#define SC_VERIFY_SKIP(n) (1u << (n))

typedef struct sc_verify_opts {
    int threads;               /* worker threads; <= 0: every online core */
    int allow_test_parameters; /* accept toy / 3072-bit parameter sets */
    uint32_t skip_steps;       /* SC_VERIFY_SKIP(n) bits */
    /* A record with the board's log (L1-L4): the folder where the largest
     * checkpoint seen per log is kept (<origin>.checkpoint, named by
     * sc_logrec_state_name, shared with `scrutin lookup --board`); a
     * smaller or inconsistent log fails L3.D. NULL: none kept. */
    const char *state_dir;
} sc_verify_opts;

/** Defaults: all cores, standard parameters only, no step skipped. */
SC_API void sc_verify_opts_default(sc_verify_opts *o);

/** Number of worker threads `o` asks for (resolves threads <= 0 to the
 *  number of online cores; at least 1). */
SC_API int sc_verify_threads(const sc_verify_opts *o);

/** 1 if `dir` holds a Scrutin 2.1 record (record.json with format
 *  "scrutin-record"), 0 otherwise. */
SC_API int sc_verify_is_record(const char *dir);

/** Verify the 2.1 record in `dir`, reporting every step to `rep` (steps
 *  "V1".."V14" and the supplementary "S1".."S5"; failures "V6.D" etc.).
 *  `opts` may be NULL (defaults). Returns SC_OK when the verifier ran to
 *  the end (the verdict is then sc_report_exit_code(rep)); the record's
 *  faults are never a return code, only report entries. Requires
 *  sc_init(). */
SC_API SC_MUST_USE sc_status sc_verify_record(const char *dir,
                                              const sc_verify_opts *opts,
                                              sc_report *rep);

/* ------------------------------------------------------------------ */
/* The ballot check at the door (docs/BOARD.md): what Verifications 5-8
 * and S2 check for one ballot (5.B, 6 or S3, 7 or S4, 8.A, 8.B, 8.D,
 * S2), its position in its device's list (S1.A, S1.D) and its chain link
 * (8.E, 8.F, eq 73-78), with the verifier's own code. A context is built
 * once from the election; sc_door_check may then be called from any
 * number of threads at once on one context. What needs the whole board
 * (5.A: id_B unique; codes unique; the device's last sequence and code)
 * is the caller's. */

typedef struct sc_door sc_door;

/** One file of the election record (docs/RECORD.md), e.g. from the
 *  election entry's payload (docs/BOARD.md 3.3). Borrowed. */
typedef struct sc_door_file {
    const char *name; /* "record.json", "election_manifest_canonical.bin" */
    const uint8_t *data;
    size_t len;
} sc_door_file;

/** The election parts the door needs, given directly. */
typedef struct sc_door_election {
    const char *parameter_set; /* record.json "parameter_set" */
    int allow_test_parameters;
    const uint8_t *manifest; /* election_manifest_canonical.bin */
    size_t manifest_len;
    const char *k_hex, *khat_hex; /* K, K-hat: 2*lp uppercase hex */
    uint8_t h_e[32];              /* extended base hash H_E */
} sc_door_election;

/** Build a door from explicit parts. H_E is taken as given. On failure
 *  *out is NULL and err says why (one line). Requires sc_init(). */
SC_API SC_MUST_USE sc_status sc_door_new(sc_door **out,
                                         const sc_door_election *e, char *err,
                                         size_t errlen);
/** Build a door from the record files (record.json,
 *  election_parameters.json, hashes.json, election_manifest_canonical.bin,
 *  joint_election_public_key.json, hashes_ext.json; others ignored). H_P,
 *  H_B and H_E are recomputed (eq 4, 5, 30) and must equal the published
 *  ones, else SC_E_VERIFY. */
SC_API SC_MUST_USE sc_status sc_door_new_from_files(sc_door **out,
                                                    const sc_door_file *files,
                                                    size_t nfiles,
                                                    int allow_test_parameters,
                                                    char *err, size_t errlen);
/** The same from the election entry's payload (docs/BOARD.md §3.3: JSON
 *  whose "files" array holds {"name","base64"} of those files). */
SC_API SC_MUST_USE sc_status
sc_door_new_from_election(sc_door **out, const uint8_t *payload, size_t len,
                          int allow_test_parameters, char *err, size_t errlen);
/** The same from a record directory. */
SC_API SC_MUST_USE sc_status sc_door_new_from_dir(sc_door **out,
                                                  const char *dir,
                                                  int allow_test_parameters,
                                                  char *err, size_t errlen);
SC_API void sc_door_free(sc_door *d);
/** H_E of the door's election. */
SC_API const uint8_t *sc_door_h_e(const sc_door *d);

enum { SC_DOOR_CHAIN_NONE = 0, SC_DOOR_CHAIN_SIMPLE = 1 };

/** A device as the door sees it. */
typedef struct sc_door_device {
    uint32_t index; /* d, 1-based */
    int chaining;   /* SC_DOOR_CHAIN_NONE or SC_DOOR_CHAIN_SIMPLE */
    uint8_t h_di[32];
} sc_door_device;

/** dev from its index, S_device and chaining mode: H_DI =
 *  H(H_E; 0x2A, b(len, 4) ‖ S_device) (eq 72). */
SC_API void sc_door_device_init(const sc_door *d, sc_door_device *dev,
                                uint32_t index, const char *s_device,
                                size_t len, int chaining);
/** H_0 = H(H_E; 0x29, 0x00000001 ‖ H_DI) (eq 74): the "previous code"
 *  of a chained device's first ballot. */
SC_API void sc_door_chain_start(const sc_door *d, const sc_door_device *dev,
                                uint8_t h0[32]);

/** The closing of a chained device after `ballots` ballots, the last
 *  with code `last` (ignored if ballots = 0): bc = B_C,close (eq 78) and
 *  h = H(B_C,close) (eq 77). */
SC_API void sc_door_chain_close(const sc_door *d, const sc_door_device *dev,
                                uint64_t ballots, const uint8_t last[32],
                                uint8_t bc[36], uint8_t h[32]);

typedef enum sc_door_verdict {
    SC_DOOR_ACCEPT = 0,
    SC_DOOR_MALFORMED = 1, /* not a ballot of this election's shape (400) */
    SC_DOOR_POSITION = 2,  /* S1.A, S1.D, 8.E, 8.F: wrong place (409) */
    SC_DOOR_INVALID = 3    /* a proof or hash fails (422) */
} sc_door_verdict;

typedef struct sc_door_result {
    sc_door_verdict verdict;
    char step[16];    /* failed condition ("V6.A"), "" if accepted */
    char reason[400]; /* one line: "V6.A: ballot X contest 2 option 1: ..." */
    /* Read from the ballot (valid when verdict is not MALFORMED): */
    char id[96]; /* the ballot's "id" */
    int challenged;
    uint32_t style, device, sequence;
    uint8_t idb[32];  /* id_B */
    uint8_t code[32]; /* confirmation code H_C */
} sc_door_result;

/** Check one ballot line (a line of ballots/device_<d>.jsonl, no
 *  newline) as the `sequence`-th ballot of device `dev`. For a chained
 *  device, `prev` is the previous ballot's confirmation code H_(j-1)
 *  (eq 75-76), ignored for sequence 1 (H_0 is used) and for unchained
 *  devices; may be NULL then. Returns SC_OK when the check ran (verdict
 *  in res), SC_E_NOMEM / SC_E_MISUSE otherwise. Thread-safe. */
SC_API SC_MUST_USE sc_status sc_door_check(
    const sc_door *d, const sc_door_device *dev, uint64_t sequence,
    const uint8_t *prev, const char *line, size_t len, sc_door_result *res);

struct json_t; /* sc_json (scrutin/json.h) */
/** The same check on the line already parsed (sc_json_parse of exactly
 *  that line), for a caller that read the ballot's fields first (the
 *  board's door): the line is parsed once. j is only read. */
SC_API SC_MUST_USE sc_status sc_door_check_json(
    const sc_door *d, const sc_door_device *dev, uint64_t sequence,
    const uint8_t *prev, const struct json_t *j, sc_door_result *res);

#endif
