/* Constant-time check (ctgrind style, tests/unit/ct_marks.h) of the
 * protocol steps that hold secrets: the key ceremony (polynomial
 * coefficients and communication secrets drawn from a generator whose
 * output is marked secret, the shares P_i(l), their encryption and
 * decryption, the key shares z_i), partial decryption (eq 84), the
 * decryption commitments and responses (eq 87, 91-92) and the range
 * proofs (eq 57-61: the nonce xi, the vote ell, the prover's u_j and c_j).
 * Each step's results are then checked in the clear, so that the test
 * also fails on a wrong result. Run under valgrind by ctest (label ct). */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "ct_marks.h"
#include "scrutin/ceremony.h"
#include "scrutin/elgamal.h"
#include "scrutin/proof.h"

static const uint8_t MANIFEST[] = "{\"label\":\"ct\"}";

static void ceremony(void **state)
{
    (void)state;
    enum { N = 3, K = 2 };
    sc_group *g = t_group(SC_GROUP_TOY_Q64);
    sc_rng *rng = t_rng(41);
    sc_rng_mark_secret(rng);
    sc_ceremony_ctx ctx;
    assert_int_equal(
        sc_ceremony_ctx_init(&ctx, g, N, K, MANIFEST, sizeof MANIFEST - 1),
        SC_OK);
    sc_guardian_secret *sec[N];
    sc_guardian_public pubs[N];
    sc_guardian_shares shares[N];
    sc_guardian_result res[N];
    uint32_t culprit = 0;
    for (uint32_t i = 1; i <= N; i++) {
        assert_int_equal(sc_guardian_public_init(&pubs[i - 1], K), SC_OK);
        assert_int_equal(
            sc_guardian_round1(&ctx, i, NULL, rng, &sec[i - 1], &pubs[i - 1]),
            SC_OK);
        assert_int_equal(sc_guardian_shares_init(&shares[i - 1], i, N), SC_OK);
        sc_guardian_result_init(&res[i - 1]);
    }
    for (uint32_t i = 1; i <= N; i++) {
        assert_int_equal(sc_guardian_round2(&ctx, sec[i - 1], pubs, rng,
                                            &shares[i - 1], &culprit),
                         SC_OK);
    }
    for (uint32_t i = 1; i <= N; i++) {
        assert_int_equal(sc_guardian_round3(&ctx, sec[i - 1], pubs, shares,
                                            &res[i - 1], &culprit),
                         SC_OK);
    }
    /* In the clear: g^z_i is guardian i's share public key (eq 94). */
    mpz_t Kjm[N * K], gz, pk;
    mpz_inits(gz, pk, NULL);
    for (uint32_t j = 0; j < N; j++) {
        for (uint32_t m = 0; m < K; m++) {
            mpz_init_set(Kjm[j * K + m], pubs[j].K[m]);
        }
    }
    for (uint32_t i = 1; i <= N; i++) {
        sc_ct_mpz_public(sec[i - 1]->z);
        sc_fb_pow(g->g_fb, gz, sec[i - 1]->z);
        sc_share_pubkey(g, pk, N, K, (const mpz_t *)Kjm, i);
        assert_int_equal(mpz_cmp(gz, pk), 0);
    }
    for (uint32_t m = 0; m < N * K; m++) {
        mpz_clear(Kjm[m]);
    }
    mpz_clears(gz, pk, NULL);
    for (uint32_t i = 0; i < N; i++) {
        sc_guardian_secret_free(sec[i]);
        sc_guardian_public_clear(&pubs[i]);
        sc_guardian_shares_clear(&shares[i]);
        sc_guardian_result_clear(&res[i]);
    }
    sc_rng_free(rng);
    sc_group_free(g);
}

/* One guardian's part of a decryption of (A, B): M_i = A^z_i (eq 84), the
 * commitment (a_i, b_i) = (g^u_i, A^u_i) (eq 87), the response v_i =
 * u_i - c_i z_i (eq 91-92); checked with eq 94-95 (note 3.7). */
