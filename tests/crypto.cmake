sc_add_test(test_kat_ballot
            SOURCES ${CMAKE_SOURCE_DIR}/tests/kat/test_kat_ballot.c
            LABELS kat)
sc_add_test(test_elgamal SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_elgamal.c
            LABELS unit prop)
sc_add_test(test_proof SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_proof.c
            LABELS unit prop TIMEOUT 600)
