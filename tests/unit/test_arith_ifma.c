/* The AVX-512 IFMA Montgomery kernel (src/lib/arith/ifma.c) against mpz,
 * and the constant-time paths that use it (sc_mont_mul_ct, sc_fb_pow_secret,
 * sc_pow_secret) and the public exponentiations (sc_pow, sc_vb_pow,
 * sc_fb_pow, sc_fb_vb_pow2, sc_multi_pow, vc_pow_many, membership and its
 * batch) against mpz_powm with the kernel on and off (the
 * fallback). On a CPU without IFMA the kernel cases are skipped with a
 * message and the fallback cases still run. */
#include "testlib.h"
#include "t_digits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"
#include "scrutin/rng.h"
#include "verify/common/vcommon.h"

static const sc_group_id big_groups[] = {SC_GROUP_STANDARD, SC_GROUP_3072};
#define NBIG (sizeof big_groups / sizeof big_groups[0])

static int have_ifma(void)
{
    static int said = 0;
    int ok = sc_ifma_cpu();
    if (!ok && !said) {
        printf("# test_arith_ifma: no AVX-512 IFMA on this CPU: kernel cases "
               "skipped, fallback cases run\n");
        said = 1;
    }
    return ok;
}

/* r52 is a kernel result for x y: digits < 2^52, value < 2p, equal to
 * x y / R' mod p (rinv = R'^-1 mod p); want = x y / R' mod p. The value is
 * exactly operand-scanning Montgomery's, (x y + Q p) / R' with Q = -x y
 * p^-1 mod R' (every kernel gives it: the product and the squarings agree
 * digit for digit). */
static void kernel_result_ok(const sc_group *g, const uint64_t *r52,
                             const mpz_t x, const mpz_t y, const mpz_t rinv,
                             mpz_t want)
{
    const sc_mont *m = &g->ar->mont;
    mpz_t got, exact;
    mpz_inits(got, exact, NULL);
    for (int k = 0; k < m->nd52; k++) {
        assert_true(r52[k] < ((uint64_t)1 << 52));
    }
    t_digits_to_mpz(m, got, r52);
    t_mont_exact(g, exact, x, y);
    assert_int_equal(mpz_cmp(got, exact), 0);
    mpz_clear(exact);
    mpz_mul(want, x, y);
    mpz_mul(want, want, rinv);
    mpz_mod(want, want, g->p);
    mpz_t twop;
    mpz_init(twop);
    mpz_mul_2exp(twop, g->p, 1);
    assert_true(mpz_cmp(got, twop) < 0);
    mpz_clear(twop);
    mpz_mod(got, got, g->p);
    assert_int_equal(mpz_cmp(got, want), 0);
    mpz_clear(got);
}

/* sc_ifma_mul: r = a b / 2^(52 ns52) mod p, digits < 2^52, value < 2p, for
 * every pair of edge values and many random ones; aliasing r = a. */
