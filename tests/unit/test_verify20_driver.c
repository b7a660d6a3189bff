/* Stand-alone driver for the 2.0 verifier until `scrutin verify` dispatches
 * to it: verify20_driver [--threads N] [--skip 5,6] [--json] DIR. Exit codes as
 * the CLI: 0 valid, 1 invalid, 2 usage, 3 could not check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scrutin/core.h"
#include "scrutin/report.h"
#include "scrutin/verify20.h"

int main(int argc, char **argv)
{
    sc_verify20_opts o = {.threads = 2, .skip_steps = 0};
    int json = 0;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            o.threads = (int)strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc) {
            /* comma-separated step numbers, e.g. --skip 5,6 */
            char *p = argv[++i];
            while (*p != '\0') {
                long n = strtol(p, &p, 10);
                if (n >= 1 && n <= 14) {
                    o.skip_steps |= SC_V20_SKIP(n);
                }
                while (*p == ',') {
                    p++;
                }
                if (*p != '\0' && (*p < '0' || *p > '9')) {
                    break;
                }
            }
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (argv[i][0] != '-' && dir == NULL) {
            dir = argv[i];
        } else {
            dir = NULL;
            break;
        }
    }
    if (dir == NULL) {
        fprintf(stderr,
                "usage: %s [--threads N] [--skip 5,6,...] [--json] DIR\n",
                argv[0]);
        return SC_EXIT_USAGE;
    }
    if (sc_init() != SC_OK) {
        return SC_EXIT_CANNOT_CHECK;
    }
    sc_report *rep = NULL;
    if (sc_report_new(&rep, NULL) != SC_OK) {
        return SC_EXIT_CANNOT_CHECK;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sc_status rc = sc_verify20_record(dir, &o, rep);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (json) {
        sc_report_print_json(rep, stdout);
    } else {
        sc_report_print_text(rep, stdout, 20);
    }
    fprintf(stderr, "verify20: %s, %.2f s\n", sc_strerror(rc),
            (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    int code = sc_report_exit_code(rep);
    sc_report_free(rep);
    return code;
}
