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

#endif
