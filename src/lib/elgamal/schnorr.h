/* Scrutin internal: the Schnorr proof of an encryption nonce shared by the
 * hashed-ElGamal ciphertexts (eq 22, 38, 69): commitment g^u, response
 * v = u - c xi, check g^v C_0^c. */
#ifndef SC_SCHNORR_H
#define SC_SCHNORR_H

#include <gmp.h>

#include "scrutin/group.h"
#include "scrutin/rng.h"
#include "scrutin/status.h"

/** Verifier side: range checks (C_0 in Z_p^r, c and v in Z_q) and
 *  out = g^v C_0^c. SC_E_INVALID_* if a range check fails. */
SC_MUST_USE sc_status sc_schnorr_recommit(const sc_group *grp, mpz_t out,
                                          const mpz_t c0, const mpz_t c,
                                          const mpz_t v);

#endif
