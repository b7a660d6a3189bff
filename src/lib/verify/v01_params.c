/* Verification 1 (parameter validation), spec §6.2.1: 1.A version,
 * 1.B-1.D p, q, g, 1.E H_P (eq 4), 1.F H_B (eq 5). Establishes the group,
 * n, k, the recomputed H_P and H_B, and the manifest for later steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

#include "scrutin/core.h"

static void hex32(char out[65], const uint8_t h[32])
{
    sc_hex_encode(out, h, 32);
}

/* Compare a published number with the group's (1.B-1.D). */
static void check_param(vr_ctx *ctx, const char *cond, const char *name,
                        const json_t *j, size_t nbytes, const mpz_t want)
{
    mpz_t x;
    mpz_init(x);
    sc_status rc = vr_hex_mpz(x, j, nbytes);
    if (rc != SC_OK) {
        sc_report_error(ctx->rep, "V1", "election_parameters.json", "%s: %s",
                        name, vr_what(rc));
    } else if (mpz_cmp(x, want) != 0) {
        sc_report_fail(ctx->rep, cond, "election_parameters.json",
                       "%s differs from the %s parameter set's", name,
                       ctx->grp->name);
    } else {
        sc_report_pass(ctx->rep, "V1", 1);
    }
    mpz_clear(x);
}

