/* C2SP tlog-proof receipts and tlog-witness add-checkpoint bodies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/tlog.h"
#include "tlog_internal.h"

#define PROOF_HEADER "c2sp.org/tlog-proof@v1"

void sc_tlog_proof_clear(sc_tlog_proof *p)
{
    if (p == NULL) {
        return;
    }
    free(p->extra);
    sc_note_clear(&p->checkpoint);
    memset(p, 0, sizeof *p);
}

/* Hash lines until a blank line; *p is left after the blank line. */
static int parse_hashes(const char **p, const char *end, uint8_t (*h)[32],
                        size_t max, size_t *n)
{
    *n = 0;
    for (;;) {
        const char *l;
        size_t ll;
        if (!sc_tlog_next_line(p, end, &l, &ll)) {
            return 0;
        }
        if (ll == 0) {
            return 1;
        }
        if (*n >= max || !sc_tlog_parse_hash(l, ll, h[*n])) {
            return 0;
        }
        (*n)++;
    }
}

/* "<prefix> <decimal>" */
static int prefixed_u64(const char *l, size_t ll, const char *prefix,
                        uint64_t *v)
{
    size_t pl = strlen(prefix);
    return ll > pl && memcmp(l, prefix, pl) == 0 &&
           sc_tlog_parse_u64(l + pl, ll - pl, v);
}

