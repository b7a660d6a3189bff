/* The 2.1 verifier's step functions, one at a time (src/lib/verify):
 * honest proofs made by the prover pass; each lettered condition fails on
 * its own mutation (V6.A-D, V7.A-D, S2.A-C); the reader rejects lowercase
 * hex and wrong widths; the manifest's effective limits follow the draft.
 * Toy group q64 (tests may use the prover; the verifier never does). */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/files.h"
#include "scrutin/proof.h"
#include "scrutin/report.h"
#include "arith/mont.h"
#include "verify/common/vcommon.h"
#include "verify/vctx.h"

typedef struct fx {
    sc_group *g;
    sc_rng *rng;
    sc_elgamal_key *pk;
    vr_ctx ctx;
    sc_report *rep;
    uint8_t hi[32];
} fx;

static void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    f->g = t_group(SC_GROUP_TOY_Q64);
    f->rng = t_rng(41);
    mpz_t s, K;
    mpz_inits(s, K, NULL);
    sc_rng_scalar_nonzero(f->rng, f->g, s);
    mpz_powm(K, f->g->g, s, f->g->p);
    assert_int_equal(sc_elgamal_key_new(&f->pk, f->g, K), SC_OK);
    assert_int_equal(sc_report_new(&f->rep, NULL), SC_OK);
    f->ctx.rep = f->rep;
    f->ctx.grp = f->g;
    mpz_init_set(f->ctx.K, K);
    mpz_init(f->ctx.Khat);
    assert_int_equal(sc_fb_new(&f->ctx.K_fb, f->g, K), SC_OK);
    sc_rng_bytes(f->rng, f->hi, 32);
    mpz_clears(s, K, NULL);
}

static void fx_reset_report(fx *f)
{
    sc_report_free(f->rep);
    assert_int_equal(sc_report_new(&f->rep, NULL), SC_OK);
    f->ctx.rep = f->rep;
}

static void fx_free(fx *f)
{
    sc_fb_free(f->ctx.K_fb);
    mpz_clear(f->ctx.K);
    mpz_clear(f->ctx.Khat);
    sc_report_free(f->rep);
    sc_elgamal_key_free(f->pk);
    sc_rng_free(f->rng);
    sc_group_free(f->g);
}

/* A field encrypting ell with a range proof over 0..R. */
static void make_field(fx *f, vr_field *vf, uint32_t ind_c, uint32_t ind_o,
                       uint32_t R, uint32_t ell, mpz_t xi_out)
{
    sc_ciphertext ct;
    sc_range_proof pf;
    mpz_t xi;
    mpz_init(xi);
    sc_ciphertext_init(&ct);
    sc_rng_scalar(f->rng, f->g, xi);
    assert_int_equal(sc_elgamal_encrypt_u64(f->pk, &ct, ell, xi), SC_OK);
    assert_int_equal(sc_range_proof_init(&pf, R), SC_OK);
    sc_range_ctx rc = {f->hi, ind_c, 1, ind_o};
    assert_int_equal(
        sc_range_proof_prove(f->pk, &rc, &ct, xi, ell, f->rng, &pf), SC_OK);
    memset(vf, 0, sizeof *vf);
    mpz_init_set(vf->alpha, ct.alpha);
    mpz_init_set(vf->beta, ct.beta);
    vf->n = R + 1;
    vf->c = calloc(vf->n, sizeof(mpz_t));
    vf->v = calloc(vf->n, sizeof(mpz_t));
    for (size_t j = 0; j < vf->n; j++) {
        mpz_init_set(vf->c[j], pf.c[j]);
        mpz_init_set(vf->v[j], pf.v[j]);
    }
    if (xi_out != NULL) {
        mpz_set(xi_out, xi);
    }
    sc_range_proof_clear(&pf);
    sc_ciphertext_clear(&ct);
    mpz_clear(xi);
}

