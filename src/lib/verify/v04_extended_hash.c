/* Verification 4 (extended base hash validation), spec §6.2.3:
 * 4.A H_E = H(H_B; 0x14, K, K̂) (eq 30). Later steps use the recomputed
 * H_E, so a wrong published value fails here and only here.
 * Supplementary S6: the guardian record hash published beside it,
 * S6.A H_G = H(H_B; 0x13, K, K̂, K_1,0 .. K_n,k-1, K̂_1,0 .., κ_1 .. κ_n)
 * (eq 27), the value the guardians compared at the end of the key
 * ceremony; not a §6.2 step, but a published hash the record vouches
 * for. */
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
    const json_t *hg = json_object_get(j, "h_g");
    if (hg != NULL) {
        rc = vr_hex_bytes(ctx->hg, hg, 32);
        if (rc != SC_OK) {
            sc_report_error(rep, "S6", f, "h_g: %s", vr_what(rc));
        } else {
            ctx->have_hg = 1;
        }
    }
done:
    json_decref(j);
    sc_report_end(rep, "V4");
}

void vr_s06_guardian_record(vr_ctx *ctx)
{
    sc_report *rep = ctx->rep;
    const char *f = "hashes_ext.json";
    if (!ctx->have_hg) {
        if (sc_report_errors(rep, "S6") == 0) {
            sc_report_skip(rep, "S6", "no h_g in hashes_ext.json");
        }
    } else if (!ctx->ok_guardians || !ctx->ok_K || !ctx->ok_hb) {
        sc_report_error(rep, "S6", f, "guardian keys unavailable (V2)");
    } else {
        /* S6.A: eq (27) */
        uint8_t h[32];
        sc_eg_guardian_record_hash(ctx->grp, ctx->hb, ctx->K, ctx->Khat, ctx->n,
                                   ctx->k, (const mpz_t *)ctx->Kij,
                                   (const mpz_t *)ctx->Khij,
                                   (const mpz_t *)ctx->kappa, h);
        if (memcmp(h, ctx->hg, 32) != 0) {
            sc_report_fail(rep, "S6.A", f,
                           "h_g is not H(H_B; 0x13, K, K-hat, K_i,j..., "
                           "K-hat_i,j..., kappa_i...)");
        } else {
            sc_report_pass(rep, "S6", 1);
        }
    }
    sc_report_end(rep, "S6");
}
