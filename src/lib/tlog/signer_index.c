/* The board's per-signer index answer (docs/BOARD.md §4.2): parse and
 * verify. See scrutin/signer_index.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/core.h"
#include "scrutin/json.h"
#include "scrutin/signer_index.h"

/* Write one line into msg (may be NULL) and give rc. */
#define SAY(rc, ...)                                                           \
    ((msg != NULL && cap > 0 ? (void)snprintf(msg, cap, __VA_ARGS__)           \
                             : (void)0),                                       \
     (rc))

void sc_signer_index_clear(sc_signer_index *x)
{
    if (x == NULL) {
        return;
    }
    free(x->checkpoint);
    free(x->items);
    memset(x, 0, sizeof *x);
}

/* {"index":i,"entry":"<372 hex>","proof":"<64 hex per hash>"} */
static int parse_item(sc_jctx *ctx, const sc_json *o, sc_sindex_item *it)
{
    const char *eh = NULL, *ph = NULL;
    if (sc_json_get_u64(ctx, o, "index", &it->index) != SC_OK ||
        sc_json_get_str(ctx, o, "entry", &eh) != SC_OK ||
        sc_json_get_str(ctx, o, "proof", &ph) != SC_OK) {
        return 0;
    }
    size_t el = strlen(eh), pl = strlen(ph);
    if (sc_hex_decode(it->entry, SC_ENTRY_BYTES, eh, el) != SC_OK) {
        snprintf(ctx->msg, sizeof ctx->msg, "entry: 372 hex digits expected");
        return 0;
    }
    if (pl % 64 != 0 || pl / 64 > SC_TLOG_MAX_PROOF) {
        snprintf(ctx->msg, sizeof ctx->msg,
                 "proof: 64 hex digits a hash, at most %d hashes",
                 SC_TLOG_MAX_PROOF);
        return 0;
    }
    it->nproof = pl / 64;
    for (size_t i = 0; i < it->nproof; i++) {
        if (sc_hex_decode(it->proof[i], 32, ph + 64 * i, 64) != SC_OK) {
            snprintf(ctx->msg, sizeof ctx->msg, "proof: not hex");
            return 0;
        }
    }
    return 1;
}

