/* Scrutin: JSON helpers (include/scrutin/json.h). */
#include "scrutin/json.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "record/json_plain.h"
#include "scrutin/core.h"
#include "scrutin/files.h"

/* ------------------------------------------------------------------------
 * Error context
 * ---------------------------------------------------------------------- */

void sc_jctx_init(sc_jctx *ctx, const char *file, const sc_group *grp)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->file = file;
    ctx->grp = grp;
}

void sc_jctx_where(sc_jctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->where, sizeof ctx->where, fmt, ap);
    va_end(ap);
}

sc_status sc_jctx_fail(sc_jctx *ctx, sc_status rc, const char *field,
                       const char *fmt, ...)
{
    if (ctx == NULL || ctx->rc != SC_OK) {
        return rc;
    }
    ctx->rc = rc;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *file = ctx->file != NULL ? ctx->file : "(input)";
    if (field != NULL) {
        snprintf(ctx->msg, sizeof ctx->msg, "%s: field %s%s: %s", file,
                 ctx->where, field, what);
    } else if (ctx->where[0] != '\0') {
        /* strip a trailing '.' of the prefix for a clean "at" */
        char w[sizeof ctx->where];
        snprintf(w, sizeof w, "%s", ctx->where);
        size_t wl = strlen(w);
        if (wl > 0 && w[wl - 1] == '.') {
            w[wl - 1] = '\0';
        }
        snprintf(ctx->msg, sizeof ctx->msg, "%s: %s: %s", file, w, what);
    } else {
        snprintf(ctx->msg, sizeof ctx->msg, "%s: %s", file, what);
    }
    return rc;
}

/* ------------------------------------------------------------------------
 * Files
 * ---------------------------------------------------------------------- */

sc_status sc_file_read_all(const char *path, char **data, size_t *len)
{
    return sc_input_read_file(path, SC_FILE_MAX, data, len);
}

/* Make the rename durable: fsync the directory that holds `path`. */
void sc_file_sync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL) {
        return;
    }
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* The data in a new temporary file next to path (mkstemp name, exact mode,
 * fsynced), its descriptor left open and locked (flock) so that
 * sc_record_recover, which removes the temporary files of killed runs,
 * never removes one in use. */
static sc_status write_temp(const char *path, const void *data, size_t len,
                            unsigned mode, char **tmp_out, int *fd_out)
{
    *tmp_out = NULL;
    *fd_out = -1;
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (tmp == NULL) {
        return SC_E_NOMEM;
    }
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp); /* created 0600: never readable by others */
    if (fd < 0) {
        sc_status e = sc_io_fail();
        free(tmp);
        return e;
    }
    sc_status rc = SC_OK;
    (void)flock(fd, LOCK_EX);
    if (fchmod(fd, (mode_t)mode) != 0) {
        rc = sc_io_fail();
    }
    const uint8_t *p = data;
    size_t left = len;
    while (rc == SC_OK && left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = sc_io_fail();
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (rc == SC_OK && fsync(fd) != 0) {
        rc = sc_io_fail();
    }
    if (rc != SC_OK) {
        unlink(tmp);
        close(fd);
        free(tmp);
        return rc;
    }
    *tmp_out = tmp;
    *fd_out = fd;
    return SC_OK;
}

sc_status sc_file_write_atomic_mode(const char *path, const void *data,
                                    size_t len, unsigned mode)
{
    char *tmp = NULL;
    int fd = -1;
    sc_status rc = write_temp(path, data, len, mode, &tmp, &fd);
    if (rc != SC_OK) {
        return rc;
    }
    if (rename(tmp, path) != 0) {
        rc = sc_io_fail();
        unlink(tmp);
    }
    if (close(fd) != 0 && rc == SC_OK) {
        rc = sc_io_fail(); /* written, but a late error (NFS) is reported */
    }
    if (rc == SC_OK) {
        sc_file_sync_dir_of(path);
    }
    free(tmp);
    return rc;
}

