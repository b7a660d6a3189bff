/* scrutin encrypt --board: a registered voting device encrypts plaintext
 * ballots as `scrutin encrypt` does and submits each one, signed, to the
 * board (docs/BOARD.md §3.2, §4), checking each receipt.
 *
 * The device's place comes from the log itself: its `device` entry (index,
 * S_device, chaining) and its own entries (last sequence number, last
 * confirmation code, the ids it has submitted). Before each submission
 * the signed ballot is written to KEYFILE's journal (RECEIPTS.pending);
 * after a crash or a lost connection the next run submits that same
 * ballot again (a replay gets the original receipt) and carries on with
 * the next sequence number. Ballots whose id the device has on the board
 * already are skipped, so the same input can be given again. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "board_client.h"
#include "commands.h"
#include "scrutin/ballot.h"
#include "scrutin/core.h"
#include "scrutin/edkey.h"
#include "scrutin/json.h"
#include "scrutin/record.h"
#include "receipt.h"
#include "util.h"

static void help(void)
{
    printf(
        "usage: scrutin encrypt --board URL --device-key KEYFILE [options] "
        "[BALLOTS]\n"
        "\n"
        "Encrypt plaintext ballots on a registered voting device and submit\n"
        "each one, signed with the device's key, to the bulletin board at\n"
        "URL. The election, the device's number and chaining mode come from\n"
        "the board's log. Each receipt (a tlog-proof) is checked: the entry\n"
        "is ours, included in a checkpoint signed by the board; with a\n"
        "witness policy, the proof against a checkpoint with the quorum is\n"
        "asked for a few seconds (if it does not come, the board-signed\n"
        "receipt is kept and a line says so). Receipts are\n"
        "appended to RECEIPTS, one JSON object per line. Running again\n"
        "resumes: a ballot sent but not acknowledged is sent again, ballots\n"
        "already on the board (same id) are skipped.\n"
        "\n"
        "options:\n"
        "      --board URL           the board (http://host:port)\n"
        "      --device-key KEYFILE  the sealed device key (`scrutin device "
        "init`)\n"
        "      --passphrase-file F   its passphrase (default: the terminal)\n"
        "      --receipts FILE       where receipts go (default "
        "KEYFILE.receipts)\n"
        "      --receipts-qr DIR     each voter's printable receipt with a QR\n"
        "                            code of URL/#c=CODE in DIR (.txt, .svg;\n"
        "                            '-': print them)\n"
        "      --challenge-rate P    challenge this share of the ballots\n"
        "  -j, --threads N           worker threads\n"
        "      --seed N              deterministic randomness: tests only\n"
        "      --no-time             leave out each ballot's encryption time\n"
        "                            (encrypted_at, UTC; §3.7)\n"
        "  -q, --quiet               no summary\n"
        "\n"
        "Exit status: 0 ok, 2 usage, 3 refused or other error.\n");
}

typedef struct dstate {
    uint32_t index;
    char *name;
    uint32_t mode;
    uint32_t last_seq;
    uint64_t ballots;
    uint8_t last_code[32];
    int closed;
    char **ids;
    size_t nids, capids;
} dstate;

static int has_id(const dstate *d, const char *id)
{
    for (size_t i = 0; i < d->nids; i++) {
        if (strcmp(d->ids[i], id) == 0) {
            return 1;
        }
    }
    return 0;
}

static int add_id(dstate *d, const char *id)
{
    if (d->nids == d->capids) {
        size_t cap = d->capids ? 2 * d->capids : 64;
        char **n = realloc(d->ids, cap * sizeof *n);
        if (n == NULL) {
            return 0;
        }
        d->ids = n;
        d->capids = cap;
    }
    return (d->ids[d->nids] = strdup(id)) != NULL ? (d->nids++, 1) : 0;
}

/* A ballot line's "id" and confirmation code. */
static int line_facts(const char *line, size_t len, char *id, size_t idcap,
                      uint8_t code[32], int *challenged)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "ballot", NULL);
    sc_json *o = NULL;
    const char *s = NULL, *st = NULL;
    int ok = sc_json_parse(&ctx, line, len, &o) == SC_OK &&
             sc_json_get_str(&ctx, o, "id", &s) == SC_OK &&
             sc_json_get_str(&ctx, o, "state", &st) == SC_OK &&
             sc_json_get_hash(&ctx, o, "confirmation_code", code) == SC_OK;
    if (ok) {
        snprintf(id, idcap, "%s", s);
        *challenged = strcmp(st, "Challenged") == 0;
    }
    sc_json_free(o);
    return ok;
}

