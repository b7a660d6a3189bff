/* Scrutin: the verification report shared by every verifier (2.1 and 2.0).
 *
 * A verifier registers its steps in order ("V1" "parameter validation"),
 * counts what it checked, and reports each failed condition with its
 * letter ("V6.D"), where it happened (ballot, contest, option) and what
 * differs. Anything that prevented a check (missing or unreadable file) is
 * an error: the record is then "could not check", never "invalid".
 *
 * Every finding is kept (up to about a million, then counted). A verifier
 * declares its roots (sc_report_depends): conditions whose failure makes
 * later checks fail too (a changed manifest changes H_B, so H_E, so every
 * ballot's challenges). The text output then starts with the first cause
 * and how many later failures follow from it, without listing those;
 * then one line per step, e.g.
 *     V6  selection encryptions            10000/10000 ok
 * then the other findings, every failing ballot named (a cap of lines per
 * ballot, not per step). JSON output (sc_report_print_json) has every
 * finding (schema: docs/VERIFIER.md "JSON report"). All functions are
 * thread-safe: worker threads report concurrently. */
#ifndef SCRUTIN_REPORT_H
#define SCRUTIN_REPORT_H

#include "scrutin/api.h"

#include <stdint.h>
#include <stdio.h>

#include "scrutin/status.h"

typedef struct sc_report sc_report;

/** Exit codes of `scrutin verify`. */
enum {
    SC_EXIT_VALID = 0,
    SC_EXIT_INVALID = 1,
    SC_EXIT_USAGE = 2,
    SC_EXIT_CANNOT_CHECK = 3
};

/** New report. `live` non-NULL: print each step's line there as soon as
 *  the step ends (text mode progress); NULL: print only at the end. */
SC_API SC_MUST_USE sc_status sc_report_new(sc_report **out, FILE *live);
SC_API void sc_report_free(sc_report *r);

/** Set the record's description (version, path) shown in the header. */
SC_API void sc_report_set_subject(sc_report *r, const char *version,
                                  const char *path);

/** Declare a root: if condition `root` ("V4.A") fails, failures of the
 *  conditions or steps in `deps` (space-separated: "V5.B V6 V7") follow
 *  from it and are folded under it (a failure folds under the earliest
 *  failed root, in step order, that names it; a root folds only under an
 *  earlier one). `why` says what the root's value feeds ("they hash with
 *  H_E"). Up to 16 roots; declare them before printing. */
SC_API void sc_report_depends(sc_report *r, const char *root, const char *deps,
                              const char *why);

/** Register step `id` ("V6") with a title; steps print in this order.
 *  Registering an existing id is a no-op. */
SC_API void sc_report_step(sc_report *r, const char *id, const char *title);
/** n more items of step `id` checked and found correct. */
SC_API void sc_report_pass(sc_report *r, const char *id, uint64_t n);
/** One item of step `cond`'s step failed condition `cond` ("V6.D"; the
 *  step id is the part before the dot). `where` names the item (e.g.
 *  "ballot 0A1B.. contest 2 option 3", may be NULL); fmt says what
 *  differs. */
SC_API void sc_report_fail(sc_report *r, const char *cond, const char *where,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** Step `id` could not be checked (missing file, unreadable data). */
SC_API void sc_report_error(sc_report *r, const char *id, const char *where,
                            const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** Findings the calling thread adds to r from now on carry the order
 *  key `ord` (0 until set). Each step keeps its findings sorted by key,
 *  then by arrival: a verifier whose threads check items in any order
 *  gives each item its rank as key, and the report (first cause,
 *  listings, JSON) comes out the same whatever the number of threads.
 *  Findings of one key must come from one thread at a time. */
SC_API void sc_report_order(sc_report *r, uint64_t ord);
/** Mark a step as not applicable (e.g. no contest data in the record). */
SC_API void sc_report_skip(sc_report *r, const char *id, const char *why);
/** Step `id` is finished (prints its line if live). */
SC_API void sc_report_end(sc_report *r, const char *id);

/** Failures of one step (for tests): how many items failed `cond` (a full
 *  condition "V6.D" or a step "V6"). */
SC_API uint64_t sc_report_failures(const sc_report *r, const char *cond);
/** Errors ("could not check") recorded for step `id` (or all if NULL). */
SC_API uint64_t sc_report_errors(const sc_report *r, const char *id);
/** First failed condition, e.g. "V6.D", or NULL if none. */
SC_API const char *sc_report_first_failure(const sc_report *r);

/** The first finding (failure or error) of the first step that has one,
 *  steps in registration order (a step first named by a finding is
 *  registered then). Writes its condition ("V6.A") to cond and
 *  "WHERE: WHAT" to text (both NUL-terminated, truncated to fit).
 *  Returns 0 if there is none, 1 for a failure, 2 for an error. */
SC_API int sc_report_first_finding(const sc_report *r, char *cond,
                                   size_t condlen, char *text, size_t textlen);

/** SC_EXIT_VALID, SC_EXIT_INVALID (any failure) or SC_EXIT_CANNOT_CHECK
 *  (no failure but some error). */
SC_API int sc_report_exit_code(const sc_report *r);

/** Print the whole report: the first cause (with the count of failures
 *  folded under it), the step lines, the other findings outside ballots
 *  (up to `max_failures` lines a step, then a count), every ballot with
 *  findings (up to `max_failures` lines a ballot, then a count naming the
 *  ballot; 0: one count line per ballot), and the verdict. */
SC_API void sc_report_print_text(const sc_report *r, FILE *out,
                                 int max_failures);
/** The same as one JSON document, with every finding kept. */
SC_API void sc_report_print_json(const sc_report *r, FILE *out);

#endif
