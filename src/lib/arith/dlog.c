/* Scrutin: discrete logarithm of base^t for small t (tallies: spec §3.6.2,
 * eq 82, T = K^t with t at most the number of votes). Baby-step giant-step: m
 * baby steps base^j (0 <= j < m) in a hash table, giant steps y base^(-m i). A
 * query for t costs floor(t/m) + 1 giant steps, so with m = ceil(sqrt(max_t+1))
 * every query is at most sqrt(max_t) + 1 products and a tally below m (the
 * usual case) is found at the first giant step. Setup is m products:
 * sqrt(10^7) ~ 3200, a few milliseconds; nothing is spent on the 10^7
 * range beyond that. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"

/* Memory cap: 2^20 baby steps (512 MiB at 4096 bits would be too much;
 * 2^20 entries of 512 bytes is still large, so sqrt(max_t) above that
 * just means more giant steps per query). */
#define SC_DLOG_MAX_BABY ((uint64_t)1 << 20)

struct sc_dlog {
    const sc_group *grp;
    uint64_t max_t;
    uint64_t m;                    /* baby steps */
    mp_size_t n;                   /* limbs per element */
    mp_limb_t *baby;               /* m elements, Montgomery form */
    uint32_t *slots;               /* open addressing: index + 1, 0 = empty */
    size_t mask;                   /* slots - 1 (power of two) */
    mp_limb_t giant[SC_MONT_MAXN]; /* base^-m, Montgomery form */
};

/* The low limb of a Montgomery-form element is as good as random, so it
 * serves as the hash directly (a public value: no keyed hash needed). */
static size_t slot_of(const sc_dlog *dl, const mp_limb_t *x)
{
    mp_limb_t h = x[0] * (mp_limb_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & dl->mask;
}

/* Index j of x among the baby steps, or -1. */
static long long lookup(const sc_dlog *dl, const mp_limb_t *x)
{
    for (size_t s = slot_of(dl, x);; s = (s + 1) & dl->mask) {
        uint32_t v = dl->slots[s];
        if (v == 0) {
            return -1;
        }
        const mp_limb_t *b = dl->baby + (size_t)(v - 1) * (size_t)dl->n;
        if (mpn_cmp(b, x, dl->n) == 0) {
            return (long long)(v - 1);
        }
    }
}

sc_status sc_dlog_new(sc_dlog **out, const sc_group *grp, const mpz_t base,
                      uint64_t max_t)
{
    if (out == NULL || grp == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    const sc_mont *mo = sc_grp_mont(grp);
    sc_dlog *dl = calloc(1, sizeof *dl);
    if (dl == NULL) {
        return SC_E_NOMEM;
    }
    dl->grp = grp;
    dl->max_t = max_t;
    dl->n = mo->n;
    /* m = ceil(sqrt(max_t + 1)), capped. */
    uint64_t m = (uint64_t)sqrt((double)max_t);
    if (m > SC_DLOG_MAX_BABY) {
        m = SC_DLOG_MAX_BABY;
    }
    while (m < SC_DLOG_MAX_BABY && m * m <= max_t) {
        m++;
    }
    if (m == 0) {
        m = 1;
    }
    dl->m = m;
    size_t cap = 16;
    while (cap < 2 * m) {
        cap *= 2;
    }
    dl->mask = cap - 1;
    dl->baby = malloc((size_t)m * (size_t)dl->n * sizeof(mp_limb_t));
    dl->slots = calloc(cap, sizeof(uint32_t));
    if (dl->baby == NULL || dl->slots == NULL) {
        sc_dlog_free(dl);
        return SC_E_NOMEM;
    }
    mp_limb_t b[SC_MONT_MAXN], cur[SC_MONT_MAXN];
    sc_mont_from_mpz(mo, b, base);
    memcpy(cur, mo->one, (size_t)dl->n * sizeof(mp_limb_t));
    for (uint64_t j = 0; j < m; j++) {
        mp_limb_t *dst = dl->baby + (size_t)j * (size_t)dl->n;
        memcpy(dst, cur, (size_t)dl->n * sizeof(mp_limb_t));
        /* Keep the smallest j when base has order < m (toy groups), so
         * the smallest t is returned. */
        if (lookup(dl, cur) < 0) {
            size_t s = slot_of(dl, cur);
            while (dl->slots[s] != 0) {
                s = (s + 1) & dl->mask;
            }
            dl->slots[s] = (uint32_t)(j + 1);
        }
        sc_mont_mul(mo, cur, cur, b);
    }
    /* cur = base^m; giant step = its inverse. */
    mpz_t t;
    mpz_init(t);
    sc_mont_to_mpz(mo, t, cur);
    if (!mpz_invert(t, t, grp->p)) {
        mpz_clear(t);
        sc_dlog_free(dl);
        return SC_E_INVALID; /* base = 0 mod p */
    }
    sc_mont_from_mpz(mo, dl->giant, t);
    mpz_clear(t);
    *out = dl;
    return SC_OK;
}

void sc_dlog_free(sc_dlog *dl)
{
    if (dl != NULL) {
        free(dl->baby);
        free(dl->slots);
        free(dl);
    }
}

sc_status sc_dlog_find(const sc_dlog *dl, uint64_t *t, const mpz_t y)
{
    if (dl == NULL || t == NULL) {
        return SC_E_MISUSE;
    }
    const sc_mont *mo = sc_grp_mont(dl->grp);
    mp_limb_t x[SC_MONT_MAXN];
    sc_mont_from_mpz(mo, x, y);
    /* Giant steps i = 0, 1, ... while i m <= max_t. */
    for (uint64_t i = 0; i <= dl->max_t / dl->m; i++) {
        long long j = lookup(dl, x);
        if (j >= 0) {
            uint64_t cand = i * dl->m + (uint64_t)j;
            if (cand <= dl->max_t) {
                *t = cand;
                return SC_OK;
            }
            return SC_E_RANGE;
        }
        sc_mont_mul(mo, x, x, dl->giant);
    }
    return SC_E_RANGE;
}
