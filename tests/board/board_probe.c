/* board_probe: a test client of the board (tests and tools only).
 *
 *   board_probe keygen SKFILE
 *       new Ed25519 key: SKFILE gets the secret (hex, unsealed: tests
 *       only), stdout the public key (64 hex).
 *   board_probe device URL SKFILE JSONL VKEY ACKFILE [FIRST_SEQ]
 *       submit each line of JSONL as a ballot (seq = line number), retry
 *       on transport errors and 503 (same seq: a replay gets the original
 *       receipt); verify each receipt (board signature, inclusion of the
 *       entry fetched from /v1/entry) and append "CODE INDEX" to ACKFILE
 *       (fsync'd) once verified. Exit 0 if all were accepted.
 *   board_probe submit URL SKFILE TYPE SEQ FILE ORIGIN [badsig]
 *       one submission (badsig: its signature spoilt); prints the status
 *       and the body.
 *   board_probe check URL VKEY ACKFILE
 *       the checkpoint verifies; the root recomputed from the entry tiles
 *       equals it; every acknowledged code is in the log exactly once, at
 *       its index.
 *   board_probe blast URL SKFILE JSONL ORIGIN [FIRST_SEQ]
 *       submit every line as a ballot (seq FIRST_SEQ, default 1, for the
 *       first line), no receipt check; print the count
 *       accepted, the wall time and the median latency (ms) (benchmarks).
 *   board_probe door-time RECORD JSONL S_DEVICE
 *       CPU time to check one ballot at the door (sc_door_check), the
 *       median over the lines, in seconds (benchmarks).
 *   board_probe door-rate RECORD JSONL S_DEVICE THREADS
 *       ballots per second (wall clock) that THREADS threads check at
 *       the door (sc_door_check, one shared door, the lines split among
 *       the threads): the ideal ingest rate under the machine's load at
 *       the time (benchmarks).
 *   board_probe hostile URL SKFILE JSONL VKEY GROUP N THREADS
 *       good ballots (every line of JSONL, in order) interleaved with N
 *       hostile requests from THREADS threads; then the board's counters
 *       (GET /v1/metrics) must equal what was sent and answered.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "scrutin/core.h"
#include "scrutin/entry.h"
#include "scrutin/group.h"
#include "scrutin/json.h"
#include "scrutin/tlog.h"
#include "scrutin/verify.h"

#define MAXBODY (8u << 20)

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static size_t on_data(char *d, size_t sz, size_t n, void *ctx)
{
    buf *b = ctx;
    size_t k = sz * n;
    if (b->len + k + 1 > b->cap) {
        size_t nc = (b->len + k + 1) * 2;
        char *np = realloc(b->p, nc);
        if (np == NULL) {
            return 0;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, d, k);
    b->len += k;
    b->p[b->len] = '\0';
    return k;
}

static void hex(char *out, const uint8_t *in, size_t n)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[in[i] >> 4];
        out[2 * i + 1] = d[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int unhex(uint8_t *out, size_t n, const char *s)
{
    return s != NULL && strlen(s) >= 2 * n &&
           sc_hex_decode(out, n, s, 2 * n) == SC_OK;
}

/* One HTTP exchange; returns the status (0: transport error). */
static long http(CURL *c, const char *url, const char *const *hdrs,
                 const void *body, size_t len, int post, buf *out)
{
    out->len = 0;
    if (out->p != NULL) {
        out->p[0] = '\0';
    }
    struct curl_slist *h = NULL;
    for (size_t i = 0; hdrs != NULL && hdrs[i] != NULL; i++) {
        h = curl_slist_append(h, hdrs[i]);
    }
    h = curl_slist_append(h, "Expect:");
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (post) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    }
    curl_slist_free_all(h);
    return status;
}

typedef struct key {
    uint8_t sk[64], pk[32];
} key;

static int load_key(const char *path, key *k)
{
    char *t = NULL;
    size_t len = 0;
    if (sc_file_read_all(path, &t, &len) != SC_OK || !unhex(k->sk, 64, t)) {
        free(t);
        fprintf(stderr, "board_probe: %s: not a key\n", path);
        return 0;
    }
    free(t);
    crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
    return 1;
}

/* The submit headers for payload (type, seq, key) signed by k under
 * origin; sig_flip: corrupt the signature. */
