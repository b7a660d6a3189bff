/* Disjunctive Chaum-Pedersen range proof 0..R (spec §3.3.7, eq 57-61;
 * R = 1 gives eq 39-56), the contest selection-limit proof (§3.3.8,
 * eq 62), and Verifications 6 and 7. */
#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "elgamal/scalar_ct.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/proof.h"

#define SC_RANGE_MAX_R 1000000u

sc_status sc_range_proof_init(sc_range_proof *pf, uint32_t R)
{
    if (pf == NULL || R > SC_RANGE_MAX_R) {
        return SC_E_MISUSE;
    }
    size_t n = (size_t)R + 1;
    pf->R = R;
    pf->c = malloc(n * sizeof(mpz_t));
    pf->v = malloc(n * sizeof(mpz_t));
    if (pf->c == NULL || pf->v == NULL) {
        free(pf->c);
        free(pf->v);
        pf->c = pf->v = NULL;
        return SC_E_NOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        mpz_init(pf->c[j]);
        mpz_init(pf->v[j]);
    }
    mpz_init(pf->c_total);
    return SC_OK;
}

void sc_range_proof_clear(sc_range_proof *pf)
{
    if (pf == NULL || pf->c == NULL) {
        return;
    }
    for (size_t j = 0; j <= pf->R; j++) {
        mpz_clear(pf->c[j]);
        mpz_clear(pf->v[j]);
    }
    free(pf->c);
    free(pf->v);
    pf->c = pf->v = NULL;
    mpz_clear(pf->c_total);
}

void sc_range_proof_set_total(const sc_group *grp, sc_range_proof *pf)
{
    mpz_set_ui(pf->c_total, 0);
    for (size_t j = 0; j <= pf->R; j++) {
        mpz_add(pf->c_total, pf->c_total, pf->c[j]);
    }
    mpz_mod(pf->c_total, pf->c_total, grp->q);
}

/* Random scalar straight into limb form. */
static void rand_ct(const sc_group *grp, sc_rng *rng, sc_ct_scalar *r,
                    mpz_t tmp)
{
    sc_rng_scalar(rng, grp, tmp);
    if (sc_ct_load(grp, r, tmp) != SC_OK) {
        abort(); /* sc_rng_scalar returns values < q */
    }
    sc_mpz_wipe(tmp);
}

