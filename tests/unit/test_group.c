/* Group parameters and canonical encodings (spec §3.1.1, §5.1). */
#include "testlib.h"

#include <pthread.h>
#include <string.h>

#include "arith/arith_internal.h"

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

/* sc_mpz_encode against mpz_export: every length 0..80 around limb
 * boundaries, x from 0 to 700 bits (fits, fits exactly, too wide), and a
 * negative x (out left as it was). */
static void mpz_encode_matches_export(void **state)
{
    (void)state;
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 2026);
    mpz_t x;
    mpz_init(x);
    uint8_t out[96], want[96];
    for (unsigned bits = 0; bits <= 700; bits += 7) {
        for (int rep = 0; rep < 3; rep++) {
            if (rep == 2 && bits > 0) {
                mpz_set_ui(x, 0); /* all ones: no zero byte on top */
                mpz_setbit(x, bits);
                mpz_sub_ui(x, x, 1);
            } else {
                mpz_urandomb(x, rs, bits);
            }
            size_t need = mpz_sgn(x) == 0 ? 0 : (mpz_sizeinbase(x, 2) + 7) / 8;
            for (size_t len = 0; len <= 80; len++) {
                memset(out, 0xa5, sizeof out);
                sc_status rc = sc_mpz_encode(out, len, x);
                if (need > len) {
                    assert_int_equal(rc, SC_E_INVALID_RANGE);
                    memset(want, 0, len);
                } else {
                    assert_int_equal(rc, SC_OK);
                    memset(want, 0, len);
                    size_t cnt = 0;
                    mpz_export(want + len - need, &cnt, 1, 1, 1, 0, x);
                    assert_int_equal(cnt, need);
                }
                assert_memory_equal(out, want, len);
                assert_int_equal(out[len], 0xa5); /* nothing past len */
            }
        }
    }
    mpz_set_si(x, -5);
    memset(out, 0xa5, sizeof out);
    assert_int_equal(sc_mpz_encode(out, 8, x), SC_E_INVALID_RANGE);
    assert_int_equal(out[0], 0xa5);
    mpz_clear(x);
    gmp_randclear(rs);
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

/* sc_group_new shares one object per parameter set and engine
 * (group_cache.c): the same pointer while references are held, a working
 * group again after they are all dropped. */
static void groups_are_shared(void **state)
{
    (void)state;
    sc_group *a = t_group(SC_GROUP_TOY_Q64);
    sc_group *b = t_group(SC_GROUP_TOY_Q64);
    sc_group *c = t_group(SC_GROUP_TOY_Q32);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, c);
    assert_int_equal(c->id, SC_GROUP_TOY_Q32);
    sc_group_free(a);
    sc_group_free(b);
    sc_group_free(c);
    a = t_group(SC_GROUP_TOY_Q64);
    mpz_t t;
    mpz_init(t);
    sc_pow(a, t, a->g, a->q); /* g^q = 1 through the (re)built table */
    assert_int_equal(mpz_cmp_ui(t, 1), 0);
    sc_fb_pow(a->g_fb, t, a->q);
    assert_int_equal(mpz_cmp_ui(t, 1), 0);
    mpz_clear(t);
    sc_group_free(a);
    sc_group_free(NULL);
}

/* The engine choice is part of the key: a group made with the IFMA
 * kernel forbidden is not the one made with it allowed. */
static void cache_keys_on_engine(void **state)
{
    (void)state;
    sc_group *on = t_group(SC_GROUP_STANDARD);
    sc_mont_ifma_allow(0);
    sc_group *off = t_group(SC_GROUP_STANDARD);
    sc_mont_ifma_allow(1);
    assert_ptr_not_equal(on, off);
    assert_int_equal(off->ar->mont.ifma, 0);
    assert_int_equal(on->ar->mont.ifma, sc_ifma_cpu());
    sc_group_free(on);
    sc_group_free(off);
}

static sc_group *held[SC_GROUP_COUNT];

static void *churn(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg;
    for (int i = 0; i < 400; i++) {
        seed = seed * 1103515245u + 12345u;
        sc_group_id id = (sc_group_id)(SC_GROUP_TOY_Q7 + (seed >> 8) % 4);
        sc_group *g = NULL;
        if (sc_group_new(&g, id) != SC_OK || g != held[id]) {
            return (void *)1;
        }
        sc_group_free(g);
    }
    return NULL;
}

/* Threads taking and dropping references at once all get the object the
 * main thread holds (ASan/TSan builds see any race on the counts). */
static void cache_is_thread_safe(void **state)
{
    (void)state;
    for (int id = SC_GROUP_TOY_Q7; id <= SC_GROUP_TOY_Q64; id++) {
        held[id] = t_group((sc_group_id)id);
    }
    pthread_t th[6];
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, churn, (void *)(i + 1)),
                         0);
    }
    for (size_t i = 0; i < 6; i++) {
        void *res = (void *)1;
        assert_int_equal(pthread_join(th[i], &res), 0);
        assert_null(res);
    }
    for (int id = SC_GROUP_TOY_Q7; id <= SC_GROUP_TOY_Q64; id++) {
        sc_group_free(held[id]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(params_are_consistent),
        cmocka_unit_test(standard_sizes),
        cmocka_unit_test(element_decoding_rejects),
        cmocka_unit_test(scalar_decoding),
        cmocka_unit_test(mpz_encode_matches_export),
        cmocka_unit_test(rng_scalars_in_range),
        cmocka_unit_test(groups_are_shared),
        cmocka_unit_test(cache_keys_on_engine),
        cmocka_unit_test(cache_is_thread_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
