/* The verifying witness's SQLite state: see witness_vdb.h. */
#include "store/witness_vdb.h"

#include "store/witness_db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sc_wvdb {
    sqlite3 *db; /* first: sc_wdb_handle_open */
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS vstate(id INTEGER PRIMARY KEY CHECK(id = 1),"
    " origin TEXT NOT NULL, size INT NOT NULL, authority BLOB,"
    " auth_seq INT NOT NULL, devices INT NOT NULL, phase INT NOT NULL,"
    " election BLOB);"
    "CREATE TABLE IF NOT EXISTS vnode(level INT NOT NULL, n INT NOT NULL,"
    " hash BLOB NOT NULL, PRIMARY KEY(level, n)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS vdev(pub BLOB PRIMARY KEY, idx INT NOT NULL,"
    " name TEXT NOT NULL, simple INT NOT NULL, seq INT NOT NULL,"
    " ballots INT NOT NULL, last BLOB, closed INT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS vuniq(kind INT NOT NULL, v BLOB NOT NULL,"
    " PRIMARY KEY(kind, v)) WITHOUT ROWID;";

sc_status sc_wvdb_open(sc_wvdb **out, const char *path)
{
    void *h = NULL;
    sc_status rc = sc_wdb_handle_open(&h, sizeof(sc_wvdb), path, SCHEMA);
    if (out != NULL) {
        *out = h;
    }
    return rc;
}

void sc_wvdb_close(sc_wvdb *db)
{
    sc_wdb_handle_close(db);
}

void sc_wvdb_state_clear(sc_wvdb_state *s)
{
    if (s != NULL) {
        free(s->election);
        memset(s, 0, sizeof *s);
    }
}

static sqlite3_stmt *prep(sc_wvdb *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Step a write statement to its end and finalize it. */
static sc_status done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT) {
        return SC_E_DUPLICATE;
    }
    return rc == SQLITE_DONE ? SC_OK : SC_E_IO;
}

static void blob(sqlite3_stmt *st, int col, void *out, size_t n)
{
    const void *b = sqlite3_column_blob(st, col);
    if (b != NULL && (size_t)sqlite3_column_bytes(st, col) == n) {
        memcpy(out, b, n);
    } else {
        memset(out, 0, n);
    }
}

sc_status sc_wvdb_state_get(sc_wvdb *db, sc_wvdb_state *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prep(db, "SELECT origin, size, authority, auth_seq,"
                                " devices, phase, election FROM vstate");
    if (st == NULL) {
        return SC_E_IO;
    }
    sc_status rc = SC_OK;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const unsigned char *o = sqlite3_column_text(st, 0);
        snprintf(out->origin, sizeof out->origin, "%s",
                 o ? (const char *)o : "");
        out->size = (uint64_t)sqlite3_column_int64(st, 1);
        blob(st, 2, out->authority, 32);
        out->auth_seq = (uint32_t)sqlite3_column_int64(st, 3);
        out->devices = (uint32_t)sqlite3_column_int64(st, 4);
        out->phase = sqlite3_column_int(st, 5);
        int n = sqlite3_column_bytes(st, 6);
        const void *e = sqlite3_column_blob(st, 6);
        if (e != NULL && n > 0) {
            out->election = malloc((size_t)n);
            if (out->election == NULL) {
                rc = SC_E_NOMEM;
            } else {
                memcpy(out->election, e, (size_t)n);
                out->election_len = (size_t)n;
            }
        }
    } else if (r != SQLITE_DONE) {
        rc = SC_E_IO;
    }
    sqlite3_finalize(st);
    return rc;
}

sc_status sc_wvdb_state_put(sc_wvdb *db, const sc_wvdb_state *s)
{
    sqlite3_stmt *st = prep(
        db,
        "INSERT OR REPLACE INTO vstate(id, origin, size, authority,"
        " auth_seq, devices, phase, election) VALUES(1,?1,?2,?3,?4,?5,?6,?7)");
    if (st == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_text(st, 1, s->origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)s->size);
    sqlite3_bind_blob(st, 3, s->authority, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, s->auth_seq);
    sqlite3_bind_int64(st, 5, s->devices);
    sqlite3_bind_int(st, 6, s->phase);
    if (s->election != NULL) {
        sqlite3_bind_blob(st, 7, s->election, (int)s->election_len,
                          SQLITE_STATIC);
    }
    return done(st);
}

