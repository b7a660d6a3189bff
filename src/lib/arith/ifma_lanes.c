/* Eight Montgomery squarings or products at once, one value per lane
 * (AVX-512 IFMA, radix 2^52, R' = 2^(52 ns52) as the one-value kernels):
 * digit d of the eight values is one vector, so every vpmadd52luq/huq
 * multiplies eight digit pairs that all count, no product needs a
 * shuffle or a broadcast of a digit, and the digit products a_i a_j are
 * taken once per pair for a square. docs/ARITH.md §2.11 derives the counts
 * and gives the figures.
 *
 * Passes over the columns T_k of the unreduced result (the room):
 *   1. a^2 (ln_square): the pairs i < j in blocks of 8 rows (a_i in
 *      registers, a_j loaded once per step, a window of 9 column
 *      accumulators sliding up a column per step, ln_rows); each column
 *      leaves its last block doubled, with its square lo/hi(a_i^2).
 *      a b (ln_rect): all pairs, the same blocks.
 *   2. the reduction (ln_redc; Montgomery, p = -1 mod 2^256, spec
 *      §3.1.1): column k gives q_k = T_k + carry mod 2^52 (-p^-1 = 1 mod
 *      2^52), and T + Q (p + 1) - Q leaves T_k - q_k = carry 2^52; p + 1
 *      has digits 0-3 zero, so q_k..q_(k+3) depend only on earlier q:
 *      blocks of 4 rows q_i (p + 1)_j, the same kind of window (5
 *      columns); the rows stop below p + 1's all-ones top.
 *   3. the columns ns52.. normalised with the carry: the result, < 2p
 *      for a, b < 2p (4p < R').
 * Every loop bound, address and mask depends on ns52 only: the sequence
 * of instructions is the same for every value (constant time, as the
 * one-value kernels). The room holds digit products of the operands
 * afterwards: for secrets the caller wipes it once per computation. */
#include "arith/mont.h"

#include <string.h>

#ifdef SC_HAVE_IFMA
#include <immintrin.h>

#define LN_TARGET __attribute__((target("avx512f,avx512ifma")))
#define LN_INLINE static inline __attribute__((always_inline)) LN_TARGET
#define LN_UNROLL _Pragma("GCC unroll 16")

typedef __m512i vec;

#define LO(acc, x, y) (acc) = _mm512_madd52lo_epu64((acc), (x), (y))
#define HI(acc, x, y) (acc) = _mm512_madd52hi_epu64((acc), (x), (y))

/* Steps j .. N - 1 of a block of 8 rows A[s] = a_(i0+s) times the digits
 * Y_j: at step j the window acc holds columns i0 + j + u (u = 0..8), row s
 * adds lo(A[s] Y_j) at u = s and hi at s + 1, column i0 + j leaves it and
 * column i0 + j + 9 comes in: from T up to column `top` (written by the
 * earlier blocks), else 0. acc is the window after the last step. (Written
 * out nine steps at a time with the window's registers renamed instead of
 * moved, it measured the same: ARITH.md §2.11.) */
LN_INLINE void ln_rows(vec *T, const vec *A, const vec *Y, vec *acc,
                       const int i0, int j, const int top, const int N)
{
    const int jl = top - i0 - 8 < N ? top - i0 - 8 : N;
    for (; j < N; j++) {
        const vec y = Y[j];
        LN_UNROLL
        for (int s = 0; s < 8; s++) {
            LO(acc[s], A[s], y);
            HI(acc[s + 1], A[s], y);
        }
        T[i0 + j] = acc[0];
        LN_UNROLL
        for (int u = 0; u < 8; u++) {
            acc[u] = acc[u + 1];
        }
        acc[8] = j < jl ? T[i0 + j + 9] : _mm512_setzero_si512();
    }
}

/* A block of rows starts: A[s] = a_(i0+s) (0 past the last digit), and
 * the window acc[u] = column c0 + u, read as 0 above column `top` (not
 * written yet: masked loads, the mask from the index only). */
LN_INLINE void ln_block(vec *A, vec *acc, const vec *T, const vec *a,
                        const int i0, const int c0, const int top, const int N)
{
    LN_UNROLL
    for (int s = 0; s < 8; s++) {
        A[s] = i0 + s < N ? a[i0 + s] : _mm512_setzero_si512();
    }
    LN_UNROLL
    for (int u = 0; u < 9; u++) {
        acc[u] = _mm512_maskz_load_epi64(c0 + u <= top ? 0xff : 0, &T[c0 + u]);
    }
}

/* Column c of a^2 leaves pass 1 final: twice the cross products plus the
 * square at c (lo(a_(c/2)^2) for even c, hi(a_((c-1)/2)^2) for odd c). */
