/* ElGamal (eq 31, 79-80, 109), the constant-time scalar helpers, and the
 * hashed-ElGamal ciphertexts with their Schnorr proofs (eq 15-23, 34-38,
 * 63-69). Property tests are seeded (t_rng; replay with SC_TEST_SEED). */
#include "testlib.h"

#include <string.h>

#include "elgamal/scalar_ct.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"

static const sc_group_id GROUPS[] = {SC_GROUP_TOY_Q7, SC_GROUP_TOY_Q16,
                                     SC_GROUP_TOY_Q32, SC_GROUP_TOY_Q64,
                                     SC_GROUP_STANDARD};
#define NGROUPS (sizeof GROUPS / sizeof GROUPS[0])

/* A key pair: s in [1, q), K = g^s. */
static sc_elgamal_key *keypair(const sc_group *g, sc_rng *rng, mpz_t s)
{
    mpz_t K;
    mpz_init(K);
    sc_elgamal_key *key = NULL;
    sc_rng_scalar_nonzero(rng, g, s);
    mpz_powm(K, g->g, s, g->p);
    if (mpz_cmp_ui(K, 1) == 0) {
        mpz_set_ui(s, 1);
        mpz_set(K, g->g);
    }
    assert_int_equal(sc_elgamal_key_new(&key, g, K), SC_OK);
    mpz_clear(K);
    return key;
}

static void scalar_ct_matches_mpz(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(1);
    mpz_t a, b, c, r, want;
    mpz_inits(a, b, c, r, want, NULL);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(GROUPS[gi]);
        for (int it = 0; it < 200; it++) {
            sc_rng_scalar(rng, g, a);
            sc_rng_scalar(rng, g, b);
            sc_rng_scalar(rng, g, c);
            if (it == 0) {
                mpz_sub_ui(a, g->q, 1); /* edges */
                mpz_sub_ui(b, g->q, 1);
            } else if (it == 1) {
                mpz_set_ui(a, 0);
                mpz_set_ui(c, 0);
            }
            assert_int_equal(sc_ct_mpz_add(g, r, a, b), SC_OK);
            mpz_add(want, a, b);
            mpz_mod(want, want, g->q);
            assert_int_equal(mpz_cmp(r, want), 0);
            assert_int_equal(sc_ct_mpz_neg(g, r, a), SC_OK);
            mpz_neg(want, a);
            mpz_mod(want, want, g->q);
            assert_int_equal(mpz_cmp(r, want), 0);
            assert_int_equal(sc_ct_mpz_mulsub(g, r, a, b, c), SC_OK);
            mpz_mul(want, b, c);
            mpz_sub(want, a, want);
            mpz_mod(want, want, g->q);
            assert_int_equal(mpz_cmp(r, want), 0);
            /* 32-byte round trip */
            sc_ct_scalar s, s2;
            uint8_t be[32], be2[32];
            assert_int_equal(sc_ct_load(g, &s, a), SC_OK);
            sc_ct_to_be32(g, be, &s);
            assert_int_equal(sc_mpz_encode(be2, 32, a), SC_OK);
            assert_memory_equal(be, be2, 32);
            assert_int_equal(sc_ct_from_be32(g, &s2, be), SC_OK);
            sc_ct_store(g, r, &s2);
            assert_int_equal(mpz_cmp(r, a), 0);
        }
        /* out of range: q, q + 1, 2^256 - 1, negative */
        sc_ct_scalar s;
        uint8_t be[32];
        assert_int_equal(sc_ct_load(g, &s, g->q), SC_E_INVALID_RANGE);
        mpz_add_ui(a, g->q, 1);
        assert_int_equal(sc_ct_load(g, &s, a), SC_E_INVALID_RANGE);
        mpz_set_si(a, -1);
        assert_int_equal(sc_ct_load(g, &s, a), SC_E_INVALID_RANGE);
        memset(be, 0xff, 32);
        assert_int_equal(sc_ct_from_be32(g, &s, be), SC_E_INVALID_RANGE);
        assert_int_equal(sc_mpz_encode(be, 32, g->q), SC_OK);
        assert_int_equal(sc_ct_from_be32(g, &s, be), SC_E_INVALID_RANGE);
        sc_group_free(g);
    }
    mpz_clears(a, b, c, r, want, NULL);
    sc_rng_free(rng);
}

