/* HMAC-SHA-256 (FIPS 180-4, RFC 2104) on the x86 SHA extensions, for H
 * (spec eq 130) on CPUs that have them: see sha256ni.h.
 *
 * Why: libsodium's SHA-256 is portable C; the verifier hashes ~3 KB per
 * proof (the challenge of eq 59 covers six 512-byte elements), and that
 * was ~2 % of the CPU of verifying a record (docs/ARITH.md §12). The
 * SHA extensions do the same compression several times faster.
 *
 * The state is kept in the caller's crypto_auth_hmacsha256_state (the
 * storage of sc_hash, a public type) with this file's own meaning: ictx
 * the inner hash, octx the outer one, `count` in bytes. A state started
 * here is only ever continued and finished here (the choice is made once
 * per process, sc_sha256ni_on). Constant time: no branch or address
 * depends on the data, only on lengths; the key pads and the message
 * schedule are wiped. */
#include "hash/sha256ni.h"

#include <string.h>

#include "scrutin/core.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SC_HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#ifdef SC_HAVE_SHANI
static const uint32_t KR[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* n 64-byte blocks into st (a..h, host order). The extensions keep the
 * state as two registers, {A, B, E, F} and {C, D, G, H} (high lane
 * first); each sha256rnds2 does two rounds and returns the new {A, B, E,
 * F}, the old one becoming {C, D, G, H}. The 64 schedule words are made
 * first, four at a time (sha256msg1 adds σ0, sha256msg2 σ1). */
__attribute__((target("sha,sse4.1,ssse3"))) static void
compress(uint32_t st[8], const uint8_t *in, size_t n)
{
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)(const void *)st);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)(const void *)(st + 4));
    dcba = _mm_shuffle_epi32(dcba, 0xB1); /* lanes c d a b */
    hgfe = _mm_shuffle_epi32(hgfe, 0x1B); /* lanes e f g h */
    __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);
    /* the message schedule of the last block (derived from the input,
     * which may be secret) is wiped on the way out: GCC keeps it in the
     * frame */
    __m128i w[16];
    for (; n > 0; n--, in += 64) {
        for (int k = 0; k < 4; k++) {
            w[k] = _mm_shuffle_epi8(
                _mm_loadu_si128((const __m128i *)(const void *)(in + 16 * k)),
                bswap);
        }
        for (int k = 4; k < 16; k++) {
            __m128i t = _mm_sha256msg1_epu32(w[k - 4], w[k - 3]);
            t = _mm_add_epi32(t, _mm_alignr_epi8(w[k - 1], w[k - 2], 4));
            w[k] = _mm_sha256msg2_epu32(t, w[k - 1]);
        }
        const __m128i abef0 = abef, cdgh0 = cdgh;
        for (int k = 0; k < 16; k++) {
            __m128i m = _mm_add_epi32(
                w[k],
                _mm_loadu_si128((const __m128i *)(const void *)(KR + 4 * k)));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
            m = _mm_shuffle_epi32(m, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, m);
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }
    sc_wipe(w, sizeof w);
    __m128i t = _mm_shuffle_epi32(abef, 0x1B); /* lanes a b e f */
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);      /* lanes g h c d */
    dcba = _mm_blend_epi16(t, cdgh, 0xF0);     /* a b c d */
    hgfe = _mm_alignr_epi8(cdgh, t, 8);        /* e f g h */
    _mm_storeu_si128((__m128i *)(void *)st, dcba);
    _mm_storeu_si128((__m128i *)(void *)(st + 4), hgfe);
}

static int detect(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) ||
        !(c & bit_SSSE3)) {
        return 0;
    }
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        return 0;
    }
    return (b & bit_SHA) != 0;
}
#endif

static int g_on = -1; /* -1: not yet asked */

int sc_sha256ni_on(void)
{
#ifdef SC_HAVE_SHANI
    int on = __atomic_load_n(&g_on, __ATOMIC_RELAXED);
    if (on < 0) {
        on = detect();
        __atomic_store_n(&g_on, on, __ATOMIC_RELAXED);
    }
    return on;
#else
    return 0;
#endif
}

void sc_sha256ni_force(int on)
{
    __atomic_store_n(&g_on, on ? -1 : 0, __ATOMIC_RELAXED);
}

#ifdef SC_HAVE_SHANI
static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static void sha_update(crypto_hash_sha256_state *s, const uint8_t *in,
                       size_t len)
{
    size_t r = (size_t)(s->count & 63);
    s->count += len;
    if (r > 0) {
        size_t take = 64 - r < len ? 64 - r : len;
        memcpy(s->buf + r, in, take);
        in += take;
        len -= take;
        if (r + take < 64) {
            return;
        }
        compress(s->state, s->buf, 1);
    }
    compress(s->state, in, len / 64);
    in += len - len % 64;
    memcpy(s->buf, in, len % 64);
}

/* FIPS 180-4 §5.1.1 padding and the big-endian digest. */
static void sha_final(crypto_hash_sha256_state *s, uint8_t out[32])
{
    const uint64_t bits = s->count * 8;
    size_t r = (size_t)(s->count & 63);
    s->buf[r++] = 0x80;
    if (r > 56) {
        memset(s->buf + r, 0, 64 - r);
        compress(s->state, s->buf, 1);
        r = 0;
    }
    memset(s->buf + r, 0, 56 - r);
    for (int i = 0; i < 8; i++) {
        s->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    }
    compress(s->state, s->buf, 1);
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 4; j++) {
            out[4 * i + j] = (uint8_t)(s->state[i] >> (24 - 8 * j));
        }
    }
}

static void sha_init(crypto_hash_sha256_state *s)
{
    memcpy(s->state, IV, sizeof IV);
    s->count = 0;
}
#endif

void sc_hmac256ni_init(crypto_auth_hmacsha256_state *st, const uint8_t *key,
                       size_t keylen)
{
#ifdef SC_HAVE_SHANI
    uint8_t pad[64], kh[32];
    if (keylen > 64) { /* RFC 2104: a long key is hashed first */
        sha_init(&st->ictx);
        sha_update(&st->ictx, key, keylen);
        sha_final(&st->ictx, kh);
        key = kh;
        keylen = 32;
    }
    memset(pad, 0x36, 64);
    for (size_t i = 0; i < keylen; i++) {
        pad[i] ^= key[i];
    }
    sha_init(&st->ictx);
    sha_update(&st->ictx, pad, 64);
    for (size_t i = 0; i < 64; i++) {
        pad[i] ^= 0x36 ^ 0x5c;
    }
    sha_init(&st->octx);
    sha_update(&st->octx, pad, 64);
    sc_wipe(pad, sizeof pad);
    sc_wipe(kh, sizeof kh);
#else
    crypto_auth_hmacsha256_init(st, key, keylen);
#endif
}

void sc_hmac256ni_update(crypto_auth_hmacsha256_state *st, const void *data,
                         size_t len)
{
#ifdef SC_HAVE_SHANI
    sha_update(&st->ictx, data, len);
#else
    crypto_auth_hmacsha256_update(st, data, len);
#endif
}

void sc_hmac256ni_final(crypto_auth_hmacsha256_state *st, uint8_t out[32])
{
#ifdef SC_HAVE_SHANI
    uint8_t ih[32];
    sha_final(&st->ictx, ih);
    sha_update(&st->octx, ih, sizeof ih);
    sha_final(&st->octx, out);
    sc_wipe(ih, sizeof ih);
#else
    crypto_auth_hmacsha256_final(st, out);
#endif
}
