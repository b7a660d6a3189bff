/* The board's request parsers (pure: no I/O), shared by api.c and the
 * fuzz target tests/fuzz/fuzz_board_req.c. */
#ifndef SC_BOARD_PARSE_H
#define SC_BOARD_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/entry.h"

/** Strict decimal u64: digits only, no leading zero but "0", <= 19
 *  digits. 1 if ok. */
int bd_parse_u64(const char *s, uint64_t *out);
/** Exactly 2n hex digits (either case) into out. 1 if ok. */
int bd_unhex(uint8_t *out, size_t n, const char *s);

/** The submit request: type name (query) and the four headers (any may
 *  be NULL) into e (version, type, signer, seq, key, sig; the payload
 *  fields are the caller's). Returns NULL if all are well formed, else a
 *  static one-line reason. */
const char *bd_parse_submit(sc_entry *e, const char *type, const char *signer,
                            const char *seq, const char *key, const char *sig);

/** /v1/codes/<prefix>: 2..64 hex digits into prefix (zero padded) and
 *  *nibbles. 1 if ok. */
int bd_parse_code_prefix(const char *s, uint8_t prefix[32], unsigned *nibbles);

/** /v1/consistency?from&to: 0 < from <= to. 1 if ok. */
int bd_parse_range(const char *from, const char *to, uint64_t *f, uint64_t *t);

/** /v1/signer/<64 hex>[?from=<seq>]: the key and the first sequence
 *  number (1 if from is NULL; 1..2^32-1). 1 if ok. */
int bd_parse_signer_req(const char *hex, const char *from, uint8_t key[32],
                        uint32_t *seq);

#endif
