/* Scrutin internal: constant-time arithmetic on secret scalars in Z_q.
 *
 * Secret scalars (nonces, shares, plaintexts, responses before they are
 * published) are handled as fixed-width limb arrays of n = limbs(q) limbs
 * and combined with GMP's mpn_sec_* / mpn_cnd_* primitives, so that no
 * branch or memory index depends on their value. mpz_t values enter and
 * leave through sc_ct_load / sc_ct_store (which only depend on the limb
 * count, the same for all but a negligible fraction of values).
 *
 * Used by src/lib/elgamal and src/lib/proof only; not a public header. */
#ifndef SC_SCALAR_CT_H
#define SC_SCALAR_CT_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/group.h"
#include "scrutin/status.h"

/* q has at most 256 bits in every parameter set: 4 limbs of 64 bits (8 of
 * 32). */
#define SC_CT_MAXL 8

typedef struct sc_ct_scalar {
    mp_limb_t l[SC_CT_MAXL];
} sc_ct_scalar;

/** Number of limbs of q. */
size_t sc_ct_nlimbs(const sc_group *grp);
/** Load x (SECRET) into r. SC_E_INVALID_RANGE if x is negative or x >= q
 *  (the comparison is a constant-time subtraction; only its result, which
 *  is the same for every valid input, is branched on). */
SC_MUST_USE sc_status sc_ct_load(const sc_group *grp, sc_ct_scalar *r,
                                 const mpz_t x);
/** SC_OK if 0 <= x < q for a SECRET x (sc_ct_load into a wiped
 *  temporary); SC_E_INVALID_RANGE otherwise. Use instead of
 *  sc_scalar_in_range (an mpz_cmp) on secrets. */
SC_MUST_USE sc_status sc_ct_check(const sc_group *grp, const mpz_t x);
/** r = v for a small public value v < q. */
void sc_ct_set_u32(const sc_group *grp, sc_ct_scalar *r, uint32_t v);
/** r = v for a SECRET v (a vote): no branch on v; SC_E_INVALID_RANGE if
 *  v >= q (the verdict only is branched on). */
SC_MUST_USE sc_status sc_ct_set_u64(const sc_group *grp, sc_ct_scalar *r,
                                    uint64_t v);
/** x = r (x gets n limbs, normalised). */
void sc_ct_store(const sc_group *grp, mpz_t x, const sc_ct_scalar *r);
/** r = a + b mod q, r = a - b mod q, r = a * b mod q, r = u - c * x mod q
 *  (a, b, u, c, x < q; any of them may be SECRET; r may alias inputs). */
void sc_ct_add(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *a,
               const sc_ct_scalar *b);
void sc_ct_sub(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *a,
               const sc_ct_scalar *b);
void sc_ct_mul(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *a,
               const sc_ct_scalar *b);
void sc_ct_mulsub(const sc_group *grp, sc_ct_scalar *r, const sc_ct_scalar *u,
                  const sc_ct_scalar *c, const sc_ct_scalar *x);
/** r = mask ? a : r, mask 0 or 1 (SECRET). */
void sc_ct_select(sc_ct_scalar *r, const sc_ct_scalar *a, mp_limb_t mask);
/** 1 if a == b (uint32, SECRET), else 0, without branching. */
mp_limb_t sc_ct_eq_u32(uint32_t a, uint32_t b);
/** b(r, 32) big-endian (q < 2^256 so it always fits). */
void sc_ct_to_be32(const sc_group *grp, uint8_t out[32], const sc_ct_scalar *r);
/** r = int(in) (32 bytes, SECRET); SC_E_INVALID_RANGE if >= q (result
 *  only branched on). */
SC_MUST_USE sc_status sc_ct_from_be32(const sc_group *grp, sc_ct_scalar *r,
                                      const uint8_t in[32]);
/** Wipe. */
void sc_ct_wipe(sc_ct_scalar *r);

/** mpz convenience: out = (u - c x) mod q with u, x SECRET mpz in [0, q),
 *  c public in [0, q). SC_E_INVALID_RANGE if an input is out of range. */
SC_MUST_USE sc_status sc_ct_mpz_mulsub(const sc_group *grp, mpz_t out,
                                       const mpz_t u, const mpz_t c,
                                       const mpz_t x);
/** out = (a + b) mod q with SECRET a, b in [0, q). */
SC_MUST_USE sc_status sc_ct_mpz_add(const sc_group *grp, mpz_t out,
                                    const mpz_t a, const mpz_t b);
/** out = (-a) mod q with SECRET a in [0, q). */
SC_MUST_USE sc_status sc_ct_mpz_neg(const sc_group *grp, mpz_t out,
                                    const mpz_t a);

#endif
