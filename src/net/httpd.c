/* libmicrohttpd wrapper: see httpd.h. */
#include "net/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sc_httpd {
    struct MHD_Daemon *d;
    sc_http_handler fn;
    void *ctx;
    size_t max_body;
    int nice;           /* added to each pool thread's nice value, once */
    pthread_mutex_t mu; /* suspend / resume hand-off */
    atomic_uint_fast64_t early[3]; /* 400, 411, 413 before the handler */
    uint16_t port;
};

enum { RQ_RECEIVING, RQ_WAITING, RQ_READY, RQ_SENT };

struct sc_http_req {
    sc_httpd *h;
    struct MHD_Connection *conn;
    const char *method, *path;
    uint8_t *body;
    size_t len, cap;
    int state, suspended, too_big;
    sc_http_resp resp;
    char client[INET6_ADDRSTRLEN];
};

/* ---------------------------------------------------------------- resp */

static void resp_reset(sc_http_resp *r)
{
    memset(r, 0, sizeof *r);
}

void sc_http_take(sc_http_resp *resp, unsigned status, const char *ctype,
                  char *body, size_t len)
{
    free(resp->body);
    resp->status = status;
    resp->ctype = ctype;
    resp->body = body;
    resp->len = body == NULL ? 0 : len;
}

void sc_http_bytes(sc_http_resp *resp, unsigned status, const char *ctype,
                   const void *data, size_t len)
{
    char *b = malloc(len + 1);
    if (b == NULL) {
        sc_http_take(resp, 503, "text/plain", NULL, 0);
        return;
    }
    if (len > 0) {
        memcpy(b, data, len);
    }
    sc_http_take(resp, status, ctype, b, len);
}

void sc_http_text(sc_http_resp *resp, unsigned status, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
    }
    size_t len = (size_t)n < sizeof line - 2 ? (size_t)n : sizeof line - 2;
    /* One line: no control characters from callers' data. */
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)line[i] < 0x20) {
            line[i] = ' ';
        }
    }
    line[len++] = '\n';
    sc_http_bytes(resp, status, "text/plain; charset=utf-8", line, len);
}

void sc_http_add_header(sc_http_resp *resp, const char *name, const char *value)
{
    if (resp->n_extra >= SC_HTTP_MAX_EXTRA) {
        return;
    }
    resp->hname[resp->n_extra] = name;
    snprintf(resp->hval[resp->n_extra], sizeof resp->hval[0], "%s", value);
    resp->n_extra++;
}

static const char *ctype_for(const char *rel)
{
    static const struct {
        const char *ext, *type;
    } t[] = {{".html", "text/html; charset=utf-8"},
             {".js", "text/javascript; charset=utf-8"},
             {".mjs", "text/javascript; charset=utf-8"},
             {".css", "text/css; charset=utf-8"},
             {".json", "application/json"},
             {".svg", "image/svg+xml"},
             {".png", "image/png"},
             {".ico", "image/x-icon"},
             {".txt", "text/plain; charset=utf-8"},
             {".woff2", "font/woff2"}};
    const char *dot = strrchr(rel, '.');
    for (size_t i = 0; dot != NULL && i < sizeof t / sizeof t[0]; i++) {
        if (strcmp(dot, t[i].ext) == 0) {
            return t[i].type;
        }
    }
    return "application/octet-stream";
}

int sc_http_path_safe(const char *rel)
{
    if (rel[0] == '\0' || rel[0] == '/' || strlen(rel) > 200) {
        return 0;
    }
    for (const char *p = rel; *p != '\0'; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
                 c == '/';
        if (!ok) {
            return 0;
        }
    }
    return strstr(rel, "..") == NULL && strstr(rel, "//") == NULL;
}

