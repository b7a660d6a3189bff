/* scrutin witness: a C2SP tlog-witness for the board (docs/BOARD.md §5).
 *
 *   init      make the witness key (sealed at rest), print its vkey
 *   add-log   follow a log: its origin and the board's vkey
 *   serve     POST /add-checkpoint, GET /<sha256(origin)>/checkpoint
 *   evidence  print the refused checkpoints; --check verifies them */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "commands.h"
#include "util.h"
#include "net/httpd.h"
#include "step_help.h"
#include "scrutin/ceremony.h"
#include "scrutin/edkey.h"
#include "scrutin/json.h"
#include "scrutin/tlog.h"
#include "store/witness_db.h"
#include "witness/evidence.h"
#include "witness/witness.h"

#define KEY_FILE "witness.key"
#define KEY_KIND "scrutin witness key"
#define VKEY_FILE "witness.vkey"
#define DB_FILE "witness.db"
#define LOCK_FILE "witness.lock"

#define WEXIT                                                                  \
    "\nExit status: 0 ok, 1 evidence that does not verify, 2 usage, 3 "        \
    "other\nerror.\n"
#define WOPT_STATE                                                             \
    "  --state DIR            the witness's directory (key, vkey, "            \
    "database)\n"
#define WOPT_PASS                                                              \
    "  --passphrase-file F    read the key's passphrase from F (mode 0600);\n" \
    "                         otherwise it is asked on the terminal\n"
#define WOPT_VERIFY                                                            \
    "  --verify-board URL     a verifying witness: before cosigning, read\n"   \
    "                         the board's new entries at URL and check them\n" \
    "                         all (root, signatures, registrations, every\n"   \
    "                         ballot's proofs); refuse a checkpoint that\n"    \
    "                         commits to an invalid entry\n"
#define WOPT_CHECK                                                             \
    "  --check                verify every piece of evidence (exit 1 if one\n" \
    "                         does not verify)\n"                              \
    "  --check-file FILE      verify a printed evidence file with the "        \
    "board's\n"                                                                \
    "                         public key alone\n"

static const char USAGE[] =
    "usage: scrutin witness init --state DIR --name NAME [--passphrase-file "
    "F]\n"
    "                            [--kdf interactive|moderate]\n"
    "       scrutin witness add-log --state DIR --origin ORIGIN --vkey VKEY\n"
    "       scrutin witness serve --state DIR --listen HOST:PORT\n"
    "                             [--passphrase-file F] [--port-file F]\n"
    "                             [--verify-board URL]\n"
    "       scrutin witness evidence --state DIR [--check]\n"
    "       scrutin witness evidence --check-file FILE [--vkey VKEY]\n"
    "\n"
    "A witness cosigns the board's checkpoints (C2SP tlog-witness) after\n"
    "checking that each one extends the last it cosigned, and keeps every\n"
    "correctly signed checkpoint it refused as evidence.\n"
    "\n"
    "  --state DIR            the witness's directory (key, vkey, database)\n"
    "  --name NAME            the witness's key name (no spaces, no '+')\n"
    "  --passphrase-file F    read the key's passphrase from F (mode 0600);\n"
    "                         otherwise it is asked on the terminal\n"
    "  --origin ORIGIN        the log's origin (scrutin.board/<16 hex>)\n"
    "  --vkey VKEY            the board's verifier key (its name = origin)\n"
    "  --listen HOST:PORT     where to serve (port 0: any free port)\n"
    "  --port-file F          write the bound port to F\n" WOPT_VERIFY
        WOPT_CHECK "\n"
    "Each step has its own help: `scrutin witness init --help`,\n"
    "`scrutin witness add-log --help`, `scrutin witness serve --help`,\n"
    "`scrutin witness evidence --help`.\n"
    "\n"
    "Exit status: 0 ok, 1 evidence that does not verify, 2 usage, 3 other\n"
    "error.\n";