static void key_rejects_bad_values(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_TOY_Q64);
    sc_elgamal_key *k = NULL;
    mpz_t x;
    mpz_init(x);
    mpz_set_ui(x, 0);
    assert_int_not_equal(sc_elgamal_key_new(&k, g, x), SC_OK);
    assert_null(k);
    mpz_set_ui(x, 1);
    assert_int_not_equal(sc_elgamal_key_new(&k, g, x), SC_OK);
    mpz_sub_ui(x, g->p, 1); /* order 2, not in Z_p^r */
    assert_int_not_equal(sc_elgamal_key_new(&k, g, x), SC_OK);
    mpz_set(x, g->p);
    assert_int_not_equal(sc_elgamal_key_new(&k, g, x), SC_OK);
    mpz_add(x, g->p, g->g);
    assert_int_not_equal(sc_elgamal_key_new(&k, g, x), SC_OK);
    mpz_set_ui(x, 2); /* 2 is not a q-th residue here unless r = ... */
    if (!sc_elem_is_member(g, x)) {
        assert_int_equal(sc_elgamal_key_new(&k, g, x),
                         SC_E_INVALID_NOT_IN_SUBGROUP);
    }
    assert_int_equal(sc_elgamal_key_new(&k, g, g->g), SC_OK);
    sc_elgamal_key_free(k);
    mpz_clear(x);
    sc_group_free(g);
}

