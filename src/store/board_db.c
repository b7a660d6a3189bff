/* The board's SQLite storage: see board_db.h and docs/BOARD.md §5. */
#include "store/board_db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char SCHEMA[] =
    "CREATE TABLE meta(k TEXT PRIMARY KEY, v BLOB NOT NULL);"
    "CREATE TABLE entries(idx INTEGER PRIMARY KEY, type INT NOT NULL,"
    " entry BLOB NOT NULL, leaf BLOB NOT NULL, payload_sha256 BLOB NOT NULL,"
    " signer BLOB NOT NULL, seq INT NOT NULL, UNIQUE(signer, seq));"
    "CREATE INDEX entries_type ON entries(type, idx);"
    "CREATE TABLE payloads(sha256 BLOB PRIMARY KEY, body BLOB NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE node(level INT NOT NULL, n INT NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY(level, n)) WITHOUT ROWID;"
    "CREATE TABLE ballots(code BLOB PRIMARY KEY, idx INT NOT NULL UNIQUE,"
    " id_b BLOB NOT NULL UNIQUE, label TEXT NOT NULL UNIQUE, device INT NOT "
    "NULL,"
    " dseq INT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE signers(pubkey BLOB PRIMARY KEY, role INT NOT NULL,"
    " device INT, name TEXT, chaining INT NOT NULL DEFAULT 0,"
    " last_seq INT NOT NULL DEFAULT 0, ballots INT NOT NULL DEFAULT 0,"
    " last_h BLOB, closed INT NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX signers_device ON signers(device);"
    "CREATE TABLE checkpoints(size INTEGER PRIMARY KEY, root BLOB NOT NULL,"
    " note TEXT NOT NULL);"
    "CREATE TABLE cosigs(size INT NOT NULL, witness TEXT NOT NULL,"
    " line TEXT NOT NULL, PRIMARY KEY(size, witness)) WITHOUT ROWID;"
    "CREATE TABLE witnesses(name TEXT PRIMARY KEY, size INT NOT NULL)"
    " WITHOUT ROWID;";
/* The write-in entries' id_B (kind = the entry type, 11 or 12): one of
 * each per ballot. Also created on a board made before it existed. */
static const char SCHEMA_WRITE_INS[] =
    "CREATE TABLE IF NOT EXISTS writeins(kind INT NOT NULL, id_b BLOB NOT "
    "NULL, idx INT NOT NULL, PRIMARY KEY(kind, id_b)) WITHOUT ROWID;";

enum {
    Q_META_PUT,
    Q_META_GET,
    Q_ENTRY_PUT,
    Q_ENTRY_GET,
    Q_ENTRY_BY_SEQ,
    Q_ENTRY_COUNT,
    Q_ENTRIES_READ,
    Q_BY_SIGNER,
    Q_NTH_OF_TYPE,
    Q_LAST_OF_TYPE,
    Q_PAYLOAD_PUT,
    Q_PAYLOAD_GET,
    Q_NODE_PUT,
    Q_NODE_GET,
    Q_BALLOT_PUT,
    Q_BALLOT_CODE,
    Q_BALLOT_IDB,
    Q_BALLOT_LABEL,
    Q_CODES,
    Q_SIGNER_PUT,
    Q_SIGNER_GET,
    Q_DEVICES,
    Q_DEVICE_COUNT,
    Q_CP_PUT,
    Q_CP_LATEST,
    Q_CP_GET,
    Q_COSIG_PUT,
    Q_COSIGS,
    Q_COSIGNED,
    Q_WIT_GET,
    Q_WIT_PUT,
    Q_WI_PUT,
    Q_WI_HAS,
    Q_COUNT
};

