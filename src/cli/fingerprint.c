/* Short, readable fingerprints of hashes (fingerprint.h). */
#include "fingerprint.h"

#include <stdio.h>

/* Crockford's base 32: no I, L, O, U (read as 1, 1, 0 or a word). */
static const char DIGITS[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void cli_fingerprint(const uint8_t h[32], char out[CLI_FP_LEN])
{
    size_t o = 0;
    for (unsigned d = 0; d < CLI_FP_GROUPS * CLI_FP_GROUP; d++) {
        /* digit d: bits 5d .. 5d+4 of h, most significant first */
        unsigned bit = 5 * d, byte = bit / 8, shift = bit % 8;
        unsigned v = (unsigned)h[byte] << 8 | (byte + 1 < 32 ? h[byte + 1] : 0);
        if (d > 0 && d % CLI_FP_GROUP == 0) {
            out[o++] = '-';
        }
        out[o++] = DIGITS[(v >> (11 - shift)) & 31];
    }
    out[o] = '\0';
}

void cli_print_hash_fp(const char *label, const uint8_t h[32])
{
    char fp[CLI_FP_LEN];
    printf("%s", label);
    for (int b = 0; b < 32; b++) {
        printf("%02X", h[b]);
    }
    cli_fingerprint(h, fp);
    printf("\n  read out: %s\n", fp);
}
