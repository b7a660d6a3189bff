/* The verifying witness's entry rules (src/witness/verify_entry.c,
 * docs/BOARD.md §5.4), one tamper per rule: an honest log (election,
 * device, policy, ballots, device_close, tally, close) passes; each
 * variant fails at exactly the entry and the rule it breaks.
 *
 * usage: test_verify_entry RECORD_DIR CLOSE_BC CLOSE_HASH
 *   RECORD_DIR: a record after `scrutin encrypt -d 1 -D P1` of at least
 *   two ballots (toy group); CLOSE_*: devices.json's closing of device 1. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "scrutin/core.h"
#include "scrutin/entry.h"
#include "scrutin/json.h"
#include "scrutin/tlog.h"
#include "witness/verify_int.h"

#define MAXE 16

typedef struct ent {
    uint8_t raw[SC_ENTRY_BYTES];
    char *payload;
    size_t len;
} ent;

static char origin[64], bvkey[SC_VKEY_MAX], wvkey[SC_VKEY_MAX];
static uint8_t auth_pk[32], auth_sk[64], dev_pk[32], dev_sk[64];
static char *ballot[2], *ballot2; /* ballot2: device 2's first */
static const char *close_bc, *close_h;
static int fails;

static char *readf(const char *dir, const char *name, size_t *len)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    char *d = NULL;
    if (sc_file_read_all(p, &d, len) != SC_OK) {
        fprintf(stderr, "cannot read %s\n", p);
        exit(3);
    }
    return d;
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static char *hex_lower(const uint8_t *b, size_t n)
{
    char *h = malloc(2 * n + 1);
    sc_hex_encode(h, b, n);
    for (char *c = h; *c; c++) {
        *c = (char)(*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
    }
    return h;
}

/* The election payload of the record in dir (docs/BOARD.md §3.3). */
static char *election_payload(const char *dir, const char *org)
{
    static const char *files[] = {"election_manifest_canonical.bin",
                                  "election_parameters.json",
                                  "hashes.json",
                                  "hashes_ext.json",
                                  "joint_election_public_key.json",
                                  "record.json"};
    char *ak = hex_lower(auth_pk, 32);
    char *out = dupf("{\"type\":\"election\",\"origin\":\"%s\",\"board_key\":"
                     "\"%s\",\"authority_key\":\"%s\",\"files\":[",
                     org, bvkey, ak);
    free(ak);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *d = readf(dir, files[i], &len);
        char *b = malloc(sc_b64_len(len) + 1);
        if (sc_b64_encode(b, sc_b64_len(len) + 1, d, len) != SC_OK) {
            exit(3);
        }
        char *n = dupf("%s%s{\"name\":\"%s\",\"base64\":\"%s\"}", out,
                       i ? "," : "", files[i], b);
        free(out);
        free(b);
        free(d);
        out = n;
    }
    char *n = dupf("%s]}", out);
    free(out);
    return n;
}

/* An entry signed by sk over payload p (taken). */
static void mk(ent *e, uint64_t idx, unsigned type, const uint8_t *pk,
               const uint8_t *sk, uint32_t seq, char *p, const uint8_t *key)
{
    sc_entry x;
    memset(&x, 0, sizeof x);
    x.version = SC_ENTRY_VERSION;
    x.type = (uint8_t)type;
    x.index = idx;
    x.time_ms = 1;
    x.payload_len = (uint32_t)strlen(p);
    crypto_hash_sha256(x.payload_sha256, (const uint8_t *)p, strlen(p));
    if (key != NULL) {
        memcpy(x.key, key, 32);
    }
    memcpy(x.signer, pk, 32);
    x.seq = seq;
    if (sc_entry_sign(&x, origin, sk) != SC_OK) {
        exit(3);
    }
    sc_entry_encode(e->raw, &x);
    e->payload = p;
    e->len = strlen(p);
}

static void code_of(const char *line, uint8_t code[32])
{
    const char *c = strstr(line, "\"confirmation_code\":\"");
    if (c == NULL || sc_hex_decode(code, 32, c + 21, 64) != SC_OK) {
        exit(3);
    }
}