static void kernel_matches_mpz(void **state)
{
    (void)state;
    if (!have_ifma()) {
        return;
    }
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 52);
    for (size_t gi = 0; gi < NBIG; gi++) {
        sc_group *g = t_group(big_groups[gi]);
        const sc_mont *m = &g->ar->mont;
        assert_int_equal(m->ifma, 1);
        mpz_t a, b, got, want, rinv;
        mpz_inits(a, b, got, want, rinv, NULL);
        sc_mont scalar = *m; /* the conversions' scalar path */
        scalar.ifma = 0;
        sc_ifma_room room;
        memset(&room, 0xa5, sizeof room); /* the kernel needs no clean room */
        mpz_set_ui(rinv, 0);
        mpz_setbit(rinv, (mp_bitcnt_t)(52 * m->ns52));
        assert_true(mpz_invert(rinv, rinv, g->p));
        for (int i = 0; i < 3000; i++) {
            /* all 10 x 10 edge pairs, then random ones */
            t_kernel_operand(g, rs, i < 100 ? i % 10 : 10 + i, a);
            t_kernel_operand(g, rs, i < 100 ? i / 10 : 11 + 2 * i, b);
            uint64_t a52[SC_IFMA_MAXD], b52[SC_IFMA_MAXD], r52[SC_IFMA_MAXD];
            t_mpz_to_digits(m, a52, a);
            t_mpz_to_digits(m, b52, b);
            t_digits_to_mpz(m, got, a52);
            assert_int_equal(mpz_cmp(got, a), 0);
            if (mpz_size(a) <= (size_t)m->n) {
                /* the library's conversion from limbs agrees */
                uint64_t c52[SC_IFMA_MAXD];
                sc_ifma_from_mpz(m, c52, a);
                assert_int_equal(
                    memcmp(c52, a52, sizeof(uint64_t) * (size_t)m->nd52), 0);
                /* and the public (vector) conversion */
                mp_limb_t al[SC_MONT_MAXN] = {0};
                memcpy(al, mpz_limbs_read(a), mpz_size(a) * sizeof *al);
                memset(c52, 0xa5, sizeof c52);
                sc_ifma_from_limbs_pub(m, c52, al);
                assert_int_equal(
                    memcmp(c52, a52, sizeof(uint64_t) * (size_t)m->nd52), 0);
                /* the constant-time one on both paths (vector with the
                 * kernel on, the scalar loop with it off) */
                memset(c52, 0xa5, sizeof c52);
                sc_ifma_from_limbs(m, c52, al);
                assert_int_equal(
                    memcmp(c52, a52, sizeof(uint64_t) * (size_t)m->nd52), 0);
                memset(c52, 0xa5, sizeof c52);
                sc_ifma_from_limbs(&scalar, c52, al);
                assert_int_equal(
                    memcmp(c52, a52, sizeof(uint64_t) * (size_t)m->nd52), 0);
            }
            sc_ifma_mul(m, r52, a52, b52);
            kernel_result_ok(g, r52, a, b, rinv, want);
            /* to_limbs: the value mod p, fully reduced */
            mp_limb_t r[SC_MONT_MAXN];
            sc_ifma_to_limbs(m, r, r52);
            mpz_t rz;
            mpz_roinit_n(rz, r, m->n);
            assert_int_equal(mpz_cmp(rz, want), 0);
            /* the squarings: a^2 / R' mod p, digits < 2^52, below 2p;
             * the squaring kernel (sc_ifma_sqr with a room reused from
             * the previous values, as an exponentiation does, and
             * sc_ifma_sqr_pub) gives the product kernel's digits, also
             * with r = a */
            uint64_t s52[SC_IFMA_MAXD], t52[SC_IFMA_MAXD];
            sc_ifma_mul(m, s52, a52, a52);
            kernel_result_ok(g, s52, a, a, rinv, got);
            sc_ifma_sqr(m, t52, a52, &room);
            kernel_result_ok(g, t52, a, a, rinv, got);
            assert_int_equal(
                memcmp(t52, s52, sizeof(uint64_t) * (size_t)m->nd52), 0);
            memcpy(t52, a52, sizeof t52);
            sc_ifma_sqr(m, t52, t52, &room);
            assert_int_equal(
                memcmp(t52, s52, sizeof(uint64_t) * (size_t)m->nd52), 0);
            sc_ifma_sqr_pub(m, t52, a52);
            assert_int_equal(
                memcmp(t52, s52, sizeof(uint64_t) * (size_t)m->nd52), 0);
            memcpy(t52, a52, sizeof t52);
            sc_ifma_sqr_pub(m, t52, t52);
            assert_int_equal(
                memcmp(t52, s52, sizeof(uint64_t) * (size_t)m->nd52), 0);
            /* aliasing: r = a */
            sc_ifma_mul(m, a52, a52, b52);
            assert_int_equal(
                memcmp(a52, r52, sizeof(uint64_t) * (size_t)m->nd52), 0);
        }
        mpz_clears(a, b, got, want, rinv, NULL);
        sc_group_free(g);
    }
    gmp_randclear(rs);
}

/* The cores' normalisation (tools/gen_ifma_core.py finish): after one
 * vector carry pass, a lane above 2^52 - 1 (G) carries into the next and
 * a lane equal to 2^52 - 1 (P) passes a carry on. Random operands almost
 * never reach either (a lane must fall within 2^9 of 2^52), so these are
 * results made to: t = x y / R' or a^2 / R' mod p for t with zero digits
 * (a zero digit with a carry from the raw lane below is a G lane) and
 * all-ones digits (a P lane, or a carry in), in every vector. x = t, y =
 * R' mod p for the product; a = the square roots of t R' (p = 3 mod 4)
 * and their other forms below 2p for the squarings. The kernels' value
 * must be operand scanning's exactly (kernel_result_ok). */