LN_INLINE vec ln_fin(vec acc, const vec x, const int odd)
{
    vec v = _mm512_add_epi64(acc, acc);
    if (odd) {
        HI(v, x, x);
    } else {
        LO(v, x, x);
    }
    return v;
}

/* T = a^2 (N digits), columns 0..2N: the pairs i < j in blocks of 8 rows
 * i0..i0+7. At step j (a_j loaded) the window holds columns i0 + j + u (u
 * = 0..8), row s adds lo(a_(i0+s) a_j) at u = s and hi at s + 1, and
 * column i0 + j leaves it. The next block starts at column 2 (i0 + 8) + 1,
 * so the columns up to 2 i0 + 16 (steps j <= i0 + 16, written out below)
 * leave it final: doubled, with their square. Columns the earlier blocks
 * did not write (up to i0 + N - 1 they did) are read as 0: no zeroing of
 * the room. */
LN_INLINE void ln_square(vec *T, const vec *a, const int N)
{
    const vec z = _mm512_setzero_si512();
    T[0] = _mm512_madd52lo_epu64(z, a[0], a[0]);
    for (int i0 = 0; i0 < N - 1; i0 += 8) {
        const int top = i0 ? i0 + N - 1 : 0; /* last column written */
        vec A[8], acc[9];
        ln_block(A, acc, T, a, i0, 2 * i0 + 1, top, N);
        int j = i0 + 1;
        LN_UNROLL
        for (int t = 1; t <= 16; t++) {
            if (j < N) {
                const vec b = a[j];
                LN_UNROLL
                for (int s = 0; s < 8; s++) {
                    if (s < t) { /* the pairs i < j */
                        LO(acc[s], A[s], b);
                        HI(acc[s + 1], A[s], b);
                    }
                }
                /* column 2 i0 + t, final */
                const vec x = t / 2 < 8 ? A[t / 2] : a[i0 + 8];
                T[i0 + j] = ln_fin(acc[0], x, t & 1);
                LN_UNROLL
                for (int u = 0; u < 8; u++) {
                    acc[u] = acc[u + 1];
                }
                acc[8] = _mm512_maskz_load_epi64(i0 + j + 9 <= top ? 0xff : 0,
                                                 &T[i0 + j + 9]);
                j++;
            }
        }
        ln_rows(T, A, a, acc, i0, j, top, N);
        /* the window's columns i0 + N + u: final up to 2 i0 + 16 (the last
         * blocks), with their square while c < 2N */
        LN_UNROLL
        for (int u = 0; u < 8; u++) {
            const int c = i0 + N + u;
            if (c <= 2 * i0 + 16 && c < 2 * N) {
                T[c] = ln_fin(acc[u], a[c / 2], c & 1);
            } else {
                T[c] = acc[u];
            }
        }
    }
}

/* T = a b (N digits each), columns 0..N + 78: every pair, blocks of 8
 * rows, the window of ln_square; columns not yet written read as 0. */
LN_INLINE void ln_rect(vec *T, const vec *a, const vec *b, const int N)
{
    for (int i0 = 0; i0 < N; i0 += 8) {
        const int top = i0 ? i0 + N - 1 : -1; /* last column written */
        vec A[8], acc[9];
        ln_block(A, acc, T, a, i0, i0, top, N);
        ln_rows(T, A, b, acc, i0, 0, top, N);
        LN_UNROLL
        for (int u = 0; u < 8; u++) {
            T[i0 + N + u] = acc[u];
        }
    }
}

/* r = T / R' mod p (< 2p): the reduction and the normalisation. With
 * e > 0, p + 1's digits N - 5 .. N - 1 are 2^52 - 1 but the top one, 2^e -
 * 1 (both groups, spec §3.1.1: p = 2^n - 2^(n-256) + ..., so they add up to
 * 2^n - B^(N-5), B = 2^52, 2^n = 2^e B^(N-1)): the rows q_i (p + 1) stop at
 * digit N - 6 and -q_i B^(N-5) + q_i 2^e B^(N-1) take their top (an IFMA
 * pair and a subtraction per row instead of 10 IFMA). The columns can
 * then be negative: the carries are arithmetic shifts (|T_k| < 2^62). */
