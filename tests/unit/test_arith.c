/* The exponentiation engine (spec note 3.5) against plain mpz_powm, for the
 * standard group, the reduced 3072-bit set and the toy sets. */
#include "testlib.h"

#include <pthread.h>

#include "arith/arith_internal.h"
#include <string.h>

static const sc_group_id all_groups[] = {SC_GROUP_STANDARD, SC_GROUP_3072,
                                         SC_GROUP_TOY_Q7,   SC_GROUP_TOY_Q16,
                                         SC_GROUP_TOY_Q32,  SC_GROUP_TOY_Q64};
#define NGROUPS (sizeof all_groups / sizeof all_groups[0])

/* Random element of Z_p^r: g^s. */
static void rand_member(sc_group *g, sc_rng *rng, mpz_t out)
{
    mpz_t s;
    mpz_init(s);
    sc_rng_scalar(rng, g, s);
    mpz_powm(out, g->g, s, g->p);
    mpz_clear(s);
}

/* Random value in [1, p). */
static void rand_zp(sc_group *g, sc_rng *rng, mpz_t out)
{
    uint8_t buf[520];
    do {
        sc_rng_bytes(rng, buf, g->lp);
        mpz_import(out, g->lp, 1, 1, 1, 0, buf);
        mpz_mod(out, out, g->p);
    } while (mpz_sgn(out) == 0);
}

/* Exponent set: edge values then random ones below 2^qbits. */
#define NEXP 10
static void exponent(sc_group *g, sc_rng *rng, int k, mpz_t e)
{
    switch (k) {
    case 0: mpz_set_ui(e, 0); break;
    case 1: mpz_set_ui(e, 1); break;
    case 2: mpz_sub_ui(e, g->q, 1); break;
    case 3:
        mpz_set_ui(e, 1);
        mpz_mul_2exp(e, e, g->qbits);
        mpz_sub_ui(e, e, 1);
        break;
    case 4: mpz_set_ui(e, 2); break;
    default: {
        uint8_t buf[64];
        sc_rng_bytes(rng, buf, g->lq);
        mpz_import(e, g->lq, 1, 1, 1, 0, buf);
        mpz_fdiv_r_2exp(e, e, g->qbits);
        break;
    }
    }
}

