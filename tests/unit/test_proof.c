/* Zero-knowledge proofs: guardian key proof (eq 10-13, V2), range and
 * limit proofs (eq 57-62, V6, V7), joint decryption (eq 84-95, V10).
 * Honest proofs verify; every single-field change fails; malformed values
 * are rejected. Seeded (t_rng; replay with SC_TEST_SEED). */
#include "testlib.h"

#include <string.h>

#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/proof.h"

/* a changed challenge collides with probability 1/q: tamper assertions run
 * on groups with q >= 2^32 only */
#define STRONG(g) ((g)->qbits >= 32)

static sc_elgamal_key *keypair(const sc_group *g, sc_rng *rng, mpz_t s)
{
    mpz_t K;
    mpz_init(K);
    sc_elgamal_key *key = NULL;
    do {
        sc_rng_scalar_nonzero(rng, g, s);
        mpz_powm(K, g->g, s, g->p);
    } while (mpz_cmp_ui(K, 1) == 0);
    assert_int_equal(sc_elgamal_key_new(&key, g, K), SC_OK);
    mpz_clear(K);
    return key;
}

/* x -> x * g mod p: another member of Z_p^r. */
static void bump_elem(const sc_group *g, mpz_t x)
{
    mpz_mul(x, x, g->g);
    mpz_mod(x, x, g->p);
}

static void bump_scalar(const sc_group *g, mpz_t x)
{
    mpz_add_ui(x, x, 1);
    mpz_mod(x, x, g->q);
}

/* ---------------------------------------------------------------- V2 */

