/* Ballot encryption (§3.3-3.4), chaining, JSON round trip and the tally:
 * known answers from eg21_kat.json, decryption with the derived nonces and
 * with the secret key, proofs verify, overvotes and undervotes. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "scrutin/ballot.h"
#include "scrutin/contest_data.h"
#include "scrutin/eghash.h"
#include "scrutin/manifest.h"
#include "scrutin/proof.h"
#include "scrutin/record.h"
#include "scrutin/tally.h"

static sc_manifest *manifest(const char *text)
{
    sc_manifest *m = NULL;
    char err[512];
    sc_status rc =
        sc_manifest_parse(&m, text, strlen(text), "t", err, sizeof err);
    if (rc != SC_OK) {
        fail_msg("manifest: %s", err);
    }
    return m;
}

static sc_plain_ballot *plain(const sc_manifest *m, const char *text)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "ballot", NULL);
    sc_plain_ballot *p = NULL;
    sc_status rc = sc_plain_ballot_parse(&ctx, m, text, strlen(text), &p);
    if (rc != SC_OK) {
        fail_msg("plaintext: %s", ctx.msg);
    }
    return p;
}

/* eg21_kat.json main_chain: K = g^5, K-hat = g^7, n=3, k=2. Contest 1 has
 * two options (sigma = 1, 0). */
