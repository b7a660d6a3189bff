/* Several powers of one variable base, sharing the squarings (shared by
 * both verifiers: vcommon.h).
 *
 * A range proof raises α and β each to R + 1 challenges c_j (2.1: 6.1,
 * 6.2; 2.0: 5.1, 5.2), a contest limit proof raises ᾱ and β̄ to L + 1
 * (2.1: 7.3, 7.4; 2.0: 6.3, 6.4). Separate windowed
 * exponentiations (one sc_vb table per base) pay the ~|q| squarings once
 * per exponent; here they are paid once per base (Yao's right-to-left
 * 2^w-ary method): P_i = x^(2^(w i)) for every digit position, then for
 * each exponent B_d = Π {P_i : digit i is d} and x^e = Π B_d^d with
 * 2 (2^w - 1) products. With w = 4 and 256-bit exponents: 256 squarings
 * for the base plus ~96 products per exponent, against ~300 per exponent
 * for a sliding window. Public exponents only (branches on their digits).
 * Runs on the engine's Montgomery layer (src/lib/arith/mont.h), in the
 * IFMA kernel's radix-2^52 R' form where the CPU has it (one kernel
 * product per step, ~4x faster than the limb product). */
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"
#include "verify/common/vcommon.h"

#define VC_W 4 /* divides GMP_NUMB_BITS: digits never straddle limbs */

static unsigned digit(const mpz_t e, size_t i)
{
    size_t bit = (size_t)VC_W * i;
    size_t limb = bit / GMP_NUMB_BITS;
    if (limb >= mpz_size(e)) {
        return 0;
    }
    mp_limb_t l = mpz_getlimbn(e, (mp_size_t)limb);
    return (unsigned)(l >> (bit % GMP_NUMB_BITS)) & ((1u << VC_W) - 1);
}

/* P_i = x^(2^(w i)) for i < D, in form k52 (L words each). */
static void chain1(const sc_mont *m, int k52, mp_limb_t *P, const mpz_t x,
                   size_t D)
{
    const size_t L = sc_mont_esz(m, k52);
    if (k52) {
        sc_ifma_in_mpz(m, P, x);
    } else {
        sc_mont_from_mpz(m, P, x);
    }
    for (size_t i = 1; i < D; i++) {
        mp_limb_t *pi = P + i * L;
        sc_mont_esqr(m, k52, pi, pi - L);
        for (int s = 1; s < VC_W; s++) {
            sc_mont_esqr(m, k52, pi, pi);
        }
    }
}

/* The exponents' bits (at least 1); -1 if one is negative. */
static long max_bits(size_t n, const mpz_t *e)
{
    size_t bits = 1;
    for (size_t j = 0; j < n; j++) {
        if (mpz_sgn(e[j]) < 0) {
            return -1;
        }
        size_t b = mpz_sizeinbase(e[j], 2);
        bits = b > bits ? b : bits;
    }
    return (long)bits;
}

/* Words of an element in either form (mont.h). */
#define VC_LMAX (SC_IFMA_MAXD > SC_MONT_MAXN ? SC_IFMA_MAXD : SC_MONT_MAXN)

/* out = a · y mod p in [0, p) for a in [0, p) (plain) and y in form k52:
 * one product, a y / R (or / R') being the plain product. */
static void mul_plain(const sc_mont *m, int k52, mpz_t out, const mp_limb_t *y)
{
    mp_limb_t a[VC_LMAX], r[SC_MONT_MAXN];
    if (k52) {
        sc_ifma_from_mpz(m, a, out);
        sc_ifma_mul(m, a, a, y); /* a y < 2p */
        sc_ifma_plain_mpz(m, out, a);
        return;
    }
    memset(a, 0, (size_t)m->n * sizeof *a);
    memcpy(a, mpz_limbs_read(out), mpz_size(out) * sizeof *a);
    sc_mont_mul(m, r, a, y);
    mp_size_t k = m->n;
    while (k > 0 && r[k - 1] == 0) {
        k--;
    }
    memcpy(mpz_limbs_write(out, m->n), r, (size_t)k * sizeof *r);
    mpz_limbs_finish(out, k);
}

