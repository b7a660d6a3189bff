/* Joint verifiable decryption (spec §3.6.3-3.6.5, eq 84-95) and
 * Verification 10. Each function is one step a guardian, the mediator or a
 * verifier performs; only public values cross machine boundaries. */
#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "elgamal/scalar_ct.h"
#include "proof/internal.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/proof.h"

sc_status sc_lagrange_coeffs(const sc_group *grp, size_t nu, const uint32_t *U,
                             mpz_t *w)
{
    sc_status rc = SC_OK;
    mpz_t num, den, t;
    mpz_inits(num, den, t, NULL);
    SC_ENSURE(grp != NULL && w != NULL && (nu == 0 || U != NULL), SC_E_MISUSE);
    SC_ENSURE(nu >= 1, SC_E_INVALID);
    for (size_t m = 0; m < nu; m++) {
        SC_ENSURE(U[m] >= 1 && U[m] < (1u << 31), SC_E_INVALID);
        SC_ENSURE(m == 0 || U[m - 1] < U[m], SC_E_INVALID);
    }
    /* Distinct indices below 2^31 < q in the real group; in the toy groups
     * an index may be a multiple of q: then l - i can vanish mod q. */
    for (size_t m = 0; m < nu; m++) {
        /* eq 85: w_i = prod_{l in U \ {i}} l / (l - i) mod q */
        mpz_set_ui(num, 1);
        mpz_set_ui(den, 1);
        for (size_t j = 0; j < nu; j++) {
            if (j == m) {
                continue;
            }
            mpz_mul_ui(num, num, U[j]);
            mpz_set_si(t, (long)U[j] - (long)U[m]);
            mpz_mul(den, den, t);
            mpz_mod(num, num, grp->q);
            mpz_mod(den, den, grp->q);
        }
        SC_ENSURE(mpz_invert(t, den, grp->q) != 0, SC_E_INVALID);
        mpz_mul(w[m], num, t);
        mpz_mod(w[m], w[m], grp->q);
    }
done:
    mpz_clears(num, den, t, NULL);
    return rc;
}

void sc_partial_decrypt(const sc_group *grp, mpz_t M_i, const mpz_t A,
                        const mpz_t z_i)
{
    sc_pow_secret(grp, M_i, A, z_i); /* eq 84 */
    sc_ct_mpz_public(M_i);           /* published */
}

void sc_dec_commit(const sc_group *grp, const mpz_t A, sc_rng *rng, mpz_t u_i,
                   mpz_t a_i, mpz_t b_i)
{
    sc_rng_scalar(rng, grp, u_i);
    sc_fb_pow_secret(grp->g_fb, a_i, u_i); /* eq 87 */
    sc_pow_secret(grp, b_i, A, u_i);
    sc_ct_mpz_public(a_i); /* published (eq 88 commits to them) */
    sc_ct_mpz_public(b_i);
}

void sc_partial_decrypt_many(const sc_group *grp, mpz_t *M, size_t n,
                             const mpz_t *A, const mpz_t *z)
{
    sc_pow_secret_many(grp, M, n, A, z); /* eq 84 */
    for (size_t k = 0; k < n; k++) {
        sc_ct_mpz_public(M[k]); /* published */
    }
}

void sc_dec_commit_many(const sc_group *grp, size_t n, const mpz_t *A,
                        sc_rng *rng, mpz_t *u, mpz_t *a, mpz_t *b)
{
    for (size_t k = 0; k < n; k++) {
        sc_rng_scalar(rng, grp, u[k]);
        sc_fb_pow_secret(grp->g_fb, a[k], u[k]); /* eq 87 */
    }
    sc_pow_secret_many(grp, b, n, A, (const mpz_t *)u);
    for (size_t k = 0; k < n; k++) {
        sc_ct_mpz_public(a[k]); /* published (eq 88 commits to them) */
        sc_ct_mpz_public(b[k]);
    }
}

void sc_dec_commit_hash(const sc_group *grp, const uint8_t he[32],
                        uint32_t ind_c, uint32_t ind_o, uint32_t i,
                        const mpz_t A, const mpz_t B, const mpz_t a_i,
                        const mpz_t b_i, const mpz_t M_i, size_t nu,
                        const uint32_t *U, uint8_t d_i[32])
{
    sc_eg_decrypt_commit(grp, he, ind_c, ind_o, i, A, B, a_i, b_i, M_i, nu, U,
                         d_i); /* eq 88 */
}

