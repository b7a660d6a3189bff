/* C2SP signed-note: parse, format, Ed25519 sign and verify; vkeys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/tlog.h"
#include "tlog_internal.h"

#define EM_DASH "\xe2\x80\x94"

/* Valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF) without ASCII
 * control characters other than '\n'. */
int sc_tlog_text_valid(const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + len;
    while (p < end) {
        uint8_t c = *p;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n') || c == 0x7f) {
                return 0;
            }
            p++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            n = 2, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if ((size_t)(end - p) < n) {
            return 0;
        }
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        p += n;
    }
    return 1;
}

int sc_note_name_valid(const char *name, size_t len)
{
    if (name == NULL || len == 0 || len > SC_TLOG_NAME_MAX ||
        !sc_tlog_text_valid(name, len)) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (name[i] == ' ' || name[i] == '+' || name[i] == '\n') {
            return 0;
        }
    }
    return 1;
}

uint32_t sc_note_key_id(const char *name, uint8_t type, const uint8_t pub[32])
{
    crypto_hash_sha256_state st;
    uint8_t h[32];
    const uint8_t sep[2] = {'\n', type};
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
    crypto_hash_sha256_update(&st, sep, 2);
    crypto_hash_sha256_update(&st, pub, 32);
    crypto_hash_sha256_final(&st, h);
    return ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) |
           ((uint32_t)h[2] << 8) | h[3];
}

sc_status sc_vkey_make(sc_vkey *out, const char *name, uint8_t type,
                       const uint8_t pub[32])
{
    if (out == NULL || name == NULL || pub == NULL) {
        return SC_E_MISUSE;
    }
    size_t len = strlen(name);
    if (!sc_note_name_valid(name, len) ||
        (type != SC_NOTE_ED25519 && type != SC_NOTE_COSIG)) {
        return SC_E_INVALID;
    }
    memset(out, 0, sizeof *out);
    memcpy(out->name, name, len);
    out->type = type;
    memcpy(out->pub, pub, 32);
    out->key_id = sc_note_key_id(name, type, pub);
    return SC_OK;
}

sc_status sc_vkey_parse(sc_vkey *out, const char *s, size_t len)
{
    if (out == NULL || s == NULL) {
        return SC_E_MISUSE;
    }
    /* Split at the first two '+' only: base64 may hold '+'. */
    const char *p1 = memchr(s, '+', len);
    if (p1 == NULL) {
        return SC_E_INVALID;
    }
    const char *p2 = memchr(p1 + 1, '+', len - (size_t)(p1 + 1 - s));
    if (p2 == NULL || p2 - p1 - 1 != 8) {
        return SC_E_INVALID;
    }
    size_t nlen = (size_t)(p1 - s);
    if (!sc_note_name_valid(s, nlen)) {
        return SC_E_INVALID;
    }
    uint32_t id = 0;
    for (int i = 1; i <= 8; i++) {
        char c = p1[i];
        unsigned d;
        if (c >= '0' && c <= '9') {
            d = (unsigned)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = (unsigned)(c - 'a' + 10);
        } else {
            return SC_E_INVALID; /* lowercase hex only, as written */
        }
        id = (id << 4) | d;
    }
    uint8_t kb[33];
    size_t kn;
    const char *b = p2 + 1;
    if (sc_b64_decode(kb, sizeof kb, &kn, b, len - (size_t)(b - s)) != SC_OK ||
        kn != 33) {
        return SC_E_INVALID;
    }
    char name[SC_TLOG_NAME_MAX + 1];
    memcpy(name, s, nlen);
    name[nlen] = '\0';
    sc_vkey k;
    if (sc_vkey_make(&k, name, kb[0], kb + 1) != SC_OK) {
        return SC_E_INVALID;
    }
    if (k.key_id != id) {
        return SC_E_VERIFY;
    }
    *out = k;
    return SC_OK;
}

sc_status sc_vkey_format(char *out, size_t cap, const sc_vkey *k)
{
    if (out == NULL || k == NULL) {
        return SC_E_MISUSE;
    }
    uint8_t kb[33];
    kb[0] = k->type;
    memcpy(kb + 1, k->pub, 32);
    char b64[48];
    sc_status rc = sc_b64_encode(b64, sizeof b64, kb, sizeof kb);
    if (rc != SC_OK) {
        return rc;
    }
    int n = snprintf(out, cap, "%s+%08x+%s", k->name, (unsigned)k->key_id, b64);
    return (n < 0 || (size_t)n >= cap) ? SC_E_RANGE : SC_OK;
}

