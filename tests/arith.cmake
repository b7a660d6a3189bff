sc_add_test(test_arith SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_arith.c
            LABELS unit)
sc_add_test(test_arith_ifma SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_arith_ifma.c
            LABELS unit)
sc_add_test(test_arith_lanes SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_arith_lanes.c
            LABELS unit)
sc_add_test(test_pow_lanes SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_pow_lanes.c
            LABELS unit)
# The generated IFMA cores are what their generators write (a hand
# edit of ifma_core.c, or a generator change not regenerated, fails).
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_FOUND)
  add_test(NAME ifma_core_generated
           COMMAND sh -c "${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/gen_ifma_core.py | cmp - ${CMAKE_SOURCE_DIR}/src/lib/arith/ifma_core.c")
  set_tests_properties(ifma_core_generated PROPERTIES LABELS unit)
  add_test(NAME ifma_mulcore_generated
           COMMAND sh -c "${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/gen_ifma_mulcore.py | cmp - ${CMAKE_SOURCE_DIR}/src/lib/arith/ifma_mulcore.c")
  set_tests_properties(ifma_mulcore_generated PROPERTIES LABELS unit)
endif()
# The square test of many elements, on the kernel and on the fallback.
sc_add_test(test_sqtest SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_sqtest.c
            LABELS unit)
add_test(NAME test_sqtest_fallback COMMAND test_sqtest)
set_tests_properties(test_sqtest_fallback PROPERTIES
                     ENVIRONMENT "SC_ARITH_NO_IFMA=1" LABELS "fallback")
