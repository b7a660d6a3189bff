/* sc_pow_secret_many (src/lib/arith/pow_lanes.c) against mpz_powm and
 * sc_pow_secret: both big groups (eight lanes at once on the IFMA kernel,
 * one call per element without it) and a toy group, n = 0, 1, 2, 7, 8,
 * 9, 17 (full groups, padded groups, one or two left over), every edge
 * exponent and base in every lane position, exponents outside [0, q)
 * among in-range ones (the lanes shift), and the documented aliasing. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include "arith/arith_internal.h"
#include "scrutin/proof.h"

static const sc_group_id groups[] = {SC_GROUP_STANDARD, SC_GROUP_3072,
                                     SC_GROUP_TOY_Q64};
#define NGRP (sizeof groups / sizeof groups[0])
static const size_t sizes[] = {0, 1, 2, 7, 8, 9, 17};
#define NSIZES (sizeof sizes / sizeof sizes[0])
#define MAXN 17

#define NEXP 5  /* 0, 1, 2, q - 1, random */
#define NBASE 6 /* 1, 2, p - 1, g, a random member, a non-member (4) */

static void exp_kind(const sc_group *g, gmp_randstate_t rs, int k, mpz_t e)
{
    switch (k) {
    case 0: mpz_set_ui(e, 0); break;
    case 1: mpz_set_ui(e, 1); break;
    case 2: mpz_set_ui(e, 2); break;
    case 3: mpz_sub_ui(e, g->q, 1); break;
    default: mpz_urandomm(e, rs, g->q); break;
    }
}

static void base_kind(const sc_group *g, gmp_randstate_t rs, int k, mpz_t b)
{
    switch (k) {
    case 0: mpz_set_ui(b, 1); break;
    case 1: mpz_set_ui(b, 2); break;
    case 2: mpz_sub_ui(b, g->p, 1); break;
    case 3: mpz_set(b, g->g); break;
    case 4:
        mpz_urandomm(b, rs, g->q);
        mpz_powm(b, g->g, b, g->p);
        break;
    default: t_nonmember(g, b, 1); break;
    }
}

typedef struct arrs {
    mpz_t b[MAXN], e[MAXN], out[MAXN], want[MAXN];
} arrs;

static void arrs_init(arrs *a)
{
    for (int i = 0; i < MAXN; i++) {
        mpz_inits(a->b[i], a->e[i], a->out[i], a->want[i], NULL);
    }
}

static void arrs_clear(arrs *a)
{
    for (int i = 0; i < MAXN; i++) {
        mpz_clears(a->b[i], a->e[i], a->out[i], a->want[i], NULL);
    }
}

#define SC_CB(x) ((const mpz_t *)(x))

static void check_out(const arrs *a, size_t n, const sc_group *g, size_t r)
{
    for (size_t i = 0; i < n; i++) {
        if (mpz_cmp(a->out[i], a->want[i]) != 0) {
            print_error("group %d n %zu round %zu: element %zu (lane %zu) "
                        "differs\n",
                        (int)g->id, n, r, i, i % 8);
            fail();
        }
    }
}

/* Round r gives element i exponent kind (i + r) mod NEXP and base kind
 * (i + r) mod NBASE: over the rounds every kind reaches every lane i mod 8
 * (and the pairs change from round to round). */
static void fill(const sc_group *g, gmp_randstate_t rs, arrs *a, size_t n,
                 size_t r)
{
    for (size_t i = 0; i < n; i++) {
        exp_kind(g, rs, (int)((i + r) % NEXP), a->e[i]);
        base_kind(g, rs, (int)((i + r) % NBASE), a->b[i]);
    }
}

/* body(g, rs, a) for each group, with a seeded gmp state and arrays. */
static void each_group(unsigned long seed,
                       void (*body)(const sc_group *, gmp_randstate_t, arrs *))
{
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, seed);
    arrs a;
    arrs_init(&a);
    for (size_t gi = 0; gi < NGRP; gi++) {
        sc_group *g = t_group(groups[gi]);
        /* the lanes run wherever the kernel does (not on the fallback) */
        assert_int_equal(g->ar->mont.ifma,
                         gi < 2 && sc_ifma_cpu() && sc_mont_ifma_enabled());
        body(g, rs, &a);
        sc_group_free(g);
    }
    arrs_clear(&a);
    gmp_randclear(rs);
}

static void powm_body(const sc_group *g, gmp_randstate_t rs, arrs *a)
{
    for (size_t si = 0; si < NSIZES; si++) {
        size_t n = sizes[si];
        for (size_t r = 0; r < 8; r++) {
            fill(g, rs, a, n, r);
            for (size_t i = 0; i < n; i++) {
                mpz_powm(a->want[i], a->b[i], a->e[i], g->p);
                mpz_set_ui(a->out[i], 12345); /* overwritten */
            }
            sc_pow_secret_many(g, a->out, n, SC_CB(a->b), SC_CB(a->e));
            check_out(a, n, g, r);
        }
    }
}

static void against_powm(void **state)
{
    (void)state;
    each_group(4242, powm_body);
}

