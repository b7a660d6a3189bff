/* A board payload by its hash. See payload.h. */
#include "net/payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/core.h"

sc_status sc_net_get_payload(const char *base, const sc_httpc_opts *opts,
                             const uint8_t sha[32], uint64_t len, uint8_t **out,
                             size_t *outlen, char *err, size_t errlen)
{
    char hx[65], path[80];
    *out = NULL;
    *outlen = 0;
    sc_hex_encode(hx, sha, 32);
    snprintf(path, sizeof path, "/v1/payload/%s", hx);
    char *u = sc_httpc_url(base, path);
    if (u == NULL) {
        snprintf(err, errlen, "out of memory");
        return SC_E_NOMEM;
    }
    sc_httpc_resp r;
    memset(&r, 0, sizeof r);
    sc_status rc = sc_httpc_get(u, opts, &r, err, errlen);
    if (rc == SC_OK && r.status != 200) {
        snprintf(err, errlen, "%s: HTTP %ld: %.200s", u, r.status,
                 r.body ? r.body : "");
        char *nl = strchr(err, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        rc = r.status == 404 ? SC_E_RANGE : SC_E_IO;
    } else if (rc == SC_OK) {
        uint8_t h[32];
        crypto_hash_sha256(h, (const uint8_t *)r.body, r.len);
        if ((uint64_t)r.len != len || memcmp(h, sha, 32) != 0) {
            snprintf(err, errlen, "payload %s: the board served other bytes",
                     hx);
            rc = SC_E_VERIFY;
        }
    }
    free(u);
    if (rc != SC_OK) {
        sc_httpc_resp_free(&r);
        return rc;
    }
    *out = (uint8_t *)r.body; /* taken */
    *outlen = r.len;
    return SC_OK;
}