static void test_kat_chain(void **state)
{
    (void)state;
    json_t *kat = json_object_get(t_kat(), "vectors");
    if (kat == NULL) {
        kat = t_kat();
    }
    json_t *v = json_object_get(kat, "main_chain");
    assert_non_null(v);
    sc_group *g = t_group(SC_GROUP_STANDARD);
    mpz_t e, K, Kh;
    mpz_inits(e, K, Kh, NULL);
    mpz_set_ui(e, 5);
    mpz_powm(K, g->g, e, g->p);
    mpz_set_ui(e, 7);
    mpz_powm(Kh, g->g, e, g->p);
    sc_elgamal_key *kK, *kKh;
    assert_int_equal(sc_elgamal_key_new(&kK, g, K), SC_OK);
    assert_int_equal(sc_elgamal_key_new(&kKh, g, Kh), SC_OK);
    uint8_t hp[32], hb[32];
    sc_eg_param_base_hash(g, 3, 2, hp);
    const char *mu = t_kat_str(v, "manifest_utf8");
    sc_eg_election_base_hash(hp, (const uint8_t *)mu, strlen(mu), hb);
    sc_manifest *m = manifest(
        "{\"label\":\"kat\",\"contests\":[{\"label\":\"c1\",\"options\":"
        "[{\"label\":\"a\"},{\"label\":\"b\"}]}],\"ballot_styles\":"
        "[{\"label\":\"s\",\"contests\":[1]}]}");
    sc_election el = {g, m, {0}, kK, kKh};
    sc_eg_extended_base_hash(g, hb, K, Kh, el.h_e);
    t_assert_digest(el.h_e, t_kat_str(v, "H_E"));
    uint8_t idb[32], xib[32];
    t_bytes_hex(idb, 32, t_kat_str(v, "id_B"));
    t_bytes_hex(xib, 32, t_kat_str(v, "xi_B"));
    sc_plain_ballot *p =
        plain(m, "{\"id\":\"k1\",\"style\":1,\"contest_fields_plaintexts\":"
                 "{\"1\":{\"field_values\":[1,0]}}}");
    sc_rng *rng = t_rng(1);
    sc_enc_ballot *b;
    assert_int_equal(sc_enc_ballot_new(&b), SC_OK);
    assert_int_equal(sc_ballot_encrypt_with(&el, p, idb, xib, rng, b), SC_OK);
    t_assert_digest(b->h_i, t_kat_str(v, "H_I"));
    json_t *sel = json_object_get(kat, "contest1_selections");
    json_t *o1 = json_object_get(sel, "option 1 (sigma=1)");
    json_t *o2 = json_object_get(sel, "option 2 (sigma=0)");
    mpz_t x;
    mpz_init(x);
    t_mpz_hex(x, t_kat_str(o1, "alpha"));
    assert_int_equal(mpz_cmp(x, b->contests[0].fields[0].alpha), 0);
    t_mpz_hex(x, t_kat_str(o1, "beta"));
    assert_int_equal(mpz_cmp(x, b->contests[0].fields[0].beta), 0);
    t_mpz_hex(x, t_kat_str(o2, "beta"));
    assert_int_equal(mpz_cmp(x, b->contests[0].fields[1].beta), 0);
    t_assert_digest(
        b->contests[0].chi,
        t_kat_str(json_object_get(kat, "contest_hash_eq70_no_contest_data"),
                  "chi_1"));
    /* no chaining (eq 73) */
    sc_device dev;
    const char *sdev = t_kat_str(v, "S_device");
    assert_int_equal(sc_device_init(&dev, el.h_e, 1, sdev, SC_CHAIN_NONE),
                     SC_OK);
    t_assert_digest(dev.h_di, t_kat_str(v, "H_DI"));
    sc_device_chain(&dev, el.h_e, b);
    json_t *nc = json_object_get(kat, "confirmation_code_no_chaining");
    uint8_t bc[SC_BC_BYTES];
    t_bytes_hex(bc, SC_BC_BYTES, t_kat_str(nc, "B_C"));
    assert_memory_equal(bc, b->bc, SC_BC_BYTES);
    t_assert_digest(b->h_c, t_kat_str(nc, "H_C"));
    sc_device_clear(&dev);
    /* simple chaining (eq 74-78), one ballot */
    json_t *sc = json_object_get(kat, "simple_chaining_single_ballot");
    assert_int_equal(sc_device_init(&dev, el.h_e, 1, sdev, SC_CHAIN_SIMPLE),
                     SC_OK);
    t_bytes_hex(bc, SC_BC_BYTES, t_kat_str(sc, "B_C0"));
    assert_memory_equal(bc, dev.bc0, SC_BC_BYTES);
    t_assert_digest(dev.prev, t_kat_str(sc, "H_0"));
    sc_device_chain(&dev, el.h_e, b);
    t_bytes_hex(bc, SC_BC_BYTES, t_kat_str(sc, "B_C1"));
    assert_memory_equal(bc, b->bc, SC_BC_BYTES);
    t_assert_digest(b->h_c, t_kat_str(sc, "H_1"));
    uint8_t cbc[SC_BC_BYTES], ch[32];
    sc_device_close(&dev, el.h_e, cbc, ch);
    t_bytes_hex(bc, SC_BC_BYTES, t_kat_str(sc, "B_C_close"));
    assert_memory_equal(bc, cbc, SC_BC_BYTES);
    t_assert_digest(ch, t_kat_str(sc, "H_close"));
    sc_device_clear(&dev);
    mpz_clear(x);
    sc_enc_ballot_free(b);
    sc_plain_ballot_free(p);
    sc_rng_free(rng);
    sc_manifest_free(m);
    sc_elgamal_key_free(kK);
    sc_elgamal_key_free(kKh);
    mpz_clears(e, K, Kh, NULL);
    sc_group_free(g);
}

/* ---- toy-group fixture ---- */

static const char *MANIFEST =
    "{\"label\":\"Test\",\"contests\":["
    "{\"label\":\"Mayor\",\"options\":[{\"label\":\"A\"},{\"label\":\"B\"},"
    "{\"label\":\"C\"}]},"
    "{\"label\":\"Council\",\"selection_limit\":2,\"options\":["
    "{\"label\":\"D\"},{\"label\":\"E\"},{\"label\":\"F\","
    "\"write_in\":true}],\"contest_data_blocks\":2},"
    "{\"label\":\"Score\",\"selection_limit\":5,\"options\":["
    "{\"label\":\"G\",\"selection_limit\":3},{\"label\":\"H\","
    "\"selection_limit\":\"CONTEST_LIMIT\"}]}],"
    "\"ballot_styles\":[{\"label\":\"all\",\"contests\":[1,2,3]},"
    "{\"label\":\"two\",\"contests\":[2,3]}]}";

typedef struct fx {
    sc_group *g;
    sc_manifest *m;
    mpz_t s, shat;
    sc_elgamal_key *K, *Khat;
    sc_election el;
    sc_rng *rng;
    sc_dlog *dl;
} fx;

