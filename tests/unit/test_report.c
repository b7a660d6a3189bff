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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_invalid_cannot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