static void guardian_proof(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(10);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    uint8_t hp[32];
    for (size_t gi = 0; gi < 2; gi++) {
        sc_group *g = t_group(ids[gi]);
        for (uint32_t k = 1; k <= 4; k++) {
            if (ids[gi] == SC_GROUP_STANDARD && k != 3) {
                continue;
            }
            sc_eg_param_base_hash(g, 5, k, hp);
            mpz_t a[4], K[4], zeta, kappa, save;
            mpz_inits(zeta, kappa, save, NULL);
            for (uint32_t j = 0; j < k; j++) {
                mpz_inits(a[j], K[j], NULL);
                sc_rng_scalar(rng, g, a[j]);
                mpz_powm(K[j], g->g, a[j], g->p);
            }
            sc_rng_scalar(rng, g, zeta);
            mpz_powm(kappa, g->g, zeta, g->p);
            for (int label = 0; label <= 1; label++) {
                sc_guardian_proof pf;
                assert_int_equal(sc_guardian_proof_init(&pf, k), SC_OK);
                assert_int_equal(sc_guardian_proof_prove(g, hp, label, 2, k, a,
                                                         K, zeta, kappa, rng,
                                                         &pf),
                                 SC_OK);
                assert_int_equal(
                    sc_guardian_proof_verify(g, hp, label, 2, k, K, kappa, &pf),
                    SC_OK);
                /* every single field */
                assert_int_equal(sc_guardian_proof_verify(g, hp, 1 - label, 2,
                                                          k, K, kappa, &pf),
                                 SC_E_VERIFY);
                assert_int_equal(
                    sc_guardian_proof_verify(g, hp, label, 3, k, K, kappa, &pf),
                    SC_E_VERIFY);
                hp[7] ^= 4;
                assert_int_equal(
                    sc_guardian_proof_verify(g, hp, label, 2, k, K, kappa, &pf),
                    SC_E_VERIFY);
                hp[7] ^= 4;
                mpz_set(save, pf.c);
                bump_scalar(g, pf.c);
                assert_int_equal(
                    sc_guardian_proof_verify(g, hp, label, 2, k, K, kappa, &pf),
                    SC_E_VERIFY);
                mpz_add(pf.c, save, g->q); /* same mod q, out of range */
                assert_int_equal(
                    sc_guardian_proof_verify(g, hp, label, 2, k, K, kappa, &pf),
                    SC_E_INVALID_RANGE);
                mpz_set(pf.c, save);
                for (uint32_t j = 0; j <= k; j++) {
                    mpz_set(save, pf.v[j]);
                    bump_scalar(g, pf.v[j]);
                    assert_int_equal(sc_guardian_proof_verify(g, hp, label, 2,
                                                              k, K, kappa, &pf),
                                     SC_E_VERIFY);
                    mpz_add(pf.v[j], save, g->q);
                    assert_int_equal(sc_guardian_proof_verify(g, hp, label, 2,
                                                              k, K, kappa, &pf),
                                     SC_E_INVALID_RANGE);
                    mpz_set(pf.v[j], save);
                }
                for (uint32_t j = 0; j <= k; j++) {
                    mpz_ptr e = j < k ? K[j] : kappa;
                    mpz_set(save, e);
                    bump_elem(g, e);
                    assert_int_equal(sc_guardian_proof_verify(g, hp, label, 2,
                                                              k, K, kappa, &pf),
                                     SC_E_VERIFY);
                    /* 2.A: non-members */
                    const unsigned long bad[] = {0, 1};
                    for (int b = 0; b < 4; b++) {
                        if (b < 2) {
                            mpz_set_ui(e, bad[b]);
                        } else if (b == 2) {
                            mpz_sub_ui(e, g->p, 1);
                        } else {
                            mpz_set(e, g->p);
                        }
                        sc_status rc = sc_guardian_proof_verify(
                            g, hp, label, 2, k, K, kappa, &pf);
                        assert_int_not_equal(rc, SC_OK);
                        if (b != 1) { /* 1 is a member; the proof fails */
                            assert_int_equal(SC_STATUS_CLASS(rc), SC_E_INVALID);
                        }
                    }
                    mpz_set(e, save);
                }
                assert_int_equal(
                    sc_guardian_proof_verify(g, hp, label, 2, k, K, kappa, &pf),
                    SC_OK);
                sc_guardian_proof_clear(&pf);
            }
            /* eq 14: g^P(x) from the commitments */
            for (uint32_t x = 1; x <= 6; x++) {
                mpz_t px, e, want, got;
                mpz_inits(px, e, want, got, NULL);
                for (uint32_t j = k; j-- > 0;) {
                    mpz_mul_ui(px, px, x);
                    mpz_add(px, px, a[j]);
                }
                mpz_mod(px, px, g->q);
                mpz_powm(want, g->g, px, g->p);
                sc_poly_commit_eval(g, got, k, K, x);
                assert_int_equal(mpz_cmp(want, got), 0);
                mpz_clears(px, e, want, got, NULL);
            }
            for (uint32_t j = 0; j < k; j++) {
                mpz_clears(a[j], K[j], NULL);
            }
            mpz_clears(zeta, kappa, save, NULL);
        }
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* ---------------------------------------------------------------- V6 */

static void range_tamper(const sc_group *g, const sc_elgamal_key *pk,
                         const sc_range_ctx *ctx, sc_ciphertext *ct,
                         sc_range_proof *pf)
{
    mpz_t save;
    mpz_init(save);
    assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1), SC_OK);
    for (uint32_t j = 0; j <= pf->R; j++) {
        mpz_ptr fs[2] = {pf->c[j], pf->v[j]};
        for (int f = 0; f < 2; f++) {
            mpz_set(save, fs[f]);
            bump_scalar(g, fs[f]);
            assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1),
                             SC_E_VERIFY);
            mpz_add(fs[f], save, g->q); /* 6.B / 6.C */
            assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1),
                             SC_E_INVALID_RANGE);
            mpz_set(fs[f], save);
        }
    }
    mpz_set(save, pf->c_total);
    bump_scalar(g, pf->c_total);
    assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1), SC_E_VERIFY);
    mpz_set(pf->c_total, save);
    /* swapping two challenges keeps the sum but breaks the proof */
    if (pf->R >= 1) {
        mpz_swap(pf->c[0], pf->c[1]);
        assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1),
                         SC_E_VERIFY);
        mpz_swap(pf->c[0], pf->c[1]);
    }
    mpz_ptr es[2] = {ct->alpha, ct->beta};
    for (int f = 0; f < 2; f++) {
        mpz_set(save, es[f]);
        bump_elem(g, es[f]);
        assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1),
                         SC_E_VERIFY);
        /* 6.A */
        mpz_set_ui(es[f], 0);
        assert_int_not_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1), SC_OK);
        assert_int_not_equal(sc_range_proof_verify(pk, ctx, ct, pf, 0), SC_OK);
        mpz_sub_ui(es[f], g->p, 1);
        assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1),
                         SC_E_INVALID_NOT_IN_SUBGROUP);
        mpz_set(es[f], g->p);
        assert_int_not_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1), SC_OK);
        assert_int_not_equal(sc_range_proof_verify(pk, ctx, ct, pf, 0), SC_OK);
        mpz_set_ui(es[f], 1);
        assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1),
                         SC_E_VERIFY);
        mpz_set(es[f], save);
    }
    sc_range_ctx c2 = *ctx;
    c2.ind_c++;
    assert_int_equal(sc_range_proof_verify(pk, &c2, ct, pf, 1), SC_E_VERIFY);
    c2 = *ctx;
    c2.ind_o++;
    if (ctx->has_option) {
        assert_int_equal(sc_range_proof_verify(pk, &c2, ct, pf, 1),
                         SC_E_VERIFY);
    }
    c2 = *ctx;
    c2.has_option = !ctx->has_option;
    assert_int_equal(sc_range_proof_verify(pk, &c2, ct, pf, 1), SC_E_VERIFY);
    uint8_t hi2[32];
    memcpy(hi2, ctx->hi, 32);
    hi2[31] ^= 0x80;
    c2 = *ctx;
    c2.hi = hi2;
    assert_int_equal(sc_range_proof_verify(pk, &c2, ct, pf, 1), SC_E_VERIFY);
    assert_int_equal(sc_range_proof_verify(pk, ctx, ct, pf, 1), SC_OK);
    mpz_clear(save);
}

