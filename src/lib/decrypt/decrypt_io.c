/* Decryption: loading the job from the record, the round files, the
 * encrypted guardian state, tally.json / challenged.jsonl, and the
 * all-in-one run. */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ceremony/internal.h"
#include "ceremony/jsonio.h"
#include "ceremony/sealed.h"
#include "decrypt/internal.h"
#include "scrutin/core.h"
#include "scrutin/decrypt.h"
#include "scrutin/eghash.h"

#define STATE_KIND "decrypt-state"
#define STATE_MAGIC 0x53434453u /* "SCDS" */

/* ---------------------------------------------------------------------- */
/* Job                                                                     */
/* ---------------------------------------------------------------------- */

void sc_dec_ballot_clear(sc_challenged_ballot *b)
{
    free(b->id);
    sc_nonce_ct_clear(&b->nonce);
    for (size_t c = 0; c < b->n_contests; c++) {
        sc_challenged_contest *con = &b->contests[c];
        for (size_t f = 0; f < con->n_fields; f++) {
            sc_ciphertext_clear(&con->fields[f]);
        }
        free(con->fields);
        sc_mpz_array_free(con->xi, con->n_fields);
        free(con->sigma);
        if (con->has_data) {
            sc_contest_data_ct_clear(&con->data);
            mpz_clear(con->data_xi);
            if (con->D != NULL) {
                sc_wipe(con->D, con->data.c1_len);
            }
            free(con->D);
        }
    }
    free(b->contests);
}

void sc_decrypt_job_free(sc_decrypt_job *job)
{
    if (job == NULL) {
        return;
    }
    sc_elgamal_key_free(job->K);
    sc_elgamal_key_free(job->Khat);
    size_t nk = (size_t)job->n * job->k;
    sc_mpz_array_free(job->Kjm, job->Kjm != NULL ? nk : 0);
    sc_mpz_array_free(job->Khjm, job->Khjm != NULL ? nk : 0);
    for (size_t t = 0; t < job->n_items; t++) {
        sc_decrypt_item *it = &job->items[t];
        free(it->contest_label);
        free(it->option_label);
        sc_ciphertext_clear(&it->AB);
        mpz_clears(it->T, it->c, it->v, NULL);
        if (it->kind == SC_DEC_DATA) {
            sc_contest_data_ct_clear(&it->data);
        }
        if (it->D != NULL) {
            sc_wipe(it->D, it->data.c1_len);
            free(it->D);
        }
    }
    free(job->items);
    for (size_t b = 0; b < job->n_cast; b++) {
        free(job->cast[b].id);
    }
    free(job->cast);
    for (size_t b = 0; b < job->n_ballots; b++) {
        sc_dec_ballot_clear(&job->ballots[b]);
    }
    free(job->ballots);
    free(job);
}

static char *dup_label(const json_t *o)
{
    const char *s = json_string_value(json_object_get(o, "label"));
    return s != NULL ? strdup(s) : NULL;
}

static sc_status load_tally(sc_decrypt_job *job, const char *path)
{
    json_t *j = NULL;
    sc_status rc = sc_jio_load(path, &j);
    if (rc != SC_OK) {
        return rc;
    }
    const json_t *cons = json_object_get(j, "contests");
    SC_CHECK(sc_jio_get_u64(j, "cast_ballots", &job->cast_ballots, path));
    if (!json_is_array(cons)) {
        rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: contests: missing", path);
        goto done;
    }
    size_t total = 0, ci;
    const json_t *con;
    json_array_foreach(cons, ci, con)
    {
        total += json_array_size(json_object_get(con, "options"));
    }
    job->items = calloc(total + 1, sizeof *job->items);
    SC_ENSURE(job->items != NULL, SC_E_NOMEM);
    json_array_foreach(cons, ci, con)
    {
        char where[300];
        snprintf(where, sizeof where, "%s: contests[%zu]", path, ci);
        uint32_t ind_c;
        SC_CHECK(sc_jio_get_u32(con, "index", &ind_c, where));
        const json_t *opts = json_object_get(con, "options");
        if (!json_is_array(opts)) {
            rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: options: missing", where);
            goto done;
        }
        size_t oi;
        const json_t *opt;
        json_array_foreach(opts, oi, opt)
        {
            char w2[400];
            snprintf(w2, sizeof w2, "%s.options[%zu]", where, oi);
            sc_decrypt_item *it = &job->items[job->n_items];
            sc_ciphertext_init(&it->AB);
            mpz_inits(it->T, it->c, it->v, NULL);
            job->n_items++;
            it->ind_c = ind_c;
            it->contest_label = dup_label(con);
            it->option_label = dup_label(opt);
            SC_CHECK(sc_jio_get_u32(opt, "index", &it->ind_o, w2));
            SC_CHECK(sc_jio_get_elem(job->grp, opt, "A", it->AB.alpha, w2));
            SC_CHECK(sc_jio_get_elem(job->grp, opt, "B", it->AB.beta, w2));
        }
    }
done:
    json_decref(j);
    return rc;
}

/* The ballot's elements in reading order (c0 of the ballot nonce, then
 * per contest alpha, beta of each field and C_0 of the contest data):
 * shallow views into b written to out when it is not NULL; their count. */
static size_t ballot_elems(const sc_challenged_ballot *b, mpz_t *out)
{
    size_t k = 0;
    if (out != NULL) {
        out[k][0] = b->nonce.c0[0];
    }
    k++;
    for (size_t ci = 0; ci < b->n_contests; ci++) {
        const sc_challenged_contest *cc = &b->contests[ci];
        for (size_t f = 0; f < cc->n_fields; f++, k += 2) {
            if (out != NULL) {
                out[k][0] = cc->fields[f].alpha[0];
                out[k + 1][0] = cc->fields[f].beta[0];
            }
        }
        if (cc->has_data) {
            if (out != NULL) {
                out[k][0] = cc->data.c0[0];
            }
            k++;
        }
    }
    return k;
}

