/* Scrutin: JSON helpers for the record and key files (docs/RECORD.md).
 *
 * A thin layer over jansson (an sc_json is jansson's json_t, so code that
 * includes <jansson.h> may use both). What it adds:
 *  - the record's integer forms: elements of Z_p as exactly 2*lp uppercase
 *    hex digits, checked in range and in the order-q subgroup; scalars as
 *    2*lq digits < q; hashes and other fixed byte strings as 2*n digits;
 *    small integers as JSON numbers;
 *  - error messages that name the file and the field:
 *        "guardians/guardian_2.json: field coefficient_commitments[1]:
 *         not in the order-q subgroup"
 *    kept in an sc_jctx (first error wins), so a reader can SC_CHECK a run
 *    of getters and print ctx.msg once;
 *  - whole-file read, and atomic write (temporary file in the same
 *    directory, fsync, rename), so no reader ever sees half a file.
 *
 * Getters return SC_OK, or SC_E_INVALID_JSON (missing field, wrong JSON
 * type, malformed number or hex), SC_E_INVALID_LENGTH, SC_E_INVALID_RANGE,
 * SC_E_INVALID_NOT_IN_SUBGROUP, SC_E_IO (file), SC_E_NOMEM. Putters return
 * SC_OK or SC_E_NOMEM. */
#ifndef SCRUTIN_JSON_H
#define SCRUTIN_JSON_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gmp.h>

#include "scrutin/group.h"
#include "scrutin/status.h"

struct json_t;
typedef struct json_t sc_json;

#define SC_JMSG_MAX 512

/** Where errors are reported. `file` (borrowed) names the file in
 *  messages (may be NULL); `where` is an optional prefix for field names
 *  ("contests[2]."), set with sc_jctx_where. msg holds the first error. */
typedef struct sc_jctx {
    const char *file;
    const sc_group *grp;
    char where[160];
    char msg[SC_JMSG_MAX];
    sc_status rc;
} sc_jctx;

