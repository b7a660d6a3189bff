/* Scrutin: many constant-time exponentiations at once (sc_pow_secret_many).
 *
 * On the IFMA kernel eight exponentiations run side by side, one per lane
 * of the 8-lane kernels (ifma_lanes.c): the same fixed window as
 * sc_pow_secret (SC_POW_CT_W bits, a 16-entry table per lane, w squarings
 * and one product per window), where every vector instruction works on
 * eight digit pairs that all count. The window digit of each lane is
 * picked from its own table by masks (one compare of the eight digits
 * with d per entry), so every entry of every lane is read whatever the
 * digits. Off the kernel: one sc_pow_secret per element. */
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"
#include "core/ct_mark.h"
#include "scrutin/core.h"

#define PL_LANES 8
#define PL_CNT (1u << SC_POW_CT_W) /* table entries per lane */
/* Windows of the largest exponent the work area holds: a 256-bit q (both
 * groups of the kernel). A larger q goes one element at a time. */
#define PL_MAXWIN 64
_Static_assert(GMP_NUMB_BITS % SC_POW_CT_W == 0, "a digit is in one limb");

/* Everything secret of one call, allocated once (105 KB) and
 * wiped before it is freed. */
typedef struct pl_work {
    sc_lanes8 tab[PL_CNT]; /* entry d of lane l: b_l^d R' */
    sc_lanes8 acc, sel;
    sc_lanes_room room;
    /* the window digits: digit i of lane l at dig[8 i + l] */
    _Alignas(64) uint64_t dig[PL_MAXWIN * PL_LANES];
} pl_work;

#ifdef SC_HAVE_IFMA
#include <immintrin.h>

/* out = in every lane l, entry dig[l] of lane l's table: each of the 16
 * entries is loaded whole and kept in the lanes whose digit equals its
 * index (a compare into a lane mask, then masked moves). */
static __attribute__((target("avx512f"))) void select8(const sc_mont *m,
                                                       sc_lanes8 *out,
                                                       const sc_lanes8 *tab,
                                                       const uint64_t *dig)
{
    const __m512i dv = _mm512_load_si512((const void *)dig);
    __mmask8 k[PL_CNT];
    for (unsigned d = 0; d < PL_CNT; d++) {
        k[d] = _mm512_cmpeq_epi64_mask(dv, _mm512_set1_epi64((long long)d));
    }
    for (int j = 0; j < m->nd52; j++) {
        __m512i acc = _mm512_setzero_si512();
        for (unsigned d = 0; d < PL_CNT; d++) {
            acc = _mm512_mask_mov_epi64(
                acc, k[d], _mm512_load_si512((const void *)(tab[d].v + 8 * j)));
        }
        _mm512_store_si512((void *)(out->v + 8 * j), acc);
    }
}
#else
static void select8(const sc_mont *m, sc_lanes8 *out, const sc_lanes8 *tab,
                    const uint64_t *dig)
{
    (void)m;
    (void)out;
    (void)tab;
    (void)dig;
}
#endif

/* The window digits of exponent e (in the range of sc_pow_ct_fits) into
 * lane `lane` of wk->dig: the limbs are read whole (nwin w bits), as
 * sc_pow_secret does. */
static void put_digits(pl_work *wk, int lane, const mpz_t e, unsigned nwin)
{
    mp_limb_t el[PL_MAXWIN * SC_POW_CT_W / GMP_NUMB_BITS] = {0};
    const mp_limb_t mask = ((mp_limb_t)1 << SC_POW_CT_W) - 1;
    memcpy(el, mpz_limbs_read(e), mpz_size(e) * sizeof *el);
    for (unsigned i = 0; i < nwin; i++) {
        size_t bit = (size_t)i * SC_POW_CT_W;
        wk->dig[PL_LANES * i + (unsigned)lane] =
            (el[bit / GMP_NUMB_BITS] >> (bit % GMP_NUMB_BITS)) & mask;
    }
    sc_wipe(el, sizeof el);
}

/* out[idx[j]] = bases[idx[j]]^exps[idx[j]] for j < c (1 <= c <= 8), the
 * exponents in range: lanes c..7 run base 1 to exponent 0. Every input is
 * read before any output is written. */
