/* The board's request parsers: see parse.h. */
#include "board/parse.h"

#include "scrutin/core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int bd_parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || s[0] < '0' || s[0] > '9' ||
        (s[0] == '0' && s[1] != '\0') || strlen(s) > 19) {
        return 0;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return 0;
        }
    }
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno != 0) {
        return 0;
    }
    *out = v;
    return 1;
}

int bd_unhex(uint8_t *out, size_t n, const char *s)
{
    return s != NULL && strlen(s) == 2 * n &&
           sc_hex_decode(out, n, s, 2 * n) == SC_OK;
}

const char *bd_parse_submit(sc_entry *e, const char *type, const char *signer,
                            const char *seq, const char *key, const char *sig)
{
    memset(e, 0, sizeof *e);
    e->version = SC_ENTRY_VERSION;
    unsigned t = type != NULL ? sc_entry_type_from_name(type) : 0;
    uint64_t sq = 0;
    if (t == 0) {
        return "type: missing or unknown entry type";
    }
    e->type = (uint8_t)t;
    if (!bd_unhex(e->signer, 32, signer)) {
        return "Scrutin-Signer: 64 hex digits expected";
    }
    if (!bd_parse_u64(seq, &sq) || sq == 0 || sq > UINT32_MAX) {
        return "Scrutin-Seq: a decimal number from 1 expected";
    }
    e->seq = (uint32_t)sq;
    if (key != NULL && !bd_unhex(e->key, 32, key)) {
        return "Scrutin-Key: 64 hex digits expected";
    }
    if (!bd_unhex(e->sig, 64, sig)) {
        return "Scrutin-Sig: 128 hex digits expected";
    }
    return NULL;
}

int bd_parse_code_prefix(const char *s, uint8_t prefix[32], unsigned *nibbles)
{
    size_t nl = s != NULL ? strlen(s) : 0;
    if (nl < 2 || nl > 64) {
        return 0;
    }
    char pad[65];
    memset(pad, '0', 64);
    pad[64] = '\0';
    memcpy(pad, s, nl);
    if (!bd_unhex(prefix, 32, pad)) {
        return 0;
    }
    *nibbles = (unsigned)nl;
    return 1;
}

int bd_parse_range(const char *from, const char *to, uint64_t *f, uint64_t *t)
{
    return bd_parse_u64(from, f) && bd_parse_u64(to, t) && *f > 0 && *f <= *t;
}

int bd_parse_signer_req(const char *hex, const char *from, uint8_t key[32],
                        uint32_t *seq)
{
    uint64_t f = 1;
    if (hex == NULL || strlen(hex) != 64 || !bd_unhex(key, 32, hex)) {
        return 0;
    }
    if (from != NULL && (!bd_parse_u64(from, &f) || f == 0 || f > UINT32_MAX)) {
        return 0;
    }
    *seq = (uint32_t)f;
    return 1;
}
