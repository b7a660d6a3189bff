/* results.json (docs/BOARD.md §3.5): contests and options of tally.json
 * with their decrypted counts t (eq 83-86 give t; tally.json's `value`),
 * bound to the two files it was read from by their SHA-256, to H_E, and
 * to the cast and challenged ballot counts. Nothing is recomputed here:
 * the proofs stay in tally.json (Verification 10), the page and `scrutin
 * verify` compare results.json with it. */
#include "scrutin/results.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns the first failure (these helpers own no resources). */
#define TRY(expr)                                                              \
    do {                                                                       \
        sc_status try_rc_ = (expr);                                            \
        if (try_rc_ != SC_OK) {                                                \
            return try_rc_;                                                    \
        }                                                                      \
    } while (0)

static void hex_lower(char out[65], const uint8_t h[32])
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = d[h[i] >> 4];
        out[2 * i + 1] = d[h[i] & 15];
    }
    out[64] = '\0';
}

static sc_status put_sha(sc_json *o, const char *key, const char *b, size_t n)
{
    uint8_t h[32];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)b, n);
    hex_lower(hex, h);
    return sc_json_put_str(o, key, hex);
}

/* One option (or supplemental field) of tally.json, checked against the
 * same position of encrypted_tally.json. */
static sc_status option(sc_jctx *ctx, const sc_json *to, const sc_json *eo,
                        sc_json *opts)
{
    uint32_t ti, ei;
    const char *label;
    uint64_t value;
    TRY(sc_json_get_u32(ctx, to, "index", &ti));
    TRY(sc_json_get_str(ctx, to, "label", &label));
    TRY(sc_json_get_u64(ctx, to, "value", &value));
    TRY(sc_json_get_u32(ctx, eo, "index", &ei));
    if (ti != ei) {
        return sc_jctx_fail(ctx, SC_E_INVALID, "index",
                            "is %u in tally.json, %u in encrypted_tally.json",
                            (unsigned)ti, (unsigned)ei);
    }
    sc_json *o = sc_json_object();
    sc_status rc = o == NULL ? SC_E_NOMEM : SC_OK;
    if (rc == SC_OK)
        rc = sc_json_put_u64(o, "index", ti);
    if (rc == SC_OK)
        rc = sc_json_put_str(o, "label", label);
    if (rc == SC_OK)
        rc = sc_json_put_u64(o, "votes", value);
    if (rc == SC_OK)
        return sc_json_append(opts, o);
    sc_json_free(o);
    return rc;
}

static sc_status contest(sc_jctx *ctx, const sc_json *tc, const sc_json *ec,
                         sc_json *out)
{
    uint32_t index;
    const char *label;
    sc_json *topts, *eopts;
    size_t tn, en;
    TRY(sc_json_get_u32(ctx, tc, "index", &index));
    TRY(sc_json_get_str(ctx, tc, "label", &label));
    TRY(sc_json_get_arr(ctx, tc, "options", &topts, &tn));
    TRY(sc_json_get_arr(ctx, ec, "options", &eopts, &en));
    if (tn != en) {
        return sc_jctx_fail(ctx, SC_E_INVALID, "options",
                            "%zu in tally.json, %zu in encrypted_tally.json",
                            tn, en);
    }
    TRY(sc_json_put_u64(out, "index", index));
    TRY(sc_json_put_str(out, "label", label));
    sc_json *opts = sc_json_array();
    if (opts == NULL)
        return SC_E_NOMEM;
    TRY(sc_json_put(out, "options", opts));
    char where[160];
    snprintf(where, sizeof where, "%s", ctx->where);
    for (size_t k = 0; k < tn; k++) {
        sc_jctx_where(ctx, "%soptions[%zu].", where, k);
        TRY(option(ctx, sc_json_array_at(topts, k), sc_json_array_at(eopts, k),
                   opts));
    }
    return SC_OK;
}