sc_status sc_range_proof_prove(const sc_elgamal_key *pk,
                               const sc_range_ctx *ctx, const sc_ciphertext *ct,
                               const mpz_t xi, uint32_t ell, sc_rng *rng,
                               sc_range_proof *pf)
{
    sc_status rc = SC_OK;
    const sc_group *grp;
    size_t n = 0;
    sc_ct_scalar *u = NULL, *cj = NULL;
    mpz_t *a = NULL, *b = NULL;
    sc_ct_scalar sx, sl, sj, d, t, c, sum, sel;
    mpz_t tmp, c_mpz, eu0, eu1, et0, et1;
    mpz_inits(tmp, c_mpz, eu0, eu1, et0, et1, NULL);
    memset(&sx, 0, sizeof sx);
    SC_ENSURE(pk != NULL && ctx != NULL && ctx->hi != NULL && ct != NULL &&
                  pf != NULL && pf->c != NULL,
              SC_E_MISUSE);
    grp = pk->grp;
    n = (size_t)pf->R + 1;
    /* The one check on ell: its verdict is the same for every valid ell. */
    int ell_ok = ell <= pf->R;
    SC_CT_PUBLIC(&ell_ok, sizeof ell_ok);
    SC_ENSURE(ell_ok, SC_E_MISUSE);
    /* indices j <= R enter the constant-time scalar code as elements of
     * Z_q (only a toy group could have q <= R) */
    SC_ENSURE(mpz_cmp_ui(grp->q, pf->R) > 0, SC_E_MISUSE);
    SC_CHECK(sc_ct_load(grp, &sx, xi));
    u = calloc(n, sizeof *u);
    cj = calloc(n, sizeof *cj);
    a = calloc(n, sizeof(mpz_t));
    b = calloc(n, sizeof(mpz_t));
    if (u == NULL || cj == NULL || a == NULL || b == NULL) {
        rc = SC_E_NOMEM;
        goto done;
    }
    for (size_t j = 0; j < n; j++) {
        mpz_init(a[j]);
        mpz_init(b[j]);
    }
    /* eq 57-58 computed uniformly for every j: t_j = u_j + (ell - j) c_j,
     * which is u_j for j = ell (eq 57) whatever c_ell is, so no branch
     * depends on which j is the true one. */
    sc_ct_set_u32(grp, &sl, ell);
    for (size_t j = 0; j < n; j++) {
        rand_ct(grp, rng, &u[j], tmp);
        rand_ct(grp, rng, &cj[j], tmp);
    }
    /* a_j = g^u_j, b_j = K^t_j two at a time: one pass of each table's
     * constant-time scan serves two exponents (sc_fb_pow_secret2). */
    for (size_t j = 0; j < n; j += 2) {
        const size_t j1 = j + 1 < n ? j + 1 : j;
        for (size_t h = 0; h < 2; h++) {
            const size_t jj = h ? j1 : j;
            sc_ct_set_u32(grp, &sj, (uint32_t)jj);
            sc_ct_sub(grp, &d, &sl, &sj);
            sc_ct_mul(grp, &t, &d, &cj[jj]);
            sc_ct_add(grp, &t, &t, &u[jj]);
            sc_ct_store(grp, h ? eu1 : eu0, &u[jj]);
            sc_ct_store(grp, h ? et1 : et0, &t);
        }
        if (j1 == j) {
            sc_fb_pow_secret(grp->g_fb, a[j], eu0);
            sc_fb_pow_secret(pk->K_fb, b[j], et0);
        } else {
            sc_fb_pow_secret2(grp->g_fb, a[j], a[j1], eu0, eu1);
            sc_fb_pow_secret2(pk->K_fb, b[j], b[j1], et0, et1);
        }
        for (size_t jj = j; jj <= j1; jj++) {
            sc_ct_mpz_public(a[jj]); /* hashed into the published challenge */
            sc_ct_mpz_public(b[jj]);
        }
    }
    /* eq 59 / 62 */
    sc_eg_range_challenge(grp, ctx->hi, ctx->ind_c, ctx->has_option, ctx->ind_o,
                          ct->alpha, ct->beta, n, (const mpz_t *)a,
                          (const mpz_t *)b, c_mpz);
    if (sc_ct_load(grp, &c, c_mpz) != SC_OK) {
        rc = SC_E_INTERNAL;
        goto done;
    }
    /* eq 60: c_ell = c - sum_{j != ell} c_j = c - sum_j c_j + c_ell(old),
     * the old c_ell picked out with a mask. */
    memset(&sum, 0, sizeof sum);
    memset(&sel, 0, sizeof sel);
    for (size_t j = 0; j < n; j++) {
        sc_ct_add(grp, &sum, &sum, &cj[j]);
        sc_ct_select(&sel, &cj[j], sc_ct_eq_u32((uint32_t)j, ell));
    }
    sc_ct_sub(grp, &t, &c, &sum);
    sc_ct_add(grp, &t, &t, &sel);
    for (size_t j = 0; j < n; j++) {
        sc_ct_select(&cj[j], &t, sc_ct_eq_u32((uint32_t)j, ell));
        /* eq 61: v_j = u_j - c_j xi */
        sc_ct_mulsub(grp, &u[j], &u[j], &cj[j], &sx);
        sc_ct_store(grp, pf->c[j], &cj[j]);
        sc_ct_store(grp, pf->v[j], &u[j]);
        sc_ct_mpz_public(pf->c[j]); /* published */
        sc_ct_mpz_public(pf->v[j]);
    }
    mpz_set(pf->c_total, c_mpz);
done:
    if (u != NULL) {
        sc_wipe(u, n * sizeof *u);
    }
    if (cj != NULL) {
        sc_wipe(cj, n * sizeof *cj);
    }
    free(u);
    free(cj);
    if (a != NULL && b != NULL) {
        for (size_t j = 0; j < n; j++) {
            mpz_clear(a[j]);
            mpz_clear(b[j]);
        }
    }
    free(a);
    free(b);
    sc_ct_wipe(&sx);
    sc_ct_wipe(&sl);
    sc_ct_wipe(&d);
    sc_ct_wipe(&t);
    sc_ct_wipe(&sel);
    sc_ct_wipe(&sum);
    sc_mpz_wipe(tmp);
    sc_mpz_wipe(eu0);
    sc_mpz_wipe(eu1);
    sc_mpz_wipe(et0);
    sc_mpz_wipe(et1);
    mpz_clears(tmp, c_mpz, eu0, eu1, et0, et1, NULL);
    return rc;
}

