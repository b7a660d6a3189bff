/* The IFMA kernels' test helpers (t_digits.h). */
#include "t_digits.h"

#include "testlib.h"

void t_digits_to_mpz(const sc_mont *m, mpz_t out, const uint64_t *d)
{
    mpz_set_ui(out, 0);
    for (int k = m->nd52; k-- > 0;) {
        mpz_mul_2exp(out, out, 52);
        mpz_add_ui(out, out, (unsigned long)d[k]);
    }
}

void t_mpz_to_digits(const sc_mont *m, uint64_t *d, const mpz_t x)
{
    mpz_t t, r;
    mpz_init_set(t, x);
    mpz_init(r);
    for (int k = 0; k < m->nd52; k++) {
        mpz_fdiv_r_2exp(r, t, 52);
        d[k] = (uint64_t)mpz_get_ui(r);
        mpz_fdiv_q_2exp(t, t, 52);
    }
    assert_int_equal(mpz_sgn(t), 0);
    mpz_clears(t, r, NULL);
}

void t_kernel_operand(const sc_group *g, gmp_randstate_t rs, int i, mpz_t x)
{
    switch (i) {
    case 0: mpz_set_ui(x, 0); break;
    case 1: mpz_set_ui(x, 1); break;
    case 2: mpz_sub_ui(x, g->p, 1); break;
    case 3: mpz_set(x, g->p); break;
    case 4:
        mpz_mul_2exp(x, g->p, 1);
        mpz_sub_ui(x, x, 1);
        break;
    case 5: /* 2^(64 n) - 1: all limbs ones (p < it < 2p) */
        mpz_set_ui(x, 0);
        mpz_setbit(x, mpz_sizeinbase(g->p, 2));
        mpz_sub_ui(x, x, 1);
        break;
    case 6: /* 2^(64 n - 1): only the top bit */
        mpz_set_ui(x, 0);
        mpz_setbit(x, mpz_sizeinbase(g->p, 2) - 1);
        break;
    case 7: /* every digit 2^52 - 1 below the top */
        mpz_set_ui(x, 0);
        mpz_setbit(x, 52 * ((mpz_sizeinbase(g->p, 2) - 1) / 52));
        mpz_sub_ui(x, x, 1);
        break;
    case 8: /* the product core's halves x0 + x1 (h = nd52 / 2 digits,
               ifma_mulcore.c) = B^h exactly: a carry through every digit
               into the top one */
    case 9: /* x0 + x1 = B^h - 1: every digit 2^52 - 1, no carry out */
        /* x1 = 7 or 6, x0 = B^h - 7 */
        mpz_set_ui(x, i == 8 ? 8 : 7);
        mpz_mul_2exp(x, x, 26 * (mp_bitcnt_t)g->ar->mont.nd52);
        mpz_sub_ui(x, x, 7);
        break;
    default:
        if (i % 3 == 0) {
            mpz_urandomm(x, rs, g->p);
            mpz_add(x, x, g->p); /* [p, 2p) */
        } else {
            mpz_urandomm(x, rs, g->p);
        }
        break;
    }
}

void t_mont_exact(const sc_group *g, mpz_t out, const mpz_t x, const mpz_t y)
{
    const sc_mont *m = &g->ar->mont;
    mpz_t rp, q;
    mpz_inits(rp, q, NULL);
    mpz_setbit(rp, 52 * (mp_bitcnt_t)m->ns52);
    assert_true(mpz_invert(q, g->p, rp));
    mpz_mul(out, x, y);
    mpz_mul(q, q, out);
    mpz_neg(q, q);
    mpz_mod(q, q, rp);
    mpz_addmul(out, q, g->p);
    assert_true(mpz_divisible_2exp_p(out, 52 * (mp_bitcnt_t)m->ns52));
    mpz_fdiv_q_2exp(out, out, 52 * (mp_bitcnt_t)m->ns52);
    mpz_clears(rp, q, NULL);
}