sc_status sc_dec_reveal_members(const sc_group *grp, const mpz_t a_i,
                                const mpz_t b_i, const mpz_t M_i)
{
    mpz_t xs[3]; /* shallow views */
    xs[0][0] = a_i[0];
    xs[1][0] = b_i[0];
    xs[2][0] = M_i[0];
    return sc_subgroup_check_batch(grp, 3, (const mpz_t *)xs, NULL, NULL);
}

void sc_dec_pow2(const sc_group *grp, mpz_t out, const mpz_t x, const mpz_t e,
                 const mpz_t y, const mpz_t f)
{
    mpz_t bases[2], exps[2]; /* shallow views, read only */
    bases[0][0] = x[0];
    bases[1][0] = y[0];
    exps[0][0] = e[0];
    exps[1][0] = f[0];
    sc_multi_pow(grp, out, 2, (const mpz_t *)bases, (const mpz_t *)exps);
}

sc_status sc_dec_commit_check(const sc_group *grp, const uint8_t he[32],
                              uint32_t ind_c, uint32_t ind_o, uint32_t i,
                              const mpz_t A, const mpz_t B, const mpz_t a_i,
                              const mpz_t b_i, const mpz_t M_i, size_t nu,
                              const uint32_t *U, const uint8_t d_i[32])
{
    uint8_t d[32];
    if (grp == NULL || he == NULL || d_i == NULL) {
        return SC_E_MISUSE;
    }
    sc_status rc = sc_dec_reveal_members(grp, a_i, b_i, M_i);
    if (rc != SC_OK) {
        return rc;
    }
    sc_dec_commit_hash(grp, he, ind_c, ind_o, i, A, B, a_i, b_i, M_i, nu, U, d);
    return sc_ct_eq(d, d_i, 32) ? SC_OK : SC_E_VERIFY;
}

void sc_dec_combine_M(const sc_group *grp, mpz_t M, size_t nu, const mpz_t *M_i,
                      const mpz_t *w)
{
    sc_multi_pow(grp, M, nu, M_i, w); /* eq 86 */
}

void sc_dec_accumulate(const sc_group *grp, mpz_t a, mpz_t b, size_t nu,
                       const mpz_t *a_i, const mpz_t *b_i)
{
    mpz_set_ui(a, 1);
    mpz_set_ui(b, 1);
    for (size_t m = 0; m < nu; m++) { /* eq 89 */
        sc_mulmod(grp, a, a, a_i[m]);
        sc_mulmod(grp, b, b, b_i[m]);
    }
}

void sc_dec_challenge(const sc_group *grp, const uint8_t he[32], uint32_t ind_c,
                      uint32_t ind_o, const mpz_t A, const mpz_t B,
                      const mpz_t a, const mpz_t b, const mpz_t M, mpz_t c)
{
    sc_eg_decrypt_challenge(grp, he, ind_c, ind_o, A, B, a, b, M,
                            c); /* eq 90 */
}

void sc_dec_response(const sc_group *grp, mpz_t v_i, mpz_t c_i, const mpz_t c,
                     const mpz_t w_i, const mpz_t u_i, const mpz_t z_i)
{
    mpz_t ci;
    mpz_init(ci);
    mpz_mul(ci, c, w_i); /* eq 91 (public) */
    mpz_mod(ci, ci, grp->q);
    if (sc_ct_mpz_mulsub(grp, v_i, u_i, ci, z_i) != SC_OK) { /* eq 92 */
        /* u_i or z_i out of range: a response that cannot verify */
        mpz_set(v_i, grp->q);
    }
    sc_ct_mpz_public(v_i); /* published */
    if (c_i != NULL) {
        mpz_set(c_i, ci);
    }
    mpz_clear(ci);
}

void sc_dec_combine_v(const sc_group *grp, mpz_t v, size_t nu, const mpz_t *v_i)
{
    mpz_set_ui(v, 0);
    for (size_t m = 0; m < nu; m++) { /* eq 93 */
        mpz_add(v, v, v_i[m]);
    }
    mpz_mod(v, v, grp->q);
}

