/* Verification 11 (validation of contents of tallies), spec §6.2.5:
 * 11.A each tally contest label is the manifest's contest label (of the
 * contest with that index), 11.B each option label is the manifest's
 * option label, 11.C every manifest option of the contest is in the
 * tally, 11.D every contest that appears on a submitted ballot is in the
 * tally. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

void vr_v11_tally_contents(vr_ctx *ctx)
{
    char err[512];
    json_t *j = NULL;
    uint8_t *in_tally = NULL;
    sc_report *rep = ctx->rep;
    const char *f = "tally.json";
    if (!ctx->ok_man) {
        sc_report_skip(rep, "V11", "manifest unavailable (V1)");
        goto done;
    }
    if (vr_load_json(ctx->dir, f, &j, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V11", f, "%s", err);
        goto done;
    }
    const json_t *cs = json_object_get(j, "contests");
    in_tally = calloc(ctx->man.ncontests, 1);
    if (!json_is_array(cs) || in_tally == NULL) {
        sc_report_error(rep, "V11", f, "no contests list");
        goto done;
    }
    for (size_t k = 0; k < json_array_size(cs); k++) {
        const json_t *jc = json_array_get(cs, k);
        const json_t *os = json_object_get(jc, "options");
        const json_t *lab = json_object_get(jc, "label");
        uint32_t ci = 0;
        char w[96];
        if (vr_u32(json_object_get(jc, "index"), &ci) != SC_OK ||
            !json_is_array(os) || !json_is_string(lab)) {
            sc_report_error(rep, "V11", f, "contest %zu is malformed", k + 1);
            continue;
        }
        snprintf(w, sizeof w, "tally contest %u", ci);
        /* 11.A */
        if (ci < 1 || ci > ctx->man.ncontests ||
            strcmp(json_string_value(lab), ctx->man.c[ci - 1].label) != 0) {
            sc_report_fail(rep, "V11.A", w,
                           "label \"%s\" is not the manifest's contest label",
                           json_string_value(lab));
            continue;
        }
        if (in_tally[ci - 1]) {
            sc_report_fail(rep, "V11.A", w, "contest listed twice");
            continue;
        }
        in_tally[ci - 1] = 1;
        const vr_contest *mc = &ctx->man.c[ci - 1];
        uint8_t *seen = calloc(mc->nopt, 1);
        int ok = seen != NULL;
        for (size_t m = 0; seen != NULL && m < json_array_size(os); m++) {
            const json_t *o = json_array_get(os, m);
            const json_t *ol = json_object_get(o, "label");
            uint32_t oi = 0;
            if (vr_u32(json_object_get(o, "index"), &oi) != SC_OK ||
                !json_is_string(ol)) {
                sc_report_error(rep, "V11", w, "option %zu is malformed",
                                m + 1);
                ok = 0;
                continue;
            }
            /* 11.B */
            if (oi < 1 || oi > mc->nopt ||
                strcmp(json_string_value(ol), mc->opt[oi - 1].label) != 0 ||
                seen[oi - 1]) {
                sc_report_fail(rep, "V11.B", w,
                               "option %u \"%s\" is not an option of the "
                               "manifest contest (or is listed twice)",
                               oi, json_string_value(ol));
                ok = 0;
                continue;
            }
            seen[oi - 1] = 1;
        }
        /* 11.C */
        for (uint32_t oi = 1; seen != NULL && oi <= mc->nopt; oi++) {
            if (!seen[oi - 1]) {
                sc_report_fail(rep, "V11.C", w,
                               "manifest option %u \"%s\" is missing", oi,
                               mc->opt[oi - 1].label);
                ok = 0;
            }
        }
        free(seen);
        if (ok) {
            sc_report_pass(rep, "V11", 1);
        }
    }
    /* 11.D */
    if (ctx->contest_seen == NULL || !ctx->ballots_ok) {
        sc_report_error(rep, "V11", NULL,
                        "ballots unavailable: 11.D not checked");
        goto done;
    }
    for (uint32_t ci = 1; ci <= ctx->man.ncontests; ci++) {
        if (ctx->contest_seen[ci - 1] && !in_tally[ci - 1]) {
            char w[64];
            snprintf(w, sizeof w, "contest %u", ci);
            sc_report_fail(rep, "V11.D", w,
                           "contest \"%s\" is on ballots but not in the "
                           "tally",
                           ctx->man.c[ci - 1].label);
        }
    }
done:
    free(in_tally);
    json_decref(j);
    sc_report_end(rep, "V11");
}
