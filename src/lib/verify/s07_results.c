/* Supplementary S7: results.json (docs/BOARD.md §3.5), when the record
 * holds it, is the decrypted tally that Verification 10 checked:
 *   S7.A its form and what it is bound to: format "scrutin-results"
 *        version 1, h_e = H_E (recomputed, V4), tally_sha256 and
 *        encrypted_tally_sha256 = the SHA-256 of the record's tally.json
 *        and encrypted_tally.json, cast_ballots = encrypted_tally.json's,
 *        challenged_ballots = the openings in challenged.jsonl;
 *   S7.B every contest and option it names is the manifest's (index and
 *        label; supplemental fields by their "[...]" labels), once;
 *   S7.C every count (`votes`) is tally.json's `value` for that option,
 *        and every option of tally.json has its count.
 * Not applicable when the record has no results.json. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/core.h"
#include "scrutin/json.h"
#include "verify/vctx.h"

#define NO_VALUE UINT64_MAX

/* 64 hex digits, either case, equal to h. */
static int same_hash(const char *hex, const uint8_t h[32])
{
    uint8_t b[32];
    return strlen(hex) == 64 && sc_hex_decode(b, 32, hex, 64) == SC_OK &&
           memcmp(b, h, 32) == 0;
}

/* The SHA-256 of a record file; 0 if unreadable. */
static int file_sha(const vr_ctx *ctx, const char *name, uint8_t out[32],
                    uint64_t *lines)
{
    uint8_t *d = NULL;
    size_t len = 0;
    if (vr_load_file(ctx->dir, name, &d, &len) != SC_OK) {
        return 0;
    }
    crypto_hash_sha256(out, d, len);
    if (lines != NULL) { /* non-empty lines */
        *lines = 0;
        for (size_t i = 0; i < len; i++) {
            if (d[i] != '\n' && (i + 1 == len || d[i + 1] == '\n')) {
                (*lines)++;
            }
        }
    }
    free(d);
    return 1;
}

static sc_status parse_file(const vr_ctx *ctx, const char *name, sc_json **out,
                            char *err, size_t errlen)
{
    uint8_t *d = NULL;
    size_t len = 0;
    *out = NULL;
    if (vr_load_file(ctx->dir, name, &d, &len) != SC_OK) {
        snprintf(err, errlen, "cannot read");
        return SC_E_IO;
    }
    sc_jctx jc;
    sc_jctx_init(&jc, name, NULL);
    sc_status rc = sc_json_parse(&jc, (const char *)d, len, out);
    free(d);
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s", jc.msg);
    }
    return rc;
}

/* S7.A */
static void check_binding(vr_ctx *ctx, const sc_json *r)
{
    sc_report *rep = ctx->rep;
    const char *f = "results.json";
    sc_jctx jc;
    sc_jctx_init(&jc, f, NULL);
    const char *fmt = NULL, *he = NULL, *ts = NULL, *es = NULL;
    uint32_t ver = 0;
    uint64_t cast = 0, chal = 0;
    if (sc_json_get_str(&jc, r, "format", &fmt) != SC_OK ||
        sc_json_get_u32(&jc, r, "format_version", &ver) != SC_OK ||
        sc_json_get_str(&jc, r, "h_e", &he) != SC_OK ||
        sc_json_get_str(&jc, r, "tally_sha256", &ts) != SC_OK ||
        sc_json_get_str(&jc, r, "encrypted_tally_sha256", &es) != SC_OK ||
        sc_json_get_u64(&jc, r, "cast_ballots", &cast) != SC_OK ||
        sc_json_get_u64(&jc, r, "challenged_ballots", &chal) != SC_OK) {
        sc_report_fail(rep, "S7.A", f, "%s", jc.msg);
        return;
    }
    if (strcmp(fmt, "scrutin-results") != 0 || ver != 1) {
        sc_report_fail(rep, "S7.A", f, "format %s version %u: not %s 1", fmt,
                       (unsigned)ver, "scrutin-results");
        return;
    }
    uint8_t tally[32], enc[32], chs[32];
    uint64_t nopen = 0;
    if (ctx->ok_he) {
        if (!same_hash(he, ctx->he)) {
            sc_report_fail(rep, "S7.A", f, "h_e is not the election's H_E");
        } else {
            sc_report_pass(rep, "S7", 1);
        }
    }
    if (!file_sha(ctx, "tally.json", tally, NULL) ||
        !file_sha(ctx, "encrypted_tally.json", enc, NULL)) {
        sc_report_error(rep, "S7", f, "the tally files cannot be read");
        return;
    }
    if (!same_hash(ts, tally)) {
        sc_report_fail(rep, "S7.A", f,
                       "tally_sha256 is not the SHA-256 of tally.json");
    } else if (!same_hash(es, enc)) {
        sc_report_fail(rep, "S7.A", f,
                       "encrypted_tally_sha256 is not the SHA-256 of "
                       "encrypted_tally.json");
    } else if (ctx->pub_cast >= 0 && cast != (uint64_t)ctx->pub_cast) {
        sc_report_fail(rep, "S7.A", f,
                       "cast_ballots %llu: encrypted_tally.json says %lld",
                       (unsigned long long)cast, ctx->pub_cast);
    } else if (file_sha(ctx, "challenged.jsonl", chs, &nopen) &&
               chal != nopen) {
        sc_report_fail(rep, "S7.A", f,
                       "challenged_ballots %llu: challenged.jsonl holds "
                       "%llu openings",
                       (unsigned long long)chal, (unsigned long long)nopen);
    } else {
        sc_report_pass(rep, "S7", 1);
    }
}

