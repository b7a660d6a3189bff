/* Key ceremony (spec §3.2): rounds, secret files, failures that name the
 * guardian at fault. Toy group for speed, one run on the standard group. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ceremony/sealed.h"
#include "scrutin/ceremony.h"
#include "scrutin/eghash.h"
#include "scrutin/proof.h"

static const char PASS[] = "correct horse battery staple";
static const uint8_t MANIFEST[] = "{\"label\":\"test\"}";

typedef struct run {
    sc_group *grp;
    sc_rng *rng;
    sc_ceremony_ctx ctx;
    sc_guardian_secret **sec;
    sc_guardian_public *pubs;
    sc_guardian_shares *shares;
    sc_guardian_result *res;
} run;

static void run_new(run *r, sc_group_id gid, uint32_t n, uint32_t k)
{
    memset(r, 0, sizeof *r);
    r->grp = t_group(gid);
    r->rng = t_rng(1000 + n * 10 + k);
    assert_int_equal(sc_ceremony_ctx_init(&r->ctx, r->grp, n, k, MANIFEST,
                                          sizeof MANIFEST - 1),
                     SC_OK);
    r->sec = calloc(n, sizeof *r->sec);
    r->pubs = calloc(n, sizeof *r->pubs);
    r->shares = calloc(n, sizeof *r->shares);
    r->res = calloc(n, sizeof *r->res);
    for (uint32_t i = 1; i <= n; i++) {
        assert_int_equal(sc_guardian_public_init(&r->pubs[i - 1], k), SC_OK);
        assert_int_equal(sc_guardian_round1(&r->ctx, i, NULL, r->rng,
                                            &r->sec[i - 1], &r->pubs[i - 1]),
                         SC_OK);
        assert_int_equal(sc_guardian_shares_init(&r->shares[i - 1], i, n),
                         SC_OK);
        sc_guardian_result_init(&r->res[i - 1]);
    }
}

static void run_round2(run *r)
{
    for (uint32_t i = 1; i <= r->ctx.n; i++) {
        uint32_t culprit = 99;
        assert_int_equal(sc_guardian_round2(&r->ctx, r->sec[i - 1], r->pubs,
                                            r->rng, &r->shares[i - 1],
                                            &culprit),
                         SC_OK);
    }
}

static void run_free(run *r)
{
    for (uint32_t i = 0; i < r->ctx.n; i++) {
        sc_guardian_secret_free(r->sec[i]);
        sc_guardian_public_clear(&r->pubs[i]);
        sc_guardian_shares_clear(&r->shares[i]);
        sc_guardian_result_clear(&r->res[i]);
    }
    free(r->sec);
    free(r->pubs);
    free(r->shares);
    free(r->res);
    sc_rng_free(r->rng);
    sc_group_free(r->grp);
}

/* Full run; the z_i are a k-of-n sharing of s with g^s = K. */
static void full_run(sc_group_id gid, uint32_t n, uint32_t k)
{
    run r;
    run_new(&r, gid, n, k);
    run_round2(&r);
    for (uint32_t i = 1; i <= n; i++) {
        uint32_t culprit = 99;
        assert_int_equal(sc_guardian_round3(&r.ctx, r.sec[i - 1], r.pubs,
                                            r.shares, &r.res[i - 1], &culprit),
                         SC_OK);
        assert_int_equal(r.sec[i - 1]->phase, SC_PHASE_SHARES);
    }
    sc_guardian_result joint;
    sc_guardian_result_init(&joint);
    uint32_t culprit = 99;
    assert_int_equal(
        sc_ceremony_finish(&r.ctx, r.pubs, r.res, &joint, &culprit), SC_OK);
    /* g^z_i = share public key from the commitments (eq 94). */
    size_t nk = (size_t)n * k;
    mpz_t *Kjm = calloc(nk, sizeof(mpz_t));
    for (uint32_t j = 0; j < n; j++) {
        for (uint32_t m = 0; m < k; m++) {
            mpz_init_set(Kjm[j * k + m], r.pubs[j].K[m]);
        }
    }
    mpz_t gz, pk, s, t;
    mpz_inits(gz, pk, s, t, NULL);
    for (uint32_t i = 1; i <= n; i++) {
        sc_fb_pow(r.grp->g_fb, gz, r.sec[i - 1]->z);
        sc_share_pubkey(r.grp, pk, n, k, (const mpz_t *)Kjm, i);
        assert_int_equal(mpz_cmp(gz, pk), 0);
    }
    /* Lagrange on the first k: g^s = K. */
    uint32_t U[16];
    mpz_t w[16];
    for (uint32_t m = 0; m < k; m++) {
        U[m] = n - k + 1 + m;
        mpz_init(w[m]);
    }
    assert_int_equal(sc_lagrange_coeffs(r.grp, k, U, w), SC_OK);
    mpz_set_ui(s, 0);
    for (uint32_t m = 0; m < k; m++) {
        mpz_mul(t, w[m], r.sec[U[m] - 1]->z);
        mpz_add(s, s, t);
        mpz_clear(w[m]);
    }
    mpz_mod(s, s, r.grp->q);
    sc_fb_pow(r.grp->g_fb, gz, s);
    assert_int_equal(mpz_cmp(gz, joint.K), 0);
    mpz_clears(gz, pk, s, t, NULL);
    for (size_t m = 0; m < nk; m++) {
        mpz_clear(Kjm[m]);
    }
    free(Kjm);
    sc_guardian_result_clear(&joint);
    run_free(&r);
}

