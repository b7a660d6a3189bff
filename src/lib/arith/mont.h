/* Scrutin: internal Montgomery arithmetic on GMP limb arrays (mpn level).
 *
 * Not part of the public API: the engine in arith.c, the discrete log in
 * dlog.c and the benchmark use it. Elements are n-limb arrays in
 * Montgomery form (x R mod p, R = 2^(64 n)), fully reduced to [0, p).
 *
 * Why mpn and not OpenSSL or mpz: see docs/ARITH.md (measurements). The
 * product is GMP's mpn_mul_n / mpn_sqr (Toom, fastest) on public data and
 * mpn_sec_mul / mpn_sec_sqr (schoolbook, no data-dependent branch) on
 * secret data; the reduction is our own and branch-free in both cases.
 * On CPUs with AVX-512 IFMA the constant-time product runs instead on a
 * radix-2^52 vector kernel (ifma.c, docs/ARITH.md §2.1). */
#ifndef SC_ARITH_MONT_H
#define SC_ARITH_MONT_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

/* Largest p we support: 4096 bits (the standard group, spec §3.1.1). */
#define SC_MONT_MAXN 64
/* Radix-2^52 digits of the IFMA kernel at SC_MONT_MAXN: 80 (10 vectors
 * of 8), enough for 4p < 2^(52 * 80) with p < 2^4096. */
#define SC_IFMA_MAXD 80
#define SC_IFMA_NSH 10 /* shifts of p + 1 in the kernel's table */
#if defined(__x86_64__) && defined(__GNUC__)
#define SC_HAVE_IFMA 1
#endif
/* Scratch limbs for mpn_sec_mul / mpn_sec_sqr at SC_MONT_MAXN (checked
 * against mpn_sec_*_itch when the context is built). */
#define SC_MONT_SEC_ITCH (8 * SC_MONT_MAXN)

typedef struct sc_mont {
    mp_size_t n; /* limbs of p */
    /* p = -1 mod 2^(64 d) for the largest d in {4, 2, 1} dividing n (the
     * ElectionGuard primes end in 256 one bits, spec §3.1.1 property 2,
     * and so does the appendix 3072-bit prime), 0 if none:
     * then the Montgomery digit m is the low d limbs themselves (-p^-1 = 1
     * mod 2^(64 d)) and T + m p = T - m + m (p + 1), where p + 1 = pq
     * 2^(64 d). Saves the multiplication by -p^-1 and d limbs per step. */
    mp_size_t d;
    mp_limb_t pinv; /* -p^-1 mod 2^64 (generic reduction, d = 0) */
    mp_limb_t p[SC_MONT_MAXN];
    mp_limb_t pq[SC_MONT_MAXN];   /* (p + 1) / 2^(64 d), n - d limbs */
    mp_limb_t r2[SC_MONT_MAXN];   /* R^2 mod p (into Montgomery form) */
    mp_limb_t one[SC_MONT_MAXN];  /* R mod p (1 in Montgomery form) */
    mp_limb_t raw1[SC_MONT_MAXN]; /* plain 1 (out of Montgomery form) */
    /* 1: use the mulx/adcx/adox kernel (x86-64 with BMI2 and ADX, d = 4,
     * 4 | n): the reduction and the constant-time product run on it. */
    int adx;
    /* 1: use the AVX-512 IFMA kernel (ifma.c) for the constant-time
     * product: CPU and OS support it, the low 52 bits of p are ones
     * (Montgomery digit = the low digit itself) and p has 48 or 64 limbs.
     * Its Montgomery radix is R' = 2^(52 ns52), not R. */
    int ifma;
    int nd52; /* digits stored: 64 (3072-bit p), 80 (4096): 8 per vector */
    int ns52; /* digit steps of the kernel, R' = 2^(52 ns52): 60, 79, the
               * fewest with 4p < R' */
    /* 1: digits ns52 - 5 .. ns52 - 2 of p + 1 are 2^52 - 1 and the top one
     * 2^e - 1 with 2^(64 n) = 2^e 2^(52 (ns52 - 1)), e = 40 or 4 (the
     * ElectionGuard primes, spec §3.1.1): the 8-lane kernels' reduction
     * takes that top as -B^(ns52-5) + 2^(64 n) (ifma_lanes.c) */
    int lane_top;
    /* p + 1 in radix 2^52 (digits 0-3 zero), with 8 zero digits after it:
     * the product reads digit k + D of it at lane k (p + 1 moved down D
     * digits, D = 0..3) */
    uint64_t p1_52[SC_IFMA_MAXD + 8];
    uint64_t rr52[SC_IFMA_MAXD];   /* R'^2 / R mod p: ab/R' -> ab/R */
    uint64_t r52[SC_IFMA_MAXD];    /* R mod p: x R' -> x R */
    uint64_t one52[SC_IFMA_MAXD];  /* R' mod p (1 in the R' form) */
    uint64_t rp2_52[SC_IFMA_MAXD]; /* R'^2 mod p: plain x -> x R' */
    /* p + 1 moved up by t = -2..7 digits, nd52 / 8 + 1 vectors each (the
     * kernel's fixed accumulator window, ifma_mul.c), vector k of shift t
     * at ps52 + ((t + 2) (nd52 + 8) + 8 k), aligned for whole-line loads
     * (so sc_mont, and struct sc_arith that holds it, are 64-byte aligned:
     * sc_arith_new allocates it with aligned_alloc). */
    _Alignas(64) uint64_t ps52[SC_IFMA_NSH * (SC_IFMA_MAXD + 8)];
} sc_mont;