static const cli_step_help STEPS[] = {
    {"init",
     "usage: scrutin witness init --state DIR --name NAME\n"
     "           [--passphrase-file F] [--kdf interactive|moderate]\n"
     "\n"
     "Make the witness's Ed25519 key in DIR (created): witness.key, sealed\n"
     "under the passphrase, witness.vkey, its verifier key (printed, to\n"
     "give to the election authority for the witness policy), and the\n"
     "empty database. Never overwrites a key.\n"
     "\n"
     "options:\n" WOPT_STATE WOPT_PASS
     "  --name NAME            the witness's key name (no spaces, no '+')\n"
     "  --kdf interactive|moderate  passphrase hashing cost (default\n"
     "                         moderate)\n"
     "  -h, --help\n" WEXIT},
    {"add-log",
     "usage: scrutin witness add-log --state DIR --origin ORIGIN --vkey VKEY\n"
     "\n"
     "Follow a log: the board whose origin is ORIGIN and whose verifier\n"
     "key is VKEY (its name must be the origin). The witness cosigns only\n"
     "the checkpoints of the logs it follows.\n"
     "\n"
     "options:\n" WOPT_STATE
     "  --origin ORIGIN        the log's origin (scrutin.board/<16 hex>)\n"
     "  --vkey VKEY            the board's verifier key (its name = origin)\n"
     "  -h, --help\n" WEXIT},
    {"serve",
     "usage: scrutin witness serve --state DIR --listen HOST:PORT\n"
     "           [--passphrase-file F] [--port-file F] [--verify-board URL]\n"
     "\n"
     "Serve the C2SP tlog-witness API: POST /add-checkpoint cosigns a\n"
     "checkpoint that extends the last one cosigned (consistency proof) and\n"
     "keeps a correctly signed one it refuses as evidence; GET\n"
     "/<sha256(origin)>/checkpoint gives the last cosigned. Runs until\n"
     "SIGINT or SIGTERM; one server per state directory.\n"
     "\n"
     "options:\n" WOPT_STATE WOPT_PASS
     "  --listen HOST:PORT     where to serve (port 0: any free port)\n"
     "  --port-file F          write the bound port to F\n" WOPT_VERIFY
     "  -h, --help\n" WEXIT},
    {"evidence",
     "usage: scrutin witness evidence --state DIR [--check]\n"
     "       scrutin witness evidence --check-file FILE [--vkey VKEY]\n"
     "\n"
     "Print the correctly signed checkpoints the witness refused (a fork or\n"
     "a rollback of the board), each with what it conflicts with; or check\n"
     "a printed evidence file.\n"
     "\n"
     "options:\n" WOPT_STATE WOPT_CHECK
     "  --vkey VKEY            the board's verifier key (--check-file;\n"
     "                         default: the one the file names)\n"
     "  -h, --help\n" WEXIT},
};

typedef struct wopts {
    const char *state, *name, *passfile, *origin, *vkey, *listen, *port_file,
        *check_file, *verify_board;
    int check;
    sc_kdf_level kdf;
} wopts;

static void spath(char *out, size_t cap, const char *dir, const char *file)
{
    snprintf(out, cap, "%s/%s", dir, file);
}

static int fail(const char *step, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(const char *step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "scrutin witness %s: ", step);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_ERROR;
}

static int open_db(const char *step, const char *state, sc_wdb **db)
{
    char p[1024];
    spath(p, sizeof p, state, DB_FILE);
    if (sc_wdb_open(db, p) != SC_OK) {
        return fail(step, "cannot open %s", p);
    }
    return EXIT_OK;
}

