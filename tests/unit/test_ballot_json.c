/* The record JSON helpers (scrutin/json.h): fixed-width uppercase hex with
 * range and subgroup checks, small integers, messages "FILE: field X:
 * what", atomic writes. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrutin/json.h"

static sc_json *parse(sc_jctx *ctx, const char *text)
{
    sc_json *j = NULL;
    assert_int_equal(sc_json_parse(ctx, text, strlen(text), &j), SC_OK);
    return j;
}

static void expect_msg(const sc_jctx *ctx, const char *needle)
{
    if (strstr(ctx->msg, needle) == NULL) {
        fail_msg("message \"%s\" lacks \"%s\"", ctx->msg, needle);
    }
}

static void test_elements(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_TOY_Q64);
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    /* round trip of g^5 */
    mpz_set_ui(y, 5);
    mpz_powm(x, g->g, y, g->p);
    sc_json *o = sc_json_object();
    assert_int_equal(sc_json_put_elem(o, g, "e", x), SC_OK);
    assert_int_equal(sc_json_put_scalar(o, g, "s", y), SC_OK);
    assert_int_equal(sc_json_put_u64(o, "n", 7), SC_OK);
    char *text = sc_json_dumps(o);
    sc_jctx ctx;
    sc_jctx_init(&ctx, "f.json", g);
    sc_json *r = parse(&ctx, text);
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    assert_int_equal(sc_json_get_elem(&ctx, r, "e", a), SC_OK);
    assert_int_equal(mpz_cmp(a, x), 0);
    assert_int_equal(sc_json_get_scalar(&ctx, r, "s", b), SC_OK);
    assert_int_equal(mpz_cmp(b, y), 0);
    uint32_t n;
    assert_int_equal(sc_json_get_u32(&ctx, r, "n", &n), SC_OK);
    assert_int_equal(n, 7);
    /* the element is 2*lp uppercase digits */
    const char *e = strstr(text, "\"e\":\"") + 5;
    assert_int_equal(strchr(e, '"') - e, (long)(2 * g->lp));
    sc_json_free(r);

    /* lowercase, wrong width, out of range, outside the subgroup */
    char *bad = malloc(2 * g->lp + 64);
    char *hex = malloc(2 * g->lp + 1);
    sc_elem_to_hex(g, hex, x);
    for (char *p = hex; *p; p++) {
        if (*p >= 'A' && *p <= 'F') {
            *p = (char)(*p - 'A' + 'a');
            break;
        }
    }
    snprintf(bad, 2 * g->lp + 64, "{\"e\":\"%s\"}", hex);
    sc_jctx_init(&ctx, "f.json", g);
    r = parse(&ctx, bad);
    assert_int_equal(sc_json_get_elem(&ctx, r, "e", a), SC_E_INVALID_HEX);
    expect_msg(&ctx, "f.json: field e: not uppercase hex");
    sc_json_free(r);
    sc_jctx_init(&ctx, "f.json", g);
    r = parse(&ctx, "{\"e\":\"0A\"}");
    assert_int_equal(sc_json_get_elem(&ctx, r, "e", a), SC_E_INVALID_LENGTH);
    expect_msg(&ctx, "f.json: field e: expected");
    sc_json_free(r);
    mpz_sub_ui(y, g->p, 1); /* order 2: not in Z_p^r */
    sc_elem_to_hex(g, hex, y);
    snprintf(bad, 2 * g->lp + 64, "{\"e\":\"%s\"}", hex);
    sc_jctx_init(&ctx, "f.json", g);
    r = parse(&ctx, bad);
    assert_int_equal(sc_json_get_elem(&ctx, r, "e", a),
                     SC_E_INVALID_NOT_IN_SUBGROUP);
    expect_msg(&ctx, "f.json: field e: not in the order-q subgroup");
    assert_int_equal(sc_json_get_elem_unchecked(&ctx, r, "e", a), SC_OK);
    sc_json_free(r);
    memset(hex, 'F', 2 * g->lp); /* >= p */
    snprintf(bad, 2 * g->lp + 64, "{\"e\":\"%s\"}", hex);
    sc_jctx_init(&ctx, "f.json", g);
    r = parse(&ctx, bad);
    assert_int_not_equal(sc_json_get_elem_unchecked(&ctx, r, "e", a), SC_OK);
    expect_msg(&ctx, "range");
    sc_json_free(r);
    /* scalar >= q */
    sc_jctx_init(&ctx, "f.json", g);
    char sq[200];
    memset(hex, 'F', 2 * g->lq);
    hex[2 * g->lq] = '\0';
    snprintf(sq, sizeof sq, "{\"s\":\"%s\"}", hex);
    r = parse(&ctx, sq);
    assert_int_equal(sc_json_get_scalar(&ctx, r, "s", b), SC_E_INVALID_RANGE);
    expect_msg(&ctx, "f.json: field s: not in the range 0 <= x < q");
    sc_json_free(r);
    /* missing field, nested prefix, arrays of the wrong length */
    sc_jctx_init(&ctx, "g.json", g);
    r = parse(&ctx, "{\"a\":[1,2]}");
    sc_jctx_where(&ctx, "contests[%d].", 3);
    assert_int_not_equal(sc_json_get_u32(&ctx, r, "index", &n), SC_OK);
    expect_msg(&ctx, "g.json: field contests[3].index: missing");
    sc_jctx_init(&ctx, "g.json", g);
    mpz_t arr[3];
    for (int i = 0; i < 3; i++) {
        mpz_init(arr[i]);
    }
    assert_int_equal(sc_json_get_scalar_array(&ctx, r, "a", 3, arr),
                     SC_E_INVALID_LENGTH);
    expect_msg(&ctx, "field a: expected 3 entries, found 2");
    sc_jctx_init(&ctx, "g.json", g);
    assert_int_not_equal(sc_json_get_scalar_array(&ctx, r, "a", 2, arr), SC_OK);
    expect_msg(&ctx, "field a[0]: expected a string");
    for (int i = 0; i < 3; i++) {
        mpz_clear(arr[i]);
    }
    sc_json_free(r);
    /* duplicate properties are malformed JSON */
    sc_json *dup = NULL;
    sc_jctx_init(&ctx, "d.json", g);
    assert_int_equal(sc_json_parse(&ctx, "{\"a\":1,\"a\":2}", 13, &dup),
                     SC_E_INVALID_JSON);
    expect_msg(&ctx, "d.json: invalid JSON");
    free(bad);
    free(hex);
    free(text);
    sc_json_free(o);
    mpz_clears(x, y, a, b, NULL);
    sc_group_free(g);
}

static void test_atomic_write(void **state)
{
    (void)state;
    char dir[] = "/tmp/sc-json-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/x.json", dir);
    sc_json *o = sc_json_object();
    assert_int_equal(sc_json_put_str(o, "k", "v"), SC_OK);
    assert_int_equal(sc_json_write_file(path, o, 1), SC_OK);
    char *d;
    size_t n;
    assert_int_equal(sc_file_read_all(path, &d, &n), SC_OK);
    assert_string_equal(d, "{\"k\":\"v\"}\n");
    free(d);
    /* a directory that does not exist: an error, nothing left behind */
    assert_int_equal(sc_json_write_file("/nonexistent-dir/x.json", o, 1),
                     SC_E_IO);
    sc_json_free(o);
    unlink(path);
    assert_int_equal(rmdir(dir), 0); /* empty: no temporary file left */
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elements),
        cmocka_unit_test(test_atomic_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
