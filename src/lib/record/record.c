/* Scrutin: election record files of the pipeline (docs/RECORD.md). */
#include "scrutin/record.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/files.h"

__attribute__((format(printf, 3, 4))) static sc_status
seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (err != NULL && errlen > 0 && err[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return SC_E_INVALID;
}

static void copy_jerr(const sc_jctx *ctx, char *err, size_t errlen)
{
    if (err != NULL && errlen > 0 && err[0] == '\0' && ctx->msg[0]) {
        snprintf(err, errlen, "%s", ctx->msg);
    }
}

sc_status sc_record_path(char *buf, size_t len, const char *dir,
                         const char *name)
{
    int n = snprintf(buf, len, "%s/%s", dir, name);
    return (n < 0 || (size_t)n >= len) ? SC_E_RANGE : SC_OK;
}

static sc_status mkdir_p(const char *dir)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) {
        return SC_E_RANGE;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
                return SC_E_IO;
            }
            *p = '/';
        }
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
        return SC_E_IO;
    }
    return SC_OK;
}

/* ------------------------------------------------------------------------
 * sc_record_init
 * ---------------------------------------------------------------------- */

static json_t *hex_of(const mpz_t x, size_t width)
{
    uint8_t *b = malloc(width);
    char *s = malloc(2 * width + 1);
    json_t *v = NULL;
    if (b != NULL && s != NULL && sc_mpz_encode(b, width, x) == SC_OK) {
        sc_hex_encode(s, b, width);
        v = json_string(s);
    }
    free(b);
    free(s);
    return v;
}

static sc_status write_params(const char *dir, const sc_group *grp, uint32_t n,
                              uint32_t k, const char *info)
{
    sc_status rc = SC_OK;
    char path[4096];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char date[16];
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    json_t *root = json_pack(
        "{s:{s:{s:[i,i,i]}},s:{s:i,s:i,s:s,s:s,s:s}}", "fixed_parameters",
        "ElectionGuard_Design_Specification_version", "number", 2, 1, 0,
        "varying_parameters", "n", (int)n, "k", (int)k, "info",
        info != NULL ? info : "Scrutin election", "date", date,
        "ballot_chaining", "Allowed");
    SC_ENSURE(root != NULL, SC_E_NOMEM);
    json_t *fixed = json_object_get(root, "fixed_parameters");
    if (grp->id == SC_GROUP_STANDARD) {
        SC_CHECK(
            sc_json_put(fixed, "generation_parameters",
                        json_pack("{s:i,s:i,s:i,s:s,s:i}", "q_bits_total", 256,
                                  "p_bits_total", 4096, "p_bits_msb_fixed_1",
                                  256, "p_middle_bits_source", "ln_2",
                                  "p_bits_lsb_fixed_1", 256)));
    }
    json_t *field = json_object();
    SC_CHECK(sc_json_put(fixed, "field", field));
    SC_CHECK(sc_json_put(field, "q", hex_of(grp->q, grp->lq)));
    json_t *group = json_object();
    SC_CHECK(sc_json_put(fixed, "group", group));
    SC_CHECK(sc_json_put(group, "p", hex_of(grp->p, grp->lp)));
    SC_CHECK(sc_json_put(group, "g", hex_of(grp->g, grp->lp)));
    SC_CHECK(sc_json_put(group, "q", hex_of(grp->q, grp->lq)));
    /* reorder: the draft puts fixed_parameters' version first */
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_PARAMS));
    SC_CHECK(sc_json_write_file(path, root, 0));
done:
    json_decref(root);
    return rc;
}

sc_status sc_record_init(const char *dir, const sc_group *grp,
                         const sc_manifest *m, uint32_t n, uint32_t k,
                         const char *info, char *err, size_t errlen)
{
    sc_status rc = SC_OK;
    char path[4096];
    json_t *rec = NULL, *hashes = NULL;
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    SC_ENSURE(k >= 1 && k <= n && n < SC_LIMIT_MAX,
              seterr(err, errlen, "need 1 <= quorum <= guardians"));
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_RECORD));
    SC_ENSURE(access(path, F_OK) != 0,
              (seterr(err, errlen,
                      "%s: already holds an election record (not "
                      "overwritten)",
                      dir),
               SC_E_DUPLICATE));
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_BALLOTS_DIR));
    rc = mkdir_p(path);
    SC_ENSURE(rc == SC_OK, (seterr(err, errlen, "%s: cannot create: %s", path,
                                   strerror(errno)),
                            SC_E_IO));
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char created[32];
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    rec = json_pack("{s:s,s:i,s:s,s:s,s:s}", "format", "scrutin-record",
                    "format_version", SC_RECORD_FORMAT_VERSION, "electionguard",
                    SC_EG_VERSION, "parameter_set", grp->name, "created",
                    created);
    SC_ENSURE(rec != NULL, SC_E_NOMEM);
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_RECORD));
    SC_CHECK(sc_json_write_file(path, rec, 0));
    SC_CHECK(write_params(dir, grp, n, k, info));
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_MANIFEST));
    SC_CHECK(sc_file_write_atomic(path, m->canonical, m->canonical_len));
    uint8_t hp[32], hb[32];
    sc_eg_param_base_hash(grp, n, k, hp);                             /* eq 4 */
    sc_eg_election_base_hash(hp, m->canonical, m->canonical_len, hb); /* 5 */
    hashes = json_object();
    SC_ENSURE(hashes != NULL, SC_E_NOMEM);
    SC_CHECK(sc_json_put_hash(hashes, "h_p", hp));
    SC_CHECK(sc_json_put_hash(hashes, "h_b", hb));
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_HASHES));
    SC_CHECK(sc_json_write_file(path, hashes, 0));
done:
    if (rc != SC_OK) {
        seterr(err, errlen, "%s: cannot write: %s", dir, sc_strerror(rc));
    }
    json_decref(rec);
    json_decref(hashes);
    return rc;
}

/* ------------------------------------------------------------------------
 * sc_record_open
 * ---------------------------------------------------------------------- */

void sc_record_free(sc_record *r)
{
    if (r == NULL) {
        return;
    }
    sc_elgamal_key_free(r->K);
    sc_elgamal_key_free(r->Khat);
    sc_manifest_free(r->manifest);
    sc_group_free(r->grp);
    free(r->dir);
    free(r);
}

static sc_status read_json(const char *dir, const char *name,
                           const sc_group *grp, sc_jctx *ctx, char *pathbuf,
                           size_t plen, json_t **out)
{
    sc_status rc = sc_record_path(pathbuf, plen, dir, name);
    if (rc != SC_OK) {
        return rc;
    }
    sc_jctx_init(ctx, pathbuf, grp);
    return sc_json_read_file(ctx, pathbuf, out);
}

