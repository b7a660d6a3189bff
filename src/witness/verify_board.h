/* The verifying witness (docs/BOARD.md §5.4, `scrutin witness serve
 * --verify-board URL`): before the witness cosigns a checkpoint of the
 * board's log, it fetches every entry it has not verified yet (entry
 * tiles) and their payloads (by hash) from the board, checks that they
 * give the checkpoint's root, and checks every entry the way the board's
 * door does (docs/BOARD.md §4.1 checks 3-16), with the verifier's code
 * for each ballot (sc_door_check: V5-V8, S2, S1.A, S1.D, 8.E, 8.F):
 * entry 0 is the election signed by the authority it names, for this
 * origin and board key; device registrations are the authority's, with
 * the next index and a new key; each signer's seq is the next; ballots
 * come from a registered open device before the tally, with unique
 * code, id_B and label; device_close matches the device's chain
 * (eq 77-78); nothing follows `close`.
 *
 * What it has verified (size, stored hashes, devices, codes) is in the
 * witness's SQLite file (store/witness_vdb.h), committed only when the
 * whole range verified and gave the checkpoint's root: a restart resumes
 * there. One board (one origin) per verifying witness. */
#ifndef SC_WITNESS_VERIFY_BOARD_H
#define SC_WITNESS_VERIFY_BOARD_H

#include <stddef.h>

#include "scrutin/status.h"
#include "scrutin/tlog.h"

typedef struct sc_wvb sc_wvb;

/** Verify the board at board_url, keeping state in db_path. */
SC_MUST_USE sc_status sc_wvb_new(sc_wvb **out, const char *db_path,
                                 const char *board_url);
void sc_wvb_free(sc_wvb *v);

/** Check the log up to the checkpoint cp (its board signature already
 *  verified under log_vkey). SC_OK: entries 0..size-1 give cp's root and
 *  every one passes. SC_E_VERIFY: they do not (why: "entry <i>: ..." or
 *  the root); refuse. SC_E_IO: it could not be checked now (the board
 *  unreachable, the database failed, another origin); why says which.
 *  Thread-safe (one check at a time). */
SC_MUST_USE sc_status sc_wvb_check(sc_wvb *v, const sc_checkpoint *cp,
                                   const char *log_vkey, char *why, size_t wl);

#endif
