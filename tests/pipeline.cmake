# Pipeline tests: manifest, ballot encryption, chaining, tally, record I/O,
# and the end-to-end CLI scripts.
sc_add_test(test_manifest SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_manifest.c
            LABELS unit)
sc_add_test(test_ballot SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_ballot.c
            LABELS unit TIMEOUT 300)
sc_add_test(test_ballot_json
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_ballot_json.c
            LABELS unit)
sc_add_test(test_tally_record
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_tally_record.c
            LABELS unit TIMEOUT 300)
add_test(NAME cli_e2e
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/e2e.sh $<TARGET_FILE:scrutin>
                 ${CMAKE_SOURCE_DIR}/examples)
set_tests_properties(cli_e2e PROPERTIES LABELS cli TIMEOUT 300)
add_test(NAME cli_demo_toy
         COMMAND sh -c "d=$(mktemp -d) && $<TARGET_FILE:scrutin> demo --group toy-q64 --ballots 60 --seed 3 --out $d/rec -q; rc=$?; rm -rf $d; exit $rc")
set_tests_properties(cli_demo_toy PROPERTIES LABELS cli TIMEOUT 300)
# Enough ballots (seed 5: 71 challenged, 1,429 contest data items) that
# the decryption's rounds work on more than one chunk of 64 (decrypt.c
# DEC_CHUNK): the verifier checks every decryption.
add_test(NAME cli_demo_toy_chunks
         COMMAND sh -c "d=$(mktemp -d) && $<TARGET_FILE:scrutin> demo --group toy-q64 --ballots 1500 --seed 5 --out $d/rec -q; rc=$?; rm -rf $d; exit $rc")
set_tests_properties(cli_demo_toy_chunks PROPERTIES LABELS "cli;slow" TIMEOUT 300)
add_test(NAME cli_results
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/results.sh $<TARGET_FILE:scrutin>
                 ${CMAKE_SOURCE_DIR}/examples)
set_tests_properties(cli_results PROPERTIES LABELS cli TIMEOUT 300)
add_test(NAME cli_step_help
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/step_help.sh $<TARGET_FILE:scrutin>)
set_tests_properties(cli_step_help PROPERTIES LABELS cli)
add_test(NAME cli_bad_options
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/bad_options.sh $<TARGET_FILE:scrutin>)
set_tests_properties(cli_bad_options PROPERTIES LABELS cli)
