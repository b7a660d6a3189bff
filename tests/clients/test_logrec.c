/* The record as a function of the log (scrutin/logrec.h) and the
 * verifier's log steps L1-L4 (src/lib/verify/l01_log.c), without a board:
 * a toy record (tests/tamper/gen_record.c) is put into a log the way the
 * board would (election, witness policy, devices, ballots in device
 * order, device closings, tally, decryption, openings), signed by an
 * authority and devices, with a checkpoint signed by a board key and
 * cosigned by two witnesses. The projection must give back the record's
 * own files; `scrutin verify` of the export passes every step; then one
 * change each: a byte of an entry, a payload, the checkpoint, a
 * cosignature, an extra, changed or missing record file, each failing at
 * its named check. */
#include "testlib.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen_record.h"
#include "scrutin/entry.h"
#include "scrutin/logrec.h"
#include "scrutin/report.h"
#include "scrutin/tlog.h"
#include "scrutin/verify.h"

static char g_rec[512], g_exp[512], g_work[512];
static char g_origin[64];
static uint8_t g_ask[64], g_apk[32], g_bsk[64], g_bpk[32];
static uint8_t g_dsk[2][64], g_dpk[2][32], g_wsk[2][64], g_wpk[2][32];

/* The log being built. */
static uint8_t *g_ent;
static size_t g_n;
static uint8_t **g_pay;
static size_t *g_plen;

static void hexl(char *out, const uint8_t *in, size_t n)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[in[i] >> 4];
        out[2 * i + 1] = d[in[i] & 15];
    }
    out[2 * n] = 0;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return t_read_file(p, len);
}

static void append(unsigned type, const void *payload, size_t len,
                   const uint8_t sk[64], uint32_t seq, const uint8_t *key)
{
    sc_entry e;
    memset(&e, 0, sizeof e);
    e.version = SC_ENTRY_VERSION;
    e.type = (uint8_t)type;
    e.index = g_n;
    e.time_ms = 1700000000000ull + g_n;
    e.payload_len = (uint32_t)len;
    e.seq = seq;
    crypto_hash_sha256(e.payload_sha256, payload, len);
    if (key != NULL) {
        memcpy(e.key, key, 32);
    }
    assert_int_equal(sc_entry_sign(&e, g_origin, sk), SC_OK);
    g_ent = realloc(g_ent, (g_n + 1) * SC_ENTRY_BYTES);
    g_pay = realloc(g_pay, (g_n + 1) * sizeof *g_pay);
    g_plen = realloc(g_plen, (g_n + 1) * sizeof *g_plen);
    sc_entry_encode(g_ent + g_n * SC_ENTRY_BYTES, &e);
    g_pay[g_n] = malloc(len + 1);
    memcpy(g_pay[g_n], payload, len);
    g_plen[g_n] = len;
    g_n++;
}

static sc_status get_payload(void *ctx, const uint8_t sha[32], uint32_t len,
                             uint8_t **data, size_t *dlen)
{
    (void)ctx;
    (void)len;
    for (size_t i = 0; i < g_n; i++) {
        sc_entry e;
        assert_int_equal(
            sc_entry_decode(&e, g_ent + i * SC_ENTRY_BYTES, SC_ENTRY_BYTES),
            SC_OK);
        if (memcmp(e.payload_sha256, sha, 32) == 0) {
            *data = malloc(g_plen[i] + 1);
            memcpy(*data, g_pay[i], g_plen[i]);
            *dlen = g_plen[i];
            return SC_OK;
        }
    }
    return SC_E_IO;
}

static char *vkey_str(const char *name, uint8_t type, const uint8_t pub[32])
{
    static char out[2][SC_VKEY_MAX];
    static int k;
    sc_vkey v;
    assert_int_equal(sc_vkey_make(&v, name, type, pub), SC_OK);
    k ^= 1;
    assert_int_equal(sc_vkey_format(out[k], sizeof out[k], &v), SC_OK);
    return out[k];
}

/* Lines of a jsonl file. */
static size_t split_lines(char *buf, char **lines, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *s = strtok_r(buf, "\n", &save); s && n < max;
         s = strtok_r(NULL, "\n", &save)) {
        lines[n++] = s;
    }
    return n;
}

