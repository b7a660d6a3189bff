/* scrutin board: create and serve the bulletin board (docs/BOARD.md), and
 * the election authority's entries.
 *
 * The authority's commands (register-device, set-policy, post, close)
 * write through the store: the server must be stopped (a lock file in the
 * state directory says whether it runs). They run the same checks and the
 * same transaction as the server, and print the receipt. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/board.h"
#include "board_help.h"
#include "commands.h"
#include "util.h"
#include "scrutin/ceremony.h"
#include "scrutin/core.h"
#include "scrutin/edkey.h"
#include "scrutin/entry.h"
#include "scrutin/json.h"
#include "scrutin/record.h"
#include "scrutin/tlog.h"

static const char USAGE[] =
    "usage: scrutin board <step> [options]\n"
    "\n"
    "The election's bulletin board (docs/BOARD.md).\n"
    "\n"
    "steps:\n"
    "  init             create a board from a record whose key ceremony is\n"
    "                   done: board.db (entry 0 = the election), the board\n"
    "                   key and the authority key (sealed)\n"
    "                   needs --record, --state\n"
    "  serve            serve it over HTTP; needs --state, --listen\n"
    "  register-device  the authority registers a device's Ed25519 key\n"
    "                   needs --device-key HEX, --name S_device\n"
    "  set-policy       the authority publishes the witness policy (JSON,\n"
    "                   docs/BOARD.md 3.3); needs --policy FILE\n"
    "  post             the authority posts a tally, decryption,\n"
    "                   challenged, write_in_count, write_in or result\n"
    "                   entry: --type T FILE (challenged, write_in_count,\n"
    "                   write_in: one entry per line of the file:\n"
    "                   challenged.jsonl, write_in_counts.jsonl,\n"
    "                   write_ins.jsonl); an empty file is refused\n"
    "  results          results.json from a decrypted record, to post as\n"
    "                   the result entry (--record DIR [--out FILE];\n"
    "                   'scrutin board results -h')\n"
    "  close            the authority closes the board: read-only after\n"
    "  export           copy the record from a board's read API\n"
    "                   (--board URL --out DIR; 'scrutin board export -h')\n"
    "\n"
    "The authority's steps write through board.db and need the server to\n"
    "be stopped (they refuse while it runs).\n"
    "\n"
    "Each step has its own help: `scrutin board init --help`,\n"
    "`scrutin board serve --help`, `scrutin board register-device --help`,\n"
    "`scrutin board set-policy --help`, `scrutin board post --help`,\n"
    "`scrutin board results --help`, `scrutin board close --help`,\n"
    "`scrutin board export --help`.\n"
    "\n"
    "options:\n"
    "  --state DIR            board.db, board.key, authority.key\n"
    "  --record DIR           the election record (init)\n"
    "  --passphrase-file F    passphrase of both keys (mode 0600); else asked\n"
    "                         on the terminal\n"
    "  --kdf interactive|moderate  passphrase hashing cost (init)\n"
    "  --listen ADDR:PORT     e.g. 127.0.0.1:8080 (serve)\n"
    "  --web DIR              static files served at / and /web/ (serve;\n"
    "                         default: the installed pages)\n"
    "  --workers N            proof-checking threads, 1-256 (serve; default:\n"
    "                         cores)\n"
    "  --port-file F          write the bound port to F (serve; for :0)\n"
    "  --force                serve a board.db older than its last\n"
    "                         checkpoint (tests of the witnesses only)\n"
    "  --device-key HEX       64 hex digits (register-device)\n"
    "  --name TEXT            S_device (register-device)\n"
    "  --chaining simple|none (register-device; default simple)\n"
    "  --policy FILE          (set-policy)\n"
    "  --type T               tally | decryption | challenged |\n"
    "                         write_in_count | write_in | result (post)\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 ok, 1 refused by the board's checks, 2 usage, 3 other "
    "error.\n";

typedef struct bopts {
    const char *state, *record, *passfile, *listen, *web, *devkey, *name;
    const char *chaining, *policy, *type, *port_file, *fork_witness;
    int accept_invalid; /* test hook builds only */
    int accept_wi;      /* test hook builds only */
    sc_kdf_level kdf;
    int force;
    unsigned workers;
    unsigned long long max_pages;
} bopts;