static void free_field(vr_field *vf)
{
    mpz_clear(vf->alpha);
    mpz_clear(vf->beta);
    for (size_t j = 0; j < vf->n; j++) {
        mpz_clear(vf->c[j]);
        mpz_clear(vf->v[j]);
    }
    free(vf->c);
    free(vf->v);
}

static void expect(fx *f, int ok, const char *cond)
{
    if (cond == NULL) {
        assert_int_equal(ok, 1);
        assert_null(sc_report_first_failure(f->rep));
    } else {
        assert_int_equal(ok, 0);
        assert_non_null(sc_report_first_failure(f->rep));
        assert_string_equal(sc_report_first_failure(f->rep), cond);
    }
    fx_reset_report(f);
}

static void selection_conditions(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    for (uint32_t R = 1; R <= 3; R++) {
        for (uint32_t ell = 0; ell <= R; ell++) {
            vr_field vf;
            make_field(&f, &vf, 2, 3, R, ell, NULL);
            expect(&f, vr_check_selection(&f.ctx, "V6", f.hi, 2, 3, &vf, "t"),
                   NULL);
            /* wrong indices or H_I: 6.D */
            expect(&f, vr_check_selection(&f.ctx, "V6", f.hi, 2, 4, &vf, "t"),
                   "V6.D");
            expect(&f, vr_check_selection(&f.ctx, "V6", f.hi, 1, 3, &vf, "t"),
                   "V6.D");
            /* 6.A */
            vf.nonmember = 2;
            expect(&f, vr_check_selection(&f.ctx, "V6", f.hi, 2, 3, &vf, "t"),
                   "V6.A");
            vf.nonmember = 0;
            /* 6.B: c_j out of Z_q */
            for (size_t j = 0; j < vf.n; j++) {
                mpz_add(vf.c[j], vf.c[j], f.g->q);
                expect(&f,
                       vr_check_selection(&f.ctx, "S3", f.hi, 2, 3, &vf, "t"),
                       "S3.B");
                mpz_sub(vf.c[j], vf.c[j], f.g->q);
                mpz_add(vf.v[j], vf.v[j], f.g->q);
                expect(&f,
                       vr_check_selection(&f.ctx, "V6", f.hi, 2, 3, &vf, "t"),
                       "V6.C");
                mpz_sub(vf.v[j], vf.v[j], f.g->q);
                /* each single response or challenge changed: 6.D */
                mpz_add_ui(vf.v[j], vf.v[j], 1);
                mpz_mod(vf.v[j], vf.v[j], f.g->q);
                expect(&f,
                       vr_check_selection(&f.ctx, "V6", f.hi, 2, 3, &vf, "t"),
                       "V6.D");
                mpz_sub_ui(vf.v[j], vf.v[j], 1);
                mpz_mod(vf.v[j], vf.v[j], f.g->q);
                mpz_add_ui(vf.c[j], vf.c[j], 1);
                mpz_mod(vf.c[j], vf.c[j], f.g->q);
                expect(&f,
                       vr_check_selection(&f.ctx, "V6", f.hi, 2, 3, &vf, "t"),
                       "V6.D");
                mpz_sub_ui(vf.c[j], vf.c[j], 1);
                mpz_mod(vf.c[j], vf.c[j], f.g->q);
            }
            /* alpha, beta changed: 6.D */
            mpz_mul(vf.beta, vf.beta, f.g->g);
            mpz_mod(vf.beta, vf.beta, f.g->p);
            expect(&f, vr_check_selection(&f.ctx, "V6", f.hi, 2, 3, &vf, "t"),
                   "V6.D");
            free_field(&vf);
        }
    }
    /* A proof for ell = 2 cannot be forged for R = 1: encrypt 2, claim the
     * 0/1 proof from another ciphertext. */
    vr_field a, b;
    make_field(&f, &a, 1, 1, 1, 1, NULL);
    make_field(&f, &b, 1, 1, 2, 2, NULL);
    mpz_swap(a.beta, b.beta);
    expect(&f, vr_check_selection(&f.ctx, "V6", f.hi, 1, 1, &a, "t"), "V6.D");
    free_field(&a);
    free_field(&b);
    fx_free(&f);
}