static const char *const SQL[Q_COUNT] = {
    [Q_META_PUT] = "INSERT OR REPLACE INTO meta(k, v) VALUES(?1, ?2)",
    [Q_META_GET] = "SELECT v FROM meta WHERE k = ?1",
    [Q_ENTRY_PUT] = "INSERT INTO entries(idx, type, entry, leaf, "
                    "payload_sha256, signer, seq) VALUES(?1,?2,?3,?4,?5,?6,?7)",
    [Q_ENTRY_GET] = "SELECT idx, type, entry, leaf, payload_sha256, signer, "
                    "seq FROM entries WHERE idx = ?1",
    [Q_ENTRY_BY_SEQ] = "SELECT idx, type, entry, leaf, payload_sha256, signer, "
                       "seq FROM entries WHERE signer = ?1 AND seq = ?2",
    [Q_ENTRY_COUNT] = "SELECT coalesce(max(idx) + 1, 0) FROM entries",
    [Q_ENTRIES_READ] = "SELECT entry FROM entries WHERE idx >= ?1 AND idx < "
                       "?2 ORDER BY idx",
    [Q_BY_SIGNER] = "SELECT idx, type, entry, leaf, payload_sha256, signer, "
                    "seq FROM entries WHERE signer = ?1 AND seq >= ?2 AND "
                    "idx < ?3 ORDER BY seq LIMIT ?4",
    [Q_NTH_OF_TYPE] = "SELECT idx, type, entry, leaf, payload_sha256, signer, "
                      "seq FROM entries WHERE type = ?1 AND idx < ?3 ORDER BY "
                      "idx LIMIT 1 OFFSET ?2",
    [Q_LAST_OF_TYPE] = "SELECT idx, type, entry, leaf, payload_sha256, "
                       "signer, seq FROM entries WHERE type = ?1 AND idx < ?2 "
                       "ORDER BY idx DESC LIMIT 1",
    [Q_PAYLOAD_PUT] = "INSERT OR IGNORE INTO payloads(sha256, body) "
                      "VALUES(?1, ?2)",
    [Q_PAYLOAD_GET] = "SELECT body FROM payloads WHERE sha256 = ?1",
    [Q_NODE_PUT] = "INSERT OR REPLACE INTO node(level, n, hash) "
                   "VALUES(?1,?2,?3)",
    [Q_NODE_GET] = "SELECT hash FROM node WHERE level = ?1 AND n = ?2",
    [Q_BALLOT_PUT] = "INSERT INTO ballots(code, idx, id_b, label, device, "
                     "dseq) VALUES(?1,?2,?3,?4,?5,?6)",
    [Q_BALLOT_CODE] = "SELECT 1 FROM ballots WHERE code = ?1",
    [Q_BALLOT_IDB] = "SELECT 1 FROM ballots WHERE id_b = ?1",
    [Q_BALLOT_LABEL] = "SELECT 1 FROM ballots WHERE label = ?1",
    [Q_CODES] = "SELECT code, idx FROM ballots WHERE code >= ?1 AND code < ?2 "
                "ORDER BY code LIMIT ?3",
    [Q_SIGNER_PUT] = "INSERT OR REPLACE INTO signers(pubkey, role, device, "
                     "name, chaining, last_seq, ballots, last_h, closed) "
                     "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [Q_SIGNER_GET] = "SELECT pubkey, role, device, name, chaining, last_seq, "
                     "ballots, last_h, closed FROM signers WHERE pubkey = ?1",
    [Q_DEVICES] = "SELECT pubkey, role, device, name, chaining, last_seq, "
                  "ballots, last_h, closed FROM signers WHERE role = 2 "
                  "ORDER BY device LIMIT ?1",
    [Q_DEVICE_COUNT] = "SELECT count(*) FROM signers WHERE role = 2",
    [Q_CP_PUT] = "INSERT INTO checkpoints(size, root, note) VALUES(?1,?2,?3)",
    [Q_CP_LATEST] = "SELECT size, root, note FROM checkpoints ORDER BY size "
                    "DESC LIMIT 1",
    [Q_CP_GET] = "SELECT size, root, note FROM checkpoints WHERE size = ?1",
    [Q_COSIG_PUT] = "INSERT OR REPLACE INTO cosigs(size, witness, line) "
                    "VALUES(?1,?2,?3)",
    [Q_COSIGS] = "SELECT line FROM cosigs WHERE size = ?1 ORDER BY witness",
    [Q_COSIGNED] = "SELECT DISTINCT size FROM cosigs WHERE size > ?1 "
                   "ORDER BY size DESC LIMIT ?2",
    [Q_WIT_GET] = "SELECT size FROM witnesses WHERE name = ?1",
    [Q_WIT_PUT] = "INSERT OR REPLACE INTO witnesses(name, size) VALUES(?1,?2)",
    [Q_WI_PUT] = "INSERT INTO writeins(kind, id_b, idx) VALUES(?1,?2,?3)",
    [Q_WI_HAS] = "SELECT 1 FROM writeins WHERE kind = ?1 AND id_b = ?2",
};

