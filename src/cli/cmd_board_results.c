/* scrutin board results: results.json (docs/BOARD.md §3.5) from a record
 * whose tally is decrypted, for `scrutin board post --type result`. The
 * builder is the library's (sc_results_build); this file reads the record
 * files and writes the result. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "scrutin/json.h"
#include "scrutin/record.h"
#include "scrutin/results.h"
#include "util.h"

static void help(void)
{
    printf("usage: scrutin board results --record DIR [--out FILE]\n"
           "\n"
           "Write results.json (docs/BOARD.md 3.5): every contest and option\n"
           "of DIR/tally.json with its decrypted count, bound by SHA-256 to\n"
           "DIR/encrypted_tally.json and DIR/tally.json as they are (post\n"
           "those exact files), to H_E, and to the number of cast and\n"
           "challenged ballots. Post it with\n"
           "'scrutin board post --type result FILE' after the tally, the\n"
           "decryption and the challenged openings.\n"
           "\n"
           "options:\n"
           "      --record DIR  the record (after 'scrutin decrypt')\n"
           "  -o, --out FILE    where to write (default DIR/results.json;\n"
           "                    '-' for stdout)\n"
           "  -h, --help        show this help\n"
           "\n"
           "Exit status: 0 ok, 2 usage, 3 a file is missing or malformed.\n");
}

/* Lines of challenged.jsonl that hold something (0 without the file). */
static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '\n') {
            lines += i > start;
            start = i + 1;
        }
    }
    return lines;
}

static int read_rel(const char *dir, const char *name, char **data, size_t *len)
{
    char p[4096];
    int k = snprintf(p, sizeof p, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= sizeof p) {
        cli_err("%s/%s: path too long", dir, name);
        return -1;
    }
    sc_status rc = sc_file_read_all(p, data, len);
    if (rc != SC_OK) {
        cli_err("%s: %s", p, sc_strerror(rc));
        return -1;
    }
    return 0;
}

static int run(const char *dir, const char *out)
{
    char *enc = NULL, *tally = NULL, *ch = NULL, *res = NULL;
    size_t enc_len = 0, tally_len = 0, ch_len = 0;
    sc_json *hx = NULL;
    uint8_t h_e[32];
    char p[4096];
    int ex = EXIT_ERROR;
    sc_jctx ctx;
    sc_jctx_init(&ctx, SC_REC_HASHES_EXT, NULL);
    snprintf(p, sizeof p, "%s/%s", dir, SC_REC_HASHES_EXT);
    if (sc_json_read_file(&ctx, p, &hx) != SC_OK ||
        sc_json_get_hash(&ctx, hx, "h_e", h_e) != SC_OK) {
        cli_err("%s", ctx.msg);
        goto done;
    }
    if (read_rel(dir, SC_REC_ENC_TALLY, &enc, &enc_len) != 0 ||
        read_rel(dir, SC_REC_TALLY, &tally, &tally_len) != 0) {
        goto done;
    }
    snprintf(p, sizeof p, "%s/%s", dir, SC_REC_CHALLENGED);
    if (sc_file_read_all(p, &ch, &ch_len) != SC_OK) {
        ch_len = 0; /* no challenged ballot: no file */
    }
    sc_jctx_init(&ctx, NULL, NULL);
    if (sc_results_build(&ctx, h_e, enc, enc_len, tally, tally_len,
                         count_lines(ch, ch_len), &res) != SC_OK) {
        cli_err("%s", ctx.msg);
        goto done;
    }
    size_t n = strlen(res);
    res[n] = '\n'; /* the NUL becomes the final newline */
    char dflt[4096];
    if (out == NULL) {
        snprintf(dflt, sizeof dflt, "%s/results.json", dir);
        out = dflt;
    }
    sc_status rc = cli_write_file(out, res, n + 1);
    if (rc != SC_OK) {
        cli_err("%s: %s", out, sc_strerror(rc));
        goto done;
    }
    ex = EXIT_OK;
done:
    sc_json_free(hx);
    free(enc);
    free(tally);
    free(ch);
    free(res);
    return ex;
}

int cmd_board_results(int argc, char **argv)
{
    static const struct option opts[] = {
        {"record", required_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': dir = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("board results", c, argv);
        }
    }
    if (dir == NULL || optind != argc) {
        return cli_usage_error("board results", "needs --record DIR");
    }
    return run(dir, out);
}