static void make_headers(char h[4][200], const char *origin, const key *k,
                         unsigned type, uint32_t seq, const void *payload,
                         size_t len, const uint8_t *ekey, int sig_flip)
{
    sc_entry e;
    memset(&e, 0, sizeof e);
    e.version = SC_ENTRY_VERSION;
    e.type = (uint8_t)type;
    e.seq = seq;
    e.payload_len = (uint32_t)len;
    crypto_hash_sha256(e.payload_sha256, payload, len);
    if (ekey != NULL) {
        memcpy(e.key, ekey, 32);
    }
    if (sc_entry_sign(&e, origin, k->sk) != SC_OK) {
        abort();
    }
    if (sig_flip) {
        e.sig[5] ^= 1;
    }
    char a[65], s[129], kk[65];
    hex(a, k->pk, 32);
    hex(s, e.sig, 64);
    hex(kk, e.key, 32);
    snprintf(h[0], 200, "Scrutin-Signer: %s", a);
    snprintf(h[1], 200, "Scrutin-Seq: %u", (unsigned)seq);
    snprintf(h[2], 200, "Scrutin-Key: %s", kk);
    snprintf(h[3], 200, "Scrutin-Sig: %s", s);
}

static long submit(CURL *c, const char *url, const char *origin, const key *k,
                   unsigned type, uint32_t seq, const void *payload, size_t len,
                   const uint8_t *ekey, int sig_flip, buf *out)
{
    char h[4][200];
    make_headers(h, origin, k, type, seq, payload, len, ekey, sig_flip);
    const char *hv[5] = {h[0], h[1], h[2], h[3], NULL};
    char u[600];
    snprintf(u, sizeof u, "%s/v1/submit?type=%s", url,
             sc_entry_type_name(type) ? sc_entry_type_name(type) : "x");
    return http(c, u, hv, payload, len, 1, out);
}

/* The board's origin, from its vkey. */
static int parse_vkey(const char *s, sc_vkey *vk)
{
    if (sc_vkey_parse(vk, s, strlen(s)) != SC_OK) {
        fprintf(stderr, "board_probe: bad vkey\n");
        return 0;
    }
    return 1;
}

