/* The 8-lane IFMA kernels (src/lib/arith/ifma_lanes.c): every lane of
 * sc_ifma_sqr8 / sc_ifma_mul8 gives the digits of the one-value kernels
 * (sc_ifma_sqr_pub, sc_ifma_mul), which test_arith_ifma checks against mpz,
 * and the exact Montgomery value (a b + Q p) / R' below 2p, whatever the
 * other lanes hold and whatever the room held before. On a CPU without IFMA
 * the cases are skipped with a message. */
#include "testlib.h"
#include "t_digits.h"
#include "verify/common/vcommon.h"

#include <stdio.h>
#include <string.h>

#include "arith/arith_internal.h"

static const sc_group_id big_groups[] = {SC_GROUP_STANDARD, SC_GROUP_3072};
#define NBIG (sizeof big_groups / sizeof big_groups[0])

static int have_ifma(void)
{
    if (!sc_ifma_cpu()) {
        printf("# test_arith_lanes: no AVX-512 IFMA on this CPU: skipped\n");
        return 0;
    }
    return 1;
}

/* got: digits < 2^52 of the exact Montgomery value of x y (< 2p) */
static void exact_ok(const sc_group *g, const uint64_t *got52, const mpz_t x,
                     const mpz_t y)
{
    const sc_mont *m = &g->ar->mont;
    mpz_t want, got;
    mpz_inits(want, got, NULL);
    for (int k = 0; k < m->nd52; k++) {
        assert_true(got52[k] < ((uint64_t)1 << 52));
    }
    t_digits_to_mpz(m, got, got52);
    t_mont_exact(g, want, x, y);
    assert_int_equal(mpz_cmp(got, want), 0);
    mpz_clears(want, got, NULL);
}

#define NVAL T_KERNEL_EDGES
#define ROUNDS 60

/* Every edge value in every lane against random values in the others, then
 * random rounds; squares and products, r = a aliased and not, the room
 * filled with junk before every call. */
static void lanes_match_one_value_kernels(void **state)
{
    (void)state;
    if (!have_ifma()) {
        return;
    }
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 2612);
    for (size_t gv = 0; gv < 2 * NBIG; gv++) {
        sc_group *g = t_group(big_groups[gv / 2]);
        /* the reduction with p + 1's all-ones top (both groups have it),
         * then a copy of the context without it: the generic rows */
        static sc_mont mc;
        mc = g->ar->mont;
        assert_true(mc.ifma && mc.lane_top);
        mc.lane_top = gv % 2 == 0;
        const sc_mont *m = &mc;
        static sc_lanes8 a, b, r;
        static sc_lanes_room room;
        mpz_t x[8], y[8];
        for (int l = 0; l < 8; l++) {
            mpz_inits(x[l], y[l], NULL);
        }
        for (int round = 0; round < NVAL * 8 + ROUNDS; round++) {
            const int edge = round < NVAL * 8 ? round / 8 : -1;
            const int at = round % 8;
            uint64_t d[SC_IFMA_MAXD], want[SC_IFMA_MAXD], got[SC_IFMA_MAXD];
            memset(&a, 0x5a, sizeof a); /* digits past nd52: never read */
            memset(&b, 0x5a, sizeof b);
            for (int l = 0; l < 8; l++) {
                t_kernel_operand(g, rs,
                                 l == at && edge >= 0 ? edge : NVAL + l + round,
                                 x[l]);
                t_kernel_operand(g, rs,
                                 l == (at + 3) % 8 && edge >= 0
                                     ? edge
                                     : NVAL + 2 * l + round,
                                 y[l]);
                t_mpz_to_digits(m, d, x[l]);
                sc_lanes8_put(m, &a, l, d);
                t_mpz_to_digits(m, d, y[l]);
                sc_lanes8_put(m, &b, l, d);
            }
            memset(&room, 0xa5, sizeof room);
            sc_ifma_sqr8(m, &r, &a, &room);
            for (int l = 0; l < 8; l++) {
                sc_lanes8_get(m, d, &a, l);
                sc_ifma_sqr_pub(m, want, d);
                sc_lanes8_get(m, got, &r, l);
                assert_memory_equal(got, want, sizeof(uint64_t) * m->nd52);
                exact_ok(g, got, x[l], x[l]);
            }
            memset(&room, 0xa5, sizeof room);
            sc_ifma_mul8(m, &r, &a, &b, &room);
            for (int l = 0; l < 8; l++) {
                sc_lanes8_get(m, d, &a, l);
                sc_lanes8_get(m, want, &b, l);
                sc_ifma_mul(m, want, d, want);
                sc_lanes8_get(m, got, &r, l);
                assert_memory_equal(got, want, sizeof(uint64_t) * m->nd52);
                exact_ok(g, got, x[l], y[l]);
            }
            /* aliased: a = a^2, then a = a b (chains stay below 2p) */
            sc_ifma_sqr8(m, &a, &a, &room);
            sc_ifma_mul8(m, &a, &a, &b, &room);
            sc_ifma_mul8(m, &b, &a, &b, &room);
            for (int l = 0; l < 8; l++) {
                sc_lanes8_get(m, got, &a, l);
                uint64_t s52[SC_IFMA_MAXD];
                t_mpz_to_digits(m, s52, x[l]);
                sc_ifma_sqr_pub(m, s52, s52);
                t_mpz_to_digits(m, d, y[l]);
                sc_ifma_mul(m, s52, s52, d);
                assert_memory_equal(got, s52, sizeof(uint64_t) * m->nd52);
                sc_ifma_mul(m, s52, s52, d);
                sc_lanes8_get(m, got, &b, l);
                assert_memory_equal(got, s52, sizeof(uint64_t) * m->nd52);
            }
        }
        for (int l = 0; l < 8; l++) {
            mpz_clears(x[l], y[l], NULL);
        }
        sc_group_free(g);
    }
    gmp_randclear(rs);
}