sc_status sc_file_write_atomic(const char *path, const void *data, size_t len)
{
    /* Record files are public, and readable by everyone whatever the
     * umask (never writable by others, even under umask 000). */
    return sc_file_write_atomic_mode(path, data, len, SC_PUBLIC_FILE_MODE);
}

/* The layer's one reader: plain JSON on the fast path (json_plain.c),
 * everything else, and every error (in *e), by jansson. */
static json_t *load(const char *text, size_t len, json_error_t *e)
{
    json_t *v = sc_json_plain_parse(text, len);
    return v != NULL ? v : json_loadb(text, len, JSON_REJECT_DUPLICATES, e);
}

sc_json *sc_json_loadb(const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t e;
    json_t *v = load(text, len, &e);
    if (v == NULL && errlen > 0) {
        snprintf(err, errlen, "%s", e.text);
    }
    return v;
}

sc_status sc_json_parse(sc_jctx *ctx, const char *text, size_t len,
                        sc_json **out)
{
    json_error_t e;
    *out = load(text, len, &e);
    if (*out == NULL) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, NULL,
                            "invalid JSON at line %d column %d: %s", e.line,
                            e.column, e.text);
    }
    return SC_OK;
}

sc_status sc_json_read_file(sc_jctx *ctx, const char *path, sc_json **out)
{
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    sc_status rc = sc_file_read_all(path, &data, &len);
    if (rc != SC_OK) {
        return sc_jctx_fail(ctx, rc, NULL, "cannot read: %s", sc_strerror(rc));
    }
    rc = sc_json_parse(ctx, data, len, out);
    free(data);
    return rc;
}

char *sc_json_dumps(const sc_json *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

sc_status sc_json_write_file(const char *path, const sc_json *v, int compact)
{
    size_t flags =
        JSON_PRESERVE_ORDER | (compact ? JSON_COMPACT : JSON_INDENT(2));
    char *s = json_dumps(v, flags);
    if (s == NULL) {
        return SC_E_NOMEM;
    }
    size_t n = strlen(s);
    char *buf = realloc(s, n + 2);
    if (buf == NULL) {
        free(s);
        return SC_E_NOMEM;
    }
    buf[n] = '\n';
    buf[n + 1] = '\0';
    sc_status rc = sc_file_write_atomic(path, buf, n + 1);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------------
 * Values
 * ---------------------------------------------------------------------- */

sc_json *sc_json_object(void)
{
    return json_object();
}

sc_json *sc_json_array(void)
{
    return json_array();
}

void sc_json_free(sc_json *v)
{
    json_decref(v);
}

size_t sc_json_array_size(const sc_json *arr)
{
    return json_is_array(arr) ? json_array_size(arr) : 0;
}

sc_json *sc_json_array_at(const sc_json *arr, size_t i)
{
    return json_array_get(arr, i);
}

/* ------------------------------------------------------------------------
 * Getters
 * ---------------------------------------------------------------------- */

static sc_status lookup(sc_jctx *ctx, const sc_json *obj, const char *key,
                        json_t **out)
{
    if (!json_is_object(obj)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, NULL,
                            "expected a JSON object");
    }
    *out = json_object_get(obj, key);
    if (*out == NULL) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, key, "missing");
    }
    return SC_OK;
}

/* Exactly `digits` uppercase hex digits. */
static sc_status check_hex(sc_jctx *ctx, const json_t *v, const char *name,
                           size_t digits, const char **out)
{
    if (!json_is_string(v)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, name,
                            "expected a string of %zu hex digits", digits);
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n != digits) {
        return sc_jctx_fail(ctx, SC_E_INVALID_LENGTH, name,
                            "expected %zu hex digits, found %zu characters",
                            digits, n);
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            return sc_jctx_fail(ctx, SC_E_INVALID_HEX, name,
                                "not uppercase hex (character %zu)", i + 1);
        }
    }
    *out = s;
    return SC_OK;
}

