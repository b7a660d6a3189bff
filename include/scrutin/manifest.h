/* Scrutin: the election manifest (spec §3.1.3, serialization draft
 * "Election Manifest", docs/RECORD.md "Manifest").
 *
 * A manifest lists contests (each with options) and ballot styles (each a
 * list of contest indices). Indices are 1-based positions: contest i is
 * m->contests[i-1], option j of it is options[j-1].
 *
 * Selection limits: the stated limits are kept as written (0 stands for
 * "NO_LIMIT" on a contest and "CONTEST_LIMIT" on an option); the effective
 * limits, which the ballot proofs use, follow the draft's "Selection
 * Limits":
 *   contest L = stated, or min(stated, sum of option limits) when every
 *               option states an integer; NO_LIMIT: that sum;
 *   option  R = stated, or min(stated, contest limit) when the contest
 *               states an integer; CONTEST_LIMIT: the contest's limit.
 *
 * The canonical form (docs/RECORD.md) is the exact byte string hashed into
 * H_B (eq 5) and published as election_manifest_canonical.bin. */
#ifndef SCRUTIN_MANIFEST_H
#define SCRUTIN_MANIFEST_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

#define SC_LIMIT_MAX 2147483647u /* small integers: < 2^31 */

typedef struct sc_manifest_option {
    char *label;
    uint32_t stated; /* 0: "CONTEST_LIMIT" */
    uint32_t limit;  /* effective R */
    int write_in;    /* "write_in": true (format 2): text in contest data */
    int kind;        /* SC_SUPP_* for a supplemental field, 0 an option */
} sc_manifest_option;

/* Supplemental verifiable fields (spec §3.3.9; record format 2): the
 * manifest's contest property "supplemental" lists some of "undervote",
 * "overvote", "null_vote", "write_ins". Each becomes a field after the
 * contest's options, in this order, encrypted and tallied like an option
 * (labels "[undervote]", "[overvote]", "[null vote]", "[write-ins]"),
 * with the proofs of docs/RECORD.md "Supplemental verifiable fields". */
enum {
    SC_SUPP_UNDERVOTE = 1,
    SC_SUPP_OVERVOTE = 2,
    SC_SUPP_NULL_VOTE = 3,
    SC_SUPP_WRITE_INS = 4
};

typedef struct sc_manifest_contest {
    char *label;
    uint32_t stated; /* 0: "NO_LIMIT" */
    uint32_t limit;  /* effective L */
    /* options[0..n_real) are the voter's options; options[n_real..
     * n_options) the supplemental fields (kind != 0), in SC_SUPP order */
    size_t n_options;
    size_t n_real;
    sc_manifest_option *options;
    unsigned supp; /* bit (1 << kind) for each supplemental field */
    /* "contest_data_blocks" (format 2, §3.3.10): b_Λ, the contest data
     * length in 32-byte blocks; 0 = no contest data on this contest. */
    uint32_t data_blocks;
    size_t n_write_ins; /* options with write_in set */
    /* "read_write_ins": true (issue 11): the contest data of cast ballots
     * whose write-in count is not 0 is decrypted (§3.6.6, docs/RECORD.md
     * "Reading write-ins"); needs the write_ins supplemental field. */
    int read_write_ins;
} sc_manifest_contest;

typedef struct sc_manifest_style {
    char *label;
    size_t n_contests;
    uint32_t *contests; /* 1-based contest indices, strictly ascending */
} sc_manifest_style;

typedef struct sc_manifest {
    char *label;
    size_t n_contests;
    sc_manifest_contest *contests;
    size_t n_styles;
    sc_manifest_style *styles;
    uint8_t *canonical; /* canonical bytes (owned) */
    size_t canonical_len;
} sc_manifest;

/** Parse and validate a manifest (any JSON layout; the canonical form is
 *  accepted too). On failure *out = NULL, and err (errlen bytes, may be
 *  NULL) receives one line "FILE: field contests[2].options[1].label:
 *  duplicate label ..." naming `file` (may be NULL). Rejects: malformed
 *  JSON, duplicate property names, unknown properties, missing or empty
 *  labels, labels with leading/trailing white space, two white-space
 *  characters in a row, control characters other than a single line
 *  break, or no-break spaces; duplicate contest labels, duplicate option
 *  labels within a contest, duplicate style labels; limits < 1 or >=
 *  2^31, "NO_LIMIT" on an option, "CONTEST_LIMIT" on a contest or under a
 *  NO_LIMIT contest; no contests, a contest without options, no styles, a
 *  style without contests, a style naming a contest that does not exist,
 *  twice, or out of ascending order; "contest_data_blocks" outside
 *  1..2^24-1 or too small for the encoding (sc_contest_data_min_bytes),
 *  "write_in" other than true, a write-in option in a contest without
 *  contest data. */
SC_API SC_MUST_USE sc_status sc_manifest_parse(sc_manifest **out,
                                               const char *text, size_t len,
                                               const char *file, char *err,
                                               size_t errlen);
/** Read a file and sc_manifest_parse it. */
SC_API SC_MUST_USE sc_status sc_manifest_load(sc_manifest **out,
                                              const char *path, char *err,
                                              size_t errlen);
SC_API void sc_manifest_free(sc_manifest *m);

/** Style by 1-based index, or NULL. */
SC_API const sc_manifest_style *sc_manifest_style_at(const sc_manifest *m,
                                                     uint32_t index);
/** 1-based index of the style with this label, or 0. */
SC_API uint32_t sc_manifest_style_find(const sc_manifest *m, const char *label);
/** 1 if style `index` contains contest ind_c. */
SC_API int sc_manifest_style_has(const sc_manifest *m, uint32_t style,
                                 uint32_t ind_c);
/** Total number of options over all contests (the size of a tally). */
SC_API size_t sc_manifest_option_count(const sc_manifest *m);

#endif
