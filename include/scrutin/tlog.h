/* Scrutin: the transparency log of the bulletin board (docs/BOARD.md §3).
 *
 * Pure functions, no I/O:
 *  - RFC 6962 §2.1 Merkle tree hashing (SHA-256): leaf and node hashes,
 *    roots, inclusion and consistency proofs, generated from "stored
 *    hashes" and verified per RFC 9162 §2.1.3.2 and §2.1.4.2;
 *  - C2SP signed-note (Ed25519), vkeys, tlog-checkpoint,
 *    tlog-cosignature/v1 (Ed25519, type 0x04), tlog-proof receipts,
 *    tlog-tiles paths and tile contents, tlog-witness add-checkpoint
 *    bodies, and the board's witness policy (quorum).
 *
 * Stored hashes. A complete subtree at `level` with index `i` covers the
 * leaves [i * 2^level, (i+1) * 2^level); node(0, i) is the leaf hash of
 * entry i. A store (SQLite table node(level, idx, hash), or the in-memory
 * sc_tlog_mem below) answers node(level, i) through an sc_tlog_get_node
 * callback; every root and proof below reads only complete subtrees inside
 * the tree of the requested size, at most 2 * 64 of them per hash. */
#ifndef SCRUTIN_TLOG_H
#define SCRUTIN_TLOG_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

#define SC_TLOG_HASH_BYTES 32
/** Longest proof for a tree of up to 2^64 - 1 leaves. */
#define SC_TLOG_MAX_PROOF 64
/** tlog-witness: at most 63 consistency-proof hashes in a request. */
#define SC_TLOG_WITNESS_MAX_PROOF 63
/** Longest key name / origin accepted (bytes). */
#define SC_TLOG_NAME_MAX 255
/** Most signature lines a note may carry (C2SP: verifiers accept >= 16). */
#define SC_NOTE_MAX_SIGS 100
/** Largest note (text + signatures) accepted by the parsers. */
#define SC_NOTE_MAX_BYTES 65536
/** Longest checkpoint text (origin, size, root, three newlines). */
#define SC_CHECKPOINT_TEXT_MAX (SC_TLOG_NAME_MAX + 21 + 45 + 3)

/* ------------------------------------------------------------------ */
/* RFC 6962 hashing                                                    */

/** SHA-256(0x00 || data): the leaf hash. */
SC_API void sc_tlog_leaf_hash(uint8_t out[32], const void *data, size_t len);
/** SHA-256(0x01 || left || right). */
SC_API void sc_tlog_node_hash(uint8_t out[32], const uint8_t left[32],
                              const uint8_t right[32]);
/** SHA-256(""): the root of the empty tree. */
SC_API void sc_tlog_empty_root(uint8_t out[32]);

/** Stored-hash reader: write node(level, index) to out. Returns SC_OK, or
 *  any error (passed through to the caller: SC_E_IO for a store that
 *  failed, SC_E_RANGE for a node it does not have). */
typedef sc_status (*sc_tlog_get_node)(void *ctx, unsigned level, uint64_t index,
                                      uint8_t out[32]);

/** The root of the first n leaves (n = 0: the empty root). */
SC_API SC_MUST_USE sc_status sc_tlog_root(uint8_t out[32], sc_tlog_get_node get,
                                          void *ctx, uint64_t n);
/** The stored hashes that appending leaf `n` (0-based, the tree had n
 *  leaves) creates: out[l] = node(l, n >> l) for l = 0 .. *count-1, where
 *  out[0] = leaf. Reads node(l, (n >> l) - 1) of the existing tree.
 *  *count <= 64. */
SC_API SC_MUST_USE sc_status sc_tlog_append_hashes(uint8_t out[64][32],
                                                   size_t *count,
                                                   sc_tlog_get_node get,
                                                   void *ctx, uint64_t n,
                                                   const uint8_t leaf[32]);

/** Inclusion proof of leaf `index` in the tree of `size` leaves (RFC 6962
 *  §2.1.1 PATH), written to proof[0..*n-1]. SC_E_INVALID if
 *  index >= size. */