sc_status sc_tlog_proof_parse(sc_tlog_proof *out, const char *text, size_t len)
{
    if (out == NULL || (text == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    const char *p = text, *end = text + len, *l;
    size_t ll;
    sc_status rc = SC_E_INVALID;
    if (!sc_tlog_next_line(&p, end, &l, &ll) || ll != sizeof PROOF_HEADER - 1 ||
        memcmp(l, PROOF_HEADER, ll) != 0 ||
        !sc_tlog_next_line(&p, end, &l, &ll)) {
        goto fail;
    }
    if (ll >= 6 && memcmp(l, "extra ", 6) == 0) {
        size_t cap = (ll - 6) / 4 * 3;
        out->extra = malloc(cap ? cap : 1);
        if (out->extra == NULL) {
            rc = SC_E_NOMEM;
            goto fail;
        }
        if (sc_b64_decode(out->extra, cap, &out->extra_len, l + 6, ll - 6) !=
            SC_OK) {
            goto fail;
        }
        out->has_extra = 1;
        if (!sc_tlog_next_line(&p, end, &l, &ll)) {
            goto fail;
        }
    }
    if (!prefixed_u64(l, ll, "index ", &out->index) ||
        !parse_hashes(&p, end, out->hashes, SC_TLOG_MAX_PROOF, &out->nhashes)) {
        goto fail;
    }
    rc = sc_note_parse(&out->checkpoint, p, (size_t)(end - p));
    if (rc != SC_OK) {
        goto fail;
    }
    return SC_OK;
fail:
    sc_tlog_proof_clear(out);
    return rc;
}

sc_status sc_tlog_proof_format(const sc_tlog_proof *p, char **out, size_t *len)
{
    if (p == NULL || out == NULL || len == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    char *note;
    size_t nlen;
    sc_status rc = sc_note_format(&p->checkpoint, &note, &nlen);
    if (rc != SC_OK) {
        return rc;
    }
    size_t cap = 64 + (p->has_extra ? 8 + sc_b64_len(p->extra_len) : 0) +
                 45 * p->nhashes + nlen + 1;
    char *buf = malloc(cap);
    if (buf == NULL || p->nhashes > SC_TLOG_MAX_PROOF) {
        free(buf);
        free(note);
        return buf == NULL ? SC_E_NOMEM : SC_E_MISUSE;
    }
    size_t k = (size_t)sprintf(buf, PROOF_HEADER "\n");
    if (p->has_extra) {
        k += (size_t)sprintf(buf + k, "extra ");
        rc = sc_b64_encode(buf + k, cap - k, p->extra, p->extra_len);
        k += sc_b64_len(p->extra_len);
        buf[k++] = '\n';
    }
    k += (size_t)sprintf(buf + k, "index %llu\n", (unsigned long long)p->index);
    for (size_t i = 0; rc == SC_OK && i < p->nhashes; i++) {
        rc = sc_b64_encode(buf + k, cap - k, p->hashes[i], 32);
        k += 44;
        buf[k++] = '\n';
    }
    buf[k++] = '\n';
    memcpy(buf + k, note, nlen + 1);
    k += nlen;
    free(note);
    if (rc != SC_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = k;
    return SC_OK;
}

sc_status sc_tlog_proof_verify(const sc_tlog_proof *p, const uint8_t leaf[32],
                               const sc_vkey *board,
                               const struct sc_witness_policy *policy,
                               sc_checkpoint *cp_out)
{
    if (p == NULL || leaf == NULL || board == NULL ||
        p->checkpoint.text == NULL) {
        return SC_E_MISUSE;
    }
    sc_checkpoint cp;
    sc_status rc =
        sc_checkpoint_parse(&cp, p->checkpoint.text, p->checkpoint.text_len);
    if (rc != SC_OK) {
        return rc;
    }
    if (strcmp(cp.origin, board->name) != 0) {
        return SC_E_VERIFY;
    }
    rc = sc_note_verify(&p->checkpoint, board, 1, NULL);
    if (rc == SC_OK && policy != NULL) {
        rc = sc_witness_policy_check(policy, &p->checkpoint, NULL);
    }
    if (rc == SC_OK) {
        rc = sc_tlog_inclusion_verify(leaf, p->index, cp.size, cp.root,
                                      (const uint8_t(*)[32])p->hashes,
                                      p->nhashes);
    }
    if (rc == SC_OK && cp_out != NULL) {
        *cp_out = cp;
    }
    return rc;
}

/* ---- add-checkpoint ---- */

void sc_add_checkpoint_clear(sc_add_checkpoint *a)
{
    if (a == NULL) {
        return;
    }
    free(a->signed_cp);
    memset(a, 0, sizeof *a);
}

sc_status sc_add_checkpoint_parse(sc_add_checkpoint *out, const char *body,
                                  size_t len)
{
    if (out == NULL || (body == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    const char *p = body, *end = body + len, *l;
    size_t ll;
    if (!sc_tlog_next_line(&p, end, &l, &ll) ||
        !prefixed_u64(l, ll, "old ", &out->old) ||
        !parse_hashes(&p, end, out->proof, SC_TLOG_WITNESS_MAX_PROOF,
                      &out->nproof) ||
        p == end || (size_t)(end - p) > SC_NOTE_MAX_BYTES) {
        memset(out, 0, sizeof *out);
        return SC_E_INVALID;
    }
    out->signed_cp_len = (size_t)(end - p);
    out->signed_cp = malloc(out->signed_cp_len + 1);
    if (out->signed_cp == NULL) {
        memset(out, 0, sizeof *out);
        return SC_E_NOMEM;
    }
    memcpy(out->signed_cp, p, out->signed_cp_len);
    out->signed_cp[out->signed_cp_len] = '\0';
    return SC_OK;
}

sc_status sc_add_checkpoint_format(char **out, size_t *len, uint64_t old,
                                   const uint8_t proof[][32], size_t nproof,
                                   const char *signed_cp, size_t signed_cp_len)
{
    if (out == NULL || len == NULL || signed_cp == NULL ||
        (proof == NULL && nproof > 0)) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    if (nproof > SC_TLOG_WITNESS_MAX_PROOF) {
        return SC_E_RANGE;
    }
    size_t cap = 32 + 45 * nproof + signed_cp_len + 1;
    char *buf = malloc(cap);
    if (buf == NULL) {
        return SC_E_NOMEM;
    }
    size_t k = (size_t)sprintf(buf, "old %llu\n", (unsigned long long)old);
    for (size_t i = 0; i < nproof; i++) {
        sc_status rc = sc_b64_encode(buf + k, cap - k, proof[i], 32);
        if (rc != SC_OK) {
            free(buf);
            return rc;
        }
        k += 44;
        buf[k++] = '\n';
    }
    buf[k++] = '\n';
    memcpy(buf + k, signed_cp, signed_cp_len);
    k += signed_cp_len;
    buf[k] = '\0';
    *out = buf;
    *len = k;
    return SC_OK;
}

sc_status sc_tlog_size_body_parse(uint64_t *size, const char *body, size_t len)
{
    if (size == NULL || (body == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    if (len < 2 || body[len - 1] != '\n' ||
        !sc_tlog_parse_u64(body, len - 1, size)) {
        return SC_E_INVALID;
    }
    return SC_OK;
}