/* Long chains of squarings in every lane (as an exponentiation runs them)
 * stay equal to the one-value kernel's chain. */
static void lanes_square_chains(void **state)
{
    (void)state;
    if (!have_ifma()) {
        return;
    }
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 77);
    for (size_t gi = 0; gi < NBIG; gi++) {
        sc_group *g = t_group(big_groups[gi]);
        const sc_mont *m = &g->ar->mont;
        static sc_lanes8 a;
        static sc_lanes_room room;
        uint64_t one[8][SC_IFMA_MAXD], got[SC_IFMA_MAXD];
        mpz_t x;
        mpz_init(x);
        for (int l = 0; l < 8; l++) {
            t_kernel_operand(g, rs, l == 0 ? 4 : NVAL + l, x);
            t_mpz_to_digits(m, one[l], x);
            sc_lanes8_put(m, &a, l, one[l]);
        }
        for (int k = 0; k < 300; k++) {
            sc_ifma_sqr8(m, &a, &a, &room);
            for (int l = 0; l < 8; l++) {
                sc_ifma_sqr_pub(m, one[l], one[l]);
            }
        }
        for (int l = 0; l < 8; l++) {
            sc_lanes8_get(m, got, &a, l);
            assert_memory_equal(got, one[l], sizeof(uint64_t) * m->nd52);
        }
        mpz_clear(x);
        sc_group_free(g);
    }
    gmp_randclear(rs);
}

/* The reduction alone (sc_ifma_redc8) on columns made here, with the top
 * and without (the generic rows), each lane against (T + Q p) / R' from
 * mpz: first columns built so that one goes negative before its carry
 * (the case the arithmetic shifts are for: random columns essentially
 * never do), one round kind in the result's columns and one in the q
 * chain's; then random low columns with a zero high half; then every
 * column up to 2^59 as the kernels leave them. */
