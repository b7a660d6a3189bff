sc_add_test(test_arith SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_arith.c
            LABELS unit)