static int do_init(const wopts *o)
{
    if (o->state == NULL || o->name == NULL) {
        fprintf(stderr, "scrutin witness init: --state and --name are "
                        "required\n");
        return EXIT_USAGE;
    }
    if (!sc_note_name_valid(o->name, strlen(o->name))) {
        fprintf(stderr, "scrutin witness init: --name: not a key name (no "
                        "spaces, no '+', at most 255 bytes)\n");
        return EXIT_USAGE;
    }
    /* the passphrase before anything is written: a refused one leaves
     * nothing behind */
    char *pass = NULL;
    size_t plen = 0;
    if (cli_passphrase("witness init", o->passfile,
                       "New passphrase for the witness key: ", 1, &pass,
                       &plen) != SC_OK) {
        return EXIT_ERROR;
    }
    if (mkdir(o->state, 0700) != 0 && errno != EEXIST) {
        sc_passphrase_free(pass);
        return fail("init", "cannot create %s: %s", o->state, strerror(errno));
    }
    char kp[1024], vp[1024];
    spath(kp, sizeof kp, o->state, KEY_FILE);
    spath(vp, sizeof vp, o->state, VKEY_FILE);
    if (access(kp, F_OK) == 0) {
        sc_passphrase_free(pass);
        return fail("init",
                    "%s already exists; not overwriting a witness "
                    "key",
                    kp);
    }
    uint8_t pk[32];
    uint8_t *sk = sodium_malloc(64);
    if (sk == NULL) {
        sc_passphrase_free(pass);
        return fail("init", "out of memory");
    }
    int ex = EXIT_OK;
    crypto_sign_keypair(pk, sk);
    sc_status rc = sc_edkey_save(kp, KEY_KIND, sk, pass, plen, o->kdf);
    sc_vkey vk;
    char text[SC_VKEY_MAX + 1];
    if (rc == SC_OK) {
        rc = sc_vkey_make(&vk, o->name, SC_NOTE_COSIG, pk);
    }
    if (rc == SC_OK) {
        rc = sc_vkey_format(text, sizeof text - 1, &vk);
    }
    if (rc == SC_OK) {
        strcat(text, "\n");
        rc = sc_file_write_atomic(vp, text, strlen(text));
    }
    if (rc != SC_OK) {
        ex = fail("init", "cannot write the key: %s", sc_strerror(rc));
        goto done;
    }
    sc_wdb *db = NULL;
    ex = open_db("init", o->state, &db);
    sc_wdb_close(db);
    if (ex == EXIT_OK) {
        fputs(text, stdout);
    }
done:
    sodium_free(sk);
    sc_passphrase_free(pass);
    return ex;
}

