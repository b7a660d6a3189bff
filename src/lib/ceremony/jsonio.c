/* JSON and file helpers for the ceremony and decryption files. */
#include "ceremony/jsonio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scrutin/ceremony.h"
#include "scrutin/core.h"
#include "scrutin/json.h"

static _Thread_local char errdetail[512];

sc_status sc_jio_fail(sc_status rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errdetail, sizeof errdetail, fmt, ap);
    va_end(ap);
    return rc;
}

void sc_jio_clear(void)
{
    errdetail[0] = '\0';
}

const char *sc_ceremony_errdetail(void)
{
    return errdetail;
}

/* Files go through the library's one atomic writer and one reader
 * (scrutin/json.h); these wrappers only add the ceremony's error text. */
sc_status sc_jio_write_file(const char *path, const void *buf, size_t len,
                            unsigned mode)
{
    sc_status rc = sc_file_write_atomic_mode(path, buf, len, mode);
    if (rc == SC_E_IO) {
        return sc_jio_fail(rc, "%s: cannot write: %s", path, strerror(errno));
    }
    return rc;
}

sc_status sc_jio_write_json(const char *path, const json_t *j, unsigned mode)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s == NULL) {
        return SC_E_NOMEM;
    }
    size_t len = strlen(s);
    char *t = realloc(s, len + 2);
    if (t == NULL) {
        free(s);
        return SC_E_NOMEM;
    }
    t[len] = '\n';
    t[len + 1] = '\0';
    sc_status rc = sc_jio_write_file(path, t, len + 1, mode);
    free(t);
    return rc;
}

sc_status sc_jio_read_file(const char *path, char **buf, size_t *len)
{
    size_t n = 0;
    *buf = NULL;
    sc_status rc = sc_file_read_all(path, buf, &n);
    if (rc == SC_E_IO) {
        return sc_jio_fail(rc, "%s: cannot open: %s", path, strerror(errno));
    }
    if (rc == SC_OK && len != NULL) {
        *len = n;
    }
    return rc;
}

sc_status sc_jio_load(const char *path, json_t **out)
{
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    sc_status rc = sc_jio_read_file(path, &buf, &len);
    if (rc != SC_OK) {
        return rc;
    }
    json_error_t err;
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    free(buf);
    if (j == NULL) {
        return sc_jio_fail(SC_E_INVALID_JSON, "%s: line %d: %s", path, err.line,
                           err.text);
    }
    if (!json_is_object(j)) {
        json_decref(j);
        return sc_jio_fail(SC_E_INVALID_JSON, "%s: not a JSON object", path);
    }
    *out = j;
    return SC_OK;
}

sc_status sc_jio_mkdirs(const char *path, unsigned mode)
{
    char *p = strdup(path);
    if (p == NULL) {
        return SC_E_NOMEM;
    }
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
                sc_status rc = sc_jio_fail(SC_E_IO,
                                           "%s: cannot create "
                                           "directory: %s",
                                           p, strerror(errno));
                free(p);
                return rc;
            }
            p[i] = c;
        }
    }
    free(p);
    return SC_OK;
}

char *sc_jio_path(const char *dir, const char *fmt, ...)
{
    char name[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s/%s", dir, name);
    }
    return p;
}

json_t *sc_jio_elem(const sc_group *grp, const mpz_t x)
{
    char *buf = malloc(2 * grp->lp + 1);
    if (buf == NULL) {
        return NULL;
    }
    sc_elem_to_hex(grp, buf, x);
    json_t *j = json_string(buf);
    free(buf);
    return j;
}

json_t *sc_jio_scalar(const sc_group *grp, const mpz_t x)
{
    char buf[2 * 64 + 1];
    sc_scalar_to_hex(grp, buf, x);
    return json_string(buf);
}

json_t *sc_jio_bytes(const uint8_t *b, size_t len)
{
    char *buf = malloc(2 * len + 1);
    if (buf == NULL) {
        return NULL;
    }
    sc_hex_encode(buf, b, len);
    json_t *j = json_string(buf);
    free(buf);
    return j;
}

json_t *sc_jio_hash(const uint8_t h[32])
{
    return sc_jio_bytes(h, 32);
}

json_t *sc_jio_elem_array(const sc_group *grp, size_t n, const mpz_t *x)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        if (json_array_append_new(a, sc_jio_elem(grp, x[i])) != 0) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

json_t *sc_jio_scalar_array(const sc_group *grp, size_t n, const mpz_t *x)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        if (json_array_append_new(a, sc_jio_scalar(grp, x[i])) != 0) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

static int is_upper_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return 1;
}

static sc_status hex_field(const json_t *v, size_t digits, const char **s,
                           const char *file, const char *field)
{
    if (v == NULL) {
        return sc_jio_fail(SC_E_INVALID_JSON, "%s: %s: missing", file, field);
    }
    if (!json_is_string(v)) {
        return sc_jio_fail(SC_E_INVALID_JSON, "%s: %s: not a string", file,
                           field);
    }
    *s = json_string_value(v);
    if (json_string_length(v) != digits) {
        return sc_jio_fail(SC_E_INVALID_LENGTH,
                           "%s: %s: %zu hex digits, expected %zu", file, field,
                           json_string_length(v), digits);
    }
    if (!is_upper_hex(*s, digits)) {
        return sc_jio_fail(SC_E_INVALID_HEX, "%s: %s: not uppercase hex", file,
                           field);
    }
    return SC_OK;
}

