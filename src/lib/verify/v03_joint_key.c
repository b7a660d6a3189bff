/* Verification 3 (election public-key validation), spec §6.2.2:
 * 3.A K = Π K_i mod p, 3.B K̂ = Π K̂_i mod p (eq 25-26). Also loads the
 * published K and K̂ that every later step uses. */
#include <stdio.h>

#include "verify/vctx.h"

void vr_v03_load_keys(vr_ctx *ctx)
{
    char err[512];
    json_t *j = NULL;
    sc_report *rep = ctx->rep;
    const char *f = "joint_election_public_key.json";
    if (ctx->grp == NULL) {
        goto done;
    }
    if (vr_load_json(ctx->dir, f, &j, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V3", f, "%s", err);
        goto done;
    }
    sc_status rc = vr_hex_mpz(
        ctx->K, json_object_get(j, "joint_election_public_key"), ctx->grp->lp);
    if (rc == SC_OK) {
        rc = vr_hex_mpz(ctx->Khat,
                        json_object_get(j, "joint_ballot_data_public_key"),
                        ctx->grp->lp);
    }
    if (rc != SC_OK) {
        sc_report_error(rep, "V3", f, "K / K-hat: %s", vr_what(rc));
        goto done;
    }
    if (mpz_sgn(ctx->K) <= 0 || mpz_cmp(ctx->K, ctx->grp->p) >= 0 ||
        mpz_sgn(ctx->Khat) <= 0 || mpz_cmp(ctx->Khat, ctx->grp->p) >= 0) {
        sc_report_error(rep, "V3", f, "K / K-hat not in [1, p)");
        goto done;
    }
    /* the two tables side by side (common/tables.c) */
    const mpz_srcptr keys[2] = {ctx->K, ctx->Khat};
    sc_fb *fbs[2];
    if (vc_fb_new_many(ctx->grp, 2, keys, fbs, sc_verify_threads(&ctx->opts)) ==
        SC_OK) {
        ctx->K_fb = fbs[0];
        ctx->Khat_fb = fbs[1];
    }
    if (ctx->K_fb == NULL || ctx->Khat_fb == NULL) {
        sc_report_error(rep, "V3", NULL, "cannot build the tables for K");
        goto done;
    }
    if (sc_invmod(ctx->grp, ctx->Kinv, ctx->K) != SC_OK) {
        mpz_set_ui(ctx->Kinv, 0); /* not reached: p prime, 0 < K < p */
    }
    ctx->ok_K = 1;
done:
    json_decref(j);
}

void vr_v03_joint_key(vr_ctx *ctx)
{
    sc_report *rep = ctx->rep;
    const char *f = "joint_election_public_key.json";
    if (ctx->grp == NULL) {
        sc_report_skip(rep, "V3", "parameters unavailable (V1)");
        goto done;
    }
    if (!ctx->ok_K) {
        goto done; /* reported by vr_v03_load_keys */
    }
    if (!ctx->ok_guardians) {
        sc_report_error(rep, "V3", NULL,
                        "guardian keys unavailable (V2 could not read them)");
        goto done;
    }
    mpz_t prod, prodh;
    mpz_init_set_ui(prod, 1);
    mpz_init_set_ui(prodh, 1);
    for (uint32_t i = 0; i < ctx->n; i++) {
        sc_mulmod(ctx->grp, prod, prod, ctx->Ki0[i]);
        sc_mulmod(ctx->grp, prodh, prodh, ctx->Khi0[i]);
    }
    if (mpz_cmp(prod, ctx->K) != 0) {
        sc_report_fail(rep, "V3.A", f,
                       "K is not the product of the guardians' K_i");
    } else {
        sc_report_pass(rep, "V3", 1);
    }
    if (mpz_cmp(prodh, ctx->Khat) != 0) {
        sc_report_fail(rep, "V3.B", f,
                       "K-hat is not the product of the guardians' K-hat_i");
    } else {
        sc_report_pass(rep, "V3", 1);
    }
    mpz_clear(prod);
    mpz_clear(prodh);
done:
    sc_report_end(rep, "V3");
}
