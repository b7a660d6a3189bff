/* C2SP tlog-checkpoint and tlog-cosignature/v1 (Ed25519, type 0x04). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/tlog.h"
#include "tlog_internal.h"

int sc_tlog_parse_u64(const char *p, size_t len, uint64_t *out)
{
    if (len == 0 || len > 20 || (len > 1 && p[0] == '0')) {
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return 0;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

int sc_tlog_parse_hash(const char *p, size_t len, uint8_t out[32])
{
    uint8_t buf[33];
    size_t n;
    if (len != 44 || sc_b64_decode(buf, sizeof buf, &n, p, len) != SC_OK ||
        n != 32) {
        return 0;
    }
    memcpy(out, buf, 32);
    return 1;
}

int sc_tlog_next_line(const char **p, const char *end, const char **line,
                      size_t *len)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (nl == NULL) {
        return 0;
    }
    *line = *p;
    *len = (size_t)(nl - *p);
    *p = nl + 1;
    return 1;
}

sc_status sc_checkpoint_parse(sc_checkpoint *out, const char *text, size_t len)
{
    if (out == NULL || (text == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    const char *p = text, *end = text + len, *l[3];
    size_t ll[3];
    for (int i = 0; i < 3; i++) {
        if (!sc_tlog_next_line(&p, end, &l[i], &ll[i])) {
            return SC_E_INVALID;
        }
    }
    sc_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    if (p != end || !sc_note_name_valid(l[0], ll[0]) ||
        !sc_tlog_parse_u64(l[1], ll[1], &cp.size) ||
        !sc_tlog_parse_hash(l[2], ll[2], cp.root)) {
        return SC_E_INVALID;
    }
    memcpy(cp.origin, l[0], ll[0]);
    *out = cp;
    return SC_OK;
}

sc_status sc_checkpoint_format(char *out, size_t cap, size_t *len,
                               const sc_checkpoint *cp)
{
    if (out == NULL || cp == NULL) {
        return SC_E_MISUSE;
    }
    if (!sc_note_name_valid(cp->origin, strlen(cp->origin))) {
        return SC_E_INVALID;
    }
    char b64[48];
    sc_status rc = sc_b64_encode(b64, sizeof b64, cp->root, 32);
    if (rc != SC_OK) {
        return rc;
    }
    int n = snprintf(out, cap, "%s\n%llu\n%s\n", cp->origin,
                     (unsigned long long)cp->size, b64);
    if (n < 0 || (size_t)n >= cap) {
        return SC_E_RANGE;
    }
    if (len) {
        *len = (size_t)n;
    }
    return SC_OK;
}

sc_status sc_checkpoint_open(sc_checkpoint *cp, sc_note *note, const char *msg,
                             size_t len, const sc_vkey *log)
{
    if (cp == NULL || log == NULL || (msg == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    sc_note n;
    sc_status rc = sc_note_parse(&n, msg, len);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_checkpoint_parse(cp, n.text, n.text_len);
    if (rc == SC_OK) {
        rc = sc_note_verify(&n, log, 1, NULL);
    }
    if (rc == SC_OK && strcmp(cp->origin, log->name) != 0) {
        rc = SC_E_VERIFY;
    }
    if (rc == SC_OK && note != NULL) {
        *note = n;
    } else {
        sc_note_clear(&n);
    }
    return rc;
}

/* ---- cosignatures ---- */

sc_status sc_cosig_message(uint8_t **out, size_t *len, uint64_t time,
                           const char *cp_text, size_t cp_len)
{
    if (out == NULL || len == NULL || cp_text == NULL) {
        return SC_E_MISUSE;
    }
    char head[64];
    int h = snprintf(head, sizeof head, "cosignature/v1\ntime %llu\n",
                     (unsigned long long)time);
    *out = malloc((size_t)h + cp_len + 1);
    if (*out == NULL) {
        return SC_E_NOMEM;
    }
    memcpy(*out, head, (size_t)h);
    memcpy(*out + h, cp_text, cp_len);
    *len = (size_t)h + cp_len;
    return SC_OK;
}

sc_status sc_cosig_sign(sc_note *n, const char *name, const uint8_t sk[64],
                        uint64_t time)
{
    if (n == NULL || name == NULL || sk == NULL || n->text == NULL) {
        return SC_E_MISUSE;
    }
    if (time == 0 || !sc_note_name_valid(name, strlen(name))) {
        return SC_E_INVALID;
    }
    uint8_t *msg;
    size_t mlen;
    sc_status rc = sc_cosig_message(&msg, &mlen, time, n->text, n->text_len);
    if (rc != SC_OK) {
        return rc;
    }
    uint8_t ts[72];
    for (int i = 0; i < 8; i++) {
        ts[i] = (uint8_t)(time >> (56 - 8 * i));
    }
    crypto_sign_detached(ts + 8, NULL, msg, mlen, sk);
    free(msg);
    return sc_note_add_sig(
        n, name, sc_note_key_id(name, SC_NOTE_COSIG, sk + 32), ts, sizeof ts);
}

sc_status sc_cosig_verify(const sc_note *n, const sc_vkey *w, uint64_t *time)
{
    if (n == NULL || w == NULL || n->text == NULL) {
        return SC_E_MISUSE;
    }
    if (w->type != SC_NOTE_COSIG) {
        return SC_E_VERIFY;
    }
    size_t at = 0;
    const sc_note_sig *s;
    while ((s = sc_tlog_find_sig(n, w, at, &at)) != NULL) {
        at++;
        if (s->sig_len != 72) {
            continue;
        }
        uint64_t t = 0;
        for (int i = 0; i < 8; i++) {
            t = (t << 8) | s->sig[i];
        }
        uint8_t *msg;
        size_t mlen;
        sc_status rc = sc_cosig_message(&msg, &mlen, t, n->text, n->text_len);
        if (rc != SC_OK) {
            return rc;
        }
        int ok =
            crypto_sign_verify_detached(s->sig + 8, msg, mlen, w->pub) == 0;
        free(msg);
        if (ok) {
            if (time) {
                *time = t;
            }
            return SC_OK;
        }
    }
    return SC_E_VERIFY;
}
