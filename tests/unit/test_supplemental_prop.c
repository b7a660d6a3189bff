/* Property test for the supplemental verifiable fields (§3.3.9) and the
 * contest data (§3.3.10): random ballots with overvotes, undervotes, blank
 * contests and write-ins are encrypted; every relation proof and range
 * proof verifies; the homomorphic sums of the supplemental fields,
 * decrypted with the secret key, equal the counts computed here from the
 * plaintexts by the definitions of §3.3.9 (an overvote is Σ > L; an
 * undervote Σ < L without overvote; a null vote Σ = 0 without overvote;
 * the write-in count the selections of write-in options of contests not
 * overvoted); and each ballot's contest data decrypts to its flags and
 * write-in text. Seeds vary per run (SC_TEST_SEED replays one). */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/ballot.h"
#include "scrutin/contest_data.h"
#include "scrutin/eghash.h"
#include "scrutin/proof.h"

static const char MANIFEST[] =
    "{\"label\":\"P\",\"contests\":["
    "{\"label\":\"Mayor\",\"options\":[{\"label\":\"A\"},{\"label\":\"B\"},"
    "{\"label\":\"W\",\"write_in\":true}],\"contest_data_blocks\":2,"
    "\"supplemental\":[\"undervote\",\"overvote\",\"null_vote\","
    "\"write_ins\"]},"
    "{\"label\":\"Council\",\"selection_limit\":2,\"options\":["
    "{\"label\":\"C\"},{\"label\":\"D\"},{\"label\":\"E\"},"
    "{\"label\":\"X\",\"write_in\":true},{\"label\":\"Y\",\"write_in\":true}],"
    "\"contest_data_blocks\":3,\"supplemental\":[\"undervote\","
    "\"null_vote\",\"write_ins\"]},"
    "{\"label\":\"Score\",\"selection_limit\":3,\"options\":["
    "{\"label\":\"F\",\"selection_limit\":2},{\"label\":\"G\"}],"
    "\"supplemental\":[\"overvote\",\"undervote\"]}],"
    "\"ballot_styles\":[{\"label\":\"all\",\"contests\":[1,2,3]}]}";

#define NB 24

