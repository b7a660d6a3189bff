/* scrutin encrypt: a voting device encrypts plaintext ballots into the
 * record (spec §3.3-3.4). */
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "receipt.h"
#include "scrutin/ballot.h"
#include "scrutin/core.h"
#include "scrutin/files.h"
#include "scrutin/record.h"
#include "util.h"

static void help(void)
{
    printf(
        "usage: scrutin encrypt [options] -r DIR -d N [BALLOTS]\n"
        "\n"
        "Encrypt plaintext ballots on one voting device and add them to the\n"
        "election record: selection encryptions with range proofs, contest\n"
        "limit proofs, the encrypted ballot nonce, contest hashes and\n"
        "confirmation codes (ElectionGuard 2.1 §3.3-3.4). Each ballot is\n"
        "then cast, or challenged (it will be opened by the guardians).\n"
        "\n"
        "BALLOTS holds plaintext ballots, one JSON object or one per line\n"
        "(docs/RECORD.md \"Plaintext ballots\"); '-' or nothing reads\n"
        "standard input. Nothing is written unless every ballot is good.\n"
        "Running again with the same device adds to its chain.\n"
        "\n"
        "options:\n"
        "  -r, --record DIR        the election record (after the key "
        "ceremony)\n"
        "  -d, --device-index N    this device's number, 1.. (ballots go to\n"
        "                          DIR/ballots/device_N.jsonl)\n"
        "  -D, --device TEXT       S_device, the device information hashed\n"
        "                          into H_DI (eq 72); default: the ballots'\n"
        "                          \"device\" field, else \"device N\"\n"
        "  -c, --chaining MODE     simple (default) or none (eq 73-78)\n"
        "      --challenge-rate P  challenge this share of the ballots at\n"
        "                          random (0.05 or 5%%); ballots may also say\n"
        "                          \"challenge\": true\n"
        "      --codes FILE        write one line per ballot: id, "
        "confirmation\n"
        "                          code, state (the voters' receipts)\n"
        "      --receipts-qr DIR   each voter's receipt with its QR code in\n"
        "                          DIR/receipt_<device>_<n>.txt and .svg "
        "('-':\n"
        "                          print them)\n"
        "  -j, --threads N         worker threads (default: every core)\n"
        "      --seed N            deterministic randomness from N: test\n"
        "                          parameter sets only (refused with the\n"
        "                          standard set: the seed reveals the votes)\n"
        "      --no-time           leave out each ballot's encryption time\n"
        "                          (encrypted_at, UTC to the second; §3.7)\n"
        "      --parallel          this record is this device's own copy,\n"
        "                          made after the key ceremony; device\n"
        "                          numbers are assigned by the official, not\n"
        "                          taken in order; `scrutin merge` merges\n"
        "                          the copies\n"
        "  -q, --quiet             no summary on standard output\n"
        "  -h, --help              show this help\n"
        "\n"
        "\n"
        "With --board URL --device-key KEYFILE the ballots go to a bulletin\n"
        "board instead (`scrutin encrypt --board URL --help`).\n"
        "\n"
        "Exit status: 0 ok, 2 usage, 3 bad input or other error.\n");
}

/* Reads plaintext ballots: JSON objects separated by white space (one
 * per line, or one object over several lines). */
typedef struct pt_reader {
    FILE *f;
    const char *name;
    char *line;
    size_t cap;
    char *acc;
    size_t len, acap;
    uint64_t lineno, start;
    char where[4200];
} pt_reader;