static void build_log(void)
{
    size_t len;
    /* entry 0: the election */
    static const char *const files[] = {"election_manifest_canonical.bin",
                                        "election_parameters.json",
                                        "guardians/guardian_1.json",
                                        "guardians/guardian_2.json",
                                        "guardians/guardian_3.json",
                                        "hashes.json",
                                        "hashes_ext.json",
                                        "joint_election_public_key.json",
                                        "record.json"};
    json_t *o = json_object(), *fa = json_array();
    char apk[65];
    hexl(apk, g_apk, 32);
    json_object_set_new(o, "type", json_string("election"));
    json_object_set_new(o, "origin", json_string(g_origin));
    json_object_set_new(
        o, "board_key",
        json_string(vkey_str(g_origin, SC_NOTE_ED25519, g_bpk)));
    json_object_set_new(o, "authority_key", json_string(apk));
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *d = slurp(g_rec, files[i], &len);
        if (d == NULL) {
            continue; /* fewer guardians */
        }
        char *b64 = malloc(
            sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL));
        sodium_bin2base64(
            b64, sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL),
            (const uint8_t *)d, len, sodium_base64_VARIANT_ORIGINAL);
        json_t *f = json_object();
        json_object_set_new(f, "name", json_string(files[i]));
        json_object_set_new(f, "base64", json_string(b64));
        json_array_append_new(fa, f);
        free(b64);
        free(d);
    }
    json_object_set_new(o, "files", fa);
    char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    append(SC_ENTRY_ELECTION, t, strlen(t), g_ask, 1, NULL);
    free(t);
    json_decref(o);
    uint32_t aseq = 1;
    /* the witness policy: one witness of each of two parties */
    char pol[1200];
    snprintf(pol, sizeof pol,
             "{\"type\":\"witness_policy\",\"witnesses\":["
             "{\"name\":\"w1\",\"party\":\"A\",\"vkey\":\"%s\",\"url\":\"-\"},"
             "{\"name\":\"w2\",\"party\":\"B\",\"vkey\":\"%s\",\"url\":\"-\"}],"
             "\"quorum\":\"all-parties\"}",
             vkey_str("w1", SC_NOTE_COSIG, g_wpk[0]),
             vkey_str("w2", SC_NOTE_COSIG, g_wpk[1]));
    append(SC_ENTRY_WITNESS_POLICY, pol, strlen(pol), g_ask, ++aseq, NULL);
    /* devices, as devices.json has them */
    json_t *dj = json_load_file(
        (snprintf(pol, sizeof pol, "%s/devices.json", g_rec), pol), 0, NULL);
    assert_non_null(dj);
    json_t *ds = json_object_get(dj, "devices");
    for (size_t d = 0; d < 2; d++) {
        json_t *x = json_array_get(ds, d);
        json_t *p = json_object();
        char pk[65];
        hexl(pk, g_dpk[d], 32);
        json_object_set_new(p, "type", json_string("device"));
        json_object_set_new(p, "index", json_integer((json_int_t)d + 1));
        json_object_set(p, "device", json_object_get(x, "device"));
        json_object_set(p, "chaining", json_object_get(x, "chaining"));
        json_object_set_new(p, "public_key", json_string(pk));
        t = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
        append(SC_ENTRY_DEVICE, t, strlen(t), g_ask, ++aseq, NULL);
        free(t);
        json_decref(p);
    }
    /* ballots, device by device (interleaving would do as well) */
    for (size_t d = 0; d < 2; d++) {
        char name[64], *lines[256];
        snprintf(name, sizeof name, "ballots/device_%zu.jsonl", d + 1);
        char *buf = slurp(g_rec, name, &len);
        size_t nl = split_lines(buf, lines, 256);
        uint32_t seq = 0;
        for (size_t i = 0; i < nl; i++) {
            json_t *b = json_loads(lines[i], 0, NULL);
            uint8_t code[32];
            t_bytes_hex(
                code, 32,
                json_string_value(json_object_get(b, "confirmation_code")));
            json_decref(b);
            append(SC_ENTRY_BALLOT, lines[i], strlen(lines[i]), g_dsk[d], ++seq,
                   code);
        }
        json_t *x = json_array_get(ds, d);
        json_t *p = json_object();
        json_object_set_new(p, "type", json_string("device_close"));
        json_object_set_new(p, "device", json_integer((json_int_t)d + 1));
        json_object_set_new(p, "ballots", json_integer((json_int_t)nl));
        if (json_object_get(x, "closing") != NULL) {
            json_object_set(p, "closing", json_object_get(x, "closing"));
        }
        t = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
        append(SC_ENTRY_DEVICE_CLOSE, t, strlen(t), g_dsk[d], ++seq, NULL);
        free(t);
        json_decref(p);
        free(buf);
    }
    json_decref(dj);
    char *d = slurp(g_rec, "encrypted_tally.json", &len);
    append(SC_ENTRY_TALLY, d, len, g_ask, ++aseq, NULL);
    free(d);
    d = slurp(g_rec, "tally.json", &len);
    append(SC_ENTRY_DECRYPTION, d, len, g_ask, ++aseq, NULL);
    free(d);
    d = slurp(g_rec, "challenged.jsonl", &len);
    char *lines[256];
    size_t nl = split_lines(d, lines, 256);
    assert_true(nl > 0);
    for (size_t i = 0; i < nl; i++) {
        append(SC_ENTRY_CHALLENGED, lines[i], strlen(lines[i]), g_ask, ++aseq,
               NULL);
    }
    free(d);
    append(SC_ENTRY_CLOSE, "{\"type\":\"close\"}", 16, g_ask, ++aseq, NULL);
}

