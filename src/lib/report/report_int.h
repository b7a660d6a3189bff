/* Inside the verification report (scrutin/report.h): the collected
 * findings, shared by the collector (report.c), the folding of follow-on
 * failures (report_fold.c) and the two printers (report_text.c,
 * report_json.c). Not installed. */
#ifndef SC_REPORT_INT_H
#define SC_REPORT_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scrutin/report.h"

#define SC_REPORT_MAX_STEPS 64
#define SC_REPORT_MAX_ROOTS 16
/* Findings kept in all (about 200 bytes each); past it they are counted
 * (JSON "findings_omitted", a text line) so memory stays bounded. */
#define SC_REPORT_MAX_KEPT ((size_t)1 << 20)

typedef struct sc_rfinding {
    char cond[16];
    char *where; /* may be NULL */
    char *what;
    char *item;   /* "ballot X" the finding belongs to, or NULL */
    uint64_t seq; /* order of arrival over the whole report */
    uint64_t ord; /* the adding thread's sc_report_order key */
    int is_error;
    int step;    /* index in steps[] */
    int follows; /* index of the root it folds under (roots[]), or -1 */
} sc_rfinding;

typedef struct sc_rstep {
    char id[12];
    char *title;
    uint64_t passed, failed, errors;
    int skipped, ended;
    char *skip_why;
    sc_rfinding *found;
    size_t nfound, capfound;
} sc_rstep;

/* A declared root: when `cond` fails, failures of the conditions or
 * steps listed in `deps` follow from it (sc_report_depends). */
typedef struct sc_rroot {
    char cond[16];
    char *deps;
    char *why;
} sc_rroot;

struct sc_report {
    pthread_mutex_t mu;
    FILE *live;
    char *version, *path;
    sc_rstep steps[SC_REPORT_MAX_STEPS];
    size_t nsteps;
    sc_rroot roots[SC_REPORT_MAX_ROOTS];
    size_t nroots;
    uint64_t seq, kept, omitted;
};

/* The step's status word ("ok", "FAILED", ...). */
const char *sc_rstep_status(const sc_rstep *s);
/* One step's line ("V6   selection encryptions   10/10 ok"). */
void sc_rstep_print_line(const sc_rstep *s, FILE *out);
/* "valid", "INVALID" or "could not check". */
const char *sc_report_verdict_word(const sc_report *r);

/* Sets every finding's `follows` (report_fold.c). Caller holds no lock;
 * the verifier has finished. Returns how many failures fold under root i
 * in folded[i] (array of SC_REPORT_MAX_ROOTS). */
void sc_report_fold(sc_report *r, uint64_t folded[SC_REPORT_MAX_ROOTS]);
/* The first cause: the earliest failure (step order, then arrival) that
 * folds under nothing; if there is none, the earliest error. NULL if the
 * report has no finding. */
const sc_rfinding *sc_report_first_cause(const sc_report *r);
/* The steps (ids, space-separated) holding failures folded under root i,
 * written to buf. */
void sc_report_folded_steps(const sc_report *r, int root, char *buf,
                            size_t len);

#endif
