/* Scrutin: the election record as a function of the board's log
 * (docs/BOARD.md §6 "Export", docs/VERIFIER.md "L1-L4").
 *
 * sc_logrec_build walks entries 0..N-1 with their payloads, checks each
 * entry (L1: version, type, index = position, payload length and
 * SHA-256, the submitter's signature of the submit message, the signer
 * allowed for the type, per-signer sequence 1, 2, 3, ...) and projects
 * the log onto the files of docs/RECORD.md:
 *
 *   the election entry's files       as they are (record.json, ...)
 *   devices.json                     device entries, ballot counts,
 *                                    closings from device_close entries
 *   ballots/device_<d>.jsonl         ballot payloads of device d, log order
 *   encrypted_tally.json, tally.json, results.json  (tally, decryption,
 *                                    result payloads, when present)
 *   challenged.jsonl                 challenged payloads, log order
 *   write_in_counts.jsonl            write_in_count payloads, log order
 *                                    (only when the log has one)
 *   write_ins.jsonl                  write_in payloads, log order (idem)
 *   log/entries.bin                  the N entries, 186 bytes each
 *   log/payloads/<sha256 hex>        every payload
 *   log/policy.json                  the witness policy payload (if any)
 *
 * The projection is deterministic (files sorted by name, fixed JSON
 * form), so two exports of one log are byte-identical. `scrutin board
 * export` writes it (plus log/checkpoint); `scrutin verify` rebuilds it
 * from log/ and compares. Pure: no I/O but the payload callback. */
#ifndef SCRUTIN_LOGREC_H
#define SCRUTIN_LOGREC_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

/** Fetch the payload with this SHA-256 (expected length len): *data
 *  malloc'd (taken by the caller). SC_E_IO if it cannot be had. */
typedef sc_status (*sc_logrec_payload_fn)(void *ctx, const uint8_t sha[32],
                                          uint32_t len, uint8_t **data,
                                          size_t *dlen);

typedef struct sc_logrec_file {
    char *name; /* relative path, '/' separated */
    uint8_t *data;
    size_t len;
} sc_logrec_file;

typedef struct sc_logrec {
    sc_logrec_file *f; /* sorted bytewise by name */
    size_t n, cap;
    uint64_t entries;
    char origin[256];
    char board_vkey[400];      /* the election payload's "board_key" */
    uint8_t authority_pub[32]; /* signer of entry 0 */
    char *policy;              /* witness_policy payload (NUL ended) or NULL */
    size_t policy_len;
    /* The first failed check: condition ("L1.C") and one line. */
    char fail_cond[16];
    char fail[512];
} sc_logrec;

/** Build the projection of the log of n entries (n * 186 bytes). Returns
 *  SC_OK (out filled), SC_E_VERIFY (a check of L1 failed: fail_cond and
 *  fail say which and where), SC_E_IO (a payload could not be had; fail
 *  says which), SC_E_NOMEM. out is cleared with sc_logrec_free in every
 *  case. */
SC_API SC_MUST_USE sc_status sc_logrec_build(sc_logrec *out,
                                             const uint8_t *entries, uint64_t n,
                                             sc_logrec_payload_fn get,
                                             void *ctx);
SC_API void sc_logrec_free(sc_logrec *r);
/** The file named `name`, or NULL. */
SC_API const sc_logrec_file *sc_logrec_find(const sc_logrec *r,
                                            const char *name);

/** A write_in_count or write_in payload (docs/BOARD.md §3.3): one line
 *  (no newline) of JSON with a string `id` and the ballot's
 *  `selection_encryption_identifier` (64 uppercase hex digits), put in
 *  id_b. SC_E_INVALID with a one-line reason in why otherwise. The board's
 *  door, the verifying witness and L1 read it the same way. */
SC_API SC_MUST_USE sc_status sc_logrec_write_in_line(const uint8_t *p,
                                                     size_t len,
                                                     uint8_t id_b[32],
                                                     char *why, size_t wl);

/** The file name under which clients keep the largest checkpoint seen of
 *  the log `origin`: the origin with every byte but [A-Za-z0-9.-]
 *  replaced by '_', then ".checkpoint". */
SC_API void sc_logrec_state_name(char *out, size_t cap, const char *origin);

#endif
