/* The ballot check at the door of the board (scrutin/verify.h sc_door_*,
 * docs/BOARD.md): one ballot line checked with the verifier's own code,
 * the checks of the ballot pass that need only the ballot, the election
 * and the ballot's device (vr_check_one_ballot: 5.B, 6/S3, 7/S4, 8.A,
 * 8.B, 8.D, S2), its position (vr_check_position: S1.A, S1.D) and its
 * chain link (vr_chain_next: 8.E, 8.F, eq 75-76).
 *
 * The door keeps a verification context that is read-only after
 * sc_door_new (group, H_E, K and K-hat with their tables, manifest). Each
 * check works on a copy of it with its own report, so calls on one door
 * may run at once; the first finding of that report is the answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

#include "scrutin/core.h"
#include "scrutin/json.h"

struct sc_door {
    vr_ctx ctx;
};

/* ------------------------------------------------------------------ */
/* Construction. */

void sc_door_free(sc_door *d)
{
    if (d == NULL) {
        return;
    }
    vr_manifest_free(&d->ctx.man);
    sc_fb_free(d->ctx.K_fb);
    sc_fb_free(d->ctx.Khat_fb);
    mpz_clear(d->ctx.K);
    mpz_clear(d->ctx.Khat);
    mpz_clear(d->ctx.Kinv);
    sc_group_free(d->ctx.grp);
    free(d);
}

/* An element from 2*lp uppercase hex digits, in Z_p^r. */
static sc_status elem_from_hex(const sc_group *grp, mpz_t out, const char *hex)
{
    if (hex == NULL) {
        return SC_E_INVALID;
    }
    json_t *s = json_string(hex);
    if (s == NULL) {
        return SC_E_INVALID;
    }
    sc_status rc = vr_hex_mpz(out, s, grp->lp);
    json_decref(s);
    if (rc == SC_OK && !sc_elem_is_member(grp, out)) {
        rc = SC_E_INVALID_NOT_IN_SUBGROUP;
    }
    return rc;
}

sc_status sc_door_new(sc_door **out, const sc_door_election *e, char *err,
                      size_t errlen)
{
    sc_status rc = SC_OK;
    sc_group_id gid;
    *out = NULL;
    sc_door *d = calloc(1, sizeof *d);
    if (d == NULL) {
        snprintf(err, errlen, "out of memory");
        return SC_E_NOMEM;
    }
    vr_ctx *c = &d->ctx;
    mpz_init(c->K);
    mpz_init(c->Khat);
    mpz_init(c->Kinv);
    c->opts.allow_test_parameters = e->allow_test_parameters;
    c->opts.threads = 1;
    if (e->parameter_set == NULL ||
        sc_group_id_from_name(&gid, e->parameter_set) != SC_OK) {
        snprintf(err, errlen, "unknown parameter set");
        rc = SC_E_INVALID;
        goto done;
    }
    if (gid != SC_GROUP_STANDARD && !e->allow_test_parameters) {
        snprintf(err, errlen,
                 "parameter set \"%s\" is a test set (not allowed here)",
                 e->parameter_set);
        rc = SC_E_INVALID;
        goto done;
    }
    rc = sc_group_new(&c->grp, gid);
    if (rc != SC_OK) {
        snprintf(err, errlen, "cannot set up the group");
        goto done;
    }
    rc = vr_manifest_parse(&c->man, e->manifest, e->manifest_len, err, errlen);
    if (rc != SC_OK) {
        goto done;
    }
    c->ok_man = 1;
    rc = elem_from_hex(c->grp, c->K, e->k_hex);
    if (rc == SC_OK) {
        rc = elem_from_hex(c->grp, c->Khat, e->khat_hex);
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "K / K-hat: %s", vr_what(rc));
        goto done;
    }
    rc = sc_fb_new(&c->K_fb, c->grp, c->K);
    if (rc == SC_OK) {
        rc = sc_fb_new(&c->Khat_fb, c->grp, c->Khat);
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "cannot build the tables for K");
        goto done;
    }
    if (sc_invmod(c->grp, c->Kinv, c->K) != SC_OK) {
        mpz_set_ui(c->Kinv, 0); /* not reached: p prime, 0 < K < p */
    }
    c->ok_K = 1;
    memcpy(c->he, e->h_e, 32);
    c->ok_he = 1;