/* The error for element idx (ballot_elems order) outside Z_p^r, worded
 * and placed as sc_jio_elem_node words it. */
sc_status sc_dec_ballot_not_member(const sc_challenged_ballot *b, size_t idx,
                                   const char *where)
{
    char w[450];
    if (idx-- == 0) {
        return sc_jio_not_member(where, "c0");
    }
    for (size_t ci = 0; ci < b->n_contests; ci++) {
        const sc_challenged_contest *cc = &b->contests[ci];
        if (idx < 2 * cc->n_fields) {
            snprintf(w, sizeof w, "%s: contests[%zu].fields[%zu]", where, ci,
                     idx / 2);
            return sc_jio_not_member(w, idx % 2 == 0 ? "alpha" : "beta");
        }
        idx -= 2 * cc->n_fields;
        if (cc->has_data && idx-- == 0) {
            snprintf(w, sizeof w, "%s: contests[%zu].contest_data", where, ci);
            return sc_jio_not_member(w, "c0");
        }
    }
    return SC_E_INTERNAL;
}

/* Every element of bs[0..nb) in Z_p^r, in one batched test (docs/ARITH.md
 * §5; from 256 elements its signs by the square test, §5.2): public
 * values, so its variable time is fine; the random exponents come from
 * the system CSPRNG. */
sc_status sc_dec_ballots_members(const sc_group *grp,
                                 const sc_challenged_ballot *bs, size_t nb,
                                 size_t *bad_ballot, size_t *bad_elem)
{
    size_t n = 0, bad = 0;
    for (size_t i = 0; i < nb; i++) {
        n += ballot_elems(&bs[i], NULL);
    }
    mpz_t *xs = malloc((n + 1) * sizeof *xs);
    if (xs == NULL) {
        return SC_E_NOMEM;
    }
    for (size_t i = 0, k = 0; i < nb; i++) {
        k += ballot_elems(&bs[i], xs + k);
    }
    sc_status rc = sc_subgroup_check_batch(grp, n, SC_CMPZ(xs), NULL, &bad);
    free(xs); /* shallow views only */
    if (rc == SC_E_INVALID_NOT_IN_SUBGROUP) {
        size_t i = 0, e;
        while ((e = ballot_elems(&bs[i], NULL)) <= bad) {
            bad -= e;
            i++;
        }
        *bad_ballot = i;
        *bad_elem = bad;
    }
    return rc;
}

/* Every element of a parsed ballot in Z_p^r, in one batched test. */
static sc_status ballot_members(const sc_group *grp,
                                const sc_challenged_ballot *b,
                                const char *where)
{
    size_t bb = 0, be = 0;
    sc_status rc = sc_dec_ballots_members(grp, b, 1, &bb, &be);
    return rc == SC_E_INVALID_NOT_IN_SUBGROUP
               ? sc_dec_ballot_not_member(b, be, where)
               : rc;
}

static sc_status parse_ballot(const sc_decrypt_job *job, const json_t *o,
                              const char *where, sc_challenged_ballot *b,
                              int members);

sc_status sc_dec_parse_ballot(const sc_decrypt_job *job, const json_t *o,
                              const char *where, sc_challenged_ballot *b)
{
    return parse_ballot(job, o, where, b, 1);
}

sc_status sc_dec_parse_ballot_unchecked(const sc_decrypt_job *job,
                                        const json_t *o, const char *where,
                                        sc_challenged_ballot *b)
{
    return parse_ballot(job, o, where, b, 0);
}