static sc_status need_grp(sc_jctx *ctx, const char *name)
{
    if (ctx == NULL || ctx->grp == NULL) {
        if (ctx != NULL) {
            sc_jctx_fail(ctx, SC_E_MISUSE, name, "no group given");
        }
        return SC_E_MISUSE;
    }
    return SC_OK;
}

static sc_status as_elem(sc_jctx *ctx, const json_t *v, const char *name,
                         mpz_t out, int check)
{
    sc_status rc = need_grp(ctx, name);
    if (rc != SC_OK) {
        return rc;
    }
    const char *s;
    rc = check_hex(ctx, v, name, 2 * ctx->grp->lp, &s);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_elem_from_hex_unchecked(ctx->grp, out, s);
    if (rc != SC_OK) {
        return sc_jctx_fail(ctx, rc, name, "not in the range 0 < x < p");
    }
    if (check && !sc_elem_is_member(ctx->grp, out)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_NOT_IN_SUBGROUP, name,
                            "not in the order-q subgroup of Z_p*");
    }
    return SC_OK;
}

sc_status sc_json_as_elem(sc_jctx *ctx, const sc_json *v, const char *name,
                          mpz_t out)
{
    return as_elem(ctx, v, name, out, 1);
}

sc_status sc_json_as_scalar(sc_jctx *ctx, const sc_json *v, const char *name,
                            mpz_t out)
{
    sc_status rc = need_grp(ctx, name);
    if (rc != SC_OK) {
        return rc;
    }
    const char *s;
    rc = check_hex(ctx, v, name, 2 * ctx->grp->lq, &s);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_scalar_from_hex(ctx->grp, out, s);
    if (rc != SC_OK) {
        return sc_jctx_fail(ctx, SC_E_INVALID_RANGE, name,
                            "not in the range 0 <= x < q");
    }
    return SC_OK;
}

static sc_status as_uint(sc_jctx *ctx, const json_t *v, const char *name,
                         uint64_t max, uint64_t *out)
{
    if (!json_is_integer(v)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, name,
                            "expected an integer");
    }
    json_int_t x = json_integer_value(v);
    if (x < 0 || (uint64_t)x > max) {
        return sc_jctx_fail(ctx, SC_E_INVALID_RANGE, name,
                            "%lld is out of range 0..%llu", (long long)x,
                            (unsigned long long)max);
    }
    *out = (uint64_t)x;
    return SC_OK;
}

sc_status sc_json_as_u32(sc_jctx *ctx, const sc_json *v, const char *name,
                         uint32_t *out)
{
    uint64_t x = 0;
    sc_status rc = as_uint(ctx, v, name, UINT32_MAX, &x);
    if (rc == SC_OK) {
        *out = (uint32_t)x;
    }
    return rc;
}

sc_status sc_json_get_obj(sc_jctx *ctx, const sc_json *obj, const char *key,
                          sc_json **out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    if (!json_is_object(v)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, key, "expected an object");
    }
    *out = v;
    return SC_OK;
}

sc_status sc_json_get_arr(sc_jctx *ctx, const sc_json *obj, const char *key,
                          sc_json **out, size_t *n)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    if (!json_is_array(v)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, key, "expected an array");
    }
    *out = v;
    if (n != NULL) {
        *n = json_array_size(v);
    }
    return SC_OK;
}

sc_status sc_json_get_str(sc_jctx *ctx, const sc_json *obj, const char *key,
                          const char **out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    if (!json_is_string(v)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, key, "expected a string");
    }
    *out = json_string_value(v);
    return SC_OK;
}

sc_status sc_json_get_u32(sc_jctx *ctx, const sc_json *obj, const char *key,
                          uint32_t *out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    return sc_json_as_u32(ctx, v, key, out);
}