/* Operation counts, for the bench's ideal costs (P2, P3): off unless
 * sc_arith_count_on(1); then each counted operation adds one (relaxed
 * atomics; off, the cost is one relaxed load per operation). */
enum {
    SC_CNT_KMUL,       /* sc_ifma_mul */
    SC_CNT_KSQR,       /* sc_ifma_sqr */
    SC_CNT_MUL,        /* sc_mont_mul, sc_mont_mul_ct off the kernel */
    SC_CNT_SQR,        /* sc_mont_sqr, sc_mont_sqr_ct off the kernel */
    SC_CNT_FB_SECRET,  /* sc_fb_pow_secret (sc_fb_pow_secret2: two) */
    SC_CNT_FB_SECRET2, /* sc_fb_pow_secret2 calls with one scan for two */
    SC_CNT_FB,         /* sc_fb_pow */
    SC_CNT_KSQR8,      /* sc_ifma_sqr8 (a call: eight squarings) */
    SC_CNT_KMUL8,      /* sc_ifma_mul8 (a call: eight products) */
    SC_CNT_N
};
/** 1: reset the counts and start counting; 0: stop. */
void sc_arith_count_on(int on);
/** The counts so far. */
void sc_arith_count_get(uint64_t out[SC_CNT_N]);
void sc_arith_count(int what);

/** Set up for odd p of at most SC_MONT_MAXN limbs. 0 on success. */
int sc_mont_init(sc_mont *m, const mpz_t p);

/* r = a b / R mod p. r may alias a or b. _ct: no branch or memory access
 * depends on the values of a and b (for secret operands). */
void sc_mont_mul(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a,
                 const mp_limb_t *b);
void sc_mont_sqr(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a);
void sc_mont_mul_ct(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a,
                    const mp_limb_t *b);
void sc_mont_sqr_ct(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a);

/* Radix-2^52 representation (the IFMA kernel; only when m->ifma). A
 * value is m->nd52 digits < 2^52, least significant first. */
/** d = a (n limbs, any value < 2^(64 n)). Constant time; on the kernel
 *  (m->ifma) the vector conversion, in registers. */
void sc_ifma_from_limbs(const sc_mont *m, uint64_t *d, const mp_limb_t *a);
/** The same for public a (without the kernel: no temporary copy, no
 *  wipe). */
void sc_ifma_from_limbs_pub(const sc_mont *m, uint64_t *d, const mp_limb_t *a);
/** d = x, 0 <= x < 2^(64 n). */
void sc_ifma_from_mpz(const sc_mont *m, uint64_t *d, const mpz_t x);
/** r = d mod p in [0, p) for a value d < 2p (one masked subtraction). */
void sc_ifma_to_limbs(const sc_mont *m, mp_limb_t *r, const uint64_t *d);
/** r = a b / 2^(52 ns52) mod p as a value < 2p, for a, b < 2p. Constant
 *  time. r may alias a or b. */
void sc_ifma_mul(const sc_mont *m, uint64_t *r, const uint64_t *a,
                 const uint64_t *b);
/** Zeroes the stack where sc_ifma_mul's frames were (its room, 2.2 KB in
 *  its frame, keeps copies of its operands): call it at the end of a
 *  computation on secrets, from the function that called sc_ifma_mul (same
 *  stack depth). */
void sc_ifma_burn(void);
#ifdef SC_HAVE_IFMA
/* The generated cores' constants (ifma_sqr.c): lane-broadcast indices for
 * lanes 1..7, 2^52 - 1, the squaring's two interleaves. */