static void normalisation_carries(void **state)
{
    (void)state;
    if (!have_ifma()) {
        return;
    }
    for (size_t gi = 0; gi < NBIG; gi++) {
        sc_group *g = t_group(big_groups[gi]);
        const sc_mont *m = &g->ar->mont;
        mpz_t t, x, rp, rinv, e, a, want, twop;
        mpz_inits(t, x, rp, rinv, e, a, want, twop, NULL);
        mpz_setbit(rp, (mp_bitcnt_t)(52 * m->ns52));
        mpz_mod(rp, rp, g->p); /* R' mod p */
        assert_true(mpz_invert(rinv, rp, g->p));
        mpz_add_ui(e, g->p, 1);
        mpz_fdiv_q_2exp(e, e, 2); /* (p + 1) / 4 */
        mpz_mul_2exp(twop, g->p, 1);
        sc_ifma_room room;
        memset(&room, 0xa5, sizeof room);
        int squares = 0, exact = 0;
        for (int j = 0; j < m->ns52 - 1; j++) {
            for (int kind = 0; kind < 4; kind++) {
                /* about p / 2 with digits 0..j zero, plus B^j, B^j - 1,
                 * B^j + 1 or (B - 1) B^j */
                mpz_fdiv_q_2exp(t, g->p, 52 * (mp_bitcnt_t)(j + 1) + 1);
                mpz_mul_2exp(t, t, 52 * (mp_bitcnt_t)(j + 1));
                mpz_set_ui(x, 0);
                mpz_setbit(x, 52 * (mp_bitcnt_t)j);
                if (kind == 1) {
                    mpz_sub_ui(x, x, j ? 1 : 0);
                } else if (kind == 2) {
                    mpz_add_ui(x, x, 1);
                } else if (kind == 3) {
                    mpz_mul_ui(x, x, ((uint64_t)1 << 52) - 1);
                }
                mpz_add(t, t, x);
                if (mpz_sgn(t) == 0 || mpz_cmp(t, g->p) >= 0) {
                    continue;
                }
                uint64_t x52[SC_IFMA_MAXD], y52[SC_IFMA_MAXD],
                    r52[SC_IFMA_MAXD], s52[SC_IFMA_MAXD];
                t_mpz_to_digits(m, x52, t);
                t_mpz_to_digits(m, y52, rp);
                sc_ifma_mul(m, r52, x52, y52);
                kernel_result_ok(g, r52, t, rp, rinv, want);
                if (kind == 1 || kind == 2) {
                    continue; /* the squarings: zero runs, a lone all-ones
                               * digit (mpz_powm below is the time) */
                }
                /* a with a^2 = t R' mod p, when t R' is a square */
                mpz_mul(x, t, rp);
                mpz_mod(x, x, g->p);
                mpz_powm(a, x, e, g->p);
                mpz_mul(want, a, a);
                mpz_mod(want, want, g->p);
                if (mpz_cmp(want, x) != 0) {
                    continue;
                }
                /* the root below p / 2 (f = 0) gives t itself: a^2 <
                 * p^2 / 4 <= t R', so Q = (t R' - a^2) / p is in [0, R')
                 * and is the Montgomery digits' Q */
                mpz_sub(x, g->p, a);
                if (mpz_cmp(x, a) < 0) {
                    mpz_swap(x, a);
                }
                for (int f = 0; f < 4; f++) { /* a, p - a, a + p, 2p - a */
                    mpz_t v;
                    mpz_init(v);
                    if (f & 1) {
                        mpz_sub(v, g->p, a);
                    } else {
                        mpz_set(v, a);
                    }
                    if (f & 2) {
                        mpz_add(v, v, g->p);
                    }
                    if (mpz_cmp(v, twop) < 0) {
                        t_mpz_to_digits(m, x52, v);
                        sc_ifma_sqr(m, r52, x52, &room);
                        kernel_result_ok(g, r52, v, v, rinv, want);
                        if (f == 0) {
                            t_digits_to_mpz(m, want, r52);
                            assert_int_equal(mpz_cmp(want, t), 0);
                            exact++;
                        }
                        sc_ifma_sqr_pub(m, s52, x52);
                        assert_int_equal(
                            memcmp(s52, r52,
                                   sizeof(uint64_t) * (size_t)m->nd52),
                            0);
                        sc_ifma_mul(m, s52, x52, x52);
                        assert_int_equal(
                            memcmp(s52, r52,
                                   sizeof(uint64_t) * (size_t)m->nd52),
                            0);
                        squares++;
                    }
                    mpz_clear(v);
                }
            }
        }
        assert_true(exact > m->ns52 / 2); /* about half of 2 (S - 1) */
        assert_true(squares > 3 * exact);
        mpz_clears(t, x, rp, rinv, e, a, want, twop, NULL);
        sc_group_free(g);
    }
}

