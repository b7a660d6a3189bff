/* The board's per-signer index answer (scrutin/signer_index.h,
 * docs/BOARD.md §4.2): a good answer verifies, and each check of
 * sc_signer_index_verify, broken on its own, fails at exactly that check
 * (its message says which); the parser refuses each malformed shape. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/core.h"
#include "scrutin/signer_index.h"

#define ORIGIN "scrutin.board/0123456789abcdef"
#define NENT 9
#define BAD_SIG_AT 8 /* the log of fx_bad has a bad signature there */

typedef struct fixture {
    sc_tlog_mem *tree;
    uint8_t raw[NENT][SC_ENTRY_BYTES];
    uint8_t board_sk[64], other_sk[64];
    sc_vkey board, other_board;
    uint8_t auth_pk[32], auth_sk[64];
    uint8_t dev_pk[32], dev_sk[64];
    uint8_t oth_pk[32], oth_sk[64];
    sc_witness_policy policy;
} fixture;

static void keypair(uint8_t pk[32], uint8_t sk[64], uint8_t tag)
{
    uint8_t seed[32];
    memset(seed, tag, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
}

/* The log: 0 election, 1 and 2 the two devices' registrations, then the
 * device's ballots (seq 1..4 at 3, 5, 7, 8) and the other's (4, 6). */
static void build_log(fixture *f, int bad_sig)
{
    static const struct {
        unsigned type;
        int who; /* 0 authority, 1 device, 2 other device */
        uint32_t seq;
    } plan[NENT] = {{SC_ENTRY_ELECTION, 0, 1}, {SC_ENTRY_DEVICE, 0, 2},
                    {SC_ENTRY_DEVICE, 0, 3},   {SC_ENTRY_BALLOT, 1, 1},
                    {SC_ENTRY_BALLOT, 2, 1},   {SC_ENTRY_BALLOT, 1, 2},
                    {SC_ENTRY_BALLOT, 2, 2},   {SC_ENTRY_BALLOT, 1, 3},
                    {SC_ENTRY_BALLOT, 1, 4}};
    const uint8_t *sks[3] = {f->auth_sk, f->dev_sk, f->oth_sk};
    assert_int_equal(sc_tlog_mem_new(&f->tree), SC_OK);
    for (int i = 0; i < NENT; i++) {
        sc_entry e;
        memset(&e, 0, sizeof e);
        e.version = SC_ENTRY_VERSION;
        e.type = (uint8_t)plan[i].type;
        e.index = (uint64_t)i;
        e.seq = plan[i].seq;
        e.payload_len = 10;
        crypto_hash_sha256(e.payload_sha256, (const uint8_t *)&i, sizeof i);
        assert_int_equal(sc_entry_sign(&e, ORIGIN, sks[plan[i].who]), SC_OK);
        if (bad_sig && i == BAD_SIG_AT) {
            e.sig[5] ^= 1;
        }
        sc_entry_encode(f->raw[i], &e);
        uint8_t leaf[32];
        sc_tlog_leaf_hash(leaf, f->raw[i], SC_ENTRY_BYTES);
        assert_int_equal(sc_tlog_mem_append(f->tree, leaf), SC_OK);
    }
}

static int setup_with(void **state, int bad_sig)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return -1;
    }
    uint8_t pk[32];
    keypair(pk, f->board_sk, 1);
    if (sc_vkey_make(&f->board, ORIGIN, SC_NOTE_ED25519, pk) != SC_OK) {
        return -1;
    }
    keypair(pk, f->other_sk, 9);
    if (sc_vkey_make(&f->other_board, ORIGIN, SC_NOTE_ED25519, pk) != SC_OK) {
        return -1;
    }
    keypair(f->auth_pk, f->auth_sk, 2);
    keypair(f->dev_pk, f->dev_sk, 3);
    keypair(f->oth_pk, f->oth_sk, 4);
    build_log(f, bad_sig);
    /* A one-witness policy that no checkpoint here meets. */
    sc_vkey w;
    keypair(pk, f->other_sk, 7);
    char vk[SC_VKEY_MAX], pj[1024];
    if (sc_vkey_make(&w, "w.alpha", SC_NOTE_COSIG, pk) != SC_OK ||
        sc_vkey_format(vk, sizeof vk, &w) != SC_OK) {
        return -1;
    }
    snprintf(pj, sizeof pj,
             "{\"type\":\"witness_policy\",\"witnesses\":[{\"name\":"
             "\"w.alpha\",\"party\":\"A\",\"vkey\":\"%s\",\"url\":"
             "\"http://127.0.0.1:1\"}],\"quorum\":\"k-of-n:1\"}",
             vk);
    if (sc_witness_policy_parse(&f->policy, pj, strlen(pj), NULL, 0) != SC_OK) {
        return -1;
    }
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_with(state, 0);
}
static int setup_bad(void **state)
{
    return setup_with(state, 1);
}

