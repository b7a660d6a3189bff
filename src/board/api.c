/* The board's HTTP API (docs/BOARD.md §4): POST /v1/submit and the
 * public read side. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_int.h"
#include "scrutin/core.h"
#include "scrutin/json.h"

#define CT_TEXT "text/plain; charset=utf-8"
#define CT_JSON "application/json"
#define CACHE_FOREVER "public, max-age=31536000, immutable"
#define CACHE_SHORT "public, max-age=2"

static int refuse(sc_board *b, sc_http_resp *resp, unsigned status,
                  const char *why)
{
    bd_count(b, status);
    sc_http_text(resp, status, "%s", why);
    return SC_HTTP_DONE;
}

/* ------------------------------------------------------------- submit */

static int submit(sc_board *b, sc_http_req *req, sc_http_resp *resp)
{
    bjob *j = calloc(1, sizeof *j);
    if (j == NULL) {
        return refuse(b, resp, 503, "out of memory");
    }
    const char *bad = bd_parse_submit(&j->e, sc_http_query(req, "type"),
                                      sc_http_header(req, "Scrutin-Signer"),
                                      sc_http_header(req, "Scrutin-Seq"),
                                      sc_http_header(req, "Scrutin-Key"),
                                      sc_http_header(req, "Scrutin-Sig"));
    size_t len = 0;
    const uint8_t *body = sc_http_body(req, &len);
    if (bad == NULL && j->e.type == SC_ENTRY_ELECTION) {
        free(j);
        return refuse(b, resp, 403, "the election entry is entry 0 only");
    }
    if (bad == NULL && len > UINT32_MAX) {
        bad = "payload too large";
    }
    if (bad != NULL) {
        free(j);
        return refuse(b, resp, 400, bad);
    }
    j->e.payload_len = (uint32_t)len;
    j->payload = malloc(len + 1);
    if (j->payload == NULL) {
        free(j);
        return refuse(b, resp, 503, "out of memory");
    }
    memcpy(j->payload, body, len);
    j->payload[len] = 0;
    j->len = len;
    j->req = req;
    sc_bdb *db = bd_rdb(b);
    int replayed = 0;
    if (db == NULL) {
        bd_refuse(j, 503, "storage error");
    }
    if (db == NULL || bd_door(b, db, j, &replayed) != 0 || replayed ||
        bd_enqueue(b, j) != 0) {
        if (replayed) {
            atomic_fetch_add(&b->metrics[M_REPLAYED], 1);
        } else {
            bd_count(b, j->ans.status);
        }
        j->req = NULL;
        if (j->ans.status == 200) {
            sc_http_take(resp, 200, CT_TEXT, j->ans.receipt,
                         strlen(j->ans.receipt));
            j->ans.receipt = NULL;
        } else {
            sc_http_text(resp, j->ans.status, "%s", j->ans.why);
            if (j->ans.status == 429 || j->ans.status == 503) {
                sc_http_add_header(resp, "Retry-After", "1");
            }
        }
        free(j->ans.receipt);
        sc_json_free(j->json);
        free(j->payload);
        free(j);
        return SC_HTTP_DONE;
    }
    return SC_HTTP_ASYNC;
}

/* ---------------------------------------------------------------- reads */

static void not_found(sc_http_resp *resp, const char *what)
{
    sc_http_text(resp, 404, "%s", what);
}

static void get_checkpoint(sc_board *b, sc_bdb *db, sc_http_resp *resp)
{
    uint64_t size = 0;
    char *t = NULL;
    if (bd_checkpoint_text(b, db, &size, &t) != SC_OK) {
        sc_http_text(resp, 503, "no checkpoint");
        return;
    }
    sc_http_take(resp, 200, CT_TEXT, t, strlen(t));
    sc_http_add_header(resp, "Cache-Control", "no-store");
}