static void fx_init(fx *f)
{
    f->g = t_group(SC_GROUP_TOY_Q64);
    f->m = manifest(MANIFEST);
    f->rng = t_rng(7);
    mpz_inits(f->s, f->shat, NULL);
    mpz_t K, Kh;
    mpz_inits(K, Kh, NULL);
    sc_rng_scalar_nonzero(f->rng, f->g, f->s);
    sc_rng_scalar_nonzero(f->rng, f->g, f->shat);
    mpz_powm(K, f->g->g, f->s, f->g->p);
    mpz_powm(Kh, f->g->g, f->shat, f->g->p);
    assert_int_equal(sc_elgamal_key_new(&f->K, f->g, K), SC_OK);
    assert_int_equal(sc_elgamal_key_new(&f->Khat, f->g, Kh), SC_OK);
    f->el.grp = f->g;
    f->el.manifest = f->m;
    memset(f->el.h_e, 0x5A, 32);
    f->el.K = f->K;
    f->el.Khat = f->Khat;
    assert_int_equal(sc_dlog_new(&f->dl, f->g, K, 1000), SC_OK);
    mpz_clears(K, Kh, NULL);
}

static void fx_clear(fx *f)
{
    sc_dlog_free(f->dl);
    sc_elgamal_key_free(f->K);
    sc_elgamal_key_free(f->Khat);
    mpz_clears(f->s, f->shat, NULL);
    sc_rng_free(f->rng);
    sc_manifest_free(f->m);
    sc_group_free(f->g);
}

static void check_proofs(fx *f, const sc_enc_ballot *b)
{
    for (size_t i = 0; i < b->n_contests; i++) {
        const sc_enc_contest *c = &b->contests[i];
        for (size_t j = 0; j < c->n; j++) {
            sc_range_ctx rc = {b->h_i, c->ind_c, 1, (uint32_t)(j + 1)};
            assert_int_equal(sc_range_proof_verify(f->K, &rc, &c->fields[j],
                                                   &c->proofs[j], 1),
                             SC_OK);
        }
        assert_int_equal(sc_limit_proof_verify(f->K, b->h_i, c->ind_c, c->n,
                                               c->fields, &c->limit, 1),
                         SC_OK);
        if (c->has_data) {
            assert_int_equal(
                sc_contest_data_verify(f->g, b->h_i, c->ind_c, &c->data),
                SC_OK);
        }
    }
    assert_int_equal(sc_ballot_nonce_verify(f->g, b->h_i, &b->nonce), SC_OK);
}

/* Decrypt every field with the derived nonces (eq 33, eq 109) and with the
 * secret key; both must give `want` (manifest order over the style). */
static void check_plain(fx *f, const sc_enc_ballot *b, const uint8_t xib[32],
                        const uint64_t *want)
{
    size_t k = 0;
    mpz_t xi;
    mpz_init(xi);
    uint8_t got_xib[32];
    assert_int_equal(
        sc_ballot_nonce_decrypt(f->g, b->h_i, &b->nonce, f->shat, got_xib),
        SC_OK);
    assert_memory_equal(got_xib, xib, 32);
    for (size_t i = 0; i < b->n_contests; i++) {
        const sc_enc_contest *c = &b->contests[i];
        for (size_t j = 0; j < c->n; j++) {
            uint64_t s1, s2;
            sc_eg_selection_nonce(f->g, b->h_i, c->ind_c, (uint32_t)(j + 1),
                                  xib, xi);
            assert_int_equal(
                sc_elgamal_decrypt_nonce(f->K, f->dl, &s1, &c->fields[j], xi),
                SC_OK);
            assert_int_equal(sc_elgamal_decrypt_secret(f->K, f->dl, &s2,
                                                       &c->fields[j], f->s),
                             SC_OK);
            assert_int_equal(s1, want[k]);
            assert_int_equal(s2, want[k]);
            k++;
        }
    }
    mpz_clear(xi);
}

/* Contest l's data decrypted with the secret s-hat (beta = C_0^s-hat,
 * eq 104-106) and decoded, as compact JSON (static buffer). */