/* sc_mont_mul_ct / sqr_ct on the kernel and on the fallback (a copy of
 * the context with ifma = 0) give identical, fully reduced results. */
static void mul_ct_kernel_and_fallback(void **state)
{
    (void)state;
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 7);
    for (size_t gi = 0; gi < NBIG; gi++) {
        sc_group *g = t_group(big_groups[gi]);
        sc_mont fast = g->ar->mont, slow = g->ar->mont;
        slow.ifma = 0;
        if (!have_ifma()) {
            assert_int_equal(fast.ifma, 0);
        }
        const mp_size_t n = fast.n;
        mpz_t a, b, want, got;
        mpz_inits(a, b, want, got, NULL);
        for (int i = 0; i < 2000; i++) {
            t_kernel_operand(g, rs, i < 9 ? i % 3 : 10 + 3 * i, a); /* [0, p) */
            t_kernel_operand(g, rs, i < 9 ? i / 3 : 11 + 3 * i, b);
            mp_limb_t am[SC_MONT_MAXN], bm[SC_MONT_MAXN], r1[SC_MONT_MAXN],
                r2[SC_MONT_MAXN], r3[SC_MONT_MAXN], r4[SC_MONT_MAXN];
            sc_mont_from_mpz(&slow, am, a);
            sc_mont_from_mpz(&slow, bm, b);
            sc_mont_mul_ct(&fast, r1, am, bm);
            sc_mont_mul_ct(&slow, r2, am, bm);
            assert_int_equal(mpn_cmp(r1, r2, n), 0);
            sc_mont_sqr_ct(&fast, r3, am);
            sc_mont_sqr_ct(&slow, r4, am);
            assert_int_equal(mpn_cmp(r3, r4, n), 0);
            sc_mont_to_mpz_ct(&fast, got, r1);
            mpz_mul(want, a, b);
            mpz_mod(want, want, g->p);
            assert_int_equal(mpz_cmp(got, want), 0);
            /* aliasing r = a on the kernel path */
            sc_mont_mul_ct(&fast, am, am, bm);
            assert_int_equal(mpn_cmp(am, r1, n), 0);
        }
        mpz_clears(a, b, want, got, NULL);
        sc_group_free(g);
    }
    gmp_randclear(rs);
}

/* sc_fb_pow_secret, sc_fb_pow_secret2 and sc_pow_secret equal mpz_powm for
 * exponents 0, 1, q - 1, 2^qbits-ish edges and random ones, on a group built
 * with the kernel (when the CPU has it) and one built without (the fallback).
 */
