/* src/store/board_db: schema, entries, payloads, nodes, ballots and their
 * uniqueness, code prefixes, signers, checkpoints, cosignatures, a
 * read-only connection that sees commits, and SQLITE_FULL marking the
 * handle failed (nothing committed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/board_db.h"
#include "testlib.h"

static char path[256];

static void mkpath(void)
{
    snprintf(path, sizeof path, "/tmp/test_board_db.%d.db", (int)getpid());
    unlink(path);
    char w[300];
    snprintf(w, sizeof w, "%s-wal", path);
    unlink(w);
    snprintf(w, sizeof w, "%s-shm", path);
    unlink(w);
}

static sc_bdb *create(void)
{
    mkpath();
    sc_bdb *db = NULL;
    char err[256];
    assert_int_equal(sc_bdb_open(&db, path, SC_BDB_CREATE, err, sizeof err),
                     SC_OK);
    return db;
}

static void put_ballot(sc_bdb *db, uint8_t first, uint64_t idx,
                       const char *label)
{
    sc_bdb_ballot b = {.label = label, .idx = idx, .device = 1, .dseq = idx};
    memset(b.code, first, 32);
    b.code[31] = (uint8_t)idx;
    memset(b.id_b, (int)idx, 32);
    assert_int_equal(sc_bdb_ballot_put(db, &b), SC_OK);
}

static void test_rows(void **st)
{
    (void)st;
    sc_bdb *db = create();
    char err[256];
    sc_bdb *again = NULL;
    assert_int_equal(sc_bdb_open(&again, path, SC_BDB_CREATE, err, sizeof err),
                     SC_E_DUPLICATE);
    assert_int_equal(sc_bdb_begin(db), SC_OK);
    sc_bdb_entry e = {.idx = 0, .type = 4, .seq = 1};
    memset(e.entry, 7, sizeof e.entry);
    memset(e.signer, 1, 32);
    assert_int_equal(sc_bdb_entry_put(db, &e), SC_OK);
    e.idx = 1;
    assert_int_equal(sc_bdb_entry_put(db, &e), SC_E_DUPLICATE); /* seq */
    assert_int_equal(sc_bdb_payload_put(db, e.payload_sha256, "abc", 3), SC_OK);
    uint8_t h[32] = {9}, g[32];
    assert_int_equal(sc_bdb_node_put(db, 0, 0, h), SC_OK);
    put_ballot(db, 0xab, 1, "b1");
    put_ballot(db, 0xab, 2, "b2");
    put_ballot(db, 0xac, 3, "b3");
    const char *which = NULL;
    uint8_t code[32], idb[32];
    memset(code, 0xab, 32);
    code[31] = 1;
    memset(idb, 0x55, 32);
    assert_int_equal(sc_bdb_ballot_taken(db, code, idb, "new", &which),
                     SC_E_DUPLICATE);
    assert_string_equal(which, "confirmation code");
    code[31] = 0x77;
    memset(idb, 2, 32);
    assert_int_equal(sc_bdb_ballot_taken(db, code, idb, "new", &which),
                     SC_E_DUPLICATE);
    assert_string_equal(which, "selection_encryption_identifier");
    memset(idb, 0x55, 32);
    assert_int_equal(sc_bdb_ballot_taken(db, code, idb, "b3", &which),
                     SC_E_DUPLICATE);
    assert_string_equal(which, "ballot label");
    assert_int_equal(sc_bdb_ballot_taken(db, code, idb, "new", &which), SC_OK);
    assert_int_equal(sc_bdb_checkpoint_put(db, 1, h, "note\n"), SC_OK);
    assert_int_equal(sc_bdb_commit(db), SC_OK);

    /* A reader sees the commit. */
    sc_bdb *r = NULL;
    assert_int_equal(sc_bdb_open(&r, path, SC_BDB_READONLY, err, sizeof err),
                     SC_OK);
    uint64_t n = 0;
    assert_int_equal(sc_bdb_entry_count(r, &n), SC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sc_bdb_node_get(r, 0, 0, g), SC_OK);
    assert_memory_equal(g, h, 32);
    assert_int_equal(sc_bdb_node_get(r, 0, 1, g), SC_E_RANGE);
    uint8_t *body = NULL;
    size_t len = 0;
    assert_int_equal(sc_bdb_payload_get(r, e.payload_sha256, &body, &len),
                     SC_OK);
    assert_int_equal(len, 3);
    free(body);
    char *note = NULL;
    uint64_t size = 0;
    assert_int_equal(sc_bdb_checkpoint_latest(r, &size, g, &note), SC_OK);
    assert_int_equal(size, 1);
    assert_string_equal(note, "note\n");
    free(note);

    /* Code prefixes: "ab" has two, "abab" two, "ac" one, "a" three,
     * "abababababababababababababababababababababababababababababababab01"
     * exactly one. */
    uint8_t pre[32], codes[16][32];
    uint64_t idx[16];
    size_t got = 0;
    int more = 0;
    memset(pre, 0xab, 32);
    assert_int_equal(sc_bdb_codes(r, pre, 2, 16, codes, idx, &got, &more),
                     SC_OK);
    assert_int_equal(got, 2);
    assert_int_equal(more, 0);
    assert_int_equal(sc_bdb_codes(r, pre, 1, 16, codes, idx, &got, &more),
                     SC_OK);
    assert_int_equal(got, 3);
    assert_int_equal(sc_bdb_codes(r, pre, 1, 2, codes, idx, &got, &more),
                     SC_OK);
    assert_int_equal(got, 2);
    assert_int_equal(more, 1);
    pre[31] = 1;
    assert_int_equal(sc_bdb_codes(r, pre, 64, 16, codes, idx, &got, &more),
                     SC_OK);
    assert_int_equal(got, 1);
    assert_int_equal(idx[0], 1);
    memset(pre, 0xff, 32);
    assert_int_equal(sc_bdb_codes(r, pre, 2, 16, codes, idx, &got, &more),
                     SC_OK);
    assert_int_equal(got, 0);
    sc_bdb_close(r);

    /* Signers, witnesses, cosignatures. */
    sc_bdb_signer s = {.role = SC_ROLE_DEVICE, .device = 1, .chaining = 1};
    memset(s.pubkey, 3, 32);
    snprintf(s.name, sizeof s.name, "dev");
    assert_int_equal(sc_bdb_signer_put(db, &s), SC_OK);
    s.last_seq = 5;
    s.ballots = 4;
    assert_int_equal(sc_bdb_signer_put(db, &s), SC_OK);
    sc_bdb_signer s2;
    assert_int_equal(sc_bdb_signer_get(db, s.pubkey, &s2), SC_OK);
    assert_int_equal(s2.last_seq, 5);
    assert_int_equal(s2.ballots, 4);
    assert_string_equal(s2.name, "dev");
    uint32_t nd = 0;
    assert_int_equal(sc_bdb_device_count(db, &nd), SC_OK);
    assert_int_equal(nd, 1);
    uint64_t ws = 9;
    assert_int_equal(sc_bdb_witness_size(db, "w", &ws), SC_OK);
    assert_int_equal(ws, 0);
    assert_int_equal(sc_bdb_witness_size_put(db, "w", 4), SC_OK);
    assert_int_equal(sc_bdb_witness_size(db, "w", &ws), SC_OK);
    assert_int_equal(ws, 4);
    assert_int_equal(sc_bdb_cosig_put(db, 1, "w2", "— w2 BBBB\n"), SC_OK);
    assert_int_equal(sc_bdb_cosig_put(db, 1, "w1", "— w1 AAAA"), SC_OK);
    char *lines = NULL;
    assert_int_equal(sc_bdb_cosigs(db, 1, &lines), SC_OK);
    assert_string_equal(lines, "— w1 AAAA\n— w2 BBBB\n");
    free(lines);
    sc_bdb_close(db);
    unlink(path);
}

