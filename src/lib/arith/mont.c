/* Montgomery multiplication on GMP limb arrays. See mont.h and
 * docs/ARITH.md for the measurements behind the choices. */
#include "arith/mont.h"

#include "core/ct_mark.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#define SC_HAVE_ADX_KERNEL 1
#endif

#include "scrutin/core.h"

#ifdef SC_HAVE_ADX_KERNEL
/* One limb step of addmul4 (below): window (A, B, C, D) holds the row sums
 * of limbs J..J+3 so far. Two independent carry chains (mulx leaves the
 * flags alone; adcx uses only CF, adox only OF): CF carries the low
 * halves x v_k, OF the high halves and rp[J]. Limb J is final after this
 * step and stored; the high half of x v3 plus both carries becomes limb
 * J+4 (it cannot overflow: window + rp[J] + x V < 2^320). */
#define SC_ADDMUL4_STEP(A, B, C, D, J)                                         \
    __asm__("xorl %k[z], %k[z]\n\t"                                            \
            "mulxq %[v0], %[l], %[h]\n\t"                                      \
            "adcxq %[l], %[c0]\n\t"                                            \
            "adoxq %[r], %[c0]\n\t"                                            \
            "movq %[c0], %[r]\n\t"                                             \
            "adoxq %[h], %[c1]\n\t"                                            \
            "mulxq %[v1], %[l], %[h]\n\t"                                      \
            "adcxq %[l], %[c1]\n\t"                                            \
            "adoxq %[h], %[c2]\n\t"                                            \
            "mulxq %[v2], %[l], %[h]\n\t"                                      \
            "adcxq %[l], %[c2]\n\t"                                            \
            "adoxq %[h], %[c3]\n\t"                                            \
            "mulxq %[v3], %[l], %[h]\n\t"                                      \
            "adcxq %[l], %[c3]\n\t"                                            \
            "adcxq %[z], %[h]\n\t"                                             \
            "adoxq %[z], %[h]\n\t"                                             \
            : [c0] "+&r"(A), [c1] "+&r"(B), [c2] "+&r"(C), [c3] "+&r"(D),      \
              [l] "=&r"(l), [h] "=&r"(h), [z] "=&r"(z), [r] "+m"(rp[J])        \
            : "d"(up[J]), [v0] "m"(vp[0]), [v1] "m"(vp[1]), [v2] "m"(vp[2]),   \
              [v3] "m"(vp[3])                                                  \
            : "cc");                                                           \
    A = h;

/* rp[0..un+4) += up[0..un) * vp[0..4); returns the carry out of limb
 * un+3. un % 4 == 0. No branch or address depends on the values. This is
 * the inner loop of both the reduction (vp = the Montgomery digit) and the
 * constant-time schoolbook product; it does about 1.4 times the work of
 * GMP's mpn_mul(un, 4) + mpn_add_n per unit time (docs/ARITH.md). */
static mp_limb_t addmul4(mp_limb_t *rp, const mp_limb_t *up, mp_size_t un,
                         const mp_limb_t *vp)
{
    mp_limb_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, l, h, z;
    for (mp_size_t j = 0; j < un; j += 4) {
        SC_ADDMUL4_STEP(c0, c1, c2, c3, j)
        SC_ADDMUL4_STEP(c1, c2, c3, c0, j + 1)
        SC_ADDMUL4_STEP(c2, c3, c0, c1, j + 2)
        SC_ADDMUL4_STEP(c3, c0, c1, c2, j + 3)
    }
    mp_limb_t c[4] = {c0, c1, c2, c3};
    return mpn_add_n(rp + un, rp + un, c, 4);
}

static int cpu_has_adx(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        return 0;
    }
    return (b & (1u << 8)) != 0 && (b & (1u << 19)) != 0; /* BMI2, ADX */
}
#endif

static int ifma_allowed = 1;

static atomic_int counting;
static atomic_uint_least64_t counts[SC_CNT_N];

void sc_arith_count_on(int on)
{
    if (on) {
        for (int i = 0; i < SC_CNT_N; i++) {
            atomic_store_explicit(&counts[i], 0, memory_order_relaxed);
        }
    }
    atomic_store(&counting, on != 0);
}

