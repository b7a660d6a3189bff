/* Contest data written exactly as spec 2.1.0 eq 63-70 say, by a path
 * independent of Scrutin's encryption code, must verify.
 *
 * A small record is made with the pipeline (tests/tamper/gen_record.c).
 * Then, on every ballot of its device without chaining, the contest data
 * of each contest is replaced by a new encryption computed here from the
 * equations with GMP and libsodium's HMAC-SHA-256 only (no scrutin hash,
 * ElGamal or proof function): a fresh nonce ξ, C_0 = g^ξ (eq 67),
 * h = H(H_I; 0x26, ind_c, C_0, K̂^ξ) (eq 65), k_i (eq 66), C_1 = D ⊕ k
 * (eq 68), the Schnorr proof (eq 69), χ (eq 70) and H_C (eq 71); a
 * challenged ballot's opening gets ξ and D (Verification 13.4-13.A). The
 * verifier must accept the record. Encoding C_2 in χ as v ‖ c instead of
 * c ‖ v (AMBIGUITIES 2) must fail 8.A: the reading is exercised, not
 * assumed. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "gen_record.h"
#include "scrutin/report.h"
#include "scrutin/verify.h"

static sc_group *g_grp;
static char g_dir[256];

/* H(key; data) = HMAC-SHA-256 (§5.1) over a buffer being built. */
typedef struct hbuf {
    uint8_t d[16384];
    size_t n;
} hbuf;

static void put(hbuf *h, const void *p, size_t n)
{
    assert_true(h->n + n <= sizeof h->d);
    memcpy(h->d + h->n, p, n);
    h->n += n;
}

static void put_u32(hbuf *h, uint32_t x)
{
    uint8_t b[4] = {(uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8),
                    (uint8_t)x};
    put(h, b, 4);
}

static void put_mpz(hbuf *h, const mpz_t x, size_t width)
{
    uint8_t b[1024] = {0};
    size_t n = 0;
    assert_true(width <= sizeof b);
    assert_true(mpz_sizeinbase(x, 256) <= width);
    mpz_export(b + width - (mpz_sgn(x) ? mpz_sizeinbase(x, 256) : 0), &n, 1, 1,
               1, 0, x);
    put(h, b, width);
}

static void H(const uint8_t key[32], const hbuf *h, uint8_t out[32])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, 32);
    crypto_auth_hmacsha256_update(&st, h->d, h->n);
    crypto_auth_hmacsha256_final(&st, out);
}

static void Hq(const uint8_t key[32], const hbuf *h, mpz_t out)
{
    uint8_t d[32];
    H(key, h, d);
    mpz_import(out, 32, 1, 1, 1, 0, d);
    mpz_mod(out, out, g_grp->q);
}

