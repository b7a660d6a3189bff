/* Schnorr proof of an encryption nonce: verifier side (eq 22, 38, 69). */
#include "elgamal/schnorr.h"

#include "scrutin/arith.h"

sc_status sc_schnorr_recommit(const sc_group *grp, mpz_t out, const mpz_t c0,
                              const mpz_t c, const mpz_t v)
{
    mpz_t t;
    if (!sc_scalar_in_range(grp, c) || !sc_scalar_in_range(grp, v)) {
        return SC_E_INVALID_RANGE;
    }
    if (!sc_elem_is_member(grp, c0)) {
        return SC_E_INVALID_NOT_IN_SUBGROUP;
    }
    mpz_init(t);
    sc_fb_pow(grp->g_fb, out, v);
    sc_pow(grp, t, c0, c);
    sc_mulmod(grp, out, out, t);
    mpz_clear(t);
    return SC_OK;
}