void sc_arith_count_get(uint64_t out[SC_CNT_N])
{
    for (int i = 0; i < SC_CNT_N; i++) {
        out[i] = atomic_load_explicit(&counts[i], memory_order_relaxed);
    }
}

void sc_arith_count(int what)
{
    if (atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&counts[what], 1, memory_order_relaxed);
    }
}

void sc_mont_ifma_allow(int allow)
{
    ifma_allowed = allow != 0;
}

/* SC_ARITH_NO_IFMA set (any value, even empty): the kernel stays off, as
 * on a CPU without IFMA. Lets the KAT and protocol tests, the CLI and the
 * bench run the scalar fallback on this CPU (docs/ARITH.md §10). Only
 * slower, never less safe: the fallback is the constant-time mulx/adx
 * code. */
static int ifma_env_off(void)
{
    return getenv("SC_ARITH_NO_IFMA") != NULL;
}

int sc_mont_ifma_enabled(void)
{
    return ifma_allowed && !ifma_env_off();
}

int sc_mont_init(sc_mont *m, const mpz_t p)
{
    memset(m, 0, sizeof *m);
    if (mpz_sgn(p) <= 0 || mpz_even_p(p) || mpz_cmp_ui(p, 3) < 0) {
        return -1;
    }
    mp_size_t n = (mp_size_t)mpz_size(p);
    if (n > SC_MONT_MAXN || mpn_sec_mul_itch(n, n) > SC_MONT_SEC_ITCH ||
        mpn_sec_sqr_itch(n) > SC_MONT_SEC_ITCH) {
        return -1;
    }
    m->n = n;
    memcpy(m->p, mpz_limbs_read(p), (size_t)n * sizeof(mp_limb_t));

    /* -p^-1 mod 2^64 by Newton iteration (each step doubles the correct
     * low bits; p^-1 = p mod 8 is right to 3 bits). */
    mp_limb_t inv = m->p[0];
    for (int i = 0; i < 5; i++) {
        inv *= 2 - m->p[0] * inv;
    }
    m->pinv = 0 - inv;

    /* Largest special digit: p = -1 mod 2^(64 d), d | n, d < n. */
    static const mp_size_t ds[] = {4, 2, 1};
    for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++) {
        mp_size_t d = ds[k];
        if (d >= n || n % d != 0) {
            continue;
        }
        int ok = 1;
        for (mp_size_t i = 0; i < d; i++) {
            ok &= m->p[i] == ~(mp_limb_t)0;
        }
        if (ok) {
            m->d = d;
            break;
        }
    }
    if (m->d > 0) {
        mpz_t t;
        mpz_init(t);
        mpz_add_ui(t, p, 1);
        mpz_tdiv_q_2exp(t, t, (mp_bitcnt_t)(64 * m->d));
        mp_size_t tn = (mp_size_t)mpz_size(t);
        /* p < 2^(64 n) so (p + 1) / 2^(64 d) has at most n - d limbs. */
        memcpy(m->pq, mpz_limbs_read(t), (size_t)tn * sizeof(mp_limb_t));
        mpz_clear(t);
    }

    mpz_t r;
    mpz_init_set_ui(r, 1);
    mpz_mul_2exp(r, r, (mp_bitcnt_t)(64 * n));
    mpz_mod(r, r, p);
    memcpy(m->one, mpz_limbs_read(r), mpz_size(r) * sizeof(mp_limb_t));
    mpz_mul(r, r, r);
    mpz_mod(r, r, p);
    memcpy(m->r2, mpz_limbs_read(r), mpz_size(r) * sizeof(mp_limb_t));
    mpz_clear(r);
    m->raw1[0] = 1;
#ifdef SC_HAVE_ADX_KERNEL
    m->adx = m->d == 4 && n % 4 == 0 && n >= 8 && cpu_has_adx();