/* tally.json's values, flat per manifest option (agg_base); NO_VALUE
 * where tally.json has none. */
static uint64_t *tally_values(vr_ctx *ctx)
{
    size_t n = ctx->man.nopt_total;
    uint64_t *v = malloc((n ? n : 1) * sizeof *v);
    if (v == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = NO_VALUE;
    }
    char err[256];
    sc_json *t = NULL, *cs = NULL;
    size_t nc = 0;
    sc_jctx jc;
    sc_jctx_init(&jc, "tally.json", NULL);
    if (parse_file(ctx, "tally.json", &t, err, sizeof err) != SC_OK ||
        sc_json_get_arr(&jc, t, "contests", &cs, &nc) != SC_OK) {
        sc_json_free(t);
        return v; /* V10 and V11 say why */
    }
    for (size_t k = 0; k < nc; k++) {
        const sc_json *c = sc_json_array_at(cs, k);
        sc_json *os = NULL;
        size_t no = 0;
        uint32_t ci = 0;
        if (sc_json_get_u32(&jc, c, "index", &ci) != SC_OK || ci < 1 ||
            ci > ctx->man.ncontests ||
            sc_json_get_arr(&jc, c, "options", &os, &no) != SC_OK) {
            continue;
        }
        const vr_contest *mc = &ctx->man.c[ci - 1];
        for (size_t m = 0; m < no; m++) {
            const sc_json *o = sc_json_array_at(os, m);
            uint32_t oi = 0;
            uint64_t val = 0;
            if (sc_json_get_u32(&jc, o, "index", &oi) == SC_OK && oi >= 1 &&
                oi <= mc->nopt &&
                sc_json_get_u64(&jc, o, "value", &val) == SC_OK) {
                v[mc->agg_base + oi - 1] = val;
            }
        }
    }
    sc_json_free(t);
    return v;
}

