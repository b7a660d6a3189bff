# Contest data (spec §3.3.10, record format 2): known answers computed by
# tools/kat_contest_data.py from the spec text.
sc_add_test(test_kat_contest_data
            SOURCES ${CMAKE_SOURCE_DIR}/tests/kat/test_kat_contest_data.c
            LABELS kat)
# Contest data written from eq 63-71 by the test itself (GMP, libsodium's
# HMAC), independent of Scrutin's encryption code, must verify.
sc_add_test(test_contest_data_indep
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_contest_data_indep.c
            LABELS unit verify)
target_link_libraries(test_contest_data_indep PRIVATE sc_genrecord)
# Supplemental verifiable fields (§3.3.9): random ballots, decrypted
# supplemental tallies equal the plaintext counts; manifest errors.
sc_add_test(test_supplemental_prop
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_supplemental_prop.c
            LABELS unit prop)
# The demo's whole public record holds nothing about a vote in the clear.
add_test(NAME cli_privacy_grep
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/privacy_grep.sh
                 $<TARGET_FILE:scrutin>)
set_tests_properties(cli_privacy_grep PROPERTIES LABELS cli TIMEOUT 300)
# Reading write-ins of cast ballots through the CLI, round by round
# (docs/RECORD.md "Reading write-ins").
add_test(NAME cli_write_ins_flow
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/write_ins_flow.sh
                 $<TARGET_FILE:scrutin>)
set_tests_properties(cli_write_ins_flow PROPERTIES LABELS cli TIMEOUT 300)