sc_status sc_range_proof_verify(const sc_elgamal_key *pk,
                                const sc_range_ctx *ctx,
                                const sc_ciphertext *ct,
                                const sc_range_proof *pf, int check_members)
{
    sc_status rc = SC_OK;
    const sc_group *grp;
    size_t n = 0;
    mpz_t *a = NULL, *b = NULL;
    sc_vb *vba = NULL, *vbb = NULL;
    mpz_t w, c, sum;
    mpz_inits(w, c, sum, NULL);
    SC_ENSURE(pk != NULL && ctx != NULL && ctx->hi != NULL && ct != NULL &&
                  pf != NULL && pf->c != NULL,
              SC_E_MISUSE);
    grp = pk->grp;
    n = (size_t)pf->R + 1;
    /* 6.B / 7.B, 6.C / 7.C (and the published total) */
    SC_ENSURE(sc_scalar_in_range(grp, pf->c_total), SC_E_INVALID_RANGE);
    for (size_t j = 0; j < n; j++) {
        SC_ENSURE(sc_scalar_in_range(grp, pf->c[j]) &&
                      sc_scalar_in_range(grp, pf->v[j]),
                  SC_E_INVALID_RANGE);
    }
    /* 6.A */
    if (check_members) {
        SC_ENSURE(sc_ciphertext_is_member(grp, ct),
                  SC_E_INVALID_NOT_IN_SUBGROUP);
    } else {
        /* still refuse values the tables cannot take */
        SC_ENSURE(mpz_sgn(ct->alpha) > 0 && mpz_cmp(ct->alpha, grp->p) < 0 &&
                      mpz_sgn(ct->beta) > 0 && mpz_cmp(ct->beta, grp->p) < 0,
                  SC_E_INVALID_RANGE);
    }
    a = calloc(n, sizeof(mpz_t));
    b = calloc(n, sizeof(mpz_t));
    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        a = b = NULL;
        rc = SC_E_NOMEM;
        goto done;
    }
    for (size_t j = 0; j < n; j++) {
        mpz_init(a[j]);
        mpz_init(b[j]);
    }
    SC_CHECK(sc_vb_new(&vba, grp, ct->alpha));
    SC_CHECK(sc_vb_new(&vbb, grp, ct->beta));
    for (size_t j = 0; j < n; j++) {
        /* 6.1: a_j = g^v_j alpha^c_j */
        sc_fb_vb_pow2(grp->g_fb, pf->v[j], vba, a[j], pf->c[j]);
        /* 6.2: b_j = K^w_j beta^c_j, w_j = v_j - j c_j mod q */
        mpz_mul_ui(w, pf->c[j], (unsigned long)j);
        mpz_sub(w, pf->v[j], w);
        mpz_mod(w, w, grp->q);
        sc_fb_vb_pow2(pk->K_fb, w, vbb, b[j], pf->c[j]);
        mpz_add(sum, sum, pf->c[j]);
    }
    /* 6.3 */
    sc_eg_range_challenge(grp, ctx->hi, ctx->ind_c, ctx->has_option, ctx->ind_o,
                          ct->alpha, ct->beta, n, (const mpz_t *)a,
                          (const mpz_t *)b, c);
    /* 6.D */
    mpz_mod(sum, sum, grp->q);
    SC_ENSURE(mpz_cmp(c, sum) == 0, SC_E_VERIFY);
    SC_ENSURE(mpz_cmp(c, pf->c_total) == 0, SC_E_VERIFY);
