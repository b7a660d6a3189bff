/* The board's storage: one SQLite file (WAL, synchronous=FULL). Schema in
 * docs/BOARD.md §5. One writer connection (the sequencer's) and any number
 * of read-only connections (one per handler thread).
 *
 * Every function returns SC_OK, SC_E_RANGE (no such row), SC_E_DUPLICATE
 * (a UNIQUE constraint), SC_E_IO (SQLite failed: on SQLITE_FULL, IOERR or
 * CORRUPT the handle is marked failed, see sc_bdb_failed) or SC_E_NOMEM. */
#ifndef SC_STORE_BOARD_DB_H
#define SC_STORE_BOARD_DB_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

typedef struct sc_bdb sc_bdb;

enum {
    SC_BDB_CREATE = 1,   /* create the file and the schema (must not exist) */
    SC_BDB_READONLY = 2, /* a read-only connection */
};

SC_MUST_USE sc_status sc_bdb_open(sc_bdb **out, const char *path, int flags,
                                  char *err, size_t errlen);
void sc_bdb_close(sc_bdb *db);
/** 1 once SQLite reported a full disk, an I/O error or corruption: the
 *  caller must stop writing (read-only mode). */
int sc_bdb_failed(const sc_bdb *db);
/** Last SQLite error text (static or per-handle). */
const char *sc_bdb_errmsg(const sc_bdb *db);
/** Test hook: PRAGMA max_page_count = the current page count + n, to
 *  make the disk "full" after n more pages (SQLITE_FULL). */
SC_MUST_USE sc_status sc_bdb_limit_pages(sc_bdb *db, uint64_t n);

SC_MUST_USE sc_status sc_bdb_begin(sc_bdb *db);
/** COMMIT; durable (synchronous=FULL) when it returns SC_OK. */
SC_MUST_USE sc_status sc_bdb_commit(sc_bdb *db);
void sc_bdb_rollback(sc_bdb *db);

/* meta: small key-value pairs (origin, board_vkey, authority, phase). */
SC_MUST_USE sc_status sc_bdb_meta_put(sc_bdb *db, const char *k, const void *v,
                                      size_t len);
/** *v malloc'd and NUL ended (caller frees). */
SC_MUST_USE sc_status sc_bdb_meta_get(sc_bdb *db, const char *k, char **v,
                                      size_t *len);

/* entries and payloads */
typedef struct sc_bdb_entry {
    uint64_t idx;
    unsigned type;
    uint8_t entry[186];
    uint8_t leaf[32];
    uint8_t payload_sha256[32];
    uint8_t signer[32];
    uint32_t seq;
} sc_bdb_entry;

SC_MUST_USE sc_status sc_bdb_entry_put(sc_bdb *db, const sc_bdb_entry *e);
SC_MUST_USE sc_status sc_bdb_entry_get(sc_bdb *db, uint64_t idx,
                                       sc_bdb_entry *e);
/** The entry of (signer, seq); SC_E_RANGE if none. */
SC_MUST_USE sc_status sc_bdb_entry_by_seq(sc_bdb *db, const uint8_t signer[32],
                                          uint32_t seq, sc_bdb_entry *e);
/** Number of entries (max idx + 1). */
SC_MUST_USE sc_status sc_bdb_entry_count(sc_bdb *db, uint64_t *n);
/** Raw 186-byte entries [from, from+n) concatenated into out. */
SC_MUST_USE sc_status sc_bdb_entries_read(sc_bdb *db, uint64_t from, unsigned n,
                                          uint8_t *out);

/** The signer's entries with seq >= from and idx < below, by seq: up to
 *  max into out (*n of them). */
SC_MUST_USE sc_status sc_bdb_entries_of_signer(sc_bdb *db,
                                               const uint8_t signer[32],
                                               uint32_t from, uint64_t below,
                                               size_t max, sc_bdb_entry *out,
                                               size_t *n);
/** The nth (0-based) entry of `type` below index `below`, or with
 *  nth = UINT64_MAX the last one below it. SC_E_RANGE if none. */
SC_MUST_USE sc_status sc_bdb_entry_of_type(sc_bdb *db, unsigned type,
                                           uint64_t nth, uint64_t below,
                                           sc_bdb_entry *e);

/** Store a payload (no-op if that hash is there). */
SC_MUST_USE sc_status sc_bdb_payload_put(sc_bdb *db, const uint8_t sha[32],
                                         const void *body, size_t len);
/** *body malloc'd (caller frees). */
SC_MUST_USE sc_status sc_bdb_payload_get(sc_bdb *db, const uint8_t sha[32],
                                         uint8_t **body, size_t *len);

/* Merkle stored hashes: node(level, n) covers leaves [n*2^level, ...). */
SC_MUST_USE sc_status sc_bdb_node_put(sc_bdb *db, unsigned level, uint64_t n,
                                      const uint8_t hash[32]);
SC_MUST_USE sc_status sc_bdb_node_get(sc_bdb *db, unsigned level, uint64_t n,
                                      uint8_t hash[32]);