sc_status sc_wvdb_begin(sc_wvdb *db)
{
    return sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
                   SQLITE_OK
               ? SC_OK
               : SC_E_IO;
}

sc_status sc_wvdb_commit(sc_wvdb *db)
{
    if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) {
        return SC_OK;
    }
    sc_wvdb_rollback(db);
    return SC_E_IO;
}

void sc_wvdb_rollback(sc_wvdb *db)
{
    if (!sqlite3_get_autocommit(db->db)) {
        (void)sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

sc_status sc_wvdb_node_put(sc_wvdb *db, unsigned level, uint64_t n,
                           const uint8_t h[32])
{
    sqlite3_stmt *st = prep(
        db, "INSERT OR REPLACE INTO vnode(level, n, hash) VALUES(?1,?2,?3)");
    if (st == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
    sqlite3_bind_blob(st, 3, h, 32, SQLITE_STATIC);
    return done(st);
}

sc_status sc_wvdb_node_cb(void *ctx, unsigned level, uint64_t index,
                          uint8_t out[32])
{
    sc_wvdb *db = ctx;
    sqlite3_stmt *st =
        prep(db, "SELECT hash FROM vnode WHERE level = ?1 AND n = ?2");
    if (st == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    int r = sqlite3_step(st);
    sc_status rc = SC_E_RANGE;
    if (r == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
        memcpy(out, sqlite3_column_blob(st, 0), 32);
        rc = SC_OK;
    } else if (r != SQLITE_DONE && r != SQLITE_ROW) {
        rc = SC_E_IO;
    }
    sqlite3_finalize(st);
    return rc;
}

sc_status sc_wvdb_dev_get(sc_wvdb *db, const uint8_t pub[32], sc_wvdb_dev *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prep(db, "SELECT idx, name, simple, seq, ballots, last,"
                                " closed FROM vdev WHERE pub = ?1");
    if (st == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(st, 1, pub, 32, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sc_status rc = r == SQLITE_DONE ? SC_E_RANGE : SC_E_IO;
    if (r == SQLITE_ROW) {
        memcpy(out->pub, pub, 32);
        out->index = (uint32_t)sqlite3_column_int64(st, 0);
        const unsigned char *nm = sqlite3_column_text(st, 1);
        snprintf(out->name, sizeof out->name, "%s", nm ? (const char *)nm : "");
        out->simple = sqlite3_column_int(st, 2);
        out->seq = (uint32_t)sqlite3_column_int64(st, 3);
        out->ballots = (uint64_t)sqlite3_column_int64(st, 4);
        blob(st, 5, out->last, 32);
        out->closed = sqlite3_column_int(st, 6);
        rc = SC_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

sc_status sc_wvdb_dev_put(sc_wvdb *db, const sc_wvdb_dev *d)
{
    sqlite3_stmt *st = prep(db, "INSERT OR REPLACE INTO vdev(pub, idx, name,"
                                " simple, seq, ballots, last, closed)"
                                " VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
    if (st == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(st, 1, d->pub, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, d->index);
    sqlite3_bind_text(st, 3, d->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, d->simple);
    sqlite3_bind_int64(st, 5, d->seq);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)d->ballots);
    sqlite3_bind_blob(st, 7, d->last, 32, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, d->closed);
    return done(st);
}

sc_status sc_wvdb_uniq_add(sc_wvdb *db, int kind, const void *v, size_t len)
{
    sqlite3_stmt *st = prep(db, "INSERT INTO vuniq(kind, v) VALUES(?1, ?2)");
    if (st == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_STATIC);
    return done(st);
}

sc_status sc_wvdb_uniq_has(sc_wvdb *db, int kind, const void *v, size_t len,
                           int *found)
{
    *found = 0;
    sqlite3_stmt *st =
        prep(db, "SELECT 1 FROM vuniq WHERE kind = ?1 AND v = ?2");
    if (st == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    *found = r == SQLITE_ROW;
    return r == SQLITE_ROW || r == SQLITE_DONE ? SC_OK : SC_E_IO;
}
