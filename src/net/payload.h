/* Fetching one payload of the board by its hash (docs/BOARD.md §4.2:
 * GET /v1/payload/<sha256>), checked against the hash and length its
 * entry commits to. One function for every reader of the board: the
 * CLI's clients (src/cli/board_client.c) and the verifying witness
 * (src/witness/verify_board.c). */
#ifndef SC_NET_PAYLOAD_H
#define SC_NET_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "net/httpc.h"
#include "scrutin/status.h"

/** GET base/v1/payload/<hex sha> with opts (NULL: httpc's defaults) and
 *  check that the body is len bytes with SHA-256 sha. SC_OK: *out (malloc'd,
 *  NUL-terminated, the caller frees it) and *outlen. Otherwise *out =
 *  NULL and err gets one line: SC_E_RANGE for a 404, SC_E_IO for no
 *  answer or another status, SC_E_VERIFY for other bytes, SC_E_NOMEM. */
SC_MUST_USE sc_status sc_net_get_payload(const char *base,
                                         const sc_httpc_opts *opts,
                                         const uint8_t sha[32], uint64_t len,
                                         uint8_t **out, size_t *outlen,
                                         char *err, size_t errlen);

#endif
