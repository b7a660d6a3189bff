/* Typed, bounded reading of egk 2.0 JSON (see json20.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/core.h"
#include "scrutin/files.h"
#include "verify/common/vcommon.h"
#include "verify20/json20.h"

void v20_sfmt(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 && cap > 0) {
        out[0] = '\0';
    }
}

#define V20_MAX_FILE (256u * 1024u * 1024u) /* one record file, at most */

sc_status v20_read_file(const char *path, const char *shown, uint8_t **out,
                        size_t *len, char *msg)
{
    *out = NULL;
    *len = 0;
    FILE *f = NULL;
    sc_status rc = sc_input_open(path, &f);
    if (rc != SC_OK) {
        v20_sfmt(msg, V20_MSG, "%s: cannot open: %s", shown, sc_strerror(rc));
        return rc;
    }
    /* the one input reader (scrutin/files.h); too large is "invalid"
     * here */
    rc = sc_input_read(f, V20_MAX_FILE, out, len);
    fclose(f);
    if (rc == SC_E_IO_TOO_LARGE) {
        rc = SC_E_INVALID;
    }
    if (rc != SC_OK) {
        v20_sfmt(msg, V20_MSG, "%s: cannot read (%s)", shown, sc_strerror(rc));
    }
    return rc;
}

sc_status v20_load(const char *path, const char *shown, json_t **out, char *msg)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    *out = NULL;
    sc_status rc = v20_read_file(path, shown, &bytes, &len, msg);
    if (rc != SC_OK) {
        return rc;
    }
    json_error_t err;
    json_t *root =
        json_loadb((const char *)bytes, len, JSON_REJECT_DUPLICATES, &err);
    free(bytes);
    if (root == NULL) {
        v20_sfmt(msg, V20_MSG, "%s: not valid JSON (line %d, column %d: %s)",
                 shown, err.line, err.column, err.text);
        return SC_E_INVALID_JSON;
    }
    if (!json_is_object(root)) {
        v20_sfmt(msg, V20_MSG, "%s: top level is not a JSON object", shown);
        json_decref(root);
        return SC_E_INVALID_JSON;
    }
    *out = root;
    return SC_OK;
}

void v20_loc_key(v20_loc *child, const v20_loc *parent, const char *key)
{
    char tmp[sizeof parent->path];
    memcpy(tmp, parent->path, sizeof tmp); /* child may be parent */
    child->file = parent->file;
    child->msg = parent->msg;
    if (tmp[0] == '\0') {
        v20_sfmt(child->path, sizeof child->path, "%s", key);
    } else {
        v20_sfmt(child->path, sizeof child->path, "%s.%s", tmp, key);
    }
}

void v20_loc_idx(v20_loc *child, const v20_loc *parent, size_t i)
{
    char tmp[sizeof parent->path];
    memcpy(tmp, parent->path, sizeof tmp); /* child may be parent */
    child->file = parent->file;
    child->msg = parent->msg;
    v20_sfmt(child->path, sizeof child->path, "%s[%zu]", tmp, i);
}

static sc_status fail(const v20_loc *loc, const char *key, sc_status rc,
                      const char *what)
{
    if (loc->path[0] == '\0') {
        v20_sfmt(loc->msg, V20_MSG, "%s: field '%s': %s", loc->file, key, what);
    } else {
        v20_sfmt(loc->msg, V20_MSG, "%s: field '%s.%s': %s", loc->file,
                 loc->path, key, what);
    }
    return rc;
}

sc_status v20_get(const v20_loc *loc, json_t *obj, const char *key,
                  json_t **out)
{
    *out = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (*out == NULL || json_is_null(*out)) {
        return fail(loc, key, SC_E_INVALID_JSON, "missing");
    }
    return SC_OK;
}

sc_status v20_get_array(const v20_loc *loc, json_t *obj, const char *key,
                        json_t **out)
{
    sc_status rc = v20_get(loc, obj, key, out);
    if (rc == SC_OK && !json_is_array(*out)) {
        return fail(loc, key, SC_E_INVALID_JSON, "not an array");
    }
    return rc;
}