static void write_file(const char *dir, const char *name, const void *data,
                       size_t len)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    for (char *s = p + strlen(dir) + 1; *s; s++) {
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    }
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    if (len > 0) {
        assert_int_equal(fwrite(data, 1, len, f), len);
    }
    fclose(f);
}

/* The signed checkpoint of the whole log, cosigned by w1 and w2. */
static char *checkpoint_note_n(size_t n, size_t *len);
static char *checkpoint_note(size_t *len)
{
    return checkpoint_note_n(g_n, len);
}

static char *checkpoint_note_n(size_t nent, size_t *len)
{
    sc_tlog_mem *m = NULL;
    assert_int_equal(sc_tlog_mem_new(&m), SC_OK);
    for (size_t i = 0; i < nent; i++) {
        uint8_t leaf[32];
        sc_tlog_leaf_hash(leaf, g_ent + i * SC_ENTRY_BYTES, SC_ENTRY_BYTES);
        assert_int_equal(sc_tlog_mem_append(m, leaf), SC_OK);
    }
    sc_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.origin, sizeof cp.origin, "%s", g_origin);
    cp.size = nent;
    assert_int_equal(sc_tlog_root(cp.root, sc_tlog_mem_get, m, nent), SC_OK);
    sc_tlog_mem_free(m);
    char text[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t tl = 0;
    assert_int_equal(sc_checkpoint_format(text, sizeof text, &tl, &cp), SC_OK);
    sc_note n;
    assert_int_equal(sc_note_init(&n, text, tl), SC_OK);
    assert_int_equal(sc_note_sign(&n, g_origin, g_bsk), SC_OK);
    assert_int_equal(sc_cosig_sign(&n, "w1", g_wsk[0], 1700000000), SC_OK);
    assert_int_equal(sc_cosig_sign(&n, "w2", g_wsk[1], 1700000001), SC_OK);
    char *out = NULL;
    assert_int_equal(sc_note_format(&n, &out, len), SC_OK);
    sc_note_clear(&n);
    return out;
}

/* Seeds of tests/fuzz/fuzz_logrec.c: the whole log, and its first
 * entries up to the first ballot. */
static void write_seed(const char *dir, const char *name, size_t upto)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < upto; i++) {
        sc_entry e;
        assert_int_equal(
            sc_entry_decode(&e, g_ent + i * SC_ENTRY_BYTES, SC_ENTRY_BYTES),
            SC_OK);
        int dev2 = memcmp(e.signer, g_dpk[1], 32) == 0;
        if (i > 0) {
            fputs("\n=== ", f);
        }
        fputc((dev2 ? 'A' : 'a') + e.type - 1, f);
        fputc('\n', f);
        fwrite(g_pay[i], 1, g_plen[i], f);
    }
    fclose(f);
}

static void write_seeds(const char *dir)
{
    write_seed(dir, "toy_log", g_n);
    write_seed(dir, "toy_head", 6);
}

