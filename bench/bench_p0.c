/* P0 for scrutin-bench: the IFMA kernel's product and squaring against
 * what the multipliers allow, measured in the same run.
 *
 *   P0 product-vs-ifma-bound  time per kernel product ÷ (3,120 ÷ measured
 *      IFMA instructions per second). An operand-scanning Montgomery
 *      product of 79 digits of 52 bits multiplies 79 x 79 digit pairs for
 *      a b and as many for q p, each giving a low and a high half: 4 x 79^2
 *      = 24,964 52-bit half-products, 8 per vpmadd52luq/huq: 3,120
 *      instructions. Target <= 1.15. The bound is the issue's, the
 *      schoolbook count: the product core (ifma_mulcore.c, ARITH.md §2.7)
 *      takes a b by one Karatsuba level and issues 2,820 IFMA, so its
 *      ratio can go below 1 (its own floor is 2,820 / 3,120 = 0.90).
 *   P0 square-vs-ifma-bound   the same for a squaring: a^2 needs only the
 *      79 x 80 / 2 pairs a_i a_j, i <= j (2 x 3,160 halves), q p the full
 *      2 x 79^2: 18,802 halves, 2,350 instructions. Target <= 1.15.
 *      The squaring measured is sc_ifma_sqr8, the 8-lane kernel
 *      (ifma_lanes.c, ARITH.md §2.11): eight independent squarings in one
 *      call, one value per vector lane (the "independent products
 *      interleaved in one kernel"), time per value = time per call / 8.
 *      It is what the engine's batched exponentiations run
 *      (sc_pow_secret_many); one value at a time is the next line:
 *   P0 square-1-vs-ifma-bound  sc_ifma_sqr, the one-value constant-time
 *      squaring, as sc_pow_secret runs it: the squaring kernel with one room
 *      for the whole exponentiation, wiped once per 256 squarings (the timed
 *      loop wipes it as often);
 *   P0 square-pub-vs-ifma-bound  the same for sc_ifma_sqr_pub, the
 *      squaring kernel the public-data engine (verification) uses (its
 *      room on its stack, never wiped);
 *   P0 product-8-vs-ifma-bound  sc_ifma_mul8, eight products per call
 *      (schoolbook a b, every pair), per value, against 3,120.
 *
 * The IFMA rate is measured with a loop of independent vpmadd52luq/huq
 * (twelve accumulators, enough to cover their latency): instructions per
 * second of this core at its clock of the moment, whatever it is. Each
 * round times the peak loop, the product and the squaring back to back
 * (about a millisecond each) and takes their ratios; the line is the
 * median of the rounds' ratios, with the spread (quartiles) beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arith/arith_internal.h"
#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/group.h"

#include "bench_util.h"

void sc_bench_p0(const sc_group *grp);

#define P0_ROUNDS 41
#define P0_MUL_BOUND 3120.0
#define P0_SQR_BOUND 2350.0

#ifdef SC_HAVE_IFMA
#include <immintrin.h>

#define P0_TARGET __attribute__((target("avx512f,avx512ifma")))

/* `iters` x 24 independent IFMA instructions: twelve accumulators
 * (zmm0-11), a low and a high product into each; written in assembly so
 * that the compiler neither keeps the accumulators in memory nor folds
 * anything. */
#define P0_ACC 12
static P0_TARGET __attribute__((noinline)) void ifma_peak(long iters,
                                                          uint64_t *sink)
{
    const __m512i x = _mm512_set1_epi64(0x123456789abcdLL);
    const __m512i y = _mm512_set1_epi64(0xfedcba9876543LL);
#define P0_L(k) "vpmadd52luq %[y], %[x], %%zmm" #k "\n\t"
#define P0_H(k) "vpmadd52huq %[y], %[x], %%zmm" #k "\n\t"
#define P0_12(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11)
    __asm__ volatile(
        "vpxorq %%zmm0, %%zmm0, %%zmm0\n\t"
        "vmovdqa64 %%zmm0, %%zmm1\n\tvmovdqa64 %%zmm0, %%zmm2\n\t"
        "vmovdqa64 %%zmm0, %%zmm3\n\tvmovdqa64 %%zmm0, %%zmm4\n\t"
        "vmovdqa64 %%zmm0, %%zmm5\n\tvmovdqa64 %%zmm0, %%zmm6\n\t"
        "vmovdqa64 %%zmm0, %%zmm7\n\tvmovdqa64 %%zmm0, %%zmm8\n\t"
        "vmovdqa64 %%zmm0, %%zmm9\n\tvmovdqa64 %%zmm0, %%zmm10\n\t"
        "vmovdqa64 %%zmm0, %%zmm11\n\t"
        "1:\n\t" P0_12(P0_L) P0_12(P0_H) "dec %[n]\n\t"
                                         "jnz 1b\n\t"
                                         "vpaddq %%zmm1, %%zmm0, %%zmm0\n\t"
                                         "vmovdqu64 %%zmm0, (%[out])\n\t"
        : [n] "+r"(iters)
        : [x] "v"(x), [y] "v"(y), [out] "r"(sink)
        : "zmm0", "zmm1", "zmm2", "zmm3", "zmm4", "zmm5", "zmm6", "zmm7",
          "zmm8", "zmm9", "zmm10", "zmm11", "memory", "cc");
}