struct sc_bdb {
    sqlite3 *db;
    sqlite3_stmt *st[Q_COUNT];
    int failed;
    int readonly;
};

static sc_status fail_rc(sc_bdb *db, int rc)
{
    int prim = rc & 0xff;
    if (prim == SQLITE_FULL || prim == SQLITE_IOERR || prim == SQLITE_CORRUPT ||
        prim == SQLITE_NOTADB || prim == SQLITE_CANTOPEN) {
        db->failed = 1;
    }
    if (prim == SQLITE_CONSTRAINT) {
        return SC_E_DUPLICATE;
    }
    if (prim == SQLITE_NOMEM) {
        return SC_E_NOMEM;
    }
    return SC_E_IO;
}

static sqlite3_stmt *prep(sc_bdb *db, int q)
{
    if (db->st[q] == NULL) {
        if (sqlite3_prepare_v3(db->db, SQL[q], -1, SQLITE_PREPARE_PERSISTENT,
                               &db->st[q], NULL) != SQLITE_OK) {
            db->st[q] = NULL;
            return NULL;
        }
    }
    return db->st[q];
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Run a statement that returns no rows. */
static sc_status exec_st(sc_bdb *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    done(st);
    return rc == SQLITE_DONE ? SC_OK : fail_rc(db, rc);
}

static sc_status exec_sql(sc_bdb *db, const char *sql)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SC_OK : fail_rc(db, rc);
}

static void blob_out(uint8_t *out, size_t n, sqlite3_stmt *st, int col)
{
    const void *p = sqlite3_column_blob(st, col);
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    memset(out, 0, n);
    if (p != NULL) {
        memcpy(out, p, len < n ? len : n);
    }
}

sc_status sc_bdb_open(sc_bdb **out, const char *path, int flags, char *err,
                      size_t errlen)
{
    *out = NULL;
    if ((flags & SC_BDB_CREATE) && access(path, F_OK) == 0) {
        snprintf(err, errlen, "%s: already exists", path);
        return SC_E_DUPLICATE;
    }
    sc_bdb *db = calloc(1, sizeof *db);
    if (db == NULL) {
        return SC_E_NOMEM;
    }
    db->readonly = (flags & SC_BDB_READONLY) != 0;
    int of = db->readonly
                 ? SQLITE_OPEN_READONLY
                 : SQLITE_OPEN_READWRITE |
                       ((flags & SC_BDB_CREATE) ? SQLITE_OPEN_CREATE : 0);
    of |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &db->db, of, NULL);
    sc_status st = SC_OK;
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path,
                 db->db ? sqlite3_errmsg(db->db) : "cannot open");
        st = SC_E_IO;
        goto fail;
    }
    sqlite3_busy_timeout(db->db, 5000);
    if (!db->readonly) {
        /* WAL + FULL: a COMMIT that returned is on the disk (DESIGN_NOTES
         * §3.2 rule 1). Check that WAL really is on. */
        sqlite3_stmt *s = NULL;
        rc =
            sqlite3_prepare_v2(db->db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
        int wal = rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
                  strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
        sqlite3_finalize(s);
        if (!wal || exec_sql(db, "PRAGMA synchronous=FULL") != SC_OK ||
            exec_sql(db, "PRAGMA foreign_keys=ON") != SC_OK) {
            snprintf(err, errlen, "%s: cannot set WAL / synchronous=FULL",
                     path);
            st = SC_E_IO;
            goto fail;
        }
        if (flags & SC_BDB_CREATE) {
            st = exec_sql(db, "BEGIN");
            if (st == SC_OK) {
                st = exec_sql(db, SCHEMA);
            }
            if (st == SC_OK) {
                st = exec_sql(db, "COMMIT");
            }
            if (st != SC_OK) {
                snprintf(err, errlen, "%s: schema: %s", path,
                         sqlite3_errmsg(db->db));
                goto fail;
            }
        } else {
            /* Boards made before the per-signer index (§4.2) lack it;
             * without it the lookups of sc_bdb_entry_of_type only scan. */
            (void)exec_sql(db, "CREATE INDEX IF NOT EXISTS entries_type ON "
                               "entries(type, idx)");
        }
        if (exec_sql(db, SCHEMA_WRITE_INS) != SC_OK) {
            snprintf(err, errlen, "%s: schema: %s", path,
                     sqlite3_errmsg(db->db));
            st = SC_E_IO;
            goto fail;
        }
    }
    /* A file that is not a board database fails here. */
    sqlite3_stmt *s = prep(db, Q_ENTRY_COUNT);
    if (s == NULL) {
        snprintf(err, errlen, "%s: not a board database (%s)", path,
                 sqlite3_errmsg(db->db));
        st = SC_E_INVALID;
        goto fail;
    }
    *out = db;
    return SC_OK;
fail:
    sc_bdb_close(db);
    return st;
}

