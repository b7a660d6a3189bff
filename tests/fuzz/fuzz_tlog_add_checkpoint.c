/* Fuzz target: tlog-witness add-checkpoint bodies and 409 size bodies
 * (sc_add_checkpoint_parse, _format, sc_tlog_size_body_parse), then what
 * a witness does next: open the checkpoint, check the proof from `old`.
 * An accepted body formats back to the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_tlog_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fz_tlog_keys *k = fz_tlog_init();
    uint64_t s;
    if (sc_tlog_size_body_parse(&s, (const char *)data, size) == SC_OK) {
        char b[32];
        int k = snprintf(b, sizeof b, "%llu\n", (unsigned long long)s);
        if ((size_t)k != size || memcmp(b, data, size) != 0) {
            __builtin_trap();
        }
    }
    sc_add_checkpoint a;
    if (sc_add_checkpoint_parse(&a, (const char *)data, size) != SC_OK) {
        if (a.signed_cp != NULL) {
            __builtin_trap();
        }
        return 0;
    }
    if (a.nproof > SC_TLOG_WITNESS_MAX_PROOF) {
        __builtin_trap();
    }
    char *out;
    size_t len;
    if (sc_add_checkpoint_format(&out, &len, a.old,
                                 (const uint8_t(*)[32])a.proof, a.nproof,
                                 a.signed_cp, a.signed_cp_len) != SC_OK) {
        __builtin_trap();
    }
    fz_same(out, len, data, size);
    sc_checkpoint cp;
    if (sc_checkpoint_open(&cp, NULL, a.signed_cp, a.signed_cp_len,
                           &k->board) == SC_OK &&
        a.old > 0 && a.old <= cp.size) {
        uint8_t old_root[32] = {0};
        sc_status rc =
            sc_tlog_consistency_verify(a.old, old_root, cp.size, cp.root,
                                       (const uint8_t(*)[32])a.proof, a.nproof);
        if (rc != SC_OK && rc != SC_E_VERIFY) {
            __builtin_trap();
        }
    }
    sc_add_checkpoint_clear(&a);
    return 0;
}