static void get_tile(sc_board *b, sc_bdb *db, const char *path,
                     sc_http_resp *resp)
{
    (void)b;
    int level = 0;
    uint64_t n = 0;
    unsigned width = 0, have;
    uint8_t root[32];
    uint64_t size = 0;
    if (sc_tile_path_parse(&level, &n, &width, path, strlen(path)) != SC_OK) {
        sc_http_text(resp, 400, "malformed tile path");
        return;
    }
    if (sc_bdb_checkpoint_latest(db, &size, root, NULL) != SC_OK) {
        sc_http_text(resp, 503, "no checkpoint");
        return;
    }
    have = sc_tile_width(level == SC_TILE_ENTRIES ? 0 : level, n, size);
    if (have == 0 || width > have) {
        not_found(resp, "no such tile");
        return;
    }
    char *out = NULL;
    size_t len = 0;
    sc_status rc = SC_OK;
    if (level == SC_TILE_ENTRIES) {
        len = (size_t)width * (2 + SC_ENTRY_BYTES);
        uint8_t *raw = malloc((size_t)width * SC_ENTRY_BYTES);
        out = malloc(len);
        rc = raw == NULL || out == NULL
                 ? SC_E_NOMEM
                 : sc_bdb_entries_read(db, n * 256, width, raw);
        for (unsigned i = 0; rc == SC_OK && i < width; i++) {
            uint8_t *p = (uint8_t *)out + (size_t)i * (2 + SC_ENTRY_BYTES);
            p[0] = SC_ENTRY_BYTES >> 8;
            p[1] = SC_ENTRY_BYTES & 0xff;
            memcpy(p + 2, raw + (size_t)i * SC_ENTRY_BYTES, SC_ENTRY_BYTES);
        }
        free(raw);
    } else {
        len = (size_t)width * 32;
        out = malloc(len);
        rc = out == NULL ? SC_E_NOMEM
                         : sc_tile_read((uint8_t *)out, sc_bdb_node_cb, db,
                                        level, n, width);
    }
    if (rc != SC_OK) {
        free(out);
        sc_http_text(resp, 503, "cannot read the tile");
        return;
    }
    sc_http_take(resp, 200, "application/octet-stream", out, len);
    sc_http_add_header(resp, "Cache-Control",
                       width == 256 ? CACHE_FOREVER : CACHE_SHORT);
}

static void get_payload(sc_bdb *db, const char *hex, sc_http_resp *resp)
{
    uint8_t sha[32];
    if (!bd_unhex(sha, 32, hex)) {
        sc_http_text(resp, 400, "64 hex digits expected");
        return;
    }
    uint8_t *body = NULL;
    size_t len = 0;
    sc_status rc = sc_bdb_payload_get(db, sha, &body, &len);
    if (rc == SC_E_RANGE) {
        not_found(resp, "no such payload");
        return;
    }
    if (rc != SC_OK) {
        sc_http_text(resp, 503, "storage error");
        return;
    }
    sc_http_take(resp, 200, "application/octet-stream", (char *)body, len);
    sc_http_add_header(resp, "Cache-Control", CACHE_FOREVER);
}

static void send_json(sc_http_resp *resp, sc_json *o)
{
    char *t = o != NULL ? sc_json_dumps(o) : NULL;
    sc_json_free(o);
    if (t == NULL) {
        sc_http_text(resp, 503, "out of memory");
        return;
    }
    sc_http_take(resp, 200, CT_JSON, t, strlen(t));
}

static void get_entry(sc_board *b, sc_bdb *db, const char *s,
                      sc_http_resp *resp)
{
    uint64_t idx = 0;
    if (!bd_parse_u64(s, &idx)) {
        sc_http_text(resp, 400, "entry index: a decimal number expected");
        return;
    }
    sc_bdb_entry e;
    sc_status rc = sc_bdb_entry_get(db, idx, &e);
    char *proof = NULL;
    if (rc == SC_OK) {
        rc = bd_receipt(b, db, idx, &proof);
    }
    if (rc == SC_E_RANGE || rc == SC_E_INVALID) {
        not_found(resp, "no such entry");
        return;
    }
    if (rc != SC_OK) {
        sc_http_text(resp, 503, "storage error");
        return;
    }
    char ehex[2 * SC_ENTRY_BYTES + 1], phex[65];
    bd_hex(ehex, e.entry, SC_ENTRY_BYTES);
    bd_hex(phex, e.payload_sha256, 32);
    sc_json *o = sc_json_object();
    if (o == NULL || sc_json_put_u64(o, "index", idx) != SC_OK ||
        sc_json_put_str(o, "entry", ehex) != SC_OK ||
        sc_json_put_str(o, "payload_sha256", phex) != SC_OK ||
        sc_json_put_str(o, "proof", proof) != SC_OK) {
        sc_json_free(o);
        o = NULL;
    }
    free(proof);
    send_json(resp, o);
}

