/* The witness's SQLite state: see witness_db.h. */
#include "store/witness_db.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sc_wdb {
    sqlite3 *db; /* first: sc_wdb_handle_open */
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS logs(origin TEXT PRIMARY KEY,"
    " vkey TEXT NOT NULL, size INT NOT NULL DEFAULT 0, root BLOB,"
    " checkpoint TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS evidence(id INTEGER PRIMARY KEY,"
    " origin TEXT NOT NULL, time INT NOT NULL, reason TEXT NOT NULL,"
    " refused TEXT NOT NULL, had TEXT NOT NULL, request TEXT NOT NULL);";

const char *sc_wdb_errmsg(const sc_wdb *db)
{
    return db && db->db ? sqlite3_errmsg(db->db) : "";
}

static sc_status sqlite_open(sqlite3 **out, const char *path,
                             const char *schema)
{
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(path, &h,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(h, 10000) != SQLITE_OK ||
        sqlite3_exec(h,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "PRAGMA foreign_keys=ON;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(h, schema, NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close_v2(h);
        return SC_E_IO;
    }
    /* WAL must really be on (it is not for some file systems). */
    sqlite3_stmt *st;
    int wal = 0;
    if (sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(st, 0);
            wal = m != NULL && strcmp(m, "wal") == 0;
        }
        sqlite3_finalize(st);
    }
    if (!wal) {
        sqlite3_close_v2(h);
        return SC_E_IO;
    }
    *out = h;
    return SC_OK;
}

sc_status sc_wdb_handle_open(void **out, size_t size, const char *path,
                             const char *schema)
{
    if (out == NULL || path == NULL || size < sizeof(sqlite3 *)) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    sqlite3 **conn = calloc(1, size); /* the handle's first member */
    if (conn == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = sqlite_open(conn, path, schema);
    if (rc != SC_OK) {
        free(conn);
        return rc;
    }
    *out = conn;
    return SC_OK;
}

void sc_wdb_handle_close(void *handle)
{
    if (handle != NULL) {
        sqlite3_close_v2(*(sqlite3 **)handle);
        free(handle);
    }
}

sc_status sc_wdb_open(sc_wdb **out, const char *path)
{
    void *h = NULL;
    sc_status rc = sc_wdb_handle_open(&h, sizeof(sc_wdb), path, SCHEMA);
    if (out != NULL) {
        *out = h;
    }
    return rc;
}

void sc_wdb_close(sc_wdb *db)
{
    sc_wdb_handle_close(db);
}

void sc_wdb_log_clear(sc_wdb_log *l)
{
    if (l != NULL) {
        free(l->checkpoint);
        memset(l, 0, sizeof *l);
    }
}

static int copy_text(char *dst, size_t cap, const unsigned char *s)
{
    size_t n = s ? strlen((const char *)s) : 0;
    if (n >= cap) {
        return 0;
    }
    memcpy(dst, s ? (const char *)s : "", n + 1);
    return 1;
}

/* Row (origin, vkey, size, root, checkpoint) -> l. */
static sc_status read_log(sqlite3_stmt *st, sc_wdb_log *l)
{
    memset(l, 0, sizeof *l);
    if (!copy_text(l->origin, sizeof l->origin, sqlite3_column_text(st, 0)) ||
        !copy_text(l->vkey, sizeof l->vkey, sqlite3_column_text(st, 1))) {
        return SC_E_INVALID;
    }
    l->size = (uint64_t)sqlite3_column_int64(st, 2);
    const void *root = sqlite3_column_blob(st, 3);
    if (root != NULL && sqlite3_column_bytes(st, 3) == 32) {
        memcpy(l->root, root, 32);
    }
    const unsigned char *cp = sqlite3_column_text(st, 4);
    l->checkpoint = strdup(cp ? (const char *)cp : "");
    return l->checkpoint ? SC_OK : SC_E_NOMEM;
}

#define LOG_COLS "SELECT origin, vkey, size, root, checkpoint FROM logs"

sc_status sc_wdb_add_log(sc_wdb *db, const char *origin, const char *vkey)
{
    if (db == NULL || origin == NULL || vkey == NULL) {
        return SC_E_MISUSE;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO logs(origin, vkey) VALUES(?1, ?2)", -1,
                           &st, NULL) != SQLITE_OK) {
        return SC_E_IO;
    }
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, vkey, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT) {
        return SC_E_DUPLICATE;
    }
    return rc == SQLITE_DONE ? SC_OK : SC_E_IO;
}

