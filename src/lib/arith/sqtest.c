/* The square test of many elements (docs/ARITH.md §5): whether every
 * element added has Legendre symbol +1, for about 17 kernel products per
 * element and SQ_TESTS symbols in all.
 *
 * The symbol is multiplicative, so the symbol of a subset product is the
 * parity of the subset's -1 bits. Test t keeps the product of a random
 * subset S_t of the elements (each element in S_t with probability 1/2,
 * independently of the others and of the other tests); if some element
 * is a non-square, each test's symbol is -1 with probability 1/2,
 * independently, so all SQ_TESTS symbols come out +1 with probability
 * 2^-SQ_TESTS. The subset products are formed with buckets (Pippenger):
 * the tests go in SQ_GROUPS groups of 8; element x draws 16 random bytes
 * r, and byte r[g] names the tests of group g that x is in (test 8g + i
 * iff bit i of r[g]); x multiplies into bucket r[g] of group g (one
 * product per group). At the end, test 8g + i is the product of the
 * group's buckets whose index has bit i: 2 x 255 products per group,
 * whatever the number of elements. */
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"
#include "scrutin/rng.h"

#define SQ_TESTS SC_SQTEST_TESTS /* a non-square passes w.p. 2^-128 */
#define SQ_GROUPS (SQ_TESTS / 8)
#define SQ_BUCKETS 256
/* one more entry after the buckets: a test's product at the end */
#define SQ_ACC ((size_t)SQ_GROUPS * SQ_BUCKETS)
#define SQ_RND 1024 /* random bytes drawn at a time (64 elements) */
/* Up to this many elements the test keeps copies and, if no more come,
 * takes one symbol each at the end (a small record: fewer symbols than
 * the subset products' SQ_TESTS). */
#define SQ_DIRECT SQ_TESTS

struct sc_sqtest {
    const sc_group *grp;
    sc_rng *rng;
    int on;  /* the group has the batched test (toy groups: off) */
    int k52; /* the kernel's R' form (mont.h) */
    size_t nl;
    int bad; /* an element out of range was added */
    mpz_t *direct;
    size_t ndirect;
    int subsets;          /* the buckets have started */
    mp_limb_t *bk;        /* SQ_GROUPS x SQ_BUCKETS products, nl words apart */
    unsigned char *bkset; /* bucket holds a product (else it is 1) */
    int done, result;     /* the verdict, once taken */
    unsigned char rnd[SQ_RND];
    size_t nrnd; /* random bytes left at the end of rnd */
};

sc_status sc_sqtest_new(sc_sqtest **out, const sc_group *grp, sc_rng *rng)
{
    if (out == NULL || grp == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    sc_sqtest *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return SC_E_NOMEM;
    }
    const sc_mont *m = sc_grp_mont(grp);
    t->grp = grp;
    t->rng = rng;
    t->on = grp->ar->batch_ok;
    t->k52 = m->ifma;
    t->nl = sc_mont_esz(m, t->k52);
    if (t->on) {
        t->direct = calloc(SQ_DIRECT, sizeof *t->direct);
        t->bk = malloc((SQ_ACC + 1) * t->nl * sizeof(mp_limb_t));
        t->bkset = calloc(SQ_ACC + 1, 1);
        if (t->direct == NULL || t->bk == NULL || t->bkset == NULL) {
            sc_sqtest_free(t);
            return SC_E_NOMEM;
        }
    }
    *out = t;
    return SC_OK;
}

void sc_sqtest_free(sc_sqtest *t)
{
    if (t == NULL) {
        return;
    }
    if (t->direct != NULL) {
        for (size_t i = 0; i < t->ndirect; i++) {
            mpz_clear(t->direct[i]);
        }
        free(t->direct);
    }
    free(t->bk);
    free(t->bkset);
    free(t);
}

/* Bucket dst *= a (an empty bucket is 1: it becomes a). */
static void bucket_into(sc_sqtest *t, size_t dst, const mp_limb_t *a)
{
    mp_limb_t *d = t->bk + dst * t->nl;
    if (t->bkset[dst]) {
        sc_mont_emul(sc_grp_mont(t->grp), t->k52, d, d, a);
    } else {
        memcpy(d, a, t->nl * sizeof(mp_limb_t));
        t->bkset[dst] = 1;
    }
}

