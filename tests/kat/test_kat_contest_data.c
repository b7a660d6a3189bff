/* Known answers for contest data (spec §3.3.10 eq 63-70, §3.6.6 eq 101-106)
 * and Scrutin's D_Λ layout (scrutin/contest_data.h), from
 * tests/kat/contest_data_kat.json, which tools/kat_contest_data.py computes
 * from the spec text with Python's hashlib/hmac (not from this code). */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "scrutin/contest_data.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/manifest.h"
#include "scrutin/proof.h"

static json_t *g_kat;

static const char *kv(const char *k)
{
    const char *s = json_string_value(json_object_get(g_kat, k));
    assert_non_null(s);
    return s;
}

static const char MANIFEST[] =
    "{\"label\":\"KAT\",\"contests\":[{\"label\":\"C\",\"options\":["
    "{\"label\":\"A\"},{\"label\":\"B\"},{\"label\":\"W\",\"write_in\":true}],"
    "\"contest_data_blocks\":2}],\"ballot_styles\":[{\"label\":\"S\","
    "\"contests\":[1]}]}";

static void encoding(void **state)
{
    (void)state;
    sc_manifest *m = NULL;
    char err[256];
    assert_int_equal(sc_manifest_parse(&m, MANIFEST, sizeof MANIFEST - 1, NULL,
                                       err, sizeof err),
                     SC_OK);
    const sc_manifest_contest *mc = &m->contests[0];
    /* the canonical form keeps the new properties (H_B covers them) */
    assert_non_null(strstr((const char *)m->canonical,
                           "{\"label\":\"W\",\"write_in\":true}],"
                           "\"contest_data_blocks\":2}"));
    assert_int_equal(sc_contest_data_min_bytes(mc), 1 + 6 + 2);
    uint8_t D[64], want[64];
    const uint32_t sel[3] = {1, 1, 1};
    const char *wi[3] = {NULL, NULL, "Ada Lovelace"};
    assert_int_equal(sc_contest_data_encode(mc, sel, wi, D), SC_OK);
    t_bytes_hex(want, 64, kv("D"));
    assert_memory_equal(D, want, 64);
    sc_json *j = NULL;
    assert_int_equal(sc_contest_data_decode(mc, D, 64, &j), SC_OK);
    char *t = sc_json_dumps(j);
    assert_string_equal(t, "{\"overvote\":true,\"undervote\":false,"
                           "\"null_vote\":false,\"selections\":[1,1,1],"
                           "\"write_ins\":{\"3\":\"Ada Lovelace\"}}");
    free(t);
    sc_json_free(j);
    /* flags: undervote, null vote (absent contest), a full vote */
    const uint32_t one[3] = {0, 1, 0}, none[3] = {0, 0, 0};
    assert_int_equal(sc_contest_data_flags(mc, one), 0);
    assert_int_equal(sc_contest_data_flags(mc, none),
                     SC_CD_UNDERVOTE | SC_CD_NULL_VOTE);
    assert_int_equal(sc_contest_data_flags(mc, NULL),
                     SC_CD_UNDERVOTE | SC_CD_NULL_VOTE);
    /* the decoder rejects what the layout does not allow */
    uint8_t bad[64];
    memcpy(bad, D, 64);
    bad[63] = 1; /* padding */
    assert_int_equal(sc_contest_data_decode(mc, bad, 64, &j), SC_E_INVALID);
    memcpy(bad, D, 64);
    bad[0] = SC_CD_OVERVOTE | SC_CD_UNDERVOTE; /* inconsistent flags */
    assert_int_equal(sc_contest_data_decode(mc, bad, 64, &j), SC_E_INVALID);
    memcpy(bad, D, 64);
    bad[0] = 0; /* selections without the overvote flag */
    assert_int_equal(sc_contest_data_decode(mc, bad, 64, &j), SC_E_INVALID);
    memcpy(bad, D, 64);
    bad[8] = 60; /* text longer than the data */
    assert_int_equal(sc_contest_data_decode(mc, bad, 64, &j), SC_E_INVALID);
    assert_int_equal(sc_contest_data_decode(mc, D, 32, &j),
                     SC_E_INVALID_LENGTH);
    /* text that does not fit */
    const char *big[3] = {NULL, NULL,
                          "0123456789012345678901234567890123456789012345678"
                          "9012345678901"};
    assert_int_equal(sc_contest_data_encode(mc, sel, big, D),
                     SC_E_INVALID_LENGTH);
    sc_manifest_free(m);
}

