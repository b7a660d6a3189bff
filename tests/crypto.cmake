sc_add_test(test_kat_ballot
            SOURCES ${CMAKE_SOURCE_DIR}/tests/kat/test_kat_ballot.c
            LABELS kat)
sc_add_test(test_elgamal SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_elgamal.c
            LABELS unit prop)
sc_add_test(test_proof SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_proof.c
            LABELS unit prop TIMEOUT 600)
# Constant-time check (ctgrind style, tests/unit/ct_marks.h) of the
# secret-scalar code, vote loading, the ceremony, decryption and the range
# proofs: each cmocka test runs once plainly and once under valgrind, where
# any branch or memory index on a value marked secret fails it.
find_program(SC_VALGRIND valgrind)
if(SC_VALGRIND AND SC_VALGRIND_INC AND NOT SC_SANITIZE)
  sc_add_test(test_elgamal_ct
              SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_elgamal_ct.c
              LABELS unit ct TIMEOUT 600)
  sc_add_test(test_ct_protocol
              SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_ct_protocol.c
              LABELS unit ct TIMEOUT 600)
  foreach(_ct IN ITEMS "test_elgamal_ct:scalar_ops"
                       "test_elgamal_ct:vote_loading"
                       "test_ct_protocol:ceremony"
                       "test_ct_protocol:decryption_toy"
                       "test_ct_protocol:decryption_standard"
                       "test_ct_protocol:range_proofs")
    string(REPLACE ":" ";" _p "${_ct}")
    list(GET _p 0 _exe)
    list(GET _p 1 _case)
    if(_case STREQUAL "scalar_ops")
      set(_name test_elgamal_ct_valgrind) # the name issue 12 refers to
    else()
      set(_name test_ct_valgrind_${_case})
    endif()
    add_test(NAME ${_name}
             COMMAND ${SC_VALGRIND} --error-exitcode=99 -q
                     $<TARGET_FILE:${_exe}> ${_case})
    set_tests_properties(${_name} PROPERTIES LABELS "ct" TIMEOUT 900)
  endforeach()
endif()