void sc_bdb_close(sc_bdb *db)
{
    if (db == NULL) {
        return;
    }
    for (int i = 0; i < Q_COUNT; i++) {
        sqlite3_finalize(db->st[i]);
    }
    sqlite3_close(db->db);
    free(db);
}

int sc_bdb_failed(const sc_bdb *db)
{
    return db->failed;
}

const char *sc_bdb_errmsg(const sc_bdb *db)
{
    return sqlite3_errmsg(db->db);
}

sc_status sc_bdb_limit_pages(sc_bdb *db, uint64_t n)
{
    char sql[64];
    sqlite3_stmt *pc = NULL;
    uint64_t cur = 0;
    if (sqlite3_prepare_v2(db->db, "PRAGMA page_count", -1, &pc, NULL) ==
            SQLITE_OK &&
        sqlite3_step(pc) == SQLITE_ROW) {
        cur = (uint64_t)sqlite3_column_int64(pc, 0);
    }
    sqlite3_finalize(pc);
    snprintf(sql, sizeof sql, "PRAGMA max_page_count=%llu",
             (unsigned long long)(cur + n));
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &s, NULL) != SQLITE_OK) {
        return SC_E_IO;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
    }
    sqlite3_finalize(s);
    return SC_OK;
}

sc_status sc_bdb_begin(sc_bdb *db)
{
    return exec_sql(db, "BEGIN IMMEDIATE");
}

sc_status sc_bdb_commit(sc_bdb *db)
{
    sc_status st = exec_sql(db, "COMMIT");
    if (st != SC_OK) {
        sc_bdb_rollback(db);
    }
    return st;
}

void sc_bdb_rollback(sc_bdb *db)
{
    if (!sqlite3_get_autocommit(db->db)) {
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* ------------------------------------------------------------------ meta */

sc_status sc_bdb_meta_put(sc_bdb *db, const char *k, const void *v, size_t len)
{
    sqlite3_stmt *s = prep(db, Q_META_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, v, (int)len, SQLITE_STATIC);
    return exec_st(db, s);
}

/* Copy a column into a malloc'd NUL-ended buffer. */
static sc_status col_dup(sqlite3_stmt *s, int col, char **v, size_t *len)
{
    const void *p = sqlite3_column_blob(s, col);
    size_t n = (size_t)sqlite3_column_bytes(s, col);
    char *b = malloc(n + 1);
    if (b == NULL) {
        return SC_E_NOMEM;
    }
    if (n > 0) {
        memcpy(b, p, n);
    }
    b[n] = '\0';
    *v = b;
    if (len != NULL) {
        *len = n;
    }
    return SC_OK;
}

/* Step a one-row query: SC_OK with the row, SC_E_RANGE without. The
 * caller calls done(s). */
static sc_status step_row(sc_bdb *db, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        return SC_OK;
    }
    return rc == SQLITE_DONE ? SC_E_RANGE : fail_rc(db, rc);
}

sc_status sc_bdb_meta_get(sc_bdb *db, const char *k, char **v, size_t *len)
{
    *v = NULL;
    sqlite3_stmt *s = prep(db, Q_META_GET);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
    sc_status st = step_row(db, s);
    if (st == SC_OK) {
        st = col_dup(s, 0, v, len);
    }
    done(s);
    return st;
}

/* -------------------------------------------------------- entries, payloads */

sc_status sc_bdb_entry_put(sc_bdb *db, const sc_bdb_entry *e)
{
    sqlite3_stmt *s = prep(db, Q_ENTRY_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)e->idx);
    sqlite3_bind_int(s, 2, (int)e->type);
    sqlite3_bind_blob(s, 3, e->entry, sizeof e->entry, SQLITE_STATIC);
    sqlite3_bind_blob(s, 4, e->leaf, 32, SQLITE_STATIC);
    sqlite3_bind_blob(s, 5, e->payload_sha256, 32, SQLITE_STATIC);
    sqlite3_bind_blob(s, 6, e->signer, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, e->seq);
    return exec_st(db, s);
}

