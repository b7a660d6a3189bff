/* Internals of the 2.0 verifier (scrutin/verify20.h): the verification
 * state shared by its step files (v20_*.c, listed in verify20.c), and the
 * helpers they call. Not a public API. */
#ifndef SC_VERIFY20_V20_H
#define SC_VERIFY20_V20_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>
#include <jansson.h>

#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/group.h"
#include "scrutin/verify20.h"
#include "verify/common/vcommon.h"
#include "verify20/eghash20.h"
#include "verify20/json20.h"

#define V20_MAX_THREADS 64
#define V20_MAX_GUARDIANS 10000
#define V20_MAX_LIMIT 1000 /* option / contest selection limits we accept */
#define V20_WHERE 320

enum { V20_OTHER = 0, V20_CAST = 1, V20_SPOILED = 2 };

typedef struct v20_option {
    char *id;
    uint32_t seq;
} v20_option;

typedef struct v20_contest {
    char *id;
    uint32_t seq;       /* ind_c (sequence_order) */
    uint32_t limit;     /* L, contest selection limit (votes_allowed) */
    uint32_t opt_limit; /* R, option selection limit (1 unless given) */
    size_t nopt;
    v20_option *opts;
    size_t base; /* index of option 0 in the flat aggregate arrays */
} v20_contest;

/* What is kept of each ballot after it has been checked. */
typedef struct v20_sum {
    char *id;
    char *device;
    int state;
    int parsed;
    uint8_t code[32]; /* confirmation_code as published */
    uint8_t *baux;    /* code_baux as published */
    size_t baux_len;
    uint8_t ctdig[32]; /* SHA-256 of all (alpha, beta), manifest order */
    int used_dec;      /* a challenged-ballot decryption refers to it */
} v20_sum;

typedef struct v20_worker {
    mpz_t *aggA, *aggB;  /* partial products over the cast ballots */
    unsigned char *used; /* contests seen on some ballot */
} v20_worker;

typedef struct v20 {
    char dir[4096];
    sc_report *rep;
    sc_verify20_opts opts;
    sc_group *grp;
    int have_cfg, have_keys;
    uint32_t n, k;
    int chaining;
    uint8_t *baux0;
    size_t baux0_len;
    uint8_t hp[32], hm[32], hb[32], he[32];
    mpz_t K;
    sc_fb *fbK;
    /* manifest */
    int have_manifest;
    size_t ncontests;
    v20_contest *contests;
    size_t nopts;
    /* the published aggregate (encrypted_tally.json), per flat option */
    mpz_t *tA, *tB;
    unsigned char *thave;
    /* ballots */
    size_t nballots;
    char **bpaths; /* relative to dir */
    v20_sum *sums;
    /* threads */
    int nworkers;
    v20_worker *workers;
    atomic_int data_tally, data_ballot; /* contest data decryptions seen */
    sc_status fatal; /* first resource failure seen by a worker */
    pthread_mutex_t mu;
} v20;

/* A decrypted tally or challenged ballot (egk's DecryptedTallyOrBallot). */
typedef struct v20_dec {
    const char *file;
    json_t *root;
    json_t *contests;
    int ballot;          /* 0: tally (V9/10/11), 1: challenged (V12/13/14) */
    const v20_sum *enc;  /* challenged: the encrypted ballot it decrypts */
    unsigned char *seen; /* manifest options seen (per flat index) */
    unsigned char *cseen;
    uint8_t dig[32]; /* challenged: v20_sel_digest of its (alpha, beta) */
    const char *id;
} v20_dec;

/* ------------------------------------------------------------------ */
/* helpers (verify20.c)                                                 */

/** 1 if Verification `step` was switched off (opts.skip_steps). */
int v20_skipped(const v20 *v, int step);
/** out = dir/rel. */
void v20_path(const v20 *v, char *out, size_t cap, const char *rel);
int v20_file_exists(const char *path);
/** Remember the first resource failure (out of memory); the driver stops. */
void v20_set_fatal(v20 *v, sc_status rc);
int v20_is_member(const v20 *v, const mpz_t x);
/** Report a "could not check" whose message starts with "<file>: ". */
void v20_rep_err(v20 *v, const char *step, const char *msg);

/** A task of the worker pool: item idx of n, on worker w. */
typedef void (*v20_task)(v20 *v, v20_worker *w, size_t idx, void *arg);
/** Run fn for idx = 0..n-1 on the shared worker pool (verify/common). */
void v20_pool_run(v20 *v, size_t n, v20_task fn, void *arg);

/* ------------------------------------------------------------------ */
/* steps                                                                */

/* v20_params.c */
sc_group_id v20_record_group(const v20 *v);
void v20_step1_params(v20 *v);
SC_MUST_USE sc_status v20_manifest_load(v20 *v, char *msg);
void v20_manifest_free(v20 *v);
int v20_find_contest(const v20 *v, const char *id);
int v20_find_option(const v20_contest *ct, const char *id);
void v20_steps2to4_keys(v20 *v);

/* v20_ballots.c */
void v20_steps5to7_ballots(v20 *v);
/** Order-free digest of (alpha, beta) per selection (V12.B). */
void v20_sel_digest(const v20 *v, uint8_t acc[32], const char *cid,
                    const char *oid, const mpz_t alpha, const mpz_t beta);
int v20_cmp_str(const void *a, const void *b);
/** Append sub/<prefix>*.json of dir to *out (paths relative to dir). */
SC_MUST_USE sc_status v20_list_files(const char *dir, const char *sub,
                                     const char *prefix, char ***out, size_t *n,
                                     size_t *cap);

/* v20_chain.c */
v20_sum *v20_sum_by_id(v20 *v, const char *device, const char *id);
void v20_step7_chain(v20 *v);

/* v20_aggregation.c */
void v20_step8_aggregation(v20 *v);

/* v20_decrypt.c */
void v20_run_dec(v20 *v, v20_dec *d, const char *first_step);
void v20_steps9to11_tally(v20 *v);

/* v20_contest_data.c */
void v20_check_data_decryption(v20 *v, const char *step, const char *where,
                               const char *contest_id, const v20_loc *lc,
                               json_t *jd);

/* v20_challenged.c */
void v20_steps12to14_challenged(v20 *v);

#endif