static int err1(const char *step, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int err1(const char *step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "scrutin board %s: ", step);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_ERROR;
}

static void spath(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* Lock the state directory: the server and the authority's steps exclude
 * each other. Returns the fd (kept open) or -1. */
static int lock_state(const char *step, const char *state)
{
    char p[1024];
    spath(p, sizeof p, state, "board.lock");
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr,
                "scrutin board %s: %s: %s (is %s a board made by "
                "'scrutin board init'?)\n",
                step, p, strerror(errno), state);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        fprintf(stderr,
                "scrutin board %s: %s is in use (is the board being "
                "served?)\n",
                step, state);
        return -1;
    }
    return fd;
}

/* Open both keys with the passphrase. sk buffers are sodium_malloc'd. */
static int load_keys(const char *step, const bopts *o, uint8_t **bsk,
                     uint8_t **ask)
{
    char *pass = NULL;
    size_t plen = 0;
    char p[1024];
    *bsk = sodium_malloc(64);
    if (ask != NULL) {
        *ask = sodium_malloc(64);
    }
    if (*bsk == NULL || (ask != NULL && *ask == NULL)) {
        return err1(step, "%s", "out of memory");
    }
    char cmd[64];
    snprintf(cmd, sizeof cmd, "board %s", step);
    sc_status rc =
        cli_passphrase(cmd, o->passfile, "Board passphrase: ", 0, &pass, &plen);
    if (rc != SC_OK) {
        return EXIT_ERROR;
    }
    spath(p, sizeof p, o->state, SC_BOARD_KEY);
    rc = sc_edkey_load(p, SC_BOARD_KEY_KIND, pass, plen, *bsk, NULL);
    if (rc == SC_OK && ask != NULL) {
        spath(p, sizeof p, o->state, SC_BOARD_AUTH_KEY);
        rc = sc_edkey_load(p, SC_BOARD_AUTH_KIND, pass, plen, *ask, NULL);
    }
    sc_passphrase_free(pass);
    if (rc != SC_OK) {
        fprintf(stderr, "scrutin board %s: cannot open the keys in %s: %s\n",
                step, o->state,
                rc == SC_E_AUTH ? "wrong passphrase or modified file"
                                : sc_strerror(rc));
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

/* ------------------------------------------------------------- init */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The election payload (docs/BOARD.md 3.3). */
static sc_status election_payload(const sc_record *r, const char *origin,
                                  const char *vkey, const uint8_t apk[32],
                                  char **out)
{
    char *names[64];
    size_t n = 0;
    static const char *const fixed[] = {SC_REC_RECORD,    SC_REC_PARAMS,
                                        SC_REC_MANIFEST,  SC_REC_HASHES,
                                        SC_REC_JOINT_KEY, SC_REC_HASHES_EXT};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        names[n++] = strdup(fixed[i]);
    }
    for (uint32_t g = 1; g <= r->n && n < 64; g++) {
        char nm[64];
        snprintf(nm, sizeof nm, "guardians/guardian_%u.json", (unsigned)g);
        names[n++] = strdup(nm);
    }
    qsort(names, n, sizeof names[0], cmp_str);
    sc_json *o = sc_json_object(), *files = sc_json_array();
    char ahex[65];
    static const char d[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        ahex[2 * i] = d[apk[i] >> 4];
        ahex[2 * i + 1] = d[apk[i] & 15];
    }
    ahex[64] = '\0';
    sc_status rc = o != NULL && files != NULL ? SC_OK : SC_E_NOMEM;
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "type", "election");
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "origin", origin);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "board_key", vkey);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "authority_key", ahex);
    }
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        char path[1024], *data = NULL, *b64 = NULL;
        size_t len = 0;
        rc = names[i] == NULL
                 ? SC_E_NOMEM
                 : sc_record_path(path, sizeof path, r->dir, names[i]);
        if (rc == SC_OK) {
            rc = sc_file_read_all(path, &data, &len);
            if (rc != SC_OK) {
                fprintf(stderr, "scrutin board init: %s: cannot read\n", path);
            }
        }
        if (rc == SC_OK) {
            size_t bl = sc_b64_len(len) + 1;
            b64 = malloc(bl);
            rc = b64 == NULL ? SC_E_NOMEM : sc_b64_encode(b64, bl, data, len);
        }
        sc_json *f = rc == SC_OK ? sc_json_object() : NULL;
        if (rc == SC_OK && f == NULL) {
            rc = SC_E_NOMEM;
        }
        if (rc == SC_OK) {
            rc = sc_json_put_str(f, "name", names[i]);
        }
        if (rc == SC_OK) {
            rc = sc_json_put_str(f, "base64", b64);
        }
        if (rc == SC_OK) {
            rc = sc_json_append(files, f);
        } else {
            sc_json_free(f);
        }
        free(data);
        free(b64);
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "files", files);
        files = NULL;
    }
    if (rc == SC_OK) {
        *out = sc_json_dumps(o);
        rc = *out == NULL ? SC_E_NOMEM : SC_OK;
    }
    sc_json_free(files);
    sc_json_free(o);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    return rc;
}

