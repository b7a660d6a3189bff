/* src/net/httpc against src/net/httpd on loopback: GET and POST with
 * headers and a body, any status passed through, the response cap, the
 * timeout, a refused connection, bad URLs, URL joining. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/httpc.h"
#include "net/httpd.h"
#include "testlib.h"

static sc_httpd *g_srv;
static char g_base[64];

static int handler(void *ctx, sc_http_req *r, sc_http_resp *resp)
{
    (void)ctx;
    const char *path = sc_http_path(r);
    if (strcmp(path, "/big") == 0) {
        char *b = malloc(100000);
        memset(b, 'x', 100000);
        sc_http_take(resp, 200, "text/plain", b, 100000);
        return SC_HTTP_DONE;
    }
    if (strcmp(path, "/slow") == 0) {
        usleep(1500000);
        sc_http_text(resp, 200, "late");
        return SC_HTTP_DONE;
    }
    if (strcmp(path, "/teapot") == 0) {
        sc_http_text(resp, 418, "no");
        return SC_HTTP_DONE;
    }
    size_t len = 0;
    const uint8_t *b = sc_http_body(r, &len);
    const char *h = sc_http_header(r, "Scrutin-Seq");
    const char *ct = sc_http_header(r, "Content-Type");
    sc_http_text(resp, 200, "%s %s seq=%s ct=%s body=%.*s", sc_http_method(r),
                 path, h ? h : "-", ct ? ct : "-", (int)len,
                 b ? (const char *)b : "");
    return SC_HTTP_DONE;
}

static void get_post(void **state)
{
    (void)state;
    char err[256];
    sc_httpc_resp r;
    char *u = sc_httpc_url(g_base, "/v1/status");
    assert_int_equal(sc_httpc_get(u, NULL, &r, err, sizeof err), SC_OK);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "GET /v1/status seq=-"));
    assert_non_null(strstr(r.ctype, "text/plain"));
    sc_httpc_resp_free(&r);
    free(u);

    const char *hs[] = {"Scrutin-Seq: 7", "Scrutin-Key: 00"};
    u = sc_httpc_url(g_base, "v1/submit");
    assert_int_equal(sc_httpc_post(u, "application/json", hs, 2, "{\"a\":1}", 7,
                                   NULL, &r, err, sizeof err),
                     SC_OK);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(
        r.body, "POST /v1/submit seq=7 ct=application/json body={\"a\":1}"));
    sc_httpc_resp_free(&r);
    free(u);

    u = sc_httpc_url(g_base, "/teapot");
    assert_int_equal(sc_httpc_get(u, NULL, &r, err, sizeof err), SC_OK);
    assert_int_equal(r.status, 418);
    sc_httpc_resp_free(&r);
    free(u);
}

static void limits(void **state)
{
    (void)state;
    char err[256];
    sc_httpc_resp r;
    char *u = sc_httpc_url(g_base, "/big");
    sc_httpc_opts o = {0, 0, 1000};
    assert_int_equal(sc_httpc_get(u, &o, &r, err, sizeof err),
                     SC_E_INVALID_RANGE);
    assert_null(r.body);
    o.max_body = 100000;
    assert_int_equal(sc_httpc_get(u, &o, &r, err, sizeof err), SC_OK);
    assert_int_equal(r.len, 100000);
    sc_httpc_resp_free(&r);
    free(u);

    u = sc_httpc_url(g_base, "/slow");
    sc_httpc_opts t = {0, 300, 0};
    assert_int_equal(sc_httpc_get(u, &t, &r, err, sizeof err), SC_E_IO);
    assert_int_equal(r.status, 0);
    free(u);

    /* a port nobody listens on */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    socklen_t al = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    getsockname(fd, (struct sockaddr *)&a, &al);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/x", ntohs(a.sin_port));
    assert_int_equal(sc_httpc_get(url, NULL, &r, err, sizeof err), SC_E_IO);
    assert_true(strlen(err) > 0);

    assert_int_equal(
        sc_httpc_get("file:///etc/passwd", NULL, &r, err, sizeof err),
        SC_E_INVALID);
    assert_int_equal(sc_httpc_get(NULL, NULL, &r, err, sizeof err),
                     SC_E_INVALID);
}

static void url_join(void **state)
{
    (void)state;
    char *u = sc_httpc_url("http://h:1///", "//a/b");
    assert_string_equal(u, "http://h:1/a/b");
    free(u);
    u = sc_httpc_url("http://h:1", "a");
    assert_string_equal(u, "http://h:1/a");
    free(u);
}

static int setup(void **state)
{
    (void)state;
    sc_httpd_cfg cfg = {"127.0.0.1:0", 2, 0, 0, 5, 0, 0};
    if (sc_httpd_start(&g_srv, &cfg, handler, NULL) != SC_OK) {
        return -1;
    }
    snprintf(g_base, sizeof g_base, "http://127.0.0.1:%u/",
             sc_httpd_port(g_srv));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sc_httpd_stop(g_srv);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_post),
        cmocka_unit_test(limits),
        cmocka_unit_test(url_join),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