/* The device's registration: its `device` entry's payload names this
 * key (the entry itself is checked by sc_signer_index_verify). */
static sc_status read_registration(const bc_board *b, const sc_entry *reg,
                                   const char *pkhex, dstate *d, char *err,
                                   size_t errlen)
{
    uint8_t *p = NULL;
    size_t plen = 0;
    sc_status rc = bc_payload(b, reg->payload_sha256, reg->payload_len, &p,
                              &plen, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, "device entry", NULL);
    sc_json *o = NULL;
    const char *pub = NULL, *nm = NULL, *ch = NULL;
    if (sc_json_parse(&ctx, (const char *)p, plen, &o) == SC_OK &&
        sc_json_get_str(&ctx, o, "public_key", &pub) == SC_OK &&
        strcasecmp(pub, pkhex) == 0 &&
        sc_json_get_u32(&ctx, o, "index", &d->index) == SC_OK &&
        sc_json_get_str(&ctx, o, "device", &nm) == SC_OK &&
        sc_json_get_str(&ctx, o, "chaining", &ch) == SC_OK) {
        d->name = strdup(nm);
        d->mode = strcmp(ch, "simple") == 0 ? SC_CHAIN_SIMPLE : SC_CHAIN_NONE;
        rc = d->name == NULL ? SC_E_NOMEM : SC_OK;
    } else {
        snprintf(err, errlen,
                 "entry %llu: the board's registration for this device is "
                 "not a device entry naming its key",
                 (unsigned long long)reg->index);
        rc = SC_E_VERIFY;
    }
    sc_json_free(o);
    free(p);
    return rc;
}

/* One of the device's own entries (checked). */
static sc_status own_entry(const bc_board *b, const sc_entry *e, dstate *d,
                           char *err, size_t errlen)
{
    d->last_seq = e->seq;
    if (e->type == SC_ENTRY_DEVICE_CLOSE) {
        d->closed = 1;
        return SC_OK;
    }
    if (e->type != SC_ENTRY_BALLOT) {
        return SC_OK;
    }
    uint8_t *p = NULL;
    size_t plen = 0;
    sc_status rc = bc_payload(b, e->payload_sha256, e->payload_len, &p, &plen,
                              err, errlen);
    char id[256];
    uint8_t code[32];
    int ch = 0;
    if (rc == SC_OK &&
        (!line_facts((const char *)p, plen, id, sizeof id, code, &ch) ||
         !add_id(d, id))) {
        snprintf(err, errlen, "entry %llu: unreadable ballot",
                 (unsigned long long)e->index);
        rc = SC_E_INVALID;
    }
    if (rc == SC_OK) {
        memcpy(d->last_code, e->key, 32);
        d->ballots++;
    }
    free(p);
    return rc;
}

/* The device's registration and its own entries, from the board's
 * per-signer index (docs/BOARD.md §4.2), every answer checked: O(log n)
 * hashes per entry instead of reading the whole log. */
static sc_status find_device(const bc_board *b, const uint8_t pk[32], dstate *d,
                             char *err, size_t errlen)
{
    char pkhex[65];
    bc_hex_lower(pkhex, pk, 32);
    uint32_t from = 1;
    sc_status rc = SC_OK;
    for (int more = 1; more && rc == SC_OK;) {
        sc_signer_index x;
        sc_sindex_view v;
        rc = bc_signer(b, pk, from, BC_SIG_ONLY, &x, &v, err, errlen);
        if (rc != SC_OK) {
            break;
        }
        if (from == 1 && !v.has_registration) {
            snprintf(err, errlen,
                     "the board names no registration for this device");
            rc = SC_E_VERIFY;
        } else if (from == 1) {
            rc = read_registration(b, &v.reg, pkhex, d, err, errlen);
        }
        for (size_t i = 0; i < x.n && rc == SC_OK; i++) {
            sc_entry e;
            rc = sc_entry_decode(&e, x.items[i].entry, SC_ENTRY_BYTES);
            if (rc == SC_OK) {
                rc = own_entry(b, &e, d, err, errlen);
            }
        }
        more = x.truncated;
        if (more && x.n == 0) {
            snprintf(err, errlen, "/v1/signer: truncated without entries");
            rc = SC_E_VERIFY;
        }
        from += (uint32_t)x.n;
        sc_signer_index_clear(&x);
    }
    if (rc == SC_E_RANGE) {
        snprintf(err, errlen,
                 "this device's key (%s) is not registered on the board",
                 pkhex);
        rc = SC_E_INVALID;
    }
    return rc;
}

