# ElectionGuard 2.0.0 (egk records) verifier: hash rows, both published
# sample records, tampered and malformed copies.
sc_add_test(test_verify20 SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_verify20.c
            LABELS unit verify20 TIMEOUT 600)
# Stand-alone driver (until `scrutin verify` dispatches 2.0 records).
add_executable(verify20_driver ${CMAKE_SOURCE_DIR}/tests/unit/test_verify20_driver.c)
target_link_libraries(verify20_driver PRIVATE scrutin_core)
# Records of shapes the samples lack (n = 4, k = 2, missing guardians, two
# ballot styles, R = L = 2, two devices), written by the test, verified.
sc_add_test(test_verify20_gen
            SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_verify20_gen.c
            LABELS unit verify20 TIMEOUT 600)
