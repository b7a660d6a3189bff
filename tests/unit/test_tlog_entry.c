/* Board log entries (docs/BOARD.md §3.1, §3.2): layout, round trip,
 * submit message, signatures; each field breaks verification. */
#include "testlib.h"

#include <string.h>

#include <sodium.h>

#include "scrutin/entry.h"
#include "scrutin/tlog.h"

#define ORIGIN "scrutin.board/0123456789abcdef"

static void sample(sc_entry *e)
{
    memset(e, 0, sizeof *e);
    e->version = 1;
    e->type = SC_ENTRY_BALLOT;
    e->index = 0x0102030405060708ull;
    e->time_ms = 0x1112131415161718ull;
    memset(e->payload_sha256, 0xaa, 32);
    e->payload_len = 0x21222324;
    memset(e->key, 0xbb, 32);
    memset(e->signer, 0xcc, 32);
    e->seq = 0x31323334;
    memset(e->sig, 0xdd, 64);
}

static void layout(void **state)
{
    (void)state;
    sc_entry e, d;
    sample(&e);
    uint8_t b[SC_ENTRY_BYTES];
    sc_entry_encode(b, &e);
    assert_int_equal(b[0], 1);
    assert_int_equal(b[1], 4);
    assert_int_equal(b[2], 0x01);
    assert_int_equal(b[9], 0x08);
    assert_int_equal(b[10], 0x11);
    assert_int_equal(b[17], 0x18);
    assert_int_equal(b[18], 0xaa);
    assert_int_equal(b[49], 0xaa);
    assert_int_equal(b[50], 0x21);
    assert_int_equal(b[53], 0x24);
    assert_int_equal(b[54], 0xbb);
    assert_int_equal(b[85], 0xbb);
    assert_int_equal(b[86], 0xcc);
    assert_int_equal(b[117], 0xcc);
    assert_int_equal(b[118], 0x31);
    assert_int_equal(b[121], 0x34);
    assert_int_equal(b[122], 0xdd);
    assert_int_equal(b[185], 0xdd);
    assert_int_equal(sc_entry_decode(&d, b, sizeof b), SC_OK);
    assert_memory_equal(&d.payload_sha256, &e.payload_sha256, 32);
    uint8_t b2[SC_ENTRY_BYTES];
    sc_entry_encode(b2, &d);
    assert_memory_equal(b, b2, sizeof b);
    assert_int_equal(sc_entry_decode(&d, b, sizeof b - 1), SC_E_INVALID_LENGTH);
    b[0] = 2;
    assert_int_equal(sc_entry_decode(&d, b, sizeof b), SC_E_INVALID);
    b[0] = 1;
    b[1] = 0;
    assert_int_equal(sc_entry_decode(&d, b, sizeof b), SC_E_INVALID);
    b[1] = 13;
    assert_int_equal(sc_entry_decode(&d, b, sizeof b), SC_E_INVALID);
    b[1] = 12;
    memset(b + 118, 0, 4);
    assert_int_equal(sc_entry_decode(&d, b, sizeof b), SC_E_INVALID);
}

static void types(void **state)
{
    (void)state;
    static const char *const names[] = {
        "election",     "device", "witness_policy", "ballot",
        "device_close", "tally",  "decryption",     "challenged",
        "close",        "result", "write_in_count", "write_in"};
    for (unsigned t = 1; t <= 12; t++) {
        assert_string_equal(sc_entry_type_name(t), names[t - 1]);
        assert_int_equal(sc_entry_type_from_name(names[t - 1]), t);
        assert_int_equal(sc_entry_type_by_authority(t), t != 4 && t != 5);
    }
    assert_null(sc_entry_type_name(0));
    assert_null(sc_entry_type_name(13));
    assert_int_equal(sc_entry_type_from_name("Ballot"), 0);
}

static void submit_message(void **state)
{
    (void)state;
    uint8_t msg[SC_ENTRY_MSG_MAX], ph[32], key[32];
    memset(ph, 0x11, 32);
    memset(key, 0x22, 32);
    size_t len;
    assert_int_equal(
        sc_entry_submit_msg(msg, &len, ORIGIN, 4, 0x01020304, ph, key), SC_OK);
    const char *head = "scrutin/board/v1/submit\n" ORIGIN "\n";
    size_t hl = strlen(head);
    assert_int_equal(len, hl + 1 + 4 + 32 + 32);
    assert_memory_equal(msg, head, hl);
    assert_int_equal(msg[hl], 4);
    assert_int_equal(msg[hl + 1], 1);
    assert_int_equal(msg[hl + 4], 4);
    assert_int_equal(msg[hl + 5], 0x11);
    assert_int_equal(msg[hl + 37], 0x22);
    assert_int_equal(sc_entry_submit_msg(msg, &len, "", 4, 1, ph, key),
                     SC_E_INVALID);
    assert_int_equal(sc_entry_submit_msg(msg, &len, "a\nb", 4, 1, ph, key),
                     SC_E_INVALID);
    char longo[300];
    memset(longo, 'a', 299);
    longo[299] = 0;
    assert_int_equal(sc_entry_submit_msg(msg, &len, longo, 4, 1, ph, key),
                     SC_E_INVALID);
}

static void sign_verify(void **state)
{
    (void)state;
    uint8_t pk[32], sk[64], seed[32];
    memset(seed, 7, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    sc_entry e;
    sample(&e);
    assert_int_equal(sc_entry_sign(&e, ORIGIN, sk), SC_OK);
    assert_memory_equal(e.signer, pk, 32);
    assert_int_equal(sc_entry_verify(&e, ORIGIN), SC_OK);
    /* index, time_ms and payload_len are the board's, not signed */
    e.index++;
    e.time_ms++;
    e.payload_len++;
    assert_int_equal(sc_entry_verify(&e, ORIGIN), SC_OK);
    assert_int_equal(sc_entry_verify(&e, ORIGIN "x"), SC_E_VERIFY);
    sc_entry t = e;
    t.type = SC_ENTRY_DEVICE_CLOSE;
    assert_int_equal(sc_entry_verify(&t, ORIGIN), SC_E_VERIFY);
    t = e;
    t.seq++;
    assert_int_equal(sc_entry_verify(&t, ORIGIN), SC_E_VERIFY);
    for (int i = 0; i < 32; i++) {
        t = e;
        t.payload_sha256[i] ^= 1;
        assert_int_equal(sc_entry_verify(&t, ORIGIN), SC_E_VERIFY);
        t = e;
        t.key[i] ^= 1;
        assert_int_equal(sc_entry_verify(&t, ORIGIN), SC_E_VERIFY);
        t = e;
        t.signer[i] ^= 1;
        assert_int_equal(sc_entry_verify(&t, ORIGIN), SC_E_VERIFY);
    }
    for (int i = 0; i < 64; i++) {
        t = e;
        t.sig[i] ^= 1;
        assert_int_equal(sc_entry_verify(&t, ORIGIN), SC_E_VERIFY);
    }
    /* leaf hash = SHA-256(0x00 || encoding) */
    uint8_t b[1 + SC_ENTRY_BYTES], h1[32], h2[32];
    b[0] = 0;
    sc_entry_encode(b + 1, &e);
    crypto_hash_sha256(h1, b, sizeof b);
    sc_entry_leaf_hash(h2, &e);
    assert_memory_equal(h1, h2, 32);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout),
        cmocka_unit_test(types),
        cmocka_unit_test(submit_message),
        cmocka_unit_test(sign_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