extern const uint64_t sc_ifma_cst[80];
#endif
/* The squaring kernel's room (ifma_sqr.c): 2a between two zero vectors
 * (12 vectors) and the diagonal part (room for 20): 32 vectors of 64
 * bytes, 2 KB.
 * After a squaring it holds copies of a (the result leaves the kernel's
 * registers only for r). */
#define SC_IFMA_ROOM_VEC (SC_IFMA_MAXD / 8 + 2 + 2 * (SC_IFMA_MAXD / 8))
typedef struct sc_ifma_room {
    _Alignas(64) uint64_t v[8 * SC_IFMA_ROOM_VEC];
} sc_ifma_room;
/** r = a^2 / 2^(52 ns52) mod p, the same contract (r may alias a), on
 *  the squaring kernel (the digit products once per pair). Constant time:
 *  one fixed instruction sequence, no branch or address depending on a.
 *  Its temporaries go to `room` and stay there: the caller owns the room
 *  for a whole exponentiation and wipes it once at its end (a wipe per
 *  call cost what the kernel saves, docs/ARITH.md §2.3). */
void sc_ifma_sqr(const sc_mont *m, uint64_t *r, const uint64_t *a,
                 sc_ifma_room *room);
/** The same result for public a, with a room on the stack, not wiped. The
 *  public-data engine (sc_mont_esqr) uses it. */
void sc_ifma_sqr_pub(const sc_mont *m, uint64_t *r, const uint64_t *a);
/* Eight values side by side for the 8-lane kernels (ifma_lanes.c,
 * docs/ARITH.md §2.11): digit k of the value in lane l at v[8 k + l],
 * nd52 digits each, in the R' form with values < 2p as above, so that one
 * vector holds digit k of all eight. */
typedef struct sc_lanes8 {
    _Alignas(64) uint64_t v[8 * SC_IFMA_MAXD];
} sc_lanes8;
/* The 8-lane kernels' room: the unreduced columns (2 ns52 + 16 vectors,
 * 11 KB). After a call it holds digit products of the operands: for
 * secrets the caller wipes it once at the end of its computation. */
#define SC_LROOM_VEC (2 * SC_IFMA_MAXD + 16)
typedef struct sc_lanes_room {
    _Alignas(64) uint64_t v[8 * SC_LROOM_VEC];
} sc_lanes_room;
/** Lane `lane` (0..7) of x = the nd52 digits d; and back. */
void sc_lanes8_put(const sc_mont *m, sc_lanes8 *x, int lane, const uint64_t *d);
void sc_lanes8_get(const sc_mont *m, uint64_t *d, const sc_lanes8 *x, int lane);
/** In every lane l: r_l = a_l^2 / R' mod p (sc_ifma_sqr's digits), and r_l =
 *  a_l b_l / R' mod p (sc_ifma_mul's), for values < 2p; r may alias a or b.
 *  Constant time: loops, addresses and masks depend on p's size only. Only
 *  when m->ifma. */
void sc_ifma_sqr8(const sc_mont *m, sc_lanes8 *r, const sc_lanes8 *a,
                  sc_lanes_room *room);
void sc_ifma_mul8(const sc_mont *m, sc_lanes8 *r, const sc_lanes8 *a,
                  const sc_lanes8 *b, sc_lanes_room *room);
/** The fewest independent values for which one 8-lane call costs less than
 *  one-value calls (a call pads the lanes it does not use): 7 for the
 *  4096-bit p, 6 for the 3072-bit one (measured, ifma_lanes.c). */
int sc_lanes8_min(const sc_mont *m);
/** The reduction alone (the kernels' own, for tests): r = T / R' mod p per
 *  lane, T = sum of column k times 2^(52 k) with the room's first 2 ns52
 *  vectors as signed columns (|column| < 2^60) and T < 2p R'; the room's
 *  vectors 2 ns52 .. 2 ns52 + 7 must be 0. */
void sc_ifma_redc8(const sc_mont *m, sc_lanes8 *r, sc_lanes_room *room);
/** 1 if the CPU has AVX-512 F, IFMA and VL and the OS saves zmm state. */
int sc_ifma_cpu(void);
/** Tests: 0 makes later sc_mont_init calls leave the IFMA kernel off (the
 *  fallback), 1 restores CPU detection. Not thread-safe; default 1. The
 *  environment variable SC_ARITH_NO_IFMA, when set, also keeps it off
 *  (whole programs on the fallback: the *_fallback tests, the bench). */
