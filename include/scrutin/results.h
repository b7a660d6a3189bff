/* results.json: the plain results the authority publishes after the tally
 * is decrypted (docs/BOARD.md §3.5), derived from the exact bytes of
 * encrypted_tally.json and tally.json. Pure: no I/O. */
#ifndef SCRUTIN_RESULTS_H
#define SCRUTIN_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/core.h"
#include "scrutin/json.h"

#define SC_RESULTS_FORMAT "scrutin-results"
#define SC_RESULTS_VERSION 1

/** Build results.json (compact, no newline; *out malloc'd) from
 *  encrypted_tally.json (`enc`) and tally.json (`tally`) as published, H_E
 *  and the number of challenged openings. Every tally contest and option
 *  must have `index`, `label` and `value`, and the two files must list the
 *  same contests and options in the same order; else SC_E_INVALID with
 *  ctx->msg saying where. */
SC_API SC_MUST_USE sc_status sc_results_build(
    sc_jctx *ctx, const uint8_t h_e[32], const char *enc, size_t enc_len,
    const char *tally, size_t tally_len, uint64_t challenged, char **out);

#endif
