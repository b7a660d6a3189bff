/* Shared by the tlog fuzz targets: fixed keys (deterministic seeds) and a
 * check that a formatter reproduces its parser's input. */
#ifndef FUZZ_TLOG_UTIL_H
#define FUZZ_TLOG_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/tlog.h"

/* The log key "scrutin.board/0123456789abcdef" (seed 01..01) and the
 * witness key "w.alpha" (seed 0a..0a), as the seeds in corpus/ use. */
static inline void fz_keys(sc_vkey *board, sc_vkey *witness)
{
    uint8_t seed[32], pk[32], sk[64];
    memset(seed, 1, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    if (sc_vkey_make(board, "scrutin.board/0123456789abcdef", SC_NOTE_ED25519,
                     pk) != SC_OK) {
        __builtin_trap();
    }
    memset(seed, 10, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    if (sc_vkey_make(witness, "w.alpha", SC_NOTE_COSIG, pk) != SC_OK) {
        __builtin_trap();
    }
}

/* The keys above, made once (and libsodium initialised). */
typedef struct fz_tlog_keys {
    sc_vkey board, witness;
} fz_tlog_keys;
static inline const fz_tlog_keys *fz_tlog_init(void)
{
    static fz_tlog_keys k;
    static int ready;
    if (!ready) {
        if (sodium_init() < 0) {
            __builtin_trap();
        }
        fz_keys(&k.board, &k.witness);
        ready = 1;
    }
    return &k;
}

/* out (len n, malloc'd) must equal in; frees out. */
static inline void fz_same(char *out, size_t n, const uint8_t *in, size_t len)
{
    if (n != len || memcmp(out, in, len) != 0) {
        __builtin_trap();
    }
    free(out);
}

#endif
