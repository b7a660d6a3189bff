/* The board's clients (docs/BOARD.md §4): reading the log through the
 * public API with every answer checked (payload hashes, inclusion proofs
 * against board-signed checkpoints, the witness quorum of the log's
 * policy), and signed submissions with their receipts checked. Used by
 * `scrutin encrypt --board`, `scrutin lookup --board` and `scrutin board
 * export`. */
#ifndef SC_CLI_BOARD_CLIENT_H
#define SC_CLI_BOARD_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/entry.h"
#include "scrutin/signer_index.h"
#include "scrutin/status.h"
#include "scrutin/tlog.h"

#define BC_DEVICE_KEY_KIND "scrutin device key"

/** Lowercase hex of n bytes into out (2n + 1 bytes). */
void bc_hex_lower(char *out, const uint8_t *in, size_t n);

typedef struct bc_board {
    char *url;
    char origin[SC_TLOG_NAME_MAX + 1];
    sc_vkey board_key;
    uint8_t authority[32];
    uint8_t *election; /* entry 0's payload (JSON) */
    size_t election_len;
    sc_witness_policy policy;
    int has_policy;
    uint64_t policy_index;
} bc_board;

/** Open the board at url: entry 0 (the election) with its payload and its
 *  inclusion proof under the board key it names, signed by the authority
 *  it names; then the witness policy, if the log has one (GET /v1/policy,
 *  found among the entries and proven included). */
SC_MUST_USE sc_status bc_open(bc_board *b, const char *url, char *err,
                              size_t errlen);
void bc_close(bc_board *b);

/** How much a checkpoint must carry: the board's signature only; also
 *  the policy's quorum of cosignatures when the log has a policy; or a
 *  policy and its quorum (a log without a policy fails). */
enum { BC_SIG_ONLY = 0, BC_QUORUM_IF_POLICY = 1, BC_QUORUM_REQUIRED = 2 };

/** Check a signed checkpoint note: the board's signature, and the
 *  quorum as `quorum` says. cp gets it; note (may be NULL) keeps the
 *  parsed note (caller clears). */
SC_MUST_USE sc_status bc_check_checkpoint(const bc_board *b, const char *msg,
                                          size_t len, int quorum,
                                          sc_checkpoint *cp, sc_note *note,
                                          char *err, size_t errlen);

/** GET /checkpoint, checked as above. *msg (may be NULL) gets the text
 *  (malloc'd). */
SC_MUST_USE sc_status bc_checkpoint(const bc_board *b, int quorum,
                                    sc_checkpoint *cp, char **msg,
                                    size_t *msglen, char *err, size_t errlen);

/** Entry idx with its inclusion proof against the checkpoint it comes
 *  with (checked as above: cp, and its signed text in *cpmsg if not NULL,
 *  malloc'd) and (if payload non-NULL) its payload, hash checked. */
SC_MUST_USE sc_status bc_entry(const bc_board *b, uint64_t idx, int quorum,
                               sc_entry *e, uint8_t **payload, size_t *plen,
                               sc_checkpoint *cp, char **cpmsg, size_t *cplen,
                               char *err, size_t errlen);

/** A payload by hash (length and SHA-256 checked). */
SC_MUST_USE sc_status bc_payload(const bc_board *b, const uint8_t sha[32],
                                 uint32_t len, uint8_t **out, size_t *outlen,
                                 char *err, size_t errlen);

/** The raw entries 0..size-1 from the entry tiles (size * 186 bytes,
 *  malloc'd). Not checked here: the caller compares their root with a
 *  checkpoint (bc_root). */
SC_MUST_USE sc_status bc_entries(const bc_board *b, uint64_t size,
                                 uint8_t **out, char *err, size_t errlen);
/** The RFC 6962 root of n raw entries. */
SC_MUST_USE sc_status bc_root(const uint8_t *entries, uint64_t n,
                              uint8_t root[32]);

/** The current checkpoint (checked as above) and every entry up to its
 *  size, their root recomputed and compared with it. */
SC_MUST_USE sc_status bc_log(const bc_board *b, int quorum, sc_checkpoint *cp,
                             char **cpmsg, size_t *cplen, uint8_t **entries,
                             char *err, size_t errlen);

/** GET /v1/signer/<pk>?from=<from> (docs/BOARD.md §4.2), parsed and
 *  checked with sc_signer_index_verify (the board's signature; the
 *  quorum as `quorum` says). 404 (unknown signer): SC_E_RANGE. x is the
 *  caller's to clear on SC_OK. */
SC_MUST_USE sc_status bc_signer(const bc_board *b, const uint8_t pk[32],
                                uint32_t from, int quorum, sc_signer_index *x,
                                sc_sindex_view *v, char *err, size_t errlen);

typedef struct bc_answer {
    long status;   /* HTTP status (0: no answer) */
    char why[512]; /* a refusal's line */
    char *receipt; /* 200: the tlog-proof text (malloc'd) */
    uint64_t index;
    sc_checkpoint cp; /* the receipt's checkpoint (checked) */
    int cosigned;     /* the receipt's checkpoint meets the policy's
                         quorum (1 when the log has no policy) */
} bc_answer;

/** Sign (docs/BOARD.md §3.2) and POST one entry; retries a refused
 *  connection, 429 and 503 a few times. On 200 the receipt is checked:
 *  the entry at its index is ours (fetched), its inclusion in the
 *  board-signed checkpoint; with a policy, the proof against a checkpoint
 *  with the quorum is fetched for up to ~6 s (a->cosigned says whether it
 *  came; if not, a->receipt is the board-signed one). SC_OK when the board
 * answered (a->status says how); SC_E_VERIFY for a receipt that does not check;
 * SC_E_IO when the board could not be reached. */
SC_MUST_USE sc_status bc_submit(const bc_board *b, unsigned type,
                                const uint8_t *payload, size_t len,
                                const uint8_t key[32], const uint8_t sk[64],
                                uint32_t seq, bc_answer *a, char *err,
                                size_t errlen);
void bc_answer_free(bc_answer *a);

#endif
