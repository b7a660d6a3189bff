/* Verifier for ElectionGuard 2.0.0 records in egk's JSON layout: the
 * driver (scrutin/verify20.h). It registers the steps, runs them in
 * order and frees what they kept. Each step lives in one file:
 *
 *   v20_params.c        V1-V4  parameters, base hashes, manifest, guardian
 *                              keys, joint key, extended base hash
 *   v20_ballots.c       V5-V7.B  encrypted ballots (range and limit
 *                              proofs, contest hashes, confirmation codes)
 *   v20_chain.c         V7.C-G duplicate codes and the ballot chain
 *   v20_aggregation.c   V8     the encrypted tally
 *   v20_decrypt.c       V9-V10, V12-V13  decrypted tally and ballots
 *   v20_contest_data.c  V11, V14  contest data decryptions
 *   v20_challenged.c    V12-V14  challenged ballots against the record
 *
 * The 2.0 hash rows are in eghash20.c, egk's JSON in json20.c, and egk's
 * departures from the 2.0 text in docs/EGK20.md. What the 2.1 verifier
 * computes the same way (proof commitments, membership batches, products,
 * the worker pool) is shared: src/lib/verify/common/vcommon.h.
 *
 * Steps carry the 2.0.0 numbering ("Verification 1" .. "Verification 14",
 * §6.2 of the 2.0.0 text) and conditions their letters ("V5.D"). One
 * condition is Scrutin's own: V5.E, "the ballot's contests and options are
 * those of the manifest", without which 5/6/8 are not defined. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "verify20/v20.h"

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

int v20_skipped(const v20 *v, int step)
{
    return (v->opts.skip_steps & SC_V20_SKIP(step)) != 0;
}

void v20_path(const v20 *v, char *out, size_t cap, const char *rel)
{
    v20_sfmt(out, cap, "%s/%s", v->dir, rel);
}

int v20_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

void v20_set_fatal(v20 *v, sc_status rc)
{
    pthread_mutex_lock(&v->mu);
    if (v->fatal == SC_OK) {
        v->fatal = rc;
    }
    pthread_mutex_unlock(&v->mu);
}

int v20_is_member(const v20 *v, const mpz_t x)
{
    return sc_elem_is_member(v->grp, x);
}

/* Report a "could not check" whose message starts with "<file>: ": the
 * file becomes the report's `where`, the rest what went wrong. */
void v20_rep_err(v20 *v, const char *step, const char *msg)
{
    const char *sep = strstr(msg, ": ");
    if (sep == NULL || (size_t)(sep - msg) >= V20_WHERE) {
        sc_report_error(v->rep, step, NULL, "%s", msg);
        return;
    }
    char where[V20_WHERE];
    memcpy(where, msg, (size_t)(sep - msg));
    where[sep - msg] = '\0';
    sc_report_error(v->rep, step, where, "%s", sep + 2);
}

/* ------------------------------------------------------------------ */
/* the thread pool                                                      */

typedef struct v20_run {
    v20 *v;
    v20_task fn;
    void *arg;
} v20_run;

static void pool_item(void *ctx, int worker, vc_item it)
{
    v20_run *run = ctx;
    run->fn(run->v, &run->v->workers[worker], it.idx, run->arg);
}

/* The shared pool (verify/common/pool.c): at most nworkers threads, each
 * with its own v20_worker (partial products, contests seen). */
void v20_pool_run(v20 *v, size_t n, v20_task fn, void *arg)
{
    v20_run run = {v, fn, arg};
    vc_pool_for(v->nworkers, n, pool_item, &run);
}

/* ------------------------------------------------------------------ */
/* entry points                                                         */

int sc_verify20_is_record(const char *dir)
{
    char path[4200];
    char msg[V20_MSG];
    json_t *cfg = NULL;
    v20_sfmt(path, sizeof path, "%s/election_config.json", dir);
    if (v20_load(path, "election_config.json", &cfg, msg) != SC_OK) {
        return 0;
    }
    json_t *ver = json_object_get(cfg, "config_version");
    int yes = json_is_string(ver) &&
              strcmp(json_string_value(ver), SC_EG20_VERSION) == 0;
    json_decref(cfg);
    return yes;
}