/* ---- notes ---- */

void sc_note_clear(sc_note *n)
{
    if (n == NULL) {
        return;
    }
    free(n->text);
    for (size_t i = 0; i < n->nsigs; i++) {
        free(n->sigs[i].sig);
    }
    free(n->sigs);
    memset(n, 0, sizeof *n);
}

static int text_ok(const char *text, size_t len)
{
    return len > 0 && len <= SC_NOTE_MAX_BYTES && text[len - 1] == '\n' &&
           sc_tlog_text_valid(text, len);
}

sc_status sc_note_init(sc_note *out, const char *text, size_t len)
{
    if (out == NULL || text == NULL) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    if (!text_ok(text, len)) {
        return SC_E_INVALID;
    }
    out->text = malloc(len + 1);
    if (out->text == NULL) {
        return SC_E_NOMEM;
    }
    memcpy(out->text, text, len);
    out->text[len] = '\0';
    out->text_len = len;
    return SC_OK;
}

sc_status sc_note_add_sig(sc_note *n, const char *name, uint32_t key_id,
                          const uint8_t *sig, size_t sig_len)
{
    if (n == NULL || name == NULL || (sig == NULL && sig_len > 0)) {
        return SC_E_MISUSE;
    }
    size_t nlen = strlen(name);
    if (!sc_note_name_valid(name, nlen)) {
        return SC_E_INVALID;
    }
    if (n->nsigs >= SC_NOTE_MAX_SIGS) {
        return SC_E_RANGE;
    }
    sc_note_sig *s = realloc(n->sigs, (n->nsigs + 1) * sizeof *s);
    if (s == NULL) {
        return SC_E_NOMEM;
    }
    n->sigs = s;
    s = &n->sigs[n->nsigs];
    memset(s, 0, sizeof *s);
    s->sig = malloc(sig_len ? sig_len : 1);
    if (s->sig == NULL) {
        return SC_E_NOMEM;
    }
    memcpy(s->sig, sig, sig_len);
    s->sig_len = sig_len;
    memcpy(s->name, name, nlen + 1);
    s->key_id = key_id;
    n->nsigs++;
    return SC_OK;
}

/* One line "— <name> <b64(key id || sig)>" (without its '\n'). */
static sc_status parse_sig_line(sc_note *n, const char *p, size_t len)
{
    const size_t dl = sizeof EM_DASH - 1;
    if (len < dl + 1 || memcmp(p, EM_DASH " ", dl + 1) != 0) {
        return SC_E_INVALID;
    }
    p += dl + 1;
    len -= dl + 1;
    const char *sp = memchr(p, ' ', len);
    if (sp == NULL) {
        return SC_E_INVALID;
    }
    size_t nlen = (size_t)(sp - p);
    if (!sc_note_name_valid(p, nlen)) {
        return SC_E_INVALID;
    }
    char name[SC_TLOG_NAME_MAX + 1];
    memcpy(name, p, nlen);
    name[nlen] = '\0';
    const char *b = sp + 1;
    size_t blen = len - nlen - 1;
    size_t cap = blen / 4 * 3;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (buf == NULL) {
        return SC_E_NOMEM;
    }
    size_t got;
    sc_status rc = sc_b64_decode(buf, cap, &got, b, blen);
    if (rc == SC_OK && got < 5) {
        rc = SC_E_INVALID;
    }
    if (rc == SC_OK) {
        uint32_t id = ((uint32_t)buf[0] << 24) | ((uint32_t)buf[1] << 16) |
                      ((uint32_t)buf[2] << 8) | buf[3];
        rc = sc_note_add_sig(n, name, id, buf + 4, got - 4);
    } else {
        rc = SC_E_INVALID;
    }
    free(buf);
    return rc;
}