sc_status sc_record_open(sc_record **out, const char *dir, int flags, char *err,
                         size_t errlen)
{
    sc_status rc = SC_OK;
    char path[4096];
    sc_jctx ctx;
    json_t *j = NULL;
    char *data = NULL;
    mpz_t K, Kh;
    mpz_init(K);
    mpz_init(Kh);
    *out = NULL;
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    sc_record *r = calloc(1, sizeof *r);
    SC_ENSURE(r != NULL, SC_E_NOMEM);
    size_t dl = strlen(dir);
    r->dir = malloc(dl + 1);
    SC_ENSURE(r->dir != NULL, SC_E_NOMEM);
    memcpy(r->dir, dir, dl + 1);

    /* a run interrupted after its commit point is finished first, and
     * temporary files of killed runs removed (commit.c) */
    if (sc_record_interrupted(dir) || access(dir, W_OK) == 0) {
        int lock = sc_record_lock(dir), finished = 0;
        rc =
            lock < 0 ? SC_E_IO : sc_record_recover(dir, &finished, err, errlen);
        sc_record_unlock(lock);
        SC_ENSURE(rc == SC_OK,
                  (seterr(err, errlen,
                          "%s: an interrupted run could not be finished: %s",
                          dir, sc_strerror(rc)),
                   rc));
    }

    /* record.json: format and group */
    SC_CHECK(read_json(dir, SC_REC_RECORD, NULL, &ctx, path, sizeof path, &j));
    const char *fmt, *pset;
    SC_CHECK(sc_json_get_str(&ctx, j, "format", &fmt));
    SC_ENSURE(strcmp(fmt, "scrutin-record") == 0,
              sc_jctx_fail(&ctx, SC_E_INVALID, "format",
                           "not a Scrutin record (\"%s\")", fmt));
    uint32_t ver;
    SC_CHECK(sc_json_get_u32(&ctx, j, "format_version", &ver));
    SC_ENSURE(ver >= 1 && ver <= SC_RECORD_FORMAT_VERSION,
              sc_jctx_fail(&ctx, SC_E_INVALID, "format_version",
                           "version %u is not supported", (unsigned)ver));
    SC_CHECK(sc_json_get_str(&ctx, j, "parameter_set", &pset));
    sc_group_id gid;
    SC_ENSURE(sc_group_id_from_name(&gid, pset) == SC_OK,
              sc_jctx_fail(&ctx, SC_E_INVALID, "parameter_set",
                           "unknown parameter set \"%s\"", pset));
    SC_CHECK(sc_group_new(&r->grp, gid));
    json_decref(j);
    j = NULL;

    /* election_parameters.json: n, k */
    SC_CHECK(
        read_json(dir, SC_REC_PARAMS, r->grp, &ctx, path, sizeof path, &j));
    json_t *fp, *gp, *vp;
    SC_CHECK(sc_json_get_obj(&ctx, j, "fixed_parameters", &fp));
    sc_jctx_where(&ctx, "fixed_parameters.");
    SC_CHECK(sc_json_get_obj(&ctx, fp, "group", &gp));
    sc_jctx_where(&ctx, "fixed_parameters.group.");
    {
        /* p, g, q must be those of parameter_set (record.json) */
        static const char *const names[3] = {"p", "g", "q"};
        const __mpz_struct *want[3] = {r->grp->p, r->grp->g, r->grp->q};
        const size_t width[3] = {r->grp->lp, r->grp->lp, r->grp->lq};
        for (int i = 0; i < 3; i++) {
            const char *hx;
            SC_CHECK(sc_json_get_str(&ctx, gp, names[i], &hx));
            json_t *mine = hex_of(want[i], width[i]);
            SC_ENSURE(mine != NULL, SC_E_NOMEM);
            int same = strcmp(json_string_value(mine), hx) == 0;
            json_decref(mine);
            SC_ENSURE(same, sc_jctx_fail(&ctx, SC_E_INVALID, names[i],
                                         "not the %s of parameter set %s",
                                         names[i], r->grp->name));
        }
    }
    sc_jctx_where(&ctx, "%s", "");
    SC_CHECK(sc_json_get_obj(&ctx, j, "varying_parameters", &vp));
    sc_jctx_where(&ctx, "varying_parameters.");
    SC_CHECK(sc_json_get_u32(&ctx, vp, "n", &r->n));
    SC_CHECK(sc_json_get_u32(&ctx, vp, "k", &r->k));
    SC_ENSURE(r->k >= 1 && r->k <= r->n && r->n < SC_LIMIT_MAX,
              sc_jctx_fail(&ctx, SC_E_INVALID, "k", "need 1 <= k <= n"));
    json_decref(j);
    j = NULL;

    /* the canonical manifest */
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_MANIFEST));
    size_t len;
    rc = sc_file_read_all(path, &data, &len);
    SC_ENSURE(rc == SC_OK, (seterr(err, errlen, "%s: cannot read: %s", path,
                                   sc_strerror(rc)),
                            rc));
    SC_CHECK(sc_manifest_parse(&r->manifest, data, len, path, err, errlen));
    SC_ENSURE(
        r->manifest->canonical_len == len &&
            memcmp(r->manifest->canonical, data, len) == 0,
        seterr(err, errlen, "%s: the manifest is not in canonical form", path));

    /* hashes.json: H_P (eq 4), H_B (eq 5) recomputed */
    sc_eg_param_base_hash(r->grp, r->n, r->k, r->h_p);
    sc_eg_election_base_hash(r->h_p, (const uint8_t *)data, len, r->h_b);
    SC_CHECK(
        read_json(dir, SC_REC_HASHES, r->grp, &ctx, path, sizeof path, &j));
    uint8_t h[32];
    SC_CHECK(sc_json_get_hash(&ctx, j, "h_p", h));
    SC_ENSURE(memcmp(h, r->h_p, 32) == 0,
              sc_jctx_fail(&ctx, SC_E_VERIFY, "h_p",
                           "does not match H_P of eq 4 for this group, "
                           "n and k"));
    SC_CHECK(sc_json_get_hash(&ctx, j, "h_b", h));
    SC_ENSURE(memcmp(h, r->h_b, 32) == 0,
              sc_jctx_fail(&ctx, SC_E_VERIFY, "h_b",
                           "does not match H_B of eq 5 for the manifest"));
    json_decref(j);
    j = NULL;

    /* the key ceremony's parts */
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_JOINT_KEY));
    if (access(path, F_OK) != 0 && !(flags & SC_RECORD_NEED_KEYS)) {
        goto ok;
    }
    SC_CHECK(
        read_json(dir, SC_REC_JOINT_KEY, r->grp, &ctx, path, sizeof path, &j));
    SC_CHECK(sc_json_get_elem(&ctx, j, "joint_election_public_key", K));
    SC_CHECK(sc_json_get_elem(&ctx, j, "joint_ballot_data_public_key", Kh));
    json_decref(j);
    j = NULL;
    SC_CHECK(
        read_json(dir, SC_REC_HASHES_EXT, r->grp, &ctx, path, sizeof path, &j));
    SC_CHECK(sc_json_get_hash(&ctx, j, "h_e", r->h_e));
    sc_eg_extended_base_hash(r->grp, r->h_b, K, Kh, h); /* eq 30 */
    SC_ENSURE(memcmp(h, r->h_e, 32) == 0,
              sc_jctx_fail(&ctx, SC_E_VERIFY, "h_e",
                           "does not match H_E of eq 30 for H_B, K and "
                           "K-hat"));
    rc = sc_elgamal_key_new(&r->K, r->grp, K);
    SC_ENSURE(rc == SC_OK, (seterr(err, errlen,
                                   "%s/%s: the joint key "
                                   "cannot be used: %s",
                                   dir, SC_REC_JOINT_KEY, sc_strerror(rc)),
                            rc));
    rc = sc_elgamal_key_new(&r->Khat, r->grp, Kh);
    SC_ENSURE(rc == SC_OK, (seterr(err, errlen,
                                   "%s/%s: the ballot data "
                                   "key cannot be used: %s",
                                   dir, SC_REC_JOINT_KEY, sc_strerror(rc)),
                            rc));
    r->has_keys = 1;