static int teardown(void **state)
{
    fixture *f = *state;
    sc_tlog_mem_free(f->tree);
    sc_witness_policy_clear(&f->policy);
    free(f);
    return 0;
}

/* Ways to build an answer (one change each). */
typedef struct spec {
    const uint8_t *signer; /* the key the answer names */
    uint32_t from;
    int items[8];
    int nitems;
    int reg; /* index of the registration, -1 for none */
    uint64_t size;
    int other_key;    /* checkpoint signed by another key */
    int listed_shift; /* the first item listed at index + 1 */
    int flip_proof;   /* one proof hash of the first item changed */
    int flip_reg;     /* one proof hash of the registration changed */
} spec;

static void item(fixture *f, char **p, size_t *left, int idx, uint64_t size,
                 int shift, int flip)
{
    uint8_t proof[SC_TLOG_MAX_PROOF][32];
    size_t n = 0;
    if ((uint64_t)idx < size) {
        assert_int_equal(sc_tlog_inclusion_proof(proof, &n, sc_tlog_mem_get,
                                                 f->tree, (uint64_t)idx, size),
                         SC_OK);
    }
    if (flip) {
        assert_true(n > 0);
        proof[0][0] ^= 1;
    }
    char eh[2 * SC_ENTRY_BYTES + 1], ph[2 * 32 * SC_TLOG_MAX_PROOF + 1];
    sc_hex_encode(eh, f->raw[idx], SC_ENTRY_BYTES);
    sc_hex_encode(ph, &proof[0][0], 32 * n);
    int k =
        snprintf(*p, *left, "{\"index\":%d,\"entry\":\"%s\",\"proof\":\"%s\"}",
                 idx + shift, eh, ph);
    *p += k;
    *left -= (size_t)k;
}

