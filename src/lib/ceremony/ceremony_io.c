/* Files of the key ceremony (docs/CEREMONY.md) and the all-in-one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ceremony/jsonio.h"
#include "scrutin/ceremony.h"
#include "scrutin/core.h"

static json_t *proof_json(const sc_group *grp, const sc_guardian_proof *pf)
{
    return json_pack("{s:o,s:o}", "challenge", sc_jio_scalar(grp, pf->c),
                     "responses",
                     sc_jio_scalar_array(grp, pf->k + 1, SC_CMPZ(pf->v)));
}

sc_status sc_guardian_public_write(const sc_group *grp,
                                   const sc_guardian_public *pub,
                                   const char *path)
{
    json_t *j =
        json_pack("{s:i,s:s,s:o,s:o,s:o,s:o,s:o}", "i", (int)pub->i, "name",
                  pub->name, "coefficient_commitments",
                  sc_jio_elem_array(grp, pub->k, SC_CMPZ(pub->K)),
                  "data_coefficient_commitments",
                  sc_jio_elem_array(grp, pub->k, SC_CMPZ(pub->Khat)),
                  "communication_public_key", sc_jio_elem(grp, pub->kappa),
                  "coefficient_proof", proof_json(grp, &pub->proof),
                  "data_coefficient_proof", proof_json(grp, &pub->proof_hat));
    if (j == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = sc_jio_write_json(path, j, 0644);
    json_decref(j);
    return rc;
}

static sc_status proof_read(const sc_group *grp, const json_t *o,
                            const char *key, sc_guardian_proof *pf,
                            const char *path)
{
    const json_t *p = json_object_get(o, key);
    if (!json_is_object(p)) {
        return sc_jio_fail(SC_E_INVALID_JSON,
                           "%s: %s: missing or not an "
                           "object",
                           path, key);
    }
    char f[64];
    snprintf(f, sizeof f, "%s.challenge", key);
    sc_status rc = sc_jio_scalar_node(grp, json_object_get(p, "challenge"),
                                      pf->c, path, f);
    if (rc == SC_OK) {
        char file2[512];
        snprintf(file2, sizeof file2, "%s: %s", path, key);
        rc = sc_jio_get_scalar_array(grp, p, "responses", pf->k + 1, pf->v,
                                     file2);
    }
    return rc;
}

sc_status sc_guardian_public_read(const sc_group *grp, sc_guardian_public *pub,
                                  const char *path)
{
    json_t *j = NULL;
    sc_status rc = sc_jio_load(path, &j);
    if (rc != SC_OK) {
        return rc;
    }
    uint32_t i = 0;
    const json_t *cc = json_object_get(j, "coefficient_commitments");
    size_t k = json_is_array(cc) ? json_array_size(cc) : 0;
    SC_CHECK(sc_jio_get_u32(j, "i", &i, path));
    if (k < 1 || k >= (1u << 20)) {
        rc = sc_jio_fail(SC_E_INVALID_JSON,
                         "%s: coefficient_commitments: "
                         "missing or empty",
                         path);
        goto done;
    }
    sc_guardian_public_clear(pub);
    SC_CHECK(sc_guardian_public_init(pub, (uint32_t)k));
    pub->i = i;
    const json_t *jn = json_object_get(j, "name");
    if (jn != NULL &&
        (!json_is_string(jn) || json_string_length(jn) >= sizeof pub->name ||
         strlen(json_string_value(jn)) != json_string_length(jn))) {
        rc = sc_jio_fail(SC_E_INVALID_LENGTH,
                         "%s: name: not a string of at most %zu bytes", path,
                         sizeof pub->name - 1);
        goto done;
    }
    snprintf(pub->name, sizeof pub->name, "%s",
             jn != NULL ? json_string_value(jn) : "");
    SC_CHECK(sc_jio_get_elem_array(grp, j, "coefficient_commitments", k, pub->K,
                                   path));
    SC_CHECK(sc_jio_get_elem_array(grp, j, "data_coefficient_commitments", k,
                                   pub->Khat, path));
    SC_CHECK(
        sc_jio_get_elem(grp, j, "communication_public_key", pub->kappa, path));
    SC_CHECK(proof_read(grp, j, "coefficient_proof", &pub->proof, path));
    SC_CHECK(
        proof_read(grp, j, "data_coefficient_proof", &pub->proof_hat, path));
done:
    json_decref(j);
    return rc;
}

sc_status sc_guardian_shares_write(const sc_group *grp,
                                   const sc_guardian_shares *sh,
                                   const char *path)
{
    json_t *arr = json_array();
    json_t *j = NULL;
    sc_status rc = SC_OK;
    SC_ENSURE(arr != NULL, SC_E_NOMEM);
    for (uint32_t l = 1; l <= sh->n; l++) {
        if (l == sh->from) {
            continue;
        }
        const sc_share_ct *ct = &sh->ct[l - 1];
        json_t *e = json_pack(
            "{s:i,s:o,s:o,s:o,s:o}", "to", (int)l, "c0",
            sc_jio_elem(grp, ct->c0), "c1", sc_jio_bytes(ct->c1, sizeof ct->c1),
            "c", sc_jio_scalar(grp, ct->c), "v", sc_jio_scalar(grp, ct->v));
        SC_ENSURE(e != NULL && json_array_append_new(arr, e) == 0, SC_E_NOMEM);
    }
    j = json_pack("{s:i,s:i,s:O}", "from", (int)sh->from, "n", (int)sh->n,
                  "shares", arr);
    SC_ENSURE(j != NULL, SC_E_NOMEM);
    rc = sc_jio_write_json(path, j, 0644);
done:
    json_decref(arr);
    json_decref(j);
    return rc;
}

sc_status sc_guardian_shares_read(const sc_group *grp, uint32_t n,
                                  sc_guardian_shares *sh, const char *path)
{
    json_t *j = NULL;
    uint32_t from = 0, fn = 0;
    sc_status rc = sc_jio_load(path, &j);
    if (rc != SC_OK) {
        return rc;
    }
    SC_CHECK(sc_jio_get_u32(j, "from", &from, path));
    SC_CHECK(sc_jio_get_u32(j, "n", &fn, path));
    if (fn != n || from < 1 || from > n) {
        rc = sc_jio_fail(SC_E_INVALID,
                         "%s: from/n: shares from guardian %u "
                         "of %u, expected one of %u",
                         path, (unsigned)from, (unsigned)fn, (unsigned)n);
        goto done;
    }
    sc_guardian_shares_clear(sh);
    SC_CHECK(sc_guardian_shares_init(sh, from, n));
    const json_t *arr = json_object_get(j, "shares");
    if (!json_is_array(arr) || json_array_size(arr) != n - 1) {
        rc = sc_jio_fail(SC_E_INVALID_JSON,
                         "%s: shares: expected %u "
                         "entries",
                         path, (unsigned)(n - 1));
        goto done;
    }
    uint8_t *seen = calloc(n + 1, 1);
    SC_ENSURE(seen != NULL, SC_E_NOMEM);
    for (size_t m = 0; m < n - 1 && rc == SC_OK; m++) {
        const json_t *e = json_array_get(arr, m);
        char where[512];
        snprintf(where, sizeof where, "%s: shares[%zu]", path, m);
        uint32_t to = 0;
        rc = sc_jio_get_u32(e, "to", &to, where);
        if (rc == SC_OK && (to < 1 || to > n || to == from || seen[to])) {
            rc = sc_jio_fail(SC_E_INVALID,
                             "%s: to: bad or repeated "
                             "recipient %u",
                             where, (unsigned)to);
        }
        if (rc != SC_OK) {
            break;
        }
        seen[to] = 1;
        sc_share_ct *ct = &sh->ct[to - 1];
        rc = sc_jio_get_elem(grp, e, "c0", ct->c0, where);
        if (rc == SC_OK) {
            rc = sc_jio_get_bytes(e, "c1", ct->c1, sizeof ct->c1, where);
        }
        if (rc == SC_OK) {
            rc = sc_jio_get_scalar(grp, e, "c", ct->c, where);
        }
        if (rc == SC_OK) {
            rc = sc_jio_get_scalar(grp, e, "v", ct->v, where);
        }
    }
    free(seen);
done:
    json_decref(j);
    return rc;
}

sc_status sc_guardian_result_write(const sc_group *grp,
                                   const sc_guardian_result *r,
                                   const char *path)
{
    json_t *j =
        json_pack("{s:i,s:o,s:o,s:o,s:o}", "i", (int)r->i,
                  "joint_election_public_key", sc_jio_elem(grp, r->K),
                  "joint_ballot_data_public_key", sc_jio_elem(grp, r->Khat),
                  "h_e", sc_jio_hash(r->h_e), "h_g", sc_jio_hash(r->h_g));
    if (j == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = sc_jio_write_json(path, j, 0644);
    json_decref(j);
    return rc;
}

sc_status sc_guardian_result_read(const sc_group *grp, sc_guardian_result *r,
                                  const char *path)
{
    json_t *j = NULL;
    sc_status rc = sc_jio_load(path, &j);
    if (rc != SC_OK) {
        return rc;
    }
    SC_CHECK(sc_jio_get_u32(j, "i", &r->i, path));
    SC_CHECK(sc_jio_get_elem(grp, j, "joint_election_public_key", r->K, path));
    SC_CHECK(
        sc_jio_get_elem(grp, j, "joint_ballot_data_public_key", r->Khat, path));
    SC_CHECK(sc_jio_get_bytes(j, "h_e", r->h_e, 32, path));
    SC_CHECK(sc_jio_get_bytes(j, "h_g", r->h_g, 32, path));
done:
    json_decref(j);
    return rc;
}

sc_status sc_ceremony_write_record(const sc_ceremony_ctx *ctx,
                                   const sc_guardian_public *pubs,
                                   const sc_guardian_result *joint,
                                   const char *record_dir)
{
    sc_status rc = SC_OK;
    char *dir = NULL, *p = NULL;
    json_t *j = NULL;
    const sc_group *grp = ctx->grp;
    dir = sc_jio_path(record_dir, "guardians");
    SC_ENSURE(dir != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_mkdirs(dir, 0755));
    for (uint32_t i = 1; i <= ctx->n; i++) {
        p = sc_jio_path(dir, "guardian_%u.json", (unsigned)i);
        SC_ENSURE(p != NULL, SC_E_NOMEM);
        SC_CHECK(sc_guardian_public_write(grp, &pubs[i - 1], p));
        free(p);
        p = NULL;
    }
    j = json_pack("{s:o,s:o}", "joint_election_public_key",
                  sc_jio_elem(grp, joint->K), "joint_ballot_data_public_key",
                  sc_jio_elem(grp, joint->Khat));
    SC_ENSURE(j != NULL, SC_E_NOMEM);
    p = sc_jio_path(record_dir, "joint_election_public_key.json");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_write_json(p, j, 0644));
    free(p);
    p = NULL;
    json_decref(j);
    j = json_pack("{s:o,s:o}", "h_e", sc_jio_hash(joint->h_e), "h_g",
                  sc_jio_hash(joint->h_g));
    SC_ENSURE(j != NULL, SC_E_NOMEM);
    p = sc_jio_path(record_dir, "hashes_ext.json");
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_write_json(p, j, 0644));
done:
    free(dir);
    free(p);
    json_decref(j);
    return rc;
}

sc_status sc_ceremony_run_all(const sc_ceremony_ctx *ctx,
                              const char *secrets_dir, const char *pass,
                              size_t pass_len, sc_kdf_level level, sc_rng *rng,
                              const char *record_dir, sc_guardian_result *joint)
{
    sc_status rc = SC_OK;
    uint32_t n, culprit = 0;
    sc_guardian_secret **sec = NULL;
    sc_guardian_public *pubs = NULL;
    sc_guardian_shares *shares = NULL;
    sc_guardian_result *res = NULL, own_joint;
    char *p = NULL;
    if (ctx == NULL || secrets_dir == NULL || pass == NULL ||
        record_dir == NULL) {
        return SC_E_MISUSE;
    }
    n = ctx->n;
    sc_guardian_result_init(&own_joint);
    sec = calloc(n, sizeof *sec);
    pubs = calloc(n, sizeof *pubs);
    shares = calloc(n, sizeof *shares);
    res = calloc(n, sizeof *res);
    SC_ENSURE(sec != NULL && pubs != NULL && shares != NULL && res != NULL,
              SC_E_NOMEM);
    for (uint32_t i = 0; i < n; i++) {
        sc_guardian_result_init(&res[i]);
    }
    SC_CHECK(sc_jio_mkdirs(secrets_dir, 0700));
    SC_CHECK(sc_jio_mkdirs(record_dir, 0755));
    for (uint32_t i = 1; i <= n; i++) { /* round 1 */
        SC_CHECK(sc_guardian_public_init(&pubs[i - 1], ctx->k));
        SC_CHECK(
            sc_guardian_round1(ctx, i, NULL, rng, &sec[i - 1], &pubs[i - 1]));
    }
    for (uint32_t i = 1; i <= n; i++) { /* round 2 */
        SC_CHECK(sc_guardian_shares_init(&shares[i - 1], i, n));
        SC_CHECK(sc_guardian_round2(ctx, sec[i - 1], pubs, rng, &shares[i - 1],
                                    &culprit));
    }
    for (uint32_t i = 1; i <= n; i++) { /* round 3 */
        SC_CHECK(sc_guardian_round3(ctx, sec[i - 1], pubs, shares, &res[i - 1],
                                    &culprit));
        p = sc_jio_path(secrets_dir, "guardian_%u.secret", (unsigned)i);
        SC_ENSURE(p != NULL, SC_E_NOMEM);
        SC_CHECK(sc_secret_save(sec[i - 1], p, pass, pass_len, level));
        free(p);
        p = NULL;
    }
    sc_guardian_result *jt = joint != NULL ? joint : &own_joint;
    SC_CHECK(sc_ceremony_finish(ctx, pubs, res, jt, &culprit));
    SC_CHECK(sc_ceremony_write_record(ctx, pubs, jt, record_dir));
done:
    free(p);
    for (uint32_t i = 0; sec != NULL && i < n; i++) {
        sc_guardian_secret_free(sec[i]);
    }
    for (uint32_t i = 0; pubs != NULL && i < n; i++) {
        sc_guardian_public_clear(&pubs[i]);
    }
    for (uint32_t i = 0; shares != NULL && i < n; i++) {
        sc_guardian_shares_clear(&shares[i]);
    }
    for (uint32_t i = 0; res != NULL && i < n; i++) {
        sc_guardian_result_clear(&res[i]);
    }
    free(sec);
    free(pubs);
    free(shares);
    free(res);
    sc_guardian_result_clear(&own_joint);
    return rc;
}