void vr_v01_params(vr_ctx *ctx)
{
    char err[512];
    json_t *rec = NULL, *par = NULL, *hs = NULL;
    uint8_t *man = NULL;
    size_t manlen = 0;
    sc_report *rep = ctx->rep;

    if (vr_load_json(ctx->dir, "record.json", &rec, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V1", "record.json", "%s", err);
        goto done;
    }
    const json_t *fmt = json_object_get(rec, "format");
    const json_t *fv = json_object_get(rec, "format_version");
    if (!json_is_string(fmt) ||
        strcmp(json_string_value(fmt), "scrutin-record") != 0 ||
        !json_is_integer(fv) || json_integer_value(fv) < 1 ||
        json_integer_value(fv) > 2) {
        sc_report_error(rep, "V1", "record.json",
                        "not a Scrutin record of format 1 or 2 "
                        "(docs/RECORD.md)");
    } else {
        ctx->format = (int)json_integer_value(fv);
    }
    /* 1.A (AMBIGUITIES 15): the record's version number against ours. */
    const json_t *ver = json_object_get(rec, "electionguard");
    if (!json_is_string(ver)) {
        sc_report_error(rep, "V1", "record.json", "no \"electionguard\"");
        goto done;
    }
    if (strcmp(json_string_value(ver), SC_EG_VERSION) != 0) {
        sc_report_fail(rep, "V1.A", "record.json",
                       "record made for ElectionGuard %s, verifier is %s",
                       json_string_value(ver), SC_EG_VERSION);
    } else {
        sc_report_pass(rep, "V1", 1);
    }
    const json_t *ps = json_object_get(rec, "parameter_set");
    sc_group_id gid;
    if (!json_is_string(ps) ||
        sc_group_id_from_name(&gid, json_string_value(ps)) != SC_OK) {
        sc_report_error(rep, "V1", "record.json",
                        "unknown or missing parameter_set");
        goto done;
    }
    if (gid != SC_GROUP_STANDARD && !ctx->opts.allow_test_parameters) {
        sc_report_fail(rep, "V1.B", "record.json",
                       "record uses the test parameter set \"%s\", not the "
                       "standard group of §3.1.1 (--allow-test-parameters "
                       "checks it against that set)",
                       json_string_value(ps));
        goto done;
    }
    if (sc_group_new(&ctx->grp, gid) != SC_OK) {
        sc_report_error(rep, "V1", NULL, "cannot set up the group");
        goto done;
    }

    if (vr_load_json(ctx->dir, "election_parameters.json", &par, err,
                     sizeof err) != SC_OK) {
        sc_report_error(rep, "V1", "election_parameters.json", "%s", err);
        goto done;
    }
    const json_t *fx = json_object_get(par, "fixed_parameters");
    const json_t *vn = json_object_get(
        json_object_get(fx, "ElectionGuard_Design_Specification_version"),
        "number");
    char vs[64] = "";
    if (json_is_array(vn) && json_array_size(vn) == 3) {
        snprintf(vs, sizeof vs, "%lld.%lld.%lld",
                 (long long)json_integer_value(json_array_get(vn, 0)),
                 (long long)json_integer_value(json_array_get(vn, 1)),
                 (long long)json_integer_value(json_array_get(vn, 2)));
    }
    if (strcmp(vs, SC_EG_VERSION) != 0) {
        sc_report_fail(rep, "V1.A", "election_parameters.json",
                       "specification version \"%s\", verifier is %s", vs,
                       SC_EG_VERSION);
    } else {
        sc_report_pass(rep, "V1", 1);
    }
    const json_t *grp = json_object_get(fx, "group");
    check_param(ctx, "V1.B", "p", json_object_get(grp, "p"), ctx->grp->lp,
                ctx->grp->p);
    check_param(ctx, "V1.C", "q", json_object_get(grp, "q"), ctx->grp->lq,
                ctx->grp->q);
    check_param(ctx, "V1.C", "field q",
                json_object_get(json_object_get(fx, "field"), "q"),
                ctx->grp->lq, ctx->grp->q);
    check_param(ctx, "V1.D", "g", json_object_get(grp, "g"), ctx->grp->lp,
                ctx->grp->g);

    const json_t *var = json_object_get(par, "varying_parameters");
    if (vr_u32(json_object_get(var, "n"), &ctx->n) != SC_OK ||
        vr_u32(json_object_get(var, "k"), &ctx->k) != SC_OK || ctx->k < 1 ||
        ctx->k > ctx->n || ctx->n > 1000) {
        sc_report_error(rep, "V1", "election_parameters.json",
                        "n and k must satisfy 1 <= k <= n <= 1000");
        goto done;
    }

    /* 1.E: H_P = H(ver; 0x00, p, q, g, n, k), eq (4). */
    sc_eg_param_base_hash(ctx->grp, ctx->n, ctx->k, ctx->hp);
    ctx->ok_hp = 1;
    if (vr_load_json(ctx->dir, "hashes.json", &hs, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V1", "hashes.json", "%s", err);
        goto done;
    }
    uint8_t pub[32];
    char a[65], b[65];
    sc_status rc = vr_hex_bytes(pub, json_object_get(hs, "h_p"), 32);
    if (rc != SC_OK) {
        sc_report_error(rep, "V1", "hashes.json", "h_p: %s", vr_what(rc));
    } else if (memcmp(pub, ctx->hp, 32) != 0) {
        hex32(a, pub);
        hex32(b, ctx->hp);
        sc_report_fail(rep, "V1.E", "hashes.json",
                       "h_p is %s, H(ver; 0x00, p, q, g, n, k) is %s", a, b);
    } else {
        sc_report_pass(rep, "V1", 1);
    }

    /* 1.F: H_B = H(H_P; 0x01, b(len, 4) ‖ manifest), eq (5). */
    rc = vr_load_file(ctx->dir, "election_manifest_canonical.bin", &man,
                      &manlen);
    if (rc != SC_OK) {
        sc_report_error(rep, "V1", "election_manifest_canonical.bin",
                        "cannot read the manifest");
        goto done;
    }
    sc_eg_election_base_hash(ctx->hp, man, manlen, ctx->hb);
    ctx->ok_hb = 1;
    rc = vr_hex_bytes(pub, json_object_get(hs, "h_b"), 32);
    if (rc != SC_OK) {
        sc_report_error(rep, "V1", "hashes.json", "h_b: %s", vr_what(rc));
    } else if (memcmp(pub, ctx->hb, 32) != 0) {
        hex32(a, pub);
        hex32(b, ctx->hb);
        sc_report_fail(rep, "V1.F", "hashes.json",
                       "h_b is %s, H(H_P; 0x01, manifest) is %s", a, b);
    } else {
        sc_report_pass(rep, "V1", 1);
    }
    if (vr_manifest_parse(&ctx->man, man, manlen, err, sizeof err) != SC_OK) {
        sc_report_error(rep, "V1", "election_manifest_canonical.bin", "%s",
                        err);
        goto done;
    }
    ctx->ok_man = 1;
done:
    json_decref(rec);
    json_decref(par);
    json_decref(hs);
    free(man);
    sc_report_end(rep, "V1");
}
