/* Scrutin internal: helpers shared by the tlog sources. */
#ifndef SC_TLOG_INTERNAL_H
#define SC_TLOG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/tlog.h"

/** Valid UTF-8 with no ASCII control character other than '\n'. */
int sc_tlog_text_valid(const char *s, size_t len);
/** The first signature line at index >= from under key k (name and key
 *  id); *at gets its index. NULL if none. */
const sc_note_sig *sc_tlog_find_sig(const sc_note *n, const sc_vkey *k,
                                    size_t from, size_t *at);
/** A decimal without leading zeros (exactly [p, p+len)). 1 if valid. */
int sc_tlog_parse_u64(const char *p, size_t len, uint64_t *out);
/** A line of exactly 44 base64 characters holding a 32-byte hash. */
int sc_tlog_parse_hash(const char *p, size_t len, uint8_t out[32]);
/** The next line of [*p, end) without its '\n' (must have one): sets
 *  *line, *len and advances *p. 0 if there is no '\n'. */
int sc_tlog_next_line(const char **p, const char *end, const char **line,
                      size_t *len);

#endif
