/* scrutin merge: the official merges the outputs of voting devices that
 * encrypted in parallel, each on its own copy of the record
 * (sc_record_merge, src/lib/record/merge.c). */
#include <getopt.h>
#include <string.h>

#include "commands.h"
#include "scrutin/record.h"
#include "util.h"

static void help(void)
{
    printf("usage: scrutin merge -r DIR DEVICE_RECORD...\n"
           "\n"
           "Merge into the election record DIR the ballots of voting devices\n"
           "that encrypted in parallel, each on its own copy of DIR made\n"
           "after the key ceremony (`scrutin encrypt --parallel`). Every\n"
           "DEVICE_RECORD must be a copy of the same election (its ceremony\n"
           "files byte for byte those of DIR). Refused, with nothing\n"
           "written: a device number held by two devices with different\n"
           "ballots, a ballot label or confirmation code that is already on\n"
           "another ballot, a device whose ballot file does not match its\n"
           "devices.json entry (count, device number and sequence of each\n"
           "ballot, H_DI, closing), a record already tallied, and a result\n"
           "with a gap in the device numbers (1, 2, ... each one merged).\n"
           "A device already in DIR with the same ballots is left as it is,\n"
           "so merging again is harmless. The new ballot files and\n"
           "devices.json are committed at one point: after a failure or a\n"
           "crash DIR holds the whole merge or none of it. Then run `scrutin\n"
           "tally`; `scrutin verify` checks every ballot.\n"
           "\n"
           "options:\n"
           "  -r, --record DIR   the election record to merge into\n"
           "  -q, --quiet        no summary on standard output\n"
           "  -h, --help         show this help\n"
           "\n"
           "Exit status: 0 merged, 1 a conflict or an inconsistent device\n"
           "(nothing written), 2 usage, 3 other error.\n");
}

int cmd_merge(int argc, char **argv)
{
    const char *dir;
    int quiet;
    int ex = cli_record_options("merge", argc, argv, help, &dir, &quiet);
    if (ex >= 0) {
        return ex;
    }
    if (dir == NULL || optind >= argc) {
        return cli_usage_error("merge", "give -r DIR and the devices' records");
    }
    char err[SC_ERRMAX] = "";
    sc_merge_stats st;
    sc_status rc = sc_record_merge(dir, (size_t)(argc - optind),
                                   (const char *const *)(argv + optind), &st,
                                   err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", *err ? err : sc_strerror(rc));
        return rc == SC_E_DUPLICATE || rc == SC_E_INVALID ? EXIT_VERIFY
                                                          : EXIT_ERROR;
    }
    if (!quiet) {
        printf("merged %zu device%s (%llu ballots) into %s; %zu already "
               "there, identical\n",
               st.added, st.added == 1 ? "" : "s",
               (unsigned long long)st.ballots, dir, st.same);
    }
    return EXIT_OK;
}
