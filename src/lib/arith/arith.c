/* Scrutin: the exponentiation engine (spec note 3.5: fixed-base tables for
 * g, K and K-hat; multi-exponentiation for proof checks; batched subgroup
 * membership). Montgomery arithmetic lives in mont.c; design and
 * measurements in docs/ARITH.md. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"
#include "arith/fbscan.h"
#include "core/ct_mark.h"
#include "scrutin/core.h"
#include "scrutin/rng.h"

/* Default fixed-base window, chosen by measurement (docs/ARITH.md). */
#define SC_FB_DEFAULT_W 7
/* Straus multi-exponentiation works on chunks of this many bases so its
 * tables stay in cache and bounded (chunk products are multiplied). */
#define SC_MULTI_CHUNK 64

#define LIMB_BYTES sizeof(mp_limb_t)

sc_status sc_arith_new(struct sc_arith **out, const sc_group *grp)
{
    /* aligned: sc_mont's kernel table is (mont.h) */
    struct sc_arith *ar = aligned_alloc(_Alignof(struct sc_arith), sizeof *ar);
    *out = NULL;
    if (ar == NULL) {
        return SC_E_NOMEM;
    }
    memset(ar, 0, sizeof *ar);
    if (sc_mont_init(&ar->mont, grp->p) != 0) {
        free(ar);
        return SC_E_INVALID;
    }
    ar->qn = (mp_size_t)mpz_size(grp->q);
    /* The batched test needs p - 1 = 2 q l with l = r/2 prime, l != q and
     * l > 2^lambda (docs/ARITH.md). Proving l prime costs seconds at 4096
     * bits, so it is taken from the parameter sets where the spec states
     * it (§3.1.1; the appendix reduced set is built the same way; both are
     * checked in tests/unit/test_arith.c). The toy sets fall back to one
     * exponentiation per element. */
    ar->batch_ok = (grp->id == SC_GROUP_STANDARD || grp->id == SC_GROUP_3072) &&
                   mpz_even_p(grp->r) &&
                   mpz_sizeinbase(grp->r, 2) > SC_BATCH_LAMBDA + 2 &&
                   mpz_sizeinbase(grp->q, 2) > SC_BATCH_LAMBDA;
    *out = ar;
    return SC_OK;
}

void sc_arith_free(struct sc_arith *ar)
{
    if (ar != NULL) {
        sc_wipe(ar, sizeof *ar);
        free(ar);
    }
}

/* ------------------------------------------------------------------ */
/* basic operations                                                    */

void sc_mulmod(const sc_group *grp, mpz_t out, const mpz_t a, const mpz_t b)
{
    const sc_mont *m = sc_grp_mont(grp);
    if (m->ifma && mpz_sgn(a) >= 0 && mpz_sgn(b) >= 0 &&
        mpz_cmp(a, grp->p) < 0 && mpz_cmp(b, grp->p) < 0) {
        /* Two kernel products, a b / R' then by R'^2 mod p: 2.0-2.3 us
         * against 5.4-5.9 for mpz_mul + mpz_mod (load 20; the verifier
         * does one per proof commitment and per aggregated field,
         * docs/ARITH.md §11). */
        uint64_t a52[SC_IFMA_MAXD], b52[SC_IFMA_MAXD];
        sc_ifma_from_mpz(m, a52, a);
        sc_ifma_from_mpz(m, b52, b);
        sc_ifma_mul(m, a52, a52, b52);
        sc_ifma_mul(m, a52, a52, m->rp2_52);
        sc_ifma_plain_mpz(m, out, a52);
        return;
    }
    /* A lone product without the kernel: converting in and out of
     * Montgomery form would cost two more products, so plain mpz is the
     * fastest here. */
    mpz_mul(out, a, b);
    mpz_mod(out, out, grp->p);
}

sc_status sc_invmod(const sc_group *grp, mpz_t out, const mpz_t a)
{
    return mpz_invert(out, a, grp->p) ? SC_OK : SC_E_INVALID;
}

/* ------------------------------------------------------------------ */
/* one-off exponentiation                                              */

/* b^|e| in Montgomery form; public exponent. */
static void pow_mont(const sc_group *grp, mp_limb_t *r, const mpz_t b,
                     const mpz_t e)
{
    const sc_mont *m = sc_grp_mont(grp);
    mp_limb_t bm[SC_MONT_MAXN];
    sc_mont_from_mpz(m, bm, b);
    sc_mont_pow(m, r, bm, mpz_limbs_read(e), (mp_size_t)mpz_size(e));
}

/* b^e for e >= 0 wholly in the R' form (m->ifma): mpz in and out by one
 * kernel product each. */
static void pow_k52(const sc_mont *m, mpz_t out, const mpz_t b, const mpz_t e)
{
    mp_limb_t b52[SC_IFMA_MAXD], tab[32 * SC_IFMA_MAXD];
    const mp_limb_t *el = mpz_limbs_read(e);
    mp_size_t en = (mp_size_t)mpz_size(e);
    int w = sc_mont_window_for_bits((size_t)en * GMP_NUMB_BITS);
    sc_ifma_in_mpz(m, b52, b);
    sc_mont_odd_powers_k(m, 1, tab, b52, w);
    sc_mont_pow_tab_k(m, 1, b52, tab, w, el, en);
    sc_ifma_out_mpz(m, out, b52);
}

void sc_pow(const sc_group *grp, mpz_t out, const mpz_t b, const mpz_t e)
{
    mp_limb_t r[SC_MONT_MAXN];
    if (sc_grp_mont(grp)->ifma && mpz_sgn(e) >= 0) {
        pow_k52(sc_grp_mont(grp), out, b, e);
        return;
    }
    if (mpz_sgn(e) < 0) {
        /* b^e = (b^-1)^|e| (as mpz_powm); no inverse: leave 0. */
        mpz_t bi;
        mpz_init(bi);
        if (!mpz_invert(bi, b, grp->p)) {
            mpz_set_ui(out, 0);
            mpz_clear(bi);
            return;
        }
        pow_mont(grp, r, bi, e);
        mpz_clear(bi);
    } else {
        pow_mont(grp, r, b, e);
    }
    sc_mont_to_mpz(sc_grp_mont(grp), out, r);
}

/* w-bit digit i of a little-endian limb array of `en` limbs (the memory
 * touched depends only on i, never on the exponent's value). */
static size_t digit_at(const mp_limb_t *e, mp_size_t en, unsigned i, unsigned w)
{
    size_t bit = (size_t)i * w;
    size_t li = bit / GMP_NUMB_BITS, sh = bit % GMP_NUMB_BITS;
    mp_limb_t v = e[li] >> sh;
    if (sh + w > GMP_NUMB_BITS && (mp_size_t)(li + 1) < en) {
        v |= e[li + 1] << (GMP_NUMB_BITS - sh);
    }
    return (size_t)(v & (((mp_limb_t)1 << w) - 1));
}