static sc_status parse_ballot(const sc_decrypt_job *job, const json_t *o,
                              const char *where, sc_challenged_ballot *b,
                              int members)
{
    sc_status rc = SC_OK;
    const sc_group *grp = job->grp;
    const char *id = json_string_value(json_object_get(o, "id"));
    b->id = strdup(id != NULL ? id : "");
    SC_ENSURE(b->id != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_get_bytes(o, "selection_encryption_identifier", b->id_b, 32,
                              where));
    sc_eg_selection_id_hash(job->h_e, b->id_b, b->h_i); /* eq 32 */
    if (json_object_get(o, "h_i") != NULL) {
        uint8_t hi[32];
        SC_CHECK(sc_jio_get_bytes(o, "h_i", hi, 32, where));
        if (!sc_ct_eq(hi, b->h_i, 32)) {
            rc = sc_jio_fail(SC_E_VERIFY,
                             "%s: h_i: not H(H_E; 0x20, id_B) "
                             "(eq 32)",
                             where);
            goto done;
        }
    }
    const json_t *bn = json_object_get(o, "ballot_nonce");
    if (!json_is_object(bn)) {
        rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: ballot_nonce: missing", where);
        goto done;
    }
    SC_CHECK(sc_jio_get_elem_unchecked(grp, bn, "c0", b->nonce.c0, where));
    SC_CHECK(sc_jio_get_bytes(bn, "c1", b->nonce.c1, 32, where));
    SC_CHECK(sc_jio_get_scalar(grp, bn, "c", b->nonce.c, where));
    SC_CHECK(sc_jio_get_scalar(grp, bn, "v", b->nonce.v, where));
    const json_t *cons = json_object_get(o, "contests");
    if (!json_is_array(cons)) {
        rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: contests: missing", where);
        goto done;
    }
    b->contests = calloc(json_array_size(cons) + 1, sizeof *b->contests);
    SC_ENSURE(b->contests != NULL, SC_E_NOMEM);
    size_t ci;
    const json_t *con;
    json_array_foreach(cons, ci, con)
    {
        sc_challenged_contest *cc = &b->contests[b->n_contests++];
        char w2[400];
        snprintf(w2, sizeof w2, "%s: contests[%zu]", where, ci);
        SC_CHECK(sc_jio_get_u32(con, "index", &cc->ind_c, w2));
        const json_t *fields = json_object_get(con, "fields");
        if (!json_is_array(fields)) {
            rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: fields: missing", w2);
            goto done;
        }
        size_t nf = json_array_size(fields);
        cc->fields = calloc(nf + 1, sizeof *cc->fields);
        cc->xi = sc_mpz_array_new(nf);
        cc->sigma = calloc(nf + 1, sizeof *cc->sigma);
        SC_ENSURE(cc->fields != NULL && cc->xi != NULL && cc->sigma != NULL,
                  SC_E_NOMEM);
        for (size_t f = 0; f < nf; f++) {
            sc_ciphertext_init(&cc->fields[f]);
        }
        cc->n_fields = nf;
        for (size_t f = 0; f < nf; f++) {
            char w3[450];
            snprintf(w3, sizeof w3, "%s.fields[%zu]", w2, f);
            const json_t *fo = json_array_get(fields, f);
            SC_CHECK(sc_jio_get_elem_unchecked(grp, fo, "alpha",
                                               cc->fields[f].alpha, w3));
            SC_CHECK(sc_jio_get_elem_unchecked(grp, fo, "beta",
                                               cc->fields[f].beta, w3));
        }
        const json_t *cd = json_object_get(con, "contest_data");
        if (cd != NULL) {
            /* eq 67-69: C_0, C_1 (32 b_L bytes), C_2 = (c, v) */
            char w3[450];
            snprintf(w3, sizeof w3, "%s.contest_data", w2);
            sc_contest_data_ct_init(&cc->data);
            mpz_init(cc->data_xi);
            cc->has_data = 1;
            const char *c1 = json_string_value(json_object_get(cd, "c1"));
            size_t hl = c1 != NULL ? strlen(c1) : 0;
            if (hl == 0 || hl % 64 != 0) {
                rc =
                    sc_jio_fail(SC_E_INVALID_JSON,
                                "%s: c1: expected 64 hex digits per block", w3);
                goto done;
            }
            cc->data.c1_len = hl / 2;
            cc->data.c1 = malloc(cc->data.c1_len);
            cc->D = malloc(cc->data.c1_len);
            SC_ENSURE(cc->data.c1 != NULL && cc->D != NULL, SC_E_NOMEM);
            SC_CHECK(sc_jio_get_elem_unchecked(grp, cd, "c0", cc->data.c0, w3));
            SC_CHECK(
                sc_jio_get_bytes(cd, "c1", cc->data.c1, cc->data.c1_len, w3));
            SC_CHECK(sc_jio_get_scalar(grp, cd, "c", cc->data.c2_c, w3));
            SC_CHECK(sc_jio_get_scalar(grp, cd, "v", cc->data.c2_v, w3));
        }
    }
    rc = members ? ballot_members(grp, b, where) : SC_OK;
done:
    return rc;
}

int sc_dec_device_filter(const struct dirent *e)
{
    unsigned d;
    char tail[8];
    return sscanf(e->d_name, "device_%u.json%7s", &d, tail) == 2 &&
           strcmp(tail, "l") == 0;
}

int sc_dec_device_cmp(const struct dirent **a, const struct dirent **b)
{
    unsigned x = 0, y = 0;
    sscanf((*a)->d_name, "device_%u", &x);
    sscanf((*b)->d_name, "device_%u", &y);
    return x < y ? -1 : x > y;
}

static sc_status load_challenged(sc_decrypt_job *job, const char *record)
{
    sc_status rc = SC_OK;
    char *dir = sc_jio_path(record, "ballots");
    struct dirent **ents = NULL;
    int ne = 0;
    size_t cap = 0;
    if (dir == NULL) {
        return SC_E_NOMEM;
    }
    ne = scandir(dir, &ents, sc_dec_device_filter, sc_dec_device_cmp);
    if (ne < 0) {
        ne = 0; /* no ballots directory: nothing challenged */
        goto done;
    }
    for (int e = 0; e < ne; e++) {
        char *path = sc_jio_path(dir, "%s", ents[e]->d_name);
        char *buf = NULL;
        SC_ENSURE(path != NULL, SC_E_NOMEM);
        rc = sc_jio_read_file(path, &buf, NULL);
        char *line = buf, *save = NULL;
        size_t lineno = 0;
        for (char *tok = rc == SC_OK ? strtok_r(line, "\n", &save) : NULL;
             tok != NULL && rc == SC_OK; tok = strtok_r(NULL, "\n", &save)) {
            lineno++;
            json_error_t err;
            json_t *o = json_loads(tok, JSON_REJECT_DUPLICATES, &err);
            char where[300];
            snprintf(where, sizeof where, "%s: line %zu", path, lineno);
            if (o == NULL) {
                rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: %s", where, err.text);
                break;
            }
            const char *state = json_string_value(json_object_get(o, "state"));
            if (state != NULL && strcmp(state, "Challenged") == 0) {
                if (job->n_ballots == cap) {
                    size_t nc = cap == 0 ? 16 : cap * 2;
                    sc_challenged_ballot *nb =
                        realloc(job->ballots, nc * sizeof *nb);
                    if (nb == NULL) {
                        rc = SC_E_NOMEM;
                    } else {
                        job->ballots = nb;
                        cap = nc;
                    }
                }
                if (rc == SC_OK) {
                    sc_challenged_ballot *b = &job->ballots[job->n_ballots++];
                    memset(b, 0, sizeof *b);
                    sc_nonce_ct_init(&b->nonce);
                    rc = sc_dec_parse_ballot(job, o, where, b);
                }
            }
            json_decref(o);
        }
        free(buf);
        free(path);
        if (rc != SC_OK) {
            goto done;
        }
    }
done:
    for (int e = 0; e < ne; e++) {
        free(ents[e]);
    }
    free(ents);
    free(dir);
    return rc;
}