static void unhex(const char *s, uint8_t *out, size_t n)
{
    assert_int_equal(strlen(s), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(s + 2 * i, "%2X", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static json_t *hexstr(const uint8_t *b, size_t n)
{
    char *s = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        sprintf(s + 2 * i, "%02X", b[i]);
    }
    json_t *j = json_string(s);
    free(s);
    return j;
}

static json_t *mpzstr(const mpz_t x, size_t width)
{
    hbuf h = {.n = 0};
    put_mpz(&h, x, width);
    return hexstr(h.d, width);
}

static void getmpz(mpz_t x, const json_t *j)
{
    assert_int_equal(mpz_set_str(x, json_string_value(j), 16), 0);
}

/* Re-encrypt one contest's data (eq 64-69 with a fresh ξ) and recompute
 * its χ (eq 70); *chi receives it. */
static void reencrypt(json_t *con, const uint8_t hi[32], const mpz_t khat,
                      json_t *opening_contest, int swap_c2, uint8_t chi[32])
{
    const size_t lp = g_grp->lp, lq = g_grp->lq;
    json_t *cd = json_object_get(con, "contest_data");
    uint32_t ind = (uint32_t)json_integer_value(json_object_get(con, "index"));
    size_t len = strlen(json_string_value(json_object_get(cd, "c1"))) / 2;
    size_t blocks = len / 32;
    uint8_t *D = malloc(len), *C1 = malloc(len), h[32], k[32];
    /* D: the opening's plaintext if the ballot is challenged, else any
     * 32·b bytes (nothing checks a cast ballot's plaintext) */
    if (opening_contest != NULL) {
        unhex(json_string_value(json_object_get(opening_contest, "data")), D,
              len);
    } else {
        randombytes_buf(D, len);
    }
    mpz_t xi, c0, beta, u, a, c, v, t;
    mpz_inits(xi, c0, beta, u, a, c, v, t, NULL);
    uint8_t r[64];
    randombytes_buf(r, sizeof r);
    mpz_import(xi, sizeof r, 1, 1, 1, 0, r);
    mpz_mod(xi, xi, g_grp->q);
    mpz_powm(c0, g_grp->g, xi, g_grp->p); /* eq 67 */
    mpz_powm(beta, khat, xi, g_grp->p);
    hbuf hb = {.n = 0};
    uint8_t sep = 0x26; /* eq 65 */
    put(&hb, &sep, 1);
    put_u32(&hb, ind);
    put_mpz(&hb, c0, lp);
    put_mpz(&hb, beta, lp);
    H(hi, &hb, h);
    for (size_t i = 1; i <= blocks; i++) { /* eq 66, 68 */
        hbuf kb = {.n = 0};
        put_u32(&kb, (uint32_t)i);
        put(&kb, "data enc keys", 13);
        put(&kb, "", 1);
        put(&kb, "contest data", 12);
        put_u32(&kb, ind);
        put_u32(&kb, (uint32_t)(blocks * 256));
        H(h, &kb, k);
        for (size_t j = 0; j < 32; j++) {
            C1[32 * (i - 1) + j] = D[32 * (i - 1) + j] ^ k[j];
        }
    }
    randombytes_buf(r, sizeof r); /* eq 69 */
    mpz_import(u, sizeof r, 1, 1, 1, 0, r);
    mpz_mod(u, u, g_grp->q);
    mpz_powm(a, g_grp->g, u, g_grp->p);
    hb.n = 0;
    sep = 0x27;
    put(&hb, &sep, 1);
    put_u32(&hb, ind);
    put_mpz(&hb, a, lp);
    put_mpz(&hb, c0, lp);
    put(&hb, C1, len);
    Hq(hi, &hb, c);
    mpz_mul(t, c, xi);
    mpz_sub(v, u, t);
    mpz_mod(v, v, g_grp->q);
    json_object_set_new(cd, "c0", mpzstr(c0, lp));
    json_object_set_new(cd, "c1", hexstr(C1, len));
    json_object_set_new(cd, "c", mpzstr(c, lq));
    json_object_set_new(cd, "v", mpzstr(v, lq));
    if (opening_contest != NULL) {
        json_object_set_new(opening_contest, "data_nonce", mpzstr(xi, lq));
    }
    /* eq 70: χ = H(H_I; 0x28, ind_c, α_1, β_1, ..., C_0, C_1, C_2) */
    hb.n = 0;
    sep = 0x28;
    put(&hb, &sep, 1);
    put_u32(&hb, ind);
    json_t *fs = json_object_get(con, "fields");
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *f = json_array_get(fs, i);
        getmpz(t, json_object_get(f, "alpha"));
        put_mpz(&hb, t, lp);
        getmpz(t, json_object_get(f, "beta"));
        put_mpz(&hb, t, lp);
    }
    put_mpz(&hb, c0, lp);
    put(&hb, C1, len);
    put_mpz(&hb, swap_c2 ? v : c, lq);
    put_mpz(&hb, swap_c2 ? c : v, lq);
    H(hi, &hb, chi);
    json_object_set_new(con, "contest_hash", hexstr(chi, 32));
    mpz_clears(xi, c0, beta, u, a, c, v, t, NULL);
    free(D);
    free(C1);
}

/* Rewrite device 2's ballots and their openings; run the verifier. */
static sc_report *rewrite_and_verify(int swap_c2)
{
    char path[512], opath[512];
    snprintf(path, sizeof path, "%s/ballots/device_2.jsonl", g_dir);
    snprintf(opath, sizeof opath, "%s/challenged.jsonl", g_dir);
    size_t blen = 0, olen = 0;
    char *bal = t_read_file(path, &blen);
    char *ops = t_read_file(opath, &olen);
    json_t *jk =
        json_load_file((snprintf(opath, sizeof opath,
                                 "%s/joint_election_public_key.json", g_dir),
                        opath),
                       0, NULL);
    assert_non_null(jk);
    mpz_t khat;
    mpz_init(khat);
    getmpz(khat, json_object_get(jk, "joint_ballot_data_public_key"));
    json_decref(jk);
    /* openings by id_B */
    json_t *openings = json_array();
    for (char *l = strtok(ops, "\n"); l != NULL; l = strtok(NULL, "\n")) {
        json_array_append_new(openings, json_loads(l, 0, NULL));
    }
    FILE *out = fopen(path, "wb");
    size_t changed = 0, opened = 0;
    char *save = NULL;
    for (char *l = strtok_r(bal, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        json_t *b = json_loads(l, 0, NULL);
        assert_non_null(b);
        const char *idb = json_string_value(
            json_object_get(b, "selection_encryption_identifier"));
        json_t *op = NULL;
        for (size_t i = 0; i < json_array_size(openings); i++) {
            json_t *o = json_array_get(openings, i);
            if (strcmp(json_string_value(json_object_get(
                           o, "selection_encryption_identifier")),
                       idb) == 0) {
                op = o;
            }
        }
        uint8_t hi[32], bc[36], chis[32 * 8];
        unhex(json_string_value(json_object_get(b, "h_i")), hi, 32);
        unhex(json_string_value(json_object_get(b, "chaining_field")), bc, 36);
        json_t *cs = json_object_get(b, "contests");
        for (size_t l2 = 0; l2 < json_array_size(cs); l2++) {
            json_t *c = json_array_get(cs, l2);
            unhex(json_string_value(json_object_get(c, "contest_hash")),
                  chis + 32 * l2, 32);
            if (json_object_get(c, "contest_data") == NULL) {
                continue;
            }
            json_t *oc =
                op != NULL ? json_array_get(json_object_get(op, "contests"), l2)
                           : NULL;
            reencrypt(c, hi, khat, oc, swap_c2, chis + 32 * l2);
            changed++;
            opened += oc != NULL;
        }
        /* eq 71: H_C = H(H_I; 0x29, χ_1 ‖ ... ‖ χ_mB ‖ B_C) */
        hbuf hb = {.n = 0};
        uint8_t sep = 0x29, hc[32];
        put(&hb, &sep, 1);
        put(&hb, chis, 32 * json_array_size(cs));
        put(&hb, bc, 36);
        H(hi, &hb, hc);
        json_object_set_new(b, "confirmation_code", hexstr(hc, 32));
        char *s = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf(out, "%s\n", s);
        free(s);
        json_decref(b);
    }
    fclose(out);
    assert_true(changed >= 4);
    assert_true(opened >= 1);
    snprintf(opath, sizeof opath, "%s/challenged.jsonl", g_dir);
    out = fopen(opath, "wb");
    for (size_t i = 0; i < json_array_size(openings); i++) {
        char *s = json_dumps(json_array_get(openings, i),
                             JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf(out, "%s\n", s);
        free(s);
    }
    fclose(out);
    json_decref(openings);
    mpz_clear(khat);
    free(bal);
    free(ops);
    sc_report *rep = NULL;
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    sc_verify_opts o;
    sc_verify_opts_default(&o);
    o.threads = 2;
    o.allow_test_parameters = 1;
    assert_int_equal(sc_verify_record(g_dir, &o, rep), SC_OK);
    return rep;
}

static void make(uint64_t seed)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/sc_cdindep_%d", (int)getpid());
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s.secrets", g_dir, g_dir);
    assert_int_equal(system(cmd), 0);
    tg_opts o = {SC_GROUP_TOY_Q64, 6, 2, 2, 0, seed, 0};
    assert_int_equal(tg_make_record(g_dir, &o), SC_OK);
}

static void cleanup(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s.secrets", g_dir, g_dir);
    assert_int_equal(system(cmd), 0);
}

static void independent_contest_data_verifies(void **state)
{
    (void)state;
    make(21);
    sc_report *rep = rewrite_and_verify(0);
    if (sc_report_exit_code(rep) != SC_EXIT_VALID) {
        sc_report_print_text(rep, stderr, 5);
        fail_msg("independently written contest data does not verify");
    }
    sc_report_free(rep);
    cleanup();
}

static void c2_order_matters(void **state)
{
    (void)state;
    make(22);
    sc_report *rep = rewrite_and_verify(1);
    const char *ff = sc_report_first_failure(rep);
    if (ff == NULL || strcmp(ff, "V8.A") != 0) {
        sc_report_print_text(rep, stderr, 5);
        fail_msg("C_2 as v ‖ c: expected V8.A, got %s", ff ? ff : "none");
    }
    sc_report_free(rep);
    cleanup();
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    g_grp = t_group(SC_GROUP_TOY_Q64);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(independent_contest_data_verifies),
        cmocka_unit_test(c2_order_matters),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    sc_group_free(g_grp);
    return r;
}