sc_status sc_note_parse(sc_note *out, const char *msg, size_t len)
{
    if (out == NULL || (msg == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    if (len == 0 || len > SC_NOTE_MAX_BYTES || !sc_tlog_text_valid(msg, len) ||
        msg[len - 1] != '\n') {
        return SC_E_INVALID;
    }
    /* The separator is the last blank line: signature lines hold none. */
    size_t sep = len;
    for (size_t i = len - 1; i > 0; i--) {
        if (msg[i] == '\n' && msg[i - 1] == '\n') {
            sep = i - 1;
            break;
        }
    }
    if (sep == len) {
        return SC_E_INVALID;
    }
    sc_status rc = sc_note_init(out, msg, sep + 1);
    if (rc != SC_OK) {
        return rc;
    }
    const char *p = msg + sep + 2, *end = msg + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        rc = parse_sig_line(out, p, (size_t)(nl - p));
        if (rc != SC_OK) {
            sc_note_clear(out);
            return rc == SC_E_RANGE ? SC_E_INVALID : rc;
        }
        p = nl + 1;
    }
    if (out->nsigs == 0) {
        sc_note_clear(out);
        return SC_E_INVALID;
    }
    return SC_OK;
}

sc_status sc_note_format(const sc_note *n, char **out, size_t *len)
{
    if (n == NULL || out == NULL || len == NULL || n->text == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    *len = 0;
    size_t cap = n->text_len + 2;
    for (size_t i = 0; i < n->nsigs; i++) {
        cap += 6 + strlen(n->sigs[i].name) + sc_b64_len(n->sigs[i].sig_len + 4);
    }
    char *buf = malloc(cap);
    if (buf == NULL) {
        return SC_E_NOMEM;
    }
    size_t k = n->text_len;
    memcpy(buf, n->text, k);
    buf[k++] = '\n';
    for (size_t i = 0; i < n->nsigs; i++) {
        const sc_note_sig *s = &n->sigs[i];
        size_t nl = strlen(s->name);
        memcpy(buf + k, EM_DASH " ", 4);
        k += 4;
        memcpy(buf + k, s->name, nl);
        k += nl;
        buf[k++] = ' ';
        uint8_t *raw = malloc(s->sig_len + 4);
        if (raw == NULL) {
            free(buf);
            return SC_E_NOMEM;
        }
        raw[0] = (uint8_t)(s->key_id >> 24);
        raw[1] = (uint8_t)(s->key_id >> 16);
        raw[2] = (uint8_t)(s->key_id >> 8);
        raw[3] = (uint8_t)s->key_id;
        memcpy(raw + 4, s->sig, s->sig_len);
        sc_status rc = sc_b64_encode(buf + k, cap - k, raw, s->sig_len + 4);
        free(raw);
        if (rc != SC_OK) {
            free(buf);
            return rc;
        }
        k += sc_b64_len(s->sig_len + 4);
        buf[k++] = '\n';
    }
    buf[k] = '\0';
    *out = buf;
    *len = k;
    return SC_OK;
}

sc_status sc_note_sign(sc_note *n, const char *name, const uint8_t sk[64])
{
    if (n == NULL || name == NULL || sk == NULL || n->text == NULL) {
        return SC_E_MISUSE;
    }
    if (!sc_note_name_valid(name, strlen(name))) {
        return SC_E_INVALID;
    }
    uint8_t sig[64];
    crypto_sign_detached(sig, NULL, (const uint8_t *)n->text, n->text_len, sk);
    return sc_note_add_sig(n, name,
                           sc_note_key_id(name, SC_NOTE_ED25519, sk + 32), sig,
                           sizeof sig);
}

const sc_note_sig *sc_tlog_find_sig(const sc_note *n, const sc_vkey *k,
                                    size_t from, size_t *at)
{
    for (size_t i = from; i < n->nsigs; i++) {
        if (n->sigs[i].key_id == k->key_id &&
            strcmp(n->sigs[i].name, k->name) == 0) {
            *at = i;
            return &n->sigs[i];
        }
    }
    return NULL;
}

sc_status sc_note_verify(const sc_note *n, const sc_vkey *keys, size_t nkeys,
                         size_t *nverified)
{
    if (n == NULL || (keys == NULL && nkeys > 0) || n->text == NULL) {
        return SC_E_MISUSE;
    }
    if (nverified) {
        *nverified = 0;
    }
    size_t ok = 0;
    for (size_t k = 0; k < nkeys; k++) {
        if (keys[k].type != SC_NOTE_ED25519) {
            continue;
        }
        int seen = 0;
        size_t at = 0;
        const sc_note_sig *s;
        while ((s = sc_tlog_find_sig(n, &keys[k], at, &at)) != NULL) {
            if (s->sig_len != 64 ||
                crypto_sign_verify_detached(s->sig, (const uint8_t *)n->text,
                                            n->text_len, keys[k].pub) != 0) {
                return SC_E_VERIFY;
            }
            seen = 1;
            at++;
        }
        ok += (size_t)seen;
    }
    if (nverified) {
        *nverified = ok;
    }
    return ok > 0 ? SC_OK : SC_E_VERIFY;
}