static void encryption(void **state)
{
    (void)state;
    json_t *ch = t_kat_get("main_chain");
    sc_group *g = t_group(SC_GROUP_STANDARD);
    uint8_t hi[32], xib[32], D[64], h[32], k[32], want[64];
    t_bytes_hex(hi, 32, t_kat_str(ch, "H_I"));
    t_bytes_hex(xib, 32, t_kat_str(ch, "xi_B"));
    t_bytes_hex(D, 64, kv("D"));
    mpz_t s, x, want_x, a, c;
    mpz_inits(s, x, want_x, a, c, NULL);
    mpz_set_ui(s, 7);
    mpz_powm(x, g->g, s, g->p);
    sc_elgamal_key *khat = NULL;
    assert_int_equal(sc_elgamal_key_new(&khat, g, x), SC_OK);
    /* eq 64 */
    sc_eg_contest_data_nonce(g, hi, 1, xib, x);
    t_mpz_hex(want_x, kv("xi_eq64"));
    assert_int_equal(mpz_cmp(x, want_x), 0);
    /* eq 67-68 through the encryption (eq 69 with a random u) */
    sc_rng *rng = t_rng(3);
    sc_contest_data_ct ct;
    sc_contest_data_ct_init(&ct);
    assert_int_equal(sc_contest_data_encrypt(khat, hi, 1, xib, D, 2, rng, &ct),
                     SC_OK);
    t_mpz_hex(want_x, kv("C0_eq67"));
    assert_int_equal(mpz_cmp(ct.c0, want_x), 0);
    t_bytes_hex(want, 64, kv("C1_eq68"));
    assert_int_equal(ct.c1_len, 64);
    assert_memory_equal(ct.c1, want, 64);
    assert_int_equal(sc_contest_data_verify(g, hi, 1, &ct), SC_OK);
    /* eq 65, 66 */
    mpz_t beta;
    mpz_init(beta);
    t_mpz_hex(beta, kv("beta"));
    sc_eg_contest_data_key(g, hi, 1, ct.c0, beta, h);
    t_assert_digest(h, kv("h_eq65"));
    json_t *ks = json_object_get(g_kat, "k_eq66");
    for (uint32_t i = 1; i <= 2; i++) {
        sc_eg_contest_data_kdf(h, i, 1, 2, k);
        t_assert_digest(k, json_string_value(json_array_get(ks, i - 1)));
    }
    /* eq 69 with u = 11: the published proof of the vector */
    mpz_set_ui(s, 11);
    mpz_powm(a, g->g, s, g->p);
    sc_eg_contest_data_challenge(g, hi, 1, a, ct.c0, ct.c1, ct.c1_len, c);
    t_mpz_hex(want_x, kv("c_eq69"));
    assert_int_equal(mpz_cmp(c, want_x), 0);
    mpz_set(ct.c2_c, c);
    t_mpz_hex(ct.c2_v, kv("v_eq69"));
    assert_int_equal(sc_contest_data_verify(g, hi, 1, &ct), SC_OK);
    /* eq 70 with C_0, C_1, C_2 */
    json_t *sel = t_kat_get("contest1_selections");
    const char *names[2] = {"option 1 (sigma=1)", "option 2 (sigma=0)"};
    mpz_t al[2], be[2];
    for (int j = 0; j < 2; j++) {
        json_t *o = json_object_get(sel, names[j]);
        mpz_inits(al[j], be[j], NULL);
        t_mpz_hex(al[j], t_kat_str(o, "alpha"));
        t_mpz_hex(be[j], t_kat_str(o, "beta"));
    }
    uint8_t chi[32];
    sc_eg_contest_hash(g, hi, 1, 2, (const mpz_t *)al, (const mpz_t *)be, &ct,
                       chi);
    t_assert_digest(chi, kv("chi_eq70"));
    /* eq 101 / Verification 12 with s-hat = 7, u' = 13 */
    mpz_t v;
    mpz_init(v);
    t_mpz_hex(c, kv("v12_c_eq101"));
    t_mpz_hex(v, kv("v12_v_eq103"));
    assert_int_equal(sc_data_dec_proof_verify(khat, hi, 1, &ct, beta, c, v),
                     SC_OK);
    /* eq 104-106 */
    uint8_t back[64];
    assert_int_equal(sc_contest_data_decrypt_beta(g, hi, 1, &ct, beta, back),
                     SC_OK);
    assert_memory_equal(back, D, 64);
    for (int j = 0; j < 2; j++) {
        mpz_clears(al[j], be[j], NULL);
    }
    mpz_clears(s, x, want_x, a, c, beta, v, NULL);
    sc_contest_data_ct_clear(&ct);
    sc_rng_free(rng);
    sc_elgamal_key_free(khat);
    sc_group_free(g);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    json_error_t e;
    g_kat =
        json_load_file(SC_SOURCE_DIR "/tests/kat/contest_data_kat.json", 0, &e);
    if (g_kat == NULL) {
        fprintf(stderr, "contest_data_kat.json: %s\n", e.text);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoding),
        cmocka_unit_test(encryption),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    json_decref(g_kat);
    return r;
}
