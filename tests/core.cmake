sc_add_test(test_group SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_group.c
            LABELS unit)
sc_add_test(test_kat_hash SOURCES ${CMAKE_SOURCE_DIR}/tests/kat/test_kat_hash.c
            LABELS kat)
sc_add_test(test_json_plain
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_json_plain.c
            LABELS unit)
sc_add_test(test_report SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_report.c
            LABELS unit)
sc_add_test(test_results SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_results.c
            LABELS unit)
