/* Manifest validation (each bad case gives one clear error naming the
 * field), effective selection limits, and the canonical bytes. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "scrutin/eghash.h"
#include "scrutin/manifest.h"

static sc_manifest *ok_len(const char *text, size_t len)
{
    sc_manifest *m = NULL;
    char err[512] = "";
    sc_status rc = sc_manifest_parse(&m, text, len, "m.json", err, sizeof err);
    if (rc != SC_OK) {
        fail_msg("unexpected error: %s", err);
    }
    return m;
}

static sc_manifest *ok(const char *text)
{
    sc_manifest *m = NULL;
    char err[512] = "";
    sc_status rc =
        sc_manifest_parse(&m, text, strlen(text), "m.json", err, sizeof err);
    if (rc != SC_OK) {
        fail_msg("unexpected error: %s", err);
    }
    return m;
}

static void bad(const char *text, const char *needle)
{
    sc_manifest *m = NULL;
    char err[512] = "";
    sc_status rc =
        sc_manifest_parse(&m, text, strlen(text), "m.json", err, sizeof err);
    if (rc == SC_OK) {
        fail_msg("accepted a bad manifest (expected \"%s\"): %s", needle, text);
    }
    assert_null(m);
    if (strncmp(err, "m.json: ", 8) != 0 || strstr(err, needle) == NULL ||
        strchr(err, '\n') != NULL) {
        fail_msg("error \"%s\" does not say \"%s\"", err, needle);
    }
}

#define C1                                                                     \
    "{\"label\":\"c1\",\"options\":[{\"label\":\"a\"},{\"label\":\"b\"}]}"
#define S1 "{\"label\":\"s\",\"contests\":[1]}"
#define WRAP(contests, styles)                                                 \
    "{\"label\":\"E\",\"contests\":[" contests "],\"ballot_styles\":[" styles  \
    "]}"

static void test_valid_and_limits(void **state)
{
    (void)state;
    sc_manifest *m = ok(
        "{\"label\":\"E\",\"contests\":["
        "{\"label\":\"one\",\"options\":[{\"label\":\"a\"},{\"label\":\"b\"}]},"
        "{\"label\":\"approve\",\"selection_limit\":3,\"options\":["
        "{\"label\":\"a\"},{\"label\":\"b\",\"selection_limit\":"
        "\"CONTEST_LIMIT\"},{\"label\":\"c\",\"selection_limit\":8}]},"
        "{\"label\":\"free\",\"selection_limit\":\"NO_LIMIT\",\"options\":["
        "{\"label\":\"x\",\"selection_limit\":2},{\"label\":\"y\"}]},"
        "{\"label\":\"capped\",\"selection_limit\":10,\"options\":["
        "{\"label\":\"x\",\"selection_limit\":2},{\"label\":\"y\"}]}],"
        "\"ballot_styles\":[{\"label\":\"all\",\"contests\":[1,2,3,4]},"
        "{\"label\":\"some\",\"contests\":[2,4]}]}");
    assert_int_equal(m->n_contests, 4);
    assert_int_equal(m->contests[0].limit, 1);
    assert_int_equal(m->contests[0].options[0].limit, 1);
    assert_int_equal(m->contests[1].limit, 3);
    assert_int_equal(m->contests[1].options[0].limit, 1);
    assert_int_equal(m->contests[1].options[1].limit, 3); /* CONTEST_LIMIT */
    assert_int_equal(m->contests[1].options[2].limit, 3); /* min(8, 3) */
    assert_int_equal(m->contests[2].limit, 3);            /* NO_LIMIT: 2 + 1 */
    assert_int_equal(m->contests[2].options[0].limit, 2);
    assert_int_equal(m->contests[3].limit, 3); /* min(10, 2 + 1) */
    assert_int_equal(sc_manifest_option_count(m), 9);
    assert_int_equal(sc_manifest_style_find(m, "some"), 2);
    assert_int_equal(sc_manifest_style_find(m, "none"), 0);
    assert_true(sc_manifest_style_has(m, 2, 4));
    assert_false(sc_manifest_style_has(m, 2, 1));
    sc_manifest_free(m);
}

