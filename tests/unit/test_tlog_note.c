/* Signed notes, vkeys, checkpoints, cosignatures (C2SP signed-note,
 * tlog-checkpoint, tlog-cosignature): the signed-note vector of
 * DESIGN_NOTES §2.3, a cosignature known answer computed with an
 * independent Ed25519 (Python cryptography / OpenSSL), the structure of
 * the C2SP tlog-cosignature example line, round trips and refusals. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/tlog.h"

#define EX_VKEY                                                                \
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
#define EX_TEXT "This is an example message.\n"
#define EX_SIG                                                                 \
    "\xe2\x80\x94 example.com/foo "                                            \
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFX"  \
    "mRKuwHjG1Yu72IneyaQM=\n"

/* Independent known answer (Python cryptography): seed 00 01 .. 1f. */
#define W_NAME "witness.example/w1"
#define W_VKEY                                                                 \
    "witness.example/w1+e75f6532+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
#define SOFA_CP                                                                \
    "example.com/behind-the-sofa\n20852163\n"                                  \
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
#define SOFA_TIME 1679315147ull
#define W_LINE                                                                 \
    "\xe2\x80\x94 witness.example/w1 "                                         \
    "519lMgAAAABkGFDLBuRDazBLVac2NE+Y+IjbjQOcXLfF9CSDZVUIoS83rE1nFZsVE8YiWV6N" \
    "gr7lV8H6bdoBQGP/l73euDMQ9k+bBQ==\n"

static void seed_key(uint8_t pk[32], uint8_t sk[64], uint8_t first)
{
    uint8_t seed[32];
    for (int i = 0; i < 32; i++) {
        seed[i] = (uint8_t)(first + i);
    }
    crypto_sign_seed_keypair(pk, sk, seed);
}

static void signed_note_vector(void **state)
{
    (void)state;
    sc_vkey k;
    assert_int_equal(sc_vkey_parse(&k, EX_VKEY, strlen(EX_VKEY)), SC_OK);
    assert_string_equal(k.name, "example.com/foo");
    assert_int_equal(k.key_id, 0x530d903a);
    assert_int_equal(k.type, SC_NOTE_ED25519);
    char buf[SC_VKEY_MAX];
    assert_int_equal(sc_vkey_format(buf, sizeof buf, &k), SC_OK);
    assert_string_equal(buf, EX_VKEY);
    const char *msg = EX_TEXT "\n" EX_SIG;
    sc_note n;
    assert_int_equal(sc_note_parse(&n, msg, strlen(msg)), SC_OK);
    assert_int_equal(n.text_len, strlen(EX_TEXT));
    assert_int_equal(n.nsigs, 1);
    size_t nv;
    assert_int_equal(sc_note_verify(&n, &k, 1, &nv), SC_OK);
    assert_int_equal(nv, 1);
    char *out;
    size_t olen;
    assert_int_equal(sc_note_format(&n, &out, &olen), SC_OK);
    assert_int_equal(olen, strlen(msg));
    assert_string_equal(out, msg);
    free(out);
    /* one bit of the signature or of the text */
    n.sigs[0].sig[5] ^= 1;
    assert_int_equal(sc_note_verify(&n, &k, 1, NULL), SC_E_VERIFY);
    n.sigs[0].sig[5] ^= 1;
    n.text[0] = 't';
    assert_int_equal(sc_note_verify(&n, &k, 1, NULL), SC_E_VERIFY);
    sc_note_clear(&n);
    /* a key id that does not match the key */
    char bad[] = EX_VKEY;
    bad[16] = '6';
    assert_int_equal(sc_vkey_parse(&k, bad, strlen(bad)), SC_E_VERIFY);
}

