/* The 2.1 verifier's driver (scrutin/verify.h): registers the steps of
 * §6.2 in order, runs them, and ends them. docs/VERIFIER.md describes
 * each step. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify/vctx.h"

void sc_verify_opts_default(sc_verify_opts *o)
{
    memset(o, 0, sizeof *o);
}

int sc_verify_threads(const sc_verify_opts *o)
{
    int t = o != NULL ? o->threads : 0;
    if (t <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        t = n > 0 ? (int)n : 1;
    }
    return t > 256 ? 256 : t;
}

int sc_verify_is_record(const char *dir)
{
    char err[256];
    json_t *j = NULL;
    if (vr_load_json(dir, "record.json", &j, err, sizeof err) != SC_OK) {
        return 0;
    }
    const json_t *f = json_object_get(j, "format");
    int ok = json_is_string(f) &&
             strcmp(json_string_value(f), "scrutin-record") == 0;
    json_decref(j);
    return ok;
}

static const struct {
    const char *id, *title;
} k_steps[] = {
    {"V1", "parameters"},
    {"V2", "guardian public keys"},
    {"V3", "election public keys"},
    {"V4", "extended base hash"},
    {"V5", "selection encryption ids"},
    {"V6", "selection encryptions"},
    {"V7", "vote limits"},
    {"V8", "confirmation codes"},
    {"V9", "ballot aggregation"},
    {"V10", "tally decryptions"},
    {"V11", "tally contents"},
    {"V12", "contest data decryptions"},
    {"V13", "challenged ballot decryptions"},
    {"V14", "challenged ballot contents"},
    {"S1", "record consistency"},
    {"S2", "ballot nonce proofs (eq 38)"},
    {"S3", "challenged selection proofs"},
    {"S4", "challenged limit proofs"},
    {"S5", "contest data proofs (eq 69)"},
    {"S6", "guardian record hash H_G (eq 27)"},
    {"S7", "results.json = the decrypted tally"},
};

/* The hashes later steps are computed with (recomputed, never the
 * published ones): when one differs from the record, every check that
 * hashes with it fails too; the report folds those under it. */
static void declare_roots(sc_report *rep)
{
    static const char by_he[] = "V5.B V6 V7 V8 V10 V12 V13 S2 S3 S4 S5 S7";
    char deps[160];
    snprintf(deps, sizeof deps, "V1.F V2.C V4 %s S6", by_he);
    sc_report_depends(rep, "V1.E", deps,
                      "they hash with H_P (eq 4), directly or through H_B "
                      "and H_E");
    snprintf(deps, sizeof deps, "V4 %s S6", by_he);
    sc_report_depends(rep, "V1.F", deps,
                      "they hash with H_B (eq 5), directly or through H_E");
    sc_report_depends(rep, "V4.A", by_he,
                      "they hash with H_E (eq 30), directly or through H_I");
}

static int skipped(const vr_ctx *ctx, unsigned n)
{
    if (ctx->opts.skip_steps & SC_VERIFY_SKIP(n)) {
        char id[8];
        snprintf(id, sizeof id, "V%u", n);
        sc_report_skip(ctx->rep, id, "skipped on request");
        sc_report_end(ctx->rep, id);
        return 1;
    }
    return 0;
}

/* V2, V3 (3.A-B), S6 and V10: independent of the ballot pass. */
static void *side_steps(void *arg)
{
    vr_ctx *ctx = arg;
    if (!skipped(ctx, 2)) {
        vr_v02_guardians(ctx);
    }
    vr_v03_joint_key(ctx);
    vr_s06_guardian_record(ctx);
    if (!skipped(ctx, 10)) {
        vr_v10_tally(ctx);
    }
    return NULL;
}

