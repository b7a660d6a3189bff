/* The board's clients: see board_client.h. */
#include "board_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "net/httpc.h"
#include "net/payload.h"
#include "scrutin/core.h"
#include "scrutin/json.h"

#define BC_MAX_ANSWER (64u << 20)

void bc_hex_lower(char *out, const uint8_t *in, size_t n)
{
    static const char dg[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = dg[in[i] >> 4];
        out[2 * i + 1] = dg[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* GET base/path; SC_OK only for a 200 answer. */
static sc_status get200(const bc_board *b, const char *path, sc_httpc_resp *r,
                        char *err, size_t errlen)
{
    char *u = sc_httpc_url(b->url, path);
    if (u == NULL) {
        snprintf(err, errlen, "out of memory");
        return SC_E_NOMEM;
    }
    sc_httpc_opts o = {5000, 60000, BC_MAX_ANSWER};
    sc_status rc = sc_httpc_get(u, &o, r, err, errlen);
    if (rc == SC_OK && r->status != 200) {
        snprintf(err, errlen, "%s: HTTP %ld: %.200s", u, r->status,
                 r->body ? r->body : "");
        char *nl = strchr(err, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        rc = r->status == 404 ? SC_E_RANGE : SC_E_IO;
        sc_httpc_resp_free(r);
    }
    free(u);
    return rc;
}

sc_status bc_payload(const bc_board *b, const uint8_t sha[32], uint32_t len,
                     uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
    sc_httpc_opts o = {5000, 60000, BC_MAX_ANSWER};
    return sc_net_get_payload(b->url, &o, sha, len, out, outlen, err, errlen);
}

sc_status bc_check_checkpoint(const bc_board *b, const char *msg, size_t len,
                              int quorum, sc_checkpoint *cp, sc_note *note,
                              char *err, size_t errlen)
{
    sc_note n;
    memset(&n, 0, sizeof n);
    sc_status rc = sc_checkpoint_open(cp, &n, msg, len, &b->board_key);
    if (rc != SC_OK) {
        snprintf(err, errlen, "checkpoint: %s",
                 rc == SC_E_VERIFY ? "no valid signature of the board key"
                                   : "malformed");
        goto done;
    }
    if (!b->has_policy && quorum == BC_QUORUM_REQUIRED) {
        snprintf(err, errlen,
                 "the log holds no witness policy: its checkpoints cannot "
                 "be trusted against a rollback or a fork");
        rc = SC_E_VERIFY;
        goto done;
    }
    if (b->has_policy && quorum != BC_SIG_ONLY) {
        size_t count = 0;
        rc = sc_witness_policy_check(&b->policy, &n, &count);
        if (rc != SC_OK) {
            snprintf(err, errlen,
                     "checkpoint of size %llu: %zu witnesses cosigned, the "
                     "policy's quorum is not met",
                     (unsigned long long)cp->size, count);
            goto done;
        }
    }
done:
    if (rc == SC_OK && note != NULL) {
        *note = n;
    } else {
        sc_note_clear(&n);
    }
    return rc;
}

sc_status bc_checkpoint(const bc_board *b, int quorum, sc_checkpoint *cp,
                        char **msg, size_t *msglen, char *err, size_t errlen)
{
    sc_httpc_resp r;
    sc_status rc = get200(b, "/checkpoint", &r, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    rc = bc_check_checkpoint(b, r.body, r.len, quorum, cp, NULL, err, errlen);
    if (rc == SC_OK && msg != NULL) {
        *msg = r.body;
        *msglen = r.len;
        r.body = NULL;
    }
    sc_httpc_resp_free(&r);
    return rc;
}

/* A receipt (tlog-proof) for entry bytes `raw`, checked: board key,
 * quorum (if a policy), inclusion. */
static sc_status check_receipt(const bc_board *b, const char *text, size_t len,
                               const uint8_t raw[SC_ENTRY_BYTES], uint64_t idx,
                               int quorum, sc_checkpoint *cp, char **cpmsg,
                               size_t *cplen, char *err, size_t errlen)
{
    sc_tlog_proof p;
    sc_status rc = sc_tlog_proof_parse(&p, text, len);
    if (rc != SC_OK) {
        snprintf(err, errlen, "entry %llu: the proof is malformed",
                 (unsigned long long)idx);
        return rc;
    }
    if (!b->has_policy && quorum == BC_QUORUM_REQUIRED) {
        sc_tlog_proof_clear(&p);
        snprintf(err, errlen, "the log holds no witness policy");
        return SC_E_VERIFY;
    }
    uint8_t leaf[32];
    sc_tlog_leaf_hash(leaf, raw, SC_ENTRY_BYTES);
    rc = p.index == idx
             ? sc_tlog_proof_verify(
                   &p, leaf, &b->board_key,
                   b->has_policy && quorum != BC_SIG_ONLY ? &b->policy : NULL,
                   cp)
             : SC_E_VERIFY;
    if (rc != SC_OK) {
        snprintf(err, errlen,
                 "entry %llu: the proof does not check (board signature, "
                 "witness quorum or inclusion)",
                 (unsigned long long)idx);
    }
    if (rc == SC_OK && cpmsg != NULL) {
        rc = sc_note_format(&p.checkpoint, cpmsg, cplen);
    }
    sc_tlog_proof_clear(&p);
    return rc;
}

/* GET /v1/entry/idx -> raw entry and proof text. */
static sc_status fetch_entry(const bc_board *b, uint64_t idx,
                             uint8_t raw[SC_ENTRY_BYTES], char **proof,
                             char *err, size_t errlen)
{
    char path[64];
    snprintf(path, sizeof path, "/v1/entry/%llu", (unsigned long long)idx);
    sc_httpc_resp r;
    sc_status rc = get200(b, path, &r, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, path, NULL);
    sc_json *o = NULL;
    const char *eh = NULL, *pf = NULL;
    uint64_t ix = 0;
    rc = sc_json_parse(&ctx, r.body, r.len, &o);
    if (rc == SC_OK) {
        rc = sc_json_get_u64(&ctx, o, "index", &ix);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_str(&ctx, o, "entry", &eh);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_str(&ctx, o, "proof", &pf);
    }
    if (rc == SC_OK &&
        (ix != idx || strlen(eh) != 2 * SC_ENTRY_BYTES ||
         sc_hex_decode(raw, SC_ENTRY_BYTES, eh, 2 * SC_ENTRY_BYTES) != SC_OK)) {
        snprintf(ctx.msg, sizeof ctx.msg, "%s: not entry %llu", path,
                 (unsigned long long)idx);
        rc = SC_E_INVALID;
    }
    if (rc == SC_OK && proof != NULL) {
        *proof = strdup(pf);
        if (*proof == NULL) {
            rc = SC_E_NOMEM;
        }
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s", ctx.msg[0] ? ctx.msg : "bad answer");
    }
    sc_json_free(o);
    sc_httpc_resp_free(&r);
    return rc;
}

sc_status bc_entry(const bc_board *b, uint64_t idx, int quorum, sc_entry *e,
                   uint8_t **payload, size_t *plen, sc_checkpoint *cp,
                   char **cpmsg, size_t *cplen, char *err, size_t errlen)
{
    uint8_t raw[SC_ENTRY_BYTES];
    char *proof = NULL;
    sc_status rc = fetch_entry(b, idx, raw, &proof, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    rc = check_receipt(b, proof, strlen(proof), raw, idx, quorum, cp, cpmsg,
                       cplen, err, errlen);
    free(proof);
    if (rc == SC_OK &&
        (sc_entry_decode(e, raw, SC_ENTRY_BYTES) != SC_OK || e->index != idx)) {
        snprintf(err, errlen, "entry %llu: malformed", (unsigned long long)idx);
        rc = SC_E_INVALID;
    }
    if (rc == SC_OK && payload != NULL) {
        rc = bc_payload(b, e->payload_sha256, e->payload_len, payload, plen,
                        err, errlen);
    }
    return rc;
}

sc_status bc_entries(const bc_board *b, uint64_t size, uint8_t **out, char *err,
                     size_t errlen)
{
    *out = NULL;
    uint8_t *all = malloc(size ? size * SC_ENTRY_BYTES : 1);
    if (all == NULL) {
        snprintf(err, errlen, "out of memory");
        return SC_E_NOMEM;
    }
    uint64_t got = 0;
    sc_status rc = SC_OK;
    for (uint64_t t = 0; got < size && rc == SC_OK; t++) {
        unsigned w = sc_tile_width(0, t, size);
        char path[SC_TILE_PATH_MAX + 2];
        path[0] = '/';
        rc = sc_tile_path(path + 1, sizeof path - 1, SC_TILE_ENTRIES, t, w);
        if (rc != SC_OK) {
            break;
        }
        sc_httpc_resp r;
        rc = get200(b, path, &r, err, errlen);
        if (rc != SC_OK) {
            break;
        }
        size_t off = 0;
        for (unsigned k = 0; k < w; k++) {
            if (off + 2 > r.len ||
                (((size_t)(uint8_t)r.body[off] << 8) |
                 (uint8_t)r.body[off + 1]) != SC_ENTRY_BYTES ||
                off + 2 + SC_ENTRY_BYTES > r.len) {
                rc = SC_E_INVALID;
                break;
            }
            memcpy(all + got * SC_ENTRY_BYTES, r.body + off + 2,
                   SC_ENTRY_BYTES);
            off += 2 + SC_ENTRY_BYTES;
            got++;
        }
        if (rc == SC_OK && off != r.len) {
            rc = SC_E_INVALID;
        }
        if (rc != SC_OK) {
            snprintf(err, errlen, "%s: not an entry bundle of %u entries", path,
                     w);
        }
        sc_httpc_resp_free(&r);
    }
    if (rc != SC_OK) {
        free(all);
        return rc;
    }
    *out = all;
    return SC_OK;
}

sc_status bc_root(const uint8_t *entries, uint64_t n, uint8_t root[32])
{
    sc_tlog_mem *m = NULL;
    sc_status rc = sc_tlog_mem_new(&m);
    for (uint64_t i = 0; i < n && rc == SC_OK; i++) {
        uint8_t leaf[32];
        sc_tlog_leaf_hash(leaf, entries + i * SC_ENTRY_BYTES, SC_ENTRY_BYTES);
        rc = sc_tlog_mem_append(m, leaf);
    }
    if (rc == SC_OK) {
        rc = sc_tlog_root(root, sc_tlog_mem_get, m, n);
    }
    sc_tlog_mem_free(m);
    return rc;
}

sc_status bc_log(const bc_board *b, int quorum, sc_checkpoint *cp, char **cpmsg,
                 size_t *cplen, uint8_t **entries, char *err, size_t errlen)
{
    char *msg = NULL;
    size_t mlen = 0;
    uint8_t root[32];
    *entries = NULL;
    sc_status rc = bc_checkpoint(b, quorum, cp, &msg, &mlen, err, errlen);
    if (rc == SC_OK) {
        rc = bc_entries(b, cp->size, entries, err, errlen);
    }
    if (rc == SC_OK) {
        rc = bc_root(*entries, cp->size, root);
        if (rc == SC_OK && memcmp(root, cp->root, 32) != 0) {
            snprintf(err, errlen,
                     "the entry tiles are not the log of the checkpoint "
                     "(root differs at size %llu)",
                     (unsigned long long)cp->size);
            rc = SC_E_VERIFY;
        }
    }
    if (rc != SC_OK) {
        free(*entries);
        *entries = NULL;
        free(msg);
        return rc;
    }
    if (cpmsg != NULL) {
        *cpmsg = msg;
        *cplen = mlen;
    } else {
        free(msg);
    }
    return SC_OK;
}

/* Entry 0: the election, self-certified (the payload names the board key
 * and the authority key; the entry is signed by that authority and proven
 * in a checkpoint signed by that board key). */
static sc_status open_election(bc_board *b, char *err, size_t errlen)
{
    uint8_t raw[SC_ENTRY_BYTES];
    char *proof = NULL;
    sc_entry e;
    sc_json *o = NULL;
    sc_status rc = fetch_entry(b, 0, raw, &proof, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    if (sc_entry_decode(&e, raw, SC_ENTRY_BYTES) != SC_OK ||
        e.type != SC_ENTRY_ELECTION) {
        snprintf(err, errlen, "entry 0 is not an election entry");
        rc = SC_E_INVALID;
        goto done;
    }
    rc = bc_payload(b, e.payload_sha256, e.payload_len, &b->election,
                    &b->election_len, err, errlen);
    if (rc != SC_OK) {
        goto done;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, "election payload", NULL);
    const char *origin = NULL, *bk = NULL, *ak = NULL;
    rc = sc_json_parse(&ctx, (const char *)b->election, b->election_len, &o);
    if (rc == SC_OK) {
        rc = sc_json_get_str(&ctx, o, "origin", &origin);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_str(&ctx, o, "board_key", &bk);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_str(&ctx, o, "authority_key", &ak);
    }
    if (rc != SC_OK || strlen(origin) > SC_TLOG_NAME_MAX || strlen(ak) != 64 ||
        sc_hex_decode(b->authority, 32, ak, 64) != SC_OK ||
        sc_vkey_parse(&b->board_key, bk, strlen(bk)) != SC_OK ||
        strcmp(b->board_key.name, origin) != 0) {
        snprintf(err, errlen, "entry 0: not an election payload (%s)",
                 ctx.msg[0] ? ctx.msg : "keys or origin");
        rc = SC_E_INVALID;
        goto done;
    }
    snprintf(b->origin, sizeof b->origin, "%s", origin);
    if (memcmp(e.signer, b->authority, 32) != 0 ||
        sc_entry_verify(&e, b->origin) != SC_OK) {
        snprintf(err, errlen, "entry 0: not signed by the authority it names");
        rc = SC_E_VERIFY;
        goto done;
    }
    sc_checkpoint cp;
    rc = check_receipt(b, proof, strlen(proof), raw, 0, BC_SIG_ONLY, &cp, NULL,
                       NULL, err, errlen);
done:
    sc_json_free(o);
    free(proof);
    return rc;
}

/* The index of the newest witness_policy entry, from /v1/status (not
 * trusted: the caller checks the entry at that index). */
static sc_status policy_entry_index(const bc_board *b, uint64_t *idx, char *err,
                                    size_t errlen)
{
    sc_httpc_resp r;
    sc_status rc = get200(b, "/v1/status", &r, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, "/v1/status", NULL);
    sc_json *o = NULL;
    rc = sc_json_parse(&ctx, r.body, r.len, &o);
    if (rc == SC_OK) {
        rc = sc_json_get_u64(&ctx, o, "policy_entry", idx);
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s", ctx.msg);
    }
    sc_json_free(o);
    sc_httpc_resp_free(&r);
    return rc;
}

/* The witness policy, if the log has one: its payload from /v1/policy,
 * its entry (index from /v1/status: type witness_policy, signed by the
 * authority, same payload hash), proven included. */
static sc_status open_policy(bc_board *b, char *err, size_t errlen)
{
    sc_httpc_resp r;
    sc_status rc = get200(b, "/v1/policy", &r, err, errlen);
    if (rc == SC_E_RANGE) {
        err[0] = '\0';
        return SC_OK; /* 404: no policy */
    }
    if (rc != SC_OK) {
        return rc;
    }
    uint8_t h[32];
    crypto_hash_sha256(h, (const uint8_t *)r.body, r.len);
    uint64_t found = 0;
    sc_checkpoint cp;
    sc_entry e;
    rc = policy_entry_index(b, &found, err, errlen);
    if (rc == SC_OK) {
        rc = bc_entry(b, found, BC_SIG_ONLY, &e, NULL, NULL, &cp, NULL, NULL,
                      err, errlen);
    }
    if (rc == SC_OK && (e.type != SC_ENTRY_WITNESS_POLICY ||
                        memcmp(e.payload_sha256, h, 32) != 0)) {
        snprintf(err, errlen,
                 "/v1/policy is not the payload of the witness_policy entry "
                 "%llu",
                 (unsigned long long)found);
        rc = SC_E_VERIFY;
    }
    if (rc == SC_OK && (memcmp(e.signer, b->authority, 32) != 0 ||
                        sc_entry_verify(&e, b->origin) != SC_OK)) {
        snprintf(err, errlen,
                 "entry %llu: the witness policy is not signed "
                 "by the authority",
                 (unsigned long long)found);
        rc = SC_E_VERIFY;
    }
    if (rc == SC_OK) {
        char why[256] = "";
        rc =
            sc_witness_policy_parse(&b->policy, r.body, r.len, why, sizeof why);
        if (rc != SC_OK) {
            snprintf(err, errlen, "the witness policy: %s", why);
        } else {
            b->has_policy = 1;
            b->policy_index = found;
        }
    }
    sc_httpc_resp_free(&r);
    return rc;
}

sc_status bc_signer(const bc_board *b, const uint8_t pk[32], uint32_t from,
                    int quorum, sc_signer_index *x, sc_sindex_view *v,
                    char *err, size_t errlen)
{
    char path[128], hx[65];
    bc_hex_lower(hx, pk, 32);
    snprintf(path, sizeof path, "/v1/signer/%s?from=%u", hx, (unsigned)from);
    sc_httpc_resp r;
    sc_status rc = get200(b, path, &r, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    char why[300] = "";
    rc = sc_signer_index_parse(x, r.body, r.len, why, sizeof why);
    sc_httpc_resp_free(&r);
    if (rc != SC_OK) {
        snprintf(err, errlen, "/v1/signer: %s", why);
        return rc;
    }
    if (!b->has_policy && quorum == BC_QUORUM_REQUIRED) {
        snprintf(err, errlen, "the log holds no witness policy");
        rc = SC_E_VERIFY;
    } else {
        rc = sc_signer_index_verify(
            x, pk, from, &b->board_key, b->authority,
            b->has_policy && quorum != BC_SIG_ONLY ? &b->policy : NULL, v, why,
            sizeof why);
        if (rc != SC_OK) {
            snprintf(err, errlen, "%s", why);
        }
    }
    if (rc != SC_OK) {
        sc_signer_index_clear(x);
    }
    return rc;
}

sc_status bc_open(bc_board *b, const char *url, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->url = strdup(url);
    if (b->url == NULL) {
        snprintf(err, errlen, "out of memory");
        return SC_E_NOMEM;
    }
    sc_status rc = open_election(b, err, errlen);
    if (rc == SC_OK) {
        rc = open_policy(b, err, errlen);
    }
    if (rc != SC_OK) {
        bc_close(b);
    }
    return rc;
}

void bc_close(bc_board *b)
{
    free(b->url);
    free(b->election);
    if (b->has_policy) {
        sc_witness_policy_clear(&b->policy);
    }
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------ */
/* Submissions. */

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

sc_status bc_submit(const bc_board *b, unsigned type, const uint8_t *payload,
                    size_t len, const uint8_t key[32], const uint8_t sk[64],
                    uint32_t seq, bc_answer *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    sc_entry e;
    memset(&e, 0, sizeof e);
    e.version = SC_ENTRY_VERSION;
    e.type = (uint8_t)type;
    e.seq = seq;
    e.payload_len = (uint32_t)len;
    crypto_hash_sha256(e.payload_sha256, payload, len);
    if (key != NULL) {
        memcpy(e.key, key, 32);
    }
    sc_status rc = sc_entry_sign(&e, b->origin, sk);
    if (rc != SC_OK) {
        snprintf(err, errlen, "cannot sign the entry");
        return rc;
    }
    char hs[4][200], sg[65], ky[65], sig[129], path[64];
    bc_hex_lower(sg, e.signer, 32);
    bc_hex_lower(ky, e.key, 32);
    bc_hex_lower(sig, e.sig, 64);
    snprintf(hs[0], sizeof hs[0], "Scrutin-Signer: %s", sg);
    snprintf(hs[1], sizeof hs[1], "Scrutin-Seq: %u", seq);
    snprintf(hs[2], sizeof hs[2], "Scrutin-Key: %s", ky);
    snprintf(hs[3], sizeof hs[3], "Scrutin-Sig: %s", sig);
    const char *hv[4] = {hs[0], hs[1], hs[2], hs[3]};
    snprintf(path, sizeof path, "/v1/submit?type=%s", sc_entry_type_name(type));
    char *u = sc_httpc_url(b->url, path);
    if (u == NULL) {
        return SC_E_NOMEM;
    }
    sc_httpc_opts o = {5000, 120000, 1u << 20};
    sc_httpc_resp r;
    memset(&r, 0, sizeof r);
    long backoff = 200;
    for (int attempt = 0;; attempt++) {
        rc = sc_httpc_post(u, "application/octet-stream", hv, 4, payload, len,
                           &o, &r, err, errlen);
        int again = rc == SC_E_IO ||
                    (rc == SC_OK && (r.status == 429 || r.status == 503));
        if (!again || attempt >= 8) {
            break;
        }
        sc_httpc_resp_free(&r);
        nap_ms(backoff);
        backoff = backoff < 3200 ? 2 * backoff : backoff;
    }
    free(u);
    if (rc != SC_OK) {
        return rc;
    }
    a->status = r.status;
    if (r.status != 200) {
        snprintf(a->why, sizeof a->why, "%.500s", r.body ? r.body : "");
        a->why[strcspn(a->why, "\r\n")] = '\0';
        sc_httpc_resp_free(&r);
        return SC_OK;
    }
    /* The receipt: the entry at its index must be ours. */
    sc_tlog_proof p;
    rc = sc_tlog_proof_parse(&p, r.body, r.len);
    if (rc != SC_OK) {
        snprintf(err, errlen, "the receipt is not a tlog-proof");
        sc_httpc_resp_free(&r);
        return SC_E_VERIFY;
    }
    a->index = p.index;
    sc_tlog_proof_clear(&p);
    uint8_t raw[SC_ENTRY_BYTES];
    sc_entry got;
    rc = fetch_entry(b, a->index, raw, NULL, err, errlen);
    if (rc == SC_OK && (sc_entry_decode(&got, raw, SC_ENTRY_BYTES) != SC_OK ||
                        got.type != e.type || got.seq != e.seq ||
                        got.payload_len != e.payload_len ||
                        memcmp(got.payload_sha256, e.payload_sha256, 32) != 0 ||
                        memcmp(got.key, e.key, 32) != 0 ||
                        memcmp(got.signer, e.signer, 32) != 0)) {
        snprintf(err, errlen, "entry %llu of the receipt is not ours",
                 (unsigned long long)a->index);
        rc = SC_E_VERIFY;
    }
    /* The receipt: the board's signature and the inclusion always; the
     * witnesses cosign after the answer (docs/BOARD.md §3.4), so with a
     * policy the cosigned proof is asked for a few seconds. */
    if (rc == SC_OK) {
        rc = check_receipt(b, r.body, r.len, raw, a->index, BC_SIG_ONLY, &a->cp,
                           NULL, NULL, err, errlen);
    }
    if (rc == SC_OK) {
        a->receipt = r.body;
        r.body = NULL;
        a->cosigned = !b->has_policy;
    }
    sc_httpc_resp_free(&r);
    for (int tries = 0; rc == SC_OK && !a->cosigned && tries < 30; tries++) {
        char *proof = NULL, e2[256];
        sc_checkpoint cp;
        if (check_receipt(b, a->receipt, strlen(a->receipt), raw, a->index,
                          BC_QUORUM_IF_POLICY, &cp, NULL, NULL, e2,
                          sizeof e2) == SC_OK) {
            a->cosigned = 1;
            break;
        }
        nap_ms(200);
        if (fetch_entry(b, a->index, raw, &proof, e2, sizeof e2) == SC_OK &&
            check_receipt(b, proof, strlen(proof), raw, a->index,
                          BC_QUORUM_IF_POLICY, &cp, NULL, NULL, e2,
                          sizeof e2) == SC_OK) {
            free(a->receipt);
            a->receipt = proof;
            a->cp = cp;
            a->cosigned = 1;
            break;
        }
        free(proof);
    }
    return rc;
}

void bc_answer_free(bc_answer *a)
{
    free(a->receipt);
    a->receipt = NULL;
}