ok:
    *out = r;
    r = NULL;
done:
    if (rc != SC_OK) {
        copy_jerr(&ctx, err, errlen);
        seterr(err, errlen, "%s: %s", dir, sc_strerror(rc));
    }
    json_decref(j);
    free(data);
    mpz_clear(K);
    mpz_clear(Kh);
    sc_record_free(r);
    return rc;
}

void sc_record_election(const sc_record *r, sc_election *e)
{
    e->grp = r->grp;
    e->manifest = r->manifest;
    memcpy(e->h_e, r->h_e, 32);
    e->K = r->K;
    e->Khat = r->Khat;
}

/* ------------------------------------------------------------------------
 * Ballots <-> JSON
 * ---------------------------------------------------------------------- */

static const char *state_name(sc_ballot_state s)
{
    switch (s) {
    case SC_BALLOT_CAST: return "Cast";
    case SC_BALLOT_CHALLENGED: return "Challenged";
    default: return "Undecided";
    }
}

static sc_status put_proof(const sc_group *grp, json_t *obj, const char *key,
                           const sc_range_proof *pf)
{
    json_t *p = json_object();
    sc_status rc = sc_json_put(obj, key, p);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_json_put_scalar_array(p, grp, "c", pf->R + 1, (const mpz_t *)pf->c);
    if (rc == SC_OK) {
        rc = sc_json_put_scalar_array(p, grp, "v", pf->R + 1,
                                      (const mpz_t *)pf->v);
    }
    return rc;
}

