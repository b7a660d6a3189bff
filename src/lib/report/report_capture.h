/* Holding a part of the findings apart (not installed): the verifier's
 * ballot pass that leaves the signs of the elements to a record-wide
 * square test (verify/ballots.c) keeps its findings and counts in a
 * report of its own, and adds them to the real one only if the square
 * test passes; otherwise it drops them and runs again element by
 * element. Steps checked beside it (on another thread) keep writing to
 * the real report meanwhile. */
#ifndef SC_REPORT_CAPTURE_H
#define SC_REPORT_CAPTURE_H

#include "scrutin/report.h"

/** Findings (sc_report_fail, sc_report_error) and counts (sc_report_pass)
 *  the calling thread adds to r from now on go to `into` instead, with
 *  the order key the thread has for r (sc_report_order). into NULL: to r
 *  again. Skips and step ends are not redirected. */
void sc_report_capture(sc_report *r, sc_report *into);
/** Move the counts and findings of src into dst, as if they had been
 *  added to dst in src's order (each finding keeps its order key); src is
 *  left without findings (free it). No other thread may use src. */
void sc_report_merge(sc_report *dst, sc_report *src);

#endif