/** sc_tlog_get_node callback (ctx = sc_bdb *). */
sc_status sc_bdb_node_cb(void *ctx, unsigned level, uint64_t index,
                         uint8_t out[32]);

/* ballots: the uniqueness keys */
typedef struct sc_bdb_ballot {
    uint8_t code[32]; /* H_C */
    uint8_t id_b[32];
    const char *label; /* the ballot's id */
    uint64_t idx;
    uint32_t device;
    uint64_t dseq;
} sc_bdb_ballot;

SC_MUST_USE sc_status sc_bdb_ballot_put(sc_bdb *db, const sc_bdb_ballot *b);
/** Which of code / id_B / label is taken: *which = "confirmation code",
 *  "selection_encryption_identifier" or "ballot label" and SC_E_DUPLICATE,
 *  or SC_OK if none. */
SC_MUST_USE sc_status sc_bdb_ballot_taken(sc_bdb *db, const uint8_t code[32],
                                          const uint8_t id_b[32],
                                          const char *label,
                                          const char **which);
/** *found = 1 if a ballot with this selection_encryption_identifier is on
 *  the board. */
SC_MUST_USE sc_status sc_bdb_ballot_has_idb(sc_bdb *db, const uint8_t id_b[32],
                                            int *found);
/** Codes beginning with the first `nibbles` hex digits of prefix (a
 *  32-byte buffer), ascending: up to `max` (code, idx) pairs; *more = 1
 *  if there were more. */
SC_MUST_USE sc_status sc_bdb_codes(sc_bdb *db, const uint8_t prefix[32],
                                   unsigned nibbles, size_t max,
                                   uint8_t (*codes)[32], uint64_t *idx,
                                   size_t *n, int *more);

/* write-in entries (docs/BOARD.md §3.3): the id_B of each write_in_count
 * (kind 11) and write_in (kind 12) entry, one of each per ballot. */
/** SC_E_DUPLICATE if (kind, id_b) is there already. */
SC_MUST_USE sc_status sc_bdb_write_in_put(sc_bdb *db, unsigned kind,
                                          const uint8_t id_b[32], uint64_t idx);
SC_MUST_USE sc_status sc_bdb_write_in_has(sc_bdb *db, unsigned kind,
                                          const uint8_t id_b[32], int *found);

/* signers: the authority and the devices */
enum { SC_ROLE_AUTHORITY = 1, SC_ROLE_DEVICE = 2 };

typedef struct sc_bdb_signer {
    uint8_t pubkey[32];
    int role;
    uint32_t device;    /* device index d (devices) */
    char name[256];     /* S_device */
    uint32_t chaining;  /* 0 none, 1 simple */
    uint32_t last_seq;  /* signed entries so far */
    uint64_t ballots;   /* ballots so far */
    uint8_t last_h[32]; /* H_{j-1}: H_0 (eq 74) before the first ballot */
    int closed;
} sc_bdb_signer;

/** Insert or replace. */
SC_MUST_USE sc_status sc_bdb_signer_put(sc_bdb *db, const sc_bdb_signer *s);
SC_MUST_USE sc_status sc_bdb_signer_get(sc_bdb *db, const uint8_t pubkey[32],
                                        sc_bdb_signer *s);
/** Devices in index order: up to max. */
SC_MUST_USE sc_status sc_bdb_devices(sc_bdb *db, sc_bdb_signer *out, size_t max,
                                     size_t *n);
/** The number of registered devices. */
SC_MUST_USE sc_status sc_bdb_device_count(sc_bdb *db, uint32_t *n);

/* checkpoints and cosignatures */
SC_MUST_USE sc_status sc_bdb_checkpoint_put(sc_bdb *db, uint64_t size,
                                            const uint8_t root[32],
                                            const char *note);
/** The newest (largest) checkpoint; *note malloc'd. SC_E_RANGE if none. */
SC_MUST_USE sc_status sc_bdb_checkpoint_latest(sc_bdb *db, uint64_t *size,
                                               uint8_t root[32], char **note);
SC_MUST_USE sc_status sc_bdb_checkpoint_get(sc_bdb *db, uint64_t size,
                                            uint8_t root[32], char **note);
SC_MUST_USE sc_status sc_bdb_cosig_put(sc_bdb *db, uint64_t size,
                                       const char *witness, const char *line);
/** The cosignature lines for `size`, concatenated (each ends in '\n');
 *  *lines malloc'd ("" if none). */
SC_MUST_USE sc_status sc_bdb_cosigs(sc_bdb *db, uint64_t size, char **lines);
/** The sizes above `above` that have cosignature lines, largest first,
 *  at most max. */
SC_MUST_USE sc_status sc_bdb_cosigned_sizes(sc_bdb *db, uint64_t above,
                                            uint64_t *sizes, size_t max,
                                            size_t *n);
/** The size a witness last cosigned (0 if never). */
SC_MUST_USE sc_status sc_bdb_witness_size(sc_bdb *db, const char *witness,
                                          uint64_t *size);
SC_MUST_USE sc_status sc_bdb_witness_size_put(sc_bdb *db, const char *witness,
                                              uint64_t size);

#endif