sc_status sc_signer_index_parse(sc_signer_index *out, const char *json,
                                size_t len, char *msg, size_t cap)
{
    if (out == NULL || (json == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    sc_jctx ctx;
    sc_jctx_init(&ctx, "signer index", NULL);
    sc_json *o = NULL, *reg = NULL, *arr = NULL;
    const char *sg = NULL, *cp = NULL;
    size_t n = 0;
    int ok = sc_json_parse(&ctx, json, len, &o) == SC_OK &&
             sc_json_get_str(&ctx, o, "signer", &sg) == SC_OK &&
             sc_json_get_u32(&ctx, o, "from", &out->from) == SC_OK &&
             sc_json_get_str(&ctx, o, "checkpoint", &cp) == SC_OK &&
             sc_json_get_arr(&ctx, o, "entries", &arr, &n) == SC_OK &&
             sc_json_get_bool(&ctx, o, "truncated", &out->truncated) == SC_OK;
    if (ok && sc_hex_decode(out->signer, 32, sg, strlen(sg)) != SC_OK) {
        ok = 0;
        snprintf(ctx.msg, sizeof ctx.msg, "signer: 64 hex digits expected");
    }
    if (ok && (out->from == 0 || n > SC_SINDEX_PAGE)) {
        ok = 0;
        snprintf(ctx.msg, sizeof ctx.msg,
                 "from must be at least 1 and entries at most %d",
                 SC_SINDEX_PAGE);
    }
    if (ok) {
        out->cplen = strlen(cp);
        out->checkpoint = malloc(out->cplen + 1);
        out->items = calloc(n ? n : 1, sizeof *out->items);
        if (out->checkpoint == NULL || out->items == NULL) {
            sc_json_free(o);
            sc_signer_index_clear(out);
            return SAY(SC_E_NOMEM, "out of memory");
        }
        memcpy(out->checkpoint, cp, out->cplen + 1);
    }
    for (size_t i = 0; ok && i < n; i++) {
        ok = parse_item(&ctx, sc_json_array_at(arr, i), &out->items[i]);
        out->n = ok ? i + 1 : out->n;
    }
    /* "registration": an item, only for a device (absent otherwise). */
    sc_jctx probe;
    sc_jctx_init(&probe, "signer index", NULL);
    if (ok && sc_json_get_obj(&probe, o, "registration", &reg) == SC_OK) {
        ok = parse_item(&ctx, reg, &out->registration);
        out->has_registration = ok;
    }
    sc_json_free(o);
    if (!ok) {
        sc_signer_index_clear(out);
        return SAY(SC_E_INVALID, "%s",
                   ctx.msg[0] ? ctx.msg : "signer index: malformed");
    }
    return SC_OK;
}

/* One item: decodes, at its index, inside the checkpoint, its proof gives
 * the root, signed by its signer. */
static sc_status check_item(const sc_sindex_item *it, const sc_checkpoint *cp,
                            const char *origin, const char *what, sc_entry *e,
                            char *msg, size_t cap)
{
    if (sc_entry_decode(e, it->entry, SC_ENTRY_BYTES) != SC_OK) {
        return SAY(SC_E_INVALID, "%s: not an entry", what);
    }
    if (e->index != it->index) {
        return SAY(SC_E_VERIFY, "%s: listed at index %llu, the entry says %llu",
                   what, (unsigned long long)it->index,
                   (unsigned long long)e->index);
    }
    if (it->index >= cp->size) {
        return SAY(SC_E_VERIFY,
                   "%s: index %llu is outside the checkpoint of size %llu",
                   what, (unsigned long long)it->index,
                   (unsigned long long)cp->size);
    }
    uint8_t leaf[32];
    sc_tlog_leaf_hash(leaf, it->entry, SC_ENTRY_BYTES);
    if (sc_tlog_inclusion_verify(leaf, it->index, cp->size, cp->root,
                                 (const uint8_t(*)[32])it->proof,
                                 it->nproof) != SC_OK) {
        return SAY(SC_E_VERIFY,
                   "%s: the inclusion proof of entry %llu does not give the "
                   "checkpoint's root",
                   what, (unsigned long long)it->index);
    }
    if (sc_entry_verify(e, origin) != SC_OK) {
        return SAY(SC_E_VERIFY,
                   "%s: entry %llu is not signed by its signer (§3.2)", what,
                   (unsigned long long)it->index);
    }
    return SC_OK;
}

sc_status sc_signer_index_verify(const sc_signer_index *x,
                                 const uint8_t signer[32], uint32_t from,
                                 const sc_vkey *board,
                                 const uint8_t authority[32],
                                 const sc_witness_policy *policy,
                                 sc_sindex_view *view, char *msg, size_t cap)
{
    if (x == NULL || signer == NULL || board == NULL || authority == NULL ||
        view == NULL || x->checkpoint == NULL) {
        return SC_E_MISUSE;
    }
    memset(view, 0, sizeof *view);
    sc_note note;
    sc_status rc =
        sc_checkpoint_open(&view->cp, &note, x->checkpoint, x->cplen, board);
    if (rc != SC_OK) {
        return SAY(rc, "signer index: the checkpoint %s",
                   rc == SC_E_VERIFY ? "is not signed by the board key"
                                     : "is malformed");
    }
    size_t count = 0;
    if (policy != NULL) {
        rc = sc_witness_policy_check(policy, &note, &count);
    }
    sc_note_clear(&note);
    if (rc != SC_OK) {
        return SAY(SC_E_VERIFY,
                   "signer index: %zu witnesses cosigned the checkpoint of "
                   "size %llu, the policy's quorum is not met",
                   count, (unsigned long long)view->cp.size);
    }
    if (memcmp(x->signer, signer, 32) != 0 || x->from != from) {
        return SAY(SC_E_VERIFY,
                   "signer index: the answer is for another signer or "
                   "sequence number");
    }
    char what[64];
    for (size_t i = 0; i < x->n; i++) {
        sc_entry e;
        snprintf(what, sizeof what, "signer index: entry %zu", i);
        rc = check_item(&x->items[i], &view->cp, board->name, what, &e, msg,
                        cap);
        if (rc != SC_OK) {
            return rc;
        }
        if (memcmp(e.signer, signer, 32) != 0) {
            return SAY(SC_E_VERIFY, "%s: another signer's entry", what);
        }
        if ((uint64_t)e.seq != (uint64_t)from + i ||
            (i > 0 && x->items[i].index <= x->items[i - 1].index)) {
            return SAY(SC_E_VERIFY,
                       "%s: sequence number %u, %llu expected in ascending "
                       "index order (one missing or out of place)",
                       what, (unsigned)e.seq, (unsigned long long)from + i);
        }
    }
    if (x->has_registration) {
        rc = check_item(&x->registration, &view->cp, board->name,
                        "signer index: registration", &view->reg, msg, cap);
        if (rc != SC_OK) {
            return rc;
        }
        if (view->reg.type != SC_ENTRY_DEVICE ||
            memcmp(view->reg.signer, authority, 32) != 0) {
            return SAY(SC_E_VERIFY,
                       "signer index: the registration is not a device "
                       "entry of the authority");
        }
        view->has_registration = 1;
    }
    return SC_OK;
}