static void entry_row(sqlite3_stmt *s, sc_bdb_entry *e)
{
    e->idx = (uint64_t)sqlite3_column_int64(s, 0);
    e->type = (unsigned)sqlite3_column_int(s, 1);
    blob_out(e->entry, sizeof e->entry, s, 2);
    blob_out(e->leaf, 32, s, 3);
    blob_out(e->payload_sha256, 32, s, 4);
    blob_out(e->signer, 32, s, 5);
    e->seq = (uint32_t)sqlite3_column_int64(s, 6);
}

/* The one row of an entry query (bound), then reset. */
static sc_status one_entry(sc_bdb *db, sqlite3_stmt *s, sc_bdb_entry *e)
{
    sc_status st = step_row(db, s);
    if (st == SC_OK) {
        entry_row(s, e);
    }
    done(s);
    return st;
}

sc_status sc_bdb_entry_get(sc_bdb *db, uint64_t idx, sc_bdb_entry *e)
{
    sqlite3_stmt *s = prep(db, Q_ENTRY_GET);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)idx);
    return one_entry(db, s, e);
}

sc_status sc_bdb_entry_by_seq(sc_bdb *db, const uint8_t signer[32],
                              uint32_t seq, sc_bdb_entry *e)
{
    sqlite3_stmt *s = prep(db, Q_ENTRY_BY_SEQ);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, signer, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, seq);
    return one_entry(db, s, e);
}

sc_status sc_bdb_entry_count(sc_bdb *db, uint64_t *n)
{
    sqlite3_stmt *s = prep(db, Q_ENTRY_COUNT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sc_status st = step_row(db, s);
    *n = st == SC_OK ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
    done(s);
    return st;
}

sc_status sc_bdb_entries_read(sc_bdb *db, uint64_t from, unsigned n,
                              uint8_t *out)
{
    sqlite3_stmt *s = prep(db, Q_ENTRIES_READ);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)from);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)(from + n));
    unsigned got = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && got < n) {
        blob_out(out + (size_t)got * 186, 186, s, 0);
        got++;
    }
    done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return fail_rc(db, rc);
    }
    return got == n ? SC_OK : SC_E_RANGE;
}

sc_status sc_bdb_entries_of_signer(sc_bdb *db, const uint8_t signer[32],
                                   uint32_t from, uint64_t below, size_t max,
                                   sc_bdb_entry *out, size_t *n)
{
    *n = 0;
    sqlite3_stmt *s = prep(db, Q_BY_SIGNER);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, signer, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)below);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        entry_row(s, &out[(*n)++]);
    }
    if (*n < max && rc != SQLITE_DONE) {
        done(s);
        return fail_rc(db, rc);
    }
    done(s);
    return SC_OK;
}

sc_status sc_bdb_entry_of_type(sc_bdb *db, unsigned type, uint64_t nth,
                               uint64_t below, sc_bdb_entry *e)
{
    int last = nth == UINT64_MAX;
    sqlite3_stmt *s = prep(db, last ? Q_LAST_OF_TYPE : Q_NTH_OF_TYPE);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(s, 1, (int)type);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)(last ? below : nth));
    if (!last) {
        sqlite3_bind_int64(s, 3, (sqlite3_int64)below);
    }
    return one_entry(db, s, e);
}

sc_status sc_bdb_payload_put(sc_bdb *db, const uint8_t sha[32],
                             const void *body, size_t len)
{
    sqlite3_stmt *s = prep(db, Q_PAYLOAD_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, sha, 32, SQLITE_STATIC);
    sqlite3_bind_blob64(s, 2, len > 0 ? body : "", len, SQLITE_STATIC);
    return exec_st(db, s);
}

sc_status sc_bdb_payload_get(sc_bdb *db, const uint8_t sha[32], uint8_t **body,
                             size_t *len)
{
    *body = NULL;
    sqlite3_stmt *s = prep(db, Q_PAYLOAD_GET);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, sha, 32, SQLITE_STATIC);
    sc_status st = step_row(db, s);
    if (st == SC_OK) {
        st = col_dup(s, 0, (char **)body, len);
    }
    done(s);
    return st;
}

