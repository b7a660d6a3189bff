/* The 2.0 verifier, Verifications 5-7.B on each encrypted ballot
 * (encrypted_ballots/<device>/eballot-*.json), one ballot file per task of
 * the worker pool: V5 the range proof of each selection, V6 the contest
 * limit proof, V7.A the contest hashes, V7.B the confirmation code, V5.E
 * (Scrutin's) the shape against the manifest; and the cast ballots'
 * partial products for V8. Duplicates and the chain (V7.C-G) are
 * v20_chain.c. */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "verify20/v20.h"

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
    for (size_t j = 0; j < n; j++) {
        if (!sc_scalar_in_range(v->grp, r[j])) { /* 5.C / 6.C */
            v20_sfmt(cond, sizeof cond, "%s.C", step);
            sc_report_fail(v->rep, cond, where, "response v_%zu >= q", j);
            ok = 0;
        }
    }
    /* 5.1: a_j = g^v_j alpha^c_j; 5.2: b_j = K^w_j beta^c_j,
     * w_j = (v_j - j c_j) mod q, recomputed by the code shared with the
     * 2.1 verifier (verify/common/commit.c). c_j < 2^256 (5.B) by its
     * width. */
    mpz_t *a, *b;
    mpz_t sum, ch;
    mpz_inits(sum, ch, NULL);
    if (vc_range_commitments(v->grp, v->fbK, alpha, beta, n, (const mpz_t *)c,
                             (const mpz_t *)r, NULL, 0, &a, &b, sum) != SC_OK) {
        v20_set_fatal(v, SC_E_NOMEM);
        ok = 0;
        goto done;
    }
    /* 5.3 and 5.D: c = H(H_E; 0x21, K, alpha, beta, a_0, b_0, ...) equals
     * (c_0 + ... + c_R) mod q (compared mod q, NOTES [Δ2.0]). */
    sc_eg20_range_challenge_q(v->grp, v->he, v->K, alpha, beta, n,
                              (const mpz_t *)a, (const mpz_t *)b, ch);
    if (mpz_cmp(sum, ch) != 0) {
        v20_sfmt(cond, sizeof cond, "%s.D", step);
        sc_report_fail(v->rep, cond, where,
                       "sum of challenges differs from H(H_E; 0x21, K, "
                       "alpha, beta, a_0, b_0, ...)");
        ok = 0;
    }
