/* The record side of the pipeline: a record made with sc_record_init and
 * test keys, ballots encrypted in parallel batches on a chaining device
 * (appended in two runs), read back from ballots/device_1.jsonl, the chain
 * and closing checked, the streamed tally equal to the plaintext sums;
 * the same seed gives the same record whatever the thread count; a ballot
 * element outside the subgroup and a wrong H_P are reported with the file
 * and field. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scrutin/ballot.h"
#include "scrutin/eghash.h"
#include "scrutin/json.h"
#include "scrutin/record.h"
#include "scrutin/tally.h"

static const char *MANIFEST =
    "{\"label\":\"T\",\"contests\":["
    "{\"label\":\"one\",\"options\":[{\"label\":\"a\"},{\"label\":\"b\"},"
    "{\"label\":\"c\"}]},"
    "{\"label\":\"two\",\"selection_limit\":2,\"options\":["
    "{\"label\":\"d\"},{\"label\":\"e\"},{\"label\":\"f\"}]}],"
    "\"ballot_styles\":[{\"label\":\"s\",\"contests\":[1,2]}]}";

typedef struct fx {
    char dir[64];
    sc_group *g;
    sc_manifest *m;
    mpz_t s;
    sc_record *rec;
} fx;

static void put_file(const char *dir, const char *name, sc_json *j)
{
    char path[256];
    assert_int_equal(sc_record_path(path, sizeof path, dir, name), SC_OK);
    assert_int_equal(sc_json_write_file(path, j, 0), SC_OK);
    sc_json_free(j);
}

static void fx_init(fx *f)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/sc-test-rec.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->g = t_group(SC_GROUP_TOY_Q64);
    char err[512];
    assert_int_equal(sc_manifest_parse(&f->m, MANIFEST, strlen(MANIFEST), "m",
                                       err, sizeof err),
                     SC_OK);
    assert_int_equal(
        sc_record_init(f->dir, f->g, f->m, 3, 2, NULL, err, sizeof err), SC_OK);
    /* test keys K = g^s, K-hat = g^(s+1) and H_E (eq 30) */
    sc_rng *rng = t_rng(11);
    mpz_t K, Kh, sh;
    mpz_inits(f->s, K, Kh, sh, NULL);
    sc_rng_scalar_nonzero(rng, f->g, f->s);
    mpz_add_ui(sh, f->s, 1);
    mpz_powm(K, f->g->g, f->s, f->g->p);
    mpz_powm(Kh, f->g->g, sh, f->g->p);
    uint8_t hp[32], hb[32], he[32];
    sc_eg_param_base_hash(f->g, 3, 2, hp);
    sc_eg_election_base_hash(hp, f->m->canonical, f->m->canonical_len, hb);
    sc_eg_extended_base_hash(f->g, hb, K, Kh, he);
    sc_json *j = sc_json_object();
    assert_int_equal(sc_json_put_elem(j, f->g, "joint_election_public_key", K),
                     SC_OK);
    assert_int_equal(
        sc_json_put_elem(j, f->g, "joint_ballot_data_public_key", Kh), SC_OK);
    put_file(f->dir, SC_REC_JOINT_KEY, j);
    j = sc_json_object();
    assert_int_equal(sc_json_put_hash(j, "h_e", he), SC_OK);
    assert_int_equal(sc_json_put_hash(j, "h_g", he), SC_OK);
    put_file(f->dir, SC_REC_HASHES_EXT, j);
    assert_int_equal(
        sc_record_open(&f->rec, f->dir, SC_RECORD_NEED_KEYS, err, sizeof err),
        SC_OK);
    assert_memory_equal(f->rec->h_e, he, 32);
    mpz_clears(K, Kh, sh, NULL);
    sc_rng_free(rng);
}

static void fx_clear(fx *f)
{
    sc_record_free(f->rec);
    mpz_clear(f->s);
    sc_manifest_free(f->m);
    sc_group_free(f->g);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
}

/* Ballot i's selections: contest 1 one of three (or blank), contest 2
 * up to two of three. */
static void sel(int i, uint32_t v[6])
{
    memset(v, 0, 6 * sizeof *v);
    if (i % 7 != 6) {
        v[i % 3] = 1;
    }
    v[3 + (i % 3)] = 1;
    if (i % 2) {
        v[3 + ((i + 1) % 3)] = 1;
    }
}

static sc_plain_ballot *plain(const sc_manifest *m, int i)
{
    uint32_t v[6];
    sel(i, v);
    char text[256];
    snprintf(text, sizeof text,
             "{\"id\":\"b%d\",\"style\":1,%s\"contest_fields_plaintexts\":{"
             "\"1\":{\"field_values\":[%u,%u,%u]},"
             "\"2\":{\"field_values\":[%u,%u,%u]}}}",
             i, i % 5 == 2 ? "\"challenge\":true," : "", v[0], v[1], v[2], v[3],
             v[4], v[5]);
    sc_jctx ctx;
    sc_jctx_init(&ctx, "t", NULL);
    sc_plain_ballot *p = NULL;
    assert_int_equal(sc_plain_ballot_parse(&ctx, m, text, strlen(text), &p),
                     SC_OK);
    return p;
}

