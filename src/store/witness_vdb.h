/* The verifying witness's SQLite state (docs/BOARD.md §5.4), in the
 * witness's own witness.db (its own connection, its own tables): how far
 * it has verified the board's log, the RFC 6962 stored hashes of the
 * entries it verified (so any earlier root can be recomputed), the
 * devices registered so far with their sequence, ballot count and last
 * confirmation code, and the codes, id_B and labels seen (uniqueness).
 *
 * Everything is written between sc_wvdb_begin and sc_wvdb_commit (one
 * BEGIN IMMEDIATE transaction, synchronous=FULL): a verification either
 * lands whole, with the size it reached, or not at all, so a restart
 * resumes at the last verified size. One handle per thread (or the
 * caller serialises). */
#ifndef SC_STORE_WITNESS_VDB_H
#define SC_STORE_WITNESS_VDB_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"
#include "scrutin/tlog.h"

typedef struct sc_wvdb sc_wvdb;

/** Open (creating the tables if needed) the database file. SC_E_IO. */
SC_MUST_USE sc_status sc_wvdb_open(sc_wvdb **out, const char *path);
void sc_wvdb_close(sc_wvdb *db);

/** The verified prefix of the log. */
typedef struct sc_wvdb_state {
    char origin[SC_TLOG_NAME_MAX + 1]; /* "" before entry 0 */
    uint64_t size;                     /* entries 0..size-1 verified */
    uint8_t authority[32];
    uint32_t auth_seq; /* the authority's last seq */
    uint32_t devices;  /* devices registered */
    int phase;         /* 0 open, 1 counting (after tally), 2 closed */
    uint8_t *election; /* entry 0's payload (malloc'd), NULL before */
    size_t election_len;
} sc_wvdb_state;
void sc_wvdb_state_clear(sc_wvdb_state *s);

/** The state (size 0, no election if nothing verified yet). */
SC_MUST_USE sc_status sc_wvdb_state_get(sc_wvdb *db, sc_wvdb_state *out);
SC_MUST_USE sc_status sc_wvdb_state_put(sc_wvdb *db, const sc_wvdb_state *s);

SC_MUST_USE sc_status sc_wvdb_begin(sc_wvdb *db);
SC_MUST_USE sc_status sc_wvdb_commit(sc_wvdb *db);
void sc_wvdb_rollback(sc_wvdb *db);

/** Stored hash node(level, n) (docs/BOARD.md §7 `node`). */
SC_MUST_USE sc_status sc_wvdb_node_put(sc_wvdb *db, unsigned level, uint64_t n,
                                       const uint8_t h[32]);
/** An sc_tlog_get_node over the stored hashes (ctx = the sc_wvdb);
 *  SC_E_RANGE for a node it does not have. */
sc_status sc_wvdb_node_cb(void *ctx, unsigned level, uint64_t index,
                          uint8_t out[32]);

/** A registered device as the verifier tracks it. */
typedef struct sc_wvdb_dev {
    uint8_t pub[32];
    uint32_t index; /* d, 1-based */
    char name[256]; /* S_device */
    int simple;     /* chaining simple */
    uint32_t seq;   /* its last seq */
    uint64_t ballots;
    uint8_t last[32]; /* its last confirmation code */
    int closed;
} sc_wvdb_dev;
/** SC_E_RANGE if no device has this key. */
SC_MUST_USE sc_status sc_wvdb_dev_get(sc_wvdb *db, const uint8_t pub[32],
                                      sc_wvdb_dev *out);
SC_MUST_USE sc_status sc_wvdb_dev_put(sc_wvdb *db, const sc_wvdb_dev *d);

enum {
    SC_WVDB_CODE = 1,
    SC_WVDB_IDB = 2,
    SC_WVDB_LABEL = 3,
    SC_WVDB_WI_COUNT = 4, /* id_B of a write_in_count entry */
    SC_WVDB_WI_OPEN = 5   /* id_B of a write_in entry */
};
/** Record a ballot's code, id_B or label (or a write-in entry's id_B);
 *  SC_E_DUPLICATE if seen. */
SC_MUST_USE sc_status sc_wvdb_uniq_add(sc_wvdb *db, int kind, const void *v,
                                       size_t len);
/** *found = 1 if (kind, v) was recorded. */
SC_MUST_USE sc_status sc_wvdb_uniq_has(sc_wvdb *db, int kind, const void *v,
                                       size_t len, int *found);

#endif