/* Digest binding messages and states to exactly this job. */
void sc_dec_job_digest(sc_decrypt_job *job)
{
    crypto_generichash_state h;
    const sc_group *grp = job->grp;
    uint8_t *buf = malloc(grp->lp);
    crypto_generichash_init(&h, (const uint8_t *)"scrutin-decrypt-job", 19, 32);
    crypto_generichash_update(&h, job->h_e, 32);
    for (size_t t = 0; t < job->n_items && buf != NULL; t++) {
        uint8_t idx[8] = {(uint8_t)(job->items[t].ind_c >> 24),
                          (uint8_t)(job->items[t].ind_c >> 16),
                          (uint8_t)(job->items[t].ind_c >> 8),
                          (uint8_t)job->items[t].ind_c,
                          (uint8_t)(job->items[t].ind_o >> 24),
                          (uint8_t)(job->items[t].ind_o >> 16),
                          (uint8_t)(job->items[t].ind_o >> 8),
                          (uint8_t)job->items[t].ind_o};
        crypto_generichash_update(&h, idx, sizeof idx);
        const sc_decrypt_item *it = &job->items[t];
        if (it->kind != SC_DEC_TALLY) { /* whose ballot, which kind */
            uint8_t kd = (uint8_t)it->kind;
            crypto_generichash_update(&h, &kd, 1);
            crypto_generichash_update(&h, job->cast[it->ballot].id_b, 32);
        }
        if (it->kind == SC_DEC_DATA) {
            crypto_generichash_update(&h, it->data.c1, it->data.c1_len);
        }
        sc_elem_encode(grp, buf, job->items[t].AB.alpha);
        crypto_generichash_update(&h, buf, grp->lp);
        sc_elem_encode(grp, buf, job->items[t].AB.beta);
        crypto_generichash_update(&h, buf, grp->lp);
    }
    for (size_t b = 0; b < job->n_ballots && buf != NULL; b++) {
        crypto_generichash_update(&h, job->ballots[b].id_b, 32);
        sc_elem_encode(grp, buf, job->ballots[b].nonce.c0);
        crypto_generichash_update(&h, buf, grp->lp);
        crypto_generichash_update(&h, job->ballots[b].nonce.c1, 32);
    }
    free(buf);
    crypto_generichash_final(&h, job->digest, 32);
}

sc_status sc_dec_job_load_keys(sc_decrypt_job **out, const sc_group *grp,
                               const char *record)
{
    sc_status rc = SC_OK;
    sc_decrypt_job *job = NULL;
    sc_guardian_public *pubs = NULL;
    uint32_t n = 0, culprit = 0;
    json_t *j = NULL;
    char *p = NULL;
    sc_guardian_result joint;
    sc_guardian_result_init(&joint);
    mpz_t K, Khat;
    mpz_inits(K, Khat, NULL);
    if (out == NULL || grp == NULL || record == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    job = calloc(1, sizeof *job);
    SC_ENSURE(job != NULL, SC_E_NOMEM);
    job->grp = grp;
    /* Guardian records: guardians/guardian_1.json ... */
    for (;;) {
        p = sc_jio_path(record, "guardians/guardian_%u.json",
                        (unsigned)(n + 1));
        SC_ENSURE(p != NULL, SC_E_NOMEM);
        FILE *f = fopen(p, "r");
        if (f == NULL) {
            break;
        }
        fclose(f);
        sc_guardian_public *np = realloc(pubs, (n + 1) * sizeof *pubs);
        SC_ENSURE(np != NULL, SC_E_NOMEM);
        pubs = np;
        memset(&pubs[n], 0, sizeof pubs[n]);
        n++;
        SC_CHECK(sc_guardian_public_read(grp, &pubs[n - 1], p));
        free(p);
        p = NULL;
    }
    if (n == 0) {
        rc = sc_jio_fail(SC_E_IO, "%s: no guardian records", p);
        goto done;
    }
    free(p);
    p = NULL;
    job->n = n;
    job->k = pubs[0].k;
    /* H_B from hashes.json; H_P recomputed (eq 4) and compared. */
    sc_ceremony_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.grp = grp;
    ctx.n = n;
    ctx.k = job->k;
    sc_eg_param_base_hash(grp, n, job->k, ctx.h_p);
    p = sc_jio_path(record, "hashes.json");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_load(p, &j));
    uint8_t hp[32];
    SC_CHECK(sc_jio_get_bytes(j, "h_p", hp, 32, p));
    SC_CHECK(sc_jio_get_bytes(j, "h_b", ctx.h_b, 32, p));
    if (!sc_ct_eq(hp, ctx.h_p, 32)) {
        rc = sc_jio_fail(SC_E_VERIFY,
                         "%s: h_p: not eq 4 for this group, "
                         "n = %u, k = %u",
                         p, (unsigned)n, (unsigned)job->k);
        goto done;
    }
    json_decref(j);
    j = NULL;
    free(p);
    p = NULL;
    /* Verification 2 for every guardian, then K, K-hat, H_E. */
    rc = sc_ceremony_check_publics(&ctx, pubs, &culprit);
    if (rc != SC_OK) {
        goto done;
    }
    SC_CHECK(sc_ceremony_joint(&ctx, pubs, &joint));
    p = sc_jio_path(record, "joint_election_public_key.json");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_load(p, &j));
    SC_CHECK(sc_jio_get_elem(grp, j, "joint_election_public_key", K, p));
    SC_CHECK(sc_jio_get_elem(grp, j, "joint_ballot_data_public_key", Khat, p));
    if (mpz_cmp(K, joint.K) != 0 || mpz_cmp(Khat, joint.Khat) != 0) {
        rc = sc_jio_fail(SC_E_VERIFY,
                         "%s: not the product of the guardian "
                         "keys (Verification 3)",
                         p);
        goto done;
    }
    json_decref(j);
    j = NULL;
    free(p);
    p = sc_jio_path(record, "hashes_ext.json");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_load(p, &j));
    SC_CHECK(sc_jio_get_bytes(j, "h_e", job->h_e, 32, p));
    if (!sc_ct_eq(job->h_e, joint.h_e, 32)) {
        rc = sc_jio_fail(SC_E_VERIFY, "%s: h_e: not eq 30 (Verification 4)", p);
        goto done;
    }
    memcpy(job->h_g, joint.h_g, 32);
    if (json_object_get(j, "h_g") != NULL) {
        uint8_t hg[32];
        SC_CHECK(sc_jio_get_bytes(j, "h_g", hg, 32, p));
        if (!sc_ct_eq(hg, joint.h_g, 32)) {
            rc = sc_jio_fail(SC_E_VERIFY,
                             "%s: h_g: not eq 27 over the guardian records", p);
            goto done;
        }
    }
    json_decref(j);
    j = NULL;
    free(p);
    p = NULL;
    SC_CHECK(sc_elgamal_key_new(&job->K, grp, K));
    SC_CHECK(sc_elgamal_key_new(&job->Khat, grp, Khat));
    size_t nk = (size_t)n * job->k;
    job->Kjm = sc_mpz_array_new(nk);
    job->Khjm = sc_mpz_array_new(nk);
    SC_ENSURE(job->Kjm != NULL && job->Khjm != NULL, SC_E_NOMEM);
    for (uint32_t g = 0; g < n; g++) {
        for (uint32_t m = 0; m < job->k; m++) {
            mpz_set(job->Kjm[(size_t)g * job->k + m], pubs[g].K[m]);
            mpz_set(job->Khjm[(size_t)g * job->k + m], pubs[g].Khat[m]);
        }
    }
    *out = job;
    job = NULL;