static void run8(const sc_group *grp, pl_work *wk, const size_t *idx, int c,
                 mpz_t *out, const mpz_t *bases, const mpz_t *exps)
{
    const sc_mont *m = sc_grp_mont(grp);
    const unsigned nwin = sc_pow_ct_nwin(grp);
    uint64_t d52[SC_IFMA_MAXD];
    for (int l = 0; l < PL_LANES; l++) {
        sc_lanes8_put(m, &wk->tab[0], l, m->one52); /* b^0 R' = R' mod p */
        if (l < c) {
            sc_ifma_in_mpz(m, d52, bases[idx[l]]); /* b R' */
            sc_lanes8_put(m, &wk->tab[1], l, d52);
            put_digits(wk, l, exps[idx[l]], nwin);
        } else {
            sc_lanes8_put(m, &wk->tab[1], l, m->one52);
            for (unsigned i = 0; i < nwin; i++) {
                wk->dig[PL_LANES * i + (unsigned)l] = 0;
            }
        }
    }
    for (unsigned d = 2; d < PL_CNT; d++) {
        sc_ifma_mul8(m, &wk->tab[d], &wk->tab[d - 1], &wk->tab[1], &wk->room);
    }
    /* Left to right, the same for every digit (a 0 digit multiplies by
     * entry 0 = R'): after window i, acc_l = b_l^(e_l >> w i) R'. */
    select8(m, &wk->acc, wk->tab, wk->dig + PL_LANES * (nwin - 1));
    for (unsigned i = nwin - 1; i-- > 0;) {
        for (unsigned k = 0; k < SC_POW_CT_W; k++) {
            sc_ifma_sqr8(m, &wk->acc, &wk->acc, &wk->room);
        }
        select8(m, &wk->sel, wk->tab, wk->dig + PL_LANES * i);
        sc_ifma_mul8(m, &wk->acc, &wk->acc, &wk->sel, &wk->room);
    }
    /* x R' / R' = x (< 2p): a product with plain 1 in every lane */
    memset(wk->sel.v, 0, sizeof wk->sel.v);
    for (int l = 0; l < PL_LANES; l++) {
        wk->sel.v[l] = 1;
    }
    sc_ifma_mul8(m, &wk->acc, &wk->acc, &wk->sel, &wk->room);
    for (int l = 0; l < c; l++) {
        sc_lanes8_get(m, d52, &wk->acc, l);
        mp_limb_t *o = mpz_limbs_write(out[idx[l]], m->n);
        sc_ifma_to_limbs(m, o, d52); /* fully reduced */
        /* mpz normalisation: as sc_pow_secret (docs/ARITH.md §7) */
        sc_ct_limbs_finish(out[idx[l]], m->n);
    }
    sc_wipe(d52, sizeof d52);
}

/* see scrutin/arith.h */
void sc_pow_secret_many(const sc_group *grp, mpz_t *out, size_t n,
                        const mpz_t *bases, const mpz_t *exps)
{
    const sc_mont *m = sc_grp_mont(grp);
    pl_work *wk = NULL;
    /* a last group of fewer runs as sc_pow_secret calls: a padded group
     * costs what a full one does */
    const int single_max = sc_lanes8_min(m) - 1;
    if (m->ifma && n > (size_t)single_max && sc_pow_ct_nwin(grp) <= PL_MAXWIN) {
        wk = aligned_alloc(64, sizeof *wk);
    }
    if (wk == NULL) { /* off the kernel, too few, or no memory */
        for (size_t i = 0; i < n; i++) {
            sc_pow_secret(grp, out[i], bases[i], exps[i]);
        }
        return;
    }
    /* Elements with the exponent in range gather in groups of eight; one
     * outside it goes alone to sc_pow_secret's own path for it. */
    size_t idx[PL_LANES];
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        if (!sc_pow_ct_fits(grp, exps[i])) {
            sc_pow_secret(grp, out[i], bases[i], exps[i]);
            continue;
        }
        idx[c++] = i;
        if (c == PL_LANES) {
            run8(grp, wk, idx, c, out, bases, exps);
            c = 0;
        }
    }
    if (c > single_max) {
        run8(grp, wk, idx, c, out, bases, exps);
    } else {
        for (int j = 0; j < c; j++) {
            sc_pow_secret(grp, out[idx[j]], bases[idx[j]], exps[idx[j]]);
        }
    }
    sc_wipe(wk, sizeof *wk);
    free(wk);
    sc_ifma_burn();
}