static void lanes_reduction_alone(void **state)
{
    (void)state;
    if (!have_ifma()) {
        return;
    }
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 5);
    for (size_t gv = 0; gv < 2 * NBIG; gv++) {
        sc_group *g = t_group(big_groups[gv / 2]);
        static sc_mont mc;
        mc = g->ar->mont;
        mc.lane_top = gv % 2 == 0;
        const sc_mont *m = &mc;
        const int S = m->ns52;
        static sc_lanes8 r;
        static sc_lanes_room room;
        mpz_t t, rp, q, v, got;
        mpz_inits(t, rp, q, v, got, NULL);
        mpz_setbit(rp, 52 * (mp_bitcnt_t)S);
        assert_true(mpz_invert(q, g->p, rp));
        mpz_neg(q, q);
        mpz_mod(q, q, rp); /* -p^-1 mod R' */
        for (int round = 0; round < 64; round++) {
            memset(&room, 0, sizeof room);
            for (int k = 0; k < 2 * S - 1; k++) {
                for (int l = 0; l < 8; l++) {
                    uint64_t x = gmp_urandomb_ui(rs, 32);
                    x = x << 32 | gmp_urandomb_ui(rs, 32);
                    room.v[8 * k + l] =
                        round < 32 ? (k < S ? x >> 12 : 0) : x >> 5;
                }
            }
            if (round < 8) {
                /* T = -Q p mod R' for a Montgomery quotient Q with q_(S-1)
                 * = 2^52 - 1 and q_H = q_(H-1) = 0 (H = S - 5): column S -
                 * 1 + H then holds hi(q_(S-1) p_(H-1)) - q_(S-1) < 0 and
                 * nothing else but a carry of at most 3 */
                for (int l = 0; l < 8; l++) {
                    mpz_urandomb(v, rs, 52 * (mp_bitcnt_t)S);
                    for (int k = S - 6; k < S - 4; k++) {
                        for (int b = 0; b < 52; b++) {
                            mpz_clrbit(v, 52 * (mp_bitcnt_t)k + b);
                        }
                    }
                    for (int b = 0; b < 52; b++) {
                        mpz_setbit(v, 52 * (mp_bitcnt_t)(S - 1) + b);
                    }
                    mpz_mul(v, v, g->p);
                    mpz_neg(v, v);
                    mpz_mod(v, v, rp);
                    for (int k = 0; k < 2 * S - 1; k++) {
                        room.v[8 * k + l] =
                            k < S ? mpz_getlimbn(v, 0) & ((1ULL << 52) - 1) : 0;
                        mpz_fdiv_q_2exp(v, v, 52);
                    }
                }
            }
            if (round >= 8 && round < 12) {
                /* q_0 = 2^52 - 1 - l and T_1 .. T_(H-1) chosen to make q_1 ..
                 * q_(H-1) zero, T_H = 0: column H then reaches the carries
                 * as hi(q_0 p_(H-1)) - q_0 + a carry < 0 (with the top) */
                const int H = S - 5;
                const uint64_t B1 = (1ULL << 52) - 1, *P = m->p1_52;
                for (int l = 0; l < 8; l++) {
                    const uint64_t q0 = B1 - (uint64_t)l;
                    uint64_t carry = 0;
                    for (int k = 0; k < H; k++) {
                        uint64_t add = carry;
                        if (k >= 4) {
                            add +=
                                (uint64_t)((unsigned __int128)q0 * P[k]) & B1;
                        }
                        if (k >= 5) {
                            add +=
                                (uint64_t)(((unsigned __int128)q0 * P[k - 1]) >>
                                           52);
                        }
                        const uint64_t tk = k ? (B1 + 1 - (add & B1)) & B1 : q0;
                        room.v[8 * k + l] = tk;
                        carry = (tk + add) >> 52;
                    }
                    for (int k = H; k < 2 * S - 1; k++) {
                        room.v[8 * k + l] = k == H ? 0 : room.v[8 * k + l];
                    }
                }
            }
            static sc_lanes_room in; /* the reduction works in the room */
            in = room;
            sc_ifma_redc8(m, &r, &room);
            for (int l = 0; l < 8; l++) {
                mpz_set_ui(t, 0);
                for (int k = 0; k < 2 * S - 1; k++) {
                    mpz_set_ui(v, (unsigned long)in.v[8 * k + l]);
                    mpz_mul_2exp(v, v, 52 * (mp_bitcnt_t)k);
                    mpz_add(t, t, v);
                }
                mpz_mul(v, t, q);
                mpz_mod(v, v, rp); /* Q */
                mpz_addmul(t, v, g->p);
                assert_true(mpz_divisible_2exp_p(t, 52 * (mp_bitcnt_t)S));
                mpz_fdiv_q_2exp(t, t, 52 * (mp_bitcnt_t)S);
                uint64_t d[SC_IFMA_MAXD];
                sc_lanes8_get(m, d, &r, l);
                for (int k = 0; k < m->nd52; k++) {
                    assert_true(d[k] < ((uint64_t)1 << 52));
                }
                t_digits_to_mpz(m, got, d);
                assert_int_equal(mpz_cmp(got, t), 0);
            }
        }
        mpz_clears(t, rp, q, v, got, NULL);
        sc_group_free(g);
    }
    gmp_randclear(rs);
}