/* Lines of a file (in place). */
static char **read_lines(const char *path, size_t *n, char **data)
{
    size_t len = 0;
    if (sc_file_read_all(path, data, &len) != SC_OK) {
        return NULL;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += (*data)[i] == '\n';
    }
    char **lines = calloc(cap, sizeof *lines);
    *n = 0;
    char *s = *data;
    while (lines != NULL && *s != '\0') {
        char *nl = strchr(s, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        if (*s != '\0') {
            lines[(*n)++] = s;
        }
        if (nl == NULL) {
            break;
        }
        s = nl + 1;
    }
    return lines;
}

/* The confirmation code of a ballot line. */
static int line_code(const char *line, uint8_t code[32])
{
    const char *p = strstr(line, "\"confirmation_code\":\"");
    return p != NULL && unhex(code, 32, p + 21);
}

/* Verify a receipt for the entry we submitted (type, seq, payload). */
static int verify_receipt(CURL *c, const char *url, const sc_vkey *vk,
                          const char *receipt, const key *k, uint32_t seq,
                          const void *payload, size_t len, uint64_t *index)
{
    sc_tlog_proof p;
    if (sc_tlog_proof_parse(&p, receipt, strlen(receipt)) != SC_OK) {
        fprintf(stderr, "receipt: does not parse\n");
        return 0;
    }
    *index = p.index;
    char u[600];
    snprintf(u, sizeof u, "%s/v1/entry/%llu", url, (unsigned long long)p.index);
    buf b = {0};
    int ok = 0;
    /* the board may be down between its answer and this read (the kill
     * -9 loop of board_e2e.sh): retry while there is no answer */
    long hs = 0;
    for (int t = 0; t < 600; t++) {
        hs = http(c, u, NULL, NULL, 0, 0, &b);
        if (hs != 0 && hs != 503) {
            break;
        }
        usleep(50000);
    }
    if (hs != 200) {
        fprintf(stderr, "receipt: GET %s: HTTP %ld\n", u, hs);
    }
    if (hs == 200) {
        sc_jctx ctx;
        sc_jctx_init(&ctx, "entry", NULL);
        sc_json *o = NULL;
        const char *eh = NULL;
        uint8_t raw[SC_ENTRY_BYTES], sha[32], leaf[32];
        sc_entry e;
        crypto_hash_sha256(sha, payload, len);
        if (sc_json_parse(&ctx, b.p, b.len, &o) == SC_OK &&
            sc_json_get_str(&ctx, o, "entry", &eh) == SC_OK &&
            unhex(raw, SC_ENTRY_BYTES, eh) &&
            sc_entry_decode(&e, raw, sizeof raw) == SC_OK &&
            e.index == p.index && e.seq == seq &&
            memcmp(e.signer, k->pk, 32) == 0 &&
            memcmp(e.payload_sha256, sha, 32) == 0) {
            sc_tlog_leaf_hash(leaf, raw, sizeof raw);
            ok = sc_tlog_proof_verify(&p, leaf, vk, NULL, NULL) == SC_OK;
            if (!ok) {
                fprintf(stderr, "receipt: proof does not verify\n");
            }
        } else {
            fprintf(stderr, "receipt: entry %llu is not ours\n",
                    (unsigned long long)p.index);
        }
        sc_json_free(o);
    }
    free(b.p);
    sc_tlog_proof_clear(&p);
    return ok;
}

static int cmd_keygen(const char *path)
{
    key k;
    crypto_sign_keypair(k.pk, k.sk);
    char s[129], p[65];
    hex(s, k.sk, 64);
    hex(p, k.pk, 32);
    s[128] = '\n';
    if (sc_file_write_atomic_mode(path, s, 129, 0600) != SC_OK) {
        return 3;
    }
    printf("%s\n", p);
    return 0;
}

static int cmd_device(const char *url, const char *skf, const char *jsonl,
                      const char *vks, const char *ackf, uint32_t first)
{
    key k;
    sc_vkey vk;
    size_t n = 0;
    char *data = NULL;
    char **lines = read_lines(jsonl, &n, &data);
    if (!load_key(skf, &k) || !parse_vkey(vks, &vk) || lines == NULL) {
        return 3;
    }
    FILE *ack = fopen(ackf, "a");
    if (ack == NULL) {
        return 3;
    }
    CURL *c = curl_easy_init();
    buf b = {0};
    int ex = 0;
    for (size_t i = first - 1; i < n; i++) {
        uint8_t code[32];
        if (!line_code(lines[i], code)) {
            fprintf(stderr, "line %zu: no confirmation code\n", i + 1);
            ex = 3;
            break;
        }
        long st = 0;
        for (int tries = 0; tries < 600; tries++) {
            st = submit(c, url, vk.name, &k, SC_ENTRY_BALLOT, (uint32_t)(i + 1),
                        lines[i], strlen(lines[i]), code, 0, &b);
            if (st != 0 && st != 503 && st != 429) {
                break;
            }
            usleep(50000);
        }
        uint64_t idx = 0;
        if (st != 200) {
            fprintf(stderr, "ballot %zu: HTTP %ld %s", i + 1, st,
                    b.p ? b.p : "\n");
            ex = 1;
            break;
        }
        if (!verify_receipt(c, url, &vk, b.p, &k, (uint32_t)(i + 1), lines[i],
                            strlen(lines[i]), &idx)) {
            ex = 1;
            break;
        }
        char ch[65];
        hex(ch, code, 32);
        fprintf(ack, "%s %llu\n", ch, (unsigned long long)idx);
        fflush(ack);
        fsync(fileno(ack));
    }
    fclose(ack);
    free(b.p);
    curl_easy_cleanup(c);
    free(lines);
    free(data);
    return ex;
}

static int cmd_submit(const char *url, const char *skf, const char *type,
                      const char *seqs, const char *file, const char *origin,
                      int badsig)
{
    key k;
    char *data = NULL;
    size_t len = 0;
    unsigned t = sc_entry_type_from_name(type);
    if (!load_key(skf, &k) || sc_file_read_all(file, &data, &len) != SC_OK) {
        return 3;
    }
    uint8_t code[32], *kp = NULL;
    if (t == SC_ENTRY_BALLOT && line_code(data, code)) {
        kp = code;
    }
    CURL *c = curl_easy_init();
    buf b = {0};
    long st = submit(c, url, origin, &k, t, (uint32_t)strtoul(seqs, NULL, 10),
                     data, len, kp, badsig, &b);
    printf("%ld\n%s", st, b.p ? b.p : "");
    free(b.p);
    free(data);
    curl_easy_cleanup(c);
    return st == 200 ? 0 : 1;
}

/* --------------------------------------------------------------- check */

static int cmd_check(const char *url, const char *vks, const char *ackf)
{
    sc_vkey vk;
    if (!parse_vkey(vks, &vk)) {
        return 3;
    }
    CURL *c = curl_easy_init();
    buf b = {0};
    char u[700];
    snprintf(u, sizeof u, "%s/checkpoint", url);
    sc_checkpoint cp;
    if (http(c, u, NULL, NULL, 0, 0, &b) != 200 ||
        sc_checkpoint_open(&cp, NULL, b.p, b.len, &vk) != SC_OK) {
        fprintf(stderr, "check: the checkpoint does not verify\n");
        return 1;
    }
    /* The root from the entry bundles. */
    sc_tlog_mem *m = NULL;
    if (sc_tlog_mem_new(&m) != SC_OK) {
        return 3;
    }
    uint8_t *keys = calloc(cp.size + 1, 32);
    uint8_t *types = calloc(cp.size + 1, 1);
    for (uint64_t t = 0; t * 256 < cp.size; t++) {
        unsigned w = sc_tile_width(0, t, cp.size);
        char path[SC_TILE_PATH_MAX];
        if (sc_tile_path(path, sizeof path, SC_TILE_ENTRIES, t, w) != SC_OK) {
            return 3;
        }
        snprintf(u, sizeof u, "%s/%s", url, path);
        if (http(c, u, NULL, NULL, 0, 0, &b) != 200 ||
            b.len != (size_t)w * (2 + SC_ENTRY_BYTES)) {
            fprintf(stderr, "check: %s: missing or short\n", path);
            return 1;
        }
        for (unsigned i = 0; i < w; i++) {
            const uint8_t *e = (const uint8_t *)b.p + i * (2 + SC_ENTRY_BYTES);
            sc_entry de;
            uint8_t leaf[32];
            if (e[0] != 0 || e[1] != SC_ENTRY_BYTES ||
                sc_entry_decode(&de, e + 2, SC_ENTRY_BYTES) != SC_OK ||
                de.index != t * 256 + i) {
                fprintf(stderr, "check: entry %llu is malformed\n",
                        (unsigned long long)(t * 256 + i));
                return 1;
            }
            memcpy(keys + 32 * de.index, de.key, 32);
            types[de.index] = de.type;
            sc_tlog_leaf_hash(leaf, e + 2, SC_ENTRY_BYTES);
            if (sc_tlog_mem_append(m, leaf) != SC_OK) {
                return 3;
            }
        }
    }
    uint8_t root[32];
    if (sc_tlog_root(root, sc_tlog_mem_get, m, cp.size) != SC_OK ||
        memcmp(root, cp.root, 32) != 0) {
        fprintf(stderr, "check: the root recomputed from the entries differs "
                        "from the checkpoint\n");
        return 1;
    }
    sc_tlog_mem_free(m);
    /* Every acknowledged code exactly once, at its index. */
    size_t n = 0;
    char *data = NULL;
    char **lines = read_lines(ackf, &n, &data);
    int ex = 0;
    for (size_t i = 0; lines != NULL && i < n; i++) {
        uint8_t code[32];
        unsigned long long idx = 0;
        char ch[65];
        if (sscanf(lines[i], "%64s %llu", ch, &idx) != 2 ||
            !unhex(code, 32, ch)) {
            continue; /* a torn last line of a killed client */
        }
        unsigned found = 0;
        for (uint64_t e = 0; e < cp.size; e++) {
            if (types[e] == SC_ENTRY_BALLOT &&
                memcmp(keys + 32 * e, code, 32) == 0) {
                found++;
                if (e != idx) {
                    found += 100;
                }
            }
        }
        if (found != 1) {
            fprintf(stderr,
                    "check: acknowledged code %s is in the log %u "
                    "times (or at another index)\n",
                    ch, found);
            ex = 1;
        }
    }
    printf("checkpoint %llu verified; root recomputed; %zu acknowledged "
           "ballots each present once\n",
           (unsigned long long)cp.size, n);
    free(lines);
    free(data);
    free(keys);
    free(types);
    free(b.p);
    curl_easy_cleanup(c);
    return ex;
}

/* ------------------------------------------------------------- hostile */

enum { ST_MAX = 600 };

typedef struct hctx {
    const char *url, *origin;
    const key *dev;
    char **lines;
    size_t n;
    const sc_group *grp;
    atomic_int next;  /* the next good line (0-based) */
    atomic_int *sent; /* by status */
    int total, threads;
    atomic_int done;
    atomic_int failures;
} hctx;

/* Replace the first value of field `field` in line by `val` (same
 * length). Returns a malloc'd copy or NULL. */
static char *replace_field(const char *line, const char *field, const char *val)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", field);
    const char *p = strstr(line, pat);
    if (p == NULL) {
        return NULL;
    }
    p += strlen(pat);
    const char *q = strchr(p, '"');
    if (q == NULL) {
        return NULL;
    }
    size_t pre = (size_t)(p - line), vl = strlen(val);
    char *out = malloc(strlen(line) + vl + 1);
    memcpy(out, line, pre);
    memcpy(out + pre, val, vl);
    strcpy(out + pre + vl, q);
    return out;
}

