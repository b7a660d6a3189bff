/* A test log for the witness: builds checkpoints of two trees that share
 * their first 3 leaves (tree A, and its fork B) with a test board key,
 * posts add-checkpoint requests and checks the answers.
 *
 *   witness_client vkey                      the board's vkey
 *   witness_client post URL SIZE OLD [fork|badsig|unknown|nosig]
 *       print "<status>" and the body; "cosig ok" when a 200's line
 *       verifies under WITNESS_VKEY (environment)
 *   witness_client run URL LOG N SEED [PID MS]  N requests like a log
 *       that retries on 409; every cosigned (size, root) appended to LOG;
 *       exit 4 when the witness stops answering. With PID: MS ms after
 *       the first cosignature, kill -9 PID (the witness) while the
 *       requests go on
 *   witness_client wait-port FILE PID       wait until FILE (a port file)
 *       is written, or until process PID ends (exit 3): no polling, the
 *       file's directory is watched (inotify) and the process too (pidfd)
 *   witness_client round FILE PID LOG N SEED MS   one round of the kill
 *       test in one process: wait-port FILE PID, check, then run with
 *       the kill of PID MS ms after the first cosignature
 *   witness_client check URL LOG             the witness's checkpoint
 *       (GET) carries valid board and witness signatures, is at least
 *       the largest size in LOG, and no size in LOG has two roots */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "net/httpc.h"
#include "scrutin/core.h"
#include "scrutin/tlog.h"

#define ORIGIN "scrutin.board/0123456789abcdef"
#define MAXN 200

static uint8_t board_sk[64];
static sc_vkey board;
static sc_tlog_mem *tree[2];

static void die(const char *m)
{
    fprintf(stderr, "witness_client: %s\n", m);
    exit(3);
}

static void setup(void)
{
    uint8_t seed[32], pk[32];
    memset(seed, 1, 32);
    crypto_sign_seed_keypair(pk, board_sk, seed);
    if (sc_vkey_make(&board, ORIGIN, SC_NOTE_ED25519, pk) != SC_OK) {
        die("vkey");
    }
    for (int t = 0; t < 2; t++) {
        if (sc_tlog_mem_new(&tree[t]) != SC_OK) {
            die("mem");
        }
        for (int i = 0; i < MAXN; i++) {
            uint8_t d[3] = {(uint8_t)(i < 3 ? 'A' : 'A' + t), (uint8_t)(i >> 8),
                            (uint8_t)i};
            uint8_t leaf[32];
            sc_tlog_leaf_hash(leaf, d, sizeof d);
            if (sc_tlog_mem_append(tree[t], leaf) != SC_OK) {
                die("append");
            }
        }
    }
}

/* The signed checkpoint of tree t at size (malloc'd). */
static char *checkpoint(int t, uint64_t size, const char *origin, int sign,
                        int badsig, uint8_t root[32])
{
    sc_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.origin, sizeof cp.origin, "%s", origin);
    cp.size = size;
    if (sc_tlog_root(cp.root, sc_tlog_mem_get, tree[t], size) != SC_OK) {
        die("root");
    }
    if (root) {
        memcpy(root, cp.root, 32);
    }
    char text[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t len;
    sc_note n;
    if (sc_checkpoint_format(text, sizeof text, &len, &cp) != SC_OK ||
        sc_note_init(&n, text, len) != SC_OK) {
        die("checkpoint");
    }
    if (sign && sc_note_sign(&n, origin, board_sk) != SC_OK) {
        die("sign");
    }
    if (!sign && sc_note_add_sig(&n, "someone.else", 1, (const uint8_t *)"x",
                                 1) != SC_OK) {
        die("sig");
    }
    if (badsig) {
        n.sigs[0].sig[0] ^= 1;
    }
    char *out;
    if (sc_note_format(&n, &out, &len) != SC_OK) {
        die("format");
    }
    sc_note_clear(&n);
    return out;
}