static void range_proofs(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(57);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q7, SC_GROUP_TOY_Q32,
                               SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    mpz_t s, xi;
    mpz_inits(s, xi, NULL);
    uint8_t hi[32];
    for (size_t gi = 0; gi < 4; gi++) {
        sc_group *g = t_group(ids[gi]);
        int std = ids[gi] == SC_GROUP_STANDARD;
        sc_elgamal_key *pk = keypair(g, rng, s);
        sc_rng_bytes(rng, hi, 32);
        const uint32_t Rs[] = {0, 1, 2, 3, 5};
        for (size_t ri = 0; ri < 5; ri++) {
            uint32_t R = Rs[ri];
            if (std && R > 2) {
                continue;
            }
            for (uint32_t ell = 0; ell <= R; ell++) {
                sc_ciphertext ct;
                sc_ciphertext_init(&ct);
                sc_rng_scalar(rng, g, xi);
                assert_int_equal(sc_elgamal_encrypt_u64(pk, &ct, ell, xi),
                                 SC_OK);
                sc_range_proof pf;
                assert_int_equal(sc_range_proof_init(&pf, R), SC_OK);
                sc_range_ctx ctx = {hi, 3, 1, 4 + ell};
                assert_int_equal(
                    sc_range_proof_prove(pk, &ctx, &ct, xi, ell, rng, &pf),
                    SC_OK);
                assert_int_equal(sc_range_proof_verify(pk, &ctx, &ct, &pf, 1),
                                 SC_OK);
                if (STRONG(g) && (!std || ell == R)) {
                    range_tamper(g, pk, &ctx, &ct, &pf);
                }
                /* the prover refuses ell > R */
                assert_int_equal(
                    sc_range_proof_prove(pk, &ctx, &ct, xi, R + 1, rng, &pf),
                    SC_E_MISUSE);
                sc_range_proof_clear(&pf);
                sc_ciphertext_clear(&ct);
            }
            /* an encryption of R+1 with a proof for a claimed ell <= R */
            if (STRONG(g)) {
                sc_ciphertext ct;
                sc_ciphertext_init(&ct);
                sc_rng_scalar(rng, g, xi);
                assert_int_equal(sc_elgamal_encrypt_u64(pk, &ct, R + 1, xi),
                                 SC_OK);
                sc_range_proof pf;
                assert_int_equal(sc_range_proof_init(&pf, R), SC_OK);
                sc_range_ctx ctx = {hi, 3, 1, 1};
                for (uint32_t lie = 0; lie <= R; lie++) {
                    assert_int_equal(
                        sc_range_proof_prove(pk, &ctx, &ct, xi, lie, rng, &pf),
                        SC_OK);
                    assert_int_equal(
                        sc_range_proof_verify(pk, &ctx, &ct, &pf, 1),
                        SC_E_VERIFY);
                }
                sc_range_proof_clear(&pf);
                sc_ciphertext_clear(&ct);
            }
        }
        sc_elgamal_key_free(pk);
        sc_group_free(g);
    }
    mpz_clears(s, xi, NULL);
    sc_rng_free(rng);
}

/* ---------------------------------------------------------------- V7 */