static void decryption(sc_group_id gid)
{
    sc_group *g = t_group(gid);
    sc_rng *rng = t_rng(42);
    mpz_t z, Ki, A, M, u, a, b, c, w, v;
    mpz_inits(z, Ki, A, M, u, a, b, c, w, v, NULL);
    sc_rng_scalar(rng, g, c); /* public: the challenge of eq 90 */
    sc_rng_scalar(rng, g, w); /* public: a Lagrange coefficient */
    sc_rng_scalar_nonzero(rng, g, z);
    mpz_powm(A, g->g, z, g->p); /* any element of Z_p^r */
    sc_rng_mark_secret(rng);
    for (int it = 0; it < 3; it++) {
        sc_rng_scalar(rng, g, z);
        sc_partial_decrypt(g, M, A, z);
        sc_dec_commit(g, A, rng, u, a, b);
        sc_dec_response(g, v, NULL, c, w, u, z);
        sc_ct_mpz_public(z);
        sc_ct_mpz_public(u);
        mpz_powm(Ki, g->g, z, g->p);
        assert_int_equal(sc_dec_response_check(g, Ki, A, M, c, w, v, a, b),
                         SC_OK);
        mpz_powm(a, A, z, g->p);
        assert_int_equal(mpz_cmp(a, M), 0);
    }
    mpz_clears(z, Ki, A, M, u, a, b, c, w, v, NULL);
    sc_rng_free(rng);
    sc_group_free(g);
}

static void decryption_toy(void **state)
{
    (void)state;
    decryption(SC_GROUP_TOY_Q64);
}

static void decryption_standard(void **state)
{
    (void)state;
    decryption(SC_GROUP_STANDARD);
}

/* A selection proof (R = 1) and a contest-limit proof (R = 3), for each
 * value of the vote. */
static void range_proofs(void **state)
{
    (void)state;
    const sc_group_id ids[] = {SC_GROUP_TOY_Q64, SC_GROUP_STANDARD};
    const uint8_t hi[32] = {7};
    for (size_t gi = 0; gi < 2; gi++) {
        sc_group *g = t_group(ids[gi]);
        sc_rng *rng = t_rng(43);
        mpz_t s, K, xi;
        mpz_inits(s, K, xi, NULL);
        sc_rng_scalar_nonzero(rng, g, s);
        mpz_powm(K, g->g, s, g->p);
        sc_elgamal_key *pk = NULL;
        assert_int_equal(sc_elgamal_key_new(&pk, g, K), SC_OK);
        sc_rng_mark_secret(rng);
        sc_ciphertext ct;
        sc_ciphertext_init(&ct);
        const uint32_t Rs[] = {1, 3};
        for (size_t ri = 0; ri < 2; ri++) {
            const sc_range_ctx rctx = {hi, 1, ri == 0, 2};
            for (uint32_t ell = 0; ell <= Rs[ri]; ell++) {
                sc_range_proof pf;
                assert_int_equal(sc_range_proof_init(&pf, Rs[ri]), SC_OK);
                sc_rng_scalar(rng, g, xi);
                uint32_t vote = ell;
                SECRET(&vote, sizeof vote);
                sc_status rc = sc_elgamal_encrypt_u64(pk, &ct, vote, xi);
                PUBLIC(&rc, sizeof rc);
                assert_int_equal(rc, SC_OK);
                rc = sc_range_proof_prove(pk, &rctx, &ct, xi, vote, rng, &pf);
                PUBLIC(&rc, sizeof rc);
                assert_int_equal(rc, SC_OK);
                assert_int_equal(sc_range_proof_verify(pk, &rctx, &ct, &pf, 1),
                                 SC_OK);
                sc_range_proof_clear(&pf);
            }
        }
        sc_ciphertext_clear(&ct);
        sc_elgamal_key_free(pk);
        mpz_clears(s, K, xi, NULL);
        sc_rng_free(rng);
        sc_group_free(g);
    }
}

/* argv[1]: cmocka test-name filter (ctest runs each under valgrind). */
CT_TEST_MAIN(cmocka_unit_test(ceremony), cmocka_unit_test(decryption_toy),
             cmocka_unit_test(decryption_standard),
             cmocka_unit_test(range_proofs))