sc_status sc_ballot_to_json(const sc_group *grp, const sc_enc_ballot *b,
                            sc_json **out)
{
    sc_status rc = SC_OK;
    *out = NULL;
    json_t *o = json_object();
    SC_ENSURE(o != NULL, SC_E_NOMEM);
    SC_CHECK(sc_json_put_str(o, "id", b->id));
    SC_CHECK(sc_json_put_str(o, "state", state_name(b->state)));
    SC_CHECK(sc_json_put_u64(o, "style", b->style));
    SC_CHECK(sc_json_put_u64(o, "device", b->device));
    SC_CHECK(sc_json_put_u64(o, "sequence", b->sequence));
    if (b->weight != 1) {
        SC_CHECK(sc_json_put_u64(o, "weight", b->weight));
    }
    if (b->encrypted_at[0] != '\0') { /* §3.7, where the device gives it */
        SC_CHECK(sc_json_put_str(o, "encrypted_at", b->encrypted_at));
    }
    SC_CHECK(sc_json_put_hash(o, "selection_encryption_identifier", b->id_b));
    SC_CHECK(sc_json_put_hash(o, "h_i", b->h_i));
    json_t *cs = json_array();
    SC_CHECK(sc_json_put(o, "contests", cs));
    for (size_t i = 0; i < b->n_contests; i++) {
        const sc_enc_contest *c = &b->contests[i];
        json_t *jc = json_object();
        SC_CHECK(sc_json_append(cs, jc));
        SC_CHECK(sc_json_put_u64(jc, "index", c->ind_c));
        json_t *fs = json_array();
        SC_CHECK(sc_json_put(jc, "fields", fs));
        for (size_t j = 0; j < c->n; j++) {
            json_t *f = json_object();
            SC_CHECK(sc_json_append(fs, f));
            SC_CHECK(sc_json_put_elem(f, grp, "alpha", c->fields[j].alpha));
            SC_CHECK(sc_json_put_elem(f, grp, "beta", c->fields[j].beta));
            SC_CHECK(put_proof(grp, f, "proof", &c->proofs[j]));
        }
        SC_CHECK(put_proof(grp, jc, "limit_proof", &c->limit));
        if (c->n_rel > 0) {
            /* §3.3.9: relation proofs of the supplemental fields */
            json_t *rs = json_array();
            SC_CHECK(sc_json_put(jc, "supplemental_proofs", rs));
            for (size_t k = 0; k < c->n_rel; k++) {
                json_t *holder = json_object();
                SC_ENSURE(holder != NULL, SC_E_NOMEM);
                rc = put_proof(grp, holder, "p", &c->rel[k]);
                if (rc == SC_OK) {
                    rc = sc_json_append(
                        rs, json_incref(json_object_get(holder, "p")));
                }
                json_decref(holder);
                SC_CHECK(rc);
            }
        }
        if (c->has_data) {
            /* eq 67-69: C_0, C_1, C_2 = (c, v) */
            json_t *cd = json_object();
            SC_CHECK(sc_json_put(jc, "contest_data", cd));
            SC_CHECK(sc_json_put_elem(cd, grp, "c0", c->data.c0));
            SC_CHECK(sc_json_put_bytes(cd, "c1", c->data.c1, c->data.c1_len));
            SC_CHECK(sc_json_put_scalar(cd, grp, "c", c->data.c2_c));
            SC_CHECK(sc_json_put_scalar(cd, grp, "v", c->data.c2_v));
        }
        SC_CHECK(sc_json_put_hash(jc, "contest_hash", c->chi));
    }
    json_t *bn = json_object();
    SC_CHECK(sc_json_put(o, "ballot_nonce", bn));
    SC_CHECK(sc_json_put_elem(bn, grp, "c0", b->nonce.c0));
    SC_CHECK(sc_json_put_hash(bn, "c1", b->nonce.c1));
    SC_CHECK(sc_json_put_scalar(bn, grp, "c", b->nonce.c));
    SC_CHECK(sc_json_put_scalar(bn, grp, "v", b->nonce.v));
    SC_CHECK(sc_json_put_bytes(o, "chaining_field", b->bc, SC_BC_BYTES));
    SC_CHECK(sc_json_put_hash(o, "confirmation_code", b->h_c));
    *out = o;
    o = NULL;
done:
    json_decref(o);
    return rc;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

static sc_status get_proof(sc_jctx *ctx, const json_t *obj, const char *key,
                           sc_range_proof *pf)
{
    json_t *p;
    sc_status rc = sc_json_get_obj(ctx, obj, key, &p);
    if (rc != SC_OK) {
        return rc;
    }
    char where[sizeof ctx->where];
    memcpy(where, ctx->where, sizeof where);
    size_t wl = strlen(where);
    snprintf(ctx->where + wl, sizeof ctx->where - wl, "%s.", key);
    rc = sc_json_get_scalar_array(ctx, p, "c", pf->R + 1, pf->c);
    if (rc == SC_OK) {
        rc = sc_json_get_scalar_array(ctx, p, "v", pf->R + 1, pf->v);
    }
    memcpy(ctx->where, where, sizeof where);
    if (rc == SC_OK) {
        sc_range_proof_set_total(ctx->grp, pf);
    }
    return rc;
}

static sc_status ballot_from_json(sc_jctx *ctx, const sc_group *grp,
                                  const sc_manifest *m, const sc_json *obj,
                                  int check_members, sc_enc_ballot **out)
{
    sc_status rc = SC_OK;
    sc_enc_ballot *b = NULL;
    mpz_t *elems = NULL;
    *out = NULL;
    ctx->grp = grp;
    ctx->where[0] = '\0';
    SC_CHECK(sc_enc_ballot_new(&b));
    const char *s;
    SC_CHECK(sc_json_get_str(ctx, obj, "id", &s));
    SC_ENSURE(sc_label_ok(s), sc_jctx_fail(ctx, SC_E_INVALID, "id",
                                           "empty, or a control character "
                                           "in the ballot id"));
    b->id = xstrdup(s);
    SC_ENSURE(b->id != NULL, SC_E_NOMEM);
    SC_CHECK(sc_json_get_str(ctx, obj, "state", &s));
    if (strcmp(s, "Cast") == 0) {
        b->state = SC_BALLOT_CAST;
    } else if (strcmp(s, "Challenged") == 0) {
        b->state = SC_BALLOT_CHALLENGED;
    } else {
        SC_CHECK(sc_jctx_fail(ctx, SC_E_INVALID, "state",
                              "expected \"Cast\" or \"Challenged\""));
    }
    uint32_t style, dev;
    SC_CHECK(sc_json_get_u32(ctx, obj, "style", &style));
    SC_ENSURE(style >= 1 && style <= m->n_styles,
              sc_jctx_fail(ctx, SC_E_INVALID, "style", "no ballot style %u",
                           (unsigned)style));
    SC_CHECK(sc_json_get_u32(ctx, obj, "device", &dev));
    b->device = dev;
    SC_CHECK(sc_json_get_u64(ctx, obj, "sequence", &b->sequence));
    if (json_object_get(obj, "weight") != NULL) {
        SC_CHECK(sc_json_get_u64(ctx, obj, "weight", &b->weight));
        SC_ENSURE(b->weight >= 1, sc_jctx_fail(ctx, SC_E_INVALID_RANGE,
                                               "weight", "weights are >= 1"));
    }
    if (json_object_get(obj, "encrypted_at") != NULL) {
        SC_CHECK(sc_json_get_str(ctx, obj, "encrypted_at", &s));
        SC_ENSURE(sc_time_ok(s),
                  sc_jctx_fail(ctx, SC_E_INVALID, "encrypted_at",
                               "expected a UTC time YYYY-MM-DDTHH:MM:SSZ"));
        memcpy(b->encrypted_at, s, SC_TIME_LEN + 1);
    }
    SC_CHECK(
        sc_json_get_hash(ctx, obj, "selection_encryption_identifier", b->id_b));
    SC_CHECK(sc_json_get_hash(ctx, obj, "h_i", b->h_i));
    rc = sc_enc_ballot_alloc(b, m, style);
    SC_ENSURE(rc == SC_OK,
              sc_jctx_fail(ctx, rc, "style", "cannot hold this ballot style"));
    json_t *cs;
    size_t nc;
    SC_CHECK(sc_json_get_arr(ctx, obj, "contests", &cs, &nc));
    SC_ENSURE(nc == b->n_contests,
              sc_jctx_fail(ctx, SC_E_INVALID, "contests",
                           "ballot style %u has %zu contests, found %zu",
                           (unsigned)style, b->n_contests, nc));
    size_t n_el = 1, k = 0;
    for (size_t i = 0; i < nc; i++) {
        n_el += 2 * b->contests[i].n + (size_t)b->contests[i].has_data;
    }
    elems = calloc(n_el, sizeof *elems);
    SC_ENSURE(elems != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < nc; i++) {
        sc_enc_contest *c = &b->contests[i];
        json_t *jc = json_array_get(cs, i);
        sc_jctx_where(ctx, "contests[%zu].", i);
        uint32_t ind;
        SC_CHECK(sc_json_get_u32(ctx, jc, "index", &ind));
        SC_ENSURE(ind == c->ind_c,
                  sc_jctx_fail(ctx, SC_E_INVALID, "index",
                               "expected contest %u (the style's contests "
                               "in manifest order), found %u",
                               (unsigned)c->ind_c, (unsigned)ind));
        json_t *fs;
        size_t nf;
        SC_CHECK(sc_json_get_arr(ctx, jc, "fields", &fs, &nf));
        SC_ENSURE(nf == c->n, sc_jctx_fail(ctx, SC_E_INVALID, "fields",
                                           "contest %u has %zu options, "
                                           "found %zu fields",
                                           (unsigned)ind, c->n, nf));
        for (size_t j = 0; j < nf; j++) {
            json_t *f = json_array_get(fs, j);
            sc_jctx_where(ctx, "contests[%zu].fields[%zu].", i, j);
            SC_CHECK(sc_json_get_elem_unchecked(ctx, f, "alpha",
                                                c->fields[j].alpha));
            SC_CHECK(
                sc_json_get_elem_unchecked(ctx, f, "beta", c->fields[j].beta));
            elems[k++][0] = c->fields[j].alpha[0];
            elems[k++][0] = c->fields[j].beta[0];
            SC_CHECK(get_proof(ctx, f, "proof", &c->proofs[j]));
        }
        sc_jctx_where(ctx, "contests[%zu].", i);
        SC_CHECK(get_proof(ctx, jc, "limit_proof", &c->limit));
        if (c->n_rel > 0) {
            json_t *rs;
            size_t nr;
            SC_CHECK(sc_json_get_arr(ctx, jc, "supplemental_proofs", &rs, &nr));
            SC_ENSURE(nr == c->n_rel,
                      sc_jctx_fail(ctx, SC_E_INVALID, "supplemental_proofs",
                                   "expected %zu proofs, found %zu", c->n_rel,
                                   nr));
            for (size_t q = 0; q < nr; q++) {
                json_t *holder = json_pack("{s:O}", "p", json_array_get(rs, q));
                SC_ENSURE(holder != NULL, SC_E_NOMEM);
                sc_jctx_where(ctx, "contests[%zu].supplemental_proofs[%zu].", i,
                              q);
                rc = get_proof(ctx, holder, "p", &c->rel[q]);
                json_decref(holder);
                SC_CHECK(rc);
            }
            sc_jctx_where(ctx, "contests[%zu].", i);
        }
        if (c->has_data) {
            /* format 2: eq 67-69, 32 * b_L bytes of C_1 */
            json_t *cd;
            size_t blen = 32 * (size_t)m->contests[ind - 1].data_blocks;
            SC_CHECK(sc_json_get_obj(ctx, jc, "contest_data", &cd));
            sc_jctx_where(ctx, "contests[%zu].contest_data.", i);
            SC_CHECK(sc_json_get_elem_unchecked(ctx, cd, "c0", c->data.c0));
            elems[k++][0] = c->data.c0[0];
            c->data.c1 = malloc(blen);
            SC_ENSURE(c->data.c1 != NULL, SC_E_NOMEM);
            c->data.c1_len = blen;
            SC_CHECK(sc_json_get_bytes(ctx, cd, "c1", c->data.c1, blen));
            SC_CHECK(sc_json_get_scalar(ctx, cd, "c", c->data.c2_c));
            SC_CHECK(sc_json_get_scalar(ctx, cd, "v", c->data.c2_v));
            sc_jctx_where(ctx, "contests[%zu].", i);
        } else {
            SC_ENSURE(json_object_get(jc, "contest_data") == NULL,
                      sc_jctx_fail(ctx, SC_E_INVALID, "contest_data",
                                   "the manifest asks for no contest data "
                                   "on contest %u",
                                   (unsigned)ind));
        }
        SC_CHECK(sc_json_get_hash(ctx, jc, "contest_hash", c->chi));
        /* format 1 had a clear "overvoted" flag: read records ignore it */
    }
    sc_jctx_where(ctx, "ballot_nonce.");
    json_t *bn;
    ctx->where[0] = '\0';
    SC_CHECK(sc_json_get_obj(ctx, obj, "ballot_nonce", &bn));
    sc_jctx_where(ctx, "ballot_nonce.");
    SC_CHECK(sc_json_get_elem_unchecked(ctx, bn, "c0", b->nonce.c0));
    elems[k++][0] = b->nonce.c0[0];
    SC_CHECK(sc_json_get_hash(ctx, bn, "c1", b->nonce.c1));
    SC_CHECK(sc_json_get_scalar(ctx, bn, "c", b->nonce.c));
    SC_CHECK(sc_json_get_scalar(ctx, bn, "v", b->nonce.v));
    ctx->where[0] = '\0';
    SC_CHECK(sc_json_get_bytes(ctx, obj, "chaining_field", b->bc, SC_BC_BYTES));
    SC_CHECK(sc_json_get_hash(ctx, obj, "confirmation_code", b->h_c));
    size_t bad = 0;
    if (check_members) {
        rc = sc_subgroup_check_batch(grp, k, (const mpz_t *)elems, NULL, &bad);
    }
    SC_ENSURE(rc == SC_OK,
              sc_jctx_fail(ctx, SC_E_INVALID_NOT_IN_SUBGROUP, NULL,
                           "ballot %s: element %zu (in reading order) is "
                           "not in the order-q subgroup",
                           b->id, bad + 1));
    *out = b;
    b = NULL;
done:
    free(elems); /* shallow views only */
    sc_enc_ballot_free(b);
    return rc;
}

sc_status sc_ballot_from_json(sc_jctx *ctx, const sc_group *grp,
                              const sc_manifest *m, const sc_json *obj,
                              sc_enc_ballot **out)
{
    return ballot_from_json(ctx, grp, m, obj, 1, out);
}

/* Every element of a ballot (alphas, betas, contest data C_0, C_xiB,0)
 * as shallow views. */
static size_t ballot_elems(const sc_enc_ballot *b, mpz_t *v)
{
    size_t k = 0;
    for (size_t i = 0; i < b->n_contests; i++) {
        for (size_t j = 0; j < b->contests[i].n; j++) {
            if (v != NULL) {
                v[k][0] = b->contests[i].fields[j].alpha[0];
                v[k + 1][0] = b->contests[i].fields[j].beta[0];
            }
            k += 2;
        }
        if (b->contests[i].has_data) {
            if (v != NULL) {
                v[k][0] = b->contests[i].data.c0[0];
            }
            k++;
        }
    }
    if (v != NULL) {
        v[k][0] = b->nonce.c0[0];
    }
    return k + 1;
}

/* ------------------------------------------------------------------------
 * Ballot streams
 * ---------------------------------------------------------------------- */

struct sc_ballot_writer {
    char *path, *tmp;
    FILE *f;
    int done;
};

sc_status sc_ballot_writer_open(sc_ballot_writer **out, const char *path,
                                int append)
{
    sc_status rc = SC_OK;
    *out = NULL;
    sc_ballot_writer *w = calloc(1, sizeof *w);
    SC_ENSURE(w != NULL, SC_E_NOMEM);
    size_t pl = strlen(path);
    w->path = malloc(pl + 1);
    w->tmp = malloc(pl + 16);
    SC_ENSURE(w->path != NULL && w->tmp != NULL, SC_E_NOMEM);
    memcpy(w->path, path, pl + 1);
    memcpy(w->tmp, path, pl);
    memcpy(w->tmp + pl, ".tmp.XXXXXX", 12);
    int fd = mkstemp(w->tmp);
    SC_ENSURE(fd >= 0, sc_io_fail());
    /* locked while in use: sc_record_recover removes only the temporary
     * files nobody holds */
    (void)flock(fd, LOCK_EX);
    (void)fchmod(fd, SC_PUBLIC_FILE_MODE);
    w->f = fdopen(fd, "w");
    if (w->f == NULL) {
        rc = sc_io_fail();
        close(fd);
        unlink(w->tmp);
        goto done;
    }
    if (append) {
        FILE *in = NULL;
        if (access(path, F_OK) == 0) {
            SC_CHECK(sc_input_open(path, &in));
        }
        if (in != NULL) {
            char buf[65536];
            size_t n;
            int last = '\n';
            while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
                if (fwrite(buf, 1, n, w->f) != n) {
                    rc = sc_io_fail();
                    break;
                }
                last = (unsigned char)buf[n - 1];
            }
            if (ferror(in)) {
                rc = sc_io_fail();
            }
            fclose(in);
            /* a last line without its newline (cut short, or ending in a
             * lone CR) must not swallow the first appended ballot */
            if (rc == SC_OK && last != '\n' && fputc('\n', w->f) == EOF) {
                rc = sc_io_fail();
            }
            SC_CHECK(rc);
        }
    }
    *out = w;
    w = NULL;
done:
    sc_ballot_writer_free(w);
    return rc;
}