SC_API SC_MUST_USE sc_status sc_tlog_inclusion_proof(uint8_t proof[][32],
                                                     size_t *n,
                                                     sc_tlog_get_node get,
                                                     void *ctx, uint64_t index,
                                                     uint64_t size);
/** Consistency proof from size1 to size2 (RFC 6962 §2.1.2 PROOF).
 *  0 < size1 <= size2 (SC_E_INVALID otherwise); size1 == size2 gives an
 *  empty proof. */
SC_API SC_MUST_USE sc_status
sc_tlog_consistency_proof(uint8_t proof[][32], size_t *n, sc_tlog_get_node get,
                          void *ctx, uint64_t size1, uint64_t size2);

/** RFC 9162 §2.1.3.2. SC_OK, or SC_E_VERIFY (wrong index/size, wrong
 *  number of hashes, root mismatch). Note: an inclusion proof does not
 *  bind the size; take size and root from one signed checkpoint. */
SC_API SC_MUST_USE sc_status sc_tlog_inclusion_verify(
    const uint8_t leaf[32], uint64_t index, uint64_t size,
    const uint8_t root[32], const uint8_t proof[][32], size_t n);
/** RFC 9162 §2.1.4.2 with the edge rules of DESIGN_NOTES §2.2: size1 > size2
 *  or size1 == 0 fail; size1 == size2 needs an empty proof and equal
 *  roots. SC_OK or SC_E_VERIFY. */
SC_API SC_MUST_USE sc_status sc_tlog_consistency_verify(
    uint64_t size1, const uint8_t root1[32], uint64_t size2,
    const uint8_t root2[32], const uint8_t proof[][32], size_t n);

/** An in-memory stored-hash tree (tests, tools, small logs). */
typedef struct sc_tlog_mem sc_tlog_mem;
SC_API SC_MUST_USE sc_status sc_tlog_mem_new(sc_tlog_mem **out);
SC_API void sc_tlog_mem_free(sc_tlog_mem *m);
/** Append one leaf hash (the leaf is index sc_tlog_mem_size before). */
SC_API SC_MUST_USE sc_status sc_tlog_mem_append(sc_tlog_mem *m,
                                                const uint8_t leaf[32]);
SC_API uint64_t sc_tlog_mem_size(const sc_tlog_mem *m);
/** The callback for an sc_tlog_mem (ctx = the sc_tlog_mem *). SC_E_RANGE
 *  for a node not (yet) complete. */
SC_API sc_status sc_tlog_mem_get(void *ctx, unsigned level, uint64_t index,
                                 uint8_t out[32]);

/* ------------------------------------------------------------------ */
/* Base64 (RFC 4648, standard alphabet, padded; canonical only)        */

/** Encoded length of n bytes (without NUL). */
SC_API size_t sc_b64_len(size_t n);
/** out gets sc_b64_len(n) + 1 bytes (NUL ended). SC_E_RANGE if cap is
 *  too small. */
SC_API SC_MUST_USE sc_status sc_b64_encode(char *out, size_t cap,
                                           const void *in, size_t n);
/** Strict decode (padding required, no whitespace, unused bits zero).
 *  SC_E_INVALID, or SC_E_RANGE if it does not fit in cap. */
SC_API SC_MUST_USE sc_status sc_b64_decode(uint8_t *out, size_t cap, size_t *n,
                                           const char *in, size_t len);

/* ------------------------------------------------------------------ */
/* Signed notes (C2SP signed-note) and vkeys                           */

#define SC_NOTE_ED25519 0x01 /* signed-note Ed25519 signature */
#define SC_NOTE_COSIG 0x04   /* tlog-cosignature/v1 Ed25519 */

/** A verifier key: name, key id, type and Ed25519 public key. */
typedef struct sc_vkey {
    char name[SC_TLOG_NAME_MAX + 1];
    uint32_t key_id;
    uint8_t type; /* SC_NOTE_ED25519 or SC_NOTE_COSIG */
    uint8_t pub[32];
} sc_vkey;

/** A key name: non-empty, <= 255 bytes, UTF-8, no space, no '+', no
 *  control character. 1 if valid. */