static void rm_rf(const char *p)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
    assert_int_equal(system(cmd), 0);
}

static void fresh(void)
{
    char cmd[1200];
    rm_rf(g_work);
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", g_exp, g_work);
    assert_int_equal(system(cmd), 0);
}

static sc_report *verify_state(const char *dir, const char *sdir);
static sc_report *verify_dir(const char *dir)
{
    return verify_state(dir, NULL);
}

static void expect(const char *cond)
{
    sc_report *rep = verify_dir(g_work);
    if (sc_report_failures(rep, cond) == 0) {
        sc_report_print_text(rep, stderr, 5);
        fail_msg("want a failure of %s", cond);
    }
    sc_report_free(rep);
}

/* ------------------------------------------------------------------ */

static void projection_is_the_record(void **state)
{
    (void)state;
    sc_logrec r;
    assert_int_equal(sc_logrec_build(&r, g_ent, g_n, get_payload, NULL), SC_OK);
    assert_string_equal(r.origin, g_origin);
    assert_non_null(r.policy);
    /* every record file but devices.json (formatting) comes back as is */
    static const char *const same[] = {"record.json",
                                       "election_manifest_canonical.bin",
                                       "hashes_ext.json",
                                       "ballots/device_1.jsonl",
                                       "ballots/device_2.jsonl",
                                       "encrypted_tally.json",
                                       "tally.json",
                                       "challenged.jsonl"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        size_t len = 0;
        char *d = slurp(g_rec, same[i], &len);
        const sc_logrec_file *f = sc_logrec_find(&r, same[i]);
        assert_non_null(f);
        assert_int_equal(f->len, len);
        assert_memory_equal(f->data, d, len);
        free(d);
    }
    /* sorted, and deterministic */
    for (size_t i = 1; i < r.n; i++) {
        assert_true(strcmp(r.f[i - 1].name, r.f[i].name) < 0);
    }
    sc_logrec r2;
    assert_int_equal(sc_logrec_build(&r2, g_ent, g_n, get_payload, NULL),
                     SC_OK);
    assert_int_equal(r.n, r2.n);
    for (size_t i = 0; i < r.n; i++) {
        assert_string_equal(r.f[i].name, r2.f[i].name);
        assert_int_equal(r.f[i].len, r2.f[i].len);
        assert_memory_equal(r.f[i].data, r2.f[i].data, r.f[i].len);
    }
    sc_logrec_free(&r2);
    /* the export */
    rm_rf(g_exp);
    mkdir(g_exp, 0755);
    for (size_t i = 0; i < r.n; i++) {
        write_file(g_exp, r.f[i].name, r.f[i].data, r.f[i].len);
    }
    size_t len = 0;
    char *cp = checkpoint_note(&len);
    write_file(g_exp, "log/checkpoint", cp, len);
    free(cp);
    sc_logrec_free(&r);
}

static void export_verifies(void **state)
{
    (void)state;
    sc_report *rep = verify_dir(g_exp);
    if (getenv("SC_TEST_SHOW") != NULL) {
        sc_report_print_text(rep, stdout, 5);
    }
    assert_int_equal(sc_report_failures(rep, "L1"), 0);
    if (sc_report_exit_code(rep) != SC_EXIT_VALID) {
        sc_report_print_text(rep, stderr, 5);
        fail_msg("the export does not verify");
    }
    sc_report_free(rep);
    /* and a record without log/ has no L steps at all */
    rep = verify_dir(g_rec);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
}

static void flip_byte(const char *name, size_t off)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", g_work, name);
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    fseek(f, (long)off, SEEK_SET);
    int c = fgetc(f);
    fseek(f, (long)off, SEEK_SET);
    fputc(c ^ 0x01, f);
    fclose(f);
}

/* Changes one base64 digit into another valid digit, so that the note
 * still parses and only the signature it carries is wrong (a ^1 flip
 * turns 'A', 'Z', 'a', 'z', '+' and '/' into non-base64 characters). */
static void flip_b64(const char *name, size_t off)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", g_work, name);
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    fseek(f, (long)off, SEEK_SET);
    int c = fgetc(f);
    fseek(f, (long)off, SEEK_SET);
    fputc(c == 'A' ? 'B' : 'A', f);
    fclose(f);
}

