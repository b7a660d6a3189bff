/* `scrutin verify DIR`: check an election record. A 2.1 record (Scrutin
 * format, docs/RECORD.md) goes to sc_verify_record; an ElectionGuard 2.0
 * record made by egk (election_config.json with config_version "v2.0.0")
 * goes to sc_verify20_record. Both report through scrutin/report.h.
 * Exit: 0 valid, 1 invalid, 2 usage, 3 could not check. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "results.h"
#include "scrutin/report.h"
#include "scrutin/verify.h"
#include "scrutin/verify20.h"

static void help(FILE *out)
{
    fprintf(out,
            "usage: scrutin verify [options] DIR\n"
            "\n"
            "Verify the election record in DIR against Verification 1-14 of\n"
            "the ElectionGuard 2.1.0 specification (section 6.2) and the\n"
            "supplementary checks S1-S5 (docs/VERIFIER.md). A 2.0.0 record\n"
            "made by egk (election_config.json, v2.0.0) is checked against\n"
            "the 2.0.0 steps.\n"
            "\n"
            "  --json                     print the report as JSON\n"
            "  --threads N                worker threads (default: all "
            "cores)\n"
            "  --allow-test-parameters    accept records made with the toy\n"
            "                             or 3072-bit test groups\n"
            "  --max-failures N           finding lines shown per ballot,\n"
            "                             and per step outside ballots (5);\n"
            "                             --json lists every finding\n"
            "  --progress                 print each step's line on stderr\n"
            "                             as soon as it is done\n"
            "  --state DIR                a record with the board's log:\n"
            "                             where the largest checkpoint seen\n"
            "                             is kept (default ~/.cache/scrutin,\n"
            "                             shared with lookup --board)\n"
            "  --no-state                 keep none (no rollback check)\n"
            "  -h, --help                 this text\n"
            "\n"
            "Exit status: 0 valid, 1 invalid, 2 usage, 3 could not check.\n");
}

int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"threads", required_argument, NULL, 't'},
        {"allow-test-parameters", no_argument, NULL, 'a'},
        {"max-failures", required_argument, NULL, 'm'},
        {"progress", no_argument, NULL, 'p'},
        {"state", required_argument, NULL, 's'},
        {"no-state", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sc_verify_opts opts;
    int json = 0, progress = 0, maxf = 5, ch, no_state = 0;
    const char *state = NULL;
    char state_buf[4096];
    sc_verify_opts_default(&opts);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'j': json = 1; break;
        case 'a': opts.allow_test_parameters = 1; break;
        case 'p': progress = 1; break;
        case 's': state = optarg; break;
        case 'n': no_state = 1; break;
        case 't':
            opts.threads = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || opts.threads < 1 ||
                opts.threads > 256) {
                fprintf(stderr, "scrutin verify: --threads takes 1..256\n");
                return EXIT_USAGE;
            }
            break;
        case 'm':
            maxf = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || maxf < 0) {
                fprintf(stderr, "scrutin verify: bad --max-failures\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': help(stdout); return EXIT_OK;
        default: help(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        help(stderr);
        return EXIT_USAGE;
    }
    const char *dir = argv[optind];
    if (!no_state && state == NULL && getenv("HOME") != NULL) {
        /* ~/.cache/scrutin, made when missing (used only with log/) */
        snprintf(state_buf, sizeof state_buf, "%s/.cache", getenv("HOME"));
        mkdir(state_buf, 0700);
        snprintf(state_buf, sizeof state_buf, "%s/.cache/scrutin",
                 getenv("HOME"));
        mkdir(state_buf, 0700);
        state = state_buf;
    }
    opts.state_dir = no_state ? NULL : state;
    sc_report *rep = NULL;
    if (sc_report_new(&rep, progress ? stderr : NULL) != SC_OK) {
        fprintf(stderr, "scrutin verify: out of memory\n");
        return EXIT_ERROR;
    }
    sc_status rc;
    if (sc_verify20_is_record(dir)) {
        rc = sc_verify20_record(dir, &opts, rep); /* same options */
    } else {
        if (!sc_verify_is_record(dir)) {
            /* Still run: V1 reports what is missing ("could not check"). */
            fprintf(stderr,
                    "scrutin verify: %s has no record.json of a Scrutin "
                    "record nor an egk 2.0 election_config.json\n",
                    dir);
        }
        rc = sc_verify_record(dir, &opts, rep);
    }
    if (json) {
        sc_report_print_json(rep, stdout);
    } else {
        sc_report_print_text(rep, stdout, maxf);
    }
    int code = sc_report_exit_code(rep);
    if (rc != SC_OK && code == SC_EXIT_VALID) {
        code = SC_EXIT_CANNOT_CHECK;
    }
    if (code == SC_EXIT_VALID && !json) { /* results.c */
        cli_results_after_verify(stdout, dir);
    }
    sc_report_free(rep);
    return code;
}