static char *body_for(int t, uint64_t size, uint64_t old, const char *origin,
                      int sign, int badsig, size_t *blen, uint8_t root[32])
{
    uint8_t proof[SC_TLOG_MAX_PROOF][32];
    size_t np = 0;
    if (old > 0 && old < size &&
        sc_tlog_consistency_proof(proof, &np, sc_tlog_mem_get, tree[t], old,
                                  size) != SC_OK) {
        die("proof");
    }
    char *cp = checkpoint(t, size, origin, sign, badsig, root);
    char *body;
    if (sc_add_checkpoint_format(&body, blen, old, (const uint8_t(*)[32])proof,
                                 np, cp, strlen(cp)) != SC_OK) {
        die("body");
    }
    free(cp);
    return body;
}

static sc_status post(const char *url, const char *body, size_t len,
                      sc_httpc_resp *r)
{
    char *u = sc_httpc_url(url, "/add-checkpoint");
    char err[256];
    sc_httpc_opts o = {.connect_timeout_ms = 2000, .timeout_ms = 10000};
    sc_status rc = sc_httpc_post(u, "text/plain", NULL, 0, body, len, &o, r,
                                 err, sizeof err);
    free(u);
    return rc;
}

/* Does the answer hold a cosignature of the checkpoint by the witness? */
static int cosig_ok(int t, uint64_t size, const char *line)
{
    const char *wv = getenv("WITNESS_VKEY");
    sc_vkey w;
    if (wv == NULL || sc_vkey_parse(&w, wv, strlen(wv)) != SC_OK) {
        return 0;
    }
    char *cp = checkpoint(t, size, ORIGIN, 1, 0, NULL);
    size_t cl = strlen(cp), ll = strlen(line);
    char *all = malloc(cl + ll + 1);
    memcpy(all, cp, cl);
    memcpy(all + cl, line, ll + 1);
    sc_note n;
    int ok = sc_note_parse(&n, all, cl + ll) == SC_OK &&
             sc_cosig_verify(&n, &w, NULL) == SC_OK;
    if (ok) {
        sc_note_clear(&n);
    }
    free(all);
    free(cp);
    return ok;
}

static int cmd_post(int argc, char **argv)
{
    if (argc < 5) {
        die("post URL SIZE OLD [fork|badsig|unknown|nosig]");
    }
    uint64_t size = strtoull(argv[3], NULL, 10),
             old = strtoull(argv[4], NULL, 10);
    const char *mode = argc > 5 ? argv[5] : "";
    int t = strcmp(mode, "fork") == 0;
    const char *origin = strcmp(mode, "unknown") == 0
                             ? "scrutin.board/ffffffffffffffff"
                             : ORIGIN;
    size_t blen;
    char *body = body_for(t, size, old, origin, strcmp(mode, "nosig") != 0,
                          strcmp(mode, "badsig") == 0, &blen, NULL);
    sc_httpc_resp r;
    if (post(argv[2], body, blen, &r) != SC_OK) {
        die("no answer");
    }
    printf("%ld\n%s", r.status, r.body ? r.body : "");
    if (r.status == 409) {
        printf("ctype %s\n", r.ctype);
    }
    if (r.status == 200 && cosig_ok(t, size, r.body)) {
        printf("cosig ok\n");
    }
    sc_httpc_resp_free(&r);
    free(body);
    return 0;
}

/* A child that kills `pid` (SIGKILL) `ms` milliseconds from now, while
 * the caller goes on with its requests; -1 if it cannot fork. */
static pid_t kill_later(pid_t pid, long ms)
{
    pid_t k = fork();
    if (k == 0) {
        struct timespec d = {.tv_sec = ms / 1000,
                             .tv_nsec = (ms % 1000) * 1000000L};
        while (nanosleep(&d, &d) != 0 && errno == EINTR) {
        }
        kill(pid, SIGKILL);
        _exit(0);
    }
    return k;
}