/* The per-signer index's reads (docs/BOARD.md §4.2.1): a signer's
 * entries by seq from a seq on, below a size, a page at a time; the nth
 * and the last entry of a type below a size. */
static void test_by_signer(void **st)
{
    (void)st;
    sc_bdb *db = create();
    assert_int_equal(sc_bdb_begin(db), SC_OK);
    /* 0 and 3: type 2 by signer 1; 1, 2, 4, 5, 6: type 4 by signer 2 */
    static const unsigned type[7] = {2, 4, 4, 2, 4, 4, 4};
    uint32_t seq1 = 0, seq2 = 0;
    for (uint64_t i = 0; i < 7; i++) {
        sc_bdb_entry e = {.idx = i, .type = type[i]};
        memset(e.signer, type[i] == 2 ? 1 : 2, 32);
        e.seq = type[i] == 2 ? ++seq1 : ++seq2;
        e.entry[0] = (uint8_t)i;
        assert_int_equal(sc_bdb_entry_put(db, &e), SC_OK);
    }
    assert_int_equal(sc_bdb_commit(db), SC_OK);
    uint8_t s2[32];
    memset(s2, 2, 32);
    sc_bdb_entry out[8];
    size_t n = 0;
    assert_int_equal(sc_bdb_entries_of_signer(db, s2, 1, 7, 8, out, &n), SC_OK);
    assert_int_equal(n, 5);
    assert_int_equal(out[0].idx, 1);
    assert_int_equal(out[4].idx, 6);
    assert_int_equal(out[4].seq, 5);
    /* from seq 3, a page of 2: entries 4 and 5 */
    assert_int_equal(sc_bdb_entries_of_signer(db, s2, 3, 7, 2, out, &n), SC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].idx, 4);
    assert_int_equal(out[1].idx, 5);
    /* below size 5: seq 1..3 only */
    assert_int_equal(sc_bdb_entries_of_signer(db, s2, 1, 5, 8, out, &n), SC_OK);
    assert_int_equal(n, 3);
    memset(s2, 3, 32);
    assert_int_equal(sc_bdb_entries_of_signer(db, s2, 1, 7, 8, out, &n), SC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(sc_bdb_entry_of_type(db, 2, 1, 7, out), SC_OK);
    assert_int_equal(out[0].idx, 3);
    assert_int_equal(sc_bdb_entry_of_type(db, 2, 1, 3, out), SC_E_RANGE);
    assert_int_equal(sc_bdb_entry_of_type(db, 2, UINT64_MAX, 7, out), SC_OK);
    assert_int_equal(out[0].idx, 3);
    assert_int_equal(sc_bdb_entry_of_type(db, 4, UINT64_MAX, 6, out), SC_OK);
    assert_int_equal(out[0].idx, 5);
    assert_int_equal(sc_bdb_entry_of_type(db, 3, UINT64_MAX, 7, out),
                     SC_E_RANGE);
    sc_bdb_close(db);
    unlink(path);
}

static void test_full(void **st)
{
    (void)st;
    sc_bdb *db = create();
    assert_int_equal(sc_bdb_limit_pages(db, 2), SC_OK);
    static uint8_t big[65536];
    sc_status rc = SC_OK;
    assert_int_equal(sc_bdb_begin(db), SC_OK);
    for (int i = 0; i < 64 && rc == SC_OK; i++) {
        uint8_t sha[32] = {(uint8_t)i};
        rc = sc_bdb_payload_put(db, sha, big, sizeof big);
    }
    assert_int_equal(rc, SC_E_IO);
    assert_true(sc_bdb_failed(db));
    sc_bdb_rollback(db);
    uint8_t *body = NULL;
    size_t len = 0;
    uint8_t sha0[32] = {0};
    assert_int_equal(sc_bdb_payload_get(db, sha0, &body, &len), SC_E_RANGE);
    sc_bdb_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_by_signer),
        cmocka_unit_test(test_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
