/* Verifier for ElectionGuard 2.0.0 records in egk's JSON layout. See
 * scrutin/verify20.h; the 2.0 hash rows are in eghash20.c and egk's
 * departures from the 2.0 text are in docs/EGK20.md.
 *
 * Steps carry the 2.0.0 numbering ("Verification 1" .. "Verification 14",
 * §6.2 of the 2.0.0 text) and conditions their letters ("V5.D"). One
 * condition is Scrutin's own: V5.E, "the ballot's contests and options are
 * those of the manifest", without which 5/6/8 are not defined. */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/group.h"
#include "scrutin/verify20.h"
#include "verify20/eghash20.h"
#include "verify20/json20.h"

#define V20_MAX_THREADS 64
#define V20_MAX_GUARDIANS 10000
#define V20_MAX_LIMIT 1000 /* option / contest selection limits we accept */
#define V20_WHERE 320

enum { V20_OTHER = 0, V20_CAST = 1, V20_SPOILED = 2 };

typedef struct v20_option {
    char *id;
    uint32_t seq;
} v20_option;

typedef struct v20_contest {
    char *id;
    uint32_t seq;       /* ind_c (sequence_order) */
    uint32_t limit;     /* L, contest selection limit (votes_allowed) */
    uint32_t opt_limit; /* R, option selection limit (1 unless given) */
    size_t nopt;
    v20_option *opts;
    size_t base; /* index of option 0 in the flat aggregate arrays */
} v20_contest;

/* What is kept of each ballot after it has been checked. */
typedef struct v20_sum {
    char *id;
    char *device;
    int state;
    int parsed;
    uint8_t code[32]; /* confirmation_code as published */
    uint8_t *baux;    /* code_baux as published */
    size_t baux_len;
    uint8_t ctdig[32]; /* SHA-256 of all (alpha, beta), manifest order */
    int used_dec;      /* a challenged-ballot decryption refers to it */
} v20_sum;

typedef struct v20_worker {
    mpz_t *aggA, *aggB;  /* partial products over the cast ballots */
    unsigned char *used; /* contests seen on some ballot */
} v20_worker;

typedef struct v20 {
    char dir[4096];
    sc_report *rep;
    sc_verify20_opts opts;
    sc_group *grp;
    int have_cfg, have_keys;
    uint32_t n, k;
    int chaining;
    uint8_t *baux0;
    size_t baux0_len;
    uint8_t hp[32], hm[32], hb[32], he[32];
    mpz_t K;
    sc_fb *fbK;
    /* manifest */
    int have_manifest;
    size_t ncontests;
    v20_contest *contests;
    size_t nopts;
    /* the published aggregate (encrypted_tally.json), per flat option */
    mpz_t *tA, *tB;
    unsigned char *thave;
    /* ballots */
    size_t nballots;
    char **bpaths; /* relative to dir */
    v20_sum *sums;
    /* threads */
    int nworkers;
    v20_worker *workers;
    atomic_size_t next;
    atomic_int data_tally, data_ballot; /* contest data decryptions seen */
    sc_status fatal; /* first resource failure seen by a worker */
    pthread_mutex_t mu;
} v20;

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

static char *v20_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

static int skipped(const v20 *v, int step)
{
    return (v->opts.skip_steps & SC_V20_SKIP(step)) != 0;
}

