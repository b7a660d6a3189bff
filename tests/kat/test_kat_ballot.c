/* Known answers for ballot encryption and its proofs from
 * ../shared/vectors/eg21_kat.json: selection encryptions (eq 31 with the
 * nonces of eq 33), the published range proofs (eq 57-61, Verification 6)
 * and contest-limit proof (eq 62, Verification 7), the ballot-nonce
 * encryption (eq 34-38), the share-encryption keys (eq 15-21) and the
 * Lagrange coefficients (eq 85). */
#include "testlib.h"

#include <string.h>

#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/proof.h"

typedef struct kctx {
    sc_group *g;
    sc_elgamal_key *K, *Khat;
    uint8_t hp[32], he[32], hi[32], xib[32];
} kctx;

static void kctx_init(kctx *c)
{
    json_t *v = t_kat_get("main_chain");
    uint8_t hb[32], idb[32];
    mpz_t e, K, Kh;
    mpz_inits(e, K, Kh, NULL);
    c->g = t_group(SC_GROUP_STANDARD);
    mpz_set_ui(e, 5);
    mpz_powm(K, c->g->g, e, c->g->p); /* K = g^5 */
    mpz_set_ui(e, 7);
    mpz_powm(Kh, c->g->g, e, c->g->p); /* K-hat = g^7 */
    assert_int_equal(sc_elgamal_key_new(&c->K, c->g, K), SC_OK);
    assert_int_equal(sc_elgamal_key_new(&c->Khat, c->g, Kh), SC_OK);
    sc_eg_param_base_hash(c->g, 3, 2, c->hp);
    const char *m = t_kat_str(v, "manifest_utf8");
    sc_eg_election_base_hash(c->hp, (const uint8_t *)m, strlen(m), hb);
    sc_eg_extended_base_hash(c->g, hb, K, Kh, c->he);
    t_assert_digest(c->he, t_kat_str(v, "H_E"));
    t_bytes_hex(idb, 32, t_kat_str(v, "id_B"));
    sc_eg_selection_id_hash(c->he, idb, c->hi);
    t_assert_digest(c->hi, t_kat_str(v, "H_I"));
    t_bytes_hex(c->xib, 32, t_kat_str(v, "xi_B"));
    mpz_clears(e, K, Kh, NULL);
}

static void kctx_clear(kctx *c)
{
    sc_elgamal_key_free(c->K);
    sc_elgamal_key_free(c->Khat);
    sc_group_free(c->g);
}

/* Load a published range proof {c: [..], v: [..], c_total}. */
static void load_proof(json_t *o, sc_range_proof *pf)
{
    json_t *cs = json_object_get(o, "c"), *vs = json_object_get(o, "v");
    assert_true(json_is_array(cs) && json_is_array(vs));
    size_t n = json_array_size(cs);
    assert_int_equal(n, json_array_size(vs));
    assert_true(n >= 2);
    assert_int_equal(sc_range_proof_init(pf, (uint32_t)(n - 1)), SC_OK);
    for (size_t j = 0; j < n; j++) {
        t_mpz_hex(pf->c[j], json_string_value(json_array_get(cs, j)));
        t_mpz_hex(pf->v[j], json_string_value(json_array_get(vs, j)));
    }
    t_mpz_hex(pf->c_total, t_kat_str(o, "c_total"));
}

static const char *OPT[2] = {"option 1 (sigma=1)", "option 2 (sigma=0)"};
static const unsigned SIGMA[2] = {1, 0};

