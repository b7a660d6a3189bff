# The witness (src/witness, src/store/witness_db, scrutin witness): a
# loopback test driven by a test log (tests/witness/witness_client.c).
if(TARGET scrutin_srv)
  sc_add_test(test_witness SOURCES ${CMAKE_SOURCE_DIR}/tests/witness/test_witness.c
              LABELS witness)
  target_link_libraries(test_witness PRIVATE scrutin_srv)
  add_executable(witness_client
                 ${CMAKE_SOURCE_DIR}/tests/witness/witness_client.c)
  target_link_libraries(witness_client PRIVATE scrutin_srv)
  sc_warnings(witness_client)
  # The verifying witness's entry rules, one tamper test per rule.
  add_executable(test_verify_entry
                 ${CMAKE_SOURCE_DIR}/tests/witness/test_verify_entry.c)
  target_link_libraries(test_verify_entry PRIVATE scrutin_srv)
  sc_warnings(test_verify_entry)
  add_test(NAME witness_verify_entry
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/witness/verify_entry.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:test_verify_entry>
                   ${CMAKE_SOURCE_DIR}/examples)
  set_tests_properties(witness_verify_entry PROPERTIES LABELS witness
                       TIMEOUT 120)
  add_test(NAME witness_loopback
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/witness/witness_test.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:witness_client> 30)
  # CPU-bound (30 witness restarts): ~22 s of CPU under ASan, so its time
  # is about that times the load over the cores (191 s at a load of 19)
  if(SC_SANITIZE)
    set(_sc_wl_timeout 600)
  else()
    set(_sc_wl_timeout 300)
  endif()
  set_tests_properties(witness_loopback PROPERTIES LABELS "witness;cli"
                       TIMEOUT ${_sc_wl_timeout})
endif()