sc_status v20_get_str(const v20_loc *loc, json_t *obj, const char *key,
                      const char **out)
{
    json_t *v;
    sc_status rc = v20_get(loc, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    if (!json_is_string(v)) {
        return fail(loc, key, SC_E_INVALID_JSON, "not a string");
    }
    *out = json_string_value(v);
    return SC_OK;
}

sc_status v20_get_int(const v20_loc *loc, json_t *obj, const char *key,
                      long long lo, long long hi, long long *out)
{
    json_t *v;
    sc_status rc = v20_get(loc, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    if (!json_is_integer(v)) {
        return fail(loc, key, SC_E_INVALID_JSON, "not an integer");
    }
    long long x = json_integer_value(v);
    if (x < lo || x > hi) {
        char w[96];
        v20_sfmt(w, sizeof w, "%lld is outside [%lld, %lld]", x, lo, hi);
        return fail(loc, key, SC_E_INVALID_RANGE, w);
    }
    *out = x;
    return SC_OK;
}

/* Fetch a hex string of exactly `digits` digits (0: any even count). */
static sc_status get_hex(const v20_loc *loc, json_t *obj, const char *key,
                         size_t digits, const char **hex, size_t *len)
{
    sc_status rc = v20_get_str(loc, obj, key, hex);
    if (rc != SC_OK) {
        return rc;
    }
    size_t n = strlen(*hex);
    char w[96];
    if (digits != 0 && n != digits) {
        v20_sfmt(w, sizeof w, "expected %zu hex digits, got %zu", digits, n);
        return fail(loc, key, SC_E_INVALID_LENGTH, w);
    }
    if (n % 2 != 0) {
        v20_sfmt(w, sizeof w, "odd number of hex digits (%zu)", n);
        return fail(loc, key, SC_E_INVALID_LENGTH, w);
    }
    for (size_t i = 0; i < n; i++) {
        char c = (*hex)[i];
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                 (c >= 'A' && c <= 'F');
        if (!ok) {
            v20_sfmt(w, sizeof w, "not a hex digit at position %zu", i);
            return fail(loc, key, SC_E_INVALID_HEX, w);
        }
    }
    *len = n;
    return SC_OK;
}

sc_status v20_get_elem(const v20_loc *loc, const sc_group *grp, json_t *obj,
                       const char *key, mpz_t out)
{
    const char *hex;
    size_t n;
    sc_status rc = get_hex(loc, obj, key, 2 * grp->lp, &hex, &n);
    if (rc != SC_OK) {
        return rc;
    }
    if (mpz_set_str(out, hex, 16) != 0) {
        return fail(loc, key, SC_E_INVALID_HEX, "bad hex");
    }
    if (mpz_sgn(out) <= 0 || mpz_cmp(out, grp->p) >= 0) {
        return fail(loc, key, SC_E_INVALID_RANGE, "not in 1..p-1");
    }
    return SC_OK;
}

sc_status v20_get_ciphertext(const v20_loc *loc, const sc_group *grp,
                             json_t *obj, const char *key, mpz_t alpha,
                             mpz_t beta)
{
    json_t *ev;
    v20_loc le;
    v20_loc_key(&le, loc, key);
    sc_status rc = v20_get(loc, obj, key, &ev);
    if (rc == SC_OK) {
        rc = v20_get_elem(&le, grp, ev, "pad", alpha);
    }
    if (rc == SC_OK) {
        rc = v20_get_elem(&le, grp, ev, "data", beta);
    }
    return rc;
}

sc_status v20_get_u256(const v20_loc *loc, json_t *obj, const char *key,
                       mpz_t out)
{
    const char *hex;
    size_t n;
    sc_status rc = get_hex(loc, obj, key, 64, &hex, &n);
    if (rc != SC_OK) {
        return rc;
    }
    if (mpz_set_str(out, hex, 16) != 0) {
        return fail(loc, key, SC_E_INVALID_HEX, "bad hex");
    }
    return SC_OK;
}

sc_status v20_get_hash(const v20_loc *loc, json_t *obj, const char *key,
                       uint8_t out[32])
{
    const char *hex;
    size_t n;
    sc_status rc = get_hex(loc, obj, key, 64, &hex, &n);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_hex_decode(out, 32, hex, n);
    if (rc != SC_OK) {
        return fail(loc, key, rc, "bad hex");
    }
    return SC_OK;
}

sc_status v20_get_bytes(const v20_loc *loc, json_t *obj, const char *key,
                        uint8_t **out, size_t *len)
{
    const char *hex;
    size_t n;
    *out = NULL;
    *len = 0;
    sc_status rc = get_hex(loc, obj, key, 0, &hex, &n);
    if (rc != SC_OK) {
        return rc;
    }
    uint8_t *b = malloc(n / 2 + 1);
    if (b == NULL) {
        return fail(loc, key, SC_E_NOMEM, "out of memory");
    }
    rc = sc_hex_decode(b, n / 2, hex, n);
    if (rc != SC_OK) {
        free(b);
        return fail(loc, key, rc, "bad hex");
    }
    *out = b;
    *len = n / 2;
    return SC_OK;
}

sc_status v20_get_hexnum(const v20_loc *loc, json_t *obj, const char *key,
                         mpz_t out)
{
    const char *hex;
    sc_status rc = v20_get_str(loc, obj, key, &hex);
    if (rc != SC_OK) {
        return rc;
    }
    size_t n = strlen(hex);
    if (n == 0 || n > 4096) {
        return fail(loc, key, SC_E_INVALID_LENGTH,
                    "empty or longer than 4096 hex digits");
    }
    for (size_t i = 0; i < n; i++) {
        char c = hex[i];
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                 (c >= 'A' && c <= 'F');
        if (!ok) {
            char w[64];
            v20_sfmt(w, sizeof w, "not a hex digit at position %zu", i);
            return fail(loc, key, SC_E_INVALID_HEX, w);
        }
    }
    if (mpz_set_str(out, hex, 16) != 0) {
        return fail(loc, key, SC_E_INVALID_HEX, "bad hex");
    }
    return SC_OK;
}
