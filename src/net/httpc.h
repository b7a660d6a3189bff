/* A small HTTP client over libcurl for the board's clients (`scrutin
 * encrypt --board`, `lookup`, `board export`) and the board's witness
 * calls: one request per call, GET or POST with extra headers, the
 * response body in memory capped at max_body, connect and total
 * timeouts, no redirects, http and https only. Thread-safe (one curl
 * handle per call; libcurl's global set-up runs once). */
#ifndef SC_NET_HTTPC_H
#define SC_NET_HTTPC_H

#include <stddef.h>

#include "scrutin/status.h"

typedef struct sc_httpc_opts {
    long connect_timeout_ms; /* 0: 5000 */
    long timeout_ms;         /* whole request; 0: 30000 */
    size_t max_body;         /* response body cap; 0: 16 MiB */
} sc_httpc_opts;

typedef struct sc_httpc_resp {
    long status; /* HTTP status, 0 if no answer */
    char *body;  /* malloc'd, NUL-terminated (not counted in len) */
    size_t len;
    char ctype[96]; /* Content-Type ("" if none) */
} sc_httpc_resp;

/** GET url. SC_OK if an HTTP answer came (any status, in resp->status);
 *  SC_E_IO if none (refused, timeout, DNS), SC_E_INVALID_RANGE if the
 *  body exceeds the cap, SC_E_INVALID for a bad URL. err gets one line.
 *  opts may be NULL. resp must be freed with sc_httpc_resp_free. */
SC_MUST_USE sc_status sc_httpc_get(const char *url, const sc_httpc_opts *opts,
                                   sc_httpc_resp *resp, char *err,
                                   size_t errlen);
/** POST body (len bytes, Content-Type ctype) to url with extra headers
 *  ("Name: value" strings, nh of them). Same results as sc_httpc_get. */
SC_MUST_USE sc_status sc_httpc_post(const char *url, const char *ctype,
                                    const char *const *headers, size_t nh,
                                    const void *body, size_t len,
                                    const sc_httpc_opts *opts,
                                    sc_httpc_resp *resp, char *err,
                                    size_t errlen);
void sc_httpc_resp_free(sc_httpc_resp *resp);

/** base + path as a new string ("http://h:1/" + "/v1/x" ->
 *  "http://h:1/v1/x"); NULL on NOMEM. */
char *sc_httpc_url(const char *base, const char *path);

#endif