static const char *data_text(fx *f, const sc_enc_ballot *b, size_t l)
{
    static char out[512];
    const sc_enc_contest *c = &b->contests[l];
    const sc_manifest_contest *mc = &f->m->contests[c->ind_c - 1];
    uint8_t D[256];
    mpz_t beta;
    mpz_init(beta);
    assert_true(c->has_data);
    assert_int_equal(c->data.c1_len, 32 * mc->data_blocks);
    mpz_powm(beta, c->data.c0, f->shat, f->g->p);
    assert_int_equal(
        sc_contest_data_decrypt_beta(f->g, b->h_i, c->ind_c, &c->data, beta, D),
        SC_OK);
    sc_json *j = NULL;
    assert_int_equal(sc_contest_data_decode(mc, D, c->data.c1_len, &j), SC_OK);
    char *t = sc_json_dumps(j);
    snprintf(out, sizeof out, "%s", t);
    free(t);
    sc_json_free(j);
    mpz_clear(beta);
    return out;
}

static sc_enc_ballot *enc(fx *f, const char *text, uint8_t xib[32])
{
    sc_plain_ballot *p = plain(f->m, text);
    sc_enc_ballot *b;
    uint8_t idb[32];
    sc_rng_bytes(f->rng, idb, 32);
    sc_rng_bytes(f->rng, xib, 32);
    assert_int_equal(sc_enc_ballot_new(&b), SC_OK);
    assert_int_equal(sc_ballot_encrypt_with(&f->el, p, idb, xib, f->rng, b),
                     SC_OK);
    sc_plain_ballot_free(p);
    return b;
}

static void test_round_trip(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    uint8_t xib[32];
    sc_enc_ballot *b =
        enc(&f,
            "{\"id\":\"b1\",\"style\":\"all\",\"contest_fields_plaintexts\":{"
            "\"1\":{\"field_values\":[0,1,0]},\"2\":{\"field_values\":[1,0,1]},"
            "\"3\":{\"field_values\":[3,2]}}}",
            xib);
    assert_int_equal(b->n_contests, 3);
    assert_false(b->contests[0].has_data);
    assert_true(b->contests[1].has_data);
    assert_false(b->contests[2].has_data);
    assert_int_equal(b->contests[2].proofs[0].R, 3);
    assert_int_equal(b->contests[2].proofs[1].R, 5);
    assert_int_equal(b->contests[2].limit.R, 5);
    check_proofs(&f, b);
    const uint64_t want[] = {0, 1, 0, 1, 0, 1, 3, 2};
    check_plain(&f, b, xib, want);

    /* JSON round trip keeps every value (and the confirmation code). */
    sc_device dev;
    assert_int_equal(sc_device_init(&dev, f.el.h_e, 2, "dev", SC_CHAIN_SIMPLE),
                     SC_OK);
    sc_device_chain(&dev, f.el.h_e, b);
    sc_json *j;
    assert_int_equal(sc_ballot_to_json(f.g, b, &j), SC_OK);
    sc_jctx ctx;
    sc_jctx_init(&ctx, "mem", f.g);
    sc_enc_ballot *b2;
    assert_int_equal(sc_ballot_from_json(&ctx, f.g, f.m, j, &b2), SC_OK);
    assert_int_equal(b2->device, 2);
    assert_int_equal(b2->sequence, 1);
    assert_memory_equal(b2->h_c, b->h_c, 32);
    uint8_t hc[32];
    sc_ballot_confirmation_code(b2, hc);
    assert_memory_equal(hc, b->h_c, 32);
    check_proofs(&f, b2);
    check_plain(&f, b2, xib, want);
    sc_enc_ballot_free(b2);
    sc_json_free(j);
    sc_device_clear(&dev);
    sc_enc_ballot_free(b);
    fx_clear(&f);
}

