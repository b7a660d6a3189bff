/* HMAC-SHA-256 on the x86 SHA extensions (sha256ni.c): the fast path of
 * H (spec eq 130) behind sc_hash (hash.c). Internal to the library. */
#ifndef SC_HASH_SHA256NI_H
#define SC_HASH_SHA256NI_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

/** 1 if this CPU has the SHA extensions (and the build the code): then
 *  sc_hash uses the functions below instead of libsodium's. Asked once. */
int sc_sha256ni_on(void);
/** Tests: 0 turns the fast path off for the sc_hash calls that follow,
 *  1 lets it be detected again. */
void sc_sha256ni_force(int on);

/** HMAC-SHA-256 in the storage of a libsodium state (meaning of its
 *  fields: sha256ni.c). keylen <= 64 is used as is. */
void sc_hmac256ni_init(crypto_auth_hmacsha256_state *st, const uint8_t *key,
                       size_t keylen);
void sc_hmac256ni_update(crypto_auth_hmacsha256_state *st, const void *data,
                         size_t len);
void sc_hmac256ni_final(crypto_auth_hmacsha256_state *st, uint8_t out[32]);

#endif