sc_status sc_ballot_writer_put(sc_ballot_writer *w, const sc_group *grp,
                               const sc_enc_ballot *b)
{
    sc_json *j = NULL;
    sc_status rc = sc_ballot_to_json(grp, b, &j);
    if (rc != SC_OK) {
        return rc;
    }
    char *s = sc_json_dumps(j);
    sc_json_free(j);
    if (s == NULL) {
        return SC_E_NOMEM;
    }
    if (fputs(s, w->f) == EOF || fputc('\n', w->f) == EOF) {
        rc = sc_io_fail();
    }
    free(s);
    return rc;
}

sc_status sc_ballot_writer_put_line(sc_ballot_writer *w, const char *line)
{
    if (fputs(line, w->f) == EOF || fputc('\n', w->f) == EOF) {
        return sc_io_fail();
    }
    return SC_OK;
}

sc_status sc_ballot_writer_finish(sc_ballot_writer *w, const char **tmp,
                                  const char **path)
{
    *tmp = w->tmp;
    *path = w->path;
    if (fflush(w->f) != 0 || fsync(fileno(w->f)) != 0) {
        return sc_io_fail();
    }
    return SC_OK;
}

void sc_ballot_writer_renamed(sc_ballot_writer *w)
{
    w->done = 1;
}

sc_status sc_ballot_writer_commit(sc_ballot_writer *w)
{
    const char *tmp = NULL, *path = NULL;
    sc_status rc = sc_ballot_writer_finish(w, &tmp, &path);
    if (rc == SC_OK && rename(tmp, path) != 0) {
        rc = sc_io_fail();
    }
    if (rc == SC_OK) {
        w->done = 1;
        sc_file_sync_dir_of(path);
    }
    return rc;
}

void sc_ballot_writer_free(sc_ballot_writer *w)
{
    if (w == NULL) {
        return;
    }
    if (!w->done && w->tmp != NULL) {
        unlink(w->tmp); /* before the close: still ours */
    }
    if (w->f != NULL) {
        fclose(w->f);
    }
    free(w->path);
    free(w->tmp);
    free(w);
}

struct sc_ballot_reader {
    FILE *f;
    char *path;
    char *line;
    size_t cap;
    uint64_t lineno;
    const char *needle;
    char where[4200];
};

void sc_ballot_reader_filter(sc_ballot_reader *r, const char *needle)
{
    r->needle = needle;
}