/* ------------------------------------------------------------------ nodes */

sc_status sc_bdb_node_put(sc_bdb *db, unsigned level, uint64_t n,
                          const uint8_t hash[32])
{
    sqlite3_stmt *s = prep(db, Q_NODE_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(s, 1, (int)level);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)n);
    sqlite3_bind_blob(s, 3, hash, 32, SQLITE_STATIC);
    return exec_st(db, s);
}

sc_status sc_bdb_node_get(sc_bdb *db, unsigned level, uint64_t n,
                          uint8_t hash[32])
{
    sqlite3_stmt *s = prep(db, Q_NODE_GET);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(s, 1, (int)level);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)n);
    sc_status st = step_row(db, s);
    if (st == SC_OK) {
        if (sqlite3_column_bytes(s, 0) != 32) {
            st = SC_E_IO;
        } else {
            blob_out(hash, 32, s, 0);
        }
    }
    done(s);
    return st;
}

sc_status sc_bdb_node_cb(void *ctx, unsigned level, uint64_t index,
                         uint8_t out[32])
{
    return sc_bdb_node_get(ctx, level, index, out);
}

/* ---------------------------------------------------------------- ballots */

sc_status sc_bdb_ballot_put(sc_bdb *db, const sc_bdb_ballot *b)
{
    sqlite3_stmt *s = prep(db, Q_BALLOT_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, b->code, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)b->idx);
    sqlite3_bind_blob(s, 3, b->id_b, 32, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, b->label, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, b->device);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)b->dseq);
    return exec_st(db, s);
}

static sc_status exists_blob(sc_bdb *db, int q, const void *v, int len,
                             int text, int *found)
{
    sqlite3_stmt *s = prep(db, q);
    if (s == NULL) {
        return SC_E_IO;
    }
    if (text) {
        sqlite3_bind_text(s, 1, v, len, SQLITE_STATIC);
    } else {
        sqlite3_bind_blob(s, 1, v, len, SQLITE_STATIC);
    }
    sc_status st = step_row(db, s);
    done(s);
    *found = st == SC_OK;
    return st == SC_E_RANGE ? SC_OK : st;
}

sc_status sc_bdb_ballot_taken(sc_bdb *db, const uint8_t code[32],
                              const uint8_t id_b[32], const char *label,
                              const char **which)
{
    int f = 0;
    sc_status st = exists_blob(db, Q_BALLOT_CODE, code, 32, 0, &f);
    if (st == SC_OK && f) {
        *which = "confirmation code";
        return SC_E_DUPLICATE;
    }
    if (st == SC_OK) {
        st = exists_blob(db, Q_BALLOT_IDB, id_b, 32, 0, &f);
    }
    if (st == SC_OK && f) {
        *which = "selection_encryption_identifier";
        return SC_E_DUPLICATE;
    }
    if (st == SC_OK) {
        st = exists_blob(db, Q_BALLOT_LABEL, label, -1, 1, &f);
    }
    if (st == SC_OK && f) {
        *which = "ballot label";
        return SC_E_DUPLICATE;
    }
    return st;
}

sc_status sc_bdb_ballot_has_idb(sc_bdb *db, const uint8_t id_b[32], int *found)
{
    *found = 0;
    return exists_blob(db, Q_BALLOT_IDB, id_b, 32, 0, found);
}

sc_status sc_bdb_write_in_put(sc_bdb *db, unsigned kind, const uint8_t id_b[32],
                              uint64_t idx)
{
    sqlite3_stmt *s = prep(db, Q_WI_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(s, 1, (int)kind);
    sqlite3_bind_blob(s, 2, id_b, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)idx);
    return exec_st(db, s);
}

sc_status sc_bdb_write_in_has(sc_bdb *db, unsigned kind, const uint8_t id_b[32],
                              int *found)
{
    *found = 0;
    sqlite3_stmt *s = prep(db, Q_WI_HAS);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int(s, 1, (int)kind);
    sqlite3_bind_blob(s, 2, id_b, 32, SQLITE_STATIC);
    sc_status st = step_row(db, s);
    done(s);
    *found = st == SC_OK;
    return st == SC_E_RANGE ? SC_OK : st;
}

