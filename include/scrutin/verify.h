/* Scrutin: the independent verifier of ElectionGuard 2.1.0 election
 * records (docs/RECORD.md), spec §6.2 Verification 1-14, plus the
 * supplementary checks of AMBIGUITIES 6-7. docs/VERIFIER.md lists every
 * step, its conditions and how each ambiguity was read.
 *
 * The verifier reads only the record (no secret, no prover state) and is
 * written from §6 of the spec: it shares the group, the hashes of §5.5
 * (scrutin/eghash.h) and the arithmetic engine with the prover, never the
 * encryption or proof code, so a prover bug is not mirrored here.
 *
 * Ballots are streamed line by line from ballots/device_<d>.jsonl by one
 * reader and checked by a pool of worker threads; memory does not grow
 * with the number of ballots except for the 32-byte id_B set of
 * Verification 5.A.
 *
 * The options struct is shared by every verifier front end (`scrutin
 * verify` dispatches to the 2.0 verifier of scrutin/verify20.h for egk
 * records and passes the same options along). */
#ifndef SCRUTIN_VERIFY_H
#define SCRUTIN_VERIFY_H

#include <stdint.h>

#include "scrutin/report.h"
#include "scrutin/status.h"

/** Steps that can be switched off (tests, quick looks): bit (1 << n) skips
 *  Verification n. A skipped step is reported as skipped, never "ok". */
#define SC_VERIFY_SKIP(n) (1u << (n))

typedef struct sc_verify_opts {
    int threads;               /* worker threads; <= 0: every online core */
    int allow_test_parameters; /* accept toy / 3072-bit parameter sets */
    uint32_t skip_steps;       /* SC_VERIFY_SKIP(n) bits */
} sc_verify_opts;

/** Defaults: all cores, standard parameters only, no step skipped. */
void sc_verify_opts_default(sc_verify_opts *o);

/** Number of worker threads `o` asks for (resolves threads <= 0 to the
 *  number of online cores; at least 1). */
int sc_verify_threads(const sc_verify_opts *o);

/** 1 if `dir` holds a Scrutin 2.1 record (record.json with format
 *  "scrutin-record"), 0 otherwise. */
int sc_verify_is_record(const char *dir);

/** Verify the 2.1 record in `dir`, reporting every step to `rep` (steps
 *  "V1".."V14" and the supplementary "S1".."S5"; failures "V6.D" etc.).
 *  `opts` may be NULL (defaults). Returns SC_OK when the verifier ran to
 *  the end (the verdict is then sc_report_exit_code(rep)); the record's
 *  faults are never a return code, only report entries. Requires
 *  sc_init(). */
SC_MUST_USE sc_status sc_verify_record(const char *dir,
                                       const sc_verify_opts *opts,
                                       sc_report *rep);

#endif
