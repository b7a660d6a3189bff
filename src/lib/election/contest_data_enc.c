/* Scrutin: the byte layout of contest data D_Λ (spec §3.3.10 eq 63,
 * scrutin/contest_data.h, docs/RECORD.md "Contest data encoding"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/contest_data.h"
#include "scrutin/core.h"

size_t sc_contest_data_min_bytes(const sc_manifest_contest *mc)
{
    return 1 + 2 * mc->n_real + 2 * mc->n_write_ins;
}

uint8_t sc_contest_data_flags(const sc_manifest_contest *mc,
                              const uint32_t *sel)
{
    uint64_t sum = 0;
    int over = 0;
    if (sel == NULL) {
        return SC_CD_UNDERVOTE | SC_CD_NULL_VOTE;
    }
    for (size_t j = 0; j < mc->n_real; j++) {
        sum += sel[j];
        over |= sel[j] > mc->options[j].limit;
    }
    if (over || sum > mc->limit) {
        return SC_CD_OVERVOTE;
    }
    return (uint8_t)((sum < mc->limit ? SC_CD_UNDERVOTE : 0) |
                     (sum == 0 ? SC_CD_NULL_VOTE : 0));
}

static void put16(uint8_t *p, size_t x)
{
    p[0] = (uint8_t)(x >> 8);
    p[1] = (uint8_t)x;
}

static size_t get16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

sc_status sc_contest_data_encode(const sc_manifest_contest *mc,
                                 const uint32_t *sel,
                                 const char *const *write_ins, uint8_t *D)
{
    if (mc == NULL || D == NULL || mc->data_blocks == 0) {
        return SC_E_MISUSE;
    }
    size_t len = 32 * (size_t)mc->data_blocks, pos = 0;
    memset(D, 0, len);
    if (len < sc_contest_data_min_bytes(mc)) {
        return SC_E_INVALID_LENGTH;
    }
    uint8_t flags = sc_contest_data_flags(mc, sel);
    D[pos++] = flags;
    for (size_t j = 0; j < mc->n_real; j++, pos += 2) {
        if ((flags & SC_CD_OVERVOTE) != 0) {
            put16(D + pos, sel[j] > 0xFFFF ? 0xFFFF : sel[j]);
        }
    }
    for (size_t j = 0; j < mc->n_real; j++) {
        const char *t = write_ins != NULL ? write_ins[j] : NULL;
        if (!mc->options[j].write_in) {
            if (t != NULL) {
                sc_wipe(D, len);
                return SC_E_MISUSE;
            }
            continue;
        }
        size_t tl = t != NULL ? strlen(t) : 0;
        if (tl > 0xFFFF || pos + 2 + tl > len) {
            sc_wipe(D, len);
            return SC_E_INVALID_LENGTH;
        }
        put16(D + pos, tl);
        if (tl > 0) {
            memcpy(D + pos + 2, t, tl);
        }
        pos += 2 + tl;
    }
    return SC_OK;
}

/* 1 if s[0..n) is well-formed UTF-8 (RFC 3629: shortest form, no
 * surrogates, at most U+10FFFF) without NUL, which is what jansson takes
 * as a string. The fuzz target found 4-byte overlong forms (F0 80..8F)
 * that the lead-byte check let through and jansson refused. */
static int utf8_ok(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t k = c < 0x80                ? 1
                   : c >= 0xC2 && c < 0xE0 ? 2
                   : c >= 0xE0 && c < 0xF0 ? 3
                   : c >= 0xF0 && c < 0xF5 ? 4
                                           : 0;
        if (c == 0 || k == 0 || i + k > n) {
            return 0;
        }
        for (size_t m = 1; m < k; m++) {
            if ((s[i + m] & 0xC0) != 0x80) {
                return 0;
            }
        }
        uint8_t c1 = k > 1 ? s[i + 1] : 0x80;
        if ((c == 0xE0 && c1 < 0xA0) || /* overlong 3-byte */
            (c == 0xED && c1 > 0x9F) || /* surrogates */
            (c == 0xF0 && c1 < 0x90) || /* overlong 4-byte */
            (c == 0xF4 && c1 > 0x8F)) { /* above U+10FFFF */
            return 0;
        }
        i += k;
    }
    return 1;
}

sc_status sc_contest_data_decode(const sc_manifest_contest *mc,
                                 const uint8_t *D, size_t len, sc_json **out)
{
    sc_status rc = SC_OK;
    char *text = NULL;
    *out = NULL;
    if (mc == NULL || D == NULL || mc->data_blocks == 0 ||
        len != 32 * (size_t)mc->data_blocks ||
        len < sc_contest_data_min_bytes(mc)) {
        return SC_E_INVALID_LENGTH;
    }
    sc_json *o = sc_json_object(), *sel = NULL, *wi = NULL;
    SC_ENSURE(o != NULL, SC_E_NOMEM);
    uint8_t flags = D[0];
    size_t pos = 1;
    int over = (flags & SC_CD_OVERVOTE) != 0;
    SC_ENSURE((flags & ~0x07u) == 0 &&
                  !(over && (flags & (SC_CD_UNDERVOTE | SC_CD_NULL_VOTE))) &&
                  !((flags & SC_CD_NULL_VOTE) && !(flags & SC_CD_UNDERVOTE)),
              SC_E_INVALID);
    SC_CHECK(sc_json_put_bool(o, "overvote", over));
    SC_CHECK(sc_json_put_bool(o, "undervote", (flags & SC_CD_UNDERVOTE) != 0));
    SC_CHECK(sc_json_put_bool(o, "null_vote", (flags & SC_CD_NULL_VOTE) != 0));
    if (over) {
        sel = sc_json_array();
        SC_CHECK(sc_json_put(o, "selections", sel));
    }
    for (size_t j = 0; j < mc->n_real; j++, pos += 2) {
        size_t s = get16(D + pos);
        SC_ENSURE(over || s == 0, SC_E_INVALID);
        if (over) {
            SC_CHECK(sc_json_append_u64(sel, s));
        }
    }
    for (size_t j = 0; j < mc->n_real; j++) {
        if (!mc->options[j].write_in) {
            continue;
        }
        /* an earlier text may have used the room that the minimum
         * length kept for this field's length */
        SC_ENSURE(pos + 2 <= len, SC_E_INVALID);
        size_t tl = get16(D + pos);
        SC_ENSURE(pos + 2 + tl <= len && utf8_ok(D + pos + 2, tl),
                  SC_E_INVALID);
        if (tl > 0) {
            char key[24];
            snprintf(key, sizeof key, "%zu", j + 1);
            if (wi == NULL) {
                wi = sc_json_object();
                SC_CHECK(sc_json_put(o, "write_ins", wi));
            }
            text = malloc(tl + 1);
            SC_ENSURE(text != NULL, SC_E_NOMEM);
            memcpy(text, D + pos + 2, tl);
            text[tl] = '\0';
            SC_CHECK(sc_json_put_str(wi, key, text));
            sc_wipe(text, tl);
            free(text);
            text = NULL;
        }
        pos += 2 + tl;
    }
    for (; pos < len; pos++) {
        SC_ENSURE(D[pos] == 0, SC_E_INVALID);
    }
    *out = o;
    o = NULL;
done:
    free(text);
    sc_json_free(o);
    return rc;
}
