/* The 2.0 verifier, Verification 8 (ballot aggregation): the workers'
 * partial products over the cast ballots against encrypted_tally.json
 * (8.A, 8.B), and cast_ballot_ids against the cast ballots of the record.
 * Keeps the published (A, B) for V9. */
#include <stdlib.h>
#include <string.h>

#include "verify20/v20.h"

/* ------------------------------------------------------------------ */
/* V8: aggregation                                                      */

void v20_step8_aggregation(v20 *v)
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
        v20_set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    /* merge the workers' partial products into worker 0 */
    for (int t = 1; t < v->nworkers; t++) {
        vc_mul_into(v->grp, v->nopts, v->workers[0].aggA,
                    (const mpz_t *)v->workers[t].aggA);
        vc_mul_into(v->grp, v->nopts, v->workers[0].aggB,
                    (const mpz_t *)v->workers[t].aggB);
        for (size_t f = 0; f < v->nopts; f++) {
            mpz_set_ui(v->workers[t].aggA[f], 1);
            mpz_set_ui(v->workers[t].aggB[f], 1);
        }
        for (size_t c = 0; c < v->ncontests; c++) {
            v->workers[0].used[c] |= v->workers[t].used[c];
        }
    }
    v20_path(v, path, sizeof path, "encrypted_tally.json");
    sc_status rc = v20_load(path, "encrypted_tally.json", &jt, msg);
    if (rc == SC_OK) {
        rc = v20_get_array(&root, jt, "contests", &contests);
    }
    if (rc == SC_OK) {
        rc = v20_get_array(&root, jt, "cast_ballot_ids", &ids);
    }
    if (rc != SC_OK) {
        v20_rep_err(v, "V8", msg);
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
                              ? v20_sum_by_id(v, NULL, json_string_value(ji))
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
            v20_rep_err(v, "V8", msg);
            goto done;
        }
        int c = v20_find_contest(v, s);
        if (c < 0) {
            v20_sfmt(where, sizeof where, "contest %s", s);
            sc_report_fail(v->rep, "V8.A", where,
                           "encrypted tally contest is not in the manifest");
            continue;
        }
        const v20_contest *ct = &v->contests[c];
        for (size_t si = 0; si < json_array_size(sels); si++) {
            json_t *js = json_array_get(sels, si);
            v20_loc ls;
            v20_loc_key(&ls, &lc, "selections");
            v20_loc_idx(&ls, &ls, si);
            rc = v20_get_str(&ls, js, "selection_id", &s);
            if (rc == SC_OK) {
                rc =
                    v20_get_ciphertext(&ls, v->grp, js, "encrypted_vote", A, B);
            }
            if (rc != SC_OK) {
                v20_rep_err(v, "V8", msg);
                goto done;
            }
            int o = v20_find_option(ct, s);
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
