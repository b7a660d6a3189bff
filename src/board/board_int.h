/* Board internals shared by the files of src/board. */
#ifndef SC_BOARD_INT_H
#define SC_BOARD_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "board/board.h"
#include "board/parse.h"
#include "net/httpd.h"
#include "scrutin/eghash.h"
#include "scrutin/entry.h"
#include "scrutin/json.h"
#include "scrutin/status.h"
#include "scrutin/tlog.h"
#include "store/board_db.h"

struct sc_door;

/* Added to the HTTP pool threads' nice value (docs/BOARD.md §4.1, CPU
 * priority): the proof workers and the sequencer run first. A build
 * option only for measuring its effect (-DBD_HTTP_NICE=0: unchanged). */
#ifndef BD_HTTP_NICE
#define BD_HTTP_NICE 10
#endif

/* Phases (meta "phase"): ballots and devices only while open. */
enum { PH_OPEN = 0, PH_COUNTING = 1, PH_CLOSED = 2 };

/* Refusal counters (GET /v1/metrics). */
enum {
    M_ACCEPTED,
    M_REPLAYED,
    M_R400,
    M_R401,
    M_R403,
    M_R404,
    M_R409,
    M_R411,
    M_R413,
    M_R422,
    M_R429,
    M_R503,
    M_READS,
    M_COUNT
};

/* One submission on its way through the door and the sequencer. */
typedef struct bjob {
    sc_entry e; /* type, seq, payload hash, key, signer, sig (index and
                   time are set by the sequencer) */
    uint8_t *payload;
    size_t len;
    /* ballot: fields read at the door */
    char label[96];
    uint8_t id_b[32], code[32], bc[SC_BC_BYTES];
    uint64_t dseq;
    uint32_t device;
    sc_json *json; /* the parsed ballot, until the proofs are checked */
    /* device registration */
    uint32_t reg_index, reg_chaining;
    uint8_t reg_pub[32];
    char reg_name[256];
    /* result */
    sc_board_answer ans;
    int replayed;     /* the answer is the original receipt */
    int hashed;       /* e.payload_sha256 is set (the door hashes late) */
    int sig_ok;       /* the door verified the signature (immutable) */
    int parsed;       /* the door read the ballot's fields (immutable) */
    sc_http_req *req; /* NULL for local submissions */
    int done;         /* local: set by the sequencer */
    int busy;         /* holds its signer's in-flight slot */
    struct bjob *next;
} bjob;

struct sc_board {
    sc_board_cfg cfg;
    char state_dir[512];
    char origin[SC_TLOG_NAME_MAX + 1];
    sc_vkey board_vkey;
    uint8_t *board_sk; /* sodium_malloc'd */
    uint8_t auth_pk[32];
    sc_bdb *wdb; /* the sequencer's write connection */
    struct sc_door *door;
    sc_httpd *http;
    atomic_int phase;
    atomic_int read_only; /* full disk or I/O error: nothing acknowledged */
    atomic_uint_fast64_t metrics[M_COUNT];
    char *policy_json; /* witness_policy payload (owned; under mu) */
    sc_witness_policy policy;
    int has_policy;

    pthread_mutex_t mu; /* queue, policy, latest checkpoint */
    pthread_cond_t seq_cv, work_cv, local_cv;
    bjob *seq_head, *seq_tail; /* waiting for the sequencer */
    bjob *work_head, *work_tail;
    unsigned work_len;
    int stopping;
    /* Signers with a ballot being checked or sequenced (under mu): one
     * at a time per device (a device's ballots form a chain; a second
     * one in flight is a retry or a flood), so that one device cannot
     * fill the proof workers. */
    uint8_t (*busy)[32];
    size_t nbusy, capbusy;
    pthread_t seq_thread;
    pthread_t *workers;
    unsigned nworkers;
    int serving;
    /* After a commit, off the answer's path (publish.c): checkpoint.latest
     * and the witnesses, each on its own thread, each working on the
     * newest committed size (under mu). */
    struct bd_lane {
        pthread_t t;
        uint64_t want, done;
        int running;
    } lane[2];
    uint8_t pub_root[32]; /* the root of the newest committed size */
    pthread_cond_t pub_cv;
    int pub_stopping;
    pthread_key_t rdb_key; /* per-thread read connection */
    sc_bdb *rdbs[256];     /* every read connection, closed at the end */
    size_t nrdb;
};

/* core.c */
void bd_hex(char *out, const uint8_t *in, size_t n); /* lowercase */
sc_bdb *bd_rdb(sc_board *b); /* this thread's read connection */
void bd_refuse(bjob *j, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void bd_count(sc_board *b, unsigned status);
/** The receipt (tlog-proof) for entry idx against the newest checkpoint. */
SC_MUST_USE sc_status bd_receipt(sc_board *b, sc_bdb *db, uint64_t idx,
                                 char **out);
/** Latest checkpoint note with its cosignatures (malloc'd). */
SC_MUST_USE sc_status bd_checkpoint_text(sc_board *b, sc_bdb *db,
                                         uint64_t *size, char **out);

/* door.c: cheap checks, cheapest first; 0 = passed, else j->ans set.
 * replay: *replayed = 1 and j->ans is the original receipt. */
int bd_door(sc_board *b, sc_bdb *db, bjob *j, int *replayed);
/** The proofs (ballots only), on a worker thread. */
int bd_door_proofs(sc_board *b, sc_bdb *db, bjob *j);
/** Build the door from entry 0 (the election payload). */
SC_MUST_USE sc_status bd_door_open(sc_board *b, char *err, size_t errlen);
void bd_door_free(sc_board *b);

/* sequencer.c */
/** Append jobs (in order) in one transaction, sign the checkpoint,
 *  commit, then answer each job. */
void bd_commit_batch(sc_board *b, bjob **jobs, size_t n);
SC_MUST_USE sc_status bd_threads_start(sc_board *b);
void bd_threads_stop(sc_board *b);
/** Queue a job that passed the cheap checks (to the workers for ballots,
 *  else to the sequencer). 0 if queued, else j->ans = 503. */
int bd_enqueue(sc_board *b, bjob *j);
void bd_job_finish(sc_board *b, bjob *j); /* answer and free (HTTP) */

/* witnesses.c */
/** Ask every witness of policy p to cosign the checkpoint of `size`;
 *  store the cosignatures through db (a writable connection). */
void bd_witnesses_call(sc_board *b, sc_bdb *db, const sc_witness_policy *p,
                       uint64_t size);

/* publish.c */
enum { LANE_LATEST, LANE_WITNESS };
/** A batch committed the log at `size` (root): write checkpoint.latest
 *  and ask the witnesses, on the lanes' threads when serving, else now. */
void bd_published(sc_board *b, uint64_t size, const uint8_t root[32]);
SC_MUST_USE sc_status bd_lanes_start(sc_board *b);
/** Finish the newest size on both lanes, then stop them. */
void bd_lanes_stop(sc_board *b);
/** 1 when the cosignatures on note (a checkpoint note text with its
 *  cosignature lines) meet the witness policy's quorum. */
int bd_quorum_met(sc_board *b, const char *note);
sc_status bd_latest_write(sc_board *b, uint64_t size, const uint8_t root[32]);

/* signer_index.c: GET /v1/signer/<hex>[?from=<seq>] (§4.2) */
void bd_get_signer(sc_board *b, sc_bdb *db, const char *hex, const char *from,
                   sc_http_resp *resp);

/* api.c */
int bd_http(void *ctx, sc_http_req *req, sc_http_resp *resp);

#endif
