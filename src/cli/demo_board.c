/* scrutin demo --board: the demo election through a live board on
 * loopback (tools/demo-board.sh): the board, three witnesses (one per
 * party) and two devices run as separate `scrutin` processes, as they
 * would on separate machines. The orchestration is a shell script on
 * purpose: it is the runbook of docs/BOARD.md, step by step, in the
 * commands an official and each party type. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

#ifndef SC_SOURCE_DIR
#define SC_SOURCE_DIR "."
#endif

static void help(void)
{
    printf("usage: scrutin demo --board [-b N] [-o DIR] [-g GROUP]\n"
           "\n"
           "Run the demo election through a live bulletin board on "
           "loopback:\n"
           "key ceremony, board, three witnesses (one per party, quorum "
           "all-parties),\n"
           "two devices submitting at the same time, a voter's lookup, "
           "tally and\n"
           "decryption from the log's export, and an observer's export "
           "and verification.\n"
           "\n"
           "  -b, --ballots N   ballots per device (default 10)\n"
           "  -o, --out DIR     working directory (default "
           "./scrutin-board-demo-<time>)\n"
           "  -g, --group NAME  parameter set (default standard)\n"
           "\n"
           "The script is found in $SCRUTIN_DATADIR/tools or the source "
           "tree.\n");
}

int cli_demo_board(int argc, char **argv)
{
    static const struct option opts[] = {
        {"board", no_argument, NULL, 'B'},
        {"ballots", required_argument, NULL, 'b'},
        {"out", required_argument, NULL, 'o'},
        {"group", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *nb = "10", *out = NULL, *group = NULL;
    uint32_t v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":b:o:g:h", opts, NULL)) != -1) {
        switch (c) {
        case 'B': break;
        case 'b':
            if (!cli_parse_u32(optarg, 1, 100000, &v)) {
                return cli_usage_error("demo", "--ballots: 1 to 100000");
            }
            nb = optarg;
            break;
        case 'o': out = optarg; break;
        case 'g': group = optarg; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("demo", c, argv);
        }
    }
    if (optind != argc) {
        return cli_usage_error("demo", "unexpected argument '%s'",
                               argv[optind]);
    }
    const char *dd = getenv("SCRUTIN_DATADIR");
    char script[PATH_MAX], examples[PATH_MAX], self[PATH_MAX];
    snprintf(script, sizeof script, "%s/tools/demo-board.sh",
             dd ? dd : SC_SOURCE_DIR);
    snprintf(examples, sizeof examples, "%s/examples", dd ? dd : SC_SOURCE_DIR);
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        cli_err("cannot find the scrutin executable");
        return EXIT_ERROR;
    }
    self[n] = 0;
    if (access(script, R_OK) != 0) {
        cli_err("%s: not found (set SCRUTIN_DATADIR)", script);
        return EXIT_ERROR;
    }
    if (group != NULL && setenv("SCRUTIN_DEMO_GROUP", group, 1) != 0) {
        return EXIT_ERROR;
    }
    fflush(NULL);
    char sh[] = "sh";
    char nbuf[16], obuf[PATH_MAX];
    snprintf(nbuf, sizeof nbuf, "%s", nb);
    char *args[] = {sh, script, self, examples, nbuf, NULL, NULL};
    if (out != NULL) {
        snprintf(obuf, sizeof obuf, "%s", out);
        args[5] = obuf;
    }
    execv("/bin/sh", args);
    cli_err("cannot run /bin/sh: %s", script);
    return EXIT_ERROR;
}