SC_API int sc_note_name_valid(const char *name, size_t len);
/** key ID = SHA-256(name || 0x0A || type || pub)[:4], big-endian. */
SC_API uint32_t sc_note_key_id(const char *name, uint8_t type,
                               const uint8_t pub[32]);
/** Fill a vkey from name, type and public key (computes the key id).
 *  SC_E_INVALID for a bad name or type. */
SC_API SC_MUST_USE sc_status sc_vkey_make(sc_vkey *out, const char *name,
                                          uint8_t type, const uint8_t pub[32]);
/** Parse `<name>+<8 hex>+<base64(type || pub)>` (split at the first two
 *  '+' only). Checks the key id against name, type and key. SC_E_INVALID
 *  or SC_E_VERIFY (key id mismatch). */
SC_API SC_MUST_USE sc_status sc_vkey_parse(sc_vkey *out, const char *s,
                                           size_t len);
/** Format as above into out (cap >= SC_VKEY_MAX). */
#define SC_VKEY_MAX (SC_TLOG_NAME_MAX + 1 + 8 + 1 + 44 + 1)
SC_API SC_MUST_USE sc_status sc_vkey_format(char *out, size_t cap,
                                            const sc_vkey *k);

typedef struct sc_note_sig {
    char name[SC_TLOG_NAME_MAX + 1];
    uint32_t key_id;
    uint8_t *sig; /* the signature after the 4-byte key id (owned) */
    size_t sig_len;
} sc_note_sig;

/** A parsed note. text (owned, NUL ended) is the signed text including
 *  its final newline. */
typedef struct sc_note {
    char *text;
    size_t text_len;
    sc_note_sig *sigs; /* owned */
    size_t nsigs;
} sc_note;

/** Parse a whole signed note: UTF-8, no control characters but '\n', text
 *  ending in '\n', a blank line, 1..SC_NOTE_MAX_SIGS lines
 *  "— <name> <base64(key id || sig)>\n", nothing after. SC_E_INVALID or
 *  SC_E_NOMEM; *out is zeroed on failure. */
SC_API SC_MUST_USE sc_status sc_note_parse(sc_note *out, const char *msg,
                                           size_t len);
/** Start an unsigned note with a copy of text (must satisfy the text
 *  rules above). */
SC_API SC_MUST_USE sc_status sc_note_init(sc_note *out, const char *text,
                                          size_t len);
SC_API void sc_note_clear(sc_note *n);
/** Append a signature line (copied). SC_E_RANGE when full. */
SC_API SC_MUST_USE sc_status sc_note_add_sig(sc_note *n, const char *name,
                                             uint32_t key_id,
                                             const uint8_t *sig,
                                             size_t sig_len);
/** Sign the text with an Ed25519 secret key (libsodium's 64-byte form)
 *  under `name` (type 0x01) and append the signature line. */
SC_API SC_MUST_USE sc_status sc_note_sign(sc_note *n, const char *name,
                                          const uint8_t sk[64]);
/** text || "\n" || signature lines, malloc'd, NUL ended. */
SC_API SC_MUST_USE sc_status sc_note_format(const sc_note *n, char **out,
                                            size_t *len);
/** Verify with known keys (type SC_NOTE_ED25519): lines of unknown keys
 *  are ignored; SC_E_VERIFY if a known key's signature fails or if no
 *  known key signed. *nverified (may be NULL) = how many verified. */
SC_API SC_MUST_USE sc_status sc_note_verify(const sc_note *n,
                                            const sc_vkey *keys, size_t nkeys,
                                            size_t *nverified);

/* ------------------------------------------------------------------ */
/* Checkpoints (C2SP tlog-checkpoint)                                  */

typedef struct sc_checkpoint {
    char origin[SC_TLOG_NAME_MAX + 1];
    uint64_t size;
    uint8_t root[32];
} sc_checkpoint;

/** Parse checkpoint note text: exactly "<origin>\n<size>\n<b64 root>\n"
 *  (origin non-empty, no control characters; size decimal without leading
 *  zeros; root 32 bytes). Extension lines are refused (the board writes
 *  none). SC_E_INVALID. */
