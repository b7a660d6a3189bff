/* The verification report: counts, verdicts, exit codes. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "scrutin/report.h"

static void valid_invalid_cannot(void **state)
{
    (void)state;
    sc_report *r = NULL;
    assert_int_equal(sc_report_new(&r, NULL), SC_OK);
    sc_report_step(r, "V1", "parameter validation");
    sc_report_step(r, "V6", "selection encryptions");
    sc_report_pass(r, "V1", 1);
    sc_report_pass(r, "V6", 10);
    assert_int_equal(sc_report_exit_code(r), SC_EXIT_VALID);
    assert_null(sc_report_first_failure(r));
    sc_report_error(r, "V6", "ballot 7", "file missing");
    assert_int_equal(sc_report_exit_code(r), SC_EXIT_CANNOT_CHECK);
    sc_report_fail(r, "V6.D", "ballot 3 contest 1 option 2", "c %s", "x");
    assert_int_equal(sc_report_exit_code(r), SC_EXIT_INVALID);
    assert_string_equal(sc_report_first_failure(r), "V6.D");
    assert_int_equal(sc_report_failures(r, "V6.D"), 1);
    assert_int_equal(sc_report_failures(r, "V6.A"), 0);
    assert_int_equal(sc_report_failures(r, "V6"), 1);
    assert_int_equal(sc_report_errors(r, "V6"), 1);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sc_report_print_text(r, f, 5);
    fclose(f);
    assert_non_null(strstr(buf, "V6   selection encryptions"));
    assert_non_null(strstr(buf, "10/11 FAILED"));
    assert_non_null(strstr(buf, "V6.D ballot 3 contest 1 option 2"));
    assert_non_null(strstr(buf, "verdict: INVALID"));
    free(buf);
    f = open_memstream(&buf, &len);
    sc_report_print_json(r, f);
    fclose(f);
    json_error_t err;
    json_t *j = json_loads(buf, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "verdict")),
                        "INVALID");
    json_decref(j);
    free(buf);
    sc_report_free(r);
}

static char *text_of(const sc_report *r, int max)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sc_report_print_text(r, f, max);
    fclose(f);
    return buf;
}

/* A root folds the failures that follow from it; the first cause comes
 * first; every ballot is named even with a cap of 0; JSON has them all. */
static void fold_and_ballots(void **state)
{
    (void)state;
    sc_report *r = NULL;
    assert_int_equal(sc_report_new(&r, NULL), SC_OK);
    sc_report_step(r, "V1", "parameters");
    sc_report_step(r, "V4", "extended base hash");
    sc_report_step(r, "V6", "selection encryptions");
    sc_report_step(r, "V11", "tally contents");
    sc_report_depends(r, "V1.F", "V4 V6", "they hash with H_B");
    sc_report_depends(r, "V4.A", "V6", "they hash with H_E");
    /* arrival order is not step order (threads) */
    for (int b = 1; b <= 30; b++) {
        sc_report_fail(r, "V6.D", NULL, "x");
        sc_report_fail(r, "V6.D", NULL, "y");
    }
    sc_report_fail(r, "V4.A", "hashes_ext.json", "h_e differs");
    sc_report_fail(r, "V1.F", "hashes.json", "h_b differs");
    sc_report_fail(r, "V11.B", "contest 1 option 2", "label");
    char *t = text_of(r, 5);
    assert_memory_equal(t, "first cause: V1.F hashes.json: h_b", 34);
    assert_non_null(strstr(t, "and 61 later failures in V4, V6 follow"));
    assert_null(strstr(t, "  V6.D"));
    assert_null(strstr(t, "  V4.A"));
    assert_non_null(strstr(t, "  V11.B contest 1 option 2: label"));
    free(t);
    sc_report_free(r);

    /* no root failed: ballots grouped, each named once at least */
    assert_int_equal(sc_report_new(&r, NULL), SC_OK);
    sc_report_step(r, "V6", "selection encryptions");
    sc_report_depends(r, "V4.A", "V6", "they hash with H_E");
    for (int i = 0; i < 300; i++) {
        char where[64];
        snprintf(where, sizeof where, "ballot b-%d contest 1 option %d", i % 12,
                 i);
        sc_report_fail(r, i % 2 ? "V6.D" : "V6.A", where, "bad");
    }
    sc_report_fail(r, "V6.D", "device 2 ballot b-12", "bad");
    sc_report_error(r, "V6", "ballot b-13 contest 2", "unreadable");
    for (int max = 0; max <= 3; max++) {
        t = text_of(r, max);
        for (int b = 0; b <= 13; b++) {
            char name[32];
            snprintf(name, sizeof name, "ballot b-%d", b);
            char *p = strstr(t, name);
            assert_non_null(p);
            assert_true(p[strlen(name)] == ' ' || p[strlen(name)] == ':');
        }
        assert_non_null(strstr(t, "14 ballots with findings"));
        /* natural order: b-2 before b-10 */
        assert_true(strstr(t, "ballot b-2 ") < strstr(t, "ballot b-10 ") ||
                    max == 0);
        free(t);
    }
    t = text_of(r, 1);
    assert_non_null(strstr(t, "ballot b-0: 23 more (V6.A 23)"));
    free(t);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sc_report_print_json(r, f);
    fclose(f);
    json_error_t err;
    json_t *j = json_loads(buf, 0, &err);
    assert_non_null(j);
    json_t *fs = json_object_get(j, "findings");
    assert_int_equal(json_array_size(fs), 302);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(fs, 0), "ballot")),
        "b-0");
    assert_true(json_is_null(json_object_get(j, "causes")) == 0);
    assert_int_equal(json_integer_value(json_object_get(j, "first_cause")), 0);
    json_decref(j);
    free(buf);
    sc_report_free(r);
}

/* sc_report_order: a step's findings sort by the key of the thread that
 * added them, then by arrival; the first cause and the listings follow
 * that order, not the order the threads happened to report in. */
static void order_keys(void **state)
{
    (void)state;
    sc_report *r = NULL;
    assert_int_equal(sc_report_new(&r, NULL), SC_OK);
    sc_report_step(r, "V6", "selection encryptions");
    sc_report_order(r, 6); /* ballot 3's worker, reporting first */
    sc_report_fail(r, "V6.D", "ballot b3 contest 1 option 1", "x");
    sc_report_fail(r, "V6.A", "ballot b3 contest 1 option 2", "y");
    sc_report_order(r, 2); /* ballot 1 */
    sc_report_fail(r, "V6.D", "ballot b1 contest 1 option 1", "z");
    sc_report_order(r, 0); /* before the ballots */
    sc_report_error(r, "V6", "record", "w");
    char cond[16], text[200];
    assert_int_equal(
        sc_report_first_finding(r, cond, sizeof cond, text, sizeof text), 2);
    assert_string_equal(text, "record: w");
    sc_report_order(r, 7);
    sc_report_fail(r, "V6.B", "ballot b3 contest 1 option 3", "v");
    sc_report_order(r, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sc_report_print_text(r, f, 5);
    fclose(f);
    /* first cause: the earliest failure by key (ballot b1), then b3's
     * three in key-then-arrival order */
    assert_non_null(strstr(buf, "first cause: V6.D ballot b1 "));
    const char *a = strstr(buf, "V6.D ballot b3");
    const char *b = strstr(buf, "V6.A ballot b3");
    const char *c = strstr(buf, "V6.B ballot b3");
    assert_true(a != NULL && b != NULL && c != NULL && a < b && b < c);
    free(buf);
    sc_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_invalid_cannot),
        cmocka_unit_test(fold_and_ballots),
        cmocka_unit_test(order_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