#endif
    /* IFMA kernel: p = -1 mod 2^52 (the 52-bit Montgomery digit is the low
     * digit, ifma.c), nd52 digits stored (whole vectors) and ns52 steps,
     * the fewest with 4p < R' = 2^(52 ns52). */
    if (ifma_allowed && !ifma_env_off() && m->d == 4 && (n == 48 || n == 64) &&
        sc_ifma_cpu()) {
        m->nd52 = n == 64 ? 80 : 64;
        m->ns52 = (int)((64 * n + 2 + 51) / 52); /* 79, 60 */
        mpz_t c;
        mpz_init(c);
        mpz_add_ui(c, p, 1);
        memset(m->p1_52, 0, sizeof m->p1_52); /* and the digits after */
        sc_ifma_from_mpz(m, m->p1_52, c);     /* p + 1 < 2^(64 n) */
        {
            /* vector k of shift t (t = -2..7), lane l: digit 8k + l - t */
            uint64_t *ps = m->ps52;
            const int nw = m->nd52 + 8;
            for (int t = -2; t < SC_IFMA_NSH - 2; t++) {
                for (int x = 0; x < nw; x++) {
                    const int dg = x - t;
                    ps[(t + 2) * nw + x] =
                        dg >= 0 && dg < m->nd52 ? m->p1_52[dg] : 0;
                }
            }
        }
        {
            const int S = m->ns52, e = 64 * (int)n - 52 * (S - 1);
            m->lane_top = e == (n == 64 ? 40 : 4) &&
                          m->p1_52[S - 1] == ((uint64_t)1 << e) - 1;
            for (int k = S - 5; k < S - 1; k++) {
                m->lane_top &= m->p1_52[k] == ((uint64_t)1 << 52) - 1;
            }
        }
        mpz_set_ui(c, 0);
        /* R'^2 / R = 2^(2 * 52 ns52 - 64 n) mod p */
        mpz_setbit(c, (mp_bitcnt_t)(2 * 52 * m->ns52 - 64 * n));
        mpz_mod(c, c, p);
        sc_ifma_from_mpz(m, m->rr52, c);
        sc_ifma_from_limbs(m, m->r52, m->one); /* R mod p */
        mpz_set_ui(c, 0);
        mpz_setbit(c, (mp_bitcnt_t)(52 * m->ns52)); /* R' mod p */
        mpz_mod(c, c, p);
        sc_ifma_from_mpz(m, m->one52, c);
        mpz_mul(c, c, c); /* R'^2 mod p */
        mpz_mod(c, c, p);
        sc_ifma_from_mpz(m, m->rp2_52, c);
        mpz_clear(c);
        m->ifma = 1;
    }
    return 0;
}

/* Montgomery reduction of t (2n limbs, destroyed): r = t / R mod p in
 * [0, p), for t < p R. Branch-free in the values.
 *
 * Digit-serial REDC with the carries of each step parked in the limb the
 * step has just cleared (it is zero from then on) and added once at the
 * end: no carry propagation loop whose length depends on the data. */
static void redc(const sc_mont *m, mp_limb_t *r, mp_limb_t *t)
{
    const mp_size_t n = m->n;
    mp_limb_t hi;
    if (m->d > 0) {
        const mp_size_t d = m->d;
        mp_limb_t pr[SC_MONT_MAXN];
        for (mp_size_t i = 0; i < n; i += d) {
            mp_limb_t *w = t + i;
            /* m_i = w[0..d) since -p^-1 = 1 mod 2^(64 d); adding m_i p
             * clears w[0..d) and adds m_i pq at w + d. */
            mp_limb_t cy;
#ifdef SC_HAVE_ADX_KERNEL
            if (m->adx) {
                cy = addmul4(w + d, m->pq, n - d, w);
            } else
#endif
            {
                mpn_mul(pr, m->pq, n - d, w, d);
                cy = mpn_add_n(w + d, w + d, pr, n);
            }
            w[0] = cy; /* belongs at limb i + d + n */
            for (mp_size_t j = 1; j < d; j++) {
                w[j] = 0;
            }
        }
        /* The carry parked at limb i belongs at n + d + i; the last one
         * (i = n - d) at 2n, i.e. the bit above the result. */
        hi = t[n - d];
        hi += mpn_add_n(t + n + d, t + n + d, t, n - d);
    } else {
        for (mp_size_t i = 0; i < n; i++) {
            mp_limb_t q = t[i] * m->pinv;
            t[i] = mpn_addmul_1(t + i, m->p, n, q); /* belongs at i + n */
        }
        hi = mpn_add_n(t + n, t + n, t, n);
    }
    /* Value = hi 2^(64n) + H, H = t[n..2n), < 2p: subtract p when hi is
     * set or the value is >= p, selecting by mask (no branch). r = H - p
     * first, then H is put back where no subtraction is due (no scratch
     * copy of a secret-derived value is left behind). */
    mp_limb_t borrow = mpn_sub_n(r, t + n, m->p, n);
    mp_limb_t use_s = 0 - (hi | (borrow ^ 1)); /* all-ones: keep H - p */
    for (mp_size_t i = 0; i < n; i++) {
        r[i] = (r[i] & use_s) | (t[n + i] & ~use_s);
    }
}