void sc_share_pubkey(const sc_group *grp, mpz_t out, uint32_t n, uint32_t k,
                     const mpz_t *Kjm, uint32_t i)
{
    /* prod_j prod_m K_j,m^(i^m) = prod_m (prod_j K_j,m)^(i^m): multiply
     * the columns, then evaluate at i like a single commitment (eq 14). */
    mpz_t *col = malloc((size_t)k * sizeof(mpz_t));
    if (col == NULL) {
        abort(); /* GMP aborts on allocation failure as well */
    }
    for (uint32_t m = 0; m < k; m++) {
        mpz_init_set_ui(col[m], 1);
        for (uint32_t j = 0; j < n; j++) {
            sc_mulmod(grp, col[m], col[m], Kjm[(size_t)j * k + m]);
        }
    }
    sc_poly_commit_eval(grp, out, k, (const mpz_t *)col, i);
    for (uint32_t m = 0; m < k; m++) {
        mpz_clear(col[m]);
    }
    free(col);
}

sc_status sc_dec_response_check(const sc_group *grp, const mpz_t Ki,
                                const mpz_t A, const mpz_t M_i, const mpz_t c,
                                const mpz_t w_i, const mpz_t v_i,
                                const mpz_t a_i, const mpz_t b_i)
{
    sc_status rc = SC_OK;
    mpz_t ci, x;
    mpz_inits(ci, x, NULL);
    SC_ENSURE(grp != NULL, SC_E_MISUSE);
    SC_ENSURE(sc_scalar_in_range(grp, v_i) && sc_scalar_in_range(grp, c) &&
                  sc_scalar_in_range(grp, w_i),
              SC_E_INVALID_RANGE);
    mpz_mul(ci, c, w_i);
    mpz_mod(ci, ci, grp->q);
    /* eq 94: a'_i = (g^P(i))^c_i g^v_i */
    mpz_set(x, Ki);
    sc_fb_vb_pow2(grp->g_fb, v_i, NULL, x, ci);
    SC_ENSURE(mpz_cmp(x, a_i) == 0, SC_E_VERIFY);
    /* eq 95: b'_i = A^v_i M_i^c_i (one multi-exponentiation) */
    sc_dec_pow2(grp, x, A, v_i, M_i, ci);
    SC_ENSURE(mpz_cmp(x, b_i) == 0, SC_E_VERIFY);
done:
    mpz_clears(ci, x, NULL);
    return rc;
}

sc_status sc_dec_proof_verify(const sc_elgamal_key *pk, const uint8_t he[32],
                              uint32_t ind_c, uint32_t ind_o,
                              const sc_ciphertext *AB, const mpz_t T,
                              uint64_t t, const mpz_t c, const mpz_t v,
                              int check_members)
{
    sc_status rc = SC_OK;
    const sc_group *grp;
    mpz_t M, a, b, x, cc, tt;
    mpz_inits(M, a, b, x, cc, tt, NULL);
    SC_ENSURE(pk != NULL && he != NULL && AB != NULL, SC_E_MISUSE);
    grp = pk->grp;
    /* 10.A (and c in Z_q, so that the comparison in 10.B is exact) */
    SC_ENSURE(sc_scalar_in_range(grp, v) && sc_scalar_in_range(grp, c),
              SC_E_INVALID_RANGE);
    if (check_members) {
        SC_ENSURE(sc_ciphertext_is_member(grp, AB) && sc_elem_is_member(grp, T),
                  SC_E_INVALID_NOT_IN_SUBGROUP);
    } else {
        SC_ENSURE(mpz_sgn(T) > 0 && mpz_cmp(T, grp->p) < 0, SC_E_INVALID_RANGE);
    }
    /* 10.C: T = K^t (t < 2^64 <= q in the real group; reduce for toys) */
    mpz_import(tt, 1, -1, sizeof t, 0, 0, &t);
    sc_pow(grp, x, pk->K, tt);
    SC_ENSURE(mpz_cmp(x, T) == 0, SC_E_VERIFY);
    /* 10.1: M = B T^-1 */
    SC_CHECK(sc_invmod(grp, x, T));
    sc_mulmod(grp, M, AB->beta, x);
    /* 10.2: a = g^v K^c */
    sc_fb_pow(grp->g_fb, a, v);
    sc_fb_pow(pk->K_fb, x, c);
    sc_mulmod(grp, a, a, x);
    /* 10.3: b = A^v M^c */
    sc_dec_pow2(grp, b, AB->alpha, v, M, c);
    /* 10.B */
    sc_dec_challenge(grp, he, ind_c, ind_o, AB->alpha, AB->beta, a, b, M, cc);
    SC_ENSURE(mpz_cmp(cc, c) == 0, SC_E_VERIFY);
done:
    mpz_clears(M, a, b, x, cc, tt, NULL);
    return rc;
}
