/* Scrutin internal: JSON and file helpers for the ceremony and decryption
 * files (fixed-width uppercase hex, atomic writes, error detail naming the
 * file and field). Shared by src/lib/ceremony and src/lib/decrypt. */
#ifndef SC_CEREMONY_JSONIO_H
#define SC_CEREMONY_JSONIO_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>
#include <jansson.h>

#include "scrutin/group.h"
#include "scrutin/status.h"
#define SC_CMPZ(x) ((const mpz_t *)(x))

/** Record a detail for the last error of this thread ("file: field: what");
 *  returns rc so it can be used as `return sc_jio_fail(rc, ...)`. */
sc_status sc_jio_fail(sc_status rc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Clear the detail. */
void sc_jio_clear(void);

/** Write len bytes to path atomically: path.tmp.<pid>, fsync, rename,
 *  fsync of the directory. mode 0600 or 0644. */
SC_MUST_USE sc_status sc_jio_write_file(const char *path, const void *buf,
                                        size_t len, unsigned mode);
/** Dump json (compact, keys in insertion order) + "\n" atomically. */
SC_MUST_USE sc_status sc_jio_write_json(const char *path, const json_t *j,
                                        unsigned mode);
/** Read a whole file (malloc'd, NUL appended). */
SC_MUST_USE sc_status sc_jio_read_file(const char *path, char **buf,
                                       size_t *len);
/** Parse a JSON object file. */
SC_MUST_USE sc_status sc_jio_load(const char *path, json_t **out);
/** mkdir -p (mode for the directories created). */
SC_MUST_USE sc_status sc_jio_mkdirs(const char *path, unsigned mode);
/** path = dir + "/" + fmt... into a malloc'd string (NULL on NOMEM). */
char *sc_jio_path(const char *dir, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Values -> JSON (NULL on NOMEM). */
json_t *sc_jio_elem(const sc_group *grp, const mpz_t x);
json_t *sc_jio_scalar(const sc_group *grp, const mpz_t x);
json_t *sc_jio_hash(const uint8_t h[32]);
json_t *sc_jio_bytes(const uint8_t *b, size_t len);
json_t *sc_jio_elem_array(const sc_group *grp, size_t n, const mpz_t *x);
json_t *sc_jio_scalar_array(const sc_group *grp, size_t n, const mpz_t *x);

/* JSON -> values. `file` and `field` name the place for the error
 * detail. Elements must be in Z_p^r, scalars in Z_q, hex uppercase of the
 * exact width. */
SC_MUST_USE sc_status sc_jio_get_elem(const sc_group *grp, const json_t *o,
                                      const char *key, mpz_t out,
                                      const char *file);
SC_MUST_USE sc_status sc_jio_get_scalar(const sc_group *grp, const json_t *o,
                                        const char *key, mpz_t out,
                                        const char *file);
SC_MUST_USE sc_status sc_jio_get_bytes(const json_t *o, const char *key,
                                       uint8_t *out, size_t len,
                                       const char *file);
SC_MUST_USE sc_status sc_jio_get_u32(const json_t *o, const char *key,
                                     uint32_t *out, const char *file);
SC_MUST_USE sc_status sc_jio_get_u64(const json_t *o, const char *key,
                                     uint64_t *out, const char *file);
/** Array of exactly n elements / scalars (n = SIZE_MAX: any; *got set). */
SC_MUST_USE sc_status sc_jio_get_elem_array(const sc_group *grp,
                                            const json_t *o, const char *key,
                                            size_t n, mpz_t *out,
                                            const char *file);
SC_MUST_USE sc_status sc_jio_get_scalar_array(const sc_group *grp,
                                              const json_t *o, const char *key,
                                              size_t n, mpz_t *out,
                                              const char *file);
/** Parse a value node (not a key) into an element / scalar. */
SC_MUST_USE sc_status sc_jio_elem_node(const sc_group *grp, const json_t *v,
                                       mpz_t out, const char *file,
                                       const char *field);
/** The same with the range check 0 < x < p only, for a reader that tests
 *  many elements with one sc_subgroup_check_batch; it names a non-member
 *  with sc_jio_not_member(file, field), the error sc_jio_elem_node gives. */
SC_MUST_USE sc_status sc_jio_elem_node_unchecked(const sc_group *grp,
                                                 const json_t *v, mpz_t out,
                                                 const char *file,
                                                 const char *field);
SC_MUST_USE sc_status sc_jio_get_elem_unchecked(const sc_group *grp,
                                                const json_t *o,
                                                const char *key, mpz_t out,
                                                const char *file);
SC_MUST_USE sc_status sc_jio_not_member(const char *file, const char *field);
SC_MUST_USE sc_status sc_jio_scalar_node(const sc_group *grp, const json_t *v,
                                         mpz_t out, const char *file,
                                         const char *field);

/* mpz arrays */
mpz_t *sc_mpz_array_new(size_t n);          /* all initialised to 0 */
void sc_mpz_array_free(mpz_t *a, size_t n); /* wipes, clears, frees */

#endif
