# scrutin-bench: fixed workload, one run, prints figures (make bench).
# It reaches the internal Montgomery layer (src/lib/arith/mont.h) to time a
# single modular product, hence the private include path.
add_executable(scrutin-bench ${CMAKE_SOURCE_DIR}/bench/bench.c
               ${CMAKE_SOURCE_DIR}/bench/bench_p0.c
               ${CMAKE_SOURCE_DIR}/bench/bench_ballot.c
               ${CMAKE_SOURCE_DIR}/bench/bench_cpu.c)
target_include_directories(scrutin-bench PRIVATE ${CMAKE_SOURCE_DIR}/src/lib)
target_link_libraries(scrutin-bench PRIVATE scrutin_core)
sc_warnings(scrutin-bench)
# Verifier figures (P3, P4; bench/bench_verify.c, sc_bench_verify()): the
# records are made with the test generator. scrutin-bench-verify runs them
# alone; scrutin-bench links the same function for main() to call.
set(SC_BENCH_VERIFY_SOURCES ${CMAKE_SOURCE_DIR}/bench/bench_verify.c
    ${CMAKE_SOURCE_DIR}/bench/bench_costs.c
    ${CMAKE_SOURCE_DIR}/tests/tamper/gen_record.c)
target_sources(scrutin-bench PRIVATE ${SC_BENCH_VERIFY_SOURCES})
target_include_directories(scrutin-bench PRIVATE
                           ${CMAKE_SOURCE_DIR}/tests/tamper)
add_executable(scrutin-bench-verify ${SC_BENCH_VERIFY_SOURCES}
               ${CMAKE_SOURCE_DIR}/bench/bench_cpu.c)
target_compile_definitions(scrutin-bench-verify PRIVATE SC_BENCH_VERIFY_MAIN)
target_include_directories(scrutin-bench-verify PRIVATE
                           ${CMAKE_SOURCE_DIR}/src/lib
                           ${CMAKE_SOURCE_DIR}/tests/tamper)
target_link_libraries(scrutin-bench-verify PRIVATE scrutin_core)
sc_warnings(scrutin-bench-verify)
