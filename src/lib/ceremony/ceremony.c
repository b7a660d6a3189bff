/* The key ceremony of ElectionGuard 2.1 (spec §3.2), one guardian at a
 * time; see include/scrutin/ceremony.h for the rounds. */
#include "core/ct_mark.h"
#include "scrutin/ceremony.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ceremony/internal.h"
#include "ceremony/jsonio.h"
#include "ceremony/sealed.h"
#include "elgamal/scalar_ct.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"

#define SECRET_KIND "guardian-secret"
#define SECRET_MAGIC 0x53434753u /* "SCGS" */
/* magic, version, i, n, k, group[16], h_p, h_b, name[64], phase */
#define SECRET_HDR (5 * 4 + 16 + 32 + 32 + 64 + 4)

sc_status sc_ceremony_ctx_init(sc_ceremony_ctx *ctx, const sc_group *grp,
                               uint32_t n, uint32_t k, const uint8_t *manifest,
                               size_t manifest_len)
{
    if (ctx == NULL || grp == NULL || (manifest == NULL && manifest_len > 0)) {
        return SC_E_MISUSE;
    }
    if (k < 1 || k > n || n >= (1u << 31)) {
        return SC_E_INVALID;
    }
    memset(ctx, 0, sizeof *ctx);
    ctx->grp = grp;
    ctx->n = n;
    ctx->k = k;
    sc_eg_param_base_hash(grp, n, k, ctx->h_p);                /* eq 4 */
    sc_eg_election_base_hash(ctx->h_p, manifest, manifest_len, /* eq 5 */
                             ctx->h_b);
    return SC_OK;
}

/* ---------------------------------------------------------------------- */
/* Secret state                                                            */
/* ---------------------------------------------------------------------- */

static sc_status secret_alloc(sc_guardian_secret **out, const sc_group *grp,
                              uint32_t k)
{
    *out = NULL;
    if (k < 1 || k >= (1u << 20)) {
        return SC_E_INVALID;
    }
    sc_guardian_secret *s = sodium_malloc(sizeof *s);
    if (s == NULL) {
        return SC_E_NOMEM;
    }
    memset(s, 0, sizeof *s);
    s->grp = grp;
    s->k = k;
    s->a = sodium_allocarray(k, sizeof(mpz_t));
    s->ahat = sodium_allocarray(k, sizeof(mpz_t));
    if (s->a == NULL || s->ahat == NULL) {
        if (s->a != NULL) {
            sodium_free(s->a);
        }
        if (s->ahat != NULL) {
            sodium_free(s->ahat);
        }
        sodium_free(s);
        return SC_E_NOMEM;
    }
    for (uint32_t j = 0; j < k; j++) {
        mpz_init(s->a[j]);
        mpz_init(s->ahat[j]);
    }
    mpz_inits(s->zeta, s->z, s->zhat, NULL);
    *out = s;
    return SC_OK;
}

sc_status sc_guardian_secret_new(sc_guardian_secret **out,
                                 const sc_ceremony_ctx *ctx, uint32_t i)
{
    if (out == NULL || ctx == NULL) {
        return SC_E_MISUSE;
    }
    if (i < 1 || i > ctx->n) {
        return SC_E_INVALID;
    }
    sc_status rc = secret_alloc(out, ctx->grp, ctx->k);
    if (rc != SC_OK) {
        return rc;
    }
    sc_guardian_secret *s = *out;
    s->i = i;
    s->n = ctx->n;
    snprintf(s->group, sizeof s->group, "%s", ctx->grp->name);
    memcpy(s->h_p, ctx->h_p, 32);
    memcpy(s->h_b, ctx->h_b, 32);
    snprintf(s->name, sizeof s->name, "Guardian %u", (unsigned)i);
    s->phase = SC_PHASE_KEYS;
    s->kdf = SC_KDF_MODERATE;
    return SC_OK;
}