void sc_http_static(sc_http_resp *resp, const char *dir, const char *rel)
{
    char path[1024];
    if (dir == NULL || !sc_http_path_safe(rel) ||
        snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path) {
        sc_http_text(resp, 404, "not found");
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > (8 << 20)) {
        if (fd >= 0) {
            close(fd);
        }
        sc_http_text(resp, 404, "not found");
        return;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *b = malloc(n + 1);
    while (b != NULL && got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (b == NULL || got != n) {
        free(b);
        sc_http_text(resp, 500, "cannot read the file");
        return;
    }
    sc_http_take(resp, 200, ctype_for(rel), b, n);
}

/* ----------------------------------------------------------------- req */

const char *sc_http_method(const sc_http_req *r)
{
    return r->method;
}
const char *sc_http_path(const sc_http_req *r)
{
    return r->path;
}
const char *sc_http_header(const sc_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}
const char *sc_http_query(const sc_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}
const uint8_t *sc_http_body(const sc_http_req *r, size_t *len)
{
    *len = r->len;
    return r->body != NULL ? r->body : (const uint8_t *)"";
}
const char *sc_http_client(const sc_http_req *r)
{
    return r->client;
}

static enum MHD_Result send_resp(sc_http_req *r)
{
    sc_http_resp *s = &r->resp;
    static char empty[1];
    struct MHD_Response *m = MHD_create_response_from_buffer(
        s->len, s->body != NULL ? s->body : empty,
        s->body != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (m == NULL) {
        return MHD_NO;
    }
    s->body = NULL; /* MHD owns it now */
    MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE,
                            s->ctype != NULL ? s->ctype : "text/plain");
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    for (size_t i = 0; i < s->n_extra; i++) {
        MHD_add_response_header(m, s->hname[i], s->hval[i]);
    }
    enum MHD_Result ok =
        MHD_queue_response(r->conn, s->status != 0 ? s->status : 500, m);
    MHD_destroy_response(m);
    r->state = RQ_SENT;
    return ok;
}

void sc_http_complete(sc_http_req *r, sc_http_resp *resp)
{
    sc_httpd *h = r->h;
    pthread_mutex_lock(&h->mu);
    free(r->resp.body);
    r->resp = *resp;
    resp->body = NULL;
    r->state = RQ_READY;
    if (r->suspended) {
        r->suspended = 0;
        MHD_resume_connection(r->conn);
    }
    pthread_mutex_unlock(&h->mu);
}

/* Early refusal on the first call (before the body is read). */
static int early_check(sc_http_req *r, unsigned *status, const char **why)
{
    int upload =
        strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0;
    const char *te = sc_http_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    const char *cl = sc_http_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (te != NULL && upload) {
        *status = 411;
        *why = "chunked bodies are not accepted; send Content-Length";
        return 0;
    }
    if (cl == NULL) {
        if (upload) {
            *status = 411;
            *why = "Content-Length required";
            return 0;
        }
        return 1;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    if (cl[0] < '0' || cl[0] > '9' || *end != '\0' || errno != 0) {
        *status = 400;
        *why = "bad Content-Length";
        return 0;
    }
    if (n > r->h->max_body) {
        *status = 413;
        *why = "body too large";
        return 0;
    }
    r->cap = (size_t)n;
    return 1;
}

/* The pool thread's CPU priority: its nice value raised by h->nice, once
 * per thread (setpriority on a thread id changes that thread only). A
 * failure leaves the priority as it was. */
static void pool_thread_nice(const sc_httpd *h)
{
    static _Thread_local int done;
    if (h->nice <= 0 || done) {
        return;
    }
    done = 1;
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int cur = getpriority(PRIO_PROCESS, tid);
    if (errno != 0) {
        return;
    }
    int want = cur + h->nice > 19 ? 19 : cur + h->nice;
    (void)setpriority(PRIO_PROCESS, tid, want);
}

static enum MHD_Result ahc(void *cls, struct MHD_Connection *conn,
                           const char *url, const char *method,
                           const char *version, const char *upload_data,
                           size_t *upload_size, void **con_cls)
{
    (void)version;
    sc_httpd *h = cls;
    sc_http_req *r = *con_cls;
    if (r == NULL) {
        pool_thread_nice(h);
        r = calloc(1, sizeof *r);
        if (r == NULL) {
            return MHD_NO;
        }
        r->h = h;
        r->conn = conn;
        r->method = method;
        r->path = url;
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci != NULL && ci->client_addr != NULL) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET) {
                inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
                          r->client, sizeof r->client);
            } else if (sa->sa_family == AF_INET6) {
                inet_ntop(AF_INET6,
                          &((const struct sockaddr_in6 *)sa)->sin6_addr,
                          r->client, sizeof r->client);
            }
        }
        *con_cls = r;
        unsigned status = 0;
        const char *why = NULL;
        if (!early_check(r, &status, &why)) {
            atomic_fetch_add(&h->early[status == 400   ? 0
                                       : status == 411 ? 1
                                                       : 2],
                             1);
            sc_http_text(&r->resp, status, "%s", why);
            return send_resp(r);
        }
        if (r->cap > 0) {
            r->body = malloc(r->cap);
            if (r->body == NULL) {
                sc_http_text(&r->resp, 503, "out of memory");
                return send_resp(r);
            }
        }
        return MHD_YES;
    }
    if (r->state == RQ_SENT) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (r->len + *upload_size > r->cap) {
            r->too_big = 1; /* more than Content-Length said */
        } else {
            memcpy(r->body + r->len, upload_data, *upload_size);
            r->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->state == RQ_READY) {
        return send_resp(r);
    }
    if (r->state == RQ_WAITING) {
        return MHD_YES; /* spurious wake-up */
    }
    if (r->too_big) {
        sc_http_text(&r->resp, 400, "body longer than Content-Length");
        return send_resp(r);
    }
    resp_reset(&r->resp);
    r->state = RQ_WAITING;
    sc_http_resp tmp;
    resp_reset(&tmp);
    int how = h->fn(h->ctx, r, &tmp);
    if (how == SC_HTTP_DONE) {
        r->resp = tmp;
        return send_resp(r);
    }
    pthread_mutex_lock(&h->mu);
    if (r->state == RQ_READY) { /* completed already */
        pthread_mutex_unlock(&h->mu);
        return send_resp(r);
    }
    r->suspended = 1;
    MHD_suspend_connection(conn);
    pthread_mutex_unlock(&h->mu);
    return MHD_YES;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    sc_http_req *r = *con_cls;
    if (r != NULL) {
        free(r->resp.body);
        free(r->body);
        free(r);
        *con_cls = NULL;
    }
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, int *v6)
{
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(s, ':');
    if (colon == NULL) {
        return 0;
    }
    char host[64];
    size_t hl = (size_t)(colon - s);
    char *end = NULL;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (hl == 0 || hl >= sizeof host || *end != '\0' || port > 65535 ||
        colon[1] == '\0') {
        return 0;
    }
    memcpy(host, s, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *v6 = 1;
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *v6 = 0;
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

sc_status sc_httpd_start(sc_httpd **out, const sc_httpd_cfg *cfg,
                         sc_http_handler fn, void *ctx)
{
    *out = NULL;
    struct sockaddr_storage ss;
    int v6 = 0;
    if (cfg->listen == NULL || !parse_listen(cfg->listen, &ss, &v6)) {
        return SC_E_INVALID;
    }
    sc_httpd *h = calloc(1, sizeof *h);
    if (h == NULL) {
        return SC_E_NOMEM;
    }
    h->fn = fn;
    h->ctx = ctx;
    h->max_body = cfg->max_body != 0 ? cfg->max_body : (1u << 20);
    h->nice = cfg->nice;
    pthread_mutex_init(&h->mu, NULL);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
    if (v6) {
        flags |= MHD_USE_IPv6;
    }
    h->d = MHD_start_daemon(
        flags, 0, NULL, NULL, ahc, h, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cfg->threads != 0 ? cfg->threads : 2),
        MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(cfg->max_conns != 0 ? cfg->max_conns : 256),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)(cfg->per_ip != 0 ? cfg->per_ip : 64),
        MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)(cfg->timeout_s != 0 ? cfg->timeout_s : 10),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(cfg->conn_mem != 0 ? cfg->conn_mem : (64u << 10)),
        MHD_OPTION_NOTIFY_COMPLETED, completed, (void *)h, MHD_OPTION_END);
    if (h->d == NULL) {
        pthread_mutex_destroy(&h->mu);
        free(h);
        return SC_E_IO;
    }
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di != NULL ? di->port : 0;
    *out = h;
    return SC_OK;
}

uint64_t sc_httpd_early_count(const sc_httpd *h, unsigned status)
{
    int i = status == 400 ? 0 : status == 411 ? 1 : status == 413 ? 2 : -1;
    return i < 0 ? 0 : atomic_load(&h->early[i]);
}

uint16_t sc_httpd_port(const sc_httpd *h)
{
    return h->port;
}

void sc_httpd_stop(sc_httpd *h)
{
    if (h == NULL) {
        return;
    }
    MHD_stop_daemon(h->d);
    pthread_mutex_destroy(&h->mu);
    free(h);
}
