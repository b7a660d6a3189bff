# The transparency-log library (include/scrutin/tlog.h, entry.h).
sc_add_test(test_tlog_merkle
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_tlog_merkle.c
            LABELS unit)
sc_add_test(test_tlog_entry
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_tlog_entry.c
            LABELS unit)
sc_add_test(test_tlog_note
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_tlog_note.c
            LABELS unit)
sc_add_test(test_tlog_receipt
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_tlog_receipt.c
            LABELS unit)
sc_add_test(test_signer_index
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_signer_index.c
            LABELS unit)