static void wipe_polys(sc_guardian_secret *s)
{
    for (uint32_t j = 0; j < s->k; j++) {
        sc_mpz_wipe(s->a[j]);
        sc_mpz_wipe(s->ahat[j]);
    }
    sc_mpz_wipe(s->zeta);
}

void sc_guardian_secret_free(sc_guardian_secret *s)
{
    if (s == NULL) {
        return;
    }
    wipe_polys(s);
    for (uint32_t j = 0; j < s->k; j++) {
        mpz_clear(s->a[j]);
        mpz_clear(s->ahat[j]);
    }
    sc_mpz_wipe(s->z);
    sc_mpz_wipe(s->zhat);
    mpz_clears(s->zeta, s->z, s->zhat, NULL);
    sodium_free(s->a);
    sodium_free(s->ahat);
    sodium_free(s); /* wipes the struct */
}

static void put_scalar(sc_bbuf *b, const mpz_t x)
{
    uint8_t t[32];
    if (sc_mpz_encode(t, sizeof t, x) != SC_OK) {
        b->err = 1;
    }
    sc_bbuf_put(b, t, sizeof t);
    sc_wipe(t, sizeof t);
}

static void get_scalar(sc_brd *r, const sc_group *grp, mpz_t x)
{
    uint8_t t[32];
    sc_brd_get(r, t, sizeof t);
    mpz_import(x, sizeof t, 1, 1, 1, 0, t);
    sc_wipe(t, sizeof t);
    if (!sc_scalar_in_range(grp, x)) {
        r->err = 1;
    }
}

sc_status sc_secret_save(const sc_guardian_secret *s, const char *path,
                         const char *pass, size_t pass_len, sc_kdf_level level)
{
    if (s == NULL || path == NULL || pass == NULL) {
        return SC_E_MISUSE;
    }
    sc_bbuf b;
    sc_status rc = sc_bbuf_init(&b, 512 + 64 * (size_t)s->k + 128);
    if (rc != SC_OK) {
        return rc;
    }
    sc_bbuf_u32(&b, SECRET_MAGIC);
    sc_bbuf_u32(&b, 1);
    sc_bbuf_u32(&b, s->i);
    sc_bbuf_u32(&b, s->n);
    sc_bbuf_u32(&b, s->k);
    sc_bbuf_put(&b, s->group, sizeof s->group);
    sc_bbuf_put(&b, s->h_p, 32);
    sc_bbuf_put(&b, s->h_b, 32);
    sc_bbuf_put(&b, s->name, sizeof s->name);
    sc_bbuf_u32(&b, (uint32_t)s->phase);
    if (s->phase == SC_PHASE_KEYS) {
        for (uint32_t j = 0; j < s->k; j++) {
            put_scalar(&b, s->a[j]);
        }
        for (uint32_t j = 0; j < s->k; j++) {
            put_scalar(&b, s->ahat[j]);
        }
        put_scalar(&b, s->zeta);
    } else {
        put_scalar(&b, s->z);
        put_scalar(&b, s->zhat);
        sc_bbuf_put(&b, s->h_e, 32);
        sc_bbuf_put(&b, s->h_g, 32);
    }
    if (b.err) {
        rc = SC_E_INTERNAL;
    } else {
        rc = sc_sealed_write(path, SECRET_KIND, b.p, b.len, pass, pass_len,
                             level);
    }
    sc_bbuf_free(&b);
    return rc;
}

