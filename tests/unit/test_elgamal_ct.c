/* Constant-time check of the secret-scalar helpers and of vote encryption,
 * in the style of ctgrind (tests/unit/ct_marks.h). The ceremony, the
 * decryption and the range proofs: test_ct_protocol.c.
 *
 * What the check does not see (docs/ARITH.md §7, marked in the library
 * with src/lib/core/ct_mark.h): the mpz limb count of a secret (whether
 * its top limb is zero, probability 2^-64 for a uniform scalar). */
#include "testlib.h"

#include <string.h>

#include "core/ct_mark.h"
#include "ct_marks.h"
#include "elgamal/scalar_ct.h"
#include "scrutin/elgamal.h"

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

/* Item 9 of issue 12: the vote enters the ciphertext through fixed-size
 * limbs (sc_ct_set_u64), not through an mpz whose limb count shows whether
 * it is 0. Votes 0, 1 and a large one; the nonce from a generator whose
 * output is marked secret. */
static void vote_loading(void **state)
{
    (void)state;
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    for (size_t gi = 0; gi < 2; gi++) {
        sc_rng *rng = t_rng(6);
        sc_group *g = t_group(ids[gi]);
        mpz_t s, K, xi, want;
        mpz_inits(s, K, xi, want, NULL);
        sc_rng_scalar_nonzero(rng, g, s);
        mpz_powm(K, g->g, s, g->p);
        sc_elgamal_key *pk = NULL;
        assert_int_equal(sc_elgamal_key_new(&pk, g, K), SC_OK);
        sc_rng_mark_secret(rng);
        sc_ciphertext ct;
        sc_ciphertext_init(&ct);
        const uint64_t votes[] = {0, 1, 0, 1, (uint64_t)1 << 40};
        for (size_t it = 0; it < sizeof votes / sizeof votes[0]; it++) {
            uint64_t v = votes[it];
            sc_rng_scalar(rng, g, xi);
            SECRET(&v, sizeof v);
            sc_status rc = sc_elgamal_encrypt_u64(pk, &ct, v, xi);
            PUBLIC(&rc, sizeof rc);
            PUBLIC(&v, sizeof v);
            sc_ct_mpz_public(xi);
            assert_int_equal(rc, SC_OK);
            /* eq 31, recomputed in the clear */
            mpz_powm(want, g->g, xi, g->p);
            assert_int_equal(mpz_cmp(want, ct.alpha), 0);
            mpz_add_ui(want, xi, (unsigned long)v);
            mpz_mod(want, want, g->q);
            mpz_powm(want, K, want, g->p);
            assert_int_equal(mpz_cmp(want, ct.beta), 0);
        }
        /* two at once (sc_fb_pow_secret2 under both): the same votes */
        sc_ciphertext c1;
        sc_ciphertext_init(&c1);
        mpz_t xi1;
        mpz_init(xi1);
        for (size_t it = 0; it + 1 < sizeof votes / sizeof votes[0]; it++) {
            uint64_t v2[2] = {votes[it], votes[it + 1]};
            sc_rng_scalar(rng, g, xi);
            sc_rng_scalar(rng, g, xi1);
            SECRET(v2, sizeof v2);
            sc_status rc = sc_elgamal_encrypt_u64_2(pk, &ct, &c1, v2, xi, xi1);
            PUBLIC(&rc, sizeof rc);
            PUBLIC(v2, sizeof v2);
            sc_ct_mpz_public(xi);
            sc_ct_mpz_public(xi1);
            assert_int_equal(rc, SC_OK);
            mpz_add_ui(want, xi1, (unsigned long)v2[1]);
            mpz_mod(want, want, g->q);
            mpz_powm(want, K, want, g->p);
            assert_int_equal(mpz_cmp(want, c1.beta), 0);
            mpz_powm(want, g->g, xi, g->p);
            assert_int_equal(mpz_cmp(want, ct.alpha), 0);
        }
        mpz_clear(xi1);
        sc_ciphertext_clear(&c1);
        sc_ciphertext_clear(&ct);
        sc_elgamal_key_free(pk);
        mpz_clears(s, K, xi, want, NULL);
        sc_group_free(g);
        sc_rng_free(rng);
    }
}

/* argv[1]: cmocka test-name filter; ctest runs each test under valgrind
 * (must be clean) and once without. */
CT_TEST_MAIN(cmocka_unit_test(scalar_ops), cmocka_unit_test(vote_loading))
