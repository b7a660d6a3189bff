/* Fuzz target: the egk 2.0 verifier's typed JSON getters
 * (src/lib/verify20/json20.h: v20_get*, v20_loc_*), which every file of a
 * 2.0 record goes through. Small groups instead of the 4096-bit one (the
 * getters take the group), so the fuzzer reaches valid elements.
 *
 * Input: one byte choosing the group (toy q7 / q16 / q32 / q64), then a
 * JSON text. Every getter is applied to every property of every object
 * met walking the document (depth and count bounded), with locations
 * built by v20_loc_key / v20_loc_idx as the verifier does.
 *
 * Invariants: a getter succeeds or fails with a message naming the file
 * and the field path; an element is 0 < x < p; integers are within the
 * asked bounds; hashes / byte strings print back to the input digits
 * (case aside); long paths are cut, never overflowed. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "fuzz_util.h"
#include "verify20/json20.h"

static const sc_group_id ids[4] = {SC_GROUP_TOY_Q7, SC_GROUP_TOY_Q16,
                                   SC_GROUP_TOY_Q32, SC_GROUP_TOY_Q64};

static int budget;

static void failed(const v20_loc *loc, sc_status rc)
{
    FZ_ASSERT(rc != SC_OK);
    FZ_ASSERT(strncmp(loc->msg, "f.json: ", 8) == 0);
    FZ_ASSERT(memchr(loc->msg, '\0', V20_MSG) != NULL);
}

static void keys(const sc_group *g, const v20_loc *loc, json_t *obj,
                 const char *key)
{
    char msg[V20_MSG];
    v20_loc l = *loc;
    l.msg = msg;
    json_t *v = json_object_get(obj, key);
    const char *str = json_is_string(v) ? json_string_value(v) : NULL;
    json_t *out;
    sc_status rc;
    mpz_t x;
    mpz_init(x);

#define CHECK(call, okblock)                                                   \
    do {                                                                       \
        msg[0] = '\0';                                                         \
        rc = (call);                                                           \
        if (rc == SC_OK) {                                                     \
            okblock;                                                           \
        } else {                                                               \
            failed(&l, rc);                                                    \
        }                                                                      \
    } while (0)

    CHECK(v20_get(&l, obj, key, &out), FZ_ASSERT(out == v));
    CHECK(v20_get_array(&l, obj, key, &out), FZ_ASSERT(json_is_array(out)));
    const char *s;
    CHECK(v20_get_str(&l, obj, key, &s), FZ_ASSERT(s == str));
    long long ll;
    CHECK(v20_get_int(&l, obj, key, -5, 1000, &ll),
          FZ_ASSERT(ll >= -5 && ll <= 1000));
    CHECK(v20_get_int(&l, obj, key, 0, 0x7FFFFFFFLL, &ll),
          FZ_ASSERT(ll >= 0 && ll <= 0x7FFFFFFFLL));
    CHECK(v20_get_elem(&l, g, obj, key, x),
          FZ_ASSERT(mpz_sgn(x) > 0 && mpz_cmp(x, g->p) < 0));
    CHECK(v20_get_u256(&l, obj, key, x),
          FZ_ASSERT(mpz_sgn(x) >= 0 && mpz_sizeinbase(x, 2) <= 256));
    uint8_t h[32];
    char hex[65];
    CHECK(v20_get_hash(&l, obj, key, h), {
        sc_hex_encode(hex, h, 32);
        FZ_ASSERT(str != NULL && strcasecmp(hex, str) == 0);
    });
    uint8_t *b = NULL;
    size_t bl = 0;
    CHECK(v20_get_bytes(&l, obj, key, &b, &bl), {
        FZ_ASSERT(str != NULL && strlen(str) == 2 * bl);
        char *hx = malloc(2 * bl + 1);
        FZ_ASSERT(hx != NULL);
        sc_hex_encode(hx, b, bl);
        FZ_ASSERT(strcasecmp(hx, str) == 0);
        free(hx);
        free(b);
    });
#undef CHECK
    mpz_clear(x);
}

static void walk(const sc_group *g, const v20_loc *loc, json_t *v, int depth)
{
    if (depth > 40 || budget-- <= 0) {
        return;
    }
    if (json_is_object(v)) {
        const char *key;
        json_t *val;
        json_object_foreach(v, key, val)
        {
            keys(g, loc, v, key);
            v20_loc child;
            v20_loc_key(&child, loc, key);
            FZ_ASSERT(memchr(child.path, '\0', sizeof child.path) != NULL);
            walk(g, &child, val, depth + 1);
        }
        /* a missing key */
        keys(g, loc, v, "\x01missing");
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v) && i < 8; i++) {
            v20_loc child;
            v20_loc_idx(&child, loc, i);
            FZ_ASSERT(memchr(child.path, '\0', sizeof child.path) != NULL);
            walk(g, &child, json_array_get(v, i), depth + 1);
        }
    } else {
        /* a getter on a non-object */
        char msg[V20_MSG];
        v20_loc l = *loc;
        l.msg = msg;
        json_t *out;
        FZ_ASSERT(v20_get(&l, v, "k", &out) != SC_OK);
        failed(&l, SC_E_INVALID);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const sc_group *g = fz_group(ids[data[0] & 3]);
    json_t *root = json_loadb((const char *)data + 1, size - 1,
                              JSON_REJECT_DUPLICATES, NULL);
    if (root == NULL) {
        return 0;
    }
    char msg[V20_MSG];
    v20_loc top;
    memset(&top, 0, sizeof top);
    top.file = "f.json";
    top.msg = msg;
    budget = 200;
    walk(g, &top, root, 0);
    json_decref(root);
    return 0;
}