sc_status sc_secret_load(sc_guardian_secret **out, const sc_group *grp,
                         const sc_ceremony_ctx *ctx, const char *path,
                         const char *pass, size_t pass_len)
{
    sc_status rc = SC_OK;
    uint8_t *plain = NULL;
    size_t len = 0;
    sc_guardian_secret *s = NULL;
    if (out == NULL || grp == NULL || path == NULL || pass == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    int level = SC_KDF_MODERATE;
    SC_CHECK(sc_sealed_read(path, SECRET_KIND, pass, pass_len, &plain, &len,
                            &level));
    sc_brd r = {plain, len, 0, 0};
    uint32_t magic = sc_brd_u32(&r), ver = sc_brd_u32(&r);
    uint32_t i = sc_brd_u32(&r), n = sc_brd_u32(&r), k = sc_brd_u32(&r);
    /* The length is checked before anything is allocated for k: the
     * phase (after the fixed header, SECRET_HDR bytes) says how many
     * scalars follow. k <= 4096 as the decryption state's nu. */
    uint32_t ph = 0;
    if (len >= SECRET_HDR) {
        sc_brd rp = {plain, len, SECRET_HDR - 4, 0};
        ph = sc_brd_u32(&rp);
    }
    size_t want = ph == SC_PHASE_KEYS ? SECRET_HDR + 32 * (2 * (size_t)k + 1)
                  : ph == SC_PHASE_SHARES ? SECRET_HDR + 2 * 32 + 2 * 32
                                          : 0;
    if (r.err || magic != SECRET_MAGIC || ver != 1 || k < 1 || k > n || i < 1 ||
        i > n || k > 4096 || len != want) {
        rc = sc_jio_fail(SC_E_INVALID, "%s: not a guardian secret", path);
        goto done;
    }
    SC_CHECK(secret_alloc(&s, grp, k));
    s->i = i;
    s->n = n;
    s->kdf = level;
    sc_brd_get(&r, s->group, sizeof s->group);
    s->group[sizeof s->group - 1] = '\0';
    sc_brd_get(&r, s->h_p, 32);
    sc_brd_get(&r, s->h_b, 32);
    sc_brd_get(&r, s->name, sizeof s->name);
    s->name[sizeof s->name - 1] = '\0';
    uint32_t phase = sc_brd_u32(&r);
    if (strcmp(s->group, grp->name) != 0) {
        rc = sc_jio_fail(SC_E_INVALID,
                         "%s: made for parameter set \"%s\", "
                         "not \"%s\"",
                         path, s->group, grp->name);
        goto done;
    }
    if (phase == SC_PHASE_KEYS) {
        for (uint32_t j = 0; j < k; j++) {
            get_scalar(&r, grp, s->a[j]);
        }
        for (uint32_t j = 0; j < k; j++) {
            get_scalar(&r, grp, s->ahat[j]);
        }
        get_scalar(&r, grp, s->zeta);
    } else if (phase == SC_PHASE_SHARES) {
        get_scalar(&r, grp, s->z);
        get_scalar(&r, grp, s->zhat);
        sc_brd_get(&r, s->h_e, 32);
        sc_brd_get(&r, s->h_g, 32);
    } else {
        r.err = 1;
    }
    s->phase = (sc_guardian_phase)phase;
    if (r.err || r.off != r.len) {
        rc = sc_jio_fail(SC_E_INVALID, "%s: damaged guardian secret", path);
        goto done;
    }
    if (ctx != NULL &&
        (ctx->n != n || ctx->k != k || !sc_ct_eq(ctx->h_p, s->h_p, 32) ||
         !sc_ct_eq(ctx->h_b, s->h_b, 32))) {
        rc = sc_jio_fail(SC_E_INVALID,
                         "%s: belongs to another election "
                         "(n, k, H_P or H_B differ)",
                         path);
        goto done;
    }
    *out = s;
    s = NULL;
done:
    sc_guardian_secret_free(s);
    sc_sealed_free(plain, len);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Public records                                                          */
/* ---------------------------------------------------------------------- */

sc_status sc_guardian_public_init(sc_guardian_public *pub, uint32_t k)
{
    memset(pub, 0, sizeof *pub);
    if (k < 1 || k >= (1u << 20)) {
        return SC_E_INVALID;
    }
    pub->k = k;
    pub->K = sc_mpz_array_new(k);
    pub->Khat = sc_mpz_array_new(k);
    mpz_init(pub->kappa);
    sc_status rc = SC_OK;
    if (pub->K == NULL || pub->Khat == NULL) {
        rc = SC_E_NOMEM;
    }
    if (rc == SC_OK) {
        rc = sc_guardian_proof_init(&pub->proof, k);
    }
    if (rc == SC_OK) {
        rc = sc_guardian_proof_init(&pub->proof_hat, k);
    }
    if (rc != SC_OK) {
        sc_guardian_public_clear(pub);
    }
    return rc;
}

void sc_guardian_public_clear(sc_guardian_public *pub)
{
    if (pub == NULL || pub->k == 0) {
        return;
    }
    sc_mpz_array_free(pub->K, pub->k);
    sc_mpz_array_free(pub->Khat, pub->k);
    mpz_clear(pub->kappa);
    if (pub->proof.v != NULL) {
        sc_guardian_proof_clear(&pub->proof);
    }
    if (pub->proof_hat.v != NULL) {
        sc_guardian_proof_clear(&pub->proof_hat);
    }
    memset(pub, 0, sizeof *pub);
}

sc_status sc_guardian_round1(const sc_ceremony_ctx *ctx, uint32_t i,
                             const char *name, sc_rng *rng,
                             sc_guardian_secret **out_secret,
                             sc_guardian_public *pub)
{
    sc_status rc = SC_OK;
    sc_guardian_secret *s = NULL;
    if (ctx == NULL || out_secret == NULL || pub == NULL || pub->k != ctx->k) {
        return SC_E_MISUSE;
    }
    *out_secret = NULL;
    const sc_group *grp = ctx->grp;
    SC_CHECK(sc_guardian_secret_new(&s, ctx, i));
    if (name != NULL && *name != '\0') {
        if (strlen(name) >= sizeof s->name) {
            rc = sc_jio_fail(SC_E_INVALID_LENGTH,
                             "guardian name longer than %zu bytes",
                             sizeof s->name - 1);
            goto done;
        }
        snprintf(s->name, sizeof s->name, "%s", name);
    }
    for (uint32_t j = 0; j < ctx->k; j++) {
        sc_rng_scalar(rng, grp, s->a[j]);                /* eq 7 */
        sc_fb_pow_secret(grp->g_fb, pub->K[j], s->a[j]); /* eq 8 */
        sc_rng_scalar(rng, grp, s->ahat[j]);
        sc_fb_pow_secret(grp->g_fb, pub->Khat[j], s->ahat[j]);
        sc_ct_mpz_public(pub->K[j]); /* the published commitments */
        sc_ct_mpz_public(pub->Khat[j]);
    }
    sc_rng_scalar(rng, grp, s->zeta);
    sc_fb_pow_secret(grp->g_fb, pub->kappa, s->zeta); /* eq 9 */
    sc_ct_mpz_public(pub->kappa);
    SC_CHECK(sc_guardian_proof_prove(
        grp, ctx->h_p, SC_PK_VOTE, i, ctx->k, SC_CMPZ(s->a), SC_CMPZ(pub->K),
        s->zeta, pub->kappa, rng, &pub->proof)); /* eq 10-11 */
    SC_CHECK(sc_guardian_proof_prove(grp, ctx->h_p, SC_PK_DATA, i, ctx->k,
                                     SC_CMPZ(s->ahat), SC_CMPZ(pub->Khat),
                                     s->zeta, pub->kappa, rng,
                                     &pub->proof_hat)); /* eq 12-13 */
    pub->i = i;
    snprintf(pub->name, sizeof pub->name, "%s", s->name);
    *out_secret = s;
    s = NULL;
done:
    sc_guardian_secret_free(s);
    return rc;
}

sc_status sc_guardian_public_check(const sc_ceremony_ctx *ctx,
                                   uint32_t expected_i,
                                   const sc_guardian_public *pub)
{
    if (ctx == NULL || pub == NULL) {
        return SC_E_MISUSE;
    }
    if (pub->i != expected_i) {
        return sc_jio_fail(SC_E_VERIFY, "guardian %u: record says i = %u",
                           (unsigned)expected_i, (unsigned)pub->i);
    }
    if (pub->k != ctx->k) {
        return sc_jio_fail(SC_E_VERIFY,
                           "guardian %u: %u commitments, "
                           "quorum is %u",
                           (unsigned)expected_i, (unsigned)pub->k,
                           (unsigned)ctx->k);
    }
    /* Verification 2 (2.1-2.C), both proofs. */
    sc_status rc =
        sc_guardian_proof_verify(ctx->grp, ctx->h_p, SC_PK_VOTE, pub->i, ctx->k,
                                 SC_CMPZ(pub->K), pub->kappa, &pub->proof);
    if (rc != SC_OK) {
        return sc_jio_fail(SC_E_VERIFY,
                           "guardian %u: the proof of the "
                           "coefficient commitments (eq 10-11) is invalid",
                           (unsigned)pub->i);
    }
    rc = sc_guardian_proof_verify(ctx->grp, ctx->h_p, SC_PK_DATA, pub->i,
                                  ctx->k, SC_CMPZ(pub->Khat), pub->kappa,
                                  &pub->proof_hat);
    if (rc != SC_OK) {
        return sc_jio_fail(SC_E_VERIFY,
                           "guardian %u: the proof of the data "
                           "coefficient commitments (eq 12-13) is invalid",
                           (unsigned)pub->i);
    }
    return SC_OK;
}

sc_status sc_ceremony_check_publics(const sc_ceremony_ctx *ctx,
                                    const sc_guardian_public *pubs,
                                    uint32_t *culprit)
{
    for (uint32_t j = 1; j <= ctx->n; j++) {
        sc_status rc = sc_guardian_public_check(ctx, j, &pubs[j - 1]);
        if (rc != SC_OK) {
            if (culprit != NULL) {
                *culprit = j;
            }
            return rc;
        }
    }
    return SC_OK;
}

/* P(x) = sum_j coef[j] x^j mod q by Horner's rule on constant-time
 * scalars (coef SECRET; x public). */
static sc_status poly_eval(const sc_group *grp, mpz_t out, uint32_t k,
                           const mpz_t *coef, uint32_t x)
{
    sc_ct_scalar acc, c, X;
    sc_status rc = SC_OK;
    sc_ct_set_u32(grp, &X, x);
    SC_CHECK(sc_ct_load(grp, &acc, coef[k - 1]));
    for (uint32_t j = k - 1; j-- > 0;) {
        SC_CHECK(sc_ct_load(grp, &c, coef[j]));
        sc_ct_mul(grp, &acc, &acc, &X);
        sc_ct_add(grp, &acc, &acc, &c);
    }
    sc_ct_store(grp, out, &acc);
done:
    sc_ct_wipe(&acc);
    sc_ct_wipe(&c);
    return rc;
}

/* Does s's own public record match its secrets? (a guardian must not
 * accept a substituted record of itself) */
static int own_record_matches(const sc_group *grp, const sc_guardian_secret *s,
                              const sc_guardian_public *own)
{
    mpz_t t;
    mpz_init(t);
    int ok = own->k == s->k;
    for (uint32_t j = 0; ok && j < s->k; j++) {
        sc_fb_pow_secret(grp->g_fb, t, s->a[j]);
        sc_ct_mpz_public(t); /* g^a: a commitment, public by design */
        ok = mpz_cmp(t, own->K[j]) == 0;
        if (ok) {
            sc_fb_pow_secret(grp->g_fb, t, s->ahat[j]);
            sc_ct_mpz_public(t);
            ok = mpz_cmp(t, own->Khat[j]) == 0;
        }
    }
    if (ok) {
        sc_fb_pow_secret(grp->g_fb, t, s->zeta);
        sc_ct_mpz_public(t);
        ok = mpz_cmp(t, own->kappa) == 0;
    }
    mpz_clear(t);
    return ok;
}

sc_status sc_guardian_shares_init(sc_guardian_shares *sh, uint32_t from,
                                  uint32_t n)
{
    memset(sh, 0, sizeof *sh);
    if (n < 1 || n >= (1u << 20)) {
        return SC_E_INVALID;
    }
    sh->ct = calloc(n, sizeof *sh->ct);
    if (sh->ct == NULL) {
        return SC_E_NOMEM;
    }
    sh->from = from;
    sh->n = n;
    for (uint32_t l = 0; l < n; l++) {
        sc_share_ct_init(&sh->ct[l]);
    }
    return SC_OK;
}

void sc_guardian_shares_clear(sc_guardian_shares *sh)
{
    if (sh == NULL || sh->ct == NULL) {
        return;
    }
    for (uint32_t l = 0; l < sh->n; l++) {
        sc_share_ct_clear(&sh->ct[l]);
    }
    free(sh->ct);
    memset(sh, 0, sizeof *sh);
}

sc_status sc_guardian_round2(const sc_ceremony_ctx *ctx,
                             const sc_guardian_secret *s,
                             const sc_guardian_public *pubs, sc_rng *rng,
                             sc_guardian_shares *out, uint32_t *culprit)
{
    sc_status rc = SC_OK;
    mpz_t P, Ph;
    sc_elgamal_key *kap = NULL;
    if (culprit != NULL) {
        *culprit = 0;
    }
    if (ctx == NULL || s == NULL || pubs == NULL || out == NULL ||
        out->n != ctx->n || out->from != s->i) {
        return SC_E_MISUSE;
    }
    if (s->phase != SC_PHASE_KEYS) {
        return sc_jio_fail(SC_E_MISUSE,
                           "guardian %u: round 2 already done "
                           "(the secret holds key shares only)",
                           (unsigned)s->i);
    }
    mpz_inits(P, Ph, NULL);
    SC_CHECK(sc_ceremony_check_publics(ctx, pubs, culprit));
    if (!own_record_matches(ctx->grp, s, &pubs[s->i - 1])) {
        if (culprit != NULL) {
            *culprit = s->i;
        }
        rc = sc_jio_fail(SC_E_VERIFY,
                         "guardian %u: the round-1 record "
                         "given for this guardian is not its own",
                         (unsigned)s->i);
        goto done;
    }
    for (uint32_t l = 1; l <= ctx->n; l++) {
        if (l == s->i) {
            continue;
        }
        SC_CHECK(poly_eval(ctx->grp, P, ctx->k, SC_CMPZ(s->a), l)); /* P_i(l) */
        SC_CHECK(
            poly_eval(ctx->grp, Ph, ctx->k, SC_CMPZ(s->ahat), l)); /* P^_i(l) */
        SC_CHECK(sc_elgamal_key_new(&kap, ctx->grp, pubs[l - 1].kappa));
        SC_CHECK(sc_share_encrypt(kap, ctx->h_p, s->i, l, P, Ph, rng,
                                  &out->ct[l - 1])); /* eq 15-22 */
        sc_elgamal_key_free(kap);
        kap = NULL;
    }
done:
    sc_elgamal_key_free(kap);
    sc_mpz_wipe(P);
    sc_mpz_wipe(Ph);
    mpz_clears(P, Ph, NULL);
    return rc;
}

void sc_guardian_result_init(sc_guardian_result *r)
{
    memset(r, 0, sizeof *r);
    mpz_inits(r->K, r->Khat, NULL);
}

void sc_guardian_result_clear(sc_guardian_result *r)
{
    if (r != NULL) {
        mpz_clears(r->K, r->Khat, NULL);
        memset(r, 0, sizeof *r);
    }
}

/* K, K-hat (eq 25-26), H_G (eq 27), H_E (eq 30) from the records. */
sc_status sc_ceremony_joint(const sc_ceremony_ctx *ctx,
                            const sc_guardian_public *pubs,
                            sc_guardian_result *res)
{
    const sc_group *grp = ctx->grp;
    size_t nk = (size_t)ctx->n * ctx->k;
    mpz_t *Kij = sc_mpz_array_new(nk), *Khij = sc_mpz_array_new(nk);
    mpz_t *kap = sc_mpz_array_new(ctx->n);
    sc_status rc = SC_OK;
    SC_ENSURE(Kij != NULL && Khij != NULL && kap != NULL, SC_E_NOMEM);
    mpz_set_ui(res->K, 1);
    mpz_set_ui(res->Khat, 1);
    for (uint32_t j = 0; j < ctx->n; j++) {
        sc_mulmod(grp, res->K, res->K, pubs[j].K[0]);          /* eq 25 */
        sc_mulmod(grp, res->Khat, res->Khat, pubs[j].Khat[0]); /* eq 26 */
        for (uint32_t m = 0; m < ctx->k; m++) {
            mpz_set(Kij[(size_t)j * ctx->k + m], pubs[j].K[m]);
            mpz_set(Khij[(size_t)j * ctx->k + m], pubs[j].Khat[m]);
        }
        mpz_set(kap[j], pubs[j].kappa);
    }
    sc_eg_guardian_record_hash(grp, ctx->h_b, res->K, res->Khat, ctx->n, ctx->k,
                               SC_CMPZ(Kij), SC_CMPZ(Khij), SC_CMPZ(kap),
                               res->h_g); /* eq 27 */
    sc_eg_extended_base_hash(grp, ctx->h_b, res->K, res->Khat,
                             res->h_e); /* eq 30 */
done:
    sc_mpz_array_free(Kij, nk);
    sc_mpz_array_free(Khij, nk);
    sc_mpz_array_free(kap, ctx->n);
    return rc;
}

sc_status sc_guardian_round3(const sc_ceremony_ctx *ctx, sc_guardian_secret *s,
                             const sc_guardian_public *pubs,
                             const sc_guardian_shares *shares,
                             sc_guardian_result *res, uint32_t *culprit)
{
    sc_status rc = SC_OK;
    mpz_t P, Ph, z, zh, lhs, rhs;
    sc_elgamal_key *kap = NULL;
    if (culprit != NULL) {
        *culprit = 0;
    }
    if (ctx == NULL || s == NULL || pubs == NULL || shares == NULL ||
        res == NULL) {
        return SC_E_MISUSE;
    }
    if (s->phase != SC_PHASE_KEYS) {
        return sc_jio_fail(SC_E_MISUSE, "guardian %u: round 3 already done",
                           (unsigned)s->i);
    }
    const sc_group *grp = ctx->grp;
    const uint32_t l = s->i;
    mpz_inits(P, Ph, z, zh, lhs, rhs, NULL);
    SC_CHECK(sc_ceremony_check_publics(ctx, pubs, culprit));
    if (!own_record_matches(grp, s, &pubs[l - 1])) {
        if (culprit != NULL) {
            *culprit = l;
        }
        rc = sc_jio_fail(SC_E_VERIFY,
                         "guardian %u: the round-1 record "
                         "given for this guardian is not its own",
                         (unsigned)l);
        goto done;
    }
    SC_CHECK(sc_elgamal_key_new(&kap, grp, pubs[l - 1].kappa));
    /* Own share P_l(l), P^_l(l). */
    SC_CHECK(poly_eval(grp, z, ctx->k, SC_CMPZ(s->a), l));
    SC_CHECK(poly_eval(grp, zh, ctx->k, SC_CMPZ(s->ahat), l));
    for (uint32_t i = 1; i <= ctx->n; i++) {
        if (i == l) {
            continue;
        }
        const sc_guardian_shares *sh = &shares[i - 1];
        if (sh->from != i || sh->n != ctx->n) {
            if (culprit != NULL) {
                *culprit = i;
            }
            rc = sc_jio_fail(SC_E_VERIFY,
                             "guardian %u: the round-2 file "
                             "is not guardian %u's shares for %u guardians",
                             (unsigned)i, (unsigned)i, (unsigned)ctx->n);
            goto done;
        }
        const sc_share_ct *ct = &sh->ct[l - 1];
        /* The proof of eq 22, then decryption (eq 23). */
        rc = sc_share_verify(grp, ctx->h_p, i, l, ct);
        if (rc == SC_OK) {
            rc = sc_share_decrypt(kap, ctx->h_p, i, l, s->zeta, ct, P, Ph);
        }
        if (rc != SC_OK) {
            if (culprit != NULL) {
                *culprit = i;
            }
            rc = sc_jio_fail(SC_E_VERIFY,
                             "guardian %u: its encrypted share "
                             "for guardian %u does not verify (eq 22-23)",
                             (unsigned)i, (unsigned)l);
            goto done;
        }
        /* eq 28: g^P_i(l) = prod_j K_i,j^(l^j); eq 29 for the hats. */
        sc_fb_pow_secret(grp->g_fb, lhs, P);
        sc_ct_mpz_public(lhs); /* g^P_i(l): public, from the commitments */
        sc_poly_commit_eval(grp, rhs, ctx->k, SC_CMPZ(pubs[i - 1].K), l);
        int ok = mpz_cmp(lhs, rhs) == 0;
        sc_fb_pow_secret(grp->g_fb, lhs, Ph);
        sc_ct_mpz_public(lhs);
        sc_poly_commit_eval(grp, rhs, ctx->k, SC_CMPZ(pubs[i - 1].Khat), l);
        ok = ok && mpz_cmp(lhs, rhs) == 0;
        if (!ok) {
            if (culprit != NULL) {
                *culprit = i;
            }
            rc = sc_jio_fail(SC_E_VERIFY,
                             "guardian %u: its share for "
                             "guardian %u does not match its commitments "
                             "(eq 28-29)",
                             (unsigned)i, (unsigned)l);
            goto done;
        }
        SC_CHECK(sc_ct_mpz_add(grp, z, z, P)); /* eq 24 */
        SC_CHECK(sc_ct_mpz_add(grp, zh, zh, Ph));
    }
    SC_CHECK(sc_ceremony_joint(ctx, pubs, res));
    res->i = l;
    /* Commit: the secret keeps only z_l, z^_l (§3.2.2, end). */
    mpz_swap(s->z, z);
    mpz_swap(s->zhat, zh);
    wipe_polys(s);
    s->phase = SC_PHASE_SHARES;
    memcpy(s->h_e, res->h_e, 32);
    memcpy(s->h_g, res->h_g, 32);
done:
    sc_elgamal_key_free(kap);
    sc_mpz_wipe(P);
    sc_mpz_wipe(Ph);
    sc_mpz_wipe(z);
    sc_mpz_wipe(zh);
    mpz_clears(P, Ph, z, zh, lhs, rhs, NULL);
    return rc;
}

sc_status sc_ceremony_finish(const sc_ceremony_ctx *ctx,
                             const sc_guardian_public *pubs,
                             const sc_guardian_result *results,
                             sc_guardian_result *joint, uint32_t *culprit)
{
    sc_status rc = SC_OK;
    if (culprit != NULL) {
        *culprit = 0;
    }
    if (ctx == NULL || pubs == NULL || results == NULL || joint == NULL) {
        return SC_E_MISUSE;
    }
    SC_CHECK(sc_ceremony_check_publics(ctx, pubs, culprit));
    SC_CHECK(sc_ceremony_joint(ctx, pubs, joint));
    joint->i = 0;
    for (uint32_t j = 1; j <= ctx->n; j++) {
        const sc_guardian_result *r = &results[j - 1];
        if (r->i != j || !sc_ct_eq(r->h_g, joint->h_g, 32) ||
            !sc_ct_eq(r->h_e, joint->h_e, 32) || mpz_cmp(r->K, joint->K) != 0 ||
            mpz_cmp(r->Khat, joint->Khat) != 0) {
            if (culprit != NULL) {
                *culprit = j;
            }
            rc = sc_jio_fail(SC_E_VERIFY,
                             "guardian %u: its H_G (eq 27) "
                             "differs from the record's: the guardians do "
                             "not have the same view of the key ceremony",
                             (unsigned)j);
            goto done;
        }
    }
done:
    return rc;
}