static void vkeys(void **state)
{
    (void)state;
    sc_vkey k;
    /* the base64 holds '+': split at the first two only */
    assert_int_equal(sc_vkey_parse(&k, W_VKEY, strlen(W_VKEY)), SC_OK);
    assert_int_equal(k.type, SC_NOTE_COSIG);
    assert_int_equal(k.key_id, 0xe75f6532);
    uint8_t pk[32], sk[64];
    seed_key(pk, sk, 0);
    assert_memory_equal(k.pub, pk, 32);
    char buf[SC_VKEY_MAX];
    assert_int_equal(sc_vkey_format(buf, sizeof buf, &k), SC_OK);
    assert_string_equal(buf, W_VKEY);
    assert_int_equal(sc_vkey_format(buf, 20, &k), SC_E_RANGE);
    static const char *const badk[] = {
        "",
        "noplus",
        "a+530d903a",
        "a b+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",
        "example.com/"
        "foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k=",
        "example.com/foo+530d903a+BekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    };
    for (size_t i = 0; i < sizeof badk / sizeof badk[0]; i++) {
        assert_int_not_equal(sc_vkey_parse(&k, badk[i], strlen(badk[i])),
                             SC_OK);
    }
    assert_int_equal(sc_vkey_make(&k, "a+b", SC_NOTE_ED25519, pk),
                     SC_E_INVALID);
    assert_int_equal(sc_vkey_make(&k, "ab", 0x02, pk), SC_E_INVALID);
}

static void note_rules(void **state)
{
    (void)state;
    uint8_t pa[32], sa[64], pb[32], sb[64];
    seed_key(pa, sa, 1);
    seed_key(pb, sb, 2);
    sc_vkey ka, kb;
    assert_int_equal(sc_vkey_make(&ka, "log.a", SC_NOTE_ED25519, pa), SC_OK);
    assert_int_equal(sc_vkey_make(&kb, "log.b", SC_NOTE_ED25519, pb), SC_OK);
    sc_note n;
    assert_int_equal(sc_note_init(&n, "hello\nworld\n", 12), SC_OK);
    assert_int_equal(sc_note_sign(&n, "log.a", sa), SC_OK);
    assert_int_equal(sc_note_sign(&n, "log.b", sb), SC_OK);
    /* unknown keys are ignored; known must verify */
    assert_int_equal(sc_note_verify(&n, &ka, 1, NULL), SC_OK);
    assert_int_equal(sc_note_verify(&n, &kb, 1, NULL), SC_OK);
    sc_vkey both[2] = {ka, kb};
    size_t nv;
    assert_int_equal(sc_note_verify(&n, both, 2, &nv), SC_OK);
    assert_int_equal(nv, 2);
    sc_vkey kc;
    assert_int_equal(sc_vkey_make(&kc, "log.c", SC_NOTE_ED25519, pa), SC_OK);
    assert_int_equal(sc_note_verify(&n, &kc, 1, NULL), SC_E_VERIFY);
    /* a known key whose signature fails rejects the note */
    n.sigs[1].sig[0] ^= 1;
    assert_int_equal(sc_note_verify(&n, both, 2, NULL), SC_E_VERIFY);
    assert_int_equal(sc_note_verify(&n, &ka, 1, NULL), SC_OK);
    n.sigs[1].sig[0] ^= 1;
    /* at least 16 signatures: 20 unknown ones before the known one */
    sc_note m;
    assert_int_equal(sc_note_init(&m, "x\n", 2), SC_OK);
    for (int i = 0; i < 20; i++) {
        uint8_t p[32], s[64];
        char name[16];
        seed_key(p, s, (uint8_t)(10 + i));
        snprintf(name, sizeof name, "other%d", i);
        assert_int_equal(sc_note_sign(&m, name, s), SC_OK);
    }
    assert_int_equal(sc_note_sign(&m, "log.a", sa), SC_OK);
    char *txt;
    size_t tl;
    assert_int_equal(sc_note_format(&m, &txt, &tl), SC_OK);
    sc_note_clear(&m);
    assert_int_equal(sc_note_parse(&m, txt, tl), SC_OK);
    assert_int_equal(m.nsigs, 21);
    assert_int_equal(sc_note_verify(&m, &ka, 1, NULL), SC_OK);
    free(txt);
    while (m.nsigs < SC_NOTE_MAX_SIGS) {
        assert_int_equal(sc_note_sign(&m, "log.b", sb), SC_OK);
    }
    assert_int_equal(sc_note_sign(&m, "log.b", sb), SC_E_RANGE);
    /* SC_NOTE_MAX_SIGS parse; one more does not */
    assert_int_equal(sc_note_format(&m, &txt, &tl), SC_OK);
    sc_note r;
    assert_int_equal(sc_note_parse(&r, txt, tl), SC_OK);
    sc_note_clear(&r);
    char *more = malloc(tl + 200);
    memcpy(more, txt, tl);
    const char *last = strrchr(txt, '\n');
    (void)last;
    const char *l2 = txt + tl - 1;
    while (l2 > txt && l2[-1] != '\n') {
        l2--;
    }
    memcpy(more + tl, l2, (size_t)(txt + tl - l2));
    assert_int_equal(sc_note_parse(&r, more, tl + (size_t)(txt + tl - l2)),
                     SC_E_INVALID);
    free(more);
    free(txt);
    sc_note_clear(&m);
    sc_note_clear(&n);
}

static void note_refusals(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "text\n",
        "text\n\n",
        "text\n\n\n",
        "text\n\n" EX_SIG "junk",
        "text\n\n" EX_SIG "junk\n",
        "text\n\n- example.com/foo AAAAAAAA\n",
        "text\n\n\xe2\x80\x94 example.com/foo AAAA\n",
        "text\n\n\xe2\x80\x94 example.com/foo AAAAAA==\n",
        "text\n\n\xe2\x80\x94 exa mple AAAAAAAA\n",
        "text\n\n\xe2\x80\x94 a+b AAAAAAAA\n",
        "text\n\n\xe2\x80\x94  AAAAAAAA\n",
        "text\n\n\xe2\x80\x94 example.com/foo AAAAAAAA \n",
        "te\txt\n\n" EX_SIG,
        "te\rxt\n\n" EX_SIG,
        "te\x7fxt\n\n" EX_SIG,
        "te\xc0\xafxt\n\n" EX_SIG,
        "te\xed\xa0\x80xt\n\n" EX_SIG,
        "te\xffxt\n\n" EX_SIG,
        "text\n\n" EX_SIG "\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sc_note n;
        if (sc_note_parse(&n, bad[i], strlen(bad[i])) != SC_E_INVALID) {
            fail_msg("bad note %zu accepted", i);
        }
        assert_null(n.text);
    }
    /* a NUL byte is a control character */
    const char nul[] = "te\0xt\n\n" EX_SIG;
    sc_note n;
    assert_int_equal(sc_note_parse(&n, nul, sizeof nul - 1), SC_E_INVALID);
    /* UTF-8 text is fine; a blank line inside the text too */
    const char *ok = "caf\xc3\xa9 \xe2\x82\xac\n\nmore\n\n" EX_SIG;
    assert_int_equal(sc_note_parse(&n, ok, strlen(ok)), SC_OK);
    assert_int_equal(n.text_len, strlen("caf\xc3\xa9 \xe2\x82\xac\n\nmore\n"));
    sc_note_clear(&n);
    assert_int_equal(sc_note_init(&n, "no newline", 10), SC_E_INVALID);
}