done:
    for (uint32_t g = 0; g < n; g++) {
        sc_guardian_public_clear(&pubs[g]);
    }
    free(pubs);
    free(p);
    json_decref(j);
    sc_guardian_result_clear(&joint);
    mpz_clears(K, Khat, NULL);
    sc_decrypt_job_free(job);
    return rc;
}

sc_status sc_decrypt_job_load(sc_decrypt_job **out, const sc_group *grp,
                              const char *record)
{
    sc_decrypt_job *job = NULL;
    char *p = NULL;
    if (out == NULL || grp == NULL || record == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    sc_status rc = sc_dec_job_load_keys(&job, grp, record);
    if (rc != SC_OK) {
        return rc;
    }
    p = sc_jio_path(record, "encrypted_tally.json");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(load_tally(job, p));
    SC_CHECK(load_challenged(job, record));
    SC_CHECK(sc_dec_add_counts(job, record));
    sc_dec_job_digest(job);
    *out = job;
    job = NULL;
done:
    free(p);
    sc_decrypt_job_free(job);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* State files                                                             */
/* ---------------------------------------------------------------------- */

sc_status sc_dec_state_save(const sc_dec_state *st, const char *path,
                            const char *pass, size_t pass_len,
                            sc_kdf_level level)
{
    sc_bbuf b;
    size_t cap = 64 + 4 * st->nu + 32 * st->n_items * (st->nu + 1);
    sc_status rc = sc_bbuf_init(&b, cap);
    if (rc != SC_OK) {
        return rc;
    }
    sc_bbuf_u32(&b, STATE_MAGIC);
    sc_bbuf_u32(&b, st->i);
    sc_bbuf_u32(&b, (uint32_t)st->phase);
    sc_bbuf_put(&b, st->digest, 32);
    sc_bbuf_u32(&b, (uint32_t)st->nu);
    sc_bbuf_u32(&b, (uint32_t)st->n_items);
    for (size_t m = 0; m < st->nu; m++) {
        sc_bbuf_u32(&b, st->U[m]);
    }
    for (size_t t = 0; t < st->n_items; t++) {
        uint8_t u[32];
        if (sc_mpz_encode(u, 32, st->u[t]) != SC_OK) {
            b.err = 1;
        }
        sc_bbuf_put(&b, u, 32);
        sc_wipe(u, sizeof u);
    }
    sc_bbuf_put(&b, st->d, 32 * st->nu * st->n_items);
    rc = b.err ? SC_E_INTERNAL
               : sc_sealed_write(path, STATE_KIND, b.p, b.len, pass, pass_len,
                                 level);
    sc_bbuf_free(&b);
    return rc;
}

sc_status sc_dec_state_load(sc_dec_state **out, const char *path,
                            const char *pass, size_t pass_len)
{
    uint8_t *plain = NULL;
    size_t len = 0;
    sc_dec_state *st = NULL;
    *out = NULL;
    int level = SC_KDF_MODERATE;
    sc_status rc =
        sc_sealed_read(path, STATE_KIND, pass, pass_len, &plain, &len, &level);
    if (rc != SC_OK) {
        return rc;
    }
    sc_brd r = {plain, len, 0, 0};
    uint32_t magic = sc_brd_u32(&r), i = sc_brd_u32(&r);
    uint32_t phase = sc_brd_u32(&r);
    uint8_t digest[32];
    sc_brd_get(&r, digest, 32);
    uint32_t nu = sc_brd_u32(&r), ni = sc_brd_u32(&r);
    if (r.err || magic != STATE_MAGIC || phase < 1 || phase > 3 || nu == 0 ||
        nu > 4096 || ni > (1u << 24) ||
        len != 52 + 4 * (size_t)nu + 32 * (size_t)ni * (nu + 1)) {
        rc = sc_jio_fail(SC_E_INVALID, "%s: damaged decryption state", path);
        goto done;
    }
    SC_CHECK(sc_dec_state_alloc(&st, nu, ni));
    st->i = i;
    st->phase = (int)phase;
    st->kdf = level;
    memcpy(st->digest, digest, 32);
    for (size_t m = 0; m < nu; m++) {
        st->U[m] = sc_brd_u32(&r);
    }
    for (size_t t = 0; t < ni; t++) {
        uint8_t u[32];
        sc_brd_get(&r, u, 32);
        mpz_import(st->u[t], 32, 1, 1, 1, 0, u);
        sc_wipe(u, sizeof u);
    }
    sc_brd_get(&r, st->d, 32 * (size_t)nu * ni);
    if (r.err) {
        rc = sc_jio_fail(SC_E_INVALID, "%s: damaged decryption state", path);
        goto done;
    }
    *out = st;
    st = NULL;
done:
    sc_dec_state_free(st);
    sc_sealed_free(plain, len);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Round files                                                             */
/* ---------------------------------------------------------------------- */

static json_t *u_array(size_t nu, const uint32_t *U)
{
    json_t *a = json_array();
    for (size_t m = 0; a != NULL && m < nu; m++) {
        json_array_append_new(a, json_integer(U[m]));
    }
    return a;
}

static sc_status write_msg(const char *path, json_t *j)
{
    if (j == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = sc_jio_write_json(path, j, 0644);
    json_decref(j);
    return rc;
}

sc_status sc_dec_msg_a_write(const sc_group *grp, const sc_dec_msg_a *m,
                             const char *path)
{
    json_t *items = json_array(), *bals = json_array();
    for (size_t t = 0; items != NULL && t < m->n_items; t++) {
        json_array_append_new(items, json_pack("{s:o,s:o}", "M",
                                               sc_jio_elem(grp, m->M[t]), "d",
                                               sc_jio_hash(m->d[t])));
    }
    for (size_t b = 0; bals != NULL && b < m->n_ballots; b++) {
        json_array_append_new(bals, sc_jio_elem(grp, m->m[b]));
    }
    return write_msg(path,
                     json_pack("{s:s,s:i,s:o,s:o,s:o,s:o}", "round", "a", "i",
                               (int)m->i, "job", sc_jio_hash(m->digest),
                               "present", u_array(m->nu, m->U), "tally", items,
                               "ballot_nonces", bals));
}

static sc_status read_head(const json_t *j, const char *round, uint32_t *i,
                           uint8_t digest[32], const char *path)
{
    const char *r = json_string_value(json_object_get(j, "round"));
    if (r == NULL || strcmp(r, round) != 0) {
        return sc_jio_fail(SC_E_INVALID, "%s: round: expected \"%s\"", path,
                           round);
    }
    sc_status rc = sc_jio_get_u32(j, "i", i, path);
    if (rc == SC_OK) {
        rc = sc_jio_get_bytes(j, "job", digest, 32, path);
    }
    return rc;
}

/* Load a round file: its head (round name, guardian index, job digest)
 * and, for rounds b and c, its "tally" list. On failure *out is NULL. */
static sc_status load_round(const char *path, const char *round, uint32_t *i,
                            uint8_t digest[32], json_t **out,
                            const json_t **items)
{
    json_t *j = NULL;
    sc_status rc = sc_jio_load(path, &j);
    if (rc == SC_OK) {
        rc = read_head(j, round, i, digest, path);
    }
    if (rc == SC_OK && items != NULL) {
        *items = json_object_get(j, "tally");
        if (!json_is_array(*items)) {
            rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: tally: missing", path);
        }
    }
    if (rc != SC_OK) {
        json_decref(j);
        j = NULL;
    }
    *out = j;
    return rc;
}

sc_status sc_dec_msg_a_read(const sc_group *grp, sc_dec_msg_a *m,
                            const char *path)
{
    json_t *j = NULL;
    memset(m, 0, sizeof *m);
    sc_status rc = load_round(path, "a", &m->i, m->digest, &j, NULL);
    if (rc != SC_OK) {
        return rc;
    }
    const json_t *pr = json_object_get(j, "present");
    const json_t *items = json_object_get(j, "tally");
    const json_t *bals = json_object_get(j, "ballot_nonces");
    if (!json_is_array(pr) || !json_is_array(items) || !json_is_array(bals) ||
        json_array_size(pr) == 0 || json_array_size(pr) > 4096) {
        rc = sc_jio_fail(SC_E_INVALID_JSON,
                         "%s: present/tally/"
                         "ballot_nonces: missing",
                         path);
        goto done;
    }
    m->nu = json_array_size(pr);
    m->U = calloc(m->nu, sizeof *m->U);
    m->n_items = json_array_size(items);
    m->n_ballots = json_array_size(bals);
    m->M = sc_mpz_array_new(m->n_items);
    m->d = calloc(m->n_items + 1, 32);
    m->m = sc_mpz_array_new(m->n_ballots);
    SC_ENSURE(m->U != NULL && m->M != NULL && m->d != NULL && m->m != NULL,
              SC_E_NOMEM);
    for (size_t x = 0; x < m->nu; x++) {
        const json_t *v = json_array_get(pr, x);
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) >= (1 << 30)) {
            rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: present[%zu]: bad", path,
                             x);
            goto done;
        }
        m->U[x] = (uint32_t)json_integer_value(v);
    }
    for (size_t t = 0; t < m->n_items; t++) {
        char w[300];
        snprintf(w, sizeof w, "%s: tally[%zu]", path, t);
        const json_t *e = json_array_get(items, t);
        /* range only: every reader of a round a message (round b, round
         * c, combine: decrypt.c check_msgs_a) tests its M_i and m_i for
         * Z_p^r in one batch, naming the guardian */
        SC_CHECK(sc_jio_get_elem_unchecked(grp, e, "M", m->M[t], w));
        SC_CHECK(sc_jio_get_bytes(e, "d", m->d[t], 32, w));
    }
    for (size_t b = 0; b < m->n_ballots; b++) {
        char f[64];
        snprintf(f, sizeof f, "ballot_nonces[%zu]", b);
        SC_CHECK(sc_jio_elem_node_unchecked(grp, json_array_get(bals, b),
                                            m->m[b], path, f));
    }
done:
    json_decref(j);
    if (rc != SC_OK) {
        sc_dec_msg_a_clear(m);
    }
    return rc;
}

sc_status sc_dec_msg_b_write(const sc_group *grp, const sc_dec_msg_b *m,
                             const char *path)
{
    json_t *items = json_array();
    for (size_t t = 0; items != NULL && t < m->n_items; t++) {
        json_array_append_new(items, json_pack("{s:o,s:o}", "a",
                                               sc_jio_elem(grp, m->a[t]), "b",
                                               sc_jio_elem(grp, m->b[t])));
    }
    return write_msg(path, json_pack("{s:s,s:i,s:o,s:o}", "round", "b", "i",
                                     (int)m->i, "job", sc_jio_hash(m->digest),
                                     "tally", items));
}

sc_status sc_dec_msg_b_read(const sc_group *grp, sc_dec_msg_b *m,
                            const char *path)
{
    json_t *j = NULL;
    const json_t *items = NULL;
    memset(m, 0, sizeof *m);
    sc_status rc = load_round(path, "b", &m->i, m->digest, &j, &items);
    if (rc != SC_OK) {
        return rc;
    }
    m->n_items = json_array_size(items);
    m->a = sc_mpz_array_new(m->n_items);
    m->b = sc_mpz_array_new(m->n_items);
    SC_ENSURE(m->a != NULL && m->b != NULL, SC_E_NOMEM);
    for (size_t t = 0; t < m->n_items; t++) {
        char w[300];
        snprintf(w, sizeof w, "%s: tally[%zu]", path, t);
        const json_t *e = json_array_get(items, t);
        /* range only: round c and combine test every a_i, b_i of the
         * message in one batch (decrypt.c check_reveals) */
        SC_CHECK(sc_jio_get_elem_unchecked(grp, e, "a", m->a[t], w));
        SC_CHECK(sc_jio_get_elem_unchecked(grp, e, "b", m->b[t], w));
    }
done:
    json_decref(j);
    if (rc != SC_OK) {
        sc_dec_msg_b_clear(m);
    }
    return rc;
}

sc_status sc_dec_msg_c_write(const sc_group *grp, const sc_dec_msg_c *m,
                             const char *path)
{
    return write_msg(
        path, json_pack("{s:s,s:i,s:o,s:o}", "round", "c", "i", (int)m->i,
                        "job", sc_jio_hash(m->digest), "tally",
                        sc_jio_scalar_array(grp, m->n_items, SC_CMPZ(m->v))));
}

sc_status sc_dec_msg_c_read(const sc_group *grp, sc_dec_msg_c *m,
                            const char *path)
{
    json_t *j = NULL;
    const json_t *items = NULL;
    memset(m, 0, sizeof *m);
    sc_status rc = load_round(path, "c", &m->i, m->digest, &j, &items);
    if (rc != SC_OK) {
        return rc;
    }
    m->n_items = json_array_size(items);
    m->v = sc_mpz_array_new(m->n_items);
    SC_ENSURE(m->v != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_get_scalar_array(grp, j, "tally", m->n_items, m->v, path));
done:
    json_decref(j);
    if (rc != SC_OK) {
        sc_dec_msg_c_clear(m);
    }
    return rc;
}

/* ---------------------------------------------------------------------- */
/* tally.json, challenged.jsonl                                            */
/* ---------------------------------------------------------------------- */

sc_status sc_dec_lines_append(char **lines, size_t *llen, size_t *lcap,
                              json_t *o)
{
    char *s =
        o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (s == NULL) {
        return SC_E_NOMEM;
    }
    size_t sl = strlen(s);
    if (*llen + sl + 2 > *lcap) {
        size_t nc = (*llen + sl + 2) * 2;
        char *nl = realloc(*lines, nc);
        if (nl == NULL) {
            free(s);
            return SC_E_NOMEM;
        }
        *lines = nl;
        *lcap = nc;
    }
    memcpy(*lines + *llen, s, sl);
    *llen += sl;
    (*lines)[(*llen)++] = '\n';
    free(s);
    return SC_OK;
}

static int set_label(json_t *o, const char *label)
{
    return label == NULL ? 0
                         : json_object_set_new(o, "label", json_string(label));
}

sc_status sc_decrypt_write_record(const sc_decrypt_job *job, size_t nu,
                                  const uint32_t *U, const char *record)
{
    sc_status rc = SC_OK;
    const sc_group *grp = job->grp;
    json_t *cons = json_array(), *tally = NULL, *con = NULL, *opts = NULL;
    char *p = NULL, *lines = NULL;
    size_t llen = 0, lcap = 0;
    SC_ENSURE(cons != NULL, SC_E_NOMEM);
    if (job->write_ins) {
        rc = sc_dec_write_write_ins(job, record);
        goto done;
    }
    for (size_t t = 0; t < job->n_items; t++) {
        const sc_decrypt_item *it = &job->items[t];
        if (it->kind != SC_DEC_TALLY) {
            continue;
        }
        if (con == NULL || t == 0 || it->ind_c != job->items[t - 1].ind_c) {
            con = json_pack("{s:i}", "index", (int)it->ind_c);
            SC_ENSURE(con != NULL, SC_E_NOMEM);
            set_label(con, it->contest_label);
            opts = json_array();
            json_object_set_new(con, "options", opts);
            json_array_append_new(cons, con);
        }
        json_t *o = json_pack("{s:i}", "index", (int)it->ind_o);
        SC_ENSURE(o != NULL, SC_E_NOMEM);
        set_label(o, it->option_label);
        json_object_set_new(o, "value", json_integer((json_int_t)it->t));
        /* format 2: the full decryption T = B·M^-1 = K^t (eq 82, §3.7) */
        json_object_set_new(o, "T", sc_jio_elem(grp, it->T));
        json_object_set_new(o, "proof",
                            json_pack("{s:o,s:o}", "challenge",
                                      sc_jio_scalar(grp, it->c), "response",
                                      sc_jio_scalar(grp, it->v)));
        json_array_append_new(opts, o);
    }
    tally = json_pack("{s:o,s:O}", "guardians_present", u_array(nu, U),
                      "contests", cons);
    SC_ENSURE(tally != NULL, SC_E_NOMEM);
    p = sc_jio_path(record, "tally.json");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_write_json(p, tally, 0644));
    free(p);
    p = NULL;
    for (size_t b = 0; b < job->n_ballots; b++) {
        const sc_challenged_ballot *bal = &job->ballots[b];
        json_t *cs = json_array();
        for (size_t c = 0; cs != NULL && c < bal->n_contests; c++) {
            const sc_challenged_contest *cc = &bal->contests[c];
            json_t *sel = json_array();
            for (size_t f = 0; sel != NULL && f < cc->n_fields; f++) {
                json_array_append_new(sel,
                                      json_integer((json_int_t)cc->sigma[f]));
            }
            json_t *jc = json_pack(
                "{s:i,s:o,s:o}", "index", (int)cc->ind_c, "selections", sel,
                "nonces",
                sc_jio_scalar_array(grp, cc->n_fields, SC_CMPZ(cc->xi)));
            if (jc != NULL && cc->has_data) {
                /* format 2: contest data nonce (eq 64) and D (13.4-13.A) */
                json_object_set_new(jc, "data_nonce",
                                    sc_jio_scalar(grp, cc->data_xi));
                json_object_set_new(jc, "data",
                                    sc_jio_bytes(cc->D, cc->data.c1_len));
            }
            json_array_append_new(cs, jc);
        }
        json_t *o = json_pack("{s:s,s:o,s:o}", "id", bal->id,
                              "selection_encryption_identifier",
                              sc_jio_hash(bal->id_b), "contests", cs);
        SC_CHECK(sc_dec_lines_append(&lines, &llen, &lcap, o));
    }
    p = sc_jio_path(record, "challenged.jsonl");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_write_file(p, lines != NULL ? lines : "", llen, 0644));
    SC_CHECK(sc_dec_write_counts(job, record));