/* Encrypt ballots [from, to) on device 1 and append them to its file. */
static void run(fx *f, int from, int to, int threads, const uint8_t *seed,
                int append)
{
    sc_election el;
    sc_record_election(f->rec, &el);
    sc_devices ds;
    char err[512];
    assert_int_equal(sc_devices_read(&ds, f->dir, err, sizeof err), SC_OK);
    sc_device dev;
    assert_int_equal(
        sc_device_init(&dev, f->rec->h_e, 1, "unit 1", SC_CHAIN_SIMPLE), SC_OK);
    char path[256];
    assert_int_equal(
        sc_record_path(path, sizeof path, f->dir, "ballots/device_1.jsonl"),
        SC_OK);
    if (append) {
        /* resume from the file's last code */
        sc_ballot_reader *rd;
        assert_int_equal(sc_ballot_reader_open(&rd, path), SC_OK);
        sc_jctx ctx;
        sc_jctx_init(&ctx, path, f->g);
        uint64_t count = 0;
        uint8_t last[32];
        for (;;) {
            sc_enc_ballot *b;
            assert_int_equal(sc_ballot_reader_next(rd, &ctx, f->g, f->m, &b),
                             SC_OK);
            if (b == NULL) {
                break;
            }
            memcpy(last, b->h_c, 32);
            count++;
            sc_enc_ballot_free(b);
        }
        sc_ballot_reader_free(rd);
        assert_int_equal(count, ds.d[0].ballots);
        sc_device_resume(&dev, count, last);
    }
    size_t n = (size_t)(to - from);
    sc_plain_ballot **in = calloc(n, sizeof *in);
    sc_enc_ballot **out = calloc(n, sizeof *out);
    char **lines = calloc(n, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        in[i] = plain(f->m, from + (int)i);
    }
    size_t bad;
    assert_int_equal(
        sc_encrypt_batch(&el, &dev, in, n, threads, seed, out, lines, &bad),
        SC_OK);
    sc_ballot_writer *w;
    assert_int_equal(sc_ballot_writer_open(&w, path, append), SC_OK);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(sc_ballot_writer_put_line(w, lines[i]), SC_OK);
        free(lines[i]);
        sc_enc_ballot_free(out[i]);
        sc_plain_ballot_free(in[i]);
    }
    assert_int_equal(sc_ballot_writer_commit(w), SC_OK);
    sc_ballot_writer_free(w);
    assert_int_equal(sc_devices_update(&ds, f->dir, &dev, f->rec->h_e), SC_OK);
    sc_devices_clear(&ds);
    sc_device_clear(&dev);
    free(in);
    free(out);
    free(lines);
}

