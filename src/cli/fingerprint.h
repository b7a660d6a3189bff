/* A short fingerprint of a 32-byte hash (H_G, H_E) that people can read
 * out to each other: 125 bits of it as 25 Crockford base-32 digits in 5
 * groups of 5 ("7KQ2M-9XHTA-..."). Why 125 bits and base 32:
 * docs/CEREMONY.md, "Comparing H_G aloud". */
#ifndef SC_CLI_FINGERPRINT_H
#define SC_CLI_FINGERPRINT_H

#include <stdint.h>

enum { CLI_FP_GROUPS = 5, CLI_FP_GROUP = 5, CLI_FP_LEN = 5 * 6 };

/** out: the fingerprint of h, NUL-ended (CLI_FP_LEN bytes). */
void cli_fingerprint(const uint8_t h[32], char out[CLI_FP_LEN]);

/** Print "LABEL<64 hex digits>\n" and, under it, the fingerprint to
 *  read out: "  read out: XXXXX-XXXXX-XXXXX-XXXXX-XXXXX\n". */
void cli_print_hash_fp(const char *label, const uint8_t h[32]);

#endif