static void limit_conditions(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    /* contest of 3 options, L = 2, selections 1, 0, 1 */
    const uint32_t sel[3] = {1, 0, 1};
    vr_bcontest bc;
    memset(&bc, 0, sizeof bc);
    bc.index = 4;
    bc.nf = 3;
    bc.nreal = 3;
    bc.f = calloc(3, sizeof *bc.f);
    mpz_t xi[3], xs;
    mpz_init_set_ui(xs, 0);
    sc_ciphertext ct;
    sc_ciphertext_init(&ct);
    for (int i = 0; i < 3; i++) {
        mpz_init(xi[i]);
        make_field(&f, &bc.f[i], 4, (uint32_t)i + 1, 1, sel[i], xi[i]);
        mpz_add(xs, xs, xi[i]);
        sc_mulmod(f.g, ct.alpha, ct.alpha, bc.f[i].alpha);
        sc_mulmod(f.g, ct.beta, ct.beta, bc.f[i].beta);
    }
    mpz_mod(xs, xs, f.g->q);
    sc_range_proof pf;
    assert_int_equal(sc_range_proof_init(&pf, 2), SC_OK);
    sc_range_ctx rc = {f.hi, 4, 0, 0};
    assert_int_equal(sc_range_proof_prove(f.pk, &rc, &ct, xs, 2, f.rng, &pf),
                     SC_OK);
    bc.nl = 3;
    bc.lc = calloc(3, sizeof(mpz_t));
    bc.lv = calloc(3, sizeof(mpz_t));
    for (int j = 0; j < 3; j++) {
        mpz_init_set(bc.lc[j], pf.c[j]);
        mpz_init_set(bc.lv[j], pf.v[j]);
    }
    expect(&f, vr_check_limit(&f.ctx, "V7", f.hi, &bc, 2, "t"), NULL);
    bc.f[1].nonmember = 1;
    expect(&f, vr_check_limit(&f.ctx, "V7", f.hi, &bc, 2, "t"), "V7.A");
    bc.f[1].nonmember = 0;
    mpz_add(bc.lc[1], bc.lc[1], f.g->q);
    expect(&f, vr_check_limit(&f.ctx, "V7", f.hi, &bc, 2, "t"), "V7.B");
    mpz_sub(bc.lc[1], bc.lc[1], f.g->q);
    mpz_add(bc.lv[2], bc.lv[2], f.g->q);
    expect(&f, vr_check_limit(&f.ctx, "S4", f.hi, &bc, 2, "t"), "S4.C");
    mpz_sub(bc.lv[2], bc.lv[2], f.g->q);
    mpz_swap(bc.f[0].alpha, bc.f[1].alpha); /* product unchanged: passes */
    expect(&f, vr_check_limit(&f.ctx, "V7", f.hi, &bc, 2, "t"), NULL);
    mpz_swap(bc.f[0].alpha, bc.f[1].alpha);
    bc.index = 5;
    expect(&f, vr_check_limit(&f.ctx, "V7", f.hi, &bc, 2, "t"), "V7.D");
    bc.index = 4;
    mpz_mul(bc.f[2].beta, bc.f[2].beta, f.ctx.K);
    mpz_mod(bc.f[2].beta, bc.f[2].beta, f.g->p); /* now sums to 3 > L */
    expect(&f, vr_check_limit(&f.ctx, "V7", f.hi, &bc, 2, "t"), "V7.D");
    for (int i = 0; i < 3; i++) {
        free_field(&bc.f[i]);
        mpz_clear(xi[i]);
        mpz_clear(bc.lc[i]);
        mpz_clear(bc.lv[i]);
    }
    free(bc.f);
    free(bc.lc);
    free(bc.lv);
    mpz_clear(xs);
    sc_range_proof_clear(&pf);
    sc_ciphertext_clear(&ct);
    fx_free(&f);
}