/* Write the election entry's files into dir (a fresh folder). */
static sc_status election_dir(const bc_board *b, const char *dir, char *err,
                              size_t errlen)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "election payload", NULL);
    sc_json *o = NULL, *files = NULL;
    size_t n = 0;
    sc_status rc =
        sc_json_parse(&ctx, (const char *)b->election, b->election_len, &o);
    if (rc == SC_OK) {
        rc = sc_json_get_arr(&ctx, o, "files", &files, &n);
    }
    for (size_t i = 0; rc == SC_OK && i < n; i++) {
        const sc_json *f = sc_json_array_at(files, i);
        const char *nm = NULL, *b64 = NULL;
        rc = sc_json_get_str(&ctx, f, "name", &nm);
        if (rc == SC_OK) {
            rc = sc_json_get_str(&ctx, f, "base64", &b64);
        }
        if (rc != SC_OK) {
            break;
        }
        if (strstr(nm, "..") != NULL || nm[0] == '/' ||
            (strchr(nm, '/') != NULL && strncmp(nm, "guardians/", 10) != 0)) {
            snprintf(ctx.msg, sizeof ctx.msg, "file name \"%s\" refused", nm);
            rc = SC_E_INVALID;
            break;
        }
        size_t bl = strlen(b64), dl = 0;
        uint8_t *d = malloc(bl / 4 * 3 + 3);
        if (d == NULL) {
            rc = SC_E_NOMEM;
            break;
        }
        if (sc_b64_decode(d, bl / 4 * 3 + 3, &dl, b64, bl) != SC_OK) {
            free(d);
            snprintf(ctx.msg, sizeof ctx.msg, "%s: bad base64", nm);
            rc = SC_E_INVALID;
            break;
        }
        char path[4096];
        if (strncmp(nm, "guardians/", 10) == 0) {
            snprintf(path, sizeof path, "%s/guardians", dir);
            mkdir(path, 0700);
        }
        snprintf(path, sizeof path, "%s/%s", dir, nm);
        rc = cli_write_file(path, d, dl);
        free(d);
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "the election entry: %s",
                 ctx.msg[0] ? ctx.msg : sc_strerror(rc));
    }
    sc_json_free(o);
    return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove our own mkdtemp folder. */
static void rm_tree(const char *dir)
{
    if (nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
        cli_err("%s: cannot remove the temporary folder", dir);
    }
}

/* The journal: "seq <n>\n" then the ballot line. */
static sc_status pending_read(const char *path, uint32_t *seq, char **line,
                              size_t *len)
{
    char *data = NULL;
    size_t n = 0;
    *line = NULL;
    if (access(path, F_OK) != 0) {
        return SC_OK;
    }
    sc_status rc = sc_file_read_all(path, &data, &n);
    if (rc != SC_OK) {
        return rc;
    }
    char *nl = memchr(data, '\n', n);
    unsigned long v = 0;
    if (nl == NULL || sscanf(data, "seq %lu", &v) != 1 || v == 0 ||
        v > UINT32_MAX) {
        free(data);
        return SC_E_INVALID;
    }
    *seq = (uint32_t)v;
    *len = n - (size_t)(nl + 1 - data);
    *line = malloc(*len + 1);
    if (*line == NULL) {
        free(data);
        return SC_E_NOMEM;
    }
    memcpy(*line, nl + 1, *len);
    (*line)[*len] = '\0';
    free(data);
    return SC_OK;
}