static void test_record_chain_tally(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    run(&f, 0, 13, 2, NULL, 0);
    run(&f, 13, 20, 2, NULL, 1);
    /* read back: the chain (eq 74-76) and closing (eq 77-78) */
    char path[256], err[512];
    assert_int_equal(
        sc_record_path(path, sizeof path, f.dir, "ballots/device_1.jsonl"),
        SC_OK);
    sc_device dev;
    assert_int_equal(
        sc_device_init(&dev, f.rec->h_e, 1, "unit 1", SC_CHAIN_SIMPLE), SC_OK);
    sc_ballot_reader *rd;
    assert_int_equal(sc_ballot_reader_open(&rd, path), SC_OK);
    sc_jctx ctx;
    sc_jctx_init(&ctx, path, f.g);
    uint8_t prev[32];
    memcpy(prev, dev.prev, 32); /* H_0 */
    int count = 0;
    for (;;) {
        sc_enc_ballot *b;
        assert_int_equal(sc_ballot_reader_next(rd, &ctx, f.g, f.m, &b), SC_OK);
        if (b == NULL) {
            break;
        }
        count++;
        assert_int_equal(b->sequence, count);
        uint8_t bc[SC_BC_BYTES], hc[32];
        sc_eg_chain_field(bc, SC_CHAIN_SIMPLE, prev);
        assert_memory_equal(bc, b->bc, SC_BC_BYTES);
        sc_ballot_confirmation_code(b, hc);
        assert_memory_equal(hc, b->h_c, 32);
        memcpy(prev, b->h_c, 32);
        assert_int_equal(b->state, count % 5 == 3 ? SC_BALLOT_CHALLENGED
                                                  : SC_BALLOT_CAST);
        sc_enc_ballot_free(b);
    }
    sc_ballot_reader_free(rd);
    assert_int_equal(count, 20);
    sc_devices ds;
    assert_int_equal(sc_devices_read(&ds, f.dir, err, sizeof err), SC_OK);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].ballots, 20);
    assert_true(ds.d[0].closed);
    sc_device_resume(&dev, 20, prev);
    uint8_t cbc[SC_BC_BYTES], ch[32];
    sc_device_close(&dev, f.rec->h_e, cbc, ch);
    assert_memory_equal(cbc, ds.d[0].close_bc, SC_BC_BYTES);
    assert_memory_equal(ch, ds.d[0].close_h, 32);
    assert_memory_equal(dev.h_di, ds.d[0].h_di, 32);
    sc_devices_clear(&ds);
    sc_device_clear(&dev);

    /* the streamed tally equals the plaintext sums of the cast ballots */
    sc_tally *t;
    assert_int_equal(sc_record_tally(f.rec, &t, err, sizeof err), SC_OK);
    uint64_t want[6] = {0};
    int cast = 0;
    for (int i = 0; i < 20; i++) {
        if (i % 5 == 2) {
            continue;
        }
        cast++;
        uint32_t v[6];
        sel(i, v);
        for (int k = 0; k < 6; k++) {
            want[k] += v[k];
        }
    }
    assert_int_equal(t->cast, cast);
    sc_dlog *dl;
    assert_int_equal(sc_dlog_new(&dl, f.g, f.rec->K->K, 100), SC_OK);
    for (int k = 0; k < 6; k++) {
        uint64_t got;
        assert_int_equal(
            sc_elgamal_decrypt_secret(
                f.rec->K, dl, &got,
                sc_tally_get(t, (uint32_t)(1 + k / 3), (uint32_t)(1 + k % 3)),
                f.s),
            SC_OK);
        assert_int_equal(got, want[k]);
    }
    sc_dlog_free(dl);
    assert_int_equal(sc_tally_write(t, f.dir), SC_OK);
    sc_tally_free(t);

    /* an alpha outside the subgroup (p - 1 has order 2) is named */
    char *data;
    size_t len;
    assert_int_equal(sc_file_read_all(path, &data, &len), SC_OK);
    char *line2 = strchr(data, '\n') + 1;
    char *al = strstr(line2, "\"alpha\":\"") + 9;
    mpz_t pm1;
    mpz_init(pm1);
    mpz_sub_ui(pm1, f.g->p, 1);
    char *hx = malloc(2 * f.g->lp + 1);
    sc_elem_to_hex(f.g, hx, pm1);
    memcpy(al, hx, 2 * f.g->lp);
    assert_int_equal(sc_file_write_atomic(path, data, len), SC_OK);
    err[0] = '\0';
    assert_int_not_equal(sc_record_tally(f.rec, &t, err, sizeof err), SC_OK);
    assert_null(t);
    if (strstr(err, "device_1.jsonl:2: ") == NULL ||
        strstr(err, "subgroup") == NULL) {
        fail_msg("message: %s", err);
    }
    free(hx);
    mpz_clear(pm1);
    free(data);
    fx_clear(&f);
}

static char *slurp(const char *dir)
{
    char path[256];
    assert_int_equal(
        sc_record_path(path, sizeof path, dir, "ballots/device_1.jsonl"),
        SC_OK);
    char *d;
    size_t n;
    assert_int_equal(sc_file_read_all(path, &d, &n), SC_OK);
    return d;
}

static void test_seeded_deterministic(void **state)
{
    (void)state;
    uint8_t seed[32];
    memset(seed, 0x42, sizeof seed);
    fx a, b;
    fx_init(&a);
    run(&a, 0, 9, 1, seed, 0);
    fx_init(&b);
    run(&b, 0, 9, 3, seed, 0);
    char *da = slurp(a.dir), *db = slurp(b.dir);
    assert_string_equal(da, db);
    free(da);
    free(db);
    fx_clear(&a);
    fx_clear(&b);
}

static void test_record_open_errors(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    char path[256], err[512];
    assert_int_equal(sc_record_path(path, sizeof path, f.dir, SC_REC_HASHES),
                     SC_OK);
    char z[65], bad[200];
    memset(z, '0', 64);
    z[64] = '\0';
    snprintf(bad, sizeof bad, "{\"h_p\":\"%s\",\"h_b\":\"%s\"}", z, z);
    assert_int_equal(sc_file_write_atomic(path, bad, strlen(bad)), SC_OK);
    sc_record *r = NULL;
    assert_int_not_equal(sc_record_open(&r, f.dir, 0, err, sizeof err), SC_OK);
    assert_null(r);
    if (strstr(err, "hashes.json: field h_p: does not match") == NULL) {
        fail_msg("message: %s", err);
    }
    /* lowercase hex is refused */
    char lower[200];
    z[0] = 'a';
    snprintf(lower, sizeof lower, "{\"h_p\":\"%s\",\"h_b\":\"00\"}", z);
    assert_int_equal(sc_file_write_atomic(path, lower, strlen(lower)), SC_OK);
    err[0] = '\0';
    assert_int_not_equal(sc_record_open(&r, f.dir, 0, err, sizeof err), SC_OK);
    if (strstr(err, "field h_p: not uppercase hex") == NULL) {
        fail_msg("message: %s", err);
    }
    fx_clear(&f);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_chain_tally),
        cmocka_unit_test(test_seeded_deterministic),
        cmocka_unit_test(test_record_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
