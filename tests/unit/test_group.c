/* Group parameters and canonical encodings (spec §3.1.1, §5.1). */
#include "testlib.h"

#include <string.h>

static void params_are_consistent(void **state)
{
    (void)state;
    for (int id = 0; id < SC_GROUP_COUNT; id++) {
        sc_group *g = t_group((sc_group_id)id);
        mpz_t t;
        mpz_init(t);
        /* p - 1 = q r */
        mpz_mul(t, g->q, g->r);
        mpz_add_ui(t, t, 1);
        assert_int_equal(mpz_cmp(t, g->p), 0);
        /* g = 2^r mod p, g^q = 1 */
        mpz_set_ui(t, 2);
        mpz_powm(t, t, g->r, g->p);
        assert_int_equal(mpz_cmp(t, g->g), 0);
        mpz_powm(t, g->g, g->q, g->p);
        assert_int_equal(mpz_cmp_ui(t, 1), 0);
        assert_true(mpz_probab_prime_p(g->p, 25) > 0);
        assert_true(mpz_probab_prime_p(g->q, 25) > 0);
        mpz_clear(t);
        sc_group_free(g);
    }
}

static void standard_sizes(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    assert_int_equal(g->lp, 512);
    assert_int_equal(g->lq, 32);
    assert_int_equal(mpz_sizeinbase(g->p, 2), 4096);
    /* q = 2^256 - 189 (eq 3) */
    mpz_t t;
    mpz_init_set_ui(t, 1);
    mpz_mul_2exp(t, t, 256);
    mpz_sub_ui(t, t, 189);
    assert_int_equal(mpz_cmp(t, g->q), 0);
    /* r/2 is prime (§3.1.1) */
    mpz_fdiv_q_2exp(t, g->r, 1);
    assert_true(mpz_probab_prime_p(t, 10) > 0);
    mpz_clear(t);
    sc_group_free(g);
}

static void element_decoding_rejects(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    uint8_t buf[512];
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    /* 0 */
    memset(buf, 0, sizeof buf);
    assert_int_equal(sc_elem_decode(g, x, buf, 512), SC_E_INVALID_RANGE);
    /* 1 is a member */
    buf[511] = 1;
    assert_int_equal(sc_elem_decode(g, x, buf, 512), SC_OK);
    /* p - 1 has order 2: not in the subgroup */
    mpz_sub_ui(y, g->p, 1);
    sc_elem_encode(g, buf, y);
    assert_int_equal(sc_elem_decode(g, x, buf, 512),
                     SC_E_INVALID_NOT_IN_SUBGROUP);
    /* p itself */
    sc_elem_encode(g, buf, g->p);
    assert_int_equal(sc_elem_decode(g, x, buf, 512), SC_E_INVALID_RANGE);
    /* 2 is not a member (g = 2^r and 2 itself has order p - 1 / ...) */
    mpz_set_ui(y, 2);
    sc_elem_encode(g, buf, y);
    assert_int_equal(sc_elem_decode(g, x, buf, 512),
                     SC_E_INVALID_NOT_IN_SUBGROUP);
    /* g is, and round-trips */
    sc_elem_encode(g, buf, g->g);
    assert_int_equal(sc_elem_decode(g, x, buf, 512), SC_OK);
    assert_int_equal(mpz_cmp(x, g->g), 0);
    /* wrong lengths */
    assert_int_equal(sc_elem_decode(g, x, buf, 511), SC_E_INVALID_LENGTH);
    assert_int_equal(sc_elem_decode(g, x, buf, 0), SC_E_INVALID_LENGTH);
    /* hex: wrong length, bad digit, lowercase accepted */
    char hex[1025];
    sc_elem_to_hex(g, hex, g->g);
    assert_int_equal(strlen(hex), 1024);
    assert_int_equal(sc_elem_from_hex(g, x, hex), SC_OK);
    hex[5] = 'g';
    assert_int_equal(sc_elem_from_hex(g, x, hex), SC_E_INVALID_HEX);
    hex[1023] = '\0';
    assert_int_equal(sc_elem_from_hex(g, x, hex), SC_E_INVALID_LENGTH);
    mpz_clears(x, y, NULL);
    sc_group_free(g);
}

static void scalar_decoding(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    uint8_t buf[32];
    mpz_t x;
    mpz_init(x);
    sc_scalar_encode(g, buf, g->q); /* q does not fit below q */
    assert_int_equal(sc_scalar_decode(g, x, buf, 32), SC_E_INVALID_RANGE);
    mpz_sub_ui(x, g->q, 1);
    sc_scalar_encode(g, buf, x);
    assert_int_equal(sc_scalar_decode(g, x, buf, 32), SC_OK);
    memset(buf, 0, 32);
    assert_int_equal(sc_scalar_decode(g, x, buf, 32), SC_OK);
    assert_int_equal(mpz_sgn(x), 0);
    assert_int_equal(sc_scalar_decode(g, x, buf, 31), SC_E_INVALID_LENGTH);
    assert_int_equal(sc_scalar_from_hex(g, x,
                                        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                                        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                                        "FF42"),
                     SC_OK);
    assert_int_equal(sc_scalar_from_hex(g, x,
                                        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                                        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                                        "FF43"),
                     SC_E_INVALID_RANGE);
    mpz_clear(x);
    sc_group_free(g);
}

static void rng_scalars_in_range(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_TOY_Q7);
    sc_rng *r = t_rng(1);
    mpz_t x;
    mpz_init(x);
    int seen[127] = {0};
    for (int i = 0; i < 5000; i++) {
        sc_rng_scalar(r, g, x);
        assert_true(sc_scalar_in_range(g, x));
        seen[mpz_get_ui(x)] = 1;
    }
    for (int i = 0; i < 127; i++) {
        assert_true(seen[i]); /* uniform enough to hit every value */
    }
    mpz_clear(x);
    sc_rng_free(r);
    sc_group_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(params_are_consistent),
        cmocka_unit_test(standard_sizes),
        cmocka_unit_test(element_decoding_rejects),
        cmocka_unit_test(scalar_decoding),
        cmocka_unit_test(rng_scalars_in_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