static const char *const step_titles[15] = {
    NULL,
    "parameter validation",
    "guardian public keys",
    "election public key",
    "extended base hash",
    "selection encryptions",
    "vote limits",
    "confirmation codes",
    "ballot aggregation",
    "tally decryptions",
    "tally values",
    "tally contest data",
    "challenged decryptions",
    "challenged values",
    "challenged contest data",
};

/* Two arrays of n mpz_t, each set to `init`, for per-option (A, B). */
static sc_status pairs_new(size_t n, mpz_t **a, mpz_t **b, unsigned long init)
{
    *a = vc_mpz_array(n, init);
    *b = vc_mpz_array(n, init);
    if (*a == NULL || *b == NULL) {
        vc_mpz_array_free(*a, n);
        vc_mpz_array_free(*b, n);
        *a = NULL;
        *b = NULL;
        return SC_E_NOMEM;
    }
    return SC_OK;
}

static void pairs_free(size_t n, mpz_t *a, mpz_t *b)
{
    vc_mpz_array_free(a, n);
    vc_mpz_array_free(b, n);
}

static void v20_free(v20 *v)
{
    pairs_free(v->nopts, v->tA, v->tB);
    free(v->thave);
    if (v->workers != NULL) {
        for (int t = 0; t < v->nworkers; t++) {
            pairs_free(v->nopts, v->workers[t].aggA, v->workers[t].aggB);
            free(v->workers[t].used);
        }
        free(v->workers);
    }
    for (size_t i = 0; i < v->nballots; i++) {
        free(v->bpaths[i]);
        if (v->sums != NULL) {
            free(v->sums[i].id);
            free(v->sums[i].device);
            free(v->sums[i].baux);
        }
    }
    free(v->bpaths);
    free(v->sums);
    v20_manifest_free(v);
    free(v->baux0);
    sc_fb_free(v->fbK);
    mpz_clear(v->K);
    sc_group_free(v->grp);
    pthread_mutex_destroy(&v->mu);
}

static sc_status make_workers(v20 *v)
{
    v->thave = calloc(v->nopts + 1, 1);
    v->workers = calloc((size_t)v->nworkers, sizeof *v->workers);
    if (v->thave == NULL || v->workers == NULL ||
        pairs_new(v->nopts, &v->tA, &v->tB, 0) != SC_OK) {
        return SC_E_NOMEM;
    }
    for (int t = 0; t < v->nworkers; t++) {
        v20_worker *w = &v->workers[t];
        w->used = calloc(v->ncontests + 1, 1);
        if (w->used == NULL ||
            pairs_new(v->nopts, &w->aggA, &w->aggB, 1) != SC_OK) {
            return SC_E_NOMEM;
        }
    }
    return SC_OK;
}

/* H_P, H_M, H_B, H_E as recomputed feed the later hashes: when one
 * differs from the record, the checks that hash with it fail too, and the
 * report folds them under it. */
static void declare_roots(sc_report *rep)
{
    static const char by_he[] = "V5 V6 V7 V9 V11 V12 V14";
    char deps[96];
    snprintf(deps, sizeof deps, "V1.G V1.H V4 %s", by_he);
    sc_report_depends(rep, "V1.F", deps, "they hash with H_P");
    snprintf(deps, sizeof deps, "V1.H V4 %s", by_he);
    sc_report_depends(rep, "V1.G", deps,
                      "they hash with H_M (eq 6), through H_B and H_E");
    snprintf(deps, sizeof deps, "V4 %s", by_he);
    sc_report_depends(rep, "V1.H", deps,
                      "they hash with H_B (eq 7), through H_E");
    sc_report_depends(rep, "V4.A", by_he, "they hash with H_E (eq 23)");
}