/* The honest log; returns its length. */
static size_t honest(ent *l, const char *dir)
{
    uint8_t c1[32], c2[32];
    code_of(ballot[0], c1);
    code_of(ballot[1], c2);
    char *dk = hex_lower(dev_pk, 32);
    size_t n = 0;
    mk(&l[n], n, SC_ENTRY_ELECTION, auth_pk, auth_sk, 1,
       election_payload(dir, origin), NULL);
    n++;
    mk(&l[n], n, SC_ENTRY_DEVICE, auth_pk, auth_sk, 2,
       dupf("{\"type\":\"device\",\"index\":1,\"device\":\"P1\",\"chaining\":"
            "\"simple\",\"public_key\":\"%s\"}",
            dk),
       NULL);
    n++;
    mk(&l[n], n, SC_ENTRY_WITNESS_POLICY, auth_pk, auth_sk, 3,
       dupf("{\"type\":\"witness_policy\",\"witnesses\":[{\"name\":\"w\","
            "\"party\":\"A\",\"vkey\":\"%s\",\"url\":\"http://127.0.0.1:1\"}],"
            "\"quorum\":\"k-of-n:1\"}",
            wvkey),
       NULL);
    n++;
    mk(&l[n], n, SC_ENTRY_BALLOT, dev_pk, dev_sk, 1, strdup(ballot[0]), c1);
    n++;
    mk(&l[n], n, SC_ENTRY_BALLOT, dev_pk, dev_sk, 2, strdup(ballot[1]), c2);
    n++;
    mk(&l[n], n, SC_ENTRY_DEVICE_CLOSE, dev_pk, dev_sk, 3,
       dupf("{\"type\":\"device_close\",\"device\":1,\"ballots\":2,"
            "\"closing\":{\"chaining_field\":\"%s\",\"hash\":\"%s\"}}",
            close_bc, close_h),
       NULL);
    n++;
    mk(&l[n], n, SC_ENTRY_TALLY, auth_pk, auth_sk, 4, strdup("{}"), NULL);
    n++;
    mk(&l[n], n, SC_ENTRY_CLOSE, auth_pk, auth_sk, 5, strdup("{}"), NULL);
    n++;
    free(dk);
    return n;
}

static void clear(ent *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(l[i].payload);
    }
}

/* Run the rules over l[0..n); expect failure at entry `at` with `want`
 * in the reason (at < 0: all pass). */
static void run(const char *name, ent *l, size_t n, int at, const char *want)
{
    char db[] = "/tmp/scrutin-vtest-XXXXXX";
    int fd = mkstemp(db);
    close(fd);
    sc_wvdb *d = NULL;
    if (sc_wvdb_open(&d, db) != SC_OK) {
        exit(3);
    }
    sc_wvdb_state st;
    memset(&st, 0, sizeof st);
    sc_door *door = NULL;
    char why[600] = "";
    wv_run r = {d, &st, &door, origin, bvkey, why, sizeof why};
    int got = -1;
    sc_status rc = SC_OK;
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        rc = wv_entry(&r, i, l[i].raw, (const uint8_t *)l[i].payload, l[i].len);
        if (rc != SC_OK) {
            got = (int)i;
        }
    }
    int ok = got == at && (rc == SC_OK || (rc == SC_E_VERIFY && want != NULL &&
                                           strstr(why, want) != NULL));
    printf("%s %s: %s\n", ok ? "ok  " : "FAIL", name,
           rc == SC_OK ? "all entries pass" : why);
    fails += !ok;
    sc_door_free(door);
    sc_wvdb_state_clear(&st);
    sc_wvdb_close(d);
    unlink(db);
    char x[600];
    snprintf(x, sizeof x, "%s-wal", db);
    unlink(x);
    snprintf(x, sizeof x, "%s-shm", db);
    unlink(x);
}

/* Replace entry i of a fresh honest log and run. */
typedef void (*tamper_fn)(ent *l, size_t *n);

static void variant(const char *dir, const char *name, tamper_fn f, int at,
                    const char *want)
{
    ent l[MAXE];
    size_t n = honest(l, dir);
    f(l, &n);
    run(name, l, n, at, want);
    clear(l, n);
}

