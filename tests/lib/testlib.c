#include "testlib.h"

#include "scrutin/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sc_group *t_group(sc_group_id id)
{
    sc_group *g = NULL;
    assert_int_equal(sc_group_new(&g, id), SC_OK);
    assert_non_null(g);
    return g;
}

void t_nonmember(const sc_group *g, mpz_t x, int kind)
{
    if (kind == 0) {
        mpz_sub_ui(x, g->p, 1);
    } else {
        mpz_set_ui(x, 4);
    }
    assert_false(sc_elem_is_member(g, x));
}

sc_rng *t_rng(uint64_t dflt)
{
    uint64_t seed = dflt;
    const char *env = getenv("SC_TEST_SEED");
    if (env != NULL && *env != '\0') {
        seed = strtoull(env, NULL, 0);
    }
    fprintf(stderr, "# seed %" PRIu64 " (replay with SC_TEST_SEED)\n", seed);
    uint8_t b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(seed >> (8 * i));
    }
    sc_rng *r = NULL;
    assert_int_equal(sc_rng_new_seeded(&r, b, sizeof b), SC_OK);
    return r;
}

void t_mpz_hex(mpz_t out, const char *hex)
{
    assert_int_equal(mpz_set_str(out, hex, 16), 0);
}

void t_bytes_hex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(sc_hex_decode(out, n, hex, strlen(hex)), SC_OK);
}

void t_assert_digest(const uint8_t d[32], const char *hex)
{
    char got[65];
    sc_hex_encode(got, d, 32);
    assert_string_equal(got, hex);
}

static json_t *kat_root;

static void free_kat(void)
{
    json_decref(kat_root);
}

json_t *t_kat(void)
{
    if (kat_root == NULL) {
        json_error_t err;
        kat_root =
            json_load_file(SC_SHARED_DIR "/vectors/eg21_kat.json", 0, &err);
        if (kat_root == NULL) {
            fail_msg("cannot load eg21_kat.json: %s", err.text);
        }
        atexit(free_kat);
    }
    return json_object_get(kat_root, "vectors");
}

json_t *t_kat_get(const char *name)
{
    json_t *v = json_object_get(t_kat(), name);
    if (v == NULL) {
        fail_msg("vector %s missing", name);
    }
    return v;
}

const char *t_kat_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        fail_msg("vector field %s missing", key);
    }
    return json_string_value(v);
}

char *t_read_file(const char *path, size_t *len)
{
    char *data = NULL;
    size_t n = 0;
    if (sc_file_read_all(path, &data, &n) != SC_OK) {
        return NULL;
    }
    if (len != NULL) {
        *len = n;
    }
    return data;
}
