/* Test-only record generator: a small election made with the pipeline's
 * library (manifest, key ceremony, encryption, tally, joint decryption)
 * written as a docs/RECORD.md record. Tests may use the prover; the
 * verifier never does. */
#ifndef SC_TESTS_GEN_RECORD_H
#define SC_TESTS_GEN_RECORD_H

#include <stdint.h>

#include "scrutin/group.h"
#include "scrutin/status.h"

typedef struct tg_opts {
    sc_group_id group;
    uint32_t ballots;         /* per device */
    uint32_t devices;         /* device 1 chains simply, the others do not */
    uint32_t challenge_every; /* every n-th ballot challenged (0: none) */
    uint32_t weight_every;    /* every n-th cast ballot weight 2 (0: none) */
    uint64_t seed;
    int read_write_ins; /* contest 2 says "read_write_ins" (V12) */
} tg_opts;

/** Make a record in dir (created). secrets go to dir/../<name>.secrets.
 *  Returns SC_OK or the failing status (message to stderr). */
sc_status tg_make_record(const char *dir, const tg_opts *o);

#endif