sc_status sc_bdb_codes(sc_bdb *db, const uint8_t prefix[32], unsigned nibbles,
                       size_t max, uint8_t (*codes)[32], uint64_t *idx,
                       size_t *n, int *more)
{
    *n = 0;
    *more = 0;
    if (nibbles > 64) {
        return SC_E_INVALID;
    }
    /* [lo, hi): lo = prefix padded with 0, hi = prefix + 1 at its last
     * digit (or no upper bound when the prefix is all f). */
    uint8_t lo[32], hi[33];
    memset(lo, 0, sizeof lo);
    size_t full = nibbles / 2;
    memcpy(lo, prefix, full);
    if (nibbles % 2) {
        lo[full] = prefix[full] & 0xf0;
    }
    size_t hlen = (nibbles + 1) / 2;
    memcpy(hi, lo, 32);
    unsigned step = (nibbles % 2) ? 0x10 : 0x01;
    int carry = 1;
    for (size_t i = hlen; i-- > 0 && carry;) {
        unsigned v = hi[i] + (i == hlen - 1 ? step : 1u);
        hi[i] = (uint8_t)v;
        carry = v > 0xff;
    }
    sqlite3_stmt *s = prep(db, Q_CODES);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, lo, 32, SQLITE_STATIC);
    if (carry || nibbles == 0) {
        static const uint8_t top[33] = {
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
        sqlite3_bind_blob(s, 2, top, 33, SQLITE_STATIC);
    } else {
        sqlite3_bind_blob(s, 2, hi, (int)hlen, SQLITE_STATIC);
    }
    sqlite3_bind_int64(s, 3, (sqlite3_int64)max + 1);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == max) {
            *more = 1;
            break;
        }
        blob_out(codes[*n], 32, s, 0);
        idx[*n] = (uint64_t)sqlite3_column_int64(s, 1);
        (*n)++;
    }
    done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SC_OK : fail_rc(db, rc);
}

/* ---------------------------------------------------------------- signers */

sc_status sc_bdb_signer_put(sc_bdb *db, const sc_bdb_signer *g)
{
    sqlite3_stmt *s = prep(db, Q_SIGNER_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, g->pubkey, 32, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, g->role);
    if (g->role == SC_ROLE_DEVICE) {
        sqlite3_bind_int64(s, 3, g->device);
    } else {
        sqlite3_bind_null(s, 3);
    }
    sqlite3_bind_text(s, 4, g->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, (int)g->chaining);
    sqlite3_bind_int64(s, 6, g->last_seq);
    sqlite3_bind_int64(s, 7, (sqlite3_int64)g->ballots);
    sqlite3_bind_blob(s, 8, g->last_h, 32, SQLITE_STATIC);
    sqlite3_bind_int(s, 9, g->closed);
    return exec_st(db, s);
}

static void signer_row(sqlite3_stmt *s, sc_bdb_signer *g)
{
    memset(g, 0, sizeof *g);
    blob_out(g->pubkey, 32, s, 0);
    g->role = sqlite3_column_int(s, 1);
    g->device = (uint32_t)sqlite3_column_int64(s, 2);
    const unsigned char *t = sqlite3_column_text(s, 3);
    snprintf(g->name, sizeof g->name, "%s", t != NULL ? (const char *)t : "");
    g->chaining = (uint32_t)sqlite3_column_int(s, 4);
    g->last_seq = (uint32_t)sqlite3_column_int64(s, 5);
    g->ballots = (uint64_t)sqlite3_column_int64(s, 6);
    blob_out(g->last_h, 32, s, 7);
    g->closed = sqlite3_column_int(s, 8);
}

sc_status sc_bdb_signer_get(sc_bdb *db, const uint8_t pubkey[32],
                            sc_bdb_signer *g)
{
    sqlite3_stmt *s = prep(db, Q_SIGNER_GET);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_blob(s, 1, pubkey, 32, SQLITE_STATIC);
    sc_status st = step_row(db, s);
    if (st == SC_OK) {
        signer_row(s, g);
    }
    done(s);
    return st;
}

sc_status sc_bdb_devices(sc_bdb *db, sc_bdb_signer *out, size_t max, size_t *n)
{
    *n = 0;
    sqlite3_stmt *s = prep(db, Q_DEVICES);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        signer_row(s, &out[(*n)++]);
    }
    done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SC_OK : fail_rc(db, rc);
}

