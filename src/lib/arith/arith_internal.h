/* Scrutin: engine state shared by the arith sources (not public). */
#ifndef SC_ARITH_INTERNAL_H
#define SC_ARITH_INTERNAL_H

#include "arith/mont.h"
#include "scrutin/arith.h"

struct sc_arith {
    sc_mont mont;
    /* 1 when p - 1 = 2 q (r/2) with r/2 a prime other than q and above
     * 2^SC_BATCH_LAMBDA: the condition for the batched membership test
     * (docs/ARITH.md). Set for the standard and 3072-bit parameters. */
    int batch_ok;
    mp_size_t qn; /* limbs of q */
};

/** The Montgomery context of a group. */
static inline const sc_mont *sc_grp_mont(const sc_group *grp)
{
    return &grp->ar->mont;
}

/* Window of the constant-time variable-base exponentiation (sc_pow_secret,
 * sc_pow_secret_many): 2^4 - 1 table products + qbits/4 window products
 * beat w = 5 (31 + 52) at 256 bits. */
#define SC_POW_CT_W 4
/** Windows of SC_POW_CT_W bits in a constant-time exponent: ceil(qbits/w). */
static inline unsigned sc_pow_ct_nwin(const sc_group *grp)
{
    return (unsigned)((grp->qbits + SC_POW_CT_W - 1) / SC_POW_CT_W);
}
/** 1 if e is in the constant-time exponentiation's range: 0 <= e with at
 *  most sc_pow_ct_nwin * SC_POW_CT_W bits (every e < q is). Outside it
 *  sc_pow_secret takes GMP's mpz_powm_sec on e mod q. */
int sc_pow_ct_fits(const sc_group *grp, const mpz_t e);

/* Random exponent length of the batched membership test (bits). */
#define SC_BATCH_LAMBDA 128

/* Tests of the square test (sqtest.c): lambda. */
#define SC_SQTEST_TESTS 128
/* For the unit test: takes the verdict (sc_sqtest_ok) and writes each
 * subset test's symbol to sym (+1 for an empty subset). Returns 1 if the
 * elements went into the subset products, 0 if they were few (a symbol
 * each; sym all +1). */
int sc_sqtest_symbols(sc_sqtest *t, signed char sym[SC_SQTEST_TESTS]);

#endif