/* Element values to plant in an "alpha": 0, 1, p-1, p, a non-member. */
static void elem_hex(const sc_group *g, int which, char *out)
{
    mpz_t x;
    mpz_init(x);
    switch (which) {
    case 0: mpz_set_ui(x, 0); break;
    case 1: mpz_set_ui(x, 1); break;
    case 2: mpz_sub_ui(x, g->p, 1); break;
    case 3: mpz_set(x, g->p); break;
    default:
        mpz_set_ui(x, 2);
        while (sc_elem_is_member(g, x)) {
            mpz_add_ui(x, x, 1);
        }
    }
    char *s = mpz_get_str(NULL, 16, x);
    size_t sl = strlen(s), w = 2 * g->lp;
    memset(out, '0', w);
    memcpy(out + (sl < w ? w - sl : 0), s, sl < w ? sl : w);
    out[w] = '\0';
    for (char *p = out; *p; p++) {
        if (*p >= 'a' && *p <= 'f') {
            *p = (char)(*p - 'a' + 'A');
        }
    }
    free(s);
    mpz_clear(x);
}

static void count(hctx *h, long st)
{
    if (st >= 0 && st < ST_MAX) {
        atomic_fetch_add(&h->sent[st], 1);
    }
}

static int dial(const char *url)
{
    unsigned port = 0;
    const char *p = strrchr(url, ':');
    if (p == NULL || sscanf(p + 1, "%u", &port) != 1) {
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Headers announcing 1 GB, no body: the answer must come unread. */
static long raw_oversize(const char *url)
{
    int fd = dial(url);
    if (fd < 0) {
        return 0;
    }
    static const char req[] = "POST /v1/submit?type=ballot HTTP/1.1\r\n"
                              "Host: x\r\nContent-Length: 1000000000\r\n"
                              "Connection: close\r\n\r\n";
    char ans[512];
    long st = 0;
    if (write(fd, req, sizeof req - 1) == (ssize_t)(sizeof req - 1)) {
        ssize_t n = read(fd, ans, sizeof ans - 1);
        if (n > 12) {
            ans[n] = '\0';
            sscanf(ans, "HTTP/1.1 %ld", &st);
        }
    }
    close(fd);
    return st;
}

/* One hostile request of kind `kind`; returns the status. */
static long hostile_one(hctx *h, CURL *c, int kind, unsigned rnd, buf *b,
                        int *want)
{
    int cur = atomic_load(&h->next);
    if (cur >= (int)h->n) {
        cur = (int)h->n - 1;
    }
    const char *line = h->lines[cur];
    uint32_t seq = (uint32_t)cur + 1;
    uint8_t code[32];
    line_code(line, code);
    char u[600];
    *want = 0;
    switch (kind) {
    case 0: /* oversized by Content-Length: refused unread */
        *want = 413;
        return raw_oversize(h->url);
    case 1: { /* malformed body, good signature */
        char junk[300];
        for (size_t i = 0; i < sizeof junk; i++) {
            junk[i] = (char)(' ' + (rnd + i * 7) % 90);
        }
        *want = 400;
        return submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT, seq, junk,
                      sizeof junk, code, 0, b);
    }
    case 2: /* bad signature */
        *want = 401;
        return submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT, seq, line,
                      strlen(line), code, 1, b);
    case 3: { /* unknown signer */
        key k;
        crypto_sign_keypair(k.pk, k.sk);
        *want = 401;
        return submit(c, h->url, h->origin, &k, SC_ENTRY_BALLOT, 1, line,
                      strlen(line), code, 0, b);
    }
    case 4: { /* replay of an accepted ballot: its receipt */
        if (cur == 0) {
            *want = -1;
            return -1;
        }
        unsigned r = rnd % (unsigned)cur;
        const char *old = h->lines[r];
        uint8_t oc[32];
        line_code(old, oc);
        *want = 200;
        return submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT, r + 1, old,
                      strlen(old), oc, 0, b);
    }
    case 5: { /* same seq as an accepted ballot, another payload */
        if (cur == 0 || cur + 1 >= (int)h->n) {
            *want = -1;
            return -1;
        }
        const char *other = h->lines[cur + 1];
        uint8_t oc[32];
        line_code(other, oc);
        *want = 409;
        return submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT,
                      (uint32_t)cur, other, strlen(other), oc, 0, b);
    }
    case 6: { /* wrong chain position: the ballot after next, next seq */
        if (cur + 2 >= (int)h->n) {
            *want = -1;
            return -1;
        }
        const char *other = h->lines[cur + 2];
        uint8_t oc[32];
        line_code(other, oc);
        *want = 409;
        return submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT, seq, other,
                      strlen(other), oc, 0, b);
    }
    case 7: { /* a proof response changed: the proof fails */
        const char *p = strstr(line, "\"v\":[\"");
        if (p == NULL) {
            *want = -1;
            return -1;
        }
        char *bad = strdup(line);
        char *d = bad + (p - line) + 6;
        char *q = strchr(d, '"');
        q[-1] = q[-1] == '0' ? '1' : '0';
        *want = 422;
        long st = submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT, seq,
                         bad, strlen(bad), code, 0, b);
        free(bad);
        return st;
    }
    case 8: { /* group elements 0, 1, p-1, p, a non-member as alpha */
        char v[2 * 512 + 1];
        elem_hex(h->grp, (int)(rnd % 5), v);
        char *bad = replace_field(line, "alpha", v);
        if (bad == NULL) {
            *want = -1;
            return -1;
        }
        *want = 4220; /* 400 or 422 */
        long st = submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT, seq,
                         bad, strlen(bad), code, 0, b);
        free(bad);
        return st;
    }
    case 9: { /* seq far ahead */
        *want = 409;
        return submit(c, h->url, h->origin, h->dev, SC_ENTRY_BALLOT, seq + 5,
                      line, strlen(line), code, 0, b);
    }
    default: { /* a read */
        snprintf(u, sizeof u, "%s/v1/codes/%02x", h->url, rnd & 0xff);
        *want = 200;
        return http(c, u, NULL, NULL, 0, 0, b);
    }
    }
}