static void pow_matches_mpz(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(11);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(all_groups[gi]);
        mpz_t b, e, want, got, es;
        mpz_inits(b, e, want, got, es, NULL);
        for (int rep = 0; rep < 2; rep++) {
            /* A member and an arbitrary element of Z_p^*. */
            if (rep == 0) {
                rand_member(g, rng, b);
            } else {
                rand_zp(g, rng, b);
            }
            for (int k = 0; k < NEXP; k++) {
                exponent(g, rng, k, e);
                mpz_powm(want, b, e, g->p);
                sc_pow(g, got, b, e);
                assert_int_equal(mpz_cmp(got, want), 0);
            }
            /* Large exponents too (sc_pow takes any size). */
            mpz_set_ui(e, 1);
            mpz_mul_2exp(e, e, 5000);
            mpz_sub_ui(e, e, 12345);
            mpz_powm(want, b, e, g->p);
            sc_pow(g, got, b, e);
            assert_int_equal(mpz_cmp(got, want), 0);
            /* Negative exponent: inverse power, as mpz_powm. */
            mpz_set_si(e, -77);
            mpz_powm(want, b, e, g->p);
            sc_pow(g, got, b, e);
            assert_int_equal(mpz_cmp(got, want), 0);
        }
        /* Secret: exponents in [0, q), base a member. */
        rand_member(g, rng, b);
        for (int k = 0; k < NEXP; k++) {
            exponent(g, rng, k, e);
            mpz_mod(es, e, g->q);
            mpz_powm(want, b, es, g->p);
            sc_pow_secret(g, got, b, es);
            assert_int_equal(mpz_cmp(got, want), 0);
        }
        /* Outside the contract (e >= 2^qbits): still exact for members. */
        mpz_set_ui(e, 1);
        mpz_mul_2exp(e, e, g->qbits + 70);
        mpz_add_ui(e, e, 9);
        mpz_powm(want, b, e, g->p);
        sc_pow_secret(g, got, b, e);
        assert_int_equal(mpz_cmp(got, want), 0);
        mpz_clears(b, e, want, got, es, NULL);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* The Montgomery layer directly: the mulx/adx kernel against the portable
 * GMP path (forced by clearing `adx`), constant-time against public
 * products, and both against mpz, on edge operands (0, 1, p-1). */
static void montgomery_paths_agree(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(17);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(all_groups[gi]);
        sc_mont fast = g->ar->mont, slow = g->ar->mont;
        slow.adx = 0;
        slow.ifma = 0; /* the fallback constant-time product too */
        const mp_size_t n = fast.n;
        mpz_t a, b, want, got;
        mpz_inits(a, b, want, got, NULL);
        for (int i = 0; i < 40; i++) {
            switch (i) {
            case 0: mpz_set_ui(a, 0); break;
            case 1: mpz_set_ui(a, 1); break;
            case 2: mpz_sub_ui(a, g->p, 1); break;
            case 3:
            case 4:
                /* equal halves (|a0 - a1| = 0 in the Karatsuba step) */
                rand_zp(g, rng, a);
                mpz_fdiv_r_2exp(a, a, (mp_bitcnt_t)(32 * n - 1));
                mpz_mul_2exp(want, a, (mp_bitcnt_t)(32 * n));
                mpz_add(a, a, want);
                mpz_mod(a, a, g->p);
                break;
            default: rand_zp(g, rng, a); break;
            }
            if (i < 3) {
                mpz_sub_ui(b, g->p, 1);
            } else if (i == 4) {
                mpz_set(b, a);
            } else {
                rand_zp(g, rng, b);
            }
            mp_limb_t am[SC_MONT_MAXN], bm[SC_MONT_MAXN];
            mp_limb_t r1[SC_MONT_MAXN], r2[SC_MONT_MAXN], r3[SC_MONT_MAXN],
                r4[SC_MONT_MAXN];
            sc_mont_from_mpz(&slow, am, a);
            sc_mont_from_mpz(&slow, bm, b);
            sc_mont_mul(&fast, r1, am, bm);
            sc_mont_mul(&slow, r2, am, bm);
            sc_mont_mul_ct(&fast, r3, am, bm);
            sc_mont_mul_ct(&slow, r4, am, bm);
            assert_int_equal(mpn_cmp(r1, r2, n), 0);
            assert_int_equal(mpn_cmp(r1, r3, n), 0);
            assert_int_equal(mpn_cmp(r1, r4, n), 0);
            sc_mont_to_mpz(&fast, got, r1);
            mpz_mul(want, a, b);
            mpz_mod(want, want, g->p);
            assert_int_equal(mpz_cmp(got, want), 0);
            sc_mont_to_mpz_ct(&slow, got, r3);
            assert_int_equal(mpz_cmp(got, want), 0);
            sc_mont_sqr(&fast, r1, am);
            sc_mont_sqr_ct(&slow, r2, am);
            assert_int_equal(mpn_cmp(r1, r2, n), 0);
            sc_mont_to_mpz(&fast, got, r1);
            mpz_mul(want, a, a);
            mpz_mod(want, want, g->p);
            assert_int_equal(mpz_cmp(got, want), 0);
        }
        mpz_clears(a, b, want, got, NULL);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

static void mulmod_invmod(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(12);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(all_groups[gi]);
        mpz_t a, b, want, got;
        mpz_inits(a, b, want, got, NULL);
        for (int i = 0; i < 5; i++) {
            rand_zp(g, rng, a);
            rand_zp(g, rng, b);
            mpz_mul(want, a, b);
            mpz_mod(want, want, g->p);
            sc_mulmod(g, got, a, b);
            assert_int_equal(mpz_cmp(got, want), 0);
            assert_int_equal(sc_invmod(g, got, a), SC_OK);
            mpz_mul(want, got, a);
            mpz_mod(want, want, g->p);
            assert_int_equal(mpz_cmp_ui(want, 1), 0);
        }
        /* edges: p - 1, 0, 1, an operand >= p (not reduced: the general
         * path), out aliasing an operand */
        const long edge[][2] = {{-1, -1}, {0, -1}, {1, -1}, {-2, 3}, {-3, -1}};
        for (size_t k = 0; k < sizeof edge / sizeof edge[0]; k++) {
            for (int h = 0; h < 2; h++) {
                mpz_ptr x = h ? b : a;
                long v = edge[k][h];
                if (v >= 0) {
                    mpz_set_ui(x, (unsigned long)v);
                } else if (v == -1) {
                    mpz_sub_ui(x, g->p, 1);
                } else if (v == -2) {
                    mpz_add_ui(x, g->p, 5);
                } else {
                    mpz_mul(x, g->p, g->p);
                    mpz_sub_ui(x, x, 7);
                }
            }
            mpz_mul(want, a, b);
            mpz_mod(want, want, g->p);
            sc_mulmod(g, got, a, b);
            assert_int_equal(mpz_cmp(got, want), 0);
            sc_mulmod(g, a, a, b);
            assert_int_equal(mpz_cmp(a, want), 0);
        }
        mpz_set_ui(a, 0);
        assert_int_equal(sc_invmod(g, got, a), SC_E_INVALID);
        mpz_set(a, g->p);
        assert_int_equal(sc_invmod(g, got, a), SC_E_INVALID);
        mpz_clears(a, b, want, got, NULL);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

static void fixed_base_matches_mpz(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(13);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(all_groups[gi]);
        mpz_t b, e, want, got;
        mpz_inits(b, e, want, got, NULL);
        /* The group's own table for g, and tables for another member with
         * several window sizes (including ones that do not divide qbits). */
        for (unsigned wi = 0; wi < 4; wi++) {
            static const unsigned ws[] = {0, 1, 5, 7};
            sc_fb *fb = g->g_fb;
            if (ws[wi] != 0) {
                rand_member(g, rng, b);
                assert_int_equal(sc_fb_new_w(&fb, g, b, ws[wi]), SC_OK);
                assert_int_equal(sc_fb_window(fb), ws[wi]);
            } else {
                mpz_set(b, g->g);
            }
            assert_ptr_equal(sc_fb_group(fb), g);
            assert_true((size_t)sc_fb_windows(fb) * sc_fb_window(fb) >=
                        g->qbits);
            for (int k = 0; k < NEXP; k++) {
                exponent(g, rng, k, e);
                mpz_powm(want, b, e, g->p);
                sc_fb_pow(fb, got, e);
                assert_int_equal(mpz_cmp(got, want), 0);
                mpz_mod(e, e, g->q);
                mpz_powm(want, b, e, g->p);
                sc_fb_pow_secret(fb, got, e);
                assert_int_equal(mpz_cmp(got, want), 0);
            }
            /* Outside the table's range: still exact. */
            mpz_set_ui(e, 1);
            mpz_mul_2exp(e, e, g->qbits + 40);
            mpz_add_ui(e, e, 3);
            mpz_powm(want, b, e, g->p);
            sc_fb_pow(fb, got, e);
            assert_int_equal(mpz_cmp(got, want), 0);
            if (fb != g->g_fb) {
                sc_fb_free(fb);
            }
        }
        mpz_clears(b, e, want, got, NULL);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* The table's two copies of its rows (arith.c fb_once): on the kernel the
 * public path writes only the radix-2^52 rows, and the limb rows are
 * written on the first call that reads them. Each case starts from a
 * fresh table whose first use is the one under test: a public
 * exponentiation then one outside the table's range (the limb rows'
 * fallback), the same through sc_fb_vb_pow2, and the secret path after
 * public calls. */
static void fixed_base_rows_on_first_use(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(15);
    sc_group *g = t_group(SC_GROUP_STANDARD);
    mpz_t b, e, big, v, want, got, t;
    mpz_inits(b, e, big, v, want, got, t, NULL);
    rand_member(g, rng, b);
    rand_zp(g, rng, v);
    sc_rng_scalar(rng, g, e);
    mpz_set_ui(big, 1);
    mpz_mul_2exp(big, big, g->qbits + 40);
    mpz_add_ui(big, big, 3);
    for (int c = 0; c < 3; c++) {
        sc_fb *fb = NULL;
        assert_int_equal(sc_fb_new(&fb, g, b), SC_OK);
        mpz_powm(want, b, e, g->p);
        sc_fb_pow(fb, got, e); /* public first */
        assert_int_equal(mpz_cmp(got, want), 0);
        if (c == 0) { /* then outside the range */
            mpz_powm(want, b, big, g->p);
            sc_fb_pow(fb, got, big);
        } else if (c == 1) { /* b^big v^e, outside the range */
            mpz_powm(want, b, big, g->p);
            mpz_powm(t, v, e, g->p);
            mpz_mul(want, want, t);
            mpz_mod(want, want, g->p);
            mpz_set(got, v);
            sc_fb_vb_pow2(fb, big, NULL, got, e);
        } else { /* then the secret path */
            sc_fb_pow_secret(fb, got, e);
        }
        assert_int_equal(mpz_cmp(got, want), 0);
        sc_fb_free(fb);
    }
    mpz_clears(b, e, big, v, want, got, t, NULL);
    sc_group_free(g);
    sc_rng_free(rng);
}

static void variable_base_and_pow2(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(14);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(all_groups[gi]);
        mpz_t b, e, e1, want, got, t;
        mpz_inits(b, e, e1, want, got, t, NULL);
        rand_zp(g, rng, b);
        sc_vb *vb = NULL;
        assert_int_equal(sc_vb_new(&vb, g, b), SC_OK);
        for (int k = 0; k < NEXP; k++) {
            exponent(g, rng, k, e);
            mpz_powm(want, b, e, g->p);
            sc_vb_pow(vb, got, e);
            assert_int_equal(mpz_cmp(got, want), 0);
            /* g^e1 b^e2 with and without the vb table */
            exponent(g, rng, (k + 3) % NEXP, e1);
            mpz_powm(t, g->g, e1, g->p);
            mpz_mul(want, want, t);
            mpz_mod(want, want, g->p);
            sc_fb_vb_pow2(g->g_fb, e1, vb, got, e);
            assert_int_equal(mpz_cmp(got, want), 0);
            mpz_set(got, b);
            sc_fb_vb_pow2(g->g_fb, e1, NULL, got, e);
            assert_int_equal(mpz_cmp(got, want), 0);
        }
        sc_vb_free(vb);
        mpz_clears(b, e, e1, want, got, t, NULL);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

static void multi_pow_matches_mpz(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(15);
    /* Sizes around the internal chunk of 64 bases. */
    static const size_t sizes[] = {0, 1, 2, 5, 64, 65, 130};
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(all_groups[gi]);
        size_t nmax = 130;
        mpz_t *bs = malloc(nmax * sizeof(mpz_t));
        mpz_t *es = malloc(nmax * sizeof(mpz_t));
        for (size_t i = 0; i < nmax; i++) {
            mpz_inits(bs[i], es[i], NULL);
            rand_zp(g, rng, bs[i]);
            exponent(g, rng, (int)(i % NEXP), es[i]);
            if (i % 7 == 3) {
                /* mixed exponent lengths (e.g. 128-bit batch weights) */
                mpz_fdiv_r_2exp(es[i], es[i], 33);
            }
        }
        mpz_t want, got, t;
        mpz_inits(want, got, t, NULL);
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si];
            if (g->id != SC_GROUP_TOY_Q64 && g->id != SC_GROUP_STANDARD &&
                n > 65) {
                continue;
            }
            mpz_set_ui(want, 1);
            for (size_t i = 0; i < n; i++) {
                mpz_powm(t, bs[i], es[i], g->p);
                mpz_mul(want, want, t);
                mpz_mod(want, want, g->p);
            }
            sc_multi_pow(g, got, n, (const mpz_t *)bs, (const mpz_t *)es);
            assert_int_equal(mpz_cmp(got, want), 0);
        }
        for (size_t i = 0; i < nmax; i++) {
            mpz_clears(bs[i], es[i], NULL);
        }
        free(bs);
        free(es);
        mpz_clears(want, got, t, NULL);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* A value of Z_p^* outside Z_p^r with Legendre symbol +1 (so only the
 * random-combination part of the batch can catch it): h^2 for a random h
 * whose square is not a member. */
static void square_non_member(sc_group *g, sc_rng *rng, mpz_t out)
{
    mpz_t t;
    mpz_init(t);
    do {
        rand_zp(g, rng, out);
        mpz_mul(out, out, out);
        mpz_mod(out, out, g->p);
        mpz_powm(t, out, g->q, g->p);
    } while (mpz_cmp_ui(t, 1) == 0);
    mpz_clear(t);
}

static void membership_batch_n(size_t n)
{
    sc_rng *rng = t_rng(16);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(all_groups[gi]);
        mpz_t *xs = malloc(n * sizeof(mpz_t));
        for (size_t i = 0; i < n; i++) {
            mpz_init(xs[i]);
            rand_member(g, rng, xs[i]);
        }
        size_t bad = 999;
        assert_int_equal(
            sc_subgroup_check_batch(g, n, (const mpz_t *)xs, rng, &bad), SC_OK);
        assert_int_equal(sc_subgroup_check_batch(g, 0, NULL, rng, &bad), SC_OK);
        /* A batch of one (checked alone). */
        assert_int_equal(
            sc_subgroup_check_batch(g, 1, (const mpz_t *)xs, rng, &bad), SC_OK);
        /* 1 is a member. */
        mpz_t save, one;
        mpz_init_set(save, xs[5]);
        mpz_init_set_ui(one, 1);
        mpz_set_ui(xs[5], 1);
        assert_int_equal(
            sc_subgroup_check_batch(g, n, (const mpz_t *)xs, rng, &bad), SC_OK);
        /* Each bad value at several positions: the index is reported. */
        mpz_t badv[6];
        for (int v = 0; v < 6; v++) {
            mpz_init(badv[v]);
        }
        mpz_set_ui(badv[0], 0);
        mpz_sub_ui(badv[1], g->p, 1); /* order 2, Legendre -1 or +1 */
        mpz_set(badv[2], g->p);
        mpz_set_ui(badv[3], 2);
        square_non_member(g, rng, badv[4]);
        mpz_add_ui(badv[5], g->p, 5);
        const size_t pos[] = {0, 5, 37, n - 6, n - 1};
        for (int v = 0; v < 6; v++) {
            for (size_t pi = 0; pi < sizeof pos / sizeof pos[0]; pi++) {
                size_t at = pos[pi];
                mpz_swap(xs[at], badv[v]);
                bad = 999;
                assert_int_equal(
                    sc_subgroup_check_batch(g, n, (const mpz_t *)xs, rng, &bad),
                    SC_E_INVALID_NOT_IN_SUBGROUP);
                assert_int_equal(bad, at);
                mpz_swap(xs[at], badv[v]);
            }
            bad = 999;
            assert_int_equal(sc_subgroup_check_batch(
                                 g, 1, (const mpz_t *)&badv[v], rng, &bad),
                             SC_E_INVALID_NOT_IN_SUBGROUP);
            assert_int_equal(bad, 0);
        }
        /* Two bad ones: the first is reported. */
        mpz_swap(xs[40], badv[4]);
        mpz_swap(xs[60], badv[3]);
        assert_int_equal(
            sc_subgroup_check_batch(g, n, (const mpz_t *)xs, NULL, &bad),
            SC_E_INVALID_NOT_IN_SUBGROUP);
        assert_int_equal(bad, 40);
        mpz_swap(xs[40], badv[4]);
        mpz_swap(xs[60], badv[3]);
        for (int v = 0; v < 6; v++) {
            mpz_clear(badv[v]);
        }
        mpz_clears(save, one, NULL);
        for (size_t i = 0; i < n; i++) {
            mpz_clear(xs[i]);
        }
        free(xs);
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* 70: over one internal chunk; 300: the square test's path for the signs
 * (arith.c SC_BATCH_SQTEST_MIN), then the exact path to name the bad one */
static void membership_batch(void **state)
{
    (void)state;
    membership_batch_n(70);
    membership_batch_n(300);
}

/* The soundness argument of the batch (docs/ARITH.md) needs r/2 prime for
 * the sets it is used on. */
static void batch_precondition_holds(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_3072);
    mpz_t l;
    mpz_init(l);
    assert_true(mpz_even_p(g->r));
    mpz_fdiv_q_2exp(l, g->r, 1);
    assert_true(mpz_probab_prime_p(l, 5) > 0);
    assert_true(mpz_cmp(l, g->q) != 0);
    mpz_clear(l);
    sc_group_free(g);
}

static void dlog_finds(void **state)
{
    (void)state;
    static const sc_group_id ids[] = {SC_GROUP_STANDARD, SC_GROUP_TOY_Q64,
                                      SC_GROUP_TOY_Q16};
    for (size_t gi = 0; gi < sizeof ids / sizeof ids[0]; gi++) {
        sc_group *g = t_group(ids[gi]);
        sc_dlog *dl = NULL;
        assert_int_equal(sc_dlog_new(&dl, g, g->g, 10000), SC_OK);
        static const uint64_t ts[] = {0, 1, 2, 99, 100, 101, 1000, 9999, 10000};
        mpz_t y, e;
        mpz_inits(y, e, NULL);
        for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
            mpz_set_ui(e, ts[i]);
            mpz_powm(y, g->g, e, g->p);
            uint64_t t = 12345678;
            assert_int_equal(sc_dlog_find(dl, &t, y), SC_OK);
            assert_int_equal(t, ts[i]);
        }
        if (mpz_cmp_ui(g->q, 10001) > 0) {
            mpz_set_ui(e, 10001);
            mpz_powm(y, g->g, e, g->p);
            uint64_t t;
            assert_int_equal(sc_dlog_find(dl, &t, y), SC_E_RANGE);
        }
        sc_dlog_free(dl);
        mpz_clears(y, e, NULL);
        sc_group_free(g);
    }
}

/* Toy q = 127: base of order 127 and max_t above it: smallest t wins. */
static void dlog_small_order(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_TOY_Q7);
    sc_dlog *dl = NULL;
    assert_int_equal(sc_dlog_new(&dl, g, g->g, 1000), SC_OK);
    mpz_t y, e;
    mpz_inits(y, e, NULL);
    for (unsigned long k = 0; k < 300; k += 7) {
        mpz_set_ui(e, k);
        mpz_powm(y, g->g, e, g->p);
        uint64_t t;
        assert_int_equal(sc_dlog_find(dl, &t, y), SC_OK);
        assert_int_equal(t, k % 127);
    }
    mpz_clears(y, e, NULL);
    sc_dlog_free(dl);
    sc_group_free(g);
}

static void dlog_ten_million(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    sc_dlog *dl = NULL;
    assert_int_equal(sc_dlog_new(&dl, g, g->g, 10000000), SC_OK);
    static const uint64_t ts[] = {0, 1, 1000, 9999999, 10000000};
    mpz_t y, e;
    mpz_inits(y, e, NULL);
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        mpz_set_ui(e, ts[i]);
        mpz_powm(y, g->g, e, g->p);
        uint64_t t = 0;
        assert_int_equal(sc_dlog_find(dl, &t, y), SC_OK);
        assert_int_equal(t, ts[i]);
    }
    mpz_set_ui(e, 10000001);
    mpz_powm(y, g->g, e, g->p);
    uint64_t t;
    assert_int_equal(sc_dlog_find(dl, &t, y), SC_E_RANGE);
    mpz_clears(y, e, NULL);
    sc_dlog_free(dl);
    sc_group_free(g);
}

