/* The square test of many elements (docs/ARITH.md §5): whether every
 * element added has Legendre symbol +1, for about 31 kernel products per
 * element and SQ_TESTS symbols in all.
 *
 * The symbol is multiplicative, so the symbol of a subset product is the
 * parity of the subset's -1 bits. Test t keeps the product of a random
 * subset S_t of the elements (each element in S_t with probability 1/2,
 * independently of the others and of the other tests); if some element
 * is a non-square, each test's symbol is -1 with probability 1/2,
 * independently, so all SQ_TESTS symbols come out +1 with probability
 * 2^-SQ_TESTS. The subset products are formed four-Russians style: the
 * elements come in chunks of SQ_CHUNK, the 2^SQ_CHUNK products of each
 * chunk's subsets are built once (2^c - c - 1 products), then each test
 * multiplies in the entry its SQ_CHUNK random bits name. */
#include <stdlib.h>
#include <string.h>

#include "arith/arith_internal.h"
#include "scrutin/rng.h"

#define SQ_TESTS 128 /* lambda: a non-square passes w.p. 2^-128 */
#define SQ_CHUNK 6   /* 57 table products + 128 test products per chunk */
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
    int subsets;           /* the subset products have started */
    mp_limb_t *acc;        /* SQ_TESTS products, nl words apart */
    unsigned char *accset; /* acc[t] holds a product (else it is 1) */
    mp_limb_t *tab;        /* 2^SQ_CHUNK subset products of the chunk */
    size_t nch;            /* elements in the chunk so far */
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
        t->acc = malloc(SQ_TESTS * t->nl * sizeof(mp_limb_t));
        t->accset = calloc(SQ_TESTS, 1);
        t->tab = malloc(((size_t)1 << SQ_CHUNK) * t->nl * sizeof(mp_limb_t));
        if (t->direct == NULL || t->acc == NULL || t->accset == NULL ||
            t->tab == NULL) {
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
    free(t->acc);
    free(t->accset);
    free(t->tab);
    free(t);
}

/* The chunk's elements so far into the tests: each multiplies in the
 * subset product its random bits name (none: the empty subset). */
static void flush_chunk(sc_sqtest *t)
{
    const sc_mont *m = sc_grp_mont(t->grp);
    const unsigned mask = (1u << t->nch) - 1;
    unsigned char bits[SQ_TESTS];
    sc_rng_bytes(t->rng, bits, sizeof bits);
    for (size_t i = 0; i < SQ_TESTS; i++) {
        const unsigned s = bits[i] & mask;
        if (s == 0) {
            continue;
        }
        mp_limb_t *a = t->acc + i * t->nl;
        const mp_limb_t *e = t->tab + s * t->nl;
        if (t->accset[i]) {
            sc_mont_emul(m, t->k52, a, a, e);
        } else {
            memcpy(a, e, t->nl * sizeof(mp_limb_t));
            t->accset[i] = 1;
        }
    }
    t->nch = 0;
}

/* One element into the chunk: entry 2^j is x, entries 2^j + s for
 * 0 < s < 2^j are x times entry s (2^j - 1 products). */
static void chunk_add(sc_sqtest *t, const mpz_t x)
{
    const sc_mont *m = sc_grp_mont(t->grp);
    const size_t j = (size_t)1 << t->nch;
    mp_limb_t *tx = t->tab + j * t->nl;
    if (t->k52) {
        sc_ifma_in_mpz(m, tx, x);
    } else {
        sc_mont_from_mpz(m, tx, x);
    }
    for (size_t s = 1; s < j; s++) {
        sc_mont_emul(m, t->k52, t->tab + (j + s) * t->nl, tx,
                     t->tab + s * t->nl);
    }
    if (++t->nch == SQ_CHUNK) {
        flush_chunk(t);
    }
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
            chunk_add(t, xs[i]);
            continue;
        }
        mpz_init_set(t->direct[t->ndirect++], xs[i]);
        if (t->ndirect == SQ_DIRECT) {
            /* more than a few: the copies go into the subset products */
            t->subsets = 1;
            for (size_t k = 0; k < t->ndirect; k++) {
                chunk_add(t, t->direct[k]);
                mpz_clear(t->direct[k]);
            }
            t->ndirect = 0;
        }
    }
}

int sc_sqtest_ok(sc_sqtest *t)
{
    if (t == NULL) {
        return 0;
    }
    if (!t->on) {
        return 1;
    }
    int ok = !t->bad;
    /* few elements: one symbol each */
    for (size_t i = 0; i < t->ndirect; i++) {
        ok &= mpz_jacobi(t->direct[i], t->grp->p) == 1;
    }
    if (t->subsets) {
        if (t->nch > 0) {
            flush_chunk(t);
        }
        const sc_mont *m = sc_grp_mont(t->grp);
        mpz_t v;
        mpz_init(v);
        for (size_t i = 0; i < SQ_TESTS; i++) {
            if (!t->accset[i]) {
                continue; /* the empty subset: symbol +1 */
            }
            const mp_limb_t *a = t->acc + i * t->nl;
            if (t->k52) {
                sc_ifma_out_mpz(m, v, a);
            } else {
                sc_mont_to_mpz(m, v, a);
            }
            ok &= mpz_jacobi(v, t->grp->p) == 1;
        }
        mpz_clear(v);
    }
    return ok;
}
