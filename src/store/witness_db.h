/* The witness's SQLite state (docs/BOARD.md §5): per log (origin) its
 * verifier key and the last checkpoint the witness cosigned (size, root,
 * the checkpoint with the board's signature and this witness's
 * cosignature); and an evidence table of every correctly board-signed
 * checkpoint it refused, with the reason and the checkpoint it had.
 *
 * WAL, synchronous=FULL. sc_wdb_update runs the compare and the update in
 * one BEGIN IMMEDIATE transaction and commits it before returning, so an
 * answer built after it is never lost by a crash. One handle per thread
 * (or the caller serialises). */
#ifndef SC_STORE_WITNESS_DB_H
#define SC_STORE_WITNESS_DB_H

#include <stddef.h>
#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"
#include "scrutin/tlog.h"

typedef struct sc_wdb sc_wdb;

/** One constructor for the witness's databases (sc_wdb here, sc_wvdb in
 *  store/witness_vdb.c): a zeroed handle of `size` bytes whose first
 *  member is the SQLite connection, on the file at path opened (created if
 *  needed) the witness's way (WAL, which must hold, synchronous=FULL, 10 s
 *  busy timeout), with schema run. SC_E_MISUSE, SC_E_NOMEM, SC_E_IO. */
SC_MUST_USE sc_status sc_wdb_handle_open(void **out, size_t size,
                                         const char *path, const char *schema);
/** Close a handle of sc_wdb_handle_open (NULL: nothing). */
void sc_wdb_handle_close(void *handle);
/** Open (creating if needed) the database file. SC_E_IO. */
SC_MUST_USE sc_status sc_wdb_open(sc_wdb **out, const char *path);
void sc_wdb_close(sc_wdb *db);
/** The last SQLite error message ("" if none). */
const char *sc_wdb_errmsg(const sc_wdb *db);

/** A log and what this witness last cosigned for it (size 0 and an empty
 *  checkpoint: nothing yet). */
typedef struct sc_wdb_log {
    char origin[SC_TLOG_NAME_MAX + 1];
    char vkey[SC_VKEY_MAX];
    uint64_t size;
    uint8_t root[32];
    char *checkpoint; /* malloc'd, NUL ended; "" if none */
} sc_wdb_log;
void sc_wdb_log_clear(sc_wdb_log *l);

/** Follow a log. SC_E_DUPLICATE if the origin is followed already. */
SC_MUST_USE sc_status sc_wdb_add_log(sc_wdb *db, const char *origin,
                                     const char *vkey);
/** SC_E_RANGE if the origin is not followed. */
SC_MUST_USE sc_status sc_wdb_get_log(sc_wdb *db, const char *origin,
                                     sc_wdb_log *out);
/** Call fn for each followed log, by origin. */
SC_MUST_USE sc_status sc_wdb_each_log(
    sc_wdb *db, void (*fn)(void *ctx, const sc_wdb_log *l), void *ctx);

/** What the decision callback returns: accept (new state), or refuse
 *  (optionally keeping evidence). */
typedef struct sc_wdb_decision {
    int accept;
    /* accept: the new state (checkpoint malloc'd by the callback, taken) */
    uint64_t size;
    uint8_t root[32];
    char *checkpoint;
    /* refuse: evidence (NULL reason: keep none). Borrowed strings. */
    const char *reason;
    const char *refused; /* the signed checkpoint refused */
    const char *request; /* the request body (old, proof) */
} sc_wdb_decision;

/** The compare-and-update: BEGIN IMMEDIATE; read the log's state; call
 *  decide(ctx, &state, &d) (state.checkpoint valid during the call); if
 *  d.accept write the new state, else if d.reason insert evidence (with
 *  the checkpoint the witness had); COMMIT (synchronous=FULL). Returns
 *  SC_OK once committed, SC_E_RANGE if the origin is not followed, SC_E_IO
 *  if the database failed (nothing changed). The callback must not touch
 *  the database. */
SC_MUST_USE sc_status sc_wdb_update(sc_wdb *db, const char *origin,
                                    void (*decide)(void *ctx,
                                                   const sc_wdb_log *cur,
                                                   sc_wdb_decision *d),
                                    void *ctx);

/** One evidence row. */
typedef struct sc_wdb_evidence {
    int64_t id;
    char origin[SC_TLOG_NAME_MAX + 1];
    int64_t time; /* POSIX seconds when refused */
    const char *reason, *refused, *had, *request;
} sc_wdb_evidence;
/** Call fn for every evidence row, oldest first. */
SC_MUST_USE sc_status sc_wdb_each_evidence(
    sc_wdb *db, void (*fn)(void *ctx, const sc_wdb_evidence *e), void *ctx);

#endif
