sc_add_test(test_arith SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_arith.c
            LABELS unit)
sc_add_test(test_arith_ifma SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_arith_ifma.c
            LABELS unit)