static sc_status acc_add(pt_reader *r, const char *s, size_t n)
{
    if (r->len + n > SC_LINE_MAX) {
        return SC_E_IO_TOO_LARGE; /* one ballot, at most SC_LINE_MAX */
    }
    if (r->len + n + 1 > r->acap) {
        size_t nc = r->acap ? r->acap * 2 : 4096;
        while (nc < r->len + n + 1) {
            nc *= 2;
        }
        char *p = malloc(nc); /* not realloc: the old copy is wiped */
        if (p == NULL) {
            return SC_E_NOMEM;
        }
        if (r->acc != NULL) {
            memcpy(p, r->acc, r->len);
            sc_wipe(r->acc, r->acap);
            free(r->acc);
        }
        r->acc = p;
        r->acap = nc;
    }
    memcpy(r->acc + r->len, s, n);
    r->len += n;
    r->acc[r->len] = '\0';
    return SC_OK;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

/* Next JSON value; *out NULL at the end. ctx->file becomes "FILE:LINE". */
static sc_status pt_next(pt_reader *r, sc_jctx *ctx, sc_json **out)
{
    *out = NULL;
    r->len = 0;
    r->start = 0;
    json_error_t je;
    for (;;) {
        ssize_t n = sc_input_getline(&r->line, &r->cap, r->f, SC_LINE_MAX);
        if (n == -2) {
            snprintf(r->where, sizeof r->where, "%s:%llu", r->name,
                     (unsigned long long)r->lineno + 1);
            ctx->file = r->where;
            return sc_jctx_fail(ctx, SC_E_IO_TOO_LARGE, NULL,
                                "a ballot longer than %zu bytes", SC_LINE_MAX);
        }
        if (n < 0) {
            if (r->len == 0 || blank(r->acc, r->len)) {
                return SC_OK;
            }
            snprintf(r->where, sizeof r->where, "%s:%llu", r->name,
                     (unsigned long long)r->start);
            ctx->file = r->where;
            return sc_jctx_fail(ctx, SC_E_INVALID_JSON, NULL,
                                "unexpected end of input in a ballot");
        }
        r->lineno++;
        if (r->len == 0 && blank(r->line, (size_t)n)) {
            continue;
        }
        if (r->len == 0) {
            r->start = r->lineno;
        }
        sc_status rc = acc_add(r, r->line, (size_t)n);
        if (rc != SC_OK) {
            snprintf(r->where, sizeof r->where, "%s:%llu", r->name,
                     (unsigned long long)r->start);
            ctx->file = r->where;
            return sc_jctx_fail(ctx, rc, NULL, "a ballot longer than %zu bytes",
                                SC_LINE_MAX);
        }
        json_t *v = json_loadb(r->acc, r->len, JSON_REJECT_DUPLICATES, &je);
        snprintf(r->where, sizeof r->where, "%s:%llu", r->name,
                 (unsigned long long)r->start);
        ctx->file = r->where;
        if (v != NULL) {
            *out = v;
            return SC_OK;
        }
        /* An error at the very end: the value continues on the next line.
         * Anything else is a syntax error. */
        if ((size_t)je.position < r->len &&
            !blank(r->acc + je.position, r->len - je.position)) {
            return sc_jctx_fail(ctx, SC_E_INVALID_JSON, NULL,
                                "invalid JSON (line %llu column %d): %s",
                                (unsigned long long)(r->start + je.line - 1),
                                je.column, je.text);
        }
    }
}

/* The last confirmation code and count of an existing device file. */
/* The labels of every ballot already in the record (labels are unique in
 * an election, docs/RECORD.md). */
static sc_status record_labels(const char *dir, const sc_devices *ds,
                               sc_labelset *labels, char *err, size_t errlen)
{
    sc_status rc = SC_OK;
    for (size_t d = 0; d < ds->n && rc == SC_OK; d++) {
        char name[64], path[4096];
        snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
                 (unsigned)ds->d[d].index);
        if (sc_record_path(path, sizeof path, dir, name) != SC_OK ||
            access(path, F_OK) != 0) {
            continue;
        }
        sc_ballot_reader *rd = NULL;
        sc_jctx ctx;
        sc_jctx_init(&ctx, path, NULL);
        rc = sc_ballot_reader_open(&rd, path);
        if (rc != SC_OK) {
            snprintf(err, errlen, "%s: cannot read: %s", path, sc_strerror(rc));
            return rc;
        }
        for (;;) {
            sc_json *j = NULL;
            const char *id;
            rc = sc_ballot_reader_next_json(rd, &ctx, &j);
            if (rc != SC_OK || j == NULL) {
                break;
            }
            rc = sc_json_get_str(&ctx, j, "id", &id);
            if (rc == SC_OK && sc_labelset_add(labels, id) < 0) {
                rc = SC_E_NOMEM;
            }
            sc_json_free(j);
            if (rc != SC_OK) {
                break;
            }
        }
        if (rc != SC_OK) {
            snprintf(err, errlen, "%s", ctx.msg[0] ? ctx.msg : sc_strerror(rc));
        }
        sc_ballot_reader_free(rd);
    }
    return rc;
}

static sc_status resume_info(const char *path, uint64_t *count,
                             uint8_t last[32], char *err, size_t errlen)
{
    sc_ballot_reader *rd = NULL;
    sc_jctx ctx;
    sc_jctx_init(&ctx, path, NULL);
    *count = 0;
    if (access(path, F_OK) != 0) {
        return SC_OK;
    }
    sc_status rc = sc_ballot_reader_open(&rd, path);
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s: cannot read: %s", path, sc_strerror(rc));
        return rc;
    }
    for (;;) {
        sc_json *j = NULL;
        rc = sc_ballot_reader_next_json(rd, &ctx, &j);
        if (rc != SC_OK || j == NULL) {
            break;
        }
        rc = sc_json_get_hash(&ctx, j, "confirmation_code", last);
        sc_json_free(j);
        if (rc != SC_OK) {
            break;
        }
        (*count)++;
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s", ctx.msg);
    }
    sc_ballot_reader_free(rd);
    return rc;
}

