/* Fuzz target: the independent 2.1 verifier's record reader
 * (sc_verify_record, scrutin/verify.h; src/lib/verify/reader.c and every
 * step that reads a file) on a record directory made from the input.
 *
 * Input: an archive (fuzz_util.h) of record files, unpacked into a fresh
 * directory; the seeds are the tamper-test toy-q64 record and variants.
 * One worker thread (deterministic), test parameters allowed.
 *
 * Invariants (verify.h): sc_verify_record returns SC_OK whatever the
 * record holds (faults are report entries, never return codes); the
 * verdict is valid, invalid or could-not-check; printing the report as
 * text and JSON works; a record found valid opens with the pipeline's own
 * reader (sc_record_open with keys) and tallies (sc_record_tally): the
 * verifier never accepts what the library cannot read. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"
#include "scrutin/record.h"
#include "scrutin/report.h"
#include "scrutin/verify.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
    if (devnull == NULL) {
        devnull = fopen("/dev/null", "w");
        FZ_ASSERT(devnull != NULL);
    }
    const char *dir = fz_reset();
    fz_unpack(dir, data, size, "record.json");
    (void)sc_verify_is_record(dir);

    sc_verify_opts o;
    sc_verify_opts_default(&o);
    o.threads = 1;
    o.allow_test_parameters = 1;
    sc_report *rep = NULL;
    FZ_ASSERT(sc_report_new(&rep, NULL) == SC_OK);
    sc_status rc = sc_verify_record(dir, &o, rep);
    FZ_ASSERT(rc == SC_OK);
    int verdict = sc_report_exit_code(rep);
    FZ_ASSERT(verdict == SC_EXIT_VALID || verdict == SC_EXIT_INVALID ||
              verdict == SC_EXIT_CANNOT_CHECK);
    FZ_ASSERT((verdict == SC_EXIT_INVALID) ==
              (sc_report_first_failure(rep) != NULL));
    /* FZ_REPORT=1: the report on stderr (to see how deep a seed goes) */
    sc_report_print_text(rep, fz_report() ? stderr : devnull, 3);
    sc_report_print_json(rep, devnull);
    sc_report_free(rep);

    if (verdict == SC_EXIT_VALID) {
        sc_record *r = NULL;
        char err[SC_ERRMAX];
        rc = sc_record_open(&r, dir, SC_RECORD_NEED_KEYS, err, sizeof err);
        if (rc != SC_OK) {
            fprintf(stderr, "verifier: valid; sc_record_open: %s\n", err);
            FZ_ASSERT(0);
        }
        sc_tally *t = NULL;
        rc = sc_record_tally(r, &t, err, sizeof err);
        if (rc != SC_OK) {
            fprintf(stderr, "verifier: valid; sc_record_tally: %s\n", err);
            FZ_ASSERT(0);
        }
        sc_tally_free(t);
        sc_record_free(r);
    }
    return 0;
}