static int do_add_log(const wopts *o)
{
    if (o->state == NULL || o->origin == NULL || o->vkey == NULL) {
        fprintf(stderr, "scrutin witness add-log: --state, --origin and "
                        "--vkey are required\n");
        return EXIT_USAGE;
    }
    sc_vkey k;
    sc_status rc = sc_vkey_parse(&k, o->vkey, strlen(o->vkey));
    if (rc != SC_OK || k.type != SC_NOTE_ED25519) {
        return fail("add-log", "--vkey: not an Ed25519 signed-note vkey%s",
                    rc == SC_E_VERIFY ? " (key id does not match)" : "");
    }
    if (strcmp(k.name, o->origin) != 0) {
        return fail("add-log", "--vkey is named \"%s\", not the origin \"%s\"",
                    k.name, o->origin);
    }
    sc_wdb *db = NULL;
    int ex = open_db("add-log", o->state, &db);
    if (ex == EXIT_OK) {
        rc = sc_wdb_add_log(db, o->origin, o->vkey);
        if (rc == SC_E_DUPLICATE) {
            ex = fail("add-log", "%s is followed already", o->origin);
        } else if (rc != SC_OK) {
            ex = fail("add-log", "cannot write: %s", sc_wdb_errmsg(db));
        } else {
            printf("following %s\n", o->origin);
        }
    }
    sc_wdb_close(db);
    return ex;
}

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int do_serve(const wopts *o)
{
    if (o->state == NULL || o->listen == NULL) {
        fprintf(stderr, "scrutin witness serve: --state and --listen are "
                        "required\n");
        return EXIT_USAGE;
    }
    char p[1024];
    spath(p, sizeof p, o->state, LOCK_FILE);
    int lock = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0) {
        return fail("serve",
                    "%s: %s (is %s a witness made by 'scrutin witness "
                    "init'?)",
                    p, strerror(errno), o->state);
    }
    if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
        close(lock);
        return fail("serve", "%s is in use by another witness", o->state);
    }
    int ex = EXIT_OK;
    char *pass = NULL, *vtext = NULL;
    size_t plen = 0, vlen = 0;
    uint8_t pk[32];
    uint8_t *sk = sodium_malloc(64);
    sc_witness *w = NULL;
    sc_httpd *h = NULL;
    sc_vkey vk;
    spath(p, sizeof p, o->state, VKEY_FILE);
    if (sk == NULL || sc_file_read_all(p, &vtext, &vlen) != SC_OK || vlen < 2 ||
        vtext[vlen - 1] != '\n' ||
        sc_vkey_parse(&vk, vtext, vlen - 1) != SC_OK) {
        ex = fail("serve", "cannot read %s", p);
        goto done;
    }
    sc_status rc = cli_passphrase("witness serve", o->passfile,
                                  "Witness passphrase: ", 0, &pass, &plen);
    if (rc != SC_OK) {
        ex = EXIT_ERROR;
        goto done;
    }
    spath(p, sizeof p, o->state, KEY_FILE);
    rc = sc_edkey_load(p, KEY_KIND, pass, plen, sk, pk);
    if (rc != SC_OK) {
        ex = fail("serve", "cannot open %s: %s", p,
                  rc == SC_E_AUTH ? "wrong passphrase or modified file"
                                  : sc_strerror(rc));
        goto done;
    }
    if (sodium_memcmp(pk, vk.pub, 32) != 0) {
        ex = fail("serve", "%s does not match %s", KEY_FILE, VKEY_FILE);
        goto done;
    }
    spath(p, sizeof p, o->state, DB_FILE);
    if (sc_witness_new(&w, p, vk.name, sk) != SC_OK) {
        ex = fail("serve", "cannot open %s", p);
        goto done;
    }
    sodium_memzero(sk, 64);
    if (o->verify_board != NULL &&
        sc_witness_verify_board(w, p, o->verify_board) != SC_OK) {
        ex = fail("serve", "cannot open the verification state in %s", p);
        goto done;
    }
    sc_httpd_cfg cfg = {.listen = o->listen, .max_body = 64 * 1024};
    if (sc_httpd_start(&h, &cfg, sc_witness_http, w) != SC_OK) {
        ex = fail("serve", "cannot listen on %s", o->listen);
        goto done;
    }
    unsigned port = sc_httpd_port(h);
    if (o->port_file != NULL) {
        char t[16];
        int n = snprintf(t, sizeof t, "%u\n", port);
        if (sc_file_write_atomic(o->port_file, t, (size_t)n) != SC_OK) {
            ex = fail("serve", "cannot write %s", o->port_file);
            goto done;
        }
    }
    fprintf(stderr, "scrutin witness %s: serving on port %u\n", vk.name, port);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    while (!stop_flag) {
        pause();
    }
    fprintf(stderr, "scrutin witness: stopping\n");
done:
    if (h != NULL) {
        sc_httpd_stop(h);
    }
    sc_witness_free(w);
    sodium_free(sk);
    sc_passphrase_free(pass);
    free(vtext);
    close(lock);
    return ex;
}

/* ---- evidence ---- */

typedef struct ev_ctx {
    sc_wdb *db;
    int check, bad, count;
} ev_ctx;

static void print_one(void *ctx, const sc_wdb_evidence *e)
{
    ev_ctx *c = ctx;
    sc_wdb_log log;
    c->count++;
    if (sc_wdb_get_log(c->db, e->origin, &log) != SC_OK) {
        fprintf(stderr, "scrutin witness evidence: %s: log not followed\n",
                e->origin);
        c->bad++;
        return;
    }
    sc_wev item = {.origin = e->origin,
                   .vkey = log.vkey,
                   .reason = e->reason,
                   .time = e->time,
                   .refused = e->refused,
                   .had = e->had,
                   .request = e->request};
    if (c->check) {
        char verdict[512];
        sc_status rc = sc_wev_check(&item, NULL, verdict, sizeof verdict);
        printf("evidence %lld: %s: %s\n", (long long)e->id,
               rc == SC_OK ? "VERIFIED" : "DOES NOT VERIFY", verdict);
        c->bad += rc != SC_OK;
    } else if (sc_wev_print(stdout, &item) != SC_OK) {
        c->bad++;
    }
    sc_wdb_log_clear(&log);
}