void sc_mont_mul(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a,
                 const mp_limb_t *b)
{
    sc_arith_count(SC_CNT_MUL);
    mp_limb_t t[2 * SC_MONT_MAXN];
    if (a == b) {
        mpn_sqr(t, a, m->n);
    } else {
        mpn_mul_n(t, a, b, m->n);
    }
    redc(m, r, t);
}

void sc_mont_sqr(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a)
{
    sc_arith_count(SC_CNT_SQR);
    mp_limb_t t[2 * SC_MONT_MAXN];
    mpn_sqr(t, a, m->n);
    redc(m, r, t);
}

/* The secret-operand versions use GMP's side-channel-silent products
 * (mpn_sec_mul / mpn_sec_sqr: schoolbook, same time and memory trace for
 * all same-size inputs). mpn_mul_n's Toom code branches on the signs of
 * operand half differences, which would leak bits of table entries chosen
 * by a secret exponent. */
#ifdef SC_HAVE_ADX_KERNEL
/* t[0..2len) = a b, schoolbook by rows of 4 limbs of b; the carry of the
 * row at limb i lands on limb i + len + 4, not written until the next row
 * adds into it. len % 4 == 0. Constant time. */
static void mul_school_ct(mp_limb_t *t, const mp_limb_t *a, const mp_limb_t *b,
                          mp_size_t len)
{
    memset(t, 0, (size_t)(2 * len) * sizeof(mp_limb_t));
    for (mp_size_t i = 0; i < len; i += 4) {
        mp_limb_t cy = addmul4(t + i, a, len, b + i);
        if (i + len + 4 < 2 * len) {
            t[i + len + 4] = cy;
        }
    }
}

/* out = |x - y| (h limbs), returns 1 if x < y; both differences are
 * computed and one kept by mask. */
static mp_limb_t absdiff_ct(mp_limb_t *out, const mp_limb_t *x,
                            const mp_limb_t *y, mp_size_t h)
{
    mp_limb_t alt[SC_MONT_MAXN / 2];
    mp_limb_t neg = mpn_sub_n(out, x, y, h);
    mpn_sub_n(alt, y, x, h);
    mp_limb_t mask = 0 - neg;
    for (mp_size_t i = 0; i < h; i++) {
        out[i] = (alt[i] & mask) | (out[i] & ~mask);
    }
    return neg;
}

/* t[0..2n) = a b by one level of Karatsuba over the schoolbook kernel
 * (3 half products instead of 4: about 25 % fewer limb products), with
 * every sign handled by masks: a b = z2 B^2h + (z0 + z2 - s |a0-a1|
 * |b0-b1|) B^h + z0, s the sign of (a0-a1)(b0-b1). n % 8 == 0. */
