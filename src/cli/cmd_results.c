/* scrutin results: print the election results of a record (results.c). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "results.h"
#include "scrutin/record.h"
#include "util.h"

static void help(void)
{
    printf("usage: scrutin results [--json | --csv] DIR\n"
           "\n"
           "Print the results of the election in the record DIR, from its\n"
           "decrypted tally (tally.json): the election's name and H_E, then\n"
           "each contest as a table (votes, share) and a chart of text bars,\n"
           "with the supplemental counts (undervotes, ...) and a TIE line\n"
           "when two options have the same count at the place that decides\n"
           "the contest (first place; with L selections allowed, place L).\n"
           "The counts are printed as published: `scrutin verify DIR`\n"
           "checks them (and prints them too when the record is valid).\n"
           "\n"
           "options:\n"
           "  -r, --record DIR   the record (or give DIR as the argument)\n"
           "      --json         one JSON object: election, h_e,\n"
           "                     cast_ballots, contests (options with votes,\n"
           "                     supplemental, tie_place, tied_options)\n"
           "      --csv          CSV (RFC 4180): contest_index, contest,\n"
           "                     option_index, option, kind, votes, tie;\n"
           "                     a label starting with = + - @ TAB or CR\n"
           "                     gets a ' in front (no spreadsheet formula)\n"
           "  -h, --help         show this help\n"
           "\n"
           "Exit status: 0 ok, 2 usage, 3 no decrypted tally or a record\n"
           "that does not match its manifest.\n");
}

int cmd_results(int argc, char **argv)
{
    enum { O_JSON = 256, O_CSV };
    static const struct option opts[] = {
        {"record", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, O_JSON},
        {"csv", no_argument, NULL, O_CSV},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int format = CLI_RESULTS_TEXT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': dir = optarg; break;
        case O_JSON: format = CLI_RESULTS_JSON; break;
        case O_CSV: format = CLI_RESULTS_CSV; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("results", c, argv);
        }
    }
    if (optind < argc && dir == NULL) {
        dir = argv[optind++];
    }
    if (dir == NULL || optind != argc) {
        return cli_usage_error("results", "give the record directory");
    }
    char err[SC_ERRMAX] = "";
    sc_record *rec = NULL;
    cli_results r;
    memset(&r, 0, sizeof r);
    int ret = EXIT_ERROR;
    sc_status rc = sc_record_open(&rec, dir, 0, err, sizeof err);
    if (rc == SC_OK) {
        rc = cli_results_load(&r, rec, err, sizeof err);
    }
    if (rc == SC_OK) {
        rc = cli_results_print(stdout, &r, format);
        if (rc != SC_OK) {
            snprintf(err, sizeof err, "%s", sc_strerror(rc));
        }
    }
    if (rc == SC_OK && fflush(stdout) != 0) {
        rc = SC_E_IO;
        snprintf(err, sizeof err, "standard output: cannot write");
    }
    if (rc != SC_OK) {
        cli_err("%s", *err ? err : sc_strerror(rc));
    } else {
        ret = EXIT_OK;
    }
    cli_results_clear(&r);
    sc_record_free(rec);
    return ret;
}