static int do_evidence(const wopts *o)
{
    if (o->check_file != NULL) {
        return sc_wev_check_file(o->check_file, o->vkey, stdout);
    }
    if (o->state == NULL) {
        fprintf(stderr, "scrutin witness evidence: --state or --check-file "
                        "is required\n");
        return EXIT_USAGE;
    }
    sc_wdb *db = NULL;
    int ex = open_db("evidence", o->state, &db);
    if (ex != EXIT_OK) {
        return ex;
    }
    ev_ctx c = {.db = db, .check = o->check};
    if (sc_wdb_each_evidence(db, print_one, &c) != SC_OK) {
        ex = fail("evidence", "cannot read: %s", sc_wdb_errmsg(db));
    } else if (c.bad > 0) {
        ex = EXIT_VERIFY;
    }
    if (o->check && ex == EXIT_OK) {
        printf("%d piece(s) of evidence, all verified\n", c.count);
    }
    sc_wdb_close(db);
    return ex;
}

enum {
    O_STATE = 256,
    O_NAME,
    O_PASSFILE,
    O_KDF,
    O_ORIGIN,
    O_VKEY,
    O_LISTEN,
    O_PORTFILE,
    O_CHECK,
    O_CHECKFILE,
    O_VERIFYBOARD,
    O_HELP
};

int cmd_witness(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    static const struct option longopts[] = {
        {"state", required_argument, NULL, O_STATE},
        {"name", required_argument, NULL, O_NAME},
        {"passphrase-file", required_argument, NULL, O_PASSFILE},
        {"kdf", required_argument, NULL, O_KDF},
        {"origin", required_argument, NULL, O_ORIGIN},
        {"vkey", required_argument, NULL, O_VKEY},
        {"listen", required_argument, NULL, O_LISTEN},
        {"port-file", required_argument, NULL, O_PORTFILE},
        {"check", no_argument, NULL, O_CHECK},
        {"check-file", required_argument, NULL, O_CHECKFILE},
        {"verify-board", required_argument, NULL, O_VERIFYBOARD},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    wopts o;
    memset(&o, 0, sizeof o);
    o.kdf = SC_KDF_MODERATE;
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case O_STATE: o.state = optarg; break;
        case O_NAME: o.name = optarg; break;
        case O_PASSFILE: o.passfile = optarg; break;
        case O_KDF:
            if (!cli_parse_kdf(optarg, &o.kdf)) {
                return cli_usage_error("witness",
                                       "--kdf: interactive or moderate");
            }
            break;
        case O_ORIGIN: o.origin = optarg; break;
        case O_VKEY: o.vkey = optarg; break;
        case O_LISTEN: o.listen = optarg; break;
        case O_PORTFILE: o.port_file = optarg; break;
        case O_CHECK: o.check = 1; break;
        case O_CHECKFILE: o.check_file = optarg; break;
        case O_VERIFYBOARD: o.verify_board = optarg; break;
        case O_HELP:
            if (!cli_print_step_help(STEPS, sizeof STEPS / sizeof STEPS[0],
                                     sub)) {
                fputs(USAGE, stdout);
            }
            return EXIT_OK;
        default:
            fprintf(stderr,
                    "scrutin witness %s: unknown or incomplete option "
                    "'%s'; try 'scrutin witness --help'\n",
                    sub, argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "scrutin witness %s: unexpected argument '%s'\n", sub,
                argv[optind]);
        return EXIT_USAGE;
    }
    if (strcmp(sub, "init") == 0) {
        return do_init(&o);
    }
    if (strcmp(sub, "add-log") == 0) {
        return do_add_log(&o);
    }
    if (strcmp(sub, "serve") == 0) {
        return do_serve(&o);
    }
    if (strcmp(sub, "evidence") == 0) {
        return do_evidence(&o);
    }
    fprintf(stderr,
            "scrutin witness: unknown step '%s'; try 'scrutin "
            "witness --help'\n",
            sub);
    return EXIT_USAGE;
}