static sc_status elem_node(const sc_group *grp, const json_t *v, mpz_t out,
                           const char *file, const char *field, int member)
{
    const char *s;
    sc_status rc = hex_field(v, 2 * grp->lp, &s, file, field);
    if (rc != SC_OK) {
        return rc;
    }
    rc = member ? sc_elem_from_hex(grp, out, s)
                : sc_elem_from_hex_unchecked(grp, out, s);
    if (rc == SC_E_INVALID_NOT_IN_SUBGROUP) {
        return sc_jio_not_member(file, field);
    }
    if (rc != SC_OK) {
        return sc_jio_fail(rc, "%s: %s: out of range", file, field);
    }
    return SC_OK;
}

sc_status sc_jio_elem_node(const sc_group *grp, const json_t *v, mpz_t out,
                           const char *file, const char *field)
{
    return elem_node(grp, v, out, file, field, 1);
}

sc_status sc_jio_elem_node_unchecked(const sc_group *grp, const json_t *v,
                                     mpz_t out, const char *file,
                                     const char *field)
{
    return elem_node(grp, v, out, file, field, 0);
}

sc_status sc_jio_not_member(const char *file, const char *field)
{
    return sc_jio_fail(SC_E_INVALID_NOT_IN_SUBGROUP,
                       "%s: %s: not in the order-q subgroup", file, field);
}

sc_status sc_jio_scalar_node(const sc_group *grp, const json_t *v, mpz_t out,
                             const char *file, const char *field)
{
    const char *s;
    sc_status rc = hex_field(v, 2 * grp->lq, &s, file, field);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_scalar_from_hex(grp, out, s);
    if (rc != SC_OK) {
        return sc_jio_fail(rc, "%s: %s: not in Z_q", file, field);
    }
    return SC_OK;
}

sc_status sc_jio_get_elem(const sc_group *grp, const json_t *o, const char *key,
                          mpz_t out, const char *file)
{
    return sc_jio_elem_node(grp, json_object_get(o, key), out, file, key);
}

sc_status sc_jio_get_elem_unchecked(const sc_group *grp, const json_t *o,
                                    const char *key, mpz_t out,
                                    const char *file)
{
    return elem_node(grp, json_object_get(o, key), out, file, key, 0);
}

sc_status sc_jio_get_scalar(const sc_group *grp, const json_t *o,
                            const char *key, mpz_t out, const char *file)
{
    return sc_jio_scalar_node(grp, json_object_get(o, key), out, file, key);
}

sc_status sc_jio_get_bytes(const json_t *o, const char *key, uint8_t *out,
                           size_t len, const char *file)
{
    const char *s;
    sc_status rc = hex_field(json_object_get(o, key), 2 * len, &s, file, key);
    if (rc != SC_OK) {
        return rc;
    }
    return sc_hex_decode(out, len, s, 2 * len);
}

sc_status sc_jio_get_u64(const json_t *o, const char *key, uint64_t *out,
                         const char *file)
{
    const json_t *v = json_object_get(o, key);
    if (v == NULL) {
        return sc_jio_fail(SC_E_INVALID_JSON, "%s: %s: missing", file, key);
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        return sc_jio_fail(SC_E_INVALID_JSON,
                           "%s: %s: not a non-negative integer", file, key);
    }
    *out = (uint64_t)json_integer_value(v);
    return SC_OK;
}

sc_status sc_jio_get_u32(const json_t *o, const char *key, uint32_t *out,
                         const char *file)
{
    uint64_t v = 0;
    sc_status rc = sc_jio_get_u64(o, key, &v, file);
    if (rc != SC_OK) {
        return rc;
    }
    if (v >= (1u << 31)) {
        return sc_jio_fail(SC_E_INVALID_RANGE, "%s: %s: too large", file, key);
    }
    *out = (uint32_t)v;
    return SC_OK;
}

static sc_status get_array(const json_t *o, const char *key, size_t n,
                           const json_t **arr, const char *file)
{
    const json_t *a = json_object_get(o, key);
    if (a == NULL) {
        return sc_jio_fail(SC_E_INVALID_JSON, "%s: %s: missing", file, key);
    }
    if (!json_is_array(a)) {
        return sc_jio_fail(SC_E_INVALID_JSON, "%s: %s: not an array", file,
                           key);
    }
    if (json_array_size(a) != n) {
        return sc_jio_fail(SC_E_INVALID_JSON,
                           "%s: %s: %zu entries, expected %zu", file, key,
                           json_array_size(a), n);
    }
    *arr = a;
    return SC_OK;
}

sc_status sc_jio_get_elem_array(const sc_group *grp, const json_t *o,
                                const char *key, size_t n, mpz_t *out,
                                const char *file)
{
    const json_t *a;
    sc_status rc = get_array(o, key, n, &a, file);
    for (size_t i = 0; rc == SC_OK && i < n; i++) {
        char field[96];
        snprintf(field, sizeof field, "%s[%zu]", key, i);
        rc = sc_jio_elem_node(grp, json_array_get(a, i), out[i], file, field);
    }
    return rc;
}

sc_status sc_jio_get_scalar_array(const sc_group *grp, const json_t *o,
                                  const char *key, size_t n, mpz_t *out,
                                  const char *file)
{
    const json_t *a;
    sc_status rc = get_array(o, key, n, &a, file);
    for (size_t i = 0; rc == SC_OK && i < n; i++) {
        char field[96];
        snprintf(field, sizeof field, "%s[%zu]", key, i);
        rc = sc_jio_scalar_node(grp, json_array_get(a, i), out[i], file, field);
    }
    return rc;
}

mpz_t *sc_mpz_array_new(size_t n)
{
    mpz_t *a = calloc(n == 0 ? 1 : n, sizeof(mpz_t));
    if (a != NULL) {
        for (size_t i = 0; i < n; i++) {
            mpz_init(a[i]);
        }
    }
    return a;
}

void sc_mpz_array_free(mpz_t *a, size_t n)
{
    if (a == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        sc_mpz_wipe(a[i]);
        mpz_clear(a[i]);
    }
    free(a);
}
