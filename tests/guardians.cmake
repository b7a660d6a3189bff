# Key ceremony and joint decryption (src/lib/ceremony, src/lib/decrypt,
# scrutin guardian / ceremony / decrypt).
sc_add_test(test_ceremony SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_ceremony.c
            LABELS unit TIMEOUT 300)
sc_add_test(test_decrypt SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_decrypt.c
            LABELS unit TIMEOUT 300)
add_test(NAME guardians_cli_flow
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/guardians_flow.sh
                 $<TARGET_FILE:scrutin>)
set_tests_properties(guardians_cli_flow PROPERTIES LABELS cli TIMEOUT 300)
add_test(NAME guardians_cli_flow_standard
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/guardians_flow.sh
                 $<TARGET_FILE:scrutin> standard)
set_tests_properties(guardians_cli_flow_standard PROPERTIES LABELS "cli;slow"
                     TIMEOUT 600)
# Issue 12 item 10: no core files where secrets live; the terminal is
# restored when a passphrase prompt is interrupted (a pty).
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_FOUND)
  add_test(NAME cli_secrets_protect
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_SOURCE_DIR}/tests/cli/secrets_protect.py
                   $<TARGET_FILE:scrutin>)
  set_tests_properties(cli_secrets_protect PROPERTIES LABELS cli TIMEOUT 300)
endif()
