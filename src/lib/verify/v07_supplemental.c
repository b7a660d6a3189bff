/* Verification 7 for the supplemental verifiable fields of spec §3.3.9
 * (record format 2; statements in docs/RECORD.md "Supplemental verifiable
 * fields"). Each supplemental field has its own range proof, checked by
 * V6 like an option's (0..1 for an indicator, 0..W for the write-in
 * count), and a relation proof checked here: a range proof (7.3-7.D with
 * the challenge H_q(H_I; 0x24, ind_c, 0x80000000 | ind_o, α', β', ...))
 * over a ciphertext derived from the contest's fields. With Ē the product
 * of the option fields, O the overvote field (or (1, 1)) and L the limit:
 *   overvote o:  Ē · E_o^L                    in 0..L
 *   undervote u: Ē · E_u^L · O^L · (1, K^-L)  in 0..L-1
 *   null vote n: Ē · E_n^L · O^L · (1, K^-1)  in 0..L-1
 *   write-ins w: E_w · Π_{write-in j} E_j^-1  in 0..0
 * Written from the statements, not from the prover's code. */
#include <stdio.h>

#include "verify/vctx.h"

uint32_t vr_supp_range(const vr_contest *mc, int kind)
{
    return kind == 2 ? mc->limit : kind == 4 ? 0 : mc->limit - 1;
}

/* x <- x · a^e mod p, e small, on the engine (a lone mpz_powm here cost
 * more CPU than the relation proof's hashing). t: scratch. */
static void mul_pow(const sc_group *grp, mpz_t x, const mpz_t a,
                    unsigned long e, mpz_t t)
{
    if (e == 1) {
        sc_mulmod(grp, x, x, a);
        return;
    }
    mpz_t ee;
    mpz_init_set_ui(ee, e);
    sc_pow(grp, t, a, ee);
    sc_mulmod(grp, x, x, t);
    mpz_clear(ee);
}

/* (x, y) <- (x · a^e, y · b^e) mod p. */
static void acc(const sc_group *grp, mpz_t x, mpz_t y, const mpz_t a,
                const mpz_t b, unsigned long e, mpz_t t)
{
    mul_pow(grp, x, a, e, t);
    mul_pow(grp, y, b, e, t);
}

/* x <- x · d^-1 mod p (d = 1: nothing). The negative exponents of the
 * statements are gathered into d, so one inversion serves them all. A d
 * with no inverse (a field that is 0 mod p, already reported by 6.A)
 * makes x 0, which no proof verifies against. */
static void div_by(const sc_group *grp, mpz_t x, mpz_t d)
{
    if (mpz_cmp_ui(d, 1) == 0) {
        return;
    }
    if (sc_invmod(grp, d, d) != SC_OK) {
        mpz_set_ui(x, 0);
        return;
    }
    sc_mulmod(grp, x, x, d);
}

/* (x, y) <- (x · dx^-1, y · dy^-1) mod p, as div_by on each (the
 * write-in statement of §3.3.9, E_w · Π_{write-in j} E_j^-1), with one
 * inversion where both need one (Montgomery's trick: with u = (dx dy)^-1,
 * dx^-1 = u dy and dy^-1 = u dx; four products cost ~4 us against ~28 us
 * for the second mpz_invert). When dx dy has no inverse (one of them is
 * 0 mod p), each is divided alone, so the one without an inverse makes
 * its side 0 exactly as div_by does. t, u: scratch. */
static void div_by2(const sc_group *grp, mpz_t x, mpz_t y, mpz_t dx, mpz_t dy,
                    mpz_t t, mpz_t u)
{
    if (mpz_cmp_ui(dx, 1) != 0 && mpz_cmp_ui(dy, 1) != 0) {
        sc_mulmod(grp, u, dx, dy);
        if (sc_invmod(grp, u, u) == SC_OK) {
            sc_mulmod(grp, t, u, dy); /* dx^-1 */
            sc_mulmod(grp, x, x, t);
            sc_mulmod(grp, t, u, dx); /* dy^-1 */
            sc_mulmod(grp, y, y, t);
            return;
        }
    }
    div_by(grp, x, dx);
    div_by(grp, y, dy);
}

int vr_check_supplemental(const vr_ctx *ctx, const char *step,
                          const uint8_t hi[32], const vr_bcontest *bc,
                          const vr_contest *mc, const char *where)
{
    const sc_group *grp = ctx->grp;
    const long L = (long)mc->limit;
    int ok = 1;
    mpz_t x, y, dx, dy, t, u;
    /* elements, written by the engine at p's limb count: allocated once */
    const mp_bitcnt_t pbits = (mp_bitcnt_t)mpz_size(grp->p) * GMP_NUMB_BITS;
    mpz_init2(x, pbits);
    mpz_init2(y, pbits);
    mpz_init2(dx, pbits);
    mpz_init2(dy, pbits);
    mpz_inits(t, u, NULL); /* scratch, not always used */
    uint32_t io = bc->nf;  /* overvote field */
    for (uint32_t j = bc->nreal; j < bc->nf; j++) {
        if (mc->opt[j].kind == 2) {
            io = j;
        }
    }
    for (size_t k = 0; k < bc->nrel; k++) {
        uint32_t j = bc->nreal + (uint32_t)k;
        int kind = mc->opt[j].kind;
        const vr_field *f = &bc->f[j];
        if (f->nonmember) {
            continue; /* 6.A / 7.A reported */
        }
        /* (x, y) / (dx, dy): the factors with a positive / negative
         * exponent */
        mpz_set_ui(x, 1);
        mpz_set_ui(y, 1);
        mpz_set_ui(dx, 1);
        mpz_set_ui(dy, 1);
        if (kind == 4) {
            acc(grp, x, y, f->alpha, f->beta, 1, t);
            for (uint32_t i = 0; i < bc->nreal; i++) {
                if (mc->opt[i].write_in) {
                    acc(grp, dx, dy, bc->f[i].alpha, bc->f[i].beta, 1, t);
                }
            }
        } else {
            for (uint32_t i = 0; i < bc->nreal; i++) {
                acc(grp, x, y, bc->f[i].alpha, bc->f[i].beta, 1, t);
            }
            acc(grp, x, y, f->alpha, f->beta, (unsigned long)L, t);
            if (kind != 2) {
                if (io < bc->nf) {
                    acc(grp, x, y, bc->f[io].alpha, bc->f[io].beta,
                        (unsigned long)L, t);
                }
                /* (1, K^-L) / (1, K^-1), with K^-1 from V3 */
                mul_pow(grp, y, ctx->Kinv, kind == 1 ? (unsigned long)L : 1, t);
            }
        }
        div_by2(grp, x, y, dx, dy, t, u);
        char w[240];
        snprintf(w, sizeof w, "%s %s relation proof", where, mc->opt[j].label);
        ok &= vr_check_range_proof(ctx, step, hi, bc->index, 1,
                                   0x80000000u | (j + 1), x, y, bc->rel_n[k],
                                   (const mpz_t *)bc->rel_c[k],
                                   (const mpz_t *)bc->rel_v[k], NULL, 0, w);
    }
    mpz_clears(x, y, dx, dy, t, u, NULL);
    return ok;
}
