/* scrutin board export: the election record as a function of the board's
 * log (docs/BOARD.md §6, scrutin/logrec.h). Reads the log through the
 * public API only (checkpoint, entry tiles, payloads by hash), checks the
 * checkpoint's signatures, the root of every entry and every payload's
 * hash, and writes the record `scrutin verify` checks plus log/. Two
 * exports of one log are byte-identical. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board_client.h"
#include "commands.h"
#include "scrutin/json.h"
#include "scrutin/logrec.h"
#include "util.h"

static void help(void)
{
    printf("usage: scrutin board export --board URL --out DIR\n"
           "\n"
           "Export the election record from the bulletin board at URL into\n"
           "DIR (new or empty): the files of docs/RECORD.md made from the\n"
           "log's entries (election files, devices.json, ballots in chain\n"
           "order, tally, decryptions, challenged ballots) and log/ (the\n"
           "entries, every payload by hash, the witness policy, the signed\n"
           "checkpoint with its cosignatures). Everything is checked on the\n"
           "way: the checkpoint's board signature and witness quorum, the\n"
           "root of every entry, every payload's SHA-256, every entry's\n"
           "signature. `scrutin verify DIR` then checks the election and the\n"
           "log (steps L1-L4).\n"
           "\n"
           "options:\n"
           "      --board URL   the board (http://host:port)\n"
           "  -o, --out DIR     where to write the record\n"
           "  -h, --help        show this help\n"
           "\n"
           "Exit status: 0 ok, 1 the log does not check, 2 usage, 3 other "
           "error.\n");
}

static sc_status fetch_payload(void *ctx, const uint8_t sha[32], uint32_t len,
                               uint8_t **data, size_t *dlen)
{
    const bc_board *b = ctx;
    char err[512];
    sc_status rc = bc_payload(b, sha, len, data, dlen, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
    }
    return rc == SC_E_VERIFY ? SC_E_IO : rc;
}

/* Write dir/name, making the folders of name. */
static sc_status write_rel(const char *dir, const char *name,
                           const uint8_t *data, size_t len)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        return SC_E_INVALID;
    }
    for (char *p = path + strlen(dir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                return SC_E_IO;
            }
            *p = '/';
        }
    }
    return sc_file_write_atomic_mode(path, data ? (const void *)data : "", len,
                                     0644);
}

static int empty_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        return mkdir(dir, 0755) == 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        return 0;
    }
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/record.json", dir);
    if (access(probe, F_OK) == 0) {
        return 0;
    }
    snprintf(probe, sizeof probe, "%s/log", dir);
    return access(probe, F_OK) != 0;
}

int cmd_board_export(int argc, char **argv)
{
    enum { O_BOARD = 256 };
    static const struct option opts[] = {
        {"board", required_argument, NULL, O_BOARD},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *url = NULL, *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case O_BOARD: url = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("board export", c, argv);
        }
    }
    if (url == NULL || out == NULL || optind != argc) {
        return cli_usage_error("board export", "--board URL and --out DIR");
    }
    if (!empty_dir(out)) {
        cli_err("%s: holds a record or a log already; export into a new "
                "folder",
                out);
        return EXIT_ERROR;
    }
    char err[1024];
    bc_board b;
    sc_status rc = bc_open(&b, url, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: %s", url, err);
        return rc == SC_E_IO || rc == SC_E_NOMEM ? EXIT_ERROR : EXIT_VERIFY;
    }
    int ret = EXIT_ERROR;
    sc_checkpoint cp;
    char *msg = NULL;
    size_t mlen = 0;
    uint8_t *entries = NULL;
    sc_logrec proj;
    memset(&proj, 0, sizeof proj);
    rc = bc_log(&b, BC_SIG_ONLY, &cp, &msg, &mlen, &entries, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: %s", url, err);
        ret = rc == SC_E_IO || rc == SC_E_NOMEM ? EXIT_ERROR : EXIT_VERIFY;
        goto done;
    }
    rc = sc_logrec_build(&proj, entries, cp.size, fetch_payload, &b);
    if (rc != SC_OK) {
        cli_err("%s: %s%s%s", url, proj.fail_cond[0] ? proj.fail_cond : "",
                proj.fail_cond[0] ? ": " : "",
                proj.fail[0] ? proj.fail : sc_strerror(rc));
        ret = rc == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
        goto done;
    }
    if (strcmp(proj.origin, b.origin) != 0) {
        cli_err("%s: the log's origin is not the board's", url);
        ret = EXIT_VERIFY;
        goto done;
    }
    for (size_t i = 0; i < proj.n; i++) {
        rc = write_rel(out, proj.f[i].name, proj.f[i].data, proj.f[i].len);
        if (rc != SC_OK) {
            cli_err("%s/%s: cannot write", out, proj.f[i].name);
            goto done;
        }
    }
    rc = write_rel(out, "log/checkpoint", (const uint8_t *)msg, mlen);
    if (rc != SC_OK) {
        cli_err("%s/log/checkpoint: cannot write", out);
        goto done;
    }
    printf("%s: %llu entries, %zu files written to %s%s\n", b.origin,
           (unsigned long long)cp.size, proj.n + 1, out,
           b.has_policy ? "" : " (the log has no witness policy)");
    ret = EXIT_OK;
done:
    sc_logrec_free(&proj);
    free(entries);
    free(msg);
    bc_close(&b);
    return ret;
}
