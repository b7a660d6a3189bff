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

/* out[j] = x^e[j] from the chain P of x (D entries, enough for every
 * e[j]): for each exponent B_d = Π {P_i : digit i is d}, then Π B_d^d. */
static int from_chain(const sc_mont *m, mpz_t *out, const mp_limb_t *P,
                      size_t D, size_t n, const mpz_t *e)
{
    const int k52 = m->ifma;
    const size_t L = sc_mont_esz(m, k52);
    const size_t W = (size_t)1 << VC_W;
    mp_limb_t *B = malloc(W * (size_t)L * sizeof *B);
    mp_limb_t *acc = malloc(2 * (size_t)L * sizeof *acc);
    if (B == NULL || acc == NULL) {
        free(B);
        free(acc);
        return 0;
    }
    mp_limb_t *run = acc + L;
    for (size_t j = 0; j < n; j++) {
        unsigned char used[1u << VC_W];
        memset(used, 0, sizeof used);
        for (size_t i = 0; i < D; i++) {
            unsigned d = digit(e[j], i);
            if (d == 0) {
                continue;
            }
            mp_limb_t *bd = B + d * (size_t)L;
            if (!used[d]) {
                memcpy(bd, P + i * (size_t)L, (size_t)L * sizeof *bd);
                used[d] = 1;
            } else {
                sc_mont_emul(m, k52, bd, bd, P + i * L);
            }
        }
        /* x^e = Π_d B_d^d: run = Π_{d' >= d} B_d', acc = Π run. */
        int have_run = 0, have_acc = 0;
        for (size_t d = W - 1; d >= 1; d--) {
            if (used[d]) {
                if (have_run) {
                    sc_mont_emul(m, k52, run, run, B + d * L);
                } else {
                    memcpy(run, B + d * (size_t)L, (size_t)L * sizeof *run);
                    have_run = 1;
                }
            }
            if (have_run) {
                if (have_acc) {
                    sc_mont_emul(m, k52, acc, acc, run);
                } else {
                    memcpy(acc, run, (size_t)L * sizeof *acc);
                    have_acc = 1;
                }
            }
        }
        if (have_acc) {
            if (k52) {
                sc_ifma_out_mpz(m, out[j], acc);
            } else {
                sc_mont_to_mpz(m, out[j], acc);
            }
        } else {
            mpz_set_ui(out[j], 1); /* e = 0 */
        }
    }
    free(B);
    free(acc);
    return 1;
}

void vc_pow_many(const sc_group *grp, mpz_t *out, const mpz_t x, size_t n,
                 const mpz_t *e)
{
    const sc_mont *m = sc_grp_mont(grp);
    const int k52 = m->ifma; /* form of every element (mont.h) */
    const size_t L = sc_mont_esz(m, k52);
    const long bits = max_bits(n, e);
    const size_t D = bits > 0 ? ((size_t)bits + VC_W - 1) / VC_W : 0;
    mp_limb_t *P = bits > 0 ? malloc(D * (size_t)L * sizeof *P) : NULL;
    if (P != NULL) {
        chain1(m, k52, P, x, D);
    }
    if (P == NULL || !from_chain(m, out, P, D, n, e)) {
        for (size_t j = 0; j < n; j++) {
            sc_pow(grp, out[j], x, e[j]);
        }
    }
    free(P);
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

void vc_pow_many_chain(const sc_group *grp, mpz_t *out, const mpz_t x,
                       const vc_chains *ch, size_t b, size_t n, const mpz_t *e)
{
    const long bits = max_bits(n, e);
    if (ch == NULL || b >= ch->cnt || bits < 0 || (size_t)bits > ch->D * VC_W ||
        !from_chain(sc_grp_mont(grp), out, ch->P + b * ch->D * ch->L, ch->D, n,
                    e)) {
        vc_pow_many(grp, out, x, n, e);
    }
}