static sc_status get_log(sqlite3 *db, const char *origin, sc_wdb_log *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, LOG_COLS " WHERE origin = ?1", -1, &st, NULL) !=
        SQLITE_OK) {
        return SC_E_IO;
    }
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sc_status s = rc == SQLITE_ROW    ? read_log(st, out)
                  : rc == SQLITE_DONE ? SC_E_RANGE
                                      : SC_E_IO;
    sqlite3_finalize(st);
    return s;
}

sc_status sc_wdb_get_log(sc_wdb *db, const char *origin, sc_wdb_log *out)
{
    if (db == NULL || origin == NULL || out == NULL) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    return get_log(db->db, origin, out);
}

sc_status sc_wdb_each_log(sc_wdb *db,
                          void (*fn)(void *ctx, const sc_wdb_log *l), void *ctx)
{
    if (db == NULL || fn == NULL) {
        return SC_E_MISUSE;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, LOG_COLS " ORDER BY origin", -1, &st,
                           NULL) != SQLITE_OK) {
        return SC_E_IO;
    }
    int rc;
    sc_status s = SC_OK;
    while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sc_wdb_log l;
        s = read_log(st, &l);
        if (s == SC_OK) {
            fn(ctx, &l);
        }
        sc_wdb_log_clear(&l);
    }
    sqlite3_finalize(st);
    return s == SC_OK && rc != SQLITE_DONE ? SC_E_IO : s;
}

static sc_status write_state(sqlite3 *db, const char *origin,
                             const sc_wdb_decision *d)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "UPDATE logs SET size = ?2, root = ?3,"
                           " checkpoint = ?4 WHERE origin = ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        return SC_E_IO;
    }
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)d->size);
    sqlite3_bind_blob(st, 3, d->root, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->checkpoint, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && sqlite3_changes(db) == 1 ? SC_OK : SC_E_IO;
}

static sc_status write_evidence(sqlite3 *db, const char *origin,
                                const sc_wdb_decision *d, const char *had)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO evidence(origin, time, reason,"
                           " refused, had, request)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &st, NULL) != SQLITE_OK) {
        return SC_E_IO;
    }
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 3, d->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->refused ? d->refused : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, had, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, d->request ? d->request : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SC_OK : SC_E_IO;
}

sc_status sc_wdb_update(sc_wdb *db, const char *origin,
                        void (*decide)(void *ctx, const sc_wdb_log *cur,
                                       sc_wdb_decision *d),
                        void *ctx)
{
    if (db == NULL || origin == NULL || decide == NULL) {
        return SC_E_MISUSE;
    }
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        return SC_E_IO;
    }
    sc_wdb_log cur;
    sc_wdb_decision d;
    memset(&d, 0, sizeof d);
    sc_status s = get_log(db->db, origin, &cur);
    if (s == SC_OK) {
        decide(ctx, &cur, &d);
        if (d.accept) {
            s = d.checkpoint ? write_state(db->db, origin, &d) : SC_E_MISUSE;
        } else if (d.reason != NULL) {
            s = write_evidence(db->db, origin, &d, cur.checkpoint);
        }
    }
    free(d.checkpoint);
    sc_wdb_log_clear(&cur);
    if (s == SC_OK &&
        sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) {
        return SC_OK;
    }
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return s == SC_OK ? SC_E_IO : s;
}

sc_status sc_wdb_each_evidence(sc_wdb *db,
                               void (*fn)(void *ctx, const sc_wdb_evidence *e),
                               void *ctx)
{
    if (db == NULL || fn == NULL) {
        return SC_E_MISUSE;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT id, origin, time, reason, refused, had,"
                           " request FROM evidence ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK) {
        return SC_E_IO;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sc_wdb_evidence e;
        memset(&e, 0, sizeof e);
        e.id = sqlite3_column_int64(st, 0);
        copy_text(e.origin, sizeof e.origin, sqlite3_column_text(st, 1));
        e.time = sqlite3_column_int64(st, 2);
        e.reason = (const char *)sqlite3_column_text(st, 3);
        e.refused = (const char *)sqlite3_column_text(st, 4);
        e.had = (const char *)sqlite3_column_text(st, 5);
        e.request = (const char *)sqlite3_column_text(st, 6);
        fn(ctx, &e);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SC_OK : SC_E_IO;
}
