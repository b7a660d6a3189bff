/* HTTP client over libcurl. See httpc.h. */
#include "net/httpc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_init_ok;

static void global_init(void)
{
    g_init_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

typedef struct sink {
    char *buf;
    size_t len, cap, max;
    int over;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    sink *s = arg;
    size_t add = size * n;
    if (add > s->max - s->len) {
        s->over = 1;
        return 0; /* abort the transfer */
    }
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + add + 1) {
            cap *= 2;
        }
        char *nb = realloc(s->buf, cap);
        if (nb == NULL) {
            return 0;
        }
        s->buf = nb;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, add);
    s->len += add;
    s->buf[s->len] = '\0';
    return add;
}

static sc_status request(const char *url, int post, const char *ctype,
                         const char *const *headers, size_t nh,
                         const void *body, size_t len,
                         const sc_httpc_opts *opts, sc_httpc_resp *resp,
                         char *err, size_t errlen)
{
    memset(resp, 0, sizeof *resp);
    if (url == NULL ||
        (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)) {
        snprintf(err, errlen, "not an http(s) URL: %s", url ? url : "(none)");
        return SC_E_INVALID;
    }
    pthread_once(&g_once, global_init);
    if (!g_init_ok) {
        snprintf(err, errlen, "libcurl cannot start");
        return SC_E_IO;
    }
    sc_httpc_opts o = {0, 0, 0};
    if (opts != NULL) {
        o = *opts;
    }
    sink s = {NULL, 0, 0, o.max_body ? o.max_body : (16u << 20), 0};
    CURL *c = curl_easy_init();
    if (c == NULL) {
        snprintf(err, errlen, "out of memory");
        return SC_E_NOMEM;
    }
    struct curl_slist *hl = NULL;
    char ct[128];
    sc_status rc = SC_OK;
    for (size_t i = 0; i < nh; i++) {
        struct curl_slist *t = curl_slist_append(hl, headers[i]);
        if (t == NULL) {
            rc = SC_E_NOMEM;
            goto done;
        }
        hl = t;
    }
    if (post) {
        snprintf(ct, sizeof ct, "Content-Type: %s",
                 ctype ? ctype : "application/octet-stream");
        struct curl_slist *t = curl_slist_append(hl, ct);
        /* no "Expect: 100-continue" round trip */
        t = t ? curl_slist_append(t, "Expect:") : NULL;
        if (t == NULL) {
            rc = SC_E_NOMEM;
            goto done;
        }
        hl = t;
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     o.connect_timeout_ms > 0 ? o.connect_timeout_ms : 5000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     o.timeout_ms > 0 ? o.timeout_ms : 30000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "scrutin");
    CURLcode cr = curl_easy_perform(c);
    if (s.over) {
        snprintf(err, errlen, "%s: answer larger than %zu bytes", url, s.max);
        rc = SC_E_INVALID_RANGE;
        goto done;
    }
    if (cr != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(cr));
        rc = cr == CURLE_OUT_OF_MEMORY ? SC_E_NOMEM : SC_E_IO;
        goto done;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    char *ctv = NULL;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctv) == CURLE_OK &&
        ctv != NULL) {
        snprintf(resp->ctype, sizeof resp->ctype, "%s", ctv);
    }
    if (s.buf == NULL) {
        s.buf = calloc(1, 1);
        if (s.buf == NULL) {
            rc = SC_E_NOMEM;
            goto done;
        }
    }
    resp->body = s.buf;
    resp->len = s.len;
    s.buf = NULL;
done:
    if (rc == SC_E_NOMEM) {
        snprintf(err, errlen, "out of memory");
    }
    free(s.buf);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    return rc;
}

sc_status sc_httpc_get(const char *url, const sc_httpc_opts *opts,
                       sc_httpc_resp *resp, char *err, size_t errlen)
{
    return request(url, 0, NULL, NULL, 0, NULL, 0, opts, resp, err, errlen);
}

sc_status sc_httpc_post(const char *url, const char *ctype,
                        const char *const *headers, size_t nh, const void *body,
                        size_t len, const sc_httpc_opts *opts,
                        sc_httpc_resp *resp, char *err, size_t errlen)
{
    return request(url, 1, ctype, headers, nh, body, len, opts, resp, err,
                   errlen);
}

void sc_httpc_resp_free(sc_httpc_resp *resp)
{
    free(resp->body);
    memset(resp, 0, sizeof *resp);
}

char *sc_httpc_url(const char *base, const char *path)
{
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/') {
        bl--;
    }
    while (*path == '/') {
        path++;
    }
    size_t pl = strlen(path);
    char *u = malloc(bl + pl + 2);
    if (u != NULL) {
        memcpy(u, base, bl);
        u[bl] = '/';
        memcpy(u + bl + 1, path, pl + 1);
    }
    return u;
}