sc_status sc_json_get_u64(sc_jctx *ctx, const sc_json *obj, const char *key,
                          uint64_t *out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    return as_uint(ctx, v, key, (UINT64_C(1) << 53) - 1, out);
}

sc_status sc_json_get_bool(sc_jctx *ctx, const sc_json *obj, const char *key,
                           int *out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    if (!json_is_boolean(v)) {
        return sc_jctx_fail(ctx, SC_E_INVALID_JSON, key,
                            "expected true or false");
    }
    *out = json_is_true(v);
    return SC_OK;
}

sc_status sc_json_get_elem(sc_jctx *ctx, const sc_json *obj, const char *key,
                           mpz_t out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    return as_elem(ctx, v, key, out, 1);
}

sc_status sc_json_get_elem_unchecked(sc_jctx *ctx, const sc_json *obj,
                                     const char *key, mpz_t out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    return as_elem(ctx, v, key, out, 0);
}

sc_status sc_json_get_scalar(sc_jctx *ctx, const sc_json *obj, const char *key,
                             mpz_t out)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    return sc_json_as_scalar(ctx, v, key, out);
}

sc_status sc_json_get_bytes(sc_jctx *ctx, const sc_json *obj, const char *key,
                            uint8_t *out, size_t n)
{
    json_t *v;
    sc_status rc = lookup(ctx, obj, key, &v);
    if (rc != SC_OK) {
        return rc;
    }
    const char *s;
    rc = check_hex(ctx, v, key, 2 * n, &s);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_hex_decode(out, n, s, 2 * n);
    if (rc != SC_OK) {
        return sc_jctx_fail(ctx, rc, key, "bad hex");
    }
    return SC_OK;
}

sc_status sc_json_get_hash(sc_jctx *ctx, const sc_json *obj, const char *key,
                           uint8_t out[32])
{
    return sc_json_get_bytes(ctx, obj, key, out, 32);
}

static sc_status get_num_array(sc_jctx *ctx, const sc_json *obj,
                               const char *key, size_t n, mpz_t *out,
                               int scalar)
{
    json_t *arr = NULL;
    size_t len = 0;
    sc_status rc = sc_json_get_arr(ctx, obj, key, &arr, &len);
    if (rc != SC_OK) {
        return rc;
    }
    if (len != n) {
        return sc_jctx_fail(ctx, SC_E_INVALID_LENGTH, key,
                            "expected %zu entries, found %zu", n, len);
    }
    for (size_t i = 0; i < n; i++) {
        char name[96];
        snprintf(name, sizeof name, "%s[%zu]", key, i);
        json_t *v = json_array_get(arr, i);
        rc = scalar ? sc_json_as_scalar(ctx, v, name, out[i])
                    : as_elem(ctx, v, name, out[i], 1);
        if (rc != SC_OK) {
            return rc;
        }
    }
    return SC_OK;
}

sc_status sc_json_get_elem_array(sc_jctx *ctx, const sc_json *obj,
                                 const char *key, size_t n, mpz_t *out)
{
    return get_num_array(ctx, obj, key, n, out, 0);
}

sc_status sc_json_get_scalar_array(sc_jctx *ctx, const sc_json *obj,
                                   const char *key, size_t n, mpz_t *out)
{
    return get_num_array(ctx, obj, key, n, out, 1);
}

/* ------------------------------------------------------------------------
 * Putters
 * ---------------------------------------------------------------------- */

sc_status sc_json_put(sc_json *obj, const char *key, sc_json *v)
{
    if (v == NULL) {
        return SC_E_NOMEM;
    }
    return json_object_set_new(obj, key, v) == 0 ? SC_OK : SC_E_NOMEM;
}

sc_status sc_json_put_str(sc_json *obj, const char *key, const char *s)
{
    return sc_json_put(obj, key, json_string(s));
}

