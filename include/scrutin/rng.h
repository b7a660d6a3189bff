/* Scrutin: randomness. Production code uses the system CSPRNG (libsodium's
 * randombytes, i.e. getrandom(2)); tests may use a seeded deterministic
 * generator (ChaCha20 keystream) so runs can be replayed. */
#ifndef SCRUTIN_RNG_H
#define SCRUTIN_RNG_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/group.h"
#include "scrutin/status.h"

typedef struct sc_rng sc_rng;

/** The system CSPRNG. Thread-safe. Free with sc_rng_free (no-op wipe). */
SC_API SC_MUST_USE sc_status sc_rng_new_system(sc_rng **out);
/** Deterministic generator for TESTS ONLY: same seed, same stream. Not
 *  thread-safe (one per thread). */
SC_API SC_MUST_USE sc_status sc_rng_new_seeded(sc_rng **out,
                                               const uint8_t *seed,
                                               size_t seed_len);
SC_API void sc_rng_free(sc_rng *rng);

/** Fill buf with n random bytes. rng NULL means the system CSPRNG. */
SC_API void sc_rng_bytes(sc_rng *rng, void *buf, size_t n);
/** out uniform in [0, q), by rejection sampling (never `% q`). */
SC_API void sc_rng_scalar(sc_rng *rng, const sc_group *grp, mpz_t out);
/** out uniform in [1, q). */
SC_API void sc_rng_scalar_nonzero(sc_rng *rng, const sc_group *grp, mpz_t out);
/** Uniform 64-bit value. */
SC_API uint64_t sc_rng_u64(sc_rng *rng);

#endif