static void t_origin(ent *l, size_t *n)
{
    (void)n;
    char *p = l[0].payload;
    char *o = strstr(p, origin);
    o[strlen(origin) - 1] ^= 1; /* another origin in the payload */
    char *c = strdup(p);
    mk(&l[0], 0, SC_ENTRY_ELECTION, auth_pk, auth_sk, 1, c, NULL);
    free(p);
}
static void t_election_signer(ent *l, size_t *n)
{
    (void)n;
    char *p = strdup(l[0].payload);
    free(l[0].payload);
    mk(&l[0], 0, SC_ENTRY_ELECTION, dev_pk, dev_sk, 1, p, NULL);
}
static void t_device_by_device(ent *l, size_t *n)
{
    (void)n;
    char *p = strdup(l[1].payload);
    free(l[1].payload);
    mk(&l[1], 1, SC_ENTRY_DEVICE, dev_pk, dev_sk, 1, p, NULL);
}
static void t_device_index(ent *l, size_t *n)
{
    (void)n;
    char *dk = hex_lower(dev_pk, 32);
    free(l[1].payload);
    mk(&l[1], 1, SC_ENTRY_DEVICE, auth_pk, auth_sk, 2,
       dupf("{\"type\":\"device\",\"index\":2,\"device\":\"P1\",\"chaining\":"
            "\"simple\",\"public_key\":\"%s\"}",
            dk),
       NULL);
    free(dk);
}
static void t_device_key_is_authority(ent *l, size_t *n)
{
    (void)n;
    char *ak = hex_lower(auth_pk, 32);
    free(l[1].payload);
    mk(&l[1], 1, SC_ENTRY_DEVICE, auth_pk, auth_sk, 2,
       dupf("{\"type\":\"device\",\"index\":1,\"device\":\"P1\",\"chaining\":"
            "\"simple\",\"public_key\":\"%s\"}",
            ak),
       NULL);
    free(ak);
}
static void t_unregistered(ent *l, size_t *n)
{
    (void)n;
    uint8_t pk[32], sk[64], c[32];
    crypto_sign_keypair(pk, sk);
    code_of(ballot[0], c);
    free(l[3].payload);
    mk(&l[3], 3, SC_ENTRY_BALLOT, pk, sk, 1, strdup(ballot[0]), c);
}
static void t_bad_sig(ent *l, size_t *n)
{
    (void)n;
    l[3].raw[150] ^= 1; /* in sig (122..185) */
}
static void t_seq(ent *l, size_t *n)
{
    (void)n;
    uint8_t c[32];
    code_of(ballot[0], c);
    free(l[3].payload);
    mk(&l[3], 3, SC_ENTRY_BALLOT, dev_pk, dev_sk, 2, strdup(ballot[0]), c);
}
static void t_index(ent *l, size_t *n)
{
    (void)n;
    uint8_t c[32];
    code_of(ballot[0], c);
    free(l[3].payload);
    mk(&l[3], 4, SC_ENTRY_BALLOT, dev_pk, dev_sk, 1, strdup(ballot[0]), c);
}
static void t_key(ent *l, size_t *n)
{
    (void)n;
    uint8_t c[32];
    code_of(ballot[0], c);
    c[0] ^= 1;
    free(l[3].payload);
    mk(&l[3], 3, SC_ENTRY_BALLOT, dev_pk, dev_sk, 1, strdup(ballot[0]), c);
}
static void t_newline(ent *l, size_t *n)
{
    (void)n;
    uint8_t c[32];
    code_of(ballot[0], c);
    free(l[3].payload);
    mk(&l[3], 3, SC_ENTRY_BALLOT, dev_pk, dev_sk, 1, dupf("%s\n", ballot[0]),
       c);
}
static void t_proof(ent *l, size_t *n)
{
    (void)n;
    uint8_t c[32];
    code_of(ballot[0], c);
    char *p = strdup(ballot[0]);
    char *v = strstr(p, "\"v\":[\"");
    v[6] = v[6] == '1' ? '2' : '1'; /* a proof response */
    free(l[3].payload);
    mk(&l[3], 3, SC_ENTRY_BALLOT, dev_pk, dev_sk, 1, p, c);
}
static void t_order(ent *l, size_t *n)
{
    (void)n;
    uint8_t c[32];
    code_of(ballot[1], c); /* the second ballot first: chain position */
    free(l[3].payload);
    mk(&l[3], 3, SC_ENTRY_BALLOT, dev_pk, dev_sk, 1, strdup(ballot[1]), c);
}
static void t_close_hash(ent *l, size_t *n)
{
    (void)n;
    char *p = l[5].payload;
    char *h = strstr(p, close_h);
    h[0] = h[0] == '0' ? '1' : '0';
    char *q = strdup(p);
    free(p);
    mk(&l[5], 5, SC_ENTRY_DEVICE_CLOSE, dev_pk, dev_sk, 3, q, NULL);
}
static void t_close_count(ent *l, size_t *n)
{
    (void)n;
    char *q = dupf("{\"type\":\"device_close\",\"device\":1,\"ballots\":1,"
                   "\"closing\":{\"chaining_field\":\"%s\",\"hash\":\"%s\"}}",
                   close_bc, close_h);
    free(l[5].payload);
    mk(&l[5], 5, SC_ENTRY_DEVICE_CLOSE, dev_pk, dev_sk, 3, q, NULL);
}
static void t_after_close_device(ent *l, size_t *n)
{
    (void)n;
    uint8_t c[32];
    code_of(ballot[1], c);
    /* entry 5 (device_close) then a ballot of the closed device */
    free(l[6].payload);
    mk(&l[6], 6, SC_ENTRY_BALLOT, dev_pk, dev_sk, 4, strdup(ballot[1]), c);
}
static void t_policy(ent *l, size_t *n)
{
    (void)n;
    free(l[2].payload);
    mk(&l[2], 2, SC_ENTRY_WITNESS_POLICY, auth_pk, auth_sk, 3,
       strdup("{\"type\":\"witness_policy\",\"witnesses\":[]}"), NULL);
}
static void t_after_tally(ent *l, size_t *n)
{
    /* tally moved before the device_close */
    char *p = strdup(l[5].payload);
    free(l[5].payload);
    free(l[6].payload);
    free(l[7].payload);
    mk(&l[5], 5, SC_ENTRY_TALLY, auth_pk, auth_sk, 4, strdup("{}"), NULL);
    mk(&l[6], 6, SC_ENTRY_DEVICE_CLOSE, dev_pk, dev_sk, 3, p, NULL);
    *n = 7;
}
static void t_after_close(ent *l, size_t *n)
{
    mk(&l[8], 8, SC_ENTRY_RESULT, auth_pk, auth_sk, 6, strdup("{}"), NULL);
    *n = 9;
}
/* Device 2's first ballot has the id ("b-1") of device 1's first. */
static void t_label(ent *l, size_t *n)
{
    uint8_t pk[32], sk[64], c[32];
    crypto_sign_keypair(pk, sk);
    char *dk = hex_lower(pk, 32);
    for (size_t i = 5; i < *n; i++) {
        free(l[i].payload);
    }
    mk(&l[5], 5, SC_ENTRY_DEVICE, auth_pk, auth_sk, 4,
       dupf("{\"type\":\"device\",\"index\":2,\"device\":\"P2\",\"chaining\":"
            "\"simple\",\"public_key\":\"%s\"}",
            dk),
       NULL);
    code_of(ballot2, c);
    mk(&l[6], 6, SC_ENTRY_BALLOT, pk, sk, 1, strdup(ballot2), c);
    *n = 7;
    free(dk);
}
static void t_second_election(ent *l, size_t *n)
{
    (void)n;
    free(l[2].payload);
    mk(&l[2], 2, SC_ENTRY_ELECTION, auth_pk, auth_sk, 3, strdup("{}"), NULL);
}

