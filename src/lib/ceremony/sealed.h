/* Scrutin internal: files encrypted at rest under a passphrase
 * (argon2id crypto_pwhash -> crypto_secretbox). */
#ifndef SC_CEREMONY_SEALED_H
#define SC_CEREMONY_SEALED_H

#include <stddef.h>
#include <stdint.h>

#include "scrutin/ceremony.h"
#include "scrutin/status.h"

/** Seal plaintext (len bytes) under pass and write path (mode 0600,
 *  atomically). `kind` is a public label stored in the envelope. */
SC_MUST_USE sc_status sc_sealed_write(const char *path, const char *kind,
                                      const uint8_t *plain, size_t len,
                                      const char *pass, size_t pass_len,
                                      sc_kdf_level level);
/** Open: *plain is sodium_malloc'd (caller sc_sealed_free). SC_E_AUTH if
 *  the MAC fails (wrong passphrase, modified file). *level (may be NULL)
 *  gets the sc_kdf_level the file was sealed with. */
SC_MUST_USE sc_status sc_sealed_read(const char *path, const char *kind,
                                     const char *pass, size_t pass_len,
                                     uint8_t **plain, size_t *len, int *level);
void sc_sealed_free(uint8_t *plain, size_t len);
/** Tests only: on != 0 lets sc_sealed_read accept a KDF cost below the
 *  INTERACTIVE level (down to libsodium's minimum), which it otherwise
 *  refuses (SC_E_INVALID_RANGE): the fuzz target seals at the minimum. */
void sc_sealed_allow_test_kdf(int on);

/* A tiny byte writer/reader over a sodium_malloc'd buffer. */
typedef struct sc_bbuf {
    uint8_t *p;
    size_t len, cap;
    int err;
} sc_bbuf;
SC_MUST_USE sc_status sc_bbuf_init(sc_bbuf *b, size_t cap);
void sc_bbuf_free(sc_bbuf *b); /* wipes */
void sc_bbuf_put(sc_bbuf *b, const void *d, size_t n);
void sc_bbuf_u32(sc_bbuf *b, uint32_t x);

typedef struct sc_brd {
    const uint8_t *p;
    size_t len, off;
    int err;
} sc_brd;
void sc_brd_get(sc_brd *r, void *d, size_t n);
uint32_t sc_brd_u32(sc_brd *r);

#endif