/* out[j] = x^e[j] (mul: out[j] · x^e[j], each out[j] in [0, p) on entry)
 * from the chain P of x (D entries, enough for every e[j]): for each
 * exponent B_d = Π {P_i : digit i is d}, then Π B_d^d. A B_d, run or acc
 * made of one factor points at that factor instead of copying it. */
static void from_chain(const sc_mont *m, mpz_t *out, const mp_limb_t *P,
                       size_t D, size_t n, const mpz_t *e, int mul)
{
    const int k52 = m->ifma;
    const size_t L = sc_mont_esz(m, k52);
    const size_t W = (size_t)1 << VC_W;
    mp_limb_t B[((size_t)1 << VC_W) * VC_LMAX];
    mp_limb_t runb[VC_LMAX], accb[VC_LMAX];
    for (size_t j = 0; j < n; j++) {
        const mp_limb_t *bp[1u << VC_W] = {NULL};
        for (size_t i = 0; i < D; i++) {
            unsigned d = digit(e[j], i);
            if (d == 0) {
                continue;
            }
            if (bp[d] == NULL) {
                bp[d] = P + i * L;
            } else {
                mp_limb_t *bd = B + d * L;
                sc_mont_emul(m, k52, bd, bp[d], P + i * L);
                bp[d] = bd;
            }
        }
        /* x^e = Π_d B_d^d: run = Π_{d' >= d} B_d', acc = Π run. acc is
         * first set just as run is, to a B_d (never to runb). */
        const mp_limb_t *run = NULL, *acc = NULL;
        for (size_t d = W - 1; d >= 1; d--) {
            if (bp[d] != NULL) {
                if (run != NULL) {
                    sc_mont_emul(m, k52, runb, run, bp[d]);
                    run = runb;
                } else {
                    run = bp[d];
                }
            }
            if (run != NULL) {
                if (acc != NULL) {
                    sc_mont_emul(m, k52, accb, acc, run);
                    acc = accb;
                } else {
                    acc = run;
                }
            }
        }
        if (acc == NULL) { /* e = 0 */
            if (!mul) {
                mpz_set_ui(out[j], 1);
            }
        } else if (mul) {
            mul_plain(m, k52, out[j], acc);
        } else if (k52) {
            sc_ifma_out_mpz(m, out[j], acc);
        } else {
            sc_mont_to_mpz(m, out[j], acc);
        }
    }
}

/* vc_pow_many, or with mul vc_pow_many_mul. */
static void pow_many(const sc_group *grp, mpz_t *out, const mpz_t x, size_t n,
                     const mpz_t *e, int mul)
{
    const sc_mont *m = sc_grp_mont(grp);
    const int k52 = m->ifma; /* form of every element (mont.h) */
    const size_t L = sc_mont_esz(m, k52);
    const long bits = max_bits(n, e);
    const size_t D = bits > 0 ? ((size_t)bits + VC_W - 1) / VC_W : 0;
    mp_limb_t *P = bits > 0 ? malloc(D * (size_t)L * sizeof *P) : NULL;
    if (P != NULL) {
        chain1(m, k52, P, x, D);
        from_chain(m, out, P, D, n, e, mul);
        free(P);
        return;
    }
    mpz_t t;
    mpz_init(t);
    for (size_t j = 0; j < n; j++) {
        sc_pow(grp, mul ? t : out[j], x, e[j]);
        if (mul) {
            sc_mulmod(grp, out[j], out[j], t);
        }
    }
    mpz_clear(t);
}

void vc_pow_many(const sc_group *grp, mpz_t *out, const mpz_t x, size_t n,
                 const mpz_t *e)
{
    pow_many(grp, out, x, n, e, 0);
}

