/* Compact Schnorr proof of a guardian's polynomial coefficients and
 * communication key (spec §3.2.2, eq 10-13) and Verification 2. */
#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "elgamal/scalar_ct.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/proof.h"

sc_status sc_guardian_proof_init(sc_guardian_proof *pf, uint32_t k)
{
    if (pf == NULL || k == 0 || k > (1u << 20)) {
        return SC_E_MISUSE;
    }
    pf->k = k;
    pf->v = malloc(((size_t)k + 1) * sizeof(mpz_t));
    if (pf->v == NULL) {
        return SC_E_NOMEM;
    }
    mpz_init(pf->c);
    for (uint32_t j = 0; j <= k; j++) {
        mpz_init(pf->v[j]);
    }
    return SC_OK;
}

void sc_guardian_proof_clear(sc_guardian_proof *pf)
{
    if (pf == NULL || pf->v == NULL) {
        return;
    }
    for (uint32_t j = 0; j <= pf->k; j++) {
        mpz_clear(pf->v[j]);
    }
    free(pf->v);
    pf->v = NULL;
    mpz_clear(pf->c);
}

sc_status sc_guardian_proof_prove(const sc_group *grp, const uint8_t hp[32],
                                  int label, uint32_t i, uint32_t k,
                                  const mpz_t *a, const mpz_t *K,
                                  const mpz_t zeta, const mpz_t kappa,
                                  sc_rng *rng, sc_guardian_proof *pf)
{
    sc_status rc = SC_OK;
    mpz_t *u = NULL, *h = NULL;
    size_t m = (size_t)k + 1;
    SC_ENSURE(grp != NULL && hp != NULL && a != NULL && K != NULL &&
                  pf != NULL && pf->v != NULL,
              SC_E_MISUSE);
    SC_ENSURE(pf->k == k && k >= 1 && i >= 1, SC_E_MISUSE);
    SC_ENSURE(label == SC_PK_VOTE || label == SC_PK_DATA, SC_E_MISUSE);
    u = calloc(m, sizeof(mpz_t));
    h = calloc(m, sizeof(mpz_t));
    if (u == NULL || h == NULL) {
        free(u);
        free(h);
        u = h = NULL;
        rc = SC_E_NOMEM;
        goto done;
    }
    for (size_t j = 0; j < m; j++) {
        mpz_init(u[j]);
        mpz_init(h[j]);
        sc_rng_scalar(rng, grp, u[j]);
        sc_fb_pow_secret(grp->g_fb, h[j], u[j]); /* eq 10 / 12 */
        sc_ct_mpz_public(h[j]); /* hashed into the published challenge */
    }
    /* eq 11 / 13 */
    sc_eg_guardian_challenge(grp, hp, label, i, k, K, kappa, (const mpz_t *)h,
                             pf->c);
    for (uint32_t j = 0; j < k; j++) {
        SC_CHECK(sc_ct_mpz_mulsub(grp, pf->v[j], u[j], pf->c, a[j]));
    }
    SC_CHECK(sc_ct_mpz_mulsub(grp, pf->v[k], u[k], pf->c, zeta));
    for (uint32_t j = 0; j <= k; j++) {
        sc_ct_mpz_public(pf->v[j]); /* the published responses */
    }
done:
    if (u != NULL) {
        for (size_t j = 0; j < m; j++) {
            sc_mpz_wipe(u[j]);
            mpz_clear(u[j]);
            mpz_clear(h[j]);
        }
        free(u);
        free(h);
    }
    return rc;
}

sc_status sc_guardian_proof_verify(const sc_group *grp, const uint8_t hp[32],
                                   int label, uint32_t i, uint32_t k,
                                   const mpz_t *K, const mpz_t kappa,
                                   const sc_guardian_proof *pf)
{
    sc_status rc = SC_OK;
    mpz_t *h = NULL, *elems = NULL;
    mpz_t t, c;
    size_t m = (size_t)k + 1;
    mpz_inits(t, c, NULL);
    SC_ENSURE(grp != NULL && hp != NULL && K != NULL && pf != NULL &&
                  pf->v != NULL,
              SC_E_MISUSE);
    SC_ENSURE(label == SC_PK_VOTE || label == SC_PK_DATA, SC_E_MISUSE);
    SC_ENSURE(k >= 1 && pf->k == k, SC_E_INVALID_LENGTH);
    /* 2.B: responses (and the challenge) in Z_q. */
    SC_ENSURE(sc_scalar_in_range(grp, pf->c), SC_E_INVALID_RANGE);
    for (size_t j = 0; j < m; j++) {
        SC_ENSURE(sc_scalar_in_range(grp, pf->v[j]), SC_E_INVALID_RANGE);
    }
    /* 2.A: K_i,j and kappa_i in Z_p^r. */
    h = calloc(m, sizeof(mpz_t));
    elems = calloc(m, sizeof(mpz_t));
    if (h == NULL || elems == NULL) {
        free(h);
        free(elems);
        h = elems = NULL;
        rc = SC_E_NOMEM;
        goto done;
    }
    for (size_t j = 0; j < m; j++) {
        mpz_init(h[j]);
        mpz_init_set(elems[j], j < k ? K[j] : kappa);
    }
    SC_CHECK(sc_subgroup_check_batch(grp, m, (const mpz_t *)elems, NULL, NULL));
    /* 2.1-2.4: h_j = g^v_j K_j^c, h_k = g^v_k kappa^c. */
    for (size_t j = 0; j < m; j++) {
        mpz_set(h[j], elems[j]);
        sc_fb_vb_pow2(grp->g_fb, pf->v[j], NULL, h[j], pf->c);
    }
    /* 2.C */
    sc_eg_guardian_challenge(grp, hp, label, i, k, K, kappa, (const mpz_t *)h,
                             c);
    SC_ENSURE(mpz_cmp(c, pf->c) == 0, SC_E_VERIFY);
done:
    if (h != NULL) {
        for (size_t j = 0; j < m; j++) {
            mpz_clear(h[j]);
            mpz_clear(elems[j]);
        }
        free(h);
        free(elems);
    }
    mpz_clears(t, c, NULL);
    return rc;
}

void sc_poly_commit_eval(const sc_group *grp, mpz_t out, uint32_t k,
                         const mpz_t *K, uint32_t x)
{
    /* eq 14 by Horner's rule: prod_j K_j^(x^j) =
     * (...((K_{k-1})^x K_{k-2})^x ...)^x K_0, with small exponents x. */
    mpz_t e, t;
    if (k == 0) {
        mpz_set_ui(out, 1);
        return;
    }
    mpz_init_set_ui(e, x);
    mpz_init(t);
    mpz_set(out, K[k - 1]);
    for (uint32_t j = k - 1; j-- > 0;) {
        sc_pow(grp, t, out, e);
        sc_mulmod(grp, out, t, K[j]);
    }
    mpz_clears(e, t, NULL);
}