static void *hostile_thread(void *arg)
{
    hctx *h = arg;
    CURL *c = curl_easy_init();
    buf b = {0};
    unsigned rnd = (unsigned)(uintptr_t)&b ^ (unsigned)time(NULL);
    for (;;) {
        int i = atomic_fetch_add(&h->done, 1);
        if (i >= h->total) {
            break;
        }
        rnd = rnd * 1103515245u + 12345u;
        int want = 0;
        long st =
            hostile_one(h, c, (int)((rnd >> 8) % 11), rnd >> 4, &b, &want);
        if (st < 0) {
            continue;
        }
        if (st != 200 || want != 200) {
            count(h, st); /* reads and replays are not refusals */
        }
        if (want == 200 && st == 200 && strstr(b.p ? b.p : "", "tlog-proof")) {
            count(h, 1); /* replay, in slot 1 */
        }
        int ok = want == 4220 ? (st == 400 || st == 422) : st == want;
        if (!ok) {
            /* A position-sensitive request raced with a good ballot. */
            /* 429: another request of this device is being checked. */
            if (!(st == 409 || st == 200 || st == 422 || st == 400 ||
                  st == 429)) {
                fprintf(stderr, "hostile: wanted %d, got %ld: %s", want, st,
                        b.p ? b.p : "\n");
                atomic_fetch_add(&h->failures, 1);
            }
        }
    }
    free(b.p);
    curl_easy_cleanup(c);
    return NULL;
}