static void ballot_nonce_conditions(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    /* A Schnorr proof of xi-hat with C_0 = g^xi-hat, made here by hand
     * (eq 38): a = g^u, c = H_q(H_I; 0x23, a, C_0, C_1), v = u - c xi. */
    vr_ballot b;
    memset(&b, 0, sizeof b);
    mpz_inits(b.bn_c0, b.bn_c, b.bn_v, NULL);
    memcpy(b.hi, f.hi, 32);
    sc_rng_bytes(f.rng, b.bn_c1, 32);
    mpz_t x, u, a;
    mpz_inits(x, u, a, NULL);
    sc_rng_scalar(f.rng, f.g, x);
    sc_rng_scalar(f.rng, f.g, u);
    mpz_powm(b.bn_c0, f.g->g, x, f.g->p);
    mpz_powm(a, f.g->g, u, f.g->p);
    sc_eg_ballot_nonce_challenge(f.g, b.hi, a, b.bn_c0, b.bn_c1, b.bn_c);
    mpz_mul(b.bn_v, b.bn_c, x);
    mpz_sub(b.bn_v, u, b.bn_v);
    mpz_mod(b.bn_v, b.bn_v, f.g->q);
    expect(&f, vr_check_ballot_nonce(&f.ctx, &b, "t"), NULL);
    b.bn_c1[5] ^= 1;
    expect(&f, vr_check_ballot_nonce(&f.ctx, &b, "t"), "S2.C");
    b.bn_c1[5] ^= 1;
    b.bn_c0_nonmember = 1;
    expect(&f, vr_check_ballot_nonce(&f.ctx, &b, "t"), "S2.A");
    b.bn_c0_nonmember = 0;
    mpz_add(b.bn_v, b.bn_v, f.g->q);
    expect(&f, vr_check_ballot_nonce(&f.ctx, &b, "t"), "S2.B");
    mpz_clears(b.bn_c0, b.bn_c, b.bn_v, x, u, a, NULL);
    fx_free(&f);
}

static void reader_hex(void **state)
{
    (void)state;
    mpz_t x;
    uint8_t out[4];
    mpz_init(x);
    json_t *j = json_string("00AB01FF");
    assert_int_equal(vr_hex_mpz(x, j, 4), SC_OK);
    assert_int_equal(mpz_get_ui(x), 0xAB01FFu);
    assert_int_equal(vr_hex_bytes(out, j, 4), SC_OK);
    assert_int_equal(out[1], 0xAB);
    assert_int_equal(vr_hex_mpz(x, j, 3), SC_E_INVALID_LENGTH);
    assert_int_equal(vr_hex_mpz(x, j, 5), SC_E_INVALID_LENGTH);
    json_decref(j);
    j = json_string("00ab01ff"); /* lowercase: RECORD.md rejects */
    assert_int_equal(vr_hex_mpz(x, j, 4), SC_E_INVALID_HEX);
    json_decref(j);
    j = json_string("00AB01G0");
    assert_int_equal(vr_hex_bytes(out, j, 4), SC_E_INVALID_HEX);
    json_decref(j);
    j = json_integer(5);
    assert_int_equal(vr_hex_mpz(x, j, 4), SC_E_INVALID);
    uint32_t u = 0;
    assert_int_equal(vr_u32(j, &u), SC_OK);
    assert_int_equal(u, 5);
    json_decref(j);
    j = json_integer(-1);
    assert_int_not_equal(vr_u32(j, &u), SC_OK);
    json_decref(j);
    assert_int_not_equal(vr_hex_mpz(x, NULL, 4), SC_OK);
    /* several limbs, a partial top limb, leading zeros, zero; a bad digit
     * in any limb (the one-pass decoder) */
    static const char *const big[] = {
        "00000000FEDCBA9876543210FEDCBA98765432100123456789ABCDEF0011223344"
        "556677",
        "0000000000000000000000000000000000000000000000000000000000000000"
        "00000000",
        "1000000000000000000000000000000000000000000000000000000000000000"
        "00000001"};
    mpz_t y;
    mpz_init(y);
    for (size_t i = 0; i < 3; i++) {
        const size_t nd = strlen(big[i]);
        assert_int_equal(nd % 16, 8); /* 4.5 limbs */
        j = json_string(big[i]);
        assert_int_equal(vr_hex_mpz(x, j, nd / 2), SC_OK);
        assert_int_equal(mpz_set_str(y, big[i], 16), 0);
        assert_int_equal(mpz_cmp(x, y), 0);
        json_decref(j);
        for (size_t k = 0; k < nd; k += 23) {
            char bad[80];
            memcpy(bad, big[i], nd + 1);
            bad[k] = 'a';
            j = json_string(bad);
            assert_int_equal(vr_hex_mpz(x, j, nd / 2), SC_E_INVALID_HEX);
            json_decref(j);
        }
    }
    mpz_clear(y);
    mpz_clear(x);
}

