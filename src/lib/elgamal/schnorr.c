/* Schnorr proof of an encryption nonce: verifier side (eq 22, 38, 69). */
#include "elgamal/schnorr.h"

#include "scrutin/arith.h"

sc_status sc_schnorr_recommit(const sc_group *grp, mpz_t out, const mpz_t c0,
                              const mpz_t c, const mpz_t v)
{
    if (!sc_scalar_in_range(grp, c) || !sc_scalar_in_range(grp, v)) {
        return SC_E_INVALID_RANGE;
    }
    if (!sc_elem_is_member(grp, c0)) {
        return SC_E_INVALID_NOT_IN_SUBGROUP;
    }
    /* out = g^v C_0^c in one double exponentiation (vb NULL: the variable
     * base is passed in out). */
    mpz_set(out, c0);
    sc_fb_vb_pow2(grp->g_fb, v, NULL, out, c);
    return SC_OK;
}
