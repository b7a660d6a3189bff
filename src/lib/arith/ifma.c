/* Constant-time Montgomery product in radix 2^52 on AVX-512 IFMA
 * (vpmadd52luq / vpmadd52huq). See mont.h and docs/ARITH.md §2.
 *
 * Only the kernel is compiled for AVX-512 (function-level target
 * attribute); it runs only when sc_mont_init found the instructions with
 * CPUID and the OS saving the zmm state (m->ifma). The conversions are
 * plain C. */
#include "arith/mont.h"

#include <string.h>

#include "scrutin/core.h"

#define M52 ((uint64_t)0xfffffffffffff)

#ifdef SC_HAVE_IFMA
__attribute__((target("avx512f,avx512ifma,avx512vl"))) static void
from_limbs_v(const sc_mont *m, uint64_t *d, const mp_limb_t *a);
#endif

void sc_ifma_from_limbs(const sc_mont *m, uint64_t *d, const mp_limb_t *a)
{
#ifdef SC_HAVE_IFMA
    if (m->ifma) {
        /* the vector conversion: constant time too (masks, permutes and
         * shifts from public positions only), in registers (no copy to
         * wipe), and ~5x faster than the scalar one below */
        from_limbs_v(m, d, a);
        return;
    }
#endif
    /* Digit k is bits [52 k, 52 k + 52): the top of limb l = 52k / 64
     * shifted down by sh = 52k mod 64, joined with the bottom of limb l + 1
     * (shifted in two steps so that sh = 0 needs no shift by 64; the part
     * of limb l + 1 that lands above bit 52 is masked off). Every index and
     * shift is public (from k), none depends on the values. */
    mp_limb_t t[SC_MONT_MAXN + 2];
    memcpy(t, a, (size_t)m->n * sizeof(mp_limb_t));
    memset(t + m->n, 0, (size_t)(SC_MONT_MAXN + 2 - m->n) * sizeof(mp_limb_t));
    for (int k = 0; k < m->nd52; k++) {
        const unsigned bit = 52u * (unsigned)k, l = bit / 64, sh = bit % 64;
        d[k] = ((t[l] >> sh) | ((t[l + 1] << 1) << (63 - sh))) & M52;
    }
    sc_wipe(t, sizeof t);
}

static void from_limbs_pub_c(const sc_mont *m, uint64_t *d, const mp_limb_t *a)
{
    /* As sc_ifma_from_limbs without the copy and the wipe (public data):
     * limb l + 1 is read only when it exists and the digit needs it
     * (sh > 12), so no shift count reaches 64. */
    const unsigned n = (unsigned)m->n;
    for (int k = 0; k < m->nd52; k++) {
        const unsigned bit = 52u * (unsigned)k, l = bit / 64, sh = bit % 64;
        uint64_t v = l < n ? a[l] >> sh : 0;
        if (sh > 12 && l + 1 < n) {
            v |= a[l + 1] << (64 - sh);
        }
        d[k] = v & M52;
    }
}

void sc_ifma_from_mpz(const sc_mont *m, uint64_t *d, const mpz_t x)
{
    mp_limb_t a[SC_MONT_MAXN];
    /* Contract: x < 2^(64 n) (callers pass values reduced mod p); the
     * bound keeps a wider x from writing past the buffer. */
    size_t sz = mpz_size(x) < (size_t)m->n ? mpz_size(x) : (size_t)m->n;
    memset(a, 0, sizeof a);
    memcpy(a, mpz_limbs_read(x), sz * sizeof(mp_limb_t));
    sc_ifma_from_limbs(m, d, a);
}