static void tampered(void **state)
{
    (void)state;
    /* an entry: its time (not signed) -> the root; its signature -> L1.C */
    fresh();
    flip_byte("log/entries.bin", 5 * SC_ENTRY_BYTES + 17);
    expect("L2.A");
    fresh();
    flip_byte("log/entries.bin", 6 * SC_ENTRY_BYTES + 150);
    expect("L1.C");
    /* a payload (a ballot's) */
    fresh();
    {
        sc_entry e;
        assert_int_equal(
            sc_entry_decode(&e, g_ent + 6 * SC_ENTRY_BYTES, SC_ENTRY_BYTES),
            SC_OK);
        char hx[65], name[100];
        hexl(hx, e.payload_sha256, 32);
        snprintf(name, sizeof name, "log/payloads/%s", hx);
        flip_byte(name, 40);
    }
    expect("L1.B");
    /* the checkpoint's text (size line) -> the board signature */
    fresh();
    flip_byte("log/checkpoint", strlen(g_origin) + 1);
    expect("L3.A");
    /* a cosignature: w2's is the last line; its last base64 digit but
     * the '=' padding and newline */
    fresh();
    {
        size_t len = 0;
        char *d = slurp(g_work, "log/checkpoint", &len);
        size_t off = len - 2;
        while (d[off] == '=' || d[off] == '\n') {
            off--;
        }
        off -= 3;
        free(d);
        flip_b64("log/checkpoint", off);
    }
    expect("L3.C");
    /* record files: extra, changed, missing */
    fresh();
    write_file(g_work, "extra.txt", "x", 1);
    expect("L4.B");
    fresh();
    flip_byte("devices.json", 3);
    expect("L4.A");
    fresh();
    {
        char p[1024];
        snprintf(p, sizeof p, "%s/challenged.jsonl", g_work);
        unlink(p);
    }
    expect("L4.C");
    /* the log without its policy entry's payload */
    fresh();
    {
        sc_entry e;
        assert_int_equal(
            sc_entry_decode(&e, g_ent + 1 * SC_ENTRY_BYTES, SC_ENTRY_BYTES),
            SC_OK);
        char hx[65], p[1024];
        hexl(hx, e.payload_sha256, 32);
        snprintf(p, sizeof p, "%s/log/payloads/%s", g_work, hx);
        unlink(p);
    }
    {
        sc_report *rep = verify_dir(g_work);
        assert_true(sc_report_exit_code(rep) != SC_EXIT_VALID);
        sc_report_free(rep);
    }
}

/* The export of the first n entries into dir. */
static void export_n(const char *dir, size_t n)
{
    sc_logrec r;
    assert_int_equal(sc_logrec_build(&r, g_ent, n, get_payload, NULL), SC_OK);
    rm_rf(dir);
    mkdir(dir, 0755);
    for (size_t i = 0; i < r.n; i++) {
        write_file(dir, r.f[i].name, r.f[i].data, r.f[i].len);
    }
    size_t len = 0;
    char *cp = checkpoint_note_n(n, &len);
    write_file(dir, "log/checkpoint", cp, len);
    free(cp);
    sc_logrec_free(&r);
}

static sc_report *verify_state(const char *dir, const char *sdir)
{
    sc_report *rep = NULL;
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    sc_verify_opts o;
    sc_verify_opts_default(&o);
    o.allow_test_parameters = 1;
    o.threads = 2;
    o.state_dir = sdir;
    assert_int_equal(sc_verify_record(dir, &o, rep), SC_OK);
    return rep;
}

/* L3.D: the largest log seen is kept; a smaller one (rollback) or one
 * that does not extend it (fork) fails. */
