/* Running products mod p (vcommon.h): V9's per-worker Π α and Π β
 * (2.1 eq 79-80).
 *
 * sc_mulmod per factor takes both operands into the kernel's radix-2^52
 * form, makes two kernel products (a b / R', then times R'^2 / R' to undo
 * the division) and converts the result back. Here a product stays in
 * the digits between factors: each factor, converted plain, costs one
 * kernel product, which divides by R' once more; the count k of factors
 * taken says how many, and reading the product multiplies by R'^k mod p.
 * Without the kernel, mpz and sc_mulmod. */
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"
#include "verify/common/vcommon.h"

sc_status vc_prods_init(vc_prods *p, const sc_group *grp, size_t n)
{
    const sc_mont *m = sc_grp_mont(grp);
    memset(p, 0, sizeof *p);
    p->grp = grp;
    p->n = n;
    if (m->ifma) {
        p->d = calloc(n ? n : 1, (size_t)m->nd52 * sizeof *p->d);
        p->k = calloc(n ? n : 1, sizeof *p->k);
        if (p->d == NULL || p->k == NULL) {
            vc_prods_free(p);
            return SC_E_NOMEM;
        }
    } else {
        p->z = vc_mpz_array(n, 1);
        if (p->z == NULL) {
            vc_prods_free(p);
            return SC_E_NOMEM;
        }
    }
    vc_prods_reset(p);
    return SC_OK;
}

void vc_prods_reset(vc_prods *p)
{
    if (p->d != NULL) {
        const size_t nd = (size_t)sc_grp_mont(p->grp)->nd52;
        memset(p->d, 0, p->n * nd * sizeof *p->d);
        for (size_t i = 0; i < p->n; i++) {
            p->d[i * nd] = 1; /* plain 1, k = 0 */
            p->k[i] = 0;
        }
    } else {
        for (size_t i = 0; i < p->n; i++) {
            mpz_set_ui(p->z[i], 1);
        }
    }
}

void vc_prods_mul(vc_prods *p, size_t i, const mpz_t x)
{
    if (p->d == NULL) {
        sc_mulmod(p->grp, p->z[i], p->z[i], x);
        return;
    }
    const sc_mont *m = sc_grp_mont(p->grp);
    uint64_t *d = p->d + i * (size_t)m->nd52;
    uint64_t x52[SC_IFMA_MAXD];
    if (mpz_sgn(x) >= 0 && mpz_cmp(x, p->grp->p) < 0) {
        sc_ifma_from_mpz(m, x52, x);
    } else { /* as sc_mulmod: any x, reduced mod p */
        mpz_t t;
        mpz_init(t);
        mpz_mod(t, x, p->grp->p);
        sc_ifma_from_mpz(m, x52, t);
        mpz_clear(t);
    }
    sc_ifma_mul(m, d, d, x52); /* d x / R', < 2p */
    p->k[i]++;
}

void vc_prods_get(const vc_prods *p, size_t i, mpz_t out)
{
    if (p->d == NULL) {
        mpz_set(out, p->z[i]);
        return;
    }
    const sc_mont *m = sc_grp_mont(p->grp);
    /* out = d R'^k mod p: R' mod p is one52's value */
    mpz_t rk, e;
    mpz_inits(rk, e, NULL);
    sc_ifma_plain_mpz(m, rk, m->one52);
    mpz_set_ui(e, p->k[i]);
    sc_pow(p->grp, rk, rk, e);
    sc_ifma_plain_mpz(m, out, p->d + i * (size_t)m->nd52);
    sc_mulmod(p->grp, out, out, rk);
    mpz_clears(rk, e, NULL);
}

void vc_prods_free(vc_prods *p)
{
    free(p->d);
    free(p->k);
    vc_mpz_array_free(p->z, p->n);
    p->d = NULL;
    p->k = NULL;
    p->z = NULL;
}
