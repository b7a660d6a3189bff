/* src/net/httpd: limits (413 from Content-Length, 411 for chunked or
 * missing length), synchronous and asynchronous answers, query and header
 * access, static files, a slow client does not block others, the pool
 * threads' lowered CPU priority (cfg.nice). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/httpd.h"
#include "testlib.h"

static uint16_t port;

static void *async_worker(void *arg)
{
    sc_http_req *r = arg;
    usleep(20000);
    size_t len = 0;
    const uint8_t *b = sc_http_body(r, &len);
    sc_http_resp resp;
    memset(&resp, 0, sizeof resp);
    sc_http_bytes(&resp, 201, "text/plain", b, len);
    sc_http_add_header(&resp, "X-Async", "yes");
    sc_http_complete(r, &resp);
    return NULL;
}

static int handler(void *ctx, sc_http_req *r, sc_http_resp *resp)
{
    (void)ctx;
    const char *path = sc_http_path(r);
    if (strcmp(path, "/async") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, async_worker, r);
        pthread_detach(t);
        return SC_HTTP_ASYNC;
    }
    if (strcmp(path, "/nice") == 0) { /* the pool thread's nice value */
        errno = 0;
        int v = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
        sc_http_text(resp, errno == 0 ? 200 : 500, "nice=%d", v);
        return SC_HTTP_DONE;
    }
    if (strncmp(path, "/web/", 5) == 0) {
        sc_http_static(resp, SC_SOURCE_DIR "/tests/board", path + 5);
        return SC_HTTP_DONE;
    }
    const char *q = sc_http_query(r, "x");
    const char *h = sc_http_header(r, "x-thing");
    size_t len = 0;
    sc_http_body(r, &len);
    sc_http_text(resp, 200, "%s %s q=%s h=%s len=%zu", sc_http_method(r), path,
                 q ? q : "-", h ? h : "-", len);
    return SC_HTTP_DONE;
}

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Send raw bytes, read the whole answer (the server closes). */
static char *exchange(const char *raw, size_t len)
{
    int fd = dial();
    assert_int_equal(write(fd, raw, len), (ssize_t)len);
    shutdown(fd, SHUT_WR);
    static char buf[65536];
    size_t got = 0;
    ssize_t n;
    while ((n = read(fd, buf + got, sizeof buf - 1 - got)) > 0) {
        got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    return buf;
}

static char *req(const char *s)
{
    return exchange(s, strlen(s));
}

static void test_basic(void **st)
{
    (void)st;
    char *a = req("GET /p?x=a%20b HTTP/1.1\r\nHost: h\r\nX-Thing: v\r\n"
                  "Connection: close\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 200"));
    assert_non_null(strstr(a, "GET /p q=a b h=v len=0"));
    a = req("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
            "Connection: close\r\n\r\nhello");
    assert_non_null(strstr(a, "POST /p q=- h=- len=5"));
}

static void test_limits(void **st)
{
    (void)st;
    char *a = req("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: "
                  "999999999999\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 413"));
    a = req("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 413"));
    a = req("POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5\r\nhello\r\n0\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 411"));
    a = req("POST /p HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 411"));
    a = req("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 400"));
}

static void test_async(void **st)
{
    (void)st;
    char *a = req("POST /async HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                  "Connection: close\r\n\r\nabc");
    assert_non_null(strstr(a, "HTTP/1.1 201"));
    assert_non_null(strstr(a, "X-Async: yes"));
    assert_non_null(strstr(a, "\r\n\r\nabc"));
}

static void test_static(void **st)
{
    (void)st;
    char *a = req("GET /web/test_httpd.c HTTP/1.1\r\nHost: h\r\n"
                  "Connection: close\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 200"));
    a = req("GET /web/../board.cmake HTTP/1.1\r\nHost: h\r\n"
            "Connection: close\r\n\r\n");
    assert_null(strstr(a, "HTTP/1.1 200"));
    a = req("GET /web/nothere.html HTTP/1.1\r\nHost: h\r\n"
            "Connection: close\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 404"));
}

static void test_slow_client(void **st)
{
    (void)st;
    /* Several connections that send half a header and stall. */
    int slow[8];
    for (int i = 0; i < 8; i++) {
        slow[i] = dial();
        assert_int_equal(write(slow[i], "GET / HTTP/1.1\r\nHo", 18), 18);
    }
    char *a = req("GET /fast HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 200"));
    for (int i = 0; i < 8; i++) {
        close(slow[i]);
    }
}

/* The nice value a server's pool thread reports (several requests, on
 * fresh connections, so that several pool threads answer). */
static void expect_nice(int want)
{
    char line[64];
    snprintf(line, sizeof line, "nice=%d", want);
    for (int i = 0; i < 8; i++) {
        char *a =
            req("GET /nice HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assert_non_null(strstr(a, "HTTP/1.1 200"));
        assert_non_null(strstr(a, line));
    }
}

static void test_nice(void **st)
{
    (void)st;
    errno = 0;
    int base = getpriority(PRIO_PROCESS, 0);
    assert_int_equal(errno, 0);
    expect_nice(base); /* cfg.nice 0: as the process */
    uint16_t keep = port;
    sc_httpd *h = NULL;
    sc_httpd_cfg cfg = {.listen = "127.0.0.1:0", .threads = 3, .nice = 3};
    assert_int_equal(sc_httpd_start(&h, &cfg, handler, NULL), SC_OK);
    port = sc_httpd_port(h);
    expect_nice(base + 3 > 19 ? 19 : base + 3);
    sc_httpd_stop(h);
    port = keep;
    /* The caller's own thread is untouched. */
    errno = 0;
    assert_int_equal(getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid)),
                     base);
}

int main(void)
{
    sc_httpd *h = NULL;
    sc_httpd_cfg cfg = {.listen = "127.0.0.1:0", .max_body = 1000};
    if (sc_httpd_start(&h, &cfg, handler, NULL) != SC_OK) {
        fprintf(stderr, "cannot start\n");
        return 1;
    }
    port = sc_httpd_port(h);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),       cmocka_unit_test(test_limits),
        cmocka_unit_test(test_async),       cmocka_unit_test(test_static),
        cmocka_unit_test(test_slow_client), cmocka_unit_test(test_nice),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    sc_httpd_stop(h);
    return rc;
}
