/* Joint decryption (spec §3.6): every subset of k or more guardians gives
 * the same tally and challenged-ballot openings; bad messages name the
 * guardian; files and the all-in-one run. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scrutin/ceremony.h"
#include "scrutin/decrypt.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"

static const char PASS[] = "decrypt test passphrase";
static const uint8_t MANIFEST[] = "{\"label\":\"decrypt test\"}";

#define NC 2
static const uint32_t NOPT[NC] = {3, 2};
#define NBALLOTS 7

typedef struct fixture {
    sc_group *grp;
    sc_rng *rng;
    char dir[64], rec[96], sec[96];
    uint32_t n, k;
    uint64_t expect[NC][3];
    uint64_t chal_sel[NC][3];
    uint8_t chal_xib[32];
    sc_guardian_secret *secrets[8];
} fixture;

static void write_text(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(s, f);
    fclose(f);
}

static json_t *jelem(const sc_group *grp, const mpz_t x)
{
    char *b = malloc(2 * grp->lp + 1);
    sc_elem_to_hex(grp, b, x);
    json_t *j = json_string(b);
    free(b);
    return j;
}

static json_t *jscalar(const sc_group *grp, const mpz_t x)
{
    char b[129];
    sc_scalar_to_hex(grp, b, x);
    return json_string(b);
}

static json_t *jhex(const uint8_t *d, size_t n)
{
    char b[129];
    sc_hex_encode(b, d, n);
    return json_string(b);
}

/* Ceremony + a small election with one challenged ballot. */
static void fixture_make(fixture *fx, sc_group_id gid, uint32_t n, uint32_t k)
{
    memset(fx, 0, sizeof *fx);
    fx->grp = t_group(gid);
    fx->rng = t_rng(4242 + n);
    fx->n = n;
    fx->k = k;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/sc_dec_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->rec, sizeof fx->rec, "%s/record", fx->dir);
    snprintf(fx->sec, sizeof fx->sec, "%s/secrets", fx->dir);
    sc_ceremony_ctx ctx;
    assert_int_equal(sc_ceremony_ctx_init(&ctx, fx->grp, n, k, MANIFEST,
                                          sizeof MANIFEST - 1),
                     SC_OK);
    sc_guardian_result joint;
    sc_guardian_result_init(&joint);
    assert_int_equal(sc_ceremony_run_all(&ctx, fx->sec, PASS, strlen(PASS),
                                         SC_KDF_INTERACTIVE, fx->rng, fx->rec,
                                         &joint),
                     SC_OK);
    char path[160];
    json_t *h = json_pack("{s:o,s:o}", "h_p", jhex(ctx.h_p, 32), "h_b",
                          jhex(ctx.h_b, 32));
    snprintf(path, sizeof path, "%s/hashes.json", fx->rec);
    assert_int_equal(json_dump_file(h, path, JSON_COMPACT), 0);
    json_decref(h);

    sc_elgamal_key *K = NULL, *Kh = NULL;
    assert_int_equal(sc_elgamal_key_new(&K, fx->grp, joint.K), SC_OK);
    assert_int_equal(sc_elgamal_key_new(&Kh, fx->grp, joint.Khat), SC_OK);
    mpz_t xi;
    mpz_init(xi);
    sc_ciphertext acc[NC][3], ct;
    sc_ciphertext_init(&ct);
    for (int c = 0; c < NC; c++) {
        for (uint32_t o = 0; o < NOPT[c]; o++) {
            sc_ciphertext_init(&acc[c][o]);
        }
    }
    for (int b = 0; b < NBALLOTS; b++) {
        for (int c = 0; c < NC; c++) {
            uint32_t pick = (uint32_t)(sc_rng_u64(fx->rng) % (NOPT[c] + 1));
            for (uint32_t o = 0; o < NOPT[c]; o++) {
                uint64_t s = (o == pick);
                fx->expect[c][o] += s;
                sc_rng_scalar(fx->rng, fx->grp, xi);
                assert_int_equal(sc_elgamal_encrypt_u64(K, &ct, s, xi), SC_OK);
                sc_ciphertext_mul(fx->grp, &acc[c][o], &acc[c][o], &ct);
            }
        }
    }
    json_t *cons = json_array();
    for (int c = 0; c < NC; c++) {
        json_t *opts = json_array();
        for (uint32_t o = 0; o < NOPT[c]; o++) {
            json_array_append_new(
                opts,
                json_pack("{s:i,s:s,s:o,s:o}", "index", (int)o + 1, "label",
                          "opt", "A", jelem(fx->grp, acc[c][o].alpha), "B",
                          jelem(fx->grp, acc[c][o].beta)));
            sc_ciphertext_clear(&acc[c][o]);
        }
        json_array_append_new(cons,
                              json_pack("{s:i,s:s,s:o}", "index", c + 1,
                                        "label", "contest", "options", opts));
    }
    json_t *et =
        json_pack("{s:i,s:o}", "cast_ballots", NBALLOTS, "contests", cons);
    snprintf(path, sizeof path, "%s/encrypted_tally.json", fx->rec);
    assert_int_equal(json_dump_file(et, path, JSON_COMPACT), 0);
    json_decref(et);

    /* One challenged ballot (eq 31-38). */
    uint8_t id_b[32], hi[32];
    sc_rng_bytes(fx->rng, id_b, 32);
    sc_rng_bytes(fx->rng, fx->chal_xib, 32);
    sc_eg_selection_id_hash(joint.h_e, id_b, hi);
    json_t *bcons = json_array();
    for (int c = 0; c < NC; c++) {
        json_t *fields = json_array();
        for (uint32_t o = 0; o < NOPT[c]; o++) {
            uint64_t s = (o == (uint32_t)c);
            fx->chal_sel[c][o] = s;
            sc_eg_selection_nonce(fx->grp, hi, (uint32_t)c + 1, o + 1,
                                  fx->chal_xib, xi);
            assert_int_equal(sc_elgamal_encrypt_u64(K, &ct, s, xi), SC_OK);
            json_array_append_new(fields,
                                  json_pack("{s:o,s:o}", "alpha",
                                            jelem(fx->grp, ct.alpha), "beta",
                                            jelem(fx->grp, ct.beta)));
        }
        json_array_append_new(
            bcons, json_pack("{s:i,s:o}", "index", c + 1, "fields", fields));
    }
    sc_nonce_ct nct;
    sc_nonce_ct_init(&nct);
    assert_int_equal(
        sc_ballot_nonce_encrypt(Kh, hi, fx->chal_xib, fx->rng, &nct), SC_OK);
    json_t *bal = json_pack(
        "{s:s,s:s,s:o,s:o,s:o,s:{s:o,s:o,s:o,s:o}}", "id", "chal-1", "state",
        "Challenged", "selection_encryption_identifier", jhex(id_b, 32), "h_i",
        jhex(hi, 32), "contests", bcons, "ballot_nonce", "c0",
        jelem(fx->grp, nct.c0), "c1", jhex(nct.c1, 32), "c",
        jscalar(fx->grp, nct.c), "v", jscalar(fx->grp, nct.v));
    char *line = json_dumps(bal, JSON_COMPACT);
    json_decref(bal);
    snprintf(path, sizeof path, "%s/ballots", fx->rec);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/ballots/device_1.jsonl", fx->rec);
    size_t ll = strlen(line);
    char *l2 = malloc(ll + 200);
    snprintf(l2, ll + 200, "{\"id\":\"cast\",\"state\":\"Cast\"}\n%s\n", line);
    write_text(path, l2);
    free(l2);
    free(line);
    sc_nonce_ct_clear(&nct);
    sc_ciphertext_clear(&ct);
    mpz_clear(xi);
    sc_elgamal_key_free(K);
    sc_elgamal_key_free(Kh);
    sc_guardian_result_clear(&joint);
    for (uint32_t i = 1; i <= n; i++) {
        snprintf(path, sizeof path, "%s/guardian_%u.secret", fx->sec, i);
        assert_int_equal(sc_secret_load(&fx->secrets[i - 1], fx->grp, NULL,
                                        path, PASS, strlen(PASS)),
                         SC_OK);
    }
}