sc_status sc_json_put_u64(sc_json *obj, const char *key, uint64_t x)
{
    return sc_json_put(obj, key, json_integer((json_int_t)x));
}

sc_status sc_json_put_bool(sc_json *obj, const char *key, int b)
{
    return sc_json_put(obj, key, json_boolean(b));
}

sc_status sc_json_put_null(sc_json *obj, const char *key)
{
    return sc_json_put(obj, key, json_null());
}

static json_t *hex_value(const uint8_t *b, size_t n)
{
    char stack[1025];
    char *s = 2 * n + 1 <= sizeof stack ? stack : malloc(2 * n + 1);
    if (s == NULL) {
        return NULL;
    }
    sc_hex_encode(s, b, n);
    json_t *v = json_stringn(s, 2 * n);
    if (s != stack) {
        free(s);
    }
    return v;
}

static json_t *elem_value(const sc_group *grp, const mpz_t x)
{
    char *s = malloc(2 * grp->lp + 1);
    if (s == NULL) {
        return NULL;
    }
    sc_elem_to_hex(grp, s, x);
    json_t *v = json_stringn(s, 2 * grp->lp);
    free(s);
    return v;
}

static json_t *scalar_value(const sc_group *grp, const mpz_t x)
{
    char s[130];
    if (2 * grp->lq + 1 > sizeof s) {
        return NULL;
    }
    sc_scalar_to_hex(grp, s, x);
    return json_stringn(s, 2 * grp->lq);
}

sc_status sc_json_put_elem(sc_json *obj, const sc_group *grp, const char *key,
                           const mpz_t x)
{
    return sc_json_put(obj, key, elem_value(grp, x));
}

sc_status sc_json_put_scalar(sc_json *obj, const sc_group *grp, const char *key,
                             const mpz_t x)
{
    return sc_json_put(obj, key, scalar_value(grp, x));
}

sc_status sc_json_put_hash(sc_json *obj, const char *key, const uint8_t h[32])
{
    return sc_json_put(obj, key, hex_value(h, 32));
}

sc_status sc_json_put_bytes(sc_json *obj, const char *key, const uint8_t *b,
                            size_t n)
{
    return sc_json_put(obj, key, hex_value(b, n));
}

sc_status sc_json_append(sc_json *arr, sc_json *v)
{
    if (v == NULL) {
        return SC_E_NOMEM;
    }
    return json_array_append_new(arr, v) == 0 ? SC_OK : SC_E_NOMEM;
}

sc_status sc_json_append_u64(sc_json *arr, uint64_t x)
{
    return sc_json_append(arr, json_integer((json_int_t)x));
}

sc_status sc_json_append_elem(sc_json *arr, const sc_group *grp, const mpz_t x)
{
    return sc_json_append(arr, elem_value(grp, x));
}

sc_status sc_json_append_scalar(sc_json *arr, const sc_group *grp,
                                const mpz_t x)
{
    return sc_json_append(arr, scalar_value(grp, x));
}

static sc_status put_num_array(sc_json *obj, const sc_group *grp,
                               const char *key, size_t n, const mpz_t *x,
                               int scalar)
{
    json_t *arr = json_array();
    if (arr == NULL) {
        return SC_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        sc_status rc = scalar ? sc_json_append_scalar(arr, grp, x[i])
                              : sc_json_append_elem(arr, grp, x[i]);
        if (rc != SC_OK) {
            json_decref(arr);
            return rc;
        }
    }
    return sc_json_put(obj, key, arr);
}

sc_status sc_json_put_elem_array(sc_json *obj, const sc_group *grp,
                                 const char *key, size_t n, const mpz_t *x)
{
    return put_num_array(obj, grp, key, n, x, 0);
}

sc_status sc_json_put_scalar_array(sc_json *obj, const sc_group *grp,
                                   const char *key, size_t n, const mpz_t *x)
{
    return put_num_array(obj, grp, key, n, x, 1);
}