sc_status sc_ballot_reader_open(sc_ballot_reader **out, const char *path)
{
    *out = NULL;
    sc_ballot_reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = sc_input_open(path, &r->f);
    r->path = xstrdup(path);
    if (rc != SC_OK || r->path == NULL) {
        rc = rc != SC_OK ? rc : SC_E_NOMEM;
        sc_ballot_reader_free(r);
        return rc;
    }
    *out = r;
    return SC_OK;
}

sc_status sc_ballot_reader_next_json(sc_ballot_reader *r, sc_jctx *ctx,
                                     sc_json **out)
{
    *out = NULL;
    for (;;) {
        ssize_t n = sc_input_getline(&r->line, &r->cap, r->f, SC_LINE_MAX);
        if (n == -2) {
            snprintf(r->where, sizeof r->where, "%s:%llu", r->path,
                     (unsigned long long)r->lineno + 1);
            ctx->file = r->where;
            return sc_jctx_fail(ctx, SC_E_IO_TOO_LARGE, NULL,
                                "line longer than %zu bytes", SC_LINE_MAX);
        }
        if (n < 0) {
            if (ferror(r->f)) {
                snprintf(r->where, sizeof r->where, "%s", r->path);
                ctx->file = r->where;
                return sc_jctx_fail(ctx, SC_E_IO, NULL, "read error");
            }
            return SC_OK; /* end */
        }
        r->lineno++;
        while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r')) {
            n--;
        }
        if (n == 0) {
            continue; /* blank line */
        }
        if (r->needle != NULL) {
            r->line[n] = '\0';
            if (strstr(r->line, r->needle) == NULL) {
                continue;
            }
        }
        snprintf(r->where, sizeof r->where, "%s:%llu", r->path,
                 (unsigned long long)r->lineno);
        ctx->file = r->where;
        return sc_json_parse(ctx, r->line, (size_t)n, out);
    }
}

sc_status sc_ballot_reader_next(sc_ballot_reader *r, sc_jctx *ctx,
                                const sc_group *grp, const sc_manifest *m,
                                sc_enc_ballot **out)
{
    sc_json *j = NULL;
    *out = NULL;
    sc_status rc = sc_ballot_reader_next_json(r, ctx, &j);
    if (rc != SC_OK || j == NULL) {
        return rc;
    }
    rc = sc_ballot_from_json(ctx, grp, m, j, out);
    sc_json_free(j);
    return rc;
}

uint64_t sc_ballot_reader_line(const sc_ballot_reader *r)
{
    return r->lineno;
}

void sc_ballot_reader_free(sc_ballot_reader *r)
{
    if (r == NULL) {
        return;
    }
    if (r->f != NULL) {
        fclose(r->f);
    }
    free(r->line);
    free(r->path);
    free(r);
}

/* ------------------------------------------------------------------------
 * devices.json
 * ---------------------------------------------------------------------- */

void sc_devices_clear(sc_devices *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        free(ds->d[i].device);
    }
    free(ds->d);
    ds->d = NULL;
    ds->n = 0;
}

sc_status sc_devices_read(sc_devices *out, const char *dir, char *err,
                          size_t errlen)
{
    char path[4096];
    sc_jctx ctx;
    json_t *j = NULL;
    sc_status rc = SC_OK;
    memset(out, 0, sizeof *out);
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_DEVICES));
    if (access(path, F_OK) != 0) {
        return SC_OK;
    }
    sc_jctx_init(&ctx, path, NULL);
    SC_CHECK(sc_json_read_file(&ctx, path, &j));
    json_t *arr;
    size_t n;
    SC_CHECK(sc_json_get_arr(&ctx, j, "devices", &arr, &n));
    out->d = calloc(n ? n : 1, sizeof *out->d);
    SC_ENSURE(out->d != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        sc_device_info *d = &out->d[i];
        out->n = i + 1;
        sc_jctx_where(&ctx, "devices[%zu].", i);
        const char *s;
        SC_CHECK(sc_json_get_u32(&ctx, e, "index", &d->index));
        SC_ENSURE(d->index >= 1 && (i == 0 || d->index > out->d[i - 1].index),
                  sc_jctx_fail(&ctx, SC_E_INVALID, "index",
                               "indices must be >= 1 and ascending"));
        SC_CHECK(sc_json_get_str(&ctx, e, "device", &s));
        d->device = xstrdup(s);
        SC_ENSURE(d->device != NULL, SC_E_NOMEM);
        SC_CHECK(sc_json_get_hash(&ctx, e, "h_di", d->h_di));
        SC_CHECK(sc_json_get_str(&ctx, e, "chaining", &s));
        if (strcmp(s, "none") == 0) {
            d->mode = SC_CHAIN_NONE;
        } else if (strcmp(s, "simple") == 0) {
            d->mode = SC_CHAIN_SIMPLE;
        } else {
            SC_CHECK(sc_jctx_fail(&ctx, SC_E_INVALID, "chaining",
                                  "expected \"none\" or \"simple\""));
        }
        SC_CHECK(sc_json_get_u64(&ctx, e, "ballots", &d->ballots));
        if (json_object_get(e, "closing") != NULL) {
            json_t *cl;
            SC_CHECK(sc_json_get_obj(&ctx, e, "closing", &cl));
            SC_CHECK(sc_json_get_bytes(&ctx, cl, "chaining_field", d->close_bc,
                                       SC_BC_BYTES));
            SC_CHECK(sc_json_get_hash(&ctx, cl, "hash", d->close_h));
            d->closed = 1;
        }
    }
done:
    if (rc != SC_OK) {
        copy_jerr(&ctx, err, errlen);
        sc_devices_clear(out);
    }
    json_decref(j);
    return rc;
}

sc_status sc_devices_set(sc_devices *ds, const sc_device *dev,
                         const uint8_t h_e[32], char **text)
{
    sc_status rc = SC_OK;
    *text = NULL;
    size_t at = ds->n;
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->d[i].index == dev->index) {
            at = i;
            break;
        }
    }
    if (at == ds->n) {
        sc_device_info *nd = realloc(ds->d, (ds->n + 1) * sizeof *nd);
        SC_ENSURE(nd != NULL, SC_E_NOMEM);
        ds->d = nd;
        /* keep ascending order */
        at = 0;
        while (at < ds->n && ds->d[at].index < dev->index) {
            at++;
        }
        memmove(&ds->d[at + 1], &ds->d[at], (ds->n - at) * sizeof *nd);
        memset(&ds->d[at], 0, sizeof *nd);
        ds->n++;
    }
    sc_device_info *d = &ds->d[at];
    free(d->device);
    d->device = xstrdup(dev->s_device);
    SC_ENSURE(d->device != NULL, SC_E_NOMEM);
    d->index = dev->index;
    memcpy(d->h_di, dev->h_di, 32);
    d->mode = dev->mode;
    d->ballots = dev->count;
    d->closed = dev->mode == SC_CHAIN_SIMPLE;
    if (d->closed) {
        sc_device_close(dev, h_e, d->close_bc, d->close_h);
    }
    rc = sc_devices_text(ds, h_e, text);
done:
    return rc;
}