static void limit_proofs(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(62);
    sc_group *g = t_group(SC_GROUP_TOY_Q64);
    mpz_t s, xis[4];
    mpz_inits(s, xis[0], xis[1], xis[2], xis[3], NULL);
    uint8_t hi[32];
    sc_rng_bytes(rng, hi, 32);
    sc_elgamal_key *pk = keypair(g, rng, s);
    sc_ciphertext cts[4];
    for (int j = 0; j < 4; j++) {
        sc_ciphertext_init(&cts[j]);
    }
    const uint32_t L = 2;
    for (unsigned mask = 0; mask < 16; mask++) {
        uint32_t ell = 0;
        for (int j = 0; j < 4; j++) {
            unsigned sig = (mask >> j) & 1;
            ell += sig;
            sc_rng_scalar(rng, g, xis[j]);
            assert_int_equal(sc_elgamal_encrypt_u64(pk, &cts[j], sig, xis[j]),
                             SC_OK);
        }
        sc_range_proof pf;
        assert_int_equal(sc_range_proof_init(&pf, L), SC_OK);
        uint32_t claim = ell <= L ? ell : L;
        assert_int_equal(sc_limit_proof_prove(pk, hi, 9, 4, cts,
                                              (const mpz_t *)xis, claim, rng,
                                              &pf),
                         SC_OK);
        sc_status want = ell <= L ? SC_OK : SC_E_VERIFY;
        assert_int_equal(sc_limit_proof_verify(pk, hi, 9, 4, cts, &pf, 1),
                         want);
        if (ell <= L) {
            /* it is a proof about the product, bound to ind_c and H_I */
            assert_int_equal(sc_limit_proof_verify(pk, hi, 8, 4, cts, &pf, 1),
                             SC_E_VERIFY);
            assert_int_equal(sc_limit_proof_verify(pk, hi, 9, 3, cts, &pf, 1),
                             SC_E_VERIFY);
            /* 7.A: a non-member among the selections */
            mpz_t save;
            mpz_init_set(save, cts[2].beta);
            mpz_sub_ui(cts[2].beta, g->p, 1);
            assert_int_equal(sc_limit_proof_verify(pk, hi, 9, 4, cts, &pf, 1),
                             SC_E_INVALID_NOT_IN_SUBGROUP);
            mpz_set(cts[2].beta, save);
            mpz_clear(save);
            sc_ciphertext bar;
            sc_ciphertext_init(&bar);
            sc_ciphertext_product(g, &bar, 4, cts);
            sc_range_ctx ctx = {hi, 9, 0, 0};
            range_tamper(g, pk, &ctx, &bar, &pf);
            sc_ciphertext_clear(&bar);
        }
        sc_range_proof_clear(&pf);
    }
    for (int j = 0; j < 4; j++) {
        sc_ciphertext_clear(&cts[j]);
    }
    sc_elgamal_key_free(pk);
    mpz_clears(s, xis[0], xis[1], xis[2], xis[3], NULL);
    sc_group_free(g);
    sc_rng_free(rng);
}

/* ---------------------------------------------------------- eq 85, V10 */

