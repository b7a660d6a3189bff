/* The JSON layer's fast reader (src/lib/record/json_plain.c): on what it
 * accepts it builds jansson's tree, key order included; it declines (NULL)
 * everything outside plain JSON, and sc_json_parse / sc_json_loadb then
 * answer as jansson does. fuzz_json_plain checks the first property on
 * random input. */
#include "testlib.h"

#include <string.h>

#include <jansson.h>

#include "record/json_plain.h"
#include "scrutin/json.h"

/* jansson's reading of s, as the layer asks for it */
static json_t *jansson(const char *s)
{
    json_error_t e;
    return json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, &e);
}

static void same_as_jansson(const char *s)
{
    json_t *p = sc_json_plain_parse(s, strlen(s));
    json_t *j = jansson(s);
    assert_non_null(p);
    assert_non_null(j);
    assert_true(json_equal(p, j));
    char *a = json_dumps(p, JSON_COMPACT), *b = json_dumps(j, JSON_COMPACT);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b); /* keys in the same order */
    free(a);
    free(b);
    json_decref(p);
    json_decref(j);
}

static void accepts_plain_json(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "{}",
        "[]",
        " \t\r\n{ } \n",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"ABC012\"}}",
        "[0,-0,7,-7,123456789012345678,-123456789012345678]",
        "{\"\":\"\",\"k\":\" !#$%&'()*+,-./:;<=>?@[]^_`{|}~\"}",
        "[[[[[[[[[[]]]]]]]]]]",
        "{\"z\":1,\"a\":2,\"m\":3}",
        "[ 1 , 2 ,3 ]",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        same_as_jansson(ok[i]);
    }
}

static void declines_the_rest(void **state)
{
    (void)state;
    static const char *const no[] = {
        "",
        "1",                     /* top level not object/array */
        "\"s\"",                 /* idem */
        "{\"a\":\"\\n\"}",       /* an escape */
        "{\"a\":\"\\u00e9\"}",   /* idem */
        "{\"a\":\"\xc3\xa9\"}",  /* a byte >= 0x80 */
        "{\"a\":\"x\ty\"}",      /* a control character */
        "[1.5]",                 /* a fraction */
        "[1e3]",                 /* an exponent */
        "[1234567890123456789]", /* 19 digits */
        "[01]",                  /* a leading zero */
        "[-]",                   /* no digit */
        "{\"a\":1,\"a\":2}",     /* a key twice */
        "[1,]",                  /* a trailing comma */
        "{\"a\" 1}",             /* no colon */
        "[1] x",                 /* trailing content */
        "[truex]",               /* not a literal */
        "[nul]",                 /* a cut literal */
        "{\"a\":1",              /* cut */
        "[\"abc",                /* cut in a string */
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        json_t *p = sc_json_plain_parse(no[i], strlen(no[i]));
        if (p != NULL) {
            fail_msg("accepted: %s", no[i]);
        }
    }
    /* nesting beyond 64 levels goes to jansson, which reads it */
    char deep[2 * 65 + 1];
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    assert_null(sc_json_plain_parse(deep, 130));
    json_t *j = jansson(deep);
    assert_non_null(j);
    json_decref(j);
    /* a NUL byte inside a string */
    assert_null(sc_json_plain_parse("[\"a\0b\"]", 7));
}

/* What the layer answers does not depend on the path taken: JSON that
 * is not plain is still read (by jansson), invalid JSON refused with
 * jansson's message. */
static void layer_answers_as_jansson(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"a\":\"\\u00e9\",\"b\":1.5}", /* valid, not plain */
        "{\"a\":1}",                     /* plain */
        "{\"a\":1,\"a\":2}",             /* duplicate key: refused */
        "[1,]",                          /* invalid */
        "7",                             /* not an object or array */
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *s = texts[i];
        json_t *j = jansson(s);
        sc_jctx ctx;
        sc_jctx_init(&ctx, "t.json", NULL);
        sc_json *v = NULL;
        sc_status rc = sc_json_parse(&ctx, s, strlen(s), &v);
        char err[160] = "";
        sc_json *w = sc_json_loadb(s, strlen(s), err, sizeof err);
        if (j == NULL) {
            assert_int_not_equal(rc, SC_OK);
            assert_non_null(strstr(ctx.msg, "t.json: invalid JSON"));
            assert_null(v);
            assert_null(w);
            assert_true(err[0] != '\0');
        } else {
            assert_int_equal(rc, SC_OK);
            assert_true(json_equal(v, j));
            assert_true(json_equal(w, j));
        }
        json_decref(j);
        json_decref(v);
        json_decref(w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_plain_json),
        cmocka_unit_test(declines_the_rest),
        cmocka_unit_test(layer_answers_as_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
