/* Scrutin: the ElectionGuard hash function (spec §5).
 *
 * H(B0; B1) = HMAC-SHA-256(B0, B1), B0 always 32 bytes (eq 130);
 * H_q(B0; B1) = H(B0; B1) mod q (eq 132). B1 is the domain-separation byte
 * followed by the fixed-width encodings of §5.1, with no separators.
 *
 * The incremental builder below is the only way hash inputs are formed.
 * The per-equation functions of §5.5 (one per domain byte) live in
 * scrutin/eghash.h and are built on it. */
#ifndef SCRUTIN_HASH_H
#define SCRUTIN_HASH_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>
#include <sodium.h>

#include "scrutin/group.h"
#include "scrutin/status.h"

#define SC_HASH_BYTES 32

typedef struct sc_hash {
    crypto_auth_hmacsha256_state st;
    const sc_group *grp; /* for element/scalar widths; may be NULL if unused */
} sc_hash;

/** Start H(key; domain ‖ ...). */
SC_API void sc_hash_init(sc_hash *h, const sc_group *grp,
                         const uint8_t key[SC_HASH_BYTES], uint8_t domain);
/** Start H(key; ...) with no domain byte (for the KDF blocks). */
SC_API void sc_hash_init_raw(sc_hash *h, const sc_group *grp,
                             const uint8_t key[SC_HASH_BYTES]);
SC_API void sc_hash_bytes(sc_hash *h, const void *data, size_t len);
/** b(x, 4), big-endian (indices, counts: x < 2^31 in the spec). */
SC_API void sc_hash_u32(sc_hash *h, uint32_t x);
/** b(x, lp): an element of Z_p. */
SC_API void sc_hash_elem(sc_hash *h, const mpz_t x);
/** b(x, lq): an element of Z_q. */
SC_API void sc_hash_scalar(sc_hash *h, const mpz_t x);
/** b(x, 32): a 256-bit value that keeps 32 bytes in every group (id_B,
 *  xi_B; AMBIGUITIES 11). x must be < 2^256. */
SC_API void sc_hash_u256(sc_hash *h, const mpz_t x);
/** b(len, 4) ‖ bytes: a variable-length string or file (§5.1.5). */
SC_API void sc_hash_lstr(sc_hash *h, const void *data, size_t len);
/** Finish: 32-byte digest. Wipes the state. */
SC_API void sc_hash_final(sc_hash *h, uint8_t out[SC_HASH_BYTES]);
/** Finish: H_q = int(digest) mod q (eq 132). Wipes the state. */
SC_API void sc_hash_final_q(sc_hash *h, mpz_t out);

/** One-shot H(key; msg). */
SC_API void sc_hmac(uint8_t out[SC_HASH_BYTES],
                    const uint8_t key[SC_HASH_BYTES], const void *msg,
                    size_t len);

/** The KDF of NIST SP 800-108r1 in counter mode with HMAC-SHA-256, as the
 *  spec uses it: one 32-byte block
 *  HMAC(key, b(i, i_width) ‖ label ‖ 0x00 ‖ context ‖ b(L, L_width)).
 *  Eq 17-18 and 36 use i_width 1, L_width 2 (0x01 ... 0x0200); eq 66 and
 *  104 use i_width 4, L_width 4. */
SC_API void sc_kdf_block(uint8_t out[SC_HASH_BYTES],
                         const uint8_t key[SC_HASH_BYTES], uint32_t i,
                         size_t i_width, const void *label, size_t label_len,
                         const void *context, size_t context_len,
                         uint32_t L_bits, size_t L_width);

/** Interpret a 32-byte digest as an integer (big-endian). */
SC_API void sc_digest_to_mpz(mpz_t out, const uint8_t d[SC_HASH_BYTES]);

#endif