static void encrypt_decrypt_roundtrip(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(31);
    mpz_t s, xi, m;
    mpz_inits(s, xi, m, NULL);
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(GROUPS[gi]);
        sc_elgamal_key *pk = keypair(g, rng, s);
        sc_dlog *dl = NULL;
        assert_int_equal(sc_dlog_new(&dl, g, pk->K, 50), SC_OK);
        int iters = GROUPS[gi] == SC_GROUP_STANDARD ? 4 : 40;
        for (int it = 0; it < iters; it++) {
            uint64_t sigma = sc_rng_u64(rng) % 51, out = 1000;
            sc_rng_scalar(rng, g, xi);
            if (it == 0) {
                mpz_set_ui(xi, 0); /* edge nonces */
            } else if (it == 1) {
                mpz_sub_ui(xi, g->q, 1);
            }
            sc_ciphertext ct;
            sc_ciphertext_init(&ct);
            assert_int_equal(sc_elgamal_encrypt_u64(pk, &ct, sigma, xi), SC_OK);
            assert_true(sc_ciphertext_is_member(g, &ct));
            /* alpha = g^xi, beta = K^(sigma+xi) (eq 31) */
            mpz_powm(m, g->g, xi, g->p);
            assert_int_equal(mpz_cmp(m, ct.alpha), 0);
            assert_int_equal(sc_elgamal_decrypt_nonce(pk, dl, &out, &ct, xi),
                             SC_OK);
            assert_int_equal(out, sigma);
            out = 1000;
            assert_int_equal(sc_elgamal_decrypt_secret(pk, dl, &out, &ct, s),
                             SC_OK);
            assert_int_equal(out, sigma);
            /* K^sigma directly */
            assert_int_equal(sc_elgamal_unmask_secret(pk, m, &ct, s), SC_OK);
            mpz_t want, e;
            mpz_inits(want, e, NULL);
            mpz_set_ui(e, (unsigned long)sigma);
            mpz_powm(want, pk->K, e, g->p);
            assert_int_equal(mpz_cmp(m, want), 0);
            mpz_clears(want, e, NULL);
            /* two at once: the same ciphertexts as one at a time (this
             * one with sigma + 1 and the nonce q - 1 - xi beside it) */
            sc_ciphertext c2[2];
            sc_ciphertext_init(&c2[0]);
            sc_ciphertext_init(&c2[1]);
            mpz_t xi1;
            mpz_init(xi1);
            mpz_sub(xi1, g->q, xi);
            mpz_sub_ui(xi1, xi1, 1);
            const uint64_t s2[2] = {sigma, sigma + 1};
            assert_int_equal(
                sc_elgamal_encrypt_u64_2(pk, &c2[0], &c2[1], s2, xi, xi1),
                SC_OK);
            assert_int_equal(mpz_cmp(c2[0].alpha, ct.alpha), 0);
            assert_int_equal(mpz_cmp(c2[0].beta, ct.beta), 0);
            assert_int_equal(sc_elgamal_encrypt_u64(pk, &ct, sigma + 1, xi1),
                             SC_OK);
            assert_int_equal(mpz_cmp(c2[1].alpha, ct.alpha), 0);
            assert_int_equal(mpz_cmp(c2[1].beta, ct.beta), 0);
            assert_int_equal(
                sc_elgamal_encrypt_u64_2(pk, &c2[0], &c2[1], s2, xi, g->q),
                SC_E_INVALID_RANGE);
            mpz_clear(xi1);
            sc_ciphertext_clear(&c2[0]);
            sc_ciphertext_clear(&c2[1]);
            sc_ciphertext_clear(&ct);
        }
        /* out-of-range secret inputs are refused */
        sc_ciphertext ct;
        sc_ciphertext_init(&ct);
        assert_int_equal(sc_elgamal_encrypt(pk, &ct, g->q, xi),
                         SC_E_INVALID_RANGE);
        assert_int_equal(sc_elgamal_encrypt_u64(pk, &ct, 1, g->q),
                         SC_E_INVALID_RANGE);
        /* plaintext beyond the dlog bound */
        sc_rng_scalar(rng, g, xi);
        assert_int_equal(sc_elgamal_encrypt_u64(pk, &ct, 51, xi), SC_OK);
        uint64_t out;
        assert_int_equal(sc_elgamal_decrypt_nonce(pk, dl, &out, &ct, xi),
                         SC_E_RANGE);
        sc_ciphertext_clear(&ct);
        sc_dlog_free(dl);
        sc_elgamal_key_free(pk);
        sc_group_free(g);
    }
    mpz_clears(s, xi, m, NULL);
    sc_rng_free(rng);
}

