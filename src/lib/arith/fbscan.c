/* Scrutin: the constant-time scan of a fixed-base table row on AVX-512
 * (sc_fb_pow_secret, spec note 3.5; docs/ARITH.md §3).
 *
 * A row is stored in blocks of 8 limbs, [block][entry][8 limbs]
 * (arith.c fb_off): with nb blocks and cnt entries, block b of entry j is
 * the 64 bytes at (b cnt + j) 8. One zmm register holds one block. The
 * scan reads every block of every entry of the row, whatever the digits,
 * and keeps the wanted ones by a mask that is a value, never an address
 * or a branch: per entry j, mask = all ones if j = d else 0 (a vector
 * compare of j against d into a mask register, expanded to a vector), and
 * acc |= block & mask (one vpternlogq). The entries go outermost and the
 * nb blocks innermost, so the nb accumulators (and, for several digits at
 * once, nb per digit) are independent and stay in registers; each entry's
 * mask serves all its blocks.
 *
 * Used only where the IFMA kernel is (m->ifma: the CPU has AVX-512 F, and
 * valgrind, which does not emulate AVX-512, hides it, so the constant-time
 * tests under valgrind check the scalar scan in arith.c). */
#include "arith/fbscan.h"

#ifdef SC_HAVE_IFMA
#include <immintrin.h>

#define SCAN_TARGET __attribute__((target("avx512f"), aligned(64)))

/* acc |= e & m (ternary-logic table 0xF8: A | (B & C)) */
#define SCAN_OR_AND(acc, e, m) _mm512_ternarylogic_epi64((acc), (e), (m), 0xF8)

/* One row, digits d[0..ND-1], NB blocks of 8 limbs per entry. The
 * accumulators are written out by block (SCAN_EACH_B) so that they stay
 * in zmm registers. */
#define SCAN_EACH_B8(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define SCAN_EACH_B6(X) X(0) X(1) X(2) X(3) X(4) X(5)

#define SCAN_DECL1(b) __m512i a0_##b = zero;
#define SCAN_DECL2(b) __m512i a0_##b = zero, a1_##b = zero;
#define SCAN_STEP1(b)                                                          \
    {                                                                          \
        const __m512i e = _mm512_loadu_si512(row + ((b)*cnt + j) * 8);         \
        a0_##b = SCAN_OR_AND(a0_##b, e, m0);                                   \
    }
#define SCAN_STEP2(b)                                                          \
    {                                                                          \
        const __m512i e = _mm512_loadu_si512(row + ((b)*cnt + j) * 8);         \
        a0_##b = SCAN_OR_AND(a0_##b, e, m0);                                   \
        a1_##b = SCAN_OR_AND(a1_##b, e, m1);                                   \
    }
#define SCAN_OUT1(b) _mm512_storeu_si512(out0 + (b)*8, a0_##b);
#define SCAN_OUT2(b)                                                           \
    _mm512_storeu_si512(out0 + (b)*8, a0_##b);                                 \
    _mm512_storeu_si512(out1 + (b)*8, a1_##b);

#define SCAN_FN(name, EACH, DECL, OUT_STEP, OUT_STORE, TWO)                    \
    static SCAN_TARGET void name(uint64_t *out0, uint64_t *out1,               \
                                 const uint64_t *row, size_t cnt, size_t d0,   \
                                 size_t d1)                                    \
    {                                                                          \
        const __m512i zero = _mm512_setzero_si512();                           \
        const __m512i ones = _mm512_set1_epi64(-1);                            \
        const __m512i one = _mm512_set1_epi64(1);                              \
        const __m512i v0 = _mm512_set1_epi64((long long)d0);                   \
        const __m512i v1 = _mm512_set1_epi64((long long)d1);                   \
        __m512i jv = zero;                                                     \
        EACH(DECL)                                                             \
        for (size_t j = 0; j < cnt; j++) {                                     \
            const __m512i m0 =                                                 \
                _mm512_maskz_mov_epi64(_mm512_cmpeq_epi64_mask(jv, v0), ones); \
            const __m512i m1 =                                                 \
                TWO ? _mm512_maskz_mov_epi64(_mm512_cmpeq_epi64_mask(jv, v1),  \
                                             ones)                             \
                    : zero;                                                    \
            (void)m1;                                                          \
            EACH(OUT_STEP)                                                     \
            jv = _mm512_add_epi64(jv, one);                                    \
        }                                                                      \
        EACH(OUT_STORE)                                                        \
        (void)out1;                                                            \
        (void)d1;                                                              \
    }

SCAN_FN(scan1_b8, SCAN_EACH_B8, SCAN_DECL1, SCAN_STEP1, SCAN_OUT1, 0)
SCAN_FN(scan2_b8, SCAN_EACH_B8, SCAN_DECL2, SCAN_STEP2, SCAN_OUT2, 1)
SCAN_FN(scan1_b6, SCAN_EACH_B6, SCAN_DECL1, SCAN_STEP1, SCAN_OUT1, 0)
SCAN_FN(scan2_b6, SCAN_EACH_B6, SCAN_DECL2, SCAN_STEP2, SCAN_OUT2, 1)

int sc_fbscan_ok(mp_size_t n)
{
    return n == 64 || n == 48;
}

void sc_fbscan(uint64_t *out, const uint64_t *row, size_t cnt, mp_size_t n,
               size_t d)
{
    if (n == 64) {
        scan1_b8(out, NULL, row, cnt, d, 0);
    } else {
        scan1_b6(out, NULL, row, cnt, d, 0);
    }
}

void sc_fbscan2(uint64_t *out0, uint64_t *out1, const uint64_t *row, size_t cnt,
                mp_size_t n, size_t d0, size_t d1)
{
    if (n == 64) {
        scan2_b8(out0, out1, row, cnt, d0, d1);
    } else {
        scan2_b6(out0, out1, row, cnt, d0, d1);
    }
}
#endif
