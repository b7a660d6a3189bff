/* Baseline exponentiation engine on plain GMP (mpz_powm / mpz_powm_sec).
 * Correct and simple; the fast engine replaces these definitions. */
#include <stdlib.h>

#include "scrutin/arith.h"
#include "scrutin/rng.h"

struct sc_arith {
    int unused;
};

struct sc_fb {
    const sc_group *grp;
    mpz_t base;
};

struct sc_vb {
    const sc_group *grp;
    mpz_t base;
};

struct sc_dlog {
    const sc_group *grp;
    mpz_t base;
    uint64_t max_t;
};

sc_status sc_arith_new(struct sc_arith **out, const sc_group *grp)
{
    (void)grp;
    *out = calloc(1, sizeof **out);
    return *out ? SC_OK : SC_E_NOMEM;
}

void sc_arith_free(struct sc_arith *ar)
{
    free(ar);
}

void sc_mulmod(const sc_group *grp, mpz_t out, const mpz_t a, const mpz_t b)
{
    mpz_mul(out, a, b);
    mpz_mod(out, out, grp->p);
}

sc_status sc_invmod(const sc_group *grp, mpz_t out, const mpz_t a)
{
    return mpz_invert(out, a, grp->p) ? SC_OK : SC_E_INVALID;
}

void sc_pow(const sc_group *grp, mpz_t out, const mpz_t b, const mpz_t e)
{
    mpz_powm(out, b, e, grp->p);
}

void sc_pow_secret(const sc_group *grp, mpz_t out, const mpz_t b,
                   const mpz_t e)
{
    /* mpz_powm_sec needs e > 0 and is constant time only for same-size
     * exponents: use e + 2q (< 3q, same limb count for every e < q); b has
     * order q so the result is unchanged. */
    mpz_t e2;
    mpz_init(e2);
    mpz_addmul_ui(e2, grp->q, 2);
    mpz_add(e2, e2, e);
    mpz_powm_sec(out, b, e2, grp->p);
    sc_mpz_wipe(e2);
    mpz_clear(e2);
}

sc_status sc_fb_new(sc_fb **out, const sc_group *grp, const mpz_t base)
{
    sc_fb *fb = calloc(1, sizeof *fb);
    *out = NULL;
    if (fb == NULL) {
        return SC_E_NOMEM;
    }
    fb->grp = grp;
    mpz_init_set(fb->base, base);
    *out = fb;
    return SC_OK;
}

void sc_fb_free(sc_fb *fb)
{
    if (fb != NULL) {
        mpz_clear(fb->base);
        free(fb);
    }
}

const sc_group *sc_fb_group(const sc_fb *fb)
{
    return fb->grp;
}

void sc_fb_pow(const sc_fb *fb, mpz_t out, const mpz_t e)
{
    sc_pow(fb->grp, out, fb->base, e);
}

void sc_fb_pow_secret(const sc_fb *fb, mpz_t out, const mpz_t e)
{
    sc_pow_secret(fb->grp, out, fb->base, e);
}

sc_status sc_vb_new(sc_vb **out, const sc_group *grp, const mpz_t base)
{
    sc_vb *vb = calloc(1, sizeof *vb);
    *out = NULL;
    if (vb == NULL) {
        return SC_E_NOMEM;
    }
    vb->grp = grp;
    mpz_init_set(vb->base, base);
    *out = vb;
    return SC_OK;
}

void sc_vb_free(sc_vb *vb)
{
    if (vb != NULL) {
        mpz_clear(vb->base);
        free(vb);
    }
}

void sc_vb_pow(const sc_vb *vb, mpz_t out, const mpz_t e)
{
    sc_pow(vb->grp, out, vb->base, e);
}

void sc_multi_pow(const sc_group *grp, mpz_t out, size_t n,
                  const mpz_t *bases, const mpz_t *exps)
{
    mpz_t t;
    mpz_init(t);
    mpz_set_ui(out, 1);
    for (size_t i = 0; i < n; i++) {
        sc_pow(grp, t, bases[i], exps[i]);
        sc_mulmod(grp, out, out, t);
    }
    mpz_clear(t);
}

void sc_fb_vb_pow2(const sc_fb *fb, const mpz_t e1, const sc_vb *vb,
                   mpz_t out, const mpz_t e2)
{
    mpz_t t;
    mpz_init(t);
    sc_fb_pow(fb, out, e1);
    sc_vb_pow(vb, t, e2);
    sc_mulmod(fb->grp, out, out, t);
    mpz_clear(t);
}

sc_status sc_subgroup_check_batch(const sc_group *grp, size_t n,
                                  const mpz_t *xs, struct sc_rng *rng,
                                  size_t *bad)
{
    (void)rng;
    for (size_t i = 0; i < n; i++) {
        if (!sc_elem_is_member(grp, xs[i])) {
            if (bad != NULL) {
                *bad = i;
            }
            return SC_E_INVALID_NOT_IN_SUBGROUP;
        }
    }
    return SC_OK;
}

sc_status sc_dlog_new(sc_dlog **out, const sc_group *grp, const mpz_t base,
                      uint64_t max_t)
{
    sc_dlog *dl = calloc(1, sizeof *dl);
    *out = NULL;
    if (dl == NULL) {
        return SC_E_NOMEM;
    }
    dl->grp = grp;
    mpz_init_set(dl->base, base);
    dl->max_t = max_t;
    *out = dl;
    return SC_OK;
}

void sc_dlog_free(sc_dlog *dl)
{
    if (dl != NULL) {
        mpz_clear(dl->base);
        free(dl);
    }
}

sc_status sc_dlog_find(const sc_dlog *dl, uint64_t *t, const mpz_t y)
{
    mpz_t acc;
    mpz_init_set_ui(acc, 1);
    for (uint64_t i = 0; i <= dl->max_t; i++) {
        if (mpz_cmp(acc, y) == 0) {
            *t = i;
            mpz_clear(acc);
            return SC_OK;
        }
        sc_mulmod(dl->grp, acc, acc, dl->base);
    }
    mpz_clear(acc);
    return SC_E_RANGE;
}