static void secret_pow_both_paths(void **state)
{
    (void)state;
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 99);
    for (int allow = 1; allow >= 0; allow--) {
        sc_mont_ifma_allow(allow);
        for (size_t gi = 0; gi < NBIG; gi++) {
            sc_group *g = t_group(big_groups[gi]);
            assert_int_equal(g->ar->mont.ifma, allow && have_ifma());
            mpz_t base, e, e1, got1, want, got;
            mpz_inits(base, e, e1, got1, want, got, NULL);
            mpz_urandomm(e1, rs, g->q);
            /* a base other than g: K-like, g^s */
            mpz_urandomm(e, rs, g->q);
            mpz_powm(base, g->g, e, g->p);
            sc_fb *fb;
            assert_int_equal(sc_fb_new(&fb, g, base), SC_OK);
            for (int i = 0; i < 40; i++) {
                switch (i) {
                case 0: mpz_set_ui(e, 0); break;
                case 1: mpz_set_ui(e, 1); break;
                case 2: mpz_sub_ui(e, g->q, 1); break;
                case 3: mpz_set_ui(e, 2); break;
                case 4: /* every window digit 2^w - 1 that fits below q */
                    mpz_set_ui(e, 0);
                    mpz_setbit(e, mpz_sizeinbase(g->q, 2) - 1);
                    mpz_sub_ui(e, e, 1);
                    break;
                default: mpz_urandomm(e, rs, g->q); break;
                }
                mpz_powm(want, base, e, g->p);
                sc_fb_pow_secret(fb, got, e);
                assert_int_equal(mpz_cmp(got, want), 0);
                sc_fb_pow_secret(g->g_fb, got, e);
                mpz_powm(want, g->g, e, g->p);
                assert_int_equal(mpz_cmp(got, want), 0);
                sc_pow_secret(g, got, base, e);
                mpz_powm(want, base, e, g->p);
                assert_int_equal(mpz_cmp(got, want), 0);
                /* two at once (one scan pass for both on the kernel):
                 * this exponent with the previous one, and in the last
                 * round with one outside the table's range (p - 1) */
                if (i == 39) {
                    mpz_sub_ui(e1, g->p, 1);
                }
                sc_fb_pow_secret2(fb, got, got1, e, e1);
                mpz_powm(want, base, e, g->p);
                assert_int_equal(mpz_cmp(got, want), 0);
                mpz_powm(want, base, e1, g->p);
                assert_int_equal(mpz_cmp(got1, want), 0);
                mpz_set(e1, e);
            }
            /* sc_pow_secret's edge bases (its table is built from the
             * base on either path): 0, 1, p - 1, p, p + 5 (reduced
             * first), 2 and a random value below p (not members) */
            for (int bi = 0; bi < 7; bi++) {
                switch (bi) {
                case 0: mpz_set_ui(base, 0); break;
                case 1: mpz_set_ui(base, 1); break;
                case 2: mpz_sub_ui(base, g->p, 1); break;
                case 3: mpz_set(base, g->p); break;
                case 4: mpz_add_ui(base, g->p, 5); break;
                case 5: mpz_set_ui(base, 2); break;
                default: mpz_urandomm(base, rs, g->p); break;
                }
                for (int i = 0; i < 4; i++) {
                    if (i == 0) {
                        mpz_set_ui(e, 0);
                    } else if (i == 1) {
                        mpz_sub_ui(e, g->q, 1);
                    } else {
                        mpz_urandomm(e, rs, g->q);
                    }
                    sc_pow_secret(g, got, base, e);
                    mpz_powm(want, base, e, g->p);
                    assert_int_equal(mpz_cmp(got, want), 0);
                }
            }
            sc_fb_free(fb);
            mpz_clears(base, e, e1, got1, want, got, NULL);
            sc_group_free(g);
        }
    }
    sc_mont_ifma_allow(1);
    gmp_randclear(rs);
}

/* Exponent number i for the public paths: edges, then random. */
static void pub_exp(const sc_group *g, gmp_randstate_t rs, int i, mpz_t e)
{
    switch (i) {
    case 0: mpz_set_ui(e, 0); break;
    case 1: mpz_set_ui(e, 1); break;
    case 2: mpz_sub_ui(e, g->q, 1); break;
    case 3: mpz_set(e, g->q); break; /* membership */
    case 4:                          /* 2^256 - 1 */
        mpz_set_ui(e, 0);
        mpz_setbit(e, 256);
        mpz_sub_ui(e, e, 1);
        break;
    case 5: mpz_set_ui(e, 2); break;
    case 6: mpz_urandomb(e, rs, 700); break; /* beyond the fixed table */
    case 7: mpz_sub_ui(e, g->p, 1); break;   /* 4096 / 3072 bits */
    case 8: mpz_urandomb(e, rs, 128); break; /* batch-size exponent */
    default: mpz_urandomm(e, rs, g->q); break;
    }
}

/* Base number i: 1, p - 1, g, then random group members and random
 * residues (not necessarily members). */
