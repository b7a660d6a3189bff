/* The 2.0 verifier (scrutin/verify20.h), Verifications 1-4 of the 2.0.0
 * text: V1 parameters and base hashes (constants.json,
 * election_config.json, manifest.json), the manifest's contests and
 * options that later steps use, V2 guardian coefficient proofs, V3 the
 * joint key, V4 the extended base hash (election_initialized.json). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "group/params.h"
#include "verify20/v20.h"

/* ------------------------------------------------------------------ */
/* V1: parameters and base hashes                                       */

/* The parameter set to verify against: the standard one, or, when the
 * caller allows test parameters (tests and fuzzing on small groups), the
 * test set whose p is constants.json's large_prime. Anything else (no
 * file, no match) is the standard set, and V1.B-E say what differs. */
sc_group_id v20_record_group(const v20 *v)
{
    sc_group_id id = SC_GROUP_STANDARD;
    if (!v->opts.allow_test_parameters) {
        return id;
    }
    char msg[V20_MSG];
    char path[4200];
    json_t *cons = NULL;
    mpz_t x, p;
    mpz_inits(x, p, NULL);
    v20_loc loc = {.file = "constants.json", .path = "", .msg = msg};
    v20_path(v, path, sizeof path, "constants.json");
    if (v20_load(path, "constants.json", &cons, msg) == SC_OK &&
        v20_get_hexnum(&loc, cons, "large_prime", x) == SC_OK) {
        for (int i = 0; i < SC_GROUP_COUNT; i++) {
            if (mpz_set_str(p, sc_param_sets[i].p, 16) == 0 &&
                mpz_cmp(p, x) == 0) {
                id = (sc_group_id)i;
            }
        }
    }
    json_decref(cons);
    mpz_clears(x, p, NULL);
    return id;
}

void v20_step1_params(v20 *v)
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
    v20_path(v, path, sizeof path, "constants.json");
    rc = v20_load(path, "constants.json", &cons, msg);
    if (rc != SC_OK) {
        v20_rep_err(v, "V1", msg);
    } else {
        static const char *const keys[4] = {"large_prime", "small_prime",
                                            "cofactor", "generator"};
        static const char *const conds[4] = {"V1.B", "V1.C", "V1.D", "V1.E"};
        mpz_srcptr want[4] = {v->grp->p, v->grp->q, v->grp->r, v->grp->g};
        for (int i = 0; i < 4; i++) {
            rc = v20_get_hexnum(&loc, cons, keys[i], x);
            if (rc != SC_OK) {
                v20_rep_err(v, "V1", msg);
            } else if (mpz_cmp(x, want[i]) != 0) {
                sc_report_fail(v->rep, conds[i], "constants.json",
                               "%s is not the %s 2.0 value", keys[i],
                               v->grp->name);
            } else {
                sc_report_pass(v->rep, "V1", 1);
            }
        }
    }

    /* 1.A: the record's version is the one we verify. */
    loc.file = "election_config.json";
    v20_path(v, path, sizeof path, "election_config.json");
    rc = v20_load(path, "election_config.json", &cfg, msg);
    if (rc != SC_OK) {
        v20_rep_err(v, "V1", msg);
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
        v20_rep_err(v, "V1", msg);
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
        v20_set_fatal(v, SC_E_NOMEM);
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

    /* 1.F: H_P (eq 4/5) is the 2.0.0 constant, and the record says so.
     * The constant is the standard group's: a test parameter set (allowed
     * by the caller) has only the H_P recomputed here. */
    sc_eg20_param_base_hash(v->grp, v->hp);
    uint8_t rec[32];
    if (v->grp->id != SC_GROUP_STANDARD) {
        /* nothing printed to compare with */
    } else if (sodium_memcmp(v->hp, sc_eg20_hp_constant, 32) != 0) {
        sc_report_fail(v->rep, "V1.F", NULL,
                       "H_P computed from the parameters differs from the "
                       "2.0.0 constant");
    } else {
        sc_report_pass(v->rep, "V1", 1);
    }
    rc = v20_get_hash(&loc, cfg, "parameter_base_hash", rec);
    if (rc != SC_OK) {
        v20_rep_err(v, "V1", msg);
    } else if (memcmp(rec, v->hp, 32) != 0) {
        sc_report_fail(v->rep, "V1.F", "election_config.json",
                       "parameter_base_hash differs from H_P");
    } else {
        sc_report_pass(v->rep, "V1", 1);
    }

    /* 1.G: H_M over the manifest bytes exactly as stored (eq 6). */
    v20_path(v, path, sizeof path, "manifest.json");
    rc = v20_read_file(path, "manifest.json", &man, &manlen, msg);
    if (rc != SC_OK) {
        v20_rep_err(v, "V1", msg);
        goto done;
    }
    sc_eg20_manifest_hash(v->hp, man, manlen, v->hm);
    rc = v20_get_hash(&loc, cfg, "manifest_hash", rec);
    if (rc != SC_OK) {
        v20_rep_err(v, "V1", msg);
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
        v20_rep_err(v, "V1", msg);
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

void v20_manifest_free(v20 *v)
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

sc_status v20_manifest_load(v20 *v, char *msg)
{
    char path[4200];
    json_t *man = NULL;
    json_t *contests;
    v20_loc root = {.file = "manifest.json", .path = "", .msg = msg};
    v20_path(v, path, sizeof path, "manifest.json");
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
        ct->id = vc_strdup(id);
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
            ct->opts[o].id = vc_strdup(id);
            SC_ENSURE(ct->opts[o].id != NULL, SC_E_NOMEM);
            SC_CHECK(v20_get_int(&ls, js, "sequence_order", 0, INT32_MAX, &x));
            ct->opts[o].seq = (uint32_t)x;
        }
    }
done:
    json_decref(man);
    return rc;
}