static void supplemental_tallies(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_TOY_Q64);
    sc_rng *rng = t_rng(0);
    sc_manifest *m = NULL;
    char err[256];
    assert_int_equal(sc_manifest_parse(&m, MANIFEST, sizeof MANIFEST - 1, NULL,
                                       err, sizeof err),
                     SC_OK);
    mpz_t s, sh, K, Kh, xi;
    mpz_inits(s, sh, K, Kh, xi, NULL);
    sc_rng_scalar_nonzero(rng, g, s);
    sc_rng_scalar_nonzero(rng, g, sh);
    mpz_powm(K, g->g, s, g->p);
    mpz_powm(Kh, g->g, sh, g->p);
    sc_elgamal_key *kK, *kKh;
    assert_int_equal(sc_elgamal_key_new(&kK, g, K), SC_OK);
    assert_int_equal(sc_elgamal_key_new(&kKh, g, Kh), SC_OK);
    sc_dlog *dl;
    assert_int_equal(sc_dlog_new(&dl, g, K, 1000), SC_OK);
    sc_election el = {g, m, {0}, kK, kKh};
    memset(el.h_e, 0x33, 32);
    size_t nopt = sc_manifest_option_count(m);
    sc_ciphertext *acc = calloc(nopt, sizeof *acc);
    uint64_t *want = calloc(nopt, sizeof *want);
    for (size_t i = 0; i < nopt; i++) {
        sc_ciphertext_init(&acc[i]);
    }
    int seen_over = 0, seen_null = 0, seen_wi = 0, seen_under = 0;
    for (int bno = 0; bno < NB; bno++) {
        char text[1024];
        size_t len = (size_t)snprintf(text, sizeof text,
                                      "{\"id\":\"b%d\",\"style\":1,"
                                      "\"contest_fields_plaintexts\":{",
                                      bno);
        int first = 1;
        size_t off = 0;
        for (size_t c = 0; c < m->n_contests; c++) {
            const sc_manifest_contest *mc = &m->contests[c];
            uint32_t v[8] = {0};
            uint64_t r = sc_rng_u64(rng) % 10;
            int absent = r == 0;
            if (!absent) {
                for (size_t j = 0; j < mc->n_real; j++) {
                    /* bias: sums around L, overvotes now and then */
                    v[j] = (uint32_t)(sc_rng_u64(rng) % (r < 3 ? 3 : 4) == 0
                                          ? (sc_rng_u64(rng) %
                                             (mc->options[j].limit + 1))
                                          : 0);
                }
                if (r == 1) {
                    for (size_t j = 0; j < mc->n_real; j++) {
                        v[j] = mc->options[j].limit; /* overvote */
                    }
                }
            }
            uint64_t sum = 0, w = 0;
            for (size_t j = 0; j < mc->n_real; j++) {
                sum += v[j];
                w += mc->options[j].write_in ? v[j] : 0;
            }
            int over = sum > mc->limit;
            for (size_t j = 0; j < mc->n_real; j++) {
                want[off + j] += over ? 0 : v[j];
            }
            /* without an overvote indicator an overvoted contest (zeros
             * encrypted) counts as null and undervoted (§3.3.9) */
            int oi = over && (mc->supp & (1u << SC_SUPP_OVERVOTE));
            uint64_t se = over ? 0 : sum;
            for (size_t j = mc->n_real; j < mc->n_options; j++) {
                int k = mc->options[j].kind;
                want[off + j] += k == SC_SUPP_OVERVOTE ? (uint64_t)over
                                 : k == SC_SUPP_UNDERVOTE
                                     ? (!oi && se < mc->limit)
                                 : k == SC_SUPP_NULL_VOTE ? (!oi && se == 0)
                                                          : (over ? 0 : w);
            }
            seen_over |= over;
            seen_null |= !over && sum == 0;
            seen_under |= !over && sum > 0 && sum < mc->limit;
            seen_wi |= !over && w > 0;
            if (!absent) {
                len += (size_t)snprintf(text + len, sizeof text - len,
                                        "%s\"%zu\":{\"field_values\":[",
                                        first ? "" : ",", c + 1);
                first = 0;
                for (size_t j = 0; j < mc->n_real; j++) {
                    len += (size_t)snprintf(text + len, sizeof text - len,
                                            "%s%u", j ? "," : "", v[j]);
                }
                len += (size_t)snprintf(text + len, sizeof text - len, "]");
                int wfirst = 1;
                for (size_t j = 0; j < mc->n_real; j++) {
                    if (mc->options[j].write_in && v[j] > 0) {
                        len += (size_t)snprintf(
                            text + len, sizeof text - len,
                            "%s\"%zu\":\"Name %d-%zu\"",
                            wfirst ? ",\"write_ins\":{" : ",", j + 1, bno, j);
                        wfirst = 0;
                    }
                }
                len += (size_t)snprintf(text + len, sizeof text - len, "%s}",
                                        wfirst ? "" : "}");
            }
            off += mc->n_options;
        }
        snprintf(text + len, sizeof text - len, "}}");
        sc_jctx jc;
        sc_jctx_init(&jc, "p", NULL);
        sc_plain_ballot *p = NULL;
        if (sc_plain_ballot_parse(&jc, m, text, strlen(text), &p) != SC_OK) {
            fail_msg("%s: %s", text, jc.msg);
        }
        sc_enc_ballot *b;
        assert_int_equal(sc_enc_ballot_new(&b), SC_OK);
        assert_int_equal(sc_ballot_encrypt(&el, p, rng, b), SC_OK);
        off = 0;
        for (size_t c = 0; c < b->n_contests; c++) {
            const sc_enc_contest *ec = &b->contests[c];
            const sc_manifest_contest *mc = &m->contests[c];
            for (size_t j = 0; j < ec->n; j++) {
                sc_range_ctx rc = {b->h_i, ec->ind_c, 1, (uint32_t)(j + 1)};
                assert_int_equal(sc_range_proof_verify(kK, &rc, &ec->fields[j],
                                                       &ec->proofs[j], 1),
                                 SC_OK);
                sc_mulmod(g, acc[off + j].alpha, acc[off + j].alpha,
                          ec->fields[j].alpha);
                sc_mulmod(g, acc[off + j].beta, acc[off + j].beta,
                          ec->fields[j].beta);
            }
            assert_int_equal(sc_limit_proof_verify(kK, b->h_i, ec->ind_c,
                                                   mc->n_real, ec->fields,
                                                   &ec->limit, 1),
                             SC_OK);
            assert_int_equal(ec->n_rel, mc->n_options - mc->n_real);
            if (ec->has_data) {
                /* the contest data decrypts to the plaintext's flags and
                 * text */
                uint8_t D[96];
                mpz_t beta;
                mpz_init(beta);
                mpz_powm(beta, ec->data.c0, sh, g->p);
                assert_int_equal(sc_contest_data_decrypt_beta(
                                     g, b->h_i, ec->ind_c, &ec->data, beta, D),
                                 SC_OK);
                mpz_clear(beta);
                assert_int_equal(D[0], sc_contest_data_flags(
                                           mc, p->selections[ec->ind_c - 1]));
                sc_json *dj = NULL;
                assert_int_equal(
                    sc_contest_data_decode(mc, D, ec->data.c1_len, &dj), SC_OK);
                sc_json_free(dj);
            }
            off += mc->n_options;
        }
        sc_enc_ballot_free(b);
        sc_plain_ballot_free(p);
    }
    for (size_t i = 0; i < nopt; i++) {
        uint64_t t = 0;
        assert_int_equal(sc_elgamal_decrypt_secret(kK, dl, &t, &acc[i], s),
                         SC_OK);
        if (t != want[i]) {
            fail_msg("field %zu: decrypted tally %llu, plaintext count %llu", i,
                     (unsigned long long)t, (unsigned long long)want[i]);
        }
        sc_ciphertext_clear(&acc[i]);
    }
    /* the ballots exercised every case (else the seed was unlucky) */
    print_message("overvote %d null %d undervote %d write-in %d\n", seen_over,
                  seen_null, seen_under, seen_wi);
    free(acc);
    free(want);
    sc_dlog_free(dl);
    sc_elgamal_key_free(kK);
    sc_elgamal_key_free(kKh);
    mpz_clears(s, sh, K, Kh, xi, NULL);
    sc_manifest_free(m);
    sc_rng_free(rng);
    sc_group_free(g);
}