static sc_status pending_write(const char *path, uint32_t seq, const char *line)
{
    size_t n = strlen(line);
    char *buf = malloc(n + 32);
    if (buf == NULL) {
        return SC_E_NOMEM;
    }
    int h = snprintf(buf, 32, "seq %u\n", seq);
    memcpy(buf + h, line, n);
    sc_status rc = sc_file_write_atomic_mode(path, buf, (size_t)h + n, 0600);
    free(buf);
    return rc;
}

/* One receipt line: {"id","code","state","index","receipt"}. */
static sc_status receipt_append(const char *path, const char *id,
                                const uint8_t code[32], int challenged,
                                const bc_answer *a)
{
    sc_json *o = sc_json_object();
    char hc[65];
    sc_hex_encode(hc, code, 32);
    sc_status rc = o == NULL ? SC_E_NOMEM : sc_json_put_str(o, "id", id);
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "code", hc);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "state", challenged ? "challenged" : "cast");
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "index", a->index);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "receipt", a->receipt);
    }
    char *t = rc == SC_OK ? sc_json_dumps(o) : NULL;
    sc_json_free(o);
    if (t == NULL) {
        return SC_E_NOMEM;
    }
    FILE *f = fopen(path, "a");
    int bad = f == NULL;
    if (f != NULL) {
        bad = fprintf(f, "%s\n", t) < 0;
        bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
        bad |= fclose(f) != 0;
    }
    free(t);
    return bad ? SC_E_IO : SC_OK;
}

typedef struct run {
    const bc_board *b;
    dstate d;
    uint8_t *sk;
    const char *receipts;
    const char *qrdir, *url; /* --receipts-qr: printable receipts */
    char pending[4200];
    int quiet;
    uint64_t sent, cast, chal, skipped;
} run;

/* Submit one signed ballot line as the device's next entry; journal
 * first, receipt after. */