/* The room of vc_chains: the eight lanes and the kernel's room, then the
 * chains (allocated once, for VC_CHAINS_MAX bases, and kept). */
typedef struct vc_room {
    sc_lanes8 x;
    sc_lanes_room room;
    mp_limb_t P[]; /* 64-byte aligned: the two above are */
} vc_room;

sc_status vc_chains_make(const sc_group *grp, vc_chains *ch, size_t cnt,
                         const mpz_t *bases)
{
    const sc_mont *m = sc_grp_mont(grp);
    const int k52 = m->ifma;
    const size_t L = sc_mont_esz(m, k52);
    const size_t D = (grp->qbits + VC_W - 1) / VC_W;
    ch->cnt = 0;
    if (cnt == 0 || cnt > VC_CHAINS_MAX) {
        return cnt == 0 ? SC_OK : SC_E_MISUSE;
    }
    if (ch->room == NULL || ch->D != D || ch->L != L) {
        free(ch->room);
        ch->room = aligned_alloc(64, sizeof(vc_room) + VC_CHAINS_MAX * D * L *
                                                           sizeof(mp_limb_t));
        if (ch->room == NULL) {
            ch->P = NULL;
            return SC_E_NOMEM;
        }
    }
    vc_room *w = ch->room;
    ch->D = D;
    ch->L = L;
    ch->P = w->P;
    ch->cnt = cnt;
    if (!k52 || cnt < (size_t)sc_lanes8_min(m)) { /* one at a time */
        for (size_t b = 0; b < cnt; b++) {
            chain1(m, k52, ch->P + b * D * L, bases[b], D);
        }
        return SC_OK;
    }
    /* eight chains side by side: lane b holds base b (lanes past cnt
     * square 1) */
    for (size_t b = 0; b < VC_CHAINS_MAX; b++) {
        if (b < cnt) {
            sc_ifma_in_mpz(m, ch->P + b * D * L, bases[b]);
            sc_lanes8_put(m, &w->x, (int)b, ch->P + b * D * L);
        } else {
            sc_lanes8_put(m, &w->x, (int)b, m->one52);
        }
    }
    for (size_t i = 1; i < D; i++) {
        for (int s = 0; s < VC_W; s++) {
            sc_ifma_sqr8(m, &w->x, &w->x, &w->room);
        }
        for (size_t b = 0; b < cnt; b++) {
            sc_lanes8_get(m, ch->P + (b * D + i) * L, &w->x, (int)b);
        }
    }
    return SC_OK;
}

void vc_chains_free(vc_chains *ch)
{
    free(ch->room);
    ch->room = NULL;
    ch->P = NULL;
    ch->cnt = 0;
}

/* vc_pow_many_chain, or with mul vc_pow_many_chain_mul. */
static void pow_many_chain(const sc_group *grp, mpz_t *out, const mpz_t x,
                           const vc_chains *ch, size_t b, size_t n,
                           const mpz_t *e, int mul)
{
    const long bits = max_bits(n, e);
    if (ch == NULL || b >= ch->cnt || bits < 0 || (size_t)bits > ch->D * VC_W) {
        pow_many(grp, out, x, n, e, mul);
        return;
    }
    from_chain(sc_grp_mont(grp), out, ch->P + b * ch->D * ch->L, ch->D, n, e,
               mul);
}

void vc_pow_many_chain(const sc_group *grp, mpz_t *out, const mpz_t x,
                       const vc_chains *ch, size_t b, size_t n, const mpz_t *e)
{
    pow_many_chain(grp, out, x, ch, b, n, e, 0);
}

void vc_pow_many_chain_mul(const sc_group *grp, mpz_t *out, const mpz_t x,
                           const vc_chains *ch, size_t b, size_t n,
                           const mpz_t *e)
{
    pow_many_chain(grp, out, x, ch, b, n, e, 1);
}
