/* A small HTTP server over libmicrohttpd, shared by the board and the
 * witness. One internal epoll thread per pool slot, a connection limit,
 * a per-IP limit, an idle timeout and a per-connection memory cap.
 *
 * Request bodies are read raw into one buffer capped at max_body: a
 * Content-Length above the cap is answered 413 before any body byte is
 * read; a POST or PUT without Content-Length (chunked) gets 411.
 *
 * The handler runs on a pool thread with the whole request. It either
 * fills the response (SC_HTTP_DONE) or keeps the request and answers
 * later from any thread with sc_http_complete (SC_HTTP_ASYNC: the
 * connection is suspended meanwhile and costs no thread).
 *
 * With cfg.nice > 0 each pool thread lowers its own CPU priority when it
 * first runs the handler, so that under contention the process's other
 * threads (the board's proof workers and sequencer) run first. */
#ifndef SC_NET_HTTPD_H
#define SC_NET_HTTPD_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

typedef struct sc_httpd sc_httpd;
typedef struct sc_http_req sc_http_req;

#define SC_HTTP_MAX_EXTRA 4

/** A response. body is malloc'd and taken over by the server (NULL for
 *  an empty body); ctype and header names are static strings. */
typedef struct sc_http_resp {
    unsigned status;
    const char *ctype;
    char *body;
    size_t len;
    size_t n_extra;
    const char *hname[SC_HTTP_MAX_EXTRA];
    char hval[SC_HTTP_MAX_EXTRA][160];
} sc_http_resp;

enum { SC_HTTP_DONE = 0, SC_HTTP_ASYNC = 1 };

/** Called once per request with the whole body. Returns SC_HTTP_DONE
 *  (resp filled) or SC_HTTP_ASYNC (answer later with sc_http_complete;
 *  req stays valid until then). */
typedef int (*sc_http_handler)(void *ctx, sc_http_req *req, sc_http_resp *resp);

typedef struct sc_httpd_cfg {
    const char *listen; /* "127.0.0.1:8080" (IPv4 literal or [v6]:port) */
    unsigned threads;   /* pool size (0: 2) */
    unsigned max_conns; /* connection limit (0: 256) */
    unsigned per_ip;    /* connections per client address (0: 64) */
    unsigned timeout_s; /* idle timeout (0: 10) */
    size_t max_body;    /* bytes (0: 1 MiB) */
    size_t conn_mem;    /* MHD memory per connection (0: 64 KiB) */
    int nice;           /* added to the pool threads' nice value (lower
                           CPU priority than the process's other threads;
                           0: unchanged, capped at 19) */
} sc_httpd_cfg;

/** Start listening. SC_E_IO if the address cannot be bound. */
SC_MUST_USE sc_status sc_httpd_start(sc_httpd **out, const sc_httpd_cfg *cfg,
                                     sc_http_handler fn, void *ctx);
/** The bound port (useful with port 0). */
uint16_t sc_httpd_port(const sc_httpd *h);
/** Requests refused before the handler ran (status 400, 411 or 413:
 *  bad or too large Content-Length, chunked or missing length). */
uint64_t sc_httpd_early_count(const sc_httpd *h, unsigned status);
/** Stop: no new connections; every ASYNC request must have been
 *  completed before (the caller drains its queues first). */
void sc_httpd_stop(sc_httpd *h);

/* Request accessors: borrowed strings, valid during the handler and,
 * for an ASYNC request, until sc_http_complete. */
const char *sc_http_method(const sc_http_req *r);
const char *sc_http_path(const sc_http_req *r);
/** A header (case-insensitive) or NULL. */
const char *sc_http_header(const sc_http_req *r, const char *name);
/** A query argument (decoded) or NULL. */
const char *sc_http_query(const sc_http_req *r, const char *name);
const uint8_t *sc_http_body(const sc_http_req *r, size_t *len);
/** The client's address as text ("127.0.0.1"). */
const char *sc_http_client(const sc_http_req *r);

/** Answer an ASYNC request (any thread, exactly once). Takes resp's
 *  body. */
void sc_http_complete(sc_http_req *r, sc_http_resp *resp);

/* Response helpers. */
/** status + one line of text ("why\n"); printf-style. */
void sc_http_text(sc_http_resp *resp, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** status + a copy of (data, len) with content type ctype. */
void sc_http_bytes(sc_http_resp *resp, unsigned status, const char *ctype,
                   const void *data, size_t len);
/** status + take a malloc'd body. */
void sc_http_take(sc_http_resp *resp, unsigned status, const char *ctype,
                  char *body, size_t len);
/** Add a header (value copied, truncated to 159 bytes). */
void sc_http_add_header(sc_http_resp *resp, const char *name,
                        const char *value);
/** 1 if rel is a plain relative path: [A-Za-z0-9._-/], not empty, no
 *  leading '/', no "..", no "//", at most 200 bytes. */
int sc_http_path_safe(const char *rel);
/** Serve dir/rel as a static file: rel must be a plain relative path of
 *  [A-Za-z0-9._-/] without "..", at most 8 MiB; the content type comes
 *  from the extension. 404 otherwise. */
void sc_http_static(sc_http_resp *resp, const char *dir, const char *rel);

#endif
