/* Files encrypted at rest under a passphrase.
 *
 * Envelope (public, JSON): {"format":"scrutin-sealed","version":1,
 * "kind":K,"kdf":"argon2id13","opslimit":N,"memlimit":N,"salt":hex,
 * "nonce":hex,"box":hex}. The key is crypto_pwhash(argon2id13) of the
 * passphrase with the salt; box = crypto_secretbox_easy(plaintext). The
 * plaintext starts with the kind again, so a box cannot be passed off as
 * another kind. Any change to the box, salt, nonce or limits makes the
 * MAC fail (SC_E_AUTH). */
#include "ceremony/sealed.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ceremony/jsonio.h"
#include "scrutin/core.h"

#define SEALED_FORMAT "scrutin-sealed"

static void limits(sc_kdf_level level, unsigned long long *ops, size_t *mem)
{
    if (level == SC_KDF_MODERATE) {
        *ops = crypto_pwhash_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_MEMLIMIT_MODERATE;
    } else {
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

sc_status sc_sealed_write(const char *path, const char *kind,
                          const uint8_t *plain, size_t len, const char *pass,
                          size_t pass_len, sc_kdf_level level)
{
    sc_status rc = SC_OK;
    uint8_t *key = NULL, *msg = NULL, *box = NULL;
    json_t *env = NULL;
    size_t klen = strlen(kind);
    size_t mlen = klen + 1 + len;
    uint8_t salt[crypto_pwhash_SALTBYTES];
    uint8_t nonce[crypto_secretbox_NONCEBYTES];
    unsigned long long ops;
    size_t mem;
    limits(level, &ops, &mem);

    SC_ENSURE(path != NULL && kind != NULL && pass != NULL, SC_E_MISUSE);
    key = sodium_malloc(crypto_secretbox_KEYBYTES);
    msg = sodium_malloc(mlen);
    box = malloc(mlen + crypto_secretbox_MACBYTES);
    SC_ENSURE(key != NULL && msg != NULL && box != NULL, SC_E_NOMEM);
    memcpy(msg, kind, klen);
    msg[klen] = 0;
    if (len > 0) {
        memcpy(msg + klen + 1, plain, len);
    }
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    SC_ENSURE(crypto_pwhash(key, crypto_secretbox_KEYBYTES, pass, pass_len,
                            salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) == 0,
              SC_E_NOMEM);
    crypto_secretbox_easy(box, msg, mlen, nonce, key);
    env = json_pack("{s:s,s:i,s:s,s:s,s:I,s:I}", "format", SEALED_FORMAT,
                    "version", 1, "kind", kind, "kdf", "argon2id13", "opslimit",
                    (json_int_t)ops, "memlimit", (json_int_t)mem);
    SC_ENSURE(env != NULL, SC_E_NOMEM);
    SC_ENSURE(json_object_set_new(env, "salt",
                                  sc_jio_bytes(salt, sizeof salt)) == 0 &&
                  json_object_set_new(env, "nonce",
                                      sc_jio_bytes(nonce, sizeof nonce)) == 0 &&
                  json_object_set_new(
                      env, "box",
                      sc_jio_bytes(box, mlen + crypto_secretbox_MACBYTES)) == 0,
              SC_E_NOMEM);
    SC_CHECK(sc_jio_write_json(path, env, 0600));
done:
    if (key != NULL) {
        sodium_free(key);
    }
    if (msg != NULL) {
        sodium_free(msg);
    }
    free(box);
    json_decref(env);
    return rc;
}

/* Tests only (the sealed-secret fuzz target): accept a KDF cost below
 * libsodium's INTERACTIVE limits, down to its minimum. */
static int test_kdf;

void sc_sealed_allow_test_kdf(int on)
{
    test_kdf = on != 0;
}

sc_status sc_sealed_read(const char *path, const char *kind, const char *pass,
                         size_t pass_len, uint8_t **plain, size_t *len,
                         int *level)
{
    sc_status rc = SC_OK;
    json_t *env = NULL;
    uint8_t *key = NULL, *msg = NULL, *box = NULL;
    size_t blen = 0, mlen = 0;
    uint8_t salt[crypto_pwhash_SALTBYTES];
    uint8_t nonce[crypto_secretbox_NONCEBYTES];
    uint64_t ops = 0, mem = 0;
    *plain = NULL;
    *len = 0;

    SC_CHECK(sc_jio_load(path, &env));
    const char *fmt = json_string_value(json_object_get(env, "format"));
    const char *k = json_string_value(json_object_get(env, "kind"));
    const char *kdf = json_string_value(json_object_get(env, "kdf"));
    if (fmt == NULL || strcmp(fmt, SEALED_FORMAT) != 0) {
        rc = sc_jio_fail(SC_E_INVALID_JSON,
                         "%s: format: not a scrutin "
                         "sealed file",
                         path);
        goto done;
    }
    if (k == NULL || strcmp(k, kind) != 0) {
        rc = sc_jio_fail(SC_E_INVALID, "%s: kind: expected \"%s\"", path, kind);
        goto done;
    }
    if (kdf == NULL || strcmp(kdf, "argon2id13") != 0) {
        rc = sc_jio_fail(SC_E_INVALID, "%s: kdf: unsupported", path);
        goto done;
    }
    SC_CHECK(sc_jio_get_u64(env, "opslimit", &ops, path));
    SC_CHECK(sc_jio_get_u64(env, "memlimit", &mem, path));
    if (!test_kdf && (ops < crypto_pwhash_OPSLIMIT_INTERACTIVE ||
                      mem < crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
        /* scrutin never writes less; only the fuzz target reads less */
        rc = sc_jio_fail(SC_E_INVALID_RANGE,
                         "%s: opslimit/memlimit: below the interactive "
                         "level (test parameters)",
                         path);
        goto done;
    }
    if (ops < crypto_pwhash_OPSLIMIT_MIN ||
        ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
        mem < crypto_pwhash_MEMLIMIT_MIN ||
        mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
        rc = sc_jio_fail(SC_E_INVALID_RANGE,
                         "%s: opslimit/memlimit: out "
                         "of range",
                         path);
        goto done;
    }
    SC_CHECK(sc_jio_get_bytes(env, "salt", salt, sizeof salt, path));
    SC_CHECK(sc_jio_get_bytes(env, "nonce", nonce, sizeof nonce, path));
    const json_t *b = json_object_get(env, "box");
    if (!json_is_string(b) || json_string_length(b) % 2 != 0 ||
        json_string_length(b) / 2 < crypto_secretbox_MACBYTES + 1) {
        rc = sc_jio_fail(SC_E_AUTH, "%s: box: damaged", path);
        goto done;
    }
    blen = json_string_length(b) / 2;
    box = malloc(blen);
    SC_ENSURE(box != NULL, SC_E_NOMEM);
    if (sc_hex_decode(box, blen, json_string_value(b), 2 * blen) != SC_OK) {
        rc = sc_jio_fail(SC_E_AUTH, "%s: box: damaged", path);
        goto done;
    }
    mlen = blen - crypto_secretbox_MACBYTES;
    key = sodium_malloc(crypto_secretbox_KEYBYTES);
    msg = sodium_malloc(mlen);
    SC_ENSURE(key != NULL && msg != NULL, SC_E_NOMEM);
    SC_ENSURE(crypto_pwhash(key, crypto_secretbox_KEYBYTES, pass, pass_len,
                            salt, ops, (size_t)mem,
                            crypto_pwhash_ALG_ARGON2ID13) == 0,
              SC_E_NOMEM);
    if (crypto_secretbox_open_easy(msg, box, blen, nonce, key) != 0) {
        rc = sc_jio_fail(SC_E_AUTH,
                         "%s: wrong passphrase, or the file was "
                         "modified",
                         path);
        goto done;
    }
    size_t klen = strlen(kind);
    if (mlen < klen + 1 || memcmp(msg, kind, klen) != 0 || msg[klen] != 0) {
        rc = sc_jio_fail(SC_E_AUTH, "%s: contents are not a %s", path, kind);
        goto done;
    }
    *len = mlen - klen - 1;
    *plain = sodium_malloc(*len == 0 ? 1 : *len);
    SC_ENSURE(*plain != NULL, SC_E_NOMEM);
    memcpy(*plain, msg + klen + 1, *len);
    if (level != NULL) {
        *level = ops <= crypto_pwhash_OPSLIMIT_INTERACTIVE &&
                         mem <= crypto_pwhash_MEMLIMIT_INTERACTIVE
                     ? SC_KDF_INTERACTIVE
                     : SC_KDF_MODERATE;
    }
done:
    if (key != NULL) {
        sodium_free(key);
    }
    if (msg != NULL) {
        sodium_free(msg);
    }
    free(box);
    json_decref(env);
    return rc;
}

void sc_sealed_free(uint8_t *plain, size_t len)
{
    (void)len;
    if (plain != NULL) {
        sodium_free(plain); /* sodium_free wipes */
    }
}

sc_status sc_bbuf_init(sc_bbuf *b, size_t cap)
{
    b->p = sodium_malloc(cap);
    b->len = 0;
    b->cap = cap;
    b->err = b->p == NULL;
    return b->p == NULL ? SC_E_NOMEM : SC_OK;
}

void sc_bbuf_free(sc_bbuf *b)
{
    if (b->p != NULL) {
        sodium_free(b->p);
    }
    b->p = NULL;
}

void sc_bbuf_put(sc_bbuf *b, const void *d, size_t n)
{
    if (b->err || b->cap - b->len < n) {
        b->err = 1;
        return;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

void sc_bbuf_u32(sc_bbuf *b, uint32_t x)
{
    uint8_t t[4] = {(uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8),
                    (uint8_t)x};
    sc_bbuf_put(b, t, 4);
}

void sc_brd_get(sc_brd *r, void *d, size_t n)
{
    if (r->err || r->len - r->off < n) {
        r->err = 1;
        memset(d, 0, n);
        return;
    }
    memcpy(d, r->p + r->off, n);
    r->off += n;
}

uint32_t sc_brd_u32(sc_brd *r)
{
    uint8_t t[4];
    sc_brd_get(r, t, 4);
    return ((uint32_t)t[0] << 24) | ((uint32_t)t[1] << 16) |
           ((uint32_t)t[2] << 8) | t[3];
}
