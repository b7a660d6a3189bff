/* Known answers for the hashes of §5 from ../shared/vectors/eg21_kat.json
 * (H_P and the main chain are confirmed by two other implementations). */
#include "testlib.h"

#include <string.h>

#include "hash/sha256ni.h"
#include "scrutin/eghash.h"
#include "scrutin/hash.h"

static void h_zero_key_empty(void **state)
{
    (void)state;
    uint8_t key[32] = {0}, out[32];
    sc_hmac(out, key, NULL, 0);
    t_assert_digest(out, json_string_value(
                             json_object_get(t_kat(), "H_zero_key_empty_msg")));
    /* the incremental path gives the same */
    sc_hash h;
    sc_hash_init_raw(&h, NULL, key);
    sc_hash_final(&h, out);
    t_assert_digest(out, "B613679A0814D9EC772F95D778C35FC5FF1697C493715653C6C"
                         "712144292C5AD");
}

static void parameter_base_hash(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    json_t *v = t_kat_get("parameter_base_hash");
    static const unsigned nk[][2] = {{1, 1}, {3, 2}, {3, 3}, {5, 3}};
    for (size_t i = 0; i < 4; i++) {
        char key[32];
        snprintf(key, sizeof key, "n=%u,k=%u", nk[i][0], nk[i][1]);
        uint8_t out[32];
        sc_eg_param_base_hash(g, nk[i][0], nk[i][1], out);
        t_assert_digest(out, t_kat_str(v, key));
    }
    sc_group_free(g);
}

typedef struct chain {
    sc_group *g;
    mpz_t K, Khat;
    uint8_t hp[32], hb[32], he[32], hi[32], xib[32], hdi[32];
} chain;

static void chain_init(chain *c)
{
    json_t *v = t_kat_get("main_chain");
    c->g = t_group(SC_GROUP_STANDARD);
    mpz_inits(c->K, c->Khat, NULL);
    mpz_set_ui(c->K, 5);
    mpz_powm(c->K, c->g->g, c->K, c->g->p);
    mpz_set_ui(c->Khat, 7);
    mpz_powm(c->Khat, c->g->g, c->Khat, c->g->p);
    sc_eg_param_base_hash(c->g, 3, 2, c->hp);
    t_assert_digest(c->hp, t_kat_str(v, "H_P"));
    const char *m = t_kat_str(v, "manifest_utf8");
    sc_eg_election_base_hash(c->hp, (const uint8_t *)m, strlen(m), c->hb);
    t_assert_digest(c->hb, t_kat_str(v, "H_B"));
    sc_eg_extended_base_hash(c->g, c->hb, c->K, c->Khat, c->he);
    t_assert_digest(c->he, t_kat_str(v, "H_E"));
    uint8_t idb[32];
    t_bytes_hex(idb, 32, t_kat_str(v, "id_B"));
    sc_eg_selection_id_hash(c->he, idb, c->hi);
    t_assert_digest(c->hi, t_kat_str(v, "H_I"));
    t_bytes_hex(c->xib, 32, t_kat_str(v, "xi_B"));
    const char *dev = t_kat_str(v, "S_device");
    sc_eg_device_hash(c->he, dev, strlen(dev), c->hdi);
    t_assert_digest(c->hdi, t_kat_str(v, "H_DI"));
    uint8_t pre[32];
    sc_eg_pre_device_hash(c->he, dev, strlen(dev), pre);
    t_assert_digest(pre, t_kat_str(v, "H_DI_preencrypted(0x43)"));
}

static void chain_clear(chain *c)
{
    mpz_clears(c->K, c->Khat, NULL);
    sc_group_free(c->g);
}

static void main_chain(void **state)
{
    (void)state;
    chain c;
    chain_init(&c); /* asserts H_P, H_B, H_E, H_I, H_DI */
    chain_clear(&c);
}

