/* results.json (sc_results_build, docs/BOARD.md §3.5): the counts and
 * labels of tally.json, the SHA-256 of both tally files as given, H_E and
 * the ballot counts; and one refusal per condition (each test changes one
 * thing of the good input). */
#include "testlib.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrutin/results.h"

static const char ENC[] =
    "{\"cast_ballots\":5,\"contests\":[{\"index\":1,\"label\":\"Mayor\","
    "\"options\":[{\"index\":1,\"A\":\"01\",\"B\":\"01\"},{\"index\":2,"
    "\"A\":\"01\",\"B\":\"01\"}]}]}\n";
static const char TALLY[] =
    "{\"guardians_present\":[1,3],\"contests\":[{\"index\":1,\"label\":"
    "\"Mayor\",\"options\":[{\"index\":1,\"label\":\"Ada\",\"value\":3,"
    "\"T\":\"01\"},{\"index\":2,\"label\":\"Bo\",\"value\":2,\"T\":\"01\"}]}]}"
    "\n";

static sc_status build(const char *enc, const char *tally, char **out,
                       char *msg, size_t cap)
{
    uint8_t h_e[32];
    memset(h_e, 0xab, sizeof h_e);
    sc_jctx ctx;
    sc_jctx_init(&ctx, NULL, NULL);
    sc_status rc = sc_results_build(&ctx, h_e, enc, strlen(enc), tally,
                                    strlen(tally), 2, out);
    snprintf(msg, cap, "%s", ctx.msg);
    return rc;
}

static void sha_hex(char out[65], const char *s)
{
    uint8_t h[32];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    for (size_t i = 0; i < 32; i++) {
        snprintf(out + 2 * i, 3, "%02x", h[i]);
    }
}

static void good(void **state)
{
    (void)state;
    char *out = NULL, msg[512], want[2048], se[65], st[65];
    assert_int_equal(build(ENC, TALLY, &out, msg, sizeof msg), SC_OK);
    sha_hex(se, ENC);
    sha_hex(st, TALLY);
    snprintf(
        want, sizeof want,
        "{\"format\":\"scrutin-results\",\"format_version\":1,\"h_e\":"
        "\"ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB"
        "ABAB\",\"encrypted_tally_sha256\":\"%s\",\"tally_sha256\":\"%s\","
        "\"challenged_ballots\":2,\"cast_ballots\":5,\"guardians_present\":"
        "[1,3],\"contests\":[{\"index\":1,\"label\":\"Mayor\",\"options\":"
        "[{\"index\":1,\"label\":\"Ada\",\"votes\":3},{\"index\":2,"
        "\"label\":\"Bo\",\"votes\":2}]}]}",
        se, st);
    assert_string_equal(out, want);
    free(out);
}

/* Replace the first `from` of s by `to`; must occur. */
static char *edit(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    assert_non_null(p);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *r = malloc(n + 1);
    assert_non_null(r);
    snprintf(r, n + 1, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
    return r;
}

static void refuse(const char *enc, const char *tally, const char *needle)
{
    char *out = NULL, msg[512];
    sc_status rc = build(enc, tally, &out, msg, sizeof msg);
    assert_int_not_equal(rc, SC_OK);
    assert_null(out);
    if (strstr(msg, needle) == NULL) {
        fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
    }
}

static void refusals(void **state)
{
    (void)state;
    static const struct {
        int in_enc;
        const char *from, *to, *needle;
    } cases[] = {
        {0, "\"value\":2", "\"value\":-2", "contests[0].options[1].value"},
        {0, ",\"value\":3", "", "contests[0].options[0].value"},
        {0, "\"label\":\"Bo\",", "", "options[1].label"},
        {0, "\"index\":2,\"label\":\"Bo\"", "\"index\":3,\"label\":\"Bo\"",
         "is 3 in tally.json, 2 in encrypted_tally.json"},
        {1, ",{\"index\":2,\"A\":\"01\",\"B\":\"01\"}", "",
         "2 in tally.json, 1 in encrypted_tally.json"},
        {1, "\"cast_ballots\":5,", "", "cast_ballots"},
        {1, "{\"index\":1,\"label\":\"Mayor\"",
         "{\"index\":7,\"label\":\"Mayor\"",
         "is 1 in tally.json, 7 in encrypted_tally.json"},
        {0, "\"guardians_present\":[1,3]", "\"guardians_present\":[1,\"x\"]",
         "guardians_present"},
        {0, "{\"guardians", "[{\"guardians", "invalid JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e =
            edit(cases[i].in_enc ? ENC : TALLY, cases[i].from, cases[i].to);
        if (cases[i].in_enc) {
            refuse(e, TALLY, cases[i].needle);
        } else {
            refuse(ENC, e, cases[i].needle);
        }
        free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(good),
                                       cmocka_unit_test(refusals)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