SC_API void sc_jctx_init(sc_jctx *ctx, const char *file, const sc_group *grp);
/** Set the field prefix (printf format); "" clears it. */
SC_API void sc_jctx_where(sc_jctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Record an error "FILE: field WHERE.FIELD: what" (if none yet) and
 *  return rc. field may be NULL ("FILE: what"). */
SC_API sc_status sc_jctx_fail(sc_jctx *ctx, sc_status rc, const char *field,
                              const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- files ---- */

/** Parse a whole file. On error ctx->msg says where (line, column). */
SC_API SC_MUST_USE sc_status sc_json_read_file(sc_jctx *ctx, const char *path,
                                               sc_json **out);
/** Parse one JSON text (e.g. a line of a .jsonl file). Duplicate keys
 *  are refused. Plain JSON (record/json_plain.c: ASCII strings without
 *  escapes, integers) takes a fast path; jansson reads the rest. */
SC_API SC_MUST_USE sc_status sc_json_parse(sc_jctx *ctx, const char *text,
                                           size_t len, sc_json **out);
/** The same without a context: NULL if the text is not JSON (or on
 *  NOMEM), jansson's description of the first error in err[0..errlen). */
SC_API sc_json *sc_json_loadb(const char *text, size_t len, char *err,
                              size_t errlen);
/** Write v to path atomically: compact if `compact`, else indented by 2;
 *  a final newline. */
SC_API SC_MUST_USE sc_status sc_json_write_file(const char *path,
                                                const sc_json *v, int compact);
/** Compact one-line form (no newline), malloc'd; NULL on NOMEM. */
SC_API char *sc_json_dumps(const sc_json *v);
/** Write len bytes to path atomically (temp file, fsync, rename). */
SC_API SC_MUST_USE sc_status sc_file_write_atomic(const char *path,
                                                  const void *data, size_t len);
/** Permission bits of every public file written (whatever the umask). */
#define SC_PUBLIC_FILE_MODE 0644u
/** The same with the file's permission bits set to exactly `mode` (0600
 *  for secrets); sc_file_write_atomic uses SC_PUBLIC_FILE_MODE. The one
 *  atomic writer of the library: an unpredictable temp name (mkstemp) in
 *  the target's directory, fsync, rename, then fsync of the directory so
 *  the rename itself survives a crash. SC_E_IO (errno kept) or
 *  SC_E_NOMEM. */
SC_API SC_MUST_USE sc_status sc_file_write_atomic_mode(const char *path,
                                                       const void *data,
                                                       size_t len,
                                                       unsigned mode);
/** fsync the directory holding path (makes a rename in it durable). */
SC_API void sc_file_sync_dir_of(const char *path);
/** Read a whole file (malloc'd, NUL added after len bytes): a regular
 *  file of at most SC_FILE_MAX bytes (scrutin/files.h). SC_E_IO... */
SC_API SC_MUST_USE sc_status sc_file_read_all(const char *path, char **data,
                                              size_t *len);

/* ---- values ---- */

SC_API sc_json *sc_json_object(void); /* new empty object, NULL on NOMEM */
SC_API sc_json *sc_json_array(void);  /* new empty array */
SC_API void sc_json_free(sc_json *v); /* drops one reference; NULL ok */
SC_API size_t sc_json_array_size(const sc_json *arr); /* 0 if not an array */
SC_API sc_json *sc_json_array_at(const sc_json *arr, size_t i); /* borrowed */

/* ---- getters: obj[key], checked; messages name the key ---- */

/** obj[key] must be an object (borrowed reference in *out). */
SC_API SC_MUST_USE sc_status sc_json_get_obj(sc_jctx *ctx, const sc_json *obj,
                                             const char *key, sc_json **out);
/** obj[key] must be an array; *n = its length. */
SC_API SC_MUST_USE sc_status sc_json_get_arr(sc_jctx *ctx, const sc_json *obj,
                                             const char *key, sc_json **out,
                                             size_t *n);
/** A string (borrowed; valid while obj lives). */
SC_API SC_MUST_USE sc_status sc_json_get_str(sc_jctx *ctx, const sc_json *obj,
                                             const char *key, const char **out);
/** An integer 0 <= x <= UINT32_MAX (u32) or 0 <= x < 2^53 (u64). */
SC_API SC_MUST_USE sc_status sc_json_get_u32(sc_jctx *ctx, const sc_json *obj,
                                             const char *key, uint32_t *out);
SC_API SC_MUST_USE sc_status sc_json_get_u64(sc_jctx *ctx, const sc_json *obj,
                                             const char *key, uint64_t *out);
SC_API SC_MUST_USE sc_status sc_json_get_bool(sc_jctx *ctx, const sc_json *obj,
                                              const char *key, int *out);
/** An element of Z_p^r: 2*lp uppercase hex digits, 0 < x < p, x^q = 1. */
SC_API SC_MUST_USE sc_status sc_json_get_elem(sc_jctx *ctx, const sc_json *obj,
                                              const char *key, mpz_t out);
/** Same without the subgroup test (0 < x < p only), for readers that
 *  check many elements with sc_subgroup_check_batch. */
SC_API SC_MUST_USE sc_status sc_json_get_elem_unchecked(sc_jctx *ctx,
                                                        const sc_json *obj,
                                                        const char *key,
                                                        mpz_t out);
/** An element of Z_q: 2*lq uppercase hex digits, x < q. */
SC_API SC_MUST_USE sc_status sc_json_get_scalar(sc_jctx *ctx,
                                                const sc_json *obj,
                                                const char *key, mpz_t out);
/** A 32-byte hash: 64 uppercase hex digits. */
SC_API SC_MUST_USE sc_status sc_json_get_hash(sc_jctx *ctx, const sc_json *obj,
                                              const char *key, uint8_t out[32]);
/** Exactly n bytes: 2n uppercase hex digits. */
SC_API SC_MUST_USE sc_status sc_json_get_bytes(sc_jctx *ctx, const sc_json *obj,
                                               const char *key, uint8_t *out,
                                               size_t n);
/** obj[key] must be an array of exactly n elements (n mpz_t, initialised
 *  by the caller), each checked as sc_json_get_elem / _scalar. */
SC_API SC_MUST_USE sc_status sc_json_get_elem_array(sc_jctx *ctx,
                                                    const sc_json *obj,
                                                    const char *key, size_t n,
                                                    mpz_t *out);
SC_API SC_MUST_USE sc_status sc_json_get_scalar_array(sc_jctx *ctx,
                                                      const sc_json *obj,
                                                      const char *key, size_t n,
                                                      mpz_t *out);

/* Value-level forms for array items: v is the value itself, `name` is
 * used in messages ("responses[3]"). */
SC_API SC_MUST_USE sc_status sc_json_as_elem(sc_jctx *ctx, const sc_json *v,
                                             const char *name, mpz_t out);
SC_API SC_MUST_USE sc_status sc_json_as_scalar(sc_jctx *ctx, const sc_json *v,
                                               const char *name, mpz_t out);
SC_API SC_MUST_USE sc_status sc_json_as_u32(sc_jctx *ctx, const sc_json *v,
                                            const char *name, uint32_t *out);

/* ---- putters: obj[key] = value (obj must be an object) ---- */

SC_API SC_MUST_USE sc_status sc_json_put(sc_json *obj, const char *key,
                                         sc_json *v); /* steals v */
SC_API SC_MUST_USE sc_status sc_json_put_str(sc_json *obj, const char *key,
                                             const char *s);
SC_API SC_MUST_USE sc_status sc_json_put_u64(sc_json *obj, const char *key,
                                             uint64_t x);
SC_API SC_MUST_USE sc_status sc_json_put_bool(sc_json *obj, const char *key,
                                              int b);
/** obj[key] = null. */
SC_API SC_MUST_USE sc_status sc_json_put_null(sc_json *obj, const char *key);
SC_API SC_MUST_USE sc_status sc_json_put_elem(sc_json *obj, const sc_group *grp,
                                              const char *key, const mpz_t x);
SC_API SC_MUST_USE sc_status sc_json_put_scalar(sc_json *obj,
                                                const sc_group *grp,
                                                const char *key, const mpz_t x);
SC_API SC_MUST_USE sc_status sc_json_put_hash(sc_json *obj, const char *key,
                                              const uint8_t h[32]);
SC_API SC_MUST_USE sc_status sc_json_put_bytes(sc_json *obj, const char *key,
                                               const uint8_t *b, size_t n);
/** obj[key] = [x_0, ..., x_{n-1}] as elements / scalars. */
SC_API SC_MUST_USE sc_status sc_json_put_elem_array(sc_json *obj,
                                                    const sc_group *grp,
                                                    const char *key, size_t n,
                                                    const mpz_t *x);
SC_API SC_MUST_USE sc_status sc_json_put_scalar_array(sc_json *obj,
                                                      const sc_group *grp,
                                                      const char *key, size_t n,
                                                      const mpz_t *x);
/** Append to an array (steals v). */
SC_API SC_MUST_USE sc_status sc_json_append(sc_json *arr, sc_json *v);
SC_API SC_MUST_USE sc_status sc_json_append_u64(sc_json *arr, uint64_t x);
SC_API SC_MUST_USE sc_status sc_json_append_elem(sc_json *arr,
                                                 const sc_group *grp,
                                                 const mpz_t x);
SC_API SC_MUST_USE sc_status sc_json_append_scalar(sc_json *arr,
                                                   const sc_group *grp,
                                                   const mpz_t x);

#endif
