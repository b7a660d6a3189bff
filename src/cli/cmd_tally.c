/* scrutin tally: the homomorphic tally of the cast ballots (eq 79-80). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "scrutin/record.h"
#include "scrutin/tally.h"
#include "util.h"

static void help(void)
{
    printf("usage: scrutin tally [options] -r DIR\n"
           "\n"
           "Multiply the encryptions of every cast ballot in the record, "
           "option by\n"
           "option (ElectionGuard 2.1 eq 79; eq 80 for weighted ballots), "
           "and write\n"
           "DIR/encrypted_tally.json. Challenged ballots are not counted. "
           "Every\n"
           "ballot file is streamed and its elements are checked to be in "
           "the group.\n"
           "The guardians then decrypt the tally (scrutin decrypt).\n"
           "\n"
           "options:\n"
           "  -r, --record DIR   the election record\n"
           "  -q, --quiet        no summary on standard output\n"
           "  -h, --help         show this help\n"
           "\n"
           "Exit status: 0 ok, 2 usage, 3 bad record or other error.\n");
}

int cmd_tally(int argc, char **argv)
{
    const char *dir;
    int quiet;
    int ex = cli_record_options("tally", argc, argv, help, &dir, &quiet);
    if (ex >= 0) {
        return ex;
    }
    if (optind < argc && dir == NULL) {
        dir = argv[optind++];
    }
    if (dir == NULL || optind != argc) {
        return cli_usage_error("tally", "give the record directory (-r DIR)");
    }
    char err[SC_ERRMAX];
    sc_record *rec = NULL;
    sc_tally *t = NULL;
    int ret = EXIT_ERROR;
    sc_status rc =
        sc_record_open(&rec, dir, SC_RECORD_NEED_KEYS, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    double t0 = cli_now();
    rc = sc_record_tally(rec, &t, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err[0] ? err : sc_strerror(rc));
        goto done;
    }
    rc = sc_tally_write(t, dir);
    if (rc != SC_OK) {
        cli_err("%s/%s: cannot write: %s", dir, SC_REC_ENC_TALLY,
                sc_strerror(rc));
        goto done;
    }
    if (!quiet) {
        printf("tallied %llu cast ballots (total weight %llu) over %zu "
               "options in %.2fs: %s/%s\n",
               (unsigned long long)t->cast, (unsigned long long)t->weight_total,
               t->n_options, cli_now() - t0, dir, SC_REC_ENC_TALLY);
    }
    ret = EXIT_OK;
done:
    sc_tally_free(t);
    sc_record_free(rec);
    return ret;
}