done:
    free(p);
    free(lines);
    json_decref(cons);
    json_decref(tally);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* All in one                                                              */
/* ---------------------------------------------------------------------- */

static sc_status decrypt_all(const sc_group *grp, const char *record,
                             int write_ins, size_t nu, const uint32_t *U,
                             const char *const *secret_paths,
                             const char *const *passes, sc_rng *rng,
                             sc_decrypt_job **out_job, uint32_t *culprit)
{
    sc_status rc = SC_OK;
    sc_decrypt_job *job = NULL;
    sc_guardian_secret **sec = NULL;
    sc_dec_state **st = NULL;
    sc_dec_msg_a *ma = NULL;
    sc_dec_msg_b *mb = NULL;
    sc_dec_msg_c *mc = NULL;
    if (out_job != NULL) {
        *out_job = NULL;
    }
    if (culprit != NULL) {
        *culprit = 0;
    }
    if (grp == NULL || record == NULL || U == NULL || secret_paths == NULL ||
        passes == NULL || nu == 0) {
        return SC_E_MISUSE;
    }
    sec = calloc(nu, sizeof *sec);
    st = calloc(nu, sizeof *st);
    ma = calloc(nu, sizeof *ma);
    mb = calloc(nu, sizeof *mb);
    mc = calloc(nu, sizeof *mc);
    SC_ENSURE(sec != NULL && st != NULL && ma != NULL && mb != NULL &&
                  mc != NULL,
              SC_E_NOMEM);
    SC_CHECK(write_ins ? sc_decrypt_job_load_write_ins(&job, grp, record)
                       : sc_decrypt_job_load(&job, grp, record));
    for (size_t m = 0; m < nu; m++) {
        SC_CHECK(sc_secret_load(&sec[m], grp, NULL, secret_paths[m], passes[m],
                                strlen(passes[m])));
        if (sec[m]->i != U[m]) {
            rc = sc_jio_fail(SC_E_INVALID,
                             "%s: the secret of guardian %u, "
                             "expected guardian %u",
                             secret_paths[m], (unsigned)sec[m]->i,
                             (unsigned)U[m]);
            goto done;
        }
    }
    for (size_t m = 0; m < nu; m++) {
        SC_CHECK(sc_decrypt_round_a(job, sec[m], nu, U, rng, &st[m], &ma[m]));
    }
    for (size_t m = 0; m < nu; m++) {
        SC_CHECK(sc_decrypt_round_b(job, st[m], ma, &mb[m], culprit));
    }
    for (size_t m = 0; m < nu; m++) {
        SC_CHECK(
            sc_decrypt_round_c(job, sec[m], st[m], ma, mb, &mc[m], culprit));
    }
    SC_CHECK(sc_decrypt_combine(job, nu, ma, mb, mc, culprit));
    SC_CHECK(sc_decrypt_write_record(job, nu, U, record));
    if (out_job != NULL) {
        *out_job = job;
        job = NULL;
    }
done:
    for (size_t m = 0; m < nu && sec != NULL; m++) {
        sc_guardian_secret_free(sec[m]);
        sc_dec_state_free(st[m]);
        sc_dec_msg_a_clear(&ma[m]);
        sc_dec_msg_b_clear(&mb[m]);
        sc_dec_msg_c_clear(&mc[m]);
    }
    free(sec);
    free(st);
    free(ma);
    free(mb);
    free(mc);
    sc_decrypt_job_free(job);
    return rc;
}

sc_status sc_decrypt_all(const sc_group *grp, const char *record, size_t nu,
                         const uint32_t *U, const char *const *secret_paths,
                         const char *const *passes, sc_rng *rng,
                         sc_decrypt_job **out_job, uint32_t *culprit)
{
    return decrypt_all(grp, record, 0, nu, U, secret_paths, passes, rng,
                       out_job, culprit);
}

sc_status sc_decrypt_all_write_ins(const sc_group *grp, const char *record,
                                   size_t nu, const uint32_t *U,
                                   const char *const *secret_paths,
                                   const char *const *passes, sc_rng *rng,
                                   sc_decrypt_job **out_job, uint32_t *culprit)
{
    return decrypt_all(grp, record, 1, nu, U, secret_paths, passes, rng,
                       out_job, culprit);
}
