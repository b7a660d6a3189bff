/* A door from the election entry's payload (docs/BOARD.md §3.3: JSON
 * with "files":[{"name","base64"}]): the board's door and the verifying
 * witness's are built the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/eghash.h"
#include "scrutin/json.h"
#include "scrutin/tlog.h"
#include "scrutin/verify.h"

sc_status sc_door_new_from_election(sc_door **out, const uint8_t *payload,
                                    size_t len, int allow_test_parameters,
                                    char *err, size_t errlen)
{
    if (out == NULL || payload == NULL || err == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    err[0] = '\0';
    sc_jctx ctx;
    sc_jctx_init(&ctx, "election payload", NULL);
    sc_json *o = NULL, *files = NULL;
    size_t n = 0;
    sc_status rc = sc_json_parse(&ctx, (const char *)payload, len, &o);
    if (rc == SC_OK) {
        rc = sc_json_get_arr(&ctx, o, "files", &files, &n);
    }
    sc_door_file *df = calloc(n + 1, sizeof *df);
    uint8_t **bufs = calloc(n + 1, sizeof *bufs);
    if (df == NULL || bufs == NULL) {
        rc = SC_E_NOMEM;
    }
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        sc_json *f = sc_json_array_at(files, i);
        const char *name = NULL, *b64 = NULL;
        rc = sc_json_get_str(&ctx, f, "name", &name);
        if (rc == SC_OK) {
            rc = sc_json_get_str(&ctx, f, "base64", &b64);
        }
        size_t bl = b64 != NULL ? strlen(b64) : 0, got = 0;
        if (rc == SC_OK) {
            bufs[i] = malloc(bl / 4 * 3 + 3);
            rc = bufs[i] == NULL
                     ? SC_E_NOMEM
                     : sc_b64_decode(bufs[i], bl / 4 * 3 + 3, &got, b64, bl);
        }
        df[i].name = name;
        df[i].data = bufs[i];
        df[i].len = got;
    }
    if (rc == SC_OK) {
        rc = sc_door_new_from_files(out, df, n, allow_test_parameters, err,
                                    errlen);
    } else if (err[0] == '\0') {
        snprintf(err, errlen, "election payload: %s",
                 ctx.msg[0] ? ctx.msg : sc_strerror(rc));
    }
    for (size_t i = 0; bufs != NULL && i < n; i++) {
        free(bufs[i]);
    }
    free(bufs);
    free(df);
    sc_json_free(o);
    return rc;
}

void sc_door_chain_close(const sc_door *d, const sc_door_device *dev,
                         uint64_t ballots, const uint8_t last[32],
                         uint8_t bc[SC_BC_BYTES], uint8_t h[32])
{
    uint8_t prev[32], bc0[SC_BC_BYTES];
    const uint8_t *he = sc_door_h_e(d);
    if (ballots == 0) {
        sc_door_chain_start(d, dev, prev); /* H_0, eq 74 */
    } else {
        memcpy(prev, last, 32);
    }
    sc_eg_chain_field(bc0, 1, dev->h_di);       /* eq 75 */
    sc_eg_chain_close_field(he, prev, bc0, bc); /* eq 78 */
    sc_eg_chain_hash(he, bc, h);                /* eq 77 */
}
