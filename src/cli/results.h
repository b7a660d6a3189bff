/* The election results as people read them (`scrutin results`, the end
 * of `scrutin verify` and `scrutin demo`): each contest as a table and a
 * chart of text bars, ties flagged, the election named with H_E; or as
 * JSON or CSV for other tools. One printer for all three commands. */
#ifndef SC_CLI_RESULTS_H
#define SC_CLI_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scrutin/manifest.h"
#include "scrutin/status.h"

struct sc_record;

typedef struct cli_results {
    const sc_manifest *m; /* borrowed */
    const uint8_t *h_e;   /* borrowed, 32 bytes; NULL: not known */
    const char *record;   /* the record's directory, or NULL */
    uint64_t cast;        /* cast ballots; UINT64_MAX: not known */
    uint64_t *values;     /* owned: t of every field of every contest
                           * (options then supplemental), manifest order */
    size_t n_values;
} cli_results;

/** The published tally of a record: rec's manifest and H_E (borrowed),
 *  tally.json's values (checked against the manifest: every contest and
 *  option in order, with its label) and encrypted_tally.json's number of
 *  cast ballots. The tally's proofs are not checked here: that is
 *  `scrutin verify`'s job. */
SC_MUST_USE sc_status cli_results_load(cli_results *r,
                                       const struct sc_record *rec, char *err,
                                       size_t errlen);
void cli_results_clear(cli_results *r);

enum { CLI_RESULTS_TEXT, CLI_RESULTS_JSON, CLI_RESULTS_CSV };
/** Print in the format asked for. */
SC_MUST_USE sc_status cli_results_print(FILE *out, const cli_results *r,
                                        int format);

/** For `scrutin verify` once the record is found valid: print the results
 *  it has just checked (text), if the record is a Scrutin record with a
 *  decrypted tally; otherwise nothing. */
void cli_results_after_verify(FILE *out, const char *dir);

#endif