/* vr_hex_mpz against mpz_set_str on random strings: whole limbs (read 16
 * digits at a time) and partial ones, every byte next to a digit's
 * range, one bad character anywhere. */
static void reader_hex_random(void **state)
{
    (void)state;
    static const char odd[] = "/:@G`afz\x7f\x80\xc1\xff 0";
    sc_rng *rng = t_rng(21);
    const size_t widths[] = {1, 4, 8, 9, 15, 32, 33, 512};
    char h[1025];
    mpz_t x, want;
    mpz_inits(x, want, NULL);
    for (int round = 0; round < 400; round++) {
        uint8_t r[4];
        sc_rng_bytes(rng, r, sizeof r);
        size_t nb = widths[r[0] % (sizeof widths / sizeof widths[0])];
        for (size_t i = 0; i < 2 * nb; i++) {
            uint8_t c;
            sc_rng_bytes(rng, &c, 1);
            h[i] = "0123456789ABCDEF"[c & 15];
        }
        h[2 * nb] = '\0';
        int bad = r[1] % 3 == 0;
        if (bad) {
            h[(r[2] | r[3] << 8) % (2 * nb)] = odd[r[1] % (sizeof odd - 1)];
        }
        json_t *j = json_stringn_nocheck(h, 2 * nb);
        assert_non_null(j);
        sc_status rc = vr_hex_mpz(x, j, nb);
        json_decref(j);
        if (bad &&
            strchr("0123456789ABCDEF", odd[r[1] % (sizeof odd - 1)]) == NULL) {
            assert_int_equal(rc, SC_E_INVALID_HEX);
            continue;
        }
        assert_int_equal(rc, SC_OK);
        assert_int_equal(mpz_set_str(want, h, 16), 0);
        assert_int_equal(mpz_cmp(want, x), 0);
    }
    mpz_clears(x, want, NULL);
    sc_rng_free(rng);
}

