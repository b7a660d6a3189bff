/* Fuzz target: the egk 2.0 verifier (sc_verify20_record,
 * scrutin/verify20.h) on a record directory made from the input: every
 * file reader of src/lib/verify20 (constants, election_config, manifest,
 * election_initialized, encrypted_ballots/<device>/eballot-*.json,
 * ballot_chain.json, encrypted_tally.json, tally.json,
 * challenged_ballots/).
 *
 * Input: an archive (fuzz_util.h) of record files. Test parameters are
 * allowed, so that a record on toy-q64 is verified against that group
 * (sc_verify20_opts): the seeds toy20_* are a complete valid record of
 * the toy group (2 guardians of 4 decrypt, one cast and one challenged
 * ballot, made by test_verify20_gen) and variants, which reach every
 * step in milliseconds; the egk_* seeds are cut from the records of
 * shared/records/egk-2.0 (standard group: slow, so they keep few
 * elements). One worker thread.
 *
 * Invariants (verify20.h): "never crashes on malformed input"; returns
 * SC_OK (the record's faults are report entries), or SC_E_NOMEM; the
 * verdict is one of valid / invalid / could-not-check; the report prints. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"
#include "scrutin/report.h"
#include "scrutin/verify20.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
    if (devnull == NULL) {
        devnull = fopen("/dev/null", "w");
        FZ_ASSERT(devnull != NULL);
    }
    const char *dir = fz_reset();
    fz_unpack(dir, data, size, "election_config.json");
    (void)sc_verify20_is_record(dir);
    sc_verify20_opts o;
    sc_verify_opts_default(&o);
    o.threads = 1;
    o.allow_test_parameters = 1;
    sc_report *rep = NULL;
    FZ_ASSERT(sc_report_new(&rep, NULL) == SC_OK);
    sc_status rc = sc_verify20_record(dir, &o, rep);
    FZ_ASSERT(rc == SC_OK || rc == SC_E_NOMEM);
    int verdict = sc_report_exit_code(rep);
    FZ_ASSERT(verdict == SC_EXIT_VALID || verdict == SC_EXIT_INVALID ||
              verdict == SC_EXIT_CANNOT_CHECK);
    /* FZ_REPORT=1: the report on stderr (to see how deep a seed goes) */
    sc_report_print_text(rep, fz_report() ? stderr : devnull, 3);
    sc_report_print_json(rep, devnull);
    sc_report_free(rep);
    return 0;
}