static void mul_karatsuba_ct(mp_limb_t *t, const mp_limb_t *a,
                             const mp_limb_t *b, mp_size_t n)
{
    const mp_size_t h = n / 2;
    mp_limb_t da[SC_MONT_MAXN / 2], db[SC_MONT_MAXN / 2];
    mp_limb_t zm[SC_MONT_MAXN], u[SC_MONT_MAXN], v[SC_MONT_MAXN];
    mp_limb_t mid[3 * SC_MONT_MAXN / 2];
    mul_school_ct(t, a, b, h);             /* z0 = a0 b0 */
    mul_school_ct(t + n, a + h, b + h, h); /* z2 = a1 b1 */
    mp_limb_t sa = absdiff_ct(da, a, a + h, h);
    mp_limb_t sb = absdiff_ct(db, b, b + h, h);
    mul_school_ct(zm, da, db, h);
    /* middle = z0 + z2 -/+ zm, < 2^(64 n + 1): n limbs and a top limb */
    mp_limb_t c = mpn_add_n(u, t, t + n, n);
    mp_limb_t cu = c + mpn_add_n(mid, u, zm, n); /* z0 + z2 + zm */
    mp_limb_t cv = c - mpn_sub_n(v, u, zm, n);   /* z0 + z2 - zm */
    /* (a0-a1)(b0-b1) = +zm when sa == sb: subtract it; else add it. */
    mp_limb_t mask = 0 - (sa ^ sb); /* all-ones: add */
    for (mp_size_t i = 0; i < n; i++) {
        mid[i] = (mid[i] & mask) | (v[i] & ~mask);
    }
    mid[n] = (cu & mask) | (cv & ~mask);
    memset(mid + n + 1, 0, (size_t)(h - 1) * sizeof(mp_limb_t));
    mpn_add_n(t + h, t + h, mid, n + h); /* no carry out: a b < B^2n */
    sc_wipe(da, sizeof da);
    sc_wipe(db, sizeof db);
    sc_wipe(zm, sizeof zm);
    sc_wipe(u, sizeof u);
    sc_wipe(v, sizeof v);
    sc_wipe(mid, sizeof mid);
}
#endif

/* Constant-time product on the IFMA kernel: a b / R' then by R'^2/R
 * gives a b / R (both products keep values < 2p; inputs < p). */
static void mul_ct_ifma(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a,
                        const mp_limb_t *b)
{
    uint64_t a52[SC_IFMA_MAXD], b52[SC_IFMA_MAXD];
    sc_ifma_from_limbs(m, a52, a);
    if (a == b) {
        memcpy(b52, a52, sizeof b52);
    } else {
        sc_ifma_from_limbs(m, b52, b);
    }
    sc_ifma_mul(m, a52, a52, b52);
    sc_ifma_mul(m, a52, a52, m->rr52);
    sc_ifma_to_limbs(m, r, a52);
    sc_wipe(a52, sizeof a52);
    sc_wipe(b52, sizeof b52);
    sc_ifma_burn();
}

void sc_mont_mul_ct(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a,
                    const mp_limb_t *b)
{
    if (m->ifma) {
        mul_ct_ifma(m, r, a, b);
        return;
    }
    sc_arith_count(SC_CNT_MUL);
    mp_limb_t t[2 * SC_MONT_MAXN];
#ifdef SC_HAVE_ADX_KERNEL
    if (m->adx) {
        if (m->n % 8 == 0) {
            mul_karatsuba_ct(t, a, b, m->n);
        } else {
            mul_school_ct(t, a, b, m->n);
        }
        redc(m, r, t);
        sc_wipe(t, sizeof t);
        return;
    }
#endif
    mp_limb_t scratch[SC_MONT_SEC_ITCH];
    mpn_sec_mul(t, a, m->n, b, m->n, scratch);
    redc(m, r, t);
    sc_wipe(t, sizeof t);
}

void sc_mont_sqr_ct(const sc_mont *m, mp_limb_t *r, const mp_limb_t *a)
{
    if (m->ifma) {
        mul_ct_ifma(m, r, a, a);
        return;
    }
    sc_arith_count(SC_CNT_SQR);
    mp_limb_t t[2 * SC_MONT_MAXN];
    mp_limb_t scratch[SC_MONT_SEC_ITCH];
    mpn_sec_sqr(t, a, m->n, scratch);
    redc(m, r, t);
    sc_wipe(t, sizeof t);
}

