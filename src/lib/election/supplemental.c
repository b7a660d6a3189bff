/* Supplemental verifiable fields (spec §3.3.9; docs/RECORD.md
 * "Supplemental verifiable fields"): their values and their relation
 * proofs. Each field is encrypted and range-proved like an option (eq
 * 57-61, 0..1 for an indicator, 0..W for the write-in count); the
 * relation proof ties it to the contest's selections. With Ē = Π E_j over
 * the n real options (Σ = their sum), O = E_overvote if the contest has an
 * overvote indicator and (1, 1) otherwise, and L the contest limit:
 *
 *   overvote o:   Ē · E_o^L                      in 0..L      (Σ + L·o)
 *   undervote u:  Ē · E_u^L · O^L · (1, K^-L)    in 0..L-1    (Σ + L·u + L·o -
 * L) null vote n:  Ē · E_n^L · O^L · (1, K^-1)    in 0..L-1    (Σ + L·n + L·o -
 * 1) write-ins w:  E_w · Π_{write-in j} E_j^-1    in 0..0      (w - Σ_wi σ_j)
 *
 * each a range proof of eq 57-61 on the derived ciphertext with the
 * challenge H_q(H_I; 0x24, ind_c, 0x80000000 | ind_o, α', β', a_0, b_0,
 * ...), ind_o the field's index (the high bit separates it from the
 * field's own range proof). What each proves is in docs/RECORD.md. */
#include <stdlib.h>
#include <string.h>

#include "scrutin/ballot.h"
#include "scrutin/core.h"

#define SC_SUPP_REL_BIT 0x80000000u

uint32_t sc_supp_relation_range(const sc_manifest_contest *mc, int kind)
{
    switch (kind) {
    case SC_SUPP_OVERVOTE: return mc->limit;
    case SC_SUPP_UNDERVOTE:
    case SC_SUPP_NULL_VOTE: return mc->limit - 1;
    default: return 0;
    }
}

void sc_supp_values(const sc_manifest_contest *mc, const uint32_t *v, int over,
                    uint32_t *out)
{
    uint64_t sum = 0, w = 0;
    for (size_t j = 0; j < mc->n_real; j++) {
        sum += v[j];
        w += mc->options[j].write_in ? v[j] : 0;
    }
    /* Without an overvote indicator, an overvoted contest (its fields
     * encrypt zeros) is a null vote and an undervote: the relations force
     * it (§3.3.9: "forces setting the null vote indicator to one for every
     * overvote ballot"). */
    if (!(mc->supp & (1u << SC_SUPP_OVERVOTE))) {
        over = 0;
    }
    for (size_t j = mc->n_real; j < mc->n_options; j++) {
        switch (mc->options[j].kind) {
        case SC_SUPP_OVERVOTE: out[j] = over != 0; break;
        case SC_SUPP_UNDERVOTE: out[j] = !over && sum < mc->limit; break;
        case SC_SUPP_NULL_VOTE: out[j] = !over && sum == 0; break;
        default: out[j] = (uint32_t)w; break;
        }
    }
}

/* x <- x · y^e (both components), e a small public exponent, possibly
 * negative. */
static void mul_pow(const sc_group *grp, sc_ciphertext *x,
                    const sc_ciphertext *y, long e)
{
    mpz_t t, ee;
    mpz_inits(t, ee, NULL);
    mpz_set_si(ee, e);
    mpz_powm(t, y->alpha, ee, grp->p); /* y is public; mpz_powm inverts */
    sc_mulmod(grp, x->alpha, x->alpha, t);
    mpz_powm(t, y->beta, ee, grp->p);
    sc_mulmod(grp, x->beta, x->beta, t);
    mpz_clears(t, ee, NULL);
}

sc_status sc_supp_prove(const sc_elgamal_key *K, const uint8_t hi[32],
                        const sc_manifest_contest *mc, uint32_t ind_c,
                        const sc_ciphertext *fields, const mpz_t *xi,
                        const uint32_t *v, sc_rng *rng, sc_range_proof *rel)
{
    const sc_group *grp = K->grp;
    sc_status rc = SC_OK;
    const long L = (long)mc->limit;
    size_t io = mc->n_options; /* the overvote field, if any */
    for (size_t j = mc->n_real; j < mc->n_options; j++) {
        if (mc->options[j].kind == SC_SUPP_OVERVOTE) {
            io = j;
        }
    }
    sc_ciphertext E, Kt;
    mpz_t x, t;
    sc_ciphertext_init(&E);
    sc_ciphertext_init(&Kt);
    mpz_inits(x, t, NULL);
    mpz_set(Kt.beta, K->K); /* (1, K) */
    uint64_t sum = 0;
    for (size_t j = 0; j < mc->n_real; j++) {
        sum += v[j];
    }
    for (size_t k = mc->n_real; k < mc->n_options; k++) {
        int kind = mc->options[k].kind;
        int64_t ell = 0;
        mpz_set_ui(E.alpha, 1);
        mpz_set_ui(E.beta, 1);
        mpz_set_ui(x, 0);
        if (kind == SC_SUPP_WRITE_INS) {
            mul_pow(grp, &E, &fields[k], 1);
            mpz_set(x, xi[k]);
            for (size_t j = 0; j < mc->n_real; j++) {
                if (mc->options[j].write_in) {
                    mul_pow(grp, &E, &fields[j], -1);
                    mpz_sub(x, x, xi[j]);
                }
            }
        } else {
            for (size_t j = 0; j < mc->n_real; j++) {
                mul_pow(grp, &E, &fields[j], 1);
                mpz_add(x, x, xi[j]);
            }
            ell = (int64_t)sum + L * v[k];
            mul_pow(grp, &E, &fields[k], L);
            mpz_addmul_ui(x, xi[k], (unsigned long)L);
            if (kind != SC_SUPP_OVERVOTE) {
                long shift = kind == SC_SUPP_UNDERVOTE ? L : 1;
                if (io < mc->n_options) {
                    mul_pow(grp, &E, &fields[io], L);
                    mpz_addmul_ui(x, xi[io], (unsigned long)L);
                    ell += L * v[io];
                }
                mul_pow(grp, &E, &Kt, -shift);
                ell -= shift;
            }
        }
        mpz_mod(x, x, grp->q);
        /* a wrong indicator gives ell outside 0..R': the prover refuses */
        SC_ENSURE(ell >= 0 && ell <= (int64_t)sc_supp_relation_range(mc, kind),
                  SC_E_INVALID_RANGE);
        sc_range_ctx rctx = {hi, ind_c, 1, SC_SUPP_REL_BIT | (uint32_t)(k + 1)};
        SC_CHECK(sc_range_proof_prove(K, &rctx, &E, x, (uint32_t)ell, rng,
                                      &rel[k - mc->n_real]));
    }
done:
    sc_mpz_wipe(x);
    mpz_clears(x, t, NULL);
    sc_ciphertext_clear(&E);
    sc_ciphertext_clear(&Kt);
    return rc;
}