static void base64_strict(void **state)
{
    (void)state;
    uint8_t out[64];
    size_t n;
    static const char *const bad[] = {
        "QUJD\xff",
        "QU\xff"
        "D",
        "QUJ\x90",
        "QU=D",
        "Q===",
        "QUI",
        "QUI==",
        "QUJ=",
        "QR==",
        " QUJD",
        "QUJD\n",
        "QU-D",
        "QU_D",
        "====",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sc_b64_decode(out, sizeof out, &n, bad[i], strlen(bad[i])) !=
            SC_E_INVALID) {
            fail_msg("base64 %zu accepted", i);
        }
    }
    /* any byte outside the alphabet, in every position of a group that
     * is not the last one (libsodium 1.0.18 reads some bytes >= 0x80 as
     * '/'; found by fuzz_tlog_note) */
    for (int pos = 0; pos < 4; pos++) {
        for (int c = 1; c <= 0xff; c++) {
            char g[9] = "QUJDQUJD";
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                (c >= '0' && c <= '9') || c == '+' || c == '/') {
                continue;
            }
            g[pos] = (char)c;
            if (sc_b64_decode(out, sizeof out, &n, g, 8) != SC_E_INVALID) {
                fail_msg("byte %02x at %d accepted", c, pos);
            }
        }
    }
    assert_int_equal(sc_b64_decode(out, sizeof out, &n, "QUJD", 4), SC_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "ABC", 3);
    assert_int_equal(sc_b64_decode(out, sizeof out, &n, "QQ==", 4), SC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sc_b64_decode(out, sizeof out, &n, "", 0), SC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(sc_b64_decode(out, 2, &n, "QUJD", 4), SC_E_RANGE);
}