void sc_mont_from_mpz(const sc_mont *m, mp_limb_t *r, const mpz_t x)
{
    mp_limb_t a[SC_MONT_MAXN];
    memset(a, 0, sizeof a);
    if (mpz_sgn(x) < 0 || mpz_size(x) > (size_t)m->n ||
        mpn_cmp(mpz_size(x) == (size_t)m->n ? mpz_limbs_read(x) : a, m->p,
                m->n) >= 0) {
        /* Out of [0, p): reduce first (rare; callers pass reduced
         * values). */
        mpz_t t, pz;
        mpz_init(t);
        mpz_roinit_n(pz, m->p, m->n);
        mpz_mod(t, x, pz);
        memcpy(a, mpz_limbs_read(t), mpz_size(t) * sizeof(mp_limb_t));
        mpz_clear(t);
    } else {
        memcpy(a, mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
    }
    sc_mont_mul(m, r, a, m->r2);
    sc_wipe(a, sizeof a);
}

static void to_mpz(const sc_mont *m, mpz_t out, const mp_limb_t *a, int ct)
{
    mp_limb_t *o = mpz_limbs_write(out, m->n);
    if (ct) {
        sc_mont_mul_ct(m, o, a, m->raw1);
    } else {
        sc_mont_mul(m, o, a, m->raw1);
    }
    if (ct) {
        sc_ct_limbs_finish(out, m->n); /* docs/ARITH.md §7 */
        return;
    }
    mp_size_t k = m->n;
    while (k > 0 && o[k - 1] == 0) {
        k--;
    }
    mpz_limbs_finish(out, k);
}

void sc_mont_to_mpz(const sc_mont *m, mpz_t out, const mp_limb_t *a)
{
    to_mpz(m, out, a, 0);
}

void sc_mont_to_mpz_ct(const sc_mont *m, mpz_t out, const mp_limb_t *a)
{
    to_mpz(m, out, a, 1);
}

static int exp_bit(const mp_limb_t *e, size_t i)
{
    return (int)((e[i / GMP_NUMB_BITS] >> (i % GMP_NUMB_BITS)) & 1);
}

/* Window size for a sliding-window exponent of `bits` bits: minimises
 * 2^(w-1) table products + bits/(w+1) window products. */
int sc_mont_window_for_bits(size_t bits)
{
    if (bits > 671) {
        return 6;
    }
    if (bits > 239) {
        return 5;
    }
    if (bits > 79) {
        return 4;
    }
    if (bits > 23) {
        return 3;
    }
    return bits > 6 ? 2 : 1;
}

void sc_ifma_in(const sc_mont *m, uint64_t *d, const mp_limb_t *a)
{
    sc_ifma_from_limbs(m, d, a);
    sc_ifma_mul(m, d, d, m->rr52); /* x R (R'^2 / R) / R' = x R' */
}

void sc_ifma_out(const sc_mont *m, mp_limb_t *r, const uint64_t *d)
{
    uint64_t t[SC_IFMA_MAXD];
    sc_ifma_mul(m, t, d, m->r52); /* x R' R / R' = x R, < 2p */
    sc_ifma_to_limbs(m, r, t);    /* fully reduced */
}

void sc_ifma_in_mpz(const sc_mont *m, uint64_t *d, const mpz_t x)
{
    mpz_t pz;
    mpz_roinit_n(pz, m->p, m->n);
    if (mpz_sgn(x) < 0 || mpz_cmp(x, pz) >= 0) {
        mpz_t t;
        mpz_init(t);
        mpz_mod(t, x, pz);
        sc_ifma_from_mpz(m, d, t);
        mpz_clear(t);
    } else {
        sc_ifma_from_mpz(m, d, x);
    }
    sc_ifma_mul(m, d, d, m->rp2_52); /* x R'^2 / R' = x R' */
}

void sc_ifma_out_mpz(const sc_mont *m, mpz_t out, const uint64_t *d)
{
    uint64_t t[SC_IFMA_MAXD], one[SC_IFMA_MAXD] = {1};
    sc_ifma_mul(m, t, d, one); /* x R' / R' = x, < 2p */
    sc_ifma_plain_mpz(m, out, t);
}

void sc_ifma_plain_mpz(const sc_mont *m, mpz_t out, const uint64_t *d)
{
    mp_limb_t *o = mpz_limbs_write(out, m->n);
    sc_ifma_to_limbs(m, o, d); /* fully reduced */
    mp_size_t k = m->n;
    while (k > 0 && o[k - 1] == 0) {
        k--;
    }
    mpz_limbs_finish(out, k);
}

void sc_mont_emul(const sc_mont *m, int k52, mp_limb_t *r, const mp_limb_t *a,
                  const mp_limb_t *b)
{
#ifdef SC_HAVE_IFMA
    if (k52) {
        sc_ifma_mul(m, r, a, b);
        return;
    }
#endif
    (void)k52;
    sc_mont_mul(m, r, a, b);
}

void sc_mont_esqr(const sc_mont *m, int k52, mp_limb_t *r, const mp_limb_t *a)
{
#ifdef SC_HAVE_IFMA
    if (k52) {
        sc_ifma_sqr_pub(m, r, a); /* public data: the squaring kernel */
        return;
    }
#endif
    (void)k52;
    sc_mont_sqr(m, r, a);
}

const mp_limb_t *sc_mont_eone(const sc_mont *m, int k52)
{
    return k52 ? (const mp_limb_t *)m->one52 : m->one;
}

void sc_mont_odd_powers_k(const sc_mont *m, int k52, mp_limb_t *tab,
                          const mp_limb_t *b, int w)
{
    const size_t n = sc_mont_esz(m, k52);
    mp_limb_t b2[SC_IFMA_MAXD];
    memmove(tab, b, n * sizeof(mp_limb_t));
    if (w > 1) {
        sc_mont_esqr(m, k52, b2, tab);
        for (size_t i = 1; i < ((size_t)1 << (w - 1)); i++) {
            sc_mont_emul(m, k52, tab + i * n, tab + (i - 1) * n, b2);
        }
    }
}

void sc_mont_odd_powers(const sc_mont *m, mp_limb_t *tab, const mp_limb_t *b,
                        int w)
{
    sc_mont_odd_powers_k(m, 0, tab, b, w);
}

void sc_mont_pow_tab_k(const sc_mont *m, int k52, mp_limb_t *r,
                       const mp_limb_t *tab, int w, const mp_limb_t *e,
                       mp_size_t en)
{
    const size_t n = sc_mont_esz(m, k52);
    while (en > 0 && e[en - 1] == 0) {
        en--;
    }
    if (en == 0) {
        memcpy(r, sc_mont_eone(m, k52), n * sizeof(mp_limb_t));
        return;
    }
    size_t bits = (size_t)en * GMP_NUMB_BITS;
    while (!exp_bit(e, bits - 1)) {
        bits--;
    }
    mp_limb_t acc[SC_IFMA_MAXD];
    int started = 0;
    long i = (long)bits - 1;
    while (i >= 0) {
        if (!exp_bit(e, (size_t)i)) {
            sc_mont_esqr(m, k52, acc, acc); /* started: the top bit is 1 */
            i--;
            continue;
        }
        /* Longest window e[i..j] of at most w bits ending in a 1. */
        long j = i - w + 1 < 0 ? 0 : i - w + 1;
        while (!exp_bit(e, (size_t)j)) {
            j++;
        }
        unsigned v = 0;
        for (long k = i; k >= j; k--) {
            v = (v << 1) | (unsigned)exp_bit(e, (size_t)k);
        }
        if (started) {
            for (long k = i; k >= j; k--) {
                sc_mont_esqr(m, k52, acc, acc);
            }
            sc_mont_emul(m, k52, acc, acc, tab + (v >> 1) * n);
        } else {
            memcpy(acc, tab + (v >> 1) * n, n * sizeof(mp_limb_t));
            started = 1;
        }
        i = j - 1;
    }
    memcpy(r, acc, n * sizeof(mp_limb_t));
}

void sc_mont_pow_tab(const sc_mont *m, mp_limb_t *r, const mp_limb_t *tab,
                     int w, const mp_limb_t *e, mp_size_t en)
{
    sc_mont_pow_tab_k(m, 0, r, tab, w, e, en);
}

void sc_mont_pow(const sc_mont *m, mp_limb_t *r, const mp_limb_t *b,
                 const mp_limb_t *e, mp_size_t en)
{
    while (en > 0 && e[en - 1] == 0) {
        en--;
    }
    int w = sc_mont_window_for_bits((size_t)en * GMP_NUMB_BITS);
    mp_limb_t tab[32 * SC_IFMA_MAXD];
    if (m->ifma) {
        /* The whole chain in the kernel's R' form (one conversion each
         * way): ~0.6 us per product instead of ~2.7 (docs/ARITH.md). */
        mp_limb_t b52[SC_IFMA_MAXD];
        sc_ifma_in(m, b52, b);
        sc_mont_odd_powers_k(m, 1, tab, b52, w);
        sc_mont_pow_tab_k(m, 1, b52, tab, w, e, en);
        sc_ifma_out(m, r, b52);
        return;
    }
    sc_mont_odd_powers(m, tab, b, w);
    sc_mont_pow_tab(m, r, tab, w, e, en);
}