int v20_find_contest(const v20 *v, const char *id)
{
    for (size_t c = 0; c < v->ncontests; c++) {
        if (strcmp(v->contests[c].id, id) == 0) {
            return (int)c;
        }
    }
    return -1;
}

int v20_find_option(const v20_contest *ct, const char *id)
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

void v20_steps2to4_keys(v20 *v)
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

    v20_path(v, path, sizeof path, "election_initialized.json");
    rc = v20_load(path, "election_initialized.json", &init, msg);
    if (rc == SC_OK) {
        rc = v20_get_elem(&root, v->grp, init, "joint_public_key", Kpub);
    }
    if (rc == SC_OK) {
        rc = v20_get_array(&root, init, "guardians", &gs);
    }
    if (rc != SC_OK) {
        v20_rep_err(v, "V2", msg);
        v20_rep_err(v, "V3", msg);
        v20_rep_err(v, "V4", msg);
        goto done;
    }
    mpz_set(v->K, Kpub);
    v->have_keys = 1;

    size_t ng = json_array_size(gs);
    seen = calloc(ng + 1, 1);
    if (seen == NULL) {
        v20_set_fatal(v, SC_E_NOMEM);
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
            v20_rep_err(v, "V2", msg);
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
                v20_rep_err(v, "V2", msg);
                continue;
            }
            int ok = 1;
            int member = v20_is_member(v, Kij);
            if (!member) { /* 2.A */
                sc_report_fail(v->rep, "V2.A", where, "K_i,j is not in Z_p^r");
                ok = 0;
            }
            if (!sc_scalar_in_range(v->grp, r)) { /* 2.B */
                sc_report_fail(v->rep, "V2.B", where, "v_i,j >= q");
                ok = 0;
            }
            /* 2.1: h_i,j = g^v_i,j * K_i,j^c_i,j; 2.C (eq 12), mod q. */
            vc_schnorr_commitment(v->grp, r, Kij, c, h);
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
    } else if (mpz_cmp_ui(v->K, 1) == 0 || !v20_is_member(v, v->K)) {
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
        v20_rep_err(v, "V4", msg);
    } else if (!v->have_cfg) {
        sc_report_error(v->rep, "V4", NULL,
                        "H_B unknown (election_config.json unreadable)");
    } else if (memcmp(rec, v->he, 32) != 0) {
        sc_report_fail(v->rep, "V4.A", "election_initialized.json",
                       "extended_base_hash differs from H(H_B; 0x12, K)");
    } else {
        sc_report_pass(v->rep, "V4", 1);
    }
done:
    free(seen);
    json_decref(init);
    mpz_clears(Kij, c, r, h, cc, prod, Kpub, NULL);
}