static void checkpoints(void **state)
{
    (void)state;
    sc_checkpoint cp;
    assert_int_equal(sc_checkpoint_parse(&cp, SOFA_CP, strlen(SOFA_CP)), SC_OK);
    assert_string_equal(cp.origin, "example.com/behind-the-sofa");
    assert_true(cp.size == 20852163);
    char buf[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t len;
    assert_int_equal(sc_checkpoint_format(buf, sizeof buf, &len, &cp), SC_OK);
    assert_string_equal(buf, SOFA_CP);
    assert_int_equal(len, strlen(SOFA_CP));
    cp.size = UINT64_MAX;
    memset(cp.origin, 'o', SC_TLOG_NAME_MAX);
    cp.origin[SC_TLOG_NAME_MAX] = 0;
    assert_int_equal(sc_checkpoint_format(buf, sizeof buf, &len, &cp), SC_OK);
    sc_checkpoint cp2;
    assert_int_equal(sc_checkpoint_parse(&cp2, buf, len), SC_OK);
    assert_true(cp2.size == UINT64_MAX);
    static const char *const bad[] = {
        "",
        "o\n1\n",
        "o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/"
        "Xajj7h2fB2MPA3j2jxq2I=\n",
        "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=AAAA\n",
        "o\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sc_checkpoint_parse(&cp, bad[i], strlen(bad[i])),
                         SC_E_INVALID);
    }
    /* open: signature by the log key named as the origin */
    uint8_t pk[32], sk[64];
    seed_key(pk, sk, 3);
    sc_vkey log;
    assert_int_equal(
        sc_vkey_make(&log, "example.com/behind-the-sofa", SC_NOTE_ED25519, pk),
        SC_OK);
    sc_note n;
    assert_int_equal(sc_note_init(&n, SOFA_CP, strlen(SOFA_CP)), SC_OK);
    assert_int_equal(sc_note_sign(&n, log.name, sk), SC_OK);
    char *txt;
    size_t tl;
    assert_int_equal(sc_note_format(&n, &txt, &tl), SC_OK);
    sc_note got;
    assert_int_equal(sc_checkpoint_open(&cp, &got, txt, tl, &log), SC_OK);
    assert_true(cp.size == 20852163);
    sc_note_clear(&got);
    sc_vkey other;
    assert_int_equal(sc_vkey_make(&other, "other.log", SC_NOTE_ED25519, pk),
                     SC_OK);
    assert_int_equal(sc_checkpoint_open(&cp, NULL, txt, tl, &other),
                     SC_E_VERIFY);
    free(txt);
    sc_note_clear(&n);
    /* signed under a name that is not the origin */
    assert_int_equal(sc_note_init(&n, SOFA_CP, strlen(SOFA_CP)), SC_OK);
    assert_int_equal(sc_note_sign(&n, "other.log", sk), SC_OK);
    assert_int_equal(sc_note_format(&n, &txt, &tl), SC_OK);
    assert_int_equal(sc_checkpoint_open(&cp, NULL, txt, tl, &other),
                     SC_E_VERIFY);
    free(txt);
    sc_note_clear(&n);
}

