/* The witness's evidence (docs/BOARD.md §5): each correctly board-signed
 * checkpoint the witness refused, with the checkpoint it had cosigned and
 * the proof the board sent, printed in a text form that anyone can check
 * with the board's public key alone (`scrutin witness evidence
 * --check-file`):
 *
 *   scrutin-witness-evidence v1
 *   origin <origin>
 *   log-key <the board's vkey, as the witness followed it>
 *   time <POSIX seconds the witness refused it>
 *   reason <one line>
 *   refused <n>        then n bytes: the refused signed checkpoint
 *   had <n>            then n bytes: the checkpoint the witness had
 *                      cosigned (board signature and cosignature; n may
 *                      be 0)
 *   proof <n>          then n bytes: "old <size>" and the consistency
 *                      proof lines of the request
 *   end
 *
 * Items follow one another. */
#ifndef SC_WITNESS_EVIDENCE_H
#define SC_WITNESS_EVIDENCE_H

#include <stdint.h>
#include <stdio.h>

#include "scrutin/status.h"

typedef struct sc_wev {
    const char *origin, *vkey, *reason;
    int64_t time;
    const char *refused, *had, *request; /* request: the whole body */
} sc_wev;

/** Print one item in the form above. SC_E_IO. */
SC_MUST_USE sc_status sc_wev_print(FILE *out, const sc_wev *e);
/** Check one item: both checkpoints carry a valid signature of the board
 *  key (vkey, or e->vkey if NULL; named as the origin), and say what they
 *  show (equivocation, rollback, a consistency proof that fails) in
 *  verdict. SC_OK if the signatures verify, SC_E_VERIFY if not,
 *  SC_E_INVALID if malformed. */
SC_MUST_USE sc_status sc_wev_check(const sc_wev *e, const char *vkey,
                                   char *verdict, size_t cap);
/** Check every item of a printed file (vkey may be NULL: each item's
 *  log-key, with a warning), one verdict line per item on out. Returns
 *  0 all verified, 1 one does not, 3 unreadable or malformed. */
int sc_wev_check_file(const char *path, const char *vkey, FILE *out);

#endif