#define CODES_MAX 16

static void get_codes(sc_bdb *db, const char *s, sc_http_resp *resp)
{
    uint8_t prefix[32];
    unsigned nl = 0;
    if (!bd_parse_code_prefix(s, prefix, &nl)) {
        sc_http_text(resp, 400, "code prefix: 2 to 64 hex digits");
        return;
    }
    uint8_t codes[CODES_MAX][32];
    uint64_t idx[CODES_MAX];
    size_t n = 0;
    int more = 0;
    if (sc_bdb_codes(db, prefix, nl, CODES_MAX, codes, idx, &n, &more) !=
        SC_OK) {
        sc_http_text(resp, 503, "storage error");
        return;
    }
    sc_json *o = sc_json_object(), *arr = sc_json_array();
    sc_status rc = o != NULL && arr != NULL ? SC_OK : SC_E_NOMEM;
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        char hex[65];
        bd_hex(hex, codes[i], 32);
        sc_json *m = sc_json_object();
        rc = m == NULL ? SC_E_NOMEM : sc_json_put_str(m, "code", hex);
        if (rc == SC_OK) {
            rc = sc_json_put_u64(m, "index", idx[i]);
        }
        if (rc == SC_OK) {
            rc = sc_json_append(arr, m);
        } else {
            sc_json_free(m);
        }
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "matches", arr);
        arr = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_json_put_bool(o, "truncated", more);
    }
    sc_json_free(arr);
    if (rc != SC_OK) {
        sc_json_free(o);
        o = NULL;
    }
    send_json(resp, o);
}

static void get_consistency(sc_bdb *db, sc_http_req *req, sc_http_resp *resp)
{
    uint64_t from = 0, to = 0, size = 0;
    uint8_t root[32];
    if (!bd_parse_range(sc_http_query(req, "from"), sc_http_query(req, "to"),
                        &from, &to)) {
        sc_http_text(resp, 400, "from and to: 0 < from <= to expected");
        return;
    }
    if (sc_bdb_checkpoint_latest(db, &size, root, NULL) != SC_OK || to > size) {
        not_found(resp, "to is larger than the newest checkpoint");
        return;
    }
    uint8_t proof[SC_TLOG_MAX_PROOF][32];
    size_t n = 0;
    if (sc_tlog_consistency_proof(proof, &n, sc_bdb_node_cb, db, from, to) !=
        SC_OK) {
        sc_http_text(resp, 503, "cannot build the proof");
        return;
    }
    char *t = malloc(n * 46 + 1);
    size_t len = 0;
    if (t == NULL) {
        sc_http_text(resp, 503, "out of memory");
        return;
    }
    t[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (sc_b64_encode(t + len, n * 46 + 1 - len, proof[i], 32) != SC_OK) {
            break;
        }
        len += strlen(t + len);
        t[len++] = '\n';
    }
    sc_http_take(resp, 200, CT_TEXT, t, len);
}

