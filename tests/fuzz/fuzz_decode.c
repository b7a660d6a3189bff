/* Fuzz target: canonical decoders of group elements and scalars (§5.1),
 * hex and bytes, on the standard and a toy group. Any input must give a
 * value or an error; a decoded value must re-encode to the same bytes. */
#include <stdint.h>
#include <string.h>

#include "scrutin/group.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sc_group *groups[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (groups[0] == NULL) {
        if (sc_group_new(&groups[0], SC_GROUP_STANDARD) != SC_OK ||
            sc_group_new(&groups[1], SC_GROUP_TOY_Q64) != SC_OK) {
            __builtin_trap();
        }
    }
    if (size == 0) {
        return 0;
    }
    sc_group *g = groups[data[0] & 1];
    data++;
    size--;
    mpz_t x;
    mpz_init(x);
    uint8_t out[512];
    if (sc_elem_decode(g, x, data, size) == SC_OK) {
        sc_elem_encode(g, out, x);
        if (memcmp(out, data, g->lp) != 0) {
            __builtin_trap();
        }
    }
    if (sc_scalar_decode(g, x, data, size) == SC_OK) {
        sc_scalar_encode(g, out, x);
        if (memcmp(out, data, g->lq) != 0) {
            __builtin_trap();
        }
    }
    char hex[1100];
    size_t n = size < sizeof hex - 1 ? size : sizeof hex - 1;
    memcpy(hex, data, n);
    hex[n] = '\0';
    if (sc_elem_from_hex(g, x, hex) == SC_OK) {
        if (!sc_elem_is_member(g, x)) {
            __builtin_trap();
        }
    }
    if (sc_scalar_from_hex(g, x, hex) == SC_OK) {
        if (!sc_scalar_in_range(g, x)) {
            __builtin_trap();
        }
    }
    mpz_clear(x);
    return 0;
}
