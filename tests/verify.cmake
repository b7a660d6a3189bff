# The 2.1 verifier (src/lib/verify): step functions one by one, and the
# tamper corpus (a toy-group record made by `scrutin demo`, one mutated
# copy per lettered condition, plus malformed input).
sc_add_test(test_verify SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_verify.c
            LABELS unit verify)
add_library(sc_genrecord STATIC ${CMAKE_SOURCE_DIR}/tests/tamper/gen_record.c)
target_link_libraries(sc_genrecord PUBLIC scrutin_core)
target_include_directories(sc_genrecord PUBLIC ${CMAKE_SOURCE_DIR}/tests/tamper)
add_executable(mkrecord ${CMAKE_SOURCE_DIR}/tests/tamper/mkrecord.c)
target_link_libraries(mkrecord PRIVATE sc_genrecord)
sc_add_test(test_tamper SOURCES ${CMAKE_SOURCE_DIR}/tests/tamper/test_tamper.c
            LABELS verify tamper TIMEOUT 600)
target_link_libraries(test_tamper PRIVATE sc_genrecord)
add_test(NAME verify_cli
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/tamper/cli_verify.sh
                 $<TARGET_FILE:scrutin> ${SC_SHARED_DIR})
set_tests_properties(verify_cli PROPERTIES LABELS "cli;verify" TIMEOUT 300)
add_test(NAME verify_cli_standard
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/tamper/cli_verify.sh
                 $<TARGET_FILE:scrutin> "" standard)
set_tests_properties(verify_cli_standard PROPERTIES LABELS "cli;verify;slow"
                     TIMEOUT 600)
# The report: the first cause first, follow-on failures folded, every
# failing ballot named, --json complete and valid against the schema of
# docs/VERIFIER.md (issue 12 item 17).
add_test(NAME verify_report
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/tamper/verify_report.sh
                 $<TARGET_FILE:scrutin> ${CMAKE_SOURCE_DIR}/docs
                 ${SC_SHARED_DIR})
set_tests_properties(verify_report PROPERTIES LABELS "cli;verify"
                     TIMEOUT 900 SKIP_RETURN_CODE 77)
# The same report, text and --json, whatever the number of threads
# (sc_report_order; issue 13 item 3).
add_test(NAME verify_threads
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/tamper/verify_threads.sh
                 $<TARGET_FILE:scrutin>)
set_tests_properties(verify_threads PROPERTIES LABELS "cli;verify" TIMEOUT 300)
# An element with the sign -1 (p - x) in a standard-group record: found by
# the record-wide square test, reported exactly as element by element, the
# same with 1 and 2 threads (docs/ARITH.md §5).
sc_add_test(test_verify_signs
            SOURCES ${CMAKE_SOURCE_DIR}/tests/tamper/test_verify_signs.c
            LABELS verify tamper TIMEOUT 600)
target_link_libraries(test_verify_signs PRIVATE sc_genrecord)
