/* tlog-proof receipts, add-checkpoint bodies, the witness policy and its
 * quorum: round trips, and each check broken on its own. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/tlog.h"

#define ORIGIN "scrutin.board/0123456789abcdef"

typedef struct fixture {
    sc_tlog_mem *tree;
    uint8_t leaves[10][32];
    uint8_t board_sk[64];
    sc_vkey board;
    uint8_t wsk[3][64];
    sc_vkey w[3];
    char policy_json[2048];
} fixture;

static void keypair(uint8_t pk[32], uint8_t sk[64], uint8_t tag)
{
    uint8_t seed[32];
    memset(seed, tag, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
}

static void make_policy(fixture *f, const char *quorum)
{
    static const char *const names[3] = {"w.alpha", "w.beta", "w.gamma"};
    static const char *const parties[3] = {"A", "A", "B"};
    size_t k = (size_t)snprintf(f->policy_json, sizeof f->policy_json,
                                "{\"type\":\"witness_policy\",\"witnesses\":[");
    for (int i = 0; i < 3; i++) {
        char vk[SC_VKEY_MAX];
        assert_int_equal(sc_vkey_format(vk, sizeof vk, &f->w[i]), SC_OK);
        k += (size_t)snprintf(f->policy_json + k, sizeof f->policy_json - k,
                              "%s{\"name\":\"%s\",\"party\":\"%s\",\"vkey\":"
                              "\"%s\",\"url\":\"http://127.0.0.1:1\"}",
                              i ? "," : "", names[i], parties[i], vk);
    }
    snprintf(f->policy_json + k, sizeof f->policy_json - k,
             "],\"quorum\":\"%s\"}", quorum);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL || sc_tlog_mem_new(&f->tree) != SC_OK) {
        return -1;
    }
    for (int i = 0; i < 10; i++) {
        uint8_t d = (uint8_t)i;
        sc_tlog_leaf_hash(f->leaves[i], &d, 1);
        if (sc_tlog_mem_append(f->tree, f->leaves[i]) != SC_OK) {
            return -1;
        }
    }
    uint8_t pk[32];
    keypair(pk, f->board_sk, 1);
    if (sc_vkey_make(&f->board, ORIGIN, SC_NOTE_ED25519, pk) != SC_OK) {
        return -1;
    }
    static const char *const names[3] = {"w.alpha", "w.beta", "w.gamma"};
    for (int i = 0; i < 3; i++) {
        keypair(pk, f->wsk[i], (uint8_t)(10 + i));
        if (sc_vkey_make(&f->w[i], names[i], SC_NOTE_COSIG, pk) != SC_OK) {
            return -1;
        }
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sc_tlog_mem_free(f->tree);
    free(f);
    return 0;
}

/* A signed checkpoint of size n, cosigned by the witnesses in mask. */
static void signed_cp(fixture *f, sc_note *n, uint64_t size, unsigned mask)
{
    sc_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    strcpy(cp.origin, ORIGIN);
    cp.size = size;
    assert_int_equal(sc_tlog_root(cp.root, sc_tlog_mem_get, f->tree, size),
                     SC_OK);
    char text[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t len;
    assert_int_equal(sc_checkpoint_format(text, sizeof text, &len, &cp), SC_OK);
    assert_int_equal(sc_note_init(n, text, len), SC_OK);
    assert_int_equal(sc_note_sign(n, ORIGIN, f->board_sk), SC_OK);
    for (int i = 0; i < 3; i++) {
        if (mask & (1u << i)) {
            assert_int_equal(
                sc_cosig_sign(n, f->w[i].name, f->wsk[i], 1700000000 + i),
                SC_OK);
        }
    }
}

static void receipt_round_trip(void **state)
{
    fixture *f = *state;
    sc_tlog_proof p;
    memset(&p, 0, sizeof p);
    p.index = 3;
    assert_int_equal(sc_tlog_inclusion_proof(p.hashes, &p.nhashes,
                                             sc_tlog_mem_get, f->tree, 3, 10),
                     SC_OK);
    signed_cp(f, &p.checkpoint, 10, 0x7);
    p.has_extra = 1;
    p.extra = malloc(3);
    memcpy(p.extra, "abc", 3);
    p.extra_len = 3;
    char *txt;
    size_t tl;
    assert_int_equal(sc_tlog_proof_format(&p, &txt, &tl), SC_OK);
    assert_true(
        strncmp(txt, "c2sp.org/tlog-proof@v1\nextra YWJj\nindex 3\n", 41) == 0);
    sc_tlog_proof q;
    assert_int_equal(sc_tlog_proof_parse(&q, txt, tl), SC_OK);
    assert_int_equal(q.index, 3);
    assert_int_equal(q.nhashes, p.nhashes);
    assert_int_equal(q.extra_len, 3);
    char *txt2;
    size_t tl2;
    assert_int_equal(sc_tlog_proof_format(&q, &txt2, &tl2), SC_OK);
    assert_string_equal(txt, txt2);
    free(txt2);

    sc_witness_policy pol;
    char msg[256];
    make_policy(f, "k-of-n:2");
    assert_int_equal(sc_witness_policy_parse(&pol, f->policy_json,
                                             strlen(f->policy_json), msg,
                                             sizeof msg),
                     SC_OK);
    sc_checkpoint cp;
    assert_int_equal(
        sc_tlog_proof_verify(&q, f->leaves[3], &f->board, &pol, &cp), SC_OK);
    assert_true(cp.size == 10);
    assert_int_equal(
        sc_tlog_proof_verify(&q, f->leaves[3], &f->board, NULL, NULL), SC_OK);
    /* another leaf, another index, a proof hash, the board key */
    assert_int_equal(
        sc_tlog_proof_verify(&q, f->leaves[4], &f->board, &pol, NULL),
        SC_E_VERIFY);
    q.index = 2;
    assert_int_equal(
        sc_tlog_proof_verify(&q, f->leaves[3], &f->board, &pol, NULL),
        SC_E_VERIFY);
    q.index = 3;
    q.hashes[1][0] ^= 1;
    assert_int_equal(
        sc_tlog_proof_verify(&q, f->leaves[3], &f->board, &pol, NULL),
        SC_E_VERIFY);
    q.hashes[1][0] ^= 1;
    sc_vkey wrong = f->board;
    wrong.pub[0] ^= 1;
    wrong.key_id = sc_note_key_id(wrong.name, wrong.type, wrong.pub);
    assert_int_equal(sc_tlog_proof_verify(&q, f->leaves[3], &wrong, &pol, NULL),
                     SC_E_VERIFY);
    /* the board signature itself */
    q.checkpoint.sigs[0].sig[3] ^= 1;
    assert_int_equal(
        sc_tlog_proof_verify(&q, f->leaves[3], &f->board, NULL, NULL),
        SC_E_VERIFY);
    sc_tlog_proof_clear(&q);
    sc_witness_policy_clear(&pol);
    /* quorum k-of-n:2 with one cosignature fails */
    sc_note_clear(&p.checkpoint);
    signed_cp(f, &p.checkpoint, 10, 0x4);
    assert_int_equal(sc_witness_policy_parse(&pol, f->policy_json,
                                             strlen(f->policy_json), msg,
                                             sizeof msg),
                     SC_OK);
    assert_int_equal(
        sc_tlog_proof_verify(&p, f->leaves[3], &f->board, &pol, NULL),
        SC_E_VERIFY);
    sc_witness_policy_clear(&pol);
    free(txt);
    sc_tlog_proof_clear(&p);

    static const char *const bad[] = {
        "",
        "c2sp.org/tlog-proof@v2\nindex 3\n\n",
        "c2sp.org/tlog-proof@v1\nindex 03\n\n",
        "c2sp.org/tlog-proof@v1\nindex3\n\n",
        "c2sp.org/tlog-proof@v1\nextra !!!!\nindex 3\n\n",
        "c2sp.org/tlog-proof@v1\nindex 3\nAAAA\n\n",
        "c2sp.org/tlog-proof@v1\nindex 3\n",
        "c2sp.org/tlog-proof@v1\nindex 3\n\nnot a note\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sc_tlog_proof_parse(&q, bad[i], strlen(bad[i])) == SC_OK) {
            fail_msg("bad receipt %zu accepted", i);
        }
    }
}