static void lagrange_subsets(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(85);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q16, SC_GROUP_TOY_Q64,
                               SC_GROUP_STANDARD};
    for (size_t gi = 0; gi < 3; gi++) {
        sc_group *g = t_group(ids[gi]);
        const uint32_t n = 6, k = 3;
        mpz_t coef[3], share[6], w[6], acc, t;
        mpz_inits(acc, t, NULL);
        for (uint32_t j = 0; j < k; j++) {
            mpz_init(coef[j]);
            sc_rng_scalar(rng, g, coef[j]);
        }
        for (uint32_t i = 1; i <= n; i++) {
            mpz_inits(share[i - 1], w[i - 1], NULL);
            for (uint32_t j = k; j-- > 0;) {
                mpz_mul_ui(share[i - 1], share[i - 1], i);
                mpz_add(share[i - 1], share[i - 1], coef[j]);
            }
            mpz_mod(share[i - 1], share[i - 1], g->q);
        }
        /* every subset of size >= k reconstructs P(0) (note 3.6) */
        for (unsigned mask = 1; mask < (1u << n); mask++) {
            uint32_t U[6];
            size_t nu = 0;
            for (uint32_t i = 1; i <= n; i++) {
                if (mask & (1u << (i - 1))) {
                    U[nu++] = i;
                }
            }
            if (nu < k) {
                continue;
            }
            assert_int_equal(sc_lagrange_coeffs(g, nu, U, w), SC_OK);
            mpz_set_ui(acc, 0);
            for (size_t m = 0; m < nu; m++) {
                mpz_mul(t, w[m], share[U[m] - 1]);
                mpz_add(acc, acc, t);
            }
            mpz_mod(acc, acc, g->q);
            assert_int_equal(mpz_cmp(acc, coef[0]), 0);
        }
        /* malformed U */
        const uint32_t dup[] = {1, 1, 2}, unsorted[] = {2, 1, 3},
                       zero[] = {0, 1, 2}, big[] = {1, 2, 0x80000000u};
        assert_int_equal(sc_lagrange_coeffs(g, 3, dup, w), SC_E_INVALID);
        assert_int_equal(sc_lagrange_coeffs(g, 3, unsorted, w), SC_E_INVALID);
        assert_int_equal(sc_lagrange_coeffs(g, 3, zero, w), SC_E_INVALID);
        assert_int_equal(sc_lagrange_coeffs(g, 3, big, w), SC_E_INVALID);
        assert_int_equal(sc_lagrange_coeffs(g, 0, dup, w), SC_E_INVALID);
        for (uint32_t j = 0; j < k; j++) {
            mpz_clear(coef[j]);
        }
        for (uint32_t i = 0; i < n; i++) {
            mpz_clears(share[i], w[i], NULL);
        }
        mpz_clears(acc, t, NULL);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

enum { NG = 5, KQ = 3 };

static mpz_t *w_init(mpz_t *w, size_t n)
{
    for (size_t m = 0; m < n; m++) {
        mpz_init(w[m]);
    }
    return w;
}

static void w_clear(mpz_t *w, size_t n)
{
    for (size_t m = 0; m < n; m++) {
        mpz_clear(w[m]);
    }
}

/* A toy key ceremony: guardian polynomials, commitments, shares z_i. */
typedef struct ceremony {
    const sc_group *g;
    mpz_t a[NG][KQ];   /* coefficients a_i,j */
    mpz_t Kc[NG * KQ]; /* K_i,j row-major */
    mpz_t z[NG];       /* z_i = P(i) */
    mpz_t s;           /* sum of a_i,0 (for cross-checks only) */
    sc_elgamal_key *K;
} ceremony;

static void ceremony_init(ceremony *c, const sc_group *g, sc_rng *rng)
{
    c->g = g;
    mpz_t Kp;
    mpz_inits(Kp, c->s, NULL);
    mpz_set_ui(Kp, 1);
    for (int i = 0; i < NG; i++) {
        for (int j = 0; j < KQ; j++) {
            mpz_init(c->a[i][j]);
            mpz_init(c->Kc[i * KQ + j]);
            sc_rng_scalar(rng, g, c->a[i][j]);
            mpz_powm(c->Kc[i * KQ + j], g->g, c->a[i][j], g->p);
        }
        mpz_add(c->s, c->s, c->a[i][0]);
        mpz_mul(Kp, Kp, c->Kc[i * KQ]);
        mpz_mod(Kp, Kp, g->p);
    }
    mpz_mod(c->s, c->s, g->q);
    for (int l = 1; l <= NG; l++) {
        mpz_init_set_ui(c->z[l - 1], 0);
        for (int i = 0; i < NG; i++) {
            mpz_t pv;
            mpz_init(pv);
            for (int j = KQ; j-- > 0;) {
                mpz_mul_ui(pv, pv, (unsigned long)l);
                mpz_add(pv, pv, c->a[i][j]);
            }
            mpz_add(c->z[l - 1], c->z[l - 1], pv);
            mpz_clear(pv);
        }
        mpz_mod(c->z[l - 1], c->z[l - 1], g->q);
    }
    assert_int_equal(sc_elgamal_key_new(&c->K, g, Kp), SC_OK);
    mpz_clear(Kp);
}

static void ceremony_clear(ceremony *c)
{
    for (int i = 0; i < NG; i++) {
        for (int j = 0; j < KQ; j++) {
            mpz_clears(c->a[i][j], c->Kc[i * KQ + j], NULL);
        }
        mpz_clear(c->z[i]);
    }
    mpz_clear(c->s);
    sc_elgamal_key_free(c->K);
}

static void joint_decryption(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(90);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    uint8_t he[32];
    for (size_t gi = 0; gi < 2; gi++) {
        sc_group *g = t_group(ids[gi]);
        ceremony cer;
        ceremony_init(&cer, g, rng);
        sc_rng_bytes(rng, he, 32);
        /* an encrypted tally of t = 17 from 3 ciphertexts */
        sc_ciphertext cts[3], AB;
        mpz_t xi;
        mpz_init(xi);
        const uint64_t votes[3] = {5, 0, 12};
        for (int j = 0; j < 3; j++) {
            sc_ciphertext_init(&cts[j]);
            sc_rng_scalar(rng, g, xi);
            assert_int_equal(
                sc_elgamal_encrypt_u64(cer.K, &cts[j], votes[j], xi), SC_OK);
        }
        sc_ciphertext_init(&AB);
        sc_ciphertext_product(g, &AB, 3, cts);
        /* guardians 1, 3, 4 are present (|U| = k) and then all five */
        const uint32_t U1[] = {1, 3, 4}, U2[] = {1, 2, 3, 4, 5};
        const uint32_t *Us[2] = {U1, U2};
        const size_t nus[2] = {3, 5};
        for (int ui = 0; ui < 2; ui++) {
            const uint32_t *U = Us[ui];
            size_t nu = nus[ui];
            mpz_t M_i[NG], u_i[NG], a_i[NG], b_i[NG], v_i[NG], w[NG];
            uint8_t d[NG][32];
            mpz_t M, a, b, c, v, T, Ki, want;
            mpz_inits(M, a, b, c, v, T, Ki, want, NULL);
            assert_int_equal(sc_lagrange_coeffs(g, nu, U, w_init(w, nu)),
                             SC_OK);
            /* round 1: partial decryption, commitment, d_i */
            for (size_t m = 0; m < nu; m++) {
                mpz_inits(M_i[m], u_i[m], a_i[m], b_i[m], v_i[m], NULL);
                uint32_t i = U[m];
                sc_partial_decrypt(g, M_i[m], AB.alpha, cer.z[i - 1]);
                sc_dec_commit(g, AB.alpha, rng, u_i[m], a_i[m], b_i[m]);
                sc_dec_commit_hash(g, he, 2, 7, i, AB.alpha, AB.beta, a_i[m],
                                   b_i[m], M_i[m], nu, U, d[m]);
            }
            /* round 2: reveals, checked against the d_i */
            for (size_t m = 0; m < nu; m++) {
                assert_int_equal(
                    sc_dec_commit_check(g, he, 2, 7, U[m], AB.alpha, AB.beta,
                                        a_i[m], b_i[m], M_i[m], nu, U, d[m]),
                    SC_OK);
            }
            /* a changed reveal or a d_i for another guardian fails */
            bump_elem(g, a_i[0]);
            assert_int_equal(sc_dec_commit_check(g, he, 2, 7, U[0], AB.alpha,
                                                 AB.beta, a_i[0], b_i[0],
                                                 M_i[0], nu, U, d[0]),
                             SC_E_VERIFY);
            mpz_invert(want, g->g, g->p);
            mpz_mul(a_i[0], a_i[0], want);
            mpz_mod(a_i[0], a_i[0], g->p);
            assert_int_equal(sc_dec_commit_check(g, he, 2, 7, U[1], AB.alpha,
                                                 AB.beta, a_i[0], b_i[0],
                                                 M_i[0], nu, U, d[0]),
                             SC_E_VERIFY);
            /* a reveal outside Z_p^r (in range) that matches its d_i:
             * only the membership test refuses it */
            {
                mpz_ptr rv[3] = {a_i[1], b_i[1], M_i[1]};
                uint8_t dd[32];
                for (int f = 0; f < 3; f++) {
                    mpz_set(want, rv[f]);
                    t_nonmember(g, rv[f], f % 2);
                    sc_dec_commit_hash(g, he, 2, 7, U[1], AB.alpha, AB.beta,
                                       a_i[1], b_i[1], M_i[1], nu, U, dd);
                    assert_int_equal(sc_dec_commit_check(
                                         g, he, 2, 7, U[1], AB.alpha, AB.beta,
                                         a_i[1], b_i[1], M_i[1], nu, U, dd),
                                     SC_E_INVALID_NOT_IN_SUBGROUP);
                    mpz_set(rv[f], want);
                }
            }
            /* round 3: combine and challenge */
            sc_dec_combine_M(g, M, nu, (const mpz_t *)M_i, (const mpz_t *)w);
            mpz_powm(want, AB.alpha, cer.s, g->p); /* eq 81 */
            assert_int_equal(mpz_cmp(M, want), 0);
            sc_dec_accumulate(g, a, b, nu, (const mpz_t *)a_i,
                              (const mpz_t *)b_i);
            sc_dec_challenge(g, he, 2, 7, AB.alpha, AB.beta, a, b, M, c);
            /* round 4: responses, each checkable on its own (note 3.7) */
            for (size_t m = 0; m < nu; m++) {
                sc_dec_response(g, v_i[m], NULL, c, w[m], u_i[m],
                                cer.z[U[m] - 1]);
                sc_mpz_wipe(u_i[m]);
                sc_share_pubkey(g, Ki, NG, KQ, cer.Kc, U[m]);
                mpz_powm(want, g->g, cer.z[U[m] - 1], g->p);
                assert_int_equal(mpz_cmp(Ki, want), 0);
                assert_int_equal(sc_dec_response_check(g, Ki, AB.alpha, M_i[m],
                                                       c, w[m], v_i[m], a_i[m],
                                                       b_i[m]),
                                 SC_OK);
                mpz_set(want, v_i[m]);
                bump_scalar(g, v_i[m]);
                assert_int_equal(sc_dec_response_check(g, Ki, AB.alpha, M_i[m],
                                                       c, w[m], v_i[m], a_i[m],
                                                       b_i[m]),
                                 SC_E_VERIFY);
                mpz_set(v_i[m], want);
            }
            sc_dec_combine_v(g, v, nu, (const mpz_t *)v_i);
            /* T = B / M, t by discrete log */
            assert_int_equal(sc_invmod(g, T, M), SC_OK);
            sc_mulmod(g, T, AB.beta, T);
            sc_dlog *dl = NULL;
            uint64_t t = 0;
            assert_int_equal(sc_dlog_new(&dl, g, cer.K->K, 100), SC_OK);
            assert_int_equal(sc_dlog_find(dl, &t, T), SC_OK);
            assert_int_equal(t, 17);
            sc_dlog_free(dl);
            /* Verification 10 */
            assert_int_equal(
                sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                SC_OK);
            /* every single field */
            assert_int_equal(
                sc_dec_proof_verify(cer.K, he, 3, 7, &AB, T, t, c, v, 1),
                SC_E_VERIFY);
            assert_int_equal(
                sc_dec_proof_verify(cer.K, he, 2, 8, &AB, T, t, c, v, 1),
                SC_E_VERIFY);
            assert_int_equal(
                sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t + 1, c, v, 1),
                SC_E_VERIFY);
            he[0] ^= 1;
            assert_int_equal(
                sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                SC_E_VERIFY);
            he[0] ^= 1;
            mpz_ptr sc[2] = {c, v};
            for (int f = 0; f < 2; f++) {
                mpz_set(want, sc[f]);
                bump_scalar(g, sc[f]);
                assert_int_equal(
                    sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                    SC_E_VERIFY);
                mpz_add(sc[f], want, g->q);
                assert_int_equal(
                    sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                    SC_E_INVALID_RANGE);
                mpz_set(sc[f], want);
            }
            mpz_ptr el[3] = {AB.alpha, AB.beta, T};
            for (int f = 0; f < 3; f++) {
                mpz_set(want, el[f]);
                bump_elem(g, el[f]);
                assert_int_equal(
                    sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                    SC_E_VERIFY);
                mpz_sub_ui(el[f], g->p, 1);
                assert_int_equal(
                    sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                    SC_E_INVALID_NOT_IN_SUBGROUP);
                mpz_set_ui(el[f], 0);
                assert_int_not_equal(
                    sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                    SC_OK);
                mpz_set(el[f], g->p);
                assert_int_not_equal(
                    sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                    SC_OK);
                mpz_set(el[f], want);
            }
            assert_int_equal(
                sc_dec_proof_verify(cer.K, he, 2, 7, &AB, T, t, c, v, 1),
                SC_OK);
            for (size_t m = 0; m < nu; m++) {
                mpz_clears(M_i[m], u_i[m], a_i[m], b_i[m], v_i[m], NULL);
            }
            w_clear(w, nu);
            mpz_clears(M, a, b, c, v, T, Ki, want, NULL);
        }
        for (int j = 0; j < 3; j++) {
            sc_ciphertext_clear(&cts[j]);
        }
        sc_ciphertext_clear(&AB);
        mpz_clear(xi);
        ceremony_clear(&cer);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* Challenged ballot: guardians jointly compute beta_B = C_0^s-hat
 * (eq 107-108) and the ballot nonce comes out (§3.6.7). */
static void joint_ballot_nonce_decryption(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(107);
    sc_group *g = t_group(SC_GROUP_TOY_Q64);
    ceremony cer; /* used as the K-hat ceremony */
    ceremony_init(&cer, g, rng);
    uint8_t hi[32], xib[32], back[32];
    sc_rng_bytes(rng, hi, 32);
    sc_rng_bytes(rng, xib, 32);
    sc_nonce_ct ct;
    sc_nonce_ct_init(&ct);
    assert_int_equal(sc_ballot_nonce_encrypt(cer.K, hi, xib, rng, &ct), SC_OK);
    const uint32_t U[] = {2, 4, 5};
    mpz_t w[3], m_i[3], beta;
    mpz_init(beta);
    for (int m = 0; m < 3; m++) {
        mpz_inits(w[m], m_i[m], NULL);
        sc_partial_decrypt(g, m_i[m], ct.c0, cer.z[U[m] - 1]);
    }
    assert_int_equal(sc_lagrange_coeffs(g, 3, U, w), SC_OK);
    sc_dec_combine_M(g, beta, 3, (const mpz_t *)m_i, (const mpz_t *)w);
    assert_int_equal(sc_ballot_nonce_decrypt_beta(g, hi, &ct, beta, back),
                     SC_OK);
    assert_memory_equal(back, xib, 32);
    for (int m = 0; m < 3; m++) {
        mpz_clears(w[m], m_i[m], NULL);
    }
    mpz_clear(beta);
    sc_nonce_ct_clear(&ct);
    ceremony_clear(&cer);
    sc_group_free(g);
    sc_rng_free(rng);
}

/* Contest data decrypted by a quorum (eq 96-106) and Verification 12. */
static void joint_contest_data_decryption(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(96);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    for (size_t gi = 0; gi < 2; gi++) {
        sc_group *g = t_group(ids[gi]);
        ceremony cer; /* the K-hat ceremony: z here are the z-hat_i */
        ceremony_init(&cer, g, rng);
        uint8_t hi[32], xib[32], D[64], back[64];
        sc_rng_bytes(rng, hi, 32);
        sc_rng_bytes(rng, xib, 32);
        sc_rng_bytes(rng, D, sizeof D);
        sc_contest_data_ct ct;
        sc_contest_data_ct_init(&ct);
        assert_int_equal(
            sc_contest_data_encrypt(cer.K, hi, 4, xib, D, 2, rng, &ct), SC_OK);
        const uint32_t U[] = {1, 2, 5};
        const size_t nu = 3;
        mpz_t m_i[3], u_i[3], a_i[3], b_i[3], v_i[3], w[3];
        uint8_t d[3][32];
        mpz_t beta, a, b, c, v, save;
        mpz_inits(beta, a, b, c, v, save, NULL);
        assert_int_equal(sc_lagrange_coeffs(g, nu, U, w_init(w, nu)), SC_OK);
        for (size_t m = 0; m < nu; m++) {
            mpz_inits(m_i[m], u_i[m], a_i[m], b_i[m], v_i[m], NULL);
            assert_int_equal(sc_contest_data_verify(g, hi, 4, &ct), SC_OK);
            sc_partial_decrypt(g, m_i[m], ct.c0, cer.z[U[m] - 1]); /* 96 */
            sc_dec_commit(g, ct.c0, rng, u_i[m], a_i[m], b_i[m]);  /* 98 */
            sc_data_dec_commit_hash(g, hi, 4, U[m], &ct, a_i[m], b_i[m], m_i[m],
                                    nu, U, d[m]); /* 99 */
        }
        for (size_t m = 0; m < nu; m++) {
            assert_int_equal(sc_data_dec_commit_check(g, hi, 4, U[m], &ct,
                                                      a_i[m], b_i[m], m_i[m],
                                                      nu, U, d[m]),
                             SC_OK);
            assert_int_equal(sc_data_dec_commit_check(g, hi, 4, U[m], &ct,
                                                      b_i[m], a_i[m], m_i[m],
                                                      nu, U, d[m]),
                             SC_E_VERIFY);
        }
        {
            mpz_ptr rv[3] = {a_i[0], b_i[0], m_i[0]};
            uint8_t dd[32];
            for (int f = 0; f < 3; f++) {
                mpz_set(save, rv[f]);
                t_nonmember(g, rv[f], f % 2);
                sc_data_dec_commit_hash(g, hi, 4, U[0], &ct, a_i[0], b_i[0],
                                        m_i[0], nu, U, dd);
                assert_int_equal(sc_data_dec_commit_check(g, hi, 4, U[0], &ct,
                                                          a_i[0], b_i[0],
                                                          m_i[0], nu, U, dd),
                                 SC_E_INVALID_NOT_IN_SUBGROUP);
                mpz_set(rv[f], save);
            }
        }
        sc_dec_combine_M(g, beta, nu, (const mpz_t *)m_i, (const mpz_t *)w);
        sc_dec_accumulate(g, a, b, nu, (const mpz_t *)a_i, (const mpz_t *)b_i);
        sc_data_dec_challenge(g, hi, 4, &ct, a, b, beta, c);
        for (size_t m = 0; m < nu; m++) {
            sc_dec_response(g, v_i[m], NULL, c, w[m], u_i[m], cer.z[U[m] - 1]);
        }
        sc_dec_combine_v(g, v, nu, (const mpz_t *)v_i);
        assert_int_equal(
            sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, v), SC_OK);
        assert_int_equal(
            sc_contest_data_decrypt_beta(g, hi, 4, &ct, beta, back), SC_OK);
        assert_memory_equal(back, D, sizeof D);
        /* single-field changes */
        assert_int_equal(
            sc_data_dec_proof_verify(cer.K, hi, 5, &ct, beta, c, v),
            SC_E_VERIFY);
        hi[3] ^= 8;
        assert_int_equal(
            sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, v),
            SC_E_VERIFY);
        hi[3] ^= 8;
        ct.c1[40] ^= 1;
        assert_int_equal(
            sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, v),
            SC_E_VERIFY);
        ct.c1[40] ^= 1;
        mpz_ptr sc[4] = {c, v, ct.c2_c, ct.c2_v};
        for (int f = 0; f < 4; f++) {
            mpz_set(save, sc[f]);
            bump_scalar(g, sc[f]);
            assert_int_equal(
                sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, v),
                SC_E_VERIFY);
            mpz_set(sc[f], save);
        }
        mpz_add(save, v, g->q);
        assert_int_equal(
            sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, save),
            SC_E_INVALID_RANGE);
        mpz_ptr el[2] = {beta, ct.c0};
        for (int f = 0; f < 2; f++) {
            mpz_set(save, el[f]);
            bump_elem(g, el[f]);
            assert_int_equal(
                sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, v),
                SC_E_VERIFY);
            mpz_sub_ui(el[f], g->p, 1);
            assert_int_equal(
                sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, v),
                SC_E_INVALID_NOT_IN_SUBGROUP);
            mpz_set(el[f], save);
        }
        assert_int_equal(
            sc_data_dec_proof_verify(cer.K, hi, 4, &ct, beta, c, v), SC_OK);
        for (size_t m = 0; m < nu; m++) {
            mpz_clears(m_i[m], u_i[m], a_i[m], b_i[m], v_i[m], NULL);
        }
        w_clear(w, nu);
        mpz_clears(beta, a, b, c, v, save, NULL);
        sc_contest_data_ct_clear(&ct);
        ceremony_clear(&cer);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guardian_proof),
        cmocka_unit_test(range_proofs),
        cmocka_unit_test(limit_proofs),
        cmocka_unit_test(lagrange_subsets),
        cmocka_unit_test(joint_decryption),
        cmocka_unit_test(joint_ballot_nonce_decryption),
        cmocka_unit_test(joint_contest_data_decryption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