static int cmd_run(int argc, char **argv)
{
    if (argc < 6) {
        die("run URL LOG N SEED [PID MS]");
    }
    const char *url = argv[2];
    FILE *log = fopen(argv[3], "a");
    int n = atoi(argv[4]);
    srand((unsigned)atoi(argv[5]));
    pid_t victim = argc >= 8 ? (pid_t)atol(argv[6]) : 0;
    long kill_ms = argc >= 8 ? atol(argv[7]) : 0;
    pid_t killer = 0; /* armed at the first cosignature */
    if (log == NULL) {
        die("log");
    }
    int ret = 0;
    uint64_t old = 0;
    for (int i = 0; i < n && ret == 0; i++) {
        int t = rand() % 4 == 0; /* mostly A, sometimes the fork */
        uint64_t size = old + (uint64_t)(rand() % 6);
        if (size > MAXN) {
            size = MAXN;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            size_t blen;
            uint8_t root[32];
            if (size < old) {
                size = old;
            }
            char *body = body_for(t, size, old, ORIGIN, 1, 0, &blen, root);
            sc_httpc_resp r;
            sc_status rc = post(url, body, blen, &r);
            free(body);
            if (rc != SC_OK || r.status == 0 || r.status == 503) {
                sc_httpc_resp_free(&r);
                ret = 4; /* the witness is gone */
                break;
            }
            if (r.status == 200) {
                if (!cosig_ok(t, size, r.body)) {
                    die("200 without a valid cosignature");
                }
                char b64[48];
                if (sc_b64_encode(b64, sizeof b64, root, 32) != SC_OK) {
                    die("b64");
                }
                fprintf(log, "%llu %s\n", (unsigned long long)size, b64);
                fflush(log);
                old = size;
                if (victim > 0 && killer == 0) {
                    killer = kill_later(victim, kill_ms);
                    if (killer < 0) {
                        die("fork");
                    }
                }
            } else if (r.status == 409) {
                uint64_t s;
                if (sc_tlog_size_body_parse(&s, r.body, r.len) != SC_OK ||
                    strcmp(r.ctype, "text/x.tlog.size") != 0) {
                    die("bad 409 body");
                }
                old = s;
                sc_httpc_resp_free(&r);
                continue;
            } else if (r.status != 422) {
                fprintf(stderr, "witness_client: unexpected %ld %s\n", r.status,
                        r.body ? r.body : "");
                exit(3);
            }
            sc_httpc_resp_free(&r);
            break;
        }
    }
    fclose(log);
    if (killer > 0) {
        waitpid(killer, NULL, 0); /* no kill left to land after we exit */
    }
    return ret;
}