LN_INLINE void ln_redc(vec *r, vec *T, const uint64_t *p1, const int N,
                       const int ND, const int e)
{
    const vec z = _mm512_setzero_si512();
    const vec M = _mm512_set1_epi64(0xfffffffffffffLL);
    const vec E = _mm512_set1_epi64(e > 0 ? 1LL << e : 0);
    const int H = e > 0 ? N - 5 : N; /* the rows' regular end */
    vec c = z;
    for (int i0 = 0; i0 < N; i0 += 4) {
        vec q[4], acc[5];
        LN_UNROLL
        for (int s = 0; s < 4; s++) {
            if (i0 + s < N) {
                const vec t = _mm512_add_epi64(T[i0 + s], c);
                q[s] = _mm512_and_si512(t, M);
                c = _mm512_srai_epi64(t, 52);
            } else {
                q[s] = z;
            }
        }
        LN_UNROLL
        for (int u = 0; u < 5; u++) {
            acc[u] = T[i0 + 4 + u];
        }
        /* step j: the rows' products by digit j of p + 1 into the window
         * (columns i0 + j .. i0 + j + 4), column i0 + j out, i0 + j + 5 in.
         * Written out five steps at a time with the window's names rotated
         * (no register moves), then one step at a time. */
#define LN_RSTEP(x0, x1, x2, x3, x4)                                           \
    do {                                                                       \
        const vec P = _mm512_set1_epi64((long long)p1[j]);                     \
        LO(x0, q[0], P);                                                       \
        HI(x1, q[0], P);                                                       \
        LO(x1, q[1], P);                                                       \
        HI(x2, q[1], P);                                                       \
        LO(x2, q[2], P);                                                       \
        HI(x3, q[2], P);                                                       \
        LO(x3, q[3], P);                                                       \
        HI(x4, q[3], P);                                                       \
        T[i0 + j] = x0;                                                        \
        x0 = T[i0 + j + 5];                                                    \
        j++;                                                                   \
    } while (0)
        vec w0 = acc[0], w1 = acc[1], w2 = acc[2], w3 = acc[3], w4 = acc[4];
        int j = 4;
        for (; j + 5 <= H;) {
            LN_RSTEP(w0, w1, w2, w3, w4);
            LN_RSTEP(w1, w2, w3, w4, w0);
            LN_RSTEP(w2, w3, w4, w0, w1);
            LN_RSTEP(w3, w4, w0, w1, w2);
            LN_RSTEP(w4, w0, w1, w2, w3);
        }
        while (j < H) {
            LN_RSTEP(w0, w1, w2, w3, w4);
            const vec t = w0;
            w0 = w1;
            w1 = w2;
            w2 = w3;
            w3 = w4;
            w4 = t;
        }
#undef LN_RSTEP
        acc[0] = w0;
        acc[1] = w1;
        acc[2] = w2;
        acc[3] = w3;
        acc[4] = w4;
        if (e > 0) {
            /* the window holds columns i0 + H + u: -q_s at H + s, then
             * q_s 2^e at N - 1 + s (lo) and N + s (hi) */
            LN_UNROLL
            for (int s = 0; s < 4; s++) {
                T[i0 + H + s] = _mm512_sub_epi64(acc[s], q[s]);
            }
            acc[0] = acc[4];
            LN_UNROLL
            for (int u = 1; u < 5; u++) {
                acc[u] = T[i0 + N - 1 + u];
            }
            LN_UNROLL
            for (int s = 0; s < 4; s++) {
                LO(acc[s], q[s], E);
                HI(acc[s + 1], q[s], E);
            }
            LN_UNROLL
            for (int u = 0; u < 5; u++) {
                T[i0 + N - 1 + u] = acc[u];
            }
        } else {
            LN_UNROLL
            for (int u = 0; u < 4; u++) {
                T[i0 + N + u] = acc[u];
            }
        }
    }
    for (int d = 0; d < N; d++) {
        const vec t = _mm512_add_epi64(T[N + d], c);
        r[d] = _mm512_and_si512(t, M);
        c = _mm512_srai_epi64(t, 52);
    }
    for (int d = N; d < ND; d++) {
        r[d] = z;
    }
}

/* The columns above the products that the reduction's window reads. */
LN_INLINE void ln_zero_top(vec *T, const int N, const int from)
{
    for (int k = from; k < 2 * N + 8; k++) {
        T[k] = _mm512_setzero_si512();
    }
}

/* The kernels for a group size: ln_redcN (p + 1 with the top of ln_redc,
 * e > 0) and ln_redcNg (any p of the size, e = 0), the square and the
 * product (one call to the reduction each: the call costs nothing next to
 * ~18,000 IFMA, and sc_ifma_redc8 tests the same code). */