static int do_init(const bopts *o)
{
    if (o->record == NULL || o->state == NULL) {
        fprintf(stderr, "scrutin board init: --record and --state are "
                        "required\n");
        return EXIT_USAGE;
    }
    char err[SC_ERRMAX] = "";
    sc_record *r = NULL;
    sc_status rc =
        sc_record_open(&r, o->record, SC_RECORD_NEED_KEYS, err, sizeof err);
    if (rc != SC_OK) {
        fprintf(stderr, "scrutin board init: %s\n",
                err[0] ? err : sc_strerror(rc));
        return EXIT_ERROR;
    }
    int ex = EXIT_ERROR;
    char *pass = NULL, *payload = NULL;
    size_t plen = 0;
    uint8_t *bsk = sodium_malloc(64), *ask = sodium_malloc(64);
    uint8_t bpk[32], apk[32];
    char origin[64], vkey[SC_VKEY_MAX], p[1024];
    int lock = -1;
    if (bsk == NULL || ask == NULL) {
        goto done;
    }
    /* the passphrase before anything is written: a refused one leaves
     * nothing behind */
    if (cli_passphrase("board init", o->passfile,
                       "New passphrase for the board keys: ", 1, &pass,
                       &plen) != SC_OK) {
        goto done;
    }
    if (mkdir(o->state, 0700) != 0 && errno != EEXIST) {
        err1("init", "cannot create %s", o->state);
        goto done;
    }
    spath(p, sizeof p, o->state, SC_BOARD_DB);
    if (access(p, F_OK) == 0) {
        err1("init", "%s: a board is there already; not overwriting it", p);
        goto done;
    }
    lock = lock_state("init", o->state);
    if (lock < 0) {
        goto done;
    }
    snprintf(origin, sizeof origin, "scrutin.board/");
    for (int i = 0; i < 8; i++) {
        snprintf(origin + strlen(origin), 3, "%02x", r->h_e[i]);
    }
    crypto_sign_keypair(bpk, bsk);
    crypto_sign_keypair(apk, ask);
    sc_vkey vk;
    rc = sc_vkey_make(&vk, origin, SC_NOTE_ED25519, bpk);
    if (rc == SC_OK) {
        rc = sc_vkey_format(vkey, sizeof vkey, &vk);
    }
    if (rc == SC_OK) {
        spath(p, sizeof p, o->state, SC_BOARD_KEY);
        rc = sc_edkey_save(p, SC_BOARD_KEY_KIND, bsk, pass, plen, o->kdf);
    }
    if (rc == SC_OK) {
        spath(p, sizeof p, o->state, SC_BOARD_AUTH_KEY);
        rc = sc_edkey_save(p, SC_BOARD_AUTH_KIND, ask, pass, plen, o->kdf);
    }
    if (rc == SC_OK) {
        rc = election_payload(r, origin, vkey, apk, &payload);
    }
    if (rc == SC_OK) {
        rc = sc_board_create(o->state, origin, bsk, ask,
                             (const uint8_t *)payload, strlen(payload), err,
                             sizeof err);
    }
    if (rc != SC_OK) {
        fprintf(stderr, "scrutin board init: %s\n",
                err[0] ? err : sc_strerror(rc));
        goto done;
    }
    char ahex[65];
    for (int i = 0; i < 32; i++) {
        snprintf(ahex + 2 * i, 3, "%02x", apk[i]);
    }
    printf("board created in %s\norigin %s\nboard key %s\nauthority key "
           "%s\n",
           o->state, origin, vkey, ahex);
    ex = EXIT_OK;
done:
    if (lock >= 0) {
        close(lock);
    }
    free(payload);
    sc_passphrase_free(pass);
    sodium_free(bsk);
    sodium_free(ask);
    sc_record_free(r);
    return ex;
}

