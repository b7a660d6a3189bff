/* Scrutin: verifier for ElectionGuard 2.0.0 election records in the JSON
 * layout of egk (electionguard-kotlin-multiplatform):
 *
 *   constants.json, election_config.json (config_version "v2.0.0"),
 *   manifest.json, election_initialized.json,
 *   encrypted_ballots/<device>/eballot-*.json [+ ballot_chain.json],
 *   encrypted_tally.json, tally.json, challenged_ballots/dballot-*.json
 *
 * The checks are the "Verification" boxes 1-14 of the 2.0.0 text, reported
 * with the 2.0 numbering ("V5.D") through the shared scrutin/report.h, so
 * `scrutin verify` prints, exits and emits JSON the same way for 2.0 and
 * 2.1 records. egk's departures from the 2.0 text are listed in
 * docs/EGK20.md; the 2.0 hash rows live in src/lib/verify20/eghash20.c.
 *
 * Ballots are streamed (read, checked, dropped) by a pool of threads; only
 * a 100-byte summary per ballot (id, state, codes) is kept for the chain
 * and duplicate checks. */
#ifndef SCRUTIN_VERIFY20_H
#define SCRUTIN_VERIFY20_H

#include "scrutin/api.h"

#include <stdint.h>

#include "scrutin/report.h"
#include "scrutin/status.h"
#include "scrutin/verify.h"

/** The options are those of the 2.1 verifier (scrutin/verify.h): the same
 *  `threads` (<= 0: every online core) and `skip_steps` (bit (1 << n)
 *  skips Verification n; a skipped step is reported as skipped, never
 *  "ok"). A 2.0 record must use the standard parameters (Verification
 *  1.B-1.E); with `allow_test_parameters` (tests and fuzzing), a record
 *  whose constants.json names the p of a test parameter set (toy-q64,
 *  p3072, ...) is verified against that set instead, and V1.F then checks
 *  parameter_base_hash against the H_P of that set only (the printed
 *  2.0.0 constant is the standard group's). */
typedef sc_verify_opts sc_verify20_opts;
#define SC_V20_SKIP(n) SC_VERIFY_SKIP(n)

/** 1 if `dir` holds election_config.json with config_version "v2.0.0"
 *  (the CLI dispatches on this), 0 otherwise (missing or other version). */
SC_API int sc_verify20_is_record(const char *dir);

/** Verify the 2.0.0 record in `dir`, reporting every step to `rep` (steps
 *  "V1".."V14", failures "V5.D" etc.). `opts` may be NULL (defaults).
 *  As sc_verify_record: returns SC_OK when the verifier ran to the end (the
 *  verdict is then sc_report_exit_code(rep): valid, invalid or "could not
 *  check" when something could not be read); the record's faults are never
 *  a return code, only report entries. Another status only when the
 *  verifier itself could not run (out of memory). Never crashes on
 *  malformed input. Requires sc_init(). */
SC_API SC_MUST_USE sc_status sc_verify20_record(const char *dir,
                                                const sc_verify20_opts *opts,
                                                sc_report *rep);

#endif