static void nonces(void **state)
{
    (void)state;
    chain c;
    chain_init(&c);
    json_t *v = t_kat_get("encryption_nonces_eq33");
    mpz_t x, want;
    mpz_inits(x, want, NULL);
    for (uint32_t i = 1; i <= 2; i++) {
        for (uint32_t j = 1; j <= 3; j++) {
            char key[16];
            snprintf(key, sizeof key, "xi_%u,%u", i, j);
            sc_eg_selection_nonce(c.g, c.hi, i, j, c.xib, x);
            t_mpz_hex(want, t_kat_str(v, key));
            assert_int_equal(mpz_cmp(x, want), 0);
        }
    }
    sc_eg_contest_data_nonce(c.g, c.hi, 1, c.xib, x);
    t_mpz_hex(want,
              t_kat_str(t_kat_get("contest_data_nonce_eq64"), "contest 1"));
    assert_int_equal(mpz_cmp(x, want), 0);
    mpz_clears(x, want, NULL);
    chain_clear(&c);
}

static void contest_hash_and_codes(void **state)
{
    (void)state;
    chain c;
    chain_init(&c);
    json_t *sel = t_kat_get("contest1_selections");
    mpz_t al[2], be[2];
    const char *names[2] = {"option 1 (sigma=1)", "option 2 (sigma=0)"};
    for (int j = 0; j < 2; j++) {
        json_t *o = json_object_get(sel, names[j]);
        assert_non_null(o);
        mpz_inits(al[j], be[j], NULL);
        t_mpz_hex(al[j], t_kat_str(o, "alpha"));
        t_mpz_hex(be[j], t_kat_str(o, "beta"));
    }
    uint8_t chi[32];
    sc_eg_contest_hash(c.g, c.hi, 1, 2, al, be, NULL, chi);
    t_assert_digest(
        chi,
        t_kat_str(t_kat_get("contest_hash_eq70_no_contest_data"), "chi_1"));

    /* No chaining: B_C = 0x00000000 ‖ H_DI (eq 73), H_C (eq 71). */
    json_t *nc = t_kat_get("confirmation_code_no_chaining");
    uint8_t bc[SC_BC_BYTES], want_bc[SC_BC_BYTES], hc[32];
    sc_eg_chain_field(bc, SC_CHAIN_NONE, c.hdi);
    t_bytes_hex(want_bc, SC_BC_BYTES, t_kat_str(nc, "B_C"));
    assert_memory_equal(bc, want_bc, SC_BC_BYTES);
    sc_eg_confirmation_code(c.hi, 1, chi, bc, hc);
    t_assert_digest(hc, t_kat_str(nc, "H_C"));

    /* Simple chaining, one ballot (eq 74-78). */
    json_t *sc = t_kat_get("simple_chaining_single_ballot");
    uint8_t bc0[SC_BC_BYTES], h0[32], bc1[SC_BC_BYTES], h1[32];
    uint8_t bcc[SC_BC_BYTES], hcl[32];
    sc_eg_chain_field(bc0, SC_CHAIN_SIMPLE, c.hdi);
    t_bytes_hex(want_bc, SC_BC_BYTES, t_kat_str(sc, "B_C0"));
    assert_memory_equal(bc0, want_bc, SC_BC_BYTES);
    sc_eg_chain_hash(c.he, bc0, h0);
    t_assert_digest(h0, t_kat_str(sc, "H_0"));
    sc_eg_chain_field(bc1, SC_CHAIN_SIMPLE, h0);
    t_bytes_hex(want_bc, SC_BC_BYTES, t_kat_str(sc, "B_C1"));
    assert_memory_equal(bc1, want_bc, SC_BC_BYTES);
    sc_eg_confirmation_code(c.hi, 1, chi, bc1, h1);
    t_assert_digest(h1, t_kat_str(sc, "H_1"));
    sc_eg_chain_close_field(c.he, h1, bc0, bcc);
    t_bytes_hex(want_bc, SC_BC_BYTES, t_kat_str(sc, "B_C_close"));
    assert_memory_equal(bcc, want_bc, SC_BC_BYTES);
    sc_eg_chain_hash(c.he, bcc, hcl);
    t_assert_digest(hcl, t_kat_str(sc, "H_close"));
    for (int j = 0; j < 2; j++) {
        mpz_clears(al[j], be[j], NULL);
    }
    chain_clear(&c);
}