static void rollback_and_fork(void **state)
{
    (void)state;
    char sdir[600], small[600];
    snprintf(sdir, sizeof sdir, "%s_state", g_work);
    snprintf(small, sizeof small, "%s_small", g_work);
    rm_rf(sdir);
    mkdir(sdir, 0700);
    /* the smaller log first: kept, then the full one extends it */
    export_n(small, g_n - 1);
    sc_report *rep = verify_state(small, sdir);
    assert_int_equal(sc_report_failures(rep, "L3"), 0);
    sc_report_free(rep);
    rep = verify_state(g_exp, sdir);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
    /* now the smaller one is a rollback */
    rep = verify_state(small, sdir);
    assert_true(sc_report_failures(rep, "L3.D") > 0);
    sc_report_free(rep);
    /* a log of the same size whose last entry differs: a fork */
    uint8_t saved[SC_ENTRY_BYTES];
    memcpy(saved, g_ent + (g_n - 1) * SC_ENTRY_BYTES, SC_ENTRY_BYTES);
    sc_entry e;
    assert_int_equal(sc_entry_decode(&e, saved, SC_ENTRY_BYTES), SC_OK);
    uint8_t *saved_pay = g_pay[g_n - 1];
    size_t saved_len = g_plen[g_n - 1];
    g_n--;
    append(SC_ENTRY_CLOSE, "{\"type\":\"close\",\"n\":2}", 22, g_ask, e.seq,
           NULL);
    export_n(g_work, g_n);
    rep = verify_state(g_work, sdir);
    assert_true(sc_report_failures(rep, "L3.D") > 0);
    sc_report_free(rep);
    free(g_pay[g_n - 1]);
    g_pay[g_n - 1] = saved_pay;
    g_plen[g_n - 1] = saved_len;
    memcpy(g_ent + (g_n - 1) * SC_ENTRY_BYTES, saved, SC_ENTRY_BYTES);
    rm_rf(sdir);
    rm_rf(small);
}

static void build_refusals(void **state)
{
    (void)state;
    sc_logrec r;
    /* a ballot signed by the authority instead of its device */
    uint8_t *save = malloc(g_n * SC_ENTRY_BYTES);
    memcpy(save, g_ent, g_n * SC_ENTRY_BYTES);
    size_t n0 = g_n;
    g_ent[5 * SC_ENTRY_BYTES + 1] ^= 0x7f; /* type of entry 5: unknown */
    assert_int_equal(sc_logrec_build(&r, g_ent, g_n, get_payload, NULL),
                     SC_E_VERIFY);
    assert_string_equal(r.fail_cond, "L1.A");
    sc_logrec_free(&r);
    memcpy(g_ent, save, n0 * SC_ENTRY_BYTES);
    /* entries out of order: index field no longer the position */
    memcpy(g_ent + 5 * SC_ENTRY_BYTES, save + 6 * SC_ENTRY_BYTES,
           SC_ENTRY_BYTES);
    assert_int_equal(sc_logrec_build(&r, g_ent, g_n, get_payload, NULL),
                     SC_E_VERIFY);
    assert_string_equal(r.fail_cond, "L1.A");
    sc_logrec_free(&r);
    memcpy(g_ent, save, n0 * SC_ENTRY_BYTES);
    free(save);
    /* an empty log */
    assert_int_equal(sc_logrec_build(&r, g_ent, 0, get_payload, NULL),
                     SC_E_VERIFY);
    sc_logrec_free(&r);
}

/* Write-in entries (docs/BOARD.md §3.3) on a scratch log: the first k
 * entries of the built log (copies); scratch_end puts the built log back. */
static uint8_t *s_ent, **s_pay;
static size_t *s_plen, s_n;

static void scratch(size_t k)
{
    s_ent = g_ent;
    s_pay = g_pay;
    s_plen = g_plen;
    s_n = g_n;
    g_ent = malloc(k * SC_ENTRY_BYTES);
    g_pay = malloc(k * sizeof *g_pay);
    g_plen = malloc(k * sizeof *g_plen);
    memcpy(g_ent, s_ent, k * SC_ENTRY_BYTES);
    for (size_t i = 0; i < k; i++) {
        g_pay[i] = malloc(s_plen[i] + 1);
        memcpy(g_pay[i], s_pay[i], s_plen[i]);
        g_plen[i] = s_plen[i];
    }
    g_n = k;
}

static void scratch_end(void)
{
    for (size_t i = 0; i < g_n; i++) {
        free(g_pay[i]);
    }
    free(g_ent);
    free(g_pay);
    free(g_plen);
    g_ent = s_ent;
    g_pay = s_pay;
    g_plen = s_plen;
    g_n = s_n;
}

static size_t index_of(unsigned type)
{
    for (size_t i = 0; i < g_n; i++) {
        if (g_ent[i * SC_ENTRY_BYTES + 1] == type) {
            return i;
        }
    }
    fail_msg("no entry of type %u", type);
    return 0;
}