/* Slow clients: sockets that send half a request and stall. */
static void slow_open(const char *url, int *fds, int n)
{
    for (int i = 0; i < n; i++) {
        fds[i] = dial(url);
        if (fds[i] >= 0) {
            (void)!write(fds[i], "POST /v1/submit HTTP/1.1\r\nHost: x\r\n", 35);
        }
    }
}

static int metric(const char *text, const char *name)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s ", name);
    const char *p = strstr(text, pat);
    if (p == NULL && strncmp(text, name, strlen(name)) == 0) {
        p = text - 1;
    }
    return p != NULL ? atoi(p + strlen(pat)) : -1;
}

static int cmd_hostile(const char *url, const char *skf, const char *jsonl,
                       const char *vks, const char *gname, int total,
                       int threads)
{
    key k;
    sc_vkey vk;
    hctx h;
    memset(&h, 0, sizeof h);
    char *data = NULL;
    h.lines = read_lines(jsonl, &h.n, &data);
    sc_group_id gid;
    sc_group *g = NULL;
    if (!load_key(skf, &k) || !parse_vkey(vks, &vk) || h.lines == NULL ||
        h.n < 3 || sc_group_id_from_name(&gid, gname) != SC_OK ||
        sc_group_new(&g, gid) != SC_OK) {
        return 3;
    }
    h.url = url;
    h.origin = vk.name;
    h.dev = &k;
    h.grp = g;
    h.total = total;
    h.threads = threads;
    h.sent = calloc(ST_MAX, sizeof *h.sent);
    CURL *c = curl_easy_init();
    buf b = {0};
    char u[600];
    snprintf(u, sizeof u, "%s/v1/metrics", url);
    http(c, u, NULL, NULL, 0, 0, &b);
    int base[ST_MAX];
    static const int sts[] = {400, 401, 403, 409, 411, 413, 422, 429, 503};
    char nm[32];
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++) {
        snprintf(nm, sizeof nm, "refused_%d", sts[i]);
        base[sts[i]] = metric(b.p, nm);
    }
    int base_acc = metric(b.p, "accepted"), base_rep = metric(b.p, "replayed");
    int slow[16];
    slow_open(url, slow, 16);
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    for (int i = 0; i < threads; i++) {
        pthread_create(&t[i], NULL, hostile_thread, &h);
    }
    /* The good ballots, in order, while the others flood. */
    int good_fail = 0, accepted = 0;
    for (size_t i = 0; i < h.n; i++) {
        uint8_t code[32];
        line_code(h.lines[i], code);
        long st = 0;
        for (int tries = 0; tries < 200; tries++) {
            st = submit(c, url, vk.name, &k, SC_ENTRY_BALLOT, (uint32_t)(i + 1),
                        h.lines[i], strlen(h.lines[i]), code, 0, &b);
            if (st != 503 && st != 429 && st != 0) {
                break;
            }
            count(&h, st);
            usleep(20000);
        }
        if (st != 200) {
            fprintf(stderr, "good ballot %zu refused: %ld %s", i + 1, st,
                    b.p ? b.p : "\n");
            good_fail++;
            break;
        }
        accepted++;
        atomic_store(&h.next, (int)i + 1);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
    }
    for (int i = 0; i < 16; i++) {
        if (slow[i] >= 0) {
            close(slow[i]);
        }
    }
    http(c, u, NULL, NULL, 0, 0, &b);
    int ex = good_fail || atomic_load(&h.failures) ? 1 : 0;
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++) {
        snprintf(nm, sizeof nm, "refused_%d", sts[i]);
        int got = metric(b.p, nm) - base[sts[i]];
        int want = atomic_load(&h.sent[sts[i]]);
        printf("%s sent %d counted %d\n", nm, want, got);
        if (got != want) {
            ex = 1;
        }
    }
    int acc = metric(b.p, "accepted") - base_acc;
    int rep = metric(b.p, "replayed") - base_rep;
    printf("accepted sent %d counted %d\nreplayed sent %d counted %d\n",
           accepted, acc, atomic_load(&h.sent[1]), rep);
    if (acc != accepted || rep != atomic_load(&h.sent[1])) {
        ex = 1;
    }
    printf("hostile requests %d, good ballots %d/%zu, failures %d\n", total,
           accepted, h.n, atomic_load(&h.failures));
    free(b.p);
    curl_easy_cleanup(c);
    free(t);
    free(h.sent);
    free(h.lines);
    free(data);
    sc_group_free(g);
    return ex;
}