/* The verifier's squaring chains made together (vc_chains_make: 7 or 8
 * bases on the 8-lane kernel, fewer one by one) give vc_pow_many's
 * powers: every base against mpz_powm, exponents 0, 1, q - 1, random and
 * one too long for the chain (vc_pow_many itself then). */
static void lanes_verifier_chains(void **state)
{
    (void)state;
    if (!have_ifma()) {
        return;
    }
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 31);
    sc_group *g = t_group(SC_GROUP_STANDARD);
    static const size_t counts[] = {1, 6, 7, 8};
    for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++) {
        const size_t cnt = counts[ci];
        mpz_t bases[VC_CHAINS_MAX], e[4], out[4], want;
        mpz_init(want);
        for (int j = 0; j < 4; j++) {
            mpz_inits(e[j], out[j], NULL);
        }
        mpz_set_ui(e[0], 0);
        mpz_set_ui(e[1], 1);
        mpz_sub_ui(e[2], g->q, 1);
        mpz_urandomm(e[3], rs, g->q);
        for (size_t b = 0; b < cnt; b++) {
            mpz_init(bases[b]);
            if (b == 0) {
                mpz_set_ui(bases[b], 1);
            } else if (b == 1) {
                mpz_sub_ui(bases[b], g->p, 1);
            } else {
                mpz_urandomm(bases[b], rs, g->p);
                mpz_powm_ui(bases[b], bases[b], 2, g->p);
            }
        }
        vc_chains ch = {0};
        assert_int_equal(vc_chains_make(g, &ch, cnt, (const mpz_t *)bases),
                         SC_OK);
        assert_int_equal(ch.cnt, cnt);
        for (size_t b = 0; b < cnt; b++) {
            vc_pow_many_chain(g, out, bases[b], &ch, b, 4, (const mpz_t *)e);
            for (int j = 0; j < 4; j++) {
                mpz_powm(want, bases[b], e[j], g->p);
                assert_int_equal(mpz_cmp(out[j], want), 0);
            }
        }
        /* an exponent longer than the chain: vc_pow_many */
        mpz_setbit(e[3], 300);
        const size_t last = cnt > 1 ? cnt - 1 : 0;
        vc_pow_many_chain(g, out, bases[last], &ch, last, 4, (const mpz_t *)e);
        mpz_powm(want, bases[last], e[3], g->p);
        assert_int_equal(mpz_cmp(out[3], want), 0);
        vc_chains_free(&ch);
        for (size_t b = 0; b < cnt; b++) {
            mpz_clear(bases[b]);
        }
        for (int j = 0; j < 4; j++) {
            mpz_clears(e[j], out[j], NULL);
        }
        mpz_clear(want);
    }
    sc_group_free(g);
    gmp_randclear(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lanes_match_one_value_kernels),
        cmocka_unit_test(lanes_square_chains),
        cmocka_unit_test(lanes_reduction_alone),
        cmocka_unit_test(lanes_verifier_chains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