static void test_bad_cases(void **state)
{
    (void)state;
    bad("{\"label\":\"E\",", "invalid JSON");
    bad("[1,2]", "must be a JSON object");
    bad("{\"label\":\"E\",\"label\":\"F\",\"contests\":[" C1
        "],\"ballot_styles\":[" S1 "]}",
        "invalid JSON");
    bad("{\"contests\":[" C1 "],\"ballot_styles\":[" S1 "]}",
        "field label: missing");
    bad("{\"label\":\"E\",\"contests\":[" C1 "],\"ballot_styles\":[" S1
        "],\"extra\":1}",
        "field extra: unknown property");
    bad(WRAP("", S1), "field contests: the manifest has no contests");
    bad(WRAP(C1, ""), "field ballot_styles: the manifest has no ballot styles");
    bad(WRAP(C1 "," C1, S1), "field contests[1].label: duplicate contest "
                             "label");
    bad(WRAP("{\"label\":\"c\",\"options\":[{\"label\":\"a\"},"
             "{\"label\":\"a\"}]}",
             S1),
        "field contests[0].options[1].label: duplicate option label");
    bad(WRAP(C1, S1 "," S1), "field ballot_styles[1].label: duplicate ballot "
                             "style label");
    bad(WRAP("{\"label\":\"c\",\"options\":[]}", S1),
        "field contests[0].options: a contest needs at least one option");
    bad(WRAP("{\"label\":\"c\",\"selection_limit\":0,\"options\":"
             "[{\"label\":\"a\"}]}",
             S1),
        "field contests[0].selection_limit: 0 is out of range");
    bad(WRAP("{\"label\":\"c\",\"selection_limit\":2147483648,\"options\":"
             "[{\"label\":\"a\"}]}",
             S1),
        "out of range 1..2147483647");
    bad(WRAP("{\"label\":\"c\",\"options\":[{\"label\":\"a\","
             "\"selection_limit\":-1}]}",
             S1),
        "field contests[0].options[0].selection_limit: -1 is out of range");
    bad(WRAP("{\"label\":\"c\",\"selection_limit\":\"CONTEST_LIMIT\","
             "\"options\":[{\"label\":\"a\"}]}",
             S1),
        "\"CONTEST_LIMIT\" is not allowed here");
    bad(WRAP("{\"label\":\"c\",\"options\":[{\"label\":\"a\","
             "\"selection_limit\":\"NO_LIMIT\"}]}",
             S1),
        "\"NO_LIMIT\" is not allowed here");
    bad(WRAP("{\"label\":\"c\",\"selection_limit\":\"NO_LIMIT\",\"options\":"
             "[{\"label\":\"a\",\"selection_limit\":\"CONTEST_LIMIT\"}]}",
             S1),
        "\"CONTEST_LIMIT\" in a contest with \"NO_LIMIT\"");
    bad(WRAP("{\"label\":\"c\",\"selection_limit\":1.5,\"options\":"
             "[{\"label\":\"a\"}]}",
             S1),
        "expected an integer");
    bad(WRAP(C1, "{\"label\":\"s\",\"contests\":[2]}"),
        "field ballot_styles[0].contests[0]: no contest with index 2");
    bad(WRAP(C1, "{\"label\":\"s\",\"contests\":[0]}"), "no contest with "
                                                        "index 0");
    bad(WRAP(C1 ",{\"label\":\"c2\",\"options\":[{\"label\":\"x\"}]}",
             "{\"label\":\"s\",\"contests\":[1,1]}"),
        "contest 1 is named twice");
    bad(WRAP(C1 ",{\"label\":\"c2\",\"options\":[{\"label\":\"x\"}]}",
             "{\"label\":\"s\",\"contests\":[2,1]}"),
        "ascending");
    bad(WRAP(C1, "{\"label\":\"s\",\"contests\":[]}"),
        "a ballot style needs at least one contest");
    bad(WRAP(C1, "{\"label\":\"s\",\"contests\":[\"1\"]}"),
        "expected a contest index");
    /* labels */
    bad(WRAP("{\"label\":\"\",\"options\":[{\"label\":\"a\"}]}", S1),
        "field contests[0].label: empty label");
    bad(WRAP("{\"label\":\" c\",\"options\":[{\"label\":\"a\"}]}", S1),
        "starts with white space");
    bad(WRAP("{\"label\":\"c \",\"options\":[{\"label\":\"a\"}]}", S1),
        "ends with white space");
    bad(WRAP("{\"label\":\"c  d\",\"options\":[{\"label\":\"a\"}]}", S1),
        "two white-space characters in a row");
    bad(WRAP("{\"label\":\"c\\td\",\"options\":[{\"label\":\"a\"}]}", S1),
        "control character U+0009");
    bad(WRAP("{\"label\":\"c\\u00A0d\",\"options\":[{\"label\":\"a\"}]}", S1),
        "no-break space");
    bad(WRAP("{\"label\":\"c\\r\\nd\",\"options\":[{\"label\":\"a\"}]}", S1),
        "label contains");
    bad(WRAP("{\"label\":\"c\\n\",\"options\":[{\"label\":\"a\"}]}", S1),
        "ends with white space");
    bad(WRAP("{\"label\":7,\"options\":[{\"label\":\"a\"}]}", S1),
        "field contests[0].label: expected a string");
}

/* Canonical form: compact, fixed property order, default limits omitted,
 * only '"', '\' and control characters escaped; parsing the canonical
 * bytes gives the same bytes again. */