SC_API SC_MUST_USE sc_status sc_checkpoint_parse(sc_checkpoint *out,
                                                 const char *text, size_t len);
/** Format the note text into out (cap >= SC_CHECKPOINT_TEXT_MAX + 1). */
SC_API SC_MUST_USE sc_status sc_checkpoint_format(char *out, size_t cap,
                                                  size_t *len,
                                                  const sc_checkpoint *cp);
/** Parse a signed checkpoint, verify it with the log's key (its name must
 *  equal the origin), and parse its text. note (may be NULL) keeps the
 *  parsed note (caller clears). SC_E_INVALID (malformed), SC_E_VERIFY (no
 *  valid signature by `log`, or origin != log->name). */
SC_API SC_MUST_USE sc_status sc_checkpoint_open(sc_checkpoint *cp,
                                                sc_note *note, const char *msg,
                                                size_t len, const sc_vkey *log);

/* ------------------------------------------------------------------ */
/* Cosignatures (C2SP tlog-cosignature/v1, Ed25519, type 0x04)         */

/** The signed message "cosignature/v1\ntime <t>\n" || checkpoint text,
 *  malloc'd. */
SC_API SC_MUST_USE sc_status sc_cosig_message(uint8_t **out, size_t *len,
                                              uint64_t time,
                                              const char *cp_text,
                                              size_t cp_len);
/** Cosign the note's text (a checkpoint) at `time` (POSIX seconds, > 0)
 *  with the witness key (64-byte libsodium form) and append the line. */
SC_API SC_MUST_USE sc_status sc_cosig_sign(sc_note *n, const char *name,
                                           const uint8_t sk[64], uint64_t time);
/** SC_OK if a line under witness key w (type SC_NOTE_COSIG) verifies;
 *  *time (may be NULL) gets its timestamp. SC_E_VERIFY if none does. */
SC_API SC_MUST_USE sc_status sc_cosig_verify(const sc_note *n, const sc_vkey *w,
                                             uint64_t *time);

/* ------------------------------------------------------------------ */
/* tlog-tiles                                                          */

#define SC_TILE_ENTRIES (-1) /* level for tile/entries/... */
#define SC_TILE_PATH_MAX 64

/** "tile/<L>/<N>[.p/<W>]" or (level SC_TILE_ENTRIES)
 *  "tile/entries/<N>[.p/<W>]"; width 256 = full, 1..255 partial. N is
 *  written in 3-digit groups, all but the last prefixed by 'x'. */
SC_API SC_MUST_USE sc_status sc_tile_path(char *out, size_t cap, int level,
                                          uint64_t n, unsigned width);
/** Parse the canonical form only (level 0..63 or entries, width 1..256).
 *  SC_E_INVALID. */
SC_API SC_MUST_USE sc_status sc_tile_path_parse(int *level, uint64_t *n,
                                                unsigned *width,
                                                const char *path, size_t len);
/** Width of tile (level, n) in the tree of `size` leaves: 256 if full,
 *  1..255 for the partial tile, 0 if the tile does not exist. For entry
 *  bundles use level 0. */
SC_API unsigned sc_tile_width(int level, uint64_t n, uint64_t size);
/** Content of hash tile (level, n) of width w: w hashes
 *  node(8*level, n*256 + j), j < w, concatenated into out (32*w bytes). */
SC_API SC_MUST_USE sc_status sc_tile_read(uint8_t *out, sc_tlog_get_node get,
                                          void *ctx, int level, uint64_t n,
                                          unsigned width);

/* ------------------------------------------------------------------ */
/* tlog-proof receipts (c2sp.org/tlog-proof@v1)                        */

typedef struct sc_tlog_proof {
    int has_extra;
    uint8_t *extra; /* owned; decoded `extra` line */
    size_t extra_len;
    uint64_t index;
    uint8_t hashes[SC_TLOG_MAX_PROOF][32];
    size_t nhashes;
    sc_note checkpoint; /* the signed checkpoint with cosignatures */
} sc_tlog_proof;

