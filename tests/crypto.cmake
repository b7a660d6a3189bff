sc_add_test(test_kat_ballot
            SOURCES ${CMAKE_SOURCE_DIR}/tests/kat/test_kat_ballot.c
            LABELS kat)
sc_add_test(test_elgamal SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_elgamal.c
            LABELS unit prop)
sc_add_test(test_proof SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_proof.c
            LABELS unit prop TIMEOUT 600)
# Constant-time check (ctgrind style) of the secret-scalar code and of
# encryption: run under valgrind when it is installed.
find_program(SC_VALGRIND valgrind)
find_path(SC_VALGRIND_INC valgrind/memcheck.h)
if(SC_VALGRIND AND SC_VALGRIND_INC AND NOT SC_SANITIZE)
  sc_add_test(test_elgamal_ct
              SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_elgamal_ct.c
              LABELS unit ct TIMEOUT 600)
  add_test(NAME test_elgamal_ct_valgrind
           COMMAND ${SC_VALGRIND} --error-exitcode=99 -q
                   $<TARGET_FILE:test_elgamal_ct> scalar_ops)
  set_tests_properties(test_elgamal_ct_valgrind PROPERTIES LABELS "ct"
                       TIMEOUT 900)
endif()