static int submit_line(run *r, const char *line, uint32_t seq)
{
    char id[256], err[512] = "";
    uint8_t code[32];
    int challenged = 0;
    if (!line_facts(line, strlen(line), id, sizeof id, code, &challenged)) {
        cli_err("internal: an encrypted ballot cannot be read back");
        return EXIT_ERROR;
    }
    bc_answer a;
    sc_status rc =
        bc_submit(r->b, SC_ENTRY_BALLOT, (const uint8_t *)line, strlen(line),
                  code, r->sk, seq, &a, err, sizeof err);
    if (rc == SC_E_IO) {
        cli_err("%s; ballot \"%s\" is kept in %s and sent again by the next "
                "run",
                err, id, r->pending);
        return EXIT_ERROR;
    }
    if (rc != SC_OK) {
        cli_err("ballot \"%s\": the board's receipt does not check: %s", id,
                err);
        return EXIT_ERROR;
    }
    if (a.status != 200) {
        cli_err("the board refused ballot \"%s\" (HTTP %ld): %s", id, a.status,
                a.why);
        unlink(r->pending);
        return EXIT_ERROR;
    }
    if (!a.cosigned) {
        fprintf(stderr,
                "scrutin encrypt: ballot \"%s\" is on the board (index "
                "%llu) but no checkpoint with the witnesses' quorum covers it "
                "yet; its receipt carries the board's signature only "
                "(scrutin lookup --board checks it later)\n",
                id, (unsigned long long)a.index);
    }
    rc = receipt_append(r->receipts, id, code, challenged, &a);
    bc_answer_free(&a);
    if (rc != SC_OK) {
        cli_err("%s: cannot write the receipt", r->receipts);
        return EXIT_ERROR;
    }
    unlink(r->pending);
    r->d.last_seq = seq;
    r->d.ballots++;
    if (r->qrdir != NULL) {
        cli_receipt pr = {id, r->d.index, r->d.ballots, challenged, {0}};
        memcpy(pr.code, code, 32);
        if (cli_receipt_write(&pr, r->qrdir, r->url, err, sizeof err) !=
            SC_OK) {
            cli_err("%s", err);
            return EXIT_ERROR;
        }
    }
    memcpy(r->d.last_code, code, 32);
    r->sent++;
    r->cast += !challenged;
    r->chal += challenged;
    if (!add_id(&r->d, id)) {
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

/* Plaintext ballots: JSON values one after the other. */
typedef struct ptin {
    char *buf;
    size_t len, off;
    const char *name;
} ptin;

static sc_status pt_next_value(ptin *p, sc_json **out, char *err, size_t errlen)
{
    *out = NULL;
    while (p->off < p->len && strchr(" \t\r\n", p->buf[p->off]) != NULL) {
        p->off++;
    }
    if (p->off >= p->len) {
        return SC_OK;
    }
    json_error_t je;
    json_t *v =
        json_loadb(p->buf + p->off, p->len - p->off,
                   JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
    if (v == NULL) {
        snprintf(err, errlen, "%s: invalid JSON near byte %zu: %s", p->name,
                 p->off + (size_t)je.position, je.text);
        return SC_E_INVALID_JSON;
    }
    p->off += (size_t)je.position;
    *out = v;
    return SC_OK;
}

/* A device session: its key, the board, its place on the board, the
 * election (record files written to a temporary folder and opened). */
typedef struct session {
    bc_board b;
    int board_open;
    run r;
    uint8_t pk[32];
    char tmpdir[64];
    int have_tmp;
    sc_record *rec;
} session;

static int session_open(session *s, const char *url, const char *keyfile,
                        const char *passfile, const char *receipts)
{
    char err[1024] = "", pass[1024];
    size_t plen = 0;
    memset(s, 0, sizeof *s);
    s->r.receipts = receipts;
    snprintf(s->r.pending, sizeof s->r.pending, "%s.pending", receipts);
    s->r.sk = sodium_malloc(64);
    if (s->r.sk == NULL) {
        cli_err("out of memory");
        return EXIT_ERROR;
    }
    if (cli_read_passphrase("encrypt", passfile,
                            "Passphrase for the device key: ", 0, pass,
                            sizeof pass, &plen) != 0) {
        return EXIT_ERROR;
    }
    sc_status rc =
        sc_edkey_load(keyfile, BC_DEVICE_KEY_KIND, pass, plen, s->r.sk, s->pk);
    sodium_memzero(pass, sizeof pass);
    if (rc != SC_OK) {
        cli_err("%s: cannot open the device key: %s", keyfile,
                rc == SC_E_AUTH ? "wrong passphrase or modified file"
                                : sc_strerror(rc));
        return EXIT_ERROR;
    }
    rc = bc_open(&s->b, url, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: %s", url, err);
        return EXIT_ERROR;
    }
    s->board_open = 1;
    s->r.b = &s->b;
    rc = find_device(&s->b, s->pk, &s->r.d, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: %s", url, err);
        return EXIT_ERROR;
    }
    if (s->r.d.closed) {
        cli_err("device %u is closed on the board", s->r.d.index);
        return EXIT_ERROR;
    }
    snprintf(s->tmpdir, sizeof s->tmpdir, "/tmp/scrutin-election-XXXXXX");
    if (mkdtemp(s->tmpdir) == NULL) {
        cli_err("cannot make a temporary folder: %s", strerror(errno));
        return EXIT_ERROR;
    }
    s->have_tmp = 1;
    rc = election_dir(&s->b, s->tmpdir, err, sizeof err);
    if (rc == SC_OK) {
        rc = sc_record_open(&s->rec, s->tmpdir, SC_RECORD_NEED_KEYS, err,
                            sizeof err);
    }
    if (rc != SC_OK) {
        cli_err("%s", err);
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

static void session_close(session *s)
{
    sc_record_free(s->rec);
    if (s->have_tmp) {
        rm_tree(s->tmpdir);
    }
    if (s->board_open) {
        bc_close(&s->b);
    }
    for (size_t i = 0; i < s->r.d.nids; i++) {
        free(s->r.d.ids[i]);
    }
    free(s->r.d.ids);
    free(s->r.d.name);
    if (s->r.sk != NULL) {
        sodium_free(s->r.sk);
    }
}

/* scrutin device close --board URL --device-key KEYFILE: the device's
 * last entry, its closing (eq 77-78 with simple chaining). */
int cmd_device_close_board(int argc, char **argv)
{
    enum { C_BOARD = 256, C_KEY, C_PASS };
    static const struct option opts[] = {
        {"board", required_argument, NULL, C_BOARD},
        {"device-key", required_argument, NULL, C_KEY},
        {"passphrase-file", required_argument, NULL, C_PASS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *url = NULL, *keyfile = NULL, *passfile = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case C_BOARD: url = optarg; break;
        case C_KEY: keyfile = optarg; break;
        case C_PASS: passfile = optarg; break;
        case 'h':
            printf("usage: scrutin device close --board URL --device-key "
                   "KEYFILE [--passphrase-file F]\n\n"
                   "Close the device on the board: its last entry says how "
                   "many ballots it\nmade and, with simple chaining, the "
                   "closing field and hash (eq 77-78).\n\n"
                   "options:\n"
                   "  --board URL           the board (http://host:port)\n"
                   "  --device-key KEYFILE  the device's sealed key\n"
                   "  --passphrase-file F   read its passphrase from F "
                   "(mode 0600);\n"
                   "                        default: the terminal\n"
                   "  -h, --help            show this help\n\n"
                   "Exit status: 0 ok, 2 usage, 3 error (a refusal by the "
                   "board too).\n");
            return EXIT_OK;
        default: return cli_bad_option("device close", c, argv);
        }
    }
    if (url == NULL || keyfile == NULL || optind != argc) {
        return cli_usage_error("device close", "--board and --device-key");
    }
    char receipts[4200];
    snprintf(receipts, sizeof receipts, "%s.receipts", keyfile);
    session s;
    int ret = session_open(&s, url, keyfile, passfile, receipts);
    sc_json *o = NULL, *cl = NULL;
    char *t = NULL;
    sc_device dev;
    int dev_ok = 0;
    if (ret != EXIT_OK) {
        goto done;
    }
    ret = EXIT_ERROR;
    o = sc_json_object();
    sc_status rc =
        o == NULL ? SC_E_NOMEM : sc_json_put_str(o, "type", "device_close");
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "device", s.r.d.index);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "ballots", s.r.d.ballots);
    }
    if (rc == SC_OK && s.r.d.mode == SC_CHAIN_SIMPLE) {
        uint8_t bc[SC_BC_BYTES], h[32];
        rc = sc_device_init(&dev, s.rec->h_e, s.r.d.index, s.r.d.name,
                            s.r.d.mode);
        dev_ok = rc == SC_OK;
        if (rc == SC_OK && s.r.d.ballots > 0) {
            sc_device_resume(&dev, s.r.d.ballots, s.r.d.last_code);
        }
        if (rc == SC_OK) {
            sc_device_close(&dev, s.rec->h_e, bc, h); /* eq 77-78 */
            cl = sc_json_object();
            rc = cl == NULL
                     ? SC_E_NOMEM
                     : sc_json_put_bytes(cl, "chaining_field", bc, SC_BC_BYTES);
        }
        if (rc == SC_OK) {
            rc = sc_json_put_hash(cl, "hash", h);
        }
        if (rc == SC_OK) {
            rc = sc_json_put(o, "closing", cl);
            cl = NULL;
        }
    }
    t = rc == SC_OK ? sc_json_dumps(o) : NULL;
    if (t == NULL) {
        cli_err("out of memory");
        goto done;
    }
    char err[512] = "";
    bc_answer a;
    rc = bc_submit(&s.b, SC_ENTRY_DEVICE_CLOSE, (const uint8_t *)t, strlen(t),
                   NULL, s.r.sk, s.r.d.last_seq + 1, &a, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: %s", url, err);
        goto done;
    }
    if (a.status != 200) {
        cli_err("the board refused the closing (HTTP %ld): %s", a.status,
                a.why);
        goto done;
    }
    printf("device %u closed with %llu ballots (entry %llu)\n", s.r.d.index,
           (unsigned long long)s.r.d.ballots, (unsigned long long)a.index);
    bc_answer_free(&a);
    ret = EXIT_OK;
done:
    if (dev_ok) {
        sc_device_clear(&dev);
    }
    free(t);
    sc_json_free(cl);
    sc_json_free(o);
    session_close(&s);
    return ret;
}

enum { O_BOARD = 256, O_KEY, O_PASS, O_RECEIPTS, O_RATE, O_SEED, O_QR };

int cmd_encrypt_board(int argc, char **argv)
{
    static const struct option opts[] = {
        {"board", required_argument, NULL, O_BOARD},
        {"device-key", required_argument, NULL, O_KEY},
        {"passphrase-file", required_argument, NULL, O_PASS},
        {"receipts", required_argument, NULL, O_RECEIPTS},
        {"receipts-qr", required_argument, NULL, O_QR},
        {"challenge-rate", required_argument, NULL, O_RATE},
        {"threads", required_argument, NULL, 'j'},
        {"seed", required_argument, NULL, O_SEED},
        {"quiet", no_argument, NULL, 'q'},
        {"no-time", no_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *url = NULL, *keyfile = NULL, *passfile = NULL, *receipts = NULL;
    const char *qrdir = NULL;
    uint32_t threads = 0;
    double rate = 0.0;
    uint64_t seedv = 0;
    int have_seed = 0, quiet = 0, no_time = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":j:qh", opts, NULL)) != -1) {
        switch (c) {
        case O_BOARD: url = optarg; break;
        case O_KEY: keyfile = optarg; break;
        case O_PASS: passfile = optarg; break;
        case O_RECEIPTS: receipts = optarg; break;
        case O_QR: qrdir = optarg; break;
        case O_RATE:
            if (!cli_parse_rate(optarg, &rate)) {
                return cli_usage_error("encrypt", "bad rate '%s'", optarg);
            }
            break;
        case 'j':
            if (!cli_parse_u32(optarg, 1, 1024, &threads)) {
                return cli_usage_error("encrypt", "bad thread count '%s'",
                                       optarg);
            }
            break;
        case O_SEED:
            if (!cli_parse_u64(optarg, &seedv)) {
                return cli_usage_error("encrypt", "bad seed '%s'", optarg);
            }
            have_seed = 1;
            break;
        case 'q': quiet = 1; break;
        case 'T': no_time = 1; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("encrypt", c, argv);
        }
    }
    if (url == NULL || keyfile == NULL) {
        return cli_usage_error("encrypt",
                               "--board and --device-key go together");
    }
    if (argc - optind > 1) {
        return cli_usage_error("encrypt", "one ballot file at most");
    }
    const char *in_name = optind < argc ? argv[optind] : "-";
    char rpath[4096];
    if (receipts == NULL) {
        snprintf(rpath, sizeof rpath, "%s.receipts", keyfile);
        receipts = rpath;
    }

    int ret = EXIT_ERROR;
    char err[1024] = "";
    session ss;
    run *rr = &ss.r;
    sc_device dev;
    int dev_ok = 0;
    int resumed = 0; /* a journalled ballot sent again */
    sc_rng *crng = NULL;
    ptin in = {NULL, 0, 0, in_name};
    char *pline = NULL;
    size_t pllen = 0;
    uint8_t seed[32];
    sc_status rc;

    if (session_open(&ss, url, keyfile, passfile, receipts) != EXIT_OK) {
        goto done;
    }
    rr->quiet = quiet;
    rr->qrdir = qrdir;
    rr->url = url;
    if (strcmp(in_name, "-") == 0) {
        in.name = "(stdin)";
        size_t cap = 0;
        FILE *ms = open_memstream(&in.buf, &cap);
        char chunk[65536];
        size_t got;
        while (ms != NULL && (got = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
            fwrite(chunk, 1, got, ms);
        }
        if (ms == NULL || fclose(ms) != 0) {
            cli_err("cannot read standard input");
            goto done;
        }
        in.len = cap;
    } else if (sc_file_read_all(in_name, &in.buf, &in.len) != SC_OK) {
        cli_err("%s: cannot read", in_name);
        goto done;
    }
    sc_record *rec = ss.rec;
    sc_election el;
    sc_record_election(rec, &el);
    if (have_seed) {
        rc = cli_test_seed(seedv, seed, &crng);
    } else {
        rc = sc_rng_new_system(&crng);
    }
    if (rc != SC_OK) {
        goto done;
    }

    /* A ballot sent before and not acknowledged: the same bytes again. */
    uint32_t pseq = 0;
    rc = pending_read(rr->pending, &pseq, &pline, &pllen);
    if (rc != SC_OK) {
        cli_err("%s: unreadable journal", rr->pending);
        goto done;
    }
    if (pline != NULL && pseq == rr->d.last_seq + 1) {
        if (!quiet) {
            printf("resuming: sending ballot %u again\n", pseq);
        }
        int ex = submit_line(rr, pline, pseq);
        if (ex != EXIT_OK) {
            ret = ex;
            goto done;
        }
        resumed = 1;
    } else if (pline != NULL) {
        unlink(rr->pending); /* on the board already, or from another run */
    }

    for (;;) {
        sc_json *j = NULL;
        rc = pt_next_value(&in, &j, err, sizeof err);
        if (rc != SC_OK) {
            cli_err("%s", err);
            goto done;
        }
        if (j == NULL) {
            break;
        }
        sc_jctx ctx;
        sc_jctx_init(&ctx, in.name, rec->grp);
        sc_plain_ballot *pb = NULL;
        rc = sc_plain_ballot_from_json(&ctx, rec->manifest, j, &pb);
        sc_json_free(j);
        if (rc != SC_OK) {
            cli_err("%s", ctx.msg);
            goto done;
        }
        if (has_id(&rr->d, pb->id)) {
            rr->skipped++;
            sc_plain_ballot_free(pb);
            continue;
        }
        if (rate > 0.0 &&
            (double)(sc_rng_u64(crng) >> 11) / 9007199254740992.0 < rate) {
            pb->challenge = 1;
        }
        if (!dev_ok) {
            rc = sc_device_init(&dev, rec->h_e, rr->d.index, rr->d.name,
                                rr->d.mode);
            if (rc != SC_OK) {
                sc_plain_ballot_free(pb);
                goto done;
            }
            dev_ok = 1;
        }
        if (rr->d.ballots > 0) {
            sc_device_resume(&dev, rr->d.ballots, rr->d.last_code);
        }
        sc_enc_ballot *eb = NULL;
        char *line = NULL;
        size_t bad = 0;
        if (!no_time) { /* §3.7: this device supplies the time */
            cli_utc_now(dev.time);
        }
        rc = sc_encrypt_batch(&el, &dev, &pb, 1, (int)threads,
                              have_seed ? seed : NULL, &eb, &line, &bad);
        sc_plain_ballot_free(pb);
        sc_enc_ballot_free(eb);
        if (rc != SC_OK) {
            cli_err("%s: cannot encrypt a ballot: %s", in.name,
                    sc_strerror(rc));
            goto done;
        }
        uint32_t seq = rr->d.last_seq + 1;
        rc = pending_write(rr->pending, seq, line);
        if (rc != SC_OK) {
            free(line);
            cli_err("%s: cannot write the journal", rr->pending);
            goto done;
        }
        int ex = submit_line(rr, line, seq);
        free(line);
        if (ex != EXIT_OK) {
            ret = ex;
            goto done;
        }
    }
    if (!resumed && rr->sent == 0 && rr->skipped == 0) {
        /* nothing read: an empty file is a mistake, as offline (encrypt) */
        cli_err("%s: no ballots", in.name);
        goto done;
    }
    if (!quiet) {
        printf("device %u (\"%s\"): %llu ballots submitted (%llu cast, %llu "
               "challenged), %llu already on the board; %llu on the board "
               "for this device\n",
               rr->d.index, rr->d.name, (unsigned long long)rr->sent,
               (unsigned long long)rr->cast, (unsigned long long)rr->chal,
               (unsigned long long)rr->skipped,
               (unsigned long long)rr->d.ballots);
    }
    ret = EXIT_OK;
done:
    if (dev_ok) {
        sc_device_clear(&dev);
    }
    sc_rng_free(crng);
    session_close(&ss);
    free(pline);
    if (in.buf != NULL) {
        sc_wipe(in.buf, in.len);
        free(in.buf);
    }
    sc_wipe(seed, sizeof seed);
    return ret;
}
