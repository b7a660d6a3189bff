/* Test helpers: groups, seeded RNG (VX-style replay via SC_TEST_SEED), hex,
 * file reading. Never linked into production code. */
#ifndef SC_TESTLIB_H
#define SC_TESTLIB_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/group.h"
#include "scrutin/rng.h"

/** Group for a test (aborts the test on failure). */
sc_group *t_group(sc_group_id id);
/** x = p - 1 (kind 0: fails the Legendre symbol) or 4 (kind 1: a square,
 *  caught only by a batched test's random combination): in range, not in
 *  Z_p^r (asserted). */
void t_nonmember(const sc_group *g, mpz_t x, int kind);
/** Seeded RNG: seed from $SC_TEST_SEED if set, else `dflt`; prints it. */
sc_rng *t_rng(uint64_t dflt);
/** Parse hex into mpz (no checks). */
void t_mpz_hex(mpz_t out, const char *hex);
/** Decode exactly n bytes of hex or fail the test. */
void t_bytes_hex(uint8_t *out, size_t n, const char *hex);
/** Assert a 32-byte digest equals the hex string. */
void t_assert_digest(const uint8_t d[32], const char *hex);
/** Load ../shared/vectors/eg21_kat.json (borrowed; freed at exit). */
json_t *t_kat(void);
/** Vector group `name` of eg21_kat.json (fails the test if missing). */
json_t *t_kat_get(const char *name);
/** String field `key` of a vector object (fails the test if missing). */
const char *t_kat_str(json_t *obj, const char *key);
/** Read a whole file; NULL if missing. Caller frees. */
char *t_read_file(const char *path, size_t *len);
#endif
