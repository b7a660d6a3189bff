# Pipeline tests: manifest, ballot encryption, chaining, tally, record I/O,
# and the end-to-end CLI scripts.
sc_add_test(test_manifest SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_manifest.c
            LABELS unit)
sc_add_test(test_ballot SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_ballot.c
            LABELS unit TIMEOUT 300)