sc_status sc_verify20_record(const char *dir, const sc_verify20_opts *opts,
                             sc_report *rep)
{
    sc_status rc = SC_OK;
    char msg[V20_MSG];
    if (dir == NULL || rep == NULL) {
        return SC_E_MISUSE;
    }
    v20 *v = calloc(1, sizeof *v);
    if (v == NULL) {
        return SC_E_NOMEM;
    }
    pthread_mutex_init(&v->mu, NULL);
    mpz_init(v->K);
    v20_sfmt(v->dir, sizeof v->dir, "%s", dir);
    v->rep = rep;
    if (opts != NULL) {
        v->opts = *opts;
    }
    v->nworkers = sc_verify_threads(&v->opts);
    if (v->nworkers > V20_MAX_THREADS) {
        v->nworkers = V20_MAX_THREADS;
    }
    sc_report_set_subject(rep, "2.0.0 (egk)", dir);
    for (int s = 1; s <= 14; s++) {
        char id[8];
        v20_sfmt(id, sizeof id, "V%d", s);
        sc_report_step(rep, id, step_titles[s]);
    }
    declare_roots(rep);
    SC_CHECK(sc_group_new(&v->grp, v20_record_group(v)));

    v20_step1_params(v);
    sc_report_end(rep, "V1");
    rc = v20_manifest_load(v, msg);
    if (rc != SC_OK) {
        /* without the manifest nothing past V4 can be checked */
        for (int s = 5; s <= 14; s++) {
            char id[8];
            v20_sfmt(id, sizeof id, "V%d", s);
            v20_rep_err(v, id, msg);
        }
        if (SC_STATUS_CLASS(rc) == SC_E_NOMEM) {
            goto done;
        }
        rc = SC_OK;
    } else {
        v->have_manifest = 1;
    }
    v20_steps2to4_keys(v);
    sc_report_end(rep, "V2");
    sc_report_end(rep, "V3");
    sc_report_end(rep, "V4");
    SC_CHECK(v->fatal);
    if (!v->have_manifest) {
        goto ended;
    }
    if (!v->have_keys || !v->have_cfg) {
        for (int s = 5; s <= 14; s++) {
            char id[8];
            v20_sfmt(id, sizeof id, "V%d", s);
            sc_report_error(rep, id, NULL,
                            "the election key or configuration could not be "
                            "read; nothing after V4 can be checked");
        }
        goto ended;
    }
    /* K's fixed-base table (V5, V6, V9, V11, V13): built only now that
     * those steps will run. At 4096 bits it is 2.4 MB and ~4,700 products,
     * wasted on a record stopped at V4 (and the fuzz target's mutated
     * inputs mostly are). */
    SC_CHECK(sc_fb_new(&v->fbK, v->grp, v->K));
    SC_CHECK(make_workers(v));

    v20_steps5to7_ballots(v);
    SC_CHECK(v->fatal);
    if (v20_skipped(v, 5)) {
        sc_report_skip(rep, "V5", "not requested");
    }
    if (v20_skipped(v, 6)) {
        sc_report_skip(rep, "V6", "not requested");
    }
    sc_report_end(rep, "V5");
    sc_report_end(rep, "V6");
    v20_step7_chain(v);
    sc_report_end(rep, "V7");
    SC_CHECK(v->fatal);
    v20_step8_aggregation(v);
    sc_report_end(rep, "V8");
    SC_CHECK(v->fatal);
    v20_steps9to11_tally(v);
    for (int s = 9; s <= 11; s++) {
        char id[8];
        v20_sfmt(id, sizeof id, "V%d", s);
        if (v20_skipped(v, s)) {
            sc_report_skip(rep, id, "not requested");
        }
    }
    if (!atomic_load(&v->data_tally) && !v20_skipped(v, 11)) {
        /* egk publishes tally contest data only when asked to decrypt it */
        sc_report_skip(rep, "V11", "no contest data decrypted in the tally");
    }
    sc_report_end(rep, "V9");
    sc_report_end(rep, "V10");
    sc_report_end(rep, "V11");
    SC_CHECK(v->fatal);
    v20_steps12to14_challenged(v);
    for (int s = 12; s <= 14; s++) {
        char id[8];
        v20_sfmt(id, sizeof id, "V%d", s);
        if (v20_skipped(v, s)) {
            sc_report_skip(rep, id, "not requested");
        }
    }
    SC_CHECK(v->fatal);
ended:
    for (int s = 5; s <= 14; s++) {
        char id[8];
        v20_sfmt(id, sizeof id, "V%d", s);
        sc_report_end(rep, id);
    }
done:
    if (rc != SC_OK) {
        sc_report_error(rep, "V1", NULL, "verification stopped: %s",
                        sc_strerror(rc));
    }
    v20_free(v);
    free(v);
    return rc;
}