void sc_ifma_to_limbs(const sc_mont *m, mp_limb_t *r, const uint64_t *d)
{
    const mp_size_t n = m->n;
    /* 52 nd52 >= 64 n + 2 bits, so n + 1 limbs hold any value < 2p. Limb
     * l is bits [64 l, 64 l + 64): digits k = 64l / 52 (from bit sh =
     * 64l mod 52), k + 1 and k + 2 (needed when sh > 40; written as a
     * shift in steps so that no shift count reaches 64). Public indices. */
    mp_limb_t t[SC_MONT_MAXN + 1];
    uint64_t dd[SC_IFMA_MAXD + 3];
    memcpy(dd, d, (size_t)m->nd52 * sizeof(uint64_t));
    memset(dd + m->nd52, 0,
           (size_t)(SC_IFMA_MAXD + 3 - m->nd52) * sizeof(uint64_t));
    for (mp_size_t l = 0; l <= n; l++) {
        const unsigned bit = 64u * (unsigned)l, k = bit / 52, sh = bit % 52;
        t[l] = (dd[k] >> sh) | (dd[k + 1] << (52 - sh)) |
               (((dd[k + 2] << 40) << 1) << (63 - sh));
    }
    sc_wipe(dd, sizeof dd);
    /* Value < 2p (the kernel's invariant): subtract p once when t[n] is
     * set or t >= p, selected by mask as in redc. */
    mp_limb_t borrow = mpn_sub_n(r, t, m->p, n);
    mp_limb_t use_s = 0 - (t[n] | (borrow ^ 1));
    for (mp_size_t i = 0; i < n; i++) {
        r[i] = (r[i] & use_s) | (t[i] & ~use_s);
    }
    sc_wipe(t, sizeof t);
}

#ifdef SC_HAVE_IFMA
#include <cpuid.h>
#include <immintrin.h>

#define SC_IFMA_TARGET __attribute__((target("avx512f,avx512ifma,avx512vl")))

/* sc_ifma_from_limbs (secret or public a) in vectors: digits 8g..8g+7 are bits
 * 416 g + 52 j, i.e. from limb l0 = floor(6.5 g) at offsets (32 (g odd) + 52
 * j): two lane patterns (limb index, shift), by the parity of g. One masked
 * load (limbs past n read as 0), two lane permutes, variable shifts (a
 * left shift by 64 gives 0, the sh = 0 case). No branch, index or shift
 * depends on the limbs; no temporary in memory. */
static SC_IFMA_TARGET void from_limbs_v(const sc_mont *m, uint64_t *d,
                                        const mp_limb_t *a)
{
    const __m512i li[2] = {_mm512_setr_epi64(0, 0, 1, 2, 3, 4, 4, 5),
                           _mm512_setr_epi64(0, 1, 2, 2, 3, 4, 5, 6)};
    const __m512i sh[2] = {_mm512_setr_epi64(0, 52, 40, 28, 16, 4, 56, 44),
                           _mm512_setr_epi64(32, 20, 8, 60, 48, 36, 24, 12)};
    const __m512i one = _mm512_set1_epi64(1), s64 = _mm512_set1_epi64(64);
    const __m512i mask52 = _mm512_set1_epi64((long long)M52);
    for (int g = 0; g < m->nd52 / 8; g++) {
        const int l0 = 13 * g / 2, left = (int)m->n - l0;
        const __mmask8 lm = left >= 8   ? (__mmask8)0xff
                            : left <= 0 ? (__mmask8)0
                                        : (__mmask8)((1u << left) - 1);
        const __m512i v = _mm512_maskz_loadu_epi64(lm, (const void *)(a + l0));
        const int par = g & 1;
        const __m512i lo = _mm512_permutexvar_epi64(li[par], v);
        const __m512i hi =
            _mm512_permutexvar_epi64(_mm512_add_epi64(li[par], one), v);
        const __m512i r = _mm512_and_si512(
            _mm512_or_si512(
                _mm512_srlv_epi64(lo, sh[par]),
                _mm512_sllv_epi64(hi, _mm512_sub_epi64(s64, sh[par]))),
            mask52);
        _mm512_storeu_si512((void *)(d + 8 * g), r);
    }
}