static void selections_and_range_proofs(void **state)
{
    (void)state;
    kctx c;
    kctx_init(&c);
    json_t *sel = t_kat_get("contest1_selections");
    mpz_t xi, want;
    mpz_inits(xi, want, NULL);
    sc_ciphertext ct;
    sc_ciphertext_init(&ct);
    for (uint32_t j = 1; j <= 2; j++) {
        json_t *o = json_object_get(sel, OPT[j - 1]);
        assert_non_null(o);
        /* eq 33 then eq 31 */
        sc_eg_selection_nonce(c.g, c.hi, 1, j, c.xib, xi);
        assert_int_equal(sc_elgamal_encrypt_u64(c.K, &ct, SIGMA[j - 1], xi),
                         SC_OK);
        t_mpz_hex(want, t_kat_str(o, "alpha"));
        assert_int_equal(mpz_cmp(ct.alpha, want), 0);
        t_mpz_hex(want, t_kat_str(o, "beta"));
        assert_int_equal(mpz_cmp(ct.beta, want), 0);
        /* the published proof verifies (Verification 6) */
        sc_range_proof pf;
        load_proof(o, &pf);
        sc_range_ctx rc = {c.hi, 1, 1, j};
        assert_int_equal(sc_range_proof_verify(c.K, &rc, &ct, &pf, 1), SC_OK);
        /* sum of c_j is the published c_total (6.D) */
        mpz_set(want, pf.c_total);
        sc_range_proof_set_total(c.g, &pf);
        assert_int_equal(mpz_cmp(want, pf.c_total), 0);
        /* ... and not for the other option index or the other contest */
        sc_range_ctx bad = {c.hi, 1, 1, 3 - j};
        assert_int_equal(sc_range_proof_verify(c.K, &bad, &ct, &pf, 1),
                         SC_E_VERIFY);
        sc_range_ctx bad2 = {c.hi, 2, 1, j};
        assert_int_equal(sc_range_proof_verify(c.K, &bad2, &ct, &pf, 1),
                         SC_E_VERIFY);
        sc_range_proof_clear(&pf);
        /* decryption with the nonce gives sigma back (eq 109) */
        sc_dlog *dl = NULL;
        assert_int_equal(sc_dlog_new(&dl, c.g, c.K->K, 10), SC_OK);
        uint64_t s = 99;
        assert_int_equal(sc_elgamal_decrypt_nonce(c.K, dl, &s, &ct, xi), SC_OK);
        assert_int_equal(s, SIGMA[j - 1]);
        /* and with the secret key s = 5 */
        mpz_set_ui(want, 5);
        assert_int_equal(sc_elgamal_decrypt_secret(c.K, dl, &s, &ct, want),
                         SC_OK);
        assert_int_equal(s, SIGMA[j - 1]);
        sc_dlog_free(dl);
    }
    sc_ciphertext_clear(&ct);
    mpz_clears(xi, want, NULL);
    kctx_clear(&c);
}