sc_status sc_verify_record(const char *dir, const sc_verify_opts *opts,
                           sc_report *rep)
{
    vr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.rep = rep;
    ctx.dir = dir;
    if (opts != NULL) {
        ctx.opts = *opts;
    }
    mpz_init(ctx.K);
    mpz_init(ctx.Khat);
    mpz_init(ctx.Kinv);
    sc_report_set_subject(rep, SC_EG_VERSION, dir);
    for (size_t i = 0; i < sizeof k_steps / sizeof k_steps[0]; i++) {
        sc_report_step(rep, k_steps[i].id, k_steps[i].title);
    }
    declare_roots(rep);

    vr_v01_params(&ctx);
    if (ctx.grp == NULL) {
        for (size_t i = 1; i < sizeof k_steps / sizeof k_steps[0]; i++) {
            sc_report_skip(rep, k_steps[i].id,
                           "not checked: parameters not established (V1)");
            sc_report_end(rep, k_steps[i].id);
        }
        goto done;
    }
    /* The ballot pass needs only V1, K (V3's file) and H_E (V4); the key
     * ceremony checks (V2, 3.A-B, S6) and the tally decryptions (V10,
     * with the published aggregates read first) do not need the ballots,
     * so they run on a side thread beside the ballot pass. */
    vr_v03_load_keys(&ctx);
    vr_v04_extended_hash(&ctx);
    vr_v09_load(&ctx);
    pthread_t side;
    /* with one thread asked for, everything runs in turn */
    int side_started = sc_verify_threads(&ctx.opts) >= 2 &&
                       pthread_create(&side, NULL, side_steps, &ctx) == 0;
    if (!side_started) {
        side_steps(&ctx);
    }
    vr_ballots(&ctx);
    if (side_started) {
        pthread_join(side, NULL);
    }
    vr_v09_aggregation(&ctx);
    if (!skipped(&ctx, 11)) {
        vr_v11_tally_contents(&ctx);
    }
    int any_data = 0;
    for (uint32_t i = 0; ctx.ok_man && i < ctx.man.ncontests; i++) {
        any_data |= ctx.man.c[i].data_blocks != 0;
    }
    if (!any_data) {
        sc_report_skip(rep, "S5", "the manifest asks for no contest data");
    }
    /* V12: the joint decryptions of contest data are those of the
     * write-ins read from cast ballots (challenged ballots' contest data is
     * opened by its nonce, V13). */
    if (!skipped(&ctx, 12)) {
        vr_v12_write_ins(&ctx);
    } else {
        sc_report_end(rep, "V12");
    }
    /* S7: the published results are the tally V10 checked. */
    vr_s07_results(&ctx);
    sc_report_end(rep, "V13");
    sc_report_end(rep, "V14");
    sc_report_end(rep, "S1");
    sc_report_end(rep, "S2");
    sc_report_end(rep, "S3");
    sc_report_end(rep, "S4");
    sc_report_end(rep, "S5");
    /* L1-L4: the board's log, in an exported record (l01_log.c). */
    vr_log(&ctx);
    sc_report_order(rep, 0); /* set by the ballot pass */
done:
    if (ctx.Ki0 != NULL) {
        for (uint32_t i = 0; i < ctx.n; i++) {
            mpz_clear(ctx.Ki0[i]);
            mpz_clear(ctx.Khi0[i]);
        }
    }
    if (ctx.Kij != NULL && ctx.Khij != NULL && ctx.kappa != NULL) {
        for (size_t i = 0; i < (size_t)ctx.n * ctx.k; i++) {
            mpz_clear(ctx.Kij[i]);
            mpz_clear(ctx.Khij[i]);
        }
        for (uint32_t i = 0; i < ctx.n; i++) {
            mpz_clear(ctx.kappa[i]);
        }
    }
    free(ctx.Ki0);
    free(ctx.Khi0);
    free(ctx.Kij);
    free(ctx.Khij);
    free(ctx.kappa);
    size_t nopt = ctx.man.nopt_total;
    for (size_t i = 0; i < nopt; i++) {
        if (ctx.aggA != NULL) {
            mpz_clear(ctx.aggA[i]);
            mpz_clear(ctx.aggB[i]);
        }
        if (ctx.pubA != NULL) {
            mpz_clear(ctx.pubA[i]);
            mpz_clear(ctx.pubB[i]);
        }
    }
    free(ctx.aggA);
    free(ctx.aggB);
    free(ctx.pubA);
    free(ctx.pubB);
    free(ctx.have_pub);
    free(ctx.contest_seen);
    vr_devices_free(&ctx);
    vr_manifest_free(&ctx.man);
    sc_fb_free(ctx.K_fb);
    sc_fb_free(ctx.Khat_fb);
    mpz_clear(ctx.K);
    mpz_clear(ctx.Khat);
    mpz_clear(ctx.Kinv);
    sc_group_free(ctx.grp);
    return SC_OK;
}