static char *answer(fixture *f, const spec *s)
{
    sc_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    strcpy(cp.origin, ORIGIN);
    cp.size = s->size;
    assert_int_equal(sc_tlog_root(cp.root, sc_tlog_mem_get, f->tree, s->size),
                     SC_OK);
    char text[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t tl;
    sc_note n;
    assert_int_equal(sc_checkpoint_format(text, sizeof text, &tl, &cp), SC_OK);
    assert_int_equal(sc_note_init(&n, text, tl), SC_OK);
    assert_int_equal(
        sc_note_sign(&n, ORIGIN, s->other_key ? f->other_sk : f->board_sk),
        SC_OK);
    char *note = NULL;
    size_t nl = 0;
    assert_int_equal(sc_note_format(&n, &note, &nl), SC_OK);
    sc_note_clear(&n);
    /* JSON string escape of the note: only '\n' needs it. */
    char esc[1024], *q = esc;
    for (size_t i = 0; i < nl; i++) {
        if (note[i] == '\n') {
            *q++ = '\\';
            *q++ = 'n';
        } else {
            *q++ = note[i];
        }
    }
    *q = '\0';
    free(note);
    size_t cap = 64000, left = cap;
    char *out = malloc(cap), *p = out, sg[65];
    sc_hex_encode(sg, s->signer, 32);
    int k = snprintf(p, left,
                     "{\"signer\":\"%s\",\"from\":%u,\"checkpoint\":\"%s\","
                     "\"truncated\":false,\"entries\":[",
                     sg, (unsigned)s->from, esc);
    p += k;
    left -= (size_t)k;
    for (int i = 0; i < s->nitems; i++) {
        if (i > 0) {
            *p++ = ',';
            left--;
        }
        item(f, &p, &left, s->items[i], s->size, i == 0 ? s->listed_shift : 0,
             i == 0 && s->flip_proof);
    }
    k = snprintf(p, left, "]");
    p += k;
    left -= (size_t)k;
    if (s->reg >= 0) {
        k = snprintf(p, left, ",\"registration\":");
        p += k;
        left -= (size_t)k;
        item(f, &p, &left, s->reg, s->size, 0, s->flip_reg);
    }
    snprintf(p, left, "}");
    return out;
}

static spec good(fixture *f)
{
    spec s = {.signer = f->dev_pk,
              .from = 1,
              .items = {3, 5, 7, 8},
              .nitems = 4,
              .reg = 1,
              .size = NENT};
    return s;
}

/* Parse and verify; the message must hold `want` (NULL: must pass). */
static void expect(fixture *f, const spec *s, const sc_witness_policy *pol,
                   const char *want)
{
    char *j = answer(f, s);
    sc_signer_index x;
    char msg[300] = "";
    assert_int_equal(sc_signer_index_parse(&x, j, strlen(j), msg, sizeof msg),
                     SC_OK);
    free(j);
    sc_sindex_view v;
    sc_status rc = sc_signer_index_verify(&x, f->dev_pk, 1, &f->board,
                                          f->auth_pk, pol, &v, msg, sizeof msg);
    if (want == NULL) {
        if (rc != SC_OK) {
            fail_msg("verify: %s", msg);
        }
        assert_int_equal(v.cp.size, NENT);
        assert_true(v.has_registration);
        assert_int_equal(v.reg.index, 1);
        assert_int_equal(x.n, 4);
    } else {
        assert_int_not_equal(rc, SC_OK);
        if (strstr(msg, want) == NULL) {
            fail_msg("wanted \"%s\", got \"%s\"", want, msg);
        }
    }
    sc_signer_index_clear(&x);
}

static void good_answer(void **state)
{
    fixture *f = *state;
    spec s = good(f);
    expect(f, &s, NULL, NULL);
    /* From the third entry on: entries 7 and 8 only. */
    s.from = 3;
    s.items[0] = 7;
    s.items[1] = 8;
    s.nitems = 2;
    char *j = answer(f, &s);
    sc_signer_index x;
    sc_sindex_view v;
    assert_int_equal(sc_signer_index_parse(&x, j, strlen(j), NULL, 0), SC_OK);
    assert_int_equal(sc_signer_index_verify(&x, f->dev_pk, 3, &f->board,
                                            f->auth_pk, NULL, &v, NULL, 0),
                     SC_OK);
    sc_signer_index_clear(&x);
    free(j);
}

/* Each check of sc_signer_index_verify, broken alone. */
static void each_check_fails(void **state)
{
    fixture *f = *state;
    spec s = good(f);
    s.other_key = 1;
    expect(f, &s, NULL, "not signed by the board key");
    s = good(f);
    expect(f, &s, &f->policy, "quorum is not met");
    s = good(f);
    s.signer = f->oth_pk;
    expect(f, &s, NULL, "another signer or sequence number");
    s = good(f);
    s.from = 2;
    expect(f, &s, NULL, "another signer or sequence number");
    s = good(f);
    s.listed_shift = 1;
    expect(f, &s, NULL, "listed at index 4, the entry says 3");
    s = good(f);
    s.size = 8; /* entry 8 is outside */
    expect(f, &s, NULL, "index 8 is outside the checkpoint of size 8");
    s = good(f);
    s.flip_proof = 1;
    expect(f, &s, NULL, "entry 0: the inclusion proof");
    s = good(f);
    s.items[1] = 4; /* the other device's ballot */
    expect(f, &s, NULL, "entry 1: another signer's entry");
    s = good(f);
    s.items[1] = 7; /* seq 2 left out */
    s.items[2] = 8;
    s.nitems = 3;
    expect(f, &s, NULL, "entry 1: sequence number 3, 2 expected");
    s = good(f);
    s.items[2] = 8; /* out of order */
    s.items[3] = 7;
    expect(f, &s, NULL, "entry 2: sequence number 4, 3 expected");
    s = good(f);
    s.reg = 0; /* the election entry */
    expect(f, &s, NULL, "not a device entry of the authority");
    s = good(f);
    s.reg = 3; /* a device entry would need the authority: a ballot */
    expect(f, &s, NULL, "not a device entry of the authority");
    s = good(f);
    s.flip_reg = 1;
    expect(f, &s, NULL, "registration: the inclusion proof");
}

/* A log whose entry 8 carries a bad signature (a board that committed
 * it): the answer's proofs are right, the signature check refuses it. */
static void bad_signature_in_log(void **state)
{
    fixture *f = *state;
    spec s = good(f);
    expect(f, &s, NULL, "entry 3: entry 8 is not signed by its signer");
}

static void parser_refusals(void **state)
{
    fixture *f = *state;
    spec s = good(f);
    char *j = answer(f, &s);
    sc_signer_index x;
    char msg[300];
    assert_int_equal(sc_signer_index_parse(&x, j, strlen(j), msg, sizeof msg),
                     SC_OK);
    sc_signer_index_clear(&x);
    static const struct {
        const char *from, *to;
    } cuts[] = {
        {"\"from\":1", "\"from\":0"},           /* from >= 1 */
        {"\"truncated\":false", "\"trunc\":0"}, /* field missing */
        {"\"signer\":\"", "\"signer\":\"0"},    /* 65 hex digits */
        {"\"entry\":\"", "\"entry\":\"ab"},     /* 374 hex digits */
        {"\"proof\":\"", "\"proof\":\"a"},      /* not 64 per hash */
        {"\"proof\":\"", "\"proof\":\"zz"},     /* length fixed below */
        {"\"registration\":{\"index\"", "\"registration\":{\"indx\""},
    };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        const char *at = strstr(j, cuts[i].from);
        assert_non_null(at);
        size_t pre = (size_t)(at - j), fl = strlen(cuts[i].from);
        char *t = malloc(strlen(j) + 64);
        memcpy(t, j, pre);
        strcpy(t + pre, cuts[i].to);
        strcat(t, at + fl);
        if (i == 5) { /* "zz" + the hash minus 2 digits: right length */
            char *z = strstr(t, "\"proof\":\"zz") + 11;
            memmove(z, z + 2, strlen(z + 2) + 1);
        }
        if (sc_signer_index_parse(&x, t, strlen(t), msg, sizeof msg) == SC_OK) {
            fail_msg("cut %zu accepted", i);
        }
        assert_null(x.items);
        assert_null(x.checkpoint);
        free(t);
    }
    free(j);
    /* More than a page of entries. */
    size_t cap = 16 * (SC_SINDEX_PAGE + 2) + 200;
    char *big = malloc(cap);
    size_t k =
        (size_t)snprintf(big, cap,
                         "{\"signer\":\"%064d\",\"from\":1,\"checkpoint\":\"\","
                         "\"truncated\":false,\"entries\":[",
                         0);
    for (int i = 0; i <= SC_SINDEX_PAGE; i++) {
        k += (size_t)snprintf(big + k, cap - k, "%s{}", i ? "," : "");
    }
    snprintf(big + k, cap - k, "]}");
    assert_int_equal(
        sc_signer_index_parse(&x, big, strlen(big), msg, sizeof msg),
        SC_E_INVALID);
    free(big);
    assert_int_equal(sc_signer_index_parse(&x, "[", 1, msg, sizeof msg),
                     SC_E_INVALID);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(good_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(each_check_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_signature_in_log, setup_bad,
                                        teardown),
        cmocka_unit_test_setup_teardown(parser_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