/* ------------------------------------------------------------ serve */

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* The pages `make install` installs (PREFIX/share/scrutin/web): beside
 * the running scrutin first (its ../share/scrutin/web: any install prefix
 * and the .deb's /usr), else under the prefix it was configured for. NULL
 * (no pages) if neither has them. */
static const char *installed_web(char *buf, size_t cap)
{
    char exe[1024], probe[1100];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = NULL;
    if (n > 0) {
        exe[n] = '\0';
        slash = strrchr(exe, '/');
    }
    if (slash != NULL) {
        *slash = '\0';
        snprintf(buf, cap, "%s/../%s", exe, SC_WEB_REL);
        snprintf(probe, sizeof probe, "%s/index.html", buf);
        if (access(probe, R_OK) == 0) {
            return buf;
        }
    }
    snprintf(buf, cap, "%s", SC_WEB_DIR);
    snprintf(probe, sizeof probe, "%s/index.html", buf);
    return access(probe, R_OK) == 0 ? buf : NULL;
}

static int do_serve(const bopts *o)
{
    if (o->state == NULL || o->listen == NULL) {
        fprintf(stderr, "scrutin board serve: --state and --listen are "
                        "required\n");
        return EXIT_USAGE;
    }
    char webbuf[1100];
    const char *web =
        o->web != NULL ? o->web : installed_web(webbuf, sizeof webbuf);
    if (web == NULL) {
        fprintf(stderr,
                "scrutin board serve: no web pages installed (%s); "
                "serving the API only (--web DIR)\n",
                SC_WEB_DIR);
    }
    int lock = lock_state("serve", o->state);
    if (lock < 0) {
        return EXIT_ERROR;
    }
    uint8_t *bsk = NULL;
    int ex = load_keys("serve", o, &bsk, NULL);
    sc_board *b = NULL;
    char err[512] = "";
    if (ex == EXIT_OK) {
        sc_board_cfg cfg = {.state_dir = o->state,
                            .listen = o->listen,
                            .web_dir = web,
                            .workers = o->workers,
                            .force = o->force,
                            .max_pages = o->max_pages,
                            .fork_witness = o->fork_witness,
                            .test_accept_invalid = o->accept_invalid,
                            .test_accept_write_ins = o->accept_wi};
        sc_status rc = sc_board_open(&b, &cfg, bsk, err, sizeof err);
        if (rc == SC_OK) {
            rc = sc_board_serve(b, err, sizeof err);
        }
        if (rc != SC_OK) {
            fprintf(stderr, "scrutin board serve: %s\n",
                    err[0] ? err : sc_strerror(rc));
            ex = EXIT_ERROR;
        }
    }
    sodium_free(bsk);
    if (ex == EXIT_OK) {
        unsigned port = sc_board_port(b);
        if (o->port_file != NULL) {
            char t[16];
            int n = snprintf(t, sizeof t, "%u\n", port);
            if (sc_file_write_atomic(o->port_file, t, (size_t)n) != SC_OK) {
                fprintf(stderr, "scrutin board serve: cannot write %s\n",
                        o->port_file);
            }
        }
        fprintf(stderr, "scrutin board: serving on port %u\n", port);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        while (!stop_flag) {
            pause();
        }
        fprintf(stderr, "scrutin board: stopping\n");
    }
    sc_board_close(b);
    close(lock);
    return ex;
}

/* ------------------------------------------------- authority's steps */

typedef struct authority {
    sc_board *b;
    uint8_t *bsk, *ask;
    int lock;
} authority;

static void authority_close(authority *a)
{
    sc_board_close(a->b);
    sodium_free(a->bsk);
    sodium_free(a->ask);
    if (a->lock >= 0) {
        close(a->lock);
    }
}

/* Open the board with both keys (the server must be stopped). */
static int authority_open(const char *step, const bopts *o, authority *a)
{
    memset(a, 0, sizeof *a);
    a->lock = -1;
    if (o->state == NULL) {
        fprintf(stderr, "scrutin board %s: --state is required\n", step);
        return EXIT_USAGE;
    }
    a->lock = lock_state(step, o->state);
    if (a->lock < 0) {
        return EXIT_ERROR;
    }
    int ex = load_keys(step, o, &a->bsk, &a->ask);
    char err[512] = "";
    if (ex == EXIT_OK) {
        sc_board_cfg cfg = {.state_dir = o->state,
                            .test_accept_write_ins = o->accept_wi};
        sc_status rc = sc_board_open(&a->b, &cfg, a->bsk, err, sizeof err);
        if (rc != SC_OK) {
            fprintf(stderr, "scrutin board %s: %s\n", step,
                    err[0] ? err : sc_strerror(rc));
            ex = EXIT_ERROR;
        }
    }
    if (ex != EXIT_OK) {
        authority_close(a);
    }
    return ex;
}

/* Submit each payload signed by the authority; print the receipts. */
static int authority_post(const char *step, authority *a, unsigned type,
                          const char *const *payloads, const size_t *lens,
                          size_t n)
{
    int ex = EXIT_OK;
    for (size_t i = 0; i < n && ex == EXIT_OK; i++) {
        sc_board_answer r;
        sc_status rc =
            sc_board_submit_local(a->b, type, (const uint8_t *)payloads[i],
                                  lens[i], NULL, a->ask, 0, &r);
        if (rc != SC_OK) {
            fprintf(stderr, "scrutin board %s: %s\n", step, sc_strerror(rc));
            ex = EXIT_ERROR;
        } else if (r.status != 200) {
            fprintf(stderr, "scrutin board %s: refused (%u): %s\n", step,
                    r.status, r.why);
            ex = EXIT_VERIFY;
        } else {
            fputs(r.receipt, stdout);
        }
        free(r.receipt);
    }
    return ex;
}

static int authority_submit(const char *step, const bopts *o, unsigned type,
                            const char *const *payloads, const size_t *lens,
                            size_t n)
{
    authority a;
    int ex = authority_open(step, o, &a);
    if (ex == EXIT_OK) {
        ex = authority_post(step, &a, type, payloads, lens, n);
        authority_close(&a);
    }
    return ex;
}

static int do_register(const bopts *o)
{
    uint8_t pk[32];
    if (o->devkey == NULL || o->name == NULL ||
        sc_hex_decode(pk, 32, o->devkey, strlen(o->devkey)) != SC_OK) {
        fprintf(stderr, "scrutin board register-device: --device-key (64 "
                        "hex digits) and --name are required\n");
        return EXIT_USAGE;
    }
    const char *ch = o->chaining != NULL ? o->chaining : "simple";
    if (strcmp(ch, "simple") != 0 && strcmp(ch, "none") != 0) {
        fprintf(stderr, "scrutin board register-device: --chaining simple or "
                        "none\n");
        return EXIT_USAGE;
    }
    authority a;
    int ex = authority_open("register-device", o, &a);
    if (ex != EXIT_OK) {
        return ex;
    }
    /* The next index: devices registered so far + 1. */
    uint32_t next = 0;
    sc_status rc = sc_board_device_count(a.b, &next);
    sc_json *j = sc_json_object();
    char hex[65];
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", pk[i]);
    }
    if (rc == SC_OK && j == NULL) {
        rc = SC_E_NOMEM;
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(j, "type", "device");
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(j, "index", next + 1);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(j, "device", o->name);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(j, "chaining", ch);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(j, "public_key", hex);
    }
    char *t = rc == SC_OK ? sc_json_dumps(j) : NULL;
    sc_json_free(j);
    if (t == NULL) {
        ex = err1("register-device", "%s", "cannot build the entry");
    } else {
        const char *pl[1] = {t};
        size_t ll[1] = {strlen(t)};
        ex = authority_post("register-device", &a, SC_ENTRY_DEVICE, pl, ll, 1);
        if (ex == EXIT_OK) {
            fprintf(stderr, "device %u registered\n", (unsigned)(next + 1));
        }
    }
    free(t);
    authority_close(&a);
    return ex;
}