/* Exponents outside [0, q) (negative, q + 1 bits, p - 1) and bases outside
 * [0, p) (0, p, p + 5, -2) among in-range ones: each element's result is
 * sc_pow_secret's (the others move to other lanes). */
static void outside(const sc_group *g, gmp_randstate_t rs, arrs *a, size_t i,
                    size_t r)
{
    if ((i + r) % 5 == 0) { /* outside the exponent range */
        switch ((i + r) % 3) {
        case 0: mpz_set_si(a->e[i], -3); break;
        case 1: /* one bit more than the windows hold */
            mpz_set_ui(a->e[i], 1);
            mpz_mul_2exp(a->e[i], a->e[i], sc_pow_ct_nwin(g) * SC_POW_CT_W);
            mpz_add_ui(a->e[i], a->e[i], 7);
            break;
        default: mpz_sub_ui(a->e[i], g->p, 1); break;
        }
        assert_false(sc_pow_ct_fits(g, a->e[i]));
        base_kind(g, rs, 4, a->b[i]); /* the contract's base */
    }
    if ((i + r) % 7 == 3) { /* outside [0, p) */
        switch ((i + r) % 4) {
        case 0: mpz_set_ui(a->b[i], 0); break;
        case 1: mpz_set(a->b[i], g->p); break;
        case 2: mpz_add_ui(a->b[i], g->p, 5); break;
        default: mpz_set_si(a->b[i], -2); break;
        }
    }
}

static void single_body(const sc_group *g, gmp_randstate_t rs, arrs *a)
{
    for (size_t r = 0; r < 6; r++) {
        fill(g, rs, a, MAXN, r);
        for (size_t i = 0; i < MAXN; i++) {
            outside(g, rs, a, i, r);
            sc_pow_secret(g, a->want[i], a->b[i], a->e[i]);
        }
        sc_pow_secret_many(g, a->out, MAXN, SC_CB(a->b), SC_CB(a->e));
        check_out(a, MAXN, g, r);
    }
}

static void against_single(void **state)
{
    (void)state;
    each_group(77, single_body);
}

/* out[i] may be bases[i] or exps[i]: out = bases, out = exps. */
static void alias_body(const sc_group *g, gmp_randstate_t rs, arrs *a)
{
    for (size_t which = 0; which < 2; which++) {
        fill(g, rs, a, MAXN, which);
        for (size_t i = 0; i < MAXN; i++) {
            mpz_powm(a->want[i], a->b[i], a->e[i], g->p);
            mpz_set(a->out[i], which == 0 ? a->b[i] : a->e[i]);
        }
        const mpz_t *in = (const mpz_t *)a->out;
        sc_pow_secret_many(g, a->out, MAXN, which == 0 ? in : SC_CB(a->b),
                           which == 1 ? in : SC_CB(a->e));
        check_out(a, MAXN, g, which);
    }
}

static void aliasing(void **state)
{
    (void)state;
    each_group(5, alias_body);
}

/* The same with the kernel off (sc_pow_secret per element): a group made
 * after sc_mont_ifma_allow(0). */
static void fallback(void **state)
{
    sc_mont_ifma_allow(0);
    sc_group *g = t_group(SC_GROUP_STANDARD);
    assert_int_equal(g->ar->mont.ifma, 0);
    sc_group_free(g);
    against_powm(state);
    sc_mont_ifma_allow(1);
}

/* sc_partial_decrypt_many and sc_dec_commit_many (decrypt_proof.c) give
 * what n sc_partial_decrypt / sc_dec_commit calls give, u drawn in the
 * same order from RNGs seeded the same. */
static void decrypt_body(const sc_group *g, gmp_randstate_t rs, arrs *a)
{
    arrs x;
    arrs_init(&x);
    sc_rng *r1 = t_rng(31), *r2 = t_rng(31);
    fill(g, rs, a, MAXN, 0);
    sc_partial_decrypt_many(g, a->out, MAXN, SC_CB(a->b), SC_CB(a->e));
    sc_dec_commit_many(g, MAXN, SC_CB(a->b), r1, x.e, x.out, x.want);
    for (size_t i = 0; i < MAXN; i++) {
        sc_partial_decrypt(g, a->want[i], a->b[i], a->e[i]);
        assert_int_equal(mpz_cmp(a->out[i], a->want[i]), 0);
        sc_dec_commit(g, a->b[i], r2, a->e[i], a->out[i], a->want[i]);
        assert_int_equal(mpz_cmp(x.e[i], a->e[i]), 0);       /* u */
        assert_int_equal(mpz_cmp(x.out[i], a->out[i]), 0);   /* g^u */
        assert_int_equal(mpz_cmp(x.want[i], a->want[i]), 0); /* A^u */
    }
    sc_rng_free(r1);
    sc_rng_free(r2);
    arrs_clear(&x);
}

static void decrypt_many(void **state)
{
    (void)state;
    each_group(9, decrypt_body);
}

int main(void)
{
    if (!sc_ifma_cpu()) {
        printf("# test_pow_lanes: no AVX-512 IFMA on this CPU: the lanes "
               "are not run, the per-element path is\n");
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(against_powm), cmocka_unit_test(against_single),
        cmocka_unit_test(aliasing),     cmocka_unit_test(decrypt_many),
        cmocka_unit_test(fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