#define BATCH 64

int cmd_encrypt(int argc, char **argv)
{
    static const struct option opts[] = {
        {"record", required_argument, NULL, 'r'},
        {"device-index", required_argument, NULL, 'd'},
        {"device", required_argument, NULL, 'D'},
        {"chaining", required_argument, NULL, 'c'},
        {"challenge-rate", required_argument, NULL, 'C'},
        {"codes", required_argument, NULL, 'o'},
        {"receipts-qr", required_argument, NULL, 'R'},
        {"threads", required_argument, NULL, 'j'},
        {"seed", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"no-time", no_argument, NULL, 'T'},
        {"parallel", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    /* --board: submit to a bulletin board (cmd_encrypt_board.c) */
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--board", 7) == 0) {
            return cmd_encrypt_board(argc, argv);
        }
    }
    const char *dir = NULL, *device = NULL, *codes = NULL, *qrdir = NULL;
    cli_receipts rcpt = {0};
    uint32_t dindex = 0, mode = SC_CHAIN_SIMPLE, threads = 0;
    double rate = 0.0;
    uint64_t seedv = 0;
    int have_seed = 0, quiet = 0, no_time = 0, parallel = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:d:D:c:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': dir = optarg; break;
        case 'd':
            if (!cli_parse_u32(optarg, 1, 1000000, &dindex)) {
                return cli_usage_error("encrypt", "bad device index '%s'",
                                       optarg);
            }
            break;
        case 'D': device = optarg; break;
        case 'c':
            if (strcmp(optarg, "simple") == 0) {
                mode = SC_CHAIN_SIMPLE;
            } else if (strcmp(optarg, "none") == 0) {
                mode = SC_CHAIN_NONE;
            } else {
                return cli_usage_error("encrypt",
                                       "chaining is 'simple' or 'none'");
            }
            break;
        case 'C':
            if (!cli_parse_rate(optarg, &rate)) {
                return cli_usage_error("encrypt", "bad rate '%s'", optarg);
            }
            break;
        case 'o': codes = optarg; break;
        case 'R': qrdir = optarg; break;
        case 'j':
            if (!cli_parse_u32(optarg, 1, 1024, &threads)) {
                return cli_usage_error("encrypt", "bad thread count '%s'",
                                       optarg);
            }
            break;
        case 'S':
            if (!cli_parse_u64(optarg, &seedv)) {
                return cli_usage_error("encrypt", "bad seed '%s'", optarg);
            }
            have_seed = 1;
            break;
        case 'q': quiet = 1; break;
        case 'T': no_time = 1; break;
        case 'P': parallel = 1; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("encrypt", c, argv);
        }
    }
    if (dir == NULL || dindex == 0) {
        return cli_usage_error("encrypt",
                               "--record and --device-index are required");
    }
    if (argc - optind > 1) {
        return cli_usage_error("encrypt", "one ballot file at most");
    }
    const char *in_name = optind < argc ? argv[optind] : "-";

    int ret = EXIT_ERROR;
    char err[SC_ERRMAX] = "";
    sc_labelset *labels = NULL;
    sc_record *rec = NULL;
    sc_devices ds = {0};
    sc_device dev = {0};
    int dev_ok = 0;
    sc_ballot_writer *w = NULL;
    sc_rng *crng = NULL;
    pt_reader pr = {0};
    FILE *cf = NULL;
    char *codes_buf = NULL;
    size_t codes_len = 0;
    sc_plain_ballot *in[BATCH] = {0};
    sc_enc_ballot *out[BATCH] = {0};
    char *lines[BATCH] = {0};
    size_t nin = 0;
    uint64_t n_cast = 0, n_chal = 0;
    uint8_t seed[32];
    sc_status rc =
        sc_record_open(&rec, dir, SC_RECORD_NEED_KEYS, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    sc_election el;
    sc_record_election(rec, &el);
    if (have_seed && rec->grp->id == SC_GROUP_STANDARD) {
        cli_err("--seed is refused with the standard parameter set: anyone "
                "knowing the seed recovers every vote; it is for the test "
                "sets (toy-q64, ...) only");
        goto done;
    }
    if (have_seed) {
        rc = cli_test_seed(seedv, seed, &crng);
        if (rc != SC_OK) {
            goto done;
        }
    }
    pr.name = strcmp(in_name, "-") == 0 ? "(stdin)" : in_name;
    if (strcmp(in_name, "-") == 0) {
        pr.f = stdin;
    } else if ((rc = sc_input_open(in_name, &pr.f)) != SC_OK) {
        cli_err("%s: cannot open: %s", in_name, sc_strerror(rc));
        goto done;
    }
    char path[4096], name[64];
    snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
             (unsigned)dindex);
    if (sc_record_path(path, sizeof path, dir, name) != SC_OK) {
        cli_err("%s: path too long", dir);
        goto done;
    }
    rc = sc_devices_read(&ds, dir, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    const sc_device_info *prev = NULL;
    for (size_t i = 0; i < ds.n; i++) {
        if (ds.d[i].index == dindex) {
            prev = &ds.d[i];
        }
    }
    /* --parallel: this record is one device's copy, merged later by
     * `scrutin merge`; the official assigned the device numbers */
    if (prev == NULL && dindex != ds.n + 1 && !parallel) {
        cli_err("%s/%s: devices are numbered 1, 2, ... in the order they "
                "join (docs/RECORD.md): the next new device is %zu, not %u "
                "(devices encrypting on their own copies: --parallel)",
                dir, SC_REC_DEVICES, ds.n + 1, (unsigned)dindex);
        goto done;
    }
    uint64_t have = 0;
    uint8_t last[32] = {0};
    rc = resume_info(path, &have, last, err, sizeof err);
    if (rc == SC_OK) {
        rc = sc_labelset_new(&labels);
    }
    if (rc == SC_OK) {
        rc = record_labels(dir, &ds, labels, err, sizeof err);
    }
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    if ((prev != NULL ? prev->ballots : 0) != have) {
        cli_err("%s: holds %llu ballots but devices.json says %llu", path,
                (unsigned long long)have,
                (unsigned long long)(prev ? prev->ballots : 0));
        goto done;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, pr.name, rec->grp);
    w = NULL;
    rc = sc_ballot_writer_open(&w, path, 1);
    if (rc != SC_OK) {
        cli_err("%s: cannot write: %s", path, sc_strerror(rc));
        goto done;
    }
    if (codes != NULL) {
        /* the receipts are committed with the ballots (sc_device_commit) */
        cf = open_memstream(&codes_buf, &codes_len);
        if (cf == NULL) {
            goto done;
        }
    }
    /* a regular file: count its lines for the progress bar */
    uint64_t expect = 0;
    if (pr.f != stdin && isatty(2)) {
        char buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, pr.f)) > 0) {
            for (size_t i = 0; i < got; i++) {
                expect += buf[i] == '\n';
            }
        }
        rewind(pr.f);
    }
    cli_progress pg;
    cli_progress_start(&pg, "encrypting", expect);
    for (;;) {
        /* read a batch */
        int eof = 0;
        while (nin < BATCH) {
            sc_json *j = NULL;
            sc_jctx_init(&ctx, pr.name, rec->grp);
            rc = pt_next(&pr, &ctx, &j);
            if (rc != SC_OK) {
                cli_err("%s", ctx.msg);
                goto done;
            }
            if (j == NULL) {
                eof = 1;
                break;
            }
            rc = sc_plain_ballot_from_json(&ctx, rec->manifest, j, &in[nin]);
            sc_json_free(j);
            if (rc != SC_OK) {
                cli_err("%s", ctx.msg);
                goto done;
            }
            int fresh = sc_labelset_add(labels, in[nin]->id);
            if (fresh <= 0) {
                if (fresh == 0) {
                    cli_err("%s: field id: ballot \"%s\" is already in the "
                            "record or earlier in the input (labels are "
                            "unique in an election); nothing written",
                            ctx.file, in[nin]->id);
                }
                goto done;
            }
            if (rate > 0.0) {
                uint64_t u = sc_rng_u64(crng);
                if ((double)(u >> 11) / 9007199254740992.0 < rate) {
                    in[nin]->challenge = 1;
                }
            }
            if (!dev_ok) {
                const char *s = device;
                char dflt[32];
                if (s == NULL && prev != NULL) {
                    s = prev->device;
                }
                if (s == NULL) {
                    s = in[nin]->device;
                }
                if (s == NULL) {
                    snprintf(dflt, sizeof dflt, "device %u", (unsigned)dindex);
                    s = dflt;
                }
                if (prev != NULL &&
                    (strcmp(prev->device, s) != 0 || prev->mode != mode)) {
                    cli_err("%s: device %u was \"%s\" with %s chaining; "
                            "give the same --device and --chaining to add "
                            "to its chain",
                            SC_REC_DEVICES, (unsigned)dindex, prev->device,
                            prev->mode == SC_CHAIN_SIMPLE ? "simple" : "no");
                    goto done;
                }
                rc = sc_device_init(&dev, rec->h_e, dindex, s, mode);
                if (rc != SC_OK) {
                    goto done;
                }
                sc_device_resume(&dev, have, last);
                dev_ok = 1;
            }
            nin++;
        }
        if (nin > 0) {
            size_t bad = 0;
            if (expect == 0) {
                pg.total += nin;
            }
            if (!no_time) { /* §3.7: this device supplies the time */
                cli_utc_now(dev.time);
            }
            rc = sc_encrypt_batch(&el, &dev, in, nin, (int)threads,
                                  have_seed ? seed : NULL, out, lines, &bad);
            if (rc != SC_OK) {
                cli_err("%s: ballot \"%s\": cannot encrypt: %s", pr.name,
                        in[bad]->id,
                        rc == SC_E_RANGE ? "a selection limit is above "
                                           "what range proofs support "
                                           "here (1000)"
                                         : sc_strerror(rc));
                goto done;
            }
            for (size_t i = 0; i < nin; i++) {
                rc = sc_ballot_writer_put_line(w, lines[i]);
                if (rc != SC_OK) {
                    cli_err("%s: write error", path);
                    goto done;
                }
                if (out[i]->state == SC_BALLOT_CAST) {
                    n_cast++;
                } else {
                    n_chal++;
                }
                if (qrdir != NULL && cli_receipts_add(&rcpt, out[i]) != SC_OK) {
                    goto done;
                }
                if (cf != NULL) {
                    char hc[65];
                    sc_hex_encode(hc, out[i]->h_c, 32);
                    fprintf(cf, "%s\t%s\t%s\n", out[i]->id, hc,
                            out[i]->state == SC_BALLOT_CAST ? "cast"
                                                            : "challenged");
                }
                sc_enc_ballot_free(out[i]);
                out[i] = NULL;
                free(lines[i]);
                lines[i] = NULL;
                sc_plain_ballot_free(in[i]);
                in[i] = NULL;
            }
            cli_progress_add(&pg, nin);
            nin = 0;
        }
        if (eof) {
            break;
        }
    }
    cli_progress_end(&pg);
    if (!dev_ok) {
        cli_err("%s: no ballots", pr.name);
        goto done;
    }
    if (cf != NULL && (fflush(cf) != 0 || fclose(cf) != 0)) {
        cf = NULL;
        goto done;
    }
    cf = NULL;
    /* One commit point for the ballots, devices.json and the receipts;
     * other devices may be committing into the same record meanwhile,
     * this device must not have moved since we started. */
    int to_stdout = codes != NULL && strcmp(codes, "-") == 0;
    rc =
        sc_device_commit(dir, w, &dev, rec->h_e, have, to_stdout ? NULL : codes,
                         codes_buf, codes_len, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    if (to_stdout && cli_write_file("-", codes_buf, codes_len) != SC_OK) {
        cli_err("standard output: cannot write the receipts");
        goto done;
    }
    if (qrdir != NULL &&
        cli_receipts_write(&rcpt, qrdir, NULL, err, sizeof err) != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    if (!quiet) {
        printf("device %u (\"%s\", %s chaining): %llu ballots encrypted, "
               "%llu cast, %llu challenged; %llu on the device\n",
               (unsigned)dindex, dev.s_device,
               mode == SC_CHAIN_SIMPLE ? "simple" : "no",
               (unsigned long long)(n_cast + n_chal),
               (unsigned long long)n_cast, (unsigned long long)n_chal,
               (unsigned long long)dev.count);
    }
    ret = EXIT_OK;
done:
    for (size_t i = 0; i < BATCH; i++) {
        sc_plain_ballot_free(in[i]);
        sc_enc_ballot_free(out[i]);
        free(lines[i]);
    }
    if (cf != NULL) {
        fclose(cf);
    }
    free(codes_buf);
    cli_receipts_clear(&rcpt);
    sc_ballot_writer_free(w);
    if (pr.f != NULL && pr.f != stdin) {
        fclose(pr.f);
    }
    if (pr.line != NULL) {
        sc_wipe(pr.line, pr.cap);
    }
    if (pr.acc != NULL) {
        sc_wipe(pr.acc, pr.acap);
    }
    free(pr.line);
    free(pr.acc);
    if (dev_ok) {
        sc_device_clear(&dev);
    }
    sc_devices_clear(&ds);
    sc_labelset_free(labels);
    sc_rng_free(crng);
    sc_record_free(rec);
    sc_wipe(seed, sizeof seed);
    return ret;
}