/* Several threads on one group and one table at once (read-only state,
 * per-call scratch). */
struct thr_arg {
    sc_group *g;
    sc_fb *fb;
    int ok;
    unsigned seed;
};

static void *thr_main(void *p)
{
    struct thr_arg *a = p;
    mpz_t e, want, got;
    mpz_inits(e, want, got, NULL);
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, a->seed);
    a->ok = 1;
    for (int i = 0; i < 8; i++) {
        mpz_urandomm(e, rs, a->g->q);
        mpz_powm(want, a->g->g, e, a->g->p);
        sc_fb_pow_secret(a->fb, got, e);
        a->ok &= mpz_cmp(got, want) == 0;
        sc_fb_pow(a->fb, got, e);
        a->ok &= mpz_cmp(got, want) == 0;
        sc_pow(a->g, got, a->g->g, e);
        a->ok &= mpz_cmp(got, want) == 0;
    }
    gmp_randclear(rs);
    mpz_clears(e, want, got, NULL);
    return NULL;
}

static void threads_share_tables(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    pthread_t th[4];
    struct thr_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct thr_arg){g, g->g_fb, 0, (unsigned)i + 1};
        assert_int_equal(pthread_create(&th[i], NULL, thr_main, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_true(args[i].ok);
    }
    sc_group_free(g);
}