static void manifest_limits(void **state)
{
    (void)state;
    static const char m1[] =
        "{\"label\":\"E\",\"contests\":["
        "{\"label\":\"A\",\"options\":[{\"label\":\"a\"},{\"label\":\"b\"}]},"
        "{\"label\":\"B\",\"selection_limit\":2,\"options\":["
        "{\"label\":\"a\",\"selection_limit\":\"CONTEST_LIMIT\"},"
        "{\"label\":\"b\",\"selection_limit\":5},{\"label\":\"c\"}]},"
        "{\"label\":\"C\",\"selection_limit\":\"NO_LIMIT\",\"options\":["
        "{\"label\":\"a\",\"selection_limit\":3},{\"label\":\"b\"}]},"
        "{\"label\":\"D\",\"selection_limit\":9,\"options\":["
        "{\"label\":\"a\"},{\"label\":\"b\"}]}],"
        "\"ballot_styles\":[{\"label\":\"s1\",\"contests\":[3,1]},"
        "{\"label\":\"s2\",\"contests\":[2,4]}]}";
    vr_manifest m;
    char err[256];
    assert_int_equal(vr_manifest_parse(&m, (const uint8_t *)m1, sizeof m1 - 1,
                                       err, sizeof err),
                     SC_OK);
    assert_int_equal(m.ncontests, 4);
    assert_int_equal(m.c[0].limit, 1);
    assert_int_equal(m.c[0].opt[0].limit, 1);
    assert_int_equal(m.c[1].limit, 2);
    assert_int_equal(m.c[1].opt[0].limit, 2); /* CONTEST_LIMIT */
    assert_int_equal(m.c[1].opt[1].limit, 2); /* min(5, 2) */
    assert_int_equal(m.c[1].opt[2].limit, 1);
    assert_int_equal(m.c[2].limit, 4);       /* NO_LIMIT: 3 + 1 */
    assert_int_equal(m.c[3].limit, 2);       /* min(9, 1 + 1) */
    assert_int_equal(m.s[0].contests[0], 1); /* sorted to manifest order */
    assert_int_equal(m.s[0].contests[1], 3);
    assert_int_equal(m.nopt_total, 9);
    assert_int_equal(m.c[2].agg_base, 5);
    vr_manifest_free(&m);
    static const char bad1[] =
        "{\"label\":\"E\",\"contests\":[{\"label\":\"A\",\"options\":[]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}";
    static const char bad2[] =
        "{\"label\":\"E\",\"contests\":[{\"label\":\"A\",\"options\":"
        "[{\"label\":\"a\"}]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1,1]}]}";
    static const char bad3[] =
        "{\"label\":\"E\",\"contests\":[{\"label\":\"A\",\"options\":"
        "[{\"label\":\"a\"}]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[2]}]}";
    static const char bad4[] =
        "{\"label\":\"E\",\"contests\":[{\"label\":\"A\",\"selection_limit\":"
        "\"NO_LIMIT\",\"options\":[{\"label\":\"a\",\"selection_limit\":"
        "\"CONTEST_LIMIT\"}]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}";
    const char *bads[] = {bad1, bad2, bad3, bad4, "{", "[]"};
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        assert_int_not_equal(vr_manifest_parse(&m, (const uint8_t *)bads[i],
                                               strlen(bads[i]), err,
                                               sizeof err),
                             SC_OK);
    }
}

/* vr_pow_many against sc_pow: every group, 0, 1, small, q - 1, random,
 * 2^qbits - 1, one to five exponents. */
static void pow_many(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(5);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q7,  SC_GROUP_TOY_Q16,
                               SC_GROUP_TOY_Q32, SC_GROUP_TOY_Q64,
                               SC_GROUP_3072,    SC_GROUP_STANDARD};
    for (size_t gi = 0; gi < sizeof ids / sizeof ids[0]; gi++) {
        sc_group *g = t_group(ids[gi]);
        mpz_t x, want, e[5], out[5];
        mpz_inits(x, want, NULL);
        for (int i = 0; i < 5; i++) {
            mpz_inits(e[i], out[i], NULL);
        }
        for (int round = 0; round < 4; round++) {
            sc_rng_scalar(rng, g, x);
            sc_fb_pow(g->g_fb, x, x);
            size_t n = 1 + (size_t)round;
            for (size_t i = 0; i < n; i++) {
                sc_rng_scalar(rng, g, e[i]);
            }
            if (round == 1) {
                mpz_set_ui(e[0], 0);
                mpz_set_ui(e[1], 1);
            }
            if (round == 2) {
                mpz_sub_ui(e[0], g->q, 1);
                mpz_set_ui(e[1], 15);
                mpz_setbit(e[2], g->qbits - 1);
            }
            if (round == 3) {
                mpz_set_ui(e[3], 0);
                mpz_setbit(e[3], g->qbits);
                mpz_sub_ui(e[3], e[3], 1);
            }
            vr_pow_many(g, out, x, n, (const mpz_t *)e);
            for (size_t i = 0; i < n; i++) {
                mpz_powm(want, x, e[i], g->p);
                assert_int_equal(mpz_cmp(want, out[i]), 0);
            }
        }
        mpz_clears(x, want, NULL);
        for (int i = 0; i < 5; i++) {
            mpz_clears(e[i], out[i], NULL);
        }
        sc_group_free(g);
    }
    sc_rng_free(rng);
}