static sc_status build(sc_jctx *ctx, const sc_json *ej, const sc_json *tj,
                       sc_json *r)
{
    uint64_t cast;
    sc_json *tcs, *ecs, *present = NULL;
    size_t tn, en;
    TRY(sc_json_get_u64(ctx, ej, "cast_ballots", &cast));
    TRY(sc_json_get_arr(ctx, ej, "contests", &ecs, &en));
    TRY(sc_json_get_arr(ctx, tj, "contests", &tcs, &tn));
    if (tn != en) {
        return sc_jctx_fail(ctx, SC_E_INVALID, "contests",
                            "%zu in tally.json, %zu in encrypted_tally.json",
                            tn, en);
    }
    TRY(sc_json_put_u64(r, "cast_ballots", cast));
    size_t pn = 0;
    TRY(sc_json_get_arr(ctx, tj, "guardians_present", &present, &pn));
    sc_json *gp = sc_json_array();
    if (gp == NULL)
        return SC_E_NOMEM;
    TRY(sc_json_put(r, "guardians_present", gp));
    for (size_t i = 0; i < pn; i++) {
        uint32_t g;
        TRY(sc_json_as_u32(ctx, sc_json_array_at(present, i),
                           "guardians_present[]", &g));
        TRY(sc_json_append_u64(gp, g));
    }
    sc_json *cs = sc_json_array();
    if (cs == NULL)
        return SC_E_NOMEM;
    TRY(sc_json_put(r, "contests", cs));
    for (size_t i = 0; i < tn; i++) {
        sc_json *c = sc_json_object();
        if (c == NULL)
            return SC_E_NOMEM;
        TRY(sc_json_append(cs, c));
        sc_jctx_where(ctx, "contests[%zu].", i);
        TRY(contest(ctx, sc_json_array_at(tcs, i), sc_json_array_at(ecs, i),
                    c));
        uint32_t ei, ti;
        TRY(sc_json_get_u32(ctx, sc_json_array_at(ecs, i), "index", &ei));
        TRY(sc_json_get_u32(ctx, sc_json_array_at(tcs, i), "index", &ti));
        if (ei != ti) {
            return sc_jctx_fail(ctx, SC_E_INVALID, "index",
                                "is %u in tally.json, %u in "
                                "encrypted_tally.json",
                                (unsigned)ti, (unsigned)ei);
        }
    }
    sc_jctx_where(ctx, "%s", "");
    return SC_OK;
}

sc_status sc_results_build(sc_jctx *ctx, const uint8_t h_e[32], const char *enc,
                           size_t enc_len, const char *tally, size_t tally_len,
                           uint64_t challenged, char **out)
{
    *out = NULL;
    sc_json *ej = NULL, *tj = NULL, *r = NULL;
    const char *file = ctx->file;
    char he[65];
    sc_hex_encode(he, h_e, 32);
    ctx->file = "encrypted_tally.json";
    sc_status rc = sc_json_parse(ctx, enc, enc_len, &ej);
    ctx->file = "tally.json";
    if (rc == SC_OK)
        rc = sc_json_parse(ctx, tally, tally_len, &tj);
    if (rc == SC_OK)
        r = sc_json_object();
    if (rc == SC_OK && r == NULL)
        rc = SC_E_NOMEM;
    if (rc == SC_OK)
        rc = sc_json_put_str(r, "format", SC_RESULTS_FORMAT);
    if (rc == SC_OK) {
        rc = sc_json_put_u64(r, "format_version", SC_RESULTS_VERSION);
    }
    if (rc == SC_OK)
        rc = sc_json_put_str(r, "h_e", he);
    if (rc == SC_OK) {
        rc = put_sha(r, "encrypted_tally_sha256", enc, enc_len);
    }
    if (rc == SC_OK)
        rc = put_sha(r, "tally_sha256", tally, tally_len);
    if (rc == SC_OK)
        rc = sc_json_put_u64(r, "challenged_ballots", challenged);
    if (rc == SC_OK)
        rc = build(ctx, ej, tj, r);
    if (rc == SC_OK) {
        *out = sc_json_dumps(r);
        rc = *out != NULL ? SC_OK : SC_E_NOMEM;
    }
    sc_json_free(ej);
    sc_json_free(tj);
    sc_json_free(r);
    ctx->file = file;
    return rc;
}
