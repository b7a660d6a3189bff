/* The 2.0 verifier, decryptions: a decrypted tally (tally.json: V9
 * proofs, V10 values and labels) and a decrypted challenged ballot
 * (challenged_ballots/dballot-*.json: V12 proofs, V13 values and labels)
 * have one shape (egk's DecryptedTallyOrBallot) and are read by one
 * reader; the contest data they carry is v20_contest_data.c (V11, V14),
 * the binding of a challenged ballot to its encrypted ballot is
 * v20_challenged.c. */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "verify20/v20.h"

/* ------------------------------------------------------------------ */
/* decryptions: tally (V9, V10, V11) and challenged ballots (V12-14)    */

/* Chaum-Pedersen decryption proof (eq 9.1-9.3 / 12.1-12.3): M = B/T,
 * a = g^v K^c, b = A^v M^c, c = H(H_E; 0x30, K, A, B, a, b, M) mod q. */
static int check_decryption(v20 *v, const char *step, const char *where,
                            const mpz_t A, const mpz_t B, const mpz_t T,
                            const mpz_t c, const mpz_t r)
{
    char cond[12];
    int ok = 1;
    mpz_t M, a, b, ch, cq;
    mpz_inits(M, a, b, ch, cq, NULL);
    if (!sc_scalar_in_range(v->grp, r)) { /* 9.A / 12.A */
        v20_sfmt(cond, sizeof cond, "%s.A", step);
        sc_report_fail(v->rep, cond, where, "response v >= q");
        ok = 0;
    }
    if (vc_quotient(v->grp, M, B, T) != SC_OK) { /* 9.1: M = B / T */
        v20_sfmt(cond, sizeof cond, "%s.B", step);
        sc_report_fail(v->rep, cond, where, "T is not invertible");
        ok = 0;
        goto done;
    }
    /* 9.2-9.3: a = g^v K^c, b = A^v M^c (verify/common/commit.c) */
    vc_cp_commitments(v->grp, v->fbK, A, M, c, r, a, b);
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
    mpz_clears(M, a, b, ch, cq, NULL);
    return ok;
}

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
        v20_rep_err(v, sp, msg);
        goto done;
    }
    int cix = v20_find_contest(v, s);
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
    if (jd != NULL && !json_is_null(jd) &&
        !v20_skipped(v, d->ballot ? 14 : 11)) {
        v20_loc ld;
        atomic_store(d->ballot ? &v->data_ballot : &v->data_tally, 1);
        v20_loc_key(&ld, &lc, "decrypted_contest_data");
        v20_check_data_decryption(v, sd, where, ct->id, &ld, jd);
    }
    uint64_t total = 0;
    for (size_t si = 0; si < json_array_size(sels); si++) {
        json_t *js = json_array_get(sels, si);
        json_t *pr;
        long long t = 0;
        char w2[V20_WHERE];
        v20_loc ls;
        v20_loc lp;
        v20_loc_key(&ls, &lc, "selections");
        v20_loc_idx(&ls, &ls, si);
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
            rc = v20_get_ciphertext(&ls, v->grp, js, "encrypted_vote", A, B);
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
            v20_rep_err(v, sp, msg);
            goto done;
        }
        v20_sfmt(w2, sizeof w2, "%s option %s", where, s);
        int o = v20_find_option(ct, s);
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
            v20_sel_digest(v, d->dig, ct->id, ct->opts[o].id, A, B);
        }
        if (!v20_skipped(v, d->ballot ? 12 : 9)) {
            if (check_decryption(v, sp, w2, A, B, T, c, r)) {
                sc_report_pass(v->rep, sp, 1);
            }
        }
        if (v20_skipped(v, d->ballot ? 13 : 10)) {
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

void v20_run_dec(v20 *v, v20_dec *d, const char *first_step)
{
    char msg[V20_MSG];
    v20_loc root = {.file = d->file, .path = "", .msg = msg};
    d->seen = calloc(v->nopts + 1, 1);
    d->cseen = calloc(v->ncontests + 1, 1);
    if (d->seen == NULL || d->cseen == NULL) {
        v20_set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    if (v20_get_array(&root, d->root, "contests", &d->contests) != SC_OK) {
        v20_rep_err(v, first_step, msg);
        goto done;
    }
    size_t nc = json_array_size(d->contests);
    if (d->ballot) {
        for (size_t ci = 0; ci < nc; ci++) {
            dec_contest(v, d, ci);
        }
    } else {
        v20_pool_run(v, nc, dec_contest_task, d);
    }
    dec_finish(v, d);
done:
    free(d->seen);
    free(d->cseen);
    d->seen = NULL;
    d->cseen = NULL;
}

void v20_steps9to11_tally(v20 *v)
{
    char msg[V20_MSG];
    char path[4200];
    v20_dec d = {.file = "tally.json", .ballot = 0};
    v20_path(v, path, sizeof path, "tally.json");
    sc_status rc = v20_load(path, "tally.json", &d.root, msg);
    if (rc != SC_OK) {
        v20_rep_err(v, "V9", msg);
        v20_rep_err(v, "V10", msg);
        return;
    }
    v20_run_dec(v, &d, "V9");
    json_decref(d.root);
}
