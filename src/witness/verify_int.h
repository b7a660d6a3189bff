/* Internal to the verifying witness (verify_board.c, verify_entry.c). */
#ifndef SC_WITNESS_VERIFY_INT_H
#define SC_WITNESS_VERIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"
#include "scrutin/verify.h"
#include "store/witness_vdb.h"

/* What the entry rules read and update during one verification. */
typedef struct wv_run {
    sc_wvdb *db;
    sc_wvdb_state *st;
    sc_door **door;       /* built from entry 0 */
    const char *origin;   /* the checkpoint's */
    const char *log_vkey; /* the board key the witness follows */
    char *why;            /* the refusal, one line */
    size_t wl;
} wv_run;

/** Check entry i (raw, 186 bytes) with its payload (already checked
 *  against the entry's hash and length) and apply it to the state.
 *  SC_OK, SC_E_VERIFY (why set), SC_E_IO / SC_E_NOMEM. */
sc_status wv_entry(wv_run *r, uint64_t i, const uint8_t *raw,
                   const uint8_t *payload, size_t len);

#endif