/* Constant-time select of entry d from a table of `cnt` entries (every
 * entry is read; the one kept is chosen by mask, not by address).
 *
 * Blocked by 8 limbs with the entries innermost, so the accumulator stays
 * in (vector) registers and the loop is loads only; this doubled the scan
 * rate against the plain read-modify-write loop (docs/ARITH.md). The AVX2
 * clone is picked at load time where the CPU has it. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void
select_ct(mp_limb_t *out, const mp_limb_t *tab, size_t cnt, mp_size_t n,
          size_t d)
{
    mp_size_t l = 0;
    for (; l + 8 <= n; l += 8) {
        mp_limb_t acc[8] = {0};
        const mp_limb_t *e = tab + l;
        for (size_t j = 0; j < cnt; j++, e += n) {
            mp_limb_t mask = sc_ct_eq_mask((mp_limb_t)j, (mp_limb_t)d);
            for (int k = 0; k < 8; k++) {
                acc[k] |= e[k] & mask;
            }
        }
        memcpy(out + l, acc, sizeof acc);
    }
    for (; l < n; l++) {
        mp_limb_t acc = 0;
        for (size_t j = 0; j < cnt; j++) {
            acc |= tab[j * (size_t)n + (size_t)l] &
                   sc_ct_eq_mask((mp_limb_t)j, (mp_limb_t)d);
        }
        out[l] = acc;
    }
}

/* The same over a table stored in blocks: block b (limbs 8b..8b+7) of all
 * entries is contiguous, [block][entry][8 limbs], so each pass of the
 * scan is one sequential stream instead of `cnt` loads 8n bytes apart
 * (25-30 % faster on tables that do not fit in L2, docs/ARITH.md). n is
 * a multiple of 8. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default"), aligned(64)))
#endif
static void
select_blocked_ct(mp_limb_t *out, const mp_limb_t *tab, size_t cnt, mp_size_t n,
                  size_t d)
{
    const mp_limb_t *e = tab;
    for (mp_size_t l = 0; l < n; l += 8) {
        mp_limb_t acc[8] = {0};
        for (size_t j = 0; j < cnt; j++, e += 8) {
            mp_limb_t mask = sc_ct_eq_mask((mp_limb_t)j, (mp_limb_t)d);
            for (int k = 0; k < 8; k++) {
                acc[k] |= e[k] & mask;
            }
        }
        memcpy(out + l, acc, sizeof acc);
    }
}

#ifdef SC_HAVE_IFMA
/* The digit arrays of the IFMA kernel go through select_ct: same type. */
_Static_assert(_Generic((mp_limb_t *)0, uint64_t * : 1, default : 0),
               "mp_limb_t is uint64_t where the IFMA kernel is built");

/* sc_pow_secret on the IFMA kernel (m->ifma). Table and accumulator are
 * radix-2^52 values < 2p in the R' form (x R' mod p, R' = 2^(52 ns52)),
 * where every squaring and product is one kernel product; sc_mont_mul_ct
 * in the R form needs two. The table b^d R' is built there too: b enters
 * with one kernel product, each entry is the one before times b R' (the
 * base is public; limb products and a conversion per entry cost about a
 * fifth of the exponentiation, ARITH.md §2.10). Same operation and
 * address sequence for every exponent as the limb loop. The squarings
 * run on the squaring kernel with one room for the whole loop
 * (sc_ifma_sqr), wiped at the end with the other temporaries. out = the
 * plain result. */
static void pow_secret_ifma(const sc_mont *m, mpz_t out, const mpz_t b,
                            unsigned w, unsigned nwin, const mp_limb_t *el,
                            mp_size_t en)
{
    const size_t cnt = (size_t)1 << w, nd = (size_t)m->nd52;
    uint64_t t52[(1u << SC_POW_CT_W) * SC_IFMA_MAXD];
    uint64_t acc[SC_IFMA_MAXD], sel[SC_IFMA_MAXD];
    uint64_t one52[SC_IFMA_MAXD] = {1}; /* plain 1 */
    sc_ifma_room room;
    memcpy(t52, m->one52, nd * sizeof *t52); /* b^0 R' = R' mod p */
    sc_ifma_in_mpz(m, t52 + nd, b);          /* b R' */
    for (size_t d = 2; d < cnt; d++) {
        sc_ifma_mul(m, t52 + d * nd, t52 + (d - 1) * nd, t52 + nd);
    }
    select_ct(acc, t52, cnt, (mp_size_t)nd, digit_at(el, en, nwin - 1, w));
    for (unsigned i = nwin - 1; i-- > 0;) {
        for (unsigned k = 0; k < w; k++) {
            sc_ifma_sqr(m, acc, acc, &room);
        }
        select_ct(sel, t52, cnt, (mp_size_t)nd, digit_at(el, en, i, w));
        sc_ifma_mul(m, acc, acc, sel);
    }
    sc_ifma_mul(m, acc, acc, one52); /* x R' / R' = x, < 2p */
    mp_limb_t *o = mpz_limbs_write(out, m->n);
    sc_ifma_to_limbs(m, o, acc); /* fully reduced */
    /* mpz normalisation: as sc_mont_to_mpz_ct (docs/ARITH.md §7) */
    sc_ct_limbs_finish(out, m->n);
    sc_wipe(t52, sizeof t52);
    sc_wipe(acc, sizeof acc);
    sc_wipe(sel, sizeof sel);
    sc_wipe(&room, sizeof room);
    sc_ifma_burn();
}
#endif

int sc_pow_ct_fits(const sc_group *grp, const mpz_t e)
{
    return mpz_sgn(e) >= 0 &&
           sc_ct_bits(e) <= (size_t)sc_pow_ct_nwin(grp) * SC_POW_CT_W;
}