static double now_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmd_blast(const char *url, const char *skf, const char *jsonl,
                     const char *origin, uint32_t first)
{
    key k;
    size_t n = 0;
    char *data = NULL;
    char **lines = read_lines(jsonl, &n, &data);
    if (!load_key(skf, &k) || lines == NULL || n == 0) {
        return 3;
    }
    double *lat = calloc(n, sizeof *lat);
    CURL *c = curl_easy_init();
    buf b = {0};
    size_t ok = 0;
    double t0 = now_s(CLOCK_MONOTONIC);
    for (size_t i = 0; i < n; i++) {
        uint8_t code[32];
        line_code(lines[i], code);
        long st = 0;
        double s0 = now_s(CLOCK_MONOTONIC);
        for (int tries = 0; tries < 600; tries++) {
            st =
                submit(c, url, origin, &k, SC_ENTRY_BALLOT, first + (uint32_t)i,
                       lines[i], strlen(lines[i]), code, 0, &b);
            if (st != 0 && st != 503 && st != 429) {
                break;
            }
            usleep(5000);
        }
        lat[i] = now_s(CLOCK_MONOTONIC) - s0;
        ok += st == 200;
    }
    double wall = now_s(CLOCK_MONOTONIC) - t0;
    qsort(lat, n, sizeof *lat, cmp_dbl);
    printf("accepted %zu of %zu wall %.3f median_ms %.3f\n", ok, n, wall,
           lat[n / 2] * 1e3);
    free(lat);
    free(b.p);
    curl_easy_cleanup(c);
    free(lines);
    free(data);
    return ok == n ? 0 : 1;
}

static int cmd_door_time(const char *rec, const char *jsonl, const char *sdev)
{
    size_t n = 0;
    char *data = NULL, err[256] = "";
    char **lines = read_lines(jsonl, &n, &data);
    sc_door *d = NULL;
    if (lines == NULL || n == 0 ||
        sc_door_new_from_dir(&d, rec, 1, err, sizeof err) != SC_OK) {
        fprintf(stderr, "door-time: %s\n", err);
        return 3;
    }
    sc_door_device dev;
    sc_door_device_init(d, &dev, 1, sdev, strlen(sdev), SC_DOOR_CHAIN_SIMPLE);
    double *t = calloc(n, sizeof *t);
    uint8_t prev[32];
    int ex = 0;
    for (size_t i = 0; i < n; i++) {
        sc_door_result res;
        double c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
        if (sc_door_check(d, &dev, i + 1, i > 0 ? prev : NULL, lines[i],
                          strlen(lines[i]), &res) != SC_OK ||
            res.verdict != SC_DOOR_ACCEPT) {
            fprintf(stderr, "door-time: ballot %zu: %s\n", i + 1, res.reason);
            ex = 1;
            break;
        }
        t[i] = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        memcpy(prev, res.code, 32);
    }
    if (ex == 0) {
        qsort(t, n, sizeof *t, cmp_dbl);
        printf("%.6f\n", t[n / 2]);
    }
    free(t);
    sc_door_free(d);
    free(lines);
    free(data);
    return ex;
}