static void p0_on_this_cpu(const sc_mont *m, const sc_group *grp)
{
    uint64_t a[SC_IFMA_MAXD] = {0}, b[SC_IFMA_MAXD] = {0}, sink[8];
    sc_ifma_room room;
    mpz_t x;
    mpz_init_set(x, grp->g);
    sc_ifma_in_mpz(m, a, x);
    mpz_sub_ui(x, grp->p, 12345);
    sc_ifma_in_mpz(m, b, x);
    mpz_clear(x);
    const long peak_iters = 40000; /* 960,000 instructions */
    const int kiters = 1000;
    double rmul[P0_ROUNDS], rsqr[P0_ROUNDS], rsqp[P0_ROUNDS], tpk[P0_ROUNDS],
        tm[P0_ROUNDS], ts[P0_ROUNDS], tsp[P0_ROUNDS], rmix[P0_ROUNDS],
        ts8[P0_ROUNDS], tm8[P0_ROUNDS], rsq8[P0_ROUNDS], rmu8[P0_ROUNDS];
    /* the 8-lane kernels: eight values (a, b and six others) per call */
    static sc_lanes8 a8, b8;
    static sc_lanes_room room8;
    for (int l = 0; l < 8; l++) {
        sc_lanes8_put(m, &a8, l, l % 2 ? b : a);
        sc_lanes8_put(m, &b8, l, l % 2 ? a : b);
    }
    ifma_peak(peak_iters, sink); /* warm up (clock, caches) */
    for (int r = 0; r < P0_ROUNDS; r++) {
        double t0 = bu_clock(CLOCK_MONOTONIC);
        ifma_peak(peak_iters, sink);
        double t1 = bu_clock(CLOCK_MONOTONIC);
        for (int i = 0; i < kiters; i++) {
            sc_ifma_mul(m, a, a, b);
        }
        double t2 = bu_clock(CLOCK_MONOTONIC);
        for (int i = 0; i < kiters; i++) {
            sc_ifma_sqr(m, a, a, &room);
            if (i % 256 == 255) {
                sc_wipe(&room, sizeof room);
            }
        }
        double t3 = bu_clock(CLOCK_MONOTONIC);
        for (int i = 0; i < kiters; i++) {
            sc_ifma_sqr_pub(m, a, a);
        }
        double t4 = bu_clock(CLOCK_MONOTONIC);
        /* as in an exponentiation: squarings and products in turn (the
         * kernels' code no longer stays in the instruction cache) */
        for (int i = 0; i < kiters / 6; i++) {
            for (int k = 0; k < 5; k++) {
                sc_ifma_sqr_pub(m, a, a);
            }
            sc_ifma_mul(m, a, a, b);
        }
        double t5 = bu_clock(CLOCK_MONOTONIC);
        for (int i = 0; i < kiters / 8; i++) {
            sc_ifma_sqr8(m, &a8, &a8, &room8);
        }
        double t6 = bu_clock(CLOCK_MONOTONIC);
        for (int i = 0; i < kiters / 8; i++) {
            sc_ifma_mul8(m, &a8, &a8, &b8, &room8);
        }
        double t7 = bu_clock(CLOCK_MONOTONIC);
        ts8[r] = (t6 - t5) / (kiters / 8 * 8);
        tm8[r] = (t7 - t6) / (kiters / 8 * 8);
        rmix[r] = (t5 - t4) /
                  ((double)(kiters / 6) * (5 * (t4 - t3) + (t2 - t1)) / kiters);
        double per_ifma = (t1 - t0) / ((double)peak_iters * 2 * P0_ACC);
        tpk[r] = 1.0 / per_ifma;
        tm[r] = (t2 - t1) / kiters;
        ts[r] = (t3 - t2) / kiters;
        tsp[r] = (t4 - t3) / kiters;
        rmul[r] = tm[r] / (P0_MUL_BOUND * per_ifma);
        rsqr[r] = ts[r] / (P0_SQR_BOUND * per_ifma);
        rsqp[r] = tsp[r] / (P0_SQR_BOUND * per_ifma);
        rsq8[r] = ts8[r] / (P0_SQR_BOUND * per_ifma);
        rmu8[r] = tm8[r] / (P0_MUL_BOUND * per_ifma);
    }
    double q1, med, q3;
    bu_quartiles(tpk, P0_ROUNDS, &q1, &med, &q3);
    printf("IFMA instructions per second (median of %d rounds) %.3g "
           "(quartiles %.3g..%.3g)\n",
           P0_ROUNDS, med, q1, q3);
    printf("  bound: product %.3f us (3120 IFMA), squaring %.3f us (2350)\n",
           P0_MUL_BOUND / med * 1e6, P0_SQR_BOUND / med * 1e6);
    bu_quartiles(tm, P0_ROUNDS, &q1, &med, &q3);
    printf("kernel product (median) %.3f us (quartiles %.3f..%.3f)\n",
           med * 1e6, q1 * 1e6, q3 * 1e6);
    bu_quartiles(ts, P0_ROUNDS, &q1, &med, &q3);
    printf("kernel squaring (median) %.3f us (quartiles %.3f..%.3f)\n",
           med * 1e6, q1 * 1e6, q3 * 1e6);
    bu_quartiles(tsp, P0_ROUNDS, &q1, &med, &q3);
    printf("kernel squaring, public (median) %.3f us (quartiles "
           "%.3f..%.3f)\n",
           med * 1e6, q1 * 1e6, q3 * 1e6);
    bu_quartiles(ts8, P0_ROUNDS, &q1, &med, &q3);
    printf("8-lane kernel squaring, per value (median) %.3f us (quartiles "
           "%.3f..%.3f)\n",
           med * 1e6, q1 * 1e6, q3 * 1e6);
    bu_quartiles(tm8, P0_ROUNDS, &q1, &med, &q3);
    printf("8-lane kernel product, per value (median) %.3f us (quartiles "
           "%.3f..%.3f)\n",
           med * 1e6, q1 * 1e6, q3 * 1e6);
    bu_quartiles(rmul, P0_ROUNDS, &q1, &med, &q3);
    printf("P0 product-vs-ifma-bound %.3f\n", med);
    printf("  (per-round ratios: quartiles %.3f..%.3f, min %.3f, max %.3f)\n",
           q1, q3, rmul[0], rmul[P0_ROUNDS - 1]);
    bu_quartiles(rsq8, P0_ROUNDS, &q1, &med, &q3);
    printf("P0 square-vs-ifma-bound %.3f\n", med);
    printf("  (8-lane kernel, eight independent squarings per call; "
           "per-round ratios: quartiles %.3f..%.3f, min %.3f, max %.3f)\n",
           q1, q3, rsq8[0], rsq8[P0_ROUNDS - 1]);
    bu_quartiles(rsqr, P0_ROUNDS, &q1, &med, &q3);
    printf("P0 square-1-vs-ifma-bound %.3f\n", med);
    printf("  (per-round ratios: quartiles %.3f..%.3f, min %.3f, max %.3f)\n",
           q1, q3, rsqr[0], rsqr[P0_ROUNDS - 1]);
    bu_quartiles(rsqp, P0_ROUNDS, &q1, &med, &q3);
    printf("P0 square-pub-vs-ifma-bound %.3f\n", med);
    printf("  (per-round ratios: quartiles %.3f..%.3f, min %.3f, max %.3f)\n",
           q1, q3, rsqp[0], rsqp[P0_ROUNDS - 1]);
    bu_quartiles(rmu8, P0_ROUNDS, &q1, &med, &q3);
    printf("P0 product-8-vs-ifma-bound %.3f\n", med);
    printf("  (8-lane kernel; per-round ratios: quartiles %.3f..%.3f, min "
           "%.3f, max %.3f)\n",
           q1, q3, rmu8[0], rmu8[P0_ROUNDS - 1]);
    bu_quartiles(rmix, P0_ROUNDS, &q1, &med, &q3);
    printf("5 public squarings + 1 product in turn vs the same alone: %.3f "
           "(quartiles %.3f..%.3f; above 1 when the two kernels' code does "
           "not fit the instruction cache together, ARITH.md §2.7)\n",
           med, q1, q3);
    (void)sink;
}

void sc_bench_p0(const sc_group *grp)
{
    const sc_mont *m = sc_grp_mont(grp);
    printf("== P0: IFMA kernel vs the multipliers' bound ==\n");
    if (!m->ifma) {
        printf("no AVX-512 IFMA on this CPU (or kernel off): P0 not "
               "measured\n");
        return;
    }
    /* once on every CPU, pinned: the CPUs of these machines differ
     * (bench_cpu.c), so each block says where it was measured */
    int cpu[BU_MAXCPU];
    int n = bu_cpus(cpu, BU_MAXCPU);
    for (int i = 0; i < n; i++) {
        if (bu_pin(&cpu[i], 1) != 0) {
            continue;
        }
        printf("-- P0 on cpu %d (pinned) --\n", cpu[i]);
        p0_on_this_cpu(m, grp);
    }
    if (n == 0) {
        printf("-- P0 (CPU unknown, not pinned) --\n");
        p0_on_this_cpu(m, grp);
    }
    bu_unpin();
}
#else
void sc_bench_p0(const sc_group *grp)
{
    (void)grp;
    printf("== P0: IFMA kernel vs the multipliers' bound ==\n");
    printf("not an x86-64 build: P0 not measured\n");
}
#endif
