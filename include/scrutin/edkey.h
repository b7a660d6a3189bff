/* Scrutin: Ed25519 signing keys sealed at rest (board, authority, device
 * and witness keys of docs/BOARD.md §2), in the same sealed-file format
 * as a guardian's secrets (argon2id -> crypto_secretbox). */
#ifndef SCRUTIN_EDKEY_H
#define SCRUTIN_EDKEY_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/ceremony.h"
#include "scrutin/status.h"

/** Seal the 64-byte libsodium secret key sk under pass into path (mode
 *  0600, atomic). `kind` is a public label ("scrutin board key") checked
 *  again at load. */
SC_API SC_MUST_USE sc_status sc_edkey_save(const char *path, const char *kind,
                                           const uint8_t sk[64],
                                           const char *pass, size_t pass_len,
                                           sc_kdf_level level);
/** Open a sealed key: sk (caller storage, best sodium_malloc'd; wipe
 *  after use) gets the 64-byte secret key, pk (may be NULL) its public
 *  key. SC_E_AUTH: wrong passphrase or modified file; SC_E_INVALID: not a
 *  key of this kind. */
SC_API SC_MUST_USE sc_status sc_edkey_load(const char *path, const char *kind,
                                           const char *pass, size_t pass_len,
                                           uint8_t sk[64], uint8_t pk[32]);

#endif