/* A table fills its rows on first use (sc_fb_ready): four threads that
 * start together on a new table, each with its own path first (public,
 * secret, secret pair, fixed times variable base), must all see it
 * written once and right. */
struct first_arg {
    sc_group *g;
    sc_fb *fb;
    const mpz_t *h;
    pthread_barrier_t *bar;
    int path, ok;
};

static void *first_main(void *p)
{
    struct first_arg *a = p;
    const sc_group *g = a->g;
    mpz_t e, e2, want, want2, got, got2;
    mpz_inits(e, e2, want, want2, got, got2, NULL);
    mpz_set_ui(e, 0x9e3779b9u + (unsigned)a->path);
    mpz_mul(e, e, e);
    mpz_mul(e, e, e); /* ~128 bits */
    mpz_add_ui(e2, e, 7);
    mpz_powm(want, *a->h, e, g->p);
    mpz_powm(want2, *a->h, e2, g->p);
    pthread_barrier_wait(a->bar);
    a->ok = 1;
    switch (a->path) {
    case 0: sc_fb_pow(a->fb, got, e); break;
    case 1: sc_fb_pow_secret(a->fb, got, e); break;
    case 2:
        sc_fb_pow_secret2(a->fb, got, got2, e, e2);
        a->ok &= mpz_cmp(got2, want2) == 0;
        break;
    default: {
        sc_vb *vb = NULL; /* h^e * 1^e2 */
        mpz_t one;
        mpz_init_set_ui(one, 1);
        a->ok &= sc_vb_new(&vb, g, one) == SC_OK;
        if (vb != NULL) {
            sc_fb_vb_pow2(a->fb, e, vb, got, e2);
        }
        sc_vb_free(vb);
        mpz_clear(one);
    }
    }
    a->ok &= mpz_cmp(got, want) == 0;
    mpz_clears(e, e2, want, want2, got, got2, NULL);
    return NULL;
}