static void homomorphic_sum(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(79);
    mpz_t s, xsum, xi;
    mpz_inits(s, xsum, xi, NULL);
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_TOY_Q32,
                               SC_GROUP_STANDARD};
    for (size_t gi = 0; gi < 3; gi++) {
        sc_group *g = t_group(ids[gi]);
        sc_elgamal_key *pk = keypair(g, rng, s);
        sc_dlog *dl = NULL;
        assert_int_equal(sc_dlog_new(&dl, g, pk->K, 2000), SC_OK);
        enum { N = 12 };
        sc_ciphertext cts[N], prod;
        uint64_t W[N], sum = 0, wsum = 0, out = 0;
        mpz_set_ui(xsum, 0);
        for (int j = 0; j < N; j++) {
            uint64_t sig = sc_rng_u64(rng) % 3;
            W[j] = 1 + sc_rng_u64(rng) % 5;
            sum += sig;
            wsum += W[j] * sig;
            sc_ciphertext_init(&cts[j]);
            sc_rng_scalar(rng, g, xi);
            mpz_add(xsum, xsum, xi);
            assert_int_equal(sc_elgamal_encrypt_u64(pk, &cts[j], sig, xi),
                             SC_OK);
        }
        mpz_mod(xsum, xsum, g->q);
        sc_ciphertext_init(&prod);
        sc_ciphertext_product(g, &prod, N, cts);
        assert_int_equal(sc_elgamal_decrypt_secret(pk, dl, &out, &prod, s),
                         SC_OK);
        assert_int_equal(out, sum);
        /* the aggregate nonce decrypts the product too */
        assert_int_equal(sc_elgamal_decrypt_nonce(pk, dl, &out, &prod, xsum),
                         SC_OK);
        assert_int_equal(out, sum);
        /* eq 80 */
        assert_int_equal(sc_ciphertext_product_weighted(g, &prod, N, cts, W),
                         SC_OK);
        assert_int_equal(sc_elgamal_decrypt_secret(pk, dl, &out, &prod, s),
                         SC_OK);
        assert_int_equal(out, wsum);
        W[3] = 0;
        assert_int_equal(sc_ciphertext_product_weighted(g, &prod, N, cts, W),
                         SC_E_INVALID_RANGE);
        /* empty product = (1, 1) = Enc(0, 0) */
        sc_ciphertext_product(g, &prod, 0, cts);
        assert_int_equal(mpz_cmp_ui(prod.alpha, 1), 0);
        assert_int_equal(mpz_cmp_ui(prod.beta, 1), 0);
        /* pairwise mul, aliasing the output */
        sc_ciphertext_set(&prod, &cts[0]);
        sc_ciphertext_mul(g, &prod, &prod, &cts[1]);
        sc_ciphertext acc;
        sc_ciphertext_init(&acc);
        sc_ciphertext_product(g, &acc, 2, cts);
        assert_int_equal(mpz_cmp(acc.alpha, prod.alpha), 0);
        assert_int_equal(mpz_cmp(acc.beta, prod.beta), 0);
        sc_ciphertext_clear(&acc);
        for (int j = 0; j < N; j++) {
            sc_ciphertext_clear(&cts[j]);
        }
        sc_ciphertext_clear(&prod);
        sc_dlog_free(dl);
        sc_elgamal_key_free(pk);
        sc_group_free(g);
    }
    mpz_clears(s, xsum, xi, NULL);
    sc_rng_free(rng);
}

static void share_encryption(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(15);
    mpz_t zeta, P, Ph, P2, Ph2, save;
    mpz_inits(zeta, P, Ph, P2, Ph2, save, NULL);
    uint8_t hp[32];
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(GROUPS[gi]);
        sc_eg_param_base_hash(g, 5, 3, hp);
        sc_elgamal_key *kappa = keypair(g, rng, zeta);
        sc_rng_scalar(rng, g, P);
        sc_rng_scalar(rng, g, Ph);
        sc_share_ct ct;
        sc_share_ct_init(&ct);
        assert_int_equal(sc_share_encrypt(kappa, hp, 2, 4, P, Ph, rng, &ct),
                         SC_OK);
        assert_int_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_OK);
        assert_int_equal(sc_share_decrypt(kappa, hp, 2, 4, zeta, &ct, P2, Ph2),
                         SC_OK);
        assert_int_equal(mpz_cmp(P, P2), 0);
        assert_int_equal(mpz_cmp(Ph, Ph2), 0);
        /* the proof binds i, l, C_0, C_1, c, v (asserted where a random
         * challenge collision, probability 1/q, is negligible) */
        if (g->qbits < 32) {
            goto next;
        }
        assert_int_equal(sc_share_verify(g, hp, 3, 4, &ct), SC_E_VERIFY);
        assert_int_equal(sc_share_verify(g, hp, 2, 5, &ct), SC_E_VERIFY);
        hp[0] ^= 1;
        assert_int_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_E_VERIFY);
        hp[0] ^= 1;
        for (int b = 0; b < 64; b += 21) {
            ct.c1[b] ^= 0x40;
            assert_int_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_E_VERIFY);
            assert_int_equal(
                sc_share_decrypt(kappa, hp, 2, 4, zeta, &ct, P2, Ph2),
                SC_E_VERIFY);
            ct.c1[b] ^= 0x40;
        }
        mpz_t *fields[3] = {&ct.c0, &ct.c, &ct.v};
        for (int f = 0; f < 3; f++) {
            mpz_set(save, *fields[f]);
            mpz_add_ui(*fields[f], *fields[f], 1);
            if (f == 0) {
                mpz_mul(*fields[f], save, g->g); /* another member */
                mpz_mod(*fields[f], *fields[f], g->p);
            }
            assert_int_not_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_OK);
            mpz_set(*fields[f], save);
        }
        /* out-of-range fields */
        mpz_set(save, ct.v);
        mpz_set(ct.v, g->q);
        assert_int_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_E_INVALID_RANGE);
        mpz_set(ct.v, save);
        mpz_set(save, ct.c0);
        mpz_set_ui(ct.c0, 0);
        assert_int_not_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_OK);
        mpz_set(ct.c0, g->p);
        assert_int_not_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_OK);
        mpz_set(ct.c0, save);
        assert_int_equal(sc_share_verify(g, hp, 2, 4, &ct), SC_OK);
    next:
        sc_share_ct_clear(&ct);
        sc_elgamal_key_free(kappa);
        sc_group_free(g);
    }
    mpz_clears(zeta, P, Ph, P2, Ph2, save, NULL);
    sc_rng_free(rng);
}