/** Parse "c2sp.org/tlog-proof@v1\n[extra <b64>\n]index <n>\n<b64>\n...\n\n"
 *  then the signed checkpoint. SC_E_INVALID; *out zeroed on failure. */
SC_API SC_MUST_USE sc_status sc_tlog_proof_parse(sc_tlog_proof *out,
                                                 const char *text, size_t len);
/** Format (malloc'd, NUL ended). */
SC_API SC_MUST_USE sc_status sc_tlog_proof_format(const sc_tlog_proof *p,
                                                  char **out, size_t *len);
SC_API void sc_tlog_proof_clear(sc_tlog_proof *p);

struct sc_witness_policy;
/** Verify a receipt for the entry with this leaf hash: the board's
 *  signature (origin = board->name), the witness quorum of `policy` (NULL:
 *  no quorum required), then inclusion of leaf at p->index in the
 *  checkpoint. cp (may be NULL) gets the checkpoint. SC_E_INVALID,
 *  SC_E_VERIFY. */
SC_API SC_MUST_USE sc_status sc_tlog_proof_verify(
    const sc_tlog_proof *p, const uint8_t leaf[32], const sc_vkey *board,
    const struct sc_witness_policy *policy, sc_checkpoint *cp);

/* ------------------------------------------------------------------ */
/* tlog-witness add-checkpoint                                         */

typedef struct sc_add_checkpoint {
    uint64_t old;
    uint8_t proof[SC_TLOG_WITNESS_MAX_PROOF][32];
    size_t nproof;
    char *signed_cp; /* owned: the signed checkpoint (note) as sent */
    size_t signed_cp_len;
} sc_add_checkpoint;

/** Parse "old <n>\n" <= 63 "<b64 hash>\n" "\n" <signed checkpoint>.
 *  SC_E_INVALID; *out zeroed on failure. The note itself is parsed by
 *  the caller (sc_checkpoint_open). */
SC_API SC_MUST_USE sc_status sc_add_checkpoint_parse(sc_add_checkpoint *out,
                                                     const char *body,
                                                     size_t len);
/** Format the body (malloc'd, NUL ended). */
SC_API SC_MUST_USE sc_status sc_add_checkpoint_format(
    char **out, size_t *len, uint64_t old, const uint8_t proof[][32],
    size_t nproof, const char *signed_cp, size_t signed_cp_len);
SC_API void sc_add_checkpoint_clear(sc_add_checkpoint *a);
/** The 409 body (text/x.tlog.size): "<size>\n". */
SC_API SC_MUST_USE sc_status sc_tlog_size_body_parse(uint64_t *size,
                                                     const char *body,
                                                     size_t len);

/* ------------------------------------------------------------------ */
/* Witness policy (docs/BOARD.md §3.3)                                 */

typedef struct sc_policy_witness {
    char name[SC_TLOG_NAME_MAX + 1];
    char party[128];
    sc_vkey vkey; /* type SC_NOTE_COSIG; vkey.name == name */
    char url[512];
} sc_policy_witness;

typedef struct sc_witness_policy {
    sc_policy_witness *w; /* owned */
    size_t n;
    int all_parties; /* quorum "all-parties" */
    unsigned k;      /* quorum "k-of-n:<k>" (0 if all_parties) */
} sc_witness_policy;

/** Parse the witness_policy payload JSON. Witness names and vkeys
 *  distinct; 1 <= k <= n. SC_E_INVALID (msg, if non-NULL, says why). */
SC_API SC_MUST_USE sc_status sc_witness_policy_parse(sc_witness_policy *out,
                                                     const char *json,
                                                     size_t len, char *msg,
                                                     size_t msg_cap);
SC_API void sc_witness_policy_clear(sc_witness_policy *p);
/** SC_OK if the valid cosignatures on n (a checkpoint note) meet the
 *  quorum (each witness counted once; invalid lines do not count).
 *  SC_E_VERIFY otherwise. *count (may be NULL) = witnesses that cosigned. */
SC_API SC_MUST_USE sc_status sc_witness_policy_check(const sc_witness_policy *p,
                                                     const sc_note *n,
                                                     size_t *count);

#endif
