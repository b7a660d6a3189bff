/* Fuzz target: files encrypted under a passphrase (src/lib/ceremony/
 * sealed.c) and what they hold: the guardian secret (sc_secret_load,
 * scrutin/ceremony.h) and the decryption state (sc_dec_state_load,
 * scrutin/decrypt.h). Group toy-q64.
 *
 * The MAC stops every mutation of a sealed file, so the target seals the
 * fuzz input itself (argon2id at its minimum cost, accepted by the reader
 * only after sc_sealed_allow_test_kdf; fixed salt and nonce:
 * deterministic and fast) and then reads it back:
 *
 *   byte 0, bit 0: 0 guardian secret, 1 decryption state
 *   byte 0, bit 1: 0 = the rest is the PLAINTEXT, sealed here under
 *                  "pass"; 1 = the rest is the ENVELOPE itself (JSON),
 *                  read as is (skipped if it asks for a costlier KDF than
 *                  the minimum, to stay fast: see the bug list in
 *                  crashes/README.md about the cost bound)
 *   byte 0, bit 2: the rest is a passphrase FILE (mode 0600) read by
 *                  sc_passphrase_read: its result must be the first line
 *                  (one CR dropped), 1..1023 bytes, and nothing may follow
 *                  its newline; or an error
 *   byte 0, bits 3-5: which of the refusals below this input checks
 *                  (one per input: each costs a KDF run and a guarded
 *                  allocation, and libFuzzer varies the bits): 0 the
 *                  wrong passphrase, 1 the other kind's reader, 2-3 with
 *                  bit 5 a modified box, salt or nonce or a truncation
 *   byte 1:        which byte of the box / salt to modify
 *
 * Invariants: the right passphrase gives SC_OK or SC_E_INVALID with a
 * message (a damaged plaintext is never accepted half-read; an accepted
 * secret has 1 <= k <= n, 1 <= i <= n, the phase's scalars in Z_q); a
 * wrong passphrase, a modified box, salt or nonce, a truncated box and the
 * other kind's file give SC_E_AUTH or another error, never SC_OK and never
 * a crash.
 *
 * Speed (issue 12 item 11): the sealing key is derived once (fixed
 * passphrase and salt), and each input checks the right passphrase plus
 * one refusal, picked by byte 0: hundreds of inputs per second instead of
 * thirteen KDF runs per input. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "ceremony/jsonio.h"
#include "ceremony/sealed.h"
#include "fuzz_util.h"
#include "scrutin/ceremony.h"
#include "scrutin/decrypt.h"

#define OPS crypto_pwhash_OPSLIMIT_MIN
#define MEM crypto_pwhash_MEMLIMIT_MIN

static const char *const kinds[2] = {"guardian-secret", "decrypt-state"};

/* Seal plain under pass as sealed.c does, at the minimum KDF cost. */
static char *seal(const char *kind, const uint8_t *plain, size_t len,
                  const char *pass, int tamper, unsigned where)
{
    uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
    uint8_t key[crypto_secretbox_KEYBYTES];
    memset(salt, 0x5A, sizeof salt);
    memset(nonce, 0xA5, sizeof nonce);
    size_t kl = strlen(kind), ml = kl + 1 + len;
    uint8_t *msg = malloc(ml), *box = malloc(ml + crypto_secretbox_MACBYTES);
    FZ_ASSERT(msg != NULL && box != NULL);
    memcpy(msg, kind, kl + 1);
    if (len > 0) {
        memcpy(msg + kl + 1, plain, len);
    }
    /* every file here is sealed under "pass" and the salt above: the key
     * is derived once (the salt is modified below, after sealing) */
    static uint8_t pass_key[crypto_secretbox_KEYBYTES];
    static int have_key;
    FZ_ASSERT(strcmp(pass, "pass") == 0);
    if (!have_key) {
        FZ_ASSERT(crypto_pwhash(pass_key, sizeof pass_key, pass, strlen(pass),
                                salt, OPS, MEM,
                                crypto_pwhash_ALG_ARGON2ID13) == 0);
        have_key = 1;
    }
    memcpy(key, pass_key, sizeof key);
    crypto_secretbox_easy(box, msg, ml, nonce, key);
    size_t bl = ml + crypto_secretbox_MACBYTES;
    switch (tamper) {
    case 1: box[where % bl] ^= 0x01; break;             /* modified box */
    case 2: salt[where % sizeof salt] ^= 0x80; break;   /* modified salt */
    case 3: nonce[where % sizeof nonce] ^= 0x40; break; /* modified nonce */
    case 4: bl = where % bl; break;                     /* truncated box */
    default: break;
    }
    char *hs = malloc(2 * sizeof salt + 1), *hn = malloc(2 * sizeof nonce + 1);
    char *hb = malloc(2 * bl + 1);
    FZ_ASSERT(hs != NULL && hn != NULL && hb != NULL);
    sc_hex_encode(hs, salt, sizeof salt);
    sc_hex_encode(hn, nonce, sizeof nonce);
    sc_hex_encode(hb, box, bl);
    size_t cap = 2 * bl + 512;
    char *env = malloc(cap);
    FZ_ASSERT(env != NULL);
    snprintf(env, cap,
             "{\"format\":\"scrutin-sealed\",\"version\":1,\"kind\":\"%s\","
             "\"kdf\":\"argon2id13\",\"opslimit\":%llu,\"memlimit\":%llu,"
             "\"salt\":\"%s\",\"nonce\":\"%s\",\"box\":\"%s\"}\n",
             kind, (unsigned long long)OPS, (unsigned long long)MEM, hs, hn,
             hb);
    free(hs);
    free(hn);
    free(hb);
    sodium_memzero(msg, ml);
    free(msg);
    free(box);
    return env;
}