static void quorum_rules(void **state)
{
    fixture *f = *state;
    sc_witness_policy pol;
    char msg[256];
    static const struct {
        const char *quorum;
        unsigned mask;
        int met;
    } cases[] = {
        {"k-of-n:1", 0x0, 0},    {"k-of-n:1", 0x1, 1},
        {"k-of-n:2", 0x3, 1},    {"k-of-n:3", 0x3, 0},
        {"k-of-n:3", 0x7, 1},    {"all-parties", 0x3, 0},
        {"all-parties", 0x4, 0}, {"all-parties", 0x5, 1},
        {"all-parties", 0x6, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        make_policy(f, cases[i].quorum);
        assert_int_equal(sc_witness_policy_parse(&pol, f->policy_json,
                                                 strlen(f->policy_json), msg,
                                                 sizeof msg),
                         SC_OK);
        sc_note n;
        signed_cp(f, &n, 10, cases[i].mask);
        size_t c;
        sc_status rc = sc_witness_policy_check(&pol, &n, &c);
        if ((rc == SC_OK) != cases[i].met) {
            fail_msg("case %zu: rc %d", i, (int)rc);
        }
        sc_note_clear(&n);
        sc_witness_policy_clear(&pol);
    }
    /* one witness cosigning twice counts once; a bad line does not count */
    make_policy(f, "k-of-n:2");
    assert_int_equal(sc_witness_policy_parse(&pol, f->policy_json,
                                             strlen(f->policy_json), msg,
                                             sizeof msg),
                     SC_OK);
    sc_note n;
    signed_cp(f, &n, 10, 0x1);
    assert_int_equal(sc_cosig_sign(&n, f->w[0].name, f->wsk[0], 1800000000),
                     SC_OK);
    size_t c;
    assert_int_equal(sc_witness_policy_check(&pol, &n, &c), SC_E_VERIFY);
    assert_int_equal(c, 1);
    assert_int_equal(sc_cosig_sign(&n, f->w[1].name, f->wsk[1], 1800000000),
                     SC_OK);
    assert_int_equal(sc_witness_policy_check(&pol, &n, &c), SC_OK);
    n.sigs[n.nsigs - 1].sig[20] ^= 1;
    assert_int_equal(sc_witness_policy_check(&pol, &n, &c), SC_E_VERIFY);
    /* w.beta's key under w.gamma's name does not count */
    sc_note_clear(&n);
    signed_cp(f, &n, 10, 0x1);
    assert_int_equal(sc_cosig_sign(&n, f->w[2].name, f->wsk[1], 1800000000),
                     SC_OK);
    assert_int_equal(sc_witness_policy_check(&pol, &n, &c), SC_E_VERIFY);
    sc_note_clear(&n);
    sc_witness_policy_clear(&pol);
}

static void policy_refusals(void **state)
{
    fixture *f = *state;
    char vk0[SC_VKEY_MAX], vk1[SC_VKEY_MAX], vnote[SC_VKEY_MAX];
    assert_int_equal(sc_vkey_format(vk0, sizeof vk0, &f->w[0]), SC_OK);
    assert_int_equal(sc_vkey_format(vk1, sizeof vk1, &f->w[1]), SC_OK);
    sc_vkey as_note;
    assert_int_equal(
        sc_vkey_make(&as_note, f->w[0].name, SC_NOTE_ED25519, f->w[0].pub),
        SC_OK);
    assert_int_equal(sc_vkey_format(vnote, sizeof vnote, &as_note), SC_OK);
    const char *fmt1 = "{\"type\":\"%s\",\"witnesses\":[{\"name\":\"%s\","
                       "\"party\":\"%s\",\"vkey\":\"%s\",\"url\":\"u\"}],"
                       "\"quorum\":\"%s\"}";
    struct {
        const char *type, *name, *party, *vkey, *quorum, *what;
    } cases[] = {
        {"witness_policy", "w.alpha", "A", vk0, "k-of-n:1", NULL},
        {"witness", "w.alpha", "A", vk0, "k-of-n:1", "type"},
        {"witness_policy", "w.beta", "A", vk0, "k-of-n:1", "name is not"},
        {"witness_policy", "w.alpha", "A", vnote, "k-of-n:1", "vkey"},
        {"witness_policy", "w.alpha", "", vk0, "k-of-n:1", "party"},
        {"witness_policy", "w alpha", "A", vk0, "k-of-n:1", "name"},
        {"witness_policy", "w.alpha", "A", vk0, "k-of-n:0", "quorum"},
        {"witness_policy", "w.alpha", "A", vk0, "k-of-n:2", "quorum"},
        {"witness_policy", "w.alpha", "A", vk0, "k-of-n:01", "quorum"},
        {"witness_policy", "w.alpha", "A", vk0, "all", "quorum"},
        {"witness_policy", "w.alpha", "A", vk0, "k-of-n:1x", "quorum"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[1024], msg[256] = "";
        snprintf(json, sizeof json, fmt1, cases[i].type, cases[i].name,
                 cases[i].party, cases[i].vkey, cases[i].quorum);
        sc_witness_policy pol;
        sc_status rc =
            sc_witness_policy_parse(&pol, json, strlen(json), msg, sizeof msg);
        if (cases[i].what == NULL) {
            assert_int_equal(rc, SC_OK);
            assert_int_equal(pol.k, 1);
            sc_witness_policy_clear(&pol);
        } else {
            assert_int_equal(rc, SC_E_INVALID);
            if (strstr(msg, cases[i].what) == NULL) {
                fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, msg,
                         cases[i].what);
            }
            assert_null(pol.w);
        }
    }
    /* two witnesses with one key */
    char json[2048], msg[256];
    snprintf(
        json, sizeof json,
        "{\"type\":\"witness_policy\",\"witnesses\":["
        "{\"name\":\"w.alpha\",\"party\":\"A\",\"vkey\":\"%s\",\"url\":\"u\"},"
        "{\"name\":\"w.alpha\",\"party\":\"B\",\"vkey\":\"%s\",\"url\":\"u\"}],"
        "\"quorum\":\"all-parties\"}",
        vk0, vk0);
    sc_witness_policy pol;
    assert_int_equal(
        sc_witness_policy_parse(&pol, json, strlen(json), msg, sizeof msg),
        SC_E_INVALID);
    assert_non_null(strstr(msg, "same name or key"));
    assert_int_equal(sc_witness_policy_parse(&pol, "{", 1, msg, sizeof msg),
                     SC_E_INVALID);
    assert_true(msg[0] != '\0');
}

static void add_checkpoint_bodies(void **state)
{
    fixture *f = *state;
    sc_note n;
    signed_cp(f, &n, 10, 0);
    char *cp;
    size_t cpl;
    assert_int_equal(sc_note_format(&n, &cp, &cpl), SC_OK);
    uint8_t proof[SC_TLOG_MAX_PROOF][32];
    size_t np;
    assert_int_equal(
        sc_tlog_consistency_proof(proof, &np, sc_tlog_mem_get, f->tree, 3, 10),
        SC_OK);
    char *body;
    size_t bl;
    assert_int_equal(sc_add_checkpoint_format(&body, &bl, 3,
                                              (const uint8_t(*)[32])proof, np,
                                              cp, cpl),
                     SC_OK);
    assert_true(strncmp(body, "old 3\n", 6) == 0);
    sc_add_checkpoint a;
    assert_int_equal(sc_add_checkpoint_parse(&a, body, bl), SC_OK);
    assert_true(a.old == 3);
    assert_int_equal(a.nproof, np);
    assert_memory_equal(a.proof, proof, 32 * np);
    assert_int_equal(a.signed_cp_len, cpl);
    assert_memory_equal(a.signed_cp, cp, cpl);
    sc_checkpoint c;
    assert_int_equal(
        sc_checkpoint_open(&c, NULL, a.signed_cp, a.signed_cp_len, &f->board),
        SC_OK);
    uint8_t r3[32];
    assert_int_equal(sc_tlog_root(r3, sc_tlog_mem_get, f->tree, 3), SC_OK);
    assert_int_equal(sc_tlog_consistency_verify(3, r3, c.size, c.root,
                                                (const uint8_t(*)[32])a.proof,
                                                a.nproof),
                     SC_OK);
    sc_add_checkpoint_clear(&a);
    free(body);
    /* 63 hashes parse, 64 do not */
    static uint8_t many[64][32];
    assert_int_equal(sc_add_checkpoint_format(&body, &bl, 0,
                                              (const uint8_t(*)[32])many, 63,
                                              cp, cpl),
                     SC_OK);
    assert_int_equal(sc_add_checkpoint_parse(&a, body, bl), SC_OK);
    assert_int_equal(a.nproof, 63);
    sc_add_checkpoint_clear(&a);
    free(body);
    assert_int_equal(sc_add_checkpoint_format(&body, &bl, 0,
                                              (const uint8_t(*)[32])many, 64,
                                              cp, cpl),
                     SC_E_RANGE);
    char *b64 = malloc(100 + 45 * 64 + cpl);
    size_t k = (size_t)sprintf(b64, "old 0\n");
    for (int i = 0; i < 64; i++) {
        k += (size_t)sprintf(b64 + k,
                             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    }
    b64[k++] = '\n';
    memcpy(b64 + k, cp, cpl);
    assert_int_equal(sc_add_checkpoint_parse(&a, b64, k + cpl), SC_E_INVALID);
    free(b64);
    static const char *const bad[] = {"",
                                      "old 1\n",
                                      "old 1\n\n",
                                      "old 01\n\nx",
                                      "old -1\n\nx",
                                      "old 1\nAAAA\n\nx",
                                      "olds 1\n\nx",
                                      "old 1 \n\nx",
                                      "old 18446744073709551616\n\nx"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sc_add_checkpoint_parse(&a, bad[i], strlen(bad[i])) == SC_OK) {
            fail_msg("bad body %zu accepted", i);
        }
    }
    uint64_t s;
    assert_int_equal(sc_tlog_size_body_parse(&s, "42\n", 3), SC_OK);
    assert_true(s == 42);
    assert_int_equal(sc_tlog_size_body_parse(&s, "42", 2), SC_E_INVALID);
    assert_int_equal(sc_tlog_size_body_parse(&s, "042\n", 4), SC_E_INVALID);
    assert_int_equal(sc_tlog_size_body_parse(&s, "\n", 1), SC_E_INVALID);
    free(cp);
    sc_note_clear(&n);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(receipt_round_trip),
        cmocka_unit_test(quorum_rules),
        cmocka_unit_test(policy_refusals),
        cmocka_unit_test(add_checkpoint_bodies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