static void get_status(sc_board *b, sc_bdb *db, sc_http_resp *resp)
{
    uint64_t size = 0;
    uint8_t root[32];
    uint32_t nd = 0;
    sc_status rc = sc_bdb_checkpoint_latest(db, &size, root, NULL);
    if (rc == SC_OK) {
        rc = sc_bdb_device_count(db, &nd);
    }
    sc_bdb_signer *devs = calloc(nd + 1, sizeof *devs);
    size_t n = 0;
    if (rc == SC_OK) {
        rc = devs == NULL ? SC_E_NOMEM : sc_bdb_devices(db, devs, nd, &n);
    }
    sc_json *o = sc_json_object(), *arr = sc_json_array();
    static const char *const phases[] = {"open", "counting", "closed"};
    int ph = atomic_load(&b->phase);
    if (o == NULL || arr == NULL) {
        rc = SC_E_NOMEM;
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "origin", b->origin);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "size", size);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "phase", phases[ph < 0 || ph > 2 ? 0 : ph]);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_bool(o, "read_only", atomic_load(&b->read_only));
    }
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        sc_json *d = sc_json_object();
        rc = d == NULL ? SC_E_NOMEM
                       : sc_json_put_u64(d, "index", devs[i].device);
        if (rc == SC_OK) {
            rc = sc_json_put_str(d, "device", devs[i].name);
        }
        if (rc == SC_OK) {
            rc = sc_json_put_u64(d, "ballots", devs[i].ballots);
        }
        if (rc == SC_OK) {
            rc = sc_json_put_bool(d, "closed", devs[i].closed);
        }
        if (rc == SC_OK) {
            rc = sc_json_append(arr, d);
        } else {
            sc_json_free(d);
        }
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "devices", arr);
        arr = NULL;
    }
    sc_bdb_entry pe;
    if (rc == SC_OK && sc_bdb_entry_of_type(db, SC_ENTRY_WITNESS_POLICY,
                                            UINT64_MAX, size, &pe) == SC_OK) {
        rc = sc_json_put_u64(o, "policy_entry", pe.idx);
    }
    char *res = NULL;
    size_t rl = 0;
    if (rc == SC_OK && sc_bdb_meta_get(db, "results", &res, &rl) == SC_OK) {
        rc = sc_json_put_str(o, "results", res);
    }
    free(res);
    free(devs);
    sc_json_free(arr);
    if (rc != SC_OK) {
        sc_json_free(o);
        o = NULL;
    }
    send_json(resp, o);
    sc_http_add_header(resp, "Cache-Control", "no-store");
}

static void get_policy(sc_board *b, sc_http_resp *resp)
{
    pthread_mutex_lock(&b->mu);
    if (b->policy_json == NULL) {
        pthread_mutex_unlock(&b->mu);
        not_found(resp, "no witness policy yet");
        return;
    }
    sc_http_bytes(resp, 200, CT_JSON, b->policy_json, strlen(b->policy_json));
    pthread_mutex_unlock(&b->mu);
}

static void get_metrics(sc_board *b, sc_http_resp *resp)
{
    static const char *const names[M_COUNT] = {
        "accepted",    "replayed",    "refused_400", "refused_401",
        "refused_403", "refused_404", "refused_409", "refused_411",
        "refused_413", "refused_422", "refused_429", "refused_503",
        "reads"};
    char buf[1024];
    size_t len = 0;
    for (int i = 0; i < M_COUNT; i++) {
        uint64_t v = atomic_load(&b->metrics[i]);
        /* Refusals made by the HTTP layer before the board saw them. */
        if (b->http != NULL && i == M_R400) {
            v += sc_httpd_early_count(b->http, 400);
        } else if (b->http != NULL && i == M_R411) {
            v += sc_httpd_early_count(b->http, 411);
        } else if (b->http != NULL && i == M_R413) {
            v += sc_httpd_early_count(b->http, 413);
        }
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s %llu\n",
                                names[i], (unsigned long long)v);
    }
    len += (size_t)snprintf(buf + len, sizeof buf - len, "read_only %d\n",
                            (int)atomic_load(&b->read_only));
    sc_http_bytes(resp, 200, CT_TEXT, buf, len);
    sc_http_add_header(resp, "Cache-Control", "no-store");
}

static void web(sc_board *b, const char *rel, sc_http_resp *resp)
{
    sc_http_static(resp, b->cfg.web_dir, rel);
    sc_http_add_header(resp, "Content-Security-Policy",
                       "default-src 'self'; base-uri 'none'; "
                       "frame-ancestors 'none'; form-action 'none'");
    sc_http_add_header(resp, "Referrer-Policy", "no-referrer");
}