/* The product core (ifma_mulcore.c, generated by tools/gen_ifma_mulcore.py,
 * where the algorithm is described; docs/ARITH.md §2.7): r = a b / R' mod
 * p, R' = 2^(52 ns52), value < 2p, for a, b < 2p, by one Karatsuba level
 * (a b in 3 x 400 IFMA for 4096-bit p instead of 79 x 20) and the
 * digit-serial reduction with p + 1 (its digits 0-3 are 0: the low 256
 * bits of p are ones, spec §3.1.1). Exactly the value of operand-scanning
 * Montgomery ((a b + Q p) / R', Q = -a b p^-1 mod R'). One fixed
 * instruction sequence but for a loop on a public counter; no branch or
 * address depends on a, b. Its room holds copies of a's vectors, of the
 * sums a0 + a1, b0 + b1 and of T's upper vectors after the call: it is
 * in sc_ifma_mul's frame, which sc_ifma_burn zeroes after secret work. */
#define SC_KM_ROOM (6 * (SC_IFMA_MAXD / 16) + 5) /* vectors */
void sc_ifma_mulcore80(uint64_t *r, uint64_t *room, const uint64_t *a,
                       const uint64_t *b, const uint64_t *ps,
                       const uint64_t *cst);
void sc_ifma_mulcore64(uint64_t *r, uint64_t *room, const uint64_t *a,
                       const uint64_t *b, const uint64_t *ps,
                       const uint64_t *cst);

void sc_ifma_mul(const sc_mont *m, uint64_t *r, const uint64_t *a,
                 const uint64_t *b)
{
    _Alignas(64) uint64_t room[8 * SC_KM_ROOM];
    sc_arith_count(SC_CNT_KMUL);
    if (m->nd52 == 80) {
        sc_ifma_mulcore80(r, room, a, b, m->ps52, sc_ifma_cst);
    } else {
        sc_ifma_mulcore64(r, room, a, b, m->ps52, sc_ifma_cst);
    }
}

/* The compiled product kernel keeps copies of its operand a (the moved-up
 * a') in spill slots of its frame, and its normalisation's lanes, which
 * are not wiped on return. Called once at the end of a secret computation
 * from the function that called sc_ifma_mul, at the same stack depth: its
 * frame covers the kernel's (about 1.4 KB below sc_ifma_mul's) and zeroes
 * it. */
__attribute__((noinline)) void sc_ifma_burn(void)
{
    unsigned char b[4096];
    sc_wipe(b, sizeof b);
    __asm__ volatile("" : : "r"(b) : "memory");
}

void sc_ifma_from_limbs_pub(const sc_mont *m, uint64_t *d, const mp_limb_t *a)
{
    if (m->ifma) {
        from_limbs_v(m, d, a);
    } else {
        from_limbs_pub_c(m, d, a);
    }
}

int sc_ifma_cpu(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) {
        return 0; /* no OSXSAVE: cannot ask the OS about zmm state */
    }
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    /* XCR0: SSE, AVX, opmask, upper zmm halves, zmm16-31 all enabled. */
    if ((lo & 0xe6u) != 0xe6u) {
        return 0;
    }
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        return 0;
    }
    /* AVX512F (bit 16), AVX512IFMA (21), AVX512VL (31) in EBX. */
    return (b & (1u << 16)) && (b & (1u << 21)) && (b & (1u << 31));
}
#else
void sc_ifma_mul(const sc_mont *m, uint64_t *r, const uint64_t *a,
                 const uint64_t *b)
{
    (void)m;
    (void)r;
    (void)a;
    (void)b;
    /* Unreachable: m->ifma is never set without SC_HAVE_IFMA. */
}

void sc_ifma_burn(void)
{
}

void sc_ifma_from_limbs_pub(const sc_mont *m, uint64_t *d, const mp_limb_t *a)
{
    from_limbs_pub_c(m, d, a);
}

int sc_ifma_cpu(void)
{
    return 0;
}
#endif