/* S7.B and S7.C for one contest of results.json. */
static void check_contest(vr_ctx *ctx, const sc_json *c, size_t k,
                          const uint64_t *tv, uint8_t *seen, uint64_t *ok)
{
    sc_report *rep = ctx->rep;
    const char *f = "results.json";
    sc_jctx jc;
    sc_jctx_init(&jc, f, NULL);
    uint32_t ci = 0;
    const char *label = NULL;
    sc_json *os = NULL;
    size_t no = 0;
    char w[96];
    snprintf(w, sizeof w, "results.json contest %zu", k + 1);
    if (sc_json_get_u32(&jc, c, "index", &ci) != SC_OK ||
        sc_json_get_str(&jc, c, "label", &label) != SC_OK ||
        sc_json_get_arr(&jc, c, "options", &os, &no) != SC_OK) {
        sc_report_fail(rep, "S7.B", w, "%s", jc.msg);
        return;
    }
    if (ci < 1 || ci > ctx->man.ncontests ||
        strcmp(label, ctx->man.c[ci - 1].label) != 0) {
        sc_report_fail(rep, "S7.B", w,
                       "contest %u \"%s\" is not a contest of the manifest",
                       (unsigned)ci, label);
        return;
    }
    const vr_contest *mc = &ctx->man.c[ci - 1];
    for (size_t m = 0; m < no; m++) {
        const sc_json *o = sc_json_array_at(os, m);
        uint32_t oi = 0;
        uint64_t votes = 0;
        snprintf(w, sizeof w, "results.json contest %u option %zu",
                 (unsigned)ci, m + 1);
        if (sc_json_get_u32(&jc, o, "index", &oi) != SC_OK ||
            sc_json_get_str(&jc, o, "label", &label) != SC_OK ||
            sc_json_get_u64(&jc, o, "votes", &votes) != SC_OK) {
            sc_report_fail(rep, "S7.B", w, "%s", jc.msg);
            continue;
        }
        if (oi < 1 || oi > mc->nopt ||
            strcmp(label, mc->opt[oi - 1].label) != 0) {
            sc_report_fail(rep, "S7.B", w,
                           "option %u \"%s\" is not an option of the "
                           "manifest's contest %u",
                           (unsigned)oi, label, (unsigned)ci);
            continue;
        }
        size_t x = mc->agg_base + oi - 1;
        if (seen[x]++) {
            sc_report_fail(rep, "S7.B", w, "option %u is listed twice",
                           (unsigned)oi);
            continue;
        }
        if (tv[x] == NO_VALUE) {
            sc_report_fail(rep, "S7.C", w,
                           "%llu votes for \"%s\": tally.json has no value "
                           "for it",
                           (unsigned long long)votes, label);
        } else if (votes != tv[x]) {
            sc_report_fail(rep, "S7.C", w,
                           "%llu votes for \"%s\": the decrypted tally "
                           "(tally.json, V10) is %llu",
                           (unsigned long long)votes, label,
                           (unsigned long long)tv[x]);
        } else {
            (*ok)++;
        }
    }
}

void vr_s07_results(vr_ctx *ctx)
{
    sc_report *rep = ctx->rep;
    const char *f = "results.json";
    char err[256];
    sc_json *r = NULL, *cs = NULL;
    uint64_t *tv = NULL;
    uint8_t *seen = NULL;
    uint8_t *probe = NULL;
    size_t plen = 0;
    if (vr_load_file(ctx->dir, f, &probe, &plen) != SC_OK) {
        sc_report_skip(rep, "S7", "the record has no results.json");
        goto out;
    }
    free(probe);
    if (!ctx->ok_man) {
        sc_report_skip(rep, "S7", "the manifest is unavailable");
        goto out;
    }
    if (parse_file(ctx, f, &r, err, sizeof err) != SC_OK) {
        sc_report_fail(rep, "S7.A", f, "not JSON: %s", err);
        goto out;
    }
    check_binding(ctx, r);
    sc_jctx jc;
    sc_jctx_init(&jc, f, NULL);
    size_t nc = 0;
    if (sc_json_get_arr(&jc, r, "contests", &cs, &nc) != SC_OK) {
        sc_report_fail(rep, "S7.B", f, "%s", jc.msg);
        goto out;
    }
    size_t n = ctx->man.nopt_total;
    tv = tally_values(ctx);
    seen = calloc(n ? n : 1, 1);
    if (tv == NULL || seen == NULL) {
        sc_report_error(rep, "S7", f, "out of memory");
        goto out;
    }
    uint64_t ok = 0;
    for (size_t k = 0; k < nc; k++) {
        check_contest(ctx, sc_json_array_at(cs, k), k, tv, seen, &ok);
    }
    /* S7.C: no count of the tally left out */
    for (uint32_t ci = 1; ci <= ctx->man.ncontests; ci++) {
        const vr_contest *mc = &ctx->man.c[ci - 1];
        for (uint32_t oi = 1; oi <= mc->nopt; oi++) {
            size_t x = mc->agg_base + oi - 1;
            if (tv[x] != NO_VALUE && !seen[x]) {
                char w[64];
                snprintf(w, sizeof w, "contest %u option %u", (unsigned)ci,
                         (unsigned)oi);
                sc_report_fail(rep, "S7.C", w,
                               "\"%s\" has a count in tally.json but none "
                               "in results.json",
                               mc->opt[oi - 1].label);
            }
        }
    }
    sc_report_pass(rep, "S7", ok);
out:
    free(tv);
    free(seen);
    sc_json_free(r);
    sc_report_end(rep, "S7");
}