int bd_http(void *ctx, sc_http_req *req, sc_http_resp *resp)
{
    sc_board *b = ctx;
    const char *m = sc_http_method(req), *p = sc_http_path(req);
    if (strcmp(p, "/v1/submit") == 0) {
        if (strcmp(m, "POST") != 0) {
            sc_http_text(resp, 405, "POST expected");
            return SC_HTTP_DONE;
        }
        return submit(b, req, resp);
    }
    if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
        sc_http_text(resp, 405, "GET expected");
        return SC_HTTP_DONE;
    }
    atomic_fetch_add(&b->metrics[M_READS], 1);
    if (strcmp(p, "/") == 0) {
        web(b, "index.html", resp);
        return SC_HTTP_DONE;
    }
    if (strncmp(p, "/web/", 5) == 0) {
        web(b, p + 5, resp);
        return SC_HTTP_DONE;
    }
    if (strcmp(p, "/v1/metrics") == 0) {
        get_metrics(b, resp);
        return SC_HTTP_DONE;
    }
    if (strcmp(p, "/v1/policy") == 0) {
        get_policy(b, resp);
        return SC_HTTP_DONE;
    }
    sc_bdb *db = bd_rdb(b);
    if (db == NULL) {
        sc_http_text(resp, 503, "storage error");
        return SC_HTTP_DONE;
    }
    if (strcmp(p, "/checkpoint") == 0) {
        get_checkpoint(b, db, resp);
    } else if (strncmp(p, "/tile/", 6) == 0) {
        get_tile(b, db, p + 1, resp);
    } else if (strncmp(p, "/v1/payload/", 12) == 0) {
        get_payload(db, p + 12, resp);
    } else if (strncmp(p, "/v1/entry/", 10) == 0) {
        get_entry(b, db, p + 10, resp);
    } else if (strncmp(p, "/v1/codes/", 10) == 0) {
        get_codes(db, p + 10, resp);
    } else if (strcmp(p, "/v1/consistency") == 0) {
        get_consistency(db, req, resp);
    } else if (strncmp(p, "/v1/signer/", 11) == 0) {
        bd_get_signer(b, db, p + 11, sc_http_query(req, "from"), resp);
    } else if (strcmp(p, "/v1/status") == 0) {
        get_status(b, db, resp);
    } else {
        not_found(resp, "not found");
    }
    return SC_HTTP_DONE;
}

sc_status sc_board_serve(sc_board *b, char *err, size_t errlen)
{
    sc_status rc = bd_threads_start(b);
    if (rc != SC_OK) {
        snprintf(err, errlen, "cannot start the worker threads");
        return rc;
    }
    /* The newest checkpoint may come from the authority's steps with a
     * witness down: ask again (on the witness lane). */
    uint64_t size = 0;
    uint8_t root[32];
    if (sc_bdb_checkpoint_latest(b->wdb, &size, root, NULL) == SC_OK) {
        bd_published(b, size, root);
    }
    sc_httpd_cfg hc = {
        .listen = b->cfg.listen,
        .threads = b->cfg.threads != 0 ? b->cfg.threads : 4,
        .max_conns = b->cfg.max_conns != 0 ? b->cfg.max_conns : 512,
        .per_ip = b->cfg.per_ip != 0 ? b->cfg.per_ip : 256,
        .max_body = b->cfg.max_body != 0 ? b->cfg.max_body : (4u << 20),
        /* Requests (and their refusals) yield the CPU to the proof
         * workers and the sequencer: a flood of requests slows the
         * intake, not the checks (docs/BOARD.md §4.1). */
        .nice = BD_HTTP_NICE,
    };
    rc = sc_httpd_start(&b->http, &hc, bd_http, b);
    if (rc != SC_OK) {
        snprintf(err, errlen, "cannot listen on %s",
                 b->cfg.listen ? b->cfg.listen : "(none)");
        return rc;
    }
    return SC_OK;
}

uint16_t sc_board_port(const sc_board *b)
{
    return b->http != NULL ? sc_httpd_port(b->http) : 0;
}