static void test_canonical(void **state)
{
    (void)state;
    const char *in =
        "{ \"ballot_styles\": [ {\"contests\": [1, 2], \"label\": "
        "\"Styl\u00e9\"} ],\n"
        "  \"contests\": [\n"
        "    {\"options\": [{\"selection_limit\": 1, \"label\": \"Ja "
        "\\\"x\\\"\"},"
        "                   {\"label\": \"Nein\\nPartei\", "
        "\"selection_limit\": "
        "\"CONTEST_LIMIT\"}],\n"
        "     \"selection_limit\": 2, \"label\": \"Frage \xc3\xa9\"},\n"
        "    {\"label\": \"back\\\\slash\", \"selection_limit\": \"NO_LIMIT\","
        "     \"options\": [{\"label\": \"o\", \"selection_limit\": 3}]}],\n"
        "  \"label\": \"Wahl \xf0\x9f\x97\xb3\" }\n";
    const char *want =
        "{\"label\":\"Wahl \xf0\x9f\x97\xb3\",\"contests\":["
        "{\"label\":\"Frage \xc3\xa9\",\"selection_limit\":2,\"options\":["
        "{\"label\":\"Ja \\\"x\\\"\"},"
        "{\"label\":\"Nein\\nPartei\",\"selection_limit\":\"CONTEST_LIMIT\"}]},"
        "{\"label\":\"back\\\\slash\",\"selection_limit\":\"NO_LIMIT\","
        "\"options\":[{\"label\":\"o\",\"selection_limit\":3}]}],"
        "\"ballot_styles\":[{\"label\":\"Styl\u00e9\",\"contests\":[1,2]}]}";
    sc_manifest *m = ok(in);
    assert_int_equal(m->canonical_len, strlen(want));
    assert_memory_equal(m->canonical, want, strlen(want));
    sc_manifest *m2 = NULL;
    char err[256];
    assert_int_equal(sc_manifest_parse(&m2, (const char *)m->canonical,
                                       m->canonical_len, "c", err, sizeof err),
                     SC_OK);
    assert_int_equal(m2->canonical_len, m->canonical_len);
    assert_memory_equal(m2->canonical, m->canonical, m->canonical_len);
    sc_manifest_free(m2);
    sc_manifest_free(m);
}

/* The serialization draft's own example manifest is accepted (its option
 * labels use single line breaks), and the canonical bytes and H_B are
 * stable (a regression value: any change to the canonical form changes
 * every H_B). */
static void test_draft_example(void **state)
{
    (void)state;
    size_t len = 0;
    char *md = t_read_file(SC_SHARED_DIR "/spec/serialization-2.1/"
                                         "ElectionGuard_2.1.0_Serialization_"
                                         "Specification.md",
                           &len);
    if (md == NULL) {
        skip();
    }
    const char *a = strstr(md, "## Election Manifest");
    assert_non_null(a);
    a = strstr(a, "Example in non-canonical form:");
    assert_non_null(a);
    a = strstr(a, "```json\n");
    assert_non_null(a);
    a += 8;
    const char *b = strstr(a, "\n```");
    assert_non_null(b);
    sc_manifest *m = ok_len(a, (size_t)(b - a));
    assert_int_equal(m->n_contests, 11);
    assert_int_equal(m->n_styles, 3);
    /* "For Librarian-in-Chief": limit 2^31-1, options CONTEST_LIMIT and
     * 2^31-1: effective L = min(2^31-1, sum) = 2^31-1, R = 2^31-1. */
    assert_int_equal(m->contests[9].limit, 2147483647u);
    /* "Retain" 375 and "Remove" CONTEST_LIMIT under a default contest
     * limit 1: R = 1 for both. */
    assert_int_equal(m->contests[10].options[0].limit, 1);
    assert_int_equal(m->contests[10].options[1].limit, 1);
    /* Gränd Cøuncil: limit 3, options 1, C_L, 8, 4 -> R = 1, 3, 3, 3 */
    assert_int_equal(m->contests[4].options[2].limit, 3);
    uint8_t hp[32], hb[32], hb2[32];
    sc_group *g = t_group(SC_GROUP_STANDARD);
    sc_eg_param_base_hash(g, 5, 3, hp);
    sc_eg_election_base_hash(hp, m->canonical, m->canonical_len, hb);
    sc_manifest *m2 = ok_len((const char *)m->canonical, m->canonical_len);
    sc_eg_election_base_hash(hp, m2->canonical, m2->canonical_len, hb2);
    assert_memory_equal(hb, hb2, 32);
    sc_group_free(g);
    sc_manifest_free(m2);
    sc_manifest_free(m);
    free(md);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_limits),
        cmocka_unit_test(test_bad_cases),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_draft_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
