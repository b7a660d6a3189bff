/* Scrutin internal: shared between decrypt_proof.c and
 * data_decrypt_proof.c. */
#ifndef SC_PROOF_INTERNAL_H
#define SC_PROOF_INTERNAL_H

#include "scrutin/proof.h"

/** SC_OK if a_i, b_i and M_i are all in Z_p^r, else
 *  SC_E_INVALID_NOT_IN_SUBGROUP: one batched test (docs/ARITH.md §5) on
 *  published values, so its variable time is fine. */
SC_MUST_USE sc_status sc_dec_reveal_members(const sc_group *grp,
                                            const mpz_t a_i, const mpz_t b_i,
                                            const mpz_t M_i);

/** out = x^e * y^f mod p, e and f public in [0, q): one Straus
 *  multi-exponentiation (about 1.3 exponentiations, not 2). */
void sc_dec_pow2(const sc_group *grp, mpz_t out, const mpz_t x, const mpz_t e,
                 const mpz_t y, const mpz_t f);

#endif