done:
    vc_mpz_array_free(a, n);
    vc_mpz_array_free(b, n);
    mpz_clears(sum, ch, NULL);
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
void v20_sel_digest(const v20 *v, uint8_t acc[32], const char *cid,
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
    v20_path(v, path, sizeof path, rel);
    rc = v20_load(path, rel, &jb, msg);
    if (rc == SC_OK) {
        rc = v20_get_str(&root, jb, "ballot_id", &s);
    }
    if (rc == SC_OK) {
        sum->id = vc_strdup(s);
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
    uint8_t eid[32];
    if (rc == SC_OK && json_object_get(jb, "election_id") != NULL) {
        rc = v20_get_hash(&root, jb, "election_id", eid);
        /* V5.F (Scrutin's): the ballot names this election, H_E */
        if (rc == SC_OK && memcmp(eid, v->he, 32) != 0) {
            v20_sfmt(where, sizeof where, "ballot %s", sum->id);
            sc_report_fail(v->rep, "V5.F", where,
                           "election_id is not the election's H_E");
        }
    }
    if (rc != SC_OK) {
        v20_rep_err(v, "V5", msg);
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
        v20_set_fatal(v, SC_E_NOMEM);
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
            v20_rep_err(v, "V5", msg);
            goto done;
        }
        memcpy(chis + 32 * nchis, chi_rec, 32);
        nchis++;
        /* V5.G (Scrutin's): a cast ballot's encrypted contest data has C_0
         * in Z_p^r (2.0 gives it no proof and does not hash it into the
         * contest hash; membership is what can be checked) */
        json_t *ecd = json_object_get(jc, "encrypted_contest_data");
        if (ecd != NULL && sum->state == V20_CAST) {
            v20_loc lcd;
            mpz_t c0;
            mpz_init(c0);
            v20_loc_key(&lcd, &lc, "encrypted_contest_data");
            rc = v20_get_hexnum(&lcd, ecd, "c0", c0);
            if (rc != SC_OK) {
                mpz_clear(c0);
                v20_rep_err(v, "V5", msg);
                goto done;
            }
            if (!sc_elem_is_member(v->grp, c0)) {
                v20_sfmt(where, sizeof where, "ballot %s contest %s", sum->id,
                         s);
                sc_report_fail(v->rep, "V5.G", where,
                               "contest data C_0 is not in Z_p^r");
            }
            mpz_clear(c0);
        }
        int c = v20_find_contest(v, s);
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
                v20_set_fatal(v, SC_E_NOMEM);
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
                v20_set_fatal(v, SC_E_NOMEM);
                goto done;
            }
            pc = a2;
            a2 = realloc(pr, needp * sizeof *pr);
            if (a2 == NULL) {
                v20_set_fatal(v, SC_E_NOMEM);
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
            v20_loc ls;
            v20_loc_key(&ls, &lc, "selections");
            v20_loc_idx(&ls, &ls, si);
            rc = v20_get_str(&ls, js, "selection_id", &s);
            if (rc == SC_OK) {
                rc = v20_get_ciphertext(&ls, v->grp, js, "encrypted_vote",
                                        sels[si].alpha, sels[si].beta);
            }
            if (rc != SC_OK) {
                v20_rep_err(v, "V5", msg);
                goto done;
            }
            sels[si].opt = v20_find_option(ct, s);
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
        if (!v20_skipped(v, 5) || !v20_skipped(v, 6)) {
            mpz_t *xs = malloc(2 * ns * sizeof *xs + 1);
            unsigned char *bad = malloc(2 * ns + 1);
            if (xs == NULL || bad == NULL) {
                free(xs);
                free(bad);
                v20_set_fatal(v, SC_E_NOMEM);
                goto done;
            }
            for (size_t si = 0; si < ns; si++) {
                memcpy(&xs[2 * si], &sels[si].alpha, sizeof(mpz_t));
                memcpy(&xs[2 * si + 1], &sels[si].beta, sizeof(mpz_t));
            }
            /* one batch; on failure each element alone (shared) */
            if (!vc_members(v->grp, 2 * ns, (const mpz_t *)xs, bad)) {
                members_ok = 0;
                for (size_t si = 0; si < ns; si++) {
                    if (bad[2 * si] || bad[2 * si + 1]) {
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
            free(bad);
        }
        /* V5: each selection's range proof over 0..R (eq 5.1-5.3). */
        for (size_t si = 0; si < ns && !v20_skipped(v, 5); si++) {
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
                v20_rep_err(v, "V5", msg);
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
        if (!v20_skipped(v, 6)) {
            size_t got = 0;
            size_t np = ct->limit + 1;
            rc = read_proofs(&lc, jc, np, pc, pr, &got);
            if (rc != SC_OK) {
                v20_rep_err(v, "V6", msg);
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
                v20_set_fatal(v, SC_E_NOMEM);
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
            v20_sel_digest(v, sum->ctdig, ct->id, ct->opts[si].id,
                           sels[si].alpha, sels[si].beta);
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
    if (!sum->parsed && !v20_skipped(v, 7)) {
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
int v20_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

sc_status v20_list_files(const char *dir, const char *sub, const char *prefix,
                         char ***out, size_t *n, size_t *cap)
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
    v20_path(v, path, sizeof path, "encrypted_ballots");
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
        SC_CHECK(v20_list_files(v->dir, sub, "eballot-", &v->bpaths,
                                &v->nballots, &cap));
    }
    if (v->nballots > 1) {
        qsort(v->bpaths, v->nballots, sizeof *v->bpaths, v20_cmp_str);
    }
done:
    closedir(d);
    return rc;
}

void v20_steps5to7_ballots(v20 *v)
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
        v20_set_fatal(v, SC_E_NOMEM);
        return;
    }
    for (size_t i = 0; i < v->nballots; i++) {
        /* device = the folder under encrypted_ballots/ */
        const char *p = v->bpaths[i] + strlen("encrypted_ballots/");
        const char *slash = strchr(p, '/');
        size_t l = slash != NULL ? (size_t)(slash - p) : strlen(p);
        v->sums[i].device = malloc(l + 1);
        if (v->sums[i].device == NULL) {
            v20_set_fatal(v, SC_E_NOMEM);
            return;
        }
        memcpy(v->sums[i].device, p, l);
        v->sums[i].device[l] = '\0';
    }
    v20_pool_run(v, v->nballots, ballot_task, NULL);
}