#define LN_KERNELS(N, ND, E)                                                   \
    static __attribute__((noinline))                                           \
    LN_TARGET void ln_redc##N(vec *r, vec *T, const uint64_t *p1)              \
    {                                                                          \
        ln_redc(r, T, p1, N, ND, E);                                           \
    }                                                                          \
    static __attribute__((noinline))                                           \
    LN_TARGET void ln_redc##N##g(vec *r, vec *T, const uint64_t *p1)           \
    {                                                                          \
        ln_redc(r, T, p1, N, ND, 0);                                           \
    }                                                                          \
    static __attribute__((noinline))                                           \
    LN_TARGET void ln_sqr##N(const sc_mont *m, vec *r, const vec *a, vec *T)   \
    {                                                                          \
        ln_square(T, a, N);                                                    \
        ln_zero_top(T, N, (N - 2) / 8 * 8 + N + 8);                            \
        (m->lane_top ? ln_redc##N : ln_redc##N##g)(r, T, m->p1_52);            \
    }                                                                          \
    static __attribute__((noinline)) LN_TARGET void ln_mul##N(                 \
        const sc_mont *m, vec *r, const vec *a, const vec *b, vec *T)          \
    {                                                                          \
        ln_rect(T, a, b, N);                                                   \
        ln_zero_top(T, N, (N - 1) / 8 * 8 + N + 8);                            \
        (m->lane_top ? ln_redc##N : ln_redc##N##g)(r, T, m->p1_52);            \
    }
LN_KERNELS(79, 80, 40)
LN_KERNELS(60, 64, 4)

_Static_assert(SC_LROOM_VEC >= 2 * 79 + 16, "sc_lanes_room");

void sc_ifma_sqr8(const sc_mont *m, sc_lanes8 *r, const sc_lanes8 *a,
                  sc_lanes_room *room)
{
    sc_arith_count(SC_CNT_KSQR8);
    (m->ns52 == 79 ? ln_sqr79 : ln_sqr60)(m, (vec *)(void *)r->v,
                                          (const vec *)(const void *)a->v,
                                          (vec *)(void *)room->v);
}

void sc_ifma_mul8(const sc_mont *m, sc_lanes8 *r, const sc_lanes8 *a,
                  const sc_lanes8 *b, sc_lanes_room *room)
{
    sc_arith_count(SC_CNT_KMUL8);
    (m->ns52 == 79 ? ln_mul79 : ln_mul60)(
        m, (vec *)(void *)r->v, (const vec *)(const void *)a->v,
        (const vec *)(const void *)b->v, (vec *)(void *)room->v);
}

void sc_ifma_redc8(const sc_mont *m, sc_lanes8 *r, sc_lanes_room *room)
{
    vec *T = (vec *)(void *)room->v;
    if (m->ns52 == 79) {
        (m->lane_top ? ln_redc79 : ln_redc79g)((vec *)(void *)r->v, T,
                                               m->p1_52);
    } else {
        (m->lane_top ? ln_redc60 : ln_redc60g)((vec *)(void *)r->v, T,
                                               m->p1_52);
    }
}
#else
void sc_ifma_sqr8(const sc_mont *m, sc_lanes8 *r, const sc_lanes8 *a,
                  sc_lanes_room *room)
{
    (void)m;
    (void)r;
    (void)a;
    (void)room;
}

void sc_ifma_mul8(const sc_mont *m, sc_lanes8 *r, const sc_lanes8 *a,
                  const sc_lanes8 *b, sc_lanes_room *room)
{
    (void)m;
    (void)r;
    (void)a;
    (void)b;
    (void)room;
}

void sc_ifma_redc8(const sc_mont *m, sc_lanes8 *r, sc_lanes_room *room)
{
    (void)m;
    (void)r;
    (void)room;
}
#endif

/* Whole exponentiations on the 8-lane kernels (pow_lanes.c, the helper's
 * timer, cpu 1, 2026-12-05): at 4096 bits a group of eight 1.08 ms, one
 * sc_pow_secret 0.168 ms (6.4 of them: seven values gain); at 3072 bits
 * 0.68 ms against 0.138 ms (4.9: five break even, six gain). Squarings
 * alone at 4096 bits: one 8-lane call 2.8 us, one value 0.43 us (6.5).
 * Measure again when the kernels change. */
int sc_lanes8_min(const sc_mont *m)
{
    return m->ns52 == 60 ? 6 : 7;
}

void sc_lanes8_put(const sc_mont *m, sc_lanes8 *x, int lane, const uint64_t *d)
{
    for (int k = 0; k < m->nd52; k++) {
        x->v[8 * k + lane] = d[k];
    }
}

void sc_lanes8_get(const sc_mont *m, uint64_t *d, const sc_lanes8 *x, int lane)
{
    for (int k = 0; k < m->nd52; k++) {
        d[k] = x->v[8 * k + lane];
    }
}
