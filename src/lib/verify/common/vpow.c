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

void vc_pow_many(const sc_group *grp, mpz_t *out, const mpz_t x, size_t n,
                 const mpz_t *e)
{
    const sc_mont *m = sc_grp_mont(grp);
    const int k52 = m->ifma; /* form of every element (mont.h) */
    const size_t L = sc_mont_esz(m, k52);
    const size_t W = (size_t)1 << VC_W;
    size_t bits = 1;
    int fallback = 0;
    for (size_t j = 0; j < n; j++) {
        if (mpz_sgn(e[j]) < 0) {
            fallback = 1;
        }
        size_t b = mpz_sizeinbase(e[j], 2);
        bits = b > bits ? b : bits;
    }
    const size_t D = (bits + VC_W - 1) / VC_W;
    mp_limb_t *P = fallback ? NULL : malloc(D * (size_t)L * sizeof *P);
    mp_limb_t *B = fallback ? NULL : malloc(W * (size_t)L * sizeof *B);
    mp_limb_t *acc = fallback ? NULL : malloc(2 * (size_t)L * sizeof *acc);
    if (P == NULL || B == NULL || acc == NULL) {
        free(P);
        free(B);
        free(acc);
        for (size_t j = 0; j < n; j++) {
            sc_pow(grp, out[j], x, e[j]);
        }
        return;
    }
    mp_limb_t *run = acc + L;
    /* P_i = x^(2^(w i)) */
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
    free(P);
    free(B);
    free(acc);
}
