/* Fuzz target: the board's 186-byte entries (sc_entry_decode, _encode,
 * _verify) and tlog-tiles paths (sc_tile_path_parse, sc_tile_path). An
 * accepted entry encodes back to the same bytes; an accepted path
 * formats back to the same string. */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/entry.h"
#include "scrutin/tlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0) {
            __builtin_trap();
        }
        ready = 1;
    }
    sc_entry e;
    if (sc_entry_decode(&e, data, size) == SC_OK) {
        uint8_t b[SC_ENTRY_BYTES];
        sc_entry_encode(b, &e);
        if (size != SC_ENTRY_BYTES || memcmp(b, data, size) != 0 ||
            sc_entry_type_name(e.type) == NULL) {
            __builtin_trap();
        }
        sc_status rc = sc_entry_verify(&e, "scrutin.board/0123456789abcdef");
        if (rc != SC_OK && rc != SC_E_VERIFY) {
            __builtin_trap();
        }
    }
    int level;
    uint64_t n;
    unsigned w;
    if (sc_tile_path_parse(&level, &n, &w, (const char *)data, size) == SC_OK) {
        char p[SC_TILE_PATH_MAX];
        if (sc_tile_path(p, sizeof p, level, n, w) != SC_OK ||
            strlen(p) != size || memcmp(p, data, size) != 0) {
            __builtin_trap();
        }
    }
    return 0;
}