static void ballot_nonce(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(34);
    mpz_t shat, save, beta;
    mpz_inits(shat, save, beta, NULL);
    uint8_t hi[32], xib[32], back[32];
    for (size_t gi = 0; gi < NGROUPS; gi++) {
        sc_group *g = t_group(GROUPS[gi]);
        sc_rng_bytes(rng, hi, 32);
        sc_rng_bytes(rng, xib, 32);
        xib[0] |= 0x80; /* 256-bit value, may exceed q (AMBIGUITIES 11) */
        sc_elgamal_key *kh = keypair(g, rng, shat);
        sc_nonce_ct ct;
        sc_nonce_ct_init(&ct);
        assert_int_equal(sc_ballot_nonce_encrypt(kh, hi, xib, rng, &ct), SC_OK);
        assert_int_equal(sc_ballot_nonce_verify(g, hi, &ct), SC_OK);
        assert_int_equal(sc_ballot_nonce_decrypt(g, hi, &ct, shat, back),
                         SC_OK);
        assert_memory_equal(back, xib, 32);
        /* joint path: beta_B supplied */
        mpz_powm(beta, ct.c0, shat, g->p);
        memset(back, 0, 32);
        assert_int_equal(sc_ballot_nonce_decrypt_beta(g, hi, &ct, beta, back),
                         SC_OK);
        assert_memory_equal(back, xib, 32);
        /* tampering (a changed challenge collides with probability 1/q:
         * only asserted where q >= 2^32) */
        if (g->qbits < 32) {
            goto next;
        }
        hi[5] ^= 1;
        assert_int_equal(sc_ballot_nonce_verify(g, hi, &ct), SC_E_VERIFY);
        hi[5] ^= 1;
        ct.c1[31] ^= 1;
        assert_int_equal(sc_ballot_nonce_verify(g, hi, &ct), SC_E_VERIFY);
        assert_int_equal(sc_ballot_nonce_decrypt(g, hi, &ct, shat, back),
                         SC_E_VERIFY);
        ct.c1[31] ^= 1;
        mpz_t *fields[3] = {&ct.c0, &ct.c, &ct.v};
        for (int f = 0; f < 3; f++) {
            mpz_set(save, *fields[f]);
            if (f == 0) {
                mpz_mul(ct.c0, save, g->g);
                mpz_mod(ct.c0, ct.c0, g->p);
            } else {
                mpz_add_ui(*fields[f], save, 1);
                mpz_mod(*fields[f], *fields[f], g->q);
            }
            assert_int_equal(sc_ballot_nonce_verify(g, hi, &ct), SC_E_VERIFY);
            mpz_set(*fields[f], save);
        }
        mpz_set(save, ct.c);
        mpz_add(ct.c, ct.c, g->q); /* same value mod q, out of range */
        assert_int_equal(sc_ballot_nonce_verify(g, hi, &ct),
                         SC_E_INVALID_RANGE);
        mpz_set(ct.c, save);
        mpz_set(save, ct.c0);
        mpz_sub_ui(ct.c0, g->p, 1);
        assert_int_equal(sc_ballot_nonce_verify(g, hi, &ct),
                         SC_E_INVALID_NOT_IN_SUBGROUP);
        mpz_set(ct.c0, save);
    next:
        sc_nonce_ct_clear(&ct);
        sc_elgamal_key_free(kh);
        sc_group_free(g);
    }
    mpz_clears(shat, save, beta, NULL);
    sc_rng_free(rng);
}