static void table_first_use_threads(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    for (int round = 0; round < 3; round++) {
        mpz_t h;
        mpz_init(h);
        mpz_powm_ui(h, g->g, 5u + (unsigned)round, g->p);
        sc_fb *fb = NULL;
        assert_int_equal(sc_fb_new(&fb, g, h), SC_OK);
        pthread_barrier_t bar;
        pthread_barrier_init(&bar, NULL, 4);
        pthread_t th[4];
        struct first_arg args[4];
        const mpz_t *hp = (const mpz_t *)&h;
        for (int i = 0; i < 4; i++) {
            args[i] = (struct first_arg){g, fb, hp, &bar, (i + round) % 4, 0};
            assert_int_equal(pthread_create(&th[i], NULL, first_main, &args[i]),
                             0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            assert_true(args[i].ok);
        }
        pthread_barrier_destroy(&bar);
        sc_fb_ready(fb); /* written already: returns at once */
        sc_fb_free(fb);
        mpz_clear(h);
    }
    sc_group_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(montgomery_paths_agree),
        cmocka_unit_test(pow_matches_mpz),
        cmocka_unit_test(mulmod_invmod),
        cmocka_unit_test(fixed_base_matches_mpz),
        cmocka_unit_test(fixed_base_rows_on_first_use),
        cmocka_unit_test(variable_base_and_pow2),
        cmocka_unit_test(multi_pow_matches_mpz),
        cmocka_unit_test(membership_batch),
        cmocka_unit_test(batch_precondition_holds),
        cmocka_unit_test(dlog_finds),
        cmocka_unit_test(dlog_small_order),
        cmocka_unit_test(threads_share_tables),
        cmocka_unit_test(table_first_use_threads),
        /* ~0.1 s in a release build: no `slow` label needed. */
        cmocka_unit_test(dlog_ten_million),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