sc_status sc_devices_text(const sc_devices *ds, const uint8_t h_e[32],
                          char **text)
{
    sc_status rc = SC_OK;
    json_t *root = NULL;
    *text = NULL;
    root = json_object();
    json_t *arr = json_array();
    SC_ENSURE(root != NULL, SC_E_NOMEM);
    SC_CHECK(sc_json_put(root, "devices", arr));
    for (size_t i = 0; i < ds->n; i++) {
        const sc_device_info *x = &ds->d[i];
        json_t *e = json_object();
        SC_CHECK(sc_json_append(arr, e));
        SC_CHECK(sc_json_put_u64(e, "index", x->index));
        SC_CHECK(sc_json_put_str(e, "device", x->device));
        SC_CHECK(sc_json_put_hash(e, "h_di", x->h_di));
        SC_CHECK(sc_json_put_str(
            e, "chaining", x->mode == SC_CHAIN_SIMPLE ? "simple" : "none"));
        SC_CHECK(sc_json_put_u64(e, "ballots", x->ballots));
        if (x->mode == SC_CHAIN_SIMPLE) {
            /* §3.7: the device's H_0 (eq 74) */
            uint8_t bc0[SC_BC_BYTES], h0[32];
            sc_eg_chain_field(bc0, SC_CHAIN_SIMPLE, x->h_di);
            sc_eg_chain_hash(h_e, bc0, h0);
            SC_CHECK(sc_json_put_hash(e, "h_0", h0));
        }
        if (x->closed) {
            json_t *cl = json_object();
            SC_CHECK(sc_json_put(e, "closing", cl));
            SC_CHECK(sc_json_put_bytes(cl, "chaining_field", x->close_bc,
                                       SC_BC_BYTES));
            SC_CHECK(sc_json_put_hash(cl, "hash", x->close_h));
        }
    }
    char *s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    SC_ENSURE(s != NULL, SC_E_NOMEM);
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (t == NULL) {
        free(s);
        rc = SC_E_NOMEM;
        goto done;
    }
    *text = t;
    (*text)[n] = '\n';
    (*text)[n + 1] = '\0';
done:
    json_decref(root);
    return rc;
}

sc_status sc_devices_update(sc_devices *ds, const char *dir,
                            const sc_device *dev, const uint8_t h_e[32])
{
    char path[4096], *text = NULL;
    sc_status rc = sc_record_path(path, sizeof path, dir, SC_REC_DEVICES);
    if (rc == SC_OK) {
        rc = sc_devices_set(ds, dev, h_e, &text);
    }
    if (rc == SC_OK) {
        rc = sc_file_write_atomic(path, text, strlen(text));
    }
    free(text);
    return rc;
}

/* ------------------------------------------------------------------------
 * Encrypted tally
 * ---------------------------------------------------------------------- */

/* The tally reads lines in chunks; the workers parse, check (membership
 * of every element, batched) and multiply their share into a partial
 * tally of their own; the partial tallies are merged at the end (the
 * product is order-independent). */
#define TALLY_CHUNK 128
#define TALLY_MIN_PER_THREAD 8 /* fewer ballots per thread: no threads */

typedef struct tally_chunk {
    const sc_record *r;
    const sc_device_info *dev;
    const char *path;
    char **lines;
    size_t *lens;
    uint64_t *linenos;
    uint64_t first_seq;
    size_t n;
    atomic_size_t next;
    pthread_mutex_t mu;
    size_t bad; /* first failing index */
    sc_status rc;
    char msg[SC_JMSG_MAX];
} tally_chunk;

typedef struct tally_worker {
    tally_chunk *ch;
    sc_tally *part;
    int t, nt;
} tally_worker;

static void tally_fail(tally_chunk *ch, size_t i, sc_status rc, const char *msg)
{
    pthread_mutex_lock(&ch->mu);
    if (ch->rc == SC_OK || i < ch->bad) {
        ch->rc = rc;
        ch->bad = i;
        snprintf(ch->msg, sizeof ch->msg, "%s", msg);
    }
    pthread_mutex_unlock(&ch->mu);
}

/* Worker t takes a contiguous slice of the chunk: parses its ballots
 * without the membership test, checks all their elements in one batch
 * (one exponentiation for the whole slice), then multiplies them in. */
static void *tally_work(void *arg)
{
    tally_worker *tw = arg;
    tally_chunk *ch = tw->ch;
    size_t lo = ch->n * (size_t)tw->t / (size_t)tw->nt;
    size_t hi = ch->n * (size_t)(tw->t + 1) / (size_t)tw->nt;
    sc_enc_ballot **bs = calloc(hi - lo + 1, sizeof *bs);
    mpz_t *els = NULL;
    char where[4200];
    sc_jctx ctx;
    size_t i = lo, nel = 0;
    sc_status rc = SC_OK;
    if (bs == NULL) {
        tally_fail(ch, lo, SC_E_NOMEM, "out of memory");
        return NULL;
    }
    sc_jctx_init(&ctx, ch->path, ch->r->grp);
    for (; rc == SC_OK && i < hi; i++) {
        snprintf(where, sizeof where, "%s:%llu", ch->path,
                 (unsigned long long)ch->linenos[i]);
        sc_jctx_init(&ctx, where, ch->r->grp);
        sc_json *j = NULL;
        rc = sc_json_parse(&ctx, ch->lines[i], ch->lens[i], &j);
        if (rc == SC_OK) {
            rc = ballot_from_json(&ctx, ch->r->grp, ch->r->manifest, j, 0,
                                  &bs[i - lo]);
        }
        sc_json_free(j);
        if (rc == SC_OK && (bs[i - lo]->device != ch->dev->index ||
                            bs[i - lo]->sequence != ch->first_seq + i)) {
            rc = sc_jctx_fail(&ctx, SC_E_INVALID, "sequence",
                              "expected device %u ballot %llu",
                              (unsigned)ch->dev->index,
                              (unsigned long long)(ch->first_seq + i));
        }
        if (rc == SC_OK) {
            nel += ballot_elems(bs[i - lo], NULL);
        }
    }
    if (rc != SC_OK) {
        tally_fail(ch, i - 1, rc, ctx.msg);
        goto done;
    }
    els = calloc(nel + 1, sizeof *els);
    if (els == NULL) {
        tally_fail(ch, lo, SC_E_NOMEM, "out of memory");
        goto done;
    }
    size_t k = 0;
    for (i = lo; i < hi; i++) {
        k += ballot_elems(bs[i - lo], els + k);
    }
    size_t badel = 0;
    if (sc_subgroup_check_batch(ch->r->grp, nel, (const mpz_t *)els, NULL,
                                &badel) != SC_OK) {
        /* name the ballot that holds the bad element */
        size_t acc = 0;
        for (i = lo; i < hi; i++) {
            size_t e = ballot_elems(bs[i - lo], NULL);
            if (badel < acc + e) {
                break;
            }
            acc += e;
        }
        snprintf(where, sizeof where, "%s:%llu", ch->path,
                 (unsigned long long)ch->linenos[i < hi ? i : hi - 1]);
        sc_jctx_init(&ctx, where, ch->r->grp);
        sc_jctx_fail(&ctx, SC_E_INVALID_NOT_IN_SUBGROUP, NULL,
                     "ballot %s: an element is not in the order-q "
                     "subgroup",
                     i < hi ? bs[i - lo]->id : "?");
        tally_fail(ch, i < hi ? i : hi - 1, SC_E_INVALID_NOT_IN_SUBGROUP,
                   ctx.msg);
        goto done;
    }
    for (i = lo; i < hi; i++) {
        rc = sc_tally_add(tw->part, bs[i - lo]);
        if (rc != SC_OK) {
            tally_fail(ch, i, rc, "ballot contests do not match the manifest");
            goto done;
        }
    }
done:
    free(els);
    if (bs != NULL) {
        for (i = lo; i < hi; i++) {
            sc_enc_ballot_free(bs[i - lo]);
        }
        free(bs);
    }
    return NULL;
}

