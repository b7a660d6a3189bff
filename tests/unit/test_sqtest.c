/* The square test of many elements (src/lib/arith/sqtest.c) and the
 * membership batch without signs that the verifier pairs it with
 * (docs/ARITH.md §5): members pass; p - x for a member x (Legendre
 * symbol -1, in range, x^(2q) = 1) fails the square test wherever it
 * is among 500, and among a few; the toy groups leave it to the
 * element-by-element test. Run on the kernel and on the fallback. */
#include "testlib.h"

#include "arith/arith_internal.h"

/* n elements of Z_p^r: two g^s, then each the product of the two before. */
static mpz_t *members(sc_group *g, sc_rng *rng, size_t n)
{
    mpz_t *xs = malloc(n * sizeof(mpz_t));
    assert_non_null(xs);
    for (size_t i = 0; i < n; i++) {
        mpz_init(xs[i]);
        if (i < 2) {
            mpz_t s;
            mpz_init(s);
            sc_rng_scalar(rng, g, s);
            mpz_powm(xs[i], g->g, s, g->p);
            mpz_clear(s);
        } else {
            mpz_mul(xs[i], xs[i - 1], xs[i - 2]);
            mpz_mod(xs[i], xs[i], g->p);
        }
    }
    return xs;
}

static void free_all(mpz_t *xs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mpz_clear(xs[i]);
    }
    free(xs);
}

/* The square test over xs[0..n), added `step` at a time. */
static int squares(sc_group *g, sc_rng *rng, const mpz_t *xs, size_t n,
                   size_t step)
{
    sc_sqtest *t = NULL;
    assert_int_equal(sc_sqtest_new(&t, g, rng), SC_OK);
    for (size_t i = 0; i < n; i += step) {
        sc_sqtest_add(t, n - i < step ? n - i : step, xs + i);
    }
    int ok = sc_sqtest_ok(t);
    sc_sqtest_free(t);
    return ok;
}

