/* verify_record: verify an ElectionGuard 2.1 election record with
 * libscrutin, as another program would. Build against the installed
 * library:
 *
 *     cc -o verify_record verify_record.c $(pkg-config --cflags --libs scrutin)
 *     ./verify_record [--allow-test-parameters] RECORD_DIR
 *
 * Prints the verifier's report; the exit status is the verdict: 0 valid,
 * 1 invalid, 2 usage, 3 could not check (as `scrutin verify`). */
#include <stdio.h>
#include <string.h>

#include <scrutin/core.h>
#include <scrutin/report.h>
#include <scrutin/verify.h>

int main(int argc, char **argv)
{
    sc_verify_opts opts;
    sc_verify_opts_default(&opts);
    int a = 1;
    if (a < argc && strcmp(argv[a], "--allow-test-parameters") == 0) {
        opts.allow_test_parameters = 1;
        a++;
    }
    if (a != argc - 1) {
        fprintf(stderr, "usage: verify_record [--allow-test-parameters] DIR\n");
        return SC_EXIT_USAGE;
    }
    const char *dir = argv[a];
    if (sc_init() != SC_OK) {
        fprintf(stderr, "verify_record: cannot initialise libscrutin\n");
        return SC_EXIT_CANNOT_CHECK;
    }
    if (!sc_verify_is_record(dir)) {
        fprintf(stderr, "verify_record: %s: not a Scrutin 2.1 record\n", dir);
        return SC_EXIT_CANNOT_CHECK;
    }
    sc_report *rep = NULL;
    sc_status rc = sc_report_new(&rep, NULL);
    if (rc != SC_OK) {
        fprintf(stderr, "verify_record: %s\n", sc_strerror(rc));
        return SC_EXIT_CANNOT_CHECK;
    }
    rc = sc_verify_record(dir, &opts, rep);
    int verdict = SC_EXIT_CANNOT_CHECK;
    if (rc == SC_OK) {
        sc_report_print_text(rep, stdout, 5);
        verdict = sc_report_exit_code(rep);
    } else {
        fprintf(stderr, "verify_record: %s: %s\n", dir, sc_strerror(rc));
    }
    sc_report_free(rep);
    return verdict;
}