static sc_status load(int which, const sc_group *g, const char *path,
                      const char *pass, int check)
{
    sc_jio_clear();
    sc_status rc;
    if (which == 0) {
        sc_guardian_secret *s = NULL;
        rc = sc_secret_load(&s, g, NULL, path, pass, strlen(pass));
        if (rc == SC_OK) {
            FZ_ASSERT(s != NULL);
            FZ_ASSERT(s->k >= 1 && s->k <= s->n && s->i >= 1 && s->i <= s->n);
            FZ_ASSERT(strcmp(s->group, g->name) == 0);
            if (check && s->phase == SC_PHASE_KEYS) {
                for (uint32_t j = 0; j < s->k; j++) {
                    FZ_ASSERT(sc_scalar_in_range(g, s->a[j]));
                    FZ_ASSERT(sc_scalar_in_range(g, s->ahat[j]));
                }
                FZ_ASSERT(sc_scalar_in_range(g, s->zeta));
            } else if (check) {
                FZ_ASSERT(s->phase == SC_PHASE_SHARES);
                FZ_ASSERT(sc_scalar_in_range(g, s->z));
                FZ_ASSERT(sc_scalar_in_range(g, s->zhat));
            }
            sc_guardian_secret_free(s);
        } else {
            FZ_ASSERT(s == NULL);
        }
    } else {
        sc_dec_state *st = NULL;
        rc = sc_dec_state_load(&st, path, pass, strlen(pass));
        if (rc == SC_OK) {
            FZ_ASSERT(st != NULL && st->nu >= 1);
            sc_dec_state_free(st);
        } else {
            FZ_ASSERT(st == NULL);
        }
    }
    if (rc != SC_OK && SC_STATUS_CLASS(rc) != SC_E_NOMEM) {
        FZ_ASSERT(sc_ceremony_errdetail()[0] != '\0');
    }
    return rc;
}

