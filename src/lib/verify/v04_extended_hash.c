/* Verification 4 (extended base hash validation), spec §6.2.3:
 * 4.A H_E = H(H_B; 0x14, K, K̂) (eq 30). Later steps use the recomputed
 * H_E, so a wrong published value fails here and only here. */
#include <stdio.h>
#include <string.h>

#include "verify/vctx.h"

#include "scrutin/core.h"

void vr_v04_extended_hash(vr_ctx *ctx)
{
    char err[512];
    json_t *j = NULL;
    sc_report *rep = ctx->rep;
    const char *f = "hashes_ext.json";
    if (!ctx->ok_hb || !ctx->ok_K) {
        sc_report_skip(rep, "V4", "H_B or K unavailable (V1, V3)");
        goto done;
    }
    sc_eg_extended_base_hash(ctx->grp, ctx->hb, ctx->K, ctx->Khat, ctx->he);
    ctx->ok_he = 1;
    if (vr_load_json(ctx->dir, f, &j, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V4", f, "%s", err);
        goto done;
    }
    uint8_t pub[32];
    sc_status rc = vr_hex_bytes(pub, json_object_get(j, "h_e"), 32);
    if (rc != SC_OK) {
        sc_report_error(rep, "V4", f, "h_e: %s", vr_what(rc));
        goto done;
    }
    if (memcmp(pub, ctx->he, 32) != 0) {
        char a[65], b[65];
        sc_hex_encode(a, pub, 32);
        sc_hex_encode(b, ctx->he, 32);
        sc_report_fail(rep, "V4.A", f,
                       "h_e is %s, H(H_B; 0x14, K, K-hat) is %s", a, b);
    } else {
        sc_report_pass(rep, "V4", 1);
    }
done:
    json_decref(j);
    sc_report_end(rep, "V4");
}
