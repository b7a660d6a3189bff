/* The witness's decision table without HTTP (src/witness/witness.c over
 * src/store/witness_db.c): each rule of C2SP tlog-witness broken on its
 * own gives its status, a refusal leaves the state as it was, evidence is
 * kept exactly for the refusals that are evidence, and the cosignature
 * verifies. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "scrutin/tlog.h"
#include "store/witness_db.h"
#include "witness/witness.h"

#define ORIGIN "scrutin.board/0123456789abcdef"

typedef struct fx {
    char dir[64], db[96];
    sc_tlog_mem *t[2]; /* tree A and its fork B (from leaf 3) */
    uint8_t bsk[64], wsk[64];
    sc_vkey board, wkey;
    sc_witness *w;
    sc_wdb *db_h;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/scrutin_wtest_XXXXXX");
    if (f == NULL || mkdtemp(f->dir) == NULL) {
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/w.db", f->dir);
    uint8_t seed[32], pk[32];
    memset(seed, 1, 32);
    crypto_sign_seed_keypair(pk, f->bsk, seed);
    if (sc_vkey_make(&f->board, ORIGIN, SC_NOTE_ED25519, pk) != SC_OK) {
        return -1;
    }
    memset(seed, 2, 32);
    crypto_sign_seed_keypair(pk, f->wsk, seed);
    if (sc_vkey_make(&f->wkey, "w.test", SC_NOTE_COSIG, pk) != SC_OK) {
        return -1;
    }
    for (int t = 0; t < 2; t++) {
        if (sc_tlog_mem_new(&f->t[t]) != SC_OK) {
            return -1;
        }
        for (int i = 0; i < 40; i++) {
            uint8_t d[2] = {(uint8_t)(i < 3 ? 0 : t), (uint8_t)i}, l[32];
            sc_tlog_leaf_hash(l, d, 2);
            if (sc_tlog_mem_append(f->t[t], l) != SC_OK) {
                return -1;
            }
        }
    }
    char vk[SC_VKEY_MAX];
    if (sc_wdb_open(&f->db_h, f->db) != SC_OK ||
        sc_vkey_format(vk, sizeof vk, &f->board) != SC_OK ||
        sc_wdb_add_log(f->db_h, ORIGIN, vk) != SC_OK ||
        sc_wdb_add_log(f->db_h, ORIGIN, vk) != SC_E_DUPLICATE ||
        sc_witness_new(&f->w, f->db, "w.test", f->wsk) != SC_OK) {
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sc_witness_free(f->w);
    sc_wdb_close(f->db_h);
    for (int t = 0; t < 2; t++) {
        sc_tlog_mem_free(f->t[t]);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0) {
        return -1;
    }
    free(f);
    return 0;
}

enum { PLAIN = 0, FORK = 1, BADSIG = 2, EMPTYROOT = 4, EXTRA_HASH = 8 };

/* POST an add-checkpoint for tree (flags & FORK) at size from old. */
static unsigned post(fx *f, uint64_t size, uint64_t old, int flags,
                     sc_witness_answer *a)
{
    int t = flags & FORK;
    uint8_t proof[SC_TLOG_MAX_PROOF + 1][32];
    size_t np = 0;
    if (old > 0 && old < size) {
        assert_int_equal(sc_tlog_consistency_proof(proof, &np, sc_tlog_mem_get,
                                                   f->t[t], old, size),
                         SC_OK);
    }
    if (flags & EXTRA_HASH) {
        memset(proof[np++], 7, 32);
    }
    sc_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    strcpy(cp.origin, ORIGIN);
    cp.size = size;
    assert_int_equal(sc_tlog_root(cp.root, sc_tlog_mem_get, f->t[t], size),
                     SC_OK);
    if (flags & EMPTYROOT) {
        cp.root[0] ^= 1;
    }
    char text[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t len;
    sc_note n;
    assert_int_equal(sc_checkpoint_format(text, sizeof text, &len, &cp), SC_OK);
    assert_int_equal(sc_note_init(&n, text, len), SC_OK);
    assert_int_equal(sc_note_sign(&n, ORIGIN, f->bsk), SC_OK);
    if (flags & BADSIG) {
        n.sigs[0].sig[9] ^= 1;
    }
    char *note, *body;
    assert_int_equal(sc_note_format(&n, &note, &len), SC_OK);
    assert_int_equal(sc_add_checkpoint_format(&body, &len, old,
                                              (const uint8_t(*)[32])proof, np,
                                              note, strlen(note)),
                     SC_OK);
    sc_witness_add_checkpoint(f->w, body, len, a);
    if (a->status == 200) {
        /* the line verifies on the checkpoint */
        size_t nl = strlen(note);
        char *all = malloc(nl + a->len + 1);
        memcpy(all, note, nl);
        memcpy(all + nl, a->body, a->len);
        sc_note r;
        assert_int_equal(sc_note_parse(&r, all, nl + a->len), SC_OK);
        assert_int_equal(sc_cosig_verify(&r, &f->wkey, NULL), SC_OK);
        sc_note_clear(&r);
        free(all);
    }
    free(note);
    free(body);
    sc_note_clear(&n);
    return a->status;
}

static unsigned st(fx *f, uint64_t size, uint64_t old, int flags)
{
    sc_witness_answer a;
    unsigned s = post(f, size, old, flags, &a);
    free(a.body);
    return s;
}

static void count_ev(void *ctx, const sc_wdb_evidence *e)
{
    (void)e;
    (*(int *)ctx)++;
}

static int evidence(fx *f)
{
    int n = 0;
    assert_int_equal(sc_wdb_each_evidence(f->db_h, count_ev, &n), SC_OK);
    return n;
}

static uint64_t size_now(fx *f)
{
    sc_wdb_log l;
    assert_int_equal(sc_wdb_get_log(f->db_h, ORIGIN, &l), SC_OK);
    uint64_t s = l.size;
    sc_wdb_log_clear(&l);
    return s;
}

static void rules(void **state)
{
    fx *f = *state;
    /* size 0 must carry the empty root */
    assert_int_equal(st(f, 0, 0, EMPTYROOT), 422);
    assert_int_equal(evidence(f), 1);
    assert_int_equal(st(f, 0, 0, PLAIN), 200);
    assert_int_equal(st(f, 4, 0, EXTRA_HASH), 422); /* old 0 with a proof */
    assert_int_equal(st(f, 4, 0, BADSIG), 403);
    assert_int_equal(evidence(f), 2);
    assert_int_equal(st(f, 4, 0, PLAIN), 200);
    assert_true(size_now(f) == 4);
    sc_witness_answer a;
    assert_int_equal(post(f, 9, 2, PLAIN, &a), 409);
    assert_string_equal(a.ctype, "text/x.tlog.size");
    assert_int_equal(a.len, 2);
    assert_memory_equal(a.body, "4\n", 2);
    free(a.body);
    assert_int_equal(evidence(f), 2); /* catching up is not evidence */
    assert_int_equal(st(f, 9, 4, FORK), 422);
    assert_int_equal(st(f, 9, 4, EXTRA_HASH), 422);
    assert_int_equal(st(f, 4, 4, FORK), 422);
    assert_int_equal(st(f, 4, 4, EXTRA_HASH), 422);
    assert_int_equal(evidence(f), 6);
    assert_true(size_now(f) == 4);
    assert_int_equal(st(f, 3, 4, PLAIN), 400); /* old > size */
    assert_int_equal(st(f, 3, 3, PLAIN), 409); /* rollback */
    assert_int_equal(evidence(f), 7);
    assert_int_equal(st(f, 4, 4, PLAIN), 200);
    assert_int_equal(st(f, 9, 4, PLAIN), 200);
    assert_int_equal(st(f, 30, 9, PLAIN), 200);
    assert_true(size_now(f) == 30);
    assert_int_equal(st(f, 30, 30, FORK), 422);
    assert_int_equal(st(f, 30, 9, FORK), 409); /* equivocation via 409 */
    assert_int_equal(evidence(f), 9);
    /* malformed and unknown */
    sc_witness_add_checkpoint(f->w, "old 1\n\n", 7, &a);
    assert_int_equal(a.status, 400);
    free(a.body);
    const char *unk = "old 0\n\nother.log\n1\n"
                      "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n"
                      "\xe2\x80\x94 other.log AAAAAAAA\n";
    sc_witness_add_checkpoint(f->w, unk, strlen(unk), &a);
    assert_int_equal(a.status, 404);
    free(a.body);
    /* GET: the cosigned checkpoint of size 30 */
    uint8_t h[32];
    char hex[65];
    crypto_hash_sha256(h, (const uint8_t *)ORIGIN, strlen(ORIGIN));
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    }
    sc_witness_get_checkpoint(f->w, hex, &a);
    assert_int_equal(a.status, 200);
    sc_checkpoint cp;
    sc_note n;
    assert_int_equal(sc_checkpoint_open(&cp, &n, a.body, a.len, &f->board),
                     SC_OK);
    assert_true(cp.size == 30);
    assert_int_equal(sc_cosig_verify(&n, &f->wkey, NULL), SC_OK);
    sc_note_clear(&n);
    free(a.body);
    hex[0] = hex[0] == '0' ? '1' : '0';
    sc_witness_get_checkpoint(f->w, hex, &a);
    assert_int_equal(a.status, 404);
    free(a.body);
}

int main(void)
{
    if (sc_init() != SC_OK) {
        return 1;
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test(rules)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
