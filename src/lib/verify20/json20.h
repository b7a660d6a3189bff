/* Reading egk 2.0 JSON with jansson: typed getters that check the shape of
 * every field (hex width, range) and, on failure, write a message that
 * names the file and the field ("tally.json: contests[2].selections[0].
 * proof.challenge: expected 64 hex digits, got 63"). Never abort. */
#ifndef SCRUTIN_VERIFY20_JSON20_H
#define SCRUTIN_VERIFY20_JSON20_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>
#include <jansson.h>

#include "scrutin/group.h"
#include "scrutin/status.h"

#define V20_MSG 512

/** Where a value is read from: the file and the JSON path so far. */
typedef struct v20_loc {
    const char *file; /* shown relative to the record */
    char path[256];
    char *msg; /* V20_MSG bytes: the error message on failure */
} v20_loc;

/** snprintf that always terminates (messages may be cut short). */
void v20_sfmt(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Load a JSON file; SC_E_IO if missing/unreadable, SC_E_INVALID_JSON if
 *  not JSON (message with line and column). */
SC_MUST_USE sc_status v20_load(const char *path, const char *shown,
                               json_t **out, char *msg);
/** Read a whole file (for the manifest bytes). */
SC_MUST_USE sc_status v20_read_file(const char *path, const char *shown,
                                    uint8_t **out, size_t *len, char *msg);

/** Child location: base path + "." + key or "[i]". */
void v20_loc_key(v20_loc *child, const v20_loc *parent, const char *key);
void v20_loc_idx(v20_loc *child, const v20_loc *parent, size_t i);

/** Fetch obj[key] (must exist); SC_E_INVALID with message. */
SC_MUST_USE sc_status v20_get(const v20_loc *loc, json_t *obj, const char *key,
                              json_t **out);
SC_MUST_USE sc_status v20_get_array(const v20_loc *loc, json_t *obj,
                                    const char *key, json_t **out);
SC_MUST_USE sc_status v20_get_str(const v20_loc *loc, json_t *obj,
                                  const char *key, const char **out);
/** Integer in [lo, hi]. */
SC_MUST_USE sc_status v20_get_int(const v20_loc *loc, json_t *obj,
                                  const char *key, long long lo, long long hi,
                                  long long *out);
/** Element of Z_p: exactly 2*lp hex digits and 0 < x < p (membership is
 *  checked by the caller, in batches). */
SC_MUST_USE sc_status v20_get_elem(const v20_loc *loc, const sc_group *grp,
                                   json_t *obj, const char *key, mpz_t out);
/** An ElGamal ciphertext obj[key] = {"pad": alpha, "data": beta}, each
 *  an element of Z_p as v20_get_elem (egk's `encrypted_vote`). */
SC_MUST_USE sc_status v20_get_ciphertext(const v20_loc *loc,
                                         const sc_group *grp, json_t *obj,
                                         const char *key, mpz_t alpha,
                                         mpz_t beta);
/** 256-bit value: exactly 64 hex digits (challenges, responses: the range
 *  check against q is a verification condition, done by the caller). */
SC_MUST_USE sc_status v20_get_u256(const v20_loc *loc, json_t *obj,
                                   const char *key, mpz_t out);
/** 32-byte hash: exactly 64 hex digits. */
SC_MUST_USE sc_status v20_get_hash(const v20_loc *loc, json_t *obj,
                                   const char *key, uint8_t out[32]);
/** A hex number of any width (1..4096 digits, leading zeros allowed):
 *  the group constants of constants.json. */
SC_MUST_USE sc_status v20_get_hexnum(const v20_loc *loc, json_t *obj,
                                     const char *key, mpz_t out);
/** Any-length hex byte string (even digit count); *out malloc'ed. */
SC_MUST_USE sc_status v20_get_bytes(const v20_loc *loc, json_t *obj,
                                    const char *key, uint8_t **out,
                                    size_t *len);

#endif