/* dst *= src over buckets that may be empty (1). */
static void bucket_mul(sc_sqtest *t, size_t dst, size_t src)
{
    if (t->bkset[src]) {
        bucket_into(t, dst, t->bk + src * t->nl);
    }
}

/* One element into the buckets: into bucket r[g] of each group g. */
static void bucket_add(sc_sqtest *t, const mpz_t x)
{
    const sc_mont *m = sc_grp_mont(t->grp);
    mp_limb_t xm[SC_IFMA_MAXD];
    if (t->k52) {
        sc_ifma_in_mpz(m, xm, x);
    } else {
        sc_mont_from_mpz(m, xm, x);
    }
    if (t->nrnd < SQ_GROUPS) {
        sc_rng_bytes(t->rng, t->rnd, sizeof t->rnd);
        t->nrnd = sizeof t->rnd;
    }
    const unsigned char *r = t->rnd + sizeof t->rnd - t->nrnd;
    for (size_t g = 0; g < SQ_GROUPS; g++) {
        if (r[g] == 0) {
            continue; /* in none of the group's tests */
        }
        bucket_into(t, g * SQ_BUCKETS + r[g], xm);
    }
    t->nrnd -= SQ_GROUPS;
}

void sc_sqtest_add(sc_sqtest *t, size_t n, const mpz_t *xs)
{
    if (t == NULL || !t->on) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (mpz_sgn(xs[i]) <= 0 || mpz_cmp(xs[i], t->grp->p) >= 0) {
            t->bad = 1;
            continue;
        }
        if (t->subsets) {
            bucket_add(t, xs[i]);
            continue;
        }
        mpz_init_set(t->direct[t->ndirect++], xs[i]);
        if (t->ndirect == SQ_DIRECT) {
            /* more than a few: the copies go into the buckets */
            t->subsets = 1;
            for (size_t k = 0; k < t->ndirect; k++) {
                bucket_add(t, t->direct[k]);
                mpz_clear(t->direct[k]);
            }
            t->ndirect = 0;
        }
    }
}

/* The tests' verdict; with sym, each subset test's symbol too (+1 for
 * all when the buckets never started). The buckets are folded: once. */
static int finish(sc_sqtest *t, signed char *sym)
{
    if (sym != NULL) {
        memset(sym, 1, SQ_TESTS);
    }
    if (t->done) {
        return t->result;
    }
    t->done = 1;
    int ok = !t->bad;
    /* few elements: one symbol each */
    for (size_t i = 0; i < t->ndirect; i++) {
        ok &= mpz_jacobi(t->direct[i], t->grp->p) == 1;
    }
    const sc_mont *m = sc_grp_mont(t->grp);
    mpz_t v;
    mpz_init(v);
    for (size_t g = 0; t->subsets && g < SQ_GROUPS; g++) {
        /* with the buckets of index >= 2^k folded into those below
         * (bucket v the product of all u = v mod 2^k), test 8g + k - 1 is
         * the product of buckets [2^(k-1), 2^k) (into SQ_ACC); then fold
         * once more */
        const size_t b0 = g * SQ_BUCKETS, acc = SQ_ACC;
        for (size_t k = 8; k >= 1; k--) {
            const size_t half = (size_t)1 << (k - 1);
            t->bkset[acc] = 0;
            for (size_t u = half; u < 2 * half; u++) {
                bucket_mul(t, acc, b0 + u);
            }
            if (t->bkset[acc]) { /* else the empty subset: symbol +1 */
                const mp_limb_t *a = t->bk + acc * t->nl;
                if (t->k52) {
                    sc_ifma_out_mpz(m, v, a);
                } else {
                    sc_mont_to_mpz(m, v, a);
                }
                const int j = mpz_jacobi(v, t->grp->p);
                ok &= j == 1;
                if (sym != NULL) {
                    sym[8 * g + k - 1] = (signed char)j;
                }
            }
            for (size_t u = 0; u < half; u++) {
                bucket_mul(t, b0 + u, b0 + u + half);
            }
        }
    }
    mpz_clear(v);
    t->result = ok;
    return ok;
}

int sc_sqtest_ok(sc_sqtest *t)
{
    if (t == NULL) {
        return 0;
    }
    return !t->on || finish(t, NULL);
}

int sc_sqtest_symbols(sc_sqtest *t, signed char sym[SC_SQTEST_TESTS])
{
    if (t == NULL || !t->on) {
        return 0;
    }
    (void)finish(t, sym);
    return t->subsets;
}
