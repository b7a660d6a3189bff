/* Constant-time arithmetic on secret scalars in Z_q (see scalar_ct.h). */
#include "elgamal/scalar_ct.h"

#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "scrutin/core.h"

#define SC_CT_SCRATCH 256 /* limbs; far above the itch for n <= 8 */

static const mp_limb_t *qlimbs(const sc_group *grp)
{
    return mpz_limbs_read(grp->q);
}

size_t sc_ct_nlimbs(const sc_group *grp)
{
    return mpz_size(grp->q);
}

/* 1 if r < q (constant time), else 0. The verdict is public: it is 1 for
 * every valid input. */
static mp_limb_t lt_q(const sc_group *grp, const mp_limb_t *r)
{
    size_t n = sc_ct_nlimbs(grp);
    mp_limb_t t[SC_CT_MAXL];
    mp_limb_t borrow = mpn_sub_n(t, r, qlimbs(grp), (mp_size_t)n);
    sc_wipe(t, sizeof t);
    SC_CT_PUBLIC(&borrow, sizeof borrow);
    return borrow;
}

sc_status sc_ct_load(const sc_group *grp, sc_ct_scalar *r, const mpz_t x)
{
    size_t n = sc_ct_nlimbs(grp);
    size_t xs = mpz_size(x);
    memset(r, 0, sizeof *r);
    if (mpz_sgn(x) < 0 || xs > n) {
        return SC_E_INVALID_RANGE;
    }
    if (xs > 0) {
        memcpy(r->l, mpz_limbs_read(x), xs * sizeof(mp_limb_t));
    }
    if (lt_q(grp, r->l) != 1) {
        sc_ct_wipe(r);
        return SC_E_INVALID_RANGE;
    }
    return SC_OK;
}

sc_status sc_ct_check(const sc_group *grp, const mpz_t x)
{
    sc_ct_scalar t;
    sc_status rc = sc_ct_load(grp, &t, x);
    sc_ct_wipe(&t);
    return rc;
}

void sc_ct_set_u32(const sc_group *grp, sc_ct_scalar *r, uint32_t v)
{
    (void)grp;
    memset(r, 0, sizeof *r);
    r->l[0] = (mp_limb_t)v; /* limbs are at least 32 bits */
}

sc_status sc_ct_set_u64(const sc_group *grp, sc_ct_scalar *r, uint64_t v)
{
    memset(r, 0, sizeof *r);
    /* Every limb of v is written, whatever its value: no mpz (whose limb
     * count would show whether v is 0) and no branch on v. */
    for (size_t i = 0; i * GMP_NUMB_BITS < 64; i++) {
        r->l[i] = (mp_limb_t)(v >> (i * GMP_NUMB_BITS));
    }
    if (lt_q(grp, r->l) != 1) {
        sc_ct_wipe(r);
        return SC_E_INVALID_RANGE;
    }
    return SC_OK;
}

void sc_ct_store(const sc_group *grp, mpz_t x, const sc_ct_scalar *r)
{
    size_t n = sc_ct_nlimbs(grp);
    mp_limb_t *w = mpz_limbs_write(x, (mp_size_t)n);
    memcpy(w, r->l, n * sizeof(mp_limb_t));
    sc_ct_limbs_finish(x, (mp_size_t)n); /* the limb-count exception */
}

void sc_ct_add(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *a,
               const sc_ct_scalar *b)
{
    mp_size_t n = (mp_size_t)sc_ct_nlimbs(grp);
    mp_limb_t s[SC_CT_MAXL], t[SC_CT_MAXL];
    mp_limb_t cy = mpn_add_n(s, a->l, b->l, n);
    mp_limb_t borrow = mpn_sub_n(t, s, qlimbs(grp), n);
    /* a + b >= q iff there was a carry out or no borrow. */
    mp_limb_t use_t = cy | (borrow ^ 1);
    mpn_cnd_swap(use_t, s, t, n);
    memset(r, 0, sizeof *r);
    memcpy(r->l, s, (size_t)n * sizeof(mp_limb_t));
    sc_wipe(s, sizeof s);
    sc_wipe(t, sizeof t);
}

void sc_ct_sub(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *a,
               const sc_ct_scalar *b)
{
    mp_size_t n = (mp_size_t)sc_ct_nlimbs(grp);
    mp_limb_t s[SC_CT_MAXL];
    mp_limb_t borrow = mpn_sub_n(s, a->l, b->l, n);
    mpn_cnd_add_n(borrow, s, s, qlimbs(grp), n);
    memset(r, 0, sizeof *r);
    memcpy(r->l, s, (size_t)n * sizeof(mp_limb_t));
    sc_wipe(s, sizeof s);
}