static void limit_proof(void **state)
{
    (void)state;
    kctx c;
    kctx_init(&c);
    json_t *sel = t_kat_get("contest1_selections");
    json_t *lp = t_kat_get("contest1_limit_proof_eq62");
    sc_ciphertext cts[2], bar;
    mpz_t want;
    mpz_init(want);
    for (int j = 0; j < 2; j++) {
        json_t *o = json_object_get(sel, OPT[j]);
        sc_ciphertext_init(&cts[j]);
        t_mpz_hex(cts[j].alpha, t_kat_str(o, "alpha"));
        t_mpz_hex(cts[j].beta, t_kat_str(o, "beta"));
    }
    /* 7.1-7.2: the product is the published (alpha-bar, beta-bar) */
    sc_ciphertext_init(&bar);
    sc_ciphertext_product(c.g, &bar, 2, cts);
    t_mpz_hex(want, t_kat_str(lp, "alpha_bar"));
    assert_int_equal(mpz_cmp(bar.alpha, want), 0);
    t_mpz_hex(want, t_kat_str(lp, "beta_bar"));
    assert_int_equal(mpz_cmp(bar.beta, want), 0);
    sc_range_proof pf;
    load_proof(lp, &pf);
    assert_int_equal(pf.R, 1); /* L = 1 */
    assert_int_equal(sc_limit_proof_verify(c.K, c.hi, 1, 2, cts, &pf, 1),
                     SC_OK);
    /* the limit proof is not a selection proof (eq 62 has no ind_o) */
    sc_range_ctx as_opt = {c.hi, 1, 1, 0};
    assert_int_equal(sc_range_proof_verify(c.K, &as_opt, &bar, &pf, 1),
                     SC_E_VERIFY);
    /* one selection alone does not match */
    assert_int_equal(sc_limit_proof_verify(c.K, c.hi, 1, 1, cts, &pf, 1),
                     SC_E_VERIFY);
    sc_range_proof_clear(&pf);
    /* our own prover gives a proof that verifies, over the same inputs */
    sc_rng *rng = t_rng(62);
    mpz_t xis[2];
    mpz_inits(xis[0], xis[1], NULL);
    sc_eg_selection_nonce(c.g, c.hi, 1, 1, c.xib, xis[0]);
    sc_eg_selection_nonce(c.g, c.hi, 1, 2, c.xib, xis[1]);
    assert_int_equal(sc_range_proof_init(&pf, 1), SC_OK);
    assert_int_equal(
        sc_limit_proof_prove(c.K, c.hi, 1, 2, cts, xis, 1, rng, &pf), SC_OK);
    assert_int_equal(sc_limit_proof_verify(c.K, c.hi, 1, 2, cts, &pf, 1),
                     SC_OK);
    sc_range_proof_clear(&pf);
    mpz_clears(xis[0], xis[1], NULL);
    sc_rng_free(rng);
    for (int j = 0; j < 2; j++) {
        sc_ciphertext_clear(&cts[j]);
    }
    sc_ciphertext_clear(&bar);
    mpz_clear(want);
    kctx_clear(&c);
}

static void own_selection_proofs_standard(void **state)
{
    (void)state;
    kctx c;
    kctx_init(&c);
    sc_rng *rng = t_rng(59);
    mpz_t xi;
    mpz_init(xi);
    sc_ciphertext ct;
    sc_ciphertext_init(&ct);
    for (uint32_t j = 1; j <= 2; j++) {
        sc_eg_selection_nonce(c.g, c.hi, 1, j, c.xib, xi);
        assert_int_equal(sc_elgamal_encrypt_u64(c.K, &ct, SIGMA[j - 1], xi),
                         SC_OK);
        sc_range_proof pf;
        assert_int_equal(sc_range_proof_init(&pf, 1), SC_OK);
        sc_range_ctx rc = {c.hi, 1, 1, j};
        assert_int_equal(
            sc_range_proof_prove(c.K, &rc, &ct, xi, SIGMA[j - 1], rng, &pf),
            SC_OK);
        assert_int_equal(sc_range_proof_verify(c.K, &rc, &ct, &pf, 1), SC_OK);
        sc_range_proof_clear(&pf);
    }
    sc_ciphertext_clear(&ct);
    mpz_clear(xi);
    sc_rng_free(rng);
    kctx_clear(&c);
}

static void ballot_nonce(void **state)
{
    (void)state;
    kctx c;
    kctx_init(&c);
    json_t *v = t_kat_get("ballot_nonce_encryption_eq35_37");
    mpz_t xh, u, shat;
    mpz_inits(xh, u, shat, NULL);
    mpz_set_ui(xh, 17);
    mpz_set_ui(u, 12345);
    sc_nonce_ct ct;
    sc_nonce_ct_init(&ct);
    assert_int_equal(
        sc_ballot_nonce_encrypt_det(c.Khat, c.hi, c.xib, xh, u, &ct), SC_OK);
    t_assert_digest(ct.c1, t_kat_str(v, "C_xiB_1"));
    assert_int_equal(sc_ballot_nonce_verify(c.g, c.hi, &ct), SC_OK);
    uint8_t back[32];
    mpz_set_ui(shat, 7);
    assert_int_equal(sc_ballot_nonce_decrypt(c.g, c.hi, &ct, shat, back),
                     SC_OK);
    assert_memory_equal(back, c.xib, 32);
    sc_nonce_ct_clear(&ct);
    mpz_clears(xh, u, shat, NULL);
    kctx_clear(&c);
}