static int post_file(const char *step, const bopts *o, unsigned type,
                     const char *file, int per_line)
{
    char *data = NULL;
    size_t len = 0;
    if (file == NULL) {
        fprintf(stderr, "scrutin board %s: a file is required\n", step);
        return EXIT_USAGE;
    }
    if (sc_file_read_all(file, &data, &len) != SC_OK) {
        return err1(step, "%s: cannot read", file);
    }
    const char **pl = NULL;
    size_t *ll = NULL, n = 0;
    if (per_line) {
        size_t cap = 1;
        for (size_t i = 0; i < len; i++) {
            cap += data[i] == '\n';
        }
        pl = calloc(cap, sizeof *pl);
        ll = calloc(cap, sizeof *ll);
        char *s = data;
        while (pl != NULL && ll != NULL && s < data + len) {
            char *nl = memchr(s, '\n', (size_t)(data + len - s));
            size_t l = nl != NULL ? (size_t)(nl - s) : (size_t)(data + len - s);
            if (l > 0) {
                pl[n] = s;
                ll[n++] = l;
            }
            s += l + 1;
        }
    } else {
        pl = calloc(1, sizeof *pl);
        ll = calloc(1, sizeof *ll);
        if (pl != NULL && ll != NULL) {
            pl[0] = data;
            ll[0] = len;
            n = 1;
        }
    }
    /* An empty file (or only empty lines) posts nothing: a mistake, not
     * a success (issue 12: `board post` of an empty file said nothing and
     * exited 0). */
    int ex = pl == NULL || ll == NULL ? err1(step, "%s", "out of memory")
             : n == 0 || len == 0
                 ? err1(step, "%s: empty: nothing to post", file)
                 : authority_submit(step, o, type, pl, ll, n);
    free(pl);
    free(ll);
    free(data);
    return ex;
}