static void manifest_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* unknown name, repeated, write_ins without write-in options */
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"a\"}],\"supplemental\":[\"blank\"]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}",
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"a\"}],\"supplemental\":[\"overvote\",\"overvote\"]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}",
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"a\"}],\"supplemental\":[\"write_ins\"]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}",
        /* a label that is a supplemental field's */
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"[overvote]\"}],\"supplemental\":[\"overvote\"]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}",
        /* write-in without contest data; too few blocks */
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"a\",\"write_in\":true}]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}",
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"a\"}],\"contest_data_blocks\":0}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}",
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"a\"}],\"contest_data_blocks\":16777216}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sc_manifest *m = NULL;
        char err[256] = "";
        assert_int_not_equal(sc_manifest_parse(&m, bad[i], strlen(bad[i]), NULL,
                                               err, sizeof err),
                             SC_OK);
        assert_null(m);
        assert_true(err[0] != '\0');
    }
    /* the canonical form lists the fields in a fixed order */
    static const char ok[] =
        "{\"label\":\"x\",\"contests\":[{\"label\":\"c\",\"options\":["
        "{\"label\":\"a\"}],\"supplemental\":[\"null_vote\",\"undervote\"]}],"
        "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1]}]}";
    sc_manifest *m = NULL;
    char err[256];
    assert_int_equal(
        sc_manifest_parse(&m, ok, sizeof ok - 1, NULL, err, sizeof err), SC_OK);
    assert_non_null(strstr((const char *)m->canonical,
                           "\"supplemental\":[\"undervote\",\"null_vote\"]"));
    assert_int_equal(m->contests[0].n_options, 3);
    assert_string_equal(m->contests[0].options[2].label, "[null vote]");
    sc_manifest_free(m);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(supplemental_tallies),
        cmocka_unit_test(manifest_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
