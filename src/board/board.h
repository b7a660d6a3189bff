/* The bulletin board server (docs/BOARD.md): one election's log, checks
 * at the door, receipts, the read API and the witnesses.
 *
 * State directory: board.db (SQLite), board.key and authority.key (sealed
 * Ed25519 keys), checkpoint.latest (the last checkpoint signed, written
 * after each commit: a board.db older than it refuses to start). */
#ifndef SC_BOARD_BOARD_H
#define SC_BOARD_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

#define SC_BOARD_DB "board.db"
#define SC_BOARD_KEY "board.key"
#define SC_BOARD_AUTH_KEY "authority.key"
#define SC_BOARD_LATEST "checkpoint.latest"
#define SC_BOARD_KEY_KIND "scrutin board key"
#define SC_BOARD_AUTH_KIND "scrutin authority key"

typedef struct sc_board sc_board;

typedef struct sc_board_cfg {
    const char *state_dir;
    const char *listen;  /* "127.0.0.1:PORT" (serve only) */
    const char *web_dir; /* static files for / and /web/ (may be NULL) */
    unsigned threads;    /* HTTP pool (0: 4) */
    unsigned workers;    /* proof-checking threads (0: cores) */
    unsigned queue_max;  /* ballots waiting for a worker before 503 (0: 64) */
    unsigned max_conns;  /* (0: 512) */
    unsigned per_ip;     /* (0: 256) */
    size_t max_body;     /* (0: 4 MiB) */
    int force;           /* start although board.db is older than the last
                            checkpoint signed (tests of the witnesses) */
    uint64_t max_pages;  /* test: the disk is "full" after this many more
                            database pages (0: no limit) */
    const char *fork_witness;  /* SC_BOARD_FORK_TEST builds only: show these
                                  witnesses (comma-separated names) another
                                  tree of the same size */
    int test_accept_invalid;   /* SC_BOARD_FORK_TEST builds only: skip the
                                  ballot proofs (step 13) */
    int test_accept_write_ins; /* SC_BOARD_FORK_TEST builds only: commit a
                                  write_in before its write_in_count */
} sc_board_cfg;

/** Create a new board in cfg->state_dir: board.db with entry 0 (the
 *  `election` payload, signed with auth_sk) and its checkpoint. The keys
 *  are the caller's (sealed by the CLI). */
SC_MUST_USE sc_status sc_board_create(const char *state_dir, const char *origin,
                                      const uint8_t board_sk[64],
                                      const uint8_t auth_sk[64],
                                      const uint8_t *election, size_t len,
                                      char *err, size_t errlen);

/** Open an existing board (checks the root of its newest checkpoint and
 *  checkpoint.latest). board_sk is copied into locked memory. */
SC_MUST_USE sc_status sc_board_open(sc_board **out, const sc_board_cfg *cfg,
                                    const uint8_t board_sk[64], char *err,
                                    size_t errlen);
/** Start the HTTP server, the workers and the sequencer. */
SC_MUST_USE sc_status sc_board_serve(sc_board *b, char *err, size_t errlen);
uint16_t sc_board_port(const sc_board *b);
/** Stop serving (finishes the queued work) and free. */
void sc_board_close(sc_board *b);

/** The number of registered devices. */
SC_MUST_USE sc_status sc_board_device_count(sc_board *b, uint32_t *n);

/** The submission result. */
typedef struct sc_board_answer {
    unsigned status; /* HTTP status: 200 or the refusal's */
    char why[512];   /* one line for a refusal */
    char *receipt;   /* 200: the tlog-proof (malloc'd) */
    uint64_t index;
} sc_board_answer;

/** Submit an entry without the HTTP server (the CLI, server stopped):
 *  the same checks and the same transaction. seq 0 = the signer's next.
 *  Returns SC_OK when an answer was produced (see a->status). */
SC_MUST_USE sc_status sc_board_submit_local(sc_board *b, unsigned type,
                                            const uint8_t *payload, size_t len,
                                            const uint8_t key[32],
                                            const uint8_t sk[64], uint32_t seq,
                                            sc_board_answer *a);

#endif
