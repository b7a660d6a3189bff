/* Constant-time check of the secret-scalar helpers and of encryption, in the
 * style of ctgrind: secret inputs are marked undefined for valgrind's
 * memcheck, which then reports every branch or memory index that depends
 * on them ("conditional jump depends on uninitialised value"). Run under
 * valgrind by ctest (label ct) when valgrind is installed; without
 * valgrind the marks are no-ops and the test only checks results.
 *
 * Findings recorded when this was written (arith engine, not this module):
 * sc_fb_pow_secret tests mpz_sizeinbase(e, 2) on the secret exponent
 * (arith.c, contract check), and sc_mont_to_mpz multiplies with
 * mpn_mul_n (toom22 branches on operand values); mpz_limbs_finish in
 * sc_ct_store branches on whether the top limb is zero (probability
 * 2^-64 for a uniform scalar). */
#include "testlib.h"

#include <string.h>

#include <valgrind/memcheck.h>

#include "elgamal/scalar_ct.h"
#include "scrutin/elgamal.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static void secret_mpz(mpz_t x)
{
    SECRET(mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
}

static void public_mpz(mpz_t x)
{
    PUBLIC(mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
}

static void scalar_ops(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(5);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    for (size_t gi = 0; gi < 2; gi++) {
        sc_group *g = t_group(ids[gi]);
        mpz_t x;
        mpz_init(x);
        sc_ct_scalar a, b, c, r;
        for (int it = 0; it < 20; it++) {
            sc_rng_scalar(rng, g, x);
            assert_int_equal(sc_ct_load(g, &a, x), SC_OK);
            sc_rng_scalar(rng, g, x);
            assert_int_equal(sc_ct_load(g, &b, x), SC_OK);
            sc_rng_scalar(rng, g, x);
            assert_int_equal(sc_ct_load(g, &c, x), SC_OK);
            SECRET(&a, sizeof a);
            SECRET(&b, sizeof b);
            SECRET(&c, sizeof c);
            sc_ct_add(g, &r, &a, &b);
            sc_ct_sub(g, &r, &r, &c);
            sc_ct_mul(g, &r, &r, &a);
            sc_ct_mulsub(g, &r, &r, &b, &c);
            uint32_t ell = (uint32_t)it % 3, j = 1;
            SECRET(&ell, sizeof ell);
            sc_ct_select(&r, &a, sc_ct_eq_u32(j, ell));
            uint8_t be[32];
            sc_ct_to_be32(g, be, &r);
            PUBLIC(be, sizeof be);
            PUBLIC(&r, sizeof r);
            PUBLIC(&a, sizeof a);
            PUBLIC(&b, sizeof b);
            PUBLIC(&c, sizeof c);
        }
        mpz_clear(x);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

static void encryption(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(6);
    sc_group *g = t_group(SC_GROUP_STANDARD);
    mpz_t s, K, xi, sigma;
    mpz_inits(s, K, xi, sigma, NULL);
    sc_rng_scalar_nonzero(rng, g, s);
    mpz_powm(K, g->g, s, g->p);
    sc_elgamal_key *pk = NULL;
    assert_int_equal(sc_elgamal_key_new(&pk, g, K), SC_OK);
    sc_ciphertext ct;
    sc_ciphertext_init(&ct);
    for (unsigned v = 0; v < 3; v++) {
        sc_rng_scalar(rng, g, xi);
        mpz_set_ui(sigma, v);
        /* limb counts are public (the same for all but a negligible
         * fraction of values); the limbs themselves are secret */
        secret_mpz(xi);
        secret_mpz(sigma);
        sc_status rc = sc_elgamal_encrypt(pk, &ct, sigma, xi);
        PUBLIC(&rc, sizeof rc);
        public_mpz(ct.alpha);
        public_mpz(ct.beta);
        public_mpz(xi);
        public_mpz(sigma);
        assert_int_equal(rc, SC_OK);
    }
    sc_ciphertext_clear(&ct);
    sc_elgamal_key_free(pk);
    mpz_clears(s, K, xi, sigma, NULL);
    sc_group_free(g);
    sc_rng_free(rng);
}

/* argv[1]: cmocka test-name filter. ctest runs "scalar_ops" under
 * valgrind (must be clean). "encryption" also covers the exponentiation
 * engine and mpz normalisation; run it by hand:
 *   valgrind -q ./test_elgamal_ct encryption */
int main(int argc, char **argv)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    if (argc > 1) {
        cmocka_set_test_filter(argv[1]);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scalar_ops),
        cmocka_unit_test(encryption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
