/* Fuzz target: the board's request parsers (src/board/parse.c, the tile
 * paths it serves, the static-file path filter of src/net/httpd.c).
 *
 * Input: up to seven '\n'-separated fields: type, Scrutin-Signer,
 * Scrutin-Seq, Scrutin-Key, Scrutin-Sig, a path, "from to".
 *
 * Invariants: an accepted submission has a known type, seq >= 1, and its
 * signer/key/sig print back to the input hex (case-folded); an accepted
 * code prefix has 2..64 digits and its bytes print back to them; an
 * accepted range has 0 < from <= to; an accepted signer request's key
 * prints back and its from is >= 1; an accepted tile path prints back to
 * exactly the input; a path the static filter accepts has no "..". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board/parse.h"
#include "fuzz_util.h"
#include "net/httpd.h"
#include "scrutin/tlog.h"

static void hexlow(char *out, const uint8_t *in, size_t n)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[in[i] >> 4];
        out[2 * i + 1] = d[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *f[7] = {NULL};
    char *s = buf;
    for (int i = 0; i < 7 && s != NULL; i++) {
        f[i] = s;
        char *nl = strchr(s, '\n');
        if (nl != NULL) {
            *nl = '\0';
            s = nl + 1;
        } else {
            s = NULL;
        }
    }
    sc_entry e;
    const char *why = bd_parse_submit(&e, f[0], f[1], f[2], f[3], f[4]);
    if (why == NULL) {
        char h[129];
        FZ_ASSERT(sc_entry_type_name(e.type) != NULL);
        FZ_ASSERT(e.seq >= 1);
        hexlow(h, e.signer, 32);
        FZ_ASSERT(strcasecmp(h, f[1]) == 0);
        hexlow(h, e.sig, 64);
        FZ_ASSERT(strcasecmp(h, f[4]) == 0);
        if (f[3] != NULL) {
            hexlow(h, e.key, 32);
            FZ_ASSERT(strcasecmp(h, f[3]) == 0);
        }
    } else {
        FZ_ASSERT(strchr(why, '\n') == NULL);
    }
    for (int i = 0; i < 7; i++) {
        uint8_t pre[32];
        unsigned nib = 0;
        if (f[i] != NULL && bd_parse_code_prefix(f[i], pre, &nib)) {
            char h[65];
            FZ_ASSERT(nib >= 2 && nib <= 64 && nib == strlen(f[i]));
            hexlow(h, pre, 32);
            FZ_ASSERT(strncasecmp(h, f[i], nib) == 0);
        }
        uint64_t a = 0, b = 0;
        if (f[i] != NULL && bd_parse_u64(f[i], &a)) {
            FZ_ASSERT(f[i][0] != '\0' && (f[i][0] != '0' || f[i][1] == '\0'));
        }
        if (f[i] != NULL && i + 1 < 7 && f[i + 1] != NULL &&
            bd_parse_range(f[i], f[i + 1], &a, &b)) {
            FZ_ASSERT(a > 0 && a <= b);
        }
    }
    /* /v1/signer/<hex>?from=<seq>: the signer and seq fields. */
    uint8_t skey[32];
    uint32_t sseq = 0;
    if (bd_parse_signer_req(f[1], f[2], skey, &sseq)) {
        char h[65];
        hexlow(h, skey, 32);
        FZ_ASSERT(strcasecmp(h, f[1]) == 0 && sseq >= 1);
        FZ_ASSERT(f[2] != NULL || sseq == 1);
    }
    if (f[5] != NULL) {
        int level = 0;
        uint64_t n = 0;
        unsigned w = 0;
        const char *p = f[5][0] == '/' ? f[5] + 1 : f[5];
        if (sc_tile_path_parse(&level, &n, &w, p, strlen(p)) == SC_OK) {
            char back[SC_TILE_PATH_MAX];
            FZ_ASSERT(sc_tile_path(back, sizeof back, level, n, w) == SC_OK);
            FZ_ASSERT(strcmp(back, p) == 0);
        }
        if (sc_http_path_safe(f[5])) {
            FZ_ASSERT(strstr(f[5], "..") == NULL && f[5][0] != '/');
        }
    }
    free(buf);
    return 0;
}