static void contest_data(void **state)
{
    (void)state;
    sc_rng *rng = t_rng(63);
    mpz_t shat, beta, xi;
    mpz_inits(shat, beta, xi, NULL);
    uint8_t hi[32], xib[32], D[96], back[96];
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    for (size_t gi = 0; gi < 2; gi++) {
        sc_group *g = t_group(ids[gi]);
        sc_rng_bytes(rng, hi, 32);
        sc_rng_bytes(rng, xib, 32);
        sc_rng_bytes(rng, D, sizeof D);
        sc_elgamal_key *kh = keypair(g, rng, shat);
        for (size_t blocks = 1; blocks <= 3; blocks++) {
            sc_contest_data_ct ct;
            sc_contest_data_ct_init(&ct);
            assert_int_equal(
                sc_contest_data_encrypt(kh, hi, 7, xib, D, blocks, rng, &ct),
                SC_OK);
            assert_int_equal(ct.c1_len, 32 * blocks);
            /* C_0 = g^xi with xi from eq 64 */
            sc_eg_contest_data_nonce(g, hi, 7, xib, xi);
            mpz_powm(beta, g->g, xi, g->p);
            assert_int_equal(mpz_cmp(beta, ct.c0), 0);
            assert_int_equal(sc_contest_data_verify(g, hi, 7, &ct), SC_OK);
            assert_int_equal(sc_contest_data_verify(g, hi, 8, &ct),
                             SC_E_VERIFY);
            /* guardians' beta = C_0^s-hat (eq 97) */
            mpz_powm(beta, ct.c0, shat, g->p);
            memset(back, 0, sizeof back);
            assert_int_equal(
                sc_contest_data_decrypt_beta(g, hi, 7, &ct, beta, back), SC_OK);
            assert_memory_equal(back, D, 32 * blocks);
            /* nonce holder's beta = K-hat^xi (eq 110) */
            mpz_powm(beta, kh->K, xi, g->p);
            assert_int_equal(
                sc_contest_data_decrypt_beta(g, hi, 7, &ct, beta, back), SC_OK);
            assert_memory_equal(back, D, 32 * blocks);
            ct.c1[blocks * 32 - 1] ^= 2;
            assert_int_equal(sc_contest_data_verify(g, hi, 7, &ct),
                             SC_E_VERIFY);
            ct.c1[blocks * 32 - 1] ^= 2;
            mpz_add_ui(ct.c2_v, ct.c2_v, 1);
            mpz_mod(ct.c2_v, ct.c2_v, g->q);
            assert_int_equal(sc_contest_data_verify(g, hi, 7, &ct),
                             SC_E_VERIFY);
            sc_contest_data_ct_clear(&ct);
        }
        sc_elgamal_key_free(kh);
        sc_group_free(g);
    }
    mpz_clears(shat, beta, xi, NULL);
    sc_rng_free(rng);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scalar_ct_matches_mpz),
        cmocka_unit_test(key_rejects_bad_values),
        cmocka_unit_test(encrypt_decrypt_roundtrip),
        cmocka_unit_test(homomorphic_sum),
        cmocka_unit_test(share_encryption),
        cmocka_unit_test(ballot_nonce),
        cmocka_unit_test(contest_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
