/* The witness (docs/BOARD.md §5): C2SP tlog-witness add-checkpoint over
 * the state of store/witness_db.h, cosigning in C2SP tlog-cosignature/v1
 * form, and the monitoring read GET /<hex sha256(origin)>/checkpoint.
 *
 * add-checkpoint, in the spec's order: body or note malformed -> 400;
 * unknown origin -> 404; no valid signature by the log's key (or a failing
 * one) -> 403; old > size -> 400; old != the size this witness last
 * cosigned -> 409 with "<size>\n" (text/x.tlog.size); old = 0 with a
 * proof, size 0 without the empty root, equal sizes with another root or
 * a proof, or a failing consistency proof -> 422. On success the new
 * state and the cosigned checkpoint are committed (synchronous=FULL)
 * before the cosignature line is returned. A correctly signed checkpoint
 * that is refused as a rollback (smaller than the cosigned size), an
 * equivocation (same size, another root) or with a 422 is kept as
 * evidence with the checkpoint the witness had. */
#ifndef SC_WITNESS_WITNESS_H
#define SC_WITNESS_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "net/httpd.h"
#include "scrutin/status.h"

typedef struct sc_witness sc_witness;

/** Open the state database at db_path and keep a copy of the witness key
 *  (name, 64-byte libsodium secret key; copied into locked memory, wiped
 *  at free). SC_E_IO if the database cannot be opened. */
SC_MUST_USE sc_status sc_witness_new(sc_witness **out, const char *db_path,
                                     const char *name, const uint8_t sk[64]);
void sc_witness_free(sc_witness *w);
/** Make w a verifying witness (docs/BOARD.md §5.4, witness/verify_board.h)
 *  of the board at board_url, its state in db_path: a checkpoint is
 *  cosigned only once the board's entries up to it give its root and pass
 *  the board's door checks; one that commits to an invalid entry is
 *  refused with 422 and kept as evidence; 503 while the board cannot be
 *  read. */
SC_MUST_USE sc_status sc_witness_verify_board(sc_witness *w,
                                              const char *db_path,
                                              const char *board_url);

/** An answer: status, static content type, malloc'd body. */
typedef struct sc_witness_answer {
    unsigned status;
    const char *ctype;
    char *body;
    size_t len;
} sc_witness_answer;

/** POST /add-checkpoint with this body. Thread-safe. */
void sc_witness_add_checkpoint(sc_witness *w, const char *body, size_t len,
                               sc_witness_answer *a);
/** GET /<64 hex of SHA-256(origin)>/checkpoint: the last cosigned
 *  checkpoint (board signature and this witness's cosignature). */
void sc_witness_get_checkpoint(sc_witness *w, const char *hex,
                               sc_witness_answer *a);

/** The sc_http_handler serving both (ctx = the sc_witness). */
int sc_witness_http(void *ctx, sc_http_req *req, sc_http_resp *resp);

#endif
