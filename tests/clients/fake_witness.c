/* A minimal tlog-witness for the clients' end-to-end test (docs/BOARD.md
 * §5): POST /add-checkpoint checks the board's signature, the old size
 * against its own (409 with its size otherwise) and the consistency
 * proof from its last checkpoint (422), then answers with its
 * cosignature line. State in memory only: a test double, not the
 * witness server.
 *
 *   fake_witness vkey NAME SEEDBYTE         print the witness's vkey
 *   fake_witness serve NAME SEEDBYTE BOARDVKEY PORTFILE */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "net/httpd.h"
#include "scrutin/core.h"
#include "scrutin/tlog.h"

static char g_name[64];
static uint8_t g_sk[64], g_pk[32];
static sc_vkey g_board;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t g_size;
static uint8_t g_root[32];

static void keys(const char *seedbyte)
{
    uint8_t seed[32];
    memset(seed, atoi(seedbyte), 32);
    crypto_sign_seed_keypair(g_pk, g_sk, seed);
}

static int handler(void *ctx, sc_http_req *r, sc_http_resp *resp)
{
    (void)ctx;
    if (strcmp(sc_http_path(r), "/add-checkpoint") != 0) {
        sc_http_text(resp, 404, "not found");
        return SC_HTTP_DONE;
    }
    size_t len = 0;
    const uint8_t *body = sc_http_body(r, &len);
    sc_add_checkpoint a;
    if (sc_add_checkpoint_parse(&a, (const char *)body, len) != SC_OK) {
        sc_http_text(resp, 400, "malformed");
        return SC_HTTP_DONE;
    }
    sc_checkpoint cp;
    sc_note n;
    if (sc_checkpoint_open(&cp, &n, a.signed_cp, a.signed_cp_len, &g_board) !=
        SC_OK) {
        sc_add_checkpoint_clear(&a);
        sc_http_text(resp, 403, "bad log signature");
        return SC_HTTP_DONE;
    }
    pthread_mutex_lock(&g_mu);
    if (a.old > cp.size) {
        sc_http_text(resp, 400, "old > size");
    } else if (a.old != g_size) {
        char b[32];
        snprintf(b, sizeof b, "%llu\n", (unsigned long long)g_size);
        sc_http_bytes(resp, 409, "text/x.tlog.size", b, strlen(b));
    } else if (g_size > 0 &&
               sc_tlog_consistency_verify(g_size, g_root, cp.size, cp.root,
                                          (const uint8_t(*)[32])a.proof,
                                          a.nproof) != SC_OK) {
        sc_http_text(resp, 422, "inconsistent");
    } else {
        g_size = cp.size;
        memcpy(g_root, cp.root, 32);
        /* cosign the text alone and send the line */
        sc_note c;
        char *out = NULL;
        size_t ol = 0;
        if (sc_note_init(&c, n.text, n.text_len) == SC_OK &&
            sc_cosig_sign(&c, g_name, g_sk, (uint64_t)time(NULL)) == SC_OK &&
            sc_note_format(&c, &out, &ol) == SC_OK) {
            const char *line = out + n.text_len + 1;
            sc_http_bytes(resp, 200, "text/plain", line, strlen(line));
        } else {
            sc_http_text(resp, 500, "cannot cosign");
        }
        free(out);
        sc_note_clear(&c);
    }
    pthread_mutex_unlock(&g_mu);
    sc_note_clear(&n);
    sc_add_checkpoint_clear(&a);
    return SC_HTTP_DONE;
}

int main(int argc, char **argv)
{
    if (sc_init() != SC_OK || argc < 4) {
        fprintf(stderr, "usage: fake_witness vkey|serve NAME SEED ...\n");
        return 2;
    }
    snprintf(g_name, sizeof g_name, "%s", argv[2]);
    keys(argv[3]);
    if (strcmp(argv[1], "vkey") == 0) {
        sc_vkey v;
        char s[SC_VKEY_MAX];
        if (sc_vkey_make(&v, g_name, SC_NOTE_COSIG, g_pk) != SC_OK ||
            sc_vkey_format(s, sizeof s, &v) != SC_OK) {
            return 3;
        }
        printf("%s\n", s);
        return 0;
    }
    if (argc != 6 ||
        sc_vkey_parse(&g_board, argv[4], strlen(argv[4])) != SC_OK) {
        fprintf(stderr, "fake_witness: serve NAME SEED BOARDVKEY PORTFILE\n");
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    sc_httpd_cfg cfg = {"127.0.0.1:0", 2, 0, 0, 10, 0, 0};
    sc_httpd *h = NULL;
    if (sc_httpd_start(&h, &cfg, handler, NULL) != SC_OK) {
        return 3;
    }
    FILE *f = fopen(argv[5], "w");
    if (f == NULL) {
        return 3;
    }
    fprintf(f, "%u\n", sc_httpd_port(h));
    fclose(f);
    int sig = 0;
    sigwait(&set, &sig);
    sc_httpd_stop(h);
    return 0;
}
