# The same known-answer and protocol tests on the scalar fallback (the
# mulx/adx code used on CPUs without AVX-512 IFMA): SC_ARITH_NO_IFMA keeps
# the kernel off in every group the test makes (src/lib/arith/mont.c;
# test_arith_ifma's env_forces_fallback checks that it does). On a CPU
# without IFMA these repeat the plain runs.
foreach(_t test_arith test_kat_ballot test_kat_contest_data test_elgamal
           test_decrypt)
  add_test(NAME ${_t}_fallback COMMAND ${_t})
  set_tests_properties(${_t}_fallback PROPERTIES
                       ENVIRONMENT "SC_ARITH_NO_IFMA=1"
                       LABELS "fallback" TIMEOUT 600)
endforeach()
