/* Verification 9 (correctness of ballot aggregation), spec §6.2.5: for
 * each option of each manifest contest, 9.A A = Π α_j, 9.B B = Π β_j over
 * the cast ballots (with weights, eq 80), against encrypted_tally.json.
 * The products were accumulated by the ballot workers. Also S1.E: the
 * published number of cast ballots. Keeps the published (A, B) for V10. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

/* Read encrypted_tally.json (before the ballot pass, so that V10 can run
 * beside it): the published (A, B) per option, the labels (11.A-B) and
 * the cast-ballot count for S1.E. */
void vr_v09_load(vr_ctx *ctx)
{
    char err[512];
    json_t *j = NULL;
    sc_report *rep = ctx->rep;
    const char *f = "encrypted_tally.json";
    if (!ctx->ok_man || ctx->grp == NULL) {
        goto done;
    }
    size_t nopt = ctx->man.nopt_total;
    ctx->pubA = calloc(nopt, sizeof(mpz_t));
    ctx->pubB = calloc(nopt, sizeof(mpz_t));
    ctx->have_pub = calloc(nopt ? nopt : 1, 1);
    if (ctx->pubA == NULL || ctx->pubB == NULL || ctx->have_pub == NULL) {
        sc_report_error(rep, "V9", NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nopt; i++) {
        mpz_init(ctx->pubA[i]);
        mpz_init(ctx->pubB[i]);
    }
    if (vr_load_json(ctx->dir, f, &j, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V9", f, "%s", err);
        goto done;
    }
    const json_t *cs = json_object_get(j, "contests");
    if (!json_is_array(cs)) {
        sc_report_error(rep, "V9", f, "no contests list");
        goto done;
    }
    for (size_t k = 0; k < json_array_size(cs); k++) {
        const json_t *c = json_array_get(cs, k);
        const json_t *os = json_object_get(c, "options");
        uint32_t ci = 0;
        char w[96];
        if (vr_u32(json_object_get(c, "index"), &ci) != SC_OK ||
            !json_is_array(os)) {
            sc_report_error(rep, "V9", f, "contest %zu is malformed", k + 1);
            continue;
        }
        if (ci < 1 || ci > ctx->man.ncontests) {
            snprintf(w, sizeof w, "encrypted tally contest %u", ci);
            sc_report_fail(rep, "V9.A", w, "contest is not in the manifest");
            continue;
        }
        const vr_contest *mc = &ctx->man.c[ci - 1];
        /* Labels of the encrypted tally (a tally of the record, 11.A-B). */
        const json_t *cl = json_object_get(c, "label");
        if (cl != NULL && (!json_is_string(cl) ||
                           strcmp(json_string_value(cl), mc->label) != 0)) {
            snprintf(w, sizeof w, "encrypted tally contest %u", ci);
            sc_report_fail(rep, "V11.A", w,
                           "label is not the manifest's contest label");
        }
        for (size_t m = 0; m < json_array_size(os); m++) {
            const json_t *o = json_array_get(os, m);
            uint32_t oi = 0;
            snprintf(w, sizeof w, "contest %u option %zu", ci, m + 1);
            if (vr_u32(json_object_get(o, "index"), &oi) != SC_OK) {
                sc_report_error(rep, "V9", w, "option without index");
                continue;
            }
            snprintf(w, sizeof w, "contest %u option %u", ci, oi);
            if (oi < 1 || oi > mc->nopt) {
                sc_report_fail(rep, "V9.A", w, "option is not in the manifest");
                continue;
            }
            const json_t *ol = json_object_get(o, "label");
            if (ol != NULL &&
                (!json_is_string(ol) ||
                 strcmp(json_string_value(ol), mc->opt[oi - 1].label) != 0)) {
                sc_report_fail(rep, "V11.B", w,
                               "encrypted tally option label is not the "
                               "manifest's");
            }
            size_t x = mc->agg_base + oi - 1;
            sc_status rc =
                vr_hex_mpz(ctx->pubA[x], json_object_get(o, "A"), ctx->grp->lp);
            if (rc == SC_OK) {
                rc = vr_hex_mpz(ctx->pubB[x], json_object_get(o, "B"),
                                ctx->grp->lp);
            }
            if (rc != SC_OK) {
                sc_report_error(rep, "V9", w, "A/B: %s", vr_what(rc));
                continue;
            }
            if (ctx->have_pub[x]) {
                sc_report_fail(rep, "V9.A", w, "option listed twice");
                continue;
            }
            ctx->have_pub[x] = 1;
        }
    }
    const json_t *nc = json_object_get(j, "cast_ballots");
    ctx->pub_cast = json_is_integer(nc) ? json_integer_value(nc) : -1;
    ctx->pub_loaded = 1;
done:
    json_decref(j);
}

/* 9.A, 9.B and S1.E after the ballot pass. */
void vr_v09_aggregation(vr_ctx *ctx)
{
    sc_report *rep = ctx->rep;
    const char *f = "encrypted_tally.json";
    if (!ctx->ok_man || ctx->grp == NULL) {
        sc_report_skip(rep, "V9", "manifest unavailable (V1)");
        goto done;
    }
    if (!ctx->pub_loaded) {
        goto done; /* could not read it: reported by vr_v09_load */
    }
    if (ctx->agg_incomplete || !ctx->ballots_ok || ctx->aggA == NULL) {
        sc_report_error(rep, "V9", NULL,
                        "some ballots could not be read: the products are "
                        "unknown");
        goto done;
    }
    if (ctx->pub_cast < 0 || (uint64_t)ctx->pub_cast != ctx->ncast) {
        sc_report_fail(rep, "S1.E", f,
                       "cast_ballots is %lld, the record holds %llu cast "
                       "ballots",
                       (long long)ctx->pub_cast,
                       (unsigned long long)ctx->ncast);
    }
    for (uint32_t ci = 1; ci <= ctx->man.ncontests; ci++) {
        const vr_contest *mc = &ctx->man.c[ci - 1];
        for (uint32_t oi = 1; oi <= mc->nopt; oi++) {
            size_t x = mc->agg_base + oi - 1;
            char w[96];
            snprintf(w, sizeof w, "contest %u option %u", ci, oi);
            if (!ctx->have_pub[x]) {
                sc_report_fail(rep, "V9.A", w,
                               "no aggregate (A, B) published for this "
                               "manifest option");
                continue;
            }
            int ok = 1;
            if (mpz_cmp(ctx->pubA[x], ctx->aggA[x]) != 0) {
                sc_report_fail(rep, "V9.A", w,
                               "A is not the product of the cast ballots' "
                               "alpha");
                ok = 0;
            }
            if (mpz_cmp(ctx->pubB[x], ctx->aggB[x]) != 0) {
                sc_report_fail(rep, "V9.B", w,
                               "B is not the product of the cast ballots' "
                               "beta");
                ok = 0;
            }
            if (ok) {
                sc_report_pass(rep, "V9", 1);
            }
        }
    }
done:
    sc_report_end(rep, "V9");
}