static void path_of(const v20 *v, char *out, size_t cap, const char *rel)
{
    v20_sfmt(out, cap, "%s/%s", v->dir, rel);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void set_fatal(v20 *v, sc_status rc)
{
    pthread_mutex_lock(&v->mu);
    if (v->fatal == SC_OK) {
        v->fatal = rc;
    }
    pthread_mutex_unlock(&v->mu);
}

static int is_member(const v20 *v, const mpz_t x)
{
    return sc_elem_is_member(v->grp, x);
}

/* Report a "could not check" whose message starts with "<file>: ": the
 * file becomes the report's `where`, the rest what went wrong. */
static void rep_err(v20 *v, const char *step, const char *msg)
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
/* V1: parameters and base hashes                                       */

static void step1(v20 *v)
{
    char msg[V20_MSG];
    char path[4200];
    json_t *cons = NULL;
    json_t *cfg = NULL;
    uint8_t *man = NULL;
    size_t manlen = 0;
    mpz_t x;
    mpz_init(x);
    v20_loc loc = {.file = "constants.json", .path = "", .msg = msg};
    sc_status rc;

    /* 1.B - 1.E: the published constants are the standard ones. */
    path_of(v, path, sizeof path, "constants.json");
    rc = v20_load(path, "constants.json", &cons, msg);
    if (rc != SC_OK) {
        rep_err(v, "V1", msg);
    } else {
        static const char *const keys[4] = {"large_prime", "small_prime",
                                            "cofactor", "generator"};
        static const char *const conds[4] = {"V1.B", "V1.C", "V1.D", "V1.E"};
        mpz_srcptr want[4] = {v->grp->p, v->grp->q, v->grp->r, v->grp->g};
        for (int i = 0; i < 4; i++) {
            rc = v20_get_hexnum(&loc, cons, keys[i], x);
            if (rc != SC_OK) {
                rep_err(v, "V1", msg);
            } else if (mpz_cmp(x, want[i]) != 0) {
                sc_report_fail(v->rep, conds[i], "constants.json",
                               "%s is not the standard 2.0 value", keys[i]);
            } else {
                sc_report_pass(v->rep, "V1", 1);
            }
        }
    }

    /* 1.A: the record's version is the one we verify. */
    loc.file = "election_config.json";
    path_of(v, path, sizeof path, "election_config.json");
    rc = v20_load(path, "election_config.json", &cfg, msg);
    if (rc != SC_OK) {
        rep_err(v, "V1", msg);
        goto done;
    }
    const char *ver = NULL;
    long long n = 0;
    long long k = 0;
    json_t *chain = NULL;
    json_t *baux0 = NULL;
    rc = v20_get_str(&loc, cfg, "config_version", &ver);
    if (rc == SC_OK) {
        rc = v20_get_int(&loc, cfg, "number_of_guardians", 1, V20_MAX_GUARDIANS,
                         &n);
    }
    if (rc == SC_OK) {
        rc = v20_get_int(&loc, cfg, "quorum", 1, n, &k);
    }
    if (rc == SC_OK) {
        rc = v20_get(&loc, cfg, "chain_confirmation_codes", &chain);
        if (rc == SC_OK && !json_is_boolean(chain)) {
            v20_sfmt(msg, sizeof msg,
                     "election_config.json: field "
                     "'chain_confirmation_codes': not a boolean");
            rc = SC_E_INVALID_JSON;
        }
    }
    if (rc == SC_OK) {
        rc = v20_get_array(&loc, cfg, "baux0", &baux0);
    }
    if (rc != SC_OK) {
        rep_err(v, "V1", msg);
        goto done;
    }
    if (strcmp(ver, SC_EG20_VERSION) != 0) {
        sc_report_fail(v->rep, "V1.A", "election_config.json",
                       "config_version is '%s', this verifier checks '%s'", ver,
                       SC_EG20_VERSION);
    } else {
        sc_report_pass(v->rep, "V1", 1);
    }
    v->n = (uint32_t)n;
    v->k = (uint32_t)k;
    v->chaining = json_is_true(chain);
    v->baux0_len = json_array_size(baux0);
    v->baux0 = malloc(v->baux0_len + 1);
    if (v->baux0 == NULL) {
        set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    for (size_t i = 0; i < v->baux0_len; i++) {
        json_t *b = json_array_get(baux0, i);
        if (!json_is_integer(b) || json_integer_value(b) < 0 ||
            json_integer_value(b) > 255) {
            sc_report_error(v->rep, "V1", "election_config.json",
                            "election_config.json: field 'baux0[%zu]': not "
                            "a byte value",
                            i);
            goto done;
        }
        v->baux0[i] = (uint8_t)json_integer_value(b);
    }

    /* 1.F: H_P (eq 4/5) is the 2.0.0 constant, and the record says so. */
    sc_eg20_param_base_hash(v->grp, v->hp);
    uint8_t rec[32];
    if (sodium_memcmp(v->hp, sc_eg20_hp_constant, 32) != 0) {
        sc_report_fail(v->rep, "V1.F", NULL,
                       "H_P computed from the parameters differs from the "
                       "2.0.0 constant");
    } else {
        sc_report_pass(v->rep, "V1", 1);
    }
    rc = v20_get_hash(&loc, cfg, "parameter_base_hash", rec);
    if (rc != SC_OK) {
        rep_err(v, "V1", msg);
    } else if (memcmp(rec, v->hp, 32) != 0) {
        sc_report_fail(v->rep, "V1.F", "election_config.json",
                       "parameter_base_hash differs from H_P");
    } else {
        sc_report_pass(v->rep, "V1", 1);
    }

    /* 1.G: H_M over the manifest bytes exactly as stored (eq 6). */
    path_of(v, path, sizeof path, "manifest.json");
    rc = v20_read_file(path, "manifest.json", &man, &manlen, msg);
    if (rc != SC_OK) {
        rep_err(v, "V1", msg);
        goto done;
    }
    sc_eg20_manifest_hash(v->hp, man, manlen, v->hm);
    rc = v20_get_hash(&loc, cfg, "manifest_hash", rec);
    if (rc != SC_OK) {
        rep_err(v, "V1", msg);
    } else if (memcmp(rec, v->hm, 32) != 0) {
        sc_report_fail(v->rep, "V1.G", "election_config.json",
                       "manifest_hash differs from H_M of manifest.json");
    } else {
        sc_report_pass(v->rep, "V1", 1);
    }

    /* 1.H: H_B (eq 7). */
    sc_eg20_election_base_hash(v->hp, v->hm, v->n, v->k, v->hb);
    rc = v20_get_hash(&loc, cfg, "election_base_hash", rec);
    if (rc != SC_OK) {
        rep_err(v, "V1", msg);
    } else if (memcmp(rec, v->hb, 32) != 0) {
        sc_report_fail(v->rep, "V1.H", "election_config.json",
                       "election_base_hash differs from H_B");
    } else {
        sc_report_pass(v->rep, "V1", 1);
    }
    v->have_cfg = 1;
done:
    free(man);
    json_decref(cons);
    json_decref(cfg);
    mpz_clear(x);
}

/* ------------------------------------------------------------------ */
/* the manifest (contests, options, limits)                            */

static void free_manifest(v20 *v)
{
    for (size_t c = 0; c < v->ncontests; c++) {
        free(v->contests[c].id);
        for (size_t o = 0; o < v->contests[c].nopt; o++) {
            free(v->contests[c].opts[o].id);
        }
        free(v->contests[c].opts);
    }
    free(v->contests);
    v->contests = NULL;
    v->ncontests = 0;
}

static sc_status load_manifest(v20 *v, char *msg)
{
    char path[4200];
    json_t *man = NULL;
    json_t *contests;
    v20_loc root = {.file = "manifest.json", .path = "", .msg = msg};
    path_of(v, path, sizeof path, "manifest.json");
    sc_status rc = v20_load(path, "manifest.json", &man, msg);
    if (rc != SC_OK) {
        return rc;
    }
    SC_CHECK(v20_get_array(&root, man, "contests", &contests));
    v->ncontests = json_array_size(contests);
    v->contests = calloc(v->ncontests + 1, sizeof *v->contests);
    SC_ENSURE(v->contests != NULL, SC_E_NOMEM);
    v->nopts = 0;
    for (size_t c = 0; c < v->ncontests; c++) {
        v20_contest *ct = &v->contests[c];
        json_t *jc = json_array_get(contests, c);
        json_t *sels;
        json_t *ol;
        const char *id;
        long long x;
        v20_loc lc;
        v20_loc_key(&lc, &root, "contests");
        v20_loc_idx(&lc, &lc, c);
        SC_CHECK(v20_get_str(&lc, jc, "object_id", &id));
        ct->id = v20_strdup(id);
        SC_ENSURE(ct->id != NULL, SC_E_NOMEM);
        SC_CHECK(v20_get_int(&lc, jc, "sequence_order", 0, INT32_MAX, &x));
        ct->seq = (uint32_t)x;
        SC_CHECK(v20_get_int(&lc, jc, "votes_allowed", 0, V20_MAX_LIMIT, &x));
        ct->limit = (uint32_t)x;
        ct->opt_limit = 1;
        ol = json_object_get(jc, "option_selection_limit");
        if (ol != NULL && !json_is_null(ol)) {
            SC_CHECK(v20_get_int(&lc, jc, "option_selection_limit", 1,
                                 V20_MAX_LIMIT, &x));
            ct->opt_limit = (uint32_t)x;
        }
        SC_CHECK(v20_get_array(&lc, jc, "ballot_selections", &sels));
        ct->nopt = json_array_size(sels);
        ct->opts = calloc(ct->nopt + 1, sizeof *ct->opts);
        SC_ENSURE(ct->opts != NULL, SC_E_NOMEM);
        ct->base = v->nopts;
        v->nopts += ct->nopt;
        for (size_t o = 0; o < ct->nopt; o++) {
            json_t *js = json_array_get(sels, o);
            v20_loc ls;
            v20_loc_key(&ls, &lc, "ballot_selections");
            v20_loc_idx(&ls, &ls, o);
            SC_CHECK(v20_get_str(&ls, js, "object_id", &id));
            ct->opts[o].id = v20_strdup(id);
            SC_ENSURE(ct->opts[o].id != NULL, SC_E_NOMEM);
            SC_CHECK(v20_get_int(&ls, js, "sequence_order", 0, INT32_MAX, &x));
            ct->opts[o].seq = (uint32_t)x;
        }
    }
done:
    json_decref(man);
    return rc;
}

static int find_contest(const v20 *v, const char *id)
{
    for (size_t c = 0; c < v->ncontests; c++) {
        if (strcmp(v->contests[c].id, id) == 0) {
            return (int)c;
        }
    }
    return -1;
}

static int find_option(const v20_contest *ct, const char *id)
{
    for (size_t o = 0; o < ct->nopt; o++) {
        if (strcmp(ct->opts[o].id, id) == 0) {
            return (int)o;
        }
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* V2, V3, V4: guardian keys, joint key, extended base hash             */

static void steps2to4(v20 *v)
{
    char msg[V20_MSG];
    char path[4200];
    char where[V20_WHERE];
    json_t *init = NULL;
    json_t *gs;
    v20_loc root = {
        .file = "election_initialized.json", .path = "", .msg = msg};
    mpz_t Kij, c, r, h, cc, prod, Kpub;
    mpz_inits(Kij, c, r, h, cc, prod, Kpub, NULL);
    unsigned char *seen = NULL;
    sc_status rc;

    path_of(v, path, sizeof path, "election_initialized.json");
    rc = v20_load(path, "election_initialized.json", &init, msg);
    if (rc == SC_OK) {
        rc = v20_get_elem(&root, v->grp, init, "joint_public_key", Kpub);
    }
    if (rc == SC_OK) {
        rc = v20_get_array(&root, init, "guardians", &gs);
    }
    if (rc != SC_OK) {
        rep_err(v, "V2", msg);
        rep_err(v, "V3", msg);
        rep_err(v, "V4", msg);
        goto done;
    }
    mpz_set(v->K, Kpub);
    v->have_keys = 1;

    size_t ng = json_array_size(gs);
    seen = calloc(ng + 1, 1);
    if (seen == NULL) {
        set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    if (v->have_cfg && ng != v->n) {
        sc_report_fail(v->rep, "V3.B", "election_initialized.json",
                       "%zu guardians, election_config.json says n = %u", ng,
                       v->n);
    }
    mpz_set_ui(prod, 1);
    for (size_t gi = 0; gi < ng; gi++) {
        json_t *g = json_array_get(gs, gi);
        json_t *cps;
        long long x;
        v20_loc lg;
        v20_loc_key(&lg, &root, "guardians");
        v20_loc_idx(&lg, &lg, gi);
        rc = v20_get_int(&lg, g, "x_coordinate", 1, V20_MAX_GUARDIANS, &x);
        if (rc == SC_OK) {
            rc = v20_get_array(&lg, g, "coefficient_proofs", &cps);
        }
        if (rc != SC_OK) {
            rep_err(v, "V2", msg);
            continue;
        }
        uint32_t i = (uint32_t)x;
        size_t ncp = json_array_size(cps);
        v20_sfmt(where, sizeof where, "guardian %u", i);
        if ((v->have_cfg && i > v->n) || (i <= ng && seen[i - 1])) {
            sc_report_fail(v->rep, "V2.C", where,
                           "x_coordinate %u is out of range or repeated", i);
        } else if (i <= ng) {
            seen[i - 1] = 1;
        }
        if (v->have_cfg && ncp != v->k) {
            sc_report_fail(v->rep, "V2.C", where,
                           "%zu coefficient proofs, quorum k = %u", ncp, v->k);
        }
        for (size_t j = 0; j < ncp; j++) {
            json_t *p = json_array_get(cps, j);
            v20_loc lp;
            v20_loc_key(&lp, &lg, "coefficient_proofs");
            v20_loc_idx(&lp, &lp, j);
            v20_sfmt(where, sizeof where, "guardian %u coefficient %zu", i, j);
            rc = v20_get_elem(&lp, v->grp, p, "public_key", Kij);
            if (rc == SC_OK) {
                rc = v20_get_u256(&lp, p, "challenge", c);
            }
            if (rc == SC_OK) {
                rc = v20_get_u256(&lp, p, "response", r);
            }
            if (rc != SC_OK) {
                rep_err(v, "V2", msg);
                continue;
            }
            int ok = 1;
            int member = is_member(v, Kij);
            if (!member) { /* 2.A */
                sc_report_fail(v->rep, "V2.A", where, "K_i,j is not in Z_p^r");
                ok = 0;
            }
            if (!sc_scalar_in_range(v->grp, r)) { /* 2.B */
                sc_report_fail(v->rep, "V2.B", where, "v_i,j >= q");
                ok = 0;
            }
            /* 2.1: h_i,j = g^v_i,j * K_i,j^c_i,j; 2.C (eq 12), mod q. */
            mpz_set(h, Kij); /* the variable base goes in `out` (arith.h) */
            sc_fb_vb_pow2(v->grp->g_fb, r, NULL, h, c);
            sc_eg20_guardian_challenge_q(v->grp, v->hp, i, (uint32_t)j, Kij, h,
                                         cc);
            mpz_mod(c, c, v->grp->q);
            if (mpz_cmp(cc, c) != 0) {
                sc_report_fail(v->rep, "V2.C", where,
                               "challenge c_i,j differs from "
                               "H(H_P; 0x10, i, j, K_i,j, h_i,j)");
                ok = 0;
            }
            if (ok) {
                sc_report_pass(v->rep, "V2", 1);
            }
            if (j == 0) {
                /* 3.A: K_i = K_i,0 in Z_p^r and not 1. */
                v20_sfmt(where, sizeof where, "guardian %u", i);
                if (!member || mpz_cmp_ui(Kij, 1) == 0) {
                    sc_report_fail(v->rep, "V3.A", where,
                                   "K_i is not in Z_p^r or is 1");
                } else {
                    sc_report_pass(v->rep, "V3", 1);
                }
                sc_mulmod(v->grp, prod, prod, Kij);
            }
        }
    }
    /* 3.B: K = prod K_i and K != 1 (eq 8). */
    if (mpz_cmp(prod, v->K) != 0) {
        sc_report_fail(v->rep, "V3.B", "election_initialized.json",
                       "joint_public_key is not the product of the "
                       "guardians' keys");
    } else if (mpz_cmp_ui(v->K, 1) == 0 || !is_member(v, v->K)) {
        sc_report_fail(v->rep, "V3.B", "election_initialized.json",
                       "joint_public_key is 1 or not in Z_p^r");
    } else {
        sc_report_pass(v->rep, "V3", 1);
    }

    /* 4.A: H_E = H(H_B; 0x12, K) (eq 23). */
    uint8_t rec[32];
    sc_eg20_extended_base_hash(v->grp, v->hb, v->K, v->he);
    rc = v20_get_hash(&root, init, "extended_base_hash", rec);
    if (rc != SC_OK) {
        rep_err(v, "V4", msg);
    } else if (!v->have_cfg) {
        sc_report_error(v->rep, "V4", NULL,
                        "H_B unknown (election_config.json unreadable)");
    } else if (memcmp(rec, v->he, 32) != 0) {
        sc_report_fail(v->rep, "V4.A", "election_initialized.json",
                       "extended_base_hash differs from H(H_B; 0x12, K)");
    } else {
        sc_report_pass(v->rep, "V4", 1);
    }
    rc = sc_fb_new(&v->fbK, v->grp, v->K);
    if (rc != SC_OK) {
        set_fatal(v, rc);
        v->have_keys = 0;
    }
done:
    free(seen);
    json_decref(init);
    mpz_clears(Kij, c, r, h, cc, prod, Kpub, NULL);
}

/* ------------------------------------------------------------------ */
/* the thread pool                                                      */

typedef void (*v20_task)(v20 *v, v20_worker *w, size_t idx, void *arg);

typedef struct v20_run {
    v20 *v;
    v20_worker *w;
    size_t n;
    v20_task fn;
    void *arg;
} v20_run;

static void *pool_main(void *p)
{
    v20_run *run = p;
    for (;;) {
        size_t i = atomic_fetch_add(&run->v->next, 1);
        if (i >= run->n) {
            break;
        }
        run->fn(run->v, run->w, i, run->arg);
    }
    return NULL;
}

static void pool_run(v20 *v, size_t n, v20_task fn, void *arg)
{
    pthread_t th[V20_MAX_THREADS];
    v20_run runs[V20_MAX_THREADS];
    int started = 0;
    atomic_store(&v->next, 0);
    for (int t = 0; t < v->nworkers; t++) {
        runs[t] = (v20_run){v, &v->workers[t], n, fn, arg};
    }
    for (int t = 1; t < v->nworkers && (size_t)t < n; t++) {
        if (pthread_create(&th[t], NULL, pool_main, &runs[t]) != 0) {
            break;
        }
        started = t;
    }
    pool_main(&runs[0]);
    for (int t = 1; t <= started; t++) {
        pthread_join(th[t], NULL);
    }
}

/* ------------------------------------------------------------------ */
/* range proofs (V5, V6): eq 5.1-5.3 / 6.3-6.5                          */

/* Check the proof (c_j, v_j), 0 <= j < n, that (alpha, beta) encrypts a
 * value in 0..n-1. Reports failures of `step`.C / `step`.D. Returns 1 ok. */
static int check_range(v20 *v, const char *step, const char *where,
                       const mpz_t alpha, const mpz_t beta, size_t n, mpz_t *c,
                       mpz_t *r)
{
    char cond[12];
    int ok = 1;
    sc_vb *va = NULL;
    sc_vb *vbb = NULL;
    mpz_t *a = malloc((n + 1) * sizeof *a);
    mpz_t *b = malloc((n + 1) * sizeof *b);
    mpz_t w, sum, ch;
    mpz_inits(w, sum, ch, NULL);
    if (a == NULL || b == NULL || sc_vb_new(&va, v->grp, alpha) != SC_OK ||
        sc_vb_new(&vbb, v->grp, beta) != SC_OK) {
        set_fatal(v, SC_E_NOMEM);
        free(a);
        free(b);
        sc_vb_free(va);
        sc_vb_free(vbb);
        mpz_clears(w, sum, ch, NULL);
        return 0;
    }
    for (size_t j = 0; j < n; j++) {
        mpz_inits(a[j], b[j], NULL);
    }
    mpz_set_ui(sum, 0);
    for (size_t j = 0; j < n; j++) {
        if (!sc_scalar_in_range(v->grp, r[j])) { /* 5.C / 6.C */
            v20_sfmt(cond, sizeof cond, "%s.C", step);
            sc_report_fail(v->rep, cond, where, "response v_%zu >= q", j);
            ok = 0;
        }
        /* 5.1: a_j = g^v_j alpha^c_j; 5.2: b_j = K^w_j beta^c_j,
         * w_j = (v_j - j c_j) mod q. c_j < 2^256 (5.B) by its width. */
        sc_fb_vb_pow2(v->grp->g_fb, r[j], va, a[j], c[j]);
        mpz_mul_ui(w, c[j], (unsigned long)j);
        mpz_sub(w, r[j], w);
        mpz_mod(w, w, v->grp->q);
        sc_fb_vb_pow2(v->fbK, w, vbb, b[j], c[j]);
        mpz_add(sum, sum, c[j]);
    }
    /* 5.3 and 5.D: c = H(H_E; 0x21, K, alpha, beta, a_0, b_0, ...) equals
     * (c_0 + ... + c_R) mod q (compared mod q, NOTES [Δ2.0]). */
    mpz_mod(sum, sum, v->grp->q);
    sc_eg20_range_challenge_q(v->grp, v->he, v->K, alpha, beta, n,
                              (const mpz_t *)a, (const mpz_t *)b, ch);
    if (mpz_cmp(sum, ch) != 0) {
        v20_sfmt(cond, sizeof cond, "%s.D", step);
        sc_report_fail(v->rep, cond, where,
                       "sum of challenges differs from H(H_E; 0x21, K, "
                       "alpha, beta, a_0, b_0, ...)");
        ok = 0;
    }
    for (size_t j = 0; j < n; j++) {
        mpz_clears(a[j], b[j], NULL);
    }
    free(a);
    free(b);
    sc_vb_free(va);
    sc_vb_free(vbb);
    mpz_clears(w, sum, ch, NULL);
    return ok;
}

/* Read proofs[] = [{challenge, response}, ...] of exactly `n` parts. */
static sc_status read_proofs(const v20_loc *loc, json_t *obj, size_t n,
                             mpz_t *c, mpz_t *r, size_t *got)
{
    json_t *pr;
    json_t *ps;
    v20_loc lp;
    sc_status rc = v20_get(loc, obj, "proof", &pr);
    if (rc != SC_OK) {
        return rc;
    }
    v20_loc_key(&lp, loc, "proof");
    rc = v20_get_array(&lp, pr, "proofs", &ps);
    if (rc != SC_OK) {
        return rc;
    }
    *got = json_array_size(ps);
    v20_loc_key(&lp, &lp, "proofs");
    for (size_t j = 0; j < n && j < *got; j++) {
        v20_loc lj;
        json_t *p = json_array_get(ps, j);
        v20_loc_idx(&lj, &lp, j);
        rc = v20_get_u256(&lj, p, "challenge", c[j]);
        if (rc == SC_OK) {
            rc = v20_get_u256(&lj, p, "response", r[j]);
        }
        if (rc != SC_OK) {
            return rc;
        }
    }
    return SC_OK;
}

/* ------------------------------------------------------------------ */
/* one encrypted ballot: V5, V6, V7.A/B, aggregation input              */

/* Order-free digest of a ballot's ciphertexts (V12: a decrypted
 * challenged ballot must be about the encrypted one): XOR over the
 * selections of SHA-256(contest id ‖ 0 ‖ option id ‖ 0 ‖ alpha ‖ beta).
 * Repeated and missing selections are caught by 13.E / 13.F. */
static void sel_digest(const v20 *v, uint8_t acc[32], const char *cid,
                       const char *oid, const mpz_t alpha, const mpz_t beta)
{
    uint8_t e[1024];
    uint8_t d[32];
    size_t lp = v->grp->lp;
    crypto_hash_sha256_state st;
    if (lp > 512) {
        return;
    }
    sc_elem_encode(v->grp, e, alpha);
    sc_elem_encode(v->grp, e + lp, beta);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)cid, strlen(cid) + 1);
    crypto_hash_sha256_update(&st, (const uint8_t *)oid, strlen(oid) + 1);
    crypto_hash_sha256_update(&st, e, 2 * lp);
    crypto_hash_sha256_final(&st, d);
    for (int i = 0; i < 32; i++) {
        acc[i] ^= d[i];
    }
}

typedef struct v20_sel {
    int opt; /* manifest option index */
    mpz_t alpha, beta;
} v20_sel;

static void ballot_task(v20 *v, v20_worker *w, size_t idx, void *arg)
{
    (void)arg;
    char msg[V20_MSG];
    char path[4200];
    char where[V20_WHERE];
    const char *rel = v->bpaths[idx];
    v20_sum *sum = &v->sums[idx];
    json_t *jb = NULL;
    json_t *contests;
    const char *s;
    v20_loc root = {.file = rel, .path = "", .msg = msg};
    v20_sel *sels = NULL;
    size_t maxsel = 0;
    mpz_t *pc = NULL;
    mpz_t *pr = NULL;
    size_t maxp = 0;
    mpz_t ab, bb;
    mpz_inits(ab, bb, NULL);
    uint8_t *chis = NULL;
    size_t nchis = 0;
    sc_status rc;
    memset(sum->ctdig, 0, sizeof sum->ctdig);

    /* ballot-wide errors go to every ballot step */
    path_of(v, path, sizeof path, rel);
    rc = v20_load(path, rel, &jb, msg);
    if (rc == SC_OK) {
        rc = v20_get_str(&root, jb, "ballot_id", &s);
    }
    if (rc == SC_OK) {
        sum->id = v20_strdup(s);
        rc = v20_get_str(&root, jb, "state", &s);
    }
    if (rc == SC_OK) {
        sum->state =
            strcmp(s, "CAST") == 0 ? V20_CAST
            : (strcmp(s, "SPOILED") == 0 || strcmp(s, "CHALLENGED") == 0)
                ? V20_SPOILED
                : V20_OTHER;
        rc = v20_get_hash(&root, jb, "confirmation_code", sum->code);
    }
    if (rc == SC_OK) {
        rc = v20_get_bytes(&root, jb, "code_baux", &sum->baux, &sum->baux_len);
    }
    if (rc == SC_OK) {
        rc = v20_get_array(&root, jb, "contests", &contests);
    }
    if (rc != SC_OK) {
        rep_err(v, "V5", msg);
        goto done;
    }
    if (json_is_true(json_object_get(jb, "is_preencrypt"))) {
        /* Verifications 15-18 (pre-encrypted ballots) are outside this
         * verifier: say so rather than check such a ballot wrongly */
        sc_report_error(v->rep, "V5", rel,
                        "pre-encrypted ballot: Verifications 15-18 are "
                        "not supported");
        goto done;
    }
    size_t nc = json_array_size(contests);
    chis = malloc(32 * (nc + 1));
    if (chis == NULL) {
        set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    int last_c = -1;
    for (size_t ci = 0; ci < nc; ci++) {
        json_t *jc = json_array_get(contests, ci);
        json_t *jsels;
        v20_loc lc;
        long long seq;
        uint8_t chi_rec[32];
        v20_loc_key(&lc, &root, "contests");
        v20_loc_idx(&lc, &lc, ci);
        rc = v20_get_str(&lc, jc, "contest_id", &s);
        if (rc == SC_OK) {
            rc = v20_get_int(&lc, jc, "sequence_order", 0, INT32_MAX, &seq);
        }
        if (rc == SC_OK) {
            rc = v20_get_array(&lc, jc, "selections", &jsels);
        }
        if (rc == SC_OK) {
            rc = v20_get_hash(&lc, jc, "contest_hash", chi_rec);
        }
        if (rc != SC_OK) {
            rep_err(v, "V5", msg);
            goto done;
        }
        memcpy(chis + 32 * nchis, chi_rec, 32);
        nchis++;
        int c = find_contest(v, s);
        v20_sfmt(where, sizeof where, "ballot %s contest %s", sum->id, s);
        if (c < 0 || c <= last_c || v->contests[c].seq != (uint32_t)seq) {
            sc_report_fail(v->rep, "V5.E", where,
                           "contest not in the manifest, out of order, or "
                           "with another sequence_order");
            continue;
        }
        last_c = c;
        const v20_contest *ct = &v->contests[c];
        w->used[c] = 1;
        size_t ns = json_array_size(jsels);
        if (ns != ct->nopt) {
            sc_report_fail(v->rep, "V5.E", where,
                           "%zu selections, the manifest has %zu options", ns,
                           ct->nopt);
            continue;
        }
        if (ns > maxsel) {
            v20_sel *ns2 = realloc(sels, ns * sizeof *sels);
            if (ns2 == NULL) {
                set_fatal(v, SC_E_NOMEM);
                goto done;
            }
            sels = ns2;
            for (size_t k2 = maxsel; k2 < ns; k2++) {
                mpz_inits(sels[k2].alpha, sels[k2].beta, NULL);
            }
            maxsel = ns;
        }
        size_t needp =
            (ct->opt_limit > ct->limit ? ct->opt_limit : ct->limit) + 1;
        if (needp > maxp) {
            mpz_t *a2 = realloc(pc, needp * sizeof *pc);
            if (a2 == NULL) {
                set_fatal(v, SC_E_NOMEM);
                goto done;
            }
            pc = a2;
            a2 = realloc(pr, needp * sizeof *pr);
            if (a2 == NULL) {
                set_fatal(v, SC_E_NOMEM);
                goto done;
            }
            pr = a2;
            for (size_t k2 = maxp; k2 < needp; k2++) {
                mpz_inits(pc[k2], pr[k2], NULL);
            }
            maxp = needp;
        }
        /* read the selections and check membership (5.A / 6.A) */
        int struct_ok = 1;
        int members_ok = 1;
        for (size_t si = 0; si < ns; si++) {
            json_t *js = json_array_get(jsels, si);
            json_t *ev;
            v20_loc ls;
            v20_loc le;
            v20_loc_key(&ls, &lc, "selections");
            v20_loc_idx(&ls, &ls, si);
            rc = v20_get_str(&ls, js, "selection_id", &s);
            if (rc == SC_OK) {
                rc = v20_get(&ls, js, "encrypted_vote", &ev);
            }
            v20_loc_key(&le, &ls, "encrypted_vote");
            if (rc == SC_OK) {
                rc = v20_get_elem(&le, v->grp, ev, "pad", sels[si].alpha);
            }
            if (rc == SC_OK) {
                rc = v20_get_elem(&le, v->grp, ev, "data", sels[si].beta);
            }
            if (rc != SC_OK) {
                rep_err(v, "V5", msg);
                goto done;
            }
            sels[si].opt = find_option(ct, s);
            if (sels[si].opt != (int)si) {
                sc_report_fail(v->rep, "V5.E", where,
                               "selection %zu is '%s', the manifest's "
                               "option %zu is '%s'",
                               si, s, si, ct->opts[si].id);
                struct_ok = 0;
            }
        }
        if (!struct_ok) {
            continue;
        }
        if (!skipped(v, 5) || !skipped(v, 6)) {
            mpz_t *xs = malloc(2 * ns * sizeof *xs + 1);
            if (xs == NULL) {
                set_fatal(v, SC_E_NOMEM);
                goto done;
            }
            for (size_t si = 0; si < ns; si++) {
                memcpy(&xs[2 * si], &sels[si].alpha, sizeof(mpz_t));
                memcpy(&xs[2 * si + 1], &sels[si].beta, sizeof(mpz_t));
            }
            size_t bad = 0;
            if (sc_subgroup_check_batch(v->grp, 2 * ns, (const mpz_t *)xs, NULL,
                                        &bad) != SC_OK) {
                members_ok = 0;
                for (size_t si = 0; si < ns; si++) {
                    if (!is_member(v, sels[si].alpha) ||
                        !is_member(v, sels[si].beta)) {
                        char w2[V20_WHERE];
                        v20_sfmt(w2, sizeof w2, "%s option %s", where,
                                 ct->opts[si].id);
                        sc_report_fail(v->rep, "V5.A", w2,
                                       "alpha or beta is not in Z_p^r");
                    }
                }
                sc_report_fail(v->rep, "V6.A", where,
                               "some alpha_i or beta_i is not in Z_p^r");
            }
            free(xs);
        }
        /* V5: each selection's range proof over 0..R (eq 5.1-5.3). */
        for (size_t si = 0; si < ns && !skipped(v, 5); si++) {
            json_t *js = json_array_get(jsels, si);
            v20_loc ls;
            size_t got = 0;
            char w2[V20_WHERE];
            size_t np = ct->opt_limit + 1;
            v20_loc_key(&ls, &lc, "selections");
            v20_loc_idx(&ls, &ls, si);
            v20_sfmt(w2, sizeof w2, "%s option %s", where, ct->opts[si].id);
            rc = read_proofs(&ls, js, np, pc, pr, &got);
            if (rc != SC_OK) {
                rep_err(v, "V5", msg);
                goto done;
            }
            if (got != np) {
                sc_report_fail(v->rep, "V5.D", w2,
                               "proof has %zu parts, R + 1 = %zu", got, np);
                continue;
            }
            if (check_range(v, "V5", w2, sels[si].alpha, sels[si].beta, np, pc,
                            pr) &&
                members_ok) {
                sc_report_pass(v->rep, "V5", 1);
            }
        }
        /* V6: the contest total is in 0..L (eq 6.1-6.5). */
        mpz_set_ui(ab, 1);
        mpz_set_ui(bb, 1);
        for (size_t si = 0; si < ns; si++) {
            sc_mulmod(v->grp, ab, ab, sels[si].alpha);
            sc_mulmod(v->grp, bb, bb, sels[si].beta);
        }
        if (!skipped(v, 6)) {
            size_t got = 0;
            size_t np = ct->limit + 1;
            rc = read_proofs(&lc, jc, np, pc, pr, &got);
            if (rc != SC_OK) {
                rep_err(v, "V6", msg);
                goto done;
            }
            if (got != np) {
                sc_report_fail(v->rep, "V6.D", where,
                               "proof has %zu parts, L + 1 = %zu", got, np);
            } else if (check_range(v, "V6", where, ab, bb, np, pc, pr) &&
                       members_ok) {
                sc_report_pass(v->rep, "V6", 1);
            }
        }
        /* 7.A: chi_l = H(H_E; 0x23, ind_c, K, alpha_1, beta_1, ...). */
        {
            mpz_t *al = malloc(ns * sizeof *al + 1);
            mpz_t *be = malloc(ns * sizeof *be + 1);
            uint8_t chi[32];
            if (al == NULL || be == NULL) {
                free(al);
                free(be);
                set_fatal(v, SC_E_NOMEM);
                goto done;
            }
            for (size_t si = 0; si < ns; si++) {
                memcpy(&al[si], &sels[si].alpha, sizeof(mpz_t));
                memcpy(&be[si], &sels[si].beta, sizeof(mpz_t));
            }
            sc_eg20_contest_hash(v->grp, v->he, ct->seq, v->K, ns,
                                 (const mpz_t *)al, (const mpz_t *)be, chi);
            free(al);
            free(be);
            if (memcmp(chi, chi_rec, 32) != 0) {
                sc_report_fail(v->rep, "V7.A", where,
                               "contest_hash differs from "
                               "H(H_E; 0x23, ind_c, K, alpha_1, ...)");
            } else {
                sc_report_pass(v->rep, "V7", 1);
            }
        }
        /* aggregation input (V8) and the ciphertext digest (V12) */
        for (size_t si = 0; si < ns; si++) {
            sel_digest(v, sum->ctdig, ct->id, ct->opts[si].id, sels[si].alpha,
                       sels[si].beta);
            if (sum->state == V20_CAST) {
                size_t f = ct->base + si;
                sc_mulmod(v->grp, w->aggA[f], w->aggA[f], sels[si].alpha);
                sc_mulmod(v->grp, w->aggB[f], w->aggB[f], sels[si].beta);
            }
        }
    }
    /* 7.B: H(B) = H(H_E; 0x24, chi_1 ... chi_mB, B_aux) (eq 58). */
    {
        uint8_t code[32];
        sc_eg20_confirmation_code(v->he, nchis, chis, sum->baux, sum->baux_len,
                                  code);
        v20_sfmt(where, sizeof where, "ballot %s", sum->id);
        if (memcmp(code, sum->code, 32) != 0) {
            sc_report_fail(v->rep, "V7.B", where,
                           "confirmation_code differs from "
                           "H(H_E; 0x24, chi_1, ..., B_aux)");
        } else {
            sc_report_pass(v->rep, "V7", 1);
        }
    }
    sum->parsed = 1;
done:
    if (!sum->parsed && !skipped(v, 7)) {
        sc_report_error(v->rep, "V7", rel, "ballot not checked");
    }
    for (size_t k2 = 0; k2 < maxsel; k2++) {
        mpz_clears(sels[k2].alpha, sels[k2].beta, NULL);
    }
    free(sels);
    for (size_t k2 = 0; k2 < maxp; k2++) {
        mpz_clears(pc[k2], pr[k2], NULL);
    }
    free(pc);
    free(pr);
    free(chis);
    mpz_clears(ab, bb, NULL);
    json_decref(jb);
}

/* List encrypted_ballots/<device>/eballot-*.json (sorted for stable
 * reports). */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static sc_status list_files(const char *dir, const char *sub,
                            const char *prefix, char ***out, size_t *n,
                            size_t *cap)
{
    char path[4200];
    v20_sfmt(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (d == NULL) {
        return SC_E_IO;
    }
    struct dirent *e;
    sc_status rc = SC_OK;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || l < 5 ||
            strcmp(e->d_name + l - 5, ".json") != 0) {
            continue;
        }
        if (*n == *cap) {
            size_t nc = *cap == 0 ? 64 : *cap * 2;
            char **np = realloc(*out, nc * sizeof *np);
            SC_ENSURE(np != NULL, SC_E_NOMEM);
            *out = np;
            *cap = nc;
        }
        size_t need = strlen(sub) + l + 2;
        char *s = malloc(need);
        SC_ENSURE(s != NULL, SC_E_NOMEM);
        v20_sfmt(s, need, "%s/%s", sub, e->d_name);
        (*out)[(*n)++] = s;
    }
done:
    closedir(d);
    return rc;
}

static sc_status list_ballots(v20 *v)
{
    char path[4200];
    size_t cap = 0;
    path_of(v, path, sizeof path, "encrypted_ballots");
    DIR *d = opendir(path);
    if (d == NULL) {
        return SC_E_IO;
    }
    struct dirent *e;
    sc_status rc = SC_OK;
    while ((e = readdir(d)) != NULL) {
        char sub[600];
        char full[4800];
        struct stat st;
        if (e->d_name[0] == '.') {
            continue;
        }
        v20_sfmt(sub, sizeof sub, "encrypted_ballots/%s", e->d_name);
        v20_sfmt(full, sizeof full, "%s/%s", v->dir, sub);
        if (stat(full, &st) != 0 || !S_ISDIR(st.st_mode)) {
            continue;
        }
        SC_CHECK(list_files(v->dir, sub, "eballot-", &v->bpaths, &v->nballots,
                            &cap));
    }
    if (v->nballots > 1) {
        qsort(v->bpaths, v->nballots, sizeof *v->bpaths, cmp_str);
    }
done:
    closedir(d);
    return rc;
}

static void steps5to7(v20 *v)
{
    sc_status rc = list_ballots(v);
    if (rc != SC_OK) {
        sc_report_error(v->rep, "V5", "encrypted_ballots",
                        "encrypted_ballots/: cannot list (%s)",
                        sc_strerror(rc));
        sc_report_error(v->rep, "V7", "encrypted_ballots",
                        "encrypted_ballots/: cannot list");
        return;
    }
    v->sums = calloc(v->nballots + 1, sizeof *v->sums);
    if (v->sums == NULL) {
        set_fatal(v, SC_E_NOMEM);
        return;
    }
    for (size_t i = 0; i < v->nballots; i++) {
        /* device = the folder under encrypted_ballots/ */
        const char *p = v->bpaths[i] + strlen("encrypted_ballots/");
        const char *slash = strchr(p, '/');
        size_t l = slash != NULL ? (size_t)(slash - p) : strlen(p);
        v->sums[i].device = malloc(l + 1);
        if (v->sums[i].device == NULL) {
            set_fatal(v, SC_E_NOMEM);
            return;
        }
        memcpy(v->sums[i].device, p, l);
        v->sums[i].device[l] = '\0';
    }
    pool_run(v, v->nballots, ballot_task, NULL);
}

/* ------------------------------------------------------------------ */
/* V7.C - V7.G: duplicates and the ballot chain                         */

static int cmp_code(const void *a, const void *b)
{
    const v20_sum *x = *(v20_sum *const *)a;
    const v20_sum *y = *(v20_sum *const *)b;
    return memcmp(x->code, y->code, 32);
}

static v20_sum *sum_by_id(v20 *v, const char *device, const char *id)
{
    for (size_t i = 0; i < v->nballots; i++) {
        v20_sum *s = &v->sums[i];
        if (s->parsed && strcmp(s->id, id) == 0 &&
            (device == NULL || strcmp(s->device, device) == 0)) {
            return s;
        }
    }
    return NULL;
}

static void check_chain_device(v20 *v, const char *device)
{
    char msg[V20_MSG];
    char rel[700];
    char path[4800];
    char where[V20_WHERE];
    json_t *jc = NULL;
    json_t *ids;
    uint8_t h0[32];
    uint8_t rec[32];
    uint8_t *buf = NULL;
    v20_sfmt(rel, sizeof rel, "encrypted_ballots/%s/ballot_chain.json", device);
    v20_loc root = {.file = rel, .path = "", .msg = msg};
    v20_sfmt(path, sizeof path, "%s/%s", v->dir, rel);
    v20_sfmt(where, sizeof where, "device %s", device);
    sc_status rc = v20_load(path, rel, &jc, msg);
    if (rc == SC_OK) {
        rc = v20_get_array(&root, jc, "ballot_ids", &ids);
    }
    if (rc != SC_OK) {
        rep_err(v, "V7", msg);
        goto done;
    }
    size_t nb = json_array_size(ids);
    buf = malloc(32 + v->baux0_len + 5);
    if (buf == NULL) {
        set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    /* 7.D: H_0 = H(H_E; 0x24, B_aux,0) (eq 59); egk's first ballot uses
     * B_aux,1 = H_0 alone (eq 60 says H_0 ‖ B_aux,0). */
    sc_eg20_chain_hash(v->he, v->baux0, v->baux0_len, h0);
    /* egk also publishes H_0 as the chain's "baux0" */
    json_t *jh0 = json_object_get(jc, "baux0");
    if (jh0 != NULL && !json_is_null(jh0)) {
        rc = v20_get_hash(&root, jc, "baux0", rec);
        if (rc != SC_OK) {
            rep_err(v, "V7", msg);
        } else if (memcmp(rec, h0, 32) != 0) {
            sc_report_fail(v->rep, "V7.D", where,
                           "baux0 of ballot_chain.json is not "
                           "H_0 = H(H_E; 0x24, B_aux,0)");
        } else {
            sc_report_pass(v->rep, "V7", 1);
        }
    }
    const v20_sum *prev = NULL;
    size_t counted = 0;
    for (size_t j = 0; j < nb; j++) {
        json_t *ji = json_array_get(ids, j);
        if (!json_is_string(ji)) {
            sc_report_error(v->rep, "V7", where,
                            "%s: field 'ballot_ids[%zu]': not a string", rel,
                            j);
            goto done;
        }
        v20_sum *s = sum_by_id(v, device, json_string_value(ji));
        char w2[V20_WHERE];
        v20_sfmt(w2, sizeof w2, "device %s ballot %s", device,
                 json_string_value(ji));
        if (s == NULL) {
            sc_report_fail(v->rep, "V7.E", w2,
                           "ballot in the chain is not in the record");
            prev = NULL;
            continue;
        }
        s->used_dec |= 2; /* in a chain */
        counted++;
        if (j == 0) {
            if (s->baux_len != 32 || memcmp(s->baux, h0, 32) != 0) {
                sc_report_fail(v->rep, "V7.D", w2,
                               "B_aux of the first ballot is not "
                               "H_0 = H(H_E; 0x24, B_aux,0)");
            } else {
                sc_report_pass(v->rep, "V7", 1);
            }
        } else if (prev != NULL) {
            /* 7.E: B_aux,j = H(B_j-1) ‖ B_aux,0 (eq 60). */
            memcpy(buf, prev->code, 32);
            memcpy(buf + 32, v->baux0, v->baux0_len);
            if (s->baux_len != 32 + v->baux0_len ||
                memcmp(s->baux, buf, 32 + v->baux0_len) != 0) {
                sc_report_fail(v->rep, "V7.E", w2,
                               "B_aux is not H(B_j-1) ‖ B_aux,0 of the "
                               "previous ballot in the chain");
            } else {
                sc_report_pass(v->rep, "V7", 1);
            }
        }
        prev = s;
    }
    for (size_t i = 0; i < v->nballots; i++) {
        v20_sum *s = &v->sums[i];
        if (s->parsed && strcmp(s->device, device) == 0 && !(s->used_dec & 2)) {
            char w2[V20_WHERE];
            v20_sfmt(w2, sizeof w2, "device %s ballot %s", device, s->id);
            sc_report_fail(v->rep, "V7.E", w2,
                           "ballot is not in the device's chain");
        }
    }
    if (prev == NULL) {
        goto done;
    }
    /* 7.F: the last code closes the chain; 7.G: closing hash (eq 61),
     * B_aux = H(B_l) ‖ B_aux,0 ‖ b("CLOSE", 5). */
    rc = v20_get_hash(&root, jc, "last_confirmation_code", rec);
    if (rc != SC_OK) {
        rep_err(v, "V7", msg);
    } else if (memcmp(rec, prev->code, 32) != 0) {
        sc_report_fail(v->rep, "V7.F", where,
                       "last_confirmation_code is not the code of the last "
                       "ballot in the chain");
    } else {
        sc_report_pass(v->rep, "V7", 1);
    }
    memcpy(buf, prev->code, 32);
    memcpy(buf + 32, v->baux0, v->baux0_len);
    memcpy(buf + 32 + v->baux0_len, "CLOSE", 5);
    uint8_t close[32];
    sc_eg20_chain_hash(v->he, buf, 32 + v->baux0_len + 5, close);
    rc = v20_get_hash(&root, jc, "closing_hash", rec);
    if (rc != SC_OK) {
        rep_err(v, "V7", msg);
    } else if (memcmp(rec, close, 32) != 0) {
        sc_report_fail(v->rep, "V7.G", where,
                       "closing_hash differs from H(H_E; 0x24, H(B_l) ‖ "
                       "B_aux,0 ‖ \"CLOSE\")");
    } else {
        sc_report_pass(v->rep, "V7", 1);
    }
done:
    free(buf);
    json_decref(jc);
}

static void step7_chain(v20 *v)
{
    v20_sum **byc = malloc((v->nballots + 1) * sizeof *byc);
    size_t m = 0;
    if (byc == NULL) {
        set_fatal(v, SC_E_NOMEM);
        return;
    }
    for (size_t i = 0; i < v->nballots; i++) {
        if (v->sums[i].parsed) {
            byc[m++] = &v->sums[i];
        }
    }
    /* 7.C: no two submitted ballots share a confirmation code. */
    qsort(byc, m, sizeof *byc, cmp_code);
    int dup = 0;
    for (size_t i = 1; i < m; i++) {
        if (memcmp(byc[i - 1]->code, byc[i]->code, 32) == 0) {
            char w[V20_WHERE];
            v20_sfmt(w, sizeof w, "ballots %s and %s", byc[i - 1]->id,
                     byc[i]->id);
            sc_report_fail(v->rep, "V7.C", w,
                           "two ballots have the same confirmation code");
            dup = 1;
        }
    }
    if (!dup) {
        sc_report_pass(v->rep, "V7", 1);
    }
    free(byc);
    if (!v->chaining) {
        return;
    }
    /* 7.D - 7.G per device. */
    for (size_t i = 0; i < v->nballots; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(v->sums[j].device, v->sums[i].device) == 0) {
                first = 0;
                break;
            }
        }
        if (first) {
            check_chain_device(v, v->sums[i].device);
        }
    }
}

/* ------------------------------------------------------------------ */
/* V8: aggregation                                                      */

static void step8(v20 *v)
{
    char msg[V20_MSG];
    char path[4200];
    char where[V20_WHERE];
    json_t *jt = NULL;
    json_t *contests;
    json_t *ids;
    const char *s;
    v20_loc root = {.file = "encrypted_tally.json", .path = "", .msg = msg};
    mpz_t A, B;
    mpz_inits(A, B, NULL);
    unsigned char *seen = calloc(v->nopts + 1, 1);
    if (seen == NULL) {
        set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    /* merge the workers' partial products into worker 0 */
    for (int t = 1; t < v->nworkers; t++) {
        for (size_t f = 0; f < v->nopts; f++) {
            sc_mulmod(v->grp, v->workers[0].aggA[f], v->workers[0].aggA[f],
                      v->workers[t].aggA[f]);
            sc_mulmod(v->grp, v->workers[0].aggB[f], v->workers[0].aggB[f],
                      v->workers[t].aggB[f]);
            mpz_set_ui(v->workers[t].aggA[f], 1);
            mpz_set_ui(v->workers[t].aggB[f], 1);
        }
        for (size_t c = 0; c < v->ncontests; c++) {
            v->workers[0].used[c] |= v->workers[t].used[c];
        }
    }
    path_of(v, path, sizeof path, "encrypted_tally.json");
    sc_status rc = v20_load(path, "encrypted_tally.json", &jt, msg);
    if (rc == SC_OK) {
        rc = v20_get_array(&root, jt, "contests", &contests);
    }
    if (rc == SC_OK) {
        rc = v20_get_array(&root, jt, "cast_ballot_ids", &ids);
    }
    if (rc != SC_OK) {
        rep_err(v, "V8", msg);
        goto done;
    }
    /* the aggregate is over exactly the cast ballots of the record */
    size_t ncast = 0;
    size_t unread = 0;
    for (size_t i = 0; i < v->nballots; i++) {
        ncast += v->sums[i].parsed && v->sums[i].state == V20_CAST;
        unread += !v->sums[i].parsed;
    }
    if (unread > 0) {
        sc_report_error(v->rep, "V8", "encrypted_ballots",
                        "%zu encrypted ballot(s) could not be read; the "
                        "aggregate cannot be checked",
                        unread);
    }
    if (unread == 0) {
        for (size_t j = 0; j < json_array_size(ids); j++) {
            json_t *ji = json_array_get(ids, j);
            v20_sum *sm = json_is_string(ji)
                              ? sum_by_id(v, NULL, json_string_value(ji))
                              : NULL;
            if (sm == NULL || sm->state != V20_CAST) {
                v20_sfmt(where, sizeof where, "ballot %s",
                         json_is_string(ji) ? json_string_value(ji) : "?");
                sc_report_fail(
                    v->rep, "V8.A", where,
                    "listed in cast_ballot_ids but not a cast ballot "
                    "of encrypted_ballots/");
            }
        }
        if (json_array_size(ids) != ncast) {
            sc_report_fail(
                v->rep, "V8.A", "encrypted_tally.json",
                "cast_ballot_ids has %zu ids, the record has %zu cast "
                "ballots",
                json_array_size(ids), ncast);
        }
    }
    for (size_t ci = 0; ci < json_array_size(contests); ci++) {
        json_t *jc = json_array_get(contests, ci);
        json_t *sels;
        v20_loc lc;
        v20_loc_key(&lc, &root, "contests");
        v20_loc_idx(&lc, &lc, ci);
        rc = v20_get_str(&lc, jc, "contest_id", &s);
        if (rc == SC_OK) {
            rc = v20_get_array(&lc, jc, "selections", &sels);
        }
        if (rc != SC_OK) {
            rep_err(v, "V8", msg);
            goto done;
        }
        int c = find_contest(v, s);
        if (c < 0) {
            v20_sfmt(where, sizeof where, "contest %s", s);
            sc_report_fail(v->rep, "V8.A", where,
                           "encrypted tally contest is not in the manifest");
            continue;
        }
        const v20_contest *ct = &v->contests[c];
        for (size_t si = 0; si < json_array_size(sels); si++) {
            json_t *js = json_array_get(sels, si);
            json_t *ev;
            v20_loc ls;
            v20_loc le;
            v20_loc_key(&ls, &lc, "selections");
            v20_loc_idx(&ls, &ls, si);
            v20_loc_key(&le, &ls, "encrypted_vote");
            rc = v20_get_str(&ls, js, "selection_id", &s);
            if (rc == SC_OK) {
                rc = v20_get(&ls, js, "encrypted_vote", &ev);
            }
            if (rc == SC_OK) {
                rc = v20_get_elem(&le, v->grp, ev, "pad", A);
            }
            if (rc == SC_OK) {
                rc = v20_get_elem(&le, v->grp, ev, "data", B);
            }
            if (rc != SC_OK) {
                rep_err(v, "V8", msg);
                goto done;
            }
            int o = find_option(ct, s);
            v20_sfmt(where, sizeof where, "contest %s option %s", ct->id, s);
            if (o < 0 || seen[ct->base + (size_t)o]) {
                sc_report_fail(v->rep, "V8.A", where,
                               "option not in the manifest or repeated");
                continue;
            }
            size_t f = ct->base + (size_t)o;
            seen[f] = 1;
            mpz_set(v->tA[f], A);
            mpz_set(v->tB[f], B);
            v->thave[f] = 1;
            if (unread > 0) {
                continue;
            }
            int ok = 1;
            if (mpz_cmp(A, v->workers[0].aggA[f]) != 0) { /* 8.A */
                sc_report_fail(v->rep, "V8.A", where,
                               "A differs from the product of the cast "
                               "ballots' alphas");
                ok = 0;
            }
            if (mpz_cmp(B, v->workers[0].aggB[f]) != 0) { /* 8.B */
                sc_report_fail(v->rep, "V8.B", where,
                               "B differs from the product of the cast "
                               "ballots' betas");
                ok = 0;
            }
            if (ok) {
                sc_report_pass(v->rep, "V8", 1);
            }
        }
    }
    for (size_t c = 0; c < v->ncontests; c++) {
        for (size_t o = 0; o < v->contests[c].nopt; o++) {
            if (!seen[v->contests[c].base + o]) {
                v20_sfmt(where, sizeof where, "contest %s option %s",
                         v->contests[c].id, v->contests[c].opts[o].id);
                sc_report_fail(v->rep, "V8.A", where,
                               "manifest option missing from the encrypted "
                               "tally");
            }
        }
    }
done:
    free(seen);
    mpz_clears(A, B, NULL);
    json_decref(jt);
}

/* ------------------------------------------------------------------ */
/* decryptions: tally (V9, V10, V11) and challenged ballots (V12-14)    */

/* The commitments of a Chaum-Pedersen decryption proof (9.2-9.3, 11.1-11.2,
 * 12.2-12.3, 14.1-14.2): a = g^v K^c and b = X^v Y^c, where (X, Y) is
 * (A, M) for a selection and (C_0, beta) for contest data. */
static void cp_commitments(const v20 *v, const mpz_t X, const mpz_t Y,
                           const mpz_t c, const mpz_t r, mpz_t a, mpz_t b)
{
    mpz_t t;
    mpz_t bases[2];
    mpz_t exps[2];
    mpz_init(t);
    sc_fb_pow(v->grp->g_fb, a, r);
    sc_fb_pow(v->fbK, t, c);
    sc_mulmod(v->grp, a, a, t);
    memcpy(&bases[0], X, sizeof(mpz_t));
    memcpy(&bases[1], Y, sizeof(mpz_t));
    memcpy(&exps[0], r, sizeof(mpz_t));
    memcpy(&exps[1], c, sizeof(mpz_t));
    sc_multi_pow(v->grp, b, 2, (const mpz_t *)bases, (const mpz_t *)exps);
    mpz_clear(t);
}

/* Chaum-Pedersen decryption proof (eq 9.1-9.3 / 12.1-12.3): M = B/T,
 * a = g^v K^c, b = A^v M^c, c = H(H_E; 0x30, K, A, B, a, b, M) mod q. */
static int check_decryption(v20 *v, const char *step, const char *where,
                            const mpz_t A, const mpz_t B, const mpz_t T,
                            const mpz_t c, const mpz_t r)
{
    char cond[12];
    int ok = 1;
    mpz_t M, a, b, t, ch, cq;
    mpz_inits(M, a, b, t, ch, cq, NULL);
    if (!sc_scalar_in_range(v->grp, r)) { /* 9.A / 12.A */
        v20_sfmt(cond, sizeof cond, "%s.A", step);
        sc_report_fail(v->rep, cond, where, "response v >= q");
        ok = 0;
    }
    if (sc_invmod(v->grp, t, T) != SC_OK) {
        v20_sfmt(cond, sizeof cond, "%s.B", step);
        sc_report_fail(v->rep, cond, where, "T is not invertible");
        ok = 0;
        goto done;
    }
    sc_mulmod(v->grp, M, B, t); /* 9.1: M = B / T */
    cp_commitments(v, A, M, c, r, a, b);
    sc_eg20_decrypt_challenge_q(v->grp, v->he, v->K, A, B, a, b, M, ch);
    mpz_mod(cq, c, v->grp->q);
    if (mpz_cmp(ch, cq) != 0) { /* 9.B / 12.B */
        v20_sfmt(cond, sizeof cond, "%s.B", step);
        sc_report_fail(v->rep, cond, where,
                       "challenge differs from H(H_E; 0x30, K, A, B, a, b, "
                       "M)");
        ok = 0;
    }
done:
    mpz_clears(M, a, b, t, ch, cq, NULL);
    return ok;
}

/* egk's contest data plaintext is a protobuf message ContestData
 * {1: status enum, 2: repeated int32 over_votes, 3: repeated string
 * write_ins, 4: string filler}. A bounded reader of just that. */
typedef struct v20_cdata {
    uint64_t status;
    size_t nover;
    int64_t over[64];
    size_t nwrite;
    const uint8_t *write[64];
    size_t wlen[64];
} v20_cdata;

static int pb_varint(const uint8_t *p, size_t n, size_t *pos, uint64_t *out)
{
    uint64_t x = 0;
    for (int sh = 0; sh < 64; sh += 7) {
        if (*pos >= n) {
            return 0;
        }
        uint8_t b = p[(*pos)++];
        x |= (uint64_t)(b & 0x7f) << sh;
        if ((b & 0x80) == 0) {
            *out = x;
            return 1;
        }
    }
    return 0;
}

static int pb_contest_data(const uint8_t *p, size_t n, v20_cdata *cd)
{
    size_t pos = 0;
    memset(cd, 0, sizeof *cd);
    while (pos < n) {
        uint64_t key;
        uint64_t val;
        if (!pb_varint(p, n, &pos, &key)) {
            return 0;
        }
        uint64_t field = key >> 3;
        switch (key & 7) {
        case 0:
            if (!pb_varint(p, n, &pos, &val)) {
                return 0;
            }
            if (field == 1) {
                cd->status = val;
            } else if (field == 2) {
                if (cd->nover == 64) {
                    return 0;
                }
                cd->over[cd->nover++] = (int32_t)(uint32_t)val;
            }
            break;
        case 2: {
            if (!pb_varint(p, n, &pos, &val) || val > n - pos) {
                return 0;
            }
            size_t end = pos + (size_t)val;
            if (field == 2) { /* packed */
                while (pos < end) {
                    if (cd->nover == 64 || !pb_varint(p, end, &pos, &val)) {
                        return 0;
                    }
                    cd->over[cd->nover++] = (int32_t)(uint32_t)val;
                }
            } else if (field == 3) {
                if (cd->nwrite == 64) {
                    return 0;
                }
                cd->write[cd->nwrite] = p + pos;
                cd->wlen[cd->nwrite++] = (size_t)val;
            }
            pos = end;
            break;
        }
        case 1:
            if (n - pos < 8) {
                return 0;
            }
            pos += 8;
            break;
        case 5:
            if (n - pos < 4) {
                return 0;
            }
            pos += 4;
            break;
        default: return 0;
        }
    }
    return 1;
}

/* Decrypt the contest data with beta (eq 86-89, egk's KDF, docs/EGK20.md
 * row 10), check the MAC C_2 (eq 55) and compare the plaintext with the
 * published contest_data. Condition `step`.C (Scrutin's). Returns 1 ok. */
static int check_data_plain(v20 *v, const char *step, const char *where,
                            const char *contest_id, json_t *jd, const mpz_t c0,
                            const uint8_t *c1, size_t c1len,
                            const uint8_t c2[32], uint32_t num_bytes,
                            const mpz_t beta)
{
    static const char *const names[4] = {"normal", "null_vote", "over_vote",
                                         "under_vote"};
    char cond[12];
    uint8_t k[32];
    uint8_t ki[32];
    uint8_t mac[32];
    int ok = 0;
    v20_sfmt(cond, sizeof cond, "%s.C", step);
    size_t idl = strlen(contest_id);
    if (num_bytes > c1len || c1len % 32 != 0 || c1len - num_bytes >= 32) {
        sc_report_fail(v->rep, cond, where,
                       "numBytes %u does not fit C_1 of %zu bytes", num_bytes,
                       c1len);
        return 0;
    }
    uint8_t *d = malloc(c1len + 1);
    if (d == NULL) {
        set_fatal(v, SC_E_NOMEM);
        return 0;
    }
    sc_eg20_data_key(v->grp, v->he, v->K, c0, beta, k);
    sc_eg20_data_kdf(k, 0, contest_id, idl, num_bytes, ki);
    sc_eg20_data_mac(v->grp, ki, c0, c1, c1len, mac);
    if (memcmp(mac, c2, 32) != 0) {
        sc_report_fail(v->rep, cond, where,
                       "C_2 is not HMAC(k_0, C_0 ‖ C_1) for the key from "
                       "beta: the contest data does not decrypt");
        goto done;
    }
    for (size_t b = 0; b < c1len / 32; b++) {
        sc_eg20_data_kdf(k, (uint32_t)b + 1, contest_id, idl, num_bytes, ki);
        for (size_t j = 0; j < 32; j++) {
            d[32 * b + j] = c1[32 * b + j] ^ ki[j];
        }
    }
    v20_cdata cd;
    json_t *pub = json_object_get(jd, "contest_data");
    json_t *st = json_object_get(pub, "status");
    json_t *ov = json_object_get(pub, "over_votes");
    json_t *wi = json_object_get(pub, "write_ins");
    if (!pb_contest_data(d, num_bytes, &cd)) {
        sc_report_fail(v->rep, cond, where,
                       "decrypted contest data is not a ContestData "
                       "message");
        goto done;
    }
    if (!json_is_string(st) || cd.status > 3 ||
        strcmp(json_string_value(st), names[cd.status]) != 0) {
        sc_report_fail(v->rep, cond, where,
                       "contest_data.status differs from the decryption "
                       "('%s')",
                       cd.status <= 3 ? names[cd.status] : "?");
        goto done;
    }
    int same = json_is_array(ov) && json_array_size(ov) == cd.nover &&
               json_is_array(wi) && json_array_size(wi) == cd.nwrite;
    for (size_t i = 0; same && i < cd.nover; i++) {
        json_t *x = json_array_get(ov, i);
        same = json_is_integer(x) && json_integer_value(x) == cd.over[i];
    }
    for (size_t i = 0; same && i < cd.nwrite; i++) {
        json_t *x = json_array_get(wi, i);
        same = json_is_string(x) && json_string_length(x) == cd.wlen[i] &&
               memcmp(json_string_value(x), cd.write[i], cd.wlen[i]) == 0;
    }
    if (!same) {
        sc_report_fail(v->rep, cond, where,
                       "contest_data over_votes / write_ins differ from "
                       "the decryption");
        goto done;
    }
    ok = 1;
done:
    free(d);
    return ok;
}

/* Contest-data decryption proof (eq 11.1-11.2 / 14.1-14.2, 81). */
static void check_data_decryption(v20 *v, const char *step, const char *where,
                                  const char *contest_id, const v20_loc *lc,
                                  json_t *jd)
{
    long long nbytes = 0;
    char cond[12];
    json_t *ec;
    json_t *pr;
    v20_loc le;
    v20_loc lp;
    uint8_t *c1 = NULL;
    size_t c1len = 0;
    uint8_t c2[32];
    mpz_t c0, beta, c, r, a, b, ch;
    mpz_inits(c0, beta, c, r, a, b, ch, NULL);
    v20_loc_key(&le, lc, "encrypted_contest_data");
    v20_loc_key(&lp, lc, "proof");
    sc_status rc = v20_get(lc, jd, "encrypted_contest_data", &ec);
    if (rc == SC_OK) {
        rc = v20_get_elem(&le, v->grp, ec, "c0", c0);
    }
    if (rc == SC_OK) {
        rc = v20_get_bytes(&le, ec, "c1", &c1, &c1len);
    }
    if (rc == SC_OK) {
        rc = v20_get_hash(&le, ec, "c2", c2);
    }
    if (rc == SC_OK) {
        rc = v20_get_int(&le, ec, "numBytes", 0, 1 << 24, &nbytes);
    }
    if (rc == SC_OK) {
        rc = v20_get_elem(lc, v->grp, jd, "beta", beta);
    }
    if (rc == SC_OK) {
        rc = v20_get(lc, jd, "proof", &pr);
    }
    if (rc == SC_OK) {
        rc = v20_get_u256(&lp, pr, "challenge", c);
    }
    if (rc == SC_OK) {
        rc = v20_get_u256(&lp, pr, "response", r);
    }
    if (rc != SC_OK) {
        rep_err(v, step, lc->msg);
        goto done;
    }
    int ok = 1;
    if (!sc_scalar_in_range(v->grp, r)) { /* 11.A / 14.A */
        v20_sfmt(cond, sizeof cond, "%s.A", step);
        sc_report_fail(v->rep, cond, where, "response v >= q");
        ok = 0;
    }
    cp_commitments(v, c0, beta, c, r, a, b);
    sc_eg20_data_decrypt_challenge_q(v->grp, v->he, v->K, c0, c1, c1len, c2, a,
                                     b, beta, ch);
    mpz_mod(c, c, v->grp->q);
    if (mpz_cmp(ch, c) != 0) { /* 11.B / 14.B */
        v20_sfmt(cond, sizeof cond, "%s.B", step);
        sc_report_fail(v->rep, cond, where,
                       "challenge differs from H(H_E; 0x31, K, C_0, C_1, "
                       "C_2, a, b, beta)");
        ok = 0;
    }
    if (!check_data_plain(v, step, where, contest_id, jd, c0, c1, c1len, c2,
                          (uint32_t)nbytes, beta)) {
        ok = 0;
    }
    if (ok) {
        sc_report_pass(v->rep, step, 1);
    }
done:
    free(c1);
    mpz_clears(c0, beta, c, r, a, b, ch, NULL);
}

/* A decrypted tally or challenged ballot (egk's DecryptedTallyOrBallot). */
typedef struct v20_dec {
    const char *file;
    json_t *root;
    json_t *contests;
    int ballot;          /* 0: tally (V9/10/11), 1: challenged (V12/13/14) */
    const v20_sum *enc;  /* challenged: the encrypted ballot it decrypts */
    unsigned char *seen; /* manifest options seen (per flat index) */
    unsigned char *cseen;
    uint8_t dig[32]; /* challenged: sel_digest of its (alpha, beta) */
    const char *id;
} v20_dec;

static void dec_contest(v20 *v, v20_dec *d, size_t ci)
{
    char msg[V20_MSG];
    char where[V20_WHERE];
    const char *s;
    json_t *jc = json_array_get(d->contests, ci);
    json_t *sels;
    json_t *jd;
    v20_loc root = {.file = d->file, .path = "", .msg = msg};
    v20_loc lc;
    const char *sp = d->ballot ? "V12" : "V9";  /* proofs */
    const char *sv = d->ballot ? "V13" : "V10"; /* values, labels */
    const char *sd = d->ballot ? "V14" : "V11"; /* contest data */
    char cond[12];
    mpz_t A, B, T, c, r, want;
    mpz_inits(A, B, T, c, r, want, NULL);
    v20_loc_key(&lc, &root, "contests");
    v20_loc_idx(&lc, &lc, ci);
    sc_status rc = v20_get_str(&lc, jc, "contest_id", &s);
    if (rc == SC_OK) {
        rc = v20_get_array(&lc, jc, "selections", &sels);
    }
    if (rc != SC_OK) {
        rep_err(v, sp, msg);
        goto done;
    }
    int cix = find_contest(v, s);
    if (d->ballot) {
        v20_sfmt(where, sizeof where, "ballot %s contest %s", d->id, s);
    } else {
        v20_sfmt(where, sizeof where, "contest %s", s);
    }
    if (cix < 0) { /* 10.B / 13.D */
        v20_sfmt(cond, sizeof cond, "%s.%c", sv, d->ballot ? 'D' : 'B');
        sc_report_fail(v->rep, cond, where,
                       "contest label is not in the manifest");
        goto done;
    }
    pthread_mutex_lock(&v->mu); /* tally contests run in parallel */
    d->cseen[cix] = 1;
    pthread_mutex_unlock(&v->mu);
    const v20_contest *ct = &v->contests[cix];
    jd = json_object_get(jc, "decrypted_contest_data");
    if (jd != NULL && !json_is_null(jd) && !skipped(v, d->ballot ? 14 : 11)) {
        v20_loc ld;
        atomic_store(d->ballot ? &v->data_ballot : &v->data_tally, 1);
        v20_loc_key(&ld, &lc, "decrypted_contest_data");
        check_data_decryption(v, sd, where, ct->id, &ld, jd);
    }
    uint64_t total = 0;
    for (size_t si = 0; si < json_array_size(sels); si++) {
        json_t *js = json_array_get(sels, si);
        json_t *ev;
        json_t *pr;
        long long t = 0;
        char w2[V20_WHERE];
        v20_loc ls;
        v20_loc le;
        v20_loc lp;
        v20_loc_key(&ls, &lc, "selections");
        v20_loc_idx(&ls, &ls, si);
        v20_loc_key(&le, &ls, "encrypted_vote");
        v20_loc_key(&lp, &ls, "proof");
        rc = v20_get_str(&ls, js, "selection_id", &s);
        if (rc == SC_OK) {
            rc = v20_get_int(&ls, js, "tally", 0, INT64_MAX / 2, &t);
        }
        if (rc == SC_OK) {
            /* T = B / M; earlier egk versions name it k_exp_tally */
            const char *tk = json_object_get(js, "b_over_m") == NULL &&
                                     json_object_get(js, "k_exp_tally") != NULL
                                 ? "k_exp_tally"
                                 : "b_over_m";
            rc = v20_get_elem(&ls, v->grp, js, tk, T);
        }
        if (rc == SC_OK) {
            rc = v20_get(&ls, js, "encrypted_vote", &ev);
        }
        if (rc == SC_OK) {
            rc = v20_get_elem(&le, v->grp, ev, "pad", A);
        }
        if (rc == SC_OK) {
            rc = v20_get_elem(&le, v->grp, ev, "data", B);
        }
        if (rc == SC_OK) {
            rc = v20_get(&ls, js, "proof", &pr);
        }
        if (rc == SC_OK) {
            rc = v20_get_u256(&lp, pr, "challenge", c);
        }
        if (rc == SC_OK) {
            rc = v20_get_u256(&lp, pr, "response", r);
        }
        if (rc != SC_OK) {
            rep_err(v, sp, msg);
            goto done;
        }
        v20_sfmt(w2, sizeof w2, "%s option %s", where, s);
        int o = find_option(ct, s);
        int repeated = 0;
        if (o >= 0) {
            pthread_mutex_lock(&v->mu);
            repeated = d->seen[ct->base + (size_t)o];
            d->seen[ct->base + (size_t)o] = 1;
            pthread_mutex_unlock(&v->mu);
        }
        if (o < 0 || repeated) { /* 10.C / 13.E */
            v20_sfmt(cond, sizeof cond, "%s.%c", sv, d->ballot ? 'E' : 'C');
            sc_report_fail(v->rep, cond, w2,
                           "option label is not in the manifest's contest "
                           "(or repeated)");
            continue;
        }
        size_t f = ct->base + (size_t)o;

        /* the ciphertext decrypted must be the one published: the
         * aggregate of V8 (tally) or the challenged ballot's selection */
        if (!d->ballot) {
            if (!v->thave[f]) {
                sc_report_fail(v->rep, "V9.B", w2,
                               "option has no aggregate in "
                               "encrypted_tally.json");
            } else if (mpz_cmp(A, v->tA[f]) != 0 || mpz_cmp(B, v->tB[f]) != 0) {
                sc_report_fail(v->rep, "V9.B", w2,
                               "encrypted_vote differs from the aggregate "
                               "(A, B) of encrypted_tally.json");
                mpz_set(A, v->tA[f]);
                mpz_set(B, v->tB[f]);
            }
        } else {
            sel_digest(v, d->dig, ct->id, ct->opts[o].id, A, B);
        }
        if (!skipped(v, d->ballot ? 12 : 9)) {
            if (check_decryption(v, sp, w2, A, B, T, c, r)) {
                sc_report_pass(v->rep, sp, 1);
            }
        }
        if (skipped(v, d->ballot ? 13 : 10)) {
            continue;
        }
        /* 10.A / 13.A: T = K^t (eq 64 / 90) */
        int ok = 1;
        mpz_set_ui(want, (unsigned long)t);
        if ((unsigned long long)t > (unsigned long long)ULONG_MAX) {
            ok = 0;
        } else {
            sc_fb_pow(v->fbK, want, want);
            ok = mpz_cmp(want, T) == 0;
        }
        if (!ok) {
            v20_sfmt(cond, sizeof cond, "%s.A", sv);
            sc_report_fail(v->rep, cond, w2, "b_over_m is not K^%lld", t);
        }
        if (d->ballot && (uint64_t)t > ct->opt_limit) { /* 13.B */
            sc_report_fail(v->rep, "V13.B", w2,
                           "selection %lld is not in 0..%u", t, ct->opt_limit);
            ok = 0;
        }
        total += (uint64_t)t;
        if (ok) {
            sc_report_pass(v->rep, sv, 1);
        }
    }
    if (d->ballot && total > ct->limit) { /* 13.C */
        sc_report_fail(v->rep, "V13.C", where,
                       "selections sum to %llu, the limit is %u",
                       (unsigned long long)total, ct->limit);
    }
done:
    mpz_clears(A, B, T, c, r, want, NULL);
}

static void dec_contest_task(v20 *v, v20_worker *w, size_t idx, void *arg)
{
    (void)w;
    dec_contest(v, arg, idx);
}

/* After all contests: 10.D / 13.F, and 10.E for the tally. */
static void dec_finish(v20 *v, v20_dec *d)
{
    char where[V20_WHERE];
    const char *sv = d->ballot ? "V13" : "V10";
    char cond[12];
    for (size_t c = 0; c < v->ncontests; c++) {
        const v20_contest *ct = &v->contests[c];
        if (!d->cseen[c]) {
            if (!d->ballot && v->workers[0].used[c]) { /* 10.E */
                v20_sfmt(where, sizeof where, "contest %s", ct->id);
                sc_report_fail(v->rep, "V10.E", where,
                               "contest occurs on a ballot but not in the "
                               "tally");
            }
            continue;
        }
        for (size_t o = 0; o < ct->nopt; o++) {
            if (!d->seen[ct->base + o]) {
                if (d->ballot) {
                    v20_sfmt(where, sizeof where,
                             "ballot %s contest %s option %s", d->id, ct->id,
                             ct->opts[o].id);
                } else {
                    v20_sfmt(where, sizeof where, "contest %s option %s",
                             ct->id, ct->opts[o].id);
                }
                v20_sfmt(cond, sizeof cond, "%s.%c", sv, d->ballot ? 'F' : 'D');
                sc_report_fail(v->rep, cond, where,
                               "manifest option missing from the "
                               "decryption");
            }
        }
    }
}

static void run_dec(v20 *v, v20_dec *d, const char *first_step)
{
    char msg[V20_MSG];
    v20_loc root = {.file = d->file, .path = "", .msg = msg};
    d->seen = calloc(v->nopts + 1, 1);
    d->cseen = calloc(v->ncontests + 1, 1);
    if (d->seen == NULL || d->cseen == NULL) {
        set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    if (v20_get_array(&root, d->root, "contests", &d->contests) != SC_OK) {
        rep_err(v, first_step, msg);
        goto done;
    }
    size_t nc = json_array_size(d->contests);
    if (d->ballot) {
        for (size_t ci = 0; ci < nc; ci++) {
            dec_contest(v, d, ci);
        }
    } else {
        pool_run(v, nc, dec_contest_task, d);
    }
    dec_finish(v, d);
done:
    free(d->seen);
    free(d->cseen);
    d->seen = NULL;
    d->cseen = NULL;
}

static void steps9to11(v20 *v)
{
    char msg[V20_MSG];
    char path[4200];
    v20_dec d = {.file = "tally.json", .ballot = 0};
    path_of(v, path, sizeof path, "tally.json");
    sc_status rc = v20_load(path, "tally.json", &d.root, msg);
    if (rc != SC_OK) {
        rep_err(v, "V9", msg);
        rep_err(v, "V10", msg);
        return;
    }
    run_dec(v, &d, "V9");
    json_decref(d.root);
}

static void challenged_task(v20 *v, v20_worker *w, size_t idx, void *arg)
{
    (void)w;
    char msg[V20_MSG];
    char path[4800];
    char where[V20_WHERE];
    char **files = arg;
    const char *id;
    v20_dec d = {.file = files[idx], .ballot = 1};
    v20_loc root = {.file = files[idx], .path = "", .msg = msg};
    path_of(v, path, sizeof path, files[idx]);
    sc_status rc = v20_load(path, files[idx], &d.root, msg);
    if (rc == SC_OK) {
        rc = v20_get_str(&root, d.root, "id", &id);
    }
    if (rc != SC_OK) {
        rep_err(v, "V12", msg);
        goto done;
    }
    d.id = id;
    v20_sfmt(where, sizeof where, "ballot %s", id);
    pthread_mutex_lock(&v->mu);
    v20_sum *s = sum_by_id(v, NULL, id);
    if (s != NULL) {
        s->used_dec |= 1;
    }
    pthread_mutex_unlock(&v->mu);
    if (s == NULL || s->state != V20_SPOILED) {
        sc_report_fail(v->rep, "V12.B", where,
                       "decrypted ballot is not a challenged (SPOILED) "
                       "ballot of encrypted_ballots/");
    }
    d.enc = s;
    run_dec(v, &d, "V12");
    if (s != NULL && s->parsed && memcmp(d.dig, s->ctdig, 32) != 0) {
        sc_report_fail(v->rep, "V12.B", where,
                       "the decrypted ciphertexts are not those of the "
                       "encrypted ballot");
    }
done:
    json_decref(d.root);
}

static void steps12to14(v20 *v)
{
    char path[4200];
    char **files = NULL;
    size_t n = 0;
    size_t cap = 0;
    path_of(v, path, sizeof path, "challenged_ballots");
    if (file_exists(path)) {
        if (list_files(v->dir, "challenged_ballots", "", &files, &n, &cap) !=
            SC_OK) {
            sc_report_error(v->rep, "V12", "challenged_ballots",
                            "challenged_ballots/: cannot list");
            goto done;
        }
    }
    if (n > 1) {
        qsort(files, n, sizeof *files, cmp_str);
    }
    pool_run(v, n, challenged_task, files);
    /* every challenged ballot must be decrypted (§3.6.5) */
    size_t nspoiled = 0;
    for (size_t i = 0; i < v->nballots; i++) {
        const v20_sum *s = &v->sums[i];
        if (s->parsed && s->state == V20_SPOILED) {
            nspoiled++;
            if (!(s->used_dec & 1)) {
                char where[V20_WHERE];
                v20_sfmt(where, sizeof where, "ballot %s", s->id);
                sc_report_fail(v->rep, "V12.B", where,
                               "challenged ballot has no decryption in "
                               "challenged_ballots/");
            }
        }
    }
    if (n > 0 && !atomic_load(&v->data_ballot) && !skipped(v, 14)) {
        sc_report_skip(v->rep, "V14",
                       "no contest data on the challenged "
                       "ballots");
    }
    if (n == 0 && nspoiled == 0) {
        sc_report_skip(v->rep, "V12", "no challenged ballots");
        sc_report_skip(v->rep, "V13", "no challenged ballots");
        sc_report_skip(v->rep, "V14", "no challenged ballots");
    }
done:
    for (size_t i = 0; i < n; i++) {
        free(files[i]);
    }
    free(files);
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
    *a = malloc((n + 1) * sizeof **a);
    *b = malloc((n + 1) * sizeof **b);
    if (*a == NULL || *b == NULL) {
        free(*a);
        free(*b);
        *a = NULL;
        *b = NULL;
        return SC_E_NOMEM;
    }
    for (size_t f = 0; f < n; f++) {
        mpz_init_set_ui((*a)[f], init);
        mpz_init_set_ui((*b)[f], init);
    }
    return SC_OK;
}

static void pairs_free(size_t n, mpz_t *a, mpz_t *b)
{
    if (a != NULL) {
        for (size_t f = 0; f < n; f++) {
            mpz_clears(a[f], b[f], NULL);
        }
    }
    free(a);
    free(b);
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
    free_manifest(v);
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
    SC_CHECK(sc_group_new(&v->grp, SC_GROUP_STANDARD));

    step1(v);
    sc_report_end(rep, "V1");
    rc = load_manifest(v, msg);
    if (rc != SC_OK) {
        /* without the manifest nothing past V4 can be checked */
        for (int s = 5; s <= 14; s++) {
            char id[8];
            v20_sfmt(id, sizeof id, "V%d", s);
            rep_err(v, id, msg);
        }
        if (SC_STATUS_CLASS(rc) == SC_E_NOMEM) {
            goto done;
        }
        rc = SC_OK;
    } else {
        v->have_manifest = 1;
    }
    steps2to4(v);
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
    SC_CHECK(make_workers(v));

    steps5to7(v);
    SC_CHECK(v->fatal);
    if (skipped(v, 5)) {
        sc_report_skip(rep, "V5", "not requested");
    }
    if (skipped(v, 6)) {
        sc_report_skip(rep, "V6", "not requested");
    }
    sc_report_end(rep, "V5");
    sc_report_end(rep, "V6");
    step7_chain(v);
    sc_report_end(rep, "V7");
    SC_CHECK(v->fatal);
    step8(v);
    sc_report_end(rep, "V8");
    SC_CHECK(v->fatal);
    steps9to11(v);
    for (int s = 9; s <= 11; s++) {
        char id[8];
        v20_sfmt(id, sizeof id, "V%d", s);
        if (skipped(v, s)) {
            sc_report_skip(rep, id, "not requested");
        }
    }
    if (!atomic_load(&v->data_tally) && !skipped(v, 11)) {
        /* egk publishes tally contest data only when asked to decrypt it */
        sc_report_skip(rep, "V11", "no contest data decrypted in the tally");
    }
    sc_report_end(rep, "V9");
    sc_report_end(rep, "V10");
    sc_report_end(rep, "V11");
    SC_CHECK(v->fatal);
    steps12to14(v);
    for (int s = 12; s <= 14; s++) {
        char id[8];
        v20_sfmt(id, sizeof id, "V%d", s);
        if (skipped(v, s)) {
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
