/* Marks of the constant-time tests (ctgrind style): a secret marked
 * undefined for valgrind's memcheck makes every branch or memory index
 * that depends on it an error ("conditional jump or move depends on
 * uninitialised value(s)"); ctest runs these tests under valgrind with
 * --error-exitcode. Without valgrind the marks do nothing. The library's
 * own marks (what it publishes, the documented exceptions) are in
 * src/lib/core/ct_mark.h. */
#ifndef SC_TEST_CT_MARKS_H
#define SC_TEST_CT_MARKS_H

#include <valgrind/memcheck.h>

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

/* The main of a constant-time test (after testlib.h): the library
 * initialised, then the cmocka tests given, or only the one argv[1] names
 * (ctest runs each alone under valgrind, tests/crypto.cmake). */
#define CT_TEST_MAIN(...)                                                      \
    int main(int argc, char **argv)                                            \
    {                                                                          \
        if (sc_init() != SC_OK) {                                              \
            return 1;                                                          \
        }                                                                      \
        if (argc > 1) {                                                        \
            cmocka_set_test_filter(argv[1]);                                   \
        }                                                                      \
        const struct CMUnitTest tests[] = {__VA_ARGS__};                       \
        return cmocka_run_group_tests(tests, NULL, NULL);                      \
    }

#endif
