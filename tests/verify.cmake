# The 2.1 verifier (src/lib/verify): step functions one by one, and the
# tamper corpus (a toy-group record made by `scrutin demo`, one mutated
# copy per lettered condition, plus malformed input).
sc_add_test(test_verify SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_verify.c
            LABELS unit verify)