static void test_overvote_undervote(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    uint8_t xib[32];
    /* contest 2: three selections, limit 2 -> overvote; contest 3 missing
     * -> undervote (all zeros). */
    sc_enc_ballot *b =
        enc(&f,
            "{\"id\":\"b2\",\"style\":2,\"contest_fields_plaintexts\":{"
            "\"2\":{\"field_values\":[1,1,1]}}}",
            xib);
    assert_int_equal(b->n_contests, 2);
    assert_int_equal(b->contests[0].ind_c, 2);
    check_proofs(&f, b);
    const uint64_t want[] = {0, 0, 0, 0, 0};
    check_plain(&f, b, xib, want);
    /* the overvote is only in the encrypted contest data (eq 63-69) */
    assert_string_equal(
        data_text(&f, b, 0),
        "{\"overvote\":true,\"undervote\":false,\"null_vote\":false,"
        "\"selections\":[1,1,1]}");
    sc_json *j;
    assert_int_equal(sc_ballot_to_json(f.g, b, &j), SC_OK);
    char *line = sc_json_dumps(j);
    assert_null(strstr(line, "overvote"));
    free(line);
    sc_json_free(j);
    sc_enc_ballot_free(b);
    /* a write-in and an undervote */
    b = enc(&f,
            "{\"id\":\"b3\",\"style\":2,\"contest_fields_plaintexts\":{"
            "\"2\":{\"field_values\":[0,0,1],\"write_ins\":{\"3\":"
            "\"Zo\\u00eb \\\"Z\\\"\"}}}}",
            xib);
    check_proofs(&f, b);
    assert_string_equal(data_text(&f, b, 0),
                        "{\"overvote\":false,\"undervote\":true,"
                        "\"null_vote\":false,\"write_ins\":{\"3\":"
                        "\"Zo\xc3\xab \\\"Z\\\"\"}}");
    sc_enc_ballot_free(b);
    fx_clear(&f);
}

static void bad_plain(fx *f, const char *text, const char *needle)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "in.jsonl:3", NULL);
    sc_plain_ballot *p = NULL;
    sc_status rc = sc_plain_ballot_parse(&ctx, f->m, text, strlen(text), &p);
    assert_int_not_equal(rc, SC_OK);
    assert_null(p);
    if (strstr(ctx.msg, needle) == NULL ||
        strncmp(ctx.msg, "in.jsonl:3: ", 12) != 0) {
        fail_msg("message \"%s\" lacks \"%s\"", ctx.msg, needle);
    }
}

static void test_bad_plaintext(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    bad_plain(&f, "{\"id\":\"x\",\"style\":1,", "invalid JSON");
    bad_plain(&f,
              "{\"id\":\"x\",\"style\":2,\"contest_fields_plaintexts\":"
              "{\"1\":{\"field_values\":[1,0,0]}}}",
              "not on ballot style 2");
    bad_plain(&f,
              "{\"id\":\"x\",\"style\":1,\"contest_fields_plaintexts\":"
              "{\"9\":{\"field_values\":[1]}}}",
              "no contest with index");
    bad_plain(&f,
              "{\"id\":\"x\",\"style\":1,\"contest_fields_plaintexts\":"
              "{\"1\":{\"field_values\":[1,0]}}}",
              "has 3 options, found 2");
    bad_plain(&f,
              "{\"id\":\"x\",\"style\":1,\"contest_fields_plaintexts\":"
              "{\"1\":{\"field_values\":[2,0,0]}}}",
              "above the option's selection limit 1");
    bad_plain(&f, "{\"id\":\"x\",\"style\":7,\"contest_fields_plaintexts\":{}}",
              "no ballot style 7");
    bad_plain(&f,
              "{\"id\":\"x\",\"style\":\"nope\","
              "\"contest_fields_plaintexts\":{}}",
              "no ballot style labelled");
    bad_plain(&f, "{\"style\":1,\"contest_fields_plaintexts\":{}}",
              "field id: missing");
    bad_plain(&f,
              "{\"id\":\"x\",\"style\":1,\"contest_fields_plaintexts\":{},"
              "\"color\":1}",
              "field color: unknown property");
    fx_clear(&f);
}

