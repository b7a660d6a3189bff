/* Test helpers for the IFMA kernels' radix-2^52 digits (test_arith_ifma,
 * test_arith_lanes): conversions written independently of the library's,
 * the kernels' edge operands, and the exact Montgomery value they must
 * give. Never linked into production code. */
#ifndef SC_T_DIGITS_H
#define SC_T_DIGITS_H
#include <stdint.h>

#include <gmp.h>

#include "arith/arith_internal.h"

/** out = the value of the nd52 digits d. */
void t_digits_to_mpz(const sc_mont *m, mpz_t out, const uint64_t *d);
/** x (< 2^(52 nd52), asserted) as nd52 digits. */
void t_mpz_to_digits(const sc_mont *m, uint64_t *d, const mpz_t x);
/** Number of edge operands t_kernel_operand gives first. */
#define T_KERNEL_EDGES 10
/** Operand number i below 2p: the edges first (0, 1, p - 1, p, 2p - 1,
 *  all-ones limbs, a lone top bit, all-ones digits, the product core's
 *  halves summing to B^h and B^h - 1), then random values, a third of them
 *  in [p, 2p). */
void t_kernel_operand(const sc_group *g, gmp_randstate_t rs, int i, mpz_t x);
/** out = (x y + Q p) / R' with Q = -x y p^-1 mod R' (R' = 2^(52 ns52)):
 *  operand-scanning Montgomery's value, which every kernel gives. */
void t_mont_exact(const sc_group *g, mpz_t out, const mpz_t x, const mpz_t y);
#endif