done:
    if (rc != SC_OK) {
        sc_door_free(d);
        return rc;
    }
    *out = d;
    return SC_OK;
}

static const sc_door_file *find_file(const sc_door_file *f, size_t n,
                                     const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].name != NULL && strcmp(f[i].name, name) == 0) {
            return &f[i];
        }
    }
    return NULL;
}

static json_t *file_json(const sc_door_file *f, size_t n, const char *name,
                         char *err, size_t errlen)
{
    const sc_door_file *x = find_file(f, n, name);
    if (x == NULL) {
        snprintf(err, errlen, "%s is missing", name);
        return NULL;
    }
    json_error_t je;
    json_t *j =
        json_loadb((const char *)x->data, x->len, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL || !json_is_object(j)) {
        snprintf(err, errlen, "%s is not a JSON object", name);
        json_decref(j);
        return NULL;
    }
    return j;
}

/* A published hash `key` of `j` must equal `want`. */
static sc_status same_hash(const json_t *j, const char *file, const char *key,
                           const uint8_t want[32], char *err, size_t errlen)
{
    uint8_t pub[32];
    sc_status rc = vr_hex_bytes(pub, json_object_get(j, key), 32);
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s: %s: %s", file, key, vr_what(rc));
        return rc;
    }
    if (memcmp(pub, want, 32) != 0) {
        snprintf(err, errlen, "%s: %s differs from the recomputed value", file,
                 key);
        return SC_E_VERIFY;
    }
    return SC_OK;
}

sc_status sc_door_new_from_files(sc_door **out, const sc_door_file *files,
                                 size_t nfiles, int allow_test_parameters,
                                 char *err, size_t errlen)
{
    sc_status rc = SC_OK;
    json_t *rec = NULL, *par = NULL, *hs = NULL, *jk = NULL, *hx = NULL;
    sc_door *d = NULL;
    *out = NULL;
    SC_ENSURE(
        (rec = file_json(files, nfiles, "record.json", err, errlen)) &&
            (par = file_json(files, nfiles, "election_parameters.json", err,
                             errlen)) &&
            (hs = file_json(files, nfiles, "hashes.json", err, errlen)) &&
            (jk = file_json(files, nfiles, "joint_election_public_key.json",
                            err, errlen)) &&
            (hx = file_json(files, nfiles, "hashes_ext.json", err, errlen)),
        SC_E_INVALID);
    const sc_door_file *man =
        find_file(files, nfiles, "election_manifest_canonical.bin");
    if (man == NULL) {
        snprintf(err, errlen, "election_manifest_canonical.bin is missing");
        rc = SC_E_INVALID;
        goto done;
    }
    const json_t *ps = json_object_get(rec, "parameter_set");
    const json_t *k = json_object_get(jk, "joint_election_public_key");
    const json_t *kh = json_object_get(jk, "joint_ballot_data_public_key");
    sc_door_election e = {
        .parameter_set = json_is_string(ps) ? json_string_value(ps) : NULL,
        .allow_test_parameters = allow_test_parameters,
        .manifest = man->data,
        .manifest_len = man->len,
        .k_hex = json_is_string(k) ? json_string_value(k) : NULL,
        .khat_hex = json_is_string(kh) ? json_string_value(kh) : NULL,
    };
    SC_CHECK(sc_door_new(&d, &e, err, errlen));
    /* H_P (eq 4), H_B (eq 5), H_E (eq 30) recomputed from what the door
     * uses, checked against the published values. */
    const json_t *var = json_object_get(par, "varying_parameters");
    uint32_t n = 0, kk = 0;
    if (vr_u32(json_object_get(var, "n"), &n) != SC_OK ||
        vr_u32(json_object_get(var, "k"), &kk) != SC_OK || kk < 1 || kk > n) {
        snprintf(err, errlen, "election_parameters.json: bad n, k");
        rc = SC_E_INVALID;
        goto done;
    }
    vr_ctx *c = &d->ctx;
    sc_eg_param_base_hash(c->grp, n, kk, c->hp);
    SC_CHECK(same_hash(hs, "hashes.json", "h_p", c->hp, err, errlen));
    sc_eg_election_base_hash(c->hp, man->data, man->len, c->hb);
    SC_CHECK(same_hash(hs, "hashes.json", "h_b", c->hb, err, errlen));
    sc_eg_extended_base_hash(c->grp, c->hb, c->K, c->Khat, c->he);
    SC_CHECK(same_hash(hx, "hashes_ext.json", "h_e", c->he, err, errlen));
    *out = d;
    d = NULL;
done:
    sc_door_free(d);
    json_decref(rec);
    json_decref(par);
    json_decref(hs);
    json_decref(jk);
    json_decref(hx);
    return rc;
}

