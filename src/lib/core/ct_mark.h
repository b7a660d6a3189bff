/* Scrutin internal: marks for the constant-time check under valgrind
 * (tests/unit/test_elgamal_ct.c, ctest test_elgamal_ct_valgrind).
 *
 * The test marks secrets "undefined" for memcheck, which then reports every
 * branch and memory index that depends on them. The few steps that look at
 * a secret by design are written with these marks, so that the check
 * covers everything else:
 *  - SC_CT_PUBLIC on a verdict that is the same for every valid input (a
 *    range check's result) or on a value the protocol publishes;
 *  - sc_ct_limbs_finish / sc_ct_bits for the mpz limb-count exception of
 *    docs/ARITH.md §7 (whether the top limbs of a secret are zero): the
 *    limbs are seen in the clear for that one step only, then marked back
 *    exactly as they were.
 * Built with SC_CT_VALGRIND (valgrind's memcheck.h found and no sanitizer)
 * the marks are memcheck client requests, a few instructions that do
 * nothing outside valgrind; otherwise they compile to nothing. */
#ifndef SC_CT_MARK_H
#define SC_CT_MARK_H

#include <stddef.h>

#include <gmp.h>

#include "scrutin/rng.h"

#ifdef SC_CT_VALGRIND
#include <valgrind/memcheck.h>
#define SC_CT_SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define SC_CT_PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define SC_CT_SECRET(p, n) ((void)(p), (void)(n))
#define SC_CT_PUBLIC(p, n) ((void)(p), (void)(n))
#endif

/** Mark the limbs of x secret / public (tests and publication points). */
void sc_ct_mpz_secret(const mpz_t x);
void sc_ct_mpz_public(const mpz_t x);
/** mpz_limbs_finish(x, n) where the n written limbs may be secret. */
void sc_ct_limbs_finish(mpz_t x, mp_size_t n);
/** mpz_sizeinbase(x, 2) of a non-negative, possibly secret x. */
size_t sc_ct_bits(const mpz_t x);
/** Tests: from now on every output of rng (bytes, scalars) is marked
 *  secret. Rejection sampling in sc_rng_scalar looks at the candidates
 *  in the clear (a rejected candidate is never used). */
void sc_rng_mark_secret(sc_rng *rng);

#endif