/* Write-in entries (docs/BOARD.md §3.3): a line naming the id_B of
 * ballot[b] (b = 0, 1: ballots on the log) or, for b = 2, an id_B no
 * ballot has. */
static char *wi_line(const char *id, unsigned b)
{
    char h[65];
    if (b < 2) {
        const char *k = "\"selection_encryption_identifier\":\"";
        const char *c = strstr(ballot[b], k);
        if (c == NULL) {
            exit(3);
        }
        memcpy(h, c + strlen(k), 64);
    } else {
        memset(h, 'A', 64);
    }
    h[64] = 0;
    return dupf("{\"id\":\"%s\",\"selection_encryption_identifier\":\"%s\","
                "\"contests\":[]}",
                id, h);
}
/* After the tally (l[6]): the entries of types[] (11 count, 12 opening)
 * for the id_B bytes ids[], then the close. */
static void write_ins(ent *l, size_t *n, const unsigned *types,
                      const unsigned *ids, size_t k)
{
    free(l[7].payload);
    for (size_t i = 0; i < k; i++) {
        mk(&l[7 + i], 7 + i, types[i], auth_pk, auth_sk, (uint32_t)(5 + i),
           wi_line("b", ids[i]), NULL);
    }
    mk(&l[7 + k], 7 + k, SC_ENTRY_CLOSE, auth_pk, auth_sk, (uint32_t)(5 + k),
       strdup("{}"), NULL);
    *n = 8 + k;
}
#define C SC_ENTRY_WRITE_IN_COUNT
#define O SC_ENTRY_WRITE_IN
static void t_wi_honest(ent *l, size_t *n)
{
    write_ins(l, n, (const unsigned[]){C, C, O}, (const unsigned[]){0, 1, 1},
              3);
}
static void t_wi_before_tally(ent *l, size_t *n)
{
    /* a count in place of the tally */
    free(l[6].payload);
    free(l[7].payload);
    mk(&l[6], 6, C, auth_pk, auth_sk, 4, wi_line("b", 0), NULL);
    *n = 7;
}
static void t_wi_by_device(ent *l, size_t *n)
{
    free(l[7].payload);
    mk(&l[7], 7, C, dev_pk, dev_sk, 4, wi_line("b", 0), NULL);
    *n = 8;
}
static void t_wi_form(ent *l, size_t *n)
{
    free(l[7].payload);
    mk(&l[7], 7, C, auth_pk, auth_sk, 5, strdup("{\"id\":\"b\"}"), NULL);
    *n = 8;
}
static void t_wi_count_twice(ent *l, size_t *n)
{
    write_ins(l, n, (const unsigned[]){C, C}, (const unsigned[]){0, 0}, 2);
}
static void t_wi_no_ballot(ent *l, size_t *n)
{
    write_ins(l, n, (const unsigned[]){C, C}, (const unsigned[]){0, 2}, 2);
}
static void t_wi_open_no_count(ent *l, size_t *n)
{
    write_ins(l, n, (const unsigned[]){C, O}, (const unsigned[]){0, 1}, 2);
}
static void t_wi_open_twice(ent *l, size_t *n)
{
    write_ins(l, n, (const unsigned[]){C, O, O}, (const unsigned[]){0, 0, 0},
              3);
}
#undef C
#undef O