static sc_status tally_chunk_run(tally_chunk *ch, tally_worker *tw, int nt)
{
    pthread_t tid[64];
    int started = 0;
    atomic_store(&ch->next, 0);
    if (ch->n < TALLY_MIN_PER_THREAD * (size_t)nt) {
        /* a few ballots: every slice on this thread, one after the other
         * (starting threads costs more than the work; same result) */
        for (int t = 0; t < nt; t++) {
            tally_work(&tw[t]);
        }
        return ch->rc;
    }
    for (int t = 1; t < nt; t++) {
        if (pthread_create(&tid[started], NULL, tally_work, &tw[t]) != 0) {
            break;
        }
        started++;
    }
    tally_work(&tw[0]);
    for (int t = 0; t < started; t++) {
        pthread_join(tid[t], NULL);
    }
    return ch->rc;
}

sc_status sc_record_tally(const sc_record *r, sc_tally **out, char *err,
                          size_t errlen)
{
    sc_status rc = SC_OK;
    sc_devices ds = {0};
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0;
    int nt = sc_cpu_count();
    if (nt > 64) {
        nt = 64;
    }
    tally_worker tw[64];
    memset(tw, 0, sizeof tw);
    tally_chunk ch;
    memset(&ch, 0, sizeof ch);
    pthread_mutex_init(&ch.mu, NULL);
    ch.r = r;
    ch.lines = calloc(TALLY_CHUNK, sizeof *ch.lines);
    ch.lens = calloc(TALLY_CHUNK, sizeof *ch.lens);
    ch.linenos = calloc(TALLY_CHUNK, sizeof *ch.linenos);
    *out = NULL;
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    SC_ENSURE(ch.lines != NULL && ch.lens != NULL && ch.linenos != NULL,
              SC_E_NOMEM);
    for (int t = 0; t < nt; t++) {
        tw[t].ch = &ch;
        tw[t].t = t;
        tw[t].nt = nt;
        SC_CHECK(sc_tally_new(&tw[t].part, r->grp, r->manifest));
    }
    SC_CHECK(sc_devices_read(&ds, r->dir, err, errlen));
    for (size_t d = 0; d < ds.n; d++) {
        char name[64], path[4096];
        snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
                 (unsigned)ds.d[d].index);
        SC_CHECK(sc_record_path(path, sizeof path, r->dir, name));
        rc = sc_input_open(path, &f);
        SC_ENSURE(rc == SC_OK, (seterr(err, errlen, "%s: cannot read: %s", path,
                                       sc_strerror(rc)),
                                rc));
        ch.dev = &ds.d[d];
        ch.path = path;
        uint64_t lineno = 0, count = 0;
        int eof = 0;
        while (!eof) {
            ch.n = 0;
            ch.first_seq = count + 1;
            while (ch.n < TALLY_CHUNK) {
                ssize_t n = sc_input_getline(&line, &cap, f, SC_LINE_MAX);
                SC_ENSURE(n != -2, (seterr(err, errlen,
                                           "%s:%llu: line longer than %zu "
                                           "bytes",
                                           path, (unsigned long long)lineno + 1,
                                           SC_LINE_MAX),
                                    SC_E_IO_TOO_LARGE));
                if (n < 0) {
                    eof = 1;
                    break;
                }
                lineno++;
                while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
                    n--;
                }
                if (n == 0) {
                    continue;
                }
                free(ch.lines[ch.n]);
                ch.lines[ch.n] = malloc((size_t)n + 1);
                SC_ENSURE(ch.lines[ch.n] != NULL, SC_E_NOMEM);
                memcpy(ch.lines[ch.n], line, (size_t)n);
                ch.lines[ch.n][n] = '\0';
                ch.lens[ch.n] = (size_t)n;
                ch.linenos[ch.n] = lineno;
                ch.n++;
            }
            SC_ENSURE(!ferror(f),
                      (seterr(err, errlen, "%s: read error", path), SC_E_IO));
            if (ch.n > 0) {
                rc = tally_chunk_run(&ch, tw, nt);
                if (rc != SC_OK) {
                    seterr(err, errlen, "%s", ch.msg);
                    goto done;
                }
                count += ch.n;
            }
        }
        fclose(f);
        f = NULL;
        SC_ENSURE(count == ds.d[d].ballots,
                  seterr(err, errlen,
                         "%s: %llu ballots, but devices.json says %llu", path,
                         (unsigned long long)count,
                         (unsigned long long)ds.d[d].ballots));
    }
    for (int t = 1; t < nt; t++) {
        sc_tally_merge(tw[0].part, tw[t].part);
    }
    *out = tw[0].part;
    tw[0].part = NULL;
done:
    if (f != NULL) {
        fclose(f);
    }
    free(line);
    for (int t = 0; t < nt; t++) {
        sc_tally_free(tw[t].part);
    }
    if (ch.lines != NULL) {
        for (size_t i = 0; i < TALLY_CHUNK; i++) {
            free(ch.lines[i]);
        }
    }
    free(ch.lines);
    free(ch.lens);
    free(ch.linenos);
    pthread_mutex_destroy(&ch.mu);
    sc_devices_clear(&ds);
    return rc;
}

sc_status sc_tally_write(const sc_tally *t, const char *dir)
{
    sc_status rc = SC_OK;
    char path[4096];
    const sc_manifest *m = t->m;
    json_t *root = json_object();
    SC_ENSURE(root != NULL, SC_E_NOMEM);
    SC_CHECK(sc_json_put_u64(root, "cast_ballots", t->cast));
    json_t *cs = json_array();
    SC_CHECK(sc_json_put(root, "contests", cs));
    for (size_t c = 0; c < m->n_contests; c++) {
        json_t *jc = json_object();
        SC_CHECK(sc_json_append(cs, jc));
        SC_CHECK(sc_json_put_u64(jc, "index", c + 1));
        SC_CHECK(sc_json_put_str(jc, "label", m->contests[c].label));
        json_t *os = json_array();
        SC_CHECK(sc_json_put(jc, "options", os));
        for (size_t o = 0; o < m->contests[c].n_options; o++) {
            const sc_ciphertext *ab =
                sc_tally_get(t, (uint32_t)(c + 1), (uint32_t)(o + 1));
            json_t *jo = json_object();
            SC_CHECK(sc_json_append(os, jo));
            SC_CHECK(sc_json_put_u64(jo, "index", o + 1));
            SC_CHECK(
                sc_json_put_str(jo, "label", m->contests[c].options[o].label));
            SC_CHECK(sc_json_put_elem(jo, t->grp, "A", ab->alpha));
            SC_CHECK(sc_json_put_elem(jo, t->grp, "B", ab->beta));
        }
    }
    SC_CHECK(sc_record_path(path, sizeof path, dir, SC_REC_ENC_TALLY));
    SC_CHECK(sc_json_write_file(path, root, 0));
done:
    json_decref(root);
    return rc;
}
