/* Sealed Ed25519 keys: see scrutin/edkey.h. */
#include "scrutin/edkey.h"

#include <sodium.h>
#include <string.h>

#include "ceremony/sealed.h"

sc_status sc_edkey_save(const char *path, const char *kind,
                        const uint8_t sk[64], const char *pass, size_t pass_len,
                        sc_kdf_level level)
{
    if (path == NULL || kind == NULL || sk == NULL || pass == NULL) {
        return SC_E_MISUSE;
    }
    return sc_sealed_write(path, kind, sk, 64, pass, pass_len, level);
}

sc_status sc_edkey_load(const char *path, const char *kind, const char *pass,
                        size_t pass_len, uint8_t sk[64], uint8_t pk[32])
{
    if (path == NULL || kind == NULL || sk == NULL || pass == NULL) {
        return SC_E_MISUSE;
    }
    uint8_t *plain = NULL;
    size_t len = 0;
    sc_status rc =
        sc_sealed_read(path, kind, pass, pass_len, &plain, &len, NULL);
    if (rc != SC_OK) {
        return rc;
    }
    if (len != 64) {
        sc_sealed_free(plain, len);
        return SC_E_INVALID;
    }
    /* The public half is the last 32 bytes; check it matches the seed. */
    uint8_t pk2[32];
    crypto_sign_ed25519_sk_to_pk(pk2, plain);
    uint8_t seed[32], pk3[32];
    uint8_t *sk3 = sodium_malloc(64);
    if (sk3 == NULL) {
        sc_sealed_free(plain, len);
        return SC_E_NOMEM;
    }
    crypto_sign_ed25519_sk_to_seed(seed, plain);
    crypto_sign_seed_keypair(pk3, sk3, seed);
    sodium_memzero(seed, sizeof seed);
    int ok = sodium_memcmp(pk3, pk2, 32) == 0;
    sodium_free(sk3);
    if (!ok) {
        sc_sealed_free(plain, len);
        return SC_E_INVALID;
    }
    memcpy(sk, plain, 64);
    if (pk != NULL) {
        memcpy(pk, pk2, 32);
    }
    sc_sealed_free(plain, len);
    return SC_OK;
}