/* Wait for the port file of a starting server, or for its end. */
static int cmd_wait_port(int argc, char **argv)
{
    if (argc < 4) {
        die("wait-port FILE PID");
    }
    const char *file = argv[2];
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    if (slash == NULL) {
        snprintf(dir, sizeof dir, ".");
    } else {
        *slash = '\0';
    }
    int in = inotify_init1(IN_CLOEXEC);
    int pfd = (int)syscall(SYS_pidfd_open, (pid_t)atol(argv[3]), 0);
    if (pfd < 0 && errno != ESRCH) { /* ESRCH: gone already */
        die("pidfd_open");
    }
    if (in < 0 ||
        inotify_add_watch(in, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
        die("inotify");
    }
    for (;;) {
        /* watched first, then looked at: no write falls in between */
        struct stat st;
        if (stat(file, &st) == 0 && st.st_size > 0) {
            return 0;
        }
        if (pfd < 0) {
            fprintf(stderr, "witness_client: the server is gone\n");
            return 3;
        }
        struct pollfd p[2] = {{.fd = in, .events = POLLIN},
                              {.fd = pfd, .events = POLLIN}};
        if (poll(p, 2, -1) < 0 && errno != EINTR) {
            die("poll");
        }
        if (p[1].revents != 0) {
            if (stat(file, &st) == 0 && st.st_size > 0) {
                return 0;
            }
            fprintf(stderr, "witness_client: the server ended before "
                            "listening\n");
            return 3;
        }
        char buf[4096];
        if (p[0].revents != 0 && read(in, buf, sizeof buf) < 0) {
            die("inotify read");
        }
    }
}

static int cmd_check(int argc, char **argv)
{
    if (argc < 4) {
        die("check URL LOG");
    }
    uint8_t h[32];
    crypto_hash_sha256(h, (const uint8_t *)ORIGIN, strlen(ORIGIN));
    char path[80] = "/";
    for (int i = 0; i < 32; i++) {
        snprintf(path + 1 + 2 * i, 3, "%02x", h[i]);
    }
    strcat(path, "/checkpoint");
    char *u = sc_httpc_url(argv[2], path), err[256];
    sc_httpc_resp r;
    if (sc_httpc_get(u, NULL, &r, err, sizeof err) != SC_OK) {
        die(err);
    }
    free(u);
    uint64_t cur_size = 0;
    uint8_t cur_root[32] = {0};
    if (r.status == 200) {
        sc_checkpoint cp;
        sc_note n;
        const char *wv = getenv("WITNESS_VKEY");
        sc_vkey w;
        if (sc_checkpoint_open(&cp, &n, r.body, r.len, &board) != SC_OK ||
            wv == NULL || sc_vkey_parse(&w, wv, strlen(wv)) != SC_OK ||
            sc_cosig_verify(&n, &w, NULL) != SC_OK) {
            die("the witness's checkpoint does not verify");
        }
        sc_note_clear(&n);
        cur_size = cp.size;
        memcpy(cur_root, cp.root, 32);
    } else if (r.status != 404) {
        die("GET checkpoint failed");
    }
    sc_httpc_resp_free(&r);
    static char roots[MAXN + 1][48];
    FILE *log = fopen(argv[3], "r");
    uint64_t max = 0;
    unsigned long long s;
    char b64[64];
    int lines = 0;
    while (log != NULL && fscanf(log, "%llu %63s", &s, b64) == 2) {
        lines++;
        if (s > MAXN) {
            die("size out of range in the log");
        }
        if (roots[s][0] != '\0' && strcmp(roots[s], b64) != 0) {
            fprintf(stderr,
                    "witness_client: size %llu cosigned with two roots\n", s);
            return 1;
        }
        snprintf(roots[s], sizeof roots[s], "%s", b64);
        max = s > max ? s : max;
    }
    if (log) {
        fclose(log);
    }
    if (cur_size < max) {
        fprintf(stderr,
                "witness_client: the witness went back: size %llu after "
                "cosigning %llu\n",
                (unsigned long long)cur_size, (unsigned long long)max);
        return 1;
    }
    char cur[48];
    if (sc_b64_encode(cur, sizeof cur, cur_root, 32) != SC_OK) {
        die("b64");
    }
    if (cur_size > 0 && roots[cur_size][0] != '\0' &&
        strcmp(roots[cur_size], cur) != 0) {
        fprintf(stderr, "witness_client: size %llu: current root differs\n",
                (unsigned long long)cur_size);
        return 1;
    }
    printf("ok: witness at size %llu, %d cosignatures logged, max %llu\n",
           (unsigned long long)cur_size, lines, (unsigned long long)max);
    return 0;
}

/* One round of the kill loop (wait-port, check, run; exit 1: the check
 * failed): one process instead of three, each costly under ASan. */
static int cmd_round(int argc, char **argv)
{
    if (argc < 8) {
        die("round FILE PID LOG N SEED MS");
    }
    char wp[] = "wait-port", ck[] = "check", rn[] = "run", url[64];
    char *wargv[] = {argv[0], wp, argv[2], argv[3]};
    int rc = cmd_wait_port(4, wargv);
    if (rc != 0) {
        return rc;
    }
    FILE *f = fopen(argv[2], "r");
    unsigned port = 0;
    if (f == NULL || fscanf(f, "%u", &port) != 1) {
        die("port file");
    }
    fclose(f);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
    char *cargv[] = {argv[0], ck, url, argv[4]};
    if (cmd_check(4, cargv) != 0) {
        return 1;
    }
    fflush(stdout);
    char *rargv[] = {argv[0], rn,      url,     argv[4],
                     argv[5], argv[6], argv[3], argv[7]};
    return cmd_run(8, rargv);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "wait-port") == 0) {
        return cmd_wait_port(argc, argv);
    }
    if (sc_init() != SC_OK || argc < 2) {
        die("usage: vkey | post | run | check");
    }
    setup();
    if (strcmp(argv[1], "vkey") == 0) {
        char v[SC_VKEY_MAX];
        if (sc_vkey_format(v, sizeof v, &board) != SC_OK) {
            die("vkey");
        }
        printf("%s\n", v);
        return 0;
    }
    if (strcmp(argv[1], "post") == 0) {
        return cmd_post(argc, argv);
    }
    if (strcmp(argv[1], "run") == 0) {
        return cmd_run(argc, argv);
    }
    if (strcmp(argv[1], "check") == 0) {
        return cmd_check(argc, argv);
    }
    if (strcmp(argv[1], "round") == 0) {
        return cmd_round(argc, argv);
    }
    die("unknown command");
    return 3;
}