enum {
    O_STATE = 256,
    O_RECORD,
    O_PASSFILE,
    O_KDF,
    O_LISTEN,
    O_WEB,
    O_WORKERS,
    O_FORCE,
    O_DEVKEY,
    O_NAME,
    O_CHAINING,
    O_POLICY,
    O_TYPE,
    O_PORTFILE,
    O_MAXPAGES,
    O_FORKW,
    O_INVALIDOK,
    O_WRITEINOK
};

int cmd_board(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *step = argv[1];
    if (strcmp(step, "export") == 0) { /* board_client.c */
        return cmd_board_export(argc - 1, argv + 1);
    }
    if (strcmp(step, "results") == 0) { /* cmd_board_results.c */
        return cmd_board_results(argc - 1, argv + 1);
    }
    static const struct option longopts[] = {
        {"state", required_argument, NULL, O_STATE},
        {"record", required_argument, NULL, O_RECORD},
        {"passphrase-file", required_argument, NULL, O_PASSFILE},
        {"kdf", required_argument, NULL, O_KDF},
        {"listen", required_argument, NULL, O_LISTEN},
        {"web", required_argument, NULL, O_WEB},
        {"workers", required_argument, NULL, O_WORKERS},
        {"force", no_argument, NULL, O_FORCE},
        {"device-key", required_argument, NULL, O_DEVKEY},
        {"name", required_argument, NULL, O_NAME},
        {"chaining", required_argument, NULL, O_CHAINING},
        {"policy", required_argument, NULL, O_POLICY},
        {"type", required_argument, NULL, O_TYPE},
        {"port-file", required_argument, NULL, O_PORTFILE},
        {"test-disk-pages", required_argument, NULL, O_MAXPAGES},
#ifdef SC_BOARD_FORK_TEST
        {"test-fork-witness", required_argument, NULL, O_FORKW},
        {"test-accept-invalid-ballots", no_argument, NULL, O_INVALIDOK},
        {"test-accept-invalid-write-ins", no_argument, NULL, O_WRITEINOK},
#endif
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    bopts o;
    memset(&o, 0, sizeof o);
    o.kdf = SC_KDF_MODERATE;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_STATE: o.state = optarg; break;
        case O_RECORD: o.record = optarg; break;
        case O_PASSFILE: o.passfile = optarg; break;
        case O_KDF:
            if (!cli_parse_kdf(optarg, &o.kdf)) {
                return cli_usage_error("board",
                                       "--kdf: interactive or moderate");
            }
            break;
        case O_LISTEN: o.listen = optarg; break;
        case O_WEB: o.web = optarg; break;
        case O_WORKERS: {
            uint32_t w;
            if (!cli_parse_u32(optarg, 1, 256, &w)) {
                return cli_usage_error("board", "--workers: 1 to 256");
            }
            o.workers = w;
            break;
        }
        case O_FORCE: o.force = 1; break;
        case O_DEVKEY: o.devkey = optarg; break;
        case O_NAME: o.name = optarg; break;
        case O_CHAINING: o.chaining = optarg; break;
        case O_POLICY: o.policy = optarg; break;
        case O_TYPE: o.type = optarg; break;
        case O_PORTFILE: o.port_file = optarg; break;
        case O_MAXPAGES: {
            uint64_t n;
            if (!cli_parse_u64(optarg, &n) || n == 0) {
                return cli_usage_error("board",
                                       "--test-disk-pages: a positive number");
            }
            o.max_pages = n;
            break;
        }
        case O_FORKW: o.fork_witness = optarg; break;
        case O_INVALIDOK: o.accept_invalid = 1; break;
        case O_WRITEINOK: o.accept_wi = 1; break;
        case 'h':
            if (!cli_print_step_help(BOARD_STEPS, BOARD_NSTEPS, step)) {
                fputs(USAGE, stdout);
            }
            return EXIT_OK;
        case ':':
            fprintf(stderr, "scrutin board: %s needs a value\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        default:
            fprintf(stderr,
                    "scrutin board: unknown option %s; try 'scrutin "
                    "board --help'\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    const char *file = optind < argc ? argv[optind] : NULL;
    if (strcmp(step, "init") == 0) {
        return do_init(&o);
    }
    if (strcmp(step, "serve") == 0) {
        return do_serve(&o);
    }
    if (strcmp(step, "register-device") == 0) {
        return do_register(&o);
    }
    if (strcmp(step, "set-policy") == 0) {
        return post_file("set-policy", &o, SC_ENTRY_WITNESS_POLICY, o.policy,
                         0);
    }
    if (strcmp(step, "close") == 0) {
        const char *pl[1] = {"{\"type\":\"close\"}"};
        size_t ll[1] = {strlen(pl[0])};
        return authority_submit("close", &o, SC_ENTRY_CLOSE, pl, ll, 1);
    }
    if (strcmp(step, "post") == 0) {
        unsigned t = o.type != NULL ? sc_entry_type_from_name(o.type) : 0;
        int per_line = t == SC_ENTRY_CHALLENGED ||
                       t == SC_ENTRY_WRITE_IN_COUNT || t == SC_ENTRY_WRITE_IN;
        if (t != SC_ENTRY_TALLY && t != SC_ENTRY_DECRYPTION &&
            t != SC_ENTRY_RESULT && !per_line) {
            fprintf(stderr, "scrutin board post: --type tally, decryption, "
                            "challenged, write_in_count, write_in or "
                            "result\n");
            return EXIT_USAGE;
        }
        return post_file("post", &o, t, file, per_line);
    }
    fprintf(stderr,
            "scrutin board: unknown step '%s'; try 'scrutin board "
            "--help'\n",
            step);
    return EXIT_USAGE;
}
