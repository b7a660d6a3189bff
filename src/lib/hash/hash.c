/* H = HMAC-SHA-256 (spec eq 130), H_q (eq 132), the §5.1 encodings and the
 * SP 800-108 KDF block. See scrutin/hash.h. */
#include <string.h>

#include "hash/sha256ni.h"
#include "scrutin/core.h"
#include "scrutin/hash.h"

/* The HMAC of every sc_hash: on the SHA extensions where the CPU has them
 * (sha256ni.c), else libsodium's. A state is finished by the path that
 * started it: the choice is made once per process. */
static void hm_init(crypto_auth_hmacsha256_state *st,
                    const uint8_t key[SC_HASH_BYTES])
{
    if (sc_sha256ni_on()) {
        sc_hmac256ni_init(st, key, SC_HASH_BYTES);
    } else {
        crypto_auth_hmacsha256_init(st, key, SC_HASH_BYTES);
    }
}

static void hm_update(crypto_auth_hmacsha256_state *st, const void *data,
                      size_t len)
{
    if (sc_sha256ni_on()) {
        sc_hmac256ni_update(st, data, len);
    } else {
        crypto_auth_hmacsha256_update(st, data, len);
    }
}

static void hm_final(crypto_auth_hmacsha256_state *st,
                     uint8_t out[SC_HASH_BYTES])
{
    if (sc_sha256ni_on()) {
        sc_hmac256ni_final(st, out);
    } else {
        crypto_auth_hmacsha256_final(st, out);
    }
}

void sc_hash_init_raw(sc_hash *h, const sc_group *grp,
                      const uint8_t key[SC_HASH_BYTES])
{
    h->grp = grp;
    hm_init(&h->st, key);
}

void sc_hash_init(sc_hash *h, const sc_group *grp,
                  const uint8_t key[SC_HASH_BYTES], uint8_t domain)
{
    sc_hash_init_raw(h, grp, key);
    hm_update(&h->st, &domain, 1);
}

void sc_hash_bytes(sc_hash *h, const void *data, size_t len)
{
    if (len > 0) {
        hm_update(&h->st, data, len);
    }
}

void sc_hash_u32(sc_hash *h, uint32_t x)
{
    uint8_t b[4] = {(uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8),
                    (uint8_t)x};
    sc_hash_bytes(h, b, 4);
}

static void hash_fixed(sc_hash *h, const mpz_t x, size_t width)
{
    uint8_t buf[1024];
    if (width > sizeof buf || sc_mpz_encode(buf, width, x) != SC_OK) {
        /* Out of range: hash a value no valid input can produce, so the
         * result cannot collide with an honest one. Callers range-check
         * everything they decode; this is a last line of defence. */
        memset(buf, 0xff, width < sizeof buf ? width : sizeof buf);
    }
    sc_hash_bytes(h, buf, width);
    sc_wipe(buf, width < sizeof buf ? width : sizeof buf);
}

void sc_hash_elem(sc_hash *h, const mpz_t x)
{
    hash_fixed(h, x, h->grp->lp);
}

void sc_hash_scalar(sc_hash *h, const mpz_t x)
{
    hash_fixed(h, x, h->grp->lq);
}

void sc_hash_u256(sc_hash *h, const mpz_t x)
{
    hash_fixed(h, x, 32);
}

void sc_hash_lstr(sc_hash *h, const void *data, size_t len)
{
    sc_hash_u32(h, (uint32_t)len);
    sc_hash_bytes(h, data, len);
}

void sc_hash_final(sc_hash *h, uint8_t out[SC_HASH_BYTES])
{
    hm_final(&h->st, out);
    sc_wipe(&h->st, sizeof h->st);
}

void sc_digest_to_mpz(mpz_t out, const uint8_t d[SC_HASH_BYTES])
{
    mpz_import(out, SC_HASH_BYTES, 1, 1, 1, 0, d);
}

void sc_hash_final_q(sc_hash *h, mpz_t out)
{
    uint8_t d[SC_HASH_BYTES];
    const sc_group *grp = h->grp;
    sc_hash_final(h, d);
    sc_digest_to_mpz(out, d);
    mpz_mod(out, out, grp->q); /* SPEC eq 132 */
    sc_wipe(d, sizeof d);
}

void sc_hmac(uint8_t out[SC_HASH_BYTES], const uint8_t key[SC_HASH_BYTES],
             const void *msg, size_t len)
{
    crypto_auth_hmacsha256_state st;
    hm_init(&st, key);
    if (len > 0) {
        hm_update(&st, msg, len);
    }
    hm_final(&st, out);
    sc_wipe(&st, sizeof st);
}

static void put_be(uint8_t *out, uint32_t x, size_t width)
{
    for (size_t i = 0; i < width; i++) {
        out[width - 1 - i] = (uint8_t)(x >> (8 * i));
    }
}

void sc_kdf_block(uint8_t out[SC_HASH_BYTES], const uint8_t key[SC_HASH_BYTES],
                  uint32_t i, size_t i_width, const void *label,
                  size_t label_len, const void *context, size_t context_len,
                  uint32_t L_bits, size_t L_width)
{
    /* SPEC eq 17, 18, 36, 66: HMAC(k, i ‖ Label ‖ 0x00 ‖ Context ‖ L). */
    uint8_t ib[4];
    uint8_t lb[4];
    uint8_t zero = 0;
    sc_hash h;
    put_be(ib, i, i_width > 4 ? 4 : i_width);
    put_be(lb, L_bits, L_width > 4 ? 4 : L_width);
    sc_hash_init_raw(&h, NULL, key);
    sc_hash_bytes(&h, ib, i_width > 4 ? 4 : i_width);
    sc_hash_bytes(&h, label, label_len);
    sc_hash_bytes(&h, &zero, 1);
    sc_hash_bytes(&h, context, context_len);
    sc_hash_bytes(&h, lb, L_width > 4 ? 4 : L_width);
    sc_hash_final(&h, out);
}
