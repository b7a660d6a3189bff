/* Scrutin: the board's log entries (docs/BOARD.md §3.1, §3.2).
 *
 * An entry is the 186-byte leaf data of the board's Merkle tree; it
 * commits to its payload by SHA-256 and carries the submitter's Ed25519
 * signature of the submit message. Pure functions, no I/O. */
#ifndef SCRUTIN_ENTRY_H
#define SCRUTIN_ENTRY_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

#define SC_ENTRY_BYTES 186
#define SC_ENTRY_VERSION 1
/** Longest submit message: prefix, origin (<= 255), '\n', 1+4+32+32. */
#define SC_ENTRY_MSG_MAX (24 + 255 + 1 + 69)

typedef enum sc_entry_type {
    SC_ENTRY_ELECTION = 1,
    SC_ENTRY_DEVICE = 2,
    SC_ENTRY_WITNESS_POLICY = 3,
    SC_ENTRY_BALLOT = 4,
    SC_ENTRY_DEVICE_CLOSE = 5,
    SC_ENTRY_TALLY = 6,
    SC_ENTRY_DECRYPTION = 7,
    SC_ENTRY_CHALLENGED = 8,
    SC_ENTRY_CLOSE = 9,
    SC_ENTRY_RESULT = 10,
    SC_ENTRY_WRITE_IN_COUNT = 11, /* a write_in_counts.jsonl line */
    SC_ENTRY_WRITE_IN = 12        /* a write_ins.jsonl line */
} sc_entry_type;

/** The fields of docs/BOARD.md §3.1 (same names). */
typedef struct sc_entry {
    uint8_t version; /* SC_ENTRY_VERSION */
    uint8_t type;    /* sc_entry_type */
    uint64_t index;  /* leaf index */
    uint64_t time_ms;
    uint8_t payload_sha256[32];
    uint32_t payload_len;
    uint8_t key[32]; /* ballot: confirmation code H_C; else zero */
    uint8_t signer[32];
    uint32_t seq; /* the signer's sequence number, from 1 */
    uint8_t sig[64];
} sc_entry;

/** "election", "device", ... for types 1..12; NULL otherwise. */
SC_API const char *sc_entry_type_name(unsigned type);
/** The type for a name, 0 if unknown. */
SC_API unsigned sc_entry_type_from_name(const char *name);
/** 1 if the type is signed by the authority (1, 2, 3, 6..12), 0 if by a
 *  device (4, 5). */
SC_API int sc_entry_type_by_authority(unsigned type);

/** Big-endian encoding, 186 bytes. */
SC_API void sc_entry_encode(uint8_t out[SC_ENTRY_BYTES], const sc_entry *e);
/** Decode exactly 186 bytes: version 1, a known type, seq >= 1.
 *  SC_E_INVALID_LENGTH or SC_E_INVALID. */
SC_API SC_MUST_USE sc_status sc_entry_decode(sc_entry *e, const uint8_t *in,
                                             size_t len);
/** The leaf hash of the encoded entry. */
SC_API void sc_entry_leaf_hash(uint8_t out[32], const sc_entry *e);

/** The submit message of §3.2:
 *  "scrutin/board/v1/submit\n" || origin || "\n" || u8 type || u32 seq ||
 *  payload_sha256 || key. out needs SC_ENTRY_MSG_MAX bytes. SC_E_INVALID
 *  for an origin that is empty, longer than 255 bytes or holds '\n'. */
SC_API SC_MUST_USE sc_status sc_entry_submit_msg(
    uint8_t *out, size_t *len, const char *origin, uint8_t type, uint32_t seq,
    const uint8_t payload_sha256[32], const uint8_t key[32]);
/** Sign the submit message of e's type, seq, payload_sha256 and key with
 *  sk (libsodium 64-byte form); sets e->signer and e->sig. */
SC_API SC_MUST_USE sc_status sc_entry_sign(sc_entry *e, const char *origin,
                                           const uint8_t sk[64]);
/** Verify e->sig under e->signer. SC_OK or SC_E_VERIFY. */
SC_API SC_MUST_USE sc_status sc_entry_verify(const sc_entry *e,
                                             const char *origin);

#endif
