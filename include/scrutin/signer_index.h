/* Scrutin: the board's per-signer index (docs/BOARD.md §4.2,
 * `GET /v1/signer/<key>`): one signer's entries from a sequence number on,
 * and for a device its registration, each with an RFC 6962 inclusion proof
 * against the one signed checkpoint of the answer. A client reads its own
 * place in the log in O(log n) instead of every entry tile, and checks
 * what it is told with sc_signer_index_verify. Pure functions, no I/O. */
#ifndef SCRUTIN_SIGNER_INDEX_H
#define SCRUTIN_SIGNER_INDEX_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/entry.h"
#include "scrutin/status.h"
#include "scrutin/tlog.h"

/** Most entries in one answer; a longer list is truncated (ask again from
 *  the next sequence number). */
#define SC_SINDEX_PAGE 256

/** One entry of the answer with its inclusion proof. */
typedef struct sc_sindex_item {
    uint64_t index;
    uint8_t entry[SC_ENTRY_BYTES];
    uint8_t proof[SC_TLOG_MAX_PROOF][32];
    size_t nproof;
} sc_sindex_item;

typedef struct sc_signer_index {
    uint8_t signer[32];
    uint32_t from;    /* the first sequence number asked for */
    char *checkpoint; /* signed note with cosignature lines (owned) */
    size_t cplen;
    int has_registration; /* a device: its `device` entry */
    sc_sindex_item registration;
    sc_sindex_item *items; /* owned, ascending sequence numbers */
    size_t n;
    int truncated; /* more entries follow the last one */
} sc_signer_index;

/** Parse the JSON answer (docs/BOARD.md §4.2): fields and their shapes
 *  only (hex lengths, at most SC_SINDEX_PAGE entries, at most
 *  SC_TLOG_MAX_PROOF hashes a proof); nothing is verified. SC_E_INVALID
 *  or SC_E_NOMEM, with one line in msg (may be NULL); *out is zeroed on
 *  failure. */
SC_API SC_MUST_USE sc_status sc_signer_index_parse(sc_signer_index *out,
                                                   const char *json, size_t len,
                                                   char *msg, size_t msg_cap);
SC_API void sc_signer_index_clear(sc_signer_index *x);

/** What a verified answer tells its client. */
typedef struct sc_sindex_view {
    sc_checkpoint cp;     /* the answer's checkpoint */
    int has_registration; /* reg is the verified `device` entry */
    sc_entry reg;
} sc_sindex_view;

/** Check an answer for signer `signer` asked `from`: the checkpoint is
 *  signed by `board` (its name the origin) and, if policy is not NULL,
 *  carries the policy's quorum; the answer names that signer and from;
 *  every entry decodes, has the index it is listed at, lies in the
 *  checkpoint, is signed by the signer (§3.2) with sequence numbers
 *  from, from + 1, ... in ascending index order, and its inclusion proof
 *  gives the checkpoint's root; the registration, if any, is a `device`
 *  entry signed by `authority`, included likewise. Entries are then
 *  decoded from x->items[i].entry by the caller. SC_OK, SC_E_VERIFY or
 *  SC_E_INVALID, with the failing check in msg (may be NULL). */
SC_API SC_MUST_USE sc_status sc_signer_index_verify(
    const sc_signer_index *x, const uint8_t signer[32], uint32_t from,
    const sc_vkey *board, const uint8_t authority[32],
    const sc_witness_policy *policy, sc_sindex_view *view, char *msg,
    size_t msg_cap);

#endif
