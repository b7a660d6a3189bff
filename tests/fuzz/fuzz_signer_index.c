/* Fuzz target: the board's per-signer index answer (scrutin/
 * signer_index.h: sc_signer_index_parse, then sc_signer_index_verify with
 * the fixed keys of fuzz_tlog_util.h).
 *
 * Invariants: a refusal carries a message and leaves nothing allocated;
 * an accepted answer has from >= 1, at most SC_SINDEX_PAGE entries of at
 * most SC_TLOG_MAX_PROOF hashes; verify answers OK, VERIFY or INVALID
 * only, with a message when it refuses, and a verified answer has every
 * entry inside its checkpoint, in ascending index order. */
#include <stdint.h>
#include <string.h>

#include "fuzz_tlog_util.h"
#include "scrutin/signer_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fz_tlog_keys *k = fz_tlog_init();
    sc_signer_index x;
    char msg[300] = "";
    sc_status rc =
        sc_signer_index_parse(&x, (const char *)data, size, msg, sizeof msg);
    if (rc != SC_OK) {
        if (msg[0] == '\0' || x.items != NULL || x.checkpoint != NULL) {
            __builtin_trap();
        }
        return 0;
    }
    if (x.from == 0 || x.n > SC_SINDEX_PAGE) {
        __builtin_trap();
    }
    for (size_t i = 0; i < x.n; i++) {
        if (x.items[i].nproof > SC_TLOG_MAX_PROOF) {
            __builtin_trap();
        }
    }
    /* The authority of the seeds (mkseeds_tlog.py): seed 02..02. */
    uint8_t seed[32], auth[32], ask[64];
    memset(seed, 2, sizeof seed);
    crypto_sign_seed_keypair(auth, ask, seed);
    sc_sindex_view v;
    msg[0] = '\0';
    /* The answer names its own signer and from, so that verify goes past
     * those checks into the checkpoint and the entries. */
    rc = sc_signer_index_verify(&x, x.signer, x.from, &k->board, auth, NULL, &v,
                                msg, sizeof msg);
    if (rc != SC_OK && rc != SC_E_VERIFY && rc != SC_E_INVALID) {
        __builtin_trap();
    }
    if (rc != SC_OK && msg[0] == '\0') {
        __builtin_trap();
    }
    for (size_t i = 0; rc == SC_OK && i < x.n; i++) {
        if (x.items[i].index >= v.cp.size ||
            (i > 0 && x.items[i].index <= x.items[i - 1].index)) {
            __builtin_trap();
        }
    }
    sc_signer_index_clear(&x);
    return 0;
}
