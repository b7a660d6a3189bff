/* Scrutin: library initialisation, memory hygiene, hex. */
#ifndef SCRUTIN_CORE_H
#define SCRUTIN_CORE_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/status.h"

/** Initialise the library once per process, before any mpz_t exists:
 *  installs a GMP allocator that wipes every block it frees or moves (so
 *  secret limbs do not linger in freed memory) and initialises libsodium.
 *  Idempotent and thread-safe. GMP aborts the process on allocation failure
 *  (GMP's allocator interface cannot report it). */
SC_API SC_MUST_USE sc_status sc_init(void);

/** Wipe n bytes in a way the compiler will not elide (sodium_memzero). */
SC_API void sc_wipe(void *p, size_t n);

/** Constant-time equality of two byte strings of length n: 1 equal, 0 not. */
SC_API int sc_ct_eq(const void *a, const void *b, size_t n);

/** Uppercase hex of `len` bytes into `out` (2*len+1 bytes, NUL ended). */
SC_API void sc_hex_encode(char *out, const uint8_t *in, size_t len);

/** Decode exactly `out_len` bytes from a hex string of exactly 2*out_len
 *  digits (either case). SC_E_INVALID_LENGTH or SC_E_INVALID_HEX. */
SC_API SC_MUST_USE sc_status sc_hex_decode(uint8_t *out, size_t out_len,
                                           const char *hex, size_t hex_len);

#endif