static void share_kdf(void **state)
{
    (void)state;
    chain c;
    chain_init(&c);
    json_t *v = t_kat_get("share_encryption_kdf_eq16_18");
    mpz_t kappa, xi, alpha, beta;
    mpz_inits(kappa, xi, alpha, beta, NULL);
    mpz_set_ui(kappa, 11);
    mpz_powm(kappa, c.g->g, kappa, c.g->p);
    mpz_set_ui(xi, 13);
    mpz_powm(alpha, c.g->g, xi, c.g->p);
    mpz_powm(beta, kappa, xi, c.g->p);
    uint8_t k[32], k1[32], k2[32];
    sc_eg_share_key(c.g, c.hp, 1, 2, kappa, alpha, beta, k);
    t_assert_digest(k, t_kat_str(v, "k_il"));
    sc_eg_share_kdf(k, 1, 2, 1, k1);
    t_assert_digest(k1, t_kat_str(v, "k_il_1"));
    sc_eg_share_kdf(k, 1, 2, 2, k2);
    t_assert_digest(k2, t_kat_str(v, "k_il_2"));
    mpz_clears(kappa, xi, alpha, beta, NULL);
    chain_clear(&c);
}

static void ballot_nonce_kdf(void **state)
{
    (void)state;
    chain c;
    chain_init(&c);
    json_t *v = t_kat_get("ballot_nonce_encryption_eq35_37");
    mpz_t xh, alpha, beta;
    mpz_inits(xh, alpha, beta, NULL);
    mpz_set_ui(xh, 17);
    mpz_powm(alpha, c.g->g, xh, c.g->p);
    mpz_powm(beta, c.Khat, xh, c.g->p);
    uint8_t h[32], k1[32], c1[32];
    sc_eg_ballot_nonce_key(c.g, c.hi, alpha, beta, h);
    t_assert_digest(h, t_kat_str(v, "h"));
    sc_eg_ballot_nonce_kdf(h, k1);
    t_assert_digest(k1, t_kat_str(v, "k1"));
    for (int i = 0; i < 32; i++) {
        c1[i] = c.xib[i] ^ k1[i]; /* eq 37 */
    }
    t_assert_digest(c1, t_kat_str(v, "C_xiB_1"));
    mpz_clears(xh, alpha, beta, NULL);
    chain_clear(&c);
}

/* The SHA-extension path of sc_hash (sha256ni.c) against libsodium's
 * HMAC-SHA-256, on keys and messages from a seeded generator, fed in
 * random pieces (block boundaries crossed in every way), and the
 * one-shot sc_hmac; then the same with the fast path off. On a CPU
 * without the extensions both sides are libsodium's. */
static void sha_ext_matches_libsodium(void **state)
{
    (void)state;
    static uint8_t msg[1200];
    uint8_t seed[randombytes_SEEDBYTES] = {7};
    randombytes_buf_deterministic(msg, sizeof msg, seed);
    printf("SHA extensions: %s\n", sc_sha256ni_on() ? "used" : "absent");
    for (int pass = 0; pass < 2; pass++) {
        for (size_t len = 0; len <= sizeof msg; len += len < 200 ? 1 : 61) {
            uint8_t key[32], want[32], got[32], one[32];
            memcpy(key, msg + (len * 7) % 64, 32);
            crypto_auth_hmacsha256_state ref;
            crypto_auth_hmacsha256_init(&ref, key, 32);
            crypto_auth_hmacsha256_update(&ref, msg, len);
            crypto_auth_hmacsha256_final(&ref, want);
            sc_hash h;
            sc_hash_init_raw(&h, NULL, key);
            size_t off = 0, step = 1 + len % 67;
            while (off < len) {
                size_t take = len - off < step ? len - off : step;
                sc_hash_bytes(&h, msg + off, take);
                off += take;
                step = 1 + (step * 31 + 17) % 130;
            }
            sc_hash_final(&h, got);
            assert_memory_equal(got, want, 32);
            sc_hmac(one, key, msg, len);
            assert_memory_equal(one, want, 32);
        }
        sc_sha256ni_force(0); /* the second pass: libsodium's */
    }
    sc_sha256ni_force(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(h_zero_key_empty),
        cmocka_unit_test(parameter_base_hash),
        cmocka_unit_test(main_chain),
        cmocka_unit_test(nonces),
        cmocka_unit_test(contest_hash_and_codes),
        cmocka_unit_test(share_kdf),
        cmocka_unit_test(ballot_nonce_kdf),
        cmocka_unit_test(sha_ext_matches_libsodium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