static void test_full_toy(void **state)
{
    (void)state;
    full_run(SC_GROUP_TOY_Q64, 5, 3);
    full_run(SC_GROUP_TOY_Q64, 1, 1);
    full_run(SC_GROUP_TOY_Q64, 3, 3);
    full_run(SC_GROUP_TOY_Q64, 4, 1);
}

static void test_full_standard(void **state)
{
    (void)state;
    full_run(SC_GROUP_STANDARD, 3, 2);
}

static void test_bad_round1_proof(void **state)
{
    (void)state;
    run r;
    run_new(&r, SC_GROUP_TOY_Q64, 4, 2);
    mpz_add_ui(r.pubs[2].proof_hat.v[1], r.pubs[2].proof_hat.v[1], 1);
    mpz_mod(r.pubs[2].proof_hat.v[1], r.pubs[2].proof_hat.v[1], r.grp->q);
    uint32_t culprit = 0;
    assert_int_equal(sc_guardian_round2(&r.ctx, r.sec[0], r.pubs, r.rng,
                                        &r.shares[0], &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 3);
    assert_non_null(strstr(sc_ceremony_errdetail(), "guardian 3"));
    run_free(&r);
}

static void test_corrupted_share(void **state)
{
    (void)state;
    run r;
    run_new(&r, SC_GROUP_TOY_Q64, 4, 3);
    run_round2(&r);
    /* Guardian 2 sends guardian 4 a flipped ciphertext byte: the proof of
     * eq 22 fails. */
    r.shares[1].ct[3].c1[5] ^= 1;
    uint32_t culprit = 0;
    assert_int_equal(sc_guardian_round3(&r.ctx, r.sec[3], r.pubs, r.shares,
                                        &r.res[3], &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 2);
    assert_int_equal(r.sec[3]->phase, SC_PHASE_KEYS);
    r.shares[1].ct[3].c1[5] ^= 1;
    /* Guardian 3 encrypts a wrong share (valid proof): eq 28 fails. */
    mpz_t P, Ph;
    mpz_inits(P, Ph, NULL);
    mpz_set_ui(P, 12345);
    mpz_set_ui(Ph, 54321);
    sc_elgamal_key *kap = NULL;
    assert_int_equal(sc_elgamal_key_new(&kap, r.grp, r.pubs[0].kappa), SC_OK);
    assert_int_equal(sc_share_encrypt(kap, r.ctx.h_p, 3, 1, P, Ph, r.rng,
                                      &r.shares[2].ct[0]),
                     SC_OK);
    sc_elgamal_key_free(kap);
    mpz_clears(P, Ph, NULL);
    culprit = 0;
    assert_int_equal(sc_guardian_round3(&r.ctx, r.sec[0], r.pubs, r.shares,
                                        &r.res[0], &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 3);
    assert_non_null(strstr(sc_ceremony_errdetail(), "eq 28"));
    /* The others are fine. */
    assert_int_equal(sc_guardian_round3(&r.ctx, r.sec[1], r.pubs, r.shares,
                                        &r.res[1], &culprit),
                     SC_OK);
    run_free(&r);
}

static void test_hg_mismatch(void **state)
{
    (void)state;
    run r;
    run_new(&r, SC_GROUP_TOY_Q64, 3, 2);
    run_round2(&r);
    uint32_t culprit = 0;
    for (uint32_t i = 1; i <= 3; i++) {
        assert_int_equal(sc_guardian_round3(&r.ctx, r.sec[i - 1], r.pubs,
                                            r.shares, &r.res[i - 1], &culprit),
                         SC_OK);
    }
    assert_memory_equal(r.res[0].h_g, r.res[1].h_g, 32);
    assert_memory_equal(r.res[0].h_g, r.res[2].h_g, 32);
    r.res[1].h_g[0] ^= 0x80; /* guardian 2 saw something else */
    sc_guardian_result joint;
    sc_guardian_result_init(&joint);
    assert_int_equal(
        sc_ceremony_finish(&r.ctx, r.pubs, r.res, &joint, &culprit),
        SC_E_VERIFY);
    assert_int_equal(culprit, 2);
    sc_guardian_result_clear(&joint);
    run_free(&r);
}

static char tmpdir[64];

static void mktmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sc_cer_XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
}

static void test_secret_file(void **state)
{
    (void)state;
    run r;
    run_new(&r, SC_GROUP_TOY_Q64, 3, 2);
    mktmp();
    char path[128];
    snprintf(path, sizeof path, "%s/g1.secret", tmpdir);
    assert_int_equal(
        sc_secret_save(r.sec[0], path, PASS, strlen(PASS), SC_KDF_INTERACTIVE),
        SC_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    sc_guardian_secret *s = NULL;
    assert_int_equal(
        sc_secret_load(&s, r.grp, &r.ctx, path, PASS, strlen(PASS)), SC_OK);
    assert_int_equal(mpz_cmp(s->a[1], r.sec[0]->a[1]), 0);
    assert_int_equal(mpz_cmp(s->zeta, r.sec[0]->zeta), 0);
    sc_guardian_secret_free(s);
    s = NULL;
    /* Wrong passphrase. */
    assert_int_equal(sc_secret_load(&s, r.grp, &r.ctx, path, "wrong", 5),
                     SC_E_AUTH);
    assert_null(s);
    /* A KDF cost below the interactive level is refused (the test
     * parameters of the fuzz target need sc_sealed_allow_test_kdf). */
    {
        char cheap[160];
        snprintf(cheap, sizeof cheap, "%s/cheap.secret", tmpdir);
        size_t n = 0;
        char *txt = t_read_file(path, &n);
        char *ops = strstr(txt, "\"opslimit\":2,");
        assert_non_null(ops);
        ops[11] = '1';
        FILE *f = fopen(cheap, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(txt, 1, n, f), n);
        fclose(f);
        free(txt);
        assert_int_equal(
            sc_secret_load(&s, r.grp, &r.ctx, cheap, PASS, strlen(PASS)),
            SC_E_INVALID_RANGE);
        assert_non_null(strstr(sc_ceremony_errdetail(), "interactive"));
        sc_sealed_allow_test_kdf(1);
        assert_int_equal(
            sc_secret_load(&s, r.grp, &r.ctx, cheap, PASS, strlen(PASS)),
            SC_E_AUTH); /* read, but the key is another one */
        sc_sealed_allow_test_kdf(0);
        assert_null(s);
    }
    /* Modified box. */
    size_t len;
    char *buf = t_read_file(path, &len);
    char *box = strstr(buf, "\"box\":\"");
    assert_non_null(box);
    box[20] = box[20] == 'A' ? 'B' : 'A';
    char path2[160];
    snprintf(path2, sizeof path2, "%s/mod.secret", tmpdir);
    FILE *f = fopen(path2, "wb");
    fwrite(buf, 1, len, f);
    fclose(f);
    assert_int_equal(
        sc_secret_load(&s, r.grp, &r.ctx, path2, PASS, strlen(PASS)),
        SC_E_AUTH);
    /* Truncated. */
    box[20] = box[20] == 'A' ? 'B' : 'A';
    f = fopen(path2, "wb");
    fwrite(buf, 1, len / 2, f);
    fclose(f);
    sc_status rc = sc_secret_load(&s, r.grp, &r.ctx, path2, PASS, strlen(PASS));
    assert_true(rc == SC_E_AUTH || SC_STATUS_CLASS(rc) == SC_E_INVALID);
    assert_null(s);
    /* Another election. */
    sc_ceremony_ctx other;
    assert_int_equal(
        sc_ceremony_ctx_init(&other, r.grp, 3, 2, (const uint8_t *)"x", 1),
        SC_OK);
    assert_int_equal(
        sc_secret_load(&s, r.grp, &other, path, PASS, strlen(PASS)),
        SC_E_INVALID);
    free(buf);
    unlink(path);
    unlink(path2);
    rmdir(tmpdir);
    run_free(&r);
}

/* Public files round-trip; run_all writes the record. */
static void test_files_and_run_all(void **state)
{
    (void)state;
    run r;
    run_new(&r, SC_GROUP_TOY_Q64, 3, 2);
    run_round2(&r);
    mktmp();
    char path[160];
    snprintf(path, sizeof path, "%s/p.json", tmpdir);
    assert_int_equal(sc_guardian_public_write(r.grp, &r.pubs[1], path), SC_OK);
    sc_guardian_public pub;
    assert_int_equal(sc_guardian_public_init(&pub, 1), SC_OK);
    assert_int_equal(sc_guardian_public_read(r.grp, &pub, path), SC_OK);
    assert_int_equal(sc_guardian_public_check(&r.ctx, 2, &pub), SC_OK);
    sc_guardian_public_clear(&pub);
    /* A name that does not fit is refused, not cut (in UTF-8). */
    {
        char longname[80];
        memset(longname, 'N', sizeof longname - 1);
        longname[sizeof longname - 1] = '\0';
        sc_guardian_secret *ls = NULL;
        sc_guardian_public lp;
        assert_int_equal(sc_guardian_public_init(&lp, 2), SC_OK);
        assert_int_equal(
            sc_guardian_round1(&r.ctx, 1, longname, r.rng, &ls, &lp),
            SC_E_INVALID_LENGTH);
        assert_null(ls);
        sc_guardian_public_clear(&lp);
    }
    snprintf(path, sizeof path, "%s/s.json", tmpdir);
    assert_int_equal(sc_guardian_shares_write(r.grp, &r.shares[0], path),
                     SC_OK);
    sc_guardian_shares sh;
    assert_int_equal(sc_guardian_shares_init(&sh, 1, 3), SC_OK);
    assert_int_equal(sc_guardian_shares_read(r.grp, 3, &sh, path), SC_OK);
    assert_int_equal(mpz_cmp(sh.ct[2].c0, r.shares[0].ct[2].c0), 0);
    assert_memory_equal(sh.ct[1].c1, r.shares[0].ct[1].c1, 64);
    sc_guardian_shares_clear(&sh);
    run_free(&r);

    sc_group *grp = t_group(SC_GROUP_TOY_Q64);
    sc_rng *rng = t_rng(7);
    sc_ceremony_ctx ctx;
    assert_int_equal(
        sc_ceremony_ctx_init(&ctx, grp, 3, 2, MANIFEST, sizeof MANIFEST - 1),
        SC_OK);
    char sdir[128], rdir[128];
    snprintf(sdir, sizeof sdir, "%s/secrets", tmpdir);
    snprintf(rdir, sizeof rdir, "%s/record", tmpdir);
    sc_guardian_result joint;
    sc_guardian_result_init(&joint);
    assert_int_equal(sc_ceremony_run_all(&ctx, sdir, PASS, strlen(PASS),
                                         SC_KDF_INTERACTIVE, rng, rdir, &joint),
                     SC_OK);
    snprintf(path, sizeof path, "%s/guardians/guardian_3.json", rdir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/guardian_2.secret", sdir);
    sc_guardian_secret *s = NULL;
    assert_int_equal(sc_secret_load(&s, grp, &ctx, path, PASS, strlen(PASS)),
                     SC_OK);
    assert_int_equal(s->phase, SC_PHASE_SHARES);
    assert_memory_equal(s->h_e, joint.h_e, 32);
    sc_guardian_secret_free(s);
    sc_guardian_result_clear(&joint);
    sc_rng_free(rng);
    sc_group_free(grp);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

static void test_passphrase_file(void **state)
{
    (void)state;
    mktmp();
    char path[128];
    snprintf(path, sizeof path, "%s/pass", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("open sesame\n", f);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0);
    char *p = NULL;
    size_t len = 0;
    assert_int_equal(sc_passphrase_read(path, NULL, 0, &p, &len), SC_OK);
    assert_int_equal(len, 11);
    assert_string_equal(p, "open sesame");
    sc_passphrase_free(p);
    p = NULL;
    assert_int_equal(chmod(path, 0644), 0); /* readable by others */
    assert_int_equal(sc_passphrase_read(path, NULL, 0, &p, &len), SC_E_INVALID);
    assert_null(p);
    f = fopen(path, "w");
    fputs("\n", f);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(sc_passphrase_read(path, NULL, 0, &p, &len),
                     SC_E_INVALID); /* empty */
    unlink(path);
    rmdir(tmpdir);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_toy),
        cmocka_unit_test(test_bad_round1_proof),
        cmocka_unit_test(test_corrupted_share),
        cmocka_unit_test(test_hg_mismatch),
        cmocka_unit_test(test_secret_file),
        cmocka_unit_test(test_passphrase_file),
        cmocka_unit_test(test_files_and_run_all),
        cmocka_unit_test(test_full_standard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
