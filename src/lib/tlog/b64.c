/* Base64 (RFC 4648 §4, padded), canonical only: the notes, checkpoints
 * and proofs of the log carry hashes and signatures in this form, and a
 * second spelling of the same bytes would give a second valid text. */
#include <string.h>

#include <sodium.h>

#include "scrutin/tlog.h"

size_t sc_b64_len(size_t n)
{
    return 4 * ((n + 2) / 3);
}

sc_status sc_b64_encode(char *out, size_t cap, const void *in, size_t n)
{
    if (out == NULL || (in == NULL && n > 0)) {
        return SC_E_MISUSE;
    }
    if (n > (SIZE_MAX / 4) * 3 - 3 || cap < sc_b64_len(n) + 1) {
        return SC_E_RANGE;
    }
    sodium_bin2base64(out, cap, in, n, sodium_base64_VARIANT_ORIGINAL);
    return SC_OK;
}

sc_status sc_b64_decode(uint8_t *out, size_t cap, size_t *n, const char *in,
                        size_t len)
{
    if (out == NULL || n == NULL || (in == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    *n = 0;
    if (len % 4 != 0) {
        return SC_E_INVALID;
    }
    size_t want = len / 4 * 3;
    if (len > 0 && in[len - 1] == '=') {
        want--;
        if (in[len - 2] == '=') {
            want--;
        }
    }
    /* The alphabet is checked here: libsodium 1.0.18 decodes some bytes
     * >= 0x80 as if they were '/' (found by fuzz_tlog_note). */
    for (size_t i = 0; i < len - (len / 4 * 3 - want); i++) {
        char c = in[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '+' || c == '/')) {
            return SC_E_INVALID;
        }
    }
    if (want > cap) {
        return SC_E_RANGE;
    }
    size_t got = 0;
    const char *endp = NULL;
    if (sodium_base642bin(out, cap, in, len, NULL, &got, &endp,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        endp != in + len || got != want) {
        return SC_E_INVALID;
    }
    /* Canonical: unused bits of the last symbol are zero (re-encode). */
    if (len > 0) {
        char last[5];
        size_t tail = got % 3 ? got % 3 : 3;
        sodium_bin2base64(last, sizeof last, out + got - tail, tail,
                          sodium_base64_VARIANT_ORIGINAL);
        if (memcmp(last, in + len - 4, 4) != 0) {
            return SC_E_INVALID;
        }
    }
    *n = got;
    return SC_OK;
}