static void share_encryption(void **state)
{
    (void)state;
    kctx c;
    kctx_init(&c);
    json_t *v = t_kat_get("share_encryption_kdf_eq16_18");
    mpz_t e, kappa, P, Ph, xi, u, P2, Ph2;
    mpz_inits(e, kappa, P, Ph, xi, u, P2, Ph2, NULL);
    mpz_set_ui(e, 11);
    mpz_powm(kappa, c.g->g, e, c.g->p); /* kappa_2 = g^11 */
    sc_elgamal_key *kk = NULL;
    assert_int_equal(sc_elgamal_key_new(&kk, c.g, kappa), SC_OK);
    mpz_set_ui(xi, 13);
    mpz_set_ui(u, 99);
    t_mpz_hex(P,
              "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCD");
    t_mpz_hex(Ph,
              "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA98765432");
    sc_share_ct ct;
    sc_share_ct_init(&ct);
    assert_int_equal(sc_share_encrypt_det(kk, c.hp, 1, 2, P, Ph, xi, u, &ct),
                     SC_OK);
    /* C_1 XOR plaintext = k_il_1 ‖ k_il_2 (eq 21) */
    uint8_t pt[64], ks[64];
    assert_int_equal(sc_mpz_encode(pt, 32, P), SC_OK);
    assert_int_equal(sc_mpz_encode(pt + 32, 32, Ph), SC_OK);
    for (int b = 0; b < 64; b++) {
        ks[b] = ct.c1[b] ^ pt[b];
    }
    t_assert_digest(ks, t_kat_str(v, "k_il_1"));
    t_assert_digest(ks + 32, t_kat_str(v, "k_il_2"));
    mpz_set_ui(e, 11);
    assert_int_equal(sc_share_decrypt(kk, c.hp, 1, 2, e, &ct, P2, Ph2), SC_OK);
    assert_int_equal(mpz_cmp(P, P2), 0);
    assert_int_equal(mpz_cmp(Ph, Ph2), 0);
    sc_share_ct_clear(&ct);
    sc_elgamal_key_free(kk);
    mpz_clears(e, kappa, P, Ph, xi, u, P2, Ph2, NULL);
    kctx_clear(&c);
}

static void lagrange(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    json_t *v = t_kat_get("lagrange_eq85");
    static const uint32_t U1[] = {1, 3}, U2[] = {2, 3, 5};
    const struct {
        const char *name;
        const uint32_t *U;
        size_t n;
    } sets[] = {{"(1, 3)", U1, 2}, {"(2, 3, 5)", U2, 3}};
    mpz_t w[3], want;
    mpz_inits(w[0], w[1], w[2], want, NULL);
    for (size_t s = 0; s < 2; s++) {
        json_t *o = json_object_get(v, sets[s].name);
        assert_non_null(o);
        assert_int_equal(sc_lagrange_coeffs(g, sets[s].n, sets[s].U, w), SC_OK);
        for (size_t m = 0; m < sets[s].n; m++) {
            char key[16];
            snprintf(key, sizeof key, "%u", sets[s].U[m]);
            t_mpz_hex(want, t_kat_str(o, key));
            assert_int_equal(mpz_cmp(w[m], want), 0);
        }
    }
    mpz_clears(w[0], w[1], w[2], want, NULL);
    sc_group_free(g);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(selections_and_range_proofs),
        cmocka_unit_test(limit_proof),
        cmocka_unit_test(own_selection_proofs_standard),
        cmocka_unit_test(ballot_nonce),
        cmocka_unit_test(share_encryption),
        cmocka_unit_test(lagrange),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
