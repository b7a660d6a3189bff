/* Fuzz target: witness policies (sc_witness_policy_parse) and the quorum
 * check on a fixed cosigned checkpoint. A refusal carries a message; an
 * accepted policy has 1 <= k <= n (or all-parties), cosignature vkeys
 * named as their witnesses, and the check counts at most n witnesses. */
#include <stdint.h>
#include <string.h>

#include "fuzz_tlog_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sc_note cosigned;

static void make_note(void)
{
    uint8_t seed[32], pk[32], sk[64];
    const char *cp = "scrutin.board/0123456789abcdef\n1\n"
                     "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n";
    if (sc_note_init(&cosigned, cp, strlen(cp)) != SC_OK) {
        __builtin_trap();
    }
    memset(seed, 1, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    if (sc_note_sign(&cosigned, "scrutin.board/0123456789abcdef", sk) !=
        SC_OK) {
        __builtin_trap();
    }
    memset(seed, 10, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    if (sc_cosig_sign(&cosigned, "w.alpha", sk, 1700000000) != SC_OK) {
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0) {
            __builtin_trap();
        }
        make_note();
        ready = 1;
    }
    sc_witness_policy p;
    char msg[256] = "";
    if (sc_witness_policy_parse(&p, (const char *)data, size, msg,
                                sizeof msg) != SC_OK) {
        if (msg[0] == '\0' || p.w != NULL) {
            __builtin_trap();
        }
        return 0;
    }
    if (p.n == 0 || (!p.all_parties && (p.k == 0 || p.k > p.n))) {
        __builtin_trap();
    }
    for (size_t i = 0; i < p.n; i++) {
        if (p.w[i].vkey.type != SC_NOTE_COSIG ||
            strcmp(p.w[i].vkey.name, p.w[i].name) != 0) {
            __builtin_trap();
        }
    }
    size_t c;
    sc_status rc = sc_witness_policy_check(&p, &cosigned, &c);
    if ((rc != SC_OK && rc != SC_E_VERIFY) || c > p.n) {
        __builtin_trap();
    }
    sc_witness_policy_clear(&p);
    return 0;
}