/* vc_pow_many_chain_mul (without chains, and from chains) and vc_prods
 * against mpz: on the IFMA kernel and off it (sc_mont_ifma_allow), for
 * factors 0, 1, in range, p and beyond (reduced as sc_mulmod does). */
static void products_in_engine_form(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(9);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_3072,
                               SC_GROUP_STANDARD};
    for (int allow = 1; allow >= 0; allow--) {
        sc_mont_ifma_allow(allow);
        for (size_t gi = 0; gi < sizeof ids / sizeof ids[0]; gi++) {
            sc_group *g = t_group(ids[gi]);
            mpz_t x, want, e[3], out[3], pre[3];
            mpz_inits(x, want, NULL);
            for (int i = 0; i < 3; i++) {
                mpz_inits(e[i], out[i], pre[i], NULL);
            }
            /* out[i] = pre[i] x^e[i], pre[i] in [0, p) */
            sc_rng_scalar(rng, g, x);
            sc_fb_pow(g->g_fb, x, x);
            for (int i = 0; i < 3; i++) {
                sc_rng_scalar(rng, g, e[i]);
                sc_rng_scalar(rng, g, pre[i]);
                sc_fb_pow(g->g_fb, pre[i], pre[i]);
            }
            mpz_set_ui(e[1], 0);
            mpz_set_ui(pre[2], 0);
            vc_chains ch = {0};
            mpz_t bases[1];
            bases[0][0] = x[0];
            assert_int_equal(vc_chains_make(g, &ch, 1, (const mpz_t *)bases),
                             SC_OK);
            for (int use = 0; use < 2; use++) {
                for (int i = 0; i < 3; i++) {
                    mpz_set(out[i], pre[i]);
                }
                vc_pow_many_chain_mul(g, out, x, use ? &ch : NULL, 0, 3,
                                      (const mpz_t *)e);
                for (int i = 0; i < 3; i++) {
                    mpz_powm(want, x, e[i], g->p);
                    mpz_mul(want, want, pre[i]);
                    mpz_mod(want, want, g->p);
                    assert_int_equal(mpz_cmp(want, out[i]), 0);
                }
            }
            vc_chains_free(&ch);
            /* running products: product 0 of random factors, product 1
             * of p + 5, 1, p - 1 and 2 p + 3, product 2 never touched,
             * product 3 hits 0 */
            vc_prods pr;
            assert_int_equal(vc_prods_init(&pr, g, 4), SC_OK);
            for (int round = 0; round < 2; round++) {
                mpz_t w[4];
                for (int i = 0; i < 4; i++) {
                    mpz_init_set_ui(w[i], 1);
                }
                for (int k = 0; k < 7; k++) {
                    sc_rng_scalar(rng, g, x);
                    sc_fb_pow(g->g_fb, x, x);
                    vc_prods_mul(&pr, 0, x);
                    mpz_mul(w[0], w[0], x);
                    mpz_mod(w[0], w[0], g->p);
                    vc_prods_mul(&pr, 3, k == 3 ? want : x);
                    mpz_mul(w[3], w[3], k == 3 ? want : x);
                    mpz_mod(w[3], w[3], g->p);
                    if (k == 2) {
                        mpz_set_ui(want, 0);
                    }
                }
                const long add[] = {5, 1, -1, 3};
                for (int k = 0; k < 4; k++) {
                    mpz_mul_ui(x, g->p, k == 3 ? 2 : k == 0 || k == 2);
                    if (add[k] < 0) {
                        mpz_sub_ui(x, x, 1);
                    } else if (k == 1) {
                        mpz_set_ui(x, 1);
                    } else {
                        mpz_add_ui(x, x, (unsigned long)add[k]);
                    }
                    vc_prods_mul(&pr, 1, x);
                    mpz_mul(w[1], w[1], x);
                    mpz_mod(w[1], w[1], g->p);
                }
                for (int i = 0; i < 4; i++) {
                    vc_prods_get(&pr, (size_t)i, out[0]);
                    assert_int_equal(mpz_cmp(w[i], out[0]), 0);
                    mpz_clear(w[i]);
                }
                vc_prods_reset(&pr);
            }
            vc_prods_free(&pr);
            mpz_clears(x, want, NULL);
            for (int i = 0; i < 3; i++) {
                mpz_clears(e[i], out[i], pre[i], NULL);
            }
            sc_group_free(g);
        }
    }
    sc_mont_ifma_allow(1);
    sc_rng_free(rng);
}

