/* The verifying witness: fetch, tree, and the transaction around the
 * entry rules of verify_entry.c. See verify_board.h. */
#include "witness/verify_board.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/httpc.h"
#include "net/payload.h"
#include "scrutin/core.h"
#include "scrutin/entry.h"
#include "witness/verify_int.h"

#define TILE_W 256
#define ENTRY_REC (2 + SC_ENTRY_BYTES) /* u16 length ‖ entry */

struct sc_wvb {
    sc_wvdb *db;
    char *url;
    sc_door *door; /* from entry 0, once verified */
    pthread_mutex_t lock;
};

sc_status sc_wvb_new(sc_wvb **out, const char *db_path, const char *board_url)
{
    if (out == NULL || db_path == NULL || board_url == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    sc_wvb *v = calloc(1, sizeof *v);
    if (v == NULL || (v->url = strdup(board_url)) == NULL) {
        free(v);
        return SC_E_NOMEM;
    }
    pthread_mutex_init(&v->lock, NULL);
    sc_status rc = sc_wvdb_open(&v->db, db_path);
    if (rc != SC_OK) {
        sc_wvb_free(v);
        return rc;
    }
    *out = v;
    return SC_OK;
}

void sc_wvb_free(sc_wvb *v)
{
    if (v == NULL) {
        return;
    }
    sc_wvdb_close(v->db);
    sc_door_free(v->door);
    pthread_mutex_destroy(&v->lock);
    free(v->url);
    free(v);
}

static sc_status get(sc_wvb *v, const char *path, sc_httpc_resp *r, char *why,
                     size_t wl)
{
    char *u = sc_httpc_url(v->url, path);
    if (u == NULL) {
        return SC_E_NOMEM;
    }
    const sc_httpc_opts o = {
        .connect_timeout_ms = 2000, .timeout_ms = 30000, .max_body = 8u << 20};
    char err[200] = "";
    memset(r, 0, sizeof *r);
    sc_status rc = sc_httpc_get(u, &o, r, err, sizeof err);
    if (rc == SC_OK && r->status != 200) {
        snprintf(err, sizeof err, "HTTP %ld", r->status);
        rc = SC_E_IO;
    }
    if (rc != SC_OK) {
        snprintf(why, wl, "cannot read %s from the board: %s", path, err);
        sc_httpc_resp_free(r);
        rc = rc == SC_E_NOMEM ? rc : SC_E_IO;
    }
    free(u);
    return rc;
}

/* Entries [from, to) from the entry tiles (docs/BOARD.md §4.2) into out
 * ((to - from) * 186 bytes). */
static sc_status fetch_entries(sc_wvb *v, uint64_t from, uint64_t to,
                               uint8_t *out, char *why, size_t wl)
{
    for (uint64_t t = from / TILE_W; t * TILE_W < to; t++) {
        uint64_t base = t * TILE_W;
        unsigned w = (unsigned)(to - base < TILE_W ? to - base : TILE_W);
        char path[SC_TILE_PATH_MAX + 2] = "/";
        if (sc_tile_path(path + 1, sizeof path - 1, SC_TILE_ENTRIES, t, w) !=
            SC_OK) {
            return SC_E_INTERNAL;
        }
        sc_httpc_resp r;
        sc_status rc = get(v, path, &r, why, wl);
        if (rc != SC_OK) {
            return rc;
        }
        if (r.len != (size_t)w * ENTRY_REC) {
            snprintf(why, wl, "board: entry tile %s has %zu bytes, not %zu",
                     path, r.len, (size_t)w * ENTRY_REC);
            sc_httpc_resp_free(&r);
            return SC_E_IO;
        }
        const uint8_t *b = (const uint8_t *)r.body;
        for (unsigned k = 0; k < w; k++) {
            const uint8_t *rec = b + (size_t)k * ENTRY_REC;
            if (rec[0] != 0 || rec[1] != SC_ENTRY_BYTES) {
                snprintf(why, wl, "board: entry tile %s: bad length", path);
                sc_httpc_resp_free(&r);
                return SC_E_IO;
            }
            if (base + k >= from) {
                memcpy(out + (base + k - from) * SC_ENTRY_BYTES, rec + 2,
                       SC_ENTRY_BYTES);
            }
        }
        sc_httpc_resp_free(&r);
    }
    return SC_OK;
}

/* The payload entry raw commits to, checked against its hash and
 * length; any failure is the board's (SC_E_IO: asked again later). */
static sc_status fetch_payload(sc_wvb *v, const uint8_t *raw, uint8_t **p,
                               size_t *len, char *why, size_t wl)
{
    sc_entry e;
    *p = NULL;
    *len = 0;
    if (sc_entry_decode(&e, raw, SC_ENTRY_BYTES) != SC_OK) {
        return SC_OK; /* wv_entry names the bad entry */
    }
    const sc_httpc_opts o = {
        .connect_timeout_ms = 2000, .timeout_ms = 30000, .max_body = 8u << 20};
    char err[300] = "";
    sc_status rc = sc_net_get_payload(v->url, &o, e.payload_sha256,
                                      e.payload_len, p, len, err, sizeof err);
    if (rc != SC_OK) {
        snprintf(why, wl, "board: %s", err);
        rc = rc == SC_E_NOMEM ? rc : SC_E_IO;
    }
    return rc;
}

/* Append the leaves of raw[0..n) at positions from.. to the stored
 * hashes. */
static sc_status append(sc_wvdb *db, uint64_t from, const uint8_t *raw,
                        uint64_t n)
{
    for (uint64_t k = 0; k < n; k++) {
        uint8_t leaf[32], hs[64][32];
        size_t cnt = 0;
        sc_tlog_leaf_hash(leaf, raw + k * SC_ENTRY_BYTES, SC_ENTRY_BYTES);
        sc_status rc = sc_tlog_append_hashes(hs, &cnt, sc_wvdb_node_cb, db,
                                             from + k, leaf);
        for (size_t l = 0; rc == SC_OK && l < cnt; l++) {
            rc = sc_wvdb_node_put(db, (unsigned)l, (from + k) >> l, hs[l]);
        }
        if (rc != SC_OK) {
            return rc == SC_E_NOMEM ? rc : SC_E_IO;
        }
    }
    return SC_OK;
}

static sc_status root_is(sc_wvdb *db, const sc_checkpoint *cp, char *why,
                         size_t wl)
{
    uint8_t root[32];
    sc_status rc = sc_tlog_root(root, sc_wvdb_node_cb, db, cp->size);
    if (rc != SC_OK) {
        snprintf(why, wl, "cannot compute the root of the verified entries");
        return SC_E_IO;
    }
    if (memcmp(root, cp->root, 32) != 0) {
        snprintf(why, wl,
                 "the board's entries 0..%llu do not give the root of its "
                 "checkpoint",
                 (unsigned long long)cp->size - 1);
        return SC_E_VERIFY;
    }
    return SC_OK;
}

/* Verify entries [st->size, cp->size) inside one transaction. */
static sc_status extend(sc_wvb *v, sc_wvdb_state *st, const sc_checkpoint *cp,
                        const char *log_vkey, char *why, size_t wl)
{
    uint64_t n = cp->size - st->size;
    uint8_t *raw = malloc((size_t)n * SC_ENTRY_BYTES);
    if (raw == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = fetch_entries(v, st->size, cp->size, raw, why, wl);
    if (rc == SC_OK) {
        rc = sc_wvdb_begin(v->db);
    }
    if (rc != SC_OK) {
        free(raw);
        return rc;
    }
    /* The tree first: a refusal then names an entry the board signed. */
    rc = append(v->db, st->size, raw, n);
    if (rc == SC_OK) {
        rc = root_is(v->db, cp, why, wl);
    }
    wv_run run = {v->db, st, &v->door, cp->origin, log_vkey, why, wl};
    for (uint64_t k = 0; rc == SC_OK && k < n; k++) {
        uint8_t *p = NULL;
        size_t len = 0;
        const uint8_t *e = raw + k * SC_ENTRY_BYTES;
        rc = fetch_payload(v, e, &p, &len, why, wl);
        if (rc == SC_OK) {
            rc = wv_entry(&run, st->size + k, e, p != NULL ? p : e, len);
        }
        free(p);
    }
    if (rc == SC_OK) {
        st->size = cp->size;
        rc = sc_wvdb_state_put(v->db, st);
    }
    if (rc == SC_OK) {
        rc = sc_wvdb_commit(v->db);
    }
    if (rc == SC_OK) {
        fprintf(stderr, "scrutin witness: verified entries %llu..%llu of %s\n",
                (unsigned long long)(cp->size - n),
                (unsigned long long)cp->size - 1, cp->origin);
    } else {
        sc_wvdb_rollback(v->db);
    }
    free(raw);
    return rc;
}

sc_status sc_wvb_check(sc_wvb *v, const sc_checkpoint *cp, const char *log_vkey,
                       char *why, size_t wl)
{
    if (v == NULL || cp == NULL || log_vkey == NULL || why == NULL) {
        return SC_E_MISUSE;
    }
    why[0] = '\0';
    pthread_mutex_lock(&v->lock);
    sc_wvdb_state st;
    sc_status rc = sc_wvdb_state_get(v->db, &st);
    if (rc == SC_OK && st.origin[0] != '\0' &&
        strcmp(st.origin, cp->origin) != 0) {
        snprintf(why, wl, "this witness verifies the log %s only", st.origin);
        rc = SC_E_IO;
    }
    char err[300] = "";
    if (rc == SC_OK && v->door == NULL && st.election != NULL &&
        sc_door_new_from_election(&v->door, st.election, st.election_len, 1,
                                  err, sizeof err) != SC_OK) {
        snprintf(why, wl, "the verified election: %s", err);
        rc = SC_E_IO;
    }
    if (rc == SC_OK) {
        rc = cp->size <= st.size ? root_is(v->db, cp, why, wl)
                                 : extend(v, &st, cp, log_vkey, why, wl);
    }
    if (rc != SC_OK && rc != SC_E_VERIFY && why[0] == '\0') {
        snprintf(why, wl, "verification failed: %s", sc_strerror(rc));
    }
    if (rc != SC_OK) {
        /* a rolled-back run may have built a door from entry 0 */
        sc_wvdb_state chk;
        if (sc_wvdb_state_get(v->db, &chk) == SC_OK && chk.election == NULL) {
            sc_door_free(v->door);
            v->door = NULL;
        }
        sc_wvdb_state_clear(&chk);
    }
    sc_wvdb_state_clear(&st);
    pthread_mutex_unlock(&v->lock);
    return rc == SC_OK || rc == SC_E_VERIFY ? rc : SC_E_IO;
}
