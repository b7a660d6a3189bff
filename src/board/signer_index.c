/* GET /v1/signer/<key>[?from=<seq>] (docs/BOARD.md §4.2): one signer's
 * entries from a sequence number on, and a device's registration, each
 * with its inclusion proof against the newest checkpoint, so that a
 * device finds its place in the log in O(log n) requests and hashes.
 * The client checks the answer with sc_signer_index_verify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_int.h"
#include "scrutin/json.h"
#include "scrutin/signer_index.h"

/* {"index":i,"entry":"<372 hex>","proof":"<64 hex per hash>"} */
static sc_json *item_json(sc_bdb *db, const sc_bdb_entry *e, uint64_t size)
{
    uint8_t proof[SC_TLOG_MAX_PROOF][32];
    size_t n = 0;
    char ehex[2 * SC_ENTRY_BYTES + 1], phex[2 * 32 * SC_TLOG_MAX_PROOF + 1];
    if (sc_tlog_inclusion_proof(proof, &n, sc_bdb_node_cb, db, e->idx, size) !=
        SC_OK) {
        return NULL;
    }
    bd_hex(ehex, e->entry, SC_ENTRY_BYTES);
    bd_hex(phex, &proof[0][0], 32 * n);
    sc_json *o = sc_json_object();
    if (o == NULL || sc_json_put_u64(o, "index", e->idx) != SC_OK ||
        sc_json_put_str(o, "entry", ehex) != SC_OK ||
        sc_json_put_str(o, "proof", phex) != SC_OK) {
        sc_json_free(o);
        return NULL;
    }
    return o;
}

/* The answer, or NULL (storage or memory). */
static sc_json *answer(sc_bdb *db, const sc_bdb_signer *s, uint32_t from,
                       const char *cp, uint64_t size, sc_bdb_entry *es,
                       size_t n)
{
    char hex[65];
    int truncated = n > SC_SINDEX_PAGE;
    n = truncated ? SC_SINDEX_PAGE : n;
    bd_hex(hex, s->pubkey, 32);
    sc_json *o = sc_json_object(), *arr = sc_json_array();
    sc_status rc = o != NULL && arr != NULL ? SC_OK : SC_E_NOMEM;
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        sc_json *it = item_json(db, &es[i], size);
        rc = it == NULL ? SC_E_IO : sc_json_append(arr, it);
    }
    if (rc == SC_OK && s->role == SC_ROLE_DEVICE) {
        /* Device d is registered by the d-th `device` entry (§4.1 #14). */
        sc_bdb_entry reg;
        rc = sc_bdb_entry_of_type(db, SC_ENTRY_DEVICE, s->device - 1, size,
                                  &reg);
        sc_json *it = rc == SC_OK ? item_json(db, &reg, size) : NULL;
        rc = it == NULL ? SC_E_IO : sc_json_put(o, "registration", it);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "signer", hex);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "from", from);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "checkpoint", cp);
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "entries", arr);
        arr = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_json_put_bool(o, "truncated", truncated);
    }
    sc_json_free(arr);
    if (rc != SC_OK) {
        sc_json_free(o);
        return NULL;
    }
    return o;
}

void bd_get_signer(sc_board *b, sc_bdb *db, const char *hex, const char *from,
                   sc_http_resp *resp)
{
    uint8_t key[32];
    uint32_t seq = 1;
    if (!bd_parse_signer_req(hex, from, key, &seq)) {
        sc_http_text(resp, 400,
                     "signer: 64 hex digits, from: a sequence number >= 1");
        return;
    }
    sc_bdb_signer s;
    sc_status rc = sc_bdb_signer_get(db, key, &s);
    if (rc == SC_E_RANGE) {
        sc_http_text(resp, 404, "unknown signer");
        return;
    }
    uint64_t size = 0;
    char *cp = NULL;
    if (rc == SC_OK) {
        rc = bd_checkpoint_text(b, db, &size, &cp);
    }
    sc_bdb_entry *es = malloc((SC_SINDEX_PAGE + 1) * sizeof *es);
    size_t n = 0;
    if (rc == SC_OK) {
        rc = es == NULL ? SC_E_NOMEM
                        : sc_bdb_entries_of_signer(db, key, seq, size,
                                                   SC_SINDEX_PAGE + 1, es, &n);
    }
    sc_json *o = rc == SC_OK ? answer(db, &s, seq, cp, size, es, n) : NULL;
    free(es);
    free(cp);
    char *t = o != NULL ? sc_json_dumps(o) : NULL;
    sc_json_free(o);
    if (t == NULL) {
        sc_http_text(resp, 503, "cannot build the signer index");
        return;
    }
    sc_http_take(resp, 200, "application/json", t, strlen(t));
    sc_http_add_header(resp, "Cache-Control", "no-store");
}