void sc_mont_ifma_allow(int allow);
/** 1 unless sc_mont_ifma_allow(0) or SC_ARITH_NO_IFMA keeps the kernel off
 *  for the groups made now (the CPU and p decide the rest): the group
 *  cache keys on it (group.c). */
int sc_mont_ifma_enabled(void);

/** Montgomery form of x (any mpz; reduced mod p first if out of range). */
void sc_mont_from_mpz(const sc_mont *m, mp_limb_t *r, const mpz_t x);
/** Plain value of Montgomery-form a into an mpz in [0, p). _ct: for a
 *  secret-derived a (the conversion product is constant time; only
 *  mpz's normalisation of leading zero limbs, probability 2^-64, shows). */
void sc_mont_to_mpz(const sc_mont *m, mpz_t out, const mp_limb_t *a);
void sc_mont_to_mpz_ct(const sc_mont *m, mpz_t out, const mp_limb_t *a);
/** Constant-time: mask all-ones if x == y else 0. */
static inline mp_limb_t sc_ct_eq_mask(mp_limb_t x, mp_limb_t y)
{
    mp_limb_t z = x ^ y;
    return ((z | (0 - z)) >> (GMP_NUMB_BITS - 1)) - 1;
}

/* Sliding-window exponentiation with public exponent limbs e[0..en) (least
 * significant first) of a Montgomery-form base; r may alias b. */
void sc_mont_pow(const sc_mont *m, mp_limb_t *r, const mp_limb_t *b,
                 const mp_limb_t *e, mp_size_t en);

/** Window size for a sliding-window exponent of `bits` bits (1..6). */
int sc_mont_window_for_bits(size_t bits);
/** tab[i] = b^(2i+1) for 0 <= i < 2^(w-1); entries n limbs apart. */
void sc_mont_odd_powers(const sc_mont *m, mp_limb_t *tab, const mp_limb_t *b,
                        int w);
/** Sliding window with a precomputed odd-power table of window w. */
void sc_mont_pow_tab(const sc_mont *m, mp_limb_t *r, const mp_limb_t *tab,
                     int w, const mp_limb_t *e, mp_size_t en);

/* Public-data engine in either form (docs/ARITH.md §2.1): k52 = 0, the
 * limb R form (n limbs per element, sc_mont_mul); k52 = 1 (only when
 * m->ifma), the kernel's R' form (nd52 radix-2^52 digits per element,
 * values < 2p, one sc_ifma_mul per product, ~4x faster). */
/** Elements of form k52 are this many words apart. */
static inline size_t sc_mont_esz(const sc_mont *m, int k52)
{
    return k52 ? (size_t)m->nd52 : (size_t)m->n;
}
/** d = a R' / R: limb R form (value < p) into the R' form (m->ifma). */
void sc_ifma_in(const sc_mont *m, uint64_t *d, const mp_limb_t *a);
/** r = d R / R' in [0, p): R' form back to the limb R form (m->ifma). */
void sc_ifma_out(const sc_mont *m, mp_limb_t *r, const uint64_t *d);
/** d = x R' mod p for any mpz x (reduced first if outside [0, p)), and
 *  out = the plain value of an R'-form d: one kernel product each
 *  (m->ifma; the limb route costs a limb product on top). */
void sc_ifma_in_mpz(const sc_mont *m, uint64_t *d, const mpz_t x);
void sc_ifma_out_mpz(const sc_mont *m, mpz_t out, const uint64_t *d);
/** out = d's own value reduced to [0, p), for digits d < 2p that are not
 *  in a Montgomery form (a product's plain result, R' mod p, ...). */
void sc_ifma_plain_mpz(const sc_mont *m, mpz_t out, const uint64_t *d);
/** r = a b, r = a^2, in form k52 (r may alias). */
void sc_mont_emul(const sc_mont *m, int k52, mp_limb_t *r, const mp_limb_t *a,
                  const mp_limb_t *b);
void sc_mont_esqr(const sc_mont *m, int k52, mp_limb_t *r, const mp_limb_t *a);
/** 1 in form k52. */
const mp_limb_t *sc_mont_eone(const sc_mont *m, int k52);
/** sc_mont_odd_powers / sc_mont_pow_tab in form k52 (entries
 *  sc_mont_esz apart; b, tab and r all in that form). */
void sc_mont_odd_powers_k(const sc_mont *m, int k52, mp_limb_t *tab,
                          const mp_limb_t *b, int w);
void sc_mont_pow_tab_k(const sc_mont *m, int k52, mp_limb_t *r,
                       const mp_limb_t *tab, int w, const mp_limb_t *e,
                       mp_size_t en);

#endif