static void pub_base(const sc_group *g, gmp_randstate_t rs, int i, mpz_t b)
{
    switch (i) {
    case 0: mpz_set_ui(b, 1); break;
    case 1: mpz_sub_ui(b, g->p, 1); break;
    case 2: mpz_set(b, g->g); break;
    case 3: {
        mpz_t e;
        mpz_init(e);
        mpz_urandomm(e, rs, g->q);
        mpz_powm(b, g->g, e, g->p);
        mpz_clear(e);
        break;
    }
    default:
        mpz_urandomm(b, rs, g->p);
        if (mpz_sgn(b) == 0) {
            mpz_set_ui(b, 2);
        }
        break;
    }
}

#define NPB 6  /* bases */
#define NPE 14 /* exponents */

/* Every public exponentiation equals mpz_powm, kernel on and off. */
static void public_pow_both_paths(void **state)
{
    (void)state;
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 2024);
    for (int allow = 1; allow >= 0; allow--) {
        sc_mont_ifma_allow(allow);
        for (size_t gi = 0; gi < NBIG; gi++) {
            sc_group *g = t_group(big_groups[gi]);
            assert_int_equal(g->ar->mont.ifma, allow && have_ifma());
            mpz_t b, want, got, t;
            mpz_t es[NPE], outs[NPE];
            mpz_inits(b, want, got, t, NULL);
            for (int i = 0; i < NPE; i++) {
                mpz_inits(es[i], outs[i], NULL);
                pub_exp(g, rs, i, es[i]);
            }
            for (int bi = 0; bi < NPB; bi++) {
                pub_base(g, rs, bi, b);
                sc_fb *fb;
                sc_vb *vb;
                assert_int_equal(sc_fb_new(&fb, g, b), SC_OK);
                assert_int_equal(sc_vb_new(&vb, g, b), SC_OK);
                vc_pow_many(g, outs, b, NPE, (const mpz_t *)es);
                for (int i = 0; i < NPE; i++) {
                    mpz_powm(want, b, es[i], g->p);
                    sc_pow(g, got, b, es[i]);
                    assert_int_equal(mpz_cmp(got, want), 0);
                    sc_vb_pow(vb, got, es[i]);
                    assert_int_equal(mpz_cmp(got, want), 0);
                    sc_fb_pow(fb, got, es[i]);
                    assert_int_equal(mpz_cmp(got, want), 0);
                    assert_int_equal(mpz_cmp(outs[i], want), 0);
                    /* g^e1 b^e2, with the table and with vb = NULL */
                    const mpz_t *e1 = &es[(i + 3) % NPE];
                    mpz_powm(t, g->g, *e1, g->p);
                    mpz_mul(want, want, t);
                    mpz_mod(want, want, g->p);
                    sc_fb_vb_pow2(g->g_fb, *e1, vb, got, es[i]);
                    assert_int_equal(mpz_cmp(got, want), 0);
                    mpz_set(got, b);
                    sc_fb_vb_pow2(g->g_fb, *e1, NULL, got, es[i]);
                    assert_int_equal(mpz_cmp(got, want), 0);
                }
                /* a base outside [0, p) (reduced first; exact) */
                mpz_add(t, b, g->p);
                mpz_powm(want, b, es[9], g->p);
                sc_pow(g, got, t, es[9]);
                assert_int_equal(mpz_cmp(got, want), 0);
                mpz_neg(t, t);
                mpz_powm(want, t, es[9], g->p);
                sc_pow(g, got, t, es[9]);
                assert_int_equal(mpz_cmp(got, want), 0);
                /* a negative exponent (outside the contracts; exact) */
                mpz_set_si(t, -5);
                mpz_powm(want, b, t, g->p);
                sc_pow(g, got, b, t);
                assert_int_equal(mpz_cmp(got, want), 0);
                sc_vb_pow(vb, got, t);
                assert_int_equal(mpz_cmp(got, want), 0);
                sc_fb_free(fb);
                sc_vb_free(vb);
            }
            /* multi-exponentiation: 1, 5 and 70 (> one chunk) bases */
            static const size_t ns[] = {1, 5, 70};
            for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
                size_t n = ns[k];
                mpz_t *bs = malloc(n * sizeof *bs),
                      *xs = malloc(n * sizeof *xs);
                assert_non_null(bs);
                assert_non_null(xs);
                mpz_set_ui(want, 1);
                for (size_t j = 0; j < n; j++) {
                    mpz_inits(bs[j], xs[j], NULL);
                    pub_base(g, rs, (int)(j % NPB), bs[j]);
                    pub_exp(g, rs, (int)((j * 5 + k) % NPE), xs[j]);
                    mpz_powm(t, bs[j], xs[j], g->p);
                    mpz_mul(want, want, t);
                    mpz_mod(want, want, g->p);
                }
                sc_multi_pow(g, got, n, (const mpz_t *)bs, (const mpz_t *)xs);
                assert_int_equal(mpz_cmp(got, want), 0);
                for (size_t j = 0; j < n; j++) {
                    mpz_clears(bs[j], xs[j], NULL);
                }
                free(bs);
                free(xs);
            }
            /* membership: 40 members, then one non-member at 17 */
            {
                sc_rng *rng;
                static const uint8_t seed[4] = {7, 7, 7, 7};
                assert_int_equal(sc_rng_new_seeded(&rng, seed, sizeof seed),
                                 SC_OK);
                mpz_t xs[40];
                for (int j = 0; j < 40; j++) {
                    mpz_init(xs[j]);
                    pub_base(g, rs, j % 4, xs[j]); /* 1, p-1, g, g^s */
                    if (j % 4 == 1) {
                        mpz_set(xs[j], g->g); /* p - 1 is not a member */
                    }
                    assert_true(sc_elem_is_member(g, xs[j]));
                }
                assert_int_equal(sc_subgroup_check_batch(g, 40, xs, rng, NULL),
                                 SC_OK);
                mpz_sub_ui(xs[17], g->p, 1); /* order 2: not a member */
                assert_false(sc_elem_is_member(g, xs[17]));
                size_t bad = 99;
                assert_int_equal(sc_subgroup_check_batch(g, 40, xs, rng, &bad),
                                 SC_E_INVALID_NOT_IN_SUBGROUP);
                assert_int_equal(bad, 17);
                /* a square of order 2 q (r / 2) component: 4 is a square,
                 * 4^q != 1 (the batch path past the Legendre test) */
                mpz_set_ui(xs[17], 4);
                assert_false(sc_elem_is_member(g, xs[17]));
                bad = 99;
                assert_int_equal(sc_subgroup_check_batch(g, 40, xs, rng, &bad),
                                 SC_E_INVALID_NOT_IN_SUBGROUP);
                assert_int_equal(bad, 17);
                for (int j = 0; j < 40; j++) {
                    mpz_clear(xs[j]);
                }
                sc_rng_free(rng);
            }
            for (int i = 0; i < NPE; i++) {
                mpz_clears(es[i], outs[i], NULL);
            }
            mpz_clears(b, want, got, t, NULL);
            sc_group_free(g);
        }
    }
    sc_mont_ifma_allow(1);
    gmp_randclear(rs);
}

/* SC_ARITH_NO_IFMA keeps the kernel off for groups made while it is set
 * (what the *_fallback tests in tests/arith.cmake rely on to run the KATs
 * on the scalar path), and detection comes back when it is unset. */
static void env_forces_fallback(void **state)
{
    (void)state;
    const char *was = getenv("SC_ARITH_NO_IFMA");
    assert_int_equal(setenv("SC_ARITH_NO_IFMA", "1", 1), 0);
    sc_group *g = t_group(SC_GROUP_STANDARD);
    assert_int_equal(g->ar->mont.ifma, 0);
    sc_group_free(g);
    assert_int_equal(unsetenv("SC_ARITH_NO_IFMA"), 0);
    g = t_group(SC_GROUP_STANDARD);
    assert_int_equal(g->ar->mont.ifma, have_ifma());
    sc_group_free(g);
    if (was != NULL) {
        assert_int_equal(setenv("SC_ARITH_NO_IFMA", "1", 1), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kernel_matches_mpz),
        cmocka_unit_test(normalisation_carries),
        cmocka_unit_test(mul_ct_kernel_and_fallback),
        cmocka_unit_test(secret_pow_both_paths),
        cmocka_unit_test(public_pow_both_paths),
        cmocka_unit_test(env_forces_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
