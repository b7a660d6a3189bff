#include "scrutin/core.h"

void sc_hex_encode(char *out, const uint8_t *in, size_t len)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

sc_status sc_hex_decode(uint8_t *out, size_t out_len, const char *hex,
                        size_t hex_len)
{
    if (out == NULL || hex == NULL) {
        return SC_E_MISUSE;
    }
    if (hex_len != 2 * out_len) {
        return SC_E_INVALID_LENGTH;
    }
    for (size_t i = 0; i < out_len; i++) {
        int hi = nibble(hex[2 * i]);
        int lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return SC_E_INVALID_HEX;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return SC_OK;
}