done:
    sc_vb_free(vba);
    sc_vb_free(vbb);
    if (a != NULL) {
        for (size_t j = 0; j < n; j++) {
            mpz_clear(a[j]);
            mpz_clear(b[j]);
        }
        free(a);
        free(b);
    }
    mpz_clears(w, c, sum, NULL);
    return rc;
}

sc_status sc_limit_proof_prove(const sc_elgamal_key *pk, const uint8_t hi[32],
                               uint32_t ind_c, size_t n,
                               const sc_ciphertext *cts, const mpz_t *xis,
                               uint32_t ell, sc_rng *rng, sc_range_proof *pf)
{
    sc_status rc = SC_OK;
    sc_ciphertext bar;
    sc_ct_scalar acc, x;
    mpz_t xbar;
    sc_ciphertext_init(&bar);
    mpz_init(xbar);
    memset(&acc, 0, sizeof acc);
    memset(&x, 0, sizeof x);
    SC_ENSURE(pk != NULL && hi != NULL && (n == 0 || (cts && xis)),
              SC_E_MISUSE);
    sc_ciphertext_product(pk->grp, &bar, n, cts);
    for (size_t j = 0; j < n; j++) {
        SC_CHECK(sc_ct_load(pk->grp, &x, xis[j]));
        sc_ct_add(pk->grp, &acc, &acc, &x);
    }
    sc_ct_store(pk->grp, xbar, &acc);
    sc_range_ctx ctx = {hi, ind_c, 0, 0};
    SC_CHECK(sc_range_proof_prove(pk, &ctx, &bar, xbar, ell, rng, pf));
done:
    sc_ct_wipe(&acc);
    sc_ct_wipe(&x);
    sc_mpz_wipe(xbar);
    mpz_clear(xbar);
    sc_ciphertext_clear(&bar);
    return rc;
}

sc_status sc_limit_proof_verify(const sc_elgamal_key *pk, const uint8_t hi[32],
                                uint32_t ind_c, size_t n,
                                const sc_ciphertext *cts,
                                const sc_range_proof *pf, int check_members)
{
    sc_status rc = SC_OK;
    sc_ciphertext bar;
    mpz_t *elems = NULL;
    sc_ciphertext_init(&bar);
    SC_ENSURE(pk != NULL && hi != NULL && (n == 0 || cts != NULL), SC_E_MISUSE);
    if (check_members && n > 0) {
        /* 7.A for every alpha_i, beta_i */
        elems = calloc(2 * n, sizeof(mpz_t));
        SC_ENSURE(elems != NULL, SC_E_NOMEM);
        for (size_t j = 0; j < n; j++) {
            mpz_init_set(elems[2 * j], cts[j].alpha);
            mpz_init_set(elems[2 * j + 1], cts[j].beta);
        }
        rc = sc_subgroup_check_batch(pk->grp, 2 * n, (const mpz_t *)elems, NULL,
                                     NULL);
        for (size_t j = 0; j < 2 * n; j++) {
            mpz_clear(elems[j]);
        }
        free(elems);
        SC_CHECK(rc);
    }
    /* 7.1-7.2 */
    sc_ciphertext_product(pk->grp, &bar, n, cts);
    sc_range_ctx ctx = {hi, ind_c, 0, 0};
    SC_CHECK(sc_range_proof_verify(pk, &ctx, &bar, pf, 0));
done:
    sc_ciphertext_clear(&bar);
    return rc;
}
