/* Fuzz target: the record JSON helpers (scrutin/json.h).
 *
 * Input: one byte choosing the group (toy q7 / q16 / q32 / q64: small
 * groups let the fuzzer reach valid elements), then a JSON text. Every
 * typed getter is applied to every property of the top-level object (and
 * the value-level forms to every item of array properties).
 *
 * Invariants: a getter either succeeds or fails with a message naming the
 * file and the property; an accepted element is in Z_p^r and prints back
 * to exactly the input string (uppercase, fixed width), likewise scalars
 * (< q), hashes and byte strings; putting an accepted value and getting
 * it again gives the same value; u32 / u64 are in range; the compact dump
 * of the document parses back to an equal document. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_util.h"
#include "scrutin/json.h"

static const sc_group_id ids[4] = {SC_GROUP_TOY_Q7, SC_GROUP_TOY_Q16,
                                   SC_GROUP_TOY_Q32, SC_GROUP_TOY_Q64};

static void failed(const sc_jctx *ctx, sc_status rc)
{
    FZ_ASSERT(rc != SC_OK);
    FZ_ASSERT(ctx->rc != SC_OK);
    FZ_ASSERT(strncmp(ctx->msg, "f.json: ", 8) == 0);
}

static void one_key(const sc_group *g, json_t *obj, const char *key)
{
    sc_jctx ctx;
    sc_status rc;
    json_t *v = json_object_get(obj, key);
    const char *str = json_is_string(v) ? json_string_value(v) : NULL;
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    char hex[2 * 512 + 1];

    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_elem(&ctx, obj, key, x);
    if (rc == SC_OK) {
        FZ_ASSERT(sc_elem_is_member(g, x));
        sc_elem_to_hex(g, hex, x);
        FZ_ASSERT(str != NULL && strcmp(hex, str) == 0);
        json_t *o = sc_json_object();
        FZ_ASSERT(sc_json_put_elem(o, g, "k", x) == SC_OK);
        FZ_ASSERT(sc_json_get_elem(&ctx, o, "k", y) == SC_OK);
        FZ_ASSERT(mpz_cmp(x, y) == 0);
        sc_json_free(o);
    } else {
        failed(&ctx, rc);
    }
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_elem_unchecked(&ctx, obj, key, x);
    if (rc == SC_OK) {
        FZ_ASSERT(mpz_sgn(x) > 0 && mpz_cmp(x, g->p) < 0);
        sc_elem_to_hex(g, hex, x);
        FZ_ASSERT(str != NULL && strcmp(hex, str) == 0);
    } else {
        failed(&ctx, rc);
    }
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_scalar(&ctx, obj, key, x);
    if (rc == SC_OK) {
        FZ_ASSERT(sc_scalar_in_range(g, x));
        sc_scalar_to_hex(g, hex, x);
        FZ_ASSERT(str != NULL && strcmp(hex, str) == 0);
        json_t *o = sc_json_object();
        FZ_ASSERT(sc_json_put_scalar(o, g, "k", x) == SC_OK);
        FZ_ASSERT(sc_json_get_scalar(&ctx, o, "k", y) == SC_OK);
        FZ_ASSERT(mpz_cmp(x, y) == 0);
        sc_json_free(o);
    } else {
        failed(&ctx, rc);
    }
    uint8_t h[32], h2[32];
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_hash(&ctx, obj, key, h);
    if (rc == SC_OK) {
        sc_hex_encode(hex, h, 32);
        FZ_ASSERT(str != NULL && strcmp(hex, str) == 0);
        json_t *o = sc_json_object();
        FZ_ASSERT(sc_json_put_hash(o, "k", h) == SC_OK);
        FZ_ASSERT(sc_json_get_hash(&ctx, o, "k", h2) == SC_OK);
        FZ_ASSERT(memcmp(h, h2, 32) == 0);
        sc_json_free(o);
    } else {
        failed(&ctx, rc);
    }
    uint8_t b[8];
    for (size_t n = 0; n <= sizeof b; n += 4) {
        sc_jctx_init(&ctx, "f.json", g);
        rc = sc_json_get_bytes(&ctx, obj, key, b, n);
        if (rc == SC_OK) {
            sc_hex_encode(hex, b, n);
            FZ_ASSERT(str != NULL && strcmp(hex, str) == 0);
        } else {
            failed(&ctx, rc);
        }
    }
    uint32_t u32;
    uint64_t u64;
    int bo;
    const char *s;
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_u32(&ctx, obj, key, &u32);
    if (rc == SC_OK) {
        FZ_ASSERT(json_is_integer(v) &&
                  json_integer_value(v) == (json_int_t)u32);
    } else {
        failed(&ctx, rc);
    }
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_u64(&ctx, obj, key, &u64);
    if (rc == SC_OK) {
        FZ_ASSERT(json_is_integer(v) && u64 < (1ull << 53) &&
                  json_integer_value(v) == (json_int_t)u64);
        json_t *o = sc_json_object();
        FZ_ASSERT(sc_json_put_u64(o, "k", u64) == SC_OK);
        uint64_t u2;
        FZ_ASSERT(sc_json_get_u64(&ctx, o, "k", &u2) == SC_OK && u2 == u64);
        sc_json_free(o);
    } else {
        failed(&ctx, rc);
    }
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_bool(&ctx, obj, key, &bo);
    if (rc == SC_OK) {
        FZ_ASSERT(json_is_boolean(v) && bo == json_is_true(v));
    } else {
        failed(&ctx, rc);
    }
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_str(&ctx, obj, key, &s);
    if (rc == SC_OK) {
        FZ_ASSERT(s == str);
    } else {
        failed(&ctx, rc);
    }
    sc_json *sub;
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_obj(&ctx, obj, key, &sub);
    if (rc == SC_OK) {
        FZ_ASSERT(json_is_object(sub));
    } else {
        failed(&ctx, rc);
    }
    size_t n = 0;
    sc_jctx_init(&ctx, "f.json", g);
    rc = sc_json_get_arr(&ctx, obj, key, &sub, &n);
    if (rc == SC_OK) {
        FZ_ASSERT(json_is_array(sub) && n == json_array_size(sub));
        FZ_ASSERT(sc_json_array_size(sub) == n);
        size_t m = n < 16 ? n : 16;
        mpz_t *arr = malloc((m + 1) * sizeof *arr);
        FZ_ASSERT(arr != NULL);
        for (size_t i = 0; i <= m; i++) {
            mpz_init(arr[i]);
        }
        for (size_t i = 0; i < m; i++) {
            char name[32];
            snprintf(name, sizeof name, "%s[%zu]", "a", i);
            sc_json *it = sc_json_array_at(sub, i);
            sc_jctx_init(&ctx, "f.json", g);
            if (sc_json_as_elem(&ctx, it, name, x) == SC_OK) {
                FZ_ASSERT(sc_elem_is_member(g, x));
            }
            sc_jctx_init(&ctx, "f.json", g);
            if (sc_json_as_scalar(&ctx, it, name, x) == SC_OK) {
                FZ_ASSERT(sc_scalar_in_range(g, x));
            }
            sc_jctx_init(&ctx, "f.json", g);
            if (sc_json_as_u32(&ctx, it, name, &u32) == SC_OK) {
                FZ_ASSERT(json_integer_value(it) == (json_int_t)u32);
            }
        }
        if (n <= 16) {
            sc_jctx_init(&ctx, "f.json", g);
            if (sc_json_get_elem_array(&ctx, obj, key, n, arr) == SC_OK) {
                json_t *o = sc_json_object();
                FZ_ASSERT(sc_json_put_elem_array(o, g, "k", n,
                                                 (const mpz_t *)arr) == SC_OK);
                FZ_ASSERT(json_equal(json_object_get(o, "k"), v));
                sc_json_free(o);
            } else {
                failed(&ctx, ctx.rc);
            }
            sc_jctx_init(&ctx, "f.json", g);
            if (sc_json_get_scalar_array(&ctx, obj, key, n, arr) == SC_OK) {
                json_t *o = sc_json_object();
                FZ_ASSERT(sc_json_put_scalar_array(
                              o, g, "k", n, (const mpz_t *)arr) == SC_OK);
                FZ_ASSERT(json_equal(json_object_get(o, "k"), v));
                sc_json_free(o);
            } else {
                failed(&ctx, ctx.rc);
            }
            /* wrong length must be refused */
            sc_jctx_init(&ctx, "f.json", g);
            FZ_ASSERT(sc_json_get_elem_array(&ctx, obj, key, n + 1, arr) !=
                      SC_OK);
        }
        for (size_t i = 0; i <= m; i++) {
            mpz_clear(arr[i]);
        }
        free(arr);
    } else {
        failed(&ctx, rc);
    }
    mpz_clears(x, y, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const sc_group *g = fz_group(ids[data[0] & 3]);
    data++;
    size--;
    sc_jctx ctx;
    sc_jctx_init(&ctx, "f.json", g);
    sc_json *root = NULL;
    sc_status rc = sc_json_parse(&ctx, (const char *)data, size, &root);
    if (rc != SC_OK) {
        FZ_ASSERT(root == NULL);
        failed(&ctx, rc);
        return 0;
    }
    /* dump / parse round trip */
    char *dump = sc_json_dumps(root);
    FZ_ASSERT(dump != NULL);
    sc_json *again = NULL;
    sc_jctx_init(&ctx, "f.json", g);
    FZ_ASSERT(sc_json_parse(&ctx, dump, strlen(dump), &again) == SC_OK);
    FZ_ASSERT(json_equal(root, again));
    sc_json_free(again);
    free(dump);
    if (json_is_object(root)) {
        const char *key;
        json_t *val;
        size_t k = 0;
        json_object_foreach(root, key, val)
        {
            (void)val;
            if (k++ == 32) {
                break;
            }
            one_key(g, root, key);
        }
        /* a missing key is an error naming it */
        sc_jctx_init(&ctx, "f.json", g);
        uint32_t u;
        if (json_object_get(root, "\x01missing") == NULL) {
            FZ_ASSERT(sc_json_get_u32(&ctx, root, "\x01missing", &u) != SC_OK);
            failed(&ctx, ctx.rc);
        }
    } else {
        sc_jctx_init(&ctx, "f.json", g);
        uint32_t u;
        FZ_ASSERT(sc_json_get_u32(&ctx, root, "a", &u) != SC_OK);
        failed(&ctx, ctx.rc);
    }
    sc_json_free(root);
    return 0;
}