typedef struct rate_ctx {
    sc_door *d;
    const char *sdev;
    char **lines;
    uint8_t (*codes)[32];
    size_t n;
    atomic_size_t next;
    atomic_int bad;
} rate_ctx;

static void *rate_thread(void *arg)
{
    rate_ctx *r = arg;
    sc_door_device dev;
    sc_door_device_init(r->d, &dev, 1, r->sdev, strlen(r->sdev),
                        SC_DOOR_CHAIN_SIMPLE);
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->n) {
            return NULL;
        }
        sc_door_result res;
        if (sc_door_check(r->d, &dev, i + 1, i > 0 ? r->codes[i - 1] : NULL,
                          r->lines[i], strlen(r->lines[i]), &res) != SC_OK ||
            res.verdict != SC_DOOR_ACCEPT) {
            if (atomic_fetch_add(&r->bad, 1) == 0) {
                fprintf(stderr, "door-rate: ballot %zu: %s\n", i + 1,
                        res.reason);
            }
        }
    }
}

static int cmd_door_rate(const char *rec, const char *jsonl, const char *sdev,
                         int threads)
{
    rate_ctx r;
    memset(&r, 0, sizeof r);
    char *data = NULL, err[256] = "";
    r.lines = read_lines(jsonl, &r.n, &data);
    r.sdev = sdev;
    if (r.lines == NULL || r.n == 0 || threads < 1 || threads > 256 ||
        sc_door_new_from_dir(&r.d, rec, 1, err, sizeof err) != SC_OK) {
        fprintf(stderr, "door-rate: %s\n", err);
        return 3;
    }
    r.codes = calloc(r.n, sizeof *r.codes);
    for (size_t i = 0; i < r.n; i++) {
        line_code(r.lines[i], r.codes[i]);
    }
    pthread_t t[256];
    double t0 = now_s(CLOCK_MONOTONIC);
    for (int i = 0; i < threads; i++) {
        pthread_create(&t[i], NULL, rate_thread, &r);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
    }
    double wall = now_s(CLOCK_MONOTONIC) - t0;
    int ex = atomic_load(&r.bad) != 0;
    if (ex) {
        fprintf(stderr, "door-rate: %d ballots refused\n", atomic_load(&r.bad));
    } else {
        printf("%.3f\n", (double)r.n / wall);
    }
    free(r.codes);
    sc_door_free(r.d);
    free(r.lines);
    free(data);
    return ex;
}

int main(int argc, char **argv)
{
    if (sc_init() != SC_OK || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        return 3;
    }
    if (argc == 3 && strcmp(argv[1], "keygen") == 0) {
        return cmd_keygen(argv[2]);
    }
    if ((argc == 7 || argc == 8) && strcmp(argv[1], "device") == 0) {
        return cmd_device(argv[2], argv[3], argv[4], argv[5], argv[6],
                          argc == 8 ? (uint32_t)atoi(argv[7]) : 1);
    }
    if ((argc == 8 || (argc == 9 && strcmp(argv[8], "badsig") == 0)) &&
        strcmp(argv[1], "submit") == 0) {
        return cmd_submit(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7],
                          argc == 9);
    }
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "blast") == 0) {
        return cmd_blast(argv[2], argv[3], argv[4], argv[5],
                         argc == 7 ? (uint32_t)atoi(argv[6]) : 1);
    }
    if (argc == 5 && strcmp(argv[1], "door-time") == 0) {
        return cmd_door_time(argv[2], argv[3], argv[4]);
    }
    if (argc == 6 && strcmp(argv[1], "door-rate") == 0) {
        return cmd_door_rate(argv[2], argv[3], argv[4], atoi(argv[5]));
    }
    if (argc == 5 && strcmp(argv[1], "check") == 0) {
        return cmd_check(argv[2], argv[3], argv[4]);
    }
    if (argc == 9 && strcmp(argv[1], "hostile") == 0) {
        return cmd_hostile(argv[2], argv[3], argv[4], argv[5], argv[6],
                           atoi(argv[7]), atoi(argv[8]));
    }
    fprintf(stderr, "usage: see the comment at the top of board_probe.c\n");
    return 2;
}
