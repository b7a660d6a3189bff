# Contest data (spec §3.3.10, record format 2): known answers computed by
# tools/kat_contest_data.py from the spec text.
sc_add_test(test_kat_contest_data
            SOURCES ${CMAKE_SOURCE_DIR}/tests/kat/test_kat_contest_data.c
            LABELS kat)