static void one_negated_among_many(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(31);
    static const sc_group_id ids[] = {SC_GROUP_STANDARD, SC_GROUP_3072};
    for (size_t gi = 0; gi < sizeof ids / sizeof ids[0]; gi++) {
        sc_group *g = t_group(ids[gi]);
        const size_t n = 500;
        mpz_t *xs = members(g, rng, n);
        assert_true(squares(g, rng, (const mpz_t *)xs, n, 20));
        assert_true(squares(g, rng, (const mpz_t *)xs, n, n));
        static const size_t pos[] = {0, 5, 127, 128, 250, 498, 499};
        mpz_t neg;
        mpz_init(neg);
        for (size_t k = 0; k < sizeof pos / sizeof pos[0]; k++) {
            const size_t at = pos[k];
            mpz_sub(neg, g->p, xs[at]);
            mpz_swap(neg, xs[at]);
            assert_int_equal(mpz_jacobi(xs[at], g->p), -1);
            assert_false(squares(g, rng, (const mpz_t *)xs, n, 20));
            assert_false(squares(g, rng, (const mpz_t *)xs, n, 7));
            /* the batch of 20 around it passes without signs, not with */
            const size_t lo = at - at % 20;
            assert_int_equal(sc_subgroup_check_batch_signless(
                                 g, 20, (const mpz_t *)xs + lo, rng),
                             SC_OK);
            size_t bad = 999;
            assert_int_equal(sc_subgroup_check_batch(
                                 g, 20, (const mpz_t *)xs + lo, rng, &bad),
                             SC_E_INVALID_NOT_IN_SUBGROUP);
            assert_int_equal(bad, at - lo);
            mpz_swap(neg, xs[at]);
        }
        /* few elements (a symbol each): the same verdicts */
        assert_true(squares(g, rng, (const mpz_t *)xs, 20, 3));
        mpz_sub(neg, g->p, xs[7]);
        mpz_swap(neg, xs[7]);
        assert_false(squares(g, rng, (const mpz_t *)xs, 20, 3));
        assert_false(squares(g, rng, (const mpz_t *)xs, 1, 1) &&
                     squares(g, rng, (const mpz_t *)xs + 7, 1, 1));
        mpz_swap(neg, xs[7]);
        /* out of range fails; nothing added passes */
        mpz_set(neg, g->p);
        assert_false(squares(g, rng, (const mpz_t *)&neg, 1, 1));
        assert_true(squares(g, rng, (const mpz_t *)xs, 0, 1));
        /* a square outside Z_p^r: the square test passes it, the batch
         * without signs does not */
        do {
            unsigned char buf[520];
            sc_rng_bytes(rng, buf, sizeof buf);
            mpz_import(neg, sizeof buf, 1, 1, 0, 0, buf);
            mpz_mul(neg, neg, neg);
            mpz_mod(neg, neg, g->p);
        } while (sc_elem_is_member(g, neg) || mpz_sgn(neg) == 0);
        mpz_swap(neg, xs[300]);
        assert_true(squares(g, rng, (const mpz_t *)xs, n, 50));
        assert_int_equal(sc_subgroup_check_batch_signless(
                             g, 20, (const mpz_t *)xs + 300, rng),
                         SC_E_INVALID_NOT_IN_SUBGROUP);
        mpz_swap(neg, xs[300]);
        mpz_clear(neg);
        free_all(xs, n);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* The subsets themselves: with one p - x among 500, the symbol of test t
 * is -1 exactly when that element is in S_t (probability 1/2 each test,
 * each run). Over 24 runs every one of the 128 tests must both see it
 * and miss it: a test whose subset never (or always) holds the element
 * fails this (by chance with probability 256 * 2^-24). Two p - x fail
 * the test too (subsets that hold both or neither would let them
 * cancel). */
static void subsets_are_random(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(33);
    sc_group *g = t_group(SC_GROUP_STANDARD);
    const size_t n = 500;
    mpz_t *xs = members(g, rng, n);
    mpz_t neg;
    mpz_init(neg);
    mpz_sub(neg, g->p, xs[137]);
    mpz_swap(neg, xs[137]);
    unsigned seen[SC_SQTEST_TESTS] = {0}, missed[SC_SQTEST_TESTS] = {0};
    for (int run = 0; run < 24; run++) {
        sc_sqtest *t = NULL;
        assert_int_equal(sc_sqtest_new(&t, g, rng), SC_OK);
        sc_sqtest_add(t, n, (const mpz_t *)xs);
        signed char sym[SC_SQTEST_TESTS];
        assert_int_equal(sc_sqtest_symbols(t, sym), 1);
        assert_false(sc_sqtest_ok(t)); /* the verdict taken once */
        for (size_t i = 0; i < SC_SQTEST_TESTS; i++) {
            assert_true(sym[i] == 1 || sym[i] == -1);
            seen[i] += sym[i] == -1;
            missed[i] += sym[i] == 1;
        }
        sc_sqtest_free(t);
    }
    for (size_t i = 0; i < SC_SQTEST_TESTS; i++) {
        if (seen[i] == 0 || missed[i] == 0) {
            fail_msg("test %zu saw the non-square in %u of 24 runs", i,
                     seen[i]);
        }
    }
    mpz_sub(neg, g->p, xs[400]);
    mpz_swap(neg, xs[400]);
    assert_false(squares(g, rng, (const mpz_t *)xs, n, 25));
    mpz_clear(neg);
    free_all(xs, n);
    sc_group_free(g);
    sc_rng_free(rng);
}

/* Toy groups: the square test keeps nothing; the batch without signs
 * is the full test of each element. */
static void toy_groups_element_by_element(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(32);
    sc_group *g = t_group(SC_GROUP_TOY_Q16);
    mpz_t *xs = members(g, rng, 30);
    mpz_t neg;
    mpz_init(neg);
    assert_int_equal(
        sc_subgroup_check_batch_signless(g, 30, (const mpz_t *)xs, rng), SC_OK);
    mpz_sub(neg, g->p, xs[11]);
    mpz_swap(neg, xs[11]);
    assert_true(squares(g, rng, (const mpz_t *)xs, 30, 30));
    assert_int_equal(
        sc_subgroup_check_batch_signless(g, 30, (const mpz_t *)xs, rng),
        SC_E_INVALID_NOT_IN_SUBGROUP);
    mpz_clear(neg);
    free_all(xs, 30);
    sc_group_free(g);
    sc_rng_free(rng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_negated_among_many),
        cmocka_unit_test(subsets_are_random),
        cmocka_unit_test(toy_groups_element_by_element),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
