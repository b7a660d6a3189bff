/* Ballot labels (docs/RECORD.md): unique in an election, no control
 * characters. A set of 32-byte keys (open addressing): labels by their
 * prefixed SHA-256, and ids (the verifier's id_B, 5.A) as they are. */
#include "scrutin/record.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct sc_labelset {
    uint8_t (*k)[32];
    uint8_t *used;
    size_t cap, n;
};

sc_status sc_labelset_new(sc_labelset **out)
{
    *out = calloc(1, sizeof **out);
    return *out != NULL ? SC_OK : SC_E_NOMEM;
}

void sc_labelset_free(sc_labelset *s)
{
    if (s != NULL) {
        free(s->k);
        free(s->used);
        free(s);
    }
}

/* Slot of a key: its first 8 bytes, multiplied (Fibonacci hashing). */
static uint64_t slot(const uint8_t h[32])
{
    uint64_t x = 0;
    for (int i = 0; i < 8; i++) {
        x = x << 8 | h[i];
    }
    return x * 0x9E3779B97F4A7C15ull;
}

int sc_labelset_add_key(sc_labelset *s, const uint8_t h[32])
{
    if (s == NULL) {
        return -1;
    }
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap ? 2 * s->cap : 1024;
        sc_labelset t = {calloc(ncap, 32), calloc(ncap, 1), ncap, 0};
        if (t.k == NULL || t.used == NULL) {
            free(t.k);
            free(t.used);
            return -1;
        }
        for (size_t i = 0; i < s->cap; i++) {
            if (s->used[i]) {
                (void)sc_labelset_add_key(&t, s->k[i]);
            }
        }
        free(s->k);
        free(s->used);
        *s = t;
    }
    size_t m = s->cap - 1;
    for (size_t i = (size_t)slot(h) & m;; i = (i + 1) & m) {
        if (!s->used[i]) {
            s->used[i] = 1;
            memcpy(s->k[i], h, 32);
            s->n++;
            return 1;
        }
        if (memcmp(s->k[i], h, 32) == 0) {
            return 0;
        }
    }
}

int sc_labelset_has_key(const sc_labelset *s, const uint8_t h[32])
{
    if (s == NULL || s->cap == 0) {
        return 0;
    }
    size_t m = s->cap - 1;
    for (size_t i = (size_t)slot(h) & m; s->used[i]; i = (i + 1) & m) {
        if (memcmp(s->k[i], h, 32) == 0) {
            return 1;
        }
    }
    return 0;
}

int sc_labelset_add(sc_labelset *s, const char *label)
{
    /* SHA-256 of a prefixed label: another domain than the ids of
     * sc_labelset_add_key, so that one set can hold both */
    crypto_hash_sha256_state hs;
    uint8_t h[32];
    crypto_hash_sha256_init(&hs);
    crypto_hash_sha256_update(&hs, (const uint8_t *)"scrutin-label", 14);
    crypto_hash_sha256_update(&hs, (const uint8_t *)label, strlen(label));
    crypto_hash_sha256_final(&hs, h);
    return sc_labelset_add_key(s, h);
}

int sc_label_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (*p == '\0') {
        return 0;
    }
    for (; *p != '\0'; p++) {
        /* C0 controls and DEL; C1 controls (U+0080-U+009F: C2 80-9F) */
        if (*p < 0x20 || *p == 0x7F ||
            (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)) {
            return 0;
        }
    }
    return 1;
}

void sc_label_printable(char *out, size_t n, const char *label)
{
    size_t j = 0;
    const unsigned char *p = (const unsigned char *)label;
    for (; *p != '\0' && j + 1 < n; p++) {
        int bad = *p < 0x20 || *p == 0x7F ||
                  (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F);
        out[j++] = bad ? '?' : (char)*p;
        if (bad && p[0] == 0xC2) {
            p++;
        }
    }
    if (n > 0) {
        out[j] = '\0';
    }
}