/* Envelopes asking for more than the minimum KDF cost are skipped. */
static int cheap(const uint8_t *data, size_t size)
{
    json_t *j = json_loadb((const char *)data, size, 0, NULL);
    if (j == NULL) {
        return 1;
    }
    json_t *o = json_object_get(j, "opslimit"),
           *m = json_object_get(j, "memlimit");
    int ok =
        !(json_is_integer(o) && json_integer_value(o) > (json_int_t)OPS) &&
        !(json_is_integer(m) && json_integer_value(m) > (json_int_t)MEM * 4);
    json_decref(j);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    const sc_group *g = fz_group(SC_GROUP_TOY_Q64);
    sc_sealed_allow_test_kdf(1); /* argon2id at its minimum: fast */
    int which = data[0] & 1, raw = (data[0] >> 1) & 1;
    unsigned where = data[1];
    data += 2;
    size -= 2;
    const char *dir = fz_reset();
    char path[256];
    snprintf(path, sizeof path, "%s/f.secret", dir);

    if (data[-2] & 4) {
        FZ_ASSERT(fz_write(dir, "pass.txt", data, size) == 0);
        char pp[256];
        snprintf(pp, sizeof pp, "%s/pass.txt", dir);
        FZ_ASSERT(chmod(pp, 0600) == 0);
        char *pw = NULL;
        size_t pl = 0;
        sc_jio_clear();
        sc_status rc = sc_passphrase_read(pp, NULL, 0, &pw, &pl);
        const uint8_t *nl = memchr(data, '\n', size);
        size_t line = nl != NULL ? (size_t)(nl - data) : size;
        if (line > 0 && data[line - 1] == '\r') {
            line--;
        }
        if (rc == SC_OK) {
            FZ_ASSERT(pw != NULL && pl >= 1 && pl < 1024 && pl == line);
            FZ_ASSERT(memcmp(pw, data, pl) == 0 && pw[pl] == '\0');
            sc_passphrase_free(pw);
        } else {
            /* refused: empty, too long, or more after the first line */
            size_t after = nl != NULL ? size - (size_t)(nl - data) - 1 : 0;
            FZ_ASSERT(pw == NULL && pl == 0);
            FZ_ASSERT(line == 0 || line >= 1023 || after > 0);
            FZ_ASSERT(sc_ceremony_errdetail()[0] != '\0');
        }
        return 0;
    }
    if (raw) {
        if (!cheap(data, size)) {
            return 0;
        }
        FZ_ASSERT(fz_write(dir, "f.secret", data, size) == 0);
        (void)load(which, g, path, "pass", 1);
        return 0;
    }
    char *env = seal(kinds[which], data, size, "pass", 0, where);
    FZ_ASSERT(fz_write(dir, "f.secret", env, strlen(env)) == 0);
    sc_status rc = load(which, g, path, "pass", 1);
    FZ_ASSERT(rc == SC_OK || SC_STATUS_CLASS(rc) == SC_E_INVALID);
    free(env);
    /* one refusal per input (byte 0, bits 3-5) */
    switch ((data[-2] >> 3) & 3) {
    case 0: /* the wrong passphrase */
        FZ_ASSERT(load(which, g, path, where & 1 ? "" : "pasS", 0) ==
                  SC_E_AUTH);
        break;
    case 1: /* the other kind's reader refuses it */
        FZ_ASSERT(load(!which, g, path, "pass", 0) != SC_OK);
        break;
    default: { /* a modified box, salt or nonce, or a truncated box */
        int t = 1 + ((data[-2] >> 3) & 1) * 2 + ((data[-2] >> 5) & 1);
        env = seal(kinds[which], data, size, "pass", t, where);
        FZ_ASSERT(fz_write(dir, "f.secret", env, strlen(env)) == 0);
        rc = load(which, g, path, "pass", 0);
        FZ_ASSERT(rc != SC_OK);
        FZ_ASSERT(rc == SC_E_AUTH || t == 4);
        free(env);
        break;
    }
    }
    return 0;
}