static void cosignatures(void **state)
{
    (void)state;
    /* the signed message */
    uint8_t *msg;
    size_t mlen;
    assert_int_equal(
        sc_cosig_message(&msg, &mlen, SOFA_TIME, SOFA_CP, strlen(SOFA_CP)),
        SC_OK);
    const char *want = "cosignature/v1\ntime 1679315147\n" SOFA_CP;
    assert_int_equal(mlen, strlen(want));
    assert_memory_equal(msg, want, mlen);
    uint8_t h[32];
    crypto_hash_sha256(h, msg, mlen);
    t_assert_digest(
        h, "E5DA61FC426054B9B299196251831BA990FB808990E4E3C3E63BD2140E3989CD");
    free(msg);
    /* the known-answer cosignature line (key id with 0x04, u64 BE time) */
    uint8_t pk[32], sk[64];
    seed_key(pk, sk, 0);
    assert_int_equal(sc_note_key_id(W_NAME, SC_NOTE_COSIG, pk), 0xe75f6532);
    assert_int_not_equal(sc_note_key_id(W_NAME, SC_NOTE_ED25519, pk),
                         0xe75f6532);
    sc_note n;
    assert_int_equal(sc_note_init(&n, SOFA_CP, strlen(SOFA_CP)), SC_OK);
    assert_int_equal(sc_cosig_sign(&n, W_NAME, sk, SOFA_TIME), SC_OK);
    char *txt;
    size_t tl;
    assert_int_equal(sc_note_format(&n, &txt, &tl), SC_OK);
    assert_string_equal(txt, SOFA_CP "\n" W_LINE);
    sc_vkey w;
    assert_int_equal(sc_vkey_parse(&w, W_VKEY, strlen(W_VKEY)), SC_OK);
    sc_note r;
    assert_int_equal(sc_note_parse(&r, txt, tl), SC_OK);
    uint64_t t = 0;
    assert_int_equal(sc_cosig_verify(&r, &w, &t), SC_OK);
    assert_true(t == SOFA_TIME);
    /* the time is signed */
    r.sigs[0].sig[7] ^= 1;
    assert_int_equal(sc_cosig_verify(&r, &w, NULL), SC_E_VERIFY);
    r.sigs[0].sig[7] ^= 1;
    r.text[r.text_len - 2] ^= 1;
    assert_int_equal(sc_cosig_verify(&r, &w, NULL), SC_E_VERIFY);
    sc_note_clear(&r);
    /* a cosignature is not a note signature (type 0x01 key id) */
    sc_vkey as_note;
    assert_int_equal(sc_vkey_make(&as_note, W_NAME, SC_NOTE_ED25519, pk),
                     SC_OK);
    assert_int_equal(sc_note_verify(&n, &as_note, 1, NULL), SC_E_VERIFY);
    assert_int_equal(sc_cosig_verify(&n, &as_note, NULL), SC_E_VERIFY);
    assert_int_equal(sc_cosig_sign(&n, W_NAME, sk, 0), SC_E_INVALID);
    free(txt);
    sc_note_clear(&n);
    /* the C2SP example line: key id, then the u64 BE time 1679315147 */
    const char *ex = SOFA_CP "\n\xe2\x80\x94 witness.example.com/w1 "
                             "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/"
                             "zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZ"
                             "qhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
    assert_int_equal(sc_note_parse(&r, ex, strlen(ex)), SC_OK);
    assert_int_equal(r.sigs[0].key_id, 0x8d66cf3f);
    assert_int_equal(r.sigs[0].sig_len, 72);
    uint64_t et = 0;
    for (int i = 0; i < 8; i++) {
        et = (et << 8) | r.sigs[0].sig[i];
    }
    assert_true(et == SOFA_TIME);
    sc_note_clear(&r);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signed_note_vector), cmocka_unit_test(vkeys),
        cmocka_unit_test(note_rules),         cmocka_unit_test(note_refusals),
        cmocka_unit_test(checkpoints),        cmocka_unit_test(cosignatures),
        cmocka_unit_test(base64_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