/* vc_lines against sc_input_getline on the same bytes: random files of
 * 'a', '\n', '\r' and NUL (lines empty, long, last without '\n'),
 * limits from 1 byte up, lines longer than a block. */
static void lines_as_getline(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(13);
    static char data[300000];
    const size_t maxes[] = {1, 2, 3, 7, 64, 70000, SC_LINE_MAX};
    for (int round = 0; round < 60; round++) {
        uint8_t r[8];
        sc_rng_bytes(rng, r, sizeof r);
        size_t len =
            round < 40 ? (size_t)(r[0] | r[1] << 8) % 400
                       : (size_t)(r[0] | r[1] << 8 | r[2] << 16) % sizeof data;
        int nl_every = 1 + r[3] % (round < 40 ? 8 : 90000);
        for (size_t i = 0; i < len; i++) {
            sc_rng_bytes(rng, r, 2);
            data[i] = r[0] % nl_every == 0 ? '\n'
                      : r[1] % 7 == 0      ? '\0'
                      : r[1] % 7 == 1      ? '\r'
                                           : 'a';
        }
        for (size_t mi = 0; mi < sizeof maxes / sizeof maxes[0]; mi++) {
            FILE *f1 = tmpfile(), *f2 = tmpfile();
            assert_non_null(f1);
            assert_non_null(f2);
            assert_int_equal(fwrite(data, 1, len, f1), len);
            assert_int_equal(fwrite(data, 1, len, f2), len);
            rewind(f1);
            rewind(f2);
            char *want = NULL;
            size_t cap = 0;
            vc_lines lr;
            vc_lines_init(&lr, f2);
            for (;;) {
                ssize_t n1 = sc_input_getline(&want, &cap, f1, maxes[mi]);
                const char *got = NULL;
                ssize_t n2 = vc_lines_next(&lr, &got, maxes[mi]);
                assert_int_equal(n1, n2);
                if (n1 <= 0) {
                    break;
                }
                assert_memory_equal(want, got, (size_t)n1);
            }
            free(want);
            vc_lines_free(&lr);
            fclose(f1);
            fclose(f2);
        }
    }
    sc_rng_free(rng);
}

static void missing_record(void **state)
{
    (void)state;
    sc_report *rep = NULL;
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    sc_verify_opts o;
    sc_verify_opts_default(&o);
    o.threads = 1;
    assert_int_equal(sc_verify_record("/nonexistent/record", &o, rep), SC_OK);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_CANNOT_CHECK);
    assert_true(sc_report_errors(rep, "V1") > 0);
    assert_int_equal(sc_verify_is_record("/nonexistent/record"), 0);
    sc_report_free(rep);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(selection_conditions),
        cmocka_unit_test(limit_conditions),
        cmocka_unit_test(ballot_nonce_conditions),
        cmocka_unit_test(reader_hex),
        cmocka_unit_test(reader_hex_random),
        cmocka_unit_test(manifest_limits),
        cmocka_unit_test(pow_many),
        cmocka_unit_test(products_in_engine_form),
        cmocka_unit_test(lines_as_getline),
        cmocka_unit_test(missing_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