sc_status sc_door_new_from_dir(sc_door **out, const char *dir,
                               int allow_test_parameters, char *err,
                               size_t errlen)
{
    static const char *const names[] = {
        "record.json",     "election_parameters.json",
        "hashes.json",     "election_manifest_canonical.bin",
        "hashes_ext.json", "joint_election_public_key.json",
    };
    enum { N = sizeof names / sizeof names[0] };
    sc_door_file f[N];
    uint8_t *buf[N] = {0};
    sc_status rc = SC_OK;
    *out = NULL;
    for (size_t i = 0; i < N; i++) {
        f[i].name = names[i];
        rc = vr_load_file(dir, names[i], &buf[i], &f[i].len);
        if (rc != SC_OK) {
            snprintf(err, errlen, "cannot read %s/%s", dir, names[i]);
            goto done;
        }
        f[i].data = buf[i];
    }
    rc = sc_door_new_from_files(out, f, N, allow_test_parameters, err, errlen);
done:
    for (size_t i = 0; i < N; i++) {
        free(buf[i]);
    }
    return rc;
}

const uint8_t *sc_door_h_e(const sc_door *d)
{
    return d->ctx.he;
}

/* ------------------------------------------------------------------ */
/* Devices. */

void sc_door_device_init(const sc_door *d, sc_door_device *dev, uint32_t index,
                         const char *s_device, size_t len, int chaining)
{
    memset(dev, 0, sizeof *dev);
    dev->index = index;
    dev->chaining = chaining;
    sc_eg_device_hash(d->ctx.he, s_device, len, dev->h_di); /* eq 72 */
}

static void to_vr_device(const sc_door_device *in, vr_device *out)
{
    memset(out, 0, sizeof *out);
    out->index = in->index;
    out->chaining =
        in->chaining == SC_DOOR_CHAIN_SIMPLE ? VR_CHAIN_SIMPLE : VR_CHAIN_NONE;
    memcpy(out->h_di, in->h_di, 32);
}

void sc_door_chain_start(const sc_door *d, const sc_door_device *dev,
                         uint8_t h0[32])
{
    vr_device vd;
    vr_chain ch;
    to_vr_device(dev, &vd);
    vr_chain_start(&d->ctx, &vd, &ch); /* eq 74 */
    memcpy(h0, ch.prev, 32);
}

/* ------------------------------------------------------------------ */
/* One ballot. */

/* Printable, one line: control bytes become '?'. */
static void one_line(char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            *s = '?';
        }
    }
}

/* The answer class of a first finding (kind 1 failure, 2 error). */
static sc_door_verdict verdict_of(const char *cond, int kind)
{
    static const char *const position[] = {"S1.A", "S1.D", "V8.E", "V8.F"};
    if (kind == 2) {
        return SC_DOOR_MALFORMED; /* could not be read */
    }
    for (size_t i = 0; i < sizeof position / sizeof position[0]; i++) {
        if (strcmp(cond, position[i]) == 0) {
            return SC_DOOR_POSITION;
        }
    }
    return strncmp(cond, "S1", 2) == 0 ? SC_DOOR_MALFORMED : SC_DOOR_INVALID;
}