static void fixture_free(fixture *fx)
{
    for (uint32_t i = 0; i < fx->n; i++) {
        sc_guardian_secret_free(fx->secrets[i]);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    sc_rng_free(fx->rng);
    sc_group_free(fx->grp);
}

typedef enum tamper {
    T_NONE,
    T_RESPONSE, /* second guardian's v_i */
    T_REVEAL,   /* second guardian's a_i after d_i */
    T_NONCE,    /* second guardian's m_i of the ballot nonce */
    /* elements outside Z_p^r (in range): each caught by a batched test */
    T_MEMBER_M,      /* second guardian's last M_i */
    T_MEMBER_NONCE,  /* second guardian's m_i of the ballot nonce */
    T_MEMBER_REVEAL, /* second guardian's last b_i, committed to in d_i */
} tamper;

/* T_MEMBER_REVEAL: guardian U[1] commits (d_i, eq 88) to a_i = g and a
 * non-member b_i for the last item, so that only the membership test
 * can refuse the reveal. */
static void commit_nonmember(const sc_decrypt_job *job, size_t nu,
                             const uint32_t *U, sc_dec_msg_a *ma)
{
    size_t t = job->n_items - 1;
    const sc_decrypt_item *it = &job->items[t];
    mpz_t b;
    mpz_init(b);
    t_nonmember(job->grp, b, 1);
    sc_dec_commit_hash(job->grp, job->h_e, it->ind_c, it->ind_o, U[1],
                       it->AB.alpha, it->AB.beta, job->grp->g, b, ma[1].M[t],
                       nu, U, ma[1].d[t]);
    mpz_clear(b);
}

/* Rounds a, b, c and combine in memory for the set U. */
static sc_status run_rounds(fixture *fx, sc_decrypt_job *job, size_t nu,
                            const uint32_t *U, tamper tp, uint32_t *culprit)
{
    sc_dec_state *st[8] = {0};
    sc_dec_msg_a ma[8];
    sc_dec_msg_b mb[8];
    sc_dec_msg_c mc[8];
    memset(ma, 0, sizeof ma);
    memset(mb, 0, sizeof mb);
    memset(mc, 0, sizeof mc);
    sc_status rc = SC_OK;
    for (size_t m = 0; m < nu; m++) {
        assert_int_equal(sc_decrypt_round_a(job, fx->secrets[U[m] - 1], nu, U,
                                            fx->rng, &st[m], &ma[m]),
                         SC_OK);
    }
    if (tp == T_MEMBER_M) {
        t_nonmember(job->grp, ma[1].M[job->n_items - 1], 1);
    }
    if (tp == T_MEMBER_NONCE) {
        t_nonmember(job->grp, ma[1].m[0], 0);
    }
    if (tp == T_MEMBER_REVEAL) {
        commit_nonmember(job, nu, U, ma);
    }
    for (size_t m = 0; m < nu && rc == SC_OK; m++) {
        rc = sc_decrypt_round_b(job, st[m], ma, &mb[m], culprit);
    }
    if (tp == T_REVEAL) {
        mpz_set(mb[1].a[0], mb[1].b[0]);
    }
    if (tp == T_MEMBER_REVEAL && rc == SC_OK) {
        mpz_set(mb[1].a[job->n_items - 1], job->grp->g);
        t_nonmember(job->grp, mb[1].b[job->n_items - 1], 1);
    }
    for (size_t m = 0; m < nu && rc == SC_OK; m++) {
        rc = sc_decrypt_round_c(job, fx->secrets[U[m] - 1], st[m], ma, mb,
                                &mc[m], culprit);
    }
    if (rc == SC_OK && tp == T_NONE) {
        /* Round c again: same response, from a state without u_i. */
        sc_dec_msg_c again;
        assert_int_equal(sc_decrypt_round_c(job, fx->secrets[U[0] - 1], st[0],
                                            ma, mb, &again, culprit),
                         SC_OK);
        for (size_t t = 0; t < again.n_items; t++) {
            assert_int_equal(mpz_cmp(again.v[t], mc[0].v[t]), 0);
        }
        sc_dec_msg_c_clear(&again);
    }
    if (rc == SC_OK) {
        if (tp == T_NONCE) {
            mpz_set(ma[1].m[0], ma[1].M[0]);
        }
        if (tp == T_RESPONSE) {
            mpz_add_ui(mc[1].v[0], mc[1].v[0], 1);
            mpz_mod(mc[1].v[0], mc[1].v[0], fx->grp->q);
        }
        rc = sc_decrypt_combine(job, nu, ma, mb, mc, culprit);
    }
    for (size_t m = 0; m < nu; m++) {
        sc_dec_state_free(st[m]);
        sc_dec_msg_a_clear(&ma[m]);
        sc_dec_msg_b_clear(&mb[m]);
        sc_dec_msg_c_clear(&mc[m]);
    }
    return rc;
}

static void check_job(const fixture *fx, const sc_decrypt_job *job)
{
    assert_int_equal(job->n_items, 5);
    size_t t = 0;
    for (int c = 0; c < NC; c++) {
        for (uint32_t o = 0; o < NOPT[c]; o++, t++) {
            assert_int_equal(job->items[t].t, fx->expect[c][o]);
        }
    }
    assert_int_equal(job->n_ballots, 1);
    const sc_challenged_ballot *b = &job->ballots[0];
    assert_true(b->opened);
    assert_string_equal(b->id, "chal-1");
    mpz_t xi;
    mpz_init(xi);
    for (size_t c = 0; c < NC; c++) {
        for (size_t o = 0; o < NOPT[c]; o++) {
            assert_int_equal(b->contests[c].sigma[o], fx->chal_sel[c][o]);
            sc_eg_selection_nonce(fx->grp, b->h_i, (uint32_t)c + 1,
                                  (uint32_t)o + 1, fx->chal_xib, xi);
            assert_int_equal(mpz_cmp(xi, b->contests[c].xi[o]), 0);
        }
    }
    mpz_clear(xi);
}

static void all_subsets(sc_group_id gid, uint32_t n, uint32_t k)
{
    fixture fx;
    fixture_make(&fx, gid, n, k);
    sc_decrypt_job *job = NULL;
    assert_int_equal(sc_decrypt_job_load(&job, fx.grp, fx.rec), SC_OK);
    int count = 0;
    mpz_t c0;
    mpz_init(c0);
    for (uint32_t mask = 1; mask < (1u << n); mask++) {
        uint32_t U[8];
        size_t nu = 0;
        for (uint32_t i = 1; i <= n; i++) {
            if (mask & (1u << (i - 1))) {
                U[nu++] = i;
            }
        }
        uint32_t culprit = 99;
        if (nu < k) {
            sc_dec_state *st = NULL;
            sc_dec_msg_a ma;
            assert_int_equal(sc_decrypt_round_a(job, fx.secrets[U[0] - 1], nu,
                                                U, fx.rng, &st, &ma),
                             SC_E_INVALID);
            continue;
        }
        assert_int_equal(run_rounds(&fx, job, nu, U, T_NONE, &culprit), SC_OK);
        check_job(&fx, job);
        count++;
    }
    fprintf(stderr, "# %d subsets of >= %u of %u guardians agree\n", count, k,
            n);
    mpz_clear(c0);
    sc_decrypt_job_free(job);
    fixture_free(&fx);
}

static void test_subsets_toy(void **state)
{
    (void)state;
    all_subsets(SC_GROUP_TOY_Q64, 4, 2);
    all_subsets(SC_GROUP_TOY_Q64, 5, 3);
    all_subsets(SC_GROUP_TOY_Q64, 3, 3);
    all_subsets(SC_GROUP_TOY_Q64, 1, 1);
}

static void test_tamper(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, SC_GROUP_TOY_Q64, 4, 3);
    sc_decrypt_job *job = NULL;
    assert_int_equal(sc_decrypt_job_load(&job, fx.grp, fx.rec), SC_OK);
    uint32_t U[3] = {1, 3, 4}, culprit = 0;
    assert_int_equal(run_rounds(&fx, job, 3, U, T_RESPONSE, &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 3);
    culprit = 0;
    assert_int_equal(run_rounds(&fx, job, 3, U, T_REVEAL, &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 3);
    assert_non_null(strstr(sc_ceremony_errdetail(), "eq 88"));
    /* A wrong ballot-nonce share m_i: named when a guardian can be left
     * out (4 present, quorum 3), detected otherwise. */
    uint32_t U4[4] = {1, 2, 3, 4};
    culprit = 0;
    assert_int_equal(run_rounds(&fx, job, 4, U4, T_NONCE, &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 2);
    culprit = 99;
    assert_int_equal(run_rounds(&fx, job, 3, U, T_NONCE, &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 0);
    assert_non_null(strstr(sc_ceremony_errdetail(), "re-encrypt"));

    /* A record whose guardian keys differ from the ceremony's (H_G) is
     * not decrypted. */
    {
        sc_dec_state *bst = NULL;
        sc_dec_msg_a bma;
        job->h_g[7] ^= 1;
        assert_int_equal(
            sc_decrypt_round_a(job, fx.secrets[0], 3, U, fx.rng, &bst, &bma),
            SC_E_INVALID);
        assert_null(bst);
        job->h_g[7] ^= 1;
    }
    /* Round b refuses a second, different set of commitments. */
    sc_dec_state *st[3] = {0};
    sc_dec_msg_a ma[3], ma2[3];
    sc_dec_msg_b mb;
    for (int r = 0; r < 2; r++) {
        for (size_t m = 0; m < 3; m++) {
            sc_dec_state *tmp = NULL;
            assert_int_equal(sc_decrypt_round_a(job, fx.secrets[U[m] - 1], 3, U,
                                                fx.rng, r == 0 ? &st[m] : &tmp,
                                                r == 0 ? &ma[m] : &ma2[m]),
                             SC_OK);
            sc_dec_state_free(tmp);
        }
    }
    assert_int_equal(sc_decrypt_round_b(job, st[0], ma, &mb, &culprit), SC_OK);
    sc_dec_msg_b_clear(&mb);
    sc_dec_msg_a tmpa = ma[1];
    ma[1] = ma2[1];
    assert_int_equal(sc_decrypt_round_b(job, st[0], ma, &mb, &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 3);
    ma[1] = tmpa;
    for (size_t m = 0; m < 3; m++) {
        sc_dec_state_free(st[m]);
        sc_dec_msg_a_clear(&ma[m]);
        sc_dec_msg_a_clear(&ma2[m]);
    }
    sc_decrypt_job_free(job);
    fixture_free(&fx);
}

/* Round files and the state file, then the all-in-one function. */
static void test_files_and_all(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, SC_GROUP_TOY_Q64, 3, 2);
    sc_decrypt_job *job = NULL;
    assert_int_equal(sc_decrypt_job_load(&job, fx.grp, fx.rec), SC_OK);
    uint32_t U[2] = {1, 3}, culprit = 0;
    sc_dec_state *st = NULL, *st2 = NULL;
    sc_dec_msg_a ma, ra;
    assert_int_equal(
        sc_decrypt_round_a(job, fx.secrets[0], 2, U, fx.rng, &st, &ma), SC_OK);
    char path[160];
    snprintf(path, sizeof path, "%s/a1.json", fx.dir);
    assert_int_equal(sc_dec_msg_a_write(fx.grp, &ma, path), SC_OK);
    assert_int_equal(sc_dec_msg_a_read(fx.grp, &ra, path), SC_OK);
    assert_int_equal(ra.nu, 2);
    assert_memory_equal(ra.d[2], ma.d[2], 32);
    assert_int_equal(mpz_cmp(ra.m[0], ma.m[0]), 0);
    snprintf(path, sizeof path, "%s/state1", fx.dir);
    assert_int_equal(
        sc_dec_state_save(st, path, PASS, strlen(PASS), SC_KDF_INTERACTIVE),
        SC_OK);
    assert_int_equal(sc_dec_state_load(&st2, path, "nope", 4), SC_E_AUTH);
    assert_int_equal(sc_dec_state_load(&st2, path, PASS, strlen(PASS)), SC_OK);
    assert_int_equal(mpz_cmp(st2->u[4], st->u[4]), 0);
    assert_int_equal(st2->nu, 2);
    sc_dec_state_free(st);
    sc_dec_state_free(st2);
    sc_dec_msg_a_clear(&ma);
    sc_dec_msg_a_clear(&ra);
    sc_decrypt_job_free(job);

    char p1[160], p3[160];
    snprintf(p1, sizeof p1, "%s/guardian_1.secret", fx.sec);
    snprintf(p3, sizeof p3, "%s/guardian_3.secret", fx.sec);
    const char *paths[2] = {p1, p3};
    const char *bad[2] = {PASS, "wrong"};
    assert_int_equal(sc_decrypt_all(fx.grp, fx.rec, 2, U, paths, bad, fx.rng,
                                    &job, &culprit),
                     SC_E_AUTH);
    const char *good[2] = {PASS, PASS};
    assert_int_equal(sc_decrypt_all(fx.grp, fx.rec, 2, U, paths, good, fx.rng,
                                    &job, &culprit),
                     SC_OK);
    check_job(&fx, job);
    sc_decrypt_job_free(job);
    snprintf(path, sizeof path, "%s/tally.json", fx.rec);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/challenged.jsonl", fx.rec);
    assert_int_equal(access(path, R_OK), 0);
    fixture_free(&fx);
}

/* Set `key` of the challenged ballot (line 2 of ballots/device_1.jsonl)
 * to x: in contests[1].fields[1] if in_field, else in ballot_nonce. The
 * file's text before is returned in *saved (restore_ballots). */
static void set_ballot_elem(const fixture *fx, int in_field, const char *key,
                            const mpz_t x, char **saved)
{
    char path[160];
    snprintf(path, sizeof path, "%s/ballots/device_1.jsonl", fx->rec);
    size_t len = 0;
    char *buf = t_read_file(path, &len);
    assert_non_null(buf);
    *saved = strdup(buf);
    char *nl = memchr(buf, '\n', len);
    assert_non_null(nl);
    json_t *bal = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(bal);
    json_t *o =
        in_field ? json_array_get(
                       json_object_get(
                           json_array_get(json_object_get(bal, "contests"), 1),
                           "fields"),
                       1)
                 : json_object_get(bal, "ballot_nonce");
    assert_int_equal(json_object_set_new(o, key, jelem(fx->grp, x)), 0);
    char *line = json_dumps(bal, JSON_COMPACT);
    nl[1] = '\0';
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "%s%s\n", buf, line);
    fclose(f);
    free(line);
    free(buf);
    json_decref(bal);
}

static void restore_ballots(const fixture *fx, char *saved)
{
    char path[160];
    snprintf(path, sizeof path, "%s/ballots/device_1.jsonl", fx->rec);
    write_text(path, saved);
    free(saved);
}

/* The standard group, where the membership tests are batched
 * (docs/ARITH.md §5): each batch still names the element, ballot field
 * or guardian at fault. */
static void nonmembers_standard(fixture *fx, sc_decrypt_job *job)
{
    uint32_t U[3] = {1, 2, 3}, culprit = 0;
    /* round a: M_i, m_i (check_msgs_a) */
    const tamper tps[2] = {T_MEMBER_M, T_MEMBER_NONCE};
    const char *says[2] = {"guardian 2: M_i not in Z_p^r",
                           "guardian 2: m_i not in Z_p^r"};
    for (int x = 0; x < 2; x++) {
        culprit = 0;
        assert_int_equal(run_rounds(fx, job, 3, U, tps[x], &culprit),
                         SC_E_VERIFY);
        assert_int_equal(culprit, 2);
        assert_non_null(strstr(sc_ceremony_errdetail(), says[x]));
    }
    /* round b: a b_i outside Z_p^r that matches its commitment d_i */
    culprit = 0;
    assert_int_equal(run_rounds(fx, job, 3, U, T_MEMBER_REVEAL, &culprit),
                     SC_E_VERIFY);
    assert_int_equal(culprit, 2);
    assert_non_null(strstr(sc_ceremony_errdetail(),
                           "guardian 2: revealed (a_i, b_i) for contest 2 "
                           "option 2 do not match"));
    /* the challenged ballot's elements (sc_dec_parse_ballot) */
    sc_decrypt_job *bad = NULL;
    char *saved = NULL;
    mpz_t x;
    mpz_init(x);
    t_nonmember(fx->grp, x, 1);
    set_ballot_elem(fx, 1, "beta", x, &saved);
    assert_int_equal(sc_decrypt_job_load(&bad, fx->grp, fx->rec),
                     SC_E_INVALID_NOT_IN_SUBGROUP);
    assert_non_null(strstr(sc_ceremony_errdetail(),
                           "line 2: contests[1].fields[1]: beta: not in the "
                           "order-q subgroup"));
    restore_ballots(fx, saved);
    t_nonmember(fx->grp, x, 0);
    set_ballot_elem(fx, 0, "c0", x, &saved);
    assert_int_equal(sc_decrypt_job_load(&bad, fx->grp, fx->rec),
                     SC_E_INVALID_NOT_IN_SUBGROUP);
    assert_non_null(strstr(sc_ceremony_errdetail(),
                           "line 2: c0: not in the order-q subgroup"));
    restore_ballots(fx, saved);
    mpz_clear(x);
    assert_int_equal(sc_decrypt_job_load(&bad, fx->grp, fx->rec), SC_OK);
    sc_decrypt_job_free(bad);
}

/* Round a and round b give what the per-item functions give, item by item
 * (the secret exponentiations of a round run together, eight at a time on
 * the IFMA kernel: decrypt.c's chunks): M_i and u_i (drawn in item order
 * from an RNG seeded the same), m_i, then a_i = g^u_i and b_i = A^u_i. An
 * invalid ballot nonce proof is named as before. */
static void rounds_per_item(const fixture *fx, sc_decrypt_job *job)
{
    const sc_group *grp = fx->grp;
    const sc_guardian_secret *s = fx->secrets[0];
    uint32_t U[2] = {1, 3}, culprit = 0;
    sc_rng *r1 = t_rng(777), *r2 = t_rng(777);
    sc_dec_state *st[2] = {0};
    sc_dec_msg_a ma[2];
    sc_dec_msg_b mb;
    for (int m = 0; m < 2; m++) {
        assert_int_equal(sc_decrypt_round_a(job, fx->secrets[U[m] - 1], 2, U,
                                            r1, &st[m], &ma[m]),
                         SC_OK);
    }
    mpz_t x, u, a, b;
    mpz_inits(x, u, a, b, NULL);
    assert_true(job->n_items > 0 && job->n_ballots > 0);
    for (size_t t = 0; t < job->n_items; t++) {
        const sc_decrypt_item *it = &job->items[t];
        sc_partial_decrypt(grp, x, it->AB.alpha,
                           it->kind == SC_DEC_DATA ? s->zhat : s->z);
        assert_int_equal(mpz_cmp(x, ma[0].M[t]), 0);
        sc_dec_commit(grp, it->AB.alpha, r2, u, a, b);
        assert_int_equal(mpz_cmp(u, st[0]->u[t]), 0);
    }
    for (size_t bi = 0; bi < job->n_ballots; bi++) {
        sc_partial_decrypt(grp, x, job->ballots[bi].nonce.c0, s->zhat);
        assert_int_equal(mpz_cmp(x, ma[0].m[bi]), 0);
    }
    assert_int_equal(sc_decrypt_round_b(job, st[0], ma, &mb, &culprit), SC_OK);
    for (size_t t = 0; t < job->n_items; t++) {
        sc_fb_pow_secret(grp->g_fb, a, st[0]->u[t]);
        sc_pow_secret(grp, b, job->items[t].AB.alpha, st[0]->u[t]);
        assert_int_equal(mpz_cmp(a, mb.a[t]), 0);
        assert_int_equal(mpz_cmp(b, mb.b[t]), 0);
    }
    sc_dec_msg_b_clear(&mb);
    for (int m = 0; m < 2; m++) {
        sc_dec_state_free(st[m]);
        sc_dec_msg_a_clear(&ma[m]);
    }
    /* the last challenged ballot's nonce proof broken */
    sc_challenged_ballot *bal = &job->ballots[job->n_ballots - 1];
    mpz_add_ui(bal->nonce.v, bal->nonce.v, 1);
    st[0] = NULL;
    assert_int_equal(sc_decrypt_round_a(job, s, 2, U, r1, &st[0], &ma[0]),
                     SC_E_VERIFY);
    assert_null(st[0]);
    assert_null(ma[0].M);
    assert_non_null(strstr(sc_ceremony_errdetail(), "challenged ballot"));
    assert_non_null(strstr(sc_ceremony_errdetail(), bal->id));
    assert_non_null(strstr(sc_ceremony_errdetail(), "(eq 38) is invalid"));
    mpz_sub_ui(bal->nonce.v, bal->nonce.v, 1);
    mpz_clears(x, u, a, b, NULL);
    sc_rng_free(r1);
    sc_rng_free(r2);
}

static void test_per_item_toy(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, SC_GROUP_TOY_Q64, 3, 2);
    sc_decrypt_job *job = NULL;
    assert_int_equal(sc_decrypt_job_load(&job, fx.grp, fx.rec), SC_OK);
    rounds_per_item(&fx, job);
    sc_decrypt_job_free(job);
    fixture_free(&fx);
}

static void test_standard(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, SC_GROUP_STANDARD, 3, 2);
    sc_decrypt_job *job = NULL;
    assert_int_equal(sc_decrypt_job_load(&job, fx.grp, fx.rec), SC_OK);
    uint32_t U1[2] = {1, 2}, U2[3] = {1, 2, 3}, culprit = 0;
    assert_int_equal(run_rounds(&fx, job, 2, U1, T_NONE, &culprit), SC_OK);
    check_job(&fx, job);
    assert_int_equal(run_rounds(&fx, job, 3, U2, T_NONE, &culprit), SC_OK);
    check_job(&fx, job);
    nonmembers_standard(&fx, job);
    rounds_per_item(&fx, job);
    sc_decrypt_job_free(job);
    fixture_free(&fx);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subsets_toy),
        cmocka_unit_test(test_tamper),
        cmocka_unit_test(test_files_and_all),
        cmocka_unit_test(test_per_item_toy),
        cmocka_unit_test(test_standard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