static void test_tally(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    sc_tally *t;
    assert_int_equal(sc_tally_new(&t, f.g, f.m), SC_OK);
    uint64_t sum[8] = {0};
    size_t off[3] = {0, 3, 6};
    int cast = 0;
    for (int i = 0; i < 12; i++) {
        uint32_t a = (uint32_t)(i % 3), d = (uint32_t)(i % 2),
                 e = (uint32_t)((i / 2) % 2), g3 = (uint32_t)(i % 4),
                 h = (uint32_t)(i % 2);
        char text[512];
        int challenge = i % 5 == 4;
        uint32_t w = (i == 3) ? 3 : 1;
        snprintf(text, sizeof text,
                 "{\"id\":\"t%d\",\"style\":1,%s\"weight\":%u,"
                 "\"contest_fields_plaintexts\":{"
                 "\"1\":{\"field_values\":[%u,%u,%u]},"
                 "\"2\":{\"field_values\":[%u,%u,0]},"
                 "\"3\":{\"field_values\":[%u,%u]}}}",
                 i, challenge ? "\"challenge\":true," : "", w, a == 0, a == 1,
                 a == 2, d, e, g3 == 3 ? 3 : g3, h);
        uint8_t xib[32];
        sc_enc_ballot *b = enc(&f, text, xib);
        assert_int_equal(sc_tally_add(t, b), SC_OK);
        if (!challenge) {
            cast++;
            uint64_t v[8] = {a == 0, a == 1, a == 2,           d,
                             e,      0,      g3 == 3 ? 3 : g3, h};
            for (int k = 0; k < 8; k++) {
                sum[k] += w * v[k];
            }
        }
        sc_enc_ballot_free(b);
    }
    assert_int_equal(t->cast, cast);
    for (uint32_t c = 1; c <= 3; c++) {
        for (uint32_t o = 1; o <= f.m->contests[c - 1].n_options; o++) {
            uint64_t got;
            assert_int_equal(sc_elgamal_decrypt_secret(
                                 f.K, f.dl, &got, sc_tally_get(t, c, o), f.s),
                             SC_OK);
            assert_int_equal(got, sum[off[c - 1] + o - 1]);
        }
    }
    sc_tally_free(t);
    fx_clear(&f);
}

/* A limit above SC_BALLOT_MAX_RANGE: the batch fails with SC_E_RANGE,
 * names the ballot, leaves nothing allocated and the device unchanged. */
static void test_batch_failure(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    sc_manifest *m =
        manifest("{\"label\":\"big\",\"contests\":[{\"label\":\"c\","
                 "\"selection_limit\":5000,\"options\":[{\"label\":\"a\","
                 "\"selection_limit\":\"CONTEST_LIMIT\"}]}],\"ballot_styles\":"
                 "[{\"label\":\"s\",\"contests\":[1]}]}");
    sc_election el = f.el;
    el.manifest = m;
    sc_plain_ballot *in[2];
    const char *t = "{\"id\":\"x\",\"style\":1,"
                    "\"contest_fields_plaintexts\":{}}";
    sc_jctx ctx;
    sc_jctx_init(&ctx, "t", NULL);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sc_plain_ballot_parse(&ctx, m, t, strlen(t), &in[i]),
                         SC_OK);
    }
    sc_device dev;
    assert_int_equal(sc_device_init(&dev, el.h_e, 1, "d", SC_CHAIN_SIMPLE),
                     SC_OK);
    uint8_t h0[32];
    memcpy(h0, dev.prev, 32);
    sc_enc_ballot *out[2];
    char *lines[2];
    size_t bad = 99;
    assert_int_equal(
        sc_encrypt_batch(&el, &dev, in, 2, 2, NULL, out, lines, &bad),
        SC_E_RANGE);
    assert_true(bad < 2);
    assert_null(out[0]);
    assert_null(out[1]);
    assert_null(lines[0]);
    assert_int_equal(dev.count, 0);
    assert_memory_equal(dev.prev, h0, 32);
    sc_device_clear(&dev);
    for (int i = 0; i < 2; i++) {
        sc_plain_ballot_free(in[i]);
    }
    sc_manifest_free(m);
    fx_clear(&f);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kat_chain),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_overvote_undervote),
        cmocka_unit_test(test_bad_plaintext),
        cmocka_unit_test(test_tally),
        cmocka_unit_test(test_batch_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