sc_status sc_bdb_device_count(sc_bdb *db, uint32_t *n)
{
    sqlite3_stmt *s = prep(db, Q_DEVICE_COUNT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sc_status st = step_row(db, s);
    *n = st == SC_OK ? (uint32_t)sqlite3_column_int64(s, 0) : 0;
    done(s);
    return st;
}

/* ------------------------------------------------- checkpoints, cosigs */

sc_status sc_bdb_checkpoint_put(sc_bdb *db, uint64_t size,
                                const uint8_t root[32], const char *note)
{
    sqlite3_stmt *s = prep(db, Q_CP_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)size);
    sqlite3_bind_blob(s, 2, root, 32, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, note, -1, SQLITE_STATIC);
    return exec_st(db, s);
}

static sc_status cp_row(sc_bdb *db, sqlite3_stmt *s, uint64_t *size,
                        uint8_t root[32], char **note)
{
    sc_status st = step_row(db, s);
    if (st == SC_OK) {
        if (size != NULL) {
            *size = (uint64_t)sqlite3_column_int64(s, 0);
        }
        blob_out(root, 32, s, 1);
        if (note != NULL) {
            st = col_dup(s, 2, note, NULL);
        }
    }
    done(s);
    return st;
}

sc_status sc_bdb_checkpoint_latest(sc_bdb *db, uint64_t *size, uint8_t root[32],
                                   char **note)
{
    if (note != NULL) {
        *note = NULL;
    }
    sqlite3_stmt *s = prep(db, Q_CP_LATEST);
    return s == NULL ? SC_E_IO : cp_row(db, s, size, root, note);
}

sc_status sc_bdb_checkpoint_get(sc_bdb *db, uint64_t size, uint8_t root[32],
                                char **note)
{
    if (note != NULL) {
        *note = NULL;
    }
    sqlite3_stmt *s = prep(db, Q_CP_GET);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)size);
    return cp_row(db, s, NULL, root, note);
}

sc_status sc_bdb_cosig_put(sc_bdb *db, uint64_t size, const char *witness,
                           const char *line)
{
    sqlite3_stmt *s = prep(db, Q_COSIG_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)size);
    sqlite3_bind_text(s, 2, witness, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, line, -1, SQLITE_STATIC);
    return exec_st(db, s);
}

sc_status sc_bdb_cosigs(sc_bdb *db, uint64_t size, char **lines)
{
    *lines = NULL;
    sqlite3_stmt *s = prep(db, Q_COSIGS);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)size);
    size_t len = 0;
    char *b = calloc(1, 1);
    int rc;
    while (b != NULL && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        size_t tl = t != NULL ? strlen(t) : 0;
        char *nb = realloc(b, len + tl + 2);
        if (nb == NULL) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        memcpy(b + len, t, tl);
        len += tl;
        if (tl == 0 || b[len - 1] != '\n') {
            b[len++] = '\n';
        }
        b[len] = '\0';
    }
    done(s);
    if (b == NULL) {
        return SC_E_NOMEM;
    }
    *lines = b;
    return SC_OK;
}

sc_status sc_bdb_cosigned_sizes(sc_bdb *db, uint64_t above, uint64_t *sizes,
                                size_t max, size_t *n)
{
    *n = 0;
    sqlite3_stmt *s = prep(db, Q_COSIGNED);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)above);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        sizes[(*n)++] = (uint64_t)sqlite3_column_int64(s, 0);
    }
    done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SC_OK : fail_rc(db, rc);
}

sc_status sc_bdb_witness_size(sc_bdb *db, const char *witness, uint64_t *size)
{
    *size = 0;
    sqlite3_stmt *s = prep(db, Q_WIT_GET);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_text(s, 1, witness, -1, SQLITE_STATIC);
    sc_status st = step_row(db, s);
    if (st == SC_OK) {
        *size = (uint64_t)sqlite3_column_int64(s, 0);
    }
    done(s);
    return st == SC_E_RANGE ? SC_OK : st;
}

sc_status sc_bdb_witness_size_put(sc_bdb *db, const char *witness,
                                  uint64_t size)
{
    sqlite3_stmt *s = prep(db, Q_WIT_PUT);
    if (s == NULL) {
        return SC_E_IO;
    }
    sqlite3_bind_text(s, 1, witness, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)size);
    return exec_st(db, s);
}