/* The check proper, on a parsed line (NULL: it did not parse). */
static sc_status door_check(const sc_door *d, const sc_door_device *dev,
                            uint64_t sequence, const uint8_t *prev,
                            const sc_json *j, sc_door_result *res)
{
    memset(res, 0, sizeof *res);
    if (d == NULL || dev == NULL || sequence == 0 ||
        (dev->chaining == SC_DOOR_CHAIN_SIMPLE && sequence > 1 &&
         prev == NULL)) {
        return SC_E_MISUSE;
    }
    if (j == NULL || !json_is_object(j)) {
        res->verdict = SC_DOOR_MALFORMED;
        snprintf(res->step, sizeof res->step, "S1");
        snprintf(res->reason, sizeof res->reason,
                 "S1: the ballot is not a JSON object");
        return SC_OK;
    }
    sc_report *rep = NULL;
    if (sc_report_new(&rep, NULL) != SC_OK) {
        return SC_E_NOMEM;
    }
    vr_ctx c = d->ctx; /* shallow copy: shared read-only parts */
    c.rep = rep;
    vr_device vd;
    to_vr_device(dev, &vd);
    vr_ballot b;
    int decoded = 0;
    char where[160];

    const json_t *id = json_object_get(j, "id");
    snprintf(res->id, sizeof res->id, "%s",
             json_is_string(id) ? json_string_value(id) : "?");
    one_line(res->id);
    snprintf(where, sizeof where, "ballot %s", res->id);

    /* Shape (S1.C, values readable), then position, cheapest first:
     * S1.A, S1.D. */
    if (vr_ballot_decode(&c, j, &b) == SC_OK) {
        decoded = 1;
        (void)vr_check_position(&c, j, &vd, sequence, where);
        res->challenged = b.challenged;
        res->style = b.style;
        res->device = b.device;
        res->sequence = b.sequence;
        memcpy(res->idb, b.idb, 32);
        memcpy(res->code, b.hc, 32);
        /* 8.E / 8.F: the link to the device's previous ballot (eq 75-76);
         * H_0 for the first (eq 74). */
        if (vd.chaining == VR_CHAIN_SIMPLE) {
            vr_chain ch;
            vr_chain_start(&c, &vd, &ch);
            if (sequence > 1) {
                memcpy(ch.prev, prev, 32);
                ch.j = sequence - 1;
            }
            vr_chain_next(&c, &vd, &ch, b.bc, b.hc, where);
        }
        /* 5.B, 6/S3, 7/S4, 8.A, 8.B, 8.D, S2, S5. */
        (void)vr_check_one_ballot(&c, &b, &vd, where);
    }
    vr_ballot_free(&b);

    char text[sizeof res->reason];
    int kind = sc_report_first_finding(rep, res->step, sizeof res->step, text,
                                       sizeof text);
    if (kind == 0 && decoded) {
        res->verdict = SC_DOOR_ACCEPT;
    } else if (kind == 0) {
        res->verdict = SC_DOOR_MALFORMED;
        snprintf(res->step, sizeof res->step, "S1");
        snprintf(res->reason, sizeof res->reason, "S1: %s: cannot be read",
                 where);
    } else {
        res->verdict =
            decoded ? verdict_of(res->step, kind) : SC_DOOR_MALFORMED;
        snprintf(res->reason, sizeof res->reason, "%s: %.*s", res->step,
                 (int)(sizeof res->reason - sizeof res->step - 3), text);
    }
    one_line(res->reason);
    sc_report_free(rep);
    return SC_OK;
}

sc_status sc_door_check(const sc_door *d, const sc_door_device *dev,
                        uint64_t sequence, const uint8_t *prev,
                        const char *line, size_t len, sc_door_result *res)
{
    if (line == NULL) {
        memset(res, 0, sizeof *res);
        return SC_E_MISUSE;
    }
    sc_jctx jc;
    sc_jctx_init(&jc, "ballot", d != NULL ? d->ctx.grp : NULL);
    sc_json *j = NULL;
    if (sc_json_parse(&jc, line, len, &j) != SC_OK) {
        j = NULL;
    }
    sc_status rc = door_check(d, dev, sequence, prev, j, res);
    sc_json_free(j);
    return rc;
}

sc_status sc_door_check_json(const sc_door *d, const sc_door_device *dev,
                             uint64_t sequence, const uint8_t *prev,
                             const struct json_t *j, sc_door_result *res)
{
    return door_check(d, dev, sequence, prev, j, res);
}