static uint32_t seq_at(size_t i)
{
    sc_entry e;
    assert_int_equal(
        sc_entry_decode(&e, g_ent + i * SC_ENTRY_BYTES, SC_ENTRY_BYTES), SC_OK);
    return e.seq;
}

/* A write-in line naming id_B = 32 bytes b. */
static const char *wi(const char *id, unsigned b)
{
    static char out[4][200];
    static int k;
    char h[65];
    for (int i = 0; i < 64; i++) {
        h[i] = "0123456789ABCDEF"[(i & 1) ? (b & 15) : (b >> 4)];
    }
    h[64] = 0;
    k = (k + 1) & 3;
    snprintf(out[k], sizeof out[k],
             "{\"id\":\"%s\",\"selection_encryption_identifier\":\"%s\"}", id,
             h);
    return out[k];
}

/* After the decryption entry: types[i] (11, 12) for the lines[i] by the
 * authority; the projection must build (cond NULL) or fail at cond. */
static void wi_case(const unsigned *types, const char *const *lines, size_t k,
                    const char *cond)
{
    size_t dec = index_of(SC_ENTRY_DECRYPTION);
    uint32_t aseq = seq_at(dec);
    scratch(dec + 1);
    for (size_t i = 0; i < k; i++) {
        append(types[i], lines[i], strlen(lines[i]), g_ask, ++aseq, NULL);
    }
    sc_logrec r;
    sc_status rc = sc_logrec_build(&r, g_ent, g_n, get_payload, NULL);
    if (cond == NULL) {
        if (rc != SC_OK) {
            fail_msg("%s %s", r.fail_cond, r.fail);
        }
    } else if (rc != SC_E_VERIFY || strcmp(r.fail_cond, cond) != 0) {
        fail_msg("wanted %s, got %s: %s", cond, r.fail_cond, r.fail);
    }
    if (cond == NULL) {
        /* the projection: the lines in log order, one file per type */
        char want[2][800] = {"", ""};
        for (size_t i = 0; i < k; i++) {
            char *w = want[types[i] == SC_ENTRY_WRITE_IN];
            strcat(w, lines[i]);
            strcat(w, "\n");
        }
        static const char *const names[] = {"write_in_counts.jsonl",
                                            "write_ins.jsonl"};
        for (int f = 0; f < 2; f++) {
            const sc_logrec_file *x = sc_logrec_find(&r, names[f]);
            assert_non_null(x);
            assert_int_equal(x->len, strlen(want[f]));
            assert_memory_equal(x->data, want[f], x->len);
        }
    }
    sc_logrec_free(&r);
    scratch_end();
}