void sc_ct_mul(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *a,
               const sc_ct_scalar *b)
{
    mp_size_t n = (mp_size_t)sc_ct_nlimbs(grp);
    mp_limb_t prod[2 * SC_CT_MAXL];
    mp_limb_t scratch[SC_CT_SCRATCH];
    if (mpn_sec_mul_itch(n, n) > SC_CT_SCRATCH ||
        mpn_sec_div_r_itch(2 * n, n) > SC_CT_SCRATCH) {
        abort(); /* invariant: n <= SC_CT_MAXL */
    }
    mpn_sec_mul(prod, a->l, n, b->l, n, scratch);
    mpn_sec_div_r(prod, 2 * n, qlimbs(grp), n, scratch);
    memset(r, 0, sizeof *r);
    memcpy(r->l, prod, (size_t)n * sizeof(mp_limb_t));
    sc_wipe(prod, sizeof prod);
    sc_wipe(scratch, sizeof scratch);
}

void sc_ct_mulsub(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *u,
                  const sc_ct_scalar *c, const sc_ct_scalar *x)
{
    sc_ct_scalar t;
    sc_ct_mul(grp, &t, c, x);
    sc_ct_sub(grp, r, u, &t);
    sc_ct_wipe(&t);
}

void sc_ct_select(sc_ct_scalar *r, const sc_ct_scalar *a, mp_limb_t mask)
{
    mp_limb_t m = (mp_limb_t)0 - (mask & 1);
    for (size_t i = 0; i < SC_CT_MAXL; i++) {
        r->l[i] = (r->l[i] & ~m) | (a->l[i] & m);
    }
}

mp_limb_t sc_ct_eq_u32(uint32_t a, uint32_t b)
{
    uint64_t x = (uint64_t)(a ^ b); /* < 2^32 */
    return (mp_limb_t)((x - 1) >> 63);
}

void sc_ct_to_be32(const sc_group *grp, uint8_t out[32], const sc_ct_scalar *r)
{
    size_t n = sc_ct_nlimbs(grp);
    memset(out, 0, 32);
    for (size_t i = 0; i < n; i++) {
        for (size_t b = 0; b < sizeof(mp_limb_t); b++) {
            size_t pos = i * sizeof(mp_limb_t) + b; /* from the right */
            if (pos < 32) {
                out[31 - pos] = (uint8_t)(r->l[i] >> (8 * b));
            }
        }
    }
}

sc_status sc_ct_from_be32(const sc_group *grp, sc_ct_scalar *r,
                          const uint8_t in[32])
{
    size_t n = sc_ct_nlimbs(grp);
    size_t keep = n * sizeof(mp_limb_t); /* bytes that fit in n limbs */
    uint8_t high = 0;
    memset(r, 0, sizeof *r);
    for (size_t pos = 0; pos < 32; pos++) {
        uint8_t byte = in[31 - pos];
        if (pos < keep) {
            r->l[pos / sizeof(mp_limb_t)] |= (mp_limb_t)byte
                                             << (8 * (pos % sizeof(mp_limb_t)));
        } else {
            high |= byte;
        }
    }
    SC_CT_PUBLIC(&high, sizeof high); /* 0 for every valid input */
    mp_limb_t ok = lt_q(grp, r->l) & (mp_limb_t)(high == 0);
    if (ok != 1) {
        sc_ct_wipe(r);
        return SC_E_INVALID_RANGE;
    }
    return SC_OK;
}

void sc_ct_wipe(sc_ct_scalar *r)
{
    sc_wipe(r, sizeof *r);
}

sc_status sc_ct_mpz_mulsub(const sc_group *grp, mpz_t out, const mpz_t u,
                           const mpz_t c, const mpz_t x)
{
    sc_status rc;
    sc_ct_scalar su, sc, sx;
    memset(&su, 0, sizeof su);
    memset(&sc, 0, sizeof sc);
    memset(&sx, 0, sizeof sx);
    SC_CHECK(sc_ct_load(grp, &su, u));
    SC_CHECK(sc_ct_load(grp, &sc, c));
    SC_CHECK(sc_ct_load(grp, &sx, x));
    sc_ct_mulsub(grp, &su, &su, &sc, &sx);
    sc_ct_store(grp, out, &su);
done:
    sc_ct_wipe(&su);
    sc_ct_wipe(&sc);
    sc_ct_wipe(&sx);
    return rc;
}

sc_status sc_ct_mpz_add(const sc_group *grp, mpz_t out, const mpz_t a,
                        const mpz_t b)
{
    sc_status rc;
    sc_ct_scalar sa, sb;
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    SC_CHECK(sc_ct_load(grp, &sa, a));
    SC_CHECK(sc_ct_load(grp, &sb, b));
    sc_ct_add(grp, &sa, &sa, &sb);
    sc_ct_store(grp, out, &sa);
done:
    sc_ct_wipe(&sa);
    sc_ct_wipe(&sb);
    return rc;
}

sc_status sc_ct_mpz_neg(const sc_group *grp, mpz_t out, const mpz_t a)
{
    sc_status rc;
    sc_ct_scalar sa, z;
    memset(&sa, 0, sizeof sa);
    memset(&z, 0, sizeof z);
    SC_CHECK(sc_ct_load(grp, &sa, a));
    sc_ct_sub(grp, &sa, &z, &sa);
    sc_ct_store(grp, out, &sa);
done:
    sc_ct_wipe(&sa);
    return rc;
}