int main(int argc, char **argv)
{
    if (argc != 4 || sc_init() != SC_OK) {
        fprintf(stderr, "usage: test_verify_entry RECORD_DIR CLOSE_BC "
                        "CLOSE_HASH\n");
        return 3;
    }
    const char *dir = argv[1];
    close_bc = argv[2];
    close_h = argv[3];
    crypto_sign_keypair(auth_pk, auth_sk);
    crypto_sign_keypair(dev_pk, dev_sk);
    /* origin from H_E (hashes_ext.json "h_e") */
    size_t len;
    char *hx = readf(dir, "hashes_ext.json", &len);
    char *h = strstr(hx, "\"h_e\"");
    h = h ? strchr(h + 5, '"') : NULL;
    if (h == NULL) {
        return 3;
    }
    snprintf(origin, sizeof origin, "scrutin.board/%.16s", h + 1);
    for (char *c = origin; *c; c++) {
        *c = (char)(*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
    }
    free(hx);
    uint8_t bpk[32], bsk[64];
    crypto_sign_keypair(bpk, bsk);
    sc_vkey vk;
    if (sc_vkey_make(&vk, origin, SC_NOTE_ED25519, bpk) != SC_OK ||
        sc_vkey_format(bvkey, sizeof bvkey, &vk) != SC_OK) {
        return 3;
    }
    uint8_t wpk[32], wsk[64];
    crypto_sign_keypair(wpk, wsk);
    if (sc_vkey_make(&vk, "w", SC_NOTE_COSIG, wpk) != SC_OK ||
        sc_vkey_format(wvkey, sizeof wvkey, &vk) != SC_OK) {
        return 3;
    }
    char *lines = readf(dir, "ballots/device_1.jsonl", &len);
    ballot[0] = strtok(lines, "\n");
    ballot[1] = strtok(NULL, "\n");
    if (ballot[1] == NULL) {
        return 3;
    }
    size_t len2;
    char *lines2 = readf(dir, "ballots/device_2.jsonl", &len2);
    ballot2 = strtok(lines2, "\n");
    ent l[MAXE];
    size_t n = honest(l, dir);
    run("honest log", l, n, -1, NULL);
    clear(l, n);
    variant(dir, "election for another origin", t_origin, 0, "another origin");
    variant(dir, "election not signed by its authority", t_election_signer, 0,
            "not signed by the authority key");
    variant(dir, "device registered by a device", t_device_by_device, 1,
            "a device entry not signed by the authority");
    variant(dir, "device index not the next", t_device_index, 1,
            "device index 2: the next is 1");
    variant(dir, "device key = the authority's", t_device_key_is_authority, 1,
            "registered already");
    variant(dir, "ballot of an unregistered key", t_unregistered, 3,
            "no registered open device");
    variant(dir, "submit signature", t_bad_sig, 3, "signature fails");
    variant(dir, "signer's seq skips", t_seq, 3, "seq 2 after 0");
    variant(dir, "entry index", t_index, 3, "at its index");
    variant(dir, "entry key is not the code", t_key, 3,
            "not its confirmation code");
    variant(dir, "newline in a ballot", t_newline, 3, "newline");
    variant(dir, "a ballot proof", t_proof, 3, "ballot: V");
    variant(dir, "ballots out of chain order", t_order, 3, "ballot: S1");
    variant(dir, "device_close hash (eq 77)", t_close_hash, 5, "eq 77-78");
    variant(dir, "device_close count", t_close_count, 5, "with 1 ballots");
    variant(dir, "ballot of a closed device", t_after_close_device, 6,
            "no registered open device");
    variant(dir, "witness_policy malformed", t_policy, 2, "witness_policy");
    variant(dir, "device_close after the tally", t_after_tally, 6,
            "after the tally");
    variant(dir, "an entry after close", t_after_close, 8,
            "after the close entry");
    variant(dir, "a second election entry", t_second_election, 2,
            "entry 0 only");
    variant(dir, "a ballot id seen on another device", t_label, 6,
            "duplicate id");
    variant(dir, "write-in counts and an opening", t_wi_honest, -1, NULL);
    variant(dir, "write_in_count before the tally", t_wi_before_tally, 6,
            "write_in_count entry before the tally");
    variant(dir, "write_in_count signed by a device", t_wi_by_device, 7,
            "write_in_count entry not signed by the authority");
    variant(dir, "write_in_count without id_B", t_wi_form, 7,
            "write_in_count: ");
    variant(dir, "two write_in_counts of one ballot", t_wi_count_twice, 8,
            "duplicate write_in_count");
    variant(dir, "write_in_count of no ballot on the log", t_wi_no_ballot, 8,
            "no ballot on the log has this");
    variant(dir, "write_in without its count", t_wi_open_no_count, 8,
            "no write_in_count");
    variant(dir, "two write_ins of one ballot", t_wi_open_twice, 9,
            "duplicate write_in for");
    free(lines);
    free(lines2);
    printf("%d failure(s)\n", fails);
    return fails ? 1 : 0;
}