static void write_in_entries(void **state)
{
    (void)state;
    enum { C = SC_ENTRY_WRITE_IN_COUNT, O = SC_ENTRY_WRITE_IN };
    /* counts of two ballots, the second opened */
    wi_case((const unsigned[]){C, C, O},
            (const char *const[]){wi("b1", 1), wi("b2", 2), wi("b2", 2)}, 3,
            NULL);
    /* L1.F: a line without id_B; a newline inside */
    wi_case((const unsigned[]){C}, (const char *const[]){"{\"id\":\"b1\"}"}, 1,
            "L1.F");
    char two[420];
    snprintf(two, sizeof two, "%s\n%s", wi("b1", 1), wi("b2", 2));
    wi_case((const unsigned[]){C}, (const char *const[]){two}, 1, "L1.F");
    /* L1.H: two counts of one ballot; an opening without its count; two
     * openings of one ballot */
    wi_case((const unsigned[]){C, C},
            (const char *const[]){wi("b1", 1), wi("b1", 1)}, 2, "L1.H");
    wi_case((const unsigned[]){C, O},
            (const char *const[]){wi("b1", 1), wi("b2", 2)}, 2, "L1.H");
    wi_case((const unsigned[]){C, O, O},
            (const char *const[]){wi("b1", 1), wi("b1", 1), wi("b1", 1)}, 3,
            "L1.H");
    /* L1.G: a count before the tally (in the tally's place) */
    size_t t = index_of(SC_ENTRY_TALLY);
    uint32_t aseq = seq_at(t);
    scratch(t);
    append(C, wi("b1", 1), strlen(wi("b1", 1)), g_ask, aseq, NULL);
    sc_logrec r;
    assert_int_equal(sc_logrec_build(&r, g_ent, g_n, get_payload, NULL),
                     SC_E_VERIFY);
    assert_string_equal(r.fail_cond, "L1.G");
    sc_logrec_free(&r);
    scratch_end();
    /* L1.D: a count signed by a device */
    size_t dec = index_of(SC_ENTRY_DECRYPTION);
    size_t dc = index_of(SC_ENTRY_DEVICE_CLOSE);
    sc_entry e;
    assert_int_equal(
        sc_entry_decode(&e, g_ent + dc * SC_ENTRY_BYTES, SC_ENTRY_BYTES),
        SC_OK);
    int d = memcmp(e.signer, g_dpk[0], 32) == 0 ? 0 : 1;
    scratch(dec + 1);
    append(C, wi("b1", 1), strlen(wi("b1", 1)), g_dsk[d], e.seq + 1, NULL);
    assert_int_equal(sc_logrec_build(&r, g_ent, g_n, get_payload, NULL),
                     SC_E_VERIFY);
    assert_string_equal(r.fail_cond, "L1.D");
    sc_logrec_free(&r);
    scratch_end();
    /* the built log (no write-in entries) projects neither file */
    assert_int_equal(sc_logrec_build(&r, g_ent, g_n, get_payload, NULL), SC_OK);
    assert_null(sc_logrec_find(&r, "write_in_counts.jsonl"));
    assert_null(sc_logrec_find(&r, "write_ins.jsonl"));
    sc_logrec_free(&r);
}

static int setup(void **state)
{
    (void)state;
    int pid = (int)getpid();
    snprintf(g_rec, sizeof g_rec, "/tmp/sc_logrec_%d_rec", pid);
    snprintf(g_exp, sizeof g_exp, "/tmp/sc_logrec_%d_exp", pid);
    snprintf(g_work, sizeof g_work, "/tmp/sc_logrec_%d_work", pid);
    tg_opts o = {SC_GROUP_TOY_Q64, 4, 2, 3, 0, 5, 0};
    if (tg_make_record(g_rec, &o) != SC_OK) {
        return -1;
    }
    size_t len = 0;
    char *hx = slurp(g_rec, "hashes_ext.json", &len);
    json_t *j = json_loads(hx, 0, NULL);
    free(hx);
    char lower[17];
    const char *he = json_string_value(json_object_get(j, "h_e"));
    for (int i = 0; i < 16; i++) {
        lower[i] = (char)(he[i] >= 'A' && he[i] <= 'F' ? he[i] + 32 : he[i]);
    }
    lower[16] = 0;
    json_decref(j);
    snprintf(g_origin, sizeof g_origin, "scrutin.board/%s", lower);
    /* the authority's and devices' keys are the fuzz target's
     * (tests/fuzz/fuzz_logrec.c), so the seeds written below fit it */
    uint8_t seed[32];
    memset(seed, 0x11, 32);
    crypto_sign_seed_keypair(g_apk, g_ask, seed);
    crypto_sign_keypair(g_bpk, g_bsk);
    for (int i = 0; i < 2; i++) {
        memset(seed, 0x22 + 0x11 * i, 32);
        crypto_sign_seed_keypair(g_dpk[i], g_dsk[i], seed);
        crypto_sign_keypair(g_wpk[i], g_wsk[i]);
    }
    build_log();
    if (getenv("SC_FUZZ_SEED_DIR") != NULL) {
        write_seeds(getenv("SC_FUZZ_SEED_DIR"));
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[600];
    rm_rf(g_rec);
    snprintf(p, sizeof p, "%s.secrets", g_rec);
    rm_rf(p);
    rm_rf(g_exp);
    rm_rf(g_work);
    for (size_t i = 0; i < g_n; i++) {
        free(g_pay[i]);
    }
    free(g_pay);
    free(g_plen);
    free(g_ent);
    return 0;
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(projection_is_the_record),
        cmocka_unit_test(export_verifies),
        cmocka_unit_test(tampered),
        cmocka_unit_test(rollback_and_fork),
        cmocka_unit_test(build_refusals),
        cmocka_unit_test(write_in_entries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
