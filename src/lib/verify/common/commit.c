/* Proof commitments recomputed from compact proofs, for both verifiers
 * (vcommon.h). No hashing here: the challenge over these commitments is
 * each version's own (2.1: scrutin/eghash.h, 2.0: verify20/eghash20.c).
 * g and K use their fixed-base tables; a variable base used with several
 * exponents shares its squarings (vpow.c) or one window table. */
#include <stdlib.h>
#include <string.h>

#include "verify/common/vcommon.h"

sc_status vc_range_commitments(const sc_group *grp, const sc_fb *K_fb,
                               const mpz_t x, const mpz_t y, size_t n,
                               const mpz_t *c, const mpz_t *v,
                               const vc_chains *ch, size_t bx, mpz_t **pa,
                               mpz_t **pb, mpz_t csum)
{
    sc_status rc = SC_OK;
    /* Room for the widest value each will hold, so that GMP allocates
     * each once (a reallocation costs an allocation, a copy and a wipe):
     * a_j, b_j an element of n limbs (the engine writes that many), w up
     * to j c_j. */
    const mp_bitcnt_t pbits = (mp_bitcnt_t)mpz_size(grp->p) * GMP_NUMB_BITS;
    const mp_bitcnt_t wbits =
        (mp_bitcnt_t)(mpz_size(grp->q) + 2) * GMP_NUMB_BITS;
    mpz_t *a = vc_mpz_array_room(n, pbits), *b = vc_mpz_array_room(n, pbits);
    sc_vb *vx = NULL, *vy = NULL;
    mpz_t w;
    mpz_init2(w, wbits);
    if (a == NULL || b == NULL) {
        rc = SC_E_NOMEM;
        goto done;
    }
    if (n < 2 &&
        (sc_vb_new(&vx, grp, x) != SC_OK || sc_vb_new(&vy, grp, y) != SC_OK)) {
        rc = SC_E_NOMEM;
        goto done;
    }
    if (csum != NULL) {
        mpz_set_ui(csum, 0);
    }
    for (size_t j = 0; j < n; j++) {
        /* w_j = (v_j − j c_j) mod q */
        mpz_mul_ui(w, c[j], (unsigned long)j);
        mpz_sub(w, v[j], w);
        mpz_mod(w, w, grp->q);
        if (n >= 2) {
            /* g^v_j and K^w_j here; x^c_j and y^c_j multiplied in below */
            sc_fb_pow(grp->g_fb, a[j], v[j]);
            sc_fb_pow(K_fb, b[j], w);
        } else {
            sc_fb_vb_pow2(grp->g_fb, v[j], vx, a[j], c[j]);
            sc_fb_vb_pow2(K_fb, w, vy, b[j], c[j]);
        }
        if (csum != NULL) {
            mpz_add(csum, csum, c[j]);
        }
    }
    if (n >= 2) {
        /* a_j = g^v_j · x^c_j; b_j = K^w_j · y^c_j (2.1: 6.1-6.2 and
         * 7.3-7.4; 2.0: 5.1-5.2 and 6.3-6.4): x^c_j and y^c_j for every j, each
         * base's squarings shared by its n exponents (vpow.c), from chains made
         * beforehand when ch has them (bases bx and bx + 1), each multiplied in
         * while still in the engine's form. */
        vc_pow_many_chain_mul(grp, a, x, ch, bx, n, c);
        vc_pow_many_chain_mul(grp, b, y, ch, bx + 1, n, c);
    }
    if (csum != NULL) {
        mpz_mod(csum, csum, grp->q);
    }
done:
    if (rc != SC_OK) {
        vc_mpz_array_free(a, n);
        vc_mpz_array_free(b, n);
        a = b = NULL;
    }
    *pa = a;
    *pb = b;
    sc_vb_free(vx);
    sc_vb_free(vy);
    mpz_clear(w);
    return rc;
}

void vc_cp_commitments(const sc_group *grp, const sc_fb *K_fb, const mpz_t X,
                       const mpz_t Y, const mpz_t c, const mpz_t v, mpz_t a,
                       mpz_t b)
{
    mpz_t t;
    mpz_t bases[2];
    mpz_t exps[2];
    mpz_init(t);
    /* a = g^v · K^c: two fixed-base tables */
    sc_fb_pow(grp->g_fb, a, v);
    sc_fb_pow(K_fb, t, c);
    sc_mulmod(grp, a, a, t);
    /* b = X^v · Y^c: one simultaneous exponentiation (shallow copies) */
    memcpy(&bases[0], X, sizeof(mpz_t));
    memcpy(&bases[1], Y, sizeof(mpz_t));
    memcpy(&exps[0], v, sizeof(mpz_t));
    memcpy(&exps[1], c, sizeof(mpz_t));
    sc_multi_pow(grp, b, 2, (const mpz_t *)bases, (const mpz_t *)exps);
    mpz_clear(t);
}

void vc_schnorr_commitment(const sc_group *grp, const mpz_t v, const mpz_t X,
                           const mpz_t c, mpz_t h)
{
    /* sc_fb_vb_pow2 with no window table takes the variable base in its
     * output argument (arith.h) */
    if (h != X) {
        mpz_set(h, X);
    }
    sc_fb_vb_pow2(grp->g_fb, v, NULL, h, c);
}

sc_status vc_quotient(const sc_group *grp, mpz_t M, const mpz_t B,
                      const mpz_t T)
{
    mpz_t t;
    mpz_init(t);
    sc_status rc = sc_invmod(grp, t, T);
    if (rc == SC_OK) {
        sc_mulmod(grp, M, B, t);
    }
    mpz_clear(t);
    return rc;
}
