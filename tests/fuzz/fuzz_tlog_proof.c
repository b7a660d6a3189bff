/* Fuzz target: tlog-proof receipts (sc_tlog_proof_parse, _format,
 * _verify). An accepted receipt formats back to the same bytes; verify
 * never crashes and never accepts an index outside the checkpoint. */
#include <stdint.h>
#include <string.h>

#include "fuzz_tlog_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fz_tlog_keys *k = fz_tlog_init();
    sc_tlog_proof p;
    if (sc_tlog_proof_parse(&p, (const char *)data, size) != SC_OK) {
        if (p.checkpoint.text != NULL || p.extra != NULL) {
            __builtin_trap();
        }
        return 0;
    }
    char *out;
    size_t len;
    if (sc_tlog_proof_format(&p, &out, &len) != SC_OK) {
        __builtin_trap();
    }
    fz_same(out, len, data, size);
    uint8_t leaf[32];
    sc_tlog_leaf_hash(leaf, "", 0);
    sc_checkpoint cp;
    if (sc_tlog_proof_verify(&p, leaf, &k->board, NULL, &cp) == SC_OK &&
        p.index >= cp.size) {
        __builtin_trap();
    }
    sc_tlog_proof_clear(&p);
    return 0;
}