void sc_pow_secret(const sc_group *grp, mpz_t out, const mpz_t b, const mpz_t e)
{
    const sc_mont *m = sc_grp_mont(grp);
    const mp_size_t n = m->n;
    const unsigned w = SC_POW_CT_W;
    const unsigned nwin = sc_pow_ct_nwin(grp);
    if (!sc_pow_ct_fits(grp, e)) {
        /* Outside the contract (0 <= e < q): GMP's side-channel-silent
         * exponentiation on e mod q + 2q (same limb count for all e; b has
         * order q, so the result is b^e). */
        mpz_t e2;
        mpz_init(e2);
        mpz_mod(e2, e, grp->q);
        mpz_addmul_ui(e2, grp->q, 2);
        mpz_powm_sec(out, b, e2, grp->p);
        sc_mpz_wipe(e2);
        mpz_clear(e2);
        return;
    }
    /* Fixed window, left to right: every window costs w squarings, one
     * table scan and one product whatever its digit (a 0 digit multiplies
     * by tab[0] = 1), so the sequence of operations and addresses is the
     * same for every exponent of at most nwin * w bits. */
    mp_limb_t tab[(1u << SC_POW_CT_W) * SC_MONT_MAXN];
    mp_limb_t acc[SC_MONT_MAXN], sel[SC_MONT_MAXN];
    mp_limb_t el[SC_MONT_MAXN + 1];
    const mp_size_t en =
        (mp_size_t)(((size_t)nwin * w + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS);
    memset(el, 0, (size_t)en * LIMB_BYTES);
    memcpy(el, mpz_limbs_read(e), mpz_size(e) * LIMB_BYTES);
#ifdef SC_HAVE_IFMA
    if (m->ifma) {
        pow_secret_ifma(m, out, b, w, nwin, el, en);
        sc_wipe(el, sizeof el);
        return;
    }
#endif
    /* The base is public (the exponent is the secret): plain products. */
    memcpy(tab, m->one, (size_t)n * LIMB_BYTES);
    sc_mont_from_mpz(m, tab + n, b);
    for (size_t d = 2; d < ((size_t)1 << w); d++) {
        sc_mont_mul(m, tab + d * (size_t)n, tab + (d - 1) * (size_t)n, tab + n);
    }
    select_ct(acc, tab, (size_t)1 << w, n, digit_at(el, en, nwin - 1, w));
    for (unsigned i = nwin - 1; i-- > 0;) {
        for (unsigned k = 0; k < w; k++) {
            sc_mont_sqr_ct(m, acc, acc);
        }
        select_ct(sel, tab, (size_t)1 << w, n, digit_at(el, en, i, w));
        sc_mont_mul_ct(m, acc, acc, sel);
    }
    sc_mont_to_mpz_ct(m, out, acc);
    sc_wipe(acc, sizeof acc);
    sc_wipe(sel, sizeof sel);
    sc_wipe(el, sizeof el);
}

/* ------------------------------------------------------------------ */
/* fixed base                                                          */

/* Fixed-window table (spec note 3.5): with k = ceil(qbits / w) windows,
 * tab[i][d] = base^(d 2^(w i)) for 0 <= d < 2^w, so base^e is the product
 * of one entry per window: k - 1 products and no squarings. Entry d = 0
 * is 1, which lets the constant-time path multiply unconditionally. */
struct sc_fb {
    const sc_group *grp;
    unsigned w;     /* window bits */
    unsigned k;     /* windows: k w >= qbits */
    size_t nd;      /* 2^w entries per window */
    mp_size_t n;    /* limbs per entry */
    mp_size_t en;   /* limbs of a (k w)-bit exponent */
    mp_size_t blk;  /* block limbs: 8, or n when 8 does not divide n */
    mp_limb_t *tab; /* k rows of nd * n limbs, each [n/blk][nd][blk] */
    /* IFMA path (m->ifma): the entries stay in the R form and the k - 1
     * products divide by R' = 2^(52 ns52) each, so the chain ends at
     * x R^k / R'^(k-1); one more product by fix52 = R'^k / R^(k-1) mod p
     * brings it back to x R. */
    uint64_t fix52[SC_IFMA_MAXD];
    /* Public path on IFMA (fb_chain52): it skips 0 digits, so a chain of
     * t products ends at x R^(t+1) / R'^t; one product by entry t (nd52
     * digits), R'^(t+1) / R^(t+1) mod p, gives the plain x. 0 <= t <= k
     * (t = k: one more product, by an R-form value). NULL without IFMA. */
    uint64_t *fixp52;
    /* The same entries for the public path on IFMA, as radix-2^52 values
     * (< 2p, in the R form; entry d of row i at ((i nd) + d) nd52): the
     * kernel reads them in place, with no gather out of the blocked rows
     * and no conversion per product. NULL without IFMA. */
    uint64_t *t52;
    /* The rows are filled on first use (fb_ready), not by sc_fb_new_w: a
     * command that opens a record but never exponentiates by its keys
     * (results after verify, most guardian steps) does not pay for the
     * tables (20 ms each at w = 7). base_m: the base, Montgomery form. */
    mp_limb_t base_m[SC_MONT_MAXN];
    struct fb_once *once;
};

/* First-use state, apart from the table so that fb_ready can take a
 * const sc_fb (the rows are written through its pointers). On the
 * kernel the public path reads only t52: the limb rows (the secret path's
 * scan, the out-of-range fallbacks) are written from t52 on their own
 * first use (fb_ready_tab), so that a verifier never writes them. */
struct fb_once {
    pthread_mutex_t mu;
    atomic_int ready;     /* 1 once t52 (else the limb rows) is written */
    atomic_int ready_tab; /* 1 once the limb rows are written */
};

/* Row i of the table and the address of block b of entry d in it. */
static mp_limb_t *fb_row(const sc_fb *fb, unsigned i)
{
    return fb->tab + (size_t)i * fb->nd * (size_t)fb->n;
}

static size_t fb_off(const sc_fb *fb, size_t b, size_t d)
{
    return (b * fb->nd + d) * (size_t)fb->blk;
}

/* Copy entry d of row i out (public index) / into the table. */
static void fb_get(const sc_fb *fb, mp_limb_t *dst, unsigned i, size_t d)
{
    const mp_limb_t *row = fb_row(fb, i);
    for (size_t b = 0; b < (size_t)(fb->n / fb->blk); b++) {
        memcpy(dst + b * (size_t)fb->blk, row + fb_off(fb, b, d),
               (size_t)fb->blk * LIMB_BYTES);
    }
}

static void fb_put(const sc_fb *fb, unsigned i, size_t d, const mp_limb_t *src)
{
    mp_limb_t *row = fb_row(fb, i);
    for (size_t b = 0; b < (size_t)(fb->n / fb->blk); b++) {
        memcpy(row + fb_off(fb, b, d), src + b * (size_t)fb->blk,
               (size_t)fb->blk * LIMB_BYTES);
    }
}

#ifdef SC_HAVE_IFMA
/* The radix-2^52 rows on the kernel (base public). An entry in the R form times
 * bi' = base^(2^(w i)) in the R' form, divided by R', is the next entry in
 * the R form: one kernel product and one reduction to [0, p) per entry
 * (0.6 us) instead of a limb product (2.7 us). The last product of a row
 * gives base^(2^(w (i + 1))) in the R form, the next row's entry 1; one
 * more product by R'^2 / R gives it in the R' form. */
static void fb_fill_ifma(const sc_fb *fb, const sc_mont *m, const mp_limb_t *b)
{
    uint64_t bi52[SC_IFMA_MAXD], cur52[SC_IFMA_MAXD];
    const size_t nd52 = (size_t)m->nd52;
    sc_ifma_in(m, bi52, b);              /* base R' */
    sc_ifma_from_limbs_pub(m, cur52, b); /* base R, as digits */
    for (unsigned i = 0; i < fb->k; i++) {
        uint64_t *row52 = fb->t52 + (size_t)i * fb->nd * nd52;
        memcpy(row52, m->r52, nd52 * sizeof(uint64_t)); /* 1: R mod p */
        memcpy(row52 + nd52, cur52, nd52 * sizeof(uint64_t));
        for (size_t d = 2; d < fb->nd; d++) {
            sc_ifma_mul(m, cur52, cur52, bi52);
            memcpy(row52 + d * nd52, cur52, nd52 * sizeof(uint64_t));
        }
        if (i + 1 < fb->k) {
            sc_ifma_mul(m, cur52, cur52, bi52); /* next row's entry 1 */
            sc_ifma_mul(m, bi52, cur52, m->rr52);
        }
    }
}

/* The limb rows from the radix-2^52 ones: each entry reduced to [0, p)
 * (entry 0, R mod p, as m->one). */
static void fb_fill_tab_from52(const sc_fb *fb, const sc_mont *m)
{
    mp_limb_t cur[SC_MONT_MAXN];
    const size_t nd52 = (size_t)m->nd52;
    for (unsigned i = 0; i < fb->k; i++) {
        const uint64_t *row52 = fb->t52 + (size_t)i * fb->nd * nd52;
        fb_put(fb, i, 0, m->one);
        for (size_t d = 1; d < fb->nd; d++) {
            sc_ifma_to_limbs(m, cur, row52 + d * nd52);
            fb_put(fb, i, d, cur);
        }
    }
}
#endif

/* Writes the rows (k rows of 2^w entries) from fb->base_m: on the kernel
 * t52 only, else the limb rows. */
static void fb_fill(const sc_fb *fb)
{
    const sc_mont *m = sc_grp_mont(fb->grp);
#ifdef SC_HAVE_IFMA
    if (m->ifma) {
        fb_fill_ifma(fb, m, fb->base_m);
        return;
    }
#endif
    mp_limb_t bi[SC_MONT_MAXN];  /* base^(2^(w i)) */
    mp_limb_t cur[SC_MONT_MAXN]; /* base^(d 2^(w i)) */
    memcpy(bi, fb->base_m, (size_t)fb->n * LIMB_BYTES);
    for (unsigned i = 0; i < fb->k; i++) {
        fb_put(fb, i, 0, m->one);
        memcpy(cur, bi, (size_t)fb->n * LIMB_BYTES);
        fb_put(fb, i, 1, cur);
        for (size_t d = 2; d < fb->nd; d++) {
            sc_mont_mul(m, cur, cur, bi);
            fb_put(fb, i, d, cur);
        }
        /* base^(2^(w (i+1))) = base^((2^w - 1) 2^(w i)) * base^(2^(w i)) */
        sc_mont_mul(m, bi, cur, bi);
    }
}

/* fill(fb) once, under the table's mutex, flag set after it (release /
 * acquire: a reader that sees the flag sees the rows). */
static void fb_once_run(const sc_fb *fb, atomic_int *flag,
                        void (*fill)(const sc_fb *))
{
    if (atomic_load_explicit(flag, memory_order_acquire)) {
        return;
    }
    pthread_mutex_lock(&fb->once->mu);
    if (!atomic_load_explicit(flag, memory_order_relaxed)) {
        fill(fb);
        atomic_store_explicit(flag, 1, memory_order_release);
    }
    pthread_mutex_unlock(&fb->once->mu);
}

void sc_fb_ready(const sc_fb *fb)
{
    fb_once_run(fb, &fb->once->ready, fb_fill);
}

/* The limb rows from t52 on the kernel; without it fb_fill wrote them. */
static void fb_fill_tab(const sc_fb *fb)
{
#ifdef SC_HAVE_IFMA
    const sc_mont *m = sc_grp_mont(fb->grp);
    if (m->ifma) {
        fb_fill_tab_from52(fb, m);
    }
#else
    (void)fb;
#endif
}

/* The limb rows written (after t52 on the kernel). */
static void fb_ready_tab(const sc_fb *fb)
{
    sc_fb_ready(fb);
    fb_once_run(fb, &fb->once->ready_tab, fb_fill_tab);
}

sc_status sc_fb_new_w(sc_fb **out, const sc_group *grp, const mpz_t base,
                      unsigned w)
{
    if (out == NULL || grp == NULL || w < 1 || w > 16) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    const sc_mont *m = sc_grp_mont(grp);
    sc_fb *fb = calloc(1, sizeof *fb);
    if (fb == NULL) {
        return SC_E_NOMEM;
    }
    fb->grp = grp;
    fb->w = w;
    fb->k = (unsigned)((grp->qbits + w - 1) / w);
    fb->nd = (size_t)1 << w;
    fb->n = m->n;
    fb->en =
        (mp_size_t)(((size_t)fb->k * w + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS);
    fb->blk = fb->n % 8 == 0 ? 8 : fb->n;
    size_t limbs = (size_t)fb->k * fb->nd * (size_t)fb->n;
    /* 64-byte aligned: each 8-limb block of the scan is one cache line
     * (malloc's 16-byte alignment split every block over two). */
    fb->tab = aligned_alloc(64, (limbs * LIMB_BYTES + 63) / 64 * 64);
    fb->once = calloc(1, sizeof *fb->once);
    if (fb->once != NULL && pthread_mutex_init(&fb->once->mu, NULL) != 0) {
        free(fb->once); /* sc_fb_free destroys only an initialised mutex */
        fb->once = NULL;
    }
    if (fb->tab == NULL || fb->once == NULL) {
        sc_fb_free(fb);
        return SC_E_NOMEM;
    }
    sc_mont_from_mpz(m, fb->base_m, base);
#ifdef SC_HAVE_IFMA
    if (m->ifma) {
        fb->t52 = aligned_alloc(
            64,
            ((size_t)fb->k * fb->nd * (size_t)m->nd52 * sizeof(uint64_t) + 63) /
                64 * 64);
        if (fb->t52 == NULL) {
            sc_fb_free(fb);
            return SC_E_NOMEM;
        }
    }
#endif
    if (m->ifma) {
        /* R'^k / R^(k-1) = 2^(52 ns52 + (k - 1)(52 ns52 - 64 n)) mod p */
        mpz_t c;
        mpz_init(c);
        mpz_setbit(c, (mp_bitcnt_t)(52 * m->ns52) +
                          (mp_bitcnt_t)(fb->k - 1) *
                              (mp_bitcnt_t)(52 * m->ns52 - 64 * m->n));
        mpz_mod(c, c, grp->p);
        sc_ifma_from_mpz(m, fb->fix52, c);
        fb->fixp52 =
            malloc(((size_t)fb->k + 1) * (size_t)m->nd52 * sizeof(uint64_t));
        if (fb->fixp52 == NULL) {
            mpz_clear(c);
            sc_fb_free(fb);
            return SC_E_NOMEM;
        }
        /* R'^(t+1) / R^(t+1) = 2^((t + 1)(52 ns52 - 64 n)) mod p */
        for (unsigned t = 0; t <= fb->k; t++) {
            mpz_set_ui(c, 0);
            mpz_setbit(c, (mp_bitcnt_t)(t + 1) *
                              (mp_bitcnt_t)(52 * m->ns52 - 64 * m->n));
            mpz_mod(c, c, grp->p);
            sc_ifma_from_mpz(m, fb->fixp52 + (size_t)t * (size_t)m->nd52, c);
        }
        mpz_clear(c);
    }
    *out = fb;
    return SC_OK;
}

sc_status sc_fb_new(sc_fb **out, const sc_group *grp, const mpz_t base)
{
    unsigned w = SC_FB_DEFAULT_W;
    /* Tiny q (toy groups): no point in windows wider than q. */
    if (grp != NULL && grp->qbits < w) {
        w = (unsigned)grp->qbits;
    }
    return sc_fb_new_w(out, grp, base, w);
}

void sc_fb_free(sc_fb *fb)
{
    if (fb != NULL) {
        if (fb->once != NULL) {
            pthread_mutex_destroy(&fb->once->mu);
            free(fb->once);
        }
        free(fb->tab);
        free(fb->fixp52);
        free(fb->t52);
        free(fb);
    }
}

const sc_group *sc_fb_group(const sc_fb *fb)
{
    return fb->grp;
}

unsigned sc_fb_window(const sc_fb *fb)
{
    return fb->w;
}

unsigned sc_fb_windows(const sc_fb *fb)
{
    return fb->k;
}

/* Public-exponent table product in Montgomery form. Returns 0 if e does
 * not fit the table (caller falls back). */
static int fb_pow_mont(const sc_fb *fb, mp_limb_t *r, const mpz_t e)
{
    const sc_mont *m = sc_grp_mont(fb->grp);
    if (mpz_sgn(e) < 0 || mpz_sizeinbase(e, 2) > (size_t)fb->k * fb->w) {
        return 0;
    }
    mp_limb_t el[SC_MONT_MAXN + 1];
    memset(el, 0, (size_t)fb->en * LIMB_BYTES);
    memcpy(el, mpz_limbs_read(e), mpz_size(e) * LIMB_BYTES);
    int started = 0;
    mp_limb_t ent[SC_MONT_MAXN];
    for (unsigned i = 0; i < fb->k; i++) {
        size_t d = digit_at(el, fb->en, i, fb->w);
        if (d == 0) {
            continue;
        }
        if (started) {
            fb_get(fb, ent, i, d);
            sc_mont_mul(m, r, r, ent);
        } else {
            fb_get(fb, r, i, d);
            started = 1;
        }
    }
    if (!started) {
        memcpy(r, m->one, (size_t)fb->n * LIMB_BYTES);
    }
    return 1;
}

/* The public table product on the IFMA kernel (m->ifma), e in the
 * table's range: acc = x R^(t+1) / R'^t (radix 2^52, < 2p) for x =
 * base^e; returns t, the number of products (see fixp52). The entries
 * (R form) are converted as they come; e = 0 gives R mod p, t = 0. fix:
 * the caller multiplies by fixp52's entry t right after (prefetched with
 * the chain's), else 0. */
static size_t fb_chain52(const sc_fb *fb, uint64_t *acc, const mpz_t e, int fix)
{
    const sc_mont *m = sc_grp_mont(fb->grp);
    const size_t nd52 = (size_t)m->nd52;
    mp_limb_t el[SC_MONT_MAXN + 1];
    memset(el, 0, (size_t)fb->en * LIMB_BYTES);
    memcpy(el, mpz_limbs_read(e), mpz_size(e) * LIMB_BYTES);
    /* The nonzero digits' entries first, then all of them prefetched at
     * once: the tables exceed L2 (2.9 MB at w = 7, and the verifier
     * alternates two), and a product takes long enough for the next
     * entries to arrive. Prefetching only the next entry during each
     * product left ~2 products' time per call in stalls (ARITH §2.13). */
    const uint64_t *ent[SC_MONT_MAXN * GMP_NUMB_BITS];
    size_t cnt = 0;
    for (unsigned i = 0; i < fb->k; i++) {
        size_t d = digit_at(el, fb->en, i, fb->w);
        if (d != 0) {
            ent[cnt++] = fb->t52 + ((size_t)i * fb->nd + d) * nd52;
        }
    }
    if (cnt == 0) {
        memcpy(acc, m->r52, nd52 * sizeof(uint64_t));
        return 0;
    }
    for (size_t j = 0; j < cnt; j++) {
        for (size_t l = 0; l < nd52; l += 8) {
            __builtin_prefetch(ent[j] + l);
        }
    }
    if (fix) {
        const uint64_t *f = fb->fixp52 + (cnt - 1) * nd52;
        for (size_t l = 0; l < nd52; l += 8) {
            __builtin_prefetch(f + l);
        }
    }
    if (cnt == 1) {
        memcpy(acc, ent[0], nd52 * sizeof(uint64_t));
        return 0;
    }
    sc_ifma_mul(m, acc, ent[0], ent[1]);
    for (size_t j = 2; j < cnt; j++) {
        sc_ifma_mul(m, acc, acc, ent[j]);
    }
    return cnt - 1;
}

static int fb_in_range(const sc_fb *fb, const mpz_t e)
{
    return mpz_sgn(e) >= 0 && mpz_sizeinbase(e, 2) <= (size_t)fb->k * fb->w;
}

void sc_fb_pow(const sc_fb *fb, mpz_t out, const mpz_t e)
{
    sc_fb_ready(fb);
    sc_arith_count(SC_CNT_FB);
    const sc_mont *m = sc_grp_mont(fb->grp);
    if (m->ifma && fb_in_range(fb, e)) {
        uint64_t acc[SC_IFMA_MAXD];
        size_t t = fb_chain52(fb, acc, e, 1);
        sc_ifma_mul(m, acc, acc, fb->fixp52 + t * (size_t)m->nd52);
        sc_ifma_plain_mpz(m, out, acc);
        return;
    }
    fb_ready_tab(fb);
    mp_limb_t r[SC_MONT_MAXN];
    if (!fb_pow_mont(fb, r, e)) {
        /* Outside the table's range: entry (i=0, d=1) is the base. */
        mp_limb_t b[SC_MONT_MAXN];
        fb_get(fb, b, 0, 1);
        sc_mont_pow(sc_grp_mont(fb->grp), r, b, mpz_limbs_read(e),
                    (mp_size_t)mpz_size(e));
        if (mpz_sgn(e) < 0) {
            /* Negative exponents are not in the contract; be exact. */
            sc_mont_to_mpz(sc_grp_mont(fb->grp), out, r);
            if (!mpz_invert(out, out, fb->grp->p)) {
                mpz_set_ui(out, 0);
            }
            return;
        }
    }
    sc_mont_to_mpz(sc_grp_mont(fb->grp), out, r);
}

/* Constant-time select of row i, entry d (every entry of the row is read,
 * see select_ct). With blk = n the blocked layout is the plain one. */
static void fb_select_ct(const sc_fb *fb, mp_limb_t *out, unsigned i, size_t d)
{
#ifdef SC_HAVE_IFMA
    if (sc_grp_mont(fb->grp)->ifma && fb->blk == 8 && sc_fbscan_ok(fb->n)) {
        sc_fbscan(out, fb_row(fb, i), fb->nd, fb->n, d); /* fbscan.c */
        return;
    }
#endif
    if (fb->blk == 8) {
        select_blocked_ct(out, fb_row(fb, i), fb->nd, fb->n, d);
    } else {
        select_ct(out, fb_row(fb, i), fb->nd, fb->n, d);
    }
}

/* Constant-time table product; e must be in [0, 2^(k w)). */
static void fb_pow_secret_mont(const sc_fb *fb, mp_limb_t *r, const mpz_t e)
{
    const sc_mont *m = sc_grp_mont(fb->grp);
    mp_limb_t el[SC_MONT_MAXN + 1];
    mp_limb_t sel[SC_MONT_MAXN];
    /* Copy into a fixed-size buffer; only mpz's own limb count (whether
     * the top limb is zero, probability 2^-64 for a uniform e) shows. */
    memset(el, 0, (size_t)fb->en * LIMB_BYTES);
    memcpy(el, mpz_limbs_read(e), mpz_size(e) * LIMB_BYTES);
    fb_select_ct(fb, r, 0, digit_at(el, fb->en, 0, fb->w));
    if (m->ifma) {
        /* Radix 2^52 throughout (values < 2p, ifma.c); the selected entries
         * are converted as they come (the scan stays on the limb table). */
        uint64_t acc[SC_IFMA_MAXD], s52[SC_IFMA_MAXD];
        sc_ifma_from_limbs(m, acc, r);
        for (unsigned i = 1; i < fb->k; i++) {
            fb_select_ct(fb, sel, i, digit_at(el, fb->en, i, fb->w));
            sc_ifma_from_limbs(m, s52, sel);
            sc_ifma_mul(m, acc, acc, s52);
        }
        sc_ifma_mul(m, acc, acc, fb->fix52); /* back to x R, < 2p */
        sc_ifma_to_limbs(m, r, acc);
        sc_wipe(acc, sizeof acc);
        sc_wipe(s52, sizeof s52);
        sc_wipe(el, sizeof el);
        sc_wipe(sel, sizeof sel);
        sc_ifma_burn();
        return;
    }
    for (unsigned i = 1; i < fb->k; i++) {
        fb_select_ct(fb, sel, i, digit_at(el, fb->en, i, fb->w));
        sc_mont_mul_ct(m, r, r, sel);
    }
    sc_wipe(el, sizeof el);
    sc_wipe(sel, sizeof sel);
}

void sc_fb_pow_secret(const sc_fb *fb, mpz_t out, const mpz_t e)
{
    fb_ready_tab(fb);
    sc_arith_count(SC_CNT_FB_SECRET);
    if (mpz_sgn(e) < 0 || sc_ct_bits(e) > (size_t)fb->k * fb->w) {
        /* Outside the contract (0 <= e < q): still exact, via GMP's
         * side-channel-silent exponentiation on the table's base. */
        mpz_t b;
        mpz_init(b);
        mp_limb_t bm[SC_MONT_MAXN];
        fb_get(fb, bm, 0, 1);
        sc_mont_to_mpz(sc_grp_mont(fb->grp), b, bm);
        mpz_t e2;
        mpz_init(e2);
        mpz_mod(e2, e, fb->grp->q);
        sc_pow_secret(fb->grp, out, b, e2);
        sc_mpz_wipe(e2);
        mpz_clears(e2, b, NULL);
        return;
    }
    mp_limb_t r[SC_MONT_MAXN];
    fb_pow_secret_mont(fb, r, e);
    sc_mont_to_mpz_ct(sc_grp_mont(fb->grp), out, r);
    sc_wipe(r, sizeof r);
}

#ifdef SC_HAVE_IFMA
/* Two constant-time table products on the kernel with one scan pass per
 * row for both digits (fbscan.c sc_fbscan2): the scan reads the 2.3 MB
 * table once for two exponents. Same operations as fb_pow_secret_mont's
 * IFMA branch for each exponent; no branch or address depends on e0, e1. */
static void fb_pow_secret2_ifma(const sc_fb *fb, mp_limb_t *r0, mp_limb_t *r1,
                                const mpz_t e0, const mpz_t e1)
{
    const sc_mont *m = sc_grp_mont(fb->grp);
    struct { /* every secret temporary, wiped at once */
        mp_limb_t el[2][SC_MONT_MAXN + 1], s[2][SC_MONT_MAXN];
        uint64_t acc[2][SC_IFMA_MAXD], t52[SC_IFMA_MAXD];
    } w;
    const mpz_srcptr e[2] = {e0, e1};
    size_t d[2];
    for (int h = 0; h < 2; h++) {
        memset(w.el[h], 0, (size_t)fb->en * LIMB_BYTES);
        memcpy(w.el[h], mpz_limbs_read(e[h]), mpz_size(e[h]) * LIMB_BYTES);
    }
    for (unsigned i = 0; i < fb->k; i++) {
        for (int h = 0; h < 2; h++) {
            d[h] = digit_at(w.el[h], fb->en, i, fb->w);
        }
        sc_fbscan2(w.s[0], w.s[1], fb_row(fb, i), fb->nd, fb->n, d[0], d[1]);
        for (int h = 0; h < 2; h++) {
            if (i == 0) {
                sc_ifma_from_limbs(m, w.acc[h], w.s[h]);
            } else {
                sc_ifma_from_limbs(m, w.t52, w.s[h]);
                sc_ifma_mul(m, w.acc[h], w.acc[h], w.t52);
            }
        }
    }
    sc_ifma_mul(m, w.acc[0], w.acc[0], fb->fix52); /* back to x R, < 2p */
    sc_ifma_mul(m, w.acc[1], w.acc[1], fb->fix52);
    sc_ifma_to_limbs(m, r0, w.acc[0]);
    sc_ifma_to_limbs(m, r1, w.acc[1]);
    sc_wipe(&w, sizeof w);
    sc_wipe(d, sizeof d);
    sc_ifma_burn();
}
#endif

void sc_fb_pow_secret2(const sc_fb *fb, mpz_t out0, mpz_t out1, const mpz_t e0,
                       const mpz_t e1)
{
    fb_ready_tab(fb);
#ifdef SC_HAVE_IFMA
    const sc_mont *m = sc_grp_mont(fb->grp);
    const size_t kw = (size_t)fb->k * fb->w;
    if (m->ifma && fb->blk == 8 && sc_fbscan_ok(fb->n) && mpz_sgn(e0) >= 0 &&
        mpz_sgn(e1) >= 0 && sc_ct_bits(e0) <= kw && sc_ct_bits(e1) <= kw) {
        sc_arith_count(SC_CNT_FB_SECRET);
        sc_arith_count(SC_CNT_FB_SECRET);
        sc_arith_count(SC_CNT_FB_SECRET2);
        mp_limb_t r0[SC_MONT_MAXN], r1[SC_MONT_MAXN];
        fb_pow_secret2_ifma(fb, r0, r1, e0, e1);
        sc_mont_to_mpz_ct(m, out0, r0);
        sc_mont_to_mpz_ct(m, out1, r1);
        sc_wipe(r0, sizeof r0);
        sc_wipe(r1, sizeof r1);
        return;
    }
#endif
    sc_fb_pow_secret(fb, out0, e0);
    sc_fb_pow_secret(fb, out1, e1);
}

/* ------------------------------------------------------------------ */
/* variable base                                                       */

struct sc_vb {
    const sc_group *grp;
    int w;
    int k52;        /* m->ifma: the table is in the kernel's R' form */
    mp_limb_t *tab; /* odd powers base^1, base^3, ..., 2^(w-1) entries */
};

sc_status sc_vb_new(sc_vb **out, const sc_group *grp, const mpz_t base)
{
    if (out == NULL || grp == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    const sc_mont *m = sc_grp_mont(grp);
    sc_vb *vb = calloc(1, sizeof *vb);
    if (vb == NULL) {
        return SC_E_NOMEM;
    }
    vb->grp = grp;
    vb->w = sc_mont_window_for_bits(grp->qbits);
    vb->k52 = m->ifma;
    vb->tab = malloc(((size_t)1 << (vb->w - 1)) * sc_mont_esz(m, vb->k52) *
                     LIMB_BYTES);
    if (vb->tab == NULL) {
        free(vb);
        return SC_E_NOMEM;
    }
    mp_limb_t bm[SC_IFMA_MAXD];
    if (vb->k52) {
        sc_ifma_in_mpz(m, bm, base);
    } else {
        sc_mont_from_mpz(m, bm, base);
    }
    sc_mont_odd_powers_k(m, vb->k52, vb->tab, bm, vb->w);
    *out = vb;
    return SC_OK;
}

void sc_vb_free(sc_vb *vb)
{
    if (vb != NULL) {
        free(vb->tab);
        free(vb);
    }
}

/* base^|e| in the table's form (R, or R' when vb->k52). */
static void vb_pow_k(const sc_vb *vb, mp_limb_t *r, const mpz_t e)
{
    sc_mont_pow_tab_k(sc_grp_mont(vb->grp), vb->k52, r, vb->tab, vb->w,
                      mpz_limbs_read(e), (mp_size_t)mpz_size(e));
}

/* base^|e| in the R form. */
static void vb_pow_mont(const sc_vb *vb, mp_limb_t *r, const mpz_t e)
{
    if (vb->k52) {
        mp_limb_t t[SC_IFMA_MAXD];
        vb_pow_k(vb, t, e);
        sc_ifma_out(sc_grp_mont(vb->grp), r, t);
    } else {
        vb_pow_k(vb, r, e);
    }
}

void sc_vb_pow(const sc_vb *vb, mpz_t out, const mpz_t e)
{
    const sc_mont *m = sc_grp_mont(vb->grp);
    mp_limb_t r[SC_IFMA_MAXD];
    if (vb->k52) {
        vb_pow_k(vb, r, e);
        sc_ifma_out_mpz(m, out, r);
    } else {
        vb_pow_mont(vb, r, e);
        sc_mont_to_mpz(m, out, r);
    }
    if (mpz_sgn(e) < 0 && !mpz_invert(out, out, vb->grp->p)) {
        mpz_set_ui(out, 0);
    }
}

/* ------------------------------------------------------------------ */
/* simultaneous multi-exponentiation (Straus / interleaved windows)    */

/* Right-to-left sliding-window recoding of a public exponent: dig[pos] is
 * an odd digit < 2^w (or 0), with e = sum dig[pos] 2^pos. */
static void recode(uint8_t *dig, size_t bits, const mp_limb_t *e, mp_size_t en,
                   int w)
{
    memset(dig, 0, bits);
    size_t ebits = (size_t)en * GMP_NUMB_BITS;
    size_t i = 0;
    while (i < bits && i < ebits) {
        if (!((e[i / GMP_NUMB_BITS] >> (i % GMP_NUMB_BITS)) & 1)) {
            i++;
            continue;
        }
        unsigned v = 0;
        for (int k = w - 1; k >= 0; k--) {
            size_t b = i + (size_t)k;
            unsigned bit = 0;
            if (b < ebits) {
                bit = (unsigned)((e[b / GMP_NUMB_BITS] >> (b % GMP_NUMB_BITS)) &
                                 1);
            }
            v = (v << 1) | bit;
        }
        dig[i] = (uint8_t)v;
        i += (size_t)w;
    }
}

/* r = prod tabs[j][.]^e_j (Montgomery form) for `cnt` bases whose
 * odd-power tables (window w) are given; exponents as limb arrays. */
static void straus(const sc_mont *m, int k52, mp_limb_t *r, size_t cnt,
                   const mp_limb_t *const *tabs, int w,
                   const mp_limb_t *const *e, const mp_size_t *en,
                   uint8_t *dig /* cnt * bits */, size_t bits)
{
    /* Form k52 (mont.h): tables and r in the R form or in the R' form. */
    const size_t n = sc_mont_esz(m, k52);
    for (size_t j = 0; j < cnt; j++) {
        recode(dig + j * bits, bits, e[j], en[j], w);
    }
    int started = 0;
    for (size_t pos = bits; pos-- > 0;) {
        if (started) {
            sc_mont_esqr(m, k52, r, r);
        }
        for (size_t j = 0; j < cnt; j++) {
            unsigned v = dig[j * bits + pos];
            if (v == 0) {
                continue;
            }
            const mp_limb_t *ent = tabs[j] + (size_t)(v >> 1) * n;
            if (started) {
                sc_mont_emul(m, k52, r, r, ent);
            } else {
                memcpy(r, ent, n * LIMB_BYTES);
                started = 1;
            }
        }
    }
    if (!started) {
        memcpy(r, sc_mont_eone(m, k52), n * LIMB_BYTES);
    }
}

/* Largest exponent bit length in a chunk (digit array length). */
static size_t max_bits(size_t cnt, const mpz_t *exps)
{
    size_t b = 1;
    for (size_t j = 0; j < cnt; j++) {
        size_t s = mpz_sgn(exps[j]) == 0 ? 1 : mpz_sizeinbase(exps[j], 2);
        b = s > b ? s : b;
    }
    return b;
}

void sc_multi_pow(const sc_group *grp, mpz_t out, size_t n, const mpz_t *bases,
                  const mpz_t *exps)
{
    const sc_mont *m = sc_grp_mont(grp);
    const int k52 = m->ifma; /* whole chain in the R' form (mont.h) */
    const size_t nl = sc_mont_esz(m, k52);
    mp_limb_t acc[SC_IFMA_MAXD], part[SC_IFMA_MAXD];
    memcpy(acc, sc_mont_eone(m, k52), nl * LIMB_BYTES);
    int w = 0;
    mp_limb_t *tabs = NULL;
    uint8_t *dig = NULL;
    const mp_limb_t *tp[SC_MULTI_CHUNK];
    const mp_limb_t *ep[SC_MULTI_CHUNK];
    mp_size_t en[SC_MULTI_CHUNK];
    mpz_t inv;
    mpz_init(inv);
    for (size_t c0 = 0; c0 < n; c0 += SC_MULTI_CHUNK) {
        size_t cnt = n - c0 < SC_MULTI_CHUNK ? n - c0 : SC_MULTI_CHUNK;
        size_t bits = max_bits(cnt, exps + c0);
        int wc = sc_mont_window_for_bits(bits);
        if (wc > 5) {
            wc = 5; /* bounded table memory per base */
        }
        size_t tsize = ((size_t)1 << (wc - 1)) * nl;
        if (tabs == NULL || wc > w) {
            free(tabs);
            free(dig);
            w = wc;
            tabs = malloc(SC_MULTI_CHUNK * tsize * LIMB_BYTES);
            dig = NULL;
        }
        free(dig);
        dig = malloc(cnt * bits);
        if (tabs == NULL || dig == NULL) {
            abort(); /* as GMP does on allocation failure (core.h) */
        }
        for (size_t j = 0; j < cnt; j++) {
            mp_limb_t bm[SC_IFMA_MAXD];
            mpz_srcptr bj = bases[c0 + j];
            if (mpz_sgn(exps[c0 + j]) < 0) {
                /* Outside the contract; b^e = (b^-1)^|e|. */
                if (!mpz_invert(inv, bases[c0 + j], grp->p)) {
                    mpz_set_ui(inv, 0);
                }
                bj = inv;
            }
            if (k52) {
                sc_ifma_in_mpz(m, bm, bj);
            } else {
                sc_mont_from_mpz(m, bm, bj);
            }
            mp_limb_t *t = tabs + j * tsize;
            sc_mont_odd_powers_k(m, k52, t, bm, wc);
            tp[j] = t;
            ep[j] = mpz_limbs_read(exps[c0 + j]);
            en[j] = (mp_size_t)mpz_size(exps[c0 + j]);
        }
        straus(m, k52, part, cnt, tp, wc, ep, en, dig, bits);
        sc_mont_emul(m, k52, acc, acc, part);
    }
    free(tabs);
    free(dig);
    mpz_clear(inv);
    if (k52) {
        sc_ifma_out_mpz(m, out, acc);
    } else {
        sc_mont_to_mpz(m, out, acc);
    }
}

void sc_fb_vb_pow2(const sc_fb *fb, const mpz_t e1, const sc_vb *vb, mpz_t out,
                   const mpz_t e2)
{
    sc_fb_ready(fb);
    /* The fixed-base part needs no squarings, so there is nothing to share
     * with the variable-base part: table product times windowed power. */
    const sc_group *grp = fb->grp;
    const sc_mont *m = sc_grp_mont(grp);
    mp_limb_t a[SC_MONT_MAXN], b[SC_MONT_MAXN];
    if (m->ifma && fb_in_range(fb, e1) && mpz_sgn(e2) >= 0) {
        /* acc = x R^(t+1) / R'^t times y R' (vb table, or out's power)
         * over R' keeps t (y R, a limb table: t + 1), then plain. */
        uint64_t acc[SC_IFMA_MAXD], b52[SC_IFMA_MAXD];
        size_t t = fb_chain52(fb, acc, e1, 0);
        if (vb != NULL && vb->k52) {
            vb_pow_k(vb, b52, e2);
        } else if (vb == NULL) {
            /* vbase in `out` (arith.h): its power in the R' form */
            mp_limb_t tab[32 * SC_IFMA_MAXD];
            const mp_size_t en = (mp_size_t)mpz_size(e2);
            const int w = sc_mont_window_for_bits((size_t)en * GMP_NUMB_BITS);
            sc_ifma_in_mpz(m, b52, out);
            sc_mont_odd_powers_k(m, 1, tab, b52, w);
            sc_mont_pow_tab_k(m, 1, b52, tab, w, mpz_limbs_read(e2), en);
        } else {
            vb_pow_mont(vb, b, e2); /* a limb table (not built here) */
            sc_ifma_from_limbs_pub(m, b52, b);
            t++;
        }
        sc_ifma_mul(m, acc, acc, b52);
        sc_ifma_mul(m, acc, acc, fb->fixp52 + t * (size_t)m->nd52);
        sc_ifma_plain_mpz(m, out, acc);
        return;
    }
    fb_ready_tab(fb);
    if (!fb_pow_mont(fb, a, e1) || mpz_sgn(e2) < 0) {
        /* Outside the contract: exact slow path. */
        mpz_t t;
        mpz_init(t);
        sc_fb_pow(fb, t, e1);
        if (vb != NULL) {
            sc_vb_pow(vb, out, e2);
        } else {
            sc_pow(grp, out, out, e2);
        }
        sc_mulmod(grp, out, out, t);
        mpz_clear(t);
        return;
    }
    if (vb != NULL) {
        vb_pow_mont(vb, b, e2);
    } else {
        /* vbase is passed in `out` when vb is NULL (arith.h). */
        pow_mont(grp, b, out, e2);
    }
    sc_mont_mul(m, a, a, b);
    sc_mont_to_mpz(m, out, a);
}

/* ------------------------------------------------------------------ */
/* batched subgroup membership                                         */

static int in_range(const sc_group *grp, const mpz_t x)
{
    return mpz_sgn(x) > 0 && mpz_cmp(x, grp->p) < 0;
}

/* One random linear combination over xs[lo, hi): 1 if prod x_i^{e_i}
 * raised to q is 1 (all members pass; a non-member passes with
 * probability <= 2^-SC_BATCH_LAMBDA, docs/ARITH.md). Elements must
 * already be in range with Legendre symbol +1. `signless`: raised to 2q
 * instead, which ignores the +-1 part of each element (any sign passes;
 * the square test of sqtest.c decides the signs). */
static int batch_combination_ok(const sc_group *grp, const mpz_t *xs, size_t lo,
                                size_t hi, sc_rng *rng, int signless)
{
    const sc_mont *m = sc_grp_mont(grp);
    const int k52 = m->ifma; /* products in the R' form (mont.h) */
    const size_t nl = sc_mont_esz(m, k52);
    const int w = 4; /* 2^3 table products + 128/5 window products */
    const size_t tsize = ((size_t)1 << (w - 1)) * nl;
    const mp_size_t el = SC_BATCH_LAMBDA / GMP_NUMB_BITS;
    const size_t bits = SC_BATCH_LAMBDA;
    mp_limb_t *tabs = malloc(SC_MULTI_CHUNK * tsize * LIMB_BYTES);
    mp_limb_t *es = malloc(SC_MULTI_CHUNK * (size_t)el * LIMB_BYTES);
    uint8_t *dig = malloc(SC_MULTI_CHUNK * bits);
    if (tabs == NULL || es == NULL || dig == NULL) {
        abort();
    }
    const mp_limb_t *tp[SC_MULTI_CHUNK];
    const mp_limb_t *ep[SC_MULTI_CHUNK];
    mp_size_t en[SC_MULTI_CHUNK];
    mp_limb_t acc[SC_IFMA_MAXD], part[SC_IFMA_MAXD];
    memcpy(acc, sc_mont_eone(m, k52), nl * LIMB_BYTES);
    for (size_t c0 = lo; c0 < hi; c0 += SC_MULTI_CHUNK) {
        size_t cnt = hi - c0 < SC_MULTI_CHUNK ? hi - c0 : SC_MULTI_CHUNK;
        sc_rng_bytes(rng, es, cnt * (size_t)el * LIMB_BYTES);
        for (size_t j = 0; j < cnt; j++) {
            mp_limb_t bm[SC_IFMA_MAXD];
            if (k52) {
                sc_ifma_in_mpz(m, bm, xs[c0 + j]);
            } else {
                sc_mont_from_mpz(m, bm, xs[c0 + j]);
            }
            tp[j] = tabs + j * tsize;
            sc_mont_odd_powers_k(m, k52, tabs + j * tsize, bm, w);
            ep[j] = es + j * (size_t)el;
            en[j] = el;
        }
        straus(m, k52, part, cnt, tp, w, ep, en, dig, bits);
        sc_mont_emul(m, k52, acc, acc, part);
    }
    free(tabs);
    free(es);
    free(dig);
    if (signless) {
        sc_mont_esqr(m, k52, acc, acc); /* P^(2q) = (P^2)^q */
    }
    if (k52) {
        sc_ifma_out(m, acc, acc); /* sc_mont_pow runs on the kernel too */
    }
    mp_limb_t r[SC_MONT_MAXN];
    sc_mont_pow(m, r, acc, mpz_limbs_read(grp->q), (mp_size_t)mpz_size(grp->q));
    return mpn_cmp(r, m->one, m->n) == 0;
}

/* First non-member in [lo, hi), known to hold one: bisect with batches
 * (a failing batch is proof; total work about twice the range). */
static size_t find_first_bad(const sc_group *grp, const mpz_t *xs, size_t lo,
                             size_t hi, sc_rng *rng)
{
    while (hi - lo > 4) {
        size_t mid = lo + (hi - lo) / 2;
        if (!batch_combination_ok(grp, xs, lo, mid, rng, 0)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    for (size_t i = lo; i < hi; i++) {
        if (!sc_elem_is_member(grp, xs[i])) {
            return i;
        }
    }
    /* A batch failed but every element passed alone: impossible unless the
     * arithmetic is broken; report the range start. */
    return lo;
}

/* From this many elements on, a batch first tries the signs by the square
 * test (sqtest.c: about 17 kernel products per element and 128 symbols in
 * all) instead of one Legendre symbol per element (~38 us): break-even
 * near 160 elements (docs/ARITH.md §5.2). */
#define SC_BATCH_SQTEST_MIN 256

/* Every xs[i] in range, a square (the square test) and, up to its sign, in
 * Z_p^r (one combination raised to 2q): together, every xs[i] in Z_p^r
 * (docs/ARITH.md §5.1; a non-member passes with probability <= 2^-127).
 * 0 if any test fails, which only says that some element is bad. */
static int batch_fast_ok(const sc_group *grp, size_t n, const mpz_t *xs,
                         sc_rng *rng)
{
    for (size_t i = 0; i < n; i++) {
        if (!in_range(grp, xs[i])) {
            return 0;
        }
    }
    sc_sqtest *t = NULL;
    if (sc_sqtest_new(&t, grp, rng) != SC_OK) {
        return 0; /* the exact path decides */
    }
    sc_sqtest_add(t, n, xs);
    int ok = sc_sqtest_ok(t);
    sc_sqtest_free(t);
    return ok && batch_combination_ok(grp, xs, 0, n, rng, 1);
}

sc_status sc_subgroup_check_batch(const sc_group *grp, size_t n,
                                  const mpz_t *xs, struct sc_rng *rng,
                                  size_t *bad)
{
    if (grp == NULL || (xs == NULL && n > 0)) {
        return SC_E_MISUSE;
    }
    /* A large batch: the square test for the signs; only if it or the
     * combination fails does the exact path below run, to name the first
     * bad element. */
    if (grp->ar->batch_ok && n >= SC_BATCH_SQTEST_MIN &&
        batch_fast_ok(grp, n, xs, rng)) {
        return SC_OK;
    }
    size_t first = n;
    /* One element: x^q alone (~0.8 ms) is cheaper than Legendre plus a
     * combination plus the same x^q. */
    if (!grp->ar->batch_ok || n == 1) {
        for (size_t i = 0; i < n; i++) {
            if (!sc_elem_is_member(grp, xs[i])) {
                first = i;
                break;
            }
        }
    } else {
        /* Range and Legendre symbol (must be +1: x a square) for each. */
        for (size_t i = 0; i < n; i++) {
            if (!in_range(grp, xs[i]) || mpz_jacobi(xs[i], grp->p) != 1) {
                first = i;
                break;
            }
        }
        /* Everything before `first` is a square in range; one combination
         * decides whether any of them has a component of order r/2. */
        if (first > 0 && !batch_combination_ok(grp, xs, 0, first, rng, 0)) {
            first = find_first_bad(grp, xs, 0, first, rng);
        }
    }
    if (first == n) {
        return SC_OK;
    }
    if (bad != NULL) {
        *bad = first;
    }
    return SC_E_INVALID_NOT_IN_SUBGROUP;
}

sc_status sc_subgroup_check_batch_signless(const sc_group *grp, size_t n,
                                           const mpz_t *xs, struct sc_rng *rng)
{
    if (grp == NULL || (xs == NULL && n > 0)) {
        return SC_E_MISUSE;
    }
    if (!grp->ar->batch_ok || n == 1) {
        /* the toy groups (and one element): x^q each, signs included */
        size_t bad = 0;
        return sc_subgroup_check_batch(grp, n, xs, rng, &bad);
    }
    for (size_t i = 0; i < n; i++) {
        if (!in_range(grp, xs[i])) {
            return SC_E_INVALID_NOT_IN_SUBGROUP;
        }
    }
    return n == 0 || batch_combination_ok(grp, xs, 0, n, rng, 1)
               ? SC_OK
               : SC_E_INVALID_NOT_IN_SUBGROUP;
}
