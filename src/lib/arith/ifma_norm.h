/* The IFMA product kernel's final normalisation (ifma.c; the squaring
 * kernel does the same in its generated assembly: tools/gen_ifma_core.py,
 * finish): lanes of 64 bits, each the digit sum of one position, to digits
 * < 2^52. Only for files compiled with the kernels' AVX-512 target
 * (SC_HAVE_IFMA). */
#ifndef SC_ARITH_IFMA_NORM_H
#define SC_ARITH_IFMA_NORM_H

#include <immintrin.h>
#include <stdint.h>

/* r = the digits < 2^52 of the value whose lanes are v[0..NV-1] (any
 * 64-bit lanes), the value < 2^(52 8 NV) (no carry out of the top). One
 * vector pass leaves lanes < 2^52 + 2^12 (carry 0 or 1 each); the
 * 1-carries then ripple through the lanes equal to 2^52 - 1, which one
 * integer addition of lane bit masks does (generate G: lane > 2^52 - 1,
 * propagate P: lane = 2^52 - 1; carries in = ((G << 1) + P) ^ P: a carry
 * reaches lane k from G at k - 1 through a run of P lanes, and G and P
 * exclude each other), on two words for up to 128 lanes. Replaces a
 * serial carry chain of 8 NV digits; no branch on the values. v is
 * rewritten: the caller decides where it lives (registers, after inlining
 * with a constant NV, or a room it wipes). */
static inline
    __attribute__((always_inline, target("avx512f,avx512ifma,avx512vl"))) void
    sc_ifma_normalise(uint64_t *r, __m512i *v, const int NV)
{
    const __m512i mask52 = _mm512_set1_epi64((long long)0xfffffffffffffLL);
    const __m512i one = _mm512_set1_epi64(1);
    __m512i cprev = _mm512_setzero_si512();
    uint64_t g0 = 0, g1 = 0, p0 = 0, p1 = 0;
#pragma GCC unroll 16
    for (int k = 0; k < NV; k++) {
        const __m512i ck = _mm512_srli_epi64(v[k], 52);
        v[k] = _mm512_add_epi64(_mm512_and_si512(v[k], mask52),
                                _mm512_alignr_epi64(ck, cprev, 7));
        cprev = ck;
        const uint64_t gk = (uint64_t)_mm512_cmpgt_epu64_mask(v[k], mask52)
                            << (8 * (k % 8));
        const uint64_t pk = (uint64_t)_mm512_cmpeq_epu64_mask(v[k], mask52)
                            << (8 * (k % 8));
        if (k < 8) { /* public index */
            g0 |= gk;
            p0 |= pk;
        } else {
            g1 |= gk;
            p1 |= pk;
        }
    }
    const uint64_t s0 = (g0 << 1) + p0;
    const uint64_t s1 = (g1 << 1 | g0 >> 63) + p1 + (s0 < p0);
    const uint64_t cin0 = s0 ^ p0, cin1 = s1 ^ p1;
#pragma GCC unroll 16
    for (int k = 0; k < NV; k++) {
        const __mmask8 mk = (__mmask8)((k < 8 ? cin0 : cin1) >> (8 * (k % 8)));
        _mm512_storeu_si512(
            (void *)(r + 8 * k),
            _mm512_and_si512(_mm512_mask_add_epi64(v[k], mk, v[k], one),
                             mask52));
    }
}

#endif
